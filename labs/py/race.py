# conclab race: two threads add 1 to a shared global `count` times each,
# with no lock.  case=call: x = x + one() -- the call is a point where
# CPython may switch threads between the load of x and its store, and
# updates are lost.  case=inplace: x += 1 -- since CPython 3.10 no switch
# happens inside it, so none are lost; no program should rely on that.
# Reports expected, final, lost_updates.
from __future__ import print_function

import threading

import conclab_lab as lab

x = 0


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
    threads = [threading.Thread(target=fn, args=(a.count,), name="adder-%d" % (i + 1))
               for i in range(a.tasks)]
    lab.say("start")
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lab.say("end")
    expected = a.tasks * a.count
    lab.say("metric expected %d" % expected)
    lab.say("metric final %d" % x)
    lab.say("metric lost_updates %d" % (expected - x))


if __name__ == "__main__":
    main()
