/*
** idspill.c: the spilled ids, in sorted runs in a temporary file, behind a
** blocked Bloom filter (see idspill.h).
*/
#include "idspill.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mem.h"

enum { BLOCK_ENTRIES = 256, BITS_PER_KEY = 10, READ_CHUNK = 4096 };

struct IdRun {
  uint64_t at;        /* its entries in the file */
  uint64_t text_at;   /* its text, after them */
  uint64_t text_n;
  uint32_t n;
  uint64_t min, max;
  uint64_t *fences;   /* the key of entry 0, 256, 512, ... */
};

void idspill_init(IdSpill *s) { memset(s, 0, sizeof *s); }

void idspill_free(IdSpill *s) {
  if (s->opened) close(s->fd);
  for (size_t i = 0; i < s->nruns; i++) xfree(s->runs[i].fences);
  xfree(s->runs);
  xfree(s->bloom);
  idspill_init(s);
}

size_t idspill_bytes(const IdSpill *s) {
  size_t b = s->nblocks * 8 * sizeof(uint32_t) + s->capruns * sizeof(IdRun);
  for (size_t i = 0; i < s->nruns; i++) b += (s->runs[i].n / BLOCK_ENTRIES + 1) * sizeof(uint64_t);
  return b;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static bool spill_fail(IdSpill *s, const char *fmt, ...);

static bool spill_fail(IdSpill *s, const char *fmt, ...) {
  if (!s->error[0]) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
  }
  return false;
}

/* ---- the filter: split-block Bloom (one 256-bit block a key, one bit in each of its 8 words) ---- */

static uint64_t mix(uint64_t x) {   /* splitmix64's finaliser: keys in order spread over the blocks */
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static const uint32_t SALT[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                                 0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

static void bloom_put(IdSpill *s, uint64_t key) {
  uint64_t h = mix(key);
  uint32_t *w = s->bloom + 8 * (size_t)(((h >> 32) * s->nblocks) >> 32);
  for (int i = 0; i < 8; i++) w[i] |= 1U << (((uint32_t)h * SALT[i]) >> 27);
}

static bool bloom_may_have(const IdSpill *s, uint64_t key) {
  if (!s->nblocks) return false;
  uint64_t h = mix(key);
  const uint32_t *w = s->bloom + 8 * (size_t)(((h >> 32) * s->nblocks) >> 32);
  for (int i = 0; i < 8; i++)
    if (!(w[i] & (1U << (((uint32_t)h * SALT[i]) >> 27)))) return false;
  return true;
}

/* ---- the file ---- */

static bool pread_all(IdSpill *s, void *buf, size_t n, uint64_t at) {
  for (size_t got = 0; got < n;) {
    ssize_t k = pread(s->fd, (char *)buf + got, n - got, (off_t)(at + got));
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return spill_fail(s, "cannot read back the ids seen from the temporary file: %s",
                                  k < 0 ? strerror(errno) : "it is shorter than written");
    got += (size_t)k;
  }
  return true;
}

static bool write_all(IdSpill *s, const void *buf, size_t n) {
  for (size_t put = 0; put < n;) {
    ssize_t k = pwrite(s->fd, (const char *)buf + put, n - put, (off_t)(s->end + put));
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return spill_fail(s, "cannot write the ids seen to a temporary file in %s: %s", 
                                  getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                                  k < 0 ? strerror(errno) : "nothing written");
    put += (size_t)k;
  }
  s->end += n;
  return true;
}

static bool open_file(IdSpill *s) {
  const char *dir = getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  size_t len = strlen(dir) + sizeof "/dagloon-ids-XXXXXX";
  char *path = xmalloc(len);
  snprintf(path, len, "%s/dagloon-ids-XXXXXX", dir);
  s->fd = mkstemp(path);   /* mode 0600 */
  bool ok = s->opened = s->fd >= 0;
  if (ok) unlink(path);    /* nobody else opens it; it goes when the process does */
  else spill_fail(s, "cannot make a temporary file for the ids seen in %s: %s", dir, strerror(errno));
  xfree(path);
  return ok;
}

/* The filter at room for `cap` keys, with every key of the runs in it again (read back in order). */
static bool bloom_rebuild(IdSpill *s, uint64_t cap) {
  xfree(s->bloom);
  s->nblocks = (size_t)((cap * BITS_PER_KEY + 255) / 256);
  s->bloom = xcalloc(s->nblocks, 8 * sizeof(uint32_t));
  s->bloom_cap = cap;
  IdEntry chunk[READ_CHUNK / sizeof(IdEntry)];
  for (size_t r = 0; r < s->nruns; r++) {
    const IdRun *run = &s->runs[r];
    for (uint32_t i = 0; i < run->n;) {
      uint32_t k = run->n - i < sizeof chunk / sizeof *chunk ? run->n - i : (uint32_t)(sizeof chunk / sizeof *chunk);
      if (!pread_all(s, chunk, k * sizeof *chunk, run->at + (uint64_t)i * sizeof *chunk)) return false;
      for (uint32_t j = 0; j < k; j++) bloom_put(s, chunk[j].key);
      i += k;
    }
  }
  return true;
}

/* e[0..n) in key order: LSD radix sort a byte at a time, skipping a byte all keys share (most of a
   population's ids have the same high bytes); a spill sorts 52,428 keys, qsort took 7x longer. */
static void sort_by_key(IdEntry *e, size_t n) {
  IdEntry *tmp = xmalloc(n * sizeof *tmp), *from = e, *to = tmp;
  for (int shift = 0; shift < 64; shift += 8) {
    size_t count[257] = {0};
    for (size_t i = 0; i < n; i++) count[((from[i].key >> shift) & 255) + 1]++;
    if (count[((from[0].key >> shift) & 255) + 1] == n) continue;   /* one value of this byte: in order */
    for (int b = 0; b < 256; b++) count[b + 1] += count[b];
    for (size_t i = 0; i < n; i++) to[count[(from[i].key >> shift) & 255]++] = from[i];
    IdEntry *x = from;
    from = to;
    to = x;
  }
  if (from != e) memcpy(e, from, n * sizeof *e);
  xfree(tmp);
}

bool idspill_add_run(IdSpill *s, IdEntry *e, size_t n, const char *pool, size_t npool) {
  if (s->error[0]) return false;
  if (n == 0) return true;
  if (!s->opened && !open_file(s)) return false;
  sort_by_key(e, n);
  IdRun run = {s->end, s->end + n * sizeof *e, npool, (uint32_t)n, e[0].key, e[n - 1].key, NULL};
  if (!write_all(s, e, n * sizeof *e) || !write_all(s, pool, npool)) return false;
  run.fences = xmalloc((n / BLOCK_ENTRIES + 1) * sizeof *run.fences);
  for (size_t i = 0; i < n; i += BLOCK_ENTRIES) run.fences[i / BLOCK_ENTRIES] = e[i].key;
  if (s->nkeys + n > s->bloom_cap) {
    uint64_t cap = s->bloom_cap ? s->bloom_cap : n;
    while (cap < s->nkeys + n) cap *= 2;
    if (!bloom_rebuild(s, cap)) {
      xfree(run.fences);
      return false;
    }
  }
  for (size_t i = 0; i < n; i++) bloom_put(s, e[i].key);
  VEC_PUSH(s->runs, s->nruns, s->capruns, run);
  s->nkeys += n;
  return true;
}

/* The record of the id in one run, 0 if it has none (or on failure: s->error). */
static uint32_t run_find(IdSpill *s, const IdRun *run, uint64_t key, const char *text, size_t n) {
  /* the first block whose first key is >= key; equal keys may end the block before it */
  size_t lo = 0, hi = (run->n + BLOCK_ENTRIES - 1) / BLOCK_ENTRIES;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (run->fences[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  IdEntry block[BLOCK_ENTRIES];
  char *have = NULL;
  uint32_t found = 0;
  bool more = true;
  for (size_t b = lo ? lo - 1 : 0; more && !found && (uint64_t)b * BLOCK_ENTRIES < run->n; b++) {
    uint32_t first = (uint32_t)(b * BLOCK_ENTRIES), k = run->n - first < BLOCK_ENTRIES ? run->n - first : BLOCK_ENTRIES;
    if (!pread_all(s, block, k * sizeof *block, run->at + (uint64_t)first * sizeof *block)) break;
    for (uint32_t j = 0; j < k && !found; j++) {
      if (block[j].key < key) continue;
      if (block[j].key > key) {
        more = false;
        break;
      }
      if (block[j].text == UINT32_MAX) {   /* a decimal id: the key is the value */
        if (!text) found = block[j].recno;
        continue;
      }
      if (!text) continue;
      /* a text id: its bytes and the NUL after them, as far as the run's text goes */
      if (!have) have = xmalloc(n + 1);
      uint64_t m = run->text_n > block[j].text ? run->text_n - block[j].text : 0;
      if (m > n + 1) m = n + 1;
      if (!pread_all(s, have, (size_t)m, run->text_at + block[j].text)) break;
      if (m == n + 1 && memcmp(have, text, n) == 0 && have[n] == 0) found = block[j].recno;
    }
  }
  xfree(have);
  return s->error[0] ? 0 : found;
}

uint32_t idspill_find(IdSpill *s, uint64_t key, const char *text, size_t n) {
  if (s->error[0] || !bloom_may_have(s, key)) return 0;
  for (size_t r = 0; r < s->nruns; r++) {
    const IdRun *run = &s->runs[r];
    if (key < run->min || key > run->max) continue;
    uint32_t found = run_find(s, run, key, text, n);
    if (found || s->error[0]) return found;
  }
  return 0;
}
