/*
 * dash_lab: a lab's screen -- its runs started, watched, paused, stepped and
 * exported, the timeline and the lesson once they end -- and the question
 * step before the first run (DASH_ASK: the same screen, waiting for a
 * prediction).  The lab the runner reads is never changed while it runs:
 * settings change the parsed lab between runs (dash_settings.c).
 */
#include "dash_screen.h"

#include "clock.h"
#include "export.h"
#include "report.h"
#include "trace.h"
#include "ui.h"
#include "util.h"
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OUT_LINES 64		/* output pane lines kept */
/* A headline figure whose run has not finished yet. */
#define PENDING(d) ((d)->cv != NULL && (d)->cv->ascii ? "..." : "\xe2\x80\xa6")

/* The first run's value of key, 0 when no run has it. */
static int
first_param(const struct lab *lab, const char *key)
{
	int64_t v;

	for (int i = 0; i < lab->nruns; i++)
		if (lab_param_used(&lab->runs[i], key) && lab_value_find(&lab->runs[i], key, &v))
			return (int)v;
	return 0;
}

/* A fingerprint of the runs' settings, to tell whether they changed since
 * the prediction. */
static uint64_t
settings_sig(const struct lab *lab)
{
	uint64_t h = 1469598103934665603ULL;

	for (int i = 0; i < lab->nruns; i++) {
		h = (h ^ (uint64_t)lab->runs[i].selected) * 1099511628211ULL;
		for (int p = 0; p < LAB_MAX_PARAMS; p++)
			h = (h ^ (uint64_t)lab->runs[i].values[p]) * 1099511628211ULL;
	}
	return h;
}

/* The report's inputs, with whether the prediction was made for the
 * settings the runs used. */
static void
lab_report_info(struct dash *d, struct report_info *info)
{
	session_report_info(&d->s, info, d->lab.predict, trace_stopping(d->s.env.tr));
	info->ascii = d->cv != NULL && d->cv->ascii;	/* as the screen spells µs */
	info->predict_stale = d->lab.predict > 0 &&
	    d->lab.predict_sig != settings_sig(&d->s.lab);
}

/* Fill the headline strip from the runs finished so far: while live, a
 * figure of a run yet to finish reads …; one about a run that was not made
 * is left out, a line saying so in words (verdict_headlines). */
static void
fill_headlines(struct dash *d, bool live)
{
	struct dash_lab *l = &d->lab;
	struct report_info info;
	struct verdict v;
	char note[512];

	lab_report_info(d, &info);
	verdict_judge(&info, &v);	/* a headline a failed expectation reads is marked */
	for (int i = 0; i < l->nheadlines; i++)
		free(l->headlines[i]);
	l->nheadlines = verdict_headlines(&info, &v, live, PENDING(d), l->headlines,
	    l->headline_off, note, sizeof note);
	if (note[0] != '\0' && l->nheadlines < LAB_MAX_HEADLINES) {
		l->headline_off[l->nheadlines] = false;
		l->headlines[l->nheadlines++] = xstrdup(note);
	}
	l->headline_runs = 0;
	for (int i = 0; i < d->s.lab.nruns; i++)
		l->headline_runs += session_run_finished(&d->s, i);
}

/* The settings that change what a run does, which a question's words
 * cannot follow ("compute fib" after work = sleep): the choices changed
 * from the lab file ("fib-threads.work = sleep"), as a sentence after the
 * question text q (walk 5 F20: the question still said "compute fib");
 * returns q, or a new string in its place (q freed). */
static char *
changed_choices(const struct lab *lab, char *q)
{
	char note[512] = "", val[64];
	int n = 0;

	for (int i = 0; i < lab->nruns; i++)
		for (int k = 0; lab->runs[i].exec->params[k].name != NULL; k++) {
			const struct param_spec *p = &lab->runs[i].exec->params[k];

			if (p->type != PARAM_ENUM || !lab_param_changed(&lab->runs[i], k) ||
			    !lab->runs[i].selected)
				continue;
			lab_param_format(&lab->runs[i], k, val, sizeof val);
			if (n++ < 3)
				util_appendf(note, sizeof note, "%s%s.%s = %s", n > 1 ? ", " : "",
				    lab->runs[i].name, p->name, val);
		}
	if (n == 0)
		return q;
	if (n > 3)
		util_appendf(note, sizeof note, " and %d more", n - 3);
	{
		size_t len = strlen(q) + strlen(note) + 96;
		char *out = xmalloc(len);

		snprintf(out, len, "%s (Your settings change what %s: %s.)", q,
		    n > 1 ? "these runs do" : "this run does", note);
		free(q);
		return out;
	}
}

/* The question and choices with the settings in force filled in ({tasks},
 * {duration_ms}: they follow + - [ ] and the settings screen), and the
 * changed choices the words cannot follow named after the question. */
static void
fill_question(struct dash *d)
{
	struct dash_lab *l = &d->lab;
	const struct lab *lab = &d->s.lab;

	free(l->question);
	l->question = lab->question != NULL ? lab_fill_params(lab, lab->question) : NULL;
	if (l->question != NULL)
		l->question = changed_choices(lab, l->question);
	for (int k = 0; k < LAB_MAX_CHOICES; k++) {
		free(l->choices[k]);
		l->choices[k] = k < lab->nchoices ? lab_fill_params(lab, lab->choices[k]) : NULL;
	}
}

/* Forget what the last run left on screen: lesson, output, meters, marks. */
static void
clear_run_view(struct dash *d)
{
	struct dash_lab *l = &d->lab;

	for (int i = 0; i < l->nheadlines; i++)
		free(l->headlines[i]);
	l->nheadlines = 0;
	l->verdict[0] = '\0';
	l->reader = false;
	free(l->explain);
	l->explain = NULL;
	l->finished = false;
	l->scroll = -1;
	l->lesson_scroll = 0;
	l->nout = 0;
	l->nuser_marks = 0;
	outpane_clear();
	meter_reset(&l->meters);
}

int
dash_lab_open(struct dash *d, const char *path, char *err, size_t errlen)
{
	struct dash_lab *l = &d->lab;
	const struct lab *lab = &d->s.lab;
	bool asking;

	session_stop(&d->s);
	if (session_open(&d->s, path, err, errlen) < 0 ||
	    session_check(&d->s, 0, err, errlen) < 0)
		return -1;	/* the last lab, if any, stays loaded but closed */
	l->tasks = first_param(lab, "tasks");
	l->work_ms = first_param(lab, "duration_ms");
	l->next_tasks = l->next_work_ms = 0;
	l->sel_run = 0;
	while (l->sel_run + 1 < lab->nruns && !lab->runs[l->sel_run].selected)
		l->sel_run++;	/* --only: the run that will run */
	l->focus = false;
	l->settings_scroll = 0;
	l->settings_sel = VIEW_SEL_TASKS;	/* the first line (walk 5 F8) */
	clear_run_view(d);
	d->message[0] = '\0';	/* the last lab's (an export's file names) */
	/* Predict, then reveal: a lab with a question asks it before its first run. */
	l->predict = 0;
	asking = lab->nchoices > 0 && lab->answer > 0;
	if (asking && !d->predict_used && d->opts.predict > 0 &&
	    d->opts.predict <= lab->nchoices) {
		l->predict = d->opts.predict;
		l->predict_sig = settings_sig(lab);	/* made with these settings */
		asking = false;
	}
	d->predict_used = true;
	d->screen = d->back = asking ? DASH_ASK : DASH_LAB;
	return 0;
}

void
dash_lab_close(struct dash *d)
{
	session_stop(&d->s);
	session_pause(&d->s, false);
	d->screen = d->back = DASH_MENU;
}

void
dash_lab_start(struct dash *d, int only)
{
	char err[512];

	if (d->s.running) {
		dash_say(d, "a run is in progress: wait for it, or Esc to stop it");
		return;
	}
	if (!d->s.calibrated) {
		dash_say(d, "calibrating fib on this machine...");
		dash_draw(d);
		session_calibrate(&d->s);
	}
	clear_run_view(d);
	d->message[0] = '\0';
	dash_settings_apply_next(d);	/* + - [ ] pressed during the last run */
	d->screen = d->back = DASH_LAB;
	if (session_start(&d->s, only, err, sizeof err) < 0)
		dash_say(d, err);
	else
		fill_headlines(d, true);
}

/* The whole lab ran to its end: mark it done (and the prediction). */
static void
record_progress(struct dash *d)
{
	char err[512], msg[600];

	if (!session_completed(&d->s))
		return;
	if (session_record_progress(&d->s, &d->prog, d->lab.predict,
	    !d->opts.no_progress && !d->headless, err, sizeof err) < 0) {
		snprintf(msg, sizeof msg, "progress not saved: %s", err);
		dash_say(d, msg);
	}
}

/* The run finished: join it, record progress, and fill the lesson with its
 * numbers. */
static void
finish_run(struct dash *d)
{
	struct report_info info;

	session_join(&d->s);
	d->lab.finished = true;
	d->lab.lesson_scroll = 0;	/* the lesson starts at its top */
	if (d->headless)
		return;
	record_progress(d);
	lab_report_info(d, &info);
	free(d->lab.explain);
	d->lab.explain = report_lesson(&info);
	fill_headlines(d, false);	/* what did not run now never will */
	report_strip_verdict(&info, d->lab.verdict, sizeof d->lab.verdict,
	    &d->lab.verdict_failed);
}

/* Copy the newest lines of the output pane (labs whose tasks print). */
static void
copy_output(struct dash *d)
{
	struct dash_lab *l = &d->lab;
	uint64_t n = outpane_count(), first = n > OUT_LINES ? n - OUT_LINES : 0;

	if (n == 0)
		return;
	if (l->out == NULL)
		l->out = xcalloc(OUT_LINES, sizeof *l->out);
	l->nout = 0;
	for (uint64_t i = first; i < n; i++)
		if (outpane_read(i, l->out[l->nout], sizeof l->out[l->nout], NULL))
			l->nout++;
}

void
dash_lab_tick(struct dash *d)
{
	if (!d->s.running)
		return;
	copy_output(d);
	if (!d->s.paused)
		meter_sample(&d->lab.meters, d->s.env.tr, clock_now_ns());
	{
		int done = 0;

		for (int i = 0; i < d->s.lab.nruns; i++)
			done += session_run_finished(&d->s, i);
		if (done != d->lab.headline_runs)
			fill_headlines(d, true);	/* live: a run just finished */
	}
	if (session_done(&d->s)) {
		copy_output(d);
		finish_run(d);
	}
}

/* Esc while a run goes: stop it and stay, with the bands drawn so far and
 * how many runs finished, to look at and export (walk 5 F9: Esc left for
 * the menu and the picture was lost); Esc again goes to the menu. */
static void
stop_run(struct dash *d)
{
	session_stop(&d->s);
	copy_output(d);
	finish_run(d);
	dash_say(d, "stopped: e exports what ran, Enter runs the lab again, Esc the menu");
	d->message_until = clock_now_ns() + 8 * CLOCK_NS_PER_S;
}

/* Write the run's trace as Chrome JSON, CSV and SVG into the current
 * directory (conclab-LAB-HHMMSS.*); say the paths or the error. */
static void
export_now(struct dash *d)
{
	static const enum export_kind kinds[] = { EXPORT_CHROME, EXPORT_CSV, EXPORT_SVG,
		EXPORT_REPORT };
	struct report_info info;
	char path[4][128], err[512], msg[600], stamp[32], cwd[256];
	time_t t = time(NULL);
	struct tm tm;

	if (d->s.running) {
		dash_say(d, "export: wait for the run to end (or Esc to stop it)");
		return;
	}
	if (trace_ntasks(d->s.env.tr) == 0) {
		dash_say(d, "export: nothing to export yet: run the lab first");
		return;
	}
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%H%M%S", &tm);
	lab_report_info(d, &info);
	for (int i = 0; i < 4; i++) {
		snprintf(path[i], sizeof path[i], "conclab-%s-%s.%s", d->s.lab.id, stamp,
		    export_suffix(kinds[i]));
		if (export_write(path[i], kinds[i], &info, d->s.series, err, sizeof err) < 0) {
			snprintf(msg, sizeof msg, "export failed: %s", err);
			dash_say(d, msg);
			return;
		}
	}
	/* where they went: the current directory, the repository under make run */
	if (getcwd(cwd, sizeof cwd) == NULL)
		util_strlcpy(cwd, "the current directory", sizeof cwd);
	snprintf(msg, sizeof msg, "wrote %s .csv .svg .report.json in %s", path[0], cwd);
	dash_say(d, msg);
	d->message_until = clock_now_ns() + 8 * CLOCK_NS_PER_S;
}

/* Drop a numbered presenter marker on the timeline at the shown time. */
static void
drop_marker(struct dash *d)
{
	char text[16];

	if (!d->s.running && !d->lab.finished) {
		dash_say(d, "markers go on a run's timeline: run the lab first");
		return;
	}
	snprintf(text, sizeof text, "#%d", d->lab.nuser_marks + 1);
	if (trace_mark(d->s.env.tr, TRACE_MARK_USER, -1,
	    d->s.paused ? d->s.pause_t0 : clock_now_ns(), text) < 0) {
		dash_say(d, "no room for more markers");
		return;
	}
	d->lab.nuser_marks++;
}

/* p: pause or resume; s: one GIL switch while paused. */
static void
pause_key(struct dash *d, int k)
{
	int r, from, to;

	if (k == 'p' || k == ' ') {
		if (!d->s.running && !d->s.paused)
			dash_say(d, "nothing runs: p pauses a run in progress");
		else
			session_pause(&d->s, !d->s.paused);
		return;
	}
	if (!d->s.paused) {
		dash_say(d, "s steps one GIL switch while paused (p pauses)");
		return;
	}
	from = session_gil_holder(&d->s);
	r = session_step_gil(&d->s);
	to = session_gil_holder(&d->s);
	if (r > 0 && from >= 0 && to >= 0) {
		/* who had it and who has it now, as the zoom draws them */
		char msg[2 * TRACE_NAME_LEN + 48];

		snprintf(msg, sizeof msg, "stepped one GIL switch: %s to %s",
		    trace_task(d->s.env.tr, from)->name, trace_task(d->s.env.tr, to)->name);
		dash_say(d, msg);
		return;
	}
	dash_say(d, r < 0 ? "s steps one GIL switch: this run has no GIL" :
	    r > 0 ? "stepped one GIL switch (s again, p resumes)" :
	    "no GIL switch came (p resumes)");
}

/* Moving about: pick a run, scroll the task rows and the lesson. */
static bool
move_key(struct dash *d, int k)
{
	struct dash_lab *l = &d->lab;
	int nruns = d->s.lab.nruns, ntasks = trace_ntasks(d->s.env.tr);

	switch (k) {
	case UI_KEY_TAB:
		l->sel_run = (l->sel_run + 1) % nruns;
		return true;
	case UI_KEY_BTAB:
		l->sel_run = (l->sel_run + nruns - 1) % nruns;
		return true;
	case UI_KEY_UP: case 'k':
		l->scroll = l->scroll < 0 ? ntasks : l->scroll;
		l->scroll = l->scroll > 0 ? l->scroll - 1 : 0;
		return true;
	case UI_KEY_DOWN: case 'j':
		if (l->scroll >= 0)
			l->scroll++;
		if (l->scroll >= ntasks)
			l->scroll = -1;
		return true;
	case UI_KEY_PGDN:
		l->lesson_scroll = UTIL_MIN(l->lesson_scroll + 5, 200);
		return true;
	case UI_KEY_PGUP:
		l->lesson_scroll = UTIL_MAX(l->lesson_scroll - 5, 0);
		return true;
	default:
		return false;
	}
}

/* Keys while the lesson reader is open: scroll, or back. */
static bool
reader_key(struct dash *d, int k)
{
	struct dash_lab *l = &d->lab;

	struct view_lab v = { .lab = &d->s.lab, .reader_text = l->explain };
	int page = view_reader_page(d->cv), last;

	if (!l->reader)
		return false;
	/* scroll within the text: PgDn shows the next page, never past the end */
	last = view_reader_last(d->cv, &v);
	l->lesson_scroll = UTIL_MIN(l->lesson_scroll, last);
	switch (k) {
	case UI_KEY_UP: case 'k':
		l->lesson_scroll = UTIL_MAX(l->lesson_scroll - 1, 0);
		return true;
	case UI_KEY_DOWN: case 'j':
		l->lesson_scroll = UTIL_MIN(l->lesson_scroll + 1, last);
		return true;
	case UI_KEY_PGDN: case ' ':
		l->lesson_scroll = UTIL_MIN(l->lesson_scroll + page, last);
		return true;
	case UI_KEY_PGUP:
		l->lesson_scroll = UTIL_MAX(l->lesson_scroll - page, 0);
		return true;
	case 'l': case 'L': case UI_KEY_ESC: case 'q': case 'Q':
		l->reader = false;	/* q closes the reader, as every panel */
		return true;
	default:
		return false;	/* ? works as on the lab screen */
	}
}

static void
lab_key(struct dash *d, int k)
{
	if (reader_key(d, k) || move_key(d, k) || dash_settings_key(d, k))
		return;
	switch (k) {
	case UI_KEY_ENTER: case 'r':
		dash_lab_start(d, -1);
		break;
	case 'o':
		dash_lab_start(d, d->lab.sel_run);
		break;
	case '?': case 'h':
		d->back = d->screen;
		d->screen = DASH_HELP;
		d->help_page = 0;
		break;
	case 'c':
		d->back = d->screen;
		d->screen = DASH_SETTINGS;
		break;
	case 'p': case ' ': case 's':
		pause_key(d, k);
		break;
	case 'm':
		drop_marker(d);
		break;
	case 'f':
		d->lab.focus = !d->lab.focus;
		break;
	case 'l': case 'L':
		if (d->lab.explain == NULL) {
			dash_say(d, "the lesson opens once the lab has run (Enter)");
			break;
		}
		d->lab.reader = true;
		d->lab.lesson_scroll = 0;
		break;
	case 'e':
		export_now(d);
		break;
	case UI_KEY_ESC:
		if (d->s.running)
			stop_run(d);
		else
			dash_lab_close(d);
		break;
	case 'q': case 'Q':
		d->quit = true;
		break;
	default:
		break;
	}
}

/* Keys while the prediction question waits: a number, or skip; the keys
 * that leave, help and page the question work as on the lab screen. */
static void
ask_key(struct dash *d, int k)
{
	char msg[80];
	int nchoices = d->s.lab.nchoices;

	if (k >= '1' && k <= '0' + nchoices) {
		d->lab.predict = k - '0';
		d->lab.predict_sig = settings_sig(&d->s.lab);
		dash_lab_start(d, -1);
	} else if (k == 's' || k == 'S' || k == UI_KEY_ENTER) {
		d->lab.predict = 0;
		dash_lab_start(d, -1);
	} else if (k == UI_KEY_ESC || k == 'q' || k == 'Q' || k == '?' || k == 'h' ||
	    k == 'c' || k == UI_KEY_PGUP || k == UI_KEY_PGDN) {
		lab_key(d, k);	/* PgUp/PgDn page a long question; c: settings first */
	} else {
		snprintf(msg, sizeof msg, "press 1-%d for your answer, or s to skip",
		    nchoices);
		dash_say(d, msg);
	}
}

void
dash_lab_draw_with(struct dash *d, bool help)
{
	struct view_lab v;

	if (d->screen == DASH_ASK || !d->lab.finished)
		fill_question(d);	/* it follows the settings until the lab ran */
	dash_lab_snapshot(d, &v);
	v.help = help;
	v.help_page = d->help_page;
	view_lab(d->cv, &v);
}

static void
lab_draw(struct dash *d)
{
	dash_lab_draw_with(d, false);
}

const struct dash_screen_ops dash_lab_screen = {
	.draw = lab_draw,
	.key = lab_key,
};

const struct dash_screen_ops dash_ask_screen = {
	.draw = lab_draw,
	.key = ask_key,
};
