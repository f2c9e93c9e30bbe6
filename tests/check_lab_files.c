/* Lab files as a teacher copies them (walk 6): a copy whose id is not its
 * file name is refused where it is read (check, list, run), a byte-order
 * mark is skipped, an expression nested past the parser's depth is an
 * error at its line, so is a python run's script that is not there, and the list of broken files names every one of them
 * even when their messages do not fit. */
#include "testutil.h"

#include "exec.h"
#include "lab.h"
#include "util.h"

#include <sys/stat.h>
#include <unistd.h>

static const char lab_text[] =
    "# a copied lab\n"			/* 1 */
    "[lab]\n"				/* 2 */
    "id = %s\n"				/* 3 */
    "title = A copy\n"			/* 4 */
    "expect = e: %sa.wall_s%s > 0\n"	/* 5 */
    "[run a]\n"				/* 6 */
    "executor = serial\n"		/* 7 */
    "tasks = %s\n"			/* 8 */
    "duration_ms = 10\n";

static char dir[64];

static void
make_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/conclab-labfiles-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
remove_dir(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

/* dir/name.lab with id, a prefix (bom) and depth parentheses around the
 * figure of its expectation; tasks as given.  The path (caller frees). */
static char *
write_lab(const char *name, const char *id, const char *bom, int depth, const char *tasks)
{
	char *path = xasprintf("%s/%s.lab", dir, name);
	char *open = xmalloc((size_t)depth + 1), *close = xmalloc((size_t)depth + 1);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	memset(open, '(', (size_t)depth);
	memset(close, ')', (size_t)depth);
	open[depth] = close[depth] = '\0';
	fputs(bom, f);
	fprintf(f, lab_text, id, open, close, tasks);
	fclose(f);
	free(open);
	free(close);
	return path;
}

START_TEST(id_differs_from_file_name)
{
	char err[2048], *path;
	struct lab lab;

	make_dir();
	path = write_lab("join2", "join", "", 0, "2");
	ck_assert_int_eq(lab_load(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "join2.lab:3: id 'join' differs from the file name 'join2' "
	    "(rename one") != NULL, "%s", err);
	/* check names it beside the file's other errors, in line order */
	free(path);
	path = write_lab("join2", "join", "", 0, "abc");
	ck_assert_int_eq(lab_load_check(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "join2.lab:3: id 'join' differs") != NULL &&
	    strstr(err, "join2.lab:8: tasks must be a whole number") > strstr(err, ":3: id"),
	    "%s", err);
	free(path);
	path = write_lab("join", "join", "", 0, "2");
	ck_assert_msg(lab_load(path, exec_info, &lab, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(lab.id, "join");
	lab_free(&lab);
	free(path);
	remove_dir();
}
END_TEST

START_TEST(byte_order_mark_is_skipped)
{
	char err[2048], *path;
	struct lab lab;

	make_dir();
	path = write_lab("bom", "bom", "\xef\xbb\xbf", 0, "2");
	ck_assert_msg(lab_load(path, exec_info, &lab, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(lab.id, "bom");
	lab_free(&lab);
	free(path);
	/* its lines keep their numbers */
	path = write_lab("bom", "bom", "\xef\xbb\xbf", 0, "x");
	ck_assert_int_eq(lab_load_check(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "bom.lab:8: tasks") != NULL, "%s", err);
	free(path);
	remove_dir();
}
END_TEST

/* walk 6 G18: 60,000 parentheses crashed check, list and the menu */
START_TEST(deep_expression_is_an_error)
{
	char err[4096], *path;
	struct lab lab;

	make_dir();
	path = write_lab("deep", "deep", "", 60000, "2");
	ck_assert_int_eq(lab_load_check(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "deep.lab:5: expect: parentheses nested too deeply "
	    "(at most 32)") != NULL, "%s", err);
	ck_assert_msg(strlen(err) < 300, "the message quotes the whole line: %zu bytes",
	    strlen(err));
	free(path);
	path = write_lab("deep", "deep", "", 32, "2");
	ck_assert_msg(lab_load(path, exec_info, &lab, err, sizeof err) == 0, "%s", err);
	lab_free(&lab);
	free(path);
	remove_dir();
}
END_TEST

/* walk 6 G12: the menu's line left out broken files whose messages did not
 * fit its buffer */
START_TEST(every_broken_file_is_named)
{
	char errs[400], name[16], *labs_env = getenv("CONCLAB_LABS");
	struct lab *labs;
	int n, named = 0;

	make_dir();
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "broken%d", i);
		free(write_lab(name, name, "", 0, "many"));
	}
	free(write_lab("fine", "fine", "", 0, "2"));
	if (labs_env != NULL)
		labs_env = xstrdup(labs_env);
	setenv("CONCLAB_LABS", dir, 1);
	n = lab_load_all(exec_info, &labs, errs, sizeof errs);
	if (labs_env != NULL)
		setenv("CONCLAB_LABS", labs_env, 1);
	free(labs_env);
	for (int i = 0; i < n; i++)
		ck_assert_str_ne(labs[i].id, "broken0");
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "broken%d.lab:8", i);
		named += strstr(errs, name) != NULL;
	}
	ck_assert_msg(named == 8, "%d of 8 named: %s", named, errs);
	lab_list_free(labs, n);
	remove_dir();
}
END_TEST

/* walk 6 G20: check passed a python run whose script is not there; run
 * then failed without saying where it looked */
START_TEST(missing_script_is_an_error)
{
	static const char *const bad[][2] = {
		{ "mine.py", "c.lab:6: script 'mine.py': no file py/mine.py beside the lab "
		    "file nor in " },
		{ "../../etc/passwd", "c.lab:6: script '../../etc/passwd' is not a file name" },
		{ ".gil.py", "c.lab:6: script '.gil.py' is not a file name" },
	};
	char err[1024], *text;
	struct lab lab;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		text = xasprintf("[lab]\nid = c\ntitle = c\n[run py]\nexecutor = python\n"
		    "script = %s\n", bad[i][0]);
		ck_assert_int_eq(lab_parse_all(text, strlen(text), "c.lab", exec_info, &lab,
		    err, sizeof err), -1);
		ck_assert_msg(strstr(err, bad[i][1]) != NULL, "%s", err);
		free(text);
	}
	/* the message names where the run would look */
	ck_assert_msg(lab_script_find(NULL, "mine.py", err, sizeof err) == false &&
	    strstr(err, getenv("CONCLAB_LABS")) != NULL, "%s", err);
	ck_assert(lab_script_find(NULL, "gil.py", err, sizeof err));
	text = xasprintf("%s/py/gil.py", getenv("CONCLAB_LABS"));
	ck_assert_str_eq(err, text);
	free(text);
}
END_TEST

/* Walk 7 H4: a copied lab's script was looked for only in the lab
 * directories, never in py/ beside the lab file being checked or run. */
START_TEST(script_beside_the_lab_file)
{
	char d[64], path[128], err[1024], *cmd, *out;
	struct lab lab;
	FILE *f;
	int st;

	tu_tmpdir(d, sizeof d, "beside");
	snprintf(path, sizeof path, "%s/mine.lab", d);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[lab]\nid = mine\ntitle = mine\n[run py]\nexecutor = python\n"
	    "script = mine.py\n", f);
	fclose(f);
	ck_assert_int_eq(lab_load_check(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "mine.lab:6: script 'mine.py': no file py/mine.py beside "
	    "the lab file nor in ") != NULL, "%s", err);
	cmd = xasprintf("; put it in %s/py/", d);
	ck_assert_msg(strstr(err, cmd) != NULL, "%s", err);
	free(cmd);
	/* the script beside it, without conclab_lab.py (found in the labs' py/) */
	snprintf(path, sizeof path, "%s/py", d);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/py/mine.py", d);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("import conclab_lab as lab\nlab.args()\nlab.say('start')\n"
	    "lab.say('metric final 7')\nlab.say('end')\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/mine.lab", d);
	ck_assert_msg(lab_load_check(path, exec_info, &lab, err, sizeof err) == 0, "%s", err);
	lab_free(&lab);
	cmd = xasprintf("run %s --headless --format json --no-progress", path);
	out = tu_run(cmd, &st, 1);
	ck_assert_msg(st == 0 && (strstr(out, "\"final\": 7") != NULL ||
	    strstr(out, "\"skipped\": true") != NULL), "exit %d: %s", st, out);
	free(out);
	free(cmd);
	/* "run mine" where mine.lab is in the current directory */
	ck_assert_int_eq(chdir(d), 0);
	out = tu_run("run mine --headless", &st, 1);
	ck_assert_msg(st == 2 && strstr(out, "no lab 'mine' (labs: ") != NULL &&
	    strstr(out, "mine.lab here is a lab file: name it by its path, ./mine.lab, or "
	    "set CONCLAB_LABS to its directory") != NULL, "exit %d: %s", st, out);
	free(out);
	tu_rmtree(d);
}
END_TEST

static Suite *
lab_files_suite(void)
{
	Suite *s = suite_create("lab_files");
	TCase *tc = tcase_create("lab_files");

	tcase_add_test(tc, id_differs_from_file_name);
	tcase_add_test(tc, byte_order_mark_is_skipped);
	tcase_add_test(tc, deep_expression_is_an_error);
	tcase_add_test(tc, every_broken_file_is_named);
	tcase_add_test(tc, missing_script_is_an_error);
	tcase_add_test(tc, script_beside_the_lab_file);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lab_files_suite)
