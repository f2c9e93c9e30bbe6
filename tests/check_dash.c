/* The dashboard's screens without a terminal: keys go to the screen named by
 * d.screen (menu -> the question -> help and back -> the lab running ->
 * settings and back -> the menu), each screen draws its own picture, and a
 * run started from the lab screen ends through the frame loop. */
#include "testutil.h"

#include "clock.h"
#include "dash_screen.h"
#include "fmt.h"
#include "forker.h"
#include "ui.h"
#include "util.h"

static char *
screen_text(struct dash *d)
{
	dash_draw(d);
	return canvas_to_string(d->cv);
}

/* Key k, then the screen must be want. */
static void
key_to(struct dash *d, int k, enum dash_screen want)
{
	dash_key(d, k);
	ck_assert_msg(d->screen == want, "key %d: screen %d, want %d", k, d->screen,
	    want);
}

START_TEST(screens_follow_the_keys)
{
	static const char *const sets[] = { "duration_ms=50" };
	struct dash_opts o = { .fps = 10, .slow = 1, .no_progress = true,
		.sets = sets, .nsets = 1 };
	struct dash d;
	char err[256], *s;
	int sel = -1;
	uint64_t t0;

	ck_assert_int_eq(dash_setup(&d, &o, err, sizeof err), 0);
	d.headless = true;
	d.cv = canvas_create(80, 24, true);
	d.nlabs = lab_load_all(exec_info, &d.labs, err, sizeof err);
	for (int i = 0; i < d.nlabs; i++)
		if (strcmp(d.labs[i].id, "join") == 0)
			sel = i;
	ck_assert_int_ge(sel, 0);
	s = screen_text(&d);
	ck_assert_ptr_nonnull(strstr(s, "join"));	/* the menu lists the labs */
	free(s);
	key_to(&d, '?', DASH_HELP);		/* walk4 #16: ? on the menu too */
	s = screen_text(&d);
	ck_assert_ptr_nonnull(strstr(s, "Task states"));
	ck_assert_ptr_nonnull(strstr(s, "conclab"));	/* the menu's title above */
	free(s);
	key_to(&d, 'q', DASH_MENU);		/* q closes it, back on the menu */
	ck_assert(!d.quit);
	while (d.menu_sel < sel)
		key_to(&d, UI_KEY_DOWN, DASH_MENU);
	key_to(&d, UI_KEY_ENTER, DASH_ASK);	/* join asks its question first */
	key_to(&d, '?', DASH_HELP);
	s = screen_text(&d);
	ck_assert_ptr_nonnull(strstr(s, "Task states"));
	/* walk 5 F20: the keys as they act (s does not pause; Esc stops first) */
	ck_assert_msg(strstr(s, "p, Space   pause/resume") != NULL &&
	    strstr(s, "p, s ") == NULL && strstr(s, "Esc stops a run, again: menu") != NULL,
	    "%s", s);
	free(s);
	key_to(&d, ' ', DASH_HELP);		/* 80x24: Space, the second page */
	ck_assert_int_eq(d.help_page, 1);
	s = screen_text(&d);
	ck_assert_ptr_nonnull(strstr(s, "blank or line: free"));
	free(s);
	key_to(&d, ' ', DASH_ASK);		/* on the last page it closes */
	key_to(&d, '?', DASH_HELP);
	ck_assert_int_eq(d.help_page, 0);
	key_to(&d, 'x', DASH_ASK);		/* any other key closes help */
	/* q and Esc close the help only (walk 3 #5: q quit with the run unexported) */
	key_to(&d, '?', DASH_HELP);
	key_to(&d, 'q', DASH_ASK);
	ck_assert(!d.quit);
	key_to(&d, '?', DASH_HELP);
	key_to(&d, UI_KEY_ESC, DASH_ASK);
	ck_assert(!d.quit);
	key_to(&d, 'c', DASH_SETTINGS);		/* q closes the settings too */
	key_to(&d, 'q', DASH_ASK);
	ck_assert(!d.quit);
	key_to(&d, '9', DASH_ASK);		/* not a choice: asks again */
	ck_assert_ptr_nonnull(strstr(d.message, "press 1-"));
	key_to(&d, '1', DASH_LAB);		/* a prediction starts the run */
	ck_assert_int_eq(d.lab.predict, 1);
	ck_assert(d.s.running);
	key_to(&d, 'c', DASH_SETTINGS);
	s = screen_text(&d);
	ck_assert_ptr_nonnull(strstr(s, "run / parameter"));
	free(s);
	key_to(&d, '+', DASH_SETTINGS);		/* not while a run is in progress */
	ck_assert_ptr_nonnull(strstr(d.message, "next run"));
	key_to(&d, UI_KEY_ESC, DASH_LAB);
	t0 = clock_now_ns();
	while (d.s.running && clock_now_ns() - t0 < 20 * CLOCK_NS_PER_S) {
		dash_frame(&d);
		forker_wait(20 * CLOCK_NS_PER_MS, -1);
	}
	ck_assert(!d.s.running);
	ck_assert(d.lab.finished);
	ck_assert(session_run_finished(&d.s, 0));
	/* the lesson reader closes on q, and help over it too (a headless
	 * dashboard writes no lesson: one stands in for it) */
	ck_assert_ptr_null(d.lab.explain);
	d.lab.explain = xstrdup("The lesson.");
	key_to(&d, 'l', DASH_LAB);
	ck_assert(d.lab.reader);
	key_to(&d, '?', DASH_HELP);
	key_to(&d, 'q', DASH_LAB);
	ck_assert(d.lab.reader);
	key_to(&d, 'q', DASH_LAB);
	ck_assert(!d.lab.reader);
	ck_assert(!d.quit);
	/* --cpus from the settings: the line above slow motion steps from all
	 * CPUs to each one alone and back; the process is pinned for the next run */
	{
		int all = CPU_COUNT(&d.s.all_cpus), first = -1;
		cpu_set_t now;

		for (int c = CPUS_MAX - 1; c >= 0; c--)
			if (CPU_ISSET(c, &d.s.all_cpus))
				first = c;
		key_to(&d, 'c', DASH_SETTINGS);
		for (int i = 0; i < 8 && d.lab.settings_sel != VIEW_SEL_CPUS; i++)
			key_to(&d, d.lab.settings_sel < VIEW_SEL_CPUS ? 'j' : 'k', DASH_SETTINGS);
		ck_assert_int_eq(d.lab.settings_sel, VIEW_SEL_CPUS);
		s = screen_text(&d);
		ck_assert_ptr_nonnull(strstr(s, "the CPUs the lab may use (--cpus)"));
		free(s);
		key_to(&d, 'l', DASH_SETTINGS);
		ck_assert_int_eq(d.s.ncpu, 1);
		ck_assert_int_eq(d.s.env.ncpus, 1);
		ck_assert_int_eq(d.s.cpu_ids[0], first);
		ck_assert_int_eq(sched_getaffinity(0, sizeof now, &now), 0);
		ck_assert_int_eq(CPU_COUNT(&now), 1);
		ck_assert(CPU_ISSET(first, &now));
		ck_assert_ptr_nonnull(strstr(d.message, "the next run uses CPU "));
		for (int i = 0; i < all; i++)
			key_to(&d, 'l', DASH_SETTINGS);
		ck_assert_int_eq(d.s.ncpu, all);	/* round to every CPU again */
		ck_assert_int_eq(sched_getaffinity(0, sizeof now, &now), 0);
		ck_assert_int_eq(CPU_COUNT(&now), all);
		key_to(&d, UI_KEY_ESC, DASH_LAB);
	}
	key_to(&d, UI_KEY_ESC, DASH_MENU);
	/* an export's message belongs to its lab: the next lab opens without it */
	dash_say(&d, "wrote conclab-join-184354.json .csv .svg .report.json");
	key_to(&d, UI_KEY_ENTER, DASH_ASK);
	ck_assert_str_eq(d.message, "");
	key_to(&d, UI_KEY_ESC, DASH_MENU);
	key_to(&d, 'q', DASH_MENU);
	ck_assert(d.quit);
	dash_teardown(&d);
}
END_TEST

/* The last mark of this kind and text, or NULL. */
/* A headless dash drawing into an 80x24 canvas with lab open, one --set
 * (sets: a static array) applied. */
static void
open_lab(struct dash *d, const char *lab, const char *const *sets)
{
	struct dash_opts o = { .fps = 10, .slow = 1, .no_progress = true,
		.sets = sets, .nsets = 1 };
	char err[256], *path;

	ck_assert_int_eq(dash_setup(d, &o, err, sizeof err), 0);
	d->headless = true;
	d->cv = canvas_create(80, 24, true);
	path = session_lab_path(lab, NULL, 0);
	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(dash_lab_open(d, path, err, sizeof err), 0);
	free(path);
}

static const struct trace_mark *
last_mark(const struct trace *tr, const char *text)
{
	const struct trace_mark *found = NULL;

	for (int i = 0; i < trace_nmarks(tr); i++) {
		const struct trace_mark *m = trace_get_mark(tr, i);

		if (m != NULL && m->kind == TRACE_MARK_NOTE && strcmp(m->text, text) == 0)
			found = m;
	}
	return found;
}

/* Presenter keys on the gil run (issue 14 item 8): p freezes the work and
 * the clock -- the header's time is the wall without the pauses, to the
 * nanosecond of the pause's start; s lets exactly one GIL switch happen (one
 * new holder on the lane, the others waiting for the lock) and the header's
 * time moves by just that step (it stayed at the pause's start). */
START_TEST(pause_and_step_on_the_gil_run)
{
	static const char *const sets[] = { "duration_ms=1500" };
	struct dash d;
	struct trace *tr;
	const struct trace_mark *run_mark = NULL, *resumed;
	char *s, want[64];
	int gil = -1, lane = -1, holders = 0, threads = 0;
	uint64_t t0, before, paused_ns;
	double w_paused, w_stepped;

	open_lab(&d, "gil", sets);
	for (int i = 0; i < d.s.lab.nruns; i++)
		if (strcmp(d.s.lab.runs[i].name, "gil") == 0)
			gil = i;
	ck_assert_int_ge(gil, 0);
	d.screen = DASH_LAB;
	dash_lab_start(&d, gil);
	tr = d.s.env.tr;
	t0 = clock_now_ns();
	while (session_running_run(&d.s) != gil || clock_now_ns() - t0 < 300 * CLOCK_NS_PER_MS) {
		ck_assert(clock_now_ns() - t0 < 20 * CLOCK_NS_PER_S);
		dash_frame(&d);
		forker_wait(20 * CLOCK_NS_PER_MS, -1);
	}
	dash_key(&d, 'p');
	ck_assert(d.s.paused);
	forker_wait(200 * CLOCK_NS_PER_MS, -1);
	dash_draw(&d);
	for (int i = 0; i < trace_nmarks(tr); i++) {
		const struct trace_mark *m = trace_get_mark(tr, i);

		if (m != NULL && m->kind == TRACE_MARK_RUN && m->run == gil)
			run_mark = m;
	}
	ck_assert_ptr_nonnull(run_mark);
	/* paused: the header's time is the wall to the pause, without pauses */
	paused_ns = at_load_relaxed(&tr->paused_ns);
	w_paused = d.lab.live.wall_s;
	ck_assert_double_eq_tol(w_paused, (double)(d.s.pause_t0 - run_mark->ts - paused_ns) /
	    1e9, 1e-6);
	for (int i = 0; i < trace_ntasks(tr); i++)
		if (trace_task(tr, i)->run == gil && trace_task(tr, i)->kind == TRACE_KIND_LANE)
			lane = i;
	ck_assert_int_ge(lane, 0);
	before = trace_task_events(tr, lane, NULL);
	{
		struct trace_interval *iv;
		int n = trace_task_intervals(tr, lane, d.s.pause_t0, &iv);
		uint32_t old_holder = n > 0 ? iv[n - 1].arg : 0;

		free(iv);
		dash_key(&d, 's');
		ck_assert_msg(strstr(d.message, "stepped one GIL switch") != NULL, "%s",
		    d.message);
		forker_wait(50 * CLOCK_NS_PER_MS, -1);	/* the old holder shows `lock` */
		n = trace_task_intervals(tr, lane, d.s.pause_t0, &iv);
		/* exactly one new holder on the lane, not the one before; a
		 * slow hand-over (1 ms or more, e.g. under ASan) first draws
		 * the lock free: one event more, no holder more */
		{
			uint64_t after = trace_task_events(tr, lane, NULL);

			ck_assert_msg(after == before + 1 || (after == before + 2 && n >= 2 &&
			    iv[n - 2].state == TRACE_NEW), "%llu events after %llu",
			    (unsigned long long)after, (unsigned long long)before);
		}
		ck_assert_int_eq(iv[n - 1].state, TRACE_RUN);
		ck_assert_uint_ne(iv[n - 1].arg, old_holder);
		/* the threads: the new holder runs, the others wait for the lock */
		for (int i = 0; i < trace_ntasks(tr); i++) {
			const struct trace_task *t = trace_task(tr, i);
			enum trace_state st = trace_task_state(tr, i);

			if (t->run != gil || t->kind != TRACE_KIND_TASK)
				continue;
			threads++;
			if ((uint32_t)i + 1 == iv[n - 1].arg)
				ck_assert_int_eq(st, TRACE_RUN);
			else
				ck_assert_msg(st == TRACE_LOCK, "%s is %s, not lock", t->name,
				    trace_state_name(st));
			holders += st == TRACE_RUN;
		}
		free(iv);
	}
	ck_assert_int_eq(threads, 3);
	ck_assert_int_eq(holders, 1);
	/* the header's time moved by the step (from its resume to the new pause) */
	dash_draw(&d);
	resumed = last_mark(tr, "resumed");
	ck_assert_ptr_nonnull(resumed);
	w_stepped = d.lab.live.wall_s;
	ck_assert_double_eq_tol(w_stepped - w_paused,
	    (double)(d.s.pause_t0 - resumed->ts) / 1e9, 1e-6);
	ck_assert_double_gt(w_stepped, w_paused);
	{
		char t[FMT_NUM_LEN];

		fmt_time(t, sizeof t, w_stepped, true);
		snprintf(want, sizeof want, "running gil  %s", t);
	}
	s = screen_text(&d);
	ck_assert_msg(strstr(s, want) != NULL, "no '%s':\n%s", want, s);
	ck_assert_ptr_nonnull(strstr(s, "PAUSED"));
	ck_assert_msg(strstr(s, "s step GIL") != NULL, "%s", s);	/* walk 3 #6 */
	free(s);
	dash_key(&d, UI_KEY_ESC);	/* stops the run */
	ck_assert(!d.s.running);
	dash_teardown(&d);
}
END_TEST

/* Walk 3 #12: + - [ ] during a run are kept for the next run (the status
 * line and the settings screen show the value waiting, the run in progress
 * keeps its own), and the key line lists what acts while a run goes: m, f,
 * p, Esc stop -- not Enter, o or e; paused, s only on a GIL run. */
START_TEST(setting_keys_wait_for_the_next_run)
{
	static const char *const sets[] = { "duration_ms=100" };
	struct dash d;
	char *s;
	int64_t v;
	uint64_t t0;

	open_lab(&d, "join", sets);
	ck_assert_int_eq(d.lab.tasks, 4);
	ck_assert_int_eq(d.lab.work_ms, 100);
	d.screen = DASH_LAB;
	dash_lab_start(&d, -1);
	ck_assert(d.s.running);
	key_to(&d, '+', DASH_LAB);
	key_to(&d, '+', DASH_LAB);
	key_to(&d, ']', DASH_LAB);
	ck_assert_msg(strstr(d.message, "tasks 6 from the next run (this one keeps 4)") ==
	    NULL, "%s", d.message);	/* the last key's message is the work's */
	ck_assert_msg(strstr(d.message, "work 200 ms from the next run (this one keeps "
	    "100 ms)") != NULL, "%s", d.message);
	ck_assert_int_eq(d.lab.tasks, 4);	/* the run reads the lab: unchanged */
	ck_assert(lab_value_find(&d.s.lab.runs[0], "tasks", &v));
	ck_assert_int_eq(v, 4);
	d.message[0] = '\0';
	s = screen_text(&d);
	/* with room, each beside its value; on a short screen with the
	 * headlines (once the run's tasks show), before the picked run */
	ck_assert_msg((strstr(s, "tasks 4 (next run 6)") != NULL &&
	    strstr(s, "work 100 ms (next run 200)") != NULL) ||
	    strstr(s, "next run: tasks 6 work 200 ms") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "m mark  f focus") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "Esc stop") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "Enter run") == NULL && strstr(s, "Tab pick") == NULL, "%s", s);
	free(s);
	key_to(&d, 'c', DASH_SETTINGS);
	s = screen_text(&d);
	ck_assert_msg(strstr(s, "next run 6") != NULL, "%s", s);
	free(s);
	ck_assert_int_eq(d.lab.settings_sel, VIEW_SEL_TASKS);
	key_to(&d, 'l', DASH_SETTINGS);		/* Right on tasks: as +, for the next run */
	ck_assert_msg(strstr(d.message, "tasks 7 from the next run") != NULL, "%s", d.message);
	key_to(&d, 'h', DASH_SETTINGS);		/* and Left: back to 6 */
	ck_assert_msg(strstr(d.message, "tasks 6 from the next run") != NULL, "%s", d.message);
	key_to(&d, 'j', DASH_SETTINGS);
	key_to(&d, 'j', DASH_SETTINGS);
	key_to(&d, 'l', DASH_SETTINGS);		/* Right on the CPUs: refused, saying so */
	ck_assert_msg(strstr(d.message, "ignored: a run is in progress") != NULL, "%s",
	    d.message);
	key_to(&d, UI_KEY_ESC, DASH_LAB);
	key_to(&d, 'p', DASH_LAB);
	s = screen_text(&d);
	ck_assert_msg(strstr(s, "PAUSED: p resume") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "s step") == NULL, "%s", s);	/* join has no GIL */
	free(s);
	key_to(&d, 'p', DASH_LAB);
	t0 = clock_now_ns();
	while (d.s.running && clock_now_ns() - t0 < 45 * CLOCK_NS_PER_S) {
		dash_frame(&d);
		forker_wait(20 * CLOCK_NS_PER_MS, -1);
	}
	ck_assert(!d.s.running);
	ck_assert(lab_value_find(&d.s.lab.runs[0], "tasks", &v));
	ck_assert_int_eq(v, 4);		/* the finished run's report keeps its settings */
	dash_lab_start(&d, -1);		/* the next run takes them */
	ck_assert(lab_value_find(&d.s.lab.runs[0], "tasks", &v));
	ck_assert_int_eq(v, 6);
	ck_assert(lab_value_find(&d.s.lab.runs[1], "duration_ms", &v));
	ck_assert_int_eq(v, 200);
	ck_assert_int_eq(d.lab.tasks, 6);
	ck_assert_int_eq(d.lab.next_tasks, 0);
	s = screen_text(&d);
	ck_assert_msg(strstr(s, "tasks 6  work 200 ms") != NULL, "%s", s);
	free(s);
	dash_key(&d, UI_KEY_ESC);	/* stops the run */
	ck_assert(!d.s.running);
	dash_teardown(&d);
}
END_TEST

/* Walk 5 F9: Esc while a run goes stopped it and left for the menu, the
 * picture lost.  It stops the run and stays on the lab screen with the
 * bands drawn so far and how many runs finished (the stopped one named),
 * ready to be looked at and exported; a second Esc goes to the menu. */
START_TEST(esc_stops_and_stays)
{
	static const char *const sets[] = { "duration_ms=3000" };
	struct dash d;
	char *s;
	uint64_t t0;
	int ntasks;

	open_lab(&d, "join", sets);
	d.screen = DASH_LAB;
	dash_lab_start(&d, -1);
	ck_assert(d.s.running);
	t0 = clock_now_ns();	/* until the first run's tasks show */
	while (trace_ntasks(d.s.env.tr) < 3 && clock_now_ns() - t0 < 20 * CLOCK_NS_PER_S) {
		dash_frame(&d);
		forker_wait(20 * CLOCK_NS_PER_MS, -1);
	}
	ntasks = trace_ntasks(d.s.env.tr);
	ck_assert_int_ge(ntasks, 3);
	key_to(&d, UI_KEY_ESC, DASH_LAB);	/* stopped, still on the lab */
	ck_assert(!d.s.running);
	ck_assert(d.lab.finished);
	ck_assert_int_ge(trace_ntasks(d.s.env.tr), ntasks);	/* the trace kept */
	ck_assert_msg(strstr(d.message, "stopped") != NULL, "%s", d.message);
	d.message[0] = '\0';	/* the message's time is up */
	s = screen_text(&d);
	ck_assert_msg(strstr(s, "0 of 2 runs finished, 1 stopped") != NULL, "%s", s);
	ck_assert_msg(strstr(s, "fib-1 ") != NULL && strstr(s, "Esc menu") != NULL, "%s", s);
	free(s);
	key_to(&d, UI_KEY_ESC, DASH_MENU);	/* the second Esc: the menu */
	dash_teardown(&d);
}
END_TEST

/* Walk 5 F20: after a work change in the settings panel the question
 * still said "compute fib".  A changed choice (work = sleep) is named after
 * the question, on its screen; the lab as written names none. */
START_TEST(question_names_changed_work)
{
	const char *const sets[] = { "fib-threads.work=sleep" };
	const char *const none[] = { "duration_ms=300" };
	struct dash d;
	char *s;

	open_lab(&d, "sleep-vs-fib", sets);
	ck_assert_int_eq(d.screen, DASH_ASK);
	dash_draw(&d);
	ck_assert_ptr_nonnull(d.lab.question);
	ck_assert_msg(strstr(d.lab.question, "compute fib") != NULL &&
	    strstr(d.lab.question, "(Your settings change what this run does: "
	    "fib-threads.work = sleep.)") != NULL, "%s", d.lab.question);
	s = screen_text(&d);
	ck_assert_msg(strstr(s, "fib-threads.work = sleep") != NULL, "%s", s);
	free(s);
	dash_teardown(&d);
	open_lab(&d, "sleep-vs-fib", none);
	dash_draw(&d);
	ck_assert_msg(strstr(d.lab.question, "Your settings") == NULL, "%s", d.lab.question);
	dash_teardown(&d);
}
END_TEST

static Suite *
dash_suite(void)
{
	Suite *s = suite_create("dash");
	TCase *tc = tcase_create("dash");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, screens_follow_the_keys);
	tcase_add_test(tc, pause_and_step_on_the_gil_run);
	tcase_add_test(tc, setting_keys_wait_for_the_next_run);
	tcase_add_test(tc, esc_stops_and_stays);
	tcase_add_test(tc, question_names_changed_work);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN_INIT(dash_suite, forker_init())
