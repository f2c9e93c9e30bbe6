/*
 * dash: the frame loop.  One main thread owns the terminal, the samplers
 * and the snapshot; the lab runs in the exec_runner thread and its tasks only
 * write the trace.  The lab the runner reads is never changed while it runs:
 * settings (+/-, [/]) apply to the next run, which rebuilds the lab from its
 * file, the --set options and the settings.
 */
#include "canvas.h"
#include "clock.h"
#include "config.h"
#include "cpus.h"
#include "dash.h"
#include "exec.h"
#include "export.h"
#include "forker.h"
#include "lab.h"
#include "meter.h"
#include "outpane.h"
#include "report.h"
#include "sample.h"
#include "trace.h"
#include "ui.h"
#include "util.h"
#include "view.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TASK_BUDGET 32		/* schedstat reads per frame, in rotation */
#define MAX_TASKS_SETTING 64

struct dash {
	struct dash_opts opts;		/* the options, normalised */
	const struct dash_opts *o;	/* = &opts */
	volatile sig_atomic_t *sig;
	struct canvas *cv;
	bool headless;			/* bench: no terminal */
	struct lab *labs;		/* the menu */
	int nlabs, menu_sel;
	bool in_lab, have_lab, quit;
	struct lab lab;			/* the lab on screen, as it runs */
	char path[512];
	int tasks, work_ms;		/* settings; 0 = the lab has none */
	int sel_run, scroll;
	bool help, calibrated;
	struct exec_env env;
	struct exec_runner *runner;
	bool running, finished;
	char *explain;
	struct core_sampler *cores;
	struct task_sampler *ts;
	int cpu_ids[CPUS_MAX], ncpu;
	char message[160];
	uint64_t message_until;
	uint64_t cpu_t0, wall_t0;	/* own CPU measurement window */
	double own_pct;
	double rss_mb;			/* conclab's resident memory, MB (0 unknown) */
	struct progress prog;		/* the self-paced path */
	bool asking;			/* the prediction question waits */
	int predict;			/* the student's choice, 0 none */
	bool predict_used;		/* --predict went to the first lab */
	int run_only;			/* the run in progress: -1 the whole lab */
	bool paused, focus;
	uint64_t pause_t0;		/* when the pause began */
	uint64_t t_end;			/* when the last run ended: the picture stops there */
	int nuser_marks;
	int lesson_scroll;
	struct core_series *series;	/* core use of the last run, for exports */
	char (*out)[OUTPANE_LINE_LEN];	/* output pane copy */
	int nout;
	struct meter_set meters;	/* load generators: requests/s per client */
};


/* conclab's resident memory in MB (it grows with a thread per connection,
 * not with an event loop): read from /proc/self/statm; 0 when unreadable. */
static double
dash_rss_mb(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (f == NULL)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	if (n != 2)
		return 0;
	return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}
static struct trace *dash_trace;

static void
dash_cleanup(void)
{
	if (dash_trace != NULL)
		trace_stop(dash_trace);
}

static void
say(struct dash *d, const char *msg)
{
	util_strlcpy(d->message, msg, sizeof d->message);
	d->message_until = clock_now_ns() + 3 * CLOCK_NS_PER_S;
}

/* Load d->lab from its file with the --set and --only options; settings
 * then change values in this parsed copy (lab_set_every). */
static int
build_lab(struct dash *d, char *err, size_t errlen)
{
	if (d->have_lab)
		lab_free(&d->lab);
	d->have_lab = false;
	if (lab_load(d->path, exec_info, &d->lab, err, errlen) < 0)
		return -1;
	d->have_lab = true;
	for (int i = 0; i < d->o->nsets; i++)
		if (lab_set(&d->lab, d->o->sets[i], err, errlen) < 0)
			return -1;
	if (d->o->only != NULL && lab_run_find(&d->lab, d->o->only) != NULL &&
	    lab_only(&d->lab, d->o->only, err, errlen) < 0)
		return -1;
	return 0;
}

/* The first run's value of key, 0 when no run has it. */
static int
first_param(const struct lab *lab, const char *key)
{
	int64_t v;

	for (int i = 0; i < lab->nruns; i++)
		if (lab_value_find(&lab->runs[i], key, &v))
			return (int)v;
	return 0;
}

static int
open_lab(struct dash *d, const char *path, char *err, size_t errlen)
{
	util_strlcpy(d->path, path, sizeof d->path);
	d->tasks = d->work_ms = 0;
	if (build_lab(d, err, errlen) < 0)
		return -1;
	d->tasks = first_param(&d->lab, "tasks");
	d->work_ms = first_param(&d->lab, "duration_ms");
	d->sel_run = 0;
	while (d->sel_run + 1 < d->lab.nruns && !d->lab.runs[d->sel_run].selected)
		d->sel_run++;	/* --only: the run that will run */
	d->scroll = -1;
	d->finished = false;
	d->help = false;
	d->focus = false;
	d->lesson_scroll = 0;
	d->nout = 0;
	outpane_clear();	/* the last lab's output is not this one's */
	free(d->explain);
	d->explain = NULL;
	trace_reset(d->env.tr);
	meter_reset(&d->meters);
	memset(d->runner, 0, sizeof *d->runner);
	d->in_lab = true;
	/* Predict, then reveal: a lab with a question asks it before its first run. */
	d->predict = 0;
	d->asking = d->lab.nchoices > 0 && d->lab.answer > 0;
	if (d->asking && !d->predict_used && d->o->predict > 0 &&
	    d->o->predict <= d->lab.nchoices) {
		d->predict = d->o->predict;
		d->asking = false;
	}
	d->predict_used = true;
	return 0;
}

/* Send sig to every worker process of the lab that has not ended. */
static void
signal_workers(struct dash *d, int sig)
{
	int n = trace_ntasks(d->env.tr);
	pid_t self = getpid();

	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(d->env.tr, i);
		pid_t pid;

		if (t == NULL || t->kind != TRACE_KIND_TASK)
			continue;
		pid = trace_task_pid(d->env.tr, i);
		if (pid > 0 && pid != self && !trace_task_ended(d->env.tr, i))
			kill(pid, sig);
	}
}

/* Presenter pause: the workload parks at its next tick (threads, the GIL),
 * worker processes are stopped, and the clock of the picture stands still. */
static void
set_paused(struct dash *d, bool on)
{
	struct trace *tr = d->env.tr;
	uint64_t now = clock_now_ns();

	if (on == d->paused)
		return;
	d->paused = on;
	if (on) {
		d->pause_t0 = now;
		trace_set_paused(tr, true, now);
		signal_workers(d, SIGSTOP);
		if (d->running)
			trace_mark(tr, TRACE_MARK_NOTE, -1, now, "paused");
	} else {
		signal_workers(d, SIGCONT);
		trace_set_paused(tr, false, now);
	}
}

/* Paused: let the workload go until the GIL lane shows the next holder
 * (one switch), then pause again with the picture's clock at that moment. */
static void
step_gil(struct dash *d)
{
	struct trace *tr = d->env.tr;
	int lane = -1, n = trace_ntasks(tr);
	uint64_t nev0, now = clock_now_ns(), deadline = now + 5 * CLOCK_NS_PER_S;
	bool stepped = false;

	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(tr, i);

		if (t != NULL && t->kind == TRACE_KIND_LANE &&
		    trace_task_state(tr, i) != TRACE_DONE)
			lane = i;
	}
	if (lane < 0) {
		say(d, "s steps one GIL switch: this run has no GIL");
		return;
	}
	nev0 = trace_task_events(tr, lane, NULL);
	trace_set_paused(tr, false, now);
	while (clock_now_ns() < deadline && !exec_runner_done(d->runner)) {
		enum trace_state last;
		uint64_t nev = trace_task_events(tr, lane, &last);

		if (nev != nev0) {
			if (last == TRACE_RUN) {
				stepped = true;
				break;
			}
			nev0 = nev;
		}
		forker_wait(CLOCK_NS_PER_MS / 4, -1);
	}
	d->pause_t0 = clock_now_ns();
	trace_set_paused(tr, true, d->pause_t0);
	say(d, stepped ? "stepped one GIL switch (s again, p resumes)" :
	    "no GIL switch came (p resumes)");
}

/* Stop the run in progress and wait for it, serving forks meanwhile. */
static void
stop_run(struct dash *d)
{
	if (!d->running)
		return;
	if (d->paused)
		set_paused(d, false);
	trace_stop(d->env.tr);
	while (!exec_runner_done(d->runner))
		forker_wait(10 * CLOCK_NS_PER_MS, -1);
	exec_runner_join(d->runner);
	d->running = false;
}

static void draw(struct dash *d);

static void
start_run(struct dash *d, int only)
{
	if (d->running) {
		say(d, "a run is in progress: wait for it, or Esc to stop it");
		return;
	}
	if (!d->calibrated) {
		say(d, "calibrating fib on this machine...");
		draw(d);
		work_calibrate(&d->env.cal);
		d->calibrated = true;
	}
	exec_runner_clear(d->runner);
	trace_reset(d->env.tr);
	meter_reset(&d->meters);
	memset(d->ts, 0, sizeof *d->ts);
	free(d->explain);
	d->explain = NULL;
	d->finished = false;
	d->scroll = -1;
	d->message[0] = '\0';
	d->asking = false;
	d->lesson_scroll = 0;
	d->nout = 0;
	outpane_clear();
	d->nuser_marks = 0;
	d->run_only = only;
	d->t_end = 0;
	export_series_destroy(d->series);
	d->series = export_series_create(d->ncpu);
	if (exec_runner_start(d->runner, &d->env, &d->lab, only) < 0) {
		say(d, "cannot start the runner thread");
		return;
	}
	d->running = true;
}

/* "you said ...; measured: ..." for the reveal, into buf: the lab's
 * `measured` line once every run finished, else each finished run's wall
 * time. */
static void
reveal_text(struct dash *d, const struct report_info *info, bool noisy, char *buf,
    size_t len)
{
	const struct lab *lab = &d->lab;
	size_t used = 0, mstart;
	int r, nshown = 0;

	buf[0] = '\0';
	if (lab->answer > 0 && d->predict > 0 && d->predict <= lab->nchoices)
		r = snprintf(buf, len, "You said %d (%s) -- %s. ", d->predict,
		    lab->choices[d->predict - 1],
		    d->predict == lab->answer ? "right" : "not quite");
	else
		r = snprintf(buf, len, "%s", lab->answer > 0 ? "You skipped the prediction. " : "");
	used = r > 0 ? (size_t)r : 0;
	if (lab->answer > 0 && d->predict != lab->answer && lab->answer <= lab->nchoices &&
	    used < len) {
		r = snprintf(buf + used, len - used, "The answer is %d (%s). ", lab->answer,
		    lab->choices[lab->answer - 1]);
		used += r > 0 ? (size_t)r : 0;
	}
	mstart = used;
	for (int i = 0; i < lab->nruns && used < len; i++) {
		const struct run_result *res = &d->runner->results[i];

		if (at_load_acquire(&d->runner->state[i]) != EXEC_FINISHED || res->failed)
			continue;
		r = snprintf(buf + used, len - used, "%s%s %.2f s", nshown ? ", " : "Measured: ",
		    lab->runs[i].name, res->wall_s);
		used += r > 0 ? (size_t)r : 0;
		nshown++;
	}
	/* Every run finished: the lab's own line replaces the wall times. */
	if (lab->measured != NULL && nshown == lab->nruns && mstart < len) {
		char *m = report_explain(info, lab->measured);

		r = snprintf(buf + mstart, len - mstart, "Measured: %s", m);
		used = mstart + (r > 0 ? (size_t)r : 0);
		free(m);
	}
	if (nshown > 0 && used < len) {
		r = snprintf(buf + used, len - used, " on %d core%s%s -- because:", d->env.ncpus,
		    d->env.ncpus == 1 ? "" : "s", noisy ? " (a noisy run: see the end)" : "");
		used += r > 0 ? (size_t)r : 0;
	}
	if (used >= len)
		buf[len - 1] = '\0';
}

/* The whole lab ran to its end: mark it done (and the prediction). */
static void
record_progress(struct dash *d)
{
	char err[512];

	if (d->run_only != -1 || trace_stopping(d->env.tr))
		return;
	for (int i = 0; i < d->lab.nruns; i++)
		if (d->lab.runs[i].selected &&
		    (at_load_acquire(&d->runner->state[i]) != EXEC_FINISHED ||
		    d->runner->results[i].failed))
			return;
	progress_record(&d->prog, d->lab.id, d->predict,
	    d->predict > 0 && d->lab.answer > 0 ? d->predict == d->lab.answer : -1);
	if (!d->o->no_progress && !d->headless &&
	    progress_save(&d->prog, err, sizeof err) < 0) {
		char msg[600];

		snprintf(msg, sizeof msg, "progress not saved: %s", err);
		say(d, msg);
	}
}

/* The run finished: join it, record progress, and fill the reveal and the
 * explanation with its numbers. */
static void
finish_run(struct dash *d)
{
	struct report_info info;
	char reveal[1024], note[320] = "";
	const char *warn;
	double steal, other;
	char *text;
	size_t len;

	exec_runner_join(d->runner);
	d->running = false;
	d->finished = true;
	d->lesson_scroll = 0;	/* the lesson starts at its top */
	d->t_end = clock_now_ns();
	if (d->paused)
		set_paused(d, false);
	if (d->headless)
		return;
	record_progress(d);
	memset(&info, 0, sizeof info);
	info.lab = &d->lab;
	info.results = d->runner->results;
	info.tr = d->env.tr;
	report_machine(&info, &d->env.cpus, &d->env.cal);
	/* The text report's noise warning goes at the lesson's end, so that its
	 * first lines stay on the first page; the reveal points there. */
	warn = report_noise(&info, &steal, &other);
	if (warn != NULL)
		snprintf(note, sizeof note, "\n\nCareful: %s.", warn);
	reveal_text(d, &info, warn != NULL, reveal, sizeof reveal);
	text = d->lab.explain != NULL ? report_explain(&info, d->lab.explain) : NULL;
	len = strlen(reveal) + strlen(note) + (text != NULL ? strlen(text) : 0) + 2;
	d->explain = xmalloc(len);
	snprintf(d->explain, len, "%s%s%s%s", reveal,
	    reveal[0] != '\0' && (text != NULL || note[0] != '\0') ? "\n" : "",
	    text != NULL ? text : "", note);
	free(text);
}

/* Write the run's trace as Chrome JSON, CSV and SVG into the current
 * directory (conclab-LAB-HHMMSS.*); say the paths or the error. */
static void
export_now(struct dash *d)
{
	static const char *const ext[] = { "json", "csv", "svg" };
	static const enum export_kind kinds[] = { EXPORT_CHROME, EXPORT_CSV, EXPORT_SVG };
	struct report_info info;
	char path[3][128], err[512], msg[600], stamp[32];
	time_t t = time(NULL);
	struct tm tm;

	if (d->running) {
		say(d, "export: wait for the run to end (or Esc to stop it)");
		return;
	}
	if (trace_ntasks(d->env.tr) == 0) {
		say(d, "export: nothing to export yet: run the lab first");
		return;
	}
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%H%M%S", &tm);
	memset(&info, 0, sizeof info);
	info.lab = &d->lab;
	info.results = d->runner->results;
	info.tr = d->env.tr;
	info.predict = d->predict;
	report_machine(&info, &d->env.cpus, &d->env.cal);
	for (int i = 0; i < 3; i++) {
		snprintf(path[i], sizeof path[i], "conclab-%s-%s.%s", d->lab.id, stamp, ext[i]);
		if (export_write(path[i], kinds[i], &info, d->series, err, sizeof err) < 0) {
			snprintf(msg, sizeof msg, "export failed: %s", err);
			say(d, msg);
			return;
		}
	}
	snprintf(msg, sizeof msg, "wrote %s .csv .svg", path[0]);
	say(d, msg);
	d->message_until = clock_now_ns() + 8 * CLOCK_NS_PER_S;
}

static void
change_setting(struct dash *d, int *value, int nv, int lo, int hi, const char *what)
{
	char err[512], msg[160];
	int old = *value;

	if (*value == 0) {
		snprintf(msg, sizeof msg, "this lab has no %s to change", what);
		say(d, msg);
		return;
	}
	if (d->running) {
		say(d, "settings apply to the next run: wait for this one, or Esc");
		return;
	}
	*value = nv < lo ? lo : nv > hi ? hi : nv;
	if (lab_set_every(&d->lab, value == &d->tasks ? "tasks" : "duration_ms", *value,
	    err, sizeof err) < 0) {
		*value = old;
		say(d, err);
	}
}

/* Keys while the prediction question waits: a number, or skip. */
static bool
ask_key(struct dash *d, int k)
{
	char msg[80];

	if (k >= '1' && k <= '0' + d->lab.nchoices) {
		d->predict = k - '0';
		start_run(d, -1);
		return true;
	}
	if (k == 's' || k == 'S' || k == UI_KEY_ENTER) {
		d->predict = 0;
		start_run(d, -1);
		return true;
	}
	if (k == UI_KEY_ESC || k == 'q' || k == 'Q' || k == '?' || k == 'h' ||
	    k == UI_KEY_PGUP || k == UI_KEY_PGDN)
		return false;	/* PgUp/PgDn page a long question */
	snprintf(msg, sizeof msg, "press 1-%d for your answer, or s to skip",
	    d->lab.nchoices);
	say(d, msg);
	return true;
}

/* Drop a numbered presenter marker on the timeline at the shown time. */
static void
drop_marker(struct dash *d)
{
	char text[16];

	if (!d->running && !d->finished) {
		say(d, "markers go on a run's timeline: run the lab first");
		return;
	}
	snprintf(text, sizeof text, "#%d", d->nuser_marks + 1);
	if (trace_mark(d->env.tr, TRACE_MARK_USER, -1,
	    d->paused ? d->pause_t0 : clock_now_ns(), text) < 0) {
		say(d, "no room for more markers");
		return;
	}
	d->nuser_marks++;
}

static void
lab_key(struct dash *d, int k)
{
	if (d->help) {
		d->help = false;
		if (k != 'q')
			return;
	}
	if (d->asking && ask_key(d, k))
		return;
	switch (k) {
	case UI_KEY_ENTER: case 'r':
		start_run(d, -1);
		break;
	case UI_KEY_TAB:
		d->sel_run = (d->sel_run + 1) % d->lab.nruns;
		break;
	case UI_KEY_BTAB:
		d->sel_run = (d->sel_run + d->lab.nruns - 1) % d->lab.nruns;
		break;
	case 'o':
		start_run(d, d->sel_run);
		break;
	case '+': case '=':
		change_setting(d, &d->tasks, d->tasks + 1, 1, MAX_TASKS_SETTING, "task count");
		break;
	case '-': case '_':
		change_setting(d, &d->tasks, d->tasks - 1, 1, MAX_TASKS_SETTING, "task count");
		break;
	case '[':
		change_setting(d, &d->work_ms, d->work_ms / 2, 50, 600000, "work size");
		break;
	case ']':
		change_setting(d, &d->work_ms, d->work_ms * 2, 50, 600000, "work size");
		break;
	case UI_KEY_UP: case 'k':
		d->scroll = d->scroll < 0 ? trace_ntasks(d->env.tr) : d->scroll;
		d->scroll = d->scroll > 0 ? d->scroll - 1 : 0;
		break;
	case UI_KEY_DOWN: case 'j':
		if (d->scroll >= 0)
			d->scroll++;
		if (d->scroll >= trace_ntasks(d->env.tr))
			d->scroll = -1;
		break;
	case '?': case 'h':
		d->help = true;
		break;
	case 'p': case ' ':
		if (!d->running && !d->paused)
			say(d, "nothing runs: p pauses a run in progress");
		else
			set_paused(d, !d->paused);
		break;
	case 'm':
		drop_marker(d);
		break;
	case 'f':
		d->focus = !d->focus;
		break;
	case 'e':
		export_now(d);
		break;
	case 's':
		if (d->paused)
			step_gil(d);
		else
			say(d, "s steps one GIL switch while paused (p pauses)");
		break;
	case UI_KEY_PGDN:
		d->lesson_scroll = UTIL_MIN(d->lesson_scroll + 5, 200);
		break;
	case UI_KEY_PGUP:
		d->lesson_scroll = UTIL_MAX(d->lesson_scroll - 5, 0);
		break;
	case UI_KEY_ESC:
		stop_run(d);
		d->in_lab = false;
		d->paused = false;
		break;
	case 'q': case 'Q':
		d->quit = true;
		break;
	default:
		break;
	}
}

static void
menu_key(struct dash *d, int k)
{
	char err[512];

	switch (k) {
	case UI_KEY_UP: case 'k':
		if (d->menu_sel > 0)
			d->menu_sel--;
		break;
	case UI_KEY_DOWN: case 'j':
		if (d->menu_sel + 1 < d->nlabs)
			d->menu_sel++;
		break;
	case UI_KEY_ENTER: case 'l': case UI_KEY_RIGHT:
		if (d->nlabs > 0 && open_lab(d, d->labs[d->menu_sel].path, err, sizeof err) < 0)
			say(d, err);
		break;
	case 'q': case 'Q': case UI_KEY_ESC:
		d->quit = true;
		break;
	default:
		break;
	}
}

/* Live numbers of a run from the trace: wall since its mark, CPU of its
 * tasks (capped at wall x cores). */
static void
live_numbers(struct dash *d, int run, uint64_t now, struct view_run *vr)
{
	const struct trace *tr = d->env.tr;
	uint64_t t0 = 0, cpu = 0;
	int n = trace_nmarks(tr);

	for (int i = 0; i < n; i++) {
		const struct trace_mark *m = trace_get_mark(tr, i);

		if (m != NULL && m->kind == TRACE_MARK_RUN && m->run == run)
			t0 = m->ts;
	}
	if (t0 == 0 || now <= t0)
		return;
	n = trace_ntasks(tr);
	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(tr, i);

		if (t != NULL && t->run == run && t->kind == TRACE_KIND_TASK)
			cpu += trace_task_cpu_ns(tr, i, now);
	}
	vr->wall_s = (double)(now - t0) / 1e9;
	vr->cpu_s = (double)cpu / 1e9;
	if (vr->cpu_s > vr->wall_s * d->env.ncpus)
		vr->cpu_s = vr->wall_s * d->env.ncpus;
	vr->cores = vr->cpu_s / vr->wall_s;
}

static void
snapshot(struct dash *d, struct view_lab *v)
{
	/* While paused the picture's clock stands still at the pause. */
	uint64_t now = d->paused ? d->pause_t0 : d->finished && !d->running &&
	    d->t_end != 0 ? d->t_end : clock_now_ns();
	const struct trace_mark *m0 = trace_nmarks(d->env.tr) > 0 ?
	    trace_get_mark(d->env.tr, 0) : NULL;
	const struct lab_run *sel;

	memset(v, 0, sizeof *v);
	v->lab = &d->lab;
	v->tr = d->env.tr;
	v->cores = d->cores;
	v->cpu_ids = d->cpu_ids;
	v->ncpu = d->ncpu;
	v->now = now;
	v->t_from = m0 != NULL ? m0->ts : 0;
	v->sel_run = d->sel_run;
	v->running = d->running;
	v->finished = d->finished;
	v->explain = d->explain;
	v->tasks = d->tasks;
	v->work_ms = d->work_ms;
	v->own_cpu_pct = d->own_pct;
	v->rss_mb = d->rss_mb;
	v->fps = d->o->fps;
	v->scroll = d->scroll;
	v->message = d->message[0] != '\0' ? d->message : NULL;
	v->help = d->help;
	v->asking = d->asking;
	v->predict = d->predict;
	v->paused = d->paused;
	v->focus = d->focus;
	v->own_pid = (int)getpid();
	v->lesson_scroll = d->lesson_scroll;
	v->out = (const char (*)[OUTPANE_LINE_LEN])d->out;
	v->nout = d->nout;
	v->meters = d->meters.m;
	v->nmeters = d->meters.n;
	/* The GIL's switch interval: the measured metric once the run is done,
	 * else the setting stretched by --slow. */
	sel = &d->lab.runs[d->sel_run];
	if (lab_param_index(sel, "switch_ms") >= 0) {
		const struct run_result *r = &d->runner->results[d->sel_run];
		double ms = exec_switch_ms(sel, d->env.slow);
		int dec;

		if (at_load_acquire(&d->runner->state[d->sel_run]) == EXEC_FINISHED)
			report_field(r, "switch_ms", &ms, &dec);
		v->switch_ms = ms;
	}
	for (int i = 0; i < d->lab.nruns; i++) {
		struct view_run *vr = &v->runs[i];
		int st = at_load_acquire(&d->runner->state[i]);

		if (st == EXEC_FINISHED) {
			const struct run_result *r = &d->runner->results[i];

			vr->state = VIEW_RUN_FINISHED;
			vr->wall_s = r->wall_s;
			vr->cpu_s = r->cpu_s;
			vr->cores = r->avg_cores_busy;
			vr->res = r;
		} else if (st == EXEC_RUNNING) {
			vr->state = VIEW_RUN_RUNNING;
			live_numbers(d, i, now, vr);
		}
	}
}

static void
draw(struct dash *d)
{
	int w = 80, h = 24;

	if (!d->headless)
		ui_size(&w, &h);
	if (w != d->cv->w || h != d->cv->h)
		canvas_resize(d->cv, w, h);
	if (d->message[0] != '\0' && clock_now_ns() > d->message_until)
		d->message[0] = '\0';
	if (d->in_lab) {
		struct view_lab v;

		snapshot(d, &v);
		view_lab(d->cv, &v);
	} else {
		view_menu(d->cv, d->labs, d->nlabs, d->menu_sel, &d->prog,
		    d->message[0] != '\0' ? d->message : NULL);
	}
	if (!d->headless)
		ui_blit(d->cv);
}

/* Copy the newest lines of the output pane (labs whose tasks print). */
static void
copy_output(struct dash *d)
{
	uint64_t n = outpane_count(), first = n > 64 ? n - 64 : 0;

	if (n == 0)
		return;
	if (d->out == NULL)
		d->out = xcalloc(64, sizeof *d->out);
	d->nout = 0;
	for (uint64_t i = first; i < n; i++)
		if (outpane_read(i, d->out[d->nout], sizeof d->out[d->nout], NULL))
			d->nout++;
}

/* One frame: sample, notice the end of a run, draw, and measure ourselves. */
static void
frame(struct dash *d)
{
	uint64_t now;

	if (d->in_lab) {
		if (sample_cores(d->cores) == 0 && d->running && d->series != NULL) {
			double busy[CPUS_MAX];

			for (int i = 0; i < d->ncpu; i++)
				busy[i] = d->cpu_ids[i] < d->cores->ncpu ?
				    d->cores->busy[d->cpu_ids[i]] : -1;
			export_series_add(d->series, clock_now_ns(), busy);
		}
		if (d->running)
			sample_tasks(d->ts, d->env.tr, TASK_BUDGET);
		if (d->running)
			copy_output(d);
		if (d->running && !d->paused)
			meter_sample(&d->meters, d->env.tr, clock_now_ns());
		if (d->running && exec_runner_done(d->runner)) {
			copy_output(d);
			finish_run(d);
		}
	}
	draw(d);
	now = clock_now_ns();
	if (now - d->wall_t0 >= CLOCK_NS_PER_S) {
		uint64_t cpu = clock_thread_cpu_ns();

		d->own_pct = 100.0 * (double)(cpu - d->cpu_t0) / (double)(now - d->wall_t0);
		d->cpu_t0 = cpu;
		d->wall_t0 = now;
	}
	d->rss_mb = dash_rss_mb();
}

static int
dash_setup(struct dash *d, const struct dash_opts *o, char *err, size_t errlen)
{
	int maxcpu = 0;

	memset(d, 0, sizeof *d);
	meter_reset(&d->meters);
	d->opts = *o;
	if (d->opts.fps < 1)
		d->opts.fps = 10;
	if (d->opts.slow < 1)
		d->opts.slow = 1;
	o = d->o = &d->opts;
	d->own_pct = -1;
	d->runner = xcalloc(1, sizeof *d->runner);
	d->ts = xcalloc(1, sizeof *d->ts);
	if (o->cpus != NULL && (cpus_parse_list(o->cpus, &d->env.cpus, err, errlen) < 0 ||
	    cpus_pin(&d->env.cpus, err, errlen) < 0))
		return -1;
	cpus_allowed(&d->env.cpus);
	d->env.ncpus = CPU_COUNT(&d->env.cpus);
	d->env.slow = o->slow;
	for (int c = 0; c < CPUS_MAX; c++)
		if (CPU_ISSET(c, &d->env.cpus)) {
			d->cpu_ids[d->ncpu++] = c;
			maxcpu = c;
		}
	d->cores = sample_cores_create(maxcpu + 1, NULL);
	d->env.tr = trace_create(err, errlen);
	if (d->env.tr == NULL)
		return -1;
	dash_trace = d->env.tr;
	util_on_cleanup(dash_cleanup);
	d->cpu_t0 = clock_thread_cpu_ns();
	d->wall_t0 = clock_now_ns();
	d->run_only = -1;
	{
		char warn[512] = "";

		progress_load(&d->prog, warn, sizeof warn);
		if (warn[0] != '\0') {
			char *nl = strchr(warn, '\n');

			if (nl != NULL)
				*nl = '\0';
			say(d, warn);
		}
	}
	return 0;
}

static void
dash_teardown(struct dash *d)
{
	stop_run(d);
	exec_runner_clear(d->runner);
	free(d->runner);
	free(d->ts);
	free(d->explain);
	free(d->out);
	export_series_destroy(d->series);
	if (d->have_lab)
		lab_free(&d->lab);
	if (d->labs != NULL)
		lab_list_free(d->labs, d->nlabs);
	sample_cores_destroy(d->cores);
	canvas_destroy(d->cv);
	dash_trace = NULL;
	trace_destroy(d->env.tr);
}

int
dash_main(const struct dash_opts *o, const char *lab, volatile sig_atomic_t *sig)
{
	struct dash d;
	char err[512];
	uint64_t period, next;
	int status = 0;

	if (dash_setup(&d, o, err, sizeof err) < 0)
		die(2, "%s", err);
	d.sig = sig;
	period = CLOCK_NS_PER_S / (uint64_t)d.o->fps;
	d.nlabs = lab_load_all(exec_info, &d.labs, err, sizeof err);
	if (err[0] != '\0')
		say(&d, "some lab files have errors: 'conclab list' shows them");
	if (lab != NULL) {
		char *path = strchr(lab, '/') != NULL || strstr(lab, ".lab") != NULL ?
		    xstrdup(lab) : lab_find(lab);

		if (path == NULL)
			die(2, "no lab '%s' (see conclab list)", lab);
		if (open_lab(&d, path, err, sizeof err) < 0) {
			free(path);
			die(2, "%s", err);
		}
		free(path);
	}
	if (ui_init(o->no_color, o->ascii) < 0)
		die(2, "the dashboard needs a terminal; use 'conclab run LAB --headless'");
	d.cv = canvas_create(80, 24, ui_ascii());
	next = clock_now_ns();
	while (!d.quit) {
		int k;
		uint64_t now;

		if (*sig != 0) {
			status = 128 + *sig;
			break;
		}
		while ((k = ui_key()) != UI_KEY_NONE && !d.quit) {
			if (k == UI_KEY_RESIZE)
				continue;
			if (d.in_lab)
				lab_key(&d, k);
			else
				menu_key(&d, k);
		}
		if (d.quit)
			break;
		frame(&d);
		next += period;
		now = clock_now_ns();
		if (next < now)
			next = now;
		while ((now = clock_now_ns()) < next && *sig == 0)
			if (forker_wait(next - now, STDIN_FILENO) == 1)
				break;
	}
	stop_run(&d);
	ui_end();
	dash_teardown(&d);
	return status;
}

double
dash_bench(int fps, int ntasks, double seconds)
{
	static const char text[] =
	    "[lab]\nid = bench\ntitle = dashboard cost\n"
	    "[run fib]\nexecutor = threads\ntasks = 1\nwork = fib\nduration_ms = 1000\n";
	struct dash_opts o = { .fps = fps, .slow = 1.0 };
	static volatile sig_atomic_t nosig;
	struct dash d;
	char err[512], set[64];
	uint64_t period = CLOCK_NS_PER_S / (uint64_t)fps, t_end, cpu0, next;
	double pct;

	if (dash_setup(&d, &o, err, sizeof err) < 0)
		return -1;
	d.sig = &nosig;
	d.headless = true;
	d.cv = canvas_create(120, 40, true);
	if (lab_parse(text, sizeof text - 1, "bench.lab", exec_info, &d.lab, err,
	    sizeof err) < 0) {
		dash_teardown(&d);
		return -1;
	}
	d.have_lab = true;
	snprintf(set, sizeof set, "tasks=%d", ntasks);
	lab_set(&d.lab, set, err, sizeof err);
	snprintf(set, sizeof set, "duration_ms=%d", (int)(seconds * 1000 * 4));
	lab_set(&d.lab, set, err, sizeof err);
	work_calibrate(&d.env.cal);
	d.calibrated = true;
	d.in_lab = true;
	d.scroll = -1;
	exec_runner_start(d.runner, &d.env, &d.lab, -1);
	d.running = true;
	next = clock_now_ns();
	t_end = next + (uint64_t)(seconds * 1e9);
	cpu0 = clock_thread_cpu_ns();
	while (clock_now_ns() < t_end) {
		uint64_t now;

		frame(&d);
		next += period;
		while ((now = clock_now_ns()) < next)
			forker_wait(next - now, -1);
	}
	pct = 100.0 * (double)(clock_thread_cpu_ns() - cpu0) / (seconds * 1e9);
	/* d.lab is built from text, not a file: keep teardown from rebuilding it. */
	dash_teardown(&d);
	return pct;
}
