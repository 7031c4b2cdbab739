/*
** check_report.h: the diagnostics of 'dagloon check' as data, for tools
** rather than a terminal: --format json (the shape docs/DIAGNOSTICS.md
** describes, modelled on LSP's Diagnostic: code, severity, range, message,
** notes with their places, fixes) and --format sarif (SARIF 2.1.0, for CI
** code scanning). Positions are 1-based lines and columns in characters, as
** the text form prints them; an end is the position just after the span.
*/
#ifndef DAGLOON_CHECK_REPORT_H
#define DAGLOON_CHECK_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "lang/front.h"

typedef enum CheckFormat { CHECK_TEXT, CHECK_JSON, CHECK_SARIF } CheckFormat;

typedef struct CheckReport CheckReport;

/* "text", "json" or "sarif" into *fmt; false for anything else. */
bool check_format_parse(const char *s, CheckFormat *fmt);

CheckReport *check_report_new(CheckFormat fmt);
/* Add one rule set as checked (its diagnostics are sorted here). */
void check_report_add(CheckReport *r, const char *path, Front *f);
/* Write the report (one JSON document) to `out` and free it; false if it could not be written. */
bool check_report_finish(CheckReport *r, FILE *out);

/*
** A JSON string of text from outside (a path, a message quoting a file):
** bytes that are not UTF-8 become U+FFFD (jansson would refuse the string).
** For the language server's diagnostics, the same data this report gives.
*/
json_t *check_report_text(const char *s);
/* A diagnostic's message followed by its notes that have no place ("\nnote: did you mean 'x'?"), as SARIF and the LSP show it. Malloc'd. */
char *check_report_message(const Diag *dg);

#endif
