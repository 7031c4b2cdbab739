/*
** idset.h: the dossier ids a run has seen, so that a second dossier with the
** same id is an error row rather than a silent double. It is the one thing a
** run keeps per dossier, so it is kept compact: an id written as a plain
** decimal number (0, or 1-18 digits without a leading zero: what almost
** every population uses) is kept as its value, 12 bytes a slot and no copy
** of its text; any other id is kept as text in a pool beside a second table.
** The two never meet: "007" and "7" are different ids, as their text differs.
*/
#ifndef DAGLOON_IDSET_H
#define DAGLOON_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct IdSet {
  uint32_t *num;          /* 3 words a slot: the value + 1 (low, high; 0 0 = empty), the record */
  size_t numcap, numn;
  struct IdText *text;    /* other ids: hash, offset in pool, record */
  size_t textcap, textn;
  char *pool;             /* their bytes, each followed by a NUL */
  size_t npool, cappool;
} IdSet;

/* An empty set (all zero bytes is one too). */
void idset_init(IdSet *t);

/* Records id s[0..n) as seen in record recno (1-based; saturated at 4 billion). Returns 0 when the
   id is new, else the record that had it first. */
uint32_t idset_add(IdSet *t, const char *s, size_t n, uint64_t recno);

/* The bytes the set holds (its tables and pool), for the memory figures of make bench. */
size_t idset_bytes(const IdSet *t);

void idset_free(IdSet *t);

#endif
