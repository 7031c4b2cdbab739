/*
** parallel.c: a batch on N threads (`dagloon run --threads N`). The main thread reads dossiers
** into batches and writes finished batches out in input order; N worker
** threads evaluate batches, each with its own VM, formatting their rows
** into memory. A ring of batches bounds the memory: reading waits when the
** oldest batch is not written yet, so nothing of a dossier is kept once its
** batch is out. The output is byte for byte that of one thread.
*/
#define _XOPEN_SOURCE 700
#include "tools/api/parallel.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/vm.h"
#include "tools/unverified.h"
#include "runtime/i18n.h"

enum { BATCH_RECORDS = 1024 };

typedef enum { SLOT_FREE, SLOT_READY, SLOT_DONE } SlotState;

/* One dossier of a batch, and what became of it. */
typedef struct Item {
  uint64_t recno, line;
  const char *id;
  Record *rec;              /* NULL: the record could not be read (field, reason say why) */
  const char *field, *reason;
  const char *rule, *where; /* a run-time error: its rule and source location (reason holds the message) */
  Value *kept;              /* what the summary reads of its outputs (run --summary), in the batch's arena */
  bool run_error, unverified;
} Item;

typedef struct Batch {
  Arena arena;              /* the batch's records and values: reset when the batch is refilled */
  Item items[BATCH_RECORDS];
  size_t n;
  char *out;                /* the rows the worker formatted, in order */
  size_t nout, capout;
  SlotState state;
} Batch;

typedef struct Pool {
  pthread_mutex_t mu;
  pthread_cond_t changed;
  Batch *ring;
  uint64_t nring;
  uint64_t filled;          /* batches handed to the workers so far */
  uint64_t taken;           /* batches a worker has started */
  bool reading_done;
  const Chunk *c;
  const OutColumn *cols;
  uint32_t ncols;           /* the rule set's outputs, and 'ongeverifieerd' when asked for (last) */
  RecFormat fmt;
  bool csv_safe;            /* as the real writer's (writer_set_csv_safe) */
  VmLimits limits;          /* per dossier (vm_set_limits; 0s: the defaults) */
  const BatchHooks *hooks;  /* or NULL: its keep makes what each dossier's row hook reads */
} Pool;

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

/* Evaluate one batch on this worker's VM; rows into its memory writer, then into the batch. */
static void process(Pool *pl, Vm *vm, RowWriter *mw, Value *vals, Batch *b) {
  const Chunk *c = pl->c;
  for (size_t k = 0; k < b->n; k++) {
    Item *it = &b->items[k];
    if (!it->rec) continue;
    VmError ve;
    ArenaMark before = arena_mark(&b->arena);
    VmStatus st = vm_run(vm, it->rec, &b->arena, vals, &ve);
    if (st == VM_OK && pl->ncols > c->noutputs) vals[c->noutputs] = unverified_value(c, vm, pl->fmt, &b->arena);
    if (st == VM_OK) writer_row(mw, vals);       /* formatted now: what the rules built can go */
    arena_release(&b->arena, before);
    if (st == VM_OK) {
      if (pl->hooks && pl->hooks->keep) it->kept = pl->hooks->keep(pl->hooks->ctx, vals, &b->arena);   /* after the release: kept */
      it->unverified = vm_unverified_lookups(vm) > 0;
    } else {
      char where[600];
      chunk_location(c, ve.span, where, sizeof where);
      it->run_error = true;
      it->where = arena_strdup(&b->arena, where);
      it->rule = c->protos[ve.proto].name;
      it->reason = arena_strdup(&b->arena, ve.msg);
    }
  }
  const char *bytes;
  size_t len;
  writer_take(mw, &bytes, &len);
  if (len > b->capout) {
    b->capout = len;
    b->out = xrealloc(b->out, len);
  }
  if (len) memcpy(b->out, bytes, len);   /* a batch of error rows only: no rows, and b->out may still be NULL */
  b->nout = len;
}

/* A VM for one worker, recording unverified rows when the column asks for them. */
static Vm *pool_vm(const Pool *pl) {
  Vm *vm = vm_new(pl->c);
  vm_set_limits(vm, pl->limits);
  vm_mark_unverified(vm, pl->ncols > pl->c->noutputs);
  return vm;
}

static void *worker(void *arg) {
  Pool *pl = arg;
  Vm *vm = pool_vm(pl);
  RowWriter *mw = writer_open_memory(pl->fmt, &pl->c->schema, pl->cols, pl->ncols);
  writer_set_csv_safe(mw, pl->csv_safe);
  Value *vals = xcalloc(pl->ncols ? pl->ncols : 1, sizeof *vals);
  for (;;) {
    pthread_mutex_lock(&pl->mu);
    while (pl->taken == pl->filled && !pl->reading_done) pthread_cond_wait(&pl->changed, &pl->mu);
    if (pl->taken == pl->filled) {   /* reading is done and every batch is taken */
      pthread_mutex_unlock(&pl->mu);
      break;
    }
    Batch *b = &pl->ring[pl->taken++ % pl->nring];
    pthread_mutex_unlock(&pl->mu);
    process(pl, vm, mw, vals, b);
    pthread_mutex_lock(&pl->mu);
    b->state = SLOT_DONE;
    pthread_cond_broadcast(&pl->changed);
    pthread_mutex_unlock(&pl->mu);
  }
  xfree(vals);
  writer_close(mw);
  vm_free(vm);
  return NULL;
}

/* Wait for batch `seq` to be evaluated, then write it out and free its slot. */
static void write_batch(Pool *pl, uint64_t seq, RowWriter *w, ErrorWriter *ew, FILE *lines, const char *input_name,
                        RunCounts *counts, BatchHooks *hooks) {
  Batch *b = &pl->ring[seq % pl->nring];
  pthread_mutex_lock(&pl->mu);
  while (b->state != SLOT_DONE) pthread_cond_wait(&pl->changed, &pl->mu);
  pthread_mutex_unlock(&pl->mu);
  writer_bytes(w, b->out, b->nout);
  for (size_t k = 0; k < b->n; k++) {
    const Item *it = &b->items[k];
    if (!it->rec) {
      char where[600];
      snprintf(where, sizeof where, "%s:%" PRIu64, input_name, it->line);
      report_row_error(ew, lines, where, it->recno, it->line, it->id, it->field, "", it->reason);
      if (hooks && hooks->error) hooks->error(hooks->ctx, true, it->reason);
      counts->bad_input++;
    } else if (it->run_error) {
      report_row_error(ew, lines, it->where, it->recno, it->line, it->id, "", it->rule, it->reason);
      if (hooks && hooks->error) hooks->error(hooks->ctx, false, it->reason);
      counts->bad_run++;
    } else {
      if (hooks && hooks->row) hooks->row(hooks->ctx, it->id, it->kept, true);
      counts->ok++;
      counts->unverified += it->unverified;
    }
    if (hooks && hooks->tick) hooks->tick(hooks->ctx, counts->ok + counts->bad_input + counts->bad_run);
  }
  pthread_mutex_lock(&pl->mu);
  b->state = SLOT_FREE;
  pthread_mutex_unlock(&pl->mu);
}

void run_parallel(const Chunk *c, RecordReader *rd, RowWriter *w, ErrorWriter *ew, FILE *lines, const OutColumn *cols,
                  uint32_t ncols, RecFormat out_fmt, const char *input_name, int threads, VmLimits limits,
                  RunCounts *counts, BatchHooks *hooks) {
  Pool pl = {0};
  pl.limits = limits;
  pl.hooks = hooks;
  pthread_mutex_init(&pl.mu, NULL);
  pthread_cond_init(&pl.changed, NULL);
  pl.nring = (uint64_t)threads * 2 + 2;
  pl.ring = xcalloc(pl.nring, sizeof *pl.ring);
  for (uint64_t k = 0; k < pl.nring; k++) arena_init(&pl.ring[k].arena);
  pl.c = c;
  pl.cols = cols;
  pl.ncols = ncols;
  pl.fmt = out_fmt;
  pl.csv_safe = writer_csv_safe(w);
  pthread_t *tids = xcalloc((size_t)threads, sizeof *tids);
  int started = 0;
  for (int t = 0; t < threads; t++)
    if (pthread_create(&tids[t], NULL, worker, &pl) == 0) started++;
  if (started == 0) {   /* no thread could be started: say so, and do the work here */
    fprintf(stderr, _("dagloon: could not start worker threads; running on one\n"));
  }
  uint64_t written = 0;
  bool eof = false;
  while (!eof) {
    if (pl.filled - written == pl.nring) write_batch(&pl, written++, w, ew, lines, input_name, counts, hooks);
    Batch *b = &pl.ring[pl.filled % pl.nring];
    arena_reset(&b->arena);
    b->n = 0;
    while (b->n < BATCH_RECORDS) {
      Item *it = &b->items[b->n];
      ReadInfo info;
      Record *rec = NULL;
      ReadStatus st = reader_next(rd, &b->arena, &rec, &info);
      if (st == READ_EOF) {
        eof = true;
        break;
      }
      memset(it, 0, sizeof *it);
      it->recno = info.recno;
      it->line = info.line;
      it->id = arena_strdup(&b->arena, info.id);
      if (st == READ_BAD) {
        it->field = arena_strdup(&b->arena, info.field);
        it->reason = arena_strdup(&b->arena, info.reason);
      } else {
        it->rec = rec;
      }
      b->n++;
    }
    if (b->n == 0) break;
    if (started == 0) {   /* no workers: evaluate here */
      Vm *vm = pool_vm(&pl);
      RowWriter *mw = writer_open_memory(out_fmt, &c->schema, cols, ncols);
      writer_set_csv_safe(mw, pl.csv_safe);
      Value *vals = xcalloc(ncols ? ncols : 1, sizeof *vals);
      process(&pl, vm, mw, vals, b);
      xfree(vals);
      writer_close(mw);
      vm_free(vm);
      b->state = SLOT_DONE;
      pl.filled++;
      continue;
    }
    pthread_mutex_lock(&pl.mu);
    b->state = SLOT_READY;
    pl.filled++;
    pthread_cond_broadcast(&pl.changed);
    pthread_mutex_unlock(&pl.mu);
  }
  pthread_mutex_lock(&pl.mu);
  pl.reading_done = true;
  pthread_cond_broadcast(&pl.changed);
  pthread_mutex_unlock(&pl.mu);
  while (written < pl.filled) write_batch(&pl, written++, w, ew, lines, input_name, counts, hooks);
  for (int t = 0; t < started; t++) pthread_join(tids[t], NULL);
  for (uint64_t k = 0; k < pl.nring; k++) {
    arena_free(&pl.ring[k].arena);
    xfree(pl.ring[k].out);
  }
  xfree(pl.ring);
  xfree(tids);
  pthread_cond_destroy(&pl.changed);
  pthread_mutex_destroy(&pl.mu);
}
