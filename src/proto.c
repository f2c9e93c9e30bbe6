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

size_t
proto_next(const char *buf, size_t len, int max_n, struct proto_req *req)
{
	const char *nl;

	if (len == 0) {
		memset(req, 0, sizeof *req);
		req->max_n = max_n;
		return 0;
	}
	nl = memchr(buf, '\n', len);
	if (nl == NULL) {
		proto_line(buf, len, max_n, req);
		return len;
	}
	proto_line(buf, (size_t)(nl - buf), max_n, req);
	return (size_t)(nl - buf) + 1;
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
