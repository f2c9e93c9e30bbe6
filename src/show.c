/*
 * show: `conclab show LAB`, a lab described from its file and its executors'
 * parameter tables: the question and choices (not the answer), then every
 * run with every parameter: its value, the table's default, what it allows
 * and its one-line doc.  Nothing is run.
 */
#include "show.h"

#include "exec.h"
#include "lab.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_WIDTH 78

/* Column widths of one run's parameter table. */
struct show_cols {
	int name, value, def, range;
};

static int
width_of(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;	/* UTF-8 characters */
	return n;
}

static void
measure(const struct lab_run *run, struct show_cols *c)
{
	char buf[LAB_TEXT_MAX + 1];

	*c = (struct show_cols){ .name = 9, .value = 5, .def = 7, .range = 7 };
	for (int i = 0; run->exec->params[i].name != NULL; i++) {
		const struct param_spec *spec = &run->exec->params[i];

		c->name = UTIL_MAX(c->name, width_of(spec->name));
		lab_param_format(run, i, buf, sizeof buf);
		c->value = UTIL_MAX(c->value, width_of(buf));
		lab_spec_default(spec, buf, sizeof buf);
		c->def = UTIL_MAX(c->def, width_of(buf));
		lab_spec_range(spec, buf, sizeof buf);
		c->range = UTIL_MAX(c->range, width_of(buf));
	}
}

/* One cell padded to width (by characters, so µ counts once). */
static void
cell(FILE *f, const char *s, int width)
{
	fprintf(f, "%s%*s  ", s, width - width_of(s), "");
}

/* The figures an expect or headline may name for this run (walk 6 G3: the
 * metrics were only in the README's JSON section). */
static void
show_figures(FILE *f, const struct lab_run *run)
{
	char text[512];
	size_t used = (size_t)snprintf(text, sizeof text, "figures (RUN.FIGURE in expect and "
	    "headline): wall_s, cpu_s, avg_cores_busy, tasks");

	for (const char *const *m = run->exec->metrics; m != NULL && *m != NULL &&
	    used < sizeof text; m++)
		used += (size_t)snprintf(text + used, sizeof text - used, ", %s", *m);
	report_wrap(f, text, SHOW_WIDTH, 4);
}

static void
show_run(FILE *f, const struct lab_run *run)
{
	char value[LAB_TEXT_MAX + 1], def[LAB_TEXT_MAX + 1], range[128];
	const char *unused = NULL;
	struct show_cols c;

	fprintf(f, "\n[run %s]  executor %s", run->name, run->exec->name);
	if (run->exec->title != NULL)
		fprintf(f, ": %s", run->exec->title);
	fputc('\n', f);
	if (run->describe != NULL)
		report_wrap(f, run->describe, SHOW_WIDTH, 4);
	measure(run, &c);
	fputs("    ", f);
	cell(f, "parameter", c.name);
	cell(f, "value", c.value);
	cell(f, "default", c.def);
	cell(f, "allowed", c.range);
	fputs("what it sets\n", f);
	for (int i = 0; run->exec->params[i].name != NULL; i++) {
		const struct param_spec *spec = &run->exec->params[i];
		const char *why = lab_param_unused(run, spec->name);

		lab_param_format(run, i, value, sizeof value);
		lab_spec_default(spec, def, sizeof def);
		lab_spec_range(spec, range, sizeof range);
		fputs(strcmp(value, def) != 0 ? "  * " : "    ", f);
		cell(f, spec->name, c.name);
		cell(f, value, c.value);
		cell(f, def, c.def);
		cell(f, range, c.range);
		/* walk 7 H2: a parameter this run ignores says so */
		if (why != NULL)
			unused = why;
		fprintf(f, "%s%s\n", why != NULL ? "(not used here) " : "",
		    spec->help != NULL ? spec->help : "");
	}
	if (unused != NULL) {
		char text[256];

		snprintf(text, sizeof text, "not used here: %s", unused);
		report_wrap(f, text, SHOW_WIDTH, 4);
	}
	show_figures(f, run);
}

void
show_lab(FILE *f, const struct lab *lab)
{
	fprintf(f, "%s: %s\n", lab->id, lab->title);
	fprintf(f, "file: %s\n", lab->path);
	if (lab->question != NULL) {
		/* with the settings filled in, as the dashboard asks it */
		char *q = lab_fill_params(lab, lab->question);

		fputs("\nQuestion:\n", f);
		report_wrap(f, q, SHOW_WIDTH, 4);
		free(q);
		for (int i = 0; i < lab->nchoices; i++) {
			char *c = lab_fill_params(lab, lab->choices[i]);
			char *choice = xasprintf("%d. %s", i + 1, c);

			report_wrap(f, choice, SHOW_WIDTH, 4);
			free(choice);
			free(c);
		}
	}
	fprintf(f, "\n%d run%s. * marks a value the lab file changed from the default;\n"
	    "conclab run %s --set KEY=VALUE (or RUN.KEY=VALUE) changes one.\n", lab->nruns,
	    lab->nruns == 1 ? "" : "s", lab->id);
	for (int i = 0; i < lab->nruns; i++)
		show_run(f, &lab->runs[i]);
}

int
show_main(int argc, char **argv)
{
	char err[1400], ids[1024];
	struct lab lab;
	char *path;

	if (argc != 1) {
		fputs("conclab: show needs one LAB (an id from conclab list, or a "
		    "FILE.lab)\n", stderr);
		return 2;
	}
	path = lab_locate(argv[0]);
	if (path == NULL) {
		lab_id_list(exec_info, ids, sizeof ids);
		lab_missing(argv[0], ids, err, sizeof err);
		fprintf(stderr, "conclab: %s\n", err);
		return 2;
	}
	if (lab_load(path, exec_info, &lab, err, sizeof err) < 0) {
		fprintf(stderr, "conclab: %s\n", err);
		free(path);
		return 2;
	}
	free(path);
	show_lab(stdout, &lab);
	lab_free(&lab);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("conclab: cannot write to standard output\n", stderr);
		return 1;
	}
	return 0;
}
