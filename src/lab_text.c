/*
 * lab_text: a lab's own text (question, choices) with the settings in force
 * filled in, so a question asks about the runs that will be made; and the
 * lab file's text checked (UTF-8, no control characters) and joined.
 */
#include "lab.h"
#include "lab_int.h"

#include "expr.h"
#include "fmt.h"
#include "util.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
lab_word_filter(const char *text, size_t n, int *cap)
{
	static const char word[] = "|word";
	size_t k = sizeof word - 1, end = n;

	*cap = -1;
	while (end > 0 && text[end - 1] == ' ')
		end--;
	if (end < k || strncmp(text + end - (k - 2), word + 2, k - 2) != 0 ||
	    text[end - k] != '|' || (text[end - k + 1] != 'w' && text[end - k + 1] != 'W'))
		return n;
	*cap = text[end - k + 1] == 'W';
	end -= k;
	while (end > 0 && text[end - 1] == ' ')
		end--;
	return end;
}

bool
lab_number_word(double v, bool cap, char *buf, size_t len)
{
	static const char *const words[] = {
		"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
		"sixteen", "seventeen", "eighteen", "nineteen", "twenty",
	};
	int i = (int)v;

	if (v != (double)i || i < 0 || i > 20 || len == 0)
		return false;
	util_strlcpy(buf, words[i], len);
	if (cap)
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return true;
}

/* expr_lookup_fn over a lab's settings: a bare name is the parameter of
 * the first run that has it; nothing measured is known yet. */
static bool
param_lookup(const char *run, const char *field, double *out, void *arg)
{
	const struct lab *lab = arg;
	int64_t v;

	if (run != NULL)
		return false;
	for (int i = 0; i < lab->nruns; i++)
		if (lab_value_find(&lab->runs[i], field, &v)) {
			*out = (double)v;
			return true;
		}
	return false;
}

/* The placeholder text[0..n) over the settings into val: a parameter as
 * set ("1000"; from 10,000 on with separators), a computed value as a
 * count ("{tasks * increments}": "2,000,000"), "|word" as a word; false
 * when it is not one. */
static bool
fill_param(const struct lab *lab, const char *text, size_t n, char *val, size_t len)
{
	char err[128];
	const char *field;
	int word;
	size_t kn = lab_word_filter(text, n, &word);
	struct expr *e = expr_parse(text, kn, false, err, sizeof err);
	bool ok, single;
	double v;

	if (e == NULL)
		return false;
	ok = expr_value(e, param_lookup, (void *)lab, &v);
	single = expr_single_ref(e, &field);
	expr_destroy(e);
	if (!ok)
		return false;
	if (word >= 0 && lab_number_word(v, word == 1, val, len))
		return true;
	if (single && v < 10000)
		snprintf(val, len, "%.0f", v);	/* as set: 1000 ms */
	else
		fmt_figure(val, len, "", v);
	return true;
}

int
lab_check_params(const struct lab *lab, const char *key, const char *text, char *msg,
    size_t msglen)
{
	for (const char *p = strchr(text, '{'); p != NULL; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');
		char val[FMT_NUM_LEN + 16];

		if (close == NULL) {
			util_err(msg, msglen, "%s: a '{' is not closed (a placeholder here is "
			    "{PARAMETER} or {PARAMETER|word})", key);
			return -1;
		}
		if (!fill_param(lab, p + 1, (size_t)(close - p - 1), val, sizeof val)) {
			util_err(msg, msglen, "%s: {%.*s} is not a parameter of the lab's runs "
			    "(a placeholder here is {PARAMETER}, {PARAMETER|word} or "
			    "{PARAMETER|Word}, e.g. {tasks|word})", key, (int)(close - p - 1),
			    p + 1);
			return -1;
		}
	}
	return 0;
}

char *
lab_fill_params(const struct lab *lab, const char *text)
{
	size_t cap = strlen(text) + 64, len = 0;
	char *out = xmalloc(cap);

	out[0] = '\0';
	for (const char *p = text; *p != '\0';) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		char val[FMT_NUM_LEN + 16];
		size_t n;

		const char *one;
		size_t k;

		if (close != NULL && fill_param(lab, p + 1, (size_t)(close - p - 1), val,
		    sizeof val)) {
			p = close + 1;
			if ((k = fmt_agree(val, p, &one)) > 0) {	/* "1 core" */
				snprintf(val + strlen(val), sizeof val - strlen(val), " %s", one);
				p += 1 + k;
			}
		} else {
			val[0] = *p++;
			val[1] = '\0';
		}
		n = strlen(val);
		if (len + n + 1 > cap)
			out = xrealloc(out, cap = (len + n + 1) * 2);
		memcpy(out + len, val, n + 1);
		len += n;
	}
	return out;
}

/* An expectation's name: a word of lowercase letters, digits and '-'. */
static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

int
lab_expect_names(struct lab *lab, int *bad, char *msg, size_t msglen)
{
	for (int i = 0; i < lab->nexpects; i++) {
		char *s = lab->expects[i];
		size_t n = 0;

		*bad = i;
		lab->expect_names[i][0] = '\0';
		while (name_char(s[n]))
			n++;
		/* "NAME: CONDITION"; "when cores >= 2: ..." has a space first */
		if (n == 0 || s[n] != ':' || (s[n + 1] != ' ' && s[n + 1] != '\0'))
			continue;
		if (n >= LAB_NAME_LEN) {
			util_err(msg, msglen, "expect: the name '%.*s' is longer than %d characters",
			    (int)n, s, LAB_NAME_LEN - 1);
			return -1;
		}
		memcpy(lab->expect_names[i], s, n);
		lab->expect_names[i][n] = '\0';
		if (lab_expect_find(lab, lab->expect_names[i]) != i) {
			util_err(msg, msglen, "expect: the name '%s' is given twice",
			    lab->expect_names[i]);
			return -1;
		}
		s += n + 1;
		while (*s == ' ')
			s++;
		memmove(lab->expects[i], s, strlen(s) + 1);
		if (lab->expects[i][0] == '\0') {
			util_err(msg, msglen, "expect: '%s:' has no condition after it",
			    lab->expect_names[i]);
			return -1;
		}
	}
	return 0;
}

/* "lesson: no expectation is named 'fixd-real' (did you mean fixed-real?
 * the expectations: ...)": a typo is pointed at the name it misses, and a
 * new expectation suggested only when no name is near (walk 7 H10). */
static void
no_expectation(const struct lab *lab, const char *name, char *msg, size_t msglen)
{
	const char *near = NULL;
	char names[256] = "";
	int best = 3;

	for (int i = 0; i < lab->nexpects; i++) {
		const char *e = lab->expect_names[i];
		int d;

		if (e[0] == '\0')
			continue;
		util_appendf(names, sizeof names, "%s%s", names[0] ? ", " : "", e);
		d = lab_edits(name, e);
		if (d < best) {
			best = d;
			near = e;
		}
	}
	if (near != NULL)
		util_err(msg, msglen, "lesson: no expectation is named '%s' (did you mean "
		    "%s? the named expectations: %s)", name, near, names);
	else if (names[0] != '\0')
		util_err(msg, msglen, "lesson: no expectation is named '%s' (the named "
		    "expectations: %s; or write 'expect = %s: CONDITION -- meaning')", name,
		    names, name);
	else
		util_err(msg, msglen, "lesson: no expectation is named '%s' (write 'expect "
		    "= %s: CONDITION -- meaning')", name, name);
}

int
lab_lesson_names(struct lab *lab, char *msg, size_t msglen)
{
	const char *s = lab->lesson;
	int n = 0;

	for (int i = 0; i < lab->nexpects; i++)
		lab->expect_side[i] = s != NULL;
	while (s != NULL && *s != '\0') {
		char name[LAB_NAME_LEN];
		size_t k = 0;
		int i;

		while (*s == ' ' || *s == ',' || *s == '\n')
			s++;
		while (name_char(s[k]))
			k++;
		if (*s == '\0')
			break;
		if (k == 0 || k >= LAB_NAME_LEN || (s[k] != '\0' && strchr(" ,\n", s[k]) == NULL)) {
			util_err(msg, msglen, "lesson: write the names of the expectations that "
			    "carry the lesson, separated by commas ('lesson = NAME, NAME'), not '%.32s'",
			    s);
			return -1;
		}
		memcpy(name, s, k);
		name[k] = '\0';
		if ((i = lab_expect_find(lab, name)) < 0) {
			no_expectation(lab, name, msg, msglen);
			return -1;
		}
		lab->expect_side[i] = false;
		n++;
		s += k;
	}
	if (s != NULL && n == 0) {
		util_err(msg, msglen, "lesson: name at least one expectation ('lesson = NAME, "
		    "NAME')");
		return -1;
	}
	for (int i = 0; s != NULL && i < lab->nexpects; i++)
		if (lab->expect_names[i][0] == '\0') {
			util_err(msg, msglen, "lesson: expectation %d has no name, so it cannot be "
			    "told a side figure (write 'expect = NAME: %.32s')", i + 1,
			    lab->expects[i]);
			return -1;
		}
	return 0;
}

int
lab_expect_find(const struct lab *lab, const char *name)
{
	for (int i = 0; i < lab->nexpects; i++)
		if (strcmp(lab->expect_names[i], name) == 0)
			return i;
	return -1;
}

const char *
lab_para_needs(const char *para, size_t n, char names[][LAB_NAME_LEN], int max, int *count)
{
	static const char mark[] = "[needs ";
	const char *end = n > 0 ? memchr(para, ']', n) : NULL, *s;

	*count = 0;
	if (n < sizeof mark || memcmp(para, mark, sizeof mark - 1) != 0)
		return para;
	if (end == NULL) {
		*count = -1;
		return para;
	}
	for (s = para + sizeof mark - 1; s < end;) {
		size_t k = 0;

		while (s < end && (*s == ' ' || *s == ','))
			s++;
		while (s + k < end && name_char(s[k]))
			k++;
		if (s == end)
			break;
		if (k == 0 || k >= LAB_NAME_LEN || *count >= max ||
		    (s + k < end && s[k] != ' ' && s[k] != ',')) {
			*count = -1;
			return para;
		}
		memcpy(names[*count], s, k);
		names[(*count)++][k] = '\0';
		s += k;
	}
	if (*count == 0) {
		*count = -1;
		return para;
	}
	for (s = end + 1; s < para + n && *s == ' ';)
		s++;
	return s;
}

int
lab_check_needs(const struct lab *lab, char *msg, size_t msglen)
{
	const char *text = lab->explain;

	for (const char *p = text; p != NULL && *p != '\0';) {
		const char *brk = strstr(p, "\n\n");
		size_t n = brk != NULL ? (size_t)(brk - p) : strlen(p);
		char names[LAB_MAX_EXPECTS][LAB_NAME_LEN];
		int count;

		lab_para_needs(p, n, names, LAB_MAX_EXPECTS, &count);
		if (count < 0) {
			util_err(msg, msglen, "explain: a paragraph's '[needs' must be '[needs "
			    "NAME, NAME]' naming up to %d expectations ('%.32s')", LAB_MAX_EXPECTS,
			    p);
			return -1;
		}
		for (int i = 0; i < count; i++)
			if (lab_expect_find(lab, names[i]) < 0) {
				util_err(msg, msglen, "explain: [needs %s]: no expectation is named "
				    "'%s' (write 'expect = %s: CONDITION -- meaning')", names[i],
				    names[i], names[i]);
				return -1;
			}
		p += n;
		while (*p == '\n')
			p++;
	}
	return 0;
}

/* Does text name parameter key (a KEY or RUN.KEY token followed by '=')
 * that this run of the lab changed from its file value? */
static bool
names_changed_param(const struct lab *lab, const char *text)
{
	for (const char *s = text; (s = strchr(s, '=')) != NULL; s++) {
		const char *b = s;
		char tok[2 * LAB_NAME_LEN], *dot;

		while (b > text && (name_char(b[-1]) || b[-1] == '_' || b[-1] == '.'))
			b--;
		if (b == s || (size_t)(s - b) >= sizeof tok)
			continue;
		memcpy(tok, b, (size_t)(s - b));
		tok[s - b] = '\0';
		dot = strchr(tok, '.');
		for (int r = 0; r < lab->nruns; r++) {
			const struct lab_run *run = &lab->runs[r];
			int idx;

			if (dot != NULL && (strncmp(run->name, tok, (size_t)(dot - tok)) != 0 ||
			    run->name[dot - tok] != '\0'))
				continue;
			idx = lab_param_index(run, dot != NULL ? dot + 1 : tok);
			if (idx >= 0 && run->selected && lab_param_changed(run, idx))
				return true;
		}
	}
	return false;
}

bool
lab_try_done(const struct lab *lab, int t, bool cpus_changed, bool slowed)
{
	const char *text = lab->tries[t];

	if (cpus_changed && strstr(text, "--cpus") != NULL)
		return true;
	if (slowed && (strstr(text, "--slow") != NULL || strstr(text, "slow motion") != NULL))
		return true;
	return names_changed_param(lab, text);
}

/* Lab text is UTF-8 without control characters (tabs aside): -1 and the
 * column of the first bad byte otherwise. */
int
lab_utf8_check(const char *s, size_t n, size_t *col)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
		    (c & 0xf8) == 0xf0 ? 4 : 0;
		uint32_t cp = len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;

		*col = i + 1;
		if (len == 1) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return -2;
			i++;
			continue;
		}
		if (len == 0 || i + len > n)
			return -1;
		for (size_t k = 1; k < len; k++) {
			if (((unsigned char)s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | ((unsigned char)s[i + k] & 0x3fu);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
		    cp > 0x10ffff)
			return -1;
		i += len;
	}
	return 0;
}

char *
lab_join_value(char *old, const char *more)
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

/* The line number of "PATH:LINE: message", or INT_MAX for other lines
 * (the notes after the messages). */
static int
err_line_no(const char *line, const char *path)
{
	size_t n = strlen(path);

	if (strncmp(line, path, n) != 0 || line[n] != ':' || !isdigit((unsigned char)line[n + 1]))
		return INT_MAX;
	return atoi(line + n + 1);
}

void
lab_sort_errors(char *err, const char *path)
{
	char *copy, *lines[64], *save = NULL;
	int n = 0;
	size_t used = 0;

	for (const char *c = err; *c != '\0'; c++)
		if (*c == '\n' && ++n >= 64)
			return;		/* more than LAB_MAX_ERRORS: left as they are */
	n = 0;
	copy = xstrdup(err);
	for (char *l = strtok_r(copy, "\n", &save); l != NULL && n < 64;
	    l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	for (int i = 1; i < n; i++)	/* insertion sort: stable */
		for (int k = i; k > 0 && err_line_no(lines[k - 1], path) >
		    err_line_no(lines[k], path); k--) {
			char *t = lines[k];

			lines[k] = lines[k - 1];
			lines[k - 1] = t;
		}
	for (int i = 0; i < n; i++)	/* never longer than it was */
		used += (size_t)sprintf(err + used, "%s%s", i > 0 ? "\n" : "", lines[i]);
	free(copy);
}
