#!/bin/sh
# The dashboard in tmux at 80x24: the menu lists every lab; Enter on
# sleep-vs-fib runs it (run glyphs for fib tasks, io glyphs for sleep tasks,
# core bars), the explanation shows measured wall times; q restores the
# terminal (termios, alternate screen, cursor) and leaves no process.
# NO_COLOR=1 gives a screen without colour escapes.  c opens the settings
# screen and Esc returns from it.
# Beside another script: it checks screens and keys, no timing; the
# processes it checks are its own (own_binary).
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup dash
need pgrep
own_binary
ENVS="NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T LANG=C.UTF-8 LC_ALL="

# start ARGS...: a shell in tmux records stty, runs conclab, records stty again
start() {
	new_pane 80 24
	$X send-keys -t t "stty -g >$T/before; env $ENVS $* $B $ARGS; echo rc=\$? >$T/rc; stty -g >$T/after; clear" Enter
}
# check_restored: termios, alternate screen, cursor, no process left
check_restored() {
	n=0
	while [ ! -s "$T/after" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	[ -s "$T/after" ] || fail "conclab did not exit"
	cmp -s "$T/before" "$T/after" || fail "termios changed: $(cat "$T/before") vs $(cat "$T/after")"
	[ "$($X display -p -t t '#{alternate_on}')" = 0 ] || fail "alternate screen still on"
	[ "$($X display -p -t t '#{cursor_flag}')" = 1 ] || fail "cursor hidden"
	pgrep -f "^$B" >/dev/null && fail "a conclab process is left: $(pgrep -af "^$B")"
	rm -f "$T/before" "$T/after"
}

# 1. The menu lists every lab.
ARGS="--ascii"
start ""
wait_for "pick one" 5 || fail "no menu"
for id in $(CONCLAB_LABS=$LABS "$B" list | awk '{print $1}'); do
	# (waited for: under load the menu was read while still being drawn,
	# "pick one" on screen and the list only up to pool)
	wait_for " $id " 5 || fail "menu lacks $id"
done
# 2. Down to sleep-vs-fib, Enter opens it, Enter runs it.
pos=$(CONCLAB_LABS=$LABS "$B" list | awk '{print $1}' | grep -n '^sleep-vs-fib$' | cut -d: -f1)
[ -n "$pos" ] || fail "sleep-vs-fib not listed"
i=1
while [ $i -lt "$pos" ]; do $X send-keys -t t Down; i=$((i + 1)); done
sleep 0.3
$X send-keys -t t Enter
# the question, not the menu (which names sleep-vs-fib too, and draws no legend)
wait_for "Predict first" 5 || fail "lab screen did not open"
wait_for "legend:" 3 || fail "no legend"
grep -q "q quit" "$T/screen" || fail "no key line"
$X send-keys -t t Enter
# Within 3 s of the first run glyph: fib tasks show run (#), cores show load.
wait_for "^task-1 .*#" 5 || fail "no run glyphs for the fib tasks"
# (at 80x24 the cores are rows on the timeline's axis: a busy cell is one of
# the shade glyphs above the empty '_')
wait_for "^cpu[0-9][0-9]* .*[,;ioO@#]" 3 || fail "cores show no load"
wait_for "^thread-1 .*~" 20 || fail "no io glyphs for the sleep tasks"
wait_for "l lesson" 40 || fail "no lesson key after the run"
grep -Eq "showed the lesson|did not show|not judged" "$T/screen" || fail "no verdict after the run"
# the lesson opens in the reader (l) and closes again (l)
$X send-keys -t t l
wait_for "what happened" 3 || fail "l did not open the lesson reader"
# the explanation's measured times, paging down when a long verdict (a busy
# machine) pushed them below the first page
i=0
until tr '\n' ' ' <"$T/screen" | grep -Eq "took [0-9]+\.[0-9]+ s"; do
	i=$((i + 1))
	[ $i -le 10 ] || fail "explanation without measured times"
	$X send-keys -t t PgDn
	sleep 0.3
	snap
done
$X send-keys -t t l
wait_for "l lesson" 3 || fail "l did not close the reader"
# 3. Help opens and closes; Esc goes back to the menu; q quits.
$X send-keys -t t "?"
wait_for "Task states" 3 || fail "no help overlay"
$X send-keys -t t x
# 4. c opens the settings screen (each run's parameters with defaults);
#    + changes the task count there; Esc goes back to the lab.
$X send-keys -t t c
wait_for "run / parameter" 3 || fail "no settings screen"
wait_for "duration_ms" 3 || fail "settings lack the parameters"
tasks0=$(awk '/^[ >]tasks per run/ {print $4}' "$T/screen")
$X send-keys -t t +
sleep 0.3
snap
tasks1=$(awk '/^[ >]tasks per run/ {print $4}' "$T/screen")
[ "$tasks1" = $((tasks0 + 1)) ] || fail "+ on the settings screen: tasks $tasks0 -> $tasks1"
$X send-keys -t t Escape
wait_for "l lesson" 3 || fail "Esc did not go back from the settings"
$X send-keys -t t Escape
wait_for "pick one" 3 || fail "Esc did not return to the menu"
$X send-keys -t t q
check_restored
grep -q "rc=0" "$T/rc" || fail "exit status $(cat "$T/rc")"

# 4. NO_COLOR: no colour escapes, states still readable; colours otherwise.
ARGS="run sleep-vs-fib"
start "NO_COLOR=1"
wait_for "legend:" 5 || fail "no lab screen with NO_COLOR"
$X capture-pane -e -p -t t >"$T/esc"
grep -Eq '\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m' "$T/esc" && fail "colour escapes with NO_COLOR"
grep -q "run" "$T/screen" || fail "legend unreadable"
$X send-keys -t t q
check_restored
start ""
wait_for "legend:" 5 || fail "no lab screen"
$X capture-pane -e -p -t t >"$T/esc"
grep -Eq '\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m' "$T/esc" || fail "no colours without NO_COLOR"
$X send-keys -t t q
check_restored
echo "ok"
