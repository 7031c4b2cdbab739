/*
** test_vm.c: the interpreter on hand-built chunks (no front end): every
** opcode with values worked out by hand, run-time errors with the VmError
** they fill in, jumps and loops, memoised rules, records and lists.
*/
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/chunk.h"
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/verify.h"
#include "runtime/vm.h"

/* ---- building chunks by hand ---- */

#define INS(op, a, b, c) ((Instr){OP_##op, 0, (uint16_t)(a), (uint16_t)(b), (uint16_t)(c)})
#define COUNT(arr) ((uint32_t)(sizeof(arr) / sizeof (arr)[0]))
#define PROTO(c, name, result, code, regs) \
  add_proto((c), (name), (result), (code), COUNT(code), (regs), (uint16_t)COUNT(regs))

static const TypeRef TB = {VK_BOOL, 0, 0};
static const TypeRef TI = {VK_INT, 0, 0};
static const TypeRef TD = {VK_DEC, 0, 0};
static const TypeRef TM = {VK_MONEY, 0, 0};
static const TypeRef TT = {VK_DATE, 0, 0};
static const TypeRef TS = {VK_TEXT, 0, 0};

static TypeRef ty_ref(uint8_t kind, uint16_t ref) {
  TypeRef t = {kind, 0, ref};
  return t;
}

static TypeRef ty_list(uint8_t elem, uint16_t ref) {
  TypeRef t = {VK_LIST, elem, ref};
  return t;
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

/* Appends a rule; spans are zero (offset 0 of file 0) until a test sets them. */
static uint32_t add_proto(Chunk *c, const char *name, TypeRef result, const Instr *code, uint32_t ncode,
                          const TypeRef *regs, uint16_t nregs) {
  c->protos = xrealloc(c->protos, (c->nprotos + 1) * sizeof *c->protos);
  Proto *p = &c->protos[c->nprotos];
  memset(p, 0, sizeof *p);
  p->name = xstrdup(name);
  p->source = xstrdup("");
  p->result = result;
  p->ncode = ncode;
  p->code = xmalloc(ncode * sizeof *code);
  memcpy(p->code, code, ncode * sizeof *code);
  p->spans = xcalloc(ncode, sizeof *p->spans);
  p->nregs = nregs;
  p->regtypes = xmalloc(nregs * sizeof *regs);
  memcpy(p->regtypes, regs, nregs * sizeof *regs);
  return c->nprotos++;
}

static void add_output(Chunk *c, const char *name, OutputFrom from, uint32_t index, TypeRef t) {
  c->outputs = xrealloc(c->outputs, (c->noutputs + 1) * sizeof *c->outputs);
  OutputDesc *o = &c->outputs[c->noutputs++];
  o->name = xstrdup(name);
  o->from = (uint8_t)from;
  o->index = index;
  o->type = t;
}

static uint32_t add_record(Chunk *c, const char *name, uint32_t n, const char *const *names,
                           const TypeRef *types) {
  Schema *s = &c->schema;
  s->records = xrealloc(s->records, (s->nrecords + 1) * sizeof *s->records);
  RecordType *rt = &s->records[s->nrecords];
  rt->name = xstrdup(name);
  rt->nfields = n;
  rt->fields = xcalloc(n, sizeof *rt->fields);
  for (uint32_t i = 0; i < n; i++) {
    rt->fields[i].name = xstrdup(names[i]);
    rt->fields[i].type = types[i];
  }
  return s->nrecords++;
}

static uint32_t add_enum(Chunk *c, const char *name, uint32_t n, const char *const *members) {
  Schema *s = &c->schema;
  s->enums = xrealloc(s->enums, (s->nenums + 1) * sizeof *s->enums);
  EnumType *et = &s->enums[s->nenums];
  et->name = xstrdup(name);
  et->nmembers = n;
  et->members = xcalloc(n, sizeof *et->members);
  et->labels = NULL;
  for (uint32_t i = 0; i < n; i++) et->members[i] = xstrdup(members[i]);
  return s->nenums++;
}

static Record *make_record(Arena *a, uint32_t type, uint32_t n, const Value *fields) {
  Record *r = arena_alloc(a, sizeof(Record) + n * sizeof(Value));
  r->type = type;
  r->nfields = n;
  memcpy(r->fields, fields, n * sizeof(Value));
  return r;
}

static List *make_list(Arena *a, TypeRef elem, uint32_t n, const Value *items) {
  List *l = arena_alloc(a, sizeof *l);
  l->n = n;
  l->elem = elem;
  l->items = arena_alloc(a, (n ? n : 1) * sizeof(Value));
  if (n) memcpy(l->items, items, n * sizeof(Value));
  return l;
}

static void assert_verified(const Chunk *c) {
  char msg[256];
  bool ok = verify_chunk(c, msg, sizeof msg);
  cr_assert(ok, "verify_chunk: %s", msg);
}

/* Verifies c and evaluates one rule of it for `input` on a fresh Vm. */
static VmStatus eval(const Chunk *c, uint32_t rule, Record *input, Value *out, VmError *err) {
  assert_verified(c);
  Vm *vm = vm_new(c);
  Arena a;
  arena_init(&a);
  VmStatus st = vm_eval_rule(vm, input, &a, rule, out, err);
  arena_free(&a);
  vm_free(vm);
  return st;
}

/*
** One instruction on two constants: K0 -> R1, K1 -> R2, then `ins` (which
** should read R1/R2 and write R0), then RET R0. `ins` runs at pc 2.
*/
static VmStatus op3(Instr ins, TypeRef ta, TypeRef tb, Value b, TypeRef tc, Value cv, Value *out,
                    VmError *err) {
  Chunk *c = chunk_new();
  chunk_add_const(c, tb, b);
  chunk_add_const(c, tc, cv);
  Instr code[] = {INS(LOADK, 1, 0, 0), INS(LOADK, 2, 1, 0), ins, INS(RET, 0, 0, 0)};
  TypeRef regs[] = {ta, tb, tc};
  PROTO(c, "x", ta, code, regs);
  VmStatus st = eval(c, 0, NULL, out, err);
  chunk_free(c);
  return st;
}

/* op3 that must succeed; returns R0. */
static Value ok3(Instr ins, TypeRef ta, TypeRef tb, Value b, TypeRef tc, Value cv) {
  Value out;
  VmError err;
  VmStatus st = op3(ins, ta, tb, b, tc, cv, &out, &err);
  cr_assert_eq(st, VM_OK, "%s failed: %s", op_name[ins.op], err.msg);
  return out;
}

/* op3 that must fail; returns the error after checking status, rule and pc. */
static VmError err3(Instr ins, TypeRef ta, TypeRef tb, Value b, TypeRef tc, Value cv, VmStatus want) {
  Value out;
  VmError err;
  memset(&err, 0, sizeof err);
  VmStatus st = op3(ins, ta, tb, b, tc, cv, &out, &err);
  cr_assert_eq(st, want, "%s: status %d, expected %d", op_name[ins.op], st, want);
  cr_assert_eq(err.status, want);
  cr_assert_eq(err.proto, 0);
  cr_assert_eq(err.pc, 2);
  return err;
}

#define BIN(op) INS(op, 0, 1, 2)
#define UN(op) INS(op, 0, 1, 0)

static void assert_dec(Value v, int64_t num, int64_t den) {
  cr_assert(v.dec.num == num && v.dec.den == den, "got %lld/%lld, expected %lld/%lld", (long long)v.dec.num,
            (long long)v.dec.den, (long long)num, (long long)den);
}

/* ---- loads and moves ---- */

Test(vm, loadk_and_move) {
  cr_assert_eq(ok3(INS(MOVE, 0, 2, 0), TM, TM, vi(1), TM, vi(19182)).i, 19182);
  cr_assert_eq(ok3(INS(MOVE, 0, 1, 0), TD, TD, vd(1, 3), TD, vd(0, 1)).dec.den, 3);
  cr_assert_eq(ok3(INS(MOVE, 0, 1, 0), TT, TT, vi(date_from_ymd(2024, 2, 29)), TT, vi(0)).i,
               date_from_ymd(2024, 2, 29));
}

Test(vm, loadi_signed) {
  cr_assert_eq(ok3(INS(LOADI, 0, 261, 0), TI, TI, vi(0), TI, vi(0)).i, 261);
  cr_assert_eq(ok3(INS(LOADI, 0, -5, 0), TI, TI, vi(0), TI, vi(0)).i, -5);
  cr_assert_eq(ok3(INS(LOADI, 0, -32768, 0), TI, TI, vi(0), TI, vi(0)).i, -32768);
  cr_assert_eq(ok3(INS(LOADI, 0, 32767, 0), TI, TI, vi(0), TI, vi(0)).i, 32767);
}

Test(vm, loadbool_and_not) {
  cr_assert_eq(ok3(INS(LOADBOOL, 0, 7, 0), TB, TB, vi(0), TB, vi(0)).i, 1);
  cr_assert_eq(ok3(INS(LOADBOOL, 0, 0, 0), TB, TB, vi(1), TB, vi(1)).i, 0);
  cr_assert_eq(ok3(UN(NOT), TB, TB, vi(1), TB, vi(0)).i, 0);
  cr_assert_eq(ok3(UN(NOT), TB, TB, vi(0), TB, vi(0)).i, 1);
}

/* ---- integers ---- */

Test(vm, int_arithmetic) {
  cr_assert_eq(ok3(BIN(ADD_INT), TI, TI, vi(40), TI, vi(2)).i, 42);
  cr_assert_eq(ok3(BIN(SUB_INT), TI, TI, vi(2), TI, vi(40)).i, -38);
  cr_assert_eq(ok3(BIN(MUL_INT), TI, TI, vi(-7), TI, vi(6)).i, -42);
  cr_assert_eq(ok3(UN(NEG_INT), TI, TI, vi(42), TI, vi(0)).i, -42);
  cr_assert_eq(ok3(INS(ADDI_INT, 0, 1, 65535), TI, TI, vi(-65535), TI, vi(0)).i, 0);
  cr_assert_eq(ok3(INS(ADDI_INT, 0, 1, 1), TI, TI, vi(INT64_MAX - 1), TI, vi(0)).i, INT64_MAX);
}

Test(vm, int_overflow) {
  VmError e = err3(BIN(ADD_INT), TI, TI, vi(INT64_MAX), TI, vi(1), VM_OVERFLOW);
  cr_assert_str_eq(e.msg, "integer overflow in rule 'x'");
  err3(BIN(SUB_INT), TI, TI, vi(INT64_MIN), TI, vi(1), VM_OVERFLOW);
  err3(BIN(MUL_INT), TI, TI, vi(INT64_MAX / 2 + 1), TI, vi(2), VM_OVERFLOW);
  err3(UN(NEG_INT), TI, TI, vi(INT64_MIN), TI, vi(0), VM_OVERFLOW);
  err3(INS(ADDI_INT, 0, 1, 1), TI, TI, vi(INT64_MAX), TI, vi(0), VM_OVERFLOW);
}

/* ---- exact decimals ---- */

Test(vm, dec_arithmetic) {
  assert_dec(ok3(BIN(ADD_DEC), TD, TD, vd(1, 3), TD, vd(1, 6)), 1, 2);
  assert_dec(ok3(BIN(SUB_DEC), TD, TD, vd(1, 3), TD, vd(1, 6)), 1, 6);
  assert_dec(ok3(BIN(SUB_DEC), TD, TD, vd(1, 6), TD, vd(1, 3)), -1, 6);
  assert_dec(ok3(BIN(MUL_DEC), TD, TD, vd(2, 3), TD, vd(3, 4)), 1, 2);
  assert_dec(ok3(BIN(DIV_DEC), TD, TD, vd(1, 3), TD, vd(2, 9)), 3, 2);
  assert_dec(ok3(BIN(DIV_DEC), TD, TD, vd(50064, 1), TD, vd(261, 1)), 16688, 87);
  assert_dec(ok3(UN(NEG_DEC), TD, TD, vd(1, 3), TD, vd(0, 1)), -1, 3);
  assert_dec(ok3(BIN(MIN_DEC), TD, TD, vd(1, 3), TD, vd(1, 6)), 1, 6);
  assert_dec(ok3(BIN(MAX_DEC), TD, TD, vd(1, 3), TD, vd(1, 6)), 1, 3);
  assert_dec(ok3(BIN(MIN_DEC), TD, TD, vd(-1, 2), TD, vd(1, 3)), -1, 2);
}

Test(vm, dec_division_by_zero) {
  VmError e = err3(BIN(DIV_DEC), TD, TD, vd(1, 1), TD, vd(0, 1), VM_DIV_ZERO);
  cr_assert_str_eq(e.msg, "division by zero in rule 'x'");
}

Test(vm, dec_overflow) {
  VmError e = err3(BIN(MUL_DEC), TD, TD, vd(INT64_MAX, 1), TD, vd(2, 1), VM_OVERFLOW);
  cr_assert_str_eq(e.msg, "decimal overflow in rule 'x'");
  err3(BIN(ADD_DEC), TD, TD, vd(INT64_MAX, 1), TD, vd(1, 1), VM_OVERFLOW);
}

Test(vm, dec_comparisons) {
  cr_assert_eq(ok3(BIN(EQ_DEC), TB, TD, vd(1, 3), TD, vd(1, 3)).i, 1);
  cr_assert_eq(ok3(BIN(EQ_DEC), TB, TD, vd(1, 3), TD, vd(1, 6)).i, 0);
  cr_assert_eq(ok3(BIN(LT_DEC), TB, TD, vd(1, 6), TD, vd(1, 3)).i, 1);
  cr_assert_eq(ok3(BIN(LT_DEC), TB, TD, vd(1, 3), TD, vd(1, 3)).i, 0);
  cr_assert_eq(ok3(BIN(LT_DEC), TB, TD, vd(-1, 2), TD, vd(1, 3)).i, 1);
  cr_assert_eq(ok3(BIN(LE_DEC), TB, TD, vd(1, 3), TD, vd(1, 3)).i, 1);
  cr_assert_eq(ok3(BIN(LE_DEC), TB, TD, vd(1, 2), TD, vd(1, 3)).i, 0);
}

/* ---- money ---- */

Test(vm, money_arithmetic) {
  cr_assert_eq(ok3(BIN(ADD_MONEY), TM, TM, vi(123456), TM, vi(44)).i, 123500);
  cr_assert_eq(ok3(BIN(SUB_MONEY), TM, TM, vi(100), TM, vi(250)).i, -150);
  cr_assert_eq(ok3(UN(NEG_MONEY), TM, TM, vi(-150), TM, vi(0)).i, 150);
  cr_assert_eq(ok3(BIN(MUL_MONEY_INT), TM, TM, vi(19182), TI, vi(261)).i, 5006502);
}

Test(vm, money_overflow) {
  VmError e = err3(BIN(ADD_MONEY), TM, TM, vi(INT64_MAX), TM, vi(1), VM_OVERFLOW);
  cr_assert_str_eq(e.msg, "money overflow in rule 'x'");
  err3(BIN(SUB_MONEY), TM, TM, vi(INT64_MIN), TM, vi(1), VM_OVERFLOW);
  err3(UN(NEG_MONEY), TM, TM, vi(INT64_MIN), TM, vi(0), VM_OVERFLOW);
  e = err3(BIN(MUL_MONEY_INT), TM, TM, vi(INT64_MAX / 2 + 1), TI, vi(2), VM_OVERFLOW);
  cr_assert_str_eq(e.msg, "money overflow in rule 'x'");
  err3(BIN(MUL_MONEY_INT), TM, TM, vi(INT64_MIN), TI, vi(-1), VM_OVERFLOW);
}

Test(vm, conversions) {
  assert_dec(ok3(UN(INT_TO_DEC), TD, TI, vi(-261), TI, vi(0)), -261, 1);
  assert_dec(ok3(UN(MONEY_TO_DEC), TD, TM, vi(1234), TM, vi(0)), 617, 50);   /* 12.34 */
  assert_dec(ok3(UN(MONEY_TO_DEC), TD, TM, vi(-5), TM, vi(0)), -1, 20);      /* -0.05 */
  assert_dec(ok3(UN(MONEY_TO_DEC), TD, TM, vi(5006400), TM, vi(0)), 50064, 1);
}

/* ---- rounding ---- */

static int64_t round_money(Dec x, int64_t unit, RoundMethod m) {
  Value v;
  v.dec = x;
  return ok3(INS(ROUND_MONEY, 0, 1, 1), TM, TD, v, TI, vi(unit * 8 + m)).i;
}

/* The dagloon example: EUR 50064.00 over 261 days, half away to the cent. */
Test(vm, round_money_dagloon) {
  Chunk *c = chunk_new();
  uint32_t k_loon = chunk_add_const(c, TM, vi(5006400));
  uint32_t k_days = chunk_add_const(c, TI, vi(261));
  uint32_t k_spec = chunk_add_const(c, TI, vi(1 * 8 + ROUND_HALF_AWAY));
  Instr code[] = {
    INS(LOADK, 0, k_loon, 0), INS(MONEY_TO_DEC, 1, 0, 0), INS(LOADK, 2, k_days, 0), INS(INT_TO_DEC, 3, 2, 0),
    INS(DIV_DEC, 4, 1, 3),    INS(ROUND_MONEY, 5, 4, k_spec), INS(RET, 5, 0, 0),
  };
  TypeRef regs[] = {TM, TD, TI, TD, TD, TM};
  PROTO(c, "dagloon", TM, code, regs);
  Value v;
  VmError e;
  cr_assert_eq(eval(c, 0, NULL, &v, &e), VM_OK);
  cr_assert_eq(v.i, 19182);   /* 50064 / 261 = 191.8160... -> 191.82 */
  chunk_free(c);
}

/* 2.5 cents (0.025 euro) and -2.5 cents by each of the five methods. */
Test(vm, round_money_methods) {
  Dec x = {1, 40}, nx = {-1, 40};
  int64_t pos[ROUND__COUNT] = {3, 3, 2, 2, 3};
  int64_t neg[ROUND__COUNT] = {-3, -2, -3, -2, -3};
  for (int m = 0; m < ROUND__COUNT; m++) {
    cr_assert_eq(round_money(x, 1, (RoundMethod)m), pos[m], "method %d on 2.5 cents", m);
    cr_assert_eq(round_money(nx, 1, (RoundMethod)m), neg[m], "method %d on -2.5 cents", m);
  }
  /* Just below and above the half: 2.4 and 2.6 cents. */
  cr_assert_eq(round_money((Dec){3, 125}, 1, ROUND_HALF_AWAY), 2);
  cr_assert_eq(round_money((Dec){13, 500}, 1, ROUND_HALF_AWAY), 3);
}

/* EUR 10.00 to a multiple of EUR 2.61: 1000/261 = 3.83 units. */
Test(vm, round_money_unit_261) {
  Dec x = {10, 1}, nx = {-10, 1};
  int64_t pos[ROUND__COUNT] = {1044, 1044, 783, 783, 1044};
  int64_t neg[ROUND__COUNT] = {-1044, -783, -1044, -783, -1044};
  for (int m = 0; m < ROUND__COUNT; m++) {
    cr_assert_eq(round_money(x, 261, (RoundMethod)m), pos[m], "method %d", m);
    cr_assert_eq(round_money(nx, 261, (RoundMethod)m), neg[m], "method %d", m);
  }
  cr_assert_eq(round_money((Dec){100, 1}, 100, ROUND_FLOOR), 10000);   /* exact: unchanged */
}

Test(vm, round_money_overflow) {
  Value v;
  v.dec = (Dec){INT64_MAX, 1};   /* euros: too many cents */
  VmError e = err3(INS(ROUND_MONEY, 0, 1, 1), TM, TD, v, TI, vi(8), VM_OVERFLOW);
  cr_assert_str_eq(e.msg, "money overflow in rule 'x'");
}

/* ---- comparisons on int64-valued kinds ---- */

Test(vm, compare_int64_kinds) {
  cr_assert_eq(ok3(BIN(EQ), TB, TM, vi(100), TM, vi(100)).i, 1);
  cr_assert_eq(ok3(BIN(EQ), TB, TM, vi(100), TM, vi(-100)).i, 0);
  cr_assert_eq(ok3(BIN(EQ), TB, TB, vi(1), TB, vi(1)).i, 1);
  cr_assert_eq(ok3(BIN(LT), TB, TI, vi(-1), TI, vi(0)).i, 1);
  cr_assert_eq(ok3(BIN(LT), TB, TI, vi(0), TI, vi(0)).i, 0);
  cr_assert_eq(ok3(BIN(LE), TB, TI, vi(0), TI, vi(0)).i, 1);
  cr_assert_eq(ok3(BIN(LE), TB, TI, vi(1), TI, vi(0)).i, 0);
  int64_t d1 = date_from_ymd(2023, 12, 31), d2 = date_from_ymd(2024, 1, 1);
  cr_assert_eq(ok3(BIN(LT), TB, TT, vi(d1), TT, vi(d2)).i, 1);
  cr_assert_eq(ok3(BIN(LT), TB, TT, vi(d2), TT, vi(d1)).i, 0);
  cr_assert_eq(ok3(BIN(MIN), TT, TT, vi(d2), TT, vi(d1)).i, d1);
  cr_assert_eq(ok3(BIN(MAX), TT, TT, vi(d1), TT, vi(d2)).i, d2);
  cr_assert_eq(ok3(BIN(MIN), TM, TM, vi(-5), TM, vi(3)).i, -5);
  cr_assert_eq(ok3(BIN(MAX), TM, TM, vi(-5), TM, vi(3)).i, 3);
}

Test(vm, compare_enums) {
  Chunk *c = chunk_new();
  const char *members[] = {"ziekte", "wia", "ww"};
  uint16_t e = (uint16_t)add_enum(c, "Soort", 3, members);
  TypeRef te = ty_ref(VK_ENUM, e);
  uint32_t k0 = chunk_add_const(c, te, vi(1));
  uint32_t k1 = chunk_add_const(c, te, vi(2));
  Instr code[] = {INS(LOADK, 1, k0, 0), INS(LOADK, 2, k1, 0), INS(LT, 0, 1, 2), INS(EQ, 3, 1, 1),
                  INS(JMPIFNOT, 3, 1, 0), INS(RET, 0, 0, 0), INS(RET, 3, 0, 0)};
  TypeRef regs[] = {TB, te, te, TB};
  PROTO(c, "x", TB, code, regs);
  Value v;
  VmError err;
  cr_assert_eq(eval(c, 0, NULL, &v, &err), VM_OK);
  cr_assert_eq(v.i, 1);   /* wia < ww, and EQ(wia, wia) did not jump */
  chunk_free(c);
}

Test(vm, eq_text) {
  Chunk *c = chunk_new();
  const char *words[] = {"abc", "abc", "abd", "ab", "", ""};
  uint32_t k[6];
  for (int i = 0; i < 6; i++)
    k[i] = chunk_add_const(c, TS, (Value){.text = chunk_text(c, words[i], strlen(words[i]))});
  chunk_text(c, "never used", 10);   /* owned and freed by the chunk all the same */
  /* Returns 8*eq(abc,abc) + 4*eq(abc,abd) + 2*eq(abc,ab) + eq("","") as an int. */
  Instr code[] = {
    INS(LOADK, 1, k[0], 0), INS(LOADK, 2, k[1], 0), INS(LOADK, 3, k[2], 0), INS(LOADK, 4, k[3], 0),
    INS(LOADK, 5, k[4], 0), INS(LOADK, 6, k[5], 0), INS(LOADI, 0, 0, 0),
    INS(EQ_TEXT, 7, 1, 2), INS(JMPIFNOT, 7, 1, 0), INS(ADDI_INT, 0, 0, 8),
    INS(EQ_TEXT, 7, 1, 3), INS(JMPIFNOT, 7, 1, 0), INS(ADDI_INT, 0, 0, 4),
    INS(EQ_TEXT, 7, 1, 4), INS(JMPIFNOT, 7, 1, 0), INS(ADDI_INT, 0, 0, 2),
    INS(EQ_TEXT, 7, 5, 6), INS(JMPIFNOT, 7, 1, 0), INS(ADDI_INT, 0, 0, 1),
    INS(RET, 0, 0, 0),
  };
  TypeRef regs[] = {TI, TS, TS, TS, TS, TS, TS, TB};
  PROTO(c, "x", TI, code, regs);
  Value v;
  VmError err;
  cr_assert_eq(eval(c, 0, NULL, &v, &err), VM_OK);
  cr_assert_eq(v.i, 9);
  chunk_free(c);
}

/* ---- jumps ---- */

/* max(a, b) written with LT, JMPIFNOT and JMP. */
static int64_t if_max(int64_t a, int64_t b) {
  Chunk *c = chunk_new();
  uint32_t ka = chunk_add_const(c, TM, vi(a)), kb = chunk_add_const(c, TM, vi(b));
  Instr code[] = {
    INS(LOADK, 1, ka, 0),    /* 0 */
    INS(LOADK, 2, kb, 0),    /* 1 */
    INS(LT, 3, 1, 2),        /* 2  a < b */
    INS(JMPIFNOT, 3, 2, 0),  /* 3  -> 6 */
    INS(MOVE, 0, 2, 0),      /* 4 */
    INS(JMP, 0, 1, 0),       /* 5  -> 7 */
    INS(MOVE, 0, 1, 0),      /* 6 */
    INS(RET, 0, 0, 0),       /* 7 */
  };
  TypeRef regs[] = {TM, TM, TM, TB};
  PROTO(c, "max", TM, code, regs);
  Value v;
  VmError err;
  cr_assert_eq(eval(c, 0, NULL, &v, &err), VM_OK);
  chunk_free(c);
  return v.i;
}

Test(vm, jumps_forward) {
  cr_assert_eq(if_max(500, 700), 700);
  cr_assert_eq(if_max(900, 700), 900);
  cr_assert_eq(if_max(-1, -1), -1);
}

/*
** Dossier { id: tekst, regels: lijst Loonregel }, Loonregel { bedrag: geld }.
** Rule "totaal" sums regels[i].bedrag with a do-while loop.
*/
static Chunk *sum_chunk(void) {
  Chunk *c = chunk_new();
  const char *lnames[] = {"bedrag"};
  TypeRef ltypes[] = {TM};
  uint16_t loonregel = (uint16_t)add_record(c, "Loonregel", 1, lnames, ltypes);
  const char *dnames[] = {"id", "regels"};
  TypeRef dtypes[] = {TS, ty_list(VK_RECORD, loonregel)};
  c->schema.input = (int32_t)add_record(c, "Dossier", 2, dnames, dtypes);
  c->schema.key_field = 0;
  uint32_t k0 = chunk_add_const(c, TM, vi(0));
  Instr code[] = {
    INS(INPUT, 1, 1, 0),       /*  0  r1 := regels */
    INS(LEN, 2, 1, 0),         /*  1  r2 := len */
    INS(LOADK, 0, k0, 0),      /*  2  r0 := 0.00 */
    INS(LOADI, 3, 0, 0),       /*  3  r3 := 0 */
    INS(LT, 6, 3, 2),          /*  4 */
    INS(JMPIFNOT, 6, 6, 0),    /*  5  -> 12 */
    INS(INDEX, 4, 1, 3),       /*  6  r4 := regels[r3] */
    INS(FIELD, 5, 4, 0),       /*  7  r5 := r4.bedrag */
    INS(ADD_MONEY, 0, 0, 5),   /*  8 */
    INS(ADDI_INT, 3, 3, 1),    /*  9 */
    INS(LT, 6, 3, 2),          /* 10 */
    INS(JMPIF, 6, -6, 0),      /* 11  -> 6 */
    INS(RET, 0, 0, 0),         /* 12 */
  };
  TypeRef regs[] = {TM, dtypes[1], TI, TI, ty_ref(VK_RECORD, loonregel), TM, TB};
  PROTO(c, "totaal", TM, code, regs);
  return c;
}

static Record *dossier_with(Arena *a, uint32_t n, const int64_t *cents) {
  Value items[8];
  for (uint32_t i = 0; i < n; i++) {
    Value f[1] = {vi(cents[i])};
    items[i].rec = make_record(a, 0, 1, f);
  }
  Value fields[2];
  fields[0].text = NULL;
  fields[1].list = make_list(a, ty_ref(VK_RECORD, 0), n, items);
  return make_record(a, 1, 2, fields);
}

Test(vm, loop_sums_a_list) {
  Chunk *c = sum_chunk();
  Arena a;
  arena_init(&a);
  int64_t cents[] = {123456, 10001, 43};
  Value v;
  VmError err;
  cr_assert_eq(eval(c, 0, dossier_with(&a, 3, cents), &v, &err), VM_OK);
  cr_assert_eq(v.i, 133500);
  cr_assert_eq(eval(c, 0, dossier_with(&a, 0, cents), &v, &err), VM_OK);
  cr_assert_eq(v.i, 0);
  cr_assert_eq(eval(c, 0, dossier_with(&a, 1, cents), &v, &err), VM_OK);
  cr_assert_eq(v.i, 123456);
  arena_free(&a);
  chunk_free(c);
}

/* ---- lists ---- */

/* Dossier { bedragen: lijst geld, i: geheel }; rule x := bedragen[i]. */
static VmStatus index_at(int64_t index, uint32_t n, Value *out, VmError *err) {
  Chunk *c = chunk_new();
  const char *names[] = {"bedragen", "i"};
  TypeRef types[] = {ty_list(VK_MONEY, 0), TI};
  c->schema.input = (int32_t)add_record(c, "Dossier", 2, names, types);
  chunk_add_file(c, "lijst.rules", "x = bedragen[i]\n", 16);
  Instr code[] = {INS(INPUT, 1, 0, 0), INS(INPUT, 2, 1, 0), INS(INDEX, 0, 1, 2), INS(LEN, 3, 1, 0),
                  INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM, types[0], TI, TI};
  PROTO(c, "x", TM, code, regs);
  c->protos[0].spans[2] = (Span){0, 12, 3};   /* "[i]" */
  Arena a;
  arena_init(&a);
  Value items[] = {vi(100), vi(200), vi(300)};
  Value fields[2];
  fields[0].list = make_list(&a, TM, n, items);
  fields[1] = vi(index);
  VmStatus st = eval(c, 0, make_record(&a, 0, 2, fields), out, err);
  arena_free(&a);
  chunk_free(c);
  return st;
}

Test(vm, index_and_len) {
  Value v;
  VmError err;
  cr_assert_eq(index_at(0, 3, &v, &err), VM_OK);
  cr_assert_eq(v.i, 100);
  cr_assert_eq(index_at(2, 3, &v, &err), VM_OK);
  cr_assert_eq(v.i, 300);
}

Test(vm, index_out_of_range) {
  Value v;
  VmError err;
  cr_assert_eq(index_at(3, 3, &v, &err), VM_INDEX);
  cr_assert_str_eq(err.msg, "list index 3 out of range (list has 3 items) in rule 'x'");
  cr_assert_eq(err.status, VM_INDEX);
  cr_assert_eq(err.proto, 0);
  cr_assert_eq(err.pc, 2);
  cr_assert_eq(err.span.file, 0);
  cr_assert_eq(err.span.off, 12);
  cr_assert_eq(err.span.len, 3);
  cr_assert_eq(index_at(-1, 3, &v, &err), VM_INDEX);
  cr_assert_str_eq(err.msg, "list index -1 out of range (list has 3 items) in rule 'x'");
  cr_assert_eq(index_at(1, 1, &v, &err), VM_INDEX);
  cr_assert_str_eq(err.msg, "list index 1 out of range (list has 1 item) in rule 'x'");
  cr_assert_eq(index_at(0, 0, &v, &err), VM_INDEX);
  cr_assert_str_eq(err.msg, "list index 0 out of range (list has 0 items) in rule 'x'");
}

/* ---- rules, memoisation, outputs ---- */

/*
** Invoer { loon: geld }. a = loon; b = a + a; c = a * 3; d = b + c: a
** diamond, so d needs a twice (through b and through c).
*/
static Chunk *diamond_chunk(void) {
  Chunk *c = chunk_new();
  const char *names[] = {"loon"};
  TypeRef types[] = {TM};
  c->schema.input = (int32_t)add_record(c, "Invoer", 1, names, types);
  Instr ca[] = {INS(INPUT, 0, 0, 0), INS(RET, 0, 0, 0)};
  Instr cb[] = {INS(RULE, 0, 0, 0), INS(RULE, 1, 0, 0), INS(ADD_MONEY, 2, 0, 1), INS(RET, 2, 0, 0)};
  Instr cc[] = {INS(RULE, 0, 0, 0), INS(LOADI, 1, 3, 0), INS(MUL_MONEY_INT, 2, 0, 1), INS(RET, 2, 0, 0)};
  Instr cd[] = {INS(RULE, 0, 1, 0), INS(RULE, 1, 2, 0), INS(ADD_MONEY, 2, 0, 1), INS(RET, 2, 0, 0)};
  TypeRef ra[] = {TM}, rb[] = {TM, TM, TM}, rc[] = {TM, TI, TM};
  PROTO(c, "a", TM, ca, ra);
  PROTO(c, "b", TM, cb, rb);
  PROTO(c, "c", TM, cc, rc);
  PROTO(c, "d", TM, cd, rb);
  add_output(c, "d", OUT_RULE, 3, TM);
  add_output(c, "b", OUT_RULE, 1, TM);
  add_output(c, "a", OUT_RULE, 0, TM);
  add_output(c, "loon", OUT_INPUT, 0, TM);
  return c;
}

Test(vm, diamond_and_outputs) {
  Chunk *c = diamond_chunk();
  assert_verified(c);
  Vm *vm = vm_new(c);
  Arena a;
  arena_init(&a);
  Value out[4], v;
  VmError err;
  Value f1[] = {vi(1000)}, f2[] = {vi(7)};
  Record *r1 = make_record(&a, 0, 1, f1), *r2 = make_record(&a, 0, 1, f2);
  cr_assert_eq(vm_run(vm, r1, &a, out, &err), VM_OK);
  cr_assert_eq(out[0].i, 5000);
  cr_assert_eq(out[1].i, 2000);
  cr_assert_eq(out[2].i, 1000);
  cr_assert_eq(out[3].i, 1000);
  /* vm_eval_rule agrees with vm_run, rule by rule. */
  int64_t want[] = {1000, 2000, 3000, 5000};
  for (uint32_t r = 0; r < 4; r++) {
    cr_assert_eq(vm_eval_rule(vm, r1, &a, r, &v, &err), VM_OK);
    cr_assert_eq(v.i, want[r], "rule %u", r);
  }
  /* A new dossier forgets the old one's values. */
  cr_assert_eq(vm_run(vm, r2, &a, out, &err), VM_OK);
  cr_assert_eq(out[0].i, 35);
  cr_assert_eq(out[1].i, 14);
  cr_assert_eq(out[3].i, 7);
  cr_assert_eq(vm_eval_rule(vm, r2, &a, 2, &v, &err), VM_OK);
  cr_assert_eq(v.i, 21);
  arena_free(&a);
  vm_free(vm);
  chunk_free(c);
}

/*
** r0 = loon; r(i) = r(i-1) + r(i-1) by two RULE calls. Without memoisation
** r47 would take 2^47 rule evaluations and the timeout would fail the test;
** with it, each rule runs once and r47 = loon * 2^47.
*/
Test(vm, memo_evaluates_each_rule_once, .timeout = 10) {
  Chunk *c = chunk_new();
  const char *names[] = {"loon"};
  TypeRef types[] = {TM};
  c->schema.input = (int32_t)add_record(c, "Invoer", 1, names, types);
  Instr c0[] = {INS(INPUT, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef r0[] = {TM}, rn[] = {TM, TM, TM};
  PROTO(c, "r0", TM, c0, r0);
  char name[16];
  for (int i = 1; i < 48; i++) {
    Instr ci[] = {INS(RULE, 0, i - 1, 0), INS(RULE, 1, i - 1, 0), INS(ADD_MONEY, 2, 0, 1), INS(RET, 2, 0, 0)};
    snprintf(name, sizeof name, "r%d", i);
    PROTO(c, name, TM, ci, rn);
  }
  add_output(c, "r47", OUT_RULE, 47, TM);
  add_output(c, "r46", OUT_RULE, 46, TM);
  assert_verified(c);
  Vm *vm = vm_new(c);
  Arena a;
  arena_init(&a);
  Value f[] = {vi(3)}, out[2];
  VmError err;
  cr_assert_eq(vm_run(vm, make_record(&a, 0, 1, f), &a, out, &err), VM_OK);
  cr_assert_eq(out[0].i, INT64_C(3) << 47);
  cr_assert_eq(out[1].i, INT64_C(3) << 46);
  arena_free(&a);
  vm_free(vm);
  chunk_free(c);
}

/* A chain r0 <- r1 <- ... <- r(n-1): r(i) returns r(i-1), r0 returns 7. */
static Chunk *chain_chunk(int n) {
  Chunk *c = chunk_new();
  Instr c0[] = {INS(LOADI, 0, 7, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  PROTO(c, "r0", TI, c0, regs);
  char name[16];
  for (int i = 1; i < n; i++) {
    Instr ci[] = {INS(RULE, 0, i - 1, 0), INS(RET, 0, 0, 0)};
    snprintf(name, sizeof name, "r%d", i);
    PROTO(c, name, TI, ci, regs);
  }
  return c;
}

Test(vm, nesting_limit) {
  Chunk *c = chain_chunk(201);
  Value v;
  VmError err;
  cr_assert_eq(eval(c, 199, NULL, &v, &err), VM_OK);   /* 200 rules deep */
  cr_assert_eq(v.i, 7);
  cr_assert_eq(eval(c, 200, NULL, &v, &err), VM_DEPTH);   /* 201 */
  cr_assert_eq(err.status, VM_DEPTH);
  cr_assert_eq(err.proto, 1);
  cr_assert_eq(err.pc, 0);
  cr_assert_str_eq(err.msg, "rules nested deeper than 200 calling 'r0' in rule 'r1'");
  chunk_free(c);
}

/* The verifier refuses cycles; the VM still stops on one rather than loop. */
Test(vm, cycle_detected_without_verifier) {
  Chunk *c = chunk_new();
  Instr ca[] = {INS(RULE, 0, 1, 0), INS(RET, 0, 0, 0)};
  Instr cb[] = {INS(LOADI, 1, 1, 0), INS(RULE, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI, TI};
  PROTO(c, "a", TI, ca, regs);
  PROTO(c, "b", TI, cb, regs);
  Vm *vm = vm_new(c);
  Value v;
  VmError err;
  cr_assert_eq(vm_eval_rule(vm, NULL, NULL, 0, &v, &err), VM_CYCLE);
  cr_assert_eq(err.proto, 1);
  cr_assert_eq(err.pc, 1);
  cr_assert_str_eq(err.msg, "rule 'a' needs its own value in rule 'b'");
  vm_free(vm);
  chunk_free(c);
}

/* ---- errors: the VmError a caller reports ---- */

Test(vm, error_fields_and_recovery) {
  Chunk *c = chunk_new();
  const char *text = "# €\ntotaal = a + b\n";   /* '+' at byte 17: line 2, column 12 */
  chunk_add_file(c, "loon.rules", text, (uint32_t)strlen(text));
  const char *names[] = {"a", "b"};
  TypeRef types[] = {TM, TM};
  c->schema.input = (int32_t)add_record(c, "Invoer", 2, names, types);
  Instr ct[] = {INS(INPUT, 1, 0, 0), INS(INPUT, 2, 1, 0), INS(ADD_MONEY, 0, 1, 2), INS(RET, 0, 0, 0)};
  Instr cw[] = {INS(RULE, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef rt[] = {TM, TM, TM}, rw[] = {TM};
  PROTO(c, "totaal", TM, ct, rt);
  PROTO(c, "wrapper", TM, cw, rw);
  c->protos[0].spans[2] = (Span){0, 17, 1};
  c->protos[1].spans[0] = (Span){0, 5, 6};
  add_output(c, "wrapper", OUT_RULE, 1, TM);
  assert_verified(c);
  Vm *vm = vm_new(c);
  Arena a;
  arena_init(&a);
  Value bad[] = {vi(INT64_MAX), vi(1)}, good[] = {vi(150), vi(275)}, out[1];
  VmError err;
  memset(&err, 0, sizeof err);
  cr_assert_eq(vm_run(vm, make_record(&a, 0, 2, bad), &a, out, &err), VM_OVERFLOW);
  /* The innermost rule is reported, not the one that asked for it. */
  cr_assert_eq(err.status, VM_OVERFLOW);
  cr_assert_eq(err.proto, 0);
  cr_assert_eq(err.pc, 2);
  cr_assert_eq(err.span.file, 0);
  cr_assert_eq(err.span.off, 17);
  cr_assert_eq(err.span.len, 1);
  cr_assert_str_eq(err.msg, "money overflow in rule 'totaal'");
  char loc[64];
  cr_assert_str_eq(chunk_location(c, err.span, loc, sizeof loc), "loon.rules:2:12");
  /* The next dossier starts clean. */
  cr_assert_eq(vm_run(vm, make_record(&a, 0, 2, good), &a, out, &err), VM_OK);
  cr_assert_eq(out[0].i, 425);
  arena_free(&a);
  vm_free(vm);
  chunk_free(c);
}

Test(vm, division_by_zero_names_rule) {
  Chunk *c = chunk_new();
  uint32_t k = chunk_add_const(c, TD, vd(0, 1));
  uint32_t one = chunk_add_const(c, TD, vd(1, 1));
  Instr code[] = {INS(LOADK, 1, one, 0), INS(LOADK, 2, k, 0), INS(DIV_DEC, 0, 1, 2), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TD, TD, TD};
  PROTO(c, "dagloon", TD, code, regs);
  Value v;
  VmError err;
  cr_assert_eq(eval(c, 0, NULL, &v, &err), VM_DIV_ZERO);
  cr_assert_str_eq(err.msg, "division by zero in rule 'dagloon'");
  cr_assert_eq(err.pc, 2);
  chunk_free(c);
}

Test(vm, status_text) {
  cr_assert_str_eq(vm_status_text(VM_OK), "ok");
  cr_assert_str_eq(vm_status_text(VM_OVERFLOW), "overflow");
  cr_assert_str_eq(vm_status_text(VM_DIV_ZERO), "division by zero");
  cr_assert_str_eq(vm_status_text(VM_INDEX), "list index out of range");
  cr_assert_str_eq(vm_status_text(VM_CYCLE), "rule depends on itself");
  cr_assert_str_eq(vm_status_text(VM_DEPTH), "rules nested too deeply");
  cr_assert_str_eq(vm_status_text(VM_BAD_CODE), "bad instruction");
}

Test(vm, input_and_field) {
  Chunk *c = chunk_new();
  const char *lnames[] = {"van", "bedrag"};
  TypeRef ltypes[] = {TT, TM};
  uint16_t lr = (uint16_t)add_record(c, "Loonregel", 2, lnames, ltypes);
  const char *dnames[] = {"id", "eerste", "uren"};
  TypeRef dtypes[] = {TS, ty_ref(VK_RECORD, lr), TI};
  c->schema.input = (int32_t)add_record(c, "Dossier", 3, dnames, dtypes);
  /* x := eerste.van as a date; y := eerste.bedrag * uren */
  Instr cx[] = {INS(INPUT, 1, 1, 0), INS(FIELD, 0, 1, 0), INS(RET, 0, 0, 0)};
  Instr cy[] = {INS(INPUT, 1, 1, 0), INS(FIELD, 2, 1, 1), INS(INPUT, 3, 2, 0), INS(MUL_MONEY_INT, 0, 2, 3),
                INS(RET, 0, 0, 0)};
  TypeRef rx[] = {TT, dtypes[1]}, ry[] = {TM, dtypes[1], TM, TI};
  PROTO(c, "x", TT, cx, rx);
  PROTO(c, "y", TM, cy, ry);
  Arena a;
  arena_init(&a);
  Value lf[] = {vi(date_from_ymd(2024, 3, 1)), vi(2550)};
  Value df[3];
  df[0].text = chunk_text(c, "D1", 2);
  df[1].rec = make_record(&a, lr, 2, lf);
  df[2] = vi(38);
  Record *in = make_record(&a, 1, 3, df);
  Value v;
  VmError err;
  cr_assert_eq(eval(c, 0, in, &v, &err), VM_OK);
  cr_assert_eq(v.i, date_from_ymd(2024, 3, 1));
  cr_assert_eq(eval(c, 1, in, &v, &err), VM_OK);
  cr_assert_eq(v.i, 96900);
  arena_free(&a);
  chunk_free(c);
}

/* ---- limits ---- */

/*
** A loop that never ends (bytecode from a hostile bundle can say JMP -1) stops
** at the step limit with VM_LIMIT, a clear message and its place.
*/
Test(vm, step_limit_stops_a_loop_for_ever, .timeout = 10) {
  Chunk *c = chunk_new();
  Instr code[] = {INS(LOADI, 0, 1, 0), INS(JMP, 0, (uint16_t)-1, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  PROTO(c, "x", TI, code, regs);
  assert_verified(c);
  Vm *vm = vm_new(c);
  vm_set_limits(vm, (VmLimits){1000, 0});
  Arena a;
  arena_init(&a);
  Value out;
  VmError err;
  cr_assert_eq(vm_eval_rule(vm, NULL, &a, 0, &out, &err), VM_LIMIT);
  cr_assert_eq(err.pc, 1);
  cr_assert(strstr(err.msg, "stopped after 1000 steps") && strstr(err.msg, "--max-steps"), "%s", err.msg);
  /* the budget is per dossier: the next one gets it whole again (and stops at the same place) */
  cr_assert_eq(vm_eval_rule(vm, NULL, &a, 0, &out, &err), VM_LIMIT);
  cr_assert(strstr(err.msg, "stopped after 1000 steps"), "%s", err.msg);
  arena_free(&a);
  vm_free(vm);
  chunk_free(c);
}
