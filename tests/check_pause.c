/* The presenter's pause on the time axis: a synthetic GIL run (two threads
 * taking 100 ms turns, a GIL lane, a time-sliced fib thread with schedstat
 * samples) paused for 10 s, or paused and stepped one switch.  The pause is
 * folded out: the band is as long as the run's time not paused, the cells
 * drawn before a pause do not change after it, and no state is charged for
 * the pause; nor are the cores' busy shares averaged over it. */
#include "testutil.h"

#include "canvas.h"
#include "exec.h"
#include "export.h"
#include "lab.h"
#include "trace.h"
#include "view.h"

#include <ctype.h>

#define MS 1000000ULL
#define W 58	/* 12 name columns + 46 cells: 50 ms cells for 1 s and for 2 s */
#define H 9

static const char lab_text[] =
    "[lab]\nid = paused\ntitle = A paused lab\nquestion = ?\nchoice = a\nchoice = b\n"
    "answer = 1\nexplain = x\n"
    "[run gil]\nexecutor = threads\ntasks = 3\nwork = fib\nduration_ms = 1000\n";

struct run {
	struct trace *tr;
	struct lab lab;
	struct view_lab v;
	uint64_t t0;
	int a, b, fib, gil;
};

static void
run_init(struct run *r)
{
	char err[256];

	memset(r, 0, sizeof *r);
	r->tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(r->tr);
	ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "paused.lab", exec_info,
	    &r->lab, err, sizeof err), 0);
	r->t0 = r->tr->t0 + MS;
	trace_mark(r->tr, TRACE_MARK_RUN, 0, r->t0, "gil");
	r->a = trace_task_add(r->tr, 0, "th-1", TRACE_KIND_TASK);
	r->b = trace_task_add(r->tr, 0, "th-2", TRACE_KIND_TASK);
	r->fib = trace_task_add(r->tr, 0, "fib-3", TRACE_KIND_TASK);
	r->gil = trace_task_add(r->tr, 0, "gil", TRACE_KIND_LANE);
	for (int s = 0; s < 4; s++)
		at_store_relaxed(&r->tr->tasks[s].start_ns, r->t0);
	trace_set_state_at(r->tr, r->fib, TRACE_RUN, r->t0, 0);
	r->v.lab = &r->lab;
	r->v.tr = r->tr;
	r->v.t_from = r->t0;
	r->v.runs[0].state = VIEW_RUN_RUNNING;
	r->v.running = true;
	r->v.scroll = -1;
	r->v.fps = 10;
}

static void
run_free(struct run *r)
{
	lab_free(&r->lab);
	trace_destroy(r->tr);
}

/* Thread `holder` takes the GIL at ms (the other waits for it). */
static void
turn(struct run *r, int holder, uint64_t ms)
{
	uint64_t ts = r->t0 + ms * MS;

	trace_set_state_at(r->tr, holder == 0 ? r->a : r->b, TRACE_RUN, ts, 0);
	trace_set_state_at(r->tr, holder == 0 ? r->b : r->a, TRACE_LOCK, ts, 0);
	trace_set_state_at(r->tr, r->gil, TRACE_RUN, ts,
	    (uint32_t)(holder == 0 ? r->a : r->b) + 1);
}

/* The sampler's fib-3 figures every 100 ms over [from, to) ms: on a core
 * two thirds of the time, or not at all while paused. */
static void
samples(struct run *r, uint64_t from, uint64_t to, bool paused)
{
	for (uint64_t ms = from + 100; ms <= to; ms += 100)
		trace_sched_add(r->tr, r->fib, r->t0 + ms * MS, paused ? 0 : 200 * MS / 3,
		    paused ? 0 : 100 * MS / 3);
}

/* 1 s of turns from ms, 100 ms each, thread k % 2 holding. */
static void
work(struct run *r, uint64_t ms, int first)
{
	for (int k = 0; k < 10; k++)
		turn(r, (first + k) % 2, ms + (uint64_t)k * 100);
	samples(r, ms, ms + 1000, false);
}

/* The timeline at now (the picture's clock, as the dashboard sets it). */
static char *
draw(struct run *r, uint64_t now_ms)
{
	struct canvas *c = canvas_create(W, H, true);
	char *s;

	r->v.now = r->t0 + now_ms * MS;
	view_timeline(c, &r->v, 0, 0, W, H);
	s = canvas_to_string(c);
	canvas_destroy(c);
	return s;
}

/* The cells of the row named name (from the name column on, after the
 * name and its GIL letter). */
static const char *
row(const char *screen, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof key, "\n%s ", name);
	p = strstr(screen, key);
	ck_assert_msg(p != NULL, "no row %s in\n%s", name, screen);
	return p + 1 + 12;
}

/* Cells drawn in the row (up to the end of the line, trailing blanks off). */
static int
row_len(const char *cells)
{
	int n = (int)(strchr(cells, '\n') - cells);

	while (n > 0 && cells[n - 1] == ' ')
		n--;
	return n;
}

static void
same_cells(const char *before, const char *after, int n)
{
	static const char *const names[] = { "th-1", "th-2", "fib-3", "GIL" };

	for (int i = 0; i < 4; i++)
		ck_assert_msg(strncmp(row(before, names[i]), row(after, names[i]),
		    (size_t)n) == 0, "%s changed:\n%s\n%s", names[i], before, after);
}

/* 1 s of work, a 10 s pause, 1 s of work: the band is 2 s (40 cells of
 * 50 ms), not 12 s; the first second's cells are the same during the pause
 * and after it; the pause is a glyph on the band's line; and the thread
 * that waited for the GIL through the pause is not charged lock for it. */
START_TEST(pause_is_folded_out)
{
	struct run r;
	char *paused, *midway, *after;
	const char *hdr;
	uint64_t lock;

	run_init(&r);
	work(&r, 0, 0);	/* th-2 holds the GIL from 900 ms, through the pause */
	trace_set_paused(r.tr, true, r.t0 + 1000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 1000 * MS, "paused");
	paused = draw(&r, 1000);
	samples(&r, 1000, 6000, true);
	midway = draw(&r, 6000);
	trace_set_paused(r.tr, false, r.t0 + 11000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 11000 * MS, "resumed");
	samples(&r, 6000, 11000, true);
	work(&r, 11000, 0);
	after = draw(&r, 12000);

	ck_assert_msg(row_len(row(paused, "th-1")) == 20, "%s", paused);
	ck_assert_msg(strstr(after, "cell=50ms") != NULL, "%s", after);
	ck_assert_msg(row_len(row(after, "th-1")) == 40, "%s", after);
	same_cells(paused, after, 20);
	/* the dashboard stops the picture's clock while paused; a clock that
	 * ran on would not move the picture either */
	same_cells(paused, midway, 46);
	hdr = row(after, "gil");
	ck_assert_msg(hdr[20] == '|' && strstr(hdr, "2.00 s, 10.0 s paused") != NULL, "%s",
	    after);
	/* th-1 waited for the GIL 500 ms before the pause, 10 s through it and
	 * 500 ms after: lock is the 1 s not paused */
	lock = trace_task_total(r.tr, r.a, TRACE_LOCK, r.t0 + 12000 * MS);
	ck_assert_msg(lock == 1000 * MS, "lock %.3f s", (double)lock / 1e9);
	free(paused);
	free(midway);
	free(after);
	run_free(&r);
}
END_TEST

/* Paused after 1 s, then s: 3 s later the GIL passes to th-1 within 3 ms
 * and the run is paused again 2 ms after.  The cells before the step stay
 * as they were; the band grows by the step's 5 ms alone (one cell more).
 * Its last turns (th-2's 100 ms before the pause and 3 ms after, th-1's
 * 2 ms) get the zoom at the right end, 10 ms a cell, left of which the
 * band's 21 cells stay in sight. */
START_TEST(step_changes_only_the_right_end)
{
	struct run r;
	char *before, *after;
	uint64_t pause2 = 4005;

	run_init(&r);
	r.v.paused = true;
	work(&r, 0, 0);
	trace_set_paused(r.tr, true, r.t0 + 1000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 1000 * MS, "paused");
	samples(&r, 1000, 4000, true);
	before = draw(&r, 1000);
	trace_set_paused(r.tr, false, r.t0 + 4000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 4000 * MS, "resumed");
	turn(&r, 0, 4003);
	trace_set_paused(r.tr, true, r.t0 + pause2 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + pause2 * MS, "paused");
	trace_sched_add(r.tr, r.fib, r.t0 + 4100 * MS, 3 * MS, 2 * MS);
	after = draw(&r, pause2);

	ck_assert_msg(strstr(after, "zoom 10ms/cell") != NULL, "%s", after);
	/* before: its 100 ms turns in two cells each, no zoom */
	ck_assert_msg(row_len(row(before, "th-1")) == 20 && strstr(before, "zoom") == NULL,
	    "%s", before);
	ck_assert_msg(row(after, "th-1")[20] != ' ' && row(after, "th-1")[21] == ' ', "%s",
	    after);
	same_cells(before, after, 20);
	free(before);
	free(after);
	run_free(&r);
}
END_TEST

/* The zoom's cells of the row named name (from the zoom's first cell: the
 * axis's "zoom" label starts there), n of them. */
static void
zoom_cells(const char *screen, const char *name, char *out, int n)
{
	const char *axis = strstr(screen, "\ncell=");
	const char *label = axis != NULL ? strstr(axis, "zoom") : NULL;

	ck_assert_msg(label != NULL, "no zoom in\n%s", screen);
	memcpy(out, row(screen, name) + (label - (axis + 1 + 12)), (size_t)n);
	out[n] = '\0';
}

/* Turns of 5 ms for ms (th-1 first), samples each 100 ms. */
static void
fast_work(struct run *r, uint64_t ms)
{
	for (uint64_t k = 0; k < ms / 5; k++)
		turn(r, (int)(k % 2), k * 5);
	samples(r, 0, ms, false);
}

/* A GIL run of 5 ms turns paused at 1 s (th-2 holds), then s: at 4 s it
 * resumes, th-1 takes the GIL 3 ms later, and it pauses 1 ms after.  At
 * 50 ms a cell the step is a fraction of the last cell; the zoom at the
 * right end draws the last turns at 1 ms a cell: th-2's 8 ms turn (5 before
 * the pause, 3 in the step), then th-1 -- the switch, under a pause glyph,
 * with th-1's row running where the lane says it holds the GIL and th-2's
 * waiting for it.  Nothing left of the zoom changes but the band's last
 * cell. */
START_TEST(step_draws_the_switch)
{
	struct run r;
	char *before, *after, gil0[16], gil1[16], a[16], b[16], hdr[16];

	run_init(&r);
	r.v.paused = true;
	fast_work(&r, 1000);
	trace_set_paused(r.tr, true, r.t0 + 1000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 1000 * MS, "paused");
	before = draw(&r, 1000);
	trace_set_paused(r.tr, false, r.t0 + 4000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 4000 * MS, "resumed");
	turn(&r, 0, 4003);
	trace_set_paused(r.tr, true, r.t0 + 4004 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 4004 * MS, "paused");
	after = draw(&r, 4004);

	/* 46 cells: the zoom is a blank and 14 cells of 1 ms */
	ck_assert_msg(strstr(before, "zoom 1ms/cell") != NULL, "%s", before);
	zoom_cells(before, "GIL", gil0, 14);
	zoom_cells(after, "GIL", gil1, 14);
	ck_assert_msg(strcmp(gil0, "22221111122222") == 0, "%s\n%s", gil0, before);
	ck_assert_msg(strcmp(gil1, "11111222222221") == 0, "%s\n%s", gil1, after);
	zoom_cells(after, "th-1", a, 14);
	zoom_cells(after, "th-2", b, 14);
	for (int i = 0; i < 14; i++) {
		const char *holder = gil1[i] == '1' ? a : b, *waiter = gil1[i] == '1' ? b : a;

		ck_assert_msg(holder[i] == '#' || isdigit((unsigned char)holder[i]), "%d: %s %s\n%s",
		    i, a, b, after);
		ck_assert_msg(waiter[i] == '=', "%d: %s %s\n%s", i, a, b, after);
	}
	/* the pauses on the band's line: where the step began, where it ended */
	zoom_cells(after, "gil", hdr, 14);
	ck_assert_msg(strcmp(hdr, "---------|---|") == 0, "%s\n%s", hdr, after);
	same_cells(before, after, 20);
	free(after);
	/* a short screen draws the holders on the band's line: the zoom too */
	r.v.fold_lanes = true;
	after = draw(&r, 4004);
	zoom_cells(after, "gil", hdr, 14);
	ck_assert_msg(strcmp(hdr, gil1) == 0, "%s\n%s", hdr, after);
	free(before);
	free(after);
	run_free(&r);
}
END_TEST

/* A band longer than the cells left of the zoom: those it shows are the
 * cells drawn without the zoom (fib-3, ended with its measured run-queue
 * wait, has it fit over the band's 40 cells, not over the 31 shown). */
START_TEST(zoom_keeps_the_cells_left_of_it)
{
	struct run r;
	char *plain, *zoomed;

	run_init(&r);
	fast_work(&r, 2000);
	trace_task_end_at(r.tr, r.fib, r.t0 + 1900 * MS, 1200 * MS, 700 * MS);
	trace_set_paused(r.tr, true, r.t0 + 2000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 2000 * MS, "paused");
	plain = draw(&r, 2000);
	r.v.paused = true;
	zoomed = draw(&r, 2000);
	ck_assert_msg(strstr(plain, "zoom") == NULL && row_len(row(plain, "th-1")) == 40,
	    "%s", plain);
	ck_assert_msg(strstr(zoomed, "zoom 1ms/cell") != NULL && row(zoomed, "th-1")[31] == ' ',
	    "%s", zoomed);
	same_cells(plain, zoomed, 31);
	free(plain);
	free(zoomed);
	run_free(&r);
}
END_TEST

/* A random GIL run on three threads (turns of 1 to 40 ms, a thread taking
 * it back now and then, the lock free a while), paused and stepped: at
 * every width, paused or not, wherever the GIL lane draws a holder its
 * thread's row is drawn running (or ready), never waiting for the lock;
 * at the end, the others wait. */
START_TEST(lane_and_rows_agree)
{
	static const char *const names[] = { "th-1", "th-2", "th-3" };
	unsigned seed = 14;

	for (int trial = 0; trial < 6; trial++) {
		char err[256];
		struct run r;
		int th[3], gil;
		uint64_t ms = 0;

		memset(&r, 0, sizeof r);
		r.tr = trace_create(err, sizeof err);
		ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "paused.lab", exec_info,
		    &r.lab, err, sizeof err), 0);
		r.t0 = r.tr->t0 + MS;
		trace_mark(r.tr, TRACE_MARK_RUN, 0, r.t0, "gil");
		for (int k = 0; k < 3; k++)
			th[k] = trace_task_add(r.tr, 0, names[k], TRACE_KIND_TASK);
		gil = trace_task_add(r.tr, 0, "gil", TRACE_KIND_LANE);
		for (int k = 0; k < 4; k++)
			at_store_relaxed(&r.tr->tasks[k].start_ns, r.t0);
		r.v = (struct view_lab){ .lab = &r.lab, .tr = r.tr, .t_from = r.t0,
		    .running = true, .scroll = -1, .fps = 10 };
		r.v.runs[0].state = VIEW_RUN_RUNNING;
		while (ms < 1500 + 500 * (uint64_t)trial) {
			int h = (int)(rand_r(&seed) % 3);
			uint64_t ts = r.t0 + ms * MS;

			for (int k = 0; k < 3; k++)
				trace_set_state_at(r.tr, th[k], k == h ? TRACE_RUN : TRACE_LOCK, ts, 0);
			if (rand_r(&seed) % 8 == 0)	/* free a while: nobody runs */
				trace_set_state_at(r.tr, gil, TRACE_NEW, ts, 0);
			else
				trace_set_state_at(r.tr, gil, TRACE_RUN, ts, (uint32_t)th[h] + 1);
			ms += 1 + rand_r(&seed) % 40;
			if (rand_r(&seed) % 16 == 0) {	/* a pause, or a step's */
				trace_set_paused(r.tr, true, r.t0 + ms * MS);
				trace_set_paused(r.tr, false, r.t0 + (ms + 700) * MS);
				ms += 700;
			}
		}
		trace_set_paused(r.tr, true, r.t0 + ms * MS);
		for (int paused = 0; paused < 2; paused++)
			for (int w = 58; w <= 200; w += 71) {
				struct canvas *c = canvas_create(w, H, true);
				const char *lane, *rows[3];
				char *s;

				r.v.paused = paused;
				r.v.now = r.t0 + ms * MS;
				view_timeline(c, &r.v, 0, 0, w, H);
				s = canvas_to_string(c);
				lane = row(s, "GIL");
				for (int k = 0; k < 3; k++)
					rows[k] = row(s, names[k]);
				for (int i = 0; lane[i] != '\n' && lane[i] != '\0'; i++) {
					int k = lane[i] - '1';
					bool end = lane[i + 1] == '\n' || lane[i + 1] == '\0';

					if (k < 0 || k > 2)
						continue;
					/* the end: the holder then alone runs */
					for (int j = 0; end && j < 3; j++)
						ck_assert_msg(j == k || rows[j][i] == '=',
						    "trial %d width %d end: GIL %c, %s %c\n%s", trial, w,
						    lane[i], names[j], rows[j][i], s);
					ck_assert_msg(rows[k][i] == '#' || rows[k][i] == '+' ||
					    isdigit((unsigned char)rows[k][i]),
					    "trial %d width %d cell %d: GIL %c, %s %c\n%s", trial, w, i,
					    lane[i], names[k], rows[k][i], s);
				}
				free(s);
				canvas_destroy(c);
			}
		run_free(&r);
	}
}
END_TEST

/* The cpu row's text at y of a core rows canvas (its name column on). */
static char *
core_row(struct run *r, const struct core_series *cs, uint64_t now_ms)
{
	struct canvas *c = canvas_create(W, 1, true);
	char *s;

	r->v.now = r->t0 + now_ms * MS;
	r->v.series = cs;
	view_core_rows(c, &r->v, 0, 0, W, 1);
	s = canvas_to_string(c);
	canvas_destroy(c);
	return s;
}

/* Walk 5 / issue 14 #3: stepping grew the cores row into the zoom's
 * columns and pushed "who is on this core now" off the row.  A GIL run
 * as long as the row (2.25 s at 50 ms a cell), paused, then stepped 8
 * times (each switch 5 ms later): the holder on cpu0 is named whole --
 * once the steps are zoomed, after the row, which ends where the
 * timeline's cells do.  With the row full (the first step, not zoomed:
 * the turn before was 100 ms; running on) the name moves into the row's
 * label ("0 th-2"). */
START_TEST(core_names_stay_whole_while_stepping)
{
	static const int cpu_ids[1] = { 0 };
	struct core_series *cs = export_series_create(1);
	struct run r;
	uint64_t ms = 2250;
	char *s;

	run_init(&r);
	r.v.cpu_ids = cpu_ids;
	r.v.ncpu = 1;
	for (uint64_t t = 0; t <= 2250; t += 100)
		export_series_add(cs, r.t0 + t * MS, (double[]){ 0.5 });
	for (int k = 0; k < 22; k++)
		turn(&r, k % 2, (uint64_t)k * 100);
	trace_set_state_cpu_at(r.tr, r.b, TRACE_RUN, r.t0 + 2100 * MS, 0);
	r.v.paused = true;
	for (int step = 0; step < 8; step++, ms += 5) {
		int h = step % 2;
		const char *name = h == 0 ? "th-1" : "th-2";

		trace_set_paused(r.tr, true, r.t0 + ms * MS);
		if (step > 0)
			trace_set_paused(r.tr, false, r.t0 + ms * MS + 1);
		turn(&r, h, ms + 1);
		trace_set_state_cpu_at(r.tr, h == 0 ? r.a : r.b, TRACE_RUN, r.t0 + (ms + 1) * MS,
		    0);
		trace_set_paused(r.tr, true, r.t0 + (ms + 2) * MS);
		s = core_row(&r, cs, ms + 2);
		/* whole (ASCII cuts with '.'); from the second step the turns
		 * are 5 ms apart and zoomed: after the row, which ends there */
		ck_assert_msg(strstr(s, name) != NULL && strchr(s, '.') == NULL &&
		    (step == 0 || strncmp(s, "cpu0", 4) == 0), "step %d: %s on cpu0, row:\n%s",
		    step, name, s);
		free(s);
		trace_set_paused(r.tr, false, r.t0 + (ms + 2) * MS + 1);
	}
	/* running on, the band the row's width: the name in the label */
	r.v.paused = false;
	s = core_row(&r, cs, ms + 2);
	ck_assert_msg(strncmp(s, "0 th-2", 6) == 0, "running, row full:\n%s", s);
	free(s);
	/* walk6 G17: two tasks seen on the core (a sample's lag) read as the
	 * first and how many more, not two names cut and glued */
	trace_set_state_cpu_at(r.tr, r.fib, TRACE_RUN, r.t0 + (ms + 3) * MS, 0);
	s = core_row(&r, cs, ms + 4);
	ck_assert_msg(strncmp(s, "0 th-2+1 ", 9) == 0 || strncmp(s, "0 fib-3+1 ", 10) == 0,
	    "two on the core:\n%s", s);
	free(s);
	export_series_destroy(cs);
	run_free(&r);
}
END_TEST

/* The run's mean busy share per core (JSON cores_busy) leaves the pause
 * out: busy 1.0 for 500 ms, then idle through a 500 ms pause, is 1.0. */
START_TEST(core_shares_leave_the_pause_out)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct core_series *cs = export_series_create(1);
	uint64_t t0;
	double busy, own;

	ck_assert_ptr_nonnull(tr);
	t0 = tr->t0;
	for (uint64_t ms = 0; ms <= 1000; ms += 100) {
		double b = ms <= 500 ? 1.0 : 0.0, o = ms <= 500 ? 0.5 : 0.0;

		export_series_add_shares(cs, t0 + ms * MS, &b, &o);
	}
	trace_set_paused(tr, true, t0 + 500 * MS);
	trace_set_paused(tr, false, t0 + 1000 * MS);
	ck_assert(export_series_mean(cs, NULL, 0, t0, t0 + 1000 * MS, &busy, &own));
	ck_assert_double_eq_tol(busy, 0.5, 1e-9);	/* the wall clock's mean */
	ck_assert(export_series_mean(cs, tr, 0, t0, t0 + 1000 * MS, &busy, &own));
	ck_assert_double_eq_tol(busy, 1.0, 1e-9);
	ck_assert_double_eq_tol(own, 0.5, 1e-9);
	export_series_destroy(cs);
	trace_destroy(tr);
}
END_TEST

/* Paused, the pause is at the band's right end, where the run's figures
 * are written over a long band: its glyph stays in sight, at their left. */
START_TEST(pause_glyph_not_under_the_figures)
{
	struct run r;
	struct canvas *c = canvas_create(40, H, true);
	char *s;
	const char *hdr;

	run_init(&r);
	work(&r, 0, 0);
	trace_set_paused(r.tr, true, r.t0 + 1000 * MS);
	trace_mark(r.tr, TRACE_MARK_NOTE, -1, r.t0 + 1000 * MS, "paused");
	r.v.now = r.t0 + 1000 * MS;
	r.v.runs[0].cores = 1.5;	/* " 1.00 s, 1.50 cores busy" over 16 of 20 cells */
	view_timeline(c, &r.v, 0, 0, 40, H);
	s = canvas_to_string(c);
	hdr = row(s, "gil");
	ck_assert_msg(memchr(hdr, '|', 28) != NULL && strstr(hdr, "1.50 cores busy") != NULL,
	    "%s", s);
	free(s);
	canvas_destroy(c);
	run_free(&r);
}
END_TEST

/* walk6 G6: a pause before the run's start (gil-old's serial baseline,
 * which a pause does not stop) is not the run's: its wall and paused_s
 * count only the pauses within its span, the part after t_start of one
 * that spans it. */
START_TEST(pause_before_the_run_start_is_not_its)
{
	struct run r;
	struct run_result res;
	struct exec_env env;
	struct run_ctx rc;

	run_init(&r);
	memset(&res, 0, sizeof res);
	memset(&env, 0, sizeof env);
	env.tr = r.tr;
	rc = (struct run_ctx){ .env = &env, .res = &res, .paused0_ns = 0 };
	trace_set_paused(r.tr, true, r.t0 + 1000 * MS);	/* during the baseline */
	trace_set_paused(r.tr, false, r.t0 + 3000 * MS);
	trace_set_paused(r.tr, true, r.t0 + 6000 * MS);	/* during the threads */
	trace_set_paused(r.tr, false, r.t0 + 6500 * MS);
	res.t_start = r.t0 + 5000 * MS;
	res.t_end = r.t0 + 8000 * MS;
	ck_assert_uint_eq(exec_paused_ns(&rc), 500 * MS);
	ck_assert(exec_wall_s(&rc) > 2.49 && exec_wall_s(&rc) < 2.51);
	res.t_start = r.t0 + 2000 * MS;	/* inside the first pause: its second half */
	ck_assert_uint_eq(exec_paused_ns(&rc), 1500 * MS);
	run_free(&r);
}
END_TEST

static Suite *
pause_suite(void)
{
	Suite *s = suite_create("pause");
	TCase *tc = tcase_create("pause");

	tcase_add_test(tc, pause_is_folded_out);
	tcase_add_test(tc, step_changes_only_the_right_end);
	tcase_add_test(tc, step_draws_the_switch);
	tcase_add_test(tc, lane_and_rows_agree);
	tcase_add_test(tc, core_names_stay_whole_while_stepping);
	tcase_add_test(tc, zoom_keeps_the_cells_left_of_it);
	tcase_add_test(tc, core_shares_leave_the_pause_out);
	tcase_add_test(tc, pause_glyph_not_under_the_figures);
	tcase_add_test(tc, pause_before_the_run_start_is_not_its);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(pause_suite)
