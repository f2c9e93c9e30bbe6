/*
 * result: the metric list of a run.
 */
#include "result.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static struct metric *
result_slot(struct run_result *r, const char *key)
{
	struct metric *m;

	for (int i = 0; i < r->nmetrics; i++)
		if (strcmp(r->metrics[i].key, key) == 0) {
			m = &r->metrics[i];
			free(m->values);
			free(m->json);
			memset(m, 0, sizeof *m);
			util_strlcpy(m->key, key, sizeof m->key);
			return m;
		}
	if (r->nmetrics >= RESULT_MAX_METRICS)
		return NULL;
	m = &r->metrics[r->nmetrics++];
	memset(m, 0, sizeof *m);
	util_strlcpy(m->key, key, sizeof m->key);
	return m;
}

void
result_set(struct run_result *r, const char *key, double value, int decimals)
{
	struct metric *m = result_slot(r, key);

	if (m == NULL)
		return;
	m->kind = METRIC_NUMBER;
	m->value = value;
	m->decimals = decimals;
}

void
result_set_array(struct run_result *r, const char *key, const double *v, int n)
{
	result_set_array_dec(r, key, v, n, 0);
}

void
result_set_array_dec(struct run_result *r, const char *key, const double *v, int n,
    int decimals)
{
	struct metric *m = result_slot(r, key);

	if (m == NULL)
		return;
	m->kind = METRIC_ARRAY;
	m->values = xcalloc((size_t)(n > 0 ? n : 1), sizeof *m->values);
	if (n > 0)
		memcpy(m->values, v, (size_t)n * sizeof *v);
	m->nvalues = n;
	m->decimals = decimals;
}

void
result_set_json(struct run_result *r, const char *key, const char *json)
{
	struct metric *m = result_slot(r, key);

	if (m == NULL)
		return;
	m->kind = METRIC_JSON;
	m->json = xstrdup(json);
}

const struct metric *
result_get(const struct run_result *r, const char *key)
{
	for (int i = 0; i < r->nmetrics; i++)
		if (strcmp(r->metrics[i].key, key) == 0)
			return &r->metrics[i];
	return NULL;
}

void
result_clear(struct run_result *r)
{
	for (int i = 0; i < r->nmetrics; i++) {
		free(r->metrics[i].values);
		free(r->metrics[i].json);
	}
	memset(r, 0, sizeof *r);
}
