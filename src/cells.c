/*
 * cells: error diffusion of state times along a row.  Each cell is worth
 * one unit, shared among the states by their time in it; a state's error
 * is what it was owed minus what it was drawn.  A cell goes to the state
 * with the largest error among those present in it, which then pays one
 * unit.  The errors sum to zero after every cell, and a state present in a
 * cell is never owed more than about a cell before it is drawn.
 */
#include "cells.h"

#include "trace.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>

/* The state of a cell the lock's lane decides (held: CELLS_HOLDS or
 * CELLS_WAITS), from those present in it (row); pick: diffusion's choice. */
static int
held_pick(const double *row, const double *err, uint8_t held, int pick)
{
	double best = -INFINITY;
	int other = -1;

	/* holding the lock here: on a core or waiting for one, never
	 * waiting for the lock -- the one owed more, so that a holder kept
	 * off its core (a busy machine) is drawn running no more than it ran */
	if (held == CELLS_HOLDS && (row[TRACE_RUN] > 0 || row[TRACE_READY] > 0))
		return row[TRACE_READY] <= 0 || (row[TRACE_RUN] > 0 &&
		    err[TRACE_RUN] >= err[TRACE_READY]) ? TRACE_RUN : TRACE_READY;
	if (held != CELLS_WAITS || pick != TRACE_RUN)
		return pick;
	/* another held it at the cell's instant: not running, if it was
	 * anything else there */
	for (int s = TRACE_READY; s < TRACE_NSTATES; s++)
		if (row[s] > 0 && err[s] > best) {
			best = err[s];
			other = s;
		}
	return other >= 0 ? other : pick;
}

void
cells_diffuse(const double *ns, int n, double phase, uint8_t *states)
{
	cells_diffuse_held(ns, n, phase, NULL, states);
}

void
cells_diffuse_held(const double *ns, int n, double phase, const uint8_t *held,
    uint8_t *states)
{
	double err[TRACE_NSTATES] = { 0 };

	/* The phase is a head start for RUN against the others (summing to 0). */
	err[TRACE_RUN] = phase - floor(phase) - 0.5;
	err[TRACE_LOCK] = -err[TRACE_RUN];
	for (int b = 0; b < n; b++) {
		const double *row = &ns[(size_t)b * TRACE_NSTATES];
		double total = 0, best = -INFINITY;
		int pick = TRACE_NEW;

		for (int s = 1; s < TRACE_NSTATES; s++)
			total += row[s] > 0 ? row[s] : 0;
		if (total <= 0) {
			states[b] = TRACE_NEW;
			continue;
		}
		for (int s = 1; s < TRACE_NSTATES; s++) {
			if (row[s] <= 0)
				continue;
			err[s] += row[s] / total;
			/* a failure, however short, shows */
			if (s == TRACE_FAILED || (pick != TRACE_FAILED && err[s] > best)) {
				best = s == TRACE_FAILED ? INFINITY : err[s];
				pick = s;
			}
		}
		if (held != NULL && pick != TRACE_FAILED)
			pick = held_pick(row, err, held[b], pick);
		err[pick] -= 1;
		states[b] = (uint8_t)pick;
	}
}

void
cells_place_ready(double *ns, const double *weight, int n, double extra)
{
	double wsum = 0, run = 0, placed = 0, f;

	for (int b = 0; b < n; b++) {
		run += ns[(size_t)b * TRACE_NSTATES + TRACE_RUN];
		wsum += weight != NULL && weight[b] > 0 ? weight[b] : 0;
	}
	if (extra <= 0 || run <= 0)
		return;
	if (extra > run)
		extra = run;
	/* Where the sampler saw waiting, in proportion (a cell gives at most
	 * its running time)... */
	for (int b = 0; b < n && wsum > 0; b++) {
		double *row = &ns[(size_t)b * TRACE_NSTATES];
		double w = weight[b] > 0 ? weight[b] : 0;
		double move = UTIL_MIN(extra * w / wsum, row[TRACE_RUN]);

		row[TRACE_RUN] -= move;
		row[TRACE_READY] += move;
		placed += move;
	}
	/* ...and what that could not place, evenly over the running time left. */
	if (extra - placed <= extra * 1e-9 || run - placed <= 0)
		return;
	f = UTIL_MIN((extra - placed) / (run - placed), 1.0);
	for (int b = 0; b < n; b++) {
		double *row = &ns[(size_t)b * TRACE_NSTATES];
		double move = row[TRACE_RUN] * f;

		row[TRACE_RUN] -= move;
		row[TRACE_READY] += move;
	}
}

void
cells_fit_ready(double *ns, int n, double ready_ns)
{
	double ready = 0, *weight = xmalloc(sizeof *weight * (size_t)(n > 0 ? n : 1));

	for (int b = 0; b < n; b++) {
		weight[b] = ns[(size_t)b * TRACE_NSTATES + TRACE_READY];
		ready += weight[b];
	}
	cells_place_ready(ns, weight, n, ready_ns - ready);
	free(weight);
}

int
cells_count(const uint8_t *states, int n, int st)
{
	int k = 0;

	for (int b = 0; b < n; b++)
		k += states[b] == st;
	return k;
}
