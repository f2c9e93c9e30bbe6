/*
 * check_proctrace_states: a traced thread's run, ready, lock and io add up
 * to its life -- in proctrace's table figures and in the trace's intervals
 * (walk6 G10: ready counted inside io as well; G19: a stretch blocked
 * between two looks drawn and left as run, in no state of the report).
 */
#include "fakeproc.h"

#include "trace.h"

#include <check.h>
#include <math.h>

/* run + ready + lock + io of thread tid less its life, ns: from the table
 * (proctrace_info) and from the trace's figures (as the reports take them). */
static void
sums(struct trace *tr, struct proctrace *pt, pid_t tid, int64_t *table, int64_t *traced)
{
	const struct proctrace_info *in = info_of(pt, tid);
	struct trace_task_figures tf;
	uint64_t run;

	ck_assert(in->done);
	*table = (int64_t)(in->run_ns + in->ready_ns + in->lock_ns + in->io_ns) -
	    (int64_t)(in->end_ns - in->start_ns);
	ck_assert(trace_task_figures(tr, in->slot, &tf));
	ck_assert(trace_task_run_ns(&tf, &run));
	*traced = (int64_t)(run + trace_task_ready_ns(tr, in->slot) + tf.total_ns[TRACE_LOCK] +
	    tf.total_ns[TRACE_IO]) - (int64_t)(tf.end_ns - tf.start_ns);
}

START_TEST(states_add_up_to_life)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;
	int64_t table, traced;

	mkthread(100, 100, "python3", 1);
	mkthread(100, 101, "python3", 1);	/* a sleeper, then a computer */
	mkthread(100, 102, "python3", 1);	/* fights for a lock */
	set(100, 100, 0, 0, 1, "202 0x0");	/* main waits in join */
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 3);
	/* 101 sleeps 10 ms at a time: woken, it waits 3 ms for a core and
	 * runs 1 ms, all between two looks, each of which sees it asleep
	 * (nanosleep).  102 is seen running at every look but is on a core
	 * 2 ms of each 10 (blocked in futex between the looks). */
	for (int k = 1; k <= 10; k++) {
		set(100, 101, (unsigned)k, 3 * (unsigned)k, 1 + k, "35 0x0");
		set(100, 102, 2 * (unsigned)k, 0, 1 + 50 * k, "running");
		ck_assert_int_eq(proctrace_poll(pt, t + (uint64_t)k * 10 * MS), 3);
	}
	/* then 101 computes: 8 ms on a core in the next 20 ms */
	set(100, 101, 14, 30, 12, "running");
	set(100, 102, 21, 0, 502, "202 0x0");	/* 102 seen in futex at last */
	ck_assert_int_eq(proctrace_poll(pt, t + 110 * MS), 3);
	set(100, 101, 18, 30, 13, "running");
	ck_assert_int_eq(proctrace_poll(pt, t + 120 * MS), 3);
	/* a thread born since the last look, runnable 5 ms already */
	mkthread(100, 103, "python3", 1);
	set(100, 103, 3, 2, 4, "running");
	ck_assert_int_eq(proctrace_poll(pt, t + 125 * MS), 4);
	set(100, 101, 18, 30, 13, "35 0x0");	/* asleep again */
	set(100, 103, 8, 2, 5, "35 0x0");
	proctrace_finish(pt, t + 130 * MS);

	sums(tr, pt, 101, &table, &traced);
	ck_assert_msg(table == 0 && traced == 0, "101: states less its life: table %.3f ms, "
	    "trace %.3f ms", (double)table / MS, (double)traced / MS);
	/* its io is its life less its time runnable (18 + 30 ms) */
	ck_assert_uint_eq(info_of(pt, 101)->io_ns, (130 - 48) * MS);
	sums(tr, pt, 102, &table, &traced);
	ck_assert_msg(table == 0 && traced == 0, "102: states less its life: table %.3f ms, "
	    "trace %.3f ms", (double)table / MS, (double)traced / MS);
	/* drawn running only as long as it was on a core: the rest is the
	 * lock it was seen in */
	ck_assert_uint_eq(trace_task_total(tr, info_of(pt, 102)->slot, TRACE_RUN, t + 130 * MS),
	    21 * MS);
	ck_assert_uint_eq(info_of(pt, 102)->lock_ns, (130 - 21) * MS);
	/* 103's life starts at least 5 ms before it was seen */
	ck_assert_uint_le(info_of(pt, 103)->start_ns, t + 120 * MS);
	sums(tr, pt, 103, &table, &traced);
	ck_assert_msg(table == 0 && traced == 0, "103: states less its life: table %.3f ms, "
	    "trace %.3f ms", (double)table / MS, (double)traced / MS);
	sums(tr, pt, 100, &table, &traced);
	ck_assert_msg(table == 0 && traced == 0, "main: table %.3f ms, trace %.3f ms",
	    (double)table / MS, (double)traced / MS);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* A thread seen running at every look, on a core 2 ms of each 10, that
 * exits: what it did not run is no run (walk6 G19: cpython2's py-1 ended
 * with 0.47 s drawn as run that no state counted). */
START_TEST(run_to_the_end_is_runnable_only)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;
	int64_t table, traced;

	mkthread(100, 100, "python3", 1);
	mkthread(100, 101, "python3", 1);
	set(100, 100, 0, 0, 1, "202 0x0");
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 2);
	for (int k = 1; k <= 10; k++) {
		set(100, 101, 2 * (unsigned)k, 0, 1 + 40 * k, "running");
		ck_assert_int_eq(proctrace_poll(pt, t + (uint64_t)k * 10 * MS), 2);
	}
	put("100/task/101/schedstat", "%s", "");	/* gone */
	ck_assert_int_eq(proctrace_poll(pt, t + 110 * MS), 1);
	sums(tr, pt, 101, &table, &traced);
	ck_assert_msg(table == 0 && traced == 0, "101: states less its life: table %.3f ms, "
	    "trace %.3f ms", (double)table / MS, (double)traced / MS);
	ck_assert_uint_eq(trace_task_total(tr, info_of(pt, 101)->slot, TRACE_RUN, t + 110 * MS),
	    20 * MS);
	/* never seen blocked: its waits between the looks are counted as lock */
	ck_assert_uint_eq(info_of(pt, 101)->lock_ns, 80 * MS);
	/* and the cells the screen and the SVG draw (trace_task_shares) run
	 * 20 ms, lock 80 ms */
	{
		double ns[12 * TRACE_NSTATES] = { 0 }, run = 0, lock = 0;
		int16_t cpus[12];

		trace_task_shares(tr, info_of(pt, 101)->slot, t, 10 * MS, 12, t + 120 * MS,
		    ns, cpus);
		for (int b = 0; b < 12; b++) {
			run += ns[b * TRACE_NSTATES + TRACE_RUN];
			lock += ns[b * TRACE_NSTATES + TRACE_LOCK];
		}
		ck_assert_msg(fabs(run - 20.0 * MS) < 0.01 * MS && fabs(lock - 80.0 * MS) <
		    0.01 * MS, "cells: run %.3f ms, lock %.3f ms", run / MS, lock / MS);
	}
	proctrace_finish(pt, t + 120 * MS);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* A thread the program never names sleeps 10 x 100 ms: while it waits for
 * its name (half a second here, a second in conclab trace) it has no slot,
 * and what it did meanwhile must still reach the trace (walk7 H1: its
 * first state, run, was drawn up to its slot, 0.9 s of a 1 s sleeper;
 * the table, from proctrace's own totals, was right). */
START_TEST(unnamed_sleeper_drawn_asleep)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace_opts o = { .run = 0, .hz = 1000, .max_cost = 1000,
		.gil_lane = true, .proc_root = root, .rename_slots = true,
		.name_wait_ns = 500 * MS };
	struct proctrace *pt;
	const struct proctrace_info *in;
	uint64_t t = 1000 * MS, life, runnable, end = t + 1010 * MS;
	int64_t table, traced;
	int slot;

	mkthread(100, 100, "python3", 1);
	mkthread(100, 101, "python3", 1);	/* just started: running */
	set(100, 100, 0, 0, 1, "202 0x0");	/* main waits in join */
	pt = proctrace_create(tr, 100, &o, err, sizeof err);
	ck_assert_msg(pt != NULL, "%s", err);
	ck_assert_int_eq(proctrace_poll(pt, t), 2);
	/* looks every 10 ms; 101 is in clock_nanosleep at each, woken every
	 * 100 ms for 0.1 ms on a core after 0.05 ms waiting for one */
	for (int k = 1; k <= 100; k++) {
		put("100/task/101/schedstat", "%llu %llu %d\n",
		    (unsigned long long)(k / 10 + 1) * 100000,
		    (unsigned long long)(k / 10 + 1) * 50000, 2 + k / 10);
		put("100/task/101/syscall", "%s", "230 0x0\n");
		ck_assert_int_eq(proctrace_poll(pt, t + (uint64_t)k * 10 * MS), 2);
		/* no slot before the name wait, one after */
		ck_assert_int_eq(info_of(pt, 101)->slot >= 0, k * 10 >= 500);
	}
	set(100, 101, 0, 0, 12, "230 0x0");	/* (figures kept: not lower) */
	proctrace_finish(pt, end);

	sums(tr, pt, 101, &table, &traced);
	ck_assert_msg(table == 0 && traced == 0, "101: states less its life: table %.3f ms, "
	    "trace %.3f ms", (double)table / MS, (double)traced / MS);
	in = info_of(pt, 101);
	slot = in->slot;
	life = in->end_ns - in->start_ns;
	runnable = in->run_ns + in->ready_ns;
	ck_assert_uint_eq(runnable, 11 * 150000);
	/* io: its life less its time runnable, in the table and the trace */
	ck_assert_uint_eq(in->io_ns, life - runnable);
	ck_assert_uint_eq(trace_task_total(tr, slot, TRACE_IO, end), life - runnable);
	ck_assert_uint_eq(trace_task_total(tr, slot, TRACE_RUN, end), runnable);
	/* and the cells the screen, the CSV and the SVG draw */
	{
		double ns[11 * TRACE_NSTATES] = { 0 }, io = 0, run = 0;
		int16_t cpus[11];

		trace_task_shares(tr, slot, t, 100 * MS, 11, end, ns, cpus);
		for (int b = 0; b < 11; b++) {
			io += ns[b * TRACE_NSTATES + TRACE_IO];
			run += ns[b * TRACE_NSTATES + TRACE_RUN] +
			    ns[b * TRACE_NSTATES + TRACE_READY];
		}
		ck_assert_msg(fabs(io - (double)(life - runnable)) < 0.01 * MS &&
		    fabs(run - (double)runnable) < 0.01 * MS, "cells: io %.3f ms, run %.3f ms",
		    io / MS, run / MS);
	}
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

static Suite *
proctrace_states_suite(void)
{
	Suite *s = suite_create("proctrace_states");
	TCase *tc = tcase_create("fake");

	tcase_add_checked_fixture(tc, setup_root, teardown_root);
	tcase_add_test(tc, states_add_up_to_life);
	tcase_add_test(tc, run_to_the_end_is_runnable_only);
	tcase_add_test(tc, unnamed_sleeper_drawn_asleep);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(proctrace_states_suite)
