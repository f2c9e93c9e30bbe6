/*
 * verdict: headline figures and expectations of a lab, evaluated over the
 * finished runs of a report.  A figure of a run that did not run (--only),
 * failed or was stopped is missing: an expectation that needs it is not
 * judged, a headline shows the placeholder the caller gives.
 */
#include "verdict.h"

#include "fill.h"
#include "fmt.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* expr_lookup_fn over a report: RUN.FIELD from a finished run (a figure it
 * reports, else a number parameter of it), cores, or a parameter of the
 * first run that has it. */
bool
verdict_lookup(const char *run, const char *field, double *out, void *arg)
{
	const struct report_info *info = arg;
	int dec, i;

	if (run == NULL) {
		if (strcmp(field, "cores") == 0) {
			*out = info->ncpus;
			return true;
		}
		for (i = 0; i < info->lab->nruns; i++) {
			int64_t v;

			if (lab_value_find(&info->lab->runs[i], field, &v)) {
				*out = (double)v;
				return true;
			}
		}
		return false;
	}
	i = lab_run_index(info->lab, run, strlen(run));
	if (i < 0 || !info->lab->runs[i].selected || info->results[i].failed ||
	    info->results[i].stopped)
		return false;
	if (report_field(&info->results[i], field, out, &dec))
		return true;
	{
		/* a number parameter of the run: {blocking.block_ms} */
		int64_t pv;

		if (!info->results[i].finished || info->results[i].skipped ||
		    !lab_value_find(&info->lab->runs[i], field, &pv))
			return false;
		*out = (double)pv;
		return true;
	}
}

char *
verdict_headline(const struct report_info *info, int i, const char *missing)
{
	return fill_text(info, info->lab->headlines[i], missing);
}

struct why_arg {
	const struct report_info *info;
	char *buf;
	size_t len;
	int n;
	bool live;		/* a run yet to finish is not missing */
};

/* "RUN.FIELD = value" for each figure of a judged expectation. */
static int
why_values(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct why_arg *w = arg;
	char name[96], f[64], num[FMT_NUM_LEN];
	double v, unit;

	snprintf(name, sizeof name, "%.*s", (int)rl, run);
	snprintf(f, sizeof f, "%.*s", (int)fl, field);
	if (!verdict_lookup(rl > 0 ? name : NULL, f, &v, (void *)w->info))
		return 0;
	if (rl == 0 && strcmp(f, "cores") == 0)
		return 0;	/* the verdict's cause names the cores */
	/* a time with its unit, a setting's too, never a bare 1,000 beside
	 * "2.77 s" (walk 5 F20); the unit its name gives, so that the sum
	 * can be redone: "duration_ms = 1,000 ms", not "1.00 s" (walk 7 H8) */
	if (fmt_key_unit(f, &unit) == FMT_TIME)
		fmt_figure_own_unit(num, sizeof num, f, v, w->info->ascii);
	else
		fill_figure(w->info, rl > 0 ? name : NULL, f, v, num, sizeof num);
	{
		char item[320];

		snprintf(item, sizeof item, "%s%s%s = %s", name, rl ? "." : "", f, num);
		if (strstr(w->buf, item) == NULL)	/* a figure named twice, once */
			util_appendf(w->buf, w->len, "%s%s", w->n++ ? ", " : "", item);
	}
	return 0;
}

/* Why a figure is missing: the first run named that did not give it. */
static int
why_missing(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct why_arg *w = arg;
	const struct lab *lab = w->info->lab;
	const struct run_result *r;
	int i;

	(void)field;
	(void)fl;
	if (rl == 0 || (i = lab_run_index(lab, run, rl)) < 0)
		return 0;
	r = &w->info->results[i];
	if (!lab->runs[i].selected)
		snprintf(w->buf, w->len, "run %s did not run (--only)", lab->runs[i].name);
	else if (r->failed)
		snprintf(w->buf, w->len, "run %s failed", lab->runs[i].name);
	else if (r->skipped)
		snprintf(w->buf, w->len, "run %s was skipped", lab->runs[i].name);
	else if (r->stopped)
		snprintf(w->buf, w->len, "run %s was stopped", lab->runs[i].name);
	else if (!r->finished && !w->live)	/* the dashboard ran one run alone */
		snprintf(w->buf, w->len, "run %s was not run this time", lab->runs[i].name);
	else
		return 0;
	return 1;
}

/* A figure of a run (not cores, not a parameter). */
static int
run_ref(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	(void)run;
	(void)field;
	(void)fl;
	(void)arg;
	return rl > 0;
}

bool
verdict_settings(const struct report_info *info, char *buf, size_t len)
{
	const struct lab *lab = info->lab;

	buf[0] = '\0';
	for (int i = 0; i < lab->nruns; i++) {
		const struct lab_run *run = &lab->runs[i];

		if (!run->selected || run->exec == NULL)
			continue;
		for (int p = 0; run->exec->params[p].name != NULL; p++) {
			char val[64], item[128];

			if (!lab_param_changed(run, p))
				continue;
			lab_param_format(run, p, val, sizeof val);
			snprintf(item, sizeof item, "%s=%s", run->exec->params[p].name, val);
			if (strstr(buf, item) == NULL)	/* once for every run that has it */
				util_appendf(buf, len, "%s%s", buf[0] ? ", " : "", item);
		}
	}
	if (info->slow > 1)	/* a flag, the config file or the panel: not "--slow" */
		util_appendf(buf, len, "%sslow motion x%g", buf[0] ? ", " : "", info->slow);
	return buf[0] != '\0';
}

void
verdict_judge(const struct report_info *info, struct verdict *v)
{
	const struct lab *lab = info->lab;

	memset(v, 0, sizeof *v);
	v->n = lab->nexpects;
	verdict_settings(info, v->settings, sizeof v->settings);
	for (int i = 0; i < lab->nexpects; i++) {
		char err[128];
		const char *meaning;
		struct expr *e = expr_parse(lab->expects[i],
		    lab_expect_split(lab->expects[i], &meaning), true, err, sizeof err);
		struct why_arg w = { info, v->why[i], sizeof v->why[i], 0, false };

		if (e == NULL) {	/* lab_parse checked it: cannot happen */
			v->v[i] = EXPR_UNKNOWN;
			snprintf(v->why[i], sizeof v->why[i], "%s", err);
			v->unknown++;
			continue;
		}
		v->v[i] = expr_judge(e, verdict_lookup, (void *)info);
		if (v->v[i] == EXPR_UNKNOWN) {
			if (expr_each_ref(e, why_missing, &w) == 0)
				snprintf(v->why[i], sizeof v->why[i], "a figure is missing");
		} else if (v->v[i] == EXPR_NOT_APPLICABLE &&
		    expr_each_part_ref(e, true, run_ref, NULL) != 0) {
			v->other_kind[i] = true;
			snprintf(v->why[i], sizeof v->why[i], "does not apply to this run: ");
			expr_each_part_ref(e, true, why_values, &w);
		} else if (v->v[i] == EXPR_NOT_APPLICABLE) {
			const char *colon = strchr(lab->expects[i], ':'), *g = lab->expects[i] + 5;
			int gl = colon != NULL ? (int)(colon - lab->expects[i]) - 5 : 0;
			bool settings = false;

			for (int k = 0; k < gl && !settings; k++)	/* a name but cores */
				settings = (g[k] | 0x20) >= 'a' && (g[k] | 0x20) <= 'z' &&
				    (k == 0 || g[k - 1] == ' ' || g[k - 1] == '(') &&
				    strncmp(g + k, "cores", 5) != 0 && strncmp(g + k, "and ", 4) != 0;
			if (strncmp(lab->expects[i], "when ", 5) == 0 && settings)
				/* a guard over the settings: "when tasks >= 2" */
				snprintf(v->why[i], sizeof v->why[i], "does not apply to these "
				    "settings: %.*s", gl, lab->expects[i] + 5);
			else
				snprintf(v->why[i], sizeof v->why[i], "does not apply on %d core%s",
				    info->ncpus, info->ncpus == 1 ? "" : "s");
		} else {
			expr_each_part_ref(e, false, why_values, &w);
		}
		if (v->v[i] == EXPR_FAILED)
			verdict_cause_of(info, v, e);
		expr_destroy(e);
		v->held += v->v[i] == EXPR_HELD;
		v->failed += v->v[i] == EXPR_FAILED;
		v->lesson_failed += v->v[i] == EXPR_FAILED && !lab->expect_side[i];
		v->unknown += v->v[i] == EXPR_UNKNOWN;
		v->not_applicable += v->v[i] == EXPR_NOT_APPLICABLE;
	}
	if (v->slow_bears && info->slow > 1)	/* it stretches the GIL's interval */
		util_appendf(v->cause_settings, sizeof v->cause_settings, "%sslow motion x%g",
		    v->cause_settings[0] ? ", " : "", info->slow);
	verdict_twins(lab, v);
	if (v->failed > 0)
		verdict_likely_cause(info, v);
}

bool
verdict_prediction_judged(const struct report_info *info, char *why, size_t len)
{
	why[0] = '\0';
	for (int i = 0; i < info->lab->nruns; i++)
		if (!info->lab->runs[i].selected) {
			snprintf(why, len, "only some runs ran (--only)");
			return false;
		}
	if (info->predict_stale) {
		snprintf(why, len, "you predicted for other settings than the run used");
		return false;
	}
	return true;
}

bool
verdict_noise_matters(const struct report_info *info, const struct verdict *v)
{
	double steal, other;

	/* Noise could have changed what an expectation says, or -- a machine
	 * computing at another speed -- every time the text quotes.  Other
	 * load alone, with every expectation held, changed no claim of the
	 * text: each claim a sentence makes is an expectation of its
	 * paragraph ([needs]). */
	if (report_noise(info, &steal, &other) == NULL)
		return false;
	return v->n == 0 || v->failed > 0 || report_speed_changed(info);
}

/* Why headline i has no figures: the first run it names that gave none,
 * into buf; false when every run it names gave them or may still. */
static bool
headline_missing(const struct report_info *info, int i, bool live, char *buf, size_t len)
{
	const char *s = info->lab->headlines[i];
	struct why_arg w = { .info = info, .buf = buf, .len = len, .live = live };

	buf[0] = '\0';
	for (const char *open; (open = strchr(s, '{')) != NULL;) {
		const char *close = strchr(open, '}');
		char err[128];
		struct expr *e;
		int r;

		if (close == NULL)
			break;
		e = expr_parse(open + 1, (size_t)(close - open - 1), false, err, sizeof err);
		r = e != NULL ? expr_each_ref(e, why_missing, &w) : 0;
		expr_destroy(e);
		if (r != 0)
			return true;
		s = close + 1;
	}
	return false;
}

/* The runs of whys[0..n) ("run NAME REASON") joined by reason into note:
 * "runs threads, gil-old did not run (--only); run cpython2 was skipped". */
static void
join_whys(char whys[][160], int n, char *note, size_t len)
{
	bool used[LAB_MAX_HEADLINES] = { false };

	note[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *reason = strchr(whys[i] + 4, ' ');
		char names[160] = "";
		int k = 0;

		if (used[i] || reason == NULL)
			continue;
		for (int j = i; j < n; j++) {
			const char *r = strchr(whys[j] + 4, ' ');

			if (used[j] || r == NULL || strcmp(r, reason) != 0)
				continue;
			used[j] = true;
			util_appendf(names, sizeof names, "%s%.*s", k++ ? ", " : "",
			    (int)(r - whys[j] - 4), whys[j] + 4);
		}
		if (k > 1 && strncmp(reason, " was ", 5) == 0)
			util_appendf(note, len, "%sruns %s were %s", note[0] ? "; " : "", names,
			    reason + 5);
		else
			util_appendf(note, len, "%srun%s %s%s", note[0] ? "; " : "", k > 1 ? "s" : "",
			    names, reason);
	}
}

int
verdict_headlines(const struct report_info *info, const struct verdict *v, bool live,
    const char *pending, char **out, enum verdict_mark *off, char *note, size_t notelen)
{
	char whys[LAB_MAX_HEADLINES][160], runs[512];
	int n = 0, left = 0, nwhy = 0;

	note[0] = '\0';
	for (int i = 0; i < info->lab->nheadlines; i++) {
		char *h = fill_text(info, info->lab->headlines[i], NULL);

		if (h == NULL && headline_missing(info, i, live, whys[nwhy], sizeof whys[nwhy])) {
			/* in words: which run was not made, never "n/a" */
			bool seen = false;

			for (int k = 0; k < nwhy; k++)
				seen |= strcmp(whys[k], whys[nwhy]) == 0;
			nwhy += !seen;
			left++;
			continue;
		}
		enum verdict_mark mark = VERDICT_MARK_NONE;

		if (off != NULL)
			off[n] = VERDICT_MARK_NONE;
		if (h == NULL)	/* a run still to finish: marked once its figures are in */
			h = fill_text(info, info->lab->headlines[i], pending);
		else if (v != NULL)
			mark = verdict_headline_mark(info, v, i);
		if (off != NULL) {
			off[n] = mark;
		} else if (mark != VERDICT_MARK_NONE) {
			/* its numbers may contradict the lesson: never silently */
			char *marked = xasprintf("%s (%s: %s)", h, mark == VERDICT_MARK_LESSON ?
			    "not shown" : "a side figure off", v->cause_word);

			free(h);
			h = marked;
		}
		out[n++] = h;
	}
	if (left > 0) {
		join_whys(whys, nwhy, runs, sizeof runs);
		snprintf(note, notelen, "(%d headline%s left out: %s)", left,
		    left == 1 ? "" : "s", runs);
	}
	return n;
}

void
verdict_text(FILE *f, const struct report_info *info, const struct verdict *v)
{
	char line[2048];

	char *h[LAB_MAX_HEADLINES], note[512];
	int n = verdict_headlines(info, v, false, "n/a", h, NULL, note, sizeof note);

	for (int i = 0; i < n; i++) {
		report_wrap(f, h[i], 78, 2);
		free(h[i]);
	}
	if (note[0] != '\0')
		report_wrap(f, note, 78, 2);
	verdict_summary(v, info->lab, line, sizeof line);
	if (line[0] != '\0')
		report_wrap(f, line, 78, 0);
	if (info->lab->nheadlines > 0 || line[0] != '\0')
		fputc('\n', f);
}

void
verdict_json(struct json *j, const struct report_info *info, const struct verdict *v)
{
	json_key(j, "headline");
	json_array_begin(j);
	for (int i = 0; i < info->lab->nheadlines; i++) {
		char *h = verdict_headline(info, i, NULL);

		if (h != NULL)	/* left out: about a run that did not run */
			json_string(j, h);
		free(h);
	}
	json_array_end(j);
	json_key(j, "expectations");
	json_array_begin(j);
	for (int i = 0; i < v->n; i++) {
		const char *meaning;
		size_t n = lab_expect_split(info->lab->expects[i], &meaning);
		char *cond = xmalloc(n + 1);

		json_object_begin(j);
		memcpy(cond, info->lab->expects[i], n);
		cond[n] = '\0';
		json_key(j, "text");
		json_string(j, cond);
		free(cond);
		if (meaning != NULL) {
			json_key(j, "meaning");
			json_string(j, meaning);
		}
		json_key(j, "held");	/* null: not judged (a figure is missing) */
		if (v->v[i] == EXPR_HELD || v->v[i] == EXPR_FAILED)
			json_bool(j, v->v[i] == EXPR_HELD);
		else
			json_null(j);
		json_key(j, "why");
		json_string(j, v->why[i]);
		json_object_end(j);
	}
	json_array_end(j);
	if (v->failed > 0) {
		json_key(j, "likely_cause");
		json_string(j, v->cause);
	}
}

bool
verdict_needs_note(const struct verdict *v, const struct lab *lab,
    char names[][LAB_NAME_LEN], int count, char *buf, size_t len)
{
	int k = 0;

	buf[0] = '\0';
	for (int n = 0; n < count; n++) {
		int i = lab_expect_find(lab, names[n]);
		const char *meaning;
		size_t cl;

		if (i < 0 || (v->v[i] != EXPR_FAILED && v->v[i] != EXPR_NOT_APPLICABLE) ||
		    v->other_kind[i])
			continue;
		cl = lab_expect_split(lab->expects[i], &meaning);
		util_appendf(buf, len, "%s%.*s (%s)", k++ ? "; nor that " : "",
		    meaning != NULL ? (int)strlen(meaning) : (int)cl,
		    meaning != NULL ? meaning : lab->expects[i], v->why[i]);
	}
	if (k == 0)
		return false;
	{
		char *what = xasprintf("%s", buf);

		snprintf(buf, len, "[This run did not show that %s.%s%s%s What follows is what "
		    "the lesson expects, with this run's figures:]", what,
		    v->failed > 0 ? " Likely cause: " : "", v->failed > 0 ? v->cause_short : "",
		    v->failed > 0 ? "." : "");
		free(what);
	}
	return true;
}

void
verdict_detail(FILE *f, const struct lab *lab, const struct verdict *v)
{
	if (v->n == 0)
		return;
	fputs("\nexpectations (the lab's conditions, judged on this run):\n", f);
	for (int i = 0; i < v->n; i++) {
		const char *meaning;
		size_t n = lab_expect_split(lab->expects[i], &meaning);
		const char *word = v->v[i] == EXPR_HELD ? "held" : v->v[i] == EXPR_FAILED ?
		    "FAILED" : v->v[i] == EXPR_UNKNOWN ? "not judged" : "n/a";
		char *line = xasprintf("%-10s %.*s%s%s%s", word, (int)n, lab->expects[i],
		    v->why[i][0] ? " (" : "", v->why[i], v->why[i][0] ? ")" : "");

		report_wrap(f, line, 78, 2);
		free(line);
	}
}
