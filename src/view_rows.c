/*
 * view_rows: the timeline's display rows -- each run's band header, its
 * tasks, then its lock lanes -- and which of them a window of visible rows
 * shows: following the newest, or scrolled, with a band's header pinned
 * above the rows of a band scrolled into.  The layout asks how many rows
 * show 8 task rows.
 */
#include "trace.h"
#include "util.h"
#include "view.h"
#include "view_int.h"

#include <stdlib.h>

/* The lock lane drawn on run's header line (fold_lanes): the band's first
 * one shown; -1 for none. */
int
view_band_lane(const struct view_lab *v, int run)
{
	int ntasks = trace_ntasks(v->tr);

	for (int j = 0; v->fold_lanes && j < ntasks; j++) {
		const struct trace_task *u = trace_task(v->tr, j);

		if (u != NULL && u->run == run && u->kind == TRACE_KIND_LANE &&
		    (v->hide == NULL || !v->hide[j]))
			return j;
	}
	return -1;
}

/* The display rows in order: each run's header, its tasks, then its lock
 * lanes (a lane found late -- real CPython's, added when a holder first
 * shows -- still sits under the threads, as in simulated runs; with
 * fold_lanes the first is on the header's line).  Returns the
 * count (at most max when rows is not NULL). */
int
view_rows_list(const struct view_lab *v, int *rows, int max)
{
	int ntasks = trace_ntasks(v->tr), n = 0, folded;
	bool seen[LAB_MAX_RUNS] = { false };

	for (int i = 0; i < ntasks; i++) {
		const struct trace_task *t = trace_task(v->tr, i);
		bool banded = t != NULL && t->run >= 0 && t->run < LAB_MAX_RUNS;

		if (t == NULL || (banded && seen[t->run]))
			continue;
		if (!banded) {
			if (rows != NULL && n < max)
				rows[n] = i;
			n++;
			continue;
		}
		seen[t->run] = true;
		if (rows != NULL && n < max)
			rows[n] = VIEW_ROW_HEADER(t->run);
		n++;
		folded = view_band_lane(v, t->run);	/* on the header's line */
		for (int lanes = 0; lanes < 2; lanes++)
			for (int j = i; j < ntasks; j++) {
				const struct trace_task *u = trace_task(v->tr, j);

				if (u == NULL || u->run != t->run ||
				    (u->kind == TRACE_KIND_LANE) != (lanes == 1) ||
				    (v->hide != NULL && v->hide[j]) || j == folded)
					continue;
				if (rows != NULL && n < max)
					rows[n] = j;
				n++;
			}
	}
	return n;
}

int
view_timeline_rows(const struct view_lab *v)
{
	return view_rows_list(v, NULL, 0);
}

/* The first row shown in visible rows: the newest rows when following
 * (scroll < 0), else the scroll.  A band scrolled into shows its header
 * pinned on the first line (*sticky) and its rows from the first one under
 * it (the header never covers a row): following the newest rows, they move
 * up one. */
int
view_rows_first(const int *rows, int nrows, int scroll, int visible, bool *sticky)
{
	int first = scroll < 0 ? nrows - visible : scroll;

	first = UTIL_MAX(0, UTIL_MIN(first, nrows - visible));
	*sticky = nrows > 0 && rows[first] >= 0 && visible > 1;
	if (*sticky && first + visible - 1 < nrows && (scroll < 0 || scroll > first))
		first++;
	*sticky = nrows > 0 && rows[first] >= 0 && visible > 1;
	return first;
}

int
view_timeline_need(const struct view_lab *v, int tasks)
{
	int nrows = view_rows_list(v, NULL, 0), *rows, visible, total = 0;

	if (nrows == 0)
		return 1;
	rows = xmalloc(sizeof *rows * (size_t)nrows);
	view_rows_list(v, rows, nrows);
	for (int r = 0; r < nrows; r++)
		total += trace_task_is(v->tr, rows[r], TRACE_KIND_TASK);
	tasks = UTIL_MIN(tasks, total);
	for (visible = 1; visible < nrows; visible++) {
		bool sticky;
		int first = view_rows_first(rows, nrows, -1, visible, &sticky), shown = 0;

		for (int r = first; r < nrows && r < first + visible - sticky; r++)
			shown += trace_task_is(v->tr, rows[r], TRACE_KIND_TASK);
		if (shown >= tasks)
			break;
	}
	free(rows);
	return visible;
}
