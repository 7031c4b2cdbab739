/*
** catalog.h: the rule sets a server serves, each named after its RULES argument, with a pool
** of evaluators per rule set (one evaluator is used by one request at a time).
*/
#ifndef DAGLOON_SERVE_CATALOG_H
#define DAGLOON_SERVE_CATALOG_H

#include <pthread.h>
#include "serve.h"

typedef struct served_rules {
  char *name;                  /* the URL's {ruleset} */
  dagloon_rules *rules;
  pthread_mutex_t lock;        /* guards idle */
  dagloon_evaluator **idle;    /* evaluators no request is using */
  size_t nidle, cap;
  uint64_t max_steps;
  size_t max_memory;
} served_rules;

typedef struct catalog {
  served_rules *sets;
  size_t n;
} catalog;

/*
** The name a RULES argument is served under: the base name of the path without a trailing
** '/' and without an extension (".rules", ".bundle", ...): rules/wia/ -> "wia",
** rules/herstel -> "herstel", x/lus.rules -> "lus". The caller frees it.
*/
char *catalog_name(const char *path);

/* Loads every rule set of c; 0, or 2 (a name clash) or 1 (a load failure) with the reason on stderr. */
int catalog_load(catalog *cat, const serve_config *c);
void catalog_free(catalog *cat);
/* The rule set served as `name` (len bytes, not NUL-terminated), or NULL. */
served_rules *catalog_find(const catalog *cat, const char *name, size_t len);

/* An evaluator with the limits set, for one request; give it back with evaluator_release. [any thread] */
dagloon_evaluator *evaluator_acquire(served_rules *s);
void evaluator_release(served_rules *s, dagloon_evaluator *ev);

#endif
