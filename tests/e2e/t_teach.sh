#!/bin/sh
# Teaching mode in tmux at 80x24.
# 1. A fresh user (empty XDG_STATE_HOME) opens sleep-vs-fib: the question is
#    asked first, the student presses 2, the run reveals "You said 2 ... --
#    right. Measured: ..." with numbers; the progress file records it; the
#    menu shows the lab done and suggests the next; a restart still shows it.
#    --no-progress leaves no file.
# 2. Presenter pause on the gil lab: for 3 s the tasks' CPU grows by less
#    than 1 % of the pause (schedstat of every thread but the dashboard's),
#    the timeline is still, and p resumes; a marker, focus mode and export.
# 3. Pausing the pool run stops its worker processes (state T).
# Beside another script: the pause is checked in the CPU time of its own
# conclab's threads (other programs' load does not add to it), the rest on
# its own screens and files.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup teach
need pgrep python3
mkdir -p "$T/state" "$T/exp" "$T/none"
ENVS="NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T/state LANG=C.UTF-8 LC_ALL="

# start ENV ARGS...: conclab in a tmux shell (in $T/exp), rc recorded at exit
start() {
	env_extra=$1; shift
	rm -f "$T/rc"
	new_pane 80 24
	$X send-keys -t t "cd $T/exp && env $ENVS $env_extra $B $*; echo rc=\$? >$T/rc; clear" Enter
}
stop() {
	$X send-keys -t t q
	n=0
	while [ ! -s "$T/rc" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	grep -q "rc=0" "$T/rc" 2>/dev/null || fail "exit status $(cat "$T/rc" 2>/dev/null)"
}
# The conclab process in the pane.
conclab_pid() {
	pgrep -P "$($X display -p -t t '#{pane_pid}')" | head -n 1
}
# CPU ns of every thread of $1 but the main one (the dashboard's frame loop).
task_cpu() {
	t=0
	for d in /proc/"$1"/task/*; do
		[ "${d##*/}" = "$1" ] && continue
		v=$(cut -d' ' -f1 "$d/schedstat" 2>/dev/null)
		t=$((t + ${v:-0}))
	done
	echo "$t"
}

# 1. Predict, then reveal.
start "" "run sleep-vs-fib --ascii --set duration_ms=200"
wait_for "Predict first" 5 || fail "the question was not asked first"
wait_for "2) Sleepers about 200 ms" 5 || fail "no numbered choices following --set"
[ -e "$T/state/conclab/progress" ] && fail "progress file before any run"
$X send-keys -t t 2
# the strip: the prediction judged on the answer (made for the settings the
# question showed), and whether the run showed the lesson
wait_for "You said 2 -- " 60 || fail "no verdict after the run"
wait_for "You said 2 -- right" 3 || fail "the strip does not say right"
# the reveal opens in the reader (l)
$X send-keys -t t l
wait_for "what happened" 3 || fail "l did not open the lesson"
tr '\n' ' ' <"$T/screen" | grep -q "You said 2 (Sleepers" || fail "the reveal does not say the answer"
tr '\n' ' ' <"$T/screen" | grep -Eq "Measured: serial-fib [0-9][0-9.]* m?s" ||
    fail "the reveal has no measured numbers"
$X send-keys -t t l
grep -q "^sleep-vs-fib done 2 right" "$T/state/conclab/progress" ||
    fail "progress not recorded: $(cat "$T/state/conclab/progress" 2>/dev/null)"
$X send-keys -t t Escape
wait_for "pick one" 5 || fail "Esc did not go back to the menu"
wait_for "sleep-vs-fib .*done, predicted right" 5 || fail "menu does not mark the lab done"
grep -Eq "1 of [0-9]+ labs done; .*next: " "$T/screen" || fail "menu suggests no next lab"
stop
start "" "--ascii"
wait_for "pick one" 5 || fail "no menu after restart"
wait_for "sleep-vs-fib .*done, predicted right" 5 || fail "progress lost on restart"
stop
# --no-progress leaves no file.
start "XDG_STATE_HOME=$T/none" "run sleep-vs-fib --ascii --no-progress --set duration_ms=100"
wait_for "Predict first" 5 || fail "no question (no-progress)"
$X send-keys -t t s
wait_for "You skipped the prediction" 60 || fail "skip not said"
stop
[ -z "$(ls -A "$T/none")" ] || fail "--no-progress left files: $(ls -R "$T/none")"

# 2. Pause the gil run for 3 s.
start "" "run gil --ascii --only gil --predict 2 --set duration_ms=3000"
wait_for "ready: press Enter" 5 || fail "--predict did not skip the question"
wait_for "<- your" 3 || fail "--predict not shown as the answer"
grep -q "switch 5.0 ms" "$T/screen" || fail "no switch interval on screen"
$X send-keys -t t Enter
wait_for "running gil  1\." 20 || fail "the gil run did not start"
pid=$(conclab_pid)
[ -n "$pid" ] || fail "no conclab pid"
$X send-keys -t t p
wait_for "PAUSED" 3 || fail "no PAUSED"
sleep 0.3
snap; sed -n 2,8p "$T/screen" >"$T/still1"
c0=$(task_cpu "$pid")
sleep 3
c1=$(task_cpu "$pid")
snap; sed -n 2,8p "$T/screen" >"$T/still2"
used=$((c1 - c0))
pct=$(awk "BEGIN { printf \"%.2f\", $used / 3e9 * 100 }")
echo "pause 3 s: tasks used $((used / 1000)) us CPU = $pct % of the pause"
[ "$used" -lt 30000000 ] || fail "tasks used $used ns CPU in a 3 s pause (>= 1 %)"
cmp -s "$T/still1" "$T/still2" || { diff "$T/still1" "$T/still2"; fail "the timeline moved while paused"; }
$X send-keys -t t m
wait_for "#1" 3 || fail "no marker #1"
$X send-keys -t t p
sleep 1.5
c2=$(task_cpu "$pid")
[ $((c2 - c1)) -gt 30000000 ] || fail "the run did not resume (cpu +$((c2 - c1)) ns)"
$X send-keys -t t f
wait_for "PAUSED\|running gil" 2
snap
grep -q "wall s" "$T/screen" && fail "focus mode still shows the numbers"
$X send-keys -t t f
wait_for "finished" 60 || fail "the gil run did not finish"
# The pause is left out of the times: one core busy, not cpu / (work + pause).
busy=$(grep -Eo "^gil .*, [0-9]+\.[0-9]+ cores busy" "$T/screen" | awk '{print $(NF-2)}')
[ -n "$busy" ] || fail "no numbers for the gil run"
$X send-keys -t t e
wait_for "wrote conclab-gil-" 5 || fail "export not confirmed"
ls "$T"/exp/conclab-gil-*.json "$T"/exp/conclab-gil-*.csv "$T"/exp/conclab-gil-*.svg \
    >/dev/null 2>&1 || fail "export files missing: $(ls "$T/exp")"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T"/exp/conclab-gil-*[0-9].json ||
    fail "the exported trace is not JSON"
# Cores busy is the CPU over the wall without the pause (exact, whatever the
# load): the screen's figure is the report's, the report's is cpu_s / wall_s,
# and the pause (3 s) is in paused_s, not in wall_s.
why=$(python3 - "$busy" "$T"/exp/conclab-gil-*.report.json <<'PY'
import json, sys
busy = float(sys.argv[1])
r = [r for r in json.load(open(sys.argv[2]))["runs"] if r["name"] == "gil"][0]
if r["paused_s"] < 2.5:
    print("paused_s %.2f for a 3 s pause" % r["paused_s"])
elif abs(r["avg_cores_busy"] - r["cpu_s"] / r["wall_s"]) > 0.01:
    print("avg_cores_busy %.3f, cpu_s / wall_s %.3f" % (r["avg_cores_busy"], r["cpu_s"] / r["wall_s"]))
elif abs(busy - r["avg_cores_busy"]) > 0.01:
    print("the screen says %.2f cores busy, the report %.3f" % (busy, r["avg_cores_busy"]))
PY
)
[ -z "$why" ] || fail "cores busy after a 3 s pause: $why (the pause was counted?)"
stop

# 3. Pausing a pool run stops the worker processes.
start "" "run pool --ascii --only long-pool --predict 2"
wait_for "ready: press Enter" 5 || fail "pool lab did not open"
$X send-keys -t t Enter
wait_for "running long-pool" 20 || fail "pool run did not start"
sleep 0.5
$X send-keys -t t p
wait_for "PAUSED" 3 || fail "no PAUSED (pool)"
sleep 0.3
pid=$(conclab_pid)
kids=$(pgrep -P "$pid" | tr '\n' ' ')
[ -n "$kids" ] || fail "no worker processes"
for k in $kids; do
	st=$(ps -o stat= -p "$k" | cut -c1)
	[ "$st" = T ] || fail "worker $k is '$st', not stopped"
done
$X send-keys -t t p
sleep 0.3
for k in $kids; do
	st=$(ps -o stat= -p "$k" 2>/dev/null | cut -c1)
	[ "$st" != T ] || fail "worker $k still stopped after resume"
done
stop
echo "ok"
