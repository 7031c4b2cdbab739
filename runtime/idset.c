/*
** idset.c: the ids seen so far (see idset.h). Two open-addressing tables with
** linear probing, each doubled when it would pass 80 % full: one of values
** for the decimal ids, placed by num_slot, and one of (hash, offset, record)
** for every other id, its text in a pool.
*/
#include "idset.h"

#include <stdbool.h>
#include <string.h>
#include "mem.h"

typedef struct IdText {
  uint64_t hash;      /* 0: empty slot */
  uint32_t off;       /* the id in the pool, NUL-terminated */
  uint32_t recno;     /* the record that had it first */
} IdText;

#define FIRST_CAP 1024

void idset_init(IdSet *t) {
  memset(t, 0, sizeof *t);
  idspill_init(&t->spill);
}

void idset_free(IdSet *t) {
  xfree(t->num);
  xfree(t->text);
  xfree(t->pool);
  idspill_free(&t->spill);
  idset_init(t);
}

size_t idset_bytes(const IdSet *t) {
  return t->numcap * 3 * sizeof(uint32_t) + t->textcap * sizeof(IdText) + t->cappool + idspill_bytes(&t->spill);
}

const char *idset_error(const IdSet *t) { return t->spill.error[0] ? t->spill.error : NULL; }

static bool full(size_t n, size_t cap) { return n * 5 >= cap * 4; }

static uint32_t saturated(uint64_t recno) { return recno > UINT32_MAX ? UINT32_MAX : (uint32_t)recno; }

/* The value of a plain decimal id ("0", or up to 18 digits without a leading zero), false for any
   other text: then the id is kept as text. */
static bool decimal_id(const char *s, size_t n, uint64_t *v) {
  if (n == 0 || n > 18 || (s[0] == '0' && n > 1)) return false;
  uint64_t x = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned d = (unsigned)(unsigned char)s[i] - '0';
    if (d > 9) return false;
    x = x * 10 + d;
  }
  *v = x;
  return true;
}

/* ---- decimal ids: the value + 1 in two words, 0 0 for an empty slot ---- */

/* Sixteen consecutive values share a run of sixteen slots (about three cache lines), the runs spread
   over the table: ids that come in order -- most populations' -- touch a new line every few
   dossiers instead of every one. */
static size_t num_slot(uint64_t key, size_t cap) {
  uint64_t run = ((key >> 4) * 0x9E3779B97F4A7C15ULL) >> 32;
  return (size_t)(run << 4 | (key & 15)) & (cap - 1);
}

static uint64_t num_key(const uint32_t *slot) { return (uint64_t)slot[1] << 32 | slot[0]; }

static void num_grow(IdSet *t) {
  size_t cap = t->numcap ? t->numcap * 2 : FIRST_CAP;
  uint32_t *slots = xcalloc(cap, 3 * sizeof *slots);
  for (size_t i = 0; i < t->numcap; i++) {
    const uint32_t *e = t->num + 3 * i;
    uint64_t key = num_key(e);
    if (!key) continue;
    size_t k = num_slot(key, cap);
    while (num_key(slots + 3 * k)) k = (k + 1) & (cap - 1);
    memcpy(slots + 3 * k, e, 3 * sizeof *e);
  }
  xfree(t->num);
  t->num = slots;
  t->numcap = cap;
}

static uint32_t num_add(IdSet *t, uint64_t value, uint64_t recno) {
  if (full(t->numn, t->numcap)) num_grow(t);
  uint64_t key = value + 1;
  size_t k = num_slot(key, t->numcap);
  for (;; k = (k + 1) & (t->numcap - 1)) {
    uint32_t *e = t->num + 3 * k;
    uint64_t have = num_key(e);
    if (have == key) return e[2];
    if (!have) {
      uint32_t spilled = idspill_find(&t->spill, value, NULL, 0);   /* the key of a decimal id: its value */
      if (spilled || t->spill.error[0]) return spilled;
      e[0] = (uint32_t)key;
      e[1] = (uint32_t)(key >> 32);
      e[2] = saturated(recno);
      t->numn++;
      return 0;
    }
  }
}

/* ---- every other id: its text in the pool ---- */

static bool weak_hash;

void idset_test_weak_hash(bool on) { weak_hash = on; }

/* Bit 63 set: apart from every decimal id's key (its value, below 10^18) in the spilled runs. */
static uint64_t text_hash(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;   /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return (weak_hash ? h & 15 : h) | 1ULL << 63;
}

static void text_grow(IdSet *t) {
  size_t cap = t->textcap ? t->textcap * 2 : FIRST_CAP;
  IdText *slots = xcalloc(cap, sizeof *slots);
  for (size_t i = 0; i < t->textcap; i++) {
    if (!t->text[i].hash) continue;
    size_t k = t->text[i].hash & (cap - 1);
    while (slots[k].hash) k = (k + 1) & (cap - 1);
    slots[k] = t->text[i];
  }
  xfree(t->text);
  t->text = slots;
  t->textcap = cap;
}

static uint32_t text_add(IdSet *t, const char *s, size_t n, uint64_t recno) {
  if (full(t->textn, t->textcap)) text_grow(t);
  uint64_t h = text_hash(s, n);
  size_t k = h & (t->textcap - 1);
  for (; t->text[k].hash; k = (k + 1) & (t->textcap - 1)) {
    const IdText *e = &t->text[k];
    if (e->hash == h && memcmp(t->pool + e->off, s, n) == 0 && t->pool[e->off + n] == 0) return e->recno;
  }
  uint32_t spilled = idspill_find(&t->spill, h, s, n);
  if (spilled || t->spill.error[0]) return spilled;
  if (t->npool + n + 1 > UINT32_MAX) return 0;   /* 4 GiB of ids: stop remembering rather than overflow */
  vec_reserve((void **)&t->pool, &t->cappool, t->npool + n + 1, 1);
  memcpy(t->pool + t->npool, s, n);
  t->pool[t->npool + n] = 0;
  t->text[k] = (IdText){h, (uint32_t)t->npool, saturated(recno)};
  t->npool += n + 1;
  t->textn++;
  return 0;
}

/* The tables' ids as one sorted run in the temporary file; the tables emptied (their room kept). */
static void spill(IdSet *t) {
  size_t n = t->numn + t->textn, k = 0;
  IdEntry *e = xmalloc(n * sizeof *e);
  for (size_t i = 0; i < t->numcap; i++) {
    const uint32_t *s = t->num + 3 * i;
    if (num_key(s)) e[k++] = (IdEntry){num_key(s) - 1, s[2], UINT32_MAX};
  }
  for (size_t i = 0; i < t->textcap; i++)
    if (t->text[i].hash) e[k++] = (IdEntry){t->text[i].hash, t->text[i].recno, t->text[i].off};
  idspill_add_run(&t->spill, e, k, t->pool, t->npool);   /* a failure is kept in t->spill.error */
  xfree(e);
  if (t->num) memset(t->num, 0, t->numcap * 3 * sizeof *t->num);
  if (t->text) memset(t->text, 0, t->textcap * sizeof *t->text);
  t->numn = t->textn = t->npool = 0;
}

uint32_t idset_add(IdSet *t, const char *s, size_t n, uint64_t recno) {
  if (t->spill.error[0]) return 0;
  uint64_t v;
  uint32_t first = decimal_id(s, n, &v) ? num_add(t, v, recno) : text_add(t, s, n, recno);
  if (!first && t->numn + t->textn >= (t->run_ids ? t->run_ids : IDSET_RUN)) spill(t);
  return first;
}
