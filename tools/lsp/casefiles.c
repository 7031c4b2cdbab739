/*
** casefiles.c: the case files of a rule set, as lines (casefiles.h).
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "casefiles.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime/mem.h"

static int name_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void casefiles_find(CaseFiles *cf, const char *root) {
  memset(cf, 0, sizeof *cf);
  char real[PATH_MAX];
  if (!root || !realpath(root, real)) return;
  const char *base = strrchr(real, '/');
  if (!base || !base[1]) return;
  char name[NAME_MAX + 1];
  snprintf(name, sizeof name, "%s", base + 1);
  char dir[PATH_MAX], cases[PATH_MAX + NAME_MAX + 16];
  snprintf(dir, sizeof dir, "%s", real);
  struct stat st;
  for (;;) {
    char *slash = strrchr(dir, '/');
    if (!slash) return;
    *slash = 0;
    snprintf(cases, sizeof cases, "%s/tests/cases/%s", dir[0] ? dir : "", name);
    if (stat(cases, &st) == 0 && S_ISDIR(st.st_mode)) break;
    if (!dir[0]) return;
  }
  DIR *d = opendir(cases);
  if (!d) return;
  char **names = NULL;
  size_t n = 0, cap = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    size_t l = strlen(e->d_name);
    if (l < 6 || strcmp(e->d_name + l - 5, ".case") != 0) continue;
    if (n == cap) names = xrealloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
    names[n++] = xstrdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, name_cmp);
  for (size_t i = 0; i < n; i++) {
    char path[sizeof cases + NAME_MAX + 2], err[256];
    snprintf(path, sizeof path, "%s/%s", cases, names[i]);
    /* a regular file only, opened without blocking: a FIFO named x.case cannot hang the server */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat fst;
    if (fd >= 0 && fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode)) src_load_fd(cf, fd, path, err, sizeof err);
    else if (fd >= 0) close(fd);   /* an unreadable case file is skipped */
    free(names[i]);
  }
  free(names);
}

void casefiles_free(CaseFiles *cf) { src_free(cf); }

static bool word_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '.'; }

static CaseSection section_of(const char *w, size_t n) {
  static const char *const input[] = {"invoer", "input"}, *const rules[] = {"verwacht", "expected", "redenen", "reasons"};
  for (size_t i = 0; i < 2; i++)
    if (strlen(input[i]) == n && memcmp(input[i], w, n) == 0) return CASE_INPUT;
  for (size_t i = 0; i < 4; i++)
    if (strlen(rules[i]) == n && memcmp(rules[i], w, n) == 0) return CASE_RULES;
  return CASE_OTHER;
}

/* A key at text[i]: a name followed by ':' (or '(' for a rule with parameters). Its length, or 0. */
static uint32_t key_len(const char *text, uint32_t end, uint32_t i) {
  uint32_t k = i;
  while (k < end && word_char(text[k])) k++;
  if (k == i || !(isalpha((unsigned char)text[i]) || text[i] == '_')) return 0;
  uint32_t j = k;
  while (j < end && text[j] == ' ') j++;
  return j < end && (text[j] == ':' || text[j] == '(') ? k - i : 0;
}

typedef void (*KeyFn)(const CaseKey *k, const char *text, void *ctx);

static void emit(const char *text, uint32_t off, uint32_t len, CaseSection s, uint32_t depth, KeyFn fn, void *ctx) {
  CaseKey k = {s, depth, off, len, ""};
  snprintf(k.name, sizeof k.name, "%.*s", (int)(len < sizeof k.name ? len : sizeof k.name - 1), text + off);
  fn(&k, text, ctx);
}

/* Every key of every section, in order. */
static void scan(const char *text, uint32_t len, KeyFn fn, void *ctx) {
  CaseSection section = CASE_OTHER;
  int64_t base = -1;   /* the indentation of the section's own keys */
  for (uint32_t start = 0; start < len;) {
    const char *nl = memchr(text + start, '\n', len - start);
    uint32_t end = nl ? (uint32_t)(nl - text) : len, i = start;
    while (i < end && text[i] == ' ') i++;
    uint32_t indent = i - start;
    if (end - start >= 3 && memcmp(text + start, "---", 3) == 0) {
      section = CASE_OTHER;
    } else if (indent == 0 && i < end && text[i] != '#') {
      uint32_t n = key_len(text, end, i);
      section = n ? section_of(text + i, n) : CASE_OTHER;
      base = -1;
    } else if (section != CASE_OTHER && i < end && text[i] != '#') {
      bool dash = false;
      if (text[i] == '-' && i + 1 < end && text[i + 1] == ' ') {
        dash = true;
        i += 2;
        while (i < end && text[i] == ' ') i++;
      }
      if (base < 0 && !dash) base = indent;
      uint32_t depth = dash || (base >= 0 && indent > (uint32_t)base) ? 1 : 0;
      uint32_t n = key_len(text, end, i);
      if (n) emit(text, i, n, section, depth, fn, ctx);
      /* keys inside {...} on the line: fields of a line of a list */
      int braces = 0;
      bool quoted = false;
      for (uint32_t k = i; k < end; k++) {
        char c = text[k];
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '{') braces++;
        else if (c == '}') braces--;
        else if (c == '#' && (k == 0 || text[k - 1] == ' ')) break;
        if (braces > 0 && (c == '{' || c == ',')) {
          uint32_t j = k + 1;
          while (j < end && text[j] == ' ') j++;
          uint32_t m = key_len(text, end, j);
          if (m) emit(text, j, m, section, depth + 1, fn, ctx);
        }
      }
    }
    start = end + 1;
  }
}

struct KeysCtx { const char *name; CaseSection section; bool nested; CaseKeys *out; };

static void collect(const CaseKey *k, const char *text, void *ctx) {
  struct KeysCtx *c = ctx;
  (void)text;
  if (k->section != c->section || (k->depth != 0) != c->nested || strcmp(k->name, c->name) != 0) return;
  CaseKeys *o = c->out;
  if (o->n == o->cap) o->offs = xrealloc(o->offs, (o->cap = o->cap ? o->cap * 2 : 8) * sizeof *o->offs);
  o->offs[o->n++] = k->off;
}

void casefiles_keys(const SourceFile *f, const char *name, CaseSection section, bool nested, CaseKeys *out) {
  memset(out, 0, sizeof *out);
  struct KeysCtx c = {name, section, nested, out};
  scan(f->text, f->len, collect, &c);
}

struct AtCtx { uint32_t off; CaseKey *out; bool found; };

static void at(const CaseKey *k, const char *text, void *ctx) {
  struct AtCtx *c = ctx;
  (void)text;
  if (!c->found && c->off >= k->off && c->off <= k->off + k->len) {
    *c->out = *k;
    c->found = true;
  }
}

bool casefiles_key_at(const char *text, uint32_t len, uint32_t off, CaseKey *out) {
  struct AtCtx c = {off, out, false};
  scan(text, len, at, &c);
  return c.found;
}

/* The value after a key's ':' when it is a date, into day. */
static bool date_value(const char *text, uint32_t len, const CaseKey *k, char day[11]) {
  uint32_t i = k->off + k->len;
  while (i < len && text[i] == ' ') i++;
  if (i >= len || text[i] != ':') return false;
  i++;
  while (i < len && (text[i] == ' ' || text[i] == '"')) i++;
  if (i + 10 > len) return false;
  for (int j = 0; j < 10; j++)
    if (j == 4 || j == 7 ? text[i + j] != '-' : !isdigit((unsigned char)text[i + j])) return false;
  if (i + 10 < len && isdigit((unsigned char)text[i + 10])) return false;
  memcpy(day, text + i, 10);
  day[10] = 0;
  return true;
}

struct DateCtx { uint32_t len; const char *const *prefer; uint32_t n; int rank; char day[11]; char key[128]; };

static void date_key(const CaseKey *k, const char *text, void *ctx) {
  struct DateCtx *c = ctx;
  char day[11];
  int rank = -1;   /* lower is better: rekendatum 0, a preferred key 1 + its place, any invoer date after them */
  if (k->section == CASE_OTHER && (strcmp(k->name, "rekendatum") == 0 || strcmp(k->name, "calculation_date") == 0)) rank = 0;
  else if (k->section == CASE_INPUT && k->depth == 0) {
    rank = 1 + (int)c->n;
    for (uint32_t i = 0; i < c->n; i++)
      if (strcmp(c->prefer[i], k->name) == 0) rank = 1 + (int)i;
  }
  if (rank < 0 || (c->rank >= 0 && rank >= c->rank) || !date_value(text, c->len, k, day)) return;
  c->rank = rank;
  memcpy(c->day, day, sizeof day);
  snprintf(c->key, sizeof c->key, "%s", k->name);
}

/* Top-level keys (rekendatum) are not reported by scan: look for them line by line. */
static void top_keys(const char *text, uint32_t len, struct DateCtx *c) {
  for (uint32_t start = 0; start < len;) {
    const char *nl = memchr(text + start, '\n', len - start);
    uint32_t end = nl ? (uint32_t)(nl - text) : len;
    uint32_t n = key_len(text, end, start);
    if (n) {
      CaseKey k = {CASE_OTHER, 0, start, n, ""};
      snprintf(k.name, sizeof k.name, "%.*s", (int)(n < sizeof k.name ? n : sizeof k.name - 1), text + start);
      date_key(&k, text, c);
    }
    start = end + 1;
  }
}

bool casefiles_date(const CaseFiles *cf, const char *const *prefer, uint32_t n, char day[11], char *from, size_t cap) {
  for (uint32_t i = 0; i < cf->n; i++) {
    const SourceFile *f = &cf->files[i];
    struct DateCtx c = {f->len, prefer, n, -1, "", ""};
    top_keys(f->text, f->len, &c);
    scan(f->text, f->len, date_key, &c);
    if (c.rank >= 0) {
      memcpy(day, c.day, 11);
      const char *slash = strrchr(f->name, '/');
      snprintf(from, cap, "%s, %s", slash ? slash + 1 : f->name, c.key);
      return true;
    }
  }
  return false;
}
