# conclab_lab: what the lab scripts share (Python 2.7 and 3).
#
# A script reports to conclab on the file descriptor named by CONCLAB_FD,
# one line at a time (short lines: a pipe write of them is atomic):
#   thread TID NAME    a thread's native id and its threading name
#   version X.Y.Z      the interpreter's version
#   gil 1 / gil 0      whether the GIL is on (0: free-threaded CPython 3.13t+)
#   start / end        the measured phase begins / ends
#   metric KEY VALUE   a figure for the report
# Without CONCLAB_FD (run by hand) the lines go to stderr.
from __future__ import print_function

import argparse
import os
import platform
import sys
import threading
import time

_GETTID = {"x86_64": 186, "aarch64": 178, "i686": 224, "armv7l": 224}


def _fd():
    v = os.environ.get("CONCLAB_FD")
    return int(v) if v else 2


def say(line):
    """Send one line to conclab."""
    os.write(_fd(), (line + "\n").encode("utf-8"))


def native_id():
    """The calling thread's id as the kernel knows it."""
    get = getattr(threading, "get_native_id", None)
    if get is not None:
        return get()
    nr = _GETTID.get(platform.machine())
    if nr is None:
        return os.getpid()
    import ctypes
    return ctypes.CDLL(None).syscall(nr)


def name_me(name=None):
    """Report the calling thread's native id and name."""
    t = threading.current_thread()
    if name is not None:
        t.name = name
    say("thread %d %s" % (native_id(), t.name))


def cpu_time():
    f = getattr(time, "process_time", None)
    return f() if f is not None else time.clock()


def now():
    f = getattr(time, "perf_counter", None)
    return f() if f is not None else time.time()


def fib(n):
    if n <= 2:
        return 1
    return fib(n - 1) + fib(n - 2)


def fib_reps(duration_ms, n=20):
    """How many fib(n) take duration_ms of CPU in this interpreter, and the
    CPU seconds of one (measured in the calling thread, alone)."""
    reps, t0 = 0, cpu_time()
    while cpu_time() - t0 < 0.1:
        fib(n)
        reps += 1
    one = (cpu_time() - t0) / reps
    return max(1, int(duration_ms / 1000.0 / one + 0.5)), one


def one_by_one(pool, jobs):
    """Submit `jobs` fib(1) to an executor one after the other, each waited
    for; report tasks_per_s and the median round trip (result_us_p50)."""
    t0 = now()
    times = []
    for _ in range(jobs):
        s = now()
        pool.submit(fib, 1).result()
        times.append(now() - s)
    took = now() - t0
    times.sort()
    say("metric result_us_p50 %.1f" % (times[len(times) // 2] * 1e6))
    say("metric tasks_per_s %.0f" % (jobs / took))


def gil_enabled():
    """False in a free-threaded CPython (3.13t and later) running without
    its GIL; True in every other interpreter."""
    f = getattr(sys, "_is_gil_enabled", None)
    return True if f is None else bool(f())


def args(extra=None):
    """Parse the run's parameters (--key value); unknown ones are ignored."""
    p = argparse.ArgumentParser()
    p.add_argument("--tasks", type=int, default=3)
    p.add_argument("--duration_ms", type=int, default=1000)
    p.add_argument("--work", default="fib")
    p.add_argument("--fib_n", type=int, default=0)
    p.add_argument("--switch_ms", type=float, default=0)
    p.add_argument("--check_ticks", type=int, default=0)
    p.add_argument("--jobs", type=int, default=0)
    p.add_argument("--workers", type=int, default=0)
    p.add_argument("--case", default="")
    p.add_argument("--count", type=int, default=0)
    if extra is not None:
        extra(p)
    a, _ = p.parse_known_args()
    if a.switch_ms > 0 and hasattr(sys, "setswitchinterval"):
        sys.setswitchinterval(a.switch_ms / 1000.0)
    # Python 2's GIL is released every check interval of ticks (default 100);
    # Python 3 has no such interval (the call is gone since 3.9).
    if sys.version_info[0] == 2:
        if a.check_ticks > 0:
            sys.setcheckinterval(a.check_ticks)
        say("metric check_interval %d" % sys.getcheckinterval())
    say("version %d.%d.%d" % sys.version_info[:3])
    say("gil %d" % gil_enabled())
    name_me("main")
    return a
