/*
 * testutil: helpers shared by the Check suites: run the conclab binary and
 * capture its output, read fixture paths, and a Check main.
 */
#ifndef CONCLAB_TESTUTIL_H
#define CONCLAB_TESTUTIL_H

#include <check.h>
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

/* Standard main: run the suite made by make_suite, forking each test;
 * TU_MAIN_INIT first calls init() (e.g. forker_init) and fails if it is < 0. */
#define TU_MAIN_INIT(make_suite, init)                                         \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr;                                                   \
		int failed;                                                    \
		if ((init) < 0)                                                \
			return 1;                                              \
		sr = srunner_create(make_suite());                             \
		srunner_run_all(sr, CK_NORMAL);                                \
		failed = srunner_ntests_failed(sr);                            \
		srunner_free(sr);                                              \
		return failed == 0 ? 0 : 1;                                    \
	}
#define TU_MAIN(make_suite) TU_MAIN_INIT(make_suite, 0)

#endif
