#!/bin/sh
# Runs every case suite: tests/cases/NAME/ holds the cases of the rule set rules/NAME/.
set -u
BIN=${1:-build/dagloon}
status=0
for d in tests/cases/*/; do
  d=${d%/}
  name=${d##*/}
  echo "== dagloon test rules/$name $d"
  "$BIN" test "rules/$name" "$d" || status=1
done
exit $status
