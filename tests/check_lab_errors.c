/* A broken lab file: `conclab check` gets a message for every bad line (a
 * bad executor's section is skipped, not reported line by line), the
 * answer's range names the lab's choices, and the first problem alone is
 * what lab_parse gives. */
#include "testutil.h"

#include "exec.h"
#include "lab.h"

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
	ck_assert_msg(count_lines(err) == 5, "five problems, one line each:\n%s", err);
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

static Suite *
lab_errors_suite(void)
{
	Suite *s = suite_create("lab_errors");
	TCase *tc = tcase_create("lab_errors");

	tcase_add_test(tc, every_bad_line);
	tcase_add_test(tc, whole_lab_checks_after_clean_lines);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lab_errors_suite)
