#!/bin/sh
# conclab trace's live screen in tmux: the program's threads on the
# timeline, the cores and the legend while it runs; q stops tracing, the
# command gets SIGINT and is waited for, the terminal is as it was and the
# table follows with what the command printed meanwhile.
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
new_pane 100 30
$X send-keys -t t "stty -g >$T/stty0; LANG=C.UTF-8 $B trace -- python3 $T/long.py; echo rc=\$? >$T/rc; stty -g >$T/stty1" Enter
wait_for "conclab trace  python3" 10 || fail "no live screen"
wait_for "python3-2 " 10 || fail "the threads are not on the timeline"
grep -q "GIL " "$T/screen" || fail "no GIL lane"
grep -q "cpu0 " "$T/screen" || fail "no cores"
grep -q "legend:" "$T/screen" || fail "no legend"
$X send-keys -t t q
i=0; while [ ! -s "$T/rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/rc" ] || fail "q did not stop tracing"
grep -q "rc=0" "$T/rc" || fail "exit $(cat "$T/rc")"
snap
grep -q "killed by signal 2" "$T/screen" || fail "the command did not get SIGINT"
grep -q "^started" "$T/screen" || fail "the command's output was lost"
cmp -s "$T/stty0" "$T/stty1" || fail "terminal settings changed"
[ "$($X display -p -t t '#{alternate_on}')" = 0 ] || fail "alternate screen left on"
echo ok
