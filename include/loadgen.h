/*
 * loadgen: the seeds' load generators.  perf1 asks for a long fib (n = 30)
 * over and over and notes each request's latency; perf2 asks for a fast one
 * (n = 1) as often as it can and counts requests per second.  Each client is
 * one thread with one connection, sending bare requests terminated by '\n'
 * and waiting for each reply before the next, as the classic clients do.
 *
 * The counters are written by the client threads and may be read at any
 * time from any thread (relaxed atomics).
 */
#ifndef CONCLAB_LOADGEN_H
#define CONCLAB_LOADGEN_H

#include "trace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOADGEN_MAX_CLIENTS 256
#define LOADGEN_BAD_LEN 208	/* the first bad reply, escaped */

enum loadgen_kind { LOADGEN_PERF1, LOADGEN_PERF2 };

struct loadgen_opts {
	enum loadgen_kind kind;
	const char *host;	/* IPv4 address; NULL = 127.0.0.1 */
	int port;
	int n;			/* the fib n asked for */
	int clients;		/* connections, one thread each */
	struct trace *tr;	/* NULL: clients are not traced */
	int run;		/* the trace run the client tasks belong to */
	/* Claim a trace slot for a client task; NULL: trace_task_add. */
	int (*slot_fn)(void *arg, const char *name);
	void *slot_arg;
};

/* What the clients measured so far (a sum over clients). */
struct loadgen_totals {
	uint64_t reqs;		/* replies received */
	uint64_t errors;	/* error and bad replies, failed connections */
	uint64_t bad;		/* replies that were neither fib(n) nor an error */
	uint64_t lat_sum_ns;	/* over the replies */
	uint64_t lat_max_ns;
	uint64_t lat_last_ns;	/* the latest reply's latency (any client) */
	uint64_t inflight_ns;	/* longest wait for a reply still missing */
};

struct loadgen;

/* Connect every client and start them; NULL with a message in err. */
struct loadgen *loadgen_start(const struct loadgen_opts *o, char *err, size_t errlen);
/* Sum the clients' counters (client -1) or one client's. */
void loadgen_totals(const struct loadgen *lg, int client, struct loadgen_totals *out);
/* The first reply that was neither fib(n) and '\n' nor an "error:" line,
 * without its newline, escaped and cut at 48 bytes ("hello\\x00\\xff garbage");
 * NULL when there was none.  Valid until loadgen_stop. */
const char *loadgen_bad_reply(const struct loadgen *lg);
/* Number of clients. */
int loadgen_clients(const struct loadgen *lg);
/* Stop the clients, close their connections and free lg; NULL does nothing. */
void loadgen_stop(struct loadgen *lg);

#endif
