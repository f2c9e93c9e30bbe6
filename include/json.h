/*
 * json: a small streaming JSON writer with correct escaping and commas.
 */
#ifndef CONCLAB_JSON_H
#define CONCLAB_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this level */
	bool after_key;
	bool pretty;
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
/* A number; NaN and infinities become null. */
void json_number(struct json *j, double v, int decimals);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A ready JSON value written as is. */
void json_raw(struct json *j, const char *text);
/* Write s escaped as a JSON string (with quotes) to f. */
void json_write_escaped(FILE *f, const char *s);

#endif
