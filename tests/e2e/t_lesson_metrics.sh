#!/bin/sh
# The lessons' metrics end to end: join, race, coroutines, event-loop and
# interleave run headless at a small size; their JSON carries the metrics
# each lesson needs, and the explanations are filled in.
# Plain only: the metrics' figures; each of these labs runs to its end
# under a sanitizer in t_headlines.sh.
# e2e: plain only
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3

for l in join race coroutines event-loop interleave; do
	"$B" list | grep -q "^$l " || fail "list lacks $l"
	"$B" check "labs/$l.lab" | grep -q ok || fail "check $l"
done

"$B" run join --headless --format json --set duration_ms=300 >"$T/join.json" || fail "join"
"$B" run race --headless --format json --set increments=200000 --set switch_ms=1 \
    >"$T/race.json" || fail "race"
"$B" run coroutines --headless --format json --set step_ms=2 \
    --set blocking.block_ms=200 >"$T/coro.json" || fail "coroutines"
"$B" run event-loop --headless --format json --set conns=200 --set hold_ms=100 \
    >"$T/ev.json" || fail "event-loop"
"$B" run interleave --headless --format json --set count=3 --set sleep_ms=50 \
    >"$T/il.json" || fail "interleave"
"$B" run interleave --headless --set count=2 --set sleep_ms=10 >"$T/il.txt" ||
    fail "interleave text"
grep -q "what this shows" "$T/il.txt" || fail "no explanation in the text report"
grep -q "output" "$T/il.txt" || fail "no output in the text report"

python3 - "$T" <<'PY' || fail "figures"
import json, sys, os
d = sys.argv[1]
def load(name):
    r = json.load(open(os.path.join(d, name)))
    assert r["schema_version"] == 1
    assert "n/a" not in r.get("explanation", ""), r.get("explanation")
    return r, {x["name"]: x for x in r["runs"]}

r, runs = load("join.json")
b, f = runs["broken"]["metrics"], runs["fixed"]["metrics"]
assert b["reported_s"] < 0.25 * b["actual_s"], b
assert f["reported_s"] >= 0.95 * f["actual_s"], f
assert b["actual_s"] > 0.1 and f["actual_s"] > 0.1

r, runs = load("race.json")
for name in ("unsync", "mutex", "atomic", "gil-call", "gil-inplace"):
    m = runs[name]["metrics"]
    assert m["expected"] == 400000 and m["final"] + m["lost_updates"] == 400000, m
    assert m["ns_per_increment"] > 0
for name in ("mutex", "atomic", "gil-inplace"):
    assert runs[name]["metrics"]["lost_updates"] == 0, name

r, runs = load("coro.json")
c = runs["countdown"]
assert c["metrics"]["order"][:9] == [10, 5, 20, 9, 4, 19, 8, 3, 18], c["metrics"]["order"]
assert c["avg_cores_busy"] <= 1.05, c["avg_cores_busy"]
assert runs["blocking"]["metrics"]["max_gap_ms"] > 3 * c["metrics"]["max_gap_ms"]
assert len(c["tasks_detail"]) == 3 and len(runs["blocking"]["tasks_detail"]) == 4

r, runs = load("ev.json")
t, e = runs["threads"]["metrics"], runs["epoll"]["metrics"]
assert t["threads"] == 200 and e["threads"] == 1, (t, e)
assert t["conns"] == 200 and e["conns"] == 200
for m in (t, e):
    for k in ("rss_mb", "cpu_s", "rtt_us_p50", "vm_mb"):
        assert k in m, k
assert t["vm_mb"] > e["vm_mb"]

r, runs = load("il.json")
out = runs["interleave"]["metrics"]["output"]
assert len(out) == 9 and all(isinstance(s, str) for s in out), out
assert len({s[0] for s in out}) == 3, out
print("figures", b["reported_s"], b["actual_s"], runs["interleave"]["metrics"]["order_changes"])
PY
echo ok
