/*
** fuzz_common.c: see fuzz.h.
*/
#include "tests/fuzz/fuzz.h"

#include <string.h>
#include "runtime/vm.h"

/* An empty record of type `type` (a record inside it as well, to a few levels). */
static Record *empty_record(const Chunk *c, Arena *a, uint32_t type, int depth) {
  const RecordType *rt = &c->schema.records[type];
  Record *r = arena_alloc(a, sizeof(Record) + rt->nfields * sizeof(Value));
  r->type = type;
  r->nfields = rt->nfields;
  for (uint32_t i = 0; i < rt->nfields; i++) {
    TypeRef t = rt->fields[i].type;
    if (t.kind == VK_LIST) {
      List *l = arena_alloc(a, sizeof *l);
      l->n = 0;
      l->elem = (TypeRef){t.elem, 0, t.ref};
      l->items = arena_alloc(a, sizeof *l->items);
      r->fields[i].list = l;
    } else if (t.kind == VK_TEXT) {
      Text *empty = arena_alloc(a, sizeof *empty + 1);   /* with its NUL, as every Text (a C function reads it) */
      empty->len = 0;
      empty->bytes[0] = '\0';
      r->fields[i].text = empty;
    } else if (t.kind == VK_DEC) {
      r->fields[i].dec = (Dec){0, 1};
    } else if (t.kind == VK_PERIOD) {
      r->fields[i].per = (Period){0, 0};
    } else if (t.kind == VK_RECORD) {
      r->fields[i].rec = depth < 4 && t.ref < c->schema.nrecords ? empty_record(c, a, t.ref, depth + 1) : NULL;
    } else {
      r->fields[i].i = 0;
    }
  }
  return r;
}

Record *fuzz_empty_input(const Chunk *c, Arena *a) {
  if (c->schema.input < 0 || (uint32_t)c->schema.input >= c->schema.nrecords) return NULL;
  return empty_record(c, a, (uint32_t)c->schema.input, 0);
}

void fuzz_eval_each_rule(const Chunk *c) {
  Vm *vm = vm_new(c);
  vm_set_limits(vm, (VmLimits){100000, (size_t)16 << 20});
  Arena a;
  arena_init(&a);
  Record *in = fuzz_empty_input(c, &a);
  for (uint32_t r = 0; r < c->nprotos; r++) {
    if (c->protos[r].nparams) continue;
    Value out;
    VmError e;
    vm_eval_rule(vm, in, &a, r, &out, &e);
    arena_reset(&a);
    in = fuzz_empty_input(c, &a);
  }
  arena_free(&a);
  vm_free(vm);
}
