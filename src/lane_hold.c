/*
 * lane_hold: a GIL lane's holder per cell, shared by the timeline and the
 * SVG so both draw the same turns and the thread rows agree with them
 * (see lane_hold.h).  At the lab's scale one cell covers many 5 ms turns:
 * a cell's longest holder drew one thread in every cell, so the holders
 * are dithered instead, each owed its time's share of every cell.
 */
#include "lane_hold.h"

#include "cells.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

#define LANE_HOLDERS 64		/* holders a lane's cells tell apart */

int
lane_hold_find(const struct trace *tr, int run)
{
	int n = trace_ntasks(tr);

	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(tr, i);

		if (t != NULL && t->run == run && t->kind == TRACE_KIND_LANE)
			return i;
	}
	return -1;
}

int
lane_hold_cell(const struct trace *tr, const struct lane_cells *lc, uint64_t ts)
{
	uint64_t from = trace_fold(tr, lc->from), f = trace_fold(tr, ts);
	uint64_t len = lc->bucket * (uint64_t)lc->n;

	if (lc->n < 1 || f < from || f - from > len)
		return -1;
	return (int)UTIL_MIN((f - from) / lc->bucket, (uint64_t)(lc->n - 1));
}

/* The instants whose holder a cell shows instead of a share: each pause's
 * start inside lc, and lc's end while the lane goes on (at most max, into
 * at; returns the count). */
static int
holder_instants(const struct trace *tr, int lane, const struct lane_cells *lc,
    uint64_t *at, int max)
{
	int n = 0, np = trace_npauses(tr);
	enum trace_state st = trace_task_state(tr, lane);

	for (int i = 0; i < np && n < max - 1; i++) {
		uint64_t start, end;

		if (trace_get_pause(tr, i, &start, &end) && start > lc->from && start <= lc->to)
			at[n++] = start - 1;	/* who had it when the pause began */
	}
	if (st != TRACE_DONE && st != TRACE_FAILED && lc->to > lc->from)
		at[n++] = lc->to - 1;
	return n;
}

/* Each held cell's holder: error diffusion over the holders, as
 * cells_diffuse does over states, so along the lane each holder has cells
 * in proportion to its time holding the lock. */
static void
pick_holders(const struct trace *tr, int lane, const struct lane_cells *lc,
    const uint8_t *st, int16_t *who)
{
	int holders[LANE_HOLDERS], k, n = lc->n;
	double *ns = xmalloc(sizeof *ns * (size_t)n * LANE_HOLDERS), err[LANE_HOLDERS] = { 0 };

	k = trace_lane_shares(tr, lane, lc->from, lc->bucket, n, lc->to, LANE_HOLDERS, holders,
	    ns);
	for (int b = 0; b < n; b++) {
		const double *row = &ns[(size_t)b * LANE_HOLDERS];
		double total = 0, best = -INFINITY;
		int pick = -1;

		for (int j = 0; j < k; j++)
			total += row[j];
		who[b] = st[b] == LANE_SEVERAL ? LANE_WHO_SEVERAL : 0;
		if (total <= 0)
			continue;
		for (int j = 0; j < k; j++) {
			if (row[j] <= 0)
				continue;
			err[j] += row[j] / total;
			if (err[j] > best) {
				best = err[j];
				pick = j;
			}
		}
		if (st[b] != TRACE_RUN)
			continue;	/* not held by one: owed to the next held cell */
		err[pick] -= 1;
		who[b] = (int16_t)holders[pick];
	}
	free(ns);
}

void
lane_hold(const struct trace *tr, int lane, const struct lane_cells *lc, int16_t *who,
    uint8_t *inst, uint8_t *states)
{
	int n = lc->n, nat, *holder;
	double *ns;
	uint8_t *st;
	uint64_t *at;

	if (n < 1)
		return;
	ns = xmalloc((size_t)n * TRACE_NSTATES * sizeof *ns);
	st = states != NULL ? states : xmalloc((size_t)n);
	at = xmalloc(sizeof *at * (TRACE_MAX_PAUSES + 1));
	/* held or free: the lane's own states, dithered */
	trace_task_shares(tr, lane, lc->from, lc->bucket, n, lc->to, ns, who);
	cells_diffuse(ns, n, 0, st);
	pick_holders(tr, lane, lc, st, who);
	for (int b = 0; inst != NULL && b < n; b++)
		inst[b] = 0;
	nat = holder_instants(tr, lane, lc, at, TRACE_MAX_PAUSES + 1);
	holder = xmalloc(sizeof *holder * (size_t)(nat + 1));
	trace_lane_holders_at(tr, lane, at, nat, lc->to, holder);
	for (int k = 0; k < nat; k++) {
		int b = lane_hold_cell(tr, lc, at[k]);

		if (b < 0 || holder[k] <= 0)
			continue;
		who[b] = (int16_t)holder[k];
		if (inst != NULL)
			inst[b] = 1;
	}
	free(holder);
	free(at);
	if (st != states)
		free(st);
	free(ns);
}

const char *
lane_hold_state_name(enum trace_state st, uint32_t arg)
{
	if (st == LANE_SEVERAL)
		return "several";
	return st == TRACE_RUN && arg > 0 ? "held" : "free";
}

void
lane_hold_row(const int16_t *who, const uint8_t *inst, int n, int slot, uint8_t *held)
{
	for (int b = 0; b < n; b++)
		held[b] = who[b] == slot + 1 ? CELLS_HOLDS :
		    who[b] > 0 && inst != NULL && inst[b] ? CELLS_WAITS : CELLS_FREE;
}
