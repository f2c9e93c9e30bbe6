#!/bin/sh
# The lesson at a glance, at 80x24: every lab is run to its end in tmux with
# a prediction, then e exports the report; every headline line of the
# exported report JSON is on the final screen in full (the strip wraps
# words, never cuts them), and the strip says whether the run showed the
# lesson.  Labs run at a small size where they have one, and from a copy of
# the labs with rounds = 1 (the screen is checked, not the fidelity figures
# that the convoy and server labs measure in three rounds: t_gil.sh checks
# the rounds).  It checks words, never a time or a share of a core (either
# verdict passes), and each lab picks its own ports: it runs beside another
# script (run.sh), 57-63 s that ran alone.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup headlines
need python3
mkdir -p "$T/exp"
labs_rounds1
ENVS="NO_COLOR= CONCLAB_LABS=$LABS1 XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T/state LANG=C.UTF-8 LC_ALL="

# small: the --set options that make a lab quick (every key must exist)
small() {
	case $1 in
	sleep-vs-fib|gil|pool|join) echo "--set duration_ms=200" ;;
	convoy) echo "--set duration_ms=300" ;;
	race) echo "--set increments=200000" ;;
	coroutines) echo "--set step_ms=2 --set blocking.block_ms=200" ;;
	event-loop) echo "--set conns=200 --set hold_ms=100" ;;
	interleave) echo "--set count=3 --set sleep_ms=50" ;;
	server) echo "--set alone_ms=300 --set contended_ms=400 --set threads.pingpong_ms=200 --set cpython.duration_ms=400" ;;
	*) echo "" ;;
	esac
}

# Every lab file is run: a list that came back short (or empty, from a
# binary that found no labs) must fail, not pass having checked nothing.
labs=$(env $ENVS "$B" list | awk '{print $1}')
want=$(ls "$LABS"/*.lab | wc -l)
got=$(echo "$labs" | grep -c .)
[ "$want" -ge 1 ] && [ "$got" -eq "$want" ] ||
	fail "conclab list gave $got labs, $LABS has $want lab files"
checked=0
for lab in $labs; do
	rm -f "$T/exp"/*.report.json "$T/rc"
	t0=$(date +%s)
	new_pane 80 24
	$X send-keys -t t "cd $T/exp && env $ENVS $B --no-progress run $lab --ascii $(small "$lab"); echo rc=\$? >$T/rc" Enter
	wait_for "press the number" 10 || fail "$lab: no question asked"
	$X send-keys -t t 1
	wait_for "l lesson  Enter again" 300 || fail "$lab: did not finish"
	$X send-keys -t t e
	n=0
	while ! ls "$T/exp"/*.report.json >/dev/null 2>&1 && [ $n -lt 50 ]; do
		sleep 0.1; n=$((n + 1))
	done
	ls "$T/exp"/*.report.json >/dev/null 2>&1 || fail "$lab: e wrote no report JSON"
	snap
	cp "$T/screen" "$T/$lab.screen"
	python3 - "$T/exp" "$T/$lab.screen" "$lab" <<'PY' || fail "$lab: headline not on screen"
import glob, json, sys
rep = json.load(open(glob.glob(sys.argv[1] + "/*.report.json")[0]))
screen = open(sys.argv[2]).read().split("\n")
flat = " ".join(" ".join(line.split()) for line in screen)
assert 1 <= len(rep["headline"]) <= 3, rep["headline"]
for h in rep["headline"]:
    want = " ".join(h.split())
    assert want in flat, "%s: headline not in full on the screen:\n%s\n%s" % (
        sys.argv[3], want, "\n".join(screen))
assert "showed the lesson" in flat or "did not show" in flat or "not judged" in flat, \
    "\n".join(screen)
PY
	$X send-keys -t t q
	n=0
	while [ ! -s "$T/rc" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	grep -q "rc=0" "$T/rc" || fail "$lab: exit $(cat "$T/rc" 2>/dev/null)"
	checked=$((checked + 1))
	echo "$lab: headlines on screen ($(( $(date +%s) - t0 )) s)"
done
[ "$checked" -eq "$want" ] || fail "checked $checked of $want labs"
echo "$checked labs: every headline on the final 80x24 screen"
echo ok
