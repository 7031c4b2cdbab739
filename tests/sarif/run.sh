#!/bin/sh
# 'dagloon check --format sarif' against the SARIF 2.1.0 schema (validate.py):
# the logs of every error golden (tests/golden/errors), of the check_format
# goldens, of a file that cannot be read, and of the legal rule sets in rules/ (no results).
# The validator is checked first: it must reject logs that break the schema.
#
# Run from the repository root: sh tests/sarif/run.sh build/dagloon
set -u
BIN=${1:-build/dagloon}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
G=tests/golden
"$BIN" check --format sarif $G/cli/check_format/rules/mixed.rules $G/cli/check_format/second.rules >"$TMP/mixed.sarif"
/usr/bin/python3 tests/sarif/validate.py --self-test "$TMP/mixed.sarif" || exit 1
"$BIN" check --format sarif $G/cli/check_format/missing.rules >"$TMP/missing.sarif" 2>/dev/null
"$BIN" check --format sarif rules/wia rules/ww rules/zw rules/herstel >"$TMP/rules.sarif" 2>/dev/null || { echo "FAIL: the legal rule sets have errors"; exit 1; }
n=0
for f in $G/errors/*.rules $G/errors/rules/*.rules; do
  [ -e "$f" ] || continue
  n=$((n + 1))
  "$BIN" check --format sarif "$f" >"$TMP/e$n.sarif" 2>/dev/null
done
/usr/bin/python3 tests/sarif/validate.py "$TMP"/*.sarif || exit 1
echo "sarif: $((n + 3)) logs valid against the SARIF 2.1.0 schema"
