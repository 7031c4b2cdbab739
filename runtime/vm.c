/*
** vm.c: the virtual machine: its state, the interpreter loop (vm_exec.h,
** compiled twice: as it runs every dossier and with the trace hooks of
** dagloon explain), and the entry points. Program construction is in
** lang/compile.c; the opcode list (operand kinds, synopses) is in
** opcodes.def, and each opcode's full description sits above its `CASE` in
** vm_exec.h ("Opcode: NAME", checked by tools/check_opdocs.sh).
*/
#include "vm.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "divisor.h"
#include "num.h"
#include "period.h"
#include "recio.h"
#include "rowset.h"
#include "table.h"
#include "trace.h"
#include "native_abi.h"

#define VM_MAX_DEPTH 200

/* Per-rule memo state for the current dossier. */
enum { RULE_NEW = 0, RULE_BUSY, RULE_DONE };

struct Vm {
  const Chunk *c;
  Value *stack;       /* register frames; acyclic rules bound it by the sum of nregs */
  Value *memo;        /* memo[p]: value of rule p once state[p] == RULE_DONE */
  uint8_t *state;     /* RULE_NEW / RULE_BUSY / RULE_DONE per rule */
  /*
  ** Facts as known on a date (AS_KNOWN ... AS_KNOWN_END): memo and state point to the second pair
  ** while inside, so a rule evaluated with the facts of then never gives its value to now (or back).
  ** That pair holds the values for the day `then_on` (of this dossier while `then_valid`); another
  ** day starts it afresh.
  */
  Value *memo_now, *memo_then;
  uint8_t *state_now, *state_then;
  bool as_known;        /* inside AS_KNOWN: KNOWN filters by `known_on` */
  bool then_valid;
  int64_t known_on, then_on;
  /* KNOWN's answers, per dossier: a list read again in a loop is filtered once */
  struct KnownMemo {
    uint64_t dossier;
    const List *src;
    int64_t on;
    List *out;
  } known_memo[8];
  uint32_t depth;     /* rule frames active */
  Record *input;      /* the dossier being evaluated */
  Arena *arena;       /* where the dossier's values go (for opcodes that allocate) */
  VmError *err;
  char detail[224];   /* what went wrong, before " in rule 'x'" is added */
  uint64_t unverified;  /* lookups that landed on an 'unverified' table row, this dossier */
  RowSet *marks;        /* which rows those were (vm_mark_unverified), or NULL: then nothing is recorded */
  Coverage *cov;        /* counters for test suites, or NULL */
  Trace *trace;         /* events of the dossier (dagloon explain), or NULL: then execute, not execute_traced, runs */
  uint64_t step_limit;  /* jumps back and calls a dossier may take (vm_set_limits) */
  uint64_t steps_left;  /* of this dossier's current slice (all of its steps without an interrupt check) */
  uint64_t steps_rest;  /* of this dossier beyond the current slice */
  int (*interrupt)(void *);   /* vm_set_interrupt, or NULL */
  void *interrupt_arg;
  bool interrupted;     /* the last slice ended because the check said stop */
  size_t memory_limit;  /* bytes the rules may allocate for one dossier (vm_set_limits) */
  size_t arena_base;    /* arena->total when the dossier began: a batch arena holds many dossiers */
  Divisor round_den;    /* MUL_ROUND_MONEY's last denominator and its reciprocal */
  /*
  ** REVISE continues where the same call site's last revision stopped:
  ** rules that revise a dagloon month by month ask one site for (amount,
  ** after, through) with a growing `through`. One entry per call site
  ** (chunk revsites), valid while its `dossier` is this dossier's number.
  */
  struct RevisionMemo {
    uint64_t dossier;             /* vm->dossier when written */
    int64_t start, after;         /* the question: amount in cents, first day excluded */
    int64_t through, result;      /* the answer so far: revised through this day */
    uint32_t next;                /* the first row after `through` */
    uint64_t unverified;          /* unverified rows among those applied */
    int64_t same_from, same_to;   /* any `through` in here gives `result` at once (empty when unsure) */
  } *revmemo;
  uint64_t dossier;               /* counts the dossiers begun, from 1 */
  /* A native bundle's code (chunk->native), run instead of execute when no trace is asked for. */
  const NativeModule *native;
  NativeCtx nctx;
  uint64_t *cov_rules;            /* cov->rules, or NULL: what the native code counts at a rule's end */
};

_Static_assert(sizeof(NativeValue) == sizeof(Value) && offsetof(NativeValue, dec.den) == offsetof(Value, dec.den) &&
               offsetof(NativeValue, per.hi) == offsetof(Value, per.hi), "NativeValue is a Value");
_Static_assert(sizeof(NativeRecord) == sizeof(Record) && offsetof(NativeRecord, fields) == offsetof(Record, fields),
               "NativeRecord is a Record");
_Static_assert(sizeof(NativeList) == sizeof(List) && offsetof(NativeList, items) == offsetof(List, items),
               "NativeList is a List");
#define SAME_FIELD(f) (offsetof(NativeRevMemo, f) == offsetof(struct RevisionMemo, f))
_Static_assert(sizeof(NativeRevMemo) == sizeof(struct RevisionMemo) && SAME_FIELD(dossier) && SAME_FIELD(start) &&
               SAME_FIELD(after) && SAME_FIELD(through) && SAME_FIELD(result) && SAME_FIELD(next) &&
               SAME_FIELD(unverified) && SAME_FIELD(same_from) && SAME_FIELD(same_to),
               "NativeRevMemo is the VM's RevisionMemo");
#undef SAME_FIELD
_Static_assert(RULE_NEW == NATIVE_RULE_NEW && RULE_BUSY == NATIVE_RULE_BUSY && RULE_DONE == NATIVE_RULE_DONE &&
               VM_MAX_DEPTH == NATIVE_MAX_DEPTH, "the native code keeps the VM's rule states");
static int native_step(void *vm, uint32_t p, NativeValue *base, uint32_t pc, uint32_t *next);

Vm *vm_new(const Chunk *c) {
  Vm *vm = xcalloc(1, sizeof *vm);
  size_t nstack = 0;
  for (uint32_t i = 0; i < c->nprotos; i++) nstack += c->protos[i].nregs;
  vm->c = c;
  vm->stack = xcalloc(nstack ? nstack : 1, sizeof *vm->stack);
  vm->memo = vm->memo_now = xcalloc(c->nprotos ? c->nprotos : 1, sizeof *vm->memo);
  vm->state = vm->state_now = xcalloc(c->nprotos ? c->nprotos : 1, 1);
  vm->memo_then = xcalloc(c->nprotos ? c->nprotos : 1, sizeof *vm->memo);
  vm->state_then = xcalloc(c->nprotos ? c->nprotos : 1, 1);
  vm->revmemo = xcalloc(c->nrevsites ? c->nrevsites : 1, sizeof *vm->revmemo);
  vm->step_limit = VM_DEFAULT_STEPS;
  vm->memory_limit = VM_DEFAULT_MEMORY;
  if (c->native) {
    vm->native = c->native;
    vm->nctx = (NativeCtx){vm, native_step, (NativeValue **)&vm->memo, &vm->state, &vm->depth, &vm->steps_left,
                           (NativeRecord **)&vm->input, &vm->cov_rules, (const NativeRevMemo *)vm->revmemo,
                           &vm->dossier, &vm->unverified};
  }
  return vm;
}

void vm_free(Vm *vm) {
  if (!vm) return;
  xfree(vm->stack);
  xfree(vm->memo_now);
  xfree(vm->state_now);
  xfree(vm->memo_then);
  xfree(vm->state_then);
  xfree(vm->revmemo);
  rowset_free(vm->marks);
  xfree(vm);
}

const char *vm_status_text(VmStatus s) {
  switch (s) {
  case VM_OK: return "ok";
  case VM_OVERFLOW: return "overflow";
  case VM_DIV_ZERO: return "division by zero";
  case VM_INDEX: return "list index out of range";
  case VM_CYCLE: return "rule depends on itself";
  case VM_DEPTH: return "rules nested too deeply";
  case VM_LIMIT: return "step or memory limit reached";
  case VM_NO_VALUE: return "no value";
  case VM_DATE: return "date out of range";
  case VM_BAD_CODE: return "bad instruction";
  case VM_NATIVE: return "native function error";
  case VM_INTERRUPTED: return "interrupted";
  }
  return "unknown status";
}

/*
** The message for a date outside table t's coverage: the table, the date and
** the coverage it missed, so a reader knows which 'dekking' to extend.
*/
static void horizon_detail(Vm *vm, const Table *t, int64_t day, const char *what) {
  char d[16], e[16];
  date_format(day, d);
  date_format(day < t->from ? t->from : t->to, e);
  if (day < t->from)
    snprintf(vm->detail, sizeof vm->detail, "table '%s' %s %s: it covers only from %s ('dekking vanaf')", t->name,
             what, d, e);
  else
    snprintf(vm->detail, sizeof vm->detail, "table '%s' %s %s: past its horizon %s ('dekking t/m')", t->name, what,
             d, e);
}

/* ---- trace helpers (used by execute_traced only) ---- */

/* A rounding of an exact value x by spec (unit * 8 + method); its result follows with trace_rounded. */
static void trace_round(Vm *vm, uint32_t p, uint32_t pc, Dec x, int64_t spec, bool places) {
  trace_add(vm->trace, &(TraceEvent){.kind = TRACE_ROUND, .method = (uint8_t)(spec % 8), .places = places, .rule = p,
                                     .pc = pc, .unit = spec / 8, .type = {VK_DEC, 0, 0}, .v.dec = x});
}

/* MUL_ROUND_MONEY: cents x f rounded to a cent; the exact product as a getal when it fits (else 0/1 and unit 0). */
static void trace_round_product(Vm *vm, uint32_t p, uint32_t pc, int64_t cents, Dec f, uint8_t method) {
  Dec euros, x = {0, 1};
  bool ok = dec_from_cents(cents, &euros) == NUM_OK && dec_mul(euros, f, &x) == NUM_OK;
  trace_add(vm->trace, &(TraceEvent){.kind = TRACE_ROUND, .method = method, .rule = p, .pc = pc, .unit = ok ? 1 : 0,
                                     .type = {VK_DEC, 0, 0}, .v.dec = x});
}

/* The result of the rounding just traced. */
static void trace_rounded(Vm *vm, Value w) {
  Trace *t = vm->trace;
  if (t->n && t->ev[t->n - 1].kind == TRACE_ROUND) t->ev[t->n - 1].w = w;
}

/*
** A lookup or revision landed on an 'unverified' row: named when asked
** (vm_mark_unverified); returns 1, to be counted. Out of line and cold, so
** the interpreter's common path keeps only the test of the row's status.
*/
__attribute__((noinline, cold)) static uint64_t unverified_row(Vm *vm, uint32_t table, uint32_t row) {
  if (vm->marks) rowset_add(vm->marks, table, row);
  return 1;
}

/*
** KNOWN: the lines of `src` as known on vm->known_on (inside AS_KNOWN; else now: every line is
** known): a line known after that day is left out, and so is a line that a line known by then
** replaces. `spec` holds the record's fields: 1 + the knowledge date's, 1 + the key's << 16,
** 1 + the replaces field's << 32. Each may be optioneel (a record its dossiers already fill can
** gain them): a line must give its day only when a view asks for it, its key only to be
** replaced. A replaced key that no line has, a key two lines have, or a line replaced twice by
** then, is an error for the dossier (the facts contradict each other; nothing is guessed). The
** list itself when nothing is left out. With a trace, every line left out is an event
** (TRACE_LEFT_OUT).
*/
static bool same_key(TypeRef t, Value a, Value b) {
  if (t.kind == VK_TEXT) return a.text->len == b.text->len && memcmp(a.text->bytes, b.text->bytes, a.text->len) == 0;
  return a.i == b.i;
}

/* Field f of a line, when it gives it (an optioneel field: a list of zero or one values). */
static bool line_field(const FieldDesc *fd, const Record *r, int f, Value *out) {
  if (!fd->optional) {
    *out = r->fields[f];
    return true;
  }
  const List *l = r->fields[f].list;
  if (!l || l->n == 0) return false;
  *out = l->items[0];
  return true;
}

/* A line's key and where it is, ordered by key (texts bytewise, shorter first on a tie), then line. */
typedef struct KeyRef {
  Value key;
  uint32_t line;
  uint8_t text;
} KeyRef;

static int key_order(const KeyRef *x, const KeyRef *y) {
  if (!x->text) return (x->key.i > y->key.i) - (x->key.i < y->key.i);
  uint32_t a = x->key.text->len, b = y->key.text->len;
  int c = memcmp(x->key.text->bytes, y->key.text->bytes, a < b ? a : b);
  return c ? c : (a > b) - (a < b);
}

static int keyref_cmp(const void *pa, const void *pb) {
  const KeyRef *x = pa, *y = pb;
  int c = key_order(x, y);
  return c ? c : (x->line > y->line) - (x->line < y->line);
}

static VmStatus known_lines(Vm *vm, const List *src, int64_t spec, List **out, uint32_t p, uint32_t pc) {
  int64_t on = vm->as_known ? vm->known_on : INT64_MAX;
  uint32_t n = src->n;
  bool traced = vm->trace != NULL;
  struct KnownMemo *m = &vm->known_memo[((uintptr_t)src >> 4) % 8];
  if (!traced && m->dossier == vm->dossier && m->src == src && m->on == on) {
    *out = m->out;
    return VM_OK;
  }
  int df = (int)(spec & 0xFFFF) - 1, kf = (int)((spec >> 16) & 0xFFFF) - 1, rf = (int)((spec >> 32) & 0xFFFF) - 1;
  const RecordType *rt = &vm->c->schema.records[src->elem.ref];
  size_t need = (size_t)n * (sizeof(int64_t) + sizeof(uint32_t) + 1 + sizeof(KeyRef)) + sizeof(List) + (size_t)n * sizeof(Value) + 64;
  if (vm->arena->total - vm->arena_base + need > vm->memory_limit) {
    snprintf(vm->detail, sizeof vm->detail, "the dossier needs more memory than allowed (--max-memory)");
    return VM_LIMIT;
  }
  uint8_t *keep = arena_alloc(vm->arena, n ? n : 1);
  uint32_t *by = arena_alloc(vm->arena, (n ? n : 1) * sizeof *by);   /* 1 + the line that replaces it, or 0 */
  int64_t *known = arena_alloc(vm->arena, (n ? n : 1) * sizeof *known);   /* INT64_MIN: not given */
  char d[16], k1[64];
  for (uint32_t i = 0; i < n; i++) {
    Value v;
    known[i] = line_field(&rt->fields[df], src->items[i].rec, df, &v) ? v.i : INT64_MIN;
    if (known[i] == INT64_MIN && vm->as_known) {
      date_format(on, d);
      snprintf(vm->detail, sizeof vm->detail, "line %u of a list of %s does not give '%s': whether it was known on %s is not known",
               i + 1, rt->name, rt->fields[df].name, d);
      return VM_NO_VALUE;
    }
    keep[i] = known[i] <= on;
    by[i] = 0;
  }
  if (kf >= 0 && rf >= 0) {
    /* the lines that give a key, sorted by key (then line): a key twice is two neighbours, a replaced
       key is found by halving -- n log n, so a dossier of many lines cannot make this quadratic */
    const FieldDesc *kd = &rt->fields[kf];
    TypeRef kt = kd->optional ? (TypeRef){kd->type.elem, 0, kd->type.ref} : kd->type;
    KeyRef *keys = arena_alloc(vm->arena, (n ? n : 1) * sizeof *keys);
    uint32_t nk = 0;
    for (uint32_t i = 0; i < n; i++)
      if (line_field(kd, src->items[i].rec, kf, &keys[nk].key)) {
        keys[nk].line = i;
        keys[nk++].text = kt.kind == VK_TEXT;
      }
    qsort(keys, nk, sizeof *keys, keyref_cmp);
    for (uint32_t k = 0; k + 1 < nk; k++)
      if (same_key(kt, keys[k].key, keys[k + 1].key)) {
        value_format(&vm->c->schema, kt, keys[k].key, k1, sizeof k1);
        snprintf(vm->detail, sizeof vm->detail, "lines %u and %u of a list of %s have the same key '%s' (%s): a key names one line",
                 keys[k].line + 1, keys[k + 1].line + 1, rt->name, k1, kd->name);
        return VM_NO_VALUE;
      }
    for (uint32_t i = 0; i < n; i++) {
      KeyRef want = {.line = 0, .text = kt.kind == VK_TEXT};
      if (!keep[i] || !line_field(&rt->fields[rf], src->items[i].rec, rf, &want.key)) continue;   /* not known yet, or replaces none */
      uint32_t lo = 0, hi = nk;   /* the first key not below `want` */
      while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (key_order(&keys[mid], &want) < 0) lo = mid + 1;
        else hi = mid;
      }
      uint32_t j = lo < nk && same_key(kt, keys[lo].key, want.key) ? keys[lo].line : n;
      value_format(&vm->c->schema, kt, want.key, k1, sizeof k1);
      if (j == n || j == i) {
        snprintf(vm->detail, sizeof vm->detail, "line %u of a list of %s replaces '%s', which %s", i + 1, rt->name, k1,
                 j == i ? "is its own key" : "no line of the list has");
        return VM_NO_VALUE;
      }
      if (by[j]) {
        char on_day[48] = "";
        if (vm->as_known) {
          date_format(on, d);
          snprintf(on_day, sizeof on_day, " known on %s", d);
        }
        snprintf(vm->detail, sizeof vm->detail, "line %u of a list of %s ('%s') is replaced by two lines%s, %u and %u",
                 j + 1, rt->name, k1, on_day, by[j], i + 1);
        return VM_NO_VALUE;
      }
      by[j] = i + 1;
    }
    for (uint32_t j = 0; j < n; j++)
      if (by[j]) keep[j] = 0;
  }
  uint32_t kept = 0;
  for (uint32_t i = 0; i < n; i++) kept += keep[i];
  List *l = (List *)src;
  if (kept < n) {
    l = arena_alloc(vm->arena, sizeof *l);
    l->n = kept;
    l->elem = src->elem;
    l->items = arena_alloc(vm->arena, (kept ? kept : 1) * sizeof *l->items);
    for (uint32_t i = 0, k = 0; i < n; i++)
      if (keep[i]) l->items[k++] = src->items[i];
  }
  for (uint32_t i = 0; traced && i < n; i++) {
    if (keep[i]) continue;
    bool later = known[i] > on;
    trace_add(vm->trace, &(TraceEvent){.kind = TRACE_LEFT_OUT, .rule = p, .pc = pc, .index = i,
                                       .row = later ? 0 : by[i], .after = known[i], .through = on,
                                       .unit = later ? 0 : known[by[i] - 1], .type = src->elem, .v = src->items[i]});
  }
  *m = (struct KnownMemo){vm->dossier, src, on, l};
  *out = l;
  return VM_OK;
}

/* The steps of a slice: all of them without an interrupt check, else at most VM_INTERRUPT_SLICE. */
static void next_slice(Vm *vm, uint64_t total) {
  vm->steps_left = vm->interrupt && total > VM_INTERRUPT_SLICE ? VM_INTERRUPT_SLICE : total;
  vm->steps_rest = total - vm->steps_left;
}

/*
** The current slice of steps is used up: true with a new one when the dossier has steps left
** and the interrupt check (if any) lets it go on; false otherwise (vm->interrupted says which).
** Only reached once per slice, so the loop's step count stays one decrement and one test.
*/
static bool more_steps(Vm *vm) {
  if (vm->steps_rest == 0) return false;
  if (vm->interrupt && vm->interrupt(vm->interrupt_arg)) {
    vm->interrupted = true;
    return false;
  }
  next_slice(vm, vm->steps_rest);
  return true;
}

/* Rule r as a native bundle's code (RULE and CALL in native_step_vm). */
static VmStatus native_enter(Vm *vm, uint32_t r, Value *base) {
  return (VmStatus)vm->native->entries[r](&vm->nctx, (NativeValue *)base);
}

/* The interpreter loop, twice: without and with the trace hooks; and once as one step for native code. */
#define VM_ONE_STEP 0
#define VM_EXECUTE execute
#define VM_TRACING 0
#include "vm_exec.h"
#undef VM_EXECUTE
#undef VM_TRACING
#define VM_EXECUTE execute_traced
#define VM_TRACING 1
#include "vm_exec.h"
#undef VM_EXECUTE
#undef VM_TRACING
#undef VM_ONE_STEP
#define VM_ONE_STEP 1
#define VM_EXECUTE native_step_vm
#define VM_TRACING 0
#include "vm_exec.h"
#undef VM_EXECUTE
#undef VM_TRACING
#undef VM_ONE_STEP

static int native_step(void *vm, uint32_t p, NativeValue *base, uint32_t pc, uint32_t *next) {
  return (int)native_step_vm(vm, p, (Value *)base, pc, next);
}

/* Rule `rule` by the VM, or by the native code when the chunk has it and no trace is asked for. */
static VmStatus run_rule(Vm *vm, uint32_t rule, Value *base) {
  if (vm->trace) return execute_traced(vm, rule, base);
  if (vm->native) return native_enter(vm, rule, base);
  return execute(vm, rule, base);
}

/* ---- entry points ---- */

uint64_t vm_unverified_lookups(const Vm *vm) { return vm->unverified; }

void vm_mark_unverified(Vm *vm, bool on) {
  if (on && !vm->marks) vm->marks = rowset_new(vm->c);
  if (!on) {
    rowset_free(vm->marks);
    vm->marks = NULL;
  }
}

const RowRef *vm_unverified_rows(const Vm *vm, uint32_t *n) {
  *n = 0;
  return vm->marks ? rowset_rows(vm->marks, n) : NULL;
}

bool vm_rule_value(const Vm *vm, uint32_t r, Value *out) {
  if (r >= vm->c->nprotos || vm->state_now[r] != RULE_DONE) return false;
  *out = vm->memo_now[r];
  return true;
}

Coverage *coverage_new(const Chunk *c) {
  Coverage *cov = xcalloc(1, sizeof *cov);
  cov->points = xcalloc(c->ncovers ? c->ncovers : 1, sizeof *cov->points);
  cov->rules = xcalloc(c->nprotos ? c->nprotos : 1, sizeof *cov->rules);
  cov->rows = xcalloc(c->ntables ? c->ntables : 1, sizeof *cov->rows);
  for (uint32_t t = 0; t < c->ntables; t++)
    cov->rows[t] = xcalloc(c->tables[t].nrows ? c->tables[t].nrows : 1, sizeof **cov->rows);
  return cov;
}

void coverage_free(const Chunk *c, Coverage *cov) {
  if (!cov) return;
  for (uint32_t t = 0; t < c->ntables; t++) xfree(cov->rows[t]);
  xfree(cov->rows);
  xfree(cov->rules);
  xfree(cov->points);
  xfree(cov);
}

void vm_set_coverage(Vm *vm, Coverage *cov) {
  vm->cov = cov;
  vm->cov_rules = cov ? cov->rules : NULL;
}

void vm_set_trace(Vm *vm, Trace *t) { vm->trace = t; }

void vm_set_limits(Vm *vm, VmLimits limits) {
  vm->step_limit = limits.steps ? limits.steps : VM_DEFAULT_STEPS;
  vm->memory_limit = limits.memory ? limits.memory : VM_DEFAULT_MEMORY;
}

void vm_set_interrupt(Vm *vm, int (*check)(void *), void *arg) {
  vm->interrupt = check;
  vm->interrupt_arg = arg;
}

/* Starts a new dossier: forget every memoised rule value. */
static void begin(Vm *vm, Record *input, Arena *arena, VmError *err) {
  vm->memo = vm->memo_now;
  vm->state = vm->state_now;
  vm->as_known = vm->then_valid = false;
  if (vm->c->nprotos) memset(vm->state, RULE_NEW, vm->c->nprotos);
  vm->dossier++;   /* invalidates every revision memo entry */
  next_slice(vm, vm->step_limit);
  vm->interrupted = false;
  vm->depth = 0;
  vm->unverified = 0;
  if (vm->marks) rowset_clear(vm->marks);
  vm->input = input;
  vm->arena = arena;
  vm->arena_base = arena ? arena->total : 0;
  vm->err = err;
}

static VmStatus eval_rule(Vm *vm, uint32_t rule, Value *out) {
  if (vm->state[rule] != RULE_DONE) {
    VmStatus st = run_rule(vm, rule, vm->stack);
    if (st != VM_OK) return st;
  }
  *out = vm->memo[rule];
  return VM_OK;
}

VmStatus vm_run(Vm *vm, Record *input, Arena *arena, Value *out, VmError *err) {
  VmError scratch;
  const Chunk *c = vm->c;
  begin(vm, input, arena, err ? err : &scratch);
  for (uint32_t o = 0; o < c->noutputs; o++) {
    const OutputDesc *d = &c->outputs[o];
    if (d->from == OUT_INPUT) {
      out[o] = input->fields[d->index];
      continue;
    }
    VmStatus st = eval_rule(vm, d->index, &out[o]);
    if (st != VM_OK) return st;
  }
  return VM_OK;
}

/*
** Evaluates one rule for `input` as a fresh dossier (the memo is reset, as
** by vm_run, so a reused Record or arena can never see stale values); rules
** it needs are still evaluated once each.
*/
VmStatus vm_eval_rule(Vm *vm, Record *input, Arena *arena, uint32_t rule, Value *out, VmError *err) {
  VmError scratch;
  begin(vm, input, arena, err ? err : &scratch);
  return eval_rule(vm, rule, out);
}

VmStatus vm_call_rule(Vm *vm, Record *input, Arena *arena, uint32_t rule, const Value *args, Value *out, VmError *err) {
  VmError scratch;
  begin(vm, input, arena, err ? err : &scratch);
  const Proto *q = &vm->c->protos[rule];
  for (uint16_t j = 0; j < q->nparams; j++) vm->stack[j] = args[j];   /* parameters arrive in the first registers */
  VmStatus st = run_rule(vm, rule, vm->stack);
  if (st != VM_OK) return st;
  *out = vm->memo[rule];   /* left RULE_DONE, so vm_rule_value can show this call's value until the next begin() */
  return VM_OK;
}
