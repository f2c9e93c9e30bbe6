/*
 * opt: the command line's one option parser, table driven (tmux's option
 * table, applied to argv).  A command declares its options once -- long
 * name, type, where the value goes, range or choices, a one-line help -- and
 * opt_parse walks argv against that table:
 *
 *   --name VALUE and --name=VALUE; flags take no value; -h and --help set
 *   opt_args.help; "--" ends the options when the command allows it (trace
 *   -- CMD ARGS); anything else not starting with '-' is a positional
 *   argument, wherever it stands (so global options may follow a command).
 *
 * Values are checked as they are read: an integer or a number out of its
 * range, a choice not in the list, an unknown option, a missing value or too
 * many positionals are errors, with the exact message in err (the caller
 * exits 2 with it: bad usage).  A later option overrides an earlier one,
 * except OPT_LIST, which collects every value in order (--set).
 *
 * opt_parse never exits and never prints; opt_usage prints the table;
 * opt_parse_or_exit is the commands' shorthand for both.
 */
#ifndef CONCLAB_OPT_H
#define CONCLAB_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_FLAG,	/* out: bool *, set true */
	OPT_INT,	/* out: int *, within [lo, hi] */
	OPT_DOUBLE,	/* out: double *, within [lo, hi] (above lo if lo_open) */
	OPT_STRING,	/* out: const char **, the argv string itself */
	OPT_CHOICE,	/* out: int *, the index of the value in choices */
	OPT_LIST,	/* out: const char **, an array of max; count: int * */
};

struct opt {
	const char *name;	/* without the dashes: "port" for --port */
	enum opt_type type;
	void *out;		/* where the value goes (see enum opt_type) */
	double lo, hi;		/* OPT_INT, OPT_DOUBLE: the allowed range */
	bool lo_open;		/* OPT_DOUBLE: lo itself is not allowed */
	const char *choices;	/* OPT_CHOICE: "text|json" */
	int max;		/* OPT_LIST: capacity of out */
	int *count;		/* OPT_LIST: values stored so far */
	const char *metavar;	/* the value's name in the usage: "N", "ADDR" */
	const char *help;	/* one line for the usage */
};

/* A command's options: opts ends with an entry whose name is NULL. */
struct opt_cmd {
	const char *name;	/* "serve"; NULL for conclab's global options */
	const struct opt *opts;
	int max_pos;		/* positional arguments allowed */
	bool dashdash;		/* "--" ends the options; the rest is opt_args.rest */
};

#define OPT_MAX_POS 16

/* What is not an option value. */
struct opt_args {
	char *pos[OPT_MAX_POS];	/* positional arguments, in order */
	int npos;
	int rest;		/* argv index after "--"; argc when there was none */
	bool help;		/* -h or --help was given */
};

/* Parse argv[1..argc) (argv[0] is the command's name) against cmd; 0, or -1
 * with the message (no "conclab:" prefix) in err.  Values are stored as they
 * are read, so outputs hold their defaults unless given. */
int opt_parse(const struct opt_cmd *cmd, int argc, char **argv, struct opt_args *out,
    char *err, size_t errlen);
/* A command's usage printer: a synopsis, then opt_usage, then notes. */
typedef void (*opt_usage_fn)(const struct opt_cmd *cmd, FILE *f);
/* opt_parse for a command line: on bad usage die(2) with the message; on
 * -h or --help print usage to stdout and exit(0). */
void opt_parse_or_exit(const struct opt_cmd *cmd, int argc, char **argv,
    struct opt_args *out, opt_usage_fn usage);
/* Print one line per option of cmd: "  --port N   help". */
void opt_usage(const struct opt_cmd *cmd, FILE *f);
/* Parse s as a decimal integer in [lo, hi] (no sign games, no trailing
 * bytes); false when it is not one. */
bool opt_int(const char *s, long lo, long hi, int *out);
/* Parse s as a finite number in [lo, hi] (above lo when lo_open). */
bool opt_double(const char *s, double lo, double hi, bool lo_open, double *out);

#endif
