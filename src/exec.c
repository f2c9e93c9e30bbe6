/*
 * exec: the executor table, shared task helpers, the per-run bookkeeping
 * (marks, wall and CPU time, noise) and the runner thread.
 */
#include "exec.h"

#include "clock.h"
#include "sample.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>

extern const struct exec_ops exec_serial;
extern const struct exec_ops exec_threads;
extern const struct exec_ops exec_processes;
extern const struct exec_ops exec_pool;
extern const struct exec_ops exec_gil;
extern const struct exec_ops exec_gil_old;
extern const struct exec_ops exec_convoy;
extern const struct exec_ops exec_join;
extern const struct exec_ops exec_race;
extern const struct exec_ops exec_coro;
extern const struct exec_ops exec_evloop;
extern const struct exec_ops exec_interleave;
extern const struct exec_ops exec_server;
extern const struct exec_ops exec_python;

_Static_assert(LAB_MAX_ROWS == TRACE_MAX_TASKS,
    "the lab layer's row limit is the trace's slot count");

static const struct exec_ops *const executors[] = {
	&exec_serial,
	&exec_threads,
	&exec_processes,
	&exec_pool,
	&exec_gil,
	&exec_gil_old,
	&exec_convoy,
	&exec_join,
	&exec_race,
	&exec_coro,
	&exec_evloop,
	&exec_interleave,
	&exec_server,
	&exec_python,
};

const struct exec_ops *
exec_find(const char *name)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(executors); i++)
		if (strcmp(executors[i]->info.name, name) == 0)
			return executors[i];
	return NULL;
}

const struct lab_exec_info *
exec_info(const char *name)
{
	const struct exec_ops *ops = exec_find(name);

	return ops != NULL ? &ops->info : NULL;
}

void
exec_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < UTIL_ARRAY_LEN(executors) && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
		    executors[i]->info.name);

		used += n > 0 ? (size_t)n : 0;
	}
}

void
exec_plan(const struct run_ctx *rc, struct exec_work *ew)
{
	const struct lab_run *run = rc->run;
	int64_t fib_n = lab_value(run, "fib_n"), work;
	uint64_t dur = (uint64_t)lab_value(run, "duration_ms") * CLOCK_NS_PER_MS;

	memset(ew, 0, sizeof *ew);
	ew->interp_ns = (double)lab_value(run, "interp_ns");
	/* an executor without a work parameter (join) always computes */
	ew->sleep = lab_value_find(run, "work", &work) && work == 1;
	if (ew->sleep) {
		ew->plan.sleep_ns = dur;
	} else if (fib_n > 0) {
		ew->plan.fib_n = (int)fib_n;
		ew->plan.reps = 1;
	} else {
		work_plan_fib(&rc->env->cal, ew->interp_ns, dur, &ew->plan);
	}
}

double
exec_switch_ms(const struct lab_run *run, double slow)
{
	return (double)lab_value(run, "switch_ms") * (slow >= 1 ? slow : 1);
}

uint64_t
exec_switch_ns(const struct run_ctx *rc)
{
	return (uint64_t)(exec_switch_ms(rc->run, rc->env->slow) * (double)CLOCK_NS_PER_MS);
}

int
exec_task_add_named(struct run_ctx *rc, const char *name)
{
	int slot = trace_task_add(rc->env->tr, rc->run_index, name, TRACE_KIND_TASK);

	if (slot < 0) {
		util_err(rc->res->error, sizeof rc->res->error,
		    "the trace is full (%d tasks in all); run fewer tasks",
		    TRACE_MAX_TASKS);
		return -1;
	}
	if (rc->res->nslots == 0)
		rc->res->first_slot = slot;
	rc->res->nslots = slot - rc->res->first_slot + 1;
	return slot;
}

int
exec_task_add(struct run_ctx *rc, const char *prefix, int i)
{
	char name[TRACE_NAME_LEN];

	snprintf(name, sizeof name, "%s-%d", prefix, i);
	return exec_task_add_named(rc, name);
}

void
exec_do_work(struct work_ctx *w, const struct exec_work *ew)
{
	if (ew->sleep)
		work_sleep(w, ew->plan.sleep_ns);
	else
		work_run_fib(w, &ew->plan);
}

int
exec_start_threads(struct run_ctx *rc, pthread_t *th, int n, void *(*fn)(void *),
    void *args, size_t argsize)
{
	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, fn, (char *)args + (size_t)i * argsize) != 0) {
			util_err(rc->res->error, sizeof rc->res->error,
			    "could not start thread %d of %d", i + 1, n);
			at_store_relaxed(&rc->env->tr->stop, 1);
			return i;
		}
	return n;
}

void
exec_join_threads(pthread_t *th, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

bool
exec_stopping(const struct run_ctx *rc)
{
	return at_load_relaxed(&rc->env->tr->stop) != 0;
}

/* Read /proc/stat: busy ns of the lab's CPUs, steal share of all. */
static bool
exec_stat(const struct exec_env *env, struct cpu_times *total, struct cpu_times *per)
{
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (f == NULL)
		return false;
	n = sample_parse_stat(f, total, per, CPUS_MAX);
	fclose(f);
	(void)env;
	return n >= 0;
}

static uint64_t
exec_own_cpu_ns(void)
{
	struct rusage ru;
	uint64_t ns = clock_process_cpu_ns();

	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		ns += (uint64_t)ru.ru_utime.tv_sec * CLOCK_NS_PER_S +
		    (uint64_t)ru.ru_utime.tv_usec * 1000 +
		    (uint64_t)ru.ru_stime.tv_sec * CLOCK_NS_PER_S +
		    (uint64_t)ru.ru_stime.tv_usec * 1000;
	return ns;
}

static void
exec_noise(const struct exec_env *env, struct run_result *res, struct cpu_times *t0,
    struct cpu_times *p0, bool have0, uint64_t own0, uint64_t t0_ns)
{
	struct cpu_times t1, *p1 = xcalloc(CPUS_MAX, sizeof *p1);
	uint64_t busy = 0, own = exec_own_cpu_ns() - own0;
	/* The span the two /proc/stat samples cover, pauses included: the run's
	 * wall leaves a presenter's pause out, and other programs' time during
	 * it over the shorter wall read as more than all of the CPUs. */
	double wall = (double)(clock_now_ns() - t0_ns) / 1e9;

	if (have0 && exec_stat(env, &t1, p1) && wall > 0) {
		res->noise_known = true;
		for (int c = 0; c < CPUS_MAX; c++)
			if (CPU_ISSET(c, &env->cpus))
				busy += sample_busy_ns(&p0[c], &p1[c]);
		res->steal_pct = 100.0 * sample_steal(t0, &t1);
		res->other_load_pct = busy > own ? 100.0 * (double)(busy - own) /
		    (wall * 1e9 * env->ncpus) : 0;
		if (res->other_load_pct > 100)
			res->other_load_pct = 100;
	}
	free(p1);
}

uint64_t
exec_paused_ns(const struct run_ctx *rc)
{
	const struct trace *tr = rc->env->tr;
	const struct run_result *r = rc->res;
	uint64_t now = at_load_relaxed(&tr->paused_ns);

	/* The pauses within the run's own span: gil-old's t_start moves past
	 * its serial baseline, which a pause does not stop (walk6 G6: a pause
	 * there was taken off the threads' wall).  Before t_start is set, the
	 * total since the run began. */
	if (r->t_start != 0) {
		uint64_t end = r->t_end > r->t_start ? r->t_end : clock_now_ns();

		return end - r->t_start - trace_active(tr, r->t_start, end);
	}
	return now > rc->paused0_ns ? now - rc->paused0_ns : 0;
}

double
exec_wall_s(const struct run_ctx *rc)
{
	const struct run_result *r = rc->res;
	uint64_t span = r->t_end > r->t_start ? r->t_end - r->t_start : 0;
	uint64_t paused = exec_paused_ns(rc);

	return (double)(span > paused ? span - paused : 0) / 1e9;
}

void
exec_set_rate(struct run_ctx *rc, const char *key, double count, int decimals)
{
	double wall = exec_wall_s(rc);

	if (wall > 0)
		result_set(rc->res, key, count / wall, decimals);
}

int
exec_run(const struct exec_env *env, const struct lab_run *run, int index,
    struct run_result *res)
{
	const struct exec_ops *ops = exec_find(run->exec->name);
	struct run_ctx rc = { .env = env, .run = run, .res = res, .run_index = index,
		.paused0_ns = at_load_relaxed(&env->tr->paused_ns) };
	struct cpu_times t0, *p0 = xcalloc(CPUS_MAX, sizeof *p0);
	uint64_t own0 = exec_own_cpu_ns(), before, cpu = 0;
	int rc_run;
	bool have0;

	res->run = run;
	res->index = index;
	res->started = true;
	have0 = exec_stat(env, &t0, p0);
	before = clock_now_ns();
	trace_mark(env->tr, TRACE_MARK_RUN, index, before, run->name);
	rc_run = ops->run(&rc);
	if (res->t_start == 0)
		res->t_start = before;
	if (res->t_end == 0)
		res->t_end = clock_now_ns();
	res->wall_s = exec_wall_s(&rc);
	res->paused_s = (double)exec_paused_ns(&rc) / 1e9;
	for (int i = 0; i < res->nslots; i++) {
		const struct trace_task *t = trace_task(env->tr, res->first_slot + i);

		if (t != NULL && t->kind == TRACE_KIND_TASK)
			cpu += at_load_relaxed(&t->cpu_ns);
	}
	res->cpu_s = (double)cpu / 1e9;
	res->avg_cores_busy = res->wall_s > 0 ? res->cpu_s / res->wall_s : 0;
	exec_noise(env, res, &t0, p0, have0, own0, before);
	free(p0);
	res->stopped = exec_stopping(&rc);
	res->failed = rc_run < 0;
	res->finished = true;
	return rc_run;
}

static void *
exec_runner_main(void *arg)
{
	struct exec_runner *r = arg;

	for (int i = 0; i < r->lab->nruns; i++) {
		const struct lab_run *run = &r->lab->runs[i];

		if (r->only >= 0 ? i != r->only : !run->selected)
			continue;
		if (at_load_relaxed(&r->env->tr->stop))
			break;
		at_store_release(&r->state[i], EXEC_RUNNING);
		exec_run(r->env, run, i, &r->results[i]);
		at_store_release(&r->state[i], exec_rounds_for(r->lab, i) ? EXEC_ROUNDS :
		    EXEC_FINISHED);
	}
	if (r->lab->rounds > 1 && !at_load_relaxed(&r->env->tr->stop))
		exec_rounds(r);
	for (int i = 0; i < r->lab->nruns; i++)	/* stopped: the first round stands */
		if (at_load_relaxed(&r->state[i]) == EXEC_ROUNDS)
			at_store_release(&r->state[i], EXEC_FINISHED);
	at_store_release(&r->done, 1);
	return NULL;
}

int
exec_runner_start(struct exec_runner *r, const struct exec_env *env,
    const struct lab *lab, int only)
{
	exec_rounds_clear(r);
	memset(r, 0, sizeof *r);
	r->env = env;
	r->lab = lab;
	r->only = only;
	if (pthread_create(&r->thread, NULL, exec_runner_main, r) != 0)
		return -1;
	r->started = true;
	return 0;
}

bool
exec_runner_done(struct exec_runner *r)
{
	return at_load_acquire(&r->done) != 0;
}

void
exec_runner_join(struct exec_runner *r)
{
	if (r->started) {
		pthread_join(r->thread, NULL);
		r->started = false;
	}
}

void
exec_runner_clear(struct exec_runner *r)
{
	exec_runner_join(r);
	exec_rounds_clear(r);
	for (int i = 0; i < LAB_MAX_RUNS; i++)
		result_clear(&r->results[i]);
	at_store_relaxed(&r->done, 0);
}
