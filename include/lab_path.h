/*
 * lab_path: the self-paced path through the labs -- for each lab what it
 * teaches, whether the student did it and predicted right, and the tries
 * (the lab's "try" lines) not yet done.  `conclab progress` prints these
 * lines and the menu shows them for the selected lab: one source, so the
 * two always agree.
 */
#ifndef CONCLAB_LAB_PATH_H
#define CONCLAB_LAB_PATH_H

#include "config.h"
#include "lab.h"

#include <stdbool.h>
#include <stddef.h>

#define LAB_PATH_LINE_LEN 640
#define LAB_PATH_MAX_LINES (3 + LAB_MAX_TRIES)

enum lab_path_kind {
	LAB_PATH_HEAD,		/* "gil            done, predicted right  <- next" */
	LAB_PATH_TAUGHT,	/* "taught: TITLE" ("teaches:" when not done, "not
				 * shown yet:" when no run of it showed the lesson) */
	LAB_PATH_TRY,		/* "to try: TRY" (or "then try:"), one not yet done */
	LAB_PATH_TRIES_DONE,	/* "tries done: 1 of 3" */
};

struct lab_path_line {
	enum lab_path_kind kind;
	char text[LAB_PATH_LINE_LEN];
};

/* The student's record of lab in words: "done, predicted right", "done,
 * predicted wrong", "done, no prediction" or "not yet"; when no run of the
 * lab showed its lesson, "; the lesson did not show on your run" follows. */
const char *lab_path_status(const struct lab *lab, const struct progress *p);
/* The path's opening line into buf ("3 of 10 labs done; 2 of 3 predictions
 * right; next: gil", "...; all done"); returns the index of the next lab
 * (the first not done), -1 when all are done. */
int lab_path_summary(const struct lab *labs, int n, const struct progress *p, char *buf,
    size_t len);
/* The lines of one lab on the path into out[LAB_PATH_MAX_LINES]: its head
 * (id, status, "<- next" when next), what it taught, each try not yet
 * done, and how many tries were done (when any); returns how many. */
int lab_path_lines(const struct lab *lab, const struct progress *p, bool next,
    struct lab_path_line *out);

#endif
