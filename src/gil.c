/*
 * gil: the simulated GIL.  See gil.h for the algorithm.
 *
 * Invariants: `locked`, `holder`, `switch_number`, the lane and the timing
 * fields change only under `mutex`; `last_holder` changes under `mutex` and
 * `switch_mutex` both (the dropping holder reads it under `switch_mutex`).
 * The drop request is an atomic flag: set by a waiter under `mutex`, read
 * by the holder at every tick, cleared with an exchange by whoever sees it
 * first (the dropping holder, or the next taker).  Counters are relaxed
 * atomics.
 */
#include "gil.h"

#include "clock.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A wait longer than this shows in the task's state while it lasts. */
#define GIL_LIVE_NS (1 * CLOCK_NS_PER_MS)
/* The lane shows the lock free only when it stayed free this long. */
#define GIL_LANE_FREE_NS (1 * CLOCK_NS_PER_MS)

struct gil {
	enum gil_kind kind;
	int check_ticks;		/* old GIL: ticks between release/retake */
	double call_ticks;		/* old GIL: Python 2 ticks per simulated tick */
	double ticker;			/* old GIL: ticks since the last release
					 * (the holder's, like Python 2's global
					 * _Py_Ticker) */
	_Atomic uint64_t switch_ns;	/* new GIL: the switch interval */
	struct trace *tr;
	int lane;			/* lane slot or -1 */

	pthread_mutex_t mutex;
	pthread_cond_t cond;		/* `locked` became false */
	bool locked;
	_Atomic(const struct work_ctx *) holder;	/* NULL when free */
	uint64_t switch_number;		/* holder changes so far */
	int holders;			/* instrumentation: must stay <= 1 */

	pthread_mutex_t switch_mutex;
	pthread_cond_t switch_cond;	/* `last_holder` changed */
	const struct work_ctx *last_holder;

	_Atomic int drop_request;

	/* Waiters asleep on `cond`, and those a signal has woken that have not
	 * run yet (counted, not named: a signal wakes one, any one). */
	int asleep, woken;
	/* The old GIL's lock itself: a POSIX semaphore, as Python 2's on Linux
	 * (thread_pthread.h: sem_wait to take, sem_post to release), so a
	 * release pays what Python 2's paid: a futex wake whenever a thread
	 * waits.  `mutex` then only guards the bookkeeping. */
	sem_t sem;
	_Atomic int sem_waiters;	/* threads inside gil_sem_wait */
	struct work_calib wake_cal;	/* old GIL: the wake cost's spin */
	double wake_ns;			/* old GIL: a release's cost, waited for */

	uint64_t t_created, t_taken, t_released;
	const struct work_ctx *lane_holder;	/* what the lane shows; NULL free */
	bool lane_used;

	_Atomic uint64_t n_acq, n_contended, n_switches, n_requests, n_drops,
	    n_req_switched, n_req_lost, held_ns, n_wakes;
	_Atomic int holders_max;
};

static void gil_tick(struct work_ctx *w);

static void
gil_abstime(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / CLOCK_NS_PER_S);
	ts->tv_nsec = (long)(ns % CLOCK_NS_PER_S);
}

struct gil *
gil_create(enum gil_kind kind, uint64_t switch_ns, int check_ticks, struct trace *tr,
    int lane_slot)
{
	struct gil *g = xcalloc(1, sizeof *g);
	pthread_condattr_t ca;

	g->kind = kind;
	g->check_ticks = check_ticks > 0 ? check_ticks : GIL_CHECK_TICKS_DEFAULT;
	g->call_ticks = 1;
	at_store_relaxed(&g->switch_ns, switch_ns > 0 ? switch_ns : 1000);
	g->tr = tr;
	g->lane = tr != NULL ? lane_slot : -1;
	pthread_mutex_init(&g->mutex, NULL);
	pthread_mutex_init(&g->switch_mutex, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cond, &ca);
	pthread_cond_init(&g->switch_cond, &ca);
	pthread_condattr_destroy(&ca);
	if (kind == GIL_OLD && sem_init(&g->sem, 0, 1) != 0)
		die(1, "sem_init failed: %s", strerror(errno));
	g->t_created = clock_now_ns();
	return g;
}

void
gil_destroy(struct gil *g)
{
	if (g == NULL)
		return;
	/* Close the lane at the last release. */
	if (g->lane >= 0 && g->lane_used)
		trace_set_state_at(g->tr, g->lane, TRACE_DONE,
		    g->t_released ? g->t_released : clock_now_ns(), 0);
	if (g->kind == GIL_OLD)
		sem_destroy(&g->sem);
	pthread_cond_destroy(&g->cond);
	pthread_cond_destroy(&g->switch_cond);
	pthread_mutex_destroy(&g->mutex);
	pthread_mutex_destroy(&g->switch_mutex);
	free(g);
}

void
gil_attach(struct gil *g, struct work_ctx *w)
{
	w->hook = gil_tick;
	w->hook_arg = g;
	/* Every tick is a check point (the interpreted cost is per tick too). */
	w->period = 1;
	w->countdown = 1;
}

/* One lock wait of a thread, for the trace. */
struct gil_wait {
	uint64_t t0;
	bool live;		/* the state already shows `lock` */
	enum trace_state back;	/* the state to return to */
};

static bool
gil_traced(const struct work_ctx *w)
{
	return w->tr != NULL && w->slot >= 0;
}

/* A waiter is back from its wait on cond (mutex held). */
static void
gil_woke(struct gil *g)
{
	if (g->woken > 0)
		g->woken--;
	else
		g->asleep--;
}

/* Wait on cond (mutex held) until signalled, until the lock is seen free
 * or until deadline (UINT64_MAX: none); true when the deadline passed.  A
 * wait that lasts GIL_LIVE_NS is shown as `lock` at once, back-dated to its
 * start.  A timed wait that ends with the lock free returns at once: the
 * release's signal may have gone with the timeout, and waiting on (its
 * GIL_LIVE_NS mark then in the past) spun with no end -- the old GIL's
 * last waiter, once the others had finished, burned a core until killed. */
static bool
gil_wait(struct gil *g, struct work_ctx *w, struct gil_wait *st, uint64_t deadline)
{
	for (;;) {
		uint64_t until = deadline, now;
		struct timespec ts;
		int rc;

		if (!st->live && gil_traced(w) && st->t0 + GIL_LIVE_NS < until)
			until = st->t0 + GIL_LIVE_NS;
		g->asleep++;
		gil_abstime(until, &ts);
		rc = pthread_cond_timedwait(&g->cond, &g->mutex, &ts);
		gil_woke(g);
		if (rc != ETIMEDOUT || !g->locked)
			return false;
		now = clock_now_ns();
		if (now >= deadline)
			return true;
		if (!st->live && g->locked && gil_traced(w)) {
			trace_set_state_at(w->tr, w->slot, TRACE_LOCK, st->t0, 0);
			st->live = true;
		}
	}
}

#define GIL_PAUSED_WAIT_NS (50 * CLOCK_NS_PER_MS)

static bool
gil_paused(const struct work_ctx *w)
{
	return w->tr != NULL && at_load_relaxed(&w->tr->paused);
}

/* Lane events for a take by w at now (mutex held). */
static void
gil_lane_take(struct gil *g, const struct work_ctx *w, uint64_t now)
{
	if (g->lane < 0)
		return;
	if (g->lane_holder != NULL && g->t_released != 0 &&
	    now - g->t_released >= GIL_LANE_FREE_NS) {
		trace_set_state_at(g->tr, g->lane, TRACE_NEW, g->t_released, 0);
		g->lane_holder = NULL;
	}
	if (g->lane_holder != w) {
		trace_set_state_at(g->tr, g->lane, TRACE_RUN, now,
		    w->slot >= 0 ? (uint32_t)w->slot + 1 : 0);
		g->lane_holder = w;
		g->lane_used = true;
	}
}

/* The old GIL's take: Python 2's PyThread_acquire_lock, a sem_wait with no
 * timeout.  The wait is accounted when it ends (trace_lock_waited, a long
 * one back-dated).  A timed wait, to show a long wait as `lock` while it
 * lasts, is not what Python 2 does and costs what it does not: a timer armed
 * for each sleep (in a VM a timer write can exit to the hypervisor), so the
 * waiters went back to sleep more slowly and the holder's releases woke a
 * sleeper a third as often as Python 2's (11-15k context switches a second
 * against Python 2.7's 40k; 3 threads, 2 cores): slowdown 1.4-1.6 against
 * Python 2's 2.3-2.6, untimed 2.0-2.4.  Only a wait that starts while the
 * lab is paused is timed: it shows as `lock` after GIL_LIVE_NS, back-dated.
 * Returns with `mutex` held. */
static bool
gil_sem_take(struct gil *g, struct work_ctx *w, struct gil_wait *st)
{
	struct timespec ts;
	bool timed;

	if (sem_trywait(&g->sem) == 0) {
		pthread_mutex_lock(&g->mutex);
		return false;
	}
	st->t0 = clock_now_ns();
	at_add_relaxed(&g->sem_waiters, 1);
	timed = gil_traced(w) && gil_paused(w);
	if (timed) {
		gil_abstime(st->t0 + GIL_LIVE_NS, &ts);
		while (sem_clockwait(&g->sem, CLOCK_MONOTONIC, &ts) != 0) {
			if (errno == EINTR)
				continue;
			trace_set_state_at(w->tr, w->slot, TRACE_LOCK, st->t0, 0);
			st->live = true;
			break;
		}
	}
	if (!timed || st->live)
		while (sem_wait(&g->sem) != 0)
			;	/* EINTR */
	at_add_relaxed(&g->sem_waiters, -1);
	pthread_mutex_lock(&g->mutex);
	return true;
}

/* CPython's take_gil (the old GIL: Python 2's lock).  t0: when the thread
 * began waiting (a forced drop), or 0. */
static void
gil_take(struct gil *g, struct work_ctx *w, uint64_t t0)
{
	struct gil_wait st = { .t0 = t0 };
	bool waited = t0 != 0, switched = false;
	uint64_t now;
	int held;

	if (gil_traced(w))
		st.back = (enum trace_state)at_load_relaxed(&w->tr->tasks[w->slot].state);
	if (g->kind == GIL_OLD)
		waited = gil_sem_take(g, w, &st);
	else
		pthread_mutex_lock(&g->mutex);
	if (g->locked && st.t0 == 0)
		st.t0 = clock_now_ns();
	while (g->locked) {
		uint64_t saved = g->switch_number;
		bool timed_out;

		waited = true;
		/* Paused: wake rarely (no drop requests are made meanwhile). */
		timed_out = gil_wait(g, w, &st, clock_now_ns() + (gil_paused(w) ?
		    GIL_PAUSED_WAIT_NS : at_load_relaxed(&g->switch_ns)));
		if (timed_out && g->locked && g->switch_number == saved &&
		    !gil_paused(w) && at_xchg_acqrel(&g->drop_request, 1) == 0)
			at_add_relaxed(&g->n_requests, 1);
	}
	now = clock_now_ns();
	pthread_mutex_lock(&g->switch_mutex);
	g->locked = true;
	at_store_relaxed(&g->holder, w);
	held = ++g->holders;
	if (w != g->last_holder) {
		g->last_holder = w;
		g->switch_number++;
		switched = true;
	}
	pthread_cond_signal(&g->switch_cond);
	pthread_mutex_unlock(&g->switch_mutex);
	if (at_load_relaxed(&g->drop_request) &&
	    at_xchg_acqrel(&g->drop_request, 0) != 0)
		at_add_relaxed(switched ? &g->n_req_switched : &g->n_req_lost, 1);
	if (held > at_load_relaxed(&g->holders_max))
		at_store_relaxed(&g->holders_max, held);
	g->t_taken = now;
	gil_lane_take(g, w, now);
	/* a presenter's step ends at this switch: paused just after it (a
	 * nanosecond: the lane's cells and the step's "to" see the new holder
	 * at the pause's instant) */
	if (switched && g->lane >= 0)
		trace_step_take(g->tr, now + 1);
	pthread_mutex_unlock(&g->mutex);

	at_add_relaxed(&g->n_acq, 1);
	if (switched)
		at_add_relaxed(&g->n_switches, 1);
	if (!waited)
		return;
	at_add_relaxed(&g->n_contended, 1);
	if (!gil_traced(w))
		return;
	if (st.live)
		trace_set_state_at(w->tr, w->slot, st.back, now, 0);
	else
		trace_lock_waited(w->tr, w->slot, st.t0, now);
}

/* CPython's drop_gil, with forced switching for the new GIL.  The old GIL's
 * release costs wake_ns more (default 0) when a thread waits, with the lock
 * already free. */
static void
gil_drop(struct gil *g, struct work_ctx *w)
{
	uint64_t now = clock_now_ns();
	bool wake;

	pthread_mutex_lock(&g->mutex);
	g->locked = false;
	at_store_relaxed(&g->holder, NULL);
	g->holders--;
	at_add_relaxed(&g->held_ns, now - g->t_taken);
	g->t_released = now;
	if (g->kind == GIL_OLD) {
		/* Python 2's PyThread_release_lock: a sem_post, which wakes a
		 * waiter (a futex system call) whenever one waits. */
		pthread_mutex_unlock(&g->mutex);
		wake = at_load_relaxed(&g->sem_waiters) > 0 && g->wake_ns > 0;
		sem_post(&g->sem);
	} else {
		wake = false;
		if (g->asleep > 0) {
			g->asleep--;
			g->woken++;
		}
		pthread_cond_signal(&g->cond);
		pthread_mutex_unlock(&g->mutex);
	}
	if (wake) {
		at_add_relaxed(&g->n_wakes, 1);
		work_spin_ns(&g->wake_cal, g->wake_ns);
	}
	if (g->kind != GIL_NEW || !at_load_relaxed(&g->drop_request))
		return;
	pthread_mutex_lock(&g->switch_mutex);
	if (g->last_holder == w) {
		bool mine = at_xchg_acqrel(&g->drop_request, 0) != 0;

		/* Not switched yet: wait until another thread has taken it. */
		while (g->last_holder == w)
			pthread_cond_wait(&g->switch_cond, &g->switch_mutex);
		if (mine)
			at_add_relaxed(&g->n_req_switched, 1);
	}
	pthread_mutex_unlock(&g->switch_mutex);
}

/* The tick hook: the eval loop's check of the drop request (new GIL) or of
 * the check interval (old GIL), and the pause flag. */
static void
gil_tick(struct work_ctx *w)
{
	struct gil *g = w->hook_arg;

	if (gil_paused(w))
		work_wait_unpaused(w->tr);	/* the holder parks with the lock */
	if (at_load_relaxed(&g->holder) != w)
		return;	/* ticks outside the lock (like C code without the GIL) */
	if (g->kind == GIL_NEW) {
		if (at_load_relaxed(&g->drop_request)) {
			uint64_t t0 = clock_now_ns();

			at_add_relaxed(&g->n_drops, 1);
			gil_drop(g, w);
			gil_take(g, w, t0);
		}
	} else {
		g->ticker += g->call_ticks;
		if (g->ticker >= (double)g->check_ticks) {
			g->ticker -= (double)g->check_ticks;
			gil_drop(g, w);
			gil_take(g, w, 0);
		}
	}
}

void
gil_acquire(struct gil *g, struct work_ctx *w)
{
	gil_take(g, w, 0);
}

void
gil_release(struct gil *g, struct work_ctx *w)
{
	gil_drop(g, w);
}

bool
gil_held_by(struct gil *g, const struct work_ctx *w)
{
	return at_load_relaxed(&g->holder) == w;
}

void
gil_set_wake_cost(struct gil *g, const struct work_calib *cal, uint64_t ns)
{
	pthread_mutex_lock(&g->mutex);
	g->wake_cal = *cal;
	g->wake_ns = (double)ns;
	pthread_mutex_unlock(&g->mutex);
}

void
gil_set_call_ticks(struct gil *g, double ticks)
{
	pthread_mutex_lock(&g->mutex);
	g->call_ticks = ticks > 0 ? ticks : 1;
	pthread_mutex_unlock(&g->mutex);
}

void
gil_set_switch_ns(struct gil *g, uint64_t switch_ns)
{
	at_store_relaxed(&g->switch_ns, switch_ns > 0 ? switch_ns : 1000);
}

uint64_t
gil_switch_ns(struct gil *g)
{
	return at_load_relaxed(&g->switch_ns);
}

void
gil_get_stats(struct gil *g, struct gil_stats *out)
{
	uint64_t now = clock_now_ns();

	pthread_mutex_lock(&g->mutex);
	out->acquisitions = at_load_relaxed(&g->n_acq);
	out->contended = at_load_relaxed(&g->n_contended);
	out->switches = at_load_relaxed(&g->n_switches);
	out->drop_requests = at_load_relaxed(&g->n_requests);
	out->drops_on_request = at_load_relaxed(&g->n_drops);
	out->requests_switched = at_load_relaxed(&g->n_req_switched);
	out->requests_lost = at_load_relaxed(&g->n_req_lost);
	out->held_ns = at_load_relaxed(&g->held_ns);
	out->costly_wakes = at_load_relaxed(&g->n_wakes);
	if (g->locked)
		out->held_ns += now - g->t_taken;
	out->elapsed_ns = now - g->t_created;
	out->holders_max = at_load_relaxed(&g->holders_max);
	pthread_mutex_unlock(&g->mutex);
}
