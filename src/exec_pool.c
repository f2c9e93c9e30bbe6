/*
 * exec_pool: K worker processes started once, a queue to them and results
 * back -- Python's ProcessPoolExecutor.  Two shapes of run:
 *   tasks (jobs = 0): each task is a row; the worker that runs it writes the
 *     row's events itself (so the row shows the worker's pid);
 *   jobs > 0: many tiny untraced jobs; each worker is a row (io while it
 *     waits for a job, run while it works): the per-task overhead lesson.
 * Before the run proper, `probe` jobs go one at a time (one in flight) to
 * measure dispatch (submit until a worker starts it) and result (worker done
 * until the caller has it) latency.
 *
 * What Python's ProcessPoolExecutor pays per task beyond this C pool is
 * modelled from what it was measured to pay (python3.11 on this 2-core
 * machine, 2 workers, fib(1) tasks submitted one at a time and waited for,
 * on-CPU time from /proc/self/task/TID/schedstat and the workers'
 * /proc/PID/schedstat; 12 runs of 2,000 tasks, load 4 to 7, steal under
 * 12 %, medians):
 *   - hand-offs (hops, default 2): a task goes from the submitting thread to
 *     the executor's manager thread and on to its call queue's feeder thread
 *     before a worker can read it, a wake-up each.  Python's parent made
 *     5.5 voluntary context switches per task; this pool's parent 1.8
 *     without hops and 4.6 with 2 (getrusage, 18,000 tasks).  The task
 *     passes through that many threads of the pool (pool_hop.c), woken in
 *     turn;
 *   - CPU in the parent: Python's three threads spent 168 us per task
 *     (main 25, manager about 100, feeder about 40), this pool with 2 hops
 *     38 (the submitting thread, the hops and the collector): 130 us more,
 *     which made this pool slower than Python's (real/simulated tasks a
 *     second 1.32-1.41 quiet, 1.3-3.1 at load 10).  Measured again in the
 *     same minutes on both sides (python3.11.7, 4,000 tasks, nice -15, load
 *     7.5-10, steal 0.1 %): Python's parent 104-141 us a task (median 110:
 *     main 14-33, manager 68-86, feeder 20-30), its workers 25-32 (28);
 *     this pool with no added cost 29-59 (44) and 8-21 (8), from /usr/bin/
 *     time and the workers' rows, 1,000- against 5,000-task runs.  So 66 us
 *     more in the parent and worker_cost_us 20 in a worker.  Not all of the
 *     parent's delays the task: the manager spends about 57 % of its CPU
 *     inside multiprocessing.connection.wait() (a selector built, registered
 *     and closed for every wait, twice a task: 39-49 of 68-86 us,
 *     time.thread_time() around each call), and the set-up half of it comes
 *     after the manager has passed the task on or set its result, while the
 *     feeder, the worker or the main thread go on.  So wait_cost_us (10:
 *     the set-up half of one wait's 20-25 us) is spun where the manager sets
 *     up its waits -- by the first hop thread after it passed a task on and
 *     by the collector before each poll -- and task_cost_us (46, the rest of
 *     the 66) by the submitting thread before each submit.  Paired runs,
 *     real/simulated tasks a second: median 0.93 (0.60-2.29, 5 pairs, load
 *     8.3) with these costs, 1.53 with wait_cost_us 15 and task_cost_us 100,
 *     1.65 with 0 and 130 (6 pairs each, load 9.5);
 *   - CPU in a worker (worker_cost_us): see above (measured before: 52 us
 *     per task against this pool's 10, unpickling the call, pickling the
 *     result, the call queue's lock); spun by the worker before each job.
 * The earlier model, 70 us of parent CPU and no hops, made the simulated
 * pool 1.5 to 2.7 times as fast as CPython's on this machine (fidelity
 * ratio 0.37 to 0.68).
 */
#include "exec.h"

#include "clock.h"
#include "pool.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Python's pool's per-task CPU beyond this pool's (see the top). */
#define POOL_TASK_COST_US 46
#define POOL_WORKER_COST_US 20
#define POOL_WAIT_COST_US 10

#define POOL_JOB_CRASH 1	/* job flags */
#define POOL_JOB_PROBE 2
#define POOL_JOB_TINY 4

static const struct param_spec pool_params[] = {
	EXEC_PARAM_TASKS(4),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(0),
	{ .name = "workers", .type = PARAM_INT, .def = 0, .min = 0,
	  .max = POOL_MAX_WORKERS, .help = "worker processes (0 = one per core)" },
	{ .name = "jobs", .type = PARAM_INT, .def = 0, .min = 0, .max = 10000000,
	  .help = "tiny untraced jobs instead of tasks (rows are then the workers)" },
	{ .name = "crash_task", .type = PARAM_INT, .def = 0, .min = 0,
	  .max = 10000000, .help = "the worker running this task (1-based) dies (0 = none)" },
	{ .name = "crash_signal", .type = PARAM_ENUM, .def = 0, .choices = "kill|segv",
	  .help = "how the crash_task worker dies: SIGKILL or SIGSEGV" },
	{ .name = "probe", .type = PARAM_INT, .def = 50, .min = 1, .max = 100000,
	  .help = "one-at-a-time jobs that measure dispatch and result latency" },
	{ .name = "inflight", .type = PARAM_INT, .def = 0, .min = 0, .max = 10000000,
	  .help = "tasks submitted and not yet done at most (0 = all at once)" },
	{ .name = "task_cost_us", .type = PARAM_INT, .def = POOL_TASK_COST_US, .min = 0,
	  .max = 1000000, .help = "CPU Python's pool spends per task in the parent beyond this one's, us" },
	{ .name = "worker_cost_us", .type = PARAM_INT, .def = POOL_WORKER_COST_US, .min = 0,
	  .max = 1000000, .help = "CPU a Python worker spends per task beyond this one's, us" },
	{ .name = "wait_cost_us", .type = PARAM_INT, .def = POOL_WAIT_COST_US, .min = 0,
	  .max = 1000000, .help = "CPU Python's manager thread spends setting up each wait, "
	  "after it passed a task on or set a result, us" },
	{ .name = "hops", .type = PARAM_INT, .def = 2, .min = 0, .max = POOL_MAX_HOPS,
	  .help = "threads a task passes through before a worker gets it (Python: 2)" },
	EXEC_PARAM_END,
};

static const char *const pool_metrics[] = {
	"dispatch_us_p50", "result_us_p50", "startup_s", "tasks_per_s",
	"process_start_us", "thread_start_us", "workers", "replaced", "jobs", "failed",
	"task_cost_us", "worker_cost_us", "wait_cost_us", "hops", NULL,
};

/* What every worker gets (copied by fork). */
struct pool_run {
	struct run_ctx *rc;
	struct work_calib cal;
	struct exec_work ew;
	int crash_sig;
	int tiny_n;		/* fib n of a tiny job */
	double worker_cost_ns;	/* spun by the worker before each job */
	double wait_cost_ns;	/* spun by the first hop and the collector before they wait */
};

/* In the parent's first hop thread and collector, before each wait: the
 * set-up of Python's manager thread's next connection.wait() (see the top). */
static void
pool_before_wait(void *ctx)
{
	const struct pool_run *pr = ctx;

	work_spin_ns(&pr->cal, pr->wait_cost_ns);
}

static int64_t
pool_job_run(void *ctx, struct trace *tr, int row, const struct pool_job *job)
{
	const struct pool_run *pr = ctx;
	int slot = job->slot >= 0 ? job->slot : row;
	struct work_ctx w;

	work_ctx_init(&w, slot >= 0 ? tr : NULL, slot, &pr->cal, pr->ew.interp_ns);
	if (job->flags & POOL_JOB_PROBE)
		return (int64_t)work_fib(&w, 1);
	work_spin_ns(&pr->cal, pr->worker_cost_ns);
	if (job->flags & POOL_JOB_CRASH) {
		/* Half the work, then die: the row shows it running first. */
		struct exec_work half = pr->ew;

		half.plan.reps = half.plan.reps > 1 ? half.plan.reps / 2 : 0;
		half.plan.sleep_ns /= 2;
		if (!(job->flags & POOL_JOB_TINY))
			exec_do_work(&w, &half);
		pool_crash_self(pr->crash_sig);
	}
	if (job->flags & POOL_JOB_TINY)
		return (int64_t)work_fib(&w, pr->tiny_n);
	exec_do_work(&w, &pr->ew);
	return 0;
}

static int
pool_add_row(void *ctx, int number)
{
	struct pool_run *pr = ctx;

	return exec_task_add(pr->rc, "worker", number);
}

static int
pool_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pool_median(double *v, int n)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof *v, pool_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Submit `probe` tiny jobs one at a time; record the latency medians. */
static void
pool_probe(struct run_ctx *rc, struct pool *p, int n)
{
	double *disp = xcalloc((size_t)n, sizeof *disp);
	double *res = xcalloc((size_t)n, sizeof *res);
	int got = 0;

	for (int i = 0; i < n && !exec_stopping(rc); i++) {
		struct pool_job job = { .slot = -1, .flags = POOL_JOB_PROBE };
		struct pool_result r;

		if (pool_submit(p, &job) < 0 || pool_wait_result(p, job.id, &r, 2000) != 1)
			break;
		if (r.failed)
			continue;
		disp[got] = (double)(r.t_start - r.t_submit) / 1e3;
		res[got++] = (double)(r.t_recv - r.t_end) / 1e3;
	}
	result_set(rc->res, "dispatch_us_p50", pool_median(disp, got), 1);
	result_set(rc->res, "result_us_p50", pool_median(res, got), 1);
	free(disp);
	free(res);
}

/* Append {"task": name, "signal": n} to the failed list. */
static void
pool_failed_add(char **json, size_t *len, const char *task, int sig)
{
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;
	char item[128];
	int n = snprintf(item, sizeof item,
	    "%s{\"task\": \"%s\", \"signal\": %d, \"signal_name\": \"%s%s\"}",
	    *len > 1 ? ", " : "", task, sig, abbrev ? "SIG" : "",
	    abbrev ? abbrev : "none");

	*json = xrealloc(*json, *len + (size_t)n + 2);
	memcpy(*json + *len, item, (size_t)n + 1);
	*len += (size_t)n;
}

/* How pool_feed submits: total jobs (tiny ones, or one per task slot from
 * first), at most inflight at once (0: all), cost_ns of CPU before each;
 * job number crash crashes. */
struct pool_feed_plan {
	int64_t total, crash, inflight;
	bool tiny;
	int first;
	double cost_ns;
};

/* Record a failed result in the JSON list *failed (length *flen). */
static void
pool_feed_failed(struct run_ctx *rc, const struct pool_result *r, uint64_t first_id,
    char **failed, size_t *flen)
{
	char name[TRACE_NAME_LEN];

	if (r->slot >= 0)
		util_strlcpy(name, rc->env->tr->tasks[r->slot].name, sizeof name);
	else
		snprintf(name, sizeof name, "job-%llu",
		    (unsigned long long)(r->id - first_id + 1));
	pool_failed_add(failed, flen, name, r->signal);
}

/* Submit the plan's jobs and collect their results until done or stopped.
 * Returns the results collected; *failed gets the JSON list of the failed
 * ones (the caller frees it). */
static int64_t
pool_feed(struct run_ctx *rc, struct pool *p, const struct pool_feed_plan *fp,
    char **failed)
{
	int64_t got = 0, done = 0, total = fp->total;
	uint64_t first_id = 0;
	size_t flen = 1;

	*failed = xstrdup("[");
	while ((got < total || done < got) && !exec_stopping(rc)) {
		struct pool_result r;
		int w;

		while (got < total && (fp->inflight == 0 || got - done < fp->inflight)) {
			struct pool_job job = { .slot = fp->tiny ? -1 : fp->first + (int)got };

			job.flags = fp->tiny ? POOL_JOB_TINY : 0;
			if (got + 1 == fp->crash)
				job.flags |= POOL_JOB_CRASH;
			work_spin_ns(&rc->env->cal, fp->cost_ns);
			if (pool_submit(p, &job) < 0) {
				total = got;
				break;
			}
			if (got++ == 0)
				first_id = job.id;
		}
		if (done >= got)
			break;
		w = pool_wait_result(p, 0, &r, 100);
		if (w < 0)
			break;
		if (w == 0)
			continue;
		done++;
		if (r.failed)
			pool_feed_failed(rc, &r, first_id, failed, &flen);
	}
	*failed = xrealloc(*failed, flen + 2);
	memcpy(*failed + flen, "]", 2);
	return done;
}

/* The pool's figures once the jobs are done (workers, deaths, rates,
 * start-up costs); destroys the pool. */
static void
pool_finish(struct run_ctx *rc, struct pool *p, int64_t done)
{
	uint64_t start_ns[POOL_MAX_WORKERS * 4];
	double starts[POOL_MAX_WORKERS * 4];
	int nstart;

	pool_respawn(p);
	result_set(rc->res, "workers", pool_workers(p), 0);
	result_set(rc->res, "replaced", pool_deaths(p), 0);
	exec_set_rate(rc, "tasks_per_s", (double)done, 0);
	nstart = pool_start_times(p, start_ns, (int)UTIL_ARRAY_LEN(start_ns));
	for (int i = 0; i < nstart; i++)
		starts[i] = (double)start_ns[i] / 1e3;
	result_set(rc->res, "process_start_us", pool_median(starts, nstart), 0);
	pool_destroy(p, exec_stopping(rc) ? 200 : 2000);
	result_set(rc->res, "thread_start_us", (double)pool_thread_start_ns(21) / 1e3, 0);
}

static int
pool_run_exec(struct run_ctx *rc)
{
	const struct lab_run *run = rc->run;
	int k = (int)lab_value(run, "workers");
	int ntasks = (int)lab_value(run, "tasks");
	int64_t jobs = lab_value(run, "jobs"), done;
	int first = -1;
	struct pool_config cfg = {
		.fn = pool_job_run, .schedstat = 1, .hops = (int)lab_value(run, "hops"),
	};
	struct pool_run pr = {
		.rc = rc, .cal = rc->env->cal,
		.worker_cost_ns = (double)lab_value(run, "worker_cost_us") * 1e3,
		.wait_cost_ns = (double)lab_value(run, "wait_cost_us") * 1e3,
	};
	struct pool_feed_plan fp = {
		.crash = lab_value(run, "crash_task"),
		.inflight = lab_value(run, "inflight"),
		.cost_ns = (double)lab_value(run, "task_cost_us") * 1e3,
	};
	uint64_t t0;
	char *failed;
	struct pool *p;

	if (k == 0)
		k = rc->env->ncpus > POOL_MAX_WORKERS ? POOL_MAX_WORKERS : rc->env->ncpus;
	exec_plan(rc, &pr.ew);
	pr.crash_sig = lab_value(run, "crash_signal") == 1 ? SIGSEGV : SIGKILL;
	pr.tiny_n = pr.ew.plan.fib_n > 0 ? pr.ew.plan.fib_n : 1;
	cfg.ctx = &pr;
	if (pr.wait_cost_ns > 0)
		cfg.before_wait = pool_before_wait;
	if (jobs > 0) {
		result_set(rc->res, "jobs", (double)jobs, 0);
		cfg.add_row = pool_add_row;
		cfg.prefetch = 4;
	} else {
		cfg.prefetch = 1;
		for (int i = 0; i < ntasks; i++) {
			int slot = exec_task_add(rc, "task", i + 1);

			if (slot < 0)
				return -1;
			if (first < 0)
				first = slot;
		}
	}
	t0 = clock_now_ns();
	p = pool_create(k, rc->env->tr, &cfg, rc->res->error, sizeof rc->res->error);
	if (p == NULL)
		return -1;
	result_set(rc->res, "startup_s", (double)(clock_now_ns() - t0) / 1e9, 4);
	pool_probe(rc, p, (int)lab_value(run, "probe"));
	rc->res->t_start = clock_now_ns();
	result_set(rc->res, "task_cost_us", fp.cost_ns / 1e3, 0);
	result_set(rc->res, "worker_cost_us", pr.worker_cost_ns / 1e3, 0);
	result_set(rc->res, "wait_cost_us", pr.wait_cost_ns / 1e3, 0);
	result_set(rc->res, "hops", cfg.hops, 0);
	fp.total = jobs > 0 ? jobs : ntasks;
	fp.tiny = jobs > 0;
	fp.first = first;
	done = pool_feed(rc, p, &fp, &failed);
	rc->res->t_end = clock_now_ns();
	pool_finish(rc, p, done);
	result_set_json(rc->res, "failed", failed);
	free(failed);
	return 0;
}

const struct exec_ops exec_pool = {
	.info = {
		.name = "pool",
		.title = "a pool of K worker processes (ProcessPoolExecutor)",
		.params = pool_params,
		.metrics = pool_metrics,
		.timed_work = true,
	},
	.run = pool_run_exec,
};
