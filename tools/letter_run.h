/*
** letter_run.h: `dagloon explain ... --format brief`: the letter of one
** dossier to a file (HTML, or PDF when the name ends in .pdf) or standard
** output, and the letters of a whole population into a folder.
*/
#ifndef DAGLOON_LETTER_RUN_H
#define DAGLOON_LETTER_RUN_H

#include "runtime/chunk.h"
#include "runtime/trace.h"
#include "tools/explain.h"
#include "tools/options.h"
#include "tools/receipt.h"

/* The letter of a dossier whose evaluation succeeded, to `path` (NULL: standard output). An exit code. */
int letter_to_file(const Chunk *c, const Trace *t, const ExplainRun *run, const char *path);

/* Every dossier of INPUT: a letter in `dir`, or a row of its fouten.csv. An exit code (3 when any got no letter). */
int letter_folder_run(const ParsedArgs *a, const char *rules, const char *input, int in_fmt, const char *dir,
                      Receipt *receipt);

#endif
