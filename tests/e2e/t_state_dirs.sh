#!/bin/sh
# Where conclab keeps state: with HOME unset a run works, writes nothing
# (never under the shared /tmp) and says so in one line on stderr; with HOME
# naming a missing directory it does not create it; progress goes into a
# private (0700) directory; a binary config or lab file is quoted escaped,
# its raw bytes never reach the terminal.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup
RUN="run sleep-vs-fib --headless --only sleep-threads --set duration_ms=20"
unset XDG_STATE_HOME XDG_CONFIG_HOME
export CONCLAB_LABS="$LABS"

# one_line FILE TEXT: FILE is exactly one line and holds TEXT
one_line() {
	[ "$(wc -l <"$1")" = 1 ] && grep -q -- "$2" "$1" ||
	    fail "stderr should be one line with '$2': $(cat -v "$1")"
}

# HOME unset.
before=$(ls -l --time-style=+%s.%N /tmp/.local/state/conclab 2>&1)
env -u HOME "$B" $RUN >"$T/out" 2>"$T/err" || fail "run without HOME: $(cat "$T/err")"
grep -q "what this shows" "$T/out" || fail "no report without HOME"
one_line "$T/err" "HOME is not set: no settings read, no progress kept"
[ "$(ls -l --time-style=+%s.%N /tmp/.local/state/conclab 2>&1)" = "$before" ] ||
    fail "progress written under /tmp/.local/state/conclab"

# HOME names a directory that does not exist.
env HOME="$T/gone" "$B" $RUN >"$T/out" 2>"$T/err" || fail "run with HOME missing"
one_line "$T/err" "HOME ($T/gone) is not an existing directory"
[ -e "$T/gone" ] && fail "conclab created the missing HOME"

# A usable HOME: progress kept in a private directory, nothing said (the
# whole lab: a run with --only is not marked done, e726de1).
mkdir "$T/home"
env HOME="$T/home" "$B" run interleave --headless --set count=1 --set sleep_ms=0 \
    >"$T/out" 2>"$T/err" || fail "run with HOME"
[ -s "$T/err" ] && fail "a run with HOME said: $(cat -v "$T/err")"
grep -q "^interleave done" "$T/home/.local/state/conclab/progress" ||
    fail "progress not kept under HOME: $(cat -v "$T/home/.local/state/conclab/progress")"
[ "$(stat -c %a "$T/home/.local/state/conclab")" = 700 ] || fail "state dir not 0700"

# A binary config file: warned about, escaped.
mkdir -p "$T/home/.config/conclab"
printf 'fps = \033[2J\033]0;title\007\377\nascii = on\n' >"$T/home/.config/conclab/config"
env HOME="$T/home" "$B" list >"$T/out" 2>"$T/err" || fail "list with a binary config"
grep -q 'bad setting .fps = \\x1b\[2J\\x1b\]0;title\\x07\\xff' "$T/err" ||
    fail "the config warning is not escaped: $(cat -v "$T/err")"
LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177-\377]')" "$T/err" &&
    fail "raw control or binary bytes on stderr: $(cat -v "$T/err")"
# (ASCII controls and invalid UTF-8 are refused by column; a C1 control,
# U+009B, the one-byte CSI of some terminals, is valid UTF-8 and is quoted)
printf '[lab]\nid = x\n\302\233[2J = 1\n' >"$T/bin.lab"
"$B" check "$T/bin.lab" >"$T/out" 2>"$T/err" && fail "check accepted a binary lab"
grep -q "bin.lab:3: unknown key '\\\\xc2\\\\x9b\\[2J'" "$T/err" ||
    fail "the lab error is not escaped: $(cat -v "$T/err")"
LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177-\377]')" "$T/err" &&
    fail "raw control or binary bytes on stderr: $(cat -v "$T/err")"
echo ok
