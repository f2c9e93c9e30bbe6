/* Views: the canvas (clipping, UTF-8, wrapping, cuts), and the screens
 * and panels -- lab screen, help, menu, settings, question, reveal,
 * reader, output and clients panes -- rendered from a canned trace
 * (view_fx.h) and compared with stored text or checked for what they must
 * say. */
#include "view_fx.h"

#include "verdict.h"

START_TEST(canvas_clips_and_decodes)
{
	struct canvas *c = canvas_create(10, 3, false);
	char *s;

	canvas_text(c, 8, 0, -1, "abcdef", CC_DEFAULT, 0);
	canvas_text(c, -2, 1, -1, "xyz", CC_DEFAULT, 0);
	ck_assert_int_eq(canvas_text(c, 0, 2, -1, "\xc3\xa9t\xc3\xa9", CC_DEFAULT, 0), 3);
	canvas_put(c, 100, 100, 'q', 0, 0);
	s = canvas_to_string(c);
	/* a cut says so: its last column is the ellipsis (review F10) */
	ck_assert_str_eq(s, "        a\xe2\x80\xa6\nz\n\xc3\xa9t\xc3\xa9\n");
	free(s);
	c->ascii = true;
	canvas_clear(c);
	canvas_text(c, 0, 0, -1, "\xc3\xa9t\xc3\xa9", CC_DEFAULT, 0);
	ck_assert_uint_eq(canvas_glyph(c, CG_RUN), '#');
	s = canvas_to_string(c);
	ck_assert_str_eq(s, "?t?\n\n\n");
	free(s);
	/* text's own µs and … in their ASCII spelling, not ?s (review F11) */
	canvas_clear(c);
	canvas_text(c, 0, 0, -1, "65.6 \xc2\xb5s\xe2\x80\xa6", CC_DEFAULT, 0);
	s = canvas_to_string(c);
	ck_assert_str_eq(s, "65.6 us>\n\n\n");
	free(s);
	/* text cut by the width: '>' in ASCII, never a '.' read as a full stop */
	canvas_clear(c);
	canvas_text(c, 0, 0, 6, "gil A global", CC_DEFAULT, 0);
	s = canvas_to_string(c);
	ck_assert_str_eq(s, "gil A>\n\n\n");
	free(s);
	canvas_destroy(c);
	canvas_destroy(NULL);
}
END_TEST

START_TEST(canvas_wraps_words)
{
	struct canvas *c = canvas_create(12, 4, true);
	char *s;
	int rows = canvas_wrap(c, 0, 0, 10, 4, "one two three four\nfive sixseveneightnine",
	    CC_DEFAULT, 0);

	s = canvas_to_string(c);
	ck_assert_str_eq(s, "one two\nthree four\nfive\nsixsevene>\n");
	ck_assert_int_eq(rows, 4);
	free(s);
	/* a number keeps its unit: no line ends "10.8" with "s" on the next
	 * (review F11), nor "65.6" without its "ms," */
	canvas_clear(c);
	rows = canvas_wrap(c, 0, 0, 10, 4, "took 10.8 s in C, 65.6 ms, 2.5x", CC_DEFAULT, 0);
	s = canvas_to_string(c);
	ck_assert_str_eq(s, "took\n10.8 s in\nC,\n65.6 ms, >\n");
	free(s);
	canvas_destroy(c);
}
END_TEST

/* Row y of the canvas as text. */
static void
row_of_canvas(const struct canvas *c, int y, char *buf, size_t len)
{
	char *s = canvas_to_string(c), *l = s;

	for (int i = 0; i < y && l != NULL; i++) {
		l = strchr(l, '\n');
		l = l != NULL ? l + 1 : NULL;
	}
	snprintf(buf, len, "%.*s", l != NULL ? (int)strcspn(l, "\n") : 0, l != NULL ? l : "");
	free(s);
}

/* Walk 3 #15: texts cut where the number or the key matters.  A one-row
 * wrap cuts between words, not inside the last one; the verdict's cut
 * never ends on a number (its noun cut off) nor inside parentheses; the
 * menu's path line says its key in full; the lab's title keeps three
 * blanks before the dashboard's figures. */
START_TEST(cuts_keep_words_and_numbers)
{
	static const char verdict[] = "You said 2 -- right. This run did not show: computing "
	    "threads ran in parallel. Likely cause: other load (other programs 79 % of the "
	    "lab's CPUs, steal 0.7 %)";
	struct canvas *c = canvas_create(80, 24, true);
	struct view_lab v;
	struct fixture f;
	char row[256], *cut;

	canvas_wrap(c, 0, 0, 9, 1, "share the cores", CC_DEFAULT, 0);
	row_of_canvas(c, 0, row, sizeof row);
	ck_assert_str_eq(row, "share >");
	for (int w = 60; w <= 120; w++)
		for (int vrows = 1; vrows <= 2; vrows++) {
			struct canvas *t = canvas_create(w, 4, true);
			char all[1024] = "";

			memset(&v, 0, sizeof v);
			v.verdict = verdict;
			view_strip(t, &v, 0, 0, w, 4, vrows);
			for (int y = 0; y < vrows; y++) {
				row_of_canvas(t, y, row, sizeof row);
				snprintf(all + strlen(all), sizeof all - strlen(all), "%s ", row);
			}
			cut = strstr(all, " ... (l)");
			if (cut == NULL) {	/* it fits whole */
				ck_assert_msg(strstr(all, "steal 0.7 %)") != NULL, "%d: %s", w, all);
				canvas_destroy(t);
				continue;
			}
			ck_assert_msg(!isdigit((unsigned char)cut[-1]) && cut[-1] != '%' &&
			    strchr(all, '(') == strrchr(all, '('), "%d cols, %d rows: '%s'", w, vrows,
			    all);
			canvas_destroy(t);
		}
	fixture_init(&f, false);
	f.v.own_cpu_pct = 0.7;
	free(f.lab.title);
	f.lab.title = strdup("A shared counter loses updates without a lock in it");
	for (int w = 80; w <= 100; w++) {
		const char *d;

		canvas_resize(c, w, 24);
		view_lab(c, &f.v);
		row_of_canvas(c, 0, row, sizeof row);
		d = strstr(row, " rss ") != NULL ? strstr(row, " rss ") : strstr(row, " dashboard ");
		ck_assert_msg(d == NULL || (d[-1] == ' ' && d[-2] == ' '), "%d: '%s'", w, row);
	}
	fixture_free(&f);
	canvas_destroy(c);
}
END_TEST

START_TEST(lab_screen_80x24_running)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);

	fixture_init(&f, false);
	view_lab(c, &f.v);
	compare_screen(c, "lab_80x24_running.txt");
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

START_TEST(lab_screen_120x40_finished)
{
	struct fixture f;
	struct canvas *c = canvas_create(120, 40, true);

	fixture_init(&f, true);
	view_lab(c, &f.v);
	compare_screen(c, "lab_120x40_finished.txt");
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* Walk 7 H11: before anything ran the key line listed "p pause", and p
 * answered "nothing runs: p pauses a run in progress".  The key line lists
 * the keys that act now: no p before a run nor after one, p while it goes. */
START_TEST(key_line_lists_what_acts_now)
{
	static const int widths[] = { 80, 120 };
	struct fixture f;

	for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
		struct canvas *c = canvas_create(widths[k], 24, true);
		struct trace *tr;
		char err[256], row[256];

		fixture_init(&f, false);	/* running: p pauses */
		view_lab(c, &f.v);
		row_of_canvas(c, 23, row, sizeof row);
		ck_assert_msg(strstr(row, "p pause") != NULL, "%zu running: %s", k, row);
		f.v.running = false;		/* stopped: nothing runs */
		f.v.runs[1].state = VIEW_RUN_FINISHED;
		view_lab(c, &f.v);
		row_of_canvas(c, 23, row, sizeof row);
		ck_assert_msg(strstr(row, "p pause") == NULL && strstr(row, "Enter run") != NULL,
		    "%d stopped: %s", widths[k], row);
		tr = trace_create(err, sizeof err);	/* nothing ran yet */
		ck_assert_ptr_nonnull(tr);
		f.v.tr = tr;
		f.v.runs[0].state = f.v.runs[1].state = VIEW_RUN_PENDING;
		canvas_clear(c);
		view_lab(c, &f.v);
		row_of_canvas(c, 23, row, sizeof row);
		ck_assert_msg(strstr(row, "p pause") == NULL && strstr(row, "m mark") == NULL &&
		    strstr(row, "Enter run") != NULL, "%d before a run: %s", widths[k], row);
		trace_destroy(tr);
		fixture_free(&f);
		canvas_destroy(c);
	}
}
END_TEST

START_TEST(lab_screen_utf8_glyphs)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, false);

	fixture_init(&f, false);
	view_lab(c, &f.v);
	compare_screen(c, "lab_80x24_utf8.txt");
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* Issue 14 leftovers 4: the mark of a headline whose figures miss the
 * lesson was the timeline's failed glyph (X, and its UTF-8 art).  It is
 * no glyph the canvas draws for anything else, in either mode, nor the
 * headlines' bullet; and the help explains it. */
START_TEST(headline_mark_is_its_own)
{
	for (int ascii = 0; ascii < 2; ascii++) {
		struct canvas *c = canvas_create(80, 24, ascii);
		char *s;

		for (int g = 0; g < CG_NGLYPHS; g++)
			ck_assert_msg(canvas_glyph(c, (enum canvas_glyph)g) != VERDICT_OFF_MARK,
			    "glyph %d is the headline's mark %c (ascii %d)", g, VERDICT_OFF_MARK, ascii);
		ck_assert_uint_ne(VERDICT_OFF_MARK, ascii ? '>' : 0x25b8);
		view_help(c, 1);
		s = canvas_to_string(c);
		/* walk 6 G4: and the side figure's mark beside it */
		ck_assert_msg(strstr(s, "!  missed  its figures miss the lesson (?: a side "
		    "figure)") != NULL, "%s", s);
		free(s);
		canvas_destroy(c);
	}
}
END_TEST

START_TEST(help_overlay)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);

	fixture_init(&f, false);
	f.v.help = true;
	view_lab(c, &f.v);
	compare_screen(c, "help_80x24.txt");
	/* at 80x24 in two pages, each inside its border: the title bar (row
	 * 0) and the key line (row 23) stay; walk 10: it ran over both */
	ck_assert_int_eq(view_help(c, 0), 2);
	for (int page = 0; page < 2; page++) {
		int top = -1, bottom = -1;

		f.v.help_page = page;
		view_lab(c, &f.v);
		for (int y = 0; y < c->h; y++)
			if (canvas_cell(c, 9, y)->ch == '-' && canvas_cell(c, 40, y)->ch == '-') {
				top = top < 0 ? y : top;
				bottom = y;
			}
		ck_assert_int_ge(top, 1);
		ck_assert_int_gt(bottom, top + 5);
		ck_assert_int_le(bottom, c->h - 2);
		ck_assert_uint_eq(canvas_cell(c, 1, 0)->ch, 'c');	/* " conclab" */
	}
	compare_screen(c, "help_80x24_page2.txt");
	canvas_destroy(c);
	c = canvas_create(120, 40, true);
	ck_assert_int_eq(view_help(c, 0), 1);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

START_TEST(too_small_message)
{
	struct fixture f;
	struct canvas *c = canvas_create(60, 20, true);

	fixture_init(&f, false);
	view_lab(c, &f.v);
	compare_screen(c, "too_small_60x20.txt");
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

START_TEST(menu_80x24)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);

	fixture_init(&f, false);
	view_menu(c, &f.lab, 1, 0, NULL, NULL);
	compare_screen(c, "menu_80x24.txt");
	{	/* no task states on the menu: no legend of them (walk 3 #17) */
		char *s = canvas_to_string(c);

		ck_assert_msg(strstr(s, "legend:") == NULL, "%s", s);
		free(s);
	}
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* The settings screen lists each run's parameters with value and the lab
 * file's value (a value changed from the file's is starred), and scrolls.  No golden
 * file: the parameter tables change as executors grow. */
START_TEST(settings_80x24)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	struct view_settings v = { .tasks = 2, .work_ms = 1000, .sel = -2, .slow = 1 };
	char *got;

	fixture_init(&f, false);
	v.lab = &f.lab;
	view_settings(c, &v);
	got = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(got, "settings  canned"));
	ck_assert_ptr_nonnull(strstr(got, "tasks per run   2 "));
	ck_assert_msg(strstr(got, "work              fib        fib ") != NULL, "%s", got);
	ck_assert_ptr_nonnull(strstr(got, "fib  (threads:"));
	ck_assert_ptr_nonnull(strstr(got, "sleep  (threads:"));
	/* slow motion and the CPUs are settings too; a selected line is
	 * drawn reversed, and lines map to their run and parameter */
	ck_assert_ptr_nonnull(strstr(got, "slow motion     x1 "));
	ck_assert_ptr_nonnull(strstr(got, "cpus            all     the CPUs the lab may use (--cpus)"));
	ck_assert_int_eq(canvas_cell(c, 3, 4)->attr & CA_REVERSE, CA_REVERSE);	/* sel -2 */
	/* and marked in the text (walk 4 #14: the cursor started on slow
	 * motion, and a plain-text view did not show it) */
	ck_assert_msg(strstr(got, "\n>cpus ") != NULL && strstr(got, "\n slow motion ") != NULL,
	    "%s", got);
	free(got);
	{	/* the second run's rows, below the first's (the threads
		 * executor's hand-over parameters fill 80x24) */
		struct canvas *tall = canvas_create(80, 40, true);

		view_settings(tall, &v);
		got = canvas_to_string(tall);
		ck_assert_msg(strstr(got, "work              sleep      sleep ") != NULL, "%s", got);
		free(got);
		canvas_destroy(tall);
	}
	v.sel = -1;
	view_settings(c, &v);
	got = canvas_to_string(c);
	ck_assert_msg(strstr(got, "\n>slow motion ") != NULL && strstr(got, "\n cpus ") != NULL,
	    "%s", got);
	free(got);
	v.sel = VIEW_SEL_TASKS;		/* the lines above cpus can be picked too */
	view_settings(c, &v);
	got = canvas_to_string(c);
	ck_assert_msg(strstr(got, "\n>tasks per run ") != NULL && strstr(got, "\n cpus ") != NULL,
	    "%s", got);
	ck_assert_int_eq(canvas_cell(c, 3, 2)->attr & CA_REVERSE, CA_REVERSE);
	v.sel = -2;
	free(got);
	{
		int run = -1, param = -1;

		ck_assert(!view_settings_param(&f.lab, 0, &run, &param));
		ck_assert(view_settings_param(&f.lab, 1, &run, &param));
		ck_assert_int_eq(run, 0);
		ck_assert_int_eq(param, 0);
		v.sel = 1;
		v.slow = 4;
		v.cpus = "0";
		view_settings(c, &v);
		got = canvas_to_string(c);
		ck_assert_ptr_nonnull(strstr(got, "slow motion     x4 "));
		ck_assert_ptr_nonnull(strstr(got, "cpus            0       the CPUs"));
		ck_assert_int_eq(canvas_cell(c, 3, 8)->attr & CA_REVERSE, CA_REVERSE);
		ck_assert_int_eq(canvas_cell(c, 3, 4)->attr & CA_REVERSE, 0);
		ck_assert_int_eq(canvas_cell(c, 0, 8)->ch, '>');
		ck_assert_int_eq(canvas_cell(c, 0, 4)->ch, ' ');
		free(got);
	}
	ck_assert_int_ge(view_settings_lines(&f.lab), 4);
	v.scroll = view_settings_lines(&f.lab) - 1;
	view_settings(c, &v);
	got = canvas_to_string(c);
	ck_assert_ptr_null(strstr(got, "fib  (threads:"));
	free(got);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* Before the first run the lesson asks for a prediction, and the key line
 * says how to answer. */
START_TEST(ask_screen_80x24)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *s;

	fixture_init(&f, false);
	f.v.asking = true;
	f.v.running = false;
	f.v.runs[0].state = f.v.runs[1].state = VIEW_RUN_PENDING;
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "Predict first"));
	ck_assert_ptr_nonnull(strstr(s, "1) one second"));
	ck_assert_ptr_nonnull(strstr(s, "s or Enter skip"));
	free(s);
	compare_screen(c, "lab_80x24_ask.txt");
	f.v.asking = false;
	f.v.predict = 2;
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "2) two seconds   <- your answer"));
	free(s);
	/* A choice whose last row leaves no room for the marker is wrapped
	 * narrower: the marker stays whole, beside the choice's last words. */
	f.v.choices[1] = "Two seconds, because the interpreter lock lets only one "
	    "thread run Python code at a time, whatever the number of cores that this machine has got";
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "machine has got   <- your answer\n"));
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* After the run: the reveal, the explanation and the exercises, paged. */
START_TEST(reveal_screen_80x24)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *s;

	fixture_init(&f, true);
	f.lab.tries[0] = strdup("Set tasks to 8 and predict the wall time first.");
	f.lab.tries[1] = strdup("Halve the work with [ and compare.");
	f.lab.ntries = 2;
	f.v.predict = 1;
	f.v.explain = "You said 1 (one second) -- right. Measured: fib 2.00 s, sleep "
	    "1.10 s on 2 cores -- because:\nThe fib threads took 2.00 s on 2 cores. "
	    "Sleeping threads overlap: a thread that sleeps gives up its core, so the "
	    "sleeps overlap and the cores stay idle.";
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "You said 1 (one second) -- right."));
	ck_assert_ptr_nonnull(strstr(s, "fib 2.00 s"));
	free(s);
	compare_screen(c, "lab_80x24_reveal.txt");
	/* Paging down far enough shows the last exercise. */
	f.v.lesson_scroll = 100;
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "Try: Halve the work"));
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* Review F12: the reader pages by its visible height, not 5 lines. */
START_TEST(reader_pages_by_its_height)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char text[4096] = "", *s;

	fixture_init(&f, true);
	for (int i = 1; i <= 50; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "line %d\n", i);
	f.v.reader = true;
	f.v.reader_text = text;
	ck_assert_int_eq(view_reader_page(c), 20);
	ck_assert_int_eq(view_reader_last(c, &f.v), 50 - 20);
	f.v.lesson_scroll = view_reader_page(c);	/* one PgDn */
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_msg(strstr(s, "(lines 21-40 of 50)") != NULL, "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "line 21\n"));
	ck_assert_ptr_nonnull(strstr(s, "line 40\n"));
	ck_assert_ptr_null(strstr(s, "line 20\n"));
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* The output pane beside the lesson (labs whose tasks print). */
START_TEST(output_pane)
{
	static const char out[3][OUTPANE_LINE_LEN] = { "a0", "b0", "a1" };
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *s;

	fixture_init(&f, false);
	f.v.out = out;
	f.v.nout = 3;
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "Output (3 lines)"));
	ck_assert_ptr_nonnull(strstr(s, "b0"));
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* The clients pane: a load generator's requests per second sampled into a
 * sparkline (it drops when perf1 joins), perf1's latency, only the newest
 * run's clients, and a finished client's history kept as it ended. */
START_TEST(clients_pane)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	struct meter_set ms;
	uint64_t t;
	int p2, p1, old;
	char *s;

	fixture_init(&f, false);
	meter_reset(&ms);
	old = trace_task_add(f.tr, 0, "perf2-old", TRACE_KIND_TASK);
	trace_set_meter(f.tr, old, TRACE_METER_RATE);
	p2 = trace_task_add(f.tr, 1, "perf2-1", TRACE_KIND_TASK);
	trace_set_meter(f.tr, p2, TRACE_METER_RATE);
	set_at(f.tr, p2, 0, TRACE_IO, 2000, 0);
	t = f.tr->t0;
	meter_sample(&ms, f.tr, t);
	ck_assert_int_eq(ms.n, 1);	/* run 1's client only */
	/* 1000 replies per 250 ms tick = 4000/s, then 10 per tick = 40/s. */
	for (int tick = 1; tick <= 8; tick++) {
		for (int i = 0; i < (tick <= 4 ? 1000 : 10); i++)
			trace_request(f.tr, p2, 50000);
		if (tick == 4) {
			p1 = trace_task_add(f.tr, 1, "perf1-1", TRACE_KIND_TASK);
			trace_set_meter(f.tr, p1, TRACE_METER_LATENCY);
		}
		if (tick == 6)
			trace_request(f.tr, p1, 55 * MS);
		meter_sample(&ms, f.tr, t + (uint64_t)tick * METER_TICK_NS);
	}
	ck_assert_int_eq(ms.n, 2);
	ck_assert_int_eq(ms.m[0].n, 8);
	ck_assert_double_eq_tol(ms.m[0].hist[0], 4000, 1);
	ck_assert_double_eq_tol(ms.m[0].rate, 40, 1);
	ck_assert_uint_eq(ms.m[1].count, 1);
	/* Done: the history stays as it ended. */
	set_at(f.tr, p2, 0, TRACE_DONE, 4000, 0);
	meter_sample(&ms, f.tr, t + 20 * METER_TICK_NS);
	ck_assert_int_eq(ms.m[0].n, 8);
	f.v.meters = ms.m;
	f.v.nmeters = ms.n;
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	if (strstr(s, "perf2-1 ####____") == NULL)
		fputs(s, stderr);
	ck_assert_ptr_nonnull(strstr(s, "Clients"));
	ck_assert_ptr_nonnull(strstr(s, "perf2-1 ####____      40/s"));
	ck_assert_ptr_nonnull(strstr(s, "perf1-1 latency 55.0 ms"));
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* The menu marks labs done, predictions right or wrong, and the next lab. */
START_TEST(menu_progress)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	struct lab labs[3];
	struct progress p;
	char err[256], *s;

	fixture_init(&f, false);
	memset(&p, 0, sizeof p);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "canned.lab", exec_info,
		    &labs[i], err, sizeof err), 0);
		snprintf(labs[i].id, sizeof labs[i].id, "lab-%c", 'a' + i);
	}
	view_menu(c, labs, 3, 0, &p, NULL);	/* fresh: nothing predicted yet */
	s = canvas_to_string(c);
	ck_assert_msg(strstr(s, "0 of 3 labs done; no predictions yet; next: lab-a") != NULL &&
	    strstr(s, "0 of 0") == NULL, "%s", s);	/* walk 5 F20: "0 of 0 ... right" */
	free(s);
	progress_record(&p, "lab-a", 1, 1);
	progress_record(&p, "lab-c", 2, 0);
	view_menu(c, labs, 3, 0, &p, NULL);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "2 of 3 labs done; 1 of 2 predictions right; "
	    "next: lab-b"));
	ck_assert_msg(strstr(s, "Enter to open it") != NULL, "%s", s);	/* walk 3 #15 */
	ck_assert_ptr_nonnull(strstr(s, "done, predicted right"));
	ck_assert_ptr_nonnull(strstr(s, "done, predicted wrong"));
	ck_assert_ptr_nonnull(strstr(s, "<- next"));
	free(s);
	compare_screen(c, "menu_80x24_progress.txt");
	for (int i = 0; i < 3; i++)
		lab_free(&labs[i]);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

static Suite *
view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("view");

	tcase_add_test(tc, canvas_clips_and_decodes);
	tcase_add_test(tc, canvas_wraps_words);
	tcase_add_test(tc, cuts_keep_words_and_numbers);
	tcase_add_test(tc, lab_screen_80x24_running);
	tcase_add_test(tc, lab_screen_120x40_finished);
	tcase_add_test(tc, key_line_lists_what_acts_now);
	tcase_add_test(tc, lab_screen_utf8_glyphs);
	tcase_add_test(tc, help_overlay);
	tcase_add_test(tc, headline_mark_is_its_own);
	tcase_add_test(tc, too_small_message);
	tcase_add_test(tc, menu_80x24);
	tcase_add_test(tc, settings_80x24);
	tcase_add_test(tc, ask_screen_80x24);
	tcase_add_test(tc, reveal_screen_80x24);
	tcase_add_test(tc, reader_pages_by_its_height);
	tcase_add_test(tc, output_pane);
	tcase_add_test(tc, clients_pane);
	tcase_add_test(tc, menu_progress);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(view_suite)
