/*
 * lab: a lab as plain data, and the labs/NAME.lab parser.
 *
 * A lab file has a [lab] section (id, title, question, choices, answer,
 * explanation, exercises) and one [run NAME] section per run (an executor and
 * its parameters).  Parameters are checked against the executor's table of
 * param_spec (type, default, limits), which the exec layer hands in through a
 * lookup function, so this layer knows no executor by name.
 */
#ifndef CONCLAB_LAB_H
#define CONCLAB_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAB_MAX_RUNS 16
#define LAB_MAX_PARAMS 24
#define LAB_MAX_CHOICES 6
#define LAB_MAX_TRIES 4
#define LAB_MAX_HEADLINES 3
#define LAB_MAX_EXPECTS 8
#define LAB_NAME_LEN 32
#define LAB_MAX_TASKS 256	/* hard ceiling on tasks per run */

enum param_type {
	PARAM_INT,
	PARAM_ENUM,	/* one of `choices`, stored as its index */
};

struct param_spec {
	const char *name;
	enum param_type type;
	int64_t def, min, max;	/* for enums: def is an index */
	const char *choices;	/* "fib|sleep" for enums */
	const char *help;
};

/* What the parser needs to know of an executor. */
struct lab_exec_info {
	const char *name;
	const char *title;		/* "C threads / free-threaded CPython" */
	const struct param_spec *params;	/* ends with { .name = NULL } */
	const char *const *metrics;	/* metric keys it reports, NULL-ended */
	/* With work = fib and no fib_n or jobs, each task uses duration_ms of
	 * CPU time (calibrated): the report checks the machine's speed on them. */
	bool timed_work;
};
typedef const struct lab_exec_info *(*lab_exec_lookup_fn)(const char *name);

struct lab_run {
	char name[LAB_NAME_LEN];
	const struct lab_exec_info *exec;
	int64_t values[LAB_MAX_PARAMS];	/* by index into exec->params */
	int64_t file_values[LAB_MAX_PARAMS];	/* as the lab file set them (before --set) */
	bool selected;			/* false when --only excluded it */
	char *describe;			/* one line about the run, may be NULL */
	int line;			/* where [run NAME] is */
};

struct lab {
	char path[512];
	char id[LAB_NAME_LEN];
	int order;			/* menu position (lower first) */
	char *title;
	char *question;
	char *choices[LAB_MAX_CHOICES];
	int nchoices;
	int answer;			/* 1-based; 0 when the lab has no question */
	char *explain;			/* with {run.field} placeholders */
	char *measured;			/* the reveal's one-line summary, or NULL
					 * for each run's wall time */
	char *tries[LAB_MAX_TRIES];
	int ntries;
	/* The figures that carry the lesson: text with {VALUE} templates over
	 * run figures (expr.h), e.g. {a.rate / b.rate}. */
	char *headlines[LAB_MAX_HEADLINES];
	int nheadlines;
	/* Conditions (expr.h) that hold when a run shows the lesson. */
	char *expects[LAB_MAX_EXPECTS];
	int nexpects;
	struct lab_run runs[LAB_MAX_RUNS];
	int nruns;
};

/* Parse a lab file into out (which the caller later passes to lab_free).
 * -1 with "file:line: message" in err on the first problem. */
int lab_load(const char *path, lab_exec_lookup_fn lookup, struct lab *out,
    char *err, size_t errlen);
/* Parse lab text from a buffer (path names it in messages). */
int lab_parse(const char *text, size_t len, const char *path, lab_exec_lookup_fn lookup,
    struct lab *out, char *err, size_t errlen);
/* Free what a lab owns; the struct itself is the caller's. */
void lab_free(struct lab *lab);

/* Apply "KEY=VALUE" to every run with KEY, or "RUN.KEY=VALUE" to one run. */
int lab_set(struct lab *lab, const char *assignment, char *err, size_t errlen);
/* Keep only the named run; -1 with the run names when there is none. */
int lab_only(struct lab *lab, const char *run, char *err, size_t errlen);
/* The run named name, or NULL. */
struct lab_run *lab_run_find(struct lab *lab, const char *name);
/* Walk the {RUN.FIELD} references of text[0..len), both sides of
 * {A.X/B.Y} ({cores} and {KEY} have no run and are skipped): fn gets the run
 * name and the field, each with its length.  A nonzero return from fn stops
 * the walk and is returned; -1 when a '{' has no '}'. */
typedef int (*lab_ref_fn)(const char *run, size_t runlen, const char *field,
    size_t fieldlen, void *arg);
int lab_each_ref(const char *text, size_t len, lab_ref_fn fn, void *arg);
/* Index of a parameter in the run's executor table, -1 if it has none. */
int lab_param_index(const struct lab_run *run, const char *key);
/* A run's parameter value; the default for a key the executor has not. */
int64_t lab_param(const struct lab_run *run, const char *key, int64_t def);
/* Format a parameter value (enum names) into buf. */
void lab_param_format(const struct lab_run *run, int idx, char *buf, size_t len);

/* The directories searched for labs, in order; returns the count. */
int lab_dirs(const char **dirs, int max);
/* Find the file of lab id, in lab_dirs order; NULL if none. Caller frees. */
char *lab_find(const char *id);
/* Load every lab found (first of each id wins), sorted by the menu order.
 * Files that fail to parse are reported in errs (may be NULL). Returns count;
 * the array is the caller's to free with lab_list_free. */
int lab_load_all(lab_exec_lookup_fn lookup, struct lab **out, char *errs, size_t errlen);
void lab_list_free(struct lab *labs, int n);

#endif
