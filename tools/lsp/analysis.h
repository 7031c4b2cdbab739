/*
** analysis.h: one rule set as the language server sees it: compiled up to
** checking (never to code), with the checker's Program kept so the queries
** (features.h) can ask what a name is. Built again after every change; the
** server keeps the last one whose checking ran, for completion while the
** text does not parse.
*/
#ifndef DAGLOON_LSP_ANALYSIS_H
#define DAGLOON_LSP_ANALYSIS_H

#include <stdbool.h>
#include "lang/check.h"
#include "lang/front.h"

/* What the client set (initializationOptions / workspace/didChangeConfiguration). */
typedef struct LspSettings {
  char date[11];    /* "dagloon.datum": the day a table hover shows the row of; "" = the nearest case's day */
} LspSettings;

typedef struct Analysis {
  Front front;      /* front.src: every file read (rule files, used sets, a base, table CSVs); front.diags;
                       front.prog: the checked Program, or NULL when a file did not parse */
  char *root;       /* the rule-set folder compiled, absolute */
  struct Xref *xref; /* every declaration and every place naming one (xref.h), built with the analysis */
} Analysis;

/*
** Compile the rule set in folder `root` up to checking. Returns false only
** when nothing could be read (the message in a->front.load_error); errors
** in the rules are diagnostics in a->front.diags.
*/
bool analysis_build(Analysis *a, const char *root);
/* The same reading the files `overlay` has text for from it (the editor's unsaved buffers), not the disk. */
bool analysis_build_with(Analysis *a, const char *root, const SourceOverlay *overlay);
void analysis_free(Analysis *a);

/* The index in a->front.src of the file at absolute path `path`, or -1. */
int analysis_file(const Analysis *a, const char *path);

#endif
