/*
** nameindex.c: open addressing with linear probing, kept at most half full,
** keyed by FNV-1a of the name (see nameindex.h).
*/
#include "nameindex.h"

#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"

static uint32_t hash_name(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* The slot holding name, or the empty slot where it would go. */
static struct NameSlot *slot_of(NameIndex *ix, const char *name) {
  uint32_t mask = ix->cap - 1;
  for (uint32_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
    ix->probes++;
    if (!ix->slots[i].name || strcmp(ix->slots[i].name, name) == 0) return &ix->slots[i];
  }
}

static void grow(NameIndex *ix) {
  NameIndex bigger = {xcalloc(ix->cap ? ix->cap * 2 : 64, sizeof *ix->slots), ix->cap ? ix->cap * 2 : 64, 0, 0};
  for (uint32_t i = 0; i < ix->cap; i++)
    if (ix->slots[i].name) *slot_of(&bigger, ix->slots[i].name) = ix->slots[i];
  xfree(ix->slots);
  ix->slots = bigger.slots;
  ix->cap = bigger.cap;
}

int32_t nameidx_find(NameIndex *ix, const char *name) {
  if (!ix->cap) return -1;
  struct NameSlot *s = slot_of(ix, name);
  return s->name ? s->value : -1;
}

int32_t nameidx_add(NameIndex *ix, const char *name, int32_t value) {
  if ((ix->n + 1) * 2 > ix->cap) grow(ix);
  struct NameSlot *s = slot_of(ix, name);
  if (s->name) return s->value;
  s->name = name;
  s->value = value;
  ix->n++;
  return -1;
}

void nameidx_free(NameIndex *ix) {
  xfree(ix->slots);
  ix->slots = NULL;
  ix->cap = ix->n = 0;
}
