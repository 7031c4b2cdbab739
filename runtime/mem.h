/*
** mem.h: checked allocation and arenas.
**
** xmalloc/xcalloc/xrealloc abort the program with a message on out-of-memory
** (there is no sensible recovery for a batch engine), with exit status
** MEM_EXIT_STATUS: its own, not 3 ("finished with error rows"). An Arena hands out
** memory that is freed all at once: one arena per dossier, reset after its
** row is written, so memory stays flat however long the input.
*/
#ifndef DAGLOON_MEM_H
#define DAGLOON_MEM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define MEM_EXIT_STATUS 5

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Gives back a block of the functions above (NULL is fine); never libc's free for those. */
void xfree(void *p);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string of the length it needs (a format error gives ""). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* A host's handler, called first when an allocation fails; if it returns, the exit above follows
** (libdagloon's dagloon_set_out_of_memory; process-wide, set before any other thread runs). */
void mem_set_out_of_memory(void (*handler)(size_t n, void *arg), void *arg);
/* realpath(3) in our memory (xfree it); NULL with errno as realpath's. */
char *xrealpath(const char *path);

/*
** A host's allocator (libdagloon's dagloon_set_allocator): every block of the functions above,
** the arenas' and jansson's (jsonmem.c) comes from alloc, grows through resize and goes back
** through release. Memory libc hands out (open_memstream, realpath) is not ours: it is freed with
** free(), or copied into ours first (xrealpath). Refused (false) once anything was allocated, or an allocator was set.
*/
typedef struct MemAllocator {
  void *(*alloc)(size_t n, void *arg);              /* NULL when out of memory */
  void *(*resize)(void *p, size_t n, void *arg);    /* p's contents kept; NULL (p untouched) when out of memory */
  void (*release)(void *p, void *arg);
  void *arg;
} MemAllocator;
bool mem_set_allocator(const MemAllocator *a);
/* Whether a host's allocator is set (jsonmem.c then keeps its blocks' sizes itself). */
bool mem_hosted(void);

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
  ArenaBlock *head;     /* current block; older blocks chained behind it */
  size_t used;          /* bytes used in head */
  size_t total;         /* bytes handed out since the last reset (for limits) */
} Arena;

void arena_init(Arena *a);
void *arena_alloc(Arena *a, size_t n);          /* 16-byte aligned, zeroed */
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_reset(Arena *a);                     /* keep the first block, free the rest */
/*
** A mark, and giving back everything allocated after it: a batch arena that
** holds many dossiers' records drops what one dossier's rules built once
** its row is written, so a batch never holds more than one dossier's lists.
*/
typedef struct ArenaMark {
  ArenaBlock *head;
  size_t used, total;
} ArenaMark;
ArenaMark arena_mark(const Arena *a);
void arena_release(Arena *a, ArenaMark m);
void arena_free(Arena *a);

/* Growable array helper: ensure *cap >= need, growing *p (elements of size sz). */
void vec_reserve(void **p, size_t *cap, size_t need, size_t sz);
#define VEC_PUSH(arr, n, cap, v)                                                              \
  ((size_t)(n) + 1 > (size_t)(cap) ? vec_reserve((void **)&(arr), &(cap), (size_t)(n) + 1, sizeof *(arr)) \
                                   : (void)0,                                                  \
   (arr)[(n)++] = (v))

#endif
