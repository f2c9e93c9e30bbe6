/* The screen tests' fixture (check_screens.c, check_screens_legend.c):
 * every shipped lab from synthetic data -- a canned trace per run (GIL
 * turns with a lock lane, sleepers in io, time-sliced threads ready a
 * third of the time), made-up figures for every metric, the cores' busy
 * shares -- and the readers of a rendered screen (its rows as text, the
 * timeline's top line, name column and rows). */
#ifndef CONCLAB_TESTS_SCREENS_FX_H
#define CONCLAB_TESTS_SCREENS_FX_H

#include "testutil.h"

#include "canvas.h"
#include "exec.h"
#include "report.h"
#include "sample.h"
#include "util.h"
#include "verdict.h"
#include "view.h"

#include <ctype.h>

#define MS 1000000ULL
#define SYNTH_MAX 12	/* tasks of a run, at most */

struct synth {
	struct trace *tr;
	struct run_result res[LAB_MAX_RUNS];
	struct core_sampler *cs;
	int cpu_ids[2];
	struct report_info info;
	struct view_lab v;
	char *explain;
	char *headlines[LAB_MAX_HEADLINES];
	struct core_series *series;
	char verdict[768];
	int threads;	/* each run's threads (the dashboard's + key), 0 the lab's */
};

static inline void
state_at(struct trace *tr, int slot, int cpu, enum trace_state st, uint64_t ts, uint32_t arg)
{
	at_store_relaxed(&tr->tasks[slot].cpu, cpu);
	trace_set_state_at(tr, slot, st, ts, arg);
}

/* A run's tasks as its executor names them (at most 6, or threads of
 * them) and whether a GIL lane goes with them: the convoy's requester, echo
 * and competitors (a lane under a lock), real CPython's main thread and its
 * threads (the lane of the holder seen from /proc), else thread-N or
 * task-N. */
static inline int
synth_names(const struct lab_run *run, int threads, char names[SYNTH_MAX][32], bool *gil,
    bool *sleeps)
{
	int64_t tasks = 2, work = 0, lock = 0, comp = 0;
	bool convoy = strcmp(run->exec->name, "convoy") == 0;
	bool python = strcmp(run->exec->name, "python") == 0;
	int n;

	lab_value_find(run, "tasks", &tasks);
	if (threads > 0)
		tasks = comp = threads;
	*sleeps = lab_value_find(run, "work", &work) && work == 1;
	*gil = strstr(run->exec->name, "gil") != NULL || python ||
	    (convoy && lab_value_find(run, "lock", &lock) && lock > 0);
	if (convoy) {
		if (threads == 0)
			lab_value_find(run, "competitors", &comp);
		n = 2 + (int)UTIL_MIN(comp, threads > 0 ? SYNTH_MAX - 2 : 4);
		for (int k = 0; k < n; k++)
			snprintf(names[k], 32, k == 0 ? "requester" : k == 1 ? "echo" :
			    "competitor-%d", k - 1);
		return n;
	}
	n = python ? 1 + (int)UTIL_MIN(tasks, threads > 0 ? SYNTH_MAX - 1 : 3) :
	    (int)UTIL_MIN(tasks, threads > 0 ? SYNTH_MAX : 6);
	for (int k = 0; k < n; k++)
		if (python && k == 0)
			snprintf(names[k], 32, "main");
		else
			snprintf(names[k], 32, "%s-%d", *gil || *sleeps || n > 2 ? "thread" :
			    "task", k + !python);
	return n;
}

/* One run's tasks over [t0, t0 + d): GIL turns, sleeps or time slices. */
static inline void
synth_run(struct trace *tr, const struct lab_run *run, int threads, int index, uint64_t t0,
    uint64_t d)
{
	char names[SYNTH_MAX][32];
	int n, slots[SYNTH_MAX], lane = -1;
	bool gil, sleeps;

	n = synth_names(run, threads, names, &gil, &sleeps);
	trace_mark(tr, TRACE_MARK_RUN, index, t0, run->name);
	for (int k = 0; k < n; k++)
		slots[k] = trace_task_add(tr, index, names[k], TRACE_KIND_TASK);
	if (gil)
		lane = trace_task_add(tr, index, "gil", TRACE_KIND_LANE);
	for (uint64_t t = 0; t < d; t += 50 * MS) {
		int holder = (int)(t / (50 * MS)) % n;

		for (int k = 0; k < n; k++) {
			enum trace_state st = TRACE_RUN;

			if (gil)
				st = k == holder ? TRACE_RUN : TRACE_LOCK;
			else if (sleeps)
				st = t == 0 ? TRACE_RUN : TRACE_IO;
			else if (n > 2)
				st = (t / (50 * MS) + (uint64_t)k) % 3 == 0 ? TRACE_READY : TRACE_RUN;
			state_at(tr, slots[k], k % 2, st, t0 + t, 0);
		}
		if (lane >= 0)
			state_at(tr, lane, -1, TRACE_RUN, t0 + t, (uint32_t)slots[holder] + 1);
	}
	for (int k = 0; k < n; k++)
		state_at(tr, slots[k], k % 2, TRACE_DONE, t0 + d, 0);
	if (lane >= 0)
		state_at(tr, lane, -1, TRACE_DONE, t0 + d, 0);
	/* the interleave lab's threads print every 300 ms, each its number */
	for (uint64_t t = 0; strcmp(run->exec->name, "interleave") == 0 && t < d; t += 300 * MS)
		for (int k = 0; k < n; k++) {
			char tok[16];

			snprintf(tok, sizeof tok, "%c%d", 'a' + k, (int)(t / (300 * MS)));
			trace_mark(tr, TRACE_MARK_PRINT, slots[k], t0 + t + (uint64_t)k * MS, tok);
		}
}

/* Made-up figures: a number for each metric the executor reports. */
static inline void
synth_result(struct run_result *r, const struct lab_run *run, int index, double wall)
{
	static const char *const not_numbers[] = { "order", "failed", "output", NULL };

	r->run = run;
	r->index = index;
	r->started = r->finished = true;
	r->wall_s = wall;
	r->cpu_s = wall * 1.5;
	r->avg_cores_busy = 1.5;
	for (int m = 0; run->exec->metrics != NULL && run->exec->metrics[m] != NULL; m++) {
		const char *key = run->exec->metrics[m];
		bool number = true;

		for (int i = 0; not_numbers[i] != NULL; i++)
			number &= strcmp(key, not_numbers[i]) != 0;
		if (strcmp(key, "gil_enabled") == 0)	/* a flag: CPython with its GIL */
			result_set(r, key, 1, 0);
		else if (number)
			result_set(r, key, 1000.0 * (index + 1) + 37.0 * m + 0.25, 2);
		else if (strcmp(key, "order") == 0)
			result_set_array(r, key, (const double[]){ 10, 5, 20, 9 }, 4);
		else
			result_set_json(r, key, "[]");
	}
}

/* The lab's first upto runs made (the others pending), finished, each
 * with threads threads (0: the lab's, at most 6). */
static inline void
synth_init_threads(struct synth *s, const struct lab *lab, int upto, int threads)
{
	char err[256];
	uint64_t end = 0;

	memset(s, 0, sizeof *s);
	s->threads = threads;
	s->tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(s->tr);
	for (int i = 0; i < upto; i++) {
		uint64_t d = (uint64_t)(1000 + 250 * i) * MS;
		uint64_t t0 = s->tr->t0 + end;

		synth_run(s->tr, &lab->runs[i], threads, i, t0, d);
		synth_result(&s->res[i], &lab->runs[i], i, (double)d / 1e9);
		s->res[i].t_start = t0;
		s->res[i].t_end = t0 + d;
		end += d + 10 * MS;
		s->v.runs[i] = (struct view_run){ VIEW_RUN_FINISHED, (double)d / 1e9,
			1.5 * (double)d / 1e9, 1.5, &s->res[i] };
	}
	/* the cores' busy share over the whole lab: one core in waves, all of
	 * it the lab's; one core full, half of it other programs' */
	s->series = export_series_create(2);
	for (uint64_t t = 0; t < end; t += 100 * MS) {
		double busy[2] = { 0.25 * (double)((t / (100 * MS)) % 5), 1.0 };
		double own[2] = { busy[0], 0.5 };

		export_series_add_shares(s->series, s->tr->t0 + t, busy, own);
	}
	s->v.series = s->series;
	s->cs = sample_cores_create(2, "/nonexistent");
	s->cs->busy[0] = 0.5;
	s->cs->busy[1] = 1.0;
	s->cpu_ids[0] = 0;
	s->cpu_ids[1] = 1;
	s->info.lab = lab;
	s->info.results = s->res;
	s->info.ncpus = 2;
	s->info.cpus[1] = 1;
	s->info.tr = s->tr;
	s->info.predict = lab->answer;
	s->explain = report_lesson(&s->info);
	{
		/* as the dashboard fills them: a headline whose figures a failed
		 * expectation reads is marked */
		struct verdict v;
		char note[256];

		verdict_judge(&s->info, &v);
		s->v.nheadlines = verdict_headlines(&s->info, &v, false, "...", s->headlines,
		    s->v.headline_off, note, sizeof note);
		for (int i = 0; i < s->v.nheadlines; i++)
			s->v.headlines[i] = s->headlines[i];
	}
	s->info.ascii = true;	/* the verdict's glyph as the golden screens draw it */
	report_strip_verdict(&s->info, s->verdict, sizeof s->verdict, &s->v.verdict_failed);
	s->info.ascii = false;
	s->v.verdict = s->verdict;
	s->v.lab = lab;
	s->v.tr = s->tr;
	s->v.cores = s->cs;
	s->v.cpu_ids = s->cpu_ids;
	s->v.ncpu = 2;
	s->v.now = s->tr->t0 + end;
	s->v.t_from = s->tr->t0;
	s->v.finished = true;
	s->v.explain = report_lesson_body(lab, s->explain);	/* as the dashboard does */
	s->v.predict = lab->answer;
	s->v.fps = 10;
	s->v.scroll = -1;
	s->v.own_cpu_pct = 0.5;
}

static inline void
synth_init_upto(struct synth *s, const struct lab *lab, int upto)
{
	synth_init_threads(s, lab, upto, 0);
}

static inline void
synth_init(struct synth *s, const struct lab *lab)
{
	synth_init_upto(s, lab, lab->nruns);
}

/* Run last (the last one made) still goes: no verdict, its figures
 * pending. */
static inline void
synth_live(struct synth *s, int last)
{
	s->res[last].finished = false;
	s->v.runs[last].state = VIEW_RUN_RUNNING;
	s->v.runs[last].res = NULL;
	s->v.running = true;
	s->v.finished = false;
	s->v.verdict = NULL;
	s->v.explain = NULL;
	for (int k = 0; k < s->v.lab->nheadlines; k++) {
		free(s->headlines[k]);
		s->v.headlines[k] = s->headlines[k] = verdict_headline(&s->info, k, "...");
	}
	s->v.nheadlines = s->v.lab->nheadlines;	/* every one, a run's figures pending */
	memset(s->v.headline_off, 0, sizeof s->v.headline_off);
}

static inline void
synth_free(struct synth *s)
{
	for (int i = 0; i < LAB_MAX_RUNS; i++)
		result_clear(&s->res[i]);
	sample_cores_destroy(s->cs);
	export_series_destroy(s->series);
	trace_destroy(s->tr);
	free(s->explain);
	for (int i = 0; i < LAB_MAX_HEADLINES; i++)
		free(s->headlines[i]);
}

/* Row y as UTF-8 text from column x. */
static inline void
row_text(const struct canvas *c, int y, int x, char *buf, size_t len)
{
	size_t used = 0;

	for (; x < c->w && used + 5 < len; x++)
		used += (size_t)canvas_utf8(canvas_cell((struct canvas *)c, x, y)->ch,
		    buf + used);
	buf[used] = '\0';
}

/* The timeline's top line: the task range in the name column ("3-10 of
 * 40", or "task" when every row shows), or the status over all of it (a
 * short screen's, paused with a long run name). */
static inline bool
timeline_top(const char *row)
{
	const char *of = strstr(row, " of ");

	return strncmp(row, "task ", 5) == 0 || strncmp(row, "pick: ", 6) == 0 ||
	    (isdigit((unsigned char)row[0]) && of != NULL && of - row < 12);
}

/* The columns of the timeline's name column (where the axis's first tick
 * is, after "cell=..."), and in *top the timeline's top line; or -1. */
static inline int
name_width_of(const struct canvas *c, int *top)
{
	char row[1024];
	int axis = -1, x;

	for (int y = 0; y < c->h && axis < 0; y++) {
		row_text(c, y, 0, row, sizeof row);
		if (timeline_top(row))
			*top = y;
		if (strncmp(row, "cell=", 5) == 0)
			axis = y;
	}
	if (axis < 0 || *top < 0)
		return -1;
	for (x = 5; x < c->w && canvas_cell((struct canvas *)c, x, axis)->ch != ' '; x++)
		;
	while (x < c->w && canvas_cell((struct canvas *)c, x, axis)->ch == ' ')
		x++;
	return x < c->w ? x : -1;
}

/* Row y heads a band: its line (or, a short screen's, the GIL holders on
 * it) after the run's name in bold. */
static inline bool
header_row(const struct canvas *c, int y, int nw)
{
	bool line = (canvas_cell((struct canvas *)c, 0, y)->attr & CA_BOLD) != 0;

	for (int x = nw; x < c->w; x++)
		line |= canvas_cell((struct canvas *)c, x, y)->ch == canvas_glyph(c, CG_HLINE);
	return line;
}

/* The timeline's rows on screen: a task or lane row has a name and no
 * band line; *names gets each row's name, one per entry. */
static inline int
timeline_rows(const struct canvas *c, char names[][64], int max)
{
	int top = -1, nw = name_width_of(c, &top), n = 0;

	ck_assert_int_gt(nw, 0);
	for (int y = top + 1; y < c->h - 2; y++) {
		char name[64];
		bool header;

		row_text(c, y, 0, name, sizeof name);
		if (strncmp(name, "cell=", 5) == 0)
			break;
		header = header_row(c, y, nw);
		if (!header && name[0] != ' ' && n < max) {
			name[nw - 1] = '\0';
			snprintf(names[n], 64, "%s", name);
			n++;
		}
	}
	return n;
}

#endif
