#!/bin/sh
# GIL threads visibly take turns (issue 14, "must show"): the gil lab in the
# dashboard at 80x24 and default speed; while its gil run goes, twenty
# captures of the pane 100 ms apart (two seconds) must show run cells (#, or
# a CPU digit in a run segment) among the newest cells of at least two of
# the run's three thread rows.  Generous for a loaded 2-core machine: on a
# quiet one all three show (in ten captures, the old count, one row showed
# in 1 of 6 runs beside a busy loop and other load, the lab 0.12 cores
# busy).  Prints the figure it measured.  Then p and s: one GIL
# switch, the header's time moved by the step alone.
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup gilturns
need python3
mkdir -p "$T/state"
ENVS="NO_COLOR= CONCLAB_LABS=$LABS XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T/state LANG=C.UTF-8 LC_ALL="

new_pane 80 24
# 6 s of work a thread, not the lab's 1 s: the run must outlast the captures
# and the check before the pause (an ASan run beside other load, 5.8 s long,
# ended before p came: 'no PAUSED'; at 3 s a plain run of 6.8 s beside a
# busy loop ended after 1 of the 20 captures); Esc stops it once stepped.
$X send-keys -t t "env $ENVS $B run gil --ascii --only gil --predict 2 --set duration_ms=6000; echo rc=\$? >$T/rc" Enter
wait_for "ready: press Enter" 10 || fail "the gil lab did not open"
$X send-keys -t t Enter
# the run's band and its three thread rows with a cell or more each
n=0
while :; do
	snap
	grep -q "running gil" "$T/screen" &&
	    [ "$(grep -Ec '^thread-[123] +[^ ]' "$T/screen")" = 3 ] && break
	n=$((n + 1))
	[ $n -lt 300 ] || fail "the gil run did not start with three thread rows"
	sleep 0.1
done
i=0
while [ $i -lt 20 ]; do
	$X capture-pane -p -t t >"$T/cap$i"
	i=$((i + 1))
	sleep 0.1
done
snap
grep -q "running gil" "$T/screen" || echo "(the run ended during the captures)"
python3 - "$T" <<'PY' || fail "GIL threads did not take turns on screen"
import re, sys
d = sys.argv[1]
NEWEST = 3          # the cells a run has drawn last
seen, captures = set(), 0
for i in range(20):
    rows = open("%s/cap%d" % (d, i)).read().split("\n")
    if not any("running gil" in r for r in rows):
        continue    # the run ended: this capture shows a finished band
    captures += 1
    for r in rows:
        m = re.match(r"^(thread-[123]) +(\S.*)$", r)
        if m is None:
            continue
        cells = m.group(2).rstrip()[-NEWEST:]
        if re.search(r"[#0-9]", cells):
            seen.add(m.group(1))
print("gil run at 80x24: %d of 3 thread rows showed run cells among their newest %d "
      "cells in %d captures over 2 s (%s)" % (len(seen), NEWEST, captures,
      " ".join(sorted(seen)) or "none"))
assert captures >= 5, "only %d captures during the run" % captures
assert len(seen) >= 2, seen
PY
# Pause, then step: the header's time moves by the step alone (well under a
# second), and the newest cells show one thread running at most (the new
# holder; on a busy machine it may be waiting for a core).
# The zoom shows the last two turns when they fit in it (a few ms a cell);
# on a loaded machine a holder waiting for a core can keep the lock longer
# than that (ASan beside a busy loop: 150 ms turns, no zoom in 5 s, 1 of 5
# runs), and the lab's own cells show the turns: then resume and pause
# again, up to 5 pauses.
tries=0
while :; do
	tries=$((tries + 1))
	[ $tries -le 5 ] || fail "paused: no zoom on the axis in 5 pauses"
	grep -q "running gil" "$T/screen" || fail "the gil run ended before the pause"
	$X send-keys -t t p
	wait_for "PAUSED" 3 || fail "no PAUSED"
	sleep 0.5
	wait_for "^cell=.*zoom" 2 && break
	echo "(pause $tries: no zoom, the last turns longer than it shows: resumed)"
	$X send-keys -t t p
	n=0
	while snap && grep -q "PAUSED" "$T/screen"; do
		n=$((n + 1))
		[ $n -lt 50 ] || fail "p did not resume"
		sleep 0.1
	done
	sleep 0.3
done
cp "$T/screen" "$T/paused"
$X send-keys -t t s
wait_for "stepped one GIL switch" 10 || fail "no GIL switch stepped"
sleep 0.3
# the zoom drawn (not there 0.3 s after a step in 1 of 6 runs beside a busy
# loop, drawn a second later)
wait_for "^cell=.*zoom" 5 || fail "stepped: no zoom on the axis"
cp "$T/screen" "$T/stepped"
python3 - "$T" <<'PY' || fail "the step did not show one switch"
import re, sys
d = sys.argv[1]
def header_s(f):
    text = open(d + "/" + f).read()
    m = re.search(r"running gil +([0-9.,]+) (ms|s)\b", text)
    assert m, "no running time in " + f
    v = float(m.group(1).replace(",", ""))
    return v / 1000 if m.group(2) == "ms" else v
a, b = header_s("paused"), header_s("stepped")
print("step: header %.3f s -> %.3f s" % (a, b))
assert a <= b <= a + 1.0, (a, b)
stepped = open(d + "/stepped").read()
running = [m.group(1) for m in re.finditer(r"^(thread-[123]) +\S*?(\S)$",
           stepped, re.M) if m.group(2) in "#0123456789"]
assert len(running) <= 1, running
# The step drawn: the status names who had the GIL and who has it; paused,
# the zoom at the right end draws the last turns at a few ms a cell, its
# GIL lane ending in the new holder's letter, whose row runs (or waits for
# a core) there while the old holder's does not run; and the zoom changed.
m = re.search(r"stepped one GIL switch: (thread-[123]) to (thread-[123])", stepped)
assert m and m.group(1) != m.group(2), "no holders named"
old, new = m.group(1), m.group(2)
def zoom(text, name):
    axis = re.search(r"^cell=.*?zoom", text, re.M)
    assert axis, "no zoom on the axis"
    col = axis.end() - axis.start() - 4
    row = re.search(r"^%s +.*$" % re.escape(name), text, re.M)
    assert row, "no row " + name
    return row.group(0)[col:].rstrip()
lane = zoom(stepped, "GIL")
print("step: %s to %s; zoom GIL %s -> %s, %s" % (old, new,
      zoom(open(d + "/paused").read(), "GIL"), lane,
      re.search(r"zoom[^\n]*", stepped).group(0).strip()))
assert lane and lane[-1] == new[-1], (lane, new)
assert old[-1] in lane, (lane, old)
assert zoom(stepped, new)[-1] in "#+0123456789", zoom(stepped, new)
assert zoom(stepped, old)[-1] not in "#0123456789", zoom(stepped, old)
assert zoom(open(d + "/paused").read(), "GIL") != lane, "the zoom did not change"
PY
$X send-keys -t t Escape
sleep 0.3
$X send-keys -t t q
n=0
while [ ! -s "$T/rc" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
grep -q "rc=0" "$T/rc" 2>/dev/null || fail "conclab did not quit: $(cat "$T/rc" 2>/dev/null)"
echo ok
