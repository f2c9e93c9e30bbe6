/* Session: the layer both the headless run and the dashboard use -- lab
 * lookup, the checks every path makes, a run started, paused, stopped and
 * joined, the report's inputs and progress filled from it. */
#include "testutil.h"

#include "clock.h"
#include "forker.h"
#include "session.h"

static const char lab_text[] =
    "[lab]\nid = tiny\ntitle = a tiny lab\nquestion = How long?\n"
    "choice = short\nchoice = long\nanswer = 1\n"
    "[run sleepers]\nexecutor = threads\ntasks = 2\nwork = sleep\nduration_ms = 300\n";

static void
open_tiny(struct session *s)
{
	struct session_opts o = { .slow = 1 };
	struct lab lab;
	char err[256];

	ck_assert_int_eq(session_init(s, &o, err, sizeof err), 0);
	ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "tiny.lab", exec_info,
	    &lab, err, sizeof err), 0);
	session_adopt(s, &lab);
	ck_assert(s->ncpu >= 1);
	ck_assert_int_eq(s->env.ncpus, s->ncpu);
}

START_TEST(lookup_and_checks)
{
	static const char *const sets[] = { "tasks=200" };
	const struct session_opts big = { .slow = 1, .sets = sets, .nsets = 1 };
	struct session s;
	char err[256], ids[512] = "";
	char *path;

	path = session_lab_path("no-such-lab", ids, sizeof ids);
	ck_assert_ptr_null(path);
	ck_assert_ptr_nonnull(strstr(ids, "sleep-vs-fib"));	/* the ids, for the message */
	path = session_lab_path("gil", NULL, 0);
	ck_assert_ptr_nonnull(path);
	free(path);

	open_tiny(&s);
	ck_assert_int_eq(session_check(&s, 0, err, sizeof err), 0);
	ck_assert_int_eq(session_check(&s, 2, err, sizeof err), 0);
	ck_assert_int_eq(session_check(&s, 3, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "1..2"));
	session_destroy(&s);

	/* Task rows beyond the trace: refused as `run` refuses them (by --set
	 * itself, or by the check before a run). */
	ck_assert_int_eq(session_init(&s, &big, err, sizeof err), 0);
	path = session_lab_path("sleep-vs-fib", NULL, 0);
	ck_assert_ptr_nonnull(path);
	ck_assert(session_open(&s, path, err, sizeof err) < 0 ||
	    session_check(&s, 0, err, sizeof err) < 0);
	ck_assert_msg(strstr(err, "task rows") != NULL, "%s", err);
	free(path);
	session_destroy(&s);
}
END_TEST

START_TEST(run_pause_and_report)
{
	struct session s;
	struct report_info info;
	struct progress p = { .n = 0 };
	char err[256];
	uint64_t t0;

	open_tiny(&s);
	ck_assert_int_eq(session_start(&s, -1, err, sizeof err), 0);
	ck_assert(s.running);
	ck_assert_int_eq(session_start(&s, -1, err, sizeof err), -1);	/* one at a time */
	t0 = clock_now_ns();
	while (session_running_run(&s) != 0 && clock_now_ns() - t0 < CLOCK_NS_PER_S)
		forker_wait(CLOCK_NS_PER_MS, -1);
	session_pause(&s, true);
	ck_assert(s.paused);
	ck_assert_int_eq(session_step_gil(&s), -1);	/* no GIL in this run */
	forker_wait(200 * CLOCK_NS_PER_MS, -1);
	session_pause(&s, false);
	while (!session_done(&s))
		session_sample(&s, 8), forker_wait(10 * CLOCK_NS_PER_MS, -1);
	session_join(&s);
	ck_assert(!s.running);
	ck_assert(session_run_finished(&s, 0));
	ck_assert(session_completed(&s));
	/* The pause is left out of the wall time: 300 ms of sleep, not 500. */
	ck_assert_msg(s.runner->results[0].paused_s >= 0.15, "paused %.3f",
	    s.runner->results[0].paused_s);
	ck_assert_msg(s.runner->results[0].wall_s < 0.3 + s.runner->results[0].paused_s,
	    "wall %.3f", s.runner->results[0].wall_s);
	session_report_info(&s, &info, 1, false);
	ck_assert_ptr_eq(info.lab, &s.lab);
	ck_assert_ptr_eq(info.tr, s.env.tr);
	ck_assert_int_eq(info.ncpus, s.ncpu);
	ck_assert_int_eq(info.predict, 1);
	ck_assert_int_eq(session_record_progress(&s, &p, 1, false, err, sizeof err), 0);
	ck_assert_int_eq(progress_get(&p, "tiny")->correct, 1);
	session_destroy(&s);
}
END_TEST

START_TEST(stop_ends_a_run)
{
	struct session s;
	char err[256];

	open_tiny(&s);
	ck_assert_int_eq(lab_set(&s.lab, "duration_ms=20000", err, sizeof err), 0);
	ck_assert_int_eq(session_start(&s, -1, err, sizeof err), 0);
	forker_wait(50 * CLOCK_NS_PER_MS, -1);
	session_stop(&s);
	ck_assert(!s.running);
	ck_assert(!session_completed(&s));	/* stopped: no progress to record */
	session_destroy(&s);
}
END_TEST

/* The holder a step names as "from": paused between a drop and the next
 * take (the lane's free stretch written, a new take not yet), the last
 * one to hold the GIL, not none (the ASan CI run said "stepped one GIL
 * switch" with no names); a hand-over under way at the pause that ends in
 * a take while paused: the taker, who holds it when the step begins, not
 * the holder at the pause's instant (e2e t_gil_turns under load: "stepped
 * one GIL switch: thread-3 to thread-3", the zoom drawing 1 then 3). */
START_TEST(holder_at_a_pause_between_holders)
{
	const uint64_t ms = CLOCK_NS_PER_MS;
	struct session s;
	struct trace *tr;
	int a, b, lane;

	open_tiny(&s);
	tr = s.env.tr;
	a = trace_task_add(tr, 0, "thread-1", TRACE_KIND_TASK);
	b = trace_task_add(tr, 0, "thread-2", TRACE_KIND_TASK);
	lane = trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
	s.paused = true;
	s.pause_t0 = tr->t0 + 50 * ms;
	ck_assert_int_eq(session_gil_holder(&s), -1);	/* none has held it */
	trace_set_state_at(tr, lane, TRACE_RUN, tr->t0 + 100 * ms, (uint32_t)a + 1);
	s.pause_t0 = tr->t0 + 150 * ms;
	ck_assert_int_eq(session_gil_holder(&s), a);
	trace_set_state_at(tr, lane, TRACE_NEW, tr->t0 + 200 * ms, 0);
	s.pause_t0 = tr->t0 + 250 * ms;			/* free at the pause */
	ck_assert_int_eq(session_gil_holder(&s), a);
	/* b's take ends a hand-over after the pause began */
	trace_set_state_at(tr, lane, TRACE_RUN, tr->t0 + 300 * ms, (uint32_t)b + 1);
	ck_assert_int_eq(session_gil_holder(&s), b);
	s.paused = false;
	ck_assert_int_eq(session_gil_holder(&s), b);
	session_destroy(&s);
}
END_TEST

static Suite *
session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, lookup_and_checks);
	tcase_add_test(tc, run_pause_and_report);
	tcase_add_test(tc, stop_ends_a_run);
	tcase_add_test(tc, holder_at_a_pause_between_holders);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN_INIT(session_suite, forker_init())
