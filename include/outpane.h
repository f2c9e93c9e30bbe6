/*
 * outpane: the lines a lab's tasks print, kept in memory for the dashboard.
 *
 * One process-wide ring of OUTPANE_LINES lines of up to OUTPANE_LINE_LEN - 1
 * bytes.  Any thread may write (a line number is claimed with a fetch-add);
 * any thread may read while writers run.  Each entry is a small seqlock made
 * of atomics only: the writer marks it odd, stores the text words (relaxed),
 * then publishes the even sequence 2 * (line + 1) with release; a reader
 * checks the sequence before and after copying and rejects a torn or
 * overwritten line.  Lines older than the last OUTPANE_LINES are gone.
 * The pane lives in this process only (threads, not forked children).
 */
#ifndef CONCLAB_OUTPANE_H
#define CONCLAB_OUTPANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OUTPANE_LINES 256
#define OUTPANE_LINE_LEN 48

/* Forget every line (no writer may be running). */
void outpane_clear(void);
/* Append a line for run `run` (truncated to OUTPANE_LINE_LEN - 1 bytes). */
void outpane_write(int run, const char *text);
/* Number of lines ever written since the last clear. */
uint64_t outpane_count(void);
/* Copy line i (0 = first ever) into buf; false if it is not written yet or
 * was overwritten.  *run (may be NULL) gets the run the line belongs to. */
bool outpane_read(uint64_t i, char *buf, size_t len, int *run);

#endif
