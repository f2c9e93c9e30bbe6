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
        t0 = lab.now()
        times = []
        for _ in range(jobs):
            s = lab.now()
            pool.submit(lab.fib, 1).result()
            times.append(lab.now() - s)
        took = lab.now() - t0
        times.sort()
        lab.say("metric result_us_p50 %.1f" % (times[len(times) // 2] * 1e6))
        lab.say("metric tasks_per_s %.0f" % (jobs / took))
        lab.say("end")


if __name__ == "__main__":
    main()
