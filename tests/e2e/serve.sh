# Sourced by the server's e2e scripts (t_server.sh, t_hostile.sh), on top of
# lib.sh: B, T, fail, and starting and stopping `conclab serve`.
# Sets SRV and PORT.
. "$(dirname "$0")/lib.sh"
e2e_setup python3 pgrep timeout
SRV=
at_exit() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; }

# Start `conclab serve --port 0 ARGS` (under `ulimit -n $NOFILE` when that
# is set); sets SRV and PORT.
start() {
	rm -f "$T/out"
	sh -c '[ -z "$1" ] || ulimit -n "$1" || exit 1; shift; exec "$@"' sh "${NOFILE:-}" \
	    "$B" serve --port 0 "$@" >"$T/out" 2>"$T/err" &
	SRV=$!
	i=0
	while [ ! -s "$T/out" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(awk '/^port/ {print $2}' "$T/out")
	[ -n "$PORT" ] || fail "serve $* printed no port"
}

# Stop the server with signal SIG (default TERM): it must exit 0 having
# logged its stop, with no pool worker left.
stop() {
	sig=${2:-TERM}
	kill -"$sig" "$SRV"
	i=0
	while kill -0 "$SRV" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
	kill -0 "$SRV" 2>/dev/null && fail "serve $1 did not stop on SIG$sig"
	wait "$SRV"
	st=$?
	SRV=
	[ "$st" = 0 ] || fail "serve $1 exited $st on SIG$sig"
	grep -q "stopped after" "$T/err" || fail "serve $1 did not log its stop on SIG$sig"
	pgrep -f "conclab-worker" -P "$$" >/dev/null 2>&1 && fail "workers left"
	return 0
}
