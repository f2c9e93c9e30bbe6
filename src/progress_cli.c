/*
 * progress_cli: the self-paced path printed.  Each lab shows the tries not
 * yet done (the progress file records those done) as what to do; the first
 * lab not done is marked next.
 */
#include "progress_cli.h"

#include "exec.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void
wrap_item(FILE *f, const char *what, const char *text)
{
	char *line = xasprintf("%s: %s", what, text);

	report_wrap(f, line, 78, 2);
	free(line);
}

void
progress_print(FILE *f, const struct lab *labs, int n, const struct progress *p)
{
	int done = 0, right = 0, predicted = 0, next = -1;

	for (int i = 0; i < n; i++) {
		const struct progress_entry *e = progress_get(p, labs[i].id);

		if (e != NULL && e->done) {
			done++;
			predicted += e->predicted > 0 && e->correct >= 0;
			right += e->correct == 1;
		} else if (next < 0) {
			next = i;
		}
	}
	fprintf(f, "%d of %d labs done; %d of %d predictions right%s%s\n\n", done, n, right,
	    predicted, next >= 0 ? "; next: " : "; all done", next >= 0 ? labs[next].id : "");
	for (int i = 0; i < n; i++) {
		const struct progress_entry *e = progress_get(p, labs[i].id);
		const char *status = "not yet";
		int ndone;

		if (e != NULL && e->done)
			status = e->correct == 1 ? "done, predicted right" : e->correct == 0 ?
			    "done, predicted wrong" : "done, no prediction";
		fprintf(f, "%-14s %s%s\n", labs[i].id, status, i == next ? "  <- next" : "");
		wrap_item(f, e != NULL && e->done ? "taught" : "teaches", labs[i].title);
		ndone = 0;
		for (int t = 0; t < labs[i].ntries; t++) {	/* only the tries not yet done */
			if (e != NULL && (e->tried & (1u << t))) {
				ndone++;
				continue;
			}
			wrap_item(f, e != NULL && e->done ? "to try" : "then try", labs[i].tries[t]);
		}
		if (ndone > 0)
			fprintf(f, "  tries done: %d of %d\n", ndone, labs[i].ntries);
	}
}

int
progress_main(void)
{
	char errs[4096], warn[512];
	struct lab *labs;
	struct progress p;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);

	if (errs[0] != '\0')
		fprintf(stderr, "conclab: some lab files have errors:\n%s", errs);
	if (n == 0) {
		lab_list_free(labs, n);
		fputs("conclab: no labs found (see conclab list)\n", stderr);
		return 2;
	}
	memset(&p, 0, sizeof p);
	warn[0] = '\0';
	progress_load(&p, warn, sizeof warn);
	if (warn[0] != '\0')
		fprintf(stderr, "conclab: %s\n", warn);
	progress_print(stdout, labs, n, &p);
	lab_list_free(labs, n);
	return 0;
}
