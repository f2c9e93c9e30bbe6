/*
 * expr: a recursive-descent parser into a small array of nodes, and an
 * evaluator over them.  Grammar:
 *
 *   condition := [ "when" conj ":" ] conj
 *   conj      := compare { "and" compare }
 *   compare   := sum ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) sum
 *   sum       := product { ( "+" | "-" ) product }
 *   product   := unary { ( "*" | "/" ) unary }
 *   unary     := "-" unary | number | NAME [ "." NAME ] | "(" sum ")"
 *              | ( "min" | "max" ) "(" sum "," sum ")"
 *
 * A node refers to its operands by index; node 0 is never an operand, so
 * an index of 0 means none.
 */
#include "expr.h"

#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPR_MAX_NODES 64
#define EXPR_NAME_LEN 48
/* Parentheses, signs and min/max nest at most this deep: the parser recurses
 * once per level, and a level makes no node, so the node bound alone would
 * let a long line of '(' exhaust the stack. */
#define EXPR_MAX_DEPTH 32

enum node_kind {
	N_NONE = 0, N_NUM, N_REF, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV,
	N_LT, N_LE, N_GT, N_GE, N_EQ, N_NE, N_AND, N_WHEN, N_MIN, N_MAX,
};

struct node {
	enum node_kind kind;
	int a, b;			/* operands (node indexes) */
	double num;			/* N_NUM */
	char run[EXPR_NAME_LEN];	/* N_REF: "" for a bare name */
	char field[EXPR_NAME_LEN];
};

struct expr {
	int root;
	int n;
	struct node nodes[EXPR_MAX_NODES];
};

struct parser {
	const char *s, *start, *end;
	struct expr *e;
	char *err;
	size_t errlen;
	int depth;		/* levels of '(', '-' and min/max open */
	bool failed;
};

static int
fail(struct parser *p, const char *what)
{
	if (!p->failed)
		util_err(p->err, p->errlen, "%s at column %d", what,
		    (int)(p->s - p->start) + 1);
	p->failed = true;
	return 0;
}

static void
skip_space(struct parser *p)
{
	while (p->s < p->end && isspace((unsigned char)*p->s))
		p->s++;
}

static int
node(struct parser *p, enum node_kind kind, int a, int b)
{
	struct node *nd;

	if (p->failed)
		return 0;
	if (p->e->n >= EXPR_MAX_NODES)
		return fail(p, "expression too long");
	nd = &p->e->nodes[p->e->n];
	memset(nd, 0, sizeof *nd);
	nd->kind = kind;
	nd->a = a;
	nd->b = b;
	return p->e->n++;
}

/* Does the input continue with word w (a whole word)? Consumes it if so. */
static bool
accept_word(struct parser *p, const char *w)
{
	size_t n = strlen(w);

	skip_space(p);
	if ((size_t)(p->end - p->s) < n || strncmp(p->s, w, n) != 0)
		return false;
	if (p->s + n < p->end && (isalnum((unsigned char)p->s[n]) || p->s[n] == '_' ||
	    p->s[n] == '-'))
		return false;
	p->s += n;
	return true;
}

static bool
accept(struct parser *p, const char *op)
{
	size_t n = strlen(op);

	skip_space(p);
	if ((size_t)(p->end - p->s) < n || strncmp(p->s, op, n) != 0)
		return false;
	p->s += n;
	return true;
}

/* A name: a letter or '_', then letters, digits, '_', and '-' where a
 * letter or digit follows (gil-alone, competitor-1). */
static bool
read_name(struct parser *p, char *out)
{
	const char *s = p->s;
	size_t n;

	if (s >= p->end || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	while (s < p->end && (isalnum((unsigned char)*s) || *s == '_' ||
	    (*s == '-' && s + 1 < p->end && isalnum((unsigned char)s[1]))))
		s++;
	n = (size_t)(s - p->s);
	if (n >= EXPR_NAME_LEN) {
		fail(p, "name too long");
		return false;
	}
	memcpy(out, p->s, n);
	out[n] = '\0';
	p->s = s;
	return true;
}

static int parse_sum(struct parser *p);

/* One level deeper for the '(' or '-' just read: false (and the parse fails,
 * naming that character's column) past EXPR_MAX_DEPTH. */
static bool
enter(struct parser *p, const char *what)
{
	char msg[96];

	if (p->depth >= EXPR_MAX_DEPTH) {
		snprintf(msg, sizeof msg, "%s nested too deeply (at most %d)", what,
		    EXPR_MAX_DEPTH);
		p->s--;
		fail(p, msg);
		return false;
	}
	p->depth++;
	return true;
}

static int
parse_minmax(struct parser *p, enum node_kind kind)
{
	/* min(tasks, cores): the cores a lab's threads can use */
	int a, b;

	if (!enter(p, "parentheses"))
		return 0;
	a = parse_sum(p);
	if (!accept(p, ","))
		return fail(p, "',' expected between min's or max's two values");
	b = parse_sum(p);
	if (!accept(p, ")"))
		return fail(p, "')' expected");
	p->depth--;
	return node(p, kind, a, b);
}

static int
parse_unary(struct parser *p)
{
	char name[EXPR_NAME_LEN];
	int i;

	skip_space(p);
	if (p->failed)
		return 0;
	if (accept(p, "-")) {
		if (!enter(p, "signs"))
			return 0;
		i = parse_unary(p);
		p->depth--;
		return node(p, N_NEG, i, 0);
	}
	if (accept(p, "(")) {
		if (!enter(p, "parentheses"))
			return 0;
		i = parse_sum(p);
		if (!accept(p, ")"))
			return fail(p, "')' expected");
		p->depth--;
		return i;
	}
	if (p->s < p->end && (isdigit((unsigned char)*p->s) || *p->s == '.')) {
		char *end;
		double v = strtod(p->s, &end);

		if (end > p->end || end == p->s)
			return fail(p, "bad number");
		p->s = end;
		i = node(p, N_NUM, 0, 0);
		if (i > 0)
			p->e->nodes[i].num = v;
		return i;
	}
	if (!read_name(p, name))
		return fail(p, "a number, a name or '(' expected");
	if ((strcmp(name, "min") == 0 || strcmp(name, "max") == 0) && accept(p, "("))
		return parse_minmax(p, name[1] == 'i' ? N_MIN : N_MAX);
	i = node(p, N_REF, 0, 0);
	if (i == 0)
		return 0;
	if (p->s < p->end && *p->s == '.') {
		p->s++;
		util_strlcpy(p->e->nodes[i].run, name, EXPR_NAME_LEN);
		if (!read_name(p, p->e->nodes[i].field))
			return fail(p, "a figure name expected after '.'");
	} else {
		util_strlcpy(p->e->nodes[i].field, name, EXPR_NAME_LEN);
	}
	return i;
}

static int
parse_product(struct parser *p)
{
	int left = parse_unary(p);

	for (;;) {
		if (accept(p, "*"))
			left = node(p, N_MUL, left, parse_unary(p));
		else if (accept(p, "/"))
			left = node(p, N_DIV, left, parse_unary(p));
		else
			return left;
	}
}

static int
parse_sum(struct parser *p)
{
	int left = parse_product(p);

	for (;;) {
		if (accept(p, "+"))
			left = node(p, N_ADD, left, parse_product(p));
		else if (accept(p, "-"))
			left = node(p, N_SUB, left, parse_product(p));
		else
			return left;
	}
}

static int
parse_compare(struct parser *p)
{
	static const struct { const char *op; enum node_kind kind; } ops[] = {
		{ "<=", N_LE }, { ">=", N_GE }, { "==", N_EQ }, { "!=", N_NE },
		{ "<", N_LT }, { ">", N_GT },
	};
	int left = parse_sum(p);

	for (size_t i = 0; i < UTIL_ARRAY_LEN(ops); i++)
		if (accept(p, ops[i].op))
			return node(p, ops[i].kind, left, parse_sum(p));
	return fail(p, "a comparison (< <= > >= == !=) expected");
}

static int
parse_conj(struct parser *p)
{
	int left = parse_compare(p);

	while (accept_word(p, "and"))
		left = node(p, N_AND, left, parse_compare(p));
	return left;
}

struct expr *
expr_parse(const char *text, size_t len, bool condition, char *err, size_t errlen)
{
	struct expr *e = xcalloc(1, sizeof *e);
	struct parser p = { .s = text, .start = text, .end = text + len, .e = e,
	    .err = err, .errlen = errlen };

	e->n = 1;	/* node 0 is "none" */
	if (condition && accept_word(&p, "when")) {
		int guard = parse_conj(&p);

		if (!accept(&p, ":"))
			fail(&p, "':' expected after the when condition");
		e->root = node(&p, N_WHEN, guard, parse_conj(&p));
	} else {
		e->root = condition ? parse_conj(&p) : parse_sum(&p);
	}
	skip_space(&p);
	if (!p.failed && p.s < p.end)
		fail(&p, condition ? "unexpected text after the condition" :
		    "unexpected text after the value");
	if (p.failed) {
		free(e);
		return NULL;
	}
	return e;
}

void
expr_destroy(struct expr *e)
{
	free(e);
}

int
expr_each_ref(const struct expr *e, expr_ref_fn fn, void *arg)
{
	/* Nodes are created operands first, so index order is reading order
	 * for the figures (each N_REF is made where it is read). */
	for (int i = 1; i < e->n; i++) {
		const struct node *nd = &e->nodes[i];
		int r;

		if (nd->kind != N_REF)
			continue;
		r = fn(nd->run, strlen(nd->run), nd->field, strlen(nd->field), arg);
		if (r != 0)
			return r;
	}
	return 0;
}

static int
each_ref_under(const struct expr *e, int i, expr_ref_fn fn, void *arg)
{
	const struct node *nd = &e->nodes[i];
	int r = 0;

	if (i == 0)
		return 0;
	if (nd->kind == N_REF)
		return fn(nd->run, strlen(nd->run), nd->field, strlen(nd->field), arg);
	if (nd->a != 0)
		r = each_ref_under(e, nd->a, fn, arg);
	if (r == 0 && nd->b != 0)
		r = each_ref_under(e, nd->b, fn, arg);
	return r;
}

int
expr_each_part_ref(const struct expr *e, bool guard, expr_ref_fn fn, void *arg)
{
	const struct node *root = &e->nodes[e->root];

	if (root->kind != N_WHEN)
		return guard ? 0 : each_ref_under(e, e->root, fn, arg);
	return each_ref_under(e, guard ? root->a : root->b, fn, arg);
}

static bool
eval(const struct expr *e, int i, expr_lookup_fn lookup, void *arg, double *out)
{
	const struct node *nd = &e->nodes[i];
	double a, b;

	switch (nd->kind) {
	case N_NUM:
		*out = nd->num;
		return true;
	case N_REF:
		return lookup(nd->run[0] != '\0' ? nd->run : NULL, nd->field, out, arg) &&
		    isfinite(*out);
	case N_NEG:
		if (!eval(e, nd->a, lookup, arg, &a))
			return false;
		*out = -a;
		return true;
	default:
		break;
	}
	if (!eval(e, nd->a, lookup, arg, &a) || !eval(e, nd->b, lookup, arg, &b))
		return false;
	switch (nd->kind) {
	case N_ADD: *out = a + b; return true;
	case N_SUB: *out = a - b; return true;
	case N_MUL: *out = a * b; return true;
	case N_MIN: *out = a < b ? a : b; return true;
	case N_MAX: *out = a > b ? a : b; return true;
	case N_DIV:
		if (b == 0)
			return false;
		*out = a / b;
		return true;
	case N_LT: *out = a < b; return true;
	case N_LE: *out = a <= b; return true;
	case N_GT: *out = a > b; return true;
	case N_GE: *out = a >= b; return true;
	case N_EQ: *out = a == b; return true;
	case N_NE: *out = a != b; return true;
	default: return false;
	}
}

bool
expr_value(const struct expr *e, expr_lookup_fn lookup, void *arg, double *out)
{
	return eval(e, e->root, lookup, arg, out);
}

/* A conjunction: failed as soon as one part fails, unknown if a part is. */
static enum expr_verdict
judge(const struct expr *e, int i, expr_lookup_fn lookup, void *arg)
{
	const struct node *nd = &e->nodes[i];
	double v;

	if (nd->kind == N_AND) {
		enum expr_verdict a = judge(e, nd->a, lookup, arg);
		enum expr_verdict b = judge(e, nd->b, lookup, arg);

		if (a == EXPR_FAILED || b == EXPR_FAILED)
			return EXPR_FAILED;
		return a == EXPR_HELD && b == EXPR_HELD ? EXPR_HELD : EXPR_UNKNOWN;
	}
	if (!eval(e, i, lookup, arg, &v))
		return EXPR_UNKNOWN;
	return v != 0 ? EXPR_HELD : EXPR_FAILED;
}

enum expr_verdict
expr_judge(const struct expr *e, expr_lookup_fn lookup, void *arg)
{
	const struct node *root = &e->nodes[e->root];

	if (root->kind == N_WHEN) {
		enum expr_verdict g = judge(e, root->a, lookup, arg);

		if (g != EXPR_HELD)
			return g == EXPR_FAILED ? EXPR_NOT_APPLICABLE : EXPR_UNKNOWN;
		return judge(e, root->b, lookup, arg);
	}
	return judge(e, e->root, lookup, arg);
}

/* The power of node i; *number when it is a bare number (no unit of its
 * own: 2 * x_s is a time, x_s + 0.5 one too). */
static int
dimension(const struct expr *e, int i, expr_dim_fn dim, void *arg, bool *number)
{
	const struct node *nd = &e->nodes[i];
	bool na = false, nb = false;
	int a, b;

	*number = nd->kind == N_NUM;
	if (nd->kind == N_NUM)
		return 0;
	if (nd->kind == N_REF)
		return dim(nd->run[0] != '\0' ? nd->run : NULL, nd->field, arg);
	a = dimension(e, nd->a, dim, arg, &na);
	if (nd->kind == N_NEG) {
		*number = na;
		return a;
	}
	b = dimension(e, nd->b, dim, arg, &nb);
	if (a == EXPR_DIM_MIXED || b == EXPR_DIM_MIXED)
		return EXPR_DIM_MIXED;
	*number = na && nb;
	switch (nd->kind) {
	case N_MUL: return a + b;
	case N_DIV: return a - b;
	case N_ADD:
	case N_SUB:
	case N_MIN:
	case N_MAX:
		if (na || nb)
			return na ? b : a;
		return a == b ? a : EXPR_DIM_MIXED;
	default: return 0;	/* a comparison: true or false */
	}
}

int
expr_dimension(const struct expr *e, expr_dim_fn dim, void *arg)
{
	bool number;

	return dimension(e, e->root, dim, arg, &number);
}

bool
expr_single_ref(const struct expr *e, const char **field)
{
	const struct node *nd = &e->nodes[e->root];

	if (nd->kind != N_REF)
		return false;
	*field = nd->field;
	return true;
}
