/* The verdict tests' fixture: a two-run lab (a serial, b threads, answer 2)
 * with headlines and expectations, its synthetic results, and its reports
 * as text. */
#ifndef CONCLAB_TESTS_VERDICT_FX_H
#define CONCLAB_TESTS_VERDICT_FX_H

#include "testutil.h"

#include "exec.h"
#include "result.h"
#include "verdict.h"

#define LAB_TEXT \
	"[lab]\nid = x\ntitle = t\nquestion = q\nchoice = a\nchoice = b\nanswer = 2\n" \
	"headline = alone {a.wall_s} s, with {b.wall_s} s: {a.wall_s / b.wall_s} times\n" \
	"headline = rate {b.tasks_per_s} on {cores} cores\n" \
	"expect = b.wall_s < 0.75 * a.wall_s -- b ran in parallel\n" \
	"expect = when cores >= 2: b.avg_cores_busy >= 1.5\n" \
	"expect = b.tasks_per_s > 100\n" \
	"[run a]\nexecutor = serial\ntasks = 3\n" \
	"[run b]\nexecutor = threads\ntasks = 3\n"

struct fx {
	struct lab lab;
	struct run_result res[LAB_MAX_RUNS];
	struct report_info info;
};

static inline void
fx_init(struct fx *f, double a_wall, double b_wall, double b_busy, int ncpus)
{
	char err[512];

	memset(f, 0, sizeof *f);
	ck_assert_msg(lab_parse(LAB_TEXT, strlen(LAB_TEXT), "x.lab", exec_info, &f->lab, err,
	    sizeof err) == 0, "%s", err);
	for (int i = 0; i < 2; i++) {
		f->res[i].finished = true;
		f->res[i].run = &f->lab.runs[i];
	}
	f->res[0].wall_s = a_wall;
	f->res[1].wall_s = b_wall;
	f->res[1].avg_cores_busy = b_busy;
	result_set(&f->res[1], "tasks_per_s", 11794.3, 1);
	f->info.lab = &f->lab;
	f->info.results = f->res;
	f->info.ncpus = ncpus;
	for (int c = 0; c < ncpus; c++)
		f->info.cpus[c] = c;
}

static inline void
fx_free(struct fx *f)
{
	for (int i = 0; i < LAB_MAX_RUNS; i++)
		result_clear(&f->res[i]);
	lab_free(&f->lab);
}

static inline char *
text_of(struct fx *f, bool json)
{
	FILE *m = tmpfile();
	char *buf = calloc(1, 65536);
	size_t n;

	ck_assert_ptr_nonnull(m);
	if (json)
		report_json(m, &f->info);
	else
		report_text(m, &f->info);
	rewind(m);
	n = fread(buf, 1, 65535, m);
	buf[n] = '\0';
	fclose(m);
	return buf;
}

/* The text with its line breaks made spaces (the report wraps at 78). */
static inline char *
flat(char *text)
{
	for (char *p = text; *p != '\0'; p++)
		if (*p == '\n')
			*p = ' ';
	return text;
}

#endif
