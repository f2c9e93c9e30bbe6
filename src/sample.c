/*
 * sample: /proc/stat and schedstat readers, the core sampler with a short
 * history per core, and the task sampler that feeds trace sched rings.
 */
#include "sample.h"

#include "clock.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool
parse_cpu_line(const char *line, struct cpu_times *t)
{
	unsigned long long v[8] = { 0 };
	const char *p = line;
	int n;

	while (*p != '\0' && *p != ' ')
		p++;
	n = sscanf(p, "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
	    &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	if (n < 4)
		return false;
	t->user = v[0];
	t->nice = v[1];
	t->system = v[2];
	t->idle = v[3];
	t->iowait = v[4];
	t->irq = v[5];
	t->softirq = v[6];
	t->steal = v[7];
	t->present = true;
	return true;
}

int
sample_parse_stat(FILE *f, struct cpu_times *total, struct cpu_times *percpu, int max)
{
	char line[1024];
	int count = 0;
	bool any = false;

	for (int i = 0; i < max; i++)
		percpu[i].present = false;
	total->present = false;
	while (fgets(line, sizeof line, f) != NULL) {
		char *end;
		long idx;

		if (strncmp(line, "cpu", 3) != 0)
			continue;
		if (line[3] == ' ') {
			any |= parse_cpu_line(line, total);
			continue;
		}
		idx = strtol(line + 3, &end, 10);
		if (end == line + 3 || *end != ' ' || idx < 0 || idx >= max)
			continue;
		if (parse_cpu_line(line, &percpu[idx])) {
			count++;
			any = true;
		}
	}
	return any ? count : -1;
}

int
sample_parse_schedstat(FILE *f, uint64_t *oncpu_ns, uint64_t *wait_ns)
{
	unsigned long long a, b;

	if (fscanf(f, "%llu %llu", &a, &b) != 2)
		return -1;
	*oncpu_ns = a;
	*wait_ns = b;
	return 0;
}

static uint64_t
busy_ticks(const struct cpu_times *t)
{
	return t->user + t->nice + t->system + t->irq + t->softirq;
}

static uint64_t
all_ticks(const struct cpu_times *t)
{
	return busy_ticks(t) + t->idle + t->iowait + t->steal;
}

double
sample_busy(const struct cpu_times *a, const struct cpu_times *b)
{
	uint64_t all, busy;

	if (!a->present || !b->present || all_ticks(b) <= all_ticks(a) ||
	    busy_ticks(b) < busy_ticks(a))
		return -1;
	all = all_ticks(b) - all_ticks(a);
	busy = busy_ticks(b) - busy_ticks(a);
	return busy > all ? 1.0 : (double)busy / (double)all;
}

double
sample_steal(const struct cpu_times *a, const struct cpu_times *b)
{
	if (!a->present || !b->present || all_ticks(b) <= all_ticks(a) ||
	    b->steal < a->steal)
		return 0;
	return (double)(b->steal - a->steal) / (double)(all_ticks(b) - all_ticks(a));
}

uint64_t
sample_busy_ns(const struct cpu_times *a, const struct cpu_times *b)
{
	long hz = sysconf(_SC_CLK_TCK);

	if (!a->present || !b->present || busy_ticks(b) < busy_ticks(a))
		return 0;
	if (hz <= 0)
		hz = 100;
	return (busy_ticks(b) - busy_ticks(a)) * (CLOCK_NS_PER_S / (uint64_t)hz);
}

struct core_sampler *
sample_cores_create(int ncpu, const char *path)
{
	struct core_sampler *cs = xcalloc(1, sizeof *cs);

	cs->ncpu = ncpu;
	cs->prev = xcalloc((size_t)ncpu, sizeof *cs->prev);
	cs->cur = xcalloc((size_t)ncpu, sizeof *cs->cur);
	cs->busy = xcalloc((size_t)ncpu, sizeof *cs->busy);
	cs->history = xcalloc((size_t)ncpu * SAMPLE_HISTORY, sizeof *cs->history);
	cs->path = path != NULL ? path : "/proc/stat";
	cs->available = true;
	for (int c = 0; c < ncpu; c++)
		cs->busy[c] = -1;
	return cs;
}

void
sample_cores_destroy(struct core_sampler *cs)
{
	if (cs == NULL)
		return;
	free(cs->prev);
	free(cs->cur);
	free(cs->busy);
	free(cs->history);
	free(cs);
}

int
sample_cores(struct core_sampler *cs)
{
	struct cpu_times total, *tmp;
	FILE *f = fopen(cs->path, "r");
	int n;

	if (f == NULL) {
		cs->available = false;
		return -1;
	}
	n = sample_parse_stat(f, &total, cs->cur, cs->ncpu);
	fclose(f);
	if (n < 0) {
		cs->available = false;
		return -1;
	}
	cs->available = true;
	for (int c = 0; c < cs->ncpu; c++) {
		double b = cs->have_prev ? sample_busy(&cs->prev[c], &cs->cur[c]) : -1;

		cs->busy[c] = b;
		cs->history[(size_t)c * SAMPLE_HISTORY + (size_t)cs->hpos] = (float)b;
	}
	if (cs->have_prev) {
		cs->hpos = (cs->hpos + 1) % SAMPLE_HISTORY;
		if (cs->nhist < SAMPLE_HISTORY)
			cs->nhist++;
	}
	tmp = cs->prev;
	cs->prev = cs->cur;
	cs->cur = tmp;
	cs->have_prev = true;
	return 0;
}

int
sample_core_history(const struct core_sampler *cs, int c, float *out, int n)
{
	int count = UTIL_MIN(n, cs->nhist);

	for (int i = 0; i < count; i++) {
		int pos = (cs->hpos - count + i + SAMPLE_HISTORY) % SAMPLE_HISTORY;

		out[i] = cs->history[(size_t)c * SAMPLE_HISTORY + (size_t)pos];
	}
	return count;
}

/* Read the task's schedstat and append the delta since its last reading. */
static void
sample_task(struct task_sampler *ts, struct trace *tr, int slot, int32_t pid, int32_t tid,
    uint64_t now)
{
	uint64_t on, wait;
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
	f = fopen(path, "r");
	if (f == NULL)
		return;
	if (sample_parse_schedstat(f, &on, &wait) == 0) {
		if (ts->tid[slot] == tid && on >= ts->oncpu[slot] && wait >= ts->wait[slot])
			trace_sched_add(tr, slot, now, on - ts->oncpu[slot], wait - ts->wait[slot]);
		ts->tid[slot] = tid;
		ts->oncpu[slot] = on;
		ts->wait[slot] = wait;
	}
	fclose(f);
}

/* Sample up to budget tasks from ts->next on: those running (every = false)
 * or every task that began and has not ended. */
static void
sample_some(struct task_sampler *ts, struct trace *tr, int budget, bool every)
{
	int n = trace_ntasks(tr);
	uint64_t now = clock_now_ns();
	int start = ts->next;	/* the rotation's start, fixed for this frame */

	for (int k = 0; k < n && budget > 0; k++) {
		int slot = (start + k) % n;
		const struct trace_task *t = trace_task(tr, slot);
		struct trace_task_figures tf;

		if (t == NULL || t->kind != TRACE_KIND_TASK)
			continue;
		if (!trace_task_figures(tr, slot, &tf) || (every ? tf.state == TRACE_NEW ||
		    tf.end_ns != 0 : tf.state != TRACE_RUN) || tf.tid <= 0)
			continue;
		budget--;
		sample_task(ts, tr, slot, tf.pid, tf.tid, now);
		ts->next = (slot + 1) % n;
	}
}

void
sample_tasks(struct task_sampler *ts, struct trace *tr, int budget)
{
	sample_some(ts, tr, budget, false);
}

void
sample_tasks_all(struct task_sampler *ts, struct trace *tr)
{
	sample_some(ts, tr, TRACE_MAX_TASKS, true);
}

int
sample_parse_statm(FILE *f, uint64_t *resident_pages)
{
	unsigned long long size, resident;

	if (fscanf(f, "%llu %llu", &size, &resident) != 2)
		return -1;
	*resident_pages = resident;
	return 0;
}

double
sample_self_rss_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	uint64_t pages;
	int rc;

	if (f == NULL)
		return 0;
	rc = sample_parse_statm(f, &pages);
	fclose(f);
	if (rc < 0)
		return 0;
	return (double)pages * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}
