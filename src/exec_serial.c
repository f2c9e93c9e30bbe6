/*
 * exec_serial: one task after another in a single thread -- the baseline
 * without concurrency that every comparison starts from.
 */
#include "exec.h"

#include "clock.h"

static const struct param_spec serial_params[] = {
	EXEC_PARAM_TASKS(3),
	EXEC_PARAM_WORK,
	EXEC_PARAM_DURATION,
	EXEC_PARAM_FIB_N,
	EXEC_PARAM_INTERP(0),
	EXEC_PARAM_END,
};

static int
serial_run(struct run_ctx *rc)
{
	int n = (int)lab_value(rc->run, "tasks");
	struct trace *tr = rc->env->tr;
	struct exec_work ew;
	int first = -1;

	exec_plan(rc, &ew);
	for (int i = 0; i < n; i++) {
		int slot = exec_task_add(rc, "task", i + 1);

		if (slot < 0)
			return -1;
		if (first < 0)
			first = slot;
	}
	rc->res->t_start = clock_now_ns();
	for (int i = 0; i < n && !exec_stopping(rc); i++) {
		struct work_ctx w;

		work_ctx_init(&w, tr, first + i, &rc->env->cal, ew.interp_ns);
		trace_task_begin(tr, first + i, true);
		exec_do_work(&w, &ew);
		trace_task_end(tr, first + i);
	}
	rc->res->t_end = clock_now_ns();
	return 0;
}

/* Only the common figures (wall_s, cpu_s, avg_cores_busy, tasks). */
static const char *const serial_metrics[] = { NULL };

const struct exec_ops exec_serial = {
	.info = {
		.name = "serial",
		.title = "one task after another (no concurrency)",
		.params = serial_params,
		.metrics = serial_metrics,
		.timed_work = true,
	},
	.run = serial_run,
};
