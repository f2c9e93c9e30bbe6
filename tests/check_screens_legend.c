/* The lab screen's legend over every shipped lab's synthetic screens
 * (screens_fx.h): it explains every glyph the timeline, the GIL lanes and
 * the cores draw, names the cores' shades only where they are drawn, fits
 * its width (never cut) from 80 columns up; and the cores rows tell the
 * lab's share of a core from other programs'. */
#include "screens_fx.h"

#include "lane_hold.h"
#include "lane_letter.h"

static bool
has_glyph(const char *legend, uint32_t ch)
{
	char g[8];

	g[canvas_utf8(ch, g)] = '\0';
	return strstr(legend, g) != NULL;
}

/* Whether a row of the timeline shows letter ch after its name (in the
 * name column's last but one column, as its GIL lane draws it). */
static bool
letter_in_names(const struct canvas *c, uint32_t ch, int nw)
{
	for (int y = 0; nw > 2 && y < c->h; y++) {
		const struct canvas_cell *k = canvas_cell((struct canvas *)c, nw - 2, y);

		if (k->ch == ch && (k->attr & CA_REVERSE) && k->color == CC_LOCK)
			return true;
	}
	return false;
}

/* Whether a band's line names run (its name, or cut in the middle with
 * an ellipsis: "cpython>ntended"). */
static bool
band_named(const char *line, const char *run)
{
	size_t n = strcspn(line, " "), cut = strcspn(line, ">\xe2");

	if (cut >= n)
		return n == strlen(run) && strncmp(line, run, n) == 0;
	return strncmp(line, run, cut) == 0;
}

/* Whether the timeline shows a row of task slot (of v's trace): a row
 * with its name under its run's band line (names of different runs are
 * alike: thread-5). */
static bool
row_of(const struct canvas *c, const struct view_lab *v, int slot, int nw)
{
	const struct trace_task *t = trace_task(v->tr, slot);
	const char *run = t->run >= 0 && t->run < v->lab->nruns ? v->lab->runs[t->run].name : "";
	char row[1024];

	size_t n = strlen(t->name);

	for (int y = 0; y < c->h; y++) {
		bool same = (int)n < c->w;

		/* the name's cells first (the row's text for every row was 33 %
		 * of this suite's time) */
		for (size_t i = 0; same && i < n; i++)
			same = canvas_cell((struct canvas *)c, (int)i, y)->ch ==
			    (unsigned char)t->name[i];
		if (!same || canvas_cell((struct canvas *)c, (int)n, y)->ch != ' ')
			continue;
		for (int b = y - 1; b >= 0; b--)
			if (header_row(c, b, nw)) {
				row_text(c, b, 0, row, sizeof row);
				if (band_named(row, run))
					return true;
				break;
			}
	}
	return false;
}

/* Whether the legend's GIL item (from "GIL:") says what a letter is:
 * "GIL:letter after a row's name=holder", "GIL:name's letter=holder",
 * "GIL:letter=holder". */
static bool
says_letters(const char *gil)
{
	return gil != NULL && (strncmp(gil, "GIL:letter", 10) == 0 ||
	    strncmp(gil, "GIL:name's letter", 17) == 0) && strstr(gil, "=holder ") != NULL;
}

/* A lane letter is explained by the legend's GIL item: named
 * ("GIL:1=thread-1 2=..."), or the item says what a letter is
 * ("GIL:letter...=holder") and the rows on the screen of the threads with
 * that letter (of v's trace) show it after their names -- none on the screen: the
 * band's rows were scrolled away (walk 5 F11: "GIL:1-4,n,p,y",
 * "GIL:1,3,b-r" said neither, and a range "b-r" stood for b, e, n, o, r). */
static bool
lane_explained(const struct canvas *c, const struct view_lab *v, const char *gil,
    uint32_t ch, int nw)
{
	char letters[TRACE_MAX_TASKS];
	bool rows = false;

	if (gil == NULL || ch > 0x7f || ch == 0)
		return false;
	gil += 4;
	/* named: "X=name" items up to the next item (a glyph first) */
	for (const char *p = gil; isalnum((unsigned char)p[0]) && p[1] == '=';) {
		if (p[0] == (char)ch)
			return true;
		p = strchr(p, ' ');
		if (p == NULL)
			return false;
		p++;
	}
	if (!says_letters(gil - 4))
		return false;
	lane_letters_all(v->tr, letters, TRACE_MAX_TASKS);
	for (int k = 0; k < trace_ntasks(v->tr); k++)
		rows |= letters[k] == (char)ch && row_of(c, v, k, nw);
	return !rows || letter_in_names(c, ch, nw);
}

/* The legend's text (its one or two lines: a second begins with the
 * "legend:" label over it) into buf; returns its first row. */
static int
legend_text(const struct canvas *c, char *buf, size_t len)
{
	int y = c->h - 2;
	size_t used;

	row_text(c, c->h - 3, 0, buf, len);
	if (strncmp(buf, "legend: ", 8) == 0) {
		y = c->h - 3;
		used = strlen(buf);
		if (used + 1 < len)
			buf[used++] = ' ';
		row_text(c, c->h - 2, 0, buf + used, len - used);
	} else {
		row_text(c, c->h - 2, 0, buf, len);
	}
	return y;
}

/* A cell of the cores' shades above row ly (bars, rows or the grid). */
static bool
shades_drawn(const struct canvas *c, int ly)
{
	for (int y = 1; y < ly; y++)
		for (int x = 0; x < c->w; x++) {
			int color = canvas_cell((struct canvas *)c, x, y)->color;

			if (color == CC_BAR || color == CC_BARHI || color == CC_OTHER)
				return true;
		}
	return false;
}

/* Whether the legend explains cell k at x of a timeline row (lane: the
 * GIL's row; header: a band's header line) or a cores row. */
static bool
explained(const struct canvas *c, const struct view_lab *v, const struct canvas_cell *k,
    const char *legend, int x,
    int nw, bool lane, bool header, bool cores)
{
	const char *gil = strstr(legend, "GIL:");

	if (k->color == CC_BAR || k->color == CC_BARHI)
		return strstr(legend, "=busy") != NULL || strstr(legend, "=lab") != NULL;
	if (k->color == CC_OTHER)
		return strstr(legend, "=other") != NULL || strstr(legend, "=lab,other") != NULL;
	if (x < nw || cores)
		return true;	/* names, cpu labels, who is on a core */
	if (k->ch == canvas_glyph(c, CG_MARK))
		return has_glyph(legend, k->ch);
	if (header && (k->attr & CA_REVERSE))
		return lane_explained(c, v, gil, k->ch, nw);	/* holders on the line */
	if (header)
		return true;	/* a band's line and its labels */
	if (lane && (k->attr & CA_REVERSE))
		return lane_explained(c, v, gil, k->ch, nw);
	if (k->attr & CA_REVERSE)
		return strstr(legend, "=cpu") != NULL;
	if (k->color == CC_MARK && k->ch >= '0' && k->ch <= '9')
		return strstr(legend, "0=print") != NULL;	/* a print's number */
	return has_glyph(legend, k->ch);
}

/* Every cell the timeline and the cores draw is explained by the legend:
 * state glyphs and the pause's │ by themselves, a run cell's CPU digit by
 * "=cpu", a GIL lane's letter by the GIL item, the busy shades by "=busy"
 * (or the lab's by "=lab", other programs' by "=other"), a band's ▼ by
 * "=mark" or "=paused"; the legend names the shades only where the screen
 * draws them, and no line of it is cut.  Returns the failures. */
static int
check_legend(const struct canvas *c, const struct view_lab *v, const char *what)
{
	char legend[2048], name[64];
	int top = -1, nw = name_width_of(c, &top), bad = 0, ly = legend_text(c, legend,
	    sizeof legend);
	bool axis = false;

	if (nw <= 0) {
		char *t = canvas_to_string(c);

		fprintf(stderr, "%s", t);
		free(t);
	}
	ck_assert_msg(nw > 0, "%s: no timeline", what);
	/* the legend is whole: never cut at the edge */
	for (int y = ly; y < c->h - 1; y++)
		for (int x = 0; x < c->w; x++)
			if (canvas_cell((struct canvas *)c, x, y)->ch ==
			    (c->ascii ? (uint32_t)'>' : 0x2026) && bad++ < 3)
				fprintf(stderr, "%s: the legend is cut: %s\n", what, legend);
	if ((strstr(legend, "=lab") != NULL || strstr(legend, "=busy") != NULL ||
	    strstr(legend, "=other") != NULL) && !shades_drawn(c, ly) && bad++ < 3)
		fprintf(stderr, "%s: no cores on the screen, their shades in the legend: %s\n",
		    what, legend);
	for (int y = top + 1; y < ly; y++) {
		bool lane, header, cores;

		row_text(c, y, 0, name, sizeof name);
		if (strncmp(name, "cell=", 5) == 0) {
			axis = true;	/* under it, only the cores rows */
			continue;
		}
		cores = strncmp(name, "cpu", 3) == 0;
		if (axis && !cores)
			break;
		lane = strncmp(name, "GIL ", 4) == 0;
		header = header_row(c, y, nw);
		for (int x = 0; x < c->w; x++) {
			const struct canvas_cell *k = canvas_cell((struct canvas *)c, x, y);
			char g[8];

			if (k->ch == ' ' || explained(c, v, k, legend, x, nw, lane, header, cores) ||
			    bad++ >= 3)
				continue;
			g[canvas_utf8(k->ch, g)] = '\0';
			fprintf(stderr, "%s: '%s' at %d,%d (row '%s') is not in the legend: %s\n",
			    what, g, x, y, name, legend);
		}
	}
	return bad;
}

/* One screen of s at w x h, following the newest rows (and in focus),
 * scrolled to the top, the middle and the end: check_legend over each.
 * Returns the failures. */
static int
legend_screens(struct synth *s, const char *id, const char *state, int w, int h,
    int *screens)
{
	int bad = 0;

	for (int ascii = 0; ascii < 2; ascii++) {
		struct canvas *c = canvas_create(w, h, ascii);
		int rows = view_timeline_rows(&s->v), scrolls[] = { -1, 0, rows / 2, rows - 1 };

		for (size_t k = 0; k < UTIL_ARRAY_LEN(scrolls); k++)
			for (int focus = 0; focus <= (k == 0); focus++) {
				int first = scrolls[k];
				char what[160];

				s->v.scroll = first;
				s->v.focus = focus;
				view_lab(c, &s->v);
				snprintf(what, sizeof what, "%s %s %dx%d%s scrolled to %d%s (%d threads)",
				    id, state, w, h, ascii ? " ascii" : "", first, focus ? " focus" : "",
				    s->threads);
				bad += check_legend(c, &s->v, what);
				(*screens)++;
			}
		canvas_destroy(c);
	}
	s->v.scroll = -1;
	s->v.focus = false;
	return bad;
}

/* Drawing is single-threaded: under ThreadSanitizer (20 times slower: over
 * 30 s a size in CI) one set of screens in LEGEND_STRIDE is drawn; the plain
 * build and AddressSanitizer draw them all. */
#ifdef __SANITIZE_THREAD__
#define LEGEND_STRIDE 8
#else
#define LEGEND_STRIDE 1
#endif

/* Every lab at 80x24, 120x40 and 200x50 (_i), ASCII and UTF-8, with its own
 * threads, with one a run (so many bands that at 80x24 the cores rows give
 * way to the task rows once the lab finished) and with 12 (the + key: GIL
 * letters 0-9, a, d, and a main thread's), finished and while each run
 * goes (paused, a marker set), following the newest rows and in focus,
 * scrolled to the top, the middle and the end: the legend explains every
 * glyph on the screen, names the cores' shades only where they are drawn,
 * and is never cut. */
START_TEST(every_glyph_is_in_the_legend)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	const int *size = sizes[_i];
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0, screens = 0, sets = 0;

	for (int i = 0; i < n; i++)
		for (int threads = 0; threads <= SYNTH_MAX; threads += threads == 0 ? 1 : SYNTH_MAX - 1)
			for (int live = 0; live <= labs[i].nruns; live++) {
				struct synth s;

				if (sets++ % LEGEND_STRIDE != 0)
					continue;
				synth_init_threads(&s, &labs[i], live > 0 ? live : labs[i].nruns, threads);
				trace_mark(s.tr, TRACE_MARK_USER, -1, s.tr->t0 + 700 * MS, "#1");
				trace_mark(s.tr, TRACE_MARK_NOTE, -1, s.tr->t0 + 300 * MS, "paused");
				if (live) {	/* paused now */
					synth_live(&s, live - 1);
					s.v.paused = true;
				} else {
					trace_mark(s.tr, TRACE_MARK_NOTE, -1, s.tr->t0 + 600 * MS,
					    "resumed");
				}
				bad += legend_screens(&s, labs[i].id, live ? "running" : "finished",
				    size[0], size[1], &screens);
				synth_free(&s);
			}
	lab_list_free(labs, n);
	fprintf(stderr, "legend: %d screens checked\n", screens);
	ck_assert_msg(bad == 0, "%d glyphs on screen are not in the legend, shades named with "
	    "no cores or a legend cut", bad);
}
END_TEST

/* Walk 7 H11: at 80x24, after sleep-vs-fib with real CPython's GIL lane
 * showing cells of several threads at once ("&"), the legend ended
 * "... &=several 1=cpu ..." -- the cores' shades, drawn on the screen, cut
 * off.  With "&" drawn the legend still names every glyph, uncut, the
 * shades included. */
START_TEST(several_at_once_leaves_room_for_the_shades)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0, screens = 0;
	int lanes = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		if (strcmp(labs[i].id, "sleep-vs-fib") != 0)
			continue;
		synth_init(&s, &labs[i]);
		for (int k = 0; k < trace_ntasks(s.tr); k++) {
			struct trace_task *t = &s.tr->tasks[k];

			if (t->kind == TRACE_KIND_LANE &&
			    strcmp(labs[i].runs[t->run].exec->name, "python") == 0) {
				at_store_relaxed(&t->total_ns[LANE_SEVERAL], 40 * MS);
				lanes++;
			}
		}
		for (int ascii = 0; ascii < 2; ascii++) {
			struct canvas *c = canvas_create(80, 24, ascii);
			char legend[1024];

			view_lab(c, &s.v);
			legend_text(c, legend, sizeof legend);
			ck_assert_msg(strstr(legend, "&=several") != NULL, "%s", legend);
			ck_assert_msg(strstr(legend, "=lab") != NULL && strstr(legend, "other") != NULL,
			    "the cores' shades are not in the legend: %s", legend);
			canvas_destroy(c);
		}
		bad += legend_screens(&s, labs[i].id, "several", 80, 24, &screens);
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_int_gt(lanes, 0);
	ck_assert_msg(bad == 0, "%d legend faults with several holders drawn", bad);
}
END_TEST

/* The cores rows of one screen: cpu0's (all the lab's) has no dotted
 * cell, cpu1's (half other programs') half of its busy cells, to a cell;
 * a dotted cell never has a lab glyph (NO_COLOR tells them apart) and the
 * legend names both.  Returns the rows checked. */
static int
check_shades(struct synth *s, int w, int h, bool ascii)
{
	struct canvas *c = canvas_create(w, h, ascii);
	char legend[1024], name[64];
	int rows = 0;

	view_lab(c, &s->v);
	row_text(c, c->h - 2, 0, legend, sizeof legend);
	ck_assert_msg(strstr(legend, "=lab") != NULL && strstr(legend, "other"), "%s",
	    legend);
	for (int y = 0; y < c->h - 2; y++) {
		int lab = 0, other = 0;

		row_text(c, y, 0, name, sizeof name);
		if (strncmp(name, "cpu", 3) != 0)
			continue;
		for (int x = 4; x < c->w; x++) {
			const struct canvas_cell *k = canvas_cell(c, x, y);

			lab += k->color == CC_BAR || k->color == CC_BARHI;
			if (k->color != CC_OTHER)
				continue;
			other++;
			for (int g = 0; g < 8; g++)
				ck_assert_uint_ne(k->ch, canvas_glyph(c, CG_SPARK0 + g));
		}
		if (lab + other < 20)
			continue;	/* a bar, not a row on the axis */
		rows++;
		if (name[3] == '0')
			ck_assert_msg(other == 0, "%dx%d: cpu0 has %d dotted cells", w, h, other);
		else
			ck_assert_msg(abs(2 * other - (lab + other)) <= 2,
			    "%dx%d: cpu1 lab %d other %d cells", w, h, lab, other);
	}
	canvas_destroy(c);
	return rows;
}

/* The cores rows tell the lab's share from other programs': in the
 * synthetic series cpu0 is all the lab's and cpu1 half other programs'.
 * On cpu1's row the two shades come in turns (half of the busy cells
 * dotted, to a cell), on cpu0's none is; the shades differ in glyph, not
 * only in colour (NO_COLOR), and the legend names both. */
START_TEST(own_and_other_shades)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), rows_seen = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
			for (int ascii = 0; ascii < 2; ascii++)
				rows_seen += check_shades(&s, sizes[z][0], sizes[z][1], ascii);
		synth_free(&s);
	}
	ck_assert_int_ge(rows_seen, 4);
	lab_list_free(labs, n);
}
END_TEST

/* Whether the timeline's row of thread name shows letter at its name
 * column's end, as its GIL lane draws it. */
static bool
letter_by_name(const struct canvas *c, const char *name, char letter)
{
	int top = -1, nw = name_width_of(c, &top);

	for (int y = top + 1; nw > 2 && y < c->h; y++) {
		char row[1024];
		const struct canvas_cell *k = canvas_cell((struct canvas *)c, nw - 2, y);

		row_text(c, y, 0, row, sizeof row);
		if (strncmp(row, name, strlen(name)) == 0 && row[strlen(name)] == ' ' &&
		    k->ch == (uint32_t)letter && (k->attr & CA_REVERSE))
			return true;
	}
	return false;
}

/* Walk 4 #7: sleep-vs-fib's real CPython threads are main, py-1, py-2,
 * py-3; thread-1..3 of the other runs took 1-3, so py-3 is drawn '4' --
 * which the help's "the holder's last character" cannot decode.  Walk 5
 * F11: at 80 columns the legend said "GIL:1-4,n,p,y", and "main 8993" had
 * no letter by its row (its own last character n, hidden by the pid).
 * Every row of a thread with a letter shows it after its name, at 80x24,
 * 120x40 and 200x50, and the legend either names the letter or says what
 * a letter is; the legend still fits. */
START_TEST(gil_letters_decoded)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	char errs[4096], letters[TRACE_MAX_TASKS];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0, shown = 0, screens = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		if (strcmp(labs[i].id, "sleep-vs-fib") != 0)
			continue;
		synth_init(&s, &labs[i]);
		for (int k = 0; k < trace_ntasks(s.tr); k++) {	/* python's threads: py-N */
			struct trace_task *t = &s.tr->tasks[k];

			if (strcmp(labs[i].runs[t->run].exec->name, "python") == 0 &&
			    strncmp(t->name, "thread-", 7) == 0) {
				char num[16];

				snprintf(num, sizeof num, "%s", t->name + 7);
				snprintf(t->name, sizeof t->name, "py-%s", num);
			}
		}
		lane_letters_all(s.tr, letters, TRACE_MAX_TASKS);
		for (size_t z = 0; z < UTIL_ARRAY_LEN(sizes); z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], true);
			char legend[2048], want[64];
			int top = -1, nw;

			view_lab(c, &s.v);
			nw = name_width_of(c, &top);
			legend_text(c, legend, sizeof legend);
			if (!says_letters(strstr(legend, "GIL:")) && strstr(legend, "GIL:1=") == NULL &&
			    bad++ < 3)
				fprintf(stderr, "%dx%d: the legend does not say what a letter is: "
				    "%s\n", sizes[z][0], sizes[z][1], legend);
			for (int k = 0; k < trace_ntasks(s.tr); k++) {
				const char *name = s.tr->tasks[k].name;

				snprintf(want, sizeof want, "%c=%s", letters[k], name);
				if (letters[k] == 0 || !row_of(c, &s.v, k, nw) || strstr(legend, want))
					continue;
				shown++;
				if (!letter_by_name(c, name, letters[k]) && bad++ < 3)
					fprintf(stderr, "%dx%d: row %s lacks its letter %c\n",
					    sizes[z][0], sizes[z][1], name, letters[k]);
			}
			canvas_destroy(c);
			bad += legend_screens(&s, labs[i].id, "py-N", sizes[z][0], sizes[z][1],
			    &screens);
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_int_gt(shown, 0);
	ck_assert_msg(bad == 0, "%d GIL letters not decoded by the legend", bad);
}
END_TEST

/* Walk 5 F12: with room to spare the legend listed "│=paused ▼=mark" on
 * runs with neither.  Every lab finished at 120x40 and 200x50 (UTF-8 and
 * ASCII): no pause or marker, neither item; a marker, "=mark"; a pause
 * too, "=paused". */
START_TEST(marks_named_only_once_drawn)
{
	static const int sizes[][2] = { { 120, 40 }, { 200, 50 } };
	char errs[4096], legend[2048];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), checked = 0;

	for (int i = 0; i < n; i++)
		for (size_t z = 0; z < UTIL_ARRAY_LEN(sizes); z++)
			for (int ascii = 0; ascii < 2; ascii++) {
				struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], ascii);
				struct synth s;

				synth_init(&s, &labs[i]);
				view_lab(c, &s.v);
				legend_text(c, legend, sizeof legend);
				ck_assert_msg(strstr(legend, "=paused") == NULL &&
				    strstr(legend, "=mark") == NULL, "%s %dx%d, no marks: %s",
				    labs[i].id, c->w, c->h, legend);
				trace_mark(s.tr, TRACE_MARK_USER, -1, s.tr->t0 + 700 * MS, "#1");
				view_lab(c, &s.v);
				legend_text(c, legend, sizeof legend);
				ck_assert_msg(strstr(legend, "=mark") != NULL &&
				    strstr(legend, "=paused") == NULL, "%s %dx%d, a marker: %s",
				    labs[i].id, c->w, c->h, legend);
				trace_mark(s.tr, TRACE_MARK_NOTE, -1, s.tr->t0 + 300 * MS, "paused");
				trace_mark(s.tr, TRACE_MARK_NOTE, -1, s.tr->t0 + 600 * MS, "resumed");
				view_lab(c, &s.v);
				legend_text(c, legend, sizeof legend);
				ck_assert_msg(strstr(legend, "=paused") != NULL ||
				    strstr(legend, "=marks") != NULL, "%s %dx%d, a pause: %s",
				    labs[i].id, c->w, c->h, legend);
				synth_free(&s);
				canvas_destroy(c);
				checked++;
			}
	lab_list_free(labs, n);
	ck_assert_int_ge(checked, 4);
}
END_TEST

/* Walk 5 F20: a marker's label on a short screen was written over the GIL
 * letters of a band's line ('2312v#11323').  Every lab at 80x24 and
 * 120x40, two markers (in the first band and the last): each changes
 * at most its own cell where the screen without it drew anything but the
 * bare line (its label goes on the bare line only). */
START_TEST(marker_hides_no_letters)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), labelled = 0;

	for (int i = 0; i < n; i++)
		for (size_t z = 0; z < UTIL_ARRAY_LEN(sizes); z++) {
			struct canvas *a = canvas_create(sizes[z][0], sizes[z][1], true);
			struct canvas *b = canvas_create(sizes[z][0], sizes[z][1], true);
			struct synth s;
			int hidden = 0;

			synth_init(&s, &labs[i]);
			view_lab(a, &s.v);
			/* in the first band and in the middle of the last */
			trace_mark(s.tr, TRACE_MARK_USER, -1, s.tr->t0 + 700 * MS, "#1");
			trace_mark(s.tr, TRACE_MARK_USER, -1, s.v.now - 1000 * MS, "#2");
			view_lab(b, &s.v);
			for (int y = 0; y < a->h - 2; y++)	/* above the legend */
				for (int x = 0; x < a->w; x++) {
					uint32_t was = canvas_cell(a, x, y)->ch;

					hidden += was != canvas_cell(b, x, y)->ch && was != '-' &&
					    was != ' ';
					labelled += canvas_cell(b, x, y)->ch == '#' && was == '-';
				}
			ck_assert_msg(hidden <= 2, "%s %dx%d: 2 markers hid %d cells", labs[i].id,
			    a->w, a->h, hidden);
			synth_free(&s);
			canvas_destroy(a);
			canvas_destroy(b);
		}
	lab_list_free(labs, n);
	ck_assert_int_gt(labelled, 0);	/* labels are still drawn */
}
END_TEST

static Suite *
legend_suite(void)
{
	Suite *s = suite_create("screens_legend");
	TCase *tc = tcase_create("legend");

	/* Drawing 1,920 screens a size is a few seconds of CPU, but its wall
	 * time is what the timeout counts: under AddressSanitizer at a load
	 * of 14-22 on two cores the third set took 36 s (its CPU: 13.6 s for
	 * the whole binary) and timed out at 30 s.  A passing test ends when
	 * it is done. */
	tcase_set_timeout(tc, 240);
	tcase_add_loop_test(tc, every_glyph_is_in_the_legend, 0, 3);
	tcase_add_test(tc, own_and_other_shades);
	tcase_add_test(tc, gil_letters_decoded);
	tcase_add_test(tc, marks_named_only_once_drawn);
	tcase_add_test(tc, marker_hides_no_letters);
	tcase_add_test(tc, several_at_once_leaves_room_for_the_shades);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(legend_suite)
