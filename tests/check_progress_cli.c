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

/* Only the tries not yet done are listed; a try is done when the runs
 * changed what it names (--set KEY, --cpus, --slow). */
START_TEST(tries_done_left_out)
{
	char errs[4096], out[65536], err[256];
	struct lab *labs;
	struct progress p;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), sf = -1;
	FILE *f = tmpfile();
	size_t len;
	unsigned tried = 0;

	for (int i = 0; i < n; i++)
		if (strcmp(labs[i].id, "sleep-vs-fib") == 0)
			sf = i;
	ck_assert_int_ge(sf, 0);
	ck_assert_int_eq(labs[sf].ntries, 3);	/* tasks=8, --cpus 0, duration_ms=500 */
	ck_assert_int_eq(lab_set(&labs[sf], "tasks=8", err, sizeof err), 0);
	for (int t = 0; t < labs[sf].ntries; t++)
		if (lab_try_done(&labs[sf], t, false, false))
			tried |= 1u << t;
	ck_assert_uint_eq(tried, 1);
	ck_assert(lab_try_done(&labs[sf], 1, true, false));	/* --cpus */
	ck_assert(!lab_try_done(&labs[sf], 2, true, true));
	memset(&p, 0, sizeof p);
	progress_record(&p, "sleep-vs-fib", 2, 1);
	progress_add_tries(&p, "sleep-vs-fib", tried | 1u << 1);
	progress_print(f, labs, n, &p);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	fclose(f);
	ck_assert_msg(strstr(out, "tasks to 8") == NULL, "%s", out);
	ck_assert_msg(strstr(out, "Pin the lab to one core") == NULL ||
	    strstr(out, "Pin the lab to one core") > strstr(out, "\ngil "), "%s", out);
	ck_assert_msg(strstr(out, "Halve the work") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "tries done: 2 of 3") != NULL, "%s", out);
	lab_list_free(labs, n);
}
END_TEST

static Suite *
progress_cli_suite(void)
{
	Suite *s = suite_create("progress_cli");
	TCase *tc = tcase_create("progress_cli");

	tcase_add_test(tc, path_printed);
	tcase_add_test(tc, tries_done_left_out);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(progress_cli_suite)
