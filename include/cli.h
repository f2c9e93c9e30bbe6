/*
 * cli: the commands that stand apart from the labs -- `conclab serve` (the
 * fib server alone) and `conclab load` (its load generators alone).  Each
 * parses its flags with opt, checks them (exit 2 for bad usage), runs the
 * library (server, loadgen) and returns the exit status.
 */
#ifndef CONCLAB_CLI_H
#define CONCLAB_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* `conclab serve [opts]` (argv[0] is "serve"); the exit status. */
int cli_serve(int argc, char **argv);
/* `conclab load perf1|perf2 [opts]` (argv[0] is "load"); the exit status. */
int cli_load(int argc, char **argv);
/* `conclab trace [opts] -- CMD [ARGS]` or `-p PID` (argv[0] is "trace"). */
int cli_trace_run(int argc, char **argv);
/* conclab's own argv: when it is `conclab [global options] trace ...`, run
 * it (the global options trace understands passed on) and return its exit
 * status; else -1. */
int cli_trace_dispatch(int argc, char **argv);
/* Check an IPv4 address given to --bind or --host: 0, or -1 with a message
 * naming the option.  Sets *loopback when it is in 127.0.0.0/8. */
int cli_ipv4(const char *opt, const char *addr, bool *loopback, char *err, size_t errlen);
/* Send SIGINT, SIGTERM and SIGHUP to handler (SIG_DFL to restore); SIGPIPE
 * is ignored meanwhile (a client gone is an error from send, not a death). */
void cli_signals(void (*handler)(int));

#endif
