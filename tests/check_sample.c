/* /proc parsers on fixture files, and the core sampler's first sample. */
#include "testutil.h"

#include "sample.h"
#include "trace.h"

#include <unistd.h>

START_TEST(parse_stat)
{
	struct cpu_times total, per[4];
	FILE *f = fopen(tu_fixture("proc/stat.a"), "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sample_parse_stat(f, &total, per, 4), 2);
	fclose(f);
	ck_assert(total.present);
	ck_assert_uint_eq(total.user, 1000);
	ck_assert_uint_eq(total.idle, 8000);
	ck_assert_uint_eq(per[0].user, 600);
	ck_assert_uint_eq(per[1].idle, 4100);
	ck_assert(!per[2].present);
}
END_TEST

START_TEST(busy_between_samples)
{
	struct cpu_times ta, tb, a[2], b[2];
	FILE *f = fopen(tu_fixture("proc/stat.a"), "r");

	sample_parse_stat(f, &ta, a, 2);
	fclose(f);
	f = fopen(tu_fixture("proc/stat.b"), "r");
	sample_parse_stat(f, &tb, b, 2);
	fclose(f);
	/* cpu0: busy +150 of 150: fully busy; cpu1: +50 busy of 50+100+10 */
	ck_assert_double_eq_tol(sample_busy(&a[0], &b[0]), 1.0, 1e-9);
	ck_assert_double_eq_tol(sample_busy(&a[1], &b[1]), 50.0 / 160.0, 1e-9);
	ck_assert_double_eq_tol(sample_steal(&ta, &tb), 10.0 / 310.0, 1e-9);
	/* no time passed: unknown, not 100 % */
	ck_assert_double_eq(sample_busy(&a[0], &a[0]), -1);
}
END_TEST

START_TEST(junk_files)
{
	struct cpu_times total, per[2];
	uint64_t on, wait;
	FILE *f = fopen(tu_fixture("proc/stat.junk"), "r");

	ck_assert_int_eq(sample_parse_stat(f, &total, per, 2), -1);
	fclose(f);
	f = fopen(tu_fixture("proc/schedstat.junk"), "r");
	ck_assert_int_eq(sample_parse_schedstat(f, &on, &wait), -1);
	fclose(f);
	f = fopen(tu_fixture("proc/schedstat"), "r");
	ck_assert_int_eq(sample_parse_schedstat(f, &on, &wait), 0);
	fclose(f);
	ck_assert_uint_eq(on, 123456789);
	ck_assert_uint_eq(wait, 2000000);
}
END_TEST

START_TEST(first_sample_is_unknown)
{
	struct core_sampler *cs = sample_cores_create(2, tu_fixture("proc/stat.a"));
	float h[8];

	ck_assert_int_eq(sample_cores(cs), 0);
	ck_assert_double_eq(cs->busy[0], -1);
	ck_assert_int_eq(sample_core_history(cs, 0, h, 8), 0);
	cs->path = tu_fixture("proc/stat.b");
	ck_assert_int_eq(sample_cores(cs), 0);
	ck_assert_double_eq_tol(cs->busy[0], 1.0, 1e-9);
	ck_assert_int_eq(sample_core_history(cs, 1, h, 8), 1);
	ck_assert_double_eq_tol(h[0], 50.0 / 160.0, 1e-6);
	cs->path = "/nonexistent/stat";
	ck_assert_int_eq(sample_cores(cs), -1);
	ck_assert(!cs->available);
	sample_cores_destroy(cs);
	sample_cores_destroy(NULL);
}
END_TEST

/* Resident memory: statm's second field in pages; junk is refused; our own
 * figure is positive and sane. */
START_TEST(statm_resident)
{
	FILE *f = fopen(tu_fixture("proc/statm"), "r");
	uint64_t pages = 0;
	double mb;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sample_parse_statm(f, &pages), 0);
	fclose(f);
	ck_assert_uint_eq(pages, 1234);
	f = fmemopen((char *)"junk\n", 5, "r");
	ck_assert_int_eq(sample_parse_statm(f, &pages), -1);
	fclose(f);
	mb = sample_self_rss_mb();
	ck_assert(mb > 0.1 && mb < 4096);
}
END_TEST

START_TEST(live_proc_stat)
{
	struct core_sampler *cs = sample_cores_create(cpus_online(), NULL);

	ck_assert_int_eq(sample_cores(cs), 0);
	ck_assert(cs->available);
	sample_cores_destroy(cs);
}
END_TEST

/* The frame's sampler reads only running tasks; at a pause every task that
 * began and has not ended is read (one waiting for a lock too), so each
 * task's samples reach the pause. */
START_TEST(pause_samples_every_task)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct task_sampler *ts = calloc(1, sizeof *ts);
	int slot = trace_task_add(tr, 0, "waiter", TRACE_KIND_TASK);

	ck_assert_ptr_nonnull(tr);
	if (access("/proc/thread-self/schedstat", R_OK) != 0) {
		fprintf(stderr, "pause_samples_every_task: no schedstat here, not checked\n");
		free(ts);
		trace_destroy(tr);
		return;
	}
	trace_task_begin(tr, slot, false);
	trace_set_state(tr, slot, TRACE_LOCK);
	sample_tasks(ts, tr, 8);
	sample_tasks(ts, tr, 8);
	ck_assert_uint_eq(at_load_relaxed(&tr->tasks[slot].nsched), 0);
	sample_tasks_all(ts, tr);	/* the first reading: a baseline */
	sample_tasks_all(ts, tr);
	ck_assert_uint_eq(at_load_relaxed(&tr->tasks[slot].nsched), 1);
	trace_task_end(tr, slot);
	sample_tasks_all(ts, tr);	/* ended: not read */
	ck_assert_uint_eq(at_load_relaxed(&tr->tasks[slot].nsched), 1);
	free(ts);
	trace_destroy(tr);
}
END_TEST

/* Every running task is read: with room for all of them in one frame, each
 * is read once a frame; with room for one a frame, each in turn.  (The
 * rotation once moved its start inside the loop, so with three tasks
 * running the middle one was never read and was drawn running until it
 * ended; walk 5 F4.) */
START_TEST(rotation_reads_every_running_task)
{
	char err[128];

	if (access("/proc/thread-self/schedstat", R_OK) != 0) {
		fprintf(stderr, "rotation_reads_every_running_task: no schedstat here\n");
		return;
	}
	for (int n = 2; n <= 6; n++) {
		for (int budget = 1; budget <= 32; budget += 31) {
			struct trace *tr = trace_create(err, sizeof err);
			struct task_sampler *ts = calloc(1, sizeof *ts);
			int frames = budget == 1 ? 2 * n : 2;

			ck_assert_ptr_nonnull(tr);
			for (int i = 0; i < n; i++) {
				int slot = trace_task_add(tr, 0, "t", TRACE_KIND_TASK);

				trace_task_begin(tr, slot, false);
				/* the first task waits, as join's main does */
				trace_set_state(tr, slot, i == 0 ? TRACE_LOCK : TRACE_RUN);
			}
			for (int f = 0; f < frames; f++)
				sample_tasks(ts, tr, budget);
			ck_assert_uint_eq(at_load_relaxed(&tr->tasks[0].nsched), 0);
			for (int i = 1; i < n; i++)
				ck_assert_msg(at_load_relaxed(&tr->tasks[i].nsched) >= 1,
				    "%d tasks, %d a frame: task %d never read", n, budget, i);
			free(ts);
			trace_destroy(tr);
		}
	}
}
END_TEST

static Suite *
sample_suite(void)
{
	Suite *s = suite_create("sample");
	TCase *tc = tcase_create("proc");

	tcase_add_test(tc, parse_stat);
	tcase_add_test(tc, busy_between_samples);
	tcase_add_test(tc, junk_files);
	tcase_add_test(tc, first_sample_is_unknown);
	tcase_add_test(tc, live_proc_stat);
	tcase_add_test(tc, statm_resident);
	tcase_add_test(tc, pause_samples_every_task);
	tcase_add_test(tc, rotation_reads_every_running_task);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(sample_suite)
