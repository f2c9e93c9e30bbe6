# conclab server: the seeds' threaded fib server in real CPython -- one
# thread per connection, fib computed in the handler under the GIL.  It
# listens on 127.0.0.1 (a free port, reported as "port N") until conclab
# stops it; conclab's own perf2 and perf1 clients drive it.
from __future__ import print_function

import socket
import threading

import conclab_lab as lab


def handler(conn, i):
    lab.name_me("handler-%d" % i)
    while True:
        req = conn.recv(100)
        if not req:
            break
        try:
            n = int(req)
            reply = "%d\n" % lab.fib(n)
        except ValueError:
            reply = "error: not a number\n"
        conn.sendall(reply.encode())
    conn.close()


def main():
    lab.args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    lab.say("start")
    lab.say("port %d" % sock.getsockname()[1])
    i = 0
    while True:
        conn, _ = sock.accept()
        i += 1
        t = threading.Thread(target=handler, args=(conn, i))
        t.daemon = True
        t.start()


if __name__ == "__main__":
    main()
