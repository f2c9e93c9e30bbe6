/*
 * fmt: numbers and names as every screen, report and export writes them.
 *
 * One spelling each: thousands
 * separators (11,794), three significant digits for measured times (1.52 s,
 * 156 ns, 9.80 ms), one spelling per unit (µs, or us in ASCII), names too long
 * for a column cut with … (. in ASCII), never ~.  Every function writes into
 * a buffer the caller gives, always terminated, and returns the text's length
 * in bytes (cut to fit the buffer).
 */
#ifndef CONCLAB_FMT_H
#define CONCLAB_FMT_H

#include <stdbool.h>
#include <stddef.h>

/* A buffer big enough for any number fmt writes. */
#define FMT_NUM_LEN 48

/* n and the noun that agrees with it: "1 core", "2 cores", "1,000 threads"
 * (many NULL: one + "s"). */
int fmt_count(char *buf, size_t len, double n, const char *one, const char *many);
/* A count just written as num, and the text after it: when num is "1" (or
 * "one") and after starts with " " and a plural noun the labs' texts use
 * (" cores", " times", " threads" ...), the length of that noun (without
 * the space) and its singular in *one; else 0.  Fillers of "{cores} cores"
 * call it so that no text says "1 cores". */
size_t fmt_agree(const char *num, const char *after, const char **one);

/* A count of cores busy (avg_cores_busy): two decimals, "<0.01" for a
 * share too small for them (not "0.00" for a task that ran). */
int fmt_cores(char *buf, size_t len, double cores);
/* v with thousands separators and `decimals` digits after the point
 * (1234567.891, 2 -> "1,234,567.89"). */
int fmt_thousands(char *buf, size_t len, double v, int decimals);
/* v to three significant digits; from 1,000 up a whole number with
 * separators (0.0098 -> "0.00980", 15.24 -> "15.2", 11794.3 -> "11,794"). */
int fmt_sig3(char *buf, size_t len, double v);
/* A measured time in seconds with its unit, three significant digits,
 * in s, ms, µs (us when ascii) or ns (1.523 -> "1.52 s", 1.5625e-7 -> "156 ns"). */
int fmt_time(char *buf, size_t len, double seconds, bool ascii);
/* A figure named key ("wall_s", "short_reqs_per_s", "lost_updates"):
 * times (_s, _us, _ns) and fractional values to three significant digits,
 * whole numbers with separators.  No unit: the key carries it. */
int fmt_figure(char *buf, size_t len, const char *key, double v);
/* The same, a time with its unit (wall_s 0.0000656 -> "65.6 µs", wake_us
 * 1520 -> "1.52 ms"): for a figure shown beside its name. */
int fmt_figure_unit(char *buf, size_t len, const char *key, double v, bool ascii);
/* A figure in the unit its name gives (duration_ms 1000 -> "1,000 ms",
 * wake_us 12.5 -> "12.5 µs"), so that a reader can redo a condition
 * written over it (walk 7 H8: "duration_ms = 1.00 s" beside
 * "duration_ms / 1000"); seconds (wall_s) and figures without a unit as
 * fmt_figure_unit. */
int fmt_figure_own_unit(char *buf, size_t len, const char *key, double v, bool ascii);
/* A metric beside its name (the runs table, the text report's metrics):
 * fmt_figure_unit, and a share (_pct) with its "%" -- same_cpu_pct 99.98
 * -> "100 %".  (A lab's text writes its own "%" after a placeholder.) */
int fmt_metric(char *buf, size_t len, const char *key, double v, bool ascii);
/* The unit a figure's name gives it (DESIGN.md "Units in names"): a time
 * (_s, _ms, _us, _ns as a part of the name: wall_s, rtt_us_p50,
 * ns_per_increment) with *seconds the seconds of one unit, a rate (_per_s:
 * tasks_per_s, fast_reqs_per_s_alone), or neither. */
enum fmt_unit { FMT_PLAIN, FMT_TIME, FMT_RATE };
enum fmt_unit fmt_key_unit(const char *key, double *seconds);
/* Bytes of the text at s that a wrapped line must not break (up to a space
 * or newline), a number keeping the unit that follows it ("10.8 s",
 * "93.7 %", "65.6 µs"); *cols gets its columns. */
int fmt_word(const char *s, int *cols);
/* Bytes of the unit word at s ("s", "ms", "µs", "%", "MB", ...) when it is
 * a whole word (a space, punctuation or the end follows), else 0. */
int fmt_unit_bytes(const char *s);
/* The unit "µs" (or "us" when ascii). */
const char *fmt_us(bool ascii);

/* Columns that UTF-8 text s takes (one per code point). */
int fmt_cols(const char *s);
/* The mark of text cut short in ASCII: '>' ("more follows"), as '.' would
 * read as a full stop and '~' is the io state's glyph. */
#define FMT_CUT_ASCII '>'
/* Copy s cut to at most w columns: the end replaced by … (> when ascii). */
int fmt_cut(char *buf, size_t len, const char *s, int w, bool ascii);
/* Copy s cut to at most w columns by leaving out its middle, so both ends
 * stay ("countdown(10)" in 11 columns -> "count…n(10)"). */
int fmt_cut_middle(char *buf, size_t len, const char *s, int w, bool ascii);

#endif
