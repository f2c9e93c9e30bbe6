/* The simulated GIL: never two holders, every drop request leads to a
 * switch, a thread blocked in I/O does not hold the lock, waiters are in
 * state `lock`, the lane names the holders, pause parks everyone; the
 * effective switch interval is switch_ms x --slow (at least x1). */
#include "testutil.h"

#include "clock.h"
#include "exec.h"
#include "gil.h"
#include "trace.h"
#include "work.h"

#include <pthread.h>
#include <unistd.h>

#define NTHREADS 4

struct shared {
	struct gil *gil;
	struct trace *tr;		/* may be NULL */
	int slots[NTHREADS];
	uint64_t until;			/* run until this time */
	int min_switches;		/* and until the lock changed hands
					 * and was asked for this often */
	uint64_t cap;			/* but not past this time */
	_Atomic int hold;		/* go on past until while set */
	long counter;			/* plain data the GIL protects */
	_Atomic long inside;		/* threads between "enter" and "leave" */
	_Atomic int overlaps;		/* times inside was seen > 1 */
	_Atomic int paused_ticks;	/* ticks made while paused */
};

struct worker {
	struct shared *sh;
	int idx;
	long done;			/* own increments */
};

/* Whether the workers go on (called by the holder): until sh->until, then
 * on until the lock has changed hands and been asked for min_switches times
 * -- a loaded machine runs few switches in a fixed time: under TSan beside
 * other load (load average 12 on 2 cores) a 1 ms interval gave 4 switches
 * in 400 ms -- but never past sh->cap, so a lock that never switches still
 * fails. */
static bool
keep_going(struct shared *sh)
{
	uint64_t now = clock_now_ns();
	struct gil_stats st;

	if (now < sh->until || (at_load_acquire(&sh->hold) && now < sh->cap))
		return true;
	if (sh->min_switches == 0 || now >= sh->cap)
		return false;
	gil_get_stats(sh->gil, &st);
	return st.switches < (uint64_t)sh->min_switches ||
	    st.drop_requests < (uint64_t)sh->min_switches;
}

static void *
worker_main(void *p)
{
	struct worker *wk = p;
	struct shared *sh = wk->sh;
	struct work_ctx w;
	int slot = sh->tr != NULL ? sh->slots[wk->idx] : -1;

	work_ctx_init(&w, sh->tr, slot, NULL, 0);
	gil_attach(sh->gil, &w);
	if (sh->tr != NULL)
		trace_task_begin(sh->tr, slot, false);
	gil_acquire(sh->gil, &w);
	while (keep_going(sh)) {
		for (int i = 0; i < 200; i++) {
			long v;

			work_tick(&w);	/* a check point: the lock may change hands */
			ck_assert(gil_held_by(sh->gil, &w));
			if (at_add_relaxed(&sh->inside, 1) != 0)
				at_add_relaxed(&sh->overlaps, 1);
			/* A read-modify-write across a pause: two holders at once
			 * would lose updates (and ThreadSanitizer would see a race). */
			v = sh->counter;
			for (volatile int k = 0; k < 10; k++)
				;
			sh->counter = v + 1;
			wk->done++;
			at_add_relaxed(&sh->inside, -1);
			if (sh->tr != NULL && at_load_relaxed(&sh->tr->paused))
				at_add_relaxed(&sh->paused_ticks, 1);
		}
	}
	gil_release(sh->gil, &w);
	ck_assert(!gil_held_by(sh->gil, &w));
	if (sh->tr != NULL)
		trace_task_end(sh->tr, slot);
	return NULL;
}

/* At most this long past a run's ms while too few switches came. */
#define MORE_SWITCHES_MS 8000

/* Run NTHREADS CPU-bound workers for ms under g (and past it while
 * sh->min_switches is not reached, see keep_going); returns the sum of
 * their own counts. */
static long
run_workers(struct shared *sh, int ms)
{
	pthread_t th[NTHREADS];
	struct worker wk[NTHREADS];
	long sum = 0;

	sh->until = clock_now_ns() + (uint64_t)ms * CLOCK_NS_PER_MS;
	sh->cap = sh->until + MORE_SWITCHES_MS * CLOCK_NS_PER_MS;
	for (int i = 0; i < NTHREADS; i++) {
		wk[i] = (struct worker){ .sh = sh, .idx = i };
		ck_assert_int_eq(pthread_create(&th[i], NULL, worker_main, &wk[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		sum += wk[i].done;
	}
	return sum;
}

START_TEST(new_gil_mutual_exclusion_and_requests)
{
	struct shared sh = { 0 };
	struct gil_stats st;
	long sum;

	sh.gil = gil_create(GIL_NEW, 1 * CLOCK_NS_PER_MS, 100, NULL, -1);
	sh.min_switches = 10;
	sum = run_workers(&sh, 400);
	gil_get_stats(sh.gil, &st);
	ck_assert_int_eq(at_load_relaxed(&sh.overlaps), 0);
	ck_assert_int_eq(st.holders_max, 1);
	ck_assert_int_eq(sh.counter, sum);
	/* Several switches, each forced by a drop request (within 8.4 s). */
	ck_assert_uint_ge(st.switches, 10);
	ck_assert_uint_ge(st.drop_requests, 10);
	/* Every drop request led to a switch; none was lost. */
	ck_assert_uint_eq(st.requests_lost, 0);
	ck_assert_uint_eq(st.requests_switched, st.drop_requests);
	ck_assert_uint_ge(st.switches, st.drop_requests);
	ck_assert_uint_le(st.drops_on_request, st.drop_requests);
	/* Switches follow the interval: at most one per ms of the lock's life
	 * (400 or more) plus the starts. */
	ck_assert_uint_le(st.switches, st.elapsed_ns / CLOCK_NS_PER_MS + 2 * NTHREADS);
	gil_destroy(sh.gil);
}
END_TEST

START_TEST(old_gil_mutual_exclusion_no_requests)
{
	struct shared sh = { 0 };
	struct gil_stats st;
	long sum;

	sh.gil = gil_create(GIL_OLD, 5 * CLOCK_NS_PER_MS, 100, NULL, -1);
	sum = run_workers(&sh, 300);
	gil_get_stats(sh.gil, &st);
	ck_assert_int_eq(at_load_relaxed(&sh.overlaps), 0);
	ck_assert_int_eq(st.holders_max, 1);
	ck_assert_int_eq(sh.counter, sum);
	ck_assert_uint_eq(st.drop_requests, 0);
	/* A release and retake every 100 ticks, whoever wins. */
	ck_assert_uint_ge(st.acquisitions, (uint64_t)sum / 100);
	ck_assert_uint_le(st.switches, st.acquisitions);
	gil_destroy(sh.gil);
}
END_TEST

/* The old GIL's wake cost: paid only by releases that wake a sleeping
 * waiter, with the lock free meanwhile (still one holder at a time). */
START_TEST(old_gil_wake_cost)
{
	struct work_calib cal = { .spin_ns_per_loop = 1.0 };
	struct gil_stats st;

	for (int cost = 0; cost <= 1; cost++) {
		struct shared sh = { 0 };
		long sum;

		sh.gil = gil_create(GIL_OLD, 5 * CLOCK_NS_PER_MS, 100, NULL, -1);
		gil_set_wake_cost(sh.gil, &cal, cost ? 20000 : 0);
		sum = run_workers(&sh, 300);
		gil_get_stats(sh.gil, &st);
		ck_assert_int_eq(at_load_relaxed(&sh.overlaps), 0);
		ck_assert_int_eq(st.holders_max, 1);
		ck_assert_int_eq(sh.counter, sum);
		if (cost) {
			/* Four threads for 300 ms: waiters sleep and are woken. */
			ck_assert_uint_gt(st.costly_wakes, 0);
			ck_assert_uint_le(st.costly_wakes, st.acquisitions);
		} else {
			ck_assert_uint_eq(st.costly_wakes, 0);
		}
		gil_destroy(sh.gil);
	}
}
END_TEST

/* The old GIL counts Python 2's ticks: a fib call is call_ticks of them,
 * and every check_ticks of them the holder releases and retakes. */
START_TEST(old_gil_counts_python2_ticks)
{
	struct work_calib cal = { .spin_ns_per_loop = 1.0 };
	static const double per_call[] = { 1, 5.5 };
	static const uint64_t want[] = { 1 + 10000 / 100, 1 + 10000 * 55 / 1000 };

	for (int i = 0; i < 2; i++) {
		struct gil *g = gil_create(GIL_OLD, 0, 100, NULL, -1);
		struct gil_stats st;
		struct work_ctx w;

		gil_set_call_ticks(g, per_call[i]);
		work_ctx_init(&w, NULL, -1, &cal, 0);
		gil_attach(g, &w);
		gil_acquire(g, &w);
		for (int t = 0; t < 10000; t++)
			work_tick(&w);
		gil_release(g, &w);
		gil_get_stats(g, &st);
		ck_assert_uint_eq(st.acquisitions, want[i]);
		ck_assert_uint_eq(st.switches, 1);
		gil_destroy(g);
	}
}
END_TEST

/* The I/O test: a thread that blocks in read() with the lock released. */
struct io_arg {
	struct gil *gil;
	int fd;
	_Atomic int phase;	/* 1: about to block, 2: read returned */
	struct work_ctx w;
};

static void *
io_main(void *p)
{
	struct io_arg *a = p;
	char c;

	work_ctx_init(&a->w, NULL, -1, NULL, 0);
	gil_attach(a->gil, &a->w);
	gil_acquire(a->gil, &a->w);
	gil_release(a->gil, &a->w);	/* around the blocking call */
	at_store_release(&a->phase, 1);
	ck_assert_int_eq(read(a->fd, &c, 1), 1);
	gil_acquire(a->gil, &a->w);
	at_store_release(&a->phase, 2);
	gil_release(a->gil, &a->w);
	return NULL;
}

START_TEST(io_thread_does_not_hold_the_lock)
{
	struct io_arg a = { 0 };
	struct work_ctx w;
	struct gil_stats st;
	pthread_t th;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	a.gil = gil_create(GIL_NEW, 5 * CLOCK_NS_PER_MS, 100, NULL, -1);
	a.fd = fds[0];
	ck_assert_int_eq(pthread_create(&th, NULL, io_main, &a), 0);
	while (at_load_acquire(&a.phase) < 1)
		clock_sleep_ns(100000);
	clock_sleep_ns(20 * CLOCK_NS_PER_MS);	/* it is blocked in read() now */
	ck_assert(!gil_held_by(a.gil, &a.w));
	/* A CPU-bound thread takes the lock at once and computes for 50 ms
	 * while the I/O thread stays blocked. */
	work_ctx_init(&w, NULL, -1, NULL, 0);
	gil_attach(a.gil, &w);
	gil_acquire(a.gil, &w);
	ck_assert(gil_held_by(a.gil, &w));
	ck_assert_int_eq(at_load_acquire(&a.phase), 1);
	gil_get_stats(a.gil, &st);
	ck_assert_uint_eq(st.contended, 0);
	/* Data arrives: the I/O thread wants the lock back, and gets it only
	 * through a drop request after the switch interval. */
	ck_assert_int_eq(write(fds[1], "x", 1), 1);
	while (at_load_acquire(&a.phase) < 2)
		work_tick(&w);
	ck_assert(!gil_held_by(a.gil, &w) || at_load_acquire(&a.phase) == 2);
	gil_release(a.gil, &w);
	pthread_join(th, NULL);
	gil_get_stats(a.gil, &st);
	ck_assert_uint_ge(st.drop_requests, 1);
	ck_assert_uint_eq(st.requests_lost, 0);
	gil_destroy(a.gil);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* One attempt: 4 threads for 300 ms under a 10 ms switch interval.  The
 * lane's shape is checked at once; the time each thread waited (at least a
 * third of the run, against three quarters when fair) depends on the
 * scheduler: a holder the machine preempts holds the lock meanwhile, so a
 * thread that held it through a long preemption or started late waited
 * less, hence up to 3 attempts. */
static bool
lock_time_attempt(void *arg, char *why, size_t len)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct shared sh = { 0 };
	struct trace_interval *iv;
	int lane, n, seen[NTHREADS] = { 0 }, pos = 0;
	bool ok = true;

	(void)arg;
	ck_assert_ptr_nonnull(tr);
	for (int i = 0; i < NTHREADS; i++)
		sh.slots[i] = trace_task_add(tr, 0, "t", TRACE_KIND_TASK);
	lane = trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
	sh.tr = tr;
	sh.gil = gil_create(GIL_NEW, 10 * CLOCK_NS_PER_MS, 100, tr, lane);
	sh.min_switches = 10;	/* 300 ms gave 8 under TSan at load 12 */
	run_workers(&sh, 300);
	gil_destroy(sh.gil);
	/* The lane: RUN intervals whose arg is a holder's slot + 1, ending DONE. */
	n = trace_task_intervals(tr, lane, clock_now_ns(), &iv);
	ck_assert_int_ge(n, 10);
	for (int i = 0; i < n - 1; i++) {
		if (iv[i].state != TRACE_RUN)
			continue;
		for (int k = 0; k < NTHREADS; k++)
			if (iv[i].arg == (uint32_t)sh.slots[k] + 1)
				seen[k]++;
		if (i > 0 && iv[i - 1].state == TRACE_RUN)
			ck_assert_uint_ne(iv[i].arg, iv[i - 1].arg);
	}
	for (int k = 0; k < NTHREADS; k++)
		ck_assert_int_gt(seen[k], 0);
	ck_assert_int_eq(iv[n - 1].state, TRACE_DONE);
	free(iv);
	/* Each thread waited most of the time, and it shows as `lock`. */
	for (int i = 0; i < NTHREADS; i++) {
		uint64_t lock = trace_task_total(tr, sh.slots[i], TRACE_LOCK,
		    clock_now_ns());
		uint64_t longest = tr->tasks[sh.slots[i]].max_ns[TRACE_LOCK];

		pos += snprintf(why + pos, len - (size_t)pos, "%sthread %d lock %.0f ms "
		    "(longest %.0f)", i ? ", " : "", i, (double)lock / 1e6,
		    (double)longest / 1e6);
		if ((size_t)pos >= len)
			pos = (int)len - 1;
		ok = ok && lock >= 100 * CLOCK_NS_PER_MS && longest >= 10 * CLOCK_NS_PER_MS;
	}
	trace_destroy(tr);
	return ok;
}

START_TEST(waiters_in_lock_state_and_lane_names_holders)
{
	tu_assert_attempts("GIL waiters' lock time", lock_time_attempt, NULL);
}
END_TEST

struct pauser {
	struct trace *tr;
	struct gil *gil;
	_Atomic int *hold;	/* cleared when done: the workers may end */
	uint64_t requests_during, takes_during;	/* in the window */
	int settle_ms;				/* waited before it */
};

static void *
pauser_main(void *p)
{
	struct pauser *ps = p;
	struct gil_stats a, b;

	clock_sleep_ns(100 * CLOCK_NS_PER_MS);
	at_store_release(&ps->tr->paused, 1);
	/* Let a hand-over asked for before the pause end and the holder park:
	 * until nothing changed for 60 ms (a paused waiter wakes every 50 ms),
	 * at most 3 s, not a fixed 10 ms (a runnable thread can wait longer for
	 * a core on a loaded machine: under TSan at load 12, one take or drop
	 * request in the window in 2 of 23 runs). */
	gil_get_stats(ps->gil, &a);
	for (int quiet = 0; quiet < 6 && ps->settle_ms < 3000; ps->settle_ms += 10) {
		clock_sleep_ns(10 * CLOCK_NS_PER_MS);
		gil_get_stats(ps->gil, &b);
		quiet = b.drop_requests == a.drop_requests &&
		    b.acquisitions == a.acquisitions ? quiet + 1 : 0;
		a = b;
	}
	clock_sleep_ns(150 * CLOCK_NS_PER_MS);
	gil_get_stats(ps->gil, &b);
	ps->requests_during = b.drop_requests - a.drop_requests;
	ps->takes_during = b.acquisitions - a.acquisitions;
	at_store_release(&ps->tr->paused, 0);
	at_store_release(ps->hold, 0);
	return NULL;
}

START_TEST(pause_parks_holder_and_waiters)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct shared sh = { 0 };
	struct pauser ps = { 0 };
	pthread_t th;

	ck_assert_ptr_nonnull(tr);
	for (int i = 0; i < NTHREADS; i++)
		sh.slots[i] = trace_task_add(tr, 0, "t", TRACE_KIND_TASK);
	sh.tr = tr;
	sh.gil = gil_create(GIL_NEW, 2 * CLOCK_NS_PER_MS, 100, tr, -1);
	ps.tr = tr;
	ps.gil = sh.gil;
	/* The workers go on until the pauser is done: a pause that came after
	 * their 400 ms (the pauser's 100 ms sleep ended 300 ms late under TSan
	 * at load 12) saw them leave one by one, each releasing the lock it had
	 * just taken -- 3 takes while paused. */
	ps.hold = &sh.hold;
	at_store_relaxed(&sh.hold, 1);
	ck_assert_int_eq(pthread_create(&th, NULL, pauser_main, &ps), 0);
	run_workers(&sh, 400);
	pthread_join(th, NULL);
	/* While paused nobody took the lock and nobody asked for it. */
	ck_assert_msg(ps.requests_during == 0 && ps.takes_during == 0, "paused: %llu drop "
	    "requests, %llu takes in 150 ms after %d ms of settling",
	    (unsigned long long)ps.requests_during, (unsigned long long)ps.takes_during,
	    ps.settle_ms);
	/* At most the one tick that saw the flag first. */
	ck_assert_int_le(at_load_relaxed(&sh.paused_ticks), 200);
	gil_destroy(sh.gil);
	trace_destroy(tr);
}
END_TEST

/* A presenter's step (trace_step_*): armed, then resumed, the next switch
 * pauses the trace at its own instant -- one switch on the lane however
 * late the controller looks (here 100 ms late; session_step_gil once
 * polled the lane and paused when it saw a take: under TSan beside a busy
 * loop 3 lane events in a step, 1 or 2 wanted). */
struct stepper {
	struct trace *tr;
	int lane;
	_Atomic int *hold;
	uint64_t events;	/* lane events in the step */
	bool taken;		/* trace_step_disarm's answer */
	uint64_t pause_at, take_at;	/* the pause's start, the last take's */
};

static void *
stepper_main(void *p)
{
	struct stepper *sp = p;
	struct trace *tr = sp->tr;
	struct trace_interval *iv;
	uint64_t start, end, n0, t0;
	int n;

	clock_sleep_ns(100 * CLOCK_NS_PER_MS);
	trace_set_paused(tr, true, clock_now_ns());
	clock_sleep_ns(100 * CLOCK_NS_PER_MS);
	n0 = trace_task_events(tr, sp->lane, NULL);
	trace_step_arm(tr);
	trace_set_paused(tr, false, clock_now_ns());
	t0 = clock_now_ns();
	while (at_load_acquire(&tr->paused) == 0 && clock_now_ns() - t0 < 5 * CLOCK_NS_PER_S)
		clock_sleep_ns(CLOCK_NS_PER_MS);
	clock_sleep_ns(100 * CLOCK_NS_PER_MS);	/* a late controller */
	sp->taken = trace_step_disarm(tr);
	sp->events = trace_task_events(tr, sp->lane, NULL) - n0;
	ck_assert(trace_get_pause(tr, trace_npauses(tr) - 1, &start, &end));
	sp->pause_at = start;
	n = trace_task_intervals(tr, sp->lane, clock_now_ns(), &iv);
	sp->take_at = n > 0 ? iv[n - 1].start : 0;
	free(iv);
	if (!sp->taken)
		trace_set_paused(tr, true, clock_now_ns());
	trace_set_paused(tr, false, clock_now_ns());
	at_store_release(sp->hold, 0);
	return NULL;
}

START_TEST(step_pauses_at_the_switch)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct shared sh = { 0 };
	struct stepper sp = { 0 };
	pthread_t th;

	ck_assert_ptr_nonnull(tr);
	for (int i = 0; i < NTHREADS; i++)
		sh.slots[i] = trace_task_add(tr, 0, "t", TRACE_KIND_TASK);
	sp.lane = trace_task_add(tr, 0, "GIL", TRACE_KIND_LANE);
	sh.tr = tr;
	sh.gil = gil_create(GIL_NEW, 2 * CLOCK_NS_PER_MS, 100, tr, sp.lane);
	sp.tr = tr;
	sp.hold = &sh.hold;
	at_store_relaxed(&sh.hold, 1);
	ck_assert_int_eq(pthread_create(&th, NULL, stepper_main, &sp), 0);
	run_workers(&sh, 300);
	pthread_join(th, NULL);
	ck_assert_msg(sp.taken, "no switch paused the step");
	/* one new holder (a slow hand-over first draws the lock free) */
	ck_assert_msg(sp.events == 1 || sp.events == 2, "%llu lane events in one step",
	    (unsigned long long)sp.events);
	ck_assert_uint_eq(sp.pause_at, sp.take_at + 1);	/* paused at the take */
	gil_destroy(sh.gil);
	trace_destroy(tr);
}
END_TEST

/* One formula for the effective switch interval: switch_ms x --slow, a
 * factor below 1 counting as 1 (the dashboard's header once skipped that). */
START_TEST(effective_switch_interval)
{
	const char *text = "[lab]\nid = x\ntitle = t\n[run g]\nexecutor = gil\nswitch_ms = 4\n"
	    "[run c]\nexecutor = convoy\nlock = gil\n[run r]\nexecutor = race\n"
	    "switch_ms = 2\n";
	char err[256];
	struct lab lab;

	ck_assert_msg(lab_parse(text, strlen(text), "m.lab", exec_info, &lab, err,
	    sizeof err) == 0, "%s", err);
	ck_assert_double_eq(exec_switch_ms(&lab.runs[0], 1), 4);
	ck_assert_double_eq(exec_switch_ms(&lab.runs[0], 2.5), 10);
	ck_assert_double_eq(exec_switch_ms(&lab.runs[0], 0.5), 4);
	ck_assert_double_eq(exec_switch_ms(&lab.runs[0], 0), 4);
	ck_assert_double_eq(exec_switch_ms(&lab.runs[1], 3), 15);	/* table default 5 */
	ck_assert_double_eq(exec_switch_ms(&lab.runs[2], 10), 20);
	lab_free(&lab);
}
END_TEST

/* gil-old has no switch interval: asking for one is a bug that stops. */
START_TEST(switch_interval_of_gil_old_stops)
{
	const char *text = "[lab]\nid = x\ntitle = t\n[run o]\nexecutor = gil-old\n";
	char err[256];
	struct lab lab;

	ck_assert(lab_parse(text, strlen(text), "m.lab", exec_info, &lab, err,
	    sizeof err) == 0);
	(void)exec_switch_ms(&lab.runs[0], 1);
}
END_TEST

static Suite *
gil_suite(void)
{
	Suite *s = suite_create("gil");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, new_gil_mutual_exclusion_and_requests);
	tcase_add_test(tc, old_gil_mutual_exclusion_no_requests);
	tcase_add_test(tc, old_gil_wake_cost);
	tcase_add_test(tc, old_gil_counts_python2_ticks);
	tcase_add_test(tc, io_thread_does_not_hold_the_lock);
	tcase_add_test(tc, waiters_in_lock_state_and_lane_names_holders);
	tcase_add_test(tc, pause_parks_holder_and_waiters);
	tcase_add_test(tc, step_pauses_at_the_switch);
	tcase_add_test(tc, effective_switch_interval);
	tcase_add_exit_test(tc, switch_interval_of_gil_old_stops, 1);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(gil_suite)
