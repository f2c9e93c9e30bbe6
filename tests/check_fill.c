/* fill: a lab's text with its figures as DESIGN.md writes numbers -- a
 * measured time with its unit (65.6 µs, 3.94 ms, "us" in ASCII), the unit
 * the text wrote after it replaced, a setting as it is set, counts with
 * separators, ratios to three digits -- through the headline, explanation
 * and expectation paths; and a figure no run measured never reads "n/a". */
#include "testutil.h"

#include "exec.h"
#include "fidelity.h"
#include "fill.h"
#include "util.h"
#include "verdict.h"

#define LAB_TEXT \
	"[lab]\nid = x\ntitle = t\n" \
	"headline = broken {broken.reported_s} s, fixed {fixed.reported_s} s " \
	"({fixed.reported_s / broken.reported_s} times)\n" \
	"headline = gil {gil.switches_per_s} switches/s at {gil.switch_ms} ms, " \
	"wake {gil.wake_us} µs\n" \
	"headline = lost {race.lost_updates}, {race.ns_per_increment} ns each, " \
	"{fixed.actual_s - broken.reported_s} s more\n" \
	"explain = {gil.tasks|Word} threads, {fixed.reported_s/broken.reported_s} times; " \
	"a round trip of {gil.wake_us} microseconds.\n" \
	"fidelity = reported: broken.reported_s ~ fixed.reported_s\n" \
	"fidelity = lost: race.lost_updates ~ race.switches\n" \
	"fidelity = switching: gil.switches_per_s ~ race.ns_per_increment\n" \
	"expect = fast: broken.reported_s < 0.1 * fixed.reported_s -- broken measured nothing\n" \
	"[run broken]\nexecutor = join\njoin = no\n" \
	"[run fixed]\nexecutor = join\njoin = yes\n" \
	"[run gil]\nexecutor = gil\nswitch_ms = 5\n" \
	"[run race]\nexecutor = race\n"

struct fx {
	struct lab lab;
	struct run_result res[LAB_MAX_RUNS];
	struct report_info info;
};

static void
fx_init(struct fx *f)
{
	char err[512];

	memset(f, 0, sizeof *f);
	ck_assert_msg(lab_parse(LAB_TEXT, strlen(LAB_TEXT), "x.lab", exec_info, &f->lab, err,
	    sizeof err) == 0, "%s", err);
	for (int i = 0; i < f->lab.nruns; i++) {
		f->res[i].finished = true;
		f->res[i].run = &f->lab.runs[i];
		f->res[i].wall_s = 1;
	}
	result_set(&f->res[0], "reported_s", 0.0000656, 4);
	result_set(&f->res[1], "reported_s", 0.00394, 4);
	result_set(&f->res[1], "actual_s", 2.5, 4);
	result_set(&f->res[2], "switches_per_s", 178.3, 1);
	result_set(&f->res[2], "switch_ms", 5, 1);
	result_set(&f->res[2], "wake_us", 1520, 1);
	result_set(&f->res[3], "lost_updates", 501755, 0);
	result_set(&f->res[3], "ns_per_increment", 156.25, 2);
	f->info.lab = &f->lab;
	f->info.results = f->res;
	f->info.ncpus = 2;
	f->info.cpus[1] = 1;
}

static void
fx_free(struct fx *f)
{
	for (int i = 0; i < LAB_MAX_RUNS; i++)
		result_clear(&f->res[i]);
	lab_free(&f->lab);
}

static void
headline_is(struct fx *f, int i, const char *want)
{
	char *h = verdict_headline(&f->info, i, "...");

	ck_assert_str_eq(h, want);
	free(h);
}

/* The screen showed "0.0000656 s" and "0.00394 s". */
START_TEST(times_carry_their_unit)
{
	struct fx f;
	char *text;

	fx_init(&f);
	headline_is(&f, 0, "broken 65.6 \xc2\xb5s, fixed 3.94 ms (60.1 times)");
	/* a setting as set (not 5.00 ms); a measured µs figure in its unit;
	 * a rate with its digits */
	headline_is(&f, 1, "gil 178 switches/s at 5 ms, wake 1.52 ms");
	/* an expression of times is a time */
	headline_is(&f, 2, "lost 501,755, 156 ns each, 2.50 s more");
	/* the explanation the same; "microseconds" replaced too */
	text = report_explain(&f.info, f.lab.explain);
	ck_assert_str_eq(text, "Three threads, 60.1 times; a round trip of 1.52 ms.");
	free(text);
	/* ASCII (--ascii, a locale that is not UTF-8): us */
	f.info.ascii = true;
	headline_is(&f, 0, "broken 65.6 us, fixed 3.94 ms (60.1 times)");
	fx_free(&f);
}
END_TEST

/* The expectation's figures read as the headlines do. */
START_TEST(expectation_figures_read_the_same)
{
	struct fx f;
	struct verdict v;

	fx_init(&f);
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.v[0], EXPR_HELD);
	ck_assert_str_eq(v.why[0], "broken.reported_s = 65.6 \xc2\xb5s, fixed.reported_s = "
	    "3.94 ms");
	fx_free(&f);
}
END_TEST

/* A figure still to come reads the placeholder without a unit after it
 * ("... s" said nothing); one that will never come leaves its headline
 * out, and the note says why in words. */
START_TEST(missing_figures_in_words)
{
	struct fx f;
	char *h[LAB_MAX_HEADLINES], note[512], err[256];
	int n;

	fx_init(&f);
	f.res[1].finished = false;	/* fixed: still running */
	headline_is(&f, 0, "broken 65.6 \xc2\xb5s, fixed ... (... times)");
	n = verdict_headlines(&f.info, NULL, true, "...", h, NULL, note, sizeof note);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(h[0], "broken 65.6 \xc2\xb5s, fixed ... (... times)");
	ck_assert_str_eq(note, "");
	for (int i = 0; i < n; i++)
		free(h[i]);
	/* the dashboard ran one run alone: at the end, the others were not run */
	n = verdict_headlines(&f.info, NULL, false, "...", h, NULL, note, sizeof note);
	ck_assert_int_eq(n, 1);	/* the gil one */
	ck_assert_str_eq(note, "(2 headlines left out: run fixed was not run this time)");
	for (int i = 0; i < n; i++)
		free(h[i]);
	/* --only broken: fixed never runs */
	ck_assert_int_eq(lab_only(&f.lab, "broken", err, sizeof err), 0);
	for (int live = 0; live < 2; live++) {
		n = verdict_headlines(&f.info, NULL, live, "...", h, NULL, note, sizeof note);
		ck_assert_int_eq(n, 0);
		ck_assert_str_eq(note, "(3 headlines left out: runs fixed, gil, race did not run "
		    "(--only))");
	}
	/* a skipped run (no interpreter) the same */
	lab_free(&f.lab);
	fx_free(&f);
	fx_init(&f);
	f.res[2].skipped = true;
	n = verdict_headlines(&f.info, NULL, false, "n/a", h, NULL, note, sizeof note);
	ck_assert_int_eq(n, 2);
	ck_assert_ptr_null(strstr(h[0], "n/a"));
	ck_assert_ptr_null(strstr(h[1], "n/a"));
	ck_assert_str_eq(note, "(1 headline left out: run gil was skipped)");
	for (int i = 0; i < n; i++)
		free(h[i]);
	f.res[1].skipped = true;	/* two runs skipped: said once, plural */
	n = verdict_headlines(&f.info, NULL, false, "n/a", h, NULL, note, sizeof note);
	ck_assert_int_eq(n, 0);
	ck_assert_str_eq(note, "(3 headlines left out: runs fixed, gil were skipped)");
	fx_free(&f);
}
END_TEST

/* A fidelity line writes its figures as the text does, and a ratio it
 * cannot make in words (it said "n/a"). */
START_TEST(fidelity_figures)
{
	struct fx f;
	char *text;

	fx_init(&f);
	result_set(&f.res[3], "switches", 0, 0);
	result_set(&f.res[3], "lost_updates", 0, 0);
	text = fidelity_text(&f.info);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strstr(text, "reported: simulated 65.6 \xc2\xb5s, real 3.94 ms (60.1)") !=
	    NULL, "%s", text);
	ck_assert_msg(strstr(text, "lost: simulated 0, real 0 (the same)") != NULL, "%s", text);
	ck_assert_ptr_null(strstr(text, "n/a"));
	free(text);
	fx_free(&f);
}
END_TEST

/* walk 5 F16: a ratio over runs that met unequal or heavy other load says
 * so on its line and in the JSON; even, light load adds nothing. */
START_TEST(fidelity_uneven_load)
{
	struct fx f;
	struct fidelity fl;
	char *text;

	fx_init(&f);
	for (int i = 0; i < f.lab.nruns; i++) {
		f.res[i].noise_known = true;
		f.res[i].other_load_pct = 5;
	}
	text = fidelity_text(&f.info);
	ck_assert_msg(strstr(text, "(60.1)") != NULL, "%s", text);
	free(text);
	f.res[0].other_load_pct = 80;	/* broken's run met a burst */
	text = fidelity_text(&f.info);
	ck_assert_msg(strstr(text, "reported: simulated 65.6 \xc2\xb5s, real 3.94 ms (60.1; not "
	    "comparable: broken ran beside 80 % other load, fixed 5 %)") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "switching: simulated 178, real 156 ns (0.876)") != NULL &&
	    strstr(strstr(text, "switching:"), "comparable") == NULL, "%s", text);
	free(text);
	ck_assert(fidelity_eval(&f.info, 0, &fl));
	ck_assert_str_eq(fl.load_note, "broken ran beside 80 % other load, fixed 5 %");
	for (int i = 0; i < f.lab.nruns; i++)
		f.res[i].other_load_pct = 70;	/* heavy everywhere */
	ck_assert(fidelity_eval(&f.info, 2, &fl));
	ck_assert_str_eq(fl.load_note, "its runs ran beside 70 % other load or more");
	fx_free(&f);
}
END_TEST

/* --slow stretches the simulated switch intervals, not CPython's: a figure
 * from a run with one is left out (with a note), the others stay. */
START_TEST(fidelity_slowed)
{
	struct fx f;
	char *text;

	fx_init(&f);
	text = fidelity_text(&f.info);
	ck_assert_msg(strstr(text, "switching: simulated 178") != NULL, "%s", text);
	ck_assert_ptr_null(strstr(text, "--slow"));
	free(text);
	f.info.slow = 10;
	text = fidelity_text(&f.info);
	ck_assert_ptr_null(strstr(text, "switching:"));
	ck_assert_msg(strstr(text, "reported: simulated") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "(--slow stretched the simulated switch intervals") != NULL,
	    "%s", text);
	free(text);
	fx_free(&f);
}
END_TEST

/* fill_figure: one figure alone (the settings panel, an expectation). */
START_TEST(one_figure)
{
	struct fx f;
	char buf[64];

	fx_init(&f);
	fill_figure(&f.info, "gil", "switch_ms", 500, buf, sizeof buf);
	ck_assert_str_eq(buf, "500");
	fill_figure(&f.info, "fixed", "actual_s", 1234.5, buf, sizeof buf);
	ck_assert_str_eq(buf, "1,234 s");
	fill_figure(&f.info, NULL, "cores", 2, buf, sizeof buf);
	ck_assert_str_eq(buf, "2");
	/* cores busy to two decimals, as the bands (walk 5 F13) */
	fill_figure(&f.info, "gil", "avg_cores_busy", 0.987, buf, sizeof buf);
	ck_assert_str_eq(buf, "0.99");
	fx_free(&f);
}
END_TEST

/* A time's placeholder near the end of the text: the unit after it is
 * looked for without reading past the text's end (ASan: fill.c read 5
 * bytes past a 149-byte headline that ended "{x_s} s"). */
START_TEST(unit_at_the_end)
{
	static const char *const tails[] = { "", " ", "  ", " s", " m", " ms", " mi", " \n" };
	struct fx f;

	fx_init(&f);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(tails); i++) {
		char tpl[64], *exact, *out;

		snprintf(tpl, sizeof tpl, "took {fixed.actual_s}%s", tails[i]);
		exact = xstrdup(tpl);	/* heap, exactly its length: ASan sees an overread */
		out = fill_text(&f.info, exact, "...");
		ck_assert_ptr_nonnull(out);
		ck_assert_msg(strncmp(out, "took 2.50 s", 11) == 0, "'%s' gave '%s'", tpl, out);
		free(out);
		free(exact);
	}
	fx_free(&f);
}
END_TEST

/* The text report wraps a figure with its unit ("12.4\n  s" before). */
START_TEST(report_wrap_keeps_units)
{
	char buf[128] = "";
	FILE *m = fmemopen(buf, sizeof buf - 1, "w");

	ck_assert_ptr_nonnull(m);
	report_wrap(m, "workers ran 12.4 s; then 65.6 \xc2\xb5s", 16, 2);
	fclose(m);
	ck_assert_str_eq(buf, "  workers ran\n  12.4 s; then\n  65.6 \xc2\xb5s\n");
}
END_TEST

/* Whether text holds a ratio alone in parentheses: "({a.x / b.x})" or
 * "({a.contended_vs_alone})", with no word saying what it is; *at gets
 * where. */
static bool
bare_ratio(const char *text, const char **at)
{
	for (const char *p = strstr(text, "({"); p != NULL; p = strstr(p + 2, "({")) {
		const char *close = strchr(p, '}');
		char expr[256];

		if (close == NULL || close[1] != ')')
			continue;
		snprintf(expr, sizeof expr, "%.*s", (int)(close - p - 2), p + 2);
		if (strchr(expr, '/') != NULL || strstr(expr, "_vs_") != NULL) {
			*at = p;
			return true;
		}
	}
	return false;
}

/* Walk 5 F20: the server's explanation said "pool 9,388 -> 23,919 (2.55)."
 * where its other lines say "(0.988 of alone)" or "(6.45 times fewer)".
 * No shipped lab's explanation or headline puts a ratio alone in
 * parentheses. */
START_TEST(no_bare_ratio)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0, texts = 0;
	const char *at;

	for (int i = 0; i < n; i++) {
		const char *t[LAB_MAX_HEADLINES + 1] = { labs[i].explain };

		for (int h = 0; h < labs[i].nheadlines; h++)
			t[h + 1] = labs[i].headlines[h];
		for (int k = 0; k <= labs[i].nheadlines; k++, texts++)
			if (t[k] != NULL && bare_ratio(t[k], &at) && bad++ < 5)
				fprintf(stderr, "%s: a bare ratio: %.60s\n", labs[i].id, at);
	}
	lab_list_free(labs, n);
	ck_assert_int_gt(texts, 10);
	ck_assert_int_eq(bad, 0);
	ck_assert(bare_ratio("x ({a.r / b.r}). y", &at));	/* the check itself */
	ck_assert(!bare_ratio("x ({a.r / b.r} times fewer)", &at));
}
END_TEST

static Suite *
fill_suite(void)
{
	Suite *s = suite_create("fill");
	TCase *tc = tcase_create("fill");

	tcase_add_test(tc, times_carry_their_unit);
	tcase_add_test(tc, expectation_figures_read_the_same);
	tcase_add_test(tc, missing_figures_in_words);
	tcase_add_test(tc, one_figure);
	tcase_add_test(tc, fidelity_figures);
	tcase_add_test(tc, fidelity_slowed);
	tcase_add_test(tc, fidelity_uneven_load);
	tcase_add_test(tc, report_wrap_keeps_units);
	tcase_add_test(tc, unit_at_the_end);
	tcase_add_test(tc, no_bare_ratio);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(fill_suite)
