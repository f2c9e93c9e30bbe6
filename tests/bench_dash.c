/* bench_dash: what the dashboard's frame loop costs.  A lab of 64 fib
 * threads runs while the loop samples, snapshots and draws into a 120x40
 * canvas (no terminal) at 10 and then 30 fps; prints the loop thread's CPU
 * share.  The targets: <= 2 % of a core at 10 fps, <= 5 % at 30.
 * It drives the dashboard's own frame (dash_frame) on its lab screen. */
#include "clock.h"
#include "dash_screen.h"
#include "forker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drive the frame loop without a terminal for `seconds` at fps while a lab
 * of ntasks fib threads runs; the loop's CPU share in percent of one core,
 * or -1 on failure. */
static double
bench(int fps, int ntasks, double seconds)
{
	static const char text[] =
	    "[lab]\nid = bench\ntitle = dashboard cost\n"
	    "[run fib]\nexecutor = threads\ntasks = 1\nwork = fib\nduration_ms = 1000\n";
	struct dash_opts o = { .fps = fps, .slow = 1.0, .no_progress = true };
	struct dash d;
	struct lab lab;
	char err[512], set[64];
	uint64_t period = CLOCK_NS_PER_S / (uint64_t)fps, t_end, cpu0, next;
	double pct;

	if (dash_setup(&d, &o, err, sizeof err) < 0 ||
	    lab_parse(text, sizeof text - 1, "bench.lab", exec_info, &lab, err,
	    sizeof err) < 0) {
		fprintf(stderr, "bench_dash: %s\n", err);
		dash_teardown(&d);
		return -1;
	}
	d.headless = true;
	d.cv = canvas_create(120, 40, true);
	session_adopt(&d.s, &lab);
	snprintf(set, sizeof set, "tasks=%d", ntasks);
	lab_set(&d.s.lab, set, err, sizeof err);
	snprintf(set, sizeof set, "duration_ms=%d", (int)(seconds * 1000 * 4));
	lab_set(&d.s.lab, set, err, sizeof err);
	d.screen = d.back = DASH_LAB;
	if (session_start(&d.s, -1, err, sizeof err) < 0) {
		fprintf(stderr, "bench_dash: %s\n", err);
		dash_teardown(&d);
		return -1;
	}
	next = clock_now_ns();
	t_end = next + (uint64_t)(seconds * 1e9);
	cpu0 = clock_thread_cpu_ns();
	while (clock_now_ns() < t_end) {
		uint64_t now;

		dash_frame(&d);
		next += period;
		while ((now = clock_now_ns()) < next)
			forker_wait(next - now, -1);
	}
	pct = 100.0 * (double)(clock_thread_cpu_ns() - cpu0) / (seconds * 1e9);
	{
		uint64_t samples, cost = ownshare_cost_ns(d.s.own, &samples);

		/* part of the loop's share: the lab's own share of each core */
		printf("  own-share sampler: %.0f us a sample (%llu samples), %d threads "
		    "in %d processes\n", samples ? (double)cost / (double)samples / 1e3 : 0,
		    (unsigned long long)samples, ownshare_nthreads(d.s.own),
		    ownshare_nprocs(d.s.own));
	}
	dash_teardown(&d);
	return pct;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5.0;
	static const int fps[] = { 10, 30 };
	static const double target[] = { 2.0, 5.0 };
	int bad = 0;

	if (forker_init() < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		double pct = bench(fps[i], 64, secs);

		printf("dashboard frame loop, 64 tasks, %2d fps: %5.2f %% of a core "
		    "(target <= %.0f %%)%s\n", fps[i], pct, target[i],
		    pct > target[i] ? "  OVER" : "");
		bad |= pct < 0 || pct > target[i];
	}
	return bad ? 1 : 0;
}
