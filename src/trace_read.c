/*
 * trace_read: what the trace gives its readers without decoding an event --
 * the marks, a task's figures and totals, its state, ids and CPUs, its CPU
 * time so far and the sampler's schedstat ring.  The words of the event ring
 * are decoded only in trace.c (trace_task_events, trace_task_intervals).
 * Every function here only loads (acquire for counts, relaxed for fields).
 */
#include "trace.h"

#include "util.h"

#include <string.h>

int
trace_mark(struct trace *tr, enum trace_mark_kind kind, int run, uint64_t ts,
    const char *text)
{
	uint32_t i = at_add_acqrel(&tr->nmarks, 1);
	struct trace_mark *m;

	if (i >= TRACE_MAX_MARKS) {
		at_store_relaxed(&tr->nmarks, TRACE_MAX_MARKS);
		return -1;
	}
	m = &tr->marks[i];
	m->kind = kind;
	m->run = run;
	m->ts = ts;
	util_strlcpy(m->text, text, sizeof m->text);
	at_store_release(&m->ready, 1);
	return (int)i;
}

int
trace_nmarks(const struct trace *tr)
{
	uint32_t n = at_load_acquire(&tr->nmarks);

	return n > TRACE_MAX_MARKS ? TRACE_MAX_MARKS : (int)n;
}

const struct trace_mark *
trace_get_mark(const struct trace *tr, int i)
{
	const struct trace_mark *m = &tr->marks[i];

	return at_load_acquire(&m->ready) ? m : NULL;
}

bool
trace_task_figures(const struct trace *tr, int slot, struct trace_task_figures *out)
{
	const struct trace_task *t = trace_task(tr, slot);

	memset(out, 0, sizeof *out);
	if (t == NULL)
		return false;
	out->state = (enum trace_state)at_load_relaxed(&t->state);
	out->signal = at_load_relaxed(&t->signal);
	out->pid = at_load_relaxed(&t->pid);
	out->tid = at_load_relaxed(&t->tid);
	out->start_ns = at_load_relaxed(&t->start_ns);
	out->end_ns = at_load_relaxed(&t->end_ns);
	for (int i = 0; i < TRACE_NSTATES; i++) {
		out->total_ns[i] = at_load_relaxed(&t->total_ns[i]);
		out->max_ns[i] = at_load_relaxed(&t->max_ns[i]);
	}
	out->cpu_ns = at_load_relaxed(&t->cpu_ns);
	out->oncpu_ns = at_load_relaxed(&t->oncpu_ns);
	out->wait_ns = at_load_relaxed(&t->wait_ns);
	out->sched_known = at_load_relaxed(&t->sched_known) != 0;
	return true;
}

enum trace_state
trace_task_state(const struct trace *tr, int slot)
{
	return trace_task(tr, slot) != NULL ?
	    (enum trace_state)at_load_relaxed(&tr->tasks[slot].state) : TRACE_NEW;
}

pid_t
trace_task_pid(const struct trace *tr, int slot)
{
	return trace_task(tr, slot) != NULL ? at_load_relaxed(&tr->tasks[slot].pid) : 0;
}

int
trace_task_cpu(const struct trace *tr, int slot)
{
	return trace_task(tr, slot) != NULL ? at_load_relaxed(&tr->tasks[slot].cpu) : -1;
}

bool
trace_task_ended(const struct trace *tr, int slot)
{
	return trace_task(tr, slot) != NULL &&
	    at_load_relaxed(&tr->tasks[slot].end_ns) != 0;
}

uint64_t
trace_task_cpu_ns(const struct trace *tr, int slot, uint64_t now)
{
	const struct trace_task *t = &tr->tasks[slot];
	uint64_t run = trace_task_total(tr, slot, TRACE_RUN, now), wait = 0;
	uint64_t n = at_load_acquire(&t->nsched);
	uint64_t first = n > TRACE_SCHED_RING ? n - TRACE_SCHED_RING : 0;

	if (at_load_relaxed(&t->end_ns) != 0)
		return at_load_relaxed(&t->cpu_ns);
	for (uint64_t i = first; i < n; i++)
		wait += at_load_relaxed(&t->sched[i % TRACE_SCHED_RING].wait_ns);
	return run > wait ? run - wait : 0;
}

uint64_t
trace_task_ready_ns(const struct trace *tr, int slot)
{
	const struct trace_task *t = &tr->tasks[slot];
	uint64_t run = at_load_relaxed(&t->total_ns[TRACE_RUN]);
	uint64_t ready = at_load_relaxed(&t->total_ns[TRACE_READY]);
	uint64_t on = at_load_relaxed(&t->oncpu_ns), wait = at_load_relaxed(&t->wait_ns);

	if (run > on)
		ready += run - on;
	return ready < wait ? ready : wait;
}

bool
trace_task_run_ns(const struct trace_task_figures *tf, uint64_t *ns)
{
	*ns = tf->oncpu_ns ? tf->oncpu_ns : tf->total_ns[TRACE_RUN];
	return tf->state != TRACE_FAILED || tf->oncpu_ns > 0 || tf->cpu_ns > 0;
}

uint64_t
trace_task_total(const struct trace *tr, int slot, enum trace_state st, uint64_t now)
{
	const struct trace_task *t = &tr->tasks[slot];
	uint64_t total = at_load_relaxed(&t->total_ns[st]);
	enum trace_state cur = at_load_relaxed(&t->state);

	if (cur == st && st != TRACE_DONE && st != TRACE_FAILED && st != TRACE_NEW) {
		uint64_t since = at_load_relaxed(&t->since_ns);

		if (now > since)	/* less the pauses in it, as trace.c closes it */
			total += now - since - (trace_paused_before(tr, now) -
			    trace_paused_before(tr, since));
		if (st == TRACE_RUN) {
			uint64_t sl = at_load_relaxed(&t->short_lock_ns);

			total = total > sl ? total - sl : 0;
		}
	}
	return total;
}

uint64_t
trace_task_dropped(const struct trace *tr, int slot)
{
	uint64_t n = at_load_acquire(&tr->tasks[slot].nev);
	uint64_t over = n > TRACE_RING ? n - TRACE_RING : 0;
	uint64_t folded = trace_task_folded_count(tr, slot);

	/* every overwritten event is folded first: none, unless a writer died
	 * between the two */
	return over > folded ? over - folded : 0;
}

uint64_t
trace_task_folded_count(const struct trace *tr, int slot)
{
	return at_load_acquire(&tr->tasks[slot].fold.nfolded);
}

int
trace_task_cpus(const struct trace *tr, int slot, int *cpus, int max)
{
	const struct trace_task *t = &tr->tasks[slot];
	int n = 0;

	for (int w = 0; w < TRACE_CPU_WORDS; w++) {
		uint64_t bits = at_load_relaxed(&t->cpumask[w]);

		for (int b = 0; b < 64 && bits != 0; b++)
			if (bits & (1ULL << b)) {
				if (n < max)
					cpus[n] = w * 64 + b;
				n++;
			}
	}
	return n < max ? n : max;
}

int
trace_task_sched(const struct trace *tr, int slot, struct trace_sched_sample **out)
{
	const struct trace_task *t = &tr->tasks[slot];
	uint64_t ns = at_load_acquire(&t->nsched);
	uint64_t first = ns > TRACE_SCHED_RING ? ns - TRACE_SCHED_RING : 0;
	struct trace_sched_sample *v = xcalloc(ns - first + 1, sizeof *v);

	for (uint64_t i = first; i < ns; i++) {
		const struct trace_sched *s = &t->sched[i % TRACE_SCHED_RING];

		v[i - first].ts = at_load_relaxed(&s->ts);
		v[i - first].oncpu_ns = at_load_relaxed(&s->oncpu_ns);
		v[i - first].wait_ns = at_load_relaxed(&s->wait_ns);
	}
	*out = v;
	return (int)(ns - first);
}
