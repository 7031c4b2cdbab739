/*
** vm.h: the public interface of the virtual machine.
**
** A Vm evaluates the output columns of a verified Chunk for one dossier at a
** time. Rules are evaluated on demand and at most once per dossier
** (memoised). Everything a dossier allocates comes from the caller's arena.
*/
#ifndef DAGLOON_VM_H
#define DAGLOON_VM_H

#include <stdbool.h>
#include <stdint.h>
#include "chunk.h"
#include "mem.h"
#include "rowset.h"
#include "value.h"

typedef enum VmStatus {
  VM_OK = 0,
  VM_OVERFLOW,        /* integer, money or decimal result does not fit */
  VM_DIV_ZERO,        /* division by zero */
  VM_INDEX,           /* list index out of range */
  VM_CYCLE,           /* a rule needs its own value */
  VM_DEPTH,           /* rules nested deeper than the limit */
  VM_NO_VALUE,        /* a rule or table has no value for this dossier, e.g. min of an empty list */
  VM_DATE,            /* a date leaves the calendar (1900..2200), or a period operation has no answer */
  VM_BAD_CODE,        /* an instruction the verifier should have refused */
  VM_LIMIT,           /* the dossier took more steps or memory than allowed (vm_set_limits): a runaway rule */
  VM_NATIVE,          /* a native function refused the dossier, or returned what is not a value of its type */
  VM_INTERRUPTED      /* the interrupt check (vm_set_interrupt) asked the evaluation to stop */
} VmStatus;

typedef struct VmError {
  VmStatus status;
  uint32_t proto;     /* the rule being evaluated */
  uint32_t pc;        /* the instruction */
  Span span;          /* its source */
  char msg[256];      /* e.g. "money overflow in 'totaal' (a + b)" -- complete sentence fragment, lower-case */
} VmError;

typedef struct Vm Vm;

Vm *vm_new(const Chunk *c);             /* the chunk must have passed verify_chunk */
void vm_free(Vm *vm);

/*
** Evaluate every output column of c->outputs for `input` (a record of the
** schema's input type) into out[0..noutputs). Returns VM_OK, or an error
** status with *err filled in; then out is unspecified.
*/
VmStatus vm_run(Vm *vm, Record *input, Arena *arena, Value *out, VmError *err);

/* Evaluate one rule by index (for tests and explanations). */
VmStatus vm_eval_rule(Vm *vm, Record *input, Arena *arena, uint32_t rule, Value *out, VmError *err);

/*
** Apply a rule with parameters to args[0..nparams) (of the types of its
** first registers, as CALL passes them), for tests and explanations.
*/
VmStatus vm_call_rule(Vm *vm, Record *input, Arena *arena, uint32_t rule, const Value *args, Value *out, VmError *err);

const char *vm_status_text(VmStatus s);  /* "overflow", "division by zero", ... */

/* Lookups of the last vm_run/vm_eval_rule that landed on an 'unverified' table row. */
uint64_t vm_unverified_lookups(const Vm *vm);

/*
** Which 'unverified' rows those lookups landed on (run --mark-unverified):
** while on, the VM records each row once per dossier. Off (the default),
** nothing is recorded and vm_unverified_rows gives none. The rows are
** ordered by table name, then key; valid until the next dossier.
*/
void vm_mark_unverified(Vm *vm, bool on);
const RowRef *vm_unverified_rows(const Vm *vm, uint32_t *n);

/*
** After vm_run/vm_eval_rule: whether rule r (one without parameters) was
** evaluated for this dossier, and its value. For explaining a result.
*/
bool vm_rule_value(const Vm *vm, uint32_t r, Value *out);

/*
** Coverage counters, for test suites. While set, the VM counts every
** coverage point reached (COVER), every table row looked up, and every rule
** evaluated. The caller owns the counters; NULL switches counting off (the
** default, which costs nothing but a pointer test where they are counted).
*/
typedef struct Coverage {
  uint64_t *points;     /* [chunk->ncovers] */
  uint64_t *rules;      /* [chunk->nprotos] */
  uint64_t **rows;      /* [chunk->ntables][table nrows] */
} Coverage;

Coverage *coverage_new(const Chunk *c);
void coverage_free(const Chunk *c, Coverage *cov);
void vm_set_coverage(Vm *vm, Coverage *cov);

/*
** Tracing, for explanations: while set, every vm_run/vm_eval_rule/
** vm_call_rule appends the dossier's events to t (see trace.h; clear it
** between dossiers). NULL (the default) runs the interpreter that has no
** trace hooks at all.
*/
typedef struct Trace Trace;
void vm_set_trace(Vm *vm, Trace *t);

/*
** The work one dossier may take: `steps` counts every jump back (each pass of
** a loop) and every call of a rule with parameters -- what can repeat; a
** dossier that needs more stops with VM_LIMIT, a clear error row, instead of
** running for ever. 0: the default, VM_DEFAULT_STEPS. `memory` bounds the
** bytes the rules build for one dossier (lists of months or tijdvakken; the
** record read from the input is bounded by the reader): past it, VM_LIMIT
** too. 0: VM_DEFAULT_MEMORY. (Nesting is bounded apart: rules nested deeper
** than 200 are VM_DEPTH.)
*/
#define VM_DEFAULT_STEPS 100000000ULL
#define VM_DEFAULT_MEMORY ((size_t)256 << 20)
typedef struct VmLimits {
  uint64_t steps;     /* 0: VM_DEFAULT_STEPS */
  size_t memory;      /* bytes; 0: VM_DEFAULT_MEMORY */
} VmLimits;
void vm_set_limits(Vm *vm, VmLimits limits);

/*
** A check the VM makes every VM_INTERRUPT_SLICE steps of a dossier (the steps of
** vm_set_limits): when it returns non-zero the evaluation stops with VM_INTERRUPTED. For a host
** that must be able to cancel a long evaluation (a database's statement timeout): the check
** only tests a flag and returns, the VM returns normally, and the host acts on the flag
** afterwards. NULL (the default) checks nothing; the step count costs the same either way.
*/
#define VM_INTERRUPT_SLICE 65536u
void vm_set_interrupt(Vm *vm, int (*check)(void *), void *arg);

#endif
