# Sourced by the end-to-end scripts that drive the dashboard in tmux (its
# name does not start with t_, so run.sh does not run it on its own).
# tmux_setup NAME: a private tmux server, a scratch dir $T, cleanup at exit.
# Sets B (absolute), T, X (the tmux command), LABS; defines fail, snap,
# wait_for and new_pane.
tmux_setup() {
	B=${CONCLAB_BIN:?}
	case "$B" in /*) ;; *) B="$(pwd)/$B" ;; esac
	command -v tmux >/dev/null || { echo "skip: no tmux"; exit 0; }
	T=$(mktemp -d)
	X="tmux -L conclab-e2e-$1-$$"
	trap '$X kill-server 2>/dev/null; rm -rf "$T"' EXIT
	LABS=$(cd "$(dirname "$0")/../../labs" && pwd)
}
fail() { echo "FAIL: $*"; echo "--- screen:"; cat "$T/screen" 2>/dev/null; exit 1; }
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
