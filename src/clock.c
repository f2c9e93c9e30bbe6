/*
 * clock: thin wrappers over clock_gettime and clock_nanosleep.
 */
#include "clock.h"

#include <errno.h>
#include <time.h>

static uint64_t
clock_read(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * CLOCK_NS_PER_S + (uint64_t)ts.tv_nsec;
}

uint64_t
clock_now_ns(void)
{
	return clock_read(CLOCK_MONOTONIC);
}

uint64_t
clock_thread_cpu_ns(void)
{
	return clock_read(CLOCK_THREAD_CPUTIME_ID);
}

uint64_t
clock_process_cpu_ns(void)
{
	return clock_read(CLOCK_PROCESS_CPUTIME_ID);
}

void
clock_sleep_ns(uint64_t ns)
{
	struct timespec ts;
	uint64_t until = clock_now_ns() + ns;

	ts.tv_sec = (time_t)(until / CLOCK_NS_PER_S);
	ts.tv_nsec = (long)(until % CLOCK_NS_PER_S);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}
