#!/bin/sh
# Runs every case suite: tests/cases/NAME/ holds the cases of the rule set rules/NAME/, and
# 'dagloon test rules tests/cases' sends each case file to the rule set its folder names.
# Then the sample populations (rules/NAME/populatie.jsonl, the input of 'make demo') must run
# without a single error row, so the demo cannot go stale when a rule set's invoer changes, and
# give the same bytes when run with --explain (the code compiled for explanations).
set -u
BIN=${1:-build/dagloon}
status=0
echo "== dagloon test rules tests/cases --coverage"
"$BIN" test rules tests/cases --coverage || status=1
for pop in rules/*/populatie.jsonl; do
  [ -f "$pop" ] || continue
  echo "== dagloon run ${pop%/*} $pop"
  if ! "$BIN" run "${pop%/*}" "$pop" >"${TMPDIR:-/tmp}/pop.$$.csv"; then
    echo "FAIL $pop: the sample population gives error rows (see above)"
    status=1
  fi
  # the code compiled for explanations (no inlining, trace points) must compute the same bytes
  "$BIN" run "${pop%/*}" "$pop" --explain "${TMPDIR:-/tmp}/pop.$$.jsonl" >"${TMPDIR:-/tmp}/pop.$$.x.csv" 2>/dev/null
  if ! cmp -s "${TMPDIR:-/tmp}/pop.$$.csv" "${TMPDIR:-/tmp}/pop.$$.x.csv"; then
    echo "FAIL $pop: run --explain computes other values than run"
    status=1
  elif [ "$(wc -l < "${TMPDIR:-/tmp}/pop.$$.jsonl")" -ne "$(($(wc -l < "${TMPDIR:-/tmp}/pop.$$.csv") - 1))" ]; then
    echo "FAIL $pop: run --explain did not write one explanation per dossier"
    status=1
  fi
  rm -f "${TMPDIR:-/tmp}/pop.$$.csv" "${TMPDIR:-/tmp}/pop.$$.x.csv" "${TMPDIR:-/tmp}/pop.$$.jsonl"
done
exit $status
