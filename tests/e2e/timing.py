# Prepended by lib.sh's py to an e2e script's Python check.
#
# timing(ok, what): a bound on a measured time or a share of a core (what a
# burst of steal or another program can flip).  A miss prints "TimingMiss:"
# with the figures and exits 3, which retry_timing measures again; a failed
# assert (any other wrong result) exits 1 and is never retried.
import sys as _sys


def timing(ok, what):
    if not ok:
        print("TimingMiss: %r" % (what,), flush=True)
        _sys.exit(3)
