# conclab convoy: the seeds' short requests (send "1", read the reply) from
# a client process to a server thread over TCP on 127.0.0.1, alone or beside
# threads computing fib in the server's process.  Under the GIL, every reply the server thread
# receives waits for the lock (up to a switch interval).  Reports
# short_reqs_per_s and rtt_us.
from __future__ import print_function

import os
import socket
import threading

import conclab_lab as lab


def serve(conn, stop):
    lab.name_me("server")
    while not stop.is_set():
        req = conn.recv(100)
        if not req:
            break
        conn.sendall(("%d\n" % lab.fib(int(req))).encode())
    conn.close()


def compete(i, stop):
    lab.name_me("fib-%d" % i)
    while not stop.is_set():
        lab.fib(20)


def requests(sock, seconds):
    """Requests for `seconds`: how many, and the time they took."""
    n, t0 = 0, lab.now()
    while lab.now() - t0 < seconds:
        sock.sendall(b"1")
        sock.recv(100)
        n += 1
    return n, lab.now() - t0


def client(sock, warmup, seconds, out):
    """The perf2 client, in its own process: requests until the time is up,
    counted after a warm-up made of the same requests."""
    requests(sock, warmup)
    n, took = requests(sock, seconds)
    os.write(out, ("%d %f\n" % (n, took)).encode())


def main():
    def extra(p):
        p.add_argument("--competitors", type=int, default=0)
        p.add_argument("--warmup_ms", type=int, default=0)
    a = lab.args(extra)
    seconds = a.duration_ms / 1000.0
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.connect(ls.getsockname())
    srv, _ = ls.accept()
    ls.close()
    r, w = os.pipe()
    stop = threading.Event()
    threads = [threading.Thread(target=serve, args=(srv, stop))]
    threads += [threading.Thread(target=compete, args=(i + 1, stop))
                for i in range(a.competitors)]
    lab.say("start")
    for t in threads:
        t.daemon = True
        t.start()
    pid = os.fork()
    if pid == 0:
        srv.close()
        try:
            client(cli, a.warmup_ms / 1000.0, seconds, w)
        finally:
            os._exit(0)
    cli.close()
    os.waitpid(pid, 0)
    n, took = os.read(r, 100).decode().split()
    stop.set()
    lab.say("end")
    n, took = int(n), float(took)
    lab.say("metric short_reqs_per_s %.0f" % (n / took))
    lab.say("metric rtt_us %.1f" % (took * 1e6 / max(n, 1)))


if __name__ == "__main__":
    main()
