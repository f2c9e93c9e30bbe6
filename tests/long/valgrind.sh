#!/bin/sh
# valgrind memcheck on a small headless run of every lab: "definitely lost: 0"
# and no memory errors.  Usage: tests/long/valgrind.sh BIN
set -u
B=${1:?binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
for lab in ${LABS:-$("$B" list | awk '{print $1}')}; do
	# Shrink the work where the lab has the parameter (unknown keys are errors).
	opts=""
	for kv in duration_ms=60 conns=50 increments=20000 seconds=1 tasks=2; do
		if "$B" run "$lab" --headless --set "$kv" --only __none__ 2>&1 | grep -q "has no run '__none__'"; then
			opts="$opts --set $kv"
		fi
	done
	timeout 300 valgrind --fair-sched=yes --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 \
		--child-silent-after-fork=yes \
		--log-file="$T/$lab.vg" "$B" run "$lab" --headless --no-progress $opts >/dev/null 2>"$T/$lab.err"
	st=$?
	lost=$(grep -h "definitely lost:" "$T/$lab.vg" | head -1 | sed 's/.*definitely lost: *//')
	if [ "$st" = 0 ] && ! grep -q "ERROR SUMMARY: [1-9]" "$T/$lab.vg"; then
		pass=$((pass + 1)); echo "valgrind ok    $lab  (definitely lost: ${lost:-0 bytes}; $opts)"
	else
		fail=$((fail + 1)); echo "valgrind FAIL  $lab  exit $st"; grep -E "ERROR SUMMARY|definitely|Invalid|uninit" "$T/$lab.vg" | head; tail -3 "$T/$lab.err"
	fi
done
echo "valgrind: $pass passed, $fail failed"
[ "$fail" = 0 ]
