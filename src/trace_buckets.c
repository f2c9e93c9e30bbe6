/*
 * trace_buckets: a task's recorded time cut into the cells of a timeline --
 * the time of each state in each cell, RUN split into READY by the run-queue
 * wait the sampler saw.  It reads the trace only through its decoding
 * functions (trace_task_history, trace_task_sched); the record layout
 * stays in trace.c.
 */
#include "trace.h"

#include "cells.h"
#include "util.h"

#include <stdlib.h>

/* The cells a task's time is cut into, on the folded clock: n buckets of
 * bucket_ns from t_from, or (edges not NULL) cell c = [edges[c], edges[c + 1]),
 * edges ascending (the CSV's state intervals). */
struct grid {
	uint64_t t_from, bucket_ns;
	const uint64_t *edges;
	int n;
};

/* The cell holding x (>= the grid's start), n past its end. */
static int
grid_cell(const struct grid *g, uint64_t x)
{
	int lo = 0, hi = g->n;

	if (g->edges == NULL)
		return (int)UTIL_MIN((uint64_t)g->n, (x - g->t_from) / g->bucket_ns);
	while (lo < hi) {	/* the first cell ending after x */
		int mid = lo + (hi - lo) / 2;

		if (g->edges[mid + 1] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static uint64_t
grid_end(const struct grid *g, int b)
{
	return g->edges != NULL ? g->edges[b + 1] : g->t_from + (uint64_t)(b + 1) * g->bucket_ns;
}

/* Spread the sampler's run-queue wait and on-CPU time of the task over the
 * grid's cells -- each sample evenly over its interval's time not paused,
 * the oldest from `start` (0: unknown, the ring lost the ones before) --
 * and the time the samples cover in each cell (cov). */
static void
sched_spread(const struct trace *tr, const struct trace_sched_sample *sv, int ns,
    uint64_t start, const struct grid *g, double *wait, double *on, double *cov)
{
	uint64_t prev_ts = start, t_from = g->edges != NULL ? g->edges[0] : g->t_from;

	for (int i = 0; i < ns; i++) {
		uint64_t ts = trace_fold(tr, sv[i].ts);
		double w = (double)sv[i].wait_ns;
		double o = (double)sv[i].oncpu_ns;
		uint64_t a = prev_ts ? prev_ts : ts;

		prev_ts = ts;
		if (ts <= a || ts <= t_from)
			continue;
		for (uint64_t x = a > t_from ? a : t_from; x < ts;) {
			int b = grid_cell(g, x);
			uint64_t bend, seg;
			double frac;

			if (b >= g->n)
				break;
			bend = grid_end(g, b);
			seg = (bend < ts ? bend : ts) - x;
			frac = (double)seg / (double)(ts - a);
			wait[b] += w * frac;
			on[b] += o * frac;
			cov[b] += (double)seg;
			x += seg;
		}
	}
}

/* The fold's buckets (the intervals a full ring overwrote) into acc: each
 * fold bucket's time of each state spread over the cells it overlaps, in
 * proportion (on the folded clock), its CPU the cell's when it is the
 * longest piece. */
static void
fold_acc(const struct trace *tr, const struct trace_folded *f, uint64_t t_from,
    uint64_t bucket_ns, int n, uint64_t *acc, int16_t *cpus, uint64_t *best)
{
	uint64_t t_to = t_from + bucket_ns * (uint64_t)n;

	for (int k = 0; k < f->nbuckets; k++) {
		uint64_t ra = f->t0 + (uint64_t)k * f->width, re = ra + f->width;
		uint64_t a, e, len;

		if (re > f->upto)
			re = f->upto;
		a = trace_fold(tr, ra);
		e = trace_fold(tr, re);
		if (e <= a || e <= t_from || a >= t_to)
			continue;	/* all of it paused, or out of the picture */
		len = e - a;
		for (uint64_t x = a > t_from ? a : t_from; x < e && x < t_to;) {
			int b = (int)((x - t_from) / bucket_ns);
			uint64_t bend = t_from + (uint64_t)(b + 1) * bucket_ns;
			uint64_t seg = (bend < e ? bend : e) - x, most = 0;

			for (int s = TRACE_RUN; s < TRACE_DONE; s++) {
				uint64_t part = (uint64_t)((double)f->ns[k][s] * (double)seg /
				    (double)len + 0.5);

				acc[(size_t)b * TRACE_NSTATES + s] += part;
				most = part > most ? part : most;
			}
			if (most > best[b]) {
				best[b] = most;
				cpus[b] = (int16_t)f->who[k];
			}
			x += seg;
		}
	}
}

/* The time of each state in each bucket (acc: n x TRACE_NSTATES; t_from
 * folded), and the CPU (lanes: holder slot + 1) of the longest piece of
 * each bucket.  An interval wholly inside a pause takes no time.  The
 * ring's oldest intervals, once overwritten, come from the fold. */
static void
task_acc(const struct trace *tr, int slot, uint64_t t_from, uint64_t bucket_ns, int n,
    uint64_t now, uint64_t *acc, int16_t *cpus)
{
	const struct trace_task *t = trace_task(tr, slot);
	bool lane = t != NULL && t->kind == TRACE_KIND_LANE;
	struct trace_interval *iv;
	struct trace_folded *fold = xmalloc(sizeof *fold);
	uint64_t *best = xcalloc((size_t)n, sizeof *best);
	uint64_t t_to = t_from + bucket_ns * (uint64_t)n;
	int count = trace_task_history(tr, slot, now, &iv, fold);

	for (int b = 0; b < n; b++)
		cpus[b] = -1;
	fold_acc(tr, fold, t_from, bucket_ns, n, acc, cpus, best);
	for (int i = 0; i < count; i++) {
		struct trace_interval *v = &iv[i];
		uint64_t a = trace_fold(tr, v->start), e = trace_fold(tr, v->end);

		if (v->state == TRACE_DONE || v->state == TRACE_FAILED)
			e = t_to; /* final states last */
		else if (e == a && v->end > v->start)
			continue;	/* all of it paused */
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
	free(fold);
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
	uint64_t run = trace_task_total(tr, slot, TRACE_RUN, now), start, from, last, on = 0;
	int first;
	double cover, share, cpu;

	if (trace_task_ended(tr, slot) && at_load_relaxed(&t->cpu_ns) > 0)
		return at_load_relaxed(&t->cpu_ns);
	/* samples after now (the picture's clock stands still while paused,
	 * the sampler does not) are not part of this picture */
	while (n > 0 && sv[n - 1].ts > now)
		n--;
	/* times on the folded clock: a pause is no time the task could run */
	start = trace_fold(tr, at_load_relaxed(&t->start_ns));
	now = trace_fold(tr, now);
	last = n > 0 ? trace_fold(tr, sv[n - 1].ts) : 0;
	/* a full ring lost older samples: cover from the oldest kept one */
	first = n >= TRACE_SCHED_RING ? 1 : 0;
	from = first ? trace_fold(tr, sv[0].ts) : start;
	for (int i = first; i < n; i++)
		on += sv[i].oncpu_ns;
	cover = n > first && last > from ? (double)(last - from) : 0;
	if (cover <= 0)
		return run;	/* nothing sampled yet: all its RUN time */
	share = UTIL_MIN((double)on / cover, 1.0);
	cpu = (double)on + share * ((double)(from > start ? from - start : 0) +
	    (double)(now > last ? now - last : 0));
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

/* While the task runs: its run-queue wait cell by cell from its start -- a
 * cell's RUN time less its time on a core (the sampler's; where no sample
 * covers the cell yet, at the share seen so far), what a cell cannot take
 * carried to the next.  A cell then depends on nothing after it, so a
 * pause or a GIL step leaves every cell before it as it was (one fit over
 * the whole row moved cells anywhere by rounding), and the row's READY is
 * its RUN time less its CPU so far, as trace_task_cpu_live has it.  fnow:
 * the picture's time, folded; t_from too. */
static void
ready_live(double *ns, const double *on, const double *cov, const struct grid *g,
    uint64_t fnow)
{
	double on_sum = 0, cov_sum = 0, share, carry = 0;
	int n = g->n;

	for (int b = 0; b < n; b++) {
		on_sum += on[b];
		cov_sum += cov[b];
	}
	share = cov_sum > 0 ? UTIL_MIN(on_sum / cov_sum, 1.0) : 1.0;
	for (int b = 0; b < n; b++) {
		double *row = &ns[(size_t)b * TRACE_NSTATES], run = row[TRACE_RUN];
		uint64_t a = b > 0 ? grid_end(g, b - 1) : g->edges != NULL ? g->edges[0] : g->t_from;
		double len = fnow > a ? (double)UTIL_MIN(grid_end(g, b) - a, fnow - a) : 0;
		double open = len > 0 ? 1 - UTIL_MIN(cov[b] / len, 1.0) : 0;
		double want = run - on[b] - share * run * open + carry;
		double r = UTIL_MAX(0.0, UTIL_MIN(want, run));

		carry = want - r;
		row[TRACE_RUN] -= r;
		row[TRACE_READY] += r;
	}
}

/* Make part of the RUN time of the grid's cells (ns, each state's time in
 * each cell, laid by the caller) READY: the run-queue wait the sampler saw,
 * cell by cell while the task runs; once it ended, the measured wait less
 * its traced READY, placed where the sampler saw waiting.  Live and at the
 * end only RUN time becomes READY, so traced states stay where they were
 * and the cells running total the CPU time the run's numbers show. */
static void
split_ready(const struct trace *tr, int slot, const struct grid *g, uint64_t now, double *ns)
{
	const struct trace_task *t = trace_task(tr, slot);
	int n = g->n;
	double *wait = xcalloc((size_t)n, sizeof *wait);
	double *on = xcalloc((size_t)n, sizeof *on), *cov = xcalloc((size_t)n, sizeof *cov);
	struct trace_sched_sample *sv = NULL;
	int nsv = trace_task_sched(tr, slot, &sv);
	uint64_t start = 0;

	/* samples after now (taken while the picture stands still) are not
	 * part of it */
	while (nsv > 0 && sv[nsv - 1].ts > now)
		nsv--;
	if (nsv < TRACE_SCHED_RING)
		start = trace_fold(tr, at_load_relaxed(&t->start_ns));
	sched_spread(tr, sv, nsv, start, g, wait, on, cov);
	/* where the sampler saw waiting: the weight of each cell */
	for (int b = 0; b < n; b++) {
		double run = ns[(size_t)b * TRACE_NSTATES + TRACE_RUN];

		wait[b] = wait[b] + on[b] > 0 ? run * wait[b] / (wait[b] + on[b]) : 0;
	}
	if (!trace_task_ended(tr, slot))
		ready_live(ns, on, cov, g, trace_fold(tr, now));
	else
		cells_place_ready(ns, wait, n, ready_extra(tr, slot, sv, nsv, now));
	free(sv);
	free(wait);
	free(on);
	free(cov);
}

void
trace_task_split_ready(const struct trace *tr, int slot, const uint64_t *edges, int n,
    uint64_t now, double *ns)
{
	const struct trace_task *t = trace_task(tr, slot);
	struct grid g = { .edges = edges, .n = n };

	if (t != NULL && t->kind == TRACE_KIND_TASK && n > 0)
		split_ready(tr, slot, &g, now, ns);
}

void
trace_task_shares(const struct trace *tr, int slot, uint64_t t_from, uint64_t bucket_ns,
    int n, uint64_t now, double *ns, int16_t *cpus)
{
	const struct trace_task *t = trace_task(tr, slot);
	uint64_t *acc = xcalloc((size_t)n * TRACE_NSTATES, sizeof *acc);
	struct grid g = { .t_from = trace_fold(tr, t_from), .bucket_ns = bucket_ns, .n = n };

	task_acc(tr, slot, g.t_from, bucket_ns, n, now, acc, cpus);
	for (size_t i = 0; i < (size_t)n * TRACE_NSTATES; i++)
		ns[i] = (double)acc[i];
	if (t != NULL && t->kind == TRACE_KIND_TASK)
		split_ready(tr, slot, &g, now, ns);
	free(acc);
}

void
trace_lane_holders_at(const struct trace *tr, int slot, const uint64_t *ts, int n,
    uint64_t now, int *who)
{
	struct trace_interval *iv;
	int count = trace_task_intervals(tr, slot, now, &iv);

	for (int k = 0; k < n; k++) {
		int lo = 0, hi = count;

		/* the last interval begun by ts[k] (an open one runs to now) */
		while (lo < hi) {
			int mid = lo + (hi - lo) / 2;

			if (iv[mid].start <= ts[k])
				lo = mid + 1;
			else
				hi = mid;
		}
		who[k] = lo > 0 && iv[lo - 1].state == TRACE_RUN &&
		    (iv[lo - 1].end > ts[k] || (lo == count && iv[lo - 1].end >= ts[k])) ?
		    (int)iv[lo - 1].arg : 0;
	}
	free(iv);
}

/* Add `part` of folded [a, e) to holder j's time in the cells it covers
 * (ns: n x max from `from`, bucket_ns each). */
static void
lane_piece(double *ns, int max, int j, uint64_t a, uint64_t e, double part, uint64_t from,
    uint64_t bucket_ns, int n)
{
	uint64_t to = from + bucket_ns * (uint64_t)n;

	for (uint64_t x = a > from ? a : from; x < e && x < to;) {
		int b = (int)((x - from) / bucket_ns);
		uint64_t bend = from + (uint64_t)(b + 1) * bucket_ns;
		uint64_t seg = (bend < e ? bend : e) - x;

		ns[(size_t)b * (size_t)max + (size_t)j] += (double)seg * part;
		x += seg;
	}
}

/* The index of holder h in who[0..*k), added when new (-1: no room). */
static int
lane_index(int *who, int *k, int max, int h)
{
	for (int j = 0; j < *k; j++)
		if (who[j] == h)
			return j;
	if (*k >= max)
		return -1;
	who[*k] = h;
	return (*k)++;
}

int
trace_lane_shares(const struct trace *tr, int slot, uint64_t t_from, uint64_t bucket_ns,
    int n, uint64_t now, int max, int *who, double *ns)
{
	struct trace_interval *iv;
	struct trace_folded *fold = xmalloc(sizeof *fold);
	int count = trace_task_history(tr, slot, now, &iv, fold), k = 0, j;
	uint64_t from = trace_fold(tr, t_from);

	for (size_t i = 0; i < (size_t)n * (size_t)max; i++)
		ns[i] = 0;
	for (int b = 0; b < fold->nbuckets; b++) {
		uint64_t ra = fold->t0 + (uint64_t)b * fold->width;
		uint64_t re = UTIL_MIN(ra + fold->width, fold->upto);
		uint64_t a = trace_fold(tr, ra), e = trace_fold(tr, re);

		/* a fold bucket's held time: its longest holder's, spread */
		if (e > a && fold->who[b] > 0 && fold->ns[b][TRACE_RUN] > 0 &&
		    (j = lane_index(who, &k, max, fold->who[b])) >= 0)
			lane_piece(ns, max, j, a, e, (double)fold->ns[b][TRACE_RUN] /
			    (double)(e - a), from, bucket_ns, n);
	}
	for (int i = 0; i < count; i++)
		if (iv[i].state == TRACE_RUN && iv[i].arg > 0 &&
		    (j = lane_index(who, &k, max, (int)iv[i].arg)) >= 0)
			lane_piece(ns, max, j, trace_fold(tr, iv[i].start),
			    trace_fold(tr, iv[i].end), 1.0, from, bucket_ns, n);
	free(iv);
	free(fold);
	return k;
}
