/*
 * view_strip: the lab's headline figures and verdict under the header, and
 * the lesson reader.  The strip is what a room reads from the back: every
 * headline in full at any size from 80x24 (words wrap, numbers are never
 * cut), then one sentence on whether this run showed the lesson.  The
 * reader gives the explanation the whole screen instead of a few lines.
 */
#include "fmt.h"
#include "verdict.h"
#include "view.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether text fits w x rows when wrapped. */
static bool
fits(const char *text, int w, int rows, bool ascii)
{
	struct canvas *t = canvas_create(w, rows + 1, ascii);
	bool ok = canvas_wrap(t, 0, 0, w, rows + 1, text, CC_DEFAULT, 0) <= rows;

	canvas_destroy(t);
	return ok;
}

/* Whether the words of s[0, n) end well before a cut: not on a number
 * (its noun is cut off: "other programs 79 % ... (l)"), nor inside
 * parentheses. */
static bool
good_end(const char *s, size_t n, size_t last)
{
	int open = 0;

	for (size_t i = 0; i < n; i++)
		open += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
	for (size_t i = last; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return false;
	return open <= 0;
}

/* The verdict cut to w x rows with " ... (l)" after it (the reader has it
 * whole): at the end of a phrase (after its ':', ';' or '.') where one
 * fits -- walk 7 H7: "...: computing threads took about tasks ... (l)" cut
 * an expectation's meaning in two -- else whole words, never ending on a
 * number or inside parentheses where an earlier end does (else the last
 * whole words that fit); never before the judgement where words reach it. */
static void
cut_verdict(const char *text, int w, int rows, bool ascii, char *out, size_t len)
{
	static const char *const judged[] = { "showed the lesson", "did not show", "not judged" };
	const char *more = ascii ? " ... (l)" : " \xe2\x80\xa6 (l)";
	size_t best = 0, any = 0, phrase = 0, p = 0, must = 0;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(judged); i++) {
		const char *j = strstr(text, judged[i]);

		if (j != NULL && (must == 0 || (size_t)(j - text) + strlen(judged[i]) < must))
			must = (size_t)(j - text) + strlen(judged[i]);
	}

	while (text[p] != '\0') {
		size_t start;
		int cols;

		while (text[p] == ' ' || text[p] == '\n')
			p++;
		start = p;
		p += (size_t)fmt_word(text + p, &cols);
		if (p == start || p + strlen(more) + 1 > len)
			break;
		memcpy(out, text, p);
		util_strlcpy(out + p, more, len - p);
		if (!fits(out, w, rows, ascii))
			break;
		any = p;
		if (good_end(text, p, start))
			best = p;
		if (strchr(":;.", text[p - 1]) != NULL && good_end(text, p, p))
			phrase = p;	/* a whole phrase: its numbers with their nouns */
	}
	/* never before the judgement ("showed the lesson", "did not show",
	 * "not judged") where whole words reach it: a phrase end before it
	 * left "You said 1 -- not quite: the answer is 2. ... (l)" */
	if (phrase > 0 && phrase >= must)
		best = phrase;
	if (best < must && any >= must)
		best = any;
	if (best == 0)
		best = any;
	memcpy(out, text, best);
	util_strlcpy(out + best, more, len - best);
}

/* Draw the strip into t from row 0, the verdict in at most vrows rows. */
static int
strip_into(struct canvas *t, const struct view_lab *v, int w, int vrows)
{
	int used = 0;

	for (int i = 0; i < v->nheadlines && used < t->h; i++) {
		/* a headline whose figures miss the lesson: the mark the
		 * verdict names, not a row more for it at 80x24 */
		if (v->headline_off[i] == VERDICT_MARK_LESSON)
			canvas_put(t, 0, used, VERDICT_OFF_MARK, CC_WARN, CA_BOLD);
		else if (v->headline_off[i] == VERDICT_MARK_SIDE)
			canvas_put(t, 0, used, VERDICT_SIDE_MARK, CC_WARN, 0);
		else
			canvas_put(t, 0, used, t->ascii ? '>' : 0x25b8, CC_MARK, CA_BOLD);
		used += canvas_wrap(t, 2, used, w - 2, t->h - used, v->headlines[i],
		    CC_DEFAULT, CA_BOLD);
	}
	/* the verdict in at most vrows rows (the reader has it whole): the
	 * timeline keeps its rows when several expectations failed */
	if (v->verdict != NULL && used < t->h) {
		int color = v->verdict_failed ? CC_WARN : CC_RUN;
		int rows = UTIL_MIN(vrows, t->h - used);
		char cut[1024];

		if (!fits(v->verdict, w, rows, t->ascii)) {
			cut_verdict(v->verdict, w, rows, t->ascii, cut, sizeof cut);
			used += canvas_wrap(t, 0, used, w, rows, cut, color, CA_BOLD);
		} else {
			used += canvas_wrap(t, 0, used, w, rows, v->verdict, color, CA_BOLD);
		}
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
