#!/bin/sh
# Server soak: `conclab serve --mode threads` under perf1 and perf2 (two
# clients each, reconnecting every few seconds) for SECONDS; RSS and open fds
# at the end must be within 5 % (or 2 fds) of those after the first minute.
# Usage: tests/long/soak.sh BIN [SECONDS]
set -u
B=${1:?binary}; SECS=${2:-600}
T=$(mktemp -d)
"$B" serve --mode threads --port 0 >"$T/port" 2>"$T/log" &
SRV=$!
trap 'kill $SRV 2>/dev/null; pkill -P $$ 2>/dev/null; rm -rf "$T"' EXIT
i=0; while ! grep -q port "$T/port" && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
PORT=$(awk '/port/ {print $2}' "$T/port")
[ -n "$PORT" ] || { echo "server did not start: $(cat "$T/log")"; exit 1; }
end=$(( $(date +%s) + SECS ))
# Load in rounds of 10 s so connections open and close all along.
(
	while [ "$(date +%s)" -lt "$end" ]; do
		"$B" load perf1 --port "$PORT" --clients 2 --seconds 10 >/dev/null 2>&1 &
		"$B" load perf2 --port "$PORT" --clients 2 --seconds 10 >/dev/null 2>&1
		wait
	done
) &
LOAD=$!
measure() { echo "$(awk '/VmRSS/ {print $2}' /proc/$SRV/status) $(ls /proc/$SRV/fd | wc -l) $(awk '/Threads/ {print $2}' /proc/$SRV/status)"; }
first=$(( SECS < 120 ? SECS / 2 : 60 ))
sleep "$first"
set -- $(measure); rss1=$1; fd1=$2; th1=$3
echo "after ${first} s: RSS $rss1 kB, $fd1 fds, $th1 threads"
wait $LOAD
sleep 1
set -- $(measure); rss2=$1; fd2=$2; th2=$3
echo "after ${SECS} s: RSS $rss2 kB, $fd2 fds, $th2 threads (load stopped)"
grep -c "^" "$T/log" | sed 's/^/server log lines: /'
ok=1
awk -v a="$rss1" -v b="$rss2" 'BEGIN{exit !(b <= a * 1.05)}' || { echo "FAIL: RSS grew more than 5 %"; ok=0; }
[ "$fd2" -le $((fd1 + 2)) ] || { echo "FAIL: fds grew"; ok=0; }
[ $ok = 1 ] && echo "soak: 1 passed, 0 failed" || { echo "soak: 0 passed, 1 failed"; exit 1; }
