/*
 * session: the environment, the lab and the runner's lifecycle, shared by
 * the headless run and the dashboard.  See session.h for who may call what.
 */
#include "session.h"

#include "clock.h"
#include "forker.h"
#include "util.h"
#include "verdict.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct trace *exit_trace;
static bool exit_hooked;

static void
stop_at_exit(void)
{
	if (exit_trace != NULL)
		trace_stop(exit_trace);
}

void
session_stop_at_exit(struct trace *tr)
{
	exit_trace = tr;
	if (!exit_hooked) {
		util_on_cleanup(stop_at_exit);
		exit_hooked = true;
	}
}

/* cpu_ids and the counts from env.cpus. */
static void
use_cpus(struct session *s)
{
	s->env.ncpus = CPU_COUNT(&s->env.cpus);
	s->ncpu = 0;
	for (int c = 0; c < CPUS_MAX; c++)
		if (CPU_ISSET(c, &s->env.cpus))
			s->cpu_ids[s->ncpu++] = c;
}

int
session_set_cpus(struct session *s, const cpu_set_t *set, char *err, size_t errlen)
{
	if (s->running) {
		util_err(err, errlen, "the CPUs apply to the next run: wait for this one, or Esc");
		return -1;
	}
	if (cpus_check_within(set, &s->all_cpus, err, errlen) < 0)
		return -1;
	if (CPU_COUNT(set) == 0 || sched_setaffinity(0, sizeof *set, set) != 0) {
		util_err(err, errlen, "cannot pin to those CPUs");
		return -1;
	}
	s->env.cpus = *set;
	use_cpus(s);
	return 0;
}

int
session_init(struct session *s, const struct session_opts *o, char *err, size_t errlen)
{
	int maxcpu = 0;

	memset(s, 0, sizeof *s);
	s->o = *o;
	if (s->o.slow < 1)
		s->o.slow = 1;
	s->run_only = -1;
	s->runner = xcalloc(1, sizeof *s->runner);
	s->finished = xcalloc(LAB_MAX_RUNS, sizeof *s->finished);
	s->tasks = xcalloc(1, sizeof *s->tasks);
	cpus_allowed(&s->all_cpus);
	if (o->cpus != NULL && (cpus_parse_list(o->cpus, &s->env.cpus, err, errlen) < 0 ||
	    cpus_pin(&s->env.cpus, err, errlen) < 0)) {
		char msg[512], note[160];

		snprintf(msg, sizeof msg, "--cpus: %s", err);
		/* walk 7 H6: --cpus 4 meant four cores, not CPU number 4 */
		if (cpus_count_like(o->cpus, note, sizeof note))
			snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "; %s",
			    strstr(note, "--cpus takes"));
		util_strlcpy(err, msg, errlen);
		return -1;
	}
	cpus_allowed(&s->env.cpus);
	use_cpus(s);
	s->env.slow = s->o.slow;
	for (int c = 0; c < CPUS_MAX; c++)	/* every CPU the settings may choose */
		if (CPU_ISSET(c, &s->all_cpus) || CPU_ISSET(c, &s->env.cpus))
			maxcpu = c;
	s->cores = sample_cores_create(maxcpu + 1, NULL);
	s->own = ownshare_create(getpid(), maxcpu + 1, NULL);
	s->shares = xcalloc(LAB_MAX_RUNS, sizeof *s->shares);
	s->env.tr = trace_create(err, errlen);
	if (s->env.tr == NULL)
		return -1;
	session_stop_at_exit(s->env.tr);
	return 0;
}

void
session_destroy(struct session *s)
{
	if (s->runner != NULL) {
		session_stop(s);
		exec_runner_clear(s->runner);
		free(s->runner);
	}
	free(s->finished);
	free(s->tasks);
	export_series_destroy(s->series);
	if (s->have_lab)
		lab_free(&s->lab);
	sample_cores_destroy(s->cores);
	ownshare_destroy(s->own);
	free(s->shares);
	if (s->env.tr != NULL) {
		session_stop_at_exit(NULL);
		trace_destroy(s->env.tr);
	}
	memset(s, 0, sizeof *s);
}

char *
session_lab_path(const char *name, char *ids, size_t idlen)
{
	char *path = lab_locate(name);

	if (path == NULL && ids != NULL)
		lab_id_list(exec_info, ids, idlen);
	return path;
}

/* Apply --set and --only to the lab just loaded.  The settings are given
 * again once --only is known: one that only the runs it leaves out use is
 * refused then (it would change nothing), while a bad --set is still named
 * before a bad --only (tests/long/valgrind.sh probes keys that way). */
static int
apply_options(struct session *s, char *err, size_t errlen)
{
	for (int i = 0; i < s->o.nsets; i++)
		if (lab_set(&s->lab, s->o.sets[i], err, errlen) < 0)
			return -1;
	if (s->o.only == NULL ||
	    (s->o.only_if_present && lab_run_find(&s->lab, s->o.only) == NULL))
		return 0;
	if (lab_only(&s->lab, s->o.only, err, errlen) < 0)
		return -1;
	for (int i = 0; i < s->o.nsets; i++)
		if (lab_set(&s->lab, s->o.sets[i], err, errlen) < 0)
			return -1;
	return 0;
}

int
session_open(struct session *s, const char *path, char *err, size_t errlen)
{
	struct lab lab;

	/* A lab that does not load leaves the one open as it was. */
	if (lab_load(path, exec_info, &lab, err, errlen) < 0)
		return -1;
	session_forget(s);	/* the results point into the lab */
	if (s->have_lab)
		lab_free(&s->lab);
	s->lab = lab;
	s->have_lab = true;
	if (path != s->path)
		util_strlcpy(s->path, path, sizeof s->path);
	return apply_options(s, err, errlen);
}

void
session_adopt(struct session *s, struct lab *lab)
{
	session_forget(s);
	if (s->have_lab)
		lab_free(&s->lab);
	s->lab = *lab;
	s->have_lab = true;
	s->path[0] = '\0';
}

void
session_forget(struct session *s)
{
	if (s->running)
		return;
	exec_runner_clear(s->runner);
	memset(s->runner, 0, sizeof *s->runner);
	trace_reset(s->env.tr);
	s->t_end = 0;
}

int
session_check(const struct session *s, int predict, char *err, size_t errlen)
{
	const struct lab *lab = &s->lab;

	if (lab_check_rows(lab, err, errlen) < 0)
		return -1;
	if (predict != 0 && lab->nchoices == 0) {
		util_err(err, errlen, "lab %s asks no question to predict", lab->id);
		return -1;
	}
	if (predict != 0 && (predict < 1 || predict > lab->nchoices)) {
		util_err(err, errlen, "--predict must be a choice 1..%d (lab %s has %d)",
		    lab->nchoices, lab->id, lab->nchoices);
		return -1;
	}
	return 0;
}

void
session_calibrate(struct session *s)
{
	if (!s->calibrated)
		work_calibrate(&s->env.cal);
	s->calibrated = true;
}

int
session_start(struct session *s, int only, char *err, size_t errlen)
{
	if (s->running) {
		util_err(err, errlen, "a run is in progress");
		return -1;
	}
	session_calibrate(s);
	exec_runner_clear(s->runner);
	memset(s->runner, 0, sizeof *s->runner);
	trace_reset(s->env.tr);
	memset(s->tasks, 0, sizeof *s->tasks);
	export_series_destroy(s->series);
	s->series = export_series_create(s->ncpu);
	s->run_only = only;
	s->t_end = 0;
	s->paused = false;
	if (exec_runner_start(s->runner, &s->env, &s->lab, only) < 0) {
		util_err(err, errlen, "cannot start the runner thread");
		return -1;
	}
	s->running = true;
	return 0;
}

bool
session_done(struct session *s)
{
	return exec_runner_done(s->runner);
}

void
session_join(struct session *s)
{
	if (!s->running)
		return;
	exec_runner_join(s->runner);
	s->running = false;
	s->t_end = clock_now_ns();
	if (s->paused)
		session_pause(s, false);
}

void
session_stop(struct session *s)
{
	if (!s->running)
		return;
	if (s->paused)
		session_pause(s, false);
	trace_stop(s->env.tr);
	while (!exec_runner_done(s->runner))
		forker_wait(10 * CLOCK_NS_PER_MS, -1);
	session_join(s);
}

/* Send sig to every worker process of the lab that has not ended. */
static void
signal_workers(struct session *s, int sig)
{
	const struct trace *tr = s->env.tr;
	int n = trace_ntasks(tr);
	pid_t self = getpid();

	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(tr, i);
		pid_t pid = trace_task_pid(tr, i);

		if (t != NULL && t->kind == TRACE_KIND_TASK && pid > 0 && pid != self &&
		    !trace_task_ended(tr, i))
			kill(pid, sig);
	}
}

void
session_pause(struct session *s, bool on)
{
	uint64_t now = clock_now_ns();

	if (on == s->paused)
		return;
	s->paused = on;
	if (on) {
		s->pause_t0 = now;
		trace_set_paused(s->env.tr, true, now);
		/* every running task's schedstat up to the pause (the sample folds
		 * to its start): the cells before it stay as they are drawn now,
		 * since sampling stops while paused */
		if (s->running)
			sample_tasks_all(s->tasks, s->env.tr);
		signal_workers(s, SIGSTOP);
		if (s->running)
			trace_mark(s->env.tr, TRACE_MARK_NOTE, -1, now, "paused");
	} else {
		signal_workers(s, SIGCONT);
		trace_set_paused(s->env.tr, false, now);
		if (s->running)	/* the timeline greys the time between */
			trace_mark(s->env.tr, TRACE_MARK_NOTE, -1, now, "resumed");
	}
}

/* The GIL lane of the run in progress, or -1. */
static int
gil_lane(const struct trace *tr)
{
	int lane = -1, n = trace_ntasks(tr);

	for (int i = 0; i < n; i++) {
		const struct trace_task *t = trace_task(tr, i);

		if (t != NULL && t->kind == TRACE_KIND_LANE &&
		    trace_task_state(tr, i) != TRACE_DONE)
			lane = i;
	}
	return lane;
}

/* The slot + 1 of the lane's latest holder (a take while paused included),
 * 0 when none has held it. */
static int
lane_latest_holder(const struct trace *tr, int lane)
{
	struct trace_interval *iv;
	int n = trace_task_intervals(tr, lane, UINT64_MAX, &iv), who = 0;

	for (int i = n - 1; i >= 0 && who == 0; i--)
		if (iv[i].state == TRACE_RUN)
			who = (int)iv[i].arg;
	free(iv);
	return who;
}

int
session_step_gil(struct session *s)
{
	struct trace *tr = s->env.tr;
	int lane = gil_lane(tr), from, stepped = 0;
	uint64_t nev0, now = clock_now_ns(), deadline = now + 5 * CLOCK_NS_PER_S;

	if (lane < 0)
		return -1;
	nev0 = trace_task_events(tr, lane, NULL);
	from = lane_latest_holder(tr, lane);
	/* one instant for the mark and the clock: the header's time moves by
	 * exactly the step (two readings differed by 9 us under TSan) */
	trace_mark(tr, TRACE_MARK_NOTE, -1, now, "resumed");
	trace_step_arm(tr);
	trace_set_paused(tr, false, now);
	while (clock_now_ns() < deadline && !exec_runner_done(s->runner)) {
		enum trace_state last;
		uint64_t nev = trace_task_events(tr, lane, &last);

		if (at_load_acquire(&tr->paused) != 0)
			break;	/* a simulated GIL's switch paused it */
		/* a lane no simulated GIL writes (a real CPython's, sampled):
		 * a take by another thread than the latest, seen here -- as
		 * late as this thread looks (a loaded machine: several) */
		if (nev != nev0 && last == TRACE_RUN && lane_latest_holder(tr, lane) != from) {
			stepped = 1;
			break;
		}
		nev0 = nev;
		forker_wait(CLOCK_NS_PER_MS / 4, -1);
	}
	if (trace_step_disarm(tr)) {
		/* paused at the switch itself: exactly one, however late this
		 * thread ran (check_dash under TSan beside a busy loop: 3 lane
		 * events in a step, 1 or 2 wanted) */
		s->pause_t0 = tr->pause_t0;
		stepped = 1;
	} else {
		s->pause_t0 = clock_now_ns();
		trace_set_paused(tr, true, s->pause_t0);
	}
	sample_tasks_all(s->tasks, tr);	/* the step's own samples */
	trace_mark(tr, TRACE_MARK_NOTE, -1, s->pause_t0, "paused");
	return stepped;
}

int
session_gil_holder(const struct session *s)
{
	int lane = gil_lane(s->env.tr);

	/* The latest take, not the holder at the pause's instant: a hand-over
	 * under way when the pause came ends in a take while paused (a loaded
	 * machine, plain and ASan e2e t_gil_turns: "stepped one GIL switch:
	 * thread-3 to thread-3" -- 1 had taken it after the pause, and the
	 * step went from 1 to 3).  Free now: the last one to hold it. */
	return lane < 0 ? -1 : lane_latest_holder(s->env.tr, lane) - 1;
}

int
session_running_run(struct session *s)
{
	for (int i = 0; s->have_lab && i < s->lab.nruns; i++)
		if (at_load_acquire(&s->runner->state[i]) == EXEC_RUNNING)
			return i;
	return -1;
}

bool
session_run_finished(struct session *s, int i)
{
	return at_load_acquire(&s->runner->state[i]) == EXEC_FINISHED;
}

bool
session_completed(struct session *s)
{
	if (s->run_only != -1 || trace_stopping(s->env.tr))
		return false;
	/* --only leaves runs out: the lab is not done, nor its lesson judged */
	for (int i = 0; i < s->lab.nruns; i++)
		if (!s->lab.runs[i].selected || !session_run_finished(s, i) ||
		    s->runner->results[i].failed)
			return false;
	return true;
}

void
session_sample(struct session *s, int budget)
{
	bool cores = sample_cores(s->cores) == 0;
	uint64_t now = clock_now_ns();

	/* the lab's own share over the same interval, read just after */
	ownshare_sample(s->own, now);
	if (cores && s->running && s->series != NULL) {
		double busy[CPUS_MAX], own[CPUS_MAX];

		for (int i = 0; i < s->ncpu; i++) {
			busy[i] = s->cpu_ids[i] < s->cores->ncpu ?
			    s->cores->busy[s->cpu_ids[i]] : -1;
			own[i] = ownshare_get(s->own, s->cpu_ids[i]);
		}
		export_series_add_shares(s->series, now, busy, own);
	}
	/* not while paused: a parked task's schedstat stands still, and a
	 * long pause would push the run's samples out of the ring */
	if (s->running && !s->paused)
		sample_tasks(s->tasks, s->env.tr, budget);
}

/* Each finished run's mean core shares over its span, from the series
 * (the runs of the last start; others stay unknown). */
static void
fill_shares(const struct session *s, const struct run_result *results)
{
	for (int i = 0; i < LAB_MAX_RUNS; i++) {
		struct report_core_share *sh = &s->shares[i];
		const struct run_result *r = &results[i];

		sh->known = false;
		if (i >= s->lab.nruns || !r->finished || r->skipped || s->series == NULL ||
		    r->t_end <= r->t_start)
			continue;
		for (int k = 0; k < s->ncpu && k < s->series->ncpu; k++) {
			double busy, own;

			sh->known |= export_series_mean(s->series, s->env.tr, k, r->t_start,
			    r->t_end, &busy, &own);
			sh->busy[k] = (float)busy;
			sh->own[k] = (float)own;
		}
	}
}

void
session_report_info(const struct session *s, struct report_info *info, int predict,
    bool stopped)
{
	memset(info, 0, sizeof *info);
	info->lab = &s->lab;
	info->results = s->runner->results;
	if (s->running) {
		/* Shallow copies: what they point to is the runner's until the
		 * next start; the state's acquire orders the result's writes
		 * (the extra rounds' merge too: exec_rounds). */
		for (int i = 0; i < LAB_MAX_RUNS; i++)
			if (i < s->lab.nruns &&
			    at_load_acquire(&s->runner->state[i]) == EXEC_FINISHED)
				s->finished[i] = s->runner->results[i];
			else
				memset(&s->finished[i], 0, sizeof s->finished[i]);
		info->results = s->finished;
	}
	fill_shares(s, info->results);
	info->shares = s->shares;
	info->tr = s->env.tr;
	info->predict = predict;
	info->stopped = stopped;
	info->slow = s->env.slow;
	/* the panel may have changed it since */
	info->slow_from = s->env.slow == s->o.slow ? s->o.slow_from : NULL;
	report_machine(info, &s->env.cpus, &s->env.cal);
}

int
session_record_progress(const struct session *s, struct progress *p, int predict,
    bool save, char *err, size_t errlen)
{
	const struct lab *lab = &s->lab;

	unsigned tried = 0;
	struct report_info info;
	struct verdict v;

	progress_record(p, lab->id, predict,
	    predict > 0 && lab->answer > 0 ? predict == lab->answer : -1);
	/* "taught" only once a run showed the lesson: a failed expectation
	 * that carries it leaves the lab done but not shown; side figures off
	 * are kept by name */
	session_report_info(s, &info, predict, false);
	verdict_judge(&info, &v);
	if (v.n > 0 && v.held + v.failed > 0)	/* a side figure off: shown all the same */
		progress_set_shown(p, lab->id, v.lesson_failed == 0);
	if (v.n > 0 && v.held + v.failed > 0 && v.lesson_failed == 0) {
		char off[64] = "";

		for (int i = 0; i < v.n; i++)
			if (v.v[i] == EXPR_FAILED)
				util_appendf(off, sizeof off, "%s%s", off[0] ? "," : "",
				    lab->expect_names[i]);
		progress_set_off(p, lab->id, off);
	}
	/* the tries these runs did: a setting, the CPUs or slow motion changed */
	for (int t = 0; t < lab->ntries; t++)
		if (lab_try_done(lab, t, s->ncpu < CPU_COUNT(&s->all_cpus), s->env.slow > 1))
			tried |= 1u << t;
	progress_add_tries(p, lab->id, tried);
	return save ? progress_save(p, err, errlen) : 0;
}
