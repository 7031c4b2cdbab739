/*
** parser.c: the parse driver (lexer -> Lemon parser), resynchronisation
** after a syntax error, and the AST builders the grammar's actions call.
** Literal text becomes values here, so a bad date or amount is reported at
** its own span with the reason.
*/
#include "parser.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/i18n.h"

/* Lemon's generated interface (grammar.c). */
void *ParserAlloc(void *(*alloc)(size_t), ParseCtx *pc);
void Parser(void *parser, int kind, Token tok);
void ParserFree(void *parser, void (*dealloc)(void *));

static const char *tok_text(ParseCtx *pc, Token t) {
  return arena_strndup(&pc->ast->arena, pc->file->text + t.span.off, t.span.len);
}

/* ---- the driver ---- */

static bool at_line_start(const SourceFile *f, uint32_t off) {
  return off == 0 || f->text[off - 1] == '\n';
}

/* A token where a new declaration can start: the place to resume after a syntax error. */
static bool is_resync_point(const SourceFile *f, Token t) {
  switch (t.kind) {
  case TK_RULE: case TK_RECORD: case TK_INPUT: case TK_OUTPUT: case TK_CHOICE: case TK_MODULE:
  case TK_PROPOSAL: case TK_REPLACE: case TK_REMOVE: case TK_USE:
    return true;
  case TK_SOURCE:
    return at_line_start(f, t.span.off);   /* 'bron' inside a rule is a citation */
  case TK_BENEFIT:   /* 'uitkering X per maand' at the start of a line; elsewhere a name */
    return at_line_start(f, t.span.off);
  default:
    return false;
  }
}

bool parse_file(Ast *ast, const SourceSet *src, uint32_t fileidx, DiagList *diags, Lang *lang) {
  ParseCtx pc = {ast, diags, &src->files[fileidx], fileidx, LANG_NL, false, false, {fileidx, 0, 0}};
  Lexer lx;
  lex_init(&lx, pc.file->text, pc.file->len, fileidx);
  void *parser = ParserAlloc(xmalloc, &pc);
  bool ok = true, first = true, fresh = true;
  Token pending = {TK_EOF, {fileidx, 0, 0}};
  bool have_pending = false;
  for (;;) {
    Token t = have_pending ? pending : lex_next(&lx);
    have_pending = false;
    if (first && t.kind == TK_LANGUAGE) {
      /* Switch keyword sets before the rest of the file is lexed. */
      Lexer peek = lx;
      Token n = lex_next(&peek);
      const char *w = pc.file->text + n.span.off;
      if (n.span.len == 2 && memcmp(w, "en", 2) == 0) lx.lang = LANG_EN;
      else if (n.span.len == 2 && memcmp(w, "nl", 2) == 0) lx.lang = LANG_NL;
      pc.lang = lx.lang;
    }
    first = false;
    bool was_fresh = fresh;
    fresh = false;
    if (t.kind == TK_ILLEGAL) {
      diag_error(diags, t.span, lx.code ? lx.code : "E001", "%s", lx.hint ? lx.hint : _("illegal character"));
      /* Let the parser finish a declaration that was already complete, silently. */
      pc.flushing = true;
      Token end = {TK_EOF, t.span};
      Parser(parser, TK_EOF, end);
      pc.flushing = false;
      pc.failed = true;
    } else {
      pc.cur = t.span;
      Parser(parser, t.kind, t);
    }
    if (pc.failed) {
      ok = false;
      ParserFree(parser, xfree);
      parser = ParserAlloc(xmalloc, &pc);
      pc.failed = false;
      fresh = true;
      if (t.kind == TK_EOF) break;
      /*
      ** Resume at the next declaration keyword. The token that failed may be
      ** one itself (the previous declaration was cut short); a fresh parser
      ** never fails on one, but if it did, skip it rather than loop.
      */
      if (!is_resync_point(pc.file, t) || was_fresh || t.kind == TK_ILLEGAL) {
        do t = lex_next(&lx);
        while (t.kind != TK_EOF && !is_resync_point(pc.file, t));
        if (t.kind == TK_EOF) break;
      }
      pending = t;
      have_pending = true;
      continue;
    }
    if (t.kind == TK_EOF) break;
  }
  ParserFree(parser, xfree);
  *lang = pc.lang;
  return ok;
}

void parse_syntax_error(ParseCtx *pc, Token tok, const int *expected, int nexpected) {
  if (pc->failed) return;
  if (pc->flushing) {   /* the end of an abandoned declaration: already reported */
    pc->failed = true;
    return;
  }
  pc->failed = true;
  if (nexpected < 0) {
    diag_error(pc->diags, pc->cur, "E002", "expression nested too deeply");
    return;
  }
  char what[160];
  if (tok.kind == TK_EOF) snprintf(what, sizeof what, _("unexpected end of file"));
  else {
    /* "a whole number" -> "unexpected whole number '42'": the article reads wrong after "unexpected". */
    const char *desc = lex_token_desc(tok.kind, pc->lang);
    if (strncmp(desc, "a ", 2) == 0) desc += 2;
    else if (strncmp(desc, "an ", 3) == 0) desc += 3;
    if (desc[0] == '\'') snprintf(what, sizeof what, _("unexpected %s"), desc);
    else
      snprintf(what, sizeof what, _("unexpected %s '%.*s'"), desc, (int)(tok.span.len > 60 ? 60 : tok.span.len),
               pc->file->text + tok.span.off);
  }
  Diag *d = diag_error(pc->diags, tok.span, "E002", "%s", what);
  /* 'gebruik "x" als y': the grammar takes IF (Dutch 'als') and AS (English 'as'); name the file's own */
  int kept[16], nkept = 0;
  bool as_too = false;
  for (int i = 0; i < nexpected; i++) as_too |= expected[i] == TK_AS;
  /* 'uitkering', 'duur', 'daarna', 'waarden' where a name may stand are that name (the grammar's %fallback): "a name" says it */
  for (int i = 0; i < nexpected && nkept < 16; i++)
    if ((!as_too || expected[i] != (pc->lang == LANG_EN ? TK_IF : TK_AS)) && expected[i] != TK_BENEFIT &&
        expected[i] != TK_DURATION && expected[i] != TK_AFTERWARDS && expected[i] != TK_VALUES)
      kept[nkept++] = expected[i];
  expected = kept;
  nexpected = nkept;
  bool wants_value = false, wants_rparen = false;
  for (int i = 0; i < nexpected; i++) {
    if (expected[i] == TK_INT) wants_value = true;
    if (expected[i] == TK_RPAREN) wants_rparen = true;
  }
  if (wants_value) {
    diag_note(d, "expected a value: a name, a number, an amount, a date or '('");
  } else if (wants_rparen && nexpected > 6) {
    diag_note(d, "expected ')' or an operator");
  } else if (nexpected > 0 && nexpected <= 6) {
    char buf[400] = "";
    size_t len = 0;
    for (int i = 0; i < nexpected; i++) {
      const char *sep = i == 0 ? "" : i == nexpected - 1 ? _(" or ") : ", ";
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", sep, lex_token_desc(expected[i], pc->lang));
      if (len >= sizeof buf) break;
    }
    diag_note(d, "expected %s", buf);
  }
  /* A keyword where a name was wanted: say so, since it looks like a name. */
  bool wants_name = false;
  for (int i = 0; i < nexpected; i++)
    if (expected[i] == TK_IDENT) wants_name = true;
  if (wants_name && tok.kind != TK_IDENT && lex_token_desc(tok.kind, pc->lang)[0] == '\'' &&
      isalpha((unsigned char)pc->file->text[tok.span.off]))
    diag_note(d, "%s is a keyword and cannot be used as a name", lex_token_desc(tok.kind, pc->lang));
  /* A keyword of the other language is a common slip. */
  if (tok.kind == TK_IDENT) {
    Lang other = pc->lang == LANG_NL ? LANG_EN : LANG_NL;
    int k = lex_keyword(pc->file->text + tok.span.off, tok.span.len, other);
    if (k != TK_IDENT)
      diag_note(d,
                other == LANG_EN
                  ? N_("'%.*s' is a keyword in English files; this file is Dutch (start it with 'language en' to write "
                       "English keywords)")
                  : N_("'%.*s' is a keyword in Dutch files; this file is English"),
                (int)tok.span.len, pc->file->text + tok.span.off);
  }
}

void parse_add_decl(ParseCtx *pc, AstNode *decl) {
  if (decl) ast_push(&pc->ast->arena, &pc->ast->decls, decl);
}

void parse_language(ParseCtx *pc, Token kw, Token name) {
  const char *w = pc->file->text + name.span.off;
  if (name.span.len == 2 && (memcmp(w, "nl", 2) == 0 || memcmp(w, "en", 2) == 0)) return;
  Diag *d = diag_error(pc->diags, name.span, "E006", "unknown language '%.*s'", (int)name.span.len, w);
  diag_note(d, "the rule language is written in Dutch ('%.*s nl') or English ('%.*s en')", (int)kw.span.len,
            pc->file->text + kw.span.off, (int)kw.span.len, pc->file->text + kw.span.off);
}

/* ---- builders ---- */

AstNode *parse_name(ParseCtx *pc, AstKind kind, Token name) {
  AstNode *n = ast_new(&pc->ast->arena, kind, name.span);
  n->name = tok_text(pc, name);
  return n;
}

/* A literal whose text was reported as bad: typed TY_ERROR so the checker says nothing more. */
static AstNode *bad_literal(AstNode *n) {
  n->type.kind = TY_ERROR;
  return n;
}

/* Amount text after the euro sign: Dutch form (1.234,56) or machine form (1234.56). */
static NumStatus parse_amount(const char *s, size_t len, int64_t *cents) {
  char buf[64];
  size_t n = 0;
  bool comma = memchr(s, ',', len) != NULL;
  const char *lastdot = NULL;
  for (size_t i = 0; i < len; i++) if (s[i] == '.') lastdot = s + i;
  bool thousands = comma || (lastdot && (size_t)(s + len - lastdot) == 4);
  for (size_t i = 0; i < len && n < sizeof buf - 1; i++) {
    if (s[i] == '.') { if (!thousands) buf[n++] = '.'; }
    else if (s[i] == ',') buf[n++] = '.';
    else buf[n++] = s[i];
  }
  if (n >= sizeof buf - 1) return NUM_OVERFLOW;
  return money_parse(buf, n, cents);
}

AstNode *parse_literal(ParseCtx *pc, Token t) {
  const char *s = pc->file->text + t.span.off;
  size_t len = t.span.len;
  Arena *ar = &pc->ast->arena;
  AstNode *n;
  switch (t.kind) {
  case TK_INT: {
    n = ast_new(ar, AST_INT, t.span);
    Dec d;
    NumStatus st = dec_parse(s, len, &d);
    if (st != NUM_OK) {
      diag_error(pc->diags, t.span, "E003", "number %.*s is too large (the largest whole number is 9223372036854775807)",
                 (int)len, s);
      return bad_literal(n);
    }
    n->ival = d.num;
    return n;
  }
  case TK_DEC:
  case TK_PERCENT: {
    n = ast_new(ar, AST_DEC, t.span);
    size_t l = t.kind == TK_PERCENT ? len - 1 : len;
    Dec d, hundred = dec_from_int(100);
    NumStatus st = dec_parse(s, l, &d);
    if (st == NUM_OK && t.kind == TK_PERCENT) st = dec_div(d, hundred, &d);
    if (st != NUM_OK) {
      diag_error(pc->diags, t.span, "E007", "number %.*s has too many digits to be exact", (int)len, s);
      return bad_literal(n);
    }
    n->dval = d;
    return n;
  }
  case TK_MONEY: {
    n = ast_new(ar, AST_MONEY, t.span);
    size_t skip = 3;   /* "€" is 3 bytes in UTF-8, and "EUR" is 3 letters */
    while (skip < len && s[skip] == ' ') skip++;
    if (parse_amount(s + skip, len - skip, &n->ival) != NUM_OK) {
      diag_error(pc->diags, t.span, "E005", "amount %.*s is too large", (int)len, s);
      return bad_literal(n);
    }
    return n;
  }
  case TK_DATE: {
    n = ast_new(ar, AST_DATE, t.span);
    const char *why = NULL;
    if (!date_parse(s, len, &n->ival, &why)) {
      diag_error(pc->diags, t.span, "E004", "invalid date %.*s: %s", (int)len, s, why ? why : "not a date");
      return bad_literal(n);
    }
    return n;
  }
  case TK_STRING: {
    n = ast_new(ar, AST_TEXT, t.span);
    char *out = arena_alloc(ar, len);
    size_t o = 0;
    for (size_t i = 1; i + 1 < len; i++) {
      if (s[i] == '\\') {
        i++;
        out[o++] = s[i] == 'n' ? '\n' : s[i];
      } else {
        out[o++] = s[i];
      }
    }
    out[o] = 0;
    n->str = out;
    return n;
  }
  default:
    n = ast_new(ar, AST_BOOL, t.span);
    n->ival = t.kind == TK_TRUE;
    return n;
  }
}

/* Left-associative chains (a + b + c ..., a.b.c ...) do not grow Lemon's stack, so their depth is checked here. */
static void check_depth(ParseCtx *pc, AstNode *n, const AstNode *a, const AstNode *b) {
  uint32_t d = a->depth;
  if (b && b->depth > d) d = b->depth;
  n->depth = d + 1;
  if (n->depth == AST_MAX_DEPTH && !pc->failed) {
    diag_error(pc->diags, n->span, "E002", "expression nested too deeply (more than %d levels)", AST_MAX_DEPTH);
    pc->failed = true;
  }
}

AstNode *parse_binary(ParseCtx *pc, int op, AstNode *a, AstNode *b) {
  AstNode *n = ast_new(&pc->ast->arena, AST_BINARY, span_join(a->span, b->span));
  check_depth(pc, n, a, b);
  n->op = op;
  n->a = a;
  n->b = b;
  return n;
}

AstNode *parse_unary(ParseCtx *pc, Token op, AstNode *a) {
  AstNode *n = ast_new(&pc->ast->arena, AST_UNARY, span_join(op.span, a->span));
  check_depth(pc, n, a, NULL);
  n->op = op.kind;
  n->a = a;
  return n;
}

AstNode *parse_member(ParseCtx *pc, AstNode *obj, Token field) {
  AstNode *n = ast_new(&pc->ast->arena, AST_MEMBER, span_join(obj->span, field.span));
  check_depth(pc, n, obj, NULL);
  n->nspan = field.span;
  n->name = tok_text(pc, field);
  n->a = obj;
  return n;
}

/* x zoals bekend op d: x with the facts as known on d (a: x, b: d) */
AstNode *parse_as_known(ParseCtx *pc, AstNode *e, AstNode *d) {
  AstNode *n = ast_new(&pc->ast->arena, AST_AS_KNOWN, span_join(e->span, d->span));
  check_depth(pc, n, e, d);
  n->a = e;
  n->b = d;
  return n;
}

/* gegevens L [sleutel k] bekend op f [vervangt g]: a the key, b the knowledge field, c the replaces field */
void parse_record_known(ParseCtx *pc, AstNode *rec, AstNode *key, AstNode *known) {
  (void)pc;
  rec->a = key;
  rec->b = known;
  rec->c = known->a;
  known->a = NULL;
}

AstNode *parse_call(ParseCtx *pc, Token callee, AstNode *args, Token rparen) {
  AstNode *n = ast_new(&pc->ast->arena, AST_CALL, span_join(callee.span, rparen.span));
  n->nspan = callee.span;
  n->name = tok_text(pc, callee);
  if (args) n->list = args->list;
  return n;
}

AstNode *parse_agg(ParseCtx *pc, Token callee, AstNode *elem, Token var, AstNode *list, AstNode *cond,
                   Token rparen) {
  AstNode *n = ast_new(&pc->ast->arena, AST_AGG, span_join(callee.span, rparen.span));
  n->nspan = callee.span;
  n->name = tok_text(pc, callee);
  n->str = tok_text(pc, var);
  n->a = list;
  n->b = elem;
  n->c = cond;
  n->ival = var.span.off;   /* where the variable is declared, for messages */
  return n;
}

AstNode *parse_if(ParseCtx *pc, Token kw, AstNode *cond, AstNode *then, AstNode *els) {
  AstNode *n = ast_new(&pc->ast->arena, AST_IF, span_join(kw.span, els->span));
  n->a = cond;
  n->b = then;
  n->c = els;
  return n;
}

AstNode *parse_case(ParseCtx *pc, Token kw, AstNode *scrut, AstNode *arms, Token rbrace) {
  AstNode *n = ast_new(&pc->ast->arena, AST_CASE, span_join(kw.span, rbrace.span));
  n->nspan = kw.span;
  n->a = scrut;
  n->list = arms->list;
  return n;
}

AstNode *parse_list_holder(ParseCtx *pc, AstNode *first) {
  AstNode *h = ast_new(&pc->ast->arena, AST_OUTPUT_DECL, first->span);
  ast_push(&pc->ast->arena, &h->list, first);
  return h;
}

AstNode *parse_list_add(ParseCtx *pc, AstNode *holder, AstNode *item) {
  ast_push(&pc->ast->arena, &holder->list, item);
  return holder;
}

AstNode *parse_arm(ParseCtx *pc, Span start, AstNode *labels, AstNode *value) {
  AstNode *n = ast_new(&pc->ast->arena, AST_ARM, span_join(start, value->span));
  n->nspan = start;
  if (labels) n->list = labels->list;
  n->a = value;
  return n;
}

AstNode *parse_rule_head(ParseCtx *pc, Token kw, Token name, AstNode *params) {
  AstNode *n = ast_new(&pc->ast->arena, AST_RULE_DECL, span_join(kw.span, name.span));
  n->nspan = name.span;
  n->name = tok_text(pc, name);
  if (params) n->params = params->list;
  return n;
}

/*
** A declaration's sources, with any 'label "..."' written among them taken
** out: the label goes to n->label (a second one chained after the first),
** so every pass over the sources sees sources only.
*/
static void take_cites(ParseCtx *pc, AstNode *n, AstNode *cites) {
  if (!cites) return;
  uint32_t k = 0;
  for (uint32_t i = 0; i < cites->list.n; i++) {
    AstNode *x = cites->list.items[i];
    if (x->kind == AST_LABEL) parse_attach_labels(pc, n, x);
    else cites->list.items[k++] = x;
  }
  cites->list.n = k;
  if (k) n->list = cites->list;
}

AstNode *parse_label(ParseCtx *pc, AstNode *first, Token kw, Token text) {
  AstNode *n = ast_new(&pc->ast->arena, AST_LABEL, span_join(kw.span, text.span));
  n->nspan = text.span;
  n->str = parse_literal(pc, text)->str;
  if (!first) return n;
  AstNode *last = first;
  while (last->a) last = last->a;
  last->a = n;
  return first;
}

void parse_attach_labels(ParseCtx *pc, AstNode *decl, AstNode *labels) {
  (void)pc;
  AstNode **end = &decl->label;
  while (*end) end = &(*end)->a;
  *end = labels;
}

AstNode *parse_rule(ParseCtx *pc, AstNode *head, AstNode *type, AstNode *cites, AstNode *value) {
  (void)pc;
  AstNode *n = head;
  n->span = span_join(n->span, value ? value->span : type->span);
  n->a = type;
  n->b = value;
  take_cites(pc, n, cites);
  return n;
}

AstNode *parse_extern_rule(ParseCtx *pc, Token kw, AstNode *rule, int pure, Token library, Token symbol) {
  AstNode *n = ast_new(&pc->ast->arena, AST_NATIVE, span_join(kw.span, (symbol.kind ? symbol : library).span));
  n->a = parse_literal(pc, library);
  n->b = symbol.kind ? parse_literal(pc, symbol) : NULL;
  n->ival = pure;
  rule->native = n;
  rule->span = span_join(kw.span, n->span);
  return rule;
}

AstNode *parse_cite(ParseCtx *pc, Token src, Token name, Token art, Token lid, Token sub) {
  Token last = sub.kind ? sub : lid.kind ? lid : art.kind ? art : name;
  AstNode *n = ast_new(&pc->ast->arena, AST_CITE, span_join(src.span, last.span));
  n->nspan = name.span;
  if (name.kind == TK_STRING) {
    AstNode *lit = parse_literal(pc, name);
    n->name = lit->str;
  } else {
    n->name = tok_text(pc, name);
  }
  n->ival = name.kind;   /* TK_IDENT (a declared source), TK_ECLI or TK_STRING */
  char buf[160] = "";
  const char *t = pc->file->text;
  if (art.kind) {
    int len = snprintf(buf, sizeof buf, "art %.*s", (int)art.span.len, t + art.span.off);
    if (lid.kind) len += snprintf(buf + len, sizeof buf - (size_t)len, " lid %.*s", (int)lid.span.len, t + lid.span.off);
    if (sub.kind) snprintf(buf + len, sizeof buf - (size_t)len, " sub %.*s", (int)sub.span.len, t + sub.span.off);
  }
  n->str = arena_strndup(&pc->ast->arena, buf, strlen(buf));
  return n;
}

AstNode *parse_decl(ParseCtx *pc, AstKind kind, Token kw, Token name, AstNode *items, Token end) {
  AstNode *n = ast_new(&pc->ast->arena, kind, span_join(kw.span, end.span));
  if (name.kind) {
    n->nspan = name.span;
    n->name = tok_text(pc, name);
  } else {
    n->nspan = kw.span;
  }
  if (items) n->list = items->list;
  return n;
}

AstNode *parse_source_decl(ParseCtx *pc, Token kw, Token name, Token title, Token bwb) {
  AstNode *n = ast_new(&pc->ast->arena, AST_SOURCE_DECL, span_join(kw.span, bwb.kind ? bwb.span : title.span));
  n->nspan = name.span;
  n->name = tok_text(pc, name);
  n->str = parse_literal(pc, title)->str;
  n->str2 = bwb.kind ? tok_text(pc, bwb) : "";
  return n;
}

AstNode *parse_type(ParseCtx *pc, Token list_kw, Token name) {
  AstNode *elem = parse_name(pc, AST_TYPE_NAME, name);
  if (!list_kw.kind) return elem;
  AstNode *n = ast_new(&pc->ast->arena, list_kw.kind == TK_OPTIONAL ? AST_TYPE_OPTIONAL : AST_TYPE_LIST,
                       span_join(list_kw.span, name.span));
  n->a = elem;
  return n;
}

AstNode *parse_field(ParseCtx *pc, Token name, AstNode *type) {
  AstNode *n = ast_new(&pc->ast->arena, AST_FIELD_DECL, span_join(name.span, type->span));
  n->nspan = name.span;
  n->name = tok_text(pc, name);
  n->a = type;
  return n;
}

AstNode *parse_field_values(ParseCtx *pc, AstNode *field, Token keuze) {
  field->b = parse_name(pc, AST_NAME, keuze);
  field->span = span_join(field->span, keuze.span);
  return field;
}

AstNode *parse_module(ParseCtx *pc, Token kw, AstNode *qname) {
  AstNode *n = ast_new(&pc->ast->arena, AST_MODULE, span_join(kw.span, qname->span));
  n->nspan = qname->span;
  n->name = qname->name;
  return n;
}

AstNode *parse_strict(ParseCtx *pc, Token kw) {
  AstNode *n = ast_new(&pc->ast->arena, AST_STRICT, kw.span);
  n->nspan = kw.span;
  return n;
}

AstNode *parse_benefit(ParseCtx *pc, Token kw, Token column, Token period) {
  AstNode *n = ast_new(&pc->ast->arena, AST_BENEFIT_DECL, span_join(kw.span, period.span));
  n->nspan = column.span;
  n->name = tok_text(pc, column);
  n->a = parse_name(pc, AST_NAME, period);
  return n;
}

AstNode *parse_benefit_duration(ParseCtx *pc, AstNode *b, Token duration) {
  b->b = parse_name(pc, AST_NAME, duration);
  b->span = span_join(b->span, duration.span);
  return b;
}

AstNode *parse_benefit_then(ParseCtx *pc, AstNode *b, Token then) {
  b->c = parse_name(pc, AST_NAME, then);
  b->span = span_join(b->span, then.span);
  return b;
}

AstNode *parse_qname_add(ParseCtx *pc, AstNode *q, Token part) {
  size_t a = strlen(q->name);
  char *s = arena_alloc(&pc->ast->arena, a + part.span.len + 2);
  memcpy(s, q->name, a);
  s[a] = '.';
  memcpy(s + a + 1, pc->file->text + part.span.off, part.span.len);
  q->name = s;
  q->span = span_join(q->span, part.span);
  return q;
}

Token parse_qident(ParseCtx *pc, Token alias, Token name) {
  Token t = alias;
  t.span = span_join(alias.span, name.span);
  if (name.span.off != alias.span.off + alias.span.len + 1) {
    Diag *dg = diag_error(pc->diags, t.span, "E002", "a name of a used rule set is written without spaces");
    diag_note(dg, "write it as one word with a dot: wia.dagloon");
    pc->failed = true;
  }
  return t;
}

AstNode *parse_qualified_call(ParseCtx *pc, AstNode *obj, Token callee, AstNode *args, Token rparen) {
  AstNode *n = parse_call(pc, callee, args, rparen);
  if (obj->kind != AST_NAME) {
    Diag *dg = diag_error(pc->diags, obj->span, "E002", "only a name of a used rule set can come before '.%s(...)'",
                          n->name);
    diag_note(dg, "write the used rule set's name: wia.%s(...)", n->name);
    pc->failed = true;
    return n;
  }
  n->name = parse_qname_add(pc, obj, callee)->name;
  n->span = span_join(obj->span, rparen.span);
  n->nspan = span_join(obj->nspan, callee.span);
  return n;
}

AstNode *parse_use(ParseCtx *pc, Token kw, Token path, Token alias, Token field) {
  AstNode *n = ast_new(&pc->ast->arena, AST_USE, span_join(kw.span, (field.kind ? field : alias).span));
  n->nspan = alias.span;
  n->name = tok_text(pc, alias);
  n->str = parse_literal(pc, path)->str;
  n->b = parse_literal(pc, path);   /* where the path is written, for messages about it */
  if (field.kind) n->a = parse_name(pc, AST_NAME, field);
  return n;
}

void parse_rule_versions(ParseCtx *pc, AstNode *rule, AstNode *peildatum, AstNode *versions) {
  (void)pc;
  rule->c = peildatum;
  rule->extra = versions->list;
  rule->span = span_join(rule->span, versions->list.items[versions->list.n - 1]->span);
}

AstNode *parse_version(ParseCtx *pc, Token kw, Token from, Token through, AstNode *cites, AstNode *value) {
  AstNode *n = ast_new(&pc->ast->arena, AST_VERSION, span_join(kw.span, value->span));
  n->nspan = span_join(kw.span, through.kind ? through.span : from.span);
  n->a = from.kind ? parse_literal(pc, from) : NULL;
  n->c = through.kind ? parse_literal(pc, through) : NULL;
  n->b = value;
  take_cites(pc, n, cites);
  return n;
}

AstNode *parse_exception(ParseCtx *pc, Token kw, Token name, Token rule, AstNode *cites, AstNode *compat,
                         AstNode *cond, AstNode *value) {
  AstNode *n = ast_new(&pc->ast->arena, AST_EXCEPTION_DECL, span_join(kw.span, value->span));
  n->nspan = name.span;
  n->name = tok_text(pc, name);
  n->c = parse_name(pc, AST_NAME, rule);
  n->a = cond;
  n->b = value;
  take_cites(pc, n, cites);
  if (compat) n->extra = compat->list;
  return n;
}

AstNode *parse_table(ParseCtx *pc, Token kw, Token name, AstNode *valtype, AstNode *keytype, Token file,
                     AstNode *cites, AstNode *coverage) {
  AstNode *n = ast_new(&pc->ast->arena, AST_TABLE_DECL, span_join(kw.span, file.span));
  n->nspan = name.span;
  n->name = tok_text(pc, name);
  n->a = valtype;
  n->b = keytype;
  n->str = parse_literal(pc, file)->str;
  n->ival = file.span.off;   /* where the path is written, for messages about the file */
  take_cites(pc, n, cites);
  n->c = coverage;
  return n;
}

AstNode *parse_range_arm(ParseCtx *pc, Span start, AstNode *lo, AstNode *hi, AstNode *value) {
  AstNode *n = ast_new(&pc->ast->arena, AST_ARM, span_join(start, value->span));
  n->nspan = span_join(start, (hi ? hi : lo)->span);
  n->op = 1;   /* a range arm: b and c are its bounds */
  n->a = value;
  n->b = lo;
  n->c = hi;
  return n;
}

/* ---- proposals ---- */

AstNode *parse_proposal(ParseCtx *pc, Token kw, Token path) {
  AstNode *n = ast_new(&pc->ast->arena, AST_PROPOSAL, span_join(kw.span, path.span));
  n->nspan = path.span;
  n->str = parse_literal(pc, path)->str;
  return n;
}

/* 'vervang' before a rule, exception or table; anything else is reported by the front end. */
AstNode *parse_replace(ParseCtx *pc, Token kw, AstNode *decl) {
  (void)pc;
  if (!decl) return NULL;
  decl->replaces++;
  decl->span = span_join(kw.span, decl->span);
  return decl;
}

AstNode *parse_remove(ParseCtx *pc, Token kw, Token name) {
  AstNode *n = ast_new(&pc->ast->arena, AST_REMOVE_DECL, span_join(kw.span, name.span));
  n->nspan = name.span;
  n->name = tok_text(pc, name);
  return n;
}

AstNode *parse_table_rows(ParseCtx *pc, Token kw, Token name, AstNode *cites, AstNode *coverage, Token file) {
  AstNode *n = ast_new(&pc->ast->arena, AST_TABLE_ROWS, span_join(kw.span, file.span));
  n->nspan = name.span;
  n->name = tok_text(pc, name);
  n->str = parse_literal(pc, file)->str;
  n->ival = file.span.off;
  take_cites(pc, n, cites);
  n->c = coverage;   /* NULL: the base's coverage stays */
  return n;
}

AstNode *parse_version_overlay(ParseCtx *pc, Token kw, Token rule, AstNode *version) {
  AstNode *n = ast_new(&pc->ast->arena, AST_VERSION_OVERLAY, span_join(kw.span, version->span));
  n->nspan = rule.span;
  n->name = tok_text(pc, rule);
  n->a = version;
  return n;
}
