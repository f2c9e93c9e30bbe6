/* Exports agree with the report: the CSV's rows sum to its per-state times,
 * a band is as long as its run's wall, a speaker's markers are in the SVG
 * and the Chrome trace, and a crashed task's run time is not made up. */
#include "export_fixture.h"

#include "minijson.h"
#include "view.h"

#include <math.h>
#include <unistd.h>

/* Sum task's CSV rows: time_s per state (run, ready, lock, io), the
 * first row's start_s and the last row's end_s. */
static void
csv_sums(const char *csv, const char *task, double sum[4], double *first, double *last)
{
	static const char *const states[] = { "run", "ready", "lock", "io" };
	char want[64];
	const char *line;

	snprintf(want, sizeof want, ",\"%s\",", task);
	*first = -1;
	for (line = strstr(csv, want); line != NULL; line = strstr(line + 1, want)) {
		char state[16];
		double a, e, time;
		int cpu;
		long n;

		ck_assert_int_eq(sscanf(line + strlen(want), "%15[a-z],%d,%lf,%lf,%lf,%ld", state,
		    &cpu, &a, &e, &time, &n), 6);
		if (*first < 0)
			*first = a;
		*last = e;
		for (int st = 0; st < 4; st++)
			sum[st] += strcmp(state, states[st]) == 0 ? time : 0;
	}
}

/* Walk 5 F1: a task that waited for a core (schedstat: on a core 350 ms of
 * its 500 ms running) and ran through a 300 ms pause.  Its CSV rows sum per
 * state to the report's run_s, ready_s, lock_s and io_s (the old CSV had no
 * ready and counted the pause as run: run 0.8 s), and they count from the
 * run's start without the pause, as the report's start_s and end_s. */
START_TEST(csv_sums_to_the_report)
{
	static const char *const keys[] = { "run_s", "ready_s", "lock_s", "io_s" };
	struct fixture fx;
	uint64_t t, ms = CLOCK_NS_PER_MS;
	double sum[4] = { 0 }, first = -1, last = -1;
	const struct mj *task = NULL, *tasks;
	char *csv, *json;
	struct mj *root;
	int slot;

	fixture_run(&fx);
	t = clock_now_ns() + 100 * ms;
	/* a task of the last run "b", after its own (the report's list) */
	slot = trace_task_add(fx.env.tr, 1, "synth", TRACE_KIND_TASK);
	ck_assert_int_eq(slot, fx.runner->results[1].first_slot + fx.runner->results[1].nslots);
	fx.runner->results[1].nslots++;
	trace_set_paused(fx.env.tr, true, t + 100 * ms);
	trace_set_paused(fx.env.tr, false, t + 400 * ms);
	trace_task_begin_at(fx.env.tr, slot, 1, 1, t, TRACE_RUN, 0);
	trace_set_state_cpu_at(fx.env.tr, slot, TRACE_IO, t + 600 * ms, 0);
	trace_set_state_cpu_at(fx.env.tr, slot, TRACE_RUN, t + 700 * ms, 1);
	trace_set_state_cpu_at(fx.env.tr, slot, TRACE_LOCK, t + 800 * ms, 1);
	trace_set_state_cpu_at(fx.env.tr, slot, TRACE_RUN, t + 900 * ms, 1);
	trace_task_end_at(fx.env.tr, slot, t + 1000 * ms, 350 * ms, 500 * ms);
	fx.runner->results[1].t_end = t + 1000 * ms;
	csv = capture(&fx, EXPORT_CSV);
	json = capture(&fx, EXPORT_REPORT);
	root = mj_parse(json);
	ck_assert_ptr_nonnull(root);
	tasks = mj_get(root, "runs.1.tasks_detail");
	for (int i = 0; tasks != NULL && i < tasks->n; i++)
		if (strcmp(mj_get(&tasks->kids[i], "name")->str, "synth") == 0)
			task = &tasks->kids[i];
	ck_assert_ptr_nonnull(task);
	csv_sums(csv, "synth", sum, &first, &last);
	for (int st = 0; st < 4; st++) {
		double rep = mj_get(task, keys[st])->num;

		ck_assert_msg(fabs(sum[st] - rep) < 1e-3, "%s: CSV %.6f, report %.4f", keys[st],
		    sum[st], rep);
	}
	ck_assert_msg(fabs(sum[1] - 0.15) < 1e-3, "ready %.6f", sum[1]);
	ck_assert_msg(fabs(first - mj_get(task, "start_s")->num) < 1e-3 &&
	    fabs(last - mj_get(task, "end_s")->num) < 1e-3, "rows %.4f..%.4f, report "
	    "%.4f..%.4f", first, last, mj_get(task, "start_s")->num, mj_get(task, "end_s")->num);
	mj_free(root);
	free(json);
	free(csv);
	fixture_free(&fx);
}
END_TEST

/* Walk 5 F3: gil-old measures its serial baseline (one task's work alone)
 * before its threads; the run's time starts after it.  The screen's band
 * starts where the run's time does (it drew the baseline as 2.4 s of blank
 * cells its wall did not contain), and so does the SVG's. */
START_TEST(gil_old_band_is_its_wall)
{
	struct fixture fx;
	char err[512], path[1024], *svg;
	struct view_lab v = { 0 };
	struct view_band bands[LAB_MAX_RUNS];
	const struct run_result *r;
	double x2, span, serial_s;
	int idx = -1;

	memset(&fx, 0, sizeof fx);
	snprintf(path, sizeof path, "%s/gil.lab", getenv("CONCLAB_LABS"));
	ck_assert_int_eq(lab_load(path, exec_info, &fx.lab, err, sizeof err), 0);
	ck_assert_int_eq(lab_set(&fx.lab, "duration_ms=60", err, sizeof err), 0);
	for (int i = 0; i < fx.lab.nruns; i++)
		if (strcmp(fx.lab.runs[i].name, "gil-old") == 0)
			idx = i;
	ck_assert_int_ge(idx, 0);
	fixture_start(&fx, idx);
	while (!exec_runner_done(fx.runner))
		clock_sleep_ns(CLOCK_NS_PER_MS);
	exec_runner_join(fx.runner);
	r = &fx.runner->results[idx];
	serial_s = result_get(r, "serial_s") != NULL ? result_get(r, "serial_s")->value : 0;
	ck_assert_msg(serial_s > 0, "no serial baseline measured");
	v.tr = fx.env.tr;
	v.t_from = fx.env.tr->t0;
	view_find_bands(&v, bands, clock_now_ns());
	ck_assert(bands[idx].used);
	span = (double)(bands[idx].fend - bands[idx].fstart) / 1e9;
	fprintf(stderr, "gil-old: band %.4f s from %.4f s, wall %.4f s from %.4f s, serial %.4f s\n",
	    span, (double)(bands[idx].start - fx.env.tr->t0) / 1e9, r->wall_s,
	    (double)(r->t_start - fx.env.tr->t0) / 1e9, serial_s);
	ck_assert_msg(bands[idx].start == r->t_start, "band starts %.4f s before the run",
	    (double)(r->t_start - bands[idx].start) / 1e9);
	ck_assert_msg(span <= r->wall_s + 1e-6, "band %.4f s, wall %.4f s", span, r->wall_s);
	fx.info.lab = &fx.lab;
	fx.info.results = fx.runner->results;
	fx.info.tr = fx.env.tr;
	report_machine(&fx.info, &fx.env.cpus, &fx.env.cal);
	svg = capture(&fx, EXPORT_SVG);
	x2 = svg_band_s(svg, "gil-old");
	ck_assert_msg(fabs(x2 - r->wall_s) < 0.002, "SVG band %.4f s, wall %.4f s", x2,
	    r->wall_s);
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* Walk 5 F17: a presenter's marker in run b is drawn in b's SVG band (a
 * numbered mark where it was, with a legend entry), in no other band; in
 * the Chrome trace a lock lane and the marks are in the lab's own process,
 * whose pid is no real process's (not 1, beyond Linux's largest), and the
 * lane is named after its run. */
START_TEST(markers_in_svg_and_chrome)
{
	struct fixture fx;
	const struct run_result *r;
	uint64_t mid;
	char *svg, *json, *end;
	const char *band, *mark;
	struct mj *root;
	const struct mj *ev;
	double x, spp, lane_pid = -1, mark_pid = -1;
	int lane;

	fixture_run(&fx);
	r = &fx.runner->results[1];
	mid = r->t_start + (r->t_end - r->t_start) / 2;
	trace_mark(fx.env.tr, TRACE_MARK_USER, -1, mid, "#1");
	lane = trace_task_add(fx.env.tr, 1, "GIL", TRACE_KIND_LANE);
	trace_set_state_at(fx.env.tr, lane, TRACE_RUN, r->t_start, 3);
	trace_set_state_at(fx.env.tr, lane, TRACE_DONE, r->t_end, 0);
	svg = capture(&fx, EXPORT_SVG);
	ck_assert_ptr_nonnull(strstr(svg, "a presenter's marker"));
	band = strstr(svg, "data-run=\"a\"");
	end = strstr(band, "</g>");
	mark = strstr(band, "class=\"mark\"");
	ck_assert_msg(mark != NULL && mark > end, "a mark in band a");
	band = strstr(svg, "data-run=\"b\"");
	ck_assert(mark > band && mark < strstr(band, "</g>"));
	ck_assert_ptr_nonnull(strstr(mark, ">#1</text>"));
	spp = number_after(band, "data-s-per-px=\"");
	x = number_after(mark, "x1=\"");
	ck_assert_msg(fabs((x - 170) * spp - (double)(mid - r->t_start) / 1e9) < 2 * spp,
	    "mark at %.4f s, set at %.4f s", (x - 170) * spp, (double)(mid - r->t_start) / 1e9);
	json = capture(&fx, EXPORT_CHROME);
	ck_assert_ptr_nonnull(root = mj_parse(json));
	for (int i = 0; (ev = mj_get(root, "traceEvents")) != NULL && i < ev->n; i++) {
		const struct mj *e = &ev->kids[i];
		const char *ph = mj_get(e, "ph")->str;

		if (strcmp(ph, "M") == 0 && strcmp(mj_get(e, "name")->str, "thread_name") == 0 &&
		    (int)mj_get(e, "tid")->num == lane + 1) {
			ck_assert_str_eq(mj_get(e, "args.name")->str, "b: GIL");
			lane_pid = mj_get(e, "pid")->num;
		}
		if (strcmp(ph, "i") == 0 && strcmp(mj_get(e, "name")->str, "#1") == 0)
			mark_pid = mj_get(e, "pid")->num;
	}
	ck_assert_msg(lane_pid > 4194304 && mark_pid == lane_pid, "lane pid %.0f, mark pid %.0f",
	    lane_pid, mark_pid);
	mj_free(root);
	free(json);
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* Walk 5 F15: a task whose process died measured no CPU; its open running
 * interval is its life until the death was seen (726 ms for 300 ms of
 * work).  The report gives its run and CPU as not known (null, n/a), not
 * that life; the CSV and the SVG split it by the sampler's view. */
START_TEST(failed_task_run_not_measured)
{
	struct fixture fx;
	const struct run_result *r;
	const struct mj *tasks, *task = NULL;
	char *json, *text, *line, *csv, *svg;
	struct mj *root;
	uint64_t t, ms = CLOCK_NS_PER_MS;
	double sum[4] = { 0 }, first, last, life, drawn, x0, spp;
	int slot;

	fixture_run(&fx);
	r = &fx.runner->results[1];
	slot = trace_task_add(fx.env.tr, 1, "crashed", TRACE_KIND_TASK);
	ck_assert_int_eq(slot, r->first_slot + r->nslots);
	fx.runner->results[1].nslots++;
	t = clock_now_ns();
	trace_task_begin_at(fx.env.tr, slot, 1, 1, t, TRACE_RUN, 0);
	/* the sampler saw it on a core a fifth of the time */
	trace_sched_add(fx.env.tr, slot, t + 10 * ms, 2 * ms, 8 * ms);
	trace_sched_add(fx.env.tr, slot, t + 20 * ms, 2 * ms, 8 * ms);
	while (clock_now_ns() < t + 30 * ms)
		clock_sleep_ns(ms);
	trace_task_fail(fx.env.tr, slot, 9);
	fx.runner->results[1].t_end = clock_now_ns();
	life = (double)(fx.runner->results[1].t_end - t) / 1e9;
	/* its CSV rows and SVG row split its life as the sampler saw it, not
	 * all of it running */
	csv = capture(&fx, EXPORT_CSV);
	csv_sums(csv, "crashed", sum, &first, &last);
	ck_assert_msg(sum[0] < 0.6 * life && sum[1] > 0.3 * life && fabs(sum[0] + sum[1] -
	    life) < 1e-3, "CSV run %.4f s, ready %.4f s of %.4f s", sum[0], sum[1], life);
	svg = capture(&fx, EXPORT_SVG);
	drawn = svg_width(svg, "b", "crashed", "run", &x0, &spp);
	ck_assert_msg(drawn < 0.6 * life, "SVG run %.4f s of %.4f s", drawn, life);
	free(csv);
	free(svg);
	json = capture(&fx, EXPORT_REPORT);
	ck_assert_ptr_nonnull(root = mj_parse(json));
	tasks = mj_get(root, "runs.1.tasks_detail");
	for (int i = 0; tasks != NULL && i < tasks->n; i++)
		if (strcmp(mj_get(&tasks->kids[i], "name")->str, "crashed") == 0)
			task = &tasks->kids[i];
	ck_assert_ptr_nonnull(task);
	ck_assert_str_eq(mj_get(task, "state")->str, "failed");
	ck_assert_msg(mj_get(task, "run_s")->type == MJ_NULL, "run_s %.4f for a dead task",
	    mj_get(task, "run_s")->num);
	ck_assert(mj_get(task, "cpu_s")->type == MJ_NULL);
	text = capture(&fx, (enum export_kind)-1);
	line = strstr(text, "crashed ");
	ck_assert_ptr_nonnull(line);
	*strchr(line, '\n') = '\0';
	ck_assert_msg(strstr(strstr(line, "n/a") + 3, "n/a") != NULL, "run not n/a: %s", line);
	mj_free(root);
	free(json);
	free(text);
	fixture_free(&fx);
}
END_TEST

static Suite *
export_agree_suite(void)
{
	Suite *s = suite_create("export_agree");
	TCase *tc = tcase_create("export_agree");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, csv_sums_to_the_report);
	tcase_add_test(tc, gil_old_band_is_its_wall);
	tcase_add_test(tc, markers_in_svg_and_chrome);
	tcase_add_test(tc, failed_task_run_not_measured);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(export_agree_suite)
