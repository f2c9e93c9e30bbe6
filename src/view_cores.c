/*
 * view_cores: the cores as rows on the timeline's axis (the run in
 * progress, else the last one): each cell shaded by the CPU's busy share,
 * and who is on each core now -- after the row where the name fits whole,
 * else in the row's label, so a band that fills the row (or a step that
 * grows it) never cuts the name.  While a paused GIL run is zoomed
 * (view_step.c) the rows end where the timeline's cells do.
 */
#include "fmt.h"
#include "util.h"
#include "view.h"
#include "view_int.h"
#include "view_shade.h"

#include <stdio.h>

/* Core k's label in the name column (name_w - 1 wide): "cpu0", or where
 * the task on it has no room after the row, its number and that name
 * ("0 thread-1", cut in the middle) so the name stays readable; several
 * tasks seen on it (a sample's lag) read "0 fib-197+1": the first whole
 * where it fits and how many more, never two names cut and glued. */
static void
core_label(struct canvas *c, const struct view_lab *v, int k, int x, int y, int name_w,
    const char *who, int ntasks, size_t first_len)
{
	int id = v->cpu_ids != NULL ? v->cpu_ids[k] : k, len, more_w = 0;
	char num[16], cut[128], more[16] = "";

	if (who == NULL || who[0] == '\0') {
		canvas_printf(c, x, y, name_w - 1, CC_DIM, 0, "cpu%d", id);
		return;
	}
	len = snprintf(num, sizeof num, "%d ", id);
	if (ntasks > 1 && fmt_cols(who) > name_w - 1 - len)
		more_w = snprintf(more, sizeof more, "+%d", ntasks - 1);
	if (more_w > 0) {
		char first[128];

		snprintf(first, sizeof first, "%.*s", (int)first_len, who);
		fmt_cut_middle(cut, sizeof cut, first, name_w - 1 - len - more_w, c->ascii);
		util_appendf(cut, sizeof cut, "%s", more);
	} else {
		fmt_cut_middle(cut, sizeof cut, who, name_w - 1 - len, c->ascii);
	}
	canvas_text(c, x, y, len, num, CC_DIM, 0);
	canvas_text(c, x + len, y, name_w - 1 - len, cut, CC_RUN, 0);
}

void
view_core_rows(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	const struct core_series *cs = v->series;
	int name_w = view_timeline_name_width(v, w), cols = w - name_w, run = -1, n;
	struct view_band bands[LAB_MAX_RUNS];
	struct view_zoom z;
	uint64_t bucket;

	if (cs == NULL || cs->n == 0 || cols < 10) {
		view_cores(c, v, x, y, w, h);
		return;
	}
	view_find_bands(v, bands, v->now);
	bucket = view_fit_bucket(bands, cols);
	/* the run in progress, else the last one (as the timeline follows it) */
	for (int r = 0; r < LAB_MAX_RUNS; r++)
		if (bands[r].used && (run < 0 || v->runs[run].state != VIEW_RUN_RUNNING))
			run = r;
	if (run < 0) {
		view_cores(c, v, x, y, w, h);
		return;
	}
	n = view_band_cells(&bands[run], cols, bucket);
	/* a paused GIL run's zoom (view_step.c) covers the band's last cells
	 * on the timeline: the rows end where its cells do, and the names of
	 * what is on each core take the zoom's columns (a step grew the rows
	 * into them) */
	view_zoom_find(v, bands, cols, bucket, &z);
	if (z.run == run)
		n = UTIL_MIN(n, cols - z.w);
	for (int k = 0; k < cs->ncpu && k < h; k++) {
		char who[128] = "";
		size_t first_len = 0;
		int ntasks = 0;
		bool after;

		if (v->running && v->cpu_ids != NULL)
			ntasks = view_core_tasks(v, v->cpu_ids[k], who, sizeof who, &first_len);
		/* the name after the row where it fits whole, else in the label */
		after = fmt_cols(who) + 1 <= cols - n;
		core_label(c, v, k, x, y + k, name_w, after ? NULL : who, ntasks, first_len);
		/* the lab's share solid, other programs' dotted */
		view_shade_row(c, v->tr, cs, k, x + name_w, y + k, n, bands[run].fstart, bucket);
		if (v->running && v->cpu_ids != NULL) {
			if (after)
				canvas_text(c, x + name_w + n + 1, y + k, cols - n - 1, who, CC_RUN, 0);
		} else if (n + 15 < cols) {
			/* the core's whole share (walk 13: other programs'
			 * too), the lab's part of it over the run drawn */
			view_shade_note(c, v->tr, cs, k, x + name_w + n + 1, y + k,
			    cols - n - 1, bands[run].start, bands[run].end);
		}
	}
}
