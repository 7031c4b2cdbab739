/*
** test_verify.c: the bytecode verifier (every rule it enforces has a
** failing case with its message), the disassembler's exact output, and
** line:column of source positions with multi-byte UTF-8.
*/
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/chunk.h"
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/verify.h"

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
/* Fixture schema: enums Soort (0), Kleur (1); records Loonregel (0), Dossier (1, the input). */
static const TypeRef TSOORT = {VK_ENUM, 0, 0};
static const TypeRef TKLEUR = {VK_ENUM, 0, 1};
static const TypeRef TLOONREGEL = {VK_RECORD, 0, 0};
static const TypeRef TREGELS = {VK_LIST, VK_RECORD, 0};

static Value vi(int64_t i) {
  Value v;
  v.i = i;
  return v;
}

static uint32_t add_proto(Chunk *c, const char *name, TypeRef result, const Instr *code, uint32_t ncode,
                          const TypeRef *regs, uint16_t nregs) {
  c->protos = xrealloc(c->protos, (c->nprotos + 1) * sizeof *c->protos);
  Proto *p = &c->protos[c->nprotos];
  memset(p, 0, sizeof *p);
  p->name = xstrdup(name);
  p->source = xstrdup("");
  p->result = result;
  p->ncode = ncode;
  p->code = xmalloc((ncode ? ncode : 1) * sizeof *code);
  if (ncode) memcpy(p->code, code, ncode * sizeof *code);
  p->spans = xcalloc(ncode ? ncode : 1, sizeof *p->spans);
  p->nregs = nregs;
  p->regtypes = xmalloc((nregs ? nregs : 1) * sizeof *regs);
  if (nregs) memcpy(p->regtypes, regs, nregs * sizeof *regs);
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

static void add_record(Chunk *c, const char *name, uint32_t n, const char *const *names,
                       const TypeRef *types) {
  Schema *s = &c->schema;
  s->records = xrealloc(s->records, (s->nrecords + 1) * sizeof *s->records);
  RecordType *rt = &s->records[s->nrecords++];
  rt->name = xstrdup(name);
  rt->nfields = n;
  rt->fields = xcalloc(n, sizeof *rt->fields);
  for (uint32_t i = 0; i < n; i++) {
    rt->fields[i].name = xstrdup(names[i]);
    rt->fields[i].type = types[i];
  }
}

static void add_enum(Chunk *c, const char *name, uint32_t n, const char *const *members) {
  Schema *s = &c->schema;
  s->enums = xrealloc(s->enums, (s->nenums + 1) * sizeof *s->enums);
  EnumType *et = &s->enums[s->nenums++];
  et->name = xstrdup(name);
  et->nmembers = n;
  et->members = xcalloc(n, sizeof *et->members);
  et->labels = NULL;
  for (uint32_t i = 0; i < n; i++) et->members[i] = xstrdup(members[i]);
}

/*
** The fixture: schema as above and eight constants
**   K0 geld 100.00   K1 geheel 261   K2 getal 1/3   K3 tekst "a"
**   K4 geheel 8 (round: cent, half away)   K5 geheel 3 (unit 0)
**   K6 geheel 15 (method 7)   K7 Soort wia
*/
static Chunk *fixture(void) {
  Chunk *c = chunk_new();
  const char *soort[] = {"ziekte", "wia"}, *kleur[] = {"rood"};
  add_enum(c, "Soort", 2, soort);
  add_enum(c, "Kleur", 1, kleur);
  const char *lnames[] = {"bedrag", "van"};
  TypeRef ltypes[] = {TM, TT};
  add_record(c, "Loonregel", 2, lnames, ltypes);
  const char *dnames[] = {"id", "loon", "regels", "soort"};
  TypeRef dtypes[] = {TS, TM, TREGELS, TSOORT};
  add_record(c, "Dossier", 4, dnames, dtypes);
  c->schema.input = 1;
  c->schema.key_field = 0;
  Value d;
  d.dec = (Dec){1, 3};
  chunk_add_const(c, TM, vi(10000));
  chunk_add_const(c, TI, vi(261));
  chunk_add_const(c, TD, d);
  chunk_add_const(c, TS, (Value){.text = chunk_text(c, "a", 1)});
  chunk_add_const(c, TI, vi(8));
  chunk_add_const(c, TI, vi(3));
  chunk_add_const(c, TI, vi(15));
  chunk_add_const(c, TSOORT, vi(1));
  return c;
}

static char msg[512];

/* Verifies c, frees it, and returns the message ("" when it passed). */
static const char *verdict(Chunk *c) {
  bool ok = verify_chunk(c, msg, sizeof msg);
  chunk_free(c);
  if (ok) {
    cr_assert_str_eq(msg, "", "passed but left a message");
    return "";
  }
  cr_assert_neq(msg[0], 0, "failed without a message");
  return msg;
}

/* One rule "x" in the fixture. */
static const char *verify1(const Instr *code, uint32_t ncode, const TypeRef *regs, uint16_t nregs,
                           TypeRef result) {
  Chunk *c = fixture();
  add_proto(c, "x", result, code, ncode, regs, nregs);
  return verdict(c);
}

#define V1(code, regs, result) verify1((code), COUNT(code), (regs), (uint16_t)COUNT(regs), (result))
#define EXPECT(got, want) cr_assert_str_eq((got), (want))

/* ---- chunks that pass ---- */

Test(verify, valid_chunk_passes) {
  Chunk *c = fixture();
  chunk_add_file(c, "w.rules", "loon = invoer.loon\ndagloon = loon / 261\n", 39);
  /* rule 0 "loon": the input's loon */
  Instr cl[] = {INS(INPUT, 0, 1, 0), INS(RET, 0, 0, 0)};
  TypeRef rl[] = {TM};
  add_proto(c, "loon", TM, cl, COUNT(cl), rl, 1);
  c->protos[0].span = (Span){0, 0, 4};
  /* rule 1 "dagloon": round(loon / 261) with a jump and a loop-free branch */
  Instr cd[] = {
    INS(RULE, 0, 0, 0),        INS(MONEY_TO_DEC, 1, 0, 0), INS(LOADK, 2, 1, 0),
    INS(INT_TO_DEC, 3, 2, 0),  INS(DIV_DEC, 1, 1, 3),      INS(LOADBOOL, 4, 1, 0),
    INS(JMPIFNOT, 4, 1, 0),    INS(ROUND_MONEY, 0, 1, 4),  INS(RET, 0, 0, 0),
  };
  TypeRef rd[] = {TM, TD, TI, TD, TB};
  PROTO(c, "dagloon", TM, cd, rd);
  c->protos[1].spans[4] = (Span){0, 27, 10};
  /* rule 2 "eerste": bedrag of the first regel, soort compared, text, enum, MIN */
  Instr ce[] = {
    INS(INPUT, 1, 2, 0), INS(LOADI, 2, 0, 0),     INS(INDEX, 3, 1, 2),   INS(FIELD, 0, 3, 0),
    INS(INPUT, 4, 3, 0), INS(LOADK, 5, 7, 0),     INS(EQ, 6, 4, 5),      INS(MIN, 4, 4, 5),
    INS(LOADK, 7, 3, 0), INS(EQ_TEXT, 6, 7, 7),   INS(LEN, 2, 1, 0),     INS(MOVE, 8, 0, 0),
    INS(RET, 8, 0, 0),
  };
  TypeRef re[] = {TM, TREGELS, TI, TLOONREGEL, TSOORT, TSOORT, TB, TS, TM};
  PROTO(c, "eerste", TM, ce, re);
  add_output(c, "dagloon", OUT_RULE, 1, TM);
  add_output(c, "loon", OUT_INPUT, 1, TM);
  add_output(c, "soort", OUT_INPUT, 3, TSOORT);
  EXPECT(verdict(c), "");
}

Test(verify, empty_chunk_passes) {
  EXPECT(verdict(chunk_new()), "");
}

/* ---- instruction shape ---- */

Test(verify, bad_opcode) {
  Instr code[] = {{200, 0, 0, 0, 0}, INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  EXPECT(V1(code, regs, TI), "rule 'x' pc 0: bad opcode 200");
}

Test(verify, reserved_byte) {
  Instr code[] = {{OP_RET, 1, 0, 0, 0}};
  TypeRef regs[] = {TI};
  EXPECT(V1(code, regs, TI), "rule 'x' pc 0: RET: byte x is 1, must be 0");
}

/* MUL_ROUND_MONEY carries its rounding method in x; anything past the last method is refused. */
Test(verify, mul_round_money_method_byte) {
  TypeRef regs[] = {TM, TM, TD};
  /* K0 is a geld and K2 a getal in the fixture */
  Instr ok[] = {{OP_LOADK, 0, 1, 0, 0}, {OP_LOADK, 0, 2, 2, 0}, {OP_MUL_ROUND_MONEY, ROUND_FLOOR, 0, 1, 2},
                {OP_RET, 0, 0, 0, 0}};
  EXPECT(V1(ok, regs, TM), "");
  Instr bad[] = {{OP_MUL_ROUND_MONEY, ROUND__COUNT, 0, 1, 2}, {OP_RET, 0, 0, 0, 0}};
  EXPECT(V1(bad, regs, TM), "rule 'x' pc 0: MUL_ROUND_MONEY: byte x is 5, must be a rounding method");
}

/* Every register is written before it is read, on every path. */
Test(verify, read_before_write) {
  TypeRef regs[] = {TI, TI};
  Instr never[] = {{OP_ADDI_INT, 0, 0, 1, 1}, {OP_RET, 0, 0, 0, 0}};
  EXPECT(V1(never, regs, TI), "rule 'x' pc 0: ADDI_INT reads register 1 before anything wrote it");
  /* written on one branch only: R0 := 1; if R0 then R1 := 2; return R1 */
  TypeRef bregs[] = {TB, TI};
  Instr one_path[] = {{OP_LOADBOOL, 0, 0, 1, 0}, {OP_JMPIF, 0, 0, 1, 0}, {OP_LOADI, 0, 1, 2, 0},
                      {OP_RET, 0, 1, 0, 0}};
  EXPECT(V1(one_path, bregs, TI), "rule 'x' pc 3: RET reads register 1 before anything wrote it");
  /* written on both branches: fine */
  Instr both[] = {{OP_LOADBOOL, 0, 0, 1, 0}, {OP_JMPIF, 0, 0, 2, 0}, {OP_LOADI, 0, 1, 2, 0},
                  {OP_JMP, 0, 0, 1, 0}, {OP_LOADI, 0, 1, 3, 0}, {OP_RET, 0, 1, 0, 0}};
  EXPECT(V1(both, bregs, TI), "");
  /* NEXT_ITEM reads its counter (and counts it up): a loop R0 := 0; R1 := 3; do { R0 += 1 } while R0 < R1 */
  TypeRef iregs[] = {TI, TI};
  Instr loop[] = {{OP_LOADI, 0, 0, 0, 0}, {OP_LOADI, 0, 1, 3, 0}, {OP_NEXT_ITEM, 0, 0, 1, (uint16_t)-1},
                  {OP_RET, 0, 0, 0, 0}};
  EXPECT(V1(loop, iregs, TI), "");
  loop[0] = (Instr){OP_LOADI, 0, 1, 0, 0};   /* no counter */
  EXPECT(V1(loop, iregs, TI), "rule 'x' pc 2: NEXT_ITEM reads register 0 before anything wrote it");
}

Test(verify, no_code) {
  TypeRef regs[] = {TI};
  EXPECT(verify1(NULL, 0, regs, 1, TI), "rule 'x': no code");
}

Test(verify, register_out_of_range) {
  Instr code[] = {INS(LOADI, 1, 5, 0), INS(RET, 7, 0, 0)};
  TypeRef regs[] = {TI, TI};
  EXPECT(V1(code, regs, TI), "rule 'x' pc 1: register 7 out of range (2 registers)");
  Instr code1[] = {INS(RET, 1, 0, 0)};
  TypeRef regs1[] = {TI};
  EXPECT(V1(code1, regs1, TI), "rule 'x' pc 0: register 1 out of range (1 register)");
}

Test(verify, wrong_register_kind) {
  Instr code[] = {INS(ADD_MONEY, 0, 1, 2), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM, TM, TI};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 0: ADD_MONEY C: register 2 is geheel, expected geld");
  Instr code2[] = {INS(JMPIF, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs2[] = {TI};
  EXPECT(V1(code2, regs2, TI), "rule 'x' pc 0: JMPIF A: register 0 is geheel, expected waarheid");
  Instr code3[] = {INS(LEN, 0, 1, 0), INS(RET, 0, 0, 0)};
  TypeRef regs3[] = {TI, TS};
  EXPECT(V1(code3, regs3, TI), "rule 'x' pc 0: LEN B: register 1 is tekst, expected lijst");
}

Test(verify, unused_operand_must_be_zero) {
  Instr code[] = {INS(RET, 0, 5, 0)};
  TypeRef regs[] = {TI};
  EXPECT(V1(code, regs, TI), "rule 'x' pc 0: RET operand B is unused but is 5");
}

Test(verify, n_operand_kind) {
  Instr code[] = {INS(LT, 0, 1, 2), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TB, TD, TD};
  EXPECT(V1(code, regs, TB),
         "rule 'x' pc 0: LT B: register 1 is getal, expected waarheid, geheel, geld, datum, keuze or a duration");
}

Test(verify, n_operands_differ) {
  Instr code[] = {INS(EQ, 0, 1, 2), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TB, TM, TI};
  EXPECT(V1(code, regs, TB), "rule 'x' pc 0: EQ: operands B and C differ in type (geld, geheel)");
  TypeRef regs2[] = {TB, TSOORT, TKLEUR};
  EXPECT(V1(code, regs2, TB), "rule 'x' pc 0: EQ: operands B and C differ in type (Soort, Kleur)");
  Instr code3[] = {INS(MAX, 0, 1, 2), INS(RET, 0, 0, 0)};
  TypeRef regs3[] = {TI, TM, TM};
  EXPECT(V1(code3, regs3, TI), "rule 'x' pc 0: MAX: operands A and B differ in type (geheel, geld)");
}

Test(verify, constant_index) {
  Instr code[] = {INS(LOADK, 0, 8, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 0: LOADK B: constant 8 out of range (8 constants)");
}

Test(verify, loadk_type) {
  Instr code[] = {INS(LOADK, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  EXPECT(V1(code, regs, TI), "rule 'x' pc 0: LOADK: constant K0 is geld but register 0 is geheel");
  Instr code2[] = {INS(LOADK, 0, 7, 0), INS(RET, 0, 0, 0)};
  TypeRef regs2[] = {TKLEUR};
  EXPECT(V1(code2, regs2, TKLEUR), "rule 'x' pc 0: LOADK: constant K7 is Soort but register 0 is Kleur");
}

Test(verify, move_type) {
  Instr code[] = {INS(MOVE, 0, 1, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM, TD};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 0: MOVE: register 0 is geld but register 1 is getal");
}

Test(verify, jump_target) {
  Instr code[] = {INS(JMP, 0, 5, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  EXPECT(V1(code, regs, TI), "rule 'x' pc 0: JMP target 6 out of range (2 instructions)");
  Instr code2[] = {INS(LOADBOOL, 0, 1, 0), INS(JMPIFNOT, 0, -3, 0), INS(RET, 0, 0, 0)};
  TypeRef regs2[] = {TB};
  EXPECT(V1(code2, regs2, TB), "rule 'x' pc 1: JMPIFNOT target -1 out of range (3 instructions)");
  Instr code3[] = {INS(LOADBOOL, 0, 1, 0), INS(JMPIF, 0, 1, 0), INS(RET, 0, 0, 0)};
  EXPECT(V1(code3, regs2, TB), "rule 'x' pc 1: JMPIF target 3 out of range (3 instructions)");
}

Test(verify, backward_jump_allowed) {
  Instr code[] = {INS(LOADBOOL, 0, 0, 0), INS(JMPIF, 0, -2, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TB};
  EXPECT(V1(code, regs, TB), "");
}

Test(verify, fall_through_off_the_end) {
  Instr code[] = {INS(LOADI, 0, 1, 0)};
  TypeRef regs[] = {TI};
  EXPECT(V1(code, regs, TI),
         "rule 'x' pc 0: LOADI falls off the end of the code (the last instruction must be RET or JMP)");
  Instr code2[] = {INS(LOADBOOL, 0, 1, 0), INS(JMPIF, 0, -2, 0)};
  TypeRef regs2[] = {TB};
  EXPECT(V1(code2, regs2, TB),
         "rule 'x' pc 1: JMPIF falls off the end of the code (the last instruction must be RET or JMP)");
  Instr code3[] = {INS(LOADBOOL, 0, 1, 0), INS(JMP, 0, -2, 0)};
  EXPECT(V1(code3, regs2, TB), "");   /* an endless loop, but not off the end */
}

Test(verify, field_index) {
  Instr code[] = {INS(INPUT, 1, 2, 0), INS(LOADI, 2, 0, 0), INS(INDEX, 3, 1, 2), INS(FIELD, 0, 3, 2),
                  INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM, TREGELS, TI, TLOONREGEL};
  EXPECT(V1(code, regs, TM),
         "rule 'x' pc 3: FIELD C: field 2 out of range (record 'Loonregel' has 2 fields)");
  Instr code2[] = {INS(INPUT, 0, 4, 0), INS(RET, 0, 0, 0)};
  TypeRef regs2[] = {TM};
  EXPECT(V1(code2, regs2, TM),
         "rule 'x' pc 0: INPUT B: field 4 out of range (input record 'Dossier' has 4 fields)");
}

Test(verify, field_types) {
  Instr code[] = {INS(INPUT, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 0: INPUT: field 'id' is tekst but register 0 is geld");
  Instr code2[] = {INS(INPUT, 1, 2, 0), INS(LOADI, 2, 0, 0), INS(INDEX, 3, 1, 2), INS(FIELD, 0, 3, 1),
                   INS(RET, 0, 0, 0)};
  TypeRef regs2[] = {TM, TREGELS, TI, TLOONREGEL};
  EXPECT(V1(code2, regs2, TM), "rule 'x' pc 3: FIELD: field 'van' is datum but register 0 is geld");
  Instr code3[] = {INS(FIELD, 0, 1, 0), INS(RET, 0, 0, 0)};
  TypeRef regs3[] = {TM, TM};
  EXPECT(V1(code3, regs3, TM), "rule 'x' pc 0: FIELD B: register 1 is geld, expected gegevens");
}

Test(verify, input_without_input_record) {
  Chunk *c = fixture();
  c->schema.input = -1;
  c->schema.key_field = -1;
  Instr code[] = {INS(INPUT, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TS};
  PROTO(c, "x", TS, code, regs);
  EXPECT(verdict(c), "rule 'x' pc 0: INPUT: the schema has no input record");
}

Test(verify, index_type) {
  Instr code[] = {INS(INPUT, 1, 2, 0), INS(LOADI, 2, 0, 0), INS(INDEX, 0, 1, 2), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM, TREGELS, TI};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 2: INDEX: register 0 is geld but the list holds Loonregel");
}

Test(verify, rule_index) {
  Instr code[] = {INS(RULE, 0, 1, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 0: RULE B: rule 1 out of range (1 rule)");
}

Test(verify, rule_result_type) {
  Chunk *c = fixture();
  Instr cy[] = {INS(LOADK, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef ry[] = {TM};
  PROTO(c, "y", TM, cy, ry);
  Instr cx[] = {INS(RULE, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef rx[] = {TI};
  PROTO(c, "x", TI, cx, rx);
  EXPECT(verdict(c), "rule 'x' pc 0: RULE: rule 'y' returns geld but register 0 is geheel");
}

Test(verify, ret_type) {
  Instr code[] = {INS(LOADI, 0, 1, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 1: RET: register 0 is geheel but the rule returns geld");
}

Test(verify, cycle_between_two_rules) {
  Chunk *c = fixture();
  Instr ca[] = {INS(RULE, 0, 1, 0), INS(RET, 0, 0, 0)};
  Instr cb[] = {INS(LOADI, 1, 0, 0), INS(RULE, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI, TI};
  PROTO(c, "a", TI, ca, regs);
  PROTO(c, "b", TI, cb, regs);
  EXPECT(verdict(c), "rule 'b' pc 1: rules depend on each other in a cycle: 'a' -> 'b' -> 'a'");
}

Test(verify, cycle_self_and_longer) {
  Chunk *c = fixture();
  Instr self[] = {INS(RULE, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  PROTO(c, "zelf", TI, self, regs);
  EXPECT(verdict(c), "rule 'zelf' pc 0: rules depend on each other in a cycle: 'zelf' -> 'zelf'");
  /* r0 -> r1 -> r2 -> r3 -> r1; r0 is not on the cycle. r4 is a harmless diamond. */
  c = fixture();
  Instr c0[] = {INS(RULE, 0, 4, 0), INS(RULE, 0, 1, 0), INS(RET, 0, 0, 0)};
  Instr c1[] = {INS(RULE, 0, 2, 0), INS(RET, 0, 0, 0)};
  Instr c2[] = {INS(RULE, 0, 3, 0), INS(RET, 0, 0, 0)};
  Instr c3[] = {INS(RULE, 0, 4, 0), INS(RULE, 0, 1, 0), INS(RET, 0, 0, 0)};
  Instr c4[] = {INS(LOADI, 0, 1, 0), INS(RET, 0, 0, 0)};
  PROTO(c, "r0", TI, c0, regs);
  PROTO(c, "r1", TI, c1, regs);
  PROTO(c, "r2", TI, c2, regs);
  PROTO(c, "r3", TI, c3, regs);
  PROTO(c, "r4", TI, c4, regs);
  EXPECT(verdict(c), "rule 'r3' pc 1: rules depend on each other in a cycle: 'r1' -> 'r2' -> 'r3' -> 'r1'");
}

Test(verify, acyclic_diamond_passes) {
  Chunk *c = fixture();
  Instr leaf[] = {INS(LOADI, 0, 1, 0), INS(RET, 0, 0, 0)};
  Instr mid[] = {INS(RULE, 0, 0, 0), INS(RET, 0, 0, 0)};
  Instr top[] = {INS(RULE, 0, 1, 0), INS(RULE, 1, 2, 0), INS(ADD_INT, 0, 0, 1), INS(RET, 0, 0, 0)};
  TypeRef r1[] = {TI}, r2[] = {TI, TI};
  PROTO(c, "leaf", TI, leaf, r1);
  PROTO(c, "mid1", TI, mid, r1);
  PROTO(c, "mid2", TI, mid, r1);
  PROTO(c, "top", TI, top, r2);
  EXPECT(verdict(c), "");
}

Test(verify, round_money_constant) {
  Instr code[] = {INS(LOADK, 1, 2, 0), INS(ROUND_MONEY, 0, 1, 5), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM, TD};
  EXPECT(V1(code, regs, TM), "rule 'x' pc 1: ROUND_MONEY C: constant K5 is not a rounding spec "
                             "(a geheel unit*8+method, unit >= 1, method < 5)");
  code[1].c = 6;   /* method 7 */
  EXPECT(V1(code, regs, TM), "rule 'x' pc 1: ROUND_MONEY C: constant K6 is not a rounding spec "
                             "(a geheel unit*8+method, unit >= 1, method < 5)");
  code[1].c = 0;   /* a geld constant */
  EXPECT(V1(code, regs, TM), "rule 'x' pc 1: ROUND_MONEY C: constant K0 is not a rounding spec "
                             "(a geheel unit*8+method, unit >= 1, method < 5)");
  code[1].c = 4;
  EXPECT(V1(code, regs, TM), "");
}

/* ---- tables ---- */

/* A date series of getal with rows at the given days and values n/d (a bundle may hold anything). */
static Chunk *with_table(const int64_t *keys, const Dec *vals, uint32_t n) {
  Chunk *c = fixture();
  c->tables = xcalloc(1, sizeof *c->tables);
  c->ntables = 1;
  Table *t = &c->tables[0];
  t->name = xstrdup("index");
  t->path = xstrdup("index.csv");
  t->kind = TABLE_BY_DATE;
  t->keytype = TT;
  t->valtype = TD;
  t->from = INT64_MIN;   /* no horizon: the tests below are about the rows */
  t->to = INT64_MAX;
  t->rows = xcalloc(n, sizeof *t->rows);
  t->nrows = n;
  for (uint32_t i = 0; i < n; i++)
    t->rows[i] = (TableRow){keys[i], INT64_MAX, {.dec = vals[i]}, ROW_STATED, 0, i + 2, xstrdup("bron"), xstrdup("")};
  return c;
}

Test(verify, table_rows) {
  int64_t keys[] = {100, 200}, back[] = {200, 100};
  Dec ok[] = {{1, 2}, {3, 1}}, unreduced[] = {{1, 2}, {6, 2}};
  EXPECT(verdict(with_table(keys, ok, 2)), "");
  EXPECT(verdict(with_table(back, ok, 2)), "table 'index' row 2: keys not strictly increasing");
  EXPECT(verdict(with_table(keys, unreduced, 2)), "table 'index' row 2: decimal not in lowest terms");
  Chunk *c = with_table(keys, ok, 2);
  c->tables[0].rows[0].until = 99;
  EXPECT(verdict(c), "table 'index' row 1: ends before it starts");
  c = with_table(keys, ok, 2);
  c->tables[0].from = 300, c->tables[0].to = 299;   /* a coverage (horizon) that ends before it starts */
  EXPECT(verdict(c), "table 'index': its coverage ends before it starts");
  c = with_table(keys, ok, 2);
  c->tables[0].rows[1].unknown = 1;   /* a missing value is only allowed on an unverified row */
  EXPECT(verdict(c), "table 'index' row 2: a missing value must be unverified");
  c = with_table(keys, ok, 2);
  c->tables[0].valtype = TREGELS;
  EXPECT(verdict(c), "table 'index': values of lijst Loonregel");
  c = with_table(keys, ok, 2);
  c->revsites = xcalloc(1, sizeof *c->revsites);
  c->nrevsites = 1;
  c->revsites[0] = (RevisionSite){.proto = 0, .table = 0, .spec = 9};
  EXPECT(verdict(c), "herzien call site 0: rule or table out of range");
}

Test(verify, register_types) {
  Instr code[] = {INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI, {40, 0, 0}};
  EXPECT(V1(code, regs, TI), "rule 'x': register 1 has an invalid type (kind 40)");
  TypeRef regs2[] = {TI, {VK_ENUM, 0, 2}};
  EXPECT(V1(code, regs2, TI), "rule 'x': register 1 has an invalid type (kind 6)");
  TypeRef regs3[] = {TI, {VK_LIST, VK_LIST, 0}};
  EXPECT(V1(code, regs3, TI), "rule 'x': register 1 has an invalid type (kind 8)");
  TypeRef regs4[] = {TI, {VK_LIST, VK_RECORD, 2}};
  EXPECT(V1(code, regs4, TI), "rule 'x': register 1 has an invalid type (kind 8)");
}

/* The line index gives the same line and column as scanning from the top, for every byte. */
Test(verify, line_index_matches_scanning) {
  const char *texts[] = {"regel a\n  = 1\n\n\xC3\xA9\xC3\xA9n = 2\nlaatste", "\xEF\xBB\xBF" "een\ntwee\n", "geen regeleinde"};
  for (int t = 0; t < 3; t++) {
    Chunk *c = chunk_new();
    uint32_t len = (uint32_t)strlen(texts[t]);
    chunk_add_file(c, "x.rules", texts[t], len);
    for (uint32_t off = 0; off <= len; off++) {
      uint32_t l1, c1, l2, c2;
      chunk_line_col(c, (Span){0, off, 0}, &l1, &c1);
      srcpos_line_col(texts[t], len, off, &l2, &c2);
      cr_assert(l1 == l2 && c1 == c2, "text %d offset %u: %u:%u with the index, %u:%u scanning", t, off, l1, c1, l2, c2);
    }
    chunk_free(c);
  }
}

Test(verify, spans_within_files) {
  Chunk *c = fixture();
  chunk_add_file(c, "a.rules", "x = 1\n", 6);
  Instr code[] = {INS(LOADI, 0, 1, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TI};
  PROTO(c, "x", TI, code, regs);
  c->protos[0].spans[1] = (Span){0, 4, 3};
  EXPECT(verdict(c), "rule 'x' pc 1: span outside the source files");
  c = fixture();
  chunk_add_file(c, "a.rules", "x = 1\n", 6);
  PROTO(c, "x", TI, code, regs);
  c->protos[0].span = (Span){1, 0, 1};
  EXPECT(verdict(c), "rule 'x': its span is outside the source files");
}

Test(verify, outputs) {
  Instr code[] = {INS(LOADK, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef regs[] = {TM};
  Chunk *c = fixture();
  PROTO(c, "x", TM, code, regs);
  add_output(c, "uit", OUT_RULE, 1, TM);
  EXPECT(verdict(c), "output 0 'uit': rule 1 out of range (1 rule)");
  c = fixture();
  PROTO(c, "x", TM, code, regs);
  add_output(c, "x", OUT_RULE, 0, TM);
  add_output(c, "uit", OUT_RULE, 0, TI);
  EXPECT(verdict(c), "output 1 'uit' is geheel but rule 'x' returns geld");
  c = fixture();
  add_output(c, "uit", OUT_INPUT, 4, TM);
  EXPECT(verdict(c), "output 0 'uit': input field 4 out of range (4 fields)");
  c = fixture();
  add_output(c, "uit", OUT_INPUT, 0, TM);
  EXPECT(verdict(c), "output 0 'uit' is geld but input field 'id' is tekst");
  c = fixture();
  add_output(c, "uit", 2, 0, TM);
  EXPECT(verdict(c), "output 0 'uit': bad source 2");
}

Test(verify, constants) {
  Chunk *c = fixture();
  Value v;
  v.dec = (Dec){1, 0};
  chunk_add_const(c, TD, v);
  EXPECT(verdict(c), "constant K8: decimal with denominator 0");
  c = fixture();
  v.dec = (Dec){2, 4};   /* arithmetic and equality assume lowest terms */
  chunk_add_const(c, TD, v);
  EXPECT(verdict(c), "constant K8: decimal 2/4 not in lowest terms");
  c = fixture();
  v.text = NULL;
  chunk_add_const(c, TS, v);
  EXPECT(verdict(c), "constant K8: tekst constant without a value");
}

/* Every constant within its type's domain: what the VM and the writers assume of a value (issue 14, item 10). */
Test(verify, constants_in_their_domain) {
  const int64_t first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2200, 12, 31);
  Chunk *c = fixture();
  chunk_add_const(c, TT, vi(first));
  chunk_add_const(c, TT, vi(last));
  chunk_add_const(c, TSOORT, vi(0));
  chunk_add_const(c, TB, vi(1));
  chunk_add_const(c, TS, (Value){.text = chunk_text(c, "\xC3\xA9", 2)});
  EXPECT(verdict(c), "");
  c = fixture();
  chunk_add_const(c, TT, vi(1000000000));
  EXPECT(verdict(c), "constant K8: datum (day 1000000000) outside the years 1900-2200");
  c = fixture();
  chunk_add_const(c, TT, vi(first - 1));
  EXPECT(verdict(c), "constant K8: datum (day -25568) outside the years 1900-2200");
  c = fixture();
  chunk_add_const(c, TT, vi(INT64_MIN));
  EXPECT(verdict(c), "constant K8: datum (day -9223372036854775808) outside the years 1900-2200");
  c = fixture();
  chunk_add_const(c, TSOORT, vi(1000000));
  EXPECT(verdict(c), "constant K8: keuze 1000000 of 'Soort', which has 2 members");
  c = fixture();
  chunk_add_const(c, TSOORT, vi(-1));
  EXPECT(verdict(c), "constant K8: keuze -1 of 'Soort', which has 2 members");
  c = fixture();
  chunk_add_const(c, TB, vi(2));
  EXPECT(verdict(c), "constant K8: waarheid 2 is neither 0 nor 1");
  c = fixture();
  chunk_add_const(c, (TypeRef){VK_PERIOD, 0, 0}, (Value){.per = {last, first}});
  EXPECT(verdict(c), "constant K8: periode (days 84370..-25567) reversed or outside the years 1900-2200");
  c = fixture();
  chunk_add_const(c, (TypeRef){VK_PERIOD, 0, 0}, (Value){.per = {first, INT64_MAX}});
  EXPECT(verdict(c), "constant K8: periode (days -25567..9223372036854775807) reversed or outside the years 1900-2200");
  c = fixture();
  chunk_add_const(c, TS, (Value){.text = chunk_text(c, "a\xFF", 2)});
  EXPECT(verdict(c), "constant K8: tekst that is not UTF-8");
}

/* Table rows from a bundle: keys and values within their types' domains. */
Test(verify, table_keys_and_values_in_their_domain) {
  int64_t keys[] = {100, 200};
  Dec ok[] = {{1, 2}, {3, 1}};
  Chunk *c = with_table(keys, ok, 2);
  c->tables[0].rows[1].key = 5000000000;
  EXPECT(verdict(c), "table 'index' row 2: key datum (day 5000000000) outside the years 1900-2200");
  c = with_table(keys, ok, 2);
  c->tables[0].valtype = TSOORT;
  c->tables[0].rows[0].value.i = 1;
  c->tables[0].rows[1].value.i = 7;
  EXPECT(verdict(c), "table 'index' row 2: keuze 7 of 'Soort', which has 2 members");
}

Test(verify, schema) {
  Chunk *c = fixture();
  c->schema.input = 2;
  EXPECT(verdict(c), "schema: input record 2 out of range (2 record types)");
  c = fixture();
  c->schema.key_field = 4;
  EXPECT(verdict(c), "schema: key field 4 is not a field of the input record");
}

/* ---- the disassembler ---- */

static char *disasm(const Chunk *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  chunk_disasm(c, f);
  fclose(f);
  return buf;
}

Test(chunk, disasm_golden) {
  Chunk *c = chunk_new();
  const char *src = "loon = invoer.loon\n"
                    "# €: dagloon\n"
                    "dagloon = afronden(loon / 261)\n";
  chunk_add_file(c, "w.rules", src, (uint32_t)strlen(src));
  const char *soort[] = {"ziekte", "wia"};
  add_enum(c, "Soort", 2, soort);
  const char *names[] = {"loon"};
  TypeRef types[] = {TM};
  add_record(c, "Invoer", 1, names, types);
  c->schema.input = 0;
  Value d;
  d.dec = (Dec){1, 3};
  chunk_add_const(c, TI, vi(261));
  chunk_add_const(c, TI, vi(261 * 8 + ROUND_FLOOR));
  chunk_add_const(c, TM, vi(-5006400));
  chunk_add_const(c, TD, d);
  d.dec = (Dec){-5, 8};
  chunk_add_const(c, TD, d);
  chunk_add_const(c, TT, vi(date_from_ymd(2024, 2, 29)));
  chunk_add_const(c, TS, (Value){.text = chunk_text(c, "zei \"ja\"\n", 9)});
  chunk_add_const(c, TB, vi(1));
  chunk_add_const(c, TSOORT, vi(1));
  Instr cl[] = {INS(INPUT, 0, 0, 0), INS(RET, 0, 0, 0)};
  TypeRef rl[] = {TM};
  PROTO(c, "loon", TM, cl, rl);
  c->protos[0].span = (Span){0, 0, 4};
  c->protos[0].spans[0] = (Span){0, 7, 11};
  c->protos[0].spans[1] = (Span){0, 0, 4};
  Instr cd[] = {
    INS(RULE, 0, 0, 0), INS(MONEY_TO_DEC, 1, 0, 0), INS(LOADK, 2, 0, 0), INS(INT_TO_DEC, 3, 2, 0),
    INS(DIV_DEC, 1, 1, 3), INS(LOADI, 2, -1, 0), INS(LT, 4, 2, 2), INS(JMPIFNOT, 4, -8, 0),
    INS(ROUND_MONEY, 0, 1, 1), INS(RET, 0, 0, 0),
  };
  TypeRef rd[] = {TM, TD, TI, TD, TB};
  PROTO(c, "dagloon", TM, cd, rd);
  free(c->protos[1].source);
  c->protos[1].source = xstrdup("art. 13 Wet WIA");
  /* "dagloon" of line 3 starts at byte 19 + 15 = 34 ("€" is 3 bytes, one column). */
  c->protos[1].span = (Span){0, 34, 7};
  for (uint32_t pc = 0; pc < 10; pc++) c->protos[1].spans[pc] = (Span){0, 44, 20};
  c->protos[1].spans[4] = (Span){0, 53, 10};
  add_output(c, "dagloon", OUT_RULE, 1, TM);
  add_output(c, "loon", OUT_INPUT, 0, TM);
  char *got = disasm(c);
  const char *want =
    "; constants\n"
    "K0  geheel  261\n"
    "K1  geheel  2090\n"
    "K2  geld  -50064.00\n"
    "K3  getal  1/3\n"
    "K4  getal  -0.625\n"
    "K5  datum  2024-02-29\n"
    "K6  tekst  \"zei \\\"ja\\\"\\n\"\n"
    "K7  waarheid  true\n"
    "K8  Soort  wia\n"
    "\n"
    "rule 0 loon: geld  ; w.rules:1:1  ; 1 register\n"
    "     0  INPUT           0 0           ; R[A] := input.field[B] [loon]  ; w.rules:1:8\n"
    "     1  RET             0             ; return R[A] as the rule's value  ; w.rules:1:1\n"
    "\n"
    "rule 1 dagloon: geld  ; w.rules:3:1  ; 5 registers\n"
    "  ; bron: art. 13 Wet WIA\n"
    "     0  RULE            0 0           ; R[A] := value of rule B (evaluated once per dossier) [loon]"
    "  ; w.rules:3:11\n"
    "     1  MONEY_TO_DEC    1 0           ; R[A] := R[B] / 100  (euros as decimal)  ; w.rules:3:11\n"
    "     2  LOADK           2 0           ; R[A] := K[B] [261]  ; w.rules:3:11\n"
    "     3  INT_TO_DEC      3 2           ; R[A] := R[B] as decimal  ; w.rules:3:11\n"
    "     4  DIV_DEC         1 1 3         ; R[A] := R[B] / R[C]  (exact; zero divisor: error)"
    "  ; w.rules:3:20\n"
    "     5  LOADI           2 -1          ; R[A] := sB (small integer)  ; w.rules:3:11\n"
    "     6  LT              4 2 2         ; R[A] := R[B] < R[C]  ; w.rules:3:11\n"
    "     7  JMPIFNOT        4 -8          ; if not R[A] then pc += sB [-> 0]  ; w.rules:3:11\n"
    "     8  ROUND_MONEY     0 1 1         ; R[A] := R[B] rounded to a multiple of K[C]/8 cents by method "
    "K[C]%8 [2090 = 261 cents, naar_beneden]  ; w.rules:3:11\n"
    "     9  RET             0             ; return R[A] as the rule's value  ; w.rules:3:11\n"
    "\n"
    "; outputs\n"
    "O0  dagloon  geld  <- rule 1 dagloon\n"
    "O1  loon  geld  <- input loon\n";
  cr_assert_str_eq(got, want, "disassembly differs:\n%s", got);
  free(got);
  chunk_free(c);
}

Test(chunk, disasm_without_sources) {
  Chunk *c = chunk_new();
  Instr code[] = {INS(LOADBOOL, 0, 1, 0), INS(JMP, 0, -2, 0)};
  TypeRef regs[] = {TB};
  PROTO(c, "lus", TB, code, regs);
  char *got = disasm(c);
  cr_assert_str_eq(got,
                   "; constants\n"
                   "\n"
                   "rule 0 lus: waarheid  ; 1 register\n"
                   "     0  LOADBOOL        0 1           ; R[A] := (B != 0)\n"
                   "     1  JMP             -2            ; pc += sB [-> 0]\n");
  free(got);
  chunk_free(c);
}

/* ---- source positions ---- */

Test(chunk, line_col_utf8) {
  /* a € b \n € € x : bytes a=0, €=1..3, b=4, \n=5, €=6..8, €=9..11, x=12 */
  const char *t = "a\xe2\x82\xac" "b\n\xe2\x82\xac\xe2\x82\xacx";
  uint32_t len = (uint32_t)strlen(t), line, col;
  cr_assert_eq(len, 13);
  struct { uint32_t off, line, col; } cases[] = {
    {0, 1, 1}, {1, 1, 2}, {4, 1, 3}, {5, 1, 4}, {6, 2, 1}, {9, 2, 2}, {12, 2, 3}, {13, 2, 4}, {99, 2, 4},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    srcpos_line_col(t, len, cases[i].off, &line, &col);
    cr_assert(line == cases[i].line && col == cases[i].col, "offset %u: got %u:%u, expected %u:%u",
              cases[i].off, line, col, cases[i].line, cases[i].col);
  }
}

Test(chunk, location) {
  Chunk *c = chunk_new();
  chunk_add_file(c, "eerste.rules", "x\n", 2);
  uint32_t f = chunk_add_file(c, "tweede.rules", "ab\n\xe2\x82\xac=1\n", 8);
  cr_assert_eq(f, 1);
  char buf[64];
  cr_assert_str_eq(chunk_location(c, (Span){1, 6, 1}, buf, sizeof buf), "tweede.rules:2:2");
  cr_assert_str_eq(chunk_location(c, (Span){0, 0, 1}, buf, sizeof buf), "eerste.rules:1:1");
  cr_assert_str_eq(chunk_location(c, (Span){2, 0, 1}, buf, sizeof buf), "?");
  uint32_t line, col;
  chunk_line_col(c, (Span){1, 7, 1}, &line, &col);
  cr_assert(line == 2 && col == 3);
  /* the copies are the chunk's own */
  cr_assert_str_eq(c->files[1].name, "tweede.rules");
  cr_assert_eq(c->files[1].len, 8);
  cr_assert_eq(c->files[1].text[8], 0);
  chunk_free(c);
}

Test(chunk, constants_grow) {
  Chunk *c = chunk_new();
  for (int i = 0; i < 1000; i++) cr_assert_eq(chunk_add_const(c, TI, vi(i * 7)), (uint32_t)i);
  cr_assert_eq(c->nconsts, 1000);
  cr_assert_eq(c->consts[999].i, 6993);
  cr_assert_eq(c->ktypes[999].kind, VK_INT);
  const Text *t = chunk_text(c, "h\0llo", 5);
  cr_assert_eq(t->len, 5);
  cr_assert_eq(memcmp(t->bytes, "h\0llo", 6), 0);
  cr_assert_eq(c->schema.input, -1);
  cr_assert_eq(c->schema.key_field, -1);
  chunk_free(c);
  chunk_free(NULL);
}
