/*
** catalog.h: the rule sets a server serves, each named after its RULES argument, as
** generations: the rule sets of one load, shared by the requests that began while it was the
** current one. A reload (SIGHUP, reload.c) compiles a whole new generation and makes it current
** only when every rule set of it compiled cleanly; a request holds a reference on the generation
** it began with, so it finishes on those rules, and the old generation is freed, evaluators and
** all, when the last request holding it ends.
*/
#ifndef DAGLOON_SERVE_CATALOG_H
#define DAGLOON_SERVE_CATALOG_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "serve.h"

typedef struct generation generation;

typedef struct served_rules {
  char *name;                  /* the URL's {ruleset} */
  const char *path;            /* the RULES argument it is read from (the serve_config's) */
  dagloon_rules *rules;
  generation *gen;             /* the generation it belongs to */
  pthread_mutex_t lock;        /* guards idle */
  dagloon_evaluator **idle;    /* evaluators no request is using (this generation's pool) */
  size_t nidle, cap;
  uint64_t max_steps;
  size_t max_memory;
} served_rules;

struct generation {
  atomic_long refs;            /* the catalog's (while current) and one per request or batch */
  uint64_t number;             /* 1 for the rule sets loaded at start, +1 per reload that replaced them */
  time_t loaded;               /* when it was compiled */
  served_rules *sets;
  size_t n;
};

typedef struct catalog {
  const serve_config *c;
  pthread_mutex_t lock;        /* guards current, so that taking a reference on it and replacing it do not cross */
  generation *current;
  pthread_mutex_t reload_lock; /* one reload at a time */
} catalog;

/*
** The name a RULES argument is served under: the base name of the path without a trailing
** '/' and without an extension (".rules", ".bundle", ...): rules/wia/ -> "wia",
** rules/herstel -> "herstel", x/lus.rules -> "lus". The caller frees it.
*/
char *catalog_name(const char *path);

/*
** Loads every rule set of c as generation 1; 0, or 2 (a bad name or a name clash) or 1 (a load
** failure) with the reason on stderr. catalog_free is due either way.
*/
int catalog_load(catalog *cat, const serve_config *c);
/*
** Reads every rule set again from its path with the same options, all or nothing: when every
** one compiles cleanly, they become the next generation at once (the requests that began before
** finish on the old one); when one does not, its diagnostics (file:line:col) go to stderr and
** the current generation goes on serving, unchanged. 0 when replaced, 1 when not. [any thread]
*/
int catalog_reload(catalog *cat);
/* Drops the catalog's reference on the current generation (freed when no request holds it). */
void catalog_free(catalog *cat);

/* The current generation, with a reference the caller gives back with generation_release. [any thread] */
generation *generation_acquire(catalog *cat);
/* Another reference on g, which the caller holds one of already. [any thread] */
void generation_hold(generation *g);
/* Gives a reference back; the last one frees the generation. [any thread] */
void generation_release(generation *g);
/* The rule set of g served as `name` (len bytes, not NUL-terminated), or NULL. */
served_rules *generation_find(const generation *g, const char *name, size_t len);

/* An evaluator with the limits set, for one request; give it back with evaluator_release. [any thread] */
dagloon_evaluator *evaluator_acquire(served_rules *s);
void evaluator_release(served_rules *s, dagloon_evaluator *ev);

#endif
