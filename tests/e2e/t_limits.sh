#!/bin/sh
# Every stated limit is enforced at once with a clear message (exit 2), so a
# typo can never start a fork storm or freeze the machine.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup timeout
must2() {
	want=$1; shift
	out=$(timeout 10 "$@" 2>&1); st=$?
	[ "$st" = 2 ] || fail "$* exited $st (want 2): $out"
	echo "$out" | grep -q -- "$want" || fail "$*: message lacks '$want': $out"
}
run() { must2 "$1" "$B" run "$2" --headless --set "$3"; }

run "1..256" sleep-vs-fib tasks=257
run "1..600000" sleep-vs-fib duration_ms=600001
run "0..45" sleep-vs-fib fib_n=46
run "0..10000" gil interp_ns=10001
run "1..10000" gil switch_ms=10001
run "0..64" pool workers=65
run "0..10000000" pool jobs=10000001
run "1..10000" event-loop conns=10001
run "1..100000000" race increments=100000001
run "task rows" sleep-vs-fib tasks=200
must2 "--fps must be 1..60" "$B" --fps 61 list
must2 "--slow must be a number from 1 to 1000" "$B" run gil --headless --slow 1001
must2 "too many --set" "$B" run gil --headless $(i=0; while [ $i -lt 33 ]; do printf -- '--set tasks=2 '; i=$((i+1)); done)
must2 "max-conns" "$B" serve --max-conns 100001
must2 "max-n" "$B" serve --max-n 91
must2 "workers" "$B" serve --workers 257
# the limits in force are stated in the README
for k in tasks duration_ms fib_n workers conns increments max-conns max-n; do
	grep -q "$k" "$(dirname "$0")/../../README.md" || fail "README has no limit row for $k"
done
echo ok
