/*
 * lab_path: the path's lines from the labs and the progress record
 * (config.h: a lab done, the prediction, bit t of `tried` for try t + 1).
 */
#include "lab_path.h"

#include "util.h"

#include <stdio.h>
#include <string.h>

const char *
lab_path_status(const struct lab *lab, const struct progress *p)
{
	const struct progress_entry *e = p != NULL ? progress_get(p, lab->id) : NULL;

	bool unshown;

	if (e == NULL || !e->done)
		return "not yet";
	/* "right" is about the lab's answer; a run that did not show the
	 * lesson is said beside it, so the record never claims more */
	unshown = e->shown == 0;
	if (e->predicted > 0 && e->correct == 1)
		return unshown ? "done, predicted right; the lesson did not show on your run" :
		    "done, predicted right";
	if (e->predicted > 0 && e->correct == 0)
		return unshown ? "done, predicted wrong; the lesson did not show on your run" :
		    "done, predicted wrong";
	return unshown ? "done, no prediction; the lesson did not show on your run" :
	    "done, no prediction";
}

int
lab_path_summary(const struct lab *labs, int n, const struct progress *p, char *buf,
    size_t len)
{
	int done = 0, right = 0, predicted = 0, next = -1;

	for (int i = 0; i < n; i++) {
		const struct progress_entry *e = p != NULL ? progress_get(p, labs[i].id) : NULL;

		if (e != NULL && e->done) {
			done++;
			predicted += e->predicted > 0 && e->correct >= 0;
			right += e->correct == 1;
		} else if (next < 0) {
			next = i;
		}
	}
	/* walk 5 F20: a fresh state read "0 of 0 predictions right" */
	if (predicted == 0)
		snprintf(buf, len, "%d of %d labs done; no predictions yet; %s%s", done, n,
		    next >= 0 ? "next: " : "all done", next >= 0 ? labs[next].id : "");
	else
		snprintf(buf, len, "%d of %d labs done; %d of %d predictions right; %s%s", done,
		    n, right, predicted, next >= 0 ? "next: " : "all done",
		    next >= 0 ? labs[next].id : "");
	return next;
}

/* "taught: TITLE (a side figure was off on your run: MEANING)" for
 * the names off ("a,b") of the run that showed the lesson. */
static void
off_line(const struct lab *lab, const char *off, char *buf)
{
	int k = 0;

	snprintf(buf, LAB_PATH_LINE_LEN, "taught: %s (%s on your run: ", lab->title,
	    strchr(off, ',') == NULL ? "a side figure was off" : "side figures were off");
	for (const char *s = off; *s != '\0';) {
		size_t n = strcspn(s, ",");
		char name[LAB_NAME_LEN];
		const char *meaning = NULL;
		int i;

		snprintf(name, sizeof name, "%.*s", (int)n, s);
		i = lab_expect_find(lab, name);
		if (i >= 0)
			lab_expect_split(lab->expects[i], &meaning);
		util_appendf(buf, LAB_PATH_LINE_LEN, "%s%s", k++ ? "; " : "",
		    meaning != NULL ? meaning : name);
		s += n + (s[n] == ',');
	}
	util_appendf(buf, LAB_PATH_LINE_LEN, ")");
}

int
lab_path_lines(const struct lab *lab, const struct progress *p, bool next,
    struct lab_path_line *out)
{
	const struct progress_entry *e = p != NULL ? progress_get(p, lab->id) : NULL;
	bool done = e != NULL && e->done;
	int n = 0, ndone = 0;

	out[n].kind = LAB_PATH_HEAD;
	snprintf(out[n++].text, LAB_PATH_LINE_LEN, "%-14s %s%s", lab->id,
	    lab_path_status(lab, p), next ? "  <- next" : "");
	out[n].kind = LAB_PATH_TAUGHT;
	if (done && e->shown == 0)	/* no run of it showed the lesson yet */
		snprintf(out[n++].text, LAB_PATH_LINE_LEN, "not shown yet: %s (run it again "
		    "on a quieter machine, with the lab's settings)", lab->title);
	else if (done && e->shown == 1 && e->off[0] != '\0')
		off_line(lab, e->off, out[n++].text);
	else
		snprintf(out[n++].text, LAB_PATH_LINE_LEN, "%s: %s", done ? "taught" :
		    "teaches", lab->title);
	for (int t = 0; t < lab->ntries && t < LAB_MAX_TRIES; t++) {
		if (e != NULL && (e->tried & (1u << t))) {
			ndone++;	/* done: run with the setting it names */
			continue;
		}
		out[n].kind = LAB_PATH_TRY;
		snprintf(out[n++].text, LAB_PATH_LINE_LEN, "%s: %s", done ? "to try" : "then try",
		    lab->tries[t]);
	}
	if (ndone > 0) {
		out[n].kind = LAB_PATH_TRIES_DONE;
		snprintf(out[n++].text, LAB_PATH_LINE_LEN, "tries done: %d of %d", ndone,
		    lab->ntries);
	}
	for (int i = 0; i < n; i++)	/* a lab file's continued line is one line here */
		for (char *nl = out[i].text; (nl = strchr(nl, '\n')) != NULL;)
			*nl = ' ';
	return n;
}
