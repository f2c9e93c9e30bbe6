/* fmt: separators, three significant digits, units and cut names as
 * fmt.h spells them. */
#include "testutil.h"

#include "fmt.h"

static const char *
thousands(double v, int d)
{
	static char buf[FMT_NUM_LEN];

	fmt_thousands(buf, sizeof buf, v, d);
	return buf;
}

static const char *
sig3(double v)
{
	static char buf[FMT_NUM_LEN];

	fmt_sig3(buf, sizeof buf, v);
	return buf;
}

static const char *
time_of(double s, bool ascii)
{
	static char buf[FMT_NUM_LEN];

	fmt_time(buf, sizeof buf, s, ascii);
	return buf;
}

START_TEST(counts_agree)
{
	char buf[64];

	fmt_count(buf, sizeof buf, 1, "core", NULL);
	ck_assert_str_eq(buf, "1 core");
	fmt_count(buf, sizeof buf, 2, "core", NULL);
	ck_assert_str_eq(buf, "2 cores");
	fmt_count(buf, sizeof buf, 0, "thread", NULL);
	ck_assert_str_eq(buf, "0 threads");
	fmt_count(buf, sizeof buf, 1000, "time", NULL);
	ck_assert_str_eq(buf, "1,000 times");
	fmt_count(buf, sizeof buf, 1, "process", "processes");
	ck_assert_str_eq(buf, "1 process");
	fmt_count(buf, sizeof buf, 3, "process", "processes");
	ck_assert_str_eq(buf, "3 processes");
	/* after a filled-in count: "on {cores} cores" with 1 core (walk4 #16) */
	{
		const char *one = NULL;

		ck_assert_uint_eq(fmt_agree("1", " cores take", &one), 5);
		ck_assert_str_eq(one, "core");
		ck_assert_uint_eq(fmt_agree("1", " times. Run", &one), 5);
		ck_assert_str_eq(one, "time");
		ck_assert_uint_eq(fmt_agree("one", " processes", &one), 9);
		ck_assert_str_eq(one, "process");
		ck_assert_uint_eq(fmt_agree("2", " cores", &one), 0);
		ck_assert_uint_eq(fmt_agree("1.00", " times", &one), 0);
		ck_assert_uint_eq(fmt_agree("1", " coresets", &one), 0);
		ck_assert_uint_eq(fmt_agree("1", "cores", &one), 0);
	}
}
END_TEST

START_TEST(separators)
{
	ck_assert_str_eq(thousands(11794, 0), "11,794");
	ck_assert_str_eq(thousands(11794.4, 0), "11,794");
	ck_assert_str_eq(thousands(501755, 0), "501,755");
	ck_assert_str_eq(thousands(1234567.891, 2), "1,234,567.89");
	ck_assert_str_eq(thousands(999, 0), "999");
	ck_assert_str_eq(thousands(-12345, 0), "-12,345");
	ck_assert_str_eq(thousands(-0.001, 0), "0");
	ck_assert_str_eq(thousands(0, 1), "0.0");
	ck_assert_str_eq(thousands(0.0 / 0.0, 0), "n/a");
}
END_TEST

START_TEST(three_significant_digits)
{
	ck_assert_str_eq(sig3(1.523), "1.52");
	ck_assert_str_eq(sig3(15.24), "15.2");
	ck_assert_str_eq(sig3(156.25), "156");
	ck_assert_str_eq(sig3(0.0098), "0.00980");
	ck_assert_str_eq(sig3(9.996), "10.0");
	ck_assert_str_eq(sig3(99.96), "100");
	ck_assert_str_eq(sig3(999.6), "1,000");
	ck_assert_str_eq(sig3(11794.3), "11,794");
	ck_assert_str_eq(sig3(-2.345), "-2.35");
	ck_assert_str_eq(sig3(0), "0");
}
END_TEST

START_TEST(times_with_one_unit_each)
{
	ck_assert_str_eq(time_of(1.523, false), "1.52 s");
	ck_assert_str_eq(time_of(1.5625e-7, false), "156 ns");
	ck_assert_str_eq(time_of(0.0098, false), "9.80 ms");
	ck_assert_str_eq(time_of(2.5e-5, false), "25.0 \xc2\xb5s");
	ck_assert_str_eq(time_of(2.5e-5, true), "25.0 us");
	ck_assert_str_eq(time_of(0.99996, false), "1.00 s");
	ck_assert_str_eq(time_of(0.00099996, false), "1.00 ms");
	ck_assert_str_eq(time_of(0, false), "0 s");
	ck_assert_str_eq(time_of(1234.5, false), "1,234 s");
}
END_TEST

START_TEST(figures_by_key)
{
	char buf[FMT_NUM_LEN];

	fmt_figure(buf, sizeof buf, "short_reqs_per_s", 11794.3);
	ck_assert_str_eq(buf, "11,794");
	fmt_figure(buf, sizeof buf, "lost_updates", 501755);
	ck_assert_str_eq(buf, "501,755");
	fmt_figure(buf, sizeof buf, "wall_s", 3.0);
	ck_assert_str_eq(buf, "3.00");
	fmt_figure(buf, sizeof buf, "ns_per_increment", 156.25);
	ck_assert_str_eq(buf, "156");
	fmt_figure(buf, sizeof buf, "avg_cores_busy", 1.987);
	ck_assert_str_eq(buf, "1.99");
	fmt_figure(buf, sizeof buf, "switches", 12);
	ck_assert_str_eq(buf, "12");
	/* review F11: "0.000981 cores busy" and "0 MB" */
	fmt_figure(buf, sizeof buf, "avg_cores_busy", 0.000981);
	ck_assert_str_eq(buf, "<0.01");
	fmt_figure(buf, sizeof buf, "avg_cores_busy", 0.0);	/* as the bands */
	ck_assert_str_eq(buf, "0.00");
	fmt_figure(buf, sizeof buf, "rss_mb", 7.7912);
	ck_assert_str_eq(buf, "7.79");
	fmt_figure(buf, sizeof buf, "rss_mb", 0.0);
	ck_assert_str_eq(buf, "0.00");
	fmt_figure(buf, sizeof buf, "rss_mb", 12.0);
	ck_assert_str_eq(buf, "12.0");
}
END_TEST

/* walk3.md 9: a figure beside its name keeps its own unit at zero
 * (wake_us 0 -> "0 µs", not "0 s") and a share says "%". */
START_TEST(metric_beside_its_name)
{
	char buf[FMT_NUM_LEN];

	fmt_metric(buf, sizeof buf, "wake_us", 0, false);
	ck_assert_str_eq(buf, "0 \xc2\xb5s");
	fmt_metric(buf, sizeof buf, "wake_us", 0, true);
	ck_assert_str_eq(buf, "0 us");
	fmt_metric(buf, sizeof buf, "rtt_ms_p50", 0, true);
	ck_assert_str_eq(buf, "0 ms");
	fmt_metric(buf, sizeof buf, "wake_us", 1520, true);
	ck_assert_str_eq(buf, "1.52 ms");
	fmt_metric(buf, sizeof buf, "same_cpu_pct", 99.98, true);
	ck_assert_str_eq(buf, "100 %");
	fmt_metric(buf, sizeof buf, "gil_held_pct", 0, true);
	ck_assert_str_eq(buf, "0 %");
	fmt_metric(buf, sizeof buf, "short_reqs_per_s", 5248, true);
	ck_assert_str_eq(buf, "5,248");
	/* in a lab's text the figure is followed by the text's own "%" */
	fmt_figure_unit(buf, sizeof buf, "same_cpu_pct", 99.98, true);
	ck_assert_str_eq(buf, "100");
}
END_TEST

/* The unit a figure's name carries: times, rates, neither. */
START_TEST(units_of_names)
{
	static const struct { const char *key; enum fmt_unit u; double s; } t[] = {
		{ "wall_s", FMT_TIME, 1 }, { "long_latency_s", FMT_TIME, 1 },
		{ "max_gap_ms", FMT_TIME, 1e-3 }, { "rtt_us_p50", FMT_TIME, 1e-6 },
		{ "wake_us", FMT_TIME, 1e-6 }, { "ns_per_increment", FMT_TIME, 1e-9 },
		{ "tasks_per_s", FMT_RATE, 0 }, { "fast_reqs_per_s_alone", FMT_RATE, 0 },
		{ "lost_updates", FMT_PLAIN, 0 }, { "gil_held_pct", FMT_PLAIN, 0 },
		{ "avg_cores_busy", FMT_PLAIN, 0 }, { "switches", FMT_PLAIN, 0 },
		{ "s", FMT_PLAIN, 0 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		double s;

		ck_assert_msg(fmt_key_unit(t[i].key, &s) == t[i].u, "%s", t[i].key);
		ck_assert_msg(s == t[i].s, "%s: %g", t[i].key, s);
	}
}
END_TEST

/* A wrapped line never ends between a number and its unit. */
START_TEST(number_keeps_its_unit)
{
	int cols;

	ck_assert_int_eq(fmt_word("12.4 s; next", &cols), 7);
	ck_assert_int_eq(cols, 7);
	ck_assert_int_eq(fmt_word("65.6 \xc2\xb5s, x", &cols), 9);
	ck_assert_int_eq(cols, 8);
	ck_assert_int_eq(fmt_word("93.7 % of", &cols), 6);
	ck_assert_int_eq(fmt_word("took 3 seconds", &cols), 4);
	ck_assert_int_eq(fmt_word("3 seconds", &cols), 1);	/* not a unit word */
}
END_TEST

START_TEST(cut_names)
{
	char buf[64];

	fmt_cut(buf, sizeof buf, "competitor-1", 8, false);
	ck_assert_str_eq(buf, "competi\xe2\x80\xa6");
	ck_assert_int_eq(fmt_cols(buf), 8);
	fmt_cut(buf, sizeof buf, "competitor-1", 8, true);
	ck_assert_str_eq(buf, "competi>");	/* not '.', a full stop (walk 19) */
	fmt_cut(buf, sizeof buf, "short", 8, false);
	ck_assert_str_eq(buf, "short");
	fmt_cut_middle(buf, sizeof buf, "countdown(10)", 11, false);
	ck_assert_str_eq(buf, "count\xe2\x80\xa6n(10)");
	ck_assert_int_eq(fmt_cols(buf), 11);
	fmt_cut_middle(buf, sizeof buf, "countdown(20)", 11, true);
	ck_assert_str_eq(buf, "count>n(20)");
	/* a cut never splits a multi-byte character */
	fmt_cut(buf, sizeof buf, "\xc2\xb5\xc2\xb5\xc2\xb5\xc2\xb5", 3, false);
	ck_assert_str_eq(buf, "\xc2\xb5\xc2\xb5\xe2\x80\xa6");
	ck_assert_ptr_null(strchr(buf, '~'));
}
END_TEST

static Suite *
fmt_suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc = tcase_create("fmt");

	tcase_add_test(tc, separators);
	tcase_add_test(tc, counts_agree);
	tcase_add_test(tc, metric_beside_its_name);
	tcase_add_test(tc, three_significant_digits);
	tcase_add_test(tc, times_with_one_unit_each);
	tcase_add_test(tc, figures_by_key);
	tcase_add_test(tc, units_of_names);
	tcase_add_test(tc, number_keeps_its_unit);
	tcase_add_test(tc, cut_names);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(fmt_suite)
