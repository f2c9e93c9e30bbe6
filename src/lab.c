/*
 * lab: the lab file parser (the [lab] keys are in lab_keys.c, parameters in
 * lab_param.c, where labs are found and how a file is read in lab_dir.c).
 *
 * Format: UTF-8 text; '#' starts a comment line; "[lab]" and "[run NAME]"
 * start sections; "key = value" sets a field; a line that starts with white
 * space continues the previous value (joined with a space; a continuation of
 * just "." starts a new paragraph).  Everything `run` would refuse is refused
 * here, so `conclab check` answers for it: a key given twice, an answer with
 * no choices, a placeholder that is empty, unclosed or names nothing, more
 * task rows than the trace has.
 */
#include "lab.h"
#include "lab_int.h"

#include "util.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAB_LIST_MAX 10		/* the most items a repeated key may have */
_Static_assert(LAB_MAX_PARAMS <= 32, "parser.given is a 32-bit mask per run");
_Static_assert(LAB_MAX_CHOICES <= LAB_LIST_MAX && LAB_MAX_TRIES <= LAB_LIST_MAX &&
    LAB_MAX_HEADLINES <= LAB_LIST_MAX && LAB_MAX_EXPECTS <= LAB_LIST_MAX &&
    LAB_MAX_FIDELITY <= LAB_LIST_MAX,
    "parser.item_line has a line for each item");

struct parser {
	const char *path;
	int line;
	lab_exec_lookup_fn lookup;
	struct lab *lab;
	struct lab_run *run;	/* current [run] section, NULL in [lab] */
	bool in_lab;
	int lab_line;		/* where [lab] is; 0 before it */
	char **last;		/* the value continuation lines extend */
	bool last_templated;	/* ... and it may hold placeholders */
	int key_line[LAB_NKEYS];	/* where each [lab] key was last given */
	int item_line[LAB_NKEYS][LAB_LIST_MAX];	/* ... each item of a list */
	uint32_t given[LAB_MAX_RUNS];	/* parameters each run's section set */
	char *err;
	size_t errlen;
	bool all;		/* go on after a bad line, one message a line */
	int nerrs;
	bool skip_section;	/* a bad section header: its lines are skipped */
	bool skip_cont;		/* a bad line: its continuation lines too */
	const char *last_key;	/* the key of the value continuation lines extend */
	bool line_safe;		/* this line's error leaves the lab whole */
	bool shaky;		/* a line's error may make the lab checks wrong */
	bool answer_refused;	/* the answer line's error is said: not again */
	/* where each continuation of a value starts in it, and its end */
	struct { char **field; size_t start, end; int line; } *conts;
	int nconts;
};

#define LAB_MAX_ERRORS 20	/* messages one file gets at most */
#define LAB_CONT_MAX 64		/* lines of one value told apart in messages */

static int
perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
perr(struct parser *p, const char *fmt, ...)
{
	char msg[700], esc[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* the message may quote the file: its bytes never reach the terminal raw */
	util_escape(msg, strlen(msg), esc, sizeof esc);
	/* said already at this line (a long text's line, then the whole lab) */
	snprintf(msg, sizeof msg, "%s:%d: %s", p->path, p->line, esc);
	if (p->all && p->nerrs > 0 && strstr(p->err, msg) != NULL)
		return -1;
	if (p->nerrs++ == 0 || !p->all) {
		util_err(p->err, p->errlen, "%s:%d: %s", p->path, p->line, esc);
	} else if (p->nerrs <= LAB_MAX_ERRORS) {
		size_t used = strlen(p->err);

		snprintf(p->err + used, p->errlen - used, "\n%s:%d: %s%s", p->path, p->line,
		    esc, p->nerrs == LAB_MAX_ERRORS ? "\n(more errors left out)" : "");
	}
	return -1;
}

static void (*exec_names_fn)(char *buf, size_t len);

void
lab_exec_names_from(void (*names)(char *buf, size_t len))
{
	exec_names_fn = names;
}

/* "unknown executor 'joins' (did you mean join? executors: serial, ...)"
 * (walk 7 H10: it listed none, while an unknown key lists its keys). */
static int
unknown_executor(struct parser *p, const char *value)
{
	char names[512], *s, *save = NULL;
	const char *near = NULL;
	int best = 3;

	if (exec_names_fn == NULL)
		return perr(p, "unknown executor '%s'", value);
	exec_names_fn(names, sizeof names);
	{
		char copy[512];

		util_strlcpy(copy, names, sizeof copy);
		for (s = strtok_r(copy, ", ", &save); s != NULL; s = strtok_r(NULL, ", ", &save)) {
			int d = lab_edits(value, s);

			if (d < best) {
				best = d;
				near = names + (s - copy);
			}
		}
	}
	if (near == NULL)
		return perr(p, "unknown executor '%s' (executors: %s)", value, names);
	return perr(p, "unknown executor '%s' (did you mean %.*s? executors: %s)", value,
	    (int)strcspn(near, ","), near, names);
}

/* The directory of the lab file at path (absolute when it exists), owned. */
static char *
file_dir(const char *path)
{
	char *full = realpath(path, NULL), *slash;

	if (full == NULL)
		full = xstrdup(path);
	slash = strrchr(full, '/');
	if (slash == NULL) {
		free(full);
		return xstrdup(".");
	}
	if (slash == full)
		slash[1] = '\0';
	else
		*slash = '\0';
	return full;
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
		if (p->lab_line > 0)
			return perr(p, "[lab] is given twice (first at line %d)", p->lab_line);
		p->lab_line = p->line;
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
	p->run->dir = file_dir(p->path);
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

/* The index of [lab] key name in lab_keys, -1 when it is none. */
static int
key_index(const char *name)
{
	for (int i = 0; i < LAB_NKEYS; i++)
		if (strcmp(lab_keys[i].name, name) == 0)
			return i;
	return -1;
}

static int
parse_lab_key(struct parser *p, const char *key, const char *value)
{
	struct lab *lab = p->lab;
	int i = key_index(key);
	const struct lab_key *k = i >= 0 ? &lab_keys[i] : NULL;
	char known[256];
	int64_t v;

	if (k == NULL) {
		lab_keys_known(known, sizeof known);
		return perr(p, "unknown key '%s' in [lab] (known: %s)", key, known);
	}
	if (k->kind != LK_LIST && p->key_line[i] > 0)
		return perr(p, "%s is given twice (first at line %d)", key, p->key_line[i]);
	p->key_line[i] = p->line;
	switch (k->kind) {
	case LK_ID:
		if (!util_is_ident(value) || strlen(value) >= LAB_NAME_LEN)
			return perr(p, "bad id '%s' (lower-case letters, digits, - and _)",
			    value);
		util_strlcpy(lab->id, value, sizeof lab->id);
		return 0;
	case LK_ORDER:
		/* a bad number leaves the rest whole: the lab's checks go on
		 * (walk 7 H10: answer = 7 held them back a round) */
		p->line_safe = true;
		if (!util_parse_i64(value, &v) || v < 0 || v > 1000)
			return perr(p, "order must be a number 0..1000, not '%s'", value);
		lab->order = (int)v;
		return 0;
	case LK_ANSWER:
		/* the choices so far (they come first in a lab file); whether the
		 * answer names one of them is checked once the file is read */
		p->line_safe = true;
		p->answer_refused = !util_parse_i64(value, &v) || v < 1 || v > LAB_MAX_CHOICES;
		if (p->answer_refused)
			return perr(p, "answer must be the number of a choice (1..%d), not "
			    "'%s'", lab->nchoices > 0 ? lab->nchoices : LAB_MAX_CHOICES, value);
		lab->answer = (int)v;
		return 0;
	case LK_ROUNDS:
		p->line_safe = true;
		if (!util_parse_i64(value, &v) || v < 1 || v > LAB_MAX_ROUNDS)
			return perr(p, "rounds must be a number 1..%d, not '%s'",
			    LAB_MAX_ROUNDS, value);
		lab->rounds = (int)v;
		return 0;
	case LK_TEXT:
		p->last_templated = k->templated;
		p->last_key = k->name;
		return set_text(p, (char **)((char *)lab + k->field), value, key);
	case LK_LIST: {
		int *count = (int *)((char *)lab + k->count);
		char **items = (char **)((char *)lab + k->field);

		if (*count >= k->max) {
			p->line_safe = true;
			return perr(p, "too many %s (at most %d)", k->what, k->max);
		}
		p->last_templated = k->templated;
		p->last_key = k->name;
		p->item_line[i][*count] = p->line;
		return set_text(p, &items[(*count)++], value, key);
	}
	}
	return -1;
}

static int
parse_run_key(struct parser *p, const char *key, const char *value)
{
	struct lab_run *run = p->run;
	char msg[256], known[256];
	int idx;

	if (strcmp(key, "executor") == 0) {
		const struct lab_exec_info *ex = p->lookup(value);

		if (run->exec != NULL)
			return perr(p, "executor is given twice");
		if (ex == NULL)
			return unknown_executor(p, value);
		run->exec = ex;
		lab_param_defaults(run);
		return 0;
	}
	if (strcmp(key, "describe") == 0)
		return set_text(p, &run->describe, value, key);
	if (run->exec == NULL)
		return perr(p, "executor must come first in [run %s]", run->name);
	p->line_safe = true;	/* a parameter's error: the run is whole */
	idx = lab_param_index(run, key);
	if (idx < 0 && key_index(key) >= 0)	/* walk 6 G3: pasted at the end */
		return perr(p, "'%s' belongs in [lab], above line %d (the first [run ...]); "
		    "a [run] section takes its executor's parameters", key, p->lab->runs[0].line);
	if (idx < 0) {
		lab_params_known(run->exec, known, sizeof known);
		return perr(p, "unknown key '%s' for executor '%s' (known: executor, "
		    "describe, %s)", key, run->exec->name, known);
	}
	if (p->given[run - p->lab->runs] & (1u << idx))
		return perr(p, "%s is given twice in [run %s]", key, run->name);
	p->given[run - p->lab->runs] |= 1u << idx;
	if (lab_param_parse(run, idx, value, msg, sizeof msg) < 0)
		return perr(p, "%s", msg);
	return 0;
}

/* A line of a value that may hold placeholders, checked on its own line
 * (lab_check_braces): a bad one is reported where it is. */
static int
check_braces(struct parser *p, const char *key, const char *text)
{
	char msg[384];

	if (lab_check_braces(key, text, msg, sizeof msg) == 0)
		return 0;
	p->line_safe = true;	/* the value stays: the checks of the lab can run */
	return perr(p, "%s", msg);
}

static int
parse_continuation(struct parser *p, char *raw)
{
	char *line = util_trim(raw);

	if (line[0] == '\0')
		return 0;
	if (p->last == NULL)
		return perr(p, "a continuation line (starting with white space) must "
		    "follow a key = value line");
	if (p->last_templated && check_braces(p, p->last_key, line) < 0)
		return -1;
	*p->last = lab_join_value(*p->last, line);
	/* where it starts, for a message about it at its own line */
	p->conts = xrealloc(p->conts, (size_t)(p->nconts + 1) * sizeof *p->conts);
	p->conts[p->nconts].field = p->last;
	p->conts[p->nconts].end = strlen(*p->last);
	p->conts[p->nconts].start = p->conts[p->nconts].end - strlen(line);
	p->conts[p->nconts++].line = p->line;
	return 0;
}

static int
parse_line(struct parser *p, char *raw)
{
	char *line, *eq, *key, *value;

	if (raw[0] == ' ' || raw[0] == '\t')
		return p->skip_cont || p->skip_section ? 0 : parse_continuation(p, raw);
	p->skip_cont = false;
	line = util_trim(raw);
	if (line[0] == '\0' || line[0] == '#') {
		p->last = NULL;
		return 0;
	}
	if (line[0] == '[') {
		p->skip_section = parse_section(p, line) < 0;
		if (p->skip_section) {	/* its lines belong to no section */
			p->run = NULL;
			p->in_lab = false;
			return -1;
		}
		return 0;
	}
	if (p->skip_section)
		return 0;
	eq = strchr(line, '=');
	if (eq == NULL)
		return perr(p, "expected 'key = value', a [section] or a # comment");
	*eq = '\0';
	key = util_trim(line);
	value = util_trim(eq + 1);
	p->last = NULL;
	p->last_templated = false;
	if (key[0] == '\0')
		return perr(p, "missing key before '='");
	if (value[0] == '\0')
		return perr(p, "missing value for '%s'", key);
	if (p->in_lab) {
		if (parse_lab_key(p, key, value) < 0)
			return -1;
		return p->last_templated ? check_braces(p, key, value) : 0;
	}
	if (p->run != NULL && parse_run_key(p, key, value) < 0) {
		/* without an executor the section's parameters cannot be checked */
		p->skip_section = p->run->exec == NULL;
		return -1;
	}
	if (p->run != NULL)
		return 0;
	return perr(p, "'%s' before any section (start with [lab])", key);
}

/* Where a value's lines begin in it (starts) and their numbers in the
 * file (lines; the first is first): how many lines it has. */
static int
item_lines(const struct parser *p, char **field, int first, size_t *starts, int *lines)
{
	size_t cut = 0;	/* what was taken off its front since ("NAME: ") */
	int nl = 1;

	starts[0] = 0;
	lines[0] = first;
	for (int c = 0; c < p->nconts && nl < LAB_CONT_MAX; c++)
		if (p->conts[c].field == field) {
			starts[nl] = p->conts[c].start;
			lines[nl++] = p->conts[c].line;
			cut = *field != NULL ? p->conts[c].end - strlen(*field) : 0;
		}
	for (int k = 1; k < nl; k++)
		starts[k] -= UTIL_MIN(cut, starts[k]);
	return nl;
}

/* The placeholders of every [lab] key that may hold them (or parameters). */
static int
check_templates(struct parser *p)
{
	char msg[384];
	int bad = 0;

	for (int i = 0; i < LAB_NKEYS; i++) {
		const struct lab_key *k = &lab_keys[i];
		char **items = (char **)((char *)p->lab + k->field);
		int n = k->kind == LK_LIST ? *(int *)((char *)p->lab + k->count) :
		    k->kind == LK_TEXT ? 1 : 0;

		if (!k->templated && !k->params)
			continue;
		for (int j = 0; j < n; j++) {
			size_t starts[LAB_CONT_MAX] = { 0 };
			int lines[LAB_CONT_MAX], nl = item_lines(p, &items[j],
			    k->kind == LK_LIST ? p->item_line[i][j] : p->key_line[i], starts, lines);

			if (items[j] != NULL && (p->line = lab_check_refs_lines(p->lab,
			    k->params ? lab_check_params : lab_check_refs, k->name, items[j],
			    starts, lines, nl, msg, sizeof msg)) > 0 &&
			    (bad = perr(p, "%s", msg)) < 0 && !p->all)
				return -1;
		}
	}
	return bad;
}

/* Each fidelity line: "FIGURE: SIM ~ REAL" (lab_check_fidelity). */
static int
check_fidelity(struct parser *p, int key)
{
	char msg[384];

	for (int j = 0; j < p->lab->nfidelity; j++) {
		p->line = p->item_line[key][j];
		if (lab_check_fidelity(p->lab, p->lab->fidelity[j], msg, sizeof msg) < 0)
			return perr(p, "%s", msg);
	}
	return 0;
}

/* The headlines (templates of expressions) and expectations (conditions). */
static int
check_exprs(struct parser *p)
{
	char msg[384];
	int bad = 0;

	for (int i = 0; i < LAB_NKEYS; i++) {
		const struct lab_key *k = &lab_keys[i];
		bool condition = strcmp(k->name, "expect") == 0;
		int n;

		if (strcmp(k->name, "fidelity") == 0) {
			if (check_fidelity(p, i) < 0 && (bad = -1) < 0 && !p->all)
				return -1;
			continue;
		}
		if (!condition && strcmp(k->name, "headline") != 0)
			continue;
		n = *(int *)((char *)p->lab + k->count);
		for (int j = 0; j < n; j++) {
			char **item = (char **)((char *)p->lab + k->field) + j;
			size_t starts[LAB_CONT_MAX];
			int lines[LAB_CONT_MAX], nl = item_lines(p, item, p->item_line[i][j], starts,
			    lines);

			/* a typo on a continuation line at its own line (walk 5 F5) */
			if ((p->line = lab_check_expr_lines(p->lab, k->name, *item, condition, starts,
			    lines, nl, msg, sizeof msg)) > 0 && (bad = perr(p, "%s", msg)) < 0 &&
			    !p->all)
				return -1;
		}
	}
	return bad;
}

/* Point messages at the line where [lab] key name was given. */
static void
key_at(struct parser *p, const char *name)
{
	for (int i = 0; i < LAB_NKEYS; i++)
		if (strcmp(lab_keys[i].name, name) == 0 && p->key_line[i] > 0)
			p->line = p->key_line[i];
}

static int
check_question(struct parser *p)
{
	struct lab *lab = p->lab;

	if (lab->answer > 0 && lab->nchoices == 0) {
		key_at(p, "answer");
		return perr(p, "answer is given but the lab has no choices (add "
		    "'choice = ...' lines and a question)");
	}
	if (lab->question != NULL && lab->nchoices > 0 && !p->answer_refused &&
	    (lab->answer < 1 || lab->answer > lab->nchoices)) {
		key_at(p, "answer");
		return perr(p, "answer must name one of the %d choices (1..%d)", lab->nchoices,
		    lab->nchoices);
	}
	if (lab->nchoices > 0 && lab->question == NULL) {
		key_at(p, "choice");
		return perr(p, "choices given without a question");
	}
	return 0;
}

/* Named expectations, and the explanation paragraphs that need them. */
static int
check_names(struct parser *p)
{
	char msg[384];
	int bad = 0;

	if (lab_expect_names(p->lab, &bad, msg, sizeof msg) < 0) {
		for (int i = 0; i < LAB_NKEYS; i++)
			if (strcmp(lab_keys[i].name, "expect") == 0)
				p->line = p->item_line[i][bad];
		return perr(p, "%s", msg);
	}
	/* each message opens with its key: "explain: ...", "lesson: ..." */
	if (lab_check_needs(p->lab, msg, sizeof msg) < 0 ||
	    lab_lesson_names(p->lab, msg, sizeof msg) < 0) {
		key_at(p, msg[0] == 'l' ? "lesson" : "explain");
		return perr(p, "%s", msg);
	}
	return 0;
}

static int
check_lab(struct parser *p)
{
	struct lab *lab = p->lab;
	char msg[384];
	int before;

	if (p->lab_line == 0)
		return perr(p, "no [lab] section (a lab file starts with [lab], its id "
		    "and title)");
	/* what is missing, all at once for check (walk 7 H10: one a try) */
	before = p->nerrs;
	p->line = p->lab_line;
	if (lab->id[0] == '\0' && perr(p, "missing 'id' in [lab]") < 0 && !p->all)
		return -1;
	if (lab->title == NULL && perr(p, "missing 'title' in [lab]") < 0 && !p->all)
		return -1;
	if (lab->nruns == 0 && perr(p, "the lab has no [run NAME] section (a run: "
	    "[run NAME], then executor = ... and its parameters)") < 0 && !p->all)
		return -1;
	for (int i = 0; i < lab->nruns; i++)
		if (lab->runs[i].exec == NULL) {
			p->line = lab->runs[i].line;
			if (perr(p, "[run %s] has no executor", lab->runs[i].name) < 0 && !p->all)
				return -1;
		}
	if (p->nerrs > before)
		return -1;	/* the checks below need a title, runs and executors */
	/* `conclab check` (all) gets every problem, lab_parse the first */
	if ((check_question(p) < 0 && !p->all) || (check_names(p) < 0 && !p->all) ||
	    (check_templates(p) < 0 && !p->all) || (check_exprs(p) < 0 && !p->all))
		return -1;
	if (lab_check_rows(lab, msg, sizeof msg) < 0) {
		p->line = lab->runs[lab->nruns - 1].line;
		return perr(p, "%s", msg);
	}
	return p->nerrs > 0 ? -1 : 0;
}

static int
parse_text_line(struct parser *p, const char *s, size_t n)
{
	char *line;
	size_t col;
	int r;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (memchr(s, '\0', n) != NULL)
		return perr(p, "the file contains a NUL byte (not a text file?)");
	r = lab_utf8_check(s, n, &col);
	if (r == -1)
		return perr(p, "invalid UTF-8 at column %zu (lab files are UTF-8 text)",
		    col);
	if (r == -2)
		return perr(p, "control character 0x%02x at column %zu", (unsigned char)s[col - 1],
		    col);
	line = xmalloc(n + 1);
	memcpy(line, s, n);
	line[n] = '\0';
	r = parse_line(p, line);
	free(line);
	return r;
}

static int
parse(const char *text, size_t len, const char *path, lab_exec_lookup_fn lookup,
    struct lab *out, char *err, size_t errlen, bool all)
{
	struct parser p = { .path = path, .lookup = lookup, .lab = out, .err = err,
	    .errlen = errlen, .all = all };
	const char *s = text, *end = text + len;

	memset(out, 0, sizeof *out);
	out->order = 500;
	util_strlcpy(out->path, path, sizeof out->path);
	if (len == 0) {
		util_err(err, errlen, "%s: the file is empty (a lab file starts with [lab], "
		    "its id and title)", path);
		return -1;
	}
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);

		p.line++;
		p.line_safe = false;
		if (parse_text_line(&p, s, n) < 0) {
			if (!all)
				goto fail;
			p.skip_cont = true;
			p.shaky |= !p.line_safe;
		}
		s += n + 1;
	}
	/* the checks of the whole lab need every section, key and executor
	 * read: after such a bad line they would report what follows from it.
	 * A bad parameter value or placeholder leaves them right: every
	 * problem is listed at once. */
	if (p.nerrs > 0 && p.shaky) {
		size_t used = strlen(err);

		/* an answer refused on its line waits for nothing (walk 5 F5) */
		snprintf(err + used, errlen - used, "\n%s: (the checks of the whole lab, "
		    "%sexpect and headline lines, follow once these lines are fixed)", path,
		    out->answer > 0 ? "answer, " : "");
		goto fail;
	}
	if (check_lab(&p) < 0 || p.nerrs > 0)
		goto fail;
	for (int i = 0; i < out->nruns; i++) {
		struct lab_run *run = &out->runs[i];

		memcpy(run->file_values, run->values, sizeof run->values);
		for (int j = 0; j < LAB_MAX_PARAMS; j++)
			if (run->texts[j] != NULL)
				run->file_texts[j] = xstrdup(run->texts[j]);
	}
	free(p.conts);
	return 0;
fail:
	free(p.conts);
	lab_free(out);
	return -1;
}

int
lab_parse(const char *text, size_t len, const char *path, lab_exec_lookup_fn lookup,
    struct lab *out, char *err, size_t errlen)
{
	return parse(text, len, path, lookup, out, err, errlen, false);
}

int
lab_parse_all(const char *text, size_t len, const char *path, lab_exec_lookup_fn lookup,
    struct lab *out, char *err, size_t errlen)
{
	int rc = parse(text, len, path, lookup, out, err, errlen, true);

	if (rc < 0 && err != NULL && errlen > 0)
		lab_sort_errors(err, path);
	return rc;
}
