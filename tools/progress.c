/*
** progress.c: see progress.h.
*/
#define _XOPEN_SOURCE 700
#include "progress.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/mem.h"
#include "runtime/i18n.h"

struct Progress {
  FILE *in;
  off_t size;          /* the input's size, or -1 when unknown (a pipe) */
  double start, last;
  uint32_t calls;
  bool shown;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Progress *progress_start(FILE *in) {
  if (!isatty(STDERR_FILENO)) return NULL;
  Progress *p = xcalloc(1, sizeof *p);
  p->in = in;
  struct stat st;
  p->size = in && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : -1;
  p->start = p->last = now();
  return p;
}

void progress_tick(Progress *p, uint64_t records) {
  if (!p || (++p->calls & 1023) != 0) return;
  double t = now();
  if (t - p->last < 0.5) return;
  p->last = t;
  double rate = (double)records / (t - p->start);
  fputc('\r', stderr);
  fprintf(stderr, _("%llu records, %.0f/s"), (unsigned long long)records, rate);
  off_t pos = p->size > 0 ? ftello(p->in) : -1;
  if (pos > 0 && pos <= p->size) {
    double left = (t - p->start) * (double)(p->size - pos) / (double)pos;
    fprintf(stderr, _(", %.0f%%, about %.0f s left"), 100.0 * (double)pos / (double)p->size, left);
  }
  fputs("   ", stderr);
  p->shown = true;
}

void progress_end(Progress *p) {
  if (!p) return;
  if (p->shown) fputs("\r\033[K", stderr);
  free(p);
}
