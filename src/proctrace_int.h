/*
 * proctrace_int: what proctrace.c (threads, ticks) and proctrace_proc.c
 * (/proc files, processes, the GIL lane) share.  Not for other modules.
 */
#ifndef CONCLAB_PROCTRACE_INT_H
#define CONCLAB_PROCTRACE_INT_H

#include "clock.h"
#include "proctrace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_DISCOVER_NS (10 * CLOCK_NS_PER_MS)	/* task directories looked at */
/* A task directory is listed when its link count says a thread came or
 * went, and at least this often (one thread ending as another starts
 * leaves the count alone until the tracer sees the end). */
#define PT_RELIST_NS (100 * CLOCK_NS_PER_MS)
#define PT_DESCEND_NS (200 * CLOCK_NS_PER_MS)	/* /proc scanned for children */
/* Between discoveries, every tick looks at each task directory's link count
 * (fstat, about 1 us) and lists one whose count moved, at most this often
 * (a listing costs about 70 us: a program starting threads all the time
 * costs the tracer at most 3.5 % of a core so). */
#define PT_LIST_GAP_NS (2 * CLOCK_NS_PER_MS)
#define PT_SCHED_PUSH_NS (10 * CLOCK_NS_PER_MS)	/* sched ring granularity */
#define PT_SEVERAL (-2)	/* lane holder: several threads ran at once */
/* A computing thread scheduled in this often a second blocks and wakes all
 * the time: it fights for a lock, too briefly for a tick to see it wait.
 * Python 2.7's waiters here: about 15,000 a second each on a quiet
 * machine; free-threaded CPython 3.13t's threads 90-180 (tests/fixtures/
 * proc/ft), CPython 3.11's under its GIL 140-190.  Under a load of 14,
 * 20 ms windows: 3.13t's median 83-197, 1 % of them over 2,000 (up to
 * 4,800); Python 2.7's median 474, 6 % over.  So a lock is told from
 * fights only after PROCTRACE_TELL_WINDOWS windows of them, as threads
 * at once are told from as many in a row. */
#define PT_FIGHT_HZ 2000
#define PT_LANE_WINDOW_NS (PROCTRACE_WINDOW_MS * CLOCK_NS_PER_MS)	/* lane: share of a core */
/* Windows in a row with several threads computing at once (over 1.3 cores
 * between them), none blocked in futex, before any sign of a lock: the
 * process has no GIL (free-threaded CPython, C threads), and no lane is
 * drawn for it. */
#define PT_AT_ONCE_WINDOWS PROCTRACE_TELL_WINDOWS
/* A thread that computed this long without saying its name has none to say
 * (a program names a thread first thing; it may wait long for a core). */
#define PT_NAME_CPU_NS (20 * CLOCK_NS_PER_MS)
/* At most this many periods between ticks when reading one thread a tick
 * still costs more than max_cost.  1: never.  With 4 (250 Hz), an ASan
 * conclab's dearer ticks stretched them to 2-4 ms even at load 1.3, and
 * e2e t_trace saw a fib thread's turns in futex less (lock + ready 0.093 s
 * of a 0.231 s life, under the half it asks): 2 failures in 3 runs, 0 in 4
 * with 1. */
#define PT_STRETCH_MAX 1
/* State changes kept for a thread waiting for its name (no slot yet),
 * written into the trace when it gets one; it gets one early when they
 * may not fit, PT_HIST_SPARE before the end (one look adds at most 4).
 * A sleeper woken between looks adds 2 a look: 256 is about 0.1 s of
 * one at 1 kHz, or 1 s of ten 0.1 s sleeps. */
#define PT_HIST 256
#define PT_HIST_SPARE 8
#define PT_PPID_SLOTS 8192			/* pid -> ppid cache (scan) */
#define PT_GONE_KEEP 16		/* threads gone at first reading, remembered */

enum pt_file { PT_SCHED, PT_SYS, PT_STAT, PT_NFILES };

/* One state change of a thread not yet in the trace. */
struct pt_step {
	uint64_t ts;
	enum trace_state st;
	int cpu;
};

struct pt_thread {
	pid_t pid, tid;
	int slot;			/* -1 waiting for a name */
	int fd[PT_NFILES];
	uint64_t on0, wait0;		/* schedstat at first sight */
	uint64_t on, wait, pcount;	/* last reading */
	uint64_t pcount0;		/* times scheduled in before it was followed */
	uint64_t push_on, push_wait, push_ts;	/* last sched ring entry */
	/* readings when the current state was entered (at st_ns): the time
	 * runnable since then places its end (proctrace.c pt_change) */
	uint64_t st_on, st_wait, st_ns;
	uint64_t seen_ns, last_ns, since_ns, end_ns;
	uint64_t lock_ns, io_ns;	/* closed intervals */
	enum trace_state st, first_st;
	enum trace_state blocked_st;	/* the last lock or io seen, or NEW */
	int cpu, first_cpu;
	/* while slot is -1: its state changes after first_st, for the trace
	 * (walk7 H1: a sleeper's first second was drawn as run) */
	struct pt_step *hist;
	int nhist;
	int seq;			/* 1, 2 ... among its process's threads */
	uint64_t win_on;		/* on-CPU time at the lane window's start */
	uint64_t win_lock;		/* lock time at the lane window's start */
	double win_frac;		/* share of a core in the last window */
	double win_lock_frac;		/* share of the last window in futex */
	uint64_t win_pcount;		/* times scheduled in, at the window's start */
	double win_wake_hz;		/* times scheduled in a second, last window */
	bool done;
	char name[TRACE_NAME_LEN];
};

struct pt_proc {
	pid_t pid;
	bool gone;
	int taskfd;			/* its task directory, open, or -1 */
	uint64_t listed_ns;		/* when it was last listed */
	char comm[16];
	int nthreads;			/* threads other than the leader seen */
	bool helper;			/* ended before the first process started
					 * its program: a launcher's helper */
};

struct pt_ppid {
	pid_t pid, ppid;
};

struct proctrace {
	struct trace *tr;
	struct proctrace_opts o;
	struct pt_thread th[PROCTRACE_MAX_THREADS];
	int nth;
	struct pt_proc procs[PROCTRACE_MAX_PROCS];
	int nprocs;
	struct { pid_t tid; char name[TRACE_NAME_LEN]; } names[PROCTRACE_MAX_THREADS];
	int nnames;
	struct pt_ppid *ppids;		/* open addressing, pid 0 = empty */
	uint64_t last_discover, last_descend;
	uint64_t first_ns;		/* the first tick */
	int rr;				/* next thread in the rotation */
	double budget;			/* threads read per tick */
	double avg_cost;		/* ns per tick, smoothed */
	int stretch;			/* ticks this many periods apart (1 ..
					 * PT_STRETCH_MAX): one thread a tick
					 * cost too much */
	uint64_t cost_ns, ticks;
	int unseen;			/* threads that ended before they were seen */
	pid_t gone[PT_GONE_KEEP];	/* the last of them listed (counted once) */
	int ngone;
	uint64_t wait_cpu;		/* thread CPU when the tick's wait began, 0 */
	bool overflow;
	/* GIL lane of the root process */
	int lane;			/* slot, -1 none yet */
	int holder;			/* thread index, -1 none, PT_SEVERAL */
	int last_held;			/* the last thread index that held it, -1 */
	uint64_t win_t0;		/* the lane window's start */
	bool parallel;
	bool lock_seen;			/* threads took turns, one in futex: a lane */
	bool no_lock;			/* they ran at once first: never a lane */
	int at_once;			/* windows in a row with threads at once */
	int contested;			/* windows with two or more computing */
	int fights;			/* windows with two or more fighting */
	uint64_t lane_last, switches, held_ns, parallel_ns, lane_span_ns;
};

/* Re-read an open /proc file into buf (NUL-ended); -1 when it is gone. */
int proctrace_read(int fd, char *buf, size_t len);
/* Open ROOT/PID/task/TID/FILE (tid > 0) or ROOT/PID/FILE. */
int proctrace_open(const struct proctrace *pt, pid_t pid, pid_t tid, const char *file);
/* Open, read and close a /proc file; -1 when it cannot be read. */
int proctrace_read_once(const struct proctrace *pt, pid_t pid, pid_t tid,
    const char *file, char *buf, size_t len);
/* Follow process pid; -1 when it is unreadable or over the limit. */
int proctrace_add_proc(struct proctrace *pt, pid_t pid);
/* True when pid is followed. */
bool proctrace_followed(const struct proctrace *pt, pid_t pid);
/* Follow new children of followed processes. */
void proctrace_descend(struct proctrace *pt);
/* Infer the GIL holder of the root process at now; write the lane. */
void proctrace_lane(struct proctrace *pt, uint64_t now);

#endif
