/*
** table.c: looking values up in dated and keyed parameter tables, and
** freeing them (see table.h). The rows are validated and sorted by the
** loader (lang/tables.c), so both lookups are plain binary searches.
*/
#include "table.h"

#include <stdlib.h>

#include "mem.h"

/*
** The last row whose first day is on or before `day`, and only if `day` is
** not after that row's last day: a day in a gap between rows, before the
** first row or after a row with an explicit end has no value.
*/
const TableRow *table_row_on(const Table *t, int64_t day) {
  if (!t || t->nrows == 0) return NULL;
  uint32_t lo = 0, hi = t->nrows;   /* invariant: rows[<lo].key <= day < rows[>=hi].key */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (t->rows[mid].key <= day) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return NULL;
  const TableRow *r = &t->rows[lo - 1];
  return day <= r->until ? r : NULL;
}

const TableRow *table_row_for(const Table *t, int64_t key) {
  if (!t) return NULL;
  uint32_t lo = 0, hi = t->nrows;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int64_t k = t->rows[mid].key;
    if (k == key) return &t->rows[mid];
    if (k < key) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

int table_outside(const Table *t, int64_t day) { return day < t->from ? -1 : day > t->to ? 1 : 0; }

const char *row_status_name(RowStatus s) {
  switch (s) {
  case ROW_STATED: return "stated";
  case ROW_DERIVED: return "derived";
  case ROW_UNVERIFIED: return "unverified";
  }
  return "?";
}

void table_free(Table *t) {
  if (!t) return;
  for (uint32_t i = 0; i < t->nrows && t->rows; i++) {
    TableRow *r = &t->rows[i];
    xfree(r->source);
    xfree(r->note);
    /* Text values are the table's own malloc'd copies (NULL for a cell that failed to parse). */
    if (t->valtype.kind == VK_TEXT) xfree((void *)r->value.text);
  }
  xfree(t->rows);
  xfree(t->name);
  xfree(t->path);
  t->rows = NULL;
  t->nrows = 0;
  t->name = t->path = NULL;
}
