/* Views: the canvas (clipping, UTF-8, wrapping), and screens rendered from a
 * canned trace into 80x24 and 120x40 canvases compared with stored text in
 * tests/fixtures/screens/ (CONCLAB_UPDATE_SCREENS=1 rewrites them). */
#include "testutil.h"

#include "canvas.h"
#include "clock.h"
#include "exec.h"
#include "lab.h"
#include "meter.h"
#include "sample.h"
#include "trace.h"
#include "view.h"

#include <ctype.h>

#define MS 1000000ULL

static const char lab_text[] =
    "[lab]\nid = canned\ntitle = A canned lab for screen tests\n"
    "question = Two threads compute and one sleeps. How long?\n"
    "choice = one second\nchoice = two seconds\nanswer = 1\n"
    "explain = The fib threads took {fib.wall_s} s on {cores} cores.\n"
    "[run fib]\nexecutor = threads\ntasks = 2\nwork = fib\nduration_ms = 1000\n"
    "[run sleep]\nexecutor = threads\ntasks = 1\nwork = sleep\nduration_ms = 1000\n";

struct fixture {
	struct trace *tr;
	struct lab lab;
	struct core_sampler *cs;
	int cpu_ids[2];
	struct view_lab v;
};

static void
set_at(struct trace *tr, int slot, int cpu, enum trace_state st, uint64_t ms, uint32_t arg)
{
	at_store_relaxed(&tr->tasks[slot].cpu, cpu);
	trace_set_state_at(tr, slot, st, tr->t0 + ms * MS, arg);
}

/* Run "fib": fib-1 runs on cpu 0, fib-2 runs on cpu 1 then waits for the
 * lock, a GIL lane hands over between them; run "sleep": sleep-1 in io. */
static void
fixture_init(struct fixture *f, bool finished)
{
	char err[256];
	struct trace *tr;
	int a, b, g, s;

	memset(f, 0, sizeof *f);
	f->tr = tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(tr);
	ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "canned.lab", exec_info,
	    &f->lab, err, sizeof err), 0);
	trace_mark(tr, TRACE_MARK_RUN, 0, tr->t0, "fib");
	a = trace_task_add(tr, 0, "fib-1", TRACE_KIND_TASK);
	b = trace_task_add(tr, 0, "fib-2", TRACE_KIND_TASK);
	g = trace_task_add(tr, 0, "gil", TRACE_KIND_LANE);
	set_at(tr, a, 0, TRACE_RUN, 0, 0);
	set_at(tr, b, 1, TRACE_RUN, 0, 0);
	set_at(tr, g, -1, TRACE_RUN, 0, (uint32_t)a + 1);
	set_at(tr, b, 1, TRACE_LOCK, 600, 0);
	set_at(tr, g, -1, TRACE_RUN, 900, (uint32_t)b + 1);
	set_at(tr, a, 0, TRACE_READY, 900, 0);
	set_at(tr, b, 1, TRACE_RUN, 900, 0);
	set_at(tr, a, 0, TRACE_RUN, 1400, 0);
	set_at(tr, g, -1, TRACE_RUN, 1400, (uint32_t)a + 1);
	set_at(tr, b, 1, TRACE_DONE, 1400, 0);
	set_at(tr, a, 0, TRACE_DONE, 2000, 0);
	set_at(tr, g, -1, TRACE_DONE, 2000, 0);
	trace_mark(tr, TRACE_MARK_RUN, 1, tr->t0 + 2000 * MS, "sleep");
	s = trace_task_add(tr, 1, "sleep-1", TRACE_KIND_TASK);
	set_at(tr, s, 1, TRACE_RUN, 2000, 0);
	set_at(tr, s, 1, TRACE_IO, 2050, 0);
	if (finished)
		set_at(tr, s, 1, TRACE_DONE, 3000, 0);

	f->cs = sample_cores_create(2, "/nonexistent");
	f->cs->busy[0] = 0.25;
	f->cs->busy[1] = 1.0;
	for (int i = 0; i < 8; i++) {
		f->cs->history[i] = (float)i / 8;
		f->cs->history[SAMPLE_HISTORY + i] = 1.0f - (float)i / 8;
	}
	f->cs->nhist = 8;
	f->cs->hpos = 8;
	f->cpu_ids[0] = 0;
	f->cpu_ids[1] = 1;

	f->v.lab = &f->lab;
	f->v.tr = tr;
	f->v.cores = f->cs;
	f->v.cpu_ids = f->cpu_ids;
	f->v.ncpu = 2;
	f->v.now = tr->t0 + 3100 * MS;
	f->v.t_from = tr->t0;
	f->v.runs[0] = (struct view_run){ VIEW_RUN_FINISHED, 2.0, 2.6, 1.3, NULL };
	f->v.runs[1] = (struct view_run){ finished ? VIEW_RUN_FINISHED : VIEW_RUN_RUNNING,
		1.1, 0.01, 0.01, NULL };
	f->v.running = !finished;
	f->v.finished = finished;
	f->v.explain = finished ? "The fib threads took 2.00 s on 2 cores." : NULL;
	f->v.tasks = 2;
	f->v.work_ms = 1000;
	f->v.own_cpu_pct = 0.5;
	f->v.fps = 10;
	f->v.scroll = -1;
}

static void
fixture_free(struct fixture *f)
{
	sample_cores_destroy(f->cs);
	lab_free(&f->lab);
	trace_destroy(f->tr);
}

static char *
read_all(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* Compare the canvas with screens/NAME (or write it when updating). */
static void
compare_screen(const struct canvas *c, const char *name)
{
	char rel[128], *got = canvas_to_string(c), *want;

	snprintf(rel, sizeof rel, "screens/%s", name);
	if (getenv("CONCLAB_UPDATE_SCREENS") != NULL) {
		FILE *fp = fopen(tu_fixture(rel), "w");

		ck_assert_ptr_nonnull(fp);
		fputs(got, fp);
		fclose(fp);
	}
	want = read_all(tu_fixture(rel));
	ck_assert_msg(want != NULL, "missing %s (CONCLAB_UPDATE_SCREENS=1 writes it)", rel);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "--- expected %s\n%s--- got\n%s", rel, want, got);
		ck_abort_msg("screen %s differs", rel);
	}
	free(got);
	free(want);
}

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
	ck_assert_msg(strstr(got, "work              sleep      sleep ") != NULL, "%s", got);
	ck_assert_ptr_nonnull(strstr(got, "fib  (threads:"));
	ck_assert_ptr_nonnull(strstr(got, "sleep  (threads:"));
	/* slow motion and the CPUs are settings too; a selected line is
	 * drawn reversed, and lines map to their run and parameter */
	ck_assert_ptr_nonnull(strstr(got, "slow motion     x1 "));
	ck_assert_ptr_nonnull(strstr(got, "cpus            all     the CPUs the lab may use (--cpus)"));
	ck_assert_int_eq(canvas_cell(c, 3, 4)->attr & CA_REVERSE, CA_REVERSE);	/* sel -2 */
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

START_TEST(many_tasks_scroll_and_many_cores_fold)
{
	char err[256];
	struct trace *tr = trace_create(err, sizeof err);
	struct canvas *c = canvas_create(80, 24, true);
	struct core_sampler *cs = sample_cores_create(32, "/nonexistent");
	int ids[32];
	struct view_lab v;
	struct lab lab;
	char *s;

	ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "canned.lab", exec_info,
	    &lab, err, sizeof err), 0);
	for (int i = 0; i < 40; i++) {
		char name[16];
		int slot;

		snprintf(name, sizeof name, "t-%d", i);
		slot = trace_task_add(tr, 0, name, TRACE_KIND_TASK);
		set_at(tr, slot, i % 32, TRACE_RUN, (uint64_t)i * 10, 0);
	}
	for (int i = 0; i < 32; i++) {
		ids[i] = i;
		cs->busy[i] = i / 31.0;
	}
	memset(&v, 0, sizeof v);
	v.lab = &lab;
	v.tr = tr;
	v.cores = cs;
	v.cpu_ids = ids;
	v.ncpu = 32;
	v.now = tr->t0 + 1000 * MS;
	v.t_from = tr->t0;
	v.fps = 10;
	v.scroll = -1;
	v.own_cpu_pct = -1;
	view_lab(c, &v);
	s = canvas_to_string(c);
	/* The newest rows are shown, with the range, and the legend and keys. */
	ck_assert_ptr_nonnull(strstr(s, "of 40"));
	ck_assert_ptr_nonnull(strstr(s, "t-39"));
	ck_assert_ptr_null(strstr(s, "t-0 "));
	ck_assert_ptr_nonnull(strstr(s, "legend:"));
	ck_assert_ptr_nonnull(strstr(s, "q quit"));
	if (strstr(s, "c31") == NULL)
		fputs(s, stderr);
	ck_assert_ptr_nonnull(strstr(s, "c31"));
	free(s);
	v.scroll = 0;
	view_lab(c, &v);
	s = canvas_to_string(c);
	ck_assert_ptr_nonnull(strstr(s, "t-0 "));
	free(s);
	sample_cores_destroy(cs);
	lab_free(&lab);
	canvas_destroy(c);
	trace_destroy(tr);
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

/* Presenter: paused and in focus, markers on the timeline, the GIL's switch
 * interval, and worker processes with their pid. */
START_TEST(focus_paused_80x24)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *s;

	fixture_init(&f, false);
	trace_mark(f.tr, TRACE_MARK_NOTE, 0, f.tr->t0 + 1000 * MS, "main finished");
	trace_mark(f.tr, TRACE_MARK_USER, -1, f.tr->t0 + 2900 * MS, "#1");
	at_store_relaxed(&f.tr->tasks[3].pid, 4242);
	f.v.own_pid = 1;
	f.v.paused = true;
	f.v.focus = true;
	f.v.switch_ms = 5;
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	if (strstr(s, "main f") == NULL)
		fputs(s, stderr);
	ck_assert_ptr_nonnull(strstr(s, "PAUSED"));
	ck_assert_ptr_nonnull(strstr(s, "switch 5.0 ms"));
	ck_assert_ptr_nonnull(strstr(s, "sleep-1 4242"));
	ck_assert_ptr_nonnull(strstr(s, "main f"));
	ck_assert_ptr_nonnull(strstr(s, "#1"));
	ck_assert_ptr_nonnull(strstr(s, "p resume"));
	/* Focus: no numbers table, no lesson. */
	ck_assert_ptr_null(strstr(s, "wall s"));
	free(s);
	compare_screen(c, "lab_80x24_focus_paused.txt");
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* A presenter's pause takes no cells (the time axis leaves it out): the
 * run's rows are its 1.5 s not paused, the pause is a glyph on the band's
 * line where it began, and the legend says so. */
START_TEST(pause_shown_on_the_rows)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *s, *row, *hdr;

	fixture_init(&f, false);
	trace_set_paused(f.tr, true, f.tr->t0 + 500 * MS);
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 500 * MS, "paused");
	trace_set_paused(f.tr, false, f.tr->t0 + 1000 * MS);
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 1000 * MS, "resumed");
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	row = strstr(s, "\nfib-1 ");
	hdr = strstr(s, "\nfib ");
	ck_assert_ptr_nonnull(row);
	ck_assert_ptr_nonnull(hdr);
	/* 50 ms cells from column 12: the 2 s band less 500 ms paused is 30
	 * cells, none of them the pause's; its glyph at 500 ms, cell 10 */
	ck_assert_msg(row[1 + 12 + 29] == '#' && (row[1 + 12 + 30] == ' ' ||
	    row[1 + 12 + 30] == '\n'), "%s", s);
	ck_assert_msg(memchr(row + 1, '|', 12 + 30) == NULL, "%s", s);
	ck_assert_msg(hdr[1 + 12 + 10] == '|', "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "|=paused"));
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* Review F7: pause, step and marker labels close together never write
 * over each other ("vpau vpa v#1used"), and the run's line, which leaves
 * the pause out (its marks fold to where it began), says how long it was. */
START_TEST(marks_do_not_collide)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *s, *hdr, *eol;

	fixture_init(&f, false);
	trace_set_paused(f.tr, true, f.tr->t0 + 300 * MS);
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 300 * MS, "paused");
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 400 * MS, "stepped");
	trace_mark(f.tr, TRACE_MARK_USER, -1, f.tr->t0 + 500 * MS, "#1");
	trace_set_paused(f.tr, false, f.tr->t0 + 1100 * MS);
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 1100 * MS, "resumed");
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	hdr = strstr(s, "\nfib ");
	ck_assert_ptr_nonnull(hdr);
	eol = strchr(hdr + 1, '\n');
	*eol = '\0';
	/* nothing written after the marker's own text */
	ck_assert_msg(strstr(hdr, "#1-") != NULL, "%s", hdr);
	ck_assert_msg(strstr(hdr, "v#1") != NULL, "%s", hdr);
	/* 2.00 s of work; the 800 ms of pause are not on the line, but said */
	ck_assert_msg(strstr(hdr, "2.00 s, 800 ms paused") != NULL, "%s", hdr);
	free(s);
	/* a marker in the same cell as a step's note is the one shown (walk 2:
	 * '#1' dropped m seconds into a pause was not drawn) */
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 1200 * MS, "stepped");
	trace_mark(f.tr, TRACE_MARK_USER, -1, f.tr->t0 + 1210 * MS, "#2");
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_msg(strstr(s, "v#2") != NULL, "%s", s);
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* e2e t_teach: a marker set while paused sits at the running band's end,
 * where the run's figures leave no room on its right: its label is on its
 * left ("#1v"), never dropped, and writes over no other mark. */
START_TEST(marker_at_the_end_labelled_left)
{
	for (int note = 0; note < 2; note++) {
		struct fixture f;
		struct canvas *c = canvas_create(80, 24, true);
		char *s, *hdr, *at;

		fixture_init(&f, false);
		/* with a note before it: the note keeps its glyph and text, the
		 * label goes between them */
		if (note)
			trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 2200 * MS, "stepped");
		trace_set_paused(f.tr, true, f.tr->t0 + 3000 * MS);
		trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 3000 * MS, "paused");
		trace_mark(f.tr, TRACE_MARK_USER, -1, f.tr->t0 + 3050 * MS, "#1");
		f.v.paused = true;
		view_lab(c, &f.v);
		s = canvas_to_string(c);
		hdr = strstr(s, "\nsleep ");
		ck_assert_ptr_nonnull(hdr);
		*strchr(hdr + 1, '\n') = '\0';
		at = strstr(hdr, "-#1v ");
		/* the marker is the band's last cell: the run's figures follow */
		ck_assert_msg(at != NULL && isdigit((unsigned char)at[5]), "%s", hdr);
		ck_assert_msg(!note || strstr(hdr, "vstepped-") != NULL, "%s", hdr);
		free(s);
		canvas_destroy(c);
		fixture_free(&f);
	}
}
END_TEST

/* The output pane beside the lesson (labs whose tasks print). */
/* A name too long for the name column keeps both ends. */
START_TEST(long_names_keep_their_ends)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *s;
	int t1, t2;

	fixture_init(&f, true);
	t1 = trace_task_add(f.tr, 1, "countdown(10)", TRACE_KIND_TASK);
	t2 = trace_task_add(f.tr, 1, "count-down-from-twenty(20)", TRACE_KIND_TASK);
	set_at(f.tr, t1, 0, TRACE_RUN, 2000, 0);
	set_at(f.tr, t2, 1, TRACE_RUN, 2000, 0);
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	/* a name the column has room for is whole (walk 12: 'count.n(10)'
	 * with columns free); a longer one keeps both ends */
	ck_assert_msg(strstr(s, "countdown(10)") != NULL && strstr(s, "count-d>nty(20)") != NULL &&
	    strstr(s, "count~") == NULL,
	    "%s", s);
	free(s);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

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
	tcase_add_test(tc, lab_screen_utf8_glyphs);
	tcase_add_test(tc, help_overlay);
	tcase_add_test(tc, too_small_message);
	tcase_add_test(tc, menu_80x24);
	tcase_add_test(tc, many_tasks_scroll_and_many_cores_fold);
	tcase_add_test(tc, ask_screen_80x24);
	tcase_add_test(tc, reveal_screen_80x24);
	tcase_add_test(tc, reader_pages_by_its_height);
	tcase_add_test(tc, focus_paused_80x24);
	tcase_add_test(tc, output_pane);
	tcase_add_test(tc, long_names_keep_their_ends);
	tcase_add_test(tc, pause_shown_on_the_rows);
	tcase_add_test(tc, marks_do_not_collide);
	tcase_add_test(tc, marker_at_the_end_labelled_left);
	tcase_add_test(tc, clients_pane);
	tcase_add_test(tc, menu_progress);
	tcase_add_test(tc, settings_80x24);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(view_suite)
