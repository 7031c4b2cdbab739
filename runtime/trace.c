/*
** trace.c: the event buffer of a traced dossier (see trace.h).
*/
#include "trace.h"

#include <stdlib.h>
#include <string.h>
#include "mem.h"

void trace_init(Trace *t) { memset(t, 0, sizeof *t); }

void trace_clear(Trace *t) {
  t->n = 0;
  t->nargs = 0;
  t->truncated = 0;
}

void trace_free(Trace *t) {
  xfree(t->ev);
  xfree(t->argbuf);
  memset(t, 0, sizeof *t);
}

void trace_add(Trace *t, const TraceEvent *e) {
  size_t limit = t->limit ? t->limit : 1000000;
  if (t->n >= limit) {
    t->truncated = 1;
    return;
  }
  VEC_PUSH(t->ev, t->n, t->cap, *e);
}

size_t trace_keep_args(Trace *t, const Value *args, size_t n) {
  size_t at = t->nargs;
  vec_reserve((void **)&t->argbuf, &t->capargs, t->nargs + n + 1, sizeof *t->argbuf);
  if (n) memcpy(t->argbuf + at, args, n * sizeof *args);
  t->nargs += n;
  return at;
}

const char *trace_kind_name(TraceKind k) {
  static const char *const names[TRACE__COUNT] = {"rule", "value", "use", "input", "row", "round", "revise",
                                                  "step", "point", "as-known", "left-out",
                                                  "as-known-end"};
  return (unsigned)k < TRACE__COUNT ? names[k] : "?";
}
