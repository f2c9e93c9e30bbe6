#!/bin/sh
# Verdicts that check the measurement: sleep-vs-fib pinned to one core
# cannot show computing threads in parallel -- the JSON has that
# expectation held=false and the text report's first lines say which part
# did not show and that one core is the likely cause; --only leaves what
# needs the other runs not judged (held null).
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3

# --predict is checked against the lab's own choices (gil has 3), in one message
for p in 9 5 abc; do
	"$B" run gil --headless --predict $p >"$T/p.out" 2>&1
	[ $? = 2 ] || fail "--predict $p: exit status not 2"
	grep -q -- "--predict must be a choice 1..3" "$T/p.out" || fail "--predict $p: $(cat "$T/p.out")"
done
# every command is in --help
"$B" --help >"$T/help" 2>&1
for c in list run check show trace progress serve load; do
	grep -q "conclab .*$c" "$T/help" || fail "--help does not list $c"
done

# (run.sh counts this skip as a failure: the check needs two CPUs)
[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ] || { echo "skip: one CPU"; exit 0; }
# 200 ms tasks: the parallel expectation applies from 100 ms (and 2 tasks)
"$B" run sleep-vs-fib --cpus 0 --headless --format json --set duration_ms=200 \
    >"$T/one.json" || fail "json run"
"$B" run sleep-vs-fib --cpus 0 --headless --set duration_ms=200 >"$T/one.txt" ||
    fail "text run"
"$B" run sleep-vs-fib --only fib-gil --headless --format json --set duration_ms=200 \
    >"$T/only.json" || fail "--only run"

python3 - "$T" <<'PY' || fail "expectations"
import json, sys
t = sys.argv[1]
d = json.load(open(t + "/one.json"))
assert 1 <= len(d["headline"]) <= 3, d["headline"]
par = [e for e in d["expectations"] if "fib-threads.avg_cores_busy >= " in e["text"]]
assert par and par[0]["held"] is False, d["expectations"]
assert "one core" in d["likely_cause"], d["likely_cause"]
o = json.load(open(t + "/only.json"))
held = {e["text"]: e["held"] for e in o["expectations"]}
assert held["fib-gil.avg_cores_busy <= 1.2"] is not None, held
assert held["sleep-threads.wall_s < 0.6 * serial-fib.wall_s"] is None, held
assert len(o["headline"]) < len(d["headline"]), o["headline"]   # about runs left out
PY
# The first lines: title, headlines, then the verdict naming the part and the
# cause, all before the machine line and the tables.  (Up to that line, not a
# count of lines: on a busy machine the headlines and the verdict grow longer
# -- more parts not shown, other load named -- and pushed the cause below
# the 16 lines this read before.)
sed '/^machine: /q' "$T/one.txt" | tr '\n' ' ' >"$T/head"
grep -q "^conclab .* machine: " "$T/head" || fail "no machine line in the text report: $(cat "$T/one.txt")"
grep -q "did not show all of the lesson" "$T/head" || fail "no verdict up front: $(cat "$T/head")"
grep -q "Not shown: .*computing threads ran in parallel on the cores" "$T/head" ||
    fail "the failed part is not named: $(cat "$T/head")"
grep -q "one core" "$T/head" || fail "one core not given as the cause: $(cat "$T/head")"
echo ok
