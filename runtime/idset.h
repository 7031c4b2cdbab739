/*
** idset.h: the dossier ids a run has seen, so that a second dossier with the
** same id is an error row rather than a silent double. It is the one thing a
** run keeps per dossier, so it is kept compact: an id written as a plain
** decimal number (0, or 1-18 digits without a leading zero: what almost
** every population uses) is kept as its value, 12 bytes a slot and no copy
** of its text; any other id is kept as text in a pool beside a second table.
** The two never meet: "007" and "7" are different ids, as their text differs.
**
** The tables hold the last IDSET_RUN ids at most: then they are written to a
** temporary file as one sorted run and emptied (idspill.h), so a run's memory
** stays flat in the number of dossiers; an id new to the tables is looked up
** in the runs (behind a Bloom filter) before it counts as new.
*/
#ifndef DAGLOON_IDSET_H
#define DAGLOON_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "idspill.h"

/* Ids kept in the tables before they are spilled: 80 % of 65,536 slots (768 KiB of decimal ids). */
#define IDSET_RUN 52428

typedef struct IdSet {
  uint32_t *num;          /* 3 words a slot: the value + 1 (low, high; 0 0 = empty), the record */
  size_t numcap, numn;
  struct IdText *text;    /* other ids: hash, offset in pool, record */
  size_t textcap, textn;
  char *pool;             /* their bytes, each followed by a NUL */
  size_t npool, cappool;
  size_t run_ids;         /* ids kept before a spill (0: IDSET_RUN) */
  IdSpill spill;          /* the ids spilled */
} IdSet;

/* An empty set (all zero bytes is one too). */
void idset_init(IdSet *t);

/* Records id s[0..n) as seen in record recno (1-based; saturated at 4 billion). Returns 0 when the
   id is new, else the record that had it first; 0 also when the ids could not be kept (a temporary
   file not written or read back): then idset_error says why, and the set answers no more. */
uint32_t idset_add(IdSet *t, const char *s, size_t n, uint64_t recno);

/* For tests: every text id hashed to one of 16 values, so that many share a key in the runs. */
void idset_test_weak_hash(bool on);

/* Why the set failed, or NULL. */
const char *idset_error(const IdSet *t);

/* The bytes the set holds (its tables and pool), for the memory figures of make bench. */
size_t idset_bytes(const IdSet *t);

void idset_free(IdSet *t);

#endif
