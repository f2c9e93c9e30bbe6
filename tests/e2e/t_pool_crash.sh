#!/bin/sh
# A worker that dies -- injected (crash_task, SIGKILL and SIGSEGV) or killed
# from outside -- is a failed task with its signal; the pool replaces it and
# the other tasks complete.  Same for the processes executor.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3 pgrep timeout
bg=
at_exit() { [ -n "$bg" ] && kill -9 "$bg" 2>/dev/null; }

check() { # file run task signal
	python3 - "$@" <<'PY' || fail "$1: $2 should fail task $3 with signal $4"
import json, sys
f, run, task, sig = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
r = json.load(open(f))
x = [x for x in r["runs"] if x["name"] == run][0]
m = x["metrics"]
failed = m["failed"]
assert len(failed) == 1, failed
assert failed[0]["signal"] == sig, failed
if task != "?":
    assert failed[0]["task"] == task, failed
rows = {t["name"]: t for t in x["tasks_detail"]}
bad = rows[failed[0]["task"]]
assert bad["state"] == "failed", bad
others = [t for n, t in rows.items() if n != failed[0]["task"]]
assert len(others) == 3 and all(t["state"] == "done" for t in others), others
if x["executor"] == "pool":
    assert m["workers"] == r["cores"], m
    assert m["replaced"] == 1, m
PY
}

J="--headless --format json --set duration_ms=300"
timeout 60 "$B" run pool $J --only long-pool --set crash_task=2 >"$T/a.json" || fail "crash kill run"
check "$T/a.json" long-pool task-2 9
timeout 60 "$B" run pool $J --only long-pool --set crash_task=3 --set crash_signal=segv \
	>"$T/b.json" || fail "crash segv run"
check "$T/b.json" long-pool task-3 11
# the text report says it in words, not JSON (walk 6 G17)
timeout 60 "$B" run pool --headless --set duration_ms=300 --only long-pool --set crash_task=2 \
	>"$T/a.txt" || fail "crash kill run, text"
grep -Eq '^ +failed +task-2 \(SIGKILL\)$' "$T/a.txt" ||
	fail "text report's failed line: $(grep failed "$T/a.txt")"
timeout 60 "$B" run pool $J --only long-processes --set crash_task=4 >"$T/c.json" ||
	fail "processes crash run"
check "$T/c.json" long-processes proc-4 9

# Killed from outside: kill -9 a worker mid-run.
"$B" run pool --headless --format json --only long-pool \
	--set duration_ms=1500 >"$T/d.json" 2>"$T/d.err" &
bg=$!
i=0; w=
while [ $i -lt 100 ]; do
	w=$(pgrep -P $bg -x conclab-worker | head -n 1)
	[ -n "$w" ] && break
	sleep 0.05; i=$((i + 1))
done
[ -n "$w" ] || fail "no worker appeared"
sleep 0.5
kill -9 "$w"
wait $bg || fail "run with a killed worker exited $?: $(cat "$T/d.err")"
bg=
check "$T/d.json" long-pool "?" 9
echo "ok"
