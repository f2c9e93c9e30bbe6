/*
 * proto: request parsing and reply formatting for the fib server.
 */
#include "proto.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool
proto_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Classify one request line (no newline) of length len. */
static void
proto_line(const char *p, size_t len, int max_n, struct proto_req *req)
{
	size_t i = 0, end = len;
	bool neg = false;
	int64_t v = 0;

	memset(req, 0, sizeof *req);
	req->max_n = max_n;
	req->kind = PROTO_ERROR;
	if (len > PROTO_LINE_MAX) {
		req->error = PROTO_ERR_TOO_LONG;
		return;
	}
	while (i < end && proto_space((unsigned char)p[i]))
		i++;
	while (end > i && proto_space((unsigned char)p[end - 1]))
		end--;
	if (i == end) {
		req->kind = PROTO_NONE;
		return;
	}
	for (size_t j = i; j < end; j++) {
		unsigned char c = (unsigned char)p[j];

		if (c < 0x20 || c >= 0x7f) {
			req->error = PROTO_ERR_BINARY;
			return;
		}
	}
	if (p[i] == '-') {
		neg = true;
		i++;
	}
	if (i == end) {
		req->error = PROTO_ERR_NOT_NUMBER;
		return;
	}
	for (size_t j = i; j < end; j++) {
		if (p[j] < '0' || p[j] > '9') {
			req->error = PROTO_ERR_NOT_NUMBER;
			return;
		}
		if (v <= 1000000000)
			v = v * 10 + (p[j] - '0');
	}
	if (neg && v != 0) {
		req->error = PROTO_ERR_NEGATIVE;
		return;
	}
	if (v > max_n) {
		req->error = PROTO_ERR_TOO_BIG;
		return;
	}
	req->kind = PROTO_FIB;
	req->n = (int)v;
}

void
proto_framer_init(struct proto_framer *f)
{
	f->in_len = f->in_off = f->line_len = 0;
	f->in_newline = f->in_full = f->overlong = false;
}

char *
proto_framer_space(struct proto_framer *f, size_t *cap)
{
	*cap = sizeof f->in;
	return f->in;
}

void
proto_framer_feed(struct proto_framer *f, size_t n)
{
	f->in_len = n < sizeof f->in ? n : sizeof f->in;
	f->in_off = 0;
	f->in_newline = memchr(f->in, '\n', f->in_len) != NULL;
	f->in_full = f->in_len == sizeof f->in;
}

bool
proto_framer_drained(const struct proto_framer *f)
{
	return f->in_off >= f->in_len;
}

/* Add p[0..len) to the carried line, or only note that it grew too long. */
static void
proto_carry(struct proto_framer *f, const char *p, size_t len)
{
	if (f->overlong || f->line_len + len > PROTO_LINE_MAX) {
		f->overlong = true;
		return;
	}
	memcpy(f->line + f->line_len, p, len);
	f->line_len += len;
}

/* The request of the carried line and p[0..len); the carry is emptied. */
static void
proto_end_line(struct proto_framer *f, const char *p, size_t len, int max_n,
    struct proto_req *req)
{
	if (f->line_len == 0 && !f->overlong) {
		proto_line(p, len, max_n, req);	/* the common case: in place */
		return;
	}
	proto_carry(f, p, len);
	/* Longer than the limit, whatever it holds: one error. */
	proto_line(f->line, f->overlong ? PROTO_LINE_MAX + 1 : f->line_len, max_n, req);
	f->line_len = 0;
	f->overlong = false;
}

bool
proto_framer_next(struct proto_framer *f, int max_n, struct proto_req *req)
{
	while (f->in_off < f->in_len) {
		const char *p = f->in + f->in_off;
		size_t left = f->in_len - f->in_off;
		const char *nl = memchr(p, '\n', left);

		if (nl != NULL) {
			f->in_off += (size_t)(nl - p) + 1;
			proto_end_line(f, p, (size_t)(nl - p), max_n, req);
		} else {
			f->in_off = f->in_len;
			if (f->in_newline || f->in_full) {
				/* A stream of lines: the rest comes with the next read. */
				proto_carry(f, p, left);
				return false;
			}
			/* A classic client's bare request: the read is the request. */
			proto_end_line(f, p, left, max_n, req);
		}
		if (req->kind != PROTO_NONE)
			return true;
	}
	return false;
}

bool
proto_framer_end(struct proto_framer *f, int max_n, struct proto_req *req)
{
	if (f->line_len == 0 && !f->overlong)
		return false;
	proto_end_line(f, "", 0, max_n, req);
	return req->kind != PROTO_NONE;
}

size_t
proto_reply(const struct proto_req *req, uint64_t value, char *out, size_t outlen)
{
	int n = 0;

	switch (req->kind) {
	case PROTO_NONE:
		if (outlen > 0)
			out[0] = '\0';
		return 0;
	case PROTO_FIB:
		n = snprintf(out, outlen, "%llu\n", (unsigned long long)value);
		break;
	case PROTO_ERROR:
		switch (req->error) {
		case PROTO_ERR_NEGATIVE:
			n = snprintf(out, outlen, "error: negative number; send n "
			    "from 0 to %d\n", req->max_n);
			break;
		case PROTO_ERR_TOO_BIG:
			n = snprintf(out, outlen, "error: n above the limit %d "
			    "(--max-n)\n", req->max_n);
			break;
		case PROTO_ERR_TOO_LONG:
			n = snprintf(out, outlen, "error: request longer than %d "
			    "bytes\n", PROTO_LINE_MAX);
			break;
		case PROTO_ERR_BINARY:
			n = snprintf(out, outlen, "error: binary data; send a "
			    "number from 0 to %d\n", req->max_n);
			break;
		case PROTO_ERR_NOT_NUMBER:
		default:
			n = snprintf(out, outlen, "error: not a number; send n "
			    "from 0 to %d\n", req->max_n);
			break;
		}
		break;
	}
	if (n < 0)
		return 0;
	return (size_t)n < outlen ? (size_t)n : outlen - 1;
}

uint64_t
proto_fib(int n)
{
	uint64_t a = 1, b = 1;

	for (int i = 3; i <= n; i++) {
		uint64_t c = a + b;

		a = b;
		b = c;
	}
	return b;
}
