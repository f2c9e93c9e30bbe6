/*
 * view_step: a GIL step made visible, and the lock lane's cells that the
 * lane's row and its threads' rows share.
 *
 * At the lab's scale (50-200 ms a cell) one GIL switch (5 ms) changes at
 * most the last cell.  So while paused, the run in progress that has a
 * lock lane gets a zoom at the timeline's right end: its last holder
 * changes at about a millisecond a cell, every row of its band drawn at
 * that scale, the pauses (where each step stopped) on its header line.
 * A step then draws as the holder changing -- GIL 11111222 -- under a
 * pause mark, with the thread rows agreeing.  The zoom covers the band's
 * right end, so the cells left of it stay as they were, and it leaves with
 * the pause.
 *
 * Which holder a lane cell shows, and what that tells the thread rows, is
 * lane_hold's (the SVG draws the same): holders in proportion to their
 * time, the holder at the instant where a pause began (a step's end) and
 * at the lane's live end; a thread the lane names is never drawn waiting
 * for the lock there.
 */
#include "lane_hold.h"
#include "trace.h"
#include "util.h"
#include "view.h"
#include "view_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZOOM_MIN_NS 1000000ULL	/* a zoom cell: at least 1 ms */
#define ZOOM_COLS_MIN 12	/* the zoom's columns, its blank included */
#define ZOOM_COLS_MAX 32
#define ZOOM_TIMELINE_MIN 40	/* cells the timeline needs for a zoom */

int
view_run_lock_lane(const struct view_lab *v, int run)
{
	return lane_hold_find(v->tr, run);
}

static struct lane_cells
span_cells(const struct view_span *sp)
{
	return (struct lane_cells){ sp->from, sp->to, sp->bucket, sp->n };
}

void
view_lane_hold(const struct view_lab *v, int lane, const struct view_span *sp, int16_t *who,
    uint8_t *inst)
{
	struct lane_cells lc = span_cells(sp);

	lane_hold(v->tr, lane, &lc, who, inst, NULL);
}

void
view_hold_init(struct view_hold *h, const struct view_lab *v, int run,
    const struct view_span *sp)
{
	h->lane = view_run_lock_lane(v, run);
	h->who = NULL;
	h->inst = NULL;
	if (h->lane < 0 || sp->n < 1)
		return;
	h->who = xmalloc(sizeof *h->who * (size_t)sp->n);
	h->inst = xmalloc((size_t)sp->n);
	view_lane_hold(v, h->lane, sp, h->who, h->inst);
}

void
view_hold_free(struct view_hold *h)
{
	free(h->who);
	free(h->inst);
	h->who = NULL;
	h->inst = NULL;
	h->lane = -1;
}

/* The smallest 1/2/5 x 10^k ns at least ns (and at least ZOOM_MIN_NS). */
static uint64_t
zoom_nice(uint64_t ns)
{
	for (uint64_t b = ZOOM_MIN_NS;; b *= 10)
		for (int m = 1; m <= 5; m += m == 1 ? 1 : 3)
			if (b * (uint64_t)m >= ns)
				return b * (uint64_t)m;
}

/* When the holder before the last one took the lock (0: no change seen):
 * the zoom shows from there, so the last switch has a holder on each side. */
static uint64_t
previous_turn(const struct view_lab *v, int lane, uint64_t to)
{
	struct trace_interval *iv;
	int n = trace_task_intervals(v->tr, lane, to, &iv), changes = 0;
	uint32_t cur = 0;
	uint64_t t = 0;

	for (int i = n - 1; i >= 0 && changes < 2; i--) {
		if (iv[i].state != TRACE_RUN || iv[i].arg == 0)
			continue;
		if (iv[i].arg != cur) {
			changes++;
			cur = iv[i].arg;
		}
		t = iv[i].start;
	}
	free(iv);
	return changes >= 2 ? t : 0;
}

void
view_zoom_find(const struct view_lab *v, const struct view_band *bands, int cols,
    uint64_t bucket, struct view_zoom *z)
{
	int run = -1;
	uint64_t span, from, fto, zb;
	enum trace_state st;

	z->run = -1;
	if (!v->paused || cols < ZOOM_TIMELINE_MIN)
		return;
	for (int r = 0; r < LAB_MAX_RUNS; r++)
		if (bands[r].used && v->runs[r].state == VIEW_RUN_RUNNING)
			run = r;
	if (run < 0 || (z->lane = view_run_lock_lane(v, run)) < 0)
		return;
	st = trace_task_state(v->tr, z->lane);
	if (st == TRACE_DONE || st == TRACE_FAILED)
		return;
	z->w = UTIL_MAX(ZOOM_COLS_MIN, UTIL_MIN(ZOOM_COLS_MAX, cols / 3));
	z->sp.n = z->w - 1;
	z->sp.shown = z->sp.n;
	z->sp.part = true;
	z->sp.to = bands[run].end;
	from = previous_turn(v, z->lane, z->sp.to);
	fto = trace_fold(v->tr, z->sp.to);
	/* the last two turns in the zoom with a quarter to spare; none seen
	 * yet: the finest scale */
	span = from > 0 && trace_fold(v->tr, from) < fto ? fto - trace_fold(v->tr, from) : 0;
	zb = zoom_nice((span + span / 4) / (uint64_t)z->sp.n + 1);
	if (zb * 4 > bucket)
		return;	/* the lab's own cells show a turn in several cells */
	z->sp.bucket = zb;
	z->sp.from = trace_unfold(v->tr, fto > zb * (uint64_t)z->sp.n ?
	    fto - zb * (uint64_t)z->sp.n : 0);
	z->run = run;
}

void
view_zoom_marks(struct canvas *c, const struct view_lab *v, const struct view_zoom *z,
    int x, int y)
{
	int np = trace_npauses(v->tr);
	struct lane_cells lc = span_cells(&z->sp);

	for (int i = 0; i < np; i++) {
		uint64_t start, end;
		int b;

		if (!trace_get_pause(v->tr, i, &start, &end) || start <= z->sp.from ||
		    start > z->sp.to)
			continue;
		b = lane_hold_cell(v->tr, &lc, start - 1);
		if (b >= 0)
			canvas_put(c, x + b, y, canvas_glyph(c, CG_VLINE), CC_DIM, CA_BOLD);
	}
}

void
view_zoom_axis(struct canvas *c, const struct view_zoom *z, int x, int y)
{
	unsigned long long ms = (unsigned long long)(z->sp.bucket / 1000000ULL);
	char lab[48];

	canvas_fill(c, x, y, z->w, 1, ' ', CC_DEFAULT, 0);
	/* the longest form that fits whole */
	snprintf(lab, sizeof lab, "zoom: %llums a cell", ms);
	if ((int)strlen(lab) > z->w - 1)
		snprintf(lab, sizeof lab, "zoom %llums/cell", ms);
	canvas_text(c, x + 1, y, z->w - 1, lab, CC_MARK, CA_BOLD);
}
