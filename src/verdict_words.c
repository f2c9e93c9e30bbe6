/*
 * verdict_words: the verdict in words -- the reader's sentences, the
 * strip's one (the count and the likely cause before the list, so that a
 * cut at 80 columns keeps what failed and why), and which headlines an
 * expectation that failed bears on (their numbers may contradict the
 * lesson, so they are marked).  A lab's `lesson` line names the
 * expectations that carry its lesson; another that fails is a side figure
 * off, said as such, and the lab still showed its lesson.
 */
#include "verdict.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The meanings (or conditions) of the failed expectations, the lesson's
 * (side false) or the side figures', "; " between them, each with its
 * figures when why; *k counts what buf has so far. */
static void
failed_list(const struct verdict *v, const struct lab *lab, bool side, bool why, char *buf,
    size_t len, int *k)
{
	for (int i = 0; i < v->n; i++) {
		const char *meaning;
		size_t n = lab_expect_split(lab->expects[i], &meaning);

		if (v->v[i] != EXPR_FAILED || lab->expect_side[i] != side)
			continue;
		util_appendf(buf, len, "%s%.*s", (*k)++ ? "; " : "",
		    meaning != NULL ? (int)strlen(meaning) : (int)n,
		    meaning != NULL ? meaning : lab->expects[i]);
		if (why)
			util_appendf(buf, len, " (%s)", v->why[i]);
	}
}

void
verdict_summary(const struct verdict *v, const struct lab *lab, char *buf, size_t len)
{
	int judged = v->held + v->failed, k = 0, core = 0;

	buf[0] = '\0';
	if (v->n == 0)
		return;
	for (int i = 0; i < v->n; i++)
		core += v->v[i] == EXPR_HELD && !lab->expect_side[i];
	if (v->lesson_failed > 0) {
		/* in words, with the figures; the conditions are in the detail */
		util_appendf(buf, len, "This run did not show all of the lesson. Not shown: ");
		failed_list(v, lab, false, true, buf, len, &k);
		failed_list(v, lab, true, true, buf, len, &k);
		util_appendf(buf, len, ". Likely cause: %s.", v->cause);
	} else if (v->failed > 0) {
		util_appendf(buf, len, "This run showed the lesson (the %s that carr%s it "
		    "held). A side figure was off: ", core == 1 ? "expectation" : "expectations",
		    core == 1 ? "ies" : "y");
		failed_list(v, lab, true, true, buf, len, &k);
		util_appendf(buf, len, ". Likely cause: %s.", v->cause);
	} else if (judged == 0) {
		util_appendf(buf, len, "The lesson was not judged: ");
		for (int i = 0; i < v->n; i++)
			if (v->v[i] == EXPR_UNKNOWN && strstr(buf, v->why[i]) == NULL)
				util_appendf(buf, len, "%s%s", k++ ? "; " : "", v->why[i]);
		if (v->unknown == 0)
			util_appendf(buf, len, "no expectation applies here");
		util_appendf(buf, len, ".");
	} else {
		util_appendf(buf, len, "This run showed the lesson (%d of %d expectation%s held",
		    v->held, judged, judged == 1 ? "" : "s");
		if (v->unknown > 0)
			util_appendf(buf, len, "; %d not judged: a run did not run", v->unknown);
		util_appendf(buf, len, ").");
	}
}

void
verdict_short(const struct verdict *v, const struct lab *lab, char *buf, size_t len)
{
	int judged = v->held + v->failed, k = 0, side = v->failed - v->lesson_failed;

	buf[0] = '\0';
	if (v->n == 0)
		return;
	if (v->lesson_failed > 0) {
		/* "2 parts of the lesson; 2 side figures off (other load 99 %)"
		 * first: at 80x24 the list is cut; the lesson's parts and the
		 * side figures counted apart, as their marks are (walk 6 G4) */
		if (v->lesson_failed == 1)
			util_appendf(buf, len, "This run did not show one part of the lesson");
		else
			util_appendf(buf, len, "This run did not show %d parts of the lesson",
			    v->lesson_failed);
		if (v->mark_lesson)
			util_appendf(buf, len, " (%c)", VERDICT_OFF_MARK);
		if (side == 1)
			util_appendf(buf, len, "; one side figure off");
		else if (side > 1)
			util_appendf(buf, len, "; %d side figures off", side);
		if (side > 0 && v->mark_side)
			util_appendf(buf, len, " (%c)", VERDICT_SIDE_MARK);
		util_appendf(buf, len, " (%s): ", v->cause_brief);
		failed_list(v, lab, false, false, buf, len, &k);
		failed_list(v, lab, true, false, buf, len, &k);
		util_appendf(buf, len, ".");
	} else if (side > 0) {
		char mark[8] = "";

		if (v->mark_side)
			snprintf(mark, sizeof mark, " (%c)", VERDICT_SIDE_MARK);
		if (side == 1)
			util_appendf(buf, len, "This run showed the lesson; a side figure was "
			    "off%s (%s): ", mark, v->cause_brief);
		else
			util_appendf(buf, len, "This run showed the lesson; %d side figures were "
			    "off%s (%s): ", side, mark, v->cause_brief);
		failed_list(v, lab, true, false, buf, len, &k);
		util_appendf(buf, len, ".");
	} else if (judged == 0) {
		util_appendf(buf, len, "The lesson was not judged: %s.",
		    v->unknown > 0 ? "a run it needs did not run" : "no expectation applies here");
	} else {
		util_appendf(buf, len, "This run showed the lesson (%d of %d expectation%s held).",
		    v->held, judged, judged == 1 ? "" : "s");
	}
}

/* The measured figures a headline shows: RUN.FIELD, a run's parameter
 * ({fixed.tasks}) and {cores} left out -- they are settings, not
 * measurements. */
struct figures {
	const struct lab *lab;
	char ref[48][2 * LAB_NAME_LEN + 2];
	/* the figure is a placeholder of its own ({fib-threads.wall_s}), not
	 * only a part of a computed one ({fib-gil.wall_s / fib-threads.wall_s}) */
	bool bare[48];
	int n;
	bool found;
};

static bool
is_setting(const struct lab *lab, const char *run, size_t rl, const char *field, size_t fl)
{
	char name[LAB_NAME_LEN], key[64];
	const struct lab_run *r;
	int64_t v;

	if (run == NULL || rl == 0 || rl >= sizeof name || fl >= sizeof key)
		return true;
	memcpy(name, run, rl);
	name[rl] = '\0';
	memcpy(key, field, fl);
	key[fl] = '\0';
	r = lab_run_find((struct lab *)lab, name);
	return r == NULL || lab_value_find(r, key, &v);
}

static int
add_figure(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	struct figures *f = arg;

	if (f->n < (int)UTIL_ARRAY_LEN(f->ref) && !is_setting(f->lab, run, rl, field, fl))
		snprintf(f->ref[f->n++], sizeof f->ref[0], "%.*s.%.*s", (int)rl, run, (int)fl,
		    field);
	return 0;
}

/* Index of ref among f's figures, or -1. */
static int
figure_index(const struct figures *f, const char *ref)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->ref[i], ref) == 0)
			return i;
	return -1;
}

/* The headlines' figures, and the one being marked. */
struct mark_arg {
	const struct figures *f;	/* one per headline */
	int nh, h;
};

/* expr_ref_fn: 1 when headline h shows the figure as it should be marked:
 * a placeholder of its own, or inside a computed one when no other
 * headline shows it on its own (walk 7 H7: "Under the GIL: ..., 1.50
 * times the C threads' time" was marked "?" for the C threads' wall time,
 * which the first headline shows and is marked for). */
static int
find_figure(const char *run, size_t rl, const char *field, size_t fl, void *arg)
{
	const struct mark_arg *m = arg;
	const struct figures *own = &m->f[m->h];
	char ref[2 * LAB_NAME_LEN + 2];
	int k;

	if (is_setting(own->lab, run, rl, field, fl))
		return 0;
	snprintf(ref, sizeof ref, "%.*s.%.*s", (int)rl, run, (int)fl, field);
	if ((k = figure_index(own, ref)) < 0)
		return 0;
	if (own->bare[k])
		return 1;
	for (int o = 0; o < m->nh; o++) {
		int j = o != m->h ? figure_index(&m->f[o], ref) : -1;

		if (j >= 0 && m->f[o].bare[j])
			return 0;
	}
	return 1;
}

/* Each {VALUE} of a headline parsed as an expression (a filter such as
 * |word left out), its figures into f. */
static void
headline_figures(const char *s, struct figures *f)
{
	for (const char *open; (open = strchr(s, '{')) != NULL; s = open + 1) {
		const char *close = strchr(open, '}'), *a, *z;
		char err[128];
		int cap, before = f->n;
		size_t len;
		struct expr *e;

		if (close == NULL)
			return;
		len = lab_word_filter(open + 1, (size_t)(close - open - 1), &cap);
		e = expr_parse(open + 1, len, false, err, sizeof err);
		if (e != NULL)
			expr_each_ref(e, add_figure, f);
		expr_destroy(e);
		/* {RUN.FIELD} alone, white space aside */
		for (a = open + 1, z = open + 1 + len; a < z && *a == ' '; a++)
			;
		while (z > a && z[-1] == ' ')
			z--;
		if (f->n == before + 1 && strlen(f->ref[before]) == (size_t)(z - a) &&
		    strncmp(f->ref[before], a, (size_t)(z - a)) == 0)
			f->bare[before] = true;
	}
}

enum verdict_mark
verdict_headline_mark(const struct report_info *info, const struct verdict *v, int h)
{
	const struct lab *lab = info->lab;
	enum verdict_mark mark = VERDICT_MARK_NONE;
	struct figures *f;
	struct mark_arg m = { .nh = lab->nheadlines, .h = h };

	if (v->failed == 0 || h < 0 || h >= lab->nheadlines)
		return VERDICT_MARK_NONE;
	f = calloc((size_t)lab->nheadlines, sizeof *f);
	if (f == NULL)
		return VERDICT_MARK_NONE;
	for (int k = 0; k < lab->nheadlines; k++) {
		f[k].lab = lab;
		headline_figures(lab->headlines[k], &f[k]);
	}
	m.f = f;
	for (int i = 0; i < v->n && mark != VERDICT_MARK_LESSON; i++) {
		char err[128];
		const char *meaning;
		struct expr *e;

		/* the lesson's own mark wins over a side figure's */
		if (v->v[i] != EXPR_FAILED || (lab->expect_side[i] && mark != VERDICT_MARK_NONE))
			continue;
		e = expr_parse(lab->expects[i], lab_expect_split(lab->expects[i], &meaning), true,
		    err, sizeof err);
		if (e != NULL && expr_each_ref(e, find_figure, &m) != 0)
			mark = lab->expect_side[i] ? VERDICT_MARK_SIDE : VERDICT_MARK_LESSON;
		expr_destroy(e);
	}
	free(f);
	return mark;
}

bool
verdict_headline_off(const struct report_info *info, const struct verdict *v, int h)
{
	return verdict_headline_mark(info, v, h) == VERDICT_MARK_LESSON;
}
