/*
 * result: what one run measured, as plain data shared by the executors that
 * fill it, the reports and the views that show it.
 */
#ifndef CONCLAB_RESULT_H
#define CONCLAB_RESULT_H

#include "lab.h"

#include <stdbool.h>
#include <stdint.h>

/* the most keys an executor declares (python: 27), and room for rounds */
#define RESULT_MAX_METRICS 32

enum metric_kind { METRIC_NUMBER, METRIC_ARRAY, METRIC_JSON };

struct metric {
	char key[40];		/* room for "<a metric>_rounds" */
	enum metric_kind kind;
	double value;		/* METRIC_NUMBER */
	double *values;		/* METRIC_ARRAY, owned */
	int nvalues;
	char *json;		/* METRIC_JSON: a ready JSON value, owned */
	int decimals;		/* for text output */
};

struct run_result {
	const struct lab_run *run;
	int index;		/* in the lab's runs */
	bool started, finished, stopped;
	bool failed;		/* a runtime error (error says what) */
	bool skipped;		/* did not run: something it needs is missing */
	char skipped_reason[200];	/* one line: what, and how to get it */
	char error[256];
	uint64_t t_start, t_end;	/* monotonic ns, what the wall time spans */
	double wall_s, cpu_s, avg_cores_busy;	/* wall_s leaves out pauses */
	double paused_s;		/* the presenter's pauses during the run */
	int first_slot, nslots;	/* the run's tasks in the trace */
	double steal_pct, other_load_pct;	/* noise during the run */
	bool noise_known;		/* /proc/stat was readable at both ends */
	struct metric metrics[RESULT_MAX_METRICS];
	int nmetrics;
};

/* Set a number metric (replacing one of the same key). */
void result_set(struct run_result *r, const char *key, double value, int decimals);
/* Set an array metric (values copied). */
void result_set_array(struct run_result *r, const char *key, const double *v, int n);
/* The same, written with that many decimals (result_set_array: none). */
void result_set_array_dec(struct run_result *r, const char *key, const double *v, int n,
    int decimals);
/* Set a metric to a ready JSON value (copied). */
void result_set_json(struct run_result *r, const char *key, const char *json);
/* The metric, or NULL. */
const struct metric *result_get(const struct run_result *r, const char *key);
/* Free what the result owns and zero it. */
void result_clear(struct run_result *r);

#endif
