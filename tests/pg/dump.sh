# tests/pg/dump.sh: sourced by tests/pg/run.sh (its cluster, $PSQL, $T, the files under dagloon/):
# pg_dump and restore of a database that uses the extension. The row types laad makes are no
# members of the extension, so pg_dump writes them as types after CREATE EXTENSION and a view on
# one restores; dagloon.regelset's rows are dumped (pg_extension_config_dump), so an index on
# dagloon.bereken_vast and a generated column of it are rebuilt from the restored bundle with the
# same values. Expected values: the source database's own (its rows are run's: dagloon.sql).
sql -c "CREATE DATABASE bron" -c "CREATE DATABASE doel" >/dev/null
as_pg $PSQL -At -d bron >/dev/null <<'SQL'
CREATE EXTENSION dagloon;
SELECT dagloon.laad('wia', pg_read_binary_file('dagloon/wia-plain.bundle')) AS sha \gset
CREATE TABLE dossiers AS SELECT nr, regel::jsonb AS dossier
  FROM regexp_split_to_table(rtrim(pg_read_file('dagloon/populatie.jsonl'), E'\n'), E'\n') WITH ORDINALITY AS t(regel, nr);
CREATE INDEX dossiers_dagloon ON dossiers ((dagloon.bereken_vast(:'sha', dossier) ->> 'dagloon'));
ALTER TABLE dossiers ADD COLUMN dagloon numeric(20,2)
  GENERATED ALWAYS AS ((dagloon.bereken_vast(:'sha', dossier) ->> 'dagloon')::numeric(20,2)) STORED;
CREATE VIEW getypt AS SELECT * FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT nr, dossier FROM public.dossiers');
SQL
as_pg "$PGBIN/pg_dump" -h 127.0.0.1 -p "$PORT" -U postgres bron > "$T/bron.sql" || { echo "error: pg_dump failed"; exit 1; }
as_pg $PSQL -d doel -f "$T/bron.sql" >"$T/restore.out" 2>&1 || { cat "$T/restore.out"; echo "error: the dump does not restore"; exit 1; }
STAAT="SELECT (SELECT count(*) || ' ' || md5(string_agg(g::text, E'\n' ORDER BY g.sleutel::bigint)) FROM getypt g),
  (SELECT count(*) || ' ' || sum(dagloon) FROM dossiers),
  (SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
     AND classid = 'pg_type'::regclass AND objid = 'dagloon.wia'::regtype)"
bron=$(as_pg $PSQL -At -d bron -c "$STAAT")
doel=$(as_pg $PSQL -At -d doel -c "$STAAT")
case "$bron" in "81 "*"|81 "*"|0") ;; *) echo "error: the source database is not as set up: $bron"; exit 1 ;; esac
[ "$bron" = "$doel" ] || { echo "error: restored, bereken_alle's view, the generated column or the row type differ:"; echo "$bron"; echo "$doel"; exit 1; }
VAST="dagloon.bereken_vast('$(sha256sum "$F/wia-plain.bundle" | cut -d' ' -f1)', dossier) ->> 'dagloon' = '223.40'"
plan=$(as_pg $PSQL -At -d doel -c "SET enable_seqscan = off" -c "SET enable_bitmapscan = off" -c "EXPLAIN (COSTS OFF)
  SELECT nr FROM dossiers WHERE $VAST")
echo "$plan" | grep -q 'Index Scan using dossiers_dagloon' || { echo "$plan"; echo "error: the restored expression index is not used"; exit 1; }
[ "$(as_pg $PSQL -At -d doel -c "SET enable_seqscan = off" -c "SELECT count(*) FROM dossiers WHERE $VAST")" \
  = "$(as_pg $PSQL -At -d bron -c "SELECT count(*) FROM dossiers WHERE dagloon.bereken('wia', dossier) ->> 'dagloon' = '223.40'")" ] \
  || { echo "error: the restored index finds other dossiers than bereken"; exit 1; }
echo "tests/pg/dump.sh: pg_dump and restore: bereken_alle's row type and a view on it, dagloon.regelset, an index on bereken_vast and a generated column restored with the same values"
