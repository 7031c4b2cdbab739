#!/bin/sh
# The example proposals of rules/voorstellen over a generated population (tools/gen_population.py,
# N dossiers, seed 1): each must give the per-dossier rows (one per dossier), the summary and the
# impact report. Error rows are allowed but named: a proposal may need data a dossier does not
# have (een_referteperiode moves leave into the reference year for a few dossiers without the
# agreed wage art 17 lid 3 needs). (make voorstellen does the same on 10,000 dossiers.)
#   sh tests/compare/voorstellen.sh build/dagloon [OUTDIR] [N]
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/voorstellen
N=${3:-1000}
mkdir -p "$OUT"
pop="$OUT/populatie-$N-1.jsonl"
python3 tools/gen_population.py "$N" 1 > "$pop" || { echo "FAIL: the population generator"; exit 1; }
status=0
for p in rules/voorstellen/*/; do
  name=$(basename "$p")
  mkdir -p "$OUT/$name"
  "$BIN" compare rules/wia "$p" "$pop" --by sector -o "$OUT/$name/rijen.csv" --summary "$OUT/$name/samenvatting.txt" \
    --html "$OUT/$name/rapport.html" 2>"$OUT/$name/stderr.txt"
  st=$?
  if { [ "$st" != 0 ] && [ "$st" != 3 ]; } || [ "$(wc -l < "$OUT/$name/rijen.csv")" -ne $((N + 1)) ] ||
     ! grep -q "Effect van het voorstel" "$OUT/$name/rapport.html" || ! [ -s "$OUT/$name/samenvatting.txt" ]; then
    echo "FAIL voorstel $name (exit $st):"
    cat "$OUT/$name/stderr.txt"
    status=1
  else
    echo "voorstel $name: $(sed -n 2p "$OUT/$name/samenvatting.txt"); $(sed -n 3p "$OUT/$name/samenvatting.txt")"
  fi
done
# ... and each in euros (in_euros/: the same change on rules/wia_uitkering, a proposal on a proposal that
# only adds): the report shows the cost per year and the cohort over 5 years
upop="$OUT/populatie-uitkering-$N-1.jsonl"
python3 tools/gen_population.py "$N" 1 --uitkering "$N" > "$upop" || { echo "FAIL: the population generator"; exit 1; }
for p in rules/voorstellen/*/in_euros/; do
  name=$(basename "$(dirname "$p")")_in_euros
  mkdir -p "$OUT/$name"
  "$BIN" compare rules/wia_uitkering "$p" "$upop" --value uitkering_derde_maand --jaren 5 --summary "$OUT/$name/samenvatting.json" \
    --html "$OUT/$name/rapport.html" 2>"$OUT/$name/stderr.txt"
  st=$?
  if { [ "$st" != 0 ] && [ "$st" != 3 ]; } || ! grep -q '<section id="kosten">' "$OUT/$name/rapport.html" ||
     ! python3 -c 'import json,sys; c = json.load(open(sys.argv[1]))["budget"]["cohort"]; sys.exit(0 if c["years"] == 5 else 1)' \
       "$OUT/$name/samenvatting.json"; then
    echo "FAIL voorstel $name (exit $st):"
    cat "$OUT/$name/stderr.txt"
    status=1
  else
    echo "voorstel $name: $(python3 -c 'import json,sys; b = json.load(open(sys.argv[1]))["budget"]; print("per jaar", b["change_per_year"], "; cohort 5 jaar", b["cohort"]["change"])' "$OUT/$name/samenvatting.json")"
  fi
done
exit $status
