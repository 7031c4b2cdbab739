/*
** front.c: runs the front end's stages in order (parse every file, check
** the whole program, compile, verify) and stops at the first stage that
** reported errors, so later stages never see a broken tree.
*/
#include "front.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "compile.h"
#include "parser.h"
#include "runtime/mem.h"
#include "runtime/verify.h"

void front_init(Front *f) {
  memset(f, 0, sizeof *f);
  f->allow = native_allowed();
  arena_init(&f->ast.arena);
  diag_init(&f->diags, &f->src);
}

void front_free(Front *f) {
  free(f->changes.v);
  free(f->base);
  sandbox_free(&f->sandbox);
  diag_free(&f->diags);
  arena_free(&f->ast.arena);
  src_free(&f->src);
  free(f->langs);
  memset(f, 0, sizeof *f);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool has_suffix(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

/*
** Load one path; a directory contributes its *.rules files in name order.
** What a folder holds, and every file when `named_by_rules` (a proposal's
** base), is read only inside the rule-set tree (sandbox.h): a .rules link
** in a folder does not reach out of it. A file the operator names is read as named.
*/
static bool load_path(Front *f, const char *path, bool named_by_rules) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    DIR *dir = opendir(path);
    if (!dir) {
      snprintf(f->load_error, sizeof f->load_error, "cannot open directory '%s'", path);
      return false;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
      if (e->d_name[0] != '.' && has_suffix(e->d_name, ".rules")) {
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *full = xmalloc(len);
        snprintf(full, len, "%s%s%s", path, has_suffix(path, "/") ? "" : "/", e->d_name);
        VEC_PUSH(names, n, cap, full);
      }
    closedir(dir);
    if (n > 1) qsort(names, n, sizeof *names, cmp_str);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
      if (ok) ok = load_path(f, names[i], true);
      free(names[i]);
    }
    free(names);
    if (n == 0 && ok) {
      snprintf(f->load_error, sizeof f->load_error, "no .rules files in directory '%s'", path);
      return false;
    }
    return ok;
  }
  if (named_by_rules) return sandbox_load_entry(&f->sandbox, &f->src, path, f->load_error, sizeof f->load_error) >= 0;
  return src_load(&f->src, path, f->load_error, sizeof f->load_error) >= 0;
}

/*
** A proposal ('voorstel op "path"' in one of the files): load and parse its
** base rule set (the path is relative to the file that names it) and merge
** the two (proposal.c). Without one, 'vervang' and 'schrap' are errors.
*/
static bool load_proposal(Front *f) {
  const AstNode *prop = NULL;
  for (uint32_t i = 0; i < f->ast.decls.n; i++) {
    const AstNode *x = f->ast.decls.items[i];
    if (x->kind != AST_PROPOSAL) continue;
    if (prop) {
      Diag *dg = diag_error(&f->diags, x->span, "E075", "a proposal names one base rule set");
      diag_note(dg, "keep one 'voorstel op \"...\"'");
      return false;
    }
    prop = x;
  }
  if (!prop) return proposal_check_plain(&f->ast, &f->diags);
  const char *file = f->src.files[prop->span.file].name;
  const char *slash = strrchr(file, '/');
  size_t dlen = slash ? (size_t)(slash - file) + 1 : 0;
  size_t len = dlen + strlen(prop->str) + 1;
  char *base = xmalloc(len);
  if (prop->str[0] == '/') snprintf(base, len, "%s", prop->str);
  else snprintf(base, len, "%.*s%s", (int)dlen, file, prop->str);
  char *joined = base;   /* 'rules/wia', not 'rules/voorstellen/x/../../wia' */
  base = path_normalise(joined);
  free(joined);
  uint32_t first_base = f->src.n;
  SandboxVerdict v = sandbox_judge(&f->sandbox, base, true);
  if (v == SANDBOX_OUTSIDE || v == SANDBOX_NOT_REGULAR) {
    sandbox_report(&f->sandbox, &f->diags, prop->nspan, prop->str, v, NULL);
    free(base);
    return false;
  }
  if (!load_path(f, base, true)) {
    diag_error(&f->diags, prop->nspan, "E075", "cannot load the base rule set '%s': %s", base, f->load_error);
    f->load_error[0] = 0;
    free(base);
    return false;
  }
  f->is_proposal = true;
  f->base = base;
  f->langs = xrealloc(f->langs, f->src.n * sizeof *f->langs);
  bool parsed = true;
  for (uint32_t i = first_base; i < f->src.n; i++)
    if (!parse_file(&f->ast, &f->src, i, &f->diags, &f->langs[i])) parsed = false;
  return parsed && proposal_merge(&f->ast, first_base, &f->diags, &f->changes);
}

static Chunk *run_stages(Front *f, FrontStage stage) {
  f->langs = xcalloc(f->src.n ? f->src.n : 1, sizeof *f->langs);
  bool parsed = true;
  for (uint32_t i = 0; i < f->src.n; i++) {
    if (!parse_file(&f->ast, &f->src, i, &f->diags, &f->langs[i])) parsed = false;
  }
  if (parsed && !load_proposal(f)) parsed = false;
  if (!parsed || stage == FRONT_PARSE) return NULL;
  Program prog;
  bool ok = chk_program(&prog, &f->ast, &f->src, f->langs, f->allow, &f->sandbox, &f->diags);
  if (!ok || stage == FRONT_CHECK) {
    chk_free(&prog);
    return NULL;
  }
  Chunk *c = cg_program(&prog, &f->diags, (f->coverage ? CG_COVERAGE : 0) | (f->trace ? CG_TRACE : 0));
  chk_free(&prog);
  if (!c) return NULL;
  char err[512];
  if (!verify_chunk(c, err, sizeof err)) {
    /* A compiler bug, not a user error: say so plainly. */
    Span none = {0, 0, 0};
    diag_error(&f->diags, none, "E099", "internal error: the compiled code failed verification: %s", err);
    chunk_free(c);
    return NULL;
  }
  return c;
}

Chunk *front_compile(Front *f, const char *const *paths, int npaths, FrontStage stage) {
  for (int i = 0; i < npaths; i++) sandbox_add_named(&f->sandbox, paths[i]);
  for (int i = 0; i < npaths; i++)
    if (!load_path(f, paths[i], false)) return NULL;
  return run_stages(f, stage);
}

Chunk *front_compile_text(Front *f, const char *name, const char *text, size_t len, FrontStage stage) {
  sandbox_add_named(&f->sandbox, name);
  src_add(&f->src, name, text, (uint32_t)len);
  return run_stages(f, stage);
}
