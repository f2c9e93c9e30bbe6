/* A GIL lane's cells where no one holder can be inferred: real CPython's
 * lane, read from /proc, where several threads ran at once (Python 2's
 * waiters fight for its lock).  The lane drew nothing there -- cpython2's
 * band showed one letter, then a blank lane -- and now draws them as
 * such, named in the legend, on screen and in the SVG's lane row. */
#include "view_fx.h"

#include "export.h"
#include "lane_hold.h"

/* Run "fib": fib-1 holds the lane for 500 ms, both threads then run at once
 * for a second (the lane: several), fib-2 holds it for the last 500 ms. */
static void
several_trace(struct fixture *f)
{
	char err[256];
	struct trace *tr;
	int a, b, g, s;

	fixture_init(f, true);
	trace_destroy(f->tr);
	f->tr = tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(tr);
	f->v.tr = tr;
	trace_mark(tr, TRACE_MARK_RUN, 0, tr->t0, "fib");
	a = trace_task_add(tr, 0, "fib-1", TRACE_KIND_TASK);
	b = trace_task_add(tr, 0, "fib-2", TRACE_KIND_TASK);
	g = trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
	set_at(tr, a, 0, TRACE_RUN, 0, 0);
	set_at(tr, b, 1, TRACE_LOCK, 0, 0);
	set_at(tr, g, -1, TRACE_RUN, 0, (uint32_t)a + 1);
	set_at(tr, b, 1, TRACE_RUN, 500, 0);
	set_at(tr, g, -1, LANE_SEVERAL, 500, 0);
	set_at(tr, a, 0, TRACE_LOCK, 1500, 0);
	set_at(tr, g, -1, TRACE_RUN, 1500, (uint32_t)b + 1);
	set_at(tr, a, 0, TRACE_DONE, 2000, 0);
	set_at(tr, b, 1, TRACE_DONE, 2000, 0);
	set_at(tr, g, -1, TRACE_DONE, 2000, 0);
	trace_mark(tr, TRACE_MARK_RUN, 1, tr->t0 + 2000 * MS, "sleep");
	s = trace_task_add(tr, 1, "sleep-1", TRACE_KIND_TASK);
	set_at(tr, s, 1, TRACE_IO, 2000, 0);
	set_at(tr, s, 1, TRACE_DONE, 3000, 0);
}

/* The screen's line that starts with prefix, or NULL. */
static const char *
screen_line(const char *s, const char *prefix)
{
	for (const char *p = s; p != NULL && *p != '\0'; p = strchr(p, '\n'), p += p != NULL) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			return p;
	}
	return NULL;
}

/* lane_hold: holders where one held it, LANE_WHO_SEVERAL where several
 * ran at once, in proportion to the time. */
START_TEST(cells_of_several)
{
	struct fixture f;
	struct lane_cells lc;
	int16_t who[20];
	uint8_t st[20];
	int lane, one = 0, two = 0, several = 0;

	several_trace(&f);
	lane = lane_hold_find(f.tr, 0);
	ck_assert_int_ge(lane, 0);
	lc = (struct lane_cells){ .from = f.tr->t0, .to = f.tr->t0 + 2000 * MS,
		.bucket = 100 * MS, .n = 20 };
	lane_hold(f.tr, lane, &lc, who, NULL, st);
	for (int b = 0; b < 20; b++) {
		one += who[b] == 1;
		two += who[b] == 2;
		several += who[b] == LANE_WHO_SEVERAL;
	}
	ck_assert_int_eq(one, 5);
	ck_assert_int_eq(two, 5);
	ck_assert_int_eq(several, 10);
	ck_assert_int_eq(who[9], LANE_WHO_SEVERAL);
	ck_assert_str_eq(lane_hold_state_name(LANE_SEVERAL, 0), "several");
	ck_assert_str_eq(lane_hold_state_name(TRACE_RUN, 2), "held");
	ck_assert_str_eq(lane_hold_state_name(TRACE_NEW, 0), "free");
	fixture_free(&f);
}
END_TEST

/* 80x24: the lane row shows the holders' letters and, between them, the
 * several-at-once glyph; the legend says what that glyph is.  Before,
 * nothing was drawn there, and the legend had no such entry. */
START_TEST(screen_draws_several)
{
	struct fixture f;
	struct canvas *c = canvas_create(80, 24, true);
	const char *row, *legend;
	char glyphs[16], *s;
	int n1 = 0, n2 = 0, nsev = 0;

	several_trace(&f);
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	row = screen_line(s, "GIL ");
	ck_assert_msg(row != NULL, "%s", s);
	for (const char *p = row + 4; *p != '\n' && *p != '\0'; p++) {
		n1 += *p == '1';
		n2 += *p == '2';
		nsev += *p == LANE_SEVERAL_GLYPH;
	}
	/* a second of 2 s, either side a quarter (cells of 50 ms, 40 of them) */
	ck_assert_msg(nsev >= 15 && n1 >= 7 && n2 >= 7, "%d %d %d\n%s", nsev, n1, n2, s);
	legend = screen_line(s, "legend:");
	ck_assert_msg(legend != NULL, "%s", s);
	snprintf(glyphs, sizeof glyphs, " %c=several", LANE_SEVERAL_GLYPH);
	ck_assert_msg(strstr(legend, glyphs) != NULL, "%s", s);	/* (it may wrap) */
	free(s);
	/* a lane with one holder at a time names no such thing */
	fixture_free(&f);
	fixture_init(&f, true);
	view_lab(c, &f.v);
	s = canvas_to_string(c);
	ck_assert_ptr_null(strstr(s, glyphs));
	free(s);
	fixture_free(&f);
	canvas_destroy(c);
}
END_TEST

/* The SVG's GIL row: a "several" stretch between the two holders' "held"
 * ones (it drew "free" there). */
START_TEST(svg_draws_several)
{
	struct fixture f;
	struct report_info info;
	struct run_result *res = calloc(LAB_MAX_RUNS, sizeof *res);
	char *svg = NULL, *sev;
	size_t len = 0;
	FILE *out = open_memstream(&svg, &len);

	several_trace(&f);
	memset(&info, 0, sizeof info);
	for (int r = 0; r < 2; r++) {
		res[r].finished = true;
		res[r].run = &f.lab.runs[r];
		res[r].t_start = f.tr->t0 + (uint64_t)r * 2000 * MS;
		res[r].t_end = res[r].t_start + (r == 0 ? 2000 : 1000) * MS;
		res[r].wall_s = r == 0 ? 2.0 : 1.0;
	}
	info.lab = &f.lab;
	info.results = res;
	info.tr = f.tr;
	export_svg(out, &info, NULL);
	fclose(out);
	sev = strstr(svg, "<rect class=\"several\" data-task=\"fib/GIL\"");
	ck_assert_msg(sev != NULL, "%s", svg);
	ck_assert_ptr_nonnull(strstr(sev, "several threads at once"));
	ck_assert_ptr_nonnull(strstr(svg, "<rect class=\"held\" data-task=\"fib/GIL\""));
	ck_assert_ptr_null(strstr(svg, "<rect class=\"free\" data-task=\"fib/GIL\""));
	free(svg);
	free(res);
	fixture_free(&f);
}
END_TEST

static Suite *
lane_hold_suite(void)
{
	Suite *s = suite_create("lane_hold");
	TCase *tc = tcase_create("lane_hold");

	tcase_add_test(tc, cells_of_several);
	tcase_add_test(tc, screen_draws_several);
	tcase_add_test(tc, svg_draws_several);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lane_hold_suite)
