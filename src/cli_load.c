/*
 * cli_load: `conclab load perf1|perf2`, the seeds' load generators alone.
 * perf1 prints each long request's latency (a line a second when replies
 * come fast), perf2 the requests of each second; both stop after --seconds
 * or on Ctrl-C (exit 128 + the signal).
 */
#include "cli.h"

#include "clock.h"
#include "loadgen.h"
#include "opt.h"
#include "server.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t lg_signal;

static void
lg_on_signal(int sig)
{
	lg_signal = sig;
}

static void
lg_usage(const struct opt_cmd *cmd, FILE *f)
{
	fputs("usage: conclab load perf1|perf2 [options]\n", f);
	opt_usage(cmd, f);
	fputs("perf1 asks for fib(30) in a loop and prints each request's latency\n"
	    "(one line a second, with the replies and their mean latency, when more\n"
	    "than 5 come in a second);\n"
	    "perf2 asks for fib(1) as fast as it can and prints requests per second.\n"
	    "Both stop after S seconds, or on Ctrl-C.\n", f);
}

/* Parse the flags into o and *seconds; exits 2 on bad usage, 0 after --help. */
static void
lg_opts(int argc, char **argv, struct loadgen_opts *o, double *seconds)
{
	int kind = -1;
	const struct opt opts[] = {
		{ "host", OPT_STRING, &o->host, .metavar = "ADDR",
		  .help = "the server's IPv4 address (default 127.0.0.1)" },
		{ "port", OPT_INT, &o->port, .lo = 1, .hi = 65535, .metavar = "N",
		  .help = "the server's port (default 25000)" },
		{ "n", OPT_INT, &o->n, .lo = 0, .hi = 1000000, .metavar = "N",
		  .help = "the fib n asked for (default 30 for perf1, 1 for perf2)" },
		{ "clients", OPT_INT, &o->clients, .lo = 1, .hi = LOADGEN_MAX_CLIENTS,
		  .metavar = "K",
		  .help = "connections, one thread each (default 1)" },
		{ "seconds", OPT_DOUBLE, seconds, .lo = 0, .hi = 86400, .lo_open = true,
		  .metavar = "S", .help = "stop after S seconds (default: at Ctrl-C)" },
		{ NULL },
	};
	const struct opt_cmd cmd = { .name = "load", .opts = opts, .max_pos = 1 };
	struct opt_args args;
	char err[256];
	bool loopback;

	opt_parse_or_exit(&cmd, argc, argv, &args, lg_usage);
	if (args.npos == 1 && strcmp(args.pos[0], "perf1") == 0)
		kind = LOADGEN_PERF1;
	else if (args.npos == 1 && strcmp(args.pos[0], "perf2") == 0)
		kind = LOADGEN_PERF2;
	if (kind < 0)
		die(2, "load needs perf1 or perf2 (see conclab load --help)");
	o->kind = (enum loadgen_kind)kind;
	if (o->n < 0)
		o->n = o->kind == LOADGEN_PERF1 ? 30 : 1;
	if (cli_ipv4("--host", o->host, &loopback, err, sizeof err) < 0)
		die(2, "%s", err);
}

/* Replies that were not the protocol's (walk 6 G22: a wrong service's
 * bytes were counted as requests): said once, the exit status 1. */
static int
lg_bad(struct loadgen *lg, const struct loadgen_opts *o, const struct loadgen_totals *t)
{
	const char *first = loadgen_bad_reply(lg);

	if (t->bad == 0 || first == NULL)
		return 0;
	fprintf(stderr, "conclab load: the server at %s:%d answered '%s', not fib(%d) "
	    "and a newline: is it a fib server? (%llu bad %s, not counted; %s stopped)\n",
	    o->host, o->port, first, o->n, (unsigned long long)t->bad,
	    t->bad == 1 ? "reply" : "replies", t->bad == 1 ? "its client" : "their clients");
	return 1;
}

/* perf1's lines: each reply's latency while replies are few (the seeds'
 * Python fib(30): two a second); once a second brings more than
 * PERF1_EACH_MAX, one line a second instead, and each reply again after a
 * second of at most PERF1_FEW (walk 7 H5: against the default C-speed
 * server perf1 printed 500 lines a second and buried everything else). */
#define PERF1_EACH_MAX 5
#define PERF1_FEW 2

struct perf1_out {
	bool summary;		/* one line a second */
	bool said;		/* the first summary line said why */
	int lines;		/* reply lines printed in this second */
	uint64_t t0, next;	/* this second's start and end */
	struct loadgen_totals sec0, prev;	/* totals at its start, at the last line */
};

static void
perf1_summary(struct perf1_out *p, const struct loadgen_opts *o,
    const struct loadgen_totals *t, uint64_t now)
{
	uint64_t n = t->reqs - p->sec0.reqs;
	double s = (double)(now - p->t0) / 1e9;

	printf("fib(%d): %llu replies in %.2f s", o->n, (unsigned long long)n, s);
	if (n > 0)
		printf(", %.2f ms each on average", (double)(t->lat_sum_ns - p->sec0.lat_sum_ns) /
		    (double)n / 1e6);
	if (!p->said)
		printf(" (one line a second while more than %d replies come a second)",
		    PERF1_EACH_MAX);
	p->said = true;
	putchar('\n');
}

static void
perf1_lines(struct perf1_out *p, const struct loadgen_opts *o,
    const struct loadgen_totals *t, uint64_t now, bool last)
{
	if (!p->summary && t->reqs > p->prev.reqs) {
		if (p->lines < PERF1_EACH_MAX) {
			printf("fib(%d): %.4f s\n", o->n, (double)t->lat_last_ns / 1e9);
			p->lines++;
		} else {
			p->summary = true;	/* this second's line says the rest */
		}
		p->prev = *t;
	}
	if (now >= p->next || last) {
		if (p->summary && (now - p->t0 >= CLOCK_NS_PER_S / 10 || t->reqs > p->sec0.reqs))
			perf1_summary(p, o, t, now);
		if (p->summary && t->reqs - p->sec0.reqs <= PERF1_FEW)
			p->summary = false;
		p->lines = 0;
		p->sec0 = p->prev = *t;
		p->t0 = now;
		p->next = now + CLOCK_NS_PER_S;
	}
	fflush(stdout);
}

/* Print what the clients measured until the end; the exit status. */
static int
lg_report(struct loadgen *lg, const struct loadgen_opts *o, double seconds)
{
	struct loadgen_totals prev, t;
	uint64_t start = clock_now_ns(), next = start + CLOCK_NS_PER_S;
	struct perf1_out p1 = { .t0 = start, .next = next };

	memset(&prev, 0, sizeof prev);
	for (;;) {
		uint64_t now = clock_now_ns();
		/* the last whole second is still printed: --seconds 3 gives 3 lines */
		bool last = lg_signal || (seconds > 0 && now - start >= (uint64_t)(seconds * 1e9));

		loadgen_totals(lg, -1, &t);
		if (o->kind == LOADGEN_PERF1) {
			perf1_lines(&p1, o, &t, now, last);
		} else if (now >= next) {
			printf("%llu reqs/sec\n", (unsigned long long)(t.reqs - prev.reqs));
			fflush(stdout);
			prev = t;
			next += CLOCK_NS_PER_S;
		}
		if (last)
			return lg_signal ? 128 + lg_signal : lg_bad(lg, o, &t);
		if (t.errors > 0 && t.errors >= (uint64_t)loadgen_clients(lg)) {
			if (lg_bad(lg, o, &t) == 0)
				fprintf(stderr, "conclab load: every client lost its "
				    "connection or got an error\n");
			return 1;
		}
		clock_sleep_ns(o->kind == LOADGEN_PERF1 ? CLOCK_NS_PER_MS :
		    10 * CLOCK_NS_PER_MS);
	}
}

int
cli_load(int argc, char **argv)
{
	struct loadgen_opts o = { .host = "127.0.0.1", .port = SERVER_PORT_DEFAULT,
	    .n = -1, .clients = 1 };
	struct loadgen *lg;
	char err[256];
	double seconds = 0;
	int rc;

	lg_opts(argc, argv, &o, &seconds);
	cli_signals(lg_on_signal);
	lg = loadgen_start(&o, err, sizeof err);
	if (lg == NULL)
		die(1, "%s", err);
	rc = lg_report(lg, &o, seconds);
	loadgen_stop(lg);
	return rc;
}
