/*
 * trace_screen: `conclab trace`'s live screen -- the lab screen's timeline,
 * cores and legend over a traced program's threads.  The traced program is
 * shown as the caller's lab of one run ("trace") built in memory; the views draw into a
 * canvas and ui puts it on the terminal, like the dashboard.  The caller
 * owns the frame rate: it draws between the tracer's ticks.
 */
#include "trace_screen.h"

#include "canvas.h"
#include "clock.h"
#include "cpus.h"
#include "sample.h"
#include "ui.h"
#include "util.h"
#include "view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct trace_screen {
	const struct trace *tr;
	const struct lab *lab;		/* one run, "trace" (the caller's) */
	struct canvas *cv;
	struct core_sampler *cores;
	int cpu_ids[CPUS_MAX];
	int ncpu;
	uint64_t t0;
	char what[128];
};

struct trace_screen *
trace_screen_open(const struct trace *tr, const struct lab *lab, const char *what,
    bool no_color, bool ascii, char *err, size_t errlen)
{
	struct trace_screen *ts;
	cpu_set_t set;

	if (!ui_can_address(err, errlen))
		return NULL;
	ts = xcalloc(1, sizeof *ts);
	ts->tr = tr;
	ts->t0 = clock_now_ns();
	util_strlcpy(ts->what, what, sizeof ts->what);
	ts->lab = lab;
	cpus_allowed(&set);
	for (int c = 0; c < CPUS_MAX && ts->ncpu < CPUS_MAX; c++)
		if (CPU_ISSET(c, &set))
			ts->cpu_ids[ts->ncpu++] = c;
	ts->cores = sample_cores_create(cpus_online(), NULL);
	if (ui_init(no_color, ascii) < 0) {
		util_err(err, errlen, "cannot draw on this terminal; use --headless");
		trace_screen_close(ts);
		return NULL;
	}
	ts->cv = canvas_create(80, 24, ui_ascii());
	return ts;
}

void
trace_screen_close(struct trace_screen *ts)
{
	if (ts == NULL)
		return;
	if (ts->cv != NULL) {
		ui_end();
		canvas_destroy(ts->cv);
	}
	sample_cores_destroy(ts->cores);
	free(ts);
}

/* The rows under the timeline: cores, legend, status. */
static void
trace_screen_foot(struct trace_screen *ts, const struct view_lab *v, int nthreads,
    double cost_pct)
{
	struct canvas *c = ts->cv;
	int h = c->h, rows = UTIL_MIN(ts->ncpu, 4);

	view_cores(c, v, 0, h - 2 - rows, c->w, rows);
	view_legend(c, 0, h - 2, c->w);
	canvas_printf(c, 0, h - 1, c->w, CC_DIM, 0,
	    " %d threads  %.1f s  tracer %.1f %% of a core  Ctrl-C or q: stop tracing",
	    nthreads, (double)(v->now - ts->t0) / 1e9, cost_pct);
}

int
trace_screen_frame(struct trace_screen *ts, uint64_t now, int nthreads, double cost_pct)
{
	struct view_lab v;
	int w = 80, h = 24, k, rows;

	while ((k = ui_key()) != UI_KEY_NONE)
		if (k == 'q' || k == 'Q' || k == UI_KEY_ESC)
			return 1;
	ui_size(&w, &h);
	if (w != ts->cv->w || h != ts->cv->h)
		canvas_resize(ts->cv, w, h);
	canvas_clear(ts->cv);
	sample_cores(ts->cores);
	memset(&v, 0, sizeof v);
	v.lab = ts->lab;
	v.tr = ts->tr;
	v.cores = ts->cores;
	v.cpu_ids = ts->cpu_ids;
	v.ncpu = ts->ncpu;
	v.now = now;
	v.t_from = ts->t0;
	v.runs[0].state = VIEW_RUN_RUNNING;
	v.running = true;
	v.fps = 10;
	v.scroll = -1;
	v.own_pid = (int)getpid();
	v.own_cpu_pct = -1;
	if (view_too_small(ts->cv, VIEW_MIN_W, VIEW_MIN_H)) {
		ui_blit(ts->cv);
		return 0;
	}
	canvas_printf(ts->cv, 0, 0, w, CC_TITLE, CA_REVERSE, " conclab trace  %-*.*s",
	    w - 16, w - 16, ts->what);
	rows = h - 3 - UTIL_MIN(ts->ncpu, 4);
	view_timeline(ts->cv, &v, 0, 1, w, rows - 1);
	trace_screen_foot(ts, &v, nthreads, cost_pct);
	ui_blit(ts->cv);
	return 0;
}
