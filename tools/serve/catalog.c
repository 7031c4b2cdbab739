/*
** catalog.c: the served rule sets (catalog.h): their names, loading them as generations, the
** reference counts that free an old generation after its last request, and the evaluator pools.
*/
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *catalog_name(const char *path) {
  size_t end = strlen(path);
  while (end > 1 && path[end - 1] == '/') end--;
  size_t start = end;
  while (start > 0 && path[start - 1] != '/') start--;
  size_t dot = end;
  for (size_t i = start + 1; i < end; i++)
    if (path[i] == '.') dot = i;
  size_t n = dot - start;
  char *name = malloc(n + 1);
  if (!name) abort();
  memcpy(name, path + start, n);
  name[n] = '\0';
  return name;
}

/* A name is one URL path segment of letters, digits, '-' and '_'. */
static int name_ok(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
      return 0;
  return 1;
}

/* The RULES arguments' names, checked: 0, or 2 with the reason on stderr. */
static int check_names(const serve_config *c) {
  int st = 0;
  for (size_t i = 0; i < c->nrulesets && !st; i++) {
    char *name = catalog_name(c->rulesets[i]);
    if (!name_ok(name)) {
      fprintf(stderr, _("dagloon serve: '%s' gives the rule set name '%s', which is not letters, digits, '-' and '_'\n"),
              c->rulesets[i], name);
      st = 2;
    }
    for (size_t k = 0; k < i && !st; k++) {
      char *other = catalog_name(c->rulesets[k]);
      if (strcmp(other, name) == 0) {
        fprintf(stderr, _("dagloon serve: two rule sets would be served as '%s' (%s): rename a folder\n"), name,
                c->rulesets[i]);
        st = 2;
      }
      free(other);
    }
    free(name);
  }
  return st;
}

static void generation_free(generation *g) {
  for (size_t i = 0; i < g->n; i++) {
    served_rules *s = &g->sets[i];
    for (size_t k = 0; k < s->nidle; k++) dagloon_evaluator_free(s->idle[k]);
    free(s->idle);
    pthread_mutex_destroy(&s->lock);
    dagloon_rules_free(s->rules);
    free(s->name);
  }
  free(g->sets);
  free(g);
}

/*
** Every rule set of c compiled afresh as generation `number`, or NULL when one of them does not
** compile: each failure's reason (its diagnostics) on stderr, and nothing of the others kept.
*/
static generation *generation_build(const serve_config *c, uint64_t number) {
  generation *g = calloc(1, sizeof *g);
  if (!g) abort();
  g->sets = calloc(c->nrulesets, sizeof *g->sets);
  if (!g->sets) abort();
  atomic_init(&g->refs, 1);
  g->number = number;
  int failed = 0;
  for (size_t i = 0; i < c->nrulesets; i++) {
    dagloon_error *err = NULL;
    const char *path = c->rulesets[i];
    dagloon_rules *r = dagloon_rules_load(&path, 1, c->options, &err);
    if (!r) {
      const char *m = dagloon_error_message(err);
      int n = (int)strlen(m);
      while (n > 0 && m[n - 1] == '\n') n--;   /* the diagnostics end with one */
      fprintf(stderr, "dagloon serve: %s: %.*s\n", path, n, m);
      dagloon_error_free(err);
      failed = 1;   /* the others are still compiled, so the operator sees every set's errors at once */
      continue;
    }
    served_rules *s = &g->sets[g->n++];
    s->name = catalog_name(path);
    s->path = path;
    s->rules = r;
    s->gen = g;
    s->max_steps = c->max_steps;
    s->max_memory = c->max_memory;
    pthread_mutex_init(&s->lock, NULL);
  }
  g->loaded = time(NULL);
  if (failed) {
    generation_free(g);
    return NULL;
  }
  return g;
}

int catalog_load(catalog *cat, const serve_config *c) {
  cat->c = c;
  cat->current = NULL;
  pthread_mutex_init(&cat->lock, NULL);
  pthread_mutex_init(&cat->reload_lock, NULL);
  int st = check_names(c);
  if (st) return st;
  cat->current = generation_build(c, 1);
  return cat->current ? 0 : 1;
}

int catalog_reload(catalog *cat) {
  pthread_mutex_lock(&cat->reload_lock);
  generation *old = generation_acquire(cat);
  fprintf(stderr, _("dagloon serve: reloading the rule sets (generation %llu serves meanwhile)\n"),
          (unsigned long long)old->number);
  generation *g = generation_build(cat->c, old->number + 1);
  if (!g) {
    fprintf(stderr, _("dagloon serve: reload failed: generation %llu still serves, nothing replaced\n"),
            (unsigned long long)old->number);
    generation_release(old);
    pthread_mutex_unlock(&cat->reload_lock);
    return 1;
  }
  pthread_mutex_lock(&cat->lock);
  cat->current = g;
  pthread_mutex_unlock(&cat->lock);
  fprintf(stderr, _("dagloon serve: reloaded: generation %llu serves; generation %llu is freed after its last request\n"),
          (unsigned long long)g->number, (unsigned long long)old->number);
  generation_release(old);   /* the reference taken above */
  generation_release(old);   /* the catalog's, now that it is no longer current */
  pthread_mutex_unlock(&cat->reload_lock);
  return 0;
}

void catalog_free(catalog *cat) {
  if (cat->current) generation_release(cat->current);
  cat->current = NULL;
  pthread_mutex_destroy(&cat->lock);
  pthread_mutex_destroy(&cat->reload_lock);
}

generation *generation_acquire(catalog *cat) {
  pthread_mutex_lock(&cat->lock);
  generation *g = cat->current;
  atomic_fetch_add(&g->refs, 1);
  pthread_mutex_unlock(&cat->lock);
  return g;
}

void generation_hold(generation *g) {
  atomic_fetch_add(&g->refs, 1);
}

void generation_release(generation *g) {
  if (atomic_fetch_sub(&g->refs, 1) == 1) generation_free(g);
}

served_rules *generation_find(const generation *g, const char *name, size_t len) {
  for (size_t i = 0; i < g->n; i++)
    if (strlen(g->sets[i].name) == len && memcmp(g->sets[i].name, name, len) == 0) return &g->sets[i];
  return NULL;
}

dagloon_evaluator *evaluator_acquire(served_rules *s) {
  dagloon_evaluator *ev = NULL;
  pthread_mutex_lock(&s->lock);
  if (s->nidle) ev = s->idle[--s->nidle];
  pthread_mutex_unlock(&s->lock);
  if (!ev) {
    ev = dagloon_evaluator_new(s->rules);
    if (!ev) abort();
    dagloon_evaluator_set_limits(ev, s->max_steps, s->max_memory);
  }
  return ev;
}

void evaluator_release(served_rules *s, dagloon_evaluator *ev) {
  pthread_mutex_lock(&s->lock);
  if (s->nidle == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    s->idle = realloc(s->idle, s->cap * sizeof *s->idle);
    if (!s->idle) abort();
  }
  s->idle[s->nidle++] = ev;
  pthread_mutex_unlock(&s->lock);
}
