/*
 * cli_trace: `conclab trace -- CMD [ARGS]` and `conclab trace -p PID`: any
 * program's threads (C, Python, Java ...), followed from /proc by proctrace
 * until it exits, Ctrl-C or --seconds; then a table per thread: run, ready
 * (exact, schedstat), lock (blocked in futex), io (blocked in another call).
 *
 * With `--`, the command is conclab's child: a Ctrl-C from the terminal
 * reaches it too (same process group); a SIGINT or SIGTERM sent to conclab
 * alone is passed on to it; either way conclab waits for it to exit (a
 * second signal kills it).  With -p the process is left alone: conclab just
 * stops looking.  The child may name its threads: it gets CONCLAB_FD, a
 * pipe for lines "thread TID NAME" (labs/py/conclab_lab.py writes them).
 */
#include "cli.h"

#include "clock.h"
#include "exec.h"
#include "export.h"
#include "json.h"
#include "opt.h"
#include "proctrace.h"
#include "trace_screen.h"
#include "trace_table.h"
#include "ui.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#define TR_MAX_SECONDS 3600.0
#define TR_NAMES_FD 63

static volatile sig_atomic_t tr_signal, tr_signals;
static volatile sig_atomic_t tr_from_user;

static void
tr_on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	tr_signal = sig;
	tr_signals++;
	/* A Ctrl-C at the terminal reached the child too; a kill(2) did not. */
	tr_from_user = si != NULL && si->si_code == SI_USER;
}

struct tr_opts {
	int pid, hz, format;
	double seconds;
	bool headless, no_color, ascii;
	const char *exports[3];		/* --trace, --csv, --svg paths, or NULL */
	struct trace_screen *screen;	/* the live screen, NULL headless */
	struct tr_out *out;		/* the command's output meanwhile, or NULL */
};

static void
tr_usage(const struct opt_cmd *cmd, FILE *f)
{
	fputs("usage: conclab trace [options] -- CMD [ARGS]\n"
	    "       conclab trace [options] -p PID\n", f);
	opt_usage(cmd, f);
	fprintf(f, "Follows the program's threads (and child processes) from /proc and\n"
	    "prints, per thread, the time it ran, waited for a core (ready), waited\n"
	    "in futex (lock: a mutex, a condition, the GIL) and in any other system\n"
	    "call (io), live on the lab screen's timeline (with --headless, or\n"
	    "without a terminal, only the table at the end).  Ctrl-C (or q) stops\n"
	    "tracing; a command started with -- gets the signal and is waited for,\n"
	    "a process given with -p is left alone.  The command may name its\n"
	    "threads: lines 'thread TID NAME' on the file descriptor CONCLAB_FD.\n"
	    "Limits: %d threads and %d processes (the rest is not traced, and the\n"
	    "table says so), %.0f seconds.\n", PROCTRACE_MAX_THREADS, PROCTRACE_MAX_PROCS,
	    TR_MAX_SECONDS);
}

/* Count the threads of pid; -1 when it cannot be read. */
static int
tr_count_threads(pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* out_w for a headless JSON report: the program's standard output goes to
 * conclab's standard error, so that standard output holds only the JSON. */
#define TR_OUT_TO_STDERR (-2)

/* Fork and exec argv with the names pipe as CONCLAB_FD; returns once the
 * exec happened (the tracer then sees the program, not conclab).  out_w:
 * the live screen's pipe for the program's output, TR_OUT_TO_STDERR, or -1
 * (the program keeps conclab's).  Dies (exit 2) when the command cannot be
 * run. */
static pid_t
tr_spawn(char **argv, int names_w, int out_w)
{
	int ex[2];
	char msg[256] = "";
	ssize_t n;
	pid_t pid;

	if (pipe2(ex, O_CLOEXEC) != 0)
		die(1, "cannot create a pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die(1, "cannot fork: %s", strerror(errno));
	if (pid == 0) {
		close(ex[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		util_default_stop_signals();
		if (dup2(names_w, TR_NAMES_FD) >= 0)
			setenv("CONCLAB_FD", "63", 1);
		if (out_w >= 0) {	/* the live screen has the terminal */
			int null = open("/dev/null", O_RDONLY);

			if (null >= 0)
				dup2(null, STDIN_FILENO);
			dup2(out_w, STDOUT_FILENO);
			dup2(out_w, STDERR_FILENO);
		} else if (out_w == TR_OUT_TO_STDERR) {
			dup2(STDERR_FILENO, STDOUT_FILENO);
		}
		execvp(argv[0], argv);
		dprintf(ex[1], "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(ex[1]);
	n = read(ex[0], msg, sizeof msg - 1);
	close(ex[0]);
	if (n > 0) {
		msg[n] = '\0';
		waitpid(pid, NULL, 0);
		die(2, "%s", msg);
	}
	return pid;
}

/* Names the program reported on the pipe ("thread TID NAME"). */
static void
tr_names(struct proctrace *pt, int fd, char *buf, size_t *len, size_t cap)
{
	ssize_t n = read(fd, buf + *len, cap - 1 - *len);
	char *line = buf, *nl;

	if (n > 0)
		*len += (size_t)n;
	buf[*len] = '\0';
	while ((nl = strchr(line, '\n')) != NULL) {
		int tid, used = 0;

		*nl = '\0';
		if (sscanf(line, "thread %d %n", &tid, &used) == 1 && used > 0)
			proctrace_name(pt, tid, line + used);
		line = nl + 1;
	}
	*len -= (size_t)(line - buf);
	memmove(buf, line, *len);
	if (*len == cap - 1)
		*len = 0;	/* a line too long: dropped */
}

/* The process's own CPU time from /proc/PID/stat (utime + stime), s; -1
 * when it cannot be read (it ended and was reaped). */
static double
tr_process_cpu(pid_t pid)
{
	char path[64], buf[1024];
	struct proctrace_stat st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (proctrace_parse_stat(buf, &st) < 0)
		return -1;
	return (double)(st.utime + st.stime) / (double)sysconf(_SC_CLK_TCK);
}

/* The command's output while the live screen has the terminal: the last
 * TR_OUT_KEEP bytes, printed once the screen is gone. */
#define TR_OUT_KEEP 16384
struct tr_out {
	int fd;
	char buf[TR_OUT_KEEP];
	size_t len;
	bool cut;		/* older output was dropped */
};

static void
tr_out_read(struct tr_out *o)
{
	char chunk[4096];
	ssize_t n;

	while (o->fd >= 0 && (n = read(o->fd, chunk, sizeof chunk)) > 0) {
		size_t k = (size_t)n;

		if (o->len + k > sizeof o->buf) {
			size_t drop = o->len + k - sizeof o->buf;

			if (drop > o->len)
				drop = o->len;
			memmove(o->buf, o->buf + drop, o->len - drop);
			o->len -= drop;
			o->cut = true;
		}
		k = k > sizeof o->buf ? sizeof o->buf : k;
		memcpy(o->buf + o->len, chunk + n - (ssize_t)k, k);
		o->len += k;
	}
}

/* What tr_follow needs besides the options: the trace, the lab it is
 * shown as, and what stops the command. */
struct tr_run {
	struct proctrace *pt;
	struct trace *tr;
	const struct lab *lab;
	pid_t pid, child;	/* child: the command's pid, 0 for -p */
	int names_r;
	uint64_t t0;
	int asks;		/* times tracing was asked to stop */
	uint64_t kill_at;	/* SIGKILL the command then, 0 not yet asked */
	int stop_sig;		/* the signal that stopped tracing, 0 none (q) */
	bool hide[LAB_MAX_ROWS];	/* per trace slot: a quiet process's row */
};

static int tr_export(const char *const paths[3], const struct tr_run *t, double wall);

/* Stop tracing (a signal, or q): a command started with -- is sent sig
 * when send (a Ctrl-C at the terminal reached it already), and killed 2 s
 * after a second request if it has not ended by then. */
static void
tr_ask_stop(struct tr_run *t, int sig, bool send, uint64_t now)
{
	t->asks++;
	if (t->child == 0)
		return;
	if (send)
		kill(t->child, sig);
	if (t->asks > 1 && t->kill_at == 0)
		t->kill_at = now + 2 * CLOCK_NS_PER_S;
}

/* e on the live screen: the exports into the current directory. */
static void
tr_export_now(struct tr_run *t, struct trace_screen *ts, uint64_t now)
{
	char stamp[32], names[3][64], msg[300], cwd[200];
	const char *paths[3] = { names[0], names[1], names[2] };
	time_t tt = time(NULL);
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(stamp, sizeof stamp, "%H%M%S", &tm);
	snprintf(names[0], sizeof names[0], "conclab-trace-%s.json", stamp);
	snprintf(names[1], sizeof names[1], "conclab-trace-%s.csv", stamp);
	snprintf(names[2], sizeof names[2], "conclab-trace-%s.svg", stamp);
	if (tr_export(paths, t, (double)(now - t->t0) / 1e9) < 0)
		snprintf(msg, sizeof msg, "export failed: see the message after the table");
	else
		snprintf(msg, sizeof msg, "wrote %s .csv .svg in %s", names[0],
		    getcwd(cwd, sizeof cwd) != NULL ? cwd : "the current directory");
	trace_screen_say(ts, msg);
}

/* One frame of the live screen, and what its keys asked for: true for q. */
static bool
tr_frame(struct tr_run *t, const struct tr_opts *o, uint64_t now)
{
	uint64_t ticks, cost = proctrace_cost_ns(t->pt, &ticks);
	int shown = trace_table_shown(t->pt, t->hide, LAB_MAX_ROWS);

	trace_screen_hide(o->screen, t->hide, proctrace_nthreads(t->pt) - shown);
	trace_screen_unseen(o->screen, proctrace_unseen(t->pt));
	trace_screen_lane(o->screen, proctrace_lane_drawn(t->pt));
	switch (trace_screen_frame(o->screen, now, shown,
	    100.0 * (double)cost / (double)(now - t->t0 + 1))) {
	case TRACE_SCREEN_QUIT:
		return true;
	case TRACE_SCREEN_EXPORT:
		tr_export_now(t, o->screen, now);
		return false;
	case TRACE_SCREEN_HANGUP:
		/* The terminal went away, and only its session leader got SIGHUP:
		 * as if it had reached us, sent on to the command, which is killed
		 * 2 s later (no one is left to ask twice). */
		tr_signal = SIGHUP;
		tr_from_user = 1;
		tr_signals++;
		t->stop_sig = SIGHUP;
		if (t->child > 0 && t->kill_at == 0)
			t->kill_at = now + 2 * CLOCK_NS_PER_S;
		return false;
	default:
		return false;
	}
}

/* Follow until the end; fills r. */
static void
tr_follow(struct tr_run *t, const struct tr_opts *o, struct trace_table_result *r)
{
	uint64_t next = t->t0, now = t->t0, last_frame = 0, ticks, term_at;
	char names[4096];
	size_t nlen = 0;
	siginfo_t si;
	int forwarded = 0;
	bool limited = false;

	term_at = t->t0 + (uint64_t)((o->seconds > 0 ? o->seconds : TR_MAX_SECONDS) * 1e9);
	r->why = "the program exited";
	for (;;) {
		if (t->names_r >= 0)
			tr_names(t->pt, t->names_r, names, &nlen, sizeof names);
		if (t->child > 0) {
			memset(&si, 0, sizeof si);
			if (waitid(P_PID, (id_t)t->child, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    si.si_pid == t->child)
				break;
		}
		if (proctrace_poll(t->pt, now) == 0 && t->child == 0)
			break;
		if (tr_signals > forwarded) {
			forwarded = tr_signals;
			r->why = "stopped by a signal";
			t->stop_sig = tr_signal;
			tr_ask_stop(t, tr_signal, tr_from_user, now);
			if (t->child == 0)
				break;
		}
		if (now >= term_at && !limited) {
			limited = true;
			r->why = o->seconds > 0 ? "--seconds reached" : "the time limit reached";
			if (t->child == 0)
				break;
			kill(t->child, SIGTERM);
			t->kill_at = now + 5 * CLOCK_NS_PER_S;
		}
		if (t->kill_at != 0 && now >= t->kill_at && !r->killed) {
			kill(t->child, SIGKILL);
			r->killed = true;
		}
		if (o->out != NULL)
			tr_out_read(o->out);
		if (o->screen != NULL && now - last_frame >= CLOCK_NS_PER_S / 10) {
			last_frame = now;
			if (tr_frame(t, o, now)) {
				r->why = "stopped with q";
				tr_ask_stop(t, SIGINT, true, now);
				if (t->child == 0)
					break;
			}
		}
		now = proctrace_wait_tick(t->pt, &next);
	}
	now = clock_now_ns();
	proctrace_poll(t->pt, now);
	r->wall = (double)(now - t->t0) / 1e9;
	proctrace_finish(t->pt, now);
	/* A share of a core means little over less than a tenth of a second
	 * (the first look at /proc is most of it): unknown then. */
	r->cost_pct = r->wall >= 0.1 ? 100.0 * (double)proctrace_cost_ns(t->pt, &ticks) /
	    1e9 / r->wall : -1;
}

static void
tr_signals_on(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = tr_on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	util_stop_signals_action(&sa);	/* SIGQUIT too: Ctrl-\ restores the terminal */
}

/* Start the command (--) or check the process (-p): its pid, the names
 * pipe's read end (-1 for -p), what to call it; the command's output goes
 * to o->out when the live screen will have the terminal. */
static pid_t
tr_start(struct tr_opts *o, char **cmd, bool screen, int *names_r, char *what,
    size_t wlen, pid_t *child)
{
	int names[2], out[2], nthreads;
	pid_t pid;

	*names_r = -1;
	*child = 0;
	if (o->pid > 0) {
		pid = o->pid;
		nthreads = tr_count_threads(pid);
		if (nthreads < 0)
			die(2, "no process %d to trace (or /proc/%d is not readable)", (int)pid,
			    (int)pid);
		if (nthreads > PROCTRACE_MAX_THREADS)
			die(2, "process %d has %d threads; conclab trace follows at most %d",
			    (int)pid, nthreads, PROCTRACE_MAX_THREADS);
		proctrace_what(pid, what, wlen);
		return pid;
	}
	if (pipe2(names, O_CLOEXEC) != 0 || (screen && pipe2(out, O_CLOEXEC) != 0))
		die(1, "cannot create a pipe: %s", strerror(errno));
	fcntl(names[0], F_SETFL, O_NONBLOCK);
	if (screen) {
		o->out = xcalloc(1, sizeof *o->out);
		o->out->fd = out[0];
		fcntl(out[0], F_SETFL, O_NONBLOCK);
	}
	pid = *child = tr_spawn(cmd, names[1],
	    screen ? out[1] : o->format == 1 ? TR_OUT_TO_STDERR : -1);
	close(names[1]);
	if (screen)
		close(out[1]);
	*names_r = names[0];
	snprintf(what, wlen, "%s (pid %d)", cmd[0], (int)pid);
	return pid;
}

/* Print what the command wrote while the screen had the terminal. */
static void
tr_out_flush(struct tr_out *out)
{
	if (out == NULL)
		return;
	tr_out_read(out);
	if (out->len > 0) {
		printf("--- the command's output%s:\n", out->cut ? " (its end)" : "");
		fwrite(out->buf, 1, out->len, stdout);
		if (out->buf[out->len - 1] != '\n')
			putchar('\n');
		puts("---");
	}
	close(out->fd);
	free(out);
}

/* The traced program as a lab of one run, "trace", for the views and the
 * exports (the title is the lab's to free with lab_free). */
static void
tr_lab(struct lab *lab, const char *what)
{
	memset(lab, 0, sizeof *lab);
	util_strlcpy(lab->id, "trace", sizeof lab->id);
	lab->title = xasprintf("conclab trace: %s", what);
	lab->nruns = 1;
	util_strlcpy(lab->runs[0].name, "trace", sizeof lab->runs[0].name);
	lab->runs[0].exec = exec_info("python");
	lab_param_defaults(&lab->runs[0]);
	lab->runs[0].selected = true;
}

/* The exports a lab run writes, of the trace, into each path given
 * (--trace, --csv, --svg, or e's names); -1 when one could not be written
 * (said on stderr). */
static int
tr_export(const char *const paths[3], const struct tr_run *t, double wall)
{
	static const enum export_kind kinds[3] = { EXPORT_CHROME, EXPORT_CSV, EXPORT_SVG };
	struct run_result *res = xcalloc(LAB_MAX_RUNS, sizeof *res);
	struct report_info info;
	struct work_calib cal;
	cpu_set_t cpus;
	char err[512];
	int rc = 0;

	memset(&info, 0, sizeof info);
	memset(&cal, 0, sizeof cal);
	cpus_allowed(&cpus);
	report_machine(&info, &cpus, &cal);
	info.lab = t->lab;
	info.tr = t->tr;
	info.results = res;
	res[0].run = &t->lab->runs[0];
	res[0].started = res[0].finished = true;
	res[0].t_start = t->t0;
	res[0].t_end = t->t0 + (uint64_t)(wall * 1e9);
	res[0].wall_s = wall;
	res[0].nslots = trace_ntasks(t->tr);
	for (int i = 0; i < proctrace_nthreads(t->pt); i++) {
		struct proctrace_info in;

		proctrace_info(t->pt, i, &in);
		res[0].cpu_s += (double)in.run_ns / 1e9;
	}
	res[0].avg_cores_busy = wall > 0 ? res[0].cpu_s / wall : 0;
	for (int k = 0; k < 3; k++)
		if (paths[k] != NULL &&
		    export_write(paths[k], kinds[k], &info, NULL, err, sizeof err) < 0) {
			fprintf(stderr, "conclab: %s\n", err);
			rc = -1;
		}
	free(res);
	return rc;
}

/* After the end: the CPU the process used while traced, the command
 * reaped, the last picture kept until q. */
static void
tr_end(struct tr_run *t, struct tr_opts *o, struct trace_table_result *r, double cpu0)
{
	char line[200];
	/* the process's CPU in the traced window, from the kernel's account (a
	 * zombie child still has it): the command's whole life, or -p's window */
	double cpu1 = tr_process_cpu(t->pid);

	if (cpu1 >= 0 && (t->child > 0 || cpu0 >= 0)) {
		r->proc_cpu = t->child > 0 ? cpu1 : cpu1 - cpu0;
		r->cpu_source = t->child > 0 ? "its CPU time (/proc/PID/stat)" :
		    "its CPU time while traced (/proc/PID/stat)";
	}
	if (t->child > 0)
		waitpid(t->child, &r->status, 0);
	if (o->screen == NULL || tr_signals > 0 || strcmp(r->why, "stopped with q") == 0)
		return;
	trace_table_end_line(r, line, sizeof line);
	if (line[0] == '\0')
		snprintf(line, sizeof line, "%s", r->why);
	if (proctrace_unseen(t->pt) > 0) {
		char unseen[160];

		trace_table_unseen_line(proctrace_unseen(t->pt), unseen, sizeof unseen);
		util_appendf(line, sizeof line, "; %s", unseen);
	}
	trace_screen_end(o->screen, t->t0 + (uint64_t)(r->wall * 1e9), line);
	while (tr_signals == 0) {
		uint64_t now = clock_now_ns();

		if (tr_frame(t, o, now))
			break;
		if (o->out != NULL)
			tr_out_read(o->out);
		clock_sleep_ns(CLOCK_NS_PER_S / 20);
	}
}

/* conclab's exit status: the command's own with --, as a shell gives it
 * (its exit status, or 128 + the signal that ended it); with -p, 0, or
 * 128 + the signal that stopped tracing. */
static int
tr_status(const struct tr_run *t, const struct trace_table_result *r)
{
	if (t->child > 0 && WIFEXITED(r->status))
		return WEXITSTATUS(r->status);
	if (t->child > 0 && WIFSIGNALED(r->status))
		return 128 + WTERMSIG(r->status);
	return t->stop_sig > 0 ? 128 + t->stop_sig : 0;
}

int
cli_trace_run(int argc, char **argv)
{
	struct tr_opts o = { .pid = 0, .hz = PROCTRACE_HZ_MAX, .format = 0 };
	const struct opt opts[] = {
		{ "pid", OPT_INT, &o.pid, .lo = 1, .hi = 1 << 30, .metavar = "PID",
		  .help = "(or -p PID) trace this running process, left alone" },
		{ "headless", OPT_FLAG, &o.headless,
		  .help = "no live screen; print the table at the end" },
		{ "no-color", OPT_FLAG, &o.no_color, .help = "no colours on the live screen" },
		{ "ascii", OPT_FLAG, &o.ascii, .help = "ASCII only on the live screen" },
		{ "format", OPT_CHOICE, &o.format, .choices = "text|json",
		  .help = "the table as text (default) or JSON" },
		{ "hz", OPT_INT, &o.hz, .lo = 1, .hi = PROCTRACE_HZ_MAX, .metavar = "N",
		  .help = "samples per second (default 1000)" },
		{ "seconds", OPT_DOUBLE, &o.seconds, .lo = 0, .hi = TR_MAX_SECONDS,
		  .lo_open = true, .metavar = "S", .help = "stop after S seconds" },
		{ "trace", OPT_STRING, &o.exports[0], .metavar = "FILE.json",
		  .help = "write a Chrome trace (Perfetto) of the threads' states" },
		{ "csv", OPT_STRING, &o.exports[1], .metavar = "FILE",
		  .help = "write the state intervals as CSV" },
		{ "svg", OPT_STRING, &o.exports[2], .metavar = "FILE",
		  .help = "write the timeline as SVG" },
		{ NULL },
	};
	const struct opt_cmd cmd = { .name = "trace", .opts = opts, .dashdash = true };
	struct proctrace_opts po = { .hz = 0, .max_cost = 0.03, .descendants = true,
		.gil_lane = true, .name_wait_ns = CLOCK_NS_PER_S, .rename_slots = true };
	struct trace_table_result r = { .status = -1, .proc_cpu = -1 };
	struct opt_args args;
	struct tr_run t;
	char err[256], what[256];
	const char *nc = getenv("NO_COLOR");
	struct lab lab;
	double cpu0;
	int rc;
	bool screen;

	/* -p is the one short option (ps, strace, perf spell it so). */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-p") == 0)
			argv[i] = (char *)"--pid";
	opt_parse_or_exit(&cmd, argc, argv, &args, tr_usage);
	if ((o.pid > 0) == (args.rest < argc))
		die(2, "trace needs either -p PID or -- CMD [ARGS] (see conclab trace --help)");
	po.hz = o.hz;
	screen = !o.headless && isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) &&
	    ui_can_address(err, sizeof err);
	memset(&t, 0, sizeof t);
	t.tr = trace_create(err, sizeof err);
	if (t.tr == NULL)
		die(1, "%s", err);
	tr_signals_on();
	t.pid = tr_start(&o, argv + args.rest, screen, &t.names_r, what, sizeof what,
	    &t.child);
	r.pid = t.pid;
	cpu0 = tr_process_cpu(t.pid);
	t.pt = proctrace_create(t.tr, t.pid, &po, err, sizeof err);
	if (t.pt == NULL) {
		if (t.child > 0)
			kill(t.child, SIGKILL), waitpid(t.child, NULL, 0);
		die(2, "%s", err);
	}
	tr_lab(&lab, what);
	t.lab = &lab;
	if (screen)
		o.screen = trace_screen_open(t.tr, &lab, what, o.no_color || (nc != NULL &&
		    nc[0] != '\0'), o.ascii, err, sizeof err);
	trace_screen_follow(o.screen, t.pid, NULL);	/* its share of the cores */
	t.t0 = clock_now_ns();
	tr_follow(&t, &o, &r);
	tr_end(&t, &o, &r, cpu0);
	trace_screen_close(o.screen);
	tr_out_flush(o.out);
	if (o.format == 1)
		trace_table_json(stdout, t.pt, &r);
	else
		trace_table_text(stdout, t.pt, &r, what);
	rc = tr_status(&t, &r);
	if (tr_export(o.exports, &t, r.wall) < 0 && rc == 0)
		rc = 1;
	lab_free(&lab);
	proctrace_destroy(t.pt);
	if (t.names_r >= 0)
		close(t.names_r);
	trace_destroy(t.tr);
	return rc;
}

/* Global options that may come before `trace`: those trace takes too
 * (passed on), and those that mean nothing to it (dropped, with their
 * value when they take one). */
static const struct { const char *name; bool pass, value; } tr_globals[] = {
	{ "--no-color", true, false }, { "--ascii", true, false },
	{ "--headless", true, false }, { "--format", true, true },
	{ "--fps", false, true }, { "--no-progress", false, false },
};

int
cli_trace_dispatch(int argc, char **argv)
{
	char **args = xcalloc((size_t)argc + 1, sizeof *args);
	int i = 1, n = 0, rc;

	args[n++] = (char *)"trace";
	while (i < argc && strcmp(argv[i], "trace") != 0) {
		size_t g = 0;

		while (g < UTIL_ARRAY_LEN(tr_globals) && strcmp(argv[i], tr_globals[g].name) != 0)
			g++;
		if (g == UTIL_ARRAY_LEN(tr_globals) || (tr_globals[g].value && i + 1 >= argc))
			break;
		if (tr_globals[g].pass)
			args[n++] = argv[i];
		if (tr_globals[g].value && tr_globals[g].pass)
			args[n++] = argv[i + 1];
		i += 1 + tr_globals[g].value;
	}
	if (i >= argc || strcmp(argv[i], "trace") != 0) {
		free(args);
		return -1;
	}
	for (i++; i < argc; i++)
		args[n++] = argv[i];
	rc = cli_trace_run(n, args);
	free(args);
	return rc;
}
