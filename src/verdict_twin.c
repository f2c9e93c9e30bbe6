/*
 * verdict_twin: an expectation's twin on the other side of the fidelity
 * lines -- the expectation that reads the same figures of real CPython
 * where this one reads the simulation's (or the reverse).  The fidelity
 * lines pair the figures (gil-alone.short_reqs_per_s ~
 * cpython-alone.short_reqs_per_s); a twin's condition, its guard left
 * out, names exactly the partners of the figures the other names.  Only a
 * twin judged on the same figure can say whether the machine hid a lesson
 * from both sides or one side alone missed it (walk 6 G13).
 */
#include "verdict.h"

#include "util.h"

#include <string.h>

#define TWIN_REF_LEN (2 * LAB_NAME_LEN + 2)
#define TWIN_MAX_REFS 12

/* The figures an expression names, each once, as "RUN.FIELD" (a bare
 * name -- cores, a setting -- as itself). */
struct ref_list {
	int n;
	bool over;		/* more than TWIN_MAX_REFS: not compared */
	char ref[TWIN_MAX_REFS][TWIN_REF_LEN];
};

/* The figure pairs of the fidelity lines, simulated then real. */
struct pairs {
	int n;
	char sim[LAB_MAX_FIDELITY * 4][TWIN_REF_LEN];
	char real[LAB_MAX_FIDELITY * 4][TWIN_REF_LEN];
};

static bool
has_ref(const struct ref_list *l, const char *ref)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->ref[i], ref) == 0)
			return true;
	return false;
}

static int
collect_ref(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct ref_list *l = arg;
	char ref[TWIN_REF_LEN];

	if (rl > 0)
		snprintf(ref, sizeof ref, "%.*s.%.*s", (int)rl, run, (int)fl, field);
	else
		snprintf(ref, sizeof ref, "%.*s", (int)fl, field);
	if (has_ref(l, ref))
		return 0;
	if (l->n >= TWIN_MAX_REFS) {
		l->over = true;
		return 1;
	}
	snprintf(l->ref[l->n++], sizeof l->ref[0], "%s", ref);
	return 0;
}

/* The figures of a fidelity side (an expression), in order. */
static void
side_refs(const char *text, size_t len, struct ref_list *l)
{
	char err[128];
	struct expr *e = expr_parse(text, len, false, err, sizeof err);

	memset(l, 0, sizeof *l);
	if (e != NULL)
		expr_each_ref(e, collect_ref, l);
	expr_destroy(e);
}

/* Each fidelity line whose sides name as many figures pairs them in
 * order (tiny-threads / tiny-pool ~ cpython-tiny-thr / cpython-tiny-pool);
 * one whose sides differ (a wall over a serial wall ~ a slowdown) pairs
 * none. */
static void
fidelity_pairs(const struct lab *lab, struct pairs *p)
{
	memset(p, 0, sizeof *p);
	for (int i = 0; i < lab->nfidelity; i++) {
		const char *sim, *real;
		size_t fl, sl, rl;
		struct ref_list s, r;

		if (lab_fidelity_split(lab->fidelity[i], &fl, &sim, &sl, &real, &rl) < 0)
			continue;
		side_refs(sim, sl, &s);
		side_refs(real, rl, &r);
		if (s.over || r.over || s.n != r.n)
			continue;
		for (int k = 0; k < s.n && p->n < (int)UTIL_ARRAY_LEN(p->sim); k++) {
			snprintf(p->sim[p->n], sizeof p->sim[0], "%s", s.ref[k]);
			snprintf(p->real[p->n], sizeof p->real[0], "%s", r.ref[k]);
			p->n++;
		}
	}
}

/* The figures expectation i's condition reads, its guard left out. */
static bool
expect_refs(const struct lab *lab, int i, struct ref_list *l)
{
	char err[128];
	const char *meaning;
	struct expr *e = expr_parse(lab->expects[i], lab_expect_split(lab->expects[i], &meaning),
	    true, err, sizeof err);

	memset(l, 0, sizeof *l);
	if (e != NULL)
		expr_each_part_ref(e, false, collect_ref, l);
	expr_destroy(e);
	return e != NULL && !l->over && l->n > 0;
}

/* ref's partner on the other side of a fidelity line into out, and its
 * side into *side (LAB_SIDE_*); a bare name is its own, on no side.  False
 * when ref is on no fidelity line. */
static bool
partner(const struct pairs *p, const char *ref, char *out, size_t len, int *side)
{
	if (strchr(ref, '.') == NULL) {
		snprintf(out, len, "%s", ref);
		return true;
	}
	for (int k = 0; k < p->n; k++) {
		if (strcmp(p->sim[k], ref) == 0) {
			snprintf(out, len, "%s", p->real[k]);
			*side |= LAB_SIDE_SIM;
			return true;
		}
		if (strcmp(p->real[k], ref) == 0) {
			snprintf(out, len, "%s", p->sim[k]);
			*side |= LAB_SIDE_REAL;
			return true;
		}
	}
	return false;
}

/* Expectation i's twin (see the top of the file), or -1; *side: the side
 * of i's figures. */
static int
twin_of(const struct lab *lab, const struct pairs *p, int i, int *side)
{
	struct ref_list mine, want, theirs;

	*side = 0;
	if (!expect_refs(lab, i, &mine))
		return -1;
	memset(&want, 0, sizeof want);
	for (int k = 0; k < mine.n; k++) {
		char ref[TWIN_REF_LEN];

		if (!partner(p, mine.ref[k], ref, sizeof ref, side))
			return -1;
		if (!has_ref(&want, ref))
			snprintf(want.ref[want.n++], sizeof want.ref[0], "%s", ref);
	}
	/* figures of both sides (real within 2 times simulated): no twin */
	if (*side != LAB_SIDE_SIM && *side != LAB_SIDE_REAL)
		return -1;
	for (int j = 0; j < lab->nexpects; j++) {
		bool same;

		if (j == i || !expect_refs(lab, j, &theirs) || theirs.n != want.n)
			continue;
		same = true;
		for (int k = 0; k < want.n && same; k++)
			same = has_ref(&theirs, want.ref[k]);
		if (same)
			return j;
	}
	return -1;
}

void
verdict_twins(const struct lab *lab, struct verdict *v)
{
	struct pairs p;

	fidelity_pairs(lab, &p);
	for (int i = 0; i < v->n; i++) {
		int side = 0, j = p.n > 0 ? twin_of(lab, &p, i, &side) : -1;

		v->twin[i] = j + 1;
		v->side[i] = j >= 0 ? side : 0;
	}
}
