#!/bin/sh
# The simulated GIL end to end: the gil lab, fib-gil in sleep-vs-fib, the
# convoy lab and slow motion, checked through the headless JSON report with
# generous ratios (the machine may be busy).
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3

"$B" check labs/gil.lab | grep -q ok || fail "check gil.lab"
"$B" check labs/convoy.lab | grep -q ok || fail "check convoy.lab"

D=400
"$B" run gil --headless --format json --set duration_ms=$D >"$T/gil.json" || fail "gil lab"
"$B" run sleep-vs-fib --headless --format json --only fib-gil --set duration_ms=$D \
    >"$T/fib.json" || fail "fib-gil run"
"$B" run convoy --headless --format json --set duration_ms=600 >"$T/convoy.json" ||
    fail "convoy lab"
"$B" run gil --headless --format json --only gil --slow 20 --set duration_ms=150 \
    >"$T/slow.json" || fail "slow motion"
python3 - "$T" $D <<'PY' || fail "figures"
import json, sys
d = sys.argv[1]; D = int(sys.argv[2]) / 1000
def runs(f):
    r = json.load(open(d + "/" + f))
    return r, {x["name"]: x for x in r["runs"]}
r, g = runs("gil.json")
cores = r["cores"]; N = 3
th, gl, old = g["threads"], g["gil"], g["gil-old"]
assert gl["executor"] == "gil" and old["executor"] == "gil-old"
m = gl["metrics"]
# one core's worth of work at a time, a switch about every interval
assert gl["avg_cores_busy"] <= 1.3, gl["avg_cores_busy"]
assert 1000 / 5 / 4 <= m["switches_per_s"] <= 1000 / 5 * 2, m["switches_per_s"]
assert m["drop_requests"] > 0 and m["gil_held_pct"] >= 80, m
assert m["switch_ms"] == 5
# only the holder computes: the wall time covers the tasks' CPU time
assert gl["wall_s"] >= 0.75 * gl["cpu_s"], (gl["wall_s"], gl["cpu_s"])
for t in gl["tasks_detail"]:
    assert t["lock_s"] > 0.2 * D and t["lock_max_s"] > 0.004, t
# the old GIL: no drop requests, far more handoffs, no faster
mo = old["metrics"]
assert mo["drop_requests"] == 0, mo
assert mo["handoffs_per_s"] > 10 * m["handoffs_per_s"], (mo, m)
assert old["wall_s"] >= 0.8 * gl["wall_s"], (old["wall_s"], gl["wall_s"])
if cores >= 2 and th["avg_cores_busy"] >= 1.5:
    assert gl["wall_s"] >= 1.2 * th["wall_s"], (gl["wall_s"], th["wall_s"])
r, f = runs("fib.json")
fg = f["fib-gil"]
assert fg["avg_cores_busy"] <= 1.3, fg["avg_cores_busy"]
assert fg["wall_s"] >= 0.75 * fg["cpu_s"] and fg["cpu_s"] >= 0.5 * N * D, fg
r, c = runs("convoy.json")
rate = {k: v["metrics"]["short_reqs_per_s"] for k, v in c.items()}
assert all(x > 0 for x in rate.values()), rate
assert rate["gil-alone"] >= 2 * rate["gil-contended"], rate
assert rate["nolock-contended"] >= 0.2 * rate["nolock-alone"], rate
assert c["gil-contended"]["metrics"]["drop_requests"] > 0, c["gil-contended"]
assert "switches_per_s" not in c["nolock-alone"]["metrics"]
names = [t["name"] for t in c["gil-contended"]["tasks_detail"]]
assert names == ["requester", "echo", "competitor-1"], names
# rounds = 3: the fidelity runs measured three times, their figures the
# medians; the others once
for k in ("gil-alone", "gil-contended", "gil-contended-10ms", "gil-contended-1ms"):
    m = c[k]["metrics"]
    rr = m["short_reqs_per_s_rounds"]
    assert len(rr) == 3 and all(x > 0 for x in rr), (k, rr)
    assert sorted(rr)[1] == m["short_reqs_per_s"], (k, rr, m["short_reqs_per_s"])
    assert len(m["rounds_steal_pct"]) == 3, (k, m)
assert "short_reqs_per_s_rounds" not in c["nolock-alone"]["metrics"]
if not c["cpython-contended"]["skipped"]:
    fid = r["fidelity"]
    assert len(fid) == 4 and all(f["rounds"] == 3 for f in fid), fid
r, s = runs("slow.json")
ms = s["gil"]["metrics"]
assert ms["switch_ms"] == 100, ms
assert ms["switches_per_s"] <= 20, ms
PY
echo ok
