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
exit $status
