/*
** rowset.c: the set of table rows a dossier used (see rowset.h).
**
** Every row of the chunk has a slot: rows of table t start at first[t].
** A slot holds the generation in which its row was last added, so clearing
** is one increment, whatever the set held. The rows are kept as
** (rank of the table's name << 32 | row) in the order they came, and
** sorted only when asked for: a dossier uses a handful of such rows.
*/
#include "rowset.h"

#include <stdlib.h>
#include <string.h>
#include "mem.h"

struct RowSet {
  uint32_t ntables;
  uint32_t *first;      /* [ntables]: slot of each table's first row */
  uint32_t *rank;       /* [ntables]: the table's place in name order */
  uint32_t *by_rank;    /* [ntables]: the inverse */
  uint64_t *stamp;      /* [rows of all tables]: generation of the last add */
  uint64_t gen;         /* from 1: a zeroed stamp is in no set */
  uint64_t *items;      /* rank << 32 | row, in the order added */
  uint32_t n, cap;
  RowRef *out;          /* what rowset_rows hands out */
};

static int by_value(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

RowSet *rowset_new(const Chunk *c) {
  RowSet *s = xcalloc(1, sizeof *s);
  uint32_t nt = c->ntables;
  s->ntables = nt;
  s->first = xcalloc(nt ? nt : 1, sizeof *s->first);
  s->rank = xcalloc(nt ? nt : 1, sizeof *s->rank);
  s->by_rank = xcalloc(nt ? nt : 1, sizeof *s->by_rank);
  size_t slots = 0;
  for (uint32_t t = 0; t < nt; t++) {
    s->first[t] = (uint32_t)slots;
    slots += c->tables[t].nrows;
    s->by_rank[t] = t;
  }
  /* name order by insertion (a few tables; qsort would need the chunk in a global, and workers start at once) */
  for (uint32_t a = 1; a < nt; a++)
    for (uint32_t b = a; b > 0 && strcmp(c->tables[s->by_rank[b - 1]].name, c->tables[s->by_rank[b]].name) > 0; b--) {
      uint32_t tmp = s->by_rank[b];
      s->by_rank[b] = s->by_rank[b - 1];
      s->by_rank[b - 1] = tmp;
    }
  for (uint32_t k = 0; k < nt; k++) s->rank[s->by_rank[k]] = k;
  s->stamp = xcalloc(slots ? slots : 1, sizeof *s->stamp);
  s->gen = 1;
  return s;
}

void rowset_free(RowSet *s) {
  if (!s) return;
  xfree(s->first);
  xfree(s->rank);
  xfree(s->by_rank);
  xfree(s->stamp);
  xfree(s->items);
  xfree(s->out);
  xfree(s);
}

void rowset_clear(RowSet *s) {
  s->gen++;
  s->n = 0;
}

void rowset_add(RowSet *s, uint32_t table, uint32_t row) {
  uint64_t *st = &s->stamp[s->first[table] + row];
  if (*st == s->gen) return;
  *st = s->gen;
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 8;
    s->items = xrealloc(s->items, s->cap * sizeof *s->items);
    s->out = xrealloc(s->out, s->cap * sizeof *s->out);
  }
  s->items[s->n++] = (uint64_t)s->rank[table] << 32 | row;
}

const RowRef *rowset_rows(RowSet *s, uint32_t *n) {
  if (s->n > 1) qsort(s->items, s->n, sizeof *s->items, by_value);
  for (uint32_t k = 0; k < s->n; k++)
    s->out[k] = (RowRef){s->by_rank[s->items[k] >> 32], (uint32_t)s->items[k]};
  *n = s->n;
  return s->out;
}
