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
 * The hand-over is Python's ThreadPoolExecutor's (pool_thr.c): the same
 * blocking waits in the same order, each a real futex sleep and wake-up,
 * so that the machine's wake-up latency is paid by the model as by Python:
 *   - the GIL (pool_gil = python): the submitter and the workers run only
 *     while they hold a simulated GIL (gil.c, CPython 3.2+), which a thread
 *     gives up when it blocks -- the submitter in result(), a worker in its
 *     queue's get.  A woken worker can find the GIL still held by the
 *     submitter, which is finishing submit() and entering result(), and
 *     wait for it: a second wake-up; the submitter, woken by the result,
 *     waits likewise for the worker to go back to its queue;
 *   - the queue's get and the future's result() sleep on semaphores, as
 *     CPython's locks do (sem_wait, untimed), not on condition variables
 *     whose woken thread must take a mutex again;
 *   - the interpreter's own CPU around the hand-overs: task_cost_us in the
 *     submitting thread, worker_cost_us in a worker, each spun half before
 *     and half after its hand-over (submit() before and after its put, with
 *     result()'s steps; run() up to set_result's notify, then the rest and
 *     the way back into get).  Whether a woken thread finds the GIL held
 *     depends on that CPU against the wake-up's latency.
 * Measured (python3.11.7 on this 2-core VM, nice -15; /work/notes/poolthr6):
 *   - Python's interpretive CPU per task, the same code paths run in one
 *     thread with no blocking (least of 10 batches of 10,000, 8 runs, load
 *     3.8-5): submitter 1.4-4.2 us (median 2.5), worker 1.2-3.4 (2.0):
 *     task_cost_us 3 and worker_cost_us 2;
 *   - sleeps per task (voluntary context switches of all the threads over
 *     the tasks; `sleeps_per_task`, Python's from /proc/self/task/N/status,
 *     this model's from getrusage), medians of 6 runs: Python 2.0-2.9, this
 *     model 2.0-2.8 (7 sets each, load 4-11).  Python's pool has one worker
 *     thread here (an idle one is reused), main and worker each sleep once a
 *     task in their futex (result(), get) and sometimes again on the GIL;
 *   - tasks a second swing 4k-48k within minutes on both sides, with the
 *     host's wake-up latency and others' load.  This model over Python,
 *     medians of 6 runs in alternation: 1.08 and 4.68 with these costs (1.14
 *     with 4 and 4), 2.0, 2.6, 3.2 and 3.5 without them (load 4-11).
 *     Not yet faithful in full pool lab runs on a quiet machine (other
 *     load 0.3-1.4 %, one run 22 %; load 0.3-2.1, steal 0.0-0.1 %, nice -15;
 *     /work/notes/poolq6): the lab's thread/process ratio, CPython's over
 *     the model's, was 0.51-1.18 (9 runs, median 0.69, 5 within 1.5x).
 *     Python's pool there did 11k-21k tasks a second sleeping 2.01-2.02
 *     times a task -- main and worker once each, never on the GIL (4.0
 *     futex calls a task: the woken thread found the GIL free) -- as in
 *     every quiet run kept in /work/notes/poolthr6 (2.01-2.11); it slept
 *     2.8-3.4 times only beside other load or with both threads on one
 *     core (taskset -c 0: 37k-39k a second, 2.8-3.1 sleeps; this model
 *     pinned alike 34k-45k, 2.8-3.7).  The model did 20k-34k, sleeping
 *     2.0-2.7: not a missing sleep.  The four tiny runs each run alone
 *     (--only, alternated) were within 1.5x (real/sim 0.76-1.15, 6 of 6;
 *     4 of 4 in the lab's order, 0.79-1.15), and so were full runs with
 *     10 ms long tasks (0.79-0.98, 5 of 5); the tiny runs moved after
 *     their pools' twins did not help (0.63-1.09, 3 of 5).  Beside other
 *     programs (other load 49-76 %) 0.55-1.55, 6 of 9 within 1.5 times.
 * The model before (condition variables, no CPU) ran 1.8 times as many
 * tasks a second as Python's when the machine was quiet (33.7k against
 * 18.9k), and the lab's thread/process ratio was 10.0 against CPython's 4.0.
 */
#include "exec.h"

#include "clock.h"
#include "gil.h"
#include "pool_thr.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>

/* Python's thread pool's interpretive CPU per task, us (measured, see the
 * top). */
#define THREADS_TASK_COST_US 3
#define THREADS_WORKER_COST_US 2

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
	  "per task in the submitting thread around its hand-overs, us (measured: 3)" },
	{ .name = "worker_cost_us", .type = PARAM_INT, .def = THREADS_WORKER_COST_US,
	  .min = 0, .max = 1000000, .help = "hand-over: CPU a Python worker thread spends "
	  "per task around its hand-overs, us (measured: 2)" },
	EXEC_PARAM_END,
};

static const char *const threads_metrics[] = { "tasks_per_s", "jobs", "switches",
	"sleeps_per_task", NULL };

struct thread_arg {
	struct run_ctx *rc;
	const struct exec_work *ew;
	int slot;
	_Atomic int64_t *next_job;	/* jobs mode: the shared queue position */
	_Atomic int64_t *done;		/* jobs mode: jobs finished, all threads */
	int64_t jobs;
	uint64_t until_ns;		/* jobs mode: go on taking jobs until then */
	struct pool_thr *hq;		/* hand-over mode, else NULL */
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
	if (a->hq != NULL && a->hq->gil != NULL)
		gil_attach(a->hq->gil, &w);
	trace_task_begin(tr, a->slot, true);
	if (a->hq)
		at_add_relaxed(a->done, (int64_t)pool_thr_worker(a->hq, a->rc, &w, a->slot,
		    a->ew->plan.fib_n));
	else if (a->jobs > 0)
		threads_jobs(a, &w);
	else
		exec_do_work(&w, a->ew);
	trace_task_end(tr, a->slot);
	return NULL;
}

/* Hand-over mode: the pool's GIL and costs, from the run's parameters;
 * each cost is spun half before and half after its hand-over. */
static void
threads_handq_init(struct run_ctx *rc, struct pool_thr *q, int64_t inflight)
{
	double sub = 500.0 * (double)lab_value(rc->run, "task_cost_us");
	double wrk = 500.0 * (double)lab_value(rc->run, "worker_cost_us");
	struct gil *g = NULL;

	if (lab_value(rc->run, "pool_gil") == 0)
		g = gil_create(GIL_NEW, GIL_SWITCH_NS_DEFAULT, GIL_CHECK_TICKS_DEFAULT,
		    rc->env->tr, -1);
	pool_thr_init(q, &rc->env->cal, g, inflight, (double[2]){ sub, sub },
	    (double[2]){ wrk, wrk });
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
	bool handed = jobs > 0 && inflight > 0;
	struct pool_thr hq = { .gil = NULL };
	uint64_t until;

	exec_plan(rc, &ew);
	if (handed)
		threads_handq_init(rc, &hq, inflight);
	for (int i = 0; i < n; i++) {
		args[i].rc = rc;
		args[i].ew = &ew;
		args[i].next_job = &next_job;
		args[i].done = &done;
		args[i].jobs = jobs;
		args[i].hq = handed ? &hq : NULL;
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
	if (handed && started > 0)
		pool_thr_submit(&hq, rc, jobs);
	exec_join_threads(th, started);
	rc->res->t_end = clock_now_ns();
	if (jobs > 0) {
		result_set(rc->res, "jobs", (double)at_load_relaxed(&done), 0);
		exec_set_rate(rc, "tasks_per_s", (double)at_load_relaxed(&done), 0);
	}
	if (handed && at_load_relaxed(&done) > 0)	/* every thread's, as Python's */
		result_set(rc->res, "sleeps_per_task", (double)at_load_relaxed(&hq.nvcsw) /
		    (double)at_load_relaxed(&done), 2);
	if (hq.gil != NULL) {	/* the GIL changed hands: twice a task */
		struct gil_stats st;

		gil_get_stats(hq.gil, &st);
		result_set(rc->res, "switches", (double)st.switches, 0);
	}
out_free:
	if (handed) {
		gil_destroy(hq.gil);
		pool_thr_destroy(&hq);
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
