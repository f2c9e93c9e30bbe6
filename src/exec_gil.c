/*
 * exec_gil: one pthread per task under the simulated GIL -- `gil` is
 * CPython 3.2+ (switch interval, drop requests, forced switching), `gil-old`
 * is Python 2 (release and retake every check_ticks of Python 2's ticks, a
 * fib call counting call_ticks / 10 of them).  Each tick is charged the
 * interpreted cost interp_ns, so intervals and tick counts have CPython's
 * proportions.  A lane slot "GIL" shows the holder over time.
 *
 * Metrics: switches_per_s, drop_requests, gil_held_pct (JSON report keys, README),
 * handoffs_per_s (every release and retake), switch_ms (the interval in
 * force, after --slow), evenness_pct (when the first task finished, how far
 * the others had got, in % of their work; 100 = perfectly even); gil-old
 * with baseline = serial: serial_s (tasks x one task's work done alone just
 * before) and slowdown (wall / serial_s).
 */
#include "exec.h"

#include "clock.h"
#include "gil.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* The serial baseline's check interval: 2^31 ticks, over 20 s of Python 2 work. */
#define GIL_BASELINE_CHECK_TICKS INT_MAX

#define GIL_PARAM_SWITCH                                                       \
	{ .name = "switch_ms", .type = PARAM_INT, .def = 5, .min = 1,          \
	  .max = 10000, .help = "switch interval in ms (sys.setswitchinterval)" }
#define GIL_PARAM_CHECK                                                        \
	{ .name = "check_ticks", .type = PARAM_INT, .def = 100, .min = 1,      \
	  .max = 1000000, .help = "ticks between release and retake (Python 2)" }

/* See gil.h for where the defaults come from. */
#define GIL_PARAM_WAKE                                                         \
	{ .name = "wake_ns", .type = PARAM_INT, .def = GIL_WAKE_NS_DEFAULT,    \
	  .min = 0, .max = 1000000, .help = "extra CPU a release costs while "\
	  "a thread waits, ns (Python 2, 2+ cores; the real wake is paid)" }
#define GIL_PARAM_BASELINE                                                     \
	{ .name = "baseline", .type = PARAM_ENUM, .def = 0, .choices = "none|serial", \
	  .help = "serial: first one task's work alone, for serial_s and slowdown" }
#define GIL_PARAM_CALL_TICKS                                                   \
	{ .name = "call_ticks", .type = PARAM_INT, .def = GIL_CALL_TICKS_DEFAULT, \
	  .min = 1, .max = 100000, .help = "Python 2 ticks in 10 fib calls "   \
	  "(2.7.18: 55, measured)" }

static const struct param_spec gil_params[] = {
	EXEC_PARAM_TASKS(3),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(34),
	GIL_PARAM_SWITCH,
	EXEC_PARAM_END,
};

static const struct param_spec gil_old_params[] = {
	EXEC_PARAM_TASKS(3),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(34),
	GIL_PARAM_CHECK,
	GIL_PARAM_CALL_TICKS,
	GIL_PARAM_WAKE,
	GIL_PARAM_BASELINE,
	EXEC_PARAM_END,
};

static const char *const gil_metrics[] = {
	"switches_per_s", "drop_requests", "gil_held_pct", "handoffs_per_s",
	"switch_ms", "evenness_pct", "wake_us", "costly_wakes_per_s", "serial_s",
	"slowdown", NULL,
};

struct gil_run {
	struct run_ctx *rc;
	struct exec_work ew;
	struct gil *gil;
	int n, first_slot;
	_Atomic int first_done;		/* a task finished */
	double evenness_pct;		/* written by the first finisher */
};

struct gil_task {
	struct gil_run *gr;
	int slot;
};

/* The first task to finish notes how far the others had got. */
static void
gil_note_first(struct gil_run *gr, int self)
{
	struct trace *tr = gr->rc->env->tr;
	double sum = 0, total = gr->ew.sleep ? 1 : (double)gr->ew.plan.reps;
	int others = 0;

	if (at_xchg_acqrel(&gr->first_done, 1) != 0)
		return;
	for (int i = 0; i < gr->n; i++) {
		const struct trace_task *t = trace_task(tr, gr->first_slot + i);

		if (t == NULL || gr->first_slot + i == self)
			continue;
		sum += UTIL_MIN(1.0, (double)at_load_relaxed(&t->progress) / total);
		others++;
	}
	gr->evenness_pct = others > 0 ? 100.0 * sum / others : 100.0;
}

static void *
gil_task_main(void *p)
{
	struct gil_task *a = p;
	struct gil_run *gr = a->gr;
	struct trace *tr = gr->rc->env->tr;
	struct work_ctx w;

	work_ctx_init(&w, tr, a->slot, &gr->rc->env->cal, gr->ew.interp_ns);
	gil_attach(gr->gil, &w);
	trace_task_begin(tr, a->slot, true);
	gil_acquire(gr->gil, &w);
	if (gr->ew.sleep) {
		/* A blocking call: the lock is released around it. */
		gil_release(gr->gil, &w);
		work_sleep(&w, gr->ew.plan.sleep_ns);
		gil_acquire(gr->gil, &w);
	} else {
		work_run_fib(&w, &gr->ew.plan);
	}
	gil_note_first(gr, a->slot);
	gil_release(gr->gil, &w);
	trace_task_end(tr, a->slot);
	return NULL;
}

void
exec_gil_old_wake(struct run_ctx *rc, struct gil *g)
{
	/* On one core a waiter is woken without interrupting another core. */
	uint64_t ns = rc->env->ncpus >= 2 ? (uint64_t)lab_value(rc->run, "wake_ns") : 0;

	gil_set_wake_cost(g, &rc->env->cal, ns);
	gil_set_call_ticks(g, (double)lab_value(rc->run, "call_ticks") / 10);
	if (rc->res != NULL)
		result_set(rc->res, "wake_us", (double)ns / 1e3, 1);
}

/* The serial baseline, measured as gil.py measures Python 2's: one task's
 * work alone in this thread just before the threads, so under the same
 * load.  Python 2 has no lock yet then (it creates its GIL when the first
 * thread starts): its eval loop still counts the ticks down and checks, but
 * has nothing to release.  So here: the old GIL's tick hook with a check
 * interval the work never reaches.  (Under a lock released every 100 ticks
 * this simulation's bookkeeping, 0.1-0.2 us a release and retake against
 * Python 2's 14 ns sem_post + sem_wait, made the baseline up to a quarter
 * longer and the slowdown that much smaller.)  Returns its wall time in ns,
 * 0 when stopped or with sleep work. */
static uint64_t
gil_baseline(struct run_ctx *rc, const struct gil_run *gr, enum gil_kind kind)
{
	struct gil *g;
	struct work_ctx w;
	uint64_t t0, ns;
	volatile uint64_t sink = 0;

	if (gr->ew.sleep || kind != GIL_OLD || lab_value(rc->run, "baseline") == 0)
		return 0;
	g = gil_create(GIL_OLD, 0, GIL_BASELINE_CHECK_TICKS, NULL, -1);
	exec_gil_old_wake(rc, g);
	work_ctx_init(&w, NULL, -1, &rc->env->cal, gr->ew.interp_ns);
	gil_attach(g, &w);
	gil_acquire(g, &w);
	t0 = clock_now_ns();
	for (uint64_t r = 0; r < gr->ew.plan.reps && !exec_stopping(rc); r++)
		sink += work_fib(&w, gr->ew.plan.fib_n);
	ns = exec_stopping(rc) ? 0 : clock_now_ns() - t0;
	gil_release(g, &w);
	gil_destroy(g);
	(void)sink;
	return ns;
}

/* The run's time starts after the serial baseline, at t_start: a second
 * run mark moves its band's t = 0 there (the latest mark wins), so the band
 * is as long as the run's wall and draws no blank baseline before it. */
static void
gil_mark_threads(struct run_ctx *rc)
{
	char text[sizeof rc->env->tr->marks[0].text];

	snprintf(text, sizeof text, "%s threads", rc->run->name);
	trace_mark(rc->env->tr, TRACE_MARK_RUN, rc->run_index, rc->res->t_start, text);
}

static int
gil_run_kind(struct run_ctx *rc, enum gil_kind kind)
{
	struct gil_run gr = { .rc = rc };
	struct trace *tr = rc->env->tr;
	struct gil_task *args;
	pthread_t *th;
	struct gil_stats st;
	uint64_t switch_ns, alone_ns;
	double wall;
	int started = 0, rc_out = 0, lane;

	gr.n = (int)lab_value(rc->run, "tasks");
	exec_plan(rc, &gr.ew);
	args = xcalloc((size_t)gr.n, sizeof *args);
	th = xcalloc((size_t)gr.n, sizeof *th);
	for (int i = 0; i < gr.n; i++) {
		args[i].gr = &gr;
		args[i].slot = exec_task_add(rc, "thread", i + 1);
		if (args[i].slot < 0)
			goto out_free;
		if (i == 0)
			gr.first_slot = args[i].slot;
	}
	lane = trace_task_add(tr, rc->run_index, "GIL", TRACE_KIND_LANE);
	if (lane >= 0)
		rc->res->nslots = lane - rc->res->first_slot + 1;
	/* the new GIL has a switch interval, the old one a check interval */
	switch_ns = kind == GIL_NEW ? exec_switch_ns(rc) : 0;
	gr.gil = gil_create(kind, switch_ns, kind == GIL_OLD ?
	    (int)lab_value(rc->run, "check_ticks") : 0, tr, lane);
	if (kind == GIL_OLD)
		exec_gil_old_wake(rc, gr.gil);
	alone_ns = gil_baseline(rc, &gr, kind);

	rc->res->t_start = clock_now_ns();
	if (alone_ns > 0)
		gil_mark_threads(rc);
	for (int i = 0; i < gr.n; i++) {
		if (pthread_create(&th[i], NULL, gil_task_main, &args[i]) != 0) {
			util_err(rc->res->error, sizeof rc->res->error,
			    "could not start thread %d of %d", i + 1, gr.n);
			at_store_relaxed(&tr->stop, 1);
			rc_out = -1;
			break;
		}
		started++;
	}
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	rc->res->t_end = clock_now_ns();

	gil_get_stats(gr.gil, &st);
	wall = exec_wall_s(rc);
	if (wall > 0) {
		/* a pause parks the holder with the lock: not held for the work */
		double held = (double)st.held_ns - (double)exec_paused_ns(rc);

		result_set(rc->res, "switches_per_s", (double)st.switches / wall, 0);
		result_set(rc->res, "handoffs_per_s", (double)st.acquisitions / wall, 0);
		if (kind == GIL_OLD)
			result_set(rc->res, "costly_wakes_per_s",
			    (double)st.costly_wakes / wall, 0);
		result_set(rc->res, "gil_held_pct",
		    UTIL_MIN(100.0, 100.0 * UTIL_MAX(held, 0.0) / (wall * 1e9)), 1);
	}
	if (alone_ns > 0 && wall > 0) {
		double serial = (double)gr.n * (double)alone_ns / 1e9;

		result_set(rc->res, "serial_s", serial, 3);
		result_set(rc->res, "slowdown", wall / serial, 2);
	}
	result_set(rc->res, "drop_requests", (double)st.drop_requests, 0);
	if (kind == GIL_NEW)
		result_set(rc->res, "switch_ms", (double)switch_ns / 1e6, 1);
	if (!gr.ew.sleep)
		result_set(rc->res, "evenness_pct", gr.evenness_pct, 0);
	gil_destroy(gr.gil);
	free(args);
	free(th);
	return rc_out;
out_free:
	free(args);
	free(th);
	return -1;
}

static int
gil_run_new(struct run_ctx *rc)
{
	return gil_run_kind(rc, GIL_NEW);
}

static int
gil_run_old(struct run_ctx *rc)
{
	return gil_run_kind(rc, GIL_OLD);
}

const struct exec_ops exec_gil = {
	.info = {
		.name = "gil",
		.title = "threads under a simulated GIL (CPython 3.2+)",
		.params = gil_params,
		.metrics = gil_metrics,
		.timed_work = true,	/* (gil-old's waiters spin: not timed) */
	},
	.run = gil_run_new,
};

const struct exec_ops exec_gil_old = {
	.info = {
		.name = "gil-old",
		.title = "threads under the old tick GIL (Python 2)",
		.params = gil_old_params,
		.metrics = gil_metrics,
	},
	.run = gil_run_old,
};
