/*
 * cells: a task's time drawn honestly on a row of cells (or pixels).
 *
 * A cell covers a stretch of time in which the task may have been in
 * several states.  Drawing each cell in the state that filled most of it
 * hides every state shorter than a cell: a GIL thread holding the lock a
 * third of the time, in 5 ms turns, looked like it never ran.  Instead, the
 * states are dithered along the row (error diffusion): the number of cells
 * in each state is proportional to the time spent in it, exact to about a
 * cell, and a state is drawn only in cells where it occurred.
 */
#ifndef CONCLAB_CELLS_H
#define CONCLAB_CELLS_H

#include <stdint.h>

/* One state per cell from ns[b * TRACE_NSTATES + state] (the time of each
 * state in cell b, as trace_task_shares gives it).  phase (0..1) shifts the
 * dither, so rows with the same mix (three GIL threads) take their turns in
 * different cells.  A cell with no time is TRACE_NEW. */
void cells_diffuse(const double *ns, int n, double phase, uint8_t *states);
/* What a lock's lane says of a task in a cell (cells_diffuse_held). */
enum cells_held {
	CELLS_FREE = 0,	/* nothing: diffusion alone */
	CELLS_HOLDS,	/* it holds the lock there */
	CELLS_WAITS,	/* another held it at the instant the cell shows (a
			 * step's end, the lane's live end) */
};
/* The same, but a cell with held[b] CELLS_HOLDS is drawn running or ready
 * (of those it had there, the one owed more, so their totals stay
 * honest): the task's row never says it waits for a lock its lane says it
 * holds; one with CELLS_WAITS is not drawn running if it was in any other
 * state there.  held may be NULL. */
void cells_diffuse_held(const double *ns, int n, double phase, const uint8_t *held,
    uint8_t *states);
/* Move extra ns of the row's RUN time to READY (the run-queue wait the
 * trace's intervals cannot show): in proportion to weight (the sampler's
 * wait in each cell; may be NULL), a cell giving at most its RUN time, the
 * rest evenly over the RUN time left.  Only RUN becomes READY: a cell with
 * no running time never gains any, so a state is never drawn where it was
 * not (a coroutine waiting for its turn while another holds the thread). */
void cells_place_ready(double *ns, const double *weight, int n, double extra);
/* Make the READY time of the row at least ready_ns (the task's measured
 * run-queue wait) by cells_place_ready, weighted by each cell's READY.
 * READY already there stays: it was traced, or placed by
 * trace_task_shares, which already fits the measured wait. */
void cells_fit_ready(double *ns, int n, double ready_ns);
/* Cells (0..n) in state st after diffusion, for tests and exports. */
int cells_count(const uint8_t *states, int n, int st);

#endif
