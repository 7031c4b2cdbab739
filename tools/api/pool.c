/*
** pool.c: the dossiers of one input on N threads, in input order (pool.h). A ring of batches
** bounds the memory: reading waits when the oldest batch is not written yet, so nothing of a
** dossier is kept once its batch is out.
*/
#define _XOPEN_SOURCE 700
#include "tools/api/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/i18n.h"

typedef enum { SLOT_FREE, SLOT_READY, SLOT_DONE } SlotState;

typedef struct Batch {
  Arena arena;              /* the batch's records and results: reset when the batch is refilled */
  PoolItem *items;
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
  const PoolJob *job;
} Pool;

int pool_threads(int asked) {
  if (asked > 0) return asked;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
}

static char *arena_strdup(Arena *a, const char *s) {
  size_t n = strlen(s ? s : "");
  char *d = arena_alloc(a, n + 1);
  memcpy(d, s ? s : "", n + 1);
  return d;
}

/* Evaluate one batch with a worker's state, keeping its rows in the batch. */
static void evaluate(const PoolJob *job, void *worker, Batch *b) {
  const char *bytes = NULL;
  size_t len = 0;
  job->evaluate(job->ctx, worker, b->items, b->n, &b->arena, &bytes, &len);
  if (len > b->capout) {
    b->capout = len;
    b->out = xrealloc(b->out, len);
  }
  if (len) memcpy(b->out, bytes, len);   /* a batch of error rows only: no rows, and b->out may still be NULL */
  b->nout = len;
}

static void *worker(void *arg) {
  Pool *pl = arg;
  void *state = pl->job->worker_new(pl->job->ctx);
  for (;;) {
    pthread_mutex_lock(&pl->mu);
    while (pl->taken == pl->filled && !pl->reading_done) pthread_cond_wait(&pl->changed, &pl->mu);
    if (pl->taken == pl->filled) {   /* reading is done and every batch is taken */
      pthread_mutex_unlock(&pl->mu);
      break;
    }
    Batch *b = &pl->ring[pl->taken++ % pl->nring];
    pthread_mutex_unlock(&pl->mu);
    evaluate(pl->job, state, b);
    pthread_mutex_lock(&pl->mu);
    b->state = SLOT_DONE;
    pthread_cond_broadcast(&pl->changed);
    pthread_mutex_unlock(&pl->mu);
  }
  pl->job->worker_free(pl->job->ctx, state);
  return NULL;
}

/* Wait for batch `seq` to be evaluated, then write it out and free its slot. */
static void write_batch(Pool *pl, uint64_t seq) {
  Batch *b = &pl->ring[seq % pl->nring];
  pthread_mutex_lock(&pl->mu);
  while (b->state != SLOT_DONE) pthread_cond_wait(&pl->changed, &pl->mu);
  pthread_mutex_unlock(&pl->mu);
  pl->job->write(pl->job->ctx, b->items, b->n, b->out, b->nout);
  pthread_mutex_lock(&pl->mu);
  b->state = SLOT_FREE;
  pthread_mutex_unlock(&pl->mu);
}

/* Fill batch b with up to `cap` records; false at the end of the input. */
static bool read_batch(RecordReader *rd, Batch *b, size_t cap) {
  arena_reset(&b->arena);
  b->n = 0;
  while (b->n < cap) {
    PoolItem *it = &b->items[b->n];
    ReadInfo info;
    Record *rec = NULL;
    ReadStatus st = reader_next(rd, &b->arena, &rec, &info);
    if (st == READ_EOF) return false;
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
  return true;
}

void pool_run(RecordReader *rd, const PoolJob *job, int threads, size_t batch_records) {
  Pool pl = {0};
  pl.job = job;
  pthread_mutex_init(&pl.mu, NULL);
  pthread_cond_init(&pl.changed, NULL);
  pl.nring = threads > 1 ? (uint64_t)threads * 2 + 2 : 1;
  pl.ring = xcalloc(pl.nring, sizeof *pl.ring);
  for (uint64_t k = 0; k < pl.nring; k++) {
    arena_init(&pl.ring[k].arena);
    pl.ring[k].items = xcalloc(batch_records, sizeof *pl.ring[k].items);
  }
  pthread_t *tids = xcalloc(threads > 1 ? (size_t)threads : 1, sizeof *tids);
  int started = 0;
  for (int t = 0; threads > 1 && t < threads; t++)
    if (pthread_create(&tids[t], NULL, worker, &pl) == 0) started++;
  if (threads > 1 && started == 0)   /* no thread could be started: say so, and do the work here */
    fprintf(stderr, _("dagloon: could not start worker threads; running on one\n"));
  void *here = started == 0 ? job->worker_new(job->ctx) : NULL;   /* the worker on this thread */
  uint64_t written = 0;
  bool more = true;
  while (more) {
    if (pl.filled - written == pl.nring) write_batch(&pl, written++);
    Batch *b = &pl.ring[pl.filled % pl.nring];
    more = read_batch(rd, b, batch_records);
    if (b->n == 0) break;
    if (here) {   /* no workers: evaluate here */
      evaluate(job, here, b);
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
  while (written < pl.filled) write_batch(&pl, written++);
  for (int t = 0; t < started; t++) pthread_join(tids[t], NULL);
  if (here) job->worker_free(job->ctx, here);
  for (uint64_t k = 0; k < pl.nring; k++) {
    arena_free(&pl.ring[k].arena);
    xfree(pl.ring[k].items);
    xfree(pl.ring[k].out);
  }
  xfree(pl.ring);
  xfree(tids);
  pthread_cond_destroy(&pl.changed);
  pthread_mutex_destroy(&pl.mu);
}
