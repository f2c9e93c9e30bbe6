/*
 * config: the config file and the progress file.
 *
 * Both live under the user's own directories: $XDG_CONFIG_HOME and
 * $XDG_STATE_HOME when set (absolute), else under $HOME.  With HOME unset, or
 * naming no existing directory, there is no such place: nothing is read or
 * written (never a shared, world-writable fallback like /tmp, and HOME is
 * never created), and the first caller is told so once per process.  The
 * conclab directory holding progress is private (mode 0700).  Any text of a
 * file quoted in a warning is escaped (util_escape).
 */
#include "config.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
warn_add(char *warn, size_t wlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
warn_add(char *warn, size_t wlen, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (warn == NULL || wlen == 0)
		return;
	used = strnlen(warn, wlen);
	if (used + 1 >= wlen)
		return;
	va_start(ap, fmt);
	vsnprintf(warn + used, wlen - used, fmt, ap);
	va_end(ap);
}

/* Said once per process: there is no place for settings and progress. */
static bool said_no_home;

/* The path of name under the XDG base dir env (when absolute), else under
 * $HOME/fallback when HOME is an existing directory; NULL when neither.
 * *keep is how much of the path already exists or may not be created by
 * conclab (all of HOME); the first time there is no place, why goes into
 * warn and *noted is set. */
static char *
state_path(const char *env, const char *fallback, const char *name, size_t *keep,
    char *warn, size_t wlen, bool *noted)
{
	const char *base = getenv(env), *home = getenv("HOME");
	struct stat st;
	char esc[256];

	if (base != NULL && base[0] == '/') {
		*keep = 0;	/* the XDG spec: create the base dir when missing */
		return xasprintf("%s/conclab/%s", base, name);
	}
	if (home != NULL && home[0] == '/' && stat(home, &st) == 0 && S_ISDIR(st.st_mode)) {
		*keep = strlen(home);
		return xasprintf("%s/%s/conclab/%s", home, fallback, name);
	}
	if (!said_no_home) {
		said_no_home = true;
		if (noted != NULL)
			*noted = true;
		if (home == NULL || home[0] == '\0')
			warn_add(warn, wlen, "HOME is not set: no settings read, no progress "
			    "kept\n");
		else
			warn_add(warn, wlen, "HOME (%s) is not an existing directory: no "
			    "settings read, no progress kept\n",
			    util_escape(home, strlen(home), esc, sizeof esc));
	}
	return NULL;
}

static int
parse_bool(const char *v)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		return 1;
	if (strcmp(v, "off") == 0 || strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		return 0;
	return -1;
}

int
config_parse(FILE *f, const char *path, struct config *out, char *warn, size_t wlen)
{
	char buf[512];
	int line = 0, bad = 0;

	out->fps = 0;
	out->color = -1;
	out->ascii = -1;
	out->slow = 0;
	if (warn != NULL && wlen > 0)
		warn[0] = '\0';
	while (fgets(buf, sizeof buf, f) != NULL) {
		char *s, *eq, *key, *val;
		int64_t iv;
		double dv;
		int b;

		line++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			warn_add(warn, wlen, "%s:%d: line too long, ignored\n", path, line);
			bad++;
			continue;
		}
		s = util_trim(buf);
		if (s[0] == '\0' || s[0] == '#')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			warn_add(warn, wlen, "%s:%d: expected key = value, ignored\n", path,
			    line);
			bad++;
			continue;
		}
		*eq = '\0';
		key = util_trim(s);
		val = util_trim(eq + 1);
		if (strcmp(key, "fps") == 0 && util_parse_i64(val, &iv) && iv >= 1 && iv <= 60) {
			out->fps = (int)iv;
		} else if (strcmp(key, "color") == 0 && (b = parse_bool(val)) >= 0) {
			out->color = b;
		} else if (strcmp(key, "ascii") == 0 && (b = parse_bool(val)) >= 0) {
			out->ascii = b;
		} else if (strcmp(key, "slow") == 0 && util_parse_double(val, &dv) &&
		    dv >= 1 && dv <= 1000) {
			out->slow = dv;
		} else {
			char ek[96], ev[96];

			warn_add(warn, wlen, "%s:%d: bad setting '%s = %s' (known: fps 1..60, "
			    "color on|off, ascii on|off, slow 1..1000), ignored\n", path, line,
			    util_escape(key, strlen(key), ek, sizeof ek),
			    util_escape(val, strlen(val), ev, sizeof ev));
			bad++;
		}
	}
	return bad;
}

/* Open path for reading without blocking on a FIFO; NULL when it is missing
 * or refused (said in warn): not a regular file, or one that other users
 * may change (owned by another user but root, or writable by others). */
static FILE *
open_own_file(const char *path, char *warn, size_t wlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	const char *why = NULL;
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & S_IWOTH))
		why = "other users can change it";
	if (why != NULL || (f = fdopen(fd, "r")) == NULL) {
		if (why != NULL)
			warn_add(warn, wlen, "%s: %s, ignored\n", path, why);
		close(fd);
		return NULL;
	}
	return f;
}

int
config_load(struct config *out, char *warn, size_t wlen)
{
	struct config empty = { 0, -1, -1, 0, "" };
	bool noted = false;
	size_t keep;
	char *path;
	FILE *f;
	int bad = 0;

	*out = empty;
	if (warn != NULL && wlen > 0)
		warn[0] = '\0';
	path = state_path("XDG_CONFIG_HOME", ".config", "config", &keep, warn, wlen, &noted);
	if (path == NULL)
		return noted;
	f = open_own_file(path, warn, wlen);
	if (f != NULL) {
		bad = config_parse(f, path, out, warn, wlen);
		snprintf(out->path, sizeof out->path, "%s", path);
		fclose(f);
	} else if (warn != NULL && warn[0] != '\0') {
		bad = 1;
	}
	free(path);
	return bad;
}

static struct progress_entry *
progress_find(struct progress *p, const char *lab)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->e[i].lab, lab) == 0)
			return &p->e[i];
	return NULL;
}

const struct progress_entry *
progress_get(const struct progress *p, const char *lab)
{
	return progress_find((struct progress *)p, lab);
}

void
progress_record(struct progress *p, const char *lab, int predicted, int correct)
{
	struct progress_entry *e = progress_find(p, lab);

	if (e == NULL) {
		if (p->n == PROGRESS_MAX || !util_is_ident(lab) || strlen(lab) >= sizeof e->lab)
			return;
		e = &p->e[p->n++];
		memset(e, 0, sizeof *e);
		util_strlcpy(e->lab, lab, sizeof e->lab);
		e->correct = -1;
		e->shown = -1;
	}
	e->done = true;
	if (predicted > 0) {
		e->predicted = predicted;
		e->correct = correct;
	}
}

void
progress_set_shown(struct progress *p, const char *lab, int shown)
{
	struct progress_entry *e = progress_find(p, lab);

	if (e != NULL && shown >= 0 && e->shown != 1)
		e->shown = shown;
}

void
progress_set_off(struct progress *p, const char *lab, const char *names)
{
	struct progress_entry *e = progress_find(p, lab);

	if (e != NULL && strlen(names) < sizeof e->off)
		util_strlcpy(e->off, names, sizeof e->off);
}

/* " off a,b": the side figures off when the lesson showed (names of
 * lowercase letters, digits and '-'). */
static void
parse_off(const char *line, struct progress_entry *e)
{
	const char *s = strstr(line, " off ");
	size_t n = 0;

	if (s == NULL || e == NULL)
		return;
	s += 5;
	while (n + 1 < sizeof e->off && (s[n] == ',' || s[n] == '-' ||
	    (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9')))
		n++;
	memcpy(e->off, s, n);
	e->off[n] = '\0';
}

/* " tried 1,3" at the end of a record: the tries done (1-based). */
static void
parse_tried(const char *line, struct progress_entry *e)
{
	const char *s = strstr(line, " tried ");

	if (s == NULL || e == NULL)
		return;
	for (s += 7; *s >= '1' && *s <= '9';) {
		char *end;
		long t = strtol(s, &end, 10);

		if (t >= 1 && t <= 16)
			e->tried |= 1u << (t - 1);
		s = *end == ',' ? end + 1 : end;
	}
}

void
progress_add_tries(struct progress *p, const char *lab, unsigned tried)
{
	struct progress_entry *e = progress_find(p, lab);

	if (e != NULL)
		e->tried |= tried;
}

int
progress_parse(FILE *f, const char *path, struct progress *p, char *warn, size_t wlen)
{
	char buf[256];
	int line = 0, bad = 0;

	memset(p, 0, sizeof *p);
	if (warn != NULL && wlen > 0)
		warn[0] = '\0';
	while (fgets(buf, sizeof buf, f) != NULL) {
		char lab[64], state[16], verdict[16];
		int choice = 0, n;

		line++;
		if (buf[0] == '#' || buf[0] == '\n')
			continue;
		verdict[0] = '\0';
		n = sscanf(buf, "%63s %15s %d %15s", lab, state, &choice, verdict);
		if (n < 2 || strcmp(state, "done") != 0 || !util_is_ident(lab) ||
		    strlen(lab) >= 32 || (n >= 3 && (choice < 0 || choice > 9)) ||
		    (n == 4 && strcmp(verdict, "right") != 0 && strcmp(verdict, "wrong") != 0)) {
			warn_add(warn, wlen, "%s:%d: not a progress record, ignored\n", path,
			    line);
			bad++;
			continue;
		}
		progress_record(p, lab, n >= 3 ? choice : 0,
		    n == 4 ? strcmp(verdict, "right") == 0 : -1);
		parse_tried(buf, progress_find(p, lab));
		parse_off(buf, progress_find(p, lab));
		if (strstr(buf, " unshown") != NULL || strstr(buf, " shown") != NULL)
			progress_set_shown(p, lab, strstr(buf, " shown") != NULL);
	}
	return bad;
}

int
progress_load(struct progress *p, char *warn, size_t wlen)
{
	size_t keep;
	char *path;
	FILE *f;
	int bad = 0;

	memset(p, 0, sizeof *p);
	if (warn != NULL && wlen > 0)
		warn[0] = '\0';
	path = state_path("XDG_STATE_HOME", ".local/state", "progress", &keep, warn, wlen,
	    NULL);
	if (path == NULL)
		return 0;
	f = open_own_file(path, warn, wlen);
	if (f != NULL) {
		bad = progress_parse(f, path, p, warn, wlen);
		fclose(f);
	}
	free(path);
	return bad;
}

void
progress_write(FILE *f, const struct progress *p)
{
	fputs("# conclab progress: LAB done [CHOICE right|wrong] [shown|unshown] [off NAME,NAME] "
	    "[tried N,N]\n", f);
	for (int i = 0; i < p->n; i++) {
		const struct progress_entry *e = &p->e[i];

		if (e->predicted > 0 && e->correct >= 0)
			fprintf(f, "%s done %d %s", e->lab, e->predicted,
			    e->correct ? "right" : "wrong");
		else
			fprintf(f, "%s done", e->lab);
		if (e->shown >= 0)
			fputs(e->shown ? " shown" : " unshown", f);
		if (e->shown == 1 && e->off[0] != '\0')
			fprintf(f, " off %s", e->off);
		for (int t = 0, k = 0; t < 16; t++)
			if (e->tried & (1u << t))
				fprintf(f, "%s%d", k++ ? "," : " tried ", t + 1);
		fputc('\n', f);
	}
}

/* mkdir -p (mode 0700) for the directory part of path, below its first
 * keep bytes (which are never created); then that directory must be ours,
 * and is made private (0700) if it was not. */
static int
make_parents(char *path, size_t keep, char *err, size_t errlen)
{
	char *slash = strrchr(path, '/');
	struct stat st;

	for (char *s = path + keep + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			util_err(err, errlen, "cannot create %s: %s", path, strerror(errno));
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	*slash = '\0';
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    ((st.st_mode & 077) != 0 && chmod(path, 0700) != 0)) {
		util_err(err, errlen, "%s is not a private directory of this user", path);
		*slash = '/';
		return -1;
	}
	*slash = '/';
	return 0;
}

int
progress_save(const struct progress *p, char *err, size_t errlen)
{
	size_t keep;
	char *path, *tmp;
	FILE *f;
	int rc = -1;

	path = state_path("XDG_STATE_HOME", ".local/state", "progress", &keep, NULL, 0,
	    NULL);
	if (path == NULL)
		return 0;
	tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	if (make_parents(path, keep, err, errlen) < 0)
		goto out;
	f = fopen(tmp, "w");
	if (f == NULL) {
		util_err(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	progress_write(f, p);
	if (ferror(f) | (fclose(f) != 0) || rename(tmp, path) != 0) {
		util_err(err, errlen, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(path);
	return rc;
}
