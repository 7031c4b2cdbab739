/*
** symbols.c: the outline of a file (features.h feat_document_symbols) from
** its declarations -- rules with their versions and exceptions as children,
** tables, choices with their members, records and the invoer with their
** fields, the uitvoer -- and semantic tokens: the lexer's token stream
** (lang/lexer.h), each name classified by the index (xref.h), comments
** found between the tokens.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "feature_util.h"
#include "features.h"
#include "position.h"

enum { SK_MODULE = 2, SK_PACKAGE = 4, SK_FIELD = 8, SK_ENUM = 10, SK_INTERFACE = 11, SK_FUNCTION = 12, SK_CONSTANT = 14,
       SK_ARRAY = 18, SK_OBJECT = 19, SK_KEY = 20, SK_MEMBER = 22, SK_STRUCT = 23, SK_EVENT = 24 };

static json_t *symbol(const SourceFile *f, const char *name, const char *detail, int kind, Span range, Span sel) {
  if (sel.len == 0 || sel.off < range.off || sel.off + sel.len > range.off + range.len) sel = (Span){range.file, range.off, 0};
  json_t *s = json_pack("{s:s,s:i,s:o,s:o}", "name", name && name[0] ? name : "?", "kind", kind, "range",
                        lsp_range(f, range.off, range.len), "selectionRange", lsp_range(f, sel.off, sel.len));
  if (s && detail && detail[0]) json_object_set_new(s, "detail", json_string(detail));
  return s;
}

static void add_child(json_t *parent, json_t *child) {
  if (!parent || !child) {
    json_decref(child);
    return;
  }
  json_t *kids = json_object_get(parent, "children");
  if (!kids) json_object_set_new(parent, "children", kids = json_array());
  json_array_append_new(kids, child);
}

/* The source text of a span, as a detail ("geld", "lijst Loonregel"). */
static void text_of(const SourceFile *f, Span s, char *buf, size_t cap) {
  size_t n = s.off + s.len <= f->len ? s.len : 0;
  if (n >= cap) n = cap - 1;
  memcpy(buf, f->text + s.off, n);
  buf[n] = 0;
  for (char *p = buf; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
}

static json_t *fields_of(const SourceFile *f, const AstNode *d, int kind) {
  char detail[128];
  Span type = d->nspan;
  json_t *s = symbol(f, d->name, NULL, kind, d->span, d->nspan);
  for (uint32_t i = 0; i < d->list.n; i++) {
    const AstNode *fd = d->list.items[i];
    if (fd->kind != AST_FIELD_DECL) continue;
    type = fd->a ? fd->a->span : fd->nspan;
    text_of(f, type, detail, sizeof detail);
    add_child(s, symbol(f, fd->name, detail, SK_FIELD, fd->span, fd->nspan));
  }
  return s;
}

static json_t *rule_symbol(const SourceFile *f, const AstNode *r) {
  char detail[128] = "";
  if (r->a) text_of(f, r->a->span, detail, sizeof detail);
  json_t *s = symbol(f, r->name, detail, SK_FUNCTION, r->span, r->nspan);
  for (uint32_t i = 0; i < r->extra.n; i++) {
    const AstNode *v = r->extra.items[i];
    char name[128];
    text_of(f, v->nspan, name, sizeof name);
    add_child(s, symbol(f, name, NULL, SK_KEY, v->span, v->nspan));
  }
  return s;
}

json_t *feat_document_symbols(const Analysis *a, uint32_t file) {
  json_t *out = json_array();
  if (!a || file >= a->front.src.n) return out;
  const SourceFile *f = &a->front.src.files[file];
  const AstList *decls = &a->front.ast.decls;
  char detail[256];
  /* rules first, so an exception below its rule in the same file can be its child */
  json_t **rule_sym = calloc(decls->n ? decls->n : 1, sizeof *rule_sym);
  for (uint32_t i = 0; rule_sym && i < decls->n; i++) {
    const AstNode *d = decls->items[i];
    if (d->span.file != file) continue;
    json_t *s = NULL;
    switch (d->kind) {
    case AST_MODULE: s = symbol(f, d->name, NULL, SK_MODULE, d->span, d->span); break;
    case AST_SOURCE_DECL: s = symbol(f, d->name, d->str, SK_CONSTANT, d->span, d->nspan); break;
    case AST_ENUM_DECL:
      s = symbol(f, d->name, NULL, SK_ENUM, d->span, d->nspan);
      for (uint32_t m = 0; m < d->list.n; m++)
        add_child(s, symbol(f, d->list.items[m]->name, NULL, SK_MEMBER, d->list.items[m]->span, d->list.items[m]->nspan));
      break;
    case AST_RECORD_DECL: s = fields_of(f, d, SK_STRUCT); break;
    case AST_INPUT_DECL: s = fields_of(f, d, SK_INTERFACE); break;
    case AST_OUTPUT_DECL:
      s = symbol(f, feat_lang(a, file) == LANG_EN ? "output" : "uitvoer", NULL, SK_OBJECT, d->span, d->span);
      for (uint32_t m = 0; m < d->list.n; m++)
        add_child(s, symbol(f, d->list.items[m]->name, NULL, SK_FIELD, d->list.items[m]->span, d->list.items[m]->nspan));
      break;
    case AST_BENEFIT_DECL: {   /* 'uitkering X per maand duur D daarna Y': the benefit paid, its columns */
      snprintf(detail, sizeof detail, "%s %s%s%s%s%s", feat_lang(a, file) == LANG_EN ? "by" : "per", d->a ? d->a->name : "?",
               d->b ? (feat_lang(a, file) == LANG_EN ? " duration " : " duur ") : "", d->b ? d->b->name : "",
               d->c ? (feat_lang(a, file) == LANG_EN ? " afterwards " : " daarna ") : "", d->c ? d->c->name : "");
      s = symbol(f, d->name, detail, SK_KEY, d->span, d->nspan);
      if (d->b) add_child(s, symbol(f, d->b->name, NULL, SK_FIELD, d->b->span, d->b->span));
      if (d->c) add_child(s, symbol(f, d->c->name, NULL, SK_FIELD, d->c->span, d->c->span));
      break;
    }
    case AST_RULE_DECL: s = rule_sym[i] = rule_symbol(f, d); break;
    case AST_TABLE_DECL: s = symbol(f, d->name, d->str, SK_ARRAY, d->span, d->nspan); break;
    case AST_USE: s = symbol(f, d->name, d->str, SK_MODULE, d->span, d->nspan); break;
    case AST_PROPOSAL: s = symbol(f, d->str, NULL, SK_PACKAGE, d->span, d->span); break;
    case AST_EXCEPTION_DECL: {
      json_t *parent = NULL;
      for (uint32_t k = 0; k < i && d->c && d->c->name; k++)
        if (rule_sym[k] && strcmp(decls->items[k]->name, d->c->name) == 0) parent = rule_sym[k];
      snprintf(detail, sizeof detail, "%s %s", feat_lang(a, file) == LANG_EN ? "on" : "op", d->c && d->c->name ? d->c->name : "?");
      json_t *e = symbol(f, d->name, detail, SK_EVENT, d->span, d->nspan);
      if (parent) add_child(parent, e);
      else s = e;
      break;
    }
    case AST_TABLE_ROWS: case AST_VERSION_OVERLAY: case AST_REMOVE_DECL:
      s = symbol(f, d->name, d->str, SK_EVENT, d->span, d->nspan);
      break;
    default: break;
    }
    if (s) json_array_append_new(out, s);
  }
  free(rule_sym);
  return out;
}

/* ---- semantic tokens ---- */

enum { ST_KEYWORD, ST_FUNCTION, ST_PROPERTY, ST_TYPE, ST_ENUM_MEMBER, ST_PARAMETER, ST_VARIABLE, ST_STRING, ST_NUMBER,
       ST_COMMENT, ST_EVENT, ST_NAMESPACE, ST_LAW_SOURCE };

json_t *feat_semantic_legend(void) {
  return json_pack("{s:[sssssssssssss],s:[s]}", "tokenTypes", "keyword", "function", "property", "type", "enumMember",
                   "parameter", "variable", "string", "number", "comment", "event", "namespace", "lawSource",
                   "tokenModifiers", "declaration");
}

static int sym_type(XKind k) {
  switch (k) {
  case XS_RULE: case XS_TABLE: return ST_FUNCTION;
  case XS_FIELD: return ST_PROPERTY;
  case XS_RECORD: case XS_ENUM: return ST_TYPE;
  case XS_MEMBER: return ST_ENUM_MEMBER;
  case XS_PARAM: return ST_PARAMETER;
  case XS_LOCAL: return ST_VARIABLE;
  case XS_SOURCE: return ST_LAW_SOURCE;
  case XS_EXCEPTION: return ST_EVENT;
  }
  return ST_VARIABLE;
}

typedef struct Emit {
  json_t *data;
  const char *text;
  uint32_t line, line_start;   /* the line of the last token and where it starts */
  uint32_t at, at_line, at_char;   /* the last position computed: lines counted forward from it */
  uint32_t prev_line, prev_char;
} Emit;

/* UTF-16 units of bytes [from, to): a 4-byte character is two, a continuation byte none. */
static uint32_t units(const char *t, uint32_t from, uint32_t to) {
  uint32_t u = 0;
  for (uint32_t i = from; i < to; i++) {
    unsigned char c = (unsigned char)t[i];
    if ((c & 0xC0) != 0x80) u += c >= 0xF0 ? 2 : 1;
  }
  return u;
}

static void emit(Emit *e, uint32_t off, uint32_t len, int type, int mods) {
  while (e->at < off) {   /* count lines forward: the tokens come in order */
    if (e->text[e->at] == '\n') {
      e->line++;
      e->line_start = e->at + 1;
    }
    e->at++;
  }
  uint32_t ch = units(e->text, e->line_start, off);
  uint32_t n = units(e->text, off, off + len);
  if (n == 0) return;
  uint32_t dl = e->line - e->prev_line, dc = dl ? ch : ch - e->prev_char;
  json_t *d = e->data;
  json_array_append_new(d, json_integer(dl));
  json_array_append_new(d, json_integer(dc));
  json_array_append_new(d, json_integer(n));
  json_array_append_new(d, json_integer(type));
  json_array_append_new(d, json_integer(mods));
  e->prev_line = e->line;
  e->prev_char = ch;
}

/* Comments in the gap [from, to) between two tokens: '--' to the end of the line. */
static void comments(Emit *e, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i + 1 < to; i++) {
    if (e->text[i] != '-' || e->text[i + 1] != '-') continue;
    uint32_t k = i;
    while (k < to && e->text[k] != '\n') k++;
    uint32_t end = k > i && e->text[k - 1] == '\r' ? k - 1 : k;
    emit(e, i, end - i, ST_COMMENT, 0);
    i = k;
  }
}

/* A word the lexer made a keyword (not punctuation, not 't/m'). */
static bool is_keyword(const Lexer *lx, Token t) {
  const char *w = (const char *)lx->base + t.span.off;
  return t.kind == TK_THROUGH || (t.kind != TK_IDENT && (lex_keyword(w, t.span.len, lx->lang) == t.kind || t.kind == TK_LANGUAGE));
}

json_t *feat_semantic_tokens(const Analysis *a, uint32_t file) {
  json_t *data = json_array();
  if (!a || file >= a->front.src.n) return json_pack("{s:o}", "data", data);
  const SourceFile *f = &a->front.src.files[file];
  size_t n = strlen(f->name);
  if (n < 6 || strcmp(f->name + n - 6, ".rules") != 0) return json_pack("{s:o}", "data", data);   /* a table's CSV */
  Lexer lx;
  lex_init(&lx, f->text, f->len, file);
  lx.lang = feat_text_lang(f->text, f->len);
  Emit e = {data, f->text, 0, 0, 0, 0, 0, 0, 0};
  uint32_t prev_end = 0;
  int prev_kind = 0;
  for (;;) {
    Token t = lex_next(&lx);
    if (t.kind == TK_DURATION || t.kind == TK_AFTERWARDS || t.kind == TK_VALUES) t.kind = TK_IDENT;   /* names outside 'uitkering ... duur' */
    comments(&e, prev_end, t.kind == TK_EOF ? f->len : t.span.off);
    if (t.kind == TK_EOF) break;
    int type = -1, mods = 0;
    switch (t.kind) {
    case TK_STRING: type = ST_STRING; break;
    case TK_INT: case TK_DEC: case TK_PERCENT: case TK_MONEY: case TK_DATE: case TK_ARTNUM: type = ST_NUMBER; break;
    case TK_ECLI: type = ST_LAW_SOURCE; break;
    case TK_IDENT: {
      const XOcc *o = feat_occ_at(a, file, t.span.off);
      if (o && o->span.off <= t.span.off && t.span.off < o->span.off + o->span.len) {
        const XSym *s = &a->xref->syms[o->sym];
        /* 'wia.dagloon': the alias before the '.' is the used set's name */
        bool alias = strchr(s->name, '.') && t.span.off + t.span.len < o->span.off + o->span.len;
        type = alias ? ST_NAMESPACE : sym_type(s->kind);
        mods = o->decl && !alias ? 1 : 0;
      } else {
        uint32_t k = t.span.off + t.span.len;
        while (k < f->len && (f->text[k] == ' ' || f->text[k] == '\t')) k++;
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(t.span.len < 63 ? t.span.len : 63), f->text + t.span.off);
        if (prev_kind == TK_SOURCE) type = ST_LAW_SOURCE;
        else if (k < f->len && f->text[k] == '(') type = ST_FUNCTION;
        else if (k < f->len && f->text[k] == ':' && prev_kind != TK_LBRACE) type = ST_PARAMETER;
        else if (chk_builtin_type(word)) type = ST_TYPE;
      }
      break;
    }
    default:
      if (is_keyword(&lx, t)) type = ST_KEYWORD;
      break;
    }
    if (type >= 0) emit(&e, t.span.off, t.span.len, type, mods);
    if (t.kind == TK_LANGUAGE) lx.lang = feat_text_lang(f->text, f->len);
    prev_end = t.span.off + t.span.len;
    prev_kind = t.kind;
  }
  return json_pack("{s:o}", "data", data);
}
