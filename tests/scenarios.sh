#!/bin/bash
# tests/scenarios.sh PIDSIM - run every scenario on every design, and check
# that malformed files fail the way the language promises.
#
#   examples/*.pidsim, tests/scenarios/*.pidsim   must exit 0 with
#       --design all (no violation, no failed expect); the side-by-side
#       transcript, with and without --stats, at most 160 columns wide
#       (the default off a terminal) and no line ending in a blank; the
#       --format json transcript a JSON document (python3's parser) with
#       a record per statement and design; an example is in canonical
#       form (pidsim fmt writes it back byte for byte)
#   tests/scenarios/bad/*.pidsim                  must exit 2, print nothing
#       on stdout and one line on stderr: FILE:LINE:COL: MESSAGE, where the
#       file's first line says "# error: LINE:COL: MESSAGE" (MESSAGE may be
#       a leading part of the real one)
#   generated here, not committed: a 10 MB line, binary junk, a NUL byte,
#       too many statements, a missing file
#
# Sanitizer reports exit 86, so that a crash is never taken for an exit
# status the language defines.
set -u
bin=${1:?usage: tests/scenarios.sh PIDSIM}
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=86:print_stacktrace=1}
failed=0
bad_ok=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL $*"
	failed=1
}

# A scenario that must pass on every design.
run_good() {
	local f=$1 rc
	"$bin" run "$f" --design all >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$f: exit $rc, want 0"
		grep -E '^ +[0-9]+ .*  [!]' "$tmp/out" | head -20
		tail -3 "$tmp/out"
		cat "$tmp/err"
		return
	fi
	echo "ok   $f: $(tail -1 "$tmp/out" | sed 's/^== //')"
	for stats in "" --stats; do
		"$bin" run "$f" $stats >"$tmp/out" 2>&1
		wide=$(awk 'length > 160 || / $/ { print FNR ": " $0; exit }' "$tmp/out")
		[ -z "$wide" ] || fail "$f $stats: a line over 160 columns or ending in a blank: $wide"
	done
	"$bin" run "$f" --format json >"$tmp/json" 2>"$tmp/err"
	if ! python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
n = len(d["designs"])
assert len(d["records"]) % n == 0 and len(d["records"]) > 0
assert [r["design"] for r in d["records"][:n]] == d["designs"]
assert d["summary"]["result"] == "PASS", d["summary"]
for r in d["records"]:
    assert r["class"] in ("same", "renumbered", "allowed", "pass", "skip", "unselected"), r
' "$tmp/json" 2>"$tmp/err"; then
		fail "$f --format json: $(tail -1 "$tmp/err")"
	else
		echo "ok   $f --format json: $(grep -c '"line": ' "$tmp/json") records, a JSON document"
	fi
	case $f in
	examples/*)
		if "$bin" fmt "$f" | cmp -s - "$f" && "$bin" fmt --check "$f"; then
			echo "ok   $f: pidsim fmt writes it back byte for byte"
		else
			fail "$f: not in canonical form: $("$bin" fmt --check "$f" 2>&1)"
		fi
		;;
	esac
}

# A malformed file: exit 2, silence on stdout, one FILE:LINE:COL: line on
# stderr; $2 (optional) is what that line must start with after FILE:.
run_bad() {
	local f=$1 want=${2:-} rc lines
	"$bin" run "$f" --design all >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ $rc -ne 2 ]; then
		fail "$f: exit $rc, want 2"; cat "$tmp/err" | head -5; return
	fi
	if [ -s "$tmp/out" ] || [ "$lines" -ne 1 ]; then
		fail "$f: want no output and one error line"; head -5 "$tmp/err"; return
	fi
	if ! grep -qE "^$(printf '%s' "$f" | sed 's/[][\.*^$/]/\\&/g'):[0-9]+:[0-9]+: " "$tmp/err"; then
		fail "$f: no FILE:LINE:COL: in: $(cat "$tmp/err")"; return
	fi
	if [ -n "$want" ] && [ "${want}" != "$(head -c ${#want} <<<"$(cut -d: -f2- "$tmp/err")")" ]; then
		fail "$f: want '$want', got '$(cut -d: -f2- "$tmp/err")'"; return
	fi
	bad_ok=$((bad_ok + 1))
}

for f in examples/*.pidsim tests/scenarios/*.pidsim; do
	[ -e "$f" ] && run_good "$f"
done

for f in tests/scenarios/bad/*.pidsim; do
	[ -e "$f" ] || continue
	want=$(sed -n '1s/^# error: //p' "$f")
	[ -n "$want" ] || { fail "$f: first line must be '# error: LINE:COL: ...'"; continue; }
	run_bad "$f" "$want"
done

# Generated malformed files.
head -c 10485760 /dev/zero | tr '\0' 'a' >"$tmp/long-line.pidsim"
run_bad "$tmp/long-line.pidsim" "1:4097: line longer than 4096 bytes"

{ echo "fork host -> a"; echo "fork a -> b"; head -c 65536 "$bin"; } >"$tmp/binary.pidsim"
run_bad "$tmp/binary.pidsim" "3:1: unexpected byte 0x7f"

LC_ALL=C awk 'BEGIN { srand(2006); for (i = 0; i < 65536; i++) printf "%c", int(rand() * 255) + 1 }' \
	>"$tmp/junk.pidsim"
run_bad "$tmp/junk.pidsim"

printf 'fork host -> a\nfork a\0 -> b\n' >"$tmp/nul.pidsim"
run_bad "$tmp/nul.pidsim" "2:7: unexpected byte 0x00"

for i in $(seq 10001); do echo "getpid host"; done >"$tmp/many.pidsim"
run_bad "$tmp/many.pidsim" "10001:1: too many statements"

# The documented limits, at the boundary (issue 12, defect 5): a line of
# 4096 bytes (the newline, LF or CRLF, is not part of it) and a file of
# 64 MiB are accepted; one byte more is refused.
# long_line BYTES EOL: 'getpid host', padded with a comment to BYTES bytes
# before EOL, then an expect that it ran.
long_line() {
	printf 'getpid host #'
	head -c $(($1 - 13)) /dev/zero | tr '\0' x
	printf "%b" "$2"
	printf 'expect 1(host)%b' "$2"
}
for eol in '\n' '\r\n'; do
	name=$([ "$eol" = '\n' ] && echo LF || echo CRLF)
	long_line 4096 "$eol" >"$tmp/line-4096.pidsim"
	"$bin" run "$tmp/line-4096.pidsim" --design pidns >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q "expect 1(host) .*pass" "$tmp/out"; then
		fail "a line of 4096 bytes and $name: exit $rc, want 0"; head -3 "$tmp/err"
	else
		echo "ok   a line of 4096 bytes and $name: accepted"
	fi
	long_line 4097 "$eol" >"$tmp/line-4097.pidsim"
	run_bad "$tmp/line-4097.pidsim" "1:4097: line longer than 4096 bytes"
done

# file_of BYTES EOL: a scenario of exactly BYTES bytes: a statement,
# comment lines of at most 4096 bytes, an expect.
file_of() {
	LC_ALL=C awk -v size="$1" -v eol="$2" 'BEGIN {
		first = "getpid host" eol; last = "expect 1(host)" eol
		left = size - length(first) - length(last)
		line = sprintf("#%4095s", ""); gsub(/ /, "x", line)
		printf "%s", first
		while (left > 0) {
			n = left - length(eol)
			if (n > 4096) n = 4096
			if (left - n - length(eol) > 0 && left - n - length(eol) < 1 + length(eol))
				n -= 2		# leave room for a last line of at least "#"
			printf "%s%s", substr(line, 1, n), eol
			left -= n + length(eol)
		}
		printf "%s", last
	}'
}
max=$((64 << 20))
file_of $max '\n' >"$tmp/max.pidsim"
size=$(wc -c <"$tmp/max.pidsim")
[ "$size" -eq $max ] || fail "file_of made $size bytes, not $max"
for how in file stdin; do
	if [ $how = file ]; then
		"$bin" run "$tmp/max.pidsim" --design pidns >"$tmp/out" 2>"$tmp/err"
	else
		"$bin" run - --design pidns <"$tmp/max.pidsim" >"$tmp/out" 2>"$tmp/err"
	fi
	rc=$?
	if [ $rc -ne 0 ] || ! grep -q "expect 1(host) .*pass" "$tmp/out"; then
		fail "a file of exactly 64 MiB ($how): exit $rc, want 0"; head -3 "$tmp/err"
	else
		echo "ok   a file of exactly 64 MiB ($how): accepted"
	fi
done
printf '#' >>"$tmp/max.pidsim"
"$bin" run "$tmp/max.pidsim" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -q "file too large (at most 64 MiB)" "$tmp/err"; then
	fail "a file of 64 MiB and one byte: exit $rc, want 2 and 'file too large'"
	head -3 "$tmp/err"
else
	echo "ok   a file of 64 MiB and one byte: refused"
fi
rm -f "$tmp/max.pidsim"

for i in $(seq 10000); do echo "getpid host"; done >"$tmp/most.pidsim"
"$bin" run "$tmp/most.pidsim" --design pidns >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && grep -q "10000 statements" "$tmp/out" ||
	fail "10000 statements: exit $rc, want 0"

# Work without bounds (issue 12): a container checkpointed and restored
# into itself, again and again, doubles each time; with the default
# pid_max raised out of the way it used to grow to gigabytes and die out of
# memory with its transcript unprinted.  Under a small task budget the
# restore that would pass it gives E2BIG, the file runs to its end (every
# later checkpoint refused too: the images held are under the same
# budget), and the transcript holds every line.  With --max-tasks 1024:
# c's container holds 2^k tasks after restore k, and restore 9 (line 21)
# would bring the image to 1 + 2 * 512 > 1024.  The memory is capped so
# that a regression fails here instead of eating the machine: ulimit -v,
# or the sanitizer's own RSS limit (its shadow memory needs terabytes of
# address space).
{
	echo "kernel pid_max 4194304"
	echo "fork host newpid -> c"
	echo "fork c -> a"
	for i in $(seq 546); do
		echo "checkpoint host c -> i$i"
		echo "restore c i$i -> r$i"
	done
} >"$tmp/doubling.pidsim"
if grep -q __asan_init "$bin"; then
	ASAN_OPTIONS=$ASAN_OPTIONS:hard_rss_limit_mb=1024 \
		"$bin" run "$tmp/doubling.pidsim" --max-tasks 1024 --width 1000 >"$tmp/out" 2>"$tmp/err"
	rc=$?
else
	(ulimit -v 1000000; exec "$bin" run "$tmp/doubling.pidsim" --max-tasks 1024 --width 1000) \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
fi
rows=$(grep -cE '^ *[0-9]+  ' "$tmp/out")
if [ $rc -ne 3 ]; then
	fail "doubling.pidsim --max-tasks 1024: exit $rc, want 3"; head -3 "$tmp/err"
elif ! grep -q "doubling.pidsim:21: over the task budget" "$tmp/err"; then
	fail "doubling.pidsim: no limit message for line 21: $(head -2 "$tmp/err")"
elif [ "$rows" -ne 1095 ] || ! grep -qE "^  21  restore c i9 -> r9 .*E2BIG \[limit: max_tasks 1024\]" "$tmp/out" ||
     ! tail -1 "$tmp/out" | grep -q "the task budget (max_tasks 1024) refused line 21 and later: INCOMPLETE"; then
	fail "doubling.pidsim: want 1095 rows, E2BIG at line 21 and the budget in the summary"
	grep -E "^  2[01]  " "$tmp/out" | cut -c1-120; tail -1 "$tmp/out"
else
	echo "ok   doubling.pidsim --max-tasks 1024: E2BIG from line 21, all $rows rows, exit 3"
fi

"$bin" run "$tmp/no-such-file.pidsim" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "no-such-file" "$tmp/err"; then
	fail "missing file: exit $rc, want 2 and a message"
else
	echo "ok   missing file: exit 2"
fi

# The command line itself: help on stdout, usage errors exit 2 (tests/cli.sh
# has every case).
"$bin" --help | grep -q "usage: pidsim COMMAND" || fail "pidsim --help"
"$bin" run --help | grep -q -- "--design" || fail "pidsim run --help"
"$bin" designs | grep -q "max_level" || fail "pidsim designs"
"$bin" run >/dev/null 2>&1; [ $? -eq 2 ] || fail "pidsim run without FILE must exit 2"
"$bin" run examples/01-pids-from-one.pidsim --design nosuch >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown design must exit 2"

echo "ok   $bad_ok malformed files: exit 2, one FILE:LINE:COL: error, no output"

if [ $failed -ne 0 ]; then
	echo "scenarios: FAILED"
	exit 1
fi
echo "scenarios: all passed"
