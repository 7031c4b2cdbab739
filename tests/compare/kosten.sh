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

# the cohort over the first 2 years: each side its own duration, then what 'daarna' names (README.md)
D="--value uitkering_per_maand --weight gewicht --jaren 2"
"$BIN" compare "$HERE/duur_basis" "$HERE/duur_voorstel" "$HERE/dossiers_duur.csv" $D --summary "$TMP/c.txt" \
  -o "$TMP/c.csv" 2>/dev/null
sed -n '/^budget effect/,/^resting on/p' "$TMP/c.txt" | grep -v '^resting on' >"$TMP/cohort.txt"
check "the cohort over 2 years, with durations (text)" "$HERE/expected.cohort.txt" "$TMP/cohort.txt"
/usr/bin/python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1])))
keep = ["id"] + [k for k in rows[0] if "_per_jaar_" in k or "_eerste_2_jaar_" in k]
w = csv.writer(sys.stdout, lineterminator="\n"); w.writerow(keep)
for r in rows: w.writerow([r[k] for k in keep])' "$TMP/c.csv" >"$TMP/c.cols.csv"
check "the rows' per year and cohort columns" "$HERE/expected.cohort.rows.csv" "$TMP/c.cols.csv"
"$BIN" compile "$HERE/duur_basis" -o "$TMP/db.dlb" 2>/dev/null && "$BIN" compile "$HERE/duur_voorstel" -o "$TMP/dv.dlb" 2>/dev/null
"$BIN" compare "$TMP/db.dlb" "$TMP/dv.dlb" "$HERE/dossiers_duur.csv" $D --summary "$TMP/cb.txt" 2>/dev/null
sed -n '/^budget effect/,/^resting on/p' "$TMP/cb.txt" | grep -v '^resting on' >"$TMP/cohort_b.txt"
check "the cohort from bundles (format 8 carries the duration)" "$HERE/expected.cohort.txt" "$TMP/cohort_b.txt"
"$BIN" compare "$HERE/duur_basis" "$HERE/duur_voorstel" "$HERE/dossiers_duur.csv" $D --summary "$TMP/c.json" 2>/dev/null
/usr/bin/python3 - "$TMP/c.json" <<'PY' || fail=1
import json, sys
c = json.load(open(sys.argv[1]))["budget"]["cohort"]
want = {"years": 2, "periods": 24, "base": "201600.00", "proposal": "225000.00", "change": "23400.00",
        "change_per_dossier": "2925.00", "durations_below_zero": 1}
got = {k: c[k] for k in want}
years = [(y["year"], y["base"], y["proposal"], y["change"]) for y in c["per_year"]]
ok = got == want and years == [(1, "108000.00", "120000.00", "12000.00"), (2, "93600.00", "105000.00", "11400.00")]
print(("ok  " if ok else "FAIL") + " the cohort in the JSON summary" + ("" if ok else ": %s %s" % (got, years)))
sys.exit(0 if ok else 1)
PY
"$BIN" compare "$HERE/duur_basis" "$HERE/duur_voorstel" "$HERE/dossiers_duur.csv" $D --html "$TMP/c.html" \
  --summary "$TMP/ch.txt" 2>/dev/null
sed -n '/<section id="kosten">/,/<\/section>/p' "$TMP/c.html" >"$TMP/cohort.html"
check "the report's cohort, per year of the cohort" "$HERE/expected.cohort.report.html" "$TMP/cohort.html"
# why not, in Dutch in the report (the summary's reasons are English: the report goes by their code)
"$BIN" compare "$HERE/basis" "$HERE/voorstel_jaar" "$HERE/dossiers.csv" --value uitkering_per_maand --html "$TMP/j.html" \
  --summary "$TMP/jh.txt" 2>/dev/null
if grep -q '<p>Niet berekend: de huidige regels en het voorstel noemen een andere uitkering of periode.</p>' "$TMP/j.html"
then echo "ok   the report's reason in Dutch"; else echo "FAIL the report's reason in Dutch"; grep -A2 'id="kosten"' "$TMP/j.html"; fail=1; fi
# an untrusted bundle whose duration names a geld column (the checksum made right): refused as corrupt
/usr/bin/python3 - "$TMP/db.dlb" "$TMP/bad.dlb" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
# after the outputs: u8 period (1, maand), u32 benefit column 2, u32 duration 3, u32 daarna 4
at = b.find(bytes([1]) + struct.pack("<III", 2, 3, 4))
assert at > 0 and b.find(bytes([1]) + struct.pack("<III", 2, 3, 4), at + 1) < 0, "the declaration's bytes, once"
b[at + 5:at + 9] = struct.pack("<I", 1)   # column 1: maandloon, geld
h = 0xcbf29ce484222325
for x in b[:-8]:
    h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
b[-8:] = struct.pack("<Q", h)
open(sys.argv[2], "wb").write(b)
PY
"$BIN" run "$TMP/bad.dlb" "$HERE/dossiers_duur.csv" >/dev/null 2>"$TMP/bad.err"
st=$?
if [ "$st" != 0 ] && grep -q "the benefit's duration is not a geheel output column" "$TMP/bad.err"; then
  echo "ok   a bundle whose duration is not geheel: refused"
else echo "FAIL a bundle whose duration is not geheel: exit $st"; cat "$TMP/bad.err"; fail=1; fi
# without --jaren: the cohort is not computed, and the summary says to give it
"$BIN" compare "$HERE/duur_basis" "$HERE/duur_voorstel" "$HERE/dossiers_duur.csv" --value uitkering_per_maand \
  --summary "$TMP/n.json" 2>/dev/null
code=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["budget"]["cohort_code"])' "$TMP/n.json")
if [ "$code" = no_years ]; then echo "ok   without --jaren: not computed (no_years)"; else echo "FAIL without --jaren: $code"; fail=1; fi
# --jaren on rule sets that declare no benefit: a usage error, not a silent nothing
"$BIN" compare "$HERE/../basis" "$HERE/../voorstel" "$HERE/dossiers.csv" --jaren 2 >/dev/null 2>"$TMP/u.err"
st=$?
if [ "$st" = 2 ] && grep -q -- '--jaren needs' "$TMP/u.err"; then echo "ok   --jaren without a declared benefit: usage error"
else echo "FAIL --jaren without a declared benefit: exit $st"; cat "$TMP/u.err"; fail=1; fi
for bad in 0 51 x 2x; do
  "$BIN" compare "$HERE/duur_basis" "$HERE/duur_voorstel" "$HERE/dossiers_duur.csv" --jaren "$bad" >/dev/null 2>&1
  st=$?
  [ "$st" = 2 ] || { echo "FAIL --jaren $bad: exit $st, expected 2"; fail=1; }
done

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
