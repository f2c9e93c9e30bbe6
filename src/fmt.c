/*
 * fmt: numbers with separators and three significant digits, times with one
 * spelling per unit, names cut with an ellipsis.  Pure functions of their
 * arguments (no locale: the separator is always ',' and the point '.').
 */
#include "fmt.h"

#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026 */

/* Copy s into buf and return the length written. */
static int
put(char *buf, size_t len, const char *s)
{
	size_t n = util_strlcpy(buf, s, len);

	return len == 0 ? 0 : (int)UTIL_MIN(n, len - 1);
}

int
fmt_count(char *buf, size_t len, double n, const char *one, const char *many)
{
	char num[FMT_NUM_LEN];
	bool whole = n == floor(n);

	fmt_thousands(num, sizeof num, n, whole ? 0 : 2);
	if (fabs(n) == 1 && whole)
		return snprintf(buf, len, "%s %s", num, one) < 0 ? 0 : (int)strlen(buf);
	if (many != NULL)
		return snprintf(buf, len, "%s %s", num, many) < 0 ? 0 : (int)strlen(buf);
	return snprintf(buf, len, "%s %ss", num, one) < 0 ? 0 : (int)strlen(buf);
}

size_t
fmt_agree(const char *num, const char *after, const char **one)
{
	static const char *const nouns[][2] = {
		{ "cores", "core" }, { "times", "time" }, { "threads", "thread" },
		{ "tasks", "task" }, { "processes", "process" }, { "runs", "run" },
		{ "workers", "worker" }, { "connections", "connection" },
		{ "requests", "request" }, { "lines", "line" }, { "rounds", "round" },
		{ "updates", "update" }, { "clients", "client" }, { "calls", "call" },
		{ "switches", "switch" }, { "CPUs", "CPU" }, { "jobs", "job" },
		{ "increments", "increment" }, { "seconds", "second" },
	};

	if (strcmp(num, "1") != 0 && strcmp(num, "one") != 0 && strcmp(num, "One") != 0)
		return 0;
	if (after[0] != ' ')
		return 0;
	for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++) {
		size_t n = strlen(nouns[i][0]);
		char next;

		if (strncmp(after + 1, nouns[i][0], n) != 0)
			continue;
		next = after[1 + n];	/* read only once the noun matched: after may be shorter */
		if (!isalnum((unsigned char)next) && next != '-' && next != '_') {
			*one = nouns[i][1];
			return n;
		}
	}
	return 0;
}

int
fmt_thousands(char *buf, size_t len, double v, int decimals)
{
	char digits[FMT_NUM_LEN], out[FMT_NUM_LEN * 2];
	const char *point, *p;
	size_t o = 0;
	int intlen;

	if (!isfinite(v))
		return put(buf, len, "n/a");
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	if (fabs(v) >= 1e18)
		return snprintf(buf, len, "%.3g", v) < 0 ? 0 : (int)strlen(buf);
	snprintf(digits, sizeof digits, "%.*f", decimals, v);
	p = digits;
	if (*p == '-') {
		/* "-0" and "-0.00" are zero */
		if (strspn(p + 1, "0.") != strlen(p + 1))
			out[o++] = '-';
		p++;
	}
	point = strchr(p, '.');
	intlen = point != NULL ? (int)(point - p) : (int)strlen(p);
	for (int i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	out[o] = '\0';
	if (point != NULL)
		util_strlcpy(out + o, point, sizeof out - o);
	return put(buf, len, out);
}

int
fmt_sig3(char *buf, size_t len, double v)
{
	double a = fabs(v), r;
	int d;

	if (!isfinite(v))
		return put(buf, len, "n/a");
	if (a == 0)
		return put(buf, len, "0");
	d = 2 - (int)floor(log10(a));
	r = round(a * pow(10, d)) / pow(10, d);
	if (r >= pow(10, 3 - d))
		d--;	/* 9.996 rounds to 10.0, not 10.00 */
	if (d <= 0 || r >= 999.5)
		return fmt_thousands(buf, len, v, 0);
	if (d > 12)
		d = 12;
	return snprintf(buf, len, "%.*f", d, v) < 0 ? 0 : (int)strlen(buf);
}

const char *
fmt_us(bool ascii)
{
	return ascii ? "us" : "\xc2\xb5s";
}

int
fmt_time(char *buf, size_t len, double s, bool ascii)
{
	char num[FMT_NUM_LEN];
	double a = fabs(s), scale;
	const char *unit;

	if (!isfinite(s))
		return put(buf, len, "n/a");
	/* The unit in which the value rounds to 1 .. 999. */
	if (a >= 0.9995 || a == 0) {
		scale = 1;
		unit = "s";
	} else if (a >= 0.9995e-3) {
		scale = 1e3;
		unit = "ms";
	} else if (a >= 0.9995e-6) {
		scale = 1e6;
		unit = fmt_us(ascii);
	} else {
		scale = 1e9;
		unit = "ns";
	}
	fmt_sig3(num, sizeof num, s * scale);
	return snprintf(buf, len, "%s %s", num, unit) < 0 ? 0 : (int)strlen(buf);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

enum fmt_unit
fmt_key_unit(const char *key, double *seconds)
{
	static const struct { const char *part; double s; } units[] = {
		{ "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 }, { "ns", 1e-9 },
	};
	char part[16];

	*seconds = 0;
	/* the name's parts between '_': "per" then "s" is a rate; a unit part
	 * anywhere else is a time (the whole name is no unit) */
	for (const char *p = key, *prev = NULL; *p != '\0';) {
		size_t n = strcspn(p, "_");

		snprintf(part, sizeof part, "%.*s", (int)UTIL_MIN(n, sizeof part - 1), p);
		if (strcmp(part, "s") == 0 && prev != NULL && strncmp(prev, "per_", 4) == 0)
			return FMT_RATE;
		for (size_t i = 0; i < UTIL_ARRAY_LEN(units) && *seconds == 0; i++)
			if (strcmp(part, units[i].part) == 0 && (p != key || p[n] == '_'))
				*seconds = units[i].s;
		prev = p;
		p += n + (p[n] == '_');
	}
	return *seconds > 0 ? FMT_TIME : FMT_PLAIN;
}

int
fmt_unit_bytes(const char *s)
{
	static const char *const units[] = { "s", "ms", "\xc2\xb5s", "us", "ns", "MB", "KB",
		"GB", "%", "cores" };

	for (size_t i = 0; i < UTIL_ARRAY_LEN(units); i++) {
		size_t n = strlen(units[i]);

		if (strncmp(s, units[i], n) == 0 && strchr(" \n,.;:)", s[n]) != NULL)
			return (int)n;	/* (the set holds '\0' too) */
	}
	return 0;
}

int
fmt_word(const char *s, int *cols)
{
	const unsigned char *p = (const unsigned char *)s;

	*cols = 0;
	for (;;) {
		while (*p != '\0' && *p != ' ' && *p != '\n') {
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
			(*cols)++;
		}
		if (*p != ' ' || p == (const unsigned char *)s || p[-1] < '0' || p[-1] > '9' ||
		    fmt_unit_bytes((const char *)p + 1) == 0)
			break;
		p++;	/* the space before the unit, then the unit */
		(*cols)++;
	}
	return (int)((const char *)p - s);
}

int
fmt_cores(char *buf, size_t len, double cores)
{
	if (cores > 0 && cores < 0.005)
		return put(buf, len, "<0.01");	/* not "0.00" for a task that ran */
	return fmt_thousands(buf, len, cores, 2);
}

int
fmt_figure(char *buf, size_t len, const char *key, double v)
{
	double unit;
	bool time = fmt_key_unit(key, &unit) == FMT_TIME;
	/* a share of the cores too small for two decimals reads "<0.01", not
	 * 0.000981 (a busy count that small is "next to nothing") */
	if (strstr(key, "cores") != NULL && v > 0 && v < 0.005)
		return put(buf, len, "<0.01");
	/* cores busy to two decimals wherever it is shown (walk 5 F13: the
	 * headline's 0.905 beside the band's 0.90) */
	if (strstr(key, "cores_busy") != NULL)
		return fmt_cores(buf, len, v);
	/* a size in MB to three significant digits, 0 as "0.00" (measured) */
	if (ends_with(key, "_mb"))
		return v == 0 ? put(buf, len, "0.00") : fmt_sig3(buf, len, v);
	if (!time && isfinite(v) && fabs(v - round(v)) < 1e-9)
		return fmt_thousands(buf, len, v, 0);
	return fmt_sig3(buf, len, v);
}

int
fmt_figure_unit(char *buf, size_t len, const char *key, double v, bool ascii)
{
	double s;

	if (fmt_key_unit(key, &s) != FMT_TIME)
		return fmt_figure(buf, len, key, v);
	/* nothing at all is said in the figure's own unit: wake_us 0 is
	 * "0 µs", not "0 s" (fmt_time's zero) */
	if (v == 0)
		return snprintf(buf, len, "0 %s", s >= 1 ? "s" : s >= 1e-3 ? "ms" :
		    s >= 1e-6 ? fmt_us(ascii) : "ns") < 0 ? 0 : (int)strlen(buf);
	return fmt_time(buf, len, v * s, ascii);
}

int
fmt_figure_own_unit(char *buf, size_t len, const char *key, double v, bool ascii)
{
	double s;
	char num[FMT_NUM_LEN];

	if (fmt_key_unit(key, &s) != FMT_TIME || s >= 1 || !isfinite(v))
		return fmt_figure_unit(buf, len, key, v, ascii);
	fmt_figure(num, sizeof num, "", v);
	return snprintf(buf, len, "%s %s", num, s >= 1e-3 ? "ms" : s >= 1e-6 ? fmt_us(ascii) :
	    "ns") < 0 ? 0 : (int)strlen(buf);
}

int
fmt_metric(char *buf, size_t len, const char *key, double v, bool ascii)
{
	int n = fmt_figure_unit(buf, len, key, v, ascii);

	if (ends_with(key, "_pct") && isfinite(v) && (size_t)n + 2 < len)
		n += snprintf(buf + n, len - (size_t)n, " %%");
	return n;
}

/* Bytes of the first n code points of s (or all of s). */
static size_t
cp_bytes(const char *s, int n)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0' && n > 0) {
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
		n--;
	}
	return (size_t)((const char *)p - s);
}

int
fmt_cols(const char *s)
{
	int n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

int
fmt_cut(char *buf, size_t len, const char *s, int w, bool ascii)
{
	char out[512];
	size_t head;

	if (fmt_cols(s) <= w)
		return put(buf, len, s);
	if (w <= 0)
		return put(buf, len, "");
	head = UTIL_MIN(cp_bytes(s, w - 1), sizeof out - 4);
	memcpy(out, s, head);
	util_strlcpy(out + head, ascii ? (const char[]){ FMT_CUT_ASCII, 0 } : ELLIPSIS, sizeof out - head);
	return put(buf, len, out);
}

int
fmt_cut_middle(char *buf, size_t len, const char *s, int w, bool ascii)
{
	char out[512];
	int cols = fmt_cols(s), tail, head;
	size_t hb, tb;

	if (cols <= w || w < 5)
		return fmt_cut(buf, len, s, w, ascii);
	tail = (w - 1) / 2;
	head = w - 1 - tail;
	hb = UTIL_MIN(cp_bytes(s, head), sizeof out / 2);
	tb = cp_bytes(s, cols - tail);
	memcpy(out, s, hb);
	util_strlcpy(out + hb, ascii ? (const char[]){ FMT_CUT_ASCII, 0 } : ELLIPSIS, sizeof out - hb);
	util_strlcpy(out + strlen(out), s + tb, sizeof out - strlen(out));
	return put(buf, len, out);
}
