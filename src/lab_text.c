/*
 * lab_text: a lab's own text (question, choices) with the settings in force
 * filled in, so a question asks about the runs that will be made.
 */
#include "lab.h"

#include "util.h"

#include <stdio.h>
#include <string.h>

char *
lab_fill_params(const struct lab *lab, const char *text)
{
	size_t cap = strlen(text) + 64, len = 0;
	char *out = xmalloc(cap);

	for (const char *p = text; *p != '\0';) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		char key[48], val[48];
		size_t n;
		int64_t v = 0;
		bool found = false;

		if (close != NULL && (size_t)(close - p - 1) < sizeof key) {
			memcpy(key, p + 1, (size_t)(close - p - 1));
			key[close - p - 1] = '\0';
			for (int i = 0; i < lab->nruns && !found; i++)
				found = lab_value_find(&lab->runs[i], key, &v);
		}
		if (found) {
			snprintf(val, sizeof val, "%lld", (long long)v);
			p = close + 1;
		} else {
			val[0] = *p++;
			val[1] = '\0';
		}
		n = strlen(val);
		if (len + n + 1 > cap)
			out = xrealloc(out, cap = (len + n + 1) * 2);
		memcpy(out + len, val, n + 1);
		len += n;
	}
	if (len == 0)
		out[0] = '\0';
	return out;
}
