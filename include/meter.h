/*
 * meter: live figures of a lab's load generators for the dashboard.  A task
 * with a meter (trace_set_meter) counts its requests in the trace; the
 * dashboard samples the counters every METER_TICK_NS into a short history
 * of requests per second per client (a sparkline), and keeps each client's
 * latest latency.  Only the clients of the newest run that has any are
 * followed; the history is bounded (METER_HIST samples per client).
 */
#ifndef CONCLAB_METER_H
#define CONCLAB_METER_H

#include "trace.h"

#include <stdint.h>

#define METER_MAX 6
#define METER_HIST 48
#define METER_TICK_NS (250ULL * 1000 * 1000)

struct meter {
	int slot;
	int kind;			/* enum trace_meter */
	char name[TRACE_NAME_LEN];
	uint64_t count;			/* requests answered */
	uint64_t last_count, last_t;	/* at the previous sample */
	float hist[METER_HIST];		/* requests per second, oldest first */
	int n;
	double rate;			/* the newest sample */
	double value_s;			/* the latest latency, s */
	int state;			/* the task's trace state */
};

struct meter_set {
	int run;			/* the run followed, -1 none */
	int n;
	struct meter m[METER_MAX];
};

/* Forget every client. */
void meter_reset(struct meter_set *ms);
/* Follow the newest run's metered tasks and take a sample per tick at now. */
void meter_sample(struct meter_set *ms, const struct trace *tr, uint64_t now);

#endif
