/*
** cache.c: the rule sets of this backend. A rule set is read from dagloon.regelset by name; its
** bundle is verified and loaded by the library once per backend and kept, keyed by the bundle's
** sha256 (and the dagloon.allow_native it was loaded under). Every call re-reads the row's
** sha256 -- one indexed lookup through a kept plan, cheap beside an evaluation -- so a rule set
** loaded again (dagloon.laad) is used by the next call in every backend, and a transaction sees
** the rule set its snapshot sees. The library allocates in the "dagloon" memory context
** (memory.c): a cached rule set lives until the backend ends or the cache is emptied (more than
** CACHE_MAX bundles). dagloon.bereken_vast asks by sha256 itself: a hit needs no lookup at all,
** since the hash fixes the bytes.
*/
#include "dagloon_pg.h"

#include <string.h>
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#define CACHE_MAX 16

static HTAB *cache;
static SPIPlanPtr sha_plan, bundle_plan, sha_bundle_plan;

static SPIPlanPtr kept_plan(const char *sql, int nargs, Oid *types) {
  SPIPlanPtr p = SPI_prepare(sql, nargs, types);
  if (!p) elog(ERROR, "dagloon: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
  SPI_keepplan(p);
  return p;
}

static void forget_all(void) {
  HASH_SEQ_STATUS seq;
  DagloonPgRules *e;
  hash_seq_init(&seq, cache);
  while ((e = hash_seq_search(&seq)) != NULL) {
    dagloon_evaluator_free(e->ev);
    dagloon_rules_free(e->rules);
    pfree(e->allow_native);
    hash_search(cache, e->sha256, HASH_REMOVE, NULL);
  }
}

/* A stored bundle, verified and loaded; ERROR (naming `what`) when refused. */
static dagloon_rules *load_bytes(bytea *b, const char *what) {
  dagloon_options *o = dagloon_pg_options();
  dagloon_error *err = NULL;
  dagloon_rules *r = dagloon_rules_load_bundle(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), o, &err);
  dagloon_options_free(o);
  if (!r) dagloon_pg_raise(err, what);
  return r;
}

/* The bundle of rule set `naam` with this sha256, verified and loaded; ERROR when refused. */
static dagloon_rules *load(text *naam, const char *sha256) {
  Datum args[2] = {PointerGetDatum(naam), CStringGetTextDatum(sha256)};
  if (SPI_execute_plan(bundle_plan, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("dagloon: rule set \"%s\" changed while it was read", text_to_cstring(naam))));
  bool isnull;
  Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  return load_bytes(DatumGetByteaPP(d), psprintf("dagloon: rule set \"%s\"", text_to_cstring(naam)));
}

static void make_cache(void) {
  if (cache) return;
  HASHCTL ctl = {.keysize = 65, .entrysize = sizeof(DagloonPgRules), .hcxt = TopMemoryContext};
  cache = hash_create("dagloon rule sets", CACHE_MAX, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

/* The cached rule set with this sha256 if it was loaded under the dagloon.allow_native in force;
** else NULL (and forgotten: the superuser changed what natives are allowed, so it loads again). */
static DagloonPgRules *find(const char *key) {
  const char *allow = dagloon_pg_allow_native ? dagloon_pg_allow_native : "";
  bool found;
  DagloonPgRules *e = hash_search(cache, key, HASH_FIND, &found);
  if (e && strcmp(e->allow_native, allow) != 0) {
    dagloon_evaluator_free(e->ev);
    dagloon_rules_free(e->rules);
    pfree(e->allow_native);
    hash_search(cache, key, HASH_REMOVE, NULL);
    e = NULL;
  }
  return e;
}

/* r kept under key (a full cache emptied first). */
static DagloonPgRules *keep(const char *key, dagloon_rules *r) {
  if (hash_get_num_entries(cache) >= CACHE_MAX) forget_all();
  bool found;
  DagloonPgRules *e = hash_search(cache, key, HASH_ENTER, &found);
  e->rules = r;
  e->ev = dagloon_evaluator_new(r);
  e->allow_native = MemoryContextStrdup(TopMemoryContext, dagloon_pg_allow_native ? dagloon_pg_allow_native : "");
  return e;
}

DagloonPgRules *dagloon_pg_rules(text *naam) {
  make_cache();
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dagloon: SPI_connect failed");
  if (!sha_plan) {
    Oid one[1] = {TEXTOID}, two[2] = {TEXTOID, TEXTOID};
    sha_plan = kept_plan("SELECT sha256 FROM dagloon.regelset WHERE naam OPERATOR(pg_catalog.=) $1", 1, one);
    bundle_plan = kept_plan("SELECT bundle FROM dagloon.regelset WHERE naam OPERATOR(pg_catalog.=) $1 "
                            "AND sha256 OPERATOR(pg_catalog.=) $2", 2, two);
  }
  Datum args[1] = {PointerGetDatum(naam)};
  if (SPI_execute_plan(sha_plan, args, NULL, true, 1) != SPI_OK_SELECT)
    elog(ERROR, "dagloon: reading dagloon.regelset failed");
  if (SPI_processed == 0)
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                    errmsg("dagloon: there is no rule set \"%s\"", text_to_cstring(naam)),
                    errhint("Load it with dagloon.laad(naam, bundle).")));
  char key[65] = "";
  char *sha = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
  if (sha) strlcpy(key, sha, sizeof key);
  DagloonPgRules *e = find(key);
  if (!e) e = keep(key, load(naam, key));
  SPI_finish();
  return e;
}

DagloonPgRules *dagloon_pg_rules_by_sha256(const char *sha256) {
  make_cache();
  DagloonPgRules *e = find(sha256);
  if (e) return e;   /* the hash fixes the bundle: the table need not be read again */
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dagloon: SPI_connect failed");
  if (!sha_bundle_plan) {
    Oid one[1] = {TEXTOID};
    /* the bytes hashed here: a row written with the trigger disabled cannot pass for another hash */
    sha_bundle_plan = kept_plan("SELECT bundle FROM dagloon.regelset WHERE sha256 OPERATOR(pg_catalog.=) $1 "
                                "AND pg_catalog.encode(pg_catalog.sha256(bundle), 'hex') OPERATOR(pg_catalog.=) $1 "
                                "LIMIT 1", 1, one);
  }
  Datum args[1] = {CStringGetTextDatum(sha256)};
  if (SPI_execute_plan(sha_bundle_plan, args, NULL, true, 1) != SPI_OK_SELECT)
    elog(ERROR, "dagloon: reading dagloon.regelset failed");
  if (SPI_processed == 0)
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("dagloon: no stored rule set has the sha256 given"),
                    errdetail("sha256 %s", sha256), errhint("Load its bundle with dagloon.laad(naam, bundle).")));
  bool isnull;
  Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  e = keep(sha256, load_bytes(DatumGetByteaPP(d), psprintf("dagloon: the rule set with sha256 %s", sha256)));
  SPI_finish();
  return e;
}
