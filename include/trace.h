/*
 * trace: what every task is doing, recorded lock-free into shared memory.
 *
 * The whole trace is one mapping (MAP_SHARED | MAP_ANONYMOUS) made before any
 * fork, so forked workers write into it directly and the parent reads it live.
 * Its size is fixed: TRACE_MAX_TASKS slots, each with a ring of TRACE_RING
 * state-change events.  When a ring wraps, its writer folds the oldest
 * interval into the slot's fold: TRACE_FOLD_BUCKETS buckets of each state's
 * time from the task's start, which double in width (pairs merged) when the
 * folded time outgrows them.  So a task's whole life can still be drawn, the
 * early part at the buckets' coarser grain, and the folded intervals are
 * counted (trace_task_folded_count); the per-state totals stay exact.  The
 * fold is a sequence lock with one writer: readers copy and retry, the
 * writer never waits.
 *
 * One writer per slot: a task's events and totals are written only by the task
 * itself (trace_task_begin .. trace_task_end), except trace_task_fail, which
 * the parent calls after the task's process has died.  The sched ring of a slot
 * is written only by the sampler.  Registration (trace_task_add) happens in
 * one thread of the parent.  Writers publish an event by storing the event's
 * fields (relaxed) and then the event count (release); readers load the count
 * (acquire), copy, and re-check the count to discard events overwritten while
 * they copied.
 */
#ifndef CONCLAB_TRACE_H
#define CONCLAB_TRACE_H

#include "atomics.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TRACE_MAX_TASKS 512
#define TRACE_RING 4096
#define TRACE_SCHED_RING 512
#define TRACE_MAX_MARKS 256
#define TRACE_NAME_LEN 32
#define TRACE_MAX_PAUSES 1024
#define TRACE_CPU_WORDS 4 /* 256 CPUs */
/* A lock wait shorter than this is counted in the totals but not traced. */
#define TRACE_LOCK_EVENT_NS 20000ULL
/* The fold of a ring's overwritten intervals: buckets of each state's time
 * (RUN, READY, LOCK, IO: the states that take time), the first of
 * TRACE_FOLD_NS0 each; widths double as the folded time grows. */
#define TRACE_FOLD_BUCKETS 256
#define TRACE_FOLD_NS0 100000ULL
#define TRACE_FOLD_STATES 4

enum trace_state {
	TRACE_NEW = 0,	/* not started yet (or no data) */
	TRACE_RUN,	/* executing (runnable, split with schedstat) */
	TRACE_READY,	/* runnable, waiting for a core */
	TRACE_LOCK,	/* trying to acquire a lock */
	TRACE_IO,	/* blocked in sleep, a socket, a pipe */
	TRACE_DONE,	/* finished */
	TRACE_FAILED,	/* crashed or killed */
	TRACE_NSTATES
};

enum trace_kind {
	TRACE_KIND_TASK = 0,
	TRACE_KIND_LANE,	/* a lock lane: RUN events carry the holder slot + 1 */
};

/* What a task measures for the dashboard's client panel (load generators). */
enum trace_meter {
	TRACE_METER_NONE = 0,
	TRACE_METER_RATE,	/* requests per second (progress counts them) */
	TRACE_METER_LATENCY,	/* each request's latency (value holds the last) */
};

enum trace_mark_kind {
	TRACE_MARK_RUN = 0,	/* a run starts */
	TRACE_MARK_USER,	/* a marker dropped by the presenter */
	TRACE_MARK_NOTE,	/* a lab's own marker ("main finished") */
	TRACE_MARK_PRINT,	/* a task printed a line (run: its slot; text:
				 * the line): drawn on the task's row */
};

struct trace_event {
	_Atomic uint64_t ts;	/* monotonic ns */
	_Atomic uint64_t word;	/* state | (cpu + 1) << 8 | arg << 32 */
};

struct trace_sched {
	_Atomic uint64_t ts;
	_Atomic uint64_t oncpu_ns;	/* on-CPU time since the previous sample */
	_Atomic uint64_t wait_ns;	/* run-queue wait since the previous sample */
};

/* One bucket of a fold (written only by the slot's writer). */
struct trace_fold_bucket {
	_Atomic uint64_t ns[TRACE_FOLD_STATES];		/* state - TRACE_RUN */
	_Atomic uint32_t count[TRACE_FOLD_STATES];	/* intervals starting here */
	_Atomic int32_t who;	/* CPU of the longest piece (lanes: holder + 1) */
	_Atomic uint64_t best;	/* that piece's length */
};

struct trace_fold {
	_Atomic uint32_t seq;		/* odd while the writer changes the fold */
	_Atomic uint64_t t0, width;	/* bucket b: [t0 + b * width, + width); width 0: empty */
	_Atomic uint64_t upto;		/* folded time ends here (the oldest kept event) */
	_Atomic uint64_t nfolded;	/* events folded: the ring's [0, nfolded) */
	struct trace_fold_bucket b[TRACE_FOLD_BUCKETS];
};

struct trace_task {
	_Atomic uint32_t used;		/* published by trace_task_add */
	uint32_t kind;			/* enum trace_kind */
	int32_t run;			/* index of the run the task belongs to */
	char name[TRACE_NAME_LEN];
	_Atomic int32_t pid, tid;
	_Atomic uint32_t state;
	_Atomic int32_t cpu;		/* last CPU seen, -1 if none */
	_Atomic int32_t signal;		/* for TRACE_FAILED */
	_Atomic uint64_t start_ns, end_ns, since_ns;
	_Atomic uint64_t total_ns[TRACE_NSTATES];
	_Atomic uint64_t max_ns[TRACE_NSTATES];
	_Atomic uint64_t short_lock_ns;	/* untraced lock waits inside the current interval */
	_Atomic uint64_t lock_count;	/* lock acquisitions that had to wait */
	_Atomic uint64_t cpumask[TRACE_CPU_WORDS];
	_Atomic uint64_t cpu_ns;	/* CPU time of the task, set at the end */
	_Atomic uint64_t oncpu_ns, wait_ns;	/* schedstat over the task's life */
	_Atomic uint32_t sched_known;	/* oncpu_ns and wait_ns were measured */
	uint64_t sched_base_on, sched_base_wait;	/* task's own: at begin */
	bool sched_base;		/* the baseline was read */
	uint64_t cpu_base;		/* thread CPU time at begin */
	_Atomic uint64_t progress;	/* work units done (for evenness) */
	_Atomic uint32_t meter;		/* enum trace_meter */
	_Atomic uint64_t value;		/* a meter's latest value (latency, ns) */
	uint64_t last_push_ns;		/* trace_set_state_sampled's: its writer's */
	_Atomic uint64_t nev;		/* events ever written */
	_Atomic uint64_t nsched;	/* sched samples ever written */
	struct trace_event ev[TRACE_RING];
	struct trace_sched sched[TRACE_SCHED_RING];
	struct trace_fold fold;
};

struct trace_mark {
	_Atomic uint32_t ready;
	uint32_t kind;
	int32_t run;			/* run index for TRACE_MARK_RUN, the task
					 * slot for TRACE_MARK_PRINT, else -1 */
	uint64_t ts;
	char text[40];
};

/* A presenter's pause (written by the controller only, in trace_set_paused). */
struct trace_pause {
	_Atomic uint64_t start, end;	/* monotonic ns; end 0 while it lasts */
	_Atomic uint64_t before;	/* paused time of the pauses before this one */
};

struct trace {
	uint64_t t0;			/* creation time, monotonic ns */
	size_t map_size;
	_Atomic uint32_t ntasks;	/* slots handed out */
	_Atomic uint32_t nmarks;
	_Atomic int32_t stop;		/* workers finish early when set */
	_Atomic int32_t paused;		/* workers park at their next tick */
	/* A GIL step armed (trace_step_arm): the next switch pauses. */
	_Atomic uint32_t step;
	/* Another trace that trace_stop stops too (a runner's scratch trace
	 * for the extra rounds, exec.h), or NULL. */
	struct trace *_Atomic also_stop;
	_Atomic uint64_t paused_ns;	/* total time paused so far */
	uint64_t pause_t0;		/* when the current pause began (its writer's) */
	_Atomic uint32_t npauses;	/* pauses recorded since the last reset */
	struct trace_pause pauses[TRACE_MAX_PAUSES];
	struct trace_mark marks[TRACE_MAX_MARKS];
	struct trace_task tasks[TRACE_MAX_TASKS];
};

/* Map a new trace in shared memory; NULL with a message on failure. */
struct trace *trace_create(char *err, size_t errlen);
/* Unmap the trace; NULL does nothing. */
void trace_destroy(struct trace *tr);
/* Forget all tasks and marks (between lab runs started from the dashboard). */
void trace_reset(struct trace *tr);

/* Ask every task to finish early (safe from an exit hook); the trace's
 * also_stop too. */
void trace_stop(struct trace *tr);
/* Make trace_stop(tr) stop other as well (NULL: no more). */
void trace_link_stop(struct trace *tr, struct trace *other);
/* Has trace_stop been called since the last reset? */
bool trace_stopping(const struct trace *tr);
/* Park the workload (on) or let it go on; the time parked is added to
 * paused_ns and the pause is recorded (trace_pause.c folds it out of every
 * state's time and of the timelines).  Called by the one thread that
 * controls the runs. */
void trace_set_paused(struct trace *tr, bool on, uint64_t now);
/* A worker parks until the pause ends or the lab stops (no CPU meanwhile);
 * trace_wake_paused wakes every parked worker (trace_set_paused and
 * trace_stop call it). */
void trace_wait_unpaused(struct trace *tr);
void trace_wake_paused(struct trace *tr);
/* A GIL step: the controller arms it, then lets the workload go; the next
 * switch of a simulated GIL (gil.c: a take by another thread) pauses the
 * trace at its own instant, so a step is one switch however late the
 * controller looks.  trace_step_take (at a switch) pauses when armed and
 * returns whether it did; trace_step_disarm (the controller, after) returns
 * true when a switch paused (and waits for its pause to show), false when
 * none came (it is disarmed: the controller pauses).  Whoever clears the
 * armed flag writes the pause: one writer still. */
void trace_step_arm(struct trace *tr);
bool trace_step_take(struct trace *tr, uint64_t now);
bool trace_step_disarm(struct trace *tr);
/* The presenter's paused time before ts (of the pauses since the last
 * reset; a pause in progress counts up to ts).  Any thread, any process. */
uint64_t trace_paused_before(const struct trace *tr, uint64_t ts);
/* The time in [a, e) that was not paused. */
uint64_t trace_active(const struct trace *tr, uint64_t a, uint64_t e);
/* ts on the folded clock: ts less the paused time before it.  Every time
 * inside a pause folds to the pause's start; the folded length of [a, e)
 * is its time not paused. */
uint64_t trace_fold(const struct trace *tr, uint64_t ts);
/* The earliest monotonic time whose fold is f (trace_fold's inverse: a
 * time inside a pause folds to the pause's start, so f there gives it). */
uint64_t trace_unfold(const struct trace *tr, uint64_t f);
/* The pauses recorded (at most TRACE_MAX_PAUSES: later ones are not
 * folded); pause i's [start, end), end 0 while it lasts.  false past them. */
int trace_npauses(const struct trace *tr);
bool trace_get_pause(const struct trace *tr, int i, uint64_t *start, uint64_t *end);

/* Claim a slot for a task of run `run`; -1 when the trace is full. */
int trace_task_add(struct trace *tr, int run, const char *name, enum trace_kind kind);
/* Give slot a new name.  The name is plain memory: only for a trace whose
 * readers run on the renaming thread (conclab trace draws itself). */
void trace_task_rename(struct trace *tr, int slot, const char *name);
/* Number of slots handed out. */
int trace_ntasks(const struct trace *tr);
/* The slot, or NULL if it is not (yet) published. */
const struct trace_task *trace_task(const struct trace *tr, int slot);
/* Whether a slot holds a task of that kind: false for a slot counted but
 * not yet published by trace_task_add (a live view may see it). */
bool trace_task_is(const struct trace *tr, int slot, enum trace_kind kind);

/* Writer side, called by the task itself.  With schedstat, the task's
 * run-queue wait is measured over its life (costs two small file reads). */
void trace_task_begin(struct trace *tr, int slot, bool schedstat);
void trace_set_state(struct trace *tr, int slot, enum trace_state st);
/* For a task changing state tens of thousands of times a second (a request
 * loop): the totals stay exact, but an event is written only when an
 * interval ends at least min_gap_ns after the last event, for that interval
 * (back-dated to its start): a sample of the state every min_gap_ns, and
 * every interval of min_gap_ns or more exactly.  The ring then spans
 * seconds, not 70 ms, and the timeline shows the mix of states. */
#define TRACE_SAMPLE_GAP_NS 1000000ULL
void trace_set_state_sampled(struct trace *tr, int slot, enum trace_state st,
    uint64_t min_gap_ns);
/* Like trace_set_state with an explicit time and argument (lanes, back-dated). */
void trace_set_state_at(struct trace *tr, int slot, enum trace_state st,
    uint64_t ts, uint32_t arg);
/* Account a lock wait [t_start, t_end) that has ended; short waits are only counted. */
void trace_lock_waited(struct trace *tr, int slot, uint64_t t_start, uint64_t t_end);
/* Record the CPU the task is on now (an event if it moved). */
void trace_note_cpu(struct trace *tr, int slot);
/* Add to the task's progress counter. */
void trace_progress(struct trace *tr, int slot, uint64_t units);
/* Say what the task measures (a load generator's requests). */
void trace_set_meter(struct trace *tr, int slot, enum trace_meter m);
/* One request answered: count it in progress and keep its latency. */
void trace_request(struct trace *tr, int slot, uint64_t latency_ns);
/* Finish the task: state DONE, thread CPU and schedstat figures recorded. */
void trace_task_end(struct trace *tr, int slot);
/* CPU figures of a task whose thread is not its own (coroutines share one,
 * a task row can stand for several threads). */
struct trace_cpu_totals {
	uint64_t cpu_ns;		/* CPU time of the task */
	uint64_t oncpu_ns, wait_ns;	/* on a core, waiting for a turn */
	bool sched_known;		/* oncpu_ns and wait_ns are meaningful */
};
/* Finish the task like trace_task_end, with the caller's CPU figures in
 * place of the calling thread's. */
void trace_task_end_totals(struct trace *tr, int slot, const struct trace_cpu_totals *c);
/* Mark a task failed with a signal (parent side, after the task died). */
void trace_task_fail(struct trace *tr, int slot, int sig);
/* Set the pid/tid of a slot from the parent (processes that died before begin). */
void trace_task_set_ids(struct trace *tr, int slot, pid_t pid, pid_t tid);

/* A task observed from outside (a thread conclab does not run, read from
 * /proc by proctrace): its one writer is the observer, which reports what it
 * saw with these instead of the task's own begin, state and end calls. */
/* Start the task at ts in state st on cpu (-1 unknown). */
void trace_task_begin_at(struct trace *tr, int slot, pid_t pid, pid_t tid, uint64_t ts,
    enum trace_state st, int cpu);
/* Enter st at ts on cpu (the same state on another CPU is a migration). */
void trace_set_state_cpu_at(struct trace *tr, int slot, enum trace_state st,
    uint64_t ts, int cpu);
/* End the task at ts with its schedstat figures over its life (on-CPU time
 * is its CPU time). */
void trace_task_end_at(struct trace *tr, int slot, uint64_t ts, uint64_t oncpu_ns,
    uint64_t wait_ns);

/* Sampler side: append a schedstat delta for the slot. */
void trace_sched_add(struct trace *tr, int slot, uint64_t ts, uint64_t oncpu_ns,
    uint64_t wait_ns);

/* Add a mark; -1 when full. */
int trace_mark(struct trace *tr, enum trace_mark_kind kind, int run, uint64_t ts,
    const char *text);
int trace_nmarks(const struct trace *tr);
/* The mark, or NULL if not yet published. */
const struct trace_mark *trace_get_mark(const struct trace *tr, int i);

/* What a task measured, read in one go (exact once it ended). */
struct trace_task_figures {
	enum trace_state state;
	int signal;			/* for TRACE_FAILED */
	pid_t pid, tid;
	uint64_t start_ns, end_ns;	/* monotonic; end 0 while it runs */
	uint64_t total_ns[TRACE_NSTATES];	/* closed intervals per state */
	uint64_t max_ns[TRACE_NSTATES];	/* the longest interval per state */
	uint64_t cpu_ns;		/* CPU time, set at the end */
	uint64_t oncpu_ns, wait_ns;	/* schedstat over its life */
	bool sched_known;		/* oncpu_ns and wait_ns were measured */
};
/* Fill out with the task's figures; false (out zeroed) for an unused slot. */
bool trace_task_figures(const struct trace *tr, int slot, struct trace_task_figures *out);
/* The task's current state (TRACE_NEW for an unused slot). */
enum trace_state trace_task_state(const struct trace *tr, int slot);
/* The task's process id (0 before it began). */
pid_t trace_task_pid(const struct trace *tr, int slot);
/* The CPU the task was last seen on, -1 if none. */
int trace_task_cpu(const struct trace *tr, int slot);
/* Has the task ended (done or failed)? */
bool trace_task_ended(const struct trace *tr, int slot);
/* The task's CPU time so far: exact once it ended; while it runs, its time
 * in RUN less the run-queue wait the sampler saw (the rest was on a core). */
uint64_t trace_task_cpu_ns(const struct trace *tr, int slot, uint64_t now);
/* The task's time ready (runnable, waiting for a core), once it ended with
 * schedstat known: its run-queue wait, but only as much as its runnable
 * time (RUN and READY intervals) exceeds its on-CPU time -- a lock waiter
 * woken to recheck, or a sleeper waking, waits for a core inside its lock
 * or io time, which stays lock or io.  So run, ready, lock and io partition
 * the task's life. */
uint64_t trace_task_ready_ns(const struct trace *tr, int slot);
/* The task's time running as the reports give it (run_s): its on-CPU
 * time (schedstat) once it ended, else its time in RUN.  False when that
 * is not known: a task whose process died (failed) measured nothing, and
 * its RUN interval is its life until the parent saw it die -- time waiting
 * for a core too, and never in the run's CPU. */
bool trace_task_run_ns(const struct trace_task_figures *tf, uint64_t *ns);
/* Events the slot ever recorded; with *state (if not NULL) the newest
 * event's state.  A change of the count means something happened. */
uint64_t trace_task_events(const struct trace *tr, int slot, enum trace_state *state);

/* Total ns the task spent in st up to `now` (including the open interval). */
uint64_t trace_task_total(const struct trace *tr, int slot, enum trace_state st,
    uint64_t now);
/* Events overwritten in the slot's ring and not folded (lost). */
uint64_t trace_task_dropped(const struct trace *tr, int slot);
/* Events overwritten in the slot's ring and folded into its buckets. */
uint64_t trace_task_folded_count(const struct trace *tr, int slot);
/* CPUs the task ran on, as a list of ints; returns the count. */
int trace_task_cpus(const struct trace *tr, int slot, int *cpus, int max);

/* One state interval of a task, for exports. */
struct trace_interval {
	uint64_t start, end;	/* monotonic ns */
	uint8_t state;
	int16_t cpu;
	uint32_t arg;
};
/* Copy the task's recorded intervals (oldest first, up to now) into a new
 * array the caller frees; returns the count.  Only the ring's: see
 * trace_task_history for the folded ones too. */
int trace_task_intervals(const struct trace *tr, int slot, uint64_t now,
    struct trace_interval **out);

/* A copy of a task's fold: bucket b covers [t0 + b * width, + width), cut
 * at upto (monotonic ns); ns[b][state] its time in each state, count[b][state]
 * the intervals of that state folded that began in it, who[b] the CPU
 * (lanes: holder slot + 1) of its longest piece.  nbuckets 0: none folded. */
struct trace_folded {
	uint64_t t0, width, upto, nfolded;
	int nbuckets;
	uint64_t ns[TRACE_FOLD_BUCKETS][TRACE_NSTATES];
	uint32_t count[TRACE_FOLD_BUCKETS][TRACE_NSTATES];
	int32_t who[TRACE_FOLD_BUCKETS];
};
/* The task's whole history: its fold into *fold and the ring's intervals
 * after it (as trace_task_intervals), read consistently -- the intervals
 * begin where the fold ends. */
int trace_task_history(const struct trace *tr, int slot, uint64_t now,
    struct trace_interval **out, struct trace_folded *fold);

/* One schedstat sample of a task (the sampler's deltas). */
struct trace_sched_sample {
	uint64_t ts;			/* monotonic ns */
	uint64_t oncpu_ns, wait_ns;	/* since the previous sample */
};
/* Copy the task's schedstat samples (oldest first) into a new array the
 * caller frees; returns the count. */
int trace_task_sched(const struct trace *tr, int slot, struct trace_sched_sample **out);

/* The task's CPU time so far, from the sampler's on-CPU samples (the
 * run-queue wait lags: it is counted when a wait ends); its measured CPU
 * once it ended.  At most its time in RUN. */
uint64_t trace_task_cpu_live(const struct trace *tr, int slot, uint64_t now);
/* Who held lock lane slot's lock at each of ts[0..n) (at most now): in
 * who[k] the holder slot + 1, 0 when free or unknown (before the ring's
 * oldest interval). */
/* Lock lane slot's time held by each holder in each of n buckets of
 * bucket_ns from t_from (laid as trace_task_shares lays them): who[j] the
 * j-th holder met (slot + 1; at most max of them), ns[b * max + j] its
 * time in bucket b.  Returns the holders met. */
int trace_lane_shares(const struct trace *tr, int slot, uint64_t t_from, uint64_t bucket_ns,
    int n, uint64_t now, int max, int *who, double *ns);
void trace_lane_holders_at(const struct trace *tr, int slot, const uint64_t *ts, int n,
    uint64_t now, int *who);
/* The time (ns) of each state in each of n buckets of bucket_ns from t_from:
 * ns[b * TRACE_NSTATES + state], the buckets laid on the folded clock
 * (trace_fold: bucket b starts at trace_fold(t_from) + b * bucket_ns, and the
 * presenter's pauses take no time); part of the RUN time becomes READY (the
 * run-queue wait: the measured one once the task ended, else its RUN time
 * less trace_task_cpu_live), placed where the sampler saw waiting; traced
 * states never move.  Final states (done, failed) fill the buckets after
 * them.  cpus[b]: the CPU of the longest
 * piece of bucket b (-1 none; for lanes the holder slot + 1). */
void trace_task_shares(const struct trace *tr, int slot, uint64_t t_from,
    uint64_t bucket_ns, int n, uint64_t now, double *ns, int16_t *cpus);

/* The same ready split over cells the caller laid (the CSV's state
 * intervals): cell c = [edges[c], edges[c + 1]) on the folded clock, edges
 * ascending, ns[c * TRACE_NSTATES + state] its time of each state; part of
 * each cell's RUN time becomes READY as trace_task_shares makes it (for a
 * task, not a lane).  Once the task ended with schedstat known, the cells'
 * READY then totals trace_task_ready_ns. */
void trace_task_split_ready(const struct trace *tr, int slot, const uint64_t *edges, int n,
    uint64_t now, double *ns);

/* Short name of a state ("run", "ready", ...). */
const char *trace_state_name(enum trace_state st);

#endif
