/*
 * exec_pyload: perf2 alone, then perf2 beside perf1, against a Python
 * server (exec_pyload.h).  Phases: a warm-up (connections accepted, the
 * handler thread started), perf2's rate alone, perf1 connects, a short
 * settle, perf2's rate beside it.
 */
#include "exec_pyload.h"

#include "clock.h"
#include "loadgen.h"
#include "util.h"

#include <stdlib.h>

#define PL_WARM_NS (100 * CLOCK_NS_PER_MS)
#define PL_SETTLE_NS (50 * CLOCK_NS_PER_MS)

enum pl_phase { PL_WARM, PL_ALONE, PL_SETTLE, PL_CONTENDED, PL_DONE };

struct exec_pyload {
	struct run_ctx *rc;
	int port;
	uint64_t phase_ns, t_phase;	/* a phase's length; when this one began */
	enum pl_phase phase;
	struct loadgen *fast, *slow;
	uint64_t reqs0;			/* perf2's replies when measuring began */
};

static struct loadgen *
pl_client(struct exec_pyload *pl, enum loadgen_kind kind, int n)
{
	struct loadgen_opts o = {
		.kind = kind, .host = "127.0.0.1", .port = pl->port, .n = n,
		.clients = 1, .tr = pl->rc->env->tr, .run = pl->rc->run_index,
	};
	char err[200];
	struct loadgen *lg = loadgen_start(&o, err, sizeof err);

	if (lg == NULL)
		util_err(pl->rc->res->error, sizeof pl->rc->res->error, "%s %s",
		    kind == LOADGEN_PERF1 ? "perf1:" : "perf2:", err);
	return lg;
}

struct exec_pyload *
exec_pyload_start(struct run_ctx *rc, int port, uint64_t phase_ns, uint64_t now)
{
	struct exec_pyload *pl = xcalloc(1, sizeof *pl);

	pl->rc = rc;
	pl->port = port;
	pl->phase_ns = phase_ns;
	pl->t_phase = now;
	pl->fast = pl_client(pl, LOADGEN_PERF2, 1);
	if (pl->fast == NULL) {
		free(pl);
		return NULL;
	}
	return pl;
}

static uint64_t
pl_reqs(const struct loadgen *lg)
{
	struct loadgen_totals t;

	loadgen_totals(lg, -1, &t);
	return t.reqs;
}

/* perf2's rate over the phase that just ended. */
static double
pl_rate(struct exec_pyload *pl, uint64_t now)
{
	uint64_t dt = now - pl->t_phase;

	return dt > 0 ? (double)(pl_reqs(pl->fast) - pl->reqs0) * 1e9 / (double)dt : 0;
}

bool
exec_pyload_step(struct exec_pyload *pl, uint64_t now)
{
	struct run_result *res = pl->rc->res;
	struct loadgen_totals lt;
	uint64_t span = now - pl->t_phase;

	switch (pl->phase) {
	case PL_WARM:
	case PL_SETTLE:
		if (span < (pl->phase == PL_WARM ? PL_WARM_NS : PL_SETTLE_NS))
			return false;
		pl->reqs0 = pl_reqs(pl->fast);
		break;
	case PL_ALONE:
		if (span < pl->phase_ns)
			return false;
		result_set(res, "fast_reqs_per_s_alone", pl_rate(pl, now), 0);
		pl->slow = pl_client(pl, LOADGEN_PERF1, 30);
		if (pl->slow == NULL)
			return true;
		break;
	case PL_CONTENDED:
		if (span < pl->phase_ns)
			return false;
		result_set(res, "fast_reqs_per_s_contended", pl_rate(pl, now), 0);
		loadgen_totals(pl->slow, -1, &lt);
		/* no long reply yet: the wait so far is a lower bound */
		result_set(res, "long_latency_s", lt.reqs > 0 ? (double)lt.lat_sum_ns /
		    (double)lt.reqs / 1e9 : (double)lt.inflight_ns / 1e9, 3);
		break;
	case PL_DONE:
		return true;
	}
	pl->phase++;
	pl->t_phase = now;
	return pl->phase == PL_DONE;
}

void
exec_pyload_stop(struct exec_pyload *pl)
{
	if (pl == NULL)
		return;
	loadgen_stop(pl->slow);
	loadgen_stop(pl->fast);
	free(pl);
}
