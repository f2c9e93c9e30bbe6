#!/bin/sh
# The server lab headless at a small size: one run per mode, each with the
# three metrics; the explanation is filled in; no process is left behind.
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3 pgrep

"$B" check labs/server.lab | grep -q ok || fail "check server.lab"
CONCLAB_LABS=$PWD/labs "$B" run server --headless --format json --no-progress \
    --set alone_ms=300 --set contended_ms=400 --set threads.pingpong_ms=200 \
    --set cpython.duration_ms=400 \
    >"$T/s.json" || fail "run server"
CONCLAB_LABS=$PWD/labs "$B" run server --headless --no-progress --only evloop \
    --set alone_ms=500 --set contended_ms=700 >"$T/s.txt" || fail "run text"
grep -q "nobody is served" "$T/s.txt" || fail "no explanation"
python3 - "$T/s.json" <<'PY' || fail "figures"
import json, sys
d = json.load(open(sys.argv[1]))
runs = {r["name"]: r for r in d["runs"]}
modes = ["sequential", "threads", "fork", "pool", "gil", "evloop", "evloop-pool"]
assert sorted(runs) == sorted(modes + ["cpython"]), sorted(runs)
# the seeds' server in real CPython, driven by the same perf2 and perf1
cp = runs["cpython"]
assert cp["skipped"] or all(cp["metrics"].get(k, 0) > 0 for k in
    ("fast_reqs_per_s_alone", "fast_reqs_per_s_contended", "long_latency_s")), cp
for m in modes:
    mt = runs[m]["metrics"]
    for k in ("fast_reqs_per_s_alone", "fast_reqs_per_s_contended", "long_latency_s"):
        assert k in mt, (m, k)
    assert mt["fast_reqs_per_s_alone"] > 0, m
    assert mt["interp_ns"] == 34, m
# perf1 is never served by the sequential server while perf2 holds it.
assert runs["sequential"]["metrics"]["long_reqs"] == 0
# Nobody is served while the event loop computes fib(30) at Python speed.
ev = runs["evloop"]["metrics"]
assert ev["fast_reqs_per_s_contended"] * 3 < ev["fast_reqs_per_s_alone"], ev
assert runs["threads"]["metrics"]["pingpong_reqs_per_s"] > 0
PY
sleep 0.5
pgrep -x conclab-worker -P $$ >/dev/null 2>&1 && fail "pool workers left"
echo ok
