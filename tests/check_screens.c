/* Golden screens of every shipped lab, finished, from synthetic data
 * (screens_fx.h) rendered at 80x24 and 120x40 and compared with
 * tests/fixtures/screens/lab-ID-WxH.txt (CONCLAB_UPDATE_SCREENS=1 rewrites
 * them): a layout change shows here for every lab at once.  And the lesson
 * at a glance: headlines in full, 8 task rows, never fewer on a larger
 * screen, every row reachable by scrolling. */
#include "screens_fx.h"

#include "fmt.h"

/* The canvas against screens/NAME; a difference prints both. */
static int
same_screen(const struct canvas *c, const char *name)
{
	char rel[160], *got = canvas_to_string(c), *want = NULL;
	FILE *fp;
	long n;
	int same;

	snprintf(rel, sizeof rel, "screens/%s", name);
	if (getenv("CONCLAB_UPDATE_SCREENS") != NULL && (fp = fopen(tu_fixture(rel), "w"))) {
		fputs(got, fp);
		fclose(fp);
	}
	if ((fp = fopen(tu_fixture(rel), "r")) != NULL) {
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		rewind(fp);
		want = calloc(1, (size_t)n + 1);
		if (fread(want, 1, (size_t)n, fp) != (size_t)n)
			want[0] = '\0';
		fclose(fp);
	}
	same = want != NULL && strcmp(got, want) == 0;
	if (!same)
		fprintf(stderr, "--- expected %s\n%s--- got\n%s", rel, want ? want : "(none)", got);
	free(got);
	free(want);
	return same;
}

START_TEST(every_lab_finished)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	ck_assert_msg(errs[0] == '\0', "%s", errs);
	ck_assert_int_ge(n, 10);
	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], true);
			char name[96];

			view_lab(c, &s.v);
			snprintf(name, sizeof name, "lab-%s-%dx%d.txt", labs[i].id, sizes[z][0],
			    sizes[z][1]);
			bad += !same_screen(c, name);
			canvas_destroy(c);
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d screens differ (CONCLAB_UPDATE_SCREENS=1 rewrites them)",
	    bad);
}
END_TEST

/* A taller terminal gives its rows to the timeline: never fewer task rows
 * at 120x40 than at 80x24, nor at 200x50 than at 120x40. */
START_TEST(taller_shows_more_rows)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	char errs[4096], names[64][64];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;
		int prev = 0;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], true);
			int rows;

			view_lab(c, &s.v);
			rows = timeline_rows(c, names, 64);
			fprintf(stderr, "%s %dx%d: %d timeline rows of %d\n", labs[i].id,
			    sizes[z][0], sizes[z][1], rows, view_timeline_rows(&s.v));
			if (rows < prev)
				bad++;
			prev = rows;
			canvas_destroy(c);
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d screens show fewer timeline rows than a smaller one", bad);
}
END_TEST

/* Task rows on screen: timeline rows that are not a lock lane (a lane's
 * name is the lock's, in capitals: "GIL"). */
static int
task_rows(const struct canvas *c)
{
	char names[64][64];
	int rows = timeline_rows(c, names, 64), n = 0;

	for (int k = 0; k < rows; k++)
		n += strncmp(names[k], "GIL ", 4) != 0;
	return n;
}

/* The screen's text on one line, each run of white space one blank (the
 * strip wraps headlines at word boundaries). */
static char *
flat_text(const struct canvas *c)
{
	char *s = canvas_to_string(c), *out = s;
	bool blank = false;

	for (const char *p = s; *p != '\0'; p++) {
		if (isspace((unsigned char)*p)) {
			blank = out != s;
			continue;
		}
		if (blank)
			*out++ = ' ';
		blank = false;
		*out++ = *p;
	}
	*out = '\0';
	return s;
}

/* Every headline in full on the screen, and at least 8 task rows when the
 * lab's runs have 8 tasks or more.  Returns the failures. */
static int
check_glance(const struct canvas *c, const struct synth *s, const char *what)
{
	int ntasks = trace_ntasks(s->tr), tasks = 0, shown = task_rows(c), bad = 0;
	char *flat = flat_text(c);

	for (int k = 0; k < ntasks; k++)
		tasks += trace_task(s->tr, k)->kind == TRACE_KIND_TASK;
	if (shown < UTIL_MIN(tasks, 8)) {
		fprintf(stderr, "%s: %d task rows of %d, not %d\n", what, shown, tasks,
		    UTIL_MIN(tasks, 8));
		bad++;
	}
	for (int i = 0; i < s->v.nheadlines; i++) {
		char want[1024], *w = want;

		/* its white space as flat_text's */
		for (const char *p = s->v.headlines[i]; *p != '\0' && w + 1 < want + sizeof want;
		    p++)
			if (!isspace((unsigned char)*p))
				*w++ = *p;
			else if (w > want && w[-1] != ' ')
				*w++ = ' ';
		while (w > want && w[-1] == ' ')
			w--;
		*w = '\0';
		if (strstr(flat, want) == NULL) {
			fprintf(stderr, "%s: headline not in full: %s\n", what, want);
			bad++;
		}
	}
	free(flat);
	return bad;
}

/* The lesson at a glance (issue 14): at 80x24 and up, every lab shows its
 * headlines in full and at least 8 task rows (when its runs have them),
 * finished and while each run goes, and never fewer at 120x40 than at
 * 80x24, nor at 200x50 than at 120x40. */
START_TEST(every_lab_at_a_glance)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	ck_assert_int_ge(n, 10);
	for (int i = 0; i < n; i++)
		for (int live = 0; live <= labs[i].nruns; live++) {
			/* live 0: the lab finished; else its run live - 1 goes */
			struct synth s;
			int last = live - 1;

			synth_init_upto(&s, &labs[i], live > 0 ? live : labs[i].nruns);
			/* settings as the dashboard shows them: a long status line
			 * keeps the task range beside it */
			s.v.tasks = 3;
			s.v.work_ms = 1000;
			s.v.switch_ms = 5;
			if (live)
				synth_live(&s, last);
			for (size_t z = 0, prev = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
				/* UTF-8, as the headlines are spelt (µs) */
				struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], false);
				char what[96];

				view_lab(c, &s.v);
				snprintf(what, sizeof what, "%s %dx%d %s%s", labs[i].id, sizes[z][0],
				    sizes[z][1], live ? "running " : "finished",
				    live ? labs[i].runs[last].name : "");
				bad += check_glance(c, &s, what);
				/* a larger terminal never shows fewer task rows, at the
				 * end or while a run goes (the extra rows are the
				 * timeline's before the question's and run table's) */
				if ((size_t)task_rows(c) < prev && bad++ < 20)
					fprintf(stderr, "%s: %d task rows, fewer than a smaller "
					    "screen's %zu\n", what, task_rows(c), prev);
				prev = (size_t)task_rows(c);
				canvas_destroy(c);
			}
			synth_free(&s);
		}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d screens hide a headline, show fewer than 8 task rows or "
	    "fewer than a smaller screen", bad);
}
END_TEST

/* Scrolled near the end the timeline shows the last rows: the names on
 * screen are the last got rows of want (headers skipped). */
static bool
tail_shown(const char *const *want, int total, char names[][64], int got)
{
	for (int r = total - 1, k = got - 1; k >= 0; r--) {
		if (r < 0)
			return false;
		if (want[r] == NULL)
			continue;
		if (strncmp(names[k], want[r], strlen(want[r])) != 0)
			return false;
		k--;
	}
	return true;
}

/* Whether the lab screen draws the GIL lanes on their bands' header lines:
 * the task range on the timeline's top line ("3-10 of 40") counts fewer
 * rows than the trace has tasks and lanes. */
static bool
folds_lanes(struct canvas *c, const struct view_lab *v)
{
	struct view_lab follow = *v;
	char row[1024];
	const char *of;
	int top = -1;

	follow.scroll = -1;
	view_lab(c, &follow);
	ck_assert_int_gt(name_width_of(c, &top), 0);
	row_text(c, top, 0, row, sizeof row);
	of = strstr(row, " of ");
	return isdigit((unsigned char)row[0]) && of != NULL &&
	    atoi(of + 4) < trace_ntasks(v->tr);
}

/* Scrolled to any task row, that row is the first one under the pinned
 * band header: the header never covers a band's first rows.  The display
 * order as the timeline lists it: each band's header, tasks, then lane. */
START_TEST(scrolling_shows_every_row)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };
	char errs[4096], names[64][64];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], true);
			/* a timeline too short for all its rows draws a band's GIL
			 * lane on its header */
			bool fold = folds_lanes(c, &s.v);
			const char *want[256];
			int total = 0, ntasks = trace_ntasks(s.tr), run = -1;

			for (int k = 0, lanes = 0; k < ntasks && total < 254; k++) {
				const struct trace_task *t = trace_task(s.tr, k);

				if (t->run != run) {
					want[total++] = NULL;	/* the band's header */
					lanes = 0;
				}
				run = t->run;
				if (t->kind == TRACE_KIND_LANE && fold && lanes++ == 0)
					continue;
				want[total++] = t->kind == TRACE_KIND_LANE ? "GIL" : t->name;
			}
			s.v.fold_lanes = fold;
			ck_assert_int_eq(total, view_timeline_rows(&s.v));
			s.v.fold_lanes = false;
			for (int first = 0; first < total; first++) {
				int got;

				if (want[first] == NULL)
					continue;
				s.v.scroll = first;
				view_lab(c, &s.v);
				got = timeline_rows(c, names, 64);
				if (got == 0 || (strncmp(names[0], want[first], strlen(want[first])) != 0 &&
				    !tail_shown(want, total, names, got)))
					if (bad++ < 3)
					fprintf(stderr, "%s %dx%d scrolled to %d: '%s' first, not '%s'\n",
					    labs[i].id, sizes[z][0], sizes[z][1], first, names[0],
					    want[first]);
			}
			canvas_destroy(c);
		}
		s.v.scroll = -1;
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_msg(bad == 0, "%d scrolls hide the row scrolled to", bad);
}
END_TEST

/* Walk 3 #16: before the first run, the run table lists every run of the
 * lab where the screen has rows nobody needs (convoy's 11 runs at 120x40:
 * it showed 9 above 14 blank rows). */
START_TEST(question_screen_lists_every_run)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), checked = 0;

	for (int i = 0; i < n; i++) {
		struct canvas *c = canvas_create(120, 40, true);
		struct synth s;
		struct trace *empty;
		char *text;

		synth_init(&s, &labs[i]);
		empty = trace_create(errs, sizeof errs);
		ck_assert_ptr_nonnull(empty);
		s.v.tr = empty;
		s.v.asking = true;
		s.v.finished = false;
		s.v.explain = NULL;
		s.v.verdict = NULL;
		s.v.nheadlines = 0;
		s.v.series = NULL;
		for (int r = 0; r < labs[i].nruns; r++)
			s.v.runs[r] = (struct view_run){ .state = VIEW_RUN_PENDING };
		view_lab(c, &s.v);
		text = canvas_to_string(c);
		for (int r = 0; r < labs[i].nruns; r++) {
			char name[LAB_NAME_LEN + 4];

			snprintf(name, sizeof name, " %s ", labs[i].runs[r].name);
			ck_assert_msg(strstr(text, name) != NULL, "%s: run %s not listed:\n%s",
			    labs[i].id, labs[i].runs[r].name, text);
		}
		checked += labs[i].nruns;
		free(text);
		trace_destroy(empty);
		synth_free(&s);
		canvas_destroy(c);
	}
	lab_list_free(labs, n);
	ck_assert_int_gt(checked, 20);
}
END_TEST

/* Extent of row y from column x: cells up to the first blank. */
static int
drawn_len(const struct canvas *c, int x, int y)
{
	int n = 0;

	while (x + n < c->w && canvas_cell((struct canvas *)c, x + n, y)->ch != ' ')
		n++;
	return n;
}

/* Walk 4 #2: a GIL lane on a band's header line is as long as the band's
 * rows (the run's figures after it only where there is room), at 80, 120
 * and 200 columns: convoy's real-CPython lane was 38 cells over 57-cell
 * rows, the figures written over the rest. */
START_TEST(header_lane_as_long_as_rows)
{
	static const int widths[] = { 80, 120, 200 };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0, lanes = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		s.v.fold_lanes = true;
		for (size_t z = 0; z < sizeof widths / sizeof widths[0]; z++) {
			int h = view_timeline_rows(&s.v) + 2;
			struct canvas *c = canvas_create(widths[z], h, true);
			int nw = view_timeline_name_width(&s.v, widths[z]);

			view_timeline(c, &s.v, 0, 0, widths[z], h);
			for (int y = 1; y + 1 < h - 1; y++) {
				bool lane = false;
				int len = drawn_len(c, nw, y), rows = drawn_len(c, nw, y + 1);

				for (int x = nw; x < nw + len; x++)
					lane |= (canvas_cell(c, x, y)->attr & CA_REVERSE) != 0;
				if (!(canvas_cell(c, 0, y)->attr & CA_BOLD) || !lane)
					continue;
				lanes++;
				if (len != rows && bad++ < 3) {
					char a[1024], b[1024];

					row_text(c, y, 0, a, sizeof a);
					row_text(c, y + 1, 0, b, sizeof b);
					fprintf(stderr, "%s at %d columns: lane %d cells, rows %d\n%s\n%s\n",
					    labs[i].id, widths[z], len, rows, a, b);
				}
			}
			canvas_destroy(c);
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_int_gt(lanes, 10);
	ck_assert_msg(bad == 0, "%d band headers cut their GIL lane", bad);
}
END_TEST

/* Walk 4 #8: run names cut to fit stay as distinct as the names (convoy
 * at 80 columns showed 'cpython-contende…' for cpython-contended-10ms and
 * -1ms alike): the band headers' and the run table's, at every width. */
START_TEST(cut_run_names_stay_distinct)
{
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), bad = 0, cut = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (int w = VIEW_MIN_W; w <= 200; w += 4) {
			int h = view_timeline_rows(&s.v) + 2, nw = view_timeline_name_width(&s.v, w);
			struct canvas *c = canvas_create(w, h, true);
			char names[2][LAB_MAX_RUNS][96];
			int k[2] = { 0, 0 };

			view_timeline(c, &s.v, 0, 0, w, h);
			for (int y = 1; y < h - 1; y++)
				if (canvas_cell(c, 0, y)->attr & CA_BOLD) {
					row_text(c, y, 0, names[0][k[0]], sizeof names[0][0]);
					names[0][k[0]++][nw - 1] = '\0';
				}
			canvas_destroy(c);
			c = canvas_create(60, labs[i].nruns + 1, true);
			view_numbers(c, &s.v, 0, 0, c->w, c->h);	/* its narrowest names */
			for (int y = 1; y < c->h; y++) {
				row_text(c, y, 1, names[1][k[1]], sizeof names[1][0]);
				*strchrnul(names[1][k[1]++], ' ') = '\0';
			}
			canvas_destroy(c);
			for (int t = 0; t < 2; t++)
				for (int a = 0; a < k[t]; a++) {
					cut += strstr(names[t][a], "\xe2\x80\xa6") != NULL ||
					    strchr(names[t][a], '>') != NULL;
					for (int b = a + 1; b < k[t]; b++)
						if (strcmp(names[t][a], names[t][b]) == 0 && bad++ < 4)
							fprintf(stderr, "%s at %d columns: two runs "
							    "shown as '%s'\n", labs[i].id, w, names[t][a]);
				}
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_int_gt(cut, 0);
	ck_assert_msg(bad == 0, "%d cut run names look like another run's", bad);
}
END_TEST

/* Walk 4 #11: interleave at 80x24 showed the last 9 of its 15 printed
 * lines (rounds 2-4), and its lesson is the order of the rounds: once the
 * lab is done, the output pane shows every line from the first round. */
START_TEST(interleave_output_from_the_first_round)
{
	static const char *const tok[] = { "d0", "a0", "c0", "d1", "a1", "c1", "d2", "a2",
		"c2", "a3", "d3", "c3", "a4", "d4", "c4" };
	const char *want = "d0 a0 c0 d1 a1 c1 d2 a2 c2 a3 d3 c3 a4 d4 c4";
	char errs[4096], got[2048] = "", (*out)[OUTPANE_LINE_LEN] = calloc(15, OUTPANE_LINE_LEN);
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), found = 0;

	for (int i = 0; i < n; i++) {
		struct canvas *c;
		struct synth s;
		char *text;

		if (strcmp(labs[i].id, "interleave") != 0)
			continue;
		found++;
		c = canvas_create(80, 24, true);
		synth_init(&s, &labs[i]);
		for (int k = 0; k < 15; k++)
			snprintf(out[k], OUTPANE_LINE_LEN, "%s", tok[k]);
		s.v.out = (const char (*)[OUTPANE_LINE_LEN])out;
		s.v.nout = 15;
		view_lab(c, &s.v);
		text = canvas_to_string(c);
		for (int y = 0; y < c->h && got[0] == '\0'; y++) {
			char row[1024], *at;
			int x;

			row_text(c, y, 0, row, sizeof row);
			if ((at = strstr(row, "Output (15 lines)")) == NULL)
				continue;
			x = (int)(at - row);	/* the pane's rows, read left to right */
			for (int r = y + 1; r < c->h; r++) {
				row_text(c, r, x, row, sizeof row);
				if (row[0] == ' ' || row[0] == '\0')
					break;
				snprintf(got + strlen(got), sizeof got - strlen(got), "%s ", row);
			}
		}
		for (char *p = got; *p != '\0';)	/* one blank between lines */
			if (p[0] == ' ' && p[1] == ' ')
				memmove(p, p + 1, strlen(p));
			else
				p++;
		ck_assert_msg(strncmp(got, want, strlen(want)) == 0, "output pane '%s', not '%s':\n%s",
		    got, want, text);
		free(text);
		synth_free(&s);
		canvas_destroy(c);
	}
	lab_list_free(labs, n);
	free(out);
	ck_assert_int_eq(found, 1);
}
END_TEST

/* Walk 5 F10: at 80x24 the run table dropped runs without saying so
 * (sleep-vs-fib 5 of 6, server 5 of 8, pool 5 of 10) and Tab could pick a
 * run it did not show.  Every lab, every height of the table, every pick:
 * the rows list each run at most once, the picked one always (">"), and
 * a last row "... N more (Tab)" counts the rest. */
START_TEST(run_table_says_what_it_leaves_out)
{
	char errs[4096], row[128];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), cut = 0;
	struct canvas *c = canvas_create(60, 16, true);

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (int h = 2; h <= labs[i].nruns + 1; h++)
			for (int sel = 0; sel < labs[i].nruns; sel++) {
				int listed = 0, picked = 0, more = 0;

				s.v.sel_run = sel;
				canvas_clear(c);
				view_numbers(c, &s.v, 0, 0, c->w, h);
				for (int y = 1; y < h; y++) {
					row_text(c, y, 0, row, sizeof row);
					if (sscanf(row, " ... %d more (Tab)", &more) == 1)
						continue;
					listed += row[0] == '>' || (row[0] == ' ' && row[1] != ' ');
					picked += row[0] == '>';
				}
				ck_assert_msg(picked == 1, "%s h %d pick %d: %d rows marked picked",
				    labs[i].id, h, sel, picked);
				ck_assert_msg(listed + more == labs[i].nruns || h == 2,
				    "%s h %d pick %d: %d rows + %d more of %d runs", labs[i].id,
				    h, sel, listed, more, labs[i].nruns);
				cut += more > 0;
			}
		synth_free(&s);
	}
	canvas_destroy(c);
	lab_list_free(labs, n);
	ck_assert_int_gt(cut, 0);
}
END_TEST

/* Walk 5 F13: the run table printed wall and CPU as bare decimals,
 * "sleep-threads    0.402 0.000875  <0.01", where every other place says
 * 402 ms and 875 µs.  Every lab's table, ASCII and UTF-8: each finished
 * run's wall and CPU with a unit, as fmt_time writes them, the columns
 * right-aligned by columns (µ is two bytes), cores busy as fmt_cores. */
START_TEST(run_table_times_in_units)
{
	static const double walls[] = { 0.402, 12.5, 1234.0 }, cpus[] = { 0.000875, 3.0e-8, 0 };
	char errs[4096], row[256], want[64], t[32];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), rows = 0;

	for (int i = 0; i < n; i++)
		for (int ascii = 0; ascii < 2; ascii++) {
			struct canvas *c = canvas_create(100, 12, ascii);
			struct synth s;
			int end = -1;

			synth_init(&s, &labs[i]);
			for (int r = 0; r < labs[i].nruns; r++) {
				s.v.runs[r].wall_s = walls[r % 3];
				s.v.runs[r].cpu_s = cpus[r % 3];
				s.v.runs[r].cores = r % 3 == 0 ? 0.002 : 1.5;
			}
			view_numbers(c, &s.v, 0, 0, c->w, 11);
			for (int y = 1; y < 11 && y <= labs[i].nruns; y++) {
				int r = -1;

				row_text(c, y, 0, row, sizeof row);
				for (int k = 0; k < labs[i].nruns; k++)
					if (strncmp(row + 1, labs[i].runs[k].name,
					    strlen(labs[i].runs[k].name)) == 0 && (r < 0 ||
					    strlen(labs[i].runs[k].name) > strlen(labs[i].runs[r].name)))
						r = k;
				if (r < 0)
					continue;	/* "... N more (Tab)" */
				fmt_time(t, sizeof t, walls[r % 3], ascii);
				fmt_time(want, sizeof want, cpus[r % 3], ascii);
				snprintf(want + strlen(want), sizeof want - strlen(want), " %6s",
				    r % 3 == 0 ? "<0.01" : "1.50");
				ck_assert_msg(strstr(row, t) != NULL && strstr(row, want) != NULL,
				    "%s: '%s' lacks '%s' and '%s'", labs[i].id, row, t, want);
				/* right-aligned: in ASCII (a byte a column) every row's
				 * cores figure ends in one column */
				if (ascii) {
					int e = (int)(strstr(row, want) - row) + fmt_cols(want);

					ck_assert_msg(end < 0 || e == end, "%s: '%s' ends at %d, not "
					    "%d", labs[i].id, row, e, end);
					end = e;
				}
				rows++;
			}
			synth_free(&s);
			canvas_destroy(c);
		}
	lab_list_free(labs, n);
	ck_assert_int_gt(rows, 20);
}
END_TEST

/* Walk 5 F20: interleave's thread rows were io from end to end -- a
 * print's microseconds never show -- so the output pane could not be tied
 * to the rows.  Each print (every 300 ms in the synthetic run: a0 a1 a2
 * a3) is its number on its thread's row, in order, where it printed, and
 * the legend says so. */
START_TEST(interleave_prints_on_rows)
{
	char errs[4096], row[512];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), rows = 0;

	for (int i = 0; i < n; i++) {
		struct canvas *c;
		struct synth s;
		int top = -1, nw;

		if (strcmp(labs[i].id, "interleave") != 0)
			continue;
		c = canvas_create(120, 40, true);
		synth_init(&s, &labs[i]);
		view_lab(c, &s.v);
		nw = name_width_of(c, &top);
		for (int y = top + 1; nw > 0 && y < c->h; y++) {
			char got[16] = "";
			size_t k = 0;
			int first = -1;

			row_text(c, y, 0, row, sizeof row);
			if (strncmp(row, "thread-", 7) != 0)
				continue;
			for (int x = nw; x < c->w && k + 1 < sizeof got; x++)
				if (canvas_cell(c, x, y)->color == CC_MARK) {
					got[k++] = (char)canvas_cell(c, x, y)->ch;
					first = first < 0 ? x : first;
				}
			ck_assert_msg(strcmp(got, "0123") == 0 && first == nw, "row '%s': prints '%s' "
			    "from %d", row, got, first);
			rows++;
		}
		row_text(c, c->h - 2, 0, row, sizeof row);
		ck_assert_msg(strstr(row, "0=print") != NULL, "%s", row);
		synth_free(&s);
		canvas_destroy(c);
	}
	lab_list_free(labs, n);
	ck_assert_int_ge(rows, 2);
}
END_TEST

/* Walk 7 H11: at 160x48 the run table cut metric names in the middle
 * ("costly_w…s_per_s 0", "han…r_s 2,111"), which read as nothing.  Every
 * figure in the table is whole, its key too; an ellipsis only after the
 * last figure, saying that more did not fit. */
START_TEST(run_table_keys_whole)
{
	static const int sizes[][2] = { { 120, 40 }, { 160, 48 }, { 200, 50 } };
	char errs[4096];
	struct lab *labs;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), rows = 0, bad = 0;

	for (int i = 0; i < n; i++) {
		struct synth s;

		synth_init(&s, &labs[i]);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct canvas *c = canvas_create(sizes[z][0], sizes[z][1], false);
			int head = -1;

			view_lab(c, &s.v);
			for (int y = 0; y < c->h && head < 0; y++) {
				char row[2048];

				row_text(c, y, 0, row, sizeof row);
				if (strstr(row, " cores  figures") != NULL)
					head = y;
			}
			for (int y = head + 1; head >= 0 && y < c->h; y++) {
				char row[2048], *fig, *e;

				row_text(c, y, 0, row, sizeof row);
				fig = strstr(row, " s  ");	/* after the times and cores */
				if (fig == NULL || strstr(row, "run table") != NULL)
					break;
				rows++;
				for (e = fig; (e = strstr(e, "\xe2\x80\xa6")) != NULL; e += 3)
					if ((e[-1] != ' ' || strspn(e + 3, " ") != strlen(e + 3)) &&
					    bad++ < 3)
						fprintf(stderr, "%s %dx%d: a figure cut: %s\n", labs[i].id,
						    sizes[z][0], sizes[z][1], row);
			}
			canvas_destroy(c);
		}
		synth_free(&s);
	}
	lab_list_free(labs, n);
	ck_assert_int_ge(rows, 10);
	ck_assert_msg(bad == 0, "%d run table rows with a figure cut", bad);
}
END_TEST

static Suite *
screens_suite(void)
{
	Suite *s = suite_create("screens");
	TCase *tc = tcase_create("screens");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, every_lab_finished);
	tcase_add_test(tc, taller_shows_more_rows);
	tcase_add_test(tc, scrolling_shows_every_row);
	tcase_add_test(tc, question_screen_lists_every_run);
	tcase_add_test(tc, header_lane_as_long_as_rows);
	tcase_add_test(tc, cut_run_names_stay_distinct);
	tcase_add_test(tc, interleave_output_from_the_first_round);
	tcase_add_test(tc, run_table_says_what_it_leaves_out);
	tcase_add_test(tc, run_table_times_in_units);
	tcase_add_test(tc, interleave_prints_on_rows);
	tcase_add_test(tc, every_lab_at_a_glance);
	tcase_add_test(tc, run_table_keys_whole);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(screens_suite)
