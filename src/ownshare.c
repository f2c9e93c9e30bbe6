/*
 * ownshare: per-CPU busy time of conclab and its descendants, from each
 * thread's schedstat charged to the CPU its stat names (see ownshare.h for
 * the approximations).  Invariants: every thread in th[] belongs to a
 * process in procs[]; a thread's `on` is what the last reading of its
 * schedstat said (0 for one born since the last listing, so its whole life
 * counts); acc[] is filled afresh by each sample.
 */
#include "ownshare.h"

#include "clock.h"
#include "proctrace.h"
#include "sample.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct os_thread {
	pid_t pid, tid;
	int fd_sched, fd_stat;
	uint64_t on;		/* on-CPU ns at the last reading */
	int cpu;		/* the CPU it last ran on, -1 unknown */
	bool listed;		/* seen in this sample's listing */
};

struct os_proc {
	pid_t pid;
	clockid_t clk;		/* its CPU clock (ended threads included) */
	bool have_clk;
	uint64_t cpu_ns;	/* the clock at the last sample */
	int cpu;		/* its main thread's last CPU, -1 unknown */
	bool gone;
};

struct os_ppid {
	pid_t pid, ppid;
};

struct ownshare {
	pid_t root;
	int ncpu;
	const char *proc_root;
	struct os_thread th[OWNSHARE_MAX_THREADS];
	int nth;
	struct os_proc procs[OWNSHARE_MAX_PROCS];
	int nprocs;
	bool have_prev;		/* a baseline was taken */
	bool overflow;		/* a thread was left out once: later ones count
				 * from when they are seen, not from birth */
	uint64_t last_ns, last_descend;
	uint64_t *acc;		/* ns per CPU in this interval */
	uint64_t *split;	/* one process's threads' ns per CPU */
	double *share;		/* the last interval's share per CPU, -1 unknown */
	float *history;		/* ncpu x SAMPLE_HISTORY ring */
	int hpos, nhist;
	struct os_ppid *ppids, *scan;	/* parents seen by the last listing, by pid */
	int nppids, nscan, cap;
	uint64_t cost_ns, samples;
};

struct ownshare *
ownshare_create(pid_t root, int ncpu, const char *proc_root)
{
	struct ownshare *os = xcalloc(1, sizeof *os);

	os->root = root;
	os->ncpu = ncpu < 1 ? 1 : ncpu;
	os->proc_root = proc_root != NULL ? proc_root : "/proc";
	os->acc = xcalloc((size_t)os->ncpu, sizeof *os->acc);
	os->split = xcalloc((size_t)os->ncpu, sizeof *os->split);
	os->share = xcalloc((size_t)os->ncpu, sizeof *os->share);
	os->history = xcalloc((size_t)os->ncpu * SAMPLE_HISTORY, sizeof *os->history);
	for (int c = 0; c < os->ncpu; c++)
		os->share[c] = -1;
	return os;
}

static void
close_thread(struct os_thread *t)
{
	if (t->fd_sched >= 0)
		close(t->fd_sched);
	if (t->fd_stat >= 0)
		close(t->fd_stat);
	t->fd_sched = t->fd_stat = -1;
}

void
ownshare_destroy(struct ownshare *os)
{
	if (os == NULL)
		return;
	for (int i = 0; i < os->nth; i++)
		close_thread(&os->th[i]);
	free(os->acc);
	free(os->split);
	free(os->share);
	free(os->history);
	free(os->ppids);
	free(os->scan);
	free(os);
}

/* Real /proc: the processes' CPU clocks can be read. */
static bool
real_proc(const struct ownshare *os)
{
	return strcmp(os->proc_root, "/proc") == 0;
}

static int
open_file(const struct ownshare *os, pid_t pid, pid_t tid, const char *file)
{
	char path[320];

	if (tid > 0)
		snprintf(path, sizeof path, "%s/%d/task/%d/%s", os->proc_root, (int)pid,
		    (int)tid, file);
	else
		snprintf(path, sizeof path, "%s/%d/%s", os->proc_root, (int)pid, file);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int
reread(int fd, char *buf, size_t len)
{
	ssize_t n = fd >= 0 ? pread(fd, buf, len - 1, 0) : -1;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* A thread's on-CPU ns from its schedstat; -1 when gone. */
static int
read_on(const struct os_thread *t, uint64_t *on)
{
	char buf[128];
	uint64_t wait, pcount;

	if (reread(t->fd_sched, buf, sizeof buf) < 0)
		return -1;
	return proctrace_parse_schedstat(buf, on, &wait, &pcount);
}

/* The process's CPU clock, ns; false when it cannot be read. */
static bool
proc_clock(const struct os_proc *p, uint64_t *ns)
{
	struct timespec ts;

	if (!p->have_clk || clock_gettime(p->clk, &ts) != 0)
		return false;
	*ns = (uint64_t)ts.tv_sec * CLOCK_NS_PER_S + (uint64_t)ts.tv_nsec;
	return true;
}

static int
proc_index(const struct ownshare *os, pid_t pid)
{
	for (int i = 0; i < os->nprocs; i++)
		if (os->procs[i].pid == pid)
			return i;
	return -1;
}

static void
add_proc(struct ownshare *os, pid_t pid)
{
	struct os_proc *p;

	if (os->nprocs >= OWNSHARE_MAX_PROCS) {
		os->overflow = true;
		return;
	}
	p = memset(&os->procs[os->nprocs++], 0, sizeof *p);
	p->pid = pid;
	p->cpu = -1;
	if (real_proc(os)) {
		if (pid == getpid()) {
			p->clk = CLOCK_PROCESS_CPUTIME_ID;
			p->have_clk = true;
		} else {
			p->have_clk = clock_getcpuclockid(pid, &p->clk) == 0;
		}
	}
	/* born since the last listing: from 0; else from now (as its threads) */
	if ((!os->have_prev || os->overflow) && !proc_clock(p, &p->cpu_ns))
		p->have_clk = false;
}

/* The parent of pid: from the last listing's cache, else its stat file. */
static pid_t
parent_of(const struct ownshare *os, pid_t pid)
{
	int lo = 0, hi = os->nppids - 1;
	struct proctrace_stat st;
	char buf[1024];
	int fd, rc;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (os->ppids[mid].pid == pid)
			return os->ppids[mid].ppid;
		if (os->ppids[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	fd = open_file(os, pid, 0, "stat");
	rc = reread(fd, buf, sizeof buf);
	if (fd >= 0)
		close(fd);
	if (rc < 0 || proctrace_parse_stat(buf, &st) < 0)
		return -1;
	return st.ppid;
}

/* A /proc directory entry's number (a pid or tid), or -1. */
static long
entry_number(const struct dirent *de)
{
	char *end;
	long n = strtol(de->d_name, &end, 10);

	return end == de->d_name || *end != '\0' || n <= 0 ? -1 : n;
}

static int
by_pid(const void *a, const void *b)
{
	const struct os_ppid *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* List /proc: follow every process whose parent is followed.  The parents
 * seen are kept for the next listing (a pid gone from /proc leaves it). */
static void
descend(struct ownshare *os)
{
	DIR *d = opendir(os->proc_root);
	struct dirent *de;
	struct os_ppid *tmp;

	if (d == NULL)
		return;
	os->nscan = 0;
	while ((de = readdir(d)) != NULL) {
		long pid = entry_number(de);
		pid_t ppid;

		if (pid <= 0)
			continue;
		ppid = parent_of(os, (pid_t)pid);
		if (ppid < 0)
			continue;
		if (os->nscan == os->cap) {
			os->cap = os->cap ? 2 * os->cap : 256;
			os->scan = xrealloc(os->scan, (size_t)os->cap * sizeof *os->scan);
			os->ppids = xrealloc(os->ppids, (size_t)os->cap * sizeof *os->ppids);
		}
		os->scan[os->nscan++] = (struct os_ppid){ (pid_t)pid, ppid };
		if (proc_index(os, (pid_t)pid) < 0 && proc_index(os, ppid) >= 0)
			add_proc(os, (pid_t)pid);
	}
	closedir(d);
	if (os->nscan > 1)	/* scan is NULL while nothing was listed */
		qsort(os->scan, (size_t)os->nscan, sizeof *os->scan, by_pid);
	tmp = os->ppids;
	os->ppids = os->scan;
	os->scan = tmp;
	os->nppids = os->nscan;
}

static int
thread_index(const struct ownshare *os, pid_t pid, pid_t tid)
{
	for (int i = 0; i < os->nth; i++)
		if (os->th[i].tid == tid && os->th[i].pid == pid)
			return i;
	return -1;
}

/* Start reading thread tid of p: from its birth, or from now when this is
 * the baseline (or threads were left out before, so it may be old). */
static void
add_thread(struct ownshare *os, const struct os_proc *p, pid_t tid)
{
	struct os_thread *t;

	if (os->nth >= OWNSHARE_MAX_THREADS) {
		os->overflow = true;
		return;
	}
	t = &os->th[os->nth];
	memset(t, 0, sizeof *t);
	t->pid = p->pid;
	t->tid = tid;
	t->cpu = -1;
	t->listed = true;
	t->fd_sched = open_file(os, p->pid, tid, "schedstat");
	t->fd_stat = open_file(os, p->pid, tid, "stat");
	if (t->fd_sched < 0 || t->fd_stat < 0) {
		close_thread(t);
		return;
	}
	if ((!os->have_prev || os->overflow) && read_on(t, &t->on) < 0) {
		close_thread(t);
		return;
	}
	os->nth++;
}

/* Mark p's threads listed in /proc/PID/task, adding new ones; -1 when the
 * process is gone. */
static int
list_threads(struct ownshare *os, const struct os_proc *p)
{
	char path[320];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof path, "%s/%d/task", os->proc_root, (int)p->pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		long tid = entry_number(de);
		int i;

		if (tid <= 0)
			continue;
		if ((i = thread_index(os, p->pid, (pid_t)tid)) >= 0)
			os->th[i].listed = true;
		else
			add_thread(os, p, (pid_t)tid);
	}
	closedir(d);
	return 0;
}

/* Read p's threads: each one's delta into split[] at its CPU; returns the
 * sum. */
static uint64_t
read_threads(struct ownshare *os, struct os_proc *p)
{
	uint64_t sum = 0;

	memset(os->split, 0, (size_t)os->ncpu * sizeof *os->split);
	for (int i = 0; i < os->nth; i++) {
		struct os_thread *t = &os->th[i];
		struct proctrace_stat st;
		char buf[1024];
		uint64_t on;

		if (t->pid != p->pid || !t->listed || read_on(t, &on) < 0)
			continue;
		if (on > t->on) {
			uint64_t d = on - t->on;

			/* where it ran last: where its time since the last
			 * sample goes (all of it, even if it moved meanwhile) */
			if (reread(t->fd_stat, buf, sizeof buf) == 0 &&
			    proctrace_parse_stat(buf, &st) == 0)
				t->cpu = st.cpu;
			if (t->cpu >= 0 && t->cpu < os->ncpu) {
				os->split[t->cpu] += d;
				sum += d;
			}
		}
		t->on = on;
		if (t->cpu >= 0 && (t->tid == p->pid || p->cpu < 0))
			p->cpu = t->cpu;
	}
	return sum;
}

/* One process's interval into acc[]: its threads' deltas, and the time its
 * CPU clock counted that they do not (threads that ended, threads left
 * out) in the same proportions. */
static void
sample_proc(struct ownshare *os, struct os_proc *p)
{
	uint64_t sum = read_threads(os, p), total;

	if (proc_clock(p, &total)) {
		uint64_t rest;

		rest = total > p->cpu_ns + sum ? total - p->cpu_ns - sum : 0;
		p->cpu_ns = total;
		if (rest > 0 && sum > 0) {
			for (int c = 0; c < os->ncpu; c++)
				os->split[c] += (uint64_t)((double)rest *
				    (double)os->split[c] / (double)sum);
		} else if (rest > 0 && p->cpu >= 0 && p->cpu < os->ncpu) {
			os->split[p->cpu] += rest;
		}
	}
	for (int c = 0; c < os->ncpu; c++)
		os->acc[c] += os->split[c];
}

/* Forget threads no longer listed and processes gone. */
static void
drop_gone(struct ownshare *os)
{
	int n = 0;

	for (int i = 0; i < os->nth; i++) {
		struct os_thread *t = &os->th[i];
		int p = proc_index(os, t->pid);

		if (!t->listed || p < 0 || os->procs[p].gone)
			close_thread(t);
		else
			os->th[n++] = *t;
	}
	os->nth = n;
	n = 0;
	for (int i = 0; i < os->nprocs; i++)
		if (!os->procs[i].gone)
			os->procs[n++] = os->procs[i];
	os->nprocs = n;
}

/* Shares of the interval that ended at now, and their history. */
static void
record(struct ownshare *os, uint64_t now, bool known)
{
	uint64_t dt = now > os->last_ns ? now - os->last_ns : 0;

	known &= os->have_prev && dt > 0;
	for (int c = 0; c < os->ncpu; c++) {
		double s = known ? (double)os->acc[c] / (double)dt : -1;

		os->share[c] = s > 1 ? 1 : s;
		os->history[(size_t)c * SAMPLE_HISTORY + (size_t)os->hpos] =
		    (float)os->share[c];
	}
	if (os->have_prev) {
		os->hpos = (os->hpos + 1) % SAMPLE_HISTORY;
		if (os->nhist < SAMPLE_HISTORY)
			os->nhist++;
	}
}

int
ownshare_sample(struct ownshare *os, uint64_t now)
{
	uint64_t c0;
	bool known;

	if (os->have_prev && now - os->last_ns < OWNSHARE_MIN_NS)
		return 0;	/* the last interval's shares stand */
	c0 = clock_thread_cpu_ns();
	if (proc_index(os, os->root) < 0)
		add_proc(os, os->root);
	if (!os->have_prev || now - os->last_descend >= OWNSHARE_DESCEND_NS) {
		descend(os);
		os->last_descend = now;
	}
	memset(os->acc, 0, (size_t)os->ncpu * sizeof *os->acc);
	for (int i = 0; i < os->nth; i++)
		os->th[i].listed = false;
	for (int i = 0; i < os->nprocs; i++) {
		struct os_proc *p = &os->procs[i];

		p->gone = list_threads(os, p) < 0;
		if (!p->gone)
			sample_proc(os, p);
	}
	drop_gone(os);
	known = proc_index(os, os->root) >= 0;
	record(os, now, known);
	os->last_ns = now;
	os->have_prev = known;
	os->cost_ns += clock_thread_cpu_ns() - c0;
	os->samples++;
	return known ? 0 : -1;
}

double
ownshare_get(const struct ownshare *os, int cpu)
{
	return cpu >= 0 && cpu < os->ncpu ? os->share[cpu] : -1;
}

int
ownshare_history(const struct ownshare *os, int cpu, float *out, int n)
{
	int count = UTIL_MIN(n, os->nhist);

	for (int i = 0; i < count; i++) {
		int pos = (os->hpos - count + i + SAMPLE_HISTORY) % SAMPLE_HISTORY;

		out[i] = cpu >= 0 && cpu < os->ncpu ?
		    os->history[(size_t)cpu * SAMPLE_HISTORY + (size_t)pos] : -1;
	}
	return count;
}

int
ownshare_nprocs(const struct ownshare *os)
{
	return os->nprocs;
}

int
ownshare_nthreads(const struct ownshare *os)
{
	return os->nth;
}

uint64_t
ownshare_cost_ns(const struct ownshare *os, uint64_t *samples)
{
	if (samples != NULL)
		*samples = os->samples;
	return os->cost_ns;
}
