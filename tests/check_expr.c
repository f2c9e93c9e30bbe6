/* expr: values and conditions over run figures, guards, missing figures,
 * and messages for bad input. */
#include "testutil.h"

#include "expr.h"
#include "util.h"

#include <math.h>

/* Figures of a pretend lab: a.wall_s = 2, b.wall_s = 0.5, gil-alone.rate =
 * 11794, gil-contended.rate = 980, cores = 2; anything else is missing. */
static bool
lookup(const char *run, const char *field, double *out, void *arg)
{
	static const struct { const char *run, *field; double v; } figs[] = {
		{ "a", "wall_s", 2 }, { "b", "wall_s", 0.5 },
		{ "gil-alone", "short_reqs_per_s", 11794 },
		{ "gil-contended", "short_reqs_per_s", 980 },
		{ "competitor-1", "x", 3 },
		{ NULL, "cores", 2 },
	};

	(void)arg;
	for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++)
		if (((run == NULL && figs[i].run == NULL) ||
		    (run != NULL && figs[i].run != NULL && strcmp(run, figs[i].run) == 0)) &&
		    strcmp(field, figs[i].field) == 0) {
			*out = figs[i].v;
			return true;
		}
	return false;
}

static double
value(const char *text)
{
	char err[128];
	struct expr *e = expr_parse(text, strlen(text), false, err, sizeof err);
	double v = NAN;

	ck_assert_msg(e != NULL, "%s: %s", text, err);
	if (!expr_value(e, lookup, NULL, &v))
		v = NAN;
	expr_destroy(e);
	return v;
}

static int
verdict(const char *text)
{
	char err[128];
	struct expr *e = expr_parse(text, strlen(text), true, err, sizeof err);
	int v;

	ck_assert_msg(e != NULL, "%s: %s", text, err);
	v = expr_judge(e, lookup, NULL);
	expr_destroy(e);
	return v;
}

static const char *
parse_error(const char *text, bool condition)
{
	static char err[128];
	struct expr *e;

	err[0] = '\0';
	e = expr_parse(text, strlen(text), condition, err, sizeof err);
	ck_assert_msg(e == NULL, "'%s' parsed", text);
	return err;
}

START_TEST(values)
{
	ck_assert_double_eq_tol(value("gil-alone.short_reqs_per_s / gil-contended.short_reqs_per_s"),
	    11794.0 / 980, 1e-9);
	ck_assert_double_eq(value("cores"), 2);
	ck_assert_double_eq_tol(value("(a.wall_s - b.wall_s) * 2 + -1"), 2, 1e-12);
	ck_assert_double_eq_tol(value("3 * competitor-1.x"), 9, 1e-12);
	ck_assert_double_eq_tol(value("1 - 2 - 3"), -4, 1e-12);
	ck_assert_double_eq_tol(value("8 / 2 / 2"), 2, 1e-12);
	/* min and max: the cores N threads can use, min(tasks, cores) */
	ck_assert_double_eq_tol(value("min(a.wall_s, cores) * 3"), 6, 1e-12);
	ck_assert_double_eq_tol(value("max (b.wall_s, 1 - 0.25)"), 0.75, 1e-12);
	ck_assert_double_eq_tol(value("8 / min(cores, 4)"), 4, 1e-12);
	ck_assert(isnan(value("min(a.nosuch, 1)")));
	ck_assert(isnan(value("a.nosuch")));
	ck_assert(isnan(value("a.wall_s / (b.wall_s - 0.5)")));	/* division by zero */
}
END_TEST

START_TEST(conditions)
{
	ck_assert_int_eq(verdict("a.wall_s > b.wall_s"), EXPR_HELD);
	ck_assert_int_eq(verdict("b.wall_s < 0.75 * a.wall_s"), EXPR_HELD);
	ck_assert_int_eq(verdict("a.wall_s < 0.75 * b.wall_s"), EXPR_FAILED);
	ck_assert_int_eq(verdict("a.wall_s <= 2 and a.wall_s >= 2"), EXPR_HELD);
	ck_assert_int_eq(verdict("a.wall_s == 2 and b.wall_s != 0.5"), EXPR_FAILED);
	ck_assert_int_eq(verdict("c.wall_s < 1"), EXPR_UNKNOWN);
	/* one part failed decides, even with another part unknown */
	ck_assert_int_eq(verdict("c.wall_s < 1 and a.wall_s > 5"), EXPR_FAILED);
	ck_assert_int_eq(verdict("when cores >= 2: b.wall_s < 0.75 * a.wall_s"), EXPR_HELD);
	ck_assert_int_eq(verdict("when cores >= 4: a.wall_s < 1"), EXPR_NOT_APPLICABLE);
	ck_assert_int_eq(verdict("when c.wall_s > 1: a.wall_s < 1"), EXPR_UNKNOWN);
}
END_TEST

static int
collect(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	char *buf = arg;
	size_t n = strlen(buf);

	snprintf(buf + n, 256 - n, "[%.*s|%.*s]", (int)rl, run, (int)fl, field);
	return strcmp(field, "stop") == 0 ? 7 : 0;
}

START_TEST(references_in_order)
{
	char err[128], buf[256] = "";
	const char *text = "when cores >= 2: fib-threads.wall_s < 0.75 * serial-fib.wall_s";
	struct expr *e = expr_parse(text, strlen(text), true, err, sizeof err);
	const char *field;

	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(expr_each_ref(e, collect, buf), 0);
	ck_assert_str_eq(buf, "[|cores][fib-threads|wall_s][serial-fib|wall_s]");
	ck_assert(!expr_single_ref(e, &field));
	expr_destroy(e);
	e = expr_parse("a.stop + b.x", 12, false, err, sizeof err);
	buf[0] = '\0';
	ck_assert_int_eq(expr_each_ref(e, collect, buf), 7);
	ck_assert_str_eq(buf, "[a|stop]");
	expr_destroy(e);
	e = expr_parse(" x.rate ", 8, false, err, sizeof err);
	ck_assert(expr_single_ref(e, &field));
	ck_assert_str_eq(field, "rate");
	expr_destroy(e);
}
END_TEST

START_TEST(bad_input_says_where)
{
	ck_assert_str_eq(parse_error("a.wall_s <", true),
	    "a number, a name or '(' expected at column 11");
	ck_assert_str_eq(parse_error("a.wall_s", true),
	    "a comparison (< <= > >= == !=) expected at column 9");
	ck_assert_str_eq(parse_error("a.wall_s < 1 b", true),
	    "unexpected text after the condition at column 14");
	ck_assert_str_eq(parse_error("when cores > 1 a.x < 2", true),
	    "':' expected after the when condition at column 16");
	ck_assert_str_eq(parse_error("(a.x", false), "')' expected at column 5");
	ck_assert_str_eq(parse_error("a.", false),
	    "a figure name expected after '.' at column 3");
	ck_assert_str_eq(parse_error("a.x < 1", false),
	    "unexpected text after the value at column 5");
	ck_assert_str_eq(parse_error("", false), "a number, a name or '(' expected at column 1");
	ck_assert_str_eq(parse_error("min(a.x 2)", false),
	    "',' expected between min's or max's two values at column 9");
	parse_error("1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + "
	    "1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1", false);
}
END_TEST

/* n opening parentheses (or signs), a figure, n closing ones, "< 1" */
static char *
nested(int n, char open, const char *close)
{
	size_t len = (size_t)n * 2 + 32;
	char *s = xmalloc(len), *q = s;

	for (int i = 0; i < n; i++)
		*q++ = open;
	q += sprintf(q, "a.wall_s");
	for (int i = 0; i < n && *close != '\0'; i++)
		*q++ = *close;
	strcpy(q, " < 3");
	return s;
}

/* walk 6 G18: 60,000 nested '(' overflowed the stack (SIGSEGV) */
START_TEST(deep_nesting_is_refused)
{
	static const int deep[] = { 33, 1000, 200000 };
	char *s;

	s = nested(32, '(', ")");
	ck_assert_int_eq(verdict(s), EXPR_HELD);
	free(s);
	s = nested(32, '-', "");
	ck_assert_int_eq(verdict(s), EXPR_HELD);	/* -(-(...2)) = 2 < 3 */
	free(s);
	for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++) {
		s = nested(deep[i], '(', ")");
		ck_assert_str_eq(parse_error(s, true),
		    "parentheses nested too deeply (at most 32) at column 33");
		free(s);
		s = nested(deep[i], '-', "");
		ck_assert_str_eq(parse_error(s, true),
		    "signs nested too deeply (at most 32) at column 33");
		free(s);
	}
	s = xmalloc(8 * 40 + 64);
	strcpy(s, "a.wall_s < ");
	for (int i = 0; i < 40; i++)
		strcat(s, "max(1, ");
	ck_assert_str_eq(parse_error(s, true),
	    "parentheses nested too deeply (at most 32) at column 239");
	free(s);
}
END_TEST

static Suite *
expr_suite(void)
{
	Suite *s = suite_create("expr");
	TCase *tc = tcase_create("expr");

	tcase_add_test(tc, values);
	tcase_add_test(tc, conditions);
	tcase_add_test(tc, references_in_order);
	tcase_add_test(tc, bad_input_says_where);
	tcase_add_test(tc, deep_nesting_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(expr_suite)
