/* Exports: Chrome trace JSON (parsed back, slices per track never overlap),
 * CSV rows, SVG rows; an unwritable path is an error, not a crash. */
#include "export_fixture.h"

#include "minijson.h"

#include <math.h>
#include <unistd.h>

START_TEST(chrome_trace)
{
	struct fixture fx;
	struct mj *root;
	const struct mj *ev;
	int names = 0, slices = 0, counters = 0, instants = 0;
	double last_end[64] = { 0 };
	char *json;

	fixture_run(&fx);
	json = capture(&fx, EXPORT_CHROME);
	root = mj_parse(json);
	ck_assert_msg(root != NULL, "not JSON: %.300s", json);
	ev = mj_get(root, "traceEvents");
	ck_assert_ptr_nonnull(ev);
	for (int i = 0; i < ev->n; i++) {
		const struct mj *e = &ev->kids[i];
		const char *ph = mj_get(e, "ph")->str;

		if (strcmp(ph, "M") == 0 && strcmp(mj_get(e, "name")->str, "thread_name") == 0)
			names++;
		if (strcmp(ph, "C") == 0)
			counters++;
		if (strcmp(ph, "i") == 0)
			instants++;
		if (strcmp(ph, "X") == 0) {
			int tid = (int)mj_get(e, "tid")->num;
			double ts = mj_get(e, "ts")->num, dur = mj_get(e, "dur")->num;

			ck_assert_int_lt(tid, 64);
			ck_assert_msg(ts >= last_end[tid] - 0.002, "overlap on track %d", tid);
			ck_assert(dur >= 0);
			last_end[tid] = ts + dur;
			slices++;
		}
	}
	ck_assert_int_eq(names, 6);	/* 2 serial tasks + 4 threads */
	ck_assert_int_ge(slices, 6 + 4);	/* sleepers: run, io, run */
	ck_assert_int_ge(counters, 1);
	ck_assert_int_eq(instants, 3);	/* two run starts and the marker */
	mj_free(root);
	free(json);
	fixture_free(&fx);
}
END_TEST

START_TEST(csv_and_svg)
{
	struct fixture fx;
	char *csv, *svg;
	int rows = 0;
	char path[] = "/tmp/conclab-export-XXXXXX";
	char err[256];
	int fd;

	fixture_run(&fx);
	csv = capture(&fx, EXPORT_CSV);
	ck_assert(strncmp(csv, "run,task,state,cpu,start_s,end_s,time_s,intervals\n", 50) == 0);
	for (size_t i = 0; csv[i] != '\0'; i++)
		rows += csv[i] == '\n';
	rows--; /* the header */
	ck_assert_int_ge(rows, 10);
	ck_assert_ptr_nonnull(strstr(csv, "\"b\",\"thread-4\",io,"));
	svg = capture(&fx, EXPORT_SVG);
	ck_assert(strncmp(svg, "<?xml", 5) == 0);
	ck_assert_ptr_nonnull(strstr(svg, "</svg>"));
	ck_assert_ptr_nonnull(strstr(svg, "task-2"));
	ck_assert_ptr_nonnull(strstr(svg, "thread-4"));
	ck_assert_ptr_nonnull(strstr(svg, "cores busy"));
	ck_assert_int_eq(export_write("/nonexistent/dir/x.svg", EXPORT_SVG, &fx.info, NULL,
	    err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot write /nonexistent/dir/x.svg"));
	fd = mkstemp(path);
	close(fd);
	ck_assert_int_eq(export_write(path, EXPORT_CSV, &fx.info, NULL, err, sizeof err), 0);
	/* the report itself, as the dashboard's e writes it beside the others */
	ck_assert_int_eq(export_write(path, EXPORT_REPORT, &fx.info, NULL, err, sizeof err), 0);
	{
		FILE *rf = fopen(path, "r");
		char buf[65536];
		size_t n = fread(buf, 1, sizeof buf - 1, rf);
		struct mj *root;

		fclose(rf);
		buf[n] = '\0';
		root = mj_parse(buf);
		ck_assert_ptr_nonnull(root);
		ck_assert_str_eq(mj_get(root, "lab")->str, "good");
		ck_assert_ptr_nonnull(mj_get(root, "expectations"));
		mj_free(root);
	}
	ck_assert_str_eq(export_suffix(EXPORT_REPORT), "report.json");
	unlink(path);
	if (access("/dev/full", W_OK) == 0)
		ck_assert_int_eq(export_write("/dev/full", EXPORT_CHROME, &fx.info, fx.cs, err,
		    sizeof err), -1);
	free(csv);
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* A run paused 600 ms while its threads sleep: the SVG draws the band as
 * its wall without the pause (the line's length at the band's scale), the
 * pause as a dashed line, and the sleepers' io time leaves the pause out
 * (their sleeps stop while paused, so each still sleeps its 200 ms).  The
 * sleeps are 200 ms, not the fixture's 20: the pause must come while the
 * fourth one sleeps, and a 20 ms sleep went by unseen under TSan beside a
 * busy loop (the wait for it timed out at 10 s); the bounds leave 0.4 s for
 * the threads' start (up to 0.19 s seen under TSan beside 2 busy loops),
 * and a pause counted in would add 0.6 s. */
START_TEST(svg_leaves_the_pause_out)
{
	struct fixture fx;
	char err[512], *svg;
	const char *band;
	double x2;
	uint64_t t0 = clock_now_ns();

	memset(&fx, 0, sizeof fx);
	ck_assert_int_eq(lab_load(tu_fixture("labs/good.lab"), exec_info, &fx.lab, err,
	    sizeof err), 0);
	ck_assert_int_eq(lab_set(&fx.lab, "b.duration_ms=200", err, sizeof err), 0);
	fixture_start(&fx, 1);
	while (trace_ntasks(fx.env.tr) < 4 ||
	    trace_task_state(fx.env.tr, 3) != TRACE_IO) {
		ck_assert(clock_now_ns() - t0 < 10 * CLOCK_NS_PER_S);
		clock_sleep_ns(CLOCK_NS_PER_MS / 2);
	}
	trace_set_paused(fx.env.tr, true, clock_now_ns());
	clock_sleep_ns(600 * CLOCK_NS_PER_MS);
	trace_set_paused(fx.env.tr, false, clock_now_ns());
	while (!exec_runner_done(fx.runner))
		clock_sleep_ns(CLOCK_NS_PER_MS);
	exec_runner_join(fx.runner);
	fx.info.lab = &fx.lab;
	fx.info.results = fx.runner->results;
	fx.info.tr = fx.env.tr;
	report_machine(&fx.info, &fx.env.cpus, &fx.env.cal);
	ck_assert_double_ge(fx.runner->results[1].paused_s, 0.59);
	ck_assert_msg(fx.runner->results[1].wall_s < 0.6, "wall %.3f s",
	    fx.runner->results[1].wall_s);
	for (int slot = 0; slot < 4; slot++) {
		struct trace_task_figures tf;

		trace_task_figures(fx.env.tr, slot, &tf);
		ck_assert_msg(tf.total_ns[TRACE_IO] >= 190 * CLOCK_NS_PER_MS &&
		    tf.total_ns[TRACE_IO] < 600 * CLOCK_NS_PER_MS, "thread %d io %.3f s", slot,
		    (double)tf.total_ns[TRACE_IO] / 1e9);
	}
	svg = capture(&fx, EXPORT_SVG);
	band = strstr(svg, "data-run=\"b\"");
	x2 = svg_band_s(svg, "b");
	ck_assert_msg(fabs(x2 - fx.runner->results[1].wall_s) < 0.005,
	    "band %.3f s, wall %.3f s", x2, fx.runner->results[1].wall_s);
	ck_assert_ptr_nonnull(strstr(band, "class=\"pause\""));
	free(svg);
	fixture_free(&fx);
}
END_TEST

START_TEST(series_is_bounded)
{
	struct core_series *cs = export_series_create(1);
	double b = 0.25;

	for (int i = 0; i < 3 * EXPORT_MAX_SAMPLES; i++)
		export_series_add(cs, (uint64_t)i, &b);
	ck_assert_int_le(cs->n, EXPORT_MAX_SAMPLES);
	ck_assert_int_gt(cs->n, EXPORT_MAX_SAMPLES / 2);
	for (int i = 1; i < cs->n; i++)
		ck_assert_uint_gt(cs->ts[i], cs->ts[i - 1]);
	export_series_destroy(cs);
}
END_TEST

/* The SVG's cores rows tell the lab's share from other programs' where
 * the series knows it: upper half the lab's, lower half the others'. */
START_TEST(svg_cores_apart)
{
	struct fixture fx;
	const struct run_result *r;
	int lab = 0, other = 0;
	char *svg;
	const char *p;

	fixture_run(&fx);
	r = &fx.info.results[0];
	export_series_destroy(fx.cs);
	fx.cs = export_series_create(2);
	for (uint64_t t = r->t_start; t <= r->t_end + 10 * CLOCK_NS_PER_MS;
	    t += 10 * CLOCK_NS_PER_MS)
		export_series_add_shares(fx.cs, t, (double[]){ 1.0, 0.5 },
		    (double[]){ 0.25, 0.5 });
	svg = capture(&fx, EXPORT_SVG);
	for (p = svg; (p = strstr(p, "data-share=\"lab\"")) != NULL; p++)
		lab++;
	for (p = svg; (p = strstr(p, "class=\"core-other\" data-cpu=\"0\"")) != NULL; p++)
		other++;
	ck_assert_int_gt(lab, 0);
	ck_assert_int_gt(other, 0);
	ck_assert_ptr_null(strstr(svg, "class=\"core-other\" data-cpu=\"1\""));
	ck_assert_ptr_nonnull(strstr(svg, "cores: the lab (upper half), other programs"));
	free(svg);
	fixture_free(&fx);
}
END_TEST

/* A run's mean shares weigh each sample by the time it covers inside the
 * run: samples every 100 ms, busy 1.0 and own 0.25 over (0, 200], busy 0.5
 * and own unknown after; a run over [50, 250] sees 150 ms of the first
 * and 50 of the second. */
START_TEST(series_mean_over_a_run)
{
	struct core_series *cs = export_series_create(2);
	double busy, own;

	for (uint64_t t = 0; t <= 400; t += 100) {
		double b[2] = { t <= 200 ? 1.0 : 0.5, 0.1 }, o[2] = { t <= 200 ? 0.25 : -1, 0.1 };

		export_series_add_shares(cs, t, b, o);
	}
	ck_assert(export_series_mean(cs, NULL, 0, 50, 250, &busy, &own));
	ck_assert_double_eq_tol(busy, (150 * 1.0 + 50 * 0.5) / 200, 1e-9);
	ck_assert_double_eq_tol(own, 0.25, 1e-9);	/* known for 150 ms of it */
	ck_assert(export_series_mean(cs, NULL, 0, 250, 400, &busy, &own));
	ck_assert_double_eq(own, -1);
	ck_assert(!export_series_mean(cs, NULL, 0, 500, 600, &busy, &own));
	ck_assert_double_eq(busy, -1);
	export_series_add(cs, 500, (double[]){ 0.5, 0.5 });	/* no own share */
	ck_assert(export_series_mean(cs, NULL, 1, 400, 500, &busy, &own));
	ck_assert_double_eq(own, -1);
	ck_assert(!export_series_mean(cs, NULL, 2, 0, 500, &busy, &own));	/* no such CPU */
	export_series_destroy(cs);
}
END_TEST

/* One task of run r: each state's drawn width against the report (see
 * svg_widths_attempt); every band's x0 the same as *first_x0 (set by the
 * first).  False with the figures in why when a width is off; *worst: the
 * worst difference as a share of the run's wall, C runs only. */
static bool
svg_task_widths(const char *svg, const struct mj *r, const struct mj *task,
    double *first_x0, double *worst, char *why, size_t len)
{
	static const char *const states[] = { "run", "ready", "lock", "io" };
	const char *rname = mj_get(r, "name")->str, *tname = mj_get(task, "name")->str;
	double wall = mj_get(r, "wall_s")->num;
	/* Real CPython's threads are sampled from /proc once a millisecond
	 * (their report's run and ready are schedstat's exact totals): a
	 * state change is placed within a sample, so the drawing may be off
	 * by a sample per change. */
	bool sampled = strcmp(mj_get(r, "executor")->str, "python") == 0;
	double tol = sampled ? 0.1 : 0.02;
	/* (A real interpreter's threads are counted to the script's "end",
	 * the band's end: check_report real_run_counted_to_its_end.) */

	for (int st = 0; st < 4; st++) {
		char key[16];
		const struct mj *v = (snprintf(key, sizeof key, "%s_s", states[st]),
		    mj_get(task, key));
		double rep = v != NULL && v->type == MJ_NUM ? v->num : 0, x0, spp;
		double drawn = svg_width(svg, rname, tname, states[st], &x0, &spp);

		if (*first_x0 < 0)
			*first_x0 = x0;
		ck_assert_msg(x0 == *first_x0, "band %s starts at x %g, not %g", rname, x0,
		    *first_x0);
		/* 2 pixels: error diffusion keeps a state's drawn count within
		 * a pixel of its share, and a row's last pixel is partly past
		 * its end */
		if (fabs(drawn - rep) > tol * wall + 2 * spp) {
			snprintf(why, len, "%s/%s %s: drawn %.4f s, report %.4f s (wall %.3f s, "
			    "a pixel %.4f s)", rname, tname, states[st], drawn, rep, wall, spp);
			return false;
		}
		if (!sampled)
			*worst = fmax(*worst, fabs(drawn - rep) / wall);
	}
	return true;
}

/* sleep-vs-fib --svg: per task, each state's drawn width is the report's
 * time in it within 2 % of the run's wall and 2 pixels (the drawing's
 * grain, see export_svg.c), and every band starts at the same x.  The
 * pixels count on a loaded machine: one time scale fits the longest run,
 * and load stretches the computing runs (and real CPython's) far more than
 * the sleepers, whose pixel then grows to 1 % of their wall and more (two
 * busy loops beside it: a sleeper's io drawn 1.0226 s against 1.0004 s,
 * wall 1.062 s). */
static bool
svg_widths_attempt(void *arg, char *why, size_t len)
{
	char path[] = "/tmp/conclab-svg-XXXXXX", args[512], *json, *svg;
	struct mj *root;
	const struct mj *runs;
	double first_x0 = -1, worst = 0;
	int status, fd = mkstemp(path);
	bool ok = true;

	close(fd);
	/* the lab as shipped: a pixel is then well under 2 % of the shortest
	 * run (a 200 ms sleep run next to 3 s of fib made a pixel 2 % alone) */
	snprintf(args, sizeof args, "run sleep-vs-fib --headless --format json --svg %s",
	    path);
	json = tu_run(args, &status, 0);
	ck_assert_int_eq(status, 0);
	{
		FILE *f = fopen(path, "r");
		long n;

		ck_assert_ptr_nonnull(f);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		svg = calloc(1, (size_t)n + 1);
		ck_assert_int_eq((long)fread(svg, 1, (size_t)n, f), n);
		fclose(f);
	}
	root = mj_parse(json);
	ck_assert_ptr_nonnull(root);
	runs = mj_get(root, "runs");
	ck_assert_int_eq(runs->n, 6);	/* 4 C runs, 2 real CPython runs */
	for (int i = 0; i < runs->n && ok; i++) {
		const struct mj *r = &runs->kids[i], *tasks = mj_get(r, "tasks_detail");

		for (int k = 0; k < tasks->n && ok; k++)
			ok = svg_task_widths(svg, r, &tasks->kids[k], &first_x0, &worst, why, len);
	}
	if (ok)
		snprintf(why, len, "worst state width off by %.2f %% of its run's wall",
		    100 * worst);
	(void)arg;
	mj_free(root);
	free(json);
	free(svg);
	unlink(path);
	return ok;
}

/* Drawn against measured on a loaded machine: a run's threads meet other
 * programs, and the sampler's view of them with it -- measured again when
 * one attempt misses. */
START_TEST(svg_widths_match_the_report)
{
	tu_assert_attempts("svg widths", svg_widths_attempt, NULL);
}
END_TEST

/* Walk 3 #1: a task whose ring overflowed.  The CSV's folded rows plus its
 * exact rows account for every interval and for its exact run and io
 * totals, from its start; the Chrome trace has the folded slices on the
 * task's track before its exact ones, never overlapping. */
START_TEST(overflowed_task_exports_whole)
{
	struct fixture fx;
	uint64_t t0, t, us = 1000, run_ns = 0, io_ns = 0;
	double run_csv = 0, io_csv = 0, first = 1e9, start_s, last_end = 0;
	long intervals = 0;
	int slot, folded_slices = 0, tid;
	char *csv, *json, *line;
	struct mj *root;
	const struct mj *ev;

	fixture_run(&fx);
	t0 = fx.runner->results[0].t_start;
	slot = trace_task_add(fx.env.tr, 0, "flood", TRACE_KIND_TASK);
	tid = slot + 1;
	trace_task_begin_at(fx.env.tr, slot, 1, 1, t0, TRACE_RUN, 0);
	t = t0;
	for (int i = 1; i < 3 * TRACE_RING; i++) {
		uint64_t len = i % 2 ? 30 * us : 10 * us;

		t += len;
		run_ns += i % 2 ? len : 0;
		io_ns += i % 2 ? 0 : len;
		trace_set_state_cpu_at(fx.env.tr, slot, i % 2 ? TRACE_IO : TRACE_RUN, t, 0);
	}
	io_ns += 10 * us;
	trace_task_end_at(fx.env.tr, slot, t + 10 * us, run_ns, 0);
	csv = capture(&fx, EXPORT_CSV);
	for (line = strstr(csv, "\"flood\","); line != NULL;
	    line = strstr(line + 1, "\"flood\",")) {
		char state[16];
		double a, e, time;
		int cpu;
		long n;

		ck_assert_int_eq(sscanf(line, "\"flood\",%15[a-z],%d,%lf,%lf,%lf,%ld", state,
		    &cpu, &a, &e, &time, &n), 6);
		first = fmin(first, a);
		intervals += n;
		if (strcmp(state, "run") == 0)
			run_csv += time;
		if (strcmp(state, "io") == 0)
			io_csv += time;
	}
	start_s = (double)(t0 - fx.runner->results[0].t_start) / 1e9;
	ck_assert_msg(fabs(first - start_s) < 2e-6, "first row at %.6f s", first);
	ck_assert_int_eq(intervals, 3 * TRACE_RING);	/* all but the final done */
	ck_assert_msg(fabs(run_csv - (double)run_ns / 1e9) < 1e-4, "run %.6f", run_csv);
	ck_assert_msg(fabs(io_csv - (double)io_ns / 1e9) < 1e-4, "io %.6f", io_csv);
	json = capture(&fx, EXPORT_CHROME);
	root = mj_parse(json);
	ck_assert_ptr_nonnull(root);
	ev = mj_get(root, "traceEvents");
	for (int i = 0; i < ev->n; i++) {
		const struct mj *e = &ev->kids[i];

		if (strcmp(mj_get(e, "ph")->str, "X") != 0 || (int)mj_get(e, "tid")->num != tid)
			continue;
		ck_assert(mj_get(e, "ts")->num >= last_end - 0.002);
		last_end = mj_get(e, "ts")->num + mj_get(e, "dur")->num;
		folded_slices += strcmp(mj_get(e, "name")->str, "folded") == 0;
	}
	ck_assert_int_gt(folded_slices, 0);
	mj_free(root);
	free(json);
	free(csv);
	fixture_free(&fx);
}
END_TEST

static Suite *
export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("export");

	/* svg_widths_match_the_report runs the whole sleep-vs-fib lab, up to 3
	 * times: 9 s of CPU work and real CPython each; at a load of 20-24 on
	 * two cores one took over 120 s (a timeout only ends a hung test; a
	 * passing one ends when it is done) */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, chrome_trace);
	tcase_add_test(tc, overflowed_task_exports_whole);
	tcase_add_test(tc, csv_and_svg);
	tcase_add_test(tc, svg_leaves_the_pause_out);
	tcase_add_test(tc, series_is_bounded);
	tcase_add_test(tc, series_mean_over_a_run);
	tcase_add_test(tc, svg_cores_apart);
	tcase_add_test(tc, svg_widths_match_the_report);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(export_suite)
