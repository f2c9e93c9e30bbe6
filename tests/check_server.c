/* The fib server in-process: every mode answers, bad input, the connection
 * cap, idle connections, slow clients, clean stops, no leaks, load generators. */
#include "testutil.h"

#include "clock.h"
#include "loadgen.h"
#include "server.h"
#include "util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct srv {
	struct server *s;
	pthread_t th;
	int port;
	pthread_mutex_t lock;
	char last_log[256];
	int nlog;
	int nfd_log;		/* lines saying descriptors ran out */
};

static void
srv_log(void *arg, const char *line)
{
	struct srv *v = arg;

	pthread_mutex_lock(&v->lock);
	if (strstr(line, "refused") != NULL || v->last_log[0] == '\0')
		util_strlcpy(v->last_log, line, sizeof v->last_log);
	v->nlog++;
	if (strstr(line, "out of file descriptors") != NULL)
		v->nfd_log++;
	pthread_mutex_unlock(&v->lock);
}

static void *
srv_main(void *arg)
{
	struct srv *v = arg;

	server_run(v->s);
	return NULL;
}

static struct srv *
srv_start(enum server_mode mode, int max_conns)
{
	struct srv *v = xcalloc(1, sizeof *v);
	struct server_opts o;
	char err[256];

	signal(SIGPIPE, SIG_IGN);
	pthread_mutex_init(&v->lock, NULL);
	server_opts_default(&o);
	o.mode = mode;
	o.port = 0;
	o.workers = 2;
	o.max_conns = max_conns;
	o.log = srv_log;
	o.log_arg = v;
	v->s = server_create(&o, err, sizeof err);
	ck_assert_msg(v->s != NULL, "server_create: %s", err);
	v->port = server_port(v->s);
	ck_assert_int_gt(v->port, 0);
	ck_assert_int_eq(pthread_create(&v->th, NULL, srv_main, v), 0);
	return v;
}

static void
srv_end(struct srv *v)
{
	server_stop(v->s);
	pthread_join(v->th, NULL);
	server_destroy(v->s);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

static int
cl_connect(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { .tv_sec = 10 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0, "connect: %s",
	    strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

/* Read one reply line (up to '\n') into buf; its length, -1 on EOF/timeout. */
static int
cl_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;

	while (len < cap - 1) {
		ssize_t n = recv(fd, buf + len, 1, 0);

		if (n <= 0)
			return -1;
		if (buf[len++] == '\n')
			break;
	}
	buf[len] = '\0';
	return (int)len;
}

/* Send req as one write (the classic clients' bare digits) and read a line. */
static void
cl_ask(int fd, const char *req, size_t len, const char *want)
{
	char buf[256];

	ck_assert_int_eq(send(fd, req, len, MSG_NOSIGNAL), (ssize_t)len);
	ck_assert_msg(cl_line(fd, buf, sizeof buf) > 0, "no reply to '%s'", req);
	ck_assert_msg(strncmp(buf, want, strlen(want)) == 0, "reply '%s', want '%s'",
	    buf, want);
}

static int
count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - (strcmp(path, "/proc/self/fd") == 0);	/* the DIR's own fd */
}

/* Sanitizers make threads and connections slow: fewer cycles there. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define CYCLES_SCALE 5
#else
#define CYCLES_SCALE 1
#endif

/* Start and join a thread, so a sanitizer's own helper thread exists before
 * a test counts threads. */
static void *
noop(void *arg)
{
	return arg;
}

static void
warm_threads(void)
{
	pthread_t th;

	ck_assert_int_eq(pthread_create(&th, NULL, noop, NULL), 0);
	pthread_join(th, NULL);
}

/* Wait (bounded) until the process has at most `fds` open files and
 * `threads` threads (a handler thread may still be on its way out). */
static void
wait_back_to(int fds, int threads)
{
	uint64_t until = clock_now_ns() + 10 * CLOCK_NS_PER_S;
	int f, t;

	do {
		f = count_dir("/proc/self/fd");
		t = count_dir("/proc/self/task");
		if (f <= fds && t <= threads)
			return;
		clock_sleep_ns(10 * CLOCK_NS_PER_MS);
	} while (clock_now_ns() < until);
	ck_abort_msg("leak: %d fds (was %d), %d threads (was %d)", f, fds, t, threads);
}

static const enum server_mode all_modes[] = {
	SERVER_SEQUENTIAL, SERVER_THREADS, SERVER_FORK, SERVER_POOL, SERVER_GIL,
	SERVER_EVLOOP, SERVER_EVLOOP_POOL,
};

/* Every mode: bare digits, lines, several lines in one write, an error. */
START_TEST(every_mode_answers)
{
	enum server_mode mode = all_modes[_i];
	int fds, threads;
	struct srv *v;

	warm_threads();
	fds = count_dir("/proc/self/fd");
	threads = count_dir("/proc/self/task");
	v = srv_start(mode, 16);
	int fd, fd2;
	char buf[64];

	fd = cl_connect(v->port);
	cl_ask(fd, "10", 2, "55\n");
	cl_ask(fd, "30", 2, "832040\n");
	cl_ask(fd, " 7 \r\n", 5, "13\n");
	cl_ask(fd, "abc", 3, "error: ");
	cl_ask(fd, "1\n2\n3\n", 6, "1\n");
	ck_assert_int_gt(cl_line(fd, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "1\n");
	ck_assert_int_gt(cl_line(fd, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "2\n");
	cl_ask(fd, "41", 2, "error: n above the limit 40");
	close(fd);
	/* A second connection, after the first left (sequential serves it now). */
	fd2 = cl_connect(v->port);
	cl_ask(fd2, "20", 2, "6765\n");
	close(fd2);
	srv_end(v);
	wait_back_to(fds, threads);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);	/* no child left */
}
END_TEST

static const char *const malformed[] = {
	"abc", "-3", "41", "99999999999999999999999", "3.5", "1e3", "0x1f", "+5",
	"--5", "-", "1 2", "12abc", "fib(3)", "GET / HTTP/1.0", "\xef\xbc\x93",
	"\xff\xfe\xfd", "\x01\x02\x03", "\x1b[A", "\x7f", "3\x08", "-2147483648",
	"-99999999999999999999", "4294967297", "NaN", "\"30\"", "30;", "quit",
	"\xd9\xa3", "1\t\t\tx",
	"7777777777777777777777777777777777777777777777777777777777777777777777777"
	"7777777777777777777777777777777777777777777777777777777777777777777777777",
};

/* 30 kinds of bad input each get one error line; others keep being served. */
START_TEST(malformed_input)
{
	enum server_mode mode = _i == 0 ? SERVER_THREADS : SERVER_EVLOOP;
	struct srv *v = srv_start(mode, 16);
	int bad = cl_connect(v->port), good = cl_connect(v->port);
	char buf[256];

	ck_assert_int_eq((int)(sizeof malformed / sizeof malformed[0]), 30);
	for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
		cl_ask(bad, malformed[i], strlen(malformed[i]), "error: ");
		cl_ask(good, "12", 2, "144\n");
	}
	/* A NUL byte in a line, and several bad lines in one write. */
	cl_ask(bad, "1\0" "2\n", 4, "error: binary");
	cl_ask(bad, "x\ny\n5\n", 6, "error: ");
	ck_assert_int_gt(cl_line(bad, buf, sizeof buf), 0);
	ck_assert_msg(strncmp(buf, "error: ", 7) == 0, "%s", buf);
	ck_assert_int_gt(cl_line(bad, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "5\n");
	cl_ask(bad, "6", 1, "8\n");	/* still usable */
	close(bad);
	close(good);
	ck_assert_uint_ge(at_load_relaxed(&server_stats(v->s)->errors), 32);
	srv_end(v);
}
END_TEST

/* threads mode: the cap refuses with a clear message, frees on close. */
START_TEST(connection_cap)
{
	struct srv *v = srv_start(SERVER_THREADS, 3);
	int fd[3], extra, again = -1;
	char buf[256];
	uint64_t until;

	for (int i = 0; i < 3; i++) {
		fd[i] = cl_connect(v->port);
		cl_ask(fd[i], "5", 1, "5\n");
	}
	extra = cl_connect(v->port);
	ck_assert_int_gt(cl_line(extra, buf, sizeof buf), 0);
	ck_assert_msg(strstr(buf, "error: server busy") != NULL &&
	    strstr(buf, "--max-conns 3") != NULL, "'%s'", buf);
	ck_assert_int_eq(cl_line(extra, buf, sizeof buf), -1);	/* closed */
	close(extra);
	until = clock_now_ns() + 5 * CLOCK_NS_PER_S;
	for (bool seen = false; !seen;) {
		pthread_mutex_lock(&v->lock);
		seen = strstr(v->last_log, "--max-conns 3") != NULL;
		if (!seen && clock_now_ns() > until)
			ck_abort_msg("log '%s'", v->last_log);
		pthread_mutex_unlock(&v->lock);
		clock_sleep_ns(CLOCK_NS_PER_MS);
	}
	ck_assert_uint_eq(at_load_relaxed(&server_stats(v->s)->refused), 1);
	close(fd[0]);
	/* Once the handler has seen the close, a new client is served. */
	until = clock_now_ns() + 5 * CLOCK_NS_PER_S;
	while (at_load_relaxed(&server_stats(v->s)->active) > 2 && clock_now_ns() < until)
		clock_sleep_ns(CLOCK_NS_PER_MS);
	again = cl_connect(v->port);
	cl_ask(again, "6", 1, "8\n");
	close(again);
	close(fd[1]);
	close(fd[2]);
	srv_end(v);
}
END_TEST

/* evloop: 1,000 idle connections, then each is answered. */
START_TEST(evloop_thousand_idle)
{
	enum { N = 1000 };
	struct srv *v = srv_start(SERVER_EVLOOP, 2000);
	int *fd = xcalloc(N, sizeof *fd), threads = count_dir("/proc/self/task");
	int probe;

	for (int i = 0; i < N; i++)
		fd[i] = cl_connect(v->port);
	probe = cl_connect(v->port);
	cl_ask(probe, "25", 2, "75025\n");
	ck_assert_int_eq(count_dir("/proc/self/task"), threads);	/* no thread each */
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(send(fd[i], "3", 1, MSG_NOSIGNAL), 1);
	for (int i = 0; i < N; i++) {
		char buf[16];

		ck_assert_int_gt(cl_line(fd[i], buf, sizeof buf), 0);
		ck_assert_str_eq(buf, "2\n");
		close(fd[i]);
	}
	ck_assert_int_eq((int)at_load_relaxed(&server_stats(v->s)->conns), N + 1);
	close(probe);
	free(fd);
	srv_end(v);
}
END_TEST

/* A client that never sends and one that never reads stall nobody else. */
START_TEST(slow_clients_stall_nobody)
{
	static const enum server_mode modes[] = { SERVER_THREADS, SERVER_FORK,
	    SERVER_POOL, SERVER_GIL, SERVER_EVLOOP_POOL, SERVER_EVLOOP };
	struct srv *v = srv_start(modes[_i], 16);
	int silent = cl_connect(v->port), deaf = cl_connect(v->port), good;
	char *junk = xmalloc(1 << 20);
	size_t sent = 0;

	/* The deaf client sends requests until its socket is full. */
	for (size_t i = 0; i < (1 << 20); i += 2)
		memcpy(junk + i, "1\n", 2);
	fcntl(deaf, F_SETFL, O_NONBLOCK);
	for (int tries = 0; tries < 100; tries++) {
		ssize_t n = send(deaf, junk, 1 << 20, MSG_NOSIGNAL);

		if (n > 0)
			sent += (size_t)n;
		else
			clock_sleep_ns(5 * CLOCK_NS_PER_MS);
	}
	ck_assert_uint_gt(sent, 0);
	good = cl_connect(v->port);
	for (int i = 0; i < 50; i++)
		cl_ask(good, "9", 1, "34\n");
	close(good);
	close(deaf);
	close(silent);
	free(junk);
	srv_end(v);	/* and the stop does not wait for them */
}
END_TEST

/* sequential: the second client waits until the first leaves. */
START_TEST(sequential_one_at_a_time)
{
	struct srv *v = srv_start(SERVER_SEQUENTIAL, 16);
	int a = cl_connect(v->port), b = cl_connect(v->port);
	struct pollfd p = { .fd = b, .events = POLLIN };

	cl_ask(a, "4", 1, "3\n");
	ck_assert_int_eq(send(b, "4", 1, MSG_NOSIGNAL), 1);
	ck_assert_int_eq(poll(&p, 1, 300), 0);	/* not served yet */
	close(a);
	ck_assert_int_eq(poll(&p, 1, 10000), 1);
	cl_ask(b, "5", 1, "3\n");	/* the earlier reply is read here */
	close(b);
	srv_end(v);
}
END_TEST

/* Connections their clients reset while they waited in the listen queue
 * are closed at accept, not served: the fork server forked a process for
 * each, and after t_hostile's storm a newcomer waited over 10 s behind
 * thousands of dead ones (3 of 3 runs at a load of 14). */
START_TEST(reset_in_the_queue_not_served)
{
	struct srv *v = srv_start(SERVER_SEQUENTIAL, 16);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int a = cl_connect(v->port), b;
	uint64_t until;

	cl_ask(a, "4", 1, "3\n");		/* the server is busy with a */
	for (int i = 0; i < 10; i++) {
		int fd = cl_connect(v->port);

		ck_assert_int_eq(send(fd, "1\n", 2, MSG_NOSIGNAL), 2);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		close(fd);			/* RST */
	}
	close(a);
	b = cl_connect(v->port);
	cl_ask(b, "5", 1, "5\n");
	close(b);
	until = clock_now_ns() + 5 * CLOCK_NS_PER_S;
	while (at_load_relaxed(&server_stats(v->s)->conns) < 2 && clock_now_ns() < until)
		clock_sleep_ns(CLOCK_NS_PER_MS);
	ck_assert_uint_eq(at_load_relaxed(&server_stats(v->s)->reset), 10);
	ck_assert_uint_eq(at_load_relaxed(&server_stats(v->s)->conns), 2);
	srv_end(v);
}
END_TEST

/* The stop returns promptly with clients connected in every mode. */
START_TEST(stop_with_clients)
{
	enum server_mode mode = all_modes[_i];
	struct srv *v = srv_start(mode, 16);
	int a = cl_connect(v->port), b = cl_connect(v->port);
	uint64_t t0;

	cl_ask(a, "3", 1, "2\n");
	t0 = clock_now_ns();
	srv_end(v);
	ck_assert_msg(clock_now_ns() - t0 < 3 * CLOCK_NS_PER_S, "stop took %.1f s",
	    (double)(clock_now_ns() - t0) / 1e9);
	close(a);
	close(b);
}
END_TEST

/* 10,000 connect/disconnect cycles leave no fd, thread or process behind. */
START_TEST(no_leaks_after_many_connections)
{
	enum server_mode mode = _i == 0 ? SERVER_THREADS : _i == 1 ? SERVER_EVLOOP :
	    SERVER_FORK;
	int cycles = (mode == SERVER_FORK ? 500 : 10000) / CYCLES_SCALE;
	int fds, threads, fds_up, threads_up, fd0;
	struct srv *v;
	uint64_t until;

	warm_threads();
	fds = count_dir("/proc/self/fd");
	threads = count_dir("/proc/self/task");
	v = srv_start(mode, mode == SERVER_FORK ? 1000 : 64);

	/* One connection first: the server has made all its own fds. */
	fd0 = cl_connect(v->port);
	cl_ask(fd0, "2", 1, "1\n");
	close(fd0);
	until = clock_now_ns() + 10 * CLOCK_NS_PER_S;
	while (at_load_relaxed(&server_stats(v->s)->active) > 0 && clock_now_ns() < until)
		clock_sleep_ns(CLOCK_NS_PER_MS);
	ck_assert_int_eq((int)at_load_relaxed(&server_stats(v->s)->active), 0);
	cycles--;
	fds_up = count_dir("/proc/self/fd");
	threads_up = count_dir("/proc/self/task");
	for (int i = 0; i < cycles; i++) {
		int fd = cl_connect(v->port);

		if (i % 10 == 0)
			cl_ask(fd, "2", 1, "1\n");
		close(fd);
	}
	until = clock_now_ns() + 10 * CLOCK_NS_PER_S;
	while ((at_load_relaxed(&server_stats(v->s)->active) > 0 ||
	    (int)at_load_relaxed(&server_stats(v->s)->conns) < cycles + 1) &&
	    clock_now_ns() < until)
		clock_sleep_ns(5 * CLOCK_NS_PER_MS);
	ck_assert_int_eq((int)at_load_relaxed(&server_stats(v->s)->active), 0);
	wait_back_to(fds_up, threads_up);
	ck_assert_int_eq((int)at_load_relaxed(&server_stats(v->s)->conns), cycles + 1);
	srv_end(v);
	wait_back_to(fds, threads);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}
END_TEST

/* perf2 counts requests, perf1 notes latencies; both stop promptly. */
START_TEST(load_generators)
{
	struct srv *v = srv_start(SERVER_THREADS, 16);
	struct loadgen_opts o = { .kind = LOADGEN_PERF2, .port = v->port, .n = 1,
	    .clients = 2 };
	struct loadgen *fast, *slow;
	struct loadgen_totals t;
	char err[256];
	uint64_t t0;

	fast = loadgen_start(&o, err, sizeof err);
	ck_assert_msg(fast != NULL, "%s", err);
	o.kind = LOADGEN_PERF1;
	o.n = 25;
	o.clients = 1;
	slow = loadgen_start(&o, err, sizeof err);
	ck_assert_msg(slow != NULL, "%s", err);
	clock_sleep_ns(300 * CLOCK_NS_PER_MS);
	loadgen_totals(fast, -1, &t);
	ck_assert_uint_gt(t.reqs, 10);
	ck_assert_uint_eq(t.errors, 0);
	loadgen_totals(fast, 1, &t);
	ck_assert_uint_gt(t.reqs, 0);
	loadgen_totals(slow, -1, &t);
	ck_assert_uint_gt(t.reqs, 0);
	ck_assert_uint_gt(t.lat_sum_ns, 0);
	ck_assert_uint_ge(t.lat_max_ns, t.lat_sum_ns / t.reqs);
	t0 = clock_now_ns();
	loadgen_stop(slow);
	loadgen_stop(fast);
	ck_assert_uint_lt(clock_now_ns() - t0, 2 * CLOCK_NS_PER_S);
	srv_end(v);
	/* Nothing listening: a clear error. */
	o.port = 1;
	ck_assert_ptr_null(loadgen_start(&o, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "cannot connect"));
}
END_TEST

START_TEST(bad_options)
{
	struct server_opts o;
	char err[256];

	server_opts_default(&o);
	ck_assert_str_eq(o.bind, "127.0.0.1");
	ck_assert_int_eq(o.port, 25000);
	ck_assert_int_eq(o.max_conns, 256);
	ck_assert_int_eq(o.max_n, 40);
	o.port = 0;
	o.bind = "localhost";
	ck_assert_ptr_null(server_create(&o, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "not an IPv4 address"));
	o.bind = "127.0.0.1";
	o.max_conns = 0;
	ck_assert_ptr_null(server_create(&o, err, sizeof err));
	ck_assert_int_eq(server_mode_parse("evloop-pool"), SERVER_EVLOOP_POOL);
	ck_assert_int_eq(server_mode_parse("nope"), -1);
	ck_assert_str_eq(server_mode_name(SERVER_GIL), "gil");
}
END_TEST

/* Issue 16 item 6: with the descriptor table full, a client the server
 * cannot take is told "server busy" (through the spare descriptor) instead
 * of hanging, and accept() does not spin: one log line per client. */
static const enum server_mode fd_modes[] = { SERVER_THREADS, SERVER_EVLOOP };

START_TEST(out_of_fds_says_busy)
{
	struct srv *v = srv_start(fd_modes[_i], 1000);
	struct rlimit rl;
	int fds[8], top = -1, busy = 0, served = 0, nlog;
	char buf[256];

	/* The server is up and has its descriptors (epoll too). */
	fds[0] = cl_connect(v->port);
	cl_ask(fds[0], "5\n", 2, "5\n");
	close(fds[0]);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 200;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	/* Fill the table, then free room for 8 clients and 2 accepts. */
	for (int fd; (fd = dup(0)) >= 0;)
		top = fd;
	ck_assert_int_eq(errno, EMFILE);
	for (int i = 0; i < 10; i++)
		close(top - i);
	/* Every client socket first: the server's accepts take the rest. */
	for (int i = 0; i < 8; i++)
		ck_assert_int_ge(fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), 0);
	for (int i = 0; i < 8; i++) {
		struct sockaddr_in sa = { .sin_family = AF_INET,
		    .sin_port = htons((uint16_t)v->port) };
		struct timeval tv = { .tv_sec = 10 };

		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ck_assert_int_eq(connect(fds[i], (struct sockaddr *)&sa, sizeof sa), 0);
		setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	for (int i = 0; i < 8; i++) {
		ck_assert_int_eq(send(fds[i], "1\n", 2, MSG_NOSIGNAL), 2);
		ck_assert_msg(cl_line(fds[i], buf, sizeof buf) > 0, "client %d hangs", i);
		if (strcmp(buf, "1\n") == 0)
			served++;
		else if (strstr(buf, "error: server busy: out of file descriptors"))
			busy++;
		else
			ck_abort_msg("client %d got '%s'", i, buf);
	}
	ck_assert_int_eq(served + busy, 8);
	ck_assert_int_ge(busy, 5);
	clock_sleep_ns(300 * CLOCK_NS_PER_MS);
	pthread_mutex_lock(&v->lock);
	nlog = v->nfd_log;
	pthread_mutex_unlock(&v->lock);
	/* The old accept loop logged one line per 20 ms while clients hung. */
	ck_assert_msg(nlog <= busy + 2, "%d out-of-descriptor lines for %d clients",
	    nlog, busy);
	for (int i = 0; i < 8; i++)
		close(fds[i]);
	srv_end(v);
}
END_TEST

static Suite *
server_suite(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("server");
	int nmodes = (int)(sizeof all_modes / sizeof all_modes[0]);

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, every_mode_answers, 0, nmodes);
	tcase_add_loop_test(tc, malformed_input, 0, 2);
	tcase_add_test(tc, connection_cap);
	tcase_add_test(tc, evloop_thousand_idle);
	tcase_add_loop_test(tc, slow_clients_stall_nobody, 0, 6);
	tcase_add_test(tc, sequential_one_at_a_time);
	tcase_add_test(tc, reset_in_the_queue_not_served);
	tcase_add_loop_test(tc, stop_with_clients, 0, nmodes);
	tcase_add_loop_test(tc, no_leaks_after_many_connections, 0, 3);
	tcase_add_test(tc, load_generators);
	tcase_add_test(tc, bad_options);
	tcase_add_loop_test(tc, out_of_fds_says_busy, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(server_suite)
