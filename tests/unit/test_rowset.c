/*
** test_rowset.c: the set of table rows a dossier used (runtime/rowset.c),
** on a chunk holding only tables: each row once, ordered by table name and
** row, emptied per dossier.
*/
#include <criterion/criterion.h>

#include "runtime/chunk.h"
#include "runtime/rowset.h"

/* Three tables declared out of name order: zeta (2 rows), alfa (3), mid (0). */
static Table tables[3];
static Chunk chunk;

static void setup(void) {
  static TableRow rows_zeta[2], rows_alfa[3];
  tables[0] = (Table){.name = "zeta", .nrows = 2, .rows = rows_zeta};
  tables[1] = (Table){.name = "alfa", .nrows = 3, .rows = rows_alfa};
  tables[2] = (Table){.name = "mid", .nrows = 0, .rows = NULL};
  chunk = (Chunk){.ntables = 3, .tables = tables};
}

static void expect(RowSet *s, uint32_t n, const RowRef *want) {
  uint32_t got_n;
  const RowRef *got = rowset_rows(s, &got_n);
  cr_assert_eq(got_n, n, "%u rows, expected %u", got_n, n);
  for (uint32_t k = 0; k < n; k++)
    cr_assert(got[k].table == want[k].table && got[k].row == want[k].row, "row %u: (%u, %u), expected (%u, %u)", k,
              got[k].table, got[k].row, want[k].table, want[k].row);
}

Test(rowset, empty_at_first, .init = setup) {
  RowSet *s = rowset_new(&chunk);
  expect(s, 0, NULL);
  rowset_free(s);
}

Test(rowset, each_row_once_by_table_name_then_row, .init = setup) {
  RowSet *s = rowset_new(&chunk);
  rowset_add(s, 0, 1);   /* zeta row 2 */
  rowset_add(s, 1, 2);   /* alfa row 3 */
  rowset_add(s, 0, 1);   /* again: ignored */
  rowset_add(s, 1, 0);   /* alfa row 1 */
  rowset_add(s, 0, 0);   /* zeta row 1 */
  rowset_add(s, 1, 2);
  /* alfa before zeta (by name, not by declaration), rows in key order */
  expect(s, 4, (RowRef[]){{1, 0}, {1, 2}, {0, 0}, {0, 1}});
  /* asking twice gives the same; adding after asking keeps the order */
  expect(s, 4, (RowRef[]){{1, 0}, {1, 2}, {0, 0}, {0, 1}});
  rowset_add(s, 1, 1);
  expect(s, 5, (RowRef[]){{1, 0}, {1, 1}, {1, 2}, {0, 0}, {0, 1}});
  rowset_free(s);
}

Test(rowset, cleared_per_dossier, .init = setup) {
  RowSet *s = rowset_new(&chunk);
  rowset_add(s, 0, 0);
  rowset_add(s, 1, 1);
  rowset_clear(s);
  expect(s, 0, NULL);
  /* a row of the last dossier counts as new again */
  rowset_add(s, 1, 1);
  rowset_add(s, 1, 1);
  expect(s, 1, (RowRef[]){{1, 1}});
  rowset_free(s);
}

Test(rowset, grows_past_its_first_block, .init = setup) {
  static TableRow many[100];
  Table big[1] = {{.name = "groot", .nrows = 100, .rows = many}};
  Chunk c = {.ntables = 1, .tables = big};
  RowSet *s = rowset_new(&c);
  for (uint32_t r = 100; r-- > 0;) rowset_add(s, 0, r);   /* backwards, to be sorted */
  for (uint32_t r = 0; r < 100; r += 7) rowset_add(s, 0, r);
  uint32_t n;
  const RowRef *rows = rowset_rows(s, &n);
  cr_assert_eq(n, 100);
  for (uint32_t r = 0; r < 100; r++) cr_assert_eq(rows[r].row, r);
  rowset_free(s);
}
