/*
 * bench_main: the engine's speed figures (make bench).  Each figure is the
 * median of several runs; targets from the issues are printed beside them.
 */
#include "clock.h"
#include "exec.h"
#include "lab.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static double
bench_trace_event(void)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	int slot = trace_task_add(tr, 0, "bench", TRACE_KIND_TASK);
	double v[5];
	const int n = 2000000;

	trace_task_begin(tr, slot, false);
	for (int r = 0; r < 5; r++) {
		uint64_t t0 = clock_now_ns();

		for (int i = 0; i < n; i++)
			trace_set_state(tr, slot, i & 1 ? TRACE_RUN : TRACE_IO);
		v[r] = (double)(clock_now_ns() - t0) / n;
	}
	trace_destroy(tr);
	return median(v, 5);
}

static double
bench_calibration(struct work_calib *cal, double ms)
{
	struct work_plan plan;
	struct work_ctx w;
	double v[5];

	for (int r = 0; r < 5; r++) {
		uint64_t t0;

		work_calibrate(cal);
		work_plan_fib(cal, 0, (uint64_t)(ms * 1e6), &plan);
		work_ctx_init(&w, NULL, -1, cal, 0);
		t0 = clock_thread_cpu_ns();
		work_run_fib(&w, &plan);
		v[r] = (double)(clock_thread_cpu_ns() - t0) / 1e6;
	}
	return median(v, 5);
}

static double
bench_efficiency(int ncpus, double *wall_out)
{
	static const char text[] = "[lab]\nid = bench\ntitle = bench\n[run fib]\n"
	    "executor = threads\nwork = fib\nduration_ms = 500\n";
	char err[256], set[32];
	struct lab lab;
	struct exec_env env;
	double eff[3], wall[3];

	memset(&env, 0, sizeof env);
	env.tr = trace_create(err, sizeof err);
	cpus_allowed(&env.cpus);
	env.ncpus = ncpus;
	env.slow = 1;
	work_calibrate(&env.cal);
	if (lab_parse(text, sizeof text - 1, "bench", exec_info, &lab, err, sizeof err) < 0)
		die(1, "%s", err);
	snprintf(set, sizeof set, "tasks=%d", ncpus);
	lab_set(&lab, set, err, sizeof err);
	for (int r = 0; r < 3; r++) {
		struct run_result res;

		memset(&res, 0, sizeof res);
		trace_reset(env.tr);
		exec_run(&env, &lab.runs[0], 0, &res);
		eff[r] = res.avg_cores_busy / ncpus;
		wall[r] = res.wall_s;
		result_clear(&res);
	}
	lab_free(&lab);
	trace_destroy(env.tr);
	*wall_out = median(wall, 3);
	return median(eff, 3);
}

int
main(void)
{
	struct work_calib cal;
	cpu_set_t cpus;
	double ns, measured, eff, wall;
	int ncpus;

	cpus_allowed(&cpus);
	ncpus = CPU_COUNT(&cpus);
	ns = bench_trace_event();
	printf("trace event:            %6.1f ns per state change      (target <= 50 ns)\n",
	    ns);
	measured = bench_calibration(&cal, 200);
	printf("calibration:            %6.1f ms measured for 200 ms requested: error "
	    "%+.1f %% (calibrated in %.0f ms)\n", measured, (measured / 200 - 1) * 100,
	    (double)cal.calib_ns / 1e6);
	eff = bench_efficiency(ncpus, &wall);
	printf("fib-threads efficiency: %6.3f  avg_cores_busy / min(N, cores), N = cores = "
	    "%d, wall %.3f s for 0.5 s each (target >= 0.95)\n", eff, ncpus, wall);
	return 0;
}
