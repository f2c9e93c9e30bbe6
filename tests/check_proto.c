/* The fib server's wire protocol: requests from one read, errors, replies. */
#include "testutil.h"

#include "proto.h"

/* Parse every request of one read; kinds and values into arrays. */
static int
parse_all(const char *buf, size_t len, int max_n, struct proto_req *out, int max)
{
	size_t off = 0;
	int n = 0;

	while (off < len && n < max) {
		size_t used = proto_next(buf + off, len - off, max_n, &out[n]);

		ck_assert_uint_gt(used, 0);
		off += used;
		if (out[n].kind != PROTO_NONE)
			n++;
	}
	ck_assert_uint_eq(off, len);
	return n;
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
	const char *in = "1\n2\r\n\n  3\n4";	/* the last one without newline */
	int n = parse_all(in, strlen(in), 40, r, 8);

	ck_assert_int_eq(n, 4);
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
	ck_assert_uint_eq(proto_next("", 0, 40, &r[0]), 0);
	ck_assert_int_eq(r[0].kind, PROTO_NONE);
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

		ck_assert_uint_eq(proto_next(in, len, 40, &r), len);
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
	proto_next(line, PROTO_LINE_MAX, 40, &r);
	ck_assert_int_eq(r.kind, PROTO_FIB);
	proto_next(line, PROTO_LINE_MAX + 1, 40, &r);
	ck_assert_int_eq(r.kind, PROTO_ERROR);
	ck_assert_int_eq(r.error, PROTO_ERR_TOO_LONG);
}
END_TEST

START_TEST(max_n_is_the_callers)
{
	struct proto_req r;
	char out[PROTO_REPLY_MAX];

	proto_next("12", 2, 10, &r);
	ck_assert_int_eq(r.kind, PROTO_ERROR);
	ck_assert_int_eq(r.error, PROTO_ERR_TOO_BIG);
	proto_reply(&r, 0, out, sizeof out);
	ck_assert_ptr_nonnull(strstr(out, "10"));
	proto_next("10", 2, 10, &r);
	ck_assert_int_eq(r.kind, PROTO_FIB);
}
END_TEST

START_TEST(replies)
{
	struct proto_req r;
	char out[PROTO_REPLY_MAX];

	proto_next("30", 2, 40, &r);
	ck_assert_uint_eq(proto_reply(&r, proto_fib(r.n), out, sizeof out), 7);
	ck_assert_str_eq(out, "832040\n");
	ck_assert_uint_eq(proto_fib(0), 1);
	ck_assert_uint_eq(proto_fib(1), 1);
	ck_assert_uint_eq(proto_fib(2), 1);
	ck_assert_uint_eq(proto_fib(3), 2);
	ck_assert_uint_eq(proto_fib(90), 2880067194370816120ULL);
	proto_next("\n", 1, 40, &r);
	ck_assert_uint_eq(proto_reply(&r, 0, out, sizeof out), 0);
}
END_TEST

/* Random bytes never crash the parser and always make progress. */
START_TEST(random_bytes)
{
	unsigned seed = 12345;
	char buf[512];

	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(rand_r(&seed) % sizeof buf) + 1, off = 0;

		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rand_r(&seed) % 5 == 0 ? '\n' : rand_r(&seed));
		while (off < len) {
			struct proto_req r;
			char out[PROTO_REPLY_MAX];
			size_t used = proto_next(buf + off, len - off, 40, &r);

			ck_assert_uint_gt(used, 0);
			ck_assert_uint_le(used, len - off);
			if (r.kind == PROTO_FIB)
				ck_assert_int_le(r.n, 40);
			proto_reply(&r, 1, out, sizeof out);
			off += used;
		}
	}
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
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(proto_suite)
