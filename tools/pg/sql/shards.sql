-- The two-shard scale-out (docs/POSTGRESQL.md, "Scale-out"), run on the coordinator by
-- tests/pg/shards.sh after tests/pg/shards_setup.sh made the three clusters: servers shard1 and
-- shard2, and dossiers and uitkomsten partitioned by hash of nr over foreign tables on each
-- shard's table dossiers and view uitkomsten (dagloon.bereken('wia', dossier)). Under dagloon/ in
-- the data directory: wia.bundle (--trace), wia-plain.bundle, alle.jsonl (rules/wia's 81
-- dossiers, 3,000 generated ones, and 3 that fail, as numbers 3082 to 3084), and what
-- `dagloon run rules/wia alle.jsonl --format jsonl --errors fouten.csv` wrote: run.jsonl, fouten.csv.
-- (errors without their CONTEXT: the line numbers inside laad_overal are no part of what is checked)
\set SHOW_CONTEXT never

-- which bundle of rule set wia each place holds, by its sha256, and whether the row type is there
CREATE TABLE bundels AS
  SELECT b AS bundle, encode(sha256(pg_read_binary_file('dagloon/' || b)), 'hex') AS sha256
    FROM unnest('{wia.bundle,wia-plain.bundle}'::text[]) AS b;
CREATE VIEW geladen AS
  SELECT p.plaats, b.bundle, p.rijtype
    FROM (SELECT 'hier' AS plaats, r.sha256, to_regtype('dagloon.wia') IS NOT NULL AS rijtype
            FROM dagloon.regelset r WHERE r.naam = 'wia'
          UNION ALL
          SELECT s, t.sha256, t.rijtype FROM unnest('{shard1,shard2}'::text[]) AS s,
            LATERAL dblink(s, 'SELECT sha256, to_regtype(''dagloon.wia'') IS NOT NULL FROM dagloon.regelset WHERE naam = ''wia''')
              AS t(sha256 text, rijtype boolean)) p
    LEFT JOIN bundels b USING (sha256)
   ORDER BY p.plaats;

-- 1. one call loads the rule set here and on both shards, each verifying it (its own trigger)
SELECT coalesce(l.server, 'hier') AS plaats, b.bundle
  FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia.bundle')) AS l LEFT JOIN bundels b USING (sha256)
 ORDER BY l.server NULLS FIRST;
SELECT * FROM geladen;

-- a bundle shard2 refuses (its row type is in use there, so its laad fails) is loaded nowhere:
-- shard1 loaded it first, in a transaction never committed
SELECT dblink_exec('shard2', 'CREATE VIEW houdt_vast AS SELECT NULL::dagloon.wia AS r');
SELECT * FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia-plain.bundle'));
SELECT * FROM geladen;
SELECT dblink_exec('shard2', 'DROP VIEW houdt_vast');
-- a tampered bundle is refused here, before any shard is reached; an unknown server is named
SELECT * FROM dagloon.laad_overal('wia', (SELECT set_byte(b, 200, get_byte(b, 200) # 1)
                                            FROM pg_read_binary_file('dagloon/wia-plain.bundle') AS b));
SELECT * FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia-plain.bundle'), '{shard1,shard9}');
SELECT * FROM geladen;
-- without dblink (a shard has none) laad_overal says what it needs
SELECT * FROM dblink('shard1', $$SELECT count(*) FROM dagloon.laad_overal('wia', '\x00')$$) AS t(n bigint);
-- the servers named only: the plain bundle on shard1; then the traced one everywhere again
SELECT coalesce(l.server, 'hier') AS plaats, b.bundle
  FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia-plain.bundle'), '{shard1}') AS l
  LEFT JOIN bundels b USING (sha256) ORDER BY l.server NULLS FIRST;
SELECT * FROM geladen;
SELECT count(*) AS plaatsen FROM dagloon.laad_overal('wia', pg_read_binary_file('dagloon/wia.bundle'));
SELECT * FROM geladen;

-- 2. the dossiers, inserted here, each routed to its shard
INSERT INTO dossiers
  SELECT nr, regel::jsonb FROM regexp_split_to_table(rtrim(pg_read_file('dagloon/alle.jsonl'), E'\n'), E'\n')
    WITH ORDINALITY AS t(regel, nr);
SELECT count(*) AS dossiers, count(DISTINCT nr) AS verschillend FROM dossiers;
SELECT s AS shard, t.n > 1000 AS meer_dan_1000 FROM unnest('{shard1,shard2}'::text[]) AS s,
       LATERAL dblink(s, 'SELECT count(*) FROM dossiers') AS t(n bigint) ORDER BY s;
SELECT sum(t.n) AS op_de_shards FROM unnest('{shard1,shard2}'::text[]) AS s,
       LATERAL dblink(s, 'SELECT count(*) FROM dossiers') AS t(n bigint);

-- 3. the plan: an Async Foreign Scan per shard, whose Remote SQL reads the shard's view
SELECT s AS shard, t.relkind FROM unnest('{shard1,shard2}'::text[]) AS s,
       LATERAL dblink(s, 'SELECT relkind FROM pg_class WHERE oid = ''public.uitkomsten''::regclass') AS t(relkind "char")
 ORDER BY s;
EXPLAIN (VERBOSE, COSTS OFF) SELECT nr, uit FROM uitkomsten;
-- one dossier: one shard, the condition sent there
EXPLAIN (VERBOSE, COSTS OFF) SELECT uit FROM uitkomsten WHERE nr = 42;

-- 4. the rows through the coordinator equal dagloon run's: row i of run.jsonl is dossier i (the
-- three that fail come last), compared both ways, every row
CREATE TABLE coordinator AS SELECT nr, uit FROM uitkomsten;
CREATE TABLE run_rijen AS
  SELECT nr, regel::jsonb AS uit FROM regexp_split_to_table(rtrim(pg_read_file('dagloon/run.jsonl'), E'\n'), E'\n')
    WITH ORDINALITY AS t(regel, nr);
SELECT count(*) AS rijen, count(*) FILTER (WHERE uit ? 'fout') AS fouten FROM coordinator;
SELECT count(*) AS run_rijen FROM run_rijen;
SELECT count(*) AS alleen_coordinator FROM (SELECT nr, uit FROM coordinator WHERE NOT uit ? 'fout'
                                            EXCEPT ALL SELECT nr, uit FROM run_rijen) AS x;
SELECT count(*) AS alleen_run FROM (SELECT nr, uit FROM run_rijen
                                    EXCEPT ALL SELECT nr, uit FROM coordinator WHERE NOT uit ? 'fout') AS x;
SELECT (SELECT uit FROM uitkomsten WHERE nr = 42) = (SELECT uit FROM run_rijen WHERE nr = 42) AS dossier_42;

-- the error rows too: run's --errors CSV (record, line, id, field, rule, location, reason) against
-- the coordinator's fout objects -- the record's number, its id, field, rule, and for a rule's
-- failure its location (run names the input line for an input error, bereken no file); bereken's
-- message is run's reason, for an input error after the field's name
CREATE TABLE run_fouten (record bigint, line bigint, id text, field text, rule text, location text, reason text);
COPY run_fouten FROM 'dagloon/fouten.csv' (FORMAT csv, HEADER);
CREATE VIEW fouten_run AS
  SELECT record, id, coalesce(field, '') AS field, coalesce(rule, '') AS rule,
         CASE WHEN coalesce(rule, '') = '' THEN '' ELSE location END AS location,
         CASE WHEN coalesce(field, '') = '' THEN reason ELSE field || ': ' || reason END AS message
    FROM run_fouten;
CREATE VIEW fouten_coordinator AS
  SELECT nr AS record, f->>'record' AS id, coalesce(f->>'field', '') AS field, coalesce(f->>'rule', '') AS rule,
         coalesce(f->>'location', '') AS location, f->>'message' AS message
    FROM coordinator, LATERAL (SELECT uit->'fout') AS t(f) WHERE uit ? 'fout';
SELECT count(*) AS run_fouten FROM fouten_run;
SELECT count(*) AS alleen_coordinator FROM (SELECT * FROM fouten_coordinator EXCEPT ALL SELECT * FROM fouten_run) AS x;
SELECT count(*) AS alleen_run FROM (SELECT * FROM fouten_run EXCEPT ALL SELECT * FROM fouten_coordinator) AS x;
SELECT record, id, field, rule, location FROM fouten_coordinator ORDER BY record;
