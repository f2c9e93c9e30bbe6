/*
 * dash: the frame loop.  One main thread owns the terminal, the samplers
 * and the snapshot; the lab runs in the session's runner thread and its tasks
 * only write the trace.  A frame: read keys (to the current screen's key
 * function), sample, let the current screen draw into the canvas, hand the
 * canvas to ui.  The loop waits in forker_wait() so fork requests are served
 * while it idles.  The screens are in dash_menu.c, dash_lab.c, dash_help.c
 * and dash_settings.c (dash_screen.h).
 */
#include "dash_screen.h"

#include "clock.h"
#include "cpus.h"
#include "forker.h"
#include "lab.h"
#include "sample.h"
#include "ui.h"
#include "util.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TASK_BUDGET 32		/* schedstat reads per frame, in rotation */

static const struct dash_screen_ops *const screens[DASH_NSCREENS] = {
	[DASH_MENU] = &dash_menu_screen,
	[DASH_ASK] = &dash_ask_screen,
	[DASH_LAB] = &dash_lab_screen,
	[DASH_HELP] = &dash_help_screen,
	[DASH_SETTINGS] = &dash_settings_screen,
};

void
dash_say(struct dash *d, const char *msg)
{
	util_strlcpy(d->message, msg, sizeof d->message);
	d->message_until = clock_now_ns() + 3 * CLOCK_NS_PER_S;
}

void
dash_key(struct dash *d, int key)
{
	if (key != UI_KEY_RESIZE && key != UI_KEY_NONE)
		screens[d->screen]->key(d, key);
}

void
dash_draw(struct dash *d)
{
	int w = 80, h = 24;

	if (!d->headless)
		ui_size(&w, &h);
	if (w != d->cv->w || h != d->cv->h)
		canvas_resize(d->cv, w, h);
	if (d->message[0] != '\0' && clock_now_ns() > d->message_until)
		d->message[0] = '\0';
	screens[d->screen]->draw(d);
	if (!d->headless)
		ui_blit(d->cv);
}

/* The loop's own CPU share over the last second, and conclab's memory. */
static void
measure_self(struct dash *d)
{
	uint64_t now = clock_now_ns();

	if (now - d->wall_t0 >= CLOCK_NS_PER_S) {
		uint64_t cpu = clock_thread_cpu_ns();

		d->own_pct = 100.0 * (double)(cpu - d->cpu_t0) / (double)(now - d->wall_t0);
		d->cpu_t0 = cpu;
		d->wall_t0 = now;
	}
	d->rss_mb = sample_self_rss_mb();
}

void
dash_frame(struct dash *d)
{
	if (d->screen != DASH_MENU) {
		session_sample(&d->s, TASK_BUDGET);
		dash_lab_tick(d);
	}
	dash_draw(d);
	measure_self(d);
}

/* The progress file's first warning, if any, on the status line. */
static void
load_progress(struct dash *d)
{
	char warn[512] = "";

	progress_load(&d->prog, warn, sizeof warn);
	if (warn[0] != '\0') {
		char *nl = strchr(warn, '\n');

		if (nl != NULL)
			*nl = '\0';
		dash_say(d, warn);
	}
}

int
dash_setup(struct dash *d, const struct dash_opts *o, char *err, size_t errlen)
{
	struct session_opts so = { .sets = o->sets, .nsets = o->nsets, .only = o->only,
		.only_if_present = true, .cpus = o->cpus, .slow = o->slow };
	char note[160];

	memset(d, 0, sizeof *d);
	meter_reset(&d->lab.meters);
	d->opts = *o;
	if (d->opts.fps < 1)
		d->opts.fps = 10;
	d->own_pct = -1;
	d->screen = d->back = DASH_MENU;
	d->lab.scroll = -1;
	if (session_init(&d->s, &so, err, errlen) < 0)
		return -1;
	d->opts.slow = d->s.env.slow;
	d->cpu_t0 = clock_thread_cpu_ns();
	d->wall_t0 = clock_now_ns();
	load_progress(d);
	if (o->cpus != NULL && cpus_count_like(o->cpus, note, sizeof note))
		dash_say(d, note);	/* walk 7 H6 */
	return 0;
}

void
dash_teardown(struct dash *d)
{
	session_destroy(&d->s);
	free(d->lab.explain);
	for (int i = 0; i < d->lab.nheadlines; i++)
		free(d->lab.headlines[i]);
	free(d->lab.question);
	for (int i = 0; i < LAB_MAX_CHOICES; i++)
		free(d->lab.choices[i]);
	free(d->lab.out);
	if (d->labs != NULL)
		lab_list_free(d->labs, d->nlabs);
	canvas_destroy(d->cv);
	memset(d, 0, sizeof *d);
}

/* Open the lab named on the command line, or exit 2 saying why not. */
static void
open_first_lab(struct dash *d, const char *lab)
{
	char err[1024], ids[1024] = "";
	char *path = session_lab_path(lab, ids, sizeof ids);

	if (path == NULL) {
		lab_missing(lab, ids, err, sizeof err);
		die(2, "%s", err);
	}
	if (dash_lab_open(d, path, err, sizeof err) < 0 ||
	    session_check(&d->s, d->opts.predict, err, sizeof err) < 0) {
		free(path);
		die(2, "%s", err);
	}
	free(path);
	for (int i = 0; i < d->nlabs; i++)	/* Esc: the menu shows this lab */
		if (strcmp(d->labs[i].id, d->s.lab.id) == 0)
			d->menu_sel = i;
}

/* Wait for the next frame, or for a key. */
static void
wait_frame(uint64_t *next, uint64_t period, volatile sig_atomic_t *sig)
{
	uint64_t now;

	*next += period;
	now = clock_now_ns();
	if (*next < now)
		*next = now;
	while ((now = clock_now_ns()) < *next && *sig == 0)
		if (forker_wait(*next - now, STDIN_FILENO) == 1)
			break;
}

/* The lab files left out of the menu, by name and line, on the status line
 * until another message ("join.lab:15, junk.lab:4"); errs has one
 * "path:line: message" a line. */
static void
say_lab_errors(struct dash *d, const char *errs)
{
	char msg[sizeof d->message];
	size_t used = (size_t)snprintf(msg, sizeof msg, "not in the menu (errors):");
	int left = 0;

	for (const char *l = errs; *l != '\0';) {
		const char *nl = strchr(l, '\n'), *end = nl != NULL ? nl : l + strlen(l);
		const char *colon = memchr(l, ':', (size_t)(end - l)), *base = l;
		const char *line_end = colon != NULL ? memchr(colon + 1, ':',
		    (size_t)(end - colon - 1)) : NULL;

		for (const char *q = l; q < (colon != NULL ? colon : end); q++)
			if (*q == '/')
				base = q + 1;
		if (line_end == NULL)
			line_end = colon != NULL ? colon : end;
		if (used + (size_t)(line_end - base) + 40 < sizeof msg)
			used += (size_t)snprintf(msg + used, sizeof msg - used, " %.*s,",
			    (int)(line_end - base), base);
		else
			left++;
		l = nl != NULL ? nl + 1 : end;
	}
	if (left > 0)
		used += (size_t)snprintf(msg + used, sizeof msg - used, " %d more,", left);
	snprintf(msg + used - 1, sizeof msg - used + 1, "; conclab check FILE says why");
	dash_say(d, msg);
	d->message_until = UINT64_MAX;
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
	period = CLOCK_NS_PER_S / (uint64_t)d.opts.fps;
	{
		char errs[4096];	/* every broken file, named in one line */

		d.nlabs = lab_load_all(exec_info, &d.labs, errs, sizeof errs);
		if (errs[0] != '\0')
			say_lab_errors(&d, errs);
	}
	if (lab != NULL)
		open_first_lab(&d, lab);
	if (ui_init(o->no_color, o->ascii) < 0)
		die(2, "the dashboard needs a terminal; use 'conclab run LAB --headless'");
	d.cv = canvas_create(80, 24, ui_ascii());
	next = clock_now_ns();
	while (!d.quit) {
		int k;

		if (*sig != 0) {
			status = 128 + *sig;
			break;
		}
		while ((k = ui_key()) != UI_KEY_NONE && k != UI_KEY_HANGUP && !d.quit)
			dash_key(&d, k);
		if (k == UI_KEY_HANGUP) {	/* no SIGHUP unless session leader */
			status = 128 + SIGHUP;
			break;
		}
		if (d.quit)
			break;
		dash_frame(&d);
		wait_frame(&next, period, sig);
	}
	session_stop(&d.s);
	ui_end();
	dash_teardown(&d);
	return status;
}
