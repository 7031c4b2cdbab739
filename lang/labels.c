/*
** labels.c: checks of human labels (see labels.h). A label is plain text for
** a reader (a letter, a report page); the name stays the identity. So one
** label per declaration, never empty, and only where a reader meets the
** thing: a rule, an exception, a field of 'gegevens' or 'invoer', a choice.
*/
#include "labels.h"

#include <string.h>
#include "runtime/mem.h"
#include "runtime/i18n.h"

static bool blank(const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\t') return false;
  return true;
}

/* The one label a reader sees: not twice, not empty. */
static void check_one(const AstNode *decl, const SourceSet *src, DiagList *d) {
  const AstNode *l = decl->label;
  if (!l) return;
  if (blank(l->str)) {
    Diag *dg = diag_error(d, l->nspan, "E095", "an empty label");
    diag_note(dg, "a label says in plain words what '%s' is; leave it out if there is nothing to say", decl->name);
  }
  for (const AstNode *x = l->a; x; x = x->a) {
    Diag *dg = diag_error(d, x->span, "E094", "'%s' has a label already", decl->name);
    if (dg->dropped) continue;
    uint32_t line, col;
    const SourceFile *f = &src->files[l->span.file];
    src_line_col(f, l->span.off, &line, &col);
    diag_note_at(dg, l->span, "the first label is at %s:%u:%u; a declaration has one label", f->name, line, col);
  }
}

static void misplaced(const AstNode *l, const char *where, DiagList *d) {
  if (!l) return;
  Diag *dg = diag_error(d, l->span, "E096", "a label on %s", _(where));
  diag_note(dg, "a label belongs on a rule, an exception, a field of 'gegevens' or 'invoer', or a choice of 'keuze'");
}

void labels_check(const AstList *decls, const SourceSet *src, DiagList *d) {
  for (uint32_t i = 0; i < decls->n; i++) {
    const AstNode *n = decls->items[i];
    switch (n->kind) {
    case AST_RULE_DECL:
      check_one(n, src, d);
      for (uint32_t k = 0; k < n->extra.n; k++) misplaced(n->extra.items[k]->label, N_("a version"), d);
      for (uint32_t k = 0; k < n->params.n; k++) misplaced(n->params.items[k]->label, N_("a parameter"), d);
      break;
    case AST_ENUM_DECL: case AST_RECORD_DECL: case AST_INPUT_DECL:
      for (uint32_t k = 0; k < n->list.n; k++) check_one(n->list.items[k], src, d);
      break;
    case AST_EXCEPTION_DECL: check_one(n, src, d); break;
    case AST_TABLE_DECL: case AST_TABLE_ROWS: misplaced(n->label, N_("a table"), d); break;
    case AST_VERSION_OVERLAY: misplaced(n->a ? n->a->label : NULL, N_("a version"), d); break;
    default: break;
    }
  }
}

char *label_copy(const AstNode *decl) {
  return decl && decl->label ? xstrdup(decl->label->str) : NULL;
}
