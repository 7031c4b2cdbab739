/*
** diagnostics.h: the front end's diagnostics as LSP publishDiagnostics.
** Every file of every known rule set (rule files, used sets, a base, table
** CSVs) gets the list of its diagnostics; a file whose list changed is
** published again, and one that had some and has none now gets [] so the
** editor clears it. The same data as 'dagloon check --format json'
** (check_report.h): code, severity, range, the message with the notes that
** have no place, relatedInformation for the notes that do, and for a code
** capped by DIAG_MAX_PER_CODE one more diagnostic saying how many more.
*/
#ifndef DAGLOON_LSP_DIAGNOSTICS_H
#define DAGLOON_LSP_DIAGNOSTICS_H

#include <jansson.h>
#include <stdbool.h>
#include "workspace.h"

/* uri -> Diagnostic[] over the newest analysis of every rule set of ws (a new object). */
json_t *diagnostics_collect(Workspace *ws);

/* The LSP Diagnostic[] of one analysis's file `file`, without the count of capped ones. */
json_t *diagnostics_of_file(Workspace *ws, const Analysis *a, uint32_t file);

/*
** Publish what changed since *last (a uri -> Diagnostic[] object; NULL:
** nothing published yet) to fd and make *last the new state. False when a
** write failed.
*/
bool diagnostics_publish(Workspace *ws, json_t **last, int fd);

#endif
