/* bench_proctrace: what following a process from /proc costs.  A child
 * process runs 8 threads that compute for 0.5 ms and wait on a condition
 * variable (futex) for 2 ms, over and over -- a state change every few
 * ticks; the tracer follows it at 1 kHz for 2 s.  Prints the tracer
 * thread's CPU time (its reads, the ticks' wake-ups) as a share of a core,
 * its CPU per tick and what that makes at the full rate (on a busy machine
 * the tracer may not get a core for every tick), and the CPU the hypervisor
 * stole meanwhile (/proc/stat). */
#include "clock.h"
#include "proctrace.h"
#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 8
#define SECONDS 2

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *
churn(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t until = clock_now_ns() + 500000;
		struct timespec ts;

		while (clock_now_ns() < until)
			;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 2000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&mu);
		pthread_cond_timedwait(&cv, &mu, &ts);
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

int
main(void)
{
	unsigned long long st0, tot0, st1, tot1;
	struct proctrace_opts o = { .hz = 1000, .max_cost = 0.03 };
	char err[256];
	struct trace *tr = trace_create(err, sizeof err);
	struct proctrace *pt;
	uint64_t t0, cpu0, cpu, next, ticks, wall;
	double pct;
	pid_t pid;

	if (tr == NULL)
		return 1;
	pid = fork();
	if (pid == 0) {
		pthread_t th;

		for (int i = 0; i < NTHREADS - 1; i++)
			pthread_create(&th, NULL, churn, NULL);
		churn(NULL);
		_exit(0);
	}
	usleep(100000);
	pt = proctrace_create(tr, pid, &o, err, sizeof err);
	if (pt == NULL) {
		fprintf(stderr, "bench_proctrace: %s\n", err);
		kill(pid, SIGKILL);
		return 1;
	}
	tu_stat(&tot0, &st0);
	t0 = next = clock_now_ns();
	cpu0 = clock_thread_cpu_ns();
	while (clock_now_ns() - t0 < SECONDS * CLOCK_NS_PER_S)
		proctrace_poll(pt, proctrace_wait_tick(pt, &next));
	wall = clock_now_ns() - t0;
	cpu = clock_thread_cpu_ns() - cpu0;
	tu_stat(&tot1, &st1);
	pct = 100.0 * (double)cpu / (double)wall;
	proctrace_cost_ns(pt, &ticks);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	printf("proctrace:              %6.2f %% of a core following %d threads at "
	    "%d Hz (target <= 3 %%), %d threads seen, %.0f ticks/s; %.1f us a tick: "
	    "%.2f %% at %d ticks/s; steal %.1f %%\n", pct, NTHREADS, o.hz,
	    proctrace_nthreads(pt), (double)ticks / ((double)wall / 1e9),
	    (double)cpu / 1e3 / (double)ticks, 100.0 * (double)cpu / (double)ticks * o.hz / 1e9,
	    o.hz, tot1 > tot0 ? 100.0 * (double)(st1 - st0) / (double)(tot1 - tot0) : 0.0);
	proctrace_destroy(pt);
	trace_destroy(tr);
	return 0;
}
