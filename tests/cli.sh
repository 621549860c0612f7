#!/bin/bash
# tests/cli.sh PIDSIM - the command line itself: output that cannot be
# written is an error (exit 2), every numeric option is parsed strictly
# (the whole string, range-checked; exit 2 naming the option), and the
# limits of a run (--max-tasks, --timeout) say what stopped it.
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

if [ $failed -ne 0 ]; then
	echo "cli: FAILED"
	exit 1
fi
echo "cli: all passed"
