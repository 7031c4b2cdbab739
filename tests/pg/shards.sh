#!/bin/sh
# tests/pg/shards.sh BUILD [REGRESS_LOG]: scale-out over three real clusters with postgres_fdw
# (docs/POSTGRESQL.md, "Scale-out"), the two-shard part of the extension's pg_regress suite
# (tests/pg/run.sh runs it after the single-node and parallel parts):
#  1. a coordinator (tests/pg/cluster.sh) and two shards with their servers, user mappings and
#     partitioned tables (tests/pg/shards_setup.sh: the set-up make bench-pg uses too), on
#     127.0.0.1 and free ports, stopped and removed at the end whatever happens (trap);
#  2. the dossiers (rules/wia's population, 3,000 generated, 3 that fail) and what `dagloon run`
#     makes of them (its rows and its --errors CSV) put where the coordinator reads them;
#  3. pg_regress on the coordinator (tools/pg/sql/shards.sql, --use-existing): laad_overal on all
#     three, all or nothing; an Async Foreign Scan per shard on its view; every row and error row
#     through the coordinator equal to run's. Its output goes to REGRESS_LOG (default: stdout).
# The extension must be installed into PostgreSQL's directories first (make pg-install).
set -eu
BUILD=${1:-build}
LOG=${2:-/dev/stdout}
[ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
  || { echo "error: tests/pg must run as root on a machine with the postgres user (postgresql-15)"; exit 1; }
DAGLOON=$BUILD/dagloon
REGRESS=$(dirname "$(pg_config --pgxs)")/../test/regress/pg_regress

# 1. the clusters
. tests/pg/cluster.sh
. tests/pg/shards_setup.sh
T=$(mktemp -d /tmp/dagloon-shards.XXXXXX)
chown postgres "$T"
stop() {
  st=$?
  for c in c s1 s2; do
    pg_cluster_stop "$T/$c"
    if [ $st -ne 0 ] && [ -f "$T/$c/server.log" ]; then echo "--- the log of $c:"; tail -20 "$T/$c/server.log"; fi
  done
  rm -rf "$T"
  exit $st
}
trap stop EXIT
trap 'exit 1' INT TERM HUP
pg_cluster_start "$T/c"; C=$PG_PORT
shards_setup "$T" "$C" wia

# 2. what the coordinator reads (relative paths: its data directory)
F=$T/c/data/dagloon
mkdir -p "$F"
"$DAGLOON" compile rules/wia --trace -o "$F/wia.bundle" 2>/dev/null
"$DAGLOON" compile rules/wia -o "$F/wia-plain.bundle" 2>/dev/null
python3 tools/gen_population.py 3000 23 > "$T/gen.jsonl"
# three that fail, last: a rule's failure, a date that is none, a missing field
python3 - rules/wia/populatie.jsonl > "$T/fout.jsonl" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(json.dumps(dict(d, id="F1", einde_opzegtermijn="2019-05-01")))
print(json.dumps(dict(d, id="B1", eerste_ao_dag="2023-02-30")))
print(json.dumps({k: v for k, v in dict(d, id="M1").items() if k != "eerste_ao_dag"}))
PY
cat rules/wia/populatie.jsonl "$T/gen.jsonl" "$T/fout.jsonl" > "$F/alle.jsonl"
[ "$(wc -l < "$F/alle.jsonl")" -eq 3084 ] || { echo "error: not 3,084 dossiers"; exit 1; }
"$DAGLOON" run rules/wia "$F/alle.jsonl" --format jsonl -o "$F/run.jsonl" --errors "$F/fouten.csv" --threads 1 2>/dev/null || true
[ "$(wc -l < "$F/run.jsonl")" -eq 3081 ] && [ "$(grep -c . "$F/fouten.csv")" -eq 4 ] \
  || { echo "error: dagloon run gave $(wc -l < "$F/run.jsonl") rows and $(($(grep -c . "$F/fouten.csv") - 1)) error rows, not 3081 and 3"; exit 1; }
chown -R postgres "$F"

# 3. pg_regress on the coordinator, in the database the set-up made its objects in
mkdir -p "$T/regress"
cp -r tools/pg/sql tools/pg/expected "$T/regress/"
chown -R postgres "$T/regress"
if ! (cd "$T/regress" && as_pg "$REGRESS" --host=127.0.0.1 --port="$C" --user=postgres --inputdir=. \
        --outputdir=out --use-existing --dbname=postgres --bindir="$PGBIN" shards >"$T/regress.log" 2>&1); then
  cat "$T/regress.log"
  [ -f "$T/regress/out/regression.diffs" ] && cat "$T/regress/out/regression.diffs"
  mkdir -p "$BUILD/pg" && cp "$T/regress/out/results/shards.out" "$BUILD/pg/regress-shards.out" 2>/dev/null \
    && echo "(the output as it was: $BUILD/pg/regress-shards.out)"
  exit 1
fi
cat "$T/regress.log" > "$LOG"
