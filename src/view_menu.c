/*
 * view_menu: the list of labs.  Each lab takes two rows (id and title, then
 * its question); the list scrolls to keep the selected lab on screen.
 */
#include "util.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

/* The question of a lab on one line (drawn cut to its column with …). */
static void
one_line(const struct lab *lab, char *line, size_t len)
{
	char *nl, *q = lab_fill_params(lab, lab->question != NULL ? lab->question : "");

	util_strlcpy(line, q, len);
	free(q);
	while ((nl = strchr(line, '\n')) != NULL)
		*nl = ' ';
}

/* The status tag of lab i ("done, predicted right", "next"), or "". */
static const char *
lab_tag(const struct lab *lab, const struct progress *prog, bool next)
{
	const struct progress_entry *e = prog != NULL ? progress_get(prog, lab->id) : NULL;

	if (e == NULL || !e->done)
		return next ? "<- next" : "";
	if (e->predicted > 0 && e->correct == 1)
		return "done, predicted right";
	if (e->predicted > 0 && e->correct == 0)
		return "done, predicted wrong";
	return "done";
}

void
view_menu(struct canvas *c, const struct lab *labs, int n, int sel,
    const struct progress *prog, const char *message)
{
	int top = 3, avail = c->h - top - 3, per, rows, first = 0, next = -1, ndone = 0;
	int right = 0;
	char line[512];

	canvas_clear(c);
	if (view_too_small(c, VIEW_MIN_W, VIEW_MIN_H))
		return;
	canvas_fill(c, 0, 0, c->w, 1, ' ', CC_TITLE, CA_REVERSE);
	canvas_text(c, 0, 0, c->w, " conclab  a terminal lab for concurrency", CC_TITLE,
	    CA_REVERSE | CA_BOLD);
	for (int i = 0; i < n && prog != NULL; i++) {
		const struct progress_entry *e = progress_get(prog, labs[i].id);

		right += e != NULL && e->done && e->correct == 1;
		if (e != NULL && e->done)
			ndone++;
		else if (next < 0)
			next = i;
	}
	if (prog != NULL && next >= 0)
		canvas_printf(c, 1, 1, c->w - 2, CC_DIM, 0,
		    "%d lab%s, %d done: pick one and press Enter (next: %s)", n,
		    n == 1 ? "" : "s", ndone, labs[next].id);
	else if (prog != NULL && n > 0)
		canvas_printf(c, 1, 1, c->w - 2, CC_MARK, CA_BOLD,
		    "all %d lab%s done, %d prediction%s right: run one again with its tries "
		    "(conclab progress lists them)", n, n == 1 ? "" : "s", right,
		    right == 1 ? "" : "s");
	else
		canvas_printf(c, 1, 1, c->w - 2, CC_DIM, 0, "%d lab%s: pick one and press Enter",
		    n, n == 1 ? "" : "s");
	if (n == 0)
		canvas_text(c, 1, top, c->w - 2,
		    "No labs found (set CONCLAB_LABS to a directory of .lab files).", CC_WARN, 0);
	/* Two rows a lab (title, question) when they fit; else one row a lab
	 * and the selected lab's question below the list. */
	per = 2 * n <= avail ? 2 : 1;
	if (per == 1)
		avail -= 3;
	rows = UTIL_MAX(1, avail / per);
	if (sel >= rows)
		first = sel - rows + 1;
	for (int i = first; i < n && i - first < rows; i++) {
		int y = top + per * (i - first), col, tw;
		bool on = i == sel;
		const char *tag = lab_tag(&labs[i], prog, i == next);

		if (on)
			canvas_fill(c, 0, y, c->w, 1, ' ', CC_SELECT, CA_REVERSE);
		col = canvas_printf(c, 0, y, c->w, CC_SELECT, on ? CA_REVERSE | CA_BOLD : CA_BOLD,
		    "%s%-14s ", on ? " > " : "   ", labs[i].id);
		tw = tag[0] != '\0' ? (int)strlen(tag) + 2 : 0;
		canvas_text(c, col, y, c->w - col - tw, labs[i].title,
		    on ? CC_SELECT : CC_DEFAULT, on ? CA_REVERSE : 0);
		if (tw > 0)
			canvas_text(c, c->w - tw + 1, y, tw - 1, tag,
			    strstr(tag, "wrong") != NULL ? CC_WARN : CC_MARK,
			    on ? CA_REVERSE | CA_BOLD : CA_BOLD);
		if (per == 2) {
			one_line(&labs[i], line, sizeof line);
			canvas_text(c, 18, y + 1, c->w - 19, line, CC_DIM, 0);
		}
	}
	if (per == 1 && n > 0) {
		int y = top + avail + 1;

		if (first > 0 || first + rows < n)
			canvas_printf(c, 3, top + avail, c->w - 4, CC_DIM, 0, "(%d-%d of %d)",
			    first + 1, UTIL_MIN(first + rows, n), n);
		/* the question as the lab screen asks it: settings filled in */
		one_line(&labs[sel], line, sizeof line);
		canvas_wrap(c, 3, y, c->w - 4, 2, line, CC_DIM, 0);
	}
	if (message != NULL)
		canvas_text(c, 1, c->h - 3, c->w - 2, message, CC_WARN, CA_BOLD);
	view_legend(c, 0, c->h - 2, c->w);
	canvas_text(c, 0, c->h - 1, c->w, "Up/Down or j/k move  Enter open the lab  q quit",
	    CC_KEY, 0);
}
