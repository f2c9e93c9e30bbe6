/*
 * minijson: a small strict JSON parser for tests (reports and exports are
 * parsed back).  mj_parse returns a tree; mj_get walks "a.b.0.c" paths.
 */
#ifndef CONCLAB_MINIJSON_H
#define CONCLAB_MINIJSON_H

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum mj_type { MJ_NULL, MJ_BOOL, MJ_NUM, MJ_STR, MJ_ARR, MJ_OBJ };

struct mj {
	enum mj_type type;
	double num;
	char *str;		/* MJ_STR value, or the key of an object member */
	char *key;
	struct mj *kids;	/* array elements / object members */
	int n;
};

static const char *mj_value(const char *p, struct mj *v);
static void mj_free_kids(struct mj *v);

static const char *
mj_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *
mj_string(const char *p, char **out)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap);

	if (*p++ != '"') {
		free(s);
		return NULL;
	}
	while (*p != '"') {
		char c = *p++;

		if (c == '\0' || (unsigned char)c < 0x20) {
			free(s);
			return NULL;
		}
		if (c == '\\') {
			c = *p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case '"': case '\\': case '/': break;
			case 'u':
				for (int i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)p[i])) {
						free(s);
						return NULL;
					}
				c = '?';
				p += 4;
				break;
			default:
				free(s);
				return NULL;
			}
		}
		if (len + 2 > cap)
			s = realloc(s, cap *= 2);
		s[len++] = c;
	}
	s[len] = '\0';
	*out = s;
	return p + 1;
}

static const char *
mj_list(const char *p, struct mj *v, char close, bool obj)
{
	int cap = 0;

	p = mj_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		struct mj kid;
		char *key = NULL;

		memset(&kid, 0, sizeof kid);
		p = mj_ws(p);
		if (obj) {
			p = mj_string(p, &key);
			if (p == NULL)
				return NULL;
			p = mj_ws(p);
			if (*p++ != ':') {
				free(key);
				return NULL;
			}
		}
		p = mj_value(mj_ws(p), &kid);
		if (p == NULL) {
			free(key);
			mj_free_kids(&kid);
			return NULL;
		}
		kid.key = key;
		if (v->n == cap) {
			cap = cap ? cap * 2 : 8;
			v->kids = realloc(v->kids, (size_t)cap * sizeof *v->kids);
		}
		v->kids[v->n++] = kid;
		p = mj_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *
mj_value(const char *p, struct mj *v)
{
	char *end;

	p = mj_ws(p);
	if (*p == '{') {
		v->type = MJ_OBJ;
		return mj_list(p, v, '}', true);
	}
	if (*p == '[') {
		v->type = MJ_ARR;
		return mj_list(p, v, ']', false);
	}
	if (*p == '"') {
		v->type = MJ_STR;
		return mj_string(p, &v->str);
	}
	if (strncmp(p, "null", 4) == 0) {
		v->type = MJ_NULL;
		return p + 4;
	}
	if (strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
		v->type = MJ_BOOL;
		v->num = *p == 't';
		return p + (*p == 't' ? 4 : 5);
	}
	if (*p != '-' && !isdigit((unsigned char)*p))
		return NULL;
	v->type = MJ_NUM;
	v->num = strtod(p, &end);
	return end == p ? NULL : end;
}

static void
mj_free_kids(struct mj *v)
{
	for (int i = 0; i < v->n; i++) {
		mj_free_kids(&v->kids[i]);
		free(v->kids[i].key);
	}
	free(v->kids);
	free(v->str);
}

/* Free a tree from mj_parse; NULL does nothing. */
static inline void
mj_free(struct mj *v)
{
	if (v == NULL)
		return;
	mj_free_kids(v);
	free(v);
}

/* Parse a whole document; NULL on any syntax error or trailing junk. */
static inline struct mj *
mj_parse(const char *text)
{
	struct mj *v = calloc(1, sizeof *v);
	const char *p = mj_value(text, v);

	if (p == NULL || *mj_ws(p) != '\0') {
		mj_free(v);
		return NULL;
	}
	return v;
}

/* Walk a dotted path; numbers index arrays. NULL if absent. */
static inline const struct mj *
mj_get(const struct mj *v, const char *path)
{
	char buf[256], *tok, *save;

	strncpy(buf, path, sizeof buf - 1);
	buf[sizeof buf - 1] = '\0';
	for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save)) {
		const struct mj *next = NULL;

		if (v->type == MJ_ARR && isdigit((unsigned char)tok[0])) {
			int i = atoi(tok);

			next = i < v->n ? &v->kids[i] : NULL;
		} else if (v->type == MJ_OBJ) {
			for (int i = 0; i < v->n; i++)
				if (strcmp(v->kids[i].key, tok) == 0)
					next = &v->kids[i];
		}
		v = next;
	}
	return v;
}

/* The run object named name in a report's "runs". */
static inline const struct mj *
mj_run(const struct mj *root, const char *name)
{
	const struct mj *runs = mj_get(root, "runs");

	for (int i = 0; runs && i < runs->n; i++) {
		const struct mj *n = mj_get(&runs->kids[i], "name");

		if (n && n->type == MJ_STR && strcmp(n->str, name) == 0)
			return &runs->kids[i];
	}
	return NULL;
}

#endif
