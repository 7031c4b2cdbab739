# tests/pg/shards_setup.sh: the two-shard scale-out set-up of docs/POSTGRESQL.md ("Scale-out"),
# the one tests/pg/shards.sh and make bench-pg (tests/bench/pg.sh) share; sourced after
# tests/pg/cluster.sh.
#
#   shards_setup DIR COORDINATOR_PORT REGELSET [SETTING...]
#
# starts two shard clusters, DIR/s1 and DIR/s2 (tests/pg/cluster.sh, with the SETTINGs; sets S1
# and S2 to their ports; the caller stops them with pg_cluster_stop in its EXIT trap), and makes,
# all in database postgres:
#  - on each shard: the extension, a table dossiers (nr bigint PRIMARY KEY, dossier jsonb) and
#    the view uitkomsten (nr, uit) that evaluates it with dagloon.bereken(REGELSET, dossier);
#  - on the coordinator (running already): the extensions dagloon, postgres_fdw and dblink, a
#    foreign server per shard (shard1, shard2: async_capable, so the shards are scanned at the
#    same time) with a user mapping for postgres, and dossiers and uitkomsten partitioned the same
#    way by hash of nr over foreign tables on the shards' table and view.
# Then dossiers inserted on the coordinator go to their shard (batch_size rows a round trip), one
# dagloon.laad_overal on the coordinator loads the rule set on all three, and SELECT FROM
# uitkomsten on the coordinator has each shard evaluate its own dossiers.
# The clusters trust 127.0.0.1 (throw-away clusters): no password in the mappings.
shards_setup() {
  dir=$1; coord=$2; regelset=$3; shift 3
  pg_cluster_start "$dir/s1" "$@"; S1=$PG_PORT
  pg_cluster_start "$dir/s2" "$@"; S2=$PG_PORT
  for port in $S1 $S2; do
    as_pg $(pg_psql "$port") -d postgres -c "CREATE EXTENSION dagloon" \
      -c "CREATE TABLE dossiers (nr bigint PRIMARY KEY, dossier jsonb NOT NULL)" \
      -c "CREATE VIEW uitkomsten AS SELECT nr, dagloon.bereken('$regelset', dossier) AS uit FROM dossiers" >/dev/null || return 1
  done
  as_pg $(pg_psql "$coord") -d postgres -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS dagloon" \
    -c "CREATE EXTENSION postgres_fdw" -c "CREATE EXTENSION dblink" \
    -c "CREATE TABLE dossiers (nr bigint NOT NULL, dossier jsonb NOT NULL) PARTITION BY HASH (nr)" \
    -c "CREATE TABLE uitkomsten (nr bigint, uit jsonb) PARTITION BY HASH (nr)" >/dev/null || return 1
  i=0
  for port in $S1 $S2; do
    i=$((i + 1))
    as_pg $(pg_psql "$coord") -d postgres \
      -c "CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$port',
            dbname 'postgres', async_capable 'true', fetch_size '10000', batch_size '1000')" \
      -c "CREATE USER MAPPING FOR postgres SERVER shard$i OPTIONS (user 'postgres')" \
      -c "CREATE FOREIGN TABLE dossiers_$i PARTITION OF dossiers FOR VALUES WITH (MODULUS 2, REMAINDER $((i - 1)))
            SERVER shard$i OPTIONS (table_name 'dossiers')" \
      -c "CREATE FOREIGN TABLE uitkomsten_$i PARTITION OF uitkomsten FOR VALUES WITH (MODULUS 2, REMAINDER $((i - 1)))
            SERVER shard$i OPTIONS (table_name 'uitkomsten')" >/dev/null || return 1
  done
}
