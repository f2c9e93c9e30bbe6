/* proctrace names and the threads it missed, on a fake /proc tree: a
 * process that execs (a pyenv shim: bash, then python3) is renamed, its
 * new threads are numbered after the new name; threads that ended before
 * their first reading are counted and said under the table (walk4 #10). */
#include "testutil.h"
#include "fakeproc.h"

#include "trace.h"
#include "trace_table.h"
#include "util.h"

/* The trace_table text of pt into a string the caller frees. */
static char *
table_text(struct proctrace *pt)
{
	struct trace_table_result r = { .wall = 1, .pid = 100, .proc_cpu = -1,
		.cost_pct = -1, .status = -1, .why = "the program exited" };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	trace_table_text(f, pt, &r, "python3 (pid 100)");
	fclose(f);
	return text;
}

START_TEST(exec_renames_the_main_thread)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;
	int slot;

	mkthread(100, 100, "bash", 1);		/* pyenv's shim */
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 1);
	set(100, 100, 30, 0, 2, "running");	/* 30 ms of CPU: named "bash" */
	ck_assert_int_eq(proctrace_poll(pt, t + 2 * MS), 1);
	slot = info_of(pt, 100)->slot;
	ck_assert_int_ge(slot, 0);
	ck_assert_str_eq(trace_task(tr, slot)->name, "bash");
	/* The shim execs python3, which starts a thread. */
	put("100/stat", "100 (python3) S 1 1 1 0 -1 0 0 0 0 0 0 0\n");
	put("100/task/100/stat", "100 (python3) S 1 1 1 0 -1 0 0 0 0 0 0 0\n");
	ck_assert_int_eq(proctrace_poll(pt, t + 20 * MS), 1);
	ck_assert_str_eq(info_of(pt, 100)->name, "python3");
	ck_assert_str_eq(trace_task(tr, slot)->name, "python3");
	mkthread(100, 101, "python3", 1);
	ck_assert_int_eq(proctrace_poll(pt, t + 40 * MS), 2);
	set(100, 101, 25, 0, 2, "running");
	ck_assert_int_eq(proctrace_poll(pt, t + 42 * MS), 2);
	ck_assert_int_ge(info_of(pt, 101)->slot, 0);
	ck_assert_str_eq(info_of(pt, 101)->name, "python3-1");
	ck_assert_int_eq(proctrace_unseen(pt), 0);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* pyenv's shim runs bash helpers and waits for them, then execs python3:
 * processes ended by the first process's exec are left out of the table
 * whatever they ran (7-30 ms each on this VM: over the 10 ms of the quiet
 * rule, so they filled the live screen's rows and its title's thread
 * count in CI); a child started after the exec is the program's own. */
START_TEST(shim_helpers_left_out)
{
	char err[128], path[300];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;
	char *text;

	mkthread(100, 100, "bash", 1);		/* the shim */
	pt = fake_tracer(tr, true);
	ck_assert_int_eq(proctrace_poll(pt, t), 1);
	mkthread(200, 200, "bash", 100);	/* its helper */
	set(200, 200, 30, 0, 2, "running");
	ck_assert_int_eq(proctrace_poll(pt, t + 300 * MS), 2);
	ck_assert_str_eq(info_of(pt, 200)->name, "bash");
	/* it ends (a zombie at the next reading), then is reaped */
	set(200, 200, 30, 0, 2, "-1 0x0 0x0");
	put("200/task/200/stat", "%s", "200 (bash) Z 100 1 1 0 -1 0 0 0 0 0 1 0\n");
	ck_assert_int_eq(proctrace_poll(pt, t + 320 * MS), 1);
	snprintf(path, sizeof path, "rm -rf %s/200", root);
	ck_assert_int_eq(system(path), 0);
	ck_assert(!info_of(pt, 200)->helper);	/* not yet: no exec seen */
	put("100/stat", "100 (python3) S 1 1 1 0 -1 0 0 0 0 0 0 0\n");
	put("100/task/100/stat", "100 (python3) S 1 1 1 0 -1 0 0 0 0 0 0 0\n");
	set(100, 100, 500, 0, 2, "running");
	ck_assert_int_eq(proctrace_poll(pt, t + 340 * MS), 1);
	ck_assert(info_of(pt, 200)->helper);
	mkthread(300, 300, "worker", 100);	/* the program's own child */
	set(300, 300, 30, 0, 2, "running");
	ck_assert_int_eq(proctrace_poll(pt, t + 700 * MS), 2);
	ck_assert(!info_of(pt, 300)->helper);
	ck_assert(!info_of(pt, 100)->helper);
	text = table_text(pt);
	ck_assert_msg(strstr(text, "\nworker ") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "\npython3 ") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "\nbash ") == NULL, "%s", text);
	ck_assert_msg(strstr(text, "bash 200 (ran 0.030 s)") != NULL, "%s", text);
	free(text);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* A name the program gave its main thread outlives an exec. */
START_TEST(exec_keeps_a_given_name)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;

	mkthread(100, 100, "sh", 1);
	pt = fake_tracer(tr, false);
	proctrace_name(pt, 100, "main");
	ck_assert_int_eq(proctrace_poll(pt, t), 1);
	ck_assert_int_eq(proctrace_poll(pt, t + 2 * MS), 1);
	put("100/task/100/stat", "100 (python3) S 1 1 1 0 -1 0 0 0 0 0 0 0\n");
	ck_assert_int_eq(proctrace_poll(pt, t + 20 * MS), 1);
	ck_assert_str_eq(info_of(pt, 100)->name, "main");
	ck_assert_str_eq(trace_task(tr, info_of(pt, 100)->slot)->name, "main");
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

START_TEST(threads_ended_unseen_are_counted)
{
	char err[128], path[256];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;
	char *text;

	mkthread(100, 100, "python3", 1);
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 1);
	/* Thread 102 is listed but gone at its first reading (its files are
	 * already missing), twice over: counted once. */
	snprintf(path, sizeof path, "%s/100/task/102", root);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(proctrace_poll(pt, t + 20 * MS), 1);
	ck_assert_int_eq(proctrace_unseen(pt), 1);
	ck_assert_int_eq(proctrace_poll(pt, t + 40 * MS), 1);
	ck_assert_int_eq(proctrace_unseen(pt), 1);
	text = table_text(pt);
	ck_assert_msg(strstr(text, "1 thread ended before it was seen") != NULL, "%s", text);
	free(text);
	/* Thread 103 told its name and ended before any listing. */
	proctrace_name(pt, 103, "fib-3");
	proctrace_finish(pt, t + 50 * MS);
	ck_assert_int_eq(proctrace_unseen(pt), 2);
	text = table_text(pt);
	ck_assert_msg(strstr(text, "2 threads ended before they were seen") != NULL, "%s",
	    text);
	free(text);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* A thread that starts between two discoveries (10 ms apart) is listed at
 * the next tick its directory's link count moved, 2 ms later at most:
 * walk4 saw a fib(22) thread of a few ms go missing. */
START_TEST(new_thread_listed_within_two_ms)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;

	mkthread(100, 100, "python3", 1);
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 1);
	ck_assert_int_eq(proctrace_poll(pt, t + 1 * MS), 1);
	mkthread(100, 101, "python3", 1);
	ck_assert_int_eq(proctrace_poll(pt, t + 3 * MS), 2);
	ck_assert_int_eq(info_of(pt, 101)->tid, 101);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

static Suite *
proctrace_names_suite(void)
{
	Suite *s = suite_create("proctrace_names");
	TCase *tc = tcase_create("fake");

	tcase_add_checked_fixture(tc, setup_root, teardown_root);
	tcase_add_test(tc, exec_renames_the_main_thread);
	tcase_add_test(tc, exec_keeps_a_given_name);
	tcase_add_test(tc, shim_helpers_left_out);
	tcase_add_test(tc, threads_ended_unseen_are_counted);
	tcase_add_test(tc, new_thread_listed_within_two_ms);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(proctrace_names_suite)
