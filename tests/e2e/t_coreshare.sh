#!/bin/sh
# The lab's own share of each core, apart from other programs': a busy loop
# pinned to CPU 0 runs beside a short lab; the report's cores_own_busy on
# CPU 0 must stay clearly below cores_busy there (all programs), and the own
# shares must add up to about the cores the lab's tasks used.  Ratios only.
# Plain only: a share of a core, measured; sleep-vs-fib's fib-threads runs
# under a sanitizer in t_headlines.sh and t_engine.sh.
# e2e: plain only
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3 taskset

[ "$(nproc)" -ge 2 ] || { echo "ok (one CPU: nothing to tell apart)"; exit 0; }
taskset -c 0 sh -c 'while :; do :; done' &
LOOP=$!
at_exit() { kill "$LOOP" 2>/dev/null; wait "$LOOP" 2>/dev/null; }
sleep 0.3

cat >"$T/check.py" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["cpus"][:2] == [0, 1], r["cpus"]
run = r["runs"][0]
busy, own = run["cores_busy"], run["cores_own_busy"]
assert len(busy) == len(own) == r["cores"], (busy, own)
assert None not in busy + own, (busy, own)
# CPU 0: the loop and the lab share it, so the lab's share is clearly less
# than the whole (the loop alone holds about half of it)
assert busy[0] >= 0.7, ("the loop should keep cpu0 busy", busy)
assert own[0] <= 0.8 * busy[0], ("own share on cpu0 is not apart", own, busy)
# each own share within the core's busy share (sampling slack) ...
for b, o in zip(busy, own):
    assert 0 <= o <= b + 0.15, (own, busy)
# ... and together about the cores the run's tasks used (the dashboard's
# own thread and the forks add a little)
cores = run["avg_cores_busy"]
assert 0.6 * cores <= sum(own) <= 1.5 * cores + 0.1, (own, cores)
print("ok cpu0 own %.2f of busy %.2f; own %s busy %s; avg_cores_busy %.2f; steal %s %%"
      % (own[0], busy[0], own, busy, cores, r["noise"]["steal_pct"]))
PY
"$B" run sleep-vs-fib --headless --format json --no-progress --only fib-threads \
    --set tasks=2 --set duration_ms=700 >"$T/own.json" 2>"$T/err" || fail "lab run"
python3 "$T/check.py" "$T/own.json" >"$T/out" 2>&1 || { cat "$T/out"; fail "own shares"; }
cat "$T/out"
# the README documents the keys
grep -q 'cores_own_busy' "$(dirname "$0")/../../README.md" || fail "README lacks cores_own_busy"
echo "ok"
