/*
 * trace_int: what trace.c shares with trace_fold.c and no one else -- the
 * fold's writer and its reader's copy.
 */
#ifndef CONCLAB_TRACE_INT_H
#define CONCLAB_TRACE_INT_H

#include "trace.h"

/* Writer (the slot's one writer, before it overwrites the ring's oldest
 * event): fold that event's interval [a, e) in state st (who: its CPU, for
 * lanes the holder slot + 1); nfolded: events folded with this one. */
void trace_fold_add(struct trace_fold *f, uint64_t a, uint64_t e, int st, int32_t who,
    uint64_t nfolded);
/* Reader: copy the fold into out (consistent: retried while its writer
 * changes it); false when nothing is folded yet. */
bool trace_fold_copy(const struct trace_fold *f, struct trace_folded *out);

#endif
