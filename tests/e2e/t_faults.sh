#!/bin/sh
# Faults a classroom meets: standard output closed or the disk full while the
# report or an export is written (a clear message and a failure status, never
# a silent loss); the server's port already taken; /proc unreadable (the
# samplers say n/a, the labs still run); a lab file deleted while the menu is
# open (a message, the menu stays, q still restores the terminal).
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup faults
need python3
SRV=
at_exit() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; }
export CONCLAB_LABS="$LABS" XDG_STATE_HOME="$T" XDG_CONFIG_HOME="$T"
RUN="run sleep-vs-fib --headless --no-progress --set duration_ms=40"

# Standard output closed: refused before the run, exit 2.
"$B" $RUN >&- 2>"$T/err"
st=$?
[ $st = 2 ] || fail "stdout closed: exit $st, want 2"
grep -q "standard output is closed" "$T/err" || fail "stdout closed: no message"

# A full disk under the report, and under each export: exit 1, said.
if [ -w /dev/full ]; then
	"$B" $RUN >/dev/full 2>"$T/err"
	st=$?
	[ $st = 1 ] || fail "report to a full disk: exit $st, want 1"
	grep -q "cannot write the report.*No space" "$T/err" || fail "full disk: no message"
	"$B" $RUN --trace /dev/full --csv /dev/full --svg /dev/full >"$T/out" 2>"$T/err"
	st=$?
	[ $st = 1 ] || fail "exports to a full disk: exit $st, want 1"
	[ "$(grep -c "cannot write /dev/full" "$T/err")" = 3 ] || fail "exports: not every failure said"
	grep -q "what this shows" "$T/out" || fail "the report was lost with the exports"
fi

# The port already in use: a message that says what to do, exit 1.
"$B" serve --port 0 >"$T/srv" 2>/dev/null &
SRV=$!
i=0
while [ ! -s "$T/srv" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(awk '/^port/ {print $2}' "$T/srv")
[ -n "$PORT" ] || fail "serve printed no port"
"$B" serve --port "$PORT" >/dev/null 2>"$T/err"
st=$?
[ $st = 1 ] || fail "port in use: exit $st, want 1"
grep -q "Address already in use.*--port 0" "$T/err" || fail "port in use: unclear message"
kill "$SRV"
wait "$SRV" 2>/dev/null
SRV=

# /proc unreadable: an empty /proc in a private mount namespace (root only).
# The AddressSanitizer runtime itself needs /proc (it reads its options from
# /proc/self/environ and LeakSanitizer walks /proc/PID/task), so the check runs
# in the plain build only.
case "${CONCLAB_SANITIZER:-}" in
*address*) echo "skip /proc unreadable under AddressSanitizer: its runtime needs /proc" ;;
*) false ;;
esac ||
if unshare -m sh -c 'mount -t tmpfs none /proc' 2>/dev/null; then
	unshare -m sh -c 'mount -t tmpfs none /proc && exec "$0" '"$RUN"' --format json' \
	    "$B" >"$T/json" 2>"$T/err" || fail "a lab with /proc unreadable failed"
	python3 - "$T/json" <<'PY' || fail "report with /proc unreadable"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["noise"]["steal_pct"] is None and r["noise"]["other_load_pct"] is None, r["noise"]
for run in r["runs"]:
    assert run["wall_s"] > 0, run
    for t in run["tasks_detail"]:
        assert t["ready_s"] is None, t
# fib still computed: three 40 ms tasks' CPU time is measured without /proc
# (cores busy, CPU over wall, is not bounded: other programs stretch the wall)
fib = [x for x in r["runs"] if x["name"] == "fib-threads"][0]
assert fib["cpu_s"] > 0.5 * 3 * 0.040 and fib["avg_cores_busy"] > 0, fib
PY
	unshare -m sh -c 'mount -t tmpfs none /proc && exec "$0" '"$RUN" "$B" \
	    >"$T/text" 2>"$T/err" || fail "text report with /proc unreadable"
	grep -q "noise: n/a" "$T/text" || fail "text report: noise not n/a"
	grep -Eq "thread-1 .* n/a " "$T/text" || fail "text report: ready not n/a"
else
	echo "skip /proc unreadable: cannot unshare a mount namespace here"
fi

# A lab file deleted while the menu is open.
cp -r "$LABS" "$T/labs"
$X -f /dev/null new-session -d -x 80 -y 24 -s t "sh" || fail "tmux"
$X send-keys -t t "CONCLAB_LABS=$T/labs LANG=C.UTF-8 $B; echo rc=\$? >$T/rc" Enter
i=0
until $X capture-pane -p -t t | grep -q "sleep-vs-fib"; do
	sleep 0.1; i=$((i + 1)); [ $i -lt 100 ] || fail "no menu"
done
rm "$T/labs/sleep-vs-fib.lab"
$X send-keys -t t Enter
# (polled: a fixed second was not always enough on a busy machine)
i=0
until $X capture-pane -p -t t >"$T/screen" && grep -q "sleep-vs-fib.lab: No such file" "$T/screen"; do
	sleep 0.1; i=$((i + 1)); [ $i -lt 100 ] || fail "deleted lab: no message in 10 s"
done
grep -q "Up/Down" "$T/screen" || fail "deleted lab: the menu is gone"
$X send-keys -t t q
i=0
while [ ! -s "$T/rc" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "rc=0" "$T/rc" || fail "menu quit: $(cat "$T/rc" 2>/dev/null)"
echo "ok: closed stdout, full disk, port in use, /proc unreadable, deleted lab"
