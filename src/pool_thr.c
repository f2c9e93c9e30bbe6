/*
 * pool_thr: tiny jobs handed one by one to a pool of threads, with the
 * blocking hand-overs of Python's ThreadPoolExecutor (CPython 3.11,
 * concurrent/futures/thread.py over _queue.SimpleQueue and threading's
 * Condition), so that this machine's wake-up latency is paid here as it is
 * there.  Per job, in that order:
 *   1. the submitter's put into the queue wakes a worker asleep in get:
 *      SimpleQueue's lock, a semaphore here (sem_post, a futex wake);
 *   2. the woken worker takes the GIL, which the submitter still holds
 *      while it finishes submit() and enters result(): the worker sleeps on
 *      the GIL until result() blocks and lets it go -- a second wake-up,
 *      the GIL's (gil.c);
 *   3. the worker's set_result() wakes the submitter asleep on its future's
 *      waiter lock (a semaphore here);
 *   4. the woken submitter takes the GIL, which the worker holds until it
 *      is back asleep in get: again a GIL wake-up.
 * Whether 2 and 4 sleep depends on how fast the wake-up is against the CPU
 * the other thread still spends; so the CPU Python spends around each
 * hand-over is spun here where Python spends it (submit_ns, worker_ns).
 * The waits are not timed: a worker asleep in get is woken by a put or
 * by the close, which the submitter does also when the run stops; the
 * submitter asleep in result() by the job's set_result, which a worker
 * always reaches (a stopped worker finishes its job first).
 */
#include "pool_thr.h"

#include "exec.h"
#include "trace.h"

#include <sys/resource.h>

void
pool_thr_init(struct pool_thr *q, const struct work_calib *cal, struct gil *gil,
    int64_t inflight, const double submit_ns[2], const double worker_ns[2])
{
	*q = (struct pool_thr){ .gil = gil, .cal = cal, .inflight = inflight > 0 ? inflight : 1 };
	pthread_mutex_init(&q->mu, NULL);
	sem_init(&q->work, 0, 0);
	sem_init(&q->back, 0, 0);
	for (int i = 0; i < 2; i++) {
		q->submit_ns[i] = submit_ns[i];
		q->worker_ns[i] = worker_ns[i];
	}
}

void
pool_thr_destroy(struct pool_thr *q)
{
	pthread_mutex_destroy(&q->mu);
	sem_destroy(&q->work);
	sem_destroy(&q->back);
}

/* Sleep on sem, the GIL let go meanwhile, as a Python thread does around
 * a blocking acquire (Py_BEGIN/END_ALLOW_THREADS).  Untimed, as Python's
 * get and result() are: a timer armed for each sleep costs what they do
 * not (in a VM a timer write can exit to the hypervisor). */
static void
thr_sleep(struct pool_thr *q, sem_t *sem, struct work_ctx *w)
{
	if (q->gil != NULL)
		gil_release(q->gil, w);
	at_add_relaxed(&q->sleeps, 1);
	while (sem_wait(sem) != 0)
		;	/* EINTR */
	if (q->gil != NULL)
		gil_acquire(q->gil, w);
}

/* The queue's get: take a job, sleeping while there is none; false once
 * the queue is closed or the run stops. */
static bool
thr_get(struct pool_thr *q, struct run_ctx *rc, struct work_ctx *w)
{
	for (;;) {
		pthread_mutex_lock(&q->mu);
		if (q->taken < q->submitted) {
			q->taken++;
			pthread_mutex_unlock(&q->mu);
			return true;
		}
		if (q->closed || w->stopped || exec_stopping(rc)) {
			pthread_mutex_unlock(&q->mu);
			return false;
		}
		q->idle++;
		pthread_mutex_unlock(&q->mu);
		thr_sleep(q, &q->work, w);
	}
}

/* The queue's put: one job more, waking a worker if one is asleep. */
static void
thr_put(struct pool_thr *q)
{
	bool wake;

	pthread_mutex_lock(&q->mu);
	q->submitted++;
	wake = q->idle > 0;
	if (wake)
		q->idle--;
	pthread_mutex_unlock(&q->mu);
	if (wake)
		sem_post(&q->work);
}

/* set_result: one job finished, waking the submitter if it sleeps until
 * as few are out. */
static void
thr_set_result(struct pool_thr *q)
{
	bool wake;

	pthread_mutex_lock(&q->mu);
	q->finished++;
	wake = q->waiting && q->submitted - q->finished < q->inflight;
	if (wake)
		q->waiting = false;
	pthread_mutex_unlock(&q->mu);
	if (wake)
		sem_post(&q->back);
}

/* result(): sleep until fewer than `limit` jobs are unfinished. */
static void
thr_result(struct pool_thr *q, struct run_ctx *rc, struct work_ctx *w, int64_t limit)
{
	for (;;) {
		pthread_mutex_lock(&q->mu);
		if (q->submitted - q->finished < limit || exec_stopping(rc)) {
			q->waiting = false;
			pthread_mutex_unlock(&q->mu);
			return;
		}
		q->inflight = limit;
		q->waiting = true;
		pthread_mutex_unlock(&q->mu);
		thr_sleep(q, &q->back, w);
	}
}

/* The calling thread's voluntary context switches so far: each a sleep,
 * what /proc/<tid>/status counts for a Python thread. */
static int64_t
thr_nvcsw(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_THREAD, &ru) == 0 ? (int64_t)ru.ru_nvcsw : 0;
}

uint64_t
pool_thr_worker(struct pool_thr *q, struct run_ctx *rc, struct work_ctx *w, int slot,
    int fib_n)
{
	uint64_t mine = 0;
	int64_t sw = thr_nvcsw();

	if (q->gil != NULL)
		gil_acquire(q->gil, w);
	while (thr_get(q, rc, w)) {
		work_spin_ns(q->cal, q->worker_ns[0]);	/* the work item's run() */
		work_fib(w, fib_n > 0 ? fib_n : 1);
		if (++mine % 64 == 0)
			trace_progress(w->tr, slot, 64);
		thr_set_result(q);
		work_spin_ns(q->cal, q->worker_ns[1]);	/* notify, back to get */
	}
	if (q->gil != NULL && gil_held_by(q->gil, w))
		gil_release(q->gil, w);
	trace_progress(w->tr, slot, mine % 64);
	at_add_relaxed(&q->nvcsw, thr_nvcsw() - sw);
	return mine;
}

void
pool_thr_submit(struct pool_thr *q, struct run_ctx *rc, int64_t jobs)
{
	int64_t inflight = q->inflight;
	int64_t sw = thr_nvcsw();
	struct work_ctx w;
	int idle;

	work_ctx_init(&w, NULL, -1, q->cal, 0);
	if (q->gil != NULL) {
		gil_attach(q->gil, &w);
		gil_acquire(q->gil, &w);
	}
	for (int64_t i = 0; i < jobs && !exec_stopping(rc); i++) {
		work_spin_ns(q->cal, q->submit_ns[0]);	/* submit(): the future */
		thr_put(q);
		work_spin_ns(q->cal, q->submit_ns[1]);	/* the rest, into result() */
		thr_result(q, rc, &w, inflight);
	}
	thr_result(q, rc, &w, 1);
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	idle = q->idle;
	q->idle = 0;
	pthread_mutex_unlock(&q->mu);
	while (idle-- > 0)
		sem_post(&q->work);
	if (q->gil != NULL && gil_held_by(q->gil, &w))
		gil_release(q->gil, &w);
	at_add_relaxed(&q->nvcsw, thr_nvcsw() - sw);
}
