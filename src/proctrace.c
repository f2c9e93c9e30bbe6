/*
 * proctrace: threads of an outside process from /proc (see proctrace.h).
 *
 * Invariants: a thread's fds are open while it is not done; slot is -1 while
 * it waits for a name (its state changes kept in hist meanwhile), else its
 * trace slot (the trace has its states from seen_ns on, those before the
 * slot replayed from hist); own lock/io totals are closed at every state
 * change, so the table and the trace agree; the lane is written only by
 * the owner.
 */
#include "proctrace.h"
#include "proctrace_int.h"

#include "clock.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *const pt_files[PT_NFILES] = { "schedstat", "syscall", "stat" };

struct proctrace *
proctrace_create(struct trace *tr, pid_t pid, const struct proctrace_opts *o,
    char *err, size_t errlen)
{
	struct proctrace *pt = xcalloc(1, sizeof *pt);

	pt->tr = tr;
	pt->o = *o;
	if (pt->o.proc_root == NULL)
		pt->o.proc_root = "/proc";
	if (pt->o.hz < 1 || pt->o.hz > PROCTRACE_HZ_MAX)
		pt->o.hz = PROCTRACE_HZ_MAX;
	if (pt->o.max_cost <= 0)
		pt->o.max_cost = 0.03;
	pt->lane = -1;
	pt->holder = -1;
	pt->last_held = -1;
	pt->budget = PROCTRACE_MAX_THREADS;
	pt->stretch = 1;
	if (proctrace_add_proc(pt, pid) < 0) {
		util_err(err, errlen, "cannot read %s/%d/stat: %s", pt->o.proc_root,
		    (int)pid, errno == ENOENT ? "no such process" : strerror(errno));
		free(pt);
		return NULL;
	}
	if (pt->o.descendants)
		pt->ppids = xcalloc(PT_PPID_SLOTS, sizeof *pt->ppids);
	return pt;
}

void
proctrace_destroy(struct proctrace *pt)
{
	if (pt == NULL)
		return;
	for (int i = 0; i < pt->nth; i++) {
		for (int f = 0; f < PT_NFILES; f++)
			if (pt->th[i].fd[f] >= 0)
				close(pt->th[i].fd[f]);
		free(pt->th[i].hist);
	}
	for (int i = 0; i < pt->nprocs; i++)
		if (pt->procs[i].taskfd >= 0)
			close(pt->procs[i].taskfd);
	free(pt->ppids);
	free(pt);
}

static struct pt_thread *
pt_find(struct proctrace *pt, pid_t tid)
{
	for (int i = 0; i < pt->nth; i++)
		if (pt->th[i].tid == tid)
			return &pt->th[i];
	return NULL;
}

/* The name the thread goes by when the program gave none. */
static void
pt_default_name(const struct proctrace *pt, struct pt_thread *t, const char *comm)
{
	const char *own = "";

	for (int i = 0; i < pt->nprocs; i++)
		if (pt->procs[i].pid == t->pid)
			own = pt->procs[i].comm;
	if (t->tid != t->pid && strcmp(comm, own) == 0)
		snprintf(t->name, sizeof t->name, "%.15s-%d", comm, t->seq);
	else
		util_strlcpy(t->name, comm, sizeof t->name);
}

void
proctrace_name(struct proctrace *pt, pid_t tid, const char *name)
{
	struct pt_thread *t = pt_find(pt, tid);
	int i;

	/* A slot's name is fixed once it exists; before, the program's wins. */
	if (t != NULL && t->slot >= 0)
		return;
	for (i = 0; i < pt->nnames && pt->names[i].tid != tid; i++)
		;
	if (i == PROCTRACE_MAX_THREADS)
		return;
	pt->names[i].tid = tid;
	util_strlcpy(pt->names[i].name, name, sizeof pt->names[i].name);
	if (i == pt->nnames)
		pt->nnames++;
	if (t != NULL)
		util_strlcpy(t->name, name, sizeof t->name);
}

static bool
pt_named(const struct proctrace *pt, pid_t tid, char *name)
{
	for (int i = 0; i < pt->nnames; i++)
		if (pt->names[i].tid == tid) {
			util_strlcpy(name, pt->names[i].name, TRACE_NAME_LEN);
			return true;
		}
	return false;
}

/* tid was listed but had ended by its first reading: counted once (its
 * directory may still be listed while it is reaped). */
static void
pt_gone_unseen(struct proctrace *pt, pid_t tid)
{
	for (int i = 0; i < pt->ngone && i < PT_GONE_KEEP; i++)
		if (pt->gone[i] == tid)
			return;
	pt->gone[pt->ngone++ % PT_GONE_KEEP] = tid;
	pt->unseen++;
}

static void
pt_add_thread(struct proctrace *pt, pid_t pid, pid_t tid, uint64_t now)
{
	struct pt_thread *t;
	struct proctrace_stat st;
	char buf[1024];

	if (pt->nth >= PROCTRACE_MAX_THREADS) {
		pt->overflow = true;
		return;
	}
	t = &pt->th[pt->nth];
	memset(t, 0, sizeof *t);
	t->pid = pid;
	t->tid = tid;
	t->slot = -1;
	for (int f = 0; f < PT_NFILES; f++)
		t->fd[f] = proctrace_open(pt, pid, tid, pt_files[f]);
	if (t->fd[PT_SCHED] < 0 || proctrace_read(t->fd[PT_SCHED], buf, sizeof buf) < 0 ||
	    proctrace_parse_schedstat(buf, &t->on0, &t->wait0, &t->pcount) < 0 ||
	    t->fd[PT_STAT] < 0 || proctrace_read(t->fd[PT_STAT], buf, sizeof buf) < 0 ||
	    proctrace_parse_stat(buf, &st) < 0) {
		if (errno == EMFILE || errno == ENFILE)
			pt->overflow = true;	/* out of files, not gone */
		else
			pt_gone_unseen(pt, tid);
		for (int f = 0; f < PT_NFILES; f++)
			if (t->fd[f] >= 0)
				close(t->fd[f]);
		return;		/* gone already */
	}
	t->on = t->on0;
	t->wait = t->wait0;
	t->seen_ns = now;
	/* Threads born after the first look count from their start, which
	 * was at least as long ago as they were runnable (a child process is
	 * found up to PT_DESCEND_NS late): their life starts there, so that
	 * its states still add up to it (walk6 G10: a pyenv shim's 'bash'
	 * had 0.070 s ready in a 0.006 s life). */
	if (pt->ticks > 1) {
		uint64_t age = t->on0 + t->wait0;

		t->on0 = t->wait0 = 0;
		t->seen_ns = now - pt->first_ns > age ? now - age : pt->first_ns;
	}
	for (int i = 0; i < pt->nprocs && tid != pid; i++)
		if (pt->procs[i].pid == pid)
			t->seq = ++pt->procs[i].nthreads;
	t->win_pcount = t->pcount;	/* its first window counts from here */
	t->pcount0 = pt->ticks > 1 ? 0 : t->pcount;
	t->push_on = t->st_on = t->on0;
	t->push_wait = t->st_wait = t->wait0;
	t->st_ns = t->since_ns = t->seen_ns;
	t->last_ns = t->push_ts = now;
	t->st = TRACE_NEW;
	t->cpu = st.cpu;
	t->hist = xcalloc(PT_HIST, sizeof *t->hist);
	if (!pt_named(pt, tid, t->name))
		pt_default_name(pt, t, st.comm);
	pt->nth++;
}

/* Does p's task directory need listing?  Its link count is 2 + the
 * threads the kernel counts: listed when that is not 2 + the threads
 * followed and alive, and every PT_RELIST_NS.  (Listing cost 70 us a time
 * here, a third of the tracer's reads for 8 threads at 1 kHz; fstat costs
 * about 1 us.  A directory whose count means something else, as in a
 * fixture tree on some filesystems, is just listed more often.) */
static bool
pt_stale(const struct proctrace *pt, const struct pt_proc *p, uint64_t now)
{
	struct stat st;
	nlink_t alive = 2;

	if (p->taskfd < 0 || now - p->listed_ns >= PT_RELIST_NS || fstat(p->taskfd, &st) != 0)
		return true;
	for (int i = 0; i < pt->nth; i++)
		alive += pt->th[i].pid == p->pid && !pt->th[i].done;
	return st.st_nlink != alive;
}

/* List the task directory of every followed process that may have a
 * thread not followed yet. */
static void
pt_discover(struct proctrace *pt, uint64_t now, uint64_t min_gap)
{
	char path[300];

	for (int i = 0; i < pt->nprocs; i++) {
		struct pt_proc *p = &pt->procs[i];
		struct dirent *de;
		DIR *d;

		if (p->gone || now - p->listed_ns < min_gap || !pt_stale(pt, p, now))
			continue;
		p->listed_ns = now;
		snprintf(path, sizeof path, "%s/%d/task", pt->o.proc_root, (int)p->pid);
		d = opendir(path);
		if (d == NULL) {
			p->gone = true;
			if (p->taskfd >= 0)
				close(p->taskfd);
			p->taskfd = -1;
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			pid_t tid = (pid_t)atoi(de->d_name);

			if (tid > 0 && pt_find(pt, tid) == NULL)
				pt_add_thread(pt, p->pid, tid, now);
		}
		closedir(d);
	}
}

/* The first process started a new program (exec): every other process
 * already ended was its launcher's helper -- pyenv's shim runs bash
 * helpers, each 7-30 ms of CPU on this VM, and waits for them before it
 * execs python3 -- whatever CPU it took. */
static void
pt_mark_helpers(struct proctrace *pt)
{
	char path[300];
	struct stat st;

	for (int j = 1; j < pt->nprocs; j++) {
		struct pt_proc *p = &pt->procs[j];

		snprintf(path, sizeof path, "%s/%d", pt->o.proc_root, (int)p->pid);
		if (p->gone || stat(path, &st) != 0)
			p->helper = true;
	}
}

/* A process that exec'd since it was last looked at (a pyenv shim runs
 * bash, then python3) has a new comm: its threads seen from now on are
 * named after it, and its main thread is renamed unless the program named
 * it -- in the trace too when the slots may be renamed. */
static void
pt_follow_exec(struct proctrace *pt)
{
	for (int i = 0; i < pt->nth; i++) {
		struct pt_thread *t = &pt->th[i];
		struct proctrace_stat st;
		char buf[1024];
		int k;

		if (t->done || t->tid != t->pid)
			continue;
		for (k = 0; k < pt->nprocs && pt->procs[k].pid != t->pid; k++)
			;
		if (k == pt->nprocs || proctrace_read(t->fd[PT_STAT], buf, sizeof buf) < 0 ||
		    proctrace_parse_stat(buf, &st) < 0 || strcmp(st.comm, pt->procs[k].comm) == 0)
			continue;
		util_strlcpy(pt->procs[k].comm, st.comm, sizeof pt->procs[k].comm);
		if (k == 0)
			pt_mark_helpers(pt);
		if (pt_named(pt, t->tid, t->name))
			continue;
		pt_default_name(pt, t, st.comm);
		if (t->slot >= 0 && pt->o.rename_slots)
			trace_task_rename(pt->tr, t->slot, t->name);
	}
}

/* Give a thread waiting for its name its slot, dated from first sight,
 * with every state it was seen in since. */
static void
pt_register(struct proctrace *pt, struct pt_thread *t)
{
	struct proctrace_stat st;
	char buf[1024];

	/* The program may have exec'd since first sight (a pyenv shim, sh -c):
	 * take the name it has now. */
	if (!pt_named(pt, t->tid, t->name) && proctrace_read(t->fd[PT_STAT], buf,
	    sizeof buf) == 0 && proctrace_parse_stat(buf, &st) == 0) {
		for (int i = 0; i < pt->nprocs; i++)
			if (pt->procs[i].pid == t->tid)
				util_strlcpy(pt->procs[i].comm, st.comm, sizeof pt->procs[i].comm);
		pt_default_name(pt, t, st.comm);
	}
	t->slot = trace_task_add(pt->tr, pt->o.run, t->name, TRACE_KIND_TASK);
	if (t->slot < 0) {
		pt->overflow = true;
		t->slot = -2;
		return;
	}
	trace_task_begin_at(pt->tr, t->slot, t->pid, t->tid, t->seen_ns,
	    t->first_st, t->first_cpu);
	/* What it did while it waited: the first state alone would stand
	 * for all of it (walk7 H1: a thread sleeping 10 x 0.1 s, never
	 * named, drawn running 0.9 s). */
	for (int i = 0; i < t->nhist; i++)
		trace_set_state_cpu_at(pt->tr, t->slot, t->hist[i].st, t->hist[i].ts,
		    t->hist[i].cpu);
	free(t->hist);
	t->hist = NULL;
	t->nhist = 0;
}

/* Close the thread's current interval at ts (no earlier than its start)
 * into its own totals; returns the time used. */
static uint64_t
pt_close(struct pt_thread *t, uint64_t ts)
{
	if (ts < t->since_ns)
		ts = t->since_ns;
	if (t->st == TRACE_LOCK)
		t->lock_ns += ts - t->since_ns;
	else if (t->st == TRACE_IO)
		t->io_ns += ts - t->since_ns;
	return ts;
}

/* The thread is in st on cpu since ts. */
static void
pt_enter(struct proctrace *pt, struct pt_thread *t, enum trace_state st, int cpu,
    uint64_t ts)
{
	if (t->st == TRACE_NEW) {
		t->first_st = st;
		t->first_cpu = cpu;
		t->since_ns = t->seen_ns;
	} else if (st == t->st && (st != TRACE_RUN || cpu == t->cpu)) {
		return;
	} else {
		ts = pt_close(t, ts);
		t->since_ns = ts;
		if (t->slot >= 0)
			trace_set_state_cpu_at(pt->tr, t->slot, st, ts, cpu);
		else if (t->hist != NULL && t->nhist < PT_HIST)
			t->hist[t->nhist++] = (struct pt_step){ ts, st, cpu };
	}
	t->st = st;
	if (st == TRACE_LOCK || st == TRACE_IO)
		t->blocked_st = st;
	if (cpu >= 0)
		t->cpu = cpu;
}

static uint64_t
pt_clamp(uint64_t x, uint64_t lo, uint64_t hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* The thread's time runnable (on a core or waiting for one) since it
 * entered its state, from its schedstat readings. */
static uint64_t
pt_ran(const struct pt_thread *t)
{
	return (t->on > t->st_on ? t->on - t->st_on : 0) +
	    (t->wait > t->st_wait ? t->wait - t->st_wait : 0);
}

/* The thread, last seen at t->last_ns, is seen in st at now.  A change is
 * placed by the time it was runnable since it entered its state (not half
 * way between the looks): blocked until now less that time; running for
 * that time, then blocked in the call it is seen in; a thread seen
 * blocked at both looks but scheduled in between ran that time in
 * between (a sleeper waking for a moment).  So its run intervals total
 * its run and ready time and its lock and io intervals the rest -- the
 * four states add up to its life (walk6 G10, G19) -- and a stretch it
 * spent blocked between two looks that saw it runnable is charged to
 * the call it is seen blocked in next, not drawn as running. */
static void
pt_change(struct proctrace *pt, struct pt_thread *t, enum trace_state st, int cpu,
    uint64_t now)
{
	uint64_t ran = pt_ran(t), mid = t->last_ns + (now - t->last_ns) / 2, a;
	enum trace_state was = t->st;

	if (was == TRACE_RUN && st == TRACE_RUN) {
		pt_enter(pt, t, st, cpu, mid);	/* a move to another CPU */
		return;
	}
	if (was == TRACE_NEW) {
		pt_enter(pt, t, st == TRACE_RUN || ran == 0 ? st : TRACE_RUN, cpu, now);
		was = t->st;
	}
	if (was == TRACE_RUN && st != TRACE_RUN) {
		pt_enter(pt, t, st, cpu, pt_clamp(t->st_ns + ran, t->since_ns, now));
	} else if (st == TRACE_RUN) {
		pt_enter(pt, t, st, cpu, pt_clamp(now - UTIL_MIN(ran, now), t->since_ns,
		    now));
	} else if (ran > 0) {
		a = pt_clamp(mid - UTIL_MIN(ran, mid), t->since_ns, now);
		pt_enter(pt, t, TRACE_RUN, cpu, a);
		pt_enter(pt, t, st, cpu, UTIL_MIN(a + ran, now));
	} else {
		pt_enter(pt, t, st, cpu, mid);
	}
	t->st_on = t->on;
	t->st_wait = t->wait;
	t->st_ns = now;
}

static void
pt_end(struct proctrace *pt, struct pt_thread *t, uint64_t ts)
{
	if (t->slot == -1) {
		if (t->st == TRACE_NEW)
			pt_enter(pt, t, TRACE_RUN, t->cpu, ts);
		pt_register(pt, t);
	}
	/* Running to its end, but runnable less than that: it blocked
	 * between looks that saw it running, in a call no look saw -- the
	 * one it was last seen blocked in, else futex (a lock's handoffs
	 * are what such short waits mostly are) -- not drawn as run. */
	if (t->st == TRACE_RUN && ts > t->since_ns && ts > t->st_ns + pt_ran(t))
		pt_enter(pt, t, t->blocked_st != TRACE_NEW ? t->blocked_st : TRACE_LOCK, t->cpu,
		    pt_clamp(t->st_ns + pt_ran(t), t->since_ns, ts));
	ts = pt_close(t, ts);
	if (t->slot >= 0)
		trace_task_end_at(pt->tr, t->slot, ts, t->on - t->on0, t->wait - t->wait0);
	t->st = TRACE_DONE;
	t->done = true;
	t->end_ns = ts;
	for (int f = 0; f < PT_NFILES; f++) {
		if (t->fd[f] >= 0)
			close(t->fd[f]);
		t->fd[f] = -1;
	}
}

/* What the thread is doing now, from its syscall (and stat) files;
 * TRACE_DONE when it has exited. */
static enum trace_state
pt_observe(struct pt_thread *t, int *cpu, bool want_cpu)
{
	char buf[512];
	struct proctrace_stat st;
	long nr = proctrace_read(t->fd[PT_SYS], buf, sizeof buf) < 0 ? -1 :
	    proctrace_parse_syscall(buf);

	*cpu = t->cpu;
	if (nr == PROCTRACE_SYS_RUNNING && !want_cpu)
		return TRACE_RUN;
	if (nr >= 0)
		return nr == SYS_futex ? TRACE_LOCK : TRACE_IO;
	/* Running (its CPU wanted), blocked outside a call, or exiting. */
	if (proctrace_read(t->fd[PT_STAT], buf, sizeof buf) < 0 ||
	    proctrace_parse_stat(buf, &st) < 0 || st.state == 'Z' || st.state == 'X')
		return TRACE_DONE;
	*cpu = st.cpu;
	if (nr == PROCTRACE_SYS_RUNNING || st.state == 'R')
		return TRACE_RUN;
	return TRACE_IO;
}

static void
pt_push_sched(struct proctrace *pt, struct pt_thread *t, uint64_t now)
{
	if (t->slot < 0 || now - t->push_ts < PT_SCHED_PUSH_NS)
		return;
	trace_sched_add(pt->tr, t->slot, now, t->on - t->push_on, t->wait - t->push_wait);
	t->push_on = t->on;
	t->push_wait = t->wait;
	t->push_ts = now;
}

/* The thread has exited (a zombie, its last figures read at now): it
 * ran the time runnable since its state began, then ended -- a
 * blocked one woke first. */
static void
pt_exit(struct proctrace *pt, struct pt_thread *t, uint64_t now)
{
	if (t->st != TRACE_RUN && t->st != TRACE_NEW && pt_ran(t) > 0)
		pt_change(pt, t, TRACE_RUN, t->cpu, now);
	pt_end(pt, t, t->st == TRACE_RUN ? pt_clamp(t->st_ns + pt_ran(t), t->last_ns, now) :
	    t->last_ns + (now - t->last_ns) / 2);
}

static void
pt_sample(struct proctrace *pt, struct pt_thread *t, uint64_t now)
{
	uint64_t on, wait, pcount, mid = t->last_ns + (now - t->last_ns) / 2;
	bool moved;
	enum trace_state st;
	char buf[128];
	int cpu;

	if (proctrace_read(t->fd[PT_SCHED], buf, sizeof buf) < 0 ||
	    proctrace_parse_schedstat(buf, &on, &wait, &pcount) < 0) {
		/* gone: its figures end at the last look, and so does a run
		 * (what it did after is not known); a wait ends half way */
		pt_end(pt, t, t->st == TRACE_RUN ? t->last_ns : mid);
		return;
	}
	moved = pcount != t->pcount;
	if (on >= t->on && wait >= t->wait) {
		t->on = on;
		t->wait = wait;
	}
	t->pcount = pcount;
	/* Blocked and not scheduled in since: still blocked in that call. */
	if (moved || t->st == TRACE_RUN || t->st == TRACE_NEW) {
		st = pt_observe(t, &cpu, moved || t->cpu < 0);
		if (st == TRACE_DONE) {
			pt_exit(pt, t, now);
			return;
		}
		pt_change(pt, t, st, cpu, now);
	}
	t->last_ns = now;
	pt_push_sched(pt, t, now);
}

/* Read up to the budget of threads, in rotation. */
static int
pt_rotate(struct proctrace *pt, uint64_t now)
{
	int live = 0, want, done = 0, start = pt->rr;

	for (int i = 0; i < pt->nth; i++)
		live += !pt->th[i].done;
	want = (int)pt->budget < live ? (int)pt->budget : live;
	if (want < 1)
		want = 1;
	for (int k = 0; k < pt->nth && done < want; k++) {
		int i = (start + k) % pt->nth;

		if (pt->th[i].done)
			continue;
		pt_sample(pt, &pt->th[i], now);
		done++;
		pt->rr = (i + 1) % pt->nth;
	}
	return live;
}

/* Fewer threads per tick when a tick (its reads and its wait) costs more
 * than the target; when one thread a tick still costs more -- on a busy
 * machine every read and wake-up is dearer -- ticks further apart, up to
 * PT_STRETCH_MAX periods, until a shorter period would fit again (and
 * meanwhile more threads a tick, as far as the longer period pays). */
static void
pt_adapt(struct proctrace *pt, uint64_t cost, int live)
{
	double target = pt->o.max_cost * 0.8 * 1e9 / pt->o.hz;

	if (pt->ticks == 1)
		return;		/* the first look opens every file */
	pt->avg_cost = pt->ticks == 2 ? (double)cost :
	    0.95 * pt->avg_cost + 0.05 * (double)cost;
	if (pt->avg_cost > target * pt->stretch) {
		if (pt->budget > 1)
			pt->budget = (pt->budget > live ? live : pt->budget) * 0.9;
		else if (pt->stretch < PT_STRETCH_MAX)
			pt->stretch++;
	} else if (pt->stretch > 1 && pt->avg_cost < 0.7 * target * (pt->stretch - 1)) {
		pt->stretch--;
	} else if (pt->avg_cost < 0.7 * target * pt->stretch &&
	    pt->budget < PROCTRACE_MAX_THREADS) {
		pt->budget += 0.25;
	}
	if (pt->budget < 1)
		pt->budget = 1;
}

int
proctrace_poll(struct proctrace *pt, uint64_t now)
{
	/* The tick's cost starts where its wait did: at 1 kHz the wake-ups cost
	 * about as much as reading 8 threads (1.4 % of a core here). */
	uint64_t cpu0 = pt->wait_cpu != 0 ? pt->wait_cpu : clock_thread_cpu_ns(), cost;
	int live, alive = 0;

	pt->ticks++;
	if (pt->ticks == 1)
		pt->first_ns = now;
	if (pt->ticks == 1 || now - pt->last_discover >= PT_DISCOVER_NS) {
		if (pt->o.descendants && (pt->ticks == 1 ||
		    now - pt->last_descend >= PT_DESCEND_NS)) {
			proctrace_descend(pt);
			pt->last_descend = now;
		}
		pt_follow_exec(pt);
		pt_discover(pt, now, 0);
		pt->last_discover = now;
	} else {
		/* between: a thread that came (the link count moved) is listed
		 * within PT_LIST_GAP_NS, not up to 10 ms later (a thread of a few
		 * ms went unseen: walk4 #10) */
		pt_discover(pt, now, PT_LIST_GAP_NS);
	}
	live = pt_rotate(pt, now);
	for (int i = 0; i < pt->nth; i++) {
		struct pt_thread *t = &pt->th[i];

		/* named, waited long enough, computed, or its changes may no
		 * longer fit */
		if (!t->done && t->slot == -1 && t->st != TRACE_NEW &&
		    (pt_named(pt, t->tid, t->name) || now - t->seen_ns >= pt->o.name_wait_ns ||
		    t->on - t->on0 >= PT_NAME_CPU_NS || t->nhist > PT_HIST - PT_HIST_SPARE))
			pt_register(pt, t);
		alive += !t->done;
	}
	if (pt->o.gil_lane)
		proctrace_lane(pt, now);
	cost = clock_thread_cpu_ns() - cpu0;
	pt->wait_cpu = 0;
	pt->cost_ns += cost;
	pt_adapt(pt, cost, live);
	return alive;
}

void
proctrace_finish(struct proctrace *pt, uint64_t now)
{
	for (int i = 0; i < pt->nth; i++) {
		struct pt_thread *t = &pt->th[i];

		if (t->done)
			continue;
		/* A last look closes its state with its last figures (a zombie's
		 * are still there): what it did since the last one is counted. */
		if (now > t->last_ns)
			pt_sample(pt, t, now);
		if (!t->done)
			pt_end(pt, t, now);
	}
	if (pt->lane >= 0) {
		proctrace_lane(pt, now);
		trace_set_state_at(pt->tr, pt->lane, TRACE_DONE, now, 0);
	}
	/* Threads the program named, never listed: they ended too soon (or
	 * were over the limit, said apart). */
	for (int i = 0; i < pt->nnames && !pt->overflow; i++)
		if (pt_find(pt, pt->names[i].tid) == NULL)
			pt_gone_unseen(pt, pt->names[i].tid);
}

uint64_t
proctrace_wait_tick(struct proctrace *pt, uint64_t *next)
{
	uint64_t now = clock_now_ns(),
	    period = CLOCK_NS_PER_S / (uint64_t)pt->o.hz * (uint64_t)pt->stretch;
	struct timespec ts;

	*next += period;
	if (*next < now)
		*next = now;
	ts.tv_sec = (time_t)(*next / CLOCK_NS_PER_S);
	ts.tv_nsec = (long)(*next % CLOCK_NS_PER_S);
	if (pt->wait_cpu == 0)
		pt->wait_cpu = clock_thread_cpu_ns();
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	return clock_now_ns();
}
