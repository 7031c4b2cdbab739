#!/bin/sh
# tests/pg/shards.sh BUILD: scale-out over three real clusters with postgres_fdw (docs/POSTGRESQL.md,
# "Scale-out"), in make test-run after tests/pg/run.sh:
#  1. a coordinator and two shards (tests/pg/cluster.sh: 127.0.0.1, free ports), stopped and
#     removed at the end whatever happens (trap);
#  2. each shard: the extension, a dossiers table and the view uitkomsten that evaluates it; the
#     coordinator: a foreign server per shard (async_capable), dossiers and uitkomsten partitioned
#     by hash of nr over foreign tables on the shards' table and view. The dossiers (rules/wia's
#     population and 3,000 generated) are inserted on the coordinator, which routes each to a shard;
#  3. dagloon.laad_overal loads the bundle here and on both shards in one call (sha256 checked on
#     each shard directly); a bundle a shard refuses leaves every shard as it was, a tampered one
#     reaches none, an unknown server is named;
#  4. EXPLAIN VERBOSE: an Async Foreign Scan per shard whose Remote SQL reads the shard's view
#     (a view there), one shard only for one nr;
#  5. the coordinator's rows equal `dagloon run --format jsonl` byte for byte in jsonb's form.
# The extension must be installed into PostgreSQL's directories first (make pg-install).
set -eu
BUILD=${1:-build}
[ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 \
  || { echo "error: tests/pg must run as root on a machine with the postgres user (postgresql-15)"; exit 1; }
DAGLOON=$BUILD/dagloon

# 1. the clusters
. tests/pg/cluster.sh
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
pg_cluster_start "$T/s1"; S1=$PG_PORT
pg_cluster_start "$T/s2"; S2=$PG_PORT
sql() { port=$1; shift; as_pg $(pg_psql "$port") -At -d postgres "$@"; }
fail() { echo "error: $*"; exit 1; }

# what the coordinator reads (pg_read_binary_file's relative paths): the bundles and the dossiers
F=$T/c/data/dagloon
mkdir -p "$F"
"$DAGLOON" compile rules/wia --trace -o "$F/wia.bundle" 2>/dev/null
"$DAGLOON" compile rules/wia -o "$F/wia-plain.bundle" 2>/dev/null
python3 tools/gen_population.py 3000 23 > "$T/gen.jsonl"
cat rules/wia/populatie.jsonl "$T/gen.jsonl" > "$F/alle.jsonl"
chown -R postgres "$F"
"$DAGLOON" run rules/wia "$F/alle.jsonl" --format jsonl -o "$T/run.jsonl" --threads 1 2>/dev/null
python3 tests/pg/jsonb_form.py "$T/run.jsonl" > "$T/verwacht.txt"
[ "$(wc -l < "$T/verwacht.txt")" -eq 3081 ] || fail "dagloon run gave $(wc -l < "$T/verwacht.txt") rows, not 3081"
SHA=$(sha256sum "$F/wia.bundle" | cut -d' ' -f1)
SHA_PLAIN=$(sha256sum "$F/wia-plain.bundle" | cut -d' ' -f1)

# 2. the shards: their part of the dossiers and the view that evaluates it
for s in $S1 $S2; do
  sql "$s" -c "CREATE EXTENSION dagloon" \
    -c "CREATE TABLE dossiers (nr bigint PRIMARY KEY, dossier jsonb NOT NULL)" \
    -c "CREATE VIEW uitkomsten AS SELECT nr, dagloon.bereken('wia', dossier) AS uit FROM dossiers" >/dev/null
done
# the coordinator: a server per shard, both tables partitioned the same way over them
sql "$C" -c "CREATE EXTENSION dagloon" -c "CREATE EXTENSION postgres_fdw" -c "CREATE EXTENSION dblink" \
  -c "CREATE TABLE dossiers (nr bigint NOT NULL, dossier jsonb NOT NULL) PARTITION BY HASH (nr)" \
  -c "CREATE TABLE uitkomsten (nr bigint, uit jsonb) PARTITION BY HASH (nr)" >/dev/null
i=0
for s in $S1 $S2; do
  i=$((i + 1))
  sql "$C" -c "CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw
                 OPTIONS (host '127.0.0.1', port '$s', dbname 'postgres', async_capable 'true')" \
    -c "CREATE USER MAPPING FOR postgres SERVER shard$i OPTIONS (user 'postgres')" \
    -c "CREATE FOREIGN TABLE dossiers_$i PARTITION OF dossiers FOR VALUES WITH (MODULUS 2, REMAINDER $((i - 1)))
          SERVER shard$i OPTIONS (table_name 'dossiers', batch_size '200')" \
    -c "CREATE FOREIGN TABLE uitkomsten_$i PARTITION OF uitkomsten FOR VALUES WITH (MODULUS 2, REMAINDER $((i - 1)))
          SERVER shard$i OPTIONS (table_name 'uitkomsten')" >/dev/null
done
sql "$C" -c "INSERT INTO dossiers SELECT nr, regel::jsonb FROM regexp_split_to_table(
               rtrim(pg_read_file('dagloon/alle.jsonl'), E'\n'), E'\n') WITH ORDINALITY AS t(regel, nr)" >/dev/null
n1=$(sql "$S1" -c "SELECT count(*) FROM dossiers")
n2=$(sql "$S2" -c "SELECT count(*) FROM dossiers")
[ "$n1" -gt 1000 ] && [ "$n2" -gt 1000 ] && [ $((n1 + n2)) -eq 3081 ] \
  || fail "the dossiers are not split over the shards: $n1 and $n2 of 3081"
[ "$(sql "$C" -c "SELECT count(DISTINCT nr) FROM dossiers")" = 3081 ] || fail "the coordinator does not see 3,081 distinct dossiers"

# 3. one call loads the rule set everywhere; each shard holds it, verified by its own trigger
[ "$(sql "$C" -c "SELECT coalesce(server, '-') || ' ' || sha256 FROM dagloon.laad_overal('wia',
        pg_read_binary_file('dagloon/wia.bundle')) ORDER BY server NULLS FIRST" | tr '\n' ' ')" = \
  "- $SHA shard1 $SHA shard2 $SHA " ] || fail "laad_overal did not report the bundle's sha256 here and on both shards"
shard_sha() { sql "$1" -c "SELECT sha256 FROM dagloon.regelset WHERE naam = 'wia'"; }
for s in $S1 $S2; do
  [ "$(shard_sha "$s")" = "$SHA" ] || fail "the shard on port $s does not hold the bundle"
  [ "$(sql "$s" -c "SELECT to_regtype('dagloon.wia') IS NOT NULL")" = t ] || fail "no row type dagloon.wia on the shard on port $s"
done
# a bundle shard2 refuses (its row type is in use there, so laad fails) leaves shard1 as it was:
# shard1 loaded it first, in a transaction that was never committed
sql "$S2" -c "CREATE VIEW houdt_vast AS SELECT NULL::dagloon.wia AS r" >/dev/null
if sql "$C" -c "SELECT * FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia-plain.bundle'))" >"$T/uit" 2>&1; then
  fail "laad_overal succeeded though shard2 refused"
fi
grep -q 'server shard2: .*loaded nowhere' "$T/uit" && grep -q 'houdt_vast' "$T/uit" || { cat "$T/uit"; fail "laad_overal's error does not say what happened"; }
[ "$(shard_sha "$S1")" = "$SHA" ] && [ "$(shard_sha "$S2")" = "$SHA" ] \
  && [ "$(sql "$C" -c "SELECT sha256 FROM dagloon.regelset WHERE naam = 'wia'")" = "$SHA" ] \
  || fail "a refusal on shard2 left another bundle somewhere"
sql "$S2" -c "DROP VIEW houdt_vast" >/dev/null
# without dblink (shard1 has none) laad_overal says what it needs
if sql "$S1" -c "SELECT * FROM dagloon.laad_overal('wia', '\\x00')" >"$T/uit" 2>&1; then fail "laad_overal without dblink"; fi
grep -q 'CREATE EXTENSION dblink' "$T/uit" || { cat "$T/uit"; fail "laad_overal without dblink does not say so"; }
# a tampered bundle is refused here, before any shard is reached; an unknown server is named
if sql "$C" -c "SELECT * FROM dagloon.laad_overal('wia', (SELECT set_byte(b, 200, get_byte(b, 200) # 1)
                  FROM pg_read_binary_file('dagloon/wia-plain.bundle') AS b))" >"$T/uit" 2>&1; then
  fail "laad_overal loaded a tampered bundle"
fi
if sql "$C" -c "SELECT * FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia-plain.bundle'), '{shard1,shard9}')" >"$T/uit" 2>&1; then
  fail "laad_overal loaded onto a server that does not exist"
fi
grep -q 'no foreign server "shard9"' "$T/uit" || { cat "$T/uit"; fail "laad_overal does not name the unknown server"; }
[ "$(shard_sha "$S1")" = "$SHA" ] && [ "$(shard_sha "$S2")" = "$SHA" ] || fail "a refused laad_overal changed a shard"
# and the named servers only: the plain bundle on shard1, then back to the traced one everywhere
[ "$(sql "$C" -c "SELECT count(*) FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia-plain.bundle'), '{shard1}')")" = 2 ] \
  && [ "$(shard_sha "$S1")" = "$SHA_PLAIN" ] && [ "$(shard_sha "$S2")" = "$SHA" ] || fail "laad_overal with servers named"
sql "$C" -c "SELECT count(*) FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia.bundle'))" >/dev/null
[ "$(shard_sha "$S1")" = "$SHA" ] || fail "laad_overal did not replace the bundle on shard1"

# 4. the plan: the shards' views scanned concurrently
for s in $S1 $S2; do
  [ "$(sql "$s" -c "SELECT relkind FROM pg_class WHERE oid = 'public.uitkomsten'::regclass")" = v ] || fail "uitkomsten is no view on port $s"
done
sql "$C" -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT nr, uit FROM uitkomsten" > "$T/plan"
for i in 1 2; do
  grep -q "Async Foreign Scan on public.uitkomsten_$i\$" "$T/plan" || { cat "$T/plan"; fail "no Async Foreign Scan on shard$i"; }
done
[ "$(grep -c 'Remote SQL: SELECT nr, uit FROM public.uitkomsten$' "$T/plan")" = 2 ] \
  || { cat "$T/plan"; fail "the Remote SQL does not read the shards' view"; }
sql "$C" -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT uit FROM uitkomsten WHERE nr = 42" > "$T/plan"
[ "$(grep -c 'Foreign Scan on' "$T/plan")" = 1 ] && grep -q 'Remote SQL: .*public.uitkomsten WHERE ((nr = 42))' "$T/plan" \
  || { cat "$T/plan"; fail "one dossier is not read from its one shard with the condition sent there"; }

# 5. the rows, on the coordinator, equal dagloon run's
sql "$C" -c "SELECT uit FROM uitkomsten ORDER BY nr" > "$T/shards.txt"
cmp "$T/verwacht.txt" "$T/shards.txt" || { diff "$T/verwacht.txt" "$T/shards.txt" | head; fail "the shards' rows differ from dagloon run"; }
[ "$(sql "$C" -c "SELECT uit FROM uitkomsten WHERE nr = 42")" = "$(sed -n 42p "$T/verwacht.txt")" ] || fail "dossier 42 through its shard"
echo "tests/pg/shards.sh: 3,081 dossiers over two shards ($n1 and $n2) equal to dagloon run; laad_overal on both, all or nothing; Async Foreign Scans on the shards' views"
