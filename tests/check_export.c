/* Exports: Chrome trace JSON (parsed back, slices per track never overlap),
 * CSV rows, SVG rows; an unwritable path is an error, not a crash. */
#include "testutil.h"

#include "minijson.h"

#include "clock.h"
#include "exec.h"
#include "export.h"
#include "view.h"

#include <math.h>
#include <unistd.h>

struct fixture {
	struct lab lab;
	struct exec_env env;
	struct exec_runner *runner;
	struct report_info info;
	struct core_series *cs;
};

/* Start fx's lab (loaded), run `only` (-1 all), on a new trace. */
static void
fixture_start(struct fixture *fx, int only)
{
	char err[512];

	fx->env.tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(fx->env.tr);
	cpus_allowed(&fx->env.cpus);
	fx->env.ncpus = CPU_COUNT(&fx->env.cpus);
	fx->env.slow = 1;
	work_calibrate(&fx->env.cal);
	fx->runner = calloc(1, sizeof *fx->runner);
	ck_assert_int_eq(exec_runner_start(fx->runner, &fx->env, &fx->lab, only), 0);
}

static void
fixture_run(struct fixture *fx)
{
	char err[512];
	double busy[2] = { 0.5, -1 };

	memset(fx, 0, sizeof *fx);
	ck_assert_int_eq(lab_load(tu_fixture("labs/good.lab"), exec_info, &fx->lab, err,
	    sizeof err), 0);
	fx->cs = export_series_create(2);
	fixture_start(fx, -1);
	while (!exec_runner_done(fx->runner)) {
		export_series_add(fx->cs, clock_now_ns(), busy);
		clock_sleep_ns(5 * CLOCK_NS_PER_MS);
	}
	exec_runner_join(fx->runner);
	trace_mark(fx->env.tr, TRACE_MARK_USER, -1, clock_now_ns(), "marker \"1\"");
	fx->info.lab = &fx->lab;
	fx->info.results = fx->runner->results;
	fx->info.tr = fx->env.tr;
	report_machine(&fx->info, &fx->env.cpus, &fx->env.cal);
}

static void
fixture_free(struct fixture *fx)
{
	exec_runner_clear(fx->runner);
	free(fx->runner);
	export_series_destroy(fx->cs);
	trace_destroy(fx->env.tr);
	lab_free(&fx->lab);
}

/* not inlined: GCC then takes the text for the local pointer's (dangling-pointer) */
static __attribute__((noinline)) char *
capture(struct fixture *fx, enum export_kind kind)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (kind == EXPORT_CHROME)
		export_chrome(f, &fx->info, fx->cs);
	else if (kind == EXPORT_CSV)
		export_csv(f, &fx->info);
	else if (kind == EXPORT_REPORT)
		report_json(f, &fx->info);
	else if (kind == (enum export_kind)-1)
		report_text(f, &fx->info);
	else
		export_svg(f, &fx->info, fx->cs);
	fclose(f);
	return buf;
}

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

/* The number after the first key in text. */
static double
number_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	double v = 0;

	ck_assert_msg(p != NULL && sscanf(p + strlen(key), "%lf", &v) == 1, "no %s", key);
	return v;
}

/* The length (s) of run's band in the SVG: its top line at its scale. */
static double
svg_band_s(const char *svg, const char *run)
{
	char head[96];
	const char *band, *line;

	snprintf(head, sizeof head, "data-run=\"%s\"", run);
	band = strstr(svg, head);
	ck_assert_msg(band != NULL, "no band %s", run);
	line = strstr(band, "<line x1=\"170\"");
	ck_assert_ptr_nonnull(line);
	return (number_after(line, "x2=\"") - 170) * number_after(band, "data-s-per-px=\"");
}

/* A run paused 300 ms while its threads sleep: the SVG draws the band as
 * its wall without the pause (the line's length at the band's scale), the
 * pause as a dashed line, and the sleepers' io time leaves the pause out
 * (their sleeps stop while paused, so each still sleeps its 20 ms). */
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
	fixture_start(&fx, 1);
	while (trace_ntasks(fx.env.tr) < 4 ||
	    trace_task_state(fx.env.tr, 3) != TRACE_IO) {
		ck_assert(clock_now_ns() - t0 < 10 * CLOCK_NS_PER_S);
		clock_sleep_ns(CLOCK_NS_PER_MS / 2);
	}
	trace_set_paused(fx.env.tr, true, clock_now_ns());
	clock_sleep_ns(300 * CLOCK_NS_PER_MS);
	trace_set_paused(fx.env.tr, false, clock_now_ns());
	while (!exec_runner_done(fx.runner))
		clock_sleep_ns(CLOCK_NS_PER_MS);
	exec_runner_join(fx.runner);
	fx.info.lab = &fx.lab;
	fx.info.results = fx.runner->results;
	fx.info.tr = fx.env.tr;
	report_machine(&fx.info, &fx.env.cpus, &fx.env.cal);
	ck_assert_double_ge(fx.runner->results[1].paused_s, 0.29);
	ck_assert_double_lt(fx.runner->results[1].wall_s, 0.2);
	for (int slot = 0; slot < 4; slot++) {
		struct trace_task_figures tf;

		trace_task_figures(fx.env.tr, slot, &tf);
		ck_assert_msg(tf.total_ns[TRACE_IO] >= 19 * CLOCK_NS_PER_MS &&
		    tf.total_ns[TRACE_IO] < 150 * CLOCK_NS_PER_MS, "thread %d io %.3f s", slot,
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

/* The drawn width (s) of state cls for task RUN/TASK inside band run; the
 * band's x of t = 0 into *x0, its seconds a pixel into *spp. */
static double
svg_width(const char *svg, const char *run, const char *task, const char *cls,
    double *x0, double *spp)
{
	char head[128], want[160];
	const char *band, *end, *p;
	double sum = 0;

	snprintf(head, sizeof head, "<g class=\"band\" data-run=\"%s\"", run);
	band = strstr(svg, head);
	ck_assert_msg(band != NULL, "no band for run %s", run);
	end = strstr(band, "</g>");
	ck_assert(sscanf(strstr(band, "data-x0="), "data-x0=\"%lf\" data-s-per-px=\"%lf\"",
	    x0, spp) == 2);
	snprintf(want, sizeof want, "<rect class=\"%s\" data-task=\"%s/%s\"", cls, run, task);
	for (p = band; (p = strstr(p, want)) != NULL && p < end; p++) {
		double w;

		ck_assert(sscanf(strstr(p, "width="), "width=\"%lf\"", &w) == 1);
		sum += w;
	}
	return sum * *spp;
}

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
	/* A thread that outlives its band: the script said "end" (the run's
	 * end, its band's) and the interpreter then exits; the report counts
	 * that thread's states to its exit, the band cannot draw them.  At a
	 * load of 18: main of cpython-threads ended 0.47 s after its band,
	 * with 0.43 s ready, nearly all of it then. */
	double after = fmax(0, mj_get(task, "end_s")->num - wall);

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
		if (fabs(drawn - rep) > tol * wall + 2 * spp + after) {
			snprintf(why, len, "%s/%s %s: drawn %.4f s, report %.4f s (wall %.3f s, "
			    "a pixel %.4f s, the thread ended %.4f s after its band)", rname,
			    tname, states[st], drawn, rep, wall, spp, after);
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
	tcase_add_test(tc, csv_sums_to_the_report);
	tcase_add_test(tc, failed_task_run_not_measured);
	tcase_add_test(tc, markers_in_svg_and_chrome);
	tcase_add_test(tc, gil_old_band_is_its_wall);
	tcase_add_test(tc, svg_leaves_the_pause_out);
	tcase_add_test(tc, series_is_bounded);
	tcase_add_test(tc, series_mean_over_a_run);
	tcase_add_test(tc, svg_cores_apart);
	tcase_add_test(tc, svg_widths_match_the_report);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(export_suite)
