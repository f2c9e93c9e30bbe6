/* The config file and the progress file: good lines, bad lines warned about
 * and skipped, corrupt files never fatal, saving and loading back; file text
 * quoted in warnings escaped; no state without a usable HOME (never under
 * /tmp, HOME never created, said once); the state directory private. */
#include "testutil.h"

#include "config.h"
#include "util.h"

#include <sys/stat.h>
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
	/* the tries done ride on the record, with or without a prediction */
	progress_add_tries(&q, "gil", 1u << 0 | 1u << 2);
	progress_add_tries(&q, "join", 1u << 1);
	progress_add_tries(&q, "race", 1u);	/* not recorded: nothing */
	ck_assert_int_eq(progress_save(&q, err, sizeof err), 0);
	ck_assert_int_eq(progress_load(&p, warn, sizeof warn), 0);
	ck_assert_str_eq(warn, "");
	ck_assert_int_eq(p.n, 3);
	ck_assert_uint_eq(progress_get(&p, "gil")->tried, 5);
	ck_assert_int_eq(progress_get(&p, "gil")->correct, 0);
	ck_assert_uint_eq(progress_get(&p, "join")->tried, 2);
	ck_assert_uint_eq(progress_get(&p, "sleep-vs-fib")->tried, 0);
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

START_TEST(config_warning_escapes_file_bytes)
{
	/* ESC sequences that clear the screen and set the title, BEL, a lone
	 * 0xff, a C1 CSI (U+009B): echoed raw they act on the terminal. */
	static const char cfg[] = "fps = \x1b[2J\x1b]0;pwned\x07\xff\xc2\x9b\n"
	    "\x01" "colour = caf\xc3\xa9\n";
	struct config c;
	char warn[1024];
	FILE *f = fmemopen((void *)cfg, sizeof cfg - 1, "r");

	ck_assert_int_eq(config_parse(f, "cfg", &c, warn, sizeof warn), 2);
	fclose(f);
	ck_assert_msg(strstr(warn, "'fps = \\x1b[2J\\x1b]0;pwned\\x07\\xff\\xc2\\x9b'") != NULL,
	    "%s", warn);
	/* valid UTF-8 stays readable */
	ck_assert_msg(strstr(warn, "'\\x01colour = caf\xc3\xa9'") != NULL, "%s", warn);
	ck_assert_ptr_null(strchr(warn, 0x1b));
	ck_assert_ptr_null(strchr(warn, 0x07));
	ck_assert_ptr_null(strchr(warn, (char)0xff));
}
END_TEST

START_TEST(escape_bytes)
{
	char out[64];

	ck_assert_str_eq(util_escape("a\tb\x7f", 4, out, sizeof out), "a\\x09b\\x7f");
	/* overlong '/', a surrogate, a cut sequence: escaped byte by byte */
	ck_assert_str_eq(util_escape("\xc0\xaf", 2, out, sizeof out), "\\xc0\\xaf");
	ck_assert_str_eq(util_escape("\xed\xa0\x80", 3, out, sizeof out),
	    "\\xed\\xa0\\x80");
	ck_assert_str_eq(util_escape("\xe2\x82", 2, out, sizeof out), "\\xe2\\x82");
	/* a 4-byte character and the euro sign stay */
	ck_assert_str_eq(util_escape("\xf0\x9f\x98\x80\xe2\x82\xac", 7, out, sizeof out),
	    "\xf0\x9f\x98\x80\xe2\x82\xac");
	/* NUL inside the bytes is escaped too, not an end */
	ck_assert_str_eq(util_escape("a\0b", 3, out, sizeof out), "a\\x00b");
	/* too long: cut with "...", terminated, within the buffer */
	util_escape("\x01\x02\x03\x04\x05\x06", 6, out, 12);
	ck_assert_str_eq(out, "\\x01\\x02...");
	util_escape("abcdefghijklmnop", 16, out, 8);
	ck_assert_str_eq(out, "abcd...");
}
END_TEST

/* Make a directory and its parents with mode; true when the last was made. */
static bool
make_dirs(const char *path, mode_t mode)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s", path);
	for (char *s = buf + 1; *s != '\0'; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(buf, mode);
			*s = '/';
		}
	return mkdir(buf, mode) == 0 && chmod(buf, mode) == 0;
}

/* HOME unset: nothing read from or written under the shared /tmp (where
 * another user could plant or read a file), and it is said once. */
START_TEST(home_unset_no_state_in_tmp)
{
	static const char dir[] = "/tmp/.local/state/conclab";
	static const char planted[] = "/tmp/.local/state/conclab/progress";
	static const char text_planted[] = "planted done 1 right\n";
	struct progress p;
	struct config c;
	char warn[512], err[256], back[64] = "";
	bool made = make_dirs(dir, 0777);
	FILE *f = fopen(planted, "w");

	unsetenv("HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	ck_assert_msg(f != NULL, "cannot plant %s", planted);
	fputs(text_planted, f);
	fclose(f);

	/* said once, on one line, by whoever asks first */
	ck_assert_int_eq(config_load(&c, warn, sizeof warn), 1);
	ck_assert_msg(strstr(warn, "HOME is not set") != NULL, "%s", warn);
	ck_assert_ptr_eq(strchr(warn, '\n'), warn + strlen(warn) - 1);
	ck_assert_int_eq(config_load(&c, warn, sizeof warn), 0);
	ck_assert_str_eq(warn, "");

	/* the planted file is neither read nor overwritten */
	ck_assert_int_eq(progress_load(&p, warn, sizeof warn), 0);
	ck_assert_str_eq(warn, "");
	ck_assert_int_eq(p.n, 0);
	progress_record(&p, "gil", 2, 1);
	ck_assert_int_eq(progress_save(&p, err, sizeof err), 0);
	f = fopen(planted, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(back, sizeof back, f));
	fclose(f);
	unlink(planted);
	if (made) {
		rmdir(dir);
		rmdir("/tmp/.local/state");
		rmdir("/tmp/.local");
	}
	ck_assert_str_eq(back, text_planted);
}
END_TEST

/* HOME names a directory that does not exist: it is not created. */
START_TEST(home_missing_not_created)
{
	char dir[] = "/tmp/conclab-home-XXXXXX", home[64], err[256], warn[512];
	struct progress p;
	struct config c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(home, sizeof home, "%s/gone", dir);
	setenv("HOME", home, 1);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CONFIG_HOME");
	/* progress first this time: it says so, config_load does not repeat it */
	ck_assert_int_eq(progress_load(&p, warn, sizeof warn), 0);
	ck_assert_msg(strstr(warn, "is not an existing directory") != NULL, "%s", warn);
	progress_record(&p, "gil", 2, 1);
	ck_assert_int_eq(progress_save(&p, err, sizeof err), 0);
	ck_assert_int_eq(config_load(&c, warn, sizeof warn), 0);
	ck_assert_str_eq(warn, "");
	ck_assert_msg(access(home, F_OK) != 0, "%s was created", home);
	rmdir(dir);
}
END_TEST

/* The directory holding progress is private: made 0700, and made 0700
 * again when it was left open to others. */
START_TEST(state_dir_private)
{
	char home[] = "/tmp/conclab-home-XXXXXX", dir[128], file[160], err[256];
	struct progress p;
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(home));
	setenv("HOME", home, 1);
	unsetenv("XDG_STATE_HOME");
	snprintf(dir, sizeof dir, "%s/.local/state/conclab", home);
	snprintf(file, sizeof file, "%s/progress", dir);
	memset(&p, 0, sizeof p);
	progress_record(&p, "gil", 2, 1);
	ck_assert_int_eq(progress_save(&p, err, sizeof err), 0);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(progress_save(&p, err, sizeof err), 0);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	unlink(file);
	rmdir(dir);
}
END_TEST

/* A config file that is a FIFO is refused at once (it would block the
 * start forever), and so is one other users can write. */
START_TEST(config_file_refused)
{
	char dir[] = "/tmp/conclab-cfg-XXXXXX", sub[64], path[96], warn[512];
	struct config c;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(sub, sizeof sub, "%s/conclab", dir);
	snprintf(path, sizeof path, "%s/config", sub);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(config_load(&c, warn, sizeof warn), 1);
	ck_assert_msg(strstr(warn, "not a regular file, ignored") != NULL, "%s", warn);
	unlink(path);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("fps = 30\n", f);
	fclose(f);
	ck_assert_int_eq(config_load(&c, warn, sizeof warn), 0);
	ck_assert_int_eq(c.fps, 30);
	ck_assert_int_eq(chmod(path, 0666), 0);
	ck_assert_int_eq(config_load(&c, warn, sizeof warn), 1);
	ck_assert_msg(strstr(warn, "other users can change it") != NULL, "%s", warn);
	ck_assert_int_eq(c.fps, 0);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
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
	tcase_add_test(tc, config_warning_escapes_file_bytes);
	tcase_add_test(tc, escape_bytes);
	tcase_add_test(tc, home_unset_no_state_in_tmp);
	tcase_add_test(tc, home_missing_not_created);
	tcase_add_test(tc, state_dir_private);
	tcase_add_test(tc, config_file_refused);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(config_suite)
