/*
 * server_evloop: the event-loop modes.  One thread waits in epoll_wait on
 * the listening socket, the stop eventfd and every connection (level
 * triggered), reads once per ready connection, answers every request of that
 * read and writes what it can.  While a connection has replies left to write
 * the loop stops reading from it, so a client that does not read only holds
 * its own buffer.  In `evloop` the fib is computed inline: while it runs,
 * nobody else is served.
 */
#include "server_int.h"

#include "proto.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define EVLOOP_BATCH 64

struct evconn {
	struct server_conn c;
	char *out;		/* replies not yet written */
	size_t outlen, outoff, outcap;
	uint64_t served;
	bool want_out;		/* registered for EPOLLOUT instead of EPOLLIN */
	struct evconn *prev, *next;
};

struct evloop {
	struct server *s;
	int ep;
	struct evconn *conns;	/* every open connection */
	struct work_ctx w;
	int slot;		/* the loop's own trace slot, -1 if none */
};

static char listen_tag, stop_tag;

static void
ev_state(struct evloop *l, enum trace_state st)
{
	if (l->slot >= 0)
		trace_set_state(l->s->o.tr, l->slot, st);
}

static void
ev_close(struct evloop *l, struct evconn *e)
{
	struct server *s = l->s;

	epoll_ctl(l->ep, EPOLL_CTL_DEL, e->c.fd, NULL);
	close(e->c.fd);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		l->conns = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	at_add_relaxed(&s->st.active, -1);
	server_log(s, "connection %d closed after %llu requests", e->c.id,
	    (unsigned long long)e->served);
	free(e->out);
	free(e);
}

static void
ev_watch(struct evloop *l, struct evconn *e, bool out)
{
	struct epoll_event ev = { .events = out ? EPOLLOUT : EPOLLIN, .data.ptr = e };

	if (out != e->want_out) {
		epoll_ctl(l->ep, EPOLL_CTL_MOD, e->c.fd, &ev);
		e->want_out = out;
	}
}

static void
ev_append(struct evconn *e, const char *buf, size_t len)
{
	if (e->outoff == e->outlen)
		e->outoff = e->outlen = 0;
	if (e->outlen + len > e->outcap) {
		e->outcap = UTIL_MAX(e->outcap * 2, e->outlen + len + 256);
		e->out = xrealloc(e->out, e->outcap);
	}
	memcpy(e->out + e->outlen, buf, len);
	e->outlen += len;
}

/* Write what the socket takes; false when the peer is gone. */
static bool
ev_flush(struct evloop *l, struct evconn *e)
{
	while (e->outoff < e->outlen) {
		ssize_t n = send(e->c.fd, e->out + e->outoff, e->outlen - e->outoff,
		    MSG_NOSIGNAL);

		if (n > 0) {
			e->outoff += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			ev_watch(l, e, true);
			return true;
		} else {
			return false;
		}
	}
	ev_watch(l, e, false);
	return true;
}

static bool
ev_read(struct evloop *l, struct evconn *e)
{
	struct server *s = l->s;
	char buf[SERVER_READ_BUF], out[PROTO_REPLY_MAX];
	ssize_t n = read(e->c.fd, buf, sizeof buf);
	size_t off = 0;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0)
		return false;
	while (off < (size_t)n) {
		struct proto_req req;
		uint64_t v = 0;

		off += proto_next(buf + off, (size_t)n - off, s->o.max_n, &req);
		if (req.kind == PROTO_NONE)
			continue;
		if (req.kind == PROTO_FIB) {
			v = server_fib(s, &l->w, req.n);
			if (l->w.stopped)
				return false;
			at_add_relaxed(&s->st.reqs, 1);
			e->served++;
		} else {
			at_add_relaxed(&s->st.errors, 1);
		}
		ev_append(e, out, proto_reply(&req, v, out, sizeof out));
	}
	return ev_flush(l, e);
}

static void
ev_accept(struct evloop *l)
{
	struct server *s = l->s;
	struct server_conn c;

	while (!server_stopping(s) && server_accept(s, &c) >= 0) {
		struct evconn *e = xcalloc(1, sizeof *e);
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = e };

		e->c = c;
		if (epoll_ctl(l->ep, EPOLL_CTL_ADD, c.fd, &ev) != 0) {
			server_log(s, "epoll_ctl: %s", strerror(errno));
			close(c.fd);
			at_add_relaxed(&s->st.active, -1);
			free(e);
			continue;
		}
		e->next = l->conns;
		if (l->conns != NULL)
			l->conns->prev = e;
		l->conns = e;
	}
}

int
server_evloop_run(struct server *s)
{
	struct evloop l = { .s = s, .slot = -1 };
	struct epoll_event ev, evs[EVLOOP_BATCH];
	int rc = 0;

	l.ep = epoll_create1(EPOLL_CLOEXEC);
	if (l.ep < 0) {
		server_log(s, "epoll_create1: %s", strerror(errno));
		return -1;
	}
	ev.events = EPOLLIN;
	ev.data.ptr = &listen_tag;
	epoll_ctl(l.ep, EPOLL_CTL_ADD, s->lfd, &ev);
	ev.data.ptr = &stop_tag;
	epoll_ctl(l.ep, EPOLL_CTL_ADD, s->stopfd, &ev);
	if (s->o.slot_fn != NULL)
		l.slot = s->o.slot_fn(s->o.slot_arg, "evloop");
	work_ctx_init(&l.w, s->o.tr, l.slot, s->o.cal, s->o.interp_ns);
	if (l.slot >= 0)
		trace_task_begin(s->o.tr, l.slot, true);
	server_log(s, "listening on %s:%d (epoll)", s->bind, s->port);
	for (bool running = true; running;) {
		int n;

		ev_state(&l, TRACE_IO);
		n = epoll_wait(l.ep, evs, EVLOOP_BATCH, -1);
		ev_state(&l, TRACE_RUN);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			server_log(s, "epoll_wait: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (int i = 0; i < n && running; i++) {
			struct evconn *e = evs[i].data.ptr;
			bool ok;

			if (evs[i].data.ptr == &stop_tag) {
				running = false;
			} else if (evs[i].data.ptr == &listen_tag) {
				ev_accept(&l);
			} else {
				if (e->want_out)
					ok = ev_flush(&l, e);
				else
					ok = ev_read(&l, e);
				if (!ok)
					ev_close(&l, e);
			}
		}
		if (l.slot >= 0)
			trace_note_cpu(s->o.tr, l.slot);
	}
	while (l.conns != NULL)
		ev_close(&l, l.conns);
	close(l.ep);
	if (l.slot >= 0)
		trace_task_end(s->o.tr, l.slot);
	server_log(s, "stopped after %llu connections", (unsigned long long)
	    at_load_relaxed(&s->st.conns));
	return rc;
}
