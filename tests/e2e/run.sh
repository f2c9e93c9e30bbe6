#!/bin/sh
# Runs every end-to-end script tests/e2e/t_*.sh with CONCLAB_BIN set and
# prints "N passed, N failed".  A script passes when it exits 0 AND its last
# line starts with "ok": one that stops early (a skip, an exit 0 halfway)
# fails.  Each line gives the script's seconds.
#
# A script with the line "# e2e: beside" checks no timing (no ratio of
# times, no share of a core), no process outside its own, and keeps to its
# own temp dir, tmux server and ports: such scripts run CONCLAB_E2E_JOBS at
# a time (default 2), before the others, which run one at a time with
# nothing beside them.  CONCLAB_E2E_JOBS=1 runs every script alone.
#
# A script with the line "# e2e: plain only" checks figures of time (which a
# sanitizer's slowdown distorts) of code that other scripts run too: under a
# sanitizer build (CONCLAB_SANITIZER set, as `make e2e SANITIZER=...` does)
# it is left out and said so; each lab's code still runs under the sanitizer
# in t_headlines.sh (every lab to its end), and t_gil.sh keeps the rounds
# and slow motion.  The line before the mark says what else runs its code.
# Arguments (script names) run only those.
dir=$(dirname "$0")
jobs=${CONCLAB_E2E_JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)

if [ $# -gt 0 ]; then
	list=
	for a in "$@"; do list="$list $dir/$(basename "$a")"; done
else
	list=$(ls "$dir"/t_*.sh)
fi
beside=; alone=; plain=
for t in $list; do
	[ -f "$t" ] || { echo "e2e: no script $t"; exit 1; }
	if [ -n "${CONCLAB_SANITIZER:-}" ] && grep -q '^# e2e: plain only$' "$t"; then
		plain="$plain $(basename "$t")"
		printf 'e2e skip  %-24s (plain only: %s build)\n' "$(basename "$t")" \
		    "$CONCLAB_SANITIZER"
	elif [ "$jobs" -gt 1 ] && grep -q '^# e2e: beside$' "$t"; then
		beside="$beside $t"
	else
		alone="$alone $t"
	fi
done

# one T: run the script, print its line, keep its status and log in $work
one() {
	name=$(basename "$1")
	start=$(date +%s)
	sh "$1" >"$work/$name.log" 2>&1
	st=$?
	secs=$(( $(date +%s) - start ))
	last=$(tail -n 1 "$work/$name.log")
	if [ $st = 0 ] && [ "${last#ok}" != "$last" ]; then
		echo "ok $secs" >"$work/$name.res"
		printf 'e2e ok    %-24s %4d s\n' "$name" "$secs"
	else
		echo "FAIL $secs $st" >"$work/$name.res"
		printf 'e2e FAIL  %-24s %4d s  (exit %d; its output at the end)\n' "$name" \
		    "$secs" $st
	fi
}

# A lane takes the next script nobody has claimed (mkdir is atomic).
lane() {
	for t in $beside; do
		mkdir "$work/claim.$(basename "$t")" 2>/dev/null && one "$t"
	done
}

if [ -n "$beside" ]; then
	i=0
	while [ $i -lt "$jobs" ]; do lane & i=$((i + 1)); done
	wait
fi
for t in $alone; do one "$t"; done

pass=0; fail=0; total=0
for t in $beside $alone; do
	name=$(basename "$t")
	set -- $(cat "$work/$name.res" 2>/dev/null || echo "FAIL 0 255")
	total=$((total + $2))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		continue
	fi
	fail=$((fail + 1))
	echo "--- $name (exit $3):"
	[ "$3" = 0 ] && echo "    exited 0 without 'ok' as its last line"
	tail -n 60 "$work/$name.log" | sed 's/^/    /'
done
# One line a failed script, last: what failed (its "FAIL:" line, and a
# Python check's last error line), so that a log cut to its tail -- or the
# CI digest, which picks "e2e FAIL" lines -- still names the failure.
for t in $beside $alone; do
	name=$(basename "$t")
	grep -q '^ok' "$work/$name.res" 2>/dev/null && continue
	{ tail -n 1 "$work/$name.log"
	  grep -E '^[A-Za-z]*(Error|Exception|Miss)\b' "$work/$name.log" | tail -n 1
	} | grep . | uniq | cut -c1-200 | sed "s/^/e2e FAIL  $name: /"
done
n=$(echo $beside | wc -w)
np=$(echo $plain | wc -w)
echo "e2e: $pass passed, $fail failed in $(( $(date +%s) - t0 )) s (the scripts' own" \
    "seconds: $total$([ "$n" -gt 0 ] && echo "; $n of them $jobs at a time"))$([ "$np" -gt 0 ] &&
    echo "; $np left out under $CONCLAB_SANITIZER:$plain")"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
