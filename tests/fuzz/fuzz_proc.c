/* libFuzzer target: the /proc/stat and schedstat parsers. */
#include "sample.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpu_times total, per[8], prev[8];
	uint64_t on, wait;
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (f != NULL) {
		if (sample_parse_stat(f, &total, per, 8) >= 0)
			for (int i = 0; i < 8; i++) {
				double b;

				prev[i] = per[i];
				b = sample_busy(&prev[i], &per[i]);
				if (b > 1.0)
					__builtin_trap();
			}
		fclose(f);
	}
	f = fmemopen((void *)data, size, "r");
	if (f != NULL) {
		sample_parse_schedstat(f, &on, &wait);
		fclose(f);
	}
	return 0;
}
