/*
 * view_menu: the list of labs with the student's progress.  Each lab takes
 * two rows (id and title, then its question) where they fit, else one; the
 * list scrolls to keep the selected lab on screen.  Under it the selected
 * lab's lines on the path (lab_path: what it taught, the tries not yet
 * done) once it is done, else its question.
 */
#include "lab_path.h"
#include "util.h"
#include "view.h"

#include <stdio.h>
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

/* The status tag of a lab in the list ("done, predicted right", "<- next",
 * "done, predicted right; not shown" when no run showed its lesson: the
 * detail below says it in full), or "". */
static const char *
lab_tag(const struct lab *lab, const struct progress *prog, bool next, char *buf,
    size_t len)
{
	const char *status = lab_path_status(lab, prog);
	const char *semi = strchr(status, ';');

	if (strcmp(status, "not yet") == 0)
		return next ? "<- next" : "";
	if (semi == NULL)
		return status;
	snprintf(buf, len, "%.*s; not shown", (int)(semi - status), status);
	return buf;
}

/* The selected lab under the list, rows y .. y + h - 1: once it is done,
 * its lines on the path (what it taught, the tries not yet done, as
 * `conclab progress` prints them), else its question. */
static void
menu_detail(struct canvas *c, const struct lab *lab, const struct progress *prog,
    bool next, bool question, int y, int h)
{
	const struct progress_entry *e = prog != NULL ? progress_get(prog, lab->id) : NULL;
	struct lab_path_line lines[LAB_PATH_MAX_LINES];
	char line[512];
	int n, used = 0;

	if (h < 1)
		return;
	if (e == NULL || !e->done) {
		if (!question)
			return;	/* the list shows it */
		/* the question as the lab screen asks it: settings filled in */
		one_line(lab, line, sizeof line);
		canvas_wrap(c, 3, y, c->w - 4, UTIL_MIN(h, 3), line, CC_DIM, 0);
		return;
	}
	n = lab_path_lines(lab, prog, next, lines);
	for (int i = 0; i < n && used < h; i++) {
		if (lines[i].kind == LAB_PATH_HEAD)
			continue;	/* the list's row says it */
		used += canvas_wrap(c, 3, y + used, c->w - 4, h - used, lines[i].text,
		    lines[i].kind == LAB_PATH_TRY ? CC_DEFAULT : CC_DIM, 0);
	}
}

void
view_menu(struct canvas *c, const struct lab *labs, int n, int sel,
    const struct progress *prog, const char *message)
{
	/* rows: title, summary, blank, the list, a blank, the selected lab's
	 * detail (at least 4 rows), then message and keys */
	int top = 3, bottom = c->h - 3, space = bottom - top + 1, per, rows, first = 0;
	int next = -1;
	char line[512];

	canvas_clear(c);
	if (view_too_small(c, VIEW_MIN_W, VIEW_MIN_H))
		return;
	canvas_fill(c, 0, 0, c->w, 1, ' ', CC_TITLE, CA_REVERSE);
	canvas_text(c, 0, 0, c->w, " conclab  a terminal lab for concurrency", CC_TITLE,
	    CA_REVERSE | CA_BOLD);
	if (prog != NULL && n > 0) {
		/* the summary `conclab progress` opens with */
		size_t used;

		next = lab_path_summary(labs, n, prog, line, sizeof line);
		/* on two rows if need be, cut only between words (walk 3 #15:
		 * "next: sleep-vs-fib: pick one, En...") */
		used = strlen(line);
		snprintf(line + used, sizeof line - used, " -- %s", next >= 0 ?
		    "pick one and press Enter to open it" :
		    "pick one to run again (its tries not yet done are below it)");
		canvas_wrap(c, 1, 1, c->w - 2, 2, line, next >= 0 ? CC_DIM : CC_MARK,
		    next >= 0 ? 0 : CA_BOLD);
	} else {
		canvas_printf(c, 1, 1, c->w - 2, CC_DIM, 0, "%d lab%s: pick one and press Enter",
		    n, n == 1 ? "" : "s");
	}
	if (n == 0)
		canvas_text(c, 1, top, c->w - 2,
		    "No labs found (set CONCLAB_LABS to a directory of .lab files).", CC_WARN, 0);
	/* Two rows a lab (title, question) when they fit with the detail;
	 * else one row a lab, scrolled to keep the selected one in view. */
	per = 2 * n + 5 <= space ? 2 : 1;
	rows = per == 2 ? n : UTIL_MAX(1, UTIL_MIN(n, space - 6));
	if (sel >= rows)
		first = sel - rows + 1;
	for (int i = first; i < n && i - first < rows; i++) {
		int y = top + per * (i - first), col, tw;
		bool on = i == sel;
		char tagbuf[64];
		const char *tag = lab_tag(&labs[i], prog, i == next, tagbuf, sizeof tagbuf);

		if (on)
			canvas_fill(c, 0, y, c->w, 1, ' ', CC_SELECT, CA_REVERSE);
		col = canvas_printf(c, 0, y, c->w, CC_SELECT, on ? CA_REVERSE | CA_BOLD : CA_BOLD,
		    "%s%-14s ", on ? " > " : "   ", labs[i].id);
		tw = tag[0] != '\0' ? (int)strlen(tag) + 2 : 0;
		canvas_wrap(c, col, y, c->w - col - tw, 1, labs[i].title,	/* whole words */
		    on ? CC_SELECT : CC_DEFAULT, on ? CA_REVERSE : 0);
		if (tw > 0)
			canvas_text(c, c->w - tw + 1, y, tw - 1, tag,
			    strstr(tag, "wrong") != NULL || strstr(tag, "not shown") != NULL ?
			    CC_WARN : CC_MARK,
			    on ? CA_REVERSE | CA_BOLD : CA_BOLD);
		if (per == 2) {
			one_line(&labs[i], line, sizeof line);
			canvas_text(c, 18, y + 1, c->w - 19, line, CC_DIM, 0);
		}
	}
	if (n > 0) {
		int y = top + per * UTIL_MIN(rows, n - first);

		if (first > 0 || first + rows < n)
			canvas_printf(c, 3, y, c->w - 4, CC_DIM, 0, "(%d-%d of %d)",
			    first + 1, UTIL_MIN(first + rows, n), n);
		menu_detail(c, &labs[sel], prog, sel == next, per == 1, y + 1, bottom - y);
	}
	/* no legend: the menu draws no task states (walk 3 #17) */
	if (message != NULL)
		canvas_text(c, 1, c->h - 2, c->w - 2, message, CC_WARN, CA_BOLD);
	canvas_text(c, 0, c->h - 1, c->w, "Up/Down or j/k move  Enter open the lab  ? help  q quit",
	    CC_KEY, 0);
}
