/*
 * proctrace: the threads of a process conclab does not instrument (real
 * CPython, any program under `conclab trace`), read from /proc into the trace.
 *
 * Each tick reads, per thread, /proc/PID/task/TID/schedstat (on-CPU time,
 * run-queue wait, times scheduled in) and, when the thread may have changed
 * state, .../syscall ("running", or the number of the call it is blocked in)
 * and .../stat (its CPU, zombie state).  States: run while runnable (split
 * into ready by the schedstat deltas pushed to the sched ring), lock while
 * blocked in futex, io while blocked in any other call, done at exit.  A
 * change seen at a tick is dated by the thread's schedstat: it was
 * runnable (on a core or waiting for one) as long as its on-CPU and
 * run-queue deltas since it entered its state say, so a wait ends that
 * long before the tick, a run that long after it began, and a thread seen
 * blocked at two ticks but scheduled in between ran that long between
 * them.  So its run and ready totals -- exact: schedstat over the
 * thread's life -- and its lock and io intervals add up to its life.  A
 * thread born since the first look counts from its birth, at least as long
 * before it was seen as it was runnable.
 *
 * Files stay open and are re-read with pread.  A blocked thread that was not
 * scheduled in since the last tick (pcount unchanged) costs one small read;
 * a task directory is listed again only when its link count (2 + threads)
 * says a thread came or went, or every 100 ms.  When a tick -- its reads and
 * the wait for it (the wake-up) -- costs more than max_cost of a core, each
 * tick reads only some threads, in rotation (their deltas stay exact, only
 * coarser in time); when one thread a tick still costs more (a busy
 * machine makes every system call dearer), ticks come up to 4 periods
 * apart until the shorter period fits again.
 *
 * Thread names: what the program reports (proctrace_name), else the thread's
 * comm, with "-N" (N = 1, 2 ... in the order seen) when it is the process's
 * own name.  A process that execs (a pyenv shim, sh -c, env) takes its new
 * comm: its main thread is renamed unless the program named it.  Threads
 * that ended before their first reading (listed, then gone; or named by the
 * program but never listed) are counted.  One proctrace is used
 * by one thread (its owner); it is the only writer of its trace slots.
 */
#ifndef CONCLAB_PROCTRACE_H
#define CONCLAB_PROCTRACE_H

#include "trace.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define PROCTRACE_MAX_THREADS 256	/* threads (with descendants) followed */
#define PROCTRACE_MAX_PROCS 64		/* processes followed */
#define PROCTRACE_HZ_MAX 1000
#define PROCTRACE_SYS_RUNNING (-2)	/* the syscall file said "running" */
/* The lane judges the root process's threads in windows of this many ms;
 * a lock, or none, is told only from PROCTRACE_TELL_WINDOWS windows in
 * which two or more of them computed (fewer: too short to tell). */
#define PROCTRACE_WINDOW_MS 20
#define PROCTRACE_TELL_WINDOWS 5
/* The lane sees a holder only when a tick finds it on a core: holds
 * shorter than a tick (1 ms at most) go uncounted.  Its handoff count is
 * given only while the root process's threads were scheduled in at most
 * this many times per handoff it saw (each handoff wakes the next holder;
 * so do a waiter's timed wake-ups and a socket's data).  Measured here
 * (2 cores, other load 50-100 %): the gil lab's CPython 3.11, 4 threads
 * at 5 ms: 11 (96 handoffs/s seen, 111 counted by the threads); its
 * Python 2.7: 4,400 (3/s seen, 5,385 counted); the convoy lab's CPython
 * server thread, 4,112-29,370 requests/s: 5,900-17,000 (0.8-1.7/s seen). */
#define PROCTRACE_WAKES_PER_SWITCH 100

struct proctrace_opts {
	int run;		/* run index of the slots */
	int hz;			/* ticks per second, 1..PROCTRACE_HZ_MAX */
	double max_cost;	/* share of one core the reads may use (0.03) */
	bool descendants;	/* follow child processes too */
	bool gil_lane;		/* infer a GIL lane for the root process */
	bool no_gil;		/* the program said it has no GIL (free-threaded
				 * CPython): lane figures, but never a lane */
	bool has_gil;		/* the program said it has a GIL: a lane from
				 * its second thread on, whatever they do */
	uint64_t name_wait_ns;	/* a new thread waits this long for its name
				 * (or until it computed 20 ms without one) */
	const char *proc_root;	/* "/proc", or a fixture tree */
	bool rename_slots;	/* the slots' names are read only on the owner's
				 * thread (conclab trace): a main thread whose
				 * process execs is renamed in the trace too */
};

/* One parsed /proc/PID/task/TID/stat line. */
struct proctrace_stat {
	char comm[16];
	char state;		/* R S D Z T ... */
	pid_t ppid;
	uint64_t utime, stime;	/* clock ticks */
	int cpu;		/* processor last run on */
};

/* What proctrace measured of one thread (for tables). */
struct proctrace_info {
	pid_t pid, tid;
	int slot;		/* -1 while waiting for a name */
	char name[TRACE_NAME_LEN];
	uint64_t start_ns, end_ns;	/* end 0 while alive */
	uint64_t run_ns, ready_ns;	/* schedstat: exact */
	uint64_t lock_ns, io_ns;	/* intervals between ticks */
	bool done;
	bool helper;		/* its process ended before the first process
				 * exec'd its program (pyenv's shims' bash) */
};

struct proctrace;

/* Parse a stat line; -1 on junk. */
int proctrace_parse_stat(const char *buf, struct proctrace_stat *st);
/* Parse a schedstat line: on-CPU ns, run-queue wait ns, times run; -1 on junk. */
int proctrace_parse_schedstat(const char *buf, uint64_t *on, uint64_t *wait,
    uint64_t *pcount);
/* Parse a syscall line: PROCTRACE_SYS_RUNNING, the call's number, or -1
 * (blocked outside a call, or a zombie); -3 on junk. */
long proctrace_parse_syscall(const char *buf);

/* What to call process pid, as `conclab trace -- CMD` calls its command:
 * "python3 (pid 627)", its program's name from /proc/PID/comm ("pid 627"
 * when that cannot be read; walk6 G9: -p said only that). */
void proctrace_what(pid_t pid, char *buf, size_t len);
/* Follow process pid (its threads, and descendants if asked) into tr.
 * NULL with a message when the process cannot be read. */
struct proctrace *proctrace_create(struct trace *tr, pid_t pid,
    const struct proctrace_opts *o, char *err, size_t errlen);
/* Close the files; NULL does nothing.  Slots stay in the trace. */
void proctrace_destroy(struct proctrace *pt);
/* Name thread tid (the program said so); before its slot exists, or never. */
void proctrace_name(struct proctrace *pt, pid_t tid, const char *name);
/* One tick at now (monotonic ns): discover, read, write states.  Returns the
 * threads still alive (0: everything followed has ended). */
int proctrace_poll(struct proctrace *pt, uint64_t now);
/* End every thread still followed at now (the process was reaped). */
void proctrace_finish(struct proctrace *pt, uint64_t now);
/* Sleep until the next tick after *next (absolute), advance it; returns now. */
uint64_t proctrace_wait_tick(struct proctrace *pt, uint64_t *next);

/* Threads seen so far, and one's figures. */
int proctrace_nthreads(const struct proctrace *pt);
int proctrace_info(const struct proctrace *pt, int i, struct proctrace_info *out);
/* Lane figures: holder changes, ns held by one thread, ns with several
 * threads running at once (no lock between them), ns the lane covered. */
void proctrace_lane_stats(const struct proctrace *pt, uint64_t *switches,
    uint64_t *held_ns, uint64_t *parallel_ns, uint64_t *span_ns);
/* Times the root process's threads were scheduled in while followed
 * (schedstat, exact): a lock's holder changes only by waking its next
 * holder, so this bounds the handoffs from above, as the lane's count --
 * which sees only holds of a tick or more -- bounds them from below. */
uint64_t proctrace_root_wakes(const struct proctrace *pt);
/* True when the lane's handoff count measures the handoffs: the root
 * process's threads were scheduled in at most PROCTRACE_WAKES_PER_SWITCH
 * times per handoff seen (else most were too short for the ticks; walk7
 * H12: 1.7 a second counted while CPython served 3,108 requests a second,
 * each needing the GIL back). */
bool proctrace_switches_counted(const struct proctrace *pt);
/* The lane windows in which two or more of the root process's threads
 * computed: the samples a lock (or none) is told from. */
int proctrace_lane_windows(const struct proctrace *pt);
/* True once a GIL lane row exists (a lock was inferred: threads took turns
 * on the cores while others waited in futex). */
bool proctrace_lane_drawn(const struct proctrace *pt);
/* True when the root process's threads ran at once with no lock between
 * them before any sign of one (or the program said it has no GIL): no lane
 * is drawn for it. */
bool proctrace_threads_at_once(const struct proctrace *pt);
/* The tracer's CPU time so far (the reads and the ticks' waits), ns, and
 * the ticks taken. */
uint64_t proctrace_cost_ns(const struct proctrace *pt, uint64_t *ticks);
/* Threads that ended before they were seen: listed in /proc but gone at
 * their first reading, and (after proctrace_finish) threads the program
 * named that were never listed. */
int proctrace_unseen(const struct proctrace *pt);
/* True when a thread or process had to be left out (over the limits). */
bool proctrace_overflowed(const struct proctrace *pt);

#endif
