#!/bin/sh
# conclab load checks each reply against the protocol (DESIGN.md: the
# decimal value and a newline): a wrong service's bytes -- junk, an endless
# stream of digits, a wrong number -- are not counted as requests; load says
# what the server answered and exits 1 (walk 6 G22: it printed 2,133
# reqs/sec of "hello\0\xff garbage").  The real server's replies all count.
# e2e: beside
set -u
. "$(dirname "$0")/serve.sh"
EVIL=
at_exit() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null
	[ -n "$EVIL" ] && kill "$EVIL" 2>/dev/null
}

# evil MODE: a python3 server on a free port answering every request wrongly
evil() {
	rm -f "$T/evil.port"
	python3 - "$1" "$T/evil.port" <<'PY' &
import socket, sys, threading
mode, portfile = sys.argv[1], sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
open(portfile + ".tmp", "w").write(str(s.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)
def serve(c):
    try:
        while c.recv(100):
            if mode == "junk":
                c.sendall(b"hello\x00\xff garbage\n")
            elif mode == "wrong":
                c.sendall(b"5\n")
            else:
                while True:
                    c.sendall(b"9" * 65536)
    except OSError:
        pass
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
	EVIL=$!
	i=0
	while [ ! -s "$T/evil.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$T/evil.port" ] || fail "the $1 server did not start"
}

for mode in junk wrong flood; do
	evil $mode
	for kind in perf1 perf2; do
		timeout 30 "$B" load $kind --port "$(cat "$T/evil.port")" --seconds 1 --clients 2 \
		    >"$T/load.out" 2>"$T/load.err"
		st=$?
		[ $st = 1 ] || fail "$kind against the $mode server: exit $st ($(cat "$T/load.err"))"
		case $mode in
		junk) want='answered '\''hello\x00\xff garbage'\'', not fib' ;;
		wrong) want="answered '5', not fib(" ;;
		flood) want="answered '999999999999999999999999999999999999999999999999...', not fib" ;;
		esac
		grep -qF "$want" "$T/load.err" ||
		    fail "$kind against $mode: no '$want' in: $(cat "$T/load.err")"
		grep -q "is it a fib server" "$T/load.err" || fail "$kind against $mode: $(cat "$T/load.err")"
		grep -Eq '^[1-9][0-9]* reqs/sec|^fib' "$T/load.out" &&
		    fail "$kind counted the $mode server's replies: $(cat "$T/load.out")"
	done
	kill "$EVIL"; wait "$EVIL" 2>/dev/null; EVIL=
	echo "$mode: refused by perf1 and perf2"
done

# the real server: every reply counts, nothing is said about it
start --mode threads
timeout 30 "$B" load perf1 --port "$PORT" --seconds 1 >"$T/load.out" 2>"$T/load.err" ||
    fail "perf1 against conclab serve: $(cat "$T/load.err")"
grep -q '^fib(30): ' "$T/load.out" || fail "perf1: $(cat "$T/load.out")"
timeout 30 "$B" load perf2 --port "$PORT" --seconds 1 >"$T/load.out" 2>"$T/load.err" ||
    fail "perf2 against conclab serve: $(cat "$T/load.err")"
grep -Eq '^[1-9][0-9]* reqs/sec' "$T/load.out" || fail "perf2: $(cat "$T/load.out")"
[ -s "$T/load.err" ] && fail "load said: $(cat "$T/load.err")"
stop threads
echo ok
