/*
 * lab: the lab file parser, --set and --only, and where labs are found.
 *
 * Format: '#' starts a comment line; "[lab]" and "[run NAME]" start sections;
 * "key = value" sets a field; a line that starts with white space continues
 * the previous value (joined with a space; a continuation of just "." starts
 * a new paragraph).
 */
#include "lab.h"

#include "expr.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CONCLAB_PREFIX
#define CONCLAB_PREFIX "/usr/local"
#endif

struct parser {
	const char *path;
	int line;
	lab_exec_lookup_fn lookup;
	struct lab *lab;
	struct lab_run *run;	/* current [run] section, NULL in [lab] */
	bool in_lab;
	char **last;		/* the value continuation lines extend */
	bool run_has_exec;
	/* where keys checked at the end were given, for their messages */
	int answer_line, explain_line, measured_line;
	int headline_line[LAB_MAX_HEADLINES], expect_line[LAB_MAX_EXPECTS];
	char *err;
	size_t errlen;
};

static int
perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
perr(struct parser *p, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	util_err(p->err, p->errlen, "%s:%d: %s", p->path, p->line, msg);
	return -1;
}

static const char *
enum_choice(const char *choices, int idx, char *buf, size_t len)
{
	const char *s = choices;

	for (int i = 0; i < idx && s != NULL; i++) {
		s = strchr(s, '|');
		if (s != NULL)
			s++;
	}
	if (s == NULL)
		return "?";
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

/* Parse value for spec into *out; a message (without location) on failure. */
static int
param_parse(const struct param_spec *spec, const char *value, int64_t *out,
    char *msg, size_t msglen)
{
	int64_t v;

	if (spec->type == PARAM_ENUM) {
		int i = enum_index(spec->choices, value);

		if (i < 0) {
			util_err(msg, msglen, "%s must be one of %s, not '%s'", spec->name,
			    spec->choices, value);
			return -1;
		}
		*out = i;
		return 0;
	}
	if (!util_parse_i64(value, &v)) {
		util_err(msg, msglen, "%s must be a whole number, not '%s'", spec->name,
		    value);
		return -1;
	}
	if (v < spec->min || v > spec->max) {
		util_err(msg, msglen, "%s=%s is outside the allowed %lld..%lld",
		    spec->name, value, (long long)spec->min, (long long)spec->max);
		return -1;
	}
	*out = v;
	return 0;
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

int64_t
lab_param(const struct lab_run *run, const char *key, int64_t def)
{
	int i = lab_param_index(run, key);

	return i < 0 ? def : run->values[i];
}

void
lab_param_format(const struct lab_run *run, int idx, char *buf, size_t len)
{
	const struct param_spec *spec = &run->exec->params[idx];

	if (spec->type == PARAM_ENUM)
		enum_choice(spec->choices, (int)run->values[idx], buf, len);
	else
		snprintf(buf, len, "%lld", (long long)run->values[idx]);
}

static char *
join_value(char *old, const char *more)
{
	char *s;

	if (strcmp(more, ".") == 0)
		s = xasprintf("%s\n\n", old);
	else if (old[0] == '\0' || old[strlen(old) - 1] == '\n')
		s = xasprintf("%s%s", old, more);
	else
		s = xasprintf("%s %s", old, more);
	free(old);
	return s;
}

static int
parse_section(struct parser *p, char *line)
{
	char *end = strchr(line, ']');
	char *name;

	if (end == NULL || util_trim(end + 1)[0] != '\0')
		return perr(p, "a section header is [lab] or [run NAME]");
	*end = '\0';
	name = util_trim(line + 1);
	p->last = NULL;
	if (strcmp(name, "lab") == 0) {
		p->in_lab = true;
		p->run = NULL;
		return 0;
	}
	if (strncmp(name, "run", 3) != 0 || !isspace((unsigned char)name[3]))
		return perr(p, "unknown section [%s] (expected [lab] or [run NAME])", name);
	name = util_trim(name + 3);
	if (!util_is_ident(name) || strlen(name) >= LAB_NAME_LEN)
		return perr(p, "bad run name '%s' (lower-case letters, digits, - and _)",
		    name);
	if (lab_run_find(p->lab, name) != NULL)
		return perr(p, "run '%s' is defined twice", name);
	if (p->lab->nruns >= LAB_MAX_RUNS)
		return perr(p, "too many runs (at most %d)", LAB_MAX_RUNS);
	p->run = &p->lab->runs[p->lab->nruns++];
	util_strlcpy(p->run->name, name, sizeof p->run->name);
	p->run->line = p->line;
	p->run->selected = true;
	p->in_lab = false;
	return 0;
}

static int
set_text(struct parser *p, char **field, const char *value, const char *key)
{
	if (*field != NULL)
		return perr(p, "%s is given twice", key);
	*field = xstrdup(value);
	p->last = field;
	return 0;
}

static int
parse_lab_key(struct parser *p, const char *key, const char *value)
{
	struct lab *lab = p->lab;
	int64_t v;

	if (strcmp(key, "id") == 0) {
		if (!util_is_ident(value) || strlen(value) >= LAB_NAME_LEN)
			return perr(p, "bad id '%s' (lower-case letters, digits, - and _)",
			    value);
		util_strlcpy(lab->id, value, sizeof lab->id);
		return 0;
	}
	if (strcmp(key, "order") == 0) {
		if (!util_parse_i64(value, &v) || v < 0 || v > 1000)
			return perr(p, "order must be a number 0..1000, not '%s'", value);
		lab->order = (int)v;
		return 0;
	}
	if (strcmp(key, "title") == 0)
		return set_text(p, &lab->title, value, key);
	if (strcmp(key, "question") == 0)
		return set_text(p, &lab->question, value, key);
	if (strcmp(key, "explain") == 0) {
		p->explain_line = p->line;
		return set_text(p, &lab->explain, value, key);
	}
	if (strcmp(key, "measured") == 0) {
		p->measured_line = p->line;
		return set_text(p, &lab->measured, value, key);
	}
	if (strcmp(key, "choice") == 0) {
		if (lab->nchoices >= LAB_MAX_CHOICES)
			return perr(p, "too many choices (at most %d)", LAB_MAX_CHOICES);
		return set_text(p, &lab->choices[lab->nchoices++], value, key);
	}
	if (strcmp(key, "try") == 0) {
		if (lab->ntries >= LAB_MAX_TRIES)
			return perr(p, "too many exercises (at most %d)", LAB_MAX_TRIES);
		return set_text(p, &lab->tries[lab->ntries++], value, key);
	}
	if (strcmp(key, "headline") == 0) {
		if (lab->nheadlines >= LAB_MAX_HEADLINES)
			return perr(p, "too many headlines (at most %d)", LAB_MAX_HEADLINES);
		p->headline_line[lab->nheadlines] = p->line;
		return set_text(p, &lab->headlines[lab->nheadlines++], value, key);
	}
	if (strcmp(key, "expect") == 0) {
		if (lab->nexpects >= LAB_MAX_EXPECTS)
			return perr(p, "too many expectations (at most %d)", LAB_MAX_EXPECTS);
		p->expect_line[lab->nexpects] = p->line;
		return set_text(p, &lab->expects[lab->nexpects++], value, key);
	}
	if (strcmp(key, "answer") == 0) {
		if (!util_parse_i64(value, &v) || v < 1 || v > LAB_MAX_CHOICES)
			return perr(p, "answer must be the number of a choice (at most %d), "
			    "not '%s'", LAB_MAX_CHOICES, value);
		lab->answer = (int)v;
		p->answer_line = p->line;
		return 0;
	}
	return perr(p, "unknown key '%s' in [lab] (known: id, order, title, question, "
	    "choice, answer, explain, measured, try, headline, expect)", key);
}

static void
params_known(const struct lab_exec_info *ex, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; ex->params[i].name != NULL && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
		    ex->params[i].name);

		used += n > 0 ? (size_t)n : 0;
	}
}

static int
parse_run_key(struct parser *p, const char *key, const char *value)
{
	struct lab_run *run = p->run;
	char msg[256], known[256];
	int idx;

	if (strcmp(key, "executor") == 0) {
		const struct lab_exec_info *ex = p->lookup(value);

		if (p->run_has_exec)
			return perr(p, "executor is given twice");
		if (ex == NULL)
			return perr(p, "unknown executor '%s'", value);
		run->exec = ex;
		for (int i = 0; ex->params[i].name != NULL; i++)
			run->values[i] = ex->params[i].def;
		p->run_has_exec = true;
		return 0;
	}
	if (strcmp(key, "describe") == 0)
		return set_text(p, &run->describe, value, key);
	if (run->exec == NULL)
		return perr(p, "executor must come first in [run %s]", run->name);
	idx = lab_param_index(run, key);
	if (idx < 0) {
		params_known(run->exec, known, sizeof known);
		return perr(p, "unknown key '%s' for executor '%s' (known: executor, "
		    "describe, %s)", key, run->exec->name, known);
	}
	if (param_parse(&run->exec->params[idx], value, &run->values[idx], msg,
	    sizeof msg) < 0)
		return perr(p, "%s", msg);
	return 0;
}

static int
parse_line(struct parser *p, char *raw)
{
	char *line, *eq, *key, *value;

	if (raw[0] == ' ' || raw[0] == '\t') {
		line = util_trim(raw);
		if (line[0] == '\0')
			return 0;
		if (p->last == NULL)
			return perr(p, "a continuation line (starting with white space) "
			    "must follow a key = value line");
		*p->last = join_value(*p->last, line);
		return 0;
	}
	line = util_trim(raw);
	if (line[0] == '\0' || line[0] == '#') {
		p->last = NULL;
		return 0;
	}
	if (line[0] == '[')
		return parse_section(p, line);
	eq = strchr(line, '=');
	if (eq == NULL)
		return perr(p, "expected 'key = value', a [section] or a # comment");
	*eq = '\0';
	key = util_trim(line);
	value = util_trim(eq + 1);
	p->last = NULL;
	if (key[0] == '\0')
		return perr(p, "missing key before '='");
	if (value[0] == '\0')
		return perr(p, "missing value for '%s'", key);
	if (p->in_lab)
		return parse_lab_key(p, key, value);
	if (p->run != NULL) {
		p->run_has_exec = p->run->exec != NULL;
		return parse_run_key(p, key, value);
	}
	return perr(p, "'%s' before any section (start with [lab])", key);
}

/* Check {run.field} placeholders name runs that exist. */
int
lab_each_ref(const char *text, size_t len, lab_ref_fn fn, void *arg)
{
	const char *end = text + len;

	for (const char *s = text; s < end && (s = memchr(s, '{', (size_t)(end - s))) != NULL;
	    s++) {
		const char *close = memchr(s, '}', (size_t)(end - s));

		if (close == NULL)
			return -1;
		for (const char *part = s + 1; part < close;) {
			size_t n = strcspn(part, "/}");
			const char *dot = memchr(part, '.', n);
			int r;

			if (dot != NULL && (r = fn(part, (size_t)(dot - part), dot + 1,
			    (size_t)(part + n - dot - 1), arg)) != 0)
				return r;
			part += n + 1;
		}
		s = close;
	}
	return 0;
}

struct ref_check {
	struct parser *p;
	const char *key;
};

/* A name without a run: cores, or a parameter some run has. */
static int
check_bare_name(struct ref_check *rc, const char *name)
{
	if (strcmp(name, "cores") == 0)
		return 0;
	for (int i = 0; i < rc->p->lab->nruns; i++)
		if (lab_param_index(&rc->p->lab->runs[i], name) >= 0)
			return 0;
	perr(rc->p, "%s: '%s' is neither cores nor a parameter of a run (a figure is "
	    "RUN.FIELD)", rc->key, name);
	return 1;
}

/* A reference must name a run of the lab and a figure its executor reports. */
static int
check_ref(const char *rname, size_t rlen, const char *fname, size_t flen, void *arg)
{
	static const char *const common[] = { "wall_s", "cpu_s", "avg_cores_busy", "tasks",
		NULL };
	struct ref_check *rc = arg;
	char name[LAB_NAME_LEN + 1], field[64];
	const struct lab_run *run;
	bool known = false;

	snprintf(name, sizeof name, "%.*s", (int)UTIL_MIN(rlen, sizeof name - 1), rname);
	snprintf(field, sizeof field, "%.*s", (int)UTIL_MIN(flen, sizeof field - 1), fname);
	if (rlen == 0)
		return check_bare_name(rc, field);
	run = lab_run_find(rc->p->lab, name);
	if (run == NULL) {
		perr(rc->p, "%s refers to run '%s', which the lab does not have", rc->key,
		    name);
		return 1;
	}
	for (const char *const *m = common; *m != NULL && !known; m++)
		known = strcmp(*m, field) == 0;
	if (run->exec->metrics == NULL)
		known = true;	/* an executor that does not list them */
	for (const char *const *m = run->exec->metrics; m != NULL && *m != NULL && !known;
	    m++)
		known = strcmp(*m, field) == 0;
	if (!known) {
		perr(rc->p, "%s: run '%s' (executor %s) has no figure '%s' (wall_s, cpu_s, "
		    "avg_cores_busy, tasks or one of its metrics)", rc->key, name,
		    run->exec->name, field);
		return 1;
	}
	return 0;
}

static int
check_placeholders(struct parser *p, const char *key, const char *text)
{
	struct ref_check rc = { p, key };
	int r = lab_each_ref(text, strlen(text), check_ref, &rc);

	if (r == -1)
		return perr(p, "%s: '{' without '}'", key);
	return r != 0 ? -1 : 0;
}

/* Each {VALUE} of a headline, or an expectation, parses and names
 * figures the runs report. */
static int
check_expr(struct parser *p, const char *key, const char *text, bool condition)
{
	struct ref_check rc = { p, key };
	const char *s = text, *end = text + strlen(text);
	char msg[160];

	do {
		const char *open = condition ? s : strchr(s, '{');
		const char *close = condition ? end : open != NULL ? strchr(open, '}') : NULL;
		struct expr *e;
		int r;

		if (open == NULL)
			break;
		if (close == NULL)
			return perr(p, "%s: '{' without '}'", key);
		if (!condition)
			open++;
		e = expr_parse(open, (size_t)(close - open), condition, msg, sizeof msg);
		if (e == NULL)
			return perr(p, "%s: %s in '%.*s'", key, msg, (int)(close - open), open);
		r = expr_each_ref(e, check_ref, &rc);
		expr_destroy(e);
		if (r != 0)
			return -1;
		s = close + 1;
	} while (!condition && s < end);
	return 0;
}

static int
check_headlines(struct parser *p)
{
	for (int i = 0; i < p->lab->nheadlines; i++) {
		p->line = p->headline_line[i];
		if (check_expr(p, "headline", p->lab->headlines[i], false) < 0)
			return -1;
	}
	for (int i = 0; i < p->lab->nexpects; i++) {
		p->line = p->expect_line[i];
		if (check_expr(p, "expect", p->lab->expects[i], true) < 0)
			return -1;
	}
	return 0;
}

static int
check_lab(struct parser *p)
{
	struct lab *lab = p->lab;

	if (lab->id[0] == '\0')
		return perr(p, "missing 'id' in [lab]");
	if (lab->title == NULL)
		return perr(p, "missing 'title' in [lab]");
	if (lab->nruns == 0)
		return perr(p, "the lab has no [run NAME] section");
	for (int i = 0; i < lab->nruns; i++)
		if (lab->runs[i].exec == NULL) {
			p->line = lab->runs[i].line;
			return perr(p, "[run %s] has no executor", lab->runs[i].name);
		}
	if (lab->question != NULL && lab->nchoices > 0 &&
	    (lab->answer < 1 || lab->answer > lab->nchoices)) {
		if (p->answer_line > 0)
			p->line = p->answer_line;
		return perr(p, "answer must name one of the %d choices (1..%d)", lab->nchoices,
		    lab->nchoices);
	}
	if (lab->nchoices > 0 && lab->question == NULL)
		return perr(p, "choices given without a question");
	if (lab->explain != NULL) {
		p->line = p->explain_line;
		if (check_placeholders(p, "explain", lab->explain) < 0)
			return -1;
	}
	if (lab->measured != NULL) {
		p->line = p->measured_line;
		if (check_placeholders(p, "measured", lab->measured) < 0)
			return -1;
	}
	return check_headlines(p);
}

int
lab_parse(const char *text, size_t len, const char *path, lab_exec_lookup_fn lookup,
    struct lab *out, char *err, size_t errlen)
{
	struct parser p = { .path = path, .lookup = lookup, .lab = out, .err = err,
	    .errlen = errlen };
	const char *s = text, *end = text + len;

	memset(out, 0, sizeof *out);
	out->order = 500;
	util_strlcpy(out->path, path, sizeof out->path);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		char *line;

		p.line++;
		if (memchr(s, '\0', n) != NULL) {
			perr(&p, "the file contains a NUL byte (not a text file?)");
			goto fail;
		}
		line = xmalloc(n + 1);
		memcpy(line, s, n);
		line[n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (parse_line(&p, line) < 0) {
			free(line);
			goto fail;
		}
		free(line);
		s += n + 1;
	}
	if (check_lab(&p) < 0)
		goto fail;
	for (int i = 0; i < out->nruns; i++)
		memcpy(out->runs[i].file_values, out->runs[i].values,
		    sizeof out->runs[i].values);
	return 0;
fail:
	lab_free(out);
	return -1;
}

int
lab_load(const char *path, lab_exec_lookup_fn lookup, struct lab *out, char *err,
    size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (f == NULL) {
		util_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 20)) {
				util_err(err, errlen, "%s: too large for a lab file (over 1 MB)",
				    path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	rc = lab_parse(buf, len, path, lookup, out, err, errlen);
	free(buf);
	return rc;
}

void
lab_free(struct lab *lab)
{
	free(lab->title);
	free(lab->question);
	free(lab->explain);
	free(lab->measured);
	for (int i = 0; i < lab->nchoices; i++)
		free(lab->choices[i]);
	for (int i = 0; i < lab->ntries; i++)
		free(lab->tries[i]);
	for (int i = 0; i < lab->nheadlines; i++)
		free(lab->headlines[i]);
	for (int i = 0; i < lab->nexpects; i++)
		free(lab->expects[i]);
	for (int i = 0; i < lab->nruns; i++)
		free(lab->runs[i].describe);
	memset(lab, 0, sizeof *lab);
}

struct lab_run *
lab_run_find(struct lab *lab, const char *name)
{
	for (int i = 0; i < lab->nruns; i++)
		if (strcmp(lab->runs[i].name, name) == 0)
			return &lab->runs[i];
	return NULL;
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
lab_set(struct lab *lab, const char *assignment, char *err, size_t errlen)
{
	char buf[256], msg[256], names[256];
	char *eq, *key, *value, *dot;
	struct lab_run *only = NULL;
	int applied = 0;

	util_strlcpy(buf, assignment, sizeof buf);
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
	}
	for (int i = 0; i < lab->nruns; i++) {
		struct lab_run *run = &lab->runs[i];
		int idx;

		if (only != NULL && run != only)
			continue;
		idx = lab_param_index(run, key);
		if (idx < 0)
			continue;
		if (param_parse(&run->exec->params[idx], value, &run->values[idx], msg,
		    sizeof msg) < 0) {
			util_err(err, errlen, "--set %s: %s", assignment, msg);
			return -1;
		}
		applied++;
	}
	if (applied == 0) {
		util_err(err, errlen, "--set %s: no run of lab %s has a parameter '%s'",
		    assignment, lab->id, key);
		return -1;
	}
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

int
lab_dirs(const char **dirs, int max)
{
	static char exe_dir[PATH_MAX + 8];
	const char *env = getenv("CONCLAB_LABS");
	ssize_t n;
	int count = 0;

	if (env != NULL && env[0] != '\0' && count < max)
		dirs[count++] = env;
	n = readlink("/proc/self/exe", exe_dir, PATH_MAX);
	if (n > 0) {
		char *slash;

		exe_dir[n] = '\0';
		slash = strrchr(exe_dir, '/');
		if (slash != NULL) {
			strcpy(slash, "/labs");
			if (count < max)
				dirs[count++] = exe_dir;
		}
	}
	if (count < max)
		dirs[count++] = CONCLAB_PREFIX "/share/conclab/labs";
	return count;
}

char *
lab_find(const char *id)
{
	const char *dirs[4];
	int n = lab_dirs(dirs, 4);

	if (!util_is_ident(id))
		return NULL;
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s.lab", dirs[i], id);

		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

static int
lab_cmp(const void *a, const void *b)
{
	const struct lab *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->id, y->id);
}

int
lab_load_all(lab_exec_lookup_fn lookup, struct lab **out, char *errs, size_t errlen)
{
	const char *dirs[4];
	int ndirs = lab_dirs(dirs, 4), count = 0, cap = 0;
	struct lab *labs = NULL;
	size_t used = 0;

	if (errs != NULL && errlen > 0)
		errs[0] = '\0';
	for (int d = 0; d < ndirs; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *de;

		if (dir == NULL)
			continue;
		while ((de = readdir(dir)) != NULL) {
			size_t len = strlen(de->d_name);
			char err[512];
			struct lab lab;
			char *path;
			bool dup = false;

			if (len < 5 || strcmp(de->d_name + len - 4, ".lab") != 0)
				continue;
			path = xasprintf("%s/%s", dirs[d], de->d_name);
			if (lab_load(path, lookup, &lab, err, sizeof err) < 0) {
				if (errs != NULL && used < errlen) {
					int n = snprintf(errs + used, errlen - used, "%s\n", err);

					used += n > 0 ? (size_t)n : 0;
				}
				free(path);
				continue;
			}
			free(path);
			for (int i = 0; i < count; i++)
				dup |= strcmp(labs[i].id, lab.id) == 0;
			if (dup) {
				lab_free(&lab);
				continue;
			}
			if (count == cap) {
				cap = cap ? cap * 2 : 16;
				labs = xrealloc(labs, (size_t)cap * sizeof *labs);
			}
			labs[count++] = lab;
		}
		closedir(dir);
	}
	if (count > 1)
		qsort(labs, (size_t)count, sizeof *labs, lab_cmp);
	*out = labs;
	return count;
}

void
lab_list_free(struct lab *labs, int n)
{
	for (int i = 0; i < n; i++)
		lab_free(&labs[i]);
	free(labs);
}
