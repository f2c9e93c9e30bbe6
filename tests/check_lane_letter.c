/* The GIL lane's letters (walk3.md 10): one per thread name over the runs
 * with a lane -- python3 (main) and python3-3 no longer both draw 3, and
 * the legend names the thread a letter stands for, in every band. */
#include "testutil.h"

#include "lane_letter.h"

#include <ctype.h>

START_TEST(one_letter_per_thread)
{
	char err[256], letters[TRACE_MAX_TASKS];
	struct trace *tr = trace_create(err, sizeof err);
	int main0, t1, t2, t3, req, echo, comp, main1, srv, comp2, main2, other;

	ck_assert_ptr_nonnull(tr);
	/* conclab trace -- python3 (three threading threads) */
	main0 = trace_task_add(tr, 0, "python3", TRACE_KIND_TASK);
	t1 = trace_task_add(tr, 0, "python3-1", TRACE_KIND_TASK);
	t2 = trace_task_add(tr, 0, "python3-2", TRACE_KIND_TASK);
	t3 = trace_task_add(tr, 0, "python3-3", TRACE_KIND_TASK);
	trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
	/* convoy: a band with a requester, one with a server; both have main */
	req = trace_task_add(tr, 1, "requester", TRACE_KIND_TASK);
	echo = trace_task_add(tr, 1, "echo", TRACE_KIND_TASK);
	comp = trace_task_add(tr, 1, "competitor-1", TRACE_KIND_TASK);
	main1 = trace_task_add(tr, 1, "main", TRACE_KIND_TASK);
	trace_task_add(tr, 1, "GIL", TRACE_KIND_LANE);
	srv = trace_task_add(tr, 2, "server", TRACE_KIND_TASK);
	comp2 = trace_task_add(tr, 2, "competitor-1", TRACE_KIND_TASK);
	main2 = trace_task_add(tr, 2, "main", TRACE_KIND_TASK);
	trace_task_add(tr, 2, "GIL", TRACE_KIND_LANE);
	other = trace_task_add(tr, 3, "worker-1", TRACE_KIND_TASK);	/* no lane */
	lane_letters_all(tr, letters, TRACE_MAX_TASKS);
	ck_assert_int_eq(letters[t1], '1');
	ck_assert_int_eq(letters[t2], '2');
	ck_assert_int_eq(letters[t3], '3');	/* "-N" names keep their number */
	ck_assert_int_ne(letters[main0], '3');
	ck_assert_int_ne(letters[main0], 0);
	ck_assert_int_eq(letters[req], 'r');
	ck_assert_int_ne(letters[srv], 'r');	/* was r, the requester's letter */
	ck_assert_int_ne(letters[srv], 0);
	ck_assert_int_eq(letters[comp], letters[comp2]);	/* one name, one letter */
	ck_assert_int_eq(letters[main1], letters[main2]);
	ck_assert_int_eq(letters[other], 0);
	/* every named thread of a lane run: a letter no other name has */
	for (int i = 0; i < trace_ntasks(tr); i++)
		for (int k = 0; k < i; k++)
			if (letters[i] != 0 && letters[k] != 0 &&
			    strcmp(trace_task(tr, i)->name, trace_task(tr, k)->name) != 0)
				ck_assert_msg(letters[i] != letters[k], "%s and %s both %c",
				    trace_task(tr, i)->name, trace_task(tr, k)->name, letters[i]);
	(void)echo;
	trace_destroy(tr);
}
END_TEST

/* Walk 5 F11: the server lab's cpython band drew a GIL letter for perf1-1,
 * conclab's own load generator beside the real CPython server, which can
 * never hold that interpreter's lock.  A lane that names a process (real
 * CPython's, seen from /proc) gives letters to that process's threads
 * only; a lane that names none (the simulated GIL) to every thread of its
 * run. */
START_TEST(letters_only_in_the_lanes_process)
{
	char err[256], letters[TRACE_MAX_TASKS];
	struct trace *tr = trace_create(err, sizeof err);
	int perf1, handler, main0, lane, sim1, sim2;

	ck_assert_ptr_nonnull(tr);
	perf1 = trace_task_add(tr, 0, "perf1-1", TRACE_KIND_TASK);
	trace_task_set_ids(tr, perf1, getpid(), getpid());
	main0 = trace_task_add(tr, 0, "python3", TRACE_KIND_TASK);
	trace_task_set_ids(tr, main0, 4242, 4242);
	handler = trace_task_add(tr, 0, "handler-1", TRACE_KIND_TASK);
	trace_task_set_ids(tr, handler, 4242, 4243);
	lane = trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
	sim1 = trace_task_add(tr, 1, "thread-1", TRACE_KIND_TASK);
	trace_task_set_ids(tr, sim1, getpid(), 11);
	sim2 = trace_task_add(tr, 1, "thread-2", TRACE_KIND_TASK);
	trace_task_add(tr, 1, "GIL", TRACE_KIND_LANE);
	/* before the lane names its process: every thread of the run */
	lane_letters_all(tr, letters, TRACE_MAX_TASKS);
	ck_assert_int_ne(letters[perf1], 0);
	trace_task_set_ids(tr, lane, 4242, 0);
	lane_letters_all(tr, letters, TRACE_MAX_TASKS);
	ck_assert_int_eq(letters[perf1], 0);
	ck_assert_int_eq(letters[handler], '1');
	ck_assert_int_eq(letters[main0], 'n');	/* not 3: a digit reads as a thread */
	ck_assert_int_ne(letters[sim1], 0);	/* the simulated GIL's: all */
	ck_assert_int_ne(letters[sim1], '1');	/* handler-1 has it */
	ck_assert_int_eq(letters[sim2], '2');
	ck_assert_int_eq(letters[lane], 0);
	trace_destroy(tr);
}
END_TEST

/* Walk 7 H9: in sleep-vs-fib the simulated GIL's thread-1..3 hold 1-3, so
 * real CPython's py-1..3 took y, p and "4" -- which reads as a fourth
 * thread.  A digit is only ever a name's own number. */
START_TEST(no_digit_but_a_names_own)
{
	static const char *const names[][4] = {
		{ "thread-1", "thread-2", "thread-3", NULL },
		{ "python3", "py-1", "py-2", "py-3" },
	};
	char err[256], letters[TRACE_MAX_TASKS];
	struct trace *tr = trace_create(err, sizeof err);

	ck_assert_ptr_nonnull(tr);
	for (int r = 0; r < 2; r++) {
		for (int i = 0; i < 4 && names[r][i] != NULL; i++)
			trace_task_add(tr, r, names[r][i], TRACE_KIND_TASK);
		trace_task_add(tr, r, "GIL", TRACE_KIND_LANE);
	}
	lane_letters_all(tr, letters, TRACE_MAX_TASKS);
	for (int i = 0; i < trace_ntasks(tr); i++) {
		const char *name = trace_task(tr, i)->name;
		const char *dash = strrchr(name, '-');

		if (trace_task(tr, i)->kind != TRACE_KIND_TASK)
			continue;
		ck_assert_msg(letters[i] != 0, "%s has no letter", name);
		ck_assert_msg(!isdigit((unsigned char)letters[i]) ||
		    (dash != NULL && dash[1] == letters[i] && dash[2] == '\0'),
		    "%s draws %c: a digit that is not its number", name, letters[i]);
		for (int k = 0; k < i; k++)
			ck_assert_msg(letters[k] != letters[i], "%s and %s both %c",
			    trace_task(tr, k)->name, name, letters[i]);
	}
	trace_destroy(tr);
}
END_TEST

static Suite *
lane_letter_suite(void)
{
	Suite *s = suite_create("lane_letter");
	TCase *tc = tcase_create("lane_letter");

	tcase_add_test(tc, one_letter_per_thread);
	tcase_add_test(tc, letters_only_in_the_lanes_process);
	tcase_add_test(tc, no_digit_but_a_names_own);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lane_letter_suite)
