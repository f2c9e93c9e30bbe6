# conclab gil / sleep-vs-fib: N threads each compute fib for duration_ms of
# CPU (calibrated in this interpreter), or sleep that long.  Before that, one
# task's work runs alone in the main thread: serial_s is N times its wall
# time, the serial baseline measured under the same conditions.
#
# GIL switches are counted by the threads themselves, not guessed: the work
# is done in small units (fib(10), about 10 us), and before each unit a
# thread compares a shared variable `last` with itself.  Only the thread
# holding the GIL runs Python code, so when `last` names another thread,
# that thread ran Python code since this one's previous unit: the GIL went
# away and has come back to this thread, which counts one takeover and
# writes itself into `last`.  The sum over the threads is the number of
# switches between workers.  A hold shorter than what was left
# of a unit goes unseen, so the count is exact only where holds are longer
# than a unit: CPython 3's forced switching keeps a new holder for about a
# switch interval (5 ms), 500 units.  Python 2 releases every 100 ticks
# (microseconds), so there the count is a lower bound.  Each thread also
# reports its voluntary context switches (/proc/thread-self/status): a
# thread that loses the GIL blocks, so their sum bounds the switches from
# above.  Reports switches_counted_per_s and voluntary_switches_per_s.
from __future__ import print_function

import threading
import time

import conclab_lab as lab

UNIT_N = 10
last = [None]


def voluntary_switches():
    """This thread's voluntary context switches so far (Linux), or None."""
    try:
        with open("/proc/thread-self/status") as f:
            for line in f:
                if line.startswith("voluntary_ctxt_switches:"):
                    return int(line.split()[1])
    except (IOError, OSError, ValueError):
        pass
    return None


def compute(reps, me, counts):
    """reps units of fib(UNIT_N), counting takeovers from other threads."""
    fib, took = lab.fib, 0
    for _ in range(reps):
        if last[0] is not me:
            if last[0] is not None:
                took += 1
            last[0] = me
        fib(UNIT_N)
    counts[me] = took


def worker(i, reps, sleep_s, counts, vol):
    lab.name_me("py-%d" % i)
    v0 = voluntary_switches()
    if sleep_s > 0:
        time.sleep(sleep_s)
        return
    compute(reps, i, counts)
    v1 = voluntary_switches()
    if v0 is not None and v1 is not None:
        vol[i] = v1 - v0


def main():
    a = lab.args()
    reps, alone = 0, 0.0
    sleep_s = a.duration_ms / 1000.0 if a.work == "sleep" else 0
    counts, vol = {}, {}
    if a.work != "sleep":
        reps, _ = lab.fib_reps(a.duration_ms, UNIT_N)
        t0 = lab.now()
        compute(reps, 0, {})
        alone = lab.now() - t0
        last[0] = None
    threads = [threading.Thread(target=worker, args=(i + 1, reps, sleep_s, counts, vol))
               for i in range(a.tasks)]
    lab.say("start")
    t0 = lab.now()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = lab.now() - t0
    lab.say("end")
    serial = a.tasks * (alone if reps else sleep_s)
    lab.say("metric serial_s %.4f" % serial)
    lab.say("metric threads_s %.4f" % wall)
    # Without a GIL (free-threaded CPython) `last` changes whenever threads
    # run at once: no switches to count.
    if reps and wall > 0 and lab.gil_enabled():
        lab.say("metric switches_counted_per_s %.1f" % (sum(counts.values()) / wall))
        if len(vol) == a.tasks:
            lab.say("metric voluntary_switches_per_s %.1f" % (sum(vol.values()) / wall))


if __name__ == "__main__":
    main()
