/*
 * fill: {VALUE} placeholders of a lab's text filled in (fill.h).  A value is
 * an expression (expr.h) over the figures of the runs; how it reads follows
 * from the units its figures' names carry (fmt_key_unit), computed in
 * seconds, and from whether it is a single setting.
 */
#include "fill.h"

#include "expr.h"
#include "fmt.h"
#include "util.h"
#include "verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FILL_ARRAY_MAX 12	/* values of an array figure a text quotes */

/* The unit words a text may write after a time's placeholder, longest
 * first where one starts another. */
static const char *const unit_words[] = {
	"seconds", "milliseconds", "microseconds", "nanoseconds", "ms",
	"\xc2\xb5s", "us", "ns", "s",
};

/* Bytes of " UNIT" at s (white space, a unit word, then no letter or
 * digit), else 0. */
static size_t
unit_after(const char *s)
{
	size_t sp = strspn(s, " \n");

	if (sp == 0)
		return 0;
	for (size_t i = 0; i < UTIL_ARRAY_LEN(unit_words); i++) {
		size_t n = strlen(unit_words[i]);
		unsigned char c;

		/* the word first: s may end before sp + n */
		if (strncmp(s + sp, unit_words[i], n) != 0)
			continue;
		c = (unsigned char)s[sp + n];
		if (!(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    c != '_')
			return sp + n;
	}
	return 0;
}

/* Is RUN.FIELD (or a bare NAME) a setting rather than a measurement: a
 * parameter of that run (or of any run), or the cores? */
static bool
is_setting(const struct report_info *info, const char *run, const char *field)
{
	int64_t v;

	if (run == NULL)
		return true;	/* cores, or a parameter */
	for (int i = 0; i < info->lab->nruns; i++)
		if (strcmp(info->lab->runs[i].name, run) == 0)
			return lab_value_find(&info->lab->runs[i], field, &v);
	return false;
}

/* expr_dim_fn: the power of time a figure's name gives it. */
static int
figure_dim(const char *run, const char *field, void *arg)
{
	double s;
	enum fmt_unit u = fmt_key_unit(field, &s);

	(void)run;
	(void)arg;
	return u == FMT_TIME ? 1 : u == FMT_RATE ? -1 : 0;
}

/* expr_lookup_fn: verdict_lookup with times in seconds (max_gap_ms 110 ->
 * 0.110), so that an expression of times is one. */
static bool
lookup_seconds(const char *run, const char *field, double *out, void *arg)
{
	double s;

	if (!verdict_lookup(run, field, out, arg))
		return false;
	if (fmt_key_unit(field, &s) == FMT_TIME)
		*out *= s;
	return true;
}

int
fill_figure(const struct report_info *info, const char *run, const char *field,
    double v, char *buf, size_t len)
{
	if (is_setting(info, run, field))
		return fmt_figure(buf, len, "", v);	/* as set: 5, 1,000 */
	return fmt_figure_unit(buf, len, field, v, info->ascii);
}

/* A figure that is text (a Python run's interpreter and version): the
 * JSON string's characters, escapes left as they are; or an array (the
 * coroutines' order): its first values. */
static bool
text_figure(const struct report_info *info, const char *run, const char *field,
    char *buf, size_t len)
{
	const struct run_result *r;
	const struct metric *m;
	size_t n;
	int i;

	for (i = 0; i < info->lab->nruns; i++)
		if (strcmp(info->lab->runs[i].name, run) == 0)
			break;
	if (i == info->lab->nruns || !info->lab->runs[i].selected)
		return false;
	r = &info->results[i];
	m = result_get(r, field);
	if (r->finished && !r->skipped && !r->failed && m != NULL && m->kind == METRIC_ARRAY &&
	    m->nvalues > 0) {
		/* coroutines' order: the first values, as the text quotes them */
		size_t used = 0;

		buf[0] = '\0';
		for (int k = 0; k < m->nvalues && k < FILL_ARRAY_MAX && used + 24 < len; k++)
			used += (size_t)snprintf(buf + used, len - used, "%s%.0f", k ? " " : "",
			    m->values[k]);
		if (m->nvalues > FILL_ARRAY_MAX && used + 8 < len)
			snprintf(buf + used, len - used, " %s", info->ascii ? "..." : "\xe2\x80\xa6");
		return true;
	}
	if (!r->finished || r->skipped || r->failed || m == NULL || m->kind != METRIC_JSON ||
	    m->json == NULL || m->json[0] != '"')
		return false;
	n = strlen(m->json);
	snprintf(buf, len, "%.*s", (int)(n >= 2 ? n - 2 : 0), m->json + 1);
	return true;
}

/* expr_ref_fn: copy the (one) figure's run name into arg (64 bytes). */
static int
ref_run(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	(void)field;
	(void)fl;
	snprintf(arg, 64, "%.*s", (int)rl, run);
	return 1;
}

/* The value text[0..n) into buf: 1 filled, 0 a figure is missing; *time
 * tells whether it reads as a time (it carries its unit). */
static int
value_text(const struct report_info *info, const char *text, size_t n, char *buf,
    size_t len, bool *time)
{
	char err[128], run[64] = "";
	const char *field;
	int word, dim, ok = 0;
	struct expr *e = expr_parse(text, lab_word_filter(text, n, &word), false, err,
	    sizeof err);
	double v = NAN;

	*time = false;
	if (e == NULL)
		return 0;	/* lab_parse checked every placeholder */
	dim = expr_dimension(e, figure_dim, NULL);
	if (expr_single_ref(e, &field)) {
		expr_each_ref(e, ref_run, run);
		*time = dim == 1 && !is_setting(info, run[0] ? run : NULL, field);
		if (verdict_lookup(run[0] ? run : NULL, field, &v, (void *)info)) {
			fill_figure(info, run[0] ? run : NULL, field, v, buf, len);
			ok = 1;
		} else if (run[0] != '\0' && text_figure(info, run, field, buf, len)) {
			ok = 1;
		}
	} else if (expr_value(e, lookup_seconds, (void *)info, &v)) {
		*time = dim == 1;
		if (dim == 1)
			fmt_time(buf, len, v, info->ascii);
		else if (dim == -1)
			fmt_figure(buf, len, "x_per_s", v);
		else
			fmt_sig3(buf, len, v);
		ok = 1;
	}
	expr_destroy(e);
	/* {tasks|word}: a whole number 0..20 as a word ("three", "Three") */
	if (ok && word >= 0 && isfinite(v) && lab_number_word(v, word == 1, buf, len))
		*time = false;
	return ok;
}

int
fill_value(const struct report_info *info, const char *text, size_t n, char *buf,
    size_t len)
{
	bool time;

	return value_text(info, text, n, buf, len, &time);
}

/* Append n bytes of s to *out (*used of *cap). */
static void
put(char **out, size_t *used, size_t *cap, const char *s, size_t n)
{
	if (*used + n + 1 > *cap) {
		*cap = (*used + n + 1) * 2;
		*out = xrealloc(*out, *cap);
	}
	memcpy(*out + *used, s, n);
	*used += n;
	(*out)[*used] = '\0';
}

char *
fill_text(const struct report_info *info, const char *text, const char *missing)
{
	size_t cap = strlen(text) + 64, used = 0;
	char *out = xmalloc(cap);

	out[0] = '\0';
	for (const char *s = text; *s != '\0';) {
		const char *open = strchr(s, '{'), *close;
		char num[FMT_NUM_LEN * 2];
		const char *one;
		bool time;
		size_t n;

		close = open != NULL ? strchr(open, '}') : NULL;
		if (close == NULL) {
			put(&out, &used, &cap, s, strlen(s));
			break;
		}
		put(&out, &used, &cap, s, (size_t)(open - s));
		s = close + 1;
		if (!value_text(info, open + 1, (size_t)(close - open - 1), num, sizeof num,
		    &time)) {
			if (missing == NULL) {
				free(out);
				return NULL;
			}
			util_strlcpy(num, missing, sizeof num);
		}
		put(&out, &used, &cap, num, strlen(num));
		if (time)	/* "{x_s} s": the unit is the figure's own now */
			s += unit_after(s);
		else if ((n = fmt_agree(num, s, &one)) > 0) {	/* "1 core" */
			put(&out, &used, &cap, " ", 1);
			put(&out, &used, &cap, one, strlen(one));
			s += 1 + n;
		}
	}
	return out;
}
