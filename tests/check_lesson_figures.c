/* The figures each lesson relies on, in-process: join, race, coroutines,
 * event loop, interleave, and the output pane.  Each test builds a small lab
 * from text, runs it through exec_run and checks those figures (ratios and
 * counts only, never absolute times). */
#include "testutil.h"

#include "clock.h"
#include "cpus.h"
#include "exec.h"
#include "outpane.h"
#include "util.h"

#include <pthread.h>
#include <sys/resource.h>

struct t_lab {
	struct exec_env env;
	struct lab lab;
	struct run_result res[LAB_MAX_RUNS];
	uint64_t own_cpu_ns[LAB_MAX_RUNS];	/* this thread's CPU in each run */
};

/* Parse text as a lab and run every run in order (each in this thread,
 * which starts the run's workers: its CPU time is the run's own part). */
static void
t_run(struct t_lab *t, const char *text)
{
	char err[512] = "";
	int rc;

	memset(t, 0, sizeof *t);
	rc = lab_parse(text, strlen(text), "t.lab", exec_info, &t->lab, err, sizeof err);
	ck_assert_msg(rc == 0, "%s", err);
	cpus_allowed(&t->env.cpus);
	t->env.ncpus = CPU_COUNT(&t->env.cpus);
	t->env.slow = 1;
	t->env.tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(t->env.tr);
	work_calibrate(&t->env.cal);
	for (int i = 0; i < t->lab.nruns; i++) {
		uint64_t cpu0 = clock_thread_cpu_ns();

		rc = exec_run(&t->env, &t->lab.runs[i], i, &t->res[i]);
		t->own_cpu_ns[i] = clock_thread_cpu_ns() - cpu0;
		ck_assert_msg(rc == 0, "run %s: %s", t->lab.runs[i].name, t->res[i].error);
	}
}

static void
t_free(struct t_lab *t)
{
	for (int i = 0; i < LAB_MAX_RUNS; i++)
		result_clear(&t->res[i]);
	lab_free(&t->lab);
	trace_destroy(t->env.tr);
}

static double
t_metric(const struct t_lab *t, int run, const char *key)
{
	const struct metric *m = result_get(&t->res[run], key);

	ck_assert_msg(m != NULL, "run %d has no metric %s", run, key);
	ck_assert_int_eq(m->kind, METRIC_NUMBER);
	return m->value;
}

START_TEST(join_broken_reports_nothing)
{
	static const char text[] =
	    "[lab]\nid = j\ntitle = j\n"
	    "[run broken]\nexecutor = join\ntasks = 2\nduration_ms = 300\njoin = no\n"
	    "[run fixed]\nexecutor = join\ntasks = 2\nduration_ms = 300\njoin = yes\n";
	struct t_lab t;
	const struct trace_mark *mark = NULL;
	double rep_b, act_b, rep_f, act_f;
	uint64_t worker_end = 0;

	t_run(&t, text);
	rep_b = t_metric(&t, 0, "reported_s");
	act_b = t_metric(&t, 0, "actual_s");
	rep_f = t_metric(&t, 1, "reported_s");
	act_f = t_metric(&t, 1, "actual_s");
	/* Starting threads is slow under sanitizers: a ratio, not 0.05 s. */
	ck_assert_msg(rep_b < 0.25 * act_b, "broken reported %f of %f", rep_b, act_b);
	ck_assert_msg(act_b > 0.1, "broken actual %f", act_b);
	ck_assert_msg(rep_f > 0.1 && rep_f >= 0.95 * act_f, "fixed %f of %f", rep_f, act_f);
	/* The run's wall time is the workers' time, not the report. */
	ck_assert_msg(t.res[0].wall_s >= 0.95 * act_b, "wall %f", t.res[0].wall_s);
	/* "main finished" marks run 0, and the workers ended after it. */
	for (int i = 0; i < trace_nmarks(t.env.tr); i++) {
		const struct trace_mark *m = trace_get_mark(t.env.tr, i);

		if (m != NULL && m->kind == TRACE_MARK_NOTE && m->run == 0)
			mark = m;
	}
	ck_assert_ptr_nonnull(mark);
	ck_assert_str_eq(mark->text, "main finished");
	for (int k = 0; k < t.res[0].nslots; k++) {
		const struct trace_task *tk = trace_task(t.env.tr, t.res[0].first_slot + k);

		ck_assert_int_eq(at_load_relaxed(&tk->state), TRACE_DONE);
		worker_end = UTIL_MAX(worker_end, at_load_relaxed(&tk->end_ns));
	}
	ck_assert_msg(worker_end > mark->ts + 50 * CLOCK_NS_PER_MS, "workers ended too soon");
	t_free(&t);
}
END_TEST

/* The whole race lab at a small size; unsync may need a few trials on a
 * busy machine (its threads must overlap to lose anything). */
START_TEST(race_loses_only_where_it_should)
{
	static const char text[] =
	    "[lab]\nid = r\ntitle = r\n"
	    "[run unsync]\nexecutor = race\nincrements = 200000\nmode = unsync\n"
	    "[run mutex]\nexecutor = race\nincrements = 200000\nmode = mutex\n"
	    "[run atomic]\nexecutor = race\nincrements = 200000\nmode = atomic\n"
	    "[run gil-call]\nexecutor = race\nincrements = 200000\nmode = gil-call\n"
	    "switch_ms = 1\n"
	    "[run gil-inplace]\nexecutor = race\nincrements = 200000\n"
	    "mode = gil-inplace\nswitch_ms = 1\n";
	int unsync_lost = 0, call_lost = 0;

	for (int trial = 0; trial < 3 && (unsync_lost == 0 || call_lost == 0); trial++) {
		struct t_lab t;

		t_run(&t, text);
		for (int i = 0; i < 5; i++) {
			ck_assert_double_eq(t_metric(&t, i, "expected"), 400000);
			ck_assert_double_eq(t_metric(&t, i, "final") +
			    t_metric(&t, i, "lost_updates"), 400000);
			ck_assert(t_metric(&t, i, "ns_per_increment") > 0);
		}
		unsync_lost += t_metric(&t, 0, "lost_updates") > 0;
		ck_assert_double_eq(t_metric(&t, 1, "lost_updates"), 0);
		ck_assert_double_eq(t_metric(&t, 2, "lost_updates"), 0);
		call_lost += t_metric(&t, 3, "lost_updates") > 0;
		ck_assert_double_eq(t_metric(&t, 4, "lost_updates"), 0);
		ck_assert(t_metric(&t, 4, "switches") > 0);
		t_free(&t);
	}
	ck_assert_msg(unsync_lost > 0, "unsync never lost an update in 3 trials");
	ck_assert_msg(call_lost > 0, "gil-call never lost an update in 3 trials");
}
END_TEST

/* Under the GIL a pass of the loop costs line_ns (CPython's cost of the
 * line), its own overhead measured and taken off: one thread, no switches,
 * so the time per update follows line_ns (ratios, generous bounds).  One
 * attempt: both runs, CPU time per update (the wall time stretches with
 * load); a steal burst or the host's speed changing between the spin's
 * calibration and the run can still flip it, hence up to 3 attempts. */
static bool
line_ns_attempt(void *arg, char *why, size_t len)
{
	static const char text[] =
	    "[lab]\nid = r\ntitle = r\n"
	    "[run short]\nexecutor = race\ntasks = 1\nincrements = 100000\n"
	    "mode = gil-call\nline_ns = 100\n"
	    "[run long]\nexecutor = race\ntasks = 1\nincrements = 100000\n"
	    "mode = gil-call\nline_ns = 400\n";
	struct t_lab t;
	double s, l, own, hi_s, hi_l;

	(void)arg;
	t_run(&t, text);
	s = t_metric(&t, 0, "cpu_ns_per_increment");
	l = t_metric(&t, 1, "cpu_ns_per_increment");
	own = t_metric(&t, 0, "line_ns_own");
	t_free(&t);
	/* A pass costs line_ns, or the loop's own cost where that is more (a
	 * sanitizer's build: ThreadSanitizer makes it about 300 ns). */
	hi_s = UTIL_MAX(100, own);
	hi_l = UTIL_MAX(400, own);
	snprintf(why, len, "line_ns 100: %.1f ns a pass, 400: %.1f ns (own %.1f)", s, l, own);
	/* 0.5: the spin calibrated in one of the host's slow windows (a fib
	 * call 1.41-1.47 ns against 0.90-0.94) runs short in a fast one: CI at
	 * c8f6e7d measured 66.3 ns for line_ns 100 */
	if (l < 0.5 * hi_l || l > 3 * hi_l || s < 0.5 * hi_s || s > 3 * hi_s)
		return false;
	return own >= 50 || (l / s >= 2 && l / s <= 8);
}

START_TEST(race_gil_pass_costs_line_ns)
{
	tu_assert_attempts("race gil-call line_ns", line_ns_attempt, NULL);
}
END_TEST

/* gil-old with baseline = serial: one task's work alone first, then the
 * threads; slowdown is the threads' wall time over tasks x the lone one's. */
START_TEST(gil_old_serial_baseline)
{
	static const char text[] =
	    "[lab]\nid = g\ntitle = g\n"
	    "[run o]\nexecutor = gil-old\ntasks = 2\nduration_ms = 100\n"
	    "baseline = serial\n"
	    "[run n]\nexecutor = gil-old\ntasks = 2\nduration_ms = 100\n";
	struct t_lab t;
	double serial, wall, alone_cpu;

	t_run(&t, text);
	serial = t_metric(&t, 0, "serial_s");
	wall = (double)(t.res[0].t_end - t.res[0].t_start) / 1e9;
	/* The lone task runs in this thread: its CPU time, which no load
	 * stretches, and serial_s counts it once per task (its wall time is at
	 * least its CPU time; 0.9 for the thread's start and join around it). */
	alone_cpu = (double)t.own_cpu_ns[0] / 1e9;
	ck_assert_msg(serial >= 0.9 * 2 * alone_cpu, "serial_s %.3f, the lone task's CPU "
	    "%.3f s", serial, alone_cpu);
	/* 100 ms of work: half of it even when the host got faster since the
	 * calibration (1.5x) */
	ck_assert_msg(alone_cpu >= 0.05, "the lone task's CPU %.3f s", alone_cpu);
	ck_assert_double_eq_tol(t_metric(&t, 0, "slowdown"), wall / serial,
	    0.01 + 0.01 * wall / serial);
	ck_assert_ptr_null(result_get(&t.res[1], "slowdown"));
	t_free(&t);
}
END_TEST

/* The serial baseline is measured as gil.py measures Python 2's: before
 * any thread starts, when Python 2 has no lock to release.  So the check
 * interval leaves it alone: at check_ticks = 1 this simulation's release
 * and retake (about 0.16 us against a 56 ns tick) made it about 5 times
 * longer when the baseline ran under its own lock.  One attempt compares
 * the baseline's CPU time (it runs in this thread) at check_ticks 1 and
 * 1,000,000: serial_s is wall time, which two busy loops beside it made
 * 0.14 against 0.36 s; CPU time still moves with the host's speed (1.5x
 * from one second to the next), hence 2x and up to 3 attempts.  40 ms of
 * work, not 100: at check_ticks 1 the threads after the baseline, which
 * this does not measure, took 2.7 s of CPU under TSan at 100 ms, and under
 * TSan at load 12 (22 s of wall for that run) the test timed out. */
static bool
baseline_attempt(void *arg, char *why, size_t len)
{
	static const char text[] =
	    "[lab]\nid = g\ntitle = g\n"
	    "[run every]\nexecutor = gil-old\ntasks = 1\nduration_ms = 40\n"
	    "check_ticks = 1\nbaseline = serial\n"
	    "[run never]\nexecutor = gil-old\ntasks = 1\nduration_ms = 40\n"
	    "check_ticks = 1000000\nbaseline = serial\n";
	struct t_lab t;
	double every, never;

	(void)arg;
	t_run(&t, text);
	every = (double)t.own_cpu_ns[0] / 1e9;
	never = (double)t.own_cpu_ns[1] / 1e9;
	snprintf(why, len, "baseline CPU at check_ticks 1: %.3f s, at 1000000: %.3f s "
	    "(serial_s %.3f and %.3f)", every, never, t_metric(&t, 0, "serial_s"),
	    t_metric(&t, 1, "serial_s"));
	t_free(&t);
	return every <= 2 * never && never <= 2 * every;
}

START_TEST(gil_old_baseline_has_no_lock)
{
	tu_assert_attempts("gil-old baseline", baseline_attempt, NULL);
}
END_TEST

/* One attempt: the countdown's order and counts (checked at once), then
 * the gaps: the blocker's longest gap, 150 ms of fib without a yield,
 * against the countdown's (2 ms steps).  Its gap is wall time, which the
 * machine stretches: a run preempted stretches the countdown's longest gap
 * (317 ms, against the blocker's 913, under TSan at load 12), hence up to
 * 3 attempts. */
static bool
coroutines_attempt(void *arg, char *why, size_t len)
{
	static const char text[] =
	    "[lab]\nid = c\ntitle = c\n"
	    "[run countdown]\nexecutor = coroutines\nstep_ms = 2\n"
	    "[run blocking]\nexecutor = coroutines\nstep_ms = 0\nblock_ms = 150\n";
	static const int want[] = { 10, 5, 20, 9, 4, 19, 8, 3, 18, 7, 2, 17, 6, 1, 16,
	    5, 15 };
	struct t_lab t;
	const struct metric *order;
	double gap, countdown_gap;

	(void)arg;
	t_run(&t, text);
	order = result_get(&t.res[0], "order");
	ck_assert_ptr_nonnull(order);
	ck_assert_int_eq(order->kind, METRIC_ARRAY);
	ck_assert_int_eq(order->nvalues, 35);
	/* 5 ends after its 1; then 10 and 20 alternate, 20 alone at the end. */
	for (int i = 0; i < 17; i++)
		ck_assert_msg(order->values[i] == want[i], "order[%d] = %g", i,
		    order->values[i]);
	ck_assert_double_eq(order->values[34], 1);
	ck_assert(t_metric(&t, 0, "switches") >= 20);
	ck_assert_msg(t.res[0].avg_cores_busy <= 1.05, "cores %f", t.res[0].avg_cores_busy);
	ck_assert_int_eq(t.res[0].nslots, 3);
	/* Every coroutine's CPU is its own: the sum is the thread's. */
	ck_assert_msg(t.res[0].cpu_s <= 1.05 * t.res[0].wall_s, "cpu %f wall %f",
	    t.res[0].cpu_s, t.res[0].wall_s);
	/* The blocker is second: 10, then nothing for the whole fib. */
	ck_assert_int_eq(t.res[1].nslots, 4);
	order = result_get(&t.res[1], "order");
	ck_assert_int_eq(order->nvalues, 35);
	ck_assert_double_eq(order->values[0], 10);
	ck_assert_double_eq(order->values[1], 5);
	gap = t_metric(&t, 1, "max_gap_ms");
	countdown_gap = t_metric(&t, 0, "max_gap_ms");
	t_free(&t);
	snprintf(why, len, "blocking gap %.1f ms, countdown gap %.1f ms", gap, countdown_gap);
	/* generous: sanitizers skew calibration */
	return gap >= 60 && gap > 3 * countdown_gap;
}

START_TEST(coroutines_round_robin)
{
	tu_assert_attempts("coroutines' gaps", coroutines_attempt, NULL);
}
END_TEST

START_TEST(evloop_threads_and_epoll)
{
	static const char text[] =
	    "[lab]\nid = e\ntitle = e\n"
	    "[run threads]\nexecutor = evloop\nconns = 60\nmode = threads\nhold_ms = 50\n"
	    "[run epoll]\nexecutor = evloop\nconns = 60\nmode = epoll\nhold_ms = 50\n";
	struct t_lab t;

	t_run(&t, text);
	ck_assert_double_eq(t_metric(&t, 0, "threads"), 60);
	ck_assert_double_eq(t_metric(&t, 1, "threads"), 1);
	for (int i = 0; i < 2; i++) {
		ck_assert_double_eq(t_metric(&t, i, "conns"), 60);
		ck_assert_double_eq(t_metric(&t, i, "conns_capped"), 0);
		ck_assert(t_metric(&t, i, "rtt_us_p50") > 0);
		ck_assert(t_metric(&t, i, "rss_mb") >= 0);
		ck_assert(t_metric(&t, i, "cpu_s") >= 0);
		ck_assert_ptr_null(result_get(&t.res[i], "note"));
		ck_assert_int_eq(at_load_relaxed(&trace_task(t.env.tr,
		    t.res[i].first_slot)->progress), 60);
	}
	/* 60 stacks reserved against one. */
	ck_assert(t_metric(&t, 0, "vm_mb") > t_metric(&t, 1, "vm_mb"));
	t_free(&t);
}
END_TEST

/* walk4 #13: after a threads run freed its memory, the epoll run's own few
 * KB (its arrays for 1,000 connections, 8 KB, and its thread) still show:
 * measured from a trimmed heap, in KB, never a 0 that reads as broken. */
START_TEST(evloop_epoll_memory_from_a_fresh_baseline)
{
	static const char text[] =
	    "[lab]\nid = e\ntitle = e\n"
	    "[run threads]\nexecutor = evloop\nconns = 200\nmode = threads\nhold_ms = 20\n"
	    "[run epoll]\nexecutor = evloop\nconns = 1000\nmode = epoll\nhold_ms = 20\n";
	struct t_lab t;
	double kb;

	t_run(&t, text);
	if (t_metric(&t, 1, "conns_capped") == 0) {	/* a low open-file limit: n/a */
		kb = t_metric(&t, 1, "rss_kb");
		ck_assert_msg(kb >= 4 && kb < t_metric(&t, 0, "rss_kb"),
		    "epoll rss_kb %.0f, threads %.0f", kb, t_metric(&t, 0, "rss_kb"));
		ck_assert_double_eq_tol(t_metric(&t, 1, "rss_mb"), kb / 1024, 0.01);
	}
	t_free(&t);
}
END_TEST

START_TEST(evloop_nofile_caps_conns)
{
	static const char text[] =
	    "[lab]\nid = e\ntitle = e\n"
	    "[run epoll]\nexecutor = evloop\nconns = 1000\nmode = epoll\nhold_ms = 0\n";
	struct rlimit rl = { .rlim_cur = 300, .rlim_max = 300 };
	const struct metric *note;
	struct t_lab t;
	double n;

	/* Each test runs in its own process: lowering the limit stays here. */
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	t_run(&t, text);
	n = t_metric(&t, 0, "conns");
	ck_assert_msg(n > 50 && n < 150, "conns %f", n);
	ck_assert_double_eq(t_metric(&t, 0, "conns_capped"), 1);
	note = result_get(&t.res[0], "note");
	ck_assert_ptr_nonnull(note);
	ck_assert_ptr_nonnull(strstr(note->json, "open-file limit (300)"));
	t_free(&t);
}
END_TEST

START_TEST(interleave_output)
{
	static const char text[] =
	    "[lab]\nid = i\ntitle = i\n"
	    "[run interleave]\nexecutor = interleave\ntasks = 3\ncount = 4\n"
	    "sleep_ms = 20\n";
	struct t_lab t;
	const struct metric *out;
	char line[OUTPANE_LINE_LEN], prefixes[4] = "";
	int next[128] = { 0 }, run = -1;

	t_run(&t, text);
	out = result_get(&t.res[0], "output");
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(out->kind, METRIC_JSON);
	ck_assert_int_eq(outpane_count(), 12);
	/* The pane holds the same 12 lines; each thread counts 0..3 in order. */
	for (uint64_t i = 0; i < 12; i++) {
		unsigned char c;

		ck_assert(outpane_read(i, line, sizeof line, &run));
		ck_assert_int_eq(run, 0);
		c = (unsigned char)line[0];
		ck_assert(c >= 'a' && c <= 'g');
		ck_assert_int_eq(atoi(line + 1), next[c]++);
		ck_assert_ptr_nonnull(strstr(out->json, line));
		if (strchr(prefixes, c) == NULL && strlen(prefixes) < 3)
			prefixes[strlen(prefixes)] = (char)c;
	}
	ck_assert_int_eq(strlen(prefixes), 3);	/* three distinct prefixes */
	ck_assert(t_metric(&t, 0, "order_changes") >= 0);
	ck_assert(t.res[0].avg_cores_busy < 0.5);
	for (int k = 0; k < 3; k++) {
		const struct trace_task *tk = trace_task(t.env.tr, t.res[0].first_slot + k);

		ck_assert(trace_task_total(t.env.tr, t.res[0].first_slot + k, TRACE_IO,
		    clock_now_ns()) > 50 * CLOCK_NS_PER_MS);
		ck_assert_int_eq(at_load_relaxed(&tk->state), TRACE_DONE);
	}
	t_free(&t);
}
END_TEST

static void *
pane_writer(void *arg)
{
	char buf[32];

	for (int i = 0; i < 2000; i++) {
		snprintf(buf, sizeof buf, "w%d-%d", (int)(intptr_t)arg, i);
		outpane_write(1, buf);
	}
	return NULL;
}

/* The threads' flat-out queue (inflight = 0): 2,000 fib(1) jobs take about
 * 0.1 ms, too short a run for a rate worth printing; the threads go on
 * taking jobs for duration_ms, and the rate counts the jobs done then. */
START_TEST(tiny_jobs_run_long_enough)
{
	static const char text[] =
	    "[lab]\nid = t\ntitle = t\n"
	    "[run tiny]\nexecutor = threads\ntasks = 2\nfib_n = 1\njobs = 2000\n"
	    "duration_ms = 150\n";
	struct t_lab t;
	double done, rate;

	t_run(&t, text);
	done = t_metric(&t, 0, "jobs");
	rate = t_metric(&t, 0, "tasks_per_s");
	ck_assert_msg(t.res[0].wall_s >= 0.9 * 0.150, "wall %f s for duration_ms 150",
	    t.res[0].wall_s);
	ck_assert_msg(done >= 2000, "only %f jobs done", done);
	/* the rate is the jobs done over the wall time, not 2,000 over it */
	ck_assert_msg(rate * t.res[0].wall_s > 0.95 * done && rate * t.res[0].wall_s < 1.05 *
	    done, "rate %f x wall %f != %f jobs", rate, t.res[0].wall_s, done);
	t_free(&t);
}
END_TEST

/* Pool lab's tiny-threads with inflight = 1: like tiny-pool, each of the
 * 2,000 jobs is handed to a worker thread and waited for.  Exactly `jobs`
 * run; every job puts a thread to sleep and wakes it (voluntary context
 * switches), and a job costs far more CPU than on the flat-out queue.  CPU
 * time (the workers' and the submitter's, this thread), not wall: under
 * TSan at load 12 the flat queue's 50 ms did 1,100 jobs, 44 us of wall a
 * job against 455 us handed over (10x, the bound was 20x); their CPU a job
 * is 45-140 us against 0.12-0.22 us under TSan, 22-108 against 0.008-0.013
 * us in the plain build (2 busy loops beside). */
static double
t_cpu_per_job(const struct t_lab *t)
{
	return (t->res[0].cpu_s + (double)t->own_cpu_ns[0] / 1e9) / t_metric(t, 0, "jobs");
}

static long
t_nvcsw(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_nvcsw;
}

START_TEST(tiny_jobs_handed_over)
{
	static const char handed[] =
	    "[lab]\nid = t\ntitle = t\n"
	    "[run tiny]\nexecutor = threads\ntasks = 2\nfib_n = 1\njobs = 2000\n"
	    "inflight = 1\n";
	static const char flat[] =
	    "[lab]\nid = t\ntitle = t\n"
	    "[run tiny]\nexecutor = threads\ntasks = 2\nfib_n = 1\njobs = 2000\n"
	    "duration_ms = 50\n";
	struct t_lab t;
	double per_handed, per_flat, done;
	long sw;

	sw = t_nvcsw();
	t_run(&t, handed);
	sw = t_nvcsw() - sw;
	done = t_metric(&t, 0, "jobs");
	ck_assert_msg(done == 2000, "%f jobs handed over, not 2000", done);
	ck_assert_msg(fabs(t_metric(&t, 0, "tasks_per_s") * t.res[0].wall_s - done) <
	    0.05 * done, "rate x wall != jobs");
	/* The submitter sleeps until each job is back: a switch per job. */
	ck_assert_msg(sw >= 2000, "%ld voluntary switches for 2000 hand-overs", sw);
	per_handed = t_cpu_per_job(&t);
	t_free(&t);
	t_run(&t, flat);
	per_flat = t_cpu_per_job(&t);
	ck_assert_msg(per_handed > 20 * per_flat, "a handed-over job %g s of CPU, a queued "
	    "one %g s", per_handed, per_flat);
	t_free(&t);
}
END_TEST

/* Pool lab's tiny-threads model Python's ThreadPoolExecutor: under the
 * pool's simulated GIL the submitter runs only while it holds it, and so
 * does a worker, so with one task in flight the GIL changes hands at least
 * twice a task (to the worker that runs it, back to the submitter); with
 * pool_gil = none there is no GIL and no such count.  The hand-overs are
 * real sleeps, as Python's: under the GIL the worker cannot finish a task
 * before the submitter sleeps in result(), nor the submitter put the next
 * before the worker sleeps in get, so every task costs each of them a
 * voluntary context switch at least (sleeps_per_task >= 2; a pool that
 * spun or yielded instead would count none). */
START_TEST(tiny_jobs_pass_the_gil)
{
	static const char text[] =
	    "[lab]\nid = t\ntitle = t\n"
	    "[run py]\nexecutor = threads\ntasks = 2\nfib_n = 1\njobs = 500\n"
	    "inflight = 1\n"
	    "[run c]\nexecutor = threads\ntasks = 2\nfib_n = 1\njobs = 500\n"
	    "inflight = 1\npool_gil = none\n";
	struct t_lab t;
	double sw;

	t_run(&t, text);
	ck_assert_double_eq(t_metric(&t, 0, "jobs"), 500);
	ck_assert_double_eq(t_metric(&t, 1, "jobs"), 500);
	sw = t_metric(&t, 0, "switches");
	ck_assert_msg(sw >= 2 * 500 - 1, "the GIL changed hands %.0f times for 500 tasks", sw);
	ck_assert_ptr_null(result_get(&t.res[1], "switches"));
	sw = t_metric(&t, 0, "sleeps_per_task");
	ck_assert_msg(sw >= 1.99 && sw < 10, "%.2f sleeps a task under the GIL", sw);
	ck_assert_double_gt(t_metric(&t, 1, "sleeps_per_task"), 0);
	t_free(&t);
}
END_TEST

/* task_cost_us and worker_cost_us are spun per task, in the submitter and
 * in a worker: the wall time and the workers' CPU time are at least what
 * they add (half of it: the spin is calibrated and the host's speed varies
 * by up to 1.7 times; load only adds). */
START_TEST(tiny_jobs_costs_are_spun)
{
	static const char text[] =
	    "[lab]\nid = t\ntitle = t\n"
	    "[run sub]\nexecutor = threads\ntasks = 2\nfib_n = 1\njobs = 200\n"
	    "inflight = 1\ntask_cost_us = 500\n"
	    "[run wrk]\nexecutor = threads\ntasks = 2\nfib_n = 1\njobs = 200\n"
	    "inflight = 1\nworker_cost_us = 500\n";
	struct t_lab t;

	t_run(&t, text);
	ck_assert_msg(t.res[0].wall_s >= 0.5 * 200 * 500e-6, "200 tasks at 500 us in the "
	    "submitter took %.3f s", t.res[0].wall_s);
	/* the workers are the run's tasks: their CPU time */
	ck_assert_msg(t.res[1].cpu_s >= 0.5 * 200 * 500e-6, "200 tasks at 500 us in a "
	    "worker: the workers' CPU %.3f s", t.res[1].cpu_s);
	ck_assert_msg(t.res[0].cpu_s < 0.5 * 200 * 500e-6, "the submitter's cost spun in a "
	    "worker: %.3f s", t.res[0].cpu_s);
	t_free(&t);
}
END_TEST

START_TEST(outpane_ring)
{
	char buf[OUTPANE_LINE_LEN];
	pthread_t th[2];
	uint64_t n;
	int ok = 0;

	outpane_clear();
	ck_assert_int_eq(outpane_count(), 0);
	ck_assert(!outpane_read(0, buf, sizeof buf, NULL));
	for (int i = 0; i < OUTPANE_LINES + 10; i++) {
		snprintf(buf, sizeof buf, "line %d", i);
		outpane_write(0, buf);
	}
	ck_assert(!outpane_read(0, buf, sizeof buf, NULL));	/* overwritten */
	ck_assert(outpane_read(OUTPANE_LINES + 9, buf, sizeof buf, NULL));
	ck_assert_str_eq(buf, "line 265");
	outpane_write(0, "a line much longer than the pane keeps, cut at the end");
	ck_assert(outpane_read(OUTPANE_LINES + 10, buf, sizeof buf, NULL));
	ck_assert_int_eq(strlen(buf), OUTPANE_LINE_LEN - 1);
	/* Two writers and this reader at once (ThreadSanitizer checks it). */
	outpane_clear();
	for (intptr_t i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, pane_writer, (void *)i);
	while ((n = outpane_count()) < 4000)
		if (n > 0 && outpane_read(n - 1, buf, sizeof buf, NULL))
			ok += buf[0] == 'w';
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	ck_assert_int_eq(outpane_count(), 4000);
	ck_assert(outpane_read(3999, buf, sizeof buf, NULL));
	(void)ok;
}
END_TEST

static Suite *
lesson_figures_suite(void)
{
	Suite *s = suite_create("lesson_figures");
	TCase *tc = tcase_create("lesson_figures");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, join_broken_reports_nothing);
	tcase_add_test(tc, race_loses_only_where_it_should);
	tcase_add_test(tc, race_gil_pass_costs_line_ns);
	tcase_add_test(tc, gil_old_serial_baseline);
	tcase_add_test(tc, gil_old_baseline_has_no_lock);
	tcase_add_test(tc, coroutines_round_robin);
	tcase_add_test(tc, evloop_threads_and_epoll);
	tcase_add_test(tc, evloop_epoll_memory_from_a_fresh_baseline);
	tcase_add_test(tc, evloop_nofile_caps_conns);
	tcase_add_test(tc, interleave_output);
	tcase_add_test(tc, tiny_jobs_run_long_enough);
	tcase_add_test(tc, tiny_jobs_handed_over);
	tcase_add_test(tc, tiny_jobs_pass_the_gil);
	tcase_add_test(tc, tiny_jobs_costs_are_spun);
	tcase_add_test(tc, outpane_ring);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(lesson_figures_suite)
