/*
 * sample: what the kernel says about cores and tasks.  Per-core busy % comes
 * from /proc/stat deltas; per-task on-CPU time and run-queue wait from
 * /proc/<pid>/task/<tid>/schedstat.  Parsers take a FILE * so tests can feed
 * fixture files.  The first sample only sets a baseline: until a second one,
 * a core's busy % is "unknown" (-1), never a bogus 100 %.
 */
#ifndef CONCLAB_SAMPLE_H
#define CONCLAB_SAMPLE_H

#include "cpus.h"
#include "trace.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SAMPLE_HISTORY 64

struct cpu_times {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
	bool present;
};

/* Parse /proc/stat: the "cpu" total line and each "cpuN" line (index N,
 * up to max).  Returns the number of per-CPU lines read, -1 if none parsed. */
int sample_parse_stat(FILE *f, struct cpu_times *total, struct cpu_times *percpu,
    int max);
/* Parse a schedstat file: on-CPU ns and run-queue wait ns; -1 on junk. */
int sample_parse_schedstat(FILE *f, uint64_t *oncpu_ns, uint64_t *wait_ns);
/* Parse a statm file: resident pages (the second field); -1 on junk. */
int sample_parse_statm(FILE *f, uint64_t *resident_pages);
/* conclab's own resident memory in MB (it grows with a thread per
 * connection, not with an event loop); 0 when unreadable. */
double sample_self_rss_mb(void);
/* Busy share of a delta between two readings in [0, 1]; -1 if no time passed. */
double sample_busy(const struct cpu_times *a, const struct cpu_times *b);
/* Steal share of a delta in [0, 1]. */
double sample_steal(const struct cpu_times *a, const struct cpu_times *b);
/* Total busy ns (user..softirq) in a delta, in ns (clock ticks converted). */
uint64_t sample_busy_ns(const struct cpu_times *a, const struct cpu_times *b);

struct core_sampler {
	int ncpu;			/* CPUs tracked (index = CPU number) */
	bool have_prev;
	bool available;			/* false when /proc/stat cannot be read */
	struct cpu_times *prev, *cur;
	double *busy;			/* last busy share per CPU, -1 unknown */
	float *history;			/* ncpu x SAMPLE_HISTORY ring, -1 unknown */
	int hpos;			/* next history slot */
	int nhist;			/* samples in history */
	const char *path;		/* /proc/stat, or a fixture */
};

/* A sampler over CPUs 0..ncpu-1 reading path (NULL = /proc/stat). */
struct core_sampler *sample_cores_create(int ncpu, const char *path);
void sample_cores_destroy(struct core_sampler *cs);
/* Take a sample; updates busy and history.  -1 when unreadable. */
int sample_cores(struct core_sampler *cs);
/* History of CPU c, oldest first, into out[n]; returns count filled. */
int sample_core_history(const struct core_sampler *cs, int c, float *out, int n);

/* Read every live task's schedstat and append the delta to its sched ring.
 * At most `budget` tasks are read per call, in rotation (so frames stay
 * cheap with many tasks).  prev arrays must hold TRACE_MAX_TASKS entries. */
struct task_sampler {
	uint64_t oncpu[TRACE_MAX_TASKS];
	uint64_t wait[TRACE_MAX_TASKS];
	int32_t tid[TRACE_MAX_TASKS];
	int next;
};
void sample_tasks(struct task_sampler *ts, struct trace *tr, int budget);
/* Read every task that began and has not ended, whatever its state (a
 * presenter's pause: each task's samples then reach the pause, so the
 * cells before it are drawn from measurements that do not change). */
void sample_tasks_all(struct task_sampler *ts, struct trace *tr);

#endif
