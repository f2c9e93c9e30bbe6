/*
 * report: what a lab measured, as a text table a student can paste into
 * notes or as JSON for scripts (schema_version 1, its keys in README's
 * "The JSON report").
 */
#ifndef CONCLAB_REPORT_H
#define CONCLAB_REPORT_H

#include "cpus.h"
#include "lab.h"
#include "result.h"
#include "trace.h"
#include "work.h"

#include <stdbool.h>
#include <stdio.h>

#define REPORT_SCHEMA_VERSION 1

/* Each lab CPU's busy share over one run (index as report_info.cpus), as
 * the samples taken while it ran say: all programs' (/proc/stat) and the
 * lab's own (conclab and its descendants, ownshare.h); -1 unknown. */
struct report_core_share {
	bool known;			/* the run was sampled */
	float busy[CPUS_MAX], own[CPUS_MAX];
};

struct report_info {
	const struct lab *lab;
	char kernel[128];
	char cpu_model[160];
	int online_cores;
	int cpus[CPUS_MAX];		/* the CPUs the lab may use */
	int ncpus;
	struct work_calib cal;
	int predict;			/* the student's choice, 0 = none */
	const struct run_result *results;	/* LAB_MAX_RUNS, by run index */
	const struct trace *tr;
	bool stopped;			/* interrupted before the end */
	bool ascii;			/* text spells "us" for µs (--ascii, the locale) */
	double slow;			/* --slow factor (0 or 1: none) */
	const char *slow_from;		/* "slow = 4 in PATH" (the config file),
					 * NULL: a flag, the panel or none */
	bool predict_stale;		/* the settings changed after the prediction */
	const struct report_core_share *shares;	/* LAB_MAX_RUNS by run index, or
						 * NULL: not sampled */
};

/* Fill machine, CPUs and calibration fields of info (not lab/results). */
void report_machine(struct report_info *info, const cpu_set_t *cpus,
    const struct work_calib *cal);
/* The interpreted cost the lab's runs charge (largest interp_ns). */
double report_interp_ns(const struct report_info *info);
/* Could any finished run read /proc/stat (the noise figures)? */
bool report_noise_known(const struct report_info *info);
/* Were other programs' load or the hypervisor's steal, as measured, high
 * enough during a run to blur its numbers? */
bool report_loaded(const struct report_info *info);
/* Largest steal and other-load during the runs, and the warning (or NULL). */
const char *report_noise(const struct report_info *info, double *steal_pct,
    double *other_pct);
/* Did the machine compute at another speed than at calibration (the
 * computing tasks' CPU time over their set duration off by 30 %)?  Then
 * every time the text quotes is off by that much. */
bool report_speed_changed(const struct report_info *info);
/* The lab's explanation with {run.field} placeholders (and {a.x/b.y}
 * ratios) filled in; caller frees. */
char *report_explain(const struct report_info *info, const char *text);
/* Does every run text refers to have its figures (none skipped, failed or
 * not run)? */
bool report_refs_ready(const struct report_info *info, const char *text);
/* A field of a run result as a number ("wall_s", a metric key); false if none. */
bool report_field(const struct run_result *r, const char *field, double *out,
    int *decimals);

/* The reveal line: the prediction judged, then what was measured (the
 * lab's `measured` line once every run finished, else each finished run's
 * wall time) and the cores, into buf. */
void report_reveal(const struct report_info *info, bool noisy, char *buf, size_t len);
/* The lesson shown once runs end: an opening line (the prediction judged
 * and whether this run showed the lesson, in words), the reveal (what was
 * measured), the lab's explanation with its numbers, and the noise warning
 * last.  Caller frees. */
char *report_lesson(const struct report_info *info);
/* The lesson without its opening line (the prediction judged and the
 * verdict): the lab screen's lesson pane, under the strip that says them. */
const char *report_lesson_body(const struct lab *lab, const char *lesson);
/* The lab screen's verdict line once the lab ran: the prediction judged on
 * the answer, then whether this run showed the lesson in one sentence;
 * *failed when an expectation failed. */
void report_strip_verdict(const struct report_info *info, char *buf, size_t len,
    bool *failed);

/* The tasks a run asked for (its executor's slots when it has no tasks
 * parameter). */
int64_t report_tasks(const struct lab_run *run, const struct run_result *r);

/* Write the text report. */
void report_text(FILE *f, const struct report_info *info);
/* Write the JSON report. */
void report_json(FILE *f, const struct report_info *info);
/* Word-wrap text to width columns with an indent, into f. */
void report_wrap(FILE *f, const char *text, int width, int indent);

#endif
