/*
** parallel.c: `dagloon run --threads N` -- run's job on the pool (pool.h): each worker evaluates
** a batch on its own VM and formats the rows into memory; the calling thread writes them and the
** error rows in input order. The output is byte for byte that of one thread.
*/
#define _XOPEN_SOURCE 700
#include "tools/api/parallel.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/vm.h"
#include "tools/api/pool.h"
#include "tools/unverified.h"
#include "runtime/i18n.h"

enum { BATCH_RECORDS = 1024 };

/* What became of one read dossier (in its batch's arena). */
typedef struct RunResult {
  const char *rule, *where, *reason; /* a run-time error: its rule, source location and message */
  Value *kept;              /* what the summary reads of its outputs (run --summary) */
  bool run_error, unverified;
} RunResult;

typedef struct RunJob {
  const Chunk *c;
  const OutColumn *cols;
  uint32_t ncols;           /* the rule set's outputs, and 'ongeverifieerd' when asked for (last) */
  RecFormat fmt;
  bool csv_safe;            /* as the real writer's (writer_set_csv_safe) */
  VmLimits limits;          /* per dossier (vm_set_limits; 0s: the defaults) */
  RowWriter *w;
  ErrorWriter *ew;
  FILE *lines;
  const char *input_name;
  RunCounts *counts;
  BatchHooks *hooks;        /* or NULL: its keep makes what each dossier's row hook reads */
} RunJob;

/* A worker's VM, its memory writer and the outputs of one dossier. */
typedef struct RunWorker {
  Vm *vm;
  RowWriter *mw;
  Value *vals;
} RunWorker;

/* Report one error row: to the --errors CSV, or as a located line. */
void report_row_error(ErrorWriter *ew, FILE *lines, const char *where, uint64_t recno, uint64_t line, const char *id,
                             const char *field, const char *rule, const char *reason) {
  if (ew) {
    errwriter_row(ew, recno, line, id, field, rule, where, reason);
    return;
  }
  fprintf(lines, _("%s: error: record %" PRIu64), where, recno);
  if (id && *id) fprintf(lines, " (id '%s')", id);
  if (field && *field) fprintf(lines, _(": field '%s'"), field);
  fprintf(lines, ": %s\n", reason);
}

static char *arena_strdup(Arena *a, const char *s) {
  size_t n = strlen(s ? s : "");
  char *d = arena_alloc(a, n + 1);
  memcpy(d, s ? s : "", n + 1);
  return d;
}

/* A VM for one worker, recording unverified rows when the column asks for them. */
static void *run_worker_new(void *ctx) {
  const RunJob *j = ctx;
  RunWorker *w = xcalloc(1, sizeof *w);
  w->vm = vm_new(j->c);
  vm_set_limits(w->vm, j->limits);
  vm_mark_unverified(w->vm, j->ncols > j->c->noutputs);
  w->mw = writer_open_memory(j->fmt, &j->c->schema, j->cols, j->ncols);
  writer_set_csv_safe(w->mw, j->csv_safe);
  w->vals = xcalloc(j->ncols ? j->ncols : 1, sizeof *w->vals);
  return w;
}

static void run_worker_free(void *ctx, void *worker) {
  (void)ctx;
  RunWorker *w = worker;
  xfree(w->vals);
  writer_close(w->mw);
  vm_free(w->vm);
  xfree(w);
}

/* Evaluate one batch on this worker's VM; rows into its memory writer. */
static void run_evaluate(void *ctx, void *worker, PoolItem *items, size_t n, Arena *arena, const char **bytes,
                         size_t *len) {
  const RunJob *j = ctx;
  RunWorker *w = worker;
  const Chunk *c = j->c;
  for (size_t k = 0; k < n; k++) {
    PoolItem *it = &items[k];
    if (!it->rec) continue;
    VmError ve;
    ArenaMark before = arena_mark(arena);
    VmStatus st = vm_run(w->vm, it->rec, arena, w->vals, &ve);
    if (st == VM_OK && j->ncols > c->noutputs) w->vals[c->noutputs] = unverified_value(c, w->vm, j->fmt, arena);
    if (st == VM_OK) writer_row(w->mw, w->vals);       /* formatted now: what the rules built can go */
    arena_release(arena, before);
    RunResult *r = arena_alloc(arena, sizeof *r);   /* zeroed; after the release: kept */
    it->result = r;
    if (st == VM_OK) {
      if (j->hooks && j->hooks->keep) r->kept = j->hooks->keep(j->hooks->ctx, w->vals, arena);
      r->unverified = vm_unverified_lookups(w->vm) > 0;
    } else {
      char where[600];
      chunk_location(c, ve.span, where, sizeof where);
      r->run_error = true;
      r->where = arena_strdup(arena, where);
      r->rule = c->protos[ve.proto].name;
      r->reason = arena_strdup(arena, ve.msg);
    }
  }
  writer_take(w->mw, bytes, len);
}

/* A batch's rows, then its error rows and the hooks, in input order. */
static void run_write(void *ctx, const PoolItem *items, size_t n, const char *bytes, size_t len) {
  RunJob *j = ctx;
  BatchHooks *hooks = j->hooks;
  RunCounts *counts = j->counts;
  writer_bytes(j->w, bytes, len);
  for (size_t k = 0; k < n; k++) {
    const PoolItem *it = &items[k];
    const RunResult *r = it->result;
    if (!it->rec) {
      char where[600];
      snprintf(where, sizeof where, "%s:%" PRIu64, j->input_name, it->line);
      report_row_error(j->ew, j->lines, where, it->recno, it->line, it->id, it->field, "", it->reason);
      if (hooks && hooks->error) hooks->error(hooks->ctx, true, it->reason);
      counts->bad_input++;
    } else if (r->run_error) {
      report_row_error(j->ew, j->lines, r->where, it->recno, it->line, it->id, "", r->rule, r->reason);
      if (hooks && hooks->error) hooks->error(hooks->ctx, false, r->reason);
      counts->bad_run++;
    } else {
      if (hooks && hooks->row) hooks->row(hooks->ctx, it->id, r->kept, true);
      counts->ok++;
      counts->unverified += r->unverified;
    }
    if (hooks && hooks->tick) hooks->tick(hooks->ctx, counts->ok + counts->bad_input + counts->bad_run);
  }
}

void run_parallel(const Chunk *c, RecordReader *rd, RowWriter *w, ErrorWriter *ew, FILE *lines, const OutColumn *cols,
                  uint32_t ncols, RecFormat out_fmt, const char *input_name, int threads, VmLimits limits,
                  RunCounts *counts, BatchHooks *hooks) {
  RunJob j = {c, cols, ncols, out_fmt, writer_csv_safe(w), limits, w, ew, lines, input_name, counts, hooks};
  PoolJob job = {&j, run_worker_new, run_worker_free, run_evaluate, run_write};
  pool_run(rd, &job, threads, BATCH_RECORDS);
}
