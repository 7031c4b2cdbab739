/*
** fuzz_rules.c: rule text from a fuzzer through the whole front end -- lexer,
** parser, checker, compiler and verifier -- and, when it compiles, each rule
** evaluated once for an empty dossier of its input type. Nothing may crash,
** hang or read out of bounds; diagnostics and error rows are fine.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lang/front.h"
#include "runtime/mem.h"
#include "runtime/vm.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0;
  Front f;
  front_init(&f);
  Chunk *c = front_compile_text(&f, "fuzz.rules", (const char *)data, size, FRONT_COMPILE);
  if (c) {
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
    chunk_free(c);
  }
  front_free(&f);
  return 0;
}
