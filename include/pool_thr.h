/*
 * pool_thr: a pool of threads handed tiny jobs one by one, as Python's
 * ThreadPoolExecutor is by submit(...).result() -- the same blocking
 * hand-overs, each a real futex wake-up of a sleeping thread, in the same
 * order (pool_thr.c says which and what they were measured to cost).
 */
#ifndef CONCLAB_POOL_THR_H
#define CONCLAB_POOL_THR_H

#include "atomics.h"
#include "gil.h"
#include "work.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

struct run_ctx;

/* The pool's queue, its futures' waits and its GIL. */
struct pool_thr {
	pthread_mutex_t mu;	/* the counts below, held only briefly */
	sem_t work;		/* the queue's lock: posted for a worker asleep in get */
	sem_t back;		/* a future's waiter lock: posted for a sleeping result() */
	int64_t submitted, taken, finished;
	int64_t inflight;	/* result() returns when fewer are unfinished */
	int idle;		/* workers asleep in get */
	bool waiting;		/* the submitter is asleep in result() */
	bool closed;
	struct gil *gil;	/* pool_gil = python, else NULL */
	const struct work_calib *cal;
	double submit_ns[2];	/* CPU the submitter spins: before the put, after it */
	double worker_ns[2];	/* CPU a worker spins: before the call, after set_result */
	_Atomic int64_t sleeps;	/* blocking waits in get and result() (not the GIL's) */
	_Atomic int64_t nvcsw;	/* the threads' voluntary context switches, all kinds */
};

/* Set q up: inflight >= 1; gil may be NULL; costs in ns, each split in two
 * as the struct says. */
void pool_thr_init(struct pool_thr *q, const struct work_calib *cal, struct gil *gil,
    int64_t inflight, const double submit_ns[2], const double worker_ns[2]);
void pool_thr_destroy(struct pool_thr *q);
/* A worker thread (w attached to q->gil, if any): take jobs, run
 * fib(fib_n) each, until the queue is closed or the run stops; the jobs it
 * ran (reported to the trace's slot as progress). */
uint64_t pool_thr_worker(struct pool_thr *q, struct run_ctx *rc, struct work_ctx *w,
    int slot, int fib_n);
/* The submitter (the calling thread): submit `jobs` jobs, each waited for
 * as inflight allows, then close the queue. */
void pool_thr_submit(struct pool_thr *q, struct run_ctx *rc, int64_t jobs);

#endif
