-- The extension's objects, in schema dagloon (tools/pg/README.md).
\echo Use "CREATE EXTENSION dagloon" to load this file. \quit

-- The rule sets: a bundle made by `dagloon compile` (with --trace for dagloon.uitleg), its
-- sha256 (the key of the backends' caches) and when it was loaded. Rows are checked and
-- stamped by the trigger below, however they are written.
CREATE TABLE dagloon.regelset (
  naam text PRIMARY KEY,
  bundle bytea NOT NULL,
  sha256 text NOT NULL,
  geladen_op timestamptz NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('dagloon.regelset', '');
GRANT USAGE ON SCHEMA dagloon TO PUBLIC;
REVOKE ALL ON dagloon.regelset FROM PUBLIC;
GRANT SELECT ON dagloon.regelset TO PUBLIC;

-- ERROR unless the library verifies and loads the bundle (and allows its native libraries: dagloon.allow_native).
CREATE FUNCTION dagloon.controleer(bundle bytea) RETURNS void
  AS 'MODULE_PATHNAME', 'dagloon_controleer' LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION dagloon.regelset_controle() RETURNS trigger LANGUAGE plpgsql
  SET search_path = pg_catalog AS $$
BEGIN
  PERFORM dagloon.controleer(NEW.bundle);
  NEW.sha256 := encode(sha256(NEW.bundle), 'hex');
  NEW.geladen_op := clock_timestamp();
  RETURN NEW;
END $$;
CREATE TRIGGER regelset_controle BEFORE INSERT OR UPDATE ON dagloon.regelset
  FOR EACH ROW EXECUTE FUNCTION dagloon.regelset_controle();

-- The column list of the composite type dagloon.<regelset>: sleutel text, the uitvoer in SQL types, fout jsonb.
CREATE FUNCTION dagloon.uitvoer_kolommen(regelset text) RETURNS text
  AS 'MODULE_PATHNAME', 'dagloon_uitvoer_kolommen' LANGUAGE C STRICT STABLE PARALLEL SAFE;

-- Loads (or replaces) rule set `naam` and (re)makes its row type dagloon.<naam> for
-- dagloon.bereken_alle; returns the bundle's sha256.
CREATE FUNCTION dagloon.laad(naam text, bundle bytea) RETURNS text LANGUAGE plpgsql VOLATILE STRICT
  SET search_path = pg_catalog AS $$
DECLARE
  h text;
  kolommen text;
BEGIN
  INSERT INTO dagloon.regelset AS r (naam, bundle, sha256, geladen_op) VALUES ($1, $2, '', clock_timestamp())
  ON CONFLICT ON CONSTRAINT regelset_pkey DO UPDATE SET bundle = excluded.bundle
  RETURNING r.sha256 INTO h;
  kolommen := dagloon.uitvoer_kolommen($1);
  IF to_regtype(format('dagloon.%I', $1)) IS NOT NULL THEN
    EXECUTE format('DROP TYPE dagloon.%I', $1);
  END IF;
  EXECUTE format('CREATE TYPE dagloon.%I AS (%s)', $1, kolommen);
  RETURN h;
END $$;

-- Scale-out (docs/POSTGRESQL.md): loads rule set `naam` here (which verifies it before any server
-- is reached), then on each foreign server -- those named, or every postgres_fdw server -- by
-- calling their dagloon.laad over dblink (with the server's options and the caller's user mapping,
-- so the shard's trigger verifies it and its row type is made too). All shards load in open
-- transactions, committed only when every one has loaded: one refusal leaves every shard as it was.
-- Returns a row per place: server NULL for here. Needs CREATE EXTENSION dblink (any schema).
CREATE FUNCTION dagloon.laad_overal(naam text, bundle bytea, servers name[] DEFAULT NULL)
  RETURNS TABLE (server name, sha256 text) LANGUAGE plpgsql VOLATILE
  SET search_path = pg_catalog AS $$
DECLARE
  dbl text;                    -- dblink's schema
  s name;
  open_ text[] := '{}';        -- dblink connections opened (named after their server)
  done_ text[] := '{}';        -- servers committed
  h text;
  remote text;
  msg text;
  det text;
  code text;
  bij text;                    -- the server being worked on
BEGIN
  IF naam IS NULL OR bundle IS NULL THEN
    RAISE EXCEPTION 'dagloon.laad_overal: naam and bundle must not be NULL';
  END IF;
  SELECT n.nspname INTO dbl FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'dblink';
  IF dbl IS NULL THEN
    RAISE EXCEPTION 'dagloon.laad_overal reaches the servers over dblink, which is not installed'
      USING HINT = 'CREATE EXTENSION dblink;';
  END IF;
  h := dagloon.laad(naam, bundle);
  server := NULL; sha256 := h; RETURN NEXT;
  IF servers IS NULL THEN
    SELECT coalesce(array_agg(fs.srvname ORDER BY fs.srvname), '{}') INTO servers
      FROM pg_foreign_server fs JOIN pg_foreign_data_wrapper w ON w.oid = fs.srvfdw
     WHERE w.fdwname = 'postgres_fdw';
  END IF;
  BEGIN
    FOREACH s IN ARRAY servers LOOP
      bij := 'server ' || s;
      IF NOT EXISTS (SELECT 1 FROM pg_foreign_server fs WHERE fs.srvname = s) THEN
        RAISE EXCEPTION 'no foreign server "%"', s;
      END IF;
      EXECUTE format('SELECT %I.dblink_connect(%L, %L)', dbl, 'dagloon_laad_overal:' || s, s);
      open_ := open_ || s::text;
      EXECUTE format('SELECT %I.dblink_exec(%L, %L)', dbl, 'dagloon_laad_overal:' || s, 'BEGIN');
      EXECUTE format('SELECT t.h FROM %I.dblink(%L, %L) AS t(h text)', dbl, 'dagloon_laad_overal:' || s,
                     format('SELECT dagloon.laad(%L, %L::bytea)', naam, bundle)) INTO remote;
      IF remote IS DISTINCT FROM h THEN
        RAISE EXCEPTION 'server "%" stored sha256 %, not %', s, remote, h;
      END IF;
      server := s; sha256 := remote; RETURN NEXT;
    END LOOP;
    FOREACH s IN ARRAY open_ LOOP
      bij := 'server ' || s || ', at COMMIT';
      EXECUTE format('SELECT %I.dblink_exec(%L, %L)', dbl, 'dagloon_laad_overal:' || s, 'COMMIT');
      done_ := done_ || s::text;
    END LOOP;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, code = RETURNED_SQLSTATE;
    FOREACH s IN ARRAY open_ LOOP   -- closing a connection rolls back what it has not committed
      EXECUTE format('SELECT %I.dblink_disconnect(%L)', dbl, 'dagloon_laad_overal:' || s);
    END LOOP;
    msg := format('dagloon.laad_overal: %s: %s (rule set "%s" %s)', coalesce(bij, 'here'), msg, naam,
                  CASE WHEN cardinality(done_) = 0 THEN 'loaded nowhere'
                       ELSE 'committed on ' || array_to_string(done_, ', ') || ' only: call again' END);
    IF coalesce(det, '') = '' THEN
      RAISE EXCEPTION '%', msg USING ERRCODE = code;
    END IF;
    RAISE EXCEPTION '%', msg USING ERRCODE = code, DETAIL = det;
  END;
  FOREACH s IN ARRAY open_ LOOP
    EXECUTE format('SELECT %I.dblink_disconnect(%L)', dbl, 'dagloon_laad_overal:' || s);
  END LOOP;
END $$;

-- A whole query's dossiers at once, typed: SELECT * FROM dagloon.bereken_alle(NULL::dagloon.wia,
-- 'SELECT id, dossier FROM dossiers'). The query gives (dossier) or (sleutel, dossier).
CREATE FUNCTION dagloon.bereken_alle(regelset anyelement, query text) RETURNS SETOF anyelement
  AS 'MODULE_PATHNAME', 'dagloon_bereken_alle' LANGUAGE C CALLED ON NULL INPUT VOLATILE COST 1000 ROWS 1000;

-- One dossier's outputs: the row of `dagloon run --format jsonl` (money as strings), or
-- {"fout": {"code", "message", "record", "field", "rule", "location"}}; strikt: an ERROR instead.
CREATE FUNCTION dagloon.bereken(regelset text, dossier jsonb, strikt boolean DEFAULT false) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'dagloon_bereken' LANGUAGE C STRICT STABLE PARALLEL SAFE COST 1000;

-- One dossier's explanation: `dagloon explain --format json`'s (a bundle made with --trace).
CREATE FUNCTION dagloon.uitleg(regelset text, dossier jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'dagloon_uitleg' LANGUAGE C STRICT STABLE PARALLEL SAFE COST 1000;

-- The policy comparison's per-dossier rows, as `dagloon compare basis voorstel` writes them, in the
-- caller's column definition list (any of dagloon.vergelijk_kolommen's columns, by name):
--   SELECT * FROM dagloon.vergelijk('wia', 'voorstel', 'SELECT id, dossier FROM dossiers')
--     AS t(id text, uitkomst text, dagloon_verschil numeric(20,2), fout text);
CREATE FUNCTION dagloon.vergelijk_kolommen(basis text, voorstel text) RETURNS text
  AS 'MODULE_PATHNAME', 'dagloon_vergelijk_kolommen' LANGUAGE C STRICT STABLE PARALLEL SAFE;
CREATE FUNCTION dagloon.vergelijk(basis text, voorstel text, query text) RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'dagloon_vergelijk' LANGUAGE C CALLED ON NULL INPUT VOLATILE COST 2000 ROWS 1000;

-- bereken_alle by the rule set's name, as the issue writes it, with the caller's column definition
-- list (any of dagloon.uitvoer_kolommen's columns, by name; tools/pg/README.md says why the list):
--   SELECT * FROM dagloon.bereken_alle('wia', 'SELECT id, dossier FROM dossiers')
--     AS t(sleutel text, dagloon numeric(20,2), fout jsonb);
CREATE FUNCTION dagloon.bereken_alle(regelset text, query text) RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'dagloon_bereken_alle_record' LANGUAGE C CALLED ON NULL INPUT VOLATILE COST 1000 ROWS 1000;

-- bereken for the bundle with this sha256 (whatever its name), IMMUTABLE: for expression indexes and
-- generated columns, CREATE INDEX ON dossiers ((dagloon.bereken_vast('<sha256>', dossier) ->> 'dagloon')).
-- The hash fixes the bytes, so the value is a function of the arguments alone: fixed limits (dagloon
-- run's defaults, not the settings), past which it raises an ERROR instead of returning a limit fout;
-- no stored bundle with the hash is an ERROR (tools/pg/README.md, "bereken_vast").
CREATE FUNCTION dagloon.bereken_vast(sha256 text, dossier jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'dagloon_bereken_vast' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE COST 1000;
