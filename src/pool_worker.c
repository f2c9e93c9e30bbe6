/*
 * pool_worker: the worker process side of the pool.  A worker is forked
 * single-threaded, closes every descriptor but its socket, says it is ready,
 * then runs jobs one at a time until the parent closes the socket or dies.
 * Also the crash a lab injects into a worker.  See pool.h.
 */
#include "pool_int.h"

#include "clock.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* --- the worker process ------------------------------------------------- */

static void
pool_close_others(int keep)
{
	long r = 0;

#ifdef SYS_close_range
	if (keep > 3)
		r = syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U);
	if (r == 0)
		r = syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U);
#else
	r = -1;
#endif
	if (r != 0)
		for (int fd = 3; fd < 1024; fd++)
			if (fd != keep)
				close(fd);
}

static void
pool_send(int fd, const struct pool_msg *m)
{
	while (send(fd, m, sizeof *m, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

int
pool_worker_main(void *arg)
{
	struct pool_start *ps = arg;
	const struct pool_config *cfg = &ps->p->cfg;
	struct trace *tr = ps->p->tr;
	int fd = ps->fd, row = tr != NULL ? ps->row : -1;
	struct pool_msg m = { .kind = MSG_READY, .pid = getpid() };

	prctl(PR_SET_NAME, POOL_WORKER_NAME);
	pool_close_others(fd);
	if (cfg->nice != 0 && setpriority(PRIO_PROCESS, 0, cfg->nice) != 0) {
		/* Not allowed (a lower value needs privileges): keep the parent's. */
	}
	if (row >= 0) {
		trace_task_begin(tr, row, false);
		trace_set_state(tr, row, TRACE_IO);
	}
	m.t_start = m.t_end = clock_now_ns();
	pool_send(fd, &m);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct pool_job job;
		ssize_t n;
		int rc = poll(&pfd, 1, 100);

		if (getppid() != ps->parent)
			_exit(1);
		if (rc <= 0)
			continue;
		n = recv(fd, &job, sizeof job, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof job)
			break;	/* 0: the parent closed the queue */
		m.kind = MSG_DONE;
		m.id = job.id;
		m.t_start = clock_now_ns();
		if (row >= 0)
			trace_set_state(tr, row, TRACE_RUN);
		if (tr != NULL && job.slot >= 0)
			trace_task_begin(tr, job.slot, cfg->schedstat != 0);
		m.value = cfg->fn(cfg->ctx, tr, row, &job);
		if (tr != NULL && job.slot >= 0)
			trace_task_end(tr, job.slot);
		m.t_end = clock_now_ns();
		if (row >= 0)
			trace_set_state(tr, row, TRACE_IO);
		pool_send(fd, &m);
	}
	if (row >= 0)
		trace_task_end(tr, row);
	return 0;
}

/* --- crash injection -------------------------------------------------------- */

void
pool_crash_self(int sig)
{
	struct rlimit rl = { 0, 0 };
	/* The kernel's struct sigaction, all zero: SIG_DFL, set past any
	 * sanitizer's interceptor. */
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; }
	    ksa = { 0 };

	setrlimit(RLIMIT_CORE, &rl);
	if (sig == SIGSEGV) {
		syscall(SYS_rt_sigaction, SIGSEGV, &ksa, NULL, sizeof ksa.mask);
		syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGSEGV);
	}
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}
