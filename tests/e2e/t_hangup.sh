#!/bin/sh
# The terminal goes away (tmux kill-server, a closed window) while conclab
# is not the session leader, so no SIGHUP reaches it -- as under `make run`,
# a shell script or ssh -t.  The pane's shell ignores SIGHUP to outlive the
# terminal and write conclab's exit status.  conclab must see the hang-up on
# its terminal (EOF, POLLHUP) and act as on SIGHUP: stop the run, reap its
# workers and real CPython, exit 129 -- on the menu (where it used to spin a
# core on poll/read forever), on a lab screen mid-run (where it used to
# finish the lab in the background) and on conclab trace's live screen.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup hangup
need pgrep python3
ENVS="NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T LANG=C.UTF-8 LC_ALL="

at_exit() {
	[ -s "$T/pid" ] && kill -KILL "$(cat "$T/pid")" 2>/dev/null
	for p in $(cat "$T/kids" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
}

# start ARGS...: conclab ARGS in a new 80x24 pane whose shell ignores SIGHUP;
# $T/pid is conclab's pid (the inner sh execs it), $T/rc its exit status.
start() {
	rm -f "$T/pid" "$T/rc" "$T/kids"
	$X kill-server 2>/dev/null
	sleep 0.3
	$X -f /dev/null new-session -d -x 80 -y 24 -s t \
	    "trap '' HUP; sh -c 'echo \$\$ >$T/pid; exec env $ENVS $B --ascii $*'; echo rc=\$? >$T/rc" ||
	    fail "tmux"
	n=0; while [ ! -s "$T/pid" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	[ -s "$T/pid" ] || fail "conclab did not start"
	pid=$(cat "$T/pid")
}

# descendants PID: every process below PID (children, their children...)
descendants() {
	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}

# hang_up WHAT: kill the tmux server (the terminal's master side closes);
# conclab and every process it had below it must be gone within 5 s, and
# its exit status 129 as for SIGHUP.
hang_up() {
	descendants "$pid" >"$T/kids"
	$X kill-server
	n=0; while kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	if kill -0 "$pid" 2>/dev/null; then
		cpu=$(ps -o pcpu= -p "$pid")
		fail "$1: conclab ($pid) still runs 5 s after its terminal went away (${cpu}% CPU)"
	fi
	sleep 0.3
	for k in $(cat "$T/kids"); do
		kill -0 "$k" 2>/dev/null &&
		    fail "$1: process $k ($(ps -o args= -p "$k")) outlived conclab"
	done
	n=0; while [ ! -s "$T/rc" ] && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
	grep -q "rc=129" "$T/rc" || fail "$1: exit status $(cat "$T/rc" 2>/dev/null), not 129"
	rm -f "$T/pid"
}

# 1. On the menu, nothing running.
start
wait_for "sleep-vs-fib" 10 || fail "no menu"
hang_up "menu"

# 2. On a lab screen in the middle of a run of forked worker processes.
start run pool --only long-processes --set work=sleep --set duration_ms=30000
wait_for "legend:" 10 || fail "no lab screen"
$X send-keys -t t Enter
n=0; while [ "$(pgrep -P "$pid" | wc -l)" -lt 4 ] && [ $n -lt 100 ]; do
	sleep 0.1; n=$((n + 1)); done
[ "$(pgrep -P "$pid" | wc -l)" -ge 4 ] || fail "the pool run's 4 processes did not start"
hang_up "processes run"

# 3. On a lab screen in the middle of a run of real CPython.
start run sleep-vs-fib --only cpython-sleep --set duration_ms=30000
wait_for "legend:" 10 || fail "no lab screen (python)"
$X send-keys -t t Enter
n=0; while ! pgrep -f "gil.py" -P "$pid" >/dev/null && [ $n -lt 100 ]; do
	sleep 0.1; n=$((n + 1)); done
pgrep -P "$pid" >/dev/null || fail "python3 did not start"
sleep 0.5
hang_up "python run"

# 4. conclab trace's live screen: the traced command is stopped too.
start trace -- sleep 40
wait_for "sleep (pid" 10 || fail "no trace screen"
hang_up "trace"
echo ok
