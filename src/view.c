/*
 * view: the lab screen and its small panels, drawn where view_plan.c puts
 * them.  From the top: a title line (lab, the dashboard's own CPU use), a
 * status line (settings, picked run, the run going), once runs started the
 * headline strip, the timeline, then cores beside the numbers, the lesson,
 * and at the bottom the legend and the key line, which are always drawn.
 * Below 34 rows the status sits on the timeline's top line, the numbers and
 * the lesson are left to the strip, the band headers and the reader (l),
 * and once no run goes the cores rows give way to the task rows where they
 * must.
 */
#include "fmt.h"
#include "trace.h"
#include "util.h"
#include "view.h"
#include "view_int.h"
#include "view_shade.h"

#include <stdio.h>
#include <string.h>

#define TIME_W 7	/* the run table's time columns: "1,234 s", "402 ms" */

/* Nothing runs: p, which pauses a run in progress, is not among them (walk
 * 7 H11); m and e act once something ran. */
static const char key_line[] =
    "Enter run all  Tab pick run  o run it  +/- tasks  [/] work  m mark  "
    "f focus  e export  ? help  Esc menu  q quit";
static const char key_line_short[] =
    "Enter run  Tab pick  o run  +- tasks  [] work  f focus  ? help  Esc menu  q quit";
static const char key_line_first[] =
    "Enter run all  Tab pick run  o run it  +/- tasks  [/] work  c settings  f focus  "
    "? help  Esc menu  q quit";
/* While a run goes, the keys that act then (Enter, o and e wait for its
 * end; + - [ ] are kept for the next run), and paused, s steps a GIL run. */
static const char key_line_running[] =
    "p pause  m mark  f focus  Up/Down scroll  +/- tasks  [/] work (next run)  "
    "c settings  ? help  Esc stop  q quit";
static const char key_line_running_short[] =
    "p pause  m mark  f focus  +-[] next run  c settings  ? help  Esc stop  q quit";
static const char key_line_paused[] =
    "PAUSED: p resume  m mark  f focus  c settings  ? help  Esc stop  q quit";
static const char key_line_paused_gil[] =
    "PAUSED: p resume  s step GIL  m mark  f focus  ? help  Esc stop  q quit";
static const char key_line_done[] =
    "l lesson  Enter again  Tab pick  c settings  e export  ? help  Esc menu  q quit";
static const char key_line_ask[] =
    "your answer's number  s or Enter skip  c settings  ? help  Esc menu  q quit";

bool
view_too_small(struct canvas *c, int w, int h)
{
	char line[128];
	int y;

	if (c->w >= w && c->h >= h)
		return false;
	canvas_clear(c);
	y = c->h / 2 - 1;
	snprintf(line, sizeof line, "conclab needs a terminal of at least %dx%d;", w, h);
	canvas_wrap(c, 1, y < 0 ? 0 : y, c->w - 2, 2, line, CC_WARN, CA_BOLD);
	snprintf(line, sizeof line, "this one is %dx%d. Enlarge it, or press q.", c->w, c->h);
	canvas_wrap(c, 1, y + 2, c->w - 2, 2, line, CC_WARN, 0);
	return true;
}

/* The lab's state once no run goes: how many of its runs finished (the
 * picked run is only what Tab and o act on, not what ran). */
static void
finished_text(const struct view_lab *v, char *buf, size_t len)
{
	int n = v->lab->nruns, done = 0, failed = 0, skipped = 0, stopped = 0;
	size_t used;

	for (int i = 0; i < n; i++)
		if (v->runs[i].state == VIEW_RUN_FINISHED) {
			const struct run_result *r = v->runs[i].res;

			if (r != NULL && r->stopped) {	/* Esc: cut short, not finished */
				stopped++;
				continue;
			}
			done++;
			failed += r != NULL && r->failed;
			skipped += r != NULL && r->skipped && !r->failed;
		}
	if (done == n && n == 1)
		snprintf(buf, len, "the run finished");
	else if (done == n)
		snprintf(buf, len, "all %d runs finished", n);
	else
		snprintf(buf, len, "%d of %d runs finished", done, n);
	used = strlen(buf);
	if (failed > 0 && used < len)
		used += (size_t)snprintf(buf + used, len - used, ", %d failed", failed);
	if (skipped > 0 && used < len)
		used += (size_t)snprintf(buf + used, len - used, ", %d skipped", skipped);
	if (stopped > 0 && used < len)
		snprintf(buf + used, len - used, ", %d stopped", stopped);
}

/* The settings at row y (with all false only the picked run); returns
 * the columns used. */
static int
draw_settings(struct canvas *c, const struct view_lab *v, int y, bool all)
{
	int col = 0;

	/* a value + - [ ] chose during the run: "tasks 3 (next run 4)" */
	if (all && v->tasks > 0)
		col += canvas_printf(c, col, y, -1, CC_DEFAULT, 0, "tasks %d  ", v->tasks);
	if (all && v->next_tasks > 0)
		col += canvas_printf(c, col - 2, y, -1, CC_MARK, CA_BOLD, " (next run %d)  ",
		    v->next_tasks) - 2;
	if (all && v->work_ms > 0)
		col += canvas_printf(c, col, y, -1, CC_DEFAULT, 0, "work %d ms  ", v->work_ms);
	if (all && v->next_work_ms > 0)
		col += canvas_printf(c, col - 2, y, -1, CC_MARK, CA_BOLD, " (next run %d)  ",
		    v->next_work_ms) - 2;
	if (!all && (v->next_tasks > 0 || v->next_work_ms > 0)) {
		/* short of room, the values waiting still show */
		char next[64] = "next run:";

		if (v->next_tasks > 0)
			snprintf(next + strlen(next), sizeof next - strlen(next), " tasks %d",
			    v->next_tasks);
		if (v->next_work_ms > 0)
			snprintf(next + strlen(next), sizeof next - strlen(next), " work %d ms",
			    v->next_work_ms);
		col += canvas_text(c, col, y, -1, next, CC_MARK, CA_BOLD) + 2;
	}
	col += canvas_text(c, col, y, -1, "pick: ", CC_DEFAULT, 0);	/* Tab, o */
	col += canvas_text(c, col, y, -1, v->lab->runs[v->sel_run].name, CC_SELECT, CA_BOLD);
	col += 2;
	if (all && v->switch_ms > 0)
		col += canvas_printf(c, col, y, -1, CC_DEFAULT, 0, "switch %.*f ms  ",
		    v->switch_ms < 10 ? 1 : 0, v->switch_ms);
	return col;
}

/* "running gil  1.97 s" for the run in progress (its wall without the
 * pauses), or "". */
static void
running_text(const struct view_lab *v, bool ascii, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; v->running && i < v->lab->nruns; i++) {
		char t[FMT_NUM_LEN];

		if (v->runs[i].state != VIEW_RUN_RUNNING)
			continue;
		fmt_time(t, sizeof t, v->runs[i].wall_s, ascii);
		snprintf(buf, len, "running %s  %s", v->lab->runs[i].name, t);
		return;
	}
}

/* The title line: the lab and its title, then the dashboard's own figures
 * where they fit. */
static void
draw_title(struct canvas *c, const struct view_lab *v)
{
	char right[96];
	int rw, col, need;

	canvas_fill(c, 0, 0, c->w, 1, ' ', CC_TITLE, CA_REVERSE);
	/* the lab's title before the dashboard's own figures: they shrink
	 * (rss, fps, the word dashboard) and go before the title is cut */
	need = 13 + (int)strlen(v->lab->id) + fmt_cols(v->lab->title);	/* 3 blanks after */
	for (int k = 0; k < 4; k++) {
		if (k == 0 && v->rss_mb > 0 && v->own_cpu_pct >= 0)
			snprintf(right, sizeof right, " rss %.1f MB  dashboard %.1f%% cpu @%dfps ",
			    v->rss_mb, v->own_cpu_pct, v->fps);
		else if (k <= 1 && v->own_cpu_pct >= 0)
			snprintf(right, sizeof right, " dashboard %.1f%% cpu @%dfps ",
			    v->own_cpu_pct, v->fps);
		else if (k <= 2)
			snprintf(right, sizeof right, v->own_cpu_pct >= 0 ? " dashboard %.1f%% cpu " :
			    " @%.0ffps ", v->own_cpu_pct >= 0 ? v->own_cpu_pct : (double)v->fps);
		else
			snprintf(right, sizeof right, " ");
		if (need + (int)strlen(right) <= c->w)
			break;
	}
	rw = (int)strlen(right);
	col = canvas_printf(c, 0, 0, c->w - rw, CC_TITLE, CA_REVERSE | CA_BOLD,
	    " conclab  %s ", v->lab->id);
	/* the title cut between words, 3 columns before the figures (walk 3
	 * #15: "...without a lock dashboard 0.7% cpu" read as one phrase) */
	canvas_wrap(c, col, 0, c->w - rw - col - 2, 1, v->lab->title, CC_TITLE, CA_REVERSE);
	canvas_text(c, c->w - rw, 0, rw, right, CC_TITLE, CA_REVERSE);
}

/* The status line at row y from column 0, for w columns: the settings
 * (all or only the picked run) then the pause, the run in progress and a
 * message, or where the lab stands.  Returns the columns it used. */
static int
draw_status(struct canvas *c, const struct view_lab *v, int y, int w, bool all)
{
	char run[LAB_NAME_LEN + FMT_NUM_LEN + 16], done[64];
	const char *text = done;
	int col = draw_settings(c, v, y, all), need, color = CC_DIM, attr = 0;

	running_text(v, c->ascii, run, sizeof run);
	need = (v->paused ? 10 : 0) + (run[0] != '\0' ? fmt_cols(run) + 2 : 0) +
	    (v->message != NULL ? fmt_cols(v->message) : 0);
	if (v->message != NULL && col + need > w) {
		/* A message that does not fit after the settings replaces them,
		 * not the pause and the run's time (a step's message showed alone). */
		canvas_fill(c, 0, y, c->w, 1, ' ', CC_DEFAULT, 0);
		col = 0;
	}
	if (v->paused)
		col += canvas_text(c, col, y, -1, " PAUSED ", CC_WARN, CA_REVERSE | CA_BOLD) + 2;
	if (run[0] != '\0')
		col += canvas_text(c, col, y, -1, run, CC_MARK, CA_BOLD) + 2;
	if (v->message != NULL) {
		text = v->message;
		color = CC_WARN;
		attr = CA_BOLD;
	} else if (v->running) {
		return col - 2;
	} else if (v->finished) {
		finished_text(v, done, sizeof done);
	} else if (v->asking) {
		text = "predict first: press a number";
		color = CC_MARK;
		attr = CA_BOLD;
	} else {
		text = "ready: press Enter";
	}
	return col + canvas_text(c, col, y, -1, text, color, attr);
}

/* The status on the timeline's top line at row y (a short screen has no
 * row of its own for it): after the name column, which keeps the task
 * range (of the settings only the picked run if need be), or across the
 * whole line when it needs it. */
static void
status_on_timeline(struct canvas *c, const struct view_lab *v, int y)
{
	int nw = view_timeline_name_width(v, c->w), x = nw, used;
	struct canvas *t = canvas_create(c->w, 1, c->ascii);

	used = draw_status(t, v, 0, c->w - nw, true);
	if (used > c->w - nw) {
		canvas_clear(t);
		used = draw_status(t, v, 0, c->w - nw, false);
	}
	if (used > c->w - nw) {
		canvas_clear(t);
		used = draw_status(t, v, 0, c->w, true);
		x = 0;
	}
	canvas_fill(c, x, y, c->w - x, 1, ' ', CC_DEFAULT, 0);
	for (int col = 0; col < used && x + col < c->w; col++)
		*canvas_cell(c, x + col, y) = *canvas_cell(t, col, 0);
	canvas_destroy(t);
}

int
view_core_tasks(const struct view_lab *v, int cpu, char *buf, size_t len, size_t *first_len)
{
	int n = trace_ntasks(v->tr), count = 0;
	size_t used = 0;

	buf[0] = '\0';
	if (first_len != NULL)
		*first_len = 0;
	for (int i = 0; i < n && used + 1 < len; i++) {
		const struct trace_task *t = trace_task(v->tr, i);
		int r;

		if (t == NULL || t->kind != TRACE_KIND_TASK ||
		    trace_task_state(v->tr, i) != TRACE_RUN ||
		    trace_task_cpu(v->tr, i) != cpu)
			continue;
		r = snprintf(buf + used, len - used, "%s%s", used ? " " : "", t->name);
		used += r > 0 ? (size_t)r : 0;
		if (used >= len)
			used = len - 1;
		if (count++ == 0 && first_len != NULL)
			*first_len = used;
	}
	return count;
}

void
view_cores(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	const struct core_sampler *cs = v->cores;
	int per_row = 1;

	if (h < 1 || w < 12)
		return;
	if (v->ncpu > h) {
		/* Compact grid: "c12 |||| 45%" cells of 13 columns. */
		per_row = UTIL_MAX(1, w / 13);
	}
	for (int i = 0; i < v->ncpu; i++) {
		int cpu = v->cpu_ids[i], row = i / per_row, col = x + (i % per_row) * 13;
		double busy = cs != NULL && cpu < cs->ncpu ? cs->busy[cpu] : -1;
		double own = v->own != NULL ? ownshare_get(v->own, cpu) : -1;
		char names[256];

		if (row >= h) {
			canvas_printf(c, x + w - 9, y + h - 1, 9, CC_DIM, 0, " +%d more",
			    v->ncpu - i);
			break;
		}
		if (per_row > 1) {
			canvas_printf(c, col, y + row, 4, CC_DIM, 0, "c%d", cpu);
			view_shade_bar(c, col + 4, y + row, 4, busy, own);
			if (busy >= 0)
				canvas_printf(c, col + 8, y + row, 4, CC_DEFAULT, 0, "%3.0f%%",
				    busy * 100);
			else
				canvas_text(c, col + 8, y + row, 4, " n/a", CC_DIM, 0);
			continue;
		}
		canvas_printf(c, x, y + row, 6, CC_DIM, 0, "cpu%d", cpu);
		view_shade_bar(c, x + 6, y + row, 10, busy, own);
		if (busy >= 0)
			canvas_printf(c, x + 17, y + row, 4, CC_DEFAULT, 0, "%3.0f%%", busy * 100);
		else
			canvas_text(c, x + 17, y + row, 4, " n/a", CC_DIM, 0);
		if (cs != NULL && cpu < cs->ncpu && w >= 34) {
			float hist[8], mine[8];
			int n = sample_core_history(cs, cpu, hist, 8);
			int m = v->own != NULL ? ownshare_history(v->own, cpu, mine, n) : 0;
			double err = 0;

			for (int k = 0; k < n; k++)	/* both end with the last sample */
				view_shade_cell(c, x + 22 + k, y + row, hist[k],
				    k - (n - m) >= 0 ? mine[k - (n - m)] : -1, &err);
		}
		view_core_tasks(v, cpu, names, sizeof names, NULL);
		if (w > 32)
			canvas_text(c, x + 31, y + row, w - 31, names, CC_RUN, 0);
	}
	/* the share is the core's, from /proc/stat: say so (walk 13: 100 %
	 * before anything ran was other programs'), and that the lab's is
	 * drawn apart when it is known */
	if (per_row == 1 && v->ncpu < h)
		canvas_text(c, x, y + v->ncpu, w, view_shade_own_known(v) ?
		    "busy: the lab's and other programs'" :
		    "busy: all programs, not only the lab's", CC_DIM, 0);
}

/* A run's number figures as "key value" in w columns, each whole: a
 * figure that does not fit is left out with those after it, and an
 * ellipsis says so (walk 7 H11: keys cut in the middle, "han…r_s 2,111",
 * "volun…per_s 516", read as nothing; never "1,0." for 1,000 either). */
static void
draw_figures(struct canvas *c, const struct run_result *res, int x, int y, int w)
{
	int col = 0;

	for (int m = 0; m < res->nmetrics && col < w; m++) {
		const struct metric *mt = &res->metrics[m];
		char num[FMT_NUM_LEN];

		if (mt->kind != METRIC_NUMBER)
			continue;
		fmt_metric(num, sizeof num, mt->key, mt->value, c->ascii);
		if (col + fmt_cols(mt->key) + 1 + fmt_cols(num) > w) {
			canvas_put(c, x + col, y, c->ascii ? FMT_CUT_ASCII : 0x2026, CC_DIM, 0);
			break;
		}
		col += 2 + canvas_printf(c, x + col, y, w - col, CC_DEFAULT, 0, "%s %s", mt->key,
		    num);
	}
}

/* Run i's row of the numbers table at row y: its name (> when picked),
 * wall, CPU and cores, then its figures (or why it failed or was skipped). */
static void
number_row(struct canvas *c, const struct view_lab *v, int i, int x, int row, int w, int nw)
{
	const struct view_run *r = &v->runs[i];
	int col = x, color = i == v->sel_run ? CC_SELECT : CC_DEFAULT;
	char name[LAB_NAME_LEN * 3], n[3][FMT_NUM_LEN];

	/* in the middle: 'cpython-…ed-10ms', not 'cpython-contend…' */
	fmt_cut_middle(name, sizeof name, v->lab->runs[i].name, nw, c->ascii);
	col += canvas_printf(c, col, row, w, color, i == v->sel_run ? CA_BOLD : 0,
	    "%c%s%*s", i == v->sel_run ? '>' : ' ', name, nw - fmt_cols(name), "");
	if (r->state == VIEW_RUN_PENDING) {
		canvas_printf(c, col, row, x + w - col, CC_DIM, 0, " %*s %*s %6s", TIME_W, "-",
		    TIME_W, "-", "-");
		return;
	}
	/* times as everywhere else, "402 ms", "875 µs" (walk 5 F13: bare
	 * "0.402 0.000875"), right-aligned by columns, not bytes */
	fmt_time(n[0], sizeof n[0], r->wall_s, c->ascii);
	fmt_time(n[1], sizeof n[1], r->cpu_s, c->ascii);
	fmt_cores(n[2], sizeof n[2], r->cores);
	col += canvas_printf(c, col, row, x + w - col,
	    r->state == VIEW_RUN_RUNNING ? CC_MARK : CC_DEFAULT, 0,
	    " %*s%s %*s%s %*s%s", TIME_W - fmt_cols(n[0]), "", n[0], TIME_W - fmt_cols(n[1]),
	    "", n[1], 6 - fmt_cols(n[2]), "", n[2]);
	if (r->res == NULL)
		return;
	if (r->res->failed)
		canvas_printf(c, col + 2, row, x + w - col - 2, CC_FAILED, 0, "failed: %s",
		    r->res->error);
	else if (r->res->skipped)
		canvas_printf(c, col + 2, row, x + w - col - 2, CC_DIM, 0, "skipped: %s",
		    r->res->skipped_reason);
	else
		draw_figures(c, r->res, col + 2, row, x + w - col - 2);
}

void
view_numbers(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	int nw = 15;	/* the run names' column: the longest where there is room */
	int nruns = v->lab->nruns, shown = nruns, first = 0;

	if (h < 1)
		return;
	for (int i = 0; i < nruns; i++)
		nw = UTIL_MAX(nw, UTIL_MIN(fmt_cols(v->lab->runs[i].name), w - 47));
	/* "figures" only where there is room for them */
	canvas_printf(c, x, y, w, CC_DIM, CA_UNDERLINE, "%-*s %*s %*s %6s%s", nw + 1, "run",
	    TIME_W, "wall", TIME_W, "cpu", "cores", w >= nw + 4 + 2 * TIME_W + 16 ?
	    "  figures" : "");
	if (nruns > h - 1) {
		/* more runs than rows: a window that keeps the picked run, and a
		 * last row saying how many are not shown (walk 5 F10: at 80x24
		 * sleep-vs-fib showed 5 of its 6 runs, saying nothing) */
		shown = h - 1 >= 2 ? h - 2 : h - 1;
		first = v->sel_run >= shown ? v->sel_run - shown + 1 : 0;
		first = UTIL_MIN(first, nruns - shown);
		if (shown < h - 1)
			canvas_printf(c, x, y + h - 1, w, CC_DIM, 0, " %s %d more (Tab)",
			    c->ascii ? "..." : "\xe2\x80\xa6", nruns - shown);
	}
	for (int j = 0; j < shown; j++)
		number_row(c, v, first + j, x, y + 1 + j, w, nw);
}

/* Whether the run in progress has a GIL lane that s can step (the lane
 * of a run not yet done, as session_step_gil finds it). */
static bool
can_step(const struct view_lab *v)
{
	int n = v->tr != NULL ? trace_ntasks(v->tr) : 0;

	for (int i = 0; v->running && i < n; i++) {
		const struct trace_task *t = trace_task(v->tr, i);

		if (t != NULL && t->kind == TRACE_KIND_LANE &&
		    trace_task_state(v->tr, i) != TRACE_DONE)
			return true;
	}
	return false;
}

/* The key line: what the keys do now. */
static const char *
keys_now(const struct canvas *c, const struct view_lab *v)
{
	if (v->asking)
		return key_line_ask;
	if (v->paused)
		return can_step(v) ? key_line_paused_gil : key_line_paused;
	if (v->running)
		return c->w >= (int)sizeof key_line_running - 1 ? key_line_running :
		    key_line_running_short;
	if (v->finished && v->explain != NULL)
		return key_line_done;
	if (v->tr == NULL || trace_ntasks(v->tr) == 0)	/* nothing ran yet */
		return c->w >= (int)sizeof key_line_first - 1 ? key_line_first : key_line_short;
	return c->w >= (int)sizeof key_line - 1 ? key_line : key_line_short;
}

/* The legend in legend_h lines (cores: the screen draws the cores) and
 * the key line. */
static void
draw_keys(struct canvas *c, const struct view_lab *v, bool cores, int legend_h)
{
	view_legend_lab(c, v, cores, 0, c->h - 1 - legend_h, c->w, legend_h);
	canvas_text(c, 0, c->h - 1, c->w, keys_now(c, v), CC_KEY, 0);
}

void
view_lab(struct canvas *c, const struct view_lab *v)
{
	struct view_lab folded;
	struct view_plan plan;
	const struct view_plan_rows *p = &plan.rows;
	int y;

	canvas_clear(c);
	if (view_too_small(c, VIEW_MIN_W, VIEW_MIN_H))
		return;
	if (v->reader) {
		view_reader(c, v);
		if (v->help)
			view_help(c, v->help_page);
		return;
	}
	view_plan(c, v, &plan);
	draw_title(c, v);
	if (!plan.compact)
		draw_status(c, v, 1, c->w, true);
	if (v->focus) {
		/* Focus: the timeline takes every row but the header and the
		 * bottom ones (no cores: not in the legend either). */
		view_timeline(c, v, 0, 2, c->w, plan.bottom - 2);
		draw_keys(c, v, false, plan.legend_h);
		if (v->help)
			view_help(c, v->help_page);
		return;
	}
	if (plan.fold) {
		folded = *v;
		folded.fold_lanes = true;
		v = &folded;
	}
	if (plan.y > plan.strip_y)	/* once runs started */
		view_strip(c, v, 1, plan.strip_y, c->w - 2, c->h / 2 - 4, plan.vrows);
	y = plan.y;
	view_timeline(c, v, 0, y, c->w, p->tl_h);
	if (plan.compact)
		status_on_timeline(c, v, y);
	y += p->tl_h;
	if (plan.compact && !p->grid) {
		view_core_rows(c, v, 0, y, c->w, p->core_rows);
	} else if (p->grid || plan.compact) {
		view_cores(c, v, 0, y, c->w, p->core_rows);
		view_numbers(c, v, 0, y + p->core_rows, c->w, p->mid_h - p->core_rows);
	} else {
		/* the cores need about 40 columns; the run table the rest */
		int cw = UTIL_MIN(c->w / 2, 41);

		view_cores(c, v, 0, y, cw - 1, p->mid_h);
		view_numbers(c, v, cw, y, c->w - cw, p->mid_h);
	}
	y += p->mid_h + 1;
	/* rows the timeline does not need show the lesson (coroutines had 6
	 * blank rows at 80x24) */
	if (p->lesson_min > 0 || !plan.compact || plan.bottom - y >= 3)
		view_lesson(c, v, 1, y, c->w - 2, plan.bottom - y);
	draw_keys(c, v, p->cores, plan.legend_h);
	if (v->help)
		view_help(c, v->help_page);
}
