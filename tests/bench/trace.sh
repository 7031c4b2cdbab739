#!/bin/sh
# make bench, the trace-on rows (called by tests/bench/run.sh): `dagloon run --explain FILE.dtrace`
# (the compact trace, docs/TRACE.md) on one thread, beside the same run without explanations, on
# TRACE_N (default 10,000) generated dossiers of rules/wia (tools/gen_population.py) and of the repair
# population rules/herstel (tools/gen_herstel.py), TRACE_RUNS (default 3) interleaved runs, medians.
# Prints dossiers/s (wall and CPU), MB of trace per dossier, and what a repair population of 130,000
# dossiers costs with explanations on: 130,000 / TRACE_N times the time and the bytes of the
# TRACE_N run -- a run streams (one dossier's trace in memory at a time, written in blocks), so both
# grow linearly; the peak memory printed shows it stays flat. Also the file through `zstd -1`
# (when installed), and the JSON Lines explanations of before (--explain-format jsonl) on 300
# dossiers for comparison. The rows with and without the trace must be the same bytes.
#
#   sh tests/bench/trace.sh BIN OUTDIR
set -eu
BIN=$1
OUT=$2
N=${TRACE_N:-10000}
RUNS=${TRACE_RUNS:-3}
BIG=130000
mkdir -p "$OUT"
python3 tools/gen_population.py "$N" 5 >"$OUT/trace-wia.jsonl"
python3 tools/gen_herstel.py "$N" 5 >"$OUT/trace-herstel.jsonl"

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

timed() {   # timed KEY command...: appends "wall cpu peak_kb" to OUT/KEY.times
  key=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/$key.t" "$@" 2>/dev/null || [ $? = 3 ]   # 3: finished with error rows
  tail -n 1 "$OUT/$key.t" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' >>"$OUT/$key.times"   # after time's own note of an exit status
}

for set in wia herstel; do
  rm -f "$OUT/$set-on.times" "$OUT/$set-off.times"
  i=0
  while [ "$i" -lt "$RUNS" ]; do
    timed "$set-on" "$BIN" run "rules/$set" "$OUT/trace-$set.jsonl" --explain "$OUT/trace-$set.dtrace" -o "$OUT/trace-$set.on.csv"
    timed "$set-off" "$BIN" run "rules/$set" "$OUT/trace-$set.jsonl" --threads 1 -o "$OUT/trace-$set.off.csv"
    i=$((i + 1))
  done
  cmp -s "$OUT/trace-$set.on.csv" "$OUT/trace-$set.off.csv" ||
    { echo "FAIL: run --explain computes other rows for rules/$set"; exit 1; }
done

col() { awk -v k="$2" '{print $k}' "$OUT/$1.times" | median; }
printf '%-44s %8s %10s %10s %9s %8s %9s\n' "trace on (run --explain FILE.dtrace, 1 thread)" "wall s" "dossiers/s" "per CPU s" "MB/doss." "peak MB" "x no trace"
for set in wia herstel; do
  w=$(col "$set-on" 1) cpu=$(col "$set-on" 2) peak=$(col "$set-on" 3) off=$(col "$set-off" 1)
  bytes=$(wc -c <"$OUT/trace-$set.dtrace")
  printf '%-44s %8.2f %10.0f %10.0f %9.4f %8.1f %8.2fx\n' "  rules/$set, N = $N" "$w" "$(echo "$N / $w" | bc -l)" \
    "$(echo "$N / $cpu" | bc -l)" "$(echo "$bytes / $N / 1000000" | bc -l)" "$(echo "$peak / 1024" | bc -l)" \
    "$(echo "$w / $off" | bc -l)"
done
printf 'target: at least 5,000 dossiers/s on rules/wia (before: 146 with the JSON explanations)\n'

# the repair population of 130,000 with explanations on, from the rules/herstel run above
w=$(col herstel-on 1) cpu=$(col herstel-on 2)
bytes=$(wc -c <"$OUT/trace-herstel.dtrace")
scale=$(echo "$BIG / $N" | bc -l)
printf '130,000 repair dossiers (rules/herstel) with explanations on, %s x the N = %s run: %.0f s wall (%.0f s CPU), %.1f GB of trace' \
  "$(printf '%.0f' "$scale")" "$N" "$(echo "$w * $scale" | bc -l)" "$(echo "$cpu * $scale" | bc -l)" "$(echo "$bytes * $scale / 1000000000" | bc -l)"
if command -v zstd >/dev/null; then
  /usr/bin/time -f "%e %U" -o "$OUT/zstd.t" zstd -1 -q -f -o "$OUT/trace-herstel.dtrace.zst" "$OUT/trace-herstel.dtrace"
  zbytes=$(wc -c <"$OUT/trace-herstel.dtrace.zst")
  printf '; through zstd -1: %.2f GB (%.1f x smaller, %.0f s CPU more)' "$(echo "$zbytes * $scale / 1000000000" | bc -l)" \
    "$(echo "$bytes / $zbytes" | bc -l)" "$(echo "$(awk '{print $2}' "$OUT/zstd.t") * $scale" | bc -l)"
  rm -f "$OUT/trace-herstel.dtrace.zst"
fi
printf '\n'

# before: the JSON Lines explanations (--explain-format jsonl), on 300 of the repair dossiers
head -n 300 "$OUT/trace-herstel.jsonl" >"$OUT/trace-herstel-300.jsonl"
timed herstel-json "$BIN" run rules/herstel "$OUT/trace-herstel-300.jsonl" --explain "$OUT/trace-herstel.explain.jsonl" \
  --explain-format jsonl -o /dev/null
jw=$(tail -n 1 "$OUT/herstel-json.t" | awk '{print $1}')
jbytes=$(wc -c <"$OUT/trace-herstel.explain.jsonl")
printf 'for comparison, the JSON Lines explanations (--explain-format jsonl), rules/herstel, N = 300: %.2f s, %.0f dossiers/s, %.3f MB per dossier\n' \
  "$jw" "$(echo "300 / $jw" | bc -l)" "$(echo "$jbytes / 300 / 1000000" | bc -l)"
rm -f "$OUT"/trace-*.dtrace "$OUT/trace-herstel.explain.jsonl" "$OUT"/*.times "$OUT"/*.t
