/*
 * fill: a lab's text with its figures filled in -- headlines, explanation
 * paragraphs, the measured line, the figures an expectation names.  The one
 * place that decides how a figure reads (DESIGN.md, "Numbers"):
 *
 *  - a measured time (a figure named _s, _ms, _us or _ns, or an expression
 *    whose figures make a time: a sum of times, a time per count) to three
 *    significant digits in the unit that suits it, "65.6 µs" ("us" in
 *    ASCII), "3.94 ms"; the unit the text writes after the placeholder
 *    ("{run.wall_s} s") is replaced by it;
 *  - a setting (a parameter of the run, {switch_ms}, {cores}) as it is set,
 *    the unit left to the text ("{gil.switch_ms} ms" -> "5 ms");
 *  - a count or rate with thousands separators (11,794), a ratio or a
 *    share of the cores to three significant digits (1.71);
 *  - a text figure (a Python run's interpreter, version) as it is.
 *
 * JSON keeps its raw numbers; only text goes through here.
 */
#ifndef CONCLAB_FILL_H
#define CONCLAB_FILL_H

#include "report.h"

#include <stddef.h>

/* text with each {VALUE} filled from the runs of info (verdict_lookup).  A
 * figure not measured (a run that did not run, failed or was skipped)
 * reads `missing`, its unit left out with it; with missing NULL the result
 * is NULL.  The caller frees the string. */
char *fill_text(const struct report_info *info, const char *text, const char *missing);
/* One value, text[0..n) (a placeholder's inside), as fill_text writes it,
 * into buf: a time with its unit; 0 when a figure is missing. */
int fill_value(const struct report_info *info, const char *text, size_t n, char *buf,
    size_t len);
/* The figure RUN.FIELD (run NULL: a bare name) of value v as the text
 * writes it, its unit included when it is a measured time, into buf. */
int fill_figure(const struct report_info *info, const char *run, const char *field,
    double v, char *buf, size_t len);

#endif
