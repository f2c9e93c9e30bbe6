/* The config file and the progress file: good lines, bad lines warned about
 * and skipped, corrupt files never fatal, saving and loading back. */
#include "testutil.h"

#include "config.h"

#include <unistd.h>

static FILE *
text(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

START_TEST(config_good_and_bad)
{
	struct config c;
	char warn[1024];
	FILE *f = text("# comment\nfps = 30\ncolor = off\n\nascii=yes\nslow = 4\n"
	    "fps = 999\nbogus\nwho = me\n");

	ck_assert_int_eq(config_parse(f, "cfg", &c, warn, sizeof warn), 3);
	fclose(f);
	ck_assert_int_eq(c.fps, 30);
	ck_assert_int_eq(c.color, 0);
	ck_assert_int_eq(c.ascii, 1);
	ck_assert_double_eq(c.slow, 4);
	ck_assert_ptr_nonnull(strstr(warn, "cfg:7: bad setting 'fps = 999'"));
	ck_assert_ptr_nonnull(strstr(warn, "cfg:8: expected key = value"));
	ck_assert_ptr_nonnull(strstr(warn, "cfg:9: bad setting 'who = me'"));
}
END_TEST

START_TEST(config_binary_junk)
{
	static const char junk[] = "\x01\x02\xff=\xfe\n\x7f\x7f\x7f\nfps=\n=\n";
	struct config c;
	char warn[256];
	FILE *f = fmemopen((void *)junk, sizeof junk - 1, "r");

	ck_assert_int_eq(config_parse(f, "j", &c, warn, sizeof warn), 4);
	fclose(f);
	ck_assert_int_eq(c.fps, 0);
}
END_TEST

START_TEST(progress_round_trip)
{
	char dir[] = "/tmp/conclab-state-XXXXXX", err[256], warn[256];
	struct progress p, q;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	ck_assert_int_eq(progress_load(&p, warn, sizeof warn), 0);
	ck_assert_int_eq(p.n, 0);
	progress_record(&p, "sleep-vs-fib", 2, 1);
	progress_record(&p, "gil", 1, 0);
	progress_record(&p, "join", 0, -1);
	progress_record(&p, "../bad", 0, -1);
	ck_assert_int_eq(p.n, 3);
	ck_assert_int_eq(progress_save(&p, err, sizeof err), 0);
	ck_assert_int_eq(progress_load(&q, warn, sizeof warn), 0);
	ck_assert_int_eq(q.n, 3);
	ck_assert_int_eq(progress_get(&q, "sleep-vs-fib")->correct, 1);
	ck_assert_int_eq(progress_get(&q, "gil")->predicted, 1);
	ck_assert_int_eq(progress_get(&q, "gil")->correct, 0);
	ck_assert(progress_get(&q, "join")->done);
	ck_assert_ptr_null(progress_get(&q, "race"));
}
END_TEST

START_TEST(progress_corrupt)
{
	struct progress p;
	char warn[1024];
	FILE *f = text("sleep-vs-fib done 2 right\ngarbage line here\nx\n"
	    "gil done 1 maybe\nrace done\n\x01\x02\n");

	ck_assert_int_eq(progress_parse(f, "prog", &p, warn, sizeof warn), 4);
	fclose(f);
	ck_assert_int_eq(p.n, 2);
	ck_assert_ptr_nonnull(strstr(warn, "prog:2: not a progress record"));
	ck_assert(progress_get(&p, "race")->done);
}
END_TEST

START_TEST(progress_unwritable)
{
	struct progress p;
	char err[256];

	memset(&p, 0, sizeof p);
	setenv("XDG_STATE_HOME", "/proc/conclab-nope", 1);
	ck_assert_int_eq(progress_save(&p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "conclab"));
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, config_good_and_bad);
	tcase_add_test(tc, config_binary_junk);
	tcase_add_test(tc, progress_round_trip);
	tcase_add_test(tc, progress_corrupt);
	tcase_add_test(tc, progress_unwritable);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(config_suite)
