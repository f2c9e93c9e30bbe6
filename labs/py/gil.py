# conclab gil / sleep-vs-fib: N threads each compute fib for duration_ms of
# CPU (calibrated in this interpreter), or sleep that long.  Before that, one
# task's work runs alone in the main thread: serial_s is N times its wall
# time, the serial baseline measured under the same conditions.
from __future__ import print_function

import threading
import time

import conclab_lab as lab


def worker(i, reps, sleep_s):
    lab.name_me("py-%d" % i)
    if sleep_s > 0:
        time.sleep(sleep_s)
        return
    for _ in range(reps):
        lab.fib(20)


def main():
    a = lab.args()
    reps, alone = 0, 0.0
    sleep_s = a.duration_ms / 1000.0 if a.work == "sleep" else 0
    if a.work != "sleep":
        reps, _ = lab.fib_reps(a.duration_ms)
        t0 = lab.now()
        for _ in range(reps):
            lab.fib(20)
        alone = lab.now() - t0
    threads = [threading.Thread(target=worker, args=(i + 1, reps, sleep_s))
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


if __name__ == "__main__":
    main()
