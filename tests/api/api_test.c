/*
** api_test.c: the shared helpers of the libdagloon tests (api_test.h).
*/
#include "api_test.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *data_dir(void) {
  const char *d = getenv("DAGLOON_API_DATA");
  return d && *d ? d : "build/api";
}

const char *data_path(const char *name) {
  static _Thread_local char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", data_dir(), name);
  return buf;
}

char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert(f != NULL, "cannot open %s (run the tests through tests/api/run.sh)", path);
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n + 4096 + 1 > cap) {
      cap = cap ? 2 * cap : 65536;
      buf = realloc(buf, cap);
      cr_assert(buf != NULL);
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  buf[n] = 0;
  if (len) *len = n;
  return buf;
}

char **read_lines(const char *path, size_t *n) {
  size_t len;
  char *all = read_all(path, &len);
  size_t cap = 16;
  char **lines = malloc(cap * sizeof *lines);
  *n = 0;
  for (char *p = all; *p;) {
    char *nl = strchr(p, '\n');
    size_t k = nl ? (size_t)(nl - p) : strlen(p);
    if (*n == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
    lines[*n] = malloc(k + 1);
    memcpy(lines[*n], p, k);
    lines[(*n)++][k] = 0;
    p += k + (nl != NULL);
  }
  free(all);
  return lines;
}

void free_lines(char **lines, size_t n) {
  for (size_t i = 0; i < n; i++) free(lines[i]);
  free(lines);
}

dagloon_rules *load_or_fail(const char *path) {
  dagloon_error *err = NULL;
  dagloon_rules *r = dagloon_rules_load(&path, 1, NULL, &err);
  cr_assert(r != NULL, "%s does not load: %s", path, dagloon_error_message(err));
  return r;
}
