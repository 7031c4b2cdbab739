-- dagloon.vergelijk (the policy comparison's rows) and bereken_alle by name with a column list.
-- Every value below is checked against `dagloon run` of rules/wia and of the proposal
-- rules/voorstellen/twaalf_maanden_loon on rules/wia/populatie.jsonl; tests/pg/vergelijk.sh
-- compares whole populations with `dagloon compare` byte for byte.
CREATE EXTENSION dagloon;
SELECT length(dagloon.laad('wia', pg_read_binary_file('dagloon/wia-plain.bundle'))) AS sha256_lengte;
SELECT length(dagloon.laad('twaalf', pg_read_binary_file('dagloon/twaalf.bundle'))) AS sha256_lengte;
SELECT length(dagloon.laad('lus', pg_read_binary_file('dagloon/lus.bundle'))) AS sha256_lengte;
CREATE TABLE voorbeelden AS
  SELECT nr, regel::jsonb AS dossier
    FROM regexp_split_to_table(rtrim(pg_read_file('dagloon/populatie.jsonl'), E'\n'), E'\n') WITH ORDINALITY AS t(regel, nr);

-- compare's columns: geld, geheel and getal outputs both have, basis/voorstel/verschil each
SELECT regexp_split_to_table(dagloon.vergelijk_kolommen('wia', 'twaalf'), ', ') AS kolom;
-- gelijk, slechter (144.37 -> 131.32), slechter (deler 208 -> 219), beter (140.98 -> 149.61)
SELECT sleutel, id, uitkomst, dagloon_basis, dagloon_voorstel, dagloon_verschil, deler_basis, deler_voorstel,
       deler_verschil, factor_a_verschil, fout
  FROM dagloon.vergelijk('wia', 'twaalf', 'SELECT nr, dossier FROM voorbeelden WHERE nr IN (1, 11, 34, 35) ORDER BY nr')
    AS t(sleutel bigint, id text, uitkomst text, dagloon_basis numeric(20,2), dagloon_voorstel numeric(20,2),
         dagloon_verschil numeric(20,2), deler_basis bigint, deler_voorstel bigint, deler_verschil bigint,
         factor_a_verschil text, fout text);
-- any subset, in any order, typed as the caller says
SELECT pg_typeof(dagloon_verschil) AS geld, pg_typeof(deler_basis) AS geheel, uitkomst
  FROM dagloon.vergelijk('wia', 'twaalf', 'SELECT dossier FROM voorbeelden WHERE nr = 11')
    AS t(dagloon_verschil numeric(20,2), uitkomst text, deler_basis bigint);
SELECT uitkomst, count(*) FROM dagloon.vergelijk('wia', 'twaalf', 'SELECT dossier FROM voorbeelden')
  AS t(uitkomst text) GROUP BY uitkomst ORDER BY uitkomst;
-- error rows: compare's reasons, the values NULL; a NULL dossier
SELECT sleutel, id, uitkomst, dagloon_basis, fout FROM dagloon.vergelijk('wia', 'twaalf', $$
  SELECT 'F1', dossier || '{"id": "F1", "einde_opzegtermijn": "2019-05-01"}' FROM voorbeelden WHERE nr = 1
  UNION ALL SELECT 'B1', '{"id": "B1"}'
  UNION ALL SELECT 'leeg', NULL$$) AS t(sleutel text, id text, uitkomst text, dagloon_basis numeric(20,2), fout text);
-- what vergelijk refuses
SELECT * FROM dagloon.vergelijk('wia', 'twaalf', 'SELECT dossier FROM voorbeelden');
SELECT * FROM dagloon.vergelijk('wia', 'twaalf', 'SELECT dossier FROM voorbeelden') AS t(dagloon text, fout text);
SELECT * FROM dagloon.vergelijk('wia', 'lus', 'SELECT dossier FROM voorbeelden') AS t(fout text);
SELECT * FROM dagloon.vergelijk('wia', 'twaalf', NULL) AS t(fout text);
SELECT * FROM dagloon.vergelijk('wia', 'geen', 'SELECT dossier FROM voorbeelden') AS t(fout text);

-- bereken_alle by the rule set's name: the columns from the caller's list, by name
SELECT * FROM dagloon.bereken_alle('wia', 'SELECT nr, dossier FROM voorbeelden WHERE nr <= 3 ORDER BY nr')
  AS t(sleutel bigint, dagloon numeric(20,2), deler bigint, fout jsonb);
SELECT dagloon, fout->>'code' AS code FROM dagloon.bereken_alle('wia', $$SELECT '{"id": "B1"}'::jsonb$$)
  AS t(dagloon numeric(20,2), fout jsonb);
SELECT * FROM dagloon.bereken_alle('wia', 'SELECT dossier FROM voorbeelden') AS t(daglon numeric(20,2));
SELECT * FROM dagloon.bereken_alle('wia', 'SELECT dossier FROM voorbeelden');
-- the row-type form is still there
SELECT sleutel, dagloon FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT nr, dossier FROM voorbeelden WHERE nr = 1');

DROP EXTENSION dagloon;
DROP SCHEMA dagloon CASCADE;
