/*
** workspace.c: open documents and the rule sets they belong to
** (workspace.h).
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "workspace.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "position.h"
#include "runtime/mem.h"

enum { CSV_CANDIDATES = 16 };   /* folders built to find the rule sets of a CSV nobody reads yet */

char *ws_real(const char *path) {
  char buf[PATH_MAX];
  if (realpath(path, buf)) return xstrdup(buf);
  if (path[0] == '/') return path_normalise(path);
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return path_normalise(path);
  size_t n = strlen(cwd) + strlen(path) + 2;
  char *joined = xmalloc(n);
  snprintf(joined, n, "%s/%s", cwd, path);
  char *out = path_normalise(joined);
  free(joined);
  return out;
}

/* The overlay (source.h): an open document's text for its file. */
static bool overlay_text(void *ctx, const char *path, const char **text, uint32_t *len) {
  Workspace *ws = ctx;
  if (ws->ndocs == 0) return false;
  char *real = ws_real(path);
  bool found = false;
  for (size_t i = 0; i < ws->ndocs && !found; i++)
    if (strcmp(ws->docs[i].real, real) == 0) {
      *text = ws->docs[i].text;
      *len = ws->docs[i].len;
      found = true;
    }
  free(real);
  return found;
}

void ws_init(Workspace *ws) {
  memset(ws, 0, sizeof *ws);
  ws->overlay.text_of = overlay_text;
  ws->overlay.ctx = ws;
}

static void analysis_drop(Analysis *a) {
  if (!a) return;
  analysis_free(a);
  free(a);
}

static void set_free(RuleSet *rs) {
  if (rs->checked != rs->newest) analysis_drop(rs->checked);
  analysis_drop(rs->newest);
  free(rs->root);
  free(rs);
}

static void doc_free(Document *d) {
  free(d->uri);
  free(d->path);
  free(d->real);
  free(d->text);
}

void ws_free(Workspace *ws) {
  for (size_t i = 0; i < ws->ndocs; i++) doc_free(&ws->docs[i]);
  for (size_t i = 0; i < ws->nsets; i++) set_free(ws->sets[i]);
  free(ws->docs);
  free(ws->sets);
  memset(ws, 0, sizeof *ws);
}

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

static DocKind kind_of(const char *path) {
  if (has_suffix(path, ".rules")) return DOC_RULES;
  if (has_suffix(path, ".csv") || has_suffix(path, ".CSV")) return DOC_CSV;
  if (has_suffix(path, ".case")) return DOC_CASE;
  return DOC_OTHER;
}

Document *ws_find(Workspace *ws, const char *uri) {
  for (size_t i = 0; i < ws->ndocs; i++)
    if (strcmp(ws->docs[i].uri, uri) == 0) return &ws->docs[i];
  return NULL;
}

void ws_set_text(Document *d, const char *text, size_t len, int64_t version) {
  free(d->text);
  d->text = xstrndup(text, len);
  d->len = (uint32_t)len;
  d->version = version;
}

void ws_splice(Document *d, uint32_t from, uint32_t to, const char *text, size_t len) {
  if (to > d->len) to = d->len;
  if (from > to) from = to;
  size_t n = (size_t)d->len - (to - from) + len;
  char *t = xmalloc(n + 1);
  memcpy(t, d->text, from);
  memcpy(t + from, text, len);
  memcpy(t + from + len, d->text + to, d->len - to);
  t[n] = 0;
  free(d->text);
  d->text = t;
  d->len = (uint32_t)n;
}

Document *ws_open(Workspace *ws, const char *uri, const char *text, size_t len, int64_t version) {
  char *path = lsp_path_from_uri(uri);
  if (!path) return NULL;
  Document *d = ws_find(ws, uri);
  if (!d) {
    Document fresh = {0};
    VEC_PUSH(ws->docs, ws->ndocs, ws->capdocs, fresh);
    d = &ws->docs[ws->ndocs - 1];
    d->uri = xstrdup(uri);
  } else {
    free(d->path);
    free(d->real);
  }
  d->path = path;
  d->real = ws_real(path);
  d->kind = kind_of(path);
  ws_set_text(d, text, len, version);
  return d;
}

void ws_close(Workspace *ws, const char *uri) {
  Document *d = ws_find(ws, uri);
  if (!d) return;
  doc_free(d);
  size_t i = (size_t)(d - ws->docs);
  memmove(&ws->docs[i], &ws->docs[i + 1], (ws->ndocs - i - 1) * sizeof *ws->docs);
  ws->ndocs--;
}

int ws_file_in(const Analysis *a, const char *real) {
  for (uint32_t i = 0; i < a->front.src.n; i++) {
    char *r = ws_real(a->front.src.files[i].name);
    bool same = strcmp(r, real) == 0;
    free(r);
    if (same) return (int)i;
  }
  return -1;
}

void ws_touch(Workspace *ws, const char *real) {
  for (size_t i = 0; i < ws->nsets; i++)
    if (ws->sets[i]->newest && ws_file_in(ws->sets[i]->newest, real) >= 0) ws->sets[i]->dirty = true;
}

void ws_build(Workspace *ws, RuleSet *rs) {
  Analysis *a = xmalloc(sizeof *a);
  analysis_build_with(a, rs->root, &ws->overlay);
  rs->built = ++ws->builds;
  Analysis *old = rs->newest, *old_checked = rs->checked;
  if (a->front.prog) {
    if (old_checked != old) analysis_drop(old_checked);
    rs->checked = a;
  } else {
    rs->checked = old_checked;   /* rs->checked stays the older one whose checking ran */
  }
  if (old != rs->checked) analysis_drop(old);
  rs->newest = a;
  rs->dirty = false;
}

static RuleSet *set_find(Workspace *ws, const char *root) {
  for (size_t i = 0; i < ws->nsets; i++)
    if (strcmp(ws->sets[i]->root, root) == 0) return ws->sets[i];
  return NULL;
}

static RuleSet *set_add(Workspace *ws, const char *root) {
  RuleSet *rs = set_find(ws, root);
  if (rs) return rs;
  rs = xcalloc(1, sizeof *rs);
  rs->root = xstrdup(root);
  rs->dirty = true;
  VEC_PUSH(ws->sets, ws->nsets, ws->capsets, rs);
  return rs;
}

/* Does folder `dir` hold a .rules file (the mark of a rule set)? */
static bool holds_rules(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return false;
  bool found = false;
  for (struct dirent *e; !found && (e = readdir(d)) != NULL;)
    found = e->d_name[0] != '.' && has_suffix(e->d_name, ".rules");
  closedir(d);
  return found;
}

/* The folder part of path (without the last '/'), malloc'd; "/" for a file at the top. */
static char *folder_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return xstrdup("/");
  return xstrndup(path, (size_t)(slash - path));
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *out = xmalloc(n);
  snprintf(out, n, "%s%s%s", a, has_suffix(a, "/") ? "" : "/", b);
  return out;
}

/* A case file's rule set: rules/NAME above it, NAME the folder the case file is in. */
static char *case_root(const char *real) {
  char *dir = folder_of(real);
  const char *name = strrchr(dir, '/');
  name = name ? name + 1 : dir;
  char *found = NULL;
  char *at = xstrdup(dir);
  while (*name && !found) {
    char *rules = join(at, "rules");
    char *cand = join(rules, name);
    free(rules);
    if (holds_rules(cand)) found = ws_real(cand);
    free(cand);
    if (strcmp(at, "/") == 0) break;
    char *up = folder_of(at);
    free(at);
    at = up;
  }
  free(at);
  free(dir);
  return found;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The folders that might read a CSV nobody is known to read: its own, then its siblings in name order. */
static size_t csv_candidates(const char *real, char **out, size_t max) {
  size_t n = 0;
  char *dir = folder_of(real);
  if (holds_rules(dir)) out[n++] = xstrdup(dir);
  char *parent = folder_of(dir);
  DIR *d = opendir(parent);
  if (d) {
    char *found[CSV_CANDIDATES];
    size_t k = 0;
    for (struct dirent *e; k < CSV_CANDIDATES && (e = readdir(d)) != NULL;) {
      if (e->d_name[0] == '.') continue;
      char *sib = join(parent, e->d_name);
      if (strcmp(sib, dir) != 0 && holds_rules(sib)) found[k++] = sib;
      else free(sib);
    }
    closedir(d);
    qsort(found, k, sizeof *found, cmp_str);
    for (size_t i = 0; i < k; i++) {
      if (n < max) out[n++] = found[i];
      else free(found[i]);
    }
  }
  free(parent);
  free(dir);
  return n;
}

size_t ws_sets_of(Workspace *ws, const Document *d, RuleSet **out, size_t max) {
  if (max == 0) return 0;
  if (d->kind == DOC_RULES) {
    char *dir = folder_of(d->real);
    out[0] = set_add(ws, dir);
    free(dir);
    return 1;
  }
  if (d->kind == DOC_CASE) {
    char *root = case_root(d->real);
    if (!root) return 0;
    out[0] = set_add(ws, root);
    free(root);
    return 1;
  }
  if (d->kind != DOC_CSV) return 0;
  size_t n = 0;
  for (size_t i = 0; i < ws->nsets && n < max; i++)
    if (ws->sets[i]->newest && ws_file_in(ws->sets[i]->newest, d->real) >= 0) out[n++] = ws->sets[i];
  if (n > 0) return n;
  char *cands[CSV_CANDIDATES];
  size_t k = csv_candidates(d->real, cands, CSV_CANDIDATES);
  for (size_t i = 0; i < k; i++) {
    char *root = ws_real(cands[i]);
    free(cands[i]);
    if (!set_find(ws, root) && n < max) {
      RuleSet *rs = set_add(ws, root);
      ws_build(ws, rs);
      if (ws_file_in(rs->newest, d->real) >= 0) {
        out[n++] = rs;
      } else {   /* does not read it: forgotten again */
        ws->nsets--;
        set_free(rs);
      }
    }
    free(root);
  }
  return n;
}
