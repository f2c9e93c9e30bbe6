/*
 * pool_hop: the threads a job passes through in the parent between
 * pool_submit and being sent to a worker (pool_config.hops of them).
 * CPython's ProcessPoolExecutor hands every task from the submitting thread
 * to its executor manager thread (woken through a pipe), which puts it on
 * its call queue, whose feeder thread (woken through a condition variable)
 * pickles it into the workers' pipe: two hand-offs, each a wake-up of
 * another thread, before a worker can start it.  On a loaded machine every
 * wake-up can wait for a core, so a pool that skips them is faster than
 * Python's by more than their CPU.
 *
 * The queue stays one FIFO ring: jobs in it are ready (may be sent; a
 * prefix of the ring) or at hop i (staged[i] of them, behind the ready ones,
 * higher hops nearer the head).  Hop thread i moves every job at hop i to
 * hop i + 1 and wakes that thread; the last one makes them ready and
 * dispatches.  Everything under the pool's lock.
 */
#include "pool_int.h"

#include <pthread.h>

static void *
pool_hop_main(void *arg)
{
	struct pool_hop *h = arg;
	struct pool *p = h->p;
	int i = h->i;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->hops_quit && p->staged[i] == 0)
			pthread_cond_wait(&h->cond, &p->lock);
		if (p->hops_quit)
			break;
		if (i + 1 < p->cfg.hops) {
			p->staged[i + 1] += p->staged[i];
			pthread_cond_signal(&p->hop[i + 1].cond);
		} else {
			p->ready += p->staged[i];
		}
		p->staged[i] = 0;
		if (i + 1 == p->cfg.hops)
			pool_dispatch(p);
		if (i == 0 && p->cfg.before_wait != NULL) {
			pthread_mutex_unlock(&p->lock);
			p->cfg.before_wait(p->cfg.ctx);
			pthread_mutex_lock(&p->lock);
		}
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
pool_hops_start(struct pool *p)
{
	for (int i = 0; i < p->cfg.hops; i++) {
		p->hop[i].p = p;
		p->hop[i].i = i;
		pthread_cond_init(&p->hop[i].cond, NULL);
	}
	p->hops_inited = true;
	for (int i = 0; i < p->cfg.hops; i++) {
		if (pthread_create(&p->hop[i].th, NULL, pool_hop_main, &p->hop[i]) != 0) {
			pool_hops_stop(p);
			return -1;
		}
		p->hops_started++;
	}
	return 0;
}

void
pool_hops_stop(struct pool *p)
{
	if (!p->hops_inited)
		return;
	pthread_mutex_lock(&p->lock);
	p->hops_quit = true;
	for (int i = 0; i < p->hops_started; i++)
		pthread_cond_signal(&p->hop[i].cond);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->hops_started; i++)
		pthread_join(p->hop[i].th, NULL);
	for (int i = 0; i < p->cfg.hops; i++)
		pthread_cond_destroy(&p->hop[i].cond);
	p->hops_started = 0;
	p->hops_inited = false;
}

void
pool_hop_enter(struct pool *p)
{
	if (p->cfg.hops == 0) {
		p->ready++;
		return;
	}
	p->staged[0]++;
	pthread_cond_signal(&p->hop[0].cond);
}
