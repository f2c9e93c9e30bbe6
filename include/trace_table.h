/*
 * trace_table: what `conclab trace` prints when tracing ends -- per thread
 * run, ready, lock and io (text or JSON), the threads' run total beside the
 * CPU the traced program used in the same window, and how the command ended.
 */
#ifndef CONCLAB_TRACE_TABLE_H
#define CONCLAB_TRACE_TABLE_H

#include "proctrace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* A process whose threads ran less than this in all is a launcher or a
 * helper (a shell, pyenv's shims): left out of the table, named below it. */
#define TRACE_TABLE_QUIET_NS 10000000ULL

struct trace_table_result {
	double wall;		/* s traced */
	pid_t pid;		/* the process traced (the command's, or -p's) */
	double proc_cpu;	/* s of CPU it used meanwhile, -1 unknown */
	const char *cpu_source;	/* where proc_cpu comes from, in words */
	double cost_pct;	/* the tracer's share of a core, -1 unknown */
	int status;		/* the command's wait status, -1 for -p */
	bool killed;		/* conclab had to send SIGKILL */
	const char *why;	/* why tracing stopped */
};

/* "n threads ended before they were seen" and why, or "" for n = 0. */
void trace_table_unseen_line(int n, char *buf, size_t len);
/* The table as text (what names the program: "python3 (pid 12)"); the
 * run total of pid's threads beside its CPU time. */
void trace_table_text(FILE *f, const struct proctrace *pt,
    const struct trace_table_result *r, const char *what);
/* The same as JSON (the keys scripts read: pid, wall_s, process_cpu_s,
 * tracer_cost_pct, stopped_by, overflow, threads_unseen, exit_status,
 * exit_signal, threads). */
void trace_table_json(FILE *f, const struct proctrace *pt,
    const struct trace_table_result *r);
/* What the lane saw of the first process's threads, for the line under
 * the table. */
struct trace_lane_facts {
	double span_s;		/* the time the lane covered (0: no line) */
	double held_s, parallel_s;	/* one thread on a core; several at once */
	double switches, switches_per_s;	/* holder changes, and a second */
	double wakes;		/* times the threads were scheduled in */
	bool switches_short;	/* most handoffs too short for the ticks:
				 * switches is no measure of them */
	int windows;		/* windows with two or more computing */
	int threads;		/* the first process's threads seen */
	double lock_s;		/* the threads' time in futex (the lock column) */
	bool at_once, lane;	/* ran at once before any lock; a lane drawn */
};

/* The line on a lock between the first process's threads: the lane's
 * figures, "too short to tell" from fewer than PROCTRACE_TELL_WINDOWS
 * windows with two computing, and never "none waited in futex" beside a
 * lock column with time in it.  "" when the lane covered nothing. */
void trace_table_lane_line(const struct trace_lane_facts *f, char *buf, size_t len);
/* One line on how the command ended ("" for -p). */
void trace_table_end_line(const struct trace_table_result *r, char *buf, size_t len);
/* Is thread i's process a quiet one (left out of the table)? */
bool trace_table_quiet(const struct proctrace *pt, int i);
/* The threads the table shows (those of processes that are not quiet);
 * hide (may be NULL), indexed by trace slot, gets true for the others. */
int trace_table_shown(const struct proctrace *pt, bool *hide, size_t nhide);

#endif
