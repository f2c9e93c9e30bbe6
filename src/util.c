/*
 * util: allocation wrappers, the cleanup hooks and die(), string helpers.
 */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UTIL_MAX_HOOKS 16

static void (*cleanup_hooks[UTIL_MAX_HOOKS])(void);
static int ncleanup_hooks;

/* The signals that ask conclab to stop: the loops see the flag, stop the run
 * and restore the terminal, then exit 128 + the signal.  SIGQUIT (Ctrl-\)
 * is one of them: by default it would kill the dashboard with the terminal
 * still in the alternate screen and the cursor hidden. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static volatile sig_atomic_t *stop_flag;

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		die(1, "out of memory (%zu bytes)", size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die(1, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *
xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size ? size : 1);

	if (p == NULL)
		die(1, "out of memory (%zu bytes)", size);
	return p;
}

char *
xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = xmalloc(len);

	memcpy(p, s, len);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die(1, "out of memory");
	va_end(ap);
	return s;
}

void
util_on_cleanup(void (*fn)(void))
{
	if (ncleanup_hooks < UTIL_MAX_HOOKS)
		cleanup_hooks[ncleanup_hooks++] = fn;
}

void
util_cleanup(void)
{
	while (ncleanup_hooks > 0) {
		void (*fn)(void) = cleanup_hooks[--ncleanup_hooks];

		fn();
	}
}

static void
on_stop_signal(int sig)
{
	if (stop_flag != NULL)
		*stop_flag = sig;
}

void
util_stop_signals_action(const struct sigaction *sa)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(stop_signals); i++)
		sigaction(stop_signals[i], sa, NULL);
}

void
util_catch_stop_signals(volatile sig_atomic_t *flag)
{
	struct sigaction sa;

	stop_flag = flag;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	util_stop_signals_action(&sa);
	signal(SIGPIPE, SIG_IGN);
}

void
util_default_stop_signals(void)
{
	for (size_t i = 0; i < UTIL_ARRAY_LEN(stop_signals); i++)
		signal(stop_signals[i], SIG_DFL);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	util_cleanup();
	fputs("conclab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

size_t
util_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n > 0) {
		size_t c = len < n - 1 ? len : n - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return len;
}

void
util_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
util_appendf(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

bool
util_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}

bool
util_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

char *
util_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

bool
util_is_ident(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return false;
	for (; *s != '\0'; s++) {
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-' && *s != '_')
			return false;
	}
	return true;
}

/* Length of the valid UTF-8 sequence at s (n bytes left) of a printable
 * character, or 0: ASCII controls, DEL, C1 controls (U+0080..U+009F, which
 * some terminals obey like ESC), overlong forms, surrogates, past U+10FFFF. */
static size_t
printable_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xc2)
		lo = 0xa0;
	else if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

char *
util_escape(const char *s, size_t n, char *out, size_t outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;

	if (outlen == 0)
		return out;
	while (i < n) {
		size_t len = printable_len(u + i, n - i);
		size_t need = len > 0 ? len : 4;

		/* room for this character, and for "..." if more follows */
		if (o + need + (i + UTIL_MAX(len, 1) < n ? 3 : 0) >= outlen) {
			if (outlen > 3 && o + 3 < outlen) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		if (len > 0) {
			memcpy(out + o, u + i, len);
			i += len;
		} else {
			snprintf(out + o, 5, "\\x%02x", u[i]);
			i++;
		}
		o += need;
	}
	out[o] = '\0';
	return out;
}

bool
util_utf8_locale(void)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

static int
util_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
util_median(const double *v, int n)
{
	double s[UTIL_MEDIAN_MAX];

	if (n <= 0)
		return 0;
	if (n > UTIL_MEDIAN_MAX)
		n = UTIL_MEDIAN_MAX;
	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, util_cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
