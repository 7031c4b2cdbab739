/*
** table.h: dated and keyed parameter tables (maximumdagloon, indexation
** percentages, WGA class percentages...) as the runtime holds them. The
** front end reads and validates the CSV files (lang/tables.c); the chunk
** owns the result; the VM looks values up.
**
** Every row carries where its value comes from and how sure we are of it:
** a lookup that lands on an 'unverified' row is counted, so a run can say
** how many of its results rest on values nobody has confirmed.
*/
#ifndef DAGLOON_TABLE_H
#define DAGLOON_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "value.h"

typedef enum TableKind {
  TABLE_BY_DATE = 0,    /* date series: a row is in force from its date until the next row (or its own end),
                           and never past the table's horizon (`to`) */
  TABLE_BY_KEY = 1      /* keyed: one row per key (geheel, keuze ordinal, or datum) */
} TableKind;

typedef enum RowStatus {
  ROW_STATED = 0,       /* the value is stated in the cited source */
  ROW_DERIVED = 1,      /* computed from stated values, the derivation in the note */
  ROW_UNVERIFIED = 2    /* not confirmed by any source: every use is counted */
} RowStatus;

typedef struct TableRow {
  int64_t key;          /* BY_DATE: first day in force; BY_KEY: the key (int, enum ordinal or day) */
  int64_t until;        /* BY_DATE: last day in force (inclusive), INT64_MAX = until the next row */
  Value value;
  uint8_t status;       /* RowStatus */
  uint8_t unknown;      /* an 'unverified' row whose value nobody found: looking it up is an error */
  uint32_t line;        /* line in the CSV file, for explanations and messages */
  char *source;         /* the row's source (URL, article, ruling) */
  char *note;           /* free text, may be "" */
} TableRow;

typedef struct Table {
  char *name;           /* as declared in the rule file */
  char *path;           /* the CSV file */
  uint8_t kind;         /* TableKind */
  TypeRef keytype;      /* BY_KEY: type of the key; BY_DATE: datum */
  TypeRef valtype;      /* type of the values */
  /*
  ** BY_DATE: the days whose values are known ('dekking vanaf from t/m to').
  ** `to` is the table's horizon: its last row holds only up to there, and a
  ** lookup or a revision past it is an error, never the last value again.
  ** INT64_MIN / INT64_MAX when not declared (keyed tables).
  */
  int64_t from, to;
  uint32_t nrows;
  TableRow *rows;       /* BY_DATE: strictly increasing key; BY_KEY: strictly increasing key */
} Table;

/*
** The row in force on `day` (BY_DATE) or with key `key` (BY_KEY), or NULL
** when there is none. Binary search: O(log n). table_row_on does not look at
** the coverage: ask table_outside first (the VM does, to say which it was).
*/
const TableRow *table_row_on(const Table *t, int64_t day);
const TableRow *table_row_for(const Table *t, int64_t key);

/* BY_DATE: -1 when `day` is before the table's coverage, 1 when past its horizon, 0 inside. */
int table_outside(const Table *t, int64_t day);

const char *row_status_name(RowStatus s);   /* "stated", "derived", "unverified" */

void table_free(Table *t);                    /* frees the rows and strings, not t itself */

#endif
