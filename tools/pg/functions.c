/*
** functions.c: the SQL functions written in C -- dagloon.bereken, dagloon.uitleg, and
** dagloon.controleer (the bundle check dagloon.regelset's trigger makes), and dagloon.bereken_vast,
** the IMMUTABLE form keyed by the bundle's sha256. A dossier goes to the library as its jsonb's
** text and comes back as the library's JSON, made jsonb.
**
** Cancelling: the library asks interrupt_pending every 65,536 steps; it only looks at
** PostgreSQL's flag (never longjmps out of the library), the evaluation returns, and
** CHECK_FOR_INTERRUPTS() here raises the cancel or timeout. An interrupt that was not a cancel
** (it was processed and nothing was raised) evaluates the dossier again.
*/
#include "dagloon_pg.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(dagloon_bereken);
PG_FUNCTION_INFO_V1(dagloon_uitleg);
PG_FUNCTION_INFO_V1(dagloon_controleer);
PG_FUNCTION_INFO_V1(dagloon_bereken_vast);

static int interrupt_pending(void *arg) {
  (void)arg;
  return INTERRUPTS_PENDING_CONDITION() && INTERRUPTS_CAN_BE_PROCESSED();
}

typedef enum Ask { ASK_ROW, ASK_EXPLANATION } Ask;

/* The library's answer for one dossier's JSON, or NULL with *err; interrupts handled. */
static const char *ask(DagloonPgRules *rs, Ask what, const char *json, size_t len, uint64_t max_steps,
                       size_t max_memory, dagloon_error **err) {
  dagloon_evaluator_set_limits(rs->ev, max_steps, max_memory);
  dagloon_evaluator_set_interrupt(rs->ev, interrupt_pending, NULL);
  for (;;) {
    const char *out = what == ASK_ROW ? dagloon_evaluate(rs->ev, json, len, err)
                                      : dagloon_explain(rs->ev, json, len, NULL, err);
    if (out) {
      CHECK_FOR_INTERRUPTS();   /* an explanation is given up to an interruption too: the cancel still wins */
      return out;
    }
    if (dagloon_error_code(*err) != DAGLOON_ERR_INTERRUPTED) return NULL;
    dagloon_error_free(*err);
    *err = NULL;
    elog(DEBUG1, "dagloon: the evaluation stopped for a pending interrupt");
    CHECK_FOR_INTERRUPTS();   /* raises a cancel or a statement timeout */
  }
}

/* the limits of the settings dagloon.max_steps and dagloon.max_memory */
static uint64_t steps_set(void) { return (uint64_t)dagloon_pg_max_steps; }
static size_t memory_set(void) { return (size_t)dagloon_pg_max_memory_kb * 1024; }

const char *dagloon_pg_evaluate(DagloonPgRules *rs, const char *json, size_t len, dagloon_error **err) {
  return ask(rs, ASK_ROW, json, len, steps_set(), memory_set(), err);
}

/* A jsonb's text, palloc'ed. */
static char *text_of(Jsonb *j) { return JsonbToCString(NULL, &j->root, VARSIZE(j)); }

static Datum jsonb_of(const char *text) { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text)); }

/* dagloon.bereken(regelset text, dossier jsonb, strikt boolean DEFAULT false) RETURNS jsonb */
Datum dagloon_bereken(PG_FUNCTION_ARGS) {
  DagloonPgRules *rs = dagloon_pg_rules(PG_GETARG_TEXT_PP(0));
  dagloon_error *err = NULL;
  char *json = text_of(PG_GETARG_JSONB_P(1));
  const char *row = ask(rs, ASK_ROW, json, strlen(json), steps_set(), memory_set(), &err);
  if (row) PG_RETURN_DATUM(jsonb_of(row));
  if (PG_GETARG_BOOL(2)) dagloon_pg_raise(err, "dagloon.bereken");
  PG_RETURN_DATUM(dagloon_pg_error_jsonb(err, true));
}

/* dagloon.uitleg(regelset text, dossier jsonb) RETURNS jsonb: explain --format json's explanation */
Datum dagloon_uitleg(PG_FUNCTION_ARGS) {
  text *naam = PG_GETARG_TEXT_PP(0);
  DagloonPgRules *rs = dagloon_pg_rules(naam);
  if (!dagloon_rules_can_explain(rs->rules))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("dagloon.uitleg: rule set \"%s\" has no trace points, so it cannot explain",
                           text_to_cstring(naam)),
                    errhint("Compile it with 'dagloon compile --trace' and load that bundle.")));
  dagloon_error *err = NULL;
  char *json = text_of(PG_GETARG_JSONB_P(1));
  const char *explanation = ask(rs, ASK_EXPLANATION, json, strlen(json), steps_set(), memory_set(), &err);
  if (explanation) PG_RETURN_DATUM(jsonb_of(explanation));
  PG_RETURN_DATUM(dagloon_pg_error_jsonb(err, true));
}

/* dagloon.controleer(bundle bytea) RETURNS void: ERROR unless the library loads the bundle. */
Datum dagloon_controleer(PG_FUNCTION_ARGS) {
  bytea *b = PG_GETARG_BYTEA_PP(0);
  dagloon_options *o = dagloon_pg_options();
  dagloon_error *err = NULL;
  dagloon_rules *r = dagloon_rules_load_bundle(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), o, &err);
  dagloon_options_free(o);
  if (!r) dagloon_pg_raise(err, "dagloon: the bundle is refused");
  dagloon_rules_free(r);
  PG_RETURN_VOID();
}

/* bereken_vast's fixed limits, dagloon run's defaults: the settings must not change an IMMUTABLE value */
#define VAST_MAX_STEPS UINT64_C(100000000)
#define VAST_MAX_MEMORY ((size_t)256 * 1024 * 1024)

/* The argument as 64 lowercase hex digits (either case accepted: the same bundle), else an ERROR. */
static void sha256_of(text *t, char out[65]) {
  char *s = text_to_cstring(t);
  size_t n = strlen(s);
  if (n != 64 || strspn(s, "0123456789abcdefABCDEF") != 64)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("dagloon.bereken_vast: \"%s\" is not a sha256", s),
                    errhint("Write the bundle's sha256 in 64 hex digits, as dagloon.laad returns it and "
                            "dagloon.regelset.sha256 holds it.")));
  for (size_t i = 0; i < 64; i++) out[i] = (char)pg_ascii_tolower((unsigned char)s[i]);
  out[64] = 0;
}

/* dagloon.bereken_vast(sha256 text, dossier jsonb) RETURNS jsonb IMMUTABLE: bereken for the bundle with
** this hash, within fixed limits; past them an ERROR, never a limit fout that a larger limit would
** have turned into outputs (an index must not keep a value that depends on the limits). */
Datum dagloon_bereken_vast(PG_FUNCTION_ARGS) {
  char sha[65];
  sha256_of(PG_GETARG_TEXT_PP(0), sha);
  DagloonPgRules *rs = dagloon_pg_rules_by_sha256(sha);
  dagloon_error *err = NULL;
  char *json = text_of(PG_GETARG_JSONB_P(1));
  const char *row = ask(rs, ASK_ROW, json, strlen(json), VAST_MAX_STEPS, VAST_MAX_MEMORY, &err);
  if (row) PG_RETURN_DATUM(jsonb_of(row));
  if (dagloon_error_code(err) == DAGLOON_ERR_LIMIT) dagloon_pg_raise(err, "dagloon.bereken_vast");
  PG_RETURN_DATUM(dagloon_pg_error_jsonb(err, true));
}
