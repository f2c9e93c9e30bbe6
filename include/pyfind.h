/*
 * pyfind: where a Python interpreter named in a lab is.  A name with a '/'
 * is taken as given; otherwise PATH is searched, and pyenv's installs are
 * looked at when PATH has no such command or has only a pyenv shim that
 * cannot run it (pyenv installed the version but does not select it):
 * $PYENV_ROOT (or ~/.pyenv)/versions/VERSION/bin/NAME, the newest VERSION.
 * A shim that runs gives the interpreter it selects (its sys.executable).
 */
#ifndef CONCLAB_PYFIND_H
#define CONCLAB_PYFIND_H

#include <stdbool.h>
#include <stddef.h>

/* The interpreter `name` as a path in out (len bytes).  False when there is
 * no executable of that name; out then holds the last path tried. */
bool pyfind_resolve(const char *name, char *out, size_t len);

#endif
