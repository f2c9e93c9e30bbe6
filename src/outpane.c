/*
 * outpane: a ring of printed lines, written by tasks, read by the dashboard.
 * See outpane.h for the per-entry seqlock.
 */
#include "outpane.h"

#include "atomics.h"
#include "util.h"

#include <string.h>

#define OUTPANE_WORDS (OUTPANE_LINE_LEN / 8)

_Static_assert(OUTPANE_LINE_LEN % 8 == 0, "a line is whole 64-bit words");

struct outpane_entry {
	_Atomic uint64_t seq;		/* 2 * (line + 1) when complete, odd while written */
	_Atomic int32_t run;
	_Atomic uint64_t text[OUTPANE_WORDS];
};

static struct outpane_entry outpane_ring[OUTPANE_LINES];
static _Atomic uint64_t outpane_next;

void
outpane_clear(void)
{
	for (int i = 0; i < OUTPANE_LINES; i++)
		at_store_relaxed(&outpane_ring[i].seq, 0);
	at_store_release(&outpane_next, 0);
}

void
outpane_write(int run, const char *text)
{
	uint64_t line = at_add_acqrel(&outpane_next, 1);
	struct outpane_entry *e = &outpane_ring[line % OUTPANE_LINES];
	char buf[OUTPANE_LINE_LEN];

	memset(buf, 0, sizeof buf);
	util_strlcpy(buf, text, sizeof buf);
	at_store_relaxed(&e->seq, 2 * line + 1);
	atomic_thread_fence(memory_order_release);
	at_store_relaxed(&e->run, run);
	for (int w = 0; w < OUTPANE_WORDS; w++) {
		uint64_t word;

		memcpy(&word, buf + 8 * w, 8);
		at_store_relaxed(&e->text[w], word);
	}
	at_store_release(&e->seq, 2 * line + 2);
}

uint64_t
outpane_count(void)
{
	return at_load_acquire(&outpane_next);
}

bool
outpane_read(uint64_t i, char *buf, size_t len, int *run)
{
	struct outpane_entry *e = &outpane_ring[i % OUTPANE_LINES];
	char copy[OUTPANE_LINE_LEN];
	uint64_t s1 = at_load_acquire(&e->seq), s2;
	int r;

	if (s1 != 2 * i + 2)
		return false;
	r = at_load_relaxed(&e->run);
	for (int w = 0; w < OUTPANE_WORDS; w++) {
		uint64_t word = at_load_relaxed(&e->text[w]);

		memcpy(copy + 8 * w, &word, 8);
	}
	atomic_thread_fence(memory_order_acquire);
	s2 = at_load_relaxed(&e->seq);
	if (s2 != s1)
		return false;
	copy[OUTPANE_LINE_LEN - 1] = '\0';
	if (len > 0)
		util_strlcpy(buf, copy, len);
	if (run != NULL)
		*run = r;
	return true;
}
