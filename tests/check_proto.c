/* The fib server's wire protocol: requests from reads (lines crossing reads,
 * the classic clients' bare digits), errors, replies. */
#include "testutil.h"

#include "proto.h"

/* Feed the framer one read of buf[0..len) (full: it filled the buffer). */
static void
feed(struct proto_framer *f, const char *buf, size_t len, bool full)
{
	size_t cap;
	char *space = proto_framer_space(f, &cap);

	ck_assert(proto_framer_drained(f));
	ck_assert_uint_le(len, cap);
	memcpy(space, buf, len);
	proto_framer_feed(f, len);
	if (full)
		ck_assert_uint_eq(len, cap);
}

/* Every request of one short read from a fresh connection, into out. */
static int
parse_all(const char *buf, size_t len, int max_n, struct proto_req *out, int max)
{
	struct proto_framer f;
	int n = 0;

	proto_framer_init(&f);
	feed(&f, buf, len, false);
	while (n < max && proto_framer_next(&f, max_n, &out[n]))
		n++;
	ck_assert(proto_framer_drained(&f));
	return n;
}

/* The one request of a short read: its kind in r (PROTO_NONE if none). */
static void
one_req(const char *buf, size_t len, int max_n, struct proto_req *r)
{
	memset(r, 0, sizeof *r);
	r->kind = PROTO_NONE;
	ck_assert_int_le(parse_all(buf, len, max_n, r, 1), 1);
}

static void
want_fib(const char *in, int n)
{
	struct proto_req r[4];

	ck_assert_int_eq(parse_all(in, strlen(in), 40, r, 4), 1);
	ck_assert_msg(r[0].kind == PROTO_FIB, "'%s' is not a request", in);
	ck_assert_int_eq(r[0].n, n);
}

START_TEST(bare_digits)
{
	want_fib("30", 30);
	want_fib("1", 1);
	want_fib("0", 0);
	want_fib("40", 40);
	want_fib("007", 7);
}
END_TEST

START_TEST(lines_and_space)
{
	want_fib("30\n", 30);
	want_fib("30\r\n", 30);		/* telnet */
	want_fib("  12 \t\n", 12);
	want_fib("\t5", 5);
	want_fib("-0", 0);
}
END_TEST

START_TEST(several_lines_in_order)
{
	struct proto_req r[8];
	struct proto_framer f;
	const char *in = "1\n2\r\n\n  3\n4";	/* the last one without newline */
	int n = 0;

	/* A read of lines: "4" is the start of the next line, carried; it
	 * is a request once the input ends. */
	proto_framer_init(&f);
	feed(&f, in, strlen(in), false);
	while (proto_framer_next(&f, 40, &r[n]))
		n++;
	ck_assert_int_eq(n, 3);
	ck_assert(proto_framer_end(&f, 40, &r[n++]));
	ck_assert(!proto_framer_end(&f, 40, &r[n]));
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(r[i].kind, PROTO_FIB);
		ck_assert_int_eq(r[i].n, i + 1);
	}
}
END_TEST

START_TEST(blank_lines_skipped)
{
	struct proto_req r[4];

	ck_assert_int_eq(parse_all("\n\r\n   \n", 7, 40, r, 4), 0);
	ck_assert_int_eq(parse_all("", 0, 40, r, 4), 0);
}
END_TEST

/* Thirty kinds of bad input, each one request that gets an error. */
static const struct {
	const char *in;
	size_t len;	/* 0: strlen */
	enum proto_error err;
} bad[] = {
	{ "abc", 0, PROTO_ERR_NOT_NUMBER },
	{ "-3", 0, PROTO_ERR_NEGATIVE },
	{ "41", 0, PROTO_ERR_TOO_BIG },
	{ "99999999999999999999999", 0, PROTO_ERR_TOO_BIG },
	{ "3.5", 0, PROTO_ERR_NOT_NUMBER },
	{ "1e3", 0, PROTO_ERR_NOT_NUMBER },
	{ "0x1f", 0, PROTO_ERR_NOT_NUMBER },
	{ "+5", 0, PROTO_ERR_NOT_NUMBER },
	{ "--5", 0, PROTO_ERR_NOT_NUMBER },
	{ "-", 0, PROTO_ERR_NOT_NUMBER },
	{ "1 2", 0, PROTO_ERR_NOT_NUMBER },
	{ "12abc", 0, PROTO_ERR_NOT_NUMBER },
	{ "fib(3)", 0, PROTO_ERR_NOT_NUMBER },
	{ "GET / HTTP/1.0", 0, PROTO_ERR_NOT_NUMBER },
	{ "\xef\xbc\x93", 0, PROTO_ERR_BINARY },		/* a full-width 3 */
	{ "\xff\xfe\xfd", 0, PROTO_ERR_BINARY },
	{ "1\0" "2", 3, PROTO_ERR_BINARY },
	{ "\x01\x02\x03", 0, PROTO_ERR_BINARY },
	{ "\x1b[A", 0, PROTO_ERR_BINARY },			/* an arrow key */
	{ "\x7f", 0, PROTO_ERR_BINARY },
	{ "3\x08", 0, PROTO_ERR_BINARY },
	{ "-2147483648", 0, PROTO_ERR_NEGATIVE },
	{ "-99999999999999999999", 0, PROTO_ERR_NEGATIVE },
	{ "4294967297", 0, PROTO_ERR_TOO_BIG },
	{ "NaN", 0, PROTO_ERR_NOT_NUMBER },
	{ "\"30\"", 0, PROTO_ERR_NOT_NUMBER },
	{ "30;", 0, PROTO_ERR_NOT_NUMBER },
	{ "٣", 0, PROTO_ERR_BINARY },			/* an Arabic-Indic 3 */
	{ "quit", 0, PROTO_ERR_NOT_NUMBER },
	{ NULL, 0, PROTO_ERR_TOO_LONG },			/* 150 digits, below */
};

START_TEST(malformed_kinds)
{
	char longline[151];

	memset(longline, '7', 150);
	longline[150] = '\0';
	ck_assert_int_eq((int)(sizeof bad / sizeof bad[0]), 30);
	for (size_t i = 0; i < (sizeof bad / sizeof bad[0]); i++) {
		const char *in = bad[i].in != NULL ? bad[i].in : longline;
		size_t len = bad[i].len ? bad[i].len : strlen(in);
		struct proto_req r;
		char out[PROTO_REPLY_MAX];
		size_t rl;

		one_req(in, len, 40, &r);
		ck_assert_msg(r.kind == PROTO_ERROR, "input %zu is not an error", i);
		ck_assert_msg(r.error == bad[i].err, "input %zu: error %d, want %d", i,
		    r.error, bad[i].err);
		rl = proto_reply(&r, 0, out, sizeof out);
		ck_assert_uint_gt(rl, 7);
		ck_assert_msg(strncmp(out, "error: ", 7) == 0, "reply '%s'", out);
		ck_assert_int_eq(out[rl - 1], '\n');
		ck_assert_ptr_null(memchr(out, '\n', rl - 1));	/* one line */
	}
}
END_TEST

START_TEST(error_then_good_in_one_read)
{
	struct proto_req r[4];
	const char *in = "abc\n7\n";

	ck_assert_int_eq(parse_all(in, strlen(in), 40, r, 4), 2);
	ck_assert_int_eq(r[0].kind, PROTO_ERROR);
	ck_assert_int_eq(r[1].kind, PROTO_FIB);
	ck_assert_int_eq(r[1].n, 7);
}
END_TEST

START_TEST(line_limit)
{
	char line[PROTO_LINE_MAX + 2];
	struct proto_req r;

	/* 100 bytes of spaces and digits is allowed, 101 is not. */
	memset(line, ' ', sizeof line);
	line[PROTO_LINE_MAX - 1] = '5';
	one_req(line, PROTO_LINE_MAX, 40, &r);
	ck_assert_int_eq(r.kind, PROTO_FIB);
	one_req(line, PROTO_LINE_MAX + 1, 40, &r);
	ck_assert_int_eq(r.kind, PROTO_ERROR);
	ck_assert_int_eq(r.error, PROTO_ERR_TOO_LONG);
}
END_TEST

START_TEST(max_n_is_the_callers)
{
	struct proto_req r;
	char out[PROTO_REPLY_MAX];

	one_req("12", 2, 10, &r);
	ck_assert_int_eq(r.kind, PROTO_ERROR);
	ck_assert_int_eq(r.error, PROTO_ERR_TOO_BIG);
	proto_reply(&r, 0, out, sizeof out);
	ck_assert_ptr_nonnull(strstr(out, "10"));
	one_req("10", 2, 10, &r);
	ck_assert_int_eq(r.kind, PROTO_FIB);
}
END_TEST

START_TEST(replies)
{
	struct proto_req r;
	char out[PROTO_REPLY_MAX];

	one_req("30", 2, 40, &r);
	ck_assert_uint_eq(proto_reply(&r, proto_fib(r.n), out, sizeof out), 7);
	ck_assert_str_eq(out, "832040\n");
	ck_assert_uint_eq(proto_fib(0), 1);
	ck_assert_uint_eq(proto_fib(1), 1);
	ck_assert_uint_eq(proto_fib(2), 1);
	ck_assert_uint_eq(proto_fib(3), 2);
	ck_assert_uint_eq(proto_fib(90), 2880067194370816120ULL);
	one_req("\n", 1, 40, &r);
	ck_assert_uint_eq(proto_reply(&r, 0, out, sizeof out), 0);
}
END_TEST

/* Random bytes in random reads never crash the framer, every read is used
 * up, and a request never exceeds the limits. */
START_TEST(random_bytes)
{
	unsigned seed = 12345;
	char buf[PROTO_READ_MAX];
	struct proto_framer f;

	proto_framer_init(&f);
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(rand_r(&seed) % 600) + 1;
		struct proto_req r;
		char out[PROTO_REPLY_MAX];

		if (round % 50 == 0)
			len = sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rand_r(&seed) % 5 == 0 ? '\n' : rand_r(&seed));
		feed(&f, buf, len, len == sizeof buf);
		while (proto_framer_next(&f, 40, &r)) {
			ck_assert_int_ne(r.kind, PROTO_NONE);
			if (r.kind == PROTO_FIB)
				ck_assert_int_le(r.n, 40);
			ck_assert_uint_gt(proto_reply(&r, 1, out, sizeof out), 0);
		}
		ck_assert(proto_framer_drained(&f));
		ck_assert_uint_le(f.line_len, PROTO_LINE_MAX);
	}
}
END_TEST

/* Cut `in` into reads of `step` bytes (the last one short) and collect the
 * n of every request (-1 for an error). */
static int
stream(const char *in, size_t len, size_t step, int *ns, int max)
{
	struct proto_framer f;
	struct proto_req r;
	int n = 0;

	proto_framer_init(&f);
	for (size_t off = 0; off < len; off += step) {
		size_t k = len - off < step ? len - off : step;

		feed(&f, in + off, k, k == PROTO_READ_MAX);
		while (proto_framer_next(&f, 40, &r)) {
			ck_assert_int_lt(n, max);
			ns[n++] = r.kind == PROTO_FIB ? r.n : -1;
		}
	}
	return n;
}

/* Issue 16: b"12\n" * 5000 in one send, read 4,096 bytes at a time, cut
 * "12" at byte 4,096 into "1" and "2\n"; it must stay one request. */
START_TEST(line_crossing_reads)
{
	static char in[15000];
	static int ns[6000];
	/* 4,096: full reads; the others are short reads that each hold a
	 * newline, as a line client's reads do */
	size_t steps[] = { PROTO_READ_MAX, 1000, 7, 4 };

	for (int i = 0; i < 5000; i++)
		memcpy(in + 3 * i, "12\n", 3);
	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
		int n = stream(in, sizeof in, steps[s], ns, 6000);

		ck_assert_int_eq(n, 5000);
		for (int i = 0; i < n; i++)
			ck_assert_msg(ns[i] == 12, "step %zu: request %d is %d", steps[s],
			    i, ns[i]);
	}
}
END_TEST

/* The classic clients: bare digits per read, no newline, even after a
 * line client's reads and with a carried piece of a line. */
START_TEST(classic_reads_end_requests)
{
	struct proto_framer f;
	struct proto_req r;

	proto_framer_init(&f);
	feed(&f, "30", 2, false);
	ck_assert(proto_framer_next(&f, 40, &r));
	ck_assert_int_eq(r.n, 30);
	ck_assert(!proto_framer_next(&f, 40, &r));
	feed(&f, "7\n1", 3, false);		/* a line and a piece */
	ck_assert(proto_framer_next(&f, 40, &r));
	ck_assert_int_eq(r.n, 7);
	ck_assert(!proto_framer_next(&f, 40, &r));
	feed(&f, "2", 1, false);		/* short, no newline: ends "12" */
	ck_assert(proto_framer_next(&f, 40, &r));
	ck_assert_int_eq(r.n, 12);
	feed(&f, "xyz", 3, false);
	ck_assert(proto_framer_next(&f, 40, &r));
	ck_assert_int_eq(r.kind, PROTO_ERROR);
}
END_TEST

/* Lines over the limit give one error each, however many reads they span;
 * a 100-byte line split across reads is still good. */
START_TEST(long_lines_across_reads)
{
	static char in[3 * PROTO_READ_MAX];
	static int ns[16];
	char good[PROTO_LINE_MAX + 1];
	size_t len;
	int n;

	memset(in, '9', 10000);		/* a 10,000-digit number */
	in[10000] = '\n';
	memcpy(in + 10001, "5\n", 2);
	len = 10003;
	n = stream(in, len, PROTO_READ_MAX, ns, 16);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(ns[0], -1);
	ck_assert_int_eq(ns[1], 5);
	/* a 100-byte line (spaces and 40) cut at byte 4,096 */
	memset(good, ' ', PROTO_LINE_MAX);
	memcpy(good + PROTO_LINE_MAX - 2, "40", 2);
	memset(in, '\n', PROTO_READ_MAX - 50);
	memcpy(in + PROTO_READ_MAX - 50, good, PROTO_LINE_MAX);
	in[PROTO_READ_MAX + 50] = '\n';
	n = stream(in, PROTO_READ_MAX + 51, PROTO_READ_MAX, ns, 16);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ns[0], 40);
	/* 101 bytes is one error */
	in[PROTO_READ_MAX + 50] = ' ';
	in[PROTO_READ_MAX + 51] = '\n';
	n = stream(in, PROTO_READ_MAX + 52, PROTO_READ_MAX, ns, 16);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ns[0], -1);
	/* a classic client's 5,000 bytes of junk in one send: one error when
	 * the short read that ends it comes */
	memset(in, 'x', 5000);
	n = stream(in, 5000, PROTO_READ_MAX, ns, 16);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(ns[0], -1);
}
END_TEST

static Suite *
proto_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("proto");

	tcase_add_test(tc, bare_digits);
	tcase_add_test(tc, lines_and_space);
	tcase_add_test(tc, several_lines_in_order);
	tcase_add_test(tc, blank_lines_skipped);
	tcase_add_test(tc, malformed_kinds);
	tcase_add_test(tc, error_then_good_in_one_read);
	tcase_add_test(tc, line_limit);
	tcase_add_test(tc, max_n_is_the_callers);
	tcase_add_test(tc, replies);
	tcase_add_test(tc, random_bytes);
	tcase_add_test(tc, line_crossing_reads);
	tcase_add_test(tc, classic_reads_end_requests);
	tcase_add_test(tc, long_lines_across_reads);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(proto_suite)
