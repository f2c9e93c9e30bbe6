/* conclab trace's live screen, drawn into a canvas: its legend shows only
 * what it draws, p holds the picture while tracing goes on, and once the
 * program ended the last picture stays with how it ended and the keys that
 * still work. */
#include "testutil.h"

#include "canvas.h"
#include "exec.h"
#include "lab.h"
#include "trace.h"
#include "trace_screen.h"
#include "util.h"

#include <sys/stat.h>

#define MS 1000000ULL

static const char lab_text[] = "[lab]\nid = trace\ntitle = conclab trace: prog\n"
    "[run trace]\nexecutor = threads\ntasks = 1\n";

struct fixture {
	struct trace *tr;
	struct lab lab;
	struct trace_screen *ts;
	struct canvas *c;
	int slot;
};

static void
fixture_init(struct fixture *f)
{
	char err[256];

	memset(f, 0, sizeof *f);
	f->tr = trace_create(err, sizeof err);
	ck_assert_ptr_nonnull(f->tr);
	ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "t.lab", exec_info,
	    &f->lab, err, sizeof err), 0);
	trace_mark(f->tr, TRACE_MARK_RUN, 0, f->tr->t0, "trace");
	f->slot = trace_task_add(f->tr, 0, "worker-1", TRACE_KIND_TASK);
	trace_set_state_at(f->tr, f->slot, TRACE_RUN, f->tr->t0, 0);
	f->ts = trace_screen_headless(f->tr, &f->lab, "prog (pid 1)");
	f->c = canvas_create(80, 24, true);
}

static void
fixture_free(struct fixture *f)
{
	trace_screen_close(f->ts);
	canvas_destroy(f->c);
	lab_free(&f->lab);
	trace_destroy(f->tr);
}

static char *
draw(struct fixture *f, uint64_t ms)
{
	trace_screen_draw(f->ts, f->c, f->tr->t0 + ms * MS, 1, 1.0);
	return canvas_to_string(f->c);
}

/* The row of the timeline that names worker-1. */
static char *
row(const char *screen, const char *name)
{
	const char *at = strstr(screen, name), *end;

	ck_assert_ptr_nonnull(at);
	end = strchr(at, '\n');
	return strndup(at, end != NULL ? (size_t)(end - at) : strlen(at));
}

START_TEST(legend_keys_and_pause)
{
	struct fixture f;
	char *s, *r1, *r2;

	fixture_init(&f);
	s = draw(&f, 500);
	/* the tracer writes no failed, paused or mark cells: not in the legend */
	ck_assert_ptr_nonnull(strstr(s, "legend: #run +ready =lock ~io .done"));
	ck_assert_ptr_null(strstr(s, "failed"));
	ck_assert_ptr_null(strstr(s, "paused"));
	ck_assert_ptr_null(strstr(s, "mark"));
	ck_assert_ptr_null(strstr(s, "GIL:"));		/* no lane drawn yet */
	ck_assert_ptr_nonnull(strstr(s, "p pause picture  e export  ? help"));
	free(s);
	trace_screen_lane(f.ts, true);
	s = draw(&f, 500);
	ck_assert_ptr_nonnull(strstr(s, "GIL:letter after a row's name=holder"));
	free(s);
	/* p: the picture stays at its moment while the trace goes on */
	ck_assert_int_eq(trace_screen_key(f.ts, 'p', f.tr->t0 + 600 * MS), TRACE_SCREEN_NONE);
	s = draw(&f, 600);
	r1 = row(s, "worker-1");
	free(s);
	trace_set_state_at(f.tr, f.slot, TRACE_LOCK, f.tr->t0 + 700 * MS, 0);
	s = draw(&f, 1500);
	ck_assert_ptr_nonnull(strstr(s, "PAUSED at 0.6 s"));
	r2 = row(s, "worker-1");
	ck_assert_str_eq(r1, r2);
	free(r2);
	free(s);
	ck_assert_int_eq(trace_screen_key(f.ts, 'p', f.tr->t0 + 1500 * MS), TRACE_SCREEN_NONE);
	s = draw(&f, 1500);
	r2 = row(s, "worker-1");
	ck_assert_str_ne(r1, r2);	/* live again: the lock shows */
	free(r1);
	free(r2);
	free(s);
	/* ? opens help, any key closes it; e asks for an export; q to stop */
	trace_screen_key(f.ts, '?', 0);
	s = draw(&f, 1500);
	ck_assert_ptr_nonnull(strstr(s, "conclab trace: keys"));
	free(s);
	ck_assert_int_eq(trace_screen_key(f.ts, 'q', 0), TRACE_SCREEN_NONE);
	ck_assert_int_eq(trace_screen_key(f.ts, 'e', 0), TRACE_SCREEN_EXPORT);
	ck_assert_int_eq(trace_screen_key(f.ts, 'q', 0), TRACE_SCREEN_QUIT);
	fixture_free(&f);
}
END_TEST

START_TEST(last_picture_stays)
{
	struct fixture f;
	char *s, *r1, *r2;

	fixture_init(&f);
	trace_set_state_at(f.tr, f.slot, TRACE_DONE, f.tr->t0 + 800 * MS, 0);
	trace_screen_end(f.ts, f.tr->t0 + 800 * MS, "the command exited with status 0");
	s = draw(&f, 900);
	ck_assert_ptr_nonnull(strstr(s, "the command exited with status 0; the last "
	    "picture stays until q"));
	ck_assert_ptr_nonnull(strstr(s, "e export  ? help  q quit"));
	ck_assert_ptr_null(strstr(s, "p pause"));
	r1 = row(s, "worker-1");
	free(s);
	s = draw(&f, 5000);		/* later: the same picture */
	r2 = row(s, "worker-1");
	ck_assert_str_eq(r1, r2);
	ck_assert_int_eq(trace_screen_key(f.ts, 'p', 0), TRACE_SCREEN_NONE);
	free(s);
	s = draw(&f, 6000);
	ck_assert_ptr_null(strstr(s, "PAUSED"));
	free(s);
	free(r1);
	free(r2);
	fixture_free(&f);
}
END_TEST

/* Walk 3 #15: the title keeps its figures whole at 80 columns -- a long
 * command is cut, the helpers' note shortened, and the time never cut ("4 threads (+2 of helpers, not shown)  1.5 s..."). */
START_TEST(title_keeps_its_figures)
{
	struct fixture f;
	bool hide[TRACE_MAX_TASKS] = { false };
	char *s, *title;

	memset(&f, 0, sizeof f);
	{
		char err[256];

		f.tr = trace_create(err, sizeof err);
		ck_assert_ptr_nonnull(f.tr);
		ck_assert_int_eq(lab_parse(lab_text, sizeof lab_text - 1, "t.lab", exec_info,
		    &f.lab, err, sizeof err), 0);
	}
	trace_mark(f.tr, TRACE_MARK_RUN, 0, f.tr->t0, "trace");
	f.slot = trace_task_add(f.tr, 0, "worker-1", TRACE_KIND_TASK);
	trace_set_state_at(f.tr, f.slot, TRACE_RUN, f.tr->t0, 0);
	f.ts = trace_screen_headless(f.tr, &f.lab,
	    "python3 /tmp/walk3_threads.py --many words after it (pid 2353)");
	trace_screen_hide(f.ts, hide, 2);
	f.c = canvas_create(80, 24, true);
	s = draw(&f, 1500);
	title = strndup(s, strcspn(s, "\n"));
	ck_assert_msg(strstr(title, "1 threads (+2 helpers)  1.5 s") != NULL, "'%s'", title);
	ck_assert_msg(strstr(title, "python3 /tmp/walk3_threads.py") != NULL, "'%s'", title);
	free(title);
	free(s);
	fixture_free(&f);
}
END_TEST

/* The letters a line of c draws as a GIL holder's (reverse, in the lock's
 * colour) from column x0 to x1, into out (NUL-ended). */
static void
lock_letters(const struct canvas *c, int y, int x0, int x1, char *out, size_t len)
{
	size_t n = 0;

	for (int x = x0; x < x1 && x < c->w && n + 1 < len; x++) {
		const struct canvas_cell *k = canvas_cell((struct canvas *)c, x, y);

		if ((k->attr & CA_REVERSE) && k->color == CC_LOCK && k->ch < 0x80 &&
		    strchr(out, (int)k->ch) == NULL) {
			out[n++] = (char)k->ch;
			out[n] = '\0';
		}
	}
}

/* Walk 5 F11: under conclab trace -- python3 the lane drew 3 for the main
 * thread python3, whose row ("python3 21763") had no letter after it, and
 * the legend said "GIL:2=thread 2 alone on a core" over a lane of 1, 2 and
 * 3.  Every letter the lane draws is after the name of a row of the
 * process the lane is about; a thread of another process (a child) has
 * none; the legend says what a letter is. */
START_TEST(lane_letters_by_rows)
{
	struct fixture f;
	const char *names[] = { "python3", "python3-1", "python3-2", "child" };
	int slot[4], lane, name_end = 0;
	char lane_has[64] = "", rows_have[64] = "", *s;

	fixture_init(&f);
	for (int i = 0; i < 4; i++) {
		pid_t pid = i < 3 ? 4242 : 4343;

		slot[i] = trace_task_add(f.tr, 0, names[i], TRACE_KIND_TASK);
		trace_task_begin_at(f.tr, slot[i], pid, i == 0 ? pid : pid + i, f.tr->t0,
		    TRACE_LOCK, 0);
	}
	lane = trace_task_add(f.tr, 0, "GIL", TRACE_KIND_LANE);
	trace_task_set_ids(f.tr, lane, 4242, 0);
	for (int k = 0; k < 12; k++) {	/* main, 1, 2 take turns: 100 ms each */
		int who = slot[k % 3];

		trace_set_state_at(f.tr, lane, TRACE_RUN, f.tr->t0 + (uint64_t)(k + 1) * 100 * MS,
		    (uint32_t)who + 1);
		trace_set_state_at(f.tr, who, TRACE_RUN, f.tr->t0 + (uint64_t)(k + 1) * 100 * MS, 0);
		trace_set_state_at(f.tr, slot[(k + 2) % 3], TRACE_LOCK,
		    f.tr->t0 + (uint64_t)(k + 1) * 100 * MS, 0);
	}
	trace_screen_lane(f.ts, true);
	s = draw(&f, 1400);
	{	/* the timeline's first column: the axis's first tick */
		const char *axis = strstr(s, "cell=");

		ck_assert_ptr_nonnull(axis);
		name_end = (int)(strchr(axis, ':') - axis);
	}
	for (int y = 0; y < f.c->h; y++) {
		char line[256];

		for (int x = 0; x < f.c->w && x < 255; x++)
			line[x] = (char)canvas_cell(f.c, x, y)->ch;
		line[f.c->w] = '\0';
		for (int i = 0; i < 4; i++) {
			size_t l = strlen(names[i]);
			char got[8] = "";

			if (strncmp(line, names[i], l) != 0 || line[l] != ' ')
				continue;
			lock_letters(f.c, y, 0, name_end, got, sizeof got);
			ck_assert_msg(i < 3 ? strlen(got) == 1 : got[0] == '\0',
			    "row %s: letters '%s'\n%s", names[i], got, s);
			util_strlcpy(rows_have + strlen(rows_have), got,
			    sizeof rows_have - strlen(rows_have));
		}
	}
	ck_assert_int_gt(name_end, 0);
	ck_assert_int_eq((int)strlen(rows_have), 3);
	for (int y = 0; y < f.c->h - 2; y++)
		lock_letters(f.c, y, name_end, f.c->w, lane_has + strlen(lane_has),
		    sizeof lane_has - strlen(lane_has));
	ck_assert_msg(strlen(lane_has) >= 3, "lane '%s'\n%s", lane_has, s);
	for (const char *p = lane_has; *p != '\0'; p++)
		ck_assert_msg(strchr(rows_have, *p) != NULL, "the lane draws %c, no row has it "
		    "(rows: %s)\n%s", *p, rows_have, s);
	ck_assert_ptr_nonnull(strstr(s, "GIL:letter"));
	ck_assert_ptr_null(strstr(s, "alone on a core"));
	free(s);
	fixture_free(&f);
}
END_TEST

/* Write text into ROOT/REL (the same inode: open files see it). */
static void
put_file(const char *root, const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

#define OWN_STAT "100 (prog) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 1000 10 0 " \
    "1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"

/* walk6 G9: the cores rows draw the traced program's share solid and other
 * programs' dotted, and the legend says which is which -- a program that
 * ran 10 % of cpu0 is not drawn under two full cores. */
START_TEST(cores_traced_apart_from_other)
{
	struct fixture f;
	char root[64], *s, *r0;

	tu_tmpdir(root, sizeof root, "tsown");
	put_file(root, "stat", "cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\n"
	    "cpu1 0 0 0 0 0 0 0 0 0 0\n");
	for (const char *d = "100\0" "100/task\0" "100/task/100\0"; *d != '\0';
	    d += strlen(d) + 1) {
		char path[128];

		snprintf(path, sizeof path, "%s/%s", root, d);
		ck_assert_int_eq(mkdir(path, 0755), 0);
	}
	put_file(root, "100/stat", OWN_STAT);
	put_file(root, "100/task/100/stat", OWN_STAT);
	put_file(root, "100/task/100/schedstat", "0 0 1\n");
	fixture_init(&f);
	trace_screen_follow(f.ts, 100, root);
	s = draw(&f, 100);	/* the baselines */
	free(s);
	/* 100 ms later both cores were busy all along, the program 10 ms of
	 * cpu0's */
	put_file(root, "stat", "cpu  20 0 0 0 0 0 0 0 0 0\ncpu0 10 0 0 0 0 0 0 0 0 0\n"
	    "cpu1 10 0 0 0 0 0 0 0 0 0\n");
	put_file(root, "100/task/100/schedstat", "10000000 0 2\n");
	s = draw(&f, 200);
	r0 = row(s, "cpu0 ");
	ck_assert_msg(strstr(r0, "#%%%%%%%%% 100%") != NULL, "cpu0: '%s'\n%s", r0, s);
	free(r0);
	if (strstr(s, "cpu1 ") != NULL) {
		r0 = row(s, "cpu1 ");
		ck_assert_msg(strstr(r0, "%%%%%%%%%% 100%") != NULL, "cpu1: '%s'\n%s", r0, s);
		free(r0);
	}
	ck_assert_msg(strstr(s, "=cpu _#=traced '%=other") != NULL, "%s", s);
	free(s);
	/* with a GIL lane too: what a letter is, whole, at 80 columns */
	trace_screen_lane(f.ts, true);
	s = draw(&f, 300);
	ck_assert_msg(strstr(s, "'%=other GIL:") != NULL && strstr(s, "letter=holder\n") != NULL,
	    "%s", s);
	free(s);
	fixture_free(&f);
	tu_rmtree(root);
}
END_TEST

static Suite *
trace_screen_suite(void)
{
	Suite *s = suite_create("trace_screen");
	TCase *tc = tcase_create("trace_screen");

	tcase_add_test(tc, legend_keys_and_pause);
	tcase_add_test(tc, title_keeps_its_figures);
	tcase_add_test(tc, last_picture_stays);
	tcase_add_test(tc, lane_letters_by_rows);
	tcase_add_test(tc, cores_traced_apart_from_other);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(trace_screen_suite)
