/*
** feature_util.c: helpers the language queries share (feature_util.h).
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "feature_util.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "position.h"
#include "runtime/mem.h"

const XOcc *feat_occ_at(const Analysis *a, uint32_t file, uint32_t off) {
  if (!a || !a->xref || !a->front.prog) return NULL;
  return xref_at(a->xref, file, off);
}

json_t *feat_location(const Analysis *a, Span s) {
  if (s.file >= a->front.src.n) return NULL;
  return lsp_location(&a->front.src.files[s.file], s.off, s.len);
}

bool feat_own_file(const Analysis *a, uint32_t file) {
  if (file >= a->front.src.n || !a->root) return false;
  const char *name = a->front.src.files[file].name;
  size_t n = strlen(name);
  if (n < 6 || strcmp(name + n - 6, ".rules") != 0) return false;
  char root[PATH_MAX], have[PATH_MAX];
  if (!realpath(a->root, root) || !realpath(name, have)) return false;
  if (strcmp(root, have) == 0) return true;   /* the set is one file */
  char *slash = strrchr(have, '/');
  if (!slash) return false;
  *slash = 0;
  return strcmp(root, have) == 0;
}

Lang feat_lang(const Analysis *a, uint32_t file) {
  const Program *p = a->front.prog;
  if (!p || !p->langs || file >= a->front.src.n) return LANG_NL;
  const char *name = a->front.src.files[file].name;
  size_t n = strlen(name);
  if (n < 6 || strcmp(name + n - 6, ".rules") != 0) return LANG_NL;
  return p->langs[file];
}

const Table *feat_table(const Analysis *a, uint32_t t) {
  const Program *p = a->front.prog;
  if (!p || t >= p->ntables || !p->tabdata) return NULL;
  return &p->tabdata[t];
}

int feat_table_file(const Analysis *a, uint32_t t) {
  const Table *tab = feat_table(a, t);
  if (!tab || !tab->path) return -1;
  return analysis_file(a, tab->path);
}

Span feat_line_span(const SourceFile *f, uint32_t file, uint32_t line) {
  uint32_t off = 0;
  for (uint32_t l = 1; l < line && off < f->len; l++) {
    const char *nl = memchr(f->text + off, '\n', f->len - off);
    if (!nl) return (Span){file, f->len, 0};
    off = (uint32_t)(nl - f->text) + 1;
  }
  const char *nl = memchr(f->text + off, '\n', f->len - off);
  uint32_t end = nl ? (uint32_t)(nl - f->text) : f->len;
  if (end > off && f->text[end - 1] == '\r') end--;
  return (Span){file, off, end - off};
}

static bool name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* 'taal en' / 'language en' before the first declaration. */
Lang feat_text_lang(const char *text, uint32_t len) {
  uint32_t i = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  for (;;) {
    while (i < len && isspace((unsigned char)text[i])) i++;
    if (i + 1 < len && text[i] == '-' && text[i + 1] == '-') {
      while (i < len && text[i] != '\n') i++;
      continue;
    }
    break;
  }
  uint32_t w = i;
  while (i < len && name_char(text[i])) i++;
  bool lang_kw = (i - w == 4 && memcmp(text + w, "taal", 4) == 0) || (i - w == 8 && memcmp(text + w, "language", 8) == 0);
  if (!lang_kw) return LANG_NL;
  while (i < len && (text[i] == ' ' || text[i] == '\t')) i++;
  return i + 2 <= len && memcmp(text + i, "en", 2) == 0 && (i + 2 == len || !name_char(text[i + 2])) ? LANG_EN : LANG_NL;
}

bool feat_is_name(const char *s) {
  if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
  for (const char *p = s; *p; p++)
    if (!(isalnum((unsigned char)*p) || *p == '_') || (unsigned char)*p >= 0x80) return false;
  size_t n = strlen(s);
  return lex_keyword(s, n, LANG_NL) == TK_IDENT && lex_keyword(s, n, LANG_EN) == TK_IDENT;
}
