/* conclab trace's line under the table (walk3.md 14): a short program is
 * too short to tell whether its threads share a lock, and the line never
 * says "none waited in futex" beside a lock column with time in it. */
#include "testutil.h"

#include "trace_table.h"

START_TEST(short_program_is_too_short_to_tell)
{
	/* fib(25) in three threads, 0.52 s: 38 % in futex, 2 windows with two
	 * computing */
	struct trace_lane_facts f = { .span_s = 0.5, .parallel_s = 0, .windows = 2,
		.lock_s = 0.2, .threads = 4 };
	char line[512];

	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "too short to tell") == line, "%s", line);
	ck_assert_msg(strstr(line, "2 of its 20 ms windows") != NULL, "%s", line);
	ck_assert_ptr_null(strstr(line, "none waited"));
	ck_assert_ptr_null(strstr(line, "no sign of a lock"));
	/* traced 10 s, its threads computing 5 % of the time: running it
	 * longer would not help (walk6 G10) */
	f.span_s = 10;
	f.windows = 0;
	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "seldom computed at once: 0 of its 500 20 ms windows") !=
	    NULL, "%s", line);
	ck_assert_ptr_null(strstr(line, "run it longer"));
	/* one thread (trace -p of a sleep): nothing to tell */
	f.threads = 1;
	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "one thread: no lock to share") != NULL, "%s", line);
}
END_TEST

START_TEST(never_contradicts_the_lock_column)
{
	struct trace_lane_facts f = { .span_s = 2, .parallel_s = 1, .windows = 40,
		.lock_s = 0.3, .threads = 3 };
	char line[512];

	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_ptr_null(strstr(line, "none waited"));
	ck_assert_msg(strstr(line, "never two waiting in futex") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "several at once 50 %") != NULL, "%s", line);
	/* no time in futex at all: then it may say none waited */
	f.lock_s = 0;
	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "none waited in futex") != NULL, "%s", line);
	/* a lane, or threads at once, say what they saw */
	f.lane = true;
	f.held_s = 1;
	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "on a core 50 % of the time") != NULL, "%s", line);
	f.span_s = 0;
	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_str_eq(line, "");
}
END_TEST

/* Walk 5 F20: fib(23) x6 in two threads, 1.9 s: the lane drew 1 then 2
 * (one handoff) and the line said "0 handoffs/s".  The count comes with
 * its rate. */
START_TEST(one_handoff_is_counted)
{
	struct trace_lane_facts f = { .span_s = 1.9, .held_s = 1.5, .windows = 40,
		.threads = 3, .lane = true, .switches = 1, .switches_per_s = 1 / 1.9 };
	char line[512];

	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "; 1 handoff (0.526 a second)") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "0 handoffs") == NULL, "%s", line);
	f.switches = 2000;
	f.switches_per_s = 2000 / 1.9;
	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "; 2,000 handoffs (1,053 a second)") != NULL, "%s", line);
	/* walk7 H12: most handoffs shorter than a sample: no count, no rate */
	f.switches = 2;
	f.switches_per_s = 2 / 1.9;
	f.wakes = 8000;
	f.switches_short = true;
	trace_table_lane_line(&f, line, sizeof line);
	ck_assert_msg(strstr(line, "handoffs mostly shorter than a sample, not counted (its "
	    "threads were scheduled in 8,000 times)") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "a second") == NULL, "%s", line);
}
END_TEST

static Suite *
trace_table_suite(void)
{
	Suite *s = suite_create("trace_table");
	TCase *tc = tcase_create("trace_table");

	tcase_add_test(tc, short_program_is_too_short_to_tell);
	tcase_add_test(tc, never_contradicts_the_lock_column);
	tcase_add_test(tc, one_handoff_is_counted);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(trace_table_suite)
