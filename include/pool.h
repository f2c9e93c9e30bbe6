/*
 * pool: a process pool, like Python's ProcessPoolExecutor.  K worker
 * processes are forked once (on the main thread, through forker) and stay
 * single-threaded; jobs go to them and replies come back through a pair of
 * pipes per worker.  The parent keeps the queue and sends each idle worker
 * the next job (up to `prefetch` jobs outstanding per worker), so it always
 * knows which job a worker was running when it died.
 *
 * With pool_config.hops, a submitted job first passes through that many
 * threads in the parent, each woken in turn, as a task of Python's pool
 * passes through its manager and queue-feeder threads (pool_hop.c).
 *
 * A collector thread in the parent reads replies and watches every worker's
 * pidfd (or, without pidfds, its reply pipe and a 20 ms waitpid sweep), so a
 * worker is reaped as soon as it exits.  A dead worker's running job becomes
 * a failed result with the signal, its other jobs go back to the queue, and a
 * replacement is forked by the next caller of pool_submit / pool_wait_result
 * (or pool_respawn): forks happen outside the collector, through forker.
 *
 * Workers write trace events straight into the shared trace: a job with a
 * slot is begun and ended in that slot; a worker with a row slot (see
 * pool_config.add_row) shows io while it waits for a job and run while it
 * works.  Workers name themselves "conclab-worker", die with the parent
 * (PR_SET_PDEATHSIG, and a getppid() check in their loop) and never run
 * atexit handlers.
 */
#ifndef CONCLAB_POOL_H
#define CONCLAB_POOL_H

#include "trace.h"

#include <stdint.h>
#include <sys/types.h>

#define POOL_MAX_WORKERS 64
#define POOL_MAX_HOPS 4
#define POOL_WORKER_NAME "conclab-worker"

/* One job, as sent to a worker (fixed size, well under PIPE_BUF). */
struct pool_job {
	uint64_t id;		/* set by pool_submit */
	int32_t slot;		/* trace slot of the job, -1 for none */
	int32_t flags;		/* free for the job function */
	int64_t arg[4];		/* the job function's arguments */
	uint64_t t_submit;	/* monotonic ns, set by pool_submit */
};

/* What came back for a job. */
struct pool_result {
	uint64_t id;
	int64_t value;		/* what the job function returned */
	int32_t failed;		/* the worker died running it */
	int32_t signal;		/* the signal that killed the worker, or 0 */
	int32_t pid;		/* the worker that ran (or died running) it */
	int32_t slot;		/* the job's trace slot */
	uint64_t t_submit;	/* pool_submit */
	uint64_t t_start;	/* the worker took the job (0 if it died first) */
	uint64_t t_end;		/* the worker finished it */
	uint64_t t_recv;	/* the caller got the result */
};

/* Runs in a worker process for each job; ctx is the worker's copy of
 * pool_config.ctx as it was at fork time; row is the worker's row slot
 * (-1 for none). */
typedef int64_t (*pool_job_fn)(void *ctx, struct trace *tr, int row,
    const struct pool_job *job);
/* Runs in the parent before each worker is forked: a trace slot for the
 * worker's row, or -1.  Called by the thread that forks (pool_create's
 * caller, or whoever triggers a replacement). */
typedef int (*pool_row_fn)(void *ctx, int worker_number);

struct pool_config {
	pool_job_fn fn;		/* required */
	void *ctx;
	pool_row_fn add_row;	/* may be NULL: workers have no row */
	int prefetch;		/* jobs outstanding per worker (0 = 2) */
	int schedstat;		/* begin job slots with schedstat figures */
	int nice;		/* workers' nice value (0: as the parent) */
	int hops;		/* threads a job passes through in the parent
				 * before it is sent, 0 to POOL_MAX_HOPS
				 * (Python's pool: 2, see pool_hop.c) */
	/* May be NULL: called with ctx, without the pool's lock, by the first
	 * hop thread after it passed jobs on and by the collector before each
	 * poll -- where Python's manager thread sets up its next wait. */
	void (*before_wait)(void *ctx);
};

struct pool;

/* Fork k workers and wait until each is ready; NULL with a message in err.
 * tr may be NULL (no trace events). */
struct pool *pool_create(int k, struct trace *tr, const struct pool_config *cfg,
    char *err, size_t errlen);
/* Queue a job (its id and t_submit are set, and returned in *job); 0, or -1
 * when the pool is shut down or no worker could be started. */
int pool_submit(struct pool *p, struct pool_job *job);
/* Wait up to timeout_ms (-1: for ever) for the result of job id (0: any
 * job); 1 with *out filled, 0 on timeout, -1 if no such job is pending. */
int pool_wait_result(struct pool *p, uint64_t id, struct pool_result *out,
    int timeout_ms);
/* Fork replacements for dead workers now; the number started. */
int pool_respawn(struct pool *p);
/* Workers alive now. */
int pool_workers(struct pool *p);
/* Workers that died and were replaced (or are waiting to be). */
int pool_deaths(struct pool *p);
/* Pids of the live workers into pids (up to max); the count. */
int pool_pids(struct pool *p, pid_t *pids, int max);
/* Fastest time from pthread_create to the new thread running, over reps
 * threads, in ns: the cost to compare a worker's start with, without the
 * wait for a core that other load adds (the median of 21 was 1.0-1.5 ms
 * at a load of 24, over the processes' fastest start of 0.4 ms). */
uint64_t pool_thread_start_ns(int reps);
/* Time from fork request to a worker being ready, per worker started so far
 * (ns, up to max); the count. */
int pool_start_times(struct pool *p, uint64_t *ns, int max);
/* Die by signal sig now (SIGSEGV or SIGKILL), past any sanitizer's handler
 * and without a core file: the crash a lab injects.  Never returns. */
void pool_crash_self(int sig) __attribute__((noreturn));
/* Ask workers to finish (their queues are closed), wait up to grace_ms for
 * them, then kill the rest; reap all and free.  NULL does nothing. */
void pool_destroy(struct pool *p, int grace_ms);

#endif
