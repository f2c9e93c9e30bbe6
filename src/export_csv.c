/*
 * export_csv: the trace as CSV rows, one per state interval, for a
 * spreadsheet.  The rows tell the same story as the JSON report and the
 * SVG: times on the folded clock (a presenter's pause is no time; trace_fold)
 * counted from each run's own start, and a running interval's run-queue
 * wait (schedstat) split off as a `ready` row over the same span by the
 * split the SVG draws (trace_task_split_ready).  So per task the rows'
 * time_s of each state sum to the report's run_s, ready_s, lock_s, io_s.
 */
#include "export.h"

#include "lane_hold.h"
#include "util.h"

#include <stdlib.h>

static void
csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A task's time cut into cells: its fold's buckets (what its full ring
 * overwrote), then its ring's intervals; each cell's span on the folded
 * clock (edges) and its time of each state (ns). */
struct csv_cells {
	const struct trace_task *t;
	struct trace_interval *iv;
	struct trace_folded *fold;
	int count, n;
	uint64_t *edges;
	double *ns;
	uint64_t t0;		/* the run's start, folded */
};

static void
cells_lay(const struct trace *tr, int slot, uint64_t now, struct csv_cells *c)
{
	uint64_t prev = 0;

	c->fold = xmalloc(sizeof *c->fold);
	c->count = trace_task_history(tr, slot, now, &c->iv, c->fold);
	c->n = c->fold->nbuckets + c->count;
	c->edges = xcalloc((size_t)c->n + 1, sizeof *c->edges);
	c->ns = xcalloc((size_t)c->n * TRACE_NSTATES + 1, sizeof *c->ns);
	for (int k = 0; k < c->n; k++) {
		const struct trace_folded *fd = c->fold;
		uint64_t a, e;
		double *row = &c->ns[(size_t)k * TRACE_NSTATES];

		if (k < fd->nbuckets) {
			a = fd->t0 + (uint64_t)k * fd->width;
			e = UTIL_MIN(a + fd->width, fd->upto);
			for (int st = TRACE_RUN; st < TRACE_DONE; st++)
				row[st] = (double)fd->ns[k][st];
		} else {
			const struct trace_interval *v = &c->iv[k - fd->nbuckets];

			a = v->start;
			e = v->end;
			if (v->state >= TRACE_RUN && v->state < TRACE_DONE)
				row[v->state] = (double)(trace_fold(tr, e) - trace_fold(tr, a));
		}
		c->edges[k] = prev = UTIL_MAX(prev, trace_fold(tr, a));
		c->edges[k + 1] = prev = UTIL_MAX(prev, trace_fold(tr, e));
	}
}

static void
cells_free(struct csv_cells *c)
{
	free(c->iv);
	free(c->fold);
	free(c->edges);
	free(c->ns);
}

/* One row: the run and task quoted, the state, the CPU (-1 for a folded
 * bucket's), the span from the run's start and the state's time in it. */
static void
csv_row(FILE *f, const struct report_info *info, const struct csv_cells *c, int k,
    const char *state, int cpu, double ns, unsigned intervals)
{
	uint64_t a = c->edges[k], e = c->edges[k + 1];

	csv_field(f, info->lab->runs[c->t->run].name);
	fputc(',', f);
	csv_field(f, c->t->name);
	fprintf(f, ",%s,%d,%.6f,%.6f,%.6f,%u\n", state, cpu,
	    a > c->t0 ? (double)(a - c->t0) / 1e9 : 0, e > c->t0 ? (double)(e - c->t0) / 1e9 : 0,
	    ns / 1e9, intervals);
}

/* The rows of cell k: a folded bucket's one per state with time in it (its
 * intervals folded there); an interval's its state (a lane's held or free)
 * and, for a running interval that waited for a core, a `ready` row over
 * the same span (intervals 0: it is part of the run interval). */
static void
cell_rows(FILE *f, const struct report_info *info, const struct csv_cells *c, int k)
{
	const double *row = &c->ns[(size_t)k * TRACE_NSTATES];
	bool lane = c->t->kind == TRACE_KIND_LANE;
	const struct trace_interval *v;

	if (k < c->fold->nbuckets) {
		for (int st = TRACE_RUN; st < TRACE_DONE; st++)
			if (row[st] > 0 || c->fold->count[k][st] > 0)
				csv_row(f, info, c, k, lane ? lane_hold_state_name((enum trace_state)st,
				    1) : trace_state_name(st), -1, row[st], c->fold->count[k][st]);
		return;
	}
	v = &c->iv[k - c->fold->nbuckets];
	if (v->state == TRACE_DONE || v->state == TRACE_NEW)
		return;
	if (lane)
		csv_row(f, info, c, k, lane_hold_state_name(v->state, v->arg), v->cpu,
		    (double)(c->edges[k + 1] - c->edges[k]), 1);
	else if (v->state == TRACE_FAILED)
		csv_row(f, info, c, k, "failed", v->cpu, 0, 1);
	else
		csv_row(f, info, c, k, trace_state_name(v->state), v->cpu, row[v->state], 1);
	if (!lane && v->state == TRACE_RUN && row[TRACE_READY] > 0)
		csv_row(f, info, c, k, "ready", v->cpu, row[TRACE_READY], 0);
}

void
export_csv(FILE *f, const struct report_info *info)
{
	uint64_t end = 0, first = 0;
	int n = trace_ntasks(info->tr);

	for (int i = 0; i < info->lab->nruns; i++) {
		const struct run_result *r = &info->results[i];

		if (r->finished && r->t_end > end)
			end = r->t_end;
		if (r->started && r->t_start && (first == 0 || r->t_start < first))
			first = r->t_start;
	}
	if (first == 0)
		first = info->tr->t0;
	fputs("run,task,state,cpu,start_s,end_s,time_s,intervals\n", f);
	for (int slot = 0; slot < n; slot++) {
		const struct trace_task *t = trace_task(info->tr, slot);
		struct csv_cells c = { .t = t };
		const struct run_result *r;

		if (t == NULL || t->run < 0 || t->run >= info->lab->nruns)
			continue;
		r = &info->results[t->run];
		c.t0 = trace_fold(info->tr, r->started && r->t_start ? r->t_start : first);
		cells_lay(info->tr, slot, end ? end : first, &c);
		/* measured (the report's ready_s), or a dead task's guess by the
		 * sampler, as the SVG draws it (its report says n/a) */
		if (t->kind == TRACE_KIND_TASK && (at_load_relaxed(&t->sched_known) ||
		    at_load_relaxed(&t->state) == TRACE_FAILED))
			trace_task_split_ready(info->tr, slot, c.edges, c.n, end ? end : first,
			    c.ns);
		for (int k = 0; k < c.n; k++)
			cell_rows(f, info, &c, k);
		cells_free(&c);
	}
}
