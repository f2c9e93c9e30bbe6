/*
 * exec_processes: one forked process per task, like multiprocessing.Process.
 * Each child writes its task's events straight into the shared trace and
 * _exits; the parent watches the children's pidfds (or sweeps waitpid every
 * 10 ms without them), reaps each as soon as it exits, and marks a task
 * failed with its signal when the child was killed.
 */
#include "exec.h"

#include "clock.h"
#include "forker.h"
#include "pool.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct param_spec processes_params[] = {
	EXEC_PARAM_TASKS(4),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(0),
	{ .name = "crash_task", .type = PARAM_INT, .def = 0, .min = 0,
	  .max = LAB_MAX_TASKS, .help = "this task's process (1-based) dies (0 = none)" },
	{ .name = "crash_signal", .type = PARAM_ENUM, .def = 0, .choices = "kill|segv",
	  .help = "how the crash_task process dies: SIGKILL or SIGSEGV" },
	EXEC_PARAM_END,
};

static const char *const processes_metrics[] = {
	"process_start_us", "thread_start_us", "tasks_per_s", "failed", NULL,
};

struct proc_arg {
	struct trace *tr;
	const struct work_calib *cal;
	const struct exec_work *ew;
	int slot;
	int crash_sig;		/* 0: no crash */
};

struct proc {
	pid_t pid;
	int pidfd;
	int slot;
	uint64_t t_fork;
	bool reaped;
};

static int
processes_child(void *p)
{
	struct proc_arg *a = p;
	struct work_ctx w;

	prctl(PR_SET_NAME, POOL_WORKER_NAME);
	work_ctx_init(&w, a->tr, a->slot, a->cal, a->ew->interp_ns);
	trace_task_begin(a->tr, a->slot, true);
	if (a->crash_sig != 0) {
		struct exec_work half = *a->ew;

		half.plan.reps = half.plan.reps > 1 ? half.plan.reps / 2 : 0;
		half.plan.sleep_ns /= 2;
		exec_do_work(&w, &half);
		pool_crash_self(a->crash_sig);
	}
	exec_do_work(&w, a->ew);
	trace_task_end(a->tr, a->slot);
	return 0;
}

static int
processes_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Reap what has exited; returns how many are still running. */
static int
processes_reap(struct run_ctx *rc, struct proc *pr, int n, char **failed, size_t *flen)
{
	int left = 0;

	for (int i = 0; i < n; i++) {
		int status, sig;

		if (pr[i].reaped)
			continue;
		if (waitpid(pr[i].pid, &status, WNOHANG) != pr[i].pid) {
			left++;
			continue;
		}
		pr[i].reaped = true;
		if (pr[i].pidfd >= 0)
			close(pr[i].pidfd);
		if (!WIFSIGNALED(status) && WEXITSTATUS(status) == 0)
			continue;
		sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		trace_task_fail(rc->env->tr, pr[i].slot, sig);
		if (at_load_relaxed(&rc->env->tr->tasks[pr[i].slot].pid) == 0)
			trace_task_set_ids(rc->env->tr, pr[i].slot, pr[i].pid, pr[i].pid);
		{
			const char *ab = sig > 0 ? sigabbrev_np(sig) : NULL;
			char item[128];
			int m = snprintf(item, sizeof item,
			    "%s{\"task\": \"%s\", \"signal\": %d, \"signal_name\": \"%s%s\"}",
			    *flen > 1 ? ", " : "", rc->env->tr->tasks[pr[i].slot].name,
			    sig, ab ? "SIG" : "", ab ? ab : "none");

			*failed = xrealloc(*failed, *flen + (size_t)m + 2);
			memcpy(*failed + *flen, item, (size_t)m + 1);
			*flen += (size_t)m;
		}
	}
	return left;
}

static int
processes_run(struct run_ctx *rc)
{
	int n = (int)lab_value(rc->run, "tasks"), started = 0, rc_out = 0;
	int crash = (int)lab_value(rc->run, "crash_task");
	int crash_sig = lab_value(rc->run, "crash_signal") == 1 ? SIGSEGV : SIGKILL;
	struct proc *pr = xcalloc((size_t)n, sizeof *pr);
	struct proc_arg *args = xcalloc((size_t)n, sizeof *args);
	struct pollfd *pfd = xcalloc((size_t)n, sizeof *pfd);
	double *starts = xcalloc((size_t)n, sizeof *starts);
	char *failed = xstrdup("[");
	size_t flen = 1;
	uint64_t stop_at = 0;
	struct exec_work ew;
	int nstarts = 0, done = 0;

	exec_plan(rc, &ew);
	for (int i = 0; i < n; i++) {
		pr[i].slot = exec_task_add(rc, "proc", i + 1);
		pr[i].pidfd = -1;
		if (pr[i].slot < 0) {
			rc_out = -1;
			goto out_free;
		}
		args[i] = (struct proc_arg){ .tr = rc->env->tr, .cal = &rc->env->cal,
		    .ew = &ew, .slot = pr[i].slot,
		    .crash_sig = i + 1 == crash ? crash_sig : 0 };
	}
	rc->res->t_start = clock_now_ns();
	for (int i = 0; i < n && !exec_stopping(rc); i++) {
		pr[i].t_fork = clock_now_ns();
		pr[i].pid = forker_fork(processes_child, &args[i]);
		if (pr[i].pid < 0) {
			util_err(rc->res->error, sizeof rc->res->error,
			    "could not start process %d of %d: %s", i + 1, n,
			    strerror(errno));
			rc_out = -1;
			break;
		}
		pr[i].pidfd = (int)syscall(SYS_pidfd_open, pr[i].pid, 0);
		started++;
	}
	/* Wait: each child is reaped as soon as its pidfd says it exited. */
	while (processes_reap(rc, pr, started, &failed, &flen) > 0) {
		int np = 0;
		bool all_fds = true;

		if ((exec_stopping(rc) || rc_out < 0) && stop_at == 0)
			stop_at = clock_now_ns();
		if (stop_at != 0 && clock_now_ns() - stop_at > 300 * CLOCK_NS_PER_MS)
			for (int i = 0; i < started; i++)
				if (!pr[i].reaped)
					kill(pr[i].pid, SIGKILL);
		for (int i = 0; i < started; i++) {
			if (pr[i].reaped)
				continue;
			if (pr[i].pidfd < 0)
				all_fds = false;
			else
				pfd[np++] = (struct pollfd){ .fd = pr[i].pidfd, .events = POLLIN };
		}
		poll(pfd, (nfds_t)np, all_fds ? 100 : 10);
	}
	rc->res->t_end = clock_now_ns();
	for (int i = 0; i < started; i++) {
		uint64_t s = at_load_relaxed(&rc->env->tr->tasks[pr[i].slot].start_ns);

		if (s > pr[i].t_fork && at_load_relaxed(
		    &rc->env->tr->tasks[pr[i].slot].state) == TRACE_DONE) {
			starts[nstarts++] = (double)(s - pr[i].t_fork) / 1e3;
			done++;
		}
	}
	/* The fastest start: a later child also waits for a core that its
	 * computing siblings hold (with four children on two cores the median
	 * was 8 ms against 2-3 ms for the first). */
	qsort(starts, (size_t)nstarts, sizeof *starts, processes_cmp);
	result_set(rc->res, "process_start_us", nstarts ? starts[0] : 0, 0);
	result_set(rc->res, "thread_start_us", (double)pool_thread_start_ns(21) / 1e3, 0);
	exec_set_rate(rc, "tasks_per_s", (double)done, 2);
	failed = xrealloc(failed, flen + 2);
	memcpy(failed + flen, "]", 2);
	result_set_json(rc->res, "failed", failed);
out_free:
	free(failed);
	free(pr);
	free(args);
	free(pfd);
	free(starts);
	return rc_out;
}

const struct exec_ops exec_processes = {
	.info = {
		.name = "processes",
		.title = "a forked process per task (multiprocessing.Process)",
		.params = processes_params,
		.metrics = processes_metrics,
		.timed_work = true,
	},
	.run = processes_run,
};
