#!/bin/sh
# tests/pg/run.sh BUILD: the PostgreSQL extension (tools/pg) against a real PostgreSQL 15 (make test-run).
#  1. its C files include dagloon.h and PostgreSQL's headers only (the check is itself tested), and
#     no symbol the engine needs from a library can be bound to the server's own;
#  2. a throw-away cluster: initdb as the postgres user in a temp dir, 127.0.0.1 and a free port
#     only, stopped and removed at the end whatever happens (trap);
#  3. pg_regress (tools/pg/sql, tools/pg/expected): loading, rows, error rows, strict, limits,
#     uitleg, refused bundles, rights, the parallel plan;
#  4. here in the shell: every dossier of rules/wia/populatie.jsonl (and 3,000 generated ones)
#     through dagloon.bereken, serially and by parallel workers, equals `dagloon run --format
#     jsonl` byte for byte after jsonb's formatting; statement_timeout and pg_cancel_backend stop
#     a runaway rule set; a native library refused, then allowed by its hash.
#  5. tests/pg/memory.sh: the engine's memory in the "dagloon" memory context, flat over 3,081 dossiers;
#     tests/pg/vergelijk.sh: dagloon.vergelijk against dagloon compare, the engine out of memory;
#     tests/pg/dump.sh: pg_dump and restore (the row types, bereken_vast's index and column);
#  6. tests/pg/shards.sh: the two-shard part of the pg_regress suite (tools/pg/sql/shards.sql on a
#     coordinator over two shards); the suite's tests are listed together at the end: single
#     node, parallel (tools/pg/sql/dagloon.sql holds both), two-shard.
# The extension must be installed into PostgreSQL's directories first (make pg-install).
set -eu
BUILD=${1:-build}
# PostgreSQL refuses to run as root, and installing into its directories needs root: root runs
# this script, the server runs as postgres (runuser)
[ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
  || { echo "error: tests/pg must run as root on a machine with the postgres user (postgresql-15)"; exit 1; }
DAGLOON=$BUILD/dagloon
PGBIN=$(pg_config --bindir)
REGRESS=$(dirname "$(pg_config --pgxs)")/../test/regress/pg_regress

# 1. the include check
foreign_includes() {   # the project headers the files given include, besides dagloon.h and dagloon_pg.h
  grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$@" | while IFS= read -r line; do
    h=$(printf '%s\n' "$line" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
    case "$h" in
      dagloon.h|dagloon_pg.h) ;;
      */../*|../*|runtime/*|lang/*|tools/*) echo "$line" ;;
      *) if [ -e "runtime/$h" ] || [ -e "lang/$h" ] || [ -e "tools/$h" ] || [ -e "tools/api/$h" ]; then echo "$line"; fi ;;
    esac
  done
}
bad=$(foreign_includes tools/pg/*.c tools/pg/*.h)
if [ -n "$bad" ]; then echo "error: tools/pg may include only dagloon.h and PostgreSQL's headers:"; echo "$bad"; exit 1; fi
T=$(mktemp -d /tmp/dagloon-pg.XXXXXX)
printf '#include "postgres.h"\n#include "runtime/vm.h"\n#include "vm.h"\n#include "../api/api_internal.h"\n#include "front.h"\n#include "dagloon.h"\n' > "$T/bad.c"
[ "$(foreign_includes "$T/bad.c" | wc -l)" -eq 4 ] || { rm -rf "$T"; echo "error: the include check misses includes"; exit 1; }

# ... and no symbol the engine takes from a library is one the server defines too (the dynamic
# linker would bind it to the server's), but json_object, which jansson_bind.c routes to jansson
nm -g --undefined-only "$BUILD/libdagloon.a" | awk '{print $2}' | sed 's/@.*//' | sort -u > "$T/engine.syms"
nm -D --defined-only "$PGBIN/postgres" | awk '$2 == "T" {print $3}' | sed 's/@.*//' | sort -u > "$T/server.syms"
clash=$(comm -12 "$T/engine.syms" "$T/server.syms" | grep -vx json_object || true)
if [ -n "$clash" ]; then rm -rf "$T"; echo "error: the server defines symbols libdagloon takes from its libraries:"; echo "$clash"; exit 1; fi
if nm -D --undefined-only "$BUILD/pg/dagloon.so" | grep -q ' json_object$\| json_object@'; then
  rm -rf "$T"; echo "error: dagloon.so binds json_object by name (the server's would be taken)"; exit 1
fi

# 2. the cluster (tests/pg/cluster.sh)
. tests/pg/cluster.sh
chown postgres "$T"
DATA=$T/data
stop() {
  st=$?
  pg_cluster_stop "$T"
  if [ $st -ne 0 ] && [ -f "$T/server.log" ]; then echo "--- the server's log:"; tail -30 "$T/server.log"; fi
  rm -rf "$T"
  exit $st
}
trap stop EXIT
trap 'exit 1' INT TERM HUP
pg_cluster_start "$T" max_worker_processes=8
PORT=$PG_PORT
PSQL=$(pg_psql "$PORT")
sql() { as_pg $PSQL -At -d "${DB:-postgres}" "$@"; }

# what pg_regress and the checks read, in the data directory (pg_read_binary_file's relative paths)
F=$DATA/dagloon
mkdir -p "$F"
"$DAGLOON" compile rules/wia --trace -o "$F/wia.bundle" 2>/dev/null
"$DAGLOON" compile rules/wia -o "$F/wia-plain.bundle" 2>/dev/null
"$DAGLOON" compile tests/pg/lus -o "$F/lus.bundle" 2>/dev/null
"$DAGLOON" compile rules/voorstellen/twaalf_maanden_loon -o "$F/twaalf.bundle" 2>/dev/null
cp rules/wia/populatie.jsonl "$F/populatie.jsonl"
chown -R postgres "$F"

# 3. pg_regress, on copies postgres can read
mkdir -p "$T/regress"
cp -r tools/pg/sql tools/pg/expected "$T/regress/"
chown -R postgres "$T/regress"
if ! (cd "$T/regress" && as_pg "$REGRESS" --host=127.0.0.1 --port="$PORT" --user=postgres --inputdir=. \
        --outputdir=out --dbname=dagloon_regress --bindir="$PGBIN" dagloon vergelijk bereken_vast >"$T/regress.log" 2>&1); then
  cat "$T/regress.log"
  [ -f "$T/regress/out/regression.diffs" ] && cat "$T/regress/out/regression.diffs"
  mkdir -p "$BUILD/pg" && cp "$T/regress/out/results/dagloon.out" "$BUILD/pg/regress-results.out" 2>/dev/null \
    && echo "(the output as it was: $BUILD/pg/regress-results.out)"
  exit 1
fi

# 4. the same rows as dagloon run, here in the shell: a database with the rule set and dossiers
sql -c "CREATE DATABASE rijen" >/dev/null
DB=rijen
sql -c "CREATE EXTENSION dagloon" -c "SELECT dagloon.laad('wia', pg_read_binary_file('dagloon/wia.bundle'))" >/dev/null
python3 tools/gen_population.py 3000 19 > "$F/gen.jsonl"
cat "$F/populatie.jsonl" "$F/gen.jsonl" > "$F/alle.jsonl"
chown postgres "$F/gen.jsonl" "$F/alle.jsonl"
"$DAGLOON" run rules/wia "$F/alle.jsonl" --format jsonl -o "$T/run.jsonl" --threads 1 2>/dev/null
# run's rows in jsonb's text form (tests/pg/jsonb_form.py)
python3 tests/pg/jsonb_form.py "$T/run.jsonl" > "$T/verwacht.txt"
[ "$(wc -l < "$T/verwacht.txt")" -eq 3081 ] || { echo "error: dagloon run gave $(wc -l < "$T/verwacht.txt") rows, not 3081"; exit 1; }
sql -c "CREATE TABLE dossiers AS SELECT nr, regel::jsonb AS dossier FROM regexp_split_to_table(
          rtrim(pg_read_file('dagloon/alle.jsonl'), E'\n'), E'\n') WITH ORDINALITY AS t(regel, nr)" \
    -c "ANALYZE dossiers" >/dev/null
sql -c "SET max_parallel_workers_per_gather = 0" \
    -c "SELECT dagloon.bereken('wia', dossier) FROM dossiers ORDER BY nr" > "$T/serieel.txt"
cmp "$T/verwacht.txt" "$T/serieel.txt" || { diff "$T/verwacht.txt" "$T/serieel.txt" | head; echo "error: dagloon.bereken differs from dagloon run"; exit 1; }
PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
  SET min_parallel_table_scan_size = 0; SET parallel_leader_participation = off;"
plan=$(sql -c "$PARALLEL" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT nr, dagloon.bereken('wia', dossier) FROM dossiers")
echo "$plan" | grep -q 'Gather' && echo "$plan" | grep -q 'Workers Launched: [12]' && echo "$plan" | grep -q 'Parallel Seq Scan' \
  || { echo "$plan"; echo "error: no parallel plan with workers for dagloon.bereken over a table"; exit 1; }
sql -c "$PARALLEL" -c "CREATE TABLE parallel AS SELECT nr, dagloon.bereken('wia', dossier) AS uit FROM dossiers" >/dev/null
sql -c "SELECT uit FROM parallel ORDER BY nr" > "$T/parallel.txt"
cmp "$T/verwacht.txt" "$T/parallel.txt" || { echo "error: dagloon.bereken in parallel workers differs from dagloon run"; exit 1; }

# bereken_alle's typed columns hold the same values, every column of every dossier
[ "$(sql -c "SELECT count(*) FILTER (WHERE (to_jsonb(t) ->> e.k) IS DISTINCT FROM e.v) || ' ' || count(*)
  FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT nr, dossier FROM dossiers') AS t
  JOIN parallel p ON p.nr = t.sleutel::bigint, LATERAL jsonb_each_text(p.uit) AS e(k, v)")" = "0 $((3081 * 16))" ] \
  || { echo "error: dagloon.bereken_alle's columns differ from the rows of dagloon run"; exit 1; }

# a runaway rule set stopped by statement_timeout and by pg_cancel_backend, with the limits raised
# (memory too: its lists reach the default 256 MB in well under a second on an idle machine, and
# the limit, not the timeout, would stop it; the test wants the interrupt)
sql -c "SELECT dagloon.laad('lus', pg_read_binary_file('dagloon/lus.bundle'))" >/dev/null
RUNAWAY="SELECT dagloon.bereken('lus', '{\"id\": \"lang\", \"begin\": \"1900-01-01\", \"einde\": \"2200-12-31\"}')"
# (the library stops at the interrupt, says DEBUG1, and the cancel follows -- not after its minutes of work)
if timeout 120 runuser -u postgres -- $PSQL -At -d "$DB" -c "SET client_min_messages = debug1" \
     -c "SET dagloon.max_steps = 2000000000" -c "SET dagloon.max_memory = '16GB'" -c "SET statement_timeout = '300ms'" -c "$RUNAWAY" >"$T/timeout.out" 2>&1; then
  cat "$T/timeout.out"; echo "error: statement_timeout did not stop a runaway rule set"; exit 1
fi
grep -q 'canceling statement due to statement timeout' "$T/timeout.out" && grep -q 'stopped for a pending interrupt' "$T/timeout.out" \
  || { cat "$T/timeout.out"; echo "error: not stopped inside the evaluation by the timeout"; exit 1; }
timeout 120 runuser -u postgres -- $PSQL -At -d "$DB" -c "SET client_min_messages = debug1" -c "SET application_name = 'lus'" \
  -c "SET dagloon.max_steps = 2000000000" -c "SET dagloon.max_memory = '16GB'" -c "$RUNAWAY" >"$T/cancel.out" 2>&1 &
runaway=$!
n=0
until [ "$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lus' AND state = 'active'")" = 1 ]; do
  n=$((n + 1)); [ $n -lt 200 ] || { kill $runaway; echo "error: the runaway query never started"; exit 1; }
  sleep 0.05
done
sql -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'lus'" >/dev/null
if wait $runaway; then cat "$T/cancel.out"; echo "error: pg_cancel_backend did not stop a runaway rule set"; exit 1; fi
grep -q 'canceling statement due to user request' "$T/cancel.out" && grep -q 'stopped for a pending interrupt' "$T/cancel.out" \
  || { cat "$T/cancel.out"; echo "error: not cancelled inside the evaluation"; exit 1; }
[ "$(sql -c "SELECT dagloon.bereken('lus', '{\"id\": \"kort\", \"begin\": \"2024-01-15\", \"einde\": \"2024-02-10\"}')")" = '{"n": 8, "id": "kort"}' ] \
  || { echo "error: the backend computes no more after a cancel"; exit 1; }

# a native library: refused, then allowed by its hash (rules/kalender names build/natives/libfeestdagen.so)
LIB=$(realpath "$BUILD/natives/libfeestdagen.so")
runuser -u postgres -- test -r "$LIB" || { echo "error: the postgres user cannot read $LIB"; exit 1; }
SHA=$(sha256sum "$LIB" | cut -d' ' -f1)
# (compiled from / with absolute paths, so the bundle names the library by its absolute path)
top=$(pwd) dagloon=$(realpath "$DAGLOON")
(cd / && "$dagloon" compile "$top/rules/kalender" --allow-native "$LIB" -o "$F/kalender.bundle" 2>/dev/null)
chown postgres "$F/kalender.bundle"
LAAD_KALENDER="SELECT dagloon.laad('kalender', pg_read_binary_file('dagloon/kalender.bundle'))"
if sql -c "$LAAD_KALENDER" >"$T/native.out" 2>&1; then echo "error: a bundle with a native library not allowed was loaded"; exit 1; fi
grep -q 'the bundle is refused' "$T/native.out" || { cat "$T/native.out"; echo "error: not refused as expected"; exit 1; }
if sql -c "SET dagloon.allow_native = '$LIB=$(echo "$SHA" | tr 0-9a-f 1-9a-f0)'" -c "$LAAD_KALENDER" >"$T/native.out" 2>&1; then
  echo "error: a native library with another hash was allowed"; exit 1
fi
sql -c "SET dagloon.allow_native = '$LIB=$SHA'" -c "$LAAD_KALENDER" >/dev/null
[ "$(sql -c "SELECT count(*) FROM dagloon.regelset WHERE naam = 'kalender'")" = 1 ] || { echo "error: kalender not loaded"; exit 1; }
KALENDER="SELECT dagloon.bereken('kalender', '{\"id\": \"2024\", \"van\": \"2024-01-01\", \"tot\": \"2024-12-31\"}')"
[ "$(sql -c "SET dagloon.allow_native = '$LIB=$SHA'" -c "$KALENDER")" = \
  '{"id": "2024", "werkdagen": 256, "eerste_dag_naam": "Nieuwjaarsdag", "eerste_dag_feestdag": true}' ] \
  || { echo "error: the kalender rule set with its native library does not compute as dagloon run does"; exit 1; }
# without the setting a backend refuses the stored bundle; a user who is no superuser cannot set it (the
# value set before the module loads is a placeholder, dropped with a warning when it loads)
if sql -c "$KALENDER" >"$T/native.out" 2>&1; then echo "error: a native library ran without dagloon.allow_native"; exit 1; fi
grep -q 'not allowed\|refused\|allow' "$T/native.out" || { cat "$T/native.out"; echo "error: not refused as expected"; exit 1; }
sql -c "CREATE ROLE gewoon LOGIN" >/dev/null
if as_pg $PSQL -At -d "$DB" -U gewoon -c "SET dagloon.allow_native = '$LIB=$SHA'" -c "$KALENDER" >"$T/native.out" 2>&1; then
  echo "error: a user who is no superuser allowed a native library"; exit 1
fi
grep -q 'permission denied to set parameter "dagloon.allow_native"' "$T/native.out" || { cat "$T/native.out"; echo "error: no permission error for dagloon.allow_native"; exit 1; }
# the engine's memory in the backend's "dagloon" memory context, flat over 3,081 dossiers (tests/pg/memory.sh)
. tests/pg/memory.sh
# dagloon.vergelijk against dagloon compare; the engine out of memory (tests/pg/vergelijk.sh)
. tests/pg/vergelijk.sh
# pg_dump and restore: the row types, dagloon.regelset, what bereken_vast computes (tests/pg/dump.sh)
. tests/pg/dump.sh
# 6. the two-shard part, on three clusters of its own (tests/pg/shards.sh)
sh tests/pg/shards.sh "$BUILD" "$T/shards.log"
echo "tests/pg: the extension's pg_regress suite -- single node, parallel, two-shard:"
grep '^test ' "$T/regress.log" | sed 's/^/  single node, parallel:  /'
grep '^test ' "$T/shards.log" | sed 's/^/  two-shard:              /'
echo "tests/pg: and in the shell: 3,081 dossiers equal to dagloon run, serially, in parallel workers and through bereken_alle; timeout, cancel, native: ok"
