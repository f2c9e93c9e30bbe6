#!/bin/sh
# make bench, the server part: perf2 alone against `serve --mode threads`
# as a share of a minimal C ping-pong over loopback, both measured in the
# same lab run with the same CPU placement.  Three runs per placement (two
# cores, then one), the median share is checked against the target.
# Usage: tests/bench_server.sh BIN [RUNS]
set -u
B=${1:?binary}; RUNS=${2:-3}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
status=0
for cpus in 0-1 0; do
	: >"$T/shares"
	r=0
	while [ $r -lt "$RUNS" ]; do
		"$B" run server --headless --no-progress --format json --only threads \
		    --cpus $cpus --set pingpong_ms=1000 >"$T/run.json" || { echo "server lab failed"; exit 1; }
		python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["runs"][0]["metrics"]
print("%.0f %.0f %.0f" % (m["alone_vs_pingpong_pct"], m["fast_reqs_per_s_alone"], m["pingpong_reqs_per_s"]))' \
		    "$T/run.json" >>"$T/shares"
		r=$((r + 1))
	done
	sort -n "$T/shares" >"$T/sorted"
	set -- $(sed -n "$(( (RUNS + 1) / 2 ))p" "$T/sorted")
	all=$(awk '{printf "%s%s %%", (NR > 1 ? ", " : ""), $1}' "$T/shares")
	echo "server threads, CPUs $cpus: perf2 alone $2 req/s = $1 % of a C ping-pong ($3 req/s), median of $RUNS ($all) (target >= 80 %)"
	[ "$1" -ge 80 ] || status=1
done
exit $status
