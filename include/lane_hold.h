/*
 * lane_hold: who a GIL lane draws as the lock's holder in each cell (on
 * screen) or pixel (in the SVG), and what that tells each thread's row.
 * The lane's held cells are its own states dithered (cells.h); the holders
 * are dithered over them in proportion to each one's time holding the
 * lock, except where a presenter's pause began (a step ends there) and at
 * the live end of a lane in progress: there the holder at that instant.
 * A thread's row then never says "waiting for the lock" where the lane
 * names it (cells_diffuse_held), so the lane and the rows agree.
 */
#ifndef CONCLAB_LANE_HOLD_H
#define CONCLAB_LANE_HOLD_H

#include "trace.h"

#include <stdint.h>

/* A lane's state where several of its threads were on cores at once and
 * no one holder can be inferred (real CPython's lane, inferred from /proc:
 * Python 2's waiters wake and fight for the lock), and who[] of its cells. */
#define LANE_SEVERAL TRACE_LOCK
#define LANE_WHO_SEVERAL (-1)
/* The glyph such a cell shows (a holder's is a letter or digit). */
#define LANE_SEVERAL_GLYPH '&'

/* n cells of bucket ns from `from` (monotonic, the cells on the folded
 * clock: trace_fold) to `to`, as trace_task_shares lays them. */
struct lane_cells {
	uint64_t from, to, bucket;
	int n;
};

/* Lock lane `lane` over lc: in who[b] the holder (slot + 1) of cell b, 0
 * where the lane draws it free, LANE_WHO_SEVERAL where several threads
 * ran at once; inst[b] (inst may be NULL) 1 where that
 * is the holder at an instant in the cell (a step's end, the live end),
 * not a share of its time; st[b] (st may be NULL) the lane's own state
 * dithered (TRACE_NEW: no time there, TRACE_RUN: held). */
void lane_hold(const struct trace *tr, int lane, const struct lane_cells *lc, int16_t *who,
    uint8_t *inst, uint8_t *st);
/* What the lane (who, inst from lane_hold; inst may be NULL) says of task
 * slot in each of n cells, for cells_diffuse_held: CELLS_HOLDS where it
 * holds, CELLS_WAITS where another holds at the cell's instant. */
void lane_hold_row(const int16_t *who, const uint8_t *inst, int n, int slot, uint8_t *held);
/* The cell of lc that ts falls in (its end: the last cell), -1 outside. */
int lane_hold_cell(const struct trace *tr, const struct lane_cells *lc, uint64_t ts);
/* What a lane's interval in state st with holder arg is, for exports:
 * "held", "several" (LANE_SEVERAL) or "free". */
const char *lane_hold_state_name(enum trace_state st, uint32_t arg);
/* The first lock lane of run in tr, -1 for none. */
int lane_hold_find(const struct trace *tr, int run);

#endif
