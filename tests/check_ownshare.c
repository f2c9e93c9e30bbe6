/* ownshare: the lab's own busy share per core, on fake /proc trees written
 * from tests/fixtures/proc/own/tN.txt (each thread's schedstat delta goes
 * to the CPU its stat's field 39 names; other programs' threads are left
 * out; threads and processes born since the last sample count from birth),
 * and live on this process's own spinning threads. */
#include "testutil.h"

#include "clock.h"
#include "ownshare.h"
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#define MS 1000000ULL

static char root[64];

static void
setup_root(void)
{
	tu_tmpdir(root, sizeof root, "own");
}

static void
teardown_root(void)
{
	tu_rmtree(root);
}

/* Write the snapshot NAME into root: each "PATH CONTENT" line into
 * ROOT/PATH (rewritten in place, so a sampler's open files see it), each
 * "-PATH" removed. */
static void
write_snapshot(const char *name)
{
	char rel[64], line[1024];
	FILE *f;

	snprintf(rel, sizeof rel, "proc/own/%s.txt", name);
	f = fopen(tu_fixture(rel), "r");
	ck_assert_msg(f != NULL, "%s", tu_fixture(rel));
	while (fgets(line, sizeof line, f) != NULL) {
		char path[1200], cmd[1300], *sp = strchr(line, ' ');
		FILE *out;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '-') {
			snprintf(cmd, sizeof cmd, "rm -rf %s/%s", root, line + 1);
			ck_assert_int_eq(system(cmd), 0);
			continue;
		}
		ck_assert_ptr_nonnull(sp);
		*sp = '\0';
		snprintf(path, sizeof path, "%s/%s", root, line);
		snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname %s)\"", path);
		ck_assert_int_eq(system(cmd), 0);
		out = fopen(path, "w");
		ck_assert_ptr_nonnull(out);
		fprintf(out, "%s\n", sp + 1);
		fclose(out);
	}
	fclose(f);
}

START_TEST(per_core_attribution)
{
	struct ownshare *os;
	float h[4];

	write_snapshot("t0");
	os = ownshare_create(100, 2, root);
	ck_assert_int_eq(ownshare_sample(os, 1000 * MS), 0);
	ck_assert_double_eq(ownshare_get(os, 0), -1);	/* a baseline only */
	ck_assert_double_eq(ownshare_get(os, 1), -1);
	ck_assert_int_eq(ownshare_nprocs(os), 2);	/* 100 and its child 200, not 300 */
	ck_assert_int_eq(ownshare_nthreads(os), 3);

	write_snapshot("t1");
	ck_assert_int_eq(ownshare_sample(os, 1100 * MS), 0);
	/* cpu0: 100's 10 ms, new thread 102's 20 ms, grandchild 400's 5 ms;
	 * cpu1: 101's 60 ms and child 200's 30 ms; 300's 90 ms are not ours */
	ck_assert_double_eq_tol(ownshare_get(os, 0), 0.35, 1e-9);
	ck_assert_double_eq_tol(ownshare_get(os, 1), 0.90, 1e-9);
	ck_assert_int_eq(ownshare_nprocs(os), 3);
	ck_assert_int_eq(ownshare_nthreads(os), 5);

	write_snapshot("t2");
	ck_assert_int_eq(ownshare_sample(os, 1200 * MS), 0);
	/* 101 last ran on cpu0: its 40 ms go there, all of them */
	ck_assert_double_eq_tol(ownshare_get(os, 0), 0.40, 1e-9);
	ck_assert_double_eq_tol(ownshare_get(os, 1), 0, 1e-9);
	ck_assert_int_eq(ownshare_nprocs(os), 2);	/* 400 ended */
	ck_assert_int_eq(ownshare_nthreads(os), 3);	/* 102 ended */
	ck_assert_int_eq(ownshare_history(os, 1, h, 4), 2);
	ck_assert_double_eq_tol(h[0], 0.90, 1e-6);
	ck_assert_double_eq_tol(h[1], 0, 1e-6);
	ck_assert_double_eq(ownshare_get(os, 2), -1);	/* not tracked */
	ownshare_destroy(os);
	ownshare_destroy(NULL);
}
END_TEST

START_TEST(root_gone)
{
	struct ownshare *os = ownshare_create(100, 2, root);

	ck_assert_int_eq(ownshare_sample(os, 1000 * MS), -1);
	ck_assert_double_eq(ownshare_get(os, 0), -1);
	ownshare_destroy(os);
}
END_TEST

static atomic_int stop_spin;

static void *
spin(void *arg)
{
	volatile uint64_t x = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop_spin, memory_order_relaxed))
		x++;
	return NULL;
}

/* This process's threads on the real /proc: two spinning threads (and a
 * child process spinning) make the own shares add up to about the CPU
 * time the process and its child used, measured by the same clocks. */
START_TEST(live_threads_and_child)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct ownshare *os = ownshare_create(getpid(), (int)ncpu, NULL);
	uint64_t cpu0, t0, own_ns = 0, samples, cost;
	pthread_t th[2];
	pid_t child;
	double used;

	atomic_store(&stop_spin, 0);
	ck_assert_int_eq(ownshare_sample(os, clock_now_ns()), 0);
	t0 = clock_now_ns();
	cpu0 = clock_process_cpu_ns();
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, spin, NULL), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		uint64_t end = clock_now_ns() + 2000 * MS;
		volatile uint64_t x = 0;

		while (clock_now_ns() < end)
			x++;
		_exit(0);
	}
	for (int k = 0; k < 8; k++) {
		uint64_t a = clock_now_ns();

		usleep(100 * 1000);
		ck_assert_int_eq(ownshare_sample(os, clock_now_ns()), 0);
		for (int c = 0; c < ncpu; c++)
			if (ownshare_get(os, c) > 0)
				own_ns += (uint64_t)(ownshare_get(os, c) * (double)(clock_now_ns() - a));
	}
	ck_assert_int_ge(ownshare_nprocs(os), 2);	/* the child was found */
	atomic_store(&stop_spin, 1);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	used = (double)(clock_process_cpu_ns() - cpu0) / (double)(clock_now_ns() - t0);
	cost = ownshare_cost_ns(os, &samples);
	ck_assert_int_eq(samples, 9);
	/* own shares sum to at least this process's own use (the child's
	 * comes on top), and to no more than the machine's cores */
	ck_assert_msg((double)own_ns / (double)(clock_now_ns() - t0) >= 0.6 * used,
	    "own %.2f cores, process used %.2f", (double)own_ns / (double)(clock_now_ns() - t0),
	    used);
	ck_assert_double_le((double)own_ns / (double)(clock_now_ns() - t0), ncpu + 0.2);
	ck_assert_uint_lt(cost, 200 * MS);
	ownshare_destroy(os);
}
END_TEST

static Suite *
ownshare_suite(void)
{
	Suite *s = suite_create("ownshare");
	TCase *fake = tcase_create("fake"), *live = tcase_create("live");

	tcase_add_checked_fixture(fake, setup_root, teardown_root);
	tcase_add_test(fake, per_core_attribution);
	tcase_add_test(fake, root_gone);
	suite_add_tcase(s, fake);
	tcase_set_timeout(live, 20);
	tcase_add_test(live, live_threads_and_child);
	suite_add_tcase(s, live);
	return s;
}

TU_MAIN(ownshare_suite)
