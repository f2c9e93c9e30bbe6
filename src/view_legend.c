/*
 * view_legend: the one-line legend under the lab screen (the menu and the
 * settings draw no task states: they have none).  It
 * explains every glyph the screen draws, from 80 columns up: the task
 * states; the GIL lane's letters (each holder's last name character, named
 * in full where the line has room: "GIL:1=thread-1 2=thread-2", else
 * "GIL:12=holds"); the CPU digit in run cells; the cores' busy shades (the
 * lab's "=lab" and other programs' "=other" once the lab's own share is
 * known, else "=busy"); the presenter's pauses and markers.  Items the
 * screen does not draw now (no lane, no pause) come only where the line has
 * room to spare; when the needed ones alone are too long the "legend:"
 * label goes first, then the holders' names, then the pause and the marks
 * share one item, then the GIL item keeps only its letters ("GIL:123")
 * and the cores' shades share one item ("#%=lab,other").
 */
#include "fmt.h"
#include "lane_letter.h"
#include "trace.h"
#include "util.h"
#include "view.h"
#include "view_shade.h"

#include <stdio.h>
#include <string.h>

#define ITEM_GLYPHS 4
#define LANE_GLYPHS 8		/* holder letters listed, at most */
#define MAX_ITEMS 16

/* A legend item: a few glyphs (each with its colour), then a word. */
struct item {
	uint32_t ch[ITEM_GLYPHS];
	uint8_t color[ITEM_GLYPHS], attr[ITEM_GLYPHS];
	int n;
	char text[96];
	bool needed;		/* the screen draws it now */
	bool spare;		/* shown where there is room even if not needed */
};

static void
glyph(struct item *it, uint32_t ch, int color, int attr)
{
	if (it->n < ITEM_GLYPHS) {
		it->ch[it->n] = ch;
		it->color[it->n] = (uint8_t)color;
		it->attr[it->n] = (uint8_t)attr;
		it->n++;
	}
}

static int
item_width(const struct item *it)
{
	return it->n + fmt_cols(it->text);
}

static int
draw_item(struct canvas *c, int x, int y, int lim, const struct item *it)
{
	int col = x;

	for (int i = 0; i < it->n && col < lim; i++)
		canvas_put(c, col++, y, it->ch[i], it->color[i], it->attr[i]);
	if (col < lim)
		col += canvas_text(c, col, y, lim - col, it->text, CC_DEFAULT, 0);
	return col - x;
}

/* The six task states, always. */
static int
state_items(const struct canvas *c, struct item *items)
{
	static const int states[] = { TRACE_RUN, TRACE_READY, TRACE_LOCK, TRACE_IO,
		TRACE_DONE, TRACE_FAILED };
	int n = 0;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(states); i++, n++) {
		memset(&items[n], 0, sizeof items[n]);
		glyph(&items[n], canvas_glyph(c, view_state_glyph(states[i])),
		    view_state_color(states[i]), 0);
		util_strlcpy(items[n].text, trace_state_name(states[i]), sizeof items[n].text);
		items[n].needed = true;
	}
	return n;
}

/* The letters the GIL lanes can draw (lane_letter.h: one per thread name
 * over the runs with a lane, so each names one thread in every band) and
 * a task with each; returns how many. */
static int
lane_letters(const struct trace *tr, char *letters, int *slots, int max)
{
	char all[TRACE_MAX_TASKS];
	int n = 0, ntasks = tr != NULL ? UTIL_MIN(trace_ntasks(tr), TRACE_MAX_TASKS) : 0;

	lane_letters_all(tr, all, TRACE_MAX_TASKS);
	for (int i = 0; i < ntasks && n < max; i++) {
		if (all[i] == 0 || memchr(letters, all[i], (size_t)n) != NULL)
			continue;
		letters[n] = all[i];
		slots[n++] = i;
	}
	return n;
}

/* The GIL item by its words: 2 "GIL:1=thread-1 2=thread-2", 1
 * "GIL:12=holds", 0 (the tightest line) "GIL:12". */
static void
lane_item(const struct trace *tr, int words, struct item *it)
{
	char letters[LANE_GLYPHS];
	int slots[LANE_GLYPHS], n = lane_letters(tr, letters, slots, LANE_GLYPHS);
	bool full = words == 2;
	size_t used;

	memset(it, 0, sizeof *it);
	it->needed = n > 0;
	used = (size_t)snprintf(it->text, sizeof it->text, "GIL:");
	for (int i = 0; i < n && used < sizeof it->text; i++)
		used += (size_t)snprintf(it->text + used, sizeof it->text - used, full ?
		    "%s%c=%s" : "%s%c", full && i > 0 ? " " : "", letters[i],
		    trace_task(tr, slots[i])->name);
	if (words == 1 && used < sizeof it->text)
		snprintf(it->text + used, sizeof it->text - used, "=holds");
}

/* What the timeline draws of the marks (those inside a band): a pause
 * (from its "paused" note to its "resumed", or now) that meets a band, and
 * any other mark (the presenter's markers, the lab's notes) in one. */
static void
find_marks(const struct view_lab *v, bool *pauses, bool *others)
{
	int n = v->tr != NULL ? trace_nmarks(v->tr) : 0;
	struct view_band bands[LAB_MAX_RUNS];
	uint64_t paused_at = 0;
	bool open = false;

	*pauses = v->paused;
	*others = false;
	if (n > 0)
		view_find_bands(v, bands, v->now);
	for (int i = 0; i < n; i++) {
		const struct trace_mark *m = trace_get_mark(v->tr, i);
		bool note = m != NULL && m->kind == TRACE_MARK_NOTE;

		if (m == NULL || m->kind == TRACE_MARK_RUN)
			continue;
		if (note && strcmp(m->text, "paused") == 0) {
			paused_at = m->ts;
			open = true;
		} else if (note && strcmp(m->text, "resumed") == 0) {
			*pauses |= open && view_band_overlaps(bands, paused_at, m->ts);
			open = false;
		} else {
			*others |= view_band_overlaps(bands, m->ts, m->ts);
		}
	}
	*pauses |= open && view_band_overlaps(bands, paused_at, v->now);
}

/* Every item of the lab screen's legend; returns the count. */
static int
lab_items(const struct canvas *c, const struct view_lab *v, int words, bool merge,
    struct item *items)
{
	int n = state_items(c, items), ntasks = v->tr != NULL ? trace_ntasks(v->tr) : 0;
	bool pauses, others, tasks = false, own;
	struct item *it;

	for (int i = 0; i < ntasks && !tasks; i++)
		tasks = trace_task(v->tr, i)->kind == TRACE_KIND_TASK;
	find_marks(v, &pauses, &others);
	lane_item(v->tr, words, &items[n++]);
	it = memset(&items[n++], 0, sizeof *it);	/* a run cell's CPU digit */
	glyph(it, canvas_glyph(c, CG_RUN), CC_RUN, 0);
	glyph(it, '1', CC_RUN, CA_REVERSE | CA_BOLD);
	util_strlcpy(it->text, "=cpu", sizeof it->text);
	it->spare = true;
	it->needed = tasks;
	it = memset(&items[n++], 0, sizeof *it);	/* the cores' shades (the */
	if (words > 0)					/* tightest: the top one) */
		glyph(it, canvas_glyph(c, CG_SPARK0), CC_BAR, 0);
	glyph(it, canvas_glyph(c, (enum canvas_glyph)(CG_SPARK0 + 7)), CC_BARHI, 0);
	own = view_shade_own_known(v);
	util_strlcpy(it->text, own ? "=lab" : "=busy", sizeof it->text);
	it->spare = true;
	it->needed = v->cores != NULL || v->series != NULL;
	if (own && words == 0) {	/* the tightest: one item "#%=lab,other" */
		glyph(it, canvas_glyph(c, (enum canvas_glyph)(CG_OTHER0 + 7)), CC_OTHER, 0);
		util_strlcpy(it->text, "=lab,other", sizeof it->text);
	}
	it = memset(&items[n++], 0, sizeof *it);	/* other programs' share */
	if (words > 0)
		glyph(it, canvas_glyph(c, CG_OTHER0), CC_OTHER, 0);
	glyph(it, canvas_glyph(c, (enum canvas_glyph)(CG_OTHER0 + 7)), CC_OTHER, 0);
	util_strlcpy(it->text, "=other", sizeof it->text);
	it->needed = own && words > 0 && (v->cores != NULL || v->series != NULL);
	merge &= pauses && others;	/* the last resort: one item for both */
	it = memset(&items[n++], 0, sizeof *it);	/* a pause: its glyph on the band's line */
	if (merge)
		glyph(it, canvas_glyph(c, CG_MARK), CC_DIM, CA_BOLD);
	glyph(it, canvas_glyph(c, CG_VLINE), CC_DIM, 0);
	util_strlcpy(it->text, merge ? "=marks" : "=paused", sizeof it->text);
	it->spare = true;
	it->needed = pauses;
	it = memset(&items[n++], 0, sizeof *it);	/* markers and notes */
	glyph(it, canvas_glyph(c, CG_MARK), CC_MARK, CA_BOLD);
	util_strlcpy(it->text, "=mark", sizeof it->text);
	it->spare = !merge;
	it->needed = others && !merge;
	return n;
}

/* The width of the line with the label or not, the items not needed or
 * not. */
static int
line_width(const struct item *items, int n, bool label, bool spare)
{
	int w = label ? 8 : 0, k = 0;

	for (int i = 0; i < n; i++)
		if (items[i].needed || (spare && items[i].spare))
			w += (k++ > 0) + item_width(&items[i]);
	return w;
}

static void
draw_items(struct canvas *c, const struct item *items, int n, bool label, bool spare,
    int x, int y, int w)
{
	int col = x, k = 0;

	if (label)
		col += canvas_text(c, col, y, w, "legend: ", CC_DIM, 0);
	for (int i = 0; i < n && col < x + w; i++) {
		if (!items[i].needed && !(spare && items[i].spare))
			continue;
		col += k++ > 0;
		col += draw_item(c, col, y, x + w, &items[i]);
	}
}

void
view_legend_lab(struct canvas *c, const struct view_lab *v, int x, int y, int w)
{
	/* the first that fits: label, names, spare items; then less (last,
	 * the GIL's letters without "=holds" and the cores' two shades in
	 * one item: with a lane, pauses, marks and the cores' two shades the
	 * line is over 80 columns) */
	static const struct { int words; bool label, spare, merge; } tries[] = {
		{ 2, true, true, false }, { 2, true, false, false },
		{ 1, true, true, false }, { 1, true, false, false },
		{ 1, false, false, false }, { 1, false, false, true },
		{ 0, false, false, true },
	};
	struct item items[MAX_ITEMS];
	int n = 0;

	for (size_t t = 0; t < UTIL_ARRAY_LEN(tries); t++) {
		n = lab_items(c, v, tries[t].words, tries[t].merge, items);
		if (line_width(items, n, tries[t].label, tries[t].spare) <= w ||
		    t + 1 == UTIL_ARRAY_LEN(tries)) {
			draw_items(c, items, n, tries[t].label, tries[t].spare, x, y, w);
			return;
		}
	}
}
