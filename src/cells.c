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

void
cells_diffuse(const double *ns, int n, double phase, uint8_t *states)
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
		err[pick] -= 1;
		states[b] = (uint8_t)pick;
	}
}

void
cells_fit_ready(double *ns, int n, double ready_ns)
{
	double ready = 0, runnable = 0, placed = 0, run = 0, scale, f;

	for (int b = 0; b < n; b++) {
		ready += ns[(size_t)b * TRACE_NSTATES + TRACE_READY];
		runnable += ns[(size_t)b * TRACE_NSTATES + TRACE_READY] +
		    ns[(size_t)b * TRACE_NSTATES + TRACE_RUN];
	}
	if (runnable <= 0)
		return;
	if (ready_ns > runnable)
		ready_ns = runnable;
	/* Scale where the sampler saw waiting (a cell holds at most its
	 * runnable time)... */
	scale = ready > 0 ? ready_ns / ready : 0;
	for (int b = 0; b < n; b++) {
		double *row = &ns[(size_t)b * TRACE_NSTATES];
		double cell = row[TRACE_RUN] + row[TRACE_READY];

		row[TRACE_READY] = UTIL_MIN(row[TRACE_READY] * scale, cell);
		row[TRACE_RUN] = cell - row[TRACE_READY];
		placed += row[TRACE_READY];
		run += row[TRACE_RUN];
	}
	/* ...and what that could not place, evenly over the running time. */
	if (run <= 0 || ready_ns - placed <= 0)
		return;
	f = UTIL_MIN((ready_ns - placed) / run, 1.0);
	for (int b = 0; b < n; b++) {
		double *row = &ns[(size_t)b * TRACE_NSTATES];
		double move = row[TRACE_RUN] * f;

		row[TRACE_RUN] -= move;
		row[TRACE_READY] += move;
	}
}

int
cells_count(const uint8_t *states, int n, int st)
{
	int k = 0;

	for (int b = 0; b < n; b++)
		k += states[b] == st;
	return k;
}
