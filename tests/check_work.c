/* fib as the seeds define it, the tick, and calibration. */
#include "testutil.h"

#include "clock.h"
#include "work.h"

START_TEST(fib_values)
{
	struct work_ctx w;

	work_ctx_init(&w, NULL, -1, NULL, 0);
	ck_assert_uint_eq(work_fib(&w, 0), 1);
	ck_assert_uint_eq(work_fib(&w, 1), 1);
	ck_assert_uint_eq(work_fib(&w, 2), 1);
	ck_assert_uint_eq(work_fib(&w, 3), 2);
	ck_assert_uint_eq(work_fib(&w, 10), 55);
	w.ticks = 0;
	ck_assert_uint_eq(work_fib(&w, 20), 6765);
	ck_assert_uint_eq(w.ticks, work_fib_calls(20));
	ck_assert_uint_eq(work_fib_calls(1), 1);
	ck_assert_uint_eq(work_fib_calls(3), 3);
}
END_TEST

static int hook_calls;

static void
count_hook(struct work_ctx *w)
{
	(void)w;
	hook_calls++;
}

START_TEST(hook_runs_every_period)
{
	struct work_ctx w;
	struct work_calib cal = { .fib_ns_per_call = 1, .spin_ns_per_loop = 1 };

	work_ctx_init(&w, NULL, -1, &cal, 5);
	ck_assert_uint_eq(w.period, 1);
	w.hook = count_hook;
	hook_calls = 0;
	work_fib(&w, 15);
	ck_assert_int_eq(hook_calls, (int)work_fib_calls(15));
	work_ctx_init(&w, NULL, -1, &cal, 0);
	w.hook = count_hook;
	hook_calls = 0;
	work_fib(&w, 20);
	ck_assert_int_eq(hook_calls, (int)(work_fib_calls(20) / WORK_CHECK_PERIOD));
}
END_TEST

/* One attempt: calibrate, then 200 ms of planned fib, its CPU time
 * measured.  Calibration and run are moments apart, but the host's speed
 * can change between them (on this VM a fib call took 0.90-0.94 or
 * 1.41-1.47 ns from one second to the next) and a steal burst can land in
 * either: bounds wider than those windows, and up to 3 attempts. */
struct calibration {
	struct work_calib cal;
	uint64_t cpu_ns;	/* the calibration's own CPU time */
};

static bool
calibration_attempt(void *arg, char *why, size_t len)
{
	struct calibration *c = arg;
	struct work_calib *cal = &c->cal;
	struct work_plan plan;
	struct work_ctx w;
	uint64_t t0, cpu;
	double ratio;

	t0 = clock_thread_cpu_ns();
	work_calibrate(cal);
	c->cpu_ns = clock_thread_cpu_ns() - t0;
	work_plan_fib(cal, 0, 200 * CLOCK_NS_PER_MS, &plan);
	work_ctx_init(&w, NULL, -1, cal, 0);
	t0 = clock_thread_cpu_ns();
	work_run_fib(&w, &plan);
	cpu = clock_thread_cpu_ns() - t0;
	ratio = (double)cpu / (200.0 * CLOCK_NS_PER_MS);
	snprintf(why, len, "200 ms planned, %.0f ms measured (%.3f ns a fib call, "
	    "fib(%d) x %llu)", (double)cpu / 1e6, cal->fib_ns_per_call, plan.fib_n,
	    (unsigned long long)plan.reps);
	return ratio > 0.5 && ratio < 2.0;
}

START_TEST(calibration_hits_requested_cpu)
{
	struct calibration c;
	struct work_calib cal;
	struct work_plan plan, p2;

	tu_assert_attempts("calibration", calibration_attempt, &c);
	cal = c.cal;
	ck_assert(cal.fib_ns_per_call > 0 && cal.fib_ns_per_call < 1000);
	ck_assert(cal.spin_ns_per_loop > 0);
	/* quick: well under a second of CPU (its wall time, calib_ns, is at
	 * least that and grows with other programs' load) */
	ck_assert_msg(c.cpu_ns < CLOCK_NS_PER_S, "calibration took %.3f s of CPU",
	    (double)c.cpu_ns / 1e9);
	ck_assert_msg((double)cal.calib_ns >= 0.9 * (double)c.cpu_ns, "calib_ns %.3f s, "
	    "CPU %.3f s", (double)cal.calib_ns / 1e9, (double)c.cpu_ns / 1e9);
	work_plan_fib(&cal, 0, 200 * CLOCK_NS_PER_MS, &plan);
	ck_assert_int_ge(plan.fib_n, 3);
	ck_assert_uint_ge(plan.reps, 1);
	/* interpreted cost: the same duration needs fewer calls */
	work_plan_fib(&cal, 34, 200 * CLOCK_NS_PER_MS, &p2);
	ck_assert((double)work_fib_calls(p2.fib_n) * (double)p2.reps <
	    (double)work_fib_calls(plan.fib_n) * (double)plan.reps);
}
END_TEST

static Suite *
work_suite(void)
{
	Suite *s = suite_create("work");
	TCase *tc = tcase_create("work");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fib_values);
	tcase_add_test(tc, hook_runs_every_period);
	tcase_add_test(tc, calibration_hits_requested_cpu);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(work_suite)
