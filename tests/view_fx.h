/* The view tests' fixture (check_view.c, check_view_timeline.c): a canned
 * two-run lab -- run "fib": fib-1 and fib-2 computing with a GIL lane
 * handing over between them; run "sleep": sleep-1 in io -- its trace and
 * cores, and the stored screens in tests/fixtures/screens/
 * (CONCLAB_UPDATE_SCREENS=1 rewrites them). */
#ifndef CONCLAB_TESTS_VIEW_FX_H
#define CONCLAB_TESTS_VIEW_FX_H

#include "testutil.h"

#include "canvas.h"
#include "clock.h"
#include "exec.h"
#include "lab.h"
#include "meter.h"
#include "sample.h"
#include "trace.h"
#include "view.h"

#include <ctype.h>

#define MS 1000000ULL

static const char lab_text[] =
    "[lab]\nid = canned\ntitle = A canned lab for screen tests\n"
    "question = Two threads compute and one sleeps. How long?\n"
    "choice = one second\nchoice = two seconds\nanswer = 1\n"
    "explain = The fib threads took {fib.wall_s} s on {cores} cores.\n"
    "[run fib]\nexecutor = threads\ntasks = 2\nwork = fib\nduration_ms = 1000\n"
    "[run sleep]\nexecutor = threads\ntasks = 1\nwork = sleep\nduration_ms = 1000\n";

struct fixture {
	struct trace *tr;
	struct lab lab;
	struct core_sampler *cs;
	int cpu_ids[2];
	struct view_lab v;
};

static inline void
set_at(struct trace *tr, int slot, int cpu, enum trace_state st, uint64_t ms, uint32_t arg)
{
	at_store_relaxed(&tr->tasks[slot].cpu, cpu);
	trace_set_state_at(tr, slot, st, tr->t0 + ms * MS, arg);
}

/* Run "fib": fib-1 runs on cpu 0, fib-2 runs on cpu 1 then waits for the
 * lock, a GIL lane hands over between them; run "sleep": sleep-1 in io. */
static inline void
fixture_init(struct fixture *f, bool finished)
{
	char err[256];
	struct trace *tr;
	int a, b, g, s;

	memset(f, 0, sizeof *f);
	f->tr = tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(tr);
	ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "canned.lab", exec_info,
	    &f->lab, err, sizeof err), 0);
	trace_mark(tr, TRACE_MARK_RUN, 0, tr->t0, "fib");
	a = trace_task_add(tr, 0, "fib-1", TRACE_KIND_TASK);
	b = trace_task_add(tr, 0, "fib-2", TRACE_KIND_TASK);
	g = trace_task_add(tr, 0, "gil", TRACE_KIND_LANE);
	set_at(tr, a, 0, TRACE_RUN, 0, 0);
	set_at(tr, b, 1, TRACE_RUN, 0, 0);
	set_at(tr, g, -1, TRACE_RUN, 0, (uint32_t)a + 1);
	set_at(tr, b, 1, TRACE_LOCK, 600, 0);
	set_at(tr, g, -1, TRACE_RUN, 900, (uint32_t)b + 1);
	set_at(tr, a, 0, TRACE_READY, 900, 0);
	set_at(tr, b, 1, TRACE_RUN, 900, 0);
	set_at(tr, a, 0, TRACE_RUN, 1400, 0);
	set_at(tr, g, -1, TRACE_RUN, 1400, (uint32_t)a + 1);
	set_at(tr, b, 1, TRACE_DONE, 1400, 0);
	set_at(tr, a, 0, TRACE_DONE, 2000, 0);
	set_at(tr, g, -1, TRACE_DONE, 2000, 0);
	trace_mark(tr, TRACE_MARK_RUN, 1, tr->t0 + 2000 * MS, "sleep");
	s = trace_task_add(tr, 1, "sleep-1", TRACE_KIND_TASK);
	set_at(tr, s, 1, TRACE_RUN, 2000, 0);
	set_at(tr, s, 1, TRACE_IO, 2050, 0);
	if (finished)
		set_at(tr, s, 1, TRACE_DONE, 3000, 0);

	f->cs = sample_cores_create(2, "/nonexistent");
	f->cs->busy[0] = 0.25;
	f->cs->busy[1] = 1.0;
	for (int i = 0; i < 8; i++) {
		f->cs->history[i] = (float)i / 8;
		f->cs->history[SAMPLE_HISTORY + i] = 1.0f - (float)i / 8;
	}
	f->cs->nhist = 8;
	f->cs->hpos = 8;
	f->cpu_ids[0] = 0;
	f->cpu_ids[1] = 1;

	f->v.lab = &f->lab;
	f->v.tr = tr;
	f->v.cores = f->cs;
	f->v.cpu_ids = f->cpu_ids;
	f->v.ncpu = 2;
	f->v.now = tr->t0 + 3100 * MS;
	f->v.t_from = tr->t0;
	f->v.runs[0] = (struct view_run){ VIEW_RUN_FINISHED, 2.0, 2.6, 1.3, NULL };
	f->v.runs[1] = (struct view_run){ finished ? VIEW_RUN_FINISHED : VIEW_RUN_RUNNING,
		1.1, 0.01, 0.01, NULL };
	f->v.running = !finished;
	f->v.finished = finished;
	f->v.explain = finished ? "The fib threads took 2.00 s on 2 cores." : NULL;
	f->v.tasks = 2;
	f->v.work_ms = 1000;
	f->v.own_cpu_pct = 0.5;
	f->v.fps = 10;
	f->v.scroll = -1;
}

static inline void
fixture_free(struct fixture *f)
{
	sample_cores_destroy(f->cs);
	lab_free(&f->lab);
	trace_destroy(f->tr);
}

static inline char *
read_all(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* Compare the canvas with screens/NAME (or write it when updating). */
static inline void
compare_screen(const struct canvas *c, const char *name)
{
	char rel[128], *got = canvas_to_string(c), *want;

	snprintf(rel, sizeof rel, "screens/%s", name);
	if (getenv("CONCLAB_UPDATE_SCREENS") != NULL) {
		FILE *fp = fopen(tu_fixture(rel), "w");

		ck_assert_ptr_nonnull(fp);
		fputs(got, fp);
		fclose(fp);
	}
	want = read_all(tu_fixture(rel));
	ck_assert_msg(want != NULL, "missing %s (CONCLAB_UPDATE_SCREENS=1 writes it)", rel);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "--- expected %s\n%s--- got\n%s", rel, want, got);
		ck_abort_msg("screen %s differs", rel);
	}
	free(got);
	free(want);
}

#endif
