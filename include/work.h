/*
 * work: the workloads tasks run.  fib(n) exactly as the seeds define it
 * (1 for n <= 2) with a tick on every call; sleeping; an interpreted cost
 * charged per tick by a calibrated spin; and calibration that turns "D ms of
 * CPU" into a fib n and a repetition count on this machine.
 *
 * The tick is cheap: a countdown decremented on every call; when it reaches 0
 * the slow path runs (interpreted-cost spin, the executor's hook such as the
 * simulated GIL's drop check, the stop and pause flags).
 */
#ifndef CONCLAB_WORK_H
#define CONCLAB_WORK_H

#include "trace.h"

#include <stdbool.h>
#include <stdint.h>

/* Ticks between slow-path checks when nothing needs every tick. */
#define WORK_CHECK_PERIOD 4096

struct work_ctx;
typedef void (*work_hook_fn)(struct work_ctx *);

struct work_ctx {
	uint64_t countdown;	/* ticks left before the slow path */
	uint64_t period;	/* slow path every `period` ticks */
	uint64_t ticks;		/* ticks run so far */
	uint64_t spin_loops;	/* interpreted cost per tick, in spin loops */
	work_hook_fn hook;	/* called on the slow path, may be NULL */
	void *hook_arg;		/* the hook's state (e.g. the GIL) */
	struct trace *tr;	/* may be NULL (calibration, tests) */
	int slot;		/* the task's trace slot */
	bool stopped;		/* the lab was stopped: unwind at once */
};

/* What one task computes: reps x fib(n), or a sleep. */
struct work_plan {
	int fib_n;
	uint64_t reps;
	uint64_t sleep_ns;	/* for sleep work */
};

struct work_calib {
	double fib_ns_per_call;	/* plain C fib call with the tick */
	double spin_ns_per_loop;
	uint64_t calib_ns;	/* how long calibration took */
};

/* Set up a context for a task in slot (tr may be NULL); interp_ns per tick. */
void work_ctx_init(struct work_ctx *w, struct trace *tr, int slot,
    const struct work_calib *cal, double interp_ns);
/* The slow path of a tick (do not call directly). */
void work_tick_slow(struct work_ctx *w);

static inline void
work_tick(struct work_ctx *w)
{
	w->ticks++;
	if (--w->countdown == 0)
		work_tick_slow(w);
}

/* fib(n) with a tick on every call; returns 0 early if the lab stops. */
uint64_t work_fib(struct work_ctx *w, int n);
/* Number of calls fib(n) makes: 2 fib(n) - 1. */
uint64_t work_fib_calls(int n);
/* Measure this machine; takes well under a second. */
void work_calibrate(struct work_calib *cal);
/* Plan duration_ns of fib work at interp_ns per call. */
void work_plan_fib(const struct work_calib *cal, double interp_ns, uint64_t duration_ns,
    struct work_plan *plan);
/* Spin for about ns nanoseconds of CPU (calibrated loop). */
void work_spin_ns(const struct work_calib *cal, double ns);
/* Run the plan's fib repetitions (progress and CPU noted per repetition). */
uint64_t work_run_fib(struct work_ctx *w, const struct work_plan *plan);
/* Sleep ns in the io state, waking early when the lab stops. */
void work_sleep(struct work_ctx *w, uint64_t ns);
/* Park while the trace is paused; returns at once otherwise. */
void work_wait_unpaused(struct trace *tr);

#endif
