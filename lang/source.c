/*
** source.c: loading rule files and finding lines in them (see source.h).
*/
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"

uint32_t src_add(SourceSet *ss, const char *name, const char *text, uint32_t len) {
  SourceFile f = {xstrdup(name), xstrndup(text, len), len};
  size_t cap = ss->cap;
  VEC_PUSH(ss->files, ss->n, cap, f);
  ss->cap = (uint32_t)cap;
  return ss->n - 1;
}

int src_load(SourceSet *ss, const char *path, char *err, size_t cap) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    snprintf(err, cap, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  char *buf = NULL;
  size_t n = 0, bcap = 0;
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
    vec_reserve((void **)&buf, &bcap, n + got, 1);
    memcpy(buf + n, chunk, got);
    n += got;
    if (n > 64u * 1024 * 1024) {
      snprintf(err, cap, "'%s' is larger than 64 MiB; not a rule file?", path);
      free(buf);
      fclose(fp);
      return -1;
    }
  }
  int bad = ferror(fp);
  fclose(fp);
  if (bad) {
    snprintf(err, cap, "cannot read '%s'", path);
    free(buf);
    return -1;
  }
  uint32_t idx = src_add(ss, path, buf ? buf : "", (uint32_t)n);
  free(buf);
  return (int)idx;
}

void src_free(SourceSet *ss) {
  for (uint32_t i = 0; i < ss->n; i++) {
    free(ss->files[i].name);
    free(ss->files[i].text);
  }
  free(ss->files);
  memset(ss, 0, sizeof *ss);
}

void src_line_extent(const SourceFile *f, uint32_t off, uint32_t *start, uint32_t *len) {
  if (off > f->len) off = f->len;
  uint32_t s = off;
  while (s > 0 && f->text[s - 1] != '\n') s--;
  uint32_t e = off;
  while (e < f->len && f->text[e] != '\n') e++;
  if (e > s && f->text[e - 1] == '\r') e--;
  *start = s;
  *len = e - s;
}
