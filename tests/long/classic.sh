#!/bin/sh
# The classic Python clients (bare digits, one recv(100), no newline) against
# `conclab serve` at its defaults, in every mode: perf2 alone for S seconds,
# then perf2 beside perf1.  Prints requests/s and the ratio per mode and
# checks the lessons: threads, fork, pool, evloop-pool keep >= 0.5 of their
# rate; gil, and evloop with --interp-ns 34, drop >= 10x; pool alone is
# below threads alone.  Needs python3.
# Usage: tests/long/classic.sh BIN [SECONDS]
set -u
B=${1:?binary}; S=${2:-3}
command -v python3 >/dev/null ||
    { echo "FAIL: classic.sh needs python3; run: sudo apt-get install python3"; exit 1; }
T=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
cat >"$T/perf2.py" <<'PY'
import socket, sys, time
port, secs = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(); s.connect(('127.0.0.1', port))
n, end = 0, time.time() + secs
while time.time() < end:
    s.send(b'1'); s.recv(100); n += 1
print(round(n / secs))
PY
cat >"$T/perf1.py" <<'PY'
import socket, sys, time
port, secs = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(); s.connect(('127.0.0.1', port))
end = time.time() + secs
while time.time() < end:
    s.send(b'30'); s.recv(100)
PY
fails=0
measure() { # mode [serve args]
	"$B" serve --port 0 --mode "$@" >"$T/out" 2>"$T/err" &
	SRV=$!
	i=0
	until grep -q '^port [0-9]' "$T/out" 2>/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	P=$(awk '/^port/ {print $2}' "$T/out")
	a=$(python3 "$T/perf2.py" "$P" "$S")
	python3 "$T/perf1.py" "$P" "$(echo "$S + 1.5" | bc)" &
	sleep 1
	c=$(python3 "$T/perf2.py" "$P" "$S")
	wait $!
	kill $SRV; wait $SRV 2>/dev/null; SRV=
	echo "$a $c"
}
printf "%-22s %10s %12s %8s\n" mode alone with-perf1 ratio
for m in sequential threads fork pool gil evloop evloop-pool "evloop --interp-ns 34"; do
	set -- $(measure $m)
	a=$1; c=$2
	[ "$m" = threads ] && ta=$a
	[ "$m" = pool ] && pa=$a
	r=$(awk -v a="$a" -v c="$c" 'BEGIN{printf "%.3f", (a > 0 ? c / a : 0)}')
	verdict=
	case "$m" in
	threads|fork|pool|evloop-pool)
		awk -v r="$r" 'BEGIN{exit !(r >= 0.5)}' && verdict="ok (>= 0.5)" || { verdict="FAIL (< 0.5)"; fails=$((fails + 1)); } ;;
	gil|"evloop --interp-ns 34")
		awk -v a="$a" -v c="$c" 'BEGIN{exit !(a >= 10 * c)}' && verdict="ok (drop >= 10x)" || { verdict="FAIL (drop < 10x)"; fails=$((fails + 1)); } ;;
	esac
	printf "%-22s %10s %12s %8s  %s\n" "$m" "$a" "$c" "$r" "$verdict"
done
if [ "$pa" -lt "$ta" ]; then echo "pool alone $pa < threads alone $ta: ok"; else echo "FAIL: pool alone $pa >= threads alone $ta"; fails=$((fails + 1)); fi
[ $fails = 0 ] && echo "classic: all passed" || { echo "classic: $fails failed"; exit 1; }
