/*
 * server: listening, accepting, logging and the blocking modes (sequential,
 * threads, fork, pool, gil).  A blocking handler waits with poll() on its
 * connection and the stop eventfd together, so server_stop reaches every
 * handler -- in forked children too, which share the eventfd.
 */
#include "server_int.h"

#include "clock.h"
#include "forker.h"
#include "gil.h"
#include "pool.h"
#include "proto.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const mode_names[SERVER_NMODES] = {
	"sequential", "threads", "fork", "pool", "gil", "evloop", "evloop-pool",
};

void
server_opts_default(struct server_opts *o)
{
	memset(o, 0, sizeof *o);
	o->mode = SERVER_THREADS;
	o->bind = "127.0.0.1";
	o->port = SERVER_PORT_DEFAULT;
	o->max_conns = SERVER_MAX_CONNS_DEFAULT;
	o->max_n = SERVER_MAX_N_DEFAULT;
	o->worker_nice = SERVER_WORKER_NICE_DEFAULT;
}

int
server_mode_parse(const char *name)
{
	for (int i = 0; i < SERVER_NMODES; i++)
		if (strcmp(name, mode_names[i]) == 0)
			return i;
	return -1;
}

const char *
server_mode_name(enum server_mode m)
{
	return (unsigned)m < SERVER_NMODES ? mode_names[m] : "?";
}

bool
server_mode_available(enum server_mode m)
{
	return (unsigned)m < SERVER_NMODES;
}

const struct server_stats *
server_stats(const struct server *s)
{
	return &s->st;
}

bool
server_stopping(const struct server *s)
{
	struct pollfd p = { .fd = s->stopfd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

void
server_log(struct server *s, const char *fmt, ...)
{
	char line[256];
	struct timespec ts;
	struct tm tm;
	va_list ap;
	int n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof line, "%02d:%02d:%02d.%03ld %s: ", tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, mode_names[s->o.mode]);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof line)
		vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (s->o.log != NULL)
		s->o.log(s->o.log_arg, line);
	else
		fprintf(stderr, "%s\n", line);
}

/* Raise the soft open-file limit to the hard one. */
static void
server_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* In a pool worker: fib(arg[0]) at the server's interpreted cost. */
static int64_t
server_pool_job(void *ctx, struct trace *tr, int row, const struct pool_job *job)
{
	struct server *s = ctx;
	struct work_ctx w;

	(void)row;
	work_ctx_init(&w, tr, -1, s->o.cal, s->o.interp_ns);
	return (int64_t)work_fib(&w, (int)job->arg[0]);
}

static int
server_pool_row(void *ctx, int worker_number)
{
	struct server *s = ctx;
	char name[TRACE_NAME_LEN];

	snprintf(name, sizeof name, "worker-%d", worker_number);
	return s->o.slot_fn(s->o.slot_arg, name);
}

struct server *
server_create(const struct server_opts *o, char *err, size_t errlen)
{
	struct server *s;
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	int one = 1;

	if ((unsigned)o->mode >= SERVER_NMODES || !server_mode_available(o->mode)) {
		util_err(err, errlen, "server mode '%s' is not available in this build",
		    server_mode_name(o->mode));
		return NULL;
	}
	if (o->max_conns < 1 || o->max_n < 0) {
		util_err(err, errlen, "--max-conns must be at least 1");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->o = *o;
	util_strlcpy(s->bind, o->bind != NULL ? o->bind : "127.0.0.1", sizeof s->bind);
	s->o.bind = s->bind;
	s->lfd = s->stopfd = -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	if (o->port < 0 || o->port > 65535) {
		util_err(err, errlen, "port %d is not 0..65535", o->port);
		goto out_free;
	}
	if (inet_pton(AF_INET, s->bind, &sa.sin_addr) != 1) {
		util_err(err, errlen, "--bind '%s' is not an IPv4 address", s->bind);
		goto out_free;
	}
	server_raise_nofile();
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0) {
		util_err(err, errlen, "socket: %s", strerror(errno));
		goto out_free;
	}
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(s->lfd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int e = errno;

		util_err(err, errlen, "cannot listen on %s:%d: %s%s", s->bind, o->port,
		    strerror(e), e == EADDRINUSE ? " (another server has it: stop that "
		    "one, or pick another port with --port N; --port 0 picks a free one)" :
		    e == EACCES ? " (ports below 1024 need root: use --port 25000)" : "");
		goto out_close;
	}
	if (listen(s->lfd, 1024) != 0 ||
	    getsockname(s->lfd, (struct sockaddr *)&sa, &salen) != 0) {
		util_err(err, errlen, "listen: %s", strerror(errno));
		goto out_close;
	}
	s->port = ntohs(sa.sin_port);
	s->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->stopfd < 0) {
		util_err(err, errlen, "eventfd: %s", strerror(errno));
		goto out_close;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (o->mode == SERVER_FORK) {
		s->kids = xcalloc((size_t)o->max_conns, sizeof *s->kids);
		s->kid_ids = xcalloc((size_t)o->max_conns, sizeof *s->kid_ids);
	}
	if (o->mode == SERVER_GIL)
		s->gil = gil_create(GIL_NEW, GIL_SWITCH_NS_DEFAULT,
		    GIL_CHECK_TICKS_DEFAULT, o->tr, -1);
	if (o->mode == SERVER_POOL || o->mode == SERVER_EVLOOP_POOL) {
		/* One job per worker at a time: a fib(1) never queues behind a
		 * fib(30) in a busy worker while another worker is idle. */
		struct pool_config cfg = { .fn = server_pool_job, .ctx = s,
		    .add_row = o->slot_fn != NULL ? server_pool_row : NULL,
		    .prefetch = 1, .nice = o->worker_nice };
		int k = o->workers > 0 ? o->workers : (int)sysconf(_SC_NPROCESSORS_ONLN);

		s->pool = pool_create(UTIL_MIN(UTIL_MAX(k, 1), POOL_MAX_WORKERS), o->tr,
		    &cfg, err, errlen);
		if (s->pool == NULL) {
			server_destroy(s);
			return NULL;
		}
	}
	return s;
out_close:
	close(s->lfd);
out_free:
	free(s);
	return NULL;
}

int
server_port(const struct server *s)
{
	return s->port;
}

void
server_stop(struct server *s)
{
	uint64_t one = 1;
	ssize_t r = write(s->stopfd, &one, sizeof one);

	(void)r;
}

void
server_destroy(struct server *s)
{
	if (s == NULL)
		return;
	pool_destroy(s->pool, 1000);
	close(s->lfd);
	close(s->stopfd);
	gil_destroy(s->gil);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s->kids);
	free(s->kid_ids);
	free(s);
}

int
server_accept(struct server *s, struct server_conn *c)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	char addr[INET_ADDRSTRLEN] = "?";
	int fd, one = 1;

	memset(c, 0, sizeof *c);
	c->s = s;
	c->slot = -1;
	c->fd = -1;
	fd = accept4(s->lfd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE) {
			server_log(s, "out of file descriptors: %s", strerror(errno));
			clock_sleep_ns(20 * CLOCK_NS_PER_MS);
		}
		return -1;
	}
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
	snprintf(c->peer, sizeof c->peer, "%s:%d", addr, ntohs(sa.sin_port));
	if (at_load_relaxed(&s->st.active) >= s->o.max_conns) {
		char msg[128];
		int n = snprintf(msg, sizeof msg, "error: server busy: %d connections "
		    "open (--max-conns %d)\n", s->o.max_conns, s->o.max_conns);
		ssize_t w = write(fd, msg, (size_t)n);

		(void)w;
		close(fd);
		at_add_relaxed(&s->st.refused, 1);
		server_log(s, "refused %s: %d connections open (--max-conns %d)",
		    c->peer, s->o.max_conns, s->o.max_conns);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	at_add_relaxed(&s->st.active, 1);
	at_add_relaxed(&s->st.conns, 1);
	c->fd = fd;
	c->id = (int)++s->next_id;
	if (s->o.slot_fn != NULL && s->o.mode != SERVER_EVLOOP &&
	    s->o.mode != SERVER_EVLOOP_POOL) {
		char name[TRACE_NAME_LEN];

		snprintf(name, sizeof name, "conn-%d", c->id);
		c->slot = s->o.slot_fn(s->o.slot_arg, name);
	}
	server_log(s, "connection %d from %s (%lld open)", c->id, c->peer,
	    (long long)at_load_relaxed(&s->st.active));
	return fd;
}

bool
server_aborted(const struct server *s, const struct work_ctx *w)
{
	return w->stopped || (s->o.tr != NULL && at_load_relaxed(&s->o.tr->stop));
}

int
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

/* Serve one connection until the peer closes or the server stops. */
static uint64_t
conn_serve(struct server *s, struct server_conn *c)
{
	struct trace *tr = s->o.tr;
	struct work_ctx w;
	char buf[SERVER_READ_BUF], out[PROTO_REPLY_MAX];
	uint64_t served = 0;
	bool gil = s->gil != NULL, alive = true;

	work_ctx_init(&w, tr, c->slot, s->o.cal, s->o.interp_ns);
	conn_blocking(c->fd);
	if (c->slot >= 0)
		trace_task_begin(tr, c->slot, true);
	if (gil) {
		gil_attach(s->gil, &w);
		gil_acquire(s->gil, &w);
	}
	while (alive) {
		ssize_t n;
		size_t off = 0;

		/* recv(): a blocking call releases the GIL, as CPython does. */
		if (gil)
			gil_release(s->gil, &w);
		conn_state(c, TRACE_IO);
		n = read(c->fd, buf, sizeof buf);
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
		if (n <= 0)
			break;
		while (off < (size_t)n) {
			struct proto_req req;
			uint64_t v = 0;
			size_t len;

			off += proto_next(buf + off, (size_t)n - off, s->o.max_n, &req);
			if (req.kind == PROTO_NONE)
				continue;
			len = 0;
			if (req.kind == PROTO_FIB) {
				if (server_fib(s, &w, c->slot, req.n, &v, out,
				    sizeof out) < 0)
					len = strlen(out);
				if (server_aborted(s, &w)) {
					alive = false;
					break;
				}
				at_add_relaxed(&s->st.reqs, 1);
				served++;
			} else {
				at_add_relaxed(&s->st.errors, 1);
			}
			if (len == 0)
				len = proto_reply(&req, v, out, sizeof out);
			if (gil)
				gil_release(s->gil, &w);
			conn_state(c, TRACE_IO);
			alive = conn_send(s, c->fd, out, len);
			if (gil)
				gil_acquire(s->gil, &w);
			conn_state(c, TRACE_RUN);
			if (!alive)
				break;
		}
		if (c->slot >= 0)
			trace_note_cpu(tr, c->slot);
	}
	if (gil && gil_held_by(s->gil, &w))
		gil_release(s->gil, &w);
	if (c->slot >= 0)
		trace_task_end(tr, c->slot);
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

static int
accept_loop(struct server *s)
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
		int n = poll(p, 3, forking ? 50 : -1);

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
	server_log(s, "stopped after %llu connections", (unsigned long long)
	    at_load_relaxed(&s->st.conns));
	return 0;
}

int
server_run(struct server *s)
{
	if (s->o.mode == SERVER_EVLOOP || s->o.mode == SERVER_EVLOOP_POOL)
		return server_evloop_run(s);
	return accept_loop(s);
}
