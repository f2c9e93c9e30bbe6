/*
 * dash_screen: what the dashboard's frame loop (dash.c) shares with its
 * screens.  The dashboard is always on exactly one screen (enum dash_screen);
 * each screen is a file with a const table of its draw and key functions
 * (dash_menu.c, dash_lab.c with the lab's question, dash_help.c,
 * dash_settings.c), and the loop dispatches on d->screen.  Adding a screen
 * means adding a file, an enum value and a table entry in dash.c.
 *
 * Only the frame loop's thread touches struct dash.  The lab itself runs in
 * the session's runner thread (session.h).
 */
#ifndef CONCLAB_DASH_SCREEN_H
#define CONCLAB_DASH_SCREEN_H

#include "canvas.h"
#include "config.h"
#include "dash.h"
#include "meter.h"
#include "outpane.h"
#include "session.h"
#include "view.h"

#include <stdbool.h>
#include <stdint.h>

enum dash_screen {
	DASH_MENU = 0,		/* the list of labs */
	DASH_ASK,		/* a lab's screen while its question waits */
	DASH_LAB,		/* a lab's screen: runs, timeline, lesson */
	DASH_HELP,		/* the keys and the legend, over the lab */
	DASH_SETTINGS,		/* the lab's runs and parameters */
	DASH_NSCREENS
};

struct dash;

struct dash_screen_ops {
	void (*draw)(struct dash *d);	/* into d->cv */
	void (*key)(struct dash *d, int key);
};

extern const struct dash_screen_ops dash_menu_screen;
extern const struct dash_screen_ops dash_ask_screen;
extern const struct dash_screen_ops dash_lab_screen;
extern const struct dash_screen_ops dash_help_screen;
extern const struct dash_screen_ops dash_settings_screen;

/* The open lab's screen state (menu and help keep none of their own). */
struct dash_lab {
	int tasks, work_ms;		/* settings; 0 = the lab has none */
	int next_tasks, next_work_ms;	/* + - [ ] during a run: for the next
					 * run (0: none) */
	int sel_run;			/* the run Tab selected */
	int scroll;			/* first task row, -1 follows the newest */
	int lesson_scroll;
	int settings_scroll;		/* first line of the settings screen */
	int settings_sel;		/* its selected line (VIEW_SEL_*, or a
					 * parameter's 0 ...) */
	bool editing;			/* a value is being typed on it */
	char entry[LAB_TEXT_MAX + 1];	/* what was typed so far */
	bool finished;			/* the last run ended: the lesson shows */
	bool focus;			/* the timeline fills the screen */
	int predict;			/* the student's choice, 0 none */
	uint64_t predict_sig;		/* the settings when it was made */
	char *explain;			/* reveal and lesson, once finished */
	int nuser_marks;
	char (*out)[OUTPANE_LINE_LEN];	/* output pane copy */
	int nout;
	struct meter_set meters;	/* load generators: requests/s per client */
	/* The headline strip: each headline filled in as runs finish ("..."
	 * for a figure not measured yet), refreshed when a run ends. */
	char *headlines[LAB_MAX_HEADLINES];
	enum verdict_mark headline_off[LAB_MAX_HEADLINES];	/* its figures did not show */
	int nheadlines;
	int headline_runs;		/* finished runs when they were filled */
	char verdict[768];		/* once finished: prediction and verdict */
	bool verdict_failed;
	bool reader;			/* the lesson reader is open */
	char *question;			/* the question with the settings filled in */
	char *choices[LAB_MAX_CHOICES];
	struct view_run live;		/* the running run's numbers, kept in a pause */
	uint64_t live_at;		/* the pause they were taken at (0: none) */
};

struct dash {
	struct dash_opts opts;		/* the options, normalised */
	struct session s;		/* environment, lab and runner */
	struct canvas *cv;
	bool headless;			/* bench: no terminal */
	bool quit;
	enum dash_screen screen;
	enum dash_screen back;		/* where help and settings return to */
	int help_page;			/* the help's page (two at 80x24) */
	struct lab *labs;		/* the menu */
	int nlabs, menu_sel;
	struct progress prog;		/* the self-paced path */
	bool predict_used;		/* --predict went to the first lab */
	char message[160];
	uint64_t message_until;
	uint64_t cpu_t0, wall_t0;	/* own CPU measurement window */
	double own_pct;			/* the loop's CPU share, -1 unknown */
	double rss_mb;			/* conclab's resident memory, MB (0 unknown) */
	struct dash_lab lab;
};

/* Show msg on the status line for a few seconds. */
void dash_say(struct dash *d, const char *msg);
/* A key to the current screen's key function. */
void dash_key(struct dash *d, int key);
/* Draw the current screen and, with a terminal, put it on screen. */
void dash_draw(struct dash *d);

/* For the dashboard and `make bench`: set up without a terminal (the
 * caller adds the canvas), one frame (sample, notice a run's end, draw),
 * and tear down.  dash_setup: -1 with a message. */
int dash_setup(struct dash *d, const struct dash_opts *o, char *err, size_t errlen);
void dash_frame(struct dash *d);
void dash_teardown(struct dash *d);

/* dash_lab.c: open the lab file at path on its screen (the question first
 * when it has one); -1 with a message. */
int dash_lab_open(struct dash *d, const char *path, char *err, size_t errlen);
/* Start the lab's runs (only = -1: all) from the lab screen. */
void dash_lab_start(struct dash *d, int only);
/* Per frame while a lab is open: output, meters, the end of a run. */
void dash_lab_tick(struct dash *d);
/* Draw the lab's screen, with the help overlay when help is set. */
void dash_lab_draw_with(struct dash *d, bool help);
/* What the lab screen draws now, from the session (dash_snap.c). */
void dash_lab_snapshot(struct dash *d, struct view_lab *v);
/* The menu as it stands (the help overlay draws over it). */
void dash_menu_draw(struct dash *d);
/* Leave the lab for the menu (a run in progress is stopped). */
void dash_lab_close(struct dash *d);
/* Change a setting from the keys + - [ ] (the lab and settings screens);
 * during a run the new value waits for the next run. */
bool dash_settings_key(struct dash *d, int key);
/* Before a run starts: the values + - [ ] chose during the last one. */
void dash_settings_apply_next(struct dash *d);

#endif
