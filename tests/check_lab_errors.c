/* A broken lab file: `conclab check` gets a message for every bad line (a
 * bad executor's section is skipped, not reported line by line), the
 * answer's range names the lab's choices, and the first problem alone is
 * what lab_parse gives. */
#include "testutil.h"

#include "exec.h"
#include "lab.h"
#include "util.h"

static const char broken[] =
    "[lab]\n"				/* 1 */
    "id = broken\n"			/* 2 */
    "title = Broken\n"			/* 3 */
    "question = Which?\n"		/* 4 */
    "choice = one\n"			/* 5 */
    "choice = two\n"			/* 6 */
    "answer = 7\n"			/* 7: past the two choices */
    "this line is garbage\n"		/* 8 */
    "[run a]\n"				/* 9 */
    "executor = threadz\n"		/* 10: unknown */
    "tasks = abc\n"			/* 11: skipped with its section */
    "[run b]\n"				/* 12 */
    "executor = threads\n"		/* 13 */
    "tasks = abc\n"			/* 14 */
    "work = nope\n"			/* 15 */
    "  a continuation of the bad line\n";	/* 16: skipped */

static int
count_lines(const char *s)
{
	int n = *s != '\0';

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

START_TEST(every_bad_line)
{
	char err[4096];
	struct lab lab;

	ck_assert_int_eq(lab_parse_all(broken, sizeof broken - 1, "b.lab", exec_info, &lab,
	    err, sizeof err), -1);
	ck_assert_msg(strstr(err, "b.lab:7: answer must be the number of a choice (1..2), "
	    "not '7'") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "b.lab:8: expected 'key = value'") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "b.lab:10: unknown executor 'threadz'") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "b.lab:14: tasks must be a whole number") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "b.lab:15: work must be one of") != NULL, "%s", err);
	ck_assert_msg(count_lines(err) == 6, "five problems, one line each, and why the "
	    "checks of the whole lab wait:\n%s", err);
	/* walk 5 F5: the answer was reported on its line; it waits for nothing */
	ck_assert_msg(strstr(err, "b.lab: (the checks of the whole lab, expect and headline "
	    "lines, follow") != NULL, "%s", err);
	/* lab_parse stops at the first */
	ck_assert_int_eq(lab_parse(broken, sizeof broken - 1, "b.lab", exec_info, &lab,
	    err, sizeof err), -1);
	ck_assert_int_eq(count_lines(err), 1);
	ck_assert_ptr_nonnull(strstr(err, "b.lab:7: "));
}
END_TEST

/* Clean lines: the checks of the whole lab run as before. */
START_TEST(whole_lab_checks_after_clean_lines)
{
	static const char text[] = "[lab]\nid = x\ntitle = X\nquestion = Q?\n"
	    "choice = a\nchoice = b\nanswer = 3\n[run r]\nexecutor = threads\n";
	char err[1024];
	struct lab lab;

	ck_assert_int_eq(lab_parse_all(text, sizeof text - 1, "x.lab", exec_info, &lab,
	    err, sizeof err), -1);
	ck_assert_msg(strstr(err, "x.lab:7: answer must name one of the 2 choices") != NULL,
	    "%s", err);
}
END_TEST

/* walk3.md 13: a copy of a lab with a parameter out of range, an answer
 * past the choices, an expect line naming no figure, and a filter typo on
 * the ninth line of a long explain: `conclab check` lists all four at once,
 * the filter at its own line, named. */
static const char four[] =
    "[lab]\n"				/* 1 */
    "id = four\n"			/* 2 */
    "title = Four\n"			/* 3 */
    "question = Which?\n"		/* 4 */
    "choice = one\n"			/* 5 */
    "choice = two\n"			/* 6 */
    "answer = 5\n"			/* 7: not a choice (checked with the lab) */
    "expect = r.reportd_s > 0\n"	/* 8: no such figure */
    "explain = {r.tasks|Word} threads\n"	/* 9 */
    "  ran.\n"				/* 10 */
    "  .\n"				/* 11 */
    "  And {r.tasks|Wrd} of them\n"	/* 12: the typo */
    "  finished.\n"			/* 13 */
    "[run r]\n"				/* 14 */
    "executor = threads\n"		/* 15 */
    "tasks = 3\n"			/* 16 */
    "duration_ms = 1000000\n";		/* 17: out of range */

/* walk6 G1, G2: a question's and a choice's placeholders are the runs'
 * parameters, checked at their lines (a continuation line's at its own,
 * the first bad one of a value, as for explain); the same message at two
 * lines is given at both. */
static const char typos[] =
    "[lab]\n"					/* 1 */
    "id = typos\n"				/* 2 */
    "title = Typos\n"				/* 3 */
    "question = {tasks|Word} threads start\n"	/* 4 */
    "  and print {tasks|wrd} times\n"		/* 5: a filter typo */
    "choice = About {duration_ms} ms\n"		/* 6: good */
    "choice = About {duration_ms|word} ms\n"	/* 7: good */
    "choice = {tasks * duration_ms} ms, {cores} cores\n"	/* 8: cores is no parameter */
    "answer = 1\n"				/* 9 */
    "[run r]\n"					/* 10 */
    "executor = threads\n"			/* 11 */
    "tasks = 3O\n"				/* 12: not a number */
    "[run s]\n"					/* 13 */
    "executor = threads\n"			/* 14 */
    "tasks = 3O\n";				/* 15: the same again */

START_TEST(question_placeholders_and_repeats)
{
	char err[4096];
	struct lab lab;

	ck_assert_int_eq(lab_parse_all(typos, sizeof typos - 1, "t.lab", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_msg(strstr(err, "t.lab:5: question: {tasks|wrd} is not a parameter") != NULL,
	    "%s", err);
	ck_assert_msg(strstr(err, "t.lab:8: choice: {cores} is not a parameter") != NULL,
	    "%s", err);
	ck_assert_msg(strstr(err, "t.lab:12: tasks must be") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "t.lab:15: tasks must be") != NULL, "%s", err);
	ck_assert_msg(count_lines(err) == 4, "four problems, each once:\n%s", err);
	ck_assert_ptr_null(strstr(err, "t.lab:4: "));
	ck_assert_ptr_null(strstr(err, "t.lab:6: "));
	ck_assert_ptr_null(strstr(err, "t.lab:7: "));
}
END_TEST

START_TEST(every_error_at_once)
{
	char err[4096];
	struct lab lab;

	ck_assert_int_eq(lab_parse_all(four, sizeof four - 1, "f.lab", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_msg(strstr(err, "f.lab:12: explain: unknown filter '|Wrd' in "
	    "'{r.tasks|Wrd}'") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "f.lab:17: duration_ms=1000000 is outside the allowed") !=
	    NULL, "%s", err);
	ck_assert_msg(strstr(err, "f.lab:7: answer must name one of the 2 choices") != NULL,
	    "%s", err);
	ck_assert_msg(strstr(err, "f.lab:8: expect: ") != NULL && strstr(err, "reportd_s") !=
	    NULL, "%s", err);
	ck_assert_msg(count_lines(err) == 4, "four problems, each once:\n%s", err);
	/* in the order of the file (walk4 #15: 71, 77, 78, 58) */
	ck_assert_msg(strstr(err, "f.lab:7: ") < strstr(err, "f.lab:8: ") &&
	    strstr(err, "f.lab:8: ") < strstr(err, "f.lab:12: ") &&
	    strstr(err, "f.lab:12: ") < strstr(err, "f.lab:17: "), "not in line order:\n%s", err);
	ck_assert_ptr_null(strstr(err, "f.lab:9: "));	/* not again at the key's line */
	/* lab_parse stops at the first: the filter, on its line */
	ck_assert_int_eq(lab_parse(four, sizeof four - 1, "f.lab", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_int_eq(count_lines(err), 1);
	ck_assert_ptr_nonnull(strstr(err, "f.lab:12: explain: unknown filter"));
}
END_TEST

/* walk4 #15: a bad reference on a continuation line is reported at the
 * line it is on, not at the key's first line; one on the key's line there.
 * walk 5 F5: the same for headline and expect. */
static const char cont[] =
    "[lab]\n"				/* 1 */
    "id = cont\n"			/* 2 */
    "title = Cont\n"			/* 3 */
    "question = Which?\n"		/* 4 */
    "choice = one\n"			/* 5 */
    "choice = two\n"			/* 6 */
    "answer = 1\n"			/* 7 */
    "measured = {r.tasks} threads ran\n"	/* 8 */
    "  for {r.wall_s} s and lost\n"	/* 9 */
    "  {r.lost_updatez} updates.\n"	/* 10: the typo */
    "explain = {r.walls} s\n"		/* 11: the typo */
    "  in all.\n"			/* 12 */
    "headline = {r.wall_s} s and\n"	/* 13 */
    "  {r.wall_sx} s\n"			/* 14: the typo */
    "expect = slow: r.wall_s >\n"	/* 15 */
    "  0.5 * r.cpu_sx -- slow\n"		/* 16: the typo */
    "[run r]\n"				/* 17 */
    "executor = threads\n";		/* 18 */

START_TEST(bad_reference_at_its_line)
{
	char err[4096];
	struct lab lab;

	ck_assert_int_eq(lab_parse_all(cont, sizeof cont - 1, "c.lab", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_msg(strstr(err, "c.lab:10: measured: ") != NULL &&
	    strstr(err, "lost_updatez") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "c.lab:11: explain: ") != NULL, "%s", err);
	/* walk 5 F5: a headline's and an expectation's too (they were at 13
	 * and 15) */
	ck_assert_msg(strstr(err, "c.lab:14: headline: ") != NULL && strstr(err, "wall_sx") !=
	    NULL, "%s", err);
	ck_assert_msg(strstr(err, "c.lab:16: expect: ") != NULL && strstr(err, "cpu_sx") !=
	    NULL, "%s", err);
	ck_assert_msg(count_lines(err) == 4, "%s", err);
}
END_TEST

/* walk 6 G3: a figure's typo names the run's figures and the nearest one;
 * an expect pasted after the last [run] says it belongs in [lab] */
START_TEST(figure_typo_and_misplaced_key)
{
	static const char text[] =
	    "[lab]\n"				/* 1 */
	    "id = t\n"				/* 2 */
	    "title = t\n"			/* 3 */
	    "expect = a: j.reported > 0\n"	/* 4: reported_s */
	    "expect = b: j.zzzz > 0\n"		/* 5: nothing near */
	    "[run j]\n"				/* 6 */
	    "executor = join\n"			/* 7 */
	    "expect = c: j.actual_s > 0\n";	/* 8: a [lab] key */
	char err[4096];
	struct lab lab;

	ck_assert_int_eq(lab_parse_all(text, sizeof text - 1, "t.lab", exec_info, &lab, err,
	    sizeof err), -1);
	ck_assert_msg(strstr(err, "t.lab:4: expect: run 'j' (executor join) has no figure "
	    "'reported' (did you mean reported_s? its metrics: reported_s, actual_s; or "
	    "wall_s, cpu_s, avg_cores_busy, tasks or a number parameter)") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "t.lab:5: expect: run 'j' (executor join) has no figure "
	    "'zzzz' (its metrics: reported_s, actual_s; or wall_s") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "t.lab:8: 'expect' belongs in [lab], above line 6 (the "
	    "first [run ...])") != NULL, "%s", err);
}
END_TEST

/* Walk 7 H10: messages that did not say what to do.  A whole number too
 * big for 64 bits was "not a whole number"; an unknown executor listed no
 * executors; a lesson typo suggested a new expectation; a refused answer
 * held back the whole lab's checks a round; each missing [lab] key came on
 * its own try. */
START_TEST(messages_say_what_to_do)
{
	static const char huge[] =
	    "[lab]\nid = h\ntitle = H\n[run a]\nexecutor = threads\n"
	    "duration_ms = 99999999999999999999\n";
	static const char typo[] =
	    "[lab]\nid = t\ntitle = T\n"
	    "expect = fixed-real: a.wall_s > 0 -- it ran\n"	/* 4 */
	    "expect = broken-nothing: a.cpu_s >= 0 -- it ran\n"	/* 5 */
	    "lesson = broken-nothing, fixd-real\n"		/* 6 */
	    "[run a]\nexecutor = joins\n";			/* 7, 8 */
	static const char answer[] =
	    "[lab]\nid = a\ntitle = A\nquestion = Which?\nchoice = one\nchoice = two\n"
	    "answer = 7\n"					/* 7 */
	    "expect = a.wall_sx > 0\n"				/* 8 */
	    "[run a]\nexecutor = threads\n";
	static const char bare[] = "[lab]\nid = h\n";
	char err[4096];
	struct lab lab;

	ck_assert_int_eq(lab_parse_all(huge, sizeof huge - 1, "h.lab", exec_info, &lab,
	    err, sizeof err), -1);
	ck_assert_msg(strstr(err, "h.lab:6: duration_ms=99999999999999999999 is outside the "
	    "allowed 1..600000") != NULL, "%s", err);
	lab_exec_names_from(exec_names);
	ck_assert_int_eq(lab_parse_all(typo, sizeof typo - 1, "t.lab", exec_info, &lab,
	    err, sizeof err), -1);
	ck_assert_msg(strstr(err, "t.lab:8: unknown executor 'joins' (did you mean join? "
	    "executors: serial, threads, ") != NULL, "%s", err);
	{
		char *fixed = xstrdup(typo);

		memcpy(strstr(fixed, "joins"), "join\n", 5);
		ck_assert_int_eq(lab_parse_all(fixed, strlen(fixed), "t.lab", exec_info, &lab,
		    err, sizeof err), -1);
		ck_assert_msg(strstr(err, "t.lab:6: lesson: no expectation is named 'fixd-real' "
		    "(did you mean fixed-real? the named expectations: fixed-real, "
		    "broken-nothing)") != NULL, "%s", err);
		free(fixed);
	}
	ck_assert_int_eq(lab_parse_all(answer, sizeof answer - 1, "a.lab", exec_info, &lab,
	    err, sizeof err), -1);
	ck_assert_msg(strstr(err, "a.lab:7: answer must be the number of a choice (1..2), "
	    "not '7'") != NULL && strstr(err, "a.lab:8: expect: ") != NULL &&
	    strstr(err, "follow once") == NULL && count_lines(err) == 2, "%s", err);
	ck_assert_int_eq(lab_parse_all(bare, sizeof bare - 1, "m.lab", exec_info, &lab,
	    err, sizeof err), -1);
	ck_assert_msg(strstr(err, "m.lab:1: missing 'title' in [lab]") != NULL &&
	    strstr(err, "m.lab:1: the lab has no [run NAME] section") != NULL, "%s", err);
}
END_TEST

static Suite *
lab_errors_suite(void)
{
	Suite *s = suite_create("lab_errors");
	TCase *tc = tcase_create("lab_errors");

	tcase_add_test(tc, every_bad_line);
	tcase_add_test(tc, whole_lab_checks_after_clean_lines);
	tcase_add_test(tc, every_error_at_once);
	tcase_add_test(tc, question_placeholders_and_repeats);
	tcase_add_test(tc, bad_reference_at_its_line);
	tcase_add_test(tc, figure_typo_and_misplaced_key);
	tcase_add_test(tc, messages_say_what_to_do);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lab_errors_suite)
