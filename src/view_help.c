/*
 * view_help: the help overlay over the lab screen -- the keys and every
 * glyph of the legend explained, in two pages where it does not fit.
 */
#include "canvas.h"
#include "trace.h"
#include "util.h"
#include "verdict.h"
#include "view.h"

int
view_help(struct canvas *c, int page)
{
	/* A line with a state (or the pause, or a mark) shows its glyph in
	 * column 3 (the canvas's: UTF-8 or ASCII), so every glyph the lab
	 * screen draws is explained here. */
	enum { HELP_PAUSED = TRACE_NSTATES, HELP_MARK, HELP_OFF };
	static const struct { int state; const char *text; } lines[] = {
		{ -1, "Keys" },
		{ -1, "  Enter, r   run the whole lab (every run in order)" },
		{ -1, "  Tab        pick a run;  o  run only that one" },
		{ -1, "  + - [ ]    more/fewer tasks; half/double work (next run)" },
		{ -1, "  Up/Down    scroll the task rows;  PgUp/PgDn the lesson" },
		{ -1, "  1-9, s     predict: answer the lab's question, or skip it" },
		{ -1, "  p, Space   pause/resume;  s: one GIL switch while paused" },
		{ -1, "  m  f       drop a numbered marker;  focus on the timeline" },
		{ -1, "  e          export trace, CSV, SVG and report JSON (here)" },
		{ -1, "  l          the lesson: what happened and why (once run)" },
		{ -1, "  ?  c       help;  settings;  Esc stops a run, again: menu" },
		{ -1, "  q          quit; in help, settings, lesson reader: close" },
		{ -1, "  \xe2\x80\xa6 at an end  cut short to fit its room (l: the whole text)" },
		{ -1, "Task states (the legend; q, Esc or any key closes this)" },
		{ TRACE_RUN, "    run     executing on a core (a digit: which CPU)" },
		{ TRACE_READY, "    ready   runnable, waiting for a core (time-sliced)" },
		{ TRACE_LOCK, "    lock    waiting to acquire a lock (GIL, mutex)" },
		{ TRACE_IO, "    io      blocked: sleep, socket, pipe" },
		{ TRACE_DONE, "    done    finished" },
		{ TRACE_FAILED, "    failed  crashed or killed" },
		{ TRACE_NEW, "    blank   not started yet (new)" },
		{ HELP_PAUSED, "    paused  a pause began here (the time axis leaves it out)" },
		{ HELP_MARK, "    mark    a marker (m) or a lab's note (a step: a pause)" },
		{ HELP_OFF, "    missed  its figures miss the lesson (?: a side figure)" },
		{ -1, "  GIL row (on a short screen the run's line): the holder's" },
		{ -1, "  last character (2 thread-2, n main), else the letter after" },
		{ -1, "  its name and in the legend (4=py-3); blank or line: free;" },
		/* walk7 H11: & filled cpython2's row, never explained */
		{ -1, "  & several on cores at once (real CPython): holder unknown" },
	};
	enum { STATES = 13 };	/* the first line of page 1 */
	static const char more[] = "  Task states, GIL row: Space;  q, Esc or other keys close";
	int n = (int)UTIL_ARRAY_LEN(lines), bw = 64, pages = n + 2 > c->h - 2 ? 2 : 1;
	int from = pages == 2 && page > 0 ? STATES : 0, to = pages == 2 && page == 0 ? STATES : n;
	int bh = to - from + 2 + (to < n), x0 = (c->w - bw) / 2, y0 = (c->h - bh) / 2;

	if (x0 < 0)
		x0 = 0;
	y0 = UTIL_MAX(y0, c->h > bh + 1 ? 1 : 0);	/* the title bar stays */
	canvas_fill(c, x0, y0, bw, bh, ' ', CC_DEFAULT, 0);
	canvas_fill(c, x0, y0, bw, 1, canvas_glyph(c, CG_HLINE), CC_DIM, 0);
	canvas_fill(c, x0, y0 + bh - 1, bw, 1, canvas_glyph(c, CG_HLINE), CC_DIM, 0);
	canvas_fill(c, x0, y0, 1, bh, canvas_glyph(c, CG_VLINE), CC_DIM, 0);
	canvas_fill(c, x0 + bw - 1, y0, 1, bh, canvas_glyph(c, CG_VLINE), CC_DIM, 0);
	if (to < n)
		canvas_text(c, x0 + 2, y0 + bh - 2, bw - 4, more, CC_KEY, 0);
	for (int i = from; i < to; i++) {
		const char *t = lines[i].text;
		int g = lines[i].state, y = y0 + 1 + i - from;

		canvas_text(c, x0 + 2, y, bw - 4, t, t[0] != ' ' ? CC_TITLE : CC_DEFAULT,
		    t[0] != ' ' ? CA_BOLD : 0);
		if (g == HELP_OFF)
			canvas_put(c, x0 + 3, y, VERDICT_OFF_MARK, CC_WARN, CA_BOLD);
		else if (g == HELP_PAUSED || g == HELP_MARK)
			canvas_put(c, x0 + 3, y, canvas_glyph(c, g == HELP_MARK ? CG_MARK :
			    CG_VLINE), CC_DIM, g == HELP_MARK ? CA_BOLD : 0);
		else if (g >= 0)
			canvas_put(c, x0 + 3, y, canvas_glyph(c, view_state_glyph(g)),
			    view_state_color(g), 0);
	}
	return pages;
}
