/* Golden screens of every shipped lab, finished, from synthetic data: a
 * canned trace per run (GIL turns with a lock lane, sleepers in io,
 * time-sliced threads ready a third of the time) and made-up figures for
 * every metric, rendered at 80x24 and 120x40 and compared with
 * tests/fixtures/screens/lab-ID-WxH.txt (CONCLAB_UPDATE_SCREENS=1 rewrites
 * them).  A layout change shows here for every lab at once. */
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

static void
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
static int
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
static void
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
}

/* Made-up figures: a number for each metric the executor reports. */
static void
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
static void
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
	for (int i = 0; i < lab->nheadlines; i++)
		s->v.headlines[i] = s->headlines[i] = verdict_headline(&s->info, i, "...");
	s->v.nheadlines = lab->nheadlines;
	report_strip_verdict(&s->info, s->verdict, sizeof s->verdict, &s->v.verdict_failed);
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

static void
synth_init_upto(struct synth *s, const struct lab *lab, int upto)
{
	synth_init_threads(s, lab, upto, 0);
}

static void
synth_init(struct synth *s, const struct lab *lab)
{
	synth_init_upto(s, lab, lab->nruns);
}

/* Run last (the last one made) still goes: no verdict, its figures
 * pending. */
static void
synth_live(struct synth *s, int last)
{
	s->res[last].finished = false;
	s->v.runs[last].state = VIEW_RUN_RUNNING;
	s->v.runs[last].res = NULL;
	s->v.running = true;
	s->v.finished = false;
	s->v.verdict = NULL;
	s->v.explain = NULL;
	for (int k = 0; k < s->v.nheadlines; k++) {
		free(s->headlines[k]);
		s->v.headlines[k] = s->headlines[k] = verdict_headline(&s->info, k, "...");
	}
}

static void
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

/* The canvas against screens/NAME; a difference prints both. */
static int
same_screen(const struct canvas *c, const char *name)
{
	char rel[160], *got = canvas_to_string(c), *want = NULL;
	FILE *fp;
	long n;
	int same;

	snprintf(rel, sizeof rel, "screens/%s", name);
	if (getenv("CONCLAB_UPDATE_SCREENS") != NULL && (fp = fopen(tu_fixture(rel), "w"))) {
		fputs(got, fp);
		fclose(fp);
	}
	if ((fp = fopen(tu_fixture(rel), "r")) != NULL) {
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		rewind(fp);
		want = calloc(1, (size_t)n + 1);
		if (fread(want, 1, (size_t)n, fp) != (size_t)n)
			want[0] = '\0';
		fclose(fp);
	}
	same = want != NULL && strcmp(got, want) == 0;
	if (!same)
		fprintf(stderr, "--- expected %s\n%s--- got\n%s", rel, want ? want : "(none)", got);
	free(got);
	free(want);
	return same;
}

START_TEST(every_lab_finished)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	ck_assert_msg(errs[0] == '\0', "%s", errs);
	ck_assert_int_ge(n, 10);
	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], true);
			char name[96];

			view_lab(c, &s.v);
			snprintf(name, sizeof name, "lab-%s-%dx%d.txt", labs[i].id, sizes[z][0],
			    sizes[z][1]);
			bad += !same_screen(c, name);
			canvas_destroy(c);
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d screens differ (CONCLAB_UPDATE_SCREENS=1 rewrites them)",
	    bad);
}
END_TEST

/* Row y as UTF-8 text from column x. */
static void
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
static bool
timeline_top(const char *row)
{
	const char *of = strstr(row, " of ");

	return strncmp(row, "task ", 5) == 0 || strncmp(row, "pick: ", 6) == 0 ||
	    (isdigit((unsigned char)row[0]) && of != NULL && of - row < 12);
}

/* The columns of the timeline's name column (where the axis's first tick
 * is, after "cell=..."), and in *top the timeline's top line; or -1. */
static int
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

static bool
has_glyph(const char *legend, uint32_t ch)
{
	char g[8];

	g[canvas_utf8(ch, g)] = '\0';
	return strstr(legend, g) != NULL;
}

/* A lane letter in the legend's GIL item: "GIL:1=thread-1 2=..." (named),
 * "GIL:123=holds", "GIL:1-8,n=holds" (a range in the order 0-9, a-z, A-Z)
 * or, on the tightest line, "GIL:1-8,n". */
static bool
lane_explained(const char *gil, uint32_t ch)
{
	static const char order[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char letters[128];
	size_t n;

	if (gil == NULL || ch > 0x7f || ch == 0)
		return false;
	gil += 4;
	/* named: "X=name" items up to the next item (a glyph first) */
	for (const char *p = gil; isalnum((unsigned char)p[0]) && p[1] == '=';) {
		if (p[0] == (char)ch)
			return true;
		p = strchr(p, ' ');
		if (p == NULL)
			return false;
		p++;
	}
	n = strcspn(gil, "= ");
	snprintf(letters, sizeof letters, "%.*s", (int)n, gil);
	for (char *tok = strtok(letters, ","); tok != NULL; tok = strtok(NULL, ",")) {
		const char *a = strchr(order, tok[0]), *e = tok[0] != '\0' && tok[1] == '-' ?
		    strchr(order, tok[2]) : NULL, *at = strchr(order, (int)ch);

		if (e != NULL && a != NULL && at != NULL && at >= a && at <= e)
			return true;
		if (e == NULL && strchr(tok, (int)ch) != NULL)
			return true;
	}
	return false;
}

/* Row y heads a band: its line (or, a short screen's, the GIL holders on
 * it) after the run's name in bold. */
static bool
header_row(const struct canvas *c, int y, int nw)
{
	bool line = (canvas_cell((struct canvas *)c, 0, y)->attr & CA_BOLD) != 0;

	for (int x = nw; x < c->w; x++)
		line |= canvas_cell((struct canvas *)c, x, y)->ch == canvas_glyph(c, CG_HLINE);
	return line;
}

/* The legend's text (its one or two lines: a second begins with the
 * "legend:" label over it) into buf; returns its first row. */
static int
legend_text(const struct canvas *c, char *buf, size_t len)
{
	int y = c->h - 2;
	size_t used;

	row_text(c, c->h - 3, 0, buf, len);
	if (strncmp(buf, "legend: ", 8) == 0) {
		y = c->h - 3;
		used = strlen(buf);
		if (used + 1 < len)
			buf[used++] = ' ';
		row_text(c, c->h - 2, 0, buf + used, len - used);
	} else {
		row_text(c, c->h - 2, 0, buf, len);
	}
	return y;
}

/* A cell of the cores' shades above row ly (bars, rows or the grid). */
static bool
shades_drawn(const struct canvas *c, int ly)
{
	for (int y = 1; y < ly; y++)
		for (int x = 0; x < c->w; x++) {
			int color = canvas_cell((struct canvas *)c, x, y)->color;

			if (color == CC_BAR || color == CC_BARHI || color == CC_OTHER)
				return true;
		}
	return false;
}

/* Whether the legend explains cell k at x of a timeline row (lane: the
 * GIL's row; header: a band's header line) or a cores row. */
static bool
explained(const struct canvas *c, const struct canvas_cell *k, const char *legend, int x,
    int nw, bool lane, bool header, bool cores)
{
	const char *gil = strstr(legend, "GIL:");

	if (k->color == CC_BAR || k->color == CC_BARHI)
		return strstr(legend, "=busy") != NULL || strstr(legend, "=lab") != NULL;
	if (k->color == CC_OTHER)
		return strstr(legend, "=other") != NULL || strstr(legend, "=lab,other") != NULL;
	if (x < nw || cores)
		return true;	/* names, cpu labels, who is on a core */
	if (k->ch == canvas_glyph(c, CG_MARK))
		return has_glyph(legend, k->ch);
	if (header && (k->attr & CA_REVERSE))
		return lane_explained(gil, k->ch);	/* holders on the line */
	if (header)
		return true;	/* a band's line and its labels */
	if (lane && (k->attr & CA_REVERSE))
		return lane_explained(gil, k->ch);
	if (k->attr & CA_REVERSE)
		return strstr(legend, "=cpu") != NULL;
	return has_glyph(legend, k->ch);
}

/* Every cell the timeline and the cores draw is explained by the legend:
 * state glyphs and the pause's │ by themselves, a run cell's CPU digit by
 * "=cpu", a GIL lane's letter by the GIL item, the busy shades by "=busy"
 * (or the lab's by "=lab", other programs' by "=other"), a band's ▼ by
 * "=mark" or "=paused"; the legend names the shades only where the screen
 * draws them, and no line of it is cut.  Returns the failures. */
static int
check_legend(const struct canvas *c, const char *what)
{
	char legend[2048], name[64];
	int top = -1, nw = name_width_of(c, &top), bad = 0, ly = legend_text(c, legend,
	    sizeof legend);
	bool axis = false;

	if (nw <= 0) {
		char *t = canvas_to_string(c);

		fprintf(stderr, "%s", t);
		free(t);
	}
	ck_assert_msg(nw > 0, "%s: no timeline", what);
	/* the legend is whole: never cut at the edge */
	for (int y = ly; y < c->h - 1; y++)
		for (int x = 0; x < c->w; x++)
			if (canvas_cell((struct canvas *)c, x, y)->ch ==
			    (c->ascii ? (uint32_t)'>' : 0x2026) && bad++ < 3)
				fprintf(stderr, "%s: the legend is cut: %s\n", what, legend);
	if ((strstr(legend, "=lab") != NULL || strstr(legend, "=busy") != NULL ||
	    strstr(legend, "=other") != NULL) && !shades_drawn(c, ly) && bad++ < 3)
		fprintf(stderr, "%s: no cores on the screen, their shades in the legend: %s\n",
		    what, legend);
	for (int y = top + 1; y < ly; y++) {
		bool lane, header, cores;

		row_text(c, y, 0, name, sizeof name);
		if (strncmp(name, "cell=", 5) == 0) {
			axis = true;	/* under it, only the cores rows */
			continue;
		}
		cores = strncmp(name, "cpu", 3) == 0;
		if (axis && !cores)
			break;
		lane = strncmp(name, "GIL ", 4) == 0;
		header = header_row(c, y, nw);
		for (int x = 0; x < c->w; x++) {
			const struct canvas_cell *k = canvas_cell((struct canvas *)c, x, y);
			char g[8];

			if (k->ch == ' ' || explained(c, k, legend, x, nw, lane, header, cores) ||
			    bad++ >= 3)
				continue;
			g[canvas_utf8(k->ch, g)] = '\0';
			fprintf(stderr, "%s: '%s' at %d,%d (row '%s') is not in the legend: %s\n",
			    what, g, x, y, name, legend);
		}
	}
	return bad;
}

/* One screen of s at w x h, following the newest rows (and in focus),
 * scrolled to the top, the middle and the end: check_legend over each.
 * Returns the failures. */
static int
legend_screens(struct synth *s, const char *id, const char *state, int w, int h,
    int *screens)
{
	int bad = 0;

	for (int ascii = 0; ascii < 2; ascii++) {
		struct canvas *c = canvas_create(w, h, ascii);
		int rows = view_timeline_rows(&s->v), scrolls[] = { -1, 0, rows / 2, rows - 1 };

		for (size_t k = 0; k < UTIL_ARRAY_LEN(scrolls); k++)
			for (int focus = 0; focus <= (k == 0); focus++) {
				int first = scrolls[k];
				char what[160];

				s->v.scroll = first;
				s->v.focus = focus;
				view_lab(c, &s->v);
				snprintf(what, sizeof what, "%s %s %dx%d%s scrolled to %d%s (%d threads)",
				    id, state, w, h, ascii ? " ascii" : "", first, focus ? " focus" : "",
				    s->threads);
				bad += check_legend(c, what);
				(*screens)++;
			}
		canvas_destroy(c);
	}
	s->v.scroll = -1;
	s->v.focus = false;
	return bad;
}

/* Every lab at 80x24, 120x40 and 200x50 (_i), ASCII and UTF-8, with its own
 * threads and with 12 (the + key: GIL letters 0-9, a, d, and a main
 * thread's), finished and while each run goes (paused, a marker set),
 * scrolled to every row and in focus: the legend explains every glyph on
 * the screen, names the cores' shades only where they are drawn, and is
 * never cut. */
START_TEST(every_glyph_is_in_the_legend)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	const int *size = sizes[_i];
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0, screens = 0;

	for (int i = 0; i < n; i++)
		for (int threads = 0; threads <= SYNTH_MAX; threads += SYNTH_MAX)
			for (int live = 0; live <= labs[i].nruns; live++) {
				struct synth s;

				synth_init_threads(&s, &labs[i], live > 0 ? live : labs[i].nruns, threads);
				trace_mark(s.tr, TRACE_MARK_USER, -1, s.tr->t0 + 700 * MS, "#1");
				trace_mark(s.tr, TRACE_MARK_NOTE, -1, s.tr->t0 + 300 * MS, "paused");
				if (live) {	/* paused now */
					synth_live(&s, live - 1);
					s.v.paused = true;
				} else {
					trace_mark(s.tr, TRACE_MARK_NOTE, -1, s.tr->t0 + 600 * MS,
					    "resumed");
				}
				bad += legend_screens(&s, labs[i].id, live ? "running" : "finished",
				    size[0], size[1], &screens);
				synth_free(&s);
			}
	lab_list_free(labs, n);
	fprintf(stderr, "legend: %d screens checked\n", screens);
	ck_assert_msg(bad == 0, "%d glyphs on screen are not in the legend, shades named with "
	    "no cores or a legend cut", bad);
}
END_TEST

/* The cores rows of one screen: cpu0's (all the lab's) has no dotted
 * cell, cpu1's (half other programs') half of its busy cells, to a cell;
 * a dotted cell never has a lab glyph (NO_COLOR tells them apart) and the
 * legend names both.  Returns the rows checked. */
static int
check_shades(struct synth *s, int w, int h, bool ascii)
{
	struct canvas *c = canvas_create(w, h, ascii);
	char legend[1024], name[64];
	int rows = 0;

	view_lab(c, &s->v);
	row_text(c, c->h - 2, 0, legend, sizeof legend);
	ck_assert_msg(strstr(legend, "=lab") != NULL && strstr(legend, "other"), "%s",
	    legend);
	for (int y = 0; y < c->h - 2; y++) {
		int lab = 0, other = 0;

		row_text(c, y, 0, name, sizeof name);
		if (strncmp(name, "cpu", 3) != 0)
			continue;
		for (int x = 4; x < c->w; x++) {
			const struct canvas_cell *k = canvas_cell(c, x, y);

			lab += k->color == CC_BAR || k->color == CC_BARHI;
			if (k->color != CC_OTHER)
				continue;
			other++;
			for (int g = 0; g < 8; g++)
				ck_assert_uint_ne(k->ch, canvas_glyph(c, CG_SPARK0 + g));
		}
		if (lab + other < 20)
			continue;	/* a bar, not a row on the axis */
		rows++;
		if (name[3] == '0')
			ck_assert_msg(other == 0, "%dx%d: cpu0 has %d dotted cells", w, h, other);
		else
			ck_assert_msg(abs(2 * other - (lab + other)) <= 2,
			    "%dx%d: cpu1 lab %d other %d cells", w, h, lab, other);
	}
	canvas_destroy(c);
	return rows;
}

/* The cores rows tell the lab's share from other programs': in the
 * synthetic series cpu0 is all the lab's and cpu1 half other programs'.
 * On cpu1's row the two shades come in turns (half of the busy cells
 * dotted, to a cell), on cpu0's none is; the shades differ in glyph, not
 * only in colour (NO_COLOR), and the legend names both. */
START_TEST(own_and_other_shades)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), rows_seen = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
			for (int ascii = 0; ascii < 2; ascii++)
				rows_seen += check_shades(&s, sizes[z][0], sizes[z][1], ascii);
		synth_free(&s);
	}
	ck_assert_int_ge(rows_seen, 4);
	lab_list_free(labs, n);
}
END_TEST

/* The timeline's rows on screen: a task or lane row has a name and no
 * band line; *names gets each row's name, one per entry. */
static int
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

/* A taller terminal gives its rows to the timeline: never fewer task rows
 * at 120x40 than at 80x24, nor at 200x50 than at 120x40. */
START_TEST(taller_shows_more_rows)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	char errs[4096], names[64][64];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;
		int prev = 0;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], true);
			int rows;

			view_lab(c, &s.v);
			rows = timeline_rows(c, names, 64);
			fprintf(stderr, "%s %dx%d: %d timeline rows of %d\n", labs[i].id,
			    sizes[z][0], sizes[z][1], rows, view_timeline_rows(&s.v));
			if (rows < prev)
				bad++;
			prev = rows;
			canvas_destroy(c);
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d screens show fewer timeline rows than a smaller one", bad);
}
END_TEST

/* Task rows on screen: timeline rows that are not a lock lane (a lane's
 * name is the lock's, in capitals: "GIL"). */
static int
task_rows(const struct canvas *c)
{
	char names[64][64];
	int rows = timeline_rows(c, names, 64), n = 0;

	for (int k = 0; k < rows; k++)
		n += strncmp(names[k], "GIL ", 4) != 0;
	return n;
}

/* The screen's text on one line, each run of white space one blank (the
 * strip wraps headlines at word boundaries). */
static char *
flat_text(const struct canvas *c)
{
	char *s = canvas_to_string(c), *out = s;
	bool blank = false;

	for (const char *p = s; *p != '\0'; p++) {
		if (isspace((unsigned char)*p)) {
			blank = out != s;
			continue;
		}
		if (blank)
			*out++ = ' ';
		blank = false;
		*out++ = *p;
	}
	*out = '\0';
	return s;
}

/* Every headline in full on the screen, and at least 8 task rows when the
 * lab's runs have 8 tasks or more.  Returns the failures. */
static int
check_glance(const struct canvas *c, const struct synth *s, const char *what)
{
	int ntasks = trace_ntasks(s->tr), tasks = 0, shown = task_rows(c), bad = 0;
	char *flat = flat_text(c);

	for (int k = 0; k < ntasks; k++)
		tasks += trace_task(s->tr, k)->kind == TRACE_KIND_TASK;
	if (shown < UTIL_MIN(tasks, 8)) {
		fprintf(stderr, "%s: %d task rows of %d, not %d\n", what, shown, tasks,
		    UTIL_MIN(tasks, 8));
		bad++;
	}
	for (int i = 0; i < s->v.nheadlines; i++) {
		char want[1024], *w = want;

		/* its white space as flat_text's */
		for (const char *p = s->v.headlines[i]; *p != '\0' && w + 1 < want + sizeof want;
		    p++)
			if (!isspace((unsigned char)*p))
				*w++ = *p;
			else if (w > want && w[-1] != ' ')
				*w++ = ' ';
		while (w > want && w[-1] == ' ')
			w--;
		*w = '\0';
		if (strstr(flat, want) == NULL) {
			fprintf(stderr, "%s: headline not in full: %s\n", what, want);
			bad++;
		}
	}
	free(flat);
	return bad;
}

/* The lesson at a glance (issue 14): at 80x24 and up, every lab shows its
 * headlines in full and at least 8 task rows (when its runs have them),
 * finished and while each run goes, and never fewer at 120x40 than at
 * 80x24, nor at 200x50 than at 120x40. */
START_TEST(every_lab_at_a_glance)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	ck_assert_int_ge(n, 10);
	for (int i = 0; i < n; i++)
		for (int live = 0; live <= labs[i].nruns; live++) {
			/* live 0: the lab finished; else its run live - 1 goes */
			struct synth s;
			int last = live - 1;

			synth_init_upto(&s, &labs[i], live > 0 ? live : labs[i].nruns);
			/* settings as the dashboard shows them: a long status line
			 * keeps the task range beside it */
			s.v.tasks = 3;
			s.v.work_ms = 1000;
			s.v.switch_ms = 5;
			if (live)
				synth_live(&s, last);
			for (size_t z = 0, prev = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
				/* UTF-8, as the headlines are spelt (µs) */
				struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], false);
				char what[96];

				view_lab(c, &s.v);
				snprintf(what, sizeof what, "%s %dx%d %s%s", labs[i].id, sizes[z][0],
				    sizes[z][1], live ? "running " : "finished",
				    live ? labs[i].runs[last].name : "");
				bad += check_glance(c, &s, what);
				/* a larger terminal never shows fewer task rows, at the
				 * end or while a run goes (the extra rows are the
				 * timeline's before the question's and run table's) */
				if ((size_t)task_rows(c) < prev && bad++ < 20)
					fprintf(stderr, "%s: %d task rows, fewer than a smaller "
					    "screen's %zu\n", what, task_rows(c), prev);
				prev = (size_t)task_rows(c);
				canvas_destroy(c);
			}
			synth_free(&s);
		}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d screens hide a headline, show fewer than 8 task rows or "
	    "fewer than a smaller screen", bad);
}
END_TEST

/* Scrolled near the end the timeline shows the last rows: the names on
 * screen are the last got rows of want (headers skipped). */
static bool
tail_shown(const char *const *want, int total, char names[][64], int got)
{
	for (int r = total - 1, k = got - 1; k >= 0; r--) {
		if (r < 0)
			return false;
		if (want[r] == NULL)
			continue;
		if (strncmp(names[k], want[r], strlen(want[r])) != 0)
			return false;
		k--;
	}
	return true;
}

/* Whether the lab screen draws the GIL lanes on their bands' header lines:
 * the task range on the timeline's top line ("3-10 of 40") counts fewer
 * rows than the trace has tasks and lanes. */
static bool
folds_lanes(struct canvas *c, const struct view_lab *v)
{
	struct view_lab follow = *v;
	char row[1024];
	const char *of;
	int top = -1;

	follow.scroll = -1;
	view_lab(c, &follow);
	ck_assert_int_gt(name_width_of(c, &top), 0);
	row_text(c, top, 0, row, sizeof row);
	of = strstr(row, " of ");
	return isdigit((unsigned char)row[0]) && of != NULL &&
	    atoi(of + 4) < trace_ntasks(v->tr);
}

/* Scrolled to any task row, that row is the first one under the pinned
 * band header: the header never covers a band's first rows.  The display
 * order as the timeline lists it: each band's header, tasks, then lane. */
START_TEST(scrolling_shows_every_row)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };
	char errs[4096], names[64][64];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], true);
			/* a timeline too short for all its rows draws a band's GIL
			 * lane on its header */
			bool fold = folds_lanes(c, &s.v);
			const char *want[256];
			int total = 0, ntasks = trace_ntasks(s.tr), run = -1;

			for (int k = 0, lanes = 0; k < ntasks && total < 254; k++) {
				const struct trace_task *t = trace_task(s.tr, k);

				if (t->run != run) {
					want[total++] = NULL;	/* the band's header */
					lanes = 0;
				}
				run = t->run;
				if (t->kind == TRACE_KIND_LANE && fold && lanes++ == 0)
					continue;
				want[total++] = t->kind == TRACE_KIND_LANE ? "GIL" : t->name;
			}
			s.v.fold_lanes = fold;
			ck_assert_int_eq(total, view_timeline_rows(&s.v));
			s.v.fold_lanes = false;
			for (int first = 0; first < total; first++) {
				int got;

				if (want[first] == NULL)
					continue;
				s.v.scroll = first;
				view_lab(c, &s.v);
				got = timeline_rows(c, names, 64);
				if (got == 0 || (strncmp(names[0], want[first], strlen(want[first])) != 0 &&
				    !tail_shown(want, total, names, got)))
					if (bad++ < 3)
					fprintf(stderr, "%s %dx%d scrolled to %d: '%s' first, not '%s'\n",
					    labs[i].id, sizes[z][0], sizes[z][1], first, names[0],
					    want[first]);
			}
			canvas_destroy(c);
		}
		s.v.scroll = -1;
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d scrolls hide the row scrolled to", bad);
}
END_TEST

/* Walk 3 #16: before the first run, the run table lists every run of the
 * lab where the screen has rows nobody needs (convoy's 11 runs at 120x40:
 * it showed 9 above 14 blank rows). */
START_TEST(question_screen_lists_every_run)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), checked = 0;

	for (int i = 0; i < n; i++) {
		struct canvas *c = canvas_create(120, 40, true);
		struct synth s;
		struct trace *empty;
		char *text;

		synth_init(&s, &labs[i]);
		empty = trace_create(errs, sizeof errs);
		ck_assert_ptr_nonnull(empty);
		s.v.tr = empty;
		s.v.asking = true;
		s.v.finished = false;
		s.v.explain = NULL;
		s.v.verdict = NULL;
		s.v.nheadlines = 0;
		s.v.series = NULL;
		for (int r = 0; r < labs[i].nruns; r++)
			s.v.runs[r] = (struct view_run){ .state = VIEW_RUN_PENDING };
		view_lab(c, &s.v);
		text = canvas_to_string(c);
		for (int r = 0; r < labs[i].nruns; r++) {
			char name[LAB_NAME_LEN + 4];

			snprintf(name, sizeof name, " %s ", labs[i].runs[r].name);
			ck_assert_msg(strstr(text, name) != NULL, "%s: run %s not listed:\n%s",
			    labs[i].id, labs[i].runs[r].name, text);
		}
		checked += labs[i].nruns;
		free(text);
		trace_destroy(empty);
		synth_free(&s);
		canvas_destroy(c);
	}
	lab_list_free(labs, n);
	ck_assert_int_gt(checked, 20);
}
END_TEST

static Suite *
screens_suite(void)
{
	Suite *s = suite_create("screens");
	TCase *tc = tcase_create("screens");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, every_lab_finished);
	tcase_add_loop_test(tc, every_glyph_is_in_the_legend, 0, 3);
	tcase_add_test(tc, own_and_other_shades);
	tcase_add_test(tc, taller_shows_more_rows);
	tcase_add_test(tc, scrolling_shows_every_row);
	tcase_add_test(tc, question_screen_lists_every_run);
	tcase_add_test(tc, every_lab_at_a_glance);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(screens_suite)
