/*
** feature_util.h: what the language queries (hover.c, navigate.c, ...)
** share: the occurrence under the cursor, where a symbol is declared, which
** files are the rule set's own (not a used set's or a proposal's base), a
** file's language, and the table file and row of a table.
*/
#ifndef DAGLOON_LSP_FEATURE_UTIL_H
#define DAGLOON_LSP_FEATURE_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include "analysis.h"
#include "xref.h"
#include "runtime/table.h"

/* The occurrence at byte `off` of file `file` (NULL when nothing is named there or nothing was checked). */
const XOcc *feat_occ_at(const Analysis *a, uint32_t file, uint32_t off);

/* Location of a span ("uri" + "range"), NULL when it has none. */
json_t *feat_location(const Analysis *a, Span s);

/* Whether file `file` is one of the rule files of the set compiled (a->root), not of a used set or a base. */
bool feat_own_file(const Analysis *a, uint32_t file);

/* The language of a rule file (LANG_NL for table files and out of range). */
Lang feat_lang(const Analysis *a, uint32_t file);

/* The loaded rows of table t, or NULL. The file index of its CSV in a->front.src, or -1. */
const Table *feat_table(const Analysis *a, uint32_t t);
int feat_table_file(const Analysis *a, uint32_t t);

/* The byte span of line `line` (from 1) of a file, without its newline. */
Span feat_line_span(const SourceFile *f, uint32_t file, uint32_t line);

/* The language a file's text declares at its top ('taal en' / 'language en'), for text that may not parse. */
Lang feat_text_lang(const char *text, uint32_t len);

/* A name of the language: [A-Za-z_][A-Za-z0-9_]*, not a keyword of either language. */
bool feat_is_name(const char *s);

#endif
