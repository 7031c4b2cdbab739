/*
** jsonmem.c: jansson's allocation functions, and the budget for its parser (see jsonmem.h).
**
** With libc's allocator a block's size is taken from malloc_usable_size rather than stored in a
** header, so text jansson hands out (json_dumps) can still be released with plain free() by the
** command and by hosts that use jansson themselves. With a host's allocator (mem_set_allocator)
** there is no such size to ask for: each block carries its size in a header before it, and such
** text must go back through jsonmem_free (jansson's free function).
*/
#define _GNU_SOURCE
#include "jsonmem.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>

#include "mem.h"

static _Thread_local size_t budget;   /* 0: no budget on this thread */
static _Thread_local size_t used;
static _Thread_local bool refused;

/* The hosted blocks' header: its size keeps the block's 16-byte alignment. */
typedef struct {
  _Alignas(16) size_t size;
} SizeHeader;

static bool hosted;   /* decided once, when the functions are installed */

/*
** Only the budget refuses (NULL: the parse fails, the record is an error
** row). Memory that runs out is fatal as for every other allocation
** (xmalloc): a NULL inside jansson elsewhere would silently drop a member
** of a JSON output, and a parse that ran out is no "invalid JSON".
*/
static void *counted_malloc(size_t n) {
  if (budget && (n > budget || used > budget - n)) {
    refused = true;
    return NULL;
  }
  if (hosted) {
    SizeHeader *h = xmalloc(sizeof *h + n);
    h->size = n;
    used += sizeof *h + n;
    return h + 1;
  }
  void *p = xmalloc(n ? n : 1);
  used += malloc_usable_size(p);
  return p;
}

static void counted_free(void *p) {
  if (!p) return;
  size_t n;
  if (hosted) {
    SizeHeader *h = (SizeHeader *)p - 1;
    n = sizeof *h + h->size;
    p = h;
  } else {
    n = malloc_usable_size(p);
  }
  used = n < used ? used - n : 0;   /* a block from before the budget, or from another thread */
  xfree(p);
}

static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void install(void) {
  hosted = mem_hosted();
  json_set_alloc_funcs(counted_malloc, counted_free);
}

void jsonmem_install(void) { pthread_once(&installed, install); }

void jsonmem_free(void *p) { counted_free(p); }

void jsonmem_begin(size_t bytes) {
  jsonmem_install();
  budget = bytes;
  used = 0;
  refused = false;
}

bool jsonmem_end(void) {
  budget = 0;
  return !refused;
}
