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
# py ARGS... <<'PY'     python3 on the script from standard input, with
#                       timing(ok, what) from timing.py defined first.
# retry_timing LABEL FN [ARG...]
#                       a measurement and its check, tried up to 3 times
#                       when only a timing bound missed (see below).
# labs_rounds1          LABS1: a copy of the labs measuring fidelity runs once.
# own_binary            B becomes a link in $T: pgrep -f "^$B" finds this
#                       script's conclab processes only.

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
	E2E=$(cd "$(dirname "$0")" && pwd)
}

# py ARGS... <<'PY': python3 runs timing.py, then the script on standard
# input, with ARGS in sys.argv[1:].  (Its line numbers in a traceback are
# the script's plus timing.py's length.)
py() {
	{ cat "$E2E/timing.py"; cat; } | python3 - "$@"
}

# retry_timing LABEL FN [ARG...]: run the shell function FN (a measurement
# and the check of its figures) in a subshell; it passes at the first attempt
# that exits 0.  Exit 3 -- timing() in a py check, or FN's own "return 3" --
# says that only a bound on a measured time or share of a core missed, which
# a burst of steal or another program can flip: that is tried again, up to 3
# attempts, and fails only when all 3 miss.  Any other failure fails at once.
# Every attempt's output (its figures) is printed, prefixed with its number.
retry_timing() {
	label=$1; shift
	for attempt in 1 2 3; do
		("$@") >"$T/attempt.out" 2>&1
		st=$?
		sed "s/^/$label attempt $attempt: /" "$T/attempt.out"
		[ $st = 0 ] && return 0
		[ $st = 3 ] || fail "$label: $(tail -n 1 "$T/attempt.out") (not a timing miss: not retried)"
	done
	fail "$label: a timing bound missed in all 3 attempts: $(tail -n 1 "$T/attempt.out")"
}

# labs_rounds1: LABS1, a copy of the labs (with their py/ scripts) in which
# `rounds = N` is 1: the convoy and server labs then measure their fidelity
# runs once, not three times (about 20 s less a lab run), for scripts that
# check no fidelity figure.  Fails when no lab file had a rounds line (the
# copy would then not be what this says).
labs_rounds1() {
	LABS1=$T/labs-rounds1
	rm -rf "$LABS1"
	cp -r "$LABS" "$LABS1" || fail "copy the labs"
	grep -l '^rounds *= *[0-9]' "$LABS1"/*.lab >"$T/rounds.list" ||
	    fail "no lab file has a rounds line: labs_rounds1 has nothing to change"
	for f in $(cat "$T/rounds.list"); do
		sed -i 's/^rounds *= *[0-9][0-9]*/rounds = 1/' "$f" || fail "sed $f"
	done
}

fail() {
	for f in err screen; do
		[ -s "$T/$f" ] && { echo "--- $f (end):"; tail -n 60 "$T/$f"; }
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

# own_binary: B becomes $T/conclab, a link to the binary, so that the
# command line of every conclab process this script starts (and of their
# forks) begins with a path no other script uses: `pgrep -f "^$B"` then
# finds a process this script left, not one of a script run beside it.
own_binary() {
	ln -s "$B" "$T/conclab" || fail "link $T/conclab"
	B=$T/conclab
}
