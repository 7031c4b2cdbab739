/*
** parallel.h: a batch on N threads (tools/api/batch.c, dagloon_run_batch; `dagloon run
** --threads N`) -- the dossiers of one input evaluated by N worker threads, written in input
** order, byte for byte the same output as one thread: run's job on the pool of pool.h.
*/
#ifndef DAGLOON_PARALLEL_H
#define DAGLOON_PARALLEL_H

#include <stdint.h>
#include "runtime/chunk.h"
#include "runtime/recio.h"
#include "runtime/vm.h"
#include "tools/api/api_internal.h"

/* What a run counts, for its summary line. */
typedef struct RunCounts {
  uint64_t ok, bad_input, bad_run, unverified;
} RunCounts;

/*
** One error row: to the --errors CSV when ew is given, else as a located
** line on `lines` (standard error for `dagloon run`). (The single-threaded loop and the parallel one
** report through the same function, so their error output is the same.)
*/
void report_row_error(ErrorWriter *ew, FILE *lines, const char *where, uint64_t recno, uint64_t line, const char *id,
                      const char *field, const char *rule, const char *reason);

/*
** Read every record of rd, evaluate it on `threads` workers (each with its
** own VM), and write the rows to w and the error rows to ew (or stderr) in
** input order (error rows without ew as lines on `lines`). `cols` are the ncols columns of w: the chunk's outputs, then
** 'ongeverifieerd' (tools/unverified.h) if ncols says there is one more. `input_name` locates input errors; `limits` are each
** dossier's step and memory limits (vm_set_limits; 0s: the defaults).
** `hooks` (or NULL) see every dossier in input order (run --summary, the progress line).
*/
void run_parallel(const Chunk *c, RecordReader *rd, RowWriter *w, ErrorWriter *ew, FILE *lines, const OutColumn *cols,
                  uint32_t ncols, RecFormat out_fmt, const char *input_name, int threads, VmLimits limits,
                  RunCounts *counts, BatchHooks *hooks);

#endif
