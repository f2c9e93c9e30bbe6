/*
 * view_bands: where each run's band lies in time -- from the run's start
 * mark (else its first task's start) to its last task's end, now while it
 * runs, and its length on the folded clock (the presenter's pauses left
 * out: trace_pause.c).  The timeline draws from it; the legend asks which
 * marks and pauses fall inside a band (only those are drawn).
 */
#include "trace.h"
#include "util.h"
#include "view.h"

#include <string.h>

/* When a task's row ends: its end, or now while it goes. */
static uint64_t
task_end(const struct trace_task *t, uint64_t now)
{
	uint32_t st = at_load_relaxed(&t->state);
	uint64_t e = at_load_relaxed(&t->end_ns);

	if (st != TRACE_DONE && st != TRACE_FAILED)
		return now;
	if (e == 0)	/* ended by an event alone: when it entered its final state */
		e = at_load_relaxed(&t->since_ns);
	return e > 0 && e < now ? e : now;
}

/* Each run's band, from its start mark (else its first task's start, else
 * the timeline's start) to its last task's end. */
void
view_find_bands(const struct view_lab *v, struct view_band *bands, uint64_t now)
{
	int ntasks = trace_ntasks(v->tr), nmarks = trace_nmarks(v->tr);
	uint64_t t_from = v->t_from != 0 ? v->t_from : now;

	memset(bands, 0, sizeof *bands * LAB_MAX_RUNS);
	for (int i = 0; i < ntasks; i++) {
		const struct trace_task *t = trace_task(v->tr, i);
		uint64_t s;
		struct view_band *b;

		if (t == NULL || t->run < 0 || t->run >= LAB_MAX_RUNS)
			continue;
		b = &bands[t->run];
		s = at_load_relaxed(&t->start_ns);
		if (!b->used || (s > 0 && s < b->start))
			b->start = s > 0 ? s : t_from;
		b->end = UTIL_MAX(b->end, task_end(t, now));
		b->used = true;
	}
	for (int i = 0; i < nmarks; i++) {
		const struct trace_mark *m = trace_get_mark(v->tr, i);

		if (m != NULL && m->kind == TRACE_MARK_RUN && m->run >= 0 &&
		    m->run < LAB_MAX_RUNS && bands[m->run].used && m->ts <= now)
			bands[m->run].start = m->ts;
	}
	for (int r = 0; r < LAB_MAX_RUNS; r++) {
		if (!bands[r].used)
			continue;
		if (bands[r].end < bands[r].start)
			bands[r].end = bands[r].start;
		bands[r].fstart = trace_fold(v->tr, bands[r].start);
		bands[r].fend = trace_fold(v->tr, bands[r].end);
	}
}


bool
view_band_overlaps(const struct view_band *bands, uint64_t a, uint64_t e)
{
	for (int r = 0; r < LAB_MAX_RUNS; r++)
		if (bands[r].used && e >= bands[r].start && a <= bands[r].end)
			return true;
	return false;
}
