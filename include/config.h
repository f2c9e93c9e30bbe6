/*
 * config: user defaults from $XDG_CONFIG_HOME/conclab/config (default
 * ~/.config/conclab/config), and the self-paced progress kept in
 * $XDG_STATE_HOME/conclab/progress (default ~/.local/state/conclab/progress,
 * in a directory of mode 0700).  With HOME unset or missing (and no XDG
 * variable) there is no state: nothing is read or written, HOME is never
 * created, and the first load says so once.
 * Both are "key = value" / one-record-a-line text; a bad line is reported
 * with file:line and skipped, never fatal.  Command-line flags win over the
 * config file.
 */
#ifndef CONCLAB_CONFIG_H
#define CONCLAB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config {
	int fps;		/* 0 = not set */
	int color;		/* -1 not set, 0 off, 1 on */
	int ascii;		/* -1 not set, 0 off, 1 on */
	double slow;		/* 0 = not set */
	char path[512];		/* the file read, "" none */
};

/* Parse config text from f (path names it in warnings); warnings, one per
 * line, go into warn (may be NULL). Returns the number of bad lines. */
int config_parse(FILE *f, const char *path, struct config *out, char *warn, size_t wlen);
/* Load the user's config file if there is one (missing = defaults).  Returns
 * the number of warnings in warn: bad lines, a refused file (not a regular
 * file, or writable by other users), or -- once per process -- that HOME is
 * unset or missing so no settings are read and no progress is kept. */
int config_load(struct config *out, char *warn, size_t wlen);

#define PROGRESS_MAX 64

struct progress_entry {
	char lab[32];
	bool done;
	int predicted;		/* 0 none, else the choice */
	int correct;		/* -1 unknown, 0 wrong, 1 right */
	unsigned tried;		/* bit t: the lab's try t + 1 was done */
	int shown;		/* -1 unknown, 0 no run of it showed the lesson, 1 one did */
	/* the side figures (expectation names, "a,b") that were off on the
	 * last run that showed the lesson; "" none */
	char off[64];
};

struct progress {
	struct progress_entry e[PROGRESS_MAX];
	int n;
};

/* Mark tries (bit t: try t + 1) of a recorded lab as done. */
void progress_add_tries(struct progress *p, const char *lab, unsigned tried);
/* Parse progress records ("LAB done 1 right", "LAB done 1 right unshown",
 * "LAB done shown off fixed-shared tried 1,3"); bad
 * lines are warned about. */
int progress_parse(FILE *f, const char *path, struct progress *p, char *warn,
    size_t wlen);
/* Load the progress file (missing = empty; see config_load for no HOME). */
int progress_load(struct progress *p, char *warn, size_t wlen);
/* Record a finished lab and the prediction (0 = none) in memory. */
void progress_record(struct progress *p, const char *lab, int predicted, int correct);
/* Whether a run of the recorded lab showed its lesson (its expectations
 * held): 1 stays once one did; 0 only while none has; -1 (not judged)
 * changes nothing. */
void progress_set_shown(struct progress *p, const char *lab, int shown);
/* A run that showed the lesson of the recorded lab, with these side
 * figures off (names, "a,b"; "" none): the record keeps them. */
void progress_set_off(struct progress *p, const char *lab, const char *names);
/* The entry for lab, or NULL. */
const struct progress_entry *progress_get(const struct progress *p, const char *lab);
/* Write the progress file atomically (temp file + rename) in its private
 * directory; -1 with a message.  Without a place for state (HOME unset or
 * missing) it writes nothing and returns 0: the loads have said so. */
int progress_save(const struct progress *p, char *err, size_t errlen);
/* Write records to f. */
void progress_write(FILE *f, const struct progress *p);

#endif
