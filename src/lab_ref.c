/*
 * lab_ref: the references to measured figures in a lab's text, checked when
 * the lab is parsed: {RUN.FIELD}, {A.X/B.Y}, {cores} and {PARAMETER} in
 * explain and measured; the expressions of headline and expect (expr.h).
 * A reference must name a run of the lab and a figure its executor reports
 * (wall_s, cpu_s, avg_cores_busy, tasks or one of its metrics), or a number
 * parameter of some run.
 */
#include "lab.h"
#include "lab_int.h"

#include "expr.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	const struct lab *lab;
	const char *key;
	char *msg;
	size_t msglen;
	char bad[LAB_NAME_LEN + 66];	/* the reference refused, "RUN.FIELD" */
};

/* A name without a run: cores, or a number parameter some run has. */
static int
check_bare_name(struct ref_check *rc, const char *name)
{
	int64_t v;

	if (strcmp(name, "cores") == 0)
		return 0;
	for (int i = 0; i < rc->lab->nruns; i++)
		if (lab_value_find(&rc->lab->runs[i], name, &v))
			return 0;
	snprintf(rc->bad, sizeof rc->bad, "%s", name);
	util_err(rc->msg, rc->msglen, "%s: '%s' is neither cores nor a parameter of a run (a figure is "
	    "RUN.FIELD)", rc->key, name);
	return 1;
}

int
lab_edits(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	int row[64], prev[64];

	if (na > 62 || nb > 62)
		return 9;
	for (size_t j = 0; j <= nb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		row[0] = (int)i;
		for (size_t j = 1; j <= nb; j++)
			row[j] = UTIL_MIN(UTIL_MIN(prev[j] + 1, row[j - 1] + 1),
			    prev[j - 1] + (a[i - 1] != b[j - 1]));
		memcpy(prev, row, (nb + 1) * sizeof *row);
	}
	return UTIL_MIN(prev[nb], 9);
}

/* The figure in names nearest to field: one it begins (reported for
 * reported_s) or at most 2 edits away; NULL when none is. */
static const char *
nearest(const char *field, const char *const *names, const char *best)
{
	int best_d = best != NULL ? lab_edits(field, best) : 3;

	for (const char *const *m = names; m != NULL && *m != NULL; m++) {
		int d = strncmp(*m, field, strlen(field)) == 0 ? 1 : lab_edits(field, *m);

		if (d < best_d) {
			best = *m;
			best_d = d;
		}
	}
	return best_d <= 2 ? best : NULL;
}

/* "run 'x' (executor e) has no figure 'f' (did you mean g? its metrics: ...;
 * or wall_s, ...)" -- the figures a teacher may use, named (walk 6 G3). */
static void
no_figure(struct ref_check *rc, const struct lab_run *run, const char *field,
    const char *const *common)
{
	const char *guess = nearest(field, run->exec->metrics, nearest(field, common, NULL));
	char list[256];
	size_t used = 0;

	list[0] = '\0';
	for (const char *const *m = run->exec->metrics; *m != NULL && used < 200; m++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
		    used ? ", " : "", *m);
	if (used >= 200)
		snprintf(list + 196, sizeof list - 196, " ...");
	util_err(rc->msg, rc->msglen, "%s: run '%s' (executor %s) has no figure '%s' (%s%s%s"
	    "%s%s%swall_s, cpu_s, avg_cores_busy, tasks or a number parameter)", rc->key,
	    run->name, run->exec->name, field, guess != NULL ? "did you mean " : "",
	    guess != NULL ? guess : "", guess != NULL ? "? " : "",
	    list[0] != '\0' ? "its metrics: " : "", list, list[0] != '\0' ? "; or " : "");
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
	snprintf(rc->bad, sizeof rc->bad, "%s.%s", name, field);
	run = lab_run_find((struct lab *)rc->lab, name);
	if (run == NULL) {
		util_err(rc->msg, rc->msglen, "%s refers to run '%s', which the lab does not have", rc->key,
		    name);
		return 1;
	}
	for (const char *const *m = common; *m != NULL && !known; m++)
		known = strcmp(*m, field) == 0;
	if (run->exec->metrics == NULL)
		known = true;	/* an executor that does not list them */
	if (!known) {	/* a number parameter of the run: {blocking.block_ms} */
		int64_t v;

		known = lab_value_find(run, field, &v);
	}
	for (const char *const *m = run->exec->metrics; m != NULL && *m != NULL && !known;
	    m++)
		known = strcmp(*m, field) == 0;
	if (!known) {
		no_figure(rc, run, field, common);
		return 1;
	}
	return 0;
}

int
lab_check_refs(const struct lab *lab, const char *key, const char *text, char *msg,
    size_t msglen)
{
	/* each {VALUE} an expression, as in a headline: {RUN.FIELD},
	 * {cores}, {tasks * duration_ms / min(tasks, cores)}, {tasks|word} */
	if (strchr(text, '{') != NULL && strchr(strrchr(text, '{'), '}') == NULL) {
		util_err(msg, msglen, "%s: a '{' is not closed (a placeholder is {RUN.FIELD})",
		    key);
		return -1;
	}
	return lab_check_expr(lab, key, text, false, msg, msglen);
}

int
lab_check_refs_lines(const struct lab *lab, lab_check_fn check, const char *key,
    const char *text, const size_t *starts, const int *lines, int n, char *msg,
    size_t msglen)
{
	size_t len = strlen(text);

	if (check(lab, key, text, msg, msglen) == 0)
		return 0;
	/* a placeholder never spans lines (check_braces): the line is the
	 * first whose part alone is bad */
	for (int k = 0; k < n; k++) {
		size_t a = UTIL_MIN(starts[k], len), b = k + 1 < n ? UTIL_MIN(starts[k + 1], len) : len;
		char *part = xasprintf("%.*s", (int)(b - a), text + a);
		int rc = check(lab, key, part, msg, msglen);

		free(part);
		if (rc < 0)
			return lines[k];
	}
	check(lab, key, text, msg, msglen);
	return lines[0];
}

/* Each {VALUE} of a headline, or an expectation, parses and names
 * figures the runs report. */
size_t
lab_expect_split(const char *line, const char **meaning)
{
	const char *sep = strstr(line, " -- ");
	size_t n = sep != NULL ? (size_t)(sep - line) : strlen(line);

	*meaning = NULL;
	if (sep != NULL) {
		sep += 4;
		while (*sep == ' ')
			sep++;
		*meaning = *sep != '\0' ? sep : NULL;
	}
	return n;
}

int
lab_fidelity_split(const char *line, size_t *figlen, const char **sim, size_t *simlen,
    const char **real, size_t *reallen)
{
	const char *colon = strstr(line, ": "), *tilde;

	if (colon == NULL || colon == line)
		return -1;
	*figlen = (size_t)(colon - line);
	*sim = colon + 2;
	tilde = strchr(*sim, '~');
	if (tilde == NULL || tilde == *sim || tilde[1] == '\0')
		return -1;
	*simlen = (size_t)(tilde - *sim);
	*real = tilde + 1;
	*reallen = strlen(*real);
	return 0;
}

/* A placeholder {open..close) whose '|' names no filter: -1 with "KEY:
 * unknown filter ..."; the same words from the line check and the lab's. */
static int
bad_filter(const char *key, const char *open, const char *close, char *msg, size_t msglen)
{
	const char *bar = memchr(open, '|', (size_t)(close - open));
	int word;

	if (bar == NULL || lab_word_filter(open, (size_t)(close - open), &word) <
	    (size_t)(close - open))
		return 0;
	util_err(msg, msglen, "%s: unknown filter '%.*s' in '{%.*s}' (the filter is |word, "
	    "or |Word at a sentence's start)", key, (int)(close - bar), bar,
	    (int)(close - open), open);
	return -1;
}

int
lab_check_braces(const char *key, const char *text, char *msg, size_t msglen)
{
	const char *open = NULL;

	for (const char *s = text; *s != '\0'; s++) {
		if (*s == '{') {
			if (open != NULL)
				break;
			open = s;
		} else if (*s == '}' && open != NULL) {
			if (s == open + 1) {
				util_err(msg, msglen, "%s: empty placeholder {} (write {RUN.FIELD}, "
				    "{RUN.FIELD/RUN.FIELD}, {cores} or {PARAMETER})", key);
				return -1;
			}
			if (bad_filter(key, open + 1, s, msg, msglen) < 0)
				return -1;
			open = NULL;
		}
	}
	if (open == NULL)
		return 0;
	util_err(msg, msglen, "%s: the '{' in '%.24s' is not closed on its line (a "
	    "placeholder is {RUN.FIELD}, with no '{' inside)", key, open);
	return -1;
}

static int
check_expr(struct ref_check *rc, const char *text, bool condition)
{
	const char *key = rc->key, *s = text, *end = text + strlen(text), *meaning;
	char why[160];

	if (condition)	/* an expect line: the condition before " -- words" */
		end = text + lab_expect_split(text, &meaning);

	do {
		const char *open = condition ? s : strchr(s, '{');
		const char *close = condition ? end : open != NULL ? strchr(open, '}') : NULL;
		struct expr *e;
		int r;

		if (open == NULL)
			break;
		if (close == NULL) {
			util_err(rc->msg, rc->msglen, "%s: '{' without '}'", key);
			return -1;
		}
		if (!condition)
			open++;
		if (!condition && bad_filter(key, open, close, rc->msg, rc->msglen) < 0)
			return -1;
		{
			int word;	/* "{tasks|word}": the value before the filter */
			size_t n = condition ? (size_t)(close - open) :
			    lab_word_filter(open, (size_t)(close - open), &word);

			e = expr_parse(open, n, condition, why, sizeof why);
		}
		if (e == NULL) {
			int shown = close - open > 60 ? 56 : (int)(close - open);

			util_err(rc->msg, rc->msglen, "%s: %s in '%.*s%s'", key, why, shown, open,
			    shown < close - open ? "..." : "");
			return -1;
		}
		r = expr_each_ref(e, check_ref, rc);
		expr_destroy(e);
		if (r != 0)
			return -1;
		s = close + 1;
	} while (!condition && s < end);
	return 0;
}


struct fid_refs {
	const struct lab *lab;
	struct lab_fidelity_ref *out;
	int n, max;
	bool real;		/* the side being read */
};

static int
fid_ref(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct fid_refs *fr = arg;
	int idx;

	if (rl == 0 || fl == 0 || fl >= LAB_NAME_LEN)
		return 0;
	idx = lab_run_index(fr->lab, run, rl);
	if (idx < 0)
		return 0;
	for (int i = 0; i < fr->n; i++)
		if (fr->out[i].run == idx && strlen(fr->out[i].field) == fl &&
		    memcmp(fr->out[i].field, field, fl) == 0)
			return 0;
	if (fr->n >= fr->max)
		return 1;
	fr->out[fr->n].run = idx;
	fr->out[fr->n].real = fr->real;
	memcpy(fr->out[fr->n].field, field, fl);
	fr->out[fr->n].field[fl] = '\0';
	fr->n++;
	return 0;
}

static void
fid_side_refs(struct fid_refs *fr, const char *text, size_t len)
{
	char err[128];
	struct expr *e = expr_parse(text, len, false, err, sizeof err);

	if (e != NULL)
		expr_each_ref(e, fid_ref, fr);
	expr_destroy(e);
}

int
lab_fidelity_refs(const struct lab *lab, struct lab_fidelity_ref *out, int max)
{
	struct fid_refs fr = { .lab = lab, .out = out, .max = max };

	for (int i = 0; i < lab->nfidelity; i++) {
		const char *sim, *real;
		size_t fl, sl, rl;

		if (lab_fidelity_split(lab->fidelity[i], &fl, &sim, &sl, &real, &rl) < 0)
			continue;
		fr.real = false;
		fid_side_refs(&fr, sim, sl);
		fr.real = true;
		fid_side_refs(&fr, real, rl);
	}
	return fr.n;
}

struct side_arg {
	const struct lab *lab;
	struct lab_fidelity_ref refs[LAB_MAX_FIDELITY * 4];
	int nrefs, sides;
};

static int
side_of_ref(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct side_arg *a = arg;
	int side = 0;

	(void)field;
	(void)fl;
	if (rl == 0)
		return 0;	/* cores, a setting: on no side */
	for (int i = 0; i < a->nrefs; i++) {
		const char *name = a->lab->runs[a->refs[i].run].name;

		if (strlen(name) == rl && memcmp(name, run, rl) == 0)
			side |= a->refs[i].real ? LAB_SIDE_REAL : LAB_SIDE_SIM;
	}
	a->sides |= side != 0 ? side : LAB_SIDE_SIM | LAB_SIDE_REAL;
	return 0;
}

int
lab_fidelity_side(const struct lab *lab, const struct expr *e)
{
	struct side_arg a = { .lab = lab };

	a.nrefs = lab_fidelity_refs(lab, a.refs, (int)UTIL_ARRAY_LEN(a.refs));
	expr_each_ref(e, side_of_ref, &a);
	return a.sides == LAB_SIDE_SIM || a.sides == LAB_SIDE_REAL ? a.sides : 0;
}

int
lab_check_expr(const struct lab *lab, const char *key, const char *text, bool condition,
    char *msg, size_t msglen)
{
	struct ref_check rc = { lab, key, msg, msglen, "" };

	return check_expr(&rc, text, condition);
}

/* Where in text the reference ref stands as a whole name (not inside a
 * longer one), or -1. */
static long
ref_offset(const char *text, const char *ref)
{
	size_t n = strlen(ref);

	for (const char *s = text; n > 0 && (s = strstr(s, ref)) != NULL; s++) {
		char before = s > text ? s[-1] : ' ', after = s[n];

		if (!(isalnum((unsigned char)before) || strchr("_.-", before) != NULL) &&
		    !(isalnum((unsigned char)after) || after == '_'))
			return (long)(s - text);
	}
	return -1;
}

int
lab_check_expr_lines(const struct lab *lab, const char *key, const char *text,
    bool condition, const size_t *starts, const int *lines, int n, char *msg,
    size_t msglen)
{
	struct ref_check rc = { lab, key, msg, msglen, "" };
	long off;
	int k = 0;

	if (check_expr(&rc, text, condition) == 0)
		return 0;
	/* the line the refused reference is on (walk 5 F5: it was the
	 * item's first); a syntax error is the item's */
	off = rc.bad[0] != '\0' ? ref_offset(text, rc.bad) : -1;
	while (off >= 0 && k + 1 < n && (long)starts[k + 1] <= off)
		k++;
	return lines[k];
}

int
lab_check_fidelity(const struct lab *lab, const char *line, char *msg, size_t msglen)
{
	const char *sim, *real;
	size_t fl, sl, rl;
	char *wrapped;
	int rc;

	if (lab_fidelity_split(line, &fl, &sim, &sl, &real, &rl) < 0) {
		util_err(msg, msglen, "fidelity: write 'FIGURE: SIMULATED ~ REAL' (two values "
		    "of the same figure)");
		return -1;
	}
	wrapped = xasprintf("{%.*s} {%.*s}", (int)sl, sim, (int)rl, real);
	rc = lab_check_expr(lab, "fidelity", wrapped, false, msg, msglen);
	free(wrapped);
	return rc;
}
