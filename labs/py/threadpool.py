# conclab pool: ThreadPoolExecutor, the counterpart of pool.py's tiny tasks.
# `jobs` fib(1) submitted one after the other to `workers` threads, each
# waited for -- the same submit-and-wait as the process pool, without the
# crossing into another process.  Reports tasks_per_s, result_us_p50 and
# sleeps_per_task: the voluntary context switches of all the process's
# threads over the tasks (each a sleep in a futex: the queue's get, the
# future's result(), the GIL), read from /proc/self/task/*/status.
from __future__ import print_function

import os
from concurrent.futures import ThreadPoolExecutor

import conclab_lab as lab


def sleeps():
    """Voluntary context switches of every thread of this process so far
    (None where /proc is not there)."""
    total = 0
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return None
    for tid in tids:
        try:
            with open("/proc/self/task/%s/status" % tid) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        total += int(line.split()[1])
        except (OSError, IOError, ValueError):
            pass
    return total


def main():
    a = lab.args()
    jobs = a.jobs or 2000
    with ThreadPoolExecutor(max_workers=a.workers or 2) as pool:
        list(pool.map(lab.fib, [1] * (a.workers or 2)))   # the threads are up
        lab.say("start")
        before = sleeps()
        lab.one_by_one(pool, jobs)
        after = sleeps()
        if before is not None and after is not None:
            lab.say("metric sleeps_per_task %.2f" % (float(after - before) / jobs))
        lab.say("end")


if __name__ == "__main__":
    main()
