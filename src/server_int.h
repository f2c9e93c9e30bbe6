/*
 * server_int: the server core's interface to the modes, and nothing else
 * includes it.  Layers, each calling only those below it:
 *
 *   server.c           server_run: picks the mode
 *   server_blocking.c  sequential, threads, fork, pool, gil
 *   server_evloop.c    evloop, evloop-pool
 *   server_core.c      listen, accept with its limits, stop, log, pool, GIL
 */
#ifndef CONCLAB_SERVER_INT_H
#define CONCLAB_SERVER_INT_H

#include "server.h"

#include <pthread.h>
#include <sys/types.h>

/* How long accepting pauses when descriptors run out and no spare is left. */
#define SERVER_ACCEPT_PAUSE_MS 100

struct gil;
struct pool;

struct server {
	struct server_opts o;
	char bind[64];
	int lfd;		/* listening socket, non-blocking */
	int spare;		/* /dev/null, given up to refuse a client at EMFILE */
	uint64_t paused_until;	/* accepting paused until then (0: not) */
	int max_conns;		/* o.max_conns, lowered to the open-file limit */
	long nofile;		/* the open-file limit, -1 for none */
	int nworkers;		/* pool processes (pool modes) */
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
 * when none is pending (c->fd = -1), it was refused or already reset by its
 * client (closed at once), or accepting pauses. */
int server_accept(struct server *s, struct server_conn *c);
/* "stopped after N connections", with the ones reset before they were served. */
void server_log_stopped(struct server *s);
/* Milliseconds until accepting resumes (leave the listening socket out of
 * the wait meanwhile), or -1 when it is not paused. */
int server_accept_pause_ms(struct server *s);
/* Stop the lab-wide computation too? True when the trace says stop. */
bool server_aborted(const struct server *s, const struct work_ctx *w);
/* The modes' server_run: blocking handlers, and the event loop. */
int server_blocking_run(struct server *s);
int server_evloop_run(struct server *s);

#endif
