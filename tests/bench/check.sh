#!/bin/sh
# The benchmark's correctness, in every test run: the rule files (rules/bench/herstel.rules) and
# the independent native program (tests/bench/herstel_native.c) must print byte-identical output
# for the committed sample (tests/bench/sample.csv: 1,000 dossiers, gen_dossiers.py 1000 1).
# The native program refuses a line that is not a dossier (exit 1, its line number) rather than skip it.
# `make bench` checks the same on 100,000 dossiers and then times both.
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/bench
mkdir -p "$OUT"
${CC:-cc} -O2 -std=c11 -Wall -Wextra -o "$OUT/herstel_native" tests/bench/herstel_native.c || exit 1
"$OUT/herstel_native" rules/bench/tables.csv < tests/bench/sample.csv > "$OUT/sample.native.csv" || exit 1
"$BIN" run rules/bench/herstel.rules tests/bench/sample.csv > "$OUT/sample.vm.csv" 2>"$OUT/sample.vm.err" || {
  cat "$OUT/sample.vm.err"
  exit 1
}
# a line that is not a dossier (30 February) stops the native program with its line number, never skipped
{ head -2 tests/bench/sample.csv; echo "7,2017-02-30,1,1,1,1,1,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0"; } |
  "$OUT/herstel_native" rules/bench/tables.csv > /dev/null 2> "$OUT/sample.bad.err"
if [ $? -ne 1 ] || ! grep -q "line 3:" "$OUT/sample.bad.err"; then
  echo "FAIL bench: tests/bench/herstel_native.c did not refuse line 3 (a 30 February)"
  exit 1
fi
if cmp -s "$OUT/sample.native.csv" "$OUT/sample.vm.csv"; then
  echo "bench: rules and native baseline agree on $(($(wc -l < tests/bench/sample.csv) - 1)) dossiers"
else
  echo "FAIL bench: rules/bench/herstel.rules and tests/bench/herstel_native.c differ:"
  diff "$OUT/sample.native.csv" "$OUT/sample.vm.csv" | head -20
  exit 1
fi
