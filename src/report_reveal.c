/*
 * report_reveal: the lesson the dashboard shows once a lab's runs end -- the
 * reveal ("you said ...; measured: ...") over the lab's explanation with its
 * numbers filled in, and the noise warning at the end.
 */
#include "report.h"

#include "fidelity.h"
#include "fmt.h"
#include "util.h"
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "You said 2 (...) -- right. " or the answer when the student skipped or
 * missed it; "right by the lesson, but " when this run's numbers did not
 * show the lesson (the verdict that follows says what they showed); returns
 * the length written. */
static size_t
reveal_prediction(const struct report_info *info, const struct verdict *v, char *buf,
    size_t len)
{
	const struct lab *lab = info->lab;
	int p = info->predict, r = 0;
	size_t used;
	char why[256] = "";
	char *mine = p > 0 && p <= lab->nchoices ? lab_fill_params(lab, lab->choices[p - 1]) :
	    NULL;
	char *answer = lab->answer > 0 && lab->answer <= lab->nchoices ?
	    lab_fill_params(lab, lab->choices[lab->answer - 1]) : NULL;

	/* Judged on the answer -- unless only some runs ran or the settings
	 * changed after the prediction (the question asked about other runs). */
	if (lab->answer > 0 && mine != NULL && !verdict_prediction_judged(info, why, sizeof why))
		r = snprintf(buf, len, "You said %d (%s) -- not judged: %s. ", p, mine, why);
	else if (lab->answer > 0 && mine != NULL)
		r = snprintf(buf, len, "You said %d (%s) -- %s", p, mine,
		    p != lab->answer ? "not quite. " : v->lesson_failed > 0 ?
		    "right by the lesson, but t" : "right. ");
	else if (lab->answer > 0)
		r = snprintf(buf, len, "You skipped the prediction. ");
	used = r > 0 ? UTIL_MIN((size_t)r, len - 1) : 0;
	if (answer != NULL && p != lab->answer && why[0] == '\0' && used < len) {
		r = snprintf(buf + used, len - used, "The answer is %d (%s). ", lab->answer, answer);
		used += r > 0 ? (size_t)r : 0;
	}
	free(mine);
	free(answer);
	return used;
}

/* "Run NAME was skipped: REASON. " for each skipped run; the length. */
static size_t
reveal_skipped(const struct report_info *info, char *buf, size_t len)
{
	size_t used = 0;
	int r;

	for (int i = 0; i < info->lab->nruns && used < len; i++) {
		const struct run_result *res = &info->results[i];
		size_t n = strlen(res->skipped_reason);

		if (!res->finished || res->failed || !res->skipped)
			continue;
		r = snprintf(buf + used, len - used, "Run %s was skipped: %s%s ",
		    info->lab->runs[i].name, res->skipped_reason,
		    n > 0 && res->skipped_reason[n - 1] == '.' ? "" : ".");
		used += r > 0 ? (size_t)r : 0;
	}
	return used < len ? used : len - 1;
}

/* After "right by the lesson, but t" the verdict's "This run did not
 * show ..." goes on as "this run did not show ...": drop its T. */
static void
right_but(char *buf, size_t at)
{
	if (at > 0 && buf[at - 1] == 't' && buf[at] == 'T')
		memmove(buf + at, buf + at + 1, strlen(buf + at + 1) + 1);
}

void
report_reveal(const struct report_info *info, bool noisy, char *buf, size_t len)
{
	const struct lab *lab = info->lab;
	size_t used, mstart;
	int r, nshown = 0;

	buf[0] = '\0';
	/* the prediction is in the lesson's opening; a skipped run is said in
	 * a sentence of its own, before the figures */
	used = reveal_skipped(info, buf, len);
	mstart = used;
	for (int i = 0; i < lab->nruns && used < len; i++) {
		const struct run_result *res = &info->results[i];
		char wall[FMT_NUM_LEN];

		if (!res->finished || res->failed)
			continue;
		nshown++;
		if (res->skipped)	/* said before the figures: it measured nothing */
			continue;
		fmt_time(wall, sizeof wall, res->wall_s, info->ascii);
		r = snprintf(buf + used, len - used, "%s%s %s", used > mstart ? ", " :
		    "Measured: ", lab->runs[i].name, wall);
		used += r > 0 ? (size_t)r : 0;
	}
	/* Every run finished: the lab's own line replaces the wall times. */
	if (lab->measured != NULL && nshown == lab->nruns && mstart < len &&
	    report_refs_ready(info, lab->measured)) {
		char *m = report_explain(info, lab->measured);

		r = snprintf(buf + mstart, len - mstart, "Measured: %s", m);
		used = mstart + (r > 0 ? (size_t)r : 0);
		free(m);
	}
	if (used > mstart && used < len) {
		r = snprintf(buf + used, len - used, " on %d core%s%s -- because:", info->ncpus,
		    info->ncpus == 1 ? "" : "s", noisy ? " (a noisy run: see the end)" : "");
		used += r > 0 ? (size_t)r : 0;
	}
	if (used >= len)
		buf[len - 1] = '\0';
}

char *
report_lesson(const struct report_info *info)
{
	char reveal[1024], note[320] = "", verdict[3072] = "";
	double steal, other;
	const char *warn = NULL;
	char *text, *out, *fid;
	size_t len;
	struct verdict v;

	/* The reveal opens with whether this run showed the lesson; the noise
	 * warning only when noise could have changed that, at the lesson's end
	 * so that its first lines stay on the first page. */
	verdict_judge(info, &v);
	{
		/* The opening: the prediction judged, then the verdict in words, one
		 * line that the lab screen leaves out (its strip says it). */
		size_t p = reveal_prediction(info, &v, verdict, sizeof verdict);

		verdict_summary(&v, info->lab, verdict + p, sizeof verdict - p - 2);
		right_but(verdict, p);
		if (verdict[0] != '\0')
			strcat(verdict, "\n");
	}
	if (verdict_noise_matters(info, &v))
		warn = report_noise(info, &steal, &other);
	if (warn != NULL)
		snprintf(note, sizeof note, "\n\nCareful: %s.", warn);
	report_reveal(info, warn != NULL, reveal, sizeof reveal);
	text = info->lab->explain != NULL ? report_explain(info, info->lab->explain) : NULL;
	fid = fidelity_text(info);
	if (fid != NULL) {
		char *both = xasprintf("%s\n\n%s", text != NULL ? text : "", fid);

		free(text);
		free(fid);
		text = both;
	}
	len = strlen(verdict) + strlen(reveal) + strlen(note) +
	    (text != NULL ? strlen(text) : 0) + 2;
	out = xmalloc(len);
	snprintf(out, len, "%s%s%s%s%s", verdict, reveal,
	    reveal[0] != '\0' && (text != NULL || note[0] != '\0') ? "\n" : "",
	    text != NULL ? text : "", note);
	free(text);
	return out;
}

void
report_strip_verdict(const struct report_info *info, char *buf, size_t len, bool *failed)
{
	const struct lab *lab = info->lab;
	int p = info->predict, r = 0;
	struct verdict v;
	char why[256];

	/* the prediction in a few words: the choice's text is on the reveal */
	verdict_judge(info, &v);
	for (int i = 0; i < lab->nheadlines; i++) {
		/* a headline drawn with a mark: the verdict names it */
		char *h = verdict_headline(info, i, NULL);
		enum verdict_mark m = h != NULL ? verdict_headline_mark(info, &v, i) :
		    VERDICT_MARK_NONE;

		v.mark_lesson |= m == VERDICT_MARK_LESSON;
		v.mark_side |= m == VERDICT_MARK_SIDE;
		free(h);
	}
	if (lab->answer > 0 && p > 0 && p <= lab->nchoices) {
		if (!verdict_prediction_judged(info, why, sizeof why))
			r = snprintf(buf, len, "You said %d -- not judged (%s). ", p,
			    strstr(why, "--only") != NULL ? "--only: some runs not made" :
			    "other settings");
		else if (p == lab->answer)	/* right by the lesson, whatever this run showed */
			r = snprintf(buf, len, "You said %d -- %s", p, v.lesson_failed > 0 ?
			    "right by the lesson, but t" : "right. ");
		else
			r = snprintf(buf, len, "You said %d -- not quite: the answer is %d. ", p,
			    lab->answer);
	} else if (lab->answer > 0) {
		r = snprintf(buf, len, "You skipped the prediction. ");
	}
	if (r >= 0 && (size_t)r < len) {
		verdict_short(&v, lab, buf + r, len - (size_t)r);
		right_but(buf, (size_t)r);
	}
	/* a run that could not run (a missing interpreter): the reader says why */
	for (int i = 0, k = 0; i < lab->nruns; i++)
		if (info->results[i].finished && info->results[i].skipped) {
			size_t u = strlen(buf);

			snprintf(buf + u, len - u, "%s%s", k++ ? ", " : " Skipped: ",
			    lab->runs[i].name);
		}
	if (strstr(buf, " Skipped: ") != NULL && strlen(buf) + 12 < len)
		strcat(buf, " (l: why).");
	*failed = v.lesson_failed > 0;	/* a side figure off: the lesson showed */
}

const char *
report_lesson_body(const struct lab *lab, const char *lesson)
{
	const char *nl;

	if (lesson == NULL || (lab->nexpects == 0 && lab->answer == 0))
		return lesson;
	nl = strchr(lesson, '\n');
	return nl != NULL ? nl + 1 : lesson;
}
