/*
 * proto: the fib server's wire protocol, as pure functions over buffers.
 *
 * A request is a line.  White space around the number is allowed, blank
 * lines are skipped.  A good request is decimal digits with a value up to
 * max_n; anything else (not a number, negative, above max_n, a line over
 * PROTO_LINE_MAX bytes, binary junk) is answered with one line starting
 * "error:".  A reply is the decimal value and '\n'.
 *
 * Framing (struct proto_framer, used by every server mode): the bytes of
 * each read are cut at newlines; what follows the last newline is carried
 * to the next read (up to PROTO_LINE_MAX bytes; past that the line is only
 * counted, to be answered with one error when it ends), so a line that
 * crosses a read is one request.  One exception keeps the classic Python
 * clients working, which send bare digits with no newline and wait for the
 * reply: a read that holds no newline and did not fill the buffer ends a
 * request there.  A read that held a newline, or filled the buffer, is part
 * of a stream of lines and never ends one mid-line.
 */
#ifndef CONCLAB_PROTO_H
#define CONCLAB_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_LINE_MAX 100	/* longest request line, without the newline */
#define PROTO_REPLY_MAX 128	/* room for any reply */
#define PROTO_READ_MAX 4096	/* bytes of one read */

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

/* One connection's input: the last read and the line it left unfinished. */
struct proto_framer {
	char in[PROTO_READ_MAX];	/* the last read */
	size_t in_len, in_off;		/* its bytes; those framed so far */
	bool in_newline;		/* it held a newline */
	bool in_full;			/* it filled in[] */
	char line[PROTO_LINE_MAX];	/* the unfinished line carried over */
	size_t line_len;		/* bytes kept in line */
	bool overlong;			/* the line passed PROTO_LINE_MAX */
};

/* An empty framer. */
void proto_framer_init(struct proto_framer *f);
/* Where the next read goes (f->in, sizeof f->in); only once drained. */
char *proto_framer_space(struct proto_framer *f, size_t *cap);
/* n bytes were read into the space. */
void proto_framer_feed(struct proto_framer *f, size_t n);
/* The next request of the bytes fed (blank lines skipped): true with req
 * filled, false when the read is used up (a partial line may be carried). */
bool proto_framer_next(struct proto_framer *f, int max_n, struct proto_req *req);
/* The input ended (the peer closed its side): the carried line, if any, as
 * a last request; false when there is none. */
bool proto_framer_end(struct proto_framer *f, int max_n, struct proto_req *req);
/* True when every byte fed has been framed: time for the next read. */
bool proto_framer_drained(const struct proto_framer *f);
/* Format the reply to req (value = fib(n) for PROTO_FIB) into out; returns
 * its length, 0 for PROTO_NONE. */
size_t proto_reply(const struct proto_req *req, uint64_t value, char *out, size_t outlen);
/* fib(n) as the seeds define it (1 for n <= 2), iteratively, for checks. */
uint64_t proto_fib(int n);

#endif
