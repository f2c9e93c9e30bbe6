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
#include <stdint.h>

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

/* view_marks.c: cells of the bare band line on row y from x, at most max,
 * going right (dir 1) or left (-1). */
int view_bare_cells(struct canvas *c, int x, int y, int max, int dir);
/* A marker in the cell of the pause at *prev: drawn beside it (after it
 * before lim, else before it, not before free_from); *lead where a text on
 * its left ends.  False when neither side is free. */
bool view_marker_beside_pause(struct canvas *c, int x, int y, int lim, int free_from,
    int *prev, int *lead);

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

/* A stretch of a band in cells: n cells of bucket ns from `from`
 * (monotonic; the cells lie on the folded clock: trace_fold) to `to`. */
struct view_span {
	uint64_t from, to, bucket;
	int n;
	int shown;	/* the first cells drawn (a zoom covers the others) */
	bool part;	/* a part of the band (the zoom): no fit over the whole row */
};
/* view_marks.c: each print of task slot (TRACE_MARK_PRINT) in sp, on its
 * row at x, y: the print's number (last digit) where it printed. */
void view_draw_prints(struct canvas *c, const struct view_lab *v, int slot,
    const struct view_span *sp, int x, int y);
/* A band's lock lane over a span: who holds the lock in each cell. */
struct view_hold {
	int lane;	/* the lane's slot, -1: the band has none */
	int16_t *who;	/* per cell: the holder's slot + 1, 0 free */
	uint8_t *inst;	/* per cell: 1 where who is the holder at an instant in
			 * it (a step's end, the live end), not its longest */
};
/* The zoom of a paused run's lock lane at the timeline's right end. */
struct view_zoom {
	int run;	/* the run zoomed, -1: no zoom */
	int lane;	/* its lock lane */
	int w;		/* columns: a blank, then sp.n cells */
	struct view_span sp;
};

/* A band's cells of bucket ns, at most cols (at least 1). */
int view_band_cells(const struct view_band *b, int cols, uint64_t bucket);
/* The cell width that fits the longest band into cols. */
uint64_t view_fit_bucket(const struct view_band *bands, int cols);

/* The first lock lane of run, -1 for none. */
int view_run_lock_lane(const struct view_lab *v, int run);
/* Lock lane `lane` over sp: in who[b] the holder (slot + 1) of cell b, 0
 * where the lane draws it free -- holders dithered in proportion to their
 * time, but where a pause began and at the lane's live end the holder at
 * that instant (then inst[b] is 1; inst may be NULL). */
void view_lane_hold(const struct view_lab *v, int lane, const struct view_span *sp,
    int16_t *who, uint8_t *inst);
/* run's lock lane over sp into h (h->who NULL without one); free with
 * view_hold_free. */
void view_hold_init(struct view_hold *h, const struct view_lab *v, int run,
    const struct view_span *sp);
void view_hold_free(struct view_hold *h);
/* Whether a zoom is drawn (z->run >= 0): paused, in a run with a lock lane
 * in progress, where the timeline's cells (cols of bucket ns) show a turn
 * in less than a few cells. */
void view_zoom_find(const struct view_lab *v, const struct view_band *bands, int cols,
    uint64_t bucket, struct view_zoom *z);
/* The pauses (where the steps stopped) in the zoom's cells from x, on the
 * band's line at y. */
void view_zoom_marks(struct canvas *c, const struct view_lab *v, const struct view_zoom *z,
    int x, int y);
/* The zoom's scale under its columns (from x, its blank) on the axis at y. */
void view_zoom_axis(struct canvas *c, const struct view_zoom *z, int x, int y);

#endif
