/* Lab file parser: a good file, each kind of error, --set and --only. */
#include "testutil.h"

#include "exec.h"
#include "lab.h"

static void
load_ok(const char *name, struct lab *lab)
{
	char err[512] = "";
	int rc = lab_load(tu_fixture(name), exec_info, lab, err, sizeof err);

	ck_assert_msg(rc == 0, "%s: %s", name, err);
}

static void
load_bad(const char *name, const char *want_line, const char *want_text)
{
	char err[512] = "";
	struct lab lab;
	int rc = lab_load(tu_fixture(name), exec_info, &lab, err, sizeof err);

	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(err, want_line) != NULL, "%s: '%s' lacks '%s'", name, err,
	    want_line);
	ck_assert_msg(strstr(err, want_text) != NULL, "%s: '%s' lacks '%s'", name, err,
	    want_text);
}

START_TEST(good_file)
{
	struct lab lab;

	load_ok("labs/good.lab", &lab);
	ck_assert_str_eq(lab.id, "good");
	ck_assert_int_eq(lab.order, 3);
	ck_assert_str_eq(lab.title, "A good lab");
	ck_assert_int_eq(lab.nchoices, 2);
	ck_assert_int_eq(lab.answer, 2);
	ck_assert_int_eq(lab.ntries, 1);
	ck_assert_str_eq(lab.explain,
	    "Serial took {a.wall_s} s and threads {b.wall_s} s.\n\nOn {cores} cores.");
	ck_assert_int_eq(lab.nruns, 2);
	ck_assert_str_eq(lab.runs[0].exec->name, "serial");
	ck_assert_int_eq(lab_param(&lab.runs[0], "tasks", -1), 2);
	ck_assert_int_eq(lab_param(&lab.runs[0], "duration_ms", -1), 50);
	ck_assert_int_eq(lab_param(&lab.runs[1], "tasks", -1), 4);
	ck_assert_int_eq(lab_param(&lab.runs[1], "work", -1), 1);
	/* defaults from the executor's table */
	ck_assert_int_eq(lab_param(&lab.runs[0], "work", -1), 0);
	ck_assert_int_eq(lab_param(&lab.runs[0], "nosuch", -7), -7);
	lab_free(&lab);
}
END_TEST

START_TEST(errors_name_file_and_line)
{
	load_bad("labs/bad_executor.lab", "bad_executor.lab:5:", "unknown executor 'nosuch'");
	load_bad("labs/bad_missing.lab", "bad_missing.lab:", "missing 'id'");
	load_bad("labs/bad_number.lab", "bad_number.lab:6:", "whole number");
	load_bad("labs/bad_key.lab", "bad_key.lab:7:", "unknown key 'colour'");
	load_bad("labs/bad_range.lab", "bad_range.lab:6:", "outside the allowed 1..256");
	load_bad("labs/bad_noexec.lab", "bad_noexec.lab:5:", "executor must come first");
	load_bad("labs/bad_placeholder.lab", "bad_placeholder.lab:4:", "run 'nosuch'");
	load_bad("labs/bad_section.lab", "bad_section.lab:4:", "unknown section");
}
END_TEST

START_TEST(missing_file)
{
	char err[512];
	struct lab lab;

	ck_assert_int_eq(lab_load("/nonexistent/x.lab", exec_info, &lab, err, sizeof err),
	    -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.lab"));
}
END_TEST

START_TEST(parse_buffer_edge_cases)
{
	char err[512];
	struct lab lab;
	const char nul[] = "[lab]\nid = x\0\n";
	const char *cont = "  leading continuation\n";
	const char *dup = "[lab]\nid = x\ntitle = t\n[run a]\nexecutor = serial\n[run a]\n"
	    "executor = serial\n";
	const char *noruns = "[lab]\nid = x\ntitle = t\n";
	const char *crlf = "[lab]\r\nid = x\r\ntitle = t\r\n[run a]\r\nexecutor = serial\r\n";

	ck_assert_int_eq(lab_parse(nul, sizeof nul - 1, "m", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	ck_assert_int_eq(lab_parse(cont, strlen(cont), "m", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "m:1:"));
	ck_assert_int_eq(lab_parse(dup, strlen(dup), "m", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "m:6: run 'a' is defined twice"));
	ck_assert_int_eq(lab_parse(noruns, strlen(noruns), "m", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no [run"));
	ck_assert_int_eq(lab_parse(crlf, strlen(crlf), "m", exec_info, &lab, err,
	    sizeof err), 0);
	lab_free(&lab);
}
END_TEST

START_TEST(measured_line)
{
	char err[512];
	struct lab lab;
	const char *good = "[lab]\nid = x\ntitle = t\nmeasured = lost {a.lost_updates}\n"
	    "  of {a.expected}\n[run a]\nexecutor = race\n";
	const char *bad = "[lab]\nid = x\ntitle = t\nmeasured = {zz.wall_s}\n"
	    "[run a]\nexecutor = serial\n";

	ck_assert_int_eq(lab_parse(good, strlen(good), "m", exec_info, &lab, err,
	    sizeof err), 0);
	ck_assert_str_eq(lab.measured, "lost {a.lost_updates} of {a.expected}");
	lab_free(&lab);
	ck_assert_int_eq(lab_parse(bad, strlen(bad), "m", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_msg(strstr(err, "m:4: measured refers to run 'zz'") != NULL, "%s", err);
	/* a figure the run's executor does not report: named, with the key's line */
	{
		const char *typo = "[lab]\nid = x\ntitle = t\nquestion = q\nchoice = a\n"
		    "answer = 1\nexplain = took {a.wall_s} s,\n  lost {a.lost_updatse}\n"
		    "[run a]\nexecutor = race\n";
		const char *range = "[lab]\nid = x\ntitle = t\nquestion = q\nchoice = a\n"
		    "choice = b\nanswer = 3\n[run a]\nexecutor = serial\n";

		ck_assert_int_eq(lab_parse(typo, strlen(typo), "m", exec_info, &lab, err,
		    sizeof err), -1);
		ck_assert_msg(strstr(err, "m:7: explain: run 'a' (executor race) has no "
		    "figure 'lost_updatse'") != NULL, "%s", err);
		ck_assert_int_eq(lab_parse(range, strlen(range), "m", exec_info, &lab, err,
		    sizeof err), -1);
		ck_assert_msg(strstr(err, "m:7: answer must name one of the 2 choices (1..2)")
		    != NULL, "%s", err);
	}
}
END_TEST

START_TEST(set_and_only)
{
	char err[512];
	struct lab lab;

	load_ok("labs/good.lab", &lab);
	ck_assert_int_eq(lab_set(&lab, "tasks=8", err, sizeof err), 0);
	ck_assert_int_eq(lab_param(&lab.runs[0], "tasks", -1), 8);
	ck_assert_int_eq(lab_param(&lab.runs[1], "tasks", -1), 8);
	ck_assert_int_eq(lab_set(&lab, "b.tasks=5", err, sizeof err), 0);
	ck_assert_int_eq(lab_param(&lab.runs[0], "tasks", -1), 8);
	ck_assert_int_eq(lab_param(&lab.runs[1], "tasks", -1), 5);
	ck_assert_int_eq(lab_set(&lab, "work=sleep", err, sizeof err), 0);
	ck_assert_int_eq(lab_param(&lab.runs[0], "work", -1), 1);
	ck_assert_int_eq(lab_set(&lab, "nosuchkey=1", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no run of lab good has a parameter 'nosuchkey'"));
	ck_assert_int_eq(lab_set(&lab, "tasks=abc", err, sizeof err), -1);
	ck_assert_int_eq(lab_set(&lab, "tasks=100000", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "1..256"));
	ck_assert_int_eq(lab_set(&lab, "tasks", err, sizeof err), -1);
	ck_assert_int_eq(lab_set(&lab, "zz.tasks=1", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "runs: a, b"));
	ck_assert_int_eq(lab_set(&lab, "work=dance", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "fib|sleep"));
	ck_assert_int_eq(lab_only(&lab, "b", err, sizeof err), 0);
	ck_assert(!lab.runs[0].selected);
	ck_assert(lab.runs[1].selected);
	ck_assert_int_eq(lab_only(&lab, "c", err, sizeof err), -1);
	lab_free(&lab);
}
END_TEST

START_TEST(shipped_labs_parse)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);

	ck_assert_msg(errs[0] == '\0', "lab files with errors:\n%s", errs);
	ck_assert_int_ge(n, 1);
	for (int i = 1; i < n; i++)
		ck_assert_int_le(labs[i - 1].order, labs[i].order);
	lab_list_free(labs, n);
	ck_assert_ptr_null(lab_find("../etc/passwd"));
	ck_assert_ptr_null(lab_find("no-such-lab"));
}
END_TEST

static Suite *
lab_suite(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, good_file);
	tcase_add_test(tc, errors_name_file_and_line);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, parse_buffer_edge_cases);
	tcase_add_test(tc, measured_line);
	tcase_add_test(tc, set_and_only);
	tcase_add_test(tc, shipped_labs_parse);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lab_suite)
