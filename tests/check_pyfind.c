/* pyfind: an interpreter found in PATH, or in a (fake) pyenv root's
 * versions directory when PATH has only a pyenv shim that cannot run it. */
#include "testutil.h"

#include "pyfind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

/* An executable script at root/rel with body. */
static void
script(const char *rel, const char *body)
{
	char path[512], cmd[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	snprintf(cmd, sizeof cmd, "PATH=/usr/bin:/bin; mkdir -p \"$(dirname '%s')\"", path);
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

/* A fake pyenv root: a failing python2.7 shim and a working python3 shim
 * in shims/, python2.7 in versions 2.7.9 and 2.7.18, and a plain
 * (non-pyenv) command in plain/. */
static void
setup(void)
{
	char path[600];

	snprintf(root, sizeof root, "/tmp/check_pyfind.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	script("shims/python2.7", "# pyenv shim\n"
	    "echo 'pyenv: python2.7: command not found' >&2; exit 127");
	script("shims/python3", "# pyenv shim\nexit 0");
	script("versions/2.7.9/bin/python2.7", "exit 0");
	script("versions/2.7.18/bin/python2.7", "exit 0");
	script("versions/3.12.1/bin/python3", "exit 0");
	script("plain/python2.7", "exit 0");
	setenv("PYENV_ROOT", root, 1);
	snprintf(path, sizeof path, "%s/shims", root);
	setenv("PATH", path, 1);
}

static void
teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "PATH=/usr/bin:/bin; rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

/* got is root/rel. */
static void
is_at(const char *got, const char *rel)
{
	char want[512];

	snprintf(want, sizeof want, "%s/%s", root, rel);
	ck_assert_str_eq(got, want);
}

START_TEST(failing_shim_gives_newest_version)
{
	char out[512];

	ck_assert(pyfind_resolve("python2.7", out, sizeof out));
	is_at(out, "versions/2.7.18/bin/python2.7");
}
END_TEST

START_TEST(working_shim_is_kept)
{
	char out[512];

	ck_assert(pyfind_resolve("python3", out, sizeof out));
	is_at(out, "shims/python3");
}
END_TEST

/* A shim that says which interpreter it runs gives that interpreter: each
 * run then starts it directly, not through the shim's bash helpers. */
START_TEST(working_shim_gives_its_interpreter)
{
	char out[512], body[700];

	snprintf(body, sizeof body, "# pyenv shim\nprintf '%%s' '%s/versions/3.12.1/bin/python3'",
	    root);
	script("shims/python3", body);
	ck_assert(pyfind_resolve("python3", out, sizeof out));
	is_at(out, "versions/3.12.1/bin/python3");
	/* one it names that is not there: the shim */
	script("shims/python3", "# pyenv shim\nprintf '/nonexistent/python3'");
	ck_assert(pyfind_resolve("python3", out, sizeof out));
	is_at(out, "shims/python3");
}
END_TEST

START_TEST(not_in_path_gives_version)
{
	char out[512], path[300];

	snprintf(path, sizeof path, "%s/none", root);
	setenv("PATH", path, 1);
	ck_assert(pyfind_resolve("python2.7", out, sizeof out));
	is_at(out, "versions/2.7.18/bin/python2.7");
	/* ~/.pyenv when PYENV_ROOT is not set */
	unsetenv("PYENV_ROOT");
	setenv("HOME", root, 1);
	ck_assert(!pyfind_resolve("python2.7", out, sizeof out));
	script(".pyenv/versions/2.7.5/bin/python2.7", "exit 0");
	ck_assert(pyfind_resolve("python2.7", out, sizeof out));
	is_at(out, ".pyenv/versions/2.7.5/bin/python2.7");
}
END_TEST

START_TEST(plain_path_entry_wins)
{
	char out[512], path[600];

	snprintf(path, sizeof path, "%s/plain:%s/shims", root, root);
	setenv("PATH", path, 1);
	ck_assert(pyfind_resolve("python2.7", out, sizeof out));
	is_at(out, "plain/python2.7");
}
END_TEST

START_TEST(nothing_anywhere)
{
	char out[512], path[600];

	ck_assert(!pyfind_resolve("python9.9", out, sizeof out));
	ck_assert(!pyfind_resolve("", out, sizeof out));
	/* a path is taken as given */
	ck_assert(!pyfind_resolve("/nonexistent/python", out, sizeof out));
	ck_assert(pyfind_resolve("/bin/sh", out, sizeof out));
	ck_assert_str_eq(out, "/bin/sh");
	/* no version has it: the failing shim is what there is (the run then
	 * says it did not start) */
	snprintf(path, sizeof path, "PATH=/usr/bin:/bin; rm -r '%s/versions'", root);
	ck_assert_int_eq(system(path), 0);
	ck_assert(pyfind_resolve("python2.7", out, sizeof out));
	is_at(out, "shims/python2.7");
}
END_TEST

static Suite *
pyfind_suite(void)
{
	Suite *s = suite_create("pyfind");
	TCase *tc = tcase_create("pyfind");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, failing_shim_gives_newest_version);
	tcase_add_test(tc, working_shim_is_kept);
	tcase_add_test(tc, working_shim_gives_its_interpreter);
	tcase_add_test(tc, not_in_path_gives_version);
	tcase_add_test(tc, plain_path_entry_wins);
	tcase_add_test(tc, nothing_anywhere);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(pyfind_suite)
