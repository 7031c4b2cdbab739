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
