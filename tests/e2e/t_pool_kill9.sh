#!/bin/sh
# Nothing left behind: kill -9 conclab during a pool (and a processes) run;
# within 1 s no worker remains.  SIGTERM: conclab stops, workers gone.
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup pgrep
bg=
at_exit() { [ -n "$bg" ] && kill -9 "$bg" 2>/dev/null; }

alive() { # pid: running and not a zombie
	[ -r /proc/$1/stat ] && ! grep -q ') Z' /proc/$1/stat 2>/dev/null
}

workers_of() { # pid count: wait until count workers exist, print them
	i=0
	while [ $i -lt 200 ]; do
		w=$(pgrep -P $1 -x conclab-worker)
		[ "$(echo "$w" | grep -c .)" -ge $2 ] && { echo "$w"; return 0; }
		sleep 0.05; i=$((i + 1))
	done
	return 1
}

for run in long-pool long-processes; do
	for how in KILL TERM; do
		"$B" run pool --headless --format json --only $run \
			--set duration_ms=5000 >"$T/out" 2>&1 &
		bg=$!
		ws=$(workers_of $bg 2) || fail "$run: no workers"
		sleep 0.3
		kill -$how $bg
		t0=$(date +%s%N)
		left=
		while :; do
			left=
			for w in $ws; do alive $w && left="$left $w"; done
			[ -z "$left" ] && break
			[ $(( $(date +%s%N) - t0 )) -gt 1000000000 ] && break
			sleep 0.02
		done
		ms=$(( ($(date +%s%N) - t0) / 1000000 ))
		[ -z "$left" ] || fail "$run SIG$how: workers$left still alive after 1 s"
		echo "$run SIG$how: workers gone after ${ms} ms"
		wait $bg 2>/dev/null
		bg=
	done
done
echo "ok"
