#!/bin/sh
# The population generator beyond WIA (tools/gen_population.py --regeling ww|zw): N dossiers each
# (default 200) must give N rows and 0 error rows on rules/ww and rules/zw, the same bytes twice;
# the legacy WIA population (no options) keeps its bytes (make voorstellen and tests/compare use
# it: if a change to it is meant, put the new sum here); and tools/measure_change.py on one tree
# against itself must report 0 changes for every rule set.
#   sh tests/compare/populaties.sh build/dagloon [OUTDIR] [N]
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/populaties
N=${3:-200}
mkdir -p "$OUT"
status=0
for r in ww zw; do
  pop="$OUT/$r-$N.jsonl"
  python3 tools/gen_population.py "$N" 1 --regeling "$r" > "$pop" || { echo "FAIL: gen_population --regeling $r"; exit 1; }
  if ! python3 tools/gen_population.py "$N" 1 --regeling "$r" | cmp -s - "$pop"; then
    echo "FAIL: gen_population --regeling $r is not deterministic"; status=1
  fi
  "$BIN" run "rules/$r" "$pop" -o "$OUT/$r.csv" --errors "$OUT/$r-fouten.csv" 2>"$OUT/$r-stderr.txt"
  st=$?
  rows=$(($(wc -l < "$OUT/$r.csv") - 1))
  errs=$(($(wc -l < "$OUT/$r-fouten.csv") - 1))
  if [ "$st" != 0 ] || [ "$rows" != "$N" ] || [ "$errs" != 0 ]; then
    echo "FAIL: rules/$r on $N generated dossiers: exit $st, $rows rows, $errs error rows ($OUT/$r-fouten.csv)"
    status=1
  else
    echo "populatie $r: $N dossiers, 0 foutregels"
  fi
done
# the benefit fields (--uitkering): rules/wia_uitkering needs them all; rules/wia and rules/zw must
# still give 0 error rows with them
for spec in "wia_uitkering wia 1000" "wia wia 500" "zw zw 500"; do
  set -- $spec
  pop="$OUT/uitkering-$1-$N.jsonl"
  python3 tools/gen_population.py "$N" 1 --regeling "$2" --uitkering "$3" > "$pop" ||
    { echo "FAIL: gen_population --regeling $2 --uitkering $3"; exit 1; }
  "$BIN" run "rules/$1" "$pop" -o "$OUT/uitkering-$1.csv" --errors "$OUT/uitkering-$1-fouten.csv" \
    2>"$OUT/uitkering-$1-stderr.txt"
  st=$?
  rows=$(($(wc -l < "$OUT/uitkering-$1.csv") - 1))
  errs=$(($(wc -l < "$OUT/uitkering-$1-fouten.csv") - 1))
  if [ "$st" != 0 ] || [ "$rows" != "$N" ] || [ "$errs" != 0 ]; then
    echo "FAIL: rules/$1 on $N dossiers with --uitkering $3: exit $st, $rows rows, $errs error rows"
    status=1
  else
    echo "populatie $1 (--uitkering $3): $N dossiers, 0 foutregels"
  fi
done
# the optional ZW fields of issue 15 (DB art 12b lid 5, 12c/12d, 12g, 12h, Wazo): 0 error rows with them,
# every output column computed (dagloon test only computes the columns a case asks for)
pop="$OUT/zw-bijzonder-$N.jsonl"
python3 tools/gen_population.py "$N" 1 --regeling zw --uitkering 300 --bijzonder 500 --wazo 500 \
  --geboortedatum 500 --loonbegrip 500 --samenloop 300 > "$pop" || { echo "FAIL: gen_population --regeling zw --bijzonder"; exit 1; }
"$BIN" run rules/zw "$pop" -o "$OUT/zw-bijzonder.csv" --errors "$OUT/zw-bijzonder-fouten.csv" \
  2>"$OUT/zw-bijzonder-stderr.txt"
st=$?
rows=$(($(wc -l < "$OUT/zw-bijzonder.csv") - 1))
errs=$(($(wc -l < "$OUT/zw-bijzonder-fouten.csv") - 1))
if [ "$st" != 0 ] || [ "$rows" != "$N" ] || [ "$errs" != 0 ]; then
  echo "FAIL: rules/zw on $N dossiers with --bijzonder/--wazo/--geboortedatum/--loonbegrip: exit $st, $rows rows, $errs error rows"
  status=1
else
  echo "populatie zw (--bijzonder, --wazo, --geboortedatum, --loonbegrip 500, --samenloop 300): $N dossiers, 0 foutregels"
fi
sum=$(python3 tools/gen_population.py 1000 1 | sha256sum | cut -d' ' -f1)
if [ "$sum" != ebcd00761c72cb635b25c6a820a091cfd137aeb0e807e29ad2ea463d35a2e039 ]; then
  echo "FAIL: the legacy WIA population (gen_population.py 1000 1) changed: sha256 $sum"; status=1
fi
if ! python3 tools/measure_change.py . . --old-bin "$BIN" --new-bin "$BIN" --n "$N" --out "$OUT/meting" \
     > "$OUT/meting.txt" ||
   [ "$(grep -c '^  veranderd: 0 ' "$OUT/meting.txt")" != 3 ]; then
  echo "FAIL: measure_change.py on identical trees does not report 0 changes ($OUT/meting.txt)"; status=1
else
  echo "measure_change: 3 x 0 veranderd op dezelfde boom"
fi
exit $status
