#!/bin/sh
# Runs not made (--only) in words, never "n/a": the gil lab with --only gil,
# headless and in tmux at 80x24.  The headlines about threads and gil-old
# are left out with one line saying so; no figure reads "n/a".  A lab run
# with --only is not marked done in the progress file; the whole lab is.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup only
ENVS="NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T/state LANG=C.UTF-8 LC_ALL="
NOTE="3 headlines left out: runs threads, gil-old, cpython did not run (--only)"

env $ENVS "$B" --no-progress run gil --only gil --headless --set duration_ms=100 \
    >"$T/out" 2>"$T/err" || fail "headless run failed"
tr '\n' ' ' <"$T/out" | tr -s ' ' | grep -qF "($NOTE)" || fail "headless: no note: $(head -5 "$T/out")"
# the opening (headlines, verdict) and the lesson: no "n/a" for a figure
sed -n '1,/^machine:/p; /^what this shows/,/^expectations/p' "$T/out" | grep -q "n/a" &&
    fail "headless: n/a in the text: $(grep n/a "$T/out")"
# walk6 G8: a run of one of the lab's runs does not mark the lab done
env $ENVS "$B" run join --only broken --headless --set duration_ms=50 >/dev/null 2>&1 ||
    fail "headless --only join failed"
grep -q "^join done" "$T/state/conclab/progress" 2>/dev/null &&
    fail "--only marked join done: $(cat "$T/state/conclab/progress")"
env $ENVS "$B" run join --headless --set duration_ms=50 >/dev/null 2>&1 ||
    fail "headless join failed"
grep -q "^join done" "$T/state/conclab/progress" 2>/dev/null ||
    fail "the whole lab did not mark join done: $(cat "$T/state/conclab/progress" 2>/dev/null)"

new_pane 80 24
$X send-keys -t t "env $ENVS $B --no-progress run gil --only gil --set duration_ms=100; echo rc=\$? >$T/rc" Enter
wait_for "press the number" 10 || fail "no question asked"
$X send-keys -t t 2
wait_for "l lesson  Enter again" 120 || fail "the gil run did not finish"
snap
tr '\n' ' ' <"$T/screen" | tr -s ' ' | grep -qF "($NOTE)" || fail "screen: no note"
grep -q "n/a" "$T/screen" && fail "screen: n/a"
grep -q "not judged (--only: some runs not made)" "$T/screen" || fail "screen: prediction"
$X send-keys -t t q
n=0
while [ ! -s "$T/rc" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "rc=0" "$T/rc" || fail "exit $(cat "$T/rc" 2>/dev/null)"
echo ok
