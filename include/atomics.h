/*
 * atomics: every atomic operation in conclab goes through these macros so the
 * memory order is always explicit.  Anything placed in shared memory must be
 * lock-free (it is shared with forked children); that is asserted here.
 */
#ifndef CONCLAB_ATOMICS_H
#define CONCLAB_ATOMICS_H

#include <stdatomic.h>
#include <stdint.h>

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "int atomics must be lock-free");

#define at_load_relaxed(p) atomic_load_explicit((p), memory_order_relaxed)
#define at_load_acquire(p) atomic_load_explicit((p), memory_order_acquire)
#define at_store_relaxed(p, v) atomic_store_explicit((p), (v), memory_order_relaxed)
#define at_store_release(p, v) atomic_store_explicit((p), (v), memory_order_release)
#define at_add_relaxed(p, v) atomic_fetch_add_explicit((p), (v), memory_order_relaxed)
#define at_add_acqrel(p, v) atomic_fetch_add_explicit((p), (v), memory_order_acq_rel)
#define at_or_relaxed(p, v) atomic_fetch_or_explicit((p), (v), memory_order_relaxed)
#define at_xchg_acqrel(p, v) atomic_exchange_explicit((p), (v), memory_order_acq_rel)
#define at_cas_acqrel(p, exp, v)                                              \
	atomic_compare_exchange_strong_explicit((p), (exp), (v),               \
	    memory_order_acq_rel, memory_order_acquire)

/* Raise *p to v if v is larger (single writer or racing writers alike). */
static inline void
at_max_relaxed(_Atomic uint64_t *p, uint64_t v)
{
	uint64_t cur = at_load_relaxed(p);

	while (v > cur &&
	    !atomic_compare_exchange_weak_explicit(p, &cur, v,
	        memory_order_relaxed, memory_order_relaxed))
		;
}

#endif
