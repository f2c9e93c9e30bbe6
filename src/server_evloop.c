/*
 * server_evloop: the event-loop modes.  One thread waits in epoll_wait on
 * the listening socket, the stop eventfd and every connection (level
 * triggered), reads once per ready connection, answers every request of that
 * read and writes what it can.  While a connection has replies left to write
 * the loop stops reading from it, so a client that does not read only holds
 * its own buffer.  In `evloop` the fib is computed inline: while it runs,
 * nobody else is served.
 *
 * In `evloop-pool` each fib goes to the process pool instead.  A collector
 * thread waits for results and signals the loop through an eventfd; the loop
 * puts each result in its connection's list of pending replies, which are
 * written in request order once all replies of that read are in.  While a
 * connection has replies pending the loop does not read from it.
 */
#include "server_int.h"

#include "clock.h"
#include "forker.h"
#include "pool.h"
#include "proto.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define EVLOOP_BATCH 64

enum ev_watch { EV_IN = 0, EV_OUT, EV_NONE };

/* A reply of evloop-pool, in request order. */
struct evpend {
	uint64_t job;		/* pool job id, 0 when the reply is ready */
	char text[PROTO_REPLY_MAX];
	size_t len;
};

struct evconn {
	struct server_conn c;
	char *out;		/* replies not yet written */
	size_t outlen, outoff, outcap;
	uint64_t served;
	enum ev_watch watch;	/* what epoll waits for */
	struct evpend *pend;	/* evloop-pool: replies of the current read */
	int npend, ndone, pcap;
	bool closed;		/* fd closed, kept until its jobs are back */
	struct evconn *prev, *next;
};

/* A job in flight: which connection and which pending reply. */
struct evjob {
	uint64_t id;
	struct evconn *e;
	int idx;
};

struct evloop {
	struct server *s;
	int ep;
	struct evconn *conns;	/* every open connection */
	struct work_ctx w;
	int slot;		/* the loop's own trace slot, -1 if none */
	/* evloop-pool */
	struct evjob *jobs;
	int njobs, jobcap;
	int compfd;		/* eventfd: results are queued */
	pthread_t collector;
	bool collecting;
	pthread_mutex_t qlock;	/* guards the fields below */
	pthread_cond_t qcond;
	struct pool_result *q;	/* results for the loop */
	int nq, qcap;
	int outstanding;	/* jobs submitted, results not yet queued */
	bool quit;
};

static char listen_tag, stop_tag, comp_tag, fork_tag;

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
	e->closed = true;
	if (e->ndone < e->npend)
		return;	/* freed when its last job comes back */
	free(e->pend);
	free(e->out);
	free(e);
}

static void
ev_watch(struct evloop *l, struct evconn *e, enum ev_watch w)
{
	static const uint32_t events[] = { EPOLLIN, EPOLLOUT, 0 };
	struct epoll_event ev = { .events = events[w], .data.ptr = e };

	if (w != e->watch) {
		epoll_ctl(l->ep, EPOLL_CTL_MOD, e->c.fd, &ev);
		e->watch = w;
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
			ev_watch(l, e, EV_OUT);
			return true;
		} else {
			return false;
		}
	}
	ev_watch(l, e, EV_IN);
	return true;
}

static struct evpend *
ev_pend_add(struct evconn *e)
{
	if (e->npend == e->pcap) {
		e->pcap = UTIL_MAX(8, e->pcap * 2);
		e->pend = xrealloc(e->pend, (size_t)e->pcap * sizeof *e->pend);
	}
	memset(&e->pend[e->npend], 0, sizeof e->pend[0]);
	return &e->pend[e->npend++];
}

/* Once every reply of the read is in, queue them in order and write. */
static bool
ev_settle(struct evloop *l, struct evconn *e)
{
	if (e->ndone < e->npend) {
		ev_watch(l, e, EV_NONE);
		return true;
	}
	for (int i = 0; i < e->npend; i++)
		ev_append(e, e->pend[i].text, e->pend[i].len);
	e->npend = e->ndone = 0;
	return ev_flush(l, e);
}

/* Hand fib(n) to the pool for pending reply p of e. */
static void
ev_submit(struct evloop *l, struct evconn *e, struct evpend *p, int n)
{
	struct pool_job job = { .slot = -1, .arg = { n } };

	if (pool_submit(l->s->pool, &job) < 0) {
		p->len = (size_t)snprintf(p->text, sizeof p->text,
		    "error: the process pool is not running\n");
		e->ndone++;
		return;
	}
	if (l->njobs == l->jobcap) {
		l->jobcap = UTIL_MAX(16, l->jobcap * 2);
		l->jobs = xrealloc(l->jobs, (size_t)l->jobcap * sizeof *l->jobs);
	}
	l->jobs[l->njobs++] = (struct evjob){ .id = job.id, .e = e,
	    .idx = (int)(p - e->pend) };
	p->job = job.id;
	/* Counted once the pool has it, so the collector's wait finds it. */
	pthread_mutex_lock(&l->qlock);
	l->outstanding++;
	pthread_cond_signal(&l->qcond);
	pthread_mutex_unlock(&l->qlock);
}

/* The collector thread: results from the pool to the loop's queue. */
static void *
ev_collect(void *arg)
{
	struct evloop *l = arg;

	for (;;) {
		struct pool_result r;
		uint64_t one = 1;
		int got;

		pthread_mutex_lock(&l->qlock);
		while (l->outstanding == 0 && !l->quit)
			pthread_cond_wait(&l->qcond, &l->qlock);
		if (l->quit) {
			pthread_mutex_unlock(&l->qlock);
			return NULL;
		}
		pthread_mutex_unlock(&l->qlock);
		got = pool_wait_result(l->s->pool, 0, &r, 100);
		if (got < 0)
			clock_sleep_ns(CLOCK_NS_PER_MS);	/* should not happen */
		if (got != 1)
			continue;
		pthread_mutex_lock(&l->qlock);
		if (l->nq == l->qcap) {
			l->qcap = UTIL_MAX(16, l->qcap * 2);
			l->q = xrealloc(l->q, (size_t)l->qcap * sizeof *l->q);
		}
		l->q[l->nq++] = r;
		l->outstanding--;
		pthread_mutex_unlock(&l->qlock);
		if (write(l->compfd, &one, sizeof one) < 0)
			continue;
	}
}

/* Results are queued: fill the pending replies, write completed reads. */
static void
ev_complete(struct evloop *l)
{
	struct pool_result *q;
	uint64_t cnt;
	int nq;

	if (read(l->compfd, &cnt, sizeof cnt) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&l->qlock);
	q = l->q;
	nq = l->nq;
	l->q = NULL;
	l->nq = l->qcap = 0;
	pthread_mutex_unlock(&l->qlock);
	for (int i = 0; i < nq; i++) {
		struct evconn *e = NULL;
		struct evpend *p;
		int j;

		for (j = 0; j < l->njobs; j++)
			if (l->jobs[j].id == q[i].id)
				break;
		if (j == l->njobs)
			continue;
		e = l->jobs[j].e;
		p = &e->pend[l->jobs[j].idx];
		l->jobs[j] = l->jobs[--l->njobs];
		if (q[i].failed)
			p->len = (size_t)snprintf(p->text, sizeof p->text,
			    "error: the worker process died (signal %d)\n",
			    (int)q[i].signal);
		else
			p->len = (size_t)snprintf(p->text, sizeof p->text, "%llu\n",
			    (unsigned long long)q[i].value);
		p->job = 0;
		e->ndone++;
		if (e->closed) {
			if (e->ndone == e->npend) {
				free(e->pend);
				free(e->out);
				free(e);
			}
			continue;
		}
		if (!ev_settle(l, e))
			ev_close(l, e);
	}
	free(q);
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
		if (s->pool != NULL) {
			struct evpend *p = ev_pend_add(e);

			if (req.kind == PROTO_FIB) {
				ev_submit(l, e, p, req.n);
				at_add_relaxed(&s->st.reqs, 1);
				e->served++;
			} else {
				p->len = proto_reply(&req, 0, p->text, sizeof p->text);
				e->ndone++;
				at_add_relaxed(&s->st.errors, 1);
			}
			continue;
		}
		if (req.kind == PROTO_FIB) {
			v = work_fib(&l->w, req.n);
			if (server_aborted(s, &l->w))
				return false;
			at_add_relaxed(&s->st.reqs, 1);
			e->served++;
		} else {
			at_add_relaxed(&s->st.errors, 1);
		}
		ev_append(e, out, proto_reply(&req, v, out, sizeof out));
	}
	if (s->pool != NULL)
		return ev_settle(l, e);
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
	if (s->o.serve_forks && forker_fd() >= 0) {
		ev.data.ptr = &fork_tag;
		epoll_ctl(l.ep, EPOLL_CTL_ADD, forker_fd(), &ev);
	}
	if (s->pool != NULL) {
		l.compfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		pthread_mutex_init(&l.qlock, NULL);
		pthread_cond_init(&l.qcond, NULL);
		if (l.compfd < 0 ||
		    pthread_create(&l.collector, NULL, ev_collect, &l) != 0) {
			server_log(s, "cannot start the result collector");
			if (l.compfd >= 0)
				close(l.compfd);
			close(l.ep);
			return -1;
		}
		l.collecting = true;
		ev.data.ptr = &comp_tag;
		epoll_ctl(l.ep, EPOLL_CTL_ADD, l.compfd, &ev);
	}
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
			} else if (evs[i].data.ptr == &comp_tag) {
				ev_complete(&l);
			} else if (evs[i].data.ptr == &fork_tag) {
				forker_serve();
			} else if (!e->closed) {
				if (e->watch == EV_OUT)
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
	if (l.collecting) {
		pthread_mutex_lock(&l.qlock);
		l.quit = true;
		pthread_cond_signal(&l.qcond);
		pthread_mutex_unlock(&l.qlock);
		pthread_join(l.collector, NULL);
		close(l.compfd);
		pthread_mutex_destroy(&l.qlock);
		pthread_cond_destroy(&l.qcond);
	}
	/* Connections closed with jobs still out: free each once. */
	for (int j = 0; j < l.njobs; j++) {
		struct evconn *e = l.jobs[j].e;

		if (++e->ndone == e->npend) {
			free(e->pend);
			free(e->out);
			free(e);
		}
	}
	free(l.jobs);
	free(l.q);
	close(l.ep);
	if (l.slot >= 0)
		trace_task_end(s->o.tr, l.slot);
	server_log(s, "stopped after %llu connections", (unsigned long long)
	    at_load_relaxed(&s->st.conns));
	return rc;
}
