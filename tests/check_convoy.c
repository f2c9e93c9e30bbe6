/* The convoy executor's warm-up: its requests are made before the measured
 * time and are not counted (ratios only, never absolute rates). */
#include "testutil.h"

#include "cpus.h"
#include "exec.h"
#include "util.h"

/* Two lone requesters without a lock, measured for 150 ms each: `plain`
 * with no warm-up, `warm` after 450 ms of warm-up requests. */
static const char warm_lab[] =
    "[lab]\nid = w\ntitle = w\n"
    "[run plain]\nexecutor = convoy\nlock = none\nduration_ms = 150\n"
    "[run warm]\nexecutor = convoy\nlock = none\nduration_ms = 150\nwarmup_ms = 450\n";

static double
metric(const struct run_result *res, const char *key)
{
	const struct metric *m = result_get(res, key);

	ck_assert_msg(m != NULL && m->kind == METRIC_NUMBER, "no metric %s", key);
	return m->value;
}

/* One run of warm_lab: the warm run lasted the warm-up longer, and its rate
 * is the plain one's, not four times it (which counting the warm-up's
 * requests over the measured time would give). */
static bool
warmup_attempt(void *arg, char *why, size_t len)
{
	struct run_result res[2];
	struct exec_env env = { .slow = 1 };
	struct lab lab;
	char err[256];
	double longer, rate;
	bool ok;

	(void)arg;
	memset(res, 0, sizeof res);
	ck_assert_msg(lab_parse(warm_lab, strlen(warm_lab), "w.lab", exec_info, &lab, err,
	    sizeof err) == 0, "%s", err);
	cpus_allowed(&env.cpus);
	env.ncpus = CPU_COUNT(&env.cpus);
	env.tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(env.tr);
	work_calibrate(&env.cal);
	for (int i = 0; i < 2; i++)
		ck_assert_msg(exec_run(&env, &lab.runs[i], i, &res[i]) == 0, "run %d: %s", i,
		    res[i].error);
	longer = res[1].wall_s - res[0].wall_s;
	rate = metric(&res[1], "short_reqs_per_s") / metric(&res[0], "short_reqs_per_s");
	ok = longer >= 0.3 && rate < 2.0;
	snprintf(why, len, "wall %.3f s warm vs %.3f s plain, rate warm / plain %.2f",
	    res[1].wall_s, res[0].wall_s, rate);
	for (int i = 0; i < 2; i++)
		result_clear(&res[i]);
	lab_free(&lab);
	trace_destroy(env.tr);
	return ok;
}

START_TEST(warmup_requests_not_counted)
{
	tu_assert_attempts("warmup_requests_not_counted", warmup_attempt, NULL);
}
END_TEST

static Suite *
convoy_suite(void)
{
	Suite *s = suite_create("convoy");
	TCase *tc = tcase_create("warmup");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, warmup_requests_not_counted);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(convoy_suite)
