/*
 * view_shade: a core's busy share drawn apart by whose it is.  A cell's
 * height is the core's whole busy share (all programs, /proc/stat); it is
 * drawn in the lab's shade (solid blocks, CC_BAR / CC_BARHI) or in other
 * programs' (dots, CC_OTHER) so that along a row the cells of each shade
 * follow their shares of the busy time (error diffusion, as task rows do
 * with states).  Where the lab's own share is unknown (-1) a cell is the
 * lab's shade, as the cores were drawn before the share was measured.
 */
#ifndef CONCLAB_VIEW_SHADE_H
#define CONCLAB_VIEW_SHADE_H

#include "canvas.h"
#include "view.h"

#include <stdbool.h>

/* One cell of a core's row at x, y: busy the core's share (< 0: nothing
 * drawn), own the lab's share of it (-1 unknown); *err carries the other
 * programs' share not yet drawn along the row (start at 0). */
void view_shade_cell(struct canvas *c, int x, int y, double busy, double own,
    double *err);
/* CPU k's row of n cells from x: cell b shows the series over [t0 + b
 * bucket, t0 + (b + 1) bucket) on the folded clock (trace_fold: samples
 * taken in the presenter's pauses left out), a cell with no sample the one
 * before. */
void view_shade_row(struct canvas *c, const struct trace *tr, const struct core_series *cs,
    int k, int x, int y, int n, uint64_t t0, uint64_t bucket);
/* After a row, in w columns: the lab's and all programs' mean shares of CPU
 * k over [t0, t1] (monotonic, pauses left out: "lab 37% of 100%"); where
 * the lab's is not known, on the first core only, "busy: all programs". */
void view_shade_note(struct canvas *c, const struct trace *tr, const struct core_series *cs,
    int k, int x, int y, int w, uint64_t t0, uint64_t t1);
/* A bar of w cells: the lab's share in full blocks, then other programs'
 * in full dots, the rest empty. */
void view_shade_bar(struct canvas *c, int x, int y, int w, double busy, double own);
/* Does the screen know the lab's own share (from the series or the live
 * sampler)?  Then the legend names both shades. */
bool view_shade_own_known(const struct view_lab *v);

#endif
