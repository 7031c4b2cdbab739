#!/bin/sh
# Runs every case suite: tests/cases/NAME/ holds the cases of the rule set rules/NAME/, and
# 'dagloon test rules tests/cases' sends each case file to the rule set its folder names.
set -u
BIN=${1:-build/dagloon}
echo "== dagloon test rules tests/cases --coverage"
"$BIN" test rules tests/cases --coverage
