#!/bin/bash
# tests/suite.sh - one suite of make test, said in one line.
#
#   tests/suite.sh NAME CMD...   run CMD (a cmocka binary, a test script,
#                                the property suite ...), its output into
#                                a log; print one line: ok or FAIL, NAME,
#                                what it counted, the time it took.  On a
#                                failure the whole log comes first (CI must
#                                show it); with V=1 always.  Exit: CMD's.
#   tests/suite.sh --total DIR   the closing line of make test: suites,
#                                tests, trials and failures summed over the
#                                records in DIR; exit 1 when any failed.
#
# What a suite counts, from what it prints: cmocka's "[==========] N
# test(s) run." and "[  FAILED  ] N test(s)"; the property suite's "== PASS
# 'NAME': pass P, fail F, skip S, error E" (a test per property, its trials
# P + F + S + E) and allocfail's "== PASS allocfail: N calls" (a test, N
# trials); the scripts' "ok   ..." and "FAIL ..." lines (and "replay: N
# inputs").
# Each suite leaves a record "tests trials failures" in $TEST_RESULTS.
set -u

if [ "${1:-}" = --total ]; then
	dir=${2:?usage: tests/suite.sh --total DIR}
	suites=0 tests=0 trials=0 failures=0 failed=""
	for f in "$dir"/*.res; do
		[ -e "$f" ] || continue
		read -r t n fl name <"$f"
		suites=$((suites + 1)) tests=$((tests + t)) trials=$((trials + n))
		failures=$((failures + fl))
		[ "$fl" -gt 0 ] && failed="$failed; $name"
	done
	echo "== make test: $suites suites, $tests tests, $trials trials, $failures failures${failed:+ ($failed)}: $([ $failures -eq 0 ] && echo PASS || echo FAIL)" |
		sed 's/(; /(/'
	[ $failures -eq 0 ]
	exit
fi

name=${1:?usage: tests/suite.sh NAME CMD...}
shift
[ $# -gt 0 ] || { echo "usage: tests/suite.sh NAME CMD..." >&2; exit 2; }
results=${TEST_RESULTS:-build/test-results}
mkdir -p "$results"
log="$results/$(echo "$name" | tr ' /' '_-').log"

start=$(date +%s%N)
"$@" >"$log" 2>&1
rc=$?
ds=$((($(date +%s%N) - start) / 100000000))	# tenths of a second
secs="$((ds / 10)).$((ds % 10))"

# The counts, from the log.
read -r tests trials failures < <(awk '
	/^\[==========\] [0-9]+ test\(s\) run\./ { tests += $2 }
	/^\[  FAILED  \] [0-9]+ test\(s\)/ { failures += $4 }
	/^== (PASS|FAIL) \047/ {
		tests++
		if ($2 == "FAIL") failures++
		for (i = 1; i <= NF; i++)
			if ($i ~ /^(pass|fail|skip|error)$/) { v = $(i + 1); sub(/[,;]$/, "", v); trials += v }
	}
	/^== (PASS|FAIL) allocfail: / { tests++; trials += $4; if ($2 == "FAIL") failures++ }
	/^ok   / { tests++ }
	/^FAIL / { failures++ }
	/^replay: [0-9]+ inputs/ { tests += $2 }
	END { printf "%d %d %d\n", tests, trials, failures }' "$log")
# A suite that failed without saying so (a crash, a sanitizer report)
# is still one failure; one that counts nothing (a program that checks
# itself) is one test.
if [ $rc -ne 0 ] && [ "$failures" -eq 0 ]; then
	failures=1
fi
[ "$tests" -eq 0 ] && tests=1
echo "$tests $trials $failures $name" >"$results/$(basename "$log" .log).res"

what="$tests test$([ "$tests" -eq 1 ] || echo s)"
[ "$trials" -gt 0 ] && what="$what, $trials trials"
if [ $rc -ne 0 ] || [ "${V:-}" = 1 ]; then
	cat "$log"
fi
if [ $rc -ne 0 ]; then
	echo "FAIL $name: $what, $failures failed, exit $rc ($secs s; log: $log)"
else
	echo "ok   $name: $what ($secs s)"
fi
exit $rc
