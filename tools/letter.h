/*
** letter.h: `dagloon explain --format brief` -- the letter a caseworker can
** send to the person of one repair dossier: a Dutch letter at B1 level, one
** self-contained HTML page with print CSS (and a PDF through headless
** Chromium, letter_pdf.c). What it says comes from the output columns and
** the traced per-month rules of a repair rule set such as rules/herstel; the
** contract (which columns and rules) is in docs/EXPLAIN.md, "The letter".
** Every rule, field and choice it names is shown by its label (docs/LANGUAGE.md,
** "Human labels"), never by its name.
*/
#ifndef DAGLOON_LETTER_H
#define DAGLOON_LETTER_H

#include <stdbool.h>
#include <stdio.h>
#include "runtime/chunk.h"
#include "runtime/trace.h"
#include "tools/explain.h"

/*
** False, with the reason in err, when the rule set cannot make a letter: an
** output column the letter needs is missing or of another type, or a choice
** it would show has no label. Checked once, before any dossier.
*/
bool letter_supported(const Chunk *c, char *err, size_t cap);

/* Writes the letter of a dossier whose evaluation succeeded (run->outputs set). */
void letter_write(const Chunk *c, const Trace *t, const ExplainRun *run, FILE *out);

/*
** The file name of a dossier's letter in a folder: the id with every byte
** but A-Z a-z 0-9 '-' '_' written %XX (so no '/', no '..', no hidden file,
** no two ids the same name), then `ext`. False when the id is empty or too
** long for a file name.
*/
bool letter_file_name(const char *id, const char *ext, char *buf, size_t cap);

#endif
