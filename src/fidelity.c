/*
 * fidelity: a lab's fidelity lines evaluated over a report (fidelity.h).
 * The figures come through verdict_lookup, as headlines' do: a run that
 * was skipped (no interpreter) or failed has none, and its line says so.
 */
#include "fidelity.h"

#include "expr.h"
#include "fill.h"
#include "fmt.h"
#include "util.h"
#include "verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool
fidelity_value(const struct report_info *info, const char *text, size_t len, double *out)
{
	char err[128];
	struct expr *e = expr_parse(text, len, false, err, sizeof err);
	bool ok = e != NULL && expr_value(e, verdict_lookup, (void *)info, out);

	expr_destroy(e);
	return ok;
}

/* A run the figure names said its interpreter runs without a GIL. */
static int
no_gil_run(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	char name[96];
	double gil;

	(void)field;
	(void)fl;
	if (rl == 0)
		return 0;
	snprintf(name, sizeof name, "%.*s", (int)rl, run);
	return verdict_lookup(name, "gil_enabled", &gil, arg) && gil == 0;
}

static bool
fidelity_no_gil(const struct report_info *info, const char *text, size_t len)
{
	char err[128];
	struct expr *e = expr_parse(text, len, false, err, sizeof err);
	bool no = e != NULL && expr_each_ref(e, no_gil_run, (void *)info) != 0;

	expr_destroy(e);
	return no;
}

/* A run the figure names has a GIL switch interval, which --slow stretches
 * in the simulation only (a real interpreter keeps its own). */
static int
switched_run(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	const struct report_info *info = arg;
	char name[LAB_NAME_LEN];
	struct lab_run *r;

	(void)field;
	(void)fl;
	if (rl == 0 || rl >= sizeof name)
		return 0;
	memcpy(name, run, rl);
	name[rl] = '\0';
	r = lab_run_find((struct lab *)info->lab, name);
	return r != NULL && lab_param_index(r, "switch_ms") >= 0;
}

static bool
fidelity_slowed(const struct report_info *info, const char *text, size_t len)
{
	char err[128];
	struct expr *e;
	bool slowed;

	if (info->slow <= 1)
		return false;
	e = expr_parse(text, len, false, err, sizeof err);
	slowed = e != NULL && expr_each_ref(e, switched_run, (void *)info) != 0;
	expr_destroy(e);
	return slowed;
}

/* The one figure a side names (run.field), for its rounds. */
struct side_ref {
	char run[LAB_NAME_LEN], field[LAB_NAME_LEN];
	int n;
};

static int
side_ref(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct side_ref *sr = arg;

	if (sr->n++ == 0 && rl < sizeof sr->run && fl < sizeof sr->field) {
		memcpy(sr->run, run, rl);
		sr->run[rl] = '\0';
		memcpy(sr->field, field, fl);
		sr->field[fl] = '\0';
	}
	return 0;
}

/* The "<field>_rounds" values of a side that is one figure: how many (at
 * most max), 0 when it has none. */
static int
side_rounds(const struct report_info *info, const char *text, size_t len, double *v,
    int max)
{
	char err[128], key[64];
	struct expr *e = expr_parse(text, len, false, err, sizeof err);
	struct side_ref sr = { .n = 0 };
	const struct lab_run *run;
	const struct metric *m;
	int n;

	if (e != NULL)
		expr_each_ref(e, side_ref, &sr);
	expr_destroy(e);
	if (sr.n != 1 || (run = lab_run_find((struct lab *)info->lab, sr.run)) == NULL)
		return 0;
	snprintf(key, sizeof key, "%s_rounds", sr.field);
	m = result_get(&info->results[run - info->lab->runs], key);
	if (m == NULL || m->kind != METRIC_ARRAY)
		return 0;
	n = UTIL_MIN(m->nvalues, max);
	memcpy(v, m->values, (size_t)n * sizeof *v);
	return n;
}

/* Both sides measured in rounds, round for round: each round's real /
 * simulated into out->round_ratio. */
static void
fidelity_rounds(const struct report_info *info, const char *sim, size_t sl,
    const char *real, size_t rl, struct fidelity *out)
{
	double s[UTIL_MEDIAN_MAX], r[UTIL_MEDIAN_MAX];
	int ns = side_rounds(info, sim, sl, s, UTIL_MEDIAN_MAX);
	int nr = side_rounds(info, real, rl, r, UTIL_MEDIAN_MAX);

	if (ns < 2 || ns != nr)
		return;
	for (int k = 0; k < ns; k++)
		if (s[k] == 0)
			return;
	for (int k = 0; k < ns; k++)
		out->round_ratio[k] = r[k] / s[k];
	out->rounds = ns;
}

/* Other load this far apart between the runs a line reads (points of
 * the lab's CPUs), or this heavy in all of them, and the ratio compares
 * runs that met another machine. */
#define LOAD_APART_PCT 20.0
#define LOAD_HEAVY_PCT 50.0

/* The runs a line reads (both sides), by index, and the most and least
 * other load among them. */
struct line_load {
	const struct report_info *info;
	int most, least;
};

static int
load_run(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct line_load *ll = arg;
	int i = rl > 0 ? lab_run_index(ll->info->lab, run, rl) : -1;
	const struct run_result *r = i >= 0 ? &ll->info->results[i] : NULL;

	(void)field;
	(void)fl;
	if (r == NULL || !r->finished || !r->noise_known)
		return 0;
	if (ll->most < 0 || r->other_load_pct > ll->info->results[ll->most].other_load_pct)
		ll->most = i;
	if (ll->least < 0 || r->other_load_pct < ll->info->results[ll->least].other_load_pct)
		ll->least = i;
	return 0;
}

/* Into out->load_note: whether the runs behind the line's figures met
 * other load far apart, or heavy in all of them. */
static void
fidelity_load(const struct report_info *info, const char *sim, size_t sl, const char *real,
    size_t rl, struct fidelity *out)
{
	struct line_load ll = { info, -1, -1 };
	const char *side[2] = { sim, real };
	size_t len[2] = { sl, rl };
	double hi, lo;

	out->load_note[0] = '\0';
	for (int k = 0; k < 2; k++) {
		char err[128];
		struct expr *e = expr_parse(side[k], len[k], false, err, sizeof err);

		if (e != NULL)
			expr_each_ref(e, load_run, &ll);
		expr_destroy(e);
	}
	if (ll.most < 0)
		return;
	hi = info->results[ll.most].other_load_pct;
	lo = info->results[ll.least].other_load_pct;
	if (hi - lo >= LOAD_APART_PCT)
		snprintf(out->load_note, sizeof out->load_note, "%s ran beside %.0f %% other "
		    "load, %s %.0f %%", info->lab->runs[ll.most].name, hi,
		    info->lab->runs[ll.least].name, lo);
	else if (lo >= LOAD_HEAVY_PCT)
		snprintf(out->load_note, sizeof out->load_note, "its runs ran beside %.0f %% "
		    "other load or more", lo);
}

bool
fidelity_eval(const struct report_info *info, int i, struct fidelity *out)
{
	const char *line = info->lab->fidelity[i], *sim, *real;
	size_t fl, sl, rl;

	memset(out, 0, sizeof *out);
	out->sim = out->real = NAN;
	if (lab_fidelity_split(line, &fl, &sim, &sl, &real, &rl) < 0)
		return false;
	snprintf(out->figure, sizeof out->figure, "%.*s", (int)fl, line);
	out->have_sim = fidelity_value(info, sim, sl, &out->sim);
	out->have_real = fidelity_value(info, real, rl, &out->real);
	out->real_no_gil = fidelity_no_gil(info, real, rl);
	if (out->real_no_gil) {
		out->have_real = false;
		out->real = NAN;
	}
	out->slowed = fidelity_slowed(info, sim, sl);
	fidelity_load(info, sim, sl, real, rl, out);
	out->ratio = NAN;
	if (out->have_sim && out->have_real && out->sim != 0 && !out->slowed) {
		out->ratio = out->real / out->sim;
		fidelity_rounds(info, sim, sl, real, rl, out);
	}
	return true;
}

static void
fidelity_note(char **out, size_t *len, int *shown, const char *note)
{
	size_t n = strlen(note);

	*out = xrealloc(*out, *len + n + 1);
	memcpy(*out + *len, note, n + 1);
	*len += n;
	(*shown)++;
}

char *
fidelity_text(const struct report_info *info)
{
	size_t cap = 256, len = 0;
	char *out = xmalloc(cap);
	int shown = 0, no_gil = 0, slowed = 0, rounds = 0;

	len = (size_t)snprintf(out, cap, "Real CPython beside the simulation (real / "
	    "simulated):");
	for (int i = 0; i < info->lab->nfidelity; i++) {
		struct fidelity f;
		char s[32], r[32], q[128], line[512];
		int n;

		if (fidelity_eval(info, i, &f) && f.real_no_gil)
			no_gil++;
		if (f.slowed && f.have_sim && f.have_real)
			slowed++;
		if (!f.have_sim || !f.have_real || f.slowed)
			continue;
		rounds = UTIL_MAX(rounds, f.rounds);
		{
			/* each side as the lab's text writes it (a time with its
			 * unit); the ratio in words where there is none */
			const char *line_i = info->lab->fidelity[i], *st, *rt;
			size_t fl, sl, rl;

			lab_fidelity_split(line_i, &fl, &st, &sl, &rt, &rl);
			if (!fill_value(info, st, sl, s, sizeof s))
				fmt_sig3(s, sizeof s, f.sim);
			if (!fill_value(info, rt, rl, r, sizeof r))
				fmt_sig3(r, sizeof r, f.real);
		}
		if (!isnan(f.ratio))
			fmt_sig3(q, sizeof q, f.ratio);
		else
			snprintf(q, sizeof q, f.real == 0 ? "the same" : "no ratio: simulated 0");
		for (int k = 0; k < f.rounds; k++) {	/* each round's own pair */
			char one[FMT_NUM_LEN];

			fmt_sig3(one, sizeof one, f.round_ratio[k]);
			util_appendf(q, sizeof q, "%s%s", k == 0 ? "; round by round " : ", ",
			    one);
		}
		/* a ratio over runs that met another machine says so (walk 5 F16) */
		n = snprintf(line, sizeof line, "\n  %s: simulated %s, real %s (%s%s%s)",
		    f.figure, s, r, q, f.load_note[0] != '\0' ? "; not comparable: " : "",
		    f.load_note);
		if (len + (size_t)n + 1 > cap) {
			cap = (len + (size_t)n + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, line, (size_t)n + 1);
		len += (size_t)n;
		shown++;
	}
	if (no_gil > 0)
		fidelity_note(&out, &len, &shown, "\n  (free-threaded CPython, without a GIL: "
		    "left out beside the simulated GIL)");
	if (rounds > 1) {
		char note[320];

		snprintf(note, sizeof note, "\n  (each figure the median of %d rounds and the "
		    "ratio the two medians', then each round's own: after the first round "
		    "each simulated run was followed at once by its real twin, so that both "
		    "saw the same machine -- the same steal, the same other load)", rounds);
		fidelity_note(&out, &len, &shown, note);
	}
	if (slowed > 0)
		fidelity_note(&out, &len, &shown, "\n  (--slow stretched the simulated switch "
		    "intervals and not CPython's: the figures that depend on them are left "
		    "out)");
	if (shown == 0) {
		free(out);
		return NULL;
	}
	return out;
}

void
fidelity_json(struct json *j, const struct report_info *info)
{
	json_key(j, "fidelity");
	json_array_begin(j);
	for (int i = 0; i < info->lab->nfidelity; i++) {
		struct fidelity f;

		if (!fidelity_eval(info, i, &f))
			continue;
		json_object_begin(j);
		json_key(j, "figure");
		json_string(j, f.figure);
		json_key(j, "simulated");
		if (f.have_sim)
			json_number(j, f.sim, 4);
		else
			json_null(j);
		json_key(j, "real");
		if (f.have_real)
			json_number(j, f.real, 4);
		else
			json_null(j);
		json_key(j, "real_without_gil");
		json_bool(j, f.real_no_gil);
		json_key(j, "simulation_slowed");
		json_bool(j, f.slowed);
		json_key(j, "ratio");	/* real / simulated */
		if (!isnan(f.ratio))
			json_number(j, f.ratio, 3);
		else
			json_null(j);
		if (f.load_note[0] != '\0') {
			json_key(j, "load_note");
			json_string(j, f.load_note);
		}
		if (f.rounds > 1) {
			json_key(j, "rounds");
			json_int(j, f.rounds);
			json_key(j, "round_ratios");	/* each round's real / simulated */
			json_array_begin(j);
			for (int k = 0; k < f.rounds; k++)
				json_number(j, f.round_ratio[k], 3);
			json_array_end(j);
		}
		json_object_end(j);
	}
	json_array_end(j);
}
