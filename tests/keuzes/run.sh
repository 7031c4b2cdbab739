#!/bin/sh
# tools/check_keuzes.py must pass on the fixture tests/keuzes/ok and fail on each kind of drift made
# from it: a KEUZE without an id, an id without a row, a row without an id in any rule file, an id
# twice in one file, an index out of date. Then the real rules/ and rules/KEUZES.md must agree.
set -u
CHECK="python3 tools/check_keuzes.py"
status=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keuzes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# expect NAME RC TEXT: the checker on $tmp/NAME exits with RC and says TEXT
expect() {
  out=$($CHECK --rules "$tmp/$1/regels" --keuzes "$tmp/$1/KEUZES.md" 2>&1); rc=$?
  if [ "$rc" -ne "$2" ] || ! printf '%s\n' "$out" | grep -qF -- "$3"; then
    echo "FAIL tests/keuzes $1: expected exit $2 and '$3', got exit $rc:"
    printf '%s\n' "$out" | sed 's/^/  /'
    status=1
  else
    echo "ok   tests/keuzes $1"
  fi
}
fixture() { cp -R tests/keuzes/ok "$tmp/$1"; }
R=regels/voorbeeld/deler.rules

fixture ok
expect ok 0 "2 identifiers"

fixture zonder_id
sed -i 's/KEUZE \[een-keuze\]:/KEUZE:/' "$tmp/zonder_id/$R"
printf -- '-- OPEN VRAAG: nog een, zonder id.\n' >> "$tmp/zonder_id/$R"
expect zonder_id 1 "voorbeeld/deler.rules:4: KEUZE without an identifier"
expect zonder_id 1 "voorbeeld/deler.rules:9: OPEN VRAAG without an identifier"

fixture zonder_rij
printf -- '-- KEUZE [nieuwe-keuze]: een keuze die de tabel niet kent.\n' >> "$tmp/zonder_rij/$R"
expect zonder_rij 1 "[nieuwe-keuze] (voorbeeld/deler.rules) has no row"

fixture rij_zonder_regel
sed -i 's/^| `een-vraag` |/| `verdwenen-vraag` |/' "$tmp/rij_zonder_regel/KEUZES.md"
expect rij_zonder_regel 1 "row [verdwenen-vraag] names an identifier no rule file"
expect rij_zonder_regel 1 "[een-vraag] (voorbeeld/deler.rules) has no row"

fixture dubbel
printf -- '-- KEUZE [een-keuze]: dezelfde id nog eens.\n' >> "$tmp/dubbel/$R"
expect dubbel 1 "[een-keuze] is used twice in this file"

fixture slecht_id
sed -i 's/\[een-vraag\]/[Een Vraag]/' "$tmp/slecht_id/$R"
expect slecht_id 1 "identifier [Een Vraag] is not written as [a-z0-9-]"

fixture index_verouderd
mkdir -p "$tmp/index_verouderd/regels/ander"
printf 'taal nl\nmodule ander.x\n\n-- KEUZE [een-keuze]: ook hier.\nregel x: geheel\n  bron DB art 1\n  = 1\n' \
  > "$tmp/index_verouderd/regels/ander/x.rules"
expect index_verouderd 1 "the index is out of date"
$CHECK --rules "$tmp/index_verouderd/regels" --keuzes "$tmp/index_verouderd/KEUZES.md" --write >/dev/null
expect index_verouderd 0 "2 identifiers"

echo "== python3 tools/check_keuzes.py (rules/KEUZES.md)"
$CHECK || status=1
exit $status
