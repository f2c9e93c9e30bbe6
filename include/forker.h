/*
 * forker: every fork happens on the main thread.  PR_SET_PDEATHSIG follows
 * the thread that forked, so a child forked by a runner thread would be
 * killed when that thread ends; and pool workers must start single-threaded.
 * Other threads call forker_fork(), which hands the request to the main
 * thread and waits; the main thread serves requests in forker_wait(), which
 * its loops call instead of sleeping.
 *
 * In the child, fn(arg) runs with the parent-death signal set to SIGKILL and
 * the default signal dispositions; the child _exits with fn's return value.
 */
#ifndef CONCLAB_FORKER_H
#define CONCLAB_FORKER_H

#include <stdint.h>
#include <sys/types.h>

typedef int (*forker_child_fn)(void *arg);

/* Call once on the main thread, before any other thread exists. */
int forker_init(void);
/* Fork a child running fn(arg) (from any thread); the pid, or -1 with errno. */
pid_t forker_fork(forker_child_fn fn, void *arg);
/* On the main thread: wait up to timeout_ns, serving fork requests; also
 * returns early when fd (if >= 0) becomes readable.  Returns 1 if fd is
 * readable, 0 otherwise. */
int forker_wait(uint64_t timeout_ns, int fd);
/* The read end of the request pipe (for a caller that polls by itself), or -1. */
int forker_fd(void);
/* Serve pending requests now (main thread, after forker_fd() polled readable). */
void forker_serve(void);

#endif
