/*
** memory.c: the engine's memory in a memory context of its own, "dagloon" under
** TopMemoryContext (dagloon_set_allocator): PostgreSQL sees it (pg_backend_memory_contexts) and
** accounts it to the backend. Rule sets live as long as the backend caches them, hence
** TopMemoryContext; per dossier the library frees what it made, so the context stays flat.
**
** The library may not be left by an ERROR's longjmp: an allocation that fails returns NULL
** (MCXT_ALLOC_NO_OOM), and the library's out-of-memory handler ends the session with a FATAL
** (errors.c). Blocks are 16-byte aligned as malloc's are (palloc gives 8); a header before each
** keeps the chunk palloc gave and the size, for resize: PostgreSQL 15 has no repalloc that
** returns NULL, so resize is alloc, copy and pfree. Parallel workers are backends: each has its
** own context. One thread only: palloc is not thread-safe, and the extension never runs the
** library's batch threads.
*/
#include "dagloon_pg.h"

#include <stdint.h>
#include <string.h>
#include "utils/memutils.h"

#define ALIGN 16

typedef struct BlockHead {
  void *chunk;   /* what palloc gave */
  size_t size;   /* what the library asked for */
} BlockHead;

static MemoryContext engine_context;

static void *context_alloc(size_t n, void *arg) {
  if (n > MaxAllocHugeSize - sizeof(BlockHead) - ALIGN) return NULL;
  char *chunk = MemoryContextAllocExtended(engine_context, sizeof(BlockHead) + ALIGN + n,
                                           MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
  if (!chunk) return NULL;
  uintptr_t p = ((uintptr_t)chunk + sizeof(BlockHead) + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  BlockHead *h = (BlockHead *)p - 1;
  h->chunk = chunk;
  h->size = n;
  return (void *)p;
}

static void context_release(void *p, void *arg) { pfree(((BlockHead *)p - 1)->chunk); }

static void *context_resize(void *p, size_t n, void *arg) {
  void *q = context_alloc(n, arg);
  if (!q) return NULL;   /* p stays as it was */
  size_t old = ((BlockHead *)p - 1)->size;
  memcpy(q, p, old < n ? old : n);
  context_release(p, arg);
  return q;
}

void dagloon_pg_memory_init(void) {
  engine_context = AllocSetContextCreate(TopMemoryContext, "dagloon", ALLOCSET_DEFAULT_SIZES);
  if (dagloon_set_allocator(context_alloc, context_resize, context_release, NULL) != 0)
    elog(ERROR, "dagloon: the engine allocated memory before its memory context was set");
}
