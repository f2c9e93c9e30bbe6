/* bench_dash: what the dashboard's frame loop costs.  A lab of 64 fib
 * threads runs while the loop samples, snapshots and draws into a 120x40
 * canvas (no terminal) at 10 and then 30 fps; prints the loop thread's CPU
 * share.  The targets: <= 2 % of a core at 10 fps, <= 5 % at 30. */
#include "dash.h"
#include "forker.h"

#include <stdio.h>
#include <stdlib.h>

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
		double pct = dash_bench(fps[i], 64, secs);

		printf("dashboard frame loop, 64 tasks, %2d fps: %5.2f %% of a core "
		    "(target <= %.0f %%)%s\n", fps[i], pct, target[i],
		    pct > target[i] ? "  OVER" : "");
		bad |= pct < 0 || pct > target[i];
	}
	return bad ? 1 : 0;
}
