/*
 * view_timeline: one row per task, time flowing right.  Each cell is a
 * bucket of a "nice" width (1, 2 or 5 x 10^k ms) chosen so the whole lab so
 * far fits; a cell shows the state that filled most of it (glyph + colour),
 * run segments carry the CPU number where they are long enough, a row above
 * marks where each run started, and an axis below gives the scale.  Lock
 * lanes (the simulated GIL) show which task holds the lock.
 */
#include "clock.h"
#include "fmt.h"
#include "trace.h"
#include "util.h"
#include "view.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BUCKET_NS 10000000ULL	/* 10 ms */
#define NAME_W_MIN 12
#define NAME_W_PID 18	/* with worker pids */

enum canvas_glyph
view_state_glyph(int state)
{
	switch (state) {
	case TRACE_RUN: return CG_RUN;
	case TRACE_READY: return CG_READY;
	case TRACE_LOCK: return CG_LOCK;
	case TRACE_IO: return CG_IO;
	case TRACE_DONE: return CG_DONE;
	case TRACE_FAILED: return CG_FAILED;
	default: return CG_NEW;
	}
}

int
view_state_color(int state)
{
	switch (state) {
	case TRACE_RUN: return CC_RUN;
	case TRACE_READY: return CC_READY;
	case TRACE_LOCK: return CC_LOCK;
	case TRACE_IO: return CC_IO;
	case TRACE_DONE: return CC_DONE;
	case TRACE_FAILED: return CC_FAILED;
	default: return CC_DEFAULT;
	}
}

/* The smallest 1/2/5 x 10^k ns at least ns (and at least 10 ms). */
static uint64_t
nice_ns(uint64_t ns)
{
	uint64_t b = MIN_BUCKET_NS / 10;

	for (;;) {
		if (b >= ns && b >= MIN_BUCKET_NS)
			return b;
		if (b * 2 >= ns && b * 2 >= MIN_BUCKET_NS)
			return b * 2;
		if (b * 5 >= ns && b * 5 >= MIN_BUCKET_NS)
			return b * 5;
		b *= 10;
	}
}

static void
format_time(uint64_t ns, char *buf, size_t len)
{
	if (ns == 0)
		snprintf(buf, len, "0");
	else if (ns >= CLOCK_NS_PER_S && ns % CLOCK_NS_PER_S == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / CLOCK_NS_PER_S));
	else if (ns >= CLOCK_NS_PER_S)
		snprintf(buf, len, "%.1fs", (double)ns / 1e9);
	else
		snprintf(buf, len, "%llums", (unsigned long long)(ns / 1000000ULL));
}

/* The axis: tick labels every `step` ns. */
static void
draw_axis(struct canvas *c, int x, int y, int w, uint64_t bucket)
{
	uint64_t step = nice_ns(bucket * 10);
	int last_end = -1;

	canvas_fill(c, x, y, w, 1, canvas_glyph(c, CG_HLINE), CC_DIM, 0);
	for (uint64_t t = 0;; t += step) {
		int col = (int)(t / bucket);
		char lab[16];

		if (col >= w)
			break;
		if (col <= last_end)
			continue;
		format_time(t, lab, sizeof lab);
		canvas_put(c, x + col, y, canvas_glyph(c, CG_TICK), CC_DIM, 0);
		last_end = col + canvas_text(c, x + col + 1, y, w - col - 1, lab, CC_DIM, 0);
	}
}

/* The marker row: a marker and the run name where each run started. */
static void
draw_marks(struct canvas *c, const struct view_lab *v, int x, int y, int w,
    uint64_t t_from, uint64_t bucket)
{
	int n = trace_nmarks(v->tr);

	for (int i = 0; i < n; i++) {
		const struct trace_mark *m = trace_get_mark(v->tr, i);
		int col, end = w, color, len;

		if (m == NULL || m->ts < t_from)
			continue;
		col = (int)((m->ts - t_from) / bucket);
		if (col >= w && m->ts <= v->now)
			col = w - 1;	/* a marker dropped at the picture's last instant */
		if (col >= w)
			continue;
		/* The label runs up to the nearest mark to the right (marks are
		 * not added in time order: notes, presenter markers). */
		for (int j = 0; j < n; j++) {
			const struct trace_mark *m2 = trace_get_mark(v->tr, j);
			int c2;

			if (j == i || m2 == NULL || m2->ts < t_from)
				continue;
			c2 = (int)((m2->ts - t_from) / bucket);
			if (c2 > col && c2 < end)
				end = c2;
		}
		/* Runs in the marker colour, the lab's notes dim, presenter markers warn. */
		color = m->kind == TRACE_MARK_USER ? CC_WARN :
		    m->kind == TRACE_MARK_NOTE ? CC_DIM : CC_MARK;
		canvas_put(c, x + col, y, canvas_glyph(c, CG_MARK), color, CA_BOLD);
		len = (int)strlen(m->text);
		/* A later mark in the same cell draws its own label instead. */
		for (int j = i + 1; j < n; j++) {
			const struct trace_mark *m2 = trace_get_mark(v->tr, j);

			if (m2 != NULL && m2->ts >= t_from &&
			    UTIL_MIN((int)((m2->ts - t_from) / bucket), w - 1) == col)
				len = 0;
		}
		if (len == 0)
			continue;
		if (end - col - 2 >= UTIL_MIN(len, 4) || col < len + 1) {
			if (end - col - 2 > 0)
				canvas_text(c, x + col + 1, y, UTIL_MIN(end - col - 2, w - col - 1),
				    m->text, color, m->kind == TRACE_MARK_USER ? CA_BOLD : 0);
		} else {
			/* No room on the right (the picture's edge): label on the left. */
			canvas_text(c, x + col - len, y, len, m->text, color,
			    m->kind == TRACE_MARK_USER ? CA_BOLD : 0);
		}
	}
}

/* One lock lane: the holder's last name character where it is held. */
static void
draw_lane(struct canvas *c, const struct view_lab *v, int x, int y, int w,
    const uint8_t *st, const int16_t *cpu)
{
	for (int b = 0; b < w; b++) {
		const struct trace_task *h;
		size_t len;

		if (st[b] != TRACE_RUN || cpu[b] <= 0)
			continue;
		h = trace_task(v->tr, cpu[b] - 1);
		len = h != NULL ? strlen(h->name) : 0;
		canvas_put(c, x + b, y, len > 0 ? (unsigned char)h->name[len - 1] : '?',
		    CC_LOCK, CA_REVERSE);
	}
}

/* One task row; run segments of 4+ cells show their CPU. */
static void
draw_task(struct canvas *c, int x, int y, int w, const uint8_t *st, const int16_t *cpu)
{
	for (int b = 0; b < w; b++)
		canvas_put(c, x + b, y, canvas_glyph(c, view_state_glyph(st[b])),
		    view_state_color(st[b]), 0);
	for (int b = 0; b < w;) {
		int e = b;
		char num[8];
		int len;

		while (e < w && st[e] == st[b] && cpu[e] == cpu[b])
			e++;
		if (st[b] == TRACE_RUN && cpu[b] >= 0) {
			len = snprintf(num, sizeof num, "%d", cpu[b]);
			if (e - b >= len + 3)
				canvas_text(c, x + b + 1, y, len, num, CC_RUN, CA_REVERSE | CA_BOLD);
		}
		b = e;
	}
}

int
view_timeline(struct canvas *c, const struct view_lab *v, int x, int y, int w, int h)
{
	int ntasks = trace_ntasks(v->tr), name_w = NAME_W_MIN, cols, rows = h - 2, first;
	uint64_t t_from = v->t_from != 0 ? v->t_from : v->now, bucket;
	uint8_t *st;
	int16_t *cpu;

	/* Rows of worker processes show their pid: a wider name column. */
	for (int i = 0; i < ntasks; i++) {
		const struct trace_task *t = trace_task(v->tr, i);
		int32_t pid = trace_task_pid(v->tr, i);

		if (t != NULL && t->kind == TRACE_KIND_TASK && pid > 0 && pid != v->own_pid) {
			name_w = NAME_W_PID;
			break;
		}
	}
	cols = w - name_w;
	if (cols < 10 || rows < 1)
		return ntasks;
	bucket = nice_ns(v->now > t_from ? (v->now - t_from) / (uint64_t)cols + 1 : 0);
	draw_marks(c, v, x + name_w, y, cols, t_from, bucket);
	first = v->scroll < 0 ? ntasks - rows : v->scroll;
	if (first > ntasks - rows)
		first = ntasks - rows;
	if (first < 0)
		first = 0;
	if (ntasks > rows)
		canvas_printf(c, x, y, name_w - 1, CC_DIM, 0, "%d-%d of %d", first + 1,
		    UTIL_MIN(first + rows, ntasks), ntasks);
	else
		canvas_text(c, x, y, name_w - 1, "task", CC_DIM, 0);
	if (ntasks == 0)
		canvas_text(c, x + name_w, y + 1, cols, v->asking ?
		    "(no tasks yet: the lab runs once you answer below)" :
		    "(no tasks yet: press Enter to run the lab)", CC_DIM, 0);
	st = xmalloc((size_t)cols);
	cpu = xmalloc((size_t)cols * sizeof *cpu);
	for (int r = 0; r < rows && first + r < ntasks; r++) {
		int slot = first + r;
		const struct trace_task *t = trace_task(v->tr, slot);
		char name[TRACE_NAME_LEN], cut[TRACE_NAME_LEN * 3];
		int32_t pid;

		if (t == NULL)
			continue;
		util_strlcpy(name, t->name, sizeof name);
		if (t->kind == TRACE_KIND_LANE)
			for (char *p = name; *p != '\0'; p++)
				*p = (char)toupper((unsigned char)*p);
		pid = trace_task_pid(v->tr, slot);
		if (t->kind == TRACE_KIND_TASK && pid > 0 && pid != v->own_pid) {
			/* A worker process: its pid, the name cut to make room. */
			char num[16];
			int len = snprintf(num, sizeof num, " %d", (int)pid);
			int keep = name_w - 1 - len;

			if (keep < 1)
				keep = 1;
			if ((int)strlen(name) > keep)
				name[keep] = '\0';
			util_strlcpy(name + strlen(name), num, sizeof name - strlen(name));
		}
		fmt_cut_middle(cut, sizeof cut, name, name_w - 1, c->ascii);
		canvas_text(c, x, y + 1 + r, name_w - 1, cut,
		    t->run == v->sel_run ? CC_SELECT : CC_DEFAULT, 0);
		trace_task_buckets(v->tr, slot, t_from, bucket, cols, v->now, st, cpu);
		if (t->kind == TRACE_KIND_LANE)
			draw_lane(c, v, x + name_w, y + 1 + r, cols, st, cpu);
		else
			draw_task(c, x + name_w, y + 1 + r, cols, st, cpu);
	}
	free(st);
	free(cpu);
	{
		char scale[32], lab[16];

		format_time(bucket, lab, sizeof lab);
		snprintf(scale, sizeof scale, "cell=%s", lab);
		canvas_text(c, x, y + h - 1, name_w - 1, scale, CC_DIM, 0);
	}
	draw_axis(c, x + name_w, y + h - 1, cols, bucket);
	return ntasks;
}
