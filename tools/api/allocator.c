/*
** allocator.c: dagloon_set_allocator (tools/api/dagloon.h) -- the host's allocator for every
** block the library allocates: the engine's (runtime/mem.c) and jansson's (runtime/jsonmem.c).
*/
#include "tools/api/api_internal.h"

#include "runtime/jsonmem.h"
#include "runtime/mem.h"

int dagloon_set_allocator(void *(*alloc)(size_t bytes, void *arg), void *(*resize)(void *p, size_t bytes, void *arg),
                          void (*release)(void *p, void *arg), void *arg) {
  if (!alloc || !resize || !release) return -1;
  MemAllocator a = {alloc, resize, release, arg};
  if (!mem_set_allocator(&a)) return -1;
  jsonmem_install();   /* now, before jansson allocates anything the library will free */
  return 0;
}
