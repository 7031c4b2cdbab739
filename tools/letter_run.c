/*
** letter_run.c: the letters as dagloon explain writes them (see letter_run.h).
*/
#include "tools/letter_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/vm.h"
#include "tools/cli.h"
#include "tools/explain_eval.h"
#include "tools/letter.h"
#include "tools/letter_folder.h"
#include "tools/letter_pdf.h"
#include "tools/outfile.h"
#include "tools/version.h"
#include "runtime/i18n.h"

static bool ends_with(const char *s, const char *tail) {
  size_t n = strlen(s), k = strlen(tail);
  return n >= k && strcmp(s + n - k, tail) == 0;
}

/* The letter's page in memory. */
static char *render(const Chunk *c, const Trace *t, const ExplainRun *run, size_t *len) {
  char *buf = NULL;
  FILE *m = open_memstream(&buf, len);
  if (!m) return NULL;
  letter_write(c, t, run, m);
  if (fclose(m) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

int letter_to_file(const Chunk *c, const Trace *t, const ExplainRun *run, const char *path) {
  size_t len = 0;
  char *page = render(c, t, run, &len);
  if (!page) {
    fprintf(stderr, _("dagloon: out of memory for the letter\n"));
    return EXIT_WRITE_ERROR;
  }
  int rc = EXIT_OK;
  if (path && ends_with(path, ".pdf")) {
    if (!letter_pdf(page, len, path)) rc = EXIT_WRITE_ERROR;
  } else {
    OutFile of;
    FILE *out = outfile_open(&of, path);
    if (!out) rc = EXIT_WRITE_ERROR;
    else {
      fwrite(page, 1, len, out);
      if (!outfile_commit(&of)) rc = EXIT_WRITE_ERROR;
    }
  }
  free(page);
  return rc;
}

/* One dossier read well: computed with a trace (t, reused for every dossier), then a letter or an error row. */
static void one(TracedEval *t, LetterFolder *lf, const char *rules, const char *input, Record *rec, Arena *arena,
                const ReadInfo *info, uint64_t recno) {
  const Chunk *c = t->c;
  if (!traced_eval(t, rec, arena)) {
    const VmError *ve = &t->error;
    char loc[320];
    chunk_location(c, ve->span, loc, sizeof loc);
    letter_folder_error(lf, recno, info->line, info->id, "", ve->proto < c->nprotos ? c->protos[ve->proto].name : "", loc,
                        ve->msg);
  } else {
    ExplainRun run = traced_eval_run(t, rules, input, info->id, info->line, rec, NULL);
    size_t len = 0;
    char *page = render(c, &t->trace, &run, &len);
    char why[400];
    if (!page) letter_folder_error(lf, recno, info->line, info->id, "", "", "", "out of memory for the letter");
    else if (!letter_folder_put(lf, info->id, ".html", page, len, why, sizeof why))
      letter_folder_error(lf, recno, info->line, info->id, "", "", "", why);
    free(page);
  }
}

int letter_folder_run(const ParsedArgs *a, const char *rules, const char *input, int in_fmt, const char *dir,
                      Receipt *receipt) {
  Front f;
  int status;
  Chunk *c = load_traced(&f, rules, &status);
  if (!c) return status;
  char why[400];
  int rc = EXIT_OK;
  FILE *in = NULL;
  RecordReader *rd = NULL;
  RecFormat rf;
  char *err = NULL;
  if (!letter_supported(c, why, sizeof why)) {
    fprintf(stderr, "dagloon: %s: %s\n", rules, why);
    rc = EXIT_USAGE;
  } else if (!outputs_not_sources(a, c)) {
    receipt_discard(receipt);
    rc = EXIT_USAGE;
  } else if (!(in = open_input(input))) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), input, strerror(errno));
    rc = EXIT_USAGE;
  } else if (!dossier_format(in, input, in_fmt, &rf)) {
    rc = EXIT_USAGE;
  } else if (!(rd = reader_open(&c->schema, in, input, rf, &err))) {
    fprintf(stderr, _("%s: error: %s\n"), input, err ? err : _("cannot read"));
    free(err);
    rc = EXIT_USAGE;
  }
  LetterFolder *lf = rc == EXIT_OK ? letter_folder_open(dir) : NULL;
  if (rc == EXIT_OK && !lf) rc = EXIT_WRITE_ERROR;
  if (lf) {
    receipt_rules(receipt, rules, c);
    receipt_file(receipt, "input", input);
    Arena arena;
    arena_init(&arena);
    TracedEval t;
    traced_eval_init(&t, c, (VmLimits){0, 0});
    uint64_t recno = 0;
    for (;;) {
      Record *rec = NULL;
      ReadInfo info;
      ReadStatus st = reader_next(rd, &arena, &rec, &info);
      if (st == READ_EOF) break;
      recno++;
      if (st == READ_BAD)
        letter_folder_error(lf, recno, info.line, info.id, info.field ? info.field : "", "", "", info.reason);
      else
        one(&t, lf, rules, input, rec, &arena, &info, recno);
      arena_reset(&arena);
    }
    traced_eval_free(&t);
    arena_free(&arena);
    bool read_failed = reader_read_failed(rd);
    size_t letters = 0, errors = 0;
    if (!letter_folder_close(lf, &letters, &errors)) rc = EXIT_WRITE_ERROR;
    else if (read_failed) rc = EXIT_USAGE;
    else if (errors) rc = EXIT_RECORD_ERRORS;
    fprintf(stderr, ngettext("dagloon: %zu letter in %s, ", "dagloon: %zu letters in %s, ", letters), letters, dir);
    fprintf(stderr, ngettext("%zu dossier without a letter (%sfouten.csv)\n", "%zu dossiers without a letter (%sfouten.csv)\n",
                             errors), errors, dir);
  }
  if (rd) reader_close(rd);
  if (in && in != stdin) fclose(in);
  chunk_free(c);
  front_free(&f);
  return rc;
}
