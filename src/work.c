/*
 * work: fib with a tick hook, sleep, interpreted cost and calibration.
 */
#include "work.h"

#include "clock.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

#define WORK_WARM_NS (60 * CLOCK_NS_PER_MS)	/* see work_warm */

static inline void
work_spin(uint64_t loops)
{
	for (uint64_t i = 0; i < loops; i++)
		__asm__ __volatile__("" ::: "memory");
}

void
work_ctx_init(struct work_ctx *w, struct trace *tr, int slot,
    const struct work_calib *cal, double interp_ns)
{
	w->ticks = 0;
	w->spin_loops = 0;
	if (interp_ns > 0 && cal != NULL && cal->spin_ns_per_loop > 0)
		w->spin_loops = (uint64_t)llround(interp_ns / cal->spin_ns_per_loop);
	w->period = w->spin_loops > 0 ? 1 : WORK_CHECK_PERIOD;
	w->countdown = w->period;
	w->hook = NULL;
	w->hook_arg = NULL;
	w->tr = tr;
	w->slot = slot;
	w->stopped = false;
}

void
work_wait_unpaused(struct trace *tr)
{
	trace_wait_unpaused(tr);
}

void
work_tick_slow(struct work_ctx *w)
{
	w->countdown = w->period;
	if (w->spin_loops)
		work_spin(w->spin_loops);
	if (w->hook != NULL)
		w->hook(w);
	/* Flags are checked every WORK_CHECK_PERIOD ticks whatever the period. */
	if (w->tr != NULL && (w->ticks & (WORK_CHECK_PERIOD - 1)) < w->period) {
		if (at_load_relaxed(&w->tr->stop))
			w->stopped = true;
		else if (at_load_relaxed(&w->tr->paused) && w->hook == NULL)
			work_wait_unpaused(w->tr);
	}
}

uint64_t
work_fib(struct work_ctx *w, int n)
{
	work_tick(w);
	if (w->stopped)
		return 0;
	if (n <= 2)
		return 1;
	return work_fib(w, n - 1) + work_fib(w, n - 2);
}

uint64_t
work_fib_calls(int n)
{
	uint64_t a = 1, b = 1;

	if (n <= 2)
		return 1;
	for (int i = 3; i <= n; i++) {
		uint64_t c = a + b;

		a = b;
		b = c;
	}
	return 2 * b - 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* CPU ns per call of fib(n) over `times` runs: the second fastest, since
 * other load, a cold cache or a slow clock only ever slow a run down. */
static double
work_measure(int n, int times)
{
	struct work_ctx w;
	double v[9];
	volatile uint64_t sink = 0;

	work_ctx_init(&w, NULL, -1, NULL, 0);
	for (int i = 0; i < times; i++) {
		uint64_t t0 = clock_thread_cpu_ns();

		sink += work_fib(&w, n);
		v[i] = (double)(clock_thread_cpu_ns() - t0) / (double)work_fib_calls(n);
	}
	(void)sink;
	qsort(v, (size_t)times, sizeof v[0], cmp_double);
	return v[times > 2 ? 1 : 0];
}

/* A core coming out of idle computes slower for a while (its clock ramps
 * up): measured here after 3 s idle, 1.40-1.47 ns a fib call in the first
 * 20 ms, 0.93 once warm.  Compute for `ns` of CPU time first. */
static void
work_warm(uint64_t ns)
{
	struct work_ctx w;
	volatile uint64_t sink = 0;
	uint64_t t0 = clock_thread_cpu_ns();

	work_ctx_init(&w, NULL, -1, NULL, 0);
	while (clock_thread_cpu_ns() - t0 < ns)
		sink += work_fib(&w, 20);
	(void)sink;
}

void
work_calibrate(struct work_calib *cal)
{
	double spin[7], rough;
	uint64_t start = clock_now_ns();
	int n = 20;

	work_warm(WORK_WARM_NS);
	/* A rough figure first, then the n a 2 ms repetition will use. */
	rough = work_measure(22, 5);
	while (n < 45 && (double)work_fib_calls(n + 1) * rough <= 2e6)
		n++;
	cal->fib_ns_per_call = work_measure(n, 7);
	for (int i = 0; i < 7; i++) {
		uint64_t t0 = clock_thread_cpu_ns();

		work_spin(200000);
		spin[i] = (double)(clock_thread_cpu_ns() - t0) / 200000.0;
	}
	qsort(spin, 7, sizeof spin[0], cmp_double);
	cal->spin_ns_per_loop = spin[1] > 0 ? spin[1] : 0.3;
	cal->calib_ns = clock_now_ns() - start;
}

void
work_plan_fib(const struct work_calib *cal, double interp_ns, uint64_t duration_ns,
    struct work_plan *plan)
{
	double per_call = cal->fib_ns_per_call + (interp_ns > 0 ? interp_ns : 0);
	/* One repetition of about 2 ms keeps stops and CPU notes prompt. */
	double target = UTIL_MIN(2e6, (double)duration_ns);
	int n = 3;
	double rep_ns;

	while (n < 60 && (double)work_fib_calls(n + 1) * per_call <= target)
		n++;
	rep_ns = (double)work_fib_calls(n) * per_call;
	plan->fib_n = n;
	plan->reps = (uint64_t)llround((double)duration_ns / rep_ns);
	if (plan->reps == 0)
		plan->reps = 1;
	plan->sleep_ns = 0;
}

void
work_spin_ns(const struct work_calib *cal, double ns)
{
	if (ns > 0 && cal->spin_ns_per_loop > 0)
		work_spin((uint64_t)(ns / cal->spin_ns_per_loop));
}

uint64_t
work_run_fib(struct work_ctx *w, const struct work_plan *plan)
{
	uint64_t sum = 0;

	for (uint64_t r = 0; r < plan->reps && !w->stopped; r++) {
		sum += work_fib(w, plan->fib_n);
		if (w->tr != NULL) {
			trace_progress(w->tr, w->slot, 1);
			trace_note_cpu(w->tr, w->slot);
		}
	}
	return sum;
}

void
work_sleep(struct work_ctx *w, uint64_t ns)
{
	/* a presenter's pause stops the sleep too: it lasts ns not paused */
	uint64_t from = w->tr != NULL ? trace_fold(w->tr, clock_now_ns()) : clock_now_ns();

	if (w->tr != NULL)
		trace_set_state(w->tr, w->slot, TRACE_IO);
	for (;;) {
		uint64_t now = clock_now_ns(), slept;

		slept = (w->tr != NULL ? trace_fold(w->tr, now) : now) - from;
		if (slept >= ns)
			break;
		if (w->tr != NULL && at_load_relaxed(&w->tr->stop)) {
			w->stopped = true;
			break;
		}
		clock_sleep_ns(UTIL_MIN(ns - slept, 20 * CLOCK_NS_PER_MS));
	}
	if (w->tr != NULL) {
		trace_set_state(w->tr, w->slot, TRACE_RUN);
		trace_progress(w->tr, w->slot, 1);
	}
}
