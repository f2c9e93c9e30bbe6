/* conclab progress: what each lab taught, done or not, predictions right,
 * the next lab and the tries. */
#include "testutil.h"

#include "exec.h"
#include "progress_cli.h"

START_TEST(path_printed)
{
	char errs[4096], out[65536];
	struct lab *labs;
	struct progress p;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);
	FILE *f = tmpfile();
	size_t len;

	ck_assert_int_ge(n, 3);
	memset(&p, 0, sizeof p);
	progress_record(&p, labs[0].id, labs[0].answer, 1);
	progress_record(&p, labs[2].id, 1, 0);
	progress_print(f, labs, n, &p);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	fclose(f);
	ck_assert_msg(strstr(out, "2 of ") == out, "%s", out);
	ck_assert_msg(strstr(out, "1 of 2 predictions right; next: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "done, predicted right") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "done, predicted wrong") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "<- next") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "taught: ") != NULL && strstr(out, "teaches: ") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, labs[1].title) != NULL, "%s", out);
	if (labs[0].ntries > 0)
		ck_assert_msg(strstr(out, "to try: ") != NULL, "%s", out);
	lab_list_free(labs, n);
}
END_TEST

static Suite *
progress_cli_suite(void)
{
	Suite *s = suite_create("progress_cli");
	TCase *tc = tcase_create("progress_cli");

	tcase_add_test(tc, path_printed);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(progress_cli_suite)
