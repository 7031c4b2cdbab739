/*
** uses.c: rule sets that use rule sets (see uses.h). Everything here is a
** rewrite of names in the tree before checking, so every check of the
** language holds for the used rules exactly as it does in their own set.
*/
#include "uses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "nameindex.h"
#include "runtime/mem.h"
#include "runtime/i18n.h"

/* ---- the trail of rule sets in the program ---- */

static void note_place(Diag *dg, const SourceSet *src, const char *what, Span s) {
  if (s.len == 0) {
    diag_note(dg, "%s is the rule set named on the command line", what);
    return;
  }
  uint32_t line, col;
  const SourceFile *f = &src->files[s.file];
  src_line_col(f, s.off, &line, &col);
  diag_note_at(dg, s, "%s is at %s:%u:%u", what, f->name, line, col);
}

int uses_enter(UseTrail *t, const SourceSet *src, DiagList *d, const char *path, Span at, bool base) {
  char *real = xrealpath(path);
  if (!real) real = path_normalise(path);   /* not there: loading it says so */
  for (size_t i = 0; i < t->n; i++) {
    if (strcmp(t->v[i].real, real) != 0) continue;
    xfree(real);
    if (t->v[i].open) {
      Diag *dg = diag_error(d, at, "E086", "rule set '%s' uses itself", path);
      /* the use that leads away from it, round to here */
      if (i + 1 < t->n) note_place(dg, src, _("the use that starts the circle"), t->v[i + 1].at);
      else diag_note(dg, "it names itself");
      diag_note(dg, "a rule set cannot use itself, directly or through others: put what both need in a third set "
                    "that both use");
    } else {
      Diag *dg = diag_error(d, at, "E087", "rule set '%s' is already part of this program", path);
      note_place(dg, src, _("its first use"), t->v[i].at);
      if (base || t->v[i].base)
        diag_note(dg, "one of the two is a proposal's base, and a proposal holds all of its base's rules: use the "
                      "proposal alone, or the base alone");
      else
        diag_note(dg, "a rule set enters a program once: two copies of one law, each with facts of its own, would "
                      "give two answers to one question; use it in one place and reach it through that name");
    }
    return -1;
  }
  UsedSet u = {real, at, true, base};
  VEC_PUSH(t->v, t->n, t->cap, u);
  return (int)t->n - 1;
}

void uses_leave(UseTrail *t, int i) {
  if (i >= 0 && (size_t)i < t->n) t->v[i].open = false;
}

void uses_free(UseTrail *t) {
  for (size_t i = 0; i < t->n; i++) xfree(t->v[i].real);
  xfree(t->v);
  memset(t, 0, sizeof *t);
}

/* ---- walking expressions with the local names in scope ---- */

typedef struct Walk Walk;
/* Rewrites a NAME or MEMBER; true when its parts need no further walk. `named`: the value of a named argument. */
typedef bool (*Visit)(Walk *w, AstNode *e, bool named);

struct Walk {
  Ast *ast;
  DiagList *d;
  Visit visit;
  const char **bound;      /* the rule's parameters and the aggregation variables around */
  size_t nbound, capbound;
  bool ok;
  /* uses_namespace */
  const char *alias;
  const AstNode *field;    /* 'met dossier': the using set's field holding the used set's invoer */
  NameIndex globals;       /* the used set's rules, tables, types, sources and exceptions */
  NameIndex fields;        /* its invoer's fields */
  NameIndex members;       /* its choices -> the ENUM_DECL's index in `used` */
  NameIndex twice;         /* choices of more than one keuze: left as written */
  const AstList *used;
  /* uses_resolve */
  NameIndex aliases;
};

static bool is_bound(const Walk *w, const char *name) {
  for (size_t i = w->nbound; i-- > 0;)
    if (strcmp(w->bound[i], name) == 0) return true;
  return false;
}

static void bind(Walk *w, const char *name) { VEC_PUSH(w->bound, w->nbound, w->capbound, name); }

static void walk(Walk *w, AstNode *e, bool named) {
  if (!e) return;
  switch (e->kind) {
  case AST_NAME: case AST_MEMBER:
    if (w->visit(w, e, named) || e->kind != AST_MEMBER) return;
    walk(w, e->a, false);
    return;
  case AST_CALL:
    w->visit(w, e, named);
    for (uint32_t i = 0; i < e->list.n; i++) walk(w, e->list.items[i], false);
    return;
  case AST_NAMED_ARG: walk(w, e->a, true); return;
  case AST_AGG:
    walk(w, e->a, false);
    bind(w, e->str);
    walk(w, e->b, false);
    walk(w, e->c, false);
    w->nbound--;
    return;
  case AST_CASE:
    walk(w, e->a, false);
    for (uint32_t i = 0; i < e->list.n; i++) walk(w, e->list.items[i]->a, false);   /* labels are choices of its type */
    return;
  case AST_IF: case AST_BINARY: case AST_UNARY: case AST_AS_KNOWN:
    walk(w, e->a, false);
    walk(w, e->b, false);
    walk(w, e->c, false);
    return;
  default: return;   /* literals */
  }
}

/* Every expression of a declaration, with a rule's parameters in scope. */
static void walk_decl(Walk *w, AstNode *x) {
  w->nbound = 0;
  if (x->kind == AST_RULE_DECL) {
    for (uint32_t i = 0; i < x->params.n; i++) bind(w, x->params.items[i]->name);
    walk(w, x->b, false);
    walk(w, x->c, false);
    for (uint32_t i = 0; i < x->extra.n; i++) walk(w, x->extra.items[i]->b, false);
  } else if (x->kind == AST_EXCEPTION_DECL) {
    walk(w, x->a, false);
    walk(w, x->b, false);
  }
  w->nbound = 0;
}

static const char *qualify(Ast *ast, const char *alias, const char *name) {
  size_t a = strlen(alias), n = strlen(name);
  char *s = arena_alloc(&ast->arena, a + n + 2);
  memcpy(s, alias, a);
  s[a] = '.';
  memcpy(s + a + 1, name, n + 1);
  return s;
}

/* ---- into the used set's namespace ---- */

static void rename_global(Walk *w, AstNode *n) {
  if (n && n->name && nameidx_find(&w->globals, n->name) >= 0) n->name = qualify(w->ast, w->alias, n->name);
}

/*
** Every name of the used set moves into its namespace -- also one it does
** not declare, so that a mistake in it stays unknown there and never finds a
** name of the using set. Left as written: locals, built-in functions, and the
** words of a named argument (op: cent, soort: maand).
*/
static bool visit_used(Walk *w, AstNode *e, bool named) {
  if (e->kind == AST_CALL) {
    if (nameidx_find(&w->globals, e->name) >= 0 || (!named && !chk_builtin_function(e->name)))
      e->name = qualify(w->ast, w->alias, e->name);
    return true;
  }
  if (e->kind != AST_NAME || is_bound(w, e->name)) return false;
  if (nameidx_find(&w->globals, e->name) >= 0) {
    e->name = qualify(w->ast, w->alias, e->name);
    return true;
  }
  if (nameidx_find(&w->fields, e->name) >= 0 && w->field) {
    /* a fact of the used set's invoer: read from the using set's field that holds it */
    if (is_bound(w, w->field->name)) {
      Diag *dg = diag_error(w->d, e->span, "E088", "'%s' is read from the field '%s', but a name '%s' is in scope here",
                            e->name, w->field->name, w->field->name);
      diag_note(dg, "choose another field name after 'met', or rename the variable in the used rule set");
      w->ok = false;
      return true;
    }
    AstNode *holder = ast_new(&w->ast->arena, AST_NAME, e->span);
    holder->name = w->field->name;
    e->kind = AST_MEMBER;
    e->a = holder;
    e->nspan = e->span;
    e->depth++;
    return true;
  }
  int32_t k = named ? -1 : nameidx_find(&w->members, e->name);
  if (k >= 0 && nameidx_find(&w->twice, e->name) < 0) {
    /* a choice: written with its keuze, so a keuze of the using set with the same choice does not make it ambiguous */
    AstNode *type = ast_new(&w->ast->arena, AST_NAME, e->span);
    type->name = qualify(w->ast, w->alias, w->used->items[k]->name);
    e->kind = AST_MEMBER;
    e->a = type;
    e->nspan = e->span;
    e->depth++;
  } else if (k < 0 && !named) {
    e->name = qualify(w->ast, w->alias, e->name);   /* unknown in the used set: stays unknown (E012 there) */
  }
  return true;
}

static void rename_type(Walk *w, AstNode *t) {
  if (!t) return;
  if (t->kind != AST_TYPE_NAME) rename_type(w, t->a);
  else if (!chk_builtin_type(t->name)) t->name = qualify(w->ast, w->alias, t->name);
}

/* 'bron DB art 16' names a source of the used set; an ECLI or a text is not a name */
static void rename_cites(Walk *w, AstList *cites) {
  for (uint32_t i = 0; i < cites->n; i++)
    if (cites->items[i]->ival == TK_IDENT) cites->items[i]->name = qualify(w->ast, w->alias, cites->items[i]->name);
}

static void collect_used(Walk *w, const AstList *used) {
  for (uint32_t j = 0; j < used->n; j++) {
    AstNode *x = used->items[j];
    switch (x->kind) {
    case AST_RULE_DECL: case AST_TABLE_DECL: case AST_RECORD_DECL: case AST_SOURCE_DECL: case AST_EXCEPTION_DECL:
      nameidx_add(&w->globals, x->name, (int32_t)j);
      break;
    case AST_INPUT_DECL:
      nameidx_add(&w->globals, x->name, (int32_t)j);
      for (uint32_t i = 0; i < x->list.n; i++) nameidx_add(&w->fields, x->list.items[i]->name, (int32_t)i);
      break;
    case AST_ENUM_DECL:
      nameidx_add(&w->globals, x->name, (int32_t)j);
      for (uint32_t i = 0; i < x->list.n; i++)
        if (nameidx_add(&w->members, x->list.items[i]->name, (int32_t)j) >= 0)
          nameidx_add(&w->twice, x->list.items[i]->name, 1);
      break;
    default: break;
    }
  }
}

static const AstNode *find_input(const AstList *decls) {
  for (uint32_t j = 0; j < decls->n; j++)
    if (decls->items[j]->kind == AST_INPUT_DECL) return decls->items[j];
  return NULL;
}

/*
** 'met dossier': the used set's invoer must be held by a field of the using
** set's invoer whose type is that invoer ('dossier: wia.Dossier'), and a used
** set with an invoer needs one.
*/
static bool check_mapping(Walk *w, const AstNode *use, const AstNode *uin, const AstList *using) {
  const SourceSet *src = w->d->src;
  const AstNode *f = use->a;
  if (uin && !f) {
    Diag *dg = diag_error(w->d, use->span, "E088", "rule set '%s' reads its facts from an invoer '%s': say which field "
                          "of this rule set's invoer holds them", use->str, uin->name);
    diag_note(dg, "write 'gebruik \"%s\" als %s met <veld>', with a field '<veld>: %s.%s' in this rule set's invoer",
              use->str, use->name, use->name, uin->name);
    return false;
  }
  if (!uin && f) {
    diag_error(w->d, f->span, "E088", "rule set '%s' has no invoer: 'met %s' has nothing to hold", use->str, f->name);
    return false;
  }
  if (!uin) return true;
  const char *want = qualify(w->ast, use->name, uin->name);
  const AstNode *in = find_input(using);
  const AstNode *fd = NULL;
  for (uint32_t i = 0; in && i < in->list.n; i++)
    if (strcmp(in->list.items[i]->name, f->name) == 0) fd = in->list.items[i];
  if (!fd) {
    Diag *dg = diag_error(w->d, f->span, "E088", "'%s' is not a field of this rule set's invoer%s%s", f->name,
                          in ? " " : "", in ? in->name : "");
    diag_note(dg, "give the invoer a field '%s: %s': the facts of '%s' for each dossier", f->name, want, use->name);
    if (in) note_place(dg, src, _("the invoer"), in->nspan);
    return false;
  }
  if (fd->a->kind != AST_TYPE_NAME || strcmp(fd->a->name, want) != 0) {
    Diag *dg = diag_error(w->d, f->span, "E088", "field '%s' does not hold the invoer of '%s': its type must be %s",
                          f->name, use->name, want);
    note_place(dg, src, _("the field"), fd->span);
    return false;
  }
  return true;
}

bool uses_namespace(Ast *ast, AstNode *use, AstList *used, AstList *using, DiagList *d) {
  Walk w = {.ast = ast, .d = d, .visit = visit_used, .ok = true, .alias = use->name, .field = use->a, .used = used};
  collect_used(&w, used);
  const AstNode *uin = find_input(used);
  if (!check_mapping(&w, use, uin, using)) w.ok = false;
  else if (!uin) w.field = NULL;
  /* first every body, while the declarations still have the names the bodies use */
  for (uint32_t j = 0; j < used->n; j++) walk_decl(&w, used->items[j]);
  for (uint32_t j = 0; j < used->n; j++) {
    AstNode *x = used->items[j];
    switch (x->kind) {
    case AST_OUTPUT_DECL: case AST_BENEFIT_DECL: case AST_MODULE: continue;   /* the using set's count */
    case AST_USE:   /* a set it uses, reachable as wia.c.x */
      x->name = qualify(ast, w.alias, x->name);
      break;
    case AST_INPUT_DECL:
      x->kind = AST_RECORD_DECL;   /* the facts of one dossier, held by the using set's field */
      x->a = NULL;
      /* fallthrough */
    case AST_RECORD_DECL:
      for (uint32_t i = 0; i < x->list.n; i++) {
        rename_type(&w, x->list.items[i]->a);
        AstNode *values = x->list.items[i]->b;   /* 'waarden K': a keuze of the used set */
        if (values) values->name = qualify(ast, w.alias, values->name);
      }
      break;
    case AST_RULE_DECL:
      rename_type(&w, x->a);
      for (uint32_t i = 0; i < x->params.n; i++) rename_type(&w, x->params.items[i]->a);
      for (uint32_t i = 0; i < x->extra.n; i++) rename_cites(&w, &x->extra.items[i]->list);
      rename_cites(&w, &x->list);
      if (x->native && !x->native->b) {   /* the symbol was the rule's own name */
        x->native->b = ast_new(&ast->arena, AST_TEXT, x->native->span);
        x->native->b->str = x->name;
      }
      break;
    case AST_EXCEPTION_DECL:
      /* the rule it is on and those it is compatible with: the used set's, declared or not (E065, E066 there) */
      if (x->c) x->c->name = qualify(ast, w.alias, x->c->name);
      for (uint32_t i = 0; i < x->extra.n; i++) x->extra.items[i]->name = qualify(ast, w.alias, x->extra.items[i]->name);
      rename_cites(&w, &x->list);
      break;
    case AST_TABLE_DECL:
      rename_type(&w, x->a);
      rename_type(&w, x->b);
      rename_cites(&w, &x->list);
      for (uint32_t i = 0; i < x->extra.n; i++) rename_cites(&w, &x->extra.items[i]->list);   /* a proposal's rows */
      break;
    default: break;
    }
    rename_global(&w, x);
    ast_push(&ast->arena, using, x);
  }
  xfree(w.bound);
  nameidx_free(&w.globals);
  nameidx_free(&w.fields);
  nameidx_free(&w.members);
  nameidx_free(&w.twice);
  return w.ok;
}

/* ---- 'wia.dagloon' in the using set ---- */

static bool visit_using(Walk *w, AstNode *e, bool named) {
  (void)named;
  if (e->kind != AST_MEMBER || !e->a) return false;
  if (e->a->kind == AST_MEMBER) walk(w, e->a, false);   /* wia.c first: a set the used set uses */
  if (e->a->kind != AST_NAME || is_bound(w, e->a->name) || nameidx_find(&w->aliases, e->a->name) < 0) return true;
  e->name = qualify(w->ast, e->a->name, e->name);   /* a name of the used set, as its declaration now reads */
  e->kind = AST_NAME;
  e->a = NULL;
  e->nspan = e->span;
  return true;
}

/* A name of the set's own that an alias would hide: the first declaration with it, or NULL. */
static const AstNode *same_name(const AstList *decls, const char *alias) {
  for (uint32_t j = 0; j < decls->n; j++) {
    const AstNode *x = decls->items[j];
    if (x->kind == AST_USE || x->kind == AST_OUTPUT_DECL || x->kind == AST_BENEFIT_DECL) continue;
    if (x->name && strcmp(x->name, alias) == 0) return x;
    if (x->kind == AST_INPUT_DECL)
      for (uint32_t i = 0; i < x->list.n; i++)
        if (strcmp(x->list.items[i]->name, alias) == 0) return x->list.items[i];
  }
  return NULL;
}

bool uses_resolve(Ast *ast, AstList *decls, uint32_t from, uint32_t to, bool proposal, DiagList *d) {
  Walk w = {.ast = ast, .d = d, .visit = visit_using, .ok = true};
  for (uint32_t j = 0; !proposal && j < decls->n; j++) {
    AstNode *x = decls->items[j];
    if (x->kind == AST_EXCEPTION_DECL && x->span.file >= from && x->span.file < to && x->c && strchr(x->c->name, '.')) {
      Diag *dg = diag_error(d, x->c->span, "E076", "an exception on '%s', a rule of a used rule set, belongs in a proposal",
                            x->c->name);
      diag_note(dg, "a rule set uses another as it is; to change it, write a proposal ('voorstel op \"...\"') on "
                    "this rule set or on the used one");
      w.ok = false;
    }
  }
  for (uint32_t j = 0; j < decls->n; j++) {
    AstNode *u = decls->items[j];
    if (u->kind != AST_USE) continue;
    int32_t prev = nameidx_add(&w.aliases, u->name, (int32_t)j);
    if (strchr(u->name, '.')) continue;   /* a used set's own use (wia.c): its name cannot clash */
    const AstNode *other = prev >= 0 ? decls->items[prev] : same_name(decls, u->name);
    if (other) {
      Diag *dg = diag_error(d, u->nspan, "E089", "'%s' already names %s", u->name,
                            prev >= 0 ? _("a used rule set") : _("something of this rule set"));
      note_place(dg, d->src, _("the other"), other->nspan);
      diag_note(dg, "give each used rule set a name of its own, unlike any rule, table, type or field");
      w.ok = false;
    }
  }
  for (uint32_t j = 0; w.aliases.n && j < decls->n; j++) {
    AstNode *x = decls->items[j];
    if (x->span.file >= from && x->span.file < to) {
      walk_decl(&w, x);
    } else if (x->kind == AST_RULE_DECL) {   /* a version a proposal laid over its base's rule ('vervang versie op') */
      w.nbound = 0;
      for (uint32_t i = 0; i < x->params.n; i++) bind(&w, x->params.items[i]->name);
      for (uint32_t i = 0; i < x->extra.n; i++)
        if (x->extra.items[i]->span.file >= from && x->extra.items[i]->span.file < to) walk(&w, x->extra.items[i]->b, false);
      w.nbound = 0;
    }
  }
  xfree(w.bound);
  nameidx_free(&w.aliases);
  return w.ok;
}
