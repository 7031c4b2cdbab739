/*
** evaluate.c: libdagloon's evaluator (dagloon.h, "evaluating dossiers"): one dossier's JSON
** through the engine's own JSON Lines reader, the VM, and the engine's own JSON Lines writer
** -- the same code as `dagloon run --format jsonl`, so a row is the same bytes -- or through
** the traced code and tools/explain.c for `dagloon explain --format json`'s explanation.
**
** An evaluator holds everything that changes per dossier (VMs, arena, trace, buffers); the
** rule set it reads is never written, so evaluators of one rule set run on many threads.
*/
#include "tools/api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/trace.h"
#include "runtime/vm.h"
#include "tools/explain.h"
#include "tools/explain_eval.h"
#include "tools/version.h"

struct dagloon_evaluator {
  const dagloon_rules *r;
  VmLimits limits;
  Vm *vm;                 /* on r->plain */
  TracedEval traced;      /* on r->traced, made at the first explanation (traced.vm NULL before) */
  RecordReader *reader;   /* dossiers for r->plain, given in memory (reader_parse_jsonl) */
  RecordReader *traced_reader;   /* for r->traced, with traced */
  Arena arena;
  OutColumn *cols;
  Value *vals;
  RowWriter *rows;        /* JSON Lines into memory */
  char *dossier;          /* the JSON given, on one line */
  size_t dossier_cap;
  char *result;           /* what the last call returned */
  size_t result_cap;
  int (*interrupt)(void *);   /* dagloon_evaluator_set_interrupt, for the traced VM made later */
  void *interrupt_arg;
};

dagloon_evaluator *dagloon_evaluator_new(const dagloon_rules *r) {
  if (!r) return NULL;
  dagloon_evaluator *ev = xcalloc(1, sizeof *ev);
  const Chunk *c = r->plain;
  ev->r = r;
  ev->vm = vm_new(c);
  ev->reader = reader_open(&c->schema, NULL, "dossier", FMT_JSONL, NULL);   /* the rule set has an invoer */
  arena_init(&ev->arena);
  ev->cols = xcalloc(c->noutputs, sizeof *ev->cols);
  for (uint32_t i = 0; i < c->noutputs; i++) ev->cols[i] = (OutColumn){c->outputs[i].name, c->outputs[i].type};
  ev->vals = xcalloc(c->noutputs, sizeof *ev->vals);
  ev->rows = writer_open_memory(FMT_JSONL, &c->schema, ev->cols, c->noutputs);
  return ev;
}

void dagloon_evaluator_free(dagloon_evaluator *ev) {
  if (!ev) return;
  writer_close(ev->rows);
  vm_free(ev->vm);
  if (ev->traced.vm) traced_eval_free(&ev->traced);
  reader_close(ev->reader);
  reader_close(ev->traced_reader);
  arena_free(&ev->arena);
  xfree(ev->cols);
  xfree(ev->vals);
  xfree(ev->dossier);
  xfree(ev->result);
  xfree(ev);
}

void dagloon_evaluator_set_limits(dagloon_evaluator *ev, uint64_t max_steps, size_t max_memory_bytes) {
  if (!ev) return;
  ev->limits = (VmLimits){max_steps, max_memory_bytes};
  vm_set_limits(ev->vm, ev->limits);
  if (ev->traced.vm) vm_set_limits(ev->traced.vm, ev->limits);
}

void dagloon_evaluator_set_interrupt(dagloon_evaluator *ev, int (*check)(void *arg), void *arg) {
  if (!ev) return;
  ev->interrupt = check;
  ev->interrupt_arg = arg;
  vm_set_interrupt(ev->vm, check, arg);
  if (ev->traced.vm) vm_set_interrupt(ev->traced.vm, check, arg);
}

/* The returned string: bytes[0..n) kept by the evaluator until its next call. */
static const char *keep(dagloon_evaluator *ev, const char *bytes, size_t n) {
  if (n + 1 > ev->result_cap) {
    ev->result_cap = n + 1 > 2 * ev->result_cap ? n + 1 : 2 * ev->result_cap;
    ev->result = xrealloc(ev->result, ev->result_cap);
  }
  memcpy(ev->result, bytes, n);
  ev->result[n] = 0;
  return ev->result;
}

/* What one read gave, copied: ReadInfo's strings last only until the reader's next call. */
typedef struct Dossier {
  Record *rec;
  uint64_t line;
  char id[256];
} Dossier;

/*
** Reads the one dossier in json[0..len) with rd, the evaluator's JSON Lines reader of the chunk
** it runs (one per evaluator and chunk, made once: no stream per call). Line breaks become spaces:
** a raw line break is never inside a JSON string, so between tokens it is white space, and the
** reader reads a line. False with *err.
*/
static bool read_dossier(dagloon_evaluator *ev, RecordReader *rd, const char *json, size_t len, Dossier *d,
                         dagloon_error **err) {
  if (!json) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no dossier given"), false;
  size_t max = ev->limits.memory ? ev->limits.memory : READER_DEFAULT_MAX_RECORD;
  if (len > max)
    return api_fail(err, DAGLOON_ERR_INPUT, NULL, "", NULL, NULL,
                    "the dossier takes %zu bytes, more than the %zu allowed", len, max), false;
  size_t blank = 0;
  while (blank < len && (json[blank] == ' ' || json[blank] == '\t' || json[blank] == '\n' || json[blank] == '\r'))
    blank++;
  if (blank == len) return api_fail(err, DAGLOON_ERR_INPUT, NULL, "", NULL, NULL, "no dossier: the text is empty"), false;
  if (len + 1 > ev->dossier_cap) {
    ev->dossier_cap = len + 1;
    ev->dossier = xrealloc(ev->dossier, ev->dossier_cap);
  }
  for (size_t i = 0; i < len; i++) ev->dossier[i] = json[i] == '\n' || json[i] == '\r' ? ' ' : json[i];
  ev->dossier[len] = 0;
  const char *text = ev->dossier;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {   /* a byte order mark, as on a file's first line */
    text += 3;
    len -= 3;
  }
  reader_set_max_record(rd, max);
  ReadInfo info;
  if (reader_parse_jsonl(rd, &ev->arena, text, len, &d->rec, &info) != READ_OK)
    return api_fail(err, DAGLOON_ERR_INPUT, info.id, info.field, NULL, NULL, "%s%s%s", *info.field ? info.field : "",
                    *info.field ? ": " : "", info.reason), false;
  d->line = info.line;
  snprintf(d->id, sizeof d->id, "%s", info.id);
  return true;
}

/* A failed computation as an error naming the rule and its place. */
static void eval_failed(const Chunk *c, const Dossier *d, const VmError *ve, dagloon_error **err) {
  char where[600];
  chunk_location(c, ve->span, where, sizeof where);
  dagloon_status code = ve->status == VM_LIMIT         ? DAGLOON_ERR_LIMIT
                        : ve->status == VM_INTERRUPTED ? DAGLOON_ERR_INTERRUPTED
                                                       : DAGLOON_ERR_EVAL;
  api_fail(err, code, d->id, NULL,
           ve->proto < c->nprotos ? c->protos[ve->proto].name : "", where, "%s", ve->msg);
}

const char *dagloon_evaluate(dagloon_evaluator *ev, const char *json, size_t len, dagloon_error **err) {
  if (!ev) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no evaluator");
  const Chunk *c = ev->r->plain;
  arena_reset(&ev->arena);
  Dossier d;
  if (!read_dossier(ev, ev->reader, json, len, &d, err)) return NULL;
  VmError ve;
  memset(&ve, 0, sizeof ve);
  if (vm_run(ev->vm, d.rec, &ev->arena, ev->vals, &ve) != VM_OK) {
    eval_failed(c, &d, &ve, err);
    return NULL;
  }
  writer_row(ev->rows, ev->vals);
  const char *bytes;
  size_t n;
  writer_take(ev->rows, &bytes, &n);
  if (n > 0 && bytes[n - 1] == '\n') n--;   /* the row, not the line */
  return keep(ev, bytes, n);
}

/* dagloon_explain and dagloon_explain_html: the traced run of one dossier written in fmt. */
static const char *explain_as(dagloon_evaluator *ev, const char *json, size_t len, const char *input_name,
                              ExplainFormat fmt, dagloon_error **err) {
  if (!ev) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no evaluator");
  const Chunk *c = ev->r->traced;
  if (!c)
    return api_fail(err, DAGLOON_ERR_NO_TRACE, NULL, NULL, NULL, NULL,
                    "%s: this bundle has no trace points, so it cannot explain; make it with "
                    "'dagloon compile --trace'", ev->r->name);
  if (!ev->traced.vm) {
    traced_eval_init(&ev->traced, c, ev->limits);
    vm_set_interrupt(ev->traced.vm, ev->interrupt, ev->interrupt_arg);
    ev->traced_reader = reader_open(&c->schema, NULL, "dossier", FMT_JSONL, NULL);
  }
  arena_reset(&ev->arena);
  Dossier d;
  if (!read_dossier(ev, ev->traced_reader, json, len, &d, err)) return NULL;
  traced_eval(&ev->traced, d.rec, &ev->arena);
  ExplainRun run = traced_eval_run(&ev->traced, ev->r->name, input_name ? input_name : "-", d.id, d.line, d.rec, NULL);
  char *text = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&text, &n);
  if (!m) return api_fail(err, DAGLOON_ERR_ARGUMENT, d.id, NULL, NULL, NULL, "out of memory");
  explain_write(c, &ev->traced.trace, &run, fmt, m);
  fclose(m);
  const char *kept = keep(ev, text, n);
  free(text);   /* open_memstream's: libc's memory */
  return kept;
}

const char *dagloon_explain(dagloon_evaluator *ev, const char *json, size_t len, const char *input_name,
                            dagloon_error **err) {
  return explain_as(ev, json, len, input_name, EXPLAIN_JSON, err);
}

const char *dagloon_explain_html(dagloon_evaluator *ev, const char *json, size_t len, const char *input_name,
                                 dagloon_error **err) {
  return explain_as(ev, json, len, input_name, EXPLAIN_HTML, err);
}
