/*
 * view_shade: cells and bars of a core's busy share, the lab's share in
 * one shade and other programs' in another (see view_shade.h).
 */
#include "view_shade.h"

#include "ownshare.h"
#include "trace.h"
#include "util.h"

#include <stdio.h>

#define HIGH 0.85	/* a lab cell above this share is drawn hot */

static int
level(double share)
{
	return UTIL_MAX(0, UTIL_MIN((int)(share * 7.999), 7));
}

void
view_shade_cell(struct canvas *c, int x, int y, double busy, double own, double *err)
{
	bool other = false;

	if (busy < 0)
		return;
	if (own >= 0 && busy > 0) {
		/* other programs' share of this cell, carried along the row:
		 * a cell goes to them once they are owed half of one */
		*err += busy - UTIL_MIN(own, busy);
		if (*err >= busy / 2) {
			other = true;
			*err -= busy;
		}
	}
	if (other)
		canvas_put(c, x, y, canvas_glyph(c, (enum canvas_glyph)(CG_OTHER0 +
		    level(busy))), CC_OTHER, 0);
	else
		canvas_put(c, x, y, canvas_glyph(c, (enum canvas_glyph)(CG_SPARK0 +
		    level(busy))), busy > HIGH ? CC_BARHI : CC_BAR, 0);
}

void
view_shade_bar(struct canvas *c, int x, int y, int w, double busy, double own)
{
	int full = busy < 0 ? 0 : (int)(busy * w + 0.5);
	int mine = own < 0 ? full : UTIL_MIN(full, (int)(own * w + 0.5));

	for (int i = 0; i < w; i++) {
		if (i < mine)
			canvas_put(c, x + i, y, canvas_glyph(c, CG_BAR_FULL),
			    busy > 0.8 ? CC_BARHI : CC_BAR, 0);
		else if (i < full)
			canvas_put(c, x + i, y, canvas_glyph(c, CG_OTHER0 + 7), CC_OTHER, 0);
		else
			canvas_put(c, x + i, y, canvas_glyph(c, CG_BAR_EMPTY),
			    busy > 0.8 ? CC_BARHI : CC_BAR, 0);
	}
}

bool
view_shade_own_known(const struct view_lab *v)
{
	const struct core_series *cs = v->series;

	if (v->own != NULL)
		for (int i = 0; i < v->ncpu && v->cpu_ids != NULL; i++)
			if (ownshare_get(v->own, v->cpu_ids[i]) >= 0)
				return true;
	/* the last samples: the share is known from the second sample on */
	for (int i = cs != NULL ? cs->n - 1 : -1; i >= 0 && i >= cs->n - 4; i--)
		for (int k = 0; k < cs->ncpu; k++)
			if (cs->own[(size_t)i * cs->ncpu + k] >= 0)
				return true;
	return false;
}

/* Was ts inside a presenter's pause (after its start)? */
static bool
in_pause(const struct trace *tr, uint64_t ts)
{
	return ts > 0 && trace_paused_before(tr, ts) != trace_paused_before(tr, ts - 1);
}

/* The mean busy share of CPU k in [a, e) on the folded clock from the
 * series (samples taken while paused left out), and the lab's own (*own,
 * -1 unknown); -1 with no sample. */
static double
busy_between(const struct trace *tr, const struct core_series *cs, int k, uint64_t a,
    uint64_t e, int *from, double *own)
{
	double sum = 0, mine = 0;
	int n = 0, i = *from, nown = 0;

	while (i < cs->n && trace_fold(tr, cs->ts[i]) < a)
		i++;
	*from = i;
	for (; i < cs->n && trace_fold(tr, cs->ts[i]) < e; i++) {
		float b = cs->busy[(size_t)i * cs->ncpu + k];
		float o = cs->own[(size_t)i * cs->ncpu + k];

		if (b < 0 || in_pause(tr, cs->ts[i]))
			continue;
		sum += b;
		n++;
		if (o >= 0) {
			mine += o;
			nown++;
		}
	}
	*own = nown > 0 && nown == n ? mine / nown : -1;
	return n > 0 ? sum / n : -1;
}

void
view_shade_row(struct canvas *c, const struct trace *tr, const struct core_series *cs,
    int k, int x, int y, int n, uint64_t t0, uint64_t bucket)
{
	double last = -1, last_own = -1, err = 0;
	int from = 0;

	for (int b = 0; b < n; b++) {
		uint64_t a = t0 + (uint64_t)b * bucket;
		double own, busy = busy_between(tr, cs, k, a, a + bucket, &from, &own);

		if (busy < 0) {	/* samples come every frame: hold the last */
			busy = last;
			own = last_own;
		}
		last = busy;
		last_own = own;
		view_shade_cell(c, x + b, y, busy, own, &err);
	}
}

void
view_shade_note(struct canvas *c, const struct trace *tr, const struct core_series *cs,
    int k, int x, int y, int w, uint64_t t0, uint64_t t1)
{
	double busy, own;
	char note[64] = "";

	if (export_series_mean(cs, tr, k, t0, t1, &busy, &own) && busy >= 0 && own >= 0)
		snprintf(note, sizeof note, "lab %.0f%% of %.0f%%", 100 * UTIL_MIN(own, busy),
		    100 * busy);
	else if (k == 0)
		util_strlcpy(note, "busy: all programs", sizeof note);
	canvas_text(c, x, y, w, note, CC_DIM, 0);
}
