/*
 * view_timeline: the runs compared on one time scale.  Each run is a band:
 * a header row (its name, a line as long as the run, its wall time, the
 * presenter's markers), then one row per task, all from the run's own
 * t = 0, so "sleep 1 s, fib 1.6 s, GIL 3.5 s" line up and read by eye.
 * Each cell is a bucket of a "nice" width (1, 2 or 5 x 10^k ms) chosen so
 * the longest run fits; nothing is drawn after a run ends.  Along a row the
 * cells in each state are proportional to the time spent in it (cells.h:
 * a GIL thread holding the lock a third of the time runs in a third of its
 * cells); run segments carry the CPU number where they are long enough, and
 * lock lanes (the simulated GIL) show which task holds the lock -- on the
 * band's header line when the timeline has no room for all its rows.  Which
 * rows a window shows is view_rows.c's.
 */
#include "cells.h"
#include "clock.h"
#include "fmt.h"
#include "lane_hold.h"
#include "lane_letter.h"
#include "trace.h"
#include "util.h"
#include "view.h"
#include "view_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BUCKET_NS 10000000ULL	/* 10 ms */
#define NAME_W_MIN 12
#define NAME_W_PID 18	/* with worker pids */

enum canvas_glyph
view_state_glyph(int state)
{
	switch (state) {
	case TRACE_RUN: return CG_RUN;
	case TRACE_READY: return CG_READY;
	case TRACE_LOCK: return CG_LOCK;
	case TRACE_IO: return CG_IO;
	case TRACE_DONE: return CG_DONE;
	case TRACE_FAILED: return CG_FAILED;
	default: return CG_NEW;
	}
}

int
view_state_color(int state)
{
	switch (state) {
	case TRACE_RUN: return CC_RUN;
	case TRACE_READY: return CC_READY;
	case TRACE_LOCK: return CC_LOCK;
	case TRACE_IO: return CC_IO;
	case TRACE_DONE: return CC_DONE;
	case TRACE_FAILED: return CC_FAILED;
	default: return CC_DEFAULT;
	}
}

/* The smallest 1/2/5 x 10^k ns at least ns (and at least 10 ms). */
static uint64_t
nice_ns(uint64_t ns)
{
	uint64_t b = MIN_BUCKET_NS / 10;

	for (;;) {
		if (b >= ns && b >= MIN_BUCKET_NS)
			return b;
		if (b * 2 >= ns && b * 2 >= MIN_BUCKET_NS)
			return b * 2;
		if (b * 5 >= ns && b * 5 >= MIN_BUCKET_NS)
			return b * 5;
		b *= 10;
	}
}

static void
format_time(uint64_t ns, char *buf, size_t len)
{
	if (ns == 0)
		snprintf(buf, len, "0");
	else if (ns >= CLOCK_NS_PER_S && ns % CLOCK_NS_PER_S == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / CLOCK_NS_PER_S));
	else if (ns >= CLOCK_NS_PER_S)
		snprintf(buf, len, "%.1fs", (double)ns / 1e9);
	else
		snprintf(buf, len, "%llums", (unsigned long long)(ns / 1000000ULL));
}

/* The axis: tick labels every `step` ns. */
static void
draw_axis(struct canvas *c, int x, int y, int w, uint64_t bucket)
{
	uint64_t step = nice_ns(bucket * 10);
	int last_end = -1;

	canvas_fill(c, x, y, w, 1, canvas_glyph(c, CG_HLINE), CC_DIM, 0);
	for (uint64_t t = 0;; t += step) {
		int col = (int)(t / bucket);
		char lab[16];

		if (col >= w)
			break;
		if (col <= last_end)
			continue;
		format_time(t, lab, sizeof lab);
		canvas_put(c, x + col, y, canvas_glyph(c, CG_TICK), CC_DIM, 0);
		last_end = col;
		if (fmt_cols(lab) <= w - col - 1)	/* a time label whole or not at all */
			last_end += canvas_text(c, x + col + 1, y, w - col - 1, lab, CC_DIM, 0);
	}
}

/* One lock lane: the holder's letter (lane_letter.h: one per thread, as
 * the legend names it) where it is held (who: holder slot + 1, 0 free). */
static void
draw_lane(struct canvas *c, const struct view_lab *v, int x, int y, int w,
    const int16_t *who)
{
	char letters[TRACE_MAX_TASKS];

	lane_letters_all(v->tr, letters, TRACE_MAX_TASKS);
	for (int b = 0; b < w; b++) {
		if (who[b] == LANE_WHO_SEVERAL)	/* no one holder: several at once */
			canvas_put(c, x + b, y, LANE_SEVERAL_GLYPH, CC_LOCK, CA_REVERSE);
		if (who[b] <= 0)
			continue;
		canvas_put(c, x + b, y, who[b] <= TRACE_MAX_TASKS && letters[who[b] - 1] != 0 ?
		    (unsigned char)letters[who[b] - 1] : '?', CC_LOCK, CA_REVERSE);
	}
}

/* One task row; run segments of 4+ cells show their CPU. */
static void
draw_task(struct canvas *c, int x, int y, int w, const uint8_t *st, const int16_t *cpu)
{
	for (int b = 0; b < w; b++)
		canvas_put(c, x + b, y, canvas_glyph(c, view_state_glyph(st[b])),
		    view_state_color(st[b]), 0);
	for (int b = 0; b < w;) {
		int e = b;
		char num[8];
		int len;

		while (e < w && st[e] == st[b] && cpu[e] == cpu[b])
			e++;
		if (st[b] == TRACE_RUN && cpu[b] >= 0) {
			len = snprintf(num, sizeof num, "%d", cpu[b]);
			if (e - b >= len + 3)
				canvas_text(c, x + b + 1, y, len, num, CC_RUN, CA_REVERSE | CA_BOLD);
		}
		b = e;
	}
}

/* A presenter's pause begins at the mark (the session's note). */
static bool
is_pause(const struct trace_mark *m)
{
	return m->kind == TRACE_MARK_NOTE && strcmp(m->text, "paused") == 0;
}

/* The band's marks: a glyph at each mark's cell (a pause's: the pause
 * glyph, in the legend; the time axis leaves the pause out, so this glyph
 * is all that says where it was), and its text as far as the next mark
 * (or the run's figures at lim) leaves room, on the bare line only (never
 * over a GIL holder's letter where the lane is on the line), cut with … --
 * marks never write over each other.  The last mark with no room on its
 * right (at the band's end: a marker set while paused) has its text on
 * its left, after the mark before and its text. */
static void
draw_marks(struct canvas *c, const struct view_lab *v, const struct view_band *b, int x, int y,
    int n, int lim, uint64_t bucket)
{
	int nmarks = trace_nmarks(v->tr), prev = -1, lead = -1, free_from = 0;
	const struct trace_mark *pm = NULL;

	for (int i = 0; i <= nmarks; i++) {
		const struct trace_mark *m = i < nmarks ? trace_get_mark(v->tr, i) : NULL;
		int col = -1;

		if (i < nmarks && (m == NULL || m->kind == TRACE_MARK_RUN ||
		    m->kind == TRACE_MARK_PRINT || m->ts < b->start ||
		    m->ts > b->end ||
		    (m->kind == TRACE_MARK_NOTE && strcmp(m->text, "resumed") == 0)))
			continue;	/* a pause takes no time: one glyph where it began */
		if (m != NULL)	/* under the run's figures: at their left */
			col = (int)UTIL_MIN((trace_fold(v->tr, m->ts) - b->fstart) / bucket,
			    (uint64_t)(UTIL_MAX(1, UTIL_MIN(n, lim)) - 1));
		if (m != NULL && col <= prev) {
			/* the same cell as the one before: one glyph, the
			 * presenter's marker rather than a note -- beside a
			 * pause where there is room */
			if (m->kind == TRACE_MARK_USER && pm->kind != TRACE_MARK_USER) {
				if (!is_pause(pm) || !view_marker_beside_pause(c, x, y, UTIL_MIN(n, lim),
				    free_from, &prev, &lead))
					canvas_put(c, x + prev, y, canvas_glyph(c, CG_MARK), CC_WARN,
					    CA_BOLD);
				pm = m;
			} else if (is_pause(m) && pm->kind != TRACE_MARK_USER) {
				/* a pause shows where a lab's note or a step is */
				canvas_put(c, x + prev, y, canvas_glyph(c, CG_VLINE), CC_DIM,
				    CA_BOLD);
				pm = m;
			}
			continue;
		}
		if (pm != NULL) {	/* the previous mark's text up to this one */
			int room = view_bare_cells(c, x + prev + 1, y, (m != NULL ? col : lim) - prev - 2,
			    1), drawn = 0;
			int color = pm->kind == TRACE_MARK_USER ? CC_WARN : CC_DIM;
			int left = view_bare_cells(c, x + lead - 1, y, UTIL_MIN(fmt_cols(pm->text),
			    lead - free_from), -1);

			if (room >= 2)
				drawn = canvas_text(c, x + prev + 1, y, room, pm->text, color, 0);
			else if (m == NULL && left >= UTIL_MIN(2, fmt_cols(pm->text)))
				canvas_text(c, x + lead - left, y, left, pm->text, color, 0);
			free_from = prev + 2 + drawn;
		}
		if (m == NULL)
			break;
		canvas_put(c, x + col, y, canvas_glyph(c, is_pause(m) ? CG_VLINE : CG_MARK),
		    m->kind == TRACE_MARK_USER ? CC_WARN : CC_DIM, CA_BOLD);
		prev = lead = col;
		pm = m;
	}
}

/* The cell of the band's last mark or pause (n cells), -1 with none. */
static int
last_mark_cell(const struct view_lab *v, const struct view_band *b, int n, uint64_t bucket)
{
	int nmarks = trace_nmarks(v->tr), last = -1;

	for (int i = 0; i < nmarks; i++) {
		const struct trace_mark *m = trace_get_mark(v->tr, i);

		if (m == NULL || m->kind == TRACE_MARK_RUN || m->ts < b->start || m->ts > b->end)
			continue;
		last = UTIL_MAX(last, (int)UTIL_MIN((trace_fold(v->tr, m->ts) - b->fstart) /
		    bucket, (uint64_t)(n - 1)));
	}
	return last;
}

/* Cells of the band at bucket ns a cell (at most cols, at least 1). */
int
view_band_cells(const struct view_band *b, int cols, uint64_t bucket)
{
	int n = (int)UTIL_MIN((uint64_t)cols, (b->fend - b->fstart + bucket - 1) / bucket);

	return UTIL_MAX(n, 1);
}

/* The band in cells of bucket ns, at most cols of them, the first shown
 * of them drawn (a zoom covers the rest): each cell as it is without the
 * zoom -- a row's READY fit over the band's cells, not over those shown. */
static struct view_span
band_span(const struct view_band *b, int cols, int shown, uint64_t bucket)
{
	struct view_span sp = { b->start, b->end, bucket, view_band_cells(b, cols, bucket), 0,
	    false };

	sp.shown = UTIL_MIN(sp.n, shown);
	return sp;
}

static void draw_row(struct canvas *c, const struct view_lab *v, int slot, double phase,
    const struct view_span *sp, int x, int y, const struct view_hold *h);

/* A band's header: the run's name, a line as long as the run (its wall
 * without the presenter's pauses; with fold_lanes the lock's holder on it
 * where one holds it), its wall time and the pauses left out, and the
 * markers, the pauses and the lab's notes inside it. */
static void
draw_header(struct canvas *c, const struct view_lab *v, int run, const struct view_band *b,
    int x, int y, int name_w, int cols, const struct view_span *sp, const struct view_hold *h)
{
	uint64_t bucket = sp->bucket;
	int n = view_band_cells(b, cols, bucket), len = 0, lane = view_band_lane(v, run);
	char cut[LAB_NAME_LEN * 3], label[FMT_NUM_LEN * 3 + 48], cores[FMT_NUM_LEN];
	uint64_t paused = (b->end - b->start) - (b->fend - b->fstart);
	bool fits = false;
	double wall = v->runs[run].wall_s > 0 ? v->runs[run].wall_s :
	    (double)(b->fend - b->fstart) / 1e9;

	/* cut in the middle: runs differ at their ends (walk 4 #8) */
	fmt_cut_middle(cut, sizeof cut, run < v->lab->nruns ? v->lab->runs[run].name : "?",
	    name_w - 1, c->ascii);
	canvas_text(c, x, y, name_w - 1, cut, run == v->sel_run ? CC_SELECT : CC_MARK,
	    CA_BOLD);
	canvas_fill(c, x + name_w, y, n, 1, canvas_glyph(c, CG_HLINE), CC_MARK, 0);
	if (lane >= 0)	/* the holder on the line where it holds */
		draw_row(c, v, lane, 0, sp, x + name_w, y, h);
	/* the line leaves the pauses out: say how long they were, unless that
	 * hides the last pause's or marker's glyph under the figures.  A lane
	 * on the line is never cut for them (walk 4 #2: a 38-cell lane over
	 * 57-cell rows): the figures shorten (no pause, no cores) to fit after
	 * it, or are left out (the run table has them) */
	for (int k = 0; k < 4; k++) {
		bool with = !(k & 1) && paused >= bucket, busy = !(k & 2);

		if (((k & 1) && paused < bucket) || (lane < 0 && !busy))
			continue;	/* the same as the one before; a line keeps cores */
		label[0] = ' ';
		fmt_time(label + 1, sizeof label - 1, wall, c->ascii);
		if (with) {
			util_strlcpy(label + strlen(label), ", ", sizeof label - strlen(label));
			fmt_time(label + strlen(label), sizeof label - strlen(label),
			    (double)paused / 1e9, c->ascii);
			util_strlcpy(label + strlen(label), " paused", sizeof label - strlen(label));
		}
		if (busy && v->runs[run].cores > 0) {
			fmt_cores(cores, sizeof cores, v->runs[run].cores);
			snprintf(label + strlen(label), sizeof label - strlen(label),
			    ", %s cores busy", cores);
		}
		len = UTIL_MIN(fmt_cols(label), cols);
		fits = last_mark_cell(v, b, n, bucket) < UTIL_MIN(n, cols - len) &&
		    (lane < 0 || n + len <= cols);
		if (fits)
			break;
	}
	if (!fits && lane >= 0)
		len = 0;	/* no room after the lane */
	draw_marks(c, v, b, x + name_w, y, n, UTIL_MIN(n, cols - len), bucket);
	/* the run's wall and cores last: a marker's text never hides them */
	canvas_text(c, x + name_w + UTIL_MIN(n, cols - len), y, len, label, CC_MARK,
	    CA_BOLD);
}

/* One row over sp: a lock lane's holders, or a task's states dithered in
 * proportion to time -- running (or ready) where its band's lane (h, may
 * be NULL) draws it holding the lock. */
static void
draw_row(struct canvas *c, const struct view_lab *v, int slot, double phase,
    const struct view_span *sp, int x, int y, const struct view_hold *h)
{
	const struct trace_task *t = trace_task(v->tr, slot);
	int n = sp->n;
	double *ns;
	uint8_t *st, *held = NULL;
	int16_t *cpu;

	if (t->kind == TRACE_KIND_LANE) {
		int16_t *who = NULL;

		if (h == NULL || h->lane != slot || h->who == NULL) {
			who = xmalloc(sizeof *who * (size_t)n);
			view_lane_hold(v, slot, sp, who, NULL);
		}
		draw_lane(c, v, x, y, sp->shown, who != NULL ? who : h->who);
		free(who);
		return;
	}
	ns = xmalloc((size_t)n * TRACE_NSTATES * sizeof *ns);
	st = xmalloc((size_t)n);
	cpu = xmalloc((size_t)n * sizeof *cpu);
	if (h != NULL && h->who != NULL) {
		held = xmalloc((size_t)n);
		lane_hold_row(h->who, h->inst, n, slot, held);
	}
	trace_task_shares(v->tr, slot, sp->from, sp->bucket, n, sp->to, ns, cpu);
	if (!sp->part && at_load_relaxed(&t->sched_known))
		cells_fit_ready(ns, n, (double)trace_task_ready_ns(v->tr, slot));
	/* rows of one band dither from evenly spread phases, so rows with the
	 * same mix (three GIL threads) take their turns in different cells */
	cells_diffuse_held(ns, n, phase, held, st);
	draw_task(c, x, y, sp->shown, st, cpu);
	view_draw_prints(c, v, slot, sp, x, y);
	free(ns);
	free(st);
	free(cpu);
	free(held);
}

static void
draw_name(struct canvas *c, const struct view_lab *v, int slot, int x, int y, int name_w)
{
	const struct trace_task *t = trace_task(v->tr, slot);
	char name[TRACE_NAME_LEN], cut[TRACE_NAME_LEN * 3], letters[TRACE_MAX_TASKS];
	int32_t pid = trace_task_pid(v->tr, slot);
	int lw = 0;

	util_strlcpy(name, t->name, sizeof name);
	if (t->kind == TRACE_KIND_LANE)
		for (char *p = name; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
	if (t->kind == TRACE_KIND_TASK && pid > 0 && pid != v->own_pid) {
		/* A worker process: its pid, the name cut to make room. */
		char num[16];
		int len = snprintf(num, sizeof num, " %d", (int)pid);
		int keep = UTIL_MAX(1, name_w - 1 - len);

		if ((int)strlen(name) > keep)
			name[keep] = '\0';
		util_strlcpy(name + strlen(name), num, sizeof name - strlen(name));
	}
	if (t->kind == TRACE_KIND_TASK && slot < TRACE_MAX_TASKS) {
		/* the letter the GIL lane draws for this thread, after its name,
		 * always: the legend's "letter=holder" points here (walk 4 #7:
		 * py-3 drawn as 4; walk 5 F11: "main 8993" drawn as n, a pid's
		 * last digit read as the letter) */
		lane_letters_all(v->tr, letters, TRACE_MAX_TASKS);
		if (letters[slot] != 0)
			lw = 2;
	}
	fmt_cut_middle(cut, sizeof cut, name, name_w - 1 - lw, c->ascii);
	canvas_text(c, x, y, name_w - 1 - lw, cut, t->run == v->sel_run ? CC_SELECT :
	    CC_DEFAULT, 0);
	if (lw > 0)
		canvas_put(c, x + name_w - 2, y, (unsigned char)letters[slot], CC_LOCK, CA_REVERSE);
}

/* The name column: the longest task or run name where a fifth of the
 * width has room for it (names were cut with columns free); rows of worker
 * processes show their pid too. */
static int
name_width(const struct view_lab *v, int w)
{
	int ntasks = trace_ntasks(v->tr), longest = 0, pid_w = 0;

	for (int i = 0; i < ntasks; i++) {
		const struct trace_task *t = trace_task(v->tr, i);
		int32_t pid = trace_task_pid(v->tr, i);

		if (t == NULL)
			continue;
		longest = UTIL_MAX(longest, fmt_cols(t->name));
		if (t->run >= 0 && t->run < v->lab->nruns)
			longest = UTIL_MAX(longest, fmt_cols(v->lab->runs[t->run].name));
		if (t->kind == TRACE_KIND_TASK && pid > 0 && pid != v->own_pid)
			pid_w = 7;	/* " 123456" */
	}
	return UTIL_MAX(NAME_W_MIN + (pid_w ? NAME_W_PID - NAME_W_MIN : 0),
	    UTIL_MIN(longest + pid_w + 1, w / 5));
}

int
view_timeline_name_width(const struct view_lab *v, int w)
{
	return name_width(v, w);
}

/* "3-10 of 40": the task numbers of the rows shown, in the name column
 * ("188-201/206" where that does not fit). */
static void
draw_range(struct canvas *c, const int *rows, int nrows, int first, int visible, int x,
    int y, int w)
{
	int lo = 0, hi = 0, total = 0;

	for (int r = 0; r < nrows; r++) {
		if (rows[r] < 0)
			continue;
		total++;
		if (r >= first && r < first + visible) {
			if (lo == 0)
				lo = total;
			hi = total;
		}
	}
	if (nrows > visible) {
		/* the shortest form that fits keeps the total (walk 6 G17: "188-201
		 * of…" at 80 columns) */
		char buf[48];

		if (snprintf(buf, sizeof buf, "%d-%d of %d", lo, hi, total) > w &&
		    snprintf(buf, sizeof buf, "%d-%d/%d", lo, hi, total) > w)
			snprintf(buf, sizeof buf, "%d+/%d", lo, total);
		canvas_text(c, x, y, w, buf, CC_DIM, 0);
	} else {
		canvas_text(c, x, y, w, "task", CC_DIM, 0);
	}
}

/* The cell width that fits the longest band into cols. */
uint64_t
view_fit_bucket(const struct view_band *bands, int cols)
{
	uint64_t span = 0;

	for (int r = 0; r < LAB_MAX_RUNS; r++)
		if (bands[r].used)
			span = UTIL_MAX(span, bands[r].fend - bands[r].fstart);
	return nice_ns(span / (uint64_t)cols + 1);
}

/* One frame of the timeline: what its rows share. */
struct frame {
	struct canvas *c;
	const struct view_lab *v;
	int x, name_w, cols;	/* cols: the cells left of the zoom */
	int all_cols;		/* the cells without the zoom */
	uint64_t bucket;
	struct view_band bands[LAB_MAX_RUNS];
	struct view_hold hold[LAB_MAX_RUNS];	/* each band's lock lane */
	struct view_zoom zoom;
	struct view_hold zhold;	/* the zoomed band's lane in the zoom */
};

/* Display row `row` (a slot, or a band's header) at y: its band's cells,
 * and its zoom (view_step.c) when its band is zoomed. */
static void
draw_line(struct frame *f, int row, double phase, int y)
{
	const struct view_lab *v = f->v;
	const struct trace_task *t = row >= 0 ? trace_task(v->tr, row) : NULL;
	int run = row < 0 ? -1 - row : t != NULL ? t->run : -1;
	int zx = f->x + f->name_w + f->cols + 1, lane;
	struct view_span sp;

	if (run < 0 || run >= LAB_MAX_RUNS)
		return;
	sp = band_span(&f->bands[run], f->all_cols, f->cols, f->bucket);
	if (row < 0) {
		draw_header(f->c, v, run, &f->bands[run], f->x, y, f->name_w, f->cols, &sp,
		    &f->hold[run]);
		if (run != f->zoom.run)
			return;
		canvas_fill(f->c, zx, y, f->zoom.sp.n, 1, canvas_glyph(f->c, CG_HLINE),
		    CC_MARK, 0);
		/* the holders on the line (a short screen), or where each
		 * step stopped: a pause glyph would hide the new holder */
		if ((lane = view_band_lane(v, run)) >= 0)
			draw_row(f->c, v, lane, 0, &f->zoom.sp, zx, y, &f->zhold);
		else
			view_zoom_marks(f->c, v, &f->zoom, zx, y);
		return;
	}
	draw_name(f->c, v, row, f->x, y, f->name_w);
	draw_row(f->c, v, row, phase, &sp, f->x + f->name_w, y, &f->hold[run]);
	if (run == f->zoom.run)
		draw_row(f->c, v, row, phase, &f->zoom.sp, zx, y, &f->zhold);
}

/* The bands, the zoom of a paused GIL run, and each band's lock lane. */
static void
frame_init(struct frame *f, int cols)
{
	struct view_zoom *z = &f->zoom;

	view_find_bands(f->v, f->bands, f->v->now);
	f->bucket = view_fit_bucket(f->bands, cols);
	view_zoom_find(f->v, f->bands, cols, f->bucket, z);
	f->all_cols = cols;
	f->cols = z->run >= 0 ? cols - z->w : cols;
	for (int r = 0; r < LAB_MAX_RUNS; r++) {
		struct view_span sp = band_span(&f->bands[r], cols, f->cols, f->bucket);

		f->hold[r].lane = -1;
		f->hold[r].who = NULL;
		if (f->bands[r].used)
			view_hold_init(&f->hold[r], f->v, r, &sp);
	}
	f->zhold.lane = -1;
	f->zhold.who = NULL;
	if (z->run >= 0)
		view_hold_init(&f->zhold, f->v, z->run, &z->sp);
}

static void
frame_free(struct frame *f)
{
	for (int r = 0; r < LAB_MAX_RUNS; r++)
		view_hold_free(&f->hold[r]);
	view_hold_free(&f->zhold);
}

int
view_timeline(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	int ntasks = trace_ntasks(v->tr), name_w = name_width(v, w), cols = w - name_w;
	int visible = h - 2, nrows, first, nth = 0, *rows;
	bool sticky;
	int band_rows[LAB_MAX_RUNS] = { 0 };
	char lab[16], scale[32];
	struct frame f = { .c = c, .v = v, .x = x, .name_w = name_w };

	if (cols < 10 || visible < 1)
		return ntasks;
	frame_init(&f, cols);
	nrows = view_rows_list(v, NULL, 0);
	rows = xmalloc(sizeof *rows * (size_t)(nrows + 1));
	view_rows_list(v, rows, nrows);
	first = view_rows_first(rows, nrows, v->scroll, visible, &sticky);
	for (int r = 0; r < nrows; r++) {
		const struct trace_task *t = rows[r] >= 0 ? trace_task(v->tr, rows[r]) : NULL;

		if (t != NULL && t->kind == TRACE_KIND_TASK && t->run >= 0 &&
		    t->run < LAB_MAX_RUNS)
			band_rows[t->run]++;
	}
	draw_range(c, rows, nrows, first, visible - sticky, x, y, name_w - 1);
	if (ntasks == 0)
		canvas_text(c, x + name_w, y + 1, cols, v->asking ?
		    "(no tasks yet: the lab runs once you answer below)" :
		    "(no tasks yet: press Enter to run the lab)", CC_DIM, 0);
	else
		canvas_text(c, x + name_w, y, cols, "each run from its own start, on one scale",
		    CC_DIM, 0);
	if (sticky) {
		const struct trace_task *t = trace_task(v->tr, rows[first]);

		if (t != NULL)
			draw_line(&f, VIEW_ROW_HEADER(t->run), 0, y + 1);
	}
	for (int r = 0; r < nrows && r < first + visible - sticky; r++) {
		int row = rows[r];
		const struct trace_task *t = row >= 0 ? trace_task(v->tr, row) : NULL;
		double phase = 0;

		if (row < 0)
			nth = 0;
		if (t != NULL && t->kind == TRACE_KIND_TASK && t->run >= 0 &&
		    t->run < LAB_MAX_RUNS)
			phase = (double)nth++ / UTIL_MAX(1, band_rows[t->run]);
		if (r >= first)
			draw_line(&f, row, phase, y + 1 + sticky + r - first);
	}
	free(rows);
	format_time(f.bucket, lab, sizeof lab);
	snprintf(scale, sizeof scale, "cell=%s", lab);
	canvas_text(c, x, y + h - 1, name_w - 1, scale, CC_DIM, 0);
	draw_axis(c, x + name_w, y + h - 1, f.cols, f.bucket);
	if (f.zoom.run >= 0)
		view_zoom_axis(c, &f.zoom, x + name_w + f.cols, y + h - 1);
	frame_free(&f);
	return ntasks;
}
