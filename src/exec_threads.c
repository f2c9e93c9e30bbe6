/*
 * exec_threads: one pthread per task -- what C does, and what free-threaded
 * CPython (3.13t, PEP 703) does: no lock between the threads.
 */
#include "exec.h"

#include "clock.h"
#include "util.h"

#include <stdlib.h>

static const struct param_spec threads_params[] = {
	EXEC_PARAM_TASKS(3),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(0),
	{ .name = "jobs", .type = PARAM_INT, .def = 0, .min = 0, .max = 10000000,
	  .help = "tiny jobs (one fib(fib_n) each) the threads share, at least that many "
		  "and for duration_ms (0 = off)" },
	EXEC_PARAM_END,
};

static const char *const threads_metrics[] = { "tasks_per_s", "jobs", NULL };

struct thread_arg {
	struct run_ctx *rc;
	const struct exec_work *ew;
	int slot;
	_Atomic int64_t *next_job;	/* jobs mode: the shared queue position */
	_Atomic int64_t *done;		/* jobs mode: jobs finished, all threads */
	int64_t jobs;
	uint64_t until_ns;		/* jobs mode: go on taking jobs until then */
};

/* Jobs mode: take job numbers from the shared counter -- a queue in shared
 * memory, no system call per job -- until `jobs` are taken and the run has
 * lasted duration_ms: a rate from a run of a tenth of a millisecond (2,000
 * fib(1) jobs) would measure the threads' start, not the jobs. */
static void
threads_jobs(struct thread_arg *a, struct work_ctx *w)
{
	int n = a->ew->plan.fib_n > 0 ? a->ew->plan.fib_n : 1;
	uint64_t mine = 0;
	bool timed_out = false;

	while (!w->stopped) {
		if (at_add_relaxed(a->next_job, 1) >= a->jobs && timed_out)
			break;
		work_fib(w, n);
		if (++mine % 1024 == 0) {
			trace_progress(w->tr, a->slot, 1024);
			timed_out = clock_now_ns() >= a->until_ns + exec_paused_ns(a->rc);
		}
	}
	trace_progress(w->tr, a->slot, mine % 1024);
	at_add_relaxed(a->done, (int64_t)mine);
}

static void *
threads_task(void *p)
{
	struct thread_arg *a = p;
	struct trace *tr = a->rc->env->tr;
	struct work_ctx w;

	work_ctx_init(&w, tr, a->slot, &a->rc->env->cal, a->ew->interp_ns);
	trace_task_begin(tr, a->slot, true);
	if (a->jobs > 0)
		threads_jobs(a, &w);
	else
		exec_do_work(&w, a->ew);
	trace_task_end(tr, a->slot);
	return NULL;
}

static int
threads_run(struct run_ctx *rc)
{
	int n = (int)lab_value(rc->run, "tasks"), started = 0, rc_out = 0;
	struct thread_arg *args = xcalloc((size_t)n, sizeof *args);
	pthread_t *th = xcalloc((size_t)n, sizeof *th);
	struct exec_work ew;
	_Atomic int64_t next_job = 0, done = 0;
	int64_t jobs = lab_value(rc->run, "jobs");
	uint64_t until;

	exec_plan(rc, &ew);
	for (int i = 0; i < n; i++) {
		args[i].rc = rc;
		args[i].ew = &ew;
		args[i].next_job = &next_job;
		args[i].done = &done;
		args[i].jobs = jobs;
		args[i].slot = exec_task_add(rc, "thread", i + 1);
		if (args[i].slot < 0) {
			free(args);
			free(th);
			return -1;
		}
	}
	rc->res->t_start = clock_now_ns();
	until = rc->res->t_start + (uint64_t)lab_value(rc->run, "duration_ms") * 1000000u;
	for (int i = 0; i < n; i++)
		args[i].until_ns = until;
	started = exec_start_threads(rc, th, n, threads_task, args, sizeof args[0]);
	if (started < n)
		rc_out = -1;
	exec_join_threads(th, started);
	rc->res->t_end = clock_now_ns();
	if (jobs > 0) {
		result_set(rc->res, "jobs", (double)at_load_relaxed(&done), 0);
		exec_set_rate(rc, "tasks_per_s", (double)at_load_relaxed(&done), 0);
	}
	free(args);
	free(th);
	return rc_out;
}

const struct exec_ops exec_threads = {
	.info = {
		.name = "threads",
		.title = "a thread per task (C; free-threaded CPython 3.13t)",
		.params = threads_params,
		.metrics = threads_metrics,
		.timed_work = true,
	},
	.run = threads_run,
};
