/*
** rowset.h: the distinct table rows one dossier used -- for `run
** --mark-unverified`, which names the 'unverified' rows each result rests
** on. The VM adds a row at every lookup that lands on one (vm_mark_unverified);
** the set is emptied per dossier in O(1) (a generation stamp per row, not a
** clear of the whole set), and adding a row again costs one comparison.
*/
#ifndef DAGLOON_ROWSET_H
#define DAGLOON_ROWSET_H

#include <stdint.h>
#include "chunk.h"

typedef struct RowRef {
  uint32_t table;       /* index into the chunk's tables */
  uint32_t row;         /* index into that table's rows */
} RowRef;

typedef struct RowSet RowSet;

RowSet *rowset_new(const Chunk *c);    /* sized for every row of every table of c */
void rowset_free(RowSet *s);
void rowset_clear(RowSet *s);          /* empty, for the next dossier */
void rowset_add(RowSet *s, uint32_t table, uint32_t row);   /* a row already in the set is ignored */

/*
** The rows in the set, ordered by table name, then by the row's key (the
** rows of a table are sorted by key), as *n RowRefs valid until the next
** add or clear.
*/
const RowRef *rowset_rows(RowSet *s, uint32_t *n);

#endif
