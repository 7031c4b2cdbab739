/*
** test_compile.c: the code generator (lang/compile.c) through
** front_compile_text(..., FRONT_COMPILE). First the generated Chunk: the
** opcode sequence and operands of small rules (money addition, money x
** geheel, geheel / geheel, swapped operands for > and >=, <> as EQ + NOT,
** implicit conversions, rounding specs), constant deduplication, source
** spans, and the verifier accepting every chunk. Then the chunks run on
** hand-built input Records with vm_new / vm_eval_rule / vm_run, against
** values worked out by hand: afgerond with all five methods to cent, euro
** and a multiple of EUR 2,61; som/aantal/min/max/elk/enig with and without
** 'waarbij', also over an empty list; geval; als; run-time overflow and
** division by zero; memoisation.
*/
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lang/front.h"
#include "runtime/chunk.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/verify.h"
#include "runtime/vm.h"
#include "prog.h"

/* ---- compiling ---- */

static const Proto *proto(const Prog *p, const char *name) { return &p->c->protos[rule_ix(p->c, name)]; }

static uint32_t off_of(const char *src, const char *needle) {
  const char *s = strstr(src, needle);
  cr_assert_not_null(s, "'%s' not in source", needle);
  return (uint32_t)(s - src);
}

/* The rule's opcodes are exactly `ops`. */
static void ops_are(const Proto *pr, const int *ops, uint32_t n) {
  char got[512] = "";
  size_t len = 0;
  for (uint32_t i = 0; i < pr->ncode && len < sizeof got - 20; i++)
    len += (size_t)snprintf(got + len, sizeof got - len, "%s ", op_name[pr->code[i].op]);
  cr_assert_eq(pr->ncode, n, "rule %s: %u instructions (%s), expected %u", pr->name, pr->ncode, got, n);
  for (uint32_t i = 0; i < n; i++)
    cr_assert_eq(pr->code[i].op, ops[i], "rule %s pc %u: %s, expected %s (all: %s)", pr->name, i,
                 op_name[pr->code[i].op], op_name[ops[i]], got);
}

#define OPS(pr, ...)                                              \
  do {                                                            \
    static const int o_[] = {__VA_ARGS__};                        \
    ops_are((pr), o_, (uint32_t)(sizeof o_ / sizeof o_[0]));       \
  } while (0)

/* ---- building input ---- */

static int rec_ix(const Chunk *c, const char *name) {
  for (uint32_t i = 0; i < c->schema.nrecords; i++)
    if (strcmp(c->schema.records[i].name, name) == 0) return (int)i;
  cr_assert_fail("no record type '%s'", name);
  return -1;
}

/* A zeroed record of type `type` with that type's nfields. */
static Record *new_record(Prog *p, uint32_t type) {
  uint32_t n = p->c->schema.records[type].nfields;
  Record *r = arena_alloc(&p->ar, sizeof(Record) + n * sizeof(Value));
  r->type = type;
  r->nfields = n;
  return r;
}

static Record *new_input(Prog *p) {
  cr_assert_geq(p->c->schema.input, 0, "no invoer");
  return new_record(p, (uint32_t)p->c->schema.input);
}

static void set(Prog *p, Record *r, const char *field, Value v) {
  const RecordType *rt = &p->c->schema.records[r->type];
  int k = schema_field_index(rt, field, strlen(field));
  cr_assert_geq(k, 0, "no field '%s' in %s", field, rt->name);
  r->fields[k] = v;
}

static Value vi(int64_t i) {
  Value v;
  v.i = i;
  return v;
}

static Value vd(int64_t num, int64_t den) {
  Value v;
  cr_assert_eq(dec_make(num, den, &v.dec), NUM_OK);
  return v;
}

static Value vlist(Prog *p, TypeRef elem, uint32_t n, const Value *items) {
  List *l = arena_alloc(&p->ar, sizeof *l);
  l->n = n;
  l->elem = elem;
  l->items = arena_alloc(&p->ar, (n ? n : 1) * sizeof(Value));
  if (n) memcpy(l->items, items, n * sizeof(Value));
  Value v;
  v.list = l;
  return v;
}

static Value vtext(Prog *p, const char *s) {
  size_t n = strlen(s);
  Text *t = arena_alloc(&p->ar, sizeof(Text) + n + 1);
  t->len = (uint32_t)n;
  memcpy(t->bytes, s, n + 1);
  Value v;
  v.text = t;
  return v;
}

/* ---- running ---- */

static VmStatus eval_err(Prog *p, Record *in, const char *rule, VmError *e) {
  Value out;
  memset(e, 0, sizeof *e);
  VmStatus st = vm_eval_rule(p->vm, in, &p->ar, rule_ix(p->c, rule), &out, e);
  cr_assert_neq(st, VM_OK, "rule %s should fail", rule);
  return st;
}

static void expect_int(Prog *p, Record *in, const char *rule, int64_t want) {
  Value v = eval_ok(p, in, rule);
  cr_assert_eq(v.i, want, "rule %s: %lld, expected %lld", rule, (long long)v.i, (long long)want);
}

static void expect_dec(Prog *p, Record *in, const char *rule, int64_t num, int64_t den) {
  Value v = eval_ok(p, in, rule);
  cr_assert(v.dec.num == num && v.dec.den == den, "rule %s: %lld/%lld, expected %lld/%lld", rule,
            (long long)v.dec.num, (long long)v.dec.den, (long long)num, (long long)den);
}

/* ==================== the generated code ==================== */

#define NUM_INPUT "invoer D { m: geld  n: geld  i: geheel  j: geheel  g: getal  s: tekst }\n"

Test(compile, money_addition) {
  Prog p;
  prog_compile(&p, "regel a: geld = \xE2\x82\xAC 1,00 + \xE2\x82\xAC 2,00\n");
  const Proto *pr = proto(&p, "a");
  OPS(pr, OP_LOADK, OP_LOADK, OP_ADD_MONEY, OP_RET);
  /* Result register 0, operands 1 and 2; constants K0 = 100 cents, K1 = 200 cents. */
  cr_assert_eq(pr->code[0].a, 1);
  cr_assert_eq(pr->code[0].b, 0);
  cr_assert_eq(pr->code[1].a, 2);
  cr_assert_eq(pr->code[1].b, 1);
  cr_assert_eq(pr->code[2].a, 0);
  cr_assert_eq(pr->code[2].b, 1);
  cr_assert_eq(pr->code[2].c, 2);
  cr_assert_eq(pr->code[3].a, 0);
  cr_assert_eq(p.c->nconsts, 2u);
  cr_assert_eq(p.c->ktypes[0].kind, VK_MONEY);
  cr_assert_eq(p.c->consts[0].i, 100);
  cr_assert_eq(p.c->consts[1].i, 200);
  cr_assert_eq(pr->nregs, 3);
  for (int r = 0; r < 3; r++) cr_assert_eq(pr->regtypes[r].kind, VK_MONEY);
  cr_assert_eq(pr->result.kind, VK_MONEY);
  /* It runs: 1.00 + 2.00 = 3.00. */
  expect_int(&p, NULL, "a", 300);
  prog_free(&p);
}

Test(compile, spans_point_at_the_source) {
  Prog p;
  const char *src = "regel som_ab: geld = \xE2\x82\xAC 1,00 + \xE2\x82\xAC 2,00\n";
  prog_compile(&p, src);
  const Proto *pr = proto(&p, "som_ab");
  cr_assert_eq(pr->span.off, 6u);   /* the rule's name */
  cr_assert_eq(pr->span.len, 6u);
  uint32_t k1 = off_of(src, "\xE2\x82\xAC 1,00"), k2 = off_of(src, "\xE2\x82\xAC 2,00");
  cr_assert_eq(pr->spans[0].off, k1);
  cr_assert_eq(pr->spans[0].len, 8u);
  cr_assert_eq(pr->spans[1].off, k2);
  cr_assert_eq(pr->spans[2].off, k1);   /* the addition spans both operands */
  cr_assert_eq(pr->spans[2].len, k2 + 8 - k1);
  /* The chunk carries the source, so run-time errors can say file:line:col. */
  cr_assert_eq(p.c->nfiles, 1u);
  cr_assert_str_eq(p.c->files[0].name, "t.rules");
  char loc[64];
  cr_assert_str_eq(chunk_location(p.c, pr->spans[1], loc, sizeof loc), "t.rules:1:31");
  prog_free(&p);
}

Test(compile, money_times_integer) {
  Prog p;
  prog_compile(&p, NUM_INPUT "regel a: geld = m * 3\nregel b: geld = 3 * m\n");
  const Proto *a = proto(&p, "a"), *b = proto(&p, "b");
  OPS(a, OP_INPUT, OP_LOADI, OP_MUL_MONEY_INT, OP_RET);
  /* Written the other way round, the money operand still goes in B and the integer in C. */
  OPS(b, OP_INPUT, OP_LOADI, OP_MUL_MONEY_INT, OP_RET);
  for (int k = 0; k < 2; k++) {
    const Proto *pr = k ? b : a;
    const Instr mul = pr->code[2];
    cr_assert_eq(pr->regtypes[mul.b].kind, VK_MONEY);
    cr_assert_eq(pr->regtypes[mul.c].kind, VK_INT);
    cr_assert_eq(pr->code[0].b, 0);   /* INPUT field 0 = m */
    cr_assert_eq((int16_t)pr->code[1].b, 3);
  }
  Record *in = new_input(&p);
  set(&p, in, "m", vi(1234));
  expect_int(&p, in, "a", 3702);   /* 12.34 * 3 = 37.02 */
  expect_int(&p, in, "b", 3702);
  prog_free(&p);
}

Test(compile, integer_division_is_exact) {
  Prog p;
  prog_compile(&p, NUM_INPUT "regel a: getal = i / j\n");
  const Proto *pr = proto(&p, "a");
  OPS(pr, OP_INPUT, OP_INT_TO_DEC, OP_INPUT, OP_INT_TO_DEC, OP_DIV_DEC, OP_RET);
  cr_assert_eq(pr->code[0].b, 2);   /* i */
  cr_assert_eq(pr->code[2].b, 3);   /* j */
  /* DIV_DEC divides the converted i by the converted j. */
  cr_assert_eq(pr->code[4].b, pr->code[1].a);
  cr_assert_eq(pr->code[4].c, pr->code[3].a);
  Record *in = new_input(&p);
  set(&p, in, "i", vi(1));
  set(&p, in, "j", vi(3));
  expect_dec(&p, in, "a", 1, 3);    /* 1/3 stays 1/3 */
  set(&p, in, "i", vi(-10));
  set(&p, in, "j", vi(4));
  expect_dec(&p, in, "a", -5, 2);   /* -10/4 = -5/2 */
  prog_free(&p);
}

Test(compile, greater_than_swaps_operands) {
  Prog p;
  prog_compile(&p, NUM_INPUT
               "regel gt: waarheid = i > j\n"
               "regel ge: waarheid = i >= j\n"
               "regel lt: waarheid = i < j\n"
               "regel le: waarheid = i <= j\n");
  /* code[0] loads i, code[1] loads j; then the comparison. */
  static const struct { const char *rule; int op; bool swapped; } want[] = {
    {"gt", OP_LT, true}, {"ge", OP_LE, true}, {"lt", OP_LT, false}, {"le", OP_LE, false},
  };
  for (int k = 0; k < 4; k++) {
    const Proto *pr = proto(&p, want[k].rule);
    const int ops[] = {OP_INPUT, OP_INPUT, want[k].op, OP_RET};
    ops_are(pr, ops, 4);
    cr_assert_eq(pr->code[0].b, 2);
    cr_assert_eq(pr->code[1].b, 3);
    uint16_t ri = pr->code[0].a, rj = pr->code[1].a;
    cr_assert_eq(pr->code[2].b, want[k].swapped ? rj : ri, "rule %s", want[k].rule);
    cr_assert_eq(pr->code[2].c, want[k].swapped ? ri : rj, "rule %s", want[k].rule);
  }
  Record *in = new_input(&p);
  /* i = 5, j = 3: gt true, ge true, lt false, le false; i = j = 3: gt false, ge true, lt false, le true. */
  set(&p, in, "i", vi(5));
  set(&p, in, "j", vi(3));
  expect_int(&p, in, "gt", 1);
  expect_int(&p, in, "ge", 1);
  expect_int(&p, in, "lt", 0);
  expect_int(&p, in, "le", 0);
  set(&p, in, "i", vi(3));
  expect_int(&p, in, "gt", 0);
  expect_int(&p, in, "ge", 1);
  expect_int(&p, in, "lt", 0);
  expect_int(&p, in, "le", 1);
  prog_free(&p);
}

Test(compile, not_equal_is_eq_then_not) {
  Prog p;
  prog_compile(&p, NUM_INPUT
               "regel a: waarheid = i <> j\n"
               "regel b: waarheid = g \xE2\x89\xA0 0.5\n"
               "regel c: waarheid = s <> \"x\"\n"
               "regel d: waarheid = m != n\n");
  const Proto *a = proto(&p, "a");
  OPS(a, OP_INPUT, OP_INPUT, OP_EQ, OP_NOT, OP_RET);
  cr_assert_eq(a->code[3].a, a->code[2].a);   /* NOT in place on the EQ result */
  cr_assert_eq(a->code[3].b, a->code[2].a);
  cr_assert_eq(a->code[4].a, a->code[2].a);
  OPS(proto(&p, "b"), OP_INPUT, OP_LOADK, OP_EQ_DEC, OP_NOT, OP_RET);
  OPS(proto(&p, "c"), OP_INPUT, OP_LOADK, OP_EQ_TEXT, OP_NOT, OP_RET);
  OPS(proto(&p, "d"), OP_INPUT, OP_INPUT, OP_EQ, OP_NOT, OP_RET);
  Record *in = new_input(&p);
  set(&p, in, "i", vi(4));
  set(&p, in, "j", vi(4));
  set(&p, in, "g", vd(1, 2));
  set(&p, in, "s", vtext(&p, "x"));
  set(&p, in, "m", vi(1));
  set(&p, in, "n", vi(2));
  expect_int(&p, in, "a", 0);
  expect_int(&p, in, "b", 0);
  expect_int(&p, in, "c", 0);
  expect_int(&p, in, "d", 1);
  set(&p, in, "s", vtext(&p, "xy"));
  expect_int(&p, in, "c", 1);
  prog_free(&p);
}

Test(compile, implicit_conversions) {
  Prog p;
  prog_compile(&p, NUM_INPUT
               "regel a: getal = m * g\n"
               "regel b: waarheid = i < g\n"
               "regel c: getal = i\n"
               "regel d: getal = m / n\n"
               "regel e: getal = m\n"
               "regel f: getal = als i > 0 dan m anders g\n");
  OPS(proto(&p, "a"), OP_INPUT, OP_MONEY_TO_DEC, OP_INPUT, OP_MUL_DEC, OP_RET);
  OPS(proto(&p, "b"), OP_INPUT, OP_INT_TO_DEC, OP_INPUT, OP_LT_DEC, OP_RET);
  OPS(proto(&p, "c"), OP_INPUT, OP_INT_TO_DEC, OP_RET);   /* a geheel value in a getal rule */
  OPS(proto(&p, "d"), OP_INPUT, OP_MONEY_TO_DEC, OP_INPUT, OP_MONEY_TO_DEC, OP_DIV_DEC, OP_RET);
  OPS(proto(&p, "e"), OP_INPUT, OP_MONEY_TO_DEC, OP_RET);   /* a geld value in a getal rule: euros */
  Record *in = new_input(&p);
  set(&p, in, "m", vi(1000));       /* 10.00 */
  set(&p, in, "n", vi(300));        /* 3.00 */
  set(&p, in, "g", vd(7, 10));
  set(&p, in, "i", vi(1));
  expect_dec(&p, in, "a", 7, 1);    /* 10 * 7/10 = 7 */
  expect_int(&p, in, "b", 0);       /* 1 < 0.7 is false */
  expect_dec(&p, in, "c", 1, 1);
  expect_dec(&p, in, "d", 10, 3);   /* 10.00 / 3.00 = 10/3 */
  expect_dec(&p, in, "e", 10, 1);   /* 1000 cents are 10 euros, not 1000 */
  expect_dec(&p, in, "f", 10, 1);   /* the geld branch, widened */
  set(&p, in, "i", vi(0));
  expect_dec(&p, in, "f", 7, 10);   /* the getal branch */
  prog_free(&p);
}

Test(compile, small_integers_are_immediates) {
  Prog p;
  prog_compile(&p,
               "regel a: geheel = 32767\n"
               "regel b: geheel = 32768\n"
               "regel c: geheel = -5\n");
  OPS(proto(&p, "a"), OP_LOADI, OP_RET);
  cr_assert_eq((int16_t)proto(&p, "a")->code[0].b, 32767);
  OPS(proto(&p, "b"), OP_LOADK, OP_RET);
  OPS(proto(&p, "c"), OP_LOADI, OP_NEG_INT, OP_RET);
  cr_assert_eq(p.c->nconsts, 1u);
  cr_assert_eq(p.c->ktypes[0].kind, VK_INT);
  cr_assert_eq(p.c->consts[0].i, 32768);
  expect_int(&p, NULL, "a", 32767);
  expect_int(&p, NULL, "b", 32768);
  expect_int(&p, NULL, "c", -5);
  prog_free(&p);
}

Test(compile, rounding_spec_constant) {
  Prog p;
  prog_compile(&p, NUM_INPUT
               "regel a: geld = afgerond(g, op: cent, methode: rekenkundig)\n"
               "regel b: geld = afgerond(g, op: euro, methode: weg_van_nul)\n"
               "regel c: geld = afgerond(i / 3, op: \xE2\x82\xAC 2,61, methode: naar_beneden)\n");
  /* Spec = unit in cents * 8 + method: 1*8 + 0 = 8; 100*8 + 4 = 804; 261*8 + 2 = 2090. */
  static const struct { const char *rule; int64_t spec; } want[] = {{"a", 8}, {"b", 804}, {"c", 2090}};
  for (int k = 0; k < 3; k++) {
    const Proto *pr = proto(&p, want[k].rule);
    const Instr *r = NULL;
    for (uint32_t pc = 0; pc < pr->ncode; pc++)
      if (pr->code[pc].op == OP_ROUND_MONEY) r = &pr->code[pc];
    cr_assert_not_null(r);
    cr_assert_eq(p.c->ktypes[r->c].kind, VK_INT);
    cr_assert_eq(p.c->consts[r->c].i, want[k].spec, "rule %s", want[k].rule);
    cr_assert_eq(pr->regtypes[r->b].kind, VK_DEC);
    cr_assert_eq(pr->code[pr->ncode - 2].op, OP_ROUND_MONEY);
    cr_assert_eq(pr->code[pr->ncode - 1].op, OP_RET);
  }
  OPS(proto(&p, "a"), OP_INPUT, OP_ROUND_MONEY, OP_RET);
  prog_free(&p);
}

Test(compile, constants_are_deduplicated) {
  Prog p;
  prog_compile(&p,
               "regel a: geld = \xE2\x82\xAC 1 + \xE2\x82\xAC 1,00 + EUR 1.00\n"   /* one amount, three spellings */
               "regel b: geld = \xE2\x82\xAC 1\n"                                   /* shared across rules */
               "regel c: waarheid = 0.5 = 50%\n"                                    /* 1/2 twice (a sum would fold) */
               "regel d: geheel = 100000 + 100000\n"
               "regel e: geld = \xE2\x82\xAC 1.000\n"                               /* 100000 cents: a geld, not the geheel */
               "regel f: tekst = \"ab\"\n"
               "regel g: waarheid = \"ab\" = \"ab\"\n"
               "regel h: datum = 2024-01-31\n"
               "regel k: waarheid = 2024-01-31 > 2024-01-30\n");
  /* Distinct (type, value) pairs: geld 100, getal 1/2, geheel 100000, geld 100000, tekst "ab",
  ** datum 19753 (2024-01-31), datum 19752 = 7 constants. */
  cr_assert_eq(p.c->nconsts, 7u);
  int money = 0, dec = 0, ints = 0, text = 0, dates = 0;
  for (uint32_t i = 0; i < p.c->nconsts; i++) {
    switch (p.c->ktypes[i].kind) {
    case VK_MONEY: money++; cr_assert(p.c->consts[i].i == 100 || p.c->consts[i].i == 100000); break;
    case VK_DEC: dec++; cr_assert(p.c->consts[i].dec.num == 1 && p.c->consts[i].dec.den == 2); break;
    case VK_INT: ints++; cr_assert_eq(p.c->consts[i].i, 100000); break;
    case VK_TEXT: text++; cr_assert_str_eq(p.c->consts[i].text->bytes, "ab"); break;
    case VK_DATE: dates++; cr_assert(p.c->consts[i].i == 19753 || p.c->consts[i].i == 19752); break;
    default: cr_assert_fail("unexpected constant type %d", p.c->ktypes[i].kind);
    }
  }
  cr_assert_eq(money, 2);
  cr_assert_eq(dec, 1);
  cr_assert_eq(ints, 1);
  cr_assert_eq(text, 1);
  cr_assert_eq(dates, 2);
  /* Rule a's three spellings are one constant, loaded once and read three times. */
  const Proto *a = proto(&p, "a");
  OPS(a, OP_LOADK, OP_ADD_MONEY, OP_ADD_MONEY, OP_RET);
  cr_assert_eq(a->code[1].b, a->code[0].a);
  cr_assert_eq(a->code[1].c, a->code[0].a);
  cr_assert_eq(proto(&p, "b")->code[0].b, a->code[0].b);
  expect_int(&p, NULL, "a", 300);
  expect_int(&p, NULL, "c", 1);   /* 0.5 = 50% */
  expect_int(&p, NULL, "d", 200000);
  expect_int(&p, NULL, "e", 100000);
  expect_int(&p, NULL, "g", 1);
  expect_int(&p, NULL, "k", 1);
  prog_free(&p);
}

Test(compile, logic_short_circuits) {
  Prog p;
  prog_compile(&p, NUM_INPUT "regel a: waarheid = i > 0 en j > 0\nregel o: waarheid = i > 0 of j > 0\n");
  const Proto *a = proto(&p, "a");
  /* r := left; if not r skip the right side; r := right. */
  OPS(a, OP_INPUT, OP_LOADI, OP_LT, OP_MOVE, OP_JMPIFNOT, OP_INPUT, OP_LOADI, OP_LT, OP_MOVE, OP_RET);
  cr_assert_eq((int16_t)a->code[4].b, 4);   /* from pc 5 to pc 9 (the RET) */
  const Proto *o = proto(&p, "o");
  cr_assert_eq(o->code[4].op, OP_JMPIF);
  Record *in = new_input(&p);
  static const struct { int64_t i, j, en, of; } rows[] = {{1, 1, 1, 1}, {1, 0, 0, 1}, {0, 1, 0, 1}, {0, 0, 0, 0}};
  for (int k = 0; k < 4; k++) {
    set(&p, in, "i", vi(rows[k].i));
    set(&p, in, "j", vi(rows[k].j));
    expect_int(&p, in, "a", rows[k].en);
    expect_int(&p, in, "o", rows[k].of);
  }
  prog_free(&p);
}

Test(compile, rule_references_become_rule_calls) {
  Prog p;
  prog_compile(&p, "regel a: geheel = b * 2\nregel b: geheel = 21\n");
  const Proto *a = proto(&p, "a");
  OPS(a, OP_RULE, OP_LOADI, OP_MUL_INT, OP_RET);
  cr_assert_eq(a->code[0].b, 1);   /* rule index of b */
  expect_int(&p, NULL, "a", 42);
  prog_free(&p);
}

/* ==================== running: rounding ==================== */

/*
** afgerond(x, op: unit, methode: m) for the five methods, in the order
** rekenkundig, naar_boven, naar_beneden, richting_nul, weg_van_nul.
**
**   € 10 / 3   = 10/3 euro = 333.33.. cents
**     cent:   333 (…33 < half), up 334, down 333, toward zero 333, away 334
**     euro:   3.33 euro -> 3, up 4, down 3, toward zero 3, away 4          (x100 cents)
**     € 2,61: 333.33/261 = 1.277 units -> 1, up 2, down 1, tz 1, away 2    (x261 cents)
**   -€ 10 / 3  = -333.33.. cents: the mirror image; up goes to -333, down to -334
**     cent: -333, -333, -334, -333, -334
**     euro: -300, -300, -400, -300, -400
**     € 2,61: -261, -261, -522, -261, -522
**   € 0,05 / 2 = 2.5 cents, exactly half:  3, 3, 2, 2, 3
**   -€ 0,05 / 2 = -2.5 cents:             -3, -2, -3, -2, -3
**   € 5 / 2    = 2.5 euro, to euro:        300, 300, 200, 200, 300
**   € 7,83 / 2 = 391.5 cents = 1.5 units of 261, to € 2,61: 2, 2, 1, 1, 2 units = 522, 522, 261, 261, 522
**   € 5,22 / 1 = 522 cents = exactly 2 units of 261: 522 for every method
*/
static const char *const methods[5] = {"rekenkundig", "naar_boven", "naar_beneden", "richting_nul", "weg_van_nul"};

static const struct RoundCase {
  const char *x, *unit;
  int64_t want[5];
} round_cases[] = {
  {"\xE2\x82\xAC 10 / 3", "cent", {333, 334, 333, 333, 334}},
  {"-\xE2\x82\xAC 10 / 3", "cent", {-333, -333, -334, -333, -334}},
  {"\xE2\x82\xAC 0,05 / 2", "cent", {3, 3, 2, 2, 3}},
  {"-\xE2\x82\xAC 0,05 / 2", "cent", {-3, -2, -3, -2, -3}},
  {"\xE2\x82\xAC 10 / 3", "euro", {300, 400, 300, 300, 400}},
  {"-\xE2\x82\xAC 10 / 3", "euro", {-300, -300, -400, -300, -400}},
  {"\xE2\x82\xAC 5 / 2", "euro", {300, 300, 200, 200, 300}},
  {"\xE2\x82\xAC 10 / 3", "\xE2\x82\xAC 2,61", {261, 522, 261, 261, 522}},
  {"-\xE2\x82\xAC 10 / 3", "\xE2\x82\xAC 2,61", {-261, -261, -522, -261, -522}},
  {"\xE2\x82\xAC 7,83 / 2", "\xE2\x82\xAC 2,61", {522, 522, 261, 261, 522}},
  {"\xE2\x82\xAC 5,22 / 1", "\xE2\x82\xAC 2,61", {522, 522, 522, 522, 522}},
};

Test(compile, rounding_all_methods) {
  size_t ncases = sizeof round_cases / sizeof round_cases[0];
  char src[8192];
  size_t len = 0;
  for (size_t k = 0; k < ncases; k++)
    for (int m = 0; m < 5; m++)
      len += (size_t)snprintf(src + len, sizeof src - len, "regel r%zu_%d: geld = afgerond(%s, op: %s, methode: %s)\n", k,
                              m, round_cases[k].x, round_cases[k].unit, methods[m]);
  cr_assert_lt(len, sizeof src);
  Prog p;
  prog_compile(&p, src);
  for (size_t k = 0; k < ncases; k++)
    for (int m = 0; m < 5; m++) {
      char name[32];
      snprintf(name, sizeof name, "r%zu_%d", k, m);
      Value v = eval_ok(&p, NULL, name);
      cr_assert_eq(v.i, round_cases[k].want[m], "afgerond(%s, op: %s, methode: %s) = %lld cents, expected %lld",
                   round_cases[k].x, round_cases[k].unit, methods[m], (long long)v.i,
                   (long long)round_cases[k].want[m]);
    }
  prog_free(&p);
}

Test(compile, rounding_in_english) {
  Prog p;
  /* The same cases, with the English method names: 10/3 euro to cent. */
  prog_compile(&p,
               "language en\n"
               "rule a: money = rounded(\xE2\x82\xAC 10 / 3, to: cent, method: half_away_from_zero)\n"
               "rule b: money = rounded(\xE2\x82\xAC 10 / 3, to: cent, method: up)\n"
               "rule c: money = rounded(-\xE2\x82\xAC 10 / 3, to: cent, method: down)\n"
               "rule d: money = rounded(-\xE2\x82\xAC 10 / 3, to: cent, method: toward_zero)\n"
               "rule e: money = rounded(\xE2\x82\xAC 0,05 / 2, to: cent, method: away_from_zero)\n");
  expect_int(&p, NULL, "a", 333);
  expect_int(&p, NULL, "b", 334);
  expect_int(&p, NULL, "c", -334);
  expect_int(&p, NULL, "d", -333);
  expect_int(&p, NULL, "e", 3);
  prog_free(&p);
}

/* ==================== running: aggregates ==================== */

static const char *const agg_src =
  "gegevens L { v: geld  n: geheel  k: getal }\n"
  "invoer D { loon: lijst L }\n"
  "regel s_all: geld = som(r.v voor elke r in loon)\n"
  "regel s_pos: geld = som(r.v voor elke r in loon waarbij r.n > 0)\n"
  "regel s_n: geheel = som(r.n voor elke r in loon)\n"
  "regel s_k: getal = som(r.k voor elke r in loon)\n"
  "regel c_all: geheel = aantal(elke r in loon)\n"
  "regel c_pos: geheel = aantal(elke r in loon waarbij r.n > 0)\n"
  "regel mn: geheel = min(r.n voor elke r in loon)\n"
  "regel mx: geheel = max(r.n voor elke r in loon)\n"
  "regel mn_v: geld = min(r.v voor elke r in loon waarbij r.n > 0)\n"
  "regel mx_v: geld = max(r.v voor elke r in loon waarbij r.n > 0)\n"
  "regel mn_k: getal = min(r.k voor elke r in loon)\n"
  "regel mx_k: getal = max(r.k voor elke r in loon)\n"
  "regel all1: waarheid = elk(r.n > -5 voor elke r in loon)\n"
  "regel all2: waarheid = elk(r.n > 0 voor elke r in loon)\n"
  "regel all3: waarheid = elk(r.n > 0 voor elke r in loon waarbij r.v < \xE2\x82\xAC 2)\n"
  "regel any1: waarheid = enig(r.n < 0 voor elke r in loon)\n"
  "regel any2: waarheid = enig(r.n > 10 voor elke r in loon)\n"
  "regel any3: waarheid = enig(r.n < 0 voor elke r in loon waarbij r.v < \xE2\x82\xAC 2)\n"
  "regel mn_none: geheel = min(r.n voor elke r in loon waarbij r.n > 100)\n"
  "regel pairs: geheel = aantal(elke r in loon waarbij enig(q.v > r.v voor elke q in loon))\n";

/* The list: (v 1.00, n 3, k 1/3), (v 2.50, n -4, k 1/6), (v 0.25, n 7, k -1/4). */
static Record *agg_input(Prog *p, bool empty) {
  int L = rec_ix(p->c, "L");
  static const struct { int64_t v, n, kn, kd; } rows[] = {{100, 3, 1, 3}, {250, -4, 1, 6}, {25, 7, -1, 4}};
  Value items[3];
  for (int i = 0; i < 3; i++) {
    Record *r = new_record(p, (uint32_t)L);
    set(p, r, "v", vi(rows[i].v));
    set(p, r, "n", vi(rows[i].n));
    set(p, r, "k", vd(rows[i].kn, rows[i].kd));
    items[i].rec = r;
  }
  Record *in = new_input(p);
  TypeRef elem = {VK_RECORD, 0, (uint16_t)L};
  set(p, in, "loon", vlist(p, elem, empty ? 0 : 3, items));
  return in;
}

Test(compile, aggregates_over_a_list) {
  Prog p;
  prog_compile(&p, agg_src);
  Record *in = agg_input(&p, false);
  expect_int(&p, in, "s_all", 375);   /* 100 + 250 + 25 */
  expect_int(&p, in, "s_pos", 125);   /* n > 0: items 1 and 3: 100 + 25 */
  expect_int(&p, in, "s_n", 6);       /* 3 - 4 + 7 */
  expect_dec(&p, in, "s_k", 1, 4);    /* 4/12 + 2/12 - 3/12 = 3/12 */
  expect_int(&p, in, "c_all", 3);
  expect_int(&p, in, "c_pos", 2);
  expect_int(&p, in, "mn", -4);
  expect_int(&p, in, "mx", 7);
  expect_int(&p, in, "mn_v", 25);     /* of 100 and 25 */
  expect_int(&p, in, "mx_v", 100);
  expect_dec(&p, in, "mn_k", -1, 4);
  expect_dec(&p, in, "mx_k", 1, 3);
  expect_int(&p, in, "all1", 1);      /* 3, -4, 7 all > -5 */
  expect_int(&p, in, "all2", 0);      /* -4 is not > 0 */
  expect_int(&p, in, "all3", 1);      /* v < 2.00: items 1 and 3, n 3 and 7 */
  expect_int(&p, in, "any1", 1);      /* -4 */
  expect_int(&p, in, "any2", 0);
  expect_int(&p, in, "any3", 0);      /* items 1 and 3 have n >= 0 */
  expect_int(&p, in, "pairs", 2);     /* 1.00 and 0.25 have a larger amount in the list; 2.50 does not */
  VmError e;
  cr_assert_eq(eval_err(&p, in, "mn_none", &e), VM_NO_VALUE);   /* the filter leaves nothing */
  cr_assert(strstr(e.msg, "over no items") != NULL, "%s", e.msg);
  prog_free(&p);
}

Test(compile, aggregates_over_an_empty_list) {
  Prog p;
  prog_compile(&p, agg_src);
  Record *in = agg_input(&p, true);
  expect_int(&p, in, "s_all", 0);
  expect_int(&p, in, "s_pos", 0);
  expect_int(&p, in, "s_n", 0);
  expect_dec(&p, in, "s_k", 0, 1);
  expect_int(&p, in, "c_all", 0);
  expect_int(&p, in, "c_pos", 0);
  expect_int(&p, in, "all1", 1);   /* every item of nothing: waar */
  expect_int(&p, in, "all2", 1);
  expect_int(&p, in, "any1", 0);   /* some item of nothing: onwaar */
  static const char *const no_value[] = {"mn", "mx", "mn_v", "mx_v", "mn_k", "mx_k"};
  for (int k = 0; k < 6; k++) {
    VmError e;
    VmStatus st = eval_err(&p, in, no_value[k], &e);
    cr_assert_eq(st, VM_NO_VALUE, "rule %s: %s", no_value[k], vm_status_text(st));
    cr_assert(strstr(e.msg, "over no items") != NULL, "%s", e.msg);
    char quoted[16];
    snprintf(quoted, sizeof quoted, "'%s'", no_value[k]);
    cr_assert(strstr(e.msg, quoted) != NULL, "message names the rule: %s", e.msg);
    cr_assert_eq(e.proto, rule_ix(p.c, no_value[k]));
    cr_assert(strncmp(e.msg, no_value[k][1] == 'n' ? "min" : "max", 3) == 0, "%s", e.msg);
  }
  prog_free(&p);
}

Test(compile, min_max_of_values) {
  Prog p;
  prog_compile(&p,
               "regel a: geheel = min(3, -2, 5)\n"
               "regel b: geld = max(\xE2\x82\xAC 1, \xE2\x82\xAC 3, \xE2\x82\xAC 2)\n"
               "regel c: getal = min(1, 0.5)\n"
               "regel d: datum = max(2024-01-31, 2023-12-31)\n");
  OPS(proto(&p, "a"), OP_LOADI, OP_LOADI, OP_NEG_INT, OP_MIN, OP_LOADI, OP_MIN, OP_RET);
  OPS(proto(&p, "c"), OP_LOADI, OP_INT_TO_DEC, OP_LOADK, OP_MIN_DEC, OP_RET);
  expect_int(&p, NULL, "a", -2);
  expect_int(&p, NULL, "b", 300);
  expect_dec(&p, NULL, "c", 1, 2);
  expect_int(&p, NULL, "d", 19753);   /* 2024-01-31 (see test_parse for the day number) */
  prog_free(&p);
}

/* ==================== running: geval and als ==================== */

Test(compile, case_arms) {
  Prog p;
  prog_compile(&p,
               "keuze S { bouw, zorg, overig }\n"
               "invoer D { s: S }\n"
               "regel g1: getal = geval s { bouw: 0.8  zorg, overig: 0.6 }\n"
               "regel g2: geheel = geval s { zorg: 2  anders: 9 }\n"
               "regel g3: geld = geval s { overig: \xE2\x82\xAC 1  bouw: \xE2\x82\xAC 2  zorg: \xE2\x82\xAC 3 }\n"
               "regel g4: getal = geval s { bouw: 1  anders: 0.5 }\n"
               "regel g5: waarheid = s = S.zorg\n");
  Record *in = new_input(&p);
  /* Ordinals: bouw 0, zorg 1, overig 2. */
  static const struct { int64_t g1n, g1d, g2, g3, g4n, g4d, g5; } want[3] = {
    {4, 5, 9, 200, 1, 1, 0},   /* bouw: 0.8 = 4/5; anders 9; € 2; 1 */
    {3, 5, 2, 300, 1, 2, 1},   /* zorg: 0.6 = 3/5; 2; € 3; anders 0.5 */
    {3, 5, 9, 100, 1, 2, 0},   /* overig */
  };
  for (int s = 0; s < 3; s++) {
    set(&p, in, "s", vi(s));
    expect_dec(&p, in, "g1", want[s].g1n, want[s].g1d);
    expect_int(&p, in, "g2", want[s].g2);
    expect_int(&p, in, "g3", want[s].g3);
    expect_dec(&p, in, "g4", want[s].g4n, want[s].g4d);
    expect_int(&p, in, "g5", want[s].g5);
  }
  prog_free(&p);
}

Test(compile, if_then_else) {
  Prog p;
  prog_compile(&p,
               "invoer D { i: geheel  m: geld }\n"
               "regel a1: getal = als i > 0 dan i anders 0.5\n"
               "regel a2: geld = als m >= \xE2\x82\xAC 100 dan m - \xE2\x82\xAC 100 anders \xE2\x82\xAC 0\n"
               "regel a3: waarheid = i > 0 en i < 10 of i = 100\n"
               "regel a4: geheel = als i < 0 dan 1 anders als i = 0 dan 2 anders 3\n");
  /* every branch's value, also the inner als's, is made straight into the result register: no MOVE;
     and i, loaded before the first test, is not loaded again in the else branch */
  OPS(proto(&p, "a4"), OP_INPUT, OP_LOADI, OP_JMPIFNOT_LT, OP_LOADI, OP_JMP, OP_LOADI,
      OP_EQ, OP_JMPIFNOT, OP_LOADI, OP_JMP, OP_LOADI, OP_RET);
  Record *in = new_input(&p);
  set(&p, in, "i", vi(5));
  set(&p, in, "m", vi(15000));
  expect_dec(&p, in, "a1", 5, 1);
  expect_int(&p, in, "a2", 5000);   /* 150.00 - 100.00 */
  expect_int(&p, in, "a3", 1);
  expect_int(&p, in, "a4", 3);
  set(&p, in, "i", vi(-1));
  set(&p, in, "m", vi(9999));
  expect_dec(&p, in, "a1", 1, 2);
  expect_int(&p, in, "a2", 0);
  expect_int(&p, in, "a3", 0);
  expect_int(&p, in, "a4", 1);
  set(&p, in, "i", vi(100));
  set(&p, in, "m", vi(10000));
  expect_int(&p, in, "a2", 0);      /* exactly 100.00: 100.00 - 100.00 */
  expect_int(&p, in, "a3", 1);
  set(&p, in, "i", vi(10));
  expect_int(&p, in, "a3", 0);
  set(&p, in, "i", vi(0));
  expect_int(&p, in, "a4", 2);
  prog_free(&p);
}

/* ==================== running: errors ==================== */

Test(compile, integer_overflow_is_an_error) {
  Prog p;
  const char *src = "invoer D { i: geheel }\nregel groot: geheel = i * i\nregel hoger: geheel = groot + 1\n";
  prog_compile(&p, src);
  Record *in = new_input(&p);
  /* 3037000499^2 = 9223372030926249001 <= 2^63 - 1 = 9223372036854775807: fits.
  ** 3037000500^2 = 30370005^2 * 10^4 = 922337203700025 * 10^4 = 9223372037000250000: does not. */
  set(&p, in, "i", vi(3037000499));
  expect_int(&p, in, "groot", INT64_C(9223372030926249001));
  set(&p, in, "i", vi(3037000500));
  VmError e;
  cr_assert_eq(eval_err(&p, in, "groot", &e), VM_OVERFLOW);
  cr_assert(strstr(e.msg, "'groot'") != NULL, "%s", e.msg);
  cr_assert(strstr(e.msg, "overflow") != NULL, "%s", e.msg);
  cr_assert_eq(e.proto, rule_ix(p.c, "groot"));
  cr_assert_eq(e.span.off, off_of(src, "i * i"));
  cr_assert_eq(e.span.len, 5u);
  /* Through another rule: the message names the rule whose instruction overflowed. */
  cr_assert_eq(eval_err(&p, in, "hoger", &e), VM_OVERFLOW);
  cr_assert(strstr(e.msg, "'groot'") != NULL, "%s", e.msg);
  /* Below the edge both rules have values: 9223372030926249001 + 1. */
  set(&p, in, "i", vi(3037000499));
  expect_int(&p, in, "hoger", INT64_C(9223372030926249002));
  prog_free(&p);
}

Test(compile, money_and_negation_overflow) {
  Prog p;
  prog_compile(&p, "invoer D { m: geld  i: geheel }\nregel dubbel: geld = m * 2\nregel tegen: geheel = -i\n");
  Record *in = new_input(&p);
  /* 2^62 - 1 cents doubled = 2^63 - 2: fits; 2^62 cents doubled = 2^63: does not. */
  set(&p, in, "m", vi(INT64_C(4611686018427387903)));
  expect_int(&p, in, "dubbel", INT64_C(9223372036854775806));
  set(&p, in, "m", vi(INT64_C(4611686018427387904)));
  VmError e;
  cr_assert_eq(eval_err(&p, in, "dubbel", &e), VM_OVERFLOW);
  cr_assert(strstr(e.msg, "money overflow") != NULL, "%s", e.msg);
  cr_assert(strstr(e.msg, "'dubbel'") != NULL, "%s", e.msg);
  /* -(-2^63) does not fit. */
  set(&p, in, "i", vi(INT64_MIN));
  cr_assert_eq(eval_err(&p, in, "tegen", &e), VM_OVERFLOW);
  cr_assert(strstr(e.msg, "'tegen'") != NULL, "%s", e.msg);
  prog_free(&p);
}

Test(compile, division_by_zero_is_an_error) {
  Prog p;
  const char *src =
    "invoer D { i: geheel  j: geheel  m: geld }\n"
    "regel q: getal = i / j\n"
    "regel per_dag: geld = afgerond(m / j, op: cent, methode: rekenkundig)\n";
  prog_compile(&p, src);
  Record *in = new_input(&p);
  set(&p, in, "i", vi(1));
  set(&p, in, "j", vi(0));
  set(&p, in, "m", vi(10000));
  VmError e;
  cr_assert_eq(eval_err(&p, in, "q", &e), VM_DIV_ZERO);
  cr_assert(strstr(e.msg, "division by zero") != NULL, "%s", e.msg);
  cr_assert(strstr(e.msg, "'q'") != NULL, "%s", e.msg);
  cr_assert_eq(e.span.off, off_of(src, "i / j"));
  cr_assert_eq(eval_err(&p, in, "per_dag", &e), VM_DIV_ZERO);
  cr_assert(strstr(e.msg, "'per_dag'") != NULL, "%s", e.msg);
  /* With j = 3: 100.00 / 3 = 33.333.. -> 33.33. */
  set(&p, in, "j", vi(3));
  expect_int(&p, in, "per_dag", 3333);
  expect_dec(&p, in, "q", 1, 3);
  prog_free(&p);
}

/* ==================== running: memoisation and vm_run ==================== */

Test(compile, shared_rule_in_outputs_and_rules) {
  Prog p;
  prog_compile(&p,
               "invoer D { id: tekst  i: geheel }\n"
               "regel basis: geheel = i * 2\n"
               "regel plus: geheel = basis + basis\n"
               "regel maal: geheel = basis * basis\n"
               "uitvoer { id, basis, plus, maal }\n");
  cr_assert_eq(p.c->noutputs, 4u);
  cr_assert_eq(p.c->outputs[0].from, OUT_INPUT);
  cr_assert_eq(p.c->outputs[1].from, OUT_RULE);
  cr_assert_eq(p.c->outputs[1].index, rule_ix(p.c, "basis"));
  /* plus: one RULE instruction, its register read twice (the value is the same within a dossier). */
  const Proto *pl = proto(&p, "plus");
  OPS(pl, OP_RULE, OP_ADD_INT, OP_RET);
  cr_assert_eq(pl->code[0].b, rule_ix(p.c, "basis"));
  cr_assert_eq(pl->code[1].b, pl->code[0].a);
  cr_assert_eq(pl->code[1].c, pl->code[0].a);
  Record *in = new_input(&p);
  set(&p, in, "id", vtext(&p, "d1"));
  set(&p, in, "i", vi(7));
  Value out[4];
  VmError e;
  cr_assert_eq(vm_run(p.vm, in, &p.ar, out, &e), VM_OK, "%s", e.msg);
  cr_assert_str_eq(out[0].text->bytes, "d1");
  cr_assert_eq(out[1].i, 14);    /* 7 * 2 */
  cr_assert_eq(out[2].i, 28);    /* 14 + 14 */
  cr_assert_eq(out[3].i, 196);   /* 14 * 14 */
  /* The next dossier starts afresh: no value is carried over from the last one. */
  set(&p, in, "i", vi(-3));
  cr_assert_eq(vm_run(p.vm, in, &p.ar, out, &e), VM_OK, "%s", e.msg);
  cr_assert_eq(out[1].i, -6);
  cr_assert_eq(out[2].i, -12);
  cr_assert_eq(out[3].i, 36);
  prog_free(&p);
}

/*
** r0 = i, r_k = r_(k-1) + r_(k-1): with memoisation 41 rule evaluations;
** without, r40 alone would take 2^40 and the timeout would fail the test.
** r40 = 2^40 * i.
*/
Test(compile, memoisation_makes_a_doubling_chain_linear, .timeout = 10) {
  char src[4096];
  size_t len = (size_t)snprintf(src, sizeof src, "invoer D { i: geheel }\nregel r0: geheel = i\n");
  for (int k = 1; k <= 40; k++)
    len += (size_t)snprintf(src + len, sizeof src - len, "regel r%d: geheel = r%d + r%d\n", k, k - 1, k - 1);
  len += (size_t)snprintf(src + len, sizeof src - len, "uitvoer { r40, r39, r0 }\n");
  cr_assert_lt(len, sizeof src);
  Prog p;
  prog_compile(&p, src);
  Record *in = new_input(&p);
  set(&p, in, "i", vi(3));
  Value out[3];
  VmError e;
  cr_assert_eq(vm_run(p.vm, in, &p.ar, out, &e), VM_OK, "%s", e.msg);
  cr_assert_eq(out[0].i, INT64_C(3) << 40);   /* 3 * 2^40 = 3298534883328 */
  cr_assert_eq(out[1].i, INT64_C(3) << 39);
  cr_assert_eq(out[2].i, 3);
  prog_free(&p);
}

Test(compile, run_time_error_stops_the_dossier_not_the_vm) {
  Prog p;
  prog_compile(&p,
               "invoer D { i: geheel  j: geheel }\n"
               "regel q: getal = i / j\n"
               "regel s: geheel = i + j\n"
               "uitvoer { s, q }\n");
  Record *in = new_input(&p);
  set(&p, in, "i", vi(6));
  set(&p, in, "j", vi(0));
  Value out[2];
  VmError e;
  memset(&e, 0, sizeof e);
  cr_assert_eq(vm_run(p.vm, in, &p.ar, out, &e), VM_DIV_ZERO);
  cr_assert_eq(e.status, VM_DIV_ZERO);
  cr_assert_eq(e.proto, rule_ix(p.c, "q"));
  /* The same Vm then computes the next dossier. */
  set(&p, in, "j", vi(4));
  cr_assert_eq(vm_run(p.vm, in, &p.ar, out, &e), VM_OK, "%s", e.msg);
  cr_assert_eq(out[0].i, 10);
  cr_assert(out[1].dec.num == 3 && out[1].dec.den == 2);   /* 6/4 = 3/2 */
  prog_free(&p);
}

/* A value loaded in one branch is not reused after the branch or in the other one. */
Test(compile, shared_loads_stay_inside_their_branch) {
  Prog p;
  prog_compile(&p, "invoer D { b: waarheid  i: geheel  xs: lijst L }\n"
                   "gegevens L { v: geheel }\n"
                   "regel x: geheel = als b dan i + 1 anders i + 2\n"
                   "regel y: geheel = (als b dan i anders 0) + i\n"
                   "regel z: geheel = som(i voor elke r in xs) + i\n"
                   "regel w: geheel = (als b en i > 3 dan 1 anders 0) + i\n");
  Record *in = new_input(&p);
  set(&p, in, "i", vi(5));
  set(&p, in, "xs", vlist(&p, (TypeRef){VK_RECORD, 0, 0}, 0, NULL));
  set(&p, in, "b", vi(1));
  expect_int(&p, in, "x", 6);
  expect_int(&p, in, "y", 10);
  expect_int(&p, in, "z", 5);    /* no items: i was loaded only inside the loop body, so it is loaded again */
  expect_int(&p, in, "w", 6);
  set(&p, in, "b", vi(0));
  expect_int(&p, in, "x", 7);
  expect_int(&p, in, "y", 5);
  expect_int(&p, in, "w", 5);    /* en: i > 3 not evaluated, i loaded again after */
  prog_free(&p);
}

/*
** Loads that give the same value on every pass move out of the loop; a
** jump that went to one (here: the start of the anders-arm) lands on what
** followed it. Wrong aim would loop for ever or skip the arm: hence the
** timeout and the values.
*/
Test(compile, loop_invariant_loads_move_out_of_the_loop, .timeout = 10) {
  Prog p;
  prog_compile(&p, "gegevens L { n: geheel }\n"
                   "invoer D { i: geheel  xs: lijst L }\n"
                   "regel h: geheel = som(als r.n > 0 dan r.n anders 1000 + r.n voor elke r in xs)\n"
                   "regel k: geheel = som(r.n + i voor elke r in xs waarbij r.n <> 2)\n");
  int L = rec_ix(p.c, "L");
  Value items[3];
  int64_t ns[3] = {3, -4, 2};
  for (int j = 0; j < 3; j++) {
    items[j].rec = new_record(&p, (uint32_t)L);
    set(&p, items[j].rec, "n", vi(ns[j]));
  }
  Record *in = new_input(&p);
  set(&p, in, "i", vi(10));
  set(&p, in, "xs", vlist(&p, (TypeRef){VK_RECORD, 0, (uint16_t)L}, 3, items));
  expect_int(&p, in, "h", 1001);   /* 3 + (1000 - 4) + 2 */
  expect_int(&p, in, "k", 19);     /* (3 + 10) + (-4 + 10); n = 2 left out */
  /* the loads of 1000 and of i come before the loop's first test */
  const Chunk *c = p.c;
  for (int r = 0; r < 2; r++) {
    const Proto *pr = &c->protos[rule_ix(c, r ? "k" : "h")];
    int64_t load = -1, header = -1;
    for (uint32_t pc = 0; pc < pr->ncode; pc++) {
      Instr ins = pr->code[pc];
      if (header < 0 && ins.op == OP_JMPIFNOT_LT) header = pc;
      if (r == 0 && ins.op == OP_LOADI && INSTR_SB(ins) == 1000) load = pc;
      if (r == 1 && ins.op == OP_INPUT && ins.b == 0) load = pc;
    }
    cr_assert(load >= 0 && header >= 0 && load < header, "rule %s: load at %ld, loop test at %ld", r ? "k" : "h",
              (long)load, (long)header);
  }
  prog_free(&p);
}

/* MUL_ROUND_MONEY's inline path (half away from zero, 64-bit) equals the rational route for many values. */
Test(compile, mul_round_money_matches_the_rational_route) {
  Prog p;
  prog_compile(&p, "invoer D { x: geld  f: getal }\n"
                   "regel fused: geld = afgerond(x * f, op: cent, methode: rekenkundig)\n"
                   "regel slow: geld = afgerond(x * f + 0, op: cent, methode: rekenkundig)\n");
  cr_assert_eq(proto(&p, "fused")->code[2].op, OP_MUL_ROUND_MONEY);
  Record *in = new_input(&p);
  uint64_t seed = 12345;
  for (int k = 0; k < 5000; k++) {
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    int64_t cents = (int64_t)(seed % 2000001) - 1000000;
    int64_t num = (int64_t)((seed >> 21) % 20001) - 10000, den = (int64_t)((seed >> 40) % 999) + 1;
    set(&p, in, "x", vi(cents));
    set(&p, in, "f", vd(num, den));
    Value a = eval_ok(&p, in, "fused"), b = eval_ok(&p, in, "slow");
    cr_assert_eq(a.i, b.i, "%lld x %lld/%lld: %lld, expected %lld", (long long)cents, (long long)num, (long long)den,
                 (long long)a.i, (long long)b.i);
  }
  prog_free(&p);
}

/*
** Nested loops over 3,612 calendar months each: 13 million passes. Under a
** limit of 100,000 steps the dossier stops with VM_LIMIT; with the default
** (100 million) it completes with the right count.
*/
Test(compile, runaway_nested_loops_stop_at_the_step_limit, .timeout = 30) {
  Prog p;
  prog_compile(&p, "invoer D { d: datum }\n"
                   "regel p: periode = periode(1900-01-01, 2200-12-31)\n"
                   "regel n: geheel = som(som(1 voor elke k in kalendermaanden(p)) voor elke m in kalendermaanden(p))\n");
  Record *in = new_input(&p);
  vm_set_limits(p.vm, (VmLimits){100000, 0});
  VmError e;
  cr_assert_eq(eval_err(&p, in, "n", &e), VM_LIMIT);
  cr_assert(strstr(e.msg, "stopped after 100000 steps"), "%s", e.msg);
  vm_set_limits(p.vm, (VmLimits){0, 0});   /* the defaults */
  expect_int(&p, in, "n", 3612LL * 3612LL);
  prog_free(&p);
}

/*
** Memory: the months of 1900..2200 are 3,612 periods of 16 bytes (58 KB).
** Under a 32 KiB limit the dossier stops with VM_LIMIT naming --max-memory;
** with the default (256 MiB) the same list is built and counted. Lists built
** inside a loop add up: 3,612 months each giving the months from there to
** the end (6.5 million periods, ~104 MB) pass 64 MiB, not the default.
*/
Test(compile, lists_past_the_memory_limit_stop_the_dossier) {
  Prog p;
  prog_compile(&p, "invoer D { d: datum }\n"
                   "regel p: periode = periode(1900-01-01, 2200-12-31)\n"
                   "regel n: geheel = som(1 voor elke m in kalendermaanden(p))\n"
                   "regel groeit: geheel = som(som(1 voor elke k in kalendermaanden(periode(m.begin, p.einde)))"
                   " voor elke m in kalendermaanden(p))\n");
  Record *in = new_input(&p);
  vm_set_limits(p.vm, (VmLimits){0, 32768});
  VmError e;
  cr_assert_eq(eval_err(&p, in, "n", &e), VM_LIMIT);
  cr_assert(strstr(e.msg, "would pass 32768 bytes") && strstr(e.msg, "--max-memory"), "%s", e.msg);
  vm_set_limits(p.vm, (VmLimits){0, 0});
  expect_int(&p, in, "n", 3612);
  vm_set_limits(p.vm, (VmLimits){0, (size_t)64 << 20});
  cr_assert_eq(eval_err(&p, in, "groeit", &e), VM_LIMIT);
  cr_assert(strstr(e.msg, "would pass 64 MiB"), "%s", e.msg);
  vm_set_limits(p.vm, (VmLimits){0, 0});
  expect_int(&p, in, "groeit", 3612LL * 3613 / 2);
  prog_free(&p);
}
