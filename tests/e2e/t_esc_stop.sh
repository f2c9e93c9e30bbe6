#!/bin/sh
# Esc during a run (the key line says "Esc stop") stops the run and stays on
# the lab screen: the bands drawn so far, "N of M runs finished, 1 stopped",
# and e exports what ran; the processes the run had (forked workers, real
# CPython) are gone; a second Esc goes to the menu (walk 5 F9: the first Esc
# went to the menu and the partial run could not be looked at).
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup escstop
need pgrep python3
mkdir -p "$T/out"
ENVS="NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T LANG=C.UTF-8 LC_ALL="

at_exit() {
	[ -s "$T/pid" ] && kill -KILL "$(cat "$T/pid")" 2>/dev/null
	for p in $(cat "$T/kids" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
}

# descendants PID: every process below PID (children, their children...)
descendants() {
	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}

# stop_and_stay WHAT KIDS PATTERN ROW ARGS...: conclab run ARGS in an 80x24
# pane; Enter; once KIDS processes run below it whose command line matches
# PATTERN and the screen has a task row starting ROW, Esc: the lab screen stays with the stopped run, no process is
# left below conclab, e exports, and Esc again shows the menu.
stop_and_stay() {
	what=$1; kids=$2; pat=$3; row=$4; shift 4
	rm -f "$T/pid" "$T/kids"
	new_pane 80 24
	$X send-keys -t t "cd $T/out && sh -c 'echo \$\$ >$T/pid; exec env $ENVS $B --ascii run $*'" Enter
	wait_for "legend:" 10 || fail "$what: no lab screen"
	pid=$(cat "$T/pid")
	$X send-keys -t t Enter
	# up to 40 s: under ASan at a load of 12 the screen still showed the
	# question after 15 s (1 of 3 runs) -- the start finds python3 through
	# pyenv's shim (0.5 s of CPU for its helpers here) and calibrates first
	n=0; while [ "$(descendants "$pid" | xargs -r ps -o args= -p 2>/dev/null |
	    grep -c -- "$pat")" -lt "$kids" ] && [ $n -lt 400 ]; do
		sleep 0.1; n=$((n + 1)); done
	descendants "$pid" >"$T/kids"
	[ "$(xargs -r ps -o args= -p <"$T/kids" | grep -c -- "$pat")" -ge "$kids" ] ||
	    fail "$what: the run's $kids processes ($pat) did not start"
	wait_for "^$row" 10 || fail "$what: no task row '$row' while running"
	wait_for "Esc stop" 5 || fail "$what: the key line has no 'Esc stop' while running"
	$X send-keys -t t Escape
	wait_for "stopped: e exports" 5 || fail "$what: Esc did not say the run stopped"
	grep -q "l lesson  Enter again" "$T/screen" && ! grep -q "labs done" "$T/screen" ||
	    fail "$what: Esc left the lab screen"
	wait_for "runs finished, 1 stopped" 12 || fail "$what: no 'N of M runs finished, 1 stopped'"
	sleep 0.5
	for k in $(cat "$T/kids"); do
		kill -0 "$k" 2>/dev/null && fail "$what: process $k ($(ps -o args= -p "$k")) outlived the stop"
	done
	[ -z "$(descendants "$pid")" ] || fail "$what: processes left below conclab: $(descendants "$pid")"
	$X send-keys -t t e
	wait_for "wrote conclab-" 10 || fail "$what: e did not export the stopped run"
	ls "$T"/out/conclab-*.report.json >/dev/null 2>&1 || fail "$what: no report written"
	grep -q '"stopped": *true' "$T"/out/conclab-*.report.json ||
	    fail "$what: the report does not say the lab was stopped"
	rm -f "$T"/out/conclab-*
	$X send-keys -t t Escape
	wait_for "labs done" 5 || fail "$what: the second Esc did not go to the menu"
	$X send-keys -t t q
	rm -f "$T/pid"
}

stop_and_stay "pool processes" 4 "conclab" "proc-4 " pool --only long-processes --set work=sleep \
    --set duration_ms=30000
stop_and_stay "real CPython" 1 "python" "py-1 " sleep-vs-fib --only cpython-sleep --set duration_ms=30000
echo ok
