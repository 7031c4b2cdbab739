/*
** dagloon_pg.h: what the files of the PostgreSQL extension share (tools/pg/README.md).
** The extension sees the engine through dagloon.h only, and PostgreSQL through its own headers.
*/
#ifndef DAGLOON_PG_H
#define DAGLOON_PG_H

#include "postgres.h"
#include "dagloon.h"

/* settings.c: the GUCs dagloon.max_steps, dagloon.max_memory (kB), dagloon.allow_native. */
extern int dagloon_pg_max_steps;
extern int dagloon_pg_max_memory_kb;
extern char *dagloon_pg_allow_native;
/* The options for loading a bundle: the libraries dagloon.allow_native names (ERROR when it is malformed). */
dagloon_options *dagloon_pg_options(void);

/* cache.c: the rule set stored under `naam`, loaded once per backend per bundle (keyed by its sha256). */
typedef struct DagloonPgRules {
  char sha256[65];
  dagloon_rules *rules;
  dagloon_evaluator *ev;   /* a backend runs one query at a time: one evaluator per rule set */
  char *allow_native;      /* dagloon.allow_native when it was loaded (TopMemoryContext) */
} DagloonPgRules;
/* ERROR when there is no such rule set or its bundle is refused. */
DagloonPgRules *dagloon_pg_rules(text *naam);
/* The stored rule set whose bundle has this sha256 (64 lowercase hex digits); ERROR when none has. */
DagloonPgRules *dagloon_pg_rules_by_sha256(const char *sha256);

/* functions.c: one dossier's row (the library's string), or NULL with *err; within the settings'
** limits, and a pending cancel or timeout raised (the evaluation stopped for it). */
const char *dagloon_pg_evaluate(DagloonPgRules *rs, const char *json, size_t len, dagloon_error **err);

/* errors.c: a library error as an ERROR (after freeing it; never returns). */
void dagloon_pg_raise(dagloon_error *err, const char *what) pg_attribute_noreturn();
/* ... or as the jsonb {"fout": {"code": ..., "message": ..., "record", "field", "rule", "location"}}
** (wrapped) or the inner object alone (frees it). */
Datum dagloon_pg_error_jsonb(dagloon_error *err, bool wrapped);
/* query_dossiers.c: runs query -- (dossier) or (sleutel, dossier) rows -- and calls row(ctx, key
** or NULL, dossier text or NULL) for each, in a memory context reset after it; fname names the SQL
** function in errors. Inside a set-returning function: results go to its tuplestore. */
typedef void (*DagloonPgDossierFn)(void *ctx, const char *key, const char *dossier);
void dagloon_pg_each_dossier(const char *fname, const char *query, DagloonPgDossierFn row, void *ctx);
/* The library's out-of-memory handler (dagloon_set_out_of_memory): a FATAL, which ends this session
** only -- the library's exit with status 5 would make the postmaster restart every session. */
void dagloon_pg_out_of_memory(size_t bytes, void *arg) pg_attribute_noreturn();
/* memory.c: the engine's allocations in the memory context "dagloon" under TopMemoryContext (_PG_init). */
void dagloon_pg_memory_init(void);

#endif
