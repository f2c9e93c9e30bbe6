/*
 * server: the seeds' fib server, in every design the talk goes through.
 *
 *   sequential   one client at a time, in the accepting thread
 *   threads      a thread per connection
 *   fork         a process per connection (forked on the main thread)
 *   pool         a thread per connection, fib handed to a process pool
 *   gil          a thread per connection under the simulated GIL
 *   evloop       one thread, epoll, fib computed inline
 *   evloop-pool  epoll, fib handed to a pool, completions back to the loop
 *
 * A server listens (IPv4, 127.0.0.1 unless told otherwise) when created and
 * serves in server_run until server_stop, which may be called from a signal
 * handler or another thread.  Connection handlers wait on the connection and
 * on the stop descriptor together, so a stop never waits for a client; a fib
 * being computed stops early only when the trace's stop flag is set.
 */
#ifndef CONCLAB_SERVER_H
#define CONCLAB_SERVER_H

#include "atomics.h"
#include "trace.h"
#include "work.h"

#include <stdbool.h>
#include <stdint.h>

enum server_mode {
	SERVER_SEQUENTIAL = 0,
	SERVER_THREADS,
	SERVER_FORK,
	SERVER_POOL,
	SERVER_GIL,
	SERVER_EVLOOP,
	SERVER_EVLOOP_POOL,
	SERVER_NMODES
};

/* The mode names in enum order, '|'-separated (a lab enum's choices). */
#define SERVER_MODE_CHOICES "sequential|threads|fork|pool|gil|evloop|evloop-pool"

#define SERVER_PORT_DEFAULT 25000
#define SERVER_MAX_CONNS_DEFAULT 256
#define SERVER_MAX_N_DEFAULT 40
/* Descriptors a server keeps beside its connections (stdio, the listening
 * socket, epoll, the pool's pipes, the spare that answers 'server busy'
 * when the open-file limit is reached): --max-conns above the limit minus
 * this cannot be served. */
#define SERVER_FD_RESERVE 16

typedef void (*server_log_fn)(void *arg, const char *line);
/* Claim a trace slot for a task named name ("conn-3", "evloop"); -1 for none. */
typedef int (*server_slot_fn)(void *arg, const char *name);

/* Pool workers yield the CPU to the threads that serve connections: on a
 * machine with few cores a worker computing fib(30) would otherwise delay
 * every wake-up of the fast path (see server_opts.worker_nice). */
#define SERVER_WORKER_NICE_DEFAULT 10

struct server_opts {
	enum server_mode mode;
	const char *bind;		/* IPv4 address; NULL = 127.0.0.1 */
	int port;			/* 0 = a free port (see server_port) */
	int workers;			/* pool processes; 0 = the number of cores */
	int worker_nice;		/* pool processes' nice value */
	int max_conns;			/* connections served at once */
	int max_n;			/* largest n accepted */
	double interp_ns;		/* interpreted cost per fib call */
	const struct work_calib *cal;	/* needed when interp_ns > 0 */
	struct trace *tr;		/* its stop flag aborts a fib; may be NULL */
	server_slot_fn slot_fn;		/* NULL: handlers are not traced */
	void *slot_arg;
	server_log_fn log;		/* NULL: log lines go to stderr */
	void *log_arg;
	bool serve_forks;		/* server_run is on the main thread: it
					 * serves forker requests (pool respawns) */
};

/* Counters, readable at any time. */
struct server_stats {
	_Atomic uint64_t conns;		/* connections accepted and served */
	_Atomic uint64_t refused;	/* turned away at max_conns */
	_Atomic uint64_t reset;		/* reset by the client in the listen
					 * queue: closed at accept, not served */
	_Atomic uint64_t reqs;		/* replies with a fib value */
	_Atomic uint64_t errors;	/* error replies */
	_Atomic int64_t active;		/* connections open now */
};

struct server;

/* Set opts to the defaults (mode threads, port 25000, ...). */
void server_opts_default(struct server_opts *o);
/* Bind and listen; NULL with a message in err. */
struct server *server_create(const struct server_opts *o, char *err, size_t errlen);
/* The port the server listens on. */
int server_port(const struct server *s);
/* Serve until server_stop; 0, or -1 on a fatal error (logged). */
int server_run(struct server *s);
/* Ask server_run to return (async-signal-safe). */
void server_stop(struct server *s);
/* Close everything; the server must not be running.  NULL does nothing. */
void server_destroy(struct server *s);
/* Connections served at once: --max-conns, or fewer when the open-file
 * limit leaves room for fewer. */
int server_conn_limit(const struct server *s);
/* The live counters. */
const struct server_stats *server_stats(const struct server *s);

/* Mode by name, -1 if none. */
int server_mode_parse(const char *name);
const char *server_mode_name(enum server_mode m);
/* True when the mode is built into this binary (gil and pool need theirs). */
bool server_mode_available(enum server_mode m);

#endif
