/* libFuzzer target: the expression language of a lab's expect, headline and
 * explain lines, alone (the lab target reaches it only through a valid lab
 * file).  The first byte chooses a condition or a value; a parsed
 * expression is walked, judged and given its dimension. */
#include "expr.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every figure is 2 except a bare "zero" (division by zero) and runs named
 * "missing" (a figure a run did not report). */
static bool
lookup(const char *run, const char *field, double *out, void *arg)
{
	(void)arg;
	if (run != NULL && strcmp(run, "missing") == 0)
		return false;
	*out = run == NULL && strcmp(field, "zero") == 0 ? 0 : 2;
	return true;
}

static int
count_ref(const char *run, size_t runlen, const char *field, size_t fieldlen,
    void *arg)
{
	(void)run;
	(void)field;
	if (fieldlen == 0 || (run == NULL && runlen != 0))
		__builtin_trap();	/* a figure always has a name */
	(*(int *)arg)++;
	return 0;
}

static int
dim(const char *run, const char *field, void *arg)
{
	(void)arg;
	(void)run;
	return field[strlen(field) - 1] == 's' ? 1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct expr *e;
	const char *field;
	char *text;
	bool condition;
	double v;
	int n = 0;

	if (size == 0)
		return 0;
	condition = data[0] & 1;
	/* lab lines reach the parser as NUL-terminated strings */
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	err[0] = '\0';
	e = expr_parse(text, strlen(text), condition, err, sizeof err);
	if (e == NULL) {
		if (strstr(err, "at column ") == NULL)
			__builtin_trap();	/* every error says where */
		free(text);
		return 0;
	}
	expr_each_ref(e, count_ref, &n);
	expr_each_part_ref(e, true, count_ref, &n);
	expr_dimension(e, dim, NULL);
	expr_single_ref(e, &field);
	if (condition)
		expr_judge(e, lookup, NULL);
	else
		expr_value(e, lookup, NULL, &v);
	expr_destroy(e);
	free(text);
	return 0;
}
