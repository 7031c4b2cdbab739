-- The extension's pg_regress suite (tests/pg/run.sh puts the bundles and the population in the
-- data directory under dagloon/; it compares every row with dagloon run in the shell as well).
CREATE EXTENSION dagloon;
\dx dagloon

-- loading: the row, its sha256 and when
SELECT length(dagloon.laad('wia', pg_read_binary_file('dagloon/wia.bundle'))) AS sha256_lengte;
SELECT naam, sha256 = encode(sha256(bundle), 'hex') AS sha256_klopt, geladen_op IS NOT NULL AS geladen
  FROM dagloon.regelset;
SELECT dagloon.laad('wia-plain', pg_read_binary_file('dagloon/wia-plain.bundle')) =
       encode(sha256(pg_read_binary_file('dagloon/wia-plain.bundle')), 'hex') AS laad_geeft_sha256;
-- loading again replaces it
SELECT dagloon.laad('wia-plain', pg_read_binary_file('dagloon/wia-plain.bundle')) IS NOT NULL AS opnieuw;
SELECT count(*) FROM dagloon.regelset;

-- the population
CREATE TABLE dossiers AS
  SELECT nr, regel::jsonb AS dossier
    FROM regexp_split_to_table(rtrim(pg_read_file('dagloon/populatie.jsonl'), E'\n'), E'\n') WITH ORDINALITY AS t(regel, nr);
SELECT count(*) FROM dossiers;

-- three rows, as dagloon run --format jsonl writes them (money as strings), in jsonb's order
SELECT dagloon.bereken('wia', dossier) FROM dossiers WHERE nr <= 3 ORDER BY nr;
SELECT r->>'id' AS id, r->>'dagloon' AS dagloon, r->>'maandloon' AS maandloon, jsonb_typeof(r->'dagloon') AS soort
  FROM (SELECT nr, dagloon.bereken('wia', dossier) AS r FROM dossiers) x WHERE nr IN (1, 2, 81) ORDER BY nr;
-- from the plain bundle the same rows
SELECT count(*) AS verschillend FROM dossiers
 WHERE dagloon.bereken('wia', dossier) IS DISTINCT FROM dagloon.bereken('wia-plain', dossier);
-- no dossier of the population fails
SELECT count(*) AS fouten FROM dossiers WHERE dagloon.bereken('wia', dossier) ? 'fout';

-- error rows: a computation that fails, a date that is not one, a missing field, not an object
SELECT dagloon.bereken('wia', dossier || '{"id": "F1", "einde_opzegtermijn": "2019-05-01"}') FROM dossiers WHERE nr = 1;
SELECT dagloon.bereken('wia', dossier || '{"id": "B1", "eerste_ao_dag": "2023-02-30"}') FROM dossiers WHERE nr = 1;
SELECT dagloon.bereken('wia', dossier - 'eerste_ao_dag') FROM dossiers WHERE nr = 1;
SELECT dagloon.bereken('wia', '[1, 2]');
SELECT dagloon.bereken('wia', NULL) IS NULL AS strict_null;
-- strikt: an ERROR instead
SELECT dagloon.bereken('wia', dossier || '{"id": "F1", "einde_opzegtermijn": "2019-05-01"}', strikt => true) FROM dossiers WHERE nr = 1;
SELECT dagloon.bereken('wia', dossier - 'eerste_ao_dag', true) FROM dossiers WHERE nr = 1;
SELECT dagloon.bereken('wia', dossier, true)->>'dagloon' AS strikt_goed FROM dossiers WHERE nr = 1;
-- a rule set that is not there
SELECT dagloon.bereken('geen', '{}');

-- the limits as settings: a runaway rule set stopped by dagloon.max_steps
SELECT length(dagloon.laad('lus', pg_read_binary_file('dagloon/lus.bundle'))) AS sha256_lengte;
SELECT dagloon.bereken('lus', '{"id": "kort", "begin": "2024-01-15", "einde": "2024-02-10"}');
SET dagloon.max_steps = 100000;
SELECT dagloon.bereken('lus', '{"id": "lang", "begin": "1900-01-01", "einde": "2200-12-31"}');
SELECT dagloon.bereken('lus', '{"id": "lang", "begin": "1900-01-01", "einde": "2200-12-31"}', true);
RESET dagloon.max_steps;
SET dagloon.max_memory = '64kB';
SELECT dagloon.bereken('wia', dossier)->>'dagloon' AS klein_genoeg FROM dossiers WHERE nr = 1;
SELECT dagloon.bereken('wia', jsonb_set(dossier, '{id}', to_jsonb(repeat('x', 70000))))->'fout'->>'message' AS te_groot
  FROM dossiers WHERE nr = 1;
RESET dagloon.max_memory;
SHOW dagloon.max_steps;
SHOW dagloon.max_memory;

-- uitleg: explain --format json's explanation, from the bundle made with --trace
SELECT u->>'schema' AS schema, u->>'rules' AS rules, u->>'dossier' AS dossier, jsonb_array_length(u->'outputs') AS uitvoer,
       (SELECT o->>'value' FROM jsonb_array_elements(u->'outputs') o WHERE o->>'column' = 'dagloon') AS dagloon
  FROM (SELECT dagloon.uitleg('wia', dossier) AS u FROM dossiers WHERE nr = 1) x;
SELECT dagloon.uitleg('wia-plain', dossier) FROM dossiers WHERE nr = 1;
SELECT dagloon.uitleg('wia', '[1]');

-- refused bundles: damaged (one byte changed), not a bundle, empty; nothing stored
SELECT dagloon.laad('kapot', set_byte(b, 200, get_byte(b, 200) # 1))
  FROM pg_read_binary_file('dagloon/wia.bundle') AS b;
SELECT dagloon.laad('kapot', convert_to('regel x: geheel = 1', 'UTF8'));
SELECT dagloon.laad('kapot', ''::bytea);
INSERT INTO dagloon.regelset VALUES ('kapot', 'geen bundel', 'x', now());
UPDATE dagloon.regelset SET bundle = 'geen bundel' WHERE naam = 'wia';
SELECT naam FROM dagloon.regelset ORDER BY naam;
-- a bundle naming a native library needs dagloon.allow_native, by hash
SET dagloon.allow_native = '/tmp/libx.so';
SELECT dagloon.laad('wia', pg_read_binary_file('dagloon/wia.bundle'));
RESET dagloon.allow_native;

-- the rights: anyone computes, only the owner loads; the superuser's settings stay his
CREATE ROLE dagloon_gebruiker;
GRANT SELECT ON dossiers TO dagloon_gebruiker;
SET ROLE dagloon_gebruiker;
SELECT dagloon.bereken('wia', dossier)->>'dagloon' AS dagloon FROM dossiers WHERE nr = 1;
SELECT dagloon.bereken('lus', '{"id": "kort", "begin": "2024-01-15", "einde": "2024-02-10"}');
SELECT dagloon.laad('eigen', '\x00');
SET dagloon.max_memory = '1GB';
SET dagloon.allow_native = '/tmp/libx.so=0000000000000000000000000000000000000000000000000000000000000000';
SET dagloon.max_steps = 1000;
RESET ROLE;
REVOKE SELECT ON dossiers FROM dagloon_gebruiker;
DROP ROLE dagloon_gebruiker;

-- bereken_alle: a query's dossiers at once, in the typed columns of dagloon.wia (made by laad)
SET datestyle = 'ISO, YMD';
\d dagloon.wia
SELECT sleutel, id, eerste_ao_dag, referteperiode, deler, dagloon, begrensd, maandloon, fout
  FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT nr, dossier FROM dossiers WHERE nr <= 3 ORDER BY nr');
SELECT pg_typeof(dagloon) AS geld, pg_typeof(eerste_ao_dag) AS datum, pg_typeof(begrensd) AS waarheid, pg_typeof(deler) AS geheel
  FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT dossier FROM dossiers WHERE nr = 1');
-- every column of every row equals the scalar form's value
SELECT count(*) AS waarden, count(*) FILTER (WHERE (to_jsonb(t) ->> e.k) IS DISTINCT FROM e.v) AS verschillend
  FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT nr, dossier FROM dossiers') AS t
  JOIN dossiers d ON d.nr = t.sleutel::bigint,
       LATERAL jsonb_each_text(dagloon.bereken('wia', d.dossier)) AS e(k, v);
-- error rows: the outputs NULL, fout as bereken's; a NULL dossier; a dossier as text
SELECT sleutel, id, dagloon, fout FROM dagloon.bereken_alle(NULL::dagloon.wia, $$
  SELECT 'F1', (dossier || '{"id": "F1", "einde_opzegtermijn": "2019-05-01"}')::text FROM dossiers WHERE nr = 1
  UNION ALL SELECT 'leeg', NULL
  UNION ALL SELECT 'tekst', dossier::text FROM dossiers WHERE nr = 2$$);
RESET datestyle;
-- what bereken_alle refuses
SELECT * FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT 1, 2, dossier FROM dossiers');
SELECT * FROM dagloon.bereken_alle(NULL::integer, 'SELECT dossier FROM dossiers');
SELECT * FROM dagloon.bereken_alle(NULL::dagloon.regelset, 'SELECT dossier FROM dossiers');
SELECT * FROM dagloon.bereken_alle(NULL::dagloon.wia, 'DELETE FROM dossiers RETURNING dossier');
SELECT count(*) FROM dossiers;
-- a set-returning function is a Function Scan, never parallel
EXPLAIN (COSTS OFF) SELECT * FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT dossier FROM dossiers');

-- parallel query: the scalar form over a table runs in parallel workers, with the same results
CREATE TABLE veel AS
  SELECT nr * 100 + i AS nr, jsonb_set(dossier, '{id}', to_jsonb(dossier->>'id' || '-' || i)) AS dossier
    FROM dossiers, generate_series(1, 40) AS i;
ANALYZE veel;
SELECT count(*) FROM veel;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serieel AS SELECT nr, dagloon.bereken('wia', dossier) AS uit FROM veel;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT nr, dagloon.bereken('wia', dossier) FROM veel;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT nr, dagloon.bereken('wia', dossier) FROM veel;
CREATE TABLE parallel AS SELECT nr, dagloon.bereken('wia', dossier) AS uit FROM veel;
SELECT count(*) AS rijen, count(*) FILTER (WHERE s.uit IS NOT DISTINCT FROM p.uit) AS gelijk
  FROM serieel s FULL JOIN parallel p USING (nr);
SELECT count(*) AS fouten FROM parallel WHERE uit ? 'fout';
RESET ALL;

-- the row types laad made are no members of the extension: they go with the schema
DROP EXTENSION dagloon;
DROP SCHEMA dagloon CASCADE;
