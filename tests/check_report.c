/* Reports: a real (small) run through the executors, its JSON parsed back,
 * the text report and the explanation with numbers. */
#include "testutil.h"

#include "minijson.h"

#include "clock.h"
#include "exec.h"
#include "json.h"
#include "report.h"

#include <sys/stat.h>

static char *
run_report(struct lab *lab, struct exec_runner *runner, struct exec_env *env,
    bool json)
{
	struct report_info info;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	memset(&info, 0, sizeof info);
	info.lab = lab;
	info.results = runner->results;
	info.tr = env->tr;
	info.predict = 1;
	report_machine(&info, &env->cpus, &env->cal);
	if (json)
		report_json(f, &info);
	else
		report_text(f, &info);
	fclose(f);
	return buf;
}

/* Run every run of lab to its end with a new trace in env. */
static void
run_lab(struct lab *lab, struct exec_runner *runner, struct exec_env *env)
{
	char err[512];

	memset(env, 0, sizeof *env);
	env->tr = trace_create(err, sizeof err);
	ck_assert_msg(env->tr != NULL, "%s", err);
	cpus_allowed(&env->cpus);
	env->ncpus = CPU_COUNT(&env->cpus);
	env->slow = 1;
	work_calibrate(&env->cal);
	ck_assert_int_eq(exec_runner_start(runner, env, lab, -1), 0);
	while (!exec_runner_done(runner))
		clock_sleep_ns(5 * CLOCK_NS_PER_MS);
	exec_runner_join(runner);
}

START_TEST(json_round_trip)
{
	char err[512];
	struct lab lab;
	struct exec_env env;
	struct exec_runner *runner = calloc(1, sizeof *runner);
	struct mj *root;
	const struct mj *a, *b, *v;
	char *json, *text;

	ck_assert_int_eq(lab_load(tu_fixture("labs/good.lab"), exec_info, &lab, err,
	    sizeof err), 0);
	run_lab(&lab, runner, &env);

	json = run_report(&lab, runner, &env, true);
	root = mj_parse(json);
	ck_assert_msg(root != NULL, "report is not valid JSON:\n%s", json);
	ck_assert_double_eq(mj_get(root, "schema_version")->num, 1);
	ck_assert_str_eq(mj_get(root, "lab")->str, "good");
	ck_assert_int_eq((int)mj_get(root, "cores")->num, env.ncpus);
	ck_assert_int_eq(mj_get(root, "cpus")->n, env.ncpus);
	ck_assert(mj_get(root, "machine.online_cores")->num >= 1);
	ck_assert(mj_get(root, "calibration.fib_ns_per_call")->num > 0);
	ck_assert_ptr_nonnull(mj_get(root, "noise.steal_pct"));
	ck_assert_ptr_nonnull(mj_get(root, "noise.warning"));
	ck_assert_str_eq(mj_get(root, "prediction.choice")->str, "1");
	ck_assert(mj_get(root, "prediction.correct")->num == 0);
	a = mj_run(root, "a");
	b = mj_run(root, "b");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(mj_get(a, "executor")->str, "serial");
	ck_assert_int_eq((int)mj_get(a, "tasks")->num, 2);
	ck_assert_int_eq(mj_get(a, "tasks_detail")->n, 2);
	ck_assert_int_eq(mj_get(b, "tasks_detail")->n, 4);
	ck_assert_str_eq(mj_get(b, "params.work")->str, "sleep");
	/* serial: two 50 ms fib tasks one after another, computing, not
	 * sleeping: bounds on CPU time, which other programs sharing the cores
	 * do not stretch (wall time they do: under a load of 13 on two cores
	 * this run's wall was 0.67 s and its cores busy 0.21).  The core's
	 * speed may change between the calibration and the run (a CI run under
	 * TSan beside other tests: 0.047 s of wall for the 0.1 s planned), so
	 * the lower bounds are a quarter of the plan: the tasks ran, computed. */
	v = mj_get(a, "wall_s");
	ck_assert_msg(v->num > 0.025 && v->num < 10, "serial wall %.3f", v->num);
	ck_assert_msg(mj_get(a, "cpu_s")->num > 0.025, "serial cpu %.3f s",
	    mj_get(a, "cpu_s")->num);
	/* one after another: never more than one core */
	ck_assert_msg(mj_get(a, "cpu_s")->num <= 1.1 * v->num, "serial cpu %.3f s in %.3f s",
	    mj_get(a, "cpu_s")->num, v->num);
	ck_assert(mj_get(a, "tasks_detail.1.start_s")->num >=
	    mj_get(a, "tasks_detail.0.end_s")->num - 0.001);
	/* sleepers barely use a core; four 20 ms sleeps: their wall is mostly
	 * the threads' start, which a loaded machine stretches (under TSan
	 * beside 2 busy loops 0.06-0.22 s, the last thread starting at up to
	 * 0.19 s; at load 12 0.27-0.53 s), so a generous bound: a second */
	ck_assert_msg(mj_get(b, "wall_s")->num > 0.02 && mj_get(b, "wall_s")->num < 1,
	    "sleepers' wall %.3f s", mj_get(b, "wall_s")->num);
	ck_assert(mj_get(b, "avg_cores_busy")->num < 0.3);
	ck_assert(mj_get(b, "tasks_detail.0.io_s")->num > 0.015);
	ck_assert_str_eq(mj_get(b, "tasks_detail.3.state")->str, "done");
	{
		/* a time as DESIGN.md writes it: three digits and its unit
		 * ("Serial took 104 ms"), never bare seconds ("0.104 s") */
		const char *e = strstr(mj_get(root, "explanation")->str, "Serial took ");
		char unit[8] = "";
		double t = 0;

		ck_assert_ptr_nonnull(e);
		ck_assert_int_eq(sscanf(e, "Serial took %lf %7s", &t, unit), 2);
		ck_assert_msg((strcmp(unit, "ms") == 0 && t >= 50 && t < 1000) ||
		    (strcmp(unit, "s") == 0 && t >= 1), "%s", e);
	}
	mj_free(root);
	free(json);

	text = run_report(&lab, runner, &env, false);
	ck_assert_ptr_nonnull(strstr(text, "lab good: A good lab"));
	ck_assert_ptr_nonnull(strstr(text, "threads"));
	ck_assert_ptr_nonnull(strstr(text, "what this shows:"));
	ck_assert_ptr_nonnull(strstr(text, "not quite"));
	free(text);
	exec_runner_clear(runner);
	free(runner);
	trace_destroy(env.tr);
	lab_free(&lab);
}
END_TEST

/* Tasks that computed for a set duration but used far more or less CPU
 * than calibrated: the machine's speed changed, and the report says so. */
START_TEST(speed_change_is_warned)
{
	struct lab lab;
	struct run_result res[LAB_MAX_RUNS];
	struct report_info info;
	char err[256];
	double steal, other;
	const char *w;
	struct trace *tr = trace_create(err, sizeof err);

	ck_assert_int_eq(lab_load(tu_fixture("labs/good.lab"), exec_info, &lab, err,
	    sizeof err), 0);
	memset(res, 0, sizeof res);
	memset(&info, 0, sizeof info);
	info.lab = &lab;
	info.results = res;
	ck_assert_ptr_nonnull(tr);
	info.tr = tr;
	/* run a: serial, 2 fib tasks of 50 ms; run b sleeps (not counted) */
	res[0].finished = true;
	res[0].first_slot = 0;
	res[0].nslots = 2;
	for (int i = 0; i < 2; i++) {
		int slot = trace_task_add(tr, 0, "t", TRACE_KIND_TASK);

		tr->tasks[slot].state = TRACE_DONE;
		tr->tasks[slot].cpu_ns = 25 * CLOCK_NS_PER_MS;	/* half */
	}
	w = report_noise(&info, &steal, &other);
	ck_assert_ptr_nonnull(w);
	ck_assert_msg(strstr(w, "used 50 % of the CPU time calibrated") != NULL, "%s", w);
	for (int i = 0; i < 2; i++)
		tr->tasks[i].cpu_ns = 52 * CLOCK_NS_PER_MS;	/* as calibrated */
	w = report_noise(&info, &steal, &other);
	ck_assert_msg(w == NULL || strstr(w, "calibrated") == NULL, "%s", w);
	trace_destroy(tr);
	lab_free(&lab);
}
END_TEST

START_TEST(explain_placeholders)
{
	struct lab lab;
	struct run_result res[LAB_MAX_RUNS];
	struct report_info info;
	char err[256], *s;

	ck_assert_int_eq(lab_load(tu_fixture("labs/good.lab"), exec_info, &lab, err,
	    sizeof err), 0);
	memset(res, 0, sizeof res);
	memset(&info, 0, sizeof info);
	res[0].finished = true;
	res[0].wall_s = 1.5;
	result_set(&res[0], "lost_updates", 42, 0);
	info.lab = &lab;
	info.results = res;
	info.ncpus = 4;
	s = report_explain(&info, "a {a.wall_s} s c {cores} d {a.lost_updates} "
	    "f {tasks} {duration_ms} ms {a.wall_s/a.wall_s}");
	/* {tasks}: the first run's parameter (run a: 2), not run b's 4; a ratio to three
	 * significant digits; a time with its unit, a setting as set. */
	ck_assert_str_eq(s, "a 1.50 s c 4 d 42 f 2 50 ms 1.00");
	free(s);
	/* A figure the run did not report: the paragraph is left out, never
	 * "n/a" in a sentence. */
	s = report_explain(&info, "e {a.nosuch} s\n\nf {a.wall_s}");
	ck_assert_str_eq(s, "f 1.50 s\n\n(1 paragraph about runs that did not run left out.)");
	free(s);
	/* Run b did not run: its paragraphs are left out, and said to be. */
	s = report_explain(&info, "one {a.wall_s}\n\ntwo {b.wall_s}\n\n"
	    "three {a.wall_s/b.wall_s}\n\nfour {cores}");
	ck_assert_str_eq(s, "one 1.50 s\n\nfour 4\n\n(2 paragraphs about runs that did "
	    "not run left out.)");
	free(s);
	s = report_explain(&info, "only {b.wall_s}");
	ck_assert_str_eq(s, "(1 paragraph about runs that did not run left out.)");
	free(s);
	res[1].finished = true;
	res[1].run = &lab.runs[1];
	s = report_explain(&info, "b ran {b.tasks}");
	ck_assert_str_eq(s, "b ran 4");
	free(s);
	result_clear(&res[0]);
	lab_free(&lab);
}
END_TEST

/* A real interpreter's run ends at the script's "end" (its wall, its
 * band); the interpreter may go on after it (exiting, its main thread
 * printing figures).  Each thread's run, ready, lock and io are counted to
 * the run's end, not to the interpreter's exit: here a shell script says
 * "end" after 0.2 s and then sleeps 0.6 s in a child process, so the old
 * count gave its main thread 0.8 s of io in a 0.2 s run. */
#define ENDER_LAB "[lab]\nid = ender\ntitle = t\n[run p]\nexecutor = python\n" \
	"script = ender.sh\ninterpreter = /bin/sh\n"

START_TEST(real_run_counted_to_its_end)
{
	char dir[64], path[128], err[512], *json;
	struct lab lab;
	struct exec_env env;
	struct exec_runner *runner = calloc(1, sizeof *runner);
	struct mj *root;
	const struct mj *p, *tasks;
	double wall;
	FILE *f;

	tu_tmpdir(dir, sizeof dir, "ender");
	snprintf(path, sizeof path, "%s/py", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/py/ender.sh", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("echo start >&3\nsleep 0.2\necho end >&3\nsleep 0.6\n", f);
	fclose(f);
	setenv("CONCLAB_LABS", dir, 1);
	ck_assert_msg(lab_parse(ENDER_LAB, strlen(ENDER_LAB), "ender.lab", exec_info, &lab,
	    err, sizeof err) == 0, "%s", err);
	run_lab(&lab, runner, &env);
	json = run_report(&lab, runner, &env, true);
	root = mj_parse(json);
	ck_assert_msg(root != NULL, "%s", json);
	p = mj_run(root, "p");
	ck_assert_msg(p != NULL && mj_get(p, "error") == NULL, "%s", json);
	wall = mj_get(p, "wall_s")->num;
	ck_assert_msg(wall >= 0.19, "%s", json);
	tasks = mj_get(p, "tasks_detail");
	ck_assert_msg(tasks->n >= 1, "%s", json);
	for (int i = 0; i < tasks->n; i++) {
		const struct mj *t = &tasks->kids[i];
		double sum = mj_get(t, "run_s")->num + mj_get(t, "ready_s")->num +
		    mj_get(t, "lock_s")->num + mj_get(t, "io_s")->num;

		/* 1 ms: the report's four decimals, and a thread's start
		 * dated at the tracer's first look */
		ck_assert_msg(mj_get(t, "end_s")->num <= wall + 0.001 && sum <= wall + 0.001,
		    "%s: ends at %.4f s, run+ready+lock+io %.4f s, in a run of %.4f s",
		    mj_get(t, "name")->str, mj_get(t, "end_s")->num, sum, wall);
	}
	mj_free(root);
	free(json);
	exec_runner_clear(runner);
	free(runner);
	trace_destroy(env.tr);
	lab_free(&lab);
	tu_rmtree(dir);
}
END_TEST

START_TEST(json_escapes)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;
	struct mj *root;

	json_init(&j, f, false);
	json_object_begin(&j);
	json_key(&j, "s");
	json_string(&j, "quote \" backslash \\ newline \n tab \t ctl \x01");
	json_key(&j, "empty");
	json_array_begin(&j);
	json_array_end(&j);
	json_key(&j, "nan");
	json_number(&j, 0.0 / 0.0, 2);
	json_object_end(&j);
	fclose(f);
	root = mj_parse(buf);
	ck_assert_msg(root != NULL, "%s", buf);
	ck_assert_str_eq(mj_get(root, "s")->str,
	    "quote \" backslash \\ newline \n tab \t ctl ?");
	ck_assert_int_eq(mj_get(root, "nan")->type, MJ_NULL);
	mj_free(root);
	free(buf);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, json_round_trip);
	tcase_add_test(tc, explain_placeholders);
	tcase_add_test(tc, speed_change_is_warned);
	tcase_add_test(tc, json_escapes);
	tcase_add_test(tc, real_run_counted_to_its_end);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(report_suite)
