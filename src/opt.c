/*
 * opt: the table-driven option parser (see opt.h).
 */
#include "opt.h"

#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool
opt_int(const char *s, long lo, long hi, int *out)
{
	int64_t v;

	if (!util_parse_i64(s, &v) || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

bool
opt_double(const char *s, double lo, double hi, bool lo_open, double *out)
{
	double v;

	if (!util_parse_double(s, &v) || v < lo || v > hi || (lo_open && v <= lo))
		return false;
	*out = v;
	return true;
}

/* "see conclab serve --help" for cmd. */
static const char *
opt_see(const struct opt_cmd *cmd, char *buf, size_t len)
{
	snprintf(buf, len, "see conclab %s%s--help", cmd->name ? cmd->name : "",
	    cmd->name ? " " : "");
	return buf;
}

static const struct opt *
opt_find(const struct opt_cmd *cmd, const char *name, size_t len)
{
	for (const struct opt *o = cmd->opts; o->name != NULL; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

/* The index of v in "a|b|c", -1 if none. */
static int
opt_choice(const char *choices, const char *v)
{
	size_t vlen = strlen(v);
	int i = 0;

	for (const char *p = choices;; i++) {
		const char *bar = strchr(p, '|');
		size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);

		if (len == vlen && strncmp(p, v, len) == 0)
			return i;
		if (bar == NULL)
			return -1;
		p = bar + 1;
	}
}

/* Print a number of a range as "%g" would, but integers without exponent. */
static void
opt_num(char *buf, size_t len, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%g", v);
}

/* Store value v of option o; 0, or -1 with the message. */
static int
opt_store(const struct opt *o, const char *v, char *err, size_t errlen)
{
	char lo[32], hi[32];

	opt_num(lo, sizeof lo, o->lo);
	opt_num(hi, sizeof hi, o->hi);
	switch (o->type) {
	case OPT_FLAG:
		*(bool *)o->out = true;
		return 0;
	case OPT_INT:
		if (opt_int(v, (long)o->lo, (long)o->hi, o->out))
			return 0;
		util_err(err, errlen, "--%s must be %s..%s, not '%s'", o->name, lo, hi, v);
		return -1;
	case OPT_DOUBLE:
		if (opt_double(v, o->lo, o->hi, o->lo_open, o->out))
			return 0;
		if (o->lo_open)
			util_err(err, errlen, "--%s must be a number above %s and at most "
			    "%s, not '%s'", o->name, lo, hi, v);
		else
			util_err(err, errlen, "--%s must be a number from %s to %s, not "
			    "'%s'", o->name, lo, hi, v);
		return -1;
	case OPT_STRING:
		*(const char **)o->out = v;
		return 0;
	case OPT_CHOICE: {
		int i = opt_choice(o->choices, v);

		if (i >= 0) {
			*(int *)o->out = i;
			return 0;
		}
		util_err(err, errlen, "--%s must be one of %s, not '%s'", o->name,
		    o->choices, v);
		return -1;
	}
	case OPT_LIST:
		if (*o->count >= o->max) {
			util_err(err, errlen, "too many --%s options (at most %d)", o->name,
			    o->max);
			return -1;
		}
		((const char **)o->out)[(*o->count)++] = v;
		return 0;
	}
	return -1;
}

/* One "--name[=value]" at argv[*i]; 0, or -1 with the message. */
static int
opt_long(const struct opt_cmd *cmd, int argc, char **argv, int *i, char *err,
    size_t errlen)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '='), *v;
	size_t len = eq != NULL ? (size_t)(eq - a) : strlen(a);
	const struct opt *o = opt_find(cmd, a, len);
	char see[64];

	opt_see(cmd, see, sizeof see);
	if (o == NULL) {
		util_err(err, errlen, "unknown %s%soption '%s' (%s)", cmd->name ?
		    cmd->name : "", cmd->name ? " " : "", argv[*i], see);
		return -1;
	}
	if (o->type == OPT_FLAG) {
		if (eq != NULL) {
			util_err(err, errlen, "--%s takes no value (%s)", o->name, see);
			return -1;
		}
		return opt_store(o, NULL, err, errlen);
	}
	if (eq != NULL) {
		v = eq + 1;
	} else if (*i + 1 < argc) {
		v = argv[++*i];
	} else {
		util_err(err, errlen, "--%s needs a value (%s)", o->name, see);
		return -1;
	}
	return opt_store(o, v, err, errlen);
}

int
opt_parse(const struct opt_cmd *cmd, int argc, char **argv, struct opt_args *out,
    char *err, size_t errlen)
{
	char see[64];

	memset(out, 0, sizeof *out);
	out->rest = argc;
	opt_see(cmd, see, sizeof see);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			out->help = true;
		} else if (strcmp(a, "--") == 0 && cmd->dashdash) {
			out->rest = i + 1;
			return 0;
		} else if (strncmp(a, "--", 2) == 0 && a[2] != '\0') {
			if (opt_long(cmd, argc, argv, &i, err, errlen) < 0)
				return -1;
		} else if (a[0] == '-' && a[1] != '\0') {
			util_err(err, errlen, "unknown %s%soption '%s' (%s)", cmd->name ?
			    cmd->name : "", cmd->name ? " " : "", a, see);
			return -1;
		} else if (out->npos < cmd->max_pos && out->npos < OPT_MAX_POS) {
			out->pos[out->npos++] = argv[i];
		} else {
			util_err(err, errlen, "unexpected argument '%s' (%s)", a, see);
			return -1;
		}
	}
	return 0;
}

void
opt_parse_or_exit(const struct opt_cmd *cmd, int argc, char **argv,
    struct opt_args *out, opt_usage_fn usage)
{
	char err[512];

	if (opt_parse(cmd, argc, argv, out, err, sizeof err) < 0)
		die(2, "%s", err);
	if (out->help) {
		usage(cmd, stdout);
		exit(0);
	}
}

void
opt_usage(const struct opt_cmd *cmd, FILE *f)
{
	for (const struct opt *o = cmd->opts; o->name != NULL; o++) {
		char left[48];

		snprintf(left, sizeof left, "--%s%s%s", o->name, o->type == OPT_FLAG ?
		    "" : " ", o->type == OPT_FLAG ? "" : o->metavar != NULL ?
		    o->metavar : o->type == OPT_CHOICE ? "NAME" : "VALUE");
		fprintf(f, "  %-22s %s\n", left, o->help != NULL ? o->help : "");
	}
}
