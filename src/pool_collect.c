/*
 * pool_collect: the dispatcher side of the pool, in the parent.  The queue
 * of jobs not yet sent, the results not yet taken, sending jobs to idle
 * workers, and the collector thread that reads replies and reaps workers
 * (by pidfd, or by its socket hanging up and a 20 ms waitpid sweep).
 * Everything here runs with the pool's lock held (the collector drops it
 * only to poll).  See pool.h for the contract.
 */
#include "pool_int.h"

#include "clock.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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

void
pool_q_push(struct pool *p, const struct pool_job *job, bool front)
{
	if (p->qlen == p->qcap)
		pool_q_grow(p);
	if (front) {
		p->qhead = (p->qhead + p->qcap - 1) % p->qcap;
		p->q[p->qhead] = *job;
		p->ready++;
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
	p->ready--;
}

/* Wake every waiter: a worker came, went or the pool is closing (lock held). */
void
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

/* Send ready jobs to workers, the least busy first. */
void
pool_dispatch(struct pool *p)
{
	int prefetch = p->cfg.prefetch;

	for (int depth = 0; depth < prefetch && p->ready > 0; depth++)
		for (int i = 0; i < POOL_MAX_WORKERS && p->ready > 0; i++) {
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
void
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

void *
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
		if (p->cfg.before_wait != NULL)
			p->cfg.before_wait(p->cfg.ctx);
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
