/*
 * export: a lab's trace in forms other tools read -- Chrome Trace Event
 * Format (Perfetto, chrome://tracing), CSV of state intervals, and an SVG
 * picture of the timeline for slides.
 */
#ifndef CONCLAB_EXPORT_H
#define CONCLAB_EXPORT_H

#include "report.h"

#include <stdio.h>

/* Per-core busy share over time, sampled while the lab ran (fixed size). */
#define EXPORT_MAX_SAMPLES 4096
struct core_series {
	int ncpu;
	int n;
	uint64_t ts[EXPORT_MAX_SAMPLES];
	float *busy;	/* n x ncpu, -1 unknown: all programs (/proc/stat) */
	float *own;	/* n x ncpu, -1 unknown: the lab's own share (ownshare) */
};

/* A series for ncpu CPUs; free with export_series_destroy. */
struct core_series *export_series_create(int ncpu);
void export_series_destroy(struct core_series *cs);
/* Append one sample (busy[c] per CPU); when full, every other sample is dropped. */
void export_series_add(struct core_series *cs, uint64_t ts, const double *busy);
/* The same with the lab's own share own[c] per CPU too (NULL: unknown). */
void export_series_add_shares(struct core_series *cs, uint64_t ts, const double *busy,
    const double *own);
/* CPU k's mean busy and own shares over [t0, t1], each sample weighed by
 * the time it covers there -- on tr's folded clock when tr is not NULL, so
 * that the presenter's pauses weigh nothing; -1 for one not known.  False
 * when neither is. */
bool export_series_mean(const struct core_series *cs, const struct trace *tr, int k,
    uint64_t t0, uint64_t t1, double *busy, double *own);

/* Write the Chrome trace JSON; series may be NULL. */
void export_chrome(FILE *f, const struct report_info *info, const struct core_series *cs);
/* Write one CSV row per state interval. */
void export_csv(FILE *f, const struct report_info *info);
/* Write the timeline as an SVG picture for slides: each run a band from
 * its own t = 0, all on one scale, its tasks' states drawn in proportion to
 * their time (cells.h), and the cores as rows (busy share; series may be
 * NULL).  Every state <rect> has class = the state and data-task =
 * RUN/TASK; every band is a <g class="band"> with data-run, data-x0 (where
 * its t = 0 is) and data-s-per-px. */
void export_svg(FILE *f, const struct report_info *info, const struct core_series *cs);
/* EXPORT_REPORT: the JSON report itself (report_json), as the headless run
 * writes it. */
enum export_kind { EXPORT_CHROME, EXPORT_CSV, EXPORT_SVG, EXPORT_REPORT };
/* The file name ending of an export ("json", "csv", "svg", "report.json"). */
const char *export_suffix(enum export_kind kind);
/* Write one export into path; -1 with a message when it cannot be written. */
int export_write(const char *path, enum export_kind kind, const struct report_info *info,
    const struct core_series *cs, char *err, size_t errlen);

#endif
