/*
 * trace_screen: the live screen of `conclab trace` -- the traced program's
 * threads on the lab screen's timeline, the cores under it, the legend.
 * Only the thread that traces calls it; ui is the one that touches curses.
 */
#ifndef CONCLAB_TRACE_SCREEN_H
#define CONCLAB_TRACE_SCREEN_H

#include "lab.h"
#include "trace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_screen;

/* Take the terminal and show tr's tasks as lab's one run (lab stays the
 * caller's while the screen is open); what names the program.  NULL with a
 * message when the terminal cannot be drawn on. */
struct trace_screen *trace_screen_open(const struct trace *tr, const struct lab *lab,
    const char *what, bool no_color, bool ascii, char *err, size_t errlen);
/* Draw one frame at now; 1 when the user asked to stop (q, Esc). */
int trace_screen_frame(struct trace_screen *ts, uint64_t now, int nthreads,
    double cost_pct);
/* Give the terminal back as it was; NULL does nothing. */
void trace_screen_close(struct trace_screen *ts);

#endif
