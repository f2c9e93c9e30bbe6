/* Trace: writers in several threads and in a forked child, read back
 * complete and ordered; totals; overflow; buckets; lock accounting. */
#include "testutil.h"

#include "clock.h"
#include "trace.h"

#include <pthread.h>
#include <unistd.h>

#define NEV 1000

struct writer {
	struct trace *tr;
	int slot;
};

static void
write_events(struct trace *tr, int slot)
{
	trace_task_begin(tr, slot, false);
	for (int i = 0; i < NEV; i++)
		trace_set_state(tr, slot, i % 2 ? TRACE_RUN : TRACE_IO);
	trace_task_end(tr, slot);
}

static void *
writer_main(void *p)
{
	struct writer *w = p;

	write_events(w->tr, w->slot);
	return NULL;
}

static void
check_slot(struct trace *tr, int slot)
{
	struct trace_interval *iv;
	int n = trace_task_intervals(tr, slot, clock_now_ns(), &iv);

	/* begin + NEV changes + end */
	ck_assert_int_eq(n, NEV + 2);
	ck_assert_int_eq(iv[0].state, TRACE_RUN);
	for (int i = 1; i < n; i++) {
		ck_assert_uint_ge(iv[i].start, iv[i - 1].start);
		ck_assert_uint_eq(iv[i - 1].end, iv[i].start);
	}
	for (int i = 1; i <= NEV; i++)
		ck_assert_int_eq(iv[i].state, (i - 1) % 2 ? TRACE_RUN : TRACE_IO);
	ck_assert_int_eq(iv[n - 1].state, TRACE_DONE);
	ck_assert_uint_eq(trace_task_dropped(tr, slot), 0);
	free(iv);
}

/* Spin for ns (a busy task, so that time passes in the state). */
static void
spin_ns(uint64_t ns)
{
	uint64_t end = clock_now_ns() + ns;

	while (clock_now_ns() < end)
		;
}

START_TEST(sampled_states_keep_the_mix)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	int slot = trace_task_add(tr, 0, "loop", TRACE_KIND_TASK);
	struct trace_interval *iv;
	uint64_t t_long, dur[TRACE_NSTATES] = { 0 }, all = 0;
	int n, changes = 40000, found_long = 0;

	ck_assert_ptr_nonnull(tr);
	trace_task_begin(tr, slot, false);
	/* A request loop: 10 us io, 5 us run, 40,000 changes (about 300 ms). */
	for (int i = 0; i < changes; i++) {
		trace_set_state_sampled(tr, slot, i % 2 ? TRACE_RUN : TRACE_IO,
		    TRACE_SAMPLE_GAP_NS);
		spin_ns(i % 2 ? 5000 : 10000);
	}
	/* then one long io interval: its start must be exact */
	trace_set_state_sampled(tr, slot, TRACE_IO, TRACE_SAMPLE_GAP_NS);
	t_long = tr->tasks[slot].since_ns;
	spin_ns(5 * TRACE_SAMPLE_GAP_NS);
	trace_set_state_sampled(tr, slot, TRACE_RUN, TRACE_SAMPLE_GAP_NS);
	trace_task_end(tr, slot);

	/* far fewer events than changes, and none dropped */
	ck_assert_uint_eq(trace_task_dropped(tr, slot), 0);
	ck_assert_uint_lt(tr->tasks[slot].nev, (uint64_t)changes / 20);
	/* the totals are exact: io about twice run */
	ck_assert_msg(tr->tasks[slot].total_ns[TRACE_IO] > tr->tasks[slot].total_ns[TRACE_RUN],
	    "io %llu run %llu", (unsigned long long)tr->tasks[slot].total_ns[TRACE_IO],
	    (unsigned long long)tr->tasks[slot].total_ns[TRACE_RUN]);
	n = trace_task_intervals(tr, slot, clock_now_ns(), &iv);
	for (int i = 0; i < n; i++) {
		if (iv[i].state < TRACE_NSTATES && iv[i].end < t_long) {
			dur[iv[i].state] += iv[i].end - iv[i].start;
			all += iv[i].end - iv[i].start;
		}
		if (iv[i].state == TRACE_IO && iv[i].start == t_long &&
		    iv[i].end - iv[i].start >= 5 * TRACE_SAMPLE_GAP_NS)
			found_long = 1;
	}
	/* the samples show the mix: io about 2/3 of the drawn time (the
	 * sampler is not biased towards the state after a long one) */
	ck_assert_msg(all > 0 && dur[TRACE_IO] > all / 2 && dur[TRACE_IO] < all * 9 / 10,
	    "io drawn %.2f of the time", all ? (double)dur[TRACE_IO] / (double)all : 0);
	ck_assert_msg(found_long, "the long io interval has no exact event");
	free(iv);
	trace_destroy(tr);
}
END_TEST

START_TEST(threads_write_their_slots)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct writer w[4];
	pthread_t th[4];

	ck_assert_ptr_nonnull(tr);
	for (int i = 0; i < 4; i++) {
		w[i].tr = tr;
		w[i].slot = trace_task_add(tr, 0, "w", TRACE_KIND_TASK);
		ck_assert_int_eq(w[i].slot, i);
	}
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, writer_main, &w[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 4; i++)
		check_slot(tr, i);
	trace_destroy(tr);
	trace_destroy(NULL);
}
END_TEST

START_TEST(forked_child_writes_shared_memory)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	int slot = trace_task_add(tr, 0, "child", TRACE_KIND_TASK);
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		write_events(tr, slot);
		_exit(0);
	}
	ck_assert_int_gt(pid, 0);
	waitpid(pid, &st, 0);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	check_slot(tr, slot);
	ck_assert_int_eq(at_load_relaxed(&trace_task(tr, slot)->pid), pid);
	trace_destroy(tr);
}
END_TEST

START_TEST(totals_are_exact_and_overflow_is_counted)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	int slot = trace_task_add(tr, 0, "t", TRACE_KIND_TASK);
	uint64_t t = 1000000000ULL;
	struct trace_interval *iv;
	int n;

	trace_task_begin(tr, slot, false);
	at_store_relaxed(&tr->tasks[slot].since_ns, t);
	/* 3 * TRACE_RING intervals alternating 10 ns run, 30 ns io. */
	for (int i = 0; i < 3 * TRACE_RING; i++) {
		t += i % 2 ? 30 : 10;
		trace_set_state_at(tr, slot, i % 2 ? TRACE_RUN : TRACE_IO, t, 0);
	}
	ck_assert_uint_eq(at_load_relaxed(&tr->tasks[slot].total_ns[TRACE_RUN]),
	    10ULL * (3 * TRACE_RING / 2));
	ck_assert_uint_eq(at_load_relaxed(&tr->tasks[slot].total_ns[TRACE_IO]),
	    30ULL * (3 * TRACE_RING / 2));
	/* what the ring overwrote is folded, not dropped */
	ck_assert_uint_eq(trace_task_folded_count(tr, slot), 2 * TRACE_RING + 1);
	ck_assert_uint_eq(trace_task_dropped(tr, slot), 0);
	n = trace_task_intervals(tr, slot, t, &iv);
	ck_assert_int_eq(n, TRACE_RING);
	ck_assert_uint_eq(iv[n - 1].start, t);
	free(iv);
	{
		struct trace_folded *f = malloc(sizeof *f);

		/* the history: the fold, then the ring from where it ends */
		n = trace_task_history(tr, slot, t, &iv, f);
		ck_assert_int_eq(n, TRACE_RING);
		ck_assert_uint_eq(f->nfolded, 2 * TRACE_RING + 1);
		ck_assert_uint_eq(f->upto, iv[0].start);
		free(iv);
		free(f);
	}
	trace_destroy(tr);
}
END_TEST

/* A reader while the writer overflows its ring: every history read is
 * whole -- the ring's intervals begin where the fold ends, and the fold's
 * time plus the intervals' never exceeds the span written (a torn copy of
 * the buckets, or intervals counted in both, would). */
struct folder {
	struct trace *tr;
	int slot;
	_Atomic int done;
};

static void *
fold_writer(void *arg)
{
	struct folder *w = arg;
	uint64_t t = 1000000000ULL;

	trace_task_begin_at(w->tr, w->slot, 1, 1, t, TRACE_RUN, 0);
	for (int i = 1; i < 6 * TRACE_RING; i++) {
		t += 1000;
		trace_set_state_cpu_at(w->tr, w->slot, i % 2 ? TRACE_IO : TRACE_RUN, t, 0);
	}
	at_store_release(&w->done, 1);
	return NULL;
}

START_TEST(history_reads_whole_while_folding)
{
	char err[128];
	struct folder w = { .tr = trace_create(err, sizeof err) };
	struct trace_folded *f = malloc(sizeof *f);
	pthread_t th;
	int reads = 0;

	ck_assert_ptr_nonnull(w.tr);
	w.slot = trace_task_add(w.tr, 0, "w", TRACE_KIND_TASK);
	pthread_create(&th, NULL, fold_writer, &w);
	while (!at_load_acquire(&w.done) || reads == 0) {
		struct trace_interval *iv;
		int n = trace_task_history(w.tr, w.slot, UINT64_MAX / 2, &iv, f);
		double sum = 0;

		for (int k = 0; k < f->nbuckets; k++)
			for (int s = 0; s < TRACE_NSTATES; s++)
				sum += (double)f->ns[k][s];
		if (f->nbuckets > 0 && n > 0) {
			ck_assert_uint_eq(f->upto, iv[0].start);
			ck_assert_double_eq(sum, (double)(f->upto - f->t0));
		}
		for (int i = 1; i < n; i++)
			ck_assert_uint_eq(iv[i].start, iv[i - 1].end);
		free(iv);
		reads++;
	}
	pthread_join(th, NULL);
	ck_assert_uint_eq(trace_task_folded_count(w.tr, w.slot), 5 * TRACE_RING);
	ck_assert_uint_eq(trace_task_dropped(w.tr, w.slot), 0);
	free(f);
	trace_destroy(w.tr);
}
END_TEST

START_TEST(buckets_and_lock_waits)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	int slot = trace_task_add(tr, 0, "t", TRACE_KIND_TASK);
	uint64_t b = 1000000000ULL;
	uint8_t st[10];
	int16_t cpu[10];
	double ns[10 * TRACE_NSTATES];

	trace_task_begin(tr, slot, false);
	trace_set_state_at(tr, slot, TRACE_RUN, b, 0);
	trace_set_state_at(tr, slot, TRACE_IO, b + 300, 0);
	trace_lock_waited(tr, slot, b + 600, b + 600 + 10); /* short: counted */
	trace_set_state_at(tr, slot, TRACE_RUN, b + 600, 0);
	trace_lock_waited(tr, slot, b + 700, b + 700 + TRACE_LOCK_EVENT_NS);
	trace_set_state_at(tr, slot, TRACE_DONE, b + 700 + TRACE_LOCK_EVENT_NS, 0);
	/* the state with the most time in each bucket */
	trace_task_shares(tr, slot, b, 100, 10, b + 2000, ns, cpu);
	for (int k = 0; k < 10; k++) {
		st[k] = TRACE_NEW;
		for (int x = 1; x < TRACE_NSTATES; x++)
			if (ns[k * TRACE_NSTATES + x] > ns[k * TRACE_NSTATES + st[k]])
				st[k] = (uint8_t)x;
	}
	ck_assert_int_eq(st[0], TRACE_RUN);
	ck_assert_int_eq(st[2], TRACE_RUN);
	ck_assert_int_eq(st[3], TRACE_IO);
	ck_assert_int_eq(st[5], TRACE_IO);
	ck_assert_int_eq(st[6], TRACE_RUN);
	ck_assert_int_eq(st[7], TRACE_LOCK);
	ck_assert_int_eq(at_load_relaxed(&tr->tasks[slot].lock_count), 2);
	ck_assert_uint_eq(at_load_relaxed(&tr->tasks[slot].total_ns[TRACE_LOCK]),
	    10 + TRACE_LOCK_EVENT_NS);
	ck_assert_uint_eq(at_load_relaxed(&tr->tasks[slot].max_ns[TRACE_LOCK]),
	    TRACE_LOCK_EVENT_NS);
	ck_assert_int_eq(trace_mark(tr, TRACE_MARK_RUN, 0, b, "run"), 0);
	ck_assert_str_eq(trace_get_mark(tr, 0)->text, "run");
	trace_task_fail(tr, slot, 9);
	ck_assert_int_eq(at_load_relaxed(&tr->tasks[slot].state), TRACE_FAILED);
	trace_reset(tr);
	ck_assert_int_eq(trace_ntasks(tr), 0);
	ck_assert_int_eq(trace_nmarks(tr), 0);
	trace_destroy(tr);
}
END_TEST

START_TEST(full_trace_refuses)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);

	for (int i = 0; i < TRACE_MAX_TASKS; i++)
		ck_assert_int_eq(trace_task_add(tr, 0, "x", TRACE_KIND_TASK), i);
	ck_assert_int_eq(trace_task_add(tr, 0, "x", TRACE_KIND_TASK), -1);
	ck_assert_int_eq(trace_ntasks(tr), TRACE_MAX_TASKS);
	trace_destroy(tr);
}
END_TEST

/* What other modules read goes through functions: the newest event's state,
 * a task ended with the caller's CPU figures, CPU while running from the
 * sampler's ring, and the pause clock. */
START_TEST(accessors_and_end_with_totals)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct trace_cpu_totals tot = { .cpu_ns = 7000, .oncpu_ns = 6000,
		.wait_ns = 1000, .sched_known = true };
	enum trace_state last;
	int a = trace_task_add(tr, 0, "a", TRACE_KIND_TASK);
	int b = trace_task_add(tr, 0, "b", TRACE_KIND_TASK);
	uint64_t n0, now;

	ck_assert_int_eq(trace_task_state(tr, a), TRACE_NEW);
	ck_assert_int_eq(trace_task_events(tr, a, &last), 0);
	ck_assert_int_eq(last, TRACE_NEW);
	ck_assert_int_eq(trace_task_state(tr, 99), TRACE_NEW);
	trace_task_begin(tr, a, false);
	ck_assert_int_eq(trace_task_pid(tr, a), getpid());
	ck_assert_int_ge(trace_task_cpu(tr, a), 0);
	n0 = trace_task_events(tr, a, &last);
	ck_assert_int_eq(last, TRACE_RUN);
	trace_set_state(tr, a, TRACE_IO);
	ck_assert_uint_eq(trace_task_events(tr, a, &last), n0 + 1);
	ck_assert_int_eq(last, TRACE_IO);
	ck_assert_int_eq(trace_task_state(tr, a), TRACE_IO);
	ck_assert(!trace_task_ended(tr, a));
	trace_task_end_totals(tr, a, &tot);
	ck_assert(trace_task_ended(tr, a));
	ck_assert_int_eq(trace_task_state(tr, a), TRACE_DONE);
	ck_assert_uint_eq(trace_task_cpu_ns(tr, a, clock_now_ns()), 7000);
	{
		struct trace_task_figures tf;

		ck_assert(trace_task_figures(tr, a, &tf));
		ck_assert_int_eq(tf.state, TRACE_DONE);
		ck_assert_uint_eq(tf.cpu_ns, 7000);
		ck_assert_uint_eq(tf.oncpu_ns, 6000);
		ck_assert_uint_eq(tf.wait_ns, 1000);
		ck_assert(tf.sched_known);
		ck_assert_int_eq(tf.pid, getpid());
		ck_assert_uint_ge(tf.end_ns, tf.start_ns);
		ck_assert(!trace_task_figures(tr, 99, &tf));
		ck_assert_int_eq(tf.pid, 0);
	}

	/* Running: its time in RUN less the run-queue wait the sampler saw. */
	trace_task_begin(tr, b, false);
	now = trace_task(tr, b)->start_ns;
	trace_sched_add(tr, b, now + 5000000, 3000000, 2000000);
	ck_assert_uint_eq(trace_task_cpu_ns(tr, b, now + 10000000), 8000000);

	ck_assert(!trace_stopping(tr));
	trace_stop(tr);
	ck_assert(trace_stopping(tr));
	trace_set_paused(tr, true, 1000);
	trace_set_paused(tr, true, 2000);	/* already paused: no change */
	trace_set_paused(tr, false, 4000);
	ck_assert_uint_eq(tr->paused_ns, 3000);
	trace_destroy(tr);
}
END_TEST

static Suite *
trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_add_test(tc, threads_write_their_slots);
	tcase_add_test(tc, forked_child_writes_shared_memory);
	tcase_add_test(tc, totals_are_exact_and_overflow_is_counted);
	tcase_add_test(tc, buckets_and_lock_waits);
	tcase_add_test(tc, history_reads_whole_while_folding);
	tcase_add_test(tc, sampled_states_keep_the_mix);
	tcase_add_test(tc, full_trace_refuses);
	tcase_add_test(tc, accessors_and_end_with_totals);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(trace_suite)
