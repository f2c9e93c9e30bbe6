# conclab pool: ThreadPoolExecutor, the counterpart of pool.py's tiny tasks.
# `jobs` fib(1) submitted one after the other to `workers` threads, each
# waited for -- the same submit-and-wait as the process pool, without the
# crossing into another process.  Reports tasks_per_s and result_us_p50.
from __future__ import print_function

from concurrent.futures import ThreadPoolExecutor

import conclab_lab as lab


def main():
    a = lab.args()
    jobs = a.jobs or 2000
    with ThreadPoolExecutor(max_workers=a.workers or 2) as pool:
        list(pool.map(lab.fib, [1] * (a.workers or 2)))   # the threads are up
        lab.say("start")
        lab.one_by_one(pool, jobs)
        lab.say("end")


if __name__ == "__main__":
    main()
