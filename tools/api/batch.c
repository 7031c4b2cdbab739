/*
** batch.c: libdagloon's batches (dagloon.h, "running a population"): the run pipeline of
** `dagloon run` in one place -- the reader over the whole input, the VMs (one thread here, or
** the workers of parallel.c), the row writer, the error rows, the explanations, the limits.
** The command (tools/run_cmd.c) runs through api_run_batch with its hooks for the summary and
** the progress line; a program runs through dagloon_run_batch.
*/
#include "tools/api/api_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/trace.h"
#include "tools/api/parallel.h"
#include "tools/api/pool.h"
#include "tools/explain.h"
#include "tools/tracefile.h"
#include "tools/unverified.h"
#include "tools/version.h"

dagloon_batch_options *dagloon_batch_options_new(void) {
  dagloon_batch_options *o = xcalloc(1, sizeof *o);
  o->in_fmt = DAGLOON_FORMAT_AUTO;
  o->out_fmt = DAGLOON_FORMAT_CSV;
  return o;
}

void dagloon_batch_options_free(dagloon_batch_options *o) { xfree(o); }

int dagloon_batch_set_formats(dagloon_batch_options *o, dagloon_format input, dagloon_format output,
                              dagloon_error **err) {
  if (!o) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no options"), -1;
  if ((int)input < DAGLOON_FORMAT_AUTO || (int)input > DAGLOON_FORMAT_JSONL)
    return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "input format %d: the formats are csv and jsonl",
                    (int)input), -1;
  if ((int)output < DAGLOON_FORMAT_CSV || (int)output > DAGLOON_FORMAT_JSONL)
    return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "output format %d: the formats are csv and jsonl",
                    (int)output), -1;
  o->in_fmt = input;
  o->out_fmt = output;
  return 0;
}

int dagloon_batch_set_threads(dagloon_batch_options *o, int threads, dagloon_error **err) {
  if (!o || threads < 0 || threads > 256)
    return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "threads: a number from 1 to 256, or 0 for every core"), -1;
  o->threads = threads;
  return 0;
}

void dagloon_batch_set_limits(dagloon_batch_options *o, uint64_t max_steps, size_t max_memory_bytes) {
  if (o) o->limits = (VmLimits){max_steps, max_memory_bytes};
}

int dagloon_batch_set_flags(dagloon_batch_options *o, unsigned flags, dagloon_error **err) {
  const unsigned known = DAGLOON_BATCH_FAIL_FAST | DAGLOON_BATCH_MARK_UNVERIFIED | DAGLOON_BATCH_CSV_SAFE;
  if (!o || (flags & ~known))
    return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "unknown batch flags 0x%x", flags & ~known), -1;
  o->flags = flags;
  return 0;
}

void dagloon_batch_set_errors(dagloon_batch_options *o, FILE *f, dagloon_error_rows form) {
  if (!o) return;
  o->errors = f;
  o->errors_form = form == DAGLOON_ERRORS_CSV ? DAGLOON_ERRORS_CSV : DAGLOON_ERRORS_LINES;
}

void dagloon_batch_set_explanations(dagloon_batch_options *o, FILE *f) {
  if (o) o->explanations = f;
}

/* The input's format: as asked, else from its name, else from its first byte (pushed back). */
static bool input_format(const dagloon_batch_options *o, FILE *in, const char *name, RecFormat *fmt,
                         dagloon_error **err) {
  if (o->in_fmt != DAGLOON_FORMAT_AUTO) {
    *fmt = (RecFormat)o->in_fmt;
    return true;
  }
  if (recio_format_named(name, fmt)) return true;
  if (recio_sniff_format(in, fmt)) return true;
  api_fail(err, DAGLOON_ERR_INPUT, NULL, NULL, NULL, NULL,
           "%s: its first bytes could not be put back after telling its format: give the input format", name);
  return false;
}

/* The loop on this thread: every dossier in turn, with its explanation when asked for. */
static void run_here(const Chunk *c, const char *rules_name, const dagloon_batch_options *o, RecordReader *rd,
                     RowWriter *w, ErrorWriter *ew, FILE *lines, RecFormat out_fmt, const char *input_name,
                     RunCounts *n, bool *stopped, BatchHooks *hooks, TraceWriter *tw) {
  bool mark = o->flags & DAGLOON_BATCH_MARK_UNVERIFIED;
  FILE *xf = o->explanations;
  Vm *vm = vm_new(c);
  vm_set_limits(vm, o->limits);
  vm_mark_unverified(vm, mark);
  Arena arena;
  arena_init(&arena);
  Value *vals = xcalloc(c->noutputs + 1, sizeof *vals);
  Trace trace;
  trace_init(&trace);
  if (xf) vm_set_trace(vm, &trace);
  for (;;) {
    Record *rec = NULL;
    ReadInfo info;
    ReadStatus st = reader_next(rd, &arena, &rec, &info);
    if (st == READ_EOF) break;
    if (st == READ_BAD) {
      char where[600];
      snprintf(where, sizeof where, "%s:%" PRIu64, input_name, info.line);
      report_row_error(ew, lines, where, info.recno, info.line, info.id, info.field, "", info.reason);
      if (hooks && hooks->error) hooks->error(hooks->ctx, true, info.reason);
      n->bad_input++;
    } else {
      VmError ve;
      if (xf) trace_clear(&trace);
      bool ok = vm_run(vm, rec, &arena, vals, &ve) == VM_OK;
      if (ok) {
        if (mark) vals[c->noutputs] = unverified_value(c, vm, out_fmt, &arena);
        writer_row(w, vals);
        if (hooks && hooks->row) hooks->row(hooks->ctx, info.id, vals, false);
        n->ok++;
        if (vm_unverified_lookups(vm) > 0) n->unverified++;
      } else {
        char where[600];
        chunk_location(c, ve.span, where, sizeof where);
        report_row_error(ew, lines, where, info.recno, info.line, info.id, "", c->protos[ve.proto].name, ve.msg);
        if (hooks && hooks->error) hooks->error(hooks->ctx, false, ve.msg);
        n->bad_run++;
      }
      if (tw) {   /* the events as recorded, rendered later (dagloon explain --trace) */
        tracew_dossier(tw, info.id, info.line, rec, ok ? vals : NULL, ok ? NULL : &ve, vm_unverified_lookups(vm), &trace);
      } else if (xf) {   /* one explanation per line, as dagloon explain --format json writes it */
        ExplainRun er = {rules_name, input_name, info.id, info.line, rec, ok ? vals : NULL, ok ? NULL : &ve,
                         vm_unverified_lookups(vm), DAGLOON_VERSION, NULL};
        explain_write(c, &trace, &er, EXPLAIN_JSON_LINE, xf);
      }
    }
    if (hooks && hooks->tick) hooks->tick(hooks->ctx, n->ok + n->bad_input + n->bad_run);
    arena_reset(&arena);
    if ((o->flags & DAGLOON_BATCH_FAIL_FAST) && n->bad_input + n->bad_run > 0) {
      *stopped = true;
      break;
    }
  }
  trace_free(&trace);
  vm_free(vm);
  arena_free(&arena);
  xfree(vals);
}

int api_run_batch(const dagloon_rules *r, const dagloon_batch_options *options, FILE *in, const char *input_name,
                  FILE *out, dagloon_batch_counts *counts, BatchHooks *hooks, dagloon_error **err) {
  if (counts) memset(counts, 0, sizeof *counts);
  if (!r || !in || !out) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no rule set or no stream"), -1;
  dagloon_batch_options defaults;
  if (!options) {
    memset(&defaults, 0, sizeof defaults);
    defaults.in_fmt = DAGLOON_FORMAT_AUTO;
    options = &defaults;
  }
  const dagloon_batch_options *o = options;
  const char *name = input_name ? input_name : "-";
  bool explain = o->explanations != NULL;
  const Chunk *c = explain ? r->traced : r->plain;   /* with explanations the traced code computes the rows too */
  if (!c)
    return api_fail(err, DAGLOON_ERR_NO_TRACE, NULL, NULL, NULL, NULL,
                    "%s: this rule set has no trace points, so it cannot explain; make the bundle with "
                    "'dagloon compile --trace'", r->name), -1;
  bool mark = o->flags & DAGLOON_BATCH_MARK_UNVERIFIED;
  for (uint32_t i = 0; mark && i < c->noutputs; i++)
    if (strcmp(c->outputs[i].name, UNVERIFIED_COLUMN) == 0)
      return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL,
                      "%s: the rule set has an output column '%s' already", r->name, UNVERIFIED_COLUMN), -1;
  RecFormat in_fmt;
  if (!input_format(o, in, name, &in_fmt, err)) return -1;
  char *why = NULL;
  RecordReader *rd = reader_open(&c->schema, in, name, in_fmt, &why);
  if (!rd) {
    api_fail(err, DAGLOON_ERR_INPUT, NULL, NULL, NULL, NULL, "%s", why ? why : "cannot read");
    xfree(why);
    return -1;
  }
  if (o->limits.memory) reader_set_max_record(rd, o->limits.memory);
  RecFormat out_fmt = (RecFormat)o->out_fmt;
  bool csv_safe = o->flags & DAGLOON_BATCH_CSV_SAFE;
  uint32_t ncols = c->noutputs + mark;   /* 'ongeverifieerd' last */
  OutColumn *cols = xcalloc(ncols, sizeof *cols);
  for (uint32_t i = 0; i < c->noutputs; i++) cols[i] = (OutColumn){c->outputs[i].name, c->outputs[i].type};
  if (mark) cols[c->noutputs] = (OutColumn){UNVERIFIED_COLUMN, unverified_type(out_fmt)};
  RowWriter *w = writer_open(out, out_fmt, &c->schema, cols, ncols);
  writer_set_csv_safe(w, csv_safe);
  ErrorWriter *ew = o->errors && o->errors_form == DAGLOON_ERRORS_CSV ? errwriter_open(o->errors) : NULL;
  if (ew) errwriter_set_csv_safe(ew, csv_safe);
  FILE *lines = o->errors ? o->errors : stderr;
  TraceWriter *tw = NULL;
  if (explain && o->explain_trace) {
    char why2[400];
    if (!(tw = tracew_open(o->explanations, c, name, why2, sizeof why2))) {
      reader_close(rd);
      return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "%s", why2), -1;
    }
  }
  int threads = explain || (o->flags & DAGLOON_BATCH_FAIL_FAST) ? 1 : o->threads;
  threads = pool_threads(threads);
  RunCounts n = {0};
  bool stopped = false;
  if (threads > 1) run_parallel(c, rd, w, ew, lines, cols, ncols, out_fmt, name, threads, o->limits, &n, hooks);
  else run_here(c, r->name, o, rd, w, ew, lines, out_fmt, name, &n, &stopped, hooks, tw);
  int explain_errno = tracew_close(tw);
  int out_errno = writer_close(w);
  int errors_errno = ew ? errwriter_close(ew) : 0;
  if (!ew && o->errors && (fflush(o->errors) != 0 || ferror(o->errors))) errors_errno = EIO;   /* lines to a stream */
  bool read_failed = reader_read_failed(rd);
  reader_close(rd);
  xfree(cols);
  if (counts)
    *counts = (dagloon_batch_counts){n.ok, n.bad_input, n.bad_run, n.unverified, stopped, read_failed};
  if (hooks) {
    hooks->out_errno = out_errno;
    hooks->errors_errno = errors_errno;
    hooks->explain_errno = explain_errno;
    return 0;
  }
  bool explained = !explain || (!explain_errno && fflush(o->explanations) == 0 && !ferror(o->explanations));
  if (out_errno || errors_errno || !explained)
    return api_fail(err, DAGLOON_ERR_WRITE, NULL, NULL, NULL, NULL, "writing the %s failed: %s",
                    out_errno ? "rows" : errors_errno ? "error rows" : "explanations",
                    strerror(out_errno ? out_errno : errors_errno ? errors_errno : EIO)), -1;
  return 0;
}

int dagloon_run_batch(const dagloon_rules *rules, const dagloon_batch_options *options, FILE *in,
                      const char *input_name, FILE *out, dagloon_batch_counts *counts, dagloon_error **err) {
  return api_run_batch(rules, options, in, input_name, out, counts, NULL, err);
}
