#!/bin/bash
# tests/golden.sh - what the command line prints, recorded and compared, so
# that a refactoring can show it changed nothing a user sees.
#
#   tests/golden.sh record PIDSIM DIR   write every transcript into DIR
#   tests/golden.sh check PIDSIM DIR    record again and compare with DIR:
#                                       exit 1 and the diff when any differs
#
# The transcripts: `run FILE --stats` (every design side by side, with the
# costs) and `run FILE --design NAME` for every design, for each file in
# examples/ and tests/scenarios/; `pidsim designs`; `pidsim fmt FILE` for
# each example; and the exit status of each.  Record before the change
# (from a build of the commit before it), check after.
set -u
mode=${1:-}
bin=${2:-}
dir=${3:-}
if [ -z "$mode" ] || [ -z "$bin" ] || [ -z "$dir" ] ||
   { [ "$mode" != record ] && [ "$mode" != check ]; }; then
	echo "usage: tests/golden.sh record|check PIDSIM DIR" >&2
	exit 2
fi
[ -x "$bin" ] || { echo "golden: $bin: not an executable (make all builds build/pidsim)" >&2; exit 2; }
bin=$(realpath "$bin")
cd "$(dirname "$0")/.." || exit 2

# One command's stdout, stderr and exit status into out/NAME.
capture() {
	local out=$1 name=$2
	shift 2
	"$@" >"$out/$name.out" 2>"$out/$name.err"
	echo "exit $?" >>"$out/$name.out"
}

record() {
	local out=$1 f base d
	mkdir -p "$out" || exit 2
	capture "$out" designs "$bin" designs
	for f in examples/*.pidsim tests/scenarios/*.pidsim; do
		base=$(echo "$f" | tr / _)
		capture "$out" "$base.stats" "$bin" run "$f" --stats
		for d in $("$bin" designs | grep -E '^[a-z]' | grep -v '^flags:'); do
			capture "$out" "$base.$d" "$bin" run "$f" --design "$d"
		done
	done
	for f in examples/*.pidsim; do
		capture "$out" "$(echo "$f" | tr / _).fmt" "$bin" fmt "$f"
	done
}

case $mode in
record)
	rm -rf "$dir"
	record "$dir"
	echo "golden: $(ls "$dir" | wc -l) files in $dir"
	;;
check)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	record "$tmp/now"
	if diff -r "$dir" "$tmp/now" >"$tmp/diff"; then
		echo "golden: $(ls "$dir" | wc -l) files, byte-identical"
	else
		echo "golden: output changed:"
		head -100 "$tmp/diff"
		exit 1
	fi
	;;
esac
