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
#include "verdict.h"
#include "view.h"

#define MS 1000000ULL

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
};

static void
state_at(struct trace *tr, int slot, int cpu, enum trace_state st, uint64_t ts, uint32_t arg)
{
	at_store_relaxed(&tr->tasks[slot].cpu, cpu);
	trace_set_state_at(tr, slot, st, ts, arg);
}

/* One run's tasks over [t0, t0 + d): GIL turns, sleeps or time slices. */
static void
synth_run(struct trace *tr, const struct lab_run *run, int index, uint64_t t0, uint64_t d)
{
	int64_t tasks = 2, work = 0;
	int n, slots[6], lane = -1;
	bool gil = strstr(run->exec->name, "gil") != NULL, sleeps;

	lab_value_find(run, "tasks", &tasks);
	n = tasks < 6 ? (int)tasks : 6;
	sleeps = lab_value_find(run, "work", &work) && work == 1;

	trace_mark(tr, TRACE_MARK_RUN, index, t0, run->name);
	for (int k = 0; k < n; k++) {
		char name[32];

		snprintf(name, sizeof name, "%s-%d", gil || sleeps || n > 2 ? "thread" : "task",
		    k + 1);
		slots[k] = trace_task_add(tr, index, name, TRACE_KIND_TASK);
	}
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

static void
synth_init(struct synth *s, const struct lab *lab)
{
	char err[256];
	uint64_t end = 0;

	memset(s, 0, sizeof *s);
	s->tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(s->tr);
	for (int i = 0; i < lab->nruns; i++) {
		uint64_t d = (uint64_t)(1000 + 250 * i) * MS;
		uint64_t t0 = s->tr->t0 + end;

		synth_run(s->tr, &lab->runs[i], i, t0, d);
		synth_result(&s->res[i], &lab->runs[i], i, (double)d / 1e9);
		s->res[i].t_start = t0;
		s->res[i].t_end = t0 + d;
		end += d + 10 * MS;
		s->v.runs[i] = (struct view_run){ VIEW_RUN_FINISHED, (double)d / 1e9,
			1.5 * (double)d / 1e9, 1.5, &s->res[i] };
	}
	/* the cores' busy share over the whole lab: one core full, one in waves */
	s->series = export_series_create(2);
	for (uint64_t t = 0; t < end; t += 100 * MS) {
		double busy[2] = { 0.25 * (double)((t / (100 * MS)) % 5), 1.0 };

		export_series_add(s->series, s->tr->t0 + t, busy);
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

static Suite *
screens_suite(void)
{
	Suite *s = suite_create("screens");
	TCase *tc = tcase_create("screens");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, every_lab_finished);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(screens_suite)
