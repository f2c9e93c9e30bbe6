#!/bin/sh
# deps.sh WHO WHAT CHECK PACKAGE...: when the shell command CHECK fails, what
# WHO needs is missing: as root install the Debian PACKAGEs with apt-get,
# otherwise stop with the command that installs them.  Used by make's
# check-deps, e2e-deps and fuzz-deps.
who=$1; what=$2; check=$3; shift 3
sh -c "$check" >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "$who: installing $what (apt-get install $*)"
	{ apt-get install -y -qq "$@" ||
	  { apt-get update -qq && apt-get install -y -qq "$@"; }; } >/dev/null 2>&1
	sh -c "$check" >/dev/null 2>&1 && exit 0
	echo "$who: could not install $what; run: sudo apt-get install $*"
	exit 1
fi
echo "$who needs $what; run: sudo apt-get install $*"
exit 1
