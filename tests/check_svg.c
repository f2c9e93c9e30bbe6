/* The SVG's GIL row and thread rows agree as the timeline's do: the
 * holder the GIL row names in a pixel is never drawn waiting for the lock
 * there, and where a pause began (a step's end) the GIL row names the
 * holder at that instant and the others are not drawn running. */
#include "testutil.h"

#include "clock.h"
#include "exec.h"
#include "export.h"

/* The SVG of info, as a string to free. */
static __attribute__((noinline)) char *
svg_of(const struct report_info *info)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	export_svg(f, info, NULL);
	fclose(f);
	return buf;
}

/* A <rect> of the SVG: its class, data-task and data-holder, x, width. */
struct svg_rect {
	char cls[16], task[48], holder[48];
	double x, w;
};

/* The SVG's <rect>s that have a data-task (at most max). */
static int
svg_rects(const char *svg, struct svg_rect *out, int max)
{
	int n = 0;

	for (const char *p = svg; (p = strstr(p, "<rect class=\"")) != NULL && n < max; p++) {
		struct svg_rect *r = &out[n];
		const char *end = strchr(p, '>'), *q;

		memset(r, 0, sizeof *r);
		if (sscanf(p, "<rect class=\"%15[^\"]\" data-task=\"%47[^\"]\"", r->cls,
		    r->task) != 2)
			continue;
		ck_assert(sscanf(strstr(p, " x="), " x=\"%lf\"", &r->x) == 1);
		ck_assert(sscanf(strstr(p, "width="), "width=\"%lf\"", &r->w) == 1);
		q = strstr(p, "data-holder=\"");
		if (q != NULL && q < end)
			ck_assert(sscanf(q, "data-holder=\"%47[^\"]\"", r->holder) == 1);
		n++;
	}
	return n;
}

/* The class of task's rect covering x, or "". */
static const char *
svg_class_at(const struct svg_rect *rs, int n, const char *task, double x)
{
	for (int i = 0; i < n; i++)
		if (strcmp(rs[i].task, task) == 0 && x >= rs[i].x && x < rs[i].x + rs[i].w)
			return rs[i].cls;
	return "";
}

/* The holder of the GIL row's rect covering x, or "". */
static const char *
svg_holder_at(const struct svg_rect *rs, int n, double x)
{
	for (int i = 0; i < n; i++)
		if (strcmp(rs[i].cls, "held") == 0 && x >= rs[i].x && x < rs[i].x + rs[i].w)
			return rs[i].holder;
	return "";
}

/* The SVG's GIL row and thread rows agree, as the timeline's do
 * (check_pause lane_and_rows_agree): random turns of 1-40 ms among three
 * threads, the lock sometimes free, pauses (a step's end) between turns.
 * A thread the GIL row names as holder is never drawn waiting for the lock
 * under it, and where a pause began the others are not drawn running. */
START_TEST(svg_lane_and_rows_agree)
{
	static const char lab_text[] =
	    "[lab]\nid = agree\ntitle = t\nquestion = ?\nchoice = a\nchoice = b\n"
	    "answer = 1\nexplain = x\n[run gil]\nexecutor = gil\ntasks = 3\nwork = fib\n"
	    "duration_ms = 1000\n";
	static const char *const names[] = { "gil/th-1", "gil/th-2", "gil/th-3" };
	const uint64_t ms = CLOCK_NS_PER_MS;
	unsigned seed = 14;

	for (int trial = 0; trial < 4; trial++) {
		struct lab lab;
		struct trace *tr;
		struct report_info info;
		struct run_result *res = calloc(LAB_MAX_RUNS, sizeof *res);
		struct svg_rect *rs = calloc(20000, sizeof *rs);
		char err[256], *svg;
		int th[3], gil, n, held = 0, steps = 0, npause = 0, at_pause[64];
		uint64_t t0, t, paused = 0;

		memset(&lab, 0, sizeof lab);
		memset(&info, 0, sizeof info);
		ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "agree.lab", exec_info,
		    &lab, err, sizeof err), 0);
		tr = trace_create(err, sizeof err);
		t0 = t = tr->t0 + ms;
		trace_mark(tr, TRACE_MARK_RUN, 0, t0, "gil");
		for (int k = 0; k < 3; k++) {
			th[k] = trace_task_add(tr, 0, names[k] + 4, TRACE_KIND_TASK);
			trace_task_begin_at(tr, th[k], 1, 2 + k, t0, TRACE_LOCK, 0);
		}
		gil = trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
		at_store_relaxed(&tr->tasks[gil].start_ns, t0);
		for (int next = -1; t - paused < t0 + (1500 + 500 * (uint64_t)trial) * ms;) {
			/* after a pause another thread's short turn: the pause's cell
			 * then has two holders, and its instant names the first */
			int h = next >= 0 ? next : (int)(rand_r(&seed) % 3);
			bool free_now = next < 0 && rand_r(&seed) % 8 == 0;	/* nobody holds it */

			for (int k = 0; k < 3; k++)
				trace_set_state_at(tr, th[k], k == h && !free_now ? TRACE_RUN :
				    TRACE_LOCK, t, 0);
			trace_set_state_at(tr, gil, free_now ? TRACE_NEW : TRACE_RUN, t,
			    free_now ? 0 : (uint32_t)th[h] + 1);
			t += (next >= 0 ? 1 : 1 + rand_r(&seed) % 40) * ms;
			/* a pause, or a step's end (one a cell: a cell names one instant's holder) */
			if (next < 0 && rand_r(&seed) % 16 == 0 && npause < 64) {
				next = (h + 1) % 3;
				at_pause[npause++] = free_now ? -1 : h;
				trace_set_paused(tr, true, t);
				trace_set_paused(tr, false, t + 700 * ms);
				t += 700 * ms;
				paused += 700 * ms;
			} else {
				next = -1;
			}
		}
		for (int k = 0; k < 3; k++)
			trace_task_end_at(tr, th[k], t, 0, 0);
		trace_set_state_at(tr, gil, TRACE_DONE, t, 0);
		res[0].finished = true;
		res[0].t_start = t0;
		res[0].t_end = t;
		res[0].wall_s = (double)(trace_fold(tr, t) - trace_fold(tr, t0)) / 1e9;
		info.lab = &lab;
		info.results = res;
		info.tr = tr;
		svg = svg_of(&info);
		n = svg_rects(svg, rs, 20000);
		for (int i = 0; i < n; i++) {
			if (strcmp(rs[i].cls, "held") != 0)
				continue;
			held++;
			/* every thread rect under the holder's stretch */
			for (int j = 0; j < n; j++)
				if (strcmp(rs[j].task, rs[i].holder) == 0 &&
				    rs[j].x < rs[i].x + rs[i].w - 1e-3 && rs[j].x + rs[j].w > rs[i].x + 1e-3)
					ck_assert_msg(strcmp(rs[j].cls, "run") == 0 ||
					    strcmp(rs[j].cls, "ready") == 0, "trial %d: GIL held by %s over "
					    "x %.2f-%.2f, its row %s over x %.2f-%.2f", trial, rs[i].holder,
					    rs[i].x, rs[i].x + rs[i].w, rs[j].cls, rs[j].x, rs[j].x + rs[j].w);
		}
		/* where each pause began: the holder at that instant, the others
		 * not running (a step's end) */
		for (const char *p = svg; (p = strstr(p, "<line class=\"pause\" x1=\"")) != NULL;
		    p++, steps++) {
			double x = strtod(p + strlen("<line class=\"pause\" x1=\""), NULL) - 1e-3;
			int h;

			ck_assert_int_lt(steps, npause);
			h = at_pause[steps];
			if (h < 0)
				continue;	/* free when it paused */
			ck_assert_msg(strcmp(svg_class_at(rs, n, "gil/GIL", x), "held") == 0 &&
			    strcmp(svg_holder_at(rs, n, x), names[h]) == 0, "trial %d: paused at x "
			    "%.2f with %s holding, the GIL row says %s", trial, x, names[h],
			    svg_holder_at(rs, n, x));
			for (int k = 0; k < 3; k++)
				ck_assert_msg(k == h || strcmp(svg_class_at(rs, n, names[k], x), "run") != 0,
				    "trial %d: paused at x %.2f with %s holding, %s drawn running",
				    trial, x, names[h], names[k]);
		}
		ck_assert_int_eq(steps, npause);
		fprintf(stderr, "svg lane: trial %d, %d held stretches, %d pauses\n", trial, held,
		    steps);
		ck_assert_int_gt(held, 40);
		free(svg);
		free(rs);
		free(res);
		trace_destroy(tr);
		lab_free(&lab);
	}
}
END_TEST

static Suite *
svg_suite(void)
{
	Suite *s = suite_create("svg");
	TCase *tc = tcase_create("svg");

	tcase_add_test(tc, svg_lane_and_rows_agree);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(svg_suite)
