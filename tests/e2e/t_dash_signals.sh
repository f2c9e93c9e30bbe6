#!/bin/sh
# The dashboard in tmux: resizing 200x50 -> 80x24 -> 60x20 (size message)
# -> back while a lab runs never crashes; Ctrl-C and SIGTERM in the middle
# of a run restore the terminal and leave no process; SIGHUP too, and
# SIGQUIT, sent by kill or by its key Ctrl-\ (exit 131); Ctrl-\ on conclab
# trace's live screen too.
# Beside another script: screens, signals and exit statuses, no timing;
# the processes it checks are its own (own_binary).
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup dashsig
need pgrep
own_binary
ENVS="NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T LANG=C.UTF-8 LC_ALL="

start() {
	rm -f "$T/before" "$T/after" "$T/rc" "$T/pid"
	new_pane "$1" "$2"
	$X send-keys -t t "stty -g >$T/before; sh -c 'echo \$\$ >$T/pid; exec env $ENVS $B --ascii run sleep-vs-fib --set duration_ms=2000'; echo rc=\$? >$T/rc; stty -g >$T/after; clear" Enter
}
check_restored() {
	n=0
	while [ ! -s "$T/after" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	[ -s "$T/after" ] || fail "conclab did not exit"
	cmp -s "$T/before" "$T/after" || fail "termios changed"
	[ "$($X display -p -t t '#{alternate_on}')" = 0 ] || fail "alternate screen still on"
	[ "$($X display -p -t t '#{cursor_flag}')" = 1 ] || fail "cursor hidden"
	sleep 0.3
	pgrep -f "^$B" >/dev/null && fail "a conclab process is left: $(pgrep -af "^$B")"
	return 0
}

# 1. Resize while a run is in progress.
start 200 50
wait_for "legend:" 5 || fail "no lab screen at 200x50"
$X send-keys -t t Enter
wait_for "^task-1 .*#" 10 || fail "run did not start"
for size in "80 24" "60 20" "200 50" "60 20" "80 24"; do
	set -- $size
	$X resize-window -t t -x "$1" -y "$2"
	sleep 0.5
	snap
	if [ "$1" = 60 ]; then
		grep -q "at least 80x24" "$T/screen" || fail "no size message at 60x20"
		grep -q "60x20" "$T/screen" || fail "size message lacks the size there is"
	else
		grep -q "legend:" "$T/screen" || fail "no legend at ${1}x$2"
	fi
	kill -0 "$(cat "$T/pid")" 2>/dev/null || fail "conclab died at ${1}x$2"
done
wait_for "legend:" 3 || fail "screen not redrawn at 80x24"
$X send-keys -t t q
check_restored
grep -q "rc=0" "$T/rc" || fail "q: exit status $(cat "$T/rc")"

# 2. Ctrl-C in the middle of a run.
start 80 24
wait_for "legend:" 5 || fail "no lab screen"
$X send-keys -t t Enter
wait_for "^task-1 .*#" 10 || fail "run did not start"
$X send-keys -t t C-c
check_restored
grep -q "rc=130" "$T/rc" || fail "Ctrl-C: exit status $(cat "$T/rc")"

# 3. SIGTERM in the middle of a run.
start 80 24
wait_for "legend:" 5 || fail "no lab screen"
$X send-keys -t t Enter
wait_for "^task-1 .*#" 10 || fail "run did not start"
kill -TERM "$(cat "$T/pid")"
check_restored
grep -q "rc=143" "$T/rc" || fail "SIGTERM: exit status $(cat "$T/rc")"

# 4. SIGHUP (the terminal went away) in the middle of a run.
start 80 24
wait_for "legend:" 5 || fail "no lab screen"
$X send-keys -t t Enter
wait_for "^task-1 .*#" 10 || fail "run did not start"
kill -HUP "$(cat "$T/pid")"
check_restored
grep -q "rc=129" "$T/rc" || fail "SIGHUP: exit status $(cat "$T/rc")"

# 5. SIGQUIT in the middle of a run, then its key Ctrl-\ (cbreak leaves
#    keyboard signals on): like SIGTERM, the terminal restored, exit 131.
for how in kill key; do
	start 80 24
	wait_for "legend:" 5 || fail "no lab screen"
	$X send-keys -t t Enter
	wait_for "^task-1 .*#" 10 || fail "run did not start"
	if [ $how = kill ]; then kill -QUIT "$(cat "$T/pid")"; else $X send-keys -t t 'C-\'; fi
	check_restored
	grep -q "rc=131" "$T/rc" || fail "SIGQUIT ($how): exit status $(cat "$T/rc")"
done

# 6. conclab trace's live screen: Ctrl-\ reaches conclab and the traced
#    command; the terminal is restored and nothing is left.
rm -f "$T/before" "$T/after" "$T/rc"
new_pane 80 24
$X send-keys -t t "stty -g >$T/before; env $ENVS $B trace -- sleep 30; echo rc=\$? >$T/rc; stty -g >$T/after; clear" Enter
# (not "conclab trace": the command line typed into the pane says that)
wait_for "sleep (pid" 5 || fail "no trace screen"
$X send-keys -t t 'C-\'
check_restored
echo ok
