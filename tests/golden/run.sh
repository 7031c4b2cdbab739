#!/bin/sh
# Golden tests: runs build/dagloon over every case and compares its output
# byte for byte with the expectation beside it. UPDATE=1 rewrites the
# expectations (review the diff like code).
#
#   errors/NAME.rules   -> NAME.err      stderr of 'dagloon check' (exit status 1)
#   lex/NAME.rules      -> NAME.tokens   stdout of 'dagloon tokens'
#   parse/NAME.rules    -> NAME.ast      stdout of 'dagloon ast'
#   codegen/NAME.rules  -> NAME.bc       stdout of 'dagloon disasm'
#   run/CASE/           rules.rules + input.csv|input.jsonl -> expected.stdout (stdout),
#                       expected.errors.csv (--errors file, optional), expected.exit (default 0),
#                       expected.err (stderr, optional); extra arguments in args (optional)
#
# Run from the repository root: sh tests/golden/run.sh build/dagloon
set -u
BIN=${1:-build/dagloon}
DIR=tests/golden
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

compare() {   # name expected actual
  if [ "${UPDATE:-0}" = 1 ]; then
    cp "$3" "$2"
    pass=$((pass + 1))
  elif cmp -s "$2" "$3"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $1"
    diff -u "$2" "$3" | head -40
  fi
}

expect_status() {   # name expected actual
  if [ "$2" != "$3" ]; then
    fail=$((fail + 1))
    echo "FAIL $1: exit status $3, expected $2"
  fi
}

for f in "$DIR"/errors/*.rules "$DIR"/errors/rules/*.rules; do
  [ -e "$f" ] || continue
  base=${f%.rules}
  "$BIN" check "$f" >/dev/null 2>"$TMP/err"
  st=$?
  expect_status "$f" 1 "$st"
  compare "$f" "$base.err" "$TMP/err"
done

for kind in lex:tokens:tokens parse:ast:ast codegen:bc:disasm; do
  sub=${kind%%:*}; rest=${kind#*:}; ext=${rest%%:*}; cmd=${rest#*:}
  for f in "$DIR/$sub"/*.rules; do
    [ -e "$f" ] || continue
    "$BIN" "$cmd" "$f" >"$TMP/out" 2>"$TMP/err"
    st=$?
    expect_status "$f" 0 "$st"
    compare "$f" "${f%.rules}.$ext" "$TMP/out"
  done
done

for d in "$DIR"/run/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  input=$(ls "$d"/input.* 2>/dev/null | head -n 1)
  want=0
  [ -f "$d/expected.exit" ] && want=$(cat "$d/expected.exit")
  args=""
  [ -f "$d/args" ] && args=$(cat "$d/args")
  : >"$TMP/errors.csv"
  # shellcheck disable=SC2086
  "$BIN" run "$d/rules.rules" "$input" --errors "$TMP/errors.csv" $args >"$TMP/out" 2>"$TMP/err"
  st=$?
  [ -f "$d/expected.err" ] && compare "$d (stderr)" "$d/expected.err" "$TMP/err"
  expect_status "$d" "$want" "$st"
  compare "$d (output)" "$d/expected.stdout" "$TMP/out"
  if [ -f "$d/expected.errors.csv" ]; then
    compare "$d (error rows)" "$d/expected.errors.csv" "$TMP/errors.csv"
  elif [ "$(wc -l <"$TMP/errors.csv")" -gt 1 ]; then
    fail=$((fail + 1))
    echo "FAIL $d: unexpected error rows"
    cat "$TMP/errors.csv"
  fi
done

# testcmd/CASE/: rules.rules (or rules/, a folder of rule sets) + cases/ -> expected.stdout of 'dagloon test' (and expected.exit)
for d in "$DIR"/testcmd/*/; do
  [ -d "$d" ] || continue
  d=${d%/}
  want=0
  [ -f "$d/expected.exit" ] && want=$(cat "$d/expected.exit")
  args=""
  [ -f "$d/args" ] && args=$(cat "$d/args")
  # shellcheck disable=SC2086
  rules="$d/rules.rules"
  [ -d "$d/rules" ] && rules="$d/rules"   # a folder of rule sets (tree mode)
  "$BIN" test "$rules" "$d/cases" $args >"$TMP/out" 2>"$TMP/err"
  st=$?
  expect_status "$d" "$want" "$st"
  compare "$d (output)" "$d/expected.stdout" "$TMP/out"
done

echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
