/*
 * verdict: a lab's headline figures filled in from its runs, and its
 * expectations judged against them -- did this run show the lesson, and if
 * not, which part did not show and the likely cause (one core, the settings
 * chosen, other load).  The text report, the JSON report and the lab screen
 * all take their first lines from here.
 */
#ifndef CONCLAB_VERDICT_H
#define CONCLAB_VERDICT_H

#include "expr.h"
#include "json.h"
#include "report.h"

#include <stdbool.h>
#include <stdio.h>

#define VERDICT_WHY_LEN 240
/* The mark of a headline whose figures miss the lesson (a failed
 * expectation reads them): on the lab screen in place of its bullet, and
 * named in the verdict.  One glyph in UTF-8 and ASCII, and none the
 * screen uses for anything else (it was the timeline's failed glyph). */
#define VERDICT_OFF_MARK '!'
/* The mark of a headline whose figures only a side figure that failed
 * reads (lab->expect_side): the lesson showed, but this number is off
 * (walk 6 G4: such a headline kept the plain bullet while the strip
 * counted its figure among the parts not shown). */
#define VERDICT_SIDE_MARK '?'

/* How a headline is marked: by the figures it shows that an expectation
 * which failed reads (the lesson's first). */
enum verdict_mark {
	VERDICT_MARK_NONE = 0,
	VERDICT_MARK_LESSON,	/* VERDICT_OFF_MARK */
	VERDICT_MARK_SIDE	/* VERDICT_SIDE_MARK */
};

struct verdict {
	int n;				/* the lab's expectations */
	int held, failed, unknown, not_applicable;
	enum expr_verdict v[LAB_MAX_EXPECTS];
	/* per expectation: the figures when judged, what is missing when not */
	char why[LAB_MAX_EXPECTS][VERDICT_WHY_LEN];
	/* per expectation: not applicable because its `when` guard names a
	 * run's figure that says the run is of another kind (a free-threaded
	 * CPython: `when cpython.gil_enabled == 1: ...`) */
	bool other_kind[LAB_MAX_EXPECTS];
	char settings[160];		/* settings that differ from the lab file, "" none */
	/* of those, the ones that may explain a failed expectation: a number
	 * or choice of a run whose figures it names, unless the condition
	 * reads that setting itself (it then allows for it), and slow motion
	 * when slow_bears; never a text (an interpreter's path picks the
	 * program) */
	char cause_settings[160];
	/* a failed expectation does not allow for the cores itself: one core
	 * (--cpus) may explain it */
	bool one_core_bears;
	/* a failed expectation reads a run with a GIL switch interval and not
	 * that interval itself: slow motion (which stretches it) may explain
	 * it; one that reads the interval allows for it (walk 6 G21) */
	bool slow_bears;
	/* per expectation: its twin on the other side of the fidelity lines
	 * (verdict_twins: the same figures of real CPython for a simulated
	 * one, or the reverse), index + 1, 0 none; and its own side
	 * (LAB_SIDE_SIM or LAB_SIDE_REAL when it has a twin, else 0).  Only a
	 * twin that failed too says the machine hid the lesson from both. */
	int twin[LAB_MAX_EXPECTS];
	int side[LAB_MAX_EXPECTS];
	char cause[768];		/* the likely cause when some failed, else "" */
	char cause_short[200];		/* the same in a few words ("one core (--cpus)") */
	/* the same in fewer: "other load 99 %", "one core (--cpus)" (the
	 * strip), and in a word or two: "other load" (a headline's mark) */
	char cause_brief[128];
	char cause_word[64];
	/* failed expectations that carry the lesson (lab->expect_side false):
	 * with none, the lab showed its lesson, a side figure off at most */
	int lesson_failed;
	/* set by the caller when headlines drawn with VERDICT_OFF_MARK /
	 * VERDICT_SIDE_MARK are on screen: verdict_short puts each glyph
	 * beside its count ("2 parts of the lesson (!); 2 side figures off
	 * (?)"), short enough for the strip's two rows at 80x24 */
	bool mark_lesson, mark_side;
};

/* Judge every expectation of the lab against the runs in info. */
void verdict_judge(const struct report_info *info, struct verdict *out);
/* Headline i with its figures filled in; a figure not (yet) measured reads
 * `missing`, or with missing NULL the headline is NULL.  The caller frees
 * the string. */
char *verdict_headline(const struct report_info *info, int i, const char *missing);
/* The headlines to show, filled in, into out[] (the caller frees each);
 * returns how many.  One whose figures a run did not give (--only, a
 * skipped or failed run) is left out, and note says so in words ("(1
 * headline left out: run threads did not run (--only))", "" when none is);
 * when live, a figure of a run yet to finish reads pending.  With v (may
 * be NULL), one whose figures an expectation that failed reads
 * (verdict_headline_mark) is marked: off[k] set for out[k] (the screen
 * draws the mark's glyph), or with off NULL "(not shown: other load)" or
 * "(a side figure off: other load)" at its end. */
int verdict_headlines(const struct report_info *info, const struct verdict *v, bool live,
    const char *pending, char **out, enum verdict_mark *off, char *note, size_t notelen);
/* Do headline i's measured figures belong to an expectation that failed
 * (one reads a figure the headline shows)?  VERDICT_MARK_LESSON when one of
 * the lesson's did, else VERDICT_MARK_SIDE when a side figure's
 * (lab->expect_side) did.  Its numbers may then contradict the lesson. */
enum verdict_mark verdict_headline_mark(const struct report_info *info,
    const struct verdict *v, int i);
/* verdict_headline_mark is VERDICT_MARK_LESSON. */
bool verdict_headline_off(const struct report_info *info, const struct verdict *v, int i);
/* One sentence: "this run showed the lesson (3 of 3 expectations held)", or
 * which expectation failed, or why none was judged; "" when the lab has no
 * expectations.  Into buf (len bytes). */
void verdict_summary(const struct verdict *v, const struct lab *lab, char *buf,
    size_t len);
/* The same in one short sentence for the lab screen's strip, the count
 * and the likely cause first so that a cut keeps them: "This run showed the
 * lesson (4 of 4 expectations held).", "This run did not show 2 parts of
 * the lesson; 1 side figure off (other load 99 %): MEANING; MEANING;
 * MEANING." or, when only side figures failed,
 * "This run showed the lesson; 1 side figure off (other load 99 %):
 * MEANING." */
void verdict_short(const struct verdict *v, const struct lab *lab, char *buf, size_t len);
/* The settings that differ from the lab file (--set, and slow motion from
 * --slow, the config file's `slow` or the settings panel) as "tasks=8,
 * slow motion x4" into buf; false (and "") when none do. */
bool verdict_settings(const struct report_info *info, char *buf, size_t len);
/* An explanation paragraph that needs the expectations names[0..count)
 * (lab_para_needs): when one of them failed or did not apply, the line that
 * must open the paragraph -- which did not show, its figures, the likely
 * cause -- into buf, and true; false (and "") when all held or were not
 * judged. */
bool verdict_needs_note(const struct verdict *v, const struct lab *lab,
    char names[][LAB_NAME_LEN], int count, char *buf, size_t len);
/* Is the student's prediction judged?  Not when only some runs ran
 * (--only), nor when the settings changed after the prediction was made
 * (info->predict_stale: the question, which shows the settings, asked about
 * other runs); why then says so. */
bool verdict_prediction_judged(const struct report_info *info, char *why, size_t len);
/* Could noise have changed what the expectations say?  False when every
 * expectation held (a noise note would only worry). */
bool verdict_noise_matters(const struct report_info *info, const struct verdict *v);

/* expr_lookup_fn over a report (arg: the report_info): RUN.FIELD of a run
 * that finished, cores, or a parameter of the first run that has it. */
bool verdict_lookup(const char *run, const char *field, double *out, void *arg);
/* A failed expectation e: into v the settings that may explain it
 * (cause_settings) and whether one core may (one_core_bears). */
void verdict_cause_of(const struct report_info *info, struct verdict *v,
    const struct expr *e);
/* Each expectation's twin and side into v (twin, side). */
void verdict_twins(const struct lab *lab, struct verdict *v);
/* With the failed expectations' causes gathered: v's cause in a sentence,
 * a few words and a word (cause, cause_short, cause_brief, cause_word). */
void verdict_likely_cause(const struct report_info *info, struct verdict *v);
/* The text report's opening: headlines, then the verdict and its cause. */
void verdict_text(FILE *f, const struct report_info *info, const struct verdict *v);
/* The report's detail: each expectation's condition, held or not, and its
 * figures. */
void verdict_detail(FILE *f, const struct lab *lab, const struct verdict *v);
/* The JSON keys "headline" and "expectations" (inside the top object). */
void verdict_json(struct json *j, const struct report_info *info, const struct verdict *v);

#endif
