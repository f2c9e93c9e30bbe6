/*
 * report: what a lab's runs measured, for people and scripts -- the machine
 * and noise figures, a run's fields by name, the lab's explanation with its
 * numbers filled in, and the text report.  The JSON report is in
 * report_json.c, the dashboard's lesson in report_reveal.c.
 */
#include "report.h"

#include "fidelity.h"
#include "fill.h"
#include "fmt.h"
#include "util.h"
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

#define NOISE_STEAL_PCT 5.0
#define NOISE_OTHER_PCT 10.0
#define NOISE_SLOW_RATIO 1.3	/* tasks' CPU time over their calibrated duration */

void
report_machine(struct report_info *info, const cpu_set_t *cpus,
    const struct work_calib *cal)
{
	cpus_machine(info->kernel, sizeof info->kernel, info->cpu_model,
	    sizeof info->cpu_model);
	info->online_cores = cpus_online();
	info->ncpus = 0;
	for (int c = 0; c < CPUS_MAX; c++)
		if (CPU_ISSET(c, cpus))
			info->cpus[info->ncpus++] = c;
	info->cal = *cal;
}

/* The tasks a run asked for; for a run without a tasks parameter (or one
 * that ignores it: a python server script) the slots it used (which also
 * count lanes such as the GIL's). */
int64_t
report_tasks(const struct lab_run *run, const struct run_result *r)
{
	int64_t n;

	return run != NULL && lab_param_used(run, "tasks") &&
	    lab_value_find(run, "tasks", &n) ? n : r->nslots;
}

double
report_interp_ns(const struct report_info *info)
{
	double max = 0;

	for (int i = 0; i < info->lab->nruns; i++) {
		const struct lab_run *run = &info->lab->runs[i];
		int64_t v;

		if (info->results[i].started && lab_value_find(run, "interp_ns", &v) &&
		    (double)v > max)
			max = (double)v;
	}
	return max;
}

bool
report_noise_known(const struct report_info *info)
{
	for (int i = 0; i < info->lab->nruns; i++)
		if (info->results[i].finished && info->results[i].noise_known)
			return true;
	return false;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median, over tasks that computed fib for a set duration (executors
 * with timed_work), of their CPU time over that duration: 1 when the
 * machine computed as fast as at calibration.  0 when no task tells. */
static double
report_speed_ratio(const struct report_info *info)
{
	double v[256];
	int n = 0;

	if (info->tr == NULL)
		return 0;
	for (int i = 0; i < info->lab->nruns; i++) {
		const struct run_result *r = &info->results[i];
		const struct lab_run *run = &info->lab->runs[i];
		int64_t ms = 0, work = -1, fib_n = 0, jobs = 0;
		double d;

		lab_value_find(run, "duration_ms", &ms);
		lab_value_find(run, "work", &work);
		lab_value_find(run, "fib_n", &fib_n);
		lab_value_find(run, "jobs", &jobs);
		d = (double)ms / 1e3;
		if (!r->finished || r->failed || r->stopped || d < 0.05 || work != 0 ||
		    fib_n != 0 || jobs != 0 || !run->exec->timed_work)
			continue;
		for (int k = 0; k < r->nslots && n < (int)UTIL_ARRAY_LEN(v); k++) {
			const struct trace_task *t = trace_task(info->tr, r->first_slot + k);
			struct trace_task_figures tf;

			if (t != NULL && t->kind == TRACE_KIND_TASK &&
			    trace_task_figures(info->tr, r->first_slot + k, &tf) &&
			    tf.state == TRACE_DONE)
				v[n++] = (double)tf.cpu_ns / 1e9 / d;
		}
	}
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof v[0], cmp_double);
	return v[n / 2];
}

bool
report_speed_changed(const struct report_info *info)
{
	double speed = report_speed_ratio(info);

	return speed > 0 && (speed > NOISE_SLOW_RATIO || speed < 1 / NOISE_SLOW_RATIO);
}

bool
report_loaded(const struct report_info *info)
{
	double steal = 0, other = 0;

	if (!report_noise_known(info))
		return false;
	for (int i = 0; i < info->lab->nruns; i++)
		if (info->results[i].finished) {
			steal = UTIL_MAX(steal, info->results[i].steal_pct);
			other = UTIL_MAX(other, info->results[i].other_load_pct);
		}
	return steal >= NOISE_STEAL_PCT || other >= NOISE_OTHER_PCT;
}

const char *
report_noise(const struct report_info *info, double *steal_pct, double *other_pct)
{
	static char warning[256];
	double steal = 0, other = 0, speed;

	for (int i = 0; i < info->lab->nruns; i++) {
		const struct run_result *r = &info->results[i];

		if (!r->finished)
			continue;
		steal = UTIL_MAX(steal, r->steal_pct);
		other = UTIL_MAX(other, r->other_load_pct);
	}
	*steal_pct = steal;
	*other_pct = other;
	speed = report_speed_ratio(info);
	if (speed > 0 && (speed > NOISE_SLOW_RATIO || speed < 1 / NOISE_SLOW_RATIO)) {
		/* Seen on virtual machines whose host is busy: no steal shows. */
		snprintf(warning, sizeof warning, "the computing tasks used %.0f %% of the CPU "
		    "time calibrated at the start (the machine's speed changed, e.g. a busy "
		    "host under a virtual machine): times are off by that much; run again",
		    100 * speed);
		return warning;
	}
	if (!report_loaded(info))
		return NULL;
	snprintf(warning, sizeof warning, "%s%s%s: the numbers may not show the lesson "
	    "cleanly; close other programs and run again",
	    steal >= NOISE_STEAL_PCT ? "the hypervisor stole CPU time" : "",
	    steal >= NOISE_STEAL_PCT && other >= NOISE_OTHER_PCT ? " and " : "",
	    other >= NOISE_OTHER_PCT ? "other programs kept the lab's CPUs busy" : "");
	return warning;
}

bool
report_field(const struct run_result *r, const char *field, double *out, int *decimals)
{
	const struct metric *m;

	*decimals = 2;
	if (!r->finished || r->skipped)
		return false;
	if (strcmp(field, "wall_s") == 0) {
		*out = r->wall_s;
		return true;
	}
	if (strcmp(field, "cpu_s") == 0) {
		*out = r->cpu_s;
		return true;
	}
	if (strcmp(field, "avg_cores_busy") == 0) {
		*out = r->avg_cores_busy;
		return true;
	}
	if (strcmp(field, "tasks") == 0) {
		/* the tasks asked for; nslots also counts lanes such as the GIL's */
		*out = (double)report_tasks(r->run, r);
		*decimals = 0;
		return true;
	}
	m = result_get(r, field);
	if (m == NULL || m->kind != METRIC_NUMBER)
		return false;
	*out = m->value;
	*decimals = m->decimals;
	return true;
}

bool
report_refs_ready(const struct report_info *info, const char *text)
{
	char *x = fill_text(info, text, NULL);

	free(x);
	return x != NULL;
}

/* Append piece (n bytes) to out (*len used of *cap), a blank line between
 * paragraphs when sep. */
static char *
explain_add(char *out, size_t *len, size_t *cap, const char *piece, size_t n, bool sep)
{
	if (*len + n + 3 > *cap) {
		*cap = (*len + n + 3) * 2;
		out = xrealloc(out, *cap);
	}
	if (sep && *len > 0) {
		memcpy(out + *len, "\n\n", 2);
		*len += 2;
	}
	memcpy(out + *len, piece, n);
	*len += n;
	out[*len] = '\0';
	return out;
}

/* True when every one of the expectations names[0..count) did not apply
 * because its run was of another kind (verdict.h, other_kind): a paragraph
 * that needs them is about that other kind. */
static bool
needs_other_kind(const struct verdict *v, const struct lab *lab,
    char names[][LAB_NAME_LEN], int count)
{
	for (int n = 0; n < count; n++) {
		int i = lab_expect_find(lab, names[n]);

		if (i < 0 || !v->other_kind[i])
			return false;
	}
	return count > 0;
}

/* One paragraph with its figures, opened by what this run did not show of
 * the expectations it needs ("[needs NAME]", lab.h); NULL when they are all
 * about another kind of run, or (*missing) when a figure it names was not
 * measured. */
static char *
explain_para(const struct report_info *info, const struct verdict *v, const char *p,
    size_t n, bool *missing)
{
	char names[LAB_MAX_EXPECTS][LAB_NAME_LEN], note[1024];
	int count;
	const char *body = lab_para_needs(p, n, names, LAB_MAX_EXPECTS, &count);
	char *para, *x, *out;

	/* about another kind of run (a free-threaded CPython's, say) */
	*missing = false;
	if (count > 0 && needs_other_kind(v, info->lab, names, count))
		return NULL;
	para = xmalloc(n + 1);
	n -= (size_t)(body - p);
	memcpy(para, body, n);
	para[n] = '\0';
	x = fill_text(info, para, NULL);
	free(para);
	*missing = x == NULL;
	if (x == NULL || count <= 0 || !verdict_needs_note(v, info->lab, names, count, note, sizeof note))
		return x;
	out = xasprintf("%s %s", note, x);
	free(x);
	return out;
}

char *
report_explain(const struct report_info *info, const char *text)
{
	size_t cap = strlen(text) + 128, len = 0;
	char *out = xmalloc(cap);
	int left_out = 0;
	struct verdict v;

	/* Paragraph by paragraph: one about a run that did not run (--only, or
	 * a failure) would only say n/a, so it is left out and counted. */
	out[0] = '\0';
	verdict_judge(info, &v);
	for (const char *p = text; *p != '\0';) {
		const char *brk = strstr(p, "\n\n");
		size_t n = brk != NULL ? (size_t)(brk - p) : strlen(p);
		bool missing;
		char *x = explain_para(info, &v, p, n, &missing);

		if (x != NULL)
			out = explain_add(out, &len, &cap, x, strlen(x), true);
		left_out += missing;
		free(x);
		p += n;
		while (*p == '\n')
			p++;
	}
	if (left_out > 0) {
		char note[128];
		int r = snprintf(note, sizeof note, "%s(%d paragraph%s about runs that did not "
		    "run left out.)", len > 0 ? "\n\n" : "", left_out, left_out == 1 ? "" : "s");

		out = explain_add(out, &len, &cap, note, r > 0 ? (size_t)r : 0, false);
	}
	return out;
}

void
report_wrap(FILE *f, const char *text, int width, int indent)
{
	int col = 0;

	for (const char *s = text; *s != '\0';) {
		int w, cols;

		if (*s == '\n') {
			fputc('\n', f);
			col = 0;
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			continue;
		}
		w = fmt_word(s, &cols);	/* a number keeps its unit ("12.4 s") */
		if (col > 0 && col + 1 + cols > width) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0) {
			fprintf(f, "%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', f);
			col++;
		}
		fwrite(s, 1, (size_t)w, f);
		col += cols;
		s += w;
	}
	if (col > 0)
		fputc('\n', f);
}

static void
format_cpus(const int *cpus, int n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++) {
		int r = snprintf(buf + used, len - used, "%s%d", i ? "," : "", cpus[i]);

		used += r > 0 ? (size_t)r : 0;
	}
}

/* The JSON string at s (after its '"') into out, unescaped as far as a
 * text report needs; where it ends (after its closing '"'). */
static const char *
json_text(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s != '\0' && *s != '"'; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		if (n + 1 < len)
			out[n++] = *s;
	}
	out[n] = '\0';
	return *s == '"' ? s + 1 : s;
}

/* A list of objects in words, each object's text values as "first (second,
 * third)": the failed tasks' [{"task": "task-2", "signal": 9, "signal_name":
 * "SIGKILL"}] as "task-2 (SIGKILL)" (walk 6 G17: the text report printed the
 * JSON).  Anything else is printed as it is. */
static void
text_json(FILE *f, const char *json)
{
	char word[128];
	int in_obj = 0, nobj = 0, nwords = 0;

	if (json[0] != '[' || strchr(json, '{') == NULL) {
		fprintf(f, "%s\n", strcmp(json, "[]") == 0 ? "none" : json);
		return;
	}
	for (const char *s = json; *s != '\0';) {
		if (*s == '{') {
			fputs(nobj++ ? ", " : "", f);
			in_obj = 1;
			nwords = 0;
		} else if (*s == '}') {
			fputs(nwords > 1 ? ")" : "", f);
			in_obj = 0;
		} else if (*s == '"' && in_obj) {
			const char *after = json_text(s + 1, word, sizeof word);

			while (*after == ' ')
				after++;
			if (*after != ':') {	/* a value, not a key */
				fprintf(f, "%s%s", nwords == 0 ? "" : nwords == 1 ? " (" : ", ",
				    word);
				nwords++;
			}
			s = after;
			continue;
		}
		s++;
	}
	fputc('\n', f);
}

static void
text_metrics(FILE *f, const struct run_result *r, bool ascii)
{
	for (int i = 0; i < r->nmetrics; i++) {
		const struct metric *m = &r->metrics[i];

		char num[FMT_NUM_LEN];

		fprintf(f, "    %-24s ", m->key);
		if (m->kind == METRIC_NUMBER) {
			fmt_metric(num, sizeof num, m->key, m->value, ascii);
			fprintf(f, "%s\n", num);
		} else if (m->kind == METRIC_ARRAY) {
			for (int k = 0; k < m->nvalues; k++) {
				fmt_metric(num, sizeof num, m->key, m->values[k], ascii);
				fprintf(f, "%s%s", k ? " " : "", num);
			}
			fputc('\n', f);
		} else {
			text_json(f, m->json);
		}
	}
}

static void
text_tasks(FILE *f, const struct report_info *info, const struct run_result *r)
{
	fprintf(f, "    %-12s %9s %9s %9s %9s %9s %9s %-6s %s\n", "task", "start", "end",
	    "run", "ready", "lock", "io", "state", "cpus");
	for (int k = 0; k < r->nslots; k++) {
		int slot = r->first_slot + k;
		const struct trace_task *t = trace_task(info->tr, slot);
		int cpus[CPUS_MAX], nc;
		char cl[128];
		double start, end, run, ready;
		uint64_t run_ns;
		bool run_known;
		char n[6][FMT_NUM_LEN];
		struct trace_task_figures tf;

		if (t == NULL || t->kind != TRACE_KIND_TASK ||
		    !trace_task_figures(info->tr, slot, &tf))
			continue;
		nc = trace_task_cpus(info->tr, slot, cpus, CPUS_MAX);
		format_cpus(cpus, nc, cl, sizeof cl);
		start = tf.start_ns > r->t_start ? (double)(tf.start_ns - r->t_start) / 1e9 : 0;
		end = tf.end_ns > r->t_start ? (double)(tf.end_ns - r->t_start) / 1e9 : 0;
		run_known = trace_task_run_ns(&tf, &run_ns);
		run = (double)run_ns / 1e9;
		ready = (double)trace_task_ready_ns(info->tr, slot) / 1e9;
		if (tf.sched_known)
			fmt_time(n[3], sizeof n[3], ready, info->ascii);
		else
			snprintf(n[3], sizeof n[3], "n/a");
		fmt_time(n[0], sizeof n[0], start, info->ascii);
		fmt_time(n[1], sizeof n[1], end, info->ascii);
		if (run_known)
			fmt_time(n[2], sizeof n[2], run, info->ascii);
		else
			snprintf(n[2], sizeof n[2], "n/a");
		fmt_time(n[4], sizeof n[4], (double)tf.total_ns[TRACE_LOCK] / 1e9, info->ascii);
		fmt_time(n[5], sizeof n[5], (double)tf.total_ns[TRACE_IO] / 1e9,
		    info->ascii);
		fprintf(f, "    %-12s", t->name);
		for (int col = 0; col < 6; col++)
			fprintf(f, " %*s%s", 9 - fmt_cols(n[col]), "", n[col]);
		fprintf(f, " %-6s %s\n", trace_state_name(tf.state), cl);
	}
}

/* The prediction, judged on the answer; when this run's numbers did not
 * show the lesson, it says so rather than leave them to contradict it. */
static void
text_prediction(FILE *f, const struct report_info *info, const struct verdict *v)
{
	const struct lab *lab = info->lab;
	char why[256];
	char *mine = lab_fill_params(lab, info->predict <= lab->nchoices ?
	    lab->choices[info->predict - 1] : "?");
	char *answer = lab_fill_params(lab, lab->choices[lab->answer - 1]);

	fprintf(f, "\nyour prediction: %d (%s)", info->predict, mine);
	if (!verdict_prediction_judged(info, why, sizeof why))
		fprintf(f, " -- not judged: %s\n", why);
	else if (info->predict != lab->answer)
		fprintf(f, " -- not quite; the answer is %d (%s)\n", lab->answer, answer);
	else
		fprintf(f, " -- %s\n", v->lesson_failed > 0 ? "right by the lesson" : "right");
	/* a side figure off leaves the lesson shown: only a lesson miss qualifies */
	if (v->lesson_failed > 0 && why[0] == '\0')
		fputs("  (but this run's numbers did not show all of it: see the first lines)\n", f);
	free(mine);
	free(answer);
}

/* The settings that are not the lab file's, and where slow motion came
 * from when the config file set it (walk 6 G21); then the blank line. */
static void
settings_line(FILE *f, const struct report_info *info, const struct verdict *v)
{
	bool from = info->slow > 1 && info->slow_from != NULL;

	if (v->settings[0] != '\0')
		fprintf(f, "settings not the lab file's: %s%s%s%s\n", v->settings,
		    from ? " (" : "", from ? info->slow_from : "", from ? ")" : "");
	fputc('\n', f);
}

void
report_text(FILE *f, const struct report_info *info)
{
	const struct lab *lab = info->lab;
	double steal, other;
	const char *warning = report_noise(info, &steal, &other);
	char cl[256];
	struct verdict v;

	verdict_judge(info, &v);
	if (!verdict_noise_matters(info, &v))
		warning = NULL;	/* every expectation held: noise changed nothing */
	format_cpus(info->cpus, info->ncpus, cl, sizeof cl);
	fprintf(f, "conclab %s  lab %s: %s\n", CONCLAB_VERSION, lab->id, lab->title);
	verdict_text(f, info, &v);
	fprintf(f, "machine: %s, %s, %d online cores; lab on CPUs %s (%d core%s)\n",
	    info->kernel, info->cpu_model, info->online_cores, cl, info->ncpus,
	    info->ncpus == 1 ? "" : "s");
	fprintf(f, "calibration: fib %.2f ns/call in C, interpreted cost %.0f ns/tick\n",
	    info->cal.fib_ns_per_call, report_interp_ns(info));
	settings_line(f, info, &v);
	fprintf(f, "%-20s %-10s %5s %9s %9s %11s\n", "run", "executor", "tasks",
	    "wall", "cpu", "cores busy");
	for (int i = 0; i < lab->nruns; i++) {
		const struct run_result *r = &info->results[i];
		char w[FMT_NUM_LEN], cpu[FMT_NUM_LEN], busy[FMT_NUM_LEN];

		if (!r->finished)
			continue;
		fmt_time(w, sizeof w, r->wall_s, info->ascii);
		fmt_time(cpu, sizeof cpu, r->cpu_s, info->ascii);
		fmt_cores(busy, sizeof busy, r->avg_cores_busy);
		if (r->skipped) {	/* it did not run: no times to show */
			util_strlcpy(w, "-", sizeof w);
			util_strlcpy(cpu, "-", sizeof cpu);
			util_strlcpy(busy, "-", sizeof busy);
		}
		fprintf(f, "%-20s %-10s %5d %*s%s %*s%s %11s%s\n", lab->runs[i].name,
		    lab->runs[i].exec->name, (int)report_tasks(&lab->runs[i], r),
		    9 - fmt_cols(w), "", w, 9 - fmt_cols(cpu), "", cpu, busy,
		    r->stopped ? "  (stopped)" :
		    r->failed ? "  (failed)" : r->skipped ? "  (skipped)" : "");
		if (r->paused_s > 0)
			fprintf(f, "    paused %.1f s (left out of the times)\n", r->paused_s);
		if (r->failed && r->error[0] != '\0')
			fprintf(f, "    error: %s\n", r->error);
		if (r->skipped)
			fprintf(f, "    skipped: %s\n", r->skipped_reason);
		else
			text_metrics(f, r, info->ascii);
	}
	fputs("\nper task (run = on a core, ready = waiting for a core):\n", f);
	for (int i = 0; i < lab->nruns; i++) {
		const struct run_result *r = &info->results[i];

		if (!r->finished)
			continue;
		fprintf(f, "  %s\n", lab->runs[i].name);
		text_tasks(f, info, r);
	}
	if (info->predict > 0 && lab->answer > 0)
		text_prediction(f, info, &v);
	if (lab->explain != NULL && !info->stopped) {
		char *text = report_explain(info, lab->explain);

		fputs("\nwhat this shows:\n", f);
		report_wrap(f, text, 78, 2);
		free(text);
	}
	{
		char *fid = fidelity_text(info);

		if (fid != NULL)
			fprintf(f, "\n%s\n", fid);
		free(fid);
	}
	verdict_detail(f, lab, &v);
	if (report_noise_known(info))
		fprintf(f, "\nnoise: steal %.1f %%, other load %.1f %%%s%s\n", steal,
		    other, warning ? "\nwarning: " : "", warning ? warning : "");
	else
		fputs("\nnoise: n/a (/proc/stat was not readable)\n", f);
	if (info->stopped)
		fputs("the lab was stopped before it finished\n", f);
}
