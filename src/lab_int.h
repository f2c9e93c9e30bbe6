/*
 * lab_int: what the lab file parser (lab.c) shares with lab_keys.c, the
 * table of [lab] keys.  Not for other modules.
 */
#ifndef CONCLAB_LAB_INT_H
#define CONCLAB_LAB_INT_H

#include "lab.h"

#include <stdbool.h>
#include <stddef.h>

/* The keys of [lab]: adding one means adding a row to lab_keys (lab_keys.c)
 * and its field, and counting it here. */
#define LAB_NKEYS 14

enum lab_key_kind {
	LK_ID,
	LK_ORDER,
	LK_ANSWER,
	LK_ROUNDS,
	LK_TEXT,	/* one text, char * at field */
	LK_LIST,	/* repeated: char *[max] at field, int count at count */
};

struct lab_key {
	const char *name;
	enum lab_key_kind kind;
	size_t field, count;
	int max;
	const char *what;	/* LK_LIST: "choices" in "too many choices" */
	bool templated;		/* may hold {RUN.FIELD} placeholders */
	bool params;		/* may hold {PARAMETER} placeholders */
};

extern const struct lab_key lab_keys[LAB_NKEYS];

/* "id, order, title, ...": every [lab] key, for a message. */
void lab_keys_known(char *buf, size_t len);

/* Edits (insert, delete, change a character) from a to b, at most 9: how
 * near a typo is to a name, for "did you mean" (lab_ref.c). */
int lab_edits(const char *a, const char *b);

#endif
