/*
 * view_strip: the lab's headline figures and verdict under the header, and
 * the lesson reader.  The strip is what a room reads from the back: every
 * headline in full at any size from 80x24 (words wrap, numbers are never
 * cut), then one sentence on whether this run showed the lesson.  The
 * reader gives the explanation the whole screen instead of a few lines.
 */
#include "fmt.h"
#include "view.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Draw the strip into t from row 0, the verdict in at most vrows rows. */
static int
strip_into(struct canvas *t, const struct view_lab *v, int w, int vrows)
{
	int used = 0;

	for (int i = 0; i < v->nheadlines && used < t->h; i++) {
		canvas_put(t, 0, used, t->ascii ? '>' : 0x25b8, CC_MARK, CA_BOLD);
		used += canvas_wrap(t, 2, used, w - 2, t->h - used, v->headlines[i],
		    CC_DEFAULT, CA_BOLD);
	}
	/* the verdict in at most vrows rows (the reader has it whole): the
	 * timeline keeps its rows when several expectations failed */
	if (v->verdict != NULL && used < t->h) {
		int color = v->verdict_failed ? CC_WARN : CC_RUN;
		int rows = canvas_wrap(t, 0, used, w, UTIL_MIN(vrows, t->h - used), v->verdict,
		    color, CA_BOLD);
		struct canvas *all = canvas_create(w, 20, t->ascii);

		if (canvas_wrap(all, 0, 0, w, all->h, v->verdict, color, 0) > rows) {
			int r = used + rows - 1, end = w;

			/* after the last word (and canvas_wrap's own ellipsis) */
			while (end > 0 && (canvas_cell(t, end - 1, r)->ch == ' ' ||
			    canvas_cell(t, end - 1, r)->ch == (t->ascii ? FMT_CUT_ASCII : 0x2026)))
				end--;
			if (end > w - 8) {
				/* no word cut in half: back to the blank before it */
				end = w - 8;
				while (end > 0 && canvas_cell(t, end, r)->ch != ' ')
					end--;
				while (end > 0 && canvas_cell(t, end - 1, r)->ch == ' ')
					end--;
			}
			canvas_fill(t, end, r, w - end, 1, ' ', color, CA_BOLD);
			canvas_text(t, end, r, w - end, t->ascii ? " ... (l)" : " \xe2\x80\xa6 (l)",
			    color, CA_BOLD);
		}
		canvas_destroy(all);
		used += rows;
	}
	return used;
}

int
view_strip_rows(const struct canvas *c, const struct view_lab *v, int w, int vrows)
{
	struct canvas *t;
	int used;

	if (v->nheadlines == 0 && v->verdict == NULL)
		return 0;
	t = canvas_create(w, 40, c->ascii);
	used = strip_into(t, v, w, vrows);
	canvas_destroy(t);
	return used;
}

int
view_strip(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h,
    int vrows)
{
	struct canvas *t;
	int used;

	if (h < 1 || (v->nheadlines == 0 && v->verdict == NULL))
		return 0;
	t = canvas_create(w, 40, c->ascii);
	used = UTIL_MIN(strip_into(t, v, w, vrows), h);
	for (int r = 0; r < used; r++)
		for (int col = 0; col < w; col++) {
			struct canvas_cell *to = canvas_cell(c, x + col, y + r);

			if (to != NULL)
				*to = *canvas_cell(t, col, r);
		}
	canvas_destroy(t);
	return used;
}

/* The reader's text (explanation, then the tries) wrapped into t, w wide;
 * returns its lines. */
static int
reader_text(struct canvas *t, const struct view_lab *v, int w)
{
	const struct lab *lab = v->lab;
	int used = 0;	/* the text opens with the verdict: no strip here */

	if (v->reader_text != NULL)
		used += canvas_wrap(t, 0, used, w, t->h - used, v->reader_text, CC_DEFAULT, 0);
	for (int i = 0; i < lab->ntries && used + 1 < t->h; i++) {
		char line[1024];

		snprintf(line, sizeof line, "Try: %s", lab->tries[i]);
		used += 1 + canvas_wrap(t, 0, used + 1, w, t->h - used - 1, line, CC_SELECT, 0);
	}
	return used;
}

int
view_reader_page(const struct canvas *c)
{
	return UTIL_MAX(1, c->h - 4);
}

int
view_reader_last(const struct canvas *c, const struct view_lab *v)
{
	struct canvas *t = canvas_create(c->w - 4, 400, c->ascii);
	int used = reader_text(t, v, c->w - 4);

	canvas_destroy(t);
	return UTIL_MAX(0, used - view_reader_page(c));
}

void
view_reader(struct canvas *c, const struct view_lab *v)
{
	const struct lab *lab = v->lab;
	int w = c->w - 4, h = view_reader_page(c), used, first;
	struct canvas *t = canvas_create(w, 400, c->ascii);

	canvas_clear(c);
	used = reader_text(t, v, w);
	first = UTIL_MAX(0, UTIL_MIN(v->lesson_scroll, used - h));
	canvas_fill(c, 0, 0, c->w, 1, ' ', CC_TITLE, CA_REVERSE);
	canvas_printf(c, 0, 0, c->w, CC_TITLE, CA_REVERSE | CA_BOLD,
	    " %s: what happened  (lines %d-%d of %d)", lab->id, used ? first + 1 : 0,
	    UTIL_MIN(used, first + h), used);
	for (int r = 0; r < h && first + r < used; r++)
		for (int col = 0; col < w; col++) {
			struct canvas_cell *to = canvas_cell(c, 2 + col, 2 + r);

			if (to != NULL)
				*to = *canvas_cell(t, col, first + r);
		}
	canvas_text(c, 0, c->h - 1, c->w, "Up/Down PgUp/PgDn scroll  l, Esc or q back to "
	    "the timeline  ? help", CC_KEY, 0);
	canvas_destroy(t);
}
