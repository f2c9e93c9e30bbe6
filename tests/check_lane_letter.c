/* The GIL lane's letters (walk3.md 10): one per thread name over the runs
 * with a lane -- python3 (main) and python3-3 no longer both draw 3, and
 * the legend names the thread a letter stands for, in every band. */
#include "testutil.h"

#include "lane_letter.h"

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
	ck_assert_int_eq(letters[main0], '3');
	ck_assert_int_ne(letters[sim1], 0);	/* the simulated GIL's: all */
	ck_assert_int_ne(letters[sim1], '1');	/* handler-1 has it */
	ck_assert_int_eq(letters[sim2], '2');
	ck_assert_int_eq(letters[lane], 0);
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
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lane_letter_suite)
