/*
 * exec_coro: the seed's generator scheduler, in C.  Countdown tasks (10, 5,
 * 20 by default) sit in a deque; the scheduler pops one, resumes it until it
 * yields a value, records the value and appends the task again -- round
 * robin on one thread, no library, no stacks of their own.
 *
 * Each coroutine is an explicit state machine (struct coro: where it is and
 * its locals); coro_step() runs it from its current state to the next yield
 * and returns what it yielded.  A countdown yields after every step of
 * step_ms of fib work.  The blocking run adds a task that computes fib for
 * block_ms and never yields inside: every other task waits meanwhile.
 *
 * Trace: one slot per coroutine, all written by the scheduler thread (one
 * writer per slot still holds).  The running coroutine is `run`, the others
 * `ready` (runnable, waiting for their turn), so each switch point shows.
 * Each slot's CPU time is what its own steps used, not the thread's.
 */
#include "exec.h"

#include "clock.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORO_MAX 4		/* three countdowns and the blocker */
#define CORO_ORDER_MAX 4096

static const struct param_spec coro_params[] = {
	{ .name = "count1", .type = PARAM_INT, .def = 10, .min = 0, .max = 1000,
	  .help = "first countdown's start" },
	{ .name = "count2", .type = PARAM_INT, .def = 5, .min = 0, .max = 1000,
	  .help = "second countdown's start" },
	{ .name = "count3", .type = PARAM_INT, .def = 20, .min = 0, .max = 1000,
	  .help = "third countdown's start" },
	{ .name = "step_ms", .type = PARAM_INT, .def = 20, .min = 0, .max = 10000,
	  .help = "fib work in each countdown step, ms of CPU" },
	{ .name = "block_ms", .type = PARAM_INT, .def = 0, .min = 0,
	  .max = 600000, .help = "a task that computes this long without "
	  "yielding, second in the deque (0 = none)" },
	EXEC_PARAM_END,
};

static const char *const coro_metrics[] = { "order", "switches", "max_gap_ms", NULL };

enum coro_kind { CORO_COUNTDOWN, CORO_BLOCKER };

/* Where a coroutine resumes: the labels of its generator body. */
enum coro_pc { CORO_START, CORO_AFTER_YIELD, CORO_FINISHED };

struct coro {
	enum coro_kind kind;
	enum coro_pc pc;
	int n;			/* countdown: the generator's local n */
	int slot;
	uint64_t cpu_ns;	/* CPU used by this coroutine's steps */
	struct work_ctx w;
};

/* Resume c until it yields (true, *out set) or returns (false). */
static bool
coro_step(struct coro *c, const struct work_plan *step, const struct work_plan *block,
    int *out)
{
	switch (c->pc) {
	case CORO_START:
		if (c->kind == CORO_BLOCKER) {
			/* fib inline: no yield until the work is done. */
			work_run_fib(&c->w, block);
			c->pc = CORO_FINISHED;
			return false;
		}
		/* while n > 0: work; yield n */
		if (c->n <= 0)
			break;
		work_run_fib(&c->w, step);
		*out = c->n;
		c->pc = CORO_AFTER_YIELD;
		return true;
	case CORO_AFTER_YIELD:
		/* n -= 1; loop */
		c->n--;
		c->pc = CORO_START;
		return coro_step(c, step, block, out);
	case CORO_FINISHED:
		break;
	}
	c->pc = CORO_FINISHED;
	return false;
}

/* A deque of coroutine indices (a ring). */
struct coro_deque {
	int items[CORO_MAX];
	int head, len;
};

static void
deque_push(struct coro_deque *d, int i)
{
	d->items[(d->head + d->len++) % CORO_MAX] = i;
}

static int
deque_pop(struct coro_deque *d)
{
	int i = d->items[d->head];

	d->head = (d->head + 1) % CORO_MAX;
	d->len--;
	return i;
}

/* A run: its coroutines, their work, and what the scheduler saw. */
struct coro_run {
	struct coro co[CORO_MAX];
	int nco;
	struct work_plan step, block;	/* a countdown step; the blocker's work */
	double *order;			/* the values yielded, in order */
	int norder;
	uint64_t switches, max_gap;
};

/* The three countdowns and (block_ms > 0) the blocker, second in line. */
static int
coro_setup(struct run_ctx *rc, struct coro_run *cr)
{
	static const char *const counts[] = { "count1", "count2", "count3" };
	uint64_t block_ns = (uint64_t)lab_value(rc->run, "block_ms") * CLOCK_NS_PER_MS;
	uint64_t step_ns = (uint64_t)lab_value(rc->run, "step_ms") * CLOCK_NS_PER_MS;
	struct trace *tr = rc->env->tr;

	if (step_ns > 0)
		work_plan_fib(&rc->env->cal, 0, step_ns, &cr->step);
	if (block_ns > 0)
		work_plan_fib(&rc->env->cal, 0, block_ns, &cr->block);
	for (int i = 0; i < 3; i++) {
		struct coro *c = &cr->co[cr->nco++];
		char name[TRACE_NAME_LEN];

		c->kind = CORO_COUNTDOWN;
		c->n = (int)lab_value(rc->run, counts[i]);
		snprintf(name, sizeof name, "countdown(%d)", c->n);
		c->slot = trace_task_add(tr, rc->run_index, name, TRACE_KIND_TASK);
		if (i == 0 && block_ns > 0) {
			c = &cr->co[cr->nco++];
			c->kind = CORO_BLOCKER;
			c->slot = trace_task_add(tr, rc->run_index, "fib-inline",
			    TRACE_KIND_TASK);
		}
	}
	for (int i = 0; i < cr->nco; i++) {
		if (cr->co[i].slot < 0) {
			util_err(rc->res->error, sizeof rc->res->error,
			    "the trace is full (%d tasks in all)", TRACE_MAX_TASKS);
			return -1;
		}
		if (i == 0)
			rc->res->first_slot = cr->co[i].slot;
		rc->res->nslots = cr->co[i].slot - rc->res->first_slot + 1;
	}
	return 0;
}

/* Round robin: resume the first in line until it yields (back in line)
 * or returns (done), until none is left. */
static void
coro_schedule(struct run_ctx *rc, struct coro_run *cr)
{
	struct trace *tr = rc->env->tr;
	struct coro_deque dq = { .head = 0 };
	uint64_t last_out;
	int last = -1;

	for (int i = 0; i < cr->nco; i++) {
		work_ctx_init(&cr->co[i].w, tr, cr->co[i].slot, &rc->env->cal, 0);
		trace_task_begin(tr, cr->co[i].slot, false);
		trace_set_state(tr, cr->co[i].slot, TRACE_READY);
		deque_push(&dq, i);
	}
	last_out = clock_now_ns();
	while (dq.len > 0) {
		int i = deque_pop(&dq), v;
		struct coro *c = &cr->co[i];
		uint64_t cpu0;
		bool yielded;

		if (last >= 0 && last != i)
			cr->switches++;
		last = i;
		trace_set_state(tr, c->slot, TRACE_RUN);
		cpu0 = clock_thread_cpu_ns();
		yielded = coro_step(c, &cr->step, &cr->block, &v);
		c->cpu_ns += clock_thread_cpu_ns() - cpu0;
		if (exec_stopping(rc))
			yielded = false;
		if (yielded) {
			uint64_t now = clock_now_ns();

			cr->max_gap = UTIL_MAX(cr->max_gap, now - last_out);
			last_out = now;
			if (cr->norder < CORO_ORDER_MAX)
				cr->order[cr->norder++] = v;
			trace_progress(tr, c->slot, 1);
			trace_set_state(tr, c->slot, TRACE_READY);
			deque_push(&dq, i);
		} else {
			/* The thread's CPU is shared: keep only this task's; its
			 * wait for a turn is what "ready" means here. */
			struct trace_cpu_totals tot = {
				.cpu_ns = c->cpu_ns, .oncpu_ns = c->cpu_ns,
				.wait_ns = trace_task_total(tr, c->slot, TRACE_READY,
				    clock_now_ns()),
				.sched_known = true,
			};

			trace_task_end_totals(tr, c->slot, &tot);
		}
	}
}

static int
coro_run(struct run_ctx *rc)
{
	struct coro_run *cr = xcalloc(1, sizeof *cr);
	int rc_out = -1;

	cr->order = xcalloc(CORO_ORDER_MAX, sizeof *cr->order);
	if (coro_setup(rc, cr) < 0)
		goto out_free;
	rc->res->t_start = clock_now_ns();
	coro_schedule(rc, cr);
	rc->res->t_end = clock_now_ns();
	result_set_array(rc->res, "order", cr->order, cr->norder);
	result_set(rc->res, "switches", (double)cr->switches, 0);
	result_set(rc->res, "max_gap_ms", (double)cr->max_gap / 1e6, 1);
	rc_out = 0;
out_free:
	free(cr->order);
	free(cr);
	return rc_out;
}

const struct exec_ops exec_coro = {
	.info = {
		.name = "coroutines",
		.title = "generator-style coroutines, round robin on one thread",
		.params = coro_params,
		.metrics = coro_metrics,
	},
	.run = coro_run,
};
