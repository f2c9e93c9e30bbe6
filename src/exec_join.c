/*
 * exec_join: the seed's dispatcher that forgets to join.  Main starts N fib
 * threads and reads the clock: with join = no it reads it at once (and
 * reports about nothing), with join = yes after joining every thread.
 *
 * The broken run still never leaves a thread behind: once "main" has
 * reported, the executor joins the workers itself, so the timeline shows
 * them running on after the "main finished" mark and `actual_s` is the time
 * until the last worker ended.  The "main" row is the dispatcher: run while
 * it starts threads, io while it waits in join, done when it reports.
 */
#include "exec.h"

#include "clock.h"
#include "util.h"

#include <stdlib.h>

static const struct param_spec join_params[] = {
	EXEC_PARAM_TASKS(4),
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(0),
	{ .name = "join", .type = PARAM_ENUM, .def = 1, .choices = "no|yes",
	  .help = "whether main joins the workers before reading the clock" },
	EXEC_PARAM_END,
};

static const char *const join_metrics[] = { "reported_s", "actual_s", NULL };

struct join_arg {
	struct run_ctx *rc;
	const struct exec_work *ew;
	int slot;
};

static void *
join_task(void *p)
{
	struct join_arg *a = p;
	struct trace *tr = a->rc->env->tr;
	struct work_ctx w;

	work_ctx_init(&w, tr, a->slot, &a->rc->env->cal, a->ew->interp_ns);
	trace_task_begin(tr, a->slot, true);
	exec_do_work(&w, a->ew);
	trace_task_end(tr, a->slot);
	return NULL;
}

/* Latest end time of the workers (they have all been joined). */
static uint64_t
join_last_end(const struct run_ctx *rc, const struct join_arg *args, int n)
{
	uint64_t last = 0;

	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(rc->env->tr, args[i].slot);
		uint64_t end = t != NULL ? at_load_relaxed(&t->end_ns) : 0;

		last = UTIL_MAX(last, end);
	}
	return last;
}

static int
join_run(struct run_ctx *rc)
{
	int n = (int)lab_value(rc->run, "tasks"), started = 0, rc_out = 0;
	bool joins = lab_value(rc->run, "join") == 1;
	struct trace *tr = rc->env->tr;
	struct join_arg *args = xcalloc((size_t)n, sizeof *args);
	pthread_t *th = xcalloc((size_t)n, sizeof *th);
	uint64_t t0, reported, last;
	struct exec_work ew;
	int main_slot;

	exec_plan(rc, &ew);
	main_slot = exec_task_add(rc, "main", 0);
	for (int i = 0; i < n && main_slot >= 0; i++) {
		args[i].rc = rc;
		args[i].ew = &ew;
		args[i].slot = exec_task_add(rc, "fib", i + 1);
		if (args[i].slot < 0)
			main_slot = -1;
	}
	if (main_slot < 0) {
		free(args);
		free(th);
		return -1;
	}
	trace_task_begin(tr, main_slot, false);
	t0 = clock_now_ns();
	rc->res->t_start = t0;
	for (int i = 0; i < n; i++) {
		if (pthread_create(&th[i], NULL, join_task, &args[i]) != 0) {
			util_err(rc->res->error, sizeof rc->res->error,
			    "could not start thread %d of %d", i + 1, n);
			at_store_relaxed(&tr->stop, 1);
			rc_out = -1;
			break;
		}
		started++;
	}
	if (joins) {
		trace_set_state(tr, main_slot, TRACE_IO);
		for (int i = 0; i < started; i++)
			pthread_join(th[i], NULL);
		trace_set_state(tr, main_slot, TRACE_RUN);
	}
	/* What the dispatcher prints: end - start, read now. */
	reported = clock_now_ns() - t0;
	trace_mark(tr, TRACE_MARK_NOTE, rc->run_index, clock_now_ns(), "main finished");
	trace_task_end(tr, main_slot);
	if (!joins) {
		/* The lesson is over; the executor still owns the threads. */
		for (int i = 0; i < started; i++)
			pthread_join(th[i], NULL);
	}
	last = join_last_end(rc, args, started);
	rc->res->t_end = UTIL_MAX(last, t0 + reported);
	result_set(rc->res, "reported_s", (double)reported / 1e9, 3);
	result_set(rc->res, "actual_s", (double)(rc->res->t_end - t0) / 1e9, 3);
	free(args);
	free(th);
	return rc_out;
}

const struct exec_ops exec_join = {
	.info = {
		.name = "join",
		.title = "a dispatcher that starts threads and reads the clock",
		.params = join_params,
		.metrics = join_metrics,
	},
	.run = join_run,
};
