# Prepended by lib.sh's py to an e2e script's Python check.
#
# timing(ok, what): a bound on a measured time or a share of a core (what a
# burst of steal or another program can flip).  A miss prints "TimingMiss:"
# with the figures and exits 3, which retry_timing measures again; a failed
# assert (any other wrong result) exits 1 and is never retried.  With
# E2E_UNTIMED=1 in the environment (a script run under a sanitizer, whose
# slowdown is uneven) a miss is printed, not failed: the script's asserts
# still check everything else.
import os as _os
import sys as _sys


def timing(ok, what):
    if ok:
        return
    if _os.environ.get("E2E_UNTIMED") == "1":
        print("timing not checked (sanitizer build): %r" % (what,), flush=True)
        return
    print("TimingMiss: %r" % (what,), flush=True)
    _sys.exit(3)
