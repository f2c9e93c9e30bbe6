/*
 * view_plan: where the lab screen's parts go, row by row, before anything
 * is drawn (view.c draws them).  From the top: the title, the status (on
 * the timeline's top line below 34 rows: compact), the headline strip, the
 * timeline, the cores beside or above the run table, the lesson, the
 * legend (one or two lines) and the key line.  The timeline comes first:
 * it keeps the rows that show 8 task rows, and on a larger terminal at
 * least the rows it has at 80x24 -- the extra space goes to it, never
 * fewer rows on a larger screen.
 */
#include "canvas.h"
#include "util.h"
#include "view.h"
#include "view_int.h"

#include <string.h>

static int smallest_timeline(const struct canvas *c, const struct view_lab *v);

/* Share the rows from y down to the legend at row bottom.  The timeline
 * comes first: it keeps the rows that show 8 task rows (or all of them)
 * following the newest, and on a screen larger than 80x24 at least the
 * rows it has there, so a larger terminal never shows fewer. */
static void
plan_rows(const struct canvas *c, const struct view_lab *v, int y, int bottom,
    bool compact, struct view_plan_rows *p)
{
	int nruns = v->lab->nruns, ntasks = trace_ntasks(v->tr);
	int need = view_timeline_need(v, 8) + 2;

	if (!compact && (c->w > VIEW_MIN_W || c->h > VIEW_MIN_H))
		need = UTIL_MAX(need, smallest_timeline(c, v));
	p->grid = v->ncpu > UTIL_MAX(nruns + 1, 4);
	if (p->grid) {
		p->core_rows = (v->ncpu + c->w / 13 - 1) / UTIL_MAX(1, c->w / 13);
		p->core_rows = UTIL_MIN(p->core_rows, c->h / 4);
		p->mid_h = p->core_rows + (compact ? 0 : UTIL_MIN(nruns + 1, c->h / 6));
	} else if (compact) {
		p->mid_h = p->core_rows = UTIL_MIN(v->ncpu, c->h / 8);
	} else {
		p->core_rows = 0;
		p->mid_h = UTIL_MIN(UTIL_MAX(v->ncpu, nruns + 1), c->h / 4);
	}
	if (compact) {
		/* Below 34 rows the lesson opens in the reader and the numbers
		 * are in the strip and the band headers.  Once no run goes the
		 * band headers say how busy the cores were: the cores rows give
		 * way to the timeline's task rows, then the output pane. */
		p->lesson_min = (v->nout > 0 || v->nmeters > 0) ? 4 : 0;
		if (!v->running && bottom - y - p->mid_h - (p->lesson_min > 0) -
		    p->lesson_min < need)
			p->mid_h = p->core_rows = 0;
		if (bottom - y - p->mid_h - (p->lesson_min > 0) - p->lesson_min < need)
			p->lesson_min = 0;
	} else {
		/* The lesson pane keeps a few lines (the reader, l, has it
		 * whole) and gets the rows the timeline does not need. */
		p->lesson_min = !v->finished && c->h >= 40 ? 8 : 4;
		/* beside a run, the question no taller than it is (its choices
		 * are few; the output and clients' panes want their rows) */
		if (!v->finished && v->nout == 0 && v->nmeters == 0 &&
		    view_question_rows(c, v, c->w - 2) > 0)
			p->lesson_min = UTIL_MIN(p->lesson_min,
			    UTIL_MAX(4, view_question_rows(c, v, c->w - 2)));
		/* Before the run the whole question and every choice, if the
		 * timeline can keep three rows (else the question pages with
		 * PgDn); the timeline keeps up to four task rows beside it. */
		if (v->asking || ntasks == 0) {
			p->lesson_min = UTIL_MAX(p->lesson_min, UTIL_MIN(view_question_rows(c, v,
			    c->w - 2), bottom - y - p->mid_h - 1 - 3));
			need = UTIL_MIN(UTIL_MAX(ntasks, 1), 4) + 2;
		}
		p->lesson_min = UTIL_MAX(4, UTIL_MIN(p->lesson_min,
		    bottom - y - p->mid_h - 1 - need));
	}
	/* what the timeline does not need goes to the lesson */
	p->tl_h = bottom - y - p->mid_h - (p->lesson_min > 0) - p->lesson_min;
	p->tl_h = UTIL_MIN(p->tl_h, UTIL_MAX(view_timeline_rows(v), 3) + 2);
	p->tl_h = UTIL_MAX(p->tl_h, 3);
	/* Rows neither the timeline nor the lesson needs go to a run table
	 * with more runs than rows (convoy's 11 at 120x40 showed 9 above 14
	 * blank rows): the question keeps its rows, the lesson its minimum. */
	if (!compact && !p->grid) {
		int keep = UTIL_MAX(p->lesson_min, v->explain == NULL ?
		    view_question_rows(c, v, c->w - 2) : 0);
		int spare = bottom - y - p->tl_h - p->mid_h - 1 - keep;

		p->mid_h += UTIL_MAX(0, UTIL_MIN(nruns + 1 - p->mid_h, spare));
	}
	p->cores = (compact || p->grid ? p->core_rows : p->mid_h) > 0;
}

/* The row under the headline strip at row y (its verdict in two rows). */
static int
strip_under(const struct canvas *c, const struct view_lab *v, int y)
{
	return y + UTIL_MIN(view_strip_rows(c, v, c->w - 2, 2), c->h / 2 - 4);
}

/* The legend's lines: two where one line would need its tightest forms
 * and the second takes a row from the lesson or blank rows, not from the
 * timeline or the cores (in focus, rows the timeline does not need); or
 * where one line cannot hold it at all, if the timeline keeps its 8 task
 * rows. */
static int
legend_rows(const struct canvas *c, const struct view_lab *v, int y, bool started,
    bool compact)
{
	struct view_plan_rows one, two;

	if (v->focus && view_legend_lines(c, v, false, c->w, 2) < 2)
		return 1;
	if (v->focus)
		return view_timeline_rows(v) + 2 <= c->h - 5 ||
		    view_legend_lines(c, v, false, c->w, 1) > 1 ? 2 : 1;
	if (started)
		y = strip_under(c, v, y);
	plan_rows(c, v, y, c->h - 2, compact, &one);
	if (view_legend_lines(c, v, one.cores, c->w, 2) < 2)
		return 1;
	plan_rows(c, v, y, c->h - 3, compact, &two);
	if (two.cores != one.cores)
		return 1;
	if (two.tl_h == one.tl_h)
		return 2;
	return view_legend_lines(c, v, one.cores, c->w, 1) > 1 &&
	    two.tl_h >= view_timeline_need(v, 8) + 2 ? 2 : 1;
}

void
view_plan(const struct canvas *c, const struct view_lab *v, struct view_plan *p)
{
	bool started = !v->asking && trace_ntasks(v->tr) > 0;
	struct view_plan_rows r;

	memset(p, 0, sizeof *p);
	/* A short screen puts the status on the timeline's top line (and may
	 * cut the verdict to one row): the timeline keeps the rows. */
	p->compact = c->h < 34 && started && (v->nheadlines > 0 || v->verdict != NULL) &&
	    !v->focus;
	p->strip_y = p->compact ? 1 : 2;
	p->legend_h = legend_rows(c, v, p->strip_y, started, p->compact);
	p->bottom = c->h - 1 - p->legend_h;	/* over the legend and key lines */
	p->y = p->strip_y;
	if (v->focus)
		return;
	if (started) {
		/* A timeline too short for all its rows draws each band's GIL
		 * holders on its header's line; on a short screen the verdict
		 * keeps its second row only where the timeline keeps its 8 task
		 * rows all the same. */
		int under = strip_under(c, v, p->strip_y);
		struct view_lab folded;

		plan_rows(c, v, under, p->bottom, p->compact, &r);
		if (r.tl_h - 2 < view_timeline_rows(v)) {
			folded = *v;
			folded.fold_lanes = p->fold = true;
			v = &folded;
		}
		p->vrows = p->compact && p->bottom - under < view_timeline_need(v, 8) + 2 ? 1 : 2;
		p->y += UTIL_MIN(view_strip_rows(c, v, c->w - 2, p->vrows), c->h / 2 - 4);
		plan_rows(c, v, p->y, p->bottom, p->compact, &p->rows);
		return;
	}
	plan_rows(c, v, p->y, p->bottom, p->compact, &p->rows);
}

/* The rows the timeline has (its top line and axis included) on an 80x24
 * screen showing the same. */
static int
smallest_timeline(const struct canvas *c, const struct view_lab *v)
{
	struct canvas *small = canvas_create(VIEW_MIN_W, VIEW_MIN_H, c->ascii);
	struct view_plan p;

	view_plan(small, v, &p);
	canvas_destroy(small);
	return p.rows.tl_h;
}
