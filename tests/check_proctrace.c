/* proctrace: /proc parsers on fixture files, the state machine on a fake
 * /proc tree written by the test, and real threads of this process. */
#include "testutil.h"
#include "fakeproc.h"

#include "clock.h"
#include "lane_hold.h"
#include "proctrace.h"
#include "util.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *
slurp(const char *name)
{
	FILE *f = fopen(tu_fixture(name), "r");
	char *buf = xcalloc(1, 4096);

	ck_assert_ptr_nonnull(f);
	ck_assert(fread(buf, 1, 4095, f) > 0);
	fclose(f);
	return buf;
}

START_TEST(parse_stat_lines)
{
	struct proctrace_stat st;
	char *b = slurp("proc/pt/stat.sleeping");

	ck_assert_int_eq(proctrace_parse_stat(b, &st), 0);
	ck_assert_str_eq(st.comm, "my (odd) name");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_int_eq(st.ppid, 4200);
	ck_assert_uint_eq(st.utime, 150);
	ck_assert_uint_eq(st.stime, 25);
	ck_assert_int_eq(st.cpu, 1);
	free(b);
	b = slurp("proc/pt/stat.running");
	ck_assert_int_eq(proctrace_parse_stat(b, &st), 0);
	ck_assert_int_eq(st.state, 'R');
	ck_assert_int_eq(st.cpu, 0);
	free(b);
	b = slurp("proc/pt/stat.zombie");	/* short: no processor field */
	ck_assert_int_eq(proctrace_parse_stat(b, &st), 0);
	ck_assert_int_eq(st.state, 'Z');
	ck_assert_int_eq(st.cpu, -1);
	free(b);
	b = slurp("proc/pt/stat.junk");
	ck_assert_int_eq(proctrace_parse_stat(b, &st), -1);
	ck_assert_int_eq(proctrace_parse_stat("", &st), -1);
	ck_assert_int_eq(proctrace_parse_stat("1 (x) ", &st), -1);
	free(b);
}
END_TEST

START_TEST(parse_syscall_lines)
{
	static const struct { const char *file; long nr; } cases[] = {
		{ "proc/pt/syscall.running", PROCTRACE_SYS_RUNNING },
		{ "proc/pt/syscall.futex", 202 },
		{ "proc/pt/syscall.poll", 7 },
		{ "proc/pt/syscall.zombie", -1 },
		{ "proc/pt/syscall.junk", -3 },
	};
	uint64_t on, wait, pc;
	char *b;

	for (size_t i = 0; i < UTIL_ARRAY_LEN(cases); i++) {
		b = slurp(cases[i].file);
		ck_assert_int_eq(proctrace_parse_syscall(b), cases[i].nr);
		free(b);
	}
	ck_assert_int_eq(proctrace_parse_syscall("-7 0x0"), -3);
	b = slurp("proc/pt/schedstat");
	ck_assert_int_eq(proctrace_parse_schedstat(b, &on, &wait, &pc), 0);
	ck_assert_uint_eq(on, 123456789);
	ck_assert_uint_eq(wait, 2000000);
	ck_assert_uint_eq(pc, 17);
	free(b);
	ck_assert_int_eq(proctrace_parse_schedstat("12", &on, &wait, &pc), -1);
}
END_TEST

START_TEST(states_from_fake_proc)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS, sw, held, par, span;

	mkthread(100, 100, "python3", 1);
	mkthread(100, 101, "python3", 1);
	pt = fake_tracer(tr, false);
	proctrace_name(pt, 101, "fib-1");
	ck_assert_int_eq(proctrace_poll(pt, t), 2);
	/* main blocks in futex (it was scheduled in: pcount moved), 101 runs. */
	set(100, 100, 1, 0, 2, "202 0x0 0x80");
	set(100, 101, 2, 0, 1, "running");
	ck_assert_int_eq(proctrace_poll(pt, t + 2 * MS), 2);
	ck_assert_str_eq(info_of(pt, 101)->name, "fib-1");
	ck_assert_str_eq(info_of(pt, 100)->name, "python3");
	/* 101 blocks in poll (an io wait) 10 ms later, main still in futex
	 * without running: its syscall file is not even read. */
	set(100, 100, 1, 0, 2, "7 0x0");
	set(100, 101, 6, 1, 1, "7 0x0");
	ck_assert_int_eq(proctrace_poll(pt, t + 12 * MS), 2);
	set(100, 101, 6, 1, 1, "running");	/* not scheduled in: ignored */
	ck_assert_int_eq(proctrace_poll(pt, t + 22 * MS), 2);
	/* 101 exits: its files are empty. */
	set(100, 101, 6, 1, 1, "");
	put("100/task/101/schedstat", "%s", "");
	ck_assert_int_eq(proctrace_poll(pt, t + 32 * MS), 1);
	/* lock from 1 ms (main ran 1 ms after the first tick) until now */
	ck_assert_uint_eq(info_of(pt, 100)->lock_ns, 31 * MS);
	ck_assert_uint_eq(info_of(pt, 101)->run_ns, 6 * MS);
	ck_assert_uint_eq(info_of(pt, 101)->ready_ns, 1 * MS);
	/* io from 7 ms (it was runnable 7 ms: 6 on a core, 1 waiting) to
	 * 27 ms (between 22 and 32: its end is not known closer) */
	ck_assert_uint_eq(info_of(pt, 101)->io_ns, 20 * MS);
	ck_assert(info_of(pt, 101)->done);
	ck_assert_int_eq(trace_task_total(tr, info_of(pt, 101)->slot, TRACE_IO,
	    t + 40 * MS), 20 * MS);
	/* One thread computing while main waits in join is no sign of a lock
	 * (a free-threaded worker's last seconds look so): no lane. */
	proctrace_lane_stats(pt, &sw, &held, &par, &span);
	ck_assert_uint_eq(par, 0);
	ck_assert_uint_eq(held, 0);
	ck_assert(!proctrace_lane_drawn(pt));
	proctrace_finish(pt, t + 40 * MS);
	ck_assert(info_of(pt, 100)->done);
	ck_assert(!proctrace_overflowed(pt));
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* The GIL lane's slot in tr, -1 for none. */
static int
lane_slot(const struct trace *tr)
{
	for (int i = 0; i < trace_ntasks(tr); i++)
		if (trace_task(tr, i)->kind == TRACE_KIND_LANE)
			return i;
	return -1;
}

/* The lane: one runnable thread while the other waits in futex holds the
 * lock; two threads each on a core for a whole window run at once (a
 * free-threaded interpreter, or Python 2's waiters fighting for its lock):
 * no one holder then, and the lane says several at once. */
START_TEST(lane_holder_and_parallel)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS, sw, held, par, span;
	unsigned long long on1 = 0, on2 = 0;
	int pc = 1, lane;

	mkthread(100, 100, "python3", 1);
	mkthread(100, 101, "python3", 1);
	mkthread(100, 102, "python3", 1);
	set(100, 100, 0, 0, 1, "202 0x0");	/* main joins: futex */
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 3);
	/* 60 ms of turns: 101 computes, 102 waits in futex, then the reverse */
	for (int ms = 1; ms <= 60; ms++) {
		bool first = (ms / 10) % 2 == 0;

		on1 += first;
		on2 += !first;
		set(100, 101, on1, 0, pc, first ? "running" : "202 0x0");
		set(100, 102, on2, 0, pc, first ? "202 0x0" : "running");
		pc++;
		proctrace_poll(pt, t + (uint64_t)ms * MS);
	}
	proctrace_lane_stats(pt, &sw, &held, &par, &span);
	ck_assert_uint_ge(sw, 3);	/* a handoff every 10 ms */
	ck_assert_uint_eq(par, 0);
	/* the lane row comes with the first window that shows turns (20 ms) */
	ck_assert(proctrace_lane_drawn(pt));
	ck_assert_uint_ge(held, (span - 25 * MS) * 8 / 10);
	/* then 100 ms of both computing at once */
	for (int ms = 61; ms <= 160; ms++) {
		set(100, 101, ++on1, 0, pc, "running");
		set(100, 102, ++on2, 0, pc, "running");
		pc++;
		proctrace_poll(pt, t + (uint64_t)ms * MS);
	}
	proctrace_lane_stats(pt, &sw, &held, &par, &span);
	ck_assert_uint_ge(par, 50 * MS);
	ck_assert_uint_le(held, span - par);
	/* the lane draws that as no one holder, several at once (it drew
	 * nothing: cpython2's lane showed one letter, then a blank lane) */
	lane = lane_slot(tr);
	ck_assert_int_ge(lane, 0);
	ck_assert_int_eq(trace_task_state(tr, lane), LANE_SEVERAL);
	ck_assert_uint_ge(trace_task_total(tr, lane, LANE_SEVERAL, t + 160 * MS), 50 * MS);
	ck_assert(!proctrace_threads_at_once(pt));	/* a lock was seen first */
	/* 160 ms, two computing in every 20 ms window: enough to tell */
	ck_assert_int_ge(proctrace_lane_windows(pt), PROCTRACE_TELL_WINDOWS);
	/* then 102 holds it, 101 waits: a handoff from 101 (the last holder,
	 * before the several at once) -- counted, as the lane draws it (walk 5
	 * F20: 'conclab trace' said 0 handoffs/s under a lane that drew 1 then
	 * 2 with a gap between) */
	{
		uint64_t before = sw;

		for (int ms = 161; ms <= 220; ms++) {
			set(100, 101, on1, 0, pc, "202 0x0");
			set(100, 102, ++on2, 0, pc, "running");
			pc++;
			proctrace_poll(pt, t + (uint64_t)ms * MS);
		}
		proctrace_lane_stats(pt, &sw, &held, &par, &span);
		ck_assert_int_eq(trace_task_state(tr, lane), TRACE_RUN);
		ck_assert_uint_eq(sw, before + 1);
	}
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* Walk7 H12: a server thread woken thousands of times a second takes the
 * GIL back for well under a tick each time; the lane sees the computing
 * thread hold it throughout, so its handoff count (1.7 a second beside
 * 3,108 requests a second) is no measure and is not given.  Turns of 10 ms
 * are. */
START_TEST(handoffs_too_short_not_counted)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS, sw, held, par, span;
	unsigned long long on1 = 0, on2 = 0;
	int pc1 = 1, pc2 = 1;

	mkthread(100, 100, "python3", 1);
	mkthread(100, 101, "python3", 1);
	mkthread(100, 102, "python3", 1);
	set(100, 100, 0, 0, 1, "202 0x0");	/* main joins: futex */
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 3);
	/* 100 ms of 10 ms turns, each thread scheduled in once a turn */
	for (int ms = 1; ms <= 100; ms++) {
		bool first = (ms / 10) % 2 == 0;

		on1 += first;
		on2 += !first;
		pc1 += ms % 10 == 0 && first;
		pc2 += ms % 10 == 0 && !first;
		set(100, 101, on1, 0, pc1, first ? "running" : "202 0x0");
		set(100, 102, on2, 0, pc2, first ? "202 0x0" : "running");
		proctrace_poll(pt, t + (uint64_t)ms * MS);
	}
	proctrace_lane_stats(pt, &sw, &held, &par, &span);
	ck_assert(proctrace_lane_drawn(pt));
	ck_assert_uint_ge(sw, 5);
	ck_assert_msg(proctrace_switches_counted(pt), "%llu handoffs, %llu wake-ups",
	    (unsigned long long)sw, (unsigned long long)proctrace_root_wakes(pt));
	/* then 101 computes at every look while 102, seen blocked in recvfrom
	 * at every look, was scheduled in 10 times each ms between them (a
	 * request served each time, the GIL taken back and given up) */
	for (int ms = 101; ms <= 400; ms++) {
		pc2 += 10;
		set(100, 101, ++on1, 0, pc1, "running");
		set(100, 102, on2, 0, pc2, "45 0x0");
		proctrace_poll(pt, t + (uint64_t)ms * MS);
	}
	proctrace_lane_stats(pt, &sw, &held, &par, &span);
	ck_assert_msg(!proctrace_switches_counted(pt), "%llu handoffs, %llu wake-ups",
	    (unsigned long long)sw, (unsigned long long)proctrace_root_wakes(pt));
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

static int
lanes_in(const struct trace *tr)
{
	int n = 0;

	for (int i = 0; i < trace_ntasks(tr); i++)
		n += trace_task(tr, i)->kind == TRACE_KIND_LANE;
	return n;
}

/* Free-threaded: main computes, then waits while a thread starts; three
 * threads compute at once on two cores (each gets 2/3 of a core, waiting
 * for one the rest), main joins in futex; then the last worker runs alone
 * beside main.  No lane, ever: the threads ran at once
 * before any sign of a lock. */
START_TEST(lane_never_when_threads_at_once)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS, sw, held, par, span;
	unsigned long long on[3] = { 0 }, wait[3] = { 0 };
	int pc = 1, pcs[3] = { 1, 1, 1 };	/* each thread's times scheduled in */

	mkthread(100, 100, "python3.13t", 1);
	for (int k = 0; k < 3; k++)
		mkthread(100, 101 + k, "python3.13t", 1);
	set(100, 100, 0, 0, 1, "running");
	for (int k = 0; k < 3; k++)
		set(100, 101 + k, 0, 0, 1, "7 0x0");
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 4);
	/* main computes 30 ms, then waits in futex while the first thread
	 * starts (10 ms, a busy machine): one thread waiting once, no lock */
	for (int ms = 1; ms <= 40; ms++) {
		set(100, 100, ms <= 30 ? (unsigned long long)ms : 30, 0, pc,
		    ms <= 30 ? "running" : "202 0x0");
		if (ms > 30)
			set(100, 101, ++on[0], 0, ++pcs[0], "running");
		pc++;
		proctrace_poll(pt, t + (uint64_t)ms * MS);
	}
	t += 40 * MS;
	for (int ms = 1; ms <= 300; ms++) {
		for (int k = 0; k < 3; k++) {
			bool alone = ms > 200, mine = alone ? k == 0 : (ms + k) % 3 != 0;

			if (alone && k > 0)
				continue;
			on[k] += mine;
			wait[k] += !mine;
			pcs[k] += mine;	/* in at most once a ms: 1,000 a second */
			set(100, 101 + k, on[k], wait[k], pcs[k], "running");
		}
		if (ms == 201) {	/* two of them exit */
			put("100/task/102/schedstat", "%s", "");
			put("100/task/103/schedstat", "%s", "");
		}
		pc++;
		proctrace_poll(pt, t + (uint64_t)ms * MS);
	}
	ck_assert(proctrace_threads_at_once(pt));
	ck_assert(!proctrace_lane_drawn(pt));
	ck_assert_int_eq(lanes_in(tr), 0);
	proctrace_lane_stats(pt, &sw, &held, &par, &span);
	ck_assert_uint_eq(held, 0);
	ck_assert_uint_eq(sw, 0);
	ck_assert_uint_ge(par, 150 * MS);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* A recording of real /proc files (tests/fixtures/proc/ft/NAME.txt): "pid
 * PID", what the script said ("said thread TID NAME"), then per tick "tick
 * MS" and each thread's "TID schedstat|syscall|stat LINE" as read then. */
struct replay {
	struct trace *tr;
	struct proctrace *pt;
	uint64_t t0, last;
	int ticks;
	double wall_s, run_s;	/* the recording's span, its threads' on-CPU */
	int ntn, tids[16];	/* the names the script said */
	char names[16][64];
};

static void
replay_file(const char *rel, const char *line)
{
	char path[256], *slash;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	put(rel, "%s\n", line);
}

/* Python 2.7's GIL on two cores: three threads computing, each at about
 * half a core, none seen in futex at a tick -- but each scheduled in
 * 15,000 times a second: its waits (a lost fight for the lock, woken again
 * at the holder's next release) are too short for a tick to see.  That is
 * a lock, not threads at once: a lane is drawn, several at once, and the
 * process is not called lock-free (it was, with no lane: `conclab trace --
 * python2.7 gil.py` said "no lock between them ... free-threaded, or C"). */
START_TEST(lane_when_threads_fight)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;
	unsigned long long on[3] = { 0 };
	int pcs[3] = { 1, 1, 1 }, lane;

	mkthread(100, 100, "python2.7", 1);
	for (int k = 0; k < 3; k++)
		mkthread(100, 101 + k, "python2.7", 1);
	set(100, 100, 0, 0, 1, "202 0x0");	/* main joins */
	pt = fake_tracer(tr, false);
	ck_assert_int_eq(proctrace_poll(pt, t), 4);
	for (int ms = 1; ms <= 200; ms++) {
		for (int k = 0; k < 3; k++) {
			on[k] += (ms + k) % 2;	/* half a core each: 1.5 between them */
			pcs[k] += 15;
			set(100, 101 + k, on[k], 0, pcs[k], "running");
		}
		proctrace_poll(pt, t + (uint64_t)ms * MS);
	}
	ck_assert(!proctrace_threads_at_once(pt));
	ck_assert(proctrace_lane_drawn(pt));
	lane = lane_slot(tr);
	ck_assert_int_ge(lane, 0);
	ck_assert_int_eq(trace_task_state(tr, lane), LANE_SEVERAL);
	ck_assert_uint_ge(trace_task_total(tr, lane, LANE_SEVERAL, t + 200 * MS), 100 * MS);
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

/* Make the tree of the tick just read: threads gone since read as exited. */
static void
replay_tick(struct replay *r, pid_t pid, int *seen, int nseen, int *now_seen, int nnow,
    double ms)
{
	char rel[128];

	for (int i = 0; i < nseen; i++) {
		bool here = false;

		for (int k = 0; k < nnow; k++)
			here |= now_seen[k] == seen[i];
		snprintf(rel, sizeof rel, "%d/task/%d/schedstat", (int)pid, seen[i]);
		if (!here)
			put(rel, "%s", "");
	}
	r->last = r->t0 + (uint64_t)(ms * 1e6);
	if (r->pt == NULL) {
		struct proctrace_opts o = { .run = 0, .hz = 1000, .max_cost = 1000,
			.descendants = false, .gil_lane = true, .proc_root = root,
			.name_wait_ns = CLOCK_NS_PER_S };
		char err[256];

		r->pt = proctrace_create(r->tr, pid, &o, err, sizeof err);
		ck_assert_msg(r->pt != NULL, "%s", err);
		for (int k = 0; k < r->ntn; k++)
			proctrace_name(r->pt, r->tids[k], r->names[k]);
	}
	proctrace_poll(r->pt, r->last);
	r->ticks++;
}

static void
replay(struct replay *r, const char *name)
{
	FILE *f = fopen(tu_fixture(name), "r");
	char line[1024], rel[128], what[16];
	int pid = 0, tid, used, seen[64], nseen = 0, now_seen[64], nnow = 0;
	double ms = -1;
	char err[128];

	ck_assert_msg(f != NULL, "%s", tu_fixture(name));
	memset(r, 0, sizeof *r);
	r->tr = trace_create(err, sizeof err);
	r->t0 = 1000 * MS;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "pid %d", &pid) == 1)
			continue;
		if (r->ntn < 16 && sscanf(line, "said thread %d %63s", &tid,
		    r->names[r->ntn]) == 2) {
			r->tids[r->ntn++] = tid;
			continue;
		}
		if (strncmp(line, "tick ", 5) == 0) {
			if (ms >= 0)
				replay_tick(r, pid, seen, nseen, now_seen, nnow, ms);
			memcpy(seen, now_seen, sizeof seen);
			nseen = nnow;
			nnow = 0;
			ms = atof(line + 5);
			continue;
		}
		if (sscanf(line, "%d %15s %n", &tid, what, &used) != 2 || pid == 0)
			continue;
		if (strcmp(what, "schedstat") == 0 && nnow < 64)
			now_seen[nnow++] = tid;
		snprintf(rel, sizeof rel, "%d/task/%d/%s", pid, tid, what);
		replay_file(rel, line + used);
		if (tid == pid && strcmp(what, "stat") == 0) {
			snprintf(rel, sizeof rel, "%d/stat", pid);
			replay_file(rel, line + used);
		}
	}
	fclose(f);
	ck_assert(ms >= 0);
	replay_tick(r, pid, seen, nseen, now_seen, nnow, ms);
	r->wall_s = ms / 1e3;
	for (int i = 0; i < proctrace_nthreads(r->pt); i++) {
		struct proctrace_info in;

		proctrace_info(r->pt, i, &in);
		r->run_s += (double)in.run_ns / 1e9;
	}
}

static void
replay_free(struct replay *r)
{
	proctrace_destroy(r->pt);
	trace_destroy(r->tr);
}

/* Real CPython 3.13t (built with --disable-gil), three fib threads on two
 * cores: they ran at once -- over 1.3 cores busy, none in futex -- so no
 * GIL lane is drawn, from what /proc said alone (no word from the script). */
START_TEST(recorded_free_threaded_has_no_lane)
{
	struct replay r;
	uint64_t sw, held, par, span;

	replay(&r, "proc/ft/python3.13t-gil.txt");
	ck_assert_int_ge(proctrace_nthreads(r.pt), 4);	/* main and three workers */
	ck_assert_msg(r.run_s / r.wall_s >= 1.3, "cores busy %.2f", r.run_s / r.wall_s);
	ck_assert(proctrace_threads_at_once(r.pt));
	ck_assert(!proctrace_lane_drawn(r.pt));
	ck_assert_int_eq(lanes_in(r.tr), 0);
	proctrace_lane_stats(r.pt, &sw, &held, &par, &span);
	ck_assert_uint_eq(held, 0);
	ck_assert_uint_ge(par, span / 2);
	replay_free(&r);
	/* The same under other programs' load, under one core busy between
	 * them: not at once on the cores, but none waited in futex either --
	 * no sign of a lock, no lane. */
	replay(&r, "proc/ft/python3.13t-gil-loaded.txt");
	ck_assert_msg(r.run_s / r.wall_s < 1.3, "cores busy %.2f", r.run_s / r.wall_s);
	ck_assert(!proctrace_lane_drawn(r.pt));
	ck_assert_int_eq(lanes_in(r.tr), 0);
	proctrace_lane_stats(r.pt, &sw, &held, &par, &span);
	ck_assert_uint_eq(held, 0);
	replay_free(&r);
}
END_TEST

/* Real CPython 3.11, the same script: about one core, the waiters in
 * futex: a lane with its holders. */
START_TEST(recorded_gil_has_a_lane)
{
	struct replay r;
	uint64_t sw, held, par, span;

	replay(&r, "proc/ft/python3.11-gil.txt");
	ck_assert_msg(r.run_s / r.wall_s <= 1.2, "cores busy %.2f", r.run_s / r.wall_s);
	ck_assert(!proctrace_threads_at_once(r.pt));
	ck_assert(proctrace_lane_drawn(r.pt));
	ck_assert_int_eq(lanes_in(r.tr), 1);
	proctrace_lane_stats(r.pt, &sw, &held, &par, &span);
	ck_assert_uint_ge(held, span / 2);
	ck_assert_uint_ge(sw, 5);
	replay_free(&r);
}
END_TEST

/* Real Python 2.7, the same script: 1.67 cores between its threads, never
 * seen waiting in futex for long, but each scheduled in 10,000-19,000 times
 * a second: fights for its GIL.  A lane, from what /proc said alone (no
 * word from the script), mostly several at once. */
START_TEST(recorded_python2_fights)
{
	struct replay r;
	uint64_t sw, held, par, span;
	int lane;

	replay(&r, "proc/ft/python2.7-gil.txt");
	ck_assert_msg(r.run_s / r.wall_s >= 1.3, "cores busy %.2f", r.run_s / r.wall_s);
	ck_assert(!proctrace_threads_at_once(r.pt));
	ck_assert(proctrace_lane_drawn(r.pt));
	lane = lane_slot(r.tr);
	ck_assert_int_ge(lane, 0);
	proctrace_lane_stats(r.pt, &sw, &held, &par, &span);
	ck_assert_uint_ge(par, span / 2);
	ck_assert_uint_ge(trace_task_total(r.tr, lane, LANE_SEVERAL, r.last), span / 4);
	replay_free(&r);
}
END_TEST

START_TEST(children_and_zombies)
{
	char err[128];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t = 1000 * MS;

	mkthread(100, 100, "sh", 1);
	pt = fake_tracer(tr, true);
	ck_assert_int_eq(proctrace_poll(pt, t), 1);
	mkthread(200, 200, "worker", 100);	/* a child, found by the /proc scan */
	mkthread(300, 300, "stranger", 1);	/* not ours */
	ck_assert_int_eq(proctrace_poll(pt, t + 300 * MS), 2);
	ck_assert_str_eq(info_of(pt, 200)->name, "worker");
	/* the child exits and stays a zombie until reaped */
	set(200, 200, 5, 0, 2, "-1 0x0 0x0");
	put("200/task/200/stat", "%s", "200 (worker) Z 100 1 1 0 -1 0 0 0 0 0 1 0\n");
	ck_assert_int_eq(proctrace_poll(pt, t + 302 * MS), 1);
	ck_assert(info_of(pt, 200)->done);
	ck_assert_uint_eq(info_of(pt, 200)->run_ns, 5 * MS);
	for (int i = 0; i < proctrace_nthreads(pt); i++) {
		struct proctrace_info in;

		proctrace_info(pt, i, &in);
		ck_assert_int_ne(in.pid, 300);
	}
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

START_TEST(missing_process)
{
	char err[256];
	struct proctrace_opts o = { .hz = 1000, .proc_root = root };
	struct trace *tr = trace_create(err, sizeof err);

	ck_assert_ptr_null(proctrace_create(tr, 999, &o, err, sizeof err));
	ck_assert_msg(strstr(err, "999") != NULL, "%s", err);
	proctrace_destroy(NULL);
	trace_destroy(tr);
}
END_TEST

/* Real threads: one blocked on a mutex (futex), one reading a pipe. */
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int tids[2];

static void *
locker(void *arg)
{
	(void)arg;
	at_store_relaxed(&tids[0], (int)syscall(SYS_gettid));
	pthread_mutex_lock(&held);
	pthread_mutex_unlock(&held);
	return NULL;
}

static void *
reader(void *arg)
{
	char c;

	at_store_relaxed(&tids[1], (int)syscall(SYS_gettid));
	ck_assert_int_eq(read(*(int *)arg, &c, 1), 1);
	return NULL;
}

START_TEST(real_threads)
{
	char err[256];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace_opts o = { .hz = 1000, .max_cost = 1 };
	struct proctrace *pt;
	pthread_t a, b;
	int p[2];
	uint64_t next = clock_now_ns(), now = next;

	ck_assert_int_eq(pipe(p), 0);
	pthread_mutex_lock(&held);
	pthread_create(&a, NULL, locker, NULL);
	pthread_create(&b, NULL, reader, &p[0]);
	while (at_load_relaxed(&tids[0]) == 0 || at_load_relaxed(&tids[1]) == 0)
		clock_sleep_ns(MS);
	pt = proctrace_create(tr, getpid(), &o, err, sizeof err);
	ck_assert_ptr_nonnull(pt);
	for (int i = 0; i < 200; i++)
		now = proctrace_wait_tick(pt, &next), proctrace_poll(pt, now);
	pthread_mutex_unlock(&held);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	for (int i = 0; i < 20; i++)
		now = proctrace_wait_tick(pt, &next), proctrace_poll(pt, now);
	/* Over ~200 ms: the locker mostly in lock, the reader in io, both done. */
	ck_assert_uint_gt(info_of(pt, tids[0])->lock_ns, 100 * MS);
	ck_assert_uint_lt(info_of(pt, tids[0])->io_ns, 20 * MS);
	ck_assert_uint_gt(info_of(pt, tids[1])->io_ns, 100 * MS);
	ck_assert_uint_lt(info_of(pt, tids[1])->lock_ns, 20 * MS);
	ck_assert(info_of(pt, tids[0])->done);
	ck_assert(info_of(pt, tids[1])->done);
	proctrace_finish(pt, clock_now_ns());
	proctrace_destroy(pt);
	trace_destroy(tr);
}
END_TEST

static Suite *
proctrace_suite(void)
{
	Suite *s = suite_create("proctrace");
	TCase *tc = tcase_create("parse");
	TCase *fake = tcase_create("fake");
	TCase *live = tcase_create("live");

	tcase_add_test(tc, parse_stat_lines);
	tcase_add_test(tc, parse_syscall_lines);
	suite_add_tcase(s, tc);
	/* A fake /proc is thousands of small files written and read: beside
	 * two busy loops lane_never_when_threads_at_once took 3.8 s, against
	 * Check's default timeout of 4 s. */
	tcase_set_timeout(fake, 60);
	tcase_add_checked_fixture(fake, setup_root, teardown_root);
	tcase_add_test(fake, states_from_fake_proc);
	tcase_add_test(fake, children_and_zombies);
	tcase_add_test(fake, lane_holder_and_parallel);
	tcase_add_test(fake, handoffs_too_short_not_counted);
	tcase_add_test(fake, lane_never_when_threads_at_once);
	tcase_add_test(fake, lane_when_threads_fight);
	tcase_add_test(fake, recorded_free_threaded_has_no_lane);
	tcase_add_test(fake, recorded_gil_has_a_lane);
	tcase_add_test(fake, recorded_python2_fights);
	tcase_add_test(fake, missing_process);
	suite_add_tcase(s, fake);
	tcase_set_timeout(live, 20);
	tcase_add_test(live, real_threads);
	suite_add_tcase(s, live);
	return s;
}

TU_MAIN(proctrace_suite)
