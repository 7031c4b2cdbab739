/*
** vergelijk.c: the policy comparison's per-dossier rows in SQL, as `dagloon compare BASIS
** VOORSTEL DOSSIERS -o rijen.csv` writes them:
**
**   SELECT * FROM dagloon.vergelijk('wia', 'twaalf', 'SELECT nr, dossier FROM dossiers')
**     AS t(id text, uitkomst text, dagloon_basis numeric(20,2), dagloon_voorstel numeric(20,2),
**          dagloon_verschil numeric(20,2), fout text);
**
** Each dossier is evaluated by both rule sets. The compared columns are compare's: every output
** column both have that is geld, geheel or getal of the same kind in both; per column
** <naam>_basis, <naam>_voorstel and <naam>_verschil (voorstel - basis, exact). uitkomst is beter,
** slechter or gelijk by the difference of compare's value column (dagloon when it is geld, else
** the first geld, geheel, getal column), or fout, with fout saying why ("basis: ...", "voorstel:
** ...", "invoer: ..."); an error row has its values NULL. Plus sleutel (the query's first
** column when it gives two). The columns come from the caller's column definition list, by
** name, in any order and any subset (PostgreSQL must know a function's columns when it plans:
** dagloon.vergelijk_kolommen(basis, voorstel) gives the whole list with compare's types --
** geld numeric(20,2), geheel bigint, getal text, since a getal may be a fraction such as 202200/7).
**
** The differences are computed here from the two rows the library gives, exactly: geld in
** cents, geheel as 64-bit integers, getal as reduced fractions of 64-bit integers (128-bit in
** between), each with compare's overflow rule.
*/
#include "dagloon_pg.h"

#include <inttypes.h>
#include <string.h>
#include "common/int.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(dagloon_vergelijk_kolommen);
PG_FUNCTION_INFO_V1(dagloon_vergelijk);

/* ---- exact numbers: geld in cents, geheel, getal as a reduced fraction ---- */

typedef struct Frac {
  int64 num, den;   /* den > 0, gcd(num, den) = 1 */
} Frac;

static __int128 gcd128(__int128 a, __int128 b) {
  if (a < 0) a = -a;
  while (b) {
    __int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* n/d reduced, into *out; false when it does not fit 64 bits (compare's overflow). */
static bool reduce(__int128 n, __int128 d, Frac *out) {
  if (d < 0) n = -n, d = -d;
  __int128 g = gcd128(n, d);
  if (g > 1) n /= g, d /= g;
  if (n > INT64_MAX || n < -INT64_MAX || d > INT64_MAX) return false;
  out->num = (int64)n;
  out->den = (int64)d;
  return true;
}

/* "-12.345", "7", or "202200/7" (the library's forms of a getal and of geld); false if not one. */
static bool parse_frac(const char *s, Frac *out) {
  bool neg = *s == '-';
  if (*s == '-' || *s == '+') s++;
  __int128 n = 0, d = 1;
  int digits = 0;
  for (; *s >= '0' && *s <= '9'; s++, digits++) {
    n = n * 10 + (*s - '0');
    if (n > INT64_MAX) return false;
  }
  if (*s == '.') {
    for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
      n = n * 10 + (*s - '0');
      d *= 10;
      if (n > INT64_MAX || d > INT64_MAX) return false;
    }
  } else if (*s == '/') {
    s++;
    if (*s < '0' || *s > '9') return false;
    d = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
      d = d * 10 + (*s - '0');
      if (d > INT64_MAX) return false;
    }
    if (d == 0) return false;
  }
  if (*s || digits == 0) return false;
  return reduce(neg ? -n : n, d, out);
}

/* As the engine writes a getal: its decimals when the denominator has only 2s and 5s, else num/den. */
static char *format_frac(Frac f) {
  int64 rest = f.den;
  while (rest % 2 == 0) rest /= 2;
  while (rest % 5 == 0) rest /= 5;
  if (rest != 1) return psprintf("%" PRId64 "/%" PRId64, f.num, f.den);
  StringInfoData s;
  initStringInfo(&s);
  uint64 mag = f.num < 0 ? -(uint64)f.num : (uint64)f.num, den = (uint64)f.den;
  appendStringInfo(&s, "%s%" PRIu64, f.num < 0 ? "-" : "", mag / den);
  __int128 r = mag % den;
  if (r) appendStringInfoChar(&s, '.');
  while (r) {
    r *= 10;
    appendStringInfoChar(&s, (char)('0' + (int)(r / den)));
    r %= den;
  }
  return s.data;
}

static char *format_cents(int64 c) {
  uint64 mag = c < 0 ? -(uint64)c : (uint64)c;
  return psprintf("%s%" PRIu64 ".%02" PRIu64, c < 0 ? "-" : "", mag / 100, mag % 100);
}

/* ---- the compared columns ---- */

typedef struct Compared {
  const char *name;
  dagloon_kind kind;
  size_t base, prop;   /* its index in each rule set's uitvoer */
} Compared;

typedef struct Comparison {
  Compared *cols;
  int n;
  int value;   /* the column uitkomst is decided on */
  const char *key;   /* the invoer's key field (the row's id) */
} Comparison;

static bool comparable(dagloon_kind k) { return k == DAGLOON_MONEY || k == DAGLOON_INT || k == DAGLOON_DECIMAL; }

/* compare's columns and value column for these two rule sets (ERROR when compare would refuse them). */
static Comparison comparison_of(const dagloon_rules *b, const dagloon_rules *p) {
  Comparison c = {palloc0(sizeof(Compared) * (dagloon_output_count(b) + 1)), 0, -1, NULL};
  size_t nin = dagloon_input_count(b);
  bool same = nin == dagloon_input_count(p);
  for (size_t i = 0; same && i < nin; i++) {
    const dagloon_field *x = dagloon_input_field(b, i), *y = dagloon_input_field(p, i);
    same = strcmp(x->name, y->name) == 0 && strcmp(x->type, y->type) == 0 && x->optional == y->optional;
    if (x->key) c.key = x->name;
  }
  if (!same)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("dagloon.vergelijk: the two rule sets do not read the same dossiers (their invoer differs)")));
  for (size_t i = 0; i < dagloon_output_count(b); i++) {
    const dagloon_field *f = dagloon_output_column(b, i);
    if (!comparable(f->kind)) continue;
    for (size_t j = 0; j < dagloon_output_count(p); j++) {
      const dagloon_field *g = dagloon_output_column(p, j);
      if (strcmp(f->name, g->name) == 0 && g->kind == f->kind) {
        c.cols[c.n++] = (Compared){f->name, f->kind, i, j};
        break;
      }
    }
  }
  if (c.n > 64)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("dagloon.vergelijk: more than 64 columns to compare (dagloon compare's limit)")));
  for (int k = 0; k < c.n; k++) {   /* compare's choice: "dagloon" if geld, else the first geld, geheel, getal */
    if (c.cols[k].kind == DAGLOON_MONEY && c.value < 0) c.value = k;
    if (strcmp(c.cols[k].name, "dagloon") == 0 && c.cols[k].kind == DAGLOON_MONEY) c.value = k;
  }
  for (int k = 0; k < c.n && c.value < 0; k++)
    if (c.cols[k].kind == DAGLOON_INT) c.value = k;
  for (int k = 0; k < c.n && c.value < 0; k++)
    if (c.cols[k].kind == DAGLOON_DECIMAL) c.value = k;
  if (c.value < 0)
    ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                    errmsg("dagloon.vergelijk: the rule sets share no geld, geheel or getal output column")));
  return c;
}

static const char *sql_type(dagloon_kind k) {
  return k == DAGLOON_MONEY ? "numeric(20,2)" : k == DAGLOON_INT ? "bigint" : "text";
}

/* The rule sets of a comparison: the base fetched again after the proposal, which may have emptied the cache. */
static void both(text *basis, text *voorstel, DagloonPgRules **b, DagloonPgRules **p) {
  dagloon_pg_rules(basis);
  *p = dagloon_pg_rules(voorstel);
  *b = dagloon_pg_rules(basis);
}

/* dagloon.vergelijk_kolommen(basis text, voorstel text) RETURNS text: vergelijk's whole column list. */
Datum dagloon_vergelijk_kolommen(PG_FUNCTION_ARGS) {
  DagloonPgRules *b, *p;
  both(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &b, &p);
  Comparison c = comparison_of(b->rules, p->rules);
  StringInfoData s;
  initStringInfo(&s);
  appendStringInfoString(&s, "sleutel text, id text, uitkomst text");
  for (int k = 0; k < c.n; k++)
    for (int side = 0; side < 3; side++)
      appendStringInfo(&s, ", %s %s", quote_identifier(psprintf("%s_%s", c.cols[k].name,
                                                                 side == 0 ? "basis" : side == 1 ? "voorstel" : "verschil")),
                       sql_type(c.cols[k].kind));
  appendStringInfoString(&s, ", fout text");
  PG_RETURN_TEXT_P(cstring_to_text(s.data));
}

/* ---- one dossier ---- */

/* A row's values by name, as text (NULL: SQL NULL). */
typedef struct Values {
  int n;
  const char **names;
  char **texts;
} Values;

static void put(Values *v, const char *name, char *text) {
  v->names[v->n] = name;
  v->texts[v->n++] = text;
}

/* The text of key `name` in a jsonb object (numbers as written, strings unquoted), or NULL. */
static char *member_text(Jsonb *j, const char *name) {
  JsonbValue k = {.type = jbvString};
  k.val.string.val = (char *)name;
  k.val.string.len = (int)strlen(name);
  JsonbValue *v = findJsonbValueFromContainer(&j->root, JB_FOBJECT, &k);
  if (!v) return NULL;
  if (v->type == jbvString) return pnstrdup(v->val.string.val, v->val.string.len);
  if (v->type == jbvNumeric) return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
  return NULL;
}

/* A library error as compare's reason: "invoer: MESSAGE" for a dossier it cannot read (the message
** starts with the field), else "basis: MESSAGE" or "voorstel: MESSAGE". */
static char *reason_of(dagloon_error *err, const char *side) {
  char *r = psprintf("%s: %s", dagloon_error_code(err) == DAGLOON_ERR_INPUT ? "invoer" : side, dagloon_error_message(err));
  dagloon_error_free(err);
  return r;
}

/* The row of one dossier (its JSON text), as compare writes it. */
static Values compare_one(const Comparison *c, DagloonPgRules *b, DagloonPgRules *p, const char *dossier) {
  Values v = {0, palloc(sizeof(char *) * (3 * c->n + 4)), palloc(sizeof(char *) * (3 * c->n + 4))};
  dagloon_error *err = NULL;
  char *reason = NULL, *id = NULL;
  const char *rb = dagloon_pg_evaluate(b, dossier, strlen(dossier), &err);
  Jsonb *jb = NULL, *jp = NULL;
  if (!rb) {
    id = pstrdup(dagloon_error_record(err));
    reason = reason_of(err, "basis");
  } else {
    jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(rb)));   /* a copy: p may be the same evaluator */
    const char *rp = dagloon_pg_evaluate(p, dossier, strlen(dossier), &err);
    if (!rp) {
      id = pstrdup(dagloon_error_record(err));
      reason = reason_of(err, "voorstel");
    } else {
      jp = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(rp)));
    }
  }
  if (jb) id = c->key ? member_text(jb, c->key) : NULL;
  char **texts = palloc0(sizeof(char *) * 3 * c->n);
  int outcome = 0;
  for (int k = 0; !reason && k < c->n; k++) {
    char *x = member_text(jb, c->cols[k].name), *y = member_text(jp, c->cols[k].name);
    Frac fx, fy;
    if (!x || !y || !parse_frac(x, &fx) || !parse_frac(y, &fy))
      elog(ERROR, "dagloon.vergelijk: column \"%s\" is not the number the rule set declares", c->cols[k].name);
    texts[3 * k] = x;
    texts[3 * k + 1] = y;
    Frac d;
    int64 units = 0;   /* the difference in compare's units for the value column: cents, whole numbers, hundredths */
    if (c->cols[k].kind == DAGLOON_DECIMAL) {
      bool ok = reduce((__int128)fy.num * fx.den - (__int128)fx.num * fy.den, (__int128)fx.den * fy.den, &d);
      texts[3 * k + 2] = ok ? format_frac(d) : pstrdup("overflow");
      if (k == c->value) {   /* compare: both sides in hundredths, then their difference */
        Frac hx, hy;
        if (!reduce((__int128)fx.num * 100, fx.den, &hx) || !reduce((__int128)fy.num * 100, fy.den, &hy) || hx.den != 1 ||
            hy.den != 1 || pg_sub_s64_overflow(hy.num, hx.num, &units))
          reason = psprintf("'%s' has more than two decimals or overflows: not summarised exactly", c->cols[k].name);
      }
    } else {
      int64 ix = c->cols[k].kind == DAGLOON_MONEY ? fx.num * (100 / fx.den) : fx.num;   /* geld: den 1, 2... of 100 */
      int64 iy = c->cols[k].kind == DAGLOON_MONEY ? fy.num * (100 / fy.den) : fy.num;
      if (pg_sub_s64_overflow(iy, ix, &units)) {
        reason = pstrdup("the difference overflows");
        break;
      }
      texts[3 * k + 2] = c->cols[k].kind == DAGLOON_MONEY ? format_cents(units) : psprintf("%" PRId64, units);
    }
    if (k == c->value && !reason) outcome = units > 0 ? 1 : units < 0 ? -1 : 0;
  }
  put(&v, "id", id);
  put(&v, "uitkomst", pstrdup(reason ? "fout" : outcome > 0 ? "beter" : outcome < 0 ? "slechter" : "gelijk"));
  for (int k = 0; k < c->n; k++) {
    put(&v, psprintf("%s_basis", c->cols[k].name), reason ? NULL : texts[3 * k]);
    put(&v, psprintf("%s_voorstel", c->cols[k].name), reason ? NULL : texts[3 * k + 1]);
    put(&v, psprintf("%s_verschil", c->cols[k].name), reason ? NULL : texts[3 * k + 2]);
  }
  put(&v, "fout", reason);
  return v;
}

/* The names of compare_one's values, in its order (for checking the caller's columns before any row). */
static Values names_of(const Comparison *c) {
  Values v = {0, palloc(sizeof(char *) * (3 * c->n + 4)), palloc0(sizeof(char *) * (3 * c->n + 4))};
  put(&v, "id", NULL);
  put(&v, "uitkomst", NULL);
  for (int k = 0; k < c->n; k++) {
    put(&v, psprintf("%s_basis", c->cols[k].name), NULL);
    put(&v, psprintf("%s_voorstel", c->cols[k].name), NULL);
    put(&v, psprintf("%s_verschil", c->cols[k].name), NULL);
  }
  put(&v, "fout", NULL);
  return v;
}

/* ---- the set ---- */

typedef struct Target {
  int from;   /* index in Values (-1: sleutel) */
  FmgrInfo in;
  Oid ioparam;
  int32 typmod;
  bool dropped;
} Target;

/* Where each column of the caller's list comes from; ERROR for a name vergelijk does not give. */
static Target *targets_of(TupleDesc td, const Values *names) {
  Target *t = palloc0(sizeof(Target) * td->natts);
  for (int i = 0; i < td->natts; i++) {
    Form_pg_attribute a = TupleDescAttr(td, i);
    t[i].dropped = a->attisdropped;
    if (a->attisdropped) continue;
    t[i].from = -2;
    if (strcmp(NameStr(a->attname), "sleutel") == 0) t[i].from = -1;
    for (int k = 0; k < names->n && t[i].from == -2; k++)
      if (strcmp(NameStr(a->attname), names->names[k]) == 0) t[i].from = k;
    if (t[i].from == -2)
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                      errmsg("dagloon.vergelijk gives no column \"%s\"", NameStr(a->attname)),
                      errhint("dagloon.vergelijk_kolommen(basis, voorstel) lists the columns it gives.")));
    Oid fn;
    getTypeInputInfo(a->atttypid, &fn, &t[i].ioparam);
    fmgr_info(fn, &t[i].in);
    t[i].typmod = a->atttypmod;
  }
  return t;
}

/* Where vergelijk's rows go, and what computes them. */
typedef struct RowsOut {
  ReturnSetInfo *rsinfo;
  TupleDesc td;
  Comparison *c;
  DagloonPgRules *b, *p;
  Target *t;
  Datum *values;
  bool *nulls;
} RowsOut;

/* One dossier of the query compared into a row (dagloon_pg_each_dossier's callback). */
static void put_comparison(void *ctx, const char *key, const char *dossier) {
  RowsOut *o = ctx;
  Values v = compare_one(o->c, o->b, o->p, dossier ? dossier : "null");   /* NULL: an input error row */
  for (int i = 0; i < o->td->natts; i++) {
    const char *text = o->t[i].dropped ? NULL : o->t[i].from == -1 ? key : v.texts[o->t[i].from];
    o->nulls[i] = text == NULL;
    o->values[i] = text ? InputFunctionCall(&o->t[i].in, (char *)text, o->t[i].ioparam, o->t[i].typmod) : (Datum)0;
  }
  tuplestore_putvalues(o->rsinfo->setResult, o->td, o->values, o->nulls);
}

/* dagloon.vergelijk(basis text, voorstel text, query text) RETURNS SETOF record */
Datum dagloon_vergelijk(PG_FUNCTION_ARGS) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("dagloon.vergelijk: basis, voorstel and query are needed")));
  text *basis = PG_GETARG_TEXT_PP(0), *voorstel = PG_GETARG_TEXT_PP(1);
  char *query = text_to_cstring(PG_GETARG_TEXT_PP(2));
  InitMaterializedSRF(fcinfo, 0);
  ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
  TupleDesc td = rsinfo->setDesc;
  DagloonPgRules *b, *p;
  both(basis, voorstel, &b, &p);
  Comparison c = comparison_of(b->rules, p->rules);
  Values names = names_of(&c);
  Target *t = targets_of(td, &names);
  Datum *values = palloc(sizeof(Datum) * td->natts);
  bool *nulls = palloc(sizeof(bool) * td->natts);
  RowsOut out = {rsinfo, td, &c, b, p, t, values, nulls};
  dagloon_pg_each_dossier("dagloon.vergelijk", query, put_comparison, &out);
  return (Datum)0;
}
