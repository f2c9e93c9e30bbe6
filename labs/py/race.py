# conclab race: two threads add 1 to a shared global `count` times each,
# with no lock.  case=call: x = x + one() -- the call is a point where
# CPython may switch threads between the load of x and its store, and
# updates are lost.  case=inplace: x += 1 -- since CPython 3.10 no switch
# happens inside it, so none are lost; no program should rely on that.
# Reports expected, final, lost_updates, ns_per_increment (the wall time
# from the threads' start to their end, per update) and, where the
# interpreter has time.thread_time (3.7+), cpu_ns_per_increment (the
# threads' CPU time, per update).
from __future__ import print_function

import threading
import time

import conclab_lab as lab

x = 0
cpu_ns = []


def thread_cpu():
    f = getattr(time, "thread_time", None)
    return f() if f is not None else None


def counted(fn):
    """Run fn(n) and keep the calling thread's CPU time for it."""
    def run(n):
        c0 = thread_cpu()
        fn(n)
        if c0 is not None:
            cpu_ns.append((thread_cpu() - c0) * 1e9)
    return run


def one():
    return 1


def add_call(n):
    global x
    lab.name_me()
    for _ in range(n):
        x = x + one()


def add_inplace(n):
    global x
    lab.name_me()
    for _ in range(n):
        x += 1


def main():
    a = lab.args()
    fn = add_inplace if a.case == "inplace" else add_call
    threads = [threading.Thread(target=counted(fn), args=(a.count,),
                                name="adder-%d" % (i + 1))
               for i in range(a.tasks)]
    lab.say("start")
    t0 = lab.now()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = lab.now() - t0
    lab.say("end")
    expected = a.tasks * a.count
    lab.say("metric expected %d" % expected)
    lab.say("metric final %d" % x)
    lab.say("metric lost_updates %d" % (expected - x))
    if expected > 0:
        lab.say("metric ns_per_increment %.2f" % (took * 1e9 / expected))
        if len(cpu_ns) == a.tasks:
            lab.say("metric cpu_ns_per_increment %.2f" % (sum(cpu_ns) / expected))


if __name__ == "__main__":
    main()
