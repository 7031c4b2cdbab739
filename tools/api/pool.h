/*
** pool.h: the dossiers of one input on N threads, written in input order -- the machinery under
** `dagloon run --threads N` (parallel.c) and `dagloon compare --threads N` (tools/compare_eval.c).
** The calling thread reads the dossiers into batches and writes finished batches out in input
** order; worker threads evaluate batches, each with its own state (its VMs), formatting the rows
** into memory. A job says what evaluating and writing a batch mean; the pool does the rest, so the
** output is byte for byte that of one thread whatever the job.
*/
#ifndef DAGLOON_POOL_H
#define DAGLOON_POOL_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/mem.h"
#include "runtime/recio.h"

/* One dossier of a batch as read, and what the job made of it. */
typedef struct PoolItem {
  uint64_t recno, line;
  const char *id;
  Record *rec;              /* NULL: the record could not be read (field, reason say why) */
  const char *field, *reason;
  void *result;             /* the job's, in the batch's arena (NULL until evaluated) */
} PoolItem;

typedef struct PoolJob {
  void *ctx;
  /* A worker's own state (its VMs, its buffers), made and freed on the thread that uses it. */
  void *(*worker_new)(void *ctx);
  void (*worker_free)(void *ctx, void *worker);
  /*
  ** On a worker: evaluate items[0..n) -- the unreadable ones too, since they may have rows -- with
  ** `arena` (the batch's: it holds the records, and what is put there lives until the batch is
  ** written), and set *bytes, *len to the batch's rows, valid until the worker's next call.
  */
  void (*evaluate)(void *ctx, void *worker, PoolItem *items, size_t n, Arena *arena, const char **bytes, size_t *len);
  /* On the calling thread, batch after batch in input order: the rows and the items. */
  void (*write)(void *ctx, const PoolItem *items, size_t n, const char *bytes, size_t len);
} PoolJob;

/*
** Read every record of rd in batches of batch_records, evaluate them on `threads` workers (1 or
** fewer: on this thread, with one worker state) and write them in input order. When no thread can
** be started, says so and works on this thread.
*/
void pool_run(RecordReader *rd, const PoolJob *job, int threads, size_t batch_records);

/* The number of threads for `asked` (0: every core, at most 64). */
int pool_threads(int asked);

#endif
