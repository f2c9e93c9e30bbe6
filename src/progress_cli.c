/*
 * progress_cli: the self-paced path printed, the lines lab_path makes (the
 * menu shows the same): each lab's status, what it taught, the tries not
 * yet done; the first lab not done is marked next.
 */
#include "progress_cli.h"

#include "exec.h"
#include "lab_path.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void
progress_print(FILE *f, const struct lab *labs, int n, const struct progress *p)
{
	char summary[256];
	int next = lab_path_summary(labs, n, p, summary, sizeof summary);

	fprintf(f, "%s\n\n", summary);
	for (int i = 0; i < n; i++) {
		struct lab_path_line lines[LAB_PATH_MAX_LINES];
		int count = lab_path_lines(&labs[i], p, i == next, lines);

		for (int k = 0; k < count; k++)	/* the head, then its items indented */
			if (lines[k].kind == LAB_PATH_HEAD)
				fprintf(f, "%s\n", lines[k].text);
			else
				report_wrap(f, lines[k].text, 78, 2);
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
