/*
 * forker: fork requests from any thread, served on the main thread.
 * A request is a pointer written to a pipe; the requester waits on the
 * request's own condition variable until the main thread has forked.
 */
#include "forker.h"

#include "clock.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

struct fork_request {
	forker_child_fn fn;
	void *arg;
	pid_t pid;
	int err;
	bool done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static int req_pipe[2] = { -1, -1 };
static pthread_t main_thread;
static bool inited;

int
forker_init(void)
{
	if (inited)
		return 0;
	if (pipe2(req_pipe, O_CLOEXEC) != 0)
		return -1;
	main_thread = pthread_self();
	inited = true;
	return 0;
}

int
forker_fd(void)
{
	return inited ? req_pipe[0] : -1;
}

static pid_t
forker_do(forker_child_fn fn, void *arg)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	/* Child: die with the parent, and not by the parent's handlers. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	util_default_stop_signals();
	signal(SIGPIPE, SIG_IGN);
	if (req_pipe[0] >= 0) {
		close(req_pipe[0]);
		close(req_pipe[1]);
	}
	_exit(fn(arg));
}

pid_t
forker_fork(forker_child_fn fn, void *arg)
{
	struct fork_request req = { .fn = fn, .arg = arg, .pid = -1 };
	struct fork_request *p = &req;
	pid_t pid;

	if (!inited || pthread_equal(pthread_self(), main_thread))
		return forker_do(fn, arg);
	pthread_mutex_init(&req.lock, NULL);
	pthread_cond_init(&req.cond, NULL);
	if (write(req_pipe[1], &p, sizeof p) != (ssize_t)sizeof p) {
		pthread_mutex_destroy(&req.lock);
		pthread_cond_destroy(&req.cond);
		return -1;
	}
	pthread_mutex_lock(&req.lock);
	while (!req.done)
		pthread_cond_wait(&req.cond, &req.lock);
	pid = req.pid;
	pthread_mutex_unlock(&req.lock);
	pthread_mutex_destroy(&req.lock);
	pthread_cond_destroy(&req.cond);
	if (pid < 0)
		errno = req.err;
	return pid;
}

void
forker_serve(void)
{
	struct pollfd pfd = { .fd = req_pipe[0], .events = POLLIN };

	while (inited && poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)) {
		struct fork_request *req;

		if (read(req_pipe[0], &req, sizeof req) != (ssize_t)sizeof req)
			return;
		pthread_mutex_lock(&req->lock);
		req->pid = forker_do(req->fn, req->arg);
		req->err = errno;
		req->done = true;
		pthread_cond_signal(&req->cond);
		pthread_mutex_unlock(&req->lock);
	}
}

int
forker_wait(uint64_t timeout_ns, int fd)
{
	uint64_t until = clock_now_ns() + timeout_ns;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = inited ? req_pipe[0] : -1, .events = POLLIN },
			{ .fd = fd, .events = POLLIN },
		};
		uint64_t now = clock_now_ns();
		int ms, n;

		if (now >= until)
			return 0;
		ms = (int)((until - now + 999999) / 1000000);
		n = poll(pfd, 2, ms);
		if (n < 0 && errno == EINTR)
			return 0; /* let the caller look at its signal flag */
		if (n <= 0)
			continue;
		if (pfd[0].revents & POLLIN)
			forker_serve();
		if (fd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			return 1;
	}
}
