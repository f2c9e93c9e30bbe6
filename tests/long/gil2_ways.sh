#!/bin/sh
# Python 2.7's handoff battle measured conclab's way and plain ways (issue
# 15): per round, interleaved, the slowdown (threads' wall over the same
# work done serially) of
#   conclab   `conclab run gil --only cpython2` (gil.py, traced from /proc)
#   alone     labs/py/gil.py run by hand (serial first, in the same process)
#   traced    gil.py under `conclab trace`
#   fib       plain recursive fib(N) in 3 threads vs serially (own processes)
#   count     Beazley's `while n > 0: n -= 1`, 2 threads vs serially
# Prints each round and the medians with the load, steal and other
# programs' cores beside them.  Fails when conclab's median is under 0.75 of
# the plain gil.py's: conclab's way of measuring would hide the slowdown.
# Runs at nice -15 in its own autogroup at -15 when root (the kernel's
# sched_autogroup shares the CPU between sessions whatever their nice).
# Usage: tests/long/gil2_ways.sh BIN PYTHON2.7 [ROUNDS]  (about 45 s a round)
set -u
B=${1:?binary}; PY=${2:?python2.7}; R=${3:-5}
LABS=$(cd "$(dirname "$0")/../../labs" && pwd)
command -v python3 >/dev/null || { echo "FAIL: gil2_ways.sh needs python3"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat >"$T/w.py" <<'PY'
import sys, threading, time
def fib(n):
    return 1 if n <= 2 else fib(n - 1) + fib(n - 2)
def count(n):
    while n > 0:
        n -= 1
work, phase, k, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
fn = fib if work == "fib" else count
t0 = time.time()
if phase == "serial":
    for _ in range(k):
        fn(size)
else:
    ts = [threading.Thread(target=fn, args=(size,)) for _ in range(k)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
print("%s %.4f" % (phase, time.time() - t0))
PY
python3 - "$B" "$PY" "$R" "$LABS" "$T" <<'PY'
import json, os, statistics, subprocess, sys, time
B, PY, R, LABS, T = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
try:
    open("/proc/self/autogroup", "w").write("-15")
    os.nice(-15)
except OSError:
    print("(not root: normal priority; other load will share the cores)")
gil = [PY, LABS + "/py/gil.py", "--tasks", "3", "--duration_ms", "1000", "--work", "fib"]
def figures(out):
    d = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[0] == "metric" and p[1] in ("serial_s", "threads_s"):
            d[p[1][:-2]] = float(p[2])
        elif len(p) == 2 and p[0] in ("serial", "threads"):
            d[p[0]] = float(p[1])
    return d
def conclab():
    out = subprocess.run([B, "run", "gil", "--only", "cpython2", "--set",
                          "cpython2.interpreter=" + PY, "--headless", "--format", "json"],
                         capture_output=True, text=True).stdout
    r = [x for x in json.loads(out)["runs"] if x["name"] == "cpython2"][0]
    return {"serial": r["metrics"]["serial_s"], "threads": r["wall_s"]}
def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return figures(p.stdout + p.stderr)
noenv = dict(os.environ); noenv.pop("CONCLAB_FD", None)
ways = {
    "conclab": conclab,
    "alone": lambda: run(gil),
    "traced": lambda: run([B, "trace", "--headless", "--", "sh", "-c",
                           'unset CONCLAB_FD; exec "$@"', "sh"] + gil),
    "fib": lambda: {**run([PY, T + "/w.py", "fib", "serial", "3", "35"]),
                    **run([PY, T + "/w.py", "fib", "threads", "3", "35"])},
    "count": lambda: {**run([PY, T + "/w.py", "count", "serial", "2", "75000000"]),
                      **run([PY, T + "/w.py", "count", "threads", "2", "75000000"])},
}
def stat():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(v), v[7], sum(v) - v[3] - v[4]
res = {k: [] for k in ways}
hz = os.sysconf("SC_CLK_TCK")
for r in range(R):
    for name, f in ways.items():
        t0, s0, b0 = stat(); w0 = time.time(); load = os.getloadavg()[0]
        c0 = os.times(); d = f(); c1 = os.times()
        t1, s1, b1 = stat(); wall = time.time() - w0
        mine = (c1[2] + c1[3]) - (c0[2] + c0[3])
        other = ((b1 - b0) / hz - mine) / wall
        steal = 100.0 * (s1 - s0) / max(1, t1 - t0)
        if "serial" not in d or "threads" not in d:
            print("round %d %s: no figures" % (r, name)); continue
        x = d["threads"] / d["serial"]
        res[name].append((x, load, steal, other))
        print("round %d %-8s %.2fx (serial %.3f s, threads %.3f s) load %.1f steal %.1f %% "
              "other %.2f cores" % (r, name, x, d["serial"], d["threads"], load, steal, other),
              flush=True)
med = {}
for name, v in res.items():
    if v:
        med[name] = statistics.median(e[0] for e in v)
        print("%-8s median %.2fx of %d (%.2f-%.2f), load %.1f-%.1f, steal %.1f-%.1f %%, other "
              "%.2f-%.2f cores" % (name, med[name], len(v), min(e[0] for e in v),
              max(e[0] for e in v), min(e[1] for e in v), max(e[1] for e in v),
              min(e[2] for e in v), max(e[2] for e in v), min(e[3] for e in v),
              max(e[3] for e in v)))
if "conclab" not in med or "alone" not in med:
    print("FAIL: no figures"); sys.exit(1)
if med["conclab"] < 0.75 * med["alone"]:
    print("FAIL: conclab's slowdown %.2fx is under 0.75 of the plain gil.py's %.2fx"
          % (med["conclab"], med["alone"])); sys.exit(1)
print("ok")
PY
