#!/bin/sh
# valgrind memcheck on a small headless run of every lab: "definitely lost: 0"
# and no memory errors.  Usage: tests/long/valgrind.sh BIN
# Valgrind runs a program's threads one at a time, so VALGRIND_JOBS labs (2
# by default) run at once; the results are printed in the labs' order.
set -u
B=${1:?binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
labs=${LABS:-$("$B" list | awk '{print $1}')}
jobs=${VALGRIND_JOBS:-2}

# one LAB: its run under memcheck; the verdict line (and the evidence of a
# failure) in $T/LAB.res
one() {
	lab=$1
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
		echo "valgrind ok    $lab  (definitely lost: ${lost:-0 bytes}; $opts)" >"$T/$lab.res"
	else
		{ echo "valgrind FAIL  $lab  exit $st"; grep -E "ERROR SUMMARY|definitely|Invalid|uninit" "$T/$lab.vg" | head; tail -3 "$T/$lab.err"; } >"$T/$lab.res"
	fi
}

# A lane takes the next lab nobody has claimed (mkdir is atomic).
lane() {
	for lab in $labs; do
		mkdir "$T/claim.$lab" 2>/dev/null && one "$lab"
	done
}

i=0
while [ $i -lt "$jobs" ]; do lane & i=$((i + 1)); done
wait
pass=0; fail=0
for lab in $labs; do
	[ -s "$T/$lab.res" ] || echo "valgrind FAIL  $lab  (no result)" >"$T/$lab.res"
	cat "$T/$lab.res"
	if grep -q "^valgrind ok " "$T/$lab.res"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "valgrind: $pass passed, $fail failed ($jobs labs at a time)"
[ "$fail" = 0 ]
