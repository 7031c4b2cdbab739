/*
** run_cmd.c: `dagloon run RULES INPUT`: its options, the rules loaded with their diagnostics,
** the output files (each renamed into place only when every one was written), the receipt and
** the summary. The population itself runs through libdagloon's batch (tools/api/batch.c,
** api_run_batch): the reader, the VMs and threads, the writer, the error rows and the
** explanations live there, once, for the command and for programs alike.
*/
#include "tools/run_cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/front.h"
#include "runtime/i18n.h"
#include "runtime/recio.h"
#include "tools/api/api_internal.h"
#include "tools/cli.h"
#include "tools/outfile.h"
#include "tools/progress.h"
#include "tools/receipt.h"
#include "tools/run_report.h"
#include "tools/run_summary.h"
#include "tools/tracefile.h"
#include "tools/unverified.h"
#include "tools/version.h"

typedef struct RunOptions {
  const char *rules, *input, *out, *errors, *receipt, *explain;
  bool explain_trace;    /* --explain-format trace (or FILE ends in .dtrace): the compact trace */
  const char *summary, *by, *html;   /* the population summary (tools/run_summary.h) */
  int out_fmt, in_fmt;   /* -1: from the file name */
  int threads;           /* 0: every core */
  VmLimits limits;       /* per dossier; 0s: the VM's defaults */
  bool fail_fast;        /* stop at the first error row */
  bool mark_unverified;  /* the column 'ongeverifieerd' (tools/unverified.h) */
  bool csv_safe;         /* text cells that look like formulas get a ' (runtime/recio.h) */
  const ParsedArgs *args;   /* the command line, for its output files */
} RunOptions;

static int run_rules(const RunOptions *op, Receipt *receipt);

int cmd_run(const ParsedArgs *a) {
  const CommandSpec *cmd = a->command;
  RunOptions o = {NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, -1, -1, 0, {0, 0}, false, false, false, NULL};
  const char *why = parse_limits(a, &o.limits);
  if (!why) why = parse_threads(a, &o.threads);
  if (why) return command_usage_error(cmd, why);
  RecFormat fmt;
  const char *out_fmt = option_value(a, "format"), *in_fmt = option_value(a, "input-format");
  if (out_fmt && !parse_record_format(out_fmt, &fmt)) return command_usage_error(cmd, "formats are csv and jsonl");
  if (out_fmt) o.out_fmt = (int)fmt;
  if (in_fmt && !parse_record_format(in_fmt, &fmt)) return command_usage_error(cmd, "formats are csv and jsonl");
  if (in_fmt) o.in_fmt = (int)fmt;
  o.out = option_value(a, "output");
  o.receipt = option_value(a, "receipt");
  o.explain = option_value(a, "explain");
  const char *xfmt = option_value(a, "explain-format");
  if (xfmt && strcmp(xfmt, "trace") != 0 && strcmp(xfmt, "jsonl") != 0)
    return command_usage_error(cmd, "--explain-format is trace or jsonl");
  if (xfmt && !o.explain) return command_usage_error(cmd, "--explain-format says how to write --explain FILE: give --explain FILE");
  o.explain_trace = xfmt ? strcmp(xfmt, "trace") == 0 : o.explain && tracefile_named(o.explain);
  o.errors = option_value(a, "errors");
  o.fail_fast = option_given(a, "fail-fast");
  o.mark_unverified = option_given(a, "mark-unverified");
  o.csv_safe = option_given(a, "csv-safe");
  o.summary = option_value(a, "summary");
  o.by = option_value(a, "by");
  o.html = option_value(a, "html");
  if (o.by && !o.summary && !o.html) return command_usage_error(cmd, "--by groups the summary: give --summary FILE or --html FILE");
  o.args = a;
  if (a->noperands > 2) return command_usage_error(cmd, "run takes one rule path and one input file");
  if (a->noperands < 2) return command_usage_error(cmd, "run needs RULES and INPUT");
  o.rules = a->operands[0];
  o.input = a->operands[1];
  if (o.explain && o.threads > 1) return command_usage_error(cmd, "--explain runs on one thread (leave out --threads)");
  Receipt *receipt = receipt_begin(o.receipt, dagloon_argc, dagloon_argv);
  return receipt_end(receipt, run_rules(&o, receipt), DAGLOON_VERSION);
}

/* The summary and the progress line as the batch's hooks (tools/api/api_internal.h). */
typedef struct RunWatch {
  RunSummary *sum;   /* or NULL */
  Progress *prog;
} RunWatch;

static Value *watch_keep(void *ctx, const Value *outputs, Arena *a) {
  return run_summary_keep(((RunWatch *)ctx)->sum, outputs, a);
}
static void watch_row(void *ctx, const char *id, const Value *outputs, bool kept) {
  run_summary_add(((RunWatch *)ctx)->sum, id, outputs, kept);
}
static void watch_error(void *ctx, bool input, const char *reason) { run_summary_error(((RunWatch *)ctx)->sum, input, reason); }
static void watch_tick(void *ctx, uint64_t done) { progress_tick(((RunWatch *)ctx)->prog, done); }

/* The dossiers of `in` through the batch into the opened outputs; the lines on stderr after it; the exit code. */
static int run_batch(const RunOptions *op, Chunk *c, FILE *in, RecFormat in_fmt, RecFormat out_fmt, FILE *out,
                     FILE *errf, FILE *xf, OutFile *outs, RunSummary *sum) {
  const RunOptions o = *op;
  dagloon_rules *r = api_rules_borrow(c, xf != NULL, o.rules);
  dagloon_batch_options bo = {(int)in_fmt, (int)out_fmt, o.threads, o.limits,
                              (o.fail_fast ? DAGLOON_BATCH_FAIL_FAST : 0) | (o.mark_unverified ? DAGLOON_BATCH_MARK_UNVERIFIED : 0) |
                                  (o.csv_safe ? DAGLOON_BATCH_CSV_SAFE : 0),
                              errf, errf ? DAGLOON_ERRORS_CSV : DAGLOON_ERRORS_LINES, xf, o.explain_trace};
  RunWatch watch = {sum, progress_start(in)};
  BatchHooks hooks = {&watch, sum ? watch_keep : NULL, sum ? watch_row : NULL, sum ? watch_error : NULL, watch_tick, 0, 0, 0};
  dagloon_batch_counts n;
  dagloon_error *e = NULL;
  int started = api_run_batch(r, &bo, in, o.input, out, &n, &hooks, &e);
  progress_end(watch.prog);
  dagloon_rules_free(r);
  if (started < 0) {
    fprintf(stderr, _("%s: error: %s\n"), o.input, dagloon_error_message(e));
    dagloon_error_free(e);
    return EXIT_USAGE;
  }
  if (n.stopped)
    fprintf(stderr, _("dagloon: stopped at the first error row (--fail-fast); the rest of '%s' is not read\n"), o.input);
  outfile_note_error(&outs[0], hooks.out_errno);   /* a failed write, with its reason */
  if (errf) outfile_note_error(&outs[1], hooks.errors_errno);
  if (xf) outfile_note_error(&outs[2], hooks.explain_errno);
  uint64_t bad = n.input_errors + n.computation_errors, total = n.ok + bad;
  fprintf(stderr, ngettext("dagloon: %" PRIu64 " record: ", "dagloon: %" PRIu64 " records: ", total), total);
  fprintf(stderr, ngettext("%" PRIu64 " ok, %" PRIu64 " error (%" PRIu64 " input, %" PRIu64 " computation)\n",
                           "%" PRIu64 " ok, %" PRIu64 " errors (%" PRIu64 " input, %" PRIu64 " computation)\n", bad),
          n.ok, bad, n.input_errors, n.computation_errors);
  if (n.unverified)
    fprintf(stderr,
            o.mark_unverified
              ? ngettext("dagloon: warning: %" PRIu64 " result rests on table values marked 'unverified'; column '%s' "
                         "names the rows\n",
                         "dagloon: warning: %" PRIu64 " results rest on table values marked 'unverified'; column '%s' "
                         "names the rows\n", n.unverified)
              : ngettext("dagloon: warning: %" PRIu64 " result rests on table values marked 'unverified' "
                         "(--mark-unverified names them)%s\n",
                         "dagloon: warning: %" PRIu64 " results rest on table values marked 'unverified' "
                         "(--mark-unverified names them)%s\n", n.unverified),
            n.unverified, o.mark_unverified ? UNVERIFIED_COLUMN : "");
  int rc = bad ? EXIT_RECORD_ERRORS : EXIT_OK;
  if (n.read_failed) {   /* not a finished run with error rows: the rest of the input is missing */
    fprintf(stderr, _("dagloon: cannot read '%s' to its end: the results stop at the read error\n"), o.input);
    rc = EXIT_USAGE;
  }
  return rc;
}

/* dagloon run, once its options are read. */
static int run_rules(const RunOptions *op, Receipt *receipt) {
  RunOptions o = *op;
  Front f;
  front_init(&f);
  f.trace = o.explain != NULL;   /* explanations need the code with trace points */
  int status;
  Chunk *c = load_chunk(&f, o.rules, &status);
  if (!c) {
    front_free(&f);
    return status;
  }
  if (c->noutputs == 0 || c->schema.input < 0) {
    fprintf(stderr, _("dagloon: %s: the rule set declares no %s; nothing to compute\n"), o.rules,
            c->noutputs == 0 ? "'uitvoer' (output columns)" : "'invoer' (dossier fields)");
    chunk_free(c);
    front_free(&f);
    return EXIT_RULE_ERRORS;
  }

  for (uint32_t i = 0; o.mark_unverified && i < c->noutputs; i++)
    if (strcmp(c->outputs[i].name, UNVERIFIED_COLUMN) == 0) {
      fprintf(stderr, _("dagloon: %s: the rule set has an output column '%s' already; --mark-unverified would add "
              "another\n"), o.rules, UNVERIFIED_COLUMN);
      chunk_free(c);
      front_free(&f);
      return EXIT_USAGE;
    }
  if (!outputs_not_sources(o.args, c)) {
    receipt_discard(receipt);   /* --receipt may be the file refused */
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  receipt_rules(receipt, o.rules, c);
  receipt_file(receipt, "input", o.input);
  FILE *in = open_input(o.input);
  if (!in) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), o.input, strerror(errno));
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  char why[300];
  RunSummary *sum = NULL;
  if ((o.summary || o.html) && !(sum = run_summary_new(c, o.by, why, sizeof why))) {
    fprintf(stderr, "dagloon: %s\n", why);
    if (in != stdin) fclose(in);
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  /* the rows, the error rows, the explanations, the summary and its page: renamed over their names at the end */
  enum { NOUTS = 5 };
  OutFile outs[NOUTS] = {{0}};
  FILE *out = outfile_open(&outs[0], o.out);
  FILE *errf = out && o.errors ? outfile_open(&outs[1], o.errors) : NULL;
  FILE *xf = out && (!o.errors || errf) && o.explain ? outfile_open(&outs[2], o.explain) : NULL;
  if (!out || (o.errors && !errf) || (o.explain && !xf)) {
    if (in != stdin) fclose(in);
    for (int i = 0; i < NOUTS; i++) outfile_abort(&outs[i]);
    run_summary_free(sum);
    chunk_free(c);
    front_free(&f);
    return EXIT_WRITE_ERROR;
  }
  RecFormat in_fmt;
  bool in_known = dossier_format(in, o.input, o.in_fmt, &in_fmt);   /* its own messages; the batch is told */
  RecFormat out_fmt = o.out_fmt >= 0 ? (RecFormat)o.out_fmt : o.out ? recio_format_from_name(o.out) : FMT_CSV;
  int rc = EXIT_OK;
  if (!in_known) {
    rc = EXIT_USAGE;
  } else {
    rc = run_batch(&o, c, in, in_fmt, out_fmt, out, errf, xf, outs, sum);
  }
  if (in != stdin) fclose(in);
  /* the summary and its page, once every row is in (not for a run that could not read its input) */
  bool written = rc != EXIT_USAGE;
  json_t *sj = written && sum ? run_summary_json(sum, o.rules, o.input) : NULL;
  if (sum && written && !sj) rc = EXIT_USAGE;
  if (sj && o.summary) {
    FILE *sf = outfile_open(&outs[3], o.summary);
    if (sf) run_summary_write(sj, o.summary, o.csv_safe, sf);
    else written = false;
  }
  if (sj && o.html) {
    FILE *hf = outfile_open(&outs[4], o.html);
    if (hf) run_report_html(sj, hf);
    else written = false;
  }
  json_decref(sj);
  run_summary_free(sum);
  written = written && rc != EXIT_USAGE;
  /* every output checked (each failure named); when one fails, none is put in place */
  for (int i = 0; i < NOUTS; i++) written = outfile_finish(&outs[i]) && written;
  for (int i = 0; i < NOUTS && written; i++) written = outfile_commit(&outs[i]);
  for (int i = 0; i < NOUTS; i++) outfile_abort(&outs[i]);
  if (!written && rc != EXIT_USAGE) rc = EXIT_WRITE_ERROR;
  if (o.out) receipt_file(receipt, "output", o.out);
  if (o.explain) receipt_file(receipt, "explanations", o.explain);
  if (o.errors) receipt_file(receipt, "errors", o.errors);
  if (o.summary) receipt_file(receipt, "summary", o.summary);
  if (o.html) receipt_file(receipt, "report", o.html);
  chunk_free(c);
  front_free(&f);
  return rc;
}

