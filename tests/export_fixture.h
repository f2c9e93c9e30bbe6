/* The export tests' fixture: the fixture lab run to its end on a new
 * trace (with a core series and a marker), its exports captured as text,
 * and readers of the SVG's bands.  Shared by check_export and
 * check_export_agree. */
#ifndef CONCLAB_EXPORT_FIXTURE_H
#define CONCLAB_EXPORT_FIXTURE_H

#include "testutil.h"

#include "clock.h"
#include "exec.h"
#include "export.h"

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

#endif
