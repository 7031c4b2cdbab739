/*
** nameindex.h: a hash table from a name to a small number (a rule's index,
** the first output column with that name), so that looking up a name costs
** the same with 10 rules or 100,000. The names are not copied: they must
** outlive the index (they live in the AST's arena).
*/
#ifndef DAGLOON_NAMEINDEX_H
#define DAGLOON_NAMEINDEX_H

#include <stdint.h>

typedef struct NameIndex {
  struct NameSlot { const char *name; int32_t value; } *slots;
  uint32_t cap, n;    /* cap a power of two (or 0), n names held */
  uint64_t probes;    /* slots looked at, in all: tests count the work with it */
} NameIndex;

/* The value stored for name, or -1. */
int32_t nameidx_find(NameIndex *ix, const char *name);
/* Store name -> value unless the name is there already; returns the value stored before, or -1. */
int32_t nameidx_add(NameIndex *ix, const char *name, int32_t value);
void nameidx_free(NameIndex *ix);

#endif
