/*
 * trace_pause: the presenter's pauses, and the folded clock that leaves
 * them out.  A pause parks the workload; it is no time of the lab's, so
 * every measured time leaves it out: a run's wall (exec.c), each task's
 * time in each state (trace.c closes an interval with its paused time
 * taken out), and the time axis of the timelines (trace_buckets.c, the
 * views, the SVG), which draw on the folded clock.
 *
 * The controller appends a pause when it begins (start, and the paused
 * time of the pauses before it) and sets its end when it ends, then
 * releases the paused flag: a worker that saw the flag clear (acquire)
 * sees the end.  A GIL step hands the writing of the next pause to the
 * thread whose take is the step's switch (trace_step_*): one writer still.
 * Readers load the count with acquire.  Pauses are kept until the trace is
 * reset; past TRACE_MAX_PAUSES a pause parks the work as before but is not
 * folded out (a thousand pauses in one lab).
 */
#include "trace.h"

#include "util.h"

#include <limits.h>
#include <sched.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/*
 * Parked workers sleep in the kernel on the paused flag itself (a futex on
 * the shared mapping, so pool workers in other processes park the same
 * way) and are woken when the pause ends or the lab stops: a pause costs
 * them no CPU.  The timeout is a backstop for a stop flag set without
 * trace_stop's wake.
 */
void
trace_wait_unpaused(struct trace *tr)
{
	struct timespec ts = { 0, 250 * 1000 * 1000 };

	while (at_load_acquire(&tr->paused) != 0 && !at_load_relaxed(&tr->stop))
		syscall(SYS_futex, (int32_t *)&tr->paused, FUTEX_WAIT, 1, &ts, NULL, 0);
}

void
trace_wake_paused(struct trace *tr)
{
	syscall(SYS_futex, (int32_t *)&tr->paused, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void
trace_set_paused(struct trace *tr, bool on, uint64_t now)
{
	uint32_t n = at_load_relaxed(&tr->npauses);

	if (on == (at_load_relaxed(&tr->paused) != 0))
		return;
	if (on) {
		tr->pause_t0 = now;
		if (n < TRACE_MAX_PAUSES) {
			struct trace_pause *p = &tr->pauses[n];
			uint64_t before = n > 0 ? at_load_relaxed(&tr->pauses[n - 1].before) +
			    at_load_relaxed(&tr->pauses[n - 1].end) -
			    at_load_relaxed(&tr->pauses[n - 1].start) : 0;

			at_store_relaxed(&p->start, now);
			at_store_relaxed(&p->end, 0);
			at_store_relaxed(&p->before, before);
			at_store_release(&tr->npauses, n + 1);
		}
		at_store_release(&tr->paused, 1);
	} else {
		at_add_relaxed(&tr->paused_ns, now > tr->pause_t0 ? now - tr->pause_t0 : 0);
		if (n > 0 && at_load_relaxed(&tr->pauses[n - 1].end) == 0)
			at_store_release(&tr->pauses[n - 1].end,
			    UTIL_MAX(now, at_load_relaxed(&tr->pauses[n - 1].start)));
		at_store_release(&tr->paused, 0);
		trace_wake_paused(tr);
	}
}

void
trace_step_arm(struct trace *tr)
{
	at_store_release(&tr->step, 1);
}

bool
trace_step_take(struct trace *tr, uint64_t now)
{
	if (at_load_relaxed(&tr->step) == 0 || at_xchg_acqrel(&tr->step, 0) == 0)
		return false;
	trace_set_paused(tr, true, now);
	return true;
}

bool
trace_step_disarm(struct trace *tr)
{
	if (at_xchg_acqrel(&tr->step, 0) != 0)
		return false;
	/* a switch took it: its pause is being written */
	while (at_load_acquire(&tr->paused) == 0)
		sched_yield();
	return true;
}

int
trace_npauses(const struct trace *tr)
{
	uint32_t n = at_load_acquire(&tr->npauses);

	return n > TRACE_MAX_PAUSES ? TRACE_MAX_PAUSES : (int)n;
}

bool
trace_get_pause(const struct trace *tr, int i, uint64_t *start, uint64_t *end)
{
	if (i < 0 || i >= trace_npauses(tr))
		return false;
	*start = at_load_relaxed(&tr->pauses[i].start);
	*end = at_load_acquire(&tr->pauses[i].end);
	return true;
}

uint64_t
trace_paused_before(const struct trace *tr, uint64_t ts)
{
	int lo = 0, hi = trace_npauses(tr);
	const struct trace_pause *p;
	uint64_t start, end;

	if (hi == 0 || ts <= at_load_relaxed(&tr->pauses[0].start))
		return 0;
	/* the last pause starting before ts: pauses are in time order */
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;

		if (at_load_relaxed(&tr->pauses[mid].start) < ts)
			lo = mid;
		else
			hi = mid;
	}
	p = &tr->pauses[lo];
	start = at_load_relaxed(&p->start);
	end = at_load_acquire(&p->end);
	if (end == 0 || end > ts)
		end = ts;	/* in progress, or ts inside it */
	return at_load_relaxed(&p->before) + (end - start);
}

uint64_t
trace_fold(const struct trace *tr, uint64_t ts)
{
	uint64_t p = trace_paused_before(tr, ts);

	return ts > p ? ts - p : 0;
}

uint64_t
trace_unfold(const struct trace *tr, uint64_t f)
{
	int n = trace_npauses(tr);
	uint64_t ts = f;

	/* past each pause that began before ts: ts moves by its length */
	for (int i = 0; i < n; i++) {
		uint64_t start = 0, end = 0;

		trace_get_pause(tr, i, &start, &end);
		if (ts <= start)
			break;
		if (end == 0)	/* in progress: every later time folds to its start */
			return start;
		ts += end - start;
	}
	return ts;
}
