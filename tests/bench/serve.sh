#!/bin/sh
# make bench, the service figures (tests/bench/run.sh calls this last): `dagloon serve rules/wia`
# on a free 127.0.0.1 port driven by build/loadgen (tests/serve/loadgen.c), beside
# `dagloon run --format jsonl` on the same dossiers and thread count. Generated wia dossiers (seed
# 21) that run computes without an error row; every answer is checked byte for byte against run's
# line (loadgen exits non-zero otherwise, and the bench fails). The client runs on the same
# machine and takes its share of the cores: the figures are the pair's, not the server's alone.
#
#   sh tests/bench/serve.sh BIN OUTDIR LOADGEN     (SERVE_N, SERVE_REQUESTS, BATCH, RUNS from the environment)
set -eu
BIN=$1
OUT=$2
LOADGEN=$3
SN=${SERVE_N:-20000}                 # dossiers generated
REQ=${SERVE_REQUESTS:-50000}         # single-dossier requests over 64 connections
BATCH=${BATCH:-1000}                 # dossiers per NDJSON batch
RUNS=${RUNS:-5}
THREADS=$(nproc 2>/dev/null || echo 2)
[ -x "$LOADGEN" ] || { echo "bench: $LOADGEN is missing (make $LOADGEN)"; exit 2; }
mkdir -p "$OUT"

# the dossiers: generated, less those run answers with an error row, and run's lines for them
python3 tools/gen_population.py "$SN" 21 > "$OUT/serve.all.jsonl"
$BIN run rules/wia "$OUT/serve.all.jsonl" --format jsonl -o /dev/null --errors "$OUT/serve.errors.csv" 2>/dev/null || true
awk -F, 'NR == FNR { if (FNR > 1) bad[$1] = 1; next } !(FNR in bad)' "$OUT/serve.errors.csv" "$OUT/serve.all.jsonl" \
  > "$OUT/serve.jsonl"
$BIN run rules/wia "$OUT/serve.jsonl" --format jsonl -o "$OUT/serve.want.jsonl" --threads 1 2>/dev/null \
  || { echo "FAIL: run on the dossiers without error rows"; exit 1; }
n=$(wc -l < "$OUT/serve.jsonl")

# run --format jsonl, one thread and $THREADS: the median wall time of RUNS
: > "$OUT/serve.times"
i=0
while [ $i -lt "$RUNS" ]; do
  /usr/bin/time -f "run1 %e" -a -o "$OUT/serve.times" $BIN run rules/wia "$OUT/serve.jsonl" --format jsonl \
    -o "$OUT/serve.run.jsonl" --threads 1 2>/dev/null
  /usr/bin/time -f "runall %e" -a -o "$OUT/serve.times" $BIN run rules/wia "$OUT/serve.jsonl" --format jsonl \
    -o "$OUT/serve.run.jsonl" --threads "$THREADS" 2>/dev/null
  i=$((i + 1))
done
cmp -s "$OUT/serve.run.jsonl" "$OUT/serve.want.jsonl" || { echo "FAIL: run on $THREADS threads differs"; exit 1; }
median() {
  grep "^$1 " "$OUT/serve.times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
t1=$(median run1)
ta=$(median runall)

# the server, stopped whatever happens
$BIN serve rules/wia --listen 127.0.0.1:0 --threads "$THREADS" 2> "$OUT/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
port=
k=0
while [ -z "$port" ] && [ $k -lt 200 ]; do
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$OUT/serve.log")
  [ -n "$port" ] || sleep 0.1
  k=$((k + 1))
done
[ -n "$port" ] || { echo "FAIL: dagloon serve did not start:"; cat "$OUT/serve.log"; exit 1; }

load() {   # load NAME ARGS...: loadgen against the server, its key=value result in $OUT/serve.NAME
  name=$1
  shift
  "$LOADGEN" --port "$port" --set /v1/wia/bereken "$OUT/serve.jsonl" "$OUT/serve.want.jsonl" --time-limit 600 \
    --result "$OUT/serve.$name" "$@" > "$OUT/serve.$name.log" 2>&1 \
    || { echo "FAIL: loadgen $name:"; cat "$OUT/serve.$name.log"; exit 1; }
}
get() { sed -n "s/^$2=//p" "$OUT/serve.$1"; }
load warm --requests 2000 --connections 8
load c64 --requests "$REQ" --connections 64
load c1 --requests $((REQ / 5)) --connections 1
load batch --requests $((SN * 2 / BATCH)) --connections "$THREADS" --batch "$BATCH"
kill -TERM $pid
wait $pid || { echo "FAIL: dagloon serve did not stop cleanly"; cat "$OUT/serve.log"; exit 1; }
trap - EXIT

printf '\nthe service: dagloon serve rules/wia --threads %s on 127.0.0.1, build/loadgen on the same %s cores;\n' \
  "$THREADS" "$(nproc 2>/dev/null || echo '?')"
printf '%s wia dossiers (generated, seed 21, without error rows), every answer byte-equal to run --format jsonl\n' "$n"
printf '%-46s %12s %12s %10s %10s\n' "" "requests/s" "dossiers/s" "p50 (ms)" "p99 (ms)"
printf '%-46s %12s %12.0f %10s %10s\n' "run --format jsonl, --threads 1 (median of $RUNS)" "" "$(echo "$n / $t1" | bc -l)" "" ""
printf '%-46s %12s %12.0f %10s %10s\n' "run --format jsonl, --threads $THREADS (median of $RUNS)" "" "$(echo "$n / $ta" | bc -l)" "" ""
row() { printf '%-46s %12s %12s %10s %10s\n' "$1" "$(get "$2" rps)" "$(get "$2" dps)" "$(get "$2" p50_ms)" "$(get "$2" p99_ms)"; }
row "serve, 1 dossier a request, 64 connections" c64
row "serve, 1 dossier a request, 1 connection" c1
row "serve, NDJSON batches of $BATCH, $THREADS connections" batch
printf '(requests: %s over 64 connections, %s over 1, %s batches; latency: from a request taken by a connection to its answer read whole)\n' \
  "$(get c64 requests)" "$(get c1 requests)" "$(get batch requests)"
