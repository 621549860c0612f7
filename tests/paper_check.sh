#!/bin/bash
# tests/paper_check.sh PAPER-CHECK - the claims PAPER.md and the README
# cite hold against the committed results (bench/results/), and the
# checker catches a claim that does not: a copy with one cited figure
# edited by hand, one ranking turned round, one note removed from a
# figure, or one line of the summary's excerpt changed must fail.  No
# bench run: it reads the committed files only.
set -u
pc=${1:?usage: tests/paper_check.sh PAPER-CHECK}
results=bench/results
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$pc" --results "$results" PAPER.md README.md >"$tmp/out" 2>&1; then
	cat "$tmp/out"
	echo "FAIL paper-check: PAPER.md and README.md against $results"
	failed=1
else
	echo "ok   paper-check: PAPER.md and README.md against $results"
fi

# mutant NAME FILE PERL: FILE changed by PERL (once) must differ from it
# and must fail the check, naming the line.
mutant() {
	local name=$1 file=$2 perl=$3
	local copy="$tmp/${file%.md}-mutant.md"

	perl -0pe "$perl" "$file" >"$copy"
	if cmp -s "$file" "$copy"; then
		echo "FAIL paper-check: $name: nothing in $file to change"
		failed=1
	elif "$pc" --results "$results" "$copy" >"$tmp/out" 2>&1; then
		echo "FAIL paper-check: $name: not caught"
		failed=1
	elif ! grep -q "^$copy:[0-9]*: " "$tmp/out"; then
		cat "$tmp/out"
		echo "FAIL paper-check: $name: caught without saying where"
		failed=1
	else
		echo "ok   paper-check: $name: caught ($(head -1 "$tmp/out" | sed "s|^$tmp/||"))"
	fi
}

notes='begin|end|given|rank|tied|excerpt|range'
# The last digit of the first figure with a note, plus one.
mutant "a figure edited by hand" PAPER.md \
	"s/(\d)([^\d<\n]{0,16}<!--pc (?!$notes))/((\$1+1)%10).\$2/e"
# The first two sides of the first ranking, swapped.
mutant "a ranking turned round" PAPER.md \
	's/(<!--pc rank \S+ \S+ )(\S+) < (\S+)/$1$3 < $2/'
# The first figure's note, removed: a figure with no source.
mutant "a figure with no note" PAPER.md \
	"s/<!--pc (?!$notes)[^>]*-->//"
# A digit in the first row of the times in the README's excerpt of the
# summary.
mutant "an excerpt line edited" README.md \
	's/(<!--pc excerpt[^>]*-->\s*```.*?\nns per operation[^\n]*\n[^\n]*?)(\d)/$1.(($2+1)%10)/se'

exit $failed
