/*
 * ownshare: the lab's own share of each core, apart from other programs'.
 * /proc/stat says how busy a core was; this says how much of that was
 * conclab's -- the threads of the root process (conclab itself: the
 * dashboard, the runner, the workers) and of every process descended from
 * it (pool workers, a forked server, python interpreters).
 *
 * Each sample lists the followed processes' threads (/proc/PID/task) and
 * reads each thread's schedstat (on-CPU ns); for a thread whose on-CPU time
 * moved since the last sample it also reads stat, whose field 39 names the
 * CPU the thread last ran on, and charges the whole delta to that CPU.
 * That is an approximation: a thread that migrated within the interval has
 * its time before the move charged to the CPU it moved to.  New processes
 * are found by listing /proc (parents cached), at most every
 * OWNSHARE_DESCEND_NS.
 *
 * Time the threads do not account for -- threads that ended between two
 * samples, threads past OWNSHARE_MAX_THREADS -- is the process's CPU clock
 * (which includes ended threads) less the sum of its threads' deltas; it is
 * spread over the CPUs in the proportions of the process's threads in the
 * same interval (with none, to the CPU its main thread last ran on).  A
 * process that ends between two samples loses its time since the last one.
 * With a proc_root other than /proc (fixtures) there are no CPU clocks and
 * only the threads' deltas count.
 *
 * The first sample sets a baseline (shares unknown, -1); a thread or
 * process seen later counts from its birth (its whole schedstat), as it was
 * born since the last listing.  Files stay open and are re-read with
 * pread: a thread costs one small read per sample while it does not run.
 * One owner thread samples and reads an ownshare; nothing in it is shared.
 */
#ifndef CONCLAB_OWNSHARE_H
#define CONCLAB_OWNSHARE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define OWNSHARE_MAX_THREADS 128	/* threads read one by one (two fds each) */
#define OWNSHARE_MAX_PROCS 64		/* processes followed */
#define OWNSHARE_DESCEND_NS 100000000ULL	/* /proc listed for children */
/* Samples closer than this keep the last interval's shares: a frame loop
 * at 30 fps reads /proc at 10 Hz (about 5 us a thread that ran). */
#define OWNSHARE_MIN_NS 90000000ULL

struct ownshare;

/* A sampler of process root (and its descendants) over CPUs 0..ncpu-1,
 * reading proc_root (NULL = "/proc"). */
struct ownshare *ownshare_create(pid_t root, int ncpu, const char *proc_root);
/* Close the files and free; NULL does nothing. */
void ownshare_destroy(struct ownshare *os);
/* Take a sample at now (monotonic ns): each CPU's own share since the last
 * sample (within OWNSHARE_MIN_NS of it: nothing read, the shares stand).
 * -1 when the root process cannot be read (shares unknown). */
int ownshare_sample(struct ownshare *os, uint64_t now);
/* CPU cpu's own share of the last interval in [0, 1]; -1 unknown. */
double ownshare_get(const struct ownshare *os, int cpu);
/* The own shares of CPU cpu over the last n samples, oldest first, into
 * out (-1 unknown); returns the count filled (as sample_core_history). */
int ownshare_history(const struct ownshare *os, int cpu, float *out, int n);
/* Processes and threads followed now. */
int ownshare_nprocs(const struct ownshare *os);
int ownshare_nthreads(const struct ownshare *os);
/* The samples' own CPU time so far, ns, and the samples taken. */
uint64_t ownshare_cost_ns(const struct ownshare *os, uint64_t *samples);

#endif
