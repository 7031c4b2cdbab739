/*
** strutil.c: edit distance, suggestions and UTF-8 validation (see strutil.h).
*/
#include "strutil.h"

#include <stdint.h>
#include <string.h>

int str_edit_distance(const char *a, size_t alen, const char *b, size_t blen) {
  if (alen > 64 || blen > 64) return 255;   /* names are short; long ones are never typos of each other */
  int d[65][65];
  for (size_t i = 0; i <= alen; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= blen; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= alen; i++)
    for (size_t j = 1; j <= blen; j++) {
      int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      /* two letters swapped ('rnu' for 'run') is one slip of the fingers */
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[alen][blen] > 255 ? 255 : d[alen][blen];
}

const char *str_suggest(const char *name, size_t len, const char *const *cands, size_t ncands) {
  int limit = (int)(len / 3);
  if (limit < 1) limit = 1;
  const char *best = NULL;
  int best_d = limit + 1;
  for (size_t i = 0; i < ncands; i++) {
    if (!cands[i]) continue;
    size_t clen = strlen(cands[i]);
    int d = str_edit_distance(name, len, cands[i], clen);
    if (d < best_d && (size_t)d < len) {
      best = cands[i];
      best_d = d;
    }
  }
  if (best) return best;
  /* No close spelling: a candidate that the name extends or abbreviates ('sv_loon_bruto' -> 'sv_loon'). */
  for (size_t i = 0; i < ncands && len >= 3; i++) {
    if (!cands[i]) continue;
    size_t clen = strlen(cands[i]);
    size_t m = clen < len ? clen : len;
    if (m >= 3 && memcmp(name, cands[i], m) == 0 && (m == clen || m == len) && clen != len) return cands[i];
  }
  return NULL;
}

size_t utf8_or_escaped(const char *s, size_t len, char *out) {
  static const char hex[] = "0123456789ABCDEF";
  bool valid = utf8_valid(s, len);
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80 || valid) {
      out[n++] = (char)c;
    } else {
      out[n++] = '\\';
      out[n++] = 'x';
      out[n++] = hex[c >> 4];
      out[n++] = hex[c & 15];
    }
  }
  out[n] = '\0';
  return n;
}

bool utf8_valid(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    if (c < 0x80) { i++; continue; }
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    for (size_t k = 1; k <= n; k++) {
      if (i + k >= len || (s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}
