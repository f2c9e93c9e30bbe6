/*
 * meter: requests-per-second histories of a lab's load generators, sampled
 * from the trace by the dashboard.  See meter.h.
 */
#include "meter.h"

#include "atomics.h"
#include "util.h"

#include <string.h>

void
meter_reset(struct meter_set *ms)
{
	memset(ms, 0, sizeof *ms);
	ms->run = -1;
}

/* The run of the newest task that has a meter, or -1. */
static int
meter_newest_run(const struct trace *tr)
{
	for (int i = trace_ntasks(tr) - 1; i >= 0; i--) {
		const struct trace_task *t = trace_task(tr, i);

		if (t != NULL && at_load_relaxed(&t->meter) != TRACE_METER_NONE)
			return t->run;
	}
	return -1;
}

static struct meter *
meter_find(struct meter_set *ms, int slot)
{
	for (int i = 0; i < ms->n; i++)
		if (ms->m[i].slot == slot)
			return &ms->m[i];
	return NULL;
}

static void
meter_push(struct meter *m, float v)
{
	if (m->n == METER_HIST) {
		memmove(m->hist, m->hist + 1, (METER_HIST - 1) * sizeof *m->hist);
		m->n--;
	}
	m->hist[m->n++] = v;
}

void
meter_sample(struct meter_set *ms, const struct trace *tr, uint64_t now)
{
	int run = meter_newest_run(tr);

	if (run != ms->run) {
		meter_reset(ms);
		ms->run = run;
	}
	if (run < 0)
		return;
	for (int i = 0; i < trace_ntasks(tr) && ms->n < METER_MAX; i++) {
		const struct trace_task *t = trace_task(tr, i);
		struct meter *m;
		uint32_t kind;

		if (t == NULL || t->run != run || meter_find(ms, i) != NULL)
			continue;
		kind = at_load_relaxed(&t->meter);
		if (kind == TRACE_METER_NONE)
			continue;
		m = &ms->m[ms->n++];
		m->slot = i;
		m->kind = (int)kind;
		util_strlcpy(m->name, t->name, sizeof m->name);
		m->last_t = now;
		m->last_count = at_load_relaxed(&t->progress);
	}
	for (int i = 0; i < ms->n; i++) {
		struct meter *m = &ms->m[i];
		const struct trace_task *t = trace_task(tr, m->slot);
		uint64_t dt = now - m->last_t;

		if (t == NULL)
			continue;
		m->count = at_load_relaxed(&t->progress);
		m->value_s = (double)at_load_relaxed(&t->value) / 1e9;
		m->state = (int)at_load_relaxed(&t->state);
		/* A finished client's history stays as it ended. */
		if (now < m->last_t || dt < METER_TICK_NS || m->state == TRACE_DONE ||
		    m->state == TRACE_FAILED)
			continue;
		m->rate = (double)(m->count - m->last_count) * 1e9 / (double)dt;
		meter_push(m, (float)m->rate);
		m->last_count = m->count;
		m->last_t = now;
	}
}
