/* Lab file parser: a good file, each kind of error, --set and --only. */
#include "testutil.h"

#include "exec.h"
#include "lab.h"
#include "report.h"

#include <sys/stat.h>
#include <unistd.h>

/* tu_run (stderr merged) bounded to 3 s: a hang becomes status 124. */
static char *
tu_run_timed(const char *args, int *status)
{
	const char *env = getenv("CONCLAB_BIN");
	char bin[1024], cmd[1100];
	char *out;

	snprintf(bin, sizeof bin, "%s", env != NULL ? env : "./conclab");
	snprintf(cmd, sizeof cmd, "timeout 3 %s", bin);
	setenv("CONCLAB_BIN", cmd, 1);
	out = tu_run(args, status, 1);
	setenv("CONCLAB_BIN", bin, 1);
	return out;
}

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
	ck_assert_int_eq(lab_value(&lab.runs[0], "tasks"), 2);
	ck_assert_int_eq(lab_value(&lab.runs[0], "duration_ms"), 50);
	ck_assert_int_eq(lab_value(&lab.runs[1], "tasks"), 4);
	ck_assert_int_eq(lab_value(&lab.runs[1], "work"), 1);
	/* defaults from the executor's table */
	ck_assert_int_eq(lab_value(&lab.runs[0], "work"), 0);
	{
		int64_t v = -7;

		ck_assert(!lab_value_find(&lab.runs[0], "nosuch", &v));
		ck_assert_int_eq(v, -7);
		ck_assert(lab_value_find(&lab.runs[0], "tasks", &v));
		ck_assert_int_eq(v, 2);
	}
	lab_free(&lab);
}
END_TEST

/* walk.md 4: a count in the text follows the settings, as a word where a
 * word reads better ("the three fib tasks" stayed three with tasks=4). */
START_TEST(counts_as_words)
{
	struct lab lab;
	char buf[32], err[256], *q;
	int cap;

	ck_assert(lab_number_word(3, false, buf, sizeof buf));
	ck_assert_str_eq(buf, "three");
	ck_assert(lab_number_word(4, true, buf, sizeof buf));
	ck_assert_str_eq(buf, "Four");
	ck_assert(lab_number_word(0, false, buf, sizeof buf));
	ck_assert_str_eq(buf, "zero");
	ck_assert(!lab_number_word(21, false, buf, sizeof buf));	/* digits then */
	ck_assert(!lab_number_word(2.5, false, buf, sizeof buf));
	ck_assert(!lab_number_word(-1, false, buf, sizeof buf));
	ck_assert_uint_eq(lab_word_filter("a.tasks|word", 12, &cap), 7);
	ck_assert_int_eq(cap, 0);
	ck_assert_uint_eq(lab_word_filter("min(a.tasks, cores) |Word ", 26, &cap), 19);
	ck_assert_int_eq(cap, 1);
	ck_assert_uint_eq(lab_word_filter("a.tasks", 7, &cap), 7);
	ck_assert_int_eq(cap, -1);
	ck_assert_uint_eq(lab_word_filter("a.tasks|words", 13, &cap), 13);
	ck_assert_int_eq(cap, -1);
	load_ok("labs/good.lab", &lab);
	q = lab_fill_params(&lab, "{tasks|Word} tasks of {duration_ms} ms, {tasks|word} in all");
	ck_assert_str_eq(q, "Two tasks of 50 ms, two in all");
	free(q);
	/* a computed value is a count; what is not a value stays as written */
	q = lab_fill_params(&lab, "exactly {tasks * duration_ms * 100}, {nosuch} {a.wall_s}");
	ck_assert_str_eq(q, "exactly 10,000, {nosuch} {a.wall_s}");
	free(q);
	ck_assert_int_eq(lab_set(&lab, "tasks=4", err, sizeof err), 0);
	q = lab_fill_params(&lab, "{tasks|Word} tasks");
	ck_assert_str_eq(q, "Four tasks");
	free(q);
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
	/* a figure the run's executor does not report: named, with the line it
	 * is on (a continuation line: walk4 #15) */
	{
		const char *typo = "[lab]\nid = x\ntitle = t\nquestion = q\nchoice = a\n"
		    "answer = 1\nexplain = took {a.wall_s} s,\n  lost {a.lost_updatse}\n"
		    "[run a]\nexecutor = race\n";
		const char *range = "[lab]\nid = x\ntitle = t\nquestion = q\nchoice = a\n"
		    "choice = b\nanswer = 3\n[run a]\nexecutor = serial\n";

		ck_assert_int_eq(lab_parse(typo, strlen(typo), "m", exec_info, &lab, err,
		    sizeof err), -1);
		ck_assert_msg(strstr(err, "m:8: explain: run 'a' (executor race) has no "
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
	ck_assert_int_eq(lab_value(&lab.runs[0], "tasks"), 8);
	ck_assert_int_eq(lab_value(&lab.runs[1], "tasks"), 8);
	ck_assert_int_eq(lab_set(&lab, "b.tasks=5", err, sizeof err), 0);
	ck_assert_int_eq(lab_value(&lab.runs[0], "tasks"), 8);
	ck_assert_int_eq(lab_value(&lab.runs[1], "tasks"), 5);
	ck_assert_int_eq(lab_set(&lab, "work=sleep", err, sizeof err), 0);
	ck_assert_int_eq(lab_value(&lab.runs[0], "work"), 1);
	ck_assert_int_eq(lab_set(&lab, "nosuchkey=1", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no run of lab good has a parameter 'nosuchkey'"));
	/* walk4 #16: the run exists, it lacks the key: say so, and who has it */
	ck_assert_int_eq(lab_set(&lab, "a.jobs=1", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "--set a.jobs=1: run a (executor serial) has no parameter "
	    "'jobs'; run b does") != NULL, "%s", err);
	ck_assert_int_eq(lab_set(&lab, "tasks=1", err, sizeof err), 0);
	{	/* a count of 1 and its noun agree */
		char *q = lab_fill_params(&lab, "{tasks} threads, {tasks|word} tasks, 1 cores");

		ck_assert_str_eq(q, "1 thread, one task, 1 cores");
		free(q);
	}
	ck_assert_int_eq(lab_set(&lab, "a.nosuchkey=1", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "run a (executor serial) has no parameter 'nosuchkey'") !=
	    NULL && strstr(err, "does") == NULL, "%s", err);
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


/* A made-up executor with a text parameter, beside the real ones. */
static const struct param_spec fake_params[] = {
	{ .name = "tasks", .type = PARAM_INT, .def = 3, .min = 1, .max = 7,
	  .help = "tasks" },
	{ .name = "interpreter", .type = PARAM_STRING, .text_def = "python3", .max = 24,
	  .help = "the interpreter to run" },
	{ .name = "mode", .type = PARAM_ENUM, .def = 1, .choices = "a|b|c", .help = "m" },
	{ .name = NULL },
};
static const struct lab_exec_info fake_exec = { .name = "fake", .params = fake_params };

static const struct lab_exec_info *
fake_lookup(const char *name)
{
	return strcmp(name, "fake") == 0 ? &fake_exec : exec_info(name);
}

/* Parse text; on failure the message must hold want (file:line and words). */
static void
parse_bad(const char *text, const char *want)
{
	char err[512] = "";
	struct lab lab;

	ck_assert_msg(lab_parse(text, strlen(text), "m.lab", fake_lookup, &lab, err,
	    sizeof err) == -1, "accepted:\n%s", text);
	ck_assert_msg(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
}

#define HEAD "[lab]\nid = x\ntitle = t\n"

/* Issue 16 item 9: what run refuses or mis-prints, check refuses too. */
START_TEST(check_refuses_what_run_would)
{
	/* 3 runs x 256 tasks: 780 rows, more than the trace's 512 */
	parse_bad(HEAD "[run a]\nexecutor = threads\ntasks = 256\n"
	    "[run b]\nexecutor = threads\ntasks = 256\n"
	    "[run c]\nexecutor = threads\ntasks = 256\n",
	    "m.lab:10: lab x would need about 780 task rows in all, more than the 512");
	parse_bad(HEAD "[lab]\n[run a]\nexecutor = serial\n",
	    "m.lab:4: [lab] is given twice (first at line 1)");
	parse_bad(HEAD "[run a]\nexecutor = serial\ntasks = 2\ntasks = 3\n",
	    "m.lab:7: tasks is given twice in [run a]");
	parse_bad(HEAD "id = y\n[run a]\nexecutor = serial\n",
	    "m.lab:4: id is given twice (first at line 2)");
	parse_bad(HEAD "answer = 1\n[run a]\nexecutor = serial\n",
	    "m.lab:4: answer is given but the lab has no choices");
	parse_bad(HEAD "explain = took {} s\n[run a]\nexecutor = serial\n",
	    "m.lab:4: explain: empty placeholder {}");
	parse_bad(HEAD "explain = took\n  {a.wall_s s, or {a.cpu_s}\n"
	    "[run a]\nexecutor = serial\n",
	    "m.lab:5: explain: the '{' in '{a.wall_s s, or {a.cpu_s' is not closed");
	parse_bad(HEAD "explain = took {a.wall_s s\n[run a]\nexecutor = serial\n",
	    "m.lab:4: explain: the '{' in '{a.wall_s s' is not closed on its line");
	parse_bad(HEAD "explain = on {corse} cores\n[run a]\nexecutor = serial\n",
	    "m.lab:4: explain: 'corse' is neither cores nor a parameter");
	parse_bad("[lab]\nid = x\ntitle = caf\xc3 t\n[run a]\nexecutor = serial\n",
	    "m.lab:3: invalid UTF-8 at column 12");
	parse_bad("[lab]\nid = x\ntitle = \xe2\x82\n[run a]\nexecutor = serial\n",
	    "m.lab:3: invalid UTF-8");
	parse_bad("[lab]\nid = x\ntitle = \xc0\xaf overlong\n[run a]\nexecutor = serial\n",
	    "m.lab:3: invalid UTF-8");
	parse_bad("[lab]\nid = x\ntitle = a \x1b[2J clear\n[run a]\nexecutor = serial\n",
	    "m.lab:3: control character 0x1b");
	parse_bad("", "m.lab: the file is empty");
	parse_bad("# only a comment\n", "m.lab:1: no [lab] section");
	parse_bad("[lab]\ntitle = t\n[run a]\nexecutor = serial\n",
	    "m.lab:1: missing 'id'");
}
END_TEST

START_TEST(check_accepts_good_text)
{
	char err[512] = "";
	struct lab lab;
	const char *text = HEAD "question = q \xc2\xb5s \xe2\x80\x94 ok?\nchoice = a\n"
	    "choice = b\nanswer = 2\nexplain = {a.wall_s/a.cpu_s} on {cores}, {tasks}\n"
	    "[run a]\nexecutor = serial\ntasks = 2\n";

	ck_assert_msg(lab_parse(text, strlen(text), "m.lab", exec_info, &lab, err,
	    sizeof err) == 0, "%s", err);
	ck_assert_int_eq(lab_rows(&lab), 2 + LAB_RUN_ROWS);
	lab_free(&lab);
}
END_TEST

/* Issue 16 items 5 and 9: files that are not regular, or empty. */
START_TEST(odd_files)
{
	char dir[] = "/tmp/conclab-lab-XXXXXX", path[256], err[512];
	struct lab lab;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/x.lab", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(lab_load(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "x.lab: a FIFO, not a lab file") != NULL, "%s", err);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(lab_load(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "x.lab: a directory, not a lab file") != NULL, "%s", err);
	rmdir(path);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(lab_load(path, exec_info, &lab, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "x.lab: the file is empty") != NULL, "%s", err);
	ck_assert_ptr_null(strstr(err, ":0:"));
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A FIFO named x.lab hangs none of check, run and list (each bounded). */
START_TEST(fifo_hangs_nothing)
{
	char dir[] = "/tmp/conclab-fifo-XXXXXX", path[256], args[1024];
	char *out;
	int st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/x.lab", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	snprintf(args, sizeof args, "check %s", path);
	out = tu_run_timed(args, &st);
	ck_assert_int_eq(st, 2);
	ck_assert_msg(strstr(out, "a FIFO, not a lab file") != NULL, "%s", out);
	free(out);
	snprintf(args, sizeof args, "run %s --headless", path);
	out = tu_run_timed(args, &st);
	ck_assert_int_eq(st, 2);
	ck_assert_msg(strstr(out, "a FIFO") != NULL, "%s", out);
	free(out);
	setenv("CONCLAB_LABS", dir, 1);
	out = tu_run_timed("list", &st);
	ck_assert_msg(strstr(out, "x.lab: a FIFO") != NULL, "%s", out);
	ck_assert_msg(st != 124, "list hung");
	free(out);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(string_params)
{
	const char *text = HEAD "[run a]\nexecutor = fake\ninterpreter = /usr/bin/python3.12\n"
	    "[run b]\nexecutor = fake\n[run c]\nexecutor = threads\n";
	char err[512] = "", buf[64];
	struct lab lab;
	int64_t v;

	ck_assert_msg(lab_parse(text, strlen(text), "m.lab", fake_lookup, &lab, err,
	    sizeof err) == 0, "%s", err);
	ck_assert_str_eq(lab_string(&lab.runs[0], "interpreter"), "/usr/bin/python3.12");
	ck_assert_str_eq(lab_string(&lab.runs[1], "interpreter"), "python3");
	ck_assert(!lab_value_find(&lab.runs[0], "interpreter", &v));
	lab_param_format(&lab.runs[1], 1, buf, sizeof buf);
	ck_assert_str_eq(buf, "python3");
	lab_spec_range(&fake_params[1], buf, sizeof buf);
	ck_assert_str_eq(buf, "text, 1..24 characters");
	ck_assert(!lab_param_changed(&lab.runs[0], 1));
	ck_assert_int_eq(lab_set(&lab, "a.interpreter=/usr/bin/python3.12", err, sizeof err),
	    0);
	ck_assert(!lab_param_changed(&lab.runs[0], 1));	/* the same text again */
	ck_assert_int_eq(lab_set(&lab, "b.interpreter=python2.7", err, sizeof err), 0);
	ck_assert_str_eq(lab_string(&lab.runs[1], "interpreter"), "python2.7");
	ck_assert(lab_param_changed(&lab.runs[1], 1));
	ck_assert(!lab_param_changed(&lab.runs[1], 0));
	ck_assert_int_eq(lab_set(&lab, "interpreter=a-name-much-too-long-for-it", err, sizeof err),
	    -1);
	ck_assert_msg(strstr(err, "interpreter must be 1..24 characters") != NULL, "%s",
	    err);
	ck_assert_int_eq(lab_set(&lab, "interpreter=py\tthon", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "printable") != NULL, "%s", err);
	ck_assert_int_eq(lab_set_value(&lab, 0, 1, 5, err, sizeof err), -1);
	lab_free(&lab);
	parse_bad(HEAD "[run a]\nexecutor = fake\ninterpreter = caf\xc3\xa9\n",
	    "m.lab:6: interpreter must be printable ASCII");
}
END_TEST

/* The dashboard's way to change a value: the table's range, all or none. */
START_TEST(set_value_checks_the_table)
{
	const char *text = HEAD "[run a]\nexecutor = fake\ntasks = 2\n"
	    "[run b]\nexecutor = threads\ntasks = 5\n[run c]\nexecutor = interleave\n";
	char err[512] = "";
	struct lab lab;

	ck_assert_msg(lab_parse(text, strlen(text), "m.lab", fake_lookup, &lab, err,
	    sizeof err) == 0, "%s", err);
	ck_assert_int_eq(lab_set_value(&lab, 1, lab_param_index(&lab.runs[1], "tasks"), 9,
	    err, sizeof err), 0);
	ck_assert_int_eq(lab_value(&lab.runs[1], "tasks"), 9);
	ck_assert_int_eq(lab_set_value(&lab, 1, 0, 0, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "run b: tasks=0 is outside the allowed 1..256") != NULL,
	    "%s", err);
	ck_assert_int_eq(lab_set_value(&lab, 0, 2, 3, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "mode has no choice 3 (choices: a|b|c)") != NULL, "%s",
	    err);
	ck_assert_int_eq(lab_set_value(&lab, 0, 2, 2, err, sizeof err), 0);
	ck_assert_int_eq(lab_set_value(&lab, 7, 0, 1, err, sizeof err), -1);
	ck_assert_int_eq(lab_set_value(&lab, 0, 9, 1, err, sizeof err), -1);
	/* every run or none: interleave allows 7 tasks, fake 7, threads 256 */
	ck_assert_int_eq(lab_set_every(&lab, "tasks", 6, err, sizeof err), 0);
	ck_assert_int_eq(lab_value(&lab.runs[0], "tasks"), 6);
	ck_assert_int_eq(lab_value(&lab.runs[1], "tasks"), 6);
	ck_assert_int_eq(lab_value(&lab.runs[2], "tasks"), 6);
	ck_assert_int_eq(lab_set_every(&lab, "tasks", 8, err, sizeof err), -1);
	ck_assert_int_eq(lab_value(&lab.runs[0], "tasks"), 6);
	ck_assert_int_eq(lab_value(&lab.runs[1], "tasks"), 6);
	ck_assert_int_eq(lab_set_every(&lab, "nosuch", 1, err, sizeof err), -1);
	lab_free(&lab);
	/* three threads runs of 200 tasks fit alone, not together */
	text = HEAD "[run a]\nexecutor = threads\n[run b]\nexecutor = threads\n"
	    "[run c]\nexecutor = threads\n";
	ck_assert(lab_parse(text, strlen(text), "m.lab", exec_info, &lab, err,
	    sizeof err) == 0);
	ck_assert_int_eq(lab_set_every(&lab, "tasks", 200, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "612 task rows") != NULL, "%s", err);
	ck_assert_int_eq(lab_value(&lab.runs[2], "tasks"), 3);
	lab_free(&lab);
}
END_TEST

/* Walk 7 H2: the server lab's --set tasks=4 was taken and changed nothing
 * (only cpython declares tasks, and its server script ignores it), and
 * --set duration_ms=9000 --only sequential changed a run that did not run. */
START_TEST(set_that_changes_nothing_is_refused)
{
	char err[1024], *path = lab_find("server");
	struct lab lab;
	struct lab_run *cpy;

	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(lab_load(path, exec_info, &lab, err, sizeof err), 0);
	cpy = lab_run_find(&lab, "cpython");
	ck_assert_ptr_nonnull(cpy);
	ck_assert(!lab_param_used(cpy, "tasks"));
	ck_assert(lab_param_used(cpy, "duration_ms"));
	ck_assert_int_eq(lab_set(&lab, "tasks=4", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "--set tasks=4: no run of lab server has a parameter "
	    "'tasks' (run cpython has one, but a server script (load = perf) uses only")
	    != NULL, "%s", err);
	ck_assert_int_eq(lab_set(&lab, "cpython.tasks=4", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "run cpython does not use 'tasks'") != NULL, "%s", err);
	ck_assert_int_eq(lab_set_every(&lab, "tasks", 4, err, sizeof err), -1);
	ck_assert_int_eq(lab_value(cpy, "tasks"), 3);
	/* a key the whole lab's running runs use is still taken */
	ck_assert_int_eq(lab_set(&lab, "duration_ms=3000", err, sizeof err), 0);
	ck_assert_int_eq(lab_value(cpy, "duration_ms"), 3000);
	ck_assert_int_eq(lab_only(&lab, "sequential", err, sizeof err), 0);
	ck_assert_int_eq(lab_set(&lab, "duration_ms=9000", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "only run cpython has 'duration_ms', and --only sequential "
	    "leaves it out; sequential's parameters: mode, ") != NULL, "%s", err);
	ck_assert_int_eq(lab_set(&lab, "cpython.duration_ms=9000", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "run cpython does not run (--only sequential)") != NULL,
	    "%s", err);
	ck_assert_int_eq(lab_set(&lab, "long_n=25", err, sizeof err), 0);
	{	/* the tasks column counts what ran where the run ignores tasks */
		struct run_result r = { .nslots = 7 };

		ck_assert_int_eq(report_tasks(cpy, &r), 7);
	}
	lab_free(&lab);
	free(path);
	{	/* and show says which parameters a run ignores */
		int st;
		char *out = tu_run_timed("show server", &st);

		ck_assert_msg(st == 0 && strstr(out, "not used here: a server script (load = "
		    "perf) uses only script,") != NULL && strstr(out, "(not used here) ") != NULL,
		    "%s", out);
		free(out);
	}
}
END_TEST

/* A key the executor does not declare is a bug that stops conclab. */
START_TEST(undeclared_key_stops)
{
	struct lab lab;

	load_ok("labs/good.lab", &lab);
	(void)lab_value(&lab.runs[0], "tasks_typo");
}
END_TEST

/* --set names the key no run has, even after a good one. */
START_TEST(set_typo_exits_2)
{
	char *out;
	int st;

	out = tu_run_timed("run sleep-vs-fib --headless --set tasks=3 --set task=3", &st);
	ck_assert_int_eq(st, 2);
	ck_assert_msg(strstr(out, "--set task=3: no run of lab sleep-vs-fib has a "
	    "parameter 'task'") != NULL, "%s", out);
	free(out);
}
END_TEST

/* conclab show: every run, every parameter with value, default and range. */
START_TEST(show_lists_every_parameter)
{
	char err[512], *path = lab_find("convoy"), *out;
	struct lab lab;
	int st, lines = 0;

	ck_assert_ptr_nonnull(path);
	ck_assert_msg(lab_load(path, exec_info, &lab, err, sizeof err) == 0, "%s", err);
	free(path);
	out = tu_run_timed("show convoy", &st);
	ck_assert_int_eq(st, 0);
	ck_assert_ptr_nonnull(strstr(out, "Question:\n    A thread serves short requests"));
	/* each run's figures, its executor's metrics among them (walk 6 G3) */
	ck_assert_msg(strstr(out, "figures (RUN.FIGURE in expect and headline): wall_s") != NULL &&
	    strstr(strstr(out, "figures (RUN.FIGURE"), "short_reqs_per_s") != NULL, "%s", out);
	for (int r = 0; r < lab.nruns; r++) {
		const struct lab_run *run = &lab.runs[r];
		char head[64], *at;

		snprintf(head, sizeof head, "[run %s]  executor %s", run->name, run->exec->name);
		at = strstr(out, head);
		ck_assert_msg(at != NULL, "no '%s' in:\n%s", head, out);
		for (int i = 0; run->exec->params[i].name != NULL; i++) {
			const struct param_spec *spec = &run->exec->params[i];
			char val[64], def[64], range[64], want[256], *line;

			lab_param_format(run, i, val, sizeof val);
			lab_spec_default(spec, def, sizeof def);
			lab_spec_range(spec, range, sizeof range);
			/* the row starts "    NAME " or "  * NAME " */
			line = at;
			do
				line = strstr(line + 1, spec->name);
			while (line != NULL && (line[-1] != ' ' || (line[-2] != ' ' && line[-2] != '*') ||
			    line[strlen(spec->name)] != ' '));
			ck_assert_msg(line != NULL, "no row for %s of run %s", spec->name,
			    run->name);
			/* the row: name, value, default, range, doc (spaces between) */
			snprintf(want, sizeof want, "%s %s %s %s %s", spec->name, val, def, range,
			    spec->help);
			{
				char row[256];
				size_t n = strcspn(line, "\n"), k = 0;

				for (size_t j = 0; j < n && k + 1 < sizeof row; j++)
					if (line[j] != ' ' || (k > 0 && row[k - 1] != ' '))
						row[k++] = line[j];
				row[k] = '\0';
				ck_assert_msg(strcmp(row, want) == 0, "row '%s', want '%s'", row,
				    want);
			}
			lines++;
		}
	}
	{
		int want = 0;	/* every parameter of every run (convoy: C and Python) */

		for (int r = 0; r < lab.nruns; r++)
			for (int i = 0; lab.runs[r].exec->params[i].name != NULL; i++)
				want++;
		ck_assert_int_ge(lab.nruns, 5);
		ck_assert_int_eq(lines, want);
	}
	ck_assert_ptr_null(strstr(out, "answer"));	/* no spoiler */
	lab_free(&lab);
	free(out);
	out = tu_run_timed("show nosuch-lab", &st);
	ck_assert_int_eq(st, 2);
	ck_assert_msg(strstr(out, "no lab 'nosuch-lab' (labs: ") != NULL, "%s", out);
	free(out);
	out = tu_run_timed("show", &st);
	ck_assert_int_eq(st, 2);
	free(out);
}
END_TEST

/* Every executor's table: unique names, at most LAB_MAX_PARAMS, a doc
 * line, and a default its own range check accepts. */
START_TEST(executor_tables_are_sound)
{
	char names[1024], *save = NULL;
	int nexec = 0;

	exec_names(names, sizeof names);
	for (char *name = strtok_r(names, ", ", &save); name != NULL;
	    name = strtok_r(NULL, ", ", &save)) {
		const struct lab_exec_info *ex = exec_info(name);
		struct lab lab = { .nruns = 1 };
		char err[256];
		int n;

		ck_assert_ptr_nonnull(ex);
		n = lab_param_count(ex);
		ck_assert_msg(n >= 1 && n <= LAB_MAX_PARAMS, "%s: %d parameters", name, n);
		lab.runs[0].exec = ex;
		lab_param_defaults(&lab.runs[0]);
		for (int i = 0; i < n; i++) {
			const struct param_spec *spec = &ex->params[i];

			ck_assert_msg(spec->help != NULL && spec->help[0] != '\0', "%s.%s: no doc",
			    name, spec->name);
			for (int j = 0; j < i; j++)
				ck_assert_msg(strcmp(ex->params[j].name, spec->name) != 0,
				    "%s: %s twice", name, spec->name);
			if (spec->type == PARAM_STRING)
				ck_assert_int_eq(lab_param_parse(&lab.runs[0], i, spec->text_def,
				    err, sizeof err), 0);
			else
				ck_assert_msg(lab_set_value(&lab, 0, i, spec->def, err,
				    sizeof err) == 0, "%s: default: %s", name, err);
		}
		lab_free(&lab);
		nexec++;
	}
	ck_assert_int_ge(nexec, 13);
}
END_TEST

static Suite *
lab_suite(void)
{
	Suite *s = suite_create("lab");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, good_file);
	tcase_add_test(tc, set_that_changes_nothing_is_refused);
	tcase_add_test(tc, counts_as_words);
	tcase_add_test(tc, errors_name_file_and_line);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, parse_buffer_edge_cases);
	tcase_add_test(tc, measured_line);
	tcase_add_test(tc, set_and_only);
	tcase_add_test(tc, shipped_labs_parse);
	tcase_add_test(tc, check_refuses_what_run_would);
	tcase_add_test(tc, check_accepts_good_text);
	tcase_add_test(tc, odd_files);
	tcase_add_test(tc, fifo_hangs_nothing);
	tcase_add_test(tc, string_params);
	tcase_add_test(tc, set_value_checks_the_table);
	tcase_add_exit_test(tc, undeclared_key_stops, 1);
	tcase_add_test(tc, set_typo_exits_2);
	tcase_add_test(tc, show_lists_every_parameter);
	tcase_add_test(tc, executor_tables_are_sound);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lab_suite)
