/*
** source.c: loading rule files and finding lines in them (see source.h).
*/
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/mem.h"
#include "runtime/i18n.h"

static int src_read(SourceSet *ss, FILE *fp, const char *path, char *err, size_t cap);

/* The overlay's text for `path` added as that file: its index, or -1 when the overlay has none. */
static int src_from_overlay(SourceSet *ss, const char *path) {
  const char *text;
  uint32_t len;
  if (!ss->overlay || !ss->overlay->text_of(ss->overlay->ctx, path, &text, &len)) return -1;
  char *name = path_normalise(path);
  uint32_t idx = src_add(ss, name, text, len);
  xfree(name);
  return (int)idx;
}

uint32_t src_add(SourceSet *ss, const char *name, const char *text, uint32_t len) {
  SourceFile f = {xstrdup(name), xstrndup(text, len), len, NULL, 0};
  size_t ncap = 0, nl = 0;
  for (const char *p = f.text, *end = f.text + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;) {
    uint32_t start = (uint32_t)(++p - f.text);
    VEC_PUSH(f.lines, nl, ncap, start);
  }
  f.nlines = (uint32_t)nl;
  size_t cap = ss->cap;
  VEC_PUSH(ss->files, ss->n, cap, f);
  ss->cap = (uint32_t)cap;
  return ss->n - 1;
}

char *path_normalise(const char *path) {
  size_t n = strlen(path);
  char *out = xmalloc(n + 2);
  bool absolute = path[0] == '/';
  size_t len = 0;      /* of out */
  size_t keep = 0;     /* out[0..keep) is '..' components that cannot be taken back */
  if (absolute) out[len++] = '/';
  size_t root = len;
  for (const char *p = path; *p;) {
    while (*p == '/') p++;
    const char *e = p;
    while (*e && *e != '/') e++;
    size_t k = (size_t)(e - p);
    if (k == 0 || (k == 1 && p[0] == '.')) {
      /* nothing, or '.': the same folder */
    } else if (k == 2 && p[0] == '.' && p[1] == '.') {
      if (len > keep && len > root) {   /* drop the last component */
        while (len > root && out[len - 1] != '/') len--;
        if (len > root) len--;
      } else if (!absolute) {            /* above where the path starts: kept */
        if (len > root) out[len++] = '/';
        memcpy(out + len, "..", 2);
        len += 2;
        keep = len;
      }
    } else {
      if (len > root) out[len++] = '/';
      memcpy(out + len, p, k);
      len += k;
    }
    p = e;
  }
  if (len == 0) out[len++] = '.';
  out[len] = '\0';
  return out;
}

int src_load(SourceSet *ss, const char *path, char *err, size_t cap) {
  int over = src_from_overlay(ss, path);
  if (over >= 0) return over;
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    snprintf(err, cap, _("cannot open '%s': %s"), path, strerror(errno));
    return -1;
  }
  return src_read(ss, fp, path, err, cap);
}

int src_load_fd(SourceSet *ss, int fd, const char *path, char *err, size_t cap) {
  int over = src_from_overlay(ss, path);
  if (over >= 0) {
    close(fd);
    return over;
  }
  FILE *fp = fdopen(fd, "rb");
  if (!fp) {
    snprintf(err, cap, _("cannot open '%s': %s"), path, strerror(errno));
    close(fd);
    return -1;
  }
  return src_read(ss, fp, path, err, cap);
}

/* Read all of fp (closed here) as the file `path`. */
static int src_read(SourceSet *ss, FILE *fp, const char *path, char *err, size_t cap) {
  char *buf = NULL;
  size_t n = 0, bcap = 0;
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
    vec_reserve((void **)&buf, &bcap, n + got, 1);
    memcpy(buf + n, chunk, got);
    n += got;
    if (n > 64u * 1024 * 1024) {
      snprintf(err, cap, _("'%s' is larger than 64 MiB; not a rule file?"), path);
      xfree(buf);
      fclose(fp);
      return -1;
    }
  }
  int bad = ferror(fp);
  fclose(fp);
  if (bad) {
    snprintf(err, cap, _("cannot read '%s'"), path);
    xfree(buf);
    return -1;
  }
  char *name = path_normalise(path);   /* the name messages show: 'rules/wia/x.rules', not 'rules/v/../wia/x.rules' */
  uint32_t idx = src_add(ss, name, buf ? buf : "", (uint32_t)n);
  xfree(name);
  xfree(buf);
  return (int)idx;
}

void src_free(SourceSet *ss) {
  for (uint32_t i = 0; i < ss->n; i++) {
    xfree(ss->files[i].name);
    xfree(ss->files[i].text);
    xfree(ss->files[i].lines);
  }
  xfree(ss->files);
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

void src_line_col(const SourceFile *f, uint32_t off, uint32_t *line, uint32_t *col) {
  if (off > f->len) off = f->len;
  uint32_t lo = 0, hi = f->nlines;   /* lines[0..lo) start at or before off */
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (f->lines[mid] <= off) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) {   /* the first line: srcpos_line_col knows the byte order mark */
    srcpos_line_col(f->text, f->len, off, line, col);
    return;
  }
  uint32_t k = 1;
  for (uint32_t i = f->lines[lo - 1]; i < off; i++)
    if (((unsigned char)f->text[i] & 0xC0) != 0x80) k++;
  *line = lo + 1;
  *col = k;
}
