/* libFuzzer target: the lab file parser and --set on what it parsed. */
#include "exec.h"
#include "lab.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct lab lab;

	if (lab_parse((const char *)data, size, "fuzz.lab", exec_info, &lab, err,
	    sizeof err) == 0) {
		lab_set(&lab, "tasks=2", err, sizeof err);
		if (lab.nruns > 0)
			lab_only(&lab, lab.runs[0].name, err, sizeof err);
		lab_free(&lab);
	} else if (strchr(err, ':') == NULL) {
		__builtin_trap(); /* every error names file:line */
	}
	return 0;
}
