/*
 * view_legend: the legend under the lab screen (the menu and the settings
 * draw no task states: they have none).  It explains every glyph the
 * screen can draw, from 80 columns up, and only those: the task states;
 * the GIL lane's letters (named in full where there is room: "GIL:1=thread-1
 * 2=thread-2", else what a letter is: "GIL:letter after a row's
 * name=holder", as the timeline shows each holder's letter);
 * the CPU digit in run cells; where the screen draws the cores, their busy
 * shades (the lab's "=lab" and other programs' "=other" once the lab's own
 * share is known, else "=busy"); the presenter's pauses and markers.
 * Items the screen does not draw now (no pause yet) come only where there
 * is room to spare.  It is never cut: when the needed items do not fit one
 * line the holders' names, the label and "failed" where no task failed go
 * first, then (where the screen
 * gives it two lines) it wraps, then the pause and the marks share one
 * item, the GIL item gets shorter and the shades share one item
 * ("#%=lab,other"); the shortest line has the CPU digit alone ("1=cpu").
 */
#include "fmt.h"
#include "lane_hold.h"
#include "lane_letter.h"
#include "trace.h"
#include "util.h"
#include "view.h"
#include "view_shade.h"

#include <stdio.h>
#include <string.h>

#define ITEM_GLYPHS 4
#define MAX_ITEMS 16

/* The order of the GIL lanes' letters (lane_letter.c's, '0' first, '?'
 * when they ran out). */
static const char letter_order[] = "0123456789abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ?";

/* A legend item: a few glyphs (each with its colour), then a word. */
struct item {
	uint32_t ch[ITEM_GLYPHS];
	uint8_t color[ITEM_GLYPHS], attr[ITEM_GLYPHS];
	int n;
	char text[256];
	bool wide;		/* its text did not fit: too wide for any line */
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
	return it->wide ? 1 << 20 : it->n + fmt_cols(it->text);
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

/* Whether a task of the trace failed (its row draws the failed glyph). */
static bool
any_failed(const struct view_lab *v)
{
	int n = v->tr != NULL ? trace_ntasks(v->tr) : 0;

	for (int i = 0; i < n; i++)
		if (trace_task_is(v->tr, i, TRACE_KIND_TASK) &&
		    trace_task_state(v->tr, i) == TRACE_FAILED)
			return true;
	return false;
}

/* The six task states: failed, where no task failed, only where there is
 * room to spare (walk 7 H11: at 80 columns, after a run with a real CPython
 * GIL lane, "Xfailed" on a screen without one pushed the cores' shades
 * off the line). */
static int
state_items(const struct canvas *c, const struct view_lab *v, struct item *items)
{
	static const int states[] = { TRACE_RUN, TRACE_READY, TRACE_LOCK, TRACE_IO,
		TRACE_DONE, TRACE_FAILED };
	int n = 0;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(states); i++, n++) {
		memset(&items[n], 0, sizeof items[n]);
		glyph(&items[n], canvas_glyph(c, view_state_glyph(states[i])),
		    view_state_color(states[i]), 0);
		util_strlcpy(items[n].text, trace_state_name(states[i]), sizeof items[n].text);
		items[n].needed = states[i] != TRACE_FAILED || any_failed(v);
		items[n].spare = true;
	}
	return n;
}

/* The letters the GIL lanes can draw (lane_letter.h: one per thread name
 * over the runs with a lane, so each names one thread in every band) in
 * the order 0-9, a-z, A-Z, each with its first task; returns how many. */
static int
lane_letters(const struct trace *tr, char *letters, int *slots, int max)
{
	char all[TRACE_MAX_TASKS];
	int n = 0, ntasks = tr != NULL ? UTIL_MIN(trace_ntasks(tr), TRACE_MAX_TASKS) : 0;

	lane_letters_all(tr, all, TRACE_MAX_TASKS);
	for (const char *o = letter_order; *o != '\0' && n < max; o++)
		for (int i = 0; i < ntasks; i++)
			if (all[i] == *o) {
				letters[n] = *o;
				slots[n++] = i;
				break;
			}
	return n;
}

/* The GIL item by its words: 2 the holders named, "GIL:1=thread-1
 * 2=thread-2"; else what a letter is, for the timeline shows each
 * thread's letter after its name: 1 "GIL:letter after a row's
 * name=holder", 0 "GIL:name's letter=holder", -1 (the last resort)
 * "GIL:letter=holder" (walk 5 F11: "GIL:1-4,n,p,y" and "GIL:1,3,b-r" said
 * neither what a letter is nor which letters a range held).  A text longer
 * than its buffer is too wide for any line. */
static const char *const lane_what[] = { "letter=holder", "name's letter=holder",
	"letter after a row's name=holder" };

static void
lane_item(const struct trace *tr, int words, struct item *it)
{
	char letters[TRACE_MAX_TASKS];
	int slots[TRACE_MAX_TASKS], n = lane_letters(tr, letters, slots, TRACE_MAX_TASKS);

	memset(it, 0, sizeof *it);
	it->needed = n > 0;
	util_appendf(it->text, sizeof it->text, "GIL:");
	if (words < 2) {
		util_appendf(it->text, sizeof it->text, "%s", lane_what[UTIL_MAX(words, -1) + 1]);
		return;
	}
	for (int i = 0; i < n; i++)
		util_appendf(it->text, sizeof it->text, "%s%c=%s", i > 0 ? " " : "",
		    letters[i], trace_task(tr, slots[i])->name);
	it->wide = strlen(it->text) + 1 >= sizeof it->text;
}

const char *
view_legend_lane_what(int room)
{
	for (int k = (int)UTIL_ARRAY_LEN(lane_what) - 1; k > 0; k--)
		if (4 + (int)strlen(lane_what[k]) <= room)
			return lane_what[k];
	return lane_what[0];
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

		if (m == NULL || m->kind == TRACE_MARK_RUN || m->kind == TRACE_MARK_PRINT)
			continue;	/* prints are on their rows (print_drawn) */
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

/* The cores' shades at items[0] and [1], where the screen draws the
 * cores: the lab's ("=lab", or "=busy" while its share is not known) and
 * other programs'; the tightest line (words 0) has both in one item,
 * "#%=lab,other", each with its top glyph only. */
static void
shade_items(const struct canvas *c, const struct view_lab *v, bool cores, int words,
    struct item *items)
{
	bool own = view_shade_own_known(v);
	bool drawn = cores && (v->cores != NULL || v->series != NULL);
	struct item *it = memset(&items[0], 0, sizeof *it);

	if (words > 0)
		glyph(it, canvas_glyph(c, CG_SPARK0), CC_BAR, 0);
	glyph(it, canvas_glyph(c, (enum canvas_glyph)(CG_SPARK0 + 7)), CC_BARHI, 0);
	util_strlcpy(it->text, own ? "=lab" : "=busy", sizeof it->text);
	it->spare = it->needed = drawn;
	if (own && words <= 0) {
		glyph(it, canvas_glyph(c, (enum canvas_glyph)(CG_OTHER0 + 7)), CC_OTHER, 0);
		util_strlcpy(it->text, "=lab,other", sizeof it->text);
	}
	it = memset(&items[1], 0, sizeof *it);
	if (words > 0)
		glyph(it, canvas_glyph(c, CG_OTHER0), CC_OTHER, 0);
	glyph(it, canvas_glyph(c, (enum canvas_glyph)(CG_OTHER0 + 7)), CC_OTHER, 0);
	util_strlcpy(it->text, "=other", sizeof it->text);
	it->needed = drawn && own && words > 0;
}

/* The pause's line and the marks at items[0] and [1]; merged (the last
 * resort, when the timeline has both) in one item "▼│=mark". */
static void
mark_items(const struct canvas *c, const struct view_lab *v, bool merge, struct item *items)
{
	bool pauses, others;
	struct item *it = memset(&items[0], 0, sizeof *it);

	find_marks(v, &pauses, &others);
	merge &= pauses && others;
	if (merge)
		glyph(it, canvas_glyph(c, CG_MARK), CC_DIM, CA_BOLD);
	glyph(it, canvas_glyph(c, CG_VLINE), CC_DIM, 0);
	util_strlcpy(it->text, merge ? "=mark" : "=paused", sizeof it->text);
	/* only once drawn, never to fill spare room (walk 5 F12: "│=paused
	 * ▼=mark" on a run with neither) */
	it->needed = pauses;
	it = memset(&items[1], 0, sizeof *it);	/* markers and notes */
	glyph(it, canvas_glyph(c, CG_MARK), CC_MARK, CA_BOLD);
	util_strlcpy(it->text, "=mark", sizeof it->text);
	it->needed = others && !merge;
}

/* Whether a GIL lane drew cells where several of its threads ran at once
 * (real CPython's lane, inferred from /proc: no one holder), up to now. */
static bool
lane_several(const struct view_lab *v)
{
	int n = v->tr != NULL ? trace_ntasks(v->tr) : 0;

	for (int i = 0; i < n; i++)
		if (trace_task_is(v->tr, i, TRACE_KIND_LANE) &&
		    trace_task_total(v->tr, i, LANE_SEVERAL, v->now) > 0)
			return true;
	return false;
}

/* Whether the timeline draws a task's print (TRACE_MARK_PRINT) in a band. */
static bool
print_drawn(const struct view_lab *v)
{
	int n = v->tr != NULL ? trace_nmarks(v->tr) : 0;
	struct view_band bands[LAB_MAX_RUNS];
	bool found = false;

	for (int i = 0; i < n && !found; i++)
		found = trace_get_mark(v->tr, i) != NULL &&
		    trace_get_mark(v->tr, i)->kind == TRACE_MARK_PRINT;
	if (!found)
		return false;
	view_find_bands(v, bands, v->now);
	for (int i = 0; i < n; i++) {
		const struct trace_mark *m = trace_get_mark(v->tr, i);

		if (m != NULL && m->kind == TRACE_MARK_PRINT &&
		    view_band_overlaps(bands, m->ts, m->ts))
			return true;
	}
	return false;
}

/* Every item of the lab screen's legend (cores: the screen draws the
 * cores); returns the count. */
static int
lab_items(const struct canvas *c, const struct view_lab *v, bool cores, int words,
    bool merge, struct item *items)
{
	int n = state_items(c, v, items), ntasks = v->tr != NULL ? trace_ntasks(v->tr) : 0;
	bool tasks = false;
	struct item *it;

	for (int i = 0; i < ntasks && !tasks; i++)
		tasks = trace_task_is(v->tr, i, TRACE_KIND_TASK);
	lane_item(v->tr, words, &items[n++]);
	it = memset(&items[n++], 0, sizeof *it);	/* a lane's cells of no one holder */
	glyph(it, LANE_SEVERAL_GLYPH, CC_LOCK, CA_REVERSE);
	util_strlcpy(it->text, words > 0 ? "=several at once" : "=several", sizeof it->text);
	it->needed = lane_several(v);
	it = memset(&items[n++], 0, sizeof *it);	/* a run cell's CPU digit */
	if (words >= 0)		/* the tightest: the digit alone, "1=cpu" */
		glyph(it, canvas_glyph(c, CG_RUN), CC_RUN, 0);
	glyph(it, '1', CC_RUN, CA_REVERSE | CA_BOLD);
	util_strlcpy(it->text, "=cpu", sizeof it->text);
	it->spare = true;
	it->needed = tasks;
	it = memset(&items[n++], 0, sizeof *it);	/* a print's number on its row */
	glyph(it, '0', CC_MARK, CA_BOLD);
	util_strlcpy(it->text, "=print", sizeof it->text);	/* "a0" on the row: 0 */
	it->needed = print_drawn(v);
	shade_items(c, v, cores, words, &items[n]);
	n += 2;
	mark_items(c, v, merge, &items[n]);
	return n + 2;
}

/* A way to write the legend: the GIL item's words (2 names, 1 to -1 what
 * a letter is, ever shorter), the "legend:" label, the items not drawn
 * now, the marks merged, and on how many lines. */
struct form {
	int words;
	bool label, spare, merge;
	int lines;
};

/* Where form f puts the items in w columns: line[i] and col[i] of each
 * item shown (line -1: not shown).  A second line starts under the first
 * item.  Returns the lines used, or f->lines + 1 when they need more;
 * with cut the items that do not fit are left out and *cut says so (the
 * last line keeps two columns for an ellipsis). */
static int
place(const struct item *items, int n, const struct form *f, int w, int *line, int *col,
    bool cut_ok, bool *cut)
{
	int indent = f->label ? 8 : 0, l = 0, x = indent, k = 0;

	*cut = false;
	for (int i = 0; i < n; i++) {
		int iw = item_width(&items[i]), lim = cut_ok && l + 1 == f->lines ? w - 2 : w;

		line[i] = -1;
		if ((!items[i].needed && !(f->spare && items[i].spare)) || *cut)
			continue;
		if (k > 0 && x + 1 + iw > lim) {
			l++;
			x = indent;
			k = 0;
			lim = cut_ok && l + 1 == f->lines ? w - 2 : w;
		}
		if (x + iw > lim || l >= f->lines) {
			if (!cut_ok)
				return f->lines + 1;
			*cut = true;
			continue;
		}
		x += k++ > 0;
		line[i] = l;
		col[i] = x;
		x += iw;
	}
	return l + 1;
}

/* The first form whose items fit w columns in h lines: one line with the
 * label, the holders' names and the spare items, then with less; two lines
 * of the same (where the screen gives two); then the last resorts (the
 * marks in one item, the GIL item shorter, the two shades in one item,
 * the GIL item shortest).  Fills items, line and col;
 * returns the lines used (*cut: some items left out). */
static int
choose(const struct canvas *c, const struct view_lab *v, bool cores, int w, int h,
    struct item *items, int *n, int *line, int *col, bool *cut, bool *label)
{
	static const struct form forms[] = {
		{ 2, true, true, false, 1 }, { 2, true, false, false, 1 },
		{ 1, true, true, false, 1 }, { 1, true, false, false, 1 },
		{ 1, false, false, false, 1 },
		{ 2, true, true, false, 2 }, { 2, true, false, false, 2 },
		{ 1, true, true, false, 2 }, { 1, true, false, false, 2 },
		{ 1, false, false, true, 1 }, { 0, false, false, true, 1 },
		{ 0, true, false, true, 2 }, { 0, false, false, true, 2 },
		{ -1, false, false, true, 1 }, { -1, false, false, true, 2 },
	};
	const struct form *f = &forms[0];
	int used = 1;

	for (size_t t = 0; t < UTIL_ARRAY_LEN(forms); t++) {
		if (forms[t].lines > h)
			continue;
		if (t == 0 || forms[t].words != f->words || forms[t].merge != f->merge)
			*n = lab_items(c, v, cores, forms[t].words, forms[t].merge, items);
		f = &forms[t];
		used = place(items, *n, f, w, line, col, false, cut);
		*label = f->label;
		if (used <= f->lines)
			return used;
	}
	/* none fits: as many items as do, then an ellipsis (never cut
	 * silently) */
	return place(items, *n, f, w, line, col, true, cut);
}

int
view_legend_lines(const struct canvas *c, const struct view_lab *v, bool cores, int w,
    int h)
{
	struct item items[MAX_ITEMS];
	int n = 0, line[MAX_ITEMS], col[MAX_ITEMS];
	bool cut, label;
	int used = choose(c, v, cores, w, h, items, &n, line, col, &cut, &label);

	return cut ? h + 1 : used;
}

void
view_legend_lab(struct canvas *c, const struct view_lab *v, bool cores, int x, int y,
    int w, int h)
{
	struct item items[MAX_ITEMS];
	int n = 0, line[MAX_ITEMS], col[MAX_ITEMS], end = 0, last = 0;
	bool cut, label;

	choose(c, v, cores, w, h, items, &n, line, col, &cut, &label);
	if (label)
		canvas_text(c, x, y, w, "legend: ", CC_DIM, 0);
	for (int i = 0; i < n; i++) {
		if (line[i] < 0)
			continue;
		end = col[i] + draw_item(c, x + col[i], y + line[i], x + w, &items[i]);
		last = line[i];
	}
	if (cut)
		canvas_put(c, x + end + 1, y + last, c->ascii ? FMT_CUT_ASCII : 0x2026, CC_WARN, 0);
}
