/*
 * dash_snap: the lab screen's snapshot -- what the view draws, taken from
 * the session and the dashboard's state once a frame: each run's numbers
 * (final once finished, live while it runs, standing still while paused).
 */
#include "dash_screen.h"

#include "clock.h"
#include "report.h"
#include "trace.h"
#include "util.h"

#include <string.h>
#include <unistd.h>

/* Live numbers of a run from the trace: wall since its (latest) mark less
 * the pauses since then -- not one before it, as during gil-old's serial
 * baseline (walk6 G6: the clock stuck at 0 s) -- and CPU of its tasks
 * (capped at wall x cores). */
static void
live_numbers(const struct session *s, int run, uint64_t now, struct view_run *vr)
{
	const struct trace *tr = s->env.tr;
	uint64_t t0 = 0, cpu = 0, active;
	int n = trace_nmarks(tr);

	for (int i = 0; i < n; i++) {
		const struct trace_mark *m = trace_get_mark(tr, i);

		if (m != NULL && m->kind == TRACE_MARK_RUN && m->run == run)
			t0 = m->ts;
	}
	if (t0 == 0 || (active = trace_active(tr, t0, now)) == 0)
		return;
	n = trace_ntasks(tr);
	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(tr, i);

		if (t != NULL && t->run == run && t->kind == TRACE_KIND_TASK)
			cpu += trace_task_cpu_live(tr, i, now);
	}
	vr->wall_s = (double)active / 1e9;
	vr->cpu_s = (double)cpu / 1e9;
	if (vr->cpu_s > vr->wall_s * s->env.ncpus)
		vr->cpu_s = vr->wall_s * s->env.ncpus;
	vr->cores = vr->cpu_s / vr->wall_s;
}

/* Each run's numbers: final once finished, live while it runs. */
static void
snapshot_runs(struct dash *d, struct view_lab *v)
{
	struct session *s = &d->s;
	int running = session_running_run(s);
	const struct lab_run *sel = &s->lab.runs[d->lab.sel_run];

	/* The GIL's switch interval: the measured metric once the run is done,
	 * else the setting stretched by --slow. */
	if (lab_param_index(sel, "switch_ms") >= 0) {
		double ms = exec_switch_ms(sel, s->env.slow);
		int dec;

		if (session_run_finished(s, d->lab.sel_run))
			report_field(&s->runner->results[d->lab.sel_run], "switch_ms", &ms, &dec);
		v->switch_ms = ms;
	}
	for (int i = 0; i < s->lab.nruns; i++) {
		struct view_run *vr = &v->runs[i];

		if (session_run_finished(s, i)) {
			const struct run_result *r = &s->runner->results[i];

			vr->state = VIEW_RUN_FINISHED;
			vr->wall_s = r->wall_s;
			vr->cpu_s = r->cpu_s;
			vr->cores = r->avg_cores_busy;
			vr->res = r;
		} else if (i == running) {
			vr->state = VIEW_RUN_RUNNING;
			/* Paused, the numbers stand still with the picture, taken
			 * once at the pause's start -- again after a step (s), which
			 * moves it by just the step. */
			if (s->paused && d->lab.live_at == s->pause_t0) {
				*vr = d->lab.live;
				continue;
			}
			live_numbers(s, i, v->now, vr);
			d->lab.live = *vr;
			d->lab.live_at = s->paused ? s->pause_t0 : 0;
		}
	}
}

void
dash_lab_snapshot(struct dash *d, struct view_lab *v)
{
	struct session *s = &d->s;
	const struct dash_lab *l = &d->lab;
	const struct trace_mark *m0 = trace_nmarks(s->env.tr) > 0 ?
	    trace_get_mark(s->env.tr, 0) : NULL;

	memset(v, 0, sizeof *v);
	v->lab = &s->lab;
	v->tr = s->env.tr;
	v->cores = s->cores;
	v->cpu_ids = s->cpu_ids;
	v->ncpu = s->ncpu;
	/* While paused the picture's clock stands still at the pause. */
	v->now = s->paused ? s->pause_t0 : l->finished && !s->running && s->t_end != 0 ?
	    s->t_end : clock_now_ns();
	v->t_from = m0 != NULL ? m0->ts : 0;
	v->sel_run = l->sel_run;
	v->running = s->running;
	v->finished = l->finished;
	v->explain = report_lesson_body(&d->s.lab, l->explain);	/* the strip says the verdict */
	v->tasks = l->tasks;
	v->work_ms = l->work_ms;
	if (l->sel_run >= 0 && l->sel_run < d->s.lab.nruns) {
		/* the picked run's own values: the settings panel sets one run's
		 * (walk 4 #14: 'work 1000 ms  pick: broken' after broken got 2000),
		 * and none where it has none (walk 7 H2: the server lab's
		 * sequential showed cpython's work) */
		const struct lab_run *run = &d->s.lab.runs[l->sel_run];
		int64_t val;

		v->tasks = v->tasks > 0 && lab_param_used(run, "tasks") &&
		    lab_value_find(run, "tasks", &val) ? (int)val : 0;
		v->work_ms = v->work_ms > 0 && lab_param_used(run, "duration_ms") &&
		    lab_value_find(run, "duration_ms", &val) ? (int)val : 0;
	}
	v->next_tasks = l->next_tasks;
	v->next_work_ms = l->next_work_ms;
	v->own_cpu_pct = d->own_pct;
	v->rss_mb = d->rss_mb;
	v->fps = d->opts.fps;
	v->scroll = l->scroll;
	v->message = d->message[0] != '\0' ? d->message : NULL;
	v->asking = d->screen == DASH_ASK ||
	    (d->screen == DASH_HELP && d->back == DASH_ASK);
	v->predict = l->predict;
	v->paused = s->paused;
	v->focus = l->focus;
	v->own_pid = (int)getpid();
	v->lesson_scroll = l->lesson_scroll;
	v->out = (const char (*)[OUTPANE_LINE_LEN])l->out;
	v->nout = l->nout;
	v->meters = l->meters.m;
	v->nmeters = l->meters.n;
	for (int i = 0; i < l->nheadlines; i++) {
		v->headlines[i] = l->headlines[i];
		v->headline_off[i] = l->headline_off[i];
	}
	v->nheadlines = l->nheadlines;
	v->verdict = l->finished && l->verdict[0] != '\0' ? l->verdict : NULL;
	v->verdict_failed = l->verdict_failed;
	v->reader = l->reader && l->explain != NULL;
	v->reader_text = l->explain;
	v->series = s->series;
	v->own = s->own;
	v->question = l->question;
	for (int i = 0; i < LAB_MAX_CHOICES; i++)
		v->choices[i] = l->choices[i];
	snapshot_runs(d, v);
}

