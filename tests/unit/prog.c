/*
** prog.c: compiling rule text for the unit tests (see prog.h).
*/
#include "prog.h"

#include <criterion/criterion.h>
#include <string.h>
#include "runtime/verify.h"

void prog_compile(Prog *p, const char *src) {
  front_init(&p->f);
  p->c = front_compile_text(&p->f, "t.rules", src, strlen(src), FRONT_COMPILE);
  if (!p->c) diag_render(&p->f.diags, stderr);
  cr_assert_not_null(p->c, "did not compile:\n%s", src);
  cr_assert_eq(p->f.diags.nerrors, 0);
  /* Every chunk the compiler makes must pass the verifier on its own. */
  char err[512];
  cr_assert(verify_chunk(p->c, err, sizeof err), "verifier refused the chunk: %s", err);
  p->vm = vm_new(p->c);
  arena_init(&p->ar);
}

void prog_free(Prog *p) {
  vm_free(p->vm);
  chunk_free(p->c);
  front_free(&p->f);
  arena_free(&p->ar);
}

uint32_t rule_ix(const Chunk *c, const char *name) {
  for (uint32_t i = 0; i < c->nprotos; i++)
    if (strcmp(c->protos[i].name, name) == 0) return i;
  cr_assert_fail("no rule '%s'", name);
  return 0;
}

Value eval_ok(Prog *p, Record *in, const char *rule) {
  Value out;
  VmError e;
  memset(&e, 0, sizeof e);
  VmStatus st = vm_eval_rule(p->vm, in, &p->ar, rule_ix(p->c, rule), &out, &e);
  cr_assert_eq(st, VM_OK, "rule %s: %s", rule, e.msg);
  return out;
}
