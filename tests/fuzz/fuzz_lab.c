/* libFuzzer target: the lab file parser, then --set, the dashboard's value
 * changes, --only and `conclab show` on what it parsed. */
#include "exec.h"
#include "lab.h"
#include "show.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	char err[512];
	struct lab lab;

	if (null == NULL)
		null = fopen("/dev/null", "w");
	if (lab_parse((const char *)data, size, "fuzz.lab", exec_info, &lab, err,
	    sizeof err) == 0) {
		lab_set(&lab, "tasks=2", err, sizeof err);
		lab_set_every(&lab, "duration_ms", 50, err, sizeof err);
		if (lab.nruns > 0) {
			lab_set_value(&lab, 0, 0, 1, err, sizeof err);
			lab_only(&lab, lab.runs[0].name, err, sizeof err);
		}
		lab_check_rows(&lab, err, sizeof err);
		if (null != NULL)
			show_lab(null, &lab);
		lab_free(&lab);
	} else if (strchr(err, ':') == NULL) {
		__builtin_trap(); /* every error names file:line */
	}
	return 0;
}
