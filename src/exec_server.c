/*
 * exec_server: the `server` lab's executor -- the talk's live demo, measured.
 * It starts the fib server in this process on a free port, then perf2 alone
 * (fast requests per second), then perf2 while perf1 asks for long fibs, and
 * reports fast_reqs_per_s_alone, fast_reqs_per_s_contended and
 * long_latency_s.  Every mode charges the interpreted cost (interp_ns,
 * default 34: CPython's proportions, fib(30) about 55 ms).  With pingpong_ms
 * it also measures the limit of one connection over loopback: a minimal C
 * client and echo thread doing the same ping-pong, placed as the kernel
 * likes, as the server's own threads are.
 *
 * The server's log lines go to the output pane.  Trace slots are claimed by
 * the runner thread, the server's accepting thread and the pool, so they
 * go through one mutex.
 */
#include "exec.h"

#include "clock.h"
#include "loadgen.h"
#include "outpane.h"
#include "server.h"
#include "util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct param_spec server_params[] = {
	{ .name = "mode", .type = PARAM_ENUM, .def = 1, .choices = SERVER_MODE_CHOICES,
	  .help = "how the server serves its connections" },
	EXEC_PARAM_INTERP(34),
	{ .name = "alone_ms", .type = PARAM_INT, .def = 2000, .min = 100, .max = 600000,
	  .help = "how long perf2 runs alone" },
	{ .name = "contended_ms", .type = PARAM_INT, .def = 2000, .min = 100,
	  .max = 600000, .help = "how long perf2 runs beside perf1" },
	{ .name = "long_n", .type = PARAM_INT, .def = 30, .min = 1, .max = 40,
	  .help = "perf1's fib n (the long request)" },
	{ .name = "fast_n", .type = PARAM_INT, .def = 1, .min = 0, .max = 40,
	  .help = "perf2's fib n (the fast request)" },
	{ .name = "fast_clients", .type = PARAM_INT, .def = 1, .min = 1, .max = 32,
	  .help = "perf2 connections" },
	{ .name = "workers", .type = PARAM_INT, .def = 0, .min = 0, .max = 64,
	  .help = "pool processes (0 = the cores)" },
	{ .name = "pingpong_ms", .type = PARAM_INT, .def = 0, .min = 0, .max = 60000,
	  .help = "also measure a minimal C ping-pong over loopback for this long" },
	EXEC_PARAM_END,
};

static const char *const server_metrics[] = {
	"fast_reqs_per_s_alone", "fast_reqs_per_s_contended", "long_latency_s",
	"contended_vs_alone", "long_reqs", "pingpong_reqs_per_s",
	"alone_vs_pingpong_pct", "interp_ns", NULL,
};

struct srv_ctx {
	struct run_ctx *rc;
	pthread_mutex_t lock;	/* slot claims */
	struct server *srv;
};

static int
srv_slot(void *arg, const char *name)
{
	struct srv_ctx *x = arg;
	struct run_result *res = x->rc->res;
	int slot;

	pthread_mutex_lock(&x->lock);
	slot = trace_task_add(x->rc->env->tr, x->rc->run_index, name, TRACE_KIND_TASK);
	if (slot >= 0) {
		if (res->nslots == 0)
			res->first_slot = slot;
		res->nslots = slot - res->first_slot + 1;
	}
	pthread_mutex_unlock(&x->lock);
	return slot;
}

static void
srv_log(void *arg, const char *line)
{
	struct srv_ctx *x = arg;
	const char *p = strchr(line, ' ');	/* drop the time of day */

	outpane_write(x->rc->run_index, p != NULL ? p + 1 : line);
}

static void *
srv_thread(void *arg)
{
	struct srv_ctx *x = arg;

	server_run(x->srv);
	return NULL;
}

/* Sleep ns in slices; false when the lab is being stopped. */
static bool
srv_wait(struct run_ctx *rc, uint64_t ns)
{
	uint64_t until = clock_now_ns() + ns;

	while (!exec_stopping(rc)) {
		uint64_t now = clock_now_ns();

		if (now >= until)
			return true;
		clock_sleep_ns(UTIL_MIN(until - now, 20 * CLOCK_NS_PER_MS));
	}
	return false;
}

/* perf2's requests per second over ns. */
static double
srv_rate(struct run_ctx *rc, struct loadgen *lg, uint64_t ns)
{
	struct loadgen_totals a, b;
	uint64_t t0 = clock_now_ns(), t1;

	loadgen_totals(lg, -1, &a);
	srv_wait(rc, ns);
	loadgen_totals(lg, -1, &b);
	t1 = clock_now_ns();
	return t1 > t0 ? (double)(b.reqs - a.reqs) * 1e9 / (double)(t1 - t0) : 0;
}

/* The ping-pong limit: one echo thread, one client, one byte each way. */
struct pp {
	int lfd, port;
	_Atomic int stop;
};

static void *
pp_echo(void *arg)
{
	struct pp *p = arg;
	int fd = accept(p->lfd, NULL, NULL), one = 1;
	char b[16];
	ssize_t n;

	if (fd < 0)
		return NULL;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	while ((n = read(fd, b, sizeof b)) > 0)
		if (write(fd, b, (size_t)n) != n)
			break;
	close(fd);
	return NULL;
}

static double
srv_pingpong(uint64_t ns)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	struct pp p = { .lfd = -1 };
	pthread_t th;
	uint64_t t0, t1, count = 0;
	int fd, one = 1;
	char b[16] = "1\n";

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	p.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (p.lfd < 0 || bind(p.lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(p.lfd, 1) != 0 || getsockname(p.lfd, (struct sockaddr *)&sa, &len) != 0) {
		if (p.lfd >= 0)
			close(p.lfd);
		return 0;
	}
	if (pthread_create(&th, NULL, pp_echo, &p) != 0) {
		close(p.lfd);
		return 0;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		t0 = clock_now_ns();
		do {
			if (write(fd, b, 2) != 2 || read(fd, b, sizeof b) <= 0)
				break;
			count++;
			t1 = clock_now_ns();
		} while (t1 - t0 < ns);
		t1 = clock_now_ns();
	} else {
		t0 = t1 = 0;
	}
	if (fd >= 0)
		close(fd);
	else
		shutdown(p.lfd, SHUT_RDWR);
	pthread_join(th, NULL);
	close(p.lfd);
	return t1 > t0 ? (double)count * 1e9 / (double)(t1 - t0) : 0;
}

static struct loadgen *
srv_load(struct srv_ctx *x, enum loadgen_kind kind, int n, int clients)
{
	struct run_ctx *rc = x->rc;
	struct loadgen_opts o = {
		.kind = kind, .host = "127.0.0.1", .port = server_port(x->srv),
		.n = n, .clients = clients, .tr = rc->env->tr, .run = rc->run_index,
		.slot_fn = srv_slot, .slot_arg = x,
	};
	char err[200];
	struct loadgen *lg = loadgen_start(&o, err, sizeof err);

	if (lg == NULL)
		util_err(rc->res->error, sizeof rc->res->error, "%s %s",
		    kind == LOADGEN_PERF1 ? "perf1:" : "perf2:", err);
	return lg;
}

static int
server_exec_run(struct run_ctx *rc)
{
	const struct lab_run *run = rc->run;
	struct srv_ctx x = { .rc = rc };
	struct server_opts o;
	struct loadgen *fast = NULL, *slow = NULL;
	struct loadgen_totals lt;
	pthread_t th;
	char err[256];
	double alone, contended, lat;
	int rc_out = -1;
	int64_t pp_ms = lab_value(run, "pingpong_ms");

	pthread_mutex_init(&x.lock, NULL);
	outpane_clear();
	server_opts_default(&o);
	o.mode = (enum server_mode)lab_value(run, "mode");
	o.port = 0;
	o.workers = (int)lab_value(run, "workers");
	if (o.workers == 0)
		o.workers = rc->env->ncpus;
	o.interp_ns = (double)lab_value(run, "interp_ns");
	o.cal = &rc->env->cal;
	o.tr = rc->env->tr;
	o.slot_fn = srv_slot;
	o.slot_arg = &x;
	o.log = srv_log;
	o.log_arg = &x;
	rc->res->t_start = clock_now_ns();
	x.srv = server_create(&o, err, sizeof err);
	if (x.srv == NULL) {
		util_err(rc->res->error, sizeof rc->res->error, "server: %s", err);
		goto out_mutex;
	}
	if (pthread_create(&th, NULL, srv_thread, &x) != 0) {
		util_err(rc->res->error, sizeof rc->res->error, "cannot start the server");
		goto out_server;
	}
	fast = srv_load(&x, LOADGEN_PERF2, (int)lab_value(run, "fast_n"),
	    (int)lab_value(run, "fast_clients"));
	if (fast == NULL)
		goto out_stop;
	/* A short warm-up: connections accepted, threads started. */
	srv_wait(rc, 100 * CLOCK_NS_PER_MS);
	alone = srv_rate(rc, fast, (uint64_t)lab_value(run, "alone_ms") *
	    CLOCK_NS_PER_MS);
	slow = srv_load(&x, LOADGEN_PERF1, (int)lab_value(run, "long_n"), 1);
	if (slow == NULL)
		goto out_stop;
	srv_wait(rc, 50 * CLOCK_NS_PER_MS);
	contended = srv_rate(rc, fast, (uint64_t)lab_value(run, "contended_ms") *
	    CLOCK_NS_PER_MS);
	loadgen_totals(slow, -1, &lt);
	/* No long reply yet (sequential): the wait so far is a lower bound. */
	lat = lt.reqs > 0 ? (double)lt.lat_sum_ns / (double)lt.reqs / 1e9 :
	    (double)lt.inflight_ns / 1e9;
	result_set(rc->res, "fast_reqs_per_s_alone", alone, 0);
	result_set(rc->res, "fast_reqs_per_s_contended", contended, 0);
	result_set(rc->res, "long_latency_s", lat, 3);
	result_set(rc->res, "contended_vs_alone", alone > 0 ? contended / alone : 0, 2);
	result_set(rc->res, "long_reqs", (double)lt.reqs, 0);
	result_set(rc->res, "interp_ns", o.interp_ns, 0);
	rc_out = 0;
out_stop:
	loadgen_stop(slow);
	loadgen_stop(fast);
	server_stop(x.srv);
	pthread_join(th, NULL);
out_server:
	server_destroy(x.srv);
out_mutex:
	rc->res->t_end = clock_now_ns();
	if (rc_out == 0 && pp_ms > 0 && !exec_stopping(rc)) {
		double pp = srv_pingpong((uint64_t)pp_ms * CLOCK_NS_PER_MS);
		const struct metric *m = result_get(rc->res, "fast_reqs_per_s_alone");

		result_set(rc->res, "pingpong_reqs_per_s", pp, 0);
		if (pp > 0 && m != NULL)
			result_set(rc->res, "alone_vs_pingpong_pct", 100 * m->value / pp, 0);
	}
	pthread_mutex_destroy(&x.lock);
	return rc_out;
}

const struct exec_ops exec_server = {
	.info = {
		.name = "server",
		.title = "the fib server and its load generators perf1, perf2",
		.params = server_params,
		.metrics = server_metrics,
	},
	.run = server_exec_run,
};
