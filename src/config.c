/*
 * config: the config file and the progress file.
 */
#include "config.h"

#include "util.h"

#include <errno.h>
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

char *
config_xdg_path(const char *env, const char *fallback, const char *name)
{
	const char *base = getenv(env), *home = getenv("HOME");

	if (base != NULL && base[0] == '/')
		return xasprintf("%s/conclab/%s", base, name);
	return xasprintf("%s/%s/conclab/%s", home ? home : "/tmp", fallback, name);
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
			warn_add(warn, wlen, "%s:%d: bad setting '%s = %s' (known: fps 1..60, "
			    "color on|off, ascii on|off, slow 1..1000), ignored\n", path, line,
			    key, val);
			bad++;
		}
	}
	return bad;
}

int
config_load(struct config *out, char *warn, size_t wlen)
{
	char *path = config_xdg_path("XDG_CONFIG_HOME", ".config", "config");
	FILE *f = fopen(path, "r");
	int bad = 0;

	if (f == NULL) {
		struct config empty = { 0, -1, -1, 0 };

		*out = empty;
		if (warn != NULL && wlen > 0)
			warn[0] = '\0';
	} else {
		bad = config_parse(f, path, out, warn, wlen);
		fclose(f);
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
	}
	e->done = true;
	if (predicted > 0) {
		e->predicted = predicted;
		e->correct = correct;
	}
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
	}
	return bad;
}

int
progress_load(struct progress *p, char *warn, size_t wlen)
{
	char *path = config_xdg_path("XDG_STATE_HOME", ".local/state", "progress");
	FILE *f = fopen(path, "r");
	int bad = 0;

	memset(p, 0, sizeof *p);
	if (warn != NULL && wlen > 0)
		warn[0] = '\0';
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
	fputs("# conclab progress: LAB done [CHOICE right|wrong]\n", f);
	for (int i = 0; i < p->n; i++) {
		const struct progress_entry *e = &p->e[i];

		if (e->predicted > 0 && e->correct >= 0)
			fprintf(f, "%s done %d %s\n", e->lab, e->predicted,
			    e->correct ? "right" : "wrong");
		else
			fprintf(f, "%s done\n", e->lab);
	}
}

/* mkdir -p for the directory part of path. */
static int
make_parents(char *path)
{
	for (char *s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

int
progress_save(const struct progress *p, char *err, size_t errlen)
{
	char *path = config_xdg_path("XDG_STATE_HOME", ".local/state", "progress");
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	FILE *f;
	int rc = -1;

	if (make_parents(path) < 0) {
		util_err(err, errlen, "cannot create the folder of %s: %s", path,
		    strerror(errno));
		goto out;
	}
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
