#!/bin/bash
# tests/cli.sh PIDSIM - the command line itself: output that cannot be
# written is an error (exit 2), every numeric option is parsed strictly
# (the whole string, range-checked; exit 2 naming the option), and the
# limits of a run (--max-tasks: exit 3, --timeout: exit 4) say what
# stopped it, with the transcript complete up to there.
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

# ---- Output that cannot be written (issue 12, defect 3) ---------------------
if [ -w /dev/full ]; then
	"$bin" checkpoint "$scenario" img "$tmp/c1.img" --design vpid 2>/dev/null ||
		fail "checkpoint to a file"
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
	grep -qE "not a number|out of range" "$tmp/err" ||
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
ex=examples/01-pids-from-one.pidsim
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
expect 3 "budget.pidsim:2: over the task budget" "$bin" run "$tmp/budget.pidsim" --max-tasks 2
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
