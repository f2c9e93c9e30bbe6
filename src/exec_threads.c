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
 *
 * What Python's ThreadPoolExecutor pays per task beyond this hand-over is
 * modelled, as the process pool's costs are (exec_pool.c), from what it
 * was measured to pay:
 *   - the GIL (pool_gil = python): the submitter and the workers run only
 *     while they hold a simulated GIL (gil.c, CPython 3.2+), which a thread
 *     gives up when it blocks -- the submitter in result(), a worker in its
 *     queue's get.  A woken worker can find the GIL still held by the
 *     submitter, which is finishing submit() and entering result(), and
 *     wait for it: a second wake-up; the submitter, woken by the result,
 *     waits likewise for the worker to go back to its queue;
 *   - CPU in the submitting thread (task_cost_us) and in a worker
 *     (worker_cost_us) beyond this pool's own, half spun before and half
 *     after the hand-over (submit() and result(); the call and set_result()).
 * Measured (python3.11.7 on this 2-core VM, 2 workers, fib(1) submitted one
 * at a time and waited for; the process's CPU time and voluntary context
 * switches per task, the difference of a 30,000- and a 2,000-task run,
 * /usr/bin/time; load 7.6 to 19, steal under 0.2 %): Python 20.4-25.0 us
 * of CPU per task (median 22.1, 11 pairs) and 2.93-3.20 sleeps (3.11).
 * This hand-over with the GIL and no added cost: 21.1-32.9 us (25.6, 8
 * runs) and 2.84-3.53 sleeps (3.44); without the GIL (pool_gil = none)
 * 7.1-24.3 us (15.5, 6 runs) and 1.33-2.58 sleeps.  So the GIL's hand-over
 * is what Python's pool pays, and the CPU it adds is none: both costs
 * default to 0.  Before (no GIL, no cost) the simulated thread pool ran 1.5
 * to 3 times as many tasks a second as Python's, and the lab's ratio of
 * thread pool to process pool was 9.05 where CPython's was 3.41.
 */
#include "exec.h"

#include "clock.h"
#include "gil.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* Python's thread pool's per-task CPU beyond this one's under its GIL, us
 * (measured: none, see the top). */
#define THREADS_TASK_COST_US 0
#define THREADS_WORKER_COST_US 0

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
	{ .name = "pool_gil", .type = PARAM_ENUM, .def = 0, .choices = "python|none",
	  .help = "hand-over: the threads share a simulated GIL, as Python's "
		  "ThreadPoolExecutor's (none: C threads)" },
	{ .name = "task_cost_us", .type = PARAM_INT, .def = THREADS_TASK_COST_US,
	  .min = 0, .max = 1000000, .help = "hand-over: CPU Python's thread pool spends "
	  "per task in the submitting thread beyond this one's, us (measured: 0)" },
	{ .name = "worker_cost_us", .type = PARAM_INT, .def = THREADS_WORKER_COST_US,
	  .min = 0, .max = 1000000, .help = "hand-over: CPU a Python worker thread spends "
	  "per task beyond this one's, us (measured: 0)" },
	EXEC_PARAM_END,
};

static const char *const threads_metrics[] = { "tasks_per_s", "jobs", "switches", NULL };

/* Hand-over mode: the jobs submitted, taken and finished, under one lock. */
struct handq {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a job was submitted, or the queue closed */
	pthread_cond_t back;	/* a job finished */
	int64_t submitted, taken, finished;
	bool closed;
	struct gil *gil;		/* pool_gil = python, else NULL */
	const struct work_calib *cal;
	double task_cost_ns;		/* spun by the submitter per task */
	double worker_cost_ns;		/* spun by a worker per task */
};

/* Take (hold) or give up the pool's GIL for w, if it has one and w does
 * not already hold it or not; with q->mu held, let go meanwhile.  True if
 * it did (the caller must look at the queue again).  A thread gives the
 * GIL up before it blocks, as CPython's do around a blocking call. */
static bool
handq_gil(struct handq *q, struct work_ctx *w, bool hold)
{
	if (q->gil == NULL || gil_held_by(q->gil, w) == hold)
		return false;
	pthread_mutex_unlock(&q->mu);
	if (hold)
		gil_acquire(q->gil, w);
	else
		gil_release(q->gil, w);
	pthread_mutex_lock(&q->mu);
	return true;
}

/* Spin ns of CPU with q->mu let go meanwhile (0: nothing). */
static void
handq_spin(struct handq *q, double ns)
{
	if (ns <= 0)
		return;
	pthread_mutex_unlock(&q->mu);
	work_spin_ns(q->cal, ns);
	pthread_mutex_lock(&q->mu);
}

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
 * tell the submitter, until the queue is closed.  Under the pool's GIL it
 * runs holding it and lets it go only to sleep. */
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
			if (!handq_gil(q, w, false))	/* the queue's get blocks */
				handq_wait(&q->work, &q->mu);
			continue;
		}
		q->taken++;
		pthread_mutex_unlock(&q->mu);
		if (q->gil != NULL && !gil_held_by(q->gil, w))
			gil_acquire(q->gil, w);
		work_spin_ns(q->cal, q->worker_cost_ns / 2);
		work_fib(w, n);
		if (++mine % 64 == 0)
			trace_progress(w->tr, a->slot, 64);
		pthread_mutex_lock(&q->mu);
		q->finished++;
		pthread_mutex_unlock(&q->mu);
		pthread_cond_signal(&q->back);
		work_spin_ns(q->cal, q->worker_cost_ns / 2);	/* set_result's rest */
		pthread_mutex_lock(&q->mu);
	}
	pthread_mutex_unlock(&q->mu);
	if (q->gil != NULL && gil_held_by(q->gil, w))
		gil_release(q->gil, w);
	trace_progress(w->tr, a->slot, mine % 64);
	at_add_relaxed(a->done, (int64_t)mine);
}

/* Hand-over mode, the submitter (the run's thread): submit `jobs` jobs, at
 * most `inflight` unfinished at once, each waking a worker; then close.
 * Under the pool's GIL it holds it except while it waits for results. */
static void
threads_submit(struct run_ctx *rc, struct handq *q, int64_t jobs, int64_t inflight)
{
	struct work_ctx w;

	work_ctx_init(&w, NULL, -1, q->cal, 0);
	if (q->gil != NULL)
		gil_attach(q->gil, &w);
	pthread_mutex_lock(&q->mu);
	for (int64_t i = 0; i < jobs && !exec_stopping(rc); ) {
		if (q->submitted - q->finished >= inflight) {
			if (!handq_gil(q, &w, false))	/* result() blocks */
				handq_wait(&q->back, &q->mu);
			continue;
		}
		if (handq_gil(q, &w, true))
			continue;
		handq_spin(q, q->task_cost_ns / 2);	/* submit() */
		q->submitted++;
		i++;
		/* the queue's put: the woken worker finds the lock free */
		pthread_mutex_unlock(&q->mu);
		pthread_cond_signal(&q->work);
		work_spin_ns(q->cal, q->task_cost_ns / 2);	/* result() until it blocks */
		pthread_mutex_lock(&q->mu);
	}
	while (q->finished < q->submitted && !exec_stopping(rc))
		if (!handq_gil(q, &w, false))
			handq_wait(&q->back, &q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->mu);
	if (q->gil != NULL && gil_held_by(q->gil, &w))
		gil_release(q->gil, &w);
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
	if (a->hq != NULL && a->hq->gil != NULL)
		gil_attach(a->hq->gil, &w);
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

/* Hand-over mode: the pool's GIL and costs, from the run's parameters. */
static void
threads_handq_init(struct run_ctx *rc, struct handq *q)
{
	q->cal = &rc->env->cal;
	q->task_cost_ns = 1000.0 * (double)lab_value(rc->run, "task_cost_us");
	q->worker_cost_ns = 1000.0 * (double)lab_value(rc->run, "worker_cost_us");
	if (lab_value(rc->run, "pool_gil") == 0)
		q->gil = gil_create(GIL_NEW, GIL_SWITCH_NS_DEFAULT, GIL_CHECK_TICKS_DEFAULT,
		    rc->env->tr, -1);
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
	if (jobs > 0 && inflight > 0)
		threads_handq_init(rc, &hq);
	for (int i = 0; i < n; i++) {
		args[i].rc = rc;
		args[i].ew = &ew;
		args[i].next_job = &next_job;
		args[i].done = &done;
		args[i].jobs = jobs;
		args[i].hq = jobs > 0 && inflight > 0 ? &hq : NULL;
		args[i].slot = exec_task_add(rc, "thread", i + 1);
		if (args[i].slot < 0) {
			rc_out = -1;
			goto out_free;
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
	if (hq.gil != NULL) {	/* the GIL changed hands: twice a task */
		struct gil_stats st;

		gil_get_stats(hq.gil, &st);
		result_set(rc->res, "switches", (double)st.switches, 0);
	}
out_free:
	gil_destroy(hq.gil);
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
