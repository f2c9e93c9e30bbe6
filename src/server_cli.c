/*
 * server_cli: `conclab serve`, the fib server alone, with its flags, the
 * start banner and a clean stop on SIGINT and SIGTERM.
 */
#include "server_int.h"

#include "clock.h"
#include "forker.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct server *cli_server;
static struct trace *cli_trace;

static void
cli_on_signal(int sig)
{
	(void)sig;
	/* Both are async-signal-safe: an eventfd write, a lock-free store. */
	if (cli_trace != NULL)
		at_store_relaxed(&cli_trace->stop, 1);
	if (cli_server != NULL)
		server_stop(cli_server);
}

static void
cli_usage(FILE *f)
{
	fputs("usage: conclab serve [--mode M] [--bind ADDR] [--port N] [--workers N]\n"
	    "                     [--worker-nice N] [--max-conns N] [--max-n N]\n"
	    "                     [--interp-ns N]\n"
	    "modes: " SERVER_MODE_CHOICES "\n"
	    "defaults: --mode threads --bind 127.0.0.1 --port 25000 (0 = a free port)\n"
	    "          --workers (cores) --worker-nice 10 (pool workers yield the CPU\n"
	    "          to the threads that serve) --max-conns 256 --max-n 40\n"
	    "          --interp-ns 34 in gil mode, 0 otherwise (CPython's cost per call)\n"
	    "A request is a number n (a line, or the bare digits of one send); the\n"
	    "reply is fib(n) and a newline.  Connections are logged to stderr.\n", f);
}

static bool
cli_int(int argc, char **argv, int *i, const char *name, int lo, int hi, int *out)
{
	int64_t v;

	if (strcmp(argv[*i], name) != 0)
		return false;
	if (*i + 1 >= argc)
		die(2, "%s needs a value (see conclab serve --help)", name);
	if (!util_parse_i64(argv[++*i], &v) || v < lo || v > hi)
		die(2, "%s must be %d..%d, not '%s'", name, lo, hi, argv[*i]);
	*out = (int)v;
	return true;
}

int
server_main(int argc, char **argv)
{
	struct server_opts o;
	struct work_calib cal;
	struct sigaction sa;
	char err[256];
	int interp = -1, mode, rc;

	server_opts_default(&o);
	o.workers = (int)sysconf(_SC_NPROCESSORS_ONLN);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_usage(stdout);
			return 0;
		} else if (strcmp(a, "--mode") == 0) {
			if (i + 1 >= argc)
				die(2, "--mode needs a value: %s", SERVER_MODE_CHOICES);
			mode = server_mode_parse(argv[++i]);
			if (mode < 0)
				die(2, "no server mode '%s' (modes: %s)", argv[i],
				    SERVER_MODE_CHOICES);
			o.mode = (enum server_mode)mode;
		} else if (strcmp(a, "--bind") == 0) {
			if (i + 1 >= argc)
				die(2, "--bind needs an IPv4 address");
			o.bind = argv[++i];
		} else if (cli_int(argc, argv, &i, "--port", 0, 65535, &o.port) ||
		    cli_int(argc, argv, &i, "--workers", 1, 256, &o.workers) ||
		    cli_int(argc, argv, &i, "--worker-nice", 0, 19, &o.worker_nice) ||
		    cli_int(argc, argv, &i, "--max-conns", 1, 100000, &o.max_conns) ||
		    cli_int(argc, argv, &i, "--max-n", 0, 90, &o.max_n) ||
		    cli_int(argc, argv, &i, "--interp-ns", 0, 10000, &interp)) {
			continue;
		} else {
			die(2, "unknown serve option '%s' (see conclab serve --help)", a);
		}
	}
	if (!server_mode_available(o.mode))
		die(2, "server mode '%s' is not available in this build",
		    server_mode_name(o.mode));
	o.interp_ns = interp >= 0 ? interp : o.mode == SERVER_GIL ? 34 : 0;
	memset(&cal, 0, sizeof cal);
	if (o.interp_ns > 0)
		work_calibrate(&cal);
	o.cal = &cal;
	cli_trace = trace_create(err, sizeof err);
	if (cli_trace == NULL)
		die(1, "%s", err);
	o.tr = cli_trace;
	/* Pool workers are forked on this thread, which serves in server_run. */
	if (forker_init() < 0)
		die(1, "cannot create a pipe");
	o.serve_forks = true;
	cli_server = server_create(&o, err, sizeof err);
	if (cli_server == NULL) {
		trace_destroy(cli_trace);
		die(1, "%s", err);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "conclab serve: mode %s on %s:%d, max %d connections, n up to %d, "
	    "interpreted cost %.0f ns per fib call%s\n", server_mode_name(o.mode),
	    o.bind, server_port(cli_server), o.max_conns, o.max_n, o.interp_ns,
	    o.interp_ns > 0 ? " (CPython's proportions)" : " (C speed)");
	if (o.mode == SERVER_POOL || o.mode == SERVER_EVLOOP_POOL)
		fprintf(stderr, "conclab serve: %d pool worker processes at nice %d "
		    "(computing yields the CPU to serving)\n", o.workers, o.worker_nice);
	printf("port %d\n", server_port(cli_server));
	fflush(stdout);
	rc = server_run(cli_server);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	server_destroy(cli_server);
	cli_server = NULL;
	trace_destroy(cli_trace);
	cli_trace = NULL;
	return rc < 0 ? 1 : 0;
}
