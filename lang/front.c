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
#include "proposal.h"
#include "runtime/mem.h"
#include "runtime/verify.h"
#include "uses.h"
#include "runtime/i18n.h"

void front_init(Front *f) {
  memset(f, 0, sizeof *f);
  f->allow = native_allowed();
  arena_init(&f->ast.arena);
  diag_init(&f->diags, &f->src);
}

void front_free(Front *f) {
  if (f->prog) {
    chk_free(f->prog);
    xfree(f->prog);
  }
  xfree(f->changes.v);
  xfree(f->base);
  sandbox_free(&f->sandbox);
  uses_free(&f->uses);
  diag_free(&f->diags);
  arena_free(&f->ast.arena);
  src_free(&f->src);
  xfree(f->langs);
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
      snprintf(f->load_error, sizeof f->load_error, _("cannot open directory '%s'"), path);
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
      xfree(names[i]);
    }
    xfree(names);
    if (n == 0 && ok) {
      snprintf(f->load_error, sizeof f->load_error, _("no .rules files in directory '%s'"), path);
      return false;
    }
    return ok;
  }
  if (named_by_rules) return sandbox_load_entry(&f->sandbox, &f->src, path, f->load_error, sizeof f->load_error) >= 0;
  return src_load(&f->src, path, f->load_error, sizeof f->load_error) >= 0;
}

static bool parse_from(Front *f, uint32_t first) {
  f->langs = xrealloc(f->langs, (f->src.n ? f->src.n : 1) * sizeof *f->langs);
  bool parsed = true;
  for (uint32_t i = first; i < f->src.n; i++)
    if (!parse_file(&f->ast, &f->src, i, &f->diags, &f->langs[i])) parsed = false;
  return parsed;
}

/* A path a rule file names, relative to that file: 'rules/wia', not 'rules/voorstellen/x/../../wia'. Malloc'd. */
static char *beside(const Front *f, Span at, const char *rel) {
  const char *file = f->src.files[at.file].name;
  const char *slash = strrchr(file, '/');
  size_t dlen = slash ? (size_t)(slash - file) + 1 : 0;
  size_t len = dlen + strlen(rel) + 1;
  char *joined = xmalloc(len);
  if (rel[0] == '/') snprintf(joined, len, "%s", rel);
  else snprintf(joined, len, "%.*s%s", (int)dlen, file, rel);
  char *path = path_normalise(joined);
  xfree(joined);
  return path;
}

static bool complete_set(Front *f, uint32_t first, bool may_propose, bool top);

/*
** Load the rule set a 'voorstel op' or 'gebruik' (`by`) names, whole: its
** files parsed, and its own base and used sets in it (complete_set). Its
** declarations go to *out; the caller's stay in f->ast.decls. A set inside
** the tree only (sandbox.h), and once in a program (uses.h).
*/
static bool load_set(Front *f, const AstNode *by, AstList *out, bool as_base, char **path_out) {
  bool use = by->kind == AST_USE;
  Span at = use ? by->b->span : by->nspan;
  char *path = beside(f, at, by->str);
  SandboxVerdict v = sandbox_judge(&f->sandbox, path, true);
  if (v == SANDBOX_OUTSIDE || v == SANDBOX_NOT_REGULAR) {
    sandbox_report(&f->sandbox, &f->diags, at, by->str, v, NULL);
    xfree(path);
    return false;
  }
  int trail = uses_enter(&f->uses, &f->src, &f->diags, path, at, !use);
  if (trail < 0) {
    xfree(path);
    return false;
  }
  AstList outer = f->ast.decls;
  memset(&f->ast.decls, 0, sizeof f->ast.decls);
  uint32_t first = f->src.n;
  bool ok = load_path(f, path, true);
  if (!ok) {
    diag_error(&f->diags, at, use ? "E085" : "E075", use ? N_("cannot load the used rule set '%s': %s") : N_("cannot load the base rule set '%s': %s"),
               path, f->load_error);
    f->load_error[0] = 0;
  }
  ok = ok && parse_from(f, first) && complete_set(f, first, !as_base, false);
  *out = f->ast.decls;
  f->ast.decls = outer;
  uses_leave(&f->uses, trail);
  if (ok && path_out) *path_out = path;
  else xfree(path);
  return ok;
}

/*
** A proposal ('voorstel op "path"' in one of the files): load its base whole
** and merge the two (proposal.c). Without one, 'vervang' and 'schrap' are
** errors. `top`: the rule set named on the command line, whose base and
** changes dagloon check --changes and compare show.
*/
static bool load_proposal(Front *f, bool may_propose, bool top, bool *is_proposal) {
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
  *is_proposal = true;
  /* a base that is a proposal itself: flattened when it only adds to its own base (rules/wia_uitkering on
     rules/wia: its rules, uitvoer and benefit), so a proposal on it changes the law beside them; one that
     replaces or removes is refused by the merge (E075): a chain of changes has no one base to show */
  if (!may_propose && !proposal_adds_only(&f->ast)) return true;
  uint32_t first_base = f->src.n;
  AstList base;
  char *path = NULL;
  if (!load_set(f, prop, &base, true, &path)) return false;
  for (uint32_t i = 0; i < base.n; i++) ast_push(&f->ast.arena, &f->ast.decls, base.items[i]);
  Changes none = {0};
  bool ok = proposal_merge(&f->ast, first_base, &f->diags, top ? &f->changes : &none);
  xfree(none.v);
  if (top) {
    f->is_proposal = true;
    f->base = path;
  } else {
    xfree(path);
  }
  return ok;
}

/* The sets this one uses ('gebruik'), each loaded whole and moved into its namespace (uses.h). */
static bool load_uses(Front *f) {
  bool ok = true;
  for (uint32_t i = 0; i < f->ast.decls.n; i++) {
    AstNode *u = f->ast.decls.items[i];
    if (u->kind != AST_USE || u->ival) continue;
    u->ival = 1;
    AstList used;
    if (!load_set(f, u, &used, false, NULL) || !uses_namespace(&f->ast, u, &used, &f->ast.decls, &f->diags))
      ok = false;
  }
  return ok;
}

/*
** The rule set whose files from `first` were just parsed into f->ast.decls,
** made whole: its proposal's base merged in, the sets it uses loaded, and
** its own 'wia.x' resolved. Bases and used sets are made whole first, by
** the same steps, so a proposal may replace a used set's rule and a used
** set may be a proposal.
*/
static bool complete_set(Front *f, uint32_t first, bool may_propose, bool top) {
  uint32_t own_end = f->src.n;
  bool proposal = false;
  if (!load_proposal(f, may_propose, top, &proposal)) return false;
  bool ok = load_uses(f);
  return uses_resolve(&f->ast, &f->ast.decls, first, own_end, proposal, &f->diags) && ok;
}

static Chunk *run_stages(Front *f, FrontStage stage) {
  bool parsed = parse_from(f, 0);
  if (parsed && !complete_set(f, 0, true, true)) parsed = false;
  if (!parsed || stage == FRONT_PARSE) return NULL;
  Program local, *prog = f->keep_program ? xmalloc(sizeof *prog) : &local;
  bool ok = chk_program(prog, &f->ast, &f->src, f->langs, f->allow, &f->sandbox, &f->diags);
  Chunk *c = ok && stage == FRONT_COMPILE
               ? cg_program(prog, &f->diags, (f->coverage ? CG_COVERAGE : 0) | (f->trace ? CG_TRACE : 0))
               : NULL;
  if (f->keep_program) f->prog = prog;
  else chk_free(prog);
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
  Span none = {0, 0, 0};
  for (int i = 0; i < npaths; i++) {
    sandbox_add_named(&f->sandbox, paths[i]);
    uses_enter(&f->uses, &f->src, &f->diags, paths[i], none, false);
  }
  for (int i = 0; i < npaths; i++)
    if (!load_path(f, paths[i], false)) return NULL;
  return run_stages(f, stage);
}

Chunk *front_compile_text(Front *f, const char *name, const char *text, size_t len, FrontStage stage) {
  sandbox_add_named(&f->sandbox, name);
  Span none = {0, 0, 0};
  uses_enter(&f->uses, &f->src, &f->diags, name, none, false);
  src_add(&f->src, name, text, (uint32_t)len);
  return run_stages(f, stage);
}
