/* The presenter's screen: where a lock lane sits in its band (on screen and
 * in the SVG), what the header says once every run finished, and that every
 * glyph the lab screen draws is explained by the legend under it. */
#include "testutil.h"

#include "canvas.h"
#include "exec.h"
#include "export.h"
#include "lab.h"
#include "trace.h"
#include "util.h"
#include "view.h"

#define MS 1000000ULL

static const char lab_text[] =
    "[lab]\nid = bands\ntitle = Lanes in bands\n"
    "question = Where is the GIL lane?\nchoice = under the threads\nchoice = anywhere\n"
    "answer = 1\nexplain = It sits under the threads.\n"
    "[run sim]\nexecutor = threads\ntasks = 2\nwork = fib\nduration_ms = 100\n"
    "[run cpython]\nexecutor = threads\ntasks = 3\nwork = fib\nduration_ms = 100\n";

struct fixture {
	struct trace *tr;
	struct lab lab;
	struct run_result res[2];
	struct view_lab v;
	struct report_info info;
	int cpu_ids[2];
};

static void
set_at(struct trace *tr, int slot, enum trace_state st, uint64_t ms, uint32_t arg)
{
	trace_set_state_at(tr, slot, st, tr->t0 + ms * MS, arg);
}

/* Run "sim": two threads, its lane added after them (as exec_gil does).
 * Run "cpython": main and py-1, then the lane (added when a holder first
 * showed, as proctrace does), then py-2 and py-3 (started later). */
static void
fixture_init_gap(struct fixture *f, bool gap)
{
	char err[256];
	struct trace *tr;
	int s[2], sl, m, p[3], cl;

	memset(f, 0, sizeof *f);
	f->tr = tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(tr);
	ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "bands.lab", exec_info,
	    &f->lab, err, sizeof err), 0);
	trace_mark(tr, TRACE_MARK_RUN, 0, tr->t0, "sim");
	s[0] = trace_task_add(tr, 0, "thread-1", TRACE_KIND_TASK);
	s[1] = trace_task_add(tr, 0, "thread-2", TRACE_KIND_TASK);
	sl = trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
	for (int k = 0; k < 10; k++) {
		set_at(tr, s[k % 2], TRACE_RUN, 100 * (uint64_t)k, 0);
		set_at(tr, s[(k + 1) % 2], TRACE_LOCK, 100 * (uint64_t)k, 0);
		set_at(tr, sl, TRACE_RUN, 100 * (uint64_t)k, (uint32_t)s[k % 2] + 1);
	}
	set_at(tr, s[0], TRACE_DONE, 1000, 0);
	set_at(tr, s[1], TRACE_DONE, 1000, 0);
	set_at(tr, sl, TRACE_DONE, 1000, 0);
	trace_mark(tr, TRACE_MARK_RUN, 1, tr->t0 + 1100 * MS, "cpython");
	m = trace_task_add(tr, 1, "main", TRACE_KIND_TASK);
	p[0] = trace_task_add(tr, 1, "py-1", TRACE_KIND_TASK);
	cl = trace_task_add(tr, 1, "GIL", TRACE_KIND_LANE);
	p[1] = trace_task_add(tr, 1, "py-2", TRACE_KIND_TASK);
	p[2] = trace_task_add(tr, 1, "py-3", TRACE_KIND_TASK);
	set_at(tr, m, TRACE_LOCK, 1100, 0);
	for (int k = 0; k < 9; k++) {
		for (int j = 0; j < 3; j++)
			set_at(tr, p[j], j == k % 3 ? TRACE_RUN : TRACE_LOCK, 1100 + 100 *
			    (uint64_t)k, 0);
		if (gap && k >= 3 && k <= 6)	/* 1.4-1.8 s: the lock seen free */
			set_at(tr, cl, TRACE_NEW, 1100 + 100 * (uint64_t)k, 0);
		else
			set_at(tr, cl, TRACE_RUN, 1100 + 100 * (uint64_t)k, (uint32_t)p[k % 3] + 1);
	}
	for (int j = 0; j < 3; j++)
		set_at(tr, p[j], TRACE_DONE, 2000, 0);
	set_at(tr, m, TRACE_DONE, 2000, 0);
	set_at(tr, cl, TRACE_DONE, 2000, 0);

	for (int i = 0; i < 2; i++) {
		f->res[i].run = &f->lab.runs[i];
		f->res[i].index = i;
		f->res[i].started = f->res[i].finished = true;
		f->res[i].t_start = tr->t0 + (i == 0 ? 0 : 1100 * MS);
		f->res[i].t_end = tr->t0 + (i == 0 ? 1000 : 2000) * MS;
		f->res[i].wall_s = i == 0 ? 1.0 : 0.9;
		f->v.runs[i] = (struct view_run){ VIEW_RUN_FINISHED, f->res[i].wall_s,
			f->res[i].wall_s, 1.0, &f->res[i] };
	}
	f->info.lab = &f->lab;
	f->info.results = f->res;
	f->info.tr = tr;
	f->v.lab = &f->lab;
	f->v.tr = tr;
	f->cpu_ids[1] = 1;
	f->v.cpu_ids = f->cpu_ids;
	f->v.ncpu = 2;
	f->v.now = tr->t0 + 2100 * MS;
	f->v.t_from = tr->t0;
	f->v.finished = true;
	f->v.fps = 10;
	f->v.scroll = 0;
	f->v.own_cpu_pct = 0.5;
}

static void
fixture_init(struct fixture *f)
{
	fixture_init_gap(f, false);
}

static void
fixture_free(struct fixture *f)
{
	lab_free(&f->lab);
	trace_destroy(f->tr);
}

/* The screen row whose text starts with name at or after row from, or -1. */
static int
row_of(const char *screen, const char *name, int from)
{
	int row = 0;
	size_t len = strlen(name);

	for (const char *p = screen; *p != '\0'; row++) {
		const char *nl = strchr(p, '\n');

		if (row >= from && strncmp(p, name, len) == 0 && (p[len] == ' ' || p[len] == '\n'))
			return row;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return -1;
}

/* A lane found late (real CPython's) sits under its band's threads, where
 * the simulated runs have it: the last row of the band, on screen and in the
 * SVG. */
START_TEST(lane_is_the_last_row_of_its_band)
{
	struct fixture f;
	struct canvas *c;
	char *screen, *svg = NULL;
	size_t len = 0;
	FILE *mf;
	int band, last = -1;
	const char *order[] = { "main", "py-1", "py-2", "py-3", "GIL" };

	fixture_init(&f);
	c = canvas_create(80, 40, true);
	view_lab(c, &f.v);
	screen = canvas_to_string(c);
	band = row_of(screen, "cpython", 0);
	ck_assert_msg(band > 0, "no cpython band:\n%s", screen);
	ck_assert_int_eq(row_of(screen, "GIL", 0), row_of(screen, "thread-2", 0) + 1);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(order); i++) {
		int r = row_of(screen, order[i], band);

		ck_assert_msg(r == band + 1 + (int)i, "%s on row %d, not %d:\n%s", order[i], r,
		    band + 1 + (int)i, screen);
		last = r;
	}
	ck_assert_int_gt(last, band);
	free(screen);
	canvas_destroy(c);

	mf = open_memstream(&svg, &len);
	export_svg(mf, &f.info, NULL);
	fclose(mf);
	{
		const char *band_svg = strstr(svg, "data-run=\"cpython\""), *prev = band_svg;

		ck_assert_ptr_nonnull(band_svg);
		for (size_t i = 0; i < UTIL_ARRAY_LEN(order); i++) {
			char label[32];
			const char *at;

			snprintf(label, sizeof label, ">%s</text>", order[i]);
			at = strstr(band_svg, label);
			ck_assert_msg(at != NULL && at > prev, "SVG: %s out of order", order[i]);
			prev = at;
		}
	}
	/* the simulated lane's turns: a held stretch per holder, named */
	{
		int turns = 0;

		for (const char *p = svg; (p = strstr(p, "<title>thread-")) != NULL; p++)
			turns++;
		ck_assert_msg(turns >= 8, "%d named GIL turns in the SVG", turns);
	}
	free(svg);
	fixture_free(&f);
}
END_TEST

/* Once no run goes, the header says how many of the lab's runs finished,
 * not "finished" after the picked run's name. */
START_TEST(header_after_the_last_run)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	char *screen;

	fixture_init(&f);
	f.v.sel_run = 0;
	view_lab(c, &f.v);
	screen = canvas_to_string(c);
	ck_assert_msg(strstr(screen, "pick: sim  all 2 runs finished\n") != NULL, "%s", screen);
	free(screen);
	f.v.runs[1].state = VIEW_RUN_PENDING;	/* stopped after the first */
	view_lab(c, &f.v);
	screen = canvas_to_string(c);
	ck_assert_msg(strstr(screen, "pick: sim  1 of 2 runs finished\n") != NULL, "%s",
	    screen);
	free(screen);
	f.v.runs[1].state = VIEW_RUN_FINISHED;
	f.res[1].failed = true;
	view_lab(c, &f.v);
	screen = canvas_to_string(c);
	ck_assert_msg(strstr(screen, "all 2 runs finished, 1 failed\n") != NULL, "%s", screen);
	free(screen);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

/* A pause over a lane that shows the lock free (real CPython's threads
 * stopped) takes no cells on the lane, as on the threads' rows: the time
 * axis leaves it out, so no blank "nobody holds the GIL" stretch shows. */
START_TEST(pause_covers_a_free_lane)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 40, true);
	char *screen, *lane;

	/* the lock free from 1.4 s to 1.8 s (the threads stopped), paused */
	fixture_init_gap(&f, true);
	trace_set_paused(f.tr, true, f.tr->t0 + 1400 * MS);
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 1400 * MS, "paused");
	trace_set_paused(f.tr, false, f.tr->t0 + 1800 * MS);
	trace_mark(f.tr, TRACE_MARK_NOTE, -1, f.tr->t0 + 1800 * MS, "resumed");
	view_lab(c, &f.v);
	screen = canvas_to_string(c);
	lane = strstr(strstr(screen, "\ncpython") + 1, "\nGIL ");
	ck_assert_ptr_nonnull(lane);
	*strchr(lane + 1, '\n') = '\0';
	ck_assert_msg(strlen(lane) > 13 && strchr(lane + 13, '|') == NULL &&
	    strchr(lane + 13, ' ') == NULL, "the lane under the pause:%s", lane);
	free(screen);
	canvas_destroy(c);
	fixture_free(&f);
}
END_TEST

static Suite *
presenter_suite(void)
{
	Suite *s = suite_create("presenter");
	TCase *tc = tcase_create("presenter");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, lane_is_the_last_row_of_its_band);
	tcase_add_test(tc, header_after_the_last_run);
	tcase_add_test(tc, pause_covers_a_free_lane);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(presenter_suite)
