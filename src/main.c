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
#include "opt.h"
#include "cli.h"
#include "report.h"
#include "sample.h"
#include "server.h"
#include "show.h"
#include "session.h"
#include "progress_cli.h"
#include "ui.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SETS 32
#define FORMATS "text|json"
enum { FORMAT_TEXT, FORMAT_JSON };
#define HEADLESS_TASK_BUDGET 64	/* schedstat reads per sample */

struct options {
	bool headless, no_color, ascii, no_progress;
	int fps;
	int format;		/* index in FORMATS */
	const char *sets[MAX_SETS];
	int nsets;
	const char *only;
	const char *cpus;
	int predict;		/* 0 none, -1 not a number (session_check says so) */
	const char *predict_text;	/* checked against the lab's choices */
	double slow;
	char slow_from[560];	/* "slow = 4 in PATH" when the config file set it */
	const char *trace_path, *csv_path, *svg_path;
};

static volatile sig_atomic_t got_signal;

static void
usage(const struct opt_cmd *cmd, FILE *f)
{
	fputs(
"usage: conclab [global] [LAB]          the menu of labs, or one lab's screen\n"
"       conclab [global] list           lab ids and titles\n"
"       conclab [global] run LAB [opts] run a lab; without a terminal, or with\n"
"                                       --headless, print a report\n"
"       conclab check FILE.lab          validate a lab file\n"
"       conclab show LAB                a lab's question, runs and parameters\n"
"       conclab trace [opts] -- CMD ARGS | -p PID\n"
"                                       any program's threads live (trace --help)\n"
"       conclab progress                what each lab taught you, your predictions, tries\n"
"       conclab serve [opts]            the fib server alone (serve --help)\n"
"       conclab load perf1|perf2 [opts] the load generators alone (load --help)\n"
"       conclab --help | --version\n"
"\n"
"global options: --no-color (also NO_COLOR), --ascii, --fps, --no-progress;\n"
"the others are run's (--set KEY=VALUE for every run with KEY, or\n"
"RUN.KEY=VALUE for one run):\n", f);
	opt_usage(cmd, f);
	fputs(
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
	char err[8192];
	struct lab lab;
	int bad = 0;

	if (argc < 1) {
		fputs("conclab: check needs a FILE.lab\n", stderr);
		return 2;
	}
	for (int i = 0; i < argc; i++) {
		if (lab_load_check(argv[i], exec_info, &lab, err, sizeof err) < 0) {
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

/* The running run's name and time on stderr's line. */
static void
progress(struct session *s, uint64_t t0)
{
	int i = session_running_run(s), round = at_load_relaxed(&s->runner->round);

	if (round > 0)	/* an extra round of the fidelity runs (exec_rounds) */
		fprintf(stderr, "\rconclab: %s: round %d of %d %-15s %5.1f s ", s->lab.id,
		    round, s->lab.rounds, "", (double)(clock_now_ns() - t0) / 1e9);
	else if (i >= 0)
		fprintf(stderr, "\rconclab: %s: running %-20s %5.1f s ", s->lab.id,
		    s->lab.runs[i].name, (double)(clock_now_ns() - t0) / 1e9);
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

/* Print the report (and write the exports); 1 if something failed. */
static int
report_and_exports(const struct options *o, struct session *s)
{
	struct report_info info;
	int status = 0;

	session_report_info(s, &info, o->predict, got_signal != 0);
	/* µs as "us" when asked, or in text for a terminal that is not UTF-8
	 * (JSON is UTF-8 whatever the locale) */
	info.ascii = o->ascii || (o->format != FORMAT_JSON && !util_utf8_locale());
	if (o->format == FORMAT_JSON)
		report_json(stdout, &info);
	else
		report_text(stdout, &info);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "conclab: cannot write the report to standard output: "
		    "%s\n", strerror(errno));
		status = 1;
	}
	status |= write_exports(o, &info, s->series);
	for (int i = 0; i < s->lab.nruns; i++)
		if (s->runner->results[i].failed) {
			fprintf(stderr, "conclab: run %s failed: %s\n", s->lab.runs[i].name,
			    s->runner->results[i].error);
			status = 1;
		}
	return status;
}

static int
run_headless(const struct options *o, struct session *s)
{
	bool show = !o->no_progress && isatty(STDERR_FILENO);
	uint64_t t0 = clock_now_ns();
	char err[512];
	int status;

	if (session_start(s, -1, err, sizeof err) < 0)
		die(1, "%s", err);
	while (!session_done(s)) {
		if (got_signal)
			trace_stop(s->env.tr);
		session_sample(s, HEADLESS_TASK_BUDGET);
		if (show)
			progress(s, t0);
		forker_wait(CLOCK_NS_PER_S / (uint64_t)o->fps, -1);
	}
	session_join(s);
	if (show)
		fputs("\r\033[K", stderr);
	status = report_and_exports(o, s);
	if (!o->no_progress && !got_signal && status == 0 && session_completed(s)) {
		struct progress p;

		progress_load(&p, NULL, 0);
		if (session_record_progress(s, &p, o->predict, true, err, sizeof err) < 0)
			fprintf(stderr, "conclab: progress not saved: %s\n", err);
	}
	if (got_signal)
		return 128 + got_signal;
	return status;
}

static int
cmd_run(const struct options *o, const char *name)
{
	struct session_opts so = { .sets = o->sets, .nsets = o->nsets, .only = o->only,
		.cpus = o->cpus, .slow = o->slow,
		.slow_from = o->slow_from[0] != '\0' ? o->slow_from : NULL };
	struct session s;
	char err[1400], ids[1024] = "";
	char *path = session_lab_path(name, ids, sizeof ids);
	int status;

	if (path == NULL) {
		lab_missing(name, ids, err, sizeof err);
		die(2, "%s", err);
	}
	if (session_init(&s, &so, err, sizeof err) < 0 ||
	    session_open(&s, path, err, sizeof err) < 0 ||
	    session_check(&s, o->predict, err, sizeof err) < 0) {
		free(path);
		session_destroy(&s);
		die(2, "%s", err);
	}
	free(path);
	if (o->cpus != NULL && cpus_count_like(o->cpus, err, sizeof err))
		fprintf(stderr, "conclab: %s\n", err);	/* walk 7 H6 */
	if (!stdout_open()) {
		session_destroy(&s);
		die(2, "standard output is closed: the report has nowhere to go "
		    "(redirect it to a file)");
	}
	session_calibrate(&s);
	status = run_headless(o, &s);
	session_destroy(&s);
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

/* Parse the global and run options into o and the words into pos (one
 * table, the shared parser); --help and --version answer and exit, bad
 * usage exits 2. */
static void
parse_options(int argc, char **argv, struct options *o, struct opt_args *args)
{
	bool version = false;
	const struct opt opts[] = {
		{ .name = "headless", .type = OPT_FLAG, .out = &o->headless,
		  .help = "run without the dashboard and print a report" },
		{ .name = "format", .type = OPT_CHOICE, .out = &o->format,
		  .choices = FORMATS, .help = "the report: text (default) or json" },
		{ .name = "set", .type = OPT_LIST, .out = o->sets, .max = MAX_SETS,
		  .count = &o->nsets, .metavar = "KEY=VALUE",
		  .help = "a parameter of every run that has it (RUN.KEY: one run)" },
		{ .name = "only", .type = OPT_STRING, .out = &o->only, .metavar = "RUN",
		  .help = "run only this run of the lab" },
		{ .name = "cpus", .type = OPT_STRING, .out = &o->cpus, .metavar = "LIST",
		  .help = "the CPU numbers the lab may use (taskset syntax: 0-3 is four "
		  "cores, 0 one)" },
		{ .name = "predict", .type = OPT_STRING, .out = &o->predict_text,
		  .metavar = "CHOICE", .help = "your answer to the lab's question (1..its choices)" },
		{ .name = "slow", .type = OPT_DOUBLE, .out = &o->slow, .lo = 1, .hi = 1000,
		  .metavar = "F", .help = "stretch simulated switch intervals F times" },
		{ .name = "trace", .type = OPT_STRING, .out = &o->trace_path,
		  .metavar = "FILE", .help = "write a Chrome/Perfetto trace (.json)" },
		{ .name = "csv", .type = OPT_STRING, .out = &o->csv_path, .metavar = "FILE",
		  .help = "write every task's intervals as CSV" },
		{ .name = "svg", .type = OPT_STRING, .out = &o->svg_path, .metavar = "FILE",
		  .help = "write the timeline as SVG" },
		{ .name = "no-color", .type = OPT_FLAG, .out = &o->no_color,
		  .help = "no colours (also NO_COLOR)" },
		{ .name = "ascii", .type = OPT_FLAG, .out = &o->ascii,
		  .help = "ASCII glyphs only" },
		{ .name = "fps", .type = OPT_INT, .out = &o->fps, .lo = 1, .hi = 60,
		  .metavar = "N", .help = "frames a second (default 10)" },
		{ .name = "no-progress", .type = OPT_FLAG, .out = &o->no_progress,
		  .help = "do not read or write the progress file" },
		{ .name = "version", .type = OPT_FLAG, .out = &version,
		  .help = "print the version" },
		{ .name = NULL },
	};
	const struct opt_cmd cmd = { .name = NULL, .opts = opts, .max_pos = OPT_MAX_POS };

	opt_parse_or_exit(&cmd, argc, argv, args, usage);
	if (o->predict_text != NULL) {	/* the lab knows how many choices it has */
		char *end;
		long v = strtol(o->predict_text, &end, 10);

		o->predict = end != o->predict_text && *end == '\0' && v >= 1 &&
		    v <= LAB_MAX_CHOICES ? (int)v : -1;
	}
	if (version) {
		printf("conclab %s\n", CONCLAB_VERSION);
		exit(0);
	}
}

/* The config file gives defaults; flags win. */
static void
apply_config(struct options *o)
{
	struct config cfg;
	char warn[2048];

	if (config_load(&cfg, warn, sizeof warn) > 0)
		fprintf(stderr, "conclab: %s", warn);
	if (o->fps == 0)
		o->fps = cfg.fps > 0 ? cfg.fps : 10;
	if (o->slow == 0 && cfg.slow > 0)
		snprintf(o->slow_from, sizeof o->slow_from, "slow = %g in %s", cfg.slow,
		    cfg.path);
	if (o->slow == 0)
		o->slow = cfg.slow > 0 ? cfg.slow : 1.0;
	if (cfg.color == 0)
		o->no_color = true;
	if (cfg.ascii == 1)
		o->ascii = true;
}

int
main(int argc, char **argv)
{
	struct options o = { .fps = 0, .format = FORMAT_TEXT, .slow = 0 };
	struct opt_args args;
	char **pos = args.pos, why[160];
	int npos;

#ifndef __linux__
	fputs("conclab: needs Linux (it reads /proc and uses epoll)\n", stderr);
	return 2;
#endif
	lab_exec_names_from(exec_names);
	/* serve and load parse their own flags. */
	if (argc > 1 && strcmp(argv[1], "serve") == 0)
		return cli_serve(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "load") == 0)
		return cli_load(argc - 1, argv + 1);
	if ((npos = cli_trace_dispatch(argc, argv)) >= 0)
		return npos;	/* conclab [global] trace ... */
	if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0')
		o.no_color = true;
	parse_options(argc, argv, &o, &args);
	npos = args.npos;
	apply_config(&o);
	util_catch_stop_signals(&got_signal);
	if (forker_init() < 0)
		die(1, "cannot create a pipe");
	if (npos == 0) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			die(2, "the menu needs a terminal; to run a lab without one use "
			    "'conclab run LAB --headless'");
		if (!ui_can_address(why, sizeof why)) {
			/* no menu to draw: the labs, and how to run one */
			fprintf(stderr, "conclab: %s; the labs are below, run one with "
			    "'conclab run LAB' for its report\n", why);
			return cmd_list();
		}
		return run_dash(&o, NULL);
	}
	if (strcmp(pos[0], "list") == 0)
		return cmd_list();
	if (strcmp(pos[0], "check") == 0)
		return cmd_check(npos - 1, pos + 1);
	if (strcmp(pos[0], "show") == 0)
		return show_main(npos - 1, pos + 1);
	if (strcmp(pos[0], "progress") == 0)
		return progress_main();
	if (strcmp(pos[0], "run") == 0) {
		if (npos != 2)
			die(2, "run needs one LAB (see conclab list)");
		if (!o.headless && o.format == FORMAT_TEXT && o.trace_path == NULL &&
		    o.csv_path == NULL && o.svg_path == NULL && isatty(STDIN_FILENO) &&
		    isatty(STDOUT_FILENO)) {
			if (ui_can_address(why, sizeof why))
				return run_dash(&o, pos[1]);
			fprintf(stderr, "conclab: %s; printing the lab's report instead\n", why);
		}
		return cmd_run(&o, pos[1]);
	}
	if (npos == 1 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		char *path = lab_find(pos[0]);

		if (path != NULL) {
			free(path);
			if (ui_can_address(why, sizeof why))
				return run_dash(&o, pos[0]);
			fprintf(stderr, "conclab: %s; printing the lab's report instead\n", why);
			return cmd_run(&o, pos[0]);
		}
	}
	die(2, "unknown command '%s' (see conclab --help)", pos[0]);
}
