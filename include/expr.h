/*
 * expr: the small language of a lab's headline figures and expectations.
 *
 * A value is arithmetic over numbers and figures: RUN.FIELD (a run's
 * figure: fib-gil.wall_s) or a bare NAME (cores, or a parameter such as
 * duration_ms), with + - * / and parentheses.  A condition compares two
 * values (< <= > >= == !=), joined with `and`, and may start with a guard:
 * `when cores >= 2: fib-threads.wall_s < 0.75 * serial-fib.wall_s` -- where
 * the guard does not hold, the condition does not apply.
 *
 * Names may contain '-' (run names do), so a minus between two names needs
 * spaces around it: `a.x - b.y`.  A parsed expression is plain data, freed
 * with expr_destroy; evaluating it asks a lookup function for each figure.
 */
#ifndef CONCLAB_EXPR_H
#define CONCLAB_EXPR_H

#include <stdbool.h>
#include <stddef.h>

struct expr;

/* What a condition came to. */
enum expr_verdict {
	EXPR_HELD = 1,		/* the condition holds */
	EXPR_FAILED = 0,	/* it does not */
	EXPR_UNKNOWN = -1,	/* a figure it needs is missing */
	EXPR_NOT_APPLICABLE = -2,	/* its `when` guard does not hold */
};

/* A figure's value: run is NULL for a bare name.  False when there is none
 * (the run did not run, the figure is not reported). */
typedef bool (*expr_lookup_fn)(const char *run, const char *field, double *out,
    void *arg);
/* Called for each figure an expression names (run NULL, runlen 0 for a bare
 * name); a nonzero return stops the walk and is returned.  Same shape as
 * lab_ref_fn. */
typedef int (*expr_ref_fn)(const char *run, size_t runlen, const char *field,
    size_t fieldlen, void *arg);

/* Parse text[0..len): a condition when condition is true, else a value.
 * NULL with a message in err (naming the column) when it is not valid. */
struct expr *expr_parse(const char *text, size_t len, bool condition, char *err,
    size_t errlen);
/* Free a parsed expression; NULL does nothing. */
void expr_destroy(struct expr *e);
/* Walk the figures the expression names, in order. */
int expr_each_ref(const struct expr *e, expr_ref_fn fn, void *arg);
/* Walk the figures of the `when` guard (none without one) when guard, else
 * those of the condition it guards (all of them without a guard). */
int expr_each_part_ref(const struct expr *e, bool guard, expr_ref_fn fn, void *arg);
/* The value of a value expression; false when a figure is missing or a
 * division by zero. */
bool expr_value(const struct expr *e, expr_lookup_fn lookup, void *arg, double *out);
/* Judge a condition. */
enum expr_verdict expr_judge(const struct expr *e, expr_lookup_fn lookup, void *arg);
/* Each figure's power of time: 1 a time, -1 a rate, 0 neither (run NULL
 * for a bare name). */
typedef int (*expr_dim_fn)(const char *run, const char *field, void *arg);
/* A power expr_dimension returns when + or - joins unlike powers. */
#define EXPR_DIM_MIXED (-1000)
/* The power of time a value carries (a time, a rate, a ratio of two times:
 * 0): * adds the powers, / subtracts them, + - min max need equal ones
 * (a number takes the other side's). */
int expr_dimension(const struct expr *e, expr_dim_fn dim, void *arg);
/* True when the expression is a single figure (its format follows the
 * figure's name); field then points into the expression, valid while it lives. */
bool expr_single_ref(const struct expr *e, const char **field);

#endif
