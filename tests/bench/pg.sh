#!/bin/sh
# make bench-pg: the PostgreSQL extension's throughput and load times (issue 19, part 4), on a
# throw-away cluster (tests/pg/cluster.sh). Not part of make test: tests never time things.
#  1. the bench workload (tests/bench/gen_dossiers.py, rules/bench) as N jsonb dossiers in a table
#     (COPY), the bench bundle loaded; dossiers/s, median of RUNS, wall time by psql's \timing, of
#       SELECT dagloon.bereken('bench', d) FROM t    serially and with 1 and 2 parallel workers
#       dagloon.bereken_alle(NULL::dagloon.bench, ...) a Function Scan, always serial
#       SELECT dagloon.bereken_vast('<sha256>', d) FROM t    serially (no name lookup per row),
#                                                     interleaved with the serial bereken
#     beside `dagloon run --threads 1` and `--threads 2` on the same dossiers as JSON Lines. Every
#     timed query returns a count and a checksum over its outputs (the sum of a 64-bit hash of
#     each output row as jsonb text), which must equal the one over run's rows loaded as jsonb: a
#     fast wrong answer never counts. The checksum's own cost over stored rows is printed too.
#  2. the two-shard figure (bench_two_shards): the set-up tests/pg/shards.sh tests
#     (tests/pg/shards_setup.sh: two shards, postgres_fdw, async foreign partitions on their
#     views, laad_overal), this cluster the coordinator;
#  3. the per-connection load time of each sample rule set: the first bereken in a new
#     connection minus a warm one, median of CONNS connections; and what a parallel query pays
#     on a small table (its workers are new backends: each loads the rule set again).
#
#   sh tests/bench/pg.sh [BIN] [OUTDIR]        (N, RUNS, CONNS, SMALL, REPS from the environment)
# The extension must be installed first (make pg-install, which make bench-pg does).
set -eu
BIN=${1:-build/dagloon}
OUT=${2:-build}/bench
N=${N:-1000000}
SEED=${SEED:-2}
RUNS=${RUNS:-3}
CONNS=${CONNS:-15}
SMALL=${SMALL:-200}
REPS=${REPS:-9}
[ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
  || { echo "bench-pg: must run as root on a machine with the postgres user (postgresql-15)"; exit 2; }
mkdir -p "$OUT"
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) exit 1; print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rate() { echo "$1 / $2" | bc -l; }   # rate COUNT SECONDS

# the dossiers: the CSV of make bench, as JSON Lines (numbers stay numbers) for run and for COPY
csv="$OUT/dossiers-$N-$SEED.csv"
[ -s "$csv" ] || python3 tests/bench/gen_dossiers.py "$N" "$SEED" > "$csv"
jsonl="$OUT/dossiers-$N-$SEED.jsonl"
[ -s "$jsonl" ] || python3 - "$csv" > "$jsonl" <<'PY'
import csv, json, sys
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        print(json.dumps({k: (v if k == "first_ao_day" else int(v)) for k, v in row.items()}, separators=(",", ":")))
PY
[ "$(wc -l < "$jsonl")" -eq "$N" ] || { echo "FAIL: $jsonl does not hold $N dossiers"; exit 1; }

# the cluster, stopped and removed whatever happens
. tests/pg/cluster.sh
. tests/pg/shards_setup.sh
T=$(mktemp -d /tmp/dagloon-bench-pg.XXXXXX)
chown postgres "$T"
SHARDS=""
stop() {
  st=$?
  for sh in $SHARDS; do pg_cluster_stop "$sh"; done
  pg_cluster_stop "$T"
  if [ $st -ne 0 ] && [ -f "$T/server.log" ]; then echo "--- the server's log:"; tail -20 "$T/server.log"; fi
  rm -rf "$T"
  exit $st
}
trap stop EXIT
trap 'exit 1' INT TERM HUP
# memory for a 1,000,000-row table and its checksums; workers enough for 2 per gather
pg_cluster_start "$T" max_worker_processes=8 max_parallel_workers=8 shared_buffers=256MB work_mem=64MB
COORD=$PG_PORT
PSQL=$(pg_psql "$COORD")
sql() { as_pg $PSQL -At -d postgres "$@"; }
timed() {   # timed SQL...: runs the statements after \timing; prints the last result line, then its ms
  as_pg $PSQL -At -d postgres -c '\timing on' "$@" | awk '/^Time: / {ms = $2; next} {r = $0} END {print r; print ms}'
}

F=$T/data/dagloon
mkdir -p "$F"
for r in bench wia ww zw herstel wia_uitkering voorbeeld; do
  "$BIN" compile "rules/$r" -o "$F/$r.bundle" 2>/dev/null || { echo "FAIL: dagloon compile rules/$r"; exit 1; }
done
chown -R postgres "$F"
sql -c "CREATE EXTENSION dagloon" >/dev/null
for r in bench wia ww zw herstel wia_uitkering voorbeeld; do
  sql -c "SELECT dagloon.laad('$r', pg_read_binary_file('dagloon/$r.bundle'))" >/dev/null
done

# 1. the table (COPY from the client: the file stays where it is)
sql -c "CREATE TABLE ruw (d jsonb)" -c "CREATE TABLE run_uit (j jsonb)" >/dev/null
s=$(date +%s%N)
as_pg $PSQL -d postgres -c "COPY ruw (d) FROM STDIN" < "$jsonl" >/dev/null
sql -c "CREATE TABLE t AS SELECT (d ->> 'id')::bigint AS id, d FROM ruw" -c "DROP TABLE ruw" -c "VACUUM ANALYZE t" >/dev/null
e=$(date +%s%N)
[ "$(sql -c "SELECT count(*) FROM t")" = "$N" ] || { echo "FAIL: the table does not hold $N dossiers"; exit 1; }
copy_s=$(echo "($e - $s) / 1000000000" | bc -l)

# dagloon run on the same dossiers, RUNS times each; both thread counts must write the same bytes
: > "$OUT/pg.run1"; : > "$OUT/pg.run2"
i=0
while [ $i -lt "$RUNS" ]; do
  for th in 1 2; do
    s=$(date +%s%N)
    "$BIN" run rules/bench "$jsonl" --input-format jsonl --format jsonl --threads $th -o "$OUT/pg.run$th.jsonl" 2>/dev/null
    e=$(date +%s%N)
    echo "($e - $s) / 1000000000" | bc -l >> "$OUT/pg.run$th"
  done
  i=$((i + 1))
done
cmp -s "$OUT/pg.run1.jsonl" "$OUT/pg.run2.jsonl" || { echo "FAIL: dagloon run on 1 and 2 threads differ"; exit 1; }
[ "$(wc -l < "$OUT/pg.run1.jsonl")" -eq "$N" ] || { echo "FAIL: dagloon run wrote no $N rows"; exit 1; }
as_pg $PSQL -d postgres -c "COPY run_uit (j) FROM STDIN" < "$OUT/pg.run1.jsonl" >/dev/null
rm -f "$OUT/pg.run2.jsonl"
SUM="count(*) || ' ' || sum(hashtextextended(uit::text, 0)::numeric)"
expect=$(sql -c "SELECT $SUM FROM (SELECT j AS uit FROM run_uit) s")
case "$expect" in "$N "*) ;; *) echo "FAIL: run's rows in the database: $expect"; exit 1 ;; esac
# what the checksum alone costs (over stored rows, no evaluation)
sumcost=$(timed -c "SET max_parallel_workers_per_gather = 0" -c "SELECT $SUM FROM (SELECT j AS uit FROM run_uit) s" | tail -1)

PAR="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0"
BEREKEN="SELECT $SUM FROM (SELECT dagloon.bereken('bench', d) AS uit FROM t) s"
# the IMMUTABLE form by the bundle's sha256: no lookup of the name per row
VAST="SELECT $SUM FROM (SELECT dagloon.bereken_vast('$(sha256sum "$F/bench.bundle" | cut -d' ' -f1)', d) AS uit FROM t) s"
# bereken_alle's typed columns back to run's row: every column but the key and fout (then NULL)
ALLE="SELECT $SUM || ' ' || count(fout) FROM (SELECT to_jsonb(r) - 'sleutel' - 'fout' AS uit, fout
        FROM dagloon.bereken_alle(NULL::dagloon.bench, 'SELECT id, d FROM t') AS r) s"
measure_once() {   # measure_once NAME SETTINGS QUERY [EXPECT]: one timed run added to $OUT/pg.NAME, checked
  timed -c "$2" -c "$3" > "$T/m"
  got=$(head -1 "$T/m")
  [ "$got" = "${4:-$expect}" ] || { echo "FAIL: $1 gives '$got', dagloon run '${4:-$expect}'"; exit 1; }
  echo "$(tail -1 "$T/m") / 1000" | bc -l >> "$OUT/pg.$1"
}
measure() {   # measure NAME SETTINGS QUERY [EXPECT]: RUNS timed runs into $OUT/pg.NAME, each checked
  : > "$OUT/pg.$1"
  k=0
  while [ $k -lt "$RUNS" ]; do measure_once "$@"; k=$((k + 1)); done
}
workers() {   # workers W: the plan of the scalar form with W workers, run (EXPLAIN ANALYZE): W launched?
  plan=$(sql -c "$PAR" -c "SET max_parallel_workers_per_gather = $1" \
    -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $BEREKEN")
  echo "$plan" | grep -q "Workers Launched: $1" && echo "$plan" | grep -q 'Parallel Seq Scan' \
    || { echo "$plan"; echo "FAIL: not $1 parallel workers for dagloon.bereken"; exit 1; }
}
plan=$(sql -c "EXPLAIN (COSTS OFF) $ALLE")
echo "$plan" | grep -q 'Function Scan' && ! echo "$plan" | grep -q Gather || { echo "$plan"; echo "FAIL: bereken_alle's plan"; exit 1; }
measure serial "SET max_parallel_workers_per_gather = 0" "$BEREKEN"
workers 1
measure par1 "$PAR; SET max_parallel_workers_per_gather = 1" "$BEREKEN"
workers 2
measure par2 "$PAR; SET max_parallel_workers_per_gather = 2" "$BEREKEN"
measure alle "SET max_parallel_workers_per_gather = 0" "$ALLE" "$expect 0"
# bereken by name and bereken_vast by hash, interleaved (RUNS each): what the name's lookup costs
: > "$OUT/pg.naam"; : > "$OUT/pg.vast"
k=0
while [ $k -lt "$RUNS" ]; do
  measure_once naam "SET max_parallel_workers_per_gather = 0" "$BEREKEN"
  measure_once vast "SET max_parallel_workers_per_gather = 0" "$VAST"
  k=$((k + 1))
done

# 2. two shards: the set-up tests/pg/shards.sh checks (tests/pg/shards_setup.sh) with the cluster
#    above as the coordinator; its dossiers inserted there go each to its shard (by hash of the
#    id), dagloon.laad_overal loads the bench rule set on all three, and the coordinator fetches
#    every shard's evaluated rows: the same checksum over the same N rows.
bench_two_shards() {
  SHARDS="$T/s1 $T/s2"
  shards_setup "$T" "$COORD" bench max_worker_processes=8
  sql -c "INSERT INTO dossiers SELECT id, d FROM t" >/dev/null
  for port in $S1 $S2; do as_pg $(pg_psql "$port") -d postgres -c "VACUUM ANALYZE dossiers" >/dev/null; done
  [ "$(sql -c "SELECT count(*) FROM dagloon.laad_overal('bench', pg_read_binary_file('dagloon/bench.bundle'))")" = 3 ] \
    || { echo "FAIL: laad_overal did not load the bench rule set here and on both shards"; exit 1; }
  SHARDQ="SELECT $SUM FROM uitkomsten"
  plan=$(sql -c "EXPLAIN VERBOSE $SHARDQ")
  [ "$(echo "$plan" | grep -c 'Async Foreign Scan')" -eq 2 ] && echo "$plan" | grep -q 'FROM public.uitkomsten' \
    || { echo "$plan"; echo "FAIL: no Async Foreign Scan per shard on its view"; exit 1; }
  measure shards "SET max_parallel_workers_per_gather = 0" "$SHARDQ"
  line "two shards: postgres_fdw, async, rows to the coordinator" shards
}

cores=$(nproc 2>/dev/null || echo "?")
line() { m=$(median < "$OUT/pg.$2"); printf '%-58s %10.3f %14.0f\n' "$1" "$m" "$(rate "$N" "$m")"; }
printf '\nbench workload in PostgreSQL %s, N = %s (seed %s), median of %s runs, %s cores on this machine\n' \
  "$(sql -c 'SHOW server_version' | cut -d' ' -f1)" "$N" "$SEED" "$RUNS" "$cores"
printf '(every row checked: count and checksum over the outputs equal to dagloon run'"'"'s; COPY of the table: %.1f s)\n' "$copy_s"
printf '%-58s %10s %14s\n' "" "wall (s)" "dossiers/s"
line "dagloon run --threads 1 (JSON Lines in and out)" run1
line "dagloon run --threads 2" run2
line "SELECT dagloon.bereken(..) FROM t, serial" serial
line "  the same, 1 parallel worker (+ the leader)" par1
line "  the same, 2 parallel workers (+ the leader)" par2
line "dagloon.bereken_alle(NULL::dagloon.bench, ..), serial" alle
line "SELECT dagloon.bereken(..) FROM t, serial, interleaved with" naam
line "  SELECT dagloon.bereken_vast('<sha256>', d) FROM t" vast
printf '(each query includes the checksum: %.2f s of it over %s stored rows alone)\n' "$(echo "$sumcost / 1000" | bc -l)" "$N"
bench_two_shards

# 3. per-connection load time: in each new connection the module is loaded first (LOAD), then
#    the first bereken pays for the rule set (read, verified, loaded); minus the median of 5 warm
#    calls in the same connection. The dossier is '{}' (an input error row: the evaluation is
#    nothing beside the load). Median over CONNS connections.
sql -c "CREATE FUNCTION laadtijd(regelset text) RETURNS TABLE (eerste float8, warm float8) LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; w float8[] := '{}';
BEGIN
  t0 := clock_timestamp(); PERFORM dagloon.bereken(regelset, '{}');
  eerste := extract(epoch FROM clock_timestamp() - t0) * 1000;
  FOR i IN 1..5 LOOP
    t0 := clock_timestamp(); PERFORM dagloon.bereken(regelset, '{}');
    w := w || extract(epoch FROM clock_timestamp() - t0) * 1000;
  END LOOP;
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) INTO warm FROM unnest(w) x;
  RETURN NEXT;
END \$\$" >/dev/null
printf '\nper-connection load time (first dagloon.bereken in a new connection minus a warm call), median of %s connections\n' "$CONNS"
printf '%-30s %14s %14s %12s\n' "rule set" "load (ms)" "warm call (ms)" "bundle KB"
k=0; : > "$T/mod"
while [ $k -lt "$CONNS" ]; do   # the module itself: LOAD in a new connection
  timed -c "LOAD 'dagloon'" | tail -1 >> "$T/mod"
  k=$((k + 1))
done
printf '%-30s %14.2f\n' "(LOAD 'dagloon': the module)" "$(median < "$T/mod")"
for r in bench wia ww zw herstel wia_uitkering voorbeeld; do
  k=0; : > "$T/first"; : > "$T/warm"
  while [ $k -lt "$CONNS" ]; do
    sql -F ' ' -c "LOAD 'dagloon'" -c "SELECT eerste - warm, warm FROM laadtijd('$r')" > "$T/one"
    cut -d' ' -f1 "$T/one" >> "$T/first"
    cut -d' ' -f2 "$T/one" >> "$T/warm"
    k=$((k + 1))
  done
  printf '%-30s %14.2f %14.3f %12.0f\n' "rules/$r" "$(median < "$T/first")" "$(median < "$T/warm")" "$(($(wc -c < "$F/$r.bundle") / 1024))"
done

# ... and what a parallel query pays: SMALL rows, serial and with 2 workers forced, REPS times
# interleaved in one warm connection (the leader has the rule set; its workers are new backends
# and load it each query), beside the same query without dagloon (what the workers cost alone)
sql -c "CREATE TABLE klein AS SELECT d FROM t ORDER BY id LIMIT $SMALL" -c "ANALYZE klein" >/dev/null
for r in bench wia; do
  Q="SELECT count(dagloon.bereken('$r', d)) FROM klein"
  P="SELECT count(md5(d::text)) FROM klein"
  set -- -c '\timing on' -c "$Q"
  k=0
  while [ $k -lt "$REPS" ]; do
    set -- "$@" -c "SET max_parallel_workers_per_gather = 0" -c "$Q" -c "$P" \
      -c "$PAR; SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off" -c "$Q" -c "$P"
    k=$((k + 1))
  done
  # one Time per -c: the warm-up, then per repetition: SET, serial, serial without dagloon, SETs,
  # parallel, parallel without dagloon
  as_pg $PSQL -At -d postgres "$@" | awk '/^Time: / {print $2}' > "$T/par"
  [ "$(wc -l < "$T/par")" -eq $((1 + 6 * REPS)) ] || { cat "$T/par"; echo "FAIL: the parallel timings"; exit 1; }
  col() { awk -v c="$1" 'NR > 1 && (NR - 2) % 6 == c' "$T/par" | median; }
  ser=$(col 1); serp=$(col 2); par=$(col 4); parp=$(col 5)
  [ "$r" = bench ] && printf '\na parallel query on %s rows (2 workers forced, leader not participating), ms, median of %s\n%-12s %10s %10s %12s %12s %14s\n' \
    "$SMALL" "$REPS" "rule set" "serial" "parallel" "md5 serial" "md5 parallel" "rule set extra"
  printf '%-12s %10.1f %10.1f %12.1f %12.1f %14.1f\n' "$r" "$ser" "$par" "$serp" "$parp" "$(echo "($par - $ser) - ($parp - $serp)" | bc -l)"
done
printf '(rule set extra: what the parallel query costs more than the serial one, beyond what the same\n parallel plan costs without dagloon -- the workers loading the rule set, 2 workers at once; the\n bench dossiers are input errors to wia: there the evaluation is nothing, the load is all)\n'
