#!/bin/sh
# Free-threaded CPython (3.13t and later, built with --disable-gil) end to
# end, when this machine has one: $CONCLAB_FT_PYTHON (a path or a name), else
# python3.14t or python3.13t in PATH.  The gil lab's cpython run reports
# gil_enabled 0, keeps over 1.3 cores busy (when no other load), gets no GIL
# lane (figures, SVG, Chrome trace, the lab screen) and no failed lesson;
# conclab trace sees the same script's three fib threads run at once and
# infers no lane.  Without one the script says so and passes: the first part
# here runs python3 made to say it has no GIL, and check_proctrace replays
# recorded /proc files of a free-threaded run (tests/fixtures/proc/ft).
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup freethreaded
need python3

# Always: the plumbing, with python3 made to say it has no GIL (a
# sitecustomize replaces sys._is_gil_enabled): gil_enabled 0, no GIL figures
# and no lane, whatever its threads did; the GIL expectations n/a.
mkdir -p "$T/site"
echo 'import sys; sys._is_gil_enabled = lambda: False' >"$T/site/sitecustomize.py"
printf '#!/bin/sh\nPYTHONPATH=%s exec python3 "$@"\n' "$T/site" >"$T/nogil-python3"
chmod +x "$T/nogil-python3"
"$B" run gil --headless --format json --only cpython --set duration_ms=300 \
    --set cpython.interpreter="$T/nogil-python3" --svg "$T/say.svg" >"$T/say.json" ||
	fail "gil cpython with python3 saying it has no GIL"
python3 - "$T/say.json" <<'PY' || fail "a run that says it has no GIL"
import json, sys
r = json.load(open(sys.argv[1]))
c = [x for x in r["runs"] if x["name"] == "cpython"][0]
m = c["metrics"]
assert m["gil_enabled"] == 0, m
assert "gil_held_pct" not in m and "switches_per_s" not in m, m
one = [e for e in r["expectations"] if "cpython.avg_cores_busy <= 1.1" in e["text"]][0]
assert one["held"] is None and "does not apply to this run" in one["why"], one
PY
grep -q 'class="held"' "$T/say.svg" && fail "a lane for a run that said it has no GIL"

FT=
for c in ${CONCLAB_FT_PYTHON:-} python3.14t python3.13t; do
	p=$(command -v "$c" 2>/dev/null) || continue
	if "$p" -c 'import sys, sysconfig
sys.exit(0 if sysconfig.get_config_var("Py_GIL_DISABLED") else 1)' 2>/dev/null; then
		FT=$p
		break
	fi
done
if [ -z "$FT" ]; then
	echo "no free-threaded CPython on this machine (CONCLAB_FT_PYTHON=PATH, or python3.13t"
	echo "in PATH, names one): the live test is skipped; check_proctrace's replay of a"
	echo "recorded free-threaded run tests the same path"
	echo "ok (skipped: no free-threaded CPython)"
	exit 0
fi
echo "free-threaded CPython: $FT"

D=500
# The run and its figures: cores busy and the share of time with threads at
# once are what other programs' load takes away: timing(), measured again on
# a miss (retry_timing); the rest is asserted.
measure_ft() {
	"$B" run gil --headless --format json --only cpython --set duration_ms=$D \
	    --set cpython.interpreter="$FT" --svg "$T/ft.svg" --trace "$T/ft.trace.json" \
	    >"$T/ft.json" || fail "gil cpython with $FT"
	py "$T" "$(nproc)" <<'PY'
import json, sys
d, ncpu = sys.argv[1], int(sys.argv[2])
def run(f):
    r = json.load(open(d + "/" + f))
    return r, [x for x in r["runs"] if x["name"] == "cpython"][0]
r, ft = run("ft.json")
m = ft["metrics"]
assert not ft["skipped"] and m["gil_enabled"] == 0, m
# no lock to hold or hand off: no GIL figures; how long threads ran at once
assert "gil_held_pct" not in m and "switches_per_s" not in m, m
assert "parallel_pct" in m, m
py = [t for t in ft["tasks_detail"] if t["name"].startswith("py-")]
assert len(py) == 3, ft["tasks_detail"]
for t in py:
    assert t["lock_s"] <= 0.2 * (t["end_s"] - t["start_s"]), t    # nobody waits for a GIL
if ncpu >= 2 and r["noise"]["warning"] is None:
    # at once on the cores (other programs' load would take them)
    timing(ft["avg_cores_busy"] >= 1.3, ("cores busy", ft["avg_cores_busy"]))
    timing(m["parallel_pct"] >= 20, ("parallel %", m["parallel_pct"]))
ex = {e["text"]: e for e in r["expectations"]}
one = [e for t, e in ex.items() if "cpython.avg_cores_busy <= 1.1" in t][0]
assert one["held"] is None and "does not apply to this run" in one["why"], one
free = [e for t, e in ex.items() if "gil_enabled == 0" in t][0]
if ncpu >= 2:
    assert free["held"] is not None, free
fid = [f for f in r["fidelity"] if f["figure"].startswith("new GIL")]
assert fid and all(f["real"] is None and f["real_without_gil"] for f in fid), fid
ch = json.load(open(d + "/ft.trace.json"))
ev = ch["traceEvents"] if isinstance(ch, dict) else ch
assert not [e for e in ev if e.get("name") in ("held", "free")], "a GIL lane in the trace"
print("free-threaded: %.2f cores busy, parallel %s %%; steal %s %%" % (ft["avg_cores_busy"],
      m["parallel_pct"], r["noise"]["steal_pct"]))
PY
}
retry_timing "free-threaded" measure_ft
"$B" run gil --headless --only cpython --set duration_ms=$D \
    --set cpython.interpreter="$FT" >"$T/ft.txt" || fail "gil cpython with $FT (text)"
grep -q 'class="held"' "$T/ft.svg" && fail "the SVG draws a GIL lane"
grep -q "<svg" "$T/ft.svg" || fail "no SVG written"
tr '\n' ' ' <"$T/ft.txt" | grep -q "free-threaded" ||
	fail "the lesson does not say the interpreter is free-threaded"
tr '\n' ' ' <"$T/ft.txt" | grep -q "one thread at a time was on a core" &&
	fail "the lesson claims a GIL for a free-threaded interpreter"

# the lab's own script, traced as any program: three threads computing fib
"$B" trace --headless --format json --svg "$T/tr.svg" -- "$FT" "$LABS/py/gil.py" \
    --duration_ms $D >"$T/trace.json" || fail "trace $FT"
python3 - "$T" "$(nproc)" <<'PY' || fail "trace of free-threaded fib threads"
import json, sys
d, ncpu = sys.argv[1], int(sys.argv[2])
r = json.load(open(d + "/trace.json"))
busy = sum(t["run_s"] for t in r["threads"]) / r["wall_s"]
fib = [t for t in r["threads"] if t["name"].startswith("py-")]
assert len(fib) == 3, r["threads"]
for t in fib:
    assert t["lock_s"] <= 0.2 * t["life_s"], t
assert not r["gil_lane"], r                        # no lock was ever inferred
if ncpu >= 2 and busy >= 1.5:          # several at once, long: said so
    assert r["threads_at_once"], (busy, r)
PY
grep -q 'class="held"' "$T/tr.svg" && fail "conclab trace drew a GIL lane"

# The lab screen: the run's three threads, and no GIL row under them.
mkdir -p "$T/state"
new_pane 100 30
$X send-keys -t t "env NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T/state \
LANG=C.UTF-8 LC_ALL= $B run gil --ascii --only cpython --predict 2 --set duration_ms=300 \
--set cpython.interpreter=$FT" Enter
wait_for "ready: press Enter" 10 || fail "the gil lab did not open"
$X send-keys -t t Enter
wait_for "1 of 5 runs finished" 120 || fail "the cpython run did not finish on screen"
[ "$(grep -Ec '^py-[123] ' "$T/screen")" = 3 ] || fail "the run's three threads are not on screen"
grep -q '^GIL ' "$T/screen" && fail "the lab screen drew a GIL lane for $FT"
$X send-keys -t t q
echo ok
