#!/bin/sh
# A broken lab file in $CONCLAB_LABS: it keeps its name, so the shipped lab
# of that name (beside the binary) is not shown in its place -- not by list,
# not in the dashboard's menu, which leaves it out and says which files and
# lines; run and show refuse it; check reports every bad line of each file.
# e2e: beside
set -u
. "$(dirname "$0")/lib.sh"
tmux_setup lab-errors
mkdir -p "$T/labs" "$T/state"
cp "$LABS"/*.lab "$T/labs/"
sed -i 's/^answer = .*/answer = 7/; 0,/^executor = .*/s//executor = joinn/' "$T/labs/join.lab"
printf '[lab]\nid = junk\ntitle = junk\nthis is garbage\n[run a]\nexecutor = threads\ntasks = abc\n' \
    >"$T/labs/junk.lab"
# walk 6: a copy whose id is not its file name (the built-in race stays
# listed), an expectation nested 60,000 deep (it crashed list, check and
# the menu), a copy saved with a byte-order mark (read as if without)
sed 's/^title = .*/title = TEACHER COPY/' "$LABS/race.lab" >"$T/labs/race2.lab"
python3 -c "print('[lab]\nid = deep\ntitle = deep\nexpect = d: ' + '(' * 60000 + 'a.wall_s' +
    ')' * 60000 + ' > 0\n[run a]\nexecutor = serial')" >"$T/labs/deep.lab"
{ printf '\357\273\277'; sed 's/^id = .*/id = bom/; s/^title = .*/title = BOM COPY/' \
    "$LABS/race.lab"; } >"$T/labs/bom.lab"
ansl=$(grep -n '^answer' "$T/labs/join.lab" | cut -d: -f1)
exl=$(grep -n '^executor = joinn' "$T/labs/join.lab" | cut -d: -f1)

CONCLAB_LABS=$T/labs "$B" list >"$T/list.txt" 2>"$T/err"
grep -q "^join " "$T/list.txt" && fail "list shows a join lab in place of the broken file"
grep -q "join.lab:$ansl: answer must be the number of a choice (1..4)" "$T/err" ||
    fail "list's message: $(cat "$T/err")"
grep -q "race2.lab:5: id 'race' differs from the file name 'race2'" "$T/err" ||
    fail "list does not refuse the copy named race2: $(cat "$T/err")"
grep -q "deep.lab:4: expect: parentheses nested too deeply (at most 32)" "$T/err" ||
    fail "list's message on deep.lab: $(cat "$T/err")"
grep -q "^race .*TEACHER COPY" "$T/list.txt" && fail "list shows the copy as race"
grep -q "^bom  *BOM COPY" "$T/list.txt" || fail "list leaves out the lab with a BOM"
grep -q "^race " "$T/list.txt" || fail "list leaves out the shipped race"
CONCLAB_LABS=$T/labs "$B" check "$T/labs/deep.lab" >"$T/deep.txt" 2>&1; st=$?
[ $st = 2 ] || fail "check of deep.lab: exit $st"
CONCLAB_LABS=$T/labs "$B" run join --headless >/dev/null 2>&1; st=$?
[ $st = 2 ] || fail "run of the broken lab: exit $st"

CONCLAB_LABS=$T/labs "$B" check "$T/labs/join.lab" "$T/labs/junk.lab" >"$T/check.txt" 2>&1; st=$?
[ $st = 2 ] || fail "check: exit $st"
grep -q "join.lab:$ansl: answer" "$T/check.txt" || fail "check: no answer line"
grep -q "join.lab:$exl: unknown executor 'joinn'" "$T/check.txt" || fail "check stops at the first problem"
grep -q "junk.lab:4: expected" "$T/check.txt" || fail "check: junk line 4"
grep -q "junk.lab:7: tasks must be a whole number" "$T/check.txt" || fail "check: junk line 7"
# walk3.md 13: a copy of join with an answer past the choices, an expect
# line naming no figure, a parameter out of range and a filter typo on a
# continuation line of explain: one check lists all four, the filter at
# its own line, named
sed -e 's/^answer = .*/answer = 5/' -e 's/broken\.reported_s < 0\.1/broken.reportd_s < 0.1/' \
    -e '0,/^duration_ms = .*/s//duration_ms = 1000000/' -e 's/{fixed\.tasks|Word}/{fixed.tasks|Wrd}/' \
    -e 's/^id = .*/id = my/' "$LABS/join.lab" >"$T/my.lab"
al=$(grep -n '^answer' "$T/my.lab" | cut -d: -f1)
xl=$(grep -n 'reportd_s' "$T/my.lab" | cut -d: -f1)
dl=$(grep -n '^duration_ms = 1000000' "$T/my.lab" | cut -d: -f1)
fl=$(grep -n 'fixed.tasks|Wrd' "$T/my.lab" | cut -d: -f1)
el=$(grep -n '^explain' "$T/my.lab" | cut -d: -f1)
[ "$fl" != "$el" ] || fail "the typo is not on a continuation line"
"$B" check "$T/my.lab" >"$T/my.txt" 2>&1; st=$?
[ $st = 2 ] || fail "check of my.lab: exit $st"
for want in "my.lab:$al: answer must name one of the 4 choices" "my.lab:$xl: expect: " \
    "my.lab:$dl: duration_ms=1000000 is outside" "my.lab:$fl: explain: unknown filter '|Wrd'"; do
	grep -qF "$want" "$T/my.txt" || fail "check of my.lab lacks '$want': $(cat "$T/my.txt")"
done
grep -q "my.lab:$el: " "$T/my.txt" && fail "the filter typo is put at explain's first line: $(cat "$T/my.txt")"
[ "$(grep -c "my.lab:" "$T/my.txt")" = 4 ] || fail "check of my.lab, not four lines: $(cat "$T/my.txt")"
# every shipped lab at once (the shell's labs/*.lab): each checked
"$B" check "$LABS"/*.lab >"$T/all.txt" 2>&1 || fail "check of the shipped labs: $(cat "$T/all.txt")"
[ "$(grep -c ': ok (lab ' "$T/all.txt")" = "$(ls "$LABS"/*.lab | wc -l)" ] ||
    fail "check of every shipped lab: $(cat "$T/all.txt")"

new_pane 80 24
$X send-keys -t t "env NO_COLOR= CONCLAB_LABS=$T/labs XDG_CONFIG_HOME=$T XDG_STATE_HOME=$T/state LANG=C.UTF-8 LC_ALL= $B; echo rc=\$? >$T/rc" Enter
wait_for "pick one" 5 || fail "no menu"
grep "not in the menu (errors):" "$T/screen" | grep "join.lab:$ansl" | grep -q "junk.lab:4" ||
    fail "the menu does not say which lab files were left out"
grep "not in the menu (errors):" "$T/screen" | grep "deep.lab:4" | grep -q "race2.lab:5" ||
    fail "the menu does not name deep.lab and race2.lab"
grep -q "^ *> *join \|^   join " "$T/screen" && fail "the menu lists join"
$X send-keys -t t q
i=0; while [ ! -s "$T/rc" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "rc=0" "$T/rc" || fail "exit $(cat "$T/rc" 2>/dev/null)"
echo ok
