/*
 * lab_keys: the table of [lab] keys the parser (lab.c) reads a file by --
 * each key's kind, where its value goes, whether it holds placeholders --
 * and lab_free, which frees what the table's fields hold.
 */
#include "lab_int.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAB_KEY_TEXT(n, f, t) { .name = n, .kind = LK_TEXT,                   \
	.field = offsetof(struct lab, f), .templated = t }
#define LAB_KEY_LIST(n, f, c, m, w) { .name = n, .kind = LK_LIST,              \
	.field = offsetof(struct lab, f), .count = offsetof(struct lab, c),     \
	.max = m, .what = w }

const struct lab_key lab_keys[] = {
	{ .name = "id", .kind = LK_ID },
	{ .name = "order", .kind = LK_ORDER },
	LAB_KEY_TEXT("title", title, false),
	{ .name = "question", .kind = LK_TEXT, .field = offsetof(struct lab, question),
	  .params = true },
	{ .name = "choice", .kind = LK_LIST, .field = offsetof(struct lab, choices),
	  .count = offsetof(struct lab, nchoices), .max = LAB_MAX_CHOICES, .what = "choices",
	  .params = true },
	{ .name = "answer", .kind = LK_ANSWER },
	{ .name = "rounds", .kind = LK_ROUNDS },
	LAB_KEY_TEXT("explain", explain, true),
	LAB_KEY_TEXT("measured", measured, true),
	LAB_KEY_LIST("try", tries, ntries, LAB_MAX_TRIES, "exercises"),
	/* expressions, checked by check_exprs (expr.h) */
	LAB_KEY_LIST("headline", headlines, nheadlines, LAB_MAX_HEADLINES, "headlines"),
	LAB_KEY_LIST("expect", expects, nexpects, LAB_MAX_EXPECTS, "expectations"),
	LAB_KEY_TEXT("lesson", lesson, false),
	LAB_KEY_LIST("fidelity", fidelity, nfidelity, LAB_MAX_FIDELITY, "fidelity lines"),
};

_Static_assert(UTIL_ARRAY_LEN(lab_keys) == LAB_NKEYS, "LAB_NKEYS counts lab_keys");

void
lab_keys_known(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < LAB_NKEYS && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
		    lab_keys[i].name);

		used += n > 0 ? (size_t)n : 0;
	}
}


void
lab_free(struct lab *lab)
{
	for (int k = 0; k < LAB_NKEYS; k++) {	/* every text and list item the keys hold */
		char **at = (char **)((char *)lab + lab_keys[k].field);

		if (lab_keys[k].kind == LK_TEXT)
			free(*at);
		for (int i = 0; lab_keys[k].kind == LK_LIST &&
		    i < *(int *)((char *)lab + lab_keys[k].count); i++)
			free(at[i]);
	}
	for (int i = 0; i < lab->nruns; i++) {
		free(lab->runs[i].describe);
		free(lab->runs[i].dir);
		for (int j = 0; j < LAB_MAX_PARAMS; j++) {
			free(lab->runs[i].texts[j]);
			free(lab->runs[i].file_texts[j]);
		}
	}
	memset(lab, 0, sizeof *lab);
}
