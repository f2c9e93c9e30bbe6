#!/bin/sh
# Runs every end-to-end test script tests/e2e/t_*.sh with CONCLAB_BIN set.
# Each script exits 0 on success; this prints "N passed, N failed".
dir=$(dirname "$0")
pass=0; fail=0
for t in "$dir"/t_*.sh; do
	[ -f "$t" ] || continue
	if sh "$t" >"/tmp/conclab-e2e.$$.log" 2>&1; then
		pass=$((pass + 1)); echo "e2e ok    $(basename "$t")"
	else
		fail=$((fail + 1)); echo "e2e FAIL  $(basename "$t")"; sed 's/^/    /' "/tmp/conclab-e2e.$$.log" | tail -n 30
	fi
done
rm -f "/tmp/conclab-e2e.$$.log"
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
