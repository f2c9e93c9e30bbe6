/* cells: error diffusion gives each state cells in proportion to its time,
 * draws a state only where it occurred, staggers rows with the same mix,
 * and the ready time is fitted to the measured wait. */
#include "testutil.h"

#include "cells.h"
#include <math.h>
#include "trace.h"

#define N 90

static void
fill(double *ns, int n, double run, double lock, double ready)
{
	memset(ns, 0, sizeof *ns * (size_t)n * TRACE_NSTATES);
	for (int b = 0; b < n; b++) {
		ns[b * TRACE_NSTATES + TRACE_RUN] = run;
		ns[b * TRACE_NSTATES + TRACE_LOCK] = lock;
		ns[b * TRACE_NSTATES + TRACE_READY] = ready;
	}
}

START_TEST(counts_follow_time)
{
	double ns[N * TRACE_NSTATES];
	uint8_t st[N];

	/* A GIL thread: a third of every cell holding the lock.  The old
	 * majority rule drew it all lock. */
	fill(ns, N, 1, 2, 0);
	cells_diffuse(ns, N, 0, st);
	ck_assert_int_eq(cells_count(st, N, TRACE_RUN), 30);
	ck_assert_int_eq(cells_count(st, N, TRACE_LOCK), 60);
	/* 3 threads on 2 cores: a third ready, within a cell */
	fill(ns, N, 2, 0, 1);
	cells_diffuse(ns, N, 0.3, st);
	ck_assert_int_le(abs(cells_count(st, N, TRACE_READY) - 30), 1);
	/* uneven cells: totals still proportional, exact to a cell */
	memset(ns, 0, sizeof ns);
	for (int b = 0; b < N; b++) {
		ns[b * TRACE_NSTATES + TRACE_RUN] = (b % 7) * 1.0;
		ns[b * TRACE_NSTATES + TRACE_IO] = 7.0 - (b % 7);
	}
	cells_diffuse(ns, N, 0, st);
	{
		double run = 0, tot = 0;

		for (int b = 0; b < N; b++) {
			run += ns[b * TRACE_NSTATES + TRACE_RUN] / 7.0;
			tot += 1;
		}
		ck_assert_msg(fabs(cells_count(st, N, TRACE_RUN) - run) <= 1.0, "%d vs %.1f",
		    cells_count(st, N, TRACE_RUN), run);
		ck_assert_int_eq(cells_count(st, N, TRACE_RUN) + cells_count(st, N, TRACE_IO),
		    (int)tot);
	}
}
END_TEST

/* A GIL holder kept off its core part of the time (a busy machine): the
 * cells its lane says it holds are split between run and ready by their
 * time, not all drawn running (the SVG drew fib-gil's threads 1.41 s
 * running for 1.06 s measured). */
START_TEST(held_cells_split_run_and_ready)
{
	double ns[N * TRACE_NSTATES];
	uint8_t st[N], held[N];

	/* a third of every cell each: run, ready, lock; held in 60 of 90 */
	fill(ns, N, 1, 1, 1);
	for (int b = 0; b < N; b++)
		held[b] = b % 3 != 2 ? CELLS_HOLDS : CELLS_FREE;
	cells_diffuse_held(ns, N, 0, held, st);
	for (int b = 0; b < N; b++)
		ck_assert_msg(held[b] != CELLS_HOLDS || st[b] != TRACE_LOCK, "cell %d lock", b);
	ck_assert_int_le(abs(cells_count(st, N, TRACE_RUN) - 30), 1);
	ck_assert_int_le(abs(cells_count(st, N, TRACE_READY) - 30), 1);
}
END_TEST

START_TEST(states_only_where_they_occurred)
{
	double ns[N * TRACE_NSTATES];
	uint8_t st[N];

	memset(ns, 0, sizeof ns);
	for (int b = 0; b < 40; b++)
		ns[b * TRACE_NSTATES + TRACE_RUN] = 5;
	for (int b = 40; b < 60; b++)
		ns[b * TRACE_NSTATES + TRACE_IO] = 5;
	ns[70 * TRACE_NSTATES + TRACE_FAILED] = 0.001;	/* a failure shows, however short */
	ns[70 * TRACE_NSTATES + TRACE_RUN] = 5;
	cells_diffuse(ns, N, 0, st);
	for (int b = 0; b < 40; b++)
		ck_assert_int_eq(st[b], TRACE_RUN);
	for (int b = 40; b < 60; b++)
		ck_assert_int_eq(st[b], TRACE_IO);
	ck_assert_int_eq(st[65], TRACE_NEW);	/* no time: blank */
	ck_assert_int_eq(st[70], TRACE_FAILED);
}
END_TEST

START_TEST(rows_take_turns)
{
	double ns[N * TRACE_NSTATES];
	uint8_t st[3][N];
	int together = 0;

	fill(ns, N, 1, 2, 0);
	for (int k = 0; k < 3; k++)
		cells_diffuse(ns, N, k / 3.0, st[k]);
	/* three rows a third running each: seldom two in the same cell */
	for (int b = 0; b < N; b++)
		together += (st[0][b] == TRACE_RUN) + (st[1][b] == TRACE_RUN) +
		    (st[2][b] == TRACE_RUN) > 1;
	ck_assert_msg(together <= N / 10, "%d cells with two rows running", together);
}
END_TEST

START_TEST(ready_fits_the_measured_wait)
{
	double ns[N * TRACE_NSTATES], ready = 0, run = 0;

	/* the sampler saw waiting in the first half only */
	memset(ns, 0, sizeof ns);
	for (int b = 0; b < N; b++) {
		ns[b * TRACE_NSTATES + TRACE_RUN] = b < N / 2 ? 6 : 9;
		ns[b * TRACE_NSTATES + TRACE_READY] = b < N / 2 ? 3 : 0;
	}
	cells_fit_ready(ns, N, 200);
	for (int b = 0; b < N; b++) {
		ready += ns[b * TRACE_NSTATES + TRACE_READY];
		run += ns[b * TRACE_NSTATES + TRACE_RUN];
		ck_assert(b < N / 2 || ns[b * TRACE_NSTATES + TRACE_READY] == 0);
	}
	ck_assert_double_eq_tol(ready, 200, 1e-6);
	ck_assert_double_eq_tol(run + ready, 9.0 * N, 1e-6);
	/* more wait than the sampled cells hold: the rest spread over running */
	cells_fit_ready(ns, N, 500);
	ready = 0;
	for (int b = 0; b < N; b++)
		ready += ns[b * TRACE_NSTATES + TRACE_READY];
	ck_assert_double_eq_tol(ready, 500, 1e-6);
	ck_assert(ns[(N - 1) * TRACE_NSTATES + TRACE_READY] > 0);
	/* no sampler data at all: spread evenly */
	fill(ns, N, 9, 0, 0);
	cells_fit_ready(ns, N, 3.0 * N);
	ck_assert_double_eq_tol(ns[5 * TRACE_NSTATES + TRACE_READY], 3, 1e-9);
}
END_TEST

/* Review F8: coroutines on one thread.  countdown ran in cells 0-29, waited
 * for its turn in cells 30-59 while a task that never yields held the
 * thread, then took turns.  Its measured wait (less than the READY its
 * intervals show, or more) never turns a waiting cell into a running one. */
START_TEST(waiting_cells_never_run)
{
	double ns[N * TRACE_NSTATES];
	double targets[] = { 100, 450, 900 };
	uint8_t st[N];

	for (size_t k = 0; k < sizeof targets / sizeof targets[0]; k++) {
		memset(ns, 0, sizeof ns);
		for (int b = 0; b < N; b++) {
			ns[b * TRACE_NSTATES + TRACE_RUN] = b < 30 ? 10 : b < 60 ? 0 : 5;
			ns[b * TRACE_NSTATES + TRACE_READY] = b < 30 ? 0 : b < 60 ? 10 : 5;
		}
		cells_fit_ready(ns, N, targets[k]);
		cells_diffuse(ns, N, 0.5, st);
		for (int b = 30; b < 60; b++) {
			ck_assert_double_eq(ns[b * TRACE_NSTATES + TRACE_RUN], 0);
			ck_assert_msg(st[b] == TRACE_READY, "cell %d drawn %d (target %.0f)", b,
			    st[b], targets[k]);
		}
	}
}
END_TEST

/* Review F5: 4 threads on 2 busy cores, live.  schedstat adds a run-queue
 * wait only when it ends, so the samples so far show on-CPU time (25 % of
 * each 100 ms) and hardly any wait.  The live cells already show the ready
 * share, and the CPU so far is the on-CPU time, not the time in RUN. */
START_TEST(live_cells_show_the_ready_share)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	int slot = trace_task_add(tr, 0, "thread-3", TRACE_KIND_TASK);
	uint64_t t0, ms = 1000000, now;
	double ns[10 * TRACE_NSTATES], run = 0, ready = 0;
	int16_t cpu[10];
	uint8_t st[10];

	ck_assert_ptr_nonnull(tr);
	trace_task_begin(tr, slot, false);
	t0 = trace_task(tr, slot)->start_ns;
	for (int i = 1; i <= 10; i++)
		trace_sched_add(tr, slot, t0 + (uint64_t)i * 100 * ms, 25 * ms,
		    i == 10 ? 300 * ms : 0);
	now = t0 + 1000 * ms;
	ck_assert_uint_le(trace_task_cpu_live(tr, slot, now), 260 * ms);
	ck_assert_uint_ge(trace_task_cpu_live(tr, slot, now), 240 * ms);
	trace_task_shares(tr, slot, t0, 100 * ms, 10, now, ns, cpu);
	for (int b = 0; b < 10; b++) {
		run += ns[b * TRACE_NSTATES + TRACE_RUN];
		ready += ns[b * TRACE_NSTATES + TRACE_READY];
	}
	ck_assert_msg(ready > 2.5 * run, "live: %.0f ms ready, %.0f ms run", ready / 1e6,
	    run / 1e6);
	cells_diffuse(ns, 10, 0, st);
	ck_assert_int_le(cells_count(st, 10, TRACE_RUN), 4);
	/* paused: the picture's clock stands at now while the sampler goes
	 * on; its later samples change neither the CPU so far nor the cells */
	{
		uint64_t before = trace_task_cpu_live(tr, slot, now);
		double ns2[10 * TRACE_NSTATES];

		trace_sched_add(tr, slot, now + 500 * ms, 100 * ms, 0);
		ck_assert_uint_eq(trace_task_cpu_live(tr, slot, now), before);
		trace_task_shares(tr, slot, t0, 100 * ms, 10, now, ns2, cpu);
		ck_assert_mem_eq(ns, ns2, sizeof ns);
	}
	trace_destroy(tr);
}
END_TEST

/* Walk 3 #1: a task writing more intervals than its ring holds (the
 * server lab's event loop) was drawn blank -- "not started" -- for the
 * part of its life the ring had overwritten.  20,000 alternating run/io
 * intervals over 2 s (140 us run, 60 us io): the first second is drawn
 * from the fold, 70 % run within a cell, and the totals stay exact. */
START_TEST(full_ring_is_folded_not_blank)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	int slot, n = 20;
	uint64_t t0 = 1000000000ULL, us = 1000, ms = 1000000, t = t0, run_ns = 0, io_ns = 0;
	double ns[20 * TRACE_NSTATES], run_sum = 0;
	int16_t cpu[20];
	uint8_t st[20];

	ck_assert_ptr_nonnull(tr);
	slot = trace_task_add(tr, 0, "evloop", TRACE_KIND_TASK);
	trace_task_begin_at(tr, slot, 1, 1, t0, TRACE_RUN, 0);
	for (int i = 1; i < 20000; i++) {
		uint64_t len = i % 2 ? 140 * us : 60 * us;

		t += len;
		run_ns += i % 2 ? len : 0;
		io_ns += i % 2 ? 0 : len;
		trace_set_state_cpu_at(tr, slot, i % 2 ? TRACE_IO : TRACE_RUN, t, 0);
	}
	io_ns += 2000 * ms - (t - t0);	/* the last io interval, to 2 s */
	t = t0 + 2000 * ms;
	trace_task_end_at(tr, slot, t, run_ns, 0);
	ck_assert_uint_eq(trace_task_total(tr, slot, TRACE_RUN, t), run_ns);
	ck_assert_uint_eq(trace_task_total(tr, slot, TRACE_IO, t), io_ns);
	ck_assert_uint_eq(run_ns, 1400 * ms);
	trace_task_shares(tr, slot, t0, 100 * ms, n, t, ns, cpu);
	cells_diffuse(ns, n, 0, st);
	for (int b = 0; b < n; b++) {
		ck_assert_msg(st[b] != TRACE_NEW, "cell %d (%d ms) drawn blank", b, b * 100);
		run_sum += ns[b * TRACE_NSTATES + TRACE_RUN];
	}
	ck_assert_int_le(abs(cells_count(st, 10, TRACE_RUN) - 7), 1);
	ck_assert_int_le(abs(cells_count(st, 10, TRACE_IO) - 3), 1);
	ck_assert_int_le(abs(cells_count(st, n, TRACE_RUN) - 14), 1);
	ck_assert_msg(fabs(run_sum - (double)run_ns) < 1e-4 * (double)run_ns,
	    "cells hold %.6f s run of %.6f s", run_sum / 1e9, (double)run_ns / 1e9);
	/* what the ring overwrote was folded, none of it dropped */
	ck_assert_uint_eq(trace_task_folded_count(tr, slot), 20001 - TRACE_RING);
	ck_assert_uint_eq(trace_task_dropped(tr, slot), 0);
	trace_destroy(tr);
}
END_TEST

static Suite *
cells_suite(void)
{
	Suite *s = suite_create("cells");
	TCase *tc = tcase_create("cells");

	tcase_add_test(tc, counts_follow_time);
	tcase_add_test(tc, held_cells_split_run_and_ready);
	tcase_add_test(tc, states_only_where_they_occurred);
	tcase_add_test(tc, rows_take_turns);
	tcase_add_test(tc, ready_fits_the_measured_wait);
	tcase_add_test(tc, waiting_cells_never_run);
	tcase_add_test(tc, live_cells_show_the_ready_share);
	tcase_add_test(tc, full_ring_is_folded_not_blank);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(cells_suite)
