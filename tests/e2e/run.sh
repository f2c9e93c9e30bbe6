#!/bin/sh
# Runs every end-to-end script tests/e2e/t_*.sh with CONCLAB_BIN set and
# prints "N passed, N failed".  A script passes when it exits 0 AND its last
# line starts with "ok": one that stops early (a skip, an exit 0 halfway)
# fails.  Each line gives the script's seconds.
dir=$(dirname "$0")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pass=0; fail=0; total=0
for t in "$dir"/t_*.sh; do
	[ -f "$t" ] || continue
	start=$(date +%s)
	sh "$t" >"$log" 2>&1
	st=$?
	secs=$(( $(date +%s) - start )); total=$((total + secs))
	last=$(tail -n 1 "$log")
	if [ $st = 0 ] && [ "${last#ok}" != "$last" ]; then
		pass=$((pass + 1)); printf 'e2e ok    %-24s %4d s\n' "$(basename "$t")" "$secs"
	else
		fail=$((fail + 1)); printf 'e2e FAIL  %-24s %4d s  (exit %d)\n' "$(basename "$t")" "$secs" $st
		[ $st = 0 ] && echo "    exited 0 without 'ok' as its last line"
		tail -n 60 "$log" | sed 's/^/    /'
	fi
done
echo "e2e: $pass passed, $fail failed in $total s"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
