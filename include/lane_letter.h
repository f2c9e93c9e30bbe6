/*
 * lane_letter: the letter a GIL lane draws where a thread holds the lock
 * (on screen, in the SVG) and the legend names.  One letter per thread
 * name over every run that has a lane (a lane of one process, real
 * CPython's: that process's threads only), so a letter names one thread
 * in every band and the legend's "3=python3-3" is the one drawn, as the
 * timeline shows it after each thread's name: a name's last character
 * when it is free (names ending "-N" claim theirs first:
 * thread-3 keeps 3 beside a main thread called python3), else a letter of
 * the name from its end, else the first free of a-z, A-Z: a digit only as
 * the number a name ends with, never one a reader would take for another
 * thread's (py-3 drew 4 beside thread-1..3).  The same name in two runs
 * keeps one letter.
 */
#ifndef CONCLAB_LANE_LETTER_H
#define CONCLAB_LANE_LETTER_H

#include "trace.h"

/* out[i] (i < n) gets the letter of task i, 0 for a task of a run without
 * a lane, for a task outside the process a lane names (its pid, set by
 * proctrace) and for lanes themselves. */
void lane_letters_all(const struct trace *tr, char *out, int n);

#endif
