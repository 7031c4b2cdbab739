/*
** explain.h: `dagloon explain` -- why one dossier came out as it did. The
** VM's trace of the dossier (runtime/trace.h) becomes a tree per output
** column: each rule with its value and its source (article, lid), the
** version chosen and the peildatum that chose it, the exceptions that
** applied and those that did not, the input fields read, every table row
** used (with its source and status), every rounding and revision step.
** Written as text for the terminal, as JSON (schema in docs/EXPLAIN.md), or
** as a Dutch HTML page for a citizen (explain_html.c).
*/
#ifndef DAGLOON_EXPLAIN_H
#define DAGLOON_EXPLAIN_H

#include <stdio.h>
#include "runtime/chunk.h"
#include "runtime/trace.h"
#include "runtime/vm.h"

/* EXPLAIN_JSON_LINE: the JSON on one line (dagloon run --explain writes one per dossier). */
/* EXPLAIN_BRIEF: the letter to the person (tools/letter.h), written by dagloon explain itself, not explain_write. */
typedef enum ExplainFormat { EXPLAIN_TEXT = 0, EXPLAIN_JSON, EXPLAIN_HTML, EXPLAIN_JSON_LINE, EXPLAIN_BRIEF } ExplainFormat;

/* What to show of it (dagloon explain --column, --depth); a NULL ExplainRun.options shows everything. */
typedef struct ExplainOptions {
  const char *column_name;    /* --column as given, or NULL; explain_find_column makes it `column` */
  int column;                 /* the output column to explain (index into Chunk.outputs), or -1 for every column */
  int depth;                  /* levels shown below each column's rule (text and JSON), or -1 for all */
} ExplainOptions;

/* What was explained: the dossier, and how its evaluation ended. */
typedef struct ExplainRun {
  const char *rules;          /* the RULES argument, as given */
  const char *input;          /* the INPUT argument */
  const char *id;             /* the dossier's key */
  uint64_t line;              /* its line in INPUT */
  const Record *record;       /* the dossier as read */
  const Value *outputs;       /* c->noutputs values, or NULL when the evaluation failed */
  const VmError *error;       /* the failure, when outputs is NULL */
  uint64_t unverified;        /* lookups that landed on 'unverified' rows */
  const char *engine;         /* engine version */
  const ExplainOptions *options;   /* NULL: every column, in full */
} ExplainRun;

/* The index of output column `name`, or -1 after writing to err why not (the columns, and the closest). */
int explain_find_column(const Chunk *c, const char *name, FILE *err);

/* Writes the explanation of the traced dossier to out. */
void explain_write(const Chunk *c, const Trace *t, const ExplainRun *run, ExplainFormat fmt, FILE *out);

#endif
