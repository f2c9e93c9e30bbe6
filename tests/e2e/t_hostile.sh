#!/bin/sh
# Hostile clients (tests/hostile.py: split lines, junk, half-close, a client
# that never reads, an RST storm beside pipeliners, abandoned long requests)
# against `conclab serve` in every mode, loopback only, each bounded in
# time.  Under a sanitizer build (CONCLAB_SANITIZER) any report fails it.
# HOSTILE_SECONDS sets the storm's length (2 s here; `make hostile` runs 60
# s against evloop-pool), HOSTILE_MODES the modes.
set -u
D=$(cd "$(dirname "$0")/.." && pwd)
SECS=${HOSTILE_SECONDS:-2}
MODES=${HOSTILE_MODES:-sequential threads fork pool gil evloop evloop-pool}
. "$(dirname "$0")/serve.sh"

for mode in $MODES; do
	start --mode "$mode" --workers 2
	timeout $((SECS + 240)) python3 "$D/hostile.py" "$PORT" "$mode" \
	    --storm-seconds "$SECS" || fail "hostile clients against $mode"
	kill -0 "$SRV" 2>/dev/null || fail "serve --mode $mode died"
	stop "$mode"
	grep -Eq "AddressSanitizer|LeakSanitizer|runtime error|ThreadSanitizer|double free" \
	    "$T/err" && fail "$mode: sanitizer report"
	echo "$mode: $(grep -c 'closed' "$T/err") connections closed, no crash, no report"
done
echo ok
