/*
 * export: Chrome trace JSON, CSV and SVG from the trace.  Times are written
 * relative to the first run's start.  Every state interval of a task becomes
 * one slice; slices of a task never overlap because intervals of one writer
 * are consecutive.
 */
#include "export.h"

#include "json.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Colours of the states, the same as the dashboard's. */
static const char *const state_colour[TRACE_NSTATES] = {
	[TRACE_NEW] = "#ffffff", [TRACE_RUN] = "#2e9e44", [TRACE_READY] = "#e0b000",
	[TRACE_LOCK] = "#d03030", [TRACE_IO] = "#3070d0", [TRACE_DONE] = "#b0b0b0",
	[TRACE_FAILED] = "#800080",
};

struct core_series *
export_series_create(int ncpu)
{
	struct core_series *cs = xcalloc(1, sizeof *cs);

	cs->ncpu = ncpu;
	cs->busy = xcalloc((size_t)ncpu * EXPORT_MAX_SAMPLES, sizeof *cs->busy);
	return cs;
}

void
export_series_destroy(struct core_series *cs)
{
	if (cs == NULL)
		return;
	free(cs->busy);
	free(cs);
}

void
export_series_add(struct core_series *cs, uint64_t ts, const double *busy)
{
	if (cs->n == EXPORT_MAX_SAMPLES) {
		/* Halve the resolution: keep every other sample. */
		for (int i = 0; i < cs->n / 2; i++) {
			cs->ts[i] = cs->ts[2 * i];
			memcpy(&cs->busy[(size_t)i * cs->ncpu],
			    &cs->busy[(size_t)2 * i * cs->ncpu], (size_t)cs->ncpu * sizeof(float));
		}
		cs->n /= 2;
	}
	cs->ts[cs->n] = ts;
	for (int c = 0; c < cs->ncpu; c++)
		cs->busy[(size_t)cs->n * cs->ncpu + c] = (float)busy[c];
	cs->n++;
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

static void
chrome_tasks(struct json *j, const struct report_info *info, uint64_t t0, uint64_t end)
{
	int n = trace_ntasks(info->tr);

	for (int slot = 0; slot < n; slot++) {
		const struct trace_task *t = trace_task(info->tr, slot);
		struct trace_interval *iv;
		int pid, tid, count;
		char pname[96];

		if (t == NULL)
			continue;
		/* One track per task: serial tasks share a thread, so the
		 * track id is the slot; the real tid goes in the args. */
		pid = at_load_relaxed(&t->pid);
		tid = slot + 1;
		if (pid <= 0)
			pid = 1;
		snprintf(pname, sizeof pname, "conclab %s (pid %d)", info->lab->id, pid);
		chrome_meta(j, "process_name", pid, tid, pname);
		chrome_meta(j, "thread_name", pid, tid, t->name);
		count = trace_task_intervals(info->tr, slot, end, &iv);
		for (int i = 0; i < count; i++) {
			const struct trace_interval *v = &iv[i];
			const char *name = trace_state_name(v->state);

			if (v->state == TRACE_DONE || v->state == TRACE_NEW)
				continue;
			json_object_begin(j);
			json_key(j, "name");
			json_string(j, t->kind == TRACE_KIND_LANE ?
			    (v->arg ? "held" : "free") : name);
			json_key(j, "cat");
			json_string(j, "state");
			json_key(j, "ph");
			json_string(j, "X");
			json_key(j, "pid");
			json_int(j, pid);
			json_key(j, "tid");
			json_int(j, tid);
			json_key(j, "ts");
			json_number(j, rel_us(v->start, t0), 3);
			json_key(j, "dur");
			json_number(j, v->end > v->start ? (double)(v->end - v->start) / 1e3 : 0,
			    3);
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
		json_int(&j, 1);
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
		json_int(&j, 1);
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

static void
csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void
export_csv(FILE *f, const struct report_info *info)
{
	uint64_t t0 = export_t0(info), end = export_end(info);
	int n = trace_ntasks(info->tr);

	fputs("run,task,state,cpu,start_s,end_s\n", f);
	for (int slot = 0; slot < n; slot++) {
		const struct trace_task *t = trace_task(info->tr, slot);
		struct trace_interval *iv;
		int count;

		if (t == NULL || t->run < 0 || t->run >= info->lab->nruns)
			continue;
		count = trace_task_intervals(info->tr, slot, end ? end : t0, &iv);
		for (int i = 0; i < count; i++) {
			const struct trace_interval *v = &iv[i];

			if (v->state == TRACE_DONE || v->state == TRACE_NEW)
				continue;
			csv_field(f, info->lab->runs[t->run].name);
			fputc(',', f);
			csv_field(f, t->name);
			fprintf(f, ",%s,%d,%.6f,%.6f\n", t->kind == TRACE_KIND_LANE ?
			    (v->arg ? "held" : "free") : trace_state_name(v->state), v->cpu,
			    rel_us(v->start, t0) / 1e6, rel_us(v->end, t0) / 1e6);
		}
		free(iv);
	}
}

static void
svg_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

void
export_svg(FILE *f, const struct report_info *info)
{
	const int left = 150, width = 900, row = 18, top = 60;
	uint64_t t0 = export_t0(info), end = export_end(info);
	int n = trace_ntasks(info->tr), rows = 0, y, height, nlegend = 0;
	double span = end > t0 ? (double)(end - t0) : 1e9;
	double step;

	for (int slot = 0; slot < n; slot++)
		rows += trace_task(info->tr, slot) != NULL;
	height = top + rows * row + 130 + info->lab->nruns * 16;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n",
	    left + width + 20, height);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fputs("<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">conclab: ", f);
	svg_text(f, info->lab->id);
	fputs(" -- ", f);
	svg_text(f, info->lab->title);
	fputs("</text>\n", f);
	/* legend */
	for (int s = TRACE_RUN; s < TRACE_NSTATES; s++) {
		int x = 10 + nlegend++ * 90;

		fprintf(f, "<rect x=\"%d\" y=\"34\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		    "<text x=\"%d\" y=\"45\">%s</text>\n", x, state_colour[s], x + 16,
		    trace_state_name(s));
	}
	y = top;
	for (int slot = 0; slot < n; slot++) {
		const struct trace_task *t = trace_task(info->tr, slot);
		struct trace_interval *iv;
		int count;

		if (t == NULL)
			continue;
		fprintf(f, "<text x=\"10\" y=\"%d\">", y + row - 5);
		svg_text(f, t->run >= 0 && t->run < info->lab->nruns ?
		    info->lab->runs[t->run].name : "");
		fputs(" ", f);
		svg_text(f, t->name);
		fputs("</text>\n", f);
		count = trace_task_intervals(info->tr, slot, end ? end : t0, &iv);
		for (int i = 0; i < count; i++) {
			const struct trace_interval *v = &iv[i];
			double x0 = left + width * rel_us(v->start, t0) * 1e3 / span;
			double x1 = left + width * rel_us(v->end, t0) * 1e3 / span;
			const char *colour = t->kind == TRACE_KIND_LANE ?
			    (v->arg ? state_colour[TRACE_RUN] : "#ffffff") :
			    state_colour[v->state];

			if (v->state == TRACE_DONE || v->state == TRACE_NEW || x1 <= x0)
				continue;
			fprintf(f, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
			    "fill=\"%s\"><title>%s %.3f-%.3f s</title></rect>\n", x0, y + 2,
			    x1 - x0 < 0.3 ? 0.3 : x1 - x0, row - 4, colour,
			    t->kind == TRACE_KIND_LANE ? "lock lane" : trace_state_name(v->state),
			    rel_us(v->start, t0) / 1e6, rel_us(v->end, t0) / 1e6);
		}
		free(iv);
		y += row;
	}
	/* time axis with about 10 ticks */
	step = 1e9;
	while (span / step > 10)
		step *= 2;
	while (span / step < 4 && step > 1e6)
		step /= 2;
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
	    left, y + 4, left + width, y + 4);
	for (double t = 0; t <= span; t += step) {
		double x = left + width * t / span;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
		    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.2g s</text>\n", x, y + 4,
		    x, y + 9, x, y + 22, t / 1e9);
	}
	y += 44;
	for (int i = 0; i < info->lab->nruns; i++) {
		const struct run_result *r = &info->results[i];

		if (!r->finished)
			continue;
		fprintf(f, "<text x=\"10\" y=\"%d\">", y);
		svg_text(f, info->lab->runs[i].name);
		fprintf(f, ": wall %.3f s, CPU %.3f s, %.2f cores busy</text>\n", r->wall_s,
		    r->cpu_s, r->avg_cores_busy);
		y += 16;
	}
	fputs("</svg>\n", f);
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
	else
		export_svg(f, info);
	if (ferror(f) | (fclose(f) != 0)) {
		util_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
