/*
** jsonmem.h: a memory budget for jansson's parser. jansson builds a tree of
** about 75 bytes per byte of JSON text, so the length of a line alone does
** not bound what parsing it takes; with a budget, an allocation that would
** pass it fails, and jansson's parse with it.
**
** jansson's allocation functions are process-wide, but the count is per
** thread: jsonmem_begin/jsonmem_end bracket one parse on the calling thread,
** and allocations outside a bracket (or on other threads) are not limited.
*/
#ifndef DAGLOON_JSONMEM_H
#define DAGLOON_JSONMEM_H

#include <stdbool.h>
#include <stddef.h>

/*
** Makes these functions jansson's (done by the first jsonmem_begin too). A host's allocator
** installs them when it is set, before jansson allocates anything, for its blocks then carry a
** header: text jansson hands out (json_dumps) is given back with jsonmem_free, never free().
*/
void jsonmem_install(void);
void jsonmem_free(void *p);

/* From now on this thread's jansson allocations may take at most `bytes` (0: no limit). */
void jsonmem_begin(size_t bytes);

/* Ends the budget; false if an allocation was refused for passing it. */
bool jsonmem_end(void);

#endif
