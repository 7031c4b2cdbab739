/*
** fuzz_bundle.c: raw bytes from a fuzzer as a compiled bundle -- the loader,
** the bytecode verifier (of the plain and the traced code) and, for what passes, the VM on an empty dossier.
** A hostile bundle must be refused with a message or run within its limits.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/bundle.h"
#include "runtime/mem.h"
#include "runtime/vm.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[600];
  /* the checksum made right, so that altered bytes reach the parser and the verifier */
  uint8_t *copy = malloc(size ? size : 1);
  memcpy(copy, data, size);
  if (size >= 16) {
    uint64_t h = bundle_checksum(copy, size - 8);
    for (int i = 0; i < 8; i++) copy[size - 8 + (size_t)i] = (uint8_t)(h >> (8 * i));
  }
  Chunk *traced = NULL;   /* a bundle made with --trace: its traced code is parsed and verified too */
  Chunk *c = bundle_read_mem_traced(copy, size, "fuzz.dlb", &traced, err, sizeof err);
  free(copy);
  if (!c) return 0;
  if (traced) chunk_free(traced);
  Vm *vm = vm_new(c);
  vm_set_limits(vm, (VmLimits){100000, (size_t)16 << 20});
  Arena a;
  arena_init(&a);
  for (uint32_t r = 0; r < c->nprotos; r++) {
    if (c->protos[r].nparams) continue;
    Record *in = fuzz_empty_input(c, &a);
    Value out;
    VmError e;
    vm_eval_rule(vm, in, &a, r, &out, &e);
    arena_reset(&a);
  }
  arena_free(&a);
  vm_free(vm);
  chunk_free(c);
  return 0;
}
