/*
** links.c: citations as links (links.h).
*/
#include "links.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"


/* The source declaration a citation names, or NULL. */
static const AstNode *source_of(const Program *p, const AstNode *cite) {
  if (cite->ival != TK_IDENT || cite->ref < 0 || (uint32_t)cite->ref >= p->nsources) return NULL;
  const AstNode *s = p->sources[cite->ref];
  return s->name && cite->name && strcmp(s->name, cite->name) == 0 ? s : NULL;
}

/* A BWB id is BWBR followed by digits: nothing else goes into an address. */
static bool is_bwb(const char *s) {
  if (!s || strncmp(s, "BWBR", 4) != 0 || !s[4]) return false;
  for (const char *p = s + 4; *p; p++)
    if (!isdigit((unsigned char)*p)) return false;
  return true;
}

/* The value after `word ` in "art 16 lid 1 sub a" (art numbers like 27e are letters and digits), copied to out. */
static bool part_after(const char *detail, const char *word, char *out, size_t cap) {
  size_t wn = strlen(word);
  for (const char *p = detail; p && *p; p++) {
    if ((p == detail || p[-1] == ' ') && strncmp(p, word, wn) == 0 && p[wn] == ' ') {
      const char *v = p + wn + 1;
      size_t n = 0;
      while (isalnum((unsigned char)v[n]) || v[n] == '.') n++;
      if (n == 0 || n >= cap) return false;
      memcpy(out, v, n);
      out[n] = 0;
      return true;
    }
  }
  return false;
}

char *link_of_source(const AstNode *source) {
  return source && is_bwb(source->str2) ? xasprintf("https://wetten.overheid.nl/%s/", source->str2) : NULL;
}

char *link_of_cite(const Program *p, const AstNode *cite) {
  if (!cite || cite->kind != AST_CITE || !cite->name) return NULL;
  if (cite->ival == TK_ECLI) return xasprintf("https://uitspraken.rechtspraak.nl/details?id=%s", cite->name);
  if (cite->ival == TK_STRING) {
    const char *t = cite->name;
    if (strncmp(t, "https://", 8) != 0 && strncmp(t, "http://", 7) != 0) return NULL;
    for (const char *c = t; *c; c++)
      if (*c == ' ' || *c == ')' || *c == '(' || (unsigned char)*c < 0x20) return NULL;   /* not one address */
    return xstrdup(t);
  }
  const AstNode *s = source_of(p, cite);
  if (!s || !is_bwb(s->str2)) return NULL;
  char art[32], lid[32];
  if (!cite->str || !part_after(cite->str, "art", art, sizeof art)) return link_of_source(s);
  if (part_after(cite->str, "lid", lid, sizeof lid) || part_after(cite->str, "para", lid, sizeof lid))
    return xasprintf("https://wetten.overheid.nl/jci1.3:c:%s&artikel=%s&lid=%s", s->str2, art, lid);
  return xasprintf("https://wetten.overheid.nl/jci1.3:c:%s&artikel=%s", s->str2, art);
}

char *link_markdown(const Program *p, const AstNode *cite) {
  char *url = link_of_cite(p, cite);
  const AstNode *s = source_of(p, cite);
  char *text = cite->str && cite->str[0] ? xasprintf("%s %s", cite->name, cite->str) : xasprintf("%s", cite->name);
  char *md;
  if (url) md = xasprintf("[%s](%s)%s%s%s", text, url, s && s->str ? " (" : "", s && s->str ? s->str : "", s && s->str ? ")" : "");
  else md = xasprintf("%s%s%s%s", text, s && s->str ? " (" : "", s && s->str ? s->str : "", s && s->str ? ")" : "");
  free(url);
  free(text);
  return md;
}
