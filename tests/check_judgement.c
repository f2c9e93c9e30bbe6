/* The prediction judged on the lab's answer, in words that never
 * contradict this run's numbers (issue 14 item 5). */
#include "testutil.h"

#include "verdict_fx.h"

/* walk3.md 4: "right" is about the lab's answer; when this run's numbers
 * did not show the lesson, the strip and the lesson say "right by the
 * lesson, but this run did not show ..." -- never a bare "right." over
 * figures that contradict it.  A run that showed it is plainly right. */
START_TEST(right_by_the_lesson_but_not_shown)
{
	struct fx f;
	char strip[1024], *lesson;
	bool failed;

	fx_init(&f, 3.0, 3.05, 0.99, 2);	/* b took as long as a: not in parallel */
	f.info.predict = 2;
	report_strip_verdict(&f.info, strip, sizeof strip, &failed);
	ck_assert(failed);
	ck_assert_msg(strstr(strip, "You said 2 -- right by the lesson, but this run did not "
	    "show: b ran in parallel") == strip, "%s", strip);
	ck_assert_ptr_null(strstr(strip, "right."));
	lesson = report_lesson(&f.info);
	ck_assert_msg(strstr(lesson, "-- right by the lesson, but this run did not show all of "
	    "the lesson. Not shown: b ran in parallel") != NULL, "%s", lesson);
	ck_assert_ptr_null(strstr(lesson, "right."));
	free(lesson);
	fx_free(&f);
	fx_init(&f, 3.0, 1.5, 1.9, 2);	/* shown */
	f.info.predict = 2;
	report_strip_verdict(&f.info, strip, sizeof strip, &failed);
	ck_assert(!failed);
	ck_assert_msg(strstr(strip, "You said 2 -- right. This run showed the lesson") == strip,
	    "%s", strip);
	lesson = report_lesson(&f.info);
	ck_assert_msg(strstr(lesson, "-- right. This run showed the lesson") != NULL, "%s",
	    lesson);
	free(lesson);
	fx_free(&f);
}
END_TEST

static Suite *
judgement_suite(void)
{
	Suite *s = suite_create("judgement");
	TCase *tc = tcase_create("judgement");

	tcase_add_test(tc, right_by_the_lesson_but_not_shown);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(judgement_suite)
