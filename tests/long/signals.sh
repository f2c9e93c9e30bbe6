#!/bin/sh
# Signal trials: SIGINT, SIGTERM, SIGHUP or SIGQUIT at a random moment of a random lab,
# in the dashboard (inside tmux) or headless; after each, the terminal must be
# as it was (stty -g, tmux #{alternate_on} 0, #{cursor_flag} 1) and no conclab
# process or zombie may remain.  Then SIGKILL trials: no process may remain.
# Usage: tests/long/signals.sh BIN [TRIALS] [KILL_TRIALS]
set -u
TRIALS=${2:-200}; KILLS=${3:-50}
S=conclab-sig-$$
T=$(mktemp -d)
# on a signal too (timeout, Ctrl-C): no tmux session or conclab left behind
trap 'tmux kill-session -t $S 2>/dev/null; pkill -9 -f "^$T/conclab-sig " 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# A private copy of the binary: leftovers and zombies are counted by its
# path and name, so tests or a dashboard running meanwhile are not counted
# (nor killed).  Labs are found through CONCLAB_LABS.
[ -n "${CONCLAB_LABS:-}" ] || { echo "set CONCLAB_LABS"; exit 2; }
cp "${1:?binary}" "$T/conclab-sig" || exit 2
B=$T/conclab-sig
labs=$("$B" list | awk '{print $1}')
nlabs=$(echo "$labs" | wc -l)
pass=0; fail=0; kpass=0; kfail=0
n_int=0; n_term=0; n_hup=0; n_quit=0; n_dash=0; n_head=0

rand() { echo $(( $(od -An -N4 -tu4 /dev/urandom) % $1 )); }
pick_lab() { echo "$labs" | sed -n "$(( $(rand "$nlabs") + 1 ))p"; }
# conclab processes started by this script (the binary path is unique enough)
leftovers() { pgrep -f "^$B " | grep -v "^$$\$" || true; }
# zombies of conclab's that nobody reaps (orphans of PID 1, or of a dead conclab)
# PID 1 of a container may never reap, so count only zombies that appeared
# during this trial, and only ours: in this script's process group (headless
# runs and their workers) or the tmux pane's session (the dashboard's) --
# workers of other programs' conclab runs are also named conclab-worker.
zlist() {
	ps -eo pid,stat,ppid,pgid,sid,comm | awk -v pg="$MYPGID" -v sid="$PANESID" \
	    '$2 ~ /^Z/ && $3 == 1 && ($4 == pg || $5 == sid) &&
	     ($6 == "conclab-sig" || $6 == "conclab-worker") {print $1}' | sort
}
MYPGID=$(ps -o pgid= -p $$ | tr -d ' ')
zombies() { zlist > "$T/z.after"; comm -13 "$T/z.before" "$T/z.after" | wc -l; }
wait_gone() {
	i=0
	while [ -n "$(leftovers)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -z "$(leftovers)" ]
}

# new_pane: a fresh tmux session with a shell (again after a failure: a
# conclab killed by the script's SIGKILL leaves the terminal in cbreak with
# Enter no longer a newline, and every later trial in it would fail)
new_pane() {
	tmux kill-session -t $S 2>/dev/null
	tmux new-session -d -s $S -x 100 -y 30 "sh"
	sleep 0.3
	PANESID=$(tmux display -p -t $S '#{pane_pid}')
	tmux send-keys -t $S "stty -g > $T/stty.before" Enter
	sleep 0.3
}
new_pane

trial() { # $1 = signal name, $2 = mode (dash|headless)
	zlist > "$T/z.before"
	lab=$(pick_lab); delay=$(awk -v r="$(rand 2500)" 'BEGIN{print r/1000}')
	if [ "$2" = dash ]; then
		rm -f "$T/rc"
		tmux send-keys -t $S "clear; $B run $lab; echo \$? > $T/rc; stty -g > $T/stty.after" Enter
		# the oldest match is conclab itself, not one of its worker processes;
		# on a loaded machine the shell may take a while to start it
		i=0; pid=
		while [ -z "$pid" ] && [ $i -lt 100 ]; do
			pid=$(pgrep -o -f "^$B run $lab") || sleep 0.05
			i=$((i + 1))
		done
		[ -n "$pid" ] || { echo "FAIL: $1 dash $lab: conclab did not start"; return 1; }
		sleep 0.4
		tmux send-keys -t $S Enter		# start the runs
		sleep "$delay"
		kill -s "$1" "$pid"
		wait_gone || { echo "FAIL: $1 dash $lab after ${delay}s: process left: $(leftovers)"; return 1; }
		i=0; while [ ! -s "$T/stty.after" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		# tmux reads the pane's output on its own time: a loaded machine may
		# show the restore a moment after the shell has moved on
		i=0
		while :; do
			alt=$(tmux display -p -t $S '#{alternate_on}'); cur=$(tmux display -p -t $S '#{cursor_flag}')
			[ "$alt" = 0 ] && [ "$cur" = 1 ] && break
			[ $i -lt 30 ] || { echo "FAIL: $1 dash $lab after ${delay}s: alternate_on=$alt cursor_flag=$cur exit=$(cat "$T/rc" 2>/dev/null) stty.after:$([ -s "$T/stty.after" ] && echo yes || echo no)"; return 1; }
			sleep 0.1; i=$((i + 1))
		done
		cmp -s "$T/stty.before" "$T/stty.after" || { echo "FAIL: $1 dash $lab: termios changed"; return 1; }
		rm -f "$T/stty.after"
	else
		"$B" run "$lab" --headless --no-progress >/dev/null 2>&1 &
		pid=$!
		sleep "$delay"
		kill -s "$1" "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		wait_gone || { echo "FAIL: $1 headless $lab after ${delay}s: process left: $(leftovers)"; pkill -9 -f "^$B " ; return 1; }
	fi
	[ "$(zombies)" = 0 ] || { echo "FAIL: $1 $2 $lab: zombie left"; return 1; }
	return 0
}

# (trial and wait_gone use i: the loops count with their own names)
tno=0
while [ $tno -lt "$TRIALS" ]; do
	case $(rand 4) in 0) sig=INT;; 1) sig=TERM;; 2) sig=HUP;; *) sig=QUIT;; esac
	case $(rand 2) in 0) mode=dash;; *) mode=headless;; esac
	case $sig in INT) n_int=$((n_int + 1));; TERM) n_term=$((n_term + 1));;
	HUP) n_hup=$((n_hup + 1));; *) n_quit=$((n_quit + 1));; esac
	[ $mode = dash ] && n_dash=$((n_dash + 1)) || n_head=$((n_head + 1))
	if trial $sig $mode; then pass=$((pass + 1)); else
		fail=$((fail + 1)); pkill -9 -f "^$B " 2>/dev/null; [ $mode = dash ] && new_pane; fi
	tno=$((tno + 1))
	[ $((tno % 25)) = 0 ] && echo "$(date +%T) $tno trials: $pass passed, $fail failed"
done
kno=0
while [ $kno -lt "$KILLS" ]; do
	lab=$(pick_lab)
	"$B" run "$lab" --headless --no-progress >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v r="$(rand 2000)" 'BEGIN{print r/1000}')"
	kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	sleep 1
	if [ -z "$(leftovers)" ]; then kpass=$((kpass + 1)); else
		kfail=$((kfail + 1)); echo "FAIL: SIGKILL $lab: left $(leftovers)"; pkill -9 -f "^$B "; fi
	kno=$((kno + 1))
done
echo "signal trials ($n_int SIGINT, $n_term SIGTERM, $n_hup SIGHUP, $n_quit SIGQUIT; $n_dash dashboard, $n_head headless): $pass passed, $fail failed"
echo "SIGKILL trials: $kpass passed, $kfail failed"
[ "$fail" = 0 ] && [ "$kfail" = 0 ]
