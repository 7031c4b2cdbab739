/*
** ast.c: AST allocation, lists and the dump used by golden tests.
*/
#include "ast.h"

#include <inttypes.h>
#include <string.h>
#include "lexer.h"
#include "runtime/date.h"
#include "runtime/num.h"

static const char *const kind_names[] = {
#define AST(k, s) s,
#include "ast_kinds.def"
#undef AST
};

const char *ast_kind_name(AstKind k) { return (unsigned)k < AST__COUNT ? kind_names[k] : "?"; }

AstNode *ast_new(Arena *a, AstKind kind, Span span) {
  AstNode *n = arena_alloc(a, sizeof *n);
  n->kind = kind;
  n->span = span;
  n->nspan = span;
  n->ref = -1;
  n->reg = -1;
  return n;
}

void ast_push(Arena *a, AstList *l, AstNode *n) {
  if (l->n == l->cap) {
    /* Lists live in the arena with the nodes; the old array is simply left behind. */
    uint32_t cap = l->cap ? l->cap * 2 : 4;
    AstNode **items = arena_alloc(a, cap * sizeof *items);
    if (l->n) memcpy(items, l->items, l->n * sizeof *items);
    l->items = items;
    l->cap = cap;
  }
  l->items[l->n++] = n;
}

Span span_join(Span a, Span b) {
  if (a.file != b.file || b.off + b.len < a.off) return a;
  Span s = {a.file, a.off, b.off + b.len - a.off};
  return s;
}

void ast_dump(const AstNode *n, int depth, FILE *out) {
  if (!n) return;
  fprintf(out, "%*s%s", depth * 2, "", ast_kind_name(n->kind));
  if (n->name) fprintf(out, " %s", n->name);
  if (n->str) {
    /* Escaped as in the language, so one node stays one line. */
    fputs(" \"", out);
    for (const char *p = n->str; *p; p++) {
      if (*p == '\n') fputs("\\n", out);
      else if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
      else fputc(*p, out);
    }
    fputc('"', out);
  }
  if (n->str2 && *n->str2) fprintf(out, " %s", n->str2);
  char buf[64];
  switch (n->kind) {
  case AST_INT: case AST_BOOL: fprintf(out, " %" PRId64, n->ival); break;
  case AST_MONEY: money_format(n->ival, buf, sizeof buf); fprintf(out, " %s", buf); break;
  case AST_DEC: dec_format(n->dval, buf, sizeof buf); fprintf(out, " %s", buf); break;
  case AST_DATE: date_format(n->ival, buf); fprintf(out, " %s", buf); break;
  case AST_BINARY: case AST_UNARY: fprintf(out, " %s", lex_token_desc(n->op, LANG_NL)); break;
  default: break;
  }
  fputc('\n', out);
  ast_dump(n->a, depth + 1, out);
  ast_dump(n->b, depth + 1, out);
  ast_dump(n->c, depth + 1, out);
  for (uint32_t i = 0; i < n->list.n; i++) ast_dump(n->list.items[i], depth + 1, out);
  for (uint32_t i = 0; i < n->extra.n; i++) ast_dump(n->extra.items[i], depth + 1, out);
  for (uint32_t i = 0; i < n->params.n; i++) ast_dump(n->params.items[i], depth + 1, out);
  ast_dump(n->label, depth + 1, out);   /* its human label (a second one below it) */
}
