/*
 * export_svg: the lab's runs as a picture for slides.  The layout follows
 * the dashboard's timeline: one band per finished run, every band's t = 0 at
 * the same x, one time scale fitted to the longest run; a task row is cut
 * into pixel-wide buckets whose states are dithered in proportion to the
 * time spent in each (cells.h), then equal neighbours are merged into one
 * <rect>.  So per task the drawn width of each state is its time, to a pixel
 * or two, and the ready share of time-sliced threads and the turns of GIL
 * threads show at any zoom.  A GIL row names its holders as the timeline
 * does (lane_hold: each in proportion to its time holding the lock), and a
 * thread is never drawn waiting for the lock where that row names it.
 * Time is drawn on the folded clock (trace_fold):
 * the presenter's pauses take no width, and a dashed line says where one
 * was (its length in its title).
 */
#include "export.h"

#include "cells.h"
#include "clock.h"
#include "fmt.h"
#include "lane_hold.h"
#include "lane_letter.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SVG_LEFT 170		/* x of every band's t = 0 */
#define SVG_WIDTH 900		/* the longest run's width */
#define SVG_ROW 16
#define SVG_HEAD 22
#define SVG_CORE 8
#define SVG_MARK "#b07000"	/* the presenter's markers (the screen's warning colour) */

/* Colours of the states, the same as the dashboard's. */
static const char *const state_colour[TRACE_NSTATES] = {
	[TRACE_NEW] = "#ffffff", [TRACE_RUN] = "#2e9e44", [TRACE_READY] = "#e0b000",
	[TRACE_LOCK] = "#d03030", [TRACE_IO] = "#3070d0", [TRACE_DONE] = "#d8d8d8",
	[TRACE_FAILED] = "#800080",
};

static void
svg_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

struct svg {
	FILE *f;
	const struct report_info *info;
	const struct core_series *cs;
	double px_per_ns;
	uint64_t bucket;	/* ns a pixel-wide bucket covers */
	int y;
	/* the band's lock lane over its buckets (lane_hold), as the timeline
	 * draws it: its slot (-1 none), holder, instant and state per bucket */
	int lane;
	int16_t *who;
	uint8_t *inst, *lst;
};

static int
task_rows(const struct report_info *info, int run)
{
	int n = trace_ntasks(info->tr), rows = 0;

	for (int slot = 0; slot < n; slot++) {
		const struct trace_task *t = trace_task(info->tr, slot);

		rows += t != NULL && t->run == run;
	}
	return rows;
}

/* A run's length drawn: its time not paused. */
static uint64_t
run_span(const struct trace *tr, const struct run_result *r)
{
	return trace_fold(tr, r->t_end) - trace_fold(tr, r->t_start);
}

/* The run's pixel buckets. */
static struct lane_cells
run_cells(const struct svg *s, const struct run_result *r)
{
	return (struct lane_cells){ r->t_start, r->t_end, s->bucket,
	    (int)((run_span(s->info->tr, r) + s->bucket - 1) / s->bucket) };
}

/* RUN/TASK of slot. */
static void
svg_task_id(struct svg *s, int slot)
{
	const struct trace_task *t = trace_task(s->info->tr, slot);

	svg_text(s->f, t != NULL ? s->info->lab->runs[t->run].name : "?");
	fputc('/', s->f);
	svg_text(s->f, t != NULL ? t->name : "?");
}

/* A <rect> of class cls for slot over buckets [b, e), left open. */
static void
svg_rect_open(struct svg *s, const char *cls, int slot, int b, int e, const char *fill)
{
	fprintf(s->f, "<rect class=\"%s\" data-task=\"", cls);
	svg_task_id(s, slot);
	fprintf(s->f, "\" x=\"%.3f\" y=\"%d\" width=\"%.3f\" height=\"%d\" fill=\"%s\"",
	    SVG_LEFT + (double)b * (double)s->bucket * s->px_per_ns, s->y + 2,
	    (double)(e - b) * (double)s->bucket * s->px_per_ns, SVG_ROW - 4, fill);
}

/* A lane's held stretch over buckets [b, e), its <rect> open: the
 * holder (data-holder = RUN/TASK) and its name as the title, and its
 * letter on it where the stretch is wide enough (the screen's lane
 * letters, lane_letter.h). */
static void
svg_holder(struct svg *s, int slot, int b, int e, const char *letters)
{
	const struct trace_task *h = slot >= 0 ? trace_task(s->info->tr, slot) : NULL;
	double x = SVG_LEFT + (double)b * (double)s->bucket * s->px_per_ns;
	double w = (double)(e - b) * (double)s->bucket * s->px_per_ns;
	size_t len = h != NULL ? strlen(h->name) : 0;
	char letter = slot >= 0 && slot < TRACE_MAX_TASKS ? letters[slot] : 0;

	if (len > 0) {
		fputs(" data-holder=\"", s->f);
		svg_task_id(s, slot);
		fputc('"', s->f);
	}
	fputs("><title>", s->f);
	svg_text(s->f, len > 0 ? h->name : "?");
	fputs("</title></rect>\n", s->f);
	if (len > 0 && w >= 8)
		fprintf(s->f, "<text x=\"%.3f\" y=\"%d\" font-size=\"9\" "
		    "text-anchor=\"middle\" fill=\"white\">%c</text>\n", x + w / 2,
		    s->y + SVG_ROW - 5, isalnum((unsigned char)letter) ? letter : '?');
}

/* A lock lane's row: its holders as the timeline draws them (lane_hold),
 * a stretch ending where the holder changes. */
static void
svg_lane(struct svg *s, const struct run_result *r, int slot)
{
	struct lane_cells lc = run_cells(s, r);
	int n = lc.n;
	char letters[TRACE_MAX_TASKS] = "";
	int16_t *who = s->who;
	uint8_t *st = s->lst;

	lane_letters_all(s->info->tr, letters, TRACE_MAX_TASKS);
	if (slot != s->lane || who == NULL) {	/* a band's second lane */
		who = xmalloc(sizeof *who * (size_t)n);
		st = xmalloc((size_t)n);
		lane_hold(s->info->tr, slot, &lc, who, NULL, st);
	}
	for (int b = 0; b < n;) {
		int e = b;

		while (e < n && who[e] == who[b] &&
		    (who[b] > 0 || (st[e] == TRACE_NEW) == (st[b] == TRACE_NEW)))
			e++;
		if (who[b] > 0) {
			svg_rect_open(s, "held", slot, b, e, state_colour[TRACE_RUN]);
			svg_holder(s, who[b] - 1, b, e, letters);
		} else if (who[b] == LANE_WHO_SEVERAL) {	/* no one holder */
			svg_rect_open(s, "several", slot, b, e, state_colour[LANE_SEVERAL]);
			fputs("><title>several threads at once</title></rect>\n", s->f);
		} else if (st[b] != TRACE_NEW) {
			svg_rect_open(s, "free", slot, b, e, "#ffffff");
			fputs("/>\n", s->f);
		}
		b = e;
	}
	if (who != s->who) {
		free(who);
		free(st);
	}
}

/* One task's row: pixel buckets dithered (never waiting for the lock
 * where the band's lane names it holder), equal neighbours merged. */
static void
svg_row(struct svg *s, const struct run_result *r, int slot, double phase)
{
	const struct trace_task *t = trace_task(s->info->tr, slot);
	int n = run_cells(s, r).n;
	double *ns;
	uint8_t *st, *held = NULL;
	int16_t *cpu;

	if (n < 1)
		return;
	if (t->kind == TRACE_KIND_LANE) {
		svg_lane(s, r, slot);
		return;
	}
	ns = xmalloc((size_t)n * TRACE_NSTATES * sizeof *ns);
	st = xmalloc((size_t)n);
	cpu = xmalloc((size_t)n * sizeof *cpu);
	trace_task_shares(s->info->tr, slot, r->t_start, s->bucket, n, r->t_end, ns, cpu);
	if (at_load_relaxed(&t->sched_known))
		cells_fit_ready(ns, n, (double)trace_task_ready_ns(s->info->tr, slot));
	if (s->who != NULL) {
		held = xmalloc((size_t)n);
		lane_hold_row(s->who, s->inst, n, slot, held);
	}
	cells_diffuse_held(ns, n, phase, held, st);
	for (int b = 0; b < n;) {
		int e = b;

		while (e < n && st[e] == st[b])
			e++;
		if (st[b] != TRACE_NEW) {
			svg_rect_open(s, trace_state_name(st[b]), slot, b, e, state_colour[st[b]]);
			fputs("/>\n", s->f);
		}
		b = e;
	}
	free(ns);
	free(st);
	free(cpu);
	free(held);
}

/* One sample of a core whose own share is known: the lab's share in the
 * row's upper half, other programs' in its lower half, each as opacity. */
static void
svg_core_split(struct svg *s, int c, double x, double w, float busy, float own)
{
	double mine = own < busy ? own : busy, other = busy - mine;
	int h = (SVG_CORE - 1) / 2;

	if (mine > 0.005)
		fprintf(s->f, "<rect class=\"core\" data-cpu=\"%d\" data-share=\"lab\" "
		    "x=\"%.3f\" y=\"%d\" width=\"%.3f\" height=\"%d\" fill=\"#2e9e44\" "
		    "fill-opacity=\"%.2f\"/>\n", c, x, s->y, w, h, mine > 1 ? 1.0 : mine);
	if (other > 0.005)
		fprintf(s->f, "<rect class=\"core-other\" data-cpu=\"%d\" x=\"%.3f\" "
		    "y=\"%d\" width=\"%.3f\" height=\"%d\" fill=\"#808080\" "
		    "fill-opacity=\"%.2f\"/>\n", c, x, s->y + h, w, SVG_CORE - 1 - h,
		    other > 1 ? 1.0 : other);
}

/* The cores as rows under the band: each sample's busy share as opacity
 * (on the folded clock: a sample taken while paused takes no width), the
 * lab's own and other programs' apart where the own share is known. */
static void
svg_cores(struct svg *s, const struct run_result *r)
{
	const struct core_series *cs = s->cs;
	const struct trace *tr = s->info->tr;
	uint64_t t0 = trace_fold(tr, r->t_start), t_end = trace_fold(tr, r->t_end);

	for (int c = 0; cs != NULL && c < cs->ncpu; c++) {
		uint64_t prev = t0;

		fprintf(s->f, "<text x=\"20\" y=\"%d\" font-size=\"9\">cpu%d</text>\n",
		    s->y + SVG_CORE - 1, c < s->info->ncpus ? s->info->cpus[c] : c);
		for (int i = 0; i < cs->n; i++) {
			float b = cs->busy[(size_t)i * cs->ncpu + c];
			float o = cs->own[(size_t)i * cs->ncpu + c];
			uint64_t ts = trace_fold(tr, cs->ts[i]);
			double x = SVG_LEFT + (double)(prev - t0) * s->px_per_ns;

			if (ts <= t0 || prev >= t_end || ts <= prev)
				continue;
			if (ts > t_end)
				ts = t_end;
			if (b > 0 && o >= 0)
				svg_core_split(s, c, x, (double)(ts - prev) * s->px_per_ns, b, o);
			else if (b > 0)
				fprintf(s->f, "<rect class=\"core\" data-cpu=\"%d\" x=\"%.3f\" "
				    "y=\"%d\" width=\"%.3f\" height=\"%d\" fill=\"#2e9e44\" "
				    "fill-opacity=\"%.2f\"/>\n", c, x, s->y,
				    (double)(ts - prev) * s->px_per_ns, SVG_CORE - 1, b > 1 ? 1.0 : b);
			prev = ts;
		}
		s->y += SVG_CORE;
	}
}

/* The presenter's pauses in the run: a dashed line across the band (top
 * to bottom, y0..y1) where each began, its length in its title. */
static void
svg_pauses(struct svg *s, const struct run_result *r, int y0, int y1)
{
	const struct trace *tr = s->info->tr;
	int n = trace_npauses(tr);

	for (int i = 0; i < n; i++) {
		uint64_t a, e;
		double x;
		char len[FMT_NUM_LEN];

		if (!trace_get_pause(tr, i, &a, &e) || a < r->t_start || a > r->t_end)
			continue;
		if (e == 0 || e > r->t_end)
			e = r->t_end;
		x = SVG_LEFT + (double)(trace_fold(tr, a) - trace_fold(tr, r->t_start)) *
		    s->px_per_ns;
		fmt_time(len, sizeof len, (double)(e > a ? e - a : 0) / 1e9, false);
		fprintf(s->f, "<line class=\"pause\" x1=\"%.3f\" y1=\"%d\" x2=\"%.3f\" "
		    "y2=\"%d\" stroke=\"#555\" stroke-dasharray=\"3,2\"><title>paused %s (left out "
		    "of the time axis)</title></line>\n", x, y0, x, y1, len);
	}
}

/* The presenter's markers (`m`) in [r's start, end]: as on the screen, a
 * ▼ on the band's top line with its number beside it (#1), and a dotted
 * line down the band (y0..y1); their count. */
static int
svg_marks(struct svg *s, const struct run_result *r, int y0, int y1)
{
	const struct trace *tr = s->info->tr;
	int n = trace_nmarks(tr), drawn = 0;

	for (int i = 0; i < n; i++) {
		const struct trace_mark *m = trace_get_mark(tr, i);
		double x;

		if (m == NULL || m->kind != TRACE_MARK_USER || m->ts < r->t_start ||
		    m->ts > r->t_end)
			continue;
		x = SVG_LEFT + (double)(trace_fold(tr, m->ts) - trace_fold(tr, r->t_start)) *
		    s->px_per_ns;
		fprintf(s->f, "<g class=\"mark\"><title>marker ");
		svg_text(s->f, m->text);
		fprintf(s->f, "</title><line x1=\"%.3f\" y1=\"%d\" x2=\"%.3f\" y2=\"%d\" "
		    "stroke=\"%s\" stroke-dasharray=\"1,2\"/><path d=\"M%.3f %dh8l-4 7z\" "
		    "fill=\"%s\"/><text x=\"%.3f\" y=\"%d\" font-size=\"10\" font-weight=\"bold\" "
		    "fill=\"%s\">", x, y0, x, y1, SVG_MARK, x - 4, y0 - 7, SVG_MARK, x + 5, y0 - 1,
		    SVG_MARK);
		svg_text(s->f, m->text);
		fputs("</text></g>\n", s->f);
		drawn++;
	}
	return drawn;
}

/* The legend's entry for the presenter's markers, when a band has one. */
static void
svg_mark_legend(FILE *f, const struct report_info *info)
{
	int n = trace_nmarks(info->tr);
	bool any = false;

	for (int i = 0; i < n && !any; i++) {
		const struct trace_mark *m = trace_get_mark(info->tr, i);

		for (int k = 0; m != NULL && m->kind == TRACE_MARK_USER && k < info->lab->nruns;
		    k++)
			any |= info->results[k].finished && m->ts >= info->results[k].t_start &&
			    m->ts <= info->results[k].t_end;
	}
	if (any)
		fprintf(f, "<path d=\"M%d 50h8l-4 7z\" fill=\"%s\"/><text x=\"%d\" y=\"57\" "
		    "font-size=\"10\" font-weight=\"bold\" fill=\"%s\">#1</text><text x=\"%d\" "
		    "y=\"57\" font-size=\"10\">a presenter's marker (m), numbered</text>\n",
		    SVG_LEFT + SVG_WIDTH - 234, SVG_MARK, SVG_LEFT + SVG_WIDTH - 224, SVG_MARK,
		    SVG_LEFT + SVG_WIDTH - 206);
}

/* Does the series know the lab's own share anywhere? */
static bool
svg_own_known(const struct core_series *cs)
{
	for (size_t i = 0; cs != NULL && i < (size_t)cs->n * (size_t)cs->ncpu; i++)
		if (cs->own[i] >= 0)
			return true;
	return false;
}

/* The band's lock lane over its buckets, for its row and its threads'. */
static void
svg_hold(struct svg *s, const struct run_result *r, int run)
{
	struct lane_cells lc = run_cells(s, r);

	s->lane = lane_hold_find(s->info->tr, run);
	s->who = NULL;
	s->inst = s->lst = NULL;
	if (s->lane < 0 || lc.n < 1)
		return;
	s->who = xmalloc(sizeof *s->who * (size_t)lc.n);
	s->inst = xmalloc((size_t)lc.n);
	s->lst = xmalloc((size_t)lc.n);
	lane_hold(s->info->tr, s->lane, &lc, s->who, s->inst, s->lst);
}

static void
svg_hold_free(struct svg *s)
{
	free(s->who);
	free(s->inst);
	free(s->lst);
	s->who = NULL;
	s->inst = s->lst = NULL;
	s->lane = -1;
}

/* A band: header, task rows (from the run's own t = 0), core rows. */
static void
svg_band(struct svg *s, int run)
{
	const struct run_result *r = &s->info->results[run];
	int n = trace_ntasks(s->info->tr), nth = 0, ntask = 0, y0 = s->y;
	char wall[FMT_NUM_LEN], cpu[FMT_NUM_LEN], paused[FMT_NUM_LEN + 16] = "";

	for (int slot = 0; slot < n; slot++) {
		const struct trace_task *t = trace_task(s->info->tr, slot);

		ntask += t != NULL && t->run == run && t->kind == TRACE_KIND_TASK;
	}
	fmt_time(wall, sizeof wall, r->wall_s, false);
	fmt_time(cpu, sizeof cpu, r->cpu_s, false);
	if (r->paused_s > 0) {
		util_strlcpy(paused, ", paused ", sizeof paused);
		fmt_time(paused + strlen(paused), sizeof paused - strlen(paused), r->paused_s,
		    false);
	}
	fprintf(s->f, "<g class=\"band\" data-run=\"");
	svg_text(s->f, s->info->lab->runs[run].name);
	fprintf(s->f, "\" data-x0=\"%d\" data-s-per-px=\"%.9g\">\n", SVG_LEFT,
	    1 / s->px_per_ns / 1e9);
	fprintf(s->f, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">", s->y + 15);
	svg_text(s->f, s->info->lab->runs[run].name);
	fprintf(s->f, "</text><text x=\"%d\" y=\"%d\" fill=\"#555\">wall %s, CPU %s, %.2f "
	    "cores busy%s</text>\n", SVG_LEFT, s->y + 15, wall, cpu, r->avg_cores_busy, paused);
	fprintf(s->f, "<line x1=\"%d\" y1=\"%d\" x2=\"%.3f\" y2=\"%d\" stroke=\"#999\"/>\n",
	    SVG_LEFT, s->y + SVG_HEAD - 2,
	    SVG_LEFT + (double)run_span(s->info->tr, r) * s->px_per_ns, s->y + SVG_HEAD - 2);
	s->y += SVG_HEAD;
	svg_hold(s, r, run);
	/* the threads, then the lock lanes under them (as on the screen) */
	for (int k = 0; k < 2 * n; k++) {
		int slot = k % n;
		const struct trace_task *t = trace_task(s->info->tr, slot);

		if (t == NULL || t->run != run || (t->kind == TRACE_KIND_LANE) != (k >= n))
			continue;
		fprintf(s->f, "<text x=\"20\" y=\"%d\">", s->y + SVG_ROW - 4);
		svg_text(s->f, t->name);
		fputs("</text>\n", s->f);
		svg_row(s, r, slot, t->kind == TRACE_KIND_TASK ?
		    (double)nth++ / UTIL_MAX(1, ntask) : 0);
		s->y += SVG_ROW;
	}
	svg_hold_free(s);
	svg_cores(s, r);
	svg_pauses(s, r, y0 + SVG_HEAD - 6, s->y);
	svg_marks(s, r, y0 + SVG_HEAD - 2, s->y);
	fputs("</g>\n", s->f);
	s->y += 8;
}

static void
svg_axis(struct svg *s, uint64_t span)
{
	double step = 1e9;
	char lab[FMT_NUM_LEN];

	while ((double)span / step > 10)
		step *= 2;
	while ((double)span / step < 4 && step > 1e3)
		step /= 2;
	fprintf(s->f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
	    SVG_LEFT, s->y, SVG_LEFT + SVG_WIDTH, s->y);
	for (double t = 0; t <= (double)span * 1.0001; t += step) {
		double x = SVG_LEFT + t * s->px_per_ns;

		fmt_time(lab, sizeof lab, t / 1e9, false);
		fprintf(s->f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
		    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, s->y, x,
		    s->y + 5, x, s->y + 18, t == 0 ? "0" : lab);
	}
	fprintf(s->f, "<text x=\"10\" y=\"%d\" fill=\"#555\">each run from its own start, "
	    "on one scale; cores busy shown as shade</text>\n", s->y + 36);
	s->y += 44;
}

void
export_svg(FILE *f, const struct report_info *info, const struct core_series *cs)
{
	struct svg s = { .f = f, .info = info, .cs = cs, .y = 60, .lane = -1 };
	uint64_t span = 0;
	int height = 60 + 44, nlegend = 0;

	for (int i = 0; i < info->lab->nruns; i++) {
		const struct run_result *r = &info->results[i];

		if (!r->finished || r->t_end <= r->t_start)
			continue;
		span = UTIL_MAX(span, run_span(info->tr, r));
		height += SVG_HEAD + 8 + task_rows(info, i) * SVG_ROW +
		    (cs != NULL ? cs->ncpu * SVG_CORE : 0);
	}
	if (span == 0)
		span = CLOCK_NS_PER_S;
	s.px_per_ns = (double)SVG_WIDTH / (double)span;
	s.bucket = UTIL_MAX(1, (span + SVG_WIDTH - 1) / SVG_WIDTH);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/"
	    "2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n", SVG_LEFT + SVG_WIDTH + 20, height);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fputs("<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">conclab: ", f);
	svg_text(f, info->lab->id);
	fputs(" -- ", f);
	svg_text(f, info->lab->title);
	fputs("</text>\n", f);
	for (int st = TRACE_RUN; st < TRACE_NSTATES; st++) {
		int x = 10 + nlegend++ * 90;

		fprintf(f, "<rect x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		    "<text x=\"%d\" y=\"45\">%s</text>\n", x, state_colour[st], x + 16,
		    trace_state_name(st));
	}
	fprintf(f, "<rect x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\"/>"
	    "<text x=\"%d\" y=\"44\" font-size=\"9\" text-anchor=\"middle\" fill=\"white\">2"
	    "</text><text x=\"%d\" y=\"45\">GIL row: its holder (2 = thread-2)</text>\n",
	    10 + nlegend * 90, state_colour[TRACE_RUN], 16 + nlegend * 90, 26 + nlegend * 90);
	if (svg_own_known(cs))
		fprintf(f, "<rect x=\"10\" y=\"49\" width=\"12\" height=\"4\" fill=\"#2e9e44\"/>"
		    "<rect x=\"10\" y=\"53\" width=\"12\" height=\"4\" fill=\"#808080\"/>"
		    "<text x=\"26\" y=\"57\" font-size=\"10\">cores: the lab (upper half), "
		    "other programs (lower half)</text>\n");
	if (trace_npauses(info->tr) > 0)
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" "
		    "stroke-dasharray=\"3,2\"/><text x=\"%d\" y=\"%d\">a pause (left out of the "
		    "time axis)</text>\n", SVG_LEFT + SVG_WIDTH - 230, 34, SVG_LEFT + SVG_WIDTH - 230,
		    46, SVG_LEFT + SVG_WIDTH - 224, 45);
	svg_mark_legend(f, info);
	for (int i = 0; i < info->lab->nruns; i++)
		if (info->results[i].finished && info->results[i].t_end > info->results[i].t_start)
			svg_band(&s, i);
	svg_axis(&s, span);
	fputs("</svg>\n", f);
}
