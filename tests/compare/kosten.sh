#!/bin/sh
# The budget effect of compare (issue 20 part 1), against figures derived by hand in kosten/README.md:
# a monthly benefit declared by both sides ('uitkering uitkering_per_maand per maand'), weights, an
# error row that is not counted; and a proposal that declares another period, which compare names
# instead of computing a figure. Then the same without a declaration: no budget line at all.
#   sh tests/compare/kosten.sh build/dagloon
set -u
BIN=${1:-build/dagloon}
HERE=$(dirname "$0")/kosten
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
check() {   # what expected actual
  if cmp -s "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; diff -u "$2" "$3"; fail=1; fi
}
export LC_ALL=C.UTF-8

"$BIN" compare "$HERE/basis" "$HERE/voorstel" "$HERE/dossiers.csv" --value uitkering_per_maand --weight gewicht \
  --summary "$TMP/s.txt" 2>"$TMP/err"
st=$?
[ "$st" = 3 ] || { echo "FAIL compare exit status $st, expected 3 (K5 has an error row)"; cat "$TMP/err"; fail=1; }
grep -A2 '^budget effect' "$TMP/s.txt" >"$TMP/budget.txt"
check "the budget lines of the text summary" "$HERE/expected.summary.txt" "$TMP/budget.txt"

"$BIN" compare "$HERE/basis" "$HERE/voorstel" "$HERE/dossiers.csv" --value uitkering_per_maand --weight gewicht \
  --summary "$TMP/s.json" 2>/dev/null
/usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["budget"], indent=2))' \
  "$TMP/s.json" >"$TMP/budget.json"
check "the budget object of the JSON summary" "$HERE/expected.budget.json" "$TMP/budget.json"

# the impact report's section, in Dutch notation
"$BIN" compare "$HERE/basis" "$HERE/voorstel" "$HERE/dossiers.csv" --value uitkering_per_maand --weight gewicht \
  --html "$TMP/r.html" --summary "$TMP/r.txt" 2>/dev/null
sed -n '/<section id="kosten">/,/<\/section>/p' "$TMP/r.html" >"$TMP/kosten.html"
check "the report's section 'Kosten per jaar'" "$HERE/expected.report.html" "$TMP/kosten.html"

# the same from bundles: they carry the declaration (format 7)
"$BIN" compile "$HERE/basis" -o "$TMP/basis.dlb" 2>/dev/null && "$BIN" compile "$HERE/voorstel" -o "$TMP/voorstel.dlb" 2>/dev/null
"$BIN" compare "$TMP/basis.dlb" "$TMP/voorstel.dlb" "$HERE/dossiers.csv" --value uitkering_per_maand --weight gewicht \
  --summary "$TMP/b.txt" 2>/dev/null
grep -A2 '^budget effect' "$TMP/b.txt" >"$TMP/budget_b.txt"
check "the budget lines from bundles" "$HERE/expected.summary.txt" "$TMP/budget_b.txt"

"$BIN" compare "$HERE/basis" "$HERE/voorstel_jaar" "$HERE/dossiers.csv" --value uitkering_per_maand --weight gewicht \
  --summary "$TMP/j.txt" 2>/dev/null
grep '^budget effect' "$TMP/j.txt" >"$TMP/jaar.txt"
check "another period on one side: named, not computed" "$HERE/expected.jaar.txt" "$TMP/jaar.txt"

# without a declaration on either side the summary has no budget at all (the existing outputs unchanged)
mkdir -p "$TMP/zonder/basis" "$TMP/zonder/voorstel" && : >"$TMP/zonder/.dagloon-root"
grep -v '^uitkering ' "$HERE/basis/uitkering.rules" >"$TMP/zonder/basis/uitkering.rules"
cp "$HERE/voorstel/uitkering.rules" "$TMP/zonder/voorstel/"
"$BIN" compare "$TMP/zonder/basis" "$TMP/zonder/voorstel" "$HERE/dossiers.csv" --value uitkering_per_maand \
  --weight gewicht --summary "$TMP/z.json" 2>/dev/null
"$BIN" compare "$TMP/zonder/basis" "$TMP/zonder/voorstel" "$HERE/dossiers.csv" --value uitkering_per_maand \
  --weight gewicht --summary "$TMP/z.txt" 2>/dev/null
"$BIN" compare "$TMP/zonder/basis" "$TMP/zonder/voorstel" "$HERE/dossiers.csv" --value uitkering_per_maand \
  --weight gewicht --html "$TMP/z.html" --summary "$TMP/zh.txt" 2>/dev/null
if grep -q budget "$TMP/z.json" "$TMP/z.txt" || grep -q 'id="kosten"' "$TMP/z.html"; then echo "FAIL a budget without a declaration"; fail=1
else echo "ok   no declaration: no budget in the summary"; fi
# ... and the rest of the summary is the same bytes as with one
# (but the first, which names the rule sets' folders)
grep -v '^budget effect' "$TMP/s.txt" | grep -v '^  base .* per year;' | grep -v '^  cohort: ' | tail -n +2 >"$TMP/s.rest"
tail -n +2 "$TMP/z.txt" >"$TMP/z.rest"
check "the summary's other lines with and without a declaration" "$TMP/z.rest" "$TMP/s.rest"
exit $fail
