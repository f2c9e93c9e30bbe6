# Sourced by every end-to-end script (its name does not start with t_, so
# run.sh does not run it on its own).  A script passes when it exits 0 with
# "ok" on its last line; a missing tool is a failure, never a skip.
#
# e2e_setup [TOOL...]   B (the binary, absolute), T (a scratch dir removed at
#                       exit), LABS; fails at once when a TOOL is missing.
# fail MSG              the ends of $T/err and $T/screen if there, then
#                       "FAIL: MSG" (the last line), exit 1.
# at_exit               redefine it to stop what the script started (called
#                       at exit before $T is removed).
# tmux_setup NAME       e2e_setup with tmux, plus X (a private tmux server),
#                       snap, wait_for TEXT SECONDS, new_pane W H.

# need TOOL...: each TOOL must be on PATH, else fail with how to install it.
need() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 && continue
		case $tool in
		pgrep) pkg=procps ;;
		ss) pkg=iproute2 ;;
		unshare) pkg=util-linux ;;
		*) pkg=$tool ;;
		esac
		echo "FAIL: this test needs $tool; install it: sudo apt-get install $pkg"
		echo "(or run make e2e as root: it installs what the tests need)"
		exit 1
	done
}

at_exit() { :; }

e2e_cleanup() {
	at_exit
	[ -n "${X:-}" ] && $X kill-server 2>/dev/null
	[ -n "${T:-}" ] && rm -rf "$T"
}

e2e_setup() {
	need "$@"
	B=${CONCLAB_BIN:?set CONCLAB_BIN to the conclab binary}
	case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
	T=$(mktemp -d)
	X=
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	LABS=$(cd "$(dirname "$0")/../../labs" && pwd)
}

fail() {
	for f in err screen; do
		[ -s "$T/$f" ] && { echo "--- $f (end):"; tail -n 24 "$T/$f"; }
	done
	# last, so that run.sh's tail of the output always shows it
	echo "FAIL: $*"
	exit 1
}

tmux_setup() {
	e2e_setup tmux
	X="tmux -L conclab-e2e-$1-$$"
}

snap() { $X capture-pane -p -t t >"$T/screen"; }

# wait_for TEXT SECONDS: poll the screen until it shows TEXT
wait_for() {
	n=0
	while [ $n -lt $(($2 * 10)) ]; do
		snap
		grep -q -- "$1" "$T/screen" && return 0
		sleep 0.1; n=$((n + 1))
	done
	return 1
}

# new_pane W H: a fresh tmux server with one W x H pane running sh, session t
# (a second try after a second: a server that was just killed may linger)
new_pane() {
	$X kill-server 2>/dev/null
	sleep 0.3
	$X -f /dev/null new-session -d -x "$1" -y "$2" -s t "sh" ||
	    { sleep 1; $X -f /dev/null new-session -d -x "$1" -y "$2" -s t "sh"; } || fail "tmux"
}
