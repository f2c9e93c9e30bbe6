/*
 * exec_threads: one pthread per task -- what C does, and what free-threaded
 * CPython (3.13t, PEP 703) does: no lock between the threads.
 *
 * Jobs mode (jobs > 0): the threads run many tiny fib(fib_n) jobs, either
 * flat out from a counter in shared memory (inflight = 0), or handed over
 * one by one (inflight = k: the run's own thread submits each job, wakes a
 * worker thread and sleeps until at most k-1 are still out -- what
 * ThreadPoolExecutor's submit(...).result() does, and the fair counterpart
 * of the process pool's hand-over).
 */
#include "exec.h"

#include "clock.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static const struct param_spec threads_params[] = {
	EXEC_PARAM_TASKS(3),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(0),
	{ .name = "jobs", .type = PARAM_INT, .def = 0, .min = 0, .max = 10000000,
	  .help = "tiny jobs (one fib(fib_n) each) the threads share, at least that many "
		  "and for duration_ms (0 = off)" },
	{ .name = "inflight", .type = PARAM_INT, .def = 0, .min = 0, .max = 10000000,
	  .help = "jobs mode: 0 = the threads take jobs flat out; k = exactly `jobs` jobs "
		  "are each handed to a thread, at most k at once (1: submit and wait)" },
	EXEC_PARAM_END,
};

static const char *const threads_metrics[] = { "tasks_per_s", "jobs", NULL };

/* Hand-over mode: the jobs submitted, taken and finished, under one lock. */
struct handq {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a job was submitted, or the queue closed */
	pthread_cond_t back;	/* a job finished */
	int64_t submitted, taken, finished;
	bool closed;
};

struct thread_arg {
	struct run_ctx *rc;
	const struct exec_work *ew;
	int slot;
	_Atomic int64_t *next_job;	/* jobs mode: the shared queue position */
	_Atomic int64_t *done;		/* jobs mode: jobs finished, all threads */
	int64_t jobs;
	uint64_t until_ns;		/* jobs mode: go on taking jobs until then */
	struct handq *hq;		/* hand-over mode, else NULL */
};

/* Wait on cv for at most 20 ms (the caller rechecks the lab's stop flag). */
static void
handq_wait(pthread_cond_t *cv, pthread_mutex_t *mu)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(cv, mu, &ts);
}

/* Hand-over mode, a worker thread: sleep until a job is submitted, run it,
 * tell the submitter, until the queue is closed. */
static void
threads_handed(struct thread_arg *a, struct work_ctx *w)
{
	struct handq *q = a->hq;
	int n = a->ew->plan.fib_n > 0 ? a->ew->plan.fib_n : 1;
	uint64_t mine = 0;

	pthread_mutex_lock(&q->mu);
	while (!w->stopped && !exec_stopping(a->rc)) {
		if (q->taken == q->submitted) {
			if (q->closed)
				break;
			handq_wait(&q->work, &q->mu);
			continue;
		}
		q->taken++;
		pthread_mutex_unlock(&q->mu);
		work_fib(w, n);
		if (++mine % 64 == 0)
			trace_progress(w->tr, a->slot, 64);
		pthread_mutex_lock(&q->mu);
		q->finished++;
		pthread_cond_signal(&q->back);
	}
	pthread_mutex_unlock(&q->mu);
	trace_progress(w->tr, a->slot, mine % 64);
	at_add_relaxed(a->done, (int64_t)mine);
}

/* Hand-over mode, the submitter (the run's thread): submit `jobs` jobs, at
 * most `inflight` unfinished at once, each waking a worker; then close. */
static void
threads_submit(struct run_ctx *rc, struct handq *q, int64_t jobs, int64_t inflight)
{
	pthread_mutex_lock(&q->mu);
	for (int64_t i = 0; i < jobs && !exec_stopping(rc); ) {
		if (q->submitted - q->finished >= inflight) {
			handq_wait(&q->back, &q->mu);
			continue;
		}
		q->submitted++;
		i++;
		pthread_cond_signal(&q->work);
	}
	while (q->finished < q->submitted && !exec_stopping(rc))
		handq_wait(&q->back, &q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->mu);
}

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
	if (a->hq)
		threads_handed(a, &w);
	else if (a->jobs > 0)
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
	int64_t inflight = lab_value(rc->run, "inflight");
	struct handq hq = { .mu = PTHREAD_MUTEX_INITIALIZER,
			    .work = PTHREAD_COND_INITIALIZER,
			    .back = PTHREAD_COND_INITIALIZER };
	uint64_t until;

	exec_plan(rc, &ew);
	for (int i = 0; i < n; i++) {
		args[i].rc = rc;
		args[i].ew = &ew;
		args[i].next_job = &next_job;
		args[i].done = &done;
		args[i].jobs = jobs;
		args[i].hq = jobs > 0 && inflight > 0 ? &hq : NULL;
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
	if (jobs > 0 && inflight > 0 && started > 0)
		threads_submit(rc, &hq, jobs, inflight);
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
