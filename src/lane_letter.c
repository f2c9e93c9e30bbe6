/*
 * lane_letter: one letter per GIL lane holder (see lane_letter.h).
 */
#include "lane_letter.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Letters only: a digit in a GIL row reads as a thread's number (walk 7
 * H9: py-3 drew "4" beside thread-1..3's 1-3), and X is the failed glyph
 * in ASCII. */
#define LANE_POOL "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWYZ"

/* The lanes among tasks [0, n): their runs and the process each names
 * (0: none, a simulated GIL's); returns how many (at most max). */
struct lane_of {
	int run;
	pid_t pid;
};

static int
lanes_find(const struct trace *tr, int n, struct lane_of *lanes, int max)
{
	int k = 0;

	for (int i = 0; i < n && k < max; i++) {
		const struct trace_task *l = trace_task(tr, i);

		if (l != NULL && l->kind == TRACE_KIND_LANE) {
			lanes[k].run = l->run;
			lanes[k++].pid = trace_task_pid(tr, i);
		}
	}
	return k;
}

/* Whether task t (slot) may hold one of the lanes: its run has one, and
 * the lane names no process (a simulated GIL: the lab's threads) or names
 * the task's (real CPython's: not conclab's load generators beside it,
 * walk 5 F11).  The lanes are found once a call of lane_letters_all: this
 * ran over every task for every task, 25 % of check_screens_legend's time. */
static bool
lane_may_hold(const struct trace *tr, const struct trace_task *t, int slot,
    const struct lane_of *lanes, int nlanes)
{
	for (int k = 0; k < nlanes; k++)
		if (lanes[k].run == t->run &&
		    (lanes[k].pid <= 0 || lanes[k].pid == trace_task_pid(tr, slot)))
			return true;
	return false;
}

/* The letter an earlier task of the same name got, or 0. */
static char
same_name(const struct trace *tr, const char *out, int upto, const char *name)
{
	for (int k = 0; k < upto; k++) {
		const struct trace_task *t = trace_task(tr, k);

		if (out[k] != 0 && t != NULL && strcmp(t->name, name) == 0)
			return out[k];
	}
	return 0;
}

/* A free letter for name: with suffix_only the last character of a name
 * ending "-N"; else a letter of the name, from its end, or of the pool --
 * a digit only as a name's own number (python3's main thread is n, not 3,
 * which reads as a third thread). */
static char
pick(const char *name, bool *used, bool suffix_only)
{
	size_t len = strlen(name);

	if (suffix_only)
		return len > 0 && isalnum((unsigned char)name[len - 1]) &&
		    !used[(unsigned char)name[len - 1]] ? name[len - 1] : 0;
	for (size_t k = len; k-- > 0;)
		if (isalpha((unsigned char)name[k]) && name[k] != 'X' &&
		    !used[(unsigned char)name[k]])
			return name[k];
	for (const char *p = LANE_POOL; *p != '\0'; p++)
		if (!used[(unsigned char)*p])
			return *p;
	return '?';
}

void
lane_letters_all(const struct trace *tr, char *out, int n)
{
	bool used[128] = { false };
	int ntasks = tr != NULL ? trace_ntasks(tr) : 0, nlanes;
	struct lane_of lanes[TRACE_MAX_TASKS];

	memset(out, 0, (size_t)n);
	if (ntasks > n)
		ntasks = n;
	nlanes = lanes_find(tr, ntasks, lanes, TRACE_MAX_TASKS);
	/* first the names ending "-N" (thread-3), then the others */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < ntasks; i++) {
			const struct trace_task *t = trace_task(tr, i);
			const char *dash;
			char c;

			if (t == NULL || t->kind != TRACE_KIND_TASK || out[i] != 0 ||
			    t->name[0] == '\0' || !lane_may_hold(tr, t, i, lanes, nlanes))
				continue;
			dash = strrchr(t->name, '-');
			if (pass == 0 && (dash == NULL || dash[1] == '\0'))
				continue;
			c = same_name(tr, out, ntasks, t->name);
			if (c == 0)
				c = pick(t->name, used, pass == 0);
			if (c == 0)
				continue;
			out[i] = c;
			used[(unsigned char)c & 127] = true;
		}
	}
}
