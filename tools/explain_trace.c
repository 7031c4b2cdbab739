/*
** explain_trace.c: explanations rendered from a compact trace (see explain_trace.h). The
** dossier, its outputs or error and its events come back from the file as the run had them,
** and go through the same explain_write as a computed dossier: the bytes are the same.
*/
#include "tools/explain_trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/i18n.h"
#include "tools/cli.h"
#include "tools/letter.h"
#include "tools/letter_run.h"
#include "tools/outfile.h"
#include "tools/tracefile.h"

static ExplainRun run_of(const TraceReader *tr, const TraceDossier *d, const char *rules, const ExplainOptions *show) {
  return (ExplainRun){rules, tracer_input(tr), d->id, d->line, d->record, d->outputs, d->error, d->unverified,
                      tracer_engine(tr), show};
}

/* One dossier, as `dagloon explain RULES INPUT --id ID` shows it. */
static int one(TraceReader *tr, const Chunk *c, const char *rules, const char *trace, const char *id, ExplainFormat fmt,
               const char *outpath, const ExplainOptions *show) {
  TraceDossier d;
  char err[700];
  int got = tracer_next(tr, id, &d, err, sizeof err);
  if (got < 0) {
    fprintf(stderr, "dagloon: %s\n", err);
    return EXIT_USAGE;
  }
  if (got == 0) {
    fprintf(stderr, _("dagloon: %s has no dossier with %s = %s\n"), trace,
            c->schema.records[c->schema.input].fields[c->schema.key_field].name, id);
    return EXIT_USAGE;
  }
  ExplainRun run = run_of(tr, &d, rules, show);
  if (fmt == EXPLAIN_BRIEF) {
    if (d.outputs) return letter_to_file(c, d.trace, &run, outpath);
    fprintf(stderr, _("dagloon: dossier %s gives an error row, so no letter is written: %s\n"), id, d.error->msg);
    return EXIT_RECORD_ERRORS;
  }
  OutFile of;
  FILE *out = outfile_open(&of, outpath);
  if (!out) return EXIT_WRITE_ERROR;
  explain_write(c, d.trace, &run, fmt, out);
  int rc = d.outputs ? EXIT_OK : EXIT_RECORD_ERRORS;
  return outfile_commit(&of) ? rc : EXIT_WRITE_ERROR;
}

/* Every dossier, one JSON object per line: what `run --explain FILE --explain-format jsonl` writes. */
static int every(TraceReader *tr, const Chunk *c, const char *rules, const char *outpath, const ExplainOptions *show) {
  OutFile of;
  FILE *out = outfile_open(&of, outpath);
  if (!out) return EXIT_WRITE_ERROR;
  int rc = EXIT_OK, got;
  TraceDossier d;
  char err[700];
  while ((got = tracer_next(tr, NULL, &d, err, sizeof err)) > 0) {
    ExplainRun run = run_of(tr, &d, rules, show);
    explain_write(c, d.trace, &run, EXPLAIN_JSON_LINE, out);
    if (!d.outputs) rc = EXIT_RECORD_ERRORS;
  }
  if (got < 0) {   /* nothing half: the file refused is not put in place */
    fprintf(stderr, "dagloon: %s\n", err);
    outfile_abort(&of);
    return EXIT_USAGE;
  }
  return outfile_commit(&of) ? rc : EXIT_WRITE_ERROR;
}

int explain_from_trace(const ParsedArgs *a, const char *rules, const char *trace, const char *id, ExplainFormat fmt,
                       const char *outpath, ExplainOptions *show) {
  Front f;
  int status;
  Chunk *c = load_traced(&f, rules, &status);
  if (!c) return status;
  char why[700];
  int rc = EXIT_OK;
  FILE *in = NULL;
  TraceReader *tr = NULL;
  if (fmt == EXPLAIN_BRIEF && !letter_supported(c, why, sizeof why)) {
    fprintf(stderr, "dagloon: %s: %s\n", rules, why);
    rc = EXIT_USAGE;
  } else if (!outputs_not_sources(a, c) ||
             (show->column_name && (show->column = explain_find_column(c, show->column_name, stderr)) < 0)) {
    rc = EXIT_USAGE;
  } else if (c->schema.input < 0 || c->schema.key_field < 0) {
    fprintf(stderr, _("dagloon: %s: the invoer has no key field ('sleutel'), so no dossier can be named\n"), rules);
    rc = EXIT_USAGE;
  } else if (!(in = open_input(trace))) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), trace, strerror(errno));
    rc = EXIT_USAGE;
  } else if (!(tr = tracer_open(in, trace, c, why, sizeof why))) {
    fprintf(stderr, "dagloon: %s\n", why);
    rc = EXIT_USAGE;
  } else {
    rc = id ? one(tr, c, rules, trace, id, fmt, outpath, show) : every(tr, c, rules, outpath, show);
  }
  tracer_close(tr);
  if (in && in != stdin) fclose(in);
  chunk_free(c);
  front_free(&f);
  return rc;
}
