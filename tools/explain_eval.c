/*
** explain_eval.c: one dossier evaluated with trace points (see explain_eval.h).
*/
#include "tools/explain_eval.h"

#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "tools/version.h"

void traced_eval_init(TracedEval *t, const Chunk *c, VmLimits limits) {
  memset(t, 0, sizeof *t);
  t->c = c;
  trace_init(&t->trace);
  t->vm = vm_new(c);
  vm_set_limits(t->vm, limits);
  vm_set_trace(t->vm, &t->trace);
  t->outputs = xcalloc(c->noutputs ? c->noutputs : 1, sizeof *t->outputs);
}

void traced_eval_free(TracedEval *t) {
  if (t->vm) vm_free(t->vm);
  trace_free(&t->trace);
  xfree(t->outputs);
  memset(t, 0, sizeof *t);
}

bool traced_eval(TracedEval *t, Record *rec, Arena *a) {
  trace_clear(&t->trace);
  memset(&t->error, 0, sizeof t->error);
  t->ok = vm_run(t->vm, rec, a, t->outputs, &t->error) == VM_OK;
  return t->ok;
}

ExplainRun traced_eval_run(const TracedEval *t, const char *rules, const char *input, const char *id, uint64_t line,
                           const Record *rec, const ExplainOptions *options) {
  return (ExplainRun){rules, input, id, line, rec, t->ok ? t->outputs : NULL, t->ok ? NULL : &t->error,
                      vm_unverified_lookups(t->vm), DAGLOON_VERSION, options};
}
