/*
** explain_eval.h: one dossier evaluated with trace points, for an explanation or a letter --
** the one place dagloon explain, the letters of explain -o FOLDER/ and libdagloon's
** dagloon_explain do it. The VM, the trace and the outputs are made once and reused for every
** dossier of a run (the trace is cleared before each).
*/
#ifndef DAGLOON_EXPLAIN_EVAL_H
#define DAGLOON_EXPLAIN_EVAL_H

#include <stdbool.h>
#include "runtime/chunk.h"
#include "runtime/trace.h"
#include "runtime/vm.h"
#include "tools/explain.h"

typedef struct TracedEval {
  const Chunk *c;         /* compiled with trace points */
  Vm *vm;
  Trace trace;
  Value *outputs;         /* c->noutputs values of the last dossier, when ok */
  VmError error;          /* the last dossier's failure, when not ok */
  bool ok;
} TracedEval;

void traced_eval_init(TracedEval *t, const Chunk *c, VmLimits limits);
void traced_eval_free(TracedEval *t);

/* Evaluates rec (its memory and the rules' from arena a) with a fresh trace; t->ok. */
bool traced_eval(TracedEval *t, Record *rec, Arena *a);

/* What explain_write needs of the last evaluation: outputs or error, the unverified lookups, this engine's version. */
ExplainRun traced_eval_run(const TracedEval *t, const char *rules, const char *input, const char *id, uint64_t line,
                           const Record *rec, const ExplainOptions *options);

#endif
