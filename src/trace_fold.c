/*
 * trace_fold: the intervals a full ring overwrites, kept as each state's
 * time in coarse buckets from the task's start (see trace.h).  The slot's
 * one writer folds an interval just before its event is overwritten; the
 * buckets double in width, pairs merged, when the folded time outgrows them,
 * so a fold of fixed size spans any life.  A sequence lock guards the
 * fold: the writer makes seq odd, changes the buckets, makes it even again;
 * a reader copies and retries while seq was odd or moved.  The writer
 * never waits, and every field is atomic (the readers are other processes'
 * threads, reading while it writes).  The writer stores with release and
 * the reader loads with acquire (plain moves on x86), so the odd seq is
 * seen before any change and the reader's check of seq after every copied
 * field -- without fences, which ThreadSanitizer does not follow.
 */
#include "trace_int.h"

#include <sched.h>
#include <string.h>

#define ld(p) at_load_relaxed(p)
#define put(p, v) at_store_release((p), (v))
/* Only the writer changes a field: a plain store of the sum, no locked add. */
#define add(p, v) put((p), ld(p) + (v))

/* Halve the resolution: bucket b takes buckets 2b and 2b + 1. */
static void
fold_coarsen(struct trace_fold *f)
{
	for (int b = 0; b < TRACE_FOLD_BUCKETS / 2; b++) {
		struct trace_fold_bucket *d = &f->b[b];
		const struct trace_fold_bucket *x = &f->b[2 * b], *y = &f->b[2 * b + 1];
		uint64_t bx = ld(&x->best), by = ld(&y->best);

		for (int s = 0; s < TRACE_FOLD_STATES; s++) {
			put(&d->ns[s], ld(&x->ns[s]) + ld(&y->ns[s]));
			put(&d->count[s], ld(&x->count[s]) + ld(&y->count[s]));
		}
		put(&d->who, ld(by > bx ? &y->who : &x->who));
		put(&d->best, bx > by ? bx : by);
	}
	for (int b = TRACE_FOLD_BUCKETS / 2; b < TRACE_FOLD_BUCKETS; b++) {
		struct trace_fold_bucket *d = &f->b[b];

		for (int s = 0; s < TRACE_FOLD_STATES; s++) {
			put(&d->ns[s], 0);
			put(&d->count[s], 0);
		}
		put(&d->who, -1);
		put(&d->best, 0);
	}
}

void
trace_fold_add(struct trace_fold *f, uint64_t a, uint64_t e, int st, int32_t who,
    uint64_t nfolded)
{
	uint32_t seq = ld(&f->seq);
	uint64_t t0 = ld(&f->t0), width = ld(&f->width), upto = e;
	int s = st - TRACE_RUN;

	put(&f->seq, seq + 1);
	if (width == 0) {	/* the first fold: the buckets start here */
		t0 = a;
		width = TRACE_FOLD_NS0;
		put(&f->t0, t0);
		for (int b = 0; b < TRACE_FOLD_BUCKETS; b++)
			put(&f->b[b].who, -1);
	}
	/* a back-dated event (a lane's, a lock wait's) can start before the
	 * one it follows: its time is cut there, never counted twice */
	if (a < t0)
		a = t0;
	if (e < a)
		e = a;
	while (e - t0 > width * TRACE_FOLD_BUCKETS) {
		fold_coarsen(f);
		width *= 2;
	}
	put(&f->width, width);
	if (s >= 0 && s < TRACE_FOLD_STATES) {
		uint64_t first = (a - t0) / width;

		add(&f->b[first < TRACE_FOLD_BUCKETS ? first : TRACE_FOLD_BUCKETS - 1].count[s],
		    1);
		for (uint64_t x = a; x < e;) {
			uint64_t b = (x - t0) / width, bend = t0 + (b + 1) * width;
			uint64_t seg = (bend < e ? bend : e) - x;
			struct trace_fold_bucket *k = &f->b[b];

			add(&k->ns[s], seg);
			if (seg > ld(&k->best)) {
				put(&k->best, seg);
				put(&k->who, who);
			}
			x += seg;
		}
	}
	put(&f->upto, upto);	/* where the ring now begins */
	put(&f->nfolded, nfolded);
	at_store_release(&f->seq, seq + 2);
}

/* One copy of the fold; false if the writer changed it meanwhile. */
static bool
fold_try(const struct trace_fold *f, struct trace_folded *out)
{
	uint32_t seq = at_load_acquire(&f->seq);

	if (seq & 1)
		return false;
	out->t0 = at_load_acquire(&f->t0);
	out->width = at_load_acquire(&f->width);
	out->upto = at_load_acquire(&f->upto);
	out->nfolded = at_load_acquire(&f->nfolded);
	for (int b = 0; b < TRACE_FOLD_BUCKETS; b++) {
		const struct trace_fold_bucket *k = &f->b[b];

		for (int s = 0; s < TRACE_FOLD_STATES; s++) {
			out->ns[b][TRACE_RUN + s] = at_load_acquire(&k->ns[s]);
			out->count[b][TRACE_RUN + s] = at_load_acquire(&k->count[s]);
		}
		out->who[b] = at_load_acquire(&k->who);
	}
	return at_load_relaxed(&f->seq) == seq;
}

bool
trace_fold_copy(const struct trace_fold *f, struct trace_folded *out)
{
	out->nbuckets = 0;
	out->nfolded = 0;
	if (at_load_acquire(&f->nfolded) == 0)
		return false;
	memset(out, 0, sizeof *out);
	/* A writer folds one interval at a time (microseconds); one that died
	 * inside a fold leaves seq odd, so the tries are bounded and the last
	 * copy is taken as it is. */
	for (int i = 0; i < 1000 && !fold_try(f, out); i++)
		sched_yield();
	if (out->width == 0)
		return false;
	out->nbuckets = out->upto > out->t0 ?
	    (int)((out->upto - out->t0 + out->width - 1) / out->width) : 1;
	if (out->nbuckets > TRACE_FOLD_BUCKETS)
		out->nbuckets = TRACE_FOLD_BUCKETS;
	return true;
}
