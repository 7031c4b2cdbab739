/*
** prog.h: a compiled rule set ready to run, for the unit tests that go from
** rule text to values (test_compile.c, test_time_lang.c).
*/
#ifndef DAGLOON_TEST_PROG_H
#define DAGLOON_TEST_PROG_H

#include <stdint.h>
#include "lang/front.h"
#include "runtime/chunk.h"
#include "runtime/mem.h"
#include "runtime/vm.h"

typedef struct Prog {
  Front f;
  Chunk *c;
  Vm *vm;
  Arena ar;
} Prog;

/* Compile src (the test fails if it does not compile cleanly or the verifier refuses it). */
void prog_compile(Prog *p, const char *src);
void prog_free(Prog *p);
/* The index of rule `name` (the test fails if there is none). */
uint32_t rule_ix(const Chunk *c, const char *name);
/* Evaluate one rule for `in` (the test fails on a run-time error). */
Value eval_ok(Prog *p, Record *in, const char *rule);

#endif
