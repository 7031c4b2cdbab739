-- dagloon.bereken_vast(sha256, dossier): bereken keyed by the bundle's sha256, IMMUTABLE, for
-- expression indexes and generated columns (tools/pg/README.md, "bereken_vast"). Every value is
-- bereken's for the same rule set (tools/pg/expected/dagloon.out, checked against dagloon run).
CREATE EXTENSION dagloon;
SELECT dagloon.laad('wia', pg_read_binary_file('dagloon/wia.bundle')) AS sha \gset
SELECT dagloon.laad('lus', pg_read_binary_file('dagloon/lus.bundle')) AS lus \gset
SELECT provolatile AS volatiliteit, proparallel AS parallel, proisstrict AS strict
  FROM pg_proc WHERE oid = 'dagloon.bereken_vast'::regproc;
CREATE TABLE vast_dossiers AS
  SELECT nr, regel::jsonb AS dossier
    FROM regexp_split_to_table(rtrim(pg_read_file('dagloon/populatie.jsonl'), E'\n'), E'\n') WITH ORDINALITY AS t(regel, nr);

-- the same rows as bereken with the rule set of that hash, error rows too; the hash in capitals is the same
SELECT count(*) AS dossiers, count(*) FILTER (WHERE dagloon.bereken_vast(:'sha', dossier) = dagloon.bereken('wia', dossier)) AS gelijk,
       count(*) FILTER (WHERE dagloon.bereken_vast(upper(:'sha'), dossier) = dagloon.bereken('wia', dossier)) AS hoofdletters
  FROM vast_dossiers;
SELECT dagloon.bereken_vast(:'sha', dossier)->>'dagloon' AS dagloon FROM vast_dossiers WHERE nr = 1;
SELECT dagloon.bereken_vast(:'sha', dossier || '{"id": "F1", "einde_opzegtermijn": "2019-05-01"}') FROM vast_dossiers WHERE nr = 1;
SELECT dagloon.bereken_vast(:'sha', dossier - 'eerste_ao_dag') FROM vast_dossiers WHERE nr = 1;
SELECT dagloon.bereken_vast(:'sha', NULL) IS NULL AS strict_null, dagloon.bereken_vast(NULL, '{}') IS NULL AS strict_null;

-- refused: a hash of the wrong length, not hex, no stored bundle with it
SELECT dagloon.bereken_vast('abc', '{}');
SELECT dagloon.bereken_vast(repeat('a', 63), '{}');
SELECT dagloon.bereken_vast(repeat('a', 65), '{}');
SELECT dagloon.bereken_vast(repeat('g', 64), '{}');
SELECT dagloon.bereken_vast(repeat('0', 64), '{}');

-- the settings do not change its value: fixed limits (dagloon run's defaults) ...
SET dagloon.max_steps = 1;
SELECT dagloon.bereken('lus', '{"id": "kort", "begin": "2024-01-15", "einde": "2024-02-10"}')->'fout'->>'code' AS bereken;
SELECT dagloon.bereken_vast(:'lus', '{"id": "kort", "begin": "2024-01-15", "einde": "2024-02-10"}') AS bereken_vast;
RESET dagloon.max_steps;
SET dagloon.max_memory = '64kB';
SELECT dagloon.bereken('wia', jsonb_set(dossier, '{id}', to_jsonb(repeat('x', 70000))))->'fout'->>'code' AS bereken,
       dagloon.bereken_vast(:'sha', jsonb_set(dossier, '{id}', to_jsonb(repeat('x', 70000))))->>'dagloon' AS bereken_vast
  FROM vast_dossiers WHERE nr = 1;
RESET dagloon.max_memory;
-- ... past which it raises, never a limit fout a larger limit would have made outputs
SET dagloon.max_steps = 2000000000;
SELECT dagloon.bereken_vast(:'lus', '{"id": "lang", "begin": "1900-01-01", "einde": "2200-12-31"}');
RESET dagloon.max_steps;

-- an expression index, used by a query (the sha256 shown as <sha256>: the bundle's bytes vary with the compiler)
CREATE FUNCTION plan(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
    RETURN NEXT regexp_replace(r, '[0-9a-f]{64}', '<sha256>', 'g');
  END LOOP;
END $$;
CREATE INDEX vast_dagloon ON vast_dossiers ((dagloon.bereken_vast(:'sha', dossier) ->> 'dagloon'));
ANALYZE vast_dossiers;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT plan(format('SELECT nr FROM vast_dossiers WHERE dagloon.bereken_vast(%L, dossier) ->> ''dagloon'' = ''223.40''', :'sha'));
SELECT array_agg(nr ORDER BY nr) AS via_index FROM vast_dossiers WHERE dagloon.bereken_vast(:'sha', dossier) ->> 'dagloon' = '223.40';
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT array_agg(nr ORDER BY nr) AS zonder_index FROM vast_dossiers WHERE dagloon.bereken('wia', dossier) ->> 'dagloon' = '223.40';

-- a generated column: every value is bereken's
ALTER TABLE vast_dossiers ADD COLUMN dagloon numeric(20,2)
  GENERATED ALWAYS AS ((dagloon.bereken_vast(:'sha', dossier) ->> 'dagloon')::numeric(20,2)) STORED;
SELECT count(*) AS dossiers, count(*) FILTER (WHERE dagloon = (dagloon.bereken('wia', dossier) ->> 'dagloon')::numeric) AS gelijk
  FROM vast_dossiers;

-- the search_path plays no part: an empty one
SET search_path = '';
SELECT dagloon.bereken_vast(:'sha', dossier)->>'dagloon' AS dagloon FROM public.vast_dossiers WHERE nr = 1;
RESET search_path;

-- by hash, whatever the name: the bundle under another name serves when the first is gone ...
SELECT dagloon.laad('wia-kopie', pg_read_binary_file('dagloon/wia.bundle')) = :'sha' AS zelfde_hash;
DELETE FROM dagloon.regelset WHERE naam = 'wia';
\c -
REINDEX INDEX vast_dagloon;
-- ... and with no stored bundle of that hash, a new dossier and a rebuild of the index fail (a new
-- backend: one that has the bundle cached keeps computing it, the same values)
DELETE FROM dagloon.regelset WHERE naam = 'wia-kopie';
\c -
\set VERBOSITY terse
INSERT INTO vast_dossiers (nr, dossier) SELECT 1000, dossier FROM vast_dossiers WHERE nr = 1;
REINDEX INDEX vast_dagloon;
\set VERBOSITY default
SELECT dagloon.laad('wia', pg_read_binary_file('dagloon/wia.bundle')) = :'sha' AS weer_geladen;
REINDEX INDEX vast_dagloon;
INSERT INTO vast_dossiers (nr, dossier) SELECT 1000, dossier FROM vast_dossiers WHERE nr = 1;
SELECT nr, dagloon FROM vast_dossiers WHERE nr IN (1, 1000) ORDER BY nr;

DROP TABLE vast_dossiers;
DROP FUNCTION plan(text);
DROP EXTENSION dagloon;
SET client_min_messages = warning;
DROP SCHEMA dagloon CASCADE;
