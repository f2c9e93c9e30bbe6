/*
 * trace_screen: the live screen of `conclab trace` -- the traced program's
 * threads on the lab screen's timeline, the cores under it, the legend of
 * what it draws, and keys: p pauses the picture (tracing goes on), e asks
 * for an export, ? shows help, q stops.  When the program has ended the
 * screen keeps its last picture, with a line saying how it ended, until q.
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
struct canvas;

/* What the user asked for in a frame (HANGUP: the terminal went away). */
enum trace_screen_ask {
	TRACE_SCREEN_NONE, TRACE_SCREEN_QUIT, TRACE_SCREEN_EXPORT, TRACE_SCREEN_HANGUP,
};

/* Take the terminal and show tr's tasks as lab's one run (lab stays the
 * caller's while the screen is open); what names the program.  NULL with a
 * message when the terminal cannot be drawn on. */
struct trace_screen *trace_screen_open(const struct trace *tr, const struct lab *lab,
    const char *what, bool no_color, bool ascii, char *err, size_t errlen);
/* Read the keys and draw one frame at now (the picture stays at the moment
 * of p, or of the end, when paused or ended). */
enum trace_screen_ask trace_screen_frame(struct trace_screen *ts, uint64_t now,
    int nthreads, double cost_pct);
/* Slots whose rows are left out (a launcher's, a helper's), and how many
 * threads that is, said in the title; hide is indexed by trace slot and
 * stays the caller's (NULL: every row). */
void trace_screen_hide(struct trace_screen *ts, const bool *hide, int nhidden);
/* Threads that ended before the tracer saw them (said on the status line). */
void trace_screen_unseen(struct trace_screen *ts, int n);
/* Draw process pid's share of each core (its threads' and its
 * descendants', read from proc_root, NULL = /proc) apart from other
 * programs': solid, the rest dotted, and say so in the legend.  NULL
 * does nothing. */
void trace_screen_follow(struct trace_screen *ts, pid_t pid, const char *proc_root);
/* Whether a GIL lane is drawn (the legend explains it only then). */
void trace_screen_lane(struct trace_screen *ts, bool lane);
/* The program ended at end_ns: from now on the picture stays there, with
 * line (how it ended) above the keys. */
void trace_screen_end(struct trace_screen *ts, uint64_t end_ns, const char *line);
/* A message on the status line for a few seconds (an export's files). */
void trace_screen_say(struct trace_screen *ts, const char *msg);
/* Give the terminal back as it was; NULL does nothing. */
void trace_screen_close(struct trace_screen *ts);
/* Draw into c without a terminal (tests): the same frame. */
void trace_screen_draw(struct trace_screen *ts, struct canvas *c, uint64_t now,
    int nthreads, double cost_pct);
/* Feed a key as if typed (tests). */
enum trace_screen_ask trace_screen_key(struct trace_screen *ts, int key, uint64_t now);
/* A screen that draws only into canvases (tests): no terminal taken. */
struct trace_screen *trace_screen_headless(const struct trace *tr, const struct lab *lab,
    const char *what);

#endif
