/*
 * pyfind: an interpreter's path from PATH, or from pyenv's versions
 * directory when PATH's only entry is a pyenv shim that cannot run it.
 */
#include "pyfind.h"

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* name searched in PATH; false when no entry has it. */
static bool
pyfind_path(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : "/usr/bin:/bin"; *p != '\0';) {
		size_t n = strcspn(p, ":");

		snprintf(out, len, "%.*s/%s", (int)n, n ? p : ".", name);
		if (access(out, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* A script that names pyenv in its first lines: a pyenv shim. */
static bool
pyfind_is_shim(const char *path)
{
	char buf[1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 2 || buf[0] != '#' || buf[1] != '!')
		return false;
	buf[n] = '\0';
	return strstr(buf, "pyenv") != NULL;
}

/* The shim runs with exit 0 (pyenv selects a version that has the
 * command): true, and in out the interpreter it runs (its sys.executable)
 * when it says one that is there, else the shim itself.  Running that
 * interpreter directly spares each run the shim's bash helpers: 0.5 s of
 * CPU a start on this kind of machine (pyenv 2.6), and rows of `bash` in a
 * real run's trace. */
static bool
pyfind_shim_runs(const char *path, char *out, size_t len)
{
	char opt[] = "-c", code[] = "import sys; sys.stdout.write(sys.executable)";
	char *argv[] = { (char *)path, opt, code, NULL }, buf[512];
	posix_spawn_file_actions_t fa;
	size_t got = 0;
	pid_t pid;
	int st = 0, err, fd[2];

	if (pipe2(fd, O_CLOEXEC) != 0)
		return false;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	err = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (err != 0) {
		close(fd[0]);
		return false;
	}
	for (;;) {
		ssize_t n = read(fd[0], buf + got, sizeof buf - 1 - got);

		if (n > 0 && (got += (size_t)n) < sizeof buf - 1)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	close(fd[0]);
	buf[got] = '\0';
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return false;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return false;
	if (buf[0] == '/' && got < sizeof buf - 1 && access(buf, X_OK) == 0)
		util_strlcpy(out, buf, len);
	return true;
}

/* Compare versions like 2.7.9 < 2.7.18 (numbers compared as numbers, other
 * characters as they are). */
static int
pyfind_vercmp(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			char *ea, *eb;
			unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);

			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return (*a != '\0') - (*b != '\0');
}

/* The newest pyenv version whose bin/ has name; false when none. */
static bool
pyfind_pyenv(const char *name, char *out, size_t len)
{
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");
	char dir[512], best[256] = "", path[1024];
	struct dirent *e;
	DIR *d;

	if (root != NULL && root[0] != '\0')
		snprintf(dir, sizeof dir, "%s/versions", root);
	else if (home != NULL && home[0] != '\0')
		snprintf(dir, sizeof dir, "%s/.pyenv/versions", home);
	else
		return false;
	d = opendir(dir);
	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/bin/%s", dir, e->d_name, name);
		if (access(path, X_OK) == 0 && (best[0] == '\0' ||
		    pyfind_vercmp(e->d_name, best) > 0))
			util_strlcpy(best, e->d_name, sizeof best);
	}
	closedir(d);
	if (best[0] == '\0')
		return false;
	snprintf(out, len, "%s/%s/bin/%s", dir, best, name);
	return true;
}

bool
pyfind_resolve(const char *name, char *out, size_t len)
{
	bool found;

	if (name[0] == '\0')
		return false;
	if (strchr(name, '/') != NULL) {
		util_strlcpy(out, name, len);
		return access(out, X_OK) == 0;
	}
	found = pyfind_path(name, out, len);
	if (found && (!pyfind_is_shim(out) || pyfind_shim_runs(out, out, len)))
		return true;
	return pyfind_pyenv(name, out, len) || found;
}
