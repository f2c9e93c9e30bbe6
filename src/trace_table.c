/*
 * trace_table: `conclab trace`'s table at the end (see trace_table.h).
 */
#include "trace_table.h"

#include "fmt.h"
#include "json.h"
#include "report.h"
#include "util.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

/* The run time of every thread of process pid, ns. */
static uint64_t
process_run_ns(const struct proctrace *pt, pid_t pid)
{
	uint64_t run = 0;

	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;

		proctrace_info(pt, i, &in);
		if (in.pid == pid)
			run += in.run_ns;
	}
	return run;
}

/* The processes seen: their threads' run totals and whether each was a
 * launcher's helper; returns how many. */
static int
process_runs(const struct proctrace *pt, pid_t *pids, uint64_t *runs, bool *helper)
{
	int n = 0;

	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;
		int k = 0;

		proctrace_info(pt, i, &in);
		while (k < n && pids[k] != in.pid)
			k++;
		if (k == n) {
			if (n == PROCTRACE_MAX_PROCS)
				continue;
			pids[n] = in.pid;
			helper[n] = false;
			runs[n++] = 0;
		}
		runs[k] += in.run_ns;
		helper[k] |= in.helper;
	}
	return n;
}

/* Is process pid left out: a launcher's helper (ended before the first
 * process exec'd its program), or under TRACE_TABLE_QUIET_NS beside one
 * that computed (alone, it is the program)? */
static bool
pid_quiet(const pid_t *pids, const uint64_t *runs, const bool *helper, int n, pid_t pid)
{
	bool other = false, quiet = false;

	for (int k = 0; k < n; k++) {
		if (pids[k] == pid && helper[k])
			return true;
		if (pids[k] == pid)
			quiet = runs[k] < TRACE_TABLE_QUIET_NS;
		else
			other |= runs[k] >= TRACE_TABLE_QUIET_NS;
	}
	return quiet && other;
}

bool
trace_table_quiet(const struct proctrace *pt, int i)
{
	pid_t pids[PROCTRACE_MAX_PROCS];
	uint64_t runs[PROCTRACE_MAX_PROCS];
	bool helper[PROCTRACE_MAX_PROCS];
	struct proctrace_info in;
	int n = process_runs(pt, pids, runs, helper);

	proctrace_info(pt, i, &in);
	return pid_quiet(pids, runs, helper, n, in.pid);
}

int
trace_table_shown(const struct proctrace *pt, bool *hide, size_t nhide)
{
	pid_t pids[PROCTRACE_MAX_PROCS];
	uint64_t runs[PROCTRACE_MAX_PROCS];
	bool helper[PROCTRACE_MAX_PROCS];
	int n = process_runs(pt, pids, runs, helper), shown = 0;

	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;
		bool quiet;

		proctrace_info(pt, i, &in);
		quiet = pid_quiet(pids, runs, helper, n, in.pid);
		shown += !quiet;
		if (hide != NULL && in.slot >= 0 && (size_t)in.slot < nhide)
			hide[in.slot] = quiet;
	}
	return shown;
}

static double
life_s(const struct proctrace_info *in, double wall)
{
	uint64_t end = in->end_ns ? in->end_ns : in->start_ns + (uint64_t)(wall * 1e9);

	return (double)(end - in->start_ns) / 1e9;
}

void
trace_table_end_line(const struct trace_table_result *r, char *buf, size_t len)
{
	buf[0] = '\0';
	if (r->status < 0)
		return;
	if (WIFEXITED(r->status))
		snprintf(buf, len, "the command exited with status %d", WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status) && r->killed)
		snprintf(buf, len, "the command had not ended when asked to stop (2 s after "
		    "a second Ctrl-C or q, 5 s after --seconds' SIGTERM): conclab killed it "
		    "(SIGKILL)");
	else if (WIFSIGNALED(r->status))
		snprintf(buf, len, "the command was ended by SIG%s (signal %d)",
		    sigabbrev_np(WTERMSIG(r->status)) != NULL ?
		    sigabbrev_np(WTERMSIG(r->status)) : "?", WTERMSIG(r->status));
}

void
trace_table_unseen_line(int n, char *buf, size_t len)
{
	buf[0] = '\0';
	if (n <= 0)
		return;
	fmt_count(buf, len, n, "thread", NULL);
	util_appendf(buf, len, " ended before %s seen (between two looks at /proc), "
	    "so %s missing here", n == 1 ? "it was" : "they were", n == 1 ? "it is" : "they are");
}

/* The text under the table is wrapped at word boundaries to fit 80
 * columns (the table's rows are 77 wide). */
#define TRACE_TABLE_COLS 79

/* What the lane saw, and the first process's threads' time in futex. */
static void
lane_facts(const struct proctrace *pt, const struct trace_table_result *r,
    struct trace_lane_facts *lf)
{
	uint64_t sw, held, par, span, lock = 0;

	memset(lf, 0, sizeof *lf);
	proctrace_lane_stats(pt, &sw, &held, &par, &span);
	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;

		proctrace_info(pt, i, &in);
		if (in.pid == r->pid) {
			lock += in.lock_ns;
			lf->threads++;
		}
	}
	lf->span_s = (double)span / 1e9;
	lf->held_s = (double)held / 1e9;
	lf->parallel_s = (double)par / 1e9;
	lf->switches = (double)sw;
	lf->switches_per_s = r->wall > 0 ? (double)sw / r->wall : 0;
	lf->wakes = (double)proctrace_root_wakes(pt);
	lf->switches_short = !proctrace_switches_counted(pt);
	lf->windows = proctrace_lane_windows(pt);
	lf->lock_s = (double)lock / 1e9;
	lf->at_once = proctrace_threads_at_once(pt);
	lf->lane = proctrace_lane_drawn(pt);
}

void
trace_table_lane_line(const struct trace_lane_facts *f, char *buf, size_t len)
{
	double par = f->span_s > 0 ? 100.0 * f->parallel_s / f->span_s : 0;

	buf[0] = '\0';
	if (f->span_s <= 0)
		return;
	if (f->at_once)
		snprintf(buf, len, "the first process's threads ran at once, none waiting in "
		    "futex, %.0f %% of the time: no lock between them, no GIL lane (a "
		    "free-threaded CPython, or C)", par);
	else if (f->lane && f->switches_short) {
		/* walk7 H12: a count that missed most handoffs is no rate */
		char n[64];

		fmt_count(n, sizeof n, f->wakes, "time", NULL);
		snprintf(buf, len, "one thread of the first process on a core %.0f %% of the "
		    "time, several at once %.0f %%; handoffs mostly shorter than a sample, "
		    "not counted (its threads were scheduled in %s)", 100.0 * f->held_s /
		    f->span_s, par, n);
	} else if (f->lane) {
		/* the count beside its rate: one handoff in 1.9 s is not "0
		 * handoffs/s" (walk 5 F20) */
		char n[64], rate[FMT_NUM_LEN];

		fmt_count(n, sizeof n, f->switches, "handoff", NULL);
		fmt_sig3(rate, sizeof rate, f->switches_per_s);
		snprintf(buf, len, "one thread of the first process on a core %.0f %% of the "
		    "time, several at once %.0f %%; %s (%s a second)", 100.0 * f->held_s /
		    f->span_s, par, n, rate);
	}
	else if (f->threads == 1)
		snprintf(buf, len, "the first process had one thread: no lock to share, no "
		    "GIL lane");
	else if (f->windows < PROCTRACE_TELL_WINDOWS && f->span_s * 1000 >=
	    10.0 * PROCTRACE_TELL_WINDOWS * PROCTRACE_WINDOW_MS)
		/* long enough: running longer would not help (walk6 G10: a
		 * program computing 5 % of the time, traced 10 s) */
		snprintf(buf, len, "the first process's threads seldom computed at once: "
		    "%d of its %.0f %d ms windows had two of them computing, %d are needed "
		    "to tell whether they share a lock; no GIL lane", f->windows,
		    f->span_s * 1000 / PROCTRACE_WINDOW_MS, PROCTRACE_WINDOW_MS,
		    PROCTRACE_TELL_WINDOWS);
	else if (f->windows < PROCTRACE_TELL_WINDOWS)
		snprintf(buf, len, "too short to tell whether the first process's threads "
		    "share a lock: %d of its %d ms windows had two of them computing, %d are "
		    "needed; no GIL lane (run it longer)", f->windows, PROCTRACE_WINDOW_MS,
		    PROCTRACE_TELL_WINDOWS);
	else if (f->lock_s > 0)
		snprintf(buf, len, "no sign of a lock taken in turns between the first "
		    "process's threads: in %d windows with two computing, never two waiting "
		    "in futex (the lock column counts every futex wait, a join's too); no GIL "
		    "lane; several at once %.0f %%", f->windows, par);
	else
		snprintf(buf, len, "no sign of a lock between the first process's threads "
		    "(none waited in futex while another ran): no GIL lane; several at once "
		    "%.0f %%", par);
}

/* The processes left out of the table, on one line, by name: one alone
 * with its pid, several as a count (pyenv's shims run 15 or so). */
static void
quiet_line(FILE *f, const struct proctrace *pt)
{
	pid_t seen[PROCTRACE_MAX_PROCS];
	char names[PROCTRACE_MAX_PROCS][TRACE_NAME_LEN], line[2048] = "";
	uint64_t run[PROCTRACE_MAX_PROCS] = { 0 };
	pid_t pid1[PROCTRACE_MAX_PROCS];	/* each name's first process */
	int count[PROCTRACE_MAX_PROCS] = { 0 }, n = 0, nn = 0, k;

	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;
		bool dup = false;

		proctrace_info(pt, i, &in);
		for (k = 0; k < n; k++)
			dup |= seen[k] == in.pid;
		if (dup || !trace_table_quiet(pt, i) || n == PROCTRACE_MAX_PROCS)
			continue;
		seen[n++] = in.pid;
		for (k = 0; k < nn && strcmp(names[k], in.name) != 0; k++)
			;
		if (k == nn) {
			pid1[nn] = in.pid;
			util_strlcpy(names[nn++], in.name, sizeof names[0]);
		}
		count[k]++;
		run[k] += process_run_ns(pt, in.pid);
	}
	for (k = 0; k < nn; k++) {
		util_appendf(line, sizeof line, "%s", k == 0 ? "left out, a launcher's helpers "
		    "(ended before the program started, e.g. pyenv's shims' bash) and processes "
		    "that ran under 10 ms in all: " : ", ");
		if (count[k] == 1) {
			util_appendf(line, sizeof line, "%s %d (ran %.3f s)", names[k],
			    (int)pid1[k], (double)run[k] / 1e9);
		} else {
			util_appendf(line, sizeof line, "%d %s processes (ran %.3f s in all)",
			    count[k], names[k], (double)run[k] / 1e9);
		}
	}
	if (nn > 0)
		report_wrap(f, line, TRACE_TABLE_COLS, 0);
}

void
trace_table_text(FILE *f, const struct proctrace *pt, const struct trace_table_result *r,
    const char *what)
{
	double run = (double)process_run_ns(pt, r->pid) / 1e9;
	struct trace_lane_facts lf;
	char cost[32] = "n/a", end[160], line[1024];
	int shown = trace_table_shown(pt, NULL, 0);

	if (r->cost_pct >= 0)
		snprintf(cost, sizeof cost, "%.1f %%", r->cost_pct);
	snprintf(line, sizeof line, "conclab trace: %s, %.2f s, %d threads, tracer %s of a "
	    "core; %s", what, r->wall, shown, cost, r->why);
	report_wrap(f, line, TRACE_TABLE_COLS, 0);
	fprintf(f, "%-18s %7s %7s %8s %8s %8s %8s %7s\n", "thread", "pid", "tid", "run s",
	    "ready s", "lock s", "io s", "lock %");
	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;
		double life;

		proctrace_info(pt, i, &in);
		if (trace_table_quiet(pt, i))
			continue;
		life = life_s(&in, r->wall);
		fprintf(f, "%-18.18s %7d %7d %8.3f %8.3f %8.3f %8.3f %7.1f\n", in.name,
		    (int)in.pid, (int)in.tid, (double)in.run_ns / 1e9,
		    (double)in.ready_ns / 1e9, (double)in.lock_ns / 1e9,
		    (double)in.io_ns / 1e9, life > 0 ? 100.0 * (double)in.lock_ns / 1e9 /
		    life : 0);
	}
	quiet_line(f, pt);
	line[0] = '\0';
	util_appendf(line, sizeof line, "run total of process %d's threads: %.3f s", (int)r->pid, run);
	if (r->proc_cpu >= 0)
		util_appendf(line, sizeof line, "; %s: %.3f s (%.1f %%)", r->cpu_source, r->proc_cpu,
		    r->proc_cpu > 0 ? 100.0 * run / r->proc_cpu : 0);
	report_wrap(f, line, TRACE_TABLE_COLS, 0);
	lane_facts(pt, r, &lf);
	trace_table_lane_line(&lf, line, sizeof line);
	if (line[0] != '\0')
		report_wrap(f, line, TRACE_TABLE_COLS, 0);
	if (proctrace_overflowed(pt))
		fprintf(f, "more than %d threads or %d processes: the rest were not traced\n",
		    PROCTRACE_MAX_THREADS, PROCTRACE_MAX_PROCS);
	trace_table_unseen_line(proctrace_unseen(pt), line, sizeof line);
	if (line[0] != '\0')
		report_wrap(f, line, TRACE_TABLE_COLS, 0);
	trace_table_end_line(r, end, sizeof end);
	if (end[0] != '\0')
		report_wrap(f, end, TRACE_TABLE_COLS, 0);
}

static void
json_opt(struct json *j, const char *key, double v, int decimals)
{
	json_key(j, key);
	if (v >= 0)
		json_number(j, v, decimals);
	else
		json_null(j);
}

static void
thread_json(struct json *j, const struct proctrace_info *in, double wall, bool left_out)
{
	json_object_begin(j);
	json_key(j, "name");
	json_string(j, in->name);
	json_key(j, "pid");
	json_int(j, in->pid);
	json_key(j, "tid");
	json_int(j, in->tid);
	json_key(j, "life_s");
	json_number(j, life_s(in, wall), 4);
	json_key(j, "run_s");
	json_number(j, (double)in->run_ns / 1e9, 4);
	json_key(j, "ready_s");
	json_number(j, (double)in->ready_ns / 1e9, 4);
	json_key(j, "lock_s");
	json_number(j, (double)in->lock_ns / 1e9, 4);
	json_key(j, "io_s");
	json_number(j, (double)in->io_ns / 1e9, 4);
	json_key(j, "left_out");	/* as the table: a launcher's helper or quiet */
	json_bool(j, left_out);
	json_object_end(j);
}

void
trace_table_json(FILE *f, const struct proctrace *pt, const struct trace_table_result *r)
{
	struct json j;

	json_init(&j, f, true);
	json_object_begin(&j);
	json_key(&j, "pid");
	json_int(&j, r->pid);
	json_key(&j, "wall_s");
	json_number(&j, r->wall, 4);
	json_opt(&j, "process_cpu_s", r->proc_cpu, 3);
	json_opt(&j, "tracer_cost_pct", r->cost_pct, 2);	/* null: under 0.1 s */
	json_key(&j, "stopped_by");
	json_string(&j, r->why);
	json_key(&j, "overflow");
	json_bool(&j, proctrace_overflowed(pt));
	json_key(&j, "threads_unseen");	/* ended before they were seen */
	json_int(&j, proctrace_unseen(pt));
	json_key(&j, "gil_lane");	/* a lock was inferred: the lane is drawn */
	json_bool(&j, proctrace_lane_drawn(pt));
	json_key(&j, "threads_at_once");	/* ran at once before any lock */
	json_bool(&j, proctrace_threads_at_once(pt));
	json_key(&j, "exit_status");
	if (r->status >= 0 && WIFEXITED(r->status))
		json_int(&j, WEXITSTATUS(r->status));
	else
		json_null(&j);
	json_key(&j, "exit_signal");
	if (r->status >= 0 && WIFSIGNALED(r->status))
		json_int(&j, WTERMSIG(r->status));
	else
		json_null(&j);
	json_key(&j, "threads");	/* every thread, quiet processes too */
	json_array_begin(&j);
	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;

		proctrace_info(pt, i, &in);
		thread_json(&j, &in, r->wall, trace_table_quiet(pt, i));
	}
	json_array_end(&j);
	json_object_end(&j);
	fputc('\n', f);
}
