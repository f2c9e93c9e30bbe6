#!/bin/sh
# make sizes (tests/sizes.sh) holds the size limits of issue 13: it fails,
# naming the culprit, on a function over 90 lines, a file over 700 lines and
# a frame loop (dash.c) of 400 or more; it passes on a tree within them and
# prints the three longest functions.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
e2e_setup
S="$(dirname "$0")/../sizes.sh"

# func NAME LINES: a function of LINES lines (name to closing brace, as
# sizes.sh counts them) in this tree's style
func() {
	printf 'static int\n%s(void)\n{\n' "$1"
	k=3
	while [ $k -lt $2 ]; do echo "	x++;"; k=$((k + 1)); done
	printf '}\n\n'
}

mkdir -p "$T/good" "$T/long" "$T/big" "$T/loop"
{ func small 10; func medium 90; func tiny 5; } >"$T/good/a.c"
sh "$S" "$T/good" >"$T/out" 2>&1 || fail "a tree within the limits failed: $(cat "$T/out")"
grep -q "90 .*medium" "$T/out" || fail "the longest function not listed: $(cat "$T/out")"
grep -q "sizes ok" "$T/out" || fail "no 'sizes ok'"

{ func small 10; func huge 91; } >"$T/long/a.c"
sh "$S" "$T/long" >"$T/out" 2>&1 && fail "a 91-line function passed"
grep -q "over 90 lines" "$T/out" || fail "no message for the long function"
grep -q "91 .*huge" "$T/out" || fail "the long function not named: $(cat "$T/out")"

i=0
while [ $i -lt 12 ]; do func "f$i" 60; i=$((i + 1)); done >"$T/big/b.c"
sh "$S" "$T/big" >"$T/out" 2>&1 && fail "a file of $(wc -l <"$T/big/b.c") lines passed"
grep -q "files over 700 lines" "$T/out" || fail "no message for the big file"

i=0
while [ $i -lt 7 ]; do func "g$i" 60; i=$((i + 1)); done >"$T/loop/dash.c"
sh "$S" "$T/loop" >"$T/out" 2>&1 && fail "a frame loop of $(wc -l <"$T/loop/dash.c") lines passed"
grep -q "frame loop" "$T/out" || fail "no message for the frame loop"
echo ok
