/*
** example.c: libdagloon in one page. Loads a rule set, computes the first dossier of a JSON
** Lines file and prints its row, its dagloon, and the first lines of its explanation.
**
**   cc example.c $(pkg-config --cflags --libs dagloon) -o example
**   ./example rules/wia rules/wia/populatie.jsonl
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dagloon.h"

/* The first line of a file, malloc'd (NULL if there is none). */
static char *first_line(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, f);
  fclose(f);
  if (n <= 0) {
    free(line);
    return NULL;
  }
  return line;
}

static int fail(dagloon_error *err) {
  fprintf(stderr, "example: %s", dagloon_error_message(err));
  if (*dagloon_error_field(err)) fprintf(stderr, " (field %s)", dagloon_error_field(err));
  if (*dagloon_error_rule(err)) fprintf(stderr, " (rule %s at %s)", dagloon_error_rule(err), dagloon_error_location(err));
  fputc('\n', stderr);
  dagloon_error_free(err);
  return 1;
}

int main(int argc, char **argv) {
  const char *rules_path = argc > 1 ? argv[1] : "rules/wia";
  const char *input = argc > 2 ? argv[2] : "rules/wia/populatie.jsonl";
  printf("libdagloon %s (API %d.%d)\n", dagloon_version(), dagloon_api_version() >> 16, dagloon_api_version() & 0xffff);

  dagloon_error *err = NULL;
  dagloon_rules *rules = dagloon_rules_load(&rules_path, 1, NULL, &err);
  if (!rules) return fail(err);
  printf("%s: %zu invoer fields, %zu uitvoer columns\n", rules_path, dagloon_input_count(rules),
         dagloon_output_count(rules));

  char *dossier = first_line(input);
  if (!dossier) {
    fprintf(stderr, "example: %s has no dossier\n", input);
    dagloon_rules_free(rules);
    return 1;
  }
  dagloon_evaluator *ev = dagloon_evaluator_new(rules);   /* one per thread */
  int rc = 0;
  const char *row = dagloon_evaluate(ev, dossier, strlen(dossier), &err);
  if (!row) {
    rc = fail(err);
  } else {
    printf("row: %s\n", row);
    const char *d = strstr(row, "\"dagloon\":");   /* the example's one look inside the row */
    if (d) printf("dagloon: %.*s\n", (int)strcspn(d + 10, ",}"), d + 10);
    const char *why = dagloon_explain(ev, dossier, strlen(dossier), input, &err);
    if (!why) {
      rc = fail(err);
    } else {
      puts("explanation, first lines:");
      for (int i = 0; i < 8 && *why; i++) {
        size_t n = strcspn(why, "\n");
        printf("  %.*s\n", (int)n, why);
        why += n + (why[n] == '\n');
      }
    }
  }
  free(dossier);
  dagloon_evaluator_free(ev);
  dagloon_rules_free(rules);
  return rc;
}
