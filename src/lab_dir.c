/*
 * lab_dir: where lab files are found ($CONCLAB_LABS, labs/ beside the
 * binary, the installed share/conclab/labs) and how one is read.
 *
 * A lab file is opened without blocking and read only when it is a regular
 * file, so a FIFO or a device named x.lab cannot hang check, run or the
 * scan of a lab directory.
 */
#include "lab.h"

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CONCLAB_PREFIX
#define CONCLAB_PREFIX "/usr/local"
#endif

#define LAB_FILE_MAX (1u << 20)

static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "a special file";
}

/* Read the whole regular file at path into *out (NUL-terminated, the
 * caller frees it); -1 with "path: message". */
static int
read_lab_file(const char *path, char **out, size_t *outlen, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf;
	size_t len = 0;

	if (fd < 0) {
		util_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		util_err(err, errlen, "%s: %s", path, strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		util_err(err, errlen, "%s: %s, not a lab file (a lab file is a regular "
		    "text file)", path, file_kind(st.st_mode));
		goto out_close;
	}
	if ((uintmax_t)st.st_size > LAB_FILE_MAX) {
		util_err(err, errlen, "%s: too large for a lab file (over 1 MB)", path);
		goto out_close;
	}
	buf = xmalloc((size_t)st.st_size + 2);
	for (;;) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			util_err(err, errlen, "%s: %s", path, strerror(errno));
			free(buf);
			goto out_close;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > (size_t)st.st_size) {
			util_err(err, errlen, "%s: the file grew while it was read", path);
			free(buf);
			goto out_close;
		}
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
out_close:
	close(fd);
	return -1;
}

typedef int lab_parse_fn(const char *, size_t, const char *, lab_exec_lookup_fn,
    struct lab *, char *, size_t);

/* The line of the [lab] section's id in text (its value in id, trimmed), or
 * 0 when there is none. */
static int
id_line(const char *text, size_t len, char *id, size_t idlen)
{
	const char *s = text, *end = text + len;
	bool in_lab = false;

	for (int line = 1; s < end; line++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s)), *e = nl != NULL ? nl : end;
		const char *k = s;

		while (k < e && (*k == ' ' || *k == '\t'))
			k++;
		if (k < e && *k == '[' && k == s)
			in_lab = (size_t)(e - k) >= 5 && memcmp(k, "[lab]", 5) == 0;
		else if (in_lab && k == s && (size_t)(e - k) > 2 && memcmp(k, "id", 2) == 0) {
			k += 2;
			while (k < e && (*k == ' ' || *k == '\t'))
				k++;
			if (k < e && *k == '=') {
				size_t n;

				for (k++; k < e && (*k == ' ' || *k == '\t'); k++)
					;
				while (e > k && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
					e--;
				n = (size_t)(e - k) < idlen - 1 ? (size_t)(e - k) : idlen - 1;
				memcpy(id, k, n);
				id[n] = '\0';
				return line;
			}
		}
		s = nl != NULL ? nl + 1 : end;
	}
	return 0;
}

/* A lab is found by its file name (labs/ID.lab): an id that differs from
 * it would be listed under one name and run under another (walk 6 G11).
 * -1 with "path:line: ..." in msg when they differ. */
static int
check_file_id(const char *text, size_t len, const char *path, char *msg, size_t msglen)
{
	const char *base = strrchr(path, '/');
	char id[64], esc[160];
	size_t blen;
	int line = id_line(text, len, id, sizeof id);

	base = base != NULL ? base + 1 : path;
	blen = strlen(base);
	if (line == 0 || blen < 5 || strcmp(base + blen - 4, ".lab") != 0)
		return 0;
	blen -= 4;
	if (strlen(id) == blen && memcmp(id, base, blen) == 0)
		return 0;
	util_escape(id, strlen(id), esc, sizeof esc);
	util_err(msg, msglen, "%s:%d: id '%s' differs from the file name '%.*s' (rename one: "
	    "a lab is found by its file name, ID.lab)", path, line, esc, (int)blen, base);
	return -1;
}

/* Read path and parse it with parse (the first error, or every one); a
 * leading UTF-8 byte-order mark (some editors write one) is skipped. */
static int
load_with(lab_parse_fn *parse, const char *path, lab_exec_lookup_fn lookup,
    struct lab *out, char *err, size_t errlen)
{
	char *buf, msg[512];
	const char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof *out);
	if (read_lab_file(path, &buf, &len, err, errlen) < 0)
		return -1;
	text = buf;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	rc = parse(text, len, path, lookup, out, err, errlen);
	if (check_file_id(text, len, path, msg, sizeof msg) < 0) {
		if (rc == 0) {
			lab_free(out);
			util_err(err, errlen, "%s", msg);
		} else if (parse == lab_parse_all) {	/* beside the others, by line */
			size_t used = strlen(err);

			snprintf(err + used, errlen - used, "\n%s", msg);
			lab_sort_errors(err, path);
		}
		rc = -1;
	}
	free(buf);
	return rc;
}

int
lab_load(const char *path, lab_exec_lookup_fn lookup, struct lab *out, char *err,
    size_t errlen)
{
	return load_with(lab_parse, path, lookup, out, err, errlen);
}

int
lab_load_check(const char *path, lab_exec_lookup_fn lookup, struct lab *out, char *err,
    size_t errlen)
{
	return load_with(lab_parse_all, path, lookup, out, err, errlen);
}

int
lab_dirs(const char **dirs, int max)
{
	static char exe_dir[PATH_MAX + 8];
	const char *env = getenv("CONCLAB_LABS");
	ssize_t n;
	int count = 0;

	if (env != NULL && env[0] != '\0' && count < max)
		dirs[count++] = env;
	n = readlink("/proc/self/exe", exe_dir, PATH_MAX);
	if (n > 0) {
		char *slash;

		exe_dir[n] = '\0';
		slash = strrchr(exe_dir, '/');
		if (slash != NULL) {
			strcpy(slash, "/labs");
			if (count < max)
				dirs[count++] = exe_dir;
		}
	}
	if (count < max)
		dirs[count++] = CONCLAB_PREFIX "/share/conclab/labs";
	return count;
}

char *
lab_find(const char *id)
{
	const char *dirs[4];
	int n = lab_dirs(dirs, 4);

	if (!util_is_ident(id))
		return NULL;
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s.lab", dirs[i], id);

		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/* Do a and b name the same directory? */
static bool
same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino;
}

/* Is dir/py/name a regular file?  Its path into out either way. */
static bool
script_at(const char *dir, const char *name, char *out, size_t len)
{
	struct stat st;

	snprintf(out, len, "%s/py/%s", dir, name);
	return stat(out, &st) == 0 && S_ISREG(st.st_mode);
}

bool
lab_script_find(const char *dir, const char *name, char *out, size_t len)
{
	const char *dirs[4];
	int n = lab_dirs(dirs, 4);
	size_t used;

	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL) {
		util_err(out, len, "script '%s' is not a file name (a script is a file in "
		    "py/ beside the lab file, or in the labs' py/ directory: no '/', not "
		    "starting with '.')", name);
		return false;
	}
	if (dir != NULL && script_at(dir, name, out, len))
		return true;	/* walk 7 H4: a copied lab's own script */
	for (int i = 0; i < n; i++) {
		if (script_at(dirs[i], name, out, len))
			return true;
		if (dir != NULL && same_dir(dir, dirs[i]))
			dir = NULL;	/* a lab of the lab directories: said below */
	}
	used = (size_t)snprintf(out, len, "script '%s': no file py/%s ", name, name);
	if (dir != NULL && used < len)
		used += (size_t)snprintf(out + used, len - used, "beside the lab file nor ");
	if (used < len)
		used += (size_t)snprintf(out + used, len - used, "in");
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s %s", i ? "," : "", dirs[i]);
	if (dir != NULL && used < len)
		snprintf(out + used, len - used, "; put it in %s/py/", dir);
	return false;
}

void
lab_missing(const char *name, const char *ids, char *buf, size_t len)
{
	char file[300];

	snprintf(buf, len, "no lab '%s' (labs: %s)", name, ids[0] != '\0' ? ids : "none found");
	snprintf(file, sizeof file, "%s.lab", name);
	/* walk 7 H4: a.lab in the current directory, named as "a" */
	if (strchr(name, '/') == NULL && access(file, R_OK) == 0)
		util_appendf(buf, len, "; %s here is a lab file: name it by its path, ./%s, "
		    "or set CONCLAB_LABS to its directory", file, file);
	else
		util_appendf(buf, len, "; a lab file of your own is named by its path "
		    "(./%s.lab) or found in $CONCLAB_LABS", name);
}

char *
lab_locate(const char *name)
{
	if (strchr(name, '/') != NULL || strstr(name, ".lab") != NULL)
		return xstrdup(name);
	return lab_find(name);
}

static int
lab_cmp(const void *a, const void *b)
{
	const struct lab *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Add lab to the list unless a lab of its id is there already. */
static void
list_add(struct lab **labs, int *count, int *cap, struct lab *lab)
{
	for (int i = 0; i < *count; i++)
		if (strcmp((*labs)[i].id, lab->id) == 0) {
			lab_free(lab);
			return;
		}
	if (*count == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*labs = xrealloc(*labs, (size_t)*cap * sizeof **labs);
	}
	(*labs)[(*count)++] = *lab;
}

/* Did a file that failed to parse take the name id? */
static bool
claimed(const struct lab *broken, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(broken[i].id, id) == 0)
			return true;
	return false;
}

/* The messages of the broken files into errs, one a line: in full when
 * they all fit, else each file's "path:line:" alone, so that every broken
 * file is named (walk 6 G12: the menu's line left out the last ones), and
 * what does not fit even so counted. */
static void
put_errors(char *errs, size_t errlen, char **msgs, int n)
{
	size_t full = 0, used = 0;
	int left = 0;

	for (int i = 0; i < n; i++)
		full += strlen(msgs[i]) + 1;
	for (int i = 0; i < n; i++) {
		const char *colon = strchr(msgs[i], ':');
		const char *line_end = colon != NULL ? strchr(colon + 1, ':') : NULL;
		size_t keep = strlen(msgs[i]);

		if (full >= errlen && line_end != NULL)
			keep = (size_t)(line_end - msgs[i]) + 1;
		if (used + keep + 40 >= errlen && (i < n - 1 || used + keep + 1 >= errlen)) {
			left = n - i;
			break;
		}
		used += (size_t)snprintf(errs + used, errlen - used, "%.*s\n", (int)keep, msgs[i]);
	}
	if (left > 0)
		snprintf(errs + used, errlen - used, "(%d more broken lab files)\n", left);
}

int
lab_load_all(lab_exec_lookup_fn lookup, struct lab **out, char *errs, size_t errlen)
{
	const char *dirs[4];
	int ndirs = lab_dirs(dirs, 4), count = 0, cap = 0, nbroken = 0, capb = 0;
	struct lab *labs = NULL, *broken = NULL;
	char **msgs = NULL;
	int nmsgs = 0;

	if (errs != NULL && errlen > 0)
		errs[0] = '\0';
	for (int d = 0; d < ndirs; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *de;

		if (dir == NULL)
			continue;
		while ((de = readdir(dir)) != NULL) {
			size_t len = strlen(de->d_name);
			char err[512];
			struct lab lab;
			char *path;

			if (len < 5 || strcmp(de->d_name + len - 4, ".lab") != 0)
				continue;
			path = xasprintf("%s/%s", dirs[d], de->d_name);
			if (lab_load(path, lookup, &lab, err, sizeof err) < 0) {
				msgs = xrealloc(msgs, (size_t)(nmsgs + 1) * sizeof *msgs);
				msgs[nmsgs++] = xstrdup(err);
				/* it still takes its name: `run NAME` finds this file,
				 * so a later directory's NAME.lab is not shown instead */
				memset(&lab, 0, sizeof lab);
				if (len - 4 < sizeof lab.id) {
					memcpy(lab.id, de->d_name, len - 4);
					list_add(&broken, &nbroken, &capb, &lab);
				}
			} else if (!claimed(broken, nbroken, lab.id)) {
				list_add(&labs, &count, &cap, &lab);
			} else {
				lab_free(&lab);
			}
			free(path);
		}
		closedir(dir);
	}
	free(broken);	/* ids only: nothing of theirs to free */
	if (errs != NULL && errlen > 0)
		put_errors(errs, errlen, msgs, nmsgs);
	for (int i = 0; i < nmsgs; i++)
		free(msgs[i]);
	free(msgs);
	if (count > 1)
		qsort(labs, (size_t)count, sizeof *labs, lab_cmp);
	*out = labs;
	return count;
}

void
lab_list_free(struct lab *labs, int n)
{
	for (int i = 0; i < n; i++)
		lab_free(&labs[i]);
	free(labs);
}

int
lab_id_list(lab_exec_lookup_fn lookup, char *buf, size_t len)
{
	struct lab *labs;
	int n = lab_load_all(lookup, &labs, NULL, 0);
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used < len; i++) {
		int r = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", labs[i].id);

		used += r > 0 ? (size_t)r : 0;
	}
	lab_list_free(labs, n);
	return n;
}
