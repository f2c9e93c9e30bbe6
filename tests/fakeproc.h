/* A fake /proc tree written by a test (ROOT/PID/stat and
 * ROOT/PID/task/TID/{stat,schedstat,syscall}) and a proctrace reading it:
 * for check_proctrace and check_proctrace_names.  Files are rewritten in
 * place, so the tracer's open fds see the new text. */
#ifndef CONCLAB_TESTS_FAKEPROC_H
#define CONCLAB_TESTS_FAKEPROC_H

#include "testutil.h"

#include "clock.h"
#include "proctrace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define MS CLOCK_NS_PER_MS

static char root[64];

static inline void
put(const char *rel, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void
put(const char *rel, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "w");	/* same inode: open fds see the new text */
	ck_assert_ptr_nonnull(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static inline void
mkthread(int pid, int tid, const char *comm, int ppid)
{
	char path[256], rel[128];

	snprintf(path, sizeof path, "%s/%d", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%d/task", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/%d/task/%d", root, pid, tid);
	mkdir(path, 0755);
	if (pid == tid) {
		snprintf(rel, sizeof rel, "%d/stat", pid);
		put(rel, "%d (%s) S %d 1 1 0 -1 0 0 0 0 0 0 0\n", pid, comm, ppid);
	}
	snprintf(rel, sizeof rel, "%d/task/%d/stat", pid, tid);
	put(rel, "%d (%s) S %d 1 1 0 -1 0 0 0 0 0 0 0\n", tid, comm, ppid);
	snprintf(rel, sizeof rel, "%d/task/%d/schedstat", pid, tid);
	put(rel, "0 0 1\n");
	snprintf(rel, sizeof rel, "%d/task/%d/syscall", pid, tid);
	put(rel, "running\n");
}

/* Set a thread's schedstat and syscall. */
static inline void
set(int pid, int tid, unsigned long long on_ms, unsigned long long wait_ms, int pcount,
    const char *sys)
{
	char rel[128];

	snprintf(rel, sizeof rel, "%d/task/%d/schedstat", pid, tid);
	put(rel, "%llu %llu %d\n", on_ms * MS, wait_ms * MS, pcount);
	snprintf(rel, sizeof rel, "%d/task/%d/syscall", pid, tid);
	put(rel, "%s\n", sys);
}

static inline void
setup_root(void)
{
	snprintf(root, sizeof root, "/tmp/conclab-pt-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static inline void
teardown_root(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}

static inline struct proctrace *
fake_tracer(struct trace *tr, bool descendants)
{
	/* max_cost: the fake tree's tests count polls, so every live thread is
	 * read at each one -- the budget adapts to the reads' real CPU cost,
	 * and under a sanitizer at a load of 27 one poll read too few
	 * (children_and_zombies saw the zombie a poll late) */
	struct proctrace_opts o = { .run = 0, .hz = 1000, .max_cost = 1000,
		.descendants = descendants, .gil_lane = true, .proc_root = root,
		.rename_slots = true };
	char err[256];
	struct proctrace *pt = proctrace_create(tr, 100, &o, err, sizeof err);

	ck_assert_msg(pt != NULL, "%s", err);
	return pt;
}

static inline const struct proctrace_info *
info_of(struct proctrace *pt, pid_t tid)
{
	static struct proctrace_info in;

	for (int i = 0; i < proctrace_nthreads(pt); i++)
		if (proctrace_info(pt, i, &in) == 0 && in.tid == tid)
			return &in;
	ck_abort_msg("thread %d not followed", (int)tid);
	return NULL;
}

#endif
