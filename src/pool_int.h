/*
 * pool_int: what pool.c (the API: starting workers, submit, wait, destroy),
 * pool_collect.c (the dispatcher side: the queue, sending jobs, reading
 * replies, reaping workers) and pool_worker.c (the worker process) share.
 * Not for other modules.  Locking: one mutex guards everything in struct
 * pool; the collector holds it except while it polls.
 */
#ifndef CONCLAB_POOL_INT_H
#define CONCLAB_POOL_INT_H

#include "clock.h"
#include "pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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

/* A thread a job passes through between submit and dispatch (pool_hop.c). */
struct pool_hop {
	pthread_t th;
	pthread_cond_t cond;	/* staged[i] became non-zero, or quitting */
	struct pool *p;
	int i;
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
	size_t ready;		/* queued jobs that may be sent (the ring's
				 * first ones); the others are at a hop */
	size_t staged[POOL_MAX_HOPS];	/* queued jobs at hop i */
	struct pool_hop hop[POOL_MAX_HOPS];
	int hops_started;
	bool hops_inited, hops_quit;
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

/* pool_worker.c: the worker process, started by forker with a struct
 * pool_start; returns its exit status. */
int pool_worker_main(void *arg);

/* pool_hop.c: start the cfg.hops hop threads (lock not held): 0, or -1
 * with none left running; stop and join them (lock not held; jobs still at
 * a hop stay queued, never sent); and pass the job just queued at the back
 * to the first hop, or make it ready at once without hops (lock held). */
int pool_hops_start(struct pool *p);
void pool_hops_stop(struct pool *p);
void pool_hop_enter(struct pool *p);

/* pool_collect.c, all with the lock held but pool_collector. */
/* Queue a job, at the front (a dead worker's jobs go back first: ready at
 * once) or back (the caller then calls pool_hop_enter). */
void pool_q_push(struct pool *p, const struct pool_job *job, bool front);
/* Wake every waiter: a worker came, went or the pool is closing. */
void pool_wake_all(struct pool *p);
/* Send ready jobs to workers, the least busy first. */
void pool_dispatch(struct pool *p);
/* A worker was reaped: fail its running job, requeue the rest. */
void pool_worker_gone(struct pool *p, struct pool_worker *w, int status);
/* The collector thread: reads replies, reaps workers, dispatches. */
void *pool_collector(void *arg);

#endif
