/*
 * server_evloop: the event-loop modes.  One thread waits in epoll_wait on
 * the listening socket, the stop eventfd and every connection (level
 * triggered).  In `evloop` the fib is computed inline: while it runs,
 * nobody else is served.  In `evloop-pool` each fib goes to the process
 * pool; a collector thread waits for results and wakes the loop through an
 * eventfd.
 *
 * A connection's requests wait in a ring (EV_INFLIGHT of them at most),
 * in request order, until their replies are written.  Backpressure: the
 * loop reads from a connection only while its ring has room and fewer than
 * EV_OUT_HIGH reply bytes wait to be written; bytes already read wait in
 * its framer meanwhile.  So a client that pipelines or does not read holds
 * a bounded amount of the server's memory and pool time.
 *
 * The pool gets at most one job per worker.  Requests waiting for a worker
 * are queued per connection, and connections take turns (round robin), so
 * a newcomer's fib(5) waits for one job per busy client, not for all of
 * theirs.  When a connection goes, its queued requests are dropped; the few
 * already in the pool are let finish and their results dropped.
 *
 * Lifetime: a closed connection is taken out of epoll and every list at
 * once but freed only after the current batch of events (a later event of
 * the batch may still name it: it is skipped, seeing `closed`) and after
 * its last job in the pool is back.
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
#define EV_INFLIGHT 32		/* requests of a connection not yet written */
#define EV_OUT_HIGH 16384	/* reply bytes waiting before reads pause */

enum ev_state { EVP_READY, EVP_QUEUED, EVP_RUNNING };

/* One request between its read and its reply being written. */
struct evpend {
	enum ev_state st;
	int n;			/* EVP_QUEUED: the fib n */
	unsigned char len;	/* EVP_READY: the reply's length */
	char text[PROTO_REPLY_MAX];
};

struct evconn {
	struct server_conn c;
	struct proto_framer in;
	char *out;		/* replies not yet written */
	size_t outlen, outoff, outcap;
	struct evpend pend[EV_INFLIGHT];	/* a ring, oldest at head */
	int head, npend;
	int nqueued;		/* EVP_QUEUED entries */
	int nrunning;		/* EVP_RUNNING entries: jobs in the pool */
	uint64_t served;
	uint32_t events;	/* what epoll waits for */
	bool eof;		/* the peer sent all it will send */
	bool closed;		/* fd closed; freed once nrunning is 0 */
	struct evconn *prev, *next;	/* open connections */
	struct evconn *rq_prev, *rq_next;	/* waiting for a pool worker */
	bool in_rq;
	struct evconn *dead_next;	/* closed, waiting to be freed */
};

/* A job in the pool: which connection and which ring entry. */
struct evjob {
	uint64_t id;
	struct evconn *e;
	int idx;
};

struct evloop {
	struct server *s;
	int ep;
	struct evconn *conns;	/* every open connection */
	struct evconn *dead;	/* closed ones not yet freed */
	struct evconn *rq_head, *rq_tail;	/* connections with queued requests */
	bool listening;		/* the listening socket is in epoll's set */
	struct work_ctx w;
	int slot;		/* the loop's own trace slot, -1 if none */
	/* evloop-pool */
	struct evjob *jobs;	/* nworkers of them */
	int njobs;
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
rq_push(struct evloop *l, struct evconn *e)
{
	if (e->in_rq)
		return;
	e->in_rq = true;
	e->rq_next = NULL;
	e->rq_prev = l->rq_tail;
	if (l->rq_tail != NULL)
		l->rq_tail->rq_next = e;
	else
		l->rq_head = e;
	l->rq_tail = e;
}

static void
rq_remove(struct evloop *l, struct evconn *e)
{
	if (!e->in_rq)
		return;
	if (e->rq_prev != NULL)
		e->rq_prev->rq_next = e->rq_next;
	else
		l->rq_head = e->rq_next;
	if (e->rq_next != NULL)
		e->rq_next->rq_prev = e->rq_prev;
	else
		l->rq_tail = e->rq_prev;
	e->in_rq = false;
}

/* Close e now; it is freed later (see the file's comment). */
static void
ev_close(struct evloop *l, struct evconn *e)
{
	struct server *s = l->s;

	if (e->closed)
		return;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, e->c.fd, NULL);
	close(e->c.fd);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		l->conns = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	rq_remove(l, e);
	at_add_relaxed(&s->st.active, -1);
	if (e->nqueued > 0 || e->nrunning > 0)
		server_log(s, "connection %d closed after %llu requests (%d queued "
		    "dropped, %d running)", e->c.id, (unsigned long long)e->served,
		    e->nqueued, e->nrunning);
	else
		server_log(s, "connection %d closed after %llu requests", e->c.id,
		    (unsigned long long)e->served);
	e->closed = true;
	e->nqueued = 0;
	e->dead_next = l->dead;
	l->dead = e;
}

/* Free the closed connections no job refers to any more (all when all). */
static void
ev_reap(struct evloop *l, bool all)
{
	struct evconn **pp = &l->dead;

	while (*pp != NULL) {
		struct evconn *e = *pp;

		if (e->nrunning > 0 && !all) {
			pp = &e->dead_next;
			continue;
		}
		*pp = e->dead_next;
		free(e->out);
		free(e);
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

/* Move the replies at the head of the ring that are ready to the output. */
static void
ev_drain(struct evconn *e)
{
	while (e->npend > 0 && e->pend[e->head].st == EVP_READY) {
		struct evpend *p = &e->pend[e->head];

		ev_append(e, p->text, p->len);
		e->head = (e->head + 1) % EV_INFLIGHT;
		e->npend--;
	}
}

/* Write what the socket takes; false when the peer is gone. */
static bool
ev_flush(struct evconn *e)
{
	while (e->outoff < e->outlen) {
		ssize_t n = send(e->c.fd, e->out + e->outoff, e->outlen - e->outoff,
		    MSG_NOSIGNAL);

		if (n > 0)
			e->outoff += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else
			return n < 0 && errno == EAGAIN;
	}
	return true;
}

/* Room for another request: the ring has a slot, the output is not full. */
static bool
ev_room(const struct evconn *e)
{
	return e->npend < EV_INFLIGHT && e->outlen - e->outoff < EV_OUT_HIGH;
}

/* Watch for what e can use now: input while it has room and its framer is
 * drained, output while replies wait.  False when e is finished: the peer
 * closed its side and every reply is written. */
static bool
ev_rewatch(struct evloop *l, struct evconn *e)
{
	uint32_t want = 0;

	if (!e->eof && ev_room(e) && proto_framer_drained(&e->in))
		want |= EPOLLIN;
	if (e->outoff < e->outlen)
		want |= EPOLLOUT;
	if (e->eof && want == 0 && e->npend == 0 && proto_framer_drained(&e->in))
		return false;
	if (want != e->events) {
		struct epoll_event ev = { .events = want, .data.ptr = e };

		epoll_ctl(l->ep, EPOLL_CTL_MOD, e->c.fd, &ev);
		e->events = want;
	}
	return true;
}

/* Add request req to e's ring: answered now, or queued for the pool. */
static bool
ev_request(struct evloop *l, struct evconn *e, const struct proto_req *req)
{
	struct server *s = l->s;
	struct evpend *p = &e->pend[(e->head + e->npend) % EV_INFLIGHT];
	uint64_t v = 0;

	e->npend++;
	p->st = EVP_READY;
	if (req->kind == PROTO_FIB) {
		at_add_relaxed(&s->st.reqs, 1);
		e->served++;
		if (s->pool != NULL) {
			p->st = EVP_QUEUED;
			p->n = req->n;
			e->nqueued++;
			rq_push(l, e);
			return true;
		}
		v = work_fib(&l->w, req->n);
		if (server_aborted(s, &l->w))
			return false;
	} else {
		at_add_relaxed(&s->st.errors, 1);
	}
	p->len = (unsigned char)proto_reply(req, v, p->text, sizeof p->text);
	return true;
}

/* Frame the requests e has read while it has room, write what is ready,
 * and watch for what comes next; false when e is to be closed. */
static bool
ev_advance(struct evloop *l, struct evconn *e)
{
	struct proto_req req;

	for (;;) {
		while (ev_room(e) && proto_framer_next(&e->in, l->s->o.max_n, &req)) {
			if (!ev_request(l, e, &req))
				return false;
			ev_drain(e);
			/* After an inline fib, write at once: a client that left
			 * is then seen before the next one is computed for it. */
			if (req.kind == PROTO_FIB && l->s->pool == NULL && !ev_flush(e))
				return false;
		}
		ev_drain(e);
		if (!ev_flush(e))
			return false;
		/* Writing made room and bytes read are left: go on with them. */
		if (!ev_room(e) || proto_framer_drained(&e->in))
			break;
	}
	return ev_rewatch(l, e);
}

/* e is readable: one read, then advance. */
static bool
ev_input(struct evloop *l, struct evconn *e)
{
	struct proto_req req;
	size_t cap;
	char *buf;
	ssize_t n;

	if (!proto_framer_drained(&e->in) || !ev_room(e))
		return ev_advance(l, e);
	buf = proto_framer_space(&e->in, &cap);
	n = read(e->c.fd, buf, cap);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n < 0)
		return false;
	if (n > 0) {
		proto_framer_feed(&e->in, (size_t)n);
	} else {
		/* Answer what was asked, the last line too, then close. */
		e->eof = true;
		if (proto_framer_end(&e->in, l->s->o.max_n, &req) &&
		    !ev_request(l, e, &req))
			return false;
	}
	return ev_advance(l, e);
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

/* Give idle workers the next queued request of each connection in turn. */
static void
ev_dispatch(struct evloop *l)
{
	while (l->njobs < l->s->nworkers && l->rq_head != NULL) {
		struct evconn *e = l->rq_head;
		struct pool_job job = { .slot = -1 };
		struct evpend *p = NULL;
		int idx = 0;

		rq_remove(l, e);
		for (int i = 0; i < e->npend; i++) {
			idx = (e->head + i) % EV_INFLIGHT;
			if (e->pend[idx].st == EVP_QUEUED) {
				p = &e->pend[idx];
				break;
			}
		}
		if (p == NULL) {	/* cannot be: nqueued counts them */
			e->nqueued = 0;
			continue;
		}
		job.arg[0] = p->n;
		e->nqueued--;
		if (e->nqueued > 0)
			rq_push(l, e);	/* to the back: the others go first */
		if (pool_submit(l->s->pool, &job) < 0) {
			p->st = EVP_READY;
			p->len = (unsigned char)snprintf(p->text, sizeof p->text,
			    "error: the process pool is not running\n");
			if (!ev_advance(l, e))
				ev_close(l, e);
			continue;
		}
		p->st = EVP_RUNNING;
		e->nrunning++;
		l->jobs[l->njobs++] = (struct evjob){ .id = job.id, .e = e, .idx = idx };
		/* Counted once the pool has it, so the collector's wait finds it. */
		pthread_mutex_lock(&l->qlock);
		l->outstanding++;
		pthread_cond_signal(&l->qcond);
		pthread_mutex_unlock(&l->qlock);
	}
}

/* One result: into its connection's ring, or dropped if it is gone. */
static void
ev_result(struct evloop *l, const struct pool_result *r)
{
	struct evconn *e;
	struct evpend *p;
	int j;

	for (j = 0; j < l->njobs; j++)
		if (l->jobs[j].id == r->id)
			break;
	if (j == l->njobs)
		return;
	e = l->jobs[j].e;
	p = &e->pend[l->jobs[j].idx];
	l->jobs[j] = l->jobs[--l->njobs];
	e->nrunning--;
	if (e->closed)
		return;		/* freed by ev_reap once nrunning is 0 */
	if (r->failed)
		p->len = (unsigned char)snprintf(p->text, sizeof p->text,
		    "error: the worker process died (signal %d)\n", (int)r->signal);
	else
		p->len = (unsigned char)snprintf(p->text, sizeof p->text, "%llu\n",
		    (unsigned long long)r->value);
	p->st = EVP_READY;
	if (!ev_advance(l, e))
		ev_close(l, e);
}

/* Results are queued: hand them out, then start the next jobs. */
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
	for (int i = 0; i < nq; i++)
		ev_result(l, &q[i]);
	free(q);
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
		e->events = EPOLLIN;
		proto_framer_init(&e->in);
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

/* Keep the listening socket in the set unless accepting pauses; the
 * epoll_wait timeout until it resumes (-1: none). */
static int
ev_listen(struct evloop *l)
{
	int pause = server_accept_pause_ms(l->s);
	struct epoll_event ev = { .events = pause >= 0 ? 0 : EPOLLIN,
	    .data.ptr = &listen_tag };

	if (l->listening != (pause < 0)) {
		epoll_ctl(l->ep, EPOLL_CTL_MOD, l->s->lfd, &ev);
		l->listening = pause < 0;
	}
	return pause;
}

/* One event of a batch. */
static void
ev_event(struct evloop *l, const struct epoll_event *ev, bool *running)
{
	struct evconn *e = ev->data.ptr;
	bool ok;

	if (ev->data.ptr == &stop_tag) {
		*running = false;
	} else if (ev->data.ptr == &listen_tag) {
		ev_accept(l);
	} else if (ev->data.ptr == &comp_tag) {
		ev_complete(l);
		ev_dispatch(l);
	} else if (ev->data.ptr == &fork_tag) {
		forker_serve();
	} else if (!e->closed) {
		if (ev->events & (EPOLLERR | EPOLLHUP))
			ok = false;	/* reset, or both directions shut */
		else if (ev->events & EPOLLIN)
			ok = ev_input(l, e);
		else
			ok = ev_advance(l, e);
		if (!ok)
			ev_close(l, e);
		if (l->s->pool != NULL)
			ev_dispatch(l);
	}
}

static int
ev_start_collector(struct evloop *l)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &comp_tag };

	l->jobs = xcalloc((size_t)l->s->nworkers, sizeof *l->jobs);
	l->compfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&l->qlock, NULL);
	pthread_cond_init(&l->qcond, NULL);
	if (l->compfd < 0 || pthread_create(&l->collector, NULL, ev_collect, l) != 0) {
		server_log(l->s, "cannot start the result collector");
		if (l->compfd >= 0)
			close(l->compfd);
		return -1;
	}
	l->collecting = true;
	epoll_ctl(l->ep, EPOLL_CTL_ADD, l->compfd, &ev);
	return 0;
}

static void
ev_stop_collector(struct evloop *l)
{
	if (!l->collecting)
		return;
	pthread_mutex_lock(&l->qlock);
	l->quit = true;
	pthread_cond_signal(&l->qcond);
	pthread_mutex_unlock(&l->qlock);
	pthread_join(l->collector, NULL);
	close(l->compfd);
	pthread_mutex_destroy(&l->qlock);
	pthread_cond_destroy(&l->qcond);
}

/* Set up epoll with the listening socket, the stop and forker fds. */
static int
ev_setup(struct evloop *l)
{
	struct server *s = l->s;
	struct epoll_event ev = { .events = EPOLLIN };

	l->ep = epoll_create1(EPOLL_CLOEXEC);
	if (l->ep < 0) {
		server_log(s, "epoll_create1: %s", strerror(errno));
		return -1;
	}
	ev.data.ptr = &listen_tag;
	epoll_ctl(l->ep, EPOLL_CTL_ADD, s->lfd, &ev);
	l->listening = true;
	ev.data.ptr = &stop_tag;
	epoll_ctl(l->ep, EPOLL_CTL_ADD, s->stopfd, &ev);
	if (s->o.serve_forks && forker_fd() >= 0) {
		ev.data.ptr = &fork_tag;
		epoll_ctl(l->ep, EPOLL_CTL_ADD, forker_fd(), &ev);
	}
	if (s->pool != NULL && ev_start_collector(l) < 0) {
		close(l->ep);
		return -1;
	}
	return 0;
}

int
server_evloop_run(struct server *s)
{
	struct evloop l = { .s = s, .slot = -1 };
	struct epoll_event evs[EVLOOP_BATCH];
	int rc = 0;

	if (ev_setup(&l) < 0)
		return -1;
	if (s->o.slot_fn != NULL)
		l.slot = s->o.slot_fn(s->o.slot_arg, "evloop");
	work_ctx_init(&l.w, s->o.tr, l.slot, s->o.cal, s->o.interp_ns);
	if (l.slot >= 0)
		trace_task_begin(s->o.tr, l.slot, true);
	server_log(s, "listening on %s:%d (epoll)", s->bind, s->port);
	for (bool running = true; running;) {
		int timeout = ev_listen(&l), n;

		ev_state(&l, TRACE_IO);
		n = epoll_wait(l.ep, evs, EVLOOP_BATCH, timeout);
		ev_state(&l, TRACE_RUN);
		if (n < 0 && errno != EINTR) {
			server_log(s, "epoll_wait: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (int i = 0; i < n && running; i++)
			ev_event(&l, &evs[i], &running);
		/* Only now may closed connections go: no event names them. */
		ev_reap(&l, false);
		if (l.slot >= 0)
			trace_note_cpu(s->o.tr, l.slot);
	}
	while (l.conns != NULL)
		ev_close(&l, l.conns);
	ev_stop_collector(&l);
	ev_reap(&l, true);	/* results still out are dropped with the pool */
	free(l.jobs);
	free(l.q);
	close(l.ep);
	if (l.slot >= 0)
		trace_task_end(s->o.tr, l.slot);
	server_log_stopped(s);
	return rc;
}
