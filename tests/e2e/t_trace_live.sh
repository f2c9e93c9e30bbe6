#!/bin/sh
# conclab trace's live screen in tmux: the program's threads on the
# timeline, the cores and the legend while it runs; q stops tracing, the
# command gets SIGINT and is waited for, the terminal is as it was and the
# table follows with what the command printed meanwhile.  A program that
# ends leaves its last picture on screen, with how it ended, until q; e
# exports there; two Ctrl-C end a Python program that waits for its
# threads, and conclab says SIGINT ended it (never SIGKILL) and exits 130.
# Beside another script: screens, signals and exit statuses of its own
# traced program, no timing.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup trace-live
need python3
cat >"$T/long.py" <<'PY'
import threading, time
def fib(n):
    return 1 if n <= 2 else fib(n - 1) + fib(n - 2)
def work():
    t0 = time.time()
    while time.time() - t0 < 20:
        fib(20)
print("started")
ts = [threading.Thread(target=work, daemon=True) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
PY
# wait_threads N SECONDS: the live screen's title (two spaces after
# "trace": the table a run before left says "conclab trace: python3", and
# " 3 threads" too) and N rows of the command's pid: Python runs the script
# (pyenv's shim and its bash helpers came first, "3 threads" among them).
# Sets pid.
wait_threads() {
	n=0
	while [ $n -lt $(($2 * 10)) ]; do
		snap
		pid=$(sed -n 's/.*conclab trace  python3 (pid \([0-9]*\)).*/\1/p' "$T/screen" |
		    head -1)
		[ -n "$pid" ] && [ "$(grep -c "^[^ ].* $pid " "$T/screen")" -ge "$1" ] && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}

new_pane 100 30
$X send-keys -t t "stty -g >$T/stty0; LANG=C.UTF-8 $B trace -- python3 $T/long.py; echo rc=\$? >$T/rc; stty -g >$T/stty1" Enter
wait_for "conclab trace  python3" 10 || fail "no live screen"
wait_threads 3 15 || fail "the threads are not on the timeline"
sleep 0.5; snap
grep -q " 3 threads" "$T/screen" || fail "the title does not count 3 threads"
# pyenv's shims start bash helpers: their rows are left out, the title says so
grep "^bash [0-9]" "$T/screen" | grep -qv " $pid " && fail "a helper process's row is shown"
wait_for "^GIL" 10 || fail "no GIL lane"
wait_for "cpu0 " 3 || fail "no cores"
wait_for "legend:" 3 || fail "no legend"
$X send-keys -t t q
i=0; while [ ! -s "$T/rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/rc" ] || fail "q did not stop tracing"
grep -q "rc=130" "$T/rc" || fail "exit $(cat "$T/rc"), not the command's 130"
snap
grep -q "ended by SIGINT (signal 2)" "$T/screen" || fail "the command did not get SIGINT"
# the whole pane with what scrolled off its top (a long traceback and the
# table can push the first line out of the 30 rows)
$X capture-pane -p -S -300 -t t >"$T/all"
grep -q "^started" "$T/all" || fail "the command's output was lost"
cmp -s "$T/stty0" "$T/stty1" || fail "terminal settings changed"
[ "$($X display -p -t t '#{alternate_on}')" = 0 ] || fail "alternate screen left on"

# A program that ends: the last picture stays until q.
cat >"$T/short.py" <<'PY'
import threading, time
def work():
    t0 = time.time()
    while time.time() - t0 < 0.8:
        pass
ts = [threading.Thread(target=work) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
PY
rm -f "$T/rc"
$X send-keys -t t "clear; cd $T && LANG=C.UTF-8 $B trace -- python3 $T/short.py; echo rc=\$? >$T/rc" Enter
wait_for "the command exited with status 0; the last picture stays until q" 20 ||
    fail "no last picture with how the program ended"
sleep 1.5
snap
# the rows of the command's threads (named after its comm, python3 or, seen
# before pyenv's shim exec'd, bash) carry its pid
pid=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$T/screen" | head -1)
[ -n "$pid" ] || fail "no pid in the title"
[ "$(grep -c "^[^ ].* $pid " "$T/screen")" -ge 3 ] || fail "the threads left the last picture"
grep -q "e export  ? help  q quit" "$T/screen" || fail "the keys after the end"
grep -q "paused\|mark\|failed" "$T/screen" && fail "the legend names what trace never draws"
[ -s "$T/rc" ] && fail "the screen closed by itself"
$X send-keys -t t e
# the message names the directory (exports land where conclab was started)
wait_for "wrote conclab-trace-[0-9]*.json .csv .svg in $T" 5 || fail "e did not export"
ls "$T"/conclab-trace-*.svg >/dev/null 2>&1 || fail "no SVG in the current directory"
$X send-keys -t t q
i=0; while [ ! -s "$T/rc" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "rc=0" "$T/rc" || fail "after the end, q: exit $(cat "$T/rc" 2>/dev/null)"

# Two Ctrl-C: Python's main thread gets KeyboardInterrupt at the first and
# waits for its threads; the second ends it.  SIGINT is named, not SIGKILL.
cat >"$T/joins.py" <<'PY'
import threading, time
def work():
    t0 = time.time()
    while time.time() - t0 < 30:
        time.sleep(0.01)
print("started", flush=True)
ts = [threading.Thread(target=work) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
PY
rm -f "$T/rc"
$X send-keys -t t "clear; LANG=C.UTF-8 $B trace -- python3 $T/joins.py; echo rc=\$? >$T/rc" Enter
# Not " 3 threads" alone: the table of the run before says so too, and a
# Ctrl-C sent on it reached the shell before conclab started (CI: rc never
# written), or pyenv's shim, which let Python start and wait (exit 137).
wait_threads 3 15 || fail "no threads for the Ctrl-C test"
$X send-keys -t t C-c
sleep 1
$X send-keys -t t C-c
i=0; while [ ! -s "$T/rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
snap
grep -q "rc=130" "$T/rc" || fail "two Ctrl-C: exit $(cat "$T/rc" 2>/dev/null), not 130"
grep -q "ended by SIGINT" "$T/screen" || fail "two Ctrl-C: SIGINT not named"
grep -q "SIGKILL\|signal 9" "$T/screen" && fail "two Ctrl-C: SIGKILL named"
echo ok
