/*
 * main: the command line, the lifetimes of the trace and the runner, and the
 * headless loop that samples while a lab runs and then prints its report.
 */
#include "clock.h"
#include "config.h"
#include "cpus.h"
#include "dash.h"
#include "exec.h"
#include "export.h"
#include "forker.h"
#include "lab.h"
#include "cli.h"
#include "report.h"
#include "sample.h"
#include "server.h"
#include "show.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SETS 32

struct options {
	bool headless, no_color, ascii, no_progress;
	int fps;
	const char *format;
	const char *sets[MAX_SETS];
	int nsets;
	const char *only;
	const char *cpus;
	int predict;
	double slow;
	const char *trace_path, *csv_path, *svg_path;
};

static volatile sig_atomic_t got_signal;

static void
usage(FILE *f)
{
	fputs(
"usage: conclab [global] [LAB]          the menu of labs, or one lab's screen\n"
"       conclab [global] list           lab ids and titles\n"
"       conclab [global] run LAB [opts] run a lab; without a terminal, or with\n"
"                                       --headless, print a report\n"
"       conclab check FILE.lab          validate a lab file\n"
"       conclab show LAB                a lab's question, runs and parameters\n"
"       conclab serve [opts]            the fib server alone (serve --help)\n"
"       conclab load perf1|perf2 [opts] the load generators alone (load --help)\n"
"       conclab --help | --version\n"
"\n"
"global: --no-color (also NO_COLOR)  --ascii  --fps N (default 10)  --no-progress\n"
"run:    --headless  --format text|json  --set KEY=VALUE  --set RUN.KEY=VALUE\n"
"        --only RUN  --cpus LIST (taskset syntax, e.g. 0-3,5)  --predict CHOICE\n"
"        --slow F (stretch simulated switch intervals)\n"
"        --trace FILE.json (Chrome/Perfetto)  --csv FILE  --svg FILE\n"
"\n"
"Labs are read from $CONCLAB_LABS, then labs/ beside the binary, then\n"
"the installed share/conclab/labs.  Exit status: 0 ok, 2 bad usage or input,\n"
"1 a failure while running.\n", f);
}

static int
cmd_list(void)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);

	for (int i = 0; i < n; i++)
		printf("%-14s %s\n", labs[i].id, labs[i].title);
	if (errs[0] != '\0')
		fprintf(stderr, "conclab: some lab files have errors:\n%s", errs);
	if (n == 0) {
		const char *dirs[4];
		int nd = lab_dirs(dirs, 4);

		fprintf(stderr, "conclab: no labs found; looked in:");
		for (int i = 0; i < nd; i++)
			fprintf(stderr, " %s", dirs[i]);
		fputc('\n', stderr);
		lab_list_free(labs, n);
		return 2;
	}
	lab_list_free(labs, n);
	return 0;
}

static int
cmd_check(int argc, char **argv)
{
	char err[512];
	struct lab lab;
	int bad = 0;

	if (argc < 1) {
		fputs("conclab: check needs a FILE.lab\n", stderr);
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		if (lab_load(argv[i], exec_info, &lab, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			bad = 1;
			continue;
		}
		printf("%s: ok (lab %s, %d run%s)\n", argv[i], lab.id, lab.nruns,
		    lab.nruns == 1 ? "" : "s");
		lab_free(&lab);
	}
	return bad ? 2 : 0;
}

/* Load a lab by id or path; exit 2 with the list of ids when there is none. */
static void
load_lab(const char *name, struct lab *lab)
{
	char err[512], ids[1024];
	char *path;

	path = lab_locate(name);
	if (path == NULL) {
		lab_id_list(exec_info, ids, sizeof ids);
		die(2, "no lab '%s' (labs: %s)", name, ids[0] ? ids : "none found");
	}
	if (lab_load(path, exec_info, lab, err, sizeof err) < 0) {
		free(path);
		die(2, "%s", err);
	}
	free(path);
}

static void
progress(struct exec_runner *r, const struct lab *lab, uint64_t t0)
{
	for (int i = 0; i < lab->nruns; i++)
		if (at_load_acquire(&r->state[i]) == EXEC_RUNNING) {
			fprintf(stderr, "\rconclab: %s: running %-20s %5.1f s ", lab->id,
			    lab->runs[i].name, (double)(clock_now_ns() - t0) / 1e9);
			return;
		}
}

/* Mark the lab done (and the prediction) in the progress file. */
static void
save_progress(const struct lab *lab, int predict)
{
	struct progress p;
	char err[512];

	progress_load(&p, NULL, 0);
	progress_record(&p, lab->id, predict, predict > 0 ? predict == lab->answer : -1);
	if (progress_save(&p, err, sizeof err) < 0)
		fprintf(stderr, "conclab: progress not saved: %s\n", err);
}

/* Write the exports asked for; 1 if one could not be written. */
static int
write_exports(const struct options *o, const struct report_info *info,
    const struct core_series *series)
{
	const char *paths[] = { o->trace_path, o->csv_path, o->svg_path };
	const enum export_kind kinds[] = { EXPORT_CHROME, EXPORT_CSV, EXPORT_SVG };
	char err[512];
	int status = 0;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(paths); i++) {
		if (paths[i] == NULL)
			continue;
		if (export_write(paths[i], kinds[i], info, series, err, sizeof err) < 0) {
			fprintf(stderr, "conclab: %s\n", err);
			status = 1;
		}
	}
	return status;
}

/* Is standard output open for writing?  A report nobody can read is a run
 * wasted, so a headless run checks before it starts. */
static bool
stdout_open(void)
{
	int fl = fcntl(STDOUT_FILENO, F_GETFL);

	return fl >= 0 && (fl & O_ACCMODE) != O_RDONLY;
}

static int
run_headless(const struct options *o, struct lab *lab, struct exec_env *env)
{
	struct exec_runner *runner = xcalloc(1, sizeof *runner);
	struct task_sampler *ts = xcalloc(1, sizeof *ts);
	struct core_sampler *cores = sample_cores_create(CPUS_MAX, NULL);
	struct core_series *series = export_series_create(env->ncpus);
	double *busy = xcalloc((size_t)env->ncpus, sizeof *busy);
	struct report_info info;
	bool show = !o->no_progress && isatty(STDERR_FILENO);
	uint64_t t0 = clock_now_ns();
	int status = 0;

	if (exec_runner_start(runner, env, lab, -1) < 0)
		die(1, "cannot start the lab's runner thread");
	while (!exec_runner_done(runner)) {
		if (got_signal)
			trace_stop(env->tr);
		sample_tasks(ts, env->tr, 64);
		if (sample_cores(cores) == 0) {
			int k = 0;

			for (int c = 0; c < CPUS_MAX && k < env->ncpus; c++)
				if (CPU_ISSET(c, &env->cpus))
					busy[k++] = cores->busy[c];
			export_series_add(series, clock_now_ns(), busy);
		}
		if (show)
			progress(runner, lab, t0);
		forker_wait(CLOCK_NS_PER_S / (uint64_t)o->fps, -1);
	}
	exec_runner_join(runner);
	if (show)
		fputs("\r\033[K", stderr);
	memset(&info, 0, sizeof info);
	info.lab = lab;
	info.results = runner->results;
	info.tr = env->tr;
	info.predict = o->predict;
	info.stopped = got_signal != 0;
	info.slow = env->slow;
	report_machine(&info, &env->cpus, &env->cal);
	if (strcmp(o->format, "json") == 0)
		report_json(stdout, &info);
	else
		report_text(stdout, &info);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "conclab: cannot write the report to standard output: "
		    "%s\n", strerror(errno));
		status = 1;
	}
	status |= write_exports(o, &info, series);
	for (int i = 0; i < lab->nruns; i++)
		if (runner->results[i].failed) {
			fprintf(stderr, "conclab: run %s failed: %s\n", lab->runs[i].name,
			    runner->results[i].error);
			status = 1;
		}
	if (!o->no_progress && !got_signal && status == 0)
		save_progress(lab, o->predict);
	exec_runner_clear(runner);
	free(runner);
	free(ts);
	free(busy);
	sample_cores_destroy(cores);
	export_series_destroy(series);
	if (got_signal)
		return 128 + got_signal;
	return status;
}

static struct trace *the_trace;

static void
cleanup_trace(void)
{
	if (the_trace != NULL)
		trace_stop(the_trace);
}

static int
cmd_run(const struct options *o, const char *name)
{
	struct exec_env env;
	struct lab lab;
	char err[512];
	int status;

	memset(&env, 0, sizeof env);
	load_lab(name, &lab);
	for (int i = 0; i < o->nsets; i++)
		if (lab_set(&lab, o->sets[i], err, sizeof err) < 0) {
			lab_free(&lab);
			die(2, "%s", err);
		}
	if (o->only != NULL && lab_only(&lab, o->only, err, sizeof err) < 0) {
		lab_free(&lab);
		die(2, "%s", err);
	}
	if (o->predict != 0 && (lab.nchoices == 0 || o->predict > lab.nchoices)) {
		int n = lab.nchoices;

		lab_free(&lab);
		if (n == 0)
			die(2, "lab %s asks no question to predict", name);
		die(2, "--predict must be a choice 1..%d", n);
	}
	if (lab_check_rows(&lab, err, sizeof err) < 0) {
		lab_free(&lab);
		die(2, "%s", err);
	}
	if (!stdout_open()) {
		lab_free(&lab);
		die(2, "standard output is closed: the report has nowhere to go "
		    "(redirect it to a file)");
	}
	if (o->cpus != NULL) {
		if (cpus_parse_list(o->cpus, &env.cpus, err, sizeof err) < 0 ||
		    cpus_pin(&env.cpus, err, sizeof err) < 0) {
			lab_free(&lab);
			die(2, "--cpus: %s", err);
		}
	}
	cpus_allowed(&env.cpus);
	env.ncpus = CPU_COUNT(&env.cpus);
	env.slow = o->slow;
	env.tr = trace_create(err, sizeof err);
	if (env.tr == NULL)
		die(1, "%s", err);
	the_trace = env.tr;
	util_on_cleanup(cleanup_trace);
	work_calibrate(&env.cal);
	status = run_headless(o, &lab, &env);
	the_trace = NULL;
	trace_destroy(env.tr);
	lab_free(&lab);
	return status;
}

/* The dashboard: the menu (lab NULL) or one lab's screen. */
static int
run_dash(const struct options *o, const char *lab)
{
	struct dash_opts d = { .no_color = o->no_color, .ascii = o->ascii, .fps = o->fps,
		.sets = o->sets, .nsets = o->nsets, .cpus = o->cpus, .slow = o->slow };

	d.only = o->only;
	d.predict = o->predict;
	d.no_progress = o->no_progress;
	return dash_main(&d, lab, &got_signal);
}

static bool
want_arg(int argc, char **argv, int i)
{
	if (i + 1 >= argc)
		die(2, "%s needs a value (see conclab --help)", argv[i]);
	return true;
}

int
main(int argc, char **argv)
{
	struct options o = { .fps = 0, .format = "text", .slow = 0 };
	struct config cfg;
	char warn[2048];
	char *pos[8];
	int npos = 0;

#ifndef __linux__
	fputs("conclab: needs Linux (it reads /proc and uses epoll)\n", stderr);
	return 2;
#endif
	/* serve and load parse their own flags. */
	if (argc > 1 && strcmp(argv[1], "serve") == 0)
		return cli_serve(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "load") == 0)
		return cli_load(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "trace") == 0)
		return cli_trace_run(argc - 1, argv + 1);
	if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0')
		o.no_color = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int64_t v;
		double d;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("conclab %s\n", CONCLAB_VERSION);
			return 0;
		} else if (strcmp(a, "--headless") == 0) {
			o.headless = true;
		} else if (strcmp(a, "--no-color") == 0) {
			o.no_color = true;
		} else if (strcmp(a, "--ascii") == 0) {
			o.ascii = true;
		} else if (strcmp(a, "--no-progress") == 0) {
			o.no_progress = true;
		} else if (strcmp(a, "--fps") == 0 && want_arg(argc, argv, i)) {
			if (!util_parse_i64(argv[++i], &v) || v < 1 || v > 60)
				die(2, "--fps must be 1..60, not '%s'", argv[i]);
			o.fps = (int)v;
		} else if (strcmp(a, "--format") == 0 && want_arg(argc, argv, i)) {
			o.format = argv[++i];
			if (strcmp(o.format, "text") != 0 && strcmp(o.format, "json") != 0)
				die(2, "--format must be text or json, not '%s'", o.format);
		} else if (strcmp(a, "--set") == 0 && want_arg(argc, argv, i)) {
			if (o.nsets == MAX_SETS)
				die(2, "too many --set options (at most %d)", MAX_SETS);
			o.sets[o.nsets++] = argv[++i];
		} else if (strcmp(a, "--trace") == 0 && want_arg(argc, argv, i)) {
			o.trace_path = argv[++i];
		} else if (strcmp(a, "--csv") == 0 && want_arg(argc, argv, i)) {
			o.csv_path = argv[++i];
		} else if (strcmp(a, "--svg") == 0 && want_arg(argc, argv, i)) {
			o.svg_path = argv[++i];
		} else if (strcmp(a, "--only") == 0 && want_arg(argc, argv, i)) {
			o.only = argv[++i];
		} else if (strcmp(a, "--cpus") == 0 && want_arg(argc, argv, i)) {
			o.cpus = argv[++i];
		} else if (strcmp(a, "--predict") == 0 && want_arg(argc, argv, i)) {
			if (!util_parse_i64(argv[++i], &v) || v < 1 || v > LAB_MAX_CHOICES)
				die(2, "--predict must be a choice number, not '%s'", argv[i]);
			o.predict = (int)v;
		} else if (strcmp(a, "--slow") == 0 && want_arg(argc, argv, i)) {
			if (!util_parse_double(argv[++i], &d) || d < 1 || d > 1000)
				die(2, "--slow must be a factor 1..1000, not '%s'", argv[i]);
			o.slow = d;
		} else if (a[0] == '-' && a[1] != '\0') {
			die(2, "unknown option '%s' (see conclab --help)", a);
		} else {
			if (npos == (int)UTIL_ARRAY_LEN(pos))
				die(2, "too many arguments (see conclab --help)");
			pos[npos++] = argv[i];
		}
	}
	/* The config file gives defaults; flags win. */
	if (config_load(&cfg, warn, sizeof warn) > 0)
		fprintf(stderr, "conclab: %s", warn);
	if (o.fps == 0)
		o.fps = cfg.fps > 0 ? cfg.fps : 10;
	if (o.slow == 0)
		o.slow = cfg.slow > 0 ? cfg.slow : 1.0;
	if (cfg.color == 0)
		o.no_color = true;
	if (cfg.ascii == 1)
		o.ascii = true;
	util_catch_stop_signals(&got_signal);
	if (forker_init() < 0)
		die(1, "cannot create a pipe");
	if (npos == 0) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			die(2, "the menu needs a terminal; to run a lab without one use "
			    "'conclab run LAB --headless'");
		return run_dash(&o, NULL);
	}
	if (strcmp(pos[0], "list") == 0)
		return cmd_list();
	if (strcmp(pos[0], "check") == 0)
		return cmd_check(npos - 1, pos + 1);
	if (strcmp(pos[0], "show") == 0)
		return show_main(npos - 1, pos + 1);
	if (strcmp(pos[0], "run") == 0) {
		if (npos != 2)
			die(2, "run needs one LAB (see conclab list)");
		if (!o.headless && strcmp(o.format, "text") == 0 && o.trace_path == NULL &&
		    o.csv_path == NULL && o.svg_path == NULL && isatty(STDIN_FILENO) &&
		    isatty(STDOUT_FILENO))
			return run_dash(&o, pos[1]);
		return cmd_run(&o, pos[1]);
	}
	if (npos == 1 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		char *path = lab_find(pos[0]);

		if (path != NULL) {
			free(path);
			return run_dash(&o, pos[0]);
		}
	}
	die(2, "unknown command '%s' (see conclab --help)", pos[0]);
}
