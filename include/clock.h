/*
 * clock: monotonic and CPU-time clocks in nanoseconds, and sleeping.
 */
#ifndef CONCLAB_CLOCK_H
#define CONCLAB_CLOCK_H

#include <stdint.h>

#define CLOCK_NS_PER_MS 1000000ULL
#define CLOCK_NS_PER_S 1000000000ULL

/* Monotonic time in nanoseconds. */
uint64_t clock_now_ns(void);
/* CPU time of the calling thread in nanoseconds. */
uint64_t clock_thread_cpu_ns(void);
/* CPU time of the whole process (all threads) in nanoseconds. */
uint64_t clock_process_cpu_ns(void);
/* Sleep for ns nanoseconds, resuming after signals. */
void clock_sleep_ns(uint64_t ns);

#endif
