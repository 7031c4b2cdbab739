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
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0;
  Front f;
  front_init(&f);
  Chunk *c = front_compile_text(&f, "fuzz.rules", (const char *)data, size, FRONT_COMPILE);
  if (c) {
    fuzz_eval_each_rule(c);
    chunk_free(c);
  }
  front_free(&f);
  return 0;
}
