/* libFuzzer target: the config file and progress file parsers. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char warn[1024];
	struct config c;
	struct progress p;
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (f != NULL) {
		config_parse(f, "fuzz", &c, warn, sizeof warn);
		fclose(f);
	}
	f = fmemopen((void *)data, size, "r");
	if (f != NULL) {
		progress_parse(f, "fuzz", &p, warn, sizeof warn);
		fclose(f);
		if (p.n > PROGRESS_MAX)
			__builtin_trap();
	}
	return 0;
}
