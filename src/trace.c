/*
 * trace: the shared-memory event recorder, its writers and the decoding of
 * its event words (the one place that reads them).  See trace.h for the
 * layout and the memory-ordering rules (one writer per slot, count published
 * with release); readers that need no decoding are in trace_read.c, the
 * timeline's cells in trace_buckets.c.
 */
#include "trace.h"
#include "trace_int.h"

#include "clock.h"
#include "util.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(sizeof(struct trace_event) == 16, "trace events are 16 bytes");
_Static_assert(TRACE_NSTATES < 256, "a state fits in 8 bits");

#define EV_STATE(w) ((uint8_t)((w) & 0xff))
#define EV_CPU(w) ((int)(((w) >> 8) & 0xffff) - 1)
#define EV_ARG(w) ((uint32_t)((w) >> 32))

static const char *const state_names[TRACE_NSTATES] = {
	[TRACE_NEW] = "new", [TRACE_RUN] = "run", [TRACE_READY] = "ready",
	[TRACE_LOCK] = "lock", [TRACE_IO] = "io", [TRACE_DONE] = "done",
	[TRACE_FAILED] = "failed",
};

const char *
trace_state_name(enum trace_state st)
{
	return (unsigned)st < TRACE_NSTATES ? state_names[st] : "?";
}

struct trace *
trace_create(char *err, size_t errlen)
{
	size_t size = sizeof(struct trace);
	struct trace *tr;

	tr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (tr == MAP_FAILED) {
		util_err(err, errlen, "cannot map %zu MB of trace memory", size >> 20);
		return NULL;
	}
	tr->map_size = size;
	tr->t0 = clock_now_ns();
	return tr;
}

void
trace_destroy(struct trace *tr)
{
	if (tr != NULL)
		munmap(tr, tr->map_size);
}

void
trace_reset(struct trace *tr)
{
	int n = trace_ntasks(tr);

	/* Only the slots in use were touched; clearing just them keeps the
	 * rest of the mapping untouched (and unallocated). */
	for (int i = 0; i < n && i < TRACE_MAX_TASKS; i++)
		memset(&tr->tasks[i], 0, sizeof tr->tasks[i]);
	memset(tr->marks, 0, sizeof tr->marks);
	at_store_relaxed(&tr->nmarks, 0);
	at_store_release(&tr->ntasks, 0);
	at_store_relaxed(&tr->stop, 0);
	at_store_relaxed(&tr->paused, 0);
	at_store_relaxed(&tr->step, 0);
	at_store_release(&tr->npauses, 0);
}

void
trace_stop(struct trace *tr)
{
	struct trace *other = at_load_acquire(&tr->also_stop);

	at_store_relaxed(&tr->stop, 1);
	trace_wake_paused(tr);	/* workers parked by a pause see the stop */
	if (other != NULL && other != tr)
		trace_stop(other);
}

void
trace_link_stop(struct trace *tr, struct trace *other)
{
	at_store_release(&tr->also_stop, other);
	if (other != NULL && at_load_relaxed(&tr->stop))
		trace_stop(other);
}

bool
trace_stopping(const struct trace *tr)
{
	return at_load_relaxed(&tr->stop) != 0;
}

int
trace_task_add(struct trace *tr, int run, const char *name, enum trace_kind kind)
{
	uint32_t slot = at_add_acqrel(&tr->ntasks, 1);
	struct trace_task *t;

	if (slot >= TRACE_MAX_TASKS) {
		at_store_relaxed(&tr->ntasks, TRACE_MAX_TASKS);
		return -1;
	}
	t = &tr->tasks[slot];
	t->kind = kind;
	t->run = run;
	util_strlcpy(t->name, name, sizeof t->name);
	at_store_relaxed(&t->cpu, -1);
	at_store_relaxed(&t->state, TRACE_NEW);
	at_store_release(&t->used, 1);
	return (int)slot;
}

void
trace_task_rename(struct trace *tr, int slot, const char *name)
{
	if (slot >= 0 && slot < trace_ntasks(tr))
		util_strlcpy(tr->tasks[slot].name, name, sizeof tr->tasks[slot].name);
}

int
trace_ntasks(const struct trace *tr)
{
	uint32_t n = at_load_acquire(&tr->ntasks);

	return n > TRACE_MAX_TASKS ? TRACE_MAX_TASKS : (int)n;
}

const struct trace_task *
trace_task(const struct trace *tr, int slot)
{
	const struct trace_task *t;

	if (slot < 0 || slot >= TRACE_MAX_TASKS)
		return NULL;
	t = &tr->tasks[slot];
	return at_load_acquire(&t->used) ? t : NULL;
}

bool
trace_task_is(const struct trace *tr, int slot, enum trace_kind kind)
{
	const struct trace_task *t = trace_task(tr, slot);

	return t != NULL && t->kind == (uint32_t)kind;
}

static void
trace_push(struct trace_task *t, uint64_t ts, enum trace_state st, int cpu, uint32_t arg)
{
	uint64_t i = at_load_relaxed(&t->nev);
	struct trace_event *e = &t->ev[i % TRACE_RING];
	uint64_t word = (uint64_t)st | ((uint64_t)(uint16_t)(cpu + 1) << 8) |
	    ((uint64_t)arg << 32);

	if (i >= TRACE_RING) {
		/* e holds event i - TRACE_RING, which ends where the next
		 * (still in the ring) begins: fold it before it goes. */
		uint64_t w = at_load_relaxed(&e->word);

		trace_fold_add(&t->fold, at_load_relaxed(&e->ts),
		    at_load_relaxed(&t->ev[(i + 1) % TRACE_RING].ts), EV_STATE(w),
		    t->kind == TRACE_KIND_LANE ? (int32_t)EV_ARG(w) : EV_CPU(w),
		    i - TRACE_RING + 1);
	}
	at_store_relaxed(&e->ts, ts);
	at_store_relaxed(&e->word, word);
	at_store_release(&t->nev, i + 1);
}

static void
trace_cpu_bit(struct trace_task *t, int cpu)
{
	if (cpu >= 0 && cpu < TRACE_CPU_WORDS * 64)
		at_or_relaxed(&t->cpumask[cpu / 64], 1ULL << (cpu % 64));
}

uint64_t
trace_active(const struct trace *tr, uint64_t a, uint64_t e)
{
	uint64_t dt = e > a ? e - a : 0, p;

	if (dt == 0 || trace_npauses(tr) == 0)
		return dt;
	p = trace_paused_before(tr, e) - trace_paused_before(tr, a);
	return dt > p ? dt - p : 0;
}

/* Close the open interval at ts and account it to its state, less the
 * presenter's pauses in it: a thread parked by a pause is neither running
 * nor waiting for the lab (a GIL waiter stays in LOCK, the parked holder in
 * RUN, off every core), so no state is charged for the pause. */
static void
trace_close(const struct trace *tr, struct trace_task *t, uint64_t ts)
{
	enum trace_state old = at_load_relaxed(&t->state);
	uint64_t since = at_load_relaxed(&t->since_ns);
	uint64_t dt = trace_active(tr, since, ts);

	if (old == TRACE_RUN || old == TRACE_READY) {
		uint64_t sl = at_load_relaxed(&t->short_lock_ns);

		dt = dt > sl ? dt - sl : 0;
		at_store_relaxed(&t->short_lock_ns, 0);
	}
	if (old != TRACE_NEW && old < TRACE_NSTATES) {
		at_add_relaxed(&t->total_ns[old], dt);
		at_max_relaxed(&t->max_ns[old], dt);
	}
}

static bool trace_read_schedstat(uint64_t *oncpu, uint64_t *wait);

void
trace_task_begin(struct trace *tr, int slot, bool schedstat)
{
	struct trace_task *t = &tr->tasks[slot];
	uint64_t now = clock_now_ns();
	int cpu = sched_getcpu();

	t->sched_base = schedstat &&
	    trace_read_schedstat(&t->sched_base_on, &t->sched_base_wait);

	t->cpu_base = clock_thread_cpu_ns();
	at_store_relaxed(&t->pid, (int32_t)getpid());
	at_store_relaxed(&t->tid, (int32_t)syscall(SYS_gettid));
	at_store_relaxed(&t->start_ns, now);
	at_store_relaxed(&t->since_ns, now);
	at_store_relaxed(&t->cpu, cpu);
	trace_cpu_bit(t, cpu);
	at_store_relaxed(&t->state, TRACE_RUN);
	trace_push(t, now, TRACE_RUN, cpu, 0);
}

/* Close the current interval at ts and open one in st (no event). */
static void
trace_enter(const struct trace *tr, struct trace_task *t, enum trace_state st, uint64_t ts)
{
	trace_close(tr, t, ts);
	at_store_relaxed(&t->since_ns, ts);
	at_store_relaxed(&t->state, st);
}

/* Entering TRACE_RUN: note the CPU the caller runs on. */
static void
trace_note_run_cpu(struct trace_task *t, enum trace_state st)
{
	int cpu;

	if (st != TRACE_RUN)
		return;
	cpu = sched_getcpu();
	at_store_relaxed(&t->cpu, cpu);
	trace_cpu_bit(t, cpu);
}

void
trace_set_state_at(struct trace *tr, int slot, enum trace_state st, uint64_t ts,
    uint32_t arg)
{
	struct trace_task *t = &tr->tasks[slot];

	trace_enter(tr, t, st, ts);
	trace_push(t, ts, st, at_load_relaxed(&t->cpu), arg);
}

void
trace_set_state(struct trace *tr, int slot, enum trace_state st)
{
	trace_note_run_cpu(&tr->tasks[slot], st);
	trace_set_state_at(tr, slot, st, clock_now_ns(), 0);
}

void
trace_set_state_sampled(struct trace *tr, int slot, enum trace_state st,
    uint64_t min_gap_ns)
{
	struct trace_task *t = &tr->tasks[slot];
	uint64_t ts = clock_now_ns();
	uint64_t since = at_load_relaxed(&t->since_ns);
	enum trace_state old = at_load_relaxed(&t->state);
	int old_cpu = at_load_relaxed(&t->cpu);

	trace_note_run_cpu(t, st);
	trace_enter(tr, t, st, ts);
	if (ts - t->last_push_ns < min_gap_ns)
		return;
	/* A sampling instant (min_gap_ns after the last event) fell in the
	 * interval that just ended: record that interval from its start.  A
	 * state is then drawn in proportion to the time spent in it, and an
	 * interval of min_gap_ns or more always has its exact start. */
	trace_push(t, since, old, old_cpu, 0);
	t->last_push_ns = ts;
}

void
trace_lock_waited(struct trace *tr, int slot, uint64_t t_start, uint64_t t_end)
{
	struct trace_task *t = &tr->tasks[slot];
	uint64_t dt = trace_active(tr, t_start, t_end);
	enum trace_state back = at_load_relaxed(&t->state);

	at_add_relaxed(&t->lock_count, 1);
	if (dt < TRACE_LOCK_EVENT_NS) {
		at_add_relaxed(&t->short_lock_ns, dt);
		at_add_relaxed(&t->total_ns[TRACE_LOCK], dt);
		at_max_relaxed(&t->max_ns[TRACE_LOCK], dt);
		return;
	}
	trace_set_state_at(tr, slot, TRACE_LOCK, t_start, 0);
	trace_set_state_at(tr, slot, back, t_end, 0);
}

void
trace_note_cpu(struct trace *tr, int slot)
{
	struct trace_task *t = &tr->tasks[slot];
	int cpu = sched_getcpu();

	if (cpu == at_load_relaxed(&t->cpu))
		return;
	at_store_relaxed(&t->cpu, cpu);
	trace_cpu_bit(t, cpu);
	/* A migration is a new interval of the same state on another CPU. */
	trace_set_state_at(tr, slot, at_load_relaxed(&t->state), clock_now_ns(), 0);
}

void
trace_progress(struct trace *tr, int slot, uint64_t units)
{
	at_add_relaxed(&tr->tasks[slot].progress, units);
}

void
trace_set_meter(struct trace *tr, int slot, enum trace_meter m)
{
	at_store_relaxed(&tr->tasks[slot].meter, (uint32_t)m);
}

void
trace_request(struct trace *tr, int slot, uint64_t latency_ns)
{
	at_store_relaxed(&tr->tasks[slot].value, latency_ns);
	at_add_relaxed(&tr->tasks[slot].progress, 1);
}

static bool
trace_read_schedstat(uint64_t *oncpu, uint64_t *wait)
{
	unsigned long long a, b;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	int n;

	if (f == NULL)
		return false;
	n = fscanf(f, "%llu %llu", &a, &b);
	fclose(f);
	if (n != 2)
		return false;
	*oncpu = a;
	*wait = b;
	return true;
}

/* Close the task's life at now: end time and the DONE event. */
static void
trace_finish(struct trace *tr, int slot)
{
	uint64_t now = clock_now_ns();

	at_store_relaxed(&tr->tasks[slot].end_ns, now);
	trace_set_state_at(tr, slot, TRACE_DONE, now, 0);
}

void
trace_task_end(struct trace *tr, int slot)
{
	struct trace_task *t = &tr->tasks[slot];
	uint64_t oncpu, wait;

	at_store_relaxed(&t->cpu_ns, clock_thread_cpu_ns() - t->cpu_base);
	if (t->sched_base && trace_read_schedstat(&oncpu, &wait) &&
	    oncpu >= t->sched_base_on && wait >= t->sched_base_wait) {
		at_store_relaxed(&t->oncpu_ns, oncpu - t->sched_base_on);
		at_store_relaxed(&t->wait_ns, wait - t->sched_base_wait);
		at_store_relaxed(&t->sched_known, 1);
	}
	trace_finish(tr, slot);
}

void
trace_task_end_totals(struct trace *tr, int slot, const struct trace_cpu_totals *c)
{
	struct trace_task *t = &tr->tasks[slot];

	at_store_relaxed(&t->cpu_ns, c->cpu_ns);
	at_store_relaxed(&t->oncpu_ns, c->sched_known ? c->oncpu_ns : 0);
	at_store_relaxed(&t->wait_ns, c->sched_known ? c->wait_ns : 0);
	at_store_relaxed(&t->sched_known, c->sched_known ? 1 : 0);
	trace_finish(tr, slot);
}

void
trace_task_fail(struct trace *tr, int slot, int sig)
{
	struct trace_task *t = &tr->tasks[slot];
	uint64_t now = clock_now_ns();

	at_store_relaxed(&t->signal, sig);
	if (at_load_relaxed(&t->start_ns) == 0) {
		at_store_relaxed(&t->start_ns, now);
		at_store_relaxed(&t->since_ns, now);
	}
	at_store_relaxed(&t->end_ns, now);
	trace_set_state_at(tr, slot, TRACE_FAILED, now, (uint32_t)sig);
}

void
trace_task_set_ids(struct trace *tr, int slot, pid_t pid, pid_t tid)
{
	at_store_relaxed(&tr->tasks[slot].pid, pid);
	at_store_relaxed(&tr->tasks[slot].tid, tid);
}

void
trace_task_begin_at(struct trace *tr, int slot, pid_t pid, pid_t tid, uint64_t ts,
    enum trace_state st, int cpu)
{
	struct trace_task *t = &tr->tasks[slot];

	at_store_relaxed(&t->pid, (int32_t)pid);
	at_store_relaxed(&t->tid, (int32_t)tid);
	at_store_relaxed(&t->start_ns, ts);
	at_store_relaxed(&t->since_ns, ts);
	at_store_relaxed(&t->cpu, cpu);
	trace_cpu_bit(t, cpu);
	at_store_relaxed(&t->state, st);
	trace_push(t, ts, st, cpu, 0);
}

void
trace_set_state_cpu_at(struct trace *tr, int slot, enum trace_state st, uint64_t ts,
    int cpu)
{
	struct trace_task *t = &tr->tasks[slot];

	at_store_relaxed(&t->cpu, cpu);
	trace_cpu_bit(t, cpu);
	trace_enter(tr, t, st, ts);
	trace_push(t, ts, st, cpu, 0);
}

void
trace_task_end_at(struct trace *tr, int slot, uint64_t ts, uint64_t oncpu_ns,
    uint64_t wait_ns)
{
	struct trace_task *t = &tr->tasks[slot];

	at_store_relaxed(&t->cpu_ns, oncpu_ns);
	at_store_relaxed(&t->oncpu_ns, oncpu_ns);
	at_store_relaxed(&t->wait_ns, wait_ns);
	at_store_relaxed(&t->sched_known, 1);
	at_store_relaxed(&t->end_ns, ts);
	trace_set_state_at(tr, slot, TRACE_DONE, ts, 0);
}

void
trace_sched_add(struct trace *tr, int slot, uint64_t ts, uint64_t oncpu_ns,
    uint64_t wait_ns)
{
	struct trace_task *t = &tr->tasks[slot];
	uint64_t i = at_load_relaxed(&t->nsched);
	struct trace_sched *s = &t->sched[i % TRACE_SCHED_RING];

	at_store_relaxed(&s->ts, ts);
	at_store_relaxed(&s->oncpu_ns, oncpu_ns);
	at_store_relaxed(&s->wait_ns, wait_ns);
	at_store_release(&t->nsched, i + 1);
}

uint64_t
trace_task_events(const struct trace *tr, int slot, enum trace_state *state)
{
	const struct trace_task *t = &tr->tasks[slot];
	uint64_t n = at_load_acquire(&t->nev);

	if (state != NULL)
		*state = n > 0 ? (enum trace_state)EV_STATE(at_load_relaxed(
		    &t->ev[(n - 1) % TRACE_RING].word)) : TRACE_NEW;
	return n;
}

/* Decode ring events [from, n1) of the copies (ts, word from `first`) into iv. */
static int
decode_intervals(const uint64_t *ts, const uint64_t *word, uint64_t first, uint64_t from,
    uint64_t n1, uint64_t now, struct trace_interval *iv)
{
	int count = 0;

	for (uint64_t i = from; i < n1; i++) {
		uint64_t w = word[i - first];
		struct trace_interval *v = &iv[count++];

		v->start = ts[i - first];
		v->state = EV_STATE(w);
		v->cpu = (int16_t)EV_CPU(w);
		v->arg = EV_ARG(w);
		if (i + 1 < n1)
			v->end = ts[i + 1 - first];
		else if (v->state == TRACE_DONE || v->state == TRACE_FAILED)
			v->end = v->start;
		else
			v->end = now > v->start ? now : v->start;
	}
	return count;
}

/* Copy the ring's events into ts and word (from *first = its oldest kept)
 * and return the events published; *valid: the oldest not overwritten while
 * they were copied. */
static uint64_t
copy_ring(const struct trace_task *t, uint64_t **ts, uint64_t **word, uint64_t *first,
    uint64_t *valid)
{
	uint64_t n1 = at_load_acquire(&t->nev), n2;

	*first = n1 > TRACE_RING ? n1 - TRACE_RING : 0;
	*ts = xcalloc(n1 - *first + 1, sizeof **ts);
	*word = xcalloc(n1 - *first + 1, sizeof **word);
	/* Acquire loads (plain loads on x86) keep the count's second reading
	 * after the copy, as a fence would; ThreadSanitizer follows them. */
	for (uint64_t i = *first; i < n1; i++) {
		(*ts)[i - *first] = at_load_acquire(&t->ev[i % TRACE_RING].ts);
		(*word)[i - *first] = at_load_acquire(&t->ev[i % TRACE_RING].word);
	}
	n2 = at_load_relaxed(&t->nev);
	*valid = n2 > TRACE_RING ? n2 - TRACE_RING : 0;
	if (*valid < *first)
		*valid = *first;
	return n1;
}

int
trace_task_history(const struct trace *tr, int slot, uint64_t now,
    struct trace_interval **out, struct trace_folded *fold)
{
	const struct trace_task *t = &tr->tasks[slot];
	uint64_t *ts, *word, first, valid, n1, from;
	int count;

	/* The fold first, then the ring: the events the fold lacks are those
	 * from its nfolded on, unless the writer overwrote some of them before
	 * the ring was copied -- then again (the writer outran the copy). */
	for (int tries = 0;; tries++) {
		uint64_t k = 0;

		if (fold != NULL && trace_fold_copy(&t->fold, fold))
			k = fold->nfolded;
		n1 = copy_ring(t, &ts, &word, &first, &valid);
		from = valid > k ? valid : k;
		if (fold == NULL || valid <= k || tries >= 20)
			break;
		free(ts);
		free(word);
	}
	if (from > n1)
		from = n1;
	*out = xcalloc(n1 - from + 1, sizeof **out);
	count = decode_intervals(ts, word, first, from, n1, now, *out);
	free(ts);
	free(word);
	return count;
}

int
trace_task_intervals(const struct trace *tr, int slot, uint64_t now,
    struct trace_interval **out)
{
	return trace_task_history(tr, slot, now, out, NULL);
}
