#!/bin/sh
# A terminal without cursor addressing (TERM=dumb): conclab LAB and conclab
# run LAB print the headless report after one line saying why, the menu
# prints the labs after it; nothing curses would draw reaches the terminal.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup dumb
new_pane 100 50
# the report goes to the terminal (a tty, so not headless by itself)
$X send-keys -t t "cd $T && clear && TERM=dumb CONCLAB_LABS=$LABS $B run join --set duration_ms=100 2>err; echo rc=\$? >rc" Enter
n=0
while [ ! -s "$T/rc" ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "rc=0" "$T/rc" || fail "run join under TERM=dumb: $(cat "$T/rc" 2>/dev/null)"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "not one line on stderr: $(cat "$T/err")"
grep -q "TERM=dumb cannot place the cursor.*printing the lab's report instead" "$T/err" ||
    fail "no reason given: $(cat "$T/err")"
# the whole report, scrollback included (it is longer than the pane)
$X capture-pane -p -S - -t t >"$T/screen"
grep -q "lab join" "$T/screen" || fail "no report on the terminal"
grep -q "showed the lesson\|did not show\|not judged" "$T/screen" || fail "the report has no verdict"
$X capture-pane -e -p -t t >"$T/esc"
LC_ALL=C grep -q "$(printf '\033')\[?1049" "$T/esc" && fail "the alternate screen was used"
[ "$($X display -p -t t '#{alternate_on}')" = 0 ] || fail "left in the alternate screen"
rm -f "$T/rc"
$X send-keys -t t "clear && TERM=dumb CONCLAB_LABS=$LABS $B 2>merr; echo rc=\$? >rc" Enter
n=0
while [ ! -s "$T/rc" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "rc=0" "$T/rc" || fail "menu under TERM=dumb: $(cat "$T/rc" 2>/dev/null)"
snap
grep -q "^sleep-vs-fib " "$T/screen" || fail "the labs were not listed"
grep -q "TERM=dumb" "$T/merr" || fail "the menu gave no reason"
echo ok
