/* The lab screen's timeline from a canned trace (view_fx.h): many tasks
 * scrolled and many cores folded, the presenter's pauses and markers on
 * the bands (focus, the pause's glyph, labels that never collide, a marker
 * at the band's end), and names that keep both ends. */
#include "view_fx.h"

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
	/* walk 6 G17: with 200 tasks the range is cut, never its total */
	for (int i = 40; i < 206; i++) {
		char name[16];

		snprintf(name, sizeof name, "t-%d", i);
		set_at(tr, trace_task_add(tr, 0, name, TRACE_KIND_TASK), i % 32, TRACE_RUN,
		    (uint64_t)i * 4, 0);
	}
	v.scroll = -1;
	view_lab(c, &v);
	s = canvas_to_string(c);
	ck_assert_msg(strstr(s, "/206") != NULL || strstr(s, "of 206") != NULL, "%s", s);
	ck_assert_msg(strstr(s, " of\xe2\x80\xa6") == NULL && strstr(s, " of...") == NULL, "%s", s);
	free(s);
	sample_cores_destroy(cs);
	lab_free(&lab);
	canvas_destroy(c);
	trace_destroy(tr);
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
 * left ("#1v|", before the pause), never dropped, and writes over no other
 * mark. */
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
		at = strstr(hdr, "-#1v| ");
		/* the pause is the band's last cell, the run's figures follow; the
		 * marker set in it goes beside it, the pause's glyph kept (walk 5
		 * F20: '---#1v', the | gone) */
		ck_assert_msg(at != NULL && isdigit((unsigned char)at[6]), "%s", hdr);
		ck_assert_msg(!note || strstr(hdr, "vstepped-") != NULL, "%s", hdr);
		free(s);
		canvas_destroy(c);
		fixture_free(&f);
	}
}
END_TEST

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

static Suite *
timeline_suite(void)
{
	Suite *s = suite_create("view_timeline");
	TCase *tc = tcase_create("view_timeline");

	tcase_add_test(tc, many_tasks_scroll_and_many_cores_fold);
	tcase_add_test(tc, focus_paused_80x24);
	tcase_add_test(tc, pause_shown_on_the_rows);
	tcase_add_test(tc, marks_do_not_collide);
	tcase_add_test(tc, marker_at_the_end_labelled_left);
	tcase_add_test(tc, long_names_keep_their_ends);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(timeline_suite)
