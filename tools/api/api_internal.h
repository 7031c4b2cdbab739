/*
** api_internal.h: what the files of libdagloon share behind tools/api/dagloon.h -- the
** structs behind its opaque handles and the error constructor. Not installed.
*/
#ifndef DAGLOON_API_INTERNAL_H
#define DAGLOON_API_INTERNAL_H

#include "tools/api/dagloon.h"
#include "lang/front.h"
#include "runtime/chunk.h"
#include "runtime/native.h"
#include "runtime/vm.h"

struct dagloon_error {
  dagloon_status code;
  char *message, *record, *field, *rule, *location;
};

/* Sets *err (when err is not NULL) to a new error; NULL strings become "". Returns NULL, for `return api_fail(...)`. */
void *api_fail(dagloon_error **err, dagloon_status code, const char *record, const char *field, const char *rule,
               const char *location, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

struct dagloon_options {
  NativeAllow natives;
  bool no_trace;           /* dagloon_options_explain(o, 0): compile without trace points only */
};

/* One record type's fields as the API shows them. */
typedef struct ApiRecord {
  const char *name;
  size_t n;
  dagloon_field *fields;
} ApiRecord;

struct dagloon_rules {
  char *name;              /* the first path as given: "rules" in explanations */
  Front *front, *traced_front;   /* kept while their chunks live (NULL for a bundle) */
  Chunk *plain;            /* what evaluations run */
  Chunk *traced;           /* the same rules with trace points (explanations), or NULL */
  ApiRecord input, outputs;
  ApiRecord *records;      /* every gegevens type, schema order */
  size_t nrecords;
  char hash[65];           /* dagloon_rules_hash, made at load (hash.c) */
  bool borrowed;           /* made by api_rules_borrow: the chunk is not freed with it */
};

/* Builds r->input, r->outputs and r->records from r->plain's schema; frees them. */
void api_schema_build(struct dagloon_rules *r);
void api_schema_free(struct dagloon_rules *r);
/* Sets r->hash from r->plain; false when the code cannot be written as a bundle (why in err). */
bool api_hash_build(struct dagloon_rules *r, char *err, size_t cap);

/*
** For `dagloon run` (tools/run_cmd.c), which loads its rules itself (diagnostics with carets,
** bundles with stale warnings, the traced code only for --explain): a rule set over chunk c,
** which stays the caller's and must outlive it. traced: c has trace points and explains (then
** c computes the rows too, as run --explain does). Without the schema (dagloon_input_* give 0):
** for dagloon_run_batch and api_run_batch only. Freed with dagloon_rules_free.
*/
dagloon_rules *api_rules_borrow(Chunk *c, bool traced, const char *name);

/* The options behind dagloon_batch_options (tools/api/batch.c). */
struct dagloon_batch_options {
  int in_fmt;              /* dagloon_format: -1 AUTO */
  int out_fmt;
  int threads;             /* 0: every core */
  VmLimits limits;
  unsigned flags;          /* DAGLOON_BATCH_* */
  FILE *errors;            /* NULL: stderr */
  dagloon_error_rows errors_form;
  FILE *explanations;      /* or NULL */
  bool explain_trace;      /* explanations as the compact trace (tools/tracefile.h), not JSON Lines */
};

/*
** What `dagloon run` adds to a batch beyond the API: the summary (--summary, --html) sees every
** computed dossier's outputs, and the progress line every dossier, in input order; the writers'
** errnos come back for the command's own messages. Callbacks may be NULL. keep is called on the
** worker threads (it copies what row will read into arena a, which lives until row is called);
** row, error and tick on the calling thread, in input order.
*/
typedef struct BatchHooks {
  void *ctx;
  Value *(*keep)(void *ctx, const Value *outputs, Arena *a);
  void (*row)(void *ctx, const char *id, const Value *outputs, bool kept);   /* kept: what keep returned */
  void (*error)(void *ctx, bool input, const char *reason);
  void (*tick)(void *ctx, uint64_t done);
  int out_errno, errors_errno;   /* out: writer_close's and errwriter_close's (0: written) */
  int explain_errno;             /* out: the trace file's (tracew_close; 0: written) */
} BatchHooks;

/* dagloon_run_batch with hooks (NULL: none); a failed write is not an error here but in hooks' errnos. */
int api_run_batch(const dagloon_rules *r, const dagloon_batch_options *o, FILE *in, const char *input_name, FILE *out,
                  dagloon_batch_counts *counts, BatchHooks *hooks, dagloon_error **err);

#endif
