/*
 * exec_evloop: hold K idle connections, with a thread per connection or with
 * one epoll thread, then ping each connection once.
 *
 * A connection is a socketpair: the executor keeps the client end, the
 * server side holds the other.  mode = threads: one thread per connection
 * blocked in read(); mode = epoll: one thread in epoll_wait over all of
 * them.  Both echo one byte back.  Measured: server threads, the growth of
 * the process's resident memory while the connections are open (rss_mb,
 * and rss_kb for the epoll run's few KB), from a baseline taken after the
 * heap is trimmed and before the run's own arrays, and of its address
 * space (vm_mb),
 * the server side's CPU time (cpu_s), and the median round trip of one
 * byte (rtt_us_p50).  The open-file limit is raised to its hard limit; when
 * that still cannot hold 2 K descriptors, K is capped and the run says so
 * (metrics conns, conns_capped, and a note).
 *
 * Trace: one row for the server side.  In epoll mode it is the epoll thread
 * (io while it waits); in threads mode it stands for all the threads (io
 * while they hold the connections), its CPU the sum of theirs.  Progress
 * counts connections opened, so the dashboard can show them growing.
 */
#include "exec.h"

#include "clock.h"
#include "util.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define EV_FD_RESERVE 64	/* descriptors left for everything else */

enum ev_mode { EV_THREADS, EV_EPOLL };

static const struct param_spec ev_params[] = {
	{ .name = "conns", .type = PARAM_INT, .def = 1000, .min = 1, .max = 10000,
	  .help = "idle connections to hold" },
	{ .name = "mode", .type = PARAM_ENUM, .def = 0, .choices = "threads|epoll",
	  .help = "a thread per connection, or one epoll thread" },
	{ .name = "hold_ms", .type = PARAM_INT, .def = 500, .min = 0, .max = 600000,
	  .help = "how long the connections stay idle before the pings" },
	EXEC_PARAM_END,
};

static const char *const ev_metrics[] = {
	"threads", "rss_mb", "vm_mb", "cpu_s", "rtt_us_p50", "conns", "conns_capped", "rss_kb",
	NULL
};

struct ev_server {
	int *fds;			/* server ends */
	int n;
	_Atomic uint64_t cpu_ns;	/* CPU of the server threads, summed */
	int epfd;
	struct run_ctx *rc;
	int slot;
};

struct ev_conn_arg {
	struct ev_server *sv;
	int fd;
};

/* Resident set size (or with vm, the address space) of this process in
 * bytes; 0 if unknown. */
static uint64_t
ev_mem_bytes(bool vm)
{
	unsigned long long size, rss;
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (f == NULL)
		return 0;
	n = fscanf(f, "%llu %llu", &size, &rss);
	fclose(f);
	return n == 2 ? (vm ? size : rss) * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

/* Raise the soft open-file limit to the hard one; returns the soft limit. */
static uint64_t
ev_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
}

/* Echo bytes until the peer closes. */
static void *
ev_conn_thread(void *p)
{
	struct ev_conn_arg *a = p;
	char c;

	for (;;) {
		ssize_t r = read(a->fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (write(a->fd, &c, 1) != 1)
			break;
	}
	at_add_relaxed(&a->sv->cpu_ns, clock_thread_cpu_ns());
	return NULL;
}

static void *
ev_epoll_thread(void *p)
{
	struct ev_server *sv = p;
	struct trace *tr = sv->rc->env->tr;
	struct epoll_event evs[64];
	int open = sv->n;

	trace_task_begin(tr, sv->slot, true);
	while (open > 0) {
		int n;

		trace_set_state(tr, sv->slot, TRACE_IO);
		n = epoll_wait(sv->epfd, evs, 64, -1);
		trace_set_state(tr, sv->slot, TRACE_RUN);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			char c;
			ssize_t r = read(fd, &c, 1);

			if (r == 1 && write(fd, &c, 1) == 1)
				continue;
			if (r < 0 && errno == EAGAIN)
				continue;
			epoll_ctl(sv->epfd, EPOLL_CTL_DEL, fd, NULL);
			open--;
		}
	}
	trace_task_end(tr, sv->slot);
	return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Send one byte on each client end and wait for it back; median in us. */
static double
ev_ping(int *cli, int n)
{
	uint64_t *rtt = xcalloc((size_t)n, sizeof *rtt);
	double p50;
	int ok = 0;

	for (int i = 0; i < n; i++) {
		uint64_t t0 = clock_now_ns();
		char c = 'x';

		if (write(cli[i], &c, 1) != 1 || read(cli[i], &c, 1) != 1)
			continue;
		rtt[ok++] = clock_now_ns() - t0;
	}
	qsort(rtt, (size_t)ok, sizeof *rtt, cmp_u64);
	p50 = ok > 0 ? (double)rtt[ok / 2] / 1e3 : 0;
	free(rtt);
	return p50;
}

/* Let the connections sit idle for ns, waking early on stop. */
static void
ev_hold(const struct run_ctx *rc, uint64_t ns)
{
	uint64_t until = clock_now_ns() + ns;

	while (!exec_stopping(rc) && clock_now_ns() < until)
		clock_sleep_ns(UTIL_MIN(until - clock_now_ns(), 20 * CLOCK_NS_PER_MS));
}

/* One run: its connections and the threads that serve them. */
struct ev_run {
	struct run_ctx *rc;
	struct ev_server sv;
	int mode, want, cap;		/* cap: want, or less for the fd limit */
	int n, nth;			/* connections made, threads started */
	int *cli;			/* the client ends */
	struct ev_conn_arg *args;	/* threads mode: one per connection */
	pthread_t *th, ep;
	bool ep_started;
	char note[160];			/* why fewer than want, if so */
};

/* Open the connections (and a thread for each, or the epoll thread). */
static void
ev_connect(struct ev_run *er)
{
	struct trace *tr = er->rc->env->tr;
	int n;

	for (n = 0; n < er->cap && !exec_stopping(er->rc); n++) {
		int sp[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0) {
			snprintf(er->note, sizeof er->note, "socketpair failed after %d "
			    "connections: %s", n, strerror(errno));
			break;
		}
		er->cli[n] = sp[0];
		er->sv.fds[n] = sp[1];
		if (er->mode == EV_THREADS) {
			er->args[n].sv = &er->sv;
			er->args[n].fd = sp[1];
			if (pthread_create(&er->th[n], NULL, ev_conn_thread, &er->args[n]) != 0) {
				snprintf(er->note, sizeof er->note, "could not start thread %d "
				    "(the thread limit?)", n + 1);
				close(sp[0]);
				close(sp[1]);
				break;
			}
			er->nth++;
		} else {
			struct epoll_event e = { .events = EPOLLIN, .data.fd = sp[1] };

			epoll_ctl(er->sv.epfd, EPOLL_CTL_ADD, sp[1], &e);
		}
		trace_progress(tr, er->sv.slot, 1);
	}
	er->n = er->sv.n = n;
	if (er->mode == EV_EPOLL && n > 0 &&
	    pthread_create(&er->ep, NULL, ev_epoll_thread, &er->sv) == 0) {
		er->ep_started = true;
		er->nth = 1;
	}
}

/* Close the client ends (which ends every server thread) and join them;
 * the CPU time the serving threads used. */
static uint64_t
ev_disconnect(struct ev_run *er)
{
	struct trace *tr = er->rc->env->tr;
	uint64_t cpu = 0;

	for (int i = 0; i < er->n; i++)
		close(er->cli[i]);
	if (er->mode == EV_THREADS) {
		struct trace_cpu_totals tot = { .cpu_ns = 0 };

		for (int i = 0; i < er->nth; i++)
			pthread_join(er->th[i], NULL);
		tot.cpu_ns = cpu = at_load_relaxed(&er->sv.cpu_ns);
		trace_task_end_totals(tr, er->sv.slot, &tot);
	} else if (er->ep_started) {
		pthread_join(er->ep, NULL);
		cpu = trace_task_cpu_ns(tr, er->sv.slot, clock_now_ns());
	}
	return cpu;
}

static void
ev_results(struct ev_run *er, uint64_t limit, uint64_t rss, uint64_t vm, uint64_t cpu)
{
	struct run_result *res = er->rc->res;

	result_set(res, "threads", er->nth, 0);
	result_set(res, "rss_mb", (double)rss / 1048576.0, 2);
	result_set(res, "rss_kb", (double)(rss / 1024), 0);	/* an epoll run's few */
	result_set(res, "vm_mb", (double)vm / 1048576.0, 0);
	result_set(res, "cpu_s", (double)cpu / 1e9, 3);
	result_set(res, "conns", er->n, 0);
	result_set(res, "conns_capped", er->n < er->want, 0);
	if (er->cap < er->want) {
		snprintf(er->note, sizeof er->note, "the open-file limit (%llu) caps conns "
		    "at %d of %d", (unsigned long long)limit, er->cap, er->want);
	} else if (er->n < er->want && er->note[0] == '\0') {
		snprintf(er->note, sizeof er->note, "stopped after %d connections", er->n);
	}
	if (er->n < er->want) {
		char *json = xasprintf("\"%s\"", er->note);

		result_set_json(res, "note", json);
		free(json);
	}
}

static int
ev_run(struct run_ctx *rc)
{
	uint64_t hold_ns = (uint64_t)lab_value(rc->run, "hold_ms") * CLOCK_NS_PER_MS;
	uint64_t limit = ev_raise_nofile(), rss0, rss1, vm0, vm1, cpu;
	struct trace *tr = rc->env->tr;
	struct ev_run er = { .rc = rc };
	int rc_out = 0;

	er.want = er.cap = (int)lab_value(rc->run, "conns");
	er.mode = (int)lab_value(rc->run, "mode");
	er.sv.rc = rc;
	er.sv.epfd = -1;
	/* 2 descriptors per connection, plus the epoll fd and some reserve. */
	if (limit != UINT64_MAX && (uint64_t)er.want * 2 + EV_FD_RESERVE > limit)
		er.cap = limit > 2 * EV_FD_RESERVE ? (int)((limit - EV_FD_RESERVE) / 2) : 1;
	er.sv.slot = exec_task_add(rc, er.mode == EV_EPOLL ? "epoll" : "threads", er.want);
	if (er.sv.slot < 0)
		return -1;
	/* A fresh baseline: the heap pages an earlier run freed go back to the
	 * kernel first, and the run's own arrays count (walk4 #13: epoll's
	 * few KB vanished into pages the threads run had left resident, and
	 * 1,000 connections read "0.00 MB"). */
	malloc_trim(0);
	rss0 = ev_mem_bytes(false);
	vm0 = ev_mem_bytes(true);
	er.cli = xcalloc((size_t)er.cap, sizeof *er.cli);
	er.sv.fds = xcalloc((size_t)er.cap, sizeof *er.sv.fds);
	if (er.mode == EV_THREADS) {
		er.args = xcalloc((size_t)er.cap, sizeof *er.args);
		er.th = xcalloc((size_t)er.cap, sizeof *er.th);
	} else if ((er.sv.epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		util_err(rc->res->error, sizeof rc->res->error, "epoll_create1: %s",
		    strerror(errno));
		rc_out = -1;
		goto out_free;
	}
	rc->res->t_start = clock_now_ns();
	if (er.mode == EV_THREADS) {
		trace_task_begin(tr, er.sv.slot, false);
		trace_set_state(tr, er.sv.slot, TRACE_IO);
	}
	ev_connect(&er);
	ev_hold(rc, hold_ns);
	rss1 = ev_mem_bytes(false);
	vm1 = ev_mem_bytes(true);
	/* Without its epoll thread nobody would answer: no pings then. */
	if (!exec_stopping(rc) && (er.mode == EV_THREADS || er.ep_started))
		result_set(rc->res, "rtt_us_p50", ev_ping(er.cli, er.n), 1);
	cpu = ev_disconnect(&er);
	rc->res->t_end = clock_now_ns();
	for (int i = 0; i < er.n; i++)
		close(er.sv.fds[i]);
	ev_results(&er, limit, rss1 > rss0 ? rss1 - rss0 : 0, vm1 > vm0 ? vm1 - vm0 : 0, cpu);
out_free:
	if (er.sv.epfd >= 0)
		close(er.sv.epfd);
	free(er.cli);
	free(er.sv.fds);
	free(er.args);
	free(er.th);
	return rc_out;
}

const struct exec_ops exec_evloop = {
	.info = {
		.name = "evloop",
		.title = "idle connections: a thread each, or one epoll thread",
		.params = ev_params,
		.metrics = ev_metrics,
	},
	.run = ev_run,
};
