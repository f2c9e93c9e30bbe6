/*
 * view_lesson: the lab screen's lesson pane -- the question and choices
 * before the run (asking for a prediction), the student's answer beside
 * them, the explanation after, paged; beside it the tasks' output and the
 * load generators' live figures.  The reader (view_strip.c) has the whole
 * explanation; this pane gets the rows the timeline does not need.
 */
#include "fmt.h"
#include "trace.h"
#include "util.h"
#include "view.h"

#include <stdio.h>
#include <string.h>

/* The output pane in h rows: short lines side by side ("d0 a0 c0 d1"),
 * a line wider than the pane on its own row.  While the lab runs, the
 * newest rows; once it is done, from the first line (walk 4 #11:
 * interleave's lesson is the order of its first rounds, and the pane
 * showed only the last 9 of 15 lines), "+N more" where the rest is cut. */
static void
draw_output(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	int start[64 + 1], nrows = 0, first, shown;

	if (h < 2 || w < 8)
		return;
	canvas_printf(c, x, y, w, CC_TITLE, CA_BOLD, "Output (%d line%s)", v->nout,
	    v->nout == 1 ? "" : "s");
	for (int i = 0, col = w; i < v->nout; i++) {
		int len = fmt_cols(v->out[i]);

		if (col + 1 + len > w && nrows < 64) {	/* a new row */
			start[nrows++] = i;
			col = len;
		} else {
			col += 1 + len;
		}
	}
	start[nrows] = v->nout;
	first = v->running || nrows <= h - 1 ? UTIL_MAX(0, nrows - (h - 1)) : 0;
	shown = UTIL_MIN(nrows - first, h - 1);
	for (int r = 0; r < shown; r++) {
		int col = 0;

		if (!v->running && r == shown - 1 && first + shown < nrows) {
			/* the lines not shown, counted */
			canvas_printf(c, x, y + 1 + r, w, CC_DIM, 0, "+%d more",
			    v->nout - start[first + r]);
			break;
		}
		for (int i = start[first + r]; i < start[first + r + 1]; i++)
			col += 1 + canvas_text(c, x + col, y + 1 + r, w - col, v->out[i],
			    CC_DEFAULT, 0);
	}
}

/* One client's sparkline of requests per second, scaled to its own peak. */
static void
draw_spark(struct canvas *c, const struct meter *m, int x, int y, int w)
{
	int first = m->n > w ? m->n - w : 0;
	float peak = 0;

	for (int i = first; i < m->n; i++)
		peak = m->hist[i] > peak ? m->hist[i] : peak;
	for (int i = first; i < m->n; i++) {
		int level = peak > 0 ? (int)(m->hist[i] / peak * 7 + 0.5f) : 0;

		canvas_put(c, x + i - first, y, canvas_glyph(c, CG_SPARK0 + UTIL_MIN(7, level)),
		    CC_BAR, 0);
	}
}

/* The load generators: requests per second over time (perf2) and the
 * latest latency (perf1); returns the rows used. */
static int
draw_meters(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	int row = 1;

	if (v->nmeters == 0 || h < 2)
		return 0;
	canvas_text(c, x, y, w, "Clients", CC_TITLE, CA_BOLD);
	for (int i = 0; i < v->nmeters && row < h - 1; i++, row++) {
		const struct meter *m = &v->meters[i];
		char num[FMT_NUM_LEN];
		int sw = w - 8 - 9;

		canvas_printf(c, x, y + row, 8, CC_DEFAULT, 0, "%-8.8s", m->name);
		if (m->kind == TRACE_METER_LATENCY) {
			if (m->count == 0)
				canvas_text(c, x + 8, y + row, w - 8, "no reply yet", CC_LOCK, 0);
			else
				canvas_printf(c, x + 8, y + row, w - 8, CC_DEFAULT, 0,
				    "latency %s", (fmt_time(num, sizeof num, m->value_s, c->ascii), num));
			continue;
		}
		if (sw >= 4)
			draw_spark(c, m, x + 8, y + row, sw);
		fmt_thousands(num, sizeof num, m->rate, 0);
		canvas_printf(c, x + w - 9, y + row, 9, CC_DEFAULT, 0, "%7s/s", num);
	}
	return row + 1;
}

/* The last used column + 1 of row y of t from x (0: blank row). */
static int
row_end(struct canvas *t, int x, int y)
{
	int end = 0;

	for (int col = x; col < t->w; col++) {
		const struct canvas_cell *cell = canvas_cell(t, col, y);

		if (cell != NULL && cell->ch != ' ')
			end = col - x + 1;
	}
	return end;
}

/* The student's choice `line` at row y of t, w wide, with the marker on
 * its last row, never split from it: the text is wrapped narrower when the
 * marker would not fit after it.  Returns the rows used. */
static int
answer_into(struct canvas *t, int y, int w, const char *line)
{
	static const char marker[] = "   <- your answer";
	int mw = (int)sizeof marker - 1, tw = w - 2, rows;

	rows = canvas_wrap(t, 2, y, tw, t->h - y, line, CC_SELECT, CA_BOLD);
	if (rows > 0 && row_end(t, 2, y + rows - 1) + mw > tw && tw > 2 * mw) {
		canvas_fill(t, 2, y, tw, rows, ' ', CC_DEFAULT, 0);
		rows = canvas_wrap(t, 2, y, tw - mw, t->h - y, line, CC_SELECT, CA_BOLD);
	}
	if (rows > 0)
		canvas_text(t, 2 + row_end(t, 2, y + rows - 1), y + rows - 1,
		    tw - row_end(t, 2, y + rows - 1), marker, CC_SELECT, CA_BOLD);
	return rows;
}

/* The question and its choices, w wide, from the top of t; the rows used. */
static int
question_into(struct canvas *t, const struct view_lab *v, int w)
{
	const struct lab *lab = v->lab;
	int used = canvas_wrap(t, 0, 0, w, t->h, v->question != NULL ? v->question :
	    lab->question, CC_DEFAULT, 0);

	for (int i = 0; i < lab->nchoices && used < t->h; i++) {
		char line[1024];
		bool mine = v->predict == i + 1;

		snprintf(line, sizeof line, "%d) %s", i + 1, v->choices[i] != NULL ?
		    v->choices[i] : lab->choices[i]);
		if (mine)
			used += answer_into(t, used, w, line);
		else
			used += canvas_wrap(t, 2, used, w - 2, t->h - used, line,
			    CC_DEFAULT, 0);
	}
	return used;
}

/* Rows the question pane wants at width w: its title, the question, and
 * every choice (0 when there is nothing to ask). */
int
view_question_rows(const struct canvas *c, const struct view_lab *v, int w)
{
	struct canvas *t;
	int used;

	if (v->lab->question == NULL || v->explain != NULL || w < 10)
		return 0;
	t = canvas_create(w, 100, c->ascii);
	used = question_into(t, v, w);
	canvas_destroy(t);
	return used + 1;
}

/* Copy rows first.. of t into c at x, y (h rows, w wide). */
static void
blit_rows(struct canvas *c, const struct canvas *t, int first, int used, int x, int y,
    int w, int h)
{
	for (int r = 0; r < h && first + r < used; r++)
		for (int col = 0; col < w; col++) {
			struct canvas_cell *to = canvas_cell(c, x + col, y + r);

			if (to != NULL)
				*to = *canvas_cell((struct canvas *)t, col, first + r);
		}
}

/* The question and choices before the run (asking for a prediction), the
 * student's answer beside the measured numbers and the explanation after. */
void
view_lesson(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	const struct lab *lab = v->lab;
	int used;

	if (h < 1)
		return;
	if ((v->nout > 0 || v->nmeters > 0) && w >= 60) {
		int ow = UTIL_MIN(OUTPANE_LINE_LEN, w / 3);
		int mh = draw_meters(c, v, x + w - ow, y, ow, h);

		draw_output(c, v, x + w - ow, y + mh, ow, h - mh);
		w -= ow + 2;
	}
	if (v->explain != NULL) {
		/* The lesson is drawn whole into a tall canvas, then the rows from
		 * the scroll position are copied: PgUp/PgDn page through it. */
		struct canvas *t = canvas_create(w, 200, c->ascii);
		int first;

		used = canvas_wrap(t, 0, 0, w, t->h, v->explain, CC_DEFAULT, 0);
		for (int i = 0; i < lab->ntries && used < t->h; i++) {
			char line[1024];

			snprintf(line, sizeof line, "Try: %s", lab->tries[i]);
			used += canvas_wrap(t, 0, used, w, t->h - used, line, CC_SELECT, 0);
		}
		first = UTIL_MAX(0, UTIL_MIN(v->lesson_scroll, used - (h - 1)));
		if (used > h - 1)
			canvas_printf(c, x, y, w, CC_TITLE, CA_BOLD,
			    "What happened  (lines %d-%d of %d: PgUp/PgDn)", first + 1,
			    UTIL_MIN(used, first + h - 1), used);
		else
			canvas_text(c, x, y, w, "What happened", CC_TITLE, CA_BOLD);
		blit_rows(c, t, first, used, x, y + 1, w, h - 1);
		canvas_destroy(t);
		return;
	}
	if (lab->question == NULL)
		return;
	{
		/* Drawn whole, then paged like the lesson: no choice is ever cut. */
		struct canvas *t = canvas_create(w, 100, c->ascii);
		const char *title = v->asking ? "Predict first: press the number of your "
		    "answer (s to skip)" : v->running ? "Question (while it runs)" : "Question";
		int first;

		used = question_into(t, v, w);
		first = UTIL_MAX(0, UTIL_MIN(v->lesson_scroll, used - (h - 1)));
		if (used > h - 1)
			canvas_printf(c, x, y, w, v->asking ? CC_MARK : CC_TITLE, CA_BOLD,
			    "%s  (%d-%d of %d: PgDn)", v->asking ? "Predict first" : "Question",
			    first + 1, UTIL_MIN(used, first + h - 1), used);
		else
			canvas_text(c, x, y, w, title, v->asking ? CC_MARK : CC_TITLE, CA_BOLD);
		blit_rows(c, t, first, used, x, y + 1, w, h - 1);
		canvas_destroy(t);
	}
}
