#!/bin/bash
# tests/cli.sh PIDSIM - the command line itself: every bad argument is a
# usage error (exit 2, nothing on stdout, a message naming what is wrong
# and a short usage line on stderr), every command takes --help, and
# there is --version; output that cannot be written is an error (exit 2),
# every numeric option is parsed strictly (the whole string,
# range-checked; exit 2 naming the option); fmt --check says which file
# is not canonical (exit 1); --width, --design a,b and --format shape the
# transcript; and the limits of a run (--max-tasks: exit 3, --timeout:
# exit 4) say what stopped it, with the transcript complete up to there.
set -u
bin=${1:?usage: tests/cli.sh PIDSIM}
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=86:print_stacktrace=1}
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scenario=examples/12-migrate-designs.pidsim

fail() {
	echo "FAIL $*"
	failed=1
}

# expect CODE WORDS CMD...: CMD exits CODE and its stderr contains WORDS.
expect() {
	local want=$1 words=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		fail "$*: exit $rc, want $want"; head -5 "$tmp/err"; return 1
	fi
	if [ -n "$words" ] && ! grep -qF -- "$words" "$tmp/err"; then
		fail "$*: stderr lacks '$words': $(head -2 "$tmp/err")"; return 1
	fi
	echo "ok   $*: exit $rc${words:+, '$words'}"
}

# to_full CODE WORDS CMD...: the same, with stdout on a full device.
to_full() {
	local want=$1 words=$2 rc
	shift 2
	"$@" >/dev/full 2>"$tmp/err"
	rc=$?
	if [ $rc -ne "$want" ] || ! grep -qF -- "$words" "$tmp/err"; then
		fail "$* >/dev/full: exit $rc, want $want and '$words': $(head -2 "$tmp/err")"
		return
	fi
	echo "ok   $* >/dev/full: exit $rc, '$words'"
}

# usage WORDS ARGS...: pidsim ARGS is a usage error: exit 2, stdout empty,
# stderr the message (containing WORDS) and a usage line, three lines at
# most.
usage() {
	local words=$1 rc
	shift
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -- "$words" "$tmp/err" ||
	   ! grep -q "^usage: pidsim " "$tmp/err" || [ "$(wc -l <"$tmp/err")" -gt 3 ]; then
		fail "pidsim $*: exit $rc, want 2, '$words' and a usage line: $(head -4 "$tmp/err")"
		return
	fi
	echo "ok   pidsim $*: exit 2, '$words'"
}

# ---- Bad arguments: each named, exit 2, a short usage line -------------------
ex=examples/01-pids-from-one.pidsim
"$bin" checkpoint "$scenario" img "$tmp/c1.img" --design vpid 2>/dev/null ||
	fail "checkpoint to a file"
usage "usage: pidsim COMMAND"
usage "unknown command 'nosuch'" nosuch
usage "unknown option '--nosuch'" --nosuch
usage "no such command 'nosuch'" help nosuch
usage "unknown option '--desgin'" run --desgin all "$ex"
usage "unknown option '-x'" run -x "$ex"
usage "unknown option '--design-all'" run --design-all "$ex"
usage "--design needs a name" run "$ex" --design
usage "--design needs a name" run "$ex" --design=
usage "unknown design 'nosuch'" run "$ex" --design nosuch
usage "unknown design 'nosuch'" run "$ex" --design vpid,nosuch
usage "--design 'vpid,all': all stands alone, not in a list" run "$ex" --design vpid,all
usage "--design names 'vpid' twice" run "$ex" --design vpid,pidns,vpid
usage "--design 'vpid,': an empty name" run "$ex" --design vpid,
usage "--format 'xml': text, tsv or json" run "$ex" --format xml
usage "--format needs a format" run "$ex" --format
usage "--width '19': out of range (20..100000)" run "$ex" --width 19
usage "--width '80x': not a number" run "$ex" --width=80x
usage "--width needs a number" run "$ex" --width
usage "--stats takes no value" run "$ex" --stats=yes
usage "missing FILE" run
usage "missing FILE" run --stats
usage "unexpected argument 'extra'" run "$ex" extra
usage "missing FILE" fmt
usage "missing FILE" fmt --check
usage "unknown option '--chek'" fmt --chek "$ex"
usage "unexpected argument 'extra'" designs extra
usage "unknown option '--all'" designs --all
usage "missing show IMAGE" image
usage "unknown subcommand 'shw'" image shw "$tmp/c1.img"
usage "missing IMAGE" image show
usage "unexpected argument 'extra'" image show "$tmp/c1.img" extra
usage "missing FILE LABEL OUT" checkpoint
usage "missing OUT" checkpoint "$scenario" img
usage "--design: one design only" checkpoint --design vpid,pidns "$scenario" img "$tmp/x.img"
usage "unknown design 'nosuch'" checkpoint --design nosuch "$scenario" img "$tmp/x.img"
usage "--design needs a name" checkpoint "$scenario" img "$tmp/x.img" --design
usage "missing IMAGE" restore
usage "unknown design 'nosuch'" restore "$tmp/c1.img" --design nosuch
usage "--into takes no value" restore "$tmp/c1.img" --into=yes
usage "--pid-max needs a number" restore "$tmp/c1.img" --pid-max
# "--" ends the options: what follows is an operand, even '--stats'.
"$bin" run -- --stats >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "^pidsim: --stats: No such file" "$tmp/err" ||
	fail "pidsim run -- --stats: want the file '--stats': $(head -2 "$tmp/err")"

# ---- --help on every command, --version ---------------------------------------
for cmd in run designs fmt image checkpoint restore; do
	for how in "$cmd --help" "$cmd -h" "help $cmd"; do
		"$bin" $how >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc -ne 0 ] || [ -s "$tmp/err" ] || ! head -1 "$tmp/out" | grep -q "^usage: pidsim $cmd"; then
			fail "pidsim $how: exit $rc, want 0 and 'usage: pidsim $cmd' on stdout"
		fi
	done
	# --help anywhere among the arguments, before any check of them
	"$bin" $cmd --nosuch-yet --help >/dev/null 2>&1 && fail "pidsim $cmd --nosuch-yet --help: want 2"
	"$bin" $cmd --help --nosuch-yet >/dev/null 2>&1 || fail "pidsim $cmd --help --nosuch-yet: want 0"
done
echo "ok   --help, -h and help COMMAND on every command: usage on stdout, exit 0"
version=$(sed -n 's/^#define PIDSIM_VERSION "\(.*\)"$/\1/p' include/pidsim.h)
[ "$("$bin" --version)" = "pidsim $version" ] && echo "ok   pidsim --version: $version" ||
	fail "pidsim --version: '$("$bin" --version)', want 'pidsim $version'"
"$bin" --help | grep -q "^usage: pidsim COMMAND" && "$bin" help | grep -q "^commands:" ||
	fail "pidsim --help, pidsim help"

# ---- fmt --check ---------------------------------------------------------------
printf 'kernel pid_max 10\nfork  host -> a   # a comment\n' >"$tmp/loose.pidsim"
"$bin" fmt --check "$tmp/loose.pidsim" "$ex" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
   grep -q "loose.pidsim:1: not in canonical form: 'kernel pid_max 10' (pidsim fmt writes 'kernel host pid_max 10')" "$tmp/err" &&
   ! grep -q "$ex" "$tmp/err"; then
	echo "ok   fmt --check: exit 1, names the file and its first line not in canonical form"
else
	fail "fmt --check loose.pidsim: exit $rc: $(head -2 "$tmp/err")"
fi
"$bin" fmt "$tmp/loose.pidsim" >"$tmp/canon.pidsim" && "$bin" fmt --check "$tmp/canon.pidsim" &&
	grep -q "^fork host -> a                # a comment$" "$tmp/canon.pidsim" ||
	fail "fmt of loose.pidsim is not canonical, or lost its comment"
printf 'fork host -> \n' >"$tmp/broken.pidsim"
expect 2 "broken.pidsim:1:13: expected a new label" "$bin" fmt --check "$tmp/broken.pidsim"

# ---- The transcript's shape -------------------------------------------------------
for w in 100 120 200; do
	"$bin" run "$scenario" --width $w >"$tmp/out" 2>&1
	awk -v w=$w 'length > w { bad = 1 } END { exit bad }' "$tmp/out" ||
		fail "--width $w: a line is wider"
done
for w in 50 60; do
	"$bin" run "$scenario" --design pidns,vpid --width $w >"$tmp/out" 2>&1
	awk -v w=$w 'length > w { bad = 1 } END { exit bad }' "$tmp/out" ||
		fail "--design pidns,vpid --width $w: a line is wider"
done
echo "ok   run --width 100, 120, 200 (and 50, 60 with two designs): no line wider"
"$bin" run "$scenario" --design vpid-openvz,vpid --width 1000 >"$tmp/out" 2>&1
grep -q "^line  statement  *view  *vpid-openvz  *vpid$" "$tmp/out" &&
	grep -q "2 designs" "$tmp/out" && echo "ok   run --design vpid-openvz,vpid: those two, in that order" ||
	fail "run --design vpid-openvz,vpid: $(grep -m1 '^line' "$tmp/out")"
"$bin" run "$scenario" --format tsv >"$tmp/out" 2>&1
fields=$(awk -F'\t' 'NR > 1 && NF != 18 { print NR; exit }' "$tmp/out")
[ "$(head -1 "$tmp/out" | cut -f1-3)" = "$(printf 'line\tdesign\tstatement')" ] && [ -z "$fields" ] &&
	echo "ok   run --format tsv: a header and $(($(wc -l <"$tmp/out") - 1)) records of 18 fields" ||
	fail "run --format tsv: header or field count (line $fields)"

# ---- Output that cannot be written (issue 12, defect 3) ---------------------
if [ -w /dev/full ]; then
	to_full 2 "No space left on device" "$bin" checkpoint "$scenario" img - --design vpid
	expect 2 "No space left on device" "$bin" checkpoint "$scenario" img /dev/full
	to_full 2 "standard output" "$bin" run examples/01-pids-from-one.pidsim
	to_full 2 "standard output" "$bin" run examples/01-pids-from-one.pidsim --design pidns --stats
	to_full 2 "standard output" "$bin" fmt examples/01-pids-from-one.pidsim
	to_full 2 "standard output" "$bin" designs
	to_full 2 "standard output" "$bin" --help
	to_full 2 "standard output" "$bin" image show "$tmp/c1.img"
	to_full 2 "standard output" "$bin" restore "$tmp/c1.img"
else
	echo "skip no writable /dev/full: output errors not tested"
fi

# ---- Numeric options: the whole string, in range (issue 12, defect 7) ------
img=$tmp/c1.img
for bad in abc "" 12abc " 12" "12 " +12 0x10 1e3 12.5 -5 0 1 4194305 99999999999 \
	   -99999999999 18446744073709551617; do
	expect 2 "--pid-max" "$bin" restore "$img" --pid-max "$bad" || true
	grep -qE "not a number|out of range|needs a number" "$tmp/err" ||
		fail "--pid-max '$bad': no reason in: $(cat "$tmp/err")"
done
expect 2 "--pid-max needs a number" "$bin" restore "$img" --pid-max
expect 2 "--pid-max" "$bin" restore "$img" --pid-max=abc
for good in 4194304 50000; do
	expect 0 "" "$bin" restore "$img" --pid-max "$good" --design pidns
done
# The lowest pid_max is taken; the image then does not fit (exit 1).
"$bin" restore "$img" --pid-max 2 --design pidns >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "^refused" "$tmp/out" ||
	fail "--pid-max 2: exit $rc, want 1 and a refused restore: $(head -3 "$tmp/out")"
expect 0 "" "$bin" restore "$img" --pid-max=50000 --design pidns
# 99999999999 used to wrap to 1215752191 (atoi): the boot must not see it.
"$bin" restore "$img" --pid-max 4294967298 --design pidns >"$tmp/out" 2>&1
[ $? -eq 2 ] && ! grep -q "booted\|restored" "$tmp/out" ||
	fail "--pid-max 4294967298 (2 after wrapping) must be refused"

# The limits of a run take the same numbers.
for bad in abc "" 0 -1 12abc 2147483648 99999999999; do
	expect 2 "--max-tasks" "$bin" run "$ex" --max-tasks "$bad" || true
done
for bad in abc "" 0 -1 1.5 1000001 99999999999; do
	expect 2 "--timeout" "$bin" run "$ex" --timeout "$bad" || true
done
expect 2 "--max-tasks needs a number" "$bin" run "$ex" --max-tasks
expect 2 "--timeout needs a number" "$bin" run "$ex" --timeout
expect 2 "--design needs a name" "$bin" run "$ex" --design=
expect 0 "" "$bin" run "$ex" --max-tasks 2147483647 --timeout 1000000
"$bin" run "$ex" --max-tasks=100 --timeout=600 >"$tmp/out" 2>&1 &&
	"$bin" run "$ex" >"$tmp/out2" 2>&1 && cmp -s "$tmp/out" "$tmp/out2" ||
	fail "--max-tasks 100 --timeout 600 change the transcript of $ex"

# --max-tasks: host init and a: a third task is over a budget of 2.
printf 'fork host -> a\nfork host -> b\nexpect E2BIG limit\ngetpid b\nchurn host 3\nexpect E2BIG\nexit a\nwait host a\nchurn host 3\nexpect 3\n' \
	>"$tmp/budget.pidsim"
expect 3 "budget.pidsim:2: over the task budget" "$bin" run "$tmp/budget.pidsim" --max-tasks 2 \
	--width 1000
grep -q "^   4  getpid b  *-  *- (line 2)" "$tmp/out" &&
	grep -q "refused line 2 and later: INCOMPLETE" "$tmp/out" &&
	! grep -q FAIL "$tmp/out" ||
	fail "budget.pidsim: want line 4 skipped and the budget in the summary: $(tail -1 "$tmp/out")"

# --timeout: 10,000 lines of churn ran for 10 to 18 minutes (issue 12).
# A run that passes STREAM_WORK prints every row as it finishes: the rows
# before the line the time limit stopped are all there.
{
	echo "fork host -> a"
	echo "getpid a"
	for i in $(seq 9998); do echo "churn host 20000"; done
} >"$tmp/churn.pidsim"
"$bin" run "$tmp/churn.pidsim" --timeout 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
stop=$(sed -n 's/^pidsim run: .*churn.pidsim:\([0-9]*\): timed out (--timeout 1).*/\1/p' "$tmp/err")
rows=$(grep -cE '^ *[0-9]+  ' "$tmp/out")
if [ $rc -ne 4 ] || [ -z "$stop" ]; then
	fail "churn.pidsim --timeout 1: exit $rc, want 4 and the line: $(head -2 "$tmp/err")"
elif [ "$rows" -ne $((stop - 1)) ] ||
     ! grep -qE "^ *$((stop - 1))  " "$tmp/out" ||
     ! tail -1 "$tmp/out" | grep -q "the time limit stopped the run at line $stop: INCOMPLETE"; then
	fail "churn.pidsim --timeout 1: stopped at $stop, want rows 1..$((stop - 1)), got $rows"
	tail -2 "$tmp/out"
else
	echo "ok   churn.pidsim --timeout 1: exit 4, stopped at line $stop, $rows rows before it"
fi

# Killed (SIGKILL, as the out-of-memory killer does): every row printed
# before stays.  Wait for line 3's row (the first churn) to appear while
# the run goes on, then kill it.
"$bin" run "$tmp/churn.pidsim" >"$tmp/out" 2>"$tmp/err" &
pid=$!
for ((i = 0; i < 600; i++)); do
	grep -qE "^   3  churn host 20000 .*20000" "$tmp/out" && break
	kill -0 $pid 2>/dev/null || break
	sleep 0.2
done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
if grep -q "^line  statement" "$tmp/out" && grep -qE "^   1  fork host -> a .*2\(a\)" "$tmp/out" &&
   grep -qE "^   2  getpid a .*2\(a\)" "$tmp/out" && grep -qE "^   3  churn host 20000 .*20000$" "$tmp/out"; then
	echo "ok   churn.pidsim killed: rows 1..$(grep -cE '^ *[0-9]+  ' "$tmp/out") were out before the kill"
else
	fail "churn.pidsim killed: rows 1..3 not printed before the kill"; head -5 "$tmp/out"
fi

if [ $failed -ne 0 ]; then
	echo "cli: FAILED"
	exit 1
fi
echo "cli: all passed"
