/*
** position.c: LSP positions and URIs against the front end's bytes and paths
** (position.h).
*/
#include "position.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/mem.h"

/* Length in bytes of the UTF-8 character at s (n bytes left) and its UTF-16 units; an invalid byte: 1 and 1. */
static uint32_t utf8_char(const unsigned char *s, uint32_t n, uint32_t *units) {
  *units = 1;
  unsigned char c = s[0];
  uint32_t need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (need <= 1 || need > n) return 1;
  for (uint32_t i = 1; i < need; i++)
    if ((s[i] & 0xC0) != 0x80) return 1;
  if (need == 2 && c < 0xC2) return 1;                       /* overlong */
  if (need == 3 && c == 0xE0 && s[1] < 0xA0) return 1;      /* overlong */
  if (need == 3 && c == 0xED && s[1] >= 0xA0) return 1;     /* a surrogate */
  if (need == 4 && ((c == 0xF0 && s[1] < 0x90) || c > 0xF4 || (c == 0xF4 && s[1] >= 0x90))) return 1;
  if (need == 4) *units = 2;
  return need;
}

uint32_t lsp_offset_of(const char *text, uint32_t len, uint32_t line, uint32_t character) {
  uint32_t off = 0;
  for (uint32_t l = 0; l < line; l++) {
    const char *nl = memchr(text + off, '\n', len - off);
    if (!nl) return len;
    off = (uint32_t)(nl - text) + 1;
  }
  const char *nl = memchr(text + off, '\n', len - off);
  uint32_t end = nl ? (uint32_t)(nl - text) : len;
  if (end > off && text[end - 1] == '\r') end--;
  for (uint32_t units = 0; off < end && units < character;) {
    uint32_t u;
    off += utf8_char((const unsigned char *)text + off, end - off, &u);
    units += u;
  }
  return off;
}

void lsp_position_of(const char *text, uint32_t len, uint32_t off, uint32_t *line, uint32_t *character) {
  if (off > len) off = len;
  uint32_t l = 0, start = 0;
  for (const char *p = text; (p = memchr(p, '\n', off - (uint32_t)(p - text))) != NULL; p++) {
    l++;
    start = (uint32_t)(p - text) + 1;
  }
  uint32_t units = 0;
  for (uint32_t i = start; i < off;) {
    uint32_t u, n = utf8_char((const unsigned char *)text + i, len - i, &u);
    if (i + n > off) break;
    i += n;
    units += u;
  }
  *line = l;
  *character = units;
}

static json_t *position_json(const SourceFile *f, uint32_t off) {
  uint32_t line, ch;
  lsp_position_of(f->text, f->len, off, &line, &ch);
  return json_pack("{s:I,s:I}", "line", (json_int_t)line, "character", (json_int_t)ch);
}

json_t *lsp_range(const SourceFile *f, uint32_t off, uint32_t len) {
  uint32_t end = off + len < off || off + len > f->len ? f->len : off + len;
  return json_pack("{s:o,s:o}", "start", position_json(f, off), "end", position_json(f, end));
}

json_t *lsp_location(const SourceFile *f, uint32_t off, uint32_t len) {
  char *uri = lsp_uri_from_path(f->name);
  if (!uri) return NULL;
  json_t *loc = json_pack("{s:s,s:o}", "uri", uri, "range", lsp_range(f, off, len));
  free(uri);
  return loc;
}

char *lsp_uri_from_path(const char *path) {
  char *abs = NULL;
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return NULL;
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *joined = xmalloc(n);
    snprintf(joined, n, "%s/%s", cwd, path);
    abs = path_normalise(joined);
    free(joined);
  } else {
    abs = path_normalise(path);
  }
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(abs);
  char *uri = xmalloc(7 + 3 * n + 1), *o = uri;
  memcpy(o, "file://", 7);
  o += 7;
  for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
      *o++ = (char)*p;
    } else {
      *o++ = '%';
      *o++ = hex[*p >> 4];
      *o++ = hex[*p & 15];
    }
  }
  *o = 0;
  free(abs);
  return uri;
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *lsp_path_from_uri(const char *uri) {
  if (strncmp(uri, "file://", 7) != 0) return NULL;
  const char *p = uri + 7;
  if (strncmp(p, "localhost/", 10) == 0) p += 9;
  if (*p != '/') return NULL;
  char *path = xmalloc(strlen(p) + 1), *o = path;
  for (; *p && *p != '?' && *p != '#'; p++) {
    if (*p == '%') {
      int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);
      if (l < 0 || (h == 0 && l == 0)) {
        free(path);
        return NULL;
      }
      *o++ = (char)(h * 16 + l);
      p += 2;
    } else {
      *o++ = *p;
    }
  }
  *o = 0;
  return path;
}
