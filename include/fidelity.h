/*
 * fidelity: real CPython beside the simulation.  A lab's fidelity lines
 * ("FIGURE: SIM ~ REAL", lab.h) name one lesson figure as the simulation
 * measured it and as a real interpreter did in the same session; the
 * report, the JSON report and the lesson give both and real / simulated.
 */
#ifndef CONCLAB_FIDELITY_H
#define CONCLAB_FIDELITY_H

#include "json.h"
#include "report.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>

struct fidelity {
	char figure[96];
	double sim, real;	/* NAN when the figure is missing (a run skipped) */
	bool have_sim, have_real;
	bool real_no_gil;	/* the real run had no GIL (free-threaded CPython):
				 * no counterpart of a simulated GIL, no real figure */
	bool slowed;		/* --slow stretched the simulated side's switch
				 * interval (not the real one's): no ratio */
	double ratio;		/* real / simulated, of the two figures given
				 * (each a median of rounds where there are
				 * rounds); NAN when there is none */
	/* its runs met unequal or heavy other load (walk 5 F16: a serial
	 * baseline slowed by a burst made the ratio 2.22): in words, e.g.
	 * "serial-fib ran beside 80 % other load, cpython-threads 12 %"; ""
	 * when the load was even and light, or not measured */
	char load_note[160];
	int rounds;		/* > 1: both sides were measured in that many
				 * rounds (lab.h), each round's pair back to
				 * back; else 0 */
	/* each round's own real / simulated, the first round first (walk 6
	 * G14: their median printed beside the two medians could sit on the
	 * other side of 1 from them; the ratio is now the figures', and these
	 * show how far the rounds agreed) */
	double round_ratio[UTIL_MEDIAN_MAX];
};

/* Evaluate fidelity line i of the lab; false when it is not a valid line. */
bool fidelity_eval(const struct report_info *info, int i, struct fidelity *out);
/* "Real CPython beside the simulation:" and a line per figure measured on
 * both sides, as one text (caller frees); NULL when none was. */
char *fidelity_text(const struct report_info *info);
/* JSON "fidelity": [{figure, simulated, real, ratio}] (null where missing). */
void fidelity_json(struct json *j, const struct report_info *info);

#endif
