/*
 * trace_screen: `conclab trace`'s live screen -- the lab screen's timeline,
 * cores and a legend of what it draws over a traced program's threads.  The
 * traced program is shown as the caller's lab of one run ("trace") built in
 * memory; the views draw into a canvas and ui puts it on the terminal, like
 * the dashboard.  The caller owns the frame rate: it draws between the
 * tracer's ticks, and once the program ended, until q.
 */
#include "trace_screen.h"

#include "canvas.h"
#include "clock.h"
#include "cpus.h"
#include "fmt.h"
#include "ownshare.h"
#include "sample.h"
#include "trace_table.h"
#include "ui.h"
#include "util.h"
#include "view.h"
#include "view_shade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct trace_screen {
	const struct trace *tr;
	const struct lab *lab;		/* one run, "trace" (the caller's) */
	struct canvas *cv;		/* NULL: headless (tests) */
	struct core_sampler *cores;
	struct ownshare *own;		/* the traced process's share, or NULL */
	char stat_path[256];		/* the cores' /proc/stat (a fixture's) */
	int cpu_ids[CPUS_MAX];
	int ncpu;
	uint64_t t0;
	char what[128];
	bool paused, ended, help;
	uint64_t shown_ns;		/* the picture's moment when paused or ended */
	char end_line[200];		/* how the program ended */
	char message[200];
	uint64_t message_until;
	const bool *hide;		/* the caller's, per trace slot */
	int nhidden;
	int unseen;		/* threads that ended before they were seen */
	bool lane;			/* a GIL lane is drawn */
};

static struct trace_screen *
screen_new(const struct trace *tr, const struct lab *lab, const char *what)
{
	struct trace_screen *ts = xcalloc(1, sizeof *ts);
	cpu_set_t set;

	ts->tr = tr;
	ts->t0 = clock_now_ns();
	util_strlcpy(ts->what, what, sizeof ts->what);
	ts->lab = lab;
	cpus_allowed(&set);
	for (int c = 0; c < CPUS_MAX && ts->ncpu < CPUS_MAX; c++)
		if (CPU_ISSET(c, &set))
			ts->cpu_ids[ts->ncpu++] = c;
	ts->cores = sample_cores_create(cpus_online(), NULL);
	return ts;
}

struct trace_screen *
trace_screen_headless(const struct trace *tr, const struct lab *lab, const char *what)
{
	return screen_new(tr, lab, what);
}

struct trace_screen *
trace_screen_open(const struct trace *tr, const struct lab *lab, const char *what,
    bool no_color, bool ascii, char *err, size_t errlen)
{
	struct trace_screen *ts;

	if (!ui_can_address(err, errlen))
		return NULL;
	ts = screen_new(tr, lab, what);
	if (ui_init(no_color, ascii) < 0) {
		util_err(err, errlen, "cannot draw on this terminal; use --headless");
		trace_screen_close(ts);
		return NULL;
	}
	ts->cv = canvas_create(80, 24, ui_ascii());
	return ts;
}

void
trace_screen_close(struct trace_screen *ts)
{
	if (ts == NULL)
		return;
	if (ts->cv != NULL) {
		ui_end();
		canvas_destroy(ts->cv);
	}
	sample_cores_destroy(ts->cores);
	ownshare_destroy(ts->own);
	free(ts);
}

void
trace_screen_end(struct trace_screen *ts, uint64_t end_ns, const char *line)
{
	ts->ended = true;
	ts->paused = false;
	ts->shown_ns = end_ns;
	util_strlcpy(ts->end_line, line, sizeof ts->end_line);
}

void
trace_screen_hide(struct trace_screen *ts, const bool *hide, int nhidden)
{
	ts->hide = hide;
	ts->nhidden = nhidden;
}

void
trace_screen_unseen(struct trace_screen *ts, int n)
{
	ts->unseen = n;
}

void
trace_screen_follow(struct trace_screen *ts, pid_t pid, const char *proc_root)
{
	if (ts == NULL)
		return;
	ownshare_destroy(ts->own);
	ts->own = ownshare_create(pid, cpus_online(), proc_root);
	if (proc_root != NULL) {	/* a fixture tree: its cores too */
		snprintf(ts->stat_path, sizeof ts->stat_path, "%s/stat", proc_root);
		sample_cores_destroy(ts->cores);
		ts->cores = sample_cores_create(cpus_online(), ts->stat_path);
	}
}

void
trace_screen_lane(struct trace_screen *ts, bool lane)
{
	ts->lane = lane;
}

void
trace_screen_say(struct trace_screen *ts, const char *msg)
{
	util_strlcpy(ts->message, msg, sizeof ts->message);
	ts->message_until = clock_now_ns() + 8 * CLOCK_NS_PER_S;
}

/* The legend of what this screen draws: the states a traced thread takes
 * (no failed, paused or mark: the tracer never writes them), the CPU on a
 * run stretch and, once there is one, what the GIL lane's letters are. */
static void
legend(struct canvas *c, int y, bool lane, bool own)
{
	static const int states[] = { TRACE_RUN, TRACE_READY, TRACE_LOCK, TRACE_IO,
		TRACE_DONE };
	int col = 0;

	/* the label only where every item fits after it (80 columns with the
	 * cores' shades and the GIL: not, and the GIL item is never cut) */
	if (!own || !lane || 8 + 35 + 23 + 4 + (int)strlen(view_legend_lane_what(0)) <= c->w)
		col += canvas_text(c, col, y, c->w - col, "legend: ", CC_DIM, 0);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(states); i++) {
		canvas_put(c, col, y, canvas_glyph(c, view_state_glyph(states[i])),
		    view_state_color(states[i]), 0);
		col += 2 + canvas_text(c, col + 1, y, c->w - col - 1,
		    trace_state_name(states[i]), CC_DEFAULT, 0);
	}
	if (col + 8 > c->w)
		return;
	canvas_put(c, col, y, canvas_glyph(c, CG_RUN), CC_RUN, 0);
	canvas_put(c, col + 1, y, '1', CC_RUN, CA_REVERSE | CA_BOLD);
	col += 3 + canvas_text(c, col + 2, y, 4, "=cpu", CC_DEFAULT, 0);
	/* the cores: the traced program's share solid, other programs' dotted
	 * (walk6 G9: a sleeping program sat under two full cores) */
	if (own && col + 23 <= c->w) {
		canvas_put(c, col, y, canvas_glyph(c, CG_SPARK0), CC_BAR, 0);
		canvas_put(c, col + 1, y, canvas_glyph(c, CG_BAR_FULL), CC_BAR, 0);
		col += 2 + canvas_text(c, col + 2, y, 7, "=traced", CC_DEFAULT, 0);
		canvas_put(c, col + 1, y, canvas_glyph(c, CG_OTHER0), CC_OTHER, 0);
		canvas_put(c, col + 2, y, canvas_glyph(c, (enum canvas_glyph)(CG_OTHER0 + 7)),
		    CC_OTHER, 0);
		col += 4 + canvas_text(c, col + 3, y, 6, "=other", CC_DEFAULT, 0);
	}
	if (!lane)
		return;
	/* what a letter is: the lab legend's words (walk 5 F11: "GIL:2=thread
	 * 2 alone on a core" over a lane of 1, 2 and 3) */
	canvas_printf(c, col, y, c->w - col, CC_DEFAULT, 0, "GIL:%s",
	    view_legend_lane_what(c->w - col));
}

static const char *const help_lines[] = {
	"conclab trace: keys",
	"",
	"p      pause the picture (tracing goes on); p again: live",
	"e      export: conclab-trace-HHMMSS.json (Chrome trace),",
	"       .csv and .svg in the current directory",
	"?      this help (any key closes it)",
	"q      stop tracing (a command started with -- gets SIGINT",
	"       and is waited for); once the program ended: leave",
	"",
	"run: on a core  ready: runnable, waiting for a core",
	"lock: blocked in futex (a mutex, a condition, the GIL)",
	"io: blocked in another system call  done: exited",
	"GIL lane: the one thread of the first process on a core",
	"while the others wait in futex, by the letter after its",
	"name; blank: none; &: several threads on cores at once",
	"(they ran at once: which one holds the GIL is not known)",
};

static void
draw_help(struct canvas *c)
{
	int n = (int)UTIL_ARRAY_LEN(help_lines), w = 62, x = (c->w - w) / 2;
	int y = UTIL_MAX(1, (c->h - n - 2) / 2);

	canvas_fill(c, x, y, w, n + 2, ' ', CC_DEFAULT, CA_REVERSE);
	for (int i = 0; i < n && y + 1 + i < c->h - 1; i++)
		canvas_text(c, x + 2, y + 1 + i, w - 4, help_lines[i], CC_DEFAULT,
		    CA_REVERSE | (i == 0 ? CA_BOLD : 0));
}

/* The title: the program (cut to its room), then its figures whole --
 * the longest form that leaves the program 28 columns (walk 3 #15: "4
 * threads (+2 of helpers, not shown)  1.5 s..." cut the time). */
static void
draw_title(const struct trace_screen *ts, struct canvas *c, uint64_t shown, int nthreads,
    double cost_pct)
{
	static const char head[] = " conclab trace  ";
	double t = (double)(shown - ts->t0) / 1e9;
	char tail[160];
	int room, wc;

	for (int k = 0; k < 3; k++) {
		int n = snprintf(tail, sizeof tail, "  %d threads", nthreads);

		if (ts->nhidden > 0)
			n += snprintf(tail + n, sizeof tail - (size_t)n, k == 0 ?
			    " (+%d of helpers, not shown)" : " (+%d helpers)", ts->nhidden);
		n += snprintf(tail + n, sizeof tail - (size_t)n, "  %.1f s", t);
		if (k < 2)
			snprintf(tail + n, sizeof tail - (size_t)n, k == 0 ?
			    "  tracer %.1f %% of a core" : "  tracer %.1f %%", cost_pct);
		if ((int)sizeof head - 1 + UTIL_MIN(fmt_cols(ts->what), 28) + fmt_cols(tail) <=
		    c->w)
			break;
	}
	canvas_fill(c, 0, 0, c->w, 1, ' ', CC_TITLE, CA_REVERSE);
	canvas_text(c, 0, 0, c->w, head, CC_TITLE, CA_REVERSE);
	room = c->w - (int)sizeof head + 1 - fmt_cols(tail);
	wc = canvas_text(c, (int)sizeof head - 1, 0, room, ts->what, CC_TITLE, CA_REVERSE);
	canvas_text(c, (int)sizeof head - 1 + wc, 0, -1, tail, CC_TITLE, CA_REVERSE);
}

/* Title, status (the end, a pause or a message), legend and keys. */
static void
draw_frame_text(struct trace_screen *ts, struct canvas *c, uint64_t shown, int nthreads,
    double cost_pct, bool own)
{
	int w = c->w, h = c->h;

	draw_title(ts, c, shown, nthreads, cost_pct);
	if (ts->message[0] != '\0' && clock_now_ns() < ts->message_until)
		canvas_text(c, 0, h - 3, w, ts->message, CC_WARN, CA_BOLD);
	else if (ts->ended)
		canvas_printf(c, 0, h - 3, w, CC_WARN, CA_BOLD, "%s; the last picture stays "
		    "until q", ts->end_line);
	else if (ts->paused)
		canvas_printf(c, 0, h - 3, w, CC_WARN, CA_BOLD, "PAUSED at %.1f s: the picture "
		    "stands still, tracing goes on (p: live)",
		    (double)(shown - ts->t0) / 1e9);
	else if (ts->unseen > 0) {
		char line[200];

		trace_table_unseen_line(ts->unseen, line, sizeof line);
		canvas_text(c, 0, h - 3, w, line, CC_DIM, 0);
	}
	legend(c, h - 2, ts->lane, own);
	canvas_text(c, 0, h - 1, w, ts->ended ? "e export  ? help  q quit" :
	    "p pause picture  e export  ? help  q or Ctrl-C stop tracing", CC_KEY, 0);
}

void
trace_screen_draw(struct trace_screen *ts, struct canvas *c, uint64_t now, int nthreads,
    double cost_pct)
{
	uint64_t shown = ts->ended || ts->paused ? ts->shown_ns : now;
	struct view_lab v;
	int rows, ncores = UTIL_MIN(ts->ncpu, 4);

	canvas_clear(c);
	if (!ts->ended && !ts->paused) {
		sample_cores(ts->cores);	/* the cores stand still with the picture */
		if (ts->own != NULL)
			ownshare_sample(ts->own, now);
	}
	memset(&v, 0, sizeof v);
	v.lab = ts->lab;
	v.tr = ts->tr;
	v.cores = ts->cores;
	v.cpu_ids = ts->cpu_ids;
	v.ncpu = ts->ncpu;
	v.now = shown;
	v.t_from = ts->t0;
	v.runs[0].state = ts->ended ? VIEW_RUN_FINISHED : VIEW_RUN_RUNNING;
	v.running = !ts->ended;
	v.fps = 10;
	v.scroll = -1;
	v.own_pid = (int)getpid();
	v.own_cpu_pct = -1;
	v.own = ts->own;	/* the traced program's share apart (walk6 G9) */
	v.hide = ts->hide;
	if (ts->ended)
		v.runs[0].wall_s = (double)(shown - ts->t0) / 1e9;
	if (view_too_small(c, VIEW_MIN_W, VIEW_MIN_H))
		return;
	rows = c->h - 4 - ncores;
	view_timeline(c, &v, 0, 1, c->w, rows);
	view_cores(c, &v, 0, c->h - 3 - ncores, c->w, ncores);
	draw_frame_text(ts, c, shown, nthreads, cost_pct, view_shade_own_known(&v));
	if (ts->help)
		draw_help(c);
}

enum trace_screen_ask
trace_screen_key(struct trace_screen *ts, int k, uint64_t now)
{
	if (ts->help) {		/* any key closes help */
		ts->help = false;
		return TRACE_SCREEN_NONE;
	}
	switch (k) {
	case 'q': case 'Q': case UI_KEY_ESC:
		return TRACE_SCREEN_QUIT;
	case '?': case 'h':
		ts->help = true;
		break;
	case 'p': case ' ':
		if (!ts->ended) {
			ts->paused = !ts->paused;
			ts->shown_ns = now;
		}
		break;
	case 'e':
		return TRACE_SCREEN_EXPORT;
	default:
		break;
	}
	return TRACE_SCREEN_NONE;
}

enum trace_screen_ask
trace_screen_frame(struct trace_screen *ts, uint64_t now, int nthreads, double cost_pct)
{
	enum trace_screen_ask ask = TRACE_SCREEN_NONE;
	int w = 80, h = 24, k;

	while (ask == TRACE_SCREEN_NONE && (k = ui_key()) != UI_KEY_NONE)
		ask = k == UI_KEY_HANGUP ? TRACE_SCREEN_HANGUP : trace_screen_key(ts, k, now);
	ui_size(&w, &h);
	if (w != ts->cv->w || h != ts->cv->h)
		canvas_resize(ts->cv, w, h);
	trace_screen_draw(ts, ts->cv, now, nthreads, cost_pct);
	ui_blit(ts->cv);
	return ask;
}
