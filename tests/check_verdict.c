/* verdict: headline and expect lines in lab files (checked with file:line),
 * headlines filled in, expectations judged with the likely cause, and the
 * report's first lines and JSON keys -- on synthetic run results. */
#include "testutil.h"

#include <ctype.h>

#include "minijson.h"

#include "exec.h"
#include "util.h"
#include "verdict.h"

#include "verdict_fx.h"

static void
parse_bad(const char *text, const char *want)
{
	char err[512];
	struct lab lab;

	ck_assert_int_eq(lab_parse(text, strlen(text), "m.lab", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_msg(strstr(err, want) != NULL, "wanted '%s', got '%s'", want, err);
}

START_TEST(lab_lines_are_checked)
{
	const char *head = "[lab]\nid = x\ntitle = t\n";
	char buf[1024];

	snprintf(buf, sizeof buf, "%sheadline = {a.wall_s / zz.wall_s}\n[run a]\n"
	    "executor = serial\n", head);
	parse_bad(buf, "m.lab:4: headline refers to run 'zz'");
	snprintf(buf, sizeof buf, "%sexpect = a.wall_s <\n[run a]\nexecutor = serial\n", head);
	parse_bad(buf, "m.lab:4: expect: a number, a name or '(' expected at column 11");
	snprintf(buf, sizeof buf, "%s\nexpect = a.wall_s < 1\nexpect = a.lost < 1\n[run a]\n"
	    "executor = serial\n", head);
	parse_bad(buf, "m.lab:6: expect: run 'a' (executor serial) has no figure 'lost'");
	snprintf(buf, sizeof buf, "%sexpect = when corse > 1: a.wall_s < 1\n[run a]\n"
	    "executor = serial\n", head);
	parse_bad(buf, "m.lab:4: expect: 'corse' is neither cores nor a parameter");
	snprintf(buf, sizeof buf, "%sheadline = {a.wall_s\n[run a]\nexecutor = serial\n", head);
	parse_bad(buf, "m.lab:4: headline: '{' without '}'");
	snprintf(buf, sizeof buf, "%sheadline = 1\nheadline = 2\nheadline = 3\nheadline = 4\n"
	    "[run a]\nexecutor = serial\n", head);
	parse_bad(buf, "m.lab:7: too many headlines (at most 3)");
	/* a parameter is a bare name */
	snprintf(buf, sizeof buf, "%sheadline = {duration_ms} ms\n[run a]\nexecutor = serial\n",
	    head);
	{
		char err[512];
		struct lab lab;

		ck_assert_msg(lab_parse(buf, strlen(buf), "m.lab", exec_info, &lab, err,
		    sizeof err) == 0, "%s", err);
		ck_assert_int_eq(lab.nheadlines, 1);
		lab_free(&lab);
	}
}
END_TEST

START_TEST(every_shipped_lab_declares_its_lesson)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);

	ck_assert_msg(errs[0] == '\0', "%s", errs);
	ck_assert_int_ge(n, 10);
	for (int i = 0; i < n; i++) {
		ck_assert_msg(labs[i].nheadlines >= 1 && labs[i].nheadlines <= 3,
		    "lab %s has %d headlines", labs[i].id, labs[i].nheadlines);
		ck_assert_msg(labs[i].nexpects >= 1, "lab %s has no expect line", labs[i].id);
		/* walk4 5: which expectations carry the lesson, the rest side figures */
		ck_assert_msg(labs[i].lesson != NULL, "lab %s has no lesson line", labs[i].id);
		if (strcmp(labs[i].id, "join") == 0)	/* a timing beside the lesson */
			ck_assert(labs[i].expect_side[lab_expect_find(&labs[i], "fixed-shared")] &&
			    !labs[i].expect_side[lab_expect_find(&labs[i], "broken-nothing")]);
	}
	lab_list_free(labs, n);
}
END_TEST


/* Does text name run (as "{RUN." or " RUN." in an expression)? */
static bool
names_run(const char *text, const char *run)
{
	size_t n = strlen(run);

	for (const char *p = text; text != NULL && (p = strstr(p, run)) != NULL; p++)
		if (p > text && strchr("{ (/*", p[-1]) != NULL && p[n] == '.')
			return true;
	return false;
}

/* walk.md 14 and 4: each headline set carries the whole answer -- every
 * simulated run an expectation judges is in some headline (server's left
 * out fork and pool), and a real CPython run (walk4 12) -- and
 * no text spells out a count a setting decides ("three fib tasks" stayed
 * three with --set tasks=4: {tasks|word} follows it). */
START_TEST(shipped_text_follows_the_runs)
{
	static const char *const counts[] = { "two", "three", "four", "five", "six" };
	static const char *const nouns[] = { "threads", "fib", "tasks", "sleeping",
		"computing", "1 s" };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);

	for (int i = 0; i < n; i++) {
		const struct lab *lab = &labs[i];
		char all[8192] = "";
		int64_t v;
		bool has_tasks = false;
		int python = 0;	/* 1: judged, 2: and in a headline */

		for (int h = 0; h < lab->nheadlines; h++)
			strncat(all, lab->headlines[h], sizeof all - strlen(all) - 1);
		for (int r = 0; r < lab->nruns; r++) {
			has_tasks |= lab_value_find(&lab->runs[r], "tasks", &v) &&
			    strcmp(lab->runs[r].exec->name, "python") != 0;
			bool judged = false;	/* a run the lesson's expectations read */

			for (int x = 0; x < lab->nexpects; x++)
				judged |= names_run(lab->expects[x], lab->runs[r].name) ||
				    strncmp(lab->expects[x], lab->runs[r].name,
				    strlen(lab->runs[r].name)) == 0;
			if (judged && strcmp(lab->runs[r].exec->name, "python") != 0)
				ck_assert_msg(names_run(all, lab->runs[r].name), "lab %s: no headline "
				    "has run %s", lab->id, lab->runs[r].name);
			else if (judged)	/* real CPython's runs judged */
				python |= 1 + names_run(all, lab->runs[r].name);
		}
		/* walk4 12: a lab that judges real CPython shows it in a headline
		 * (server and race left it out) */
		ck_assert_msg(python != 1, "lab %s: no headline has a real CPython run", lab->id);
		if (!has_tasks)
			continue;
		snprintf(all, sizeof all, "%s %s %s", lab->question ? lab->question : "",
		    lab->explain ? lab->explain : "", lab->measured ? lab->measured : "");
		for (int h = 0; h < lab->nheadlines; h++)
			strncat(all, lab->headlines[h], sizeof all - strlen(all) - 1);
		for (char *p = all; *p; p++)
			*p = *p == '\n' ? ' ' : (char)tolower((unsigned char)*p);
		for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
			for (size_t w = 0; w < sizeof nouns / sizeof nouns[0]; w++) {
				char bad[64];

				snprintf(bad, sizeof bad, " %s %s", counts[c], nouns[w]);
				ck_assert_msg(strstr(all, bad) == NULL, "lab %s says '%s': a count "
				    "the settings decide ({tasks|word})", lab->id, bad + 1);
			}
	}
	lab_list_free(labs, n);
}
END_TEST

/* walk4 6: race's cost per increment is CPU time -- wall ns per increment
 * measured the neighbours on a busy machine (unsync 583 ns wall, 89 ns
 * CPU) -- in the headline and in the explanation's sentence on the cost;
 * the wall figure only where the text says what it counts. */
START_TEST(race_cost_is_cpu_per_increment)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), found = 0;

	for (int i = 0; i < n; i++) {
		const struct lab *lab = &labs[i];
		const char *wall;
		bool cpu = false;

		if (strcmp(lab->id, "race") != 0)
			continue;
		found++;
		for (int h = 0; h < lab->nheadlines; h++) {
			for (const char *p = lab->headlines[h]; (p = strstr(p, "ns_per_increment"));
			    p++)
				ck_assert_msg(p - lab->headlines[h] >= 4 && strncmp(p - 4, "cpu_", 4) == 0,
				    "race headline %d quotes wall ns per increment: %s", h,
				    lab->headlines[h]);
			cpu |= strstr(lab->headlines[h], "cpu_ns_per_increment") != NULL;
		}
		ck_assert_msg(cpu, "no race headline gives the CPU time per increment");
		ck_assert_ptr_nonnull(lab->explain);
		ck_assert_ptr_nonnull(strstr(lab->explain, "{mutex.cpu_ns_per_increment} ns of CPU"));
		wall = strstr(lab->explain, "{mutex.ns_per_increment}");
		ck_assert_msg(wall == NULL || strstr(lab->explain, "wall time per increment") != NULL,
		    "the explanation quotes wall ns without saying what they count");
	}
	ck_assert_int_eq(found, 1);
	lab_list_free(labs, n);
}
END_TEST

#define NEEDS_TEXT \
	"[lab]\nid = x\ntitle = t\n" \
	"explain = [needs par] b took {b.wall_s} s with {b.avg_cores_busy} cores busy: " \
	"they ran in parallel.\n  .\n  a took {a.wall_s} s.\n  .\n" \
	"  [needs fast, par] b beat a.\n" \
	"expect = par: when cores >= 2: b.avg_cores_busy >= 1.5 -- b ran in parallel\n" \
	"expect = fast: b.wall_s < 0.75 * a.wall_s -- b was faster\n" \
	"[run a]\nexecutor = serial\ntasks = 3\n" \
	"[run b]\nexecutor = threads\ntasks = 3\n"

/* A paragraph that needs a failed expectation is not printed as it stands:
 * it opens with what this run did not show, its figures and the cause. */
START_TEST(paragraph_needs_its_expectation)
{
	struct fx f;
	char err[512], *text;

	fx_init(&f, 3.0, 1.5, 1.95, 2);
	lab_free(&f.lab);
	ck_assert_msg(lab_parse(NEEDS_TEXT, strlen(NEEDS_TEXT), "x.lab", exec_info, &f.lab, err,
	    sizeof err) == 0, "%s", err);
	ck_assert_str_eq(f.lab.expect_names[0], "par");
	ck_assert_str_eq(f.lab.expects[0], "when cores >= 2: b.avg_cores_busy >= 1.5 -- b ran "
	    "in parallel");
	/* every expectation held: the paragraphs as written, without the mark */
	text = report_explain(&f.info, f.lab.explain);
	ck_assert_str_eq(text, "b took 1.50 s with 1.95 cores busy: they ran in parallel.\n\n"
	    "a took 3.00 s.\n\nb beat a.");
	free(text);
	/* b was not parallel (0.3 cores busy) nor faster */
	f.res[1].avg_cores_busy = 0.3;
	f.res[1].wall_s = 15.2;
	text = report_explain(&f.info, f.lab.explain);
	ck_assert_msg(strncmp(text, "[This run did not show that b ran in parallel "
	    "(b.avg_cores_busy = 0.30). Likely cause: unknown (other load not measured): run "
	    "it again. What follows is what the lesson expects, with this run's figures:] b "
	    "took 15.2 s", 196) == 0,
	    "%s", text);
	ck_assert_msg(strstr(text, "\n\na took 3.00 s.\n\n[This run did not show that b was "
	    "faster (b.wall_s = 15.2 s, a.wall_s = 3.00 s); nor that b ran in parallel") != NULL,
	    "%s", text);
	free(text);
	/* one core: "when cores >= 2" does not apply, and the text says so */
	f.info.ncpus = 1;
	f.res[1].wall_s = 1.5;
	text = report_explain(&f.info, f.lab.explain);
	ck_assert_msg(strstr(text, "[This run did not show that b ran in parallel (does not "
	    "apply on 1 core). What follows") == text, "%s", text);
	ck_assert_ptr_null(strstr(text, "b was faster"));	/* it held */
	free(text);
	fx_free(&f);
}
END_TEST

#define KIND_TEXT \
	"[lab]\nid = x\ntitle = t\n" \
	"explain = [needs one] b used {b.avg_cores_busy} cores: one at a time.\n" \
	"  .\n" \
	"  [needs free] b had no GIL: {b.avg_cores_busy} cores at once.\n" \
	"expect = one: when b.gil_enabled == 1: b.avg_cores_busy <= 1.1 -- b used one core\n" \
	"expect = free: when b.gil_enabled == 0: b.avg_cores_busy >= 1.5 -- b ran at once\n" \
	"[run a]\nexecutor = serial\ntasks = 3\n" \
	"[run b]\nexecutor = python\ntasks = 3\n"

/* An expectation whose `when` names a run's figure (gil_enabled: a
 * free-threaded CPython or not) is about another kind of run when it does
 * not hold: not "did not show", and a paragraph needing only such is left
 * out -- the lesson claims no GIL for a free-threaded interpreter. */
START_TEST(guard_on_a_run_figure_is_another_kind)
{
	struct fx f;
	struct verdict v;
	char err[512], line[1024], *text;

	fx_init(&f, 3.0, 1.5, 1.95, 2);
	lab_free(&f.lab);
	ck_assert_msg(lab_parse(KIND_TEXT, strlen(KIND_TEXT), "x.lab", exec_info, &f.lab, err,
	    sizeof err) == 0, "%s", err);
	result_set(&f.res[1], "gil_enabled", 0, 0);
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.v[0], EXPR_NOT_APPLICABLE);
	ck_assert(v.other_kind[0]);
	ck_assert_str_eq(v.why[0], "does not apply to this run: b.gil_enabled = 0");
	ck_assert_int_eq(v.v[1], EXPR_HELD);
	verdict_summary(&v, &f.lab, line, sizeof line);
	ck_assert_str_eq(line, "This run showed the lesson (1 of 1 expectation held).");
	text = report_explain(&f.info, f.lab.explain);
	ck_assert_str_eq(text, "b had no GIL: 1.95 cores at once.");
	free(text);
	/* with its GIL: the other paragraph, and the first one's failure */
	result_set(&f.res[1], "gil_enabled", 1, 0);
	text = report_explain(&f.info, f.lab.explain);
	ck_assert_msg(strncmp(text, "[This run did not show that b used one core "
	    "(b.avg_cores_busy = 1.95).", 60) == 0, "%s", text);
	ck_assert_ptr_null(strstr(text, "no GIL"));
	free(text);
	fx_free(&f);
}
END_TEST

START_TEST(needs_marks_are_checked)
{
	const char *head = "[lab]\nid = x\ntitle = t\n";
	const char *tail = "[run a]\nexecutor = serial\n";
	char buf[1024];

	snprintf(buf, sizeof buf, "%sexplain = [needs nope] text\nexpect = ok: a.wall_s < 1\n%s",
	    head, tail);
	parse_bad(buf, "m.lab:4: explain: [needs nope]: no expectation is named 'nope'");
	snprintf(buf, sizeof buf, "%sexplain = [needs ok text\nexpect = ok: a.wall_s < 1\n%s",
	    head, tail);
	parse_bad(buf, "m.lab:4: explain: a paragraph's '[needs' must be '[needs NAME, NAME]'");
	snprintf(buf, sizeof buf, "%sexpect = ok: a.wall_s < 1\nexpect = ok: a.wall_s < 2\n%s",
	    head, tail);
	parse_bad(buf, "m.lab:5: expect: the name 'ok' is given twice");
	snprintf(buf, sizeof buf, "%sexpect = ok:\n%s", head, tail);
	parse_bad(buf, "m.lab:4: expect: 'ok:' has no condition after it");
}
END_TEST

/* A skipped run (its interpreter missing) measured nothing: no figures in
 * "Measured", null figures in JSON, and the screen's strip names it. */
START_TEST(skipped_run_shows_no_figures)
{
	struct fx f;
	struct mj *root;
	const struct mj *b;
	char strip[1024], *json, *lesson;
	bool failed;

	fx_init(&f, 3.0, 0.6471, 1.95, 2);
	f.res[1].skipped = true;
	snprintf(f.res[1].skipped_reason, sizeof f.res[1].skipped_reason,
	    "python2.7 did not start");
	json = text_of(&f, true);
	root = mj_parse(json);
	ck_assert_msg(root != NULL, "%s", json);
	b = mj_run(root, "b");
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(mj_get(b, "skipped")->type, MJ_BOOL);
	ck_assert(mj_get(b, "skipped")->num != 0);
	ck_assert_str_eq(mj_get(b, "skipped_reason")->str, "python2.7 did not start");
	ck_assert_int_eq(mj_get(b, "wall_s")->type, MJ_NULL);
	ck_assert_int_eq(mj_get(b, "cpu_s")->type, MJ_NULL);
	ck_assert_int_eq(mj_get(b, "avg_cores_busy")->type, MJ_NULL);
	ck_assert_int_eq(mj_get(mj_run(root, "a"), "wall_s")->type, MJ_NUM);
	mj_free(root);
	free(json);
	lesson = report_lesson(&f.info);
	ck_assert_msg(strstr(lesson, "0.65") == NULL, "%s", lesson);
	/* the skip in a sentence of its own, not inside the figures' */
	ck_assert_msg(strstr(lesson, "Run b was skipped: python2.7 did not start. "
	    "Measured: a 3.00 s on 2 cores") != NULL, "%s", lesson);
	free(lesson);
	/* the lab's measured line needs b: the wall times stand in for it */
	f.lab.measured = xasprintf("a took {a.wall_s} s, b {b.wall_s} s");
	lesson = report_lesson(&f.info);
	ck_assert_msg(strstr(lesson, "skipped: python2.7 did not start. Measured: a 3.00 s on") !=
	    NULL, "%s", lesson);
	free(lesson);
	f.res[1].skipped = false;
	lesson = report_lesson(&f.info);
	ck_assert_msg(strstr(lesson, "Measured: a took 3.00 s, b 647 ms on 2 cores") != NULL,
	    "%s", lesson);
	free(lesson);
	f.res[1].skipped = true;
	report_strip_verdict(&f.info, strip, sizeof strip, &failed);
	ck_assert_msg(strstr(strip, " Skipped: b (l: why).") != NULL, "%s", strip);
	fx_free(&f);
}
END_TEST

START_TEST(headlines_fill_in)
{
	struct fx f;
	char *h;

	fx_init(&f, 3.0, 1.523, 1.9, 2);
	h = verdict_headline(&f.info, 0, "...");
	ck_assert_str_eq(h, "alone 3.00 s, with 1.52 s: 1.97 times");
	free(h);
	h = verdict_headline(&f.info, 1, "...");
	ck_assert_str_eq(h, "rate 11,794 on 2 cores");
	free(h);
	f.res[1].finished = false;	/* still running */
	h = verdict_headline(&f.info, 0, "...");
	ck_assert_str_eq(h, "alone 3.00 s, with ...: ... times");
	free(h);
	ck_assert_ptr_null(verdict_headline(&f.info, 0, NULL));
	fx_free(&f);
}
END_TEST

START_TEST(lesson_shown)
{
	struct fx f;
	struct verdict v;
	char line[1024], *text;

	fx_init(&f, 3.0, 1.5, 1.95, 2);
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.held, 3);
	ck_assert_int_eq(v.failed, 0);
	verdict_summary(&v, &f.lab, line, sizeof line);
	ck_assert_str_eq(line, "This run showed the lesson (3 of 3 expectations held).");
	text = text_of(&f, false);
	/* the report opens with the headlines and the verdict */
	{
		const char *want = "  alone 3.00 s, with 1.50 s: 2.00 times\n"
		    "  rate 11,794 on 2 cores\nThis run showed the lesson";

		ck_assert_msg(strncmp(strchr(text, '\n') + 1, want, strlen(want)) == 0, "%s",
		    text);
	}
	free(text);
	fx_free(&f);
}
END_TEST

START_TEST(one_core_is_named_as_the_cause)
{
	struct fx f;
	struct verdict v;
	struct mj *root;
	char *text, *json;

	fx_init(&f, 3.0, 3.05, 0.99, 1);
	f.info.predict = 2;
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 1);
	ck_assert_int_eq(v.not_applicable, 1);	/* when cores >= 2 */
	ck_assert_int_eq(v.v[0], EXPR_FAILED);
	ck_assert_str_eq(v.why[0], "b.wall_s = 3.05 s, a.wall_s = 3.00 s");
	ck_assert_msg(strstr(v.cause, "one core") != NULL, "%s", v.cause);
	text = flat(text_of(&f, false));
	/* in words up front; the condition itself only in the detail */
	ck_assert_msg(strstr(text, "This run did not show all of the lesson. Not shown: b ran in "
	    "parallel (b.wall_s = 3.05 s, a.wall_s = 3.00 s)") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "b.wall_s < 0.75 * a.wall_s") > strstr(text, "expectations ("),
	    "%s", text);
	ck_assert_msg(strstr(text, "FAILED b.wall_s < 0.75 * a.wall_s (b.wall_s = 3.05") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text, "one core") < strstr(text, "machine:"), "%s", text);
	/* the prediction is judged on the answer, and told the numbers differ */
	ck_assert_msg(strstr(text, "-- right by the lesson ") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "(but this run's numbers did not show all of it") != NULL,
	    "%s", text);
	free(text);
	/* walk6 G7: a side figure off leaves the lesson shown, and the
	 * prediction plainly right, as the dashboard's reveal says */
	f.lab.expect_side[0] = true;
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 1);
	ck_assert_int_eq(v.lesson_failed, 0);
	text = flat(text_of(&f, false));
	ck_assert_msg(strstr(text, "This run showed the lesson") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "-- right ") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "right by the lesson") == NULL, "%s", text);
	ck_assert_msg(strstr(text, "did not show all of it") == NULL, "%s", text);
	free(text);
	f.lab.expect_side[0] = false;
	f.info.predict = 1;
	text = flat(text_of(&f, false));
	ck_assert_msg(strstr(text, "-- not quite; the answer is 2 (b)") != NULL, "%s", text);
	free(text);
	json = text_of(&f, true);
	root = mj_parse(json);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(mj_get(root, "expectations")->n, 3);
	ck_assert_int_eq(mj_get(root, "expectations.0.held")->type, MJ_BOOL);
	ck_assert(mj_get(root, "expectations.0.held")->num == 0);
	ck_assert_str_eq(mj_get(root, "expectations.0.text")->str, "b.wall_s < 0.75 * a.wall_s");
	ck_assert_str_eq(mj_get(root, "expectations.0.meaning")->str, "b ran in parallel");
	ck_assert_int_eq(mj_get(root, "expectations.1.held")->type, MJ_NULL);
	ck_assert(mj_get(root, "expectations.2.held")->num == 1);
	ck_assert_str_eq(mj_get(root, "headline.0")->str, "alone 3.00 s, with 3.05 s: 0.984 times");
	mj_free(root);
	free(json);
	fx_free(&f);
}
END_TEST

START_TEST(settings_and_only)
{
	struct fx f;
	struct verdict v;
	char err[256], why[256], strip[1024], *text;
	bool failed;

	fx_init(&f, 3.0, 3.05, 1.9, 2);
	ck_assert_int_eq(lab_set(&f.lab, "b.tasks=8", err, sizeof err), 0);
	f.info.slow = 4;
	f.info.predict = 1;
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 1);
	ck_assert_str_eq(v.settings, "tasks=8, slow motion x4");
	/* slow motion stretches no interval of these threads (walk 6 G21) */
	ck_assert_msg(strstr(v.cause, "the settings you chose (tasks=8)") != NULL, "%s",
	    v.cause);
	/* a prediction made with these settings is judged (the question
	 * shows them); one made before they changed is not */
	ck_assert(verdict_prediction_judged(&f.info, why, sizeof why));
	f.info.predict_stale = true;
	ck_assert(!verdict_prediction_judged(&f.info, why, sizeof why));
	text = flat(text_of(&f, false));
	ck_assert_msg(strstr(text, "not judged: you predicted for other settings") != NULL,
	    "%s", text);
	ck_assert_ptr_null(strstr(text, "not quite"));
	free(text);
	fx_free(&f);
	/* --only: what needs the other run is not judged, its headlines left out */
	fx_init(&f, 3.0, 1.5, 1.9, 2);
	ck_assert_int_eq(lab_only(&f.lab, "b", err, sizeof err), 0);
	f.res[0].finished = false;
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.v[0], EXPR_UNKNOWN);
	ck_assert_str_eq(v.why[0], "run a did not run (--only)");
	ck_assert_int_eq(v.held, 2);
	text = flat(text_of(&f, false));
	ck_assert_msg(strstr(text, "(1 headline left out: run a did not run (--only))") != NULL,
	    "%s", text);
	ck_assert_msg(strstr(text, "2 of 2 expectations held; 1 not judged") != NULL, "%s", text);
	free(text);
	/* the lab screen's strip says why the prediction is not judged: runs
	 * left out, not "other settings" */
	f.info.predict = 2;
	report_strip_verdict(&f.info, strip, sizeof strip, &failed);
	ck_assert_msg(strstr(strip, "You said 2 -- not judged (--only: some runs not made)") ==
	    strip, "%s", strip);
	fx_free(&f);
}
END_TEST

/* walk.md 5: the likely cause names a setting only when the failed
 * expectation reads a figure it bears on -- not a run's interpreter, which
 * the lab asks for, nor a setting of a run it does not read. */
#define CAUSE_TEXT \
	"[lab]\nid = x\ntitle = t\n" \
	"expect = par: p.avg_cores_busy >= 1.5 -- p ran in parallel\n" \
	"[run a]\nexecutor = threads\ntasks = 3\n" \
	"[run p]\nexecutor = python\ntasks = 3\n"

#define CAUSE2_TEXT \
	"[lab]\nid = x\ntitle = t\n" \
	"expect = sh: b.wall_s < 1.5 * b.tasks * b.duration_ms / 1000 / min(b.tasks, cores)\n" \
	"expect = par: when b.tasks >= 2: b.avg_cores_busy >= 0.1\n" \
	"expect = bare: when tasks >= 5 and cores >= 1: b.avg_cores_busy >= 0.1\n" \
	"[run a]\nexecutor = serial\ntasks = 3\n" \
	"[run b]\nexecutor = threads\ntasks = 3\n"

START_TEST(cause_names_only_settings_that_bear)
{
	struct fx f;
	struct verdict v;
	char err[512];

	fx_init(&f, 3.0, 1.5, 0.3, 2);
	lab_free(&f.lab);
	ck_assert_msg(lab_parse(CAUSE_TEXT, strlen(CAUSE_TEXT), "x.lab", exec_info, &f.lab,
	    err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(lab_set(&f.lab, "p.interpreter=/opt/py2/bin/python2.7", err,
	    sizeof err), 0);
	ck_assert_int_eq(lab_set(&f.lab, "a.tasks=8", err, sizeof err), 0);
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 1);
	ck_assert_msg(strstr(v.settings, "interpreter=") != NULL, "%s", v.settings);
	ck_assert_str_eq(v.cause_settings, "");
	ck_assert_msg(strstr(v.cause, "interpreter") == NULL && strstr(v.cause, "tasks=8") ==
	    NULL, "%s", v.cause);
	ck_assert_msg(strncmp(v.cause, "unknown", 7) == 0, "%s", v.cause);
	/* other load, with its figures */
	for (int i = 0; i < 2; i++) {
		f.res[i].noise_known = true;
		f.res[i].other_load_pct = 41;
	}
	verdict_judge(&f.info, &v);
	ck_assert_msg(strstr(v.cause_short, "other load (other programs 41 % of the lab's "
	    "CPUs, steal 0.0 %)") != NULL, "%s", v.cause_short);
	ck_assert_ptr_null(strstr(v.cause, "unknown"));
	/* a setting of the run it reads does bear on it */
	ck_assert_int_eq(lab_set(&f.lab, "p.tasks=1", err, sizeof err), 0);
	verdict_judge(&f.info, &v);
	ck_assert_str_eq(v.cause_settings, "tasks=1");
	ck_assert_msg(strstr(v.cause, "the settings you chose (tasks=1)") != NULL, "%s",
	    v.cause);
	fx_free(&f);
	/* a condition that reads a setting allows for it: the setting, and
	 * one core when it reads cores, explain nothing */
	fx_init(&f, 3.0, 1.5, 0.3, 1);
	lab_free(&f.lab);
	ck_assert_msg(lab_parse(CAUSE2_TEXT, strlen(CAUSE2_TEXT), "x.lab", exec_info, &f.lab,
	    err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(lab_set(&f.lab, "b.tasks=8", err, sizeof err), 0);
	ck_assert_int_eq(lab_set(&f.lab, "b.work=sleep", err, sizeof err), 0);
	f.res[1].wall_s = 60;
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.failed, 1);
	ck_assert_str_eq(v.cause_settings, "work=sleep");
	ck_assert_msg(strstr(v.cause, "one core") == NULL, "%s", v.cause);
	/* a guard over the settings says so when it does not apply */
	ck_assert_int_eq(lab_set(&f.lab, "b.tasks=1", err, sizeof err), 0);
	verdict_judge(&f.info, &v);
	ck_assert_int_eq(v.v[1], EXPR_NOT_APPLICABLE);
	ck_assert_str_eq(v.why[1], "does not apply to this run: b.tasks = 1");
	ck_assert_str_eq(v.why[2], "does not apply to these settings: tasks >= 5 and cores >= 1");
	{
		/* a run's number parameter is a figure of it: {a.duration_ms} */
		double d = 0;

		ck_assert(verdict_lookup("a", "duration_ms", &d, &f.info));
		ck_assert_double_eq(d, 1000);
		ck_assert(!verdict_lookup("a", "nosuch", &d, &f.info));
		f.res[0].finished = false;	/* a run not made has no figures */
		ck_assert(!verdict_lookup("a", "duration_ms", &d, &f.info));
	}
	fx_free(&f);
}
END_TEST

/* walk.md 3 and 4: text computes what to expect from the settings, names
 * counts as words that follow --set, and quotes an array figure. */
START_TEST(text_follows_the_settings)
{
	static const double order[] = { 10, 5, 20, 9, 4, 19, 8, 3, 18, 7, 2, 17, 6, 1 };
	struct fx f;
	char err[256], *text;

	fx_init(&f, 3.0, 1.5, 1.95, 2);
	result_set_array(&f.res[1], "order", order, 14);
	text = report_explain(&f.info, "{b.tasks|Word} threads took {b.wall_s} s, where "
	    "{b.tasks|word} tasks of {b.duration_ms} ms on {min(b.tasks, cores)|word} cores "
	    "take {b.tasks * b.duration_ms / min(b.tasks, cores)} s; order {b.order}.");
	ck_assert_str_eq(text, "Three threads took 1.50 s, where three tasks of 1,000 ms on "
	    "two cores take 1.50 s; order 10 5 20 9 4 19 8 3 18 7 2 17 \xe2\x80\xa6.");
	free(text);
	ck_assert_int_eq(lab_set(&f.lab, "tasks=4", err, sizeof err), 0);
	f.info.ncpus = 1;
	text = report_explain(&f.info, "{b.tasks|Word} threads, {b.tasks * b.duration_ms / "
	    "min(b.tasks, cores)} s");
	ck_assert_str_eq(text, "Four threads, 4.00 s");
	free(text);
	fx_free(&f);
}
END_TEST

START_TEST(noise_note_only_when_it_matters)
{
	struct fx f;
	struct verdict v;
	char *text;

	fx_init(&f, 3.0, 1.5, 1.95, 2);
	for (int i = 0; i < 2; i++) {
		f.res[i].noise_known = true;
		f.res[i].other_load_pct = 40;
	}
	verdict_judge(&f.info, &v);
	ck_assert(!verdict_noise_matters(&f.info, &v));
	text = text_of(&f, false);
	ck_assert_msg(strstr(text, "warning:") == NULL, "%s", text);
	free(text);
	f.res[1].wall_s = 2.9;	/* now an expectation fails: noise is a likely cause */
	verdict_judge(&f.info, &v);
	ck_assert(verdict_noise_matters(&f.info, &v));
	ck_assert_msg(strstr(v.cause, "other load") != NULL, "%s", v.cause);
	text = text_of(&f, false);
	ck_assert_msg(strstr(text, "warning:") != NULL, "%s", text);
	free(text);
	fx_free(&f);
}
END_TEST

static Suite *
verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");

	tcase_add_test(tc, lab_lines_are_checked);
	tcase_add_test(tc, every_shipped_lab_declares_its_lesson);
	tcase_add_test(tc, shipped_text_follows_the_runs);
	tcase_add_test(tc, race_cost_is_cpu_per_increment);
	tcase_add_test(tc, headlines_fill_in);
	tcase_add_test(tc, skipped_run_shows_no_figures);
	tcase_add_test(tc, paragraph_needs_its_expectation);
	tcase_add_test(tc, needs_marks_are_checked);
	tcase_add_test(tc, guard_on_a_run_figure_is_another_kind);
	tcase_add_test(tc, lesson_shown);
	tcase_add_test(tc, one_core_is_named_as_the_cause);
	tcase_add_test(tc, cause_names_only_settings_that_bear);
	tcase_add_test(tc, text_follows_the_settings);
	tcase_add_test(tc, settings_and_only);
	tcase_add_test(tc, noise_note_only_when_it_matters);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(verdict_suite)
