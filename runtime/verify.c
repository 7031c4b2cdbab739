/*
** verify.c: the bytecode verifier (see verify.h). Every promise the VM's
** hot path relies on is checked here once per chunk: operand kinds against
** the register type table, index ranges, jump targets, the types that
** MOVE/LOADK/INPUT/FIELD/RULE/RET/INDEX connect, and an acyclic rule graph.
*/
#include "verify.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mem.h"
#include "date.h"
#include "num.h"
#include "period.h"
#include "strutil.h"

typedef struct Verifier {
  const Chunk *c;
  char *err;
  size_t cap;
  const Proto *p;     /* the rule being checked, or NULL */
  int64_t pc;         /* the instruction being checked, or -1 */
} Verifier;

/*
** Writes "rule 'x' pc 3: <message>" (or "rule 'x': ...", or just the
** message outside any rule) into the caller's buffer. Always returns false,
** so checks read `if (bad) return fail(v, ...);`.
*/
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static bool fail(Verifier *v, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!v->err || v->cap == 0) return false;
  if (v->p && v->pc >= 0)
    snprintf(v->err, v->cap, "rule '%s' pc %" PRId64 ": %s", v->p->name ? v->p->name : "?", v->pc, msg);
  else if (v->p)
    snprintf(v->err, v->cap, "rule '%s': %s", v->p->name ? v->p->name : "?", msg);
  else
    snprintf(v->err, v->cap, "%s", msg);
  return false;
}

/* ---- types ---- */

/* Types are equal when they mean the same: ref/elem count only where they matter. */
static bool type_eq(TypeRef a, TypeRef b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
  case VK_ENUM:
  case VK_RECORD: return a.ref == b.ref;
  case VK_LIST:
    if (a.elem != b.elem) return false;
    return (a.elem == VK_ENUM || a.elem == VK_RECORD) ? a.ref == b.ref : true;
  default: return true;
  }
}

static bool ref_ok(const Schema *s, uint8_t kind, uint16_t ref) {
  if (kind == VK_ENUM) return ref < s->nenums;
  if (kind == VK_RECORD) return ref < s->nrecords;
  return true;
}

/* kind < VK__COUNT, enum/record refs in the schema, list elements scalar or record. */
static bool type_ok(const Schema *s, TypeRef t) {
  if (t.kind >= VK__COUNT) return false;
  if (t.kind == VK_LIST) return t.elem < VK__COUNT && t.elem != VK_LIST && ref_ok(s, t.elem, t.ref);
  return ref_ok(s, t.kind, t.ref);
}

/* "s" unless n is 1: "(1 rule)", "(3 rules)". */
static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

static const char *tname(const Verifier *v, TypeRef t, char *buf) {
  if (!type_ok(&v->c->schema, t)) {
    snprintf(buf, 64, "an invalid type (kind %u)", t.kind);
    return buf;
  }
  return schema_type_name(&v->c->schema, t, buf, 64);
}

/* The register kind an operand letter demands, or -1 for letters that are not one kind. */
static int letter_kind(char l) {
  switch (l) {
  case 'b': return VK_BOOL;
  case 'i': return VK_INT;
  case 'd': return VK_DEC;
  case 'm': return VK_MONEY;
  case 't': return VK_DATE;
  case 's': return VK_TEXT;
  case 'e': return VK_ENUM;
  case 'r': return VK_RECORD;
  case 'l': return VK_LIST;
  case 'p': return VK_PERIOD;
  case 'D': return VK_DAYS;
  case 'M': return VK_MONTHS;
  case 'Y': return VK_YEARS;
  default: return -1;
  }
}

static const char *kind_word(int k) {
  static const char *const w[VK__COUNT] = {"waarheid", "geheel", "getal", "geld",    "datum",  "tekst", "keuze",
                                           "gegevens", "lijst",  "periode", "dagen", "maanden", "jaren"};
  return k >= 0 && k < VK__COUNT ? w[k] : "?";
}

static bool int64_kind(uint8_t k) {
  return k == VK_BOOL || k == VK_INT || k == VK_MONEY || k == VK_DATE || k == VK_ENUM || k == VK_DAYS ||
         k == VK_MONTHS || k == VK_YEARS;
}

static bool quantity_kind(uint8_t k) { return k == VK_INT || k == VK_DAYS || k == VK_MONTHS || k == VK_YEARS; }

static const RecordType *input_record(const Chunk *c) {
  if (c->schema.input < 0 || (uint32_t)c->schema.input >= c->schema.nrecords) return NULL;
  return &c->schema.records[c->schema.input];
}

static bool span_ok(const Chunk *c, Span s) {
  if (c->nfiles == 0) return true;
  return s.file < c->nfiles && (uint64_t)s.off + s.len <= c->files[s.file].len;
}

/* ---- the schema, the constants, the outputs ---- */

static bool check_schema(Verifier *v) {
  const Schema *s = &v->c->schema;
  if (s->input < -1 || (s->input >= 0 && (uint32_t)s->input >= s->nrecords))
    return fail(v, "schema: input record %" PRId32 " out of range (%" PRIu32 " record type%s)", s->input,
                s->nrecords, plural(s->nrecords));
  const RecordType *in = input_record(v->c);
  if (s->key_field >= 0 && (!in || (uint32_t)s->key_field >= in->nfields))
    return fail(v, "schema: key field %" PRId32 " is not a field of the input record", s->key_field);
  for (uint32_t r = 0; r < s->nrecords; r++)
    for (uint32_t f = 0; f < s->records[r].nfields; f++)
      if (!type_ok(s, s->records[r].fields[f].type))
        return fail(v, "schema: field '%s' of '%s' has an invalid type", s->records[r].fields[f].name,
                    s->records[r].name);
  return true;
}

/*
** Whether x is a value of type t as the VM and the writers take it, with
** what is wrong in why: a truth value 0 or 1, a date or period within the
** supported years (a period ordered), a keuze ordinal within its keuze, a
** decimal in lowest terms, a text in UTF-8, a list or record of such values.
** Numbers, amounts and counts may be any int64: the VM checks every sum.
*/
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bool wrong(char *why, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, cap, fmt, ap);
  va_end(ap);
  return false;
}

static bool in_domain(const Schema *s, TypeRef t, Value x, int depth, char *why, size_t cap) {
  if (depth > 64) return wrong(why, cap, "values nested more than 64 deep");
  switch (t.kind) {
  case VK_BOOL:
    if (x.i != 0 && x.i != 1) return wrong(why, cap, "waarheid %" PRId64 " is neither 0 nor 1", x.i);
    return true;
  case VK_DATE:
    if (!date_in_range(x.i))
      return wrong(why, cap, "datum (day %" PRId64 ") outside the years %d-%d", x.i, DATE_MIN_YEAR, DATE_MAX_YEAR);
    return true;
  case VK_PERIOD:
    if (!date_in_range(x.per.lo) || !date_in_range(x.per.hi) || x.per.lo > x.per.hi)
      return wrong(why, cap, "periode (days %" PRId64 "..%" PRId64 ") reversed or outside the years %d-%d",
                      x.per.lo, x.per.hi, DATE_MIN_YEAR, DATE_MAX_YEAR);
    return true;
  case VK_ENUM:
    if (x.i < 0 || (uint64_t)x.i >= s->enums[t.ref].nmembers)
      return wrong(why, cap, "keuze %" PRId64 " of '%s', which has %" PRIu32 " member%s", x.i,
                      s->enums[t.ref].name, s->enums[t.ref].nmembers, plural(s->enums[t.ref].nmembers));
    return true;
  case VK_DEC:
    if (x.dec.den <= 0) return wrong(why, cap, "decimal with denominator %" PRId64, x.dec.den);
    if (!dec_is_reduced(x.dec))
      return wrong(why, cap, "decimal %" PRId64 "/%" PRId64 " not in lowest terms", x.dec.num, x.dec.den);
    return true;
  case VK_TEXT:
    if (!x.text) return wrong(why, cap, "tekst constant without a value");
    if (!utf8_valid(x.text->bytes, x.text->len)) return wrong(why, cap, "tekst that is not UTF-8");
    return true;
  case VK_LIST: {
    if (!x.list) return wrong(why, cap, "lijst constant without a value");
    TypeRef et = {t.elem, 0, t.ref};
    if (x.list->n && !x.list->items) return wrong(why, cap, "lijst without its items");
    for (uint32_t i = 0; i < x.list->n; i++)
      if (!in_domain(s, et, x.list->items[i], depth + 1, why, cap)) return false;
    return true;
  }
  case VK_RECORD: {
    if (!x.rec) return wrong(why, cap, "gegevens constant without a value");
    const RecordType *rt = &s->records[t.ref];
    if (x.rec->type != t.ref || x.rec->nfields != rt->nfields)
      return wrong(why, cap, "gegevens that are not a '%s'", rt->name);
    for (uint32_t i = 0; i < rt->nfields; i++)
      if (!in_domain(s, rt->fields[i].type, x.rec->fields[i], depth + 1, why, cap)) return false;
    return true;
  }
  default:
    return true;
  }
}

static bool check_consts(Verifier *v) {
  const Chunk *c = v->c;
  char tb[64], why[200];
  for (uint32_t k = 0; k < c->nconsts; k++) {
    TypeRef t = c->ktypes[k];
    if (!type_ok(&c->schema, t)) return fail(v, "constant K%" PRIu32 " has %s", k, tname(v, t, tb));
    if (!in_domain(&c->schema, t, c->consts[k], 0, why, sizeof why)) return fail(v, "constant K%" PRIu32 ": %s", k, why);
  }
  return true;
}

/*
** Tables as the lookups rely on them: keys strictly increasing (binary
** search), each date row in force from its key, decimals with a positive
** denominator in lowest terms, a text wherever a known row has one, a
** coverage (from, horizon) that does not end before it starts. A
** compiled chunk always passes; a loaded bundle has to.
*/
static bool check_tables(Verifier *v) {
  const Chunk *c = v->c;
  char tb[64], why[200];
  if (c->ntables && !c->tables) return fail(v, "chunk: a count without its array");
  for (uint32_t ti = 0; ti < c->ntables; ti++) {
    const Table *t = &c->tables[ti];
    const char *name = t->name ? t->name : "?";
    if (t->kind > TABLE_BY_KEY) return fail(v, "table '%s': bad kind %u", name, t->kind);
    if (!type_ok(&c->schema, t->valtype) || t->valtype.kind == VK_LIST || t->valtype.kind == VK_RECORD)
      return fail(v, "table '%s': values of %s", name, tname(v, t->valtype, tb));
    if (!type_ok(&c->schema, t->keytype) || t->keytype.kind == VK_LIST || t->keytype.kind == VK_RECORD ||
        t->keytype.kind == VK_TEXT || t->keytype.kind == VK_DEC || t->keytype.kind == VK_PERIOD)
      return fail(v, "table '%s': keys of %s", name, tname(v, t->keytype, tb));
    if (t->nrows && !t->rows) return fail(v, "table '%s': a count without its rows", name);
    if (t->kind == TABLE_BY_DATE && t->from > t->to)
      return fail(v, "table '%s': its coverage ends before it starts", name);
    for (uint32_t i = 0; i < t->nrows; i++) {
      const TableRow *r = &t->rows[i];
      if (!in_domain(&c->schema, t->keytype, (Value){.i = r->key}, 0, why, sizeof why))
        return fail(v, "table '%s' row %" PRIu32 ": key %s", name, i + 1, why);
      if (i > 0 && r->key <= t->rows[i - 1].key)
        return fail(v, "table '%s' row %" PRIu32 ": keys not strictly increasing", name, i + 1);
      if (t->kind == TABLE_BY_DATE && r->until < r->key)
        return fail(v, "table '%s' row %" PRIu32 ": ends before it starts", name, i + 1);
      if (r->status > ROW_UNVERIFIED) return fail(v, "table '%s' row %" PRIu32 ": bad status %u", name, i + 1, r->status);
      if (r->unknown) {
        if (r->status != ROW_UNVERIFIED) return fail(v, "table '%s' row %" PRIu32 ": a missing value must be unverified", name, i + 1);
        continue;
      }
      if (t->valtype.kind == VK_DEC && (r->value.dec.den <= 0 || !dec_is_reduced(r->value.dec)))
        return fail(v, "table '%s' row %" PRIu32 ": decimal not in lowest terms", name, i + 1);
      if (t->valtype.kind == VK_TEXT && !r->value.text)
        return fail(v, "table '%s' row %" PRIu32 ": text without a value", name, i + 1);
      if (!in_domain(&c->schema, t->valtype, r->value, 0, why, sizeof why))
        return fail(v, "table '%s' row %" PRIu32 ": %s", name, i + 1, why);
    }
  }
  return true;
}

/* Coverage points and herzien call sites name rules and tables that exist. */
static bool check_sites(Verifier *v) {
  const Chunk *c = v->c;
  if ((c->ncovers && !c->covers) || (c->nrevsites && !c->revsites)) return fail(v, "chunk: a count without its array");
  for (uint32_t i = 0; i < c->ncovers; i++) {
    const CoverPoint *cp = &c->covers[i];
    if (cp->kind > COVER_EXCEPTION_NOT || cp->rule >= c->nprotos || !span_ok(c, cp->span))
      return fail(v, "coverage point %" PRIu32 ": bad kind, rule or span", i);
    if (cp->reg >= 0 && (cp->kind != COVER_VERSION || (uint32_t)cp->reg >= c->protos[cp->rule].nregs ||
                         c->protos[cp->rule].regtypes[cp->reg].kind != VK_DATE))
      return fail(v, "coverage point %" PRIu32 ": the peildatum register is not a datum of its rule", i);
  }
  for (uint32_t i = 0; i < c->nrevsites; i++)
    if (c->revsites[i].proto >= c->nprotos || c->revsites[i].table >= c->ntables)
      return fail(v, "herzien call site %" PRIu32 ": rule or table out of range", i);
  return true;
}

static bool check_outputs(Verifier *v) {
  const Chunk *c = v->c;
  char t1[64], t2[64];
  const RecordType *in = input_record(c);
  for (uint32_t i = 0; i < c->noutputs; i++) {
    const OutputDesc *o = &c->outputs[i];
    const char *name = o->name ? o->name : "?";
    if (o->from == OUT_RULE) {
      if (o->index >= c->nprotos)
        return fail(v, "output %" PRIu32 " '%s': rule %" PRIu32 " out of range (%" PRIu32 " rule%s)", i, name,
                    o->index, c->nprotos, plural(c->nprotos));
      const Proto *p = &c->protos[o->index];
      if (p->nparams > 0) return fail(v, "output %" PRIu32 " '%s': rule '%s' has parameters", i, name, p->name ? p->name : "?");
      if (!type_eq(o->type, p->result))
        return fail(v, "output %" PRIu32 " '%s' is %s but rule '%s' returns %s", i, name,
                    tname(v, o->type, t1), p->name ? p->name : "?", tname(v, p->result, t2));
    } else if (o->from == OUT_INPUT) {
      if (!in) return fail(v, "output %" PRIu32 " '%s': the schema has no input record", i, name);
      if (o->index >= in->nfields)
        return fail(v, "output %" PRIu32 " '%s': input field %" PRIu32 " out of range (%" PRIu32 " field%s)",
                    i, name, o->index, in->nfields, plural(in->nfields));
      const FieldDesc *f = &in->fields[o->index];
      if (!type_eq(o->type, f->type))
        return fail(v, "output %" PRIu32 " '%s' is %s but input field '%s' is %s", i, name,
                    tname(v, o->type, t1), f->name, tname(v, f->type, t2));
    } else {
      return fail(v, "output %" PRIu32 " '%s': bad source %u", i, name, o->from);
    }
  }
  return true;
}

/* ---- one instruction ---- */

static const char *const operand_name[3] = {"A", "B", "C"};

/* Checks one operand against its kind letter; generic, no opcode-specific relations. */
static bool check_operand(Verifier *v, Instr ins, int j, uint16_t x) {
  const Chunk *c = v->c;
  const Proto *p = v->p;
  char kind = op_operands[ins.op][j];
  const char *opn = op_name[ins.op];
  char tb[64];
  switch (kind) {
  case '_':
    if (x != 0) return fail(v, "%s operand %s is unused but is %u", opn, operand_name[j], x);
    return true;
  case 'K':
    if (x >= c->nconsts)
      return fail(v, "%s %s: constant %u out of range (%" PRIu32 " constant%s)", opn, operand_name[j], x,
                  c->nconsts, plural(c->nconsts));
    return true;
  case 'T':
    if (x >= c->ntables)
      return fail(v, "%s %s: table %u out of range (%" PRIu32 " table%s)", opn, operand_name[j], x, c->ntables,
                  plural(c->ntables));
    return true;
  case 'R':
    if (x >= c->nprotos)
      return fail(v, "%s %s: rule %u out of range (%" PRIu32 " rule%s)", opn, operand_name[j], x, c->nprotos,
                  plural(c->nprotos));
    return true;
  case 'J': {
    int64_t target = v->pc + 1 + (int16_t)x;
    if (target < 0 || target >= (int64_t)p->ncode)
      return fail(v, "%s target %" PRId64 " out of range (%" PRIu32 " instruction%s)", opn, target, p->ncode,
                  plural(p->ncode));
    return true;
  }
  case 'F':   /* checked with the opcode, which says whose field it is */
  case 'I':
  case 'S': return true;
  default: break;
  }
  /* A register operand. */
  if (x >= p->nregs)
    return fail(v, "register %u out of range (%u register%s)", x, (unsigned)p->nregs, plural(p->nregs));
  TypeRef t = p->regtypes[x];
  if (kind == 'n') {
    if (!int64_kind(t.kind))
      return fail(v, "%s %s: register %u is %s, expected waarheid, geheel, geld, datum, keuze or a duration", opn,
                  operand_name[j], x, tname(v, t, tb));
    return true;
  }
  if (kind == 'q') {
    if (!quantity_kind(t.kind))
      return fail(v, "%s %s: register %u is %s, expected geheel, dagen, maanden or jaren", opn, operand_name[j], x,
                  tname(v, t, tb));
    return true;
  }
  int want = letter_kind(kind);
  if (want >= 0 && t.kind != want)
    return fail(v, "%s %s: register %u is %s, expected %s", opn, operand_name[j], x, tname(v, t, tb),
                kind_word(want));
  return true;
}

/* The '*' and 'F' relations of the opcodes that have them. */
static bool check_relations(Verifier *v, Instr ins) {
  const Chunk *c = v->c;
  const Proto *p = v->p;
  const TypeRef *rt = p->regtypes;
  char t1[64], t2[64];
  switch (ins.op) {
  case OP_MOVE:
    if (!type_eq(rt[ins.a], rt[ins.b]))
      return fail(v, "MOVE: register %u is %s but register %u is %s", ins.a, tname(v, rt[ins.a], t1), ins.b,
                  tname(v, rt[ins.b], t2));
    break;
  case OP_LOADK:
    if (!type_eq(c->ktypes[ins.b], rt[ins.a]))
      return fail(v, "LOADK: constant K%u is %s but register %u is %s", ins.b, tname(v, c->ktypes[ins.b], t1),
                  ins.a, tname(v, rt[ins.a], t2));
    break;
  case OP_INPUT: {
    const RecordType *in = input_record(c);
    if (!in) return fail(v, "INPUT: the schema has no input record");
    if (ins.b >= in->nfields)
      return fail(v, "INPUT B: field %u out of range (input record '%s' has %" PRIu32 " field%s)", ins.b,
                  in->name, in->nfields, plural(in->nfields));
    if (!type_eq(rt[ins.a], in->fields[ins.b].type))
      return fail(v, "INPUT: field '%s' is %s but register %u is %s", in->fields[ins.b].name,
                  tname(v, in->fields[ins.b].type, t1), ins.a, tname(v, rt[ins.a], t2));
    break;
  }
  case OP_FIELD: {
    const RecordType *r = &c->schema.records[rt[ins.b].ref];   /* 'r' operand: kind and ref checked */
    if (ins.c >= r->nfields)
      return fail(v, "FIELD C: field %u out of range (record '%s' has %" PRIu32 " field%s)", ins.c, r->name,
                  r->nfields, plural(r->nfields));
    if (!type_eq(rt[ins.a], r->fields[ins.c].type))
      return fail(v, "FIELD: field '%s' is %s but register %u is %s", r->fields[ins.c].name,
                  tname(v, r->fields[ins.c].type, t1), ins.a, tname(v, rt[ins.a], t2));
    break;
  }
  case OP_KNOWN: {   /* the list's record has the fields K[C] names, of the kinds KNOWN reads */
    if (!type_eq(rt[ins.a], rt[ins.b]) || rt[ins.b].elem != VK_RECORD || rt[ins.b].ref >= c->schema.nrecords)
      return fail(v, "KNOWN: registers %u and %u are not the same list of records", ins.a, ins.b);
    if (c->ktypes[ins.c].kind != VK_INT) return fail(v, "KNOWN C: constant K%u is not a geheel", ins.c);
    const RecordType *r = &c->schema.records[rt[ins.b].ref];
    int64_t spec = c->consts[ins.c].i;
    int64_t df = (spec & 0xFFFF) - 1, kf = ((spec >> 16) & 0xFFFF) - 1, rf = ((spec >> 32) & 0xFFFF) - 1;
    if (spec < 0 || spec >> 48 || df < 0 || df >= r->nfields || kf >= (int64_t)r->nfields || rf >= (int64_t)r->nfields ||
        (rf >= 0 && kf < 0))
      return fail(v, "KNOWN C: K%u names fields record '%s' does not have", ins.c, r->name);
    const FieldDesc *dd = &r->fields[df];
    if ((dd->optional ? dd->type.elem : dd->type.kind) != VK_DATE)
      return fail(v, "KNOWN: field '%s' of '%s' is not a datum", dd->name, r->name);
    if (rf >= 0) {   /* optioneel or not, the same kind of value: what KNOWN compares */
      const FieldDesc *kd = &r->fields[kf], *rd = &r->fields[rf];
      uint8_t rk = rd->optional ? rd->type.elem : rd->type.kind, kk = kd->optional ? kd->type.elem : kd->type.kind;
      if ((kk != VK_TEXT && kk != VK_INT) || rk != kk)
        return fail(v, "KNOWN: fields '%s' and '%s' of '%s' are not a key and a key of the same type", kd->name,
                    rd->name, r->name);
    }
    break;
  }
  case OP_CALL: {
    const Proto *q = &c->protos[ins.b];
    if (q->nparams == 0) return fail(v, "CALL: rule '%s' has no parameters (use RULE)", q->name ? q->name : "?");
    if ((uint32_t)ins.c + q->nparams > p->nregs)
      return fail(v, "CALL C: arguments %u..%u out of range (%u registers)", ins.c, ins.c + q->nparams - 1,
                  (unsigned)p->nregs);
    for (uint16_t k = 0; k < q->nparams; k++)
      if (!type_eq(rt[ins.c + k], q->regtypes[k]))
        return fail(v, "CALL: argument %u of '%s' is %s but register %u is %s", k + 1, q->name ? q->name : "?",
                    tname(v, q->regtypes[k], t1), ins.c + k, tname(v, rt[ins.c + k], t2));
    if (!type_eq(rt[ins.a], q->result))
      return fail(v, "CALL: rule '%s' returns %s but register %u is %s", q->name ? q->name : "?",
                  tname(v, q->result, t1), ins.a, tname(v, rt[ins.a], t2));
    break;
  }
  case OP_CALL_NATIVE: {
    if (ins.b >= c->nnatives) return fail(v, "CALL_NATIVE B: native function %u out of range (%" PRIu32 ")", ins.b, c->nnatives);
    const NativeSig *sig = &c->natives[ins.b].fn.sig;
    if (!c->natives[ins.b].fn.fn) return fail(v, "CALL_NATIVE: native function %u is not loaded", ins.b);
    if ((uint32_t)ins.c + sig->nparams > p->nregs)
      return fail(v, "CALL_NATIVE C: arguments out of range (%u registers)", (unsigned)p->nregs);
    for (uint16_t k = 0; k < sig->nparams; k++)
      if (rt[ins.c + k].kind != sig->params[k])
        return fail(v, "CALL_NATIVE: argument %u of native function %u has the wrong type", k + 1, ins.b);
    if (rt[ins.a].kind != sig->result)
      return fail(v, "CALL_NATIVE: native function %u returns another type than register %u holds", ins.b, ins.a);
    break;
  }
  case OP_RULE: {
    const Proto *q = &c->protos[ins.b];
    if (q->nparams > 0) return fail(v, "RULE: rule '%s' has parameters (use CALL)", q->name ? q->name : "?");
    if (!type_eq(rt[ins.a], q->result))
      return fail(v, "RULE: rule '%s' returns %s but register %u is %s", q->name ? q->name : "?",
                  tname(v, q->result, t1), ins.a, tname(v, rt[ins.a], t2));
    break;
  }
  case OP_RET:
    if (!type_eq(rt[ins.a], p->result))
      return fail(v, "RET: register %u is %s but the rule returns %s", ins.a, tname(v, rt[ins.a], t1),
                  tname(v, p->result, t2));
    break;
  case OP_INDEX: {
    TypeRef l = rt[ins.b];
    TypeRef e = {l.elem, 0, l.ref};
    if (!type_eq(rt[ins.a], e))
      return fail(v, "INDEX: register %u is %s but the list holds %s", ins.a, tname(v, rt[ins.a], t1),
                  tname(v, e, t2));
    break;
  }
  case OP_ROUND_DEC: {
    int64_t spec = c->consts[ins.c].i;
    if (c->ktypes[ins.c].kind != VK_INT || spec < 0 || spec / 8 > 18 || spec % 8 >= ROUND__COUNT)
      return fail(v, "ROUND_DEC C: constant K%u is not a rounding spec (a geheel places*8+method, places 0..18)",
                  ins.c);
    break;
  }
  case OP_DATE_PART:
    if (ins.c > 4) return fail(v, "DATE_PART C: part %u does not exist (0..4)", ins.c);
    break;
  case OP_UNIT_OF:
    if (ins.c > 5) return fail(v, "UNIT_OF C: unit %u does not exist (0..5)", ins.c);
    break;
  case OP_COUNT_UNITS:
    if (ins.c != 0 && ins.c != 4 && ins.c != 5) return fail(v, "COUNT_UNITS C: unit %u cannot be listed (0, 4, 5)", ins.c);
    break;
  case OP_UNITS_IN: {
    TypeRef want = {VK_LIST, VK_PERIOD, 0};
    if (ins.c != 0 && ins.c != 4 && ins.c != 5) return fail(v, "UNITS_IN C: unit %u cannot be listed (0, 4, 5)", ins.c);
    if (!type_eq(rt[ins.a], want)) return fail(v, "UNITS_IN: register %u is %s, expected lijst periode", ins.a, tname(v, rt[ins.a], t1));
    break;
  }
  case OP_LOOKUP_DATE:
  case OP_LOOKUP_KEY: {
    const Table *t = &c->tables[ins.c];
    if ((ins.op == OP_LOOKUP_DATE) != (t->kind == TABLE_BY_DATE))
      return fail(v, "%s: table '%s' is not looked up %s", op_name[ins.op], t->name,
                  ins.op == OP_LOOKUP_DATE ? "by date" : "by key");
    if (ins.op == OP_LOOKUP_KEY && !type_eq(rt[ins.b], t->keytype))
      return fail(v, "LOOKUP_KEY: register %u is %s but table '%s' has %s keys", ins.b, tname(v, rt[ins.b], t1), t->name,
                  tname(v, t->keytype, t2));
    if (!type_eq(rt[ins.a], t->valtype))
      return fail(v, "%s: register %u is %s but table '%s' holds %s", op_name[ins.op], ins.a, tname(v, rt[ins.a], t1),
                  t->name, tname(v, t->valtype, t2));
    break;
  }
  case OP_REVISE: {
    if (ins.b >= c->nrevsites) return fail(v, "REVISE B: call site %u out of range (%" PRIu32 ")", ins.b, c->nrevsites);
    const RevisionSite *rs = &c->revsites[ins.b];
    if (rs->proto != (uint32_t)(p - c->protos)) return fail(v, "REVISE: call site %u belongs to another rule", ins.b);
    if (rs->table >= c->ntables) return fail(v, "REVISE: call site %u names table %" PRIu32 ", out of range", ins.b, rs->table);
    const Table *t = &c->tables[rs->table];
    if (t->kind != TABLE_BY_DATE || t->valtype.kind != VK_DEC)
      return fail(v, "REVISE: table '%s' is not a date series of getal", t->name);
    if (rs->spec < 8 || rs->spec % 8 >= ROUND__COUNT) return fail(v, "REVISE: call site %u has a bad rounding", ins.b);
    uint16_t regs[3] = {rs->amount, rs->after, rs->through};
    uint8_t want[3] = {rs->money ? VK_MONEY : VK_DEC, VK_DATE, VK_DATE};
    for (int k = 0; k < 3; k++) {
      if (regs[k] >= p->nregs) return fail(v, "REVISE: call site register %u out of range", regs[k]);
      if (rt[regs[k]].kind != want[k])
        return fail(v, "REVISE: register %u is %s, expected %s", regs[k], tname(v, rt[regs[k]], t1), kind_word(want[k]));
    }
    break;
  }
  case OP_COVER:
    if (ins.b >= c->ncovers) return fail(v, "COVER B: coverage point %u out of range (%" PRIu32 ")", ins.b, c->ncovers);
    break;
  case OP_FAIL:
    if (c->ktypes[ins.b].kind != VK_TEXT)
      return fail(v, "FAIL B: constant K%u is not a tekst", ins.b);
    break;
  case OP_ROUND_MONEY: {
    int64_t spec = c->consts[ins.c].i;
    if (c->ktypes[ins.c].kind != VK_INT || spec / 8 < 1 || spec % 8 >= ROUND__COUNT)
      return fail(v, "ROUND_MONEY C: constant K%u is not a rounding spec (a geheel unit*8+method, unit >= 1, "
                     "method < %d)", ins.c, ROUND__COUNT);
    break;
  }
  default: break;
  }
  return true;
}

static bool check_instr(Verifier *v, Instr ins) {
  const Proto *p = v->p;
  char t1[64], t2[64];
  if (ins.op >= OP__COUNT) return fail(v, "bad opcode %u", ins.op);
  if (ins.op == OP_MUL_ROUND_MONEY ? ins.x >= ROUND__COUNT : ins.x != 0)
    return fail(v, "%s: byte x is %u, must be %s", op_name[ins.op], ins.x,
                ins.op == OP_MUL_ROUND_MONEY ? "a rounding method" : "0");
  uint16_t ops[3] = {ins.a, ins.b, ins.c};
  int first_n = -1;
  for (int j = 0; j < 3; j++) {
    if (!check_operand(v, ins, j, ops[j])) return false;
    if (op_operands[ins.op][j] != 'n') continue;
    if (first_n < 0) first_n = j;
    TypeRef t0 = p->regtypes[ops[first_n]], tj = p->regtypes[ops[j]];
    if (j != first_n && !type_eq(t0, tj))
      return fail(v, "%s: operands %s and %s differ in type (%s, %s)", op_name[ins.op], operand_name[first_n],
                  operand_name[j], tname(v, t0, t1), tname(v, tj, t2));
  }
  if (!check_relations(v, ins)) return false;
  if (ins.op != OP_RET && ins.op != OP_JMP && v->pc + 1 >= (int64_t)p->ncode)
    return fail(v, "%s falls off the end of the code (the last instruction must be RET or JMP)",
                op_name[ins.op]);
  return true;
}

static bool is_reg_kind(char k) { return k != '_' && k != 'K' && k != 'F' && k != 'R' && k != 'T' && k != 'J' && k != 'I' && k != 'S'; }

/*
** Every register is written before it is read, on every path: a forward
** dataflow over the instructions (a register is "surely written" at a point
** when it is on all paths there; parameters are written on entry). This is
** what lets the compiler share and retarget registers without a wrong value
** ever being read.
*/
static bool check_defined(Verifier *v) {
  const Chunk *c = v->c;
  const Proto *p = v->p;
  uint32_t n = p->ncode, words = (p->nregs + 63) / 64;
  if (words == 0) words = 1;
  uint64_t *in = xmalloc((size_t)n * words * sizeof *in);
  uint8_t *seen = xcalloc(n, 1), *queued = xcalloc(n, 1);
  uint32_t *work = xmalloc((size_t)n * sizeof *work);   /* each pc at most once in it: n slots */
  for (size_t k = 0; k < (size_t)n * words; k++) in[k] = ~(uint64_t)0;   /* top: everything, until a path says less */
  uint64_t *cur = xmalloc(words * sizeof *cur);
  for (uint32_t w = 0; w < words; w++) in[w] = 0;
  for (uint16_t r = 0; r < p->nparams; r++) in[r / 64] |= (uint64_t)1 << (r % 64);
  seen[0] = 1;
  uint32_t nwork = 0;
  work[nwork++] = 0;
  queued[0] = 1;
  bool ok = true;
#define DEFINED(r) ((cur[(r) / 64] >> ((r) % 64)) & 1)
  while (nwork && ok) {
    uint32_t pc = work[--nwork];
    queued[pc] = 0;
    memcpy(cur, &in[(size_t)pc * words], words * sizeof *cur);
    Instr ins = p->code[pc];
    const char *kinds = op_operands[ins.op];
    uint16_t ops[3] = {ins.a, ins.b, ins.c};
    bool a_read = ins.op == OP_JMPIF || ins.op == OP_JMPIFNOT || ins.op == OP_JMPIFNOT_LT || ins.op == OP_JMPIFNOT_LE ||
                  ins.op == OP_NEXT_ITEM || ins.op == OP_RET;
    for (int j = 0; j < 3 && ok; j++) {
      if (!is_reg_kind(kinds[j]) || (j == 0 && !a_read)) continue;
      uint32_t first = ops[j], count = 1;
      if (ins.op == OP_CALL && j == 2) count = c->protos[ins.b].nparams;
      for (uint32_t r = first; r < first + count && ok; r++)
        if (!DEFINED(r)) {
          v->pc = pc;
          ok = fail(v, "%s reads register %" PRIu32 " before anything wrote it", op_name[ins.op], r);
        }
    }
    if (ok && ins.op == OP_COVER && ins.b < c->ncovers && c->covers[ins.b].reg >= 0 &&
        !DEFINED((uint32_t)c->covers[ins.b].reg)) {   /* a version's peildatum, read when tracing */
      v->pc = pc;
      ok = fail(v, "COVER reads register %" PRId32 " before anything wrote it", c->covers[ins.b].reg);
    }
    if (ok && ins.op == OP_REVISE && ins.b < c->nrevsites) {   /* the call site's registers */
      const RevisionSite *rs = &c->revsites[ins.b];
      uint16_t regs[3] = {rs->amount, rs->after, rs->through};
      for (int k = 0; k < 3 && ok; k++)
        if (!DEFINED(regs[k])) {
          v->pc = pc;
          ok = fail(v, "REVISE reads register %u before anything wrote it", regs[k]);
        }
    }
    if (!ok) break;
    if (is_reg_kind(kinds[0]) && !a_read) cur[ins.a / 64] |= (uint64_t)1 << (ins.a % 64);
    uint32_t succ[2];
    int ns = 0;
    if (ins.op == OP_JMP) succ[ns++] = (uint32_t)((int64_t)pc + 1 + INSTR_SB(ins));
    else if (ins.op == OP_JMPIF || ins.op == OP_JMPIFNOT) {
      succ[ns++] = pc + 1;
      succ[ns++] = (uint32_t)((int64_t)pc + 1 + INSTR_SB(ins));
    } else if (ins.op == OP_JMPIFNOT_LT || ins.op == OP_JMPIFNOT_LE || ins.op == OP_NEXT_ITEM) {
      succ[ns++] = pc + 1;
      succ[ns++] = (uint32_t)((int64_t)pc + 1 + (int16_t)ins.c);
    } else if (ins.op != OP_RET && ins.op != OP_FAIL) succ[ns++] = pc + 1;
    for (int s = 0; s < ns && ok; s++) {
      uint32_t t = succ[s];
      if (t >= n) {
        v->pc = pc;
        ok = fail(v, "the code runs past its last instruction");
        break;
      }
      uint64_t *dst = &in[(size_t)t * words];
      bool changed = !seen[t];
      for (uint32_t w = 0; w < words; w++) {
        uint64_t m = seen[t] ? dst[w] & cur[w] : cur[w];
        if (m != dst[w]) changed = true;
        dst[w] = m;
      }
      seen[t] = 1;
      if (changed && !queued[t]) {
        queued[t] = 1;
        work[nwork++] = t;
      }
    }
  }
#undef DEFINED
  xfree(in);
  xfree(seen);
  xfree(queued);
  xfree(work);
  xfree(cur);
  return ok;
}

static bool check_proto(Verifier *v) {
  const Chunk *c = v->c;
  const Proto *p = v->p;
  char tb[64];
  v->pc = -1;
  if (!p->name) return fail(v, "a rule without a name");
  if (p->ncode == 0 || !p->code) return fail(v, "no code");
  if (p->nregs > 0 && !p->regtypes) return fail(v, "no register types");
  if (p->nparams > p->nregs) return fail(v, "%u parameters but %u registers", p->nparams, (unsigned)p->nregs);
  if (!type_ok(&c->schema, p->result)) return fail(v, "result has %s", tname(v, p->result, tb));
  for (uint32_t r = 0; r < p->nregs; r++)
    if (!type_ok(&c->schema, p->regtypes[r]))
      return fail(v, "register %" PRIu32 " has %s", r, tname(v, p->regtypes[r], tb));
  if (!span_ok(c, p->span)) return fail(v, "its span is outside the source files");
  for (uint32_t pc = 0; pc < p->ncode; pc++) {
    v->pc = pc;
    if (p->spans && !span_ok(c, p->spans[pc])) return fail(v, "span outside the source files");
    if (!check_instr(v, p->code[pc])) return false;
  }
  v->pc = -1;
  return check_defined(v);
}

/* ---- the rule graph ---- */

/*
** Depth-first search over RULE instructions without recursion (rule sets
** can be deep). On a back edge the cycle is read off the search stack and
** reported as "'a' -> 'b' -> 'a'" at the instruction that closes it.
*/
static bool check_acyclic(Verifier *v) {
  const Chunk *c = v->c;
  uint32_t n = c->nprotos;
  uint8_t *color = xcalloc(n ? n : 1, 1);     /* 0 new, 1 on the stack, 2 done */
  uint32_t *stack = xmalloc((n ? n : 1) * sizeof *stack);
  uint32_t *next = xmalloc((n ? n : 1) * sizeof *next);   /* per stacked rule: next pc to look at */
  bool ok = true;
  for (uint32_t root = 0; root < n && ok; root++) {
    if (color[root]) continue;
    uint32_t sp = 0;
    stack[sp] = root;
    next[sp++] = 0;
    color[root] = 1;
    while (sp > 0 && ok) {
      uint32_t r = stack[sp - 1];
      const Proto *p = &c->protos[r];
      uint32_t pc = next[sp - 1];
      while (pc < p->ncode && p->code[pc].op != OP_RULE && p->code[pc].op != OP_CALL) pc++;
      if (pc == p->ncode) {
        color[r] = 2;
        sp--;
        continue;
      }
      next[sp - 1] = pc + 1;
      uint32_t q = p->code[pc].b;
      if (color[q] == 0) {
        color[q] = 1;
        stack[sp] = q;
        next[sp++] = 0;
      } else if (color[q] == 1) {
        char path[300];
        size_t len = 0;
        uint32_t from = sp - 1;
        while (stack[from] != q) from--;
        for (uint32_t k = from; k < sp && len < sizeof path; k++)
          len += (size_t)snprintf(path + len, sizeof path - len, "'%s' -> ", c->protos[stack[k]].name);
        if (len < sizeof path) snprintf(path + len, sizeof path - len, "'%s'", c->protos[q].name);
        v->p = p;
        v->pc = pc;
        ok = fail(v, "rules depend on each other in a cycle: %s", path);
      }
    }
  }
  xfree(color);
  xfree(stack);
  xfree(next);
  return ok;
}

bool verify_chunk(const Chunk *c, char *err, size_t cap) {
  Verifier v = {c, err, cap, NULL, -1};
  if (err && cap) err[0] = 0;
  if ((c->nprotos && !c->protos) || (c->nconsts && (!c->consts || !c->ktypes)) ||
      (c->noutputs && !c->outputs) || (c->nfiles && !c->files))
    return fail(&v, "chunk: a count without its array");
  if (!check_schema(&v) || !check_consts(&v) || !check_tables(&v) || !check_sites(&v)) return false;
  for (uint32_t i = 0; i < c->nprotos; i++) {
    v.p = &c->protos[i];
    if (!check_proto(&v)) return false;
  }
  v.p = NULL;
  v.pc = -1;
  if (!check_outputs(&v)) return false;
  return check_acyclic(&v);
}
