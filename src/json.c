/*
 * json: streaming writer.  Each level remembers whether it has an element
 * yet, so commas are always right and there is never a trailing one.
 */
#include "json.h"

#include <math.h>

void
json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
	j->pretty = pretty;
}

static void
json_indent(struct json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Before a value or a key: a comma if needed, and indentation. */
static void
json_pre(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->depth > 0)
		json_indent(j);
}

static void
json_open(struct json *j, char c)
{
	json_pre(j);
	fputc(c, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void
json_close(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		json_indent(j);
	fputc(c, j->f);
	if (j->depth == 0 && j->pretty)
		fputc('\n', j->f);
}

void
json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void
json_object_end(struct json *j)
{
	json_close(j, '}');
}

void
json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void
json_array_end(struct json *j)
{
	json_close(j, ']');
}

void
json_write_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void
json_key(struct json *j, const char *key)
{
	json_pre(j);
	json_write_escaped(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void
json_string(struct json *j, const char *s)
{
	json_pre(j);
	if (s == NULL)
		fputs("null", j->f);
	else
		json_write_escaped(j->f, s);
}

void
json_number(struct json *j, double v, int decimals)
{
	json_pre(j);
	if (!isfinite(v))
		fputs("null", j->f);
	else
		fprintf(j->f, "%.*f", decimals, v);
}

void
json_int(struct json *j, long long v)
{
	json_pre(j);
	fprintf(j->f, "%lld", v);
}

void
json_bool(struct json *j, bool v)
{
	json_pre(j);
	fputs(v ? "true" : "false", j->f);
}

void
json_null(struct json *j)
{
	json_pre(j);
	fputs("null", j->f);
}

void
json_raw(struct json *j, const char *text)
{
	json_pre(j);
	fputs(text, j->f);
}
