#!/bin/sh
# make herstel: the generated repair population (tools/gen_herstel.py, the three herstelacties in the
# proportions of the operation) through rules/herstel end to end, with the population summary per
# herstelactie and its report page, and the time it took. Not part of 'make test' (tests never time
# things); tests/summary/check.py checks the same summary on a small population.
#   sh tests/summary/herstel.sh build/dagloon [OUTDIR] [N]
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/herstel
N=${3:-130000}
mkdir -p "$OUT"
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
t0=$(now)
python3 tools/gen_herstel.py "$N" 1 > "$OUT/populatie.jsonl" || { echo "FAIL: gen_herstel.py"; exit 1; }
t1=$(now)
"$BIN" run rules/herstel "$OUT/populatie.jsonl" -o "$OUT/uitkomsten.csv" --errors "$OUT/fouten.csv" \
  --summary "$OUT/samenvatting.json" --by herstelactie --html "$OUT/rapport.html" 2>"$OUT/stderr.txt"
st=$?
t2=$(now)
"$BIN" run rules/herstel "$OUT/populatie.jsonl" -o /dev/null --errors /dev/null \
  --summary "$OUT/samenvatting.txt" --by herstelactie 2>/dev/null
t3=$(now)
if [ "$st" != 0 ] && [ "$st" != 3 ]; then
  echo "FAIL: dagloon run rules/herstel: exit $st"; cat "$OUT/stderr.txt"; exit 1
fi
head -n 8 "$OUT/samenvatting.txt"
sed -n "/^error rows by reason/,\$p" "$OUT/samenvatting.txt"
cat "$OUT/stderr.txt"
echo "herstel: $N dossiers; generated in $(ms "$t0" "$t1") ms; run with rows, error rows, summary (JSON) and page in $(ms "$t1" "$t2") ms; with the text summary only in $(ms "$t2" "$t3") ms ($(nproc) cores)"
echo "herstel: $OUT/samenvatting.json, $OUT/samenvatting.txt, $OUT/rapport.html"
