#!/bin/sh
# conclab trace --headless --format json: standard output holds only the
# JSON report even when the traced program prints (its output goes to
# standard error), and without --format json the program's output stays
# on standard output.  Checks no timing.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup python3

cat >"$T/talk.py" <<'PY'
import sys, threading
def work():
    print("from a thread")
t = threading.Thread(target=work)
t.start(); t.join()
print("done")
print("to stderr", file=sys.stderr)
PY
"$B" trace --headless --format json -- python3 "$T/talk.py" >"$T/out.json" 2>"$T/err.txt" ||
    fail "trace --format json exited $?"
py "$T/out.json" "$T/err.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["exit_status"] == 0, r
err = open(sys.argv[2]).read()
for line in ("from a thread", "done", "to stderr"):
    assert line in err, (line, err)
PY
[ $? = 0 ] || fail "the JSON report is not alone on standard output: $(head -3 "$T/out.json")"

"$B" trace --headless -- python3 "$T/talk.py" >"$T/out.txt" 2>"$T/err2.txt" ||
    fail "trace (text) exited $?"
grep -q '^done$' "$T/out.txt" || fail "text report: the program's output left standard output"
grep -q 'to stderr' "$T/err2.txt" || fail "text report: the program's stderr moved"
echo ok
