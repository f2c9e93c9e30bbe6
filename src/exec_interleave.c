/*
 * exec_interleave: the seed's three threads that each print a prefix and a
 * counter, sleeping between prints.  Which thread prints first in a round
 * is up to the scheduler, so the output interleaves and changes between
 * reruns.
 *
 * The printed lines go to the output pane (outpane.h) as they appear, and
 * into the run's metric `output` (a JSON array of strings, in print order).
 * `order_changes` counts the rounds whose order of prefixes differs from the
 * round before.  States: new before a thread starts, run while it prints,
 * io while it sleeps, done at the end; each print is a mark on the
 * thread's row (TRACE_MARK_PRINT), as its microseconds of run never show.
 */
#include "exec.h"

#include "clock.h"
#include "json.h"
#include "outpane.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IL_PREFIXES "abcdefg"
#define IL_TOKEN 16

static const struct param_spec il_params[] = {
	{ .name = "tasks", .type = PARAM_INT, .def = 3, .min = 1, .max = 7,
	  .help = "number of printing threads" },
	{ .name = "count", .type = PARAM_INT, .def = 10, .min = 1, .max = 1000,
	  .help = "prints per thread (prefix0 .. prefixN-1)" },
	{ .name = "sleep_ms", .type = PARAM_INT, .def = 1000, .min = 0,
	  .max = 60000, .help = "sleep after each print, ms" },
	EXEC_PARAM_END,
};

static const char *const il_metrics[] = { "output", "order_changes", NULL };

struct il_shared {
	pthread_mutex_t mu;
	char (*out)[IL_TOKEN];		/* tokens in print order */
	int *who;			/* the thread of each token */
	int nout, cap;
	int count;
	uint64_t sleep_ns;
};

struct il_arg {
	struct run_ctx *rc;
	struct il_shared *sh;
	int slot, index;
	char prefix;
};

static void *
il_task(void *p)
{
	struct il_arg *a = p;
	struct il_shared *sh = a->sh;
	struct trace *tr = a->rc->env->tr;
	struct work_ctx w;

	work_ctx_init(&w, tr, a->slot, &a->rc->env->cal, 0);
	trace_task_begin(tr, a->slot, true);
	for (int i = 0; i < sh->count && !w.stopped; i++) {
		char tok[IL_TOKEN];

		snprintf(tok, sizeof tok, "%c%d", a->prefix, i);
		pthread_mutex_lock(&sh->mu);
		if (sh->nout < sh->cap) {
			memcpy(sh->out[sh->nout], tok, sizeof tok);
			sh->who[sh->nout++] = a->index;
		}
		outpane_write(a->rc->run_index, tok);
		/* the print on the thread's row (walk 5 F20: the rows were all
		 * io, the microseconds of a print never showed); half the marks
		 * stay for the presenter's */
		if (trace_nmarks(tr) < TRACE_MAX_MARKS / 2)
			trace_mark(tr, TRACE_MARK_PRINT, a->slot, clock_now_ns(), tok);
		pthread_mutex_unlock(&sh->mu);
		trace_progress(tr, a->slot, 1);
		work_sleep(&w, sh->sleep_ns);
	}
	trace_task_end(tr, a->slot);
	return NULL;
}

/* Rounds (the k-th print of every thread) whose order of threads differs
 * from the round before. */
static int
il_order_changes(const struct il_shared *sh, int nthreads)
{
	int changes = 0, *prev = xcalloc((size_t)nthreads, sizeof *prev);
	int *cur = xcalloc((size_t)nthreads, sizeof *cur);
	int *seen = xcalloc((size_t)nthreads, sizeof *seen);

	for (int round = 0; round < sh->count; round++) {
		int n = 0;

		for (int k = 0; k < sh->nout; k++) {
			int t = sh->who[k];

			if (seen[t] == round && n < nthreads &&
			    atoi(sh->out[k] + 1) == round) {
				cur[n++] = t;
				seen[t]++;
			}
		}
		if (n < nthreads)
			break;
		if (round > 0 && memcmp(prev, cur, (size_t)n * sizeof *cur) != 0)
			changes++;
		memcpy(prev, cur, (size_t)n * sizeof *cur);
	}
	free(prev);
	free(cur);
	free(seen);
	return changes;
}

static void
il_output_json(struct run_result *res, const struct il_shared *sh)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return;
	fputc('[', f);
	for (int k = 0; k < sh->nout; k++) {
		if (k > 0)
			fputs(", ", f);
		json_write_escaped(f, sh->out[k]);
	}
	fputc(']', f);
	fclose(f);
	result_set_json(res, "output", buf);
	free(buf);
}

/* A slot named after the thread's prefix ("thread a"). */
static int
il_task_add(struct run_ctx *rc, char prefix)
{
	char name[TRACE_NAME_LEN];

	snprintf(name, sizeof name, "thread %c", prefix);
	return exec_task_add_named(rc, name);
}

static int
il_run(struct run_ctx *rc)
{
	int n = (int)lab_value(rc->run, "tasks"), started = 0, rc_out = 0;
	struct il_shared sh;
	struct il_arg *args = xcalloc((size_t)n, sizeof *args);
	pthread_t *th = xcalloc((size_t)n, sizeof *th);
	char letters[] = IL_PREFIXES;
	unsigned seed = (unsigned)(clock_now_ns() ^ (uint64_t)getpid());
	int nletters = (int)strlen(letters);

	memset(&sh, 0, sizeof sh);
	pthread_mutex_init(&sh.mu, NULL);
	sh.count = (int)lab_value(rc->run, "count");
	sh.sleep_ns = (uint64_t)lab_value(rc->run, "sleep_ms") * CLOCK_NS_PER_MS;
	sh.cap = n * sh.count;
	sh.out = xcalloc((size_t)sh.cap, sizeof *sh.out);
	sh.who = xcalloc((size_t)sh.cap, sizeof *sh.who);
	outpane_clear();
	for (int i = 0; i < n; i++) {
		/* A random prefix, as in the seed, but no two threads alike. */
		int pick = (int)(rand_r(&seed) % (unsigned)(nletters - i));
		char c = letters[pick];

		memmove(letters + pick, letters + pick + 1, (size_t)(nletters - pick));
		args[i].rc = rc;
		args[i].sh = &sh;
		args[i].index = i;
		args[i].prefix = c;
		args[i].slot = il_task_add(rc, c);
		if (args[i].slot < 0) {
			rc_out = -1;
			goto out_free;
		}
	}
	rc->res->t_start = clock_now_ns();
	started = exec_start_threads(rc, th, n, il_task, args, sizeof args[0]);
	if (started < n)
		rc_out = -1;
	exec_join_threads(th, started);
	rc->res->t_end = clock_now_ns();
	il_output_json(rc->res, &sh);
	result_set(rc->res, "order_changes", il_order_changes(&sh, n), 0);
out_free:
	pthread_mutex_destroy(&sh.mu);
	free(sh.out);
	free(sh.who);
	free(args);
	free(th);
	return rc_out;
}

const struct exec_ops exec_interleave = {
	.info = {
		.name = "interleave",
		.title = "threads that print and sleep",
		.params = il_params,
		.metrics = il_metrics,
	},
	.run = il_run,
};
