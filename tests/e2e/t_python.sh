#!/bin/sh
# executor = python end to end: real CPython runs of the gil, sleep-vs-fib
# and race labs, followed from /proc; a missing interpreter skips the run
# with its reason (exit 0); a missing script fails it (exit 1).  Ratios
# with generous bounds: the machine may be busy.
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3

D=400
# The real CPython gil run: its structure asserted, its figures (shares of
# the threads' lives, switches a second: what other programs' load moves)
# through timing(), measured again on a miss (retry_timing).
measure_gil() {
	"$B" run gil --headless --format json --only cpython --set duration_ms=$D \
	    >"$T/gil.json" || fail "gil cpython"
	py "$T/gil.json" $D <<'PY'
import json, sys
D = int(sys.argv[2]) / 1000
r = json.load(open(sys.argv[1]))
c = [x for x in r["runs"] if x["name"] == "cpython"][0]
assert c["executor"] == "python" and not c["skipped"], c
assert c["skipped_reason"] is None
m = c["metrics"]
assert m["version"].startswith("3."), m
py = [t for t in c["tasks_detail"] if t["name"].startswith("py-")]
assert len(py) == 3, c["tasks_detail"]
print("cpython: %.2f cores busy, held %s %%, %s switches/s counted, %s voluntary, "
      "wall %.3f s, serial %.3f s, lock/life %s; steal %s %%" % (c["avg_cores_busy"],
      m["gil_held_pct"], m["switches_counted_per_s"], m["voluntary_switches_per_s"],
      c["wall_s"], m["serial_s"], [round(t["lock_s"] / (t["end_s"] - t["start_s"]), 2)
      for t in py], r["noise"]["steal_pct"]))
timing(c["avg_cores_busy"] <= 1.3, ("cores busy", c["avg_cores_busy"]))
for t in py:
    life = t["end_s"] - t["start_s"]
    timing(t["lock_s"] >= 0.25 * life, ("waiting for the GIL", t))
    timing(t["run_s"] >= 0.5 * D, ("its work (calibrated)", t))
timing(m["gil_held_pct"] >= 60, ("held", m["gil_held_pct"]))
# switches counted by the threads: about one per 5 ms interval, per second
# of the run's CPU time (a busy machine gives fewer per wall second: the
# holder waits for a core), never more than 2 x 200 a wall second nor than
# the threads' voluntary context switches (a thread that loses the GIL blocks)
per_cpu = m["switches_counted_per_s"] * c["wall_s"] / c["cpu_s"]
timing(per_cpu >= 1000 / 5 / 10, ("switches per CPU second", per_cpu, m))
timing(m["switches_counted_per_s"] <= 1000 / 5 * 2, ("switches", m))
assert m["switches_counted_per_s"] <= m["voluntary_switches_per_s"], m
# one thread at a time: no faster than serial (the load may change 2x)
timing(c["wall_s"] >= 0.4 * m["serial_s"], ("wall vs serial", c["wall_s"], m))
PY
}
retry_timing "gil cpython" measure_gil

# race cpython-call: x = x + one() loses updates where the interpreter
# switched between load and store (scheduling decides how many: retried)
measure_call() {
	"$B" run race --headless --format json --only cpython-call >"$T/call.json" ||
	    fail "race cpython-call"
	py "$T/call.json" <<'PY'
import json, sys
call = json.load(open(sys.argv[1]))["runs"][0]
assert call["name"] == "cpython-call"
print("cpython-call: %d lost of %d" % (call["metrics"]["lost_updates"],
      call["metrics"]["expected"]))
assert call["metrics"]["expected"] == 2000000, call
# the time per update, wall and CPU, as the simulated race runs report it
cm = call["metrics"]
assert cm["ns_per_increment"] > 0 and cm["cpu_ns_per_increment"] > 0, cm
assert cm["cpu_ns_per_increment"] < 3 * cm["ns_per_increment"], cm
timing(call["metrics"]["lost_updates"] > 0, call["metrics"])
PY
}
retry_timing "race cpython-call" measure_call

# cpython-sleep: three sleeping threads overlap
measure_sleep() {
	"$B" run sleep-vs-fib --headless --format json --only cpython-sleep \
	    --set duration_ms=$D >"$T/sleep.json" || fail "sleep-vs-fib cpython-sleep"
	py "$T/sleep.json" $D <<'PY'
import json, sys
D = int(sys.argv[2]) / 1000
sl = json.load(open(sys.argv[1]))["runs"][0]
assert sl["name"] == "cpython-sleep"
io = [t for t in sl["tasks_detail"] if t["name"].startswith("py-")]
print("cpython-sleep: wall %.3f s, io %s" % (sl["wall_s"], [t["io_s"] for t in io]))
assert len(io) == 3, io
timing(sl["wall_s"] < 0.6 * 3 * D, ("wall", sl["wall_s"]))
timing(all(t["io_s"] >= 0.5 * D for t in io), ("io", io))
PY
}
retry_timing "cpython-sleep" measure_sleep

"$B" run gil --headless --format json --only cpython \
    --set cpython.interpreter=/nonexistent >"$T/skip.json" ||
	fail "a missing interpreter must not fail the run (exit $?)"
"$B" run gil --headless --only cpython --set cpython.interpreter=no-such-python3 \
    >"$T/skip.txt" || fail "a missing interpreter in PATH: exit $?"
grep -q "skipped: interpreter no-such-python3: not found in PATH" "$T/skip.txt" ||
	fail "skip reason in the text report: $(cat "$T/skip.txt")"
# (100 ms runs: what is checked of them is no figure of time)
"$B" run gil --headless --format json --only cpython2 --set duration_ms=100 \
    >"$T/py2.json" || fail "cpython2 (run or skipped, never failed)"
"$B" run gil --headless --format json --only cpython2 --set duration_ms=100 \
    --set check_ticks=10 >"$T/py2c.json" || fail "cpython2 at check_ticks 10"
"$B" run gil --headless --format json --only cpython --set duration_ms=100 \
    --set check_ticks=10 >"$T/py3c.json" || fail "cpython with check_ticks"
"$B" run race --headless --format json --only cpython-inplace >"$T/inplace.json" ||
	fail "race cpython-inplace"
"$B" run gil --headless --only cpython --set cpython.script=nonexistent.py \
    >"$T/noscript.txt" 2>&1; st=$?
# refused before any run starts, naming where it looked (walk 6 G20)
[ $st = 2 ] || fail "a missing script is bad input: exit $st"
grep -q "script 'nonexistent.py': no file py/nonexistent.py in .*/labs" "$T/noscript.txt" ||
	fail "missing script message: $(cat "$T/noscript.txt")"
python3 - "$T" $D <<'PY' || fail "figures"
import json, sys
d, D = sys.argv[1], int(sys.argv[2]) / 1000
def run(f, name):
    r = json.load(open(d + "/" + f))
    return r, [x for x in r["runs"] if x["name"] == name][0]
r, s = run("skip.json", "cpython")
assert s["skipped"] and "/nonexistent" in s["skipped_reason"], s
assert s["metrics"]["skipped_reason"] == s["skipped_reason"], s
assert not s["tasks_detail"], s
r, p2 = run("py2.json", "cpython2")
assert p2["skipped"] or p2["metrics"]["version"].startswith("2."), p2
# check_ticks is Python 2's sys.setcheckinterval (its own 100 when unset);
# Python 3 has none and ignores it
r, p2c = run("py2c.json", "cpython2")
if not p2["skipped"]:
    assert p2["metrics"]["check_interval"] == 100, p2["metrics"]
    assert p2c["metrics"]["check_interval"] == 10, p2c["metrics"]
r, p3c = run("py3c.json", "cpython")
assert not p3c["skipped"] and "check_interval" not in p3c["metrics"], p3c["metrics"]
r, inpl = run("inplace.json", "cpython-inplace")
v = tuple(int(x) for x in inpl["metrics"]["version"].split(".")[:2])
if v >= (3, 10):
    assert inpl["metrics"]["lost_updates"] == 0, inpl["metrics"]
PY
echo ok
