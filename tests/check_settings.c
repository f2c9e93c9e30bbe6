/* The settings panel (c) without a terminal: the cursor follows the lines
 * in screen order, values reach what the labs' tries name (stepping or
 * typed), text parameters are typed, '*' marks what differs from the lab
 * file, the panel opens before the first run, and every try that names a
 * command-line setting names the panel's key for it too. */
#include "testutil.h"

#include "dash_screen.h"
#include "forker.h"
#include "ui.h"
#include "util.h"

#include <ctype.h>

static struct dash d;

/* Open lab id on the dashboard (its question, if any, waits). */
static void
open_lab(const char *id)
{
	struct dash_opts o = { .fps = 10, .slow = 1, .no_progress = true };
	char err[512], *path;

	ck_assert_int_eq(dash_setup(&d, &o, err, sizeof err), 0);
	d.headless = true;
	d.cv = canvas_create(80, 24, true);
	path = lab_find(id);
	ck_assert_ptr_nonnull(path);
	ck_assert_msg(dash_lab_open(&d, path, err, sizeof err) == 0, "%s", err);
	free(path);
}

static void
close_lab(void)
{
	dash_teardown(&d);
}

static void
keys(const char *s)
{
	for (; *s != '\0'; s++)
		dash_key(&d, *s == '\n' ? UI_KEY_ENTER : *s);
}

/* The row of the screen where text first shows, -1 if none. */
static int
row_of(const char *text)
{
	char *s, *at;
	int row = 0;

	dash_draw(&d);
	s = canvas_to_string(d.cv);
	at = strstr(s, text);
	for (char *p = s; at != NULL && p < at; p++)
		row += *p == '\n';
	free(s);
	return at != NULL ? row : -1;
}

/* Select the line of run.param. */
static void
select_param(const char *run, const char *param)
{
	int n = view_settings_lines(&d.s.lab), r, p;

	for (int i = 0; i < n; i++)
		if (view_settings_param(&d.s.lab, i, &r, &p) &&
		    strcmp(d.s.lab.runs[r].name, run) == 0 &&
		    strcmp(d.s.lab.runs[r].exec->params[p].name, param) == 0) {
			while (d.lab.settings_sel != i)
				dash_key(&d, d.lab.settings_sel < i ? UI_KEY_DOWN : UI_KEY_UP);
			return;
		}
	ck_abort_msg("no %s.%s in the settings", run, param);
}

static int64_t
value_of(const char *run, const char *key)
{
	return lab_value(lab_run_find(&d.s.lab, run), key);
}

/* Before the first run: c from the question opens the panel and Esc comes
 * back to the question; the cursor moves in the lines' screen order. */
START_TEST(order_and_before_the_first_run)
{
	int cpus, slow, first;

	open_lab("gil");
	ck_assert_int_eq(d.screen, DASH_ASK);
	dash_key(&d, 'c');
	ck_assert_int_eq(d.screen, DASH_SETTINGS);
	cpus = row_of("cpus    ");
	slow = row_of("slow motion ");
	ck_assert_int_gt(cpus, 0);
	ck_assert_int_gt(slow, 0);
	/* Down from the top line visits each next line down the screen */
	for (int i = 0; i < 4; i++)
		dash_key(&d, UI_KEY_UP);
	ck_assert_int_eq(d.lab.settings_sel, VIEW_SEL_TASKS);
	dash_key(&d, UI_KEY_DOWN);
	dash_key(&d, UI_KEY_DOWN);
	ck_assert_int_eq(d.lab.settings_sel, VIEW_SEL_CPUS);
	dash_key(&d, UI_KEY_DOWN);
	ck_assert_int_eq(d.lab.settings_sel, VIEW_SEL_SLOW);
	ck_assert_int_gt(slow, cpus);
	dash_key(&d, UI_KEY_DOWN);
	ck_assert_int_ge(d.lab.settings_sel, 0);
	first = d.lab.settings_sel;
	dash_key(&d, UI_KEY_DOWN);
	ck_assert_int_gt(d.lab.settings_sel, first);
	dash_key(&d, UI_KEY_UP);
	dash_key(&d, UI_KEY_UP);
	ck_assert_int_eq(d.lab.settings_sel, VIEW_SEL_SLOW);
	dash_key(&d, UI_KEY_ESC);
	ck_assert_int_eq(d.screen, DASH_ASK);
	close_lab();
}
END_TEST

/* conns=5000 and --slow 100 by Left/Right, and by typing; '*' marks only
 * what differs from the lab file. */
START_TEST(values_the_tries_name)
{
	int64_t seen[32];
	int n = 0;
	char *s;

	open_lab("event-loop");
	dash_key(&d, 'c');
	dash_draw(&d);
	s = canvas_to_string(d.cv);
	ck_assert_msg(strchr(s, '*') == strrchr(s, '*') && strstr(s, "(* changed") != NULL,
	    "a '*' before any change:\n%s", s);
	free(s);
	select_param(d.s.lab.runs[0].name, "conns");
	for (int i = 0; i < 12 && n < 32; i++) {
		dash_key(&d, UI_KEY_RIGHT);
		seen[n++] = value_of(d.s.lab.runs[0].name, "conns");
	}
	{
		bool got = false;

		for (int i = 0; i < n; i++)
			got |= seen[i] == 5000;
		ck_assert_msg(got, "Right never reached conns=5000");
	}
	keys("123\n");
	ck_assert_int_eq(value_of(d.s.lab.runs[0].name, "conns"), 123);
	ck_assert_int_gt(row_of(" *123 "), 0);	/* changed from the file now */
	ck_assert(!d.lab.editing);
	keys("99999999\n");			/* refused: the entry stays open */
	ck_assert(d.lab.editing);
	ck_assert_int_eq(value_of(d.s.lab.runs[0].name, "conns"), 123);
	dash_key(&d, UI_KEY_ESC);
	ck_assert(!d.lab.editing);
	ck_assert_int_eq(d.screen, DASH_SETTINGS);
	/* slow motion: stepping passes 100; typing sets it */
	while (d.lab.settings_sel != VIEW_SEL_SLOW)
		dash_key(&d, UI_KEY_UP);
	for (int i = 0; i < 6; i++)
		dash_key(&d, UI_KEY_RIGHT);
	ck_assert_msg(d.s.env.slow == 100, "slow x%g after 6 steps", d.s.env.slow);
	keys("5");
	ck_assert_int_gt(row_of("slow motion = 5_"), 0);
	keys("0\n");
	ck_assert(d.s.env.slow == 50);
	close_lab();
}
END_TEST

/* The interpreter is text: Enter, type the path, Enter. */
START_TEST(text_parameter_typed)
{
	open_lab("gil");
	dash_key(&d, 'c');
	select_param("cpython2", "interpreter");
	dash_key(&d, UI_KEY_ENTER);
	ck_assert(d.lab.editing);
	ck_assert_int_gt(row_of("cpython2.interpreter = "), 0);	/* what is typed */
	for (int i = 0; i < 40; i++)
		dash_key(&d, UI_KEY_BACKSPACE);
	keys("/opt/py/bin/python2.7\n");
	ck_assert(!d.lab.editing);
	ck_assert_str_eq(lab_string(lab_run_find(&d.s.lab, "cpython2"), "interpreter"),
	    "/opt/py/bin/python2.7");
	ck_assert_int_gt(row_of("*/opt/py/bin/python2.7"), 0);
	close_lab();
}
END_TEST

/* A try that names a command-line setting (--set, --cpus, --slow, or a
 * KEY=VALUE) names the panel's way to it: "c: cpus", "c: slow motion",
 * "c: [RUN] PARAM" or a key ("press +", "[ or"). */
static bool
names_panel_key(const struct lab *lab, const char *t)
{
	const char *c = strstr(t, "c: ");

	if (strstr(t, "press +") != NULL || strstr(t, "([ or") != NULL)
		return true;
	if (c == NULL)
		return false;
	c += 3;
	if (strncmp(c, "cpus", 4) == 0 || strncmp(c, "slow motion", 11) == 0)
		return true;
	for (int r = 0; r < lab->nruns; r++) {
		const struct lab_run *run = &lab->runs[r];
		size_t n = strlen(run->name);
		const char *p = c;

		if (strncmp(p, run->name, n) == 0 && p[n] == ' ')
			p += n + 1;
		for (int i = 0; run->exec->params[i].name != NULL; i++) {
			size_t k = strlen(run->exec->params[i].name);

			if (strncmp(p, run->exec->params[i].name, k) == 0 &&
			    (p[k] == ',' || p[k] == ')'))
				return true;
		}
	}
	return false;
}

/* Does text say PARAM=VALUE for a parameter of the lab? */
static bool
assigns_param(const struct lab *lab, const char *text)
{
	for (const char *e = strchr(text, '='); e != NULL; e = strchr(e + 1, '=')) {
		const char *b = e;
		char key[64];

		while (b > text && (isalnum((unsigned char)b[-1]) || b[-1] == '_'))
			b--;
		if (b == e || (size_t)(e - b) >= sizeof key)
			continue;
		memcpy(key, b, (size_t)(e - b));
		key[e - b] = '\0';
		for (int r = 0; r < lab->nruns; r++)
			if (lab_param_index(&lab->runs[r], key) >= 0)
				return true;
	}
	return false;
}

START_TEST(tries_name_their_key)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);

	ck_assert_int_ge(n, 1);
	for (int i = 0; i < n; i++)
		for (int t = 0; t < labs[i].ntries; t++) {
			const char *text = labs[i].tries[t];
			bool flag = strstr(text, "--set") != NULL ||
			    strstr(text, "--cpus") != NULL || strstr(text, "--slow") != NULL ||
			    assigns_param(&labs[i], text);

			ck_assert_msg(!flag || names_panel_key(&labs[i], text),
			    "%s: a try names no settings key: %s", labs[i].id, text);
		}
	lab_list_free(labs, n);
}
END_TEST

/* Walk 3 #17: at 80x24 every parameter's meaning is on screen in full
 * when its line is picked (the list cuts it), and the settings screen, with
 * no timeline, draws no legend of task states. */
START_TEST(each_meaning_in_full)
{
	static const char *const labs[] = { "gil", "server", "convoy", "pool" };
	int checked = 0;

	for (size_t l = 0; l < sizeof labs / sizeof labs[0]; l++) {
		int n;

		open_lab(labs[l]);
		dash_key(&d, 'c');
		ck_assert_int_eq(d.screen, DASH_SETTINGS);
		n = view_settings_lines(&d.s.lab);
		for (int i = 0; i < n; i++) {
			const struct param_spec *p;
			char *s, *flat, *o;
			const char *want;
			int r, k;

			if (!view_settings_param(&d.s.lab, i, &r, &k))
				continue;
			select_param(d.s.lab.runs[r].name, d.s.lab.runs[r].exec->params[k].name);
			p = &d.s.lab.runs[r].exec->params[k];
			if (p->help == NULL)
				continue;
			dash_draw(&d);
			s = canvas_to_string(d.cv);
			ck_assert_msg(strstr(s, "legend:") == NULL, "%s", s);
			/* the screen's text with each line's indent and end joined by
			 * one blank: the wrapped meaning reads as one sentence */
			flat = xcalloc(strlen(s) + 1, 1);
			o = flat;
			for (const char *c = s; *c != '\0'; c++) {
				if (*c == '\n') {
					while (c[1] == ' ')
						c++;
					*o++ = ' ';
				} else if (!(*c == ' ' && o > flat && o[-1] == ' ')) {
					*o++ = *c;
				}
			}
			want = p->help;
			ck_assert_msg(strstr(flat, want) != NULL, "%s.%s: '%s' not in full:\n%s",
			    d.s.lab.runs[r].name, p->name, want, s);
			checked++;
			free(flat);
			free(s);
		}
		close_lab();
	}
	ck_assert_int_gt(checked, 10);
}
END_TEST

/* Walk 4 #14: join's broken.duration_ms 1000 -> 2000 in the panel: the
 * message names what was set, and the lab screen's status line follows the
 * picked run ('work 1000 ms  pick: broken' before). */
START_TEST(status_follows_the_picked_run)
{
	open_lab("join");
	dash_key(&d, 'c');
	select_param("broken", "duration_ms");
	dash_key(&d, UI_KEY_RIGHT);
	ck_assert_int_eq(value_of("broken", "duration_ms"), 2000);
	ck_assert_msg(strstr(d.message, "broken.duration_ms = 2000") != NULL, "%s", d.message);
	dash_key(&d, UI_KEY_ESC);
	ck_assert_int_ne(d.screen, DASH_SETTINGS);
	while (strcmp(d.s.lab.runs[d.lab.sel_run].name, "broken") != 0)
		dash_key(&d, '\t');
	d.message[0] = '\0';	/* the message's time is up */
	dash_draw(&d);
	{
		char *screen = canvas_to_string(d.cv);

		ck_assert_msg(strstr(screen, "work 2000 ms  pick: broken") != NULL, "%s", screen);
		free(screen);
	}
	close_lab();
}
END_TEST

/* Walk 5 F8: the panel opened on slow motion, below cpus, so Down Down
 * (meaning cpus) reached serial-fib's work and Right made it sleep,
 * unsaid.  It opens on its first line now, Down visits every line down
 * the screen, Left/Right act on each (tasks and work too), and every
 * change is named on the status line. */
START_TEST(opens_on_the_first_line_and_names_changes)
{
	static const struct { int sel; const char *row; } order[] = {
		{ VIEW_SEL_TASKS, ">tasks per run" }, { VIEW_SEL_WORK, ">work per task" },
		{ VIEW_SEL_CPUS, ">cpus " }, { VIEW_SEL_SLOW, ">slow motion" },
	};
	int tasks;

	open_lab("sleep-vs-fib");
	dash_key(&d, 'c');
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		ck_assert_msg(d.lab.settings_sel == order[i].sel, "line %zu: sel %d", i,
		    d.lab.settings_sel);
		ck_assert_msg(row_of(order[i].row) > 0, "no '%s' on the screen", order[i].row);
		dash_key(&d, UI_KEY_DOWN);
	}
	ck_assert_int_ge(d.lab.settings_sel, 0);	/* then the parameters */
	dash_key(&d, UI_KEY_ESC);
	dash_key(&d, 'c');				/* the line last used */
	ck_assert_int_ge(d.lab.settings_sel, 0);
	while (d.lab.settings_sel != VIEW_SEL_TASKS)
		dash_key(&d, UI_KEY_UP);
	tasks = d.lab.tasks;
	dash_key(&d, UI_KEY_RIGHT);			/* as + */
	ck_assert_int_eq(d.lab.tasks, tasks + 1);
	ck_assert_int_eq(value_of("fib-threads", "tasks"), tasks + 1);
	ck_assert_msg(strstr(d.message, "for every run") != NULL, "%s", d.message);
	dash_key(&d, UI_KEY_DOWN);
	dash_key(&d, UI_KEY_LEFT);			/* as [ */
	ck_assert_int_eq(value_of("fib-threads", "duration_ms"), 500);
	ck_assert_msg(strstr(d.message, "work 500 ms for every run") != NULL, "%s", d.message);
	keys("300\n");					/* typed */
	ck_assert_int_eq(value_of("serial-fib", "duration_ms"), 300);
	ck_assert_msg(strstr(d.message, "work 300 ms") != NULL, "%s", d.message);
	select_param("serial-fib", "work");
	dash_key(&d, UI_KEY_RIGHT);
	ck_assert_msg(strstr(d.message, "serial-fib.work = sleep") != NULL, "%s", d.message);
	dash_key(&d, UI_KEY_LEFT);
	ck_assert_msg(strstr(d.message, "serial-fib.work = fib") != NULL, "%s", d.message);
	while (d.lab.settings_sel != VIEW_SEL_SLOW)
		dash_key(&d, UI_KEY_UP);
	dash_key(&d, UI_KEY_RIGHT);
	ck_assert_msg(strstr(d.message, "slow motion x2") != NULL, "%s", d.message);
	close_lab();
}
END_TEST

/* Walk 7 H2: in the server lab + said "tasks 4 for every run" and ] "work
 * 4000 ms for every run" while only cpython has them (and its server
 * script ignores tasks); the status line showed cpython's work beside
 * "pick: sequential".  Now + says the lab has no task count, ] names the
 * one run it set, and sequential's status line shows neither. */
START_TEST(keys_say_which_runs_they_set)
{
	open_lab("server");
	ck_assert_int_eq(d.lab.tasks, 0);
	dash_key(&d, 'c');
	dash_key(&d, '+');
	ck_assert_msg(strstr(d.message, "this lab has no task count to change") != NULL, "%s",
	    d.message);
	ck_assert_int_eq(value_of("cpython", "tasks"), 3);
	dash_key(&d, ']');
	ck_assert_int_eq(value_of("cpython", "duration_ms"), 4000);
	ck_assert_msg(strstr(d.message, "work 4000 ms for run cpython only (was 2000 ms)") !=
	    NULL, "%s", d.message);
	select_param("cpython", "tasks");		/* one it ignores, set by hand */
	dash_key(&d, UI_KEY_RIGHT);
	ck_assert_msg(strstr(d.message, "cpython.tasks = 5, but this run does not use it: a "
	    "server script") != NULL, "%s", d.message);
	dash_key(&d, UI_KEY_ESC);
	while (strcmp(d.s.lab.runs[d.lab.sel_run].name, "sequential") != 0)
		dash_key(&d, '\t');
	d.message[0] = '\0';
	dash_draw(&d);
	{
		char *screen = canvas_to_string(d.cv);

		ck_assert_msg(strstr(screen, "pick: sequential") != NULL &&
		    strstr(screen, "work 4000 ms") == NULL &&
		    strstr(screen, "tasks 3") == NULL, "%s", screen);
		free(screen);
	}
	close_lab();
	open_lab("sleep-vs-fib");	/* where every run has both: every run */
	dash_key(&d, 'c');
	dash_key(&d, ']');
	ck_assert_msg(strstr(d.message, "for every run") != NULL, "%s", d.message);
	close_lab();
}
END_TEST

static Suite *
settings_suite(void)
{
	Suite *s = suite_create("settings");
	TCase *tc = tcase_create("settings");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, order_and_before_the_first_run);
	tcase_add_test(tc, values_the_tries_name);
	tcase_add_test(tc, text_parameter_typed);
	tcase_add_test(tc, tries_name_their_key);
	tcase_add_test(tc, each_meaning_in_full);
	tcase_add_test(tc, status_follows_the_picked_run);
	tcase_add_test(tc, keys_say_which_runs_they_set);
	tcase_add_test(tc, opens_on_the_first_line_and_names_changes);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN_INIT(settings_suite, forker_init())
