#!/bin/sh
# conclab serve in every mode against the classic Python clients (bare
# digits, one recv(100), no newline) and nc-style lines; the default bind
# is loopback only; SIGTERM stops it cleanly with no process left;
# conclab load perf1/perf2 print and stop; bad options and addresses exit
# 2; a non-loopback bind warns; SIGHUP stops it as cleanly as SIGTERM.
# e2e: beside
set -u
. "$(dirname "$0")/serve.sh"

for mode in sequential threads fork pool gil evloop evloop-pool; do
	start --mode "$mode"
	python3 - "$PORT" <<'PY' || fail "classic client against $mode"
import socket, sys
port = int(sys.argv[1])
# The classic client: bare digits, one recv(100) per request.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(('127.0.0.1', port))
for n, want in ((1, b'1\n'), (10, b'55\n'), (25, b'75025\n'), (2, b'1\n')):
    s.send(str(n).encode('ascii'))
    r = s.recv(100)
    assert r == want, (n, r)
s.send(b'xyz')
assert s.recv(100).startswith(b'error:')
s.send(b'6')
assert s.recv(100) == b'8\n'
s.close()
# nc / telnet: lines, CRLF, several in one write.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(('127.0.0.1', port))
s.sendall(b'3\r\n4\n\n 5 \n')
buf = b''
while buf.count(b'\n') < 3:
    buf += s.recv(100)
assert buf == b'2\n3\n5\n', buf
s.close()
PY
	grep -q "connection 1 from 127.0.0.1" "$T/err" || fail "$mode logged no connection"
	if [ "$mode" = threads ]; then
		ss -ltn 2>/dev/null | grep -q ":$PORT " &&
		    { ss -ltn | grep ":$PORT " | grep -q "127.0.0.1:$PORT" ||
		      fail "listening beyond 127.0.0.1"; }
		"$B" load perf2 --port "$PORT" --seconds 2 >"$T/p2" || fail "perf2"
		grep -Eq '^[0-9]+ reqs/sec$' "$T/p2" || fail "perf2 printed: $(cat "$T/p2")"
		[ "$(grep -c 'reqs/sec' "$T/p2")" = 2 ] || fail "perf2 --seconds 2 printed: $(cat "$T/p2")"
		"$B" load perf1 --port "$PORT" --n 20 --seconds 1 >"$T/p1" || fail "perf1"
		grep -Eq '^fib\(20\): [0-9.]+ s$' "$T/p1" || fail "perf1 printed: $(head -2 "$T/p1")"
		# walk 7 H5: fast replies (fib(20) in C) get a line a second, not
		# one each (thousands); slow ones keep one each (below, gil mode)
		grep -Eq '^fib\(20\): [0-9]+ replies in [0-9.]+ s, [0-9.]+ ms each on average' \
		    "$T/p1" || fail "perf1 fast replies, no summary: $(head -8 "$T/p1")"
		[ "$(wc -l <"$T/p1")" -le 8 ] || fail "perf1 printed $(wc -l <"$T/p1") lines in 1 s"
	fi
	stop "$mode"
done

# The default bind is 127.0.0.1 and the interpreted cost is announced.
start --mode gil
grep -q "on 127.0.0.1:$PORT" "$T/err" || fail "default bind"
grep -q "interpreted cost 34 ns" "$T/err" || fail "gil mode default interp"
# perf1's slow replies (fib(34) at 34 ns a call: about 0.4 s) keep a line each
"$B" load perf1 --port "$PORT" --n 34 --seconds 2 >"$T/p1s" || fail "perf1 slow"
grep -Eq '^fib\(34\): [0-9.]+ s$' "$T/p1s" && ! grep -q "replies in" "$T/p1s" ||
    fail "perf1 slow replies: $(cat "$T/p1s")"
stop gil

# Pool workers run at nice 10 (and at --worker-nice N): computing yields
# the CPU to the threads that serve.
for nice in 10 3; do
	if [ $nice = 10 ]; then start --mode pool --workers 2; else start --mode pool --workers 2 --worker-nice 3; fi
	nis=$(ps -o ni= --ppid "$SRV" | tr -d ' ' | sort -u)
	[ "$nis" = "$nice" ] || fail "pool workers' nice: '$nis', want $nice"
	grep -q "2 pool worker processes at nice $nice" "$T/err" || fail "nice not announced"
	stop pool
done

# SIGHUP stops it as cleanly as SIGTERM: the "stopped" line, workers and
# forked children reaped (pool and fork modes have children).
for mode in pool fork; do
	start --mode "$mode" --workers 2
	python3 - "$PORT" <<'PY' &
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=5)
s.sendall(b'5\n'); s.recv(100); time.sleep(3)
PY
	cl=$!
	# the client is connected (fork: its child serves it)
	i=0
	until grep -q "connection 1 from" "$T/err"; do
		[ $i -lt 100 ] || fail "$mode: the client did not connect"
		sleep 0.1; i=$((i + 1))
	done
	sleep 0.3
	kids=$(pgrep -P "$SRV" | tr '\n' ' ')
	[ -n "$kids" ] || fail "$mode: no children to check"
	stop "$mode" HUP
	for k in $kids; do
		[ -d "/proc/$k" ] && fail "serve $mode left child $k after SIGHUP"
	done
	wait "$cl" 2>/dev/null
done

# A non-loopback bind is announced with a warning; loopback ones are not.
start --bind 0.0.0.0
grep -q "warning: --bind 0.0.0.0 is not a loopback address" "$T/err" ||
    fail "no warning for --bind 0.0.0.0"
stop threads
start --bind 127.0.0.2
grep -q "warning" "$T/err" && fail "warning for a loopback bind: $(cat "$T/err")"
stop threads

# Out of descriptors (ulimit -n 40, --max-conns 1000, 80 clients at once):
# a warning at start; every client gets its reply or "server busy", none
# hangs; accept() does not spin (the log holds no stream of out-of-descriptor
# lines); afterwards 5 -> 5.
for mode in threads evloop-pool; do
	NOFILE=40 start --mode "$mode" --max-conns 1000 --workers 2
	grep -q "warning: --max-conns 1000 is above what the open-file limit allows" \
	    "$T/err" || fail "$mode: no warning for --max-conns above ulimit -n 40"
	# the banner gives the connections served at once, the warning's figure
	lim=$(sed -n 's/.*: at most \([0-9]*\) connections are served.*/\1/p' "$T/err")
	[ -n "$lim" ] && grep -q "mode $mode on .*, max $lim connections," "$T/err" ||
	    fail "$mode: the banner does not say max ${lim:-?} connections: $(cat "$T/err")"
	python3 - "$PORT" <<'PY' || fail "$mode: 80 clients under ulimit -n 40"
import socket, sys, time
port = int(sys.argv[1])
cl = [socket.create_connection(('127.0.0.1', port), timeout=10) for _ in range(80)]
for s in cl:
    s.sendall(b'1\n')
served = busy = 0
for i, s in enumerate(cl):
    r = s.recv(200)
    if r == b'1\n':
        served += 1
    elif r.startswith(b'error: server busy'):
        busy += 1
    else:
        sys.exit('client %d got %r' % (i, r))
for s in cl:
    s.close()
assert served >= 5 and served + busy == 80, (served, busy)
time.sleep(1)
s = socket.create_connection(('127.0.0.1', port), timeout=10)
s.sendall(b'5')
assert s.recv(100) == b'5\n'
print('%d served, %d told server busy' % (served, busy))
PY
	n=$(grep -c "out of file descriptors" "$T/err")
	[ "$n" -le 80 ] || fail "$mode: $n out-of-descriptor log lines for 80 clients"
	stop "$mode"
done

# Bad options and every bad address are refused with status 2.
"$B" serve --mode nope 2>"$T/e"; [ $? = 2 ] || fail "bad mode accepted"
grep -q "mode must be one of sequential|threads" "$T/e" || fail "bad mode message"
for a in localhost ::1 '' 999.1.1.1 1.2.3; do
	"$B" serve --bind "$a" --port 0 2>"$T/e" </dev/null; st=$?
	[ $st = 2 ] || fail "serve --bind '$a' exited $st, not 2"
	grep -q "is not an IPv4 address" "$T/e" || fail "--bind '$a' message: $(cat "$T/e")"
done
"$B" load perf2 --host nosuchhost.invalid --seconds 1 2>"$T/e"; st=$?
[ $st = 2 ] || fail "load --host nosuchhost.invalid exited $st, not 2"
"$B" load perf3 2>/dev/null; [ $? = 2 ] || fail "load perf3 accepted"
"$B" load perf2 --port 1 --seconds 1 2>"$T/e"; [ $? = 1 ] || fail "load without server"
grep -q "cannot connect" "$T/e" || fail "load's connect message"
echo ok
