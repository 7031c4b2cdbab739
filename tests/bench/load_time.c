/*
** load_time.c: the start-up figure of make bench (tests/bench/startup.sh) -- how long loading one
** bundle takes inside a process (read, signature or checksum, parse, verifier), without the
** process's own start (exec, the dynamic linker), which `dagloon --version` shows beside it.
**
**   load_time BUNDLE LOADS [KEYFILE]  -> the median and the fastest load in microseconds
**
** With KEYFILE the operator's key is set as DAGLOON_KEY sets it in dagloon.
*/
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "runtime/bundle.h"
#include "runtime/bundlesig.h"
#include "runtime/chunk.h"

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3 || atoi(argv[2]) < 1) {
    fprintf(stderr, "usage: load_time BUNDLE LOADS [KEYFILE]\n");
    return 2;
  }
  int loads = atoi(argv[2]);
  static BundleKey key;
  char err[1200];
  if (argc > 3) {
    if (!bundle_key_load(argv[3], &key, err, sizeof err)) {
      fprintf(stderr, "load_time: %s\n", err);
      return 2;
    }
    bundle_set_key(&key);
  }
  double *t = malloc((size_t)loads * sizeof *t);
  if (!t) return 2;
  for (int i = 0; i < loads; i++) {
    double s = now_us();
    Chunk *c = bundle_read(argv[1], err, sizeof err);
    t[i] = now_us() - s;
    if (!c) {
      fprintf(stderr, "load_time: %s\n", err);
      return 1;
    }
    chunk_free(c);
  }
  qsort(t, (size_t)loads, sizeof *t, by_value);
  printf("%.1f %.1f\n", t[loads / 2], t[0]);
  free(t);
  return 0;
}
