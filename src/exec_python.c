/*
 * exec_python: a lab script under labs/py/ run by a real interpreter
 * (python3, Python 2.7, 3.13t ...), followed from /proc by proctrace: its
 * threads' states, the GIL lane inferred from them, its child processes.
 *
 * The script gets every parameter as `--name value` and reports on the file
 * descriptor named by CONCLAB_FD (labs/py/conclab_lab.py): its threads'
 * native ids and names, its version, `start` and `end` of the measured
 * phase (the run's wall time; the tracer starts at `start`, so interpreter
 * start-up and calibration are left out) and `metric KEY VALUE` lines.
 * An interpreter that is not there skips the run with a reason (exit 0);
 * a script that fails is a failed run with its last line of output.
 * Pausing the lab stops the script's process group (SIGSTOP) until resumed.
 */
#include "exec.h"

#include "clock.h"
#include "exec_pyload.h"
#include "forker.h"
#include "json.h"
#include "proctrace.h"
#include "pyfind.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PY_REPORT_FD 3
#define PY_LINE 256
#define PY_MAX_ARGS (2 * LAB_MAX_PARAMS + 4)
#define PY_START_TIMEOUT_NS (120 * CLOCK_NS_PER_S)	/* start-up and calibration */

static const struct param_spec python_params[] = {
	{ .name = "script", .type = PARAM_STRING, .text_def = "gil.py",
	  .help = "the script, a file in labs/py/" },
	{ .name = "interpreter", .type = PARAM_STRING, .text_def = "python3",
	  .help = "a command found in PATH, or a path (missing: the run is skipped)" },
	EXEC_PARAM_TASKS(3),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	{ .name = "switch_ms", .type = PARAM_INT, .def = 0, .min = 0, .max = 1000,
	  .help = "sys.setswitchinterval in ms (0 = the interpreter's own, 5 ms)" },
	{ .name = "check_ticks", .type = PARAM_INT, .def = 0, .min = 0, .max = 1000000,
	  .help = "Python 2: sys.setcheckinterval, ticks between GIL releases (0 = its own, 100)" },
	{ .name = "jobs", .type = PARAM_INT, .def = 0, .min = 0, .max = 10000000,
	  .help = "tiny jobs handed to a pool (0 = one long task per worker)" },
	{ .name = "workers", .type = PARAM_INT, .def = 0, .min = 0, .max = LAB_MAX_TASKS,
	  .help = "pool processes (0 = the lab's cores)" },
	{ .name = "case", .type = PARAM_ENUM, .def = 0, .choices = "call|inplace",
	  .help = "race: x = x + one() (a call between load and store), or x += 1" },
	{ .name = "count", .type = PARAM_INT, .def = 1000000, .min = 1,
	  .max = 100000000, .help = "race: increments per thread" },
	{ .name = "competitors", .type = PARAM_INT, .def = 0, .min = 0, .max = 8,
	  .help = "convoy: threads computing fib beside the server thread" },
	{ .name = "warmup_ms", .type = PARAM_INT, .def = 0, .min = 0, .max = 10000,
	  .help = "convoy: requests made before the measured time starts, ms" },
	{ .name = "lane", .type = PARAM_ENUM, .def = 0, .choices = "gil|none",
	  .help = "infer the GIL lane (the one thread on a core while others wait)" },
	{ .name = "load", .type = PARAM_ENUM, .def = 0, .choices = "none|perf",
	  .help = "a server script: perf2 alone, then beside perf1, duration_ms each" },
	EXEC_PARAM_END,
};

static const char *const python_metrics[] = {
	"interpreter", "version", "skipped_reason", "serial_s", "threads_s",
	"slowdown", "switches_per_s", "gil_held_pct", "parallel_pct",
	"short_reqs_per_s", "rtt_us", "tasks_per_s", "result_us_p50", "expected",
	"final", "lost_updates", "tracer_cost_pct", "threads", "fast_reqs_per_s_alone",
	"fast_reqs_per_s_contended", "long_latency_s", "gil_enabled",
	"switches_counted_per_s", "voluntary_switches_per_s", "check_interval",
	"ns_per_increment", "cpu_ns_per_increment", "sleeps_per_task", "scheduled_in_per_s",
	NULL,
};

/* What the child needs to exec the script. */
struct py_child {
	char *argv[PY_MAX_ARGS];
	char *pythonpath;	/* with the labs' py/ (conclab_lab.py), or NULL */
	int report_w, out_w;
};

/* A pipe read in lines without blocking. */
struct py_lines {
	int fd;
	char buf[4096];
	size_t len;
	bool eof;
};

struct py_run {
	struct run_ctx *rc;
	pid_t pid;
	struct py_lines report, out;
	struct proctrace *pt;
	char first_out[PY_LINE], last_out[PY_LINE];
	char version[32];
	char early[16][PY_LINE];	/* names said before the tracer started */
	int nearly;
	struct exec_pyload *load;	/* a server script's clients, or NULL */
	int gil;			/* the script said: 1 GIL on, 0 off, -1 not */
	bool started, ended, stopped_sent, load_done;
	bool traced;		/* the tracer followed the run to its end */
	int status;
};

static int
python_child(void *arg)
{
	struct py_child *c = arg;
	int null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(c->out_w, STDOUT_FILENO);
	dup2(c->out_w, STDERR_FILENO);
	dup2(c->report_w, PY_REPORT_FD);
	setenv("CONCLAB_FD", "3", 1);
	setenv("PYTHONUNBUFFERED", "1", 1);
	if (c->pythonpath != NULL)
		setenv("PYTHONPATH", c->pythonpath, 1);
	execv(c->argv[0], c->argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", c->argv[0], strerror(errno));
	return 127;
}

/* PYTHONPATH with the labs' py/ directory, where conclab_lab.py is, so
 * that a script copied beside a lab file needs no copy of it (a copy
 * beside the script comes first: Python puts the script's directory
 * first); NULL when no lab directory has it. */
static char *
python_path(void)
{
	char lib[1024], *slash;
	const char *old = getenv("PYTHONPATH");

	if (!lab_script_find(NULL, "conclab_lab.py", lib, sizeof lib))
		return NULL;
	slash = strrchr(lib, '/');
	*slash = '\0';
	return old != NULL && old[0] != '\0' ? xasprintf("%s:%s", lib, old) : xstrdup(lib);
}

/* Build argv: interpreter script --name value ... (owned strings). */
static void
python_argv(const struct lab_run *run, const char *interp, const char *script,
    struct py_child *c)
{
	int n = 0;
	char val[LAB_TEXT_MAX + 1];

	c->argv[n++] = xstrdup(interp);
	c->argv[n++] = xstrdup(script);
	for (int p = 0; run->exec->params[p].name != NULL && n + 2 < PY_MAX_ARGS; p++) {
		const char *name = run->exec->params[p].name;

		if (run->exec->params[p].type == PARAM_STRING || strcmp(name, "lane") == 0 ||
		    strcmp(name, "load") == 0)
			continue;
		lab_param_format(run, p, val, sizeof val);
		c->argv[n++] = xasprintf("--%s", name);
		c->argv[n++] = xstrdup(val);
	}
	c->argv[n] = NULL;
}

static void
python_free_argv(struct py_child *c)
{
	for (int i = 0; c->argv[i] != NULL; i++)
		free(c->argv[i]);
	free(c->pythonpath);
}

/* The next complete line (without '\n') into out; false when none yet. */
static bool
py_line(struct py_lines *l, char *out, size_t len)
{
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(l->buf, '\n', l->len);
		if (nl != NULL || l->len == sizeof l->buf - 1 || (l->eof && l->len > 0)) {
			size_t k = nl != NULL ? (size_t)(nl - l->buf) : l->len;

			snprintf(out, len, "%.*s", (int)k, l->buf);
			k += nl != NULL;
			memmove(l->buf, l->buf + k, l->len - k);
			l->len -= k;
			return true;
		}
		if (l->eof)
			return false;
		n = read(l->fd, l->buf + l->len, sizeof l->buf - 1 - l->len);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			l->eof = true;
		if (n <= 0 && !l->eof)
			return false;
		if (n > 0)
			l->len += (size_t)n;
	}
}

static bool
python_metric_known(const char *key)
{
	for (int i = 0; python_metrics[i] != NULL; i++)
		if (strcmp(python_metrics[i], key) == 0)
			return true;
	return false;
}

static void python_begin(struct py_run *pr, uint64_t now);

/* The clients measured what they came for (or failed): the server script
 * has done its part and is stopped. */
static void
python_load_end(struct py_run *pr, uint64_t now)
{
	pr->load_done = true;
	if (!pr->ended) {
		pr->ended = true;
		pr->rc->res->t_end = now;
	}
	kill(-pr->pid, SIGTERM);
}

/* One report line from the script. */
static void
python_report(struct py_run *pr, const char *line, uint64_t now)
{
	char key[64], name[TRACE_NAME_LEN];
	double v;
	int tid, used = 0;

	if (sscanf(line, "thread %d %n", &tid, &used) == 1 && used > 0) {
		util_strlcpy(name, line + used, sizeof name);
		if (pr->pt != NULL)
			proctrace_name(pr->pt, tid, name);
	} else if (sscanf(line, "version %31s", pr->version) == 1) {
		;
	} else if (sscanf(line, "gil %d", &tid) == 1) {
		pr->gil = tid != 0;
	} else if (strcmp(line, "start") == 0 && !pr->started) {
		python_begin(pr, now);
	} else if (sscanf(line, "port %d", &tid) == 1 && pr->started && pr->load == NULL &&
	    !pr->load_done && lab_value(pr->rc->run, "load") == 1) {
		pr->load = exec_pyload_start(pr->rc, tid, (uint64_t)lab_value(pr->rc->run,
		    "duration_ms") * CLOCK_NS_PER_MS, now);
		if (pr->load == NULL)
			python_load_end(pr, now);
	} else if (strcmp(line, "end") == 0 && pr->started && !pr->ended) {
		pr->ended = true;
		pr->rc->res->t_end = now;
	} else if (sscanf(line, "metric %63s %lf", key, &v) == 2 && python_metric_known(key)) {
		result_set(pr->rc->res, key, v, v == (double)(long long)v ? 0 : 3);
	}
}

static void
python_begin(struct py_run *pr, uint64_t now)
{
	struct proctrace_opts o = {
		.run = pr->rc->run_index, .hz = PROCTRACE_HZ_MAX, .max_cost = 0.03,
		.descendants = true, .gil_lane = lab_value(pr->rc->run, "lane") == 0,
		.no_gil = pr->gil == 0, .has_gil = pr->gil == 1, .name_wait_ns = CLOCK_NS_PER_S,
	};
	char err[256];

	pr->started = true;
	pr->rc->res->t_start = now;
	/* The run's time starts here, not when the interpreter was launched:
	 * a second run mark moves its band's t = 0 (the latest mark wins). */
	trace_mark(pr->rc->env->tr, TRACE_MARK_RUN, pr->rc->run_index, now, pr->rc->run->name);
	pr->rc->res->first_slot = trace_ntasks(pr->rc->env->tr);
	pr->pt = proctrace_create(pr->rc->env->tr, pr->pid, &o, err, sizeof err);
	for (int i = 0; i < pr->nearly && pr->pt != NULL; i++)
		python_report(pr, pr->early[i], now);
	pr->nearly = 0;
}

/* Read what the script said so far. */
static void
python_drain(struct py_run *pr, uint64_t now)
{
	char line[PY_LINE];

	while (py_line(&pr->report, line, sizeof line)) {
		if (!pr->started && strncmp(line, "thread ", 7) == 0 && pr->nearly < 16)
			util_strlcpy(pr->early[pr->nearly++], line, PY_LINE);
		else
			python_report(pr, line, now);
	}
	while (py_line(&pr->out, line, sizeof line)) {
		if (line[0] == '\0')
			continue;
		if (pr->first_out[0] == '\0')
			util_strlcpy(pr->first_out, line, sizeof pr->first_out);
		util_strlcpy(pr->last_out, line, sizeof pr->last_out);
	}
}

/* The run ended (the script said "end", or a server script's clients are
 * done): its threads are followed no further, each closed at the run's end
 * with its figures then, as its band is.  What the interpreter does after
 * (exit, a main thread printing figures) is not the run's: counted, a
 * thread's run, ready, lock and io summed to more than the run's wall. */
static void
python_trace_end(struct py_run *pr, uint64_t now)
{
	if (pr->pt == NULL || pr->traced || !pr->ended)
		return;
	proctrace_finish(pr->pt, now);
	pr->traced = true;
}

/* Follow the script until it exits: the tracer's ticks once it started,
 * the stop and pause flags. */
static void
python_follow(struct py_run *pr)
{
	struct trace *tr = pr->rc->env->tr;
	uint64_t next = clock_now_ns(), t0 = next, now = next;
	bool paused = false;
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)pr->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid == pr->pid)
			break;
		python_drain(pr, now);
		if (pr->pt != NULL && !pr->traced)
			proctrace_poll(pr->pt, now);
		if (pr->load != NULL && !pr->load_done && exec_pyload_step(pr->load, now))
			python_load_end(pr, now);
		python_trace_end(pr, now);
		if (exec_stopping(pr->rc) ||
		    (!pr->started && now - t0 > PY_START_TIMEOUT_NS)) {
			kill(-pr->pid, SIGKILL);
			pr->stopped_sent = true;
		} else if (at_load_relaxed(&tr->paused) != paused) {
			paused = !paused;
			kill(-pr->pid, paused ? SIGSTOP : SIGCONT);
		}
		if (pr->pt != NULL && !pr->traced) {
			now = proctrace_wait_tick(pr->pt, &next);
		} else {
			clock_sleep_ns(CLOCK_NS_PER_MS);
			now = clock_now_ns();
		}
	}
	now = clock_now_ns();
	if (paused)
		kill(-pr->pid, SIGCONT);
	python_drain(pr, now);
	if (pr->pt != NULL && !pr->traced) {
		proctrace_poll(pr->pt, now);
		python_trace_end(pr, now);
		if (!pr->traced)
			proctrace_finish(pr->pt, now);
	}
	if (!pr->ended)
		pr->rc->res->t_end = now;
	exec_pyload_stop(pr->load);
	pr->load = NULL;
	kill(-pr->pid, SIGKILL);	/* what the script left behind */
	waitpid(pr->pid, &pr->status, 0);
}

static void
python_set_text(struct run_result *res, const char *key, const char *text)
{
	char *json;
	size_t len;
	FILE *f = open_memstream(&json, &len);

	json_write_escaped(f, text);
	fclose(f);
	result_set_json(res, key, json);
	free(json);
}

/* The figures the tracer and the script's numbers give. */
static void
python_metrics_fill(struct py_run *pr, const char *interp)
{
	struct run_result *res = pr->rc->res;
	double wall = exec_wall_s(pr->rc);
	const struct metric *serial = result_get(res, "serial_s");
	uint64_t sw, held, par, span, ticks, cost;

	python_set_text(res, "interpreter", interp);
	if (pr->version[0] != '\0')
		python_set_text(res, "version", pr->version);
	if (pr->gil >= 0)
		result_set(res, "gil_enabled", pr->gil, 0);
	if (pr->pt == NULL || wall <= 0)
		return;
	res->nslots = trace_ntasks(pr->rc->env->tr) - res->first_slot;
	result_set(res, "threads", proctrace_nthreads(pr->pt), 0);
	if (serial != NULL && serial->value > 0)
		result_set(res, "slowdown", wall / serial->value, 2);
	cost = proctrace_cost_ns(pr->pt, &ticks);
	result_set(res, "tracer_cost_pct", 100.0 * (double)cost / (wall * 1e9), 2);
	if (lab_value(pr->rc->run, "lane") != 0)
		return;
	proctrace_lane_stats(pr->pt, &sw, &held, &par, &span);
	if (span > 0)
		result_set(res, "parallel_pct", 100.0 * (double)par / (double)span, 1);
	/* Without a GIL (free-threaded, or threads that ran at once before any
	 * sign of a lock) there is no lock to hold or hand off. */
	if (pr->gil == 0 || proctrace_threads_at_once(pr->pt))
		return;
	/* the threads' wake-ups per second bound the handoffs from above; the
	 * samples' count is left out when most handoffs were too short for
	 * them (walk7 H12: 1.7 a second beside 3,108 requests a second) */
	result_set(res, "scheduled_in_per_s", (double)proctrace_root_wakes(pr->pt) / wall, 0);
	if (proctrace_switches_counted(pr->pt))
		result_set(res, "switches_per_s", (double)sw / wall, 0);
	if (span > 0)
		result_set(res, "gil_held_pct", 100.0 * (double)held / (double)span, 1);
}

/* Skip the run: the interpreter is not there. */
static int
python_skip(struct run_ctx *rc, const char *reason)
{
	rc->res->skipped = true;
	util_strlcpy(rc->res->skipped_reason, reason, sizeof rc->res->skipped_reason);
	python_set_text(rc->res, "skipped_reason", reason);
	return 0;
}

/* How the script ended: 0, a skip (the interpreter could not start), or
 * -1 with the error. */
static int
python_outcome(struct py_run *pr, const char *interp, const char *script)
{
	struct run_result *res = pr->rc->res;
	int st = pr->status;

	if (pr->stopped_sent && exec_stopping(pr->rc))
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && pr->started)
		return 0;
	/* a server script ends when its clients are done: stopped, not failed */
	if (pr->load_done)
		return res->error[0] != '\0' ? -1 : 0;
	/* 127: not found (a pyenv shim without that version says so too). */
	if (pr->version[0] == '\0' && WIFEXITED(st) &&
	    (WEXITSTATUS(st) == 127 || WEXITSTATUS(st) == 126)) {
		char reason[sizeof res->skipped_reason];

		util_err(reason, sizeof reason, "%s did not start: %s (--set "
		    "%s.interpreter=PATH names another)", interp,
		    pr->first_out[0] ? pr->first_out : "no output", pr->rc->run->name);
		return python_skip(pr->rc, reason);
	}
	if (pr->stopped_sent)
		util_err(res->error, sizeof res->error,
		    "%s never reported its start (in %d s)", script,
		    (int)(PY_START_TIMEOUT_NS / CLOCK_NS_PER_S));
	else if (WIFSIGNALED(st))
		util_err(res->error, sizeof res->error, "%s was killed by signal %d: %s",
		    script, WTERMSIG(st), pr->last_out);
	else
		util_err(res->error, sizeof res->error, "%s exited with status %d: %s",
		    script, WIFEXITED(st) ? WEXITSTATUS(st) : -1, pr->last_out);
	return -1;
}

static int
python_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	return 0;
}

static int
python_run(struct run_ctx *rc)
{
	const char *name = lab_string(rc->run, "interpreter");
	const char *sname = lab_string(rc->run, "script");
	char interp[512], script[1024];
	struct py_child c = { .argv = { NULL } };
	struct py_run *pr = xcalloc(1, sizeof *pr);
	int rep[2] = { -1, -1 }, out[2] = { -1, -1 }, rc_out;

	if (!pyfind_resolve(name, interp, sizeof interp)) {
		char reason[sizeof rc->res->skipped_reason];

		if (strchr(name, '/') != NULL)
			util_err(reason, sizeof reason, "interpreter %s: not there or "
			    "not executable", name);
		else
			util_err(reason, sizeof reason, "interpreter %s: not found in "
			    "PATH (--set %s.interpreter=PATH names it)", name, rc->run->name);
		free(pr);
		return python_skip(rc, reason);
	}
	if (!lab_script_find(rc->run->dir, sname, script, sizeof script)) {
		util_err(rc->res->error, sizeof rc->res->error, "%s", script);
		free(pr);
		return -1;
	}
	if (python_pipe(rep) < 0 || python_pipe(out) < 0) {
		util_err(rc->res->error, sizeof rc->res->error, "pipe: %s", strerror(errno));
		rc_out = -1;
		goto out_close;
	}
	python_argv(rc->run, interp, script, &c);
	c.pythonpath = python_path();
	c.report_w = rep[1];
	c.out_w = out[1];
	pr->rc = rc;
	pr->gil = -1;
	pr->pid = forker_fork(python_child, &c);
	close(rep[1]);
	close(out[1]);
	rep[1] = out[1] = -1;
	if (pr->pid < 0) {
		util_err(rc->res->error, sizeof rc->res->error, "fork: %s", strerror(errno));
		rc_out = -1;
		goto out_free;
	}
	pr->report.fd = rep[0];
	pr->out.fd = out[0];
	python_follow(pr);
	rc_out = python_outcome(pr, interp, sname);
	if (!rc->res->skipped)
		python_metrics_fill(pr, interp);
	proctrace_destroy(pr->pt);
out_free:
	python_free_argv(&c);
out_close:
	for (int i = 0; i < 2; i++) {
		if (rep[i] >= 0)
			close(rep[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	free(pr);
	return rc_out;
}

/* A server script (load = perf) is driven by conclab's clients: of the
 * table it reads only these (walk 7 H2: --set tasks=4 changed nothing). */
static const char *
python_unused(const struct lab_run *run, const char *key)
{
	static const char *const server_keys[] = { "script", "interpreter", "duration_ms",
		"switch_ms", "check_ticks", "lane", "load" };

	if (lab_value(run, "load") != 1)
		return NULL;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(server_keys); i++)
		if (strcmp(key, server_keys[i]) == 0)
			return NULL;
	return "a server script (load = perf) uses only script, interpreter, "
	    "duration_ms, switch_ms and check_ticks";
}

const struct exec_ops exec_python = {
	.info = {
		.name = "python",
		.title = "a lab script run by a real Python interpreter, traced from /proc",
		.params = python_params,
		.metrics = python_metrics,
		.unused = python_unused,
	},
	.run = python_run,
};
