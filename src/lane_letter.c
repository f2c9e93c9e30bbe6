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

/* Whether task slot's run has a lane whose holders task slot may be: the
 * run has one, and the lane names no process (a simulated GIL: the lab's
 * threads) or names the task's (real CPython's: not conclab's load
 * generators beside it, walk 5 F11); among tasks [0, n). */
static bool
lane_may_hold(const struct trace *tr, int slot, int n)
{
	const struct trace_task *t = trace_task(tr, slot);

	for (int i = 0; i < n; i++) {
		const struct trace_task *l = trace_task(tr, i);
		pid_t pid = trace_task_pid(tr, i);

		if (l != NULL && l->kind == TRACE_KIND_LANE && l->run == t->run &&
		    (pid <= 0 || pid == trace_task_pid(tr, slot)))
			return true;
	}
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
	int ntasks = tr != NULL ? trace_ntasks(tr) : 0;

	memset(out, 0, (size_t)n);
	if (ntasks > n)
		ntasks = n;
	/* first the names ending "-N" (thread-3), then the others */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < ntasks; i++) {
			const struct trace_task *t = trace_task(tr, i);
			const char *dash;
			char c;

			if (t == NULL || t->kind != TRACE_KIND_TASK || out[i] != 0 ||
			    t->name[0] == '\0' || !lane_may_hold(tr, i, ntasks))
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
