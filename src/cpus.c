/*
 * cpus: CPU list parsing and affinity.  The affinity set at start by --cpus is
 * inherited by every thread and child created after it, which is how a whole
 * lab is pinned.
 */
#include "cpus.h"

#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static bool
cpus_number(const char **p, long *out)
{
	char *end;

	if (!isdigit((unsigned char)**p))
		return false;
	*out = strtol(*p, &end, 10);
	*p = end;
	return true;
}

bool
cpus_count_like(const char *list, char *note, size_t len)
{
	const char *p = list;
	long n;

	if (!cpus_number(&p, &n) || *p != '\0' || n < 2)
		return false;
	snprintf(note, len, "--cpus %ld is CPU number %ld alone (one core); --cpus takes "
	    "a list of CPU numbers: --cpus 0-%ld for %ld cores", n, n, n - 1, n);
	return true;
}

int
cpus_parse_list(const char *s, cpu_set_t *set, char *err, size_t errlen)
{
	const char *p = s;

	CPU_ZERO(set);
	if (*p == '\0') {
		util_err(err, errlen, "empty CPU list (expected e.g. 0-3,5)");
		return -1;
	}
	for (;;) {
		long lo, hi;

		if (!cpus_number(&p, &lo))
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (!cpus_number(&p, &hi) || hi < lo)
				goto bad;
		}
		if (hi >= CPUS_MAX) {
			util_err(err, errlen, "CPU %ld is beyond the %d supported", hi,
			    CPUS_MAX);
			return -1;
		}
		for (long c = lo; c <= hi; c++)
			CPU_SET((int)c, set);
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			goto bad;
	}
bad:
	util_err(err, errlen, "bad CPU list '%s' (expected taskset syntax, e.g. 0-3,5)", s);
	return -1;
}

void
cpus_format_list(const cpu_set_t *set, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int c = 0; c < CPUS_MAX; c++) {
		int e = c;

		if (!CPU_ISSET(c, set))
			continue;
		while (e + 1 < CPUS_MAX && CPU_ISSET(e + 1, set))
			e++;
		if (used < len) {
			int n = e > c ? snprintf(buf + used, len - used, "%s%d-%d",
			    used ? "," : "", c, e) : snprintf(buf + used, len - used,
			    "%s%d", used ? "," : "", c);
			used += n > 0 ? (size_t)n : 0;
		}
		c = e;
	}
}

void
cpus_allowed(cpu_set_t *set)
{
	CPU_ZERO(set);
	if (sched_getaffinity(0, sizeof *set, set) != 0) {
		for (int c = 0; c < cpus_online() && c < CPUS_MAX; c++)
			CPU_SET(c, set);
	}
}

int
cpus_check_within(const cpu_set_t *set, const cpu_set_t *allowed, char *err, size_t errlen)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	cpu_set_t absent, outside;
	char buf[128], have[128];

	CPU_ZERO(&absent);
	CPU_ZERO(&outside);
	for (int c = 0; c < CPUS_MAX; c++) {
		if (!CPU_ISSET(c, set) || CPU_ISSET(c, allowed))
			continue;
		if (conf > 0 && c >= conf)
			CPU_SET(c, &absent);
		else
			CPU_SET(c, &outside);
	}
	cpus_format_list(allowed, have, sizeof have);
	if (CPU_COUNT(&absent) > 0) {
		cpus_format_list(&absent, buf, sizeof buf);
		util_err(err, errlen, "no such CPU here: %s (this machine's CPUs are 0-%ld; this process "
		    "may use %s)", buf, conf - 1, have);
		return -1;
	}
	if (CPU_COUNT(&outside) > 0) {	/* walk 6 G17: taskset, a container's cpuset */
		cpus_format_list(&outside, buf, sizeof buf);
		util_err(err, errlen, "CPU %s %s outside this process's CPU affinity (it may use "
		    "%s: see taskset or the container's cpuset)", buf,
		    CPU_COUNT(&outside) > 1 ? "are" : "is", have);
		return -1;
	}
	return 0;
}

int
cpus_pin(const cpu_set_t *set, char *err, size_t errlen)
{
	cpu_set_t allowed;

	cpus_allowed(&allowed);
	if (cpus_check_within(set, &allowed, err, errlen) < 0)
		return -1;
	if (sched_setaffinity(0, sizeof *set, set) != 0) {
		util_err(err, errlen, "cannot pin to those CPUs");
		return -1;
	}
	return 0;
}

int
cpus_online(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

void
cpus_machine(char *kernel, size_t klen, char *model, size_t mlen)
{
	struct utsname u;
	char line[512];
	FILE *f;

	util_strlcpy(kernel, "unknown", klen);
	util_strlcpy(model, "unknown", mlen);
	if (uname(&u) == 0)
		snprintf(kernel, klen, "%s %s", u.sysname, u.release);
	f = fopen("/proc/cpuinfo", "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
			util_strlcpy(model, util_trim(colon + 1), mlen);
			break;
		}
	}
	fclose(f);
}
