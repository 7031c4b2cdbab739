/*
** catalog.c: the served rule sets (catalog.h): their names, loading, and the evaluator pools.
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

int catalog_load(catalog *cat, const serve_config *c) {
  cat->sets = calloc(c->nrulesets, sizeof *cat->sets);
  if (!cat->sets) abort();
  cat->n = 0;
  for (size_t i = 0; i < c->nrulesets; i++) {
    char *name = catalog_name(c->rulesets[i]);
    if (!name_ok(name)) {
      fprintf(stderr, _("dagloon serve: '%s' gives the rule set name '%s', which is not letters, digits, '-' and '_'\n"),
              c->rulesets[i], name);
      free(name);
      return 2;
    }
    if (catalog_find(cat, name, strlen(name))) {
      fprintf(stderr, _("dagloon serve: two rule sets would be served as '%s' (%s): rename a folder\n"), name,
              c->rulesets[i]);
      free(name);
      return 2;
    }
    dagloon_error *err = NULL;
    const char *path = c->rulesets[i];
    dagloon_rules *r = dagloon_rules_load(&path, 1, c->options, &err);
    if (!r) {
      fprintf(stderr, "dagloon serve: %s: %s\n", path, dagloon_error_message(err));
      dagloon_error_free(err);
      free(name);
      return 1;
    }
    served_rules *s = &cat->sets[cat->n++];
    s->name = name;
    s->rules = r;
    s->max_steps = c->max_steps;
    s->max_memory = c->max_memory;
    pthread_mutex_init(&s->lock, NULL);
  }
  return 0;
}

void catalog_free(catalog *cat) {
  for (size_t i = 0; i < cat->n; i++) {
    served_rules *s = &cat->sets[i];
    for (size_t k = 0; k < s->nidle; k++) dagloon_evaluator_free(s->idle[k]);
    free(s->idle);
    pthread_mutex_destroy(&s->lock);
    dagloon_rules_free(s->rules);
    free(s->name);
  }
  free(cat->sets);
  cat->sets = NULL;
  cat->n = 0;
}

served_rules *catalog_find(const catalog *cat, const char *name, size_t len) {
  for (size_t i = 0; i < cat->n; i++)
    if (strlen(cat->sets[i].name) == len && memcmp(cat->sets[i].name, name, len) == 0) return &cat->sets[i];
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
