#!/bin/sh
# sizes: the code-size limits of issue 13, checked.  No file of src/ over
# 700 lines, the dashboard's frame loop (src/dash.c) under 400, no function
# over 90 lines (from the line with its name to its closing brace, in the
# style of this tree: the name at the start of a line, the braces alone on
# theirs).  Prints the three longest functions and the largest files; exits
# 1 when a limit is broken.  Usage: sh tests/sizes.sh [DIR]  (default src)
dir=${1:-src}
max_file=700
max_loop=400
max_func=90
status=0

funcs=$(awk '
FNR == 1 { name = ""; body = 0 }
/^[A-Za-z_][A-Za-z0-9_]*\(/ && !body {
	name = $0; sub(/\(.*/, "", name); start = FNR; next
}
/^\{$/ && name != "" { body = 1; next }
/^\}$/ && body {
	printf "%d %s:%d %s\n", FNR - start + 1, FILENAME, start, name
	name = ""; body = 0
}' "$dir"/*.c | sort -rn)

echo "longest functions (limit $max_func lines):"
echo "$funcs" | head -3 | sed 's/^/  /'
over=$(echo "$funcs" | awk -v m=$max_func '$1 > m')
if [ -n "$over" ]; then
	echo "functions over $max_func lines:"
	echo "$over" | sed 's/^/  /'
	status=1
fi

echo "largest files (limit $max_file lines; $dir/dash.c $max_loop):"
wc -l "$dir"/*.c | grep -v ' total$' | sort -rn | head -5 | sed 's/^ */  /'
big=$(wc -l "$dir"/*.c | grep -v ' total$' | awk -v m=$max_file '$1 > m')
if [ -n "$big" ]; then
	echo "files over $max_file lines:"
	echo "$big" | sed 's/^ */  /'
	status=1
fi
if [ -f "$dir/dash.c" ]; then
	n=$(wc -l < "$dir/dash.c")
	if [ "$n" -ge $max_loop ]; then
		echo "the frame loop $dir/dash.c has $n lines (limit: under $max_loop)"
		status=1
	fi
fi
[ $status = 0 ] && echo "sizes ok"
exit $status
