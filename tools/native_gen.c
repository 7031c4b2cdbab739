/*
** native_gen.c: bytecode to C (native_gen.h). The dispatch goes: every
** instruction is a label the jumps go to, the common ones are C on the
** register file, constants folded into them, and a rule needed by another
** is called directly. The rest, and every path that ends in an error
** (overflow, a cycle, the step limit), is `STEP`: the VM's code for that one
** instruction (vm.c native_step), so the error row is the VM's, word for
** word, and the step counter moves exactly as in the VM.
*/
#include "tools/native_gen.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/native_abi.h"
#include "runtime/native_bundle.h"
#include "runtime/num.h"

typedef struct Gen {
  FILE *out;
  const Chunk *c;
  uint32_t p;            /* the rule being translated */
  const Proto *proto;
  uint32_t pc;
  Instr i;
} Gen;

typedef void (*Emitter)(Gen *g);

#define EMIT(...) fprintf(g->out, __VA_ARGS__)
#define RB_SIGNED ((int16_t)g->i.b)

/* The VM's code for this instruction; it falls through to the next. */
static void emit_step(Gen *g) { EMIT("  STEP(%" PRIu32 ", %" PRIu32 ");\n", g->p, g->pc); }

/* The same for an instruction that may jump to `target`: the VM says where to go on. */
static void emit_step_jump(Gen *g, uint32_t target) {
  EMIT("  STEP(%" PRIu32 ", %" PRIu32 "); if (nx == %" PRIu32 ") goto L%" PRIu32 "; goto L%" PRIu32 ";\n", g->p, g->pc,
       target, target, g->pc + 1);
}

static uint32_t jump_target(const Gen *g, int16_t off) { return (uint32_t)((int64_t)g->pc + 1 + off); }

/*
** A jump on `cond` (C text; "1": always) to pc+1+off. Backwards it is a step of the dossier's
** budget: the VM takes it while more than one step is left in the slice, else the VM's code
** (which asks for the next slice, or stops the dossier with the VM's message).
*/
static void emit_jump(Gen *g, const char *cond, int16_t off, const char *before) {
  uint32_t t = jump_target(g, off);
  if (off >= 0) {
    EMIT("  %sif (%s) goto L%" PRIu32 ";\n", before, cond, t);
    return;
  }
  EMIT("  if (*x->steps_left <= 1) {\n  ");
  emit_step_jump(g, t);
  EMIT("  }\n  %sif (%s) { --*x->steps_left; goto L%" PRIu32 "; }\n", before, cond, t);
}

static void emit_move(Gen *g) { EMIT("  R(%u) = R(%u);\n", g->i.a, g->i.b); }

/* A constant folded into the code: numbers, dates, decimals and periods; the rest through the VM. */
static void emit_loadk(Gen *g) {
  TypeRef t = g->c->ktypes[g->i.b];
  Value v = g->c->consts[g->i.b];
  switch (t.kind) {
  case VK_DEC: EMIT("  R(%u).dec.num = %" PRId64 "LL; R(%u).dec.den = %" PRId64 "LL;\n", g->i.a, v.dec.num, g->i.a, v.dec.den); break;
  case VK_PERIOD: EMIT("  R(%u).per.lo = %" PRId64 "LL; R(%u).per.hi = %" PRId64 "LL;\n", g->i.a, v.per.lo, g->i.a, v.per.hi); break;
  case VK_TEXT: case VK_RECORD: case VK_LIST: emit_step(g); break;
  default: EMIT("  R(%u).i = %" PRId64 "LL;\n", g->i.a, v.i == INT64_MIN ? INT64_MIN + 1 : v.i);
    if (v.i == INT64_MIN) EMIT("  R(%u).i -= 1;\n", g->i.a);
    break;
  }
}

static void emit_loadi(Gen *g) { EMIT("  R(%u).i = %d;\n", g->i.a, RB_SIGNED); }
static void emit_loadbool(Gen *g) { EMIT("  R(%u).i = %d;\n", g->i.a, g->i.b != 0); }
static void emit_input(Gen *g) { EMIT("  R(%u) = (*x->input)->fields[%u];\n", g->i.a, g->i.b); }
static void emit_field(Gen *g) { EMIT("  R(%u) = R(%u).rec->fields[%u];\n", g->i.a, g->i.b, g->i.c); }

/* RULE: the memo, else the rule's function called directly; a cycle or too deep: the VM says so. */
static void emit_rule(Gen *g) {
  uint32_t r = g->i.b;
  EMIT("  if ((*x->state)[%" PRIu32 "] != NATIVE_RULE_DONE) {\n"
       "    if ((*x->state)[%" PRIu32 "] == NATIVE_RULE_BUSY || *x->depth >= NATIVE_MAX_DEPTH) STEP(%" PRIu32 ", %" PRIu32 ");\n"
       "    else if ((st = r%" PRIu32 "(x, base + %u)) != 0) return st;\n"
       "  }\n  R(%u) = (*x->memo)[%" PRIu32 "];\n",
       r, r, g->p, g->pc, r, g->proto->nregs, g->i.a, r);
}

/* CALL: a step of the budget, the arguments above this rule's registers, the rule called directly. */
static void emit_call(Gen *g) {
  uint32_t r = g->i.b;
  const Proto *q = &g->c->protos[r];
  EMIT("  if (*x->steps_left <= 1 || (*x->state)[%" PRIu32 "] == NATIVE_RULE_BUSY || *x->depth >= NATIVE_MAX_DEPTH) {\n"
       "    STEP(%" PRIu32 ", %" PRIu32 ");\n  } else {\n    --*x->steps_left;\n",
       r, g->p, g->pc);
  for (uint16_t j = 0; j < q->nparams; j++) EMIT("    base[%u + %u] = R(%u);\n", g->proto->nregs, j, g->i.c + j);
  EMIT("    if ((st = r%" PRIu32 "(x, base + %u)) != 0) return st;\n"
       "    R(%u) = (*x->memo)[%" PRIu32 "];\n    (*x->state)[%" PRIu32 "] = NATIVE_RULE_NEW;\n  }\n",
       r, g->proto->nregs, g->i.a, r, r);
}

static void emit_ret(Gen *g) {
  EMIT("  (*x->memo)[%" PRIu32 "] = R(%u);\n  (*x->state)[%" PRIu32 "] = NATIVE_RULE_DONE;\n"
       "  if (*x->cov_rules) (*x->cov_rules)[%" PRIu32 "]++;\n  --*x->depth;\n  return 0;\n",
       g->p, g->i.a, g->p, g->p);
}

static void emit_jmp(Gen *g) { emit_jump(g, "1", RB_SIGNED, ""); }

static void emit_jmpif(Gen *g) {
  char cond[32];
  snprintf(cond, sizeof cond, "R(%u).i", g->i.a);
  emit_jump(g, cond, RB_SIGNED, "");
}

static void emit_jmpifnot(Gen *g) {
  char cond[32];
  snprintf(cond, sizeof cond, "!R(%u).i", g->i.a);
  emit_jump(g, cond, RB_SIGNED, "");
}

static void emit_jmpifnot_lt(Gen *g) {
  char cond[48];
  snprintf(cond, sizeof cond, "!(R(%u).i < R(%u).i)", g->i.a, g->i.b);
  emit_jump(g, cond, (int16_t)g->i.c, "");
}

static void emit_jmpifnot_le(Gen *g) {
  char cond[48];
  snprintf(cond, sizeof cond, "!(R(%u).i <= R(%u).i)", g->i.a, g->i.b);
  emit_jump(g, cond, (int16_t)g->i.c, "");
}

static void emit_next_item(Gen *g) {
  char cond[48], before[80];
  snprintf(cond, sizeof cond, "R(%u).i < R(%u).i", g->i.a, g->i.b);
  snprintf(before, sizeof before, "R(%u).i = (int64_t)((uint64_t)R(%u).i + 1); ", g->i.a, g->i.a);
  emit_jump(g, cond, (int16_t)g->i.c, before);
}

/* R[A] := expr of R[B] and R[C], all in the int64 slot. */
static void emit_int_expr(Gen *g, const char *fmt) {
  char expr[96];
  snprintf(expr, sizeof expr, fmt, g->i.b, g->i.c);
  EMIT("  R(%u).i = %s;\n", g->i.a, expr);
}

static void emit_not(Gen *g) { emit_int_expr(g, "!R(%u).i + 0*%u"); }
static void emit_eq(Gen *g) { emit_int_expr(g, "R(%u).i == R(%u).i"); }
static void emit_lt(Gen *g) { emit_int_expr(g, "R(%u).i < R(%u).i"); }
static void emit_le(Gen *g) { emit_int_expr(g, "R(%u).i <= R(%u).i"); }
static void emit_cast(Gen *g) { emit_int_expr(g, "R(%u).i + 0*%u"); }
static void emit_period_start(Gen *g) { emit_int_expr(g, "R(%u).per.lo + 0*%u"); }
static void emit_period_end(Gen *g) { emit_int_expr(g, "R(%u).per.hi + 0*%u"); }

static void emit_min(Gen *g) {
  EMIT("  R(%u).i = R(%u).i < R(%u).i ? R(%u).i : R(%u).i;\n", g->i.a, g->i.b, g->i.c, g->i.b, g->i.c);
}
static void emit_max(Gen *g) {
  EMIT("  R(%u).i = R(%u).i > R(%u).i ? R(%u).i : R(%u).i;\n", g->i.a, g->i.b, g->i.c, g->i.b, g->i.c);
}
static void emit_eq_period(Gen *g) {
  EMIT("  R(%u).i = R(%u).per.lo == R(%u).per.lo && R(%u).per.hi == R(%u).per.hi;\n", g->i.a, g->i.b, g->i.c, g->i.b,
       g->i.c);
}

/* Checked integer arithmetic: on overflow the VM's code, which says so. */
static void emit_checked(Gen *g, const char *builtin, const char *rhs) {
  EMIT("  { int64_t t_; if (__builtin_%s_overflow(R(%u).i, %s, &t_)) STEP(%" PRIu32 ", %" PRIu32 "); else R(%u).i = t_; }\n",
       builtin, g->i.b, rhs, g->p, g->pc, g->i.a);
}

/* The same with R[C] on the right. */
static void emit_checked_regs(Gen *g, const char *builtin) {
  char rhs[24];
  snprintf(rhs, sizeof rhs, "R(%u).i", g->i.c);
  emit_checked(g, builtin, rhs);
}

static void emit_add(Gen *g) { emit_checked_regs(g, "add"); }
static void emit_sub(Gen *g) { emit_checked_regs(g, "sub"); }
static void emit_mul(Gen *g) { emit_checked_regs(g, "mul"); }
static void emit_addi(Gen *g) {
  char rhs[24];
  snprintf(rhs, sizeof rhs, "(int64_t)%u", g->i.c);
  emit_checked(g, "add", rhs);
}

/* INDEX: the item, in range; out of range, the VM's error. */
static void emit_index(Gen *g) {
  EMIT("  if (R(%u).i < 0 || R(%u).i >= (int64_t)R(%u).list->n) STEP(%" PRIu32 ", %" PRIu32 ");\n"
       "  else R(%u) = R(%u).list->items[R(%u).i];\n",
       g->i.c, g->i.c, g->i.b, g->p, g->pc, g->i.a, g->i.b, g->i.c);
}

static void emit_int_to_dec(Gen *g) { EMIT("  R(%u).dec.num = R(%u).i; R(%u).dec.den = 1;\n", g->i.a, g->i.b, g->i.a); }

/*
** MUL_ROUND_MONEY, half a cent away from zero (the VM's common case): cents x n / d rounded
** straight from the product, as the VM does (it divides by a kept reciprocal, which gives the same
** quotient). Another rounding, or a product beyond int64: the VM's code.
*/
static void emit_mul_round_money(Gen *g) {
  if (g->i.x != ROUND_HALF_AWAY) {
    emit_step(g);
    return;
  }
  EMIT("  { int64_t x_;\n    if (__builtin_mul_overflow(R(%u).i, R(%u).dec.num, &x_)) STEP(%" PRIu32 ", %" PRIu32 ");\n"
       "    else { uint64_t d_ = (uint64_t)R(%u).dec.den, u_ = x_ < 0 ? -(uint64_t)x_ : (uint64_t)x_, q_ = u_ / d_, r_ = u_ %% d_;\n"
       "      q_ += r_ >= d_ - r_; R(%u).i = x_ < 0 ? (int64_t)(0 - q_) : (int64_t)q_; } }\n",
       g->i.b, g->i.c, g->p, g->pc, g->i.c, g->i.a);
}

/*
** REVISE asked again what its site answered this dossier (the same amount from the same day, up
** to the day before the next revision): the VM's memo, read here with the site's registers
** folded in; anything else, the VM's code.
*/
static void emit_revise(Gen *g) {
  const RevisionSite *rs = &g->c->revsites[g->i.b];
  EMIT("  { const NativeRevMemo *m_ = &x->revmemo[%u]; int64_t af_ = R(%u).i, th_ = R(%u).i;\n"
       "    if (m_->dossier == *x->dossier && m_->after == af_ && th_ >= m_->same_from && th_ <= m_->same_to &&\n"
       "        m_->start == R(%u).i) { *x->unverified += m_->unverified; R(%u).i = m_->result; }\n"
       "    else STEP(%" PRIu32 ", %" PRIu32 "); }\n",
       g->i.b, rs->after, rs->through, rs->amount, g->i.a, g->p, g->pc);
}

/*
** Every opcode of runtime/opcodes.def needs its EMIT_NAME here: C of its own, or emit_step (the
** VM's code). A new opcode without one does not compile, so it cannot be forgotten.
*/
#define EMIT_MOVE emit_move
#define EMIT_LOADK emit_loadk
#define EMIT_LOADI emit_loadi
#define EMIT_LOADBOOL emit_loadbool
#define EMIT_INPUT emit_input
#define EMIT_FIELD emit_field
#define EMIT_RULE emit_rule
#define EMIT_CALL emit_call
#define EMIT_CALL_NATIVE emit_step
#define EMIT_RET emit_ret
#define EMIT_JMP emit_jmp
#define EMIT_JMPIF emit_jmpif
#define EMIT_JMPIFNOT emit_jmpifnot
#define EMIT_JMPIFNOT_LT emit_jmpifnot_lt
#define EMIT_JMPIFNOT_LE emit_jmpifnot_le
#define EMIT_NEXT_ITEM emit_next_item
#define EMIT_NOT emit_not
#define EMIT_ADD_INT emit_add
#define EMIT_SUB_INT emit_sub
#define EMIT_MUL_INT emit_mul
#define EMIT_NEG_INT emit_step
#define EMIT_ADDI_INT emit_addi
#define EMIT_ADD_DEC emit_step
#define EMIT_SUB_DEC emit_step
#define EMIT_MUL_DEC emit_step
#define EMIT_DIV_DEC emit_step
#define EMIT_NEG_DEC emit_step
#define EMIT_ADD_MONEY emit_add
#define EMIT_SUB_MONEY emit_sub
#define EMIT_NEG_MONEY emit_step
#define EMIT_MUL_MONEY_INT emit_mul
#define EMIT_INT_TO_DEC emit_int_to_dec
#define EMIT_MONEY_TO_DEC emit_step
#define EMIT_ROUND_MONEY emit_step
#define EMIT_MUL_ROUND_MONEY emit_mul_round_money
#define EMIT_EQ emit_eq
#define EMIT_LT emit_lt
#define EMIT_LE emit_le
#define EMIT_EQ_DEC emit_step
#define EMIT_LT_DEC emit_step
#define EMIT_LE_DEC emit_step
#define EMIT_EQ_TEXT emit_step
#define EMIT_MIN emit_min
#define EMIT_MAX emit_max
#define EMIT_MIN_DEC emit_step
#define EMIT_MAX_DEC emit_step
#define EMIT_LEN emit_step
#define EMIT_INDEX emit_index
#define EMIT_FAIL emit_step
#define EMIT_COVER emit_step
#define EMIT_CAST emit_cast
#define EMIT_ROUND_DEC emit_step
#define EMIT_ADD_DAYS emit_step
#define EMIT_DIFF_DAYS emit_step
#define EMIT_ADD_MONTHS emit_step
#define EMIT_ADD_MONTHS_OVER emit_step
#define EMIT_DATE_PART emit_step
#define EMIT_UNIT_OF emit_step
#define EMIT_UNITS_IN emit_step
#define EMIT_COUNT_UNITS emit_step
#define EMIT_PERIOD emit_step
#define EMIT_PERIOD_START emit_period_start
#define EMIT_PERIOD_END emit_period_end
#define EMIT_PERIOD_LEN emit_step
#define EMIT_WORKDAYS emit_step
#define EMIT_OVERLAPS emit_step
#define EMIT_INTERSECT emit_step
#define EMIT_CONTAINS_DAY emit_step
#define EMIT_CONTAINS emit_step
#define EMIT_EQ_PERIOD emit_eq_period
#define EMIT_LOOKUP_DATE emit_step
#define EMIT_REVISE emit_revise
#define EMIT_AS_KNOWN emit_step
#define EMIT_AS_KNOWN_END emit_step
#define EMIT_KNOWN emit_step
#define EMIT_LOOKUP_KEY emit_step

static const Emitter emitters[OP__COUNT] = {
#define OP(name, a, b, c, syn) [OP_##name] = EMIT_##name,
#include "runtime/opcodes.def"
#undef OP
};

/* The pcs a jump (or a step that may jump) goes to: they get a label. */
static void mark_targets(const Proto *q, uint8_t *target) {
  for (uint32_t pc = 0; pc < q->ncode; pc++) {
    Instr i = q->code[pc];
    int32_t off;
    switch (i.op) {
    case OP_JMP: case OP_JMPIF: case OP_JMPIFNOT: off = (int16_t)i.b; break;
    case OP_JMPIFNOT_LT: case OP_JMPIFNOT_LE: case OP_NEXT_ITEM: off = (int16_t)i.c; break;
    default: continue;
    }
    int64_t t = (int64_t)pc + 1 + off;
    if (t >= 0 && t <= (int64_t)q->ncode) target[t] = 1;
    if (pc + 1 <= q->ncode) target[pc + 1] = 1;
  }
}

static void emit_rule_function(Gen *g) {
  const Proto *q = g->proto;
  uint8_t *target = xcalloc((size_t)q->ncode + 1, 1);
  mark_targets(q, target);
  EMIT("\n/* rule ");
  for (const char *s = q->name; *s; s++)   /* the name as a comment: only its plain characters, nothing ends it */
    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_') EMIT("%c", *s);
  EMIT(" */\nstatic int r%" PRIu32 "(NativeCtx *x, NativeValue *base) {\n  int st; uint32_t nx; (void)st; (void)nx;\n"
       "  (*x->state)[%" PRIu32 "] = NATIVE_RULE_BUSY;\n  ++*x->depth;\n",
       g->p, g->p);
  for (g->pc = 0; g->pc < q->ncode; g->pc++) {
    g->i = q->code[g->pc];
    if (target[g->pc]) EMIT("L%" PRIu32 ":;\n", g->pc);
    emitters[g->i.op](g);
  }
  if (target[q->ncode]) EMIT("L%" PRIu32 ":;\n", q->ncode);
  EMIT("  return 8; /* past the end: the verifier lets no rule get here */\n}\n");
  xfree(target);
}

bool native_gen(const Chunk *c, const unsigned char *bundle, size_t n, const char *cflags, FILE *out, char *why,
                size_t cap) {
  Gen gen = {.out = out, .c = c}, *g = &gen;
  char abi[64], sha[65];
  native_abi_string(abi, sizeof abi);
  native_sha256_hex(bundle, n, sha);
  EMIT("/* Made by dagloon compile --native: the rules' bytecode as C. Do not edit: compile again. */\n"
       "#include <stdint.h>\n%s\n", NATIVE_ABI_TEXT);
  EMIT("#define NATIVE_RULE_NEW %d\n#define NATIVE_RULE_BUSY %d\n#define NATIVE_RULE_DONE %d\n#define NATIVE_MAX_DEPTH %d\n",
       NATIVE_RULE_NEW, NATIVE_RULE_BUSY, NATIVE_RULE_DONE, NATIVE_MAX_DEPTH);
  EMIT("#define R(n) base[n]\n"
       "#define STEP(p, pc) do { if ((st = x->step(x->vm, p, base, pc, &nx)) != 0) return st; } while (0)\n");
  for (uint32_t p = 0; p < c->nprotos; p++) EMIT("static int r%" PRIu32 "(NativeCtx *x, NativeValue *base);\n", p);
  for (uint32_t p = 0; p < c->nprotos; p++) {
    g->p = p;
    g->proto = &c->protos[p];
    emit_rule_function(g);
  }
  EMIT("\nstatic const unsigned char bundle[] = {");
  for (size_t j = 0; j < n; j++) EMIT("%s%u,", j % 32 ? "" : "\n", bundle[j]);
  EMIT("\n};\nstatic const NativeEntry entries[] = {");
  for (uint32_t p = 0; p < c->nprotos; p++) EMIT("%sr%" PRIu32 ",", p % 16 ? "" : "\n", p);
  EMIT("\n0};\n__attribute__((visibility(\"default\"))) const NativeModule dagloon_native_module = {\n"
       "  \"%s\",\n  \"%s\",\n  \"%s\",\n  bundle, sizeof bundle, %" PRIu32 ", entries\n};\n",
       abi, sha, cflags, c->nprotos);
  if (fflush(out) != 0 || ferror(out)) {
    snprintf(why, cap, "%s", strerror(errno));
    return false;
  }
  return true;
}
