#!/bin/sh
# The dashboard's settings change the parsed lab, checked by the executors'
# parameter tables, without reading the lab file again: the file is deleted
# once the lab is open, then + raises the task count (the run shows the new
# task), and a value one run's table refuses (interleave allows 7 tasks) is
# refused with the table's range, leaving the count as it was.  The panel
# (c) opens on its first line and names what Right changed.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup settings
mkdir -p "$T/labs" "$T/state"
cat >"$T/labs/settings.lab" <<'EOF'
[lab]
id = settings
title = settings change the parsed lab
[run sleepers]
executor = threads
tasks = 5
work = sleep
duration_ms = 2000
[run printers]
executor = interleave
tasks = 3
count = 1
sleep_ms = 10
EOF
ENVS="NO_COLOR= CONCLAB_LABS=$T/labs XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T/state LANG=C.UTF-8 LC_ALL="
new_pane 80 24
$X send-keys -t t "env $ENVS $B --ascii settings; echo rc=\$? >$T/rc; clear" Enter
wait_for "tasks 5 " 5 || fail "the lab screen shows no 'tasks 5'"
rm "$T/labs/settings.lab"
$X send-keys -t t +
wait_for "tasks 6 " 3 || fail "+ did not raise the task count without the file"
$X send-keys -t t Enter
wait_for "^thread-6 " 10 || fail "the run has no sixth task"
wait_for "finished" 40 || fail "the run did not finish"
$X send-keys -t t +
wait_for "tasks 7 " 3 || fail "+ did not raise the task count to 7"
$X send-keys -t t +
wait_for "outside the allowed 1..7" 3 || fail "8 tasks accepted for interleave"
# the message takes the settings' line for 3 s; then the count is back
wait_for "tasks 7 " 6 || fail "a refused value changed the count"
$X send-keys -t t -
wait_for "tasks 6 " 3 || fail "- did not lower the task count"
# walk 5 F8: the panel opens on its first line, Down visits each line down
# the screen (cpus two lines below), and a parameter's change is named
$X send-keys -t t c
wait_for "^>tasks per run" 3 || fail "the settings panel did not open on its first line"
$X send-keys -t t Down Down
wait_for "^>cpus " 3 || fail "Down Down from the first line did not reach cpus"
$X send-keys -t t Down Down Down Right
wait_for "sleepers.work = .* for this run only" 3 || fail "Right on sleepers.work: not named"
$X send-keys -t t Left Escape
wait_for "l lesson" 3 || fail "Esc did not go back from the settings"
$X send-keys -t t q
n=0
while [ ! -s "$T/rc" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "rc=0" "$T/rc" 2>/dev/null || fail "exit status $(cat "$T/rc" 2>/dev/null)"
echo ok
