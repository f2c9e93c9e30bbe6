/*
 * server_blocking: the modes whose handlers block -- sequential (in the
 * accepting thread), threads, fork (a process per connection), pool (a
 * thread per connection, fib in a pool process) and gil (threads under the
 * simulated GIL).  A handler waits with poll() on its connection and the
 * stop eventfd together, so server_stop reaches every handler -- in forked
 * children too, which share the eventfd.  Each handler has one request in
 * flight at a time: that is its backpressure, and a client that is gone
 * (reset, or a reply could not be sent) costs at most the request being
 * computed: a handler checks before each fib.
 */
#include "server_int.h"

#include "clock.h"
#include "forker.h"
#include "gil.h"
#include "pool.h"
#include "proto.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Compute fib(n) for a handler (w set up by the caller), in a pool worker
 * in pool mode; 0, or -1 with an error reply in err (a dead worker). */
static int
server_fib(struct server *s, struct work_ctx *w, int slot, int n, uint64_t *out,
    char *err, size_t errlen)
{
	struct pool_job job = { .slot = -1, .arg = { n } };
	struct pool_result res;

	if (s->pool == NULL) {
		*out = work_fib(w, n);
		return 0;
	}
	/* Waiting for the worker's reply is waiting on a pipe: io. */
	if (slot >= 0)
		trace_set_state_sampled(s->o.tr, slot, TRACE_IO, TRACE_SAMPLE_GAP_NS);
	if (pool_submit(s->pool, &job) < 0 ||
	    pool_wait_result(s->pool, job.id, &res, -1) != 1) {
		util_err(err, errlen, "error: the process pool is not running\n");
		res.failed = 1;
	} else if (res.failed) {
		util_err(err, errlen, "error: the worker process died (signal %d)\n",
		    (int)res.signal);
	}
	if (slot >= 0)
		trace_set_state_sampled(s->o.tr, slot, TRACE_RUN, TRACE_SAMPLE_GAP_NS);
	*out = (uint64_t)res.value;
	return res.failed ? -1 : 0;
}

/* Wait until fd has `events` or the server stops: 1 ready, 0 stopping. */
static int
conn_wait(struct server *s, int fd, short events)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = events },
		{ .fd = s->stopfd, .events = POLLIN },
	};

	for (;;) {
		int n = poll(p, 2, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (p[1].revents & POLLIN))
			return 0;
		if (p[0].revents)
			return 1;
	}
}

/* Write all of buf; false when the peer is gone or the server stops. */
static bool
conn_send(struct server *s, int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			if (!conn_wait(s, fd, POLLOUT))
				return false;
		} else {
			return false;
		}
	}
	return true;
}

/*
 * A handler thread (or process) owns its connection: blocking reads with a
 * 200 ms timeout, so each request costs one read() rather than poll() and
 * read(), and a timeout is when the handler checks whether the server stops.
 */
static void
conn_blocking(int fd)
{
	struct timeval tick = { .tv_sec = 0, .tv_usec = 200000 };
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tick, sizeof tick);
}

static void
conn_state(struct server_conn *c, enum trace_state st)
{
	if (c->slot >= 0)	/* a request loop: sampled (trace.h) */
		trace_set_state_sampled(c->s->o.tr, c->slot, st, TRACE_SAMPLE_GAP_NS);
}

/* True when the peer reset the connection or both directions are shut. */
static bool
conn_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP | POLLNVAL));
}

/* Answer one request (`more`: not the first of its read, so the client may
 * have left since it sent it); false when the connection is done with. */
static bool
conn_request(struct server *s, struct server_conn *c, struct work_ctx *w,
    const struct proto_req *req, bool more, uint64_t *served)
{
	char out[PROTO_REPLY_MAX];
	bool gil = s->gil != NULL, alive;
	uint64_t v = 0;
	size_t len = 0;

	if (req->kind == PROTO_FIB) {
		/* A client gone is not computed for: its requests end here.
		 * (Checked for pipelined requests only: a request alone in its
		 * read costs one read and one send, as in the seeds.) */
		if (more && conn_gone(c->fd))
			return false;
		if (server_fib(s, w, c->slot, req->n, &v, out, sizeof out) < 0)
			len = strlen(out);
		if (server_aborted(s, w))
			return false;
		at_add_relaxed(&s->st.reqs, 1);
		(*served)++;
	} else {
		at_add_relaxed(&s->st.errors, 1);
	}
	if (len == 0)
		len = proto_reply(req, v, out, sizeof out);
	if (gil)
		gil_release(s->gil, w);
	conn_state(c, TRACE_IO);
	alive = conn_send(s, c->fd, out, len);
	if (gil)
		gil_acquire(s->gil, w);
	conn_state(c, TRACE_RUN);
	return alive;
}

/* Serve one connection until the peer closes or the server stops. */
static uint64_t
conn_serve(struct server *s, struct server_conn *c)
{
	struct trace *tr = s->o.tr;
	struct work_ctx w;
	struct proto_framer *f = xmalloc(sizeof *f);
	struct proto_req req;
	uint64_t served = 0;
	bool gil = s->gil != NULL, alive = true;

	proto_framer_init(f);
	work_ctx_init(&w, tr, c->slot, s->o.cal, s->o.interp_ns);
	conn_blocking(c->fd);
	if (c->slot >= 0)
		trace_task_begin(tr, c->slot, true);
	if (gil) {
		gil_attach(s->gil, &w);
		gil_acquire(s->gil, &w);
	}
	while (alive) {
		size_t cap;
		char *buf = proto_framer_space(f, &cap);
		ssize_t n;

		/* recv(): a blocking call releases the GIL, as CPython does. */
		if (gil)
			gil_release(s->gil, &w);
		conn_state(c, TRACE_IO);
		n = read(c->fd, buf, cap);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (server_stopping(s))
				break;
			if (gil)
				gil_acquire(s->gil, &w);
			continue;
		}
		if (gil)
			gil_acquire(s->gil, &w);
		conn_state(c, TRACE_RUN);
		if (n == 0 && proto_framer_end(f, s->o.max_n, &req))
			conn_request(s, c, &w, &req, true, &served);	/* the last line */
		if (n <= 0)
			break;
		proto_framer_feed(f, (size_t)n);
		for (bool more = false; alive && proto_framer_next(f, s->o.max_n, &req);
		    more = true)
			alive = conn_request(s, c, &w, &req, more, &served);
		if (c->slot >= 0)
			trace_note_cpu(tr, c->slot);
	}
	if (gil && gil_held_by(s->gil, &w))
		gil_release(s->gil, &w);
	if (c->slot >= 0)
		trace_task_end(tr, c->slot);
	free(f);
	return served;
}

static void
conn_close(struct server *s, struct server_conn *c, uint64_t served, bool counted)
{
	close(c->fd);
	at_add_relaxed(&s->st.active, -1);
	if (counted)
		server_log(s, "connection %d closed after %llu requests", c->id,
		    (unsigned long long)served);
	else
		server_log(s, "connection %d closed", c->id);
}

static void *
handler_thread(void *arg)
{
	struct server_conn *c = arg;
	struct server *s = c->s;
	uint64_t served = conn_serve(s, c);

	conn_close(s, c, served, true);
	free(c);
	pthread_mutex_lock(&s->lock);
	s->nhandlers--;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void
start_thread(struct server *s, struct server_conn *c)
{
	struct server_conn *h = xmalloc(sizeof *h);
	pthread_attr_t attr;
	pthread_t th;
	int err;

	*h = *c;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_mutex_lock(&s->lock);
	s->nhandlers++;
	pthread_mutex_unlock(&s->lock);
	err = pthread_create(&th, &attr, handler_thread, h);
	pthread_attr_destroy(&attr);
	if (err != 0) {
		server_log(s, "cannot start a thread for connection %d: %s", c->id,
		    strerror(err));
		conn_close(s, h, 0, false);
		free(h);
		pthread_mutex_lock(&s->lock);
		s->nhandlers--;
		pthread_mutex_unlock(&s->lock);
	}
}

/* Close every inherited descriptor but stdio, the connection and the stop
 * eventfd: a copy of another client's socket (a load generator in this
 * process) would keep that connection open after its client closed it. */
static void
fork_close_others(int a, int b)
{
	int lo = UTIL_MIN(a, b), hi = UTIL_MAX(a, b);

	if (lo > 3)
		close_range(3, (unsigned)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, ~0U, 0);
}

static int
fork_child(void *arg)
{
	struct server_conn *c = arg;

	fork_close_others(c->fd, c->s->stopfd);
	conn_serve(c->s, c);
	close(c->fd);
	return 0;
}

static void
start_child(struct server *s, struct server_conn *c)
{
	pid_t pid = forker_fork(fork_child, c);

	if (pid < 0) {
		server_log(s, "cannot fork for connection %d: %s", c->id, strerror(errno));
		conn_close(s, c, 0, false);
		return;
	}
	/* The child serves; the parent keeps only the count. */
	close(c->fd);
	s->kids[s->nkids] = pid;
	s->kid_ids[s->nkids] = c->id;
	s->nkids++;
}

/* Reap finished children; wait up to timeout_ns for all when `all`. */
static void
reap_children(struct server *s, bool all)
{
	uint64_t until = clock_now_ns() + 2 * CLOCK_NS_PER_S;

	for (;;) {
		for (int i = 0; i < s->nkids; i++) {
			int st;
			pid_t r = waitpid(s->kids[i], &st, WNOHANG);

			if (r == s->kids[i] || (r < 0 && errno == ECHILD)) {
				at_add_relaxed(&s->st.active, -1);
				server_log(s, "connection %d closed (process %d ended)",
				    s->kid_ids[i], (int)s->kids[i]);
				s->kids[i] = s->kids[s->nkids - 1];
				s->kid_ids[i] = s->kid_ids[s->nkids - 1];
				s->nkids--;
				i--;
			}
		}
		if (!all || s->nkids == 0)
			return;
		if (clock_now_ns() > until) {
			for (int i = 0; i < s->nkids; i++)
				kill(s->kids[i], SIGKILL);
			until = UINT64_MAX;
		}
		clock_sleep_ns(5 * CLOCK_NS_PER_MS);
	}
}

int
server_blocking_run(struct server *s)
{
	struct pollfd p[3] = {
		{ .fd = s->lfd, .events = POLLIN },
		{ .fd = s->stopfd, .events = POLLIN },
		{ .fd = s->o.serve_forks ? forker_fd() : -1, .events = POLLIN },
	};
	bool forking = s->o.mode == SERVER_FORK;

	server_log(s, "listening on %s:%d", s->bind, s->port);
	for (;;) {
		struct server_conn c;
		int pause = server_accept_pause_ms(s), timeout = forking ? 50 : -1, n;

		/* Out of descriptors: leave the listening socket out for a while. */
		p[0].fd = pause >= 0 ? -1 : s->lfd;
		if (pause >= 0 && (timeout < 0 || pause < timeout))
			timeout = pause;
		n = poll(p, 3, timeout);

		if (n > 0 && (p[2].revents & POLLIN))
			forker_serve();

		if (forking)
			reap_children(s, false);
		if (n < 0 && errno != EINTR) {
			server_log(s, "poll: %s", strerror(errno));
			return -1;
		}
		if (p[1].revents & POLLIN)
			break;
		if (n <= 0 || !(p[0].revents & POLLIN))
			continue;
		while (!server_stopping(s)) {
			if (forking)
				reap_children(s, false);	/* ended ones free the cap */
			if (server_accept(s, &c) < 0)
				break;
			switch (s->o.mode) {
			case SERVER_SEQUENTIAL:
				conn_close(s, &c, conn_serve(s, &c), true);
				break;
			case SERVER_FORK:
				start_child(s, &c);
				break;
			default:
				start_thread(s, &c);
				break;
			}
		}
	}
	pthread_mutex_lock(&s->lock);
	while (s->nhandlers > 0)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
	if (forking)
		reap_children(s, true);
	if (s->gil != NULL) {
		struct gil_stats gs;

		gil_get_stats(s->gil, &gs);
		server_log(s, "GIL: %llu takes, %llu waited, %llu switches, %llu drop "
		    "requests, held %.0f%%", (unsigned long long)gs.acquisitions,
		    (unsigned long long)gs.contended, (unsigned long long)gs.switches,
		    (unsigned long long)gs.drop_requests, gs.elapsed_ns ?
		    100.0 * (double)gs.held_ns / (double)gs.elapsed_ns : 0.0);
	}
	server_log_stopped(s);
	return 0;
}
