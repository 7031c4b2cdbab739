/*
** run_summary.h: `dagloon run RULES INPUT --summary FILE [--by COLUMN]` -- an
** exact summary of a population's results: per keuze (and waarheid) output
** column the dossiers per value, per geld, geheel and getal column the count,
** how many are not zero, the exact total, minimum, quartiles, median, maximum
** and mean; the error rows counted by reason; the largest cases per geld
** column with their ids; all of it also per value of one keuze column (--by).
** The formats are compare's (tools/report_format.h): text, JSON (.json), and
** CSV (.csv); the page (--html) is tools/run_report.c.
**
** Rows are added in input order (run_summary_add, run_summary_error), so the
** summary is the same for any number of threads.
*/
#ifndef DAGLOON_RUN_SUMMARY_H
#define DAGLOON_RUN_SUMMARY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "runtime/chunk.h"
#include "runtime/mem.h"
#include "runtime/value.h"

typedef struct RunSummary RunSummary;

/*
** A summary of the outputs of c; `by` names a keuze or waarheid output
** column, or is NULL. NULL, with the reason in why, when it names none.
*/
RunSummary *run_summary_new(const Chunk *c, const char *by, char *why, size_t cap);
void run_summary_free(RunSummary *s);

/*
** The values the summary reads of a computed dossier's outputs, copied into
** arena a (outputs may live in memory the VM reuses): for a worker thread,
** which hands them to the writing thread in input order.
*/
Value *run_summary_keep(const RunSummary *s, const Value *outputs, Arena *a);

/* A computed dossier: its id and its outputs (all of them, or what run_summary_keep kept: kept = true). */
void run_summary_add(RunSummary *s, const char *id, const Value *values, bool kept);
/* A dossier with an error row: an input error (unreadable) or a computation error, and its reason. */
void run_summary_error(RunSummary *s, bool input, const char *reason);

/* The summary as JSON (the text and CSV forms are written from it); NULL, with a message, when a total overflows. */
json_t *run_summary_json(RunSummary *s, const char *rules, const char *input);

/* The summary into f: JSON when path ends in .json, CSV in .csv, else text. */
void run_summary_write(json_t *j, const char *path, bool csv_safe, FILE *f);

#endif
