/*
** bereken_alle.c: a whole table at once, with typed columns.
**
**   SELECT * FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT id, dossier FROM dossiers');
**
** dagloon.laad makes a composite type dagloon.<regelset> from the rule set's uitvoer
** (dagloon.uitvoer_kolommen): `sleutel text` (the query's first column when it gives two), each
** output column in its SQL type (geld numeric(20,2), datum date, waarheid boolean, geheel and
** dagen bigint, getal numeric, tekst, keuze and periode text, lijsten and gegevens jsonb), and
** `fout jsonb` (NULL, or what bereken gives under "fout": {"code", "message", ...}; the outputs
** then NULL; a NULL dossier is an input error too). The type names
** the rule set, as jsonb_populate_recordset's first argument names its type. The query's last
** column is the dossier (jsonb, json or text). A set-returning function is a Function Scan and
** never runs in parallel workers: for that, the scalar dagloon.bereken over a table.
**
** The same by the rule set's name, with the caller's column definition list (any of those columns,
** by name; a name it does not give is an ERROR):
**
**   SELECT * FROM dagloon.bereken_alle('wia', 'SELECT id, dossier FROM dossiers') AS t(sleutel text, dagloon numeric(20,2));
*/
#include "dagloon_pg.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

PG_FUNCTION_INFO_V1(dagloon_uitvoer_kolommen);
PG_FUNCTION_INFO_V1(dagloon_bereken_alle);
PG_FUNCTION_INFO_V1(dagloon_bereken_alle_record);

static const char *sql_type(const dagloon_field *f) {
  switch (f->kind) {
  case DAGLOON_BOOL: return "boolean";
  case DAGLOON_INT:
  case DAGLOON_DAYS:
  case DAGLOON_MONTHS:
  case DAGLOON_YEARS: return "bigint";
  case DAGLOON_DECIMAL: return "text";   /* exact: a fraction such as 202200/7 is no numeric */
  case DAGLOON_MONEY: return "numeric(20,2)";
  case DAGLOON_DATE: return "date";
  case DAGLOON_TEXT:
  case DAGLOON_CHOICE:
  case DAGLOON_PERIOD: return "text";
  case DAGLOON_RECORD:
  case DAGLOON_LIST: return "jsonb";
  }
  return "text";
}

/* dagloon.uitvoer_kolommen(regelset text) RETURNS text: the column list of its composite type. */
Datum dagloon_uitvoer_kolommen(PG_FUNCTION_ARGS) {
  DagloonPgRules *rs = dagloon_pg_rules(PG_GETARG_TEXT_PP(0));
  StringInfoData s;
  initStringInfo(&s);
  appendStringInfoString(&s, "sleutel text");
  for (size_t i = 0; i < dagloon_output_count(rs->rules); i++) {
    const dagloon_field *f = dagloon_output_column(rs->rules, i);
    if (strcmp(f->name, "sleutel") == 0 || strcmp(f->name, "fout") == 0)
      ereport(ERROR, (errcode(ERRCODE_DUPLICATE_COLUMN),
                      errmsg("dagloon: output column \"%s\" has the name of a column bereken_alle adds", f->name)));
    appendStringInfo(&s, ", %s %s", quote_identifier(f->name), sql_type(f));
  }
  appendStringInfoString(&s, ", fout jsonb");
  PG_RETURN_TEXT_P(cstring_to_text(s.data));
}

/* The rule set a composite type in schema dagloon stands for: the type's name. */
static text *rule_set_of(Oid type) {
  HeapTuple tp = SearchSysCache1(TYPEOID, ObjectIdGetDatum(type));
  if (!HeapTupleIsValid(tp)) elog(ERROR, "dagloon: type %u not found", type);
  Form_pg_type t = (Form_pg_type)GETSTRUCT(tp);
  bool ours = t->typtype == TYPTYPE_COMPOSITE && t->typnamespace == get_namespace_oid("dagloon", false);
  text *name = cstring_to_text(NameStr(t->typname));
  ReleaseSysCache(tp);
  if (!ours)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("dagloon.bereken_alle: the first argument must be NULL::dagloon.<regelset>, not %s",
                           format_type_be(type)),
                    errhint("dagloon.laad makes the type dagloon.<regelset> of each rule set.")));
  return name;
}

/* A value of the row as the text its column's input function reads (NULL for JSON null). */
static char *value_text(JsonbValue *v) {
  switch (v->type) {
  case jbvString: return pnstrdup(v->val.string.val, v->val.string.len);
  case jbvNumeric: return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
  case jbvBool: return pstrdup(v->val.boolean ? "true" : "false");
  case jbvBinary: return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
  default: return NULL;
  }
}

typedef struct Columns {
  int n;
  FmgrInfo *in;
  Oid *ioparam;
  int32 *typmod;
  int sleutel, fout;   /* their attribute numbers (0-based), or -1 */
} Columns;

static Columns columns_of(TupleDesc td) {
  Columns c = {td->natts, palloc0(sizeof(FmgrInfo) * td->natts), palloc0(sizeof(Oid) * td->natts),
               palloc0(sizeof(int32) * td->natts), -1, -1};
  for (int i = 0; i < td->natts; i++) {
    Form_pg_attribute a = TupleDescAttr(td, i);
    if (a->attisdropped) continue;
    if (strcmp(NameStr(a->attname), "sleutel") == 0) c.sleutel = i;
    if (strcmp(NameStr(a->attname), "fout") == 0) c.fout = i;
    Oid fn;
    getTypeInputInfo(a->atttypid, &fn, &c.ioparam[i]);
    fmgr_info(fn, &c.in[i]);
    c.typmod[i] = a->atttypmod;
  }
  return c;
}

/* One output row: the row's values by column name, or the error in fout (the tuplestore copies it). */
static void put_row(Tuplestorestate *store, TupleDesc td, const Columns *c, const char *key, Jsonb *row, Datum fout) {
  Datum *values = palloc0(sizeof(Datum) * td->natts);
  bool *nulls = palloc(sizeof(bool) * td->natts);
  for (int i = 0; i < td->natts; i++) {
    nulls[i] = true;
    Form_pg_attribute a = TupleDescAttr(td, i);
    if (a->attisdropped) continue;
    if (i == c->sleutel) {
      if (key) values[i] = InputFunctionCall((FmgrInfo *)&c->in[i], (char *)key, c->ioparam[i], c->typmod[i]);
      nulls[i] = key == NULL;
    } else if (i == c->fout) {
      values[i] = fout;
      nulls[i] = fout == (Datum)0;
    } else if (row) {
      JsonbValue k = {.type = jbvString};
      k.val.string.val = NameStr(a->attname);
      k.val.string.len = (int)strlen(NameStr(a->attname));
      JsonbValue *v = findJsonbValueFromContainer(&row->root, JB_FOBJECT, &k);
      char *t = v ? value_text(v) : NULL;
      if (t) {
        values[i] = InputFunctionCall((FmgrInfo *)&c->in[i], t, c->ioparam[i], c->typmod[i]);
        nulls[i] = false;
      }
    }
  }
  tuplestore_putvalues(store, td, values, nulls);
}

/* A column list the caller wrote: every name must be sleutel, fout or an output column (none left NULL unnoticed). */
static void check_names(TupleDesc td, const dagloon_rules *r) {
  for (int i = 0; i < td->natts; i++) {
    const char *name = NameStr(TupleDescAttr(td, i)->attname);
    bool known = TupleDescAttr(td, i)->attisdropped || strcmp(name, "sleutel") == 0 || strcmp(name, "fout") == 0;
    for (size_t k = 0; !known && k < dagloon_output_count(r); k++) known = strcmp(dagloon_output_column(r, k)->name, name) == 0;
    if (!known)
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("dagloon.bereken_alle gives no column \"%s\"", name),
                      errhint("dagloon.uitvoer_kolommen(regelset) lists the columns it gives.")));
  }
}

/* Where bereken_alle's rows go, and what computes them. */
typedef struct RowsOut {
  ReturnSetInfo *rsinfo;
  TupleDesc td;
  const Columns *cols;
  DagloonPgRules *rs;
} RowsOut;

/* One dossier of the query computed into a row (dagloon_pg_each_dossier's callback). */
static void put_dossier(void *ctx, const char *key, const char *dossier) {
  RowsOut *o = ctx;
  dagloon_error *err = NULL;
  const char *row = dossier ? dagloon_pg_evaluate(o->rs, dossier, strlen(dossier), &err) : NULL;
  Jsonb *outputs = row ? DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(row))) : NULL;
  Datum fout = err ? dagloon_pg_error_jsonb(err, false)
             : !dossier ? DirectFunctionCall1(jsonb_in, CStringGetDatum("{\"code\": \"input\", \"message\": \"no dossier (NULL)\"}"))
                        : (Datum)0;
  put_row(o->rsinfo->setResult, o->td, o->cols, key, outputs, fout);
}

static Datum bereken_alle(FunctionCallInfo fcinfo, text *naam, bool by_caller) {
  if (PG_ARGISNULL(1)) ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("dagloon.bereken_alle: no query")));
  char *query = text_to_cstring(PG_GETARG_TEXT_PP(1));
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
  TupleDesc td = rsinfo->setDesc;
  Columns cols = columns_of(td);
  DagloonPgRules *rs = dagloon_pg_rules(naam);
  if (by_caller) check_names(td, rs->rules);
  RowsOut out = {rsinfo, td, &cols, rs};
  dagloon_pg_each_dossier("dagloon.bereken_alle", query, put_dossier, &out);
  return (Datum)0;
}

/* dagloon.bereken_alle(regelset anyelement, query text) RETURNS SETOF anyelement */
Datum dagloon_bereken_alle(PG_FUNCTION_ARGS) {
  return bereken_alle(fcinfo, rule_set_of(get_fn_expr_argtype(fcinfo->flinfo, 0)), false);
}

/* dagloon.bereken_alle(regelset text, query text) RETURNS SETOF record: the columns from the caller's list */
Datum dagloon_bereken_alle_record(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0)) ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("dagloon.bereken_alle: no rule set")));
  return bereken_alle(fcinfo, PG_GETARG_TEXT_PP(0), true);
}
