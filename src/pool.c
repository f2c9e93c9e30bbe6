/*
 * pool: K single-threaded worker processes, a queue in the parent, one
 * socket pair (SOCK_SEQPACKET: a two-way pipe that keeps record boundaries,
 * and MSG_NOSIGNAL instead of SIGPIPE) per worker, and a collector thread
 * that reads replies and reaps workers.  See pool.h for the contract.
 * This file: starting workers and the calls of pool.h; the queue and the
 * collector are in pool_collect.c, the worker process in pool_worker.c.
 *
 * Locking: one mutex guards everything in struct pool; the collector holds
 * it except while it polls.  Forks happen with the mutex released (a worker
 * entry is reserved first), through forker, so always on the main thread.
 */
#include "pool_int.h"

#include "clock.h"
#include "forker.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

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
	p->cfg.hops = p->cfg.hops < 0 ? 0 : UTIL_MIN(p->cfg.hops, POOL_MAX_HOPS);
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
	if (pool_hops_start(p) != 0) {
		util_err(err, errlen, "cannot start the pool's hand-off threads");
		pool_destroy(p, 0);
		return NULL;
	}
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
	pool_hop_enter(p);
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
	pool_hops_stop(p);
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

uint64_t
pool_thread_start_ns(int reps)
{
	uint64_t best = 0;

	for (int i = 0; i < reps; i++) {
		uint64_t started = 0, t0 = clock_now_ns();
		pthread_t th;

		if (pthread_create(&th, NULL, pool_thread_probe, &started) != 0)
			break;
		pthread_join(th, NULL);
		if (started > t0 && (best == 0 || started - t0 < best))
			best = started - t0;
	}
	return best;
}
