/*
 * gil: a simulated global interpreter lock that follows CPython's algorithm
 * (Python/ceval_gil.c), for pthreads that do fib ticks.
 *
 * GIL_NEW (CPython 3.2+): a flag `locked` guarded by a mutex, changes
 * signalled on a condition variable.  A thread that finds it locked waits on
 * the condition for the switch interval; if the wait timed out and no switch
 * happened meanwhile, it sets a drop request.  The holder checks the request
 * at every tick, drops the lock and then waits until another thread has taken
 * it (forced switching).  The taker clears the request.
 *
 * GIL_OLD (Python 2): every check_ticks ticks the holder releases and at once
 * re-acquires (a plain lock, no timeout, no drop request, no forced switch);
 * on several cores the releasing thread usually wins again.
 * What makes that dear on several cores is Python 2's lock itself, and the
 * old GIL uses the same: a POSIX semaphore (Python 2's thread_pthread.h on
 * Linux), whose sem_post makes a futex wake system call whenever a thread
 * waits -- every release while another thread wants the lock, and that wake
 * interrupts the waiter's core (an IPI: a VM exit in a virtual machine).
 * The cost is paid for real, not charged.  How often it is paid follows
 * Python 2's check interval in its own ticks: gil_set_call_ticks says how
 * many of them a simulated tick (a fib call) is (5.5, measured, see
 * GIL_CALL_TICKS_DEFAULT), so 100 ticks are 18 fib calls, about 1 us of
 * Python 2.  gil_set_wake_cost can add a spin to each release while a
 * thread waits (default 0; until the ticks were counted, a fitted 10 us
 * made up for releasing 5.5 times too seldom).
 *
 * Both: a blocking call releases the lock before and takes it after, as
 * CPython does around system calls (Py_BEGIN/END_ALLOW_THREADS):
 *	gil_release(g, w); work_sleep(w, ns); gil_acquire(g, w);
 *
 * Threads are identified by their struct work_ctx (one per thread).  Waiting
 * threads are in trace state `lock` (short waits are only counted, see
 * trace_lock_waited; a long one shows live -- the old GIL's waiters sleep
 * untimed, as Python 2's, so theirs show when they end, back-dated, unless
 * the wait began while the lab was paused).  The optional lane slot (kind
 * TRACE_KIND_LANE) gets a RUN event with arg = holder slot + 1 whenever the
 * holder changes, and a NEW event (arg 0) when the lock stayed free for a
 * while.  Handoffs are counted, never traced one by one.  While the trace is
 * paused, the holder parks at its next tick (keeping the lock) and waiters
 * set no drop requests, so every GIL thread stands still.
 */
#ifndef CONCLAB_GIL_H
#define CONCLAB_GIL_H

#include "trace.h"
#include "work.h"

#include <stdbool.h>
#include <stdint.h>

#define GIL_SWITCH_NS_DEFAULT (5 * 1000000ULL)	/* CPython's 5 ms */
#define GIL_CHECK_TICKS_DEFAULT 100		/* Python 2's sys.setcheckinterval */
/* Python 2 counts a tick per slow bytecode: a fib call is 5.5 of them
 * (2.7.18: its thread state's tick_counter, which grows once per check
 * interval, grew by 736 over fib(20)'s 13,529 calls at interval 100, i.e.
 * 101 ticks each; 37,210 at interval 1, 2 ticks each).  A simulated tick is
 * a fib call, so the old GIL counts 5.5 ticks for it: Python 2's 100-tick
 * check interval is 18 calls.  In tenths: */
#define GIL_CALL_TICKS_DEFAULT 55
/* A release's extra cost (old GIL) while a thread waits, beyond the real
 * wake the semaphore pays: none. */
#define GIL_WAKE_NS_DEFAULT 0

struct gil;	/* opaque */

enum gil_kind { GIL_NEW, GIL_OLD };

/* Counters since gil_create. */
struct gil_stats {
	uint64_t acquisitions;	/* every take, re-takes by the same thread too */
	uint64_t contended;	/* takes that had to wait */
	uint64_t switches;	/* takes by another thread than the last holder */
	uint64_t drop_requests;	/* set by a waiter after a timed-out interval */
	uint64_t drops_on_request; /* the holder dropped because of a request */
	uint64_t requests_switched; /* requests cleared by a new holder */
	uint64_t requests_lost;	/* requests cleared by the same holder retaking */
	uint64_t held_ns;	/* total time the lock was held */
	uint64_t costly_wakes;	/* old GIL: releases that paid the wake cost */
	uint64_t elapsed_ns;	/* since gil_create */
	int holders_max;	/* most holders ever seen at once (must be 1) */
};

/* Create a GIL; switch_ns is the new GIL's interval, check_ticks the old
 * one's; tr may be NULL; lane_slot -1 for no lane. */
struct gil *gil_create(enum gil_kind kind, uint64_t switch_ns, int check_ticks,
    struct trace *tr, int lane_slot);
/* Free the GIL (no thread may hold or wait for it); NULL does nothing. */
void gil_destroy(struct gil *g);
/* Make w's ticks check the GIL (drop requests, old GIL's tick count); call
 * after work_ctx_init, before the thread takes the lock. */
void gil_attach(struct gil *g, struct work_ctx *w);
/* Take the lock for w (state `lock` while waiting). */
void gil_acquire(struct gil *g, struct work_ctx *w);
/* Give the lock up (w must hold it). */
void gil_release(struct gil *g, struct work_ctx *w);
/* True if w holds the lock now. */
bool gil_held_by(struct gil *g, const struct work_ctx *w);
/* Old GIL: how many of Python 2's ticks one simulated tick (a fib call)
 * counts for (default 1); a release happens every check_ticks of them. */
void gil_set_call_ticks(struct gil *g, double ticks);
/* Old GIL: extra CPU a release spends while a thread waits (0: none), spun
 * with calibration cal (copied).  Call before any thread uses the lock. */
void gil_set_wake_cost(struct gil *g, const struct work_calib *cal, uint64_t ns);
/* Change the new GIL's switch interval (sys.setswitchinterval). */
void gil_set_switch_ns(struct gil *g, uint64_t switch_ns);
/* The current switch interval in ns. */
uint64_t gil_switch_ns(struct gil *g);
/* Copy the counters. */
void gil_get_stats(struct gil *g, struct gil_stats *out);

#endif
