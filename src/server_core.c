/*
 * server_core: what every mode stands on -- the listening socket, the stop
 * eventfd, the pool or GIL a mode needs, accepting with its limits, and the
 * log.  It calls no mode: the modes (server_blocking.c, server_evloop.c)
 * call it, and server.c picks the mode.
 *
 * Limits: at most max_conns connections at once, and no more than the
 * open-file limit leaves room for (SERVER_FD_RESERVE and the pool's pipes
 * kept aside); a client past either is told "server busy" and closed.  When
 * accept() fails for want of descriptors anyway (EMFILE, ENFILE), a spare
 * descriptor held for the purpose is given up to accept that client and
 * tell it "server busy"; without one, accepting pauses for
 * SERVER_ACCEPT_PAUSE_MS instead of spinning on a listening socket that
 * stays readable.
 */
#include "server_int.h"

#include "clock.h"
#include "gil.h"
#include "pool.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

/* Raise the soft open-file limit to the hard one; the soft limit now. */
static long
server_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur == RLIM_INFINITY ? -1 : (long)rl.rlim_cur;
}

/* The connections the open-file limit leaves room for: max_conns, or less. */
static void
server_set_limit(struct server *s)
{
	long nofile = server_raise_nofile(), room;

	s->max_conns = s->o.max_conns;
	s->nofile = nofile;
	if (nofile < 0)
		return;
	room = nofile - SERVER_FD_RESERVE - (s->pool != NULL ? 4L * s->nworkers : 0);
	if (room < s->max_conns)
		s->max_conns = (int)UTIL_MAX(room, 1);
}

int
server_conn_limit(const struct server *s)
{
	return s->max_conns;
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

/* The pool modes' workers; 0, or -1 with a message. */
static int
server_start_pool(struct server *s, char *err, size_t errlen)
{
	/* One job per worker at a time: a fib(1) never queues behind a fib(30)
	 * in a busy worker while another worker is idle. */
	struct pool_config cfg = { .fn = server_pool_job, .ctx = s,
	    .add_row = s->o.slot_fn != NULL ? server_pool_row : NULL,
	    .prefetch = 1, .nice = s->o.worker_nice };
	int k = s->o.workers > 0 ? s->o.workers : (int)sysconf(_SC_NPROCESSORS_ONLN);

	s->nworkers = UTIL_MIN(UTIL_MAX(k, 1), POOL_MAX_WORKERS);
	s->pool = pool_create(s->nworkers, s->o.tr, &cfg, err, errlen);
	return s->pool != NULL ? 0 : -1;
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
	s->lfd = s->stopfd = s->spare = -1;
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
	if ((o->mode == SERVER_POOL || o->mode == SERVER_EVLOOP_POOL) &&
	    server_start_pool(s, err, errlen) < 0) {
		server_destroy(s);
		return NULL;
	}
	server_set_limit(s);
	s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
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
	if (s->spare >= 0)
		close(s->spare);
	gil_destroy(s->gil);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s->kids);
	free(s->kid_ids);
	free(s);
}

/* Tell a client we cannot serve why, close it and count it. */
static void
server_refuse(struct server *s, int fd, const char *peer, const char *why)
{
	char msg[160];
	int n = snprintf(msg, sizeof msg, "error: server busy: %s\n", why);
	ssize_t w = send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);

	(void)w;
	close(fd);
	at_add_relaxed(&s->st.refused, 1);
	server_log(s, "refused %s: %s", peer, why);
}

static void
server_peer(const struct sockaddr_in *sa, char *peer, size_t len)
{
	char addr[INET_ADDRSTRLEN] = "?";

	inet_ntop(AF_INET, &sa->sin_addr, addr, sizeof addr);
	snprintf(peer, len, "%s:%d", addr, ntohs(sa->sin_port));
}

/* accept() failed with EMFILE or ENFILE: answer one client with the spare
 * descriptor, or pause accepting when there is none. */
static void
server_out_of_fds(struct server *s, int err)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	char peer[48];
	int fd = -1;

	if (s->spare >= 0) {
		close(s->spare);
		s->spare = -1;
		fd = accept4(s->lfd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC);
		if (fd >= 0) {
			server_peer(&sa, peer, sizeof peer);
			server_refuse(s, fd, peer, "out of file descriptors (raise "
			    "ulimit -n, or lower --max-conns)");
		}
		s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			return;
	}
	s->paused_until = clock_now_ns() + SERVER_ACCEPT_PAUSE_MS * CLOCK_NS_PER_MS;
	server_log(s, "out of file descriptors (%s): not accepting for %d ms",
	    strerror(err), SERVER_ACCEPT_PAUSE_MS);
}

int
server_accept_pause_ms(struct server *s)
{
	uint64_t now;

	if (s->paused_until == 0)
		return -1;
	now = clock_now_ns();
	if (now >= s->paused_until) {
		s->paused_until = 0;
		return -1;
	}
	return (int)((s->paused_until - now) / CLOCK_NS_PER_MS) + 1;
}

/* Was the connection reset by its client while it waited in the listen
 * queue?  A storm of clients that connect and reset leaves a queue of dead
 * ones: the fork server forked a process for each (20-50 ms apiece at a
 * load of 14), and a newcomer waited 10 s and more behind them. */
static bool
server_reset_early(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
	    ti.tcpi_state == TCP_CLOSE;
}

void
server_log_stopped(struct server *s)
{
	uint64_t reset = at_load_relaxed(&s->st.reset);

	if (reset > 0)
		server_log(s, "stopped after %llu connections (and %llu reset by their "
		    "clients before they were served)", (unsigned long long)
		    at_load_relaxed(&s->st.conns), (unsigned long long)reset);
	else
		server_log(s, "stopped after %llu connections", (unsigned long long)
		    at_load_relaxed(&s->st.conns));
}

int
server_accept(struct server *s, struct server_conn *c)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd, one = 1;

	memset(c, 0, sizeof *c);
	c->s = s;
	c->slot = -1;
	c->fd = -1;
	if (server_accept_pause_ms(s) >= 0)
		return -1;
	fd = accept4(s->lfd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE)
			server_out_of_fds(s, errno);
		return -1;
	}
	server_peer(&sa, c->peer, sizeof c->peer);
	if (server_reset_early(fd)) {
		at_add_relaxed(&s->st.reset, 1);
		close(fd);
		return -1;
	}
	if (at_load_relaxed(&s->st.active) >= s->max_conns) {
		char why[112];

		if (s->max_conns < s->o.max_conns)
			snprintf(why, sizeof why, "%d connections open (the open-file "
			    "limit %ld allows no more)", s->max_conns, s->nofile);
		else
			snprintf(why, sizeof why, "%d connections open (--max-conns "
			    "%d)", s->max_conns, s->o.max_conns);
		server_refuse(s, fd, c->peer, why);
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
