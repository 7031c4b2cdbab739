#!/bin/sh
# dagloon fmt over rules/ (docs/FMT.md):
#  1. every rule file in rules/ is in the canonical layout (fmt --check: exit 0, no output);
#  2. every rule file, un-formatted by deform.py (trailing whitespace, blank lines, wrong
#     indentation, spaces in parentheses, CRLF), comes back from fmt byte for byte, and a
#     second fmt changes nothing (idempotent);
#  3. per rule set, the compiled code of the un-formatted and of the formatted files is the same:
#     'dagloon disasm' with the source positions (file:line:col) taken out -- code, constants and
#     tables identical, only positions may move (the blank lines deform.py adds move them);
#  4. rule files with random bytes put in (mutate.py, seeded): fmt never finds its result reads
#     differently, never fails otherwise than on a lexical error, and a second fmt changes nothing.
# Run from the repository root: sh tests/fmt/run.sh build/dagloon
set -u
BIN=$(cd "$(dirname "${1:-build/dagloon}")" && pwd)/$(basename "${1:-build/dagloon}")
ROOT=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
check() {   # name status
  if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi
}

files=$(find rules -name '*.rules' | sort)
# shellcheck disable=SC2086
"$BIN" fmt --check $files >"$TMP/check.out" 2>&1
st=$?
[ "$st" = 0 ] && [ ! -s "$TMP/check.out" ]
check "rules/ is formatted (dagloon fmt --check)" $?
[ "$st" = 0 ] || head -40 "$TMP/check.out"

# A: rules/ un-formatted; B: A formatted. build/ beside them for the native library of rules/kalender.
for side in A B; do
  mkdir -p "$TMP/$side"
  cp -R rules "$TMP/$side/rules"
  ln -s "$ROOT/build" "$TMP/$side/build"
done
for f in $files; do
  python3 tests/fmt/deform.py "$f" "$TMP/A/$f" && cp "$TMP/A/$f" "$TMP/B/$f"
done
# shellcheck disable=SC2086
(cd "$TMP/B" && "$BIN" fmt $files)
check "fmt rewrites the un-formatted files" $?
n=0
for f in $files; do
  cmp -s "$f" "$TMP/B/$f" || { n=$((n + 1)); echo "  $f: fmt does not give back the original"; diff -u "$f" "$TMP/B/$f" | head -20; }
done
check "fmt gives back every rule file of rules/ from its un-formatted copy" $n
# shellcheck disable=SC2086
(cd "$TMP/B" && "$BIN" fmt $files && "$BIN" fmt --check $files >/dev/null)
check "fmt twice = fmt once" $?

ALLOW=""
for lib in build/natives/*.so; do [ -e "$lib" ] && ALLOW="$ALLOW --allow-native $lib"; done
sets=$(for f in $files; do dirname "$f"; done | sort -u)
n=0
for s in $sets; do
  for side in A B; do
    # shellcheck disable=SC2086
    (cd "$TMP/$side" && "$BIN" disasm --allow-path build/natives $ALLOW "$s") 2>&1 |
      sed -E 's/[^ ;]*\.rules:[0-9]+:[0-9]+//g' >"$TMP/$side.bc"
  done
  if ! cmp -s "$TMP/A.bc" "$TMP/B.bc" || [ "$(wc -l <"$TMP/A.bc")" -lt 10 ]; then
    n=$((n + 1))
    echo "  $s: the compiled code differs after formatting (or could not be shown)"
    diff "$TMP/A.bc" "$TMP/B.bc" | head -10
  fi
done
check "formatting keeps the compiled code of every rule set in rules/ ($(echo $sets | wc -w) sets)" $n

# shellcheck disable=SC2046
python3 tests/fmt/mutate.py "$BIN" 400 17 $(find rules tests/golden -name '*.rules' | sort) | tail -5
check "fmt on mutated rule files (tests/fmt/mutate.py)" $?

echo "fmt: $pass passed, $fail failed"
[ "$fail" = 0 ]
