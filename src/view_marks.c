/*
 * view_marks: where a band's mark texts and glyphs may go on its header
 * line (view_timeline.c draws them): on the bare line only, never over a
 * GIL holder's letter, a pause's glyph or another mark; and a task's
 * prints on its own row.
 */
#include "canvas.h"
#include "trace.h"
#include "util.h"
#include "view_int.h"

#include <ctype.h>
#include <string.h>

void
view_draw_prints(struct canvas *c, const struct view_lab *v, int slot,
    const struct view_span *sp, int x, int y)
{
	int n = trace_nmarks(v->tr);
	uint64_t f0 = trace_fold(v->tr, sp->from);

	for (int i = 0; i < n; i++) {
		const struct trace_mark *m = trace_get_mark(v->tr, i);
		size_t len;
		uint64_t col;

		if (m == NULL || m->kind != TRACE_MARK_PRINT || m->run != slot ||
		    m->ts < sp->from || m->ts > sp->to || (len = strlen(m->text)) == 0)
			continue;
		col = (trace_fold(v->tr, m->ts) - f0) / sp->bucket;
		if (col >= (uint64_t)sp->shown)
			continue;
		/* the print's number (its last digit: "a7" is 7), as the output
		 * pane shows the line */
		canvas_put(c, x + (int)col, y, isdigit((unsigned char)m->text[len - 1]) ?
		    (unsigned char)m->text[len - 1] : '*', CC_MARK, CA_BOLD);
	}
}

/* Cells of the band's bare line on row y from x on, at most max, going
 * right (dir 1) or left (-1): where a mark's text hides nothing -- not a
 * GIL holder's letter on a line that carries the lane, not another glyph. */
int
view_bare_cells(struct canvas *c, int x, int y, int max, int dir)
{
	uint32_t line = canvas_glyph(c, CG_HLINE);
	int n = 0;

	while (n < max && x + dir * n >= 0 && canvas_cell(c, x + dir * n, y)->ch == line)
		n++;
	return n;
}

/* A marker (m) in the cell of the pause before it (at *prev): both glyphs,
 * the marker beside the pause -- after it where there is room before lim,
 * else before it (walk 5 F20: '───paused│' became '───#1▼', the pause
 * gone).  *lead: where a text on the marker's left ends.  False when
 * neither side is free. */
bool
view_marker_beside_pause(struct canvas *c, int x, int y, int lim, int free_from, int *prev,
    int *lead)
{
	int at = *prev + 1 < lim && view_bare_cells(c, x + *prev + 1, y, 1, 1) == 1 ? *prev + 1 :
	    *prev - 1 >= free_from && view_bare_cells(c, x + *prev - 1, y, 1, 1) == 1 ?
	    *prev - 1 : -1;

	if (at < 0)
		return false;
	canvas_put(c, x + at, y, canvas_glyph(c, CG_MARK), CC_WARN, CA_BOLD);
	*lead = at;
	*prev = UTIL_MAX(*prev, at);
	return true;
}
