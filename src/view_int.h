/*
 * view_int: what the timeline (view_timeline.c) and its row list
 * (view_rows.c) share.  Not for other modules.  A display row is a trace
 * slot (a task or a lock lane), or VIEW_ROW_HEADER(run) for the header of
 * run's band.
 */
#ifndef CONCLAB_VIEW_INT_H
#define CONCLAB_VIEW_INT_H

#include "view.h"

#include <stdbool.h>

#define VIEW_ROW_HEADER(run) (-1 - (run))	/* a display row that heads run's band */

/* The lock lane drawn on run's header line (fold_lanes): the band's first
 * one shown; -1 for none. */
int view_band_lane(const struct view_lab *v, int run);
/* The display rows in order into rows (at most max; rows may be NULL);
 * returns how many there are. */
int view_rows_list(const struct view_lab *v, int *rows, int max);
/* The first of nrows display rows shown in visible rows at scroll (< 0:
 * following the newest), and in *sticky whether its band's header is
 * pinned above it. */
int view_rows_first(const int *rows, int nrows, int scroll, int visible, bool *sticky);

/* The rows under the strip: the timeline (top line, rows, axis), then the
 * cores (with the run table beside or under them: mid_h in all), then the
 * lesson pane. */
struct view_plan_rows {
	int tl_h, core_rows, mid_h, lesson_min;
	bool grid;			/* the cores as a grid of small bars */
	bool cores;			/* the cores are drawn (rows, bars or grid) */
};

/* The lab screen's layout (view_plan.c). */
struct view_plan {
	bool compact;			/* below 34 rows: the status on the timeline */
	int legend_h;			/* the legend's lines */
	int bottom;			/* the legend's first row */
	int strip_y, vrows;		/* the strip's row, its verdict's rows */
	bool fold;			/* each band's GIL lane on its header */
	int y;				/* the timeline's top row */
	struct view_plan_rows rows;
};

/* Where the parts of the lab screen go on c (the focus mode's timeline
 * takes every row from 2 to bottom). */
void view_plan(const struct canvas *c, const struct view_lab *v, struct view_plan *p);

#endif
