/*
 * dash: the live dashboard -- the lab menu and a lab's screen, and the frame
 * loop that drives them: read keys, sample cores and tasks, take a snapshot,
 * let the views draw it into a canvas, and hand the canvas to ui.  The lab
 * itself runs in the exec_runner thread; the loop waits in forker_wait() so
 * fork requests are served while it idles.
 */
#ifndef CONCLAB_DASH_H
#define CONCLAB_DASH_H

#include <signal.h>
#include <stdbool.h>

struct dash_opts {
	bool no_color, ascii;
	int fps;
	const char *const *sets;	/* --set assignments, applied to every lab */
	int nsets;
	const char *cpus;		/* --cpus LIST, or NULL */
	double slow;
	const char *only;		/* --only RUN for labs that have it, or NULL */
	int predict;			/* --predict CHOICE for the first lab, 0 none */
	bool no_progress;		/* --no-progress: read, never write, the file */
};

/* Run the dashboard: the menu (lab NULL) or that lab's screen.  Returns the
 * exit status; *sig is set by the caller's signal handler to ask it to stop. */
int dash_main(const struct dash_opts *o, const char *lab, volatile sig_atomic_t *sig);

#endif
