#!/bin/sh
# compare --threads N: every output the same bytes for any N (issue 20 part 4). The reference is
# --threads 1 (the dossiers evaluated on the calling thread); N = 2 and 4, the default (every core)
# and one N larger than the number of dossiers must write the very same rows (CSV and JSON Lines),
# summaries (text and JSON), impact report, error rows, standard error and exit status:
#   - each proposal of rules/voorstellen beside rules/wia over 3,000 generated dossiers (12 batches
#     of 256: more than the ring of 4 workers holds, so reading waits for writing);
#   - tests/compare's basis and voorstel over 3,000 dossiers of check.py's generator (weights,
#     error rows on both sides, 'unverified' table rows) with three unreadable lines put in
#     (broken JSON, a bad date, an id used before), --by sector --weight gewicht;
#   - a limit case: --max-steps 500, where about a tenth of the dossiers stop with an error row;
#   - the explanation diff (--id) of one dossier;
#   - a population of 5 dossiers on 16 threads (more threads than dossiers).
#   sh tests/compare/threads.sh build/dagloon [OUTDIR]
set -u
BIN=${1:-build/dagloon}
OUT=${2:-build}/compare-threads
rm -rf "$OUT"
mkdir -p "$OUT"
status=0
fail() { echo "FAIL compare --threads: $*"; status=1; }

python3 tools/gen_population.py 3000 1 > "$OUT/wia.jsonl" || { echo "FAIL: the population generator"; exit 1; }
python3 - "$OUT/fouten.jsonl" <<'PY' || { echo "FAIL: the population with error rows"; exit 1; }
import json, sys
sys.path.insert(0, "tests/compare")
import check
rows = [json.dumps(d) for d in check.population(3000, 11)]
bad_date = json.loads(rows[1700])
bad_date["id"], bad_date["eerste_ao_dag"] = "X-datum", "2023-02-30"
rows.insert(2600, json.dumps(bad_date))
rows.insert(1700, rows[40])                        # an id used before
rows.insert(300, '{"id": "X-kapot", "sector": ')   # broken JSON
with open(sys.argv[1], "w") as f:
    f.write("\n".join(rows) + "\n")
PY
head -5 "$OUT/wia.jsonl" > "$OUT/vijf.jsonl"

# runs NAME THREADS... -- ARGS: `compare ARGS` once per thread count into $OUT/NAME/tN (and tdefault
# without --threads), every file of each the same bytes as t1's.
runs() {
  name=$1
  shift
  counts=""
  while [ "$1" != "--" ]; do counts="$counts $1"; shift; done
  shift
  for t in $counts default; do
    d="$OUT/$name/t$t"
    mkdir -p "$d"
    # the arguments one a line, every output named by its place in $d (the @)
    args=$(printf '%s\n' "$@" | sed "s|@|$d/|")
    [ "$t" = default ] || args="$args
--threads
$t"
    # shellcheck disable=SC2086
    (IFS='
'; exec "$BIN" compare $args) >"$d/stdout" 2>"$d/stderr"
    echo $? > "$d/status"
    sed -i "s|$d/|@|g" "$d/stderr"   # the paths in messages differ by directory only
  done
  ref="$OUT/$name/t1"
  [ -s "$ref/stdout" ] || [ -s "$ref/rows.csv" ] || [ -s "$ref/rows.jsonl" ] || fail "$name: no output at all"
  for t in $counts default; do
    [ "$t" = 1 ] && continue
    for f in "$ref"/*; do
      b=$(basename "$f")
      cmp -s "$f" "$OUT/$name/t$t/$b" || fail "$name: --threads $t writes another $b than --threads 1"
    done
    [ "$(ls "$ref" | wc -l)" = "$(ls "$OUT/$name/t$t" | wc -l)" ] || fail "$name: --threads $t writes other files"
  done
}

for p in rules/voorstellen/*/; do
  v=$(basename "$p")
  runs "$v-csv" 1 2 4 -- rules/wia "$p" "$OUT/wia.jsonl" --by sector --mark-unverified -o @rows.csv \
    --summary @summary.txt --html @rapport.html --errors @errors.csv
  runs "$v-jsonl" 1 2 4 -- rules/wia "$p" "$OUT/wia.jsonl" --deciles dagloon --mark-unverified -o @rows.jsonl \
    --summary @summary.json
done
runs fouten-csv 1 2 4 -- tests/compare/basis tests/compare/voorstel "$OUT/fouten.jsonl" --by sector --weight gewicht \
  --mark-unverified --csv-safe -o @rows.csv --summary @summary.json --html @rapport.html --errors @errors.csv
runs fouten-jsonl 1 2 4 -- tests/compare/basis tests/compare/voorstel "$OUT/fouten.jsonl" --by sector \
  --weight gewicht -o @rows.jsonl --summary @summary.txt
runs fouten-regels 1 2 4 -- tests/compare/basis tests/compare/voorstel "$OUT/fouten.jsonl" --weight gewicht \
  -o @rows.csv --summary @summary.txt
runs limiet 1 2 4 -- rules/wia rules/voorstellen/twaalf_maanden_loon "$OUT/wia.jsonl" --max-steps 500 --by sector \
  -o @rows.csv --summary @summary.json --errors @errors.csv --html @rapport.html
runs uitleg 1 2 4 -- tests/compare/basis tests/compare/voorstel "$OUT/fouten.jsonl" --id P-0000
runs vijf 1 16 -- rules/wia rules/voorstellen/twaalf_maanden_loon "$OUT/vijf.jsonl" -o @rows.csv --summary @summary.txt

# the cases are what they say: error rows of every kind, a limit reached, a whole explanation
e="$OUT/fouten-csv/t1"
[ "$(cat "$e/status")" = 3 ] || fail "fouten: exit $(cat "$e/status"), not 3 (finished with error rows)"
for why in "invalid JSON" "X-datum" "was already used" "basis: table 'maximumdagloon_per_datum' has no value"; do
  grep -q "$why" "$e/errors.csv" || fail "fouten: no error row for '$why' in errors.csv"
done
[ "$(grep -c ',fout,' "$e/rows.csv")" -ge 30 ] || fail "fouten: fewer than 30 fout rows"
grep -q '"errors": [1-9]' "$e/summary.json" || fail "fouten: the summary counts no error rows"
l="$OUT/limiet/t1"
grep -q "stopped after 500 steps" "$l/errors.csv" || fail "limiet: no dossier stopped by --max-steps"
[ "$(grep -c ',fout,' "$l/rows.csv")" -gt 100 ] && [ "$(grep -c ',gelijk,\|,beter,\|,slechter,' "$l/rows.csv")" -gt 100 ] ||
  fail "limiet: not a mix of stopped and compared dossiers"
grep -q "P-0000" "$OUT/uitleg/t1/stdout" || fail "uitleg: no explanation diff of P-0000"
[ "$(wc -l < "$OUT/vijf/t16/rows.csv")" = 6 ] || fail "vijf: not 5 rows on 16 threads"
for p in rules/voorstellen/*/; do
  [ "$(wc -l < "$OUT/$(basename "$p")-csv/t1/rows.csv")" = 3001 ] || fail "$(basename "$p"): not 3,000 rows"
done

[ $status = 0 ] && echo "compare --threads: rows, summaries, reports, error rows, explanation the same bytes for N = 1, 2, 4, 16 and every core ($(ls -d "$OUT"/*/ | wc -l) cases)"
exit $status
