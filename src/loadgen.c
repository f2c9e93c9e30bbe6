/*
 * loadgen: perf1 and perf2 clients, as threads (the command line is in
 * cli_load.c).
 */
#include "loadgen.h"

#include "clock.h"
#include "proto.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct client {
	struct loadgen *lg;
	int fd;
	int slot;
	pthread_t th;
	bool started;
	_Atomic uint64_t reqs, errors, bad, lat_sum, lat_max, lat_last;
	_Atomic uint64_t sent_at;	/* when the pending request was sent, 0 none */
	char pad[64];			/* keep clients' counters on their own lines */
};

struct loadgen {
	struct loadgen_opts o;
	_Atomic int stop;
	/* the first reply that broke the protocol: 0 none, 1 being written,
	 * 2 in bad_reply (written once, published with release) */
	_Atomic int bad_state;
	char bad_reply[LOADGEN_BAD_LEN];
	int nclients;
	struct client *cl;
};

static int
lg_connect(const struct loadgen_opts *o, char *err, size_t errlen)
{
	struct sockaddr_in sa;
	const char *host = o->host != NULL ? o->host : "127.0.0.1";
	struct timeval tick = { .tv_sec = 0, .tv_usec = 50000 };
	int fd, one = 1;

	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		util_err(err, errlen, "--host '%s' is not an IPv4 address", host);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		util_err(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		util_err(err, errlen, "cannot connect to %s:%d: %s", host, o->port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	/* recv() gives up after 50 ms so the client sees a stop request; no
	 * poll() before each recv: one system call fewer per request. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
	return fd;
}

static void
lg_state(struct client *c, enum trace_state st)
{
	if (c->slot >= 0)	/* a request loop: sampled (trace.h) */
		trace_set_state_sampled(c->lg->o.tr, c->slot, st, TRACE_SAMPLE_GAP_NS);
}

/* Wait for a reply line; its length, 0 on stop, -1 on a closed connection. */
static ssize_t
lg_reply(struct client *c, char *buf, size_t cap)
{
	size_t len = 0;

	while (len < cap - 1) {
		ssize_t n;

		if (at_load_relaxed(&c->lg->stop))
			return 0;
		n = recv(c->fd, buf + len, cap - 1 - len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n <= 0)
			return -1;
		len += (size_t)n;
		if (buf[len - 1] == '\n')
			break;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

/* Is buf[0..len) the reply the protocol gives to "n\n": the decimal value
 * and '\n' (DESIGN.md), fib(n) itself while that fits 64 bits? */
static bool
lg_reply_ok(const char *buf, size_t len, int n)
{
	uint64_t v = 0;
	size_t i;

	if (len < 2 || buf[len - 1] != '\n')
		return false;
	for (i = 0; i + 1 < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(buf[i] - '0');
	}
	return i <= 20 && (n > 90 || v == proto_fib(n));
}

/* Keep the first bad reply (escaped, without its newline) for the message;
 * count every one. */
static void
lg_bad_reply(struct client *c, const char *buf, size_t len)
{
	struct loadgen *lg = c->lg;
	int none = 0;

	at_add_relaxed(&c->bad, 1);
	if (!at_cas_acqrel(&lg->bad_state, &none, 1))
		return;
	if (len > 0 && buf[len - 1] == '\n')
		len--;	/* the line's end is not part of what it said */
	util_escape(buf, len < 48 ? len : 48, lg->bad_reply, sizeof lg->bad_reply);
	if (len > 48)
		util_strlcpy(lg->bad_reply + strlen(lg->bad_reply), "...",
		    sizeof lg->bad_reply - strlen(lg->bad_reply));
	at_store_release(&lg->bad_state, 2);
}

static void *
lg_client(void *arg)
{
	struct client *c = arg;
	struct loadgen *lg = c->lg;
	char req[32], buf[256];
	int reqlen = snprintf(req, sizeof req, "%d\n", lg->o.n);

	if (c->slot >= 0)
		trace_task_begin(lg->o.tr, c->slot, true);
	while (!at_load_relaxed(&lg->stop)) {
		uint64_t t0 = clock_now_ns(), lat;
		ssize_t n;

		at_store_relaxed(&c->sent_at, t0);
		lg_state(c, TRACE_IO);
		if (send(c->fd, req, (size_t)reqlen, MSG_NOSIGNAL) != reqlen) {
			at_add_relaxed(&c->errors, 1);
			break;
		}
		n = lg_reply(c, buf, sizeof buf);
		lg_state(c, TRACE_RUN);
		if (n <= 0) {
			if (n < 0)
				at_add_relaxed(&c->errors, 1);
			break;
		}
		lat = clock_now_ns() - t0;
		at_store_relaxed(&c->sent_at, 0);
		if (strncmp(buf, "error", 5) == 0) {
			at_add_relaxed(&c->errors, 1);
			break;
		}
		/* any other bytes are no reply: not counted, and this client
		 * stops, as on an error (walk 6 G22) */
		if (!lg_reply_ok(buf, (size_t)n, lg->o.n)) {
			at_add_relaxed(&c->errors, 1);
			lg_bad_reply(c, buf, (size_t)n);
			break;
		}
		at_add_relaxed(&c->reqs, 1);
		at_add_relaxed(&c->lat_sum, lat);
		at_store_relaxed(&c->lat_last, lat);
		at_max_relaxed(&c->lat_max, lat);
		if (c->slot >= 0)
			trace_request(lg->o.tr, c->slot, lat);
	}
	if (c->slot >= 0)
		trace_task_end(lg->o.tr, c->slot);
	return NULL;
}

struct loadgen *
loadgen_start(const struct loadgen_opts *o, char *err, size_t errlen)
{
	struct loadgen *lg;

	if (o->clients < 1 || o->clients > LOADGEN_MAX_CLIENTS) {
		util_err(err, errlen, "--clients must be 1..%d", LOADGEN_MAX_CLIENTS);
		return NULL;
	}
	lg = xcalloc(1, sizeof *lg);
	lg->o = *o;
	lg->cl = xcalloc((size_t)o->clients, sizeof *lg->cl);
	for (int i = 0; i < o->clients; i++) {
		struct client *c = &lg->cl[i];

		c->lg = lg;
		c->slot = -1;
		c->fd = lg_connect(o, err, errlen);
		if (c->fd < 0)
			goto out_stop;
		lg->nclients++;
		if (o->tr != NULL) {
			char name[TRACE_NAME_LEN];

			snprintf(name, sizeof name, "%s-%d",
			    o->kind == LOADGEN_PERF1 ? "perf1" : "perf2", i + 1);
			c->slot = o->slot_fn != NULL ? o->slot_fn(o->slot_arg, name) :
			    trace_task_add(o->tr, o->run, name, TRACE_KIND_TASK);
			if (c->slot >= 0)
				trace_set_meter(o->tr, c->slot, o->kind == LOADGEN_PERF1 ?
				    TRACE_METER_LATENCY : TRACE_METER_RATE);
		}
	}
	for (int i = 0; i < lg->nclients; i++) {
		if (pthread_create(&lg->cl[i].th, NULL, lg_client, &lg->cl[i]) != 0) {
			util_err(err, errlen, "cannot start client thread %d", i + 1);
			goto out_stop;
		}
		lg->cl[i].started = true;
	}
	return lg;
out_stop:
	loadgen_stop(lg);
	return NULL;
}

int
loadgen_clients(const struct loadgen *lg)
{
	return lg->nclients;
}

void
loadgen_totals(const struct loadgen *lg, int client, struct loadgen_totals *out)
{
	uint64_t now = clock_now_ns(), last_max = 0;

	memset(out, 0, sizeof *out);
	for (int i = 0; i < lg->nclients; i++) {
		struct client *c = &lg->cl[i];
		uint64_t sent, v;

		if (client >= 0 && i != client)
			continue;
		out->reqs += at_load_relaxed(&c->reqs);
		out->errors += at_load_relaxed(&c->errors);
		out->bad += at_load_relaxed(&c->bad);
		out->lat_sum_ns += at_load_relaxed(&c->lat_sum);
		out->lat_max_ns = UTIL_MAX(out->lat_max_ns, at_load_relaxed(&c->lat_max));
		v = at_load_relaxed(&c->lat_last);
		if (v > last_max)
			last_max = v;
		sent = at_load_relaxed(&c->sent_at);
		if (sent != 0 && now > sent)
			out->inflight_ns = UTIL_MAX(out->inflight_ns, now - sent);
	}
	out->lat_last_ns = last_max;
}

const char *
loadgen_bad_reply(const struct loadgen *lg)
{
	return at_load_acquire((_Atomic int *)&lg->bad_state) == 2 ? lg->bad_reply : NULL;
}

void
loadgen_stop(struct loadgen *lg)
{
	if (lg == NULL)
		return;
	at_store_relaxed(&lg->stop, 1);
	for (int i = 0; i < lg->nclients; i++)
		if (lg->cl[i].started)
			pthread_join(lg->cl[i].th, NULL);
	for (int i = 0; i < lg->nclients; i++)
		close(lg->cl[i].fd);
	free(lg->cl);
	free(lg);
}
