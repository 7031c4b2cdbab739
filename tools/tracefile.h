/*
** tracefile.h: the compact trace file of `dagloon run --explain FILE --explain-format trace`
** (docs/TRACE.md): per dossier the VM's trace events as they were recorded (ids of rules,
** tables, rows and points; values in their exact internal form), no tree and no text, so that
** a population is explained at the speed it is computed. `dagloon explain RULES --trace FILE`
** renders any dossier from it later through the same code as `dagloon explain`.
**
** The file is untrusted when read: every length, index, type and value is checked against the
** rules it names (by the sha256 of their traced code) before anything is rendered.
*/
#ifndef DAGLOON_TRACEFILE_H
#define DAGLOON_TRACEFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/chunk.h"
#include "runtime/mem.h"
#include "runtime/trace.h"
#include "runtime/vm.h"

#define TRACEFILE_VERSION 1
#define TRACEFILE_MAX_RECORD (1u << 30)   /* one dossier's record at most (a reader refuses more) */

/*
** The identity of compiled code: sha256 (hex) of c written as a bundle with no engine version
** (also dagloon_rules_hash's, of the plain code). A trace names its traced code by it.
*/
bool tracefile_rules_hash(const Chunk *c, char hex[65], char *err, size_t cap);

/* Whether a file name asks for the compact trace: it ends in ".dtrace". */
bool tracefile_named(const char *path);

/* ---- writing ---- */

typedef struct TraceWriter TraceWriter;

/*
** A writer onto f for dossiers of the traced chunk c; input names the run's INPUT. NULL with
** err when c cannot be hashed. Nothing is written until the first dossier.
*/
TraceWriter *tracew_open(FILE *f, const Chunk *c, const char *input, char *err, size_t cap);

/* One dossier: outputs (c->noutputs values) when it was computed, else error; t its trace. */
void tracew_dossier(TraceWriter *w, const char *id, uint64_t line, const Record *rec, const Value *outputs,
                    const VmError *error, uint64_t unverified, const Trace *t);

/* The end record and the last block written; frees w. 0, or the errno of the first write that failed. */
int tracew_close(TraceWriter *w);

/* ---- reading ---- */

typedef struct TraceReader TraceReader;

/* One dossier as read back: what explain_write needs (valid until the next tracer_next). */
typedef struct TraceDossier {
  const char *id;
  uint64_t line;
  const Record *record;       /* the dossier as read by the run */
  const Value *outputs;       /* NULL when the computation failed */
  const VmError *error;       /* then: its message */
  uint64_t unverified;
  const Trace *trace;
} TraceDossier;

/*
** Opens a trace file for chunk c (the rules given to explain): its header read and checked --
** the format, its version and that it was written with these rules (their hash). NULL with the
** reason in err.
*/
TraceReader *tracer_open(FILE *f, const char *name, const Chunk *c, char *err, size_t cap);
const char *tracer_input(const TraceReader *r);    /* the INPUT of the run that wrote it */
const char *tracer_engine(const TraceReader *r);   /* the engine that computed it */

/*
** The next dossier (when want_id is NULL or equals its id; others are checked and passed over).
** 1: *d filled; 0: the end, reached as the writer ended it; -1: refused, the reason in err.
*/
int tracer_next(TraceReader *r, const char *want_id, TraceDossier *d, char *err, size_t cap);
void tracer_close(TraceReader *r);

#endif
