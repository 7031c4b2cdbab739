/*
** jsonmem.c: the budget for jansson's parser (see jsonmem.h). The size of a
** block is taken from the allocator (malloc_usable_size) rather than stored
** in a header, so blocks jansson hands out -- json_dumps' text -- can still
** be released with plain free().
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
  void *p = xmalloc(n ? n : 1);
  used += malloc_usable_size(p);
  return p;
}

static void counted_free(void *p) {
  if (!p) return;
  size_t n = malloc_usable_size(p);
  used = n < used ? used - n : 0;   /* a block from before the budget, or from another thread */
  free(p);
}

static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void install(void) { json_set_alloc_funcs(counted_malloc, counted_free); }

void jsonmem_begin(size_t bytes) {
  pthread_once(&installed, install);
  budget = bytes;
  used = 0;
  refused = false;
}

bool jsonmem_end(void) {
  budget = 0;
  return !refused;
}
