/*
 * util: memory wrappers that never return NULL, the one fatal-error path, and
 * small string and number helpers shared by every layer.
 *
 * die() runs the registered cleanup hooks in reverse order of registration
 * (restore the terminal, stop and reap children) and exits.  Library code never
 * exits by itself: it fills an error buffer and returns -1.
 */
#ifndef CONCLAB_UTIL_H
#define CONCLAB_UTIL_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONCLAB_VERSION "0.1.0"

#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define UTIL_MIN(a, b) ((a) < (b) ? (a) : (b))
#define UTIL_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Allocate or die; never returns NULL. */
void *xmalloc(size_t size);
/* Zeroed allocation of n elements or die. */
void *xcalloc(size_t n, size_t size);
/* Resize or die. */
void *xrealloc(void *p, size_t size);
/* Duplicate a string or die. */
char *xstrdup(const char *s);
/* Format into a new string or die; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Register a function run by die() and util_cleanup() (last registered runs first). */
void util_on_cleanup(void (*fn)(void));
/* Run the cleanup hooks once; safe to call more than once. */
void util_cleanup(void);
/* Catch SIGINT, SIGTERM, SIGHUP and SIGQUIT: each stores its number in *flag
 * (the caller stops, cleans up and exits 128 + it); SIGPIPE is ignored. */
void util_catch_stop_signals(volatile sig_atomic_t *flag);
/* Install sa for each of the stop signals (for a handler of one's own). */
void util_stop_signals_action(const struct sigaction *sa);
/* In a forked child: the stop signals back to their default action. */
void util_default_stop_signals(void);
/* Print "conclab: message" to stderr, run the cleanup hooks and exit with status. */
void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* Copy src into dst of size n, always terminated; returns strlen(src). */
size_t util_strlcpy(char *dst, const char *src, size_t n);
/* Does the user's locale (LC_CTYPE from the environment) write UTF-8?  Text
 * for the terminal spells µ and … in ASCII when it does not. */
bool util_utf8_locale(void);
/* Format into an error buffer (no-op if err is NULL). */
void util_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append to buf (len bytes, NUL-terminated) like snprintf; cut at len. */
void util_appendf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Parse a whole string as a signed 64-bit decimal; false on junk or overflow. */
bool util_parse_i64(const char *s, int64_t *out);
#define UTIL_MEDIAN_MAX 16
/* The median of the first n (at most UTIL_MEDIAN_MAX) values; 0 when n <= 0. */
double util_median(const double *v, int n);
/* Parse a whole string as a finite double; false on junk. */
bool util_parse_double(const char *s, double *out);
/* Trim white space at both ends in place; returns s. */
char *util_trim(char *s);
/* True when the string is a valid identifier: [a-z0-9_-]+, starting with a letter or digit. */
bool util_is_ident(const char *s);
/* Copy n bytes of s into out as printable text: each byte that is not part
 * of a printable character (controls, DEL, C1 controls, invalid UTF-8)
 * becomes \xHH; valid UTF-8 stays.  Cut with "..." when out is too small,
 * always terminated.  Returns out.  For any message that quotes a file. */
char *util_escape(const char *s, size_t n, char *out, size_t outlen);

#endif
