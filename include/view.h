/*
 * view: the screens, drawn into a canvas from a snapshot of plain data; no
 * view calls curses or changes what it is given.  The lab screen holds, at
 * once, the timeline (one row per task), the cores, the numbers of each run,
 * the lesson, a legend and a key line; below VIEW_MIN_W x VIEW_MIN_H a
 * message says the size needed instead.
 */
#ifndef CONCLAB_VIEW_H
#define CONCLAB_VIEW_H

#include "canvas.h"
#include "config.h"
#include "export.h"
#include "lab.h"
#include "meter.h"
#include "outpane.h"
#include "ownshare.h"
#include "result.h"
#include "sample.h"
#include "trace.h"
#include "verdict.h"

#include <stdbool.h>
#include <stdint.h>

#define VIEW_MIN_W 80
#define VIEW_MIN_H 24

enum view_run_state { VIEW_RUN_PENDING = 0, VIEW_RUN_RUNNING, VIEW_RUN_FINISHED };

/* The numbers of one run: live while it runs, final after. */
struct view_run {
	int state;			/* enum view_run_state */
	double wall_s, cpu_s, cores;
	const struct run_result *res;	/* final result, or NULL */
};

/* Everything the lab screen shows, gathered once per frame. */
struct view_lab {
	const struct lab *lab;
	const struct trace *tr;
	const struct core_sampler *cores;	/* may be NULL */
	const int *cpu_ids;		/* CPUs the lab may use */
	int ncpu;
	uint64_t now;			/* monotonic ns of the snapshot */
	uint64_t t_from;		/* timeline starts here (0: now) */
	struct view_run runs[LAB_MAX_RUNS];	/* by run index */
	int sel_run;			/* the run Tab selected */
	bool running, finished;
	const char *explain;		/* filled explanation once finished, or NULL */
	int tasks;			/* task-count setting, 0 if no run has one */
	int work_ms;			/* duration setting, 0 if none */
	int next_tasks, next_work_ms;	/* chosen during a run for the next, 0 none */
	double own_cpu_pct;		/* the dashboard's own CPU use, -1 unknown */
	double rss_mb;			/* conclab's resident memory, MB; 0 = not shown */
	int fps;
	int scroll;			/* first task row shown, -1 = follow the newest */
	const char *message;		/* a status message, or NULL */
	bool help;			/* the help overlay is open */
	int help_page;			/* its page when it needs two (80x24) */
	bool asking;			/* the prediction question waits for a choice */
	int predict;			/* the student's choice, 0 = none */
	bool paused, focus;		/* presenter: paused; timeline fills the screen */
	double switch_ms;		/* GIL switch interval of the selected run, 0 none */
	const char (*out)[OUTPANE_LINE_LEN];		/* output pane lines (oldest first), or NULL */
	int nout;
	int own_pid;			/* conclab's pid: rows of other pids show theirs */
	const bool *hide;		/* per trace slot: no row (NULL: every slot) */
	/* Each band's first lock lane drawn on its header's line (the holder
	 * where the line is), not in a row of its own: a short screen. */
	bool fold_lanes;
	int lesson_scroll;		/* first lesson line shown once finished */
	const struct meter *meters;	/* load generators' live figures, or NULL */
	int nmeters;
	/* The lab's headline figures filled in so far (a figure not yet
	 * measured reads ...), shown in full under the header; and once the
	 * lab finished, whether this run showed the lesson, in one sentence. */
	const char *headlines[LAB_MAX_HEADLINES];
	/* headline k's figures did not show (an expectation that reads them
	 * failed): drawn with the glyph the verdict names, the lesson's or a
	 * side figure's */
	enum verdict_mark headline_off[LAB_MAX_HEADLINES];
	int nheadlines;
	const char *verdict;		/* NULL while running or when not judged */
	bool verdict_failed;		/* an expectation failed */
	/* The lesson reader: the whole explanation on the screen (reader_text,
	 * paged by lesson_scroll), opened by a key once the lab finished. */
	bool reader;
	const char *reader_text;
	/* Each CPU's busy share over time since the lab started (timestamped
	 * samples), for the cores rows on the timeline's axis; may be NULL. */
	const struct core_series *series;
	/* The lab's own share of each core now (conclab and its children,
	 * apart from other programs'); may be NULL. */
	const struct ownshare *own;
	/* The question and choices with the settings in force filled in
	 * ({tasks}, {duration_ms}); NULL: the lab's own text. */
	const char *question;
	const char *choices[LAB_MAX_CHOICES];
};

/* The lab screen (or the too-small message, and the help overlay on top). */
void view_lab(struct canvas *c, const struct view_lab *v);
/* The menu: labs with id, title and question; sel is highlighted; prog
 * (may be NULL) marks labs done, predictions right or wrong and the next lab. */
void view_menu(struct canvas *c, const struct lab *labs, int n, int sel,
    const struct progress *prog, const char *message);
/* The settings screen's lines above the run list, in screen order (Up/Down
 * visit them, then the parameters 0 ...). */
enum {
	VIEW_SEL_TASKS = -4,		/* tasks per run (+ -) */
	VIEW_SEL_WORK = -3,		/* work per task ([ ]) */
	VIEW_SEL_CPUS = -2,
	VIEW_SEL_SLOW = -1,		/* slow motion */
};
/* What the settings screen shows. */
struct view_settings {
	const struct lab *lab;
	int tasks, work_ms;		/* the settings the keys change, 0 none */
	int next_tasks, next_work_ms;	/* their values for the next run, 0 none */
	int scroll;			/* first line of the run list */
	const char *message;		/* a status message, or NULL */
	int sel;			/* the selected line: a parameter's (0 ...)
					 * or one of VIEW_SEL_* */
	double slow;			/* the slow-motion factor (1 = none) */
	const char *cpus;		/* the CPUs the lab runs on ("0,1") */
	const char *entry;		/* a value being typed on sel, or NULL */
};
/* The settings screen: the settings, then each run's parameters with
 * value and default. */
void view_settings(struct canvas *c, const struct view_settings *v);
/* Lines in the settings screen's run list (for scrolling). */
int view_settings_lines(const struct lab *lab);
/* The run and parameter (indexes) on line i of the run list; false for a
 * run's header line or past the end. */
bool view_settings_param(const struct lab *lab, int i, int *run, int *param);
/* If the canvas is below w x h, draw the size message and return true. */
bool view_too_small(struct canvas *c, int w, int h);
/* The help overlay: keys and the legend explained, under the title bar
 * and over the key line; a short terminal gets it in two pages (page 0 the
 * keys, 1 the task states).  Returns the number of pages. */
int view_help(struct canvas *c, int page);
/* A run's band on the timeline: its own t = 0 and its end (now while it
 * runs); used is false for a run with no tasks. */
struct view_band {
	uint64_t start, end;	/* monotonic ns */
	uint64_t fstart, fend;	/* the same on the folded clock (trace_fold): the
				 * band is fend - fstart long, its pauses left out */
	bool used;
};
/* Each run's band (LAB_MAX_RUNS of them) as the timeline draws it at now. */
void view_find_bands(const struct view_lab *v, struct view_band *bands, uint64_t now);
/* Whether [a, e] meets a band (a mark or a pause there is drawn). */
bool view_band_overlaps(const struct view_band *bands, uint64_t a, uint64_t e);
/* The lab screen's legend from row y in h lines at most: the states and
 * every other glyph the screen can draw (the GIL lanes' holders, CPU
 * digits, pauses, marks; the busy shades where cores says the screen draws
 * the cores), never cut from 80 columns up. */
void view_legend_lab(struct canvas *c, const struct view_lab *v, bool cores, int x, int y,
    int w, int h);
/* What a GIL lane's letter is, as the lab legend says it after "GIL:":
 * the longest of its forms that fits room columns with "GIL:" (the
 * shortest where none does). */
const char *view_legend_lane_what(int room);
/* The lines (1..h) view_legend_lab uses: more than one only where one line
 * needs its tightest forms; h + 1 when h lines cannot hold it whole. */
int view_legend_lines(const struct canvas *c, const struct view_lab *v, bool cores, int w,
    int h);
/* The timeline of every task in the rectangle; returns the task rows there are. */
int view_timeline(struct canvas *c, const struct view_lab *v, int x, int y, int w,
    int h);
/* The rows the timeline would show unscrolled (a header per run, a row per task). */
int view_timeline_rows(const struct view_lab *v);
/* The rows (under its top line, over its axis) the timeline needs to show
 * at least `tasks` task rows (or every one) following the newest rows. */
int view_timeline_need(const struct view_lab *v, int tasks);
/* The timeline's name column at width w (its cells start after it). */
int view_timeline_name_width(const struct view_lab *v, int w);
/* The headline strip at row y, w wide, at most h rows: every headline in
 * full (wrapped, never cut), then the verdict in at most vrows rows (cut
 * with "... (l)": the reader has it whole); returns the rows used. */
int view_strip(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h,
    int vrows);
/* Rows view_strip would use at width w. */
int view_strip_rows(const struct canvas *c, const struct view_lab *v, int w, int vrows);
/* The lesson pane in the rectangle: the question and choices (asking for
 * a prediction, or beside the run), the explanation once finished (paged
 * by lesson_scroll), the tasks' output and the clients' figures beside. */
void view_lesson(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h);
/* Rows the question pane wants at width w (0: nothing to ask). */
int view_question_rows(const struct canvas *c, const struct view_lab *v, int w);
/* The lesson reader: the full explanation and the tries, paged. */
void view_reader(struct canvas *c, const struct view_lab *v);
/* The reader's page (the lines it shows at once: PgDn moves that many) and
 * its last first line (the scroll that shows the end). */
int view_reader_page(const struct canvas *c);
int view_reader_last(const struct canvas *c, const struct view_lab *v);
/* The cores as rows on the timeline's axis: for the run in progress (else
 * the selected one) each cell shaded by the CPU's busy share then, and who
 * is on each core now; h rows at most.  Without a series, view_cores. */
void view_core_rows(struct canvas *c, const struct view_lab *v, int x, int y, int w,
    int h);
/* A core's tasks now: the names of tasks in RUN whose last CPU is cpu,
 * space-separated; how many, and (first_len, may be NULL) the first's length. */
int view_core_tasks(const struct view_lab *v, int cpu, char *buf, size_t len,
    size_t *first_len);
/* The per-core bars and history in the rectangle. */
void view_cores(struct canvas *c, const struct view_lab *v, int x, int y, int w,
    int h);
/* The numbers table, one row per run. */
void view_numbers(struct canvas *c, const struct view_lab *v, int x, int y, int w,
    int h);
/* Glyph and colour of a task state. */
enum canvas_glyph view_state_glyph(int state);
int view_state_color(int state);

#endif
