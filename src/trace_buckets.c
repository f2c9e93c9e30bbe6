/*
 * trace_buckets: a task's recorded time cut into the cells of a timeline --
 * the time of each state in each cell, RUN split into READY by the run-queue
 * wait the sampler saw.  It reads the trace only through its decoding
 * functions (trace_task_intervals, trace_task_sched); the record layout
 * stays in trace.c.
 */
#include "trace.h"

#include "cells.h"
#include "util.h"

#include <stdlib.h>

/* Spread the sampler's run-queue wait and on-CPU time of the task over n
 * buckets of bucket_ns from t_from (each sample evenly over its interval). */
static void
sched_spread(const struct trace_sched_sample *sv, int ns, uint64_t t_from,
    uint64_t bucket_ns, int n, double *wait, double *on)
{
	uint64_t prev_ts = 0;

	for (int i = 0; i < ns; i++) {
		uint64_t ts = sv[i].ts;
		double w = (double)sv[i].wait_ns;
		double o = (double)sv[i].oncpu_ns;
		uint64_t a = prev_ts ? prev_ts : ts;

		prev_ts = ts;
		if (ts <= a || ts <= t_from)
			continue;
		for (uint64_t x = a > t_from ? a : t_from; x < ts;) {
			int b = (int)((x - t_from) / bucket_ns);
			uint64_t bend = t_from + (uint64_t)(b + 1) * bucket_ns;
			uint64_t seg = (bend < ts ? bend : ts) - x;
			double frac = (double)seg / (double)(ts - a);

			if (b >= n)
				break;
			wait[b] += w * frac;
			on[b] += o * frac;
			x += seg;
		}
	}
}

/* The time of each state in each bucket (acc: n x TRACE_NSTATES), and the
 * CPU (lanes: holder slot + 1) of the longest piece of each bucket. */
static void
task_acc(const struct trace *tr, int slot, uint64_t t_from, uint64_t bucket_ns, int n,
    uint64_t now, uint64_t *acc, int16_t *cpus)
{
	const struct trace_task *t = trace_task(tr, slot);
	bool lane = t != NULL && t->kind == TRACE_KIND_LANE;
	struct trace_interval *iv;
	uint64_t *best = xcalloc((size_t)n, sizeof *best);
	uint64_t t_to = t_from + bucket_ns * (uint64_t)n;
	int count = trace_task_intervals(tr, slot, now, &iv);

	for (int b = 0; b < n; b++)
		cpus[b] = -1;
	for (int i = 0; i < count; i++) {
		struct trace_interval *v = &iv[i];
		uint64_t a = v->start, e = v->end;

		if (v->state == TRACE_DONE || v->state == TRACE_FAILED)
			e = t_to; /* final states last */
		if (e <= t_from || a >= t_to)
			continue;
		if (a < t_from)
			a = t_from;
		if (e > t_to)
			e = t_to;
		if (e == a)
			e = a + 1;
		while (a < e) {
			int b = (int)((a - t_from) / bucket_ns);
			uint64_t bend = t_from + (uint64_t)(b + 1) * bucket_ns;
			uint64_t seg = (bend < e ? bend : e) - a;

			acc[(size_t)b * TRACE_NSTATES + v->state] += seg;
			if (seg > best[b]) {
				best[b] = seg;
				cpus[b] = lane ? (int16_t)v->arg : v->cpu;
			}
			a += seg;
		}
	}
	free(iv);
	free(best);
}

/* The task's CPU time so far from the sampler's on-CPU deltas (schedstat's
 * run-queue wait is added only when a wait ends, so a thread waiting now
 * would count as running; its on-CPU time is current): the on-CPU time the
 * samples cover, and the stretches they do not (before the oldest kept
 * sample, after the newest) at the share they saw.  Never more than its
 * time in RUN; exact (its measured CPU) once it ended. */
static uint64_t
cpu_from_samples(const struct trace *tr, int slot, const struct trace_sched_sample *sv,
    int n, uint64_t now)
{
	const struct trace_task *t = trace_task(tr, slot);
	uint64_t run = trace_task_total(tr, slot, TRACE_RUN, now), start, from, on = 0;
	int first;
	double cover, share, cpu;

	if (trace_task_ended(tr, slot) && at_load_relaxed(&t->cpu_ns) > 0)
		return at_load_relaxed(&t->cpu_ns);
	start = at_load_relaxed(&t->start_ns);
	/* samples after now (the picture's clock stands still while paused,
	 * the sampler does not) are not part of this picture */
	while (n > 0 && sv[n - 1].ts > now)
		n--;
	/* a full ring lost older samples: cover from the oldest kept one */
	first = n >= TRACE_SCHED_RING ? 1 : 0;
	from = first ? sv[0].ts : start;
	for (int i = first; i < n; i++)
		on += sv[i].oncpu_ns;
	cover = n > first && sv[n - 1].ts > from ? (double)(sv[n - 1].ts - from) : 0;
	if (cover <= 0)
		return run;	/* nothing sampled yet: all its RUN time */
	share = UTIL_MIN((double)on / cover, 1.0);
	cpu = (double)on + share * ((double)(from > start ? from - start : 0) +
	    (double)(now > sv[n - 1].ts ? now - sv[n - 1].ts : 0));
	return cpu < (double)run ? (uint64_t)cpu : run;
}

uint64_t
trace_task_cpu_live(const struct trace *tr, int slot, uint64_t now)
{
	struct trace_sched_sample *sv;
	uint64_t cpu;
	int n;

	if (trace_task(tr, slot) == NULL)
		return 0;
	n = trace_task_sched(tr, slot, &sv);
	cpu = cpu_from_samples(tr, slot, sv, n, now);
	free(sv);
	return cpu;
}

/* The run-queue wait to show inside the task's RUN time: once it ended with
 * schedstat known, its measured ready time less the READY it traced; while
 * it runs (or without schedstat), its RUN time less its CPU so far. */
static double
ready_extra(const struct trace *tr, int slot, const struct trace_sched_sample *sv,
    int nsv, uint64_t now)
{
	const struct trace_task *t = trace_task(tr, slot);
	uint64_t run = trace_task_total(tr, slot, TRACE_RUN, now);

	if (trace_task_ended(tr, slot) && at_load_relaxed(&t->sched_known))
		return (double)trace_task_ready_ns(tr, slot) -
		    (double)trace_task_total(tr, slot, TRACE_READY, now);
	return (double)run - (double)cpu_from_samples(tr, slot, sv, nsv, now);
}

void
trace_task_shares(const struct trace *tr, int slot, uint64_t t_from, uint64_t bucket_ns,
    int n, uint64_t now, double *ns, int16_t *cpus)
{
	const struct trace_task *t = trace_task(tr, slot);
	uint64_t *acc = xcalloc((size_t)n * TRACE_NSTATES, sizeof *acc);
	double *wait = xcalloc((size_t)n, sizeof *wait);
	double *on = xcalloc((size_t)n, sizeof *on);
	bool task = t != NULL && t->kind == TRACE_KIND_TASK;
	struct trace_sched_sample *sv = NULL;
	int nsv = task ? trace_task_sched(tr, slot, &sv) : 0;

	task_acc(tr, slot, t_from, bucket_ns, n, now, acc, cpus);
	if (task)
		sched_spread(sv, nsv, t_from, bucket_ns, n, wait, on);
	for (int b = 0; b < n; b++) {
		double *row = &ns[(size_t)b * TRACE_NSTATES];

		for (int s = 0; s < TRACE_NSTATES; s++)
			row[s] = (double)acc[(size_t)b * TRACE_NSTATES + s];
		/* where the sampler saw waiting: the weight of each cell */
		wait[b] = wait[b] + on[b] > 0 ? row[TRACE_RUN] * wait[b] / (wait[b] + on[b]) : 0;
	}
	/* The same wait live and at the end: only RUN time becomes READY, so
	 * traced states stay where they were and the cells running total the
	 * CPU time the run's numbers show. */
	if (task)
		cells_place_ready(ns, wait, n, ready_extra(tr, slot, sv, nsv, now));
	free(sv);
	free(acc);
	free(wait);
	free(on);
}
