/*
** vm_exec.h: the interpreter loop, the body of vm.c. vm.c includes it twice:
** once as `execute` with VM_TRACING 0 (every run) and once as
** `execute_traced` with VM_TRACING 1 (dagloon explain), so the trace hooks
** (`if (VM_TRACING) ...`) vanish from the code every run uses instead of
** being tested on every instruction. Each opcode's full description sits
** above its `CASE` ("Opcode: NAME", checked by tools/check_opdocs.sh); the
** opcode list itself is opcodes.def.
**
** Not a header for anyone else: it expects vm.c's struct Vm and helpers,
** and VM_EXECUTE / VM_TRACING defined.
*/

#ifndef DAGLOON_VM_EXEC_MACROS
#define DAGLOON_VM_EXEC_MACROS
/* ---- register and operand access (Lua style) ---- */

#define RA (base[i.a])
#define RB (base[i.b])
#define RC (base[i.c])
#define KB (k[i.b])
#define KC (k[i.c])
#define SB ((int16_t)i.b)
#define PC ((uint32_t)(ip - code - 1))   /* the instruction being run */

/* A jump by off: one taken backwards is a step of the dossier's budget (vm_set_limits). */
#define JUMP(off)                                              \
  do {                                                         \
    int16_t off_ = (int16_t)(off);                             \
    if (off_ < 0 && --vm->steps_left == 0 && !more_steps(vm)) \
      goto step_limit;                                         \
    ip += off_;                                                \
  } while (0)
/* A date or period operation left the calendar or had no answer: an error for this dossier. */
#define DATE_FAIL(msg)                                         \
  do {                                                         \
    status = VM_DATE;                                          \
    snprintf(vm->detail, sizeof vm->detail, "%s", (msg));      \
    goto vm_error;                                             \
  } while (0)

/*
** Runs a num.h call whose result lands in a register; a status other than
** NUM_OK leaves through vm_error as overflow (of `what`) or division by zero.
*/
#define NUM(call, what)                                         \
  do {                                                          \
    NumStatus ns_ = (call);                                     \
    if (ns_ != NUM_OK) {                                        \
      nerr = ns_;                                               \
      nwhat = (what);                                           \
      goto num_error;                                           \
    }                                                           \
  } while (0)

/*
** Evaluates rule `p` with its registers at `base` and stores its value in
** vm->memo[p]. A RULE instruction calls this recursively for a rule not yet
** evaluated; the verifier's acyclic rule graph and the depth limit bound the
** recursion. On error vm->err is filled in by the innermost rule (the one
** whose instruction failed) and the callers only pass the status up.
*/
/*
** Dispatch: CASE(NAME) opens an opcode's code, NEXT ends it. With GCC or
** Clang each NEXT jumps straight to the next instruction's code; elsewhere
** it falls back to the switch. Every instruction has passed the verifier,
** so its opcode is a valid index.
*/
#if defined(__GNUC__) && !defined(DAGLOON_SWITCH_DISPATCH)
#define DISPATCH_BY_GOTO 1
#else
#define DISPATCH_BY_GOTO 0
#endif

#endif

/*
** VM_ONE_STEP (vm.c's native_step): one instruction, from pc, for a native
** bundle's code, which calls it for what it does not translate itself; NEXT
** then returns the next pc, and a rule it starts (RULE, CALL) runs as native
** code too (VM_ENTER).
*/
#undef CASE
#undef NEXT
#undef VM_ENTER
#if VM_ONE_STEP
#define CASE(name) case OP_##name:
#define NEXT                             \
  do {                                   \
    *next = (uint32_t)(ip - code);       \
    return VM_OK;                        \
  } while (0)
#define VM_ENTER(vm, r, frame) native_enter(vm, r, frame)
#elif DISPATCH_BY_GOTO
#define CASE(name) case OP_##name: L_##name:
#define NEXT                                  \
  do {                                        \
    i = *ip++;                                \
    __extension__({ goto *dispatch[i.op]; }); \
  } while (0)
#define VM_ENTER(vm, r, frame) VM_EXECUTE(vm, r, frame)
#else
#define CASE(name) case OP_##name:
#define NEXT break
#define VM_ENTER(vm, r, frame) VM_EXECUTE(vm, r, frame)
#endif

#if VM_ONE_STEP
static VmStatus VM_EXECUTE(Vm *vm, uint32_t p, Value *base, uint32_t at, uint32_t *next) {
#else
static VmStatus VM_EXECUTE(Vm *vm, uint32_t p, Value *base) {
#endif
  const Chunk *c = vm->c;
  const Proto *proto = &c->protos[p];
  const Value *k = c->consts;
  const Instr *code = proto->code;
#if VM_ONE_STEP
  const Instr *ip = code + at;
#else
  const Instr *ip = code;
  vm->state[p] = RULE_BUSY;
  vm->depth++;
#endif
  VmStatus status = VM_OK;
  NumStatus nerr = NUM_OK;
  const char *nwhat = "";

  if (VM_TRACING) {
    TraceEvent e = {.kind = TRACE_RULE, .then = vm->as_known, .rule = p, .index = p};
    if (proto->nparams) e.args = trace_keep_args(vm->trace, base, proto->nparams);
    trace_add(vm->trace, &e);
  }
  Instr i;
#if DISPATCH_BY_GOTO && !VM_ONE_STEP
  /* One indirect jump per instruction, from the end of the one before (GCC/Clang "labels as values"). */
  __extension__ static const void *const dispatch[OP__COUNT] = {
#define OP(name, a, b, c, syn) [OP_##name] = &&L_##name,
#include "opcodes.def"
#undef OP
  };
#endif
  for (;;) {
    i = *ip++;
    switch ((Opcode)i.op) {

/* Opcode: MOVE A B
** Copies register B into register A (both of the same type).
*/
CASE(MOVE) {
  RA = RB;
  NEXT;
}

/* Opcode: LOADK A B
** Loads constant K[B] into register A. Texts, records and lists are
** shared, not copied: values are immutable.
*/
CASE(LOADK) {
  RA = KB;
  NEXT;
}

/* Opcode: LOADI A B
** Loads the small integer sB (B read as signed 16 bits) into int register A.
*/
CASE(LOADI) {
  RA.i = SB;
  NEXT;
}

/* Opcode: LOADBOOL A B
** Loads true into bool register A if B is non-zero, else false.
*/
CASE(LOADBOOL) {
  RA.i = i.b != 0;
  NEXT;
}

/* Opcode: INPUT A B
** Loads field B of the dossier's input record into register A.
*/
CASE(INPUT) {
  RA = vm->input->fields[i.b];
  if (VM_TRACING)
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_INPUT, .rule = p, .pc = PC, .index = i.b,
                                       .type = c->schema.records[c->schema.input].fields[i.b].type, .v = RA});
  NEXT;
}

/* Opcode: AS_KNOWN A
** From here to AS_KNOWN_END the facts are as known on date register A:
** KNOWN leaves out the lines known later, and rules are memoised apart
** (a second memo, kept for that day; another day starts it afresh), so a
** value of then never stands for one of now. The checker allows no
** AS_KNOWN inside another.
*/
CASE(AS_KNOWN) {
  if (vm->as_known) {
    status = VM_BAD_CODE;
    snprintf(vm->detail, sizeof vm->detail, "'zoals bekend op' inside another");
    goto vm_error;
  }
  if (!vm->then_valid || vm->then_on != RA.i) {
    if (c->nprotos) memset(vm->state_then, RULE_NEW, c->nprotos);
    vm->then_on = RA.i;
    vm->then_valid = true;
  }
  vm->as_known = true;
  vm->known_on = RA.i;
  vm->memo = vm->memo_then;
  vm->state = vm->state_then;
  if (VM_TRACING)
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_AS_KNOWN, .rule = p, .pc = PC, .type = {VK_DATE, 0, 0}, .v = RA});
  NEXT;
}

/* Opcode: AS_KNOWN_END
** Back to the facts as known now (the memo of now).
*/
CASE(AS_KNOWN_END) {
  if (!vm->as_known) {
    status = VM_BAD_CODE;
    snprintf(vm->detail, sizeof vm->detail, "AS_KNOWN_END without AS_KNOWN");
    goto vm_error;
  }
  vm->as_known = false;
  vm->memo = vm->memo_now;
  vm->state = vm->state_now;
  if (VM_TRACING) trace_add(vm->trace, &(TraceEvent){.kind = TRACE_AS_KNOWN_END, .rule = p, .pc = PC});
  NEXT;
}

/* Opcode: KNOWN A B C
** List register A := the lines of list B as known on the day in force
** (inside AS_KNOWN its date, else now, when every line is known): a line
** that became known later is left out, and so is one that a line known by
** then replaces. K[C] names the record's fields (known_lines in vm.c).
** Contradicting lines (a key twice, a replaced key no line has) are an
** error for the dossier.
*/
CASE(KNOWN) {
  List *l;
  status = known_lines(vm, RB.list, KC.i, &l, p, PC);
  if (status != VM_OK) goto vm_error;
  RA.list = l;
  NEXT;
}

/* Opcode: FIELD A B C
** Loads field C of the record in register B into register A.
*/
CASE(FIELD) {
  RA = RB.rec->fields[i.c];
  NEXT;
}

/* Opcode: RULE A B
** Loads the value of rule B into register A, evaluating that rule first
** if this dossier has not needed it yet (each rule runs at most once per
** dossier). Its registers sit just above this rule's. A rule that is still
** being evaluated is a cycle; nesting deeper than VM_MAX_DEPTH is an error.
*/
CASE(RULE) {
  uint32_t r = i.b;
  if (vm->state[r] != RULE_DONE) {
    if (vm->state[r] == RULE_BUSY) {
      status = VM_CYCLE;
      snprintf(vm->detail, sizeof vm->detail, "rule '%s' needs its own value", c->protos[r].name);
      goto vm_error;
    }
    if (vm->depth >= VM_MAX_DEPTH) {
      status = VM_DEPTH;
      snprintf(vm->detail, sizeof vm->detail, "rules nested deeper than %d calling '%s'", VM_MAX_DEPTH,
               c->protos[r].name);
      goto vm_error;
    }
    VmStatus st = VM_ENTER(vm, r, base + proto->nregs);
    if (st != VM_OK) return st;
  } else if (VM_TRACING) {
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_USE, .then = vm->as_known, .rule = p, .pc = PC, .index = r,
                                       .type = c->protos[r].result, .v = vm->memo[r]});
  }
  RA = vm->memo[r];
  NEXT;
}

/* Opcode: CALL A B C
** Applies rule B, which has parameters, to registers C, C+1, ...: they are
** copied into its first registers, just above this rule's, and its value
** lands in register A. Unlike RULE it is not memoised (the value depends on
** the arguments); the verifier checked the argument types and that no rule
** reaches itself, and the depth limit still applies. Each call is one step
** of the dossier's budget.
*/
CASE(CALL) {
  uint32_t r = i.b;
  const Proto *q = &c->protos[r];
  if (--vm->steps_left == 0 && !more_steps(vm)) goto step_limit;
  if (vm->state[r] == RULE_BUSY) {
    status = VM_CYCLE;
    snprintf(vm->detail, sizeof vm->detail, "rule '%s' needs its own value", q->name);
    goto vm_error;
  }
  if (vm->depth >= VM_MAX_DEPTH) {
    status = VM_DEPTH;
    snprintf(vm->detail, sizeof vm->detail, "rules nested deeper than %d calling '%s'", VM_MAX_DEPTH, q->name);
    goto vm_error;
  }
  Value *frame = base + proto->nregs;
  for (uint16_t j = 0; j < q->nparams; j++) frame[j] = base[i.c + j];
  VmStatus st = VM_ENTER(vm, r, frame);
  if (st != VM_OK) return st;
  RA = vm->memo[r];
  vm->state[r] = RULE_NEW;
  NEXT;
}

/* Opcode: CALL_NATIVE A B C
** R[A] := native function B (an 'extern regel'; chunk natives) applied to
** R[C], R[C+1], ...: a C function of a library the operator allowed, called
** through libffi (native.h). A function that refuses the dossier (its
** fout) or returns what is not a value of its type stops the dossier with
** an error naming the function.
*/
CASE(CALL_NATIVE) {
  const ChunkNative *cn = &c->natives[i.b];
  char msg[160];
  NativeStatus ns = native_call(&cn->fn, &base[i.c], vm->arena, &RA, msg, sizeof msg);
  if (ns != NATIVE_OK) {
    status = VM_NATIVE;
    snprintf(vm->detail, sizeof vm->detail, "native function %.40s %s%.140s", cn->symbol,
             ns == NATIVE_REFUSED ? "refused the dossier: " : "", msg);
    goto vm_error;
  }
  NEXT;
}

/* Opcode: RET A
** Ends the rule: register A is its value for this dossier (memoised).
*/
CASE(RET) {
  if (VM_TRACING)
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_VALUE, .rule = p, .pc = PC, .index = p, .type = proto->result, .v = RA});
  vm->memo[p] = RA;
  vm->state[p] = RULE_DONE;
  if (vm->cov) vm->cov->rules[p]++;
  vm->depth--;
  return VM_OK;
}

/* Opcode: JMP B
** Jumps by sB instructions, counted from the next instruction. Every jump
** taken backwards (here and in the conditional jumps) is one step of the
** dossier's budget (vm_set_limits): a loop that does not end stops.
*/
CASE(JMP) {
  JUMP(SB);
  NEXT;
}

/* Opcode: JMPIF A B
** Jumps by sB instructions (from the next one) if bool register A is true.
*/
CASE(JMPIF) {
  if (RA.i) JUMP(SB);
  NEXT;
}

/* Opcode: JMPIFNOT A B
** Jumps by sB instructions (from the next one) if bool register A is false.
*/
CASE(JMPIFNOT) {
  if (!RA.i) JUMP(SB);
  NEXT;
}

/* Opcode: JMPIFNOT_LT A B C
** Jumps by sC instructions (from the next one) unless R[A] < R[B], for two
** registers of one int64-valued type: a test and its branch in one step
** (als, the loop of an aggregation, the dates of a version).
*/
CASE(JMPIFNOT_LT) {
  if (!(RA.i < RB.i)) JUMP(i.c);
  NEXT;
}

/* Opcode: JMPIFNOT_LE A B C
** Jumps by sC instructions (from the next one) unless R[A] <= R[B], for two
** registers of one int64-valued type.
*/
CASE(JMPIFNOT_LE) {
  if (!(RA.i <= RB.i)) JUMP(i.c);
  NEXT;
}

/* Opcode: NEXT_ITEM A B C
** The end of a loop over the items of a list: counter R[A] goes up by one
** and, while it is below the length R[B], the loop goes on at pc + sC.
** One instruction per item where an add and a test would be two. (The add
** wraps rather than overflow: a counter the compiler made starts at 0 and
** stops at a list length.)
*/
CASE(NEXT_ITEM) {
  RA.i = (int64_t)((uint64_t)RA.i + 1);
  if (RA.i < RB.i) JUMP(i.c);
  NEXT;
}

/* Opcode: NOT A B
** Bool register A := not bool register B.
*/
CASE(NOT) {
  RA.i = !RB.i;
  NEXT;
}

/* Opcode: ADD_INT A B C
** Adds two int registers. A result beyond int64 is a run-time error naming
** the rule; never a wrapped value.
*/
CASE(ADD_INT) {
  NUM(int_add(RB.i, RC.i, &RA.i), "integer");
  NEXT;
}

/* Opcode: SUB_INT A B C
** Subtracts int register C from int register B. Overflow is an error.
*/
CASE(SUB_INT) {
  NUM(int_sub(RB.i, RC.i, &RA.i), "integer");
  NEXT;
}

/* Opcode: MUL_INT A B C
** Multiplies two int registers. Overflow is an error.
*/
CASE(MUL_INT) {
  NUM(int_mul(RB.i, RC.i, &RA.i), "integer");
  NEXT;
}

/* Opcode: NEG_INT A B
** Negates int register B. Negating the most negative int64 is an overflow.
*/
CASE(NEG_INT) {
  NUM(int_neg(RB.i, &RA.i), "integer");
  NEXT;
}

/* Opcode: ADDI_INT A B C
** Adds the unsigned immediate C to int register B (loop counters).
** Overflow is an error.
*/
CASE(ADDI_INT) {
  NUM(int_add(RB.i, (int64_t)i.c, &RA.i), "integer");
  NEXT;
}

/* Opcode: ADD_DEC A B C
** Adds two exact decimals. A result whose reduced numerator or denominator
** does not fit int64 is an overflow, never a rounded value.
*/
CASE(ADD_DEC) {
  NUM(dec_add(RB.dec, RC.dec, &RA.dec), "decimal");
  NEXT;
}

/* Opcode: SUB_DEC A B C
** Subtracts decimal register C from decimal register B, exactly.
*/
CASE(SUB_DEC) {
  NUM(dec_sub(RB.dec, RC.dec, &RA.dec), "decimal");
  NEXT;
}

/* Opcode: MUL_DEC A B C
** Multiplies two decimals exactly.
*/
CASE(MUL_DEC) {
  NUM(dec_mul(RB.dec, RC.dec, &RA.dec), "decimal");
  NEXT;
}

/* Opcode: DIV_DEC A B C
** Divides decimal register B by decimal register C exactly (1/3 stays
** 1/3). A zero divisor is a run-time error.
*/
CASE(DIV_DEC) {
  NUM(dec_div(RB.dec, RC.dec, &RA.dec), "decimal");
  NEXT;
}

/* Opcode: NEG_DEC A B
** Negates decimal register B.
*/
CASE(NEG_DEC) {
  NUM(dec_neg(RB.dec, &RA.dec), "decimal");
  NEXT;
}

/* Opcode: ADD_MONEY A B C
** Adds two money registers (eurocents). Overflow beyond int64 is a run-time
** error naming the rule; never a wrapped value.
*/
CASE(ADD_MONEY) {
  NUM(money_add(RB.i, RC.i, &RA.i), "money");
  NEXT;
}

/* Opcode: SUB_MONEY A B C
** Subtracts money register C from money register B (eurocents). Overflow
** is an error.
*/
CASE(SUB_MONEY) {
  NUM(money_sub(RB.i, RC.i, &RA.i), "money");
  NEXT;
}

/* Opcode: NEG_MONEY A B
** Negates money register B. Negating the most negative amount is an
** overflow.
*/
CASE(NEG_MONEY) {
  NUM(int_neg(RB.i, &RA.i), "money");
  NEXT;
}

/* Opcode: MUL_MONEY_INT A B C
** Multiplies money register B (eurocents) by int register C. Overflow is an
** error.
*/
CASE(MUL_MONEY_INT) {
  NUM(money_mul_int(RB.i, RC.i, &RA.i), "money");
  NEXT;
}

/* Opcode: INT_TO_DEC A B
** Converts int register B to an exact decimal.
*/
CASE(INT_TO_DEC) {
  RA.dec = dec_from_int(RB.i);
  NEXT;
}

/* Opcode: MONEY_TO_DEC A B
** Converts money register B (eurocents) to decimal euros: cents / 100.
*/
CASE(MONEY_TO_DEC) {
  NUM(dec_from_cents(RB.i, &RA.dec), "decimal");
  NEXT;
}

/* Opcode: ROUND_MONEY A B C
** Rounds decimal euros in register B to a whole multiple of a unit of
** cents, giving money register A. Constant K[C] = unit*8 + method: unit in
** cents (1 = cent, 261 = the Wfsv EUR 2,61), method a RoundMethod (num.h).
** A result beyond int64 cents is an overflow.
*/
CASE(ROUND_MONEY) {
  int64_t spec = KC.i;
  if (VM_TRACING) trace_round(vm, p, PC, RB.dec, spec, false);
  NUM(dec_round_to_cents(RB.dec, spec / 8, (RoundMethod)(spec % 8), &RA.i), "money");
  if (VM_TRACING) trace_rounded(vm, RA);
  NEXT;
}

/* Opcode: MUL_ROUND_MONEY A B C
** Money register A := money register B times decimal register C, rounded
** to a whole cent by the RoundMethod in the instruction's x byte. Cents x
** n/d is rounded straight from the 128-bit product, so the exact value is
** never reduced to a rational first: afgerond(dagloon * 70%, op: cent, ...)
** in one step, the same result as MONEY_TO_DEC, MUL_DEC, ROUND_MONEY.
*/
CASE(MUL_ROUND_MONEY) {
  int64_t x, cents = RB.i, num = RC.dec.num, den = RC.dec.den;
  if (VM_TRACING) trace_round_product(vm, p, PC, cents, RC.dec, i.x);
  if (i.x == ROUND_HALF_AWAY && !__builtin_mul_overflow(cents, num, &x)) {
    /* the common case, half a cent away from zero: |x| divided by the reciprocal of the denominator,
       kept while the denominator stays the same (divisor.h) */
    if (vm->round_den.d != (uint64_t)den) divisor_set(&vm->round_den, (uint64_t)den);
    uint64_t r, q = divisor_divide(&vm->round_den, x < 0 ? -(uint64_t)x : (uint64_t)x, &r);
    q += r >= (uint64_t)den - r;   /* r = 0 never rounds: den > 0 */
    RA.i = x < 0 ? (int64_t)(0 - q) : (int64_t)q;
  } else {
    NUM(money_scale_round(cents, num, den, 1, (RoundMethod)i.x, &RA.i), "money");
  }
  if (VM_TRACING) trace_rounded(vm, RA);
  NEXT;
}

/* Opcode: EQ A B C
** Bool register A := (B == C) for two registers of one int64-valued type
** (bool, int, money, date or enum).
*/
CASE(EQ) {
  RA.i = RB.i == RC.i;
  NEXT;
}

/* Opcode: LT A B C
** Bool register A := (B < C) for two registers of one int64-valued type.
** Enums compare by ordinal (declaration order), dates by day.
*/
CASE(LT) {
  RA.i = RB.i < RC.i;
  NEXT;
}

/* Opcode: LE A B C
** Bool register A := (B <= C) for two registers of one int64-valued type.
*/
CASE(LE) {
  RA.i = RB.i <= RC.i;
  NEXT;
}

/* Opcode: EQ_DEC A B C
** Bool register A := (B == C) for two decimals (exact comparison).
*/
CASE(EQ_DEC) {
  RA.i = dec_cmp(RB.dec, RC.dec) == 0;
  NEXT;
}

/* Opcode: LT_DEC A B C
** Bool register A := (B < C) for two decimals (exact comparison).
*/
CASE(LT_DEC) {
  RA.i = dec_cmp(RB.dec, RC.dec) < 0;
  NEXT;
}

/* Opcode: LE_DEC A B C
** Bool register A := (B <= C) for two decimals (exact comparison).
*/
CASE(LE_DEC) {
  RA.i = dec_cmp(RB.dec, RC.dec) <= 0;
  NEXT;
}

/* Opcode: EQ_TEXT A B C
** Bool register A := text B equals text C, byte for byte (no case folding,
** no Unicode normalisation).
*/
CASE(EQ_TEXT) {
  const Text *x = RB.text, *y = RC.text;
  RA.i = x->len == y->len && memcmp(x->bytes, y->bytes, x->len) == 0;
  NEXT;
}

/* Opcode: MIN A B C
** Register A := the smaller of B and C, all three of one int64-valued type.
*/
CASE(MIN) {
  RA.i = RB.i <= RC.i ? RB.i : RC.i;
  NEXT;
}

/* Opcode: MAX A B C
** Register A := the larger of B and C, all three of one int64-valued type.
*/
CASE(MAX) {
  RA.i = RB.i >= RC.i ? RB.i : RC.i;
  NEXT;
}

/* Opcode: MIN_DEC A B C
** Decimal register A := the smaller of decimals B and C.
*/
CASE(MIN_DEC) {
  RA.dec = dec_cmp(RB.dec, RC.dec) <= 0 ? RB.dec : RC.dec;
  NEXT;
}

/* Opcode: MAX_DEC A B C
** Decimal register A := the larger of decimals B and C.
*/
CASE(MAX_DEC) {
  RA.dec = dec_cmp(RB.dec, RC.dec) >= 0 ? RB.dec : RC.dec;
  NEXT;
}

/* Opcode: LEN A B
** Int register A := the number of items in list register B.
*/
CASE(LEN) {
  RA.i = RB.list->n;
  NEXT;
}

/* Opcode: INDEX A B C
** Register A := item R[C] (0-based) of list register B. An index below 0
** or at or past the end is a run-time error naming the index and length.
*/
CASE(INDEX) {
  const List *l = RB.list;
  int64_t ix = RC.i;
  if (ix < 0 || ix >= (int64_t)l->n) {
    status = VM_INDEX;
    snprintf(vm->detail, sizeof vm->detail,
             "list index %" PRId64 " out of range (list has %" PRIu32 " item%s)", ix, l->n, l->n == 1 ? "" : "s");
    goto vm_error;
  }
  RA = l->items[ix];
  NEXT;
}

/* Opcode: FAIL B
** Stops the evaluation of this dossier with a run-time error whose text is
** the text constant K[B] (for example "min of an empty list"). Used where
** a rule has no value, so the dossier gets an error row, never a guess.
*/
CASE(FAIL) {
  status = VM_NO_VALUE;
  snprintf(vm->detail, sizeof vm->detail, "%s", KB.text->bytes);
  goto vm_error;
}

/* Opcode: COVER B
** Counts coverage point B (a rule version or an exception that was taken,
** or a rule with parameters compiled into its caller that was evaluated:
** that also counts as its rule) when a test suite switched coverage on;
** otherwise does nothing.
*/
CASE(COVER) {
  if (VM_TRACING) {
    const CoverPoint *cp = &c->covers[i.b];
    TraceEvent e = {.kind = TRACE_POINT, .rule = p, .pc = PC, .index = i.b};
    if (cp->reg >= 0) e.type = (TypeRef){VK_DATE, 0, 0}, e.v = base[cp->reg];   /* the peildatum */
    trace_add(vm->trace, &e);
  }
  if (vm->cov) {
    vm->cov->points[i.b]++;
    if (c->covers[i.b].kind == COVER_INLINED) vm->cov->rules[c->covers[i.b].rule]++;
  }
  NEXT;
}

/* Opcode: CAST A B
** Copies an integer quantity between geheel, dagen, maanden and jaren: the
** number stays, its unit changes. Only ever emitted where the rule wrote
** the conversion (dagen(n), geheel(d), ...): durations never mix silently.
*/
CASE(CAST) {
  RA.i = RB.i;
  NEXT;
}

/* Opcode: ROUND_DEC A B C
** Rounds decimal register B to a multiple of 10^-places, giving decimal
** register A. Constant K[C] = places*8 + method (places 0..18, a RoundMethod).
*/
CASE(ROUND_DEC) {
  int64_t spec = KC.i;
  if (VM_TRACING) trace_round(vm, p, PC, RB.dec, spec, true);
  NUM(dec_round_places(RB.dec, (int)(spec / 8), (RoundMethod)(spec % 8), &RA.dec), "decimal");
  if (VM_TRACING) trace_rounded(vm, RA);
  NEXT;
}

/* Opcode: ADD_DAYS A B C
** Date register A := date B plus C days (C may be negative). A result
** outside the supported calendar (1900..2200) is a run-time error.
*/
CASE(ADD_DAYS) {
  if (!date_add_days(RB.i, RC.i, &RA.i)) DATE_FAIL("date outside 1900..2200");
  NEXT;
}

/* Opcode: DIFF_DAYS A B C
** Days register A := date B minus date C, in days (negative if B is earlier).
*/
CASE(DIFF_DAYS) {
  RA.i = RB.i - RC.i;
  NEXT;
}

/* Opcode: ADD_MONTHS A B C
** Date register A := date B plus C months (C may be negative); a day that
** does not exist in the target month becomes that month's last day
** (afkappen: 31 January + 1 month = 28 or 29 February).
*/
CASE(ADD_MONTHS) {
  if (!date_add_months(RB.i, RC.i, MONTHEND_CLAMP, &RA.i)) DATE_FAIL("date outside 1900..2200");
  NEXT;
}

/* Opcode: ADD_MONTHS_OVER A B C
** As ADD_MONTHS, but a day past the target month's end runs on into the
** next month (doorlopen: 31 January 2023 + 1 month = 3 March 2023).
*/
CASE(ADD_MONTHS_OVER) {
  if (!date_add_months(RB.i, RC.i, MONTHEND_OVERFLOW, &RA.i)) DATE_FAIL("date outside 1900..2200");
  NEXT;
}

/* Opcode: DATE_PART A B C
** Int register A := a part of date B chosen by the immediate C: 0 the year,
** 1 the month (1..12), 2 the day of the month, 3 the weekday (1 = Monday ..
** 7 = Sunday, Dagloonbesluit art. 1 lid 2), 4 the number of days in its month.
*/
CASE(DATE_PART) {
  int y, m, d;
  date_to_ymd(RB.i, &y, &m, &d);
  switch (i.c) {
  case 0: RA.i = y; break;
  case 1: RA.i = m; break;
  case 2: RA.i = d; break;
  case 3: RA.i = date_weekday(RB.i); break;
  default: RA.i = date_days_in_month(y, m); break;
  }
  NEXT;
}

/* Opcode: UNIT_OF A B C
** Period register A := the calendar unit holding date B, chosen by the
** immediate C: 0 its month, 1 quarter, 2 half-year, 3 year, 4 its
** four-weekly aangiftetijdvak in 28-day blocks from 1 January, 5 its
** four-weekly aangiftetijdvak in whole weeks (period.h says both layouts).
*/
CASE(UNIT_OF) {
  switch (i.c) {
  case 0: RA.per = period_month(RB.i); break;
  case 1: RA.per = period_quarter(RB.i); break;
  case 2: RA.per = period_halfyear(RB.i); break;
  case 3: RA.per = period_year(RB.i); break;
  case 4: RA.per = period_fourweek(RB.i, FOURWEEK_FROM_JAN1, NULL); break;
  default: RA.per = period_fourweek(RB.i, FOURWEEK_BY_WEEK, NULL); break;
  }
  NEXT;
}

/* Opcode: COUNT_UNITS A B C
** Integer register A := the number of items UNITS_IN would list for period
** B and unit C, counted without building the list ("aantal(elke m in
** kalendermaanden(p))").
*/
CASE(COUNT_UNITS) {
  size_t n = i.c == 0 ? period_months_in(RB.per, NULL, 0)
                      : period_fourweeks_in(RB.per, i.c == 4 ? FOURWEEK_FROM_JAN1 : FOURWEEK_BY_WEEK, NULL, 0);
  RA.i = (int64_t)n;
  NEXT;
}

/* Opcode: UNITS_IN A B C
** List register A := the whole calendar months (C = 0) or four-weekly
** tijdvakken (C = 4 or 5, layouts as in UNIT_OF) that overlap period B, in
** order, not clipped to B. The list lives in the dossier's arena.
*/
CASE(UNITS_IN) {
  size_t n = i.c == 0 ? period_months_in(RB.per, NULL, 0)
                      : period_fourweeks_in(RB.per, i.c == 4 ? FOURWEEK_FROM_JAN1 : FOURWEEK_BY_WEEK, NULL, 0);
  if (vm->arena->total - vm->arena_base + sizeof(List) + (n + 1) * sizeof(Value) > vm->memory_limit) goto memory_limit;
  List *l = arena_alloc(vm->arena, sizeof *l);
  l->n = (uint32_t)n;
  l->elem = (TypeRef){VK_PERIOD, 0, 0};
  l->items = arena_alloc(vm->arena, (n ? n : 1) * sizeof *l->items);
  /* the periods go straight into the items: a Value holding a period is exactly a Period */
  _Static_assert(sizeof(Value) == sizeof(Period) && offsetof(Value, per) == 0, "Value is a Period in place");
  Period *items = &l->items[0].per;
  if (i.c == 0) period_months_in(RB.per, items, n);
  else period_fourweeks_in(RB.per, i.c == 4 ? FOURWEEK_FROM_JAN1 : FOURWEEK_BY_WEEK, items, n);
  RA.list = l;
  NEXT;
}

/* Opcode: PERIOD A B C
** Period register A := the closed period from date B through date C. B
** after C is a run-time error (an empty period is not a period).
*/
CASE(PERIOD) {
  if (!period_make(RB.i, RC.i, &RA.per)) DATE_FAIL("a period cannot end before it starts");
  NEXT;
}

/* Opcode: PERIOD_START A B
** Date register A := the first day of period B.
*/
CASE(PERIOD_START) {
  RA.i = RB.per.lo;
  NEXT;
}

/* Opcode: PERIOD_END A B
** Date register A := the last day of period B.
*/
CASE(PERIOD_END) {
  RA.i = RB.per.hi;
  NEXT;
}

/* Opcode: PERIOD_LEN A B
** Days register A := the number of days in period B, both ends included.
*/
CASE(PERIOD_LEN) {
  RA.i = period_length(RB.per);
  NEXT;
}

/* Opcode: WORKDAYS A B
** Int register A := the dagloondagen in period B: Monday to Friday, public
** holidays included (Dagloonbesluit art. 1 lid 2).
*/
CASE(WORKDAYS) {
  RA.i = period_workdays(RB.per);
  NEXT;
}

/* Opcode: OVERLAPS A B C
** Bool register A := periods B and C have at least one day in common.
*/
CASE(OVERLAPS) {
  RA.i = period_overlaps(RB.per, RC.per);
  NEXT;
}

/* Opcode: INTERSECT A B C
** Period register A := the days periods B and C share. Periods that share
** no day have no intersection: a run-time error (test with OVERLAPS first).
*/
CASE(INTERSECT) {
  if (!period_intersect(RB.per, RC.per, &RA.per)) DATE_FAIL("the periods do not overlap");
  NEXT;
}

/* Opcode: CONTAINS_DAY A B C
** Bool register A := date C lies within period B (ends included).
*/
CASE(CONTAINS_DAY) {
  RA.i = period_contains_day(RB.per, RC.i);
  NEXT;
}

/* Opcode: CONTAINS A B C
** Bool register A := period C lies wholly within period B.
*/
CASE(CONTAINS) {
  RA.i = period_contains(RB.per, RC.per);
  NEXT;
}

/* Opcode: EQ_PERIOD A B C
** Bool register A := periods B and C have the same first and last day.
*/
CASE(EQ_PERIOD) {
  RA.i = RB.per.lo == RC.per.lo && RB.per.hi == RC.per.hi;
  NEXT;
}

/* Opcode: LOOKUP_DATE A B C
** Register A := the value of date-series table C in force on date B. A
** date outside the table's coverage (before 'dekking vanaf', past its
** horizon 't/m'), or no row in force on that date, is a run-time error
** naming the table and date.
** A row whose status is 'unverified' is counted for the run's summary; one
** whose value is not known at all (left empty) is a run-time error.
*/
CASE(LOOKUP_DATE) {
  const Table *lt = &c->tables[i.c];
  if (table_outside(lt, RB.i)) {   /* past the horizon the last row is a guess, not a value */
    horizon_detail(vm, lt, RB.i, "has no value on");
    status = VM_NO_VALUE;
    goto vm_error;
  }
  const TableRow *row = table_row_on(lt, RB.i);
  if (!row) {
    char d[16];
    date_format(RB.i, d);
    status = VM_NO_VALUE;
    snprintf(vm->detail, sizeof vm->detail, "table '%s' has no value in force on %s", c->tables[i.c].name, d);
    goto vm_error;
  }
  if (VM_TRACING)
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_ROW, .rule = p, .pc = PC, .index = i.c,
                                       .row = (uint32_t)(row - c->tables[i.c].rows), .type = {VK_DATE, 0, 0}, .v = RB});
  if (row->status == ROW_UNVERIFIED) vm->unverified += unverified_row(vm, i.c, (uint32_t)(row - c->tables[i.c].rows));
  if (vm->cov) vm->cov->rows[i.c][row - c->tables[i.c].rows]++;
  if (row->unknown) {
    char d[16];
    date_format(RB.i, d);
    status = VM_NO_VALUE;
    snprintf(vm->detail, sizeof vm->detail, "table '%s' has no known value on %s (its row on line %u is unverified)",
             c->tables[i.c].name, d, row->line);
    goto vm_error;
  }
  RA = row->value;
  NEXT;
}

/* Opcode: REVISE A B
** Money register A := the revision at herzien call site B (c->revsites[B]:
** the registers of the amount -- decimal or money -- and of the two dates,
** the table and the rounding, all fixed where the call is written, so no
** instruction has to move them into place): the amount revised by each
** percentage p of the site's date-series table that took effect after the
** first date up to and including the second, in date order:
** x := x * (1 + p/100), rounded after every step as the site says (as
** ROUND_MONEY). This is "herzien met ingang van de dag waarop en in de mate
** waarin" (WIA art 14, DB art 23): the result is an amount paid, so each
** step is. Without any revision the amount is only rounded. A row whose
** value nobody found is a run-time error, as for LOOKUP_DATE, and so is a
** period that starts before the table's first row or its coverage, or
** ends past its horizon (revisions unknown).
** Each step is cents x (100d + n) / (100d) for p = n/d, exact, then
** rounded. A revision at the same site of the same amount from the same
** day continues from where the site's last one this dossier stopped
** (vm->revmemo): month-by-month rules then cost one step per revision,
** not per month.
*/
CASE(REVISE) {
  const RevisionSite *rs = &c->revsites[i.b];
  const Table *t = &c->tables[rs->table];
  int64_t after = base[rs->after].i, through = base[rs->through].i, spec = rs->spec;
  struct RevisionMemo *m = &vm->revmemo[i.b];
  /*
  ** Asked again for the same amount (whole cents, nothing to round first)
  ** from the same day, up to a day before the next revision: the last
  ** answer, at once (the check below passed for this `after` already).
  */
  if (!VM_TRACING && m->dossier == vm->dossier && m->after == after && through >= m->same_from &&
      through <= m->same_to && m->start == base[rs->amount].i) {
    vm->unverified += m->unverified;
    RA.i = m->result;
    NEXT;
  }
  if (through > after && table_outside(t, through) > 0) {
    /* a revision on a day past the horizon is not known: leaving it out would be a guess of 0 % */
    horizon_detail(vm, t, through, "has no revisions known up to");
    status = VM_NO_VALUE;
    goto vm_error;
  }
  if (through > after && after + 1 < t->from) {   /* revisions before the coverage are not known either */
    horizon_detail(vm, t, after + 1, "has no revisions known from");
    status = VM_NO_VALUE;
    goto vm_error;
  }
  if (through > after && (t->nrows == 0 || after + 1 < t->rows[0].key)) {
    /* revisions before the table's first row are not known, so none can be left out silently */
    char d[16];
    date_format(after + 1, d);
    status = VM_NO_VALUE;
    snprintf(vm->detail, sizeof vm->detail, "table '%s' does not reach back to %s: its revisions before its first row "
             "are not known", t->name, d);
    goto vm_error;
  }
  int64_t start;
  if (rs->money && spec / 8 == 1) start = base[rs->amount].i;   /* whole cents stay as they are */
  else if (rs->money) NUM(money_scale_round(base[rs->amount].i, 1, 1, spec / 8, (RoundMethod)(spec % 8), &start), "money");
  else NUM(dec_round_to_cents(base[rs->amount].dec, spec / 8, (RoundMethod)(spec % 8), &start), "money");
  /* continue this site's earlier revision of the same amount from the same day, if it got this far */
  int64_t cents = start;
  uint32_t j = 0;
  uint64_t unverified = 0;
  size_t traced = SIZE_MAX;   /* a traced revision shows every step, so it never continues from the memo */
  if (VM_TRACING) {
    traced = vm->trace->n;
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_REVISE, .rule = p, .pc = PC, .index = rs->table, .after = after,
                                       .through = through, .type = {VK_MONEY, 0, 0}, .v.i = start, .w.i = start});
  }
  if (!VM_TRACING && m->dossier == vm->dossier && m->start == start && m->after == after && m->through <= through) {
    if (m->next >= t->nrows || t->rows[m->next].key > through) {   /* no revision since: the same answer */
      vm->unverified += m->unverified;
      RA.i = m->result;
      NEXT;
    }
    cents = m->result;
    j = m->next;
    unverified = m->unverified;
  } else {
    while (j < t->nrows && t->rows[j].key <= after) j++;
  }
  for (; j < t->nrows && t->rows[j].key <= through; j++) {
    const TableRow *row = &t->rows[j];
    if (row->status == ROW_UNVERIFIED) unverified += unverified_row(vm, rs->table, j);   /* memos are per dossier */
    if (vm->cov) vm->cov->rows[rs->table][j]++;
    if (row->unknown) {
      char d[16];
      date_format(row->key, d);
      status = VM_NO_VALUE;
      snprintf(vm->detail, sizeof vm->detail, "table '%s' has no known percentage on %s (its row on line %u is unverified)",
               t->name, d, row->line);
      goto vm_error;
    }
    /* x (1 + p/100) with p = n/d is x (100d + n) / (100d): exact, then rounded */
    Dec pct = row->value.dec;
    int64_t fnum, fden;
    if (__builtin_mul_overflow(pct.den, (int64_t)100, &fden) || __builtin_add_overflow(fden, pct.num, &fnum))
      NUM(NUM_OVERFLOW, "decimal");
    int64_t before = cents;
    NUM(money_scale_round(cents, fnum, fden, spec / 8, (RoundMethod)(spec % 8), &cents), "money");
    if (VM_TRACING)
      trace_add(vm->trace, &(TraceEvent){.kind = TRACE_STEP, .rule = p, .pc = PC, .index = rs->table, .row = j,
                                         .type = {VK_MONEY, 0, 0}, .v.i = before, .w.i = cents});
  }
  if (VM_TRACING && traced < vm->trace->n) vm->trace->ev[traced].w.i = cents;
  vm->unverified += unverified;
  /* the same answer holds up to the next row, if whole cents go in and the check above passed for this `after` */
  bool reuse = rs->money && spec / 8 == 1 && through > after;
  *m = (struct RevisionMemo){vm->dossier, start, after, through, cents, j, unverified, reuse ? through : 1,
                             !reuse ? 0 : j < t->nrows && t->rows[j].key - 1 < t->to ? t->rows[j].key - 1 : t->to};
  RA.i = cents;
  NEXT;
}

/* Opcode: LOOKUP_KEY A B C
** Register A := the value of keyed table C for key B (an integer, keuze
** ordinal or date). A missing key is a run-time error naming the table.
** A row whose status is 'unverified' is counted for the run's summary; one
** whose value is not known at all (left empty) is a run-time error.
*/
CASE(LOOKUP_KEY) {
  const TableRow *row = table_row_for(&c->tables[i.c], RB.i);
  if (!row) {
    status = VM_NO_VALUE;
    snprintf(vm->detail, sizeof vm->detail, "table '%s' has no row for key %" PRId64, c->tables[i.c].name, RB.i);
    goto vm_error;
  }
  if (VM_TRACING)
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_ROW, .rule = p, .pc = PC, .index = i.c,
                                       .row = (uint32_t)(row - c->tables[i.c].rows), .type = c->tables[i.c].keytype,
                                       .v = RB});
  if (row->status == ROW_UNVERIFIED) vm->unverified += unverified_row(vm, i.c, (uint32_t)(row - c->tables[i.c].rows));
  if (vm->cov) vm->cov->rows[i.c][row - c->tables[i.c].rows]++;
  if (row->unknown) {
    status = VM_NO_VALUE;
    snprintf(vm->detail, sizeof vm->detail, "table '%s' has no known value for key %" PRId64
             " (its row on line %u is unverified)", c->tables[i.c].name, RB.i, row->line);
    goto vm_error;
  }
  RA = row->value;
  NEXT;
}

    default:
      status = VM_BAD_CODE;
      snprintf(vm->detail, sizeof vm->detail, "bad instruction (opcode %u)", i.op);
      goto vm_error;
    }
  }

step_limit:
  if (vm->interrupted) {
    status = VM_INTERRUPTED;
    snprintf(vm->detail, sizeof vm->detail, "interrupted by the caller (a cancel or a time limit)");
    goto vm_error;
  }
  status = VM_LIMIT;
  snprintf(vm->detail, sizeof vm->detail,
           "stopped after %" PRIu64 " steps (passes of a loop and calls of rules with parameters): a runaway "
           "computation, or one that needs a higher limit (--max-steps)", vm->step_limit);
  goto vm_error;

memory_limit:
  status = VM_LIMIT;
  {
    size_t lim = vm->memory_limit;
    bool mib = lim % ((size_t)1 << 20) == 0;
    snprintf(vm->detail, sizeof vm->detail,
             "the lists this dossier builds would pass %zu %s: a runaway computation, or one that needs a "
             "higher limit (--max-memory)", mib ? lim >> 20 : lim, mib ? "MiB" : "bytes");
  }
  goto vm_error;

num_error:
  status = nerr == NUM_DIV_ZERO ? VM_DIV_ZERO : VM_OVERFLOW;
  if (status == VM_DIV_ZERO) snprintf(vm->detail, sizeof vm->detail, "division by zero");
  else snprintf(vm->detail, sizeof vm->detail, "%s overflow", nwhat);
  /* fall through */

vm_error: {
  /* The single error exit: where, what, and which rule, for the caller. */
  VmError *e = vm->err;
  uint32_t pc = (uint32_t)(ip - code - 1);
  e->status = status;
  e->proto = p;
  e->pc = pc;
  if (proto->spans) e->span = proto->spans[pc];
  else memset(&e->span, 0, sizeof e->span);
  snprintf(e->msg, sizeof e->msg, "%s in rule '%s'", vm->detail, proto->name);
  return status;
}
}

