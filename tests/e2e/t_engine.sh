#!/bin/sh
# The engine end to end: headless sleep-vs-fib, --set/--cpus/--only, and the
# errors that must exit 2 at once with a clear message.
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3

# exit status and message of a command that must fail fast with status 2
must2() {
	want=$1; shift
	start=$(date +%s)
	"$@" >"$T/out" 2>&1; st=$?
	[ "$st" = 2 ] || fail "$* exited $st (want 2): $(cat "$T/out")"
	grep -q -- "$want" "$T/out" || fail "$*: message lacks '$want': $(cat "$T/out")"
	[ $(( $(date +%s) - start )) -le 2 ] || fail "$* was not immediate"
}

"$B" --version | grep -q '^conclab 0\.1\.0$' || fail "--version"
"$B" --help | grep -q 'run LAB' || fail "--help"
"$B" list | grep -q '^sleep-vs-fib ' || fail "list"
"$B" check labs/sleep-vs-fib.lab | grep -q ok || fail "check good"
# the README's example lab is a valid lab a teacher can copy
sed -n '/^```ini$/,/^```$/p' "$(dirname "$0")/../../README.md" | sed '1d;$d' >"$T/readme.lab"
[ -s "$T/readme.lab" ] || fail "no example lab in the README"
# saved as ID.lab, as a lab is found by its file name
rid=$(sed -n 's/^id *= *//p' "$T/readme.lab" | head -1)
mv "$T/readme.lab" "$T/$rid.lab"
"$B" check "$T/$rid.lab" >"$T/out" 2>&1 || fail "README's example lab: $(cat "$T/out")"

must2 "no run of lab sleep-vs-fib has a parameter 'nosuchkey'" "$B" run sleep-vs-fib --headless --set nosuchkey=1
must2 "whole number" "$B" run sleep-vs-fib --headless --set tasks=abc
must2 "1..256" "$B" run sleep-vs-fib --headless --set tasks=100000
must2 "no such CPU here: 7" "$B" run sleep-vs-fib --headless --cpus 7
# a CPU the machine has but the affinity leaves out (walk 6 G17)
if [ "$(nproc --all)" -ge 2 ] && command -v taskset >/dev/null; then
	must2 "CPU 0 is outside this process's CPU affinity (it may use 1" \
	    taskset -c 1 "$B" run sleep-vs-fib --headless --cpus 0
fi
must2 "bad CPU list" "$B" run sleep-vs-fib --headless --cpus 0-
must2 "labs: " "$B" run no-such-lab --headless
must2 "sleep-vs-fib" "$B" run no-such-lab --headless
must2 "unknown option" "$B" run sleep-vs-fib --bogus
must2 "has no run 'zz'" "$B" run sleep-vs-fib --headless --only zz
must2 "bad_executor.lab:5: unknown executor" "$B" check tests/fixtures/labs/bad_executor.lab
must2 "bad_number.lab:6:" "$B" run tests/fixtures/labs/bad_number.lab --headless
must2 "bad_key.lab:7: unknown key 'colour'" "$B" check tests/fixtures/labs/bad_key.lab
must2 "missing 'id'" "$B" check tests/fixtures/labs/bad_missing.lab
must2 "needs a terminal" "$B" </dev/null

# labs are found beside the binary, not in the current directory
(cd "$T" && CONCLAB_LABS= "$B" list | grep -q sleep-vs-fib) || fail "labs not found from another directory"

D=400
# Under a sanitizer the code runs several times slower and unevenly, so the
# timing ratios are checked only in plain builds.
TIMED=1; [ -n "${CONCLAB_SANITIZER:-}" ] && TIMED=0
# measure_all, measure_one: a run and the check of its figures; a timing miss (exit 3) is
# measured again by retry_timing, a wrong result of any other kind is not.
measure_all() {
	"$B" run sleep-vs-fib --headless --format json --set duration_ms=$D >"$T/all.json" ||
	    fail "all run"
	py "$T/all.json" $D $TIMED <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); D = int(sys.argv[2]) / 1000
if sys.argv[3] == "0" or r["noise"]["warning"]:
    # A sanitizer, or other programs keeping the CPUs busy (the report says
    # so), distorts wall times: check only what does not depend on them.
    assert all(t["state"] == "done" for x in r["runs"] for t in x["tasks_detail"])
    print("timing not checked:", r["noise"]["warning"] or "sanitized build"); sys.exit(0)
runs = {x["name"]: x for x in r["runs"]}
cores = r["cores"]; N = 3
assert r["schema_version"] == 1 and r["lab"] == "sleep-vs-fib"
s = runs["sleep-threads"]; f = runs["fib-threads"]; ser = runs["serial-fib"]
print("sleep %.3f s, fib-threads %.3f s (%.2f cores busy), serial %.3f s; steal %s %%"
      % (s["wall_s"], f["wall_s"], f["avg_cores_busy"], ser["wall_s"], r["noise"]["steal_pct"]))
timing(0.95 * D <= s["wall_s"] <= 1.25 * D, ("sleep", s["wall_s"]))
timing(0.75 * N * D <= ser["wall_s"] <= 1.3 * N * D, ("serial", ser["wall_s"]))
ideal = N * D / min(N, cores)
# 1.6 still fails a serial run (2 x ideal on two cores, 3 x on more)
timing(0.7 * ideal <= f["wall_s"] <= 1.6 * ideal, ("fib-threads", f["wall_s"], ideal))
if cores >= 2:
    timing(f["avg_cores_busy"] >= 1.5, f["avg_cores_busy"])
    timing(f["wall_s"] < 0.8 * ser["wall_s"], (f["wall_s"], ser["wall_s"]))
for t in f["tasks_detail"] + ser["tasks_detail"]:
    timing(0.6 * D <= t["cpu_s"] <= 1.5 * D, t)
    assert t["state"] == "done" and t["cpus"]
assert "explanation" in r and "n/a" not in r["explanation"].split("fib-gil")[0]
PY
}
retry_timing "sleep-vs-fib" measure_all

# one core: concurrency without parallelism
measure_one() {
	"$B" run sleep-vs-fib --headless --format json --cpus 0 --only fib-threads \
	    --set duration_ms=$D >"$T/one.json" || fail "one-core run"
	py "$T/one.json" $D $TIMED <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); D = int(sys.argv[2]) / 1000
if sys.argv[3] == "0" or r["noise"]["warning"]:
    assert r["cpus"] == [0]; sys.exit(0)
assert r["cores"] == 1 and r["cpus"] == [0], r["cpus"]
f = r["runs"][0]
assert len(r["runs"]) == 1 and f["name"] == "fib-threads"
print("one core: %.3f s, %.2f cores busy, ready %s; steal %s %%" % (f["wall_s"],
      f["avg_cores_busy"], [round(t["ready_s"], 3) for t in f["tasks_detail"]],
      r["noise"]["steal_pct"]))
timing(f["avg_cores_busy"] <= 1.05, f["avg_cores_busy"])
timing(0.75 * 3 * D <= f["wall_s"] <= 1.35 * 3 * D, f["wall_s"])
for t in f["tasks_detail"]:
    assert t["cpus"] == [0], t
    timing(t["ready_s"] > 0.1 * D, t)   # time-sliced: each waited for the core
PY
}
retry_timing "one core" measure_one

# --set changes what the report says
"$B" run sleep-vs-fib --headless --format json --only sleep-threads --set tasks=8 --set duration_ms=50 >"$T/set.json" || fail "--set run"
python3 -c "
import json,sys; r=json.load(open('$T/set.json')); x=r['runs'][0]
assert x['tasks']==8 and len(x['tasks_detail'])==8 and x['params']['duration_ms']==50, x['params']
" || fail "--set tasks=8"
"$B" run sleep-vs-fib --headless --format json --only fib-threads --set fib-threads.tasks=4 --set duration_ms=50 >"$T/set2.json" || fail "--set RUN.KEY"
python3 -c "
import json; r=json.load(open('$T/set2.json')); assert r['runs'][0]['tasks']==4
" || fail "--set fib-threads.tasks=4"

# text report is readable
"$B" run sleep-vs-fib --headless --only sleep-threads --set duration_ms=50 >"$T/text" || fail "text run"
grep -q "what this shows:" "$T/text" || fail "text report"
grep -q "sleep-threads" "$T/text" || fail "text report rows"
echo ok
