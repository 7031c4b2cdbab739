/*
** query_dossiers.c: the dossiers a set-returning function reads from its query (bereken_alle,
** vergelijk): through a cursor, 1,000 rows at a time, each handed over in a memory context of its
** own that is reset after it, so a table of any size takes the memory of one fetch.
*/
#include "dagloon_pg.h"
#include "executor/spi.h"
#include "utils/memutils.h"

void dagloon_pg_each_dossier(const char *fname, const char *query, DagloonPgDossierFn row, void *ctx) {
  MemoryContext per_row = AllocSetContextCreate(CurrentMemoryContext, "dagloon query row", ALLOCSET_DEFAULT_SIZES);
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "dagloon: SPI_connect failed");
  Portal cursor = SPI_cursor_open_with_args(NULL, query, 0, NULL, NULL, NULL, true, 0);
  for (;;) {
    SPI_cursor_fetch(cursor, true, 1000);
    if (SPI_processed == 0) break;
    TupleDesc in = SPI_tuptable->tupdesc;
    if (in->natts < 1 || in->natts > 2)
      ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                      errmsg("%s: the query must give (dossier) or (sleutel, dossier), not %d columns", fname, in->natts)));
    for (uint64 r = 0; r < SPI_processed; r++) {
      MemoryContext before = MemoryContextSwitchTo(per_row);
      HeapTuple tup = SPI_tuptable->vals[r];
      row(ctx, in->natts == 2 ? SPI_getvalue(tup, in, 1) : NULL, SPI_getvalue(tup, in, in->natts));
      MemoryContextSwitchTo(before);
      MemoryContextReset(per_row);
    }
    SPI_freetuptable(SPI_tuptable);
  }
  SPI_cursor_close(cursor);
  SPI_finish();
  MemoryContextDelete(per_row);
}
