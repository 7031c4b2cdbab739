#!/bin/sh
# Runs every case suite: tests/cases/NAME/ holds the cases of the rule set rules/NAME/, and
# 'dagloon test rules tests/cases' sends each case file to the rule set its folder names.
# Then the sample populations (rules/NAME/populatie.jsonl, the input of 'make demo') must run
# without a single error row, so the demo cannot go stale when a rule set's invoer changes.
set -u
BIN=${1:-build/dagloon}
status=0
echo "== dagloon test rules tests/cases --coverage"
"$BIN" test rules tests/cases --coverage || status=1
for pop in rules/*/populatie.jsonl; do
  [ -f "$pop" ] || continue
  echo "== dagloon run ${pop%/*} $pop"
  if ! "$BIN" run "${pop%/*}" "$pop" >/dev/null; then
    echo "FAIL $pop: the sample population gives error rows (see above)"
    status=1
  fi
done
exit $status
