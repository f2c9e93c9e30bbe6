/*
 * testutil: helpers shared by the Check suites: run the conclab binary and
 * capture its output, read fixture paths, measure again where a noisy
 * machine can flip a timing figure, and a Check main.
 */
#ifndef CONCLAB_TESTUTIL_H
#define CONCLAB_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Path of a fixture file (tests/fixtures/NAME). */
static inline const char *
tu_fixture(const char *name)
{
	static char buf[1024];
	const char *dir = getenv("CONCLAB_FIXTURES");

	snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "tests/fixtures", name);
	return buf;
}

/* A new scratch directory /tmp/conclab-NAME-XXXXXX into buf. */
static inline void
tu_tmpdir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "/tmp/conclab-%s-XXXXXX", name);
	ck_assert_ptr_nonnull(mkdtemp(buf));
}

/* Remove a directory and everything in it. */
static inline void
tu_rmtree(const char *dir)
{
	char cmd[1100];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Run `conclab ARGS` through the shell; stdout (and stderr when merge) into a
 * new string the caller frees; the exit status into *status. */
static inline char *
tu_run(const char *args, int *status, int merge)
{
	const char *bin = getenv("CONCLAB_BIN");
	char cmd[4096];
	size_t cap = 65536, len = 0, n;
	char *out = malloc(cap);
	FILE *p;
	int st;

	snprintf(cmd, sizeof cmd, "%s %s%s", bin ? bin : "./conclab", args,
	    merge ? " 2>&1" : " 2>/dev/null");
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 4096)
			out = realloc(out, cap *= 2);
	}
	out[len] = '\0';
	st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return out;
}

/* Total and steal jiffies of /proc/stat's cpu line (0, 0 when unreadable). */
static inline void
tu_stat(unsigned long long *total, unsigned long long *steal)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	*total = *steal = 0;
	if (f == NULL)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
	    &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		for (int i = 0; i < 8; i++)
			*total += v[i];
		*steal = v[7];
	}
	fclose(f);
}

/* How many times a figure that noise can flip is measured at most. */
#define TU_ATTEMPTS 3

/* A timing figure that other programs, a hypervisor's steal or the CPU's
 * speed changing from one second to the next can flip: attempt(arg, why,
 * len) measures once, writes its figures into why and returns whether they
 * pass.  Runs it up to TU_ATTEMPTS times, printing each attempt's figures
 * and the machine's steal meanwhile to stderr; true as soon as one attempt
 * passes, false (the last attempt's figures left in why) when all failed. */
static inline bool
tu_attempts(const char *name, bool (*attempt)(void *arg, char *why, size_t len),
    void *arg, char *why, size_t len)
{
	for (int i = 1; i <= TU_ATTEMPTS; i++) {
		unsigned long long t0, s0, t1, s1;
		bool ok;

		why[0] = '\0';
		tu_stat(&t0, &s0);
		ok = attempt(arg, why, len);
		tu_stat(&t1, &s1);
		fprintf(stderr, "%s: attempt %d of %d %s: %s (steal %.0f %%)\n", name, i,
		    TU_ATTEMPTS, ok ? "passed" : "failed", why,
		    t1 > t0 ? 100.0 * (double)(s1 - s0) / (double)(t1 - t0) : 0.0);
		if (ok)
			return true;
	}
	return false;
}

/* Fails the test when every one of tu_attempts' attempts failed. */
#define tu_assert_attempts(name, attempt, arg)                                 \
	do {                                                                   \
		char why_[1024];                                               \
		ck_assert_msg(tu_attempts((name), (attempt), (arg), why_,      \
		    sizeof why_), "%s: all %d attempts failed, the last: %s",  \
		    (name), TU_ATTEMPTS, why_);                                \
	} while (0)

/* Standard main: run the suite made by make_suite, forking each test;
 * TU_MAIN_INIT first calls init() (e.g. forker_init) and fails if it is < 0.
 * A test case without its own timeout gets 30 s, not Check's 4: a test of
 * 0.3 s can take seconds under a sanitizer on a loaded machine (one set in
 * CK_DEFAULT_TIMEOUT still wins). */
#define TU_MAIN_INIT(make_suite, init)                                         \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr;                                                   \
		int failed;                                                    \
		if ((init) < 0)                                                \
			return 1;                                              \
		setenv("CK_DEFAULT_TIMEOUT", "30", 0);                         \
		sr = srunner_create(make_suite());                             \
		srunner_run_all(sr, CK_NORMAL);                                \
		failed = srunner_ntests_failed(sr);                            \
		srunner_free(sr);                                              \
		return failed == 0 ? 0 : 1;                                    \
	}
#define TU_MAIN(make_suite) TU_MAIN_INIT(make_suite, 0)

#endif
