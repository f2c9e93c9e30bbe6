/*
 * lab_param: a run's parameters, typed by its executor's param_spec table.
 *
 * The table is the only place a parameter's type, default and range are
 * written: a run starts from the defaults (lab_param_defaults), the lab file
 * and --set parse text against the table (lab_param_parse), the dashboard
 * sets numbers through the same range check (lab_set_value), and the
 * executors read values by key with no default of their own (lab_value):
 * a key the executor does not declare is a bug that stops conclab.
 */
#include "lab.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
enum_choice(const char *choices, int64_t idx, char *buf, size_t len)
{
	const char *s = choices;

	for (int64_t i = 0; i < idx && s != NULL; i++) {
		s = strchr(s, '|');
		if (s != NULL)
			s++;
	}
	if (s == NULL || idx < 0) {
		util_strlcpy(buf, "?", len);
		return buf;
	}
	util_strlcpy(buf, s, len);
	buf[strcspn(buf, "|")] = '\0';
	return buf;
}

static int
enum_index(const char *choices, const char *value)
{
	size_t vl = strlen(value);
	const char *s = choices;

	for (int i = 0; s != NULL; i++) {
		size_t l = strcspn(s, "|");

		if (l == vl && strncmp(s, value, l) == 0)
			return i;
		s = strchr(s, '|');
		if (s != NULL)
			s++;
	}
	return -1;
}

static int
enum_count(const char *choices)
{
	int n = 1;

	for (const char *s = choices; (s = strchr(s, '|')) != NULL; s++)
		n++;
	return n;
}

static size_t
text_max(const struct param_spec *spec)
{
	return spec->max > 0 && spec->max < LAB_TEXT_MAX ? (size_t)spec->max : LAB_TEXT_MAX;
}

/* A text value: 1..max bytes of printable ASCII (a name or a path). */
static int
text_check(const struct param_spec *spec, const char *value, char *msg, size_t msglen)
{
	size_t n = strlen(value);

	if (n == 0 || n > text_max(spec)) {
		util_err(msg, msglen, "%s must be 1..%zu characters long", spec->name,
		    text_max(spec));
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)value[i] < 0x20 || (unsigned char)value[i] > 0x7e) {
			util_err(msg, msglen, "%s must be printable ASCII (a name or a "
			    "path); byte %zu is 0x%02x", spec->name, i + 1,
			    (unsigned char)value[i]);
			return -1;
		}
	return 0;
}

/* The range check of a number (an enum's index) against spec. */
static int
value_check(const struct param_spec *spec, int64_t v, char *msg, size_t msglen)
{
	if (spec->type == PARAM_ENUM) {
		if (v < 0 || v >= enum_count(spec->choices)) {
			util_err(msg, msglen, "%s has no choice %lld (choices: %s)",
			    spec->name, (long long)v, spec->choices);
			return -1;
		}
		return 0;
	}
	if (spec->type == PARAM_STRING) {
		util_err(msg, msglen, "%s is text, not a number", spec->name);
		return -1;
	}
	if (v < spec->min || v > spec->max) {
		util_err(msg, msglen, "%s=%lld is outside the allowed %lld..%lld",
		    spec->name, (long long)v, (long long)spec->min, (long long)spec->max);
		return -1;
	}
	return 0;
}

void
lab_param_defaults(struct lab_run *run)
{
	for (int i = 0; i < LAB_MAX_PARAMS; i++) {
		free(run->texts[i]);
		run->texts[i] = NULL;
		run->values[i] = 0;
	}
	if (lab_param_count(run->exec) > LAB_MAX_PARAMS)
		die(1, "bug: executor %s declares more than %d parameters", run->exec->name,
		    LAB_MAX_PARAMS);
	for (int i = 0; run->exec->params[i].name != NULL; i++)
		run->values[i] = run->exec->params[i].def;
}

int
lab_param_parse(struct lab_run *run, int idx, const char *value, char *msg,
    size_t msglen)
{
	const struct param_spec *spec = &run->exec->params[idx];
	int64_t v;

	switch (spec->type) {
	case PARAM_ENUM:
		v = enum_index(spec->choices, value);
		if (v < 0) {
			util_err(msg, msglen, "%s must be one of %s, not '%s'", spec->name,
			    spec->choices, value);
			return -1;
		}
		break;
	case PARAM_STRING:
		if (text_check(spec, value, msg, msglen) < 0)
			return -1;
		/* a python run's script is checked where it is given, as the
		 * run will look for it (walk 6 G20) */
		if (strcmp(spec->name, "script") == 0 &&
		    !lab_script_find(run->dir, value, msg, msglen))
			return -1;
		free(run->texts[idx]);
		run->texts[idx] = xstrdup(value);
		return 0;
	default:
		if (!util_parse_i64(value, &v)) {
			/* walk 7 H10: a whole number too big for 64 bits is out of
			 * range, not "not a whole number" */
			bool digits = value[value[0] == '-'] != '\0' &&
			    strspn(value + (value[0] == '-'), "0123456789") ==
			    strlen(value + (value[0] == '-'));

			if (digits)
				util_err(msg, msglen, "%s=%s is outside the allowed %lld..%lld",
				    spec->name, value, (long long)spec->min, (long long)spec->max);
			else
				util_err(msg, msglen, "%s must be a whole number, not '%s'",
				    spec->name, value);
			return -1;
		}
		if (v < spec->min || v > spec->max) {
			util_err(msg, msglen, "%s=%s is outside the allowed %lld..%lld",
			    spec->name, value, (long long)spec->min, (long long)spec->max);
			return -1;
		}
		break;
	}
	run->values[idx] = v;
	return 0;
}

int
lab_param_count(const struct lab_exec_info *ex)
{
	int n = 0;

	while (ex->params[n].name != NULL)
		n++;
	return n;
}

int
lab_param_index(const struct lab_run *run, const char *key)
{
	if (run->exec == NULL)
		return -1;
	for (int i = 0; run->exec->params[i].name != NULL; i++)
		if (strcmp(run->exec->params[i].name, key) == 0)
			return i;
	return -1;
}

/* The index of key, which the run's executor must declare. */
static int
declared(const struct lab_run *run, const char *key, enum param_type want)
{
	int i = lab_param_index(run, key);

	if (i < 0)
		die(1, "bug: executor %s declares no parameter '%s' (run %s)",
		    run->exec != NULL ? run->exec->name : "(none)", key, run->name);
	if ((want == PARAM_STRING) != (run->exec->params[i].type == PARAM_STRING))
		die(1, "bug: parameter '%s' of executor %s is %s", key, run->exec->name,
		    want == PARAM_STRING ? "not text" : "text, not a number");
	return i;
}

int64_t
lab_value(const struct lab_run *run, const char *key)
{
	return run->values[declared(run, key, PARAM_INT)];
}

const char *
lab_string(const struct lab_run *run, const char *key)
{
	int i = declared(run, key, PARAM_STRING);

	return run->texts[i] != NULL ? run->texts[i] : run->exec->params[i].text_def;
}

bool
lab_value_find(const struct lab_run *run, const char *key, int64_t *out)
{
	int i = lab_param_index(run, key);

	if (i < 0 || run->exec->params[i].type == PARAM_STRING)
		return false;
	*out = run->values[i];
	return true;
}

const char *
lab_param_unused(const struct lab_run *run, const char *key)
{
	if (lab_param_index(run, key) < 0 || run->exec->unused == NULL)
		return NULL;
	return run->exec->unused(run, key);
}

bool
lab_param_used(const struct lab_run *run, const char *key)
{
	return lab_param_index(run, key) >= 0 && lab_param_unused(run, key) == NULL;
}

/* " (run R has one, but WHY)" for the first run that declares key without
 * using it, else nothing (appended to err). */
static void
note_ignored(const struct lab *lab, const char *key, char *err, size_t errlen)
{
	for (int i = 0; i < lab->nruns; i++) {
		const char *why = lab_param_unused(&lab->runs[i], key);

		if (why != NULL) {
			util_appendf(err, errlen, " (run %s has one, but %s)", lab->runs[i].name,
			    why);
			return;
		}
	}
}

int
lab_set_value(struct lab *lab, int run, int param, int64_t v, char *err, size_t errlen)
{
	struct lab_run *r;
	char msg[256];

	if (run < 0 || run >= lab->nruns) {
		util_err(err, errlen, "lab %s has no run number %d", lab->id, run);
		return -1;
	}
	r = &lab->runs[run];
	if (r->exec == NULL || param < 0 || param >= lab_param_count(r->exec)) {
		util_err(err, errlen, "run %s has no parameter number %d", r->name, param);
		return -1;
	}
	if (value_check(&r->exec->params[param], v, msg, sizeof msg) < 0) {
		util_err(err, errlen, "run %s: %s", r->name, msg);
		return -1;
	}
	r->values[param] = v;
	return 0;
}

int
lab_set_every(struct lab *lab, const char *key, int64_t v, char *err, size_t errlen)
{
	int64_t old[LAB_MAX_RUNS];
	int idx[LAB_MAX_RUNS], applied = 0, i;

	for (i = 0; i < lab->nruns; i++) {
		idx[i] = lab_param_used(&lab->runs[i], key) ?
		    lab_param_index(&lab->runs[i], key) : -1;
		if (idx[i] < 0)
			continue;
		old[i] = lab->runs[i].values[idx[i]];
		if (lab_set_value(lab, i, idx[i], v, err, errlen) < 0)
			goto out_restore;
		applied++;
	}
	if (applied == 0) {
		util_err(err, errlen, "no run of lab %s has a parameter '%s'", lab->id, key);
		note_ignored(lab, key, err, errlen);
		return -1;
	}
	if (lab_check_rows(lab, err, errlen) == 0)
		return 0;
out_restore:
	while (--i >= 0)
		if (idx[i] >= 0)
			lab->runs[i].values[idx[i]] = old[i];
	return -1;
}

bool
lab_param_changed(const struct lab_run *run, int idx)
{
	const char *now = run->texts[idx], *file = run->file_texts[idx];

	if (run->exec->params[idx].type != PARAM_STRING)
		return run->values[idx] != run->file_values[idx];
	return (now == NULL) != (file == NULL) || (now != NULL && strcmp(now, file) != 0);
}

static void
format_value(const struct param_spec *spec, int64_t v, const char *text, char *buf,
    size_t len)
{
	if (spec->type == PARAM_ENUM)
		enum_choice(spec->choices, v, buf, len);
	else if (spec->type == PARAM_STRING)
		util_strlcpy(buf, text != NULL ? text : "", len);
	else
		snprintf(buf, len, "%lld", (long long)v);
}

void
lab_param_format(const struct lab_run *run, int idx, char *buf, size_t len)
{
	const struct param_spec *spec = &run->exec->params[idx];

	format_value(spec, run->values[idx],
	    run->texts[idx] != NULL ? run->texts[idx] : spec->text_def, buf, len);
}

void
lab_param_format_file(const struct lab_run *run, int idx, char *buf, size_t len)
{
	const struct param_spec *spec = &run->exec->params[idx];

	format_value(spec, run->file_values[idx],
	    run->file_texts[idx] != NULL ? run->file_texts[idx] : spec->text_def, buf, len);
}

void
lab_spec_default(const struct param_spec *spec, char *buf, size_t len)
{
	format_value(spec, spec->def, spec->text_def, buf, len);
}

void
lab_spec_range(const struct param_spec *spec, char *buf, size_t len)
{
	if (spec->type == PARAM_ENUM)
		util_strlcpy(buf, spec->choices, len);
	else if (spec->type == PARAM_STRING)
		snprintf(buf, len, "text, 1..%zu characters", text_max(spec));
	else
		snprintf(buf, len, "%lld..%lld", (long long)spec->min, (long long)spec->max);
}

int64_t
lab_rows(const struct lab *lab)
{
	int64_t rows = 0, tasks;

	for (int i = 0; i < lab->nruns; i++)
		if (lab->runs[i].selected)
			rows += (lab_value_find(&lab->runs[i], "tasks", &tasks) ? tasks : 1) +
			    LAB_RUN_ROWS;
	return rows;
}

int
lab_check_rows(const struct lab *lab, char *err, size_t errlen)
{
	int64_t rows = lab_rows(lab);

	if (rows <= LAB_MAX_ROWS)
		return 0;
	util_err(err, errlen, "lab %s would need about %lld task rows in all, more than "
	    "the %d conclab can show; use fewer tasks or --only RUN", lab->id,
	    (long long)rows, LAB_MAX_ROWS);
	return -1;
}

struct lab_run *
lab_run_find(struct lab *lab, const char *name)
{
	for (int i = 0; i < lab->nruns; i++)
		if (strcmp(lab->runs[i].name, name) == 0)
			return &lab->runs[i];
	return NULL;
}

int
lab_run_index(const struct lab *lab, const char *name, size_t len)
{
	for (int i = 0; i < lab->nruns; i++)
		if (strlen(lab->runs[i].name) == len && memcmp(lab->runs[i].name, name, len) == 0)
			return i;
	return -1;
}

static void
run_names(struct lab *lab, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < lab->nruns && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
		    lab->runs[i].name);

		used += n > 0 ? (size_t)n : 0;
	}
}

int
lab_runs_using(const struct lab *lab, const char *key, char *names, size_t len)
{
	int n = 0;

	names[0] = '\0';
	for (int i = 0; i < lab->nruns; i++)
		if (lab_param_used(&lab->runs[i], key))
			util_appendf(names, len, "%s%s", n++ ? ", " : "", lab->runs[i].name);
	return n;
}

/* The run that --only keeps (the first selected), or NULL when all run. */
static const struct lab_run *
only_run(const struct lab *lab)
{
	const struct lab_run *sel = NULL;

	for (int i = 0; i < lab->nruns; i++) {
		if (!lab->runs[i].selected)
			continue;
		if (sel != NULL)
			return NULL;	/* more than one runs: --only was not given */
		sel = &lab->runs[i];
	}
	return sel != NULL && lab->nruns > 1 ? sel : NULL;
}

/* --set RUN.KEY=VALUE on a run that lacks KEY or ignores it: say which
 * runs use it. */
static int
set_run_refused(const struct lab *lab, const struct lab_run *only, const char *assignment,
    const char *key, char *err, size_t errlen)
{
	const char *why = lab_param_unused(only, key);
	char names[256];
	int n = lab_runs_using(lab, key, names, sizeof names);

	if (why != NULL)
		util_err(err, errlen, "--set %s: run %s does not use '%s': %s", assignment,
		    only->name, key, why);
	else
		util_err(err, errlen, "--set %s: run %s (executor %s) has no parameter '%s'",
		    assignment, only->name, only->exec->name, key);
	if (n > 0)
		util_appendf(err, errlen, "; %s %s %s", n > 1 ? "runs" : "run", names,
		    n > 1 ? "do" : "does");
	return -1;
}

/* --set KEY=VALUE that only runs --only leaves out use. */
static int
set_not_running(const struct lab *lab, const struct lab_run *sel, const char *assignment,
    const char *key, char *err, size_t errlen)
{
	char names[256], known[256];
	int n = lab_runs_using(lab, key, names, sizeof names);

	lab_params_known(sel->exec, known, sizeof known);
	util_err(err, errlen, "--set %s: only %s %s %s '%s', and --only %s leaves %s out; "
	    "%s's parameters: %s", assignment, n > 1 ? "runs" : "run", names,
	    n > 1 ? "have" : "has", key, sel->name, n > 1 ? "them" : "it", sel->name, known);
	return -1;
}

int
lab_set(struct lab *lab, const char *assignment, char *err, size_t errlen)
{
	char buf[512], msg[384], names[256];
	char *eq, *key, *value, *dot;
	struct lab_run *only = NULL;
	const struct lab_run *sel = only_run(lab);
	int applied = 0, running = 0;

	if (util_strlcpy(buf, assignment, sizeof buf) >= sizeof buf) {
		util_err(err, errlen, "--set: '%.40s...' is too long", assignment);
		return -1;
	}
	eq = strchr(buf, '=');
	if (eq == NULL || eq == buf) {
		util_err(err, errlen, "--set wants KEY=VALUE or RUN.KEY=VALUE, not '%s'",
		    assignment);
		return -1;
	}
	*eq = '\0';
	key = buf;
	value = eq + 1;
	dot = strchr(key, '.');
	if (dot != NULL) {
		*dot = '\0';
		only = lab_run_find(lab, key);
		if (only == NULL) {
			run_names(lab, names, sizeof names);
			util_err(err, errlen, "--set %s: lab %s has no run '%s' (runs: %s)",
			    assignment, lab->id, key, names);
			return -1;
		}
		key = dot + 1;
		if (!lab_param_used(only, key))
			return set_run_refused(lab, only, assignment, key, err, errlen);
		if (!only->selected && sel != NULL) {
			util_err(err, errlen, "--set %s: run %s does not run (--only %s)",
			    assignment, only->name, sel->name);
			return -1;
		}
	}
	for (int i = 0; i < lab->nruns; i++) {
		struct lab_run *run = &lab->runs[i];
		int idx;

		if ((only != NULL && run != only) || !lab_param_used(run, key))
			continue;
		idx = lab_param_index(run, key);
		if (lab_param_parse(run, idx, value, msg, sizeof msg) < 0) {
			util_err(err, errlen, "--set %s: %s", assignment, msg);
			return -1;
		}
		applied++;
		running += run->selected;
	}
	if (applied == 0) {
		util_err(err, errlen, "--set %s: no run of lab %s has a parameter '%s'",
		    assignment, lab->id, key);
		note_ignored(lab, key, err, errlen);
		return -1;
	}
	if (running == 0 && sel != NULL)
		return set_not_running(lab, sel, assignment, key, err, errlen);
	return 0;
}

int
lab_only(struct lab *lab, const char *name, char *err, size_t errlen)
{
	struct lab_run *run = lab_run_find(lab, name);
	char names[256];

	if (run == NULL) {
		run_names(lab, names, sizeof names);
		util_err(err, errlen, "lab %s has no run '%s' (runs: %s)", lab->id, name,
		    names);
		return -1;
	}
	for (int i = 0; i < lab->nruns; i++)
		lab->runs[i].selected = &lab->runs[i] == run;
	return 0;
}

void
lab_params_known(const struct lab_exec_info *ex, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; ex->params[i].name != NULL && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
		    ex->params[i].name);

		used += n > 0 ? (size_t)n : 0;
	}
}
