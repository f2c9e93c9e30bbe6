/*
 * proctrace_proc: the /proc side of proctrace -- parsers of the stat,
 * schedstat and syscall lines, file reads, the processes followed (children
 * found by listing /proc, since this kernel has no task/TID/children file),
 * and the GIL lane inferred from the threads' states.
 */
#include "proctrace.h"
#include "proctrace_int.h"

#include "lane_hold.h"

#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
proctrace_parse_stat(const char *buf, struct proctrace_stat *st)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')');
	unsigned long long ut, stt;
	int field = 3, ppid, cpu = -1;
	size_t n;
	char *end;

	if (open == NULL || close == NULL || close < open || close[1] != ' ')
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= sizeof st->comm)
		n = sizeof st->comm - 1;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	if (sscanf(close + 2, "%c %d", &st->state, &ppid) != 2 ||
	    !isalpha((unsigned char)st->state))
		return -1;
	st->ppid = ppid;
	/* Fields 14 and 15: utime, stime; 39: processor. */
	for (const char *p = close + 2; *p != '\0' && field <= 39; field++) {
		if (field == 14 && sscanf(p, "%llu %llu", &ut, &stt) == 2) {
			st->utime = ut;
			st->stime = stt;
		}
		if (field == 39) {
			cpu = (int)strtol(p, &end, 10);
			if (end == p)
				cpu = -1;
		}
		p = strchr(p, ' ');
		if (p == NULL)
			break;
		p++;
	}
	if (field < 15)
		return -1;
	st->cpu = cpu;
	return 0;
}

int
proctrace_parse_schedstat(const char *buf, uint64_t *on, uint64_t *wait,
    uint64_t *pcount)
{
	unsigned long long a, b, c = 0;
	int n = sscanf(buf, "%llu %llu %llu", &a, &b, &c);

	if (n < 2)
		return -1;
	*on = a;
	*wait = b;
	*pcount = c;
	return 0;
}

long
proctrace_parse_syscall(const char *buf)
{
	char *end;
	long nr;

	if (strncmp(buf, "running", 7) == 0)
		return PROCTRACE_SYS_RUNNING;
	nr = strtol(buf, &end, 10);
	if (end == buf || (*end != ' ' && *end != '\n' && *end != '\0') || nr < -1)
		return -3;
	return nr;
}

/* Re-read an open /proc file; -1 when it is gone. */
int
proctrace_read(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int
proctrace_open(const struct proctrace *pt, pid_t pid, pid_t tid, const char *file)
{
	char path[320];

	if (tid > 0)
		snprintf(path, sizeof path, "%s/%d/task/%d/%s", pt->o.proc_root, (int)pid,
		    (int)tid, file);
	else
		snprintf(path, sizeof path, "%s/%d/%s", pt->o.proc_root, (int)pid, file);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* A /proc file read once by path. */
int
proctrace_read_once(const struct proctrace *pt, pid_t pid, pid_t tid, const char *file,
    char *buf, size_t len)
{
	int fd = proctrace_open(pt, pid, tid, file), rc;

	if (fd < 0)
		return -1;
	rc = proctrace_read(fd, buf, len);
	close(fd);
	return rc;
}

int
proctrace_add_proc(struct proctrace *pt, pid_t pid)
{
	struct pt_proc *p;
	struct proctrace_stat st;
	char buf[1024];

	if (pt->nprocs >= PROCTRACE_MAX_PROCS) {
		pt->overflow = true;
		return -1;
	}
	if (proctrace_read_once(pt, pid, 0, "stat", buf, sizeof buf) < 0 ||
	    proctrace_parse_stat(buf, &st) < 0)
		return -1;
	p = &pt->procs[pt->nprocs++];
	p->pid = pid;
	p->taskfd = proctrace_open(pt, pid, 0, "task");
	p->listed_ns = 0;
	util_strlcpy(p->comm, st.comm, sizeof p->comm);
	return 0;
}

bool
proctrace_followed(const struct proctrace *pt, pid_t pid)
{
	for (int i = 0; i < pt->nprocs; i++)
		if (pt->procs[i].pid == pid)
			return true;
	return false;
}

/* The parent of pid, from the cache or its stat file; -1 if gone. */
static pid_t
pt_ppid(struct proctrace *pt, pid_t pid)
{
	unsigned h = (unsigned)pid * 2654435761u % PT_PPID_SLOTS;
	struct proctrace_stat st;
	char buf[1024];

	for (int k = 0; k < 16; k++, h = (h + 1) % PT_PPID_SLOTS) {
		if (pt->ppids[h].pid == pid)
			return pt->ppids[h].ppid;
		if (pt->ppids[h].pid == 0)
			break;
	}
	if (proctrace_read_once(pt, pid, 0, "stat", buf, sizeof buf) < 0 ||
	    proctrace_parse_stat(buf, &st) < 0)
		return -1;
	if (pt->ppids[h].pid == 0) {
		pt->ppids[h].pid = pid;
		pt->ppids[h].ppid = st.ppid;
	}
	return st.ppid;
}

/* Find new children of followed processes (the kernel here has no
 * task/TID/children file, so /proc is listed; parents are cached). */
void
proctrace_descend(struct proctrace *pt)
{
	DIR *d = opendir(pt->o.proc_root);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(de->d_name);

		if (pid <= 0 || proctrace_followed(pt, pid))
			continue;
		if (proctrace_followed(pt, pt_ppid(pt, pid)))
			proctrace_add_proc(pt, pid);
	}
	closedir(d);
}

/* The thread's time blocked in futex up to now. */
static uint64_t
lock_total(const struct pt_thread *t, uint64_t now)
{
	return t->lock_ns + (t->st == TRACE_LOCK && now > t->since_ns ? now - t->since_ns : 0);
}

/* Each thread's share of a core and of the window in futex over the last
 * window (schedstat is updated at scheduler ticks, so shorter windows would
 * be noise).  False while the window is still open. */
static bool
lane_window(struct proctrace *pt, uint64_t now)
{
	double span = (double)(now - pt->win_t0);
	bool first = pt->win_t0 == 0;

	if (!first && now - pt->win_t0 < PT_LANE_WINDOW_NS)
		return false;
	for (int i = 0; i < pt->nth; i++) {
		struct pt_thread *t = &pt->th[i];
		uint64_t lock = lock_total(t, now);

		t->win_frac = !first && t->on >= t->win_on ?
		    (double)(t->on - t->win_on) / span : 0;
		t->win_lock_frac = !first && lock >= t->win_lock ?
		    (double)(lock - t->win_lock) / span : 0;
		t->win_wake_hz = !first && t->pcount >= t->win_pcount ?
		    (double)(t->pcount - t->win_pcount) * 1e9 / span : 0;
		t->win_on = t->on;
		t->win_lock = lock;
		t->win_pcount = t->pcount;
	}
	pt->win_t0 = now;
	return !first;
}

/* What the window that just closed shows of the root process's threads:
 * several computing at once with none of them in futex (no lock between
 * them), or turns -- two or more took the CPU and waited in futex in it,
 * together about one core (a lock, the lane's evidence; one thread waiting
 * once, as main does while a new thread starts, is not) -- or a fight:
 * two or more computed while each was scheduled in PT_FIGHT_HZ times a
 * second or more (blocking and woken all the time: Python 2's waiters,
 * whose waits are too short for a tick to see).  PROCTRACE_TELL_WINDOWS
 * fights are a lock's evidence too, and no thread in one runs free.  Sets
 * *busy to the cores they used; true when they ran at once. */
static bool
lane_judge(struct proctrace *pt, pid_t root, double *busy)
{
	int free_run = 0, took_cpu = 0, waited = 0, fought = 0;

	*busy = 0;
	for (int i = 0; i < pt->nth; i++) {
		const struct pt_thread *t = &pt->th[i];

		if (t->pid != root || t->st == TRACE_NEW)
			continue;
		*busy += t->win_frac;
		if (t->win_frac >= 0.05 && t->win_wake_hz >= PT_FIGHT_HZ)
			fought++;
		else if (t->win_frac >= 0.2 && t->win_lock_frac <= 0.2)
			free_run++;
		if (t->win_frac >= 0.05) {
			took_cpu++;
			waited += t->win_lock_frac >= 0.3;
		}
	}
	pt->contested += took_cpu >= 2;
	pt->fights += fought >= 2;
	if (pt->fights >= PROCTRACE_TELL_WINDOWS && !pt->no_lock)
		pt->lock_seen = true;
	/* Over a core and a third, never in futex, none fighting: no GIL
	 * behind it (Python 2's waiters burn CPU too, but each is scheduled in
	 * thousands of times a second: fought, above). */
	if (free_run >= 2) {
		if (!pt->lock_seen && !pt->o.has_gil && *busy >= 1.3 &&
		    ++pt->at_once >= PT_AT_ONCE_WINDOWS)
			pt->no_lock = true;
		return true;
	}
	pt->at_once = 0;
	if (took_cpu >= 2 && waited >= 2 && *busy < 1.3 && !pt->no_lock)
		pt->lock_seen = true;
	return false;
}

/* The GIL lane of the root process.  A thread that stays runnable holds
 * the lock until it blocks (a waiter woken between timed waits may be
 * runnable too, briefly, or for long when other programs keep the cores
 * busy); the holder changes when it blocks, to the thread that runs.  When
 * the threads together used more than 1.3 cores in the last window, or
 * several computed with none in futex, they ran at once: no one holder can
 * be told, and the lane says so (LANE_SEVERAL; a lock lets them use one
 * core between them, whatever the switches: Python 2's waiters burn the
 * rest waking up every few microseconds to lose the lock again, too often
 * for /proc to see them wait).  The lane row is added at the first sign of
 * a lock, or with the second thread when the program said it has a GIL; a
 * process whose threads ran at once before any sign (free-threaded CPython
 * 3.13t, C) never gets one. */
void
proctrace_lane(struct proctrace *pt, uint64_t now)
{
	int running = 0, nroot = 0, holder = -1;
	pid_t root = pt->procs[0].pid;
	uint64_t dt = pt->lane_last ? now - pt->lane_last : 0;
	double best = -1, busy;

	if (pt->holder >= 0)
		pt->held_ns += dt;
	if (pt->parallel)
		pt->parallel_ns += dt;
	pt->lane_span_ns += dt;
	pt->lane_last = now;
	if (pt->o.no_gil)
		pt->no_lock = true;
	if (lane_window(pt, now))
		pt->parallel = lane_judge(pt, root, &busy) || busy >= 1.3;
	for (int i = 0; i < pt->nth; i++) {
		const struct pt_thread *t = &pt->th[i];

		if (t->pid != root || t->slot < 0 || t->done)
			continue;
		nroot++;
		if (t->st != TRACE_RUN)
			continue;
		running++;
		if (t->win_frac > best) {
			best = t->win_frac;
			holder = i;
		}
	}
	if (pt->lane < 0) {
		if (nroot < 2 || pt->no_lock || !(pt->lock_seen || pt->o.has_gil))
			return;
		pt->lane = trace_task_add(pt->tr, pt->o.run, "GIL", TRACE_KIND_LANE);
		if (pt->lane < 0) {
			pt->overflow = true;
			pt->o.gil_lane = false;
			return;
		}
		/* its holders are root's threads only (lane_letter.h) */
		trace_task_set_ids(pt->tr, pt->lane, root, 0);
	}
	if (pt->parallel)
		holder = running > 0 ? PT_SEVERAL : -1;
	else if (running >= 2 && pt->holder >= 0 && !pt->th[pt->holder].done &&
	    pt->th[pt->holder].st == TRACE_RUN)
		holder = pt->holder;
	if (holder == pt->holder)
		return;
	/* a handoff: a holder other than the last one, with or without a gap
	 * (none, several at once) between them, as the lane draws it */
	if (holder >= 0 && pt->last_held >= 0 && holder != pt->last_held)
		pt->switches++;
	if (holder >= 0)
		pt->last_held = holder;
	if (holder >= 0)
		trace_set_state_at(pt->tr, pt->lane, TRACE_RUN, now,
		    (uint32_t)pt->th[holder].slot + 1);
	else
		trace_set_state_at(pt->tr, pt->lane, holder == PT_SEVERAL ? LANE_SEVERAL :
		    TRACE_NEW, now, 0);
	pt->holder = holder;
}

uint64_t
proctrace_root_wakes(const struct proctrace *pt)
{
	uint64_t n = 0;

	for (int i = 0; i < pt->nth; i++) {
		const struct pt_thread *t = &pt->th[i];

		if (t->pid == pt->procs[0].pid && t->pcount > t->pcount0)
			n += t->pcount - t->pcount0;
	}
	return n;
}

bool
proctrace_switches_counted(const struct proctrace *pt)
{
	return proctrace_root_wakes(pt) <=
	    PROCTRACE_WAKES_PER_SWITCH * (pt->switches > 0 ? pt->switches : 1);
}

bool
proctrace_lane_drawn(const struct proctrace *pt)
{
	return pt->lane >= 0;
}

int
proctrace_lane_windows(const struct proctrace *pt)
{
	return pt->contested;
}

bool
proctrace_threads_at_once(const struct proctrace *pt)
{
	return pt->no_lock;
}

/* Readers of what the tracer measured (for tables). */

int
proctrace_nthreads(const struct proctrace *pt)
{
	return pt->nth;
}

int
proctrace_info(const struct proctrace *pt, int i, struct proctrace_info *out)
{
	const struct pt_thread *t;

	if (i < 0 || i >= pt->nth)
		return -1;
	t = &pt->th[i];
	memset(out, 0, sizeof *out);
	out->pid = t->pid;
	out->tid = t->tid;
	out->slot = t->slot;
	util_strlcpy(out->name, t->name, sizeof out->name);
	out->start_ns = t->seen_ns;
	out->end_ns = t->end_ns;
	out->run_ns = t->on - t->on0;
	out->ready_ns = t->wait - t->wait0;
	out->lock_ns = t->lock_ns;
	out->io_ns = t->io_ns;
	for (int k = 0; k < pt->nprocs; k++)
		if (pt->procs[k].pid == t->pid)
			out->helper = pt->procs[k].helper;
	if (!t->done && t->st == TRACE_LOCK)
		out->lock_ns += t->last_ns - t->since_ns;
	if (!t->done && t->st == TRACE_IO)
		out->io_ns += t->last_ns - t->since_ns;
	out->done = t->done;
	return 0;
}

void
proctrace_lane_stats(const struct proctrace *pt, uint64_t *switches, uint64_t *held_ns,
    uint64_t *parallel_ns, uint64_t *span_ns)
{
	*span_ns = pt->lane_span_ns;
	*switches = pt->switches;
	*held_ns = pt->held_ns;
	*parallel_ns = pt->parallel_ns;
}

uint64_t
proctrace_cost_ns(const struct proctrace *pt, uint64_t *ticks)
{
	if (ticks != NULL)
		*ticks = pt->ticks;
	return pt->cost_ns;
}

int
proctrace_unseen(const struct proctrace *pt)
{
	return pt->unseen;
}

bool
proctrace_overflowed(const struct proctrace *pt)
{
	return pt->overflow;
}

void
proctrace_what(pid_t pid, char *buf, size_t len)
{
	char path[64], comm[64] = "";
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (f != NULL) {
		if (fgets(comm, sizeof comm, f) == NULL)
			comm[0] = '\0';
		fclose(f);
	}
	comm[strcspn(comm, "\n")] = '\0';
	if (comm[0] != '\0')
		snprintf(buf, len, "%s (pid %d)", comm, (int)pid);
	else
		snprintf(buf, len, "pid %d", (int)pid);
}
