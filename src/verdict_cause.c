/*
 * verdict_cause: the likely cause of the expectations that failed -- one
 * core (--cpus), a setting the student changed, other load -- in a
 * sentence (the reports), a few words (the strip) and a word (a headline's
 * mark).  A setting is named only where it can explain the figure: not
 * when the condition reads it (it then allows for it, guard included), not
 * a work size (duration_ms) that the condition's figures scale with, and
 * slow motion only for a run with a switch interval the condition does
 * not read.
 */
#include "verdict.h"

#include "fmt.h"
#include "util.h"

#include <string.h>

struct cause_arg {
	const struct report_info *info;
	char *buf;		/* cause_ref(): the verdict's cause_settings */
	size_t len;
	const struct expr *e;	/* the failed expectation */
	const char *run;	/* reads(): the setting looked for */
	const char *param;
};

/* expr_ref_fn: 1 when the figure is c's setting (RUN.PARAM, or a bare
 * PARAM), or with c->param "cores", the cores. */
static int
is_setting_ref(const char *rname, size_t rl, const char *field, size_t fl, void *arg)
{
	const struct cause_arg *c = arg;

	return strlen(c->param) == fl && memcmp(c->param, field, fl) == 0 && (rl == 0 ||
	    (c->run != NULL && strlen(c->run) == rl && memcmp(c->run, rname, rl) == 0));
}

/* Does the condition itself read that setting?  Then it allows for it
 * (tasks x duration / min(tasks, cores)), and the setting explains
 * nothing. */
static bool
reads(const struct expr *e, const char *run, const char *param)
{
	struct cause_arg c = { .e = e, .run = run, .param = param };

	return expr_each_ref(e, is_setting_ref, &c) != 0;
}

/* The work per task: every time of a run (its wall and CPU seconds)
 * stretches with it, its tasks per second shrink, and its shares, slowdowns
 * and per-event times stay as they are. */
#define WORK_SIZE "duration_ms"

/* expr_lookup_fn: the report's figures as they would be had every run
 * whose work size the student changed kept the lab file's: its times
 * scaled back, its rate scaled up, the setting itself the file's. */
static bool
file_size_lookup(const char *run, const char *field, double *out, void *arg)
{
	const struct report_info *info = arg;
	const struct lab_run *r = NULL;
	double unit, f;
	int p;

	if (!verdict_lookup(run, field, out, arg))
		return false;
	for (int i = 0; run != NULL && i < info->lab->nruns && r == NULL; i++)
		if (strcmp(info->lab->runs[i].name, run) == 0)
			r = &info->lab->runs[i];
	if (r == NULL || r->exec == NULL || (p = lab_param_index(r, WORK_SIZE)) < 0 ||
	    r->values[p] <= 0 || !lab_param_changed(r, p))
		return true;
	f = (double)r->file_values[p] / (double)r->values[p];
	if (strcmp(field, WORK_SIZE) == 0)
		*out = (double)r->file_values[p];
	else if (fmt_key_unit(field, &unit) == FMT_TIME && unit == 1 &&
	    strncmp(field, "startup", 7) != 0)
		*out *= f;	/* wall_s, cpu_s, serial_s: the whole run's */
	else if (strcmp(field, "tasks_per_s") == 0)
		*out /= f;
	return true;
}

/* Would the failed condition have held at the lab file's work size (the
 * times it reads scaled back)?  If not -- a share, a slowdown, times of
 * runs compared at one size -- the size is not why it failed.  Any other
 * setting may be. */
static bool
held_at_file_size(const struct cause_arg *c, const char *param)
{
	if (strcmp(param, WORK_SIZE) != 0)
		return true;
	return expr_judge(c->e, file_size_lookup, (void *)c->info) == EXPR_HELD;
}

/* expr_ref_fn: into the verdict's cause_settings, each setting changed
 * from the lab file that may explain the figure: a number or a choice of
 * the run it belongs to that the condition does not itself allow for.  A
 * text (the interpreter, the script) picks which program runs: the lab may
 * ask for it, and it explains no figure. */
static int
cause_ref(const char *rname, size_t rl, const char *field, size_t fl, void *arg)
{
	struct cause_arg *c = arg;
	int i = rl > 0 ? lab_run_index(c->info->lab, rname, rl) : -1;
	const struct lab_run *run = i >= 0 ? &c->info->lab->runs[i] : NULL;

	(void)field;
	(void)fl;
	if (run == NULL || !run->selected || run->exec == NULL)
		return 0;
	for (int p = 0; run->exec->params[p].name != NULL; p++) {
		const char *pn = run->exec->params[p].name;
		char val[64], item[128];

		if (run->exec->params[p].type == PARAM_STRING || !lab_param_changed(run, p) ||
		    reads(c->e, run->name, pn) || !held_at_file_size(c, pn))
			continue;
		lab_param_format(run, p, val, sizeof val);
		snprintf(item, sizeof item, "%s=%s", pn, val);
		if (strstr(c->buf, item) == NULL)
			util_appendf(c->buf, c->len, "%s%s", c->buf[0] ? ", " : "", item);
	}
	return 0;
}

/* expr_ref_fn: 1 for a figure of a run with a GIL switch interval (which
 * slow motion stretches, a simulated one) when the condition does not
 * read that interval
 * (gil.switches_per_s >= 0.5 * 1000 / gil.switch_ms allows for it). */
static int
slow_ref(const char *rname, size_t rl, const char *field, size_t fl, void *arg)
{
	const struct cause_arg *c = arg;
	int i = rl > 0 ? lab_run_index(c->info->lab, rname, rl) : -1;
	const struct lab_run *run = i >= 0 ? &c->info->lab->runs[i] : NULL;

	(void)field;
	(void)fl;
	/* a real interpreter keeps its own interval */
	return run != NULL && run->exec != NULL && strcmp(run->exec->name, "python") != 0 &&
	    lab_param_index(run, "switch_ms") >= 0 && !reads(c->e, run->name, "switch_ms");
}

/* Other programs' load and steal as measured, "(other programs 41 % of the
 * lab's CPUs, steal 0.2 %)", or that they were not measured. */
static void
noise_figures(const struct report_info *info, double steal, double other, char *buf,
    size_t len)
{
	if (report_noise_known(info))
		snprintf(buf, len, "other programs %.0f %% of the lab's CPUs, steal %.1f %%",
		    other, steal);
	else
		snprintf(buf, len, "other load not measured");
}

/* The likely cause in a few words for the strip ("other load 99 %") and in
 * a word or two for a headline's mark ("other load"). */
static void
cause_brief(const struct report_info *info, struct verdict *v, const char *noise,
    double steal, double other)
{
	const char *sep = "";

	if (info->ncpus == 1 && v->one_core_bears) {
		util_appendf(v->cause_brief, sizeof v->cause_brief, "one core (--cpus)");
		util_appendf(v->cause_word, sizeof v->cause_word, "one core");
		sep = ", ";
	}
	if (v->cause_settings[0] != '\0') {
		util_appendf(v->cause_brief, sizeof v->cause_brief, "%syour settings (%s)", sep,
		    v->cause_settings);
		util_appendf(v->cause_word, sizeof v->cause_word, "%syour settings", sep);
		sep = ", ";
	}
	if (noise != NULL) {
		bool speed = strncmp(noise, "the computing tasks used", 24) == 0;

		/* the load measured stays in the few words when the speed
		 * changed too: it is what slowed the runs (walk 5 F14) */
		if (!speed || report_loaded(info)) {
			util_appendf(v->cause_brief, sizeof v->cause_brief, "%sother load %.0f %%",
			    sep, other);
			if (steal >= 1)
				util_appendf(v->cause_brief, sizeof v->cause_brief, ", steal %.0f %%",
				    steal);
			sep = ", ";
		}
		if (speed)
			util_appendf(v->cause_brief, sizeof v->cause_brief, "%sthe machine's speed "
			    "changed", sep);
		util_appendf(v->cause_word, sizeof v->cause_word, "%sother load",
		    v->cause_word[0] != '\0' ? ", " : "");
	}
	if (v->cause_brief[0] == '\0') {
		util_appendf(v->cause_brief, sizeof v->cause_brief, "cause unknown: run it again");
		util_appendf(v->cause_word, sizeof v->cause_word, "cause unknown");
	}
}

/* Expectation i's meaning, or its condition without one. */
static void
meaning_of(const struct lab *lab, int i, const char **text, int *len)
{
	const char *meaning;
	size_t n = lab_expect_split(lab->expects[i], &meaning);

	*text = meaning != NULL ? meaning : lab->expects[i];
	*len = meaning != NULL ? (int)strlen(meaning) : (int)n;
}

/* What each failed expectation's twin on the other side of the fidelity
 * lines (the same figures) showed: only when a simulated one's real twin
 * failed too did the machine hide the lesson from both; when the twin
 * held, one side alone missed it (walk 6 G13). */
static void
twin_clauses(const struct lab *lab, struct verdict *v)
{
	for (int i = 0; i < v->n; i++) {
		int j = v->twin[i] - 1, tl;
		const char *t;

		if (v->v[i] != EXPR_FAILED || j < 0 ||
		    (v->v[j] != EXPR_FAILED && v->v[j] != EXPR_HELD) ||
		    (v->v[j] == EXPR_FAILED && v->side[i] != LAB_SIDE_SIM))
			continue;	/* both failed: said once, from the simulated side */
		meaning_of(lab, j, &t, &tl);
		if (v->v[j] == EXPR_FAILED)
			util_appendf(v->cause, sizeof v->cause, "; real CPython did not show "
			    "it either (%.*s: %s), so the machine hid it, not the simulation",
			    tl, t, v->why[j]);
		else if (v->side[i] == LAB_SIDE_SIM)
			util_appendf(v->cause, sizeof v->cause, "; yet real CPython showed what "
			    "the simulation did not (%.*s: %s), so the machine did not hide "
			    "it from real CPython", tl, t, v->why[j]);
		else
			util_appendf(v->cause, sizeof v->cause, "; the simulation showed what "
			    "real CPython did not (%.*s: %s)", tl, t, v->why[j]);
	}
}

void
verdict_likely_cause(const struct report_info *info, struct verdict *v)
{
	double steal, other;
	const char *noise = report_noise(info, &steal, &other);
	char figs[96];

	v->cause[0] = v->cause_short[0] = v->cause_brief[0] = v->cause_word[0] = '\0';
	noise_figures(info, steal, other, figs, sizeof figs);
	cause_brief(info, v, noise, steal, other);
	if (info->ncpus == 1 && v->one_core_bears) {
		util_appendf(v->cause, sizeof v->cause, "the lab ran on one core (CPU %d, --cpus): "
		    "threads could take turns but not run in parallel", info->cpus[0]);
		util_appendf(v->cause_short, sizeof v->cause_short, "one core (--cpus)");
	}
	if (v->cause_settings[0] != '\0') {
		util_appendf(v->cause, sizeof v->cause, "%sthe settings you chose (%s)",
		    v->cause[0] ? "; " : "", v->cause_settings);
		util_appendf(v->cause_short, sizeof v->cause_short, "%syour settings (%s)",
		    v->cause_short[0] ? ", " : "", v->cause_settings);
	}
	if (noise != NULL) {
		util_appendf(v->cause, sizeof v->cause, "%sother load (%s): %s",
		    v->cause[0] ? "; " : "", figs, noise);
		util_appendf(v->cause_short, sizeof v->cause_short, "%sother load (%s)",
		    v->cause_short[0] ? ", " : "", figs);
	}
	if (v->cause[0] == '\0') {
		util_appendf(v->cause, sizeof v->cause, "unknown: not one core, no setting you changed "
		    "bears on it, and other load was low (%s); run it again, and if it still "
		    "fails, the machine differs from what the lab expects", figs);
		util_appendf(v->cause_short, sizeof v->cause_short, "unknown (%s): run it again",
		    figs);
	}
	twin_clauses(info->lab, v);
}

void
verdict_cause_of(const struct report_info *info, struct verdict *v, const struct expr *e)
{
	struct cause_arg c = { .info = info, .buf = v->cause_settings,
		.len = sizeof v->cause_settings, .e = e };

	expr_each_ref(e, cause_ref, &c);
	v->one_core_bears |= !reads(e, NULL, "cores");
	v->slow_bears |= expr_each_ref(e, slow_ref, &c) != 0;
}
