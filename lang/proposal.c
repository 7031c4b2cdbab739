/*
** proposal.c: merging a proposal into its base (see proposal.h).
*/
#include "proposal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nameindex.h"
#include "runtime/mem.h"
#include "runtime/strutil.h"

static const char *what_word(AstKind k) {
  switch (k) {
  case AST_RULE_DECL: return "regel";
  case AST_EXCEPTION_DECL: return "uitzondering";
  case AST_TABLE_DECL: return "tabel";
  case AST_RECORD_DECL: return "gegevens";
  case AST_ENUM_DECL: return "keuze";
  case AST_INPUT_DECL: return "invoer";
  case AST_OUTPUT_DECL: return "uitvoer";
  case AST_BENEFIT_DECL: return "uitkering";
  default: return "declaratie";
  }
}

static bool named(AstKind k) {
  return k == AST_RULE_DECL || k == AST_EXCEPTION_DECL || k == AST_TABLE_DECL || k == AST_RECORD_DECL ||
         k == AST_ENUM_DECL || k == AST_INPUT_DECL;
}

/* A type as written ("geld", "lijst Loonregel", "optioneel datum"): replacements must keep it. */
static void type_text(const AstNode *t, char *buf, size_t cap) {
  if (!t) {
    snprintf(buf, cap, "?");
    return;
  }
  char inner[128];
  switch (t->kind) {
  case AST_TYPE_LIST:
    type_text(t->a, inner, sizeof inner);
    snprintf(buf, cap, "lijst %s", inner);
    break;
  case AST_TYPE_OPTIONAL:
    type_text(t->a, inner, sizeof inner);
    snprintf(buf, cap, "optioneel %s", inner);
    break;
  default: snprintf(buf, cap, "%s", t->name ? t->name : "?");
  }
}

/* The signature a replacement must keep: a rule's parameters and result, a table's value and key. */
static void signature(const AstNode *d, char *buf, size_t cap) {
  char a[160], b[160];
  buf[0] = 0;
  if (d->kind == AST_RULE_DECL) {
    size_t k = 0;
    if (d->params.n) k += (size_t)snprintf(buf + k, cap - k, "(");
    for (uint32_t i = 0; i < d->params.n && k < cap; i++) {
      type_text(d->params.items[i]->a, a, sizeof a);
      k += (size_t)snprintf(buf + k, cap - k, "%s%s: %s", i ? ", " : "", d->params.items[i]->name, a);
    }
    if (d->params.n && k < cap) k += (size_t)snprintf(buf + k, cap - k, ")");
    type_text(d->a, a, sizeof a);
    if (k < cap) snprintf(buf + k, cap - k, ": %s", a);
  } else if (d->kind == AST_TABLE_DECL) {
    type_text(d->a, a, sizeof a);
    type_text(d->b, b, sizeof b);
    snprintf(buf, cap, ": %s per %s", a, b);
  }
}

static const char *label_text(const AstNode *n) { return n && n->label ? n->label->str : NULL; }

static void record(Changes *ch, ChangeKind k, AstKind what, const char *name, const char *label, Span here, Span base) {
  Change c = {k, what, name, label, here, base};
  VEC_PUSH(ch->v, ch->n, ch->cap, c);
}

/* A date literal made by the merge (a base version cut where a proposal's version takes over). */
static AstNode *date_node(Ast *ast, Span at, int64_t day) {
  AstNode *n = ast_new(&ast->arena, AST_DATE, at);
  n->ival = day;
  return n;
}

/* The base's declarations by kind and name (the last of equal ones, as a scan would find), built once. */
typedef struct BaseNames { NameIndex by_kind[AST__COUNT]; } BaseNames;

static void base_names_init(BaseNames *bn, const AstList *decls, uint32_t n, uint32_t first_base) {
  memset(bn, 0, sizeof *bn);
  for (uint32_t j = n; j-- > 0;) {
    const AstNode *y = decls->items[j];
    if (y->span.file >= first_base && y->name) nameidx_add(&bn->by_kind[y->kind], y->name, (int32_t)j);
  }
}
static void base_names_free(BaseNames *bn) {
  for (int k = 0; k < AST__COUNT; k++) nameidx_free(&bn->by_kind[k]);
}

/* "did you mean" over the base's declarations of one kind: only when a name is not found. */
static void suggest_base(const DiagList *d, Diag *dg, const AstList *decls, uint32_t n, uint32_t first_base, AstKind want, const char *name) {
  if (dg->dropped) return;
  const char **cands = NULL;
  size_t ncands = 0, capcands = 0;
  for (uint32_t j = 0; j < n; j++) {
    AstNode *y = decls->items[j];
    if (y->span.file >= first_base && y->kind == want && y->name) VEC_PUSH(cands, ncands, capcands, y->name);
  }
  const char *s = str_suggest(name, strlen(name), cands, ncands);
  diag_suggest(d, dg, name, strlen(name), s);
  xfree(cands);
}

/*
** 'vervang tabel x uit "f"': the rows are attached to the base table (the
** checker loads them over the base's rows). 'vervang versie op r ...': the
** version joins the base rule's versions, and the base's versions give way
** from its first day (through its last, if it has one): a version that lies
** inside is dropped, one that straddles the start ends the day before, one
** that straddles the end starts the day after.
*/
static bool overlay_into_base(Ast *ast, AstList *decls, uint32_t n, uint32_t first_base, BaseNames *bn, AstNode *x,
                              DiagList *d, Changes *ch) {
  bool rows = x->kind == AST_TABLE_ROWS;
  AstKind want = rows ? AST_TABLE_DECL : AST_RULE_DECL;
  int32_t at = nameidx_find(&bn->by_kind[want], x->name);
  AstNode *base = at >= 0 ? decls->items[at] : NULL;
  if (!base) {
    Diag *dg = diag_error(d, x->nspan, "E076", "vervang %s '%s': the base has no %s of that name",
                          rows ? "tabel" : "versie op", x->name, rows ? "tabel" : "regel");
    suggest_base(d, dg, decls, n, first_base, want, x->name);
    return false;
  }
  if (rows) {
    ast_push(&ast->arena, &base->extra, x);
    record(ch, CHANGE_ROWS, AST_TABLE_DECL, x->name, NULL, x->span, base->nspan);
    return true;
  }
  if (base->extra.n == 0) {
    Diag *dg = diag_error(d, x->nspan, "E076", "vervang versie op '%s': the base rule has no versions", x->name);
    diag_note(dg, "replace the whole rule with 'vervang regel %s'", x->name);
    return false;
  }
  AstNode *v = x->a;
  if (!v->a || v->a->kind != AST_DATE || (v->c && v->c->kind != AST_DATE)) {
    diag_error(d, v->nspan, "E076", "vervang versie: the version needs 'geldig vanaf' a date");
    return false;
  }
  int64_t from = v->a->ival, through = v->c ? v->c->ival : INT64_MAX;
  AstList kept = {0};
  for (uint32_t k = 0; k < base->extra.n; k++) {
    AstNode *b = base->extra.items[k];
    int64_t a = b->a && b->a->kind == AST_DATE ? b->a->ival : INT64_MIN;
    int64_t e = b->c && b->c->kind == AST_DATE ? b->c->ival : INT64_MAX;
    if (e < from || a > through) {   /* untouched */
      ast_push(&ast->arena, &kept, b);
      continue;
    }
    if (a >= from && e <= through) continue;   /* covered: gives way entirely */
    if (a < from && e > through) {
      Diag *dg = diag_error(d, v->nspan, "E076", "vervang versie op '%s' would split a version of the base in two",
                            x->name);
      diag_note(dg, "give the new version no end date, or add a second one for the time after it");
      return false;
    }
    if (a < from) b->c = date_node(ast, b->span, from - 1);   /* ends the day before */
    else b->a = date_node(ast, b->span, through + 1);         /* starts the day after */
    ast_push(&ast->arena, &kept, b);
  }
  ast_push(&ast->arena, &kept, v);
  base->extra = kept;
  record(ch, CHANGE_VERSION, AST_RULE_DECL, x->name, label_text(base), x->span, base->nspan);
  return true;
}

bool proposal_check_plain(const Ast *ast, DiagList *d) {
  bool ok = true;
  for (uint32_t i = 0; i < ast->decls.n; i++) {
    const AstNode *n = ast->decls.items[i];
    bool overlay = n->kind == AST_REMOVE_DECL || n->kind == AST_TABLE_ROWS || n->kind == AST_VERSION_OVERLAY;
    if (overlay || n->replaces) {
      Diag *dg = diag_error(d, overlay ? n->span : n->nspan, "E076",
                            "'%s' belongs in a proposal", n->kind == AST_REMOVE_DECL ? "schrap" : "vervang");
      diag_note(dg, "a proposal starts with 'voorstel op \"<path of the base rule set>\"'; in a rule set of its own, "
                    "change the declaration itself");
      ok = false;
    }
  }
  return ok;
}

bool proposal_adds_only(const Ast *ast) {
  for (uint32_t i = 0; i < ast->decls.n; i++) {
    const AstNode *n = ast->decls.items[i];
    if (n->kind == AST_REMOVE_DECL || n->kind == AST_TABLE_ROWS || n->kind == AST_VERSION_OVERLAY || n->replaces)
      return false;
  }
  return true;
}

bool proposal_merge(Ast *ast, uint32_t first_base, DiagList *d, Changes *ch) {
  bool ok = true;
  AstList *decls = &ast->decls;
  uint32_t n = decls->n;
  bool *drop = xcalloc(n ? n : 1, sizeof *drop);
  BaseNames bn;
  base_names_init(&bn, decls, n, first_base);
  bool overlay_output = false, overlay_benefit = false;
  for (uint32_t i = 0; i < n; i++) {
    AstNode *x = decls->items[i];
    if (x->span.file >= first_base) {
      if (x->kind == AST_PROPOSAL) {
        diag_error(d, x->span, "E075", "the base rule set is itself a proposal that replaces or removes; a proposal builds on a rule set of its own or on a proposal that only adds");
        ok = false;
      }
      continue;
    }
    if (x->kind == AST_OUTPUT_DECL) overlay_output = true;
    if (x->kind == AST_BENEFIT_DECL) overlay_benefit = true;
  }
  for (uint32_t i = 0; i < n; i++) {
    AstNode *x = decls->items[i];
    if (x->span.file >= first_base) continue;
    if (x->kind == AST_PROPOSAL) {
      drop[i] = true;
      continue;
    }
    if (x->kind == AST_TABLE_ROWS || x->kind == AST_VERSION_OVERLAY) {
      drop[i] = true;   /* folded into the base declaration below, not a declaration of its own */
      if (!overlay_into_base(ast, decls, n, first_base, &bn, x, d, ch)) ok = false;
      continue;
    }
    bool remove = x->kind == AST_REMOVE_DECL;
    AstKind want = remove ? AST_EXCEPTION_DECL : x->kind;
    if (x->replaces && !(x->kind == AST_RULE_DECL || x->kind == AST_EXCEPTION_DECL || x->kind == AST_TABLE_DECL)) {
      diag_error(d, x->span, "E076", "only a regel, uitzondering or tabel can be replaced ('vervang'), not a %s",
                 what_word(x->kind));
      ok = false;
      continue;
    }
    if (x->replaces > 1) {
      diag_error(d, x->span, "E076", "'vervang' twice");
      ok = false;
      continue;
    }
    /* the base declaration of the same kind and name */
    int32_t found = (x->replaces || remove || named(x->kind)) && x->name ? nameidx_find(&bn.by_kind[want], x->name) : -1;
    if (x->replaces || remove) {
      if (found < 0) {
        Diag *dg = diag_error(d, x->nspan, "E076", "%s %s '%s': the base has no %s of that name",
                              remove ? "schrap" : "vervang", what_word(want), x->name, what_word(want));
        suggest_base(d, dg, decls, n, first_base, want, x->name);
        ok = false;
      } else {
        AstNode *y = decls->items[found];
        char s1[400], s2[400];
        signature(x, s1, sizeof s1);
        signature(y, s2, sizeof s2);
        if (!remove && strcmp(s1, s2) != 0) {
          Diag *dg = diag_error(d, x->nspan, "E076", "vervang %s '%s' changes its type: the base has '%s%s', this is '%s%s'",
                                what_word(x->kind), x->name, x->name, s2, x->name, s1);
          diag_note(dg, "rules that use it expect the base's type; a different type is a new rule under another name");
          ok = false;
        } else if (drop[found]) {
          diag_error(d, x->nspan, "E076", "%s '%s' is replaced or taken out twice", what_word(want), x->name);
          ok = false;
        } else {
          drop[found] = true;
          record(ch, remove ? CHANGE_REMOVED : CHANGE_REPLACED, want, x->name, label_text(x) ? label_text(x) : label_text(y), x->span, y->nspan);
        }
      }
      if (remove) drop[i] = true;   /* the 'schrap' itself is not a declaration of the program */
      x->replaces = 0;
    } else if (found >= 0) {
      Diag *dg = diag_error(d, x->nspan, "E077", "the base already has a %s '%s'", what_word(x->kind), x->name);
      diag_note(dg, "write 'vervang %s %s' to replace it, or choose another name for a new one", what_word(x->kind),
                x->name);
      ok = false;
    } else if (x->kind == AST_RULE_DECL || x->kind == AST_EXCEPTION_DECL || x->kind == AST_TABLE_DECL) {
      Span none = {0, 0, 0};
      record(ch, CHANGE_ADDED, x->kind, x->name, label_text(x), x->span, none);
    }
  }
  base_names_free(&bn);
  /* a proposal with its own 'uitvoer' chooses the output columns */
  if (overlay_output)
    for (uint32_t j = 0; j < n; j++)
      if (decls->items[j]->span.file >= first_base && decls->items[j]->kind == AST_OUTPUT_DECL) {
        drop[j] = true;
        Span none = {0, 0, 0};
        record(ch, CHANGE_REPLACED, AST_OUTPUT_DECL, "uitvoer", NULL, none, decls->items[j]->span);
      }
  /* and with its own 'uitkering' the benefit paid (else the base's, checked against the uitvoer) */
  if (overlay_benefit)
    for (uint32_t j = 0; j < n; j++)
      if (decls->items[j]->span.file >= first_base && decls->items[j]->kind == AST_BENEFIT_DECL) drop[j] = true;
  /* the merged program: the base's declarations that stay, then the proposal's */
  AstList merged = {0};
  for (int pass = 0; pass < 2; pass++)
    for (uint32_t j = 0; j < n; j++) {
      AstNode *y = decls->items[j];
      bool base = y->span.file >= first_base;
      if ((pass == 0) == base && !drop[j]) ast_push(&ast->arena, &merged, y);
    }
  *decls = merged;
  xfree(drop);
  return ok;
}
