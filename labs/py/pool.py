# conclab pool: ProcessPoolExecutor, the seeds' way out of the GIL.
# Long tasks: `tasks` tasks of duration_ms of fib CPU each (calibrated) on
# `workers` processes.  Tiny tasks (jobs > 0): that many fib(1) submitted one
# after the other, each waited for -- the round trip a pool charges per task.
# Reports tasks_per_s and result_us_p50 (tiny), serial_s (long).
from __future__ import print_function

import os
import threading
from concurrent.futures import ProcessPoolExecutor

import conclab_lab as lab


def init(n):
    lab.name_me("worker")


def name_helpers():
    """Name the pool's own threads in this process: its manager thread
    (ProcessPoolExecutor's, which sends tasks on and collects results) and
    the call queue's feeder thread (multiprocessing.Queue's, which pickles
    and writes each task into the pipe to the workers)."""
    for t in threading.enumerate():
        tid = getattr(t, "native_id", None)
        if t.name == "QueueFeederThread":
            name = "feeder"
        elif type(t).__name__ == "_ExecutorManagerThread":
            name = "manager"
        else:
            continue
        if tid is not None:
            lab.say("thread %d %s" % (tid, name))


def burn(reps):
    for _ in range(reps):
        lab.fib(20)
    return reps


def main():
    a = lab.args()
    workers = a.workers or len(os.sched_getaffinity(0))
    reps, one = lab.fib_reps(a.duration_ms) if a.jobs == 0 else (0, 0.0)
    with ProcessPoolExecutor(max_workers=workers, initializer=init,
                             initargs=(0,)) as pool:
        list(pool.map(lab.fib, [1] * workers))    # the workers are up
        name_helpers()
        lab.say("start")
        if a.jobs > 0:
            lab.one_by_one(pool, a.jobs)
        else:
            list(pool.map(burn, [reps] * a.tasks))
            lab.say("metric serial_s %.4f" % (a.tasks * reps * one))
        lab.say("end")


if __name__ == "__main__":
    main()
