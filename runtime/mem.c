/*
** mem.c: checked allocation and arenas (see mem.h).
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "mem.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*oom_handler)(size_t n, void *arg);
static void *oom_arg;

void mem_set_out_of_memory(void (*handler)(size_t n, void *arg), void *arg) {
  oom_handler = handler;
  oom_arg = arg;
}

static void out_of_memory(size_t n) {
  if (oom_handler) oom_handler(n, oom_arg);   /* a host's own way to end (it may not return) */
  fprintf(stderr, "dagloon: out of memory (requesting %zu bytes); the command stopped, its outputs are incomplete\n", n);
  exit(MEM_EXIT_STATUS);
}

/*
** The host's allocator, or none (libc's). Set once before the first allocation and read-only
** after, so reading it needs no lock; `allocated` is only ever set, and read relaxed: the
** default path costs one load and a test beside malloc itself.
*/
static MemAllocator host;
static atomic_bool allocated;

static inline void note_allocated(void) {
  if (!atomic_load_explicit(&allocated, memory_order_relaxed))
    atomic_store_explicit(&allocated, true, memory_order_relaxed);
}

bool mem_set_allocator(const MemAllocator *a) {
  if (atomic_exchange(&allocated, true)) return false;   /* allocated already, or set already */
  host = *a;
  return true;
}

bool mem_hosted(void) { return host.alloc != NULL; }

void *xmalloc(size_t n) {
  if (!n) n = 1;
  void *p;
  if (host.alloc) p = host.alloc(n, host.arg);
  else {
    note_allocated();
    p = malloc(n);
  }
  if (!p) out_of_memory(n);
  return p;
}

void *xcalloc(size_t count, size_t size) {
  if (!count) count = 1;
  if (!size) size = 1;
  if (!host.alloc) {
    note_allocated();
    void *p = calloc(count, size);
    if (!p) out_of_memory(count * size);
    return p;
  }
  if (size > SIZE_MAX / count) out_of_memory(SIZE_MAX);
  void *p = xmalloc(count * size);
  memset(p, 0, count * size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  if (!n) n = 1;
  void *q;
  if (host.alloc) q = p ? host.resize(p, n, host.arg) : host.alloc(n, host.arg);
  else {
    note_allocated();
    q = realloc(p, n);
  }
  if (!q) out_of_memory(n);
  return q;
}

void xfree(void *p) {
  if (!p) return;
  if (host.release) host.release(p, host.arg);
  else free(p);
}

char *xrealpath(const char *path) {
  char *libc = realpath(path, NULL);   /* libc's memory: copied into ours, given back to libc */
  if (!libc) return NULL;
  char *s = xstrdup(libc);
  free(libc);
  return s;
}

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xvasprintf(const char *fmt, va_list ap) {
  va_list again;   /* measured, then written */
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  char *s = xmalloc(n > 0 ? (size_t)n + 1 : 1);
  s[0] = 0;
  if (n > 0) vsnprintf(s, (size_t)n + 1, fmt, again);
  va_end(again);
  return s;
}

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

void vec_reserve(void **p, size_t *cap, size_t need, size_t sz) {
  if (need <= *cap) return;
  size_t c = *cap ? *cap : 8;
  while (c < need) c *= 2;
  *p = xrealloc(*p, c * sz);
  *cap = c;
}

/* ---- arenas ---- */

struct ArenaBlock {
  ArenaBlock *next;
  size_t size;                 /* usable bytes in data */
  _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536

static ArenaBlock *new_block(size_t size) {
  ArenaBlock *b = xmalloc(sizeof(ArenaBlock) + size);
  b->next = NULL;
  b->size = size;
  return b;
}

void arena_init(Arena *a) {
  a->head = NULL;
  a->used = 0;
  a->total = 0;
}

void *arena_alloc(Arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!a->head || a->used + n > a->head->size) {
    size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
    ArenaBlock *b = new_block(size);
    b->next = a->head;
    a->head = b;
    a->used = 0;
  }
  void *p = a->head->data + a->used;
  a->used += n;
  a->total += n;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void arena_reset(Arena *a) {
  if (!a->head) return;
  /* Keep the oldest block (the usual size), free the rest. */
  ArenaBlock *b = a->head, *keep = NULL;
  while (b) {
    ArenaBlock *next = b->next;
    if (!next && b->size == ARENA_BLOCK) keep = b;
    else xfree(b);
    b = next;
  }
  a->head = keep;
  a->used = 0;
  a->total = 0;
}

ArenaMark arena_mark(const Arena *a) { return (ArenaMark){a->head, a->used, a->total}; }

void arena_release(Arena *a, ArenaMark m) {
  while (a->head != m.head) {   /* blocks made after the mark */
    ArenaBlock *next = a->head->next;
    xfree(a->head);
    a->head = next;
  }
  a->used = m.used;
  a->total = m.total;
}

void arena_free(Arena *a) {
  ArenaBlock *b = a->head;
  while (b) {
    ArenaBlock *next = b->next;
    xfree(b);
    b = next;
  }
  arena_init(a);
}
