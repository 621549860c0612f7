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

if [ $failed -ne 0 ]; then
	echo "cli: FAILED"
	exit 1
fi
echo "cli: all passed"
