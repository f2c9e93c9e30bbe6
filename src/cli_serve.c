/*
 * cli_serve: `conclab serve`, the fib server alone: its flags (through
 * opt), the start banner and warnings, and a clean stop on SIGINT, SIGTERM
 * and SIGHUP -- the "stopped" line logged, pool workers and forked
 * children reaped before it returns.
 */
#include "cli.h"

#include "clock.h"
#include "forker.h"
#include "opt.h"
#include "server.h"
#include "util.h"

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static struct server *cli_server;
static struct trace *cli_trace;

static const int cli_stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

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

int
cli_ipv4(const char *opt, const char *addr, bool *loopback, char *err, size_t errlen)
{
	struct in_addr a;

	if (inet_pton(AF_INET, addr, &a) != 1) {
		util_err(err, errlen, "%s '%s' is not an IPv4 address in dotted form "
		    "(127.0.0.1 is this machine; names and IPv6 are not accepted)",
		    opt, addr);
		return -1;
	}
	*loopback = (ntohl(a.s_addr) >> 24) == 127;
	return 0;
}

static void
cli_usage(const struct opt_cmd *cmd, FILE *f)
{
	fputs("usage: conclab serve [options]\n", f);
	opt_usage(cmd, f);
	fputs("A request is a number n (a line, or the bare digits of one send); the\n"
	    "reply is fib(n) and a newline.  Connections are logged to stderr.\n", f);
}

/* Warn when --max-conns cannot be reached under the open-file limit. */
static void
cli_check_nofile(const struct server_opts *o, const struct server *srv)
{
	struct rlimit rl;

	if (server_conn_limit(srv) >= o->max_conns || getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	fprintf(stderr, "conclab serve: warning: --max-conns %d is above what the "
	    "open-file limit allows (%llu descriptors, hard limit %llu): at most %d "
	    "connections are served at once, the others are told 'server busy'\n",
	    o->max_conns, (unsigned long long)rl.rlim_cur,
	    (unsigned long long)rl.rlim_max, server_conn_limit(srv));
}

/* Parse the flags into o; exits 2 on bad usage, 0 after --help. */
static void
cli_serve_opts(int argc, char **argv, struct server_opts *o, int *interp)
{
	int mode = (int)o->mode;
	const struct opt opts[] = {
		{ "mode", OPT_CHOICE, &mode, .choices = SERVER_MODE_CHOICES,
		  .help = "how connections are served (default threads)" },
		{ "bind", OPT_STRING, &o->bind, .metavar = "ADDR",
		  .help = "IPv4 address to listen on (default 127.0.0.1)" },
		{ "port", OPT_INT, &o->port, .lo = 0, .hi = 65535, .metavar = "N",
		  .help = "port (default 25000; 0 = a free one, printed)" },
		{ "workers", OPT_INT, &o->workers, .lo = 1, .hi = 256, .metavar = "N",
		  .help = "pool processes (default: the cores)" },
		{ "worker-nice", OPT_INT, &o->worker_nice, .lo = 0, .hi = 19, .metavar = "N",
		  .help = "pool workers' nice (default 10: computing yields to serving)" },
		{ "max-conns", OPT_INT, &o->max_conns, .lo = 1, .hi = 100000, .metavar = "N",
		  .help = "connections served at once (default 256)" },
		{ "max-n", OPT_INT, &o->max_n, .lo = 0, .hi = 90, .metavar = "N",
		  .help = "largest n accepted (default 40)" },
		{ "interp-ns", OPT_INT, interp, .lo = 0, .hi = 10000, .metavar = "NS",
		  .help = "CPython's cost per fib call (default 34 in gil mode, else 0)" },
		{ NULL },
	};
	const struct opt_cmd cmd = { .name = "serve", .opts = opts };
	struct opt_args args;
	char err[256];
	bool loopback;

	opt_parse_or_exit(&cmd, argc, argv, &args, cli_usage);
	o->mode = (enum server_mode)mode;
	if (!server_mode_available(o->mode))
		die(2, "server mode '%s' is not available in this build",
		    server_mode_name(o->mode));
	if (cli_ipv4("--bind", o->bind, &loopback, err, sizeof err) < 0)
		die(2, "%s", err);
	if (!loopback)
		fprintf(stderr, "conclab serve: warning: --bind %s is not a loopback "
		    "address: anyone who can reach this machine%s can make it compute "
		    "(127.0.0.1 keeps the server to this machine)\n", o->bind,
		    strcmp(o->bind, "0.0.0.0") == 0 ? " on any of its interfaces" : "");
}

void
cli_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < UTIL_ARRAY_LEN(cli_stop_signals); i++)
		sigaction(cli_stop_signals[i], &sa, NULL);
	signal(SIGPIPE, handler == SIG_DFL ? SIG_DFL : SIG_IGN);
}

int
cli_serve(int argc, char **argv)
{
	struct server_opts o;
	struct work_calib cal;
	char err[256];
	int interp = -1, rc;

	server_opts_default(&o);
	o.workers = (int)sysconf(_SC_NPROCESSORS_ONLN);
	cli_serve_opts(argc, argv, &o, &interp);
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
	cli_signals(cli_on_signal);
	cli_check_nofile(&o, cli_server);
	/* the connections served at once: under a low open-file limit, fewer
	 * than --max-conns (walk 6 G17: the banner said 1000 after "at most 48") */
	fprintf(stderr, "conclab serve: mode %s on %s:%d, max %d connections, n up to %d, "
	    "interpreted cost %.0f ns per fib call%s\n", server_mode_name(o.mode),
	    o.bind, server_port(cli_server), UTIL_MIN(o.max_conns,
	    server_conn_limit(cli_server)), o.max_n, o.interp_ns,
	    o.interp_ns > 0 ? " (CPython's proportions)" : " (C speed)");
	if (o.mode == SERVER_POOL || o.mode == SERVER_EVLOOP_POOL)
		fprintf(stderr, "conclab serve: %d pool worker processes at nice %d "
		    "(computing yields the CPU to serving)\n", o.workers, o.worker_nice);
	printf("port %d\n", server_port(cli_server));
	fflush(stdout);
	rc = server_run(cli_server);
	cli_signals(SIG_DFL);
	server_destroy(cli_server);
	cli_server = NULL;
	trace_destroy(cli_trace);
	cli_trace = NULL;
	return rc < 0 ? 1 : 0;
}
