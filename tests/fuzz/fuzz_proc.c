/* libFuzzer target: the /proc/stat and schedstat parsers, and proctrace's
 * per-thread stat, schedstat and syscall line parsers. */
#include "proctrace.h"
#include "sample.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	{
		/* proctrace parses a NUL-ended buffer, as pread gives it */
		char *buf = malloc(size + 1);
		struct proctrace_stat st;
		uint64_t pc;

		if (buf == NULL)
			return 0;
		memcpy(buf, data, size);
		buf[size] = '\0';
		if (proctrace_parse_stat(buf, &st) == 0 && st.comm[sizeof st.comm - 1] != '\0')
			__builtin_trap();
		proctrace_parse_schedstat(buf, &on, &wait, &pc);
		if (proctrace_parse_syscall(buf) < -3)
			__builtin_trap();
		free(buf);
	}
	return 0;
}
