/*
** compile.c: code generation from the checked AST to register bytecode.
**
** Each rule becomes one Proto. Every expression node gets a fresh register
** of its static type (registers are typed for the verifier, so a register
** is never reused for another type); rules are small, so this costs little
** and keeps the generator obvious. Conversions the checker allowed
** implicitly (geheel -> getal, geld -> getal in mixed arithmetic) are made
** explicit here with INT_TO_DEC / MONEY_TO_DEC.
*/
#include "compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "labels.h"
#include "lexer.h"
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/i18n.h"

typedef struct Cg {
  Program *p;
  Chunk *ck;
  DiagList *d;
  AstNode *rule;
  uint32_t rule_index;
  bool failed;
  Instr *code;
  Span *spans;
  size_t n, cap, capspans;
  TypeRef *regs;
  size_t nregs, capregs;
  const int *params;    /* while a rule with parameters is inlined: the registers of its arguments */
  /*
  ** Values already loaded in this rule (INPUT field, RULE value, LOADK
  ** constant, start or end of a period register), reused instead of loaded
  ** again. Only while the code that loaded them dominates: a branch, an arm
  ** or a loop body drops what it loaded when it ends (cse_mark/cse_release).
  ** The verifier's written-before-read check guards this.
  */
  struct CseEntry { uint8_t op; uint32_t b, c; int reg; } *cse;
  size_t ncse, capcse;
  size_t cse_floor;     /* entries below it were made outside the 'zoals bekend op' being compiled: not reused */
  bool coverage;        /* emit COVER instructions (dagloon test) */
  bool trace;           /* code for explanations (CG_TRACE): no inlining, points for exceptions not taken */
  int inline_depth;
  /* the exceptions of each rule, in declaration order: exc_start[r] .. exc_start[r + 1] in exc_by_rule */
  uint32_t *exc_start;
  AstNode **exc_by_rule;
  /* the constant pool by value: slot = index + 1, 0 empty; kept at most half full */
  uint32_t *konst_slots;
  uint32_t capkonst, nconsts_seen;
} Cg;

static const TypeRef T_BOOL = {VK_BOOL, 0, 0};
static const TypeRef T_INT = {VK_INT, 0, 0};
static const TypeRef T_DEC = {VK_DEC, 0, 0};
static const TypeRef T_MONEY = {VK_MONEY, 0, 0};

static bool ty_eq(TypeRef a, TypeRef b) { return a.kind == b.kind && a.elem == b.elem && a.ref == b.ref; }

static void too_large(Cg *g, const char *what) {
  if (g->failed) return;
  g->failed = true;
  diag_error(g->d, g->rule->nspan, "E045", "rule '%s' is too large: more than 65535 %s", g->rule->name, _(what));
}

static int newreg(Cg *g, TypeRef t) {
  if (g->nregs >= 65535) {
    too_large(g, N_("registers"));
    return 0;
  }
  VEC_PUSH(g->regs, g->nregs, g->capregs, t);
  return (int)g->nregs - 1;
}

static uint32_t emit(Cg *g, Opcode op, int a, int b, int c, Span span) {
  Instr ins = {(uint8_t)op, 0, (uint16_t)a, (uint16_t)b, (uint16_t)c};
  size_t ns = g->n;
  VEC_PUSH(g->spans, ns, g->capspans, span);
  VEC_PUSH(g->code, g->n, g->cap, ins);
  return (uint32_t)g->n - 1;
}

/* Point the jump at `at` to the next instruction to be emitted. */
static void patch_here(Cg *g, uint32_t at) {
  long off = (long)g->n - (long)(at + 1);
  if (off > INT16_MAX) too_large(g, N_("instructions in one jump"));
  uint8_t op = g->code[at].op;
  if (op == OP_JMPIFNOT_LT || op == OP_JMPIFNOT_LE || op == OP_NEXT_ITEM) g->code[at].c = (uint16_t)(int16_t)off;
  else g->code[at].b = (uint16_t)(int16_t)off;
}

static int jump_back_offset(Cg *g, uint32_t target) {
  long off = (long)target - (long)(g->n + 1);
  if (off < INT16_MIN) too_large(g, N_("instructions in one jump"));
  return (int)(int16_t)off;
}

static bool konst_eq(TypeRef t, Value k, Value v) {
  return t.kind == VK_DEC ? (k.dec.num == v.dec.num && k.dec.den == v.dec.den)
       : t.kind == VK_TEXT ? (k.text->len == v.text->len && memcmp(k.text->bytes, v.text->bytes, k.text->len) == 0)
                           : k.i == v.i;
}

static uint64_t konst_hash(TypeRef t, Value v) {
  uint64_t h = 1469598103934665603u;
  unsigned char key[3 + 16];
  size_t n = 3;
  key[0] = t.kind;
  key[1] = t.elem;
  key[2] = (unsigned char)t.ref;
  const unsigned char *bytes = key;
  if (t.kind == VK_DEC) {
    memcpy(key + 3, &v.dec.num, 8);
    memcpy(key + 11, &v.dec.den, 8);
    n = 19;
  } else if (t.kind != VK_TEXT) {
    memcpy(key + 3, &v.i, 8);
    n = 11;
  }
  for (size_t i = 0; i < n; i++) h = (h ^ bytes[i]) * 1099511628211u;
  if (t.kind == VK_TEXT)
    for (uint32_t i = 0; i < v.text->len; i++) h = (h ^ (unsigned char)v.text->bytes[i]) * 1099511628211u;
  return h;
}

/* A constant's index in the pool: an equal one is shared, found through a hash table (not a scan of the pool). */
static uint32_t konst(Cg *g, TypeRef t, Value v) {
  if ((g->nconsts_seen + 1) * 2 > g->capkonst) {   /* grow: rehash what the pool holds */
    uint32_t cap = g->capkonst ? g->capkonst * 2 : 256;
    xfree(g->konst_slots);
    g->konst_slots = xcalloc(cap, sizeof *g->konst_slots);
    g->capkonst = cap;
    for (uint32_t i = 0; i < g->ck->nconsts; i++) {
      uint32_t j = (uint32_t)konst_hash(g->ck->ktypes[i], g->ck->consts[i]) & (cap - 1);
      while (g->konst_slots[j]) j = (j + 1) & (cap - 1);
      g->konst_slots[j] = i + 1;
    }
  }
  uint32_t mask = g->capkonst - 1, j = (uint32_t)konst_hash(t, v) & mask;
  for (; g->konst_slots[j]; j = (j + 1) & mask) {
    uint32_t i = g->konst_slots[j] - 1;
    if (ty_eq(g->ck->ktypes[i], t) && konst_eq(t, g->ck->consts[i], v)) return i;
  }
  if (g->ck->nconsts >= 65535) too_large(g, N_("constants"));
  uint32_t k = chunk_add_const(g->ck, t, v);
  g->konst_slots[j] = k + 1;
  g->nconsts_seen = g->ck->nconsts;
  return k;
}

static size_t cse_mark(Cg *g) { return g->ncse; }
static void cse_release(Cg *g, size_t mark) { g->ncse = mark; }

static int cse_find(Cg *g, uint8_t op, uint32_t b, uint32_t c) {
  for (size_t k = g->ncse; k-- > g->cse_floor;)
    if (g->cse[k].op == op && g->cse[k].b == b && g->cse[k].c == c) return g->cse[k].reg;
  return -1;
}

/* r := op(b, c) for a pure load, or the register that already holds it. */
static int cse_emit(Cg *g, Opcode op, TypeRef t, uint32_t b, uint32_t c, Span span) {
  int r = cse_find(g, (uint8_t)op, b, c);
  if (r >= 0) return r;
  r = newreg(g, t);
  emit(g, op, r, (int)b, (int)c, span);
  struct CseEntry e = {(uint8_t)op, b, c, r};
  VEC_PUSH(g->cse, g->ncse, g->capcse, e);
  return r;
}

static int load_const(Cg *g, TypeRef t, Value v, Span span) {
  return cse_emit(g, OP_LOADK, t, konst(g, t, v), 0, span);
}

static int cg_expr(Cg *g, AstNode *n);

/* Compile n and convert it to `want` (geheel -> getal, geld -> getal) if needed. */
static int fail_with(Cg *g, const char *msg, Span sp);

static int cg_as(Cg *g, AstNode *n, TypeRef want) {
  if (n->type.kind == TY_NEVER) {
    /* fout(...): stop the dossier here; the register of the wanted type is never read */
    fail_with(g, n->list.items[0]->str, n->span);
    return newreg(g, want);
  }
  int r = cg_expr(g, n);
  TypeRef t = n->type;
  if (ty_eq(t, want)) return r;
  if (want.kind == VK_DEC && t.kind == VK_INT) {
    int d = newreg(g, T_DEC);
    emit(g, OP_INT_TO_DEC, d, r, 0, n->span);
    return d;
  }
  if (want.kind == VK_DEC && t.kind == VK_MONEY) {
    int d = newreg(g, T_DEC);
    emit(g, OP_MONEY_TO_DEC, d, r, 0, n->span);
    return d;
  }
  return r;   /* the checker guarantees no other mismatch */
}

static bool is_duration_kind(uint8_t k) { return k == VK_DAYS || k == VK_MONTHS || k == VK_YEARS; }

/* Does the instruction write register A? (Jumps read it, RET returns it, FAIL and COVER have none.) */
static bool writes_a(uint8_t op) {
  switch (op) {
  case OP_JMP: case OP_JMPIF: case OP_JMPIFNOT: case OP_JMPIFNOT_LT: case OP_JMPIFNOT_LE:
  case OP_RET: case OP_FAIL: case OP_COVER: return false;
  default: return true;
  }
}

/*
** The value of n, as `want`, into register `target`. When the value was
** made by the last instruction into a fresh register that nothing else
** writes, that instruction writes `target` instead: no MOVE. (Fresh: created
** while compiling n, so only n's own code can have written it.)
*/
/*
** Jump (to be patched) unless cond holds. A < <= > >= between two values of
** one int64-valued type tests and branches in one instruction.
*/
static uint32_t emit_unless(Cg *g, AstNode *cond) {
  if (cond->kind == AST_BINARY && (cond->op == TK_LT || cond->op == TK_LE || cond->op == TK_GT || cond->op == TK_GE)) {
    TypeRef ta = cond->a->type, tb = cond->b->type;
    uint8_t k = ta.kind;
    bool intlike = ta.kind == tb.kind && k != VK_DEC && k != VK_TEXT && k != VK_PERIOD && k != VK_LIST &&
                   k != VK_RECORD;
    if (intlike) {
      int a = cg_expr(g, cond->a), b = cg_expr(g, cond->b);
      bool strict = cond->op == TK_LT || cond->op == TK_GT, swap = cond->op == TK_GT || cond->op == TK_GE;
      return emit(g, strict ? OP_JMPIFNOT_LT : OP_JMPIFNOT_LE, swap ? b : a, swap ? a : b, 0, cond->span);
    }
  }
  int c = cg_expr(g, cond);
  return emit(g, OP_JMPIFNOT, c, 0, 0, cond->span);
}

static void cg_into(Cg *g, AstNode *n, TypeRef want, int target) {
  if (n->kind == AST_IF && ty_eq(n->type, want)) {   /* each branch straight into the target */
    uint32_t jelse = emit_unless(g, n->a);
    size_t m = cse_mark(g);
    cg_into(g, n->b, want, target);
    cse_release(g, m);
    uint32_t jend = emit(g, OP_JMP, 0, 0, 0, n->span);
    patch_here(g, jelse);
    cg_into(g, n->c, want, target);
    cse_release(g, m);
    patch_here(g, jend);
    return;
  }
  size_t regmark = g->nregs, codemark = g->n;
  int v = cg_as(g, n, want);
  if (v >= (int)regmark && g->n > codemark && writes_a(g->code[g->n - 1].op) && g->code[g->n - 1].a == v) {
    bool once = true;
    for (size_t k = codemark; k + 1 < g->n && once; k++)
      if (writes_a(g->code[k].op) && g->code[k].a == v) once = false;
    if (once) {
      g->code[g->n - 1].a = (uint16_t)target;
      /* A shared load now lands in `target`: later uses read it there. Safe because every target
         here is written once, or again only in a sibling branch (whose loads are dropped anyway). */
      for (size_t k = 0; k < g->ncse; k++)
        if (g->cse[k].reg == v) g->cse[k].reg = target;
      return;
    }
  }
  emit(g, OP_MOVE, target, v, 0, n->span);
}

/* R := (int) reg, for duration arithmetic done with the integer opcodes. */
static int cast_to(Cg *g, int reg, TypeRef to, Span sp) {
  int r = newreg(g, to);
  emit(g, OP_CAST, r, reg, 0, sp);
  return r;
}

/* Dates and durations (the checker allowed only meaningful combinations). */
static int cg_time_arith(Cg *g, AstNode *n) {
  TypeRef t = n->type, ta = n->a->type, tb = n->b->type;
  Span sp = n->span;
  int a = cg_expr(g, n->a), b = cg_expr(g, n->b);
  if (t.kind == VK_DATE) {
    int date = ta.kind == VK_DATE ? a : b, days = ta.kind == VK_DATE ? b : a;
    if (n->op == TK_MINUS) {
      int zero = newreg(g, T_INT), neg = newreg(g, T_INT), asint = cast_to(g, days, T_INT, sp);
      emit(g, OP_LOADI, zero, 0, 0, sp);
      emit(g, OP_SUB_INT, neg, zero, asint, sp);
      days = cast_to(g, neg, (TypeRef){VK_DAYS, 0, 0}, sp);
    }
    int r = newreg(g, t);
    emit(g, OP_ADD_DAYS, r, date, days, sp);
    return r;
  }
  if (t.kind == VK_DAYS && ta.kind == VK_DATE) {
    int r = newreg(g, t);
    emit(g, OP_DIFF_DAYS, r, a, b, sp);
    return r;
  }
  /* duration op duration, or duration * geheel: integer arithmetic between casts */
  int ia = is_duration_kind(ta.kind) ? cast_to(g, a, T_INT, sp) : a;
  int ib = is_duration_kind(tb.kind) ? cast_to(g, b, T_INT, sp) : b;
  int ri = newreg(g, T_INT);
  Opcode op = n->op == TK_PLUS ? OP_ADD_INT : n->op == TK_MINUS ? OP_SUB_INT : OP_MUL_INT;
  emit(g, op, ri, ia, ib, sp);
  return cast_to(g, ri, t, sp);
}

/*
** The exact value of a getal expression made only of number literals and
** + - * / (e.g. 75% * 21.75), so it is computed once, here, instead of in
** every dossier. False when it is not constant, or when the arithmetic
** fails (overflow, division by zero): then the VM reports it as always.
*/
static bool const_dec(const AstNode *n, Dec *out) {
  if (n->kind == AST_DEC) {
    *out = n->dval;
    return true;
  }
  if (n->kind == AST_INT) {
    *out = dec_from_int(n->ival);
    return true;
  }
  if (n->kind != AST_BINARY || (n->op != TK_PLUS && n->op != TK_MINUS && n->op != TK_STAR && n->op != TK_SLASH))
    return false;
  if (n->type.kind != VK_DEC) return false;
  Dec a, b;
  if (!const_dec(n->a, &a) || !const_dec(n->b, &b)) return false;
  NumStatus st = n->op == TK_PLUS ? dec_add(a, b, out) : n->op == TK_MINUS ? dec_sub(a, b, out)
                 : n->op == TK_STAR ? dec_mul(a, b, out) : dec_div(a, b, out);
  return st == NUM_OK;
}

static int cg_arith(Cg *g, AstNode *n) {
  TypeRef t = n->type;
  if (t.kind == VK_DATE || is_duration_kind(t.kind)) return cg_time_arith(g, n);
  Dec folded;
  if (t.kind == VK_DEC && const_dec(n, &folded)) return load_const(g, T_DEC, (Value){.dec = folded}, n->span);
  int r = newreg(g, t);
  if (t.kind == VK_INT) {
    int a = cg_expr(g, n->a), b = cg_expr(g, n->b);
    Opcode op = n->op == TK_PLUS ? OP_ADD_INT : n->op == TK_MINUS ? OP_SUB_INT : OP_MUL_INT;
    emit(g, op, r, a, b, n->span);
  } else if (t.kind == VK_MONEY) {
    if (n->op == TK_STAR) {
      bool money_left = n->a->type.kind == VK_MONEY;
      int m = cg_expr(g, money_left ? n->a : n->b), k = cg_expr(g, money_left ? n->b : n->a);
      emit(g, OP_MUL_MONEY_INT, r, m, k, n->span);
    } else {
      int a = cg_expr(g, n->a), b = cg_expr(g, n->b);
      emit(g, n->op == TK_PLUS ? OP_ADD_MONEY : OP_SUB_MONEY, r, a, b, n->span);
    }
  } else {
    int a = cg_as(g, n->a, T_DEC), b = cg_as(g, n->b, T_DEC);
    Opcode op = n->op == TK_PLUS ? OP_ADD_DEC : n->op == TK_MINUS ? OP_SUB_DEC : n->op == TK_STAR ? OP_MUL_DEC : OP_DIV_DEC;
    emit(g, op, r, a, b, n->span);
  }
  return r;
}

static int cg_compare(Cg *g, AstNode *n) {
  TypeRef ta = n->a->type, tb = n->b->type;
  bool dec = (ta.kind == VK_DEC || tb.kind == VK_DEC) || (ta.kind != tb.kind);
  int a, b;
  if (dec) {
    a = cg_as(g, n->a, T_DEC);
    b = cg_as(g, n->b, T_DEC);
  } else {
    a = cg_expr(g, n->a);
    b = cg_expr(g, n->b);
  }
  int r = newreg(g, T_BOOL);
  bool text = ta.kind == VK_TEXT;
  Opcode eq = text ? OP_EQ_TEXT : ta.kind == VK_PERIOD ? OP_EQ_PERIOD : dec ? OP_EQ_DEC : OP_EQ;
  Opcode lt = dec ? OP_LT_DEC : OP_LT, le = dec ? OP_LE_DEC : OP_LE;
  switch (n->op) {
  case TK_EQ: emit(g, eq, r, a, b, n->span); break;
  case TK_NE: emit(g, eq, r, a, b, n->span); emit(g, OP_NOT, r, r, 0, n->span); break;
  case TK_LT: emit(g, lt, r, a, b, n->span); break;
  case TK_LE: emit(g, le, r, a, b, n->span); break;
  case TK_GT: emit(g, lt, r, b, a, n->span); break;
  default: emit(g, le, r, b, a, n->span); break;   /* TK_GE */
  }
  return r;
}

static int cg_logic(Cg *g, AstNode *n) {
  int r = newreg(g, T_BOOL);
  int a = cg_expr(g, n->a);
  emit(g, OP_MOVE, r, a, 0, n->a->span);
  uint32_t j = emit(g, n->op == TK_AND ? OP_JMPIFNOT : OP_JMPIF, r, 0, 0, n->span);
  size_t m = cse_mark(g);
  int b = cg_expr(g, n->b);
  emit(g, OP_MOVE, r, b, 0, n->b->span);
  cse_release(g, m);
  patch_here(g, j);
  return r;
}

static int cg_if(Cg *g, AstNode *n) {
  int r = newreg(g, n->type);
  cg_into(g, n, n->type, r);
  return r;
}

/*
** A geval over ranges: each arm tests its bounds in turn. The last arm needs
** no test: the checker proved the ranges (or 'anders') cover every value.
*/
static int cg_range_case(Cg *g, AstNode *n) {
  TypeRef st = n->a->type;
  bool dec = st.kind == VK_DEC;
  int r = newreg(g, n->type);
  int s = cg_expr(g, n->a);
  uint32_t *ends = xcalloc(n->list.n, sizeof *ends);
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *arm = n->list.items[i];
    bool last = i + 1 == n->list.n;
    uint32_t skip[2];
    int nskip = 0;
    size_t m = cse_mark(g);   /* an arm runs only when the arms before it did not match */
    for (int k = 0; !last && arm->op == 1 && k < 2; k++) {
      AstNode *b = k ? arm->c : arm->b;
      if (!b) continue;
      Value v;
      if (dec) v.dec = b->kind == AST_DEC ? b->dval : dec_from_int(b->ival);
      else v.i = b->ival;
      int kr = load_const(g, st, v, b->span);
      int t = newreg(g, T_BOOL);
      if (k == 0) emit(g, dec ? OP_LE_DEC : OP_LE, t, kr, s, b->span);   /* lo <= s */
      else emit(g, dec ? OP_LE_DEC : OP_LE, t, s, kr, b->span);          /* s <= hi */
      skip[nskip++] = emit(g, OP_JMPIFNOT, t, 0, 0, b->span);
    }
    cg_into(g, arm->a, n->type, r);
    cse_release(g, m);
    if (!last) ends[i] = emit(g, OP_JMP, 0, 0, 0, arm->span);
    for (int k = 0; k < nskip; k++) patch_here(g, skip[k]);
  }
  for (uint32_t i = 0; i + 1 < n->list.n; i++) patch_here(g, ends[i]);
  xfree(ends);
  return r;
}

static int cg_case(Cg *g, AstNode *n) {
  if (n->a->type.kind != VK_ENUM) return cg_range_case(g, n);
  int r = newreg(g, n->type);
  int s = cg_expr(g, n->a);
  uint32_t *ends = xcalloc(n->list.n, sizeof *ends);
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *arm = n->list.items[i];
    bool last = i + 1 == n->list.n;
    uint32_t *hits = xcalloc(arm->list.n + 1, sizeof *hits);
    uint32_t next = 0;
    size_t m = cse_mark(g);   /* a choice's test runs only when the ones before it missed */
    /* The last arm needs no test: the checker proved the choices are covered. */
    if (!last && arm->list.n > 0) {
      for (uint32_t j = 0; j < arm->list.n; j++) {
        AstNode *l = arm->list.items[j];
        int k = load_const(g, n->a->type, (Value){.i = l->ref}, l->span);
        int t = newreg(g, T_BOOL);
        emit(g, OP_EQ, t, s, k, l->span);
        hits[j] = emit(g, OP_JMPIF, t, 0, 0, l->span);
      }
      next = emit(g, OP_JMP, 0, 0, 0, arm->span);
      for (uint32_t j = 0; j < arm->list.n; j++) patch_here(g, hits[j]);
    }
    cse_release(g, m);
    cg_into(g, arm->a, n->type, r);
    cse_release(g, m);
    if (!last) {
      ends[i] = emit(g, OP_JMP, 0, 0, 0, arm->span);
      if (arm->list.n > 0) patch_here(g, next);
    }
    xfree(hits);
  }
  for (uint32_t i = 0; i + 1 < n->list.n; i++) patch_here(g, ends[i]);
  xfree(ends);
  return r;
}

/* The i-th positional argument of a call. */
static AstNode *pos_arg(AstNode *n, uint32_t i) {
  for (uint32_t k = 0; k < n->list.n; k++)
    if (n->list.items[k]->kind != AST_NAMED_ARG && i-- == 0) return n->list.items[k];
  return NULL;
}

/* One instruction R := op(args...) with the call's type. */
static int emit_unary(Cg *g, AstNode *n, Opcode op, int c) {
  int a = cg_expr(g, pos_arg(n, 0));
  int r = newreg(g, n->type);
  emit(g, op, r, a, c, n->span);
  return r;
}

static int emit_binary(Cg *g, AstNode *n, Opcode op) {
  int a = cg_expr(g, pos_arg(n, 0)), b = cg_expr(g, pos_arg(n, 1));
  int r = newreg(g, n->type);
  emit(g, op, r, a, b, n->span);
  return r;
}

static int cg_time_call(Cg *g, AstNode *n) {
  Span sp = n->span;
  switch ((Builtin)n->ref) {
  case BI_DAYS: case BI_YEARS: case BI_INTEGER: return emit_unary(g, n, OP_CAST, 0);
  case BI_MONTHS:
    if (n->op == 1) {   /* from jaren: twelve months a year */
      int y = cast_to(g, cg_expr(g, pos_arg(n, 0)), T_INT, sp);
      int twelve = newreg(g, T_INT), m = newreg(g, T_INT);
      emit(g, OP_LOADI, twelve, 12, 0, sp);
      emit(g, OP_MUL_INT, m, y, twelve, sp);
      return cast_to(g, m, n->type, sp);
    }
    return emit_unary(g, n, OP_CAST, 0);
  case BI_PERIOD: return emit_binary(g, n, OP_PERIOD);
  case BI_CAL_MONTH: return emit_unary(g, n, OP_UNIT_OF, 0);
  case BI_QUARTER: return emit_unary(g, n, OP_UNIT_OF, 1);
  case BI_HALFYEAR: return emit_unary(g, n, OP_UNIT_OF, 2);
  case BI_CAL_YEAR: return emit_unary(g, n, OP_UNIT_OF, 3);
  case BI_YEAR: return emit_unary(g, n, OP_DATE_PART, 0);
  case BI_MONTH: return emit_unary(g, n, OP_DATE_PART, 1);
  case BI_DAY: return emit_unary(g, n, OP_DATE_PART, 2);
  case BI_WEEKDAY: return emit_unary(g, n, OP_DATE_PART, 3);
  case BI_DAYS_IN_MONTH: return emit_unary(g, n, OP_DATE_PART, 4);
  case BI_LENGTH: return emit_unary(g, n, OP_PERIOD_LEN, 0);
  case BI_WORKDAYS: return emit_unary(g, n, OP_WORKDAYS, 0);
  case BI_OVERLAPS: return emit_binary(g, n, OP_OVERLAPS);
  case BI_INTERSECTION: return emit_binary(g, n, OP_INTERSECT);
  case BI_CONTAINS: return emit_binary(g, n, n->op ? OP_CONTAINS : OP_CONTAINS_DAY);
  case BI_CAL_MONTHS: return emit_unary(g, n, OP_UNITS_IN, 0);
  case BI_TIJDVAK: return emit_unary(g, n, OP_UNIT_OF, (int)n->ival);
  case BI_TIJDVAKKEN: return emit_unary(g, n, OP_UNITS_IN, (int)n->ival);
  case BI_PLUS: {
    AstNode *dur = pos_arg(n, 1);
    int d = cg_expr(g, pos_arg(n, 0)), x = cg_expr(g, dur);
    int r = newreg(g, n->type);
    if (n->op == 0) {
      emit(g, OP_ADD_DAYS, r, d, x, sp);
      return r;
    }
    if (dur->type.kind == VK_YEARS) {
      int y = cast_to(g, x, T_INT, sp), twelve = newreg(g, T_INT), m = newreg(g, T_INT);
      emit(g, OP_LOADI, twelve, 12, 0, sp);
      emit(g, OP_MUL_INT, m, y, twelve, sp);
      x = cast_to(g, m, (TypeRef){VK_MONTHS, 0, 0}, sp);
    }
    emit(g, n->op == 1 ? OP_ADD_MONTHS : OP_ADD_MONTHS_OVER, r, d, x, sp);
    return r;
  }
  default:
    return newreg(g, n->type);
  }
}

static void cover(Cg *g, CoverKind kind, const char *label, const AstNode *cited, Span sp, int reg);

/* The number of nodes of an expression tree, up to `cap`. */
static int tree_size(const AstNode *n, int cap) {
  if (!n || cap <= 0) return 0;
  int s = 1;
  s += tree_size(n->a, cap - s);
  s += tree_size(n->b, cap - s);
  s += tree_size(n->c, cap - s);
  for (uint32_t i = 0; i < n->list.n && s < cap; i++) s += tree_size(n->list.items[i], cap - s);
  return s;
}

/*
** A small rule with parameters and without versions is compiled into its
** caller: its arguments stay in the caller's registers and its body reads
** them there, so a call costs no frame, no argument copies and no return.
** Month-by-month rules call such helpers in every iteration. The rule is
** still compiled on its own too (for tests and explanations), and a COVER
** point keeps its coverage.
*/
enum { INLINE_MAX_NODES = 160, INLINE_MAX_DEPTH = 4 };

static int cg_inline_call(Cg *g, AstNode *n, AstNode *rule) {
  uint32_t np = rule->params.n;
  int *vals = xcalloc(np, sizeof *vals);
  for (uint32_t k = 0; k < np; k++) vals[k] = cg_as(g, n->list.items[k], rule->params.items[k]->type);
  if (g->coverage) {
    cover(g, COVER_INLINED, "inline", rule, n->span, -1);
    g->ck->covers[g->ck->ncovers - 1].rule = (uint32_t)n->ref;
  }
  const int *saved = g->params;
  g->params = vals;
  g->inline_depth++;
  int r = cg_as(g, rule->b, rule->type);
  g->inline_depth--;
  g->params = saved;
  xfree(vals);
  return r;
}

/* r(a, b): inlined when small, else the arguments into consecutive registers, then CALL. */
static int cg_rule_call(Cg *g, AstNode *n) {
  AstNode *rule = g->p->rules[n->ref];
  uint32_t np = rule->params.n;
  if (!g->trace && rule->b && !rule->extra.n && g->inline_depth < INLINE_MAX_DEPTH &&
      tree_size(rule->b, INLINE_MAX_NODES + 1) <= INLINE_MAX_NODES)
    return cg_inline_call(g, n, rule);
  /* the parameter block first, so each argument can be computed straight into its place */
  int first = -1;
  for (uint32_t k = 0; k < np; k++) {
    int a = newreg(g, rule->params.items[k]->type);
    if (k == 0) first = a;
  }
  for (uint32_t k = 0; k < np; k++) cg_into(g, n->list.items[k], rule->params.items[k]->type, first + (int)k);
  int r = newreg(g, n->type);
  emit(g, OP_CALL, r, n->ref, first, n->span);
  return r;
}

static int cg_given(Cg *g, AstNode *arg);

static int cg_call(Cg *g, AstNode *n) {
  if (n->refkind == REF_RULE) return cg_rule_call(g, n);
  if (n->ref == BI_TABLE) {
    const Table *t = &g->ck->tables[n->ival];
    int k = cg_expr(g, pos_arg(n, 0));
    int r = newreg(g, n->type);
    emit(g, t->kind == TABLE_BY_DATE ? OP_LOOKUP_DATE : OP_LOOKUP_KEY, r, k, (int)n->ival, n->span);
    return r;
  }
  if (n->ref == BI_GIVEN) return cg_given(g, n->list.items[0]);
  if (n->ref == BI_REVISE) {
    /* REVISE names a call site that records where its operands are: nothing is moved into place */
    AstNode *pos[2] = {NULL, NULL}, *after = NULL, *through = NULL;
    uint32_t np = 0;
    for (uint32_t k = 0; k < n->list.n; k++) {
      AstNode *a = n->list.items[k];
      if (a->kind != AST_NAMED_ARG) { if (np < 2) pos[np] = a; np++; }
      else if (strcmp(a->name, "na") == 0 || strcmp(a->name, "after") == 0) after = a;
      else if (a->a->type.kind == VK_DATE) through = a;   /* tot_en_met, t/m, through */
    }
    bool money = pos[0]->type.kind == VK_MONEY;   /* REVISE takes cents as they are */
    RevisionSite site = {
        .proto = g->rule_index,
        .amount = (uint16_t)(money ? cg_expr(g, pos[0]) : cg_as(g, pos[0], T_DEC)),
        .money = money,
        .table = (uint32_t)pos[1]->ival,
        .spec = n->ival * 8 + n->op,
    };
    site.after = (uint16_t)cg_expr(g, after->a);
    site.through = (uint16_t)cg_expr(g, through->a);
    Chunk *ck = g->ck;
    if (ck->nrevsites >= 65535) {
      too_large(g, N_("herzien calls"));
      return newreg(g, T_MONEY);
    }
    ck->revsites = xrealloc(ck->revsites, (ck->nrevsites + 1) * sizeof *ck->revsites);
    ck->revsites[ck->nrevsites] = site;
    int r = newreg(g, T_MONEY);
    emit(g, OP_REVISE, r, (int)ck->nrevsites++, 0, n->span);
    return r;
  }
  if (n->ref >= BI_DAYS && n->ref <= BI_PLUS) return cg_time_call(g, n);
  if (n->ref == BI_ROUND) {
    AstNode *value = pos_arg(n, 0);
    /* afgerond(geld * getal, op: cent): one instruction, cents x n/d rounded, no rational in between */
    if (!n->c && n->ival == 1 && value->kind == AST_BINARY && value->op == TK_STAR &&
        (value->a->type.kind == VK_MONEY) != (value->b->type.kind == VK_MONEY)) {
      bool money_left = value->a->type.kind == VK_MONEY;
      int m = cg_expr(g, money_left ? value->a : value->b);
      int f = cg_as(g, money_left ? value->b : value->a, T_DEC);
      int r = newreg(g, n->type);
      uint32_t at = emit(g, OP_MUL_ROUND_MONEY, r, m, f, n->span);
      g->code[at].x = (uint8_t)n->op;   /* the rounding method */
      return r;
    }
    int v = cg_as(g, value, T_DEC);
    int r = newreg(g, n->type);
    uint32_t k = konst(g, T_INT, (Value){.i = n->ival * 8 + n->op});
    emit(g, n->c ? OP_ROUND_DEC : OP_ROUND_MONEY, r, v, (int)k, n->span);
    return r;
  }
  /* min / max over two or more values */
  bool dec = n->type.kind == VK_DEC;
  Opcode op = n->ref == BI_MIN ? (dec ? OP_MIN_DEC : OP_MIN) : (dec ? OP_MAX_DEC : OP_MAX);
  int acc = cg_as(g, n->list.items[0], n->type);
  for (uint32_t i = 1; i < n->list.n; i++) {
    int b = cg_as(g, n->list.items[i], n->type);
    int r = newreg(g, n->type);
    emit(g, op, r, acc, b, n->span);
    acc = r;
  }
  return acc;
}

/* The register a jump at pc goes to when taken, and writing it back after code moved. */
static bool is_jump(Opcode op) {
  return op == OP_JMP || op == OP_JMPIF || op == OP_JMPIFNOT || op == OP_JMPIFNOT_LT || op == OP_JMPIFNOT_LE ||
         op == OP_NEXT_ITEM;
}

static int16_t *jump_field(Instr *ins) {
  return (int16_t *)(ins->op == OP_JMPIFNOT_LT || ins->op == OP_JMPIFNOT_LE || ins->op == OP_NEXT_ITEM ? &ins->c : &ins->b);
}

/*
** Loop-invariant loads out of a loop: in the code from `from` (the loop's
** first instruction) to the end, an INPUT, LOADK, LOADI or LOADBOOL into a
** register that was made for the loop and that nothing else in the loop
** writes gives the same value on every pass and cannot fail, so it moves to
** just before the loop. Everything in the range is patched already; jumps
** are re-aimed by the old-to-new position map. The verifier's
** written-before-read check still sees every read after the (now earlier)
** write.
*/
static void hoist_invariant_loads(Cg *g, uint32_t from, size_t first_reg) {
  uint32_t end = (uint32_t)g->n, n = end - from;
  size_t nr = g->nregs - first_reg;
  if (n == 0 || nr == 0) return;
  uint32_t *writes = xcalloc(nr, sizeof *writes);
  for (uint32_t pc = from; pc < end; pc++)
    if (writes_a(g->code[pc].op) && g->code[pc].a >= first_reg) writes[g->code[pc].a - first_reg]++;
  bool *moves = xcalloc(n, sizeof *moves);
  uint32_t nmoved = 0;
  for (uint32_t pc = from; pc < end; pc++) {
    Instr *ins = &g->code[pc];
    bool load = ins->op == OP_INPUT || ins->op == OP_LOADK || ins->op == OP_LOADI || ins->op == OP_LOADBOOL;
    if (load && ins->a >= first_reg && writes[ins->a - first_reg] == 1) {
      moves[pc - from] = true;
      nmoved++;
      /* for explain, a record read moves with the fields it goes on to, so it stays just before them (a used
         rule set's facts: tools/explain_tree.c ex_input_read) */
      for (uint32_t reg = ins->a; g->trace && ins->op == OP_INPUT && g->regs[reg].kind == VK_RECORD && pc + 1 < end;) {
        const Instr *next = &g->code[pc + 1];
        if (next->op != OP_FIELD || next->b != reg || next->a < first_reg || writes[next->a - first_reg] != 1) break;
        pc++;
        moves[pc - from] = true;
        nmoved++;
        reg = next->a;
      }
    }
  }
  if (nmoved > 0) {
    Instr *code = xmalloc(n * sizeof *code);
    Span *spans = xmalloc(n * sizeof *spans);
    uint32_t *newpc = xmalloc((n + 1) * sizeof *newpc);   /* old position - from -> new position */
    uint32_t *aim = xmalloc((n + 1) * sizeof *aim);       /* old jump target - from -> new target */
    uint32_t k = 0, rest = from + nmoved;
    for (uint32_t pc = from; pc < end; pc++) newpc[pc - from] = moves[pc - from] ? from + k++ : rest++;
    newpc[n] = end;
    /* a jump to a load that moved now lands on what followed it (the load already happened) */
    aim[n] = end;
    for (uint32_t j = n; j-- > 0;) aim[j] = moves[j] ? aim[j + 1] : newpc[j];
    for (uint32_t pc = from; pc < end; pc++) {
      Instr ins = g->code[pc];
      uint32_t to = newpc[pc - from];
      if (is_jump((Opcode)ins.op)) {
        int64_t target = (int64_t)pc + 1 + *jump_field(&ins);
        if (target >= from && target <= end) target = aim[target - from];
        *jump_field(&ins) = (int16_t)(target - (int64_t)to - 1);
      }
      code[to - from] = ins;
      spans[to - from] = g->spans[pc];
    }
    memcpy(g->code + from, code, n * sizeof *code);
    memcpy(g->spans + from, spans, n * sizeof *spans);
    xfree(code);
    xfree(spans);
    xfree(newpc);
    xfree(aim);
  }
  xfree(moves);
  xfree(writes);
}

static int cg_agg(Cg *g, AstNode *n) {
  TypeRef lt = n->a->type;
  TypeRef et = {lt.elem, 0, lt.ref};
  if (n->ref == BI_COUNT && !n->c) {   /* aantal(elke x in lijst): the length, no loop */
    AstNode *src = n->a;
    if (src->kind == AST_CALL && src->refkind != REF_RULE && (src->ref == BI_CAL_MONTHS || src->ref == BI_TIJDVAKKEN)) {
      /* aantal(elke m in kalendermaanden(p)): counted from the period, no list built */
      int per = cg_expr(g, pos_arg(src, 0));
      int r = newreg(g, T_INT);
      emit(g, OP_COUNT_UNITS, r, per, src->ref == BI_CAL_MONTHS ? 0 : (int)src->ival, n->span);
      return r;
    }
    int list = cg_expr(g, n->a);
    int r = newreg(g, T_INT);
    emit(g, OP_LEN, r, list, 0, n->span);
    return r;
  }
  int list = cg_expr(g, n->a);
  int len = newreg(g, T_INT), i = newreg(g, T_INT);
  int acc = newreg(g, n->type);
  int first = -1;
  emit(g, OP_LEN, len, list, 0, n->a->span);
  emit(g, OP_LOADI, i, 0, 0, n->span);
  switch (n->ref) {
  case BI_SUM:
    if (is_duration_kind(n->type.kind)) {
      int zero = newreg(g, T_INT);
      emit(g, OP_LOADI, zero, 0, 0, n->span);
      emit(g, OP_CAST, acc, zero, 0, n->span);
    } else if (n->type.kind == VK_INT) emit(g, OP_LOADI, acc, 0, 0, n->span);
    else if (n->type.kind == VK_MONEY) emit(g, OP_LOADK, acc, (int)konst(g, T_MONEY, (Value){.i = 0}), 0, n->span);
    else emit(g, OP_LOADK, acc, (int)konst(g, T_DEC, (Value){.dec = dec_from_int(0)}), 0, n->span);
    break;
  case BI_COUNT: emit(g, OP_LOADI, acc, 0, 0, n->span); break;
  case BI_ALL: emit(g, OP_LOADBOOL, acc, 1, 0, n->span); break;
  case BI_ANY: emit(g, OP_LOADBOOL, acc, 0, 0, n->span); break;
  default: {   /* min, max: the first item seeds the accumulator */
    first = newreg(g, T_BOOL);
    emit(g, OP_LOADBOOL, first, 1, 0, n->span);
    /* A placeholder the first item replaces: an empty list stops with an error before it is read,
       but the verifier checks every path, not which ones can happen. */
    Value zero = {.i = 0};
    if (n->type.kind == VK_DEC) zero.dec = dec_from_int(0);
    emit(g, OP_LOADK, acc, (int)konst(g, n->type, zero), 0, n->span);
    break;
  }
  }
  size_t cse_loop = cse_mark(g);   /* what the loop body loads is not there after it (zero items) */
  size_t loop_regs = g->nregs;
  uint32_t loop = (uint32_t)g->n;
  uint32_t jexit = emit(g, OP_JMPIFNOT_LT, i, len, 0, n->span);
  n->reg = newreg(g, et);
  emit(g, OP_INDEX, n->reg, list, i, n->a->span);
  uint32_t jskip = 0;
  if (n->c) {
    jskip = emit_unless(g, n->c);
  }
  uint32_t jdone = 0;
  bool has_done = false;
  switch (n->ref) {
  case BI_SUM: {
    int v = cg_as(g, n->b, n->type);
    if (is_duration_kind(n->type.kind)) {
      int ai = cast_to(g, acc, T_INT, n->b->span), vi = cast_to(g, v, T_INT, n->b->span), si = newreg(g, T_INT);
      emit(g, OP_ADD_INT, si, ai, vi, n->b->span);
      emit(g, OP_CAST, acc, si, 0, n->b->span);
      break;
    }
    Opcode op = n->type.kind == VK_INT ? OP_ADD_INT : n->type.kind == VK_MONEY ? OP_ADD_MONEY : OP_ADD_DEC;
    emit(g, op, acc, acc, v, n->b->span);
    break;
  }
  case BI_COUNT: emit(g, OP_ADDI_INT, acc, acc, 1, n->span); break;
  case BI_ALL:
  case BI_ANY: {
    int v = cg_expr(g, n->b);
    emit(g, OP_MOVE, acc, v, 0, n->b->span);
    jdone = emit(g, n->ref == BI_ALL ? OP_JMPIFNOT : OP_JMPIF, acc, 0, 0, n->b->span);
    has_done = true;
    break;
  }
  default: {
    int v = cg_as(g, n->b, n->type);
    bool dec = n->type.kind == VK_DEC;
    uint32_t jnotfirst = emit(g, OP_JMPIFNOT, first, 0, 0, n->span);
    emit(g, OP_MOVE, acc, v, 0, n->b->span);
    emit(g, OP_LOADBOOL, first, 0, 0, n->span);
    uint32_t jnext = emit(g, OP_JMP, 0, 0, 0, n->span);
    patch_here(g, jnotfirst);
    Opcode op = n->ref == BI_MIN ? (dec ? OP_MIN_DEC : OP_MIN) : (dec ? OP_MAX_DEC : OP_MAX);
    emit(g, op, acc, acc, v, n->b->span);
    patch_here(g, jnext);
    break;
  }
  }
  if (n->c) patch_here(g, jskip);
  cse_release(g, cse_loop);
  /* the count and the test at the bottom in one instruction: one dispatch per item, not three */
  emit(g, OP_NEXT_ITEM, i, len, jump_back_offset(g, loop + 1), n->span);
  patch_here(g, jexit);
  if (has_done) patch_here(g, jdone);
  hoist_invariant_loads(g, loop, loop_regs);
  if (first >= 0) {
    /* min/max over no items has no value: an error row for this dossier, never a made-up number. */
    uint32_t jok = emit(g, OP_JMPIFNOT, first, 0, 0, n->span);
    char msg[160];
    snprintf(msg, sizeof msg, "%s over no items has no value", n->name);
    Value t = {.text = chunk_text(g->ck, msg, strlen(msg))};
    emit(g, OP_FAIL, 0, (int)konst(g, (TypeRef){VK_TEXT, 0, 0}, t), 0, n->span);
    patch_here(g, jok);
  }
  return acc;
}

static int fail_with(Cg *g, const char *msg, Span sp);

/*
** The value of an 'optioneel' field: its register holds a list of zero or
** one values. Not given is an error row for the dossier, with the field's
** name: a rule that needs a fact the dossier left out has no value.
*/
/* R := the list in register `list` has an item (0 < LEN); *zero gets a register holding 0. */
static int emit_nonempty(Cg *g, int list, int *zero, Span sp) {
  int len = newreg(g, T_INT), given = newreg(g, T_BOOL);
  *zero = newreg(g, T_INT);
  emit(g, OP_LEN, len, list, 0, sp);
  emit(g, OP_LOADI, *zero, 0, 0, sp);
  emit(g, OP_LT, given, *zero, len, sp);
  return given;
}

static int unwrap_optional(Cg *g, AstNode *n, int list) {
  Span sp = n->span;
  int zero, given = emit_nonempty(g, list, &zero, sp);
  uint32_t jok = emit(g, OP_JMPIF, given, 0, 0, sp);
  char msg[200];
  snprintf(msg, sizeof msg, "'%s' is not given in this dossier (an optional field), and this rule needs it", n->name);
  fail_with(g, msg, sp);
  patch_here(g, jok);
  int r = newreg(g, n->type);
  emit(g, OP_INDEX, r, list, zero, sp);
  return r;
}

/* gegeven(x): whether the dossier gives the optional field x. */
static int cg_given(Cg *g, AstNode *arg) {
  TypeRef et = g->ck->schema.records[arg->refkind == REF_INPUT ? (uint32_t)g->ck->schema.input : arg->a->type.ref]
                   .fields[arg->ref].type;
  int list = newreg(g, et);
  if (arg->refkind == REF_INPUT) emit(g, OP_INPUT, list, arg->ref, 0, arg->span);
  else emit(g, OP_FIELD, list, cg_expr(g, arg->a), arg->ref, arg->nspan);
  int zero;
  return emit_nonempty(g, list, &zero, arg->span);
}

/*
** A list read from the dossier whose lines have a knowledge date goes through KNOWN: the lines
** as known on the day in force (now, or inside 'zoals bekend op' its day), without those
** replaced. Every read its own (no CSE): the same read means another list inside and outside.
*/
static int known_filter(Cg *g, AstNode *n, int list) {
  TypeRef t = n->type;
  if (t.kind != VK_LIST || t.elem != VK_RECORD || !g->p->known || g->p->known[t.ref].date < 0) return list;
  const KnownFields *k = &g->p->known[t.ref];
  int64_t spec = (int64_t)(k->date + 1) | (int64_t)(k->key + 1) << 16 | (int64_t)(k->replaces + 1) << 32;
  int r = newreg(g, t);
  emit(g, OP_KNOWN, r, list, (int)konst(g, T_INT, (Value){.i = spec}), n->span);
  return r;
}

/*
** x zoals bekend op d: d first (with the facts of now), then x between AS_KNOWN and
** AS_KNOWN_END. Nothing loaded outside is reused inside, nor the other way (a rule's value of
** now is not its value of then).
*/
static int cg_as_known(Cg *g, AstNode *n) {
  int d = cg_as(g, n->b, (TypeRef){VK_DATE, 0, 0});
  emit(g, OP_AS_KNOWN, d, 0, 0, n->span);
  size_t mark = cse_mark(g), floor = g->cse_floor;
  g->cse_floor = mark;
  int v = cg_expr(g, n->a);
  int r = newreg(g, n->type);
  emit(g, OP_MOVE, r, v, 0, n->span);
  cse_release(g, mark);
  g->cse_floor = floor;
  emit(g, OP_AS_KNOWN_END, 0, 0, 0, n->span);
  return r;
}

static int cg_expr(Cg *g, AstNode *n) {
  Span sp = n->span;
  switch (n->kind) {
  case AST_INT:
    if (n->ival >= INT16_MIN && n->ival <= INT16_MAX) {
      int r = newreg(g, T_INT);
      emit(g, OP_LOADI, r, (int)(uint16_t)(int16_t)n->ival, 0, sp);
      return r;
    }
    return load_const(g, T_INT, (Value){.i = n->ival}, sp);
  case AST_DEC: return load_const(g, T_DEC, (Value){.dec = n->dval}, sp);
  case AST_MONEY: return load_const(g, T_MONEY, (Value){.i = n->ival}, sp);
  case AST_DATE: return load_const(g, (TypeRef){VK_DATE, 0, 0}, (Value){.i = n->ival}, sp);
  case AST_TEXT: return load_const(g, (TypeRef){VK_TEXT, 0, 0}, (Value){.text = chunk_text(g->ck, n->str, strlen(n->str))}, sp);
  case AST_BOOL: {
    int r = newreg(g, T_BOOL);
    emit(g, OP_LOADBOOL, r, (int)n->ival, 0, sp);
    return r;
  }
  case AST_NAME:
  case AST_MEMBER: {
    switch (n->refkind) {
    case REF_LOCAL: return n->bind->reg;
    case REF_PARAM: return g->params ? g->params[n->ref] : n->ref;   /* an inlined call's argument, or the first registers */
    case REF_ENUM_MEMBER: return load_const(g, n->type, (Value){.i = n->ref}, sp);
    case REF_RULE: return cse_emit(g, OP_RULE, n->type, (uint32_t)n->ref, 0, sp);
    case REF_INPUT: {
      if (n->op) {   /* optioneel */
        int list = newreg(g, g->ck->schema.records[g->ck->schema.input].fields[n->ref].type);
        emit(g, OP_INPUT, list, n->ref, 0, sp);
        return unwrap_optional(g, n, list);
      }
      if (g->trace && n->type.kind == VK_RECORD) {   /* each read its own: explain shows the field it goes on to */
        int r = newreg(g, n->type);
        emit(g, OP_INPUT, r, n->ref, 0, sp);
        return r;
      }
      return known_filter(g, n, cse_emit(g, OP_INPUT, n->type, (uint32_t)n->ref, 0, sp));
    }
    default: {   /* REF_FIELD */
      int o = cg_expr(g, n->a);
      if (n->op && n->a->type.kind == VK_RECORD) {   /* optioneel */
        int list = newreg(g, g->ck->schema.records[n->a->type.ref].fields[n->ref].type);
        emit(g, OP_FIELD, list, o, n->ref, n->nspan);
        return unwrap_optional(g, n, list);
      }
      if (n->a->type.kind == VK_PERIOD)
        return cse_emit(g, n->ref == 0 ? OP_PERIOD_START : OP_PERIOD_END, n->type, (uint32_t)o, 0, n->nspan);
      int r = newreg(g, n->type);
      emit(g, OP_FIELD, r, o, n->ref, n->nspan);
      return known_filter(g, n, r);
    }
    }
  }
  case AST_UNARY: {
    int a = cg_expr(g, n->a);
    if (is_duration_kind(n->type.kind)) {   /* through the integer negation */
      int ai = cast_to(g, a, T_INT, sp), ri = newreg(g, T_INT);
      emit(g, OP_NEG_INT, ri, ai, 0, sp);
      return cast_to(g, ri, n->type, sp);
    }
    int r = newreg(g, n->type);
    Opcode op = n->op == TK_NOT ? OP_NOT : n->type.kind == VK_INT ? OP_NEG_INT : n->type.kind == VK_DEC ? OP_NEG_DEC : OP_NEG_MONEY;
    emit(g, op, r, a, 0, sp);
    return r;
  }
  case AST_BINARY:
    switch (n->op) {
    case TK_AND: case TK_OR: return cg_logic(g, n);
    case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: return cg_arith(g, n);
    default: return cg_compare(g, n);
    }
  case AST_IF: return cg_if(g, n);
  case AST_CASE: return cg_case(g, n);
  case AST_CALL: return cg_call(g, n);
  case AST_AGG: return cg_agg(g, n);
  case AST_AS_KNOWN: return cg_as_known(g, n);
  default:
    return newreg(g, n->type);   /* unreachable after a clean check */
  }
}

/* A coverage point: test suites see whether this version or exception was ever taken. */
static void cover(Cg *g, CoverKind kind, const char *label, const AstNode *cited, Span sp, int reg) {
  Chunk *ck = g->ck;
  if (!g->coverage) return;   /* a production run counts nothing */
  if (ck->ncovers >= 65535) {
    too_large(g, N_("versions and exceptions"));
    return;
  }
  ck->covers = xrealloc(ck->covers, (ck->ncovers + 1) * sizeof *ck->covers);
  CoverPoint *cp = &ck->covers[ck->ncovers];
  cp->kind = (uint8_t)kind;
  cp->reg = reg;
  cp->rule = (uint32_t)(g->rule_index);
  cp->label = xstrdup(label);
  cp->source = chk_rule_source(g->p, cited);
  cp->reader_label = kind == COVER_EXCEPTION || kind == COVER_EXCEPTION_NOT ? label_copy(cited) : NULL;
  cp->span = sp;
  emit(g, OP_COVER, 0, (int)ck->ncovers++, 0, sp);
}

static int fail_with(Cg *g, const char *msg, Span sp) {
  Value t = {.text = chunk_text(g->ck, msg, strlen(msg))};
  return (int)emit(g, OP_FAIL, 0, (int)konst(g, (TypeRef){VK_TEXT, 0, 0}, t), 0, sp);
}

/*
** The rule's own value: its expression, or with versions the version in
** force on the peildatum (tested in declaration order; the checker proved
** they do not overlap). A peildatum outside every version is a run-time
** error: the rule set does not say what the law was then.
*/
static int cg_rule_value(Cg *g, AstNode *rule) {
  if (rule->native) {   /* the parameters are registers 0..: never inlined (no body) */
    int r = newreg(g, rule->type);
    emit(g, OP_CALL_NATIVE, r, rule->native->ref, 0, rule->nspan);
    return r;
  }
  if (!rule->extra.n) return cg_as(g, rule->b, rule->type);
  int r = newreg(g, rule->type);
  int pd = cg_expr(g, rule->c);
  uint32_t *ends = xcalloc(rule->extra.n, sizeof *ends);
  for (uint32_t i = 0; i < rule->extra.n; i++) {
    AstNode *v = rule->extra.items[i];
    uint32_t skip[2];
    int nskip = 0;
    size_t m = cse_mark(g);
    if (v->a) {
      int k = load_const(g, (TypeRef){VK_DATE, 0, 0}, (Value){.i = v->a->ival}, v->a->span);
      skip[nskip++] = emit(g, OP_JMPIFNOT_LE, k, pd, 0, v->nspan);
    }
    if (v->c) {
      int k = load_const(g, (TypeRef){VK_DATE, 0, 0}, (Value){.i = v->c->ival}, v->c->span);
      skip[nskip++] = emit(g, OP_JMPIFNOT_LE, pd, k, 0, v->nspan);
    }
    char label[80], d1[16] = "", d2[16] = "";
    if (v->a) date_format(v->a->ival, d1);
    if (v->c) date_format(v->c->ival, d2);
    snprintf(label, sizeof label, "versie%s%s%s%s", v->a ? " vanaf " : "", d1, v->c ? " t/m " : "", d2);
    cover(g, COVER_VERSION, label, v, v->nspan, pd);
    int x = cg_as(g, v->b, rule->type);
    emit(g, OP_MOVE, r, x, 0, v->b->span);
    cse_release(g, m);
    ends[i] = emit(g, OP_JMP, 0, 0, 0, v->span);
    for (int k = 0; k < nskip; k++) patch_here(g, skip[k]);
  }
  char msg[200];
  snprintf(msg, sizeof msg, "no version of rule '%s' is in force on its peildatum", rule->name);
  fail_with(g, msg, rule->c->span);
  for (uint32_t i = 0; i < rule->extra.n; i++) patch_here(g, ends[i]);
  xfree(ends);
  return r;
}

static bool compatible(const AstNode *a, const AstNode *b) {
  for (uint32_t i = 0; i < a->extra.n; i++)
    if (strcmp(a->extra.items[i]->name, b->name) == 0) return true;
  for (uint32_t i = 0; i < b->extra.n; i++)
    if (strcmp(b->extra.items[i]->name, a->name) == 0) return true;
  return false;
}

/*
** A rule with exceptions: every condition is evaluated; two that hold at
** once are an error for the dossier unless declared compatible (then the
** one declared first applies); one that holds gives its value; none gives
** the rule's own value.
*/
static int cg_rule_body(Cg *g, uint32_t idx) {
  AstNode *rule = g->p->rules[idx];
  AstNode **exc = g->exc_by_rule + g->exc_start[idx];
  uint32_t ne = g->exc_start[idx + 1] - g->exc_start[idx];
  if (ne == 0) return cg_rule_value(g, rule);
  int *cond = xcalloc(ne, sizeof *cond);
  for (uint32_t j = 0; j < ne; j++) cond[j] = cg_expr(g, exc[j]->a);
  for (uint32_t j = 0; j < ne; j++)
    for (uint32_t k = j + 1; k < ne; k++) {
      if (compatible(exc[j], exc[k])) continue;
      uint32_t s1 = emit(g, OP_JMPIFNOT, cond[j], 0, 0, exc[k]->nspan);
      uint32_t s2 = emit(g, OP_JMPIFNOT, cond[k], 0, 0, exc[k]->nspan);
      char msg[300];
      snprintf(msg, sizeof msg, "exceptions '%s' and '%s' both apply to rule '%s' (declare them compatible if they may)",
               exc[j]->name, exc[k]->name, rule->name);
      fail_with(g, msg, exc[k]->nspan);
      patch_here(g, s1);
      patch_here(g, s2);
    }
  int r = newreg(g, rule->type);
  uint32_t *ends = xcalloc(ne, sizeof *ends);
  for (uint32_t j = 0; j < ne; j++) {
    uint32_t next = emit(g, OP_JMPIFNOT, cond[j], 0, 0, exc[j]->nspan);
    char label[200];
    snprintf(label, sizeof label, "uitzondering %s", exc[j]->name);
    cover(g, COVER_EXCEPTION, label, exc[j], exc[j]->nspan, -1);
    size_t m = cse_mark(g);
    int v = cg_as(g, exc[j]->b, rule->type);
    emit(g, OP_MOVE, r, v, 0, exc[j]->b->span);
    cse_release(g, m);
    ends[j] = emit(g, OP_JMP, 0, 0, 0, exc[j]->nspan);
    patch_here(g, next);
    if (g->trace) cover(g, COVER_EXCEPTION_NOT, label, exc[j], exc[j]->nspan, -1);   /* its condition was false */
  }
  size_t m = cse_mark(g);
  int base = cg_rule_value(g, rule);
  emit(g, OP_MOVE, r, base, 0, rule->nspan);
  cse_release(g, m);
  for (uint32_t j = 0; j < ne; j++) patch_here(g, ends[j]);
  xfree(ends);
  xfree(cond);
  return r;
}

static void cg_rule(Cg *g, uint32_t idx) {
  AstNode *rule = g->p->rules[idx];
  g->rule = rule;
  g->rule_index = idx;
  g->n = g->nregs = 0;
  g->ncse = 0;
  g->code = NULL;
  g->spans = NULL;
  g->regs = NULL;
  g->cap = g->capspans = g->capregs = 0;
  for (uint32_t k = 0; k < rule->params.n; k++) newreg(g, rule->params.items[k]->type);   /* registers 0.. */
  int r = cg_rule_body(g, idx);
  emit(g, OP_RET, r, 0, 0, rule->b ? rule->b->span : rule->nspan);
  Proto *pr = &g->ck->protos[idx];
  pr->name = xstrdup(rule->name);
  pr->source = chk_rule_source(g->p, rule);
  pr->label = label_copy(rule);
  pr->span = rule->nspan;
  pr->result = rule->type;
  pr->ncode = (uint32_t)g->n;
  pr->code = g->code;
  pr->spans = g->spans;
  pr->nregs = (uint16_t)g->nregs;
  pr->regtypes = g->regs;
  pr->nparams = (uint16_t)rule->params.n;
}

Chunk *cg_program(Program *p, DiagList *d, int mode) {
  Chunk *ck = chunk_new();
  Cg g = {0};
  g.coverage = (mode & (CG_COVERAGE | CG_TRACE)) != 0;
  g.trace = (mode & CG_TRACE) != 0;
  g.p = p;
  g.ck = ck;
  g.d = d;
  for (uint32_t i = 0; i < p->src->n; i++) chunk_add_file(ck, p->src->files[i].name, p->src->files[i].text, p->src->files[i].len);
  ck->schema = p->schema;
  memset(&p->schema, 0, sizeof p->schema);
  p->schema.input = -1;
  p->schema.key_field = -1;
  ck->ntables = p->ntables;
  ck->tables = p->tabdata;      /* moved: the rows now belong to the chunk */
  p->tabdata = NULL;
  ck->nnatives = p->nnatives;   /* moved too: the loaded libraries close with the chunk */
  ck->natives = p->natives;
  p->natives = NULL;
  ck->nprotos = p->nrules;
  ck->protos = xcalloc(p->nrules ? p->nrules : 1, sizeof(Proto));
  /* each rule's exceptions found once (a counting sort), not by a scan of all exceptions per rule */
  g.exc_start = xcalloc(p->nrules + 2, sizeof *g.exc_start);
  g.exc_by_rule = xcalloc(p->nexceptions ? p->nexceptions : 1, sizeof *g.exc_by_rule);
  for (uint32_t i = 0; i < p->nexceptions; i++) g.exc_start[p->exceptions[i]->c->ref + 2]++;
  for (uint32_t r = 0; r < p->nrules; r++) g.exc_start[r + 2] += g.exc_start[r + 1];
  for (uint32_t i = 0; i < p->nexceptions; i++) g.exc_by_rule[g.exc_start[p->exceptions[i]->c->ref + 1]++] = p->exceptions[i];
  for (uint32_t i = 0; i < p->nrules; i++) cg_rule(&g, i);
  xfree(g.exc_start);
  xfree(g.exc_by_rule);
  xfree(g.konst_slots);
  if (p->output) {
    ck->noutputs = p->output->list.n;
    ck->outputs = xcalloc(ck->noutputs ? ck->noutputs : 1, sizeof(OutputDesc));
    for (uint32_t i = 0; i < ck->noutputs; i++) {
      AstNode *it = p->output->list.items[i];
      OutputDesc *o = &ck->outputs[i];
      o->name = xstrdup(it->name);
      o->from = it->refkind == REF_RULE ? OUT_RULE : OUT_INPUT;
      o->index = (uint32_t)it->ref;
      o->type = it->type;
    }
  }
  if (p->benefit_column >= 0) {   /* checked: a geld column of the uitvoer, per maand or jaar */
    ck->benefit_period = p->benefit_period;
    ck->benefit_output = (uint32_t)p->benefit_column;
    ck->benefit_duration = p->benefit_duration >= 0 ? (uint32_t)p->benefit_duration : BENEFIT_NO_COLUMN;
    ck->benefit_then = p->benefit_then >= 0 ? (uint32_t)p->benefit_then : BENEFIT_NO_COLUMN;
  }
  xfree(g.cse);
  if (g.failed) {
    chunk_free(ck);
    return NULL;
  }
  return ck;
}
