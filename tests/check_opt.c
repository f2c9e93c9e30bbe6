/* The option parser: typed values, ranges, choices, lists, positionals,
 * "--", and the exact messages for every kind of bad usage. */
#include "testutil.h"

#include "cpus.h"
#include "opt.h"

struct vals {
	bool headless;
	int port, mode;
	double slow;
	const char *host;
	const char *sets[2];
	int nsets;
};

/* Parse the words of line (space-separated, argv[0] first) into v. */
static int
parse(const char *line, struct vals *v, struct opt_args *a, char *err, size_t errlen,
    bool dashdash)
{
	static char buf[512];
	static char *argv[32];
	const struct opt opts[] = {
		{ "headless", OPT_FLAG, &v->headless, .help = "no screen" },
		{ "port", OPT_INT, &v->port, .lo = 0, .hi = 65535, .metavar = "N" },
		{ "mode", OPT_CHOICE, &v->mode, .choices = "text|json" },
		{ "slow", OPT_DOUBLE, &v->slow, .lo = 1, .hi = 1000 },
		{ "seconds", OPT_DOUBLE, &v->slow, .lo = 0, .hi = 10, .lo_open = true },
		{ "host", OPT_STRING, &v->host, .help = "address" },
		{ "set", OPT_LIST, v->sets, .max = 2, .count = &v->nsets },
		{ NULL },
	};
	const struct opt_cmd cmd = { .name = "serve", .opts = opts, .max_pos = 2,
	    .dashdash = dashdash };
	int argc = 0;

	memset(v, 0, sizeof *v);
	v->port = 25000;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *w = strtok(buf, " "); w != NULL; w = strtok(NULL, " "))
		argv[argc++] = strcmp(w, "''") == 0 ? w + 2 : w;
	return opt_parse(&cmd, argc, argv, a, err, errlen);
}

static void
want_error(const char *line, const char *msg)
{
	struct vals v;
	struct opt_args a;
	char err[256] = "";

	ck_assert_int_eq(parse(line, &v, &a, err, sizeof err, false), -1);
	ck_assert_str_eq(err, msg);
}

START_TEST(typed_values)
{
	struct vals v;
	struct opt_args a;
	char err[256];

	ck_assert_int_eq(parse("serve --port 80 --headless --mode=json --slow 2.5 "
	    "--host 10.0.0.1 lab1 --set a=1 --set b=2", &v, &a, err, sizeof err, false), 0);
	ck_assert_int_eq(v.port, 80);
	ck_assert(v.headless);
	ck_assert_int_eq(v.mode, 1);
	ck_assert(v.slow == 2.5);
	ck_assert_str_eq(v.host, "10.0.0.1");
	ck_assert_int_eq(v.nsets, 2);
	ck_assert_str_eq(v.sets[0], "a=1");
	ck_assert_str_eq(v.sets[1], "b=2");
	ck_assert_int_eq(a.npos, 1);
	ck_assert_str_eq(a.pos[0], "lab1");
	ck_assert(!a.help);
	ck_assert_int_eq(a.rest, 14);	/* argc: no "--" */
	/* defaults stay, the last value wins, -h anywhere */
	ck_assert_int_eq(parse("serve --port 1 --port 2 -h", &v, &a, err, sizeof err,
	    false), 0);
	ck_assert_int_eq(v.port, 2);
	ck_assert(a.help);
	ck_assert_int_eq(parse("serve", &v, &a, err, sizeof err, false), 0);
	ck_assert_int_eq(v.port, 25000);
}
END_TEST

START_TEST(dashdash_ends_options)
{
	struct vals v;
	struct opt_args a;
	char err[256];

	ck_assert_int_eq(parse("serve --port 3 -- sleep --port 9", &v, &a, err,
	    sizeof err, true), 0);
	ck_assert_int_eq(v.port, 3);
	ck_assert_int_eq(a.rest, 4);
	ck_assert_int_eq(a.npos, 0);
	/* without dashdash, "--" is not an option of the command */
	want_error("serve -- x", "unknown serve option '--' (see conclab serve --help)");
}
END_TEST

START_TEST(exact_messages)
{
	want_error("serve --nope", "unknown serve option '--nope' (see conclab serve --help)");
	want_error("serve -x", "unknown serve option '-x' (see conclab serve --help)");
	want_error("serve --port", "--port needs a value (see conclab serve --help)");
	want_error("serve --port 65536", "--port must be 0..65535, not '65536'");
	want_error("serve --port -1", "--port must be 0..65535, not '-1'");
	want_error("serve --port 12x", "--port must be 0..65535, not '12x'");
	want_error("serve --port ''", "--port must be 0..65535, not ''");
	want_error("serve --port 99999999999999999999",
	    "--port must be 0..65535, not '99999999999999999999'");
	want_error("serve --mode xml", "--mode must be one of text|json, not 'xml'");
	want_error("serve --mode tex", "--mode must be one of text|json, not 'tex'");
	want_error("serve --slow 0.5", "--slow must be a number from 1 to 1000, not '0.5'");
	want_error("serve --slow nan", "--slow must be a number from 1 to 1000, not 'nan'");
	want_error("serve --seconds 0",
	    "--seconds must be a number above 0 and at most 10, not '0'");
	want_error("serve --headless=1", "--headless takes no value (see conclab serve --help)");
	want_error("serve --set a --set b --set c", "too many --set options (at most 2)");
	want_error("serve a b c", "unexpected argument 'c' (see conclab serve --help)");
}
END_TEST

START_TEST(global_options_name_no_command)
{
	const struct opt opts[] = { { NULL } };
	const struct opt_cmd cmd = { .opts = opts };
	char a0[] = "conclab", a1[] = "--x";
	char *argv[] = { a0, a1, NULL };
	struct opt_args a;
	char err[256];

	ck_assert_int_eq(opt_parse(&cmd, 2, argv, &a, err, sizeof err), -1);
	ck_assert_str_eq(err, "unknown option '--x' (see conclab --help)");
}
END_TEST

START_TEST(number_helpers)
{
	int i = 7;
	double d = 0;

	ck_assert(opt_int("42", 0, 100, &i) && i == 42);
	ck_assert(!opt_int(" 42", 0, 100, &i));
	ck_assert(!opt_int("101", 0, 100, &i));
	ck_assert(!opt_int("4e1", 0, 100, &i));
	ck_assert(opt_double("1e-3", 0, 1, true, &d) && d == 1e-3);
	ck_assert(!opt_double("inf", 0, 1e300, false, &d));
	ck_assert(!opt_double("0", 0, 1, true, &d));
}
END_TEST

START_TEST(usage_lists_every_option)
{
	const struct opt opts[] = {
		{ "port", OPT_INT, NULL, .lo = 0, .hi = 1, .metavar = "N", .help = "the port" },
		{ "headless", OPT_FLAG, NULL, .help = "no screen" },
		{ NULL },
	};
	const struct opt_cmd cmd = { .name = "x", .opts = opts };
	char buf[512] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");

	opt_usage(&cmd, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "--port N"));
	ck_assert_ptr_nonnull(strstr(buf, "the port"));
	ck_assert_ptr_nonnull(strstr(buf, "--headless "));
}
END_TEST

/* walk 6 G17: `taskset -c 1 conclab --cpus 0` said "no such CPU here: 0" */
START_TEST(cpus_outside_affinity)
{
	cpu_set_t set, allowed;
	char err[256];

	CPU_ZERO(&allowed);
	CPU_SET(1, &allowed);
	CPU_ZERO(&set);
	CPU_SET(0, &set);	/* CPU 0 is always there */
	ck_assert_int_eq(cpus_check_within(&set, &allowed, err, sizeof err), -1);
	ck_assert_str_eq(err, "CPU 0 is outside this process's CPU affinity (it may use 1: "
	    "see taskset or the container's cpuset)");
	CPU_SET(CPUS_MAX - 1, &set);	/* no machine here has 256 */
	ck_assert_int_eq(cpus_check_within(&set, &allowed, err, sizeof err), -1);
	ck_assert_msg(strncmp(err, "no such CPU here: 255 (this machine's CPUs are 0-", 49) == 0,
	    "%s", err);
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	ck_assert_int_eq(cpus_check_within(&set, &allowed, err, sizeof err), 0);
}
END_TEST

/* Walk 7 H6: --cpus 4 is read as CPU number 4, where a student means four
 * cores: the message, the note and --help say it takes CPU numbers. */
START_TEST(cpus_count_is_a_cpu_number)
{
	char note[200], *out;
	int st;

	ck_assert(cpus_count_like("4", note, sizeof note));
	ck_assert_str_eq(note, "--cpus 4 is CPU number 4 alone (one core); --cpus takes a "
	    "list of CPU numbers: --cpus 0-3 for 4 cores");
	ck_assert(!cpus_count_like("1", note, sizeof note));	/* one core either way */
	ck_assert(!cpus_count_like("0", note, sizeof note));
	ck_assert(!cpus_count_like("0-3", note, sizeof note));
	ck_assert(!cpus_count_like("2,3", note, sizeof note));
	/* no machine here has 201 CPUs: refused, with the hint */
	out = tu_run("run gil --headless --only gil --cpus 200 --set duration_ms=50", &st, 1);
	ck_assert_msg(st == 2 && strstr(out, "--cpus: no such CPU here: 200") != NULL &&
	    strstr(out, "--cpus takes a list of CPU numbers: --cpus 0-199 for 200 cores") !=
	    NULL, "exit %d: %s", st, out);
	free(out);
	out = tu_run("run --help", &st, 1);
	ck_assert_msg(strstr(out, "the CPU numbers the lab may use (taskset syntax: 0-3 is "
	    "four cores, 0 one)") != NULL, "%s", out);
	free(out);
}
END_TEST

static Suite *
opt_suite(void)
{
	Suite *s = suite_create("opt");
	TCase *tc = tcase_create("opt");

	tcase_add_test(tc, typed_values);
	tcase_add_test(tc, dashdash_ends_options);
	tcase_add_test(tc, exact_messages);
	tcase_add_test(tc, global_options_name_no_command);
	tcase_add_test(tc, number_helpers);
	tcase_add_test(tc, usage_lists_every_option);
	tcase_add_test(tc, cpus_outside_affinity);
	tcase_add_test(tc, cpus_count_is_a_cpu_number);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(opt_suite)
