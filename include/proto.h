/*
 * proto: the fib server's wire protocol, as pure functions over a buffer.
 *
 * A request is a line, or -- when the bytes of one read end without a
 * newline -- whatever that read returned (the classic Python clients send
 * bare digits and wait for the reply).  White space around the number is
 * allowed, blank lines are skipped.  A good request is decimal digits with a
 * value up to max_n; anything else (not a number, negative, above max_n, a
 * line over PROTO_LINE_MAX bytes, binary junk) is answered with one line
 * starting "error:".  A reply is the decimal value and '\n'.
 *
 * Nothing is carried from one read to the next, so a line longer than a
 * server's read buffer gets one error per read.
 */
#ifndef CONCLAB_PROTO_H
#define CONCLAB_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_LINE_MAX 100	/* longest request line, without the newline */
#define PROTO_REPLY_MAX 128	/* room for any reply */

enum proto_kind {
	PROTO_NONE = 0,		/* a blank line: no reply */
	PROTO_FIB,		/* compute fib(n) */
	PROTO_ERROR,		/* reply with an error line */
};

enum proto_error {
	PROTO_ERR_NOT_NUMBER = 0,
	PROTO_ERR_NEGATIVE,
	PROTO_ERR_TOO_BIG,
	PROTO_ERR_TOO_LONG,
	PROTO_ERR_BINARY,
	PROTO_NERRORS
};

struct proto_req {
	enum proto_kind kind;
	int n;			/* PROTO_FIB */
	enum proto_error error;	/* PROTO_ERROR */
	int max_n;		/* the limit in force, for the message */
};

/* Parse the next request in buf[0..len) (the bytes left of one read); fills
 * req and returns the bytes consumed, 0 only when len is 0. */
size_t proto_next(const char *buf, size_t len, int max_n, struct proto_req *req);
/* Format the reply to req (value = fib(n) for PROTO_FIB) into out; returns
 * its length, 0 for PROTO_NONE. */
size_t proto_reply(const struct proto_req *req, uint64_t value, char *out, size_t outlen);
/* fib(n) as the seeds define it (1 for n <= 2), iteratively, for checks. */
uint64_t proto_fib(int n);

#endif
