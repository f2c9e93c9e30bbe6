/*
 * exec_pyload: conclab's own perf2 and perf1 clients against a server that
 * a lab script started (the seeds' threaded server in real CPython): perf2
 * alone for one phase, then beside perf1 for another -- the server lab's
 * figures, stepped from the python executor's tracing loop.
 */
#ifndef CONCLAB_EXEC_PYLOAD_H
#define CONCLAB_EXEC_PYLOAD_H

#include "exec.h"

#include <stdbool.h>
#include <stdint.h>

struct exec_pyload;

/* Start perf2 against 127.0.0.1:port; NULL with res->error set. */
struct exec_pyload *exec_pyload_start(struct run_ctx *rc, int port, uint64_t phase_ns,
    uint64_t now);
/* Advance at now; true once both phases are measured (the metrics
 * fast_reqs_per_s_alone, fast_reqs_per_s_contended, long_latency_s are
 * set) or a client could not start (res->error set). */
bool exec_pyload_step(struct exec_pyload *pl, uint64_t now);
/* Stop the clients; NULL does nothing. */
void exec_pyload_stop(struct exec_pyload *pl);

#endif
