/* The dashboard's screens without a terminal: keys go to the screen named by
 * d.screen (menu -> the question -> help and back -> the lab running ->
 * settings and back -> the menu), each screen draws its own picture, and a
 * run started from the lab screen ends through the frame loop. */
#include "testutil.h"

#include "clock.h"
#include "dash_screen.h"
#include "forker.h"
#include "ui.h"

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
	while (d.menu_sel < sel)
		key_to(&d, UI_KEY_DOWN, DASH_MENU);
	key_to(&d, UI_KEY_ENTER, DASH_ASK);	/* join asks its question first */
	key_to(&d, '?', DASH_HELP);
	s = screen_text(&d);
	ck_assert_ptr_nonnull(strstr(s, "Task states"));
	free(s);
	key_to(&d, 'x', DASH_ASK);		/* any key closes help */
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
	/* --cpus from the settings: the line above slow motion steps from all
	 * CPUs to each one alone and back; the process is pinned for the next run */
	{
		int all = CPU_COUNT(&d.s.all_cpus), first = -1;
		cpu_set_t now;

		for (int c = CPUS_MAX - 1; c >= 0; c--)
			if (CPU_ISSET(c, &d.s.all_cpus))
				first = c;
		key_to(&d, 'c', DASH_SETTINGS);
		key_to(&d, 'k', DASH_SETTINGS);
		key_to(&d, 'k', DASH_SETTINGS);
		ck_assert_int_eq(d.lab.settings_sel, -2);
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

static Suite *
dash_suite(void)
{
	Suite *s = suite_create("dash");
	TCase *tc = tcase_create("dash");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, screens_follow_the_keys);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN_INIT(dash_suite, forker_init())
