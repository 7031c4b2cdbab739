/*
** errors.c: a library error in PostgreSQL's terms -- an ERROR with a SQLSTATE that says what
** kind of failure it is, or the jsonb object a row gets instead of its outputs. The library's
** error object is malloc'ed: it is copied into palloc'ed memory and freed before any ereport,
** which does not return.
*/
#include "dagloon_pg.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"

static const char *code_name(dagloon_status st) {
  switch (st) {
  case DAGLOON_ERR_ARGUMENT: return "argument";
  case DAGLOON_ERR_LOAD: return "load";
  case DAGLOON_ERR_RULES: return "rules";
  case DAGLOON_ERR_INPUT: return "input";
  case DAGLOON_ERR_EVAL: return "eval";
  case DAGLOON_ERR_LIMIT: return "limit";
  case DAGLOON_ERR_NO_TRACE: return "no-trace";
  case DAGLOON_ERR_INTERRUPTED: return "interrupted";
  default: return "engine";
  }
}

static int sqlstate(dagloon_status st) {
  switch (st) {
  case DAGLOON_ERR_INPUT: return ERRCODE_INVALID_TEXT_REPRESENTATION;
  case DAGLOON_ERR_EVAL: return ERRCODE_DATA_EXCEPTION;
  case DAGLOON_ERR_LIMIT: return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
  case DAGLOON_ERR_LOAD:
  case DAGLOON_ERR_RULES: return ERRCODE_INVALID_PARAMETER_VALUE;
  case DAGLOON_ERR_NO_TRACE: return ERRCODE_FEATURE_NOT_SUPPORTED;
  case DAGLOON_ERR_INTERRUPTED: return ERRCODE_QUERY_CANCELED;
  default: return ERRCODE_INTERNAL_ERROR;
  }
}

/* One error's parts, copied out of the library's object. */
typedef struct Parts {
  dagloon_status code;
  char *message, *record, *field, *rule, *location;
} Parts;

static Parts take(dagloon_error *err) {
  Parts p = {dagloon_error_code(err), pstrdup(dagloon_error_message(err)), pstrdup(dagloon_error_record(err)),
             pstrdup(dagloon_error_field(err)), pstrdup(dagloon_error_rule(err)),
             pstrdup(dagloon_error_location(err))};
  dagloon_error_free(err);
  return p;
}

void dagloon_pg_raise(dagloon_error *err, const char *what) {
  Parts p = take(err);
  StringInfoData detail;
  initStringInfo(&detail);
  const char *names[] = {"record", "field", "rule", "location"};
  const char *values[] = {p.record, p.field, p.rule, p.location};
  for (int i = 0; i < 4; i++)
    if (*values[i]) appendStringInfo(&detail, "%s%s: %s", detail.len ? ", " : "", names[i], values[i]);
  ereport(ERROR, (errcode(sqlstate(p.code)), errmsg("%s: %s", what, p.message),
                  detail.len ? errdetail("%s", detail.data) : 0));
  pg_unreachable();
}

static void member(StringInfo s, const char *key, const char *value) {
  if (!*value) return;
  appendStringInfoString(s, ", ");
  escape_json(s, key);
  appendStringInfoString(s, ": ");
  escape_json(s, value);
}

Datum dagloon_pg_error_jsonb(dagloon_error *err, bool wrapped) {
  Parts p = take(err);
  StringInfoData s;
  initStringInfo(&s);
  appendStringInfoString(&s, wrapped ? "{\"fout\": {\"code\": " : "{\"code\": ");
  escape_json(&s, code_name(p.code));
  member(&s, "message", p.message);
  member(&s, "record", p.record);
  member(&s, "field", p.field);
  member(&s, "rule", p.rule);
  member(&s, "location", p.location);
  appendStringInfoString(&s, wrapped ? "}}" : "}");
  return DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data));
}

/*
** Never an ERROR here: its longjmp would leave the library's evaluator, rule set or lock in
** whatever state the failed allocation found them, and the backend would go on using them.
** FATAL ends the process (exit status 1), which the postmaster takes as a session that ended,
** not as a crash; the client, or a parallel query's leader, gets the message.
*/
void dagloon_pg_out_of_memory(size_t bytes, void *arg) {
  ereport(FATAL, (errcode(ERRCODE_OUT_OF_MEMORY),
                  errmsg("dagloon: out of memory in the engine (requesting %zu bytes): this session ends", bytes),
                  errhint("Lower dagloon.max_memory, or give the server more memory.")));
  pg_unreachable();
}
