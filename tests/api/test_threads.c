/*
** test_threads.c: one rule set shared read-only by 8 threads, each with its own evaluator,
** 1,000 evaluations each: every answer equals the one a single evaluator gave for the same
** dossier (rows and errors alike). Run under the sanitizers by `make test` as well.
*/
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

enum { THREADS = 8 };
/* evaluations per thread: 1,000; fewer under helgrind (DAGLOON_API_EACH, see tests/api/helgrind.sh) */
static size_t each(void) {
  const char *e = getenv("DAGLOON_API_EACH");
  long n = e ? strtol(e, NULL, 10) : 0;
  return n > 0 ? (size_t)n : 1000;
}

static dagloon_rules *shared;
static char **dossiers;
static size_t ndossiers;
static char **expected;   /* per dossier: its row, or "error N" */

static char *answer(dagloon_evaluator *ev, const char *json) {
  dagloon_error *err = NULL;
  const char *row = dagloon_evaluate(ev, json, strlen(json), &err);
  if (row) return strdup(row);
  char buf[64];
  snprintf(buf, sizeof buf, "error %d", (int)dagloon_error_code(err));
  dagloon_error_free(err);
  return strdup(buf);
}

static void *worker(void *arg) {
  size_t t = (size_t)arg, wrong = 0;
  dagloon_evaluator *ev = dagloon_evaluator_new(shared);
  for (size_t i = 0, n = each(); i < n; i++) {
    size_t k = (i * 7 + t * 13) % ndossiers;   /* each thread its own order */
    char *got = answer(ev, dossiers[k]);
    if (strcmp(got, expected[k]) != 0) wrong++;
    free(got);
  }
  dagloon_evaluator_free(ev);
  return (void *)wrong;
}

Test(threads, eight_threads_share_one_rule_set, .timeout = 300) {
  shared = load_or_fail("rules/wia");
  dossiers = read_lines(data_path("wia.in.jsonl"), &ndossiers);
  expected = calloc(ndossiers, sizeof *expected);
  dagloon_evaluator *one = dagloon_evaluator_new(shared);
  for (size_t k = 0; k < ndossiers; k++) expected[k] = answer(one, dossiers[k]);
  dagloon_evaluator_free(one);
  pthread_t th[THREADS];
  for (size_t t = 0; t < THREADS; t++) cr_assert_eq(pthread_create(&th[t], NULL, worker, (void *)t), 0);
  size_t wrong = 0;
  for (size_t t = 0; t < THREADS; t++) {
    void *w;
    pthread_join(th[t], &w);
    wrong += (size_t)w;
  }
  cr_assert_eq(wrong, 0, "%zu answers differ from one thread's", wrong);
  for (size_t k = 0; k < ndossiers; k++) free(expected[k]);
  free(expected);
  free_lines(dossiers, ndossiers);
  dagloon_rules_free(shared);
}
