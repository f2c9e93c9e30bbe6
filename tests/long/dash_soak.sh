#!/bin/sh
# Dashboard soak: the interleave lab (three threads printing every 100 ms,
# 1000 lines each) on the dashboard at 80x24 in tmux for SECONDS, run again
# each time it finishes.  Each minute: conclab's RSS, its threads and fds, and
# the CPU used by the dashboard's own thread.  At the end RSS must be within
# 5 % (or 512 kB) of the figure at minute one, and the dashboard's CPU in the
# last fifth of the soak within 1.5x (or 0.5 points) of the first fifth.
# Usage: tests/long/dash_soak.sh BIN [SECONDS]
set -u
B0=${1:?binary}; SECS=${2:-3600}
# growth is judged between the first and last minutes: fewer than two judge nothing
[ "$SECS" -ge 120 ] || { echo "dash_soak.sh: SECONDS must be at least 120 (two minutes)"; exit 2; }
T=$(mktemp -d)
S=conclab-dsoak-$$
# A copy of the binary: other long checks (make signals) count processes by
# the binary's path, this one must not be among them.
cp "$B0" "$T/conclab-soak"
B=$T/conclab-soak
LABS=$(cd "$(dirname "$0")/../../labs" && pwd)
trap 'tmux -L $S kill-server 2>/dev/null; rm -rf "$T"' EXIT
tmux -L $S -f /dev/null new-session -d -s t -x 80 -y 24 \
    "CONCLAB_LABS=$LABS XDG_STATE_HOME=$T LANG=C.UTF-8 $B run interleave --predict 3 --set count=1000 --set sleep_ms=100; echo rc=\$? >$T/rc; sleep 5"
i=0
while [ -z "$(pgrep -f "^$B run")" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
PID=$(pgrep -o -f "^$B run")
[ -n "$PID" ] || { echo "FAIL: the dashboard did not start"; exit 1; }
sleep 1
tmux -L $S send-keys -t t Enter
tick() { awk '{print $14 + $15}' "/proc/$PID/task/$PID/stat"; }
hz=$(getconf CLK_TCK)
start=$(date +%s); end=$((start + SECS)); next=$((start + 60)); runs=1
c0=$(tick); m=0
echo "minute  rss_kB threads fds dash_cpu_pct runs"
while [ "$(date +%s)" -lt "$end" ]; do
	sleep 5
	kill -0 "$PID" 2>/dev/null || { echo "FAIL: the dashboard died"; exit 1; }
	if tmux -L $S capture-pane -p -t t | sed -n 2p | grep -q finished; then
		tmux -L $S send-keys -t t Enter
		runs=$((runs + 1))
	fi
	now=$(date +%s)
	if [ "$now" -ge "$next" ]; then
		m=$((m + 1)); c1=$(tick)
		rss=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
		th=$(awk '/Threads/ {print $2}' /proc/$PID/status)
		fds=$(ls /proc/$PID/fd | wc -l)
		pct=$(awk -v d=$((c1 - c0)) -v hz="$hz" 'BEGIN{printf "%.2f", 100 * d / hz / 60}')
		echo "$m $rss $th $fds $pct $runs" | tee -a "$T/log" |
		    awk '{printf "%6d %7d %7d %3d %12s %4d\n", $1, $2, $3, $4, $5, $6}'
		c0=$c1; next=$((next + 60))
	fi
done
tmux -L $S send-keys -t t q
i=0; while [ ! -s "$T/rc" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q rc=0 "$T/rc" 2>/dev/null || { echo "FAIL: quit: $(cat "$T/rc" 2>/dev/null)"; exit 1; }
[ "$m" -ge 2 ] || { echo "FAIL: only $m minute(s) measured, two are needed to judge"; exit 1; }
awk -v n="$m" '
	NR == 1 { rss1 = $2 }
	{ rss = $2; if (NR <= n / 5 || NR == 1) { a += $5; na++ } if (NR > n - n / 5 || NR == n) { b += $5; nb++ } }
	END {
		a /= na; b /= nb
		printf "RSS %d kB at minute 1, %d kB at minute %d; dashboard CPU %.2f %% first fifth, %.2f %% last fifth\n", rss1, rss, n, a, b
		ok = (rss <= rss1 * 1.05 || rss <= rss1 + 512) && (b <= a * 1.5 || b <= a + 0.5)
		if (!ok) { print "FAIL: memory or CPU grew"; exit 1 }
		print "dash soak: 1 passed, 0 failed"
	}' "$T/log"
