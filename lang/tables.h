/*
** tables.h: reading and validating the CSV file behind a 'tabel'
** declaration. Every problem is reported at the exact cell (file:line:col
** of the CSV, which is added to the SourceSet so the caret can show it) or,
** for coverage, at the declaration.
**
** CSV layout (header names are fixed, columns in any order):
**   date series (per datum):  vanaf, waarde, status, bron [, tot_en_met] [, toelichting]
**   keyed (per <type>):       sleutel, waarde, status, bron [, toelichting]
** status is one of stated, derived, unverified. bron must not be empty.
*/
#ifndef DAGLOON_TABLES_H
#define DAGLOON_TABLES_H

#include <stdbool.h>
#include "diag.h"
#include "sandbox.h"
#include "source.h"
#include "runtime/schema.h"
#include "runtime/table.h"

/* What the declaration promises about the rows (checked against the file). */
typedef struct TableSpec {
  const char *name;         /* table name, for messages */
  const char *path;         /* CSV path, already resolved against the rule file's folder */
  const Sandbox *sandbox;   /* the rule-set tree the path must be in (NULL: read as named; unit tests) */
  const char *written;      /* the path as the rule file writes it, and where: for E083 */
  Span where;
  Span decl;                /* the declaration, for messages about the table as a whole */
  TableKind kind;
  TypeRef keytype;          /* BY_KEY: geheel, datum or a keuze */
  TypeRef valtype;          /* geheel, getal, geld, datum, tekst, waarheid or a keuze */
  bool has_from, has_to;    /* declared coverage ('dekking vanaf D1 t/m D2' / 'dekking A t/m B'); a date
                               series needs both (the checker, E082): D2 is its horizon (Table.to) */
  int64_t from, to;         /* day numbers (BY_DATE) or integer keys (BY_KEY with geheel keys) */
} TableSpec;

/*
** Load spec->path into *out (name, path, kind, types and rows filled; the
** caller owns it and frees it with table_free). Checks: header, every cell's
** type, status and source present, keys strictly increasing (out of order
** and duplicates reported with both rows), date rows with tot_en_met not
** before their vanaf and not overlapping the next row, no gap inside the
** declared coverage, coverage start and end met, every member of a keuze key
** present. Returns false if anything was reported as an error.
*/
bool tables_load(SourceSet *src, DiagList *d, const Schema *schema, const TableSpec *spec, Table *out);

#endif
