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
#define LAB_MAX_EXPECTS 10
#define LAB_MAX_FIDELITY 8
#define LAB_MAX_ROUNDS 9	/* a lab's rounds = at most */
#define LAB_NAME_LEN 32
#define LAB_MAX_TASKS 256	/* hard ceiling on tasks per run */

#define LAB_TEXT_MAX 255	/* longest text (PARAM_STRING) value */
/* Task rows a whole lab may need: the trace's slots (exec.c asserts they
 * agree).  A run needs its tasks plus up to LAB_RUN_ROWS of its own (a GIL
 * lane, an echo thread). */
#define LAB_MAX_ROWS 512
#define LAB_RUN_ROWS 4

enum param_type {
	PARAM_INT,
	PARAM_ENUM,	/* one of `choices`, stored as its index */
	PARAM_STRING,	/* a name or path: printable ASCII, 1..max bytes */
};

/* One parameter an executor declares: the only place its type, default and
 * range are written down.  Parser, --set, the dashboard, `conclab show` and
 * the executor itself all read it. */
struct param_spec {
	const char *name;
	enum param_type type;
	int64_t def, min, max;	/* enums: def is an index; strings: max is the
				 * longest length (0: LAB_TEXT_MAX) */
	const char *choices;	/* "fib|sleep" for enums */
	const char *text_def;	/* strings: the default */
	const char *help;	/* one line */
};

struct lab_run;

/* What the parser needs to know of an executor. */
struct lab_exec_info {
	const char *name;
	const char *title;		/* "C threads / free-threaded CPython" */
	const struct param_spec *params;	/* ends with { .name = NULL } */
	const char *const *metrics;	/* metric keys it reports, NULL-ended */
	/* With work = fib and no fib_n or jobs, each task uses duration_ms of
	 * CPU time (calibrated): the report checks the machine's speed on them. */
	bool timed_work;
	/* Why a parameter it declares does nothing in run, given the run's other
	 * settings (a python run of a server script takes no tasks), or NULL
	 * when the run uses it.  NULL hook: every parameter is used. */
	const char *(*unused)(const struct lab_run *run, const char *key);
};
typedef const struct lab_exec_info *(*lab_exec_lookup_fn)(const char *name);
/* Where messages find the executors' names ("serial, threads, ..."), which
 * the lab layer cannot list itself: set once by the program (main gives
 * exec_names); unset, an unknown executor's message lists none. */
void lab_exec_names_from(void (*names)(char *buf, size_t len));

struct lab_run {
	char name[LAB_NAME_LEN];
	const struct lab_exec_info *exec;
	int64_t values[LAB_MAX_PARAMS];	/* by index into exec->params */
	int64_t file_values[LAB_MAX_PARAMS];	/* as the lab file set them (before --set) */
	char *file_texts[LAB_MAX_PARAMS];	/* the same for texts (owned) */
	char *texts[LAB_MAX_PARAMS];	/* PARAM_STRING values given (owned);
					 * NULL: the table's default */
	bool selected;			/* false when --only excluded it */
	char *dir;			/* the lab file's directory (owned): a
					 * script is looked for in its py/ first;
					 * NULL: in the lab directories only */
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
	/* Conditions (expr.h) that hold when a run shows the lesson, each
	 * optionally followed by " -- " and its meaning in words. */
	char *expects[LAB_MAX_EXPECTS];
	int nexpects;
	/* "expect = NAME: CONDITION": the NAME ("" when none), which an
	 * explanation paragraph that opens with "[needs NAME, NAME]" names: when
	 * one of them failed, the paragraph is not printed as it stands. */
	char expect_names[LAB_MAX_EXPECTS][LAB_NAME_LEN];
	/* "lesson = NAME, NAME": the expectations that carry the lab's lesson
	 * (NULL: all of them).  The others are side figures: one that fails
	 * is named, but the lab still showed its lesson (expect_side). */
	char *lesson;
	bool expect_side[LAB_MAX_EXPECTS];
	/* Real CPython beside the simulation: "FIGURE: SIM ~ REAL", two
	 * values (expr.h) of the same lesson figure, simulated and measured in
	 * a real interpreter; reports give both and real / simulated. */
	char *fidelity[LAB_MAX_FIDELITY];
	int nfidelity;
	/* How often the runs the fidelity lines name are measured (1..
	 * LAB_MAX_ROUNDS; 0 when not given: once).  Rounds after the first come
	 * once every run has run, each simulated run followed at once by its real
	 * twin, so both see the same machine; their figures become the median
	 * of the rounds (exec.h). */
	int rounds;
	struct lab_run runs[LAB_MAX_RUNS];
	int nruns;
};

/* Parse a lab file into out (which the caller later passes to lab_free).
 * -1 with "file:line: message" in err on the first problem.  The file is
 * opened without blocking and refused unless it is a regular file. */
int lab_load(const char *path, lab_exec_lookup_fn lookup, struct lab *out,
    char *err, size_t errlen);
/* Parse lab text from a buffer (path names it in messages). */
int lab_parse(const char *text, size_t len, const char *path, lab_exec_lookup_fn lookup,
    struct lab *out, char *err, size_t errlen);
/* The same, going on after a bad line: every bad line's "file:line:
 * message", one a line (at most 20); the checks of the whole lab (a
 * missing id, an answer past the choices ...) only when every line was
 * read right. */
int lab_parse_all(const char *text, size_t len, const char *path,
    lab_exec_lookup_fn lookup, struct lab *out, char *err, size_t errlen);
/* lab_load with lab_parse_all: what `conclab check` reports. */
int lab_load_check(const char *path, lab_exec_lookup_fn lookup, struct lab *out,
    char *err, size_t errlen);
/* Free what a lab owns; the struct itself is the caller's. */
void lab_free(struct lab *lab);

/* Apply "KEY=VALUE" to every run that uses KEY, or "RUN.KEY=VALUE" to one
 * run; -1 with a message when no run that will run (after lab_only) uses
 * KEY, so that a setting never changes nothing unsaid. */
int lab_set(struct lab *lab, const char *assignment, char *err, size_t errlen);
/* Keep only the named run; -1 with the run names when there is none. */
int lab_only(struct lab *lab, const char *run, char *err, size_t errlen);
/* The run named name, or NULL. */
struct lab_run *lab_run_find(struct lab *lab, const char *name);
/* The index of the run named name[0..len) (a reference's run part), or -1. */
int lab_run_index(const struct lab *lab, const char *name, size_t len);
/* Walk the {RUN.FIELD} references of text[0..len), both sides of
 * {A.X/B.Y} ({cores} and {KEY} have no run and are skipped): fn gets the run
 * name and the field, each with its length.  A nonzero return from fn stops
 * the walk and is returned; -1 when a '{' has no '}'. */
typedef int (*lab_ref_fn)(const char *run, size_t runlen, const char *field,
    size_t fieldlen, void *arg);
int lab_each_ref(const char *text, size_t len, lab_ref_fn fn, void *arg);
/* Check the references of a [lab] text (explain, measured) against the
 * lab's runs and their executors; -1 with "KEY: message" (no file:line). */
int lab_check_refs(const struct lab *lab, const char *key, const char *text, char *msg,
    size_t msglen);
/* A check (lab_check_refs, lab_check_params) over a value continued over
 * lines: starts[k] is where line lines[k] of the file begins in text (k = 0:
 * the key's line, at 0).  The line a bad reference is on, with its message;
 * 0 when all are good. */
typedef int (*lab_check_fn)(const struct lab *lab, const char *key, const char *text,
    char *msg, size_t msglen);
int lab_check_refs_lines(const struct lab *lab, lab_check_fn check, const char *key,
    const char *text, const size_t *starts, const int *lines, int n, char *msg,
    size_t msglen);
/* One line of a text that may hold placeholders: each '{' closes on the
 * line, with something inside, before the next '{', and a '|' names a
 * filter ("|word"); -1 with "KEY: message" otherwise. */
int lab_check_braces(const char *key, const char *text, char *msg, size_t msglen);
/* Lab text is UTF-8 without control characters (tabs aside): 0, or -1
 * (bad UTF-8) / -2 (a control character) and *col the first bad byte's
 * column. */
int lab_utf8_check(const char *s, size_t n, size_t *col);
/* A value and its continuation line joined (a line of just "." starts a
 * paragraph); old is freed. */
char *lab_join_value(char *old, const char *more);
/* Put the "PATH:LINE: message" lines of err in the order of their lines in
 * the file (the checks of the whole lab come after the lines' own); other
 * lines (notes) stay after them, in their order. */
void lab_sort_errors(char *err, const char *path);
/* The same for one expression: a headline's {VALUE}s, or (condition) an
 * expect line (expr.h). */
int lab_check_expr(const struct lab *lab, const char *key, const char *text, bool condition,
    char *msg, size_t msglen);
/* The same over a value continued over lines (starts, lines as for
 * lab_check_refs_lines): the line the refused reference is on, with its
 * message; 0 when all are good. */
int lab_check_expr_lines(const struct lab *lab, const char *key, const char *text,
    bool condition, const size_t *starts, const int *lines, int n, char *msg,
    size_t msglen);
/* A fidelity line "FIGURE: SIMULATED ~ REAL", both values checked as a
 * headline's {VALUE}: 0, or -1 with "fidelity: ..." in msg. */
int lab_check_fidelity(const struct lab *lab, const char *line, char *msg, size_t msglen);
/* The names of ex's parameters, ", " between them, into buf. */
void lab_params_known(const struct lab_exec_info *ex, char *buf, size_t len);
/* Give every parameter of run its table default (run->exec is set). */
void lab_param_defaults(struct lab_run *run);
/* Set parameter idx of run from text, as in a lab file or --set; -1 with a
 * message (no file:line) when the table refuses it. */
int lab_param_parse(struct lab_run *run, int idx, const char *value, char *msg,
    size_t msglen);
/* text with each {KEY} that a run's parameter has replaced by its value
 * (the first run that has it), other braces left alone: a question and its
 * choices that follow the settings.  The caller frees the string. */
char *lab_fill_params(const struct lab *lab, const char *text);
/* Each {...} of such a text (question, choices) is one lab_fill_params
 * fills: a parameter, an expression of them, "|word" or "|Word" after it;
 * -1 with "KEY: message" (no file:line) for the first that is not. */
int lab_check_params(const struct lab *lab, const char *key, const char *text, char *msg,
    size_t msglen);
/* A placeholder's filter: "{tasks|word}" reads "three", "{tasks|Word}"
 * "Three" (a sentence's first word).  lab_word_filter returns the length of
 * the value before "|word" or "|Word" in text[0..n) and sets *cap (-1: no
 * filter); lab_number_word writes whole numbers 0..20 as words, any other
 * value as fmt's digits would not -- it returns false, and the caller
 * writes the number as it would without the filter. */
size_t lab_word_filter(const char *text, size_t n, int *cap);
bool lab_number_word(double v, bool cap, char *buf, size_t len);
/* An expect line is "CONDITION" or "CONDITION -- what it means in words":
 * the condition's length, and *meaning the words (NULL when none). */
size_t lab_expect_split(const char *line, const char **meaning);
/* Take each expect line's "NAME: " into lab->expect_names (the line keeps
 * the rest); -1 with a message (no file:line) and *bad the item's index. */
int lab_expect_names(struct lab *lab, int *bad, char *msg, size_t msglen);
/* Read lab->lesson into lab->expect_side: every name it lists must name an
 * expectation, and every expectation must then have a name; -1 with a
 * message (no file:line) otherwise.  Without a lesson line none is a side
 * figure. */
int lab_lesson_names(struct lab *lab, char *msg, size_t msglen);
/* The index of the expectation named name, -1 if none. */
int lab_expect_find(const struct lab *lab, const char *name);
/* A paragraph para[0..n) of an explanation that opens with "[needs A, B]":
 * the names into names (*count of them, at most max) and where the text
 * after the mark starts; *count 0 (and para) without a mark, -1 when the
 * mark is malformed. */
const char *lab_para_needs(const char *para, size_t n, char names[][LAB_NAME_LEN], int max,
    int *count);
/* Every "[needs ...]" mark of the explanation names an expectation; -1 with
 * a message (no file:line) otherwise. */
int lab_check_needs(const struct lab *lab, char *msg, size_t msglen);
/* Was try t done by the runs just made?  A try names what it changes as
 * --set KEY=... or RUN.KEY=... (done when that parameter differs from the
 * lab file's value), --cpus (done when cpus_changed) or --slow / slow
 * motion (done when slowed). */
bool lab_try_done(const struct lab *lab, int t, bool cpus_changed, bool slowed);
/* Split a fidelity line "FIGURE: SIM ~ REAL": the figure's length, and
 * where each value starts and its length.  -1 when a part is missing. */
int lab_fidelity_split(const char *line, size_t *figlen, const char **sim,
    size_t *simlen, const char **real, size_t *reallen);
/* A figure a fidelity line names: a run (its index) and a field. */
struct lab_fidelity_ref {
	int run;
	char field[LAB_NAME_LEN];
	bool real;		/* on a line's real side */
};
/* The figures the lab's fidelity lines name, each once, line by line and
 * in each line the simulated side's before the real one's: how many (at
 * most max) were put in out. */
int lab_fidelity_refs(const struct lab *lab, struct lab_fidelity_ref *out, int max);
struct expr;
/* Which sides of the fidelity lines the runs an expression names are on:
 * LAB_SIDE_SIM when every one is a simulated side's, LAB_SIDE_REAL when
 * every one is a real side's, else 0. */
#define LAB_SIDE_SIM 1
#define LAB_SIDE_REAL 2
int lab_fidelity_side(const struct lab *lab, const struct expr *e);
/* How many parameters the executor's table declares. */
int lab_param_count(const struct lab_exec_info *ex);
/* Index of a parameter in the run's executor table, -1 if it has none. */
int lab_param_index(const struct lab_run *run, const char *key);
/* The value of a parameter the run's executor declares (an enum's index).
 * Asking for a key the executor does not declare is a bug, never a silent
 * default: conclab stops, naming the executor and the key. */
int64_t lab_value(const struct lab_run *run, const char *key);
/* A PARAM_STRING parameter's text (its default unless set); valid until the
 * value changes or the lab is freed.  An undeclared key stops conclab. */
const char *lab_string(const struct lab_run *run, const char *key);
/* For code that serves every executor (reports): true and *out when the
 * run's executor declares key, false when it does not. */
bool lab_value_find(const struct lab_run *run, const char *key, int64_t *out);
/* Why the run ignores key, which its executor declares (the executor's
 * unused hook), or NULL when the run uses it or does not declare it. */
const char *lab_param_unused(const struct lab_run *run, const char *key);
/* True when the run's executor declares key and this run uses it. */
bool lab_param_used(const struct lab_run *run, const char *key);
/* The names of the runs that use key, ", "-separated; returns how many. */
int lab_runs_using(const struct lab *lab, const char *key, char *names, size_t len);
/* Set parameter param (an index into the executor's table) of run number run
 * to v (an enum's index), checked against the table's range; -1 with a
 * message, and the value unchanged, when it is outside. */
int lab_set_value(struct lab *lab, int run, int param, int64_t v, char *err,
    size_t errlen);
/* Set key to v in every run that uses it (lab_param_used), all or none: -1
 * with a message when no run uses it, a run's table refuses v, or the lab
 * would need more task rows than LAB_MAX_ROWS. */
int lab_set_every(struct lab *lab, const char *key, int64_t v, char *err,
    size_t errlen);
/* True when parameter idx differs from what the lab file gave it (--set, or
 * the dashboard's settings, changed it). */
bool lab_param_changed(const struct lab_run *run, int idx);
/* Format a parameter value (enum names) into buf. */
void lab_param_format(const struct lab_run *run, int idx, char *buf, size_t len);
/* The same for the value the lab file gave it (before --set and the
 * dashboard's settings). */
void lab_param_format_file(const struct lab_run *run, int idx, char *buf, size_t len);
/* Format a table entry's default, and its allowed values ("1..256",
 * "fib|sleep", "text, at most 255 bytes"), into buf. */
void lab_spec_default(const struct param_spec *spec, char *buf, size_t len);
void lab_spec_range(const struct param_spec *spec, char *buf, size_t len);
/* Task rows the selected runs need together (tasks + LAB_RUN_ROWS each). */
int64_t lab_rows(const struct lab *lab);
/* -1 with a message when lab_rows is over LAB_MAX_ROWS. */
int lab_check_rows(const struct lab *lab, char *err, size_t errlen);

/* The directories searched for labs, in order; returns the count. */
int lab_dirs(const char **dirs, int max);
/* Find the file of lab id, in lab_dirs order; NULL if none. Caller frees. */
char *lab_find(const char *id);
/* A python run's script: DIR/py/NAME beside the lab file (dir, may be
 * NULL), else labs/py/NAME in the first of lab_dirs that has it.  True with
 * its path in out; false with why and what to do in out (a name that is not
 * a plain file name, or the directories searched). */
bool lab_script_find(const char *dir, const char *name, char *out, size_t len);
/* "no lab 'NAME' (labs: IDS)" and how to name a lab file of one's own (a
 * NAME.lab in the current directory: by its path) into buf. */
void lab_missing(const char *name, const char *ids, char *buf, size_t len);
/* The file of a lab named on the command line: name itself when it is a
 * path (has a '/' or ends in .lab), else lab_find(name).  Caller frees. */
char *lab_locate(const char *name);
/* Load every lab found (first of each id wins), sorted by the menu order.
 * Files that fail to parse are reported in errs (may be NULL). Returns count;
 * the array is the caller's to free with lab_list_free. */
int lab_load_all(lab_exec_lookup_fn lookup, struct lab **out, char *errs, size_t errlen);
void lab_list_free(struct lab *labs, int n);
/* The ids of every lab found, ", " between them, into buf; returns the count. */
int lab_id_list(lab_exec_lookup_fn lookup, char *buf, size_t len);

#endif
