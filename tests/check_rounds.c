/* A lab's rounds (`rounds = N`): the runs its fidelity lines name are
 * measured N times, each simulated run followed at once by its real twin;
 * their figures become medians, and a fidelity ratio the median of the
 * rounds' own ratios.  Why: the hypervisor steals CPU in bursts, and a
 * burst in one run and not in its twin made the convoy's real / simulated
 * ratio 0.57 in one run and 1.27 in the next (the lead's runs, steal 29-40
 * %); a round's pair sees the same machine, and one burst is outvoted. */
#include "testutil.h"

#include "clock.h"
#include "exec.h"
#include "fidelity.h"
#include "util.h"
#include "verdict.h"

#include <math.h>

#define ROUNDS_LAB \
	"[lab]\nid = x\ntitle = t\nrounds = 3\n" \
	"fidelity = rate: sim.short_reqs_per_s ~ real.short_reqs_per_s\n" \
	"fidelity = again: sim.short_reqs_per_s ~ real.rtt_us\n" \
	"[run other]\nexecutor = convoy\n" \
	"[run sim]\nexecutor = convoy\nlock = gil\ncompetitors = 1\n" \
	"[run real]\nexecutor = python\nscript = convoy.py\n"

static void
parse(const char *text, struct lab *lab)
{
	char err[512];

	ck_assert_msg(lab_parse(text, strlen(text), "x.lab", exec_info, lab, err,
	    sizeof err) == 0, "%s", err);
}

static void
parse_fails(const char *text, const char *want)
{
	struct lab lab;
	char err[512] = "";

	ck_assert_int_lt(lab_parse(text, strlen(text), "x.lab", exec_info, &lab, err,
	    sizeof err), 0);
	ck_assert_msg(strstr(err, want) != NULL, "%s", err);
}

START_TEST(rounds_key)
{
	struct lab lab;
	struct lab_fidelity_ref refs[8];
	int n;

	parse(ROUNDS_LAB, &lab);
	ck_assert_int_eq(lab.rounds, 3);
	/* line by line, the simulated side first, each figure once */
	n = lab_fidelity_refs(&lab, refs, 8);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(refs[0].run, 1);
	ck_assert_str_eq(refs[0].field, "short_reqs_per_s");
	ck_assert_int_eq(refs[1].run, 2);
	ck_assert_str_eq(refs[1].field, "short_reqs_per_s");
	ck_assert_int_eq(refs[2].run, 2);
	ck_assert_str_eq(refs[2].field, "rtt_us");
	ck_assert_int_eq(lab_fidelity_refs(&lab, refs, 1), 1);
	lab_free(&lab);
	parse_fails("[lab]\nid = x\ntitle = t\nrounds = 0\n[run a]\nexecutor = serial\n",
	    "x.lab:4: rounds must be a number 1..9, not '0'");
	parse_fails("[lab]\nid = x\ntitle = t\nrounds = many\n[run a]\nexecutor = serial\n",
	    "x.lab:4: rounds must be a number 1..9, not 'many'");
}
END_TEST

START_TEST(median)
{
	double a[] = { 4320, 210, 190 }, b[] = { 3, 1, 4, 2 };

	ck_assert_double_eq(util_median(a, 3), 210);
	ck_assert_double_eq(util_median(b, 4), 2.5);
	ck_assert_double_eq(util_median(a, 1), 4320);
	ck_assert_double_eq(util_median(a, 0), 0);
	/* the values stay in their order */
	ck_assert_double_eq(a[0], 4320);
}
END_TEST

static void
measured(struct run_result *r, int index, double rate, double rtt, double steal)
{
	memset(r, 0, sizeof *r);
	r->index = index;
	r->finished = true;
	r->steal_pct = steal;
	result_set(r, "short_reqs_per_s", rate, 2);
	result_set(r, "rtt_us", rtt, 1);
}

/* A burst in the first round (4,320 requests/s, where the convoy allows
 * about 200) is outvoted by the two others; a skipped round counts for
 * nothing; the noise is the worst round's. */
START_TEST(merge_takes_medians)
{
	struct lab lab;
	struct lab_fidelity_ref refs[8];
	struct run_result first, extra[3];
	const struct metric *m;
	int n;

	parse(ROUNDS_LAB, &lab);
	n = lab_fidelity_refs(&lab, refs, 8);
	measured(&first, 1, 4320, 231, 40.7);
	measured(&extra[0], 1, 210, 4760, 3.5);
	measured(&extra[1], 1, 190, 5260, 2.0);
	measured(&extra[2], 1, 99999, 1, 0);
	extra[2].skipped = true;
	exec_rounds_merge(&first, extra, 3, refs, n);
	ck_assert_double_eq(result_get(&first, "short_reqs_per_s")->value, 210);
	ck_assert_double_eq(result_get(&first, "rtt_us")->value, 4760);
	m = result_get(&first, "short_reqs_per_s_rounds");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->kind, METRIC_ARRAY);
	ck_assert_int_eq(m->nvalues, 3);
	ck_assert_double_eq(m->values[0], 4320);
	ck_assert_double_eq(m->values[2], 190);
	/* rtt_us is no fidelity figure of this run (it is of the real one) */
	ck_assert_ptr_null(result_get(&first, "rtt_us_rounds"));
	m = result_get(&first, "rounds_steal_pct");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->nvalues, 3);
	ck_assert_double_eq(first.steal_pct, 40.7);
	for (int i = 0; i < 3; i++)
		result_clear(&extra[i]);
	result_clear(&first);
	lab_free(&lab);
}
END_TEST

struct fx {
	struct lab lab;
	struct run_result res[LAB_MAX_RUNS];
	struct report_info info;
};

static void
rounds_of(struct run_result *r, const char *key, const double *v, int n)
{
	char k[64];

	result_set(r, key, util_median(v, n), 2);
	snprintf(k, sizeof k, "%s_rounds", key);
	result_set_array(r, k, v, n);
}

/* Round for round, real / simulated was 0.566, 0.857 and 1.05: the ratio
 * is their median (0.857), not the ratio of the medians (0.952), and the
 * reports say how it was made. */
START_TEST(ratio_of_rounds)
{
	static const double sim[] = { 4320, 210, 190 }, real[] = { 2443, 180, 200 };
	struct fx f;
	struct fidelity fi;
	struct json j;
	FILE *mem;
	char *text, *buf = NULL;
	size_t len = 0;

	memset(&f, 0, sizeof f);
	parse(ROUNDS_LAB, &f.lab);
	for (int i = 0; i < f.lab.nruns; i++) {
		f.res[i].finished = true;
		f.res[i].run = &f.lab.runs[i];
		f.res[i].wall_s = 1;
	}
	rounds_of(&f.res[1], "short_reqs_per_s", sim, 3);
	rounds_of(&f.res[2], "short_reqs_per_s", real, 3);
	result_set(&f.res[2], "rtt_us", 4000, 1);
	f.info.lab = &f.lab;
	f.info.results = f.res;
	ck_assert(fidelity_eval(&f.info, 0, &fi));
	ck_assert_int_eq(fi.rounds, 3);
	/* walk 6 G14: the ratio is the figures' printed beside it (medians
	 * 210 and 200), never the median of the rounds' ratios (0.857, the
	 * other side of 1 than "simulated 12,850, real 13,312" can be) */
	ck_assert_double_eq_tol(fi.ratio, 200.0 / 210, 1e-9);
	ck_assert_double_eq_tol(fi.real / fi.sim, 200.0 / 210, 1e-9);
	ck_assert_double_eq_tol(fi.round_ratio[0], 2443.0 / 4320, 1e-9);
	ck_assert_double_eq_tol(fi.round_ratio[2], 200.0 / 190, 1e-9);
	/* a side without rounds: the plain ratio */
	ck_assert(fidelity_eval(&f.info, 1, &fi));
	ck_assert_int_eq(fi.rounds, 0);
	ck_assert_double_eq_tol(fi.ratio, 4000.0 / 210, 1e-9);
	text = fidelity_text(&f.info);
	ck_assert_msg(strstr(text, "simulated 210, real 200 (0.952; round by round 0.566, "
	    "0.857, 1.05)") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "the median of 3 rounds") != NULL, "%s", text);
	free(text);
	mem = open_memstream(&buf, &len);
	json_init(&j, mem, false);
	json_object_begin(&j);
	fidelity_json(&j, &f.info);
	json_object_end(&j);
	fclose(mem);
	ck_assert_msg(strstr(buf, "\"ratio\":0.952,\"rounds\":3,\"round_ratios\":[0.566,"
	    "0.857,1.053]") != NULL, "%s", buf);
	free(buf);
	for (int i = 0; i < LAB_MAX_RUNS; i++)
		result_clear(&f.res[i]);
	lab_free(&f.lab);
}
END_TEST

/* The runner: after every run ran once, the fidelity lines' runs run twice
 * more (each figure then has three rounds), the others not, and the
 * timeline's trace keeps the first round's tasks only. */
START_TEST(runner_runs_rounds)
{
	static const char text[] =
	    "[lab]\nid = x\ntitle = t\nrounds = 3\n"
	    "fidelity = took: a.actual_s ~ b.actual_s\n"
	    "[run a]\nexecutor = join\ntasks = 1\nduration_ms = 15\n"
	    "[run b]\nexecutor = join\ntasks = 1\nduration_ms = 15\n"
	    "[run c]\nexecutor = join\ntasks = 1\nduration_ms = 15\n";
	struct lab lab;
	struct exec_env env;
	struct exec_runner *r = calloc(1, sizeof *r);
	char err[256];
	int tasks_once;

	parse(text, &lab);
	memset(&env, 0, sizeof env);
	env.tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(env.tr);
	cpus_allowed(&env.cpus);
	env.ncpus = CPU_COUNT(&env.cpus);
	env.slow = 1;
	work_calibrate(&env.cal);
	ck_assert_int_eq(exec_runner_start(r, &env, &lab, -1), 0);
	while (!exec_runner_done(r))
		clock_sleep_ns(5 * CLOCK_NS_PER_MS);
	exec_runner_join(r);
	for (int i = 0; i < 2; i++) {
		const struct metric *m = result_get(&r->results[i], "actual_s_rounds");

		ck_assert_msg(m != NULL && m->nvalues == 3, "run %d", i);
		for (int k = 0; k < 3; k++)
			ck_assert_msg(m->values[k] > 0.005, "run %d round %d: %g", i, k,
			    m->values[k]);
		ck_assert_ptr_nonnull(result_get(&r->results[i], "rounds_steal_pct"));
	}
	ck_assert_ptr_null(result_get(&r->results[2], "actual_s_rounds"));
	/* published only once merged: EXEC_ROUNDS until then, FINISHED now */
	ck_assert(exec_rounds_for(&lab, 0) && exec_rounds_for(&lab, 1));
	ck_assert(!exec_rounds_for(&lab, 2));
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(at_load_relaxed(&r->state[i]), EXEC_FINISHED);
	ck_assert_int_eq(at_load_relaxed(&r->round), 0);
	/* the extra rounds ran in their own trace */
	tasks_once = r->results[2].first_slot + r->results[2].nslots;
	ck_assert_int_eq(trace_ntasks(env.tr), tasks_once);
	/* stopping the lab stops the extra rounds' trace too */
	ck_assert_ptr_nonnull(r->scratch);
	trace_stop(env.tr);
	ck_assert(trace_stopping(r->scratch));
	exec_runner_clear(r);
	ck_assert_ptr_null(r->scratch);
	free(r);
	trace_destroy(env.tr);
	lab_free(&lab);
}
END_TEST

/* The collapse did not show in the simulation and not in real CPython
 * either (the lead's run: 4,691 -> 4,320 simulated, 7,658 -> 2,443 real):
 * the likely cause says the machine hid it from both.  Walk 6 G13: with
 * real CPython's collapse shown (62,489 -> 5,661) and another real figure
 * failed, the cause said "real CPython did not show it either": only the
 * twin -- the same figures on the other side -- may say so. */
START_TEST(both_sides_failed)
{
	static const char text[] =
	    "[lab]\nid = x\ntitle = t\n"
	    "fidelity = alone: sa.short_reqs_per_s ~ ra.short_reqs_per_s\n"
	    "fidelity = beside: sc.short_reqs_per_s ~ rc.short_reqs_per_s\n"
	    "expect = sa.short_reqs_per_s >= 5 * sc.short_reqs_per_s -- simulated collapse\n"
	    "expect = when rc.competitors > 0: ra.short_reqs_per_s >= 5 * rc.short_reqs_per_s "
	    "-- real collapse\n"
	    "expect = ra.short_reqs_per_s <= 2 * sa.short_reqs_per_s -- both alike\n"
	    "expect = rc.short_reqs_per_s >= 6000 -- real beside, fast\n"
	    "[run sa]\nexecutor = convoy\nlock = gil\n"
	    "[run sc]\nexecutor = convoy\nlock = gil\ncompetitors = 1\n"
	    "[run ra]\nexecutor = python\nscript = convoy.py\n"
	    "[run rc]\nexecutor = python\nscript = convoy.py\ncompetitors = 1\n";
	static const double rate[] = { 4691, 4320, 7658, 3443 };
	struct fx f;
	struct verdict v;

	memset(&f, 0, sizeof f);
	parse(text, &f.lab);
	for (int i = 0; i < 4; i++) {
		f.res[i].finished = true;
		f.res[i].run = &f.lab.runs[i];
		f.res[i].wall_s = 1;
		result_set(&f.res[i], "short_reqs_per_s", rate[i], 0);
	}
	f.info.lab = &f.lab;
	f.info.results = f.res;
	f.info.ncpus = 2;
	f.info.cpus[1] = 1;
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 3);
	/* the collapses are each other's twins; the others have none */
	ck_assert_int_eq(v.twin[0], 2);
	ck_assert_int_eq(v.twin[1], 1);
	ck_assert_int_eq(v.side[0], LAB_SIDE_SIM);
	ck_assert_int_eq(v.side[1], LAB_SIDE_REAL);
	ck_assert_int_eq(v.twin[2], 0);
	ck_assert_int_eq(v.twin[3], 0);
	ck_assert_msg(strstr(v.cause, "real CPython did not show it either (real collapse: "
	    "ra.short_reqs_per_s = 7,658, rc.short_reqs_per_s = 3,443), so the machine hid it, "
	    "not the simulation") != NULL, "%s", v.cause);
	/* real CPython collapsed, one of its other figures failed: the
	 * simulation alone missed the collapse */
	result_set(&f.res[3], "short_reqs_per_s", 62489.0 / 11, 0);
	result_set(&f.res[2], "short_reqs_per_s", 62489, 0);
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 3);
	ck_assert_msg(strstr(v.cause, "did not show it either") == NULL, "%s", v.cause);
	ck_assert_msg(strstr(v.cause, "yet real CPython showed what the simulation did not "
	    "(real collapse: ra.short_reqs_per_s = 62,489, rc.short_reqs_per_s = 5,681), so the "
	    "machine did not hide it from real CPython") != NULL, "%s", v.cause);
	/* the simulation collapsed, real CPython did not */
	result_set(&f.res[1], "short_reqs_per_s", 200, 0);
	result_set(&f.res[2], "short_reqs_per_s", 7658, 0);
	result_set(&f.res[3], "short_reqs_per_s", 4000, 0);
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 2);
	ck_assert_msg(strstr(v.cause, "; the simulation showed what real CPython did not "
	    "(simulated collapse: sa.short_reqs_per_s = 4,691, sc.short_reqs_per_s = 200)") !=
	    NULL, "%s", v.cause);
	for (int i = 0; i < LAB_MAX_RUNS; i++)
		result_clear(&f.res[i]);
	lab_free(&f.lab);
}
END_TEST

/* The shipped labs' twins (verdict_twin.c): a simulated expectation and the
 * real one on the same figures, through the fidelity lines. */
START_TEST(shipped_twins)
{
	static const char *const pairs[][3] = {
		{ "convoy", "gil-collapse", "cpython-collapse" },
		{ "convoy", "interval", "cpython-interval" },
		{ "server", "gil-wrecked", "cpython-wrecked" },
		{ "gil", "gil-one-core", "cpython-one-core" },
	};
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);

	for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
		const struct lab *lab = NULL;
		struct verdict v;
		int a = -1, b = -1;

		for (int i = 0; i < n; i++)
			if (strcmp(labs[i].id, pairs[k][0]) == 0)
				lab = &labs[i];
		ck_assert_ptr_nonnull(lab);
		memset(&v, 0, sizeof v);
		v.n = lab->nexpects;
		verdict_twins(lab, &v);
		for (int i = 0; i < lab->nexpects; i++) {
			a = strcmp(lab->expect_names[i], pairs[k][1]) == 0 ? i : a;
			b = strcmp(lab->expect_names[i], pairs[k][2]) == 0 ? i : b;
		}
		ck_assert_msg(a >= 0 && b >= 0, "%s: %s, %s", pairs[k][0], pairs[k][1], pairs[k][2]);
		ck_assert_msg(v.twin[a] == b + 1 && v.twin[b] == a + 1, "%s: %s's twin %d, %s's %d",
		    pairs[k][0], pairs[k][1], v.twin[a], pairs[k][2], v.twin[b]);
		ck_assert_int_eq(v.side[a], LAB_SIDE_SIM);
		ck_assert_int_eq(v.side[b], LAB_SIDE_REAL);
		/* a figure of both sides (within 2 times) has none */
		for (int i = 0; i < lab->nexpects; i++)
			if (strcmp(lab->expect_names[i], "cpython-rate") == 0)
				ck_assert_int_eq(v.twin[i], 0);
	}
	lab_list_free(labs, n);
}
END_TEST

static Suite *
rounds_suite(void)
{
	Suite *s = suite_create("rounds");
	TCase *tc = tcase_create("rounds");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rounds_key);
	tcase_add_test(tc, median);
	tcase_add_test(tc, merge_takes_medians);
	tcase_add_test(tc, ratio_of_rounds);
	tcase_add_test(tc, both_sides_failed);
	tcase_add_test(tc, shipped_twins);
	tcase_add_test(tc, runner_runs_rounds);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(rounds_suite)
