/*
 * export: the Chrome trace JSON from the trace (the CSV is export_csv.c, the
 * SVG export_svg.c).  Times are written on the real clock, relative to the
 * first run's start.  Every state interval of a task becomes
 * one slice; slices of a task never overlap because intervals of one writer
 * are consecutive.
 */
#include "export.h"

#include "json.h"
#include "lane_hold.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct core_series *
export_series_create(int ncpu)
{
	struct core_series *cs = xcalloc(1, sizeof *cs);

	cs->ncpu = ncpu;
	cs->busy = xcalloc((size_t)ncpu * EXPORT_MAX_SAMPLES, sizeof *cs->busy);
	cs->own = xcalloc((size_t)ncpu * EXPORT_MAX_SAMPLES, sizeof *cs->own);
	return cs;
}

void
export_series_destroy(struct core_series *cs)
{
	if (cs == NULL)
		return;
	free(cs->busy);
	free(cs->own);
	free(cs);
}

void
export_series_add(struct core_series *cs, uint64_t ts, const double *busy)
{
	export_series_add_shares(cs, ts, busy, NULL);
}

void
export_series_add_shares(struct core_series *cs, uint64_t ts, const double *busy,
    const double *own)
{
	size_t row = (size_t)cs->ncpu * sizeof(float);

	if (cs->n == EXPORT_MAX_SAMPLES) {
		/* Halve the resolution: keep every other sample. */
		for (int i = 0; i < cs->n / 2; i++) {
			cs->ts[i] = cs->ts[2 * i];
			memcpy(&cs->busy[(size_t)i * cs->ncpu],
			    &cs->busy[(size_t)2 * i * cs->ncpu], row);
			memcpy(&cs->own[(size_t)i * cs->ncpu],
			    &cs->own[(size_t)2 * i * cs->ncpu], row);
		}
		cs->n /= 2;
	}
	cs->ts[cs->n] = ts;
	for (int c = 0; c < cs->ncpu; c++) {
		cs->busy[(size_t)cs->n * cs->ncpu + c] = (float)busy[c];
		cs->own[(size_t)cs->n * cs->ncpu + c] = own != NULL ? (float)own[c] : -1;
	}
	cs->n++;
}

bool
export_series_mean(const struct core_series *cs, const struct trace *tr, int k,
    uint64_t t0, uint64_t t1, double *busy, double *own)
{
	double wb = 0, wo = 0, sb = 0, so = 0;

	/* sample i holds the shares of (ts[i - 1], ts[i]]: weigh each by the
	 * part of that interval inside [t0, t1], on the folded clock (a pause
	 * weighs nothing) */
	if (tr != NULL) {
		t0 = trace_fold(tr, t0);
		t1 = trace_fold(tr, t1);
	}
	for (int i = 1; cs != NULL && k < cs->ncpu && i < cs->n; i++) {
		uint64_t p = tr != NULL ? trace_fold(tr, cs->ts[i - 1]) : cs->ts[i - 1];
		uint64_t q = tr != NULL ? trace_fold(tr, cs->ts[i]) : cs->ts[i];
		uint64_t a = UTIL_MAX(p, t0), z = UTIL_MIN(q, t1);
		float b = cs->busy[(size_t)i * cs->ncpu + k];
		float o = cs->own[(size_t)i * cs->ncpu + k];

		if (z <= a)
			continue;
		if (b >= 0) {
			sb += (double)b * (double)(z - a);
			wb += (double)(z - a);
		}
		if (o >= 0) {
			so += (double)o * (double)(z - a);
			wo += (double)(z - a);
		}
	}
	*busy = wb > 0 ? sb / wb : -1;
	*own = wo > 0 ? so / wo : -1;
	return wb > 0 || wo > 0;
}

/* The time zero of exports: the first run's start, else the trace's birth. */
static uint64_t
export_t0(const struct report_info *info)
{
	uint64_t t0 = 0;

	for (int i = 0; i < info->lab->nruns; i++)
		if (info->results[i].started && info->results[i].t_start &&
		    (t0 == 0 || info->results[i].t_start < t0))
			t0 = info->results[i].t_start;
	return t0 ? t0 : info->tr->t0;
}

static double
rel_us(uint64_t ts, uint64_t t0)
{
	return ts > t0 ? (double)(ts - t0) / 1e3 : 0;
}

static uint64_t
export_end(const struct report_info *info)
{
	uint64_t end = 0;

	for (int i = 0; i < info->lab->nruns; i++)
		if (info->results[i].finished && info->results[i].t_end > end)
			end = info->results[i].t_end;
	return end;
}

static void
chrome_meta(struct json *j, const char *what, int pid, int tid, const char *name)
{
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, what);
	json_key(j, "ph");
	json_string(j, "M");
	json_key(j, "pid");
	json_int(j, pid);
	json_key(j, "tid");
	json_int(j, tid);
	json_key(j, "args");
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, name);
	json_object_end(j);
	json_object_end(j);
}

/* The lab's own process in the trace: its lock lanes, the presenter's
 * marks and pauses, the cores busy counter -- none a process of its own.
 * Its pid is past Linux's largest (PID_MAX_LIMIT, 2^22), so it never
 * clashes with a real process's. */
#define CHROME_LAB_PID 4194305

static void
chrome_lab_process(struct json *j, const struct report_info *info)
{
	char name[96];

	snprintf(name, sizeof name, "conclab %s: locks, marks, cores", info->lab->id);
	chrome_meta(j, "process_name", CHROME_LAB_PID, 0, name);
}

/* Open a complete slice [a, e) on a track (the caller adds "args" and
 * closes it). */
static void
chrome_slice(struct json *j, const char *name, const char *cat, int pid, int tid,
    uint64_t a, uint64_t e, uint64_t t0)
{
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, name);
	json_key(j, "cat");
	json_string(j, cat);
	json_key(j, "ph");
	json_string(j, "X");
	json_key(j, "pid");
	json_int(j, pid);
	json_key(j, "tid");
	json_int(j, tid);
	json_key(j, "ts");
	json_number(j, rel_us(a, t0), 3);
	json_key(j, "dur");
	json_number(j, e > a ? (double)(e - a) / 1e3 : 0, 3);
}

/* A task's folded history (what its full ring overwrote): one slice per
 * bucket, "folded", its args each state's seconds in it and the number of
 * intervals folded there. */
static void
chrome_folded(struct json *j, int pid, int tid, const struct trace_folded *fold, uint64_t t0)
{
	for (int k = 0; k < fold->nbuckets; k++) {
		uint64_t a = fold->t0 + (uint64_t)k * fold->width, e = a + fold->width;
		uint32_t count = 0;

		if (e > fold->upto)
			e = fold->upto;
		chrome_slice(j, "folded", "folded", pid, tid, a, e, t0);
		json_key(j, "args");
		json_object_begin(j);
		for (int st = TRACE_RUN; st < TRACE_DONE; st++) {
			char key[16];

			snprintf(key, sizeof key, "%s_s", trace_state_name(st));
			json_key(j, key);
			json_number(j, (double)fold->ns[k][st] / 1e9, 6);
			count += fold->count[k][st];
		}
		json_key(j, "intervals");
		json_int(j, count);
		json_object_end(j);
		json_object_end(j);
	}
}

static void
chrome_tasks(struct json *j, const struct report_info *info, uint64_t t0, uint64_t end)
{
	int n = trace_ntasks(info->tr);
	struct trace_folded *fold = xmalloc(sizeof *fold);

	for (int slot = 0; slot < n; slot++) {
		const struct trace_task *t = trace_task(info->tr, slot);
		struct trace_interval *iv;
		int pid, tid, count;
		char pname[96];

		if (t == NULL)
			continue;
		/* One track per task: serial tasks share a thread, so the
		 * track id is the slot; the real tid goes in the args.  A lock
		 * lane (no thread of its own) goes in the lab's own process,
		 * named after its run. */
		pid = at_load_relaxed(&t->pid);
		tid = slot + 1;
		if (pid <= 0 || t->kind == TRACE_KIND_LANE) {
			pid = CHROME_LAB_PID;
		} else {
			snprintf(pname, sizeof pname, "conclab %s (pid %d)", info->lab->id, pid);
			chrome_meta(j, "process_name", pid, tid, pname);
		}
		if (t->run >= 0 && t->run < info->lab->nruns)
			snprintf(pname, sizeof pname, "%s: %s", info->lab->runs[t->run].name, t->name);
		else
			util_strlcpy(pname, t->name, sizeof pname);
		chrome_meta(j, "thread_name", pid, tid, t->kind == TRACE_KIND_LANE ? pname :
		    t->name);
		count = trace_task_history(info->tr, slot, end, &iv, fold);
		chrome_folded(j, pid, tid, fold, t0);
		for (int i = 0; i < count; i++) {
			const struct trace_interval *v = &iv[i];
			const char *name = trace_state_name(v->state);

			if (v->state == TRACE_DONE || v->state == TRACE_NEW)
				continue;
			chrome_slice(j, t->kind == TRACE_KIND_LANE ?
			    lane_hold_state_name(v->state, v->arg) : name, "state", pid, tid,
			    v->start, v->end, t0);
			json_key(j, "args");
			json_object_begin(j);
			json_key(j, "cpu");
			json_int(j, v->cpu);
			json_key(j, "tid");
			json_int(j, at_load_relaxed(&t->tid));
			if (t->kind == TRACE_KIND_LANE && v->arg > 0 &&
			    trace_task(info->tr, (int)v->arg - 1) != NULL) {
				json_key(j, "holder");
				json_string(j, trace_task(info->tr, (int)v->arg - 1)->name);
			}
			json_object_end(j);
			json_object_end(j);
		}
		free(iv);
	}
	free(fold);
}

void
export_chrome(FILE *f, const struct report_info *info, const struct core_series *cs)
{
	uint64_t t0 = export_t0(info), end = export_end(info);
	int nmarks = trace_nmarks(info->tr);
	struct json j;

	json_init(&j, f, false);
	json_object_begin(&j);
	json_key(&j, "displayTimeUnit");
	json_string(&j, "ms");
	json_key(&j, "traceEvents");
	json_array_begin(&j);
	chrome_lab_process(&j, info);
	chrome_tasks(&j, info, t0, end ? end : t0);
	for (int i = 0; cs != NULL && i < cs->n; i++) {
		if (cs->ts[i] < t0)
			continue;
		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, "cores busy %");
		json_key(&j, "ph");
		json_string(&j, "C");
		json_key(&j, "pid");
		json_int(&j, CHROME_LAB_PID);
		json_key(&j, "ts");
		json_number(&j, rel_us(cs->ts[i], t0), 3);
		json_key(&j, "args");
		json_object_begin(&j);
		for (int c = 0; c < cs->ncpu; c++) {
			char key[16];
			float b = cs->busy[(size_t)i * cs->ncpu + c];

			snprintf(key, sizeof key, "cpu%d", c);
			json_key(&j, key);
			json_number(&j, b < 0 ? 0 : 100.0 * b, 1);
		}
		json_object_end(&j);
		json_object_end(&j);
	}
	for (int i = 0; i < nmarks; i++) {
		const struct trace_mark *m = trace_get_mark(info->tr, i);

		if (m == NULL)
			continue;
		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, m->text);
		json_key(&j, "ph");
		json_string(&j, "i");
		json_key(&j, "s");
		json_string(&j, "g");
		json_key(&j, "pid");
		json_int(&j, CHROME_LAB_PID);
		json_key(&j, "tid");
		json_int(&j, 0);
		json_key(&j, "ts");
		json_number(&j, rel_us(m->ts, t0), 3);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	fputc('\n', f);
}

const char *
export_suffix(enum export_kind kind)
{
	switch (kind) {
	case EXPORT_CHROME: return "json";
	case EXPORT_CSV: return "csv";
	case EXPORT_SVG: return "svg";
	case EXPORT_REPORT: return "report.json";
	}
	return "out";
}

int
export_write(const char *path, enum export_kind kind, const struct report_info *info,
    const struct core_series *cs, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		util_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	if (kind == EXPORT_CHROME)
		export_chrome(f, info, cs);
	else if (kind == EXPORT_CSV)
		export_csv(f, info);
	else if (kind == EXPORT_REPORT)
		report_json(f, info);
	else
		export_svg(f, info, cs);
	if (ferror(f) | (fclose(f) != 0)) {
		util_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
