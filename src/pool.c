/*
 * pool: K single-threaded worker processes, a queue in the parent, one
 * socket pair (SOCK_SEQPACKET: a two-way pipe that keeps record boundaries,
 * and MSG_NOSIGNAL instead of SIGPIPE) per worker, and a collector thread
 * that reads replies and reaps workers.  See pool.h for the contract.
 *
 * Locking: one mutex guards everything in struct pool; the collector holds
 * it except while it polls.  Forks happen with the mutex released (a worker
 * entry is reserved first), through forker, so always on the main thread.
 */
#include "pool.h"

#include "clock.h"
#include "forker.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define POOL_PREFETCH_MAX 8
#define POOL_SWEEP_NS (20 * CLOCK_NS_PER_MS)	/* waitpid sweep period */

enum { MSG_READY = 1, MSG_DONE };

/* A worker's message to the parent. */
struct pool_msg {
	int32_t kind;
	int32_t pid;
	uint64_t id;
	int64_t value;
	uint64_t t_start, t_end;
};

enum wstate { W_FREE = 0, W_STARTING, W_LIVE };

struct pool_worker {
	enum wstate state;
	pid_t pid;
	int fd;			/* the parent's end of the socket pair */
	int pidfd;		/* -1 without pidfd_open */
	int row;		/* trace slot of the worker's row, -1 none */
	bool ready;
	bool hup;		/* its socket hung up: only the sweep reaps it */
	uint32_t gen;		/* bumped when the entry is reused */
	uint64_t t_fork;
	struct pool_job out[POOL_PREFETCH_MAX];	/* sent, oldest first */
	int nout;
};

/*
 * A thread waiting for one job's result.  It waits on its own condition
 * variable, so a result wakes only the thread that wants it: with a
 * broadcast, every fast result woke every waiting connection thread (a
 * thundering herd that cost the server's pool mode a third of its rate).
 */
struct pool_waiter {
	uint64_t id;
	pthread_cond_t cond;
	struct pool_waiter *next;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* everything but a waited-for result */
	struct pool_waiter *waiters;
	struct trace *tr;
	struct pool_config cfg;
	int k;
	struct pool_worker w[POOL_MAX_WORKERS];
	int alive;		/* W_LIVE workers */
	int deaths;
	int need_respawn;
	int numbered;		/* workers ever started (for row names) */
	struct pool_job *q;	/* queue: ring of qcap */
	size_t qhead, qlen, qcap;
	struct pool_result *done;	/* results not yet taken */
	size_t ndone, capdone;
	size_t pending;		/* submitted, not yet taken */
	uint64_t next_id;
	uint64_t start_ns[256];	/* fork request to ready, per worker */
	int nstart;
	int wake[2];
	pthread_t collector;
	bool collector_started;
	bool closing, quit;
	pid_t parent;
};

/* What a new worker gets (copied into the child by fork). */
struct pool_start {
	struct pool *p;
	int fd;
	int row;
	pid_t parent;
};

/* --- the worker process ------------------------------------------------- */

static void
pool_close_others(int keep)
{
	long r = 0;

#ifdef SYS_close_range
	if (keep > 3)
		r = syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U);
	if (r == 0)
		r = syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U);
#else
	r = -1;
#endif
	if (r != 0)
		for (int fd = 3; fd < 1024; fd++)
			if (fd != keep)
				close(fd);
}

static void
pool_send(int fd, const struct pool_msg *m)
{
	while (send(fd, m, sizeof *m, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static int
pool_worker_main(void *arg)
{
	struct pool_start *ps = arg;
	const struct pool_config *cfg = &ps->p->cfg;
	struct trace *tr = ps->p->tr;
	int fd = ps->fd, row = tr != NULL ? ps->row : -1;
	struct pool_msg m = { .kind = MSG_READY, .pid = getpid() };

	prctl(PR_SET_NAME, POOL_WORKER_NAME);
	pool_close_others(fd);
	if (cfg->nice != 0 && setpriority(PRIO_PROCESS, 0, cfg->nice) != 0) {
		/* Not allowed (a lower value needs privileges): keep the parent's. */
	}
	if (row >= 0) {
		trace_task_begin(tr, row, false);
		trace_set_state(tr, row, TRACE_IO);
	}
	m.t_start = m.t_end = clock_now_ns();
	pool_send(fd, &m);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct pool_job job;
		ssize_t n;
		int rc = poll(&pfd, 1, 100);

		if (getppid() != ps->parent)
			_exit(1);
		if (rc <= 0)
			continue;
		n = recv(fd, &job, sizeof job, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof job)
			break;	/* 0: the parent closed the queue */
		m.kind = MSG_DONE;
		m.id = job.id;
		m.t_start = clock_now_ns();
		if (row >= 0)
			trace_set_state(tr, row, TRACE_RUN);
		if (tr != NULL && job.slot >= 0)
			trace_task_begin(tr, job.slot, cfg->schedstat != 0);
		m.value = cfg->fn(cfg->ctx, tr, row, &job);
		if (tr != NULL && job.slot >= 0)
			trace_task_end(tr, job.slot);
		m.t_end = clock_now_ns();
		if (row >= 0)
			trace_set_state(tr, row, TRACE_IO);
		pool_send(fd, &m);
	}
	if (row >= 0)
		trace_task_end(tr, row);
	return 0;
}

/* --- the queue and results (lock held) ---------------------------------- */

static void
pool_q_grow(struct pool *p)
{
	size_t cap = p->qcap ? p->qcap * 2 : 64;
	struct pool_job *q = xcalloc(cap, sizeof *q);

	for (size_t i = 0; i < p->qlen; i++)
		q[i] = p->q[(p->qhead + i) % p->qcap];
	free(p->q);
	p->q = q;
	p->qcap = cap;
	p->qhead = 0;
}

static void
pool_q_push(struct pool *p, const struct pool_job *job, bool front)
{
	if (p->qlen == p->qcap)
		pool_q_grow(p);
	if (front) {
		p->qhead = (p->qhead + p->qcap - 1) % p->qcap;
		p->q[p->qhead] = *job;
	} else {
		p->q[(p->qhead + p->qlen) % p->qcap] = *job;
	}
	p->qlen++;
}

static void
pool_q_pop(struct pool *p, struct pool_job *job)
{
	*job = p->q[p->qhead];
	p->qhead = (p->qhead + 1) % p->qcap;
	p->qlen--;
}

/* Wake every waiter: a worker came, went or the pool is closing (lock held). */
static void
pool_wake_all(struct pool *p)
{
	pthread_cond_broadcast(&p->cond);
	for (struct pool_waiter *wt = p->waiters; wt != NULL; wt = wt->next)
		pthread_cond_signal(&wt->cond);
}

/* Keep a result and wake the thread waiting for it, if any (lock held). */
static void
pool_add_result(struct pool *p, const struct pool_result *r)
{
	struct pool_waiter *wt;

	if (p->ndone == p->capdone) {
		p->capdone = p->capdone ? p->capdone * 2 : 64;
		p->done = xrealloc(p->done, p->capdone * sizeof *p->done);
	}
	p->done[p->ndone++] = *r;
	for (wt = p->waiters; wt != NULL && wt->id != r->id; wt = wt->next)
		;
	if (wt != NULL)
		pthread_cond_signal(&wt->cond);
	else
		pthread_cond_broadcast(&p->cond);	/* waiters for any id */
}

/* Send queued jobs to workers, the least busy first. */
static void
pool_dispatch(struct pool *p)
{
	int prefetch = p->cfg.prefetch;

	for (int depth = 0; depth < prefetch && p->qlen > 0; depth++)
		for (int i = 0; i < POOL_MAX_WORKERS && p->qlen > 0; i++) {
			struct pool_worker *w = &p->w[i];
			struct pool_job job;

			if (w->state != W_LIVE || w->hup || w->nout != depth)
				continue;
			pool_q_pop(p, &job);
			if (send(w->fd, &job, sizeof job, MSG_NOSIGNAL) !=
			    (ssize_t)sizeof job) {
				pool_q_push(p, &job, true);
				w->hup = true;	/* dying: the reaper takes it */
				continue;
			}
			w->out[w->nout++] = job;
		}
}

/* A worker was reaped: fail its running job, requeue the rest. */
static void
pool_worker_gone(struct pool *p, struct pool_worker *w, int status)
{
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	uint64_t now = clock_now_ns();

	if (w->nout > 0) {
		struct pool_job *job = &w->out[0];
		struct pool_result r = {
			.id = job->id, .failed = 1, .signal = sig, .pid = w->pid,
			.slot = job->slot, .t_submit = job->t_submit,
		};

		if (p->tr != NULL && job->slot >= 0) {
			if (trace_task(p->tr, job->slot) != NULL &&
			    at_load_relaxed(&p->tr->tasks[job->slot].pid) == 0)
				trace_task_set_ids(p->tr, job->slot, w->pid, w->pid);
			trace_task_fail(p->tr, job->slot, sig);
		}
		pool_add_result(p, &r);
		for (int i = w->nout - 1; i >= 1; i--)
			pool_q_push(p, &w->out[i], true);
	}
	if (p->tr != NULL && w->row >= 0) {
		if (!p->closing || sig != 0)
			trace_task_fail(p->tr, w->row, sig);
		else if (at_load_relaxed(&p->tr->tasks[w->row].state) != TRACE_DONE)
			trace_set_state_at(p->tr, w->row, TRACE_DONE, now, 0);
	}
	close(w->fd);
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->state = W_FREE;
	w->nout = 0;
	w->gen++;
	p->alive--;
	if (!p->closing) {
		p->deaths++;
		p->need_respawn++;
	}
	pool_wake_all(p);
}

static void
pool_try_reap(struct pool *p, struct pool_worker *w)
{
	int status;

	if (w->state == W_LIVE && waitpid(w->pid, &status, WNOHANG) == w->pid)
		pool_worker_gone(p, w, status);
}

static void
pool_read(struct pool *p, struct pool_worker *w)
{
	struct pool_msg m;

	while (recv(w->fd, &m, sizeof m, MSG_DONTWAIT) == (ssize_t)sizeof m) {
		if (m.kind == MSG_READY) {
			w->ready = true;
			if (p->nstart < (int)UTIL_ARRAY_LEN(p->start_ns))
				p->start_ns[p->nstart++] = clock_now_ns() - w->t_fork;
			pool_wake_all(p);
			continue;
		}
		for (int i = 0; i < w->nout; i++) {
			struct pool_job *job = &w->out[i];
			struct pool_result r;

			if (job->id != m.id)
				continue;
			memset(&r, 0, sizeof r);
			r.id = m.id;
			r.value = m.value;
			r.pid = m.pid;
			r.slot = job->slot;
			r.t_submit = job->t_submit;
			r.t_start = m.t_start;
			r.t_end = m.t_end;
			pool_add_result(p, &r);
			memmove(&w->out[i], &w->out[i + 1],
			    (size_t)(w->nout - i - 1) * sizeof *job);
			w->nout--;
			break;
		}
	}
}

/* --- the collector thread ------------------------------------------------ */

static void *
pool_collector(void *arg)
{
	struct pool *p = arg;
	struct pollfd pfd[1 + 2 * POOL_MAX_WORKERS];
	int who[1 + 2 * POOL_MAX_WORKERS];
	uint32_t gen[POOL_MAX_WORKERS];
	uint64_t last_sweep = clock_now_ns();

	pthread_mutex_lock(&p->lock);
	while (!p->quit) {
		int n = 0, rc;
		uint64_t now;

		pfd[n].fd = p->wake[0];
		pfd[n].events = POLLIN;
		who[n++] = -1;
		for (int i = 0; i < POOL_MAX_WORKERS; i++) {
			struct pool_worker *w = &p->w[i];

			gen[i] = w->gen;
			if (w->state != W_LIVE)
				continue;
			if (!w->hup) {
				pfd[n].fd = w->fd;
				pfd[n].events = POLLIN;
				who[n++] = i;
			}
			if (w->pidfd >= 0) {
				pfd[n].fd = w->pidfd;
				pfd[n].events = POLLIN;
				who[n++] = i + POOL_MAX_WORKERS;
			}
		}
		pthread_mutex_unlock(&p->lock);
		rc = poll(pfd, (nfds_t)n, 20);
		pthread_mutex_lock(&p->lock);
		if (rc > 0 && (pfd[0].revents & POLLIN)) {
			char buf[64];

			while (read(p->wake[0], buf, sizeof buf) > 0)
				;
		}
		for (int j = 1; rc > 0 && j < n; j++) {
			int i = who[j] % POOL_MAX_WORKERS;
			struct pool_worker *w = &p->w[i];

			if (pfd[j].revents == 0 || w->gen != gen[i] || w->state != W_LIVE)
				continue;
			if (who[j] >= POOL_MAX_WORKERS) {
				pool_try_reap(p, w);
				continue;
			}
			if (pfd[j].revents & POLLIN)
				pool_read(p, w);
			if (pfd[j].revents & (POLLHUP | POLLERR)) {
				pool_read(p, w);
				w->hup = true;
				pool_try_reap(p, w);
			}
		}
		now = clock_now_ns();
		if (rc == 0 || now - last_sweep >= POOL_SWEEP_NS) {
			last_sweep = now;
			for (int i = 0; i < POOL_MAX_WORKERS; i++)
				pool_try_reap(p, &p->w[i]);
		}
		pool_dispatch(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Wait on cond (the pool's or a waiter's) for at most ms (lock held). */
static void
pool_timedwait_on(struct pool *p, pthread_cond_t *cond, long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_cond_timedwait(cond, &p->lock, &ts);
}

static void
pool_timedwait(struct pool *p, long ms)
{
	pool_timedwait_on(p, &p->cond, ms);
}

static void
pool_wake(struct pool *p)
{
	char c = 1;

	if (write(p->wake[1], &c, 1) < 0) {
		/* full: the collector is awake anyway */
	}
}

/* --- starting workers ---------------------------------------------------- */

/* Fork one worker (lock not held); 0 or -1. */
static int
pool_spawn(struct pool *p)
{
	struct pool_start ps = { .p = p, .parent = getpid() };
	struct pool_worker *w = NULL;
	int sv[2], number, row = -1;
	uint64_t t;
	pid_t pid;

	pthread_mutex_lock(&p->lock);
	for (int i = 0; i < POOL_MAX_WORKERS && w == NULL; i++)
		if (p->w[i].state == W_FREE)
			w = &p->w[i];
	if (w == NULL || p->closing) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	w->state = W_STARTING;
	number = ++p->numbered;
	pthread_mutex_unlock(&p->lock);

	if (p->cfg.add_row != NULL)
		row = p->cfg.add_row(p->cfg.ctx, number);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		goto out_free;
	ps.fd = sv[1];
	ps.row = row;
	t = clock_now_ns();
	pid = forker_fork(pool_worker_main, &ps);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		goto out_free;
	}
	pthread_mutex_lock(&p->lock);
	w->pid = pid;
	w->fd = sv[0];
	w->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	w->row = row;
	w->ready = false;
	w->hup = false;
	w->nout = 0;
	w->t_fork = t;
	w->gen++;
	w->state = W_LIVE;
	p->alive++;
	pool_dispatch(p);
	pthread_mutex_unlock(&p->lock);
	pool_wake(p);
	return 0;

out_free:
	if (row >= 0 && p->tr != NULL)
		trace_task_fail(p->tr, row, 0);
	pthread_mutex_lock(&p->lock);
	w->state = W_FREE;
	pthread_mutex_unlock(&p->lock);
	return -1;
}

int
pool_respawn(struct pool *p)
{
	int want, started = 0;

	pthread_mutex_lock(&p->lock);
	want = p->closing ? 0 : p->need_respawn;
	p->need_respawn = 0;
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < want; i++) {
		if (pool_spawn(p) == 0) {
			started++;
			continue;
		}
		pthread_mutex_lock(&p->lock);
		p->need_respawn += want - i;
		pthread_mutex_unlock(&p->lock);
		break;
	}
	return started;
}

struct pool *
pool_create(int k, struct trace *tr, const struct pool_config *cfg, char *err,
    size_t errlen)
{
	struct pool *p = xcalloc(1, sizeof *p);
	uint64_t until = clock_now_ns() + 10 * CLOCK_NS_PER_S;

	if (k < 1 || k > POOL_MAX_WORKERS || cfg->fn == NULL) {
		util_err(err, errlen, "a pool has 1 to %d workers", POOL_MAX_WORKERS);
		free(p);
		return NULL;
	}
	p->k = k;
	p->tr = tr;
	p->cfg = *cfg;
	if (p->cfg.prefetch <= 0)
		p->cfg.prefetch = 2;
	if (p->cfg.prefetch > POOL_PREFETCH_MAX)
		p->cfg.prefetch = POOL_PREFETCH_MAX;
	p->parent = getpid();
	p->next_id = 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (int i = 0; i < POOL_MAX_WORKERS; i++) {
		p->w[i].fd = -1;
		p->w[i].pidfd = -1;
	}
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		util_err(err, errlen, "cannot make a pipe: %s", strerror(errno));
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->cond);
		free(p);
		return NULL;
	}
	if (pthread_create(&p->collector, NULL, pool_collector, p) != 0) {
		util_err(err, errlen, "cannot start the pool's collector thread");
		pool_destroy(p, 0);
		return NULL;
	}
	p->collector_started = true;
	for (int i = 0; i < k; i++)
		if (pool_spawn(p) != 0) {
			util_err(err, errlen, "cannot start worker %d of %d: %s",
			    i + 1, k, strerror(errno));
			pool_destroy(p, 0);
			return NULL;
		}
	/* Wait until every worker said it is ready. */
	pthread_mutex_lock(&p->lock);
	for (;;) {
		int ready = 0;

		for (int i = 0; i < POOL_MAX_WORKERS; i++)
			ready += p->w[i].state == W_LIVE && p->w[i].ready;
		if (ready >= k || p->alive < k || clock_now_ns() > until)
			break;
		pool_timedwait(p, 50);
	}
	pthread_mutex_unlock(&p->lock);
	return p;
}

int
pool_submit(struct pool *p, struct pool_job *job)
{
	bool respawn;

	pthread_mutex_lock(&p->lock);
	if (p->closing) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	job->id = p->next_id++;
	job->t_submit = clock_now_ns();
	pool_q_push(p, job, false);
	p->pending++;
	pool_dispatch(p);
	respawn = p->need_respawn > 0;
	pthread_mutex_unlock(&p->lock);
	if (respawn)
		pool_respawn(p);
	return 0;
}

/* Is job id queued, running or done and not taken (lock held)? */
static bool
pool_has(struct pool *p, uint64_t id)
{
	for (size_t i = 0; i < p->qlen; i++)
		if (p->q[(p->qhead + i) % p->qcap].id == id)
			return true;
	for (int i = 0; i < POOL_MAX_WORKERS; i++)
		for (int j = 0; p->w[i].state == W_LIVE && j < p->w[i].nout; j++)
			if (p->w[i].out[j].id == id)
				return true;
	for (size_t i = 0; i < p->ndone; i++)
		if (p->done[i].id == id)
			return true;
	return false;
}

/* Take a waiter off the list (lock held). */
static void
pool_waiter_remove(struct pool *p, struct pool_waiter *wt)
{
	for (struct pool_waiter **pp = &p->waiters; *pp != NULL; pp = &(*pp)->next)
		if (*pp == wt) {
			*pp = wt->next;
			return;
		}
}

int
pool_wait_result(struct pool *p, uint64_t id, struct pool_result *out, int timeout_ms)
{
	uint64_t until = timeout_ms < 0 ? UINT64_MAX :
	    clock_now_ns() + (uint64_t)timeout_ms * CLOCK_NS_PER_MS;
	struct pool_waiter self = { .id = id };
	int rc;

	pthread_mutex_lock(&p->lock);
	if (id != 0) {
		pthread_cond_init(&self.cond, NULL);
		self.next = p->waiters;
		p->waiters = &self;
	}
	for (;;) {
		size_t i;

		if (p->need_respawn > 0 && !p->closing) {
			pthread_mutex_unlock(&p->lock);
			pool_respawn(p);
			pthread_mutex_lock(&p->lock);
		}
		for (i = 0; i < p->ndone; i++)
			if (id == 0 || p->done[i].id == id)
				break;
		if (i < p->ndone) {
			*out = p->done[i];
			p->done[i] = p->done[--p->ndone];
			p->pending--;
			rc = 1;
			break;
		}
		if (p->pending == 0 || (id != 0 && !pool_has(p, id))) {
			rc = -1;
			break;
		}
		if (clock_now_ns() >= until) {
			rc = 0;
			break;
		}
		/* Short slices: a death may need a respawn by this thread. */
		pool_timedwait_on(p, id != 0 ? &self.cond : &p->cond, 20);
	}
	if (id != 0) {
		pool_waiter_remove(p, &self);
		pthread_cond_destroy(&self.cond);
	}
	pthread_mutex_unlock(&p->lock);
	if (rc == 1)
		out->t_recv = clock_now_ns();
	return rc;
}

int
pool_workers(struct pool *p)
{
	int n;

	pthread_mutex_lock(&p->lock);
	n = p->alive;
	pthread_mutex_unlock(&p->lock);
	return n;
}

int
pool_deaths(struct pool *p)
{
	int n;

	pthread_mutex_lock(&p->lock);
	n = p->deaths;
	pthread_mutex_unlock(&p->lock);
	return n;
}

int
pool_pids(struct pool *p, pid_t *pids, int max)
{
	int n = 0;

	pthread_mutex_lock(&p->lock);
	for (int i = 0; i < POOL_MAX_WORKERS && n < max; i++)
		if (p->w[i].state == W_LIVE)
			pids[n++] = p->w[i].pid;
	pthread_mutex_unlock(&p->lock);
	return n;
}

int
pool_start_times(struct pool *p, uint64_t *ns, int max)
{
	int n;

	pthread_mutex_lock(&p->lock);
	n = p->nstart < max ? p->nstart : max;
	memcpy(ns, p->start_ns, (size_t)n * sizeof *ns);
	pthread_mutex_unlock(&p->lock);
	return n;
}

/* Wait (lock held) until no worker is alive or until the deadline. */
static void
pool_wait_gone(struct pool *p, uint64_t until)
{
	while (p->alive > 0 && clock_now_ns() < until)
		pool_timedwait(p, 5);
}

void
pool_destroy(struct pool *p, int grace_ms)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->closing = true;
	for (int i = 0; i < POOL_MAX_WORKERS; i++)
		if (p->w[i].state == W_LIVE)
			shutdown(p->w[i].fd, SHUT_WR);
	if (p->collector_started) {
		pool_wait_gone(p, clock_now_ns() + (uint64_t)grace_ms * CLOCK_NS_PER_MS);
		for (int i = 0; i < POOL_MAX_WORKERS; i++)
			if (p->w[i].state == W_LIVE)
				kill(p->w[i].pid, SIGKILL);
		pool_wait_gone(p, clock_now_ns() + 5 * CLOCK_NS_PER_S);
		p->quit = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (p->collector_started) {
		pool_wake(p);
		pthread_join(p->collector, NULL);
	}
	/* Anything the collector could not reap (it should not happen). */
	for (int i = 0; i < POOL_MAX_WORKERS; i++)
		if (p->w[i].state == W_LIVE) {
			int status;

			kill(p->w[i].pid, SIGKILL);
			waitpid(p->w[i].pid, &status, 0);
			pool_worker_gone(p, &p->w[i], status);
		}
	close(p->wake[0]);
	close(p->wake[1]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p->q);
	free(p->done);
	free(p);
}

/* --- thread start cost, for comparison ------------------------------------ */

static void *
pool_thread_probe(void *arg)
{
	*(uint64_t *)arg = clock_now_ns();
	return NULL;
}

static int
pool_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t
pool_thread_start_ns(int reps)
{
	uint64_t *ns = xcalloc((size_t)reps, sizeof *ns), med;
	int n = 0;

	for (int i = 0; i < reps; i++) {
		uint64_t started = 0, t0 = clock_now_ns();
		pthread_t th;

		if (pthread_create(&th, NULL, pool_thread_probe, &started) != 0)
			break;
		pthread_join(th, NULL);
		ns[n++] = started > t0 ? started - t0 : 0;
	}
	qsort(ns, (size_t)n, sizeof *ns, pool_cmp_u64);
	med = n > 0 ? ns[n / 2] : 0;
	free(ns);
	return med;
}

/* --- crash injection -------------------------------------------------------- */

void
pool_crash_self(int sig)
{
	struct rlimit rl = { 0, 0 };
	/* The kernel's struct sigaction, all zero: SIG_DFL, set past any
	 * sanitizer's interceptor. */
	struct { void *handler; unsigned long flags; void *restorer; uint64_t mask; }
	    ksa = { 0 };

	setrlimit(RLIMIT_CORE, &rl);
	if (sig == SIGSEGV) {
		syscall(SYS_rt_sigaction, SIGSEGV, &ksa, NULL, sizeof ksa.mask);
		syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), SIGSEGV);
	}
	kill(getpid(), SIGKILL);
	for (;;)
		pause();
}
