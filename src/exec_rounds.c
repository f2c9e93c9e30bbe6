/*
 * exec_rounds: a lab's extra rounds (`rounds = N`, lab.h).  Once every run
 * has run, the runs its fidelity lines name run N - 1 times more, line by
 * line, each simulated run followed at once by its real twin: a burst of
 * steal or of other programs' load then hits both sides of a comparison
 * alike, and a burst during one round is outvoted by the others.  Each
 * number metric of such a run becomes the median of its rounds; the
 * figures the fidelity lines name keep every round's value as
 * "<metric>_rounds" (the first round first), and "rounds_steal_pct" keeps
 * each round's steal.  The first round's run stays what the timeline, the
 * tasks and the times show: the extra rounds run in a scratch trace that is
 * never drawn (stopping the lab stops it too).  Until its rounds are merged
 * a run stays EXEC_ROUNDS, so that no reader sees its result change.
 */
#include "exec.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

#define ROUNDS_MAX_REFS (LAB_MAX_FIDELITY * 4)

static bool
measured(const struct run_result *res)
{
	return res->finished && !res->skipped && !res->failed && !res->stopped;
}

static bool
named_field(const struct lab_fidelity_ref *refs, int nrefs, int run, const char *key)
{
	for (int i = 0; i < nrefs; i++)
		if (refs[i].run == run && strcmp(refs[i].field, key) == 0)
			return true;
	return false;
}

void
exec_rounds_merge(struct run_result *first, const struct run_result *extra, int nextra,
    const struct lab_fidelity_ref *refs, int nrefs)
{
	int n0 = first->nmetrics, nsteal = 1;
	double steal[LAB_MAX_ROUNDS] = { first->steal_pct };

	for (int i = 0; i < n0; i++) {
		const struct metric *m = &first->metrics[i];
		double v[LAB_MAX_ROUNDS] = { m->value };
		char key[sizeof m->key];
		int nv = 1, dec = m->decimals;

		if (m->kind != METRIC_NUMBER)
			continue;
		for (int k = 0; k < nextra && nv < LAB_MAX_ROUNDS; k++) {
			const struct metric *e = result_get(&extra[k], m->key);

			if (measured(&extra[k]) && e != NULL && e->kind == METRIC_NUMBER)
				v[nv++] = e->value;
		}
		if (nv < 2)
			continue;
		util_strlcpy(key, m->key, sizeof key);
		result_set(first, key, util_median(v, nv), dec);
		if (named_field(refs, nrefs, first->index, key) &&
		    strlen(key) + sizeof "_rounds" <= sizeof key) {
			strcat(key, "_rounds");
			/* written as the figure itself is (json: two more) */
			result_set_array_dec(first, key, v, nv, dec + 2);
		}
	}
	for (int k = 0; k < nextra && nsteal < LAB_MAX_ROUNDS; k++) {
		if (!measured(&extra[k]))
			continue;
		steal[nsteal++] = extra[k].steal_pct;
		/* the figures come from every round: so does the noise */
		first->steal_pct = UTIL_MAX(first->steal_pct, extra[k].steal_pct);
		first->other_load_pct = UTIL_MAX(first->other_load_pct,
		    extra[k].other_load_pct);
	}
	if (nsteal > 1)
		result_set_array_dec(first, "rounds_steal_pct", steal, nsteal, 1);
}

/* The runs to measure again: those the fidelity lines name that were
 * measured in the first round, in the lines' order. */
static int
rounds_runs(const struct exec_runner *r, const struct lab_fidelity_ref *refs, int nrefs,
    int *runs)
{
	int n = 0;

	for (int i = 0; i < nrefs; i++) {
		bool have = false;

		for (int j = 0; j < n; j++)
			have |= runs[j] == refs[i].run;
		if (!have && measured(&r->results[refs[i].run]))
			runs[n++] = refs[i].run;
	}
	return n;
}

void
exec_rounds(struct exec_runner *r)
{
	struct lab_fidelity_ref refs[ROUNDS_MAX_REFS];
	int nrefs = lab_fidelity_refs(r->lab, refs, ROUNDS_MAX_REFS), runs[LAB_MAX_RUNS];
	int nruns = rounds_runs(r, refs, nrefs, runs), extra = r->lab->rounds - 1;
	struct run_result *res;
	struct exec_env env;
	char err[256];

	if (extra < 1 || nruns == 0)
		return;
	if (r->scratch == NULL && (r->scratch = trace_create(err, sizeof err)) == NULL)
		return;	/* no memory for it: the first round's figures stand */
	trace_link_stop(r->env->tr, r->scratch);
	env = *r->env;
	env.tr = r->scratch;
	res = xcalloc((size_t)(nruns * extra), sizeof *res);
	for (int k = 0; k < extra; k++) {
		at_store_relaxed(&r->round, k + 2);
		for (int j = 0; j < nruns; j++) {
			trace_reset(r->scratch);
			if (trace_stopping(r->env->tr))
				goto out;
			exec_run(&env, &r->lab->runs[runs[j]], runs[j], &res[j * extra + k]);
		}
	}
	/* still EXEC_ROUNDS: no reader holds these results yet */
	for (int j = 0; j < nruns; j++)
		exec_rounds_merge(&r->results[runs[j]], &res[j * extra], extra, refs, nrefs);
out:
	for (int i = 0; i < nruns * extra; i++)
		result_clear(&res[i]);
	free(res);
	at_store_relaxed(&r->round, 0);
}

bool
exec_rounds_for(const struct lab *lab, int i)
{
	struct lab_fidelity_ref refs[ROUNDS_MAX_REFS];
	int n;

	if (lab->rounds < 2)
		return false;
	n = lab_fidelity_refs(lab, refs, ROUNDS_MAX_REFS);
	for (int k = 0; k < n; k++)
		if (refs[k].run == i)
			return true;
	return false;
}

void
exec_rounds_clear(struct exec_runner *r)
{
	if (r->scratch == NULL)
		return;
	trace_link_stop(r->env->tr, NULL);
	trace_destroy(r->scratch);
	r->scratch = NULL;
}
