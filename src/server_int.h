/*
 * server_int: what the server's files (server.c, server_evloop.c)
 * share and nothing else includes.
 */
#ifndef CONCLAB_SERVER_INT_H
#define CONCLAB_SERVER_INT_H

#include "server.h"

#include <pthread.h>
#include <sys/types.h>

#define SERVER_READ_BUF 4096

struct gil;
struct pool;

struct server {
	struct server_opts o;
	char bind[64];
	int lfd;		/* listening socket, non-blocking */
	int stopfd;		/* eventfd, readable once server_stop ran */
	int port;
	struct server_stats st;
	pthread_mutex_t lock;	/* guards nhandlers, kids */
	pthread_cond_t cond;	/* signalled when a handler ends */
	int nhandlers;		/* handler threads running */
	pid_t *kids;		/* fork mode: children serving connections */
	int *kid_ids;
	int nkids;
	uint64_t next_id;	/* connection numbers, from 1 */
	struct gil *gil;	/* gil mode */
	struct pool *pool;	/* pool modes */
};

/* One connection being served. */
struct server_conn {
	struct server *s;
	int fd;
	int id;
	int slot;		/* trace slot, -1 when untraced */
	char peer[48];
};

/* Log a line (printf style) through the server's log function. */
void server_log(struct server *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* True once server_stop ran. */
bool server_stopping(const struct server *s);
/* Accept one connection: fd (non-blocking, close-on-exec) with c filled, -1
 * when none is pending (c->fd = -1) or it was refused. */
int server_accept(struct server *s, struct server_conn *c);
/* Compute fib(n) for a blocking handler (w set up by the caller), in a pool
 * worker in pool mode; 0, or -1 with an error reply in err (a dead worker). */
int server_fib(struct server *s, struct work_ctx *w, int slot, int n, uint64_t *out,
    char *err, size_t errlen);
/* Stop the lab-wide computation too? True when the trace says stop. */
bool server_aborted(const struct server *s, const struct work_ctx *w);
/* The event-loop modes' server_run. */
int server_evloop_run(struct server *s);

#endif
