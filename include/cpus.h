/*
 * cpus: CPU lists in taskset syntax ("0-3,5"), the process's affinity, and
 * facts about the machine (kernel, CPU model, online cores).
 */
#ifndef CONCLAB_CPUS_H
#define CONCLAB_CPUS_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>

#define CPUS_MAX 256

/* Parse "0-3,5" into set; -1 with a message on bad syntax or a CPU >= CPUS_MAX. */
int cpus_parse_list(const char *s, cpu_set_t *set, char *err, size_t errlen);
/* True when list is one bare CPU number of 2 or more (--cpus 4), which a
 * reader may take for a count: note says it is CPU N alone and how to ask
 * for N cores (--cpus 0-3). */
bool cpus_count_like(const char *list, char *note, size_t len);
/* Format set as a list "0-3,5" into buf. */
void cpus_format_list(const cpu_set_t *set, char *buf, size_t len);
/* The CPUs this process may run on now (its affinity). */
void cpus_allowed(cpu_set_t *set);
/* 0 when set is within allowed; else -1 with a message that tells a CPU the
 * machine lacks ("no such CPU here: 7 ...") from one this process may not
 * use ("CPU 0 is outside this process's CPU affinity ..."). */
int cpus_check_within(const cpu_set_t *set, const cpu_set_t *allowed, char *err,
    size_t errlen);
/* Restrict the calling thread (and everything it later creates) to set;
 * -1 with a message when set is not within the current affinity. */
int cpus_pin(const cpu_set_t *set, char *err, size_t errlen);
/* Number of online CPUs of the machine. */
int cpus_online(void);
/* Fill the kernel release and the CPU model name. */
void cpus_machine(char *kernel, size_t klen, char *model, size_t mlen);

#endif
