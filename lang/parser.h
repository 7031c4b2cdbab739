/*
** parser.h: drives the lexer and the Lemon parser over one file, builds the
** AST, and turns literal text into values (reporting bad literals).
** grammar.y's actions call the parse_* builders declared here, so the
** grammar stays a grammar.
*/
#ifndef DAGLOON_PARSE_H
#define DAGLOON_PARSE_H

#include <stdbool.h>
#include "ast.h"
#include "diag.h"
#include "lexer.h"

typedef struct ParseCtx {
  Ast *ast;
  DiagList *diags;
  const SourceFile *file;
  uint32_t fileidx;
  Lang lang;
  bool failed;          /* a syntax error was reported; the driver resynchronises */
  bool flushing;        /* ending a declaration cut off by an illegal token: no new message */
  Span cur;             /* the token being fed to the parser (for errors without a token) */
} ParseCtx;

/*
** Parse file `fileidx` of src into ast->decls; *lang receives the file's
** language. Returns false if it had syntax errors.
*/
bool parse_file(Ast *ast, const SourceSet *src, uint32_t fileidx, DiagList *diags, Lang *lang);

/* ---- builders called from grammar.y ---- */
void parse_add_decl(ParseCtx *pc, AstNode *decl);
void parse_language(ParseCtx *pc, Token kw, Token name);
void parse_syntax_error(ParseCtx *pc, Token tok, const int *expected, int nexpected);
AstNode *parse_name(ParseCtx *pc, AstKind kind, Token name);   /* node whose name is the token text */
AstNode *parse_literal(ParseCtx *pc, Token t);                 /* INT DEC PERCENT MONEY DATE STRING TRUE FALSE */
AstNode *parse_binary(ParseCtx *pc, int op, AstNode *a, AstNode *b);
AstNode *parse_unary(ParseCtx *pc, Token op, AstNode *a);
AstNode *parse_member(ParseCtx *pc, AstNode *obj, Token field);
AstNode *parse_as_known(ParseCtx *pc, AstNode *e, AstNode *d);
void parse_record_known(ParseCtx *pc, AstNode *rec, AstNode *key, AstNode *known);
AstNode *parse_call(ParseCtx *pc, Token callee, AstNode *args, Token rparen);   /* args: a holder node with list */
AstNode *parse_agg(ParseCtx *pc, Token callee, AstNode *elem, Token var, AstNode *list, AstNode *cond, Token rparen);
AstNode *parse_if(ParseCtx *pc, Token kw, AstNode *cond, AstNode *then, AstNode *els);
AstNode *parse_case(ParseCtx *pc, Token kw, AstNode *scrut, AstNode *arms, Token rbrace);
AstNode *parse_list_holder(ParseCtx *pc, AstNode *first);      /* a temporary node collecting a list */
AstNode *parse_list_add(ParseCtx *pc, AstNode *holder, AstNode *item);
AstNode *parse_arm(ParseCtx *pc, Span start, AstNode *labels, AstNode *value);   /* labels NULL = otherwise */
AstNode *parse_range_arm(ParseCtx *pc, Span start, AstNode *lo, AstNode *hi, AstNode *value);   /* NULL = open end */
AstNode *parse_rule_head(ParseCtx *pc, Token kw, Token name, AstNode *params);
AstNode *parse_rule(ParseCtx *pc, AstNode *head, AstNode *type, AstNode *cites, AstNode *value);
AstNode *parse_extern_rule(ParseCtx *pc, Token kw, AstNode *rule, int pure, Token library, Token symbol);
AstNode *parse_cite(ParseCtx *pc, Token src, Token name, Token art, Token lid, Token sub);  /* absent parts have kind 0 */
/* uitkering COLUMN per PERIOD: the benefit paid (checked in check.c) */
AstNode *parse_benefit(ParseCtx *pc, Token kw, Token column, Token period);
/* ... duur D (b: its NAME) and ... daarna Y (c: its NAME), after parse_benefit */
AstNode *parse_benefit_duration(ParseCtx *pc, AstNode *b, Token duration);
AstNode *parse_benefit_then(ParseCtx *pc, AstNode *b, Token then);
AstNode *parse_decl(ParseCtx *pc, AstKind kind, Token kw, Token name, AstNode *items, Token end);
AstNode *parse_source_decl(ParseCtx *pc, Token kw, Token name, Token title, Token bwb);
AstNode *parse_type(ParseCtx *pc, Token list_kw, Token name);   /* list_kw: LIST, OPTIONAL or kind 0 (plain) */
AstNode *parse_field(ParseCtx *pc, Token name, AstNode *type);
/* ... waarden K: the keuze that labels a tekst field's values (field->b: its NAME; checked in check.c) */
AstNode *parse_field_values(ParseCtx *pc, AstNode *field, Token keuze);
/* 'label "..."': a LABEL node; with `first`, chained after it (a second label, reported by the checker) */
AstNode *parse_label(ParseCtx *pc, AstNode *first, Token kw, Token text);
void parse_attach_labels(ParseCtx *pc, AstNode *decl, AstNode *labels);
AstNode *parse_module(ParseCtx *pc, Token kw, AstNode *qname);
AstNode *parse_strict(ParseCtx *pc, Token kw);
AstNode *parse_qname_add(ParseCtx *pc, AstNode *q, Token part);
/* Rule sets that use rule sets: 'gebruik "path" als naam [met veld]', and names qualified by it. */
AstNode *parse_use(ParseCtx *pc, Token kw, Token path, Token alias, Token field);   /* field: kind 0 if absent */
Token parse_qident(ParseCtx *pc, Token alias, Token name);         /* wia.deler: one token, its text the whole name */
AstNode *parse_qualified_call(ParseCtx *pc, AstNode *obj, Token callee, AstNode *args, Token rparen);
void parse_rule_versions(ParseCtx *pc, AstNode *rule, AstNode *peildatum, AstNode *versions);
AstNode *parse_version(ParseCtx *pc, Token kw, Token from, Token through, AstNode *cites, AstNode *value);
AstNode *parse_exception(ParseCtx *pc, Token kw, Token name, Token rule, AstNode *cites, AstNode *compat,
                         AstNode *cond, AstNode *value);
AstNode *parse_table(ParseCtx *pc, Token kw, Token name, AstNode *valtype, AstNode *keytype, Token file,
                     AstNode *cites, AstNode *coverage);

/* Proposals (overlays on a base rule set): 'voorstel op "path"', 'vervang <decl>', 'schrap uitzondering x'. */
AstNode *parse_proposal(ParseCtx *pc, Token kw, Token path);
AstNode *parse_replace(ParseCtx *pc, Token kw, AstNode *decl);
AstNode *parse_remove(ParseCtx *pc, Token kw, Token name);
AstNode *parse_table_rows(ParseCtx *pc, Token kw, Token name, AstNode *cites, AstNode *coverage, Token file);
AstNode *parse_version_overlay(ParseCtx *pc, Token kw, Token rule, AstNode *version);

#endif
