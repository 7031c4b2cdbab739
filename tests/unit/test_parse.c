/*
** test_parser.c: the parser (lang/grammar.y + lang/parser.c) through
** front_compile_text(..., FRONT_PARSE), inspecting f.ast.decls: every
** declaration kind with its names and children, operator precedence and
** associativity (checked as s-expressions built here, independently of
** ast_dump), aggregates with and without 'waarbij', calls and named
** arguments, 'geval' arms including 'anders', citations, an English file
** giving the same tree as its Dutch twin, literal values (cents, day
** numbers, exact percentages, string escapes), and syntax errors: E002 at
** the right span, and resynchronisation at the next declaration.
*/
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/ast.h"
#include "lang/front.h"
#include "lang/lexer.h"

/* ---- helpers ---- */

/* Parse src as file "t.rules"; the caller frees with front_free. */
static void parse_src(Front *f, const char *src) {
  front_init(f);
  Chunk *c = front_compile_text(f, "t.rules", src, strlen(src), FRONT_PARSE);
  cr_assert_null(c, "FRONT_PARSE never returns a chunk");
}

/* Parse and require no diagnostics at all. */
static void parse_ok(Front *f, const char *src) {
  parse_src(f, src);
  if (f->diags.n) diag_render(&f->diags, stderr);
  cr_assert_eq(f->diags.n, 0, "unexpected diagnostics for:\n%s", src);
}

static AstNode *decl(Front *f, uint32_t i) {
  cr_assert_lt(i, f->ast.decls.n, "declaration %u missing (%u parsed)", i, f->ast.decls.n);
  return f->ast.decls.items[i];
}

static AstNode *item(AstNode *n, uint32_t i) {
  cr_assert_lt(i, n->list.n, "item %u missing in a %s (%u items)", i, ast_kind_name(n->kind), n->list.n);
  return n->list.items[i];
}

/* Span [off, off+len) of the first occurrence of `needle` in src (test inputs are chosen so it is unique). */
static uint32_t off_of(const char *src, const char *needle) {
  const char *p = strstr(src, needle);
  cr_assert_not_null(p, "'%s' not in source", needle);
  return (uint32_t)(p - src);
}

static int count_code(const Front *f, const char *code) {
  int n = 0;
  for (size_t i = 0; i < f->diags.n; i++)
    if (strcmp(f->diags.items[i].code, code) == 0) n++;
  return n;
}

/* ---- s-expressions, for checking tree shapes ---- */

typedef struct Buf { char s[2048]; size_t n; } Buf;

static void put(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int w = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
  va_end(ap);
  if (w > 0) b->n += (size_t)w;
  if (b->n >= sizeof b->s) b->n = sizeof b->s - 1;
}

/* Operator names of our own, so a wrong op token cannot hide behind the engine's own naming. */
static const char *opname(int op) {
  switch (op) {
  case TK_PLUS: return "+";
  case TK_MINUS: return "-";
  case TK_STAR: return "*";
  case TK_SLASH: return "/";
  case TK_EQ: return "=";
  case TK_NE: return "<>";
  case TK_LT: return "<";
  case TK_LE: return "<=";
  case TK_GT: return ">";
  case TK_GE: return ">=";
  case TK_AND: return "and";
  case TK_OR: return "or";
  case TK_NOT: return "not";
  default: return "?op";
  }
}

static void sx(Buf *b, const AstNode *n) {
  if (!n) { put(b, "_"); return; }
  switch (n->kind) {
  case AST_INT: put(b, "%lld", (long long)n->ival); break;
  case AST_DEC: put(b, "%lld/%lld", (long long)n->dval.num, (long long)n->dval.den); break;
  case AST_MONEY: put(b, "c%lld", (long long)n->ival); break;
  case AST_DATE: put(b, "d%lld", (long long)n->ival); break;
  case AST_TEXT: put(b, "\"%s\"", n->str); break;
  case AST_BOOL: put(b, n->ival ? "true" : "false"); break;
  case AST_NAME: put(b, "%s", n->name); break;
  case AST_MEMBER: put(b, "(. "); sx(b, n->a); put(b, " %s)", n->name); break;
  case AST_BINARY: put(b, "(%s ", opname(n->op)); sx(b, n->a); put(b, " "); sx(b, n->b); put(b, ")"); break;
  case AST_UNARY: put(b, "(%s ", n->op == TK_MINUS ? "neg" : opname(n->op)); sx(b, n->a); put(b, ")"); break;
  case AST_IF: put(b, "(if "); sx(b, n->a); put(b, " "); sx(b, n->b); put(b, " "); sx(b, n->c); put(b, ")"); break;
  case AST_NAMED_ARG: put(b, "%s=", n->name); sx(b, n->a); break;
  case AST_CALL:
    put(b, "(call %s", n->name);
    for (uint32_t i = 0; i < n->list.n; i++) { put(b, " "); sx(b, n->list.items[i]); }
    put(b, ")");
    break;
  case AST_AGG:
    put(b, "(agg %s %s ", n->name, n->str);
    sx(b, n->a); put(b, " "); sx(b, n->b); put(b, " "); sx(b, n->c); put(b, ")");
    break;
  case AST_CASE:
    put(b, "(case ");
    sx(b, n->a);
    for (uint32_t i = 0; i < n->list.n; i++) {
      const AstNode *arm = n->list.items[i];
      put(b, " [");
      if (arm->list.n == 0) put(b, "else");
      for (uint32_t j = 0; j < arm->list.n; j++) put(b, "%s%s", j ? "," : "", arm->list.items[j]->name);
      put(b, ": ");
      sx(b, arm->a);
      put(b, "]");
    }
    put(b, ")");
    break;
  default: put(b, "<%s>", ast_kind_name(n->kind)); break;
  }
}

/* Parse "regel x: geheel = <expr>" and compare the value's s-expression. */
static void expr_is(const char *expr, const char *want) {
  char src[512];
  snprintf(src, sizeof src, "regel x: geheel = %s\n", expr);
  Front f;
  parse_ok(&f, src);
  cr_assert_eq(f.ast.decls.n, 1u);
  Buf b = {.n = 0};
  b.s[0] = 0;
  sx(&b, decl(&f, 0)->b);
  cr_assert_str_eq(b.s, want, "expression: %s", expr);
  front_free(&f);
}

/* ---- declarations ---- */

static const char *const full_nl =
  "taal nl\n"
  "module voorbeeld.wia_dagloon\n"
  "bron DB = \"Dagloonbesluit werknemersverzekeringen\", BWBR0033471\n"
  "bron Vrij = \"Zonder BWB\"\n"
  "keuze Sector { bouw, zorg, overig }\n"
  "gegevens Loonregel {\n"
  "  maand:   datum\n"
  "  sv_loon: geld\n"
  "}\n"
  "invoer Dossier sleutel id {\n"
  "  id: tekst, eerste_ao_dag: datum\n"
  "  sector: Sector\n"
  "  loon: lijst Loonregel\n"
  "}\n"
  "regel totaal: geld\n"
  "  bron DB art 14 lid 1\n"
  "  bron ECLI:NL:CRVB:2024:1523\n"
  "  = som(r.sv_loon voor elke r in loon waarbij r.maand >= 2023-01-01)\n"
  "uitvoer { id, totaal sector }\n";

Test(parse, declarations_of_each_kind) {
  Front f;
  parse_ok(&f, full_nl);
  cr_assert_eq(f.ast.decls.n, 8u);
  cr_assert_eq(f.langs[0], LANG_NL);

  AstNode *m = decl(&f, 0);
  cr_assert_eq(m->kind, AST_MODULE);
  cr_assert_str_eq(m->name, "voorbeeld.wia_dagloon");

  AstNode *s = decl(&f, 1);
  cr_assert_eq(s->kind, AST_SOURCE_DECL);
  cr_assert_str_eq(s->name, "DB");
  cr_assert_str_eq(s->str, "Dagloonbesluit werknemersverzekeringen");
  cr_assert_str_eq(s->str2, "BWBR0033471");
  AstNode *s2 = decl(&f, 2);
  cr_assert_eq(s2->kind, AST_SOURCE_DECL);
  cr_assert_str_eq(s2->name, "Vrij");
  cr_assert_str_eq(s2->str, "Zonder BWB");
  cr_assert_str_eq(s2->str2, "");

  AstNode *e = decl(&f, 3);
  cr_assert_eq(e->kind, AST_ENUM_DECL);
  cr_assert_str_eq(e->name, "Sector");
  cr_assert_eq(e->list.n, 3u);
  static const char *const members[] = {"bouw", "zorg", "overig"};
  for (uint32_t i = 0; i < 3; i++) {
    cr_assert_eq(item(e, i)->kind, AST_NAME);
    cr_assert_str_eq(item(e, i)->name, members[i]);
  }

  AstNode *r = decl(&f, 4);
  cr_assert_eq(r->kind, AST_RECORD_DECL);
  cr_assert_str_eq(r->name, "Loonregel");
  cr_assert_eq(r->list.n, 2u);
  cr_assert_eq(item(r, 0)->kind, AST_FIELD_DECL);
  cr_assert_str_eq(item(r, 0)->name, "maand");
  cr_assert_eq(item(r, 0)->a->kind, AST_TYPE_NAME);
  cr_assert_str_eq(item(r, 0)->a->name, "datum");
  cr_assert_str_eq(item(r, 1)->name, "sv_loon");
  cr_assert_str_eq(item(r, 1)->a->name, "geld");

  AstNode *in = decl(&f, 5);
  cr_assert_eq(in->kind, AST_INPUT_DECL);
  cr_assert_str_eq(in->name, "Dossier");
  cr_assert_not_null(in->a);
  cr_assert_eq(in->a->kind, AST_NAME);
  cr_assert_str_eq(in->a->name, "id");
  cr_assert_eq(in->list.n, 4u);   /* a comma between fields is optional */
  static const char *const fields[] = {"id", "eerste_ao_dag", "sector", "loon"};
  for (uint32_t i = 0; i < 4; i++) cr_assert_str_eq(item(in, i)->name, fields[i]);
  AstNode *lt = item(in, 3)->a;
  cr_assert_eq(lt->kind, AST_TYPE_LIST);
  cr_assert_eq(lt->a->kind, AST_TYPE_NAME);
  cr_assert_str_eq(lt->a->name, "Loonregel");
  cr_assert_str_eq(item(in, 2)->a->name, "Sector");

  AstNode *rule = decl(&f, 6);
  cr_assert_eq(rule->kind, AST_RULE_DECL);
  cr_assert_str_eq(rule->name, "totaal");
  cr_assert_eq(rule->a->kind, AST_TYPE_NAME);
  cr_assert_str_eq(rule->a->name, "geld");
  cr_assert_eq(rule->list.n, 2u);
  cr_assert_eq(item(rule, 0)->kind, AST_CITE);
  cr_assert_eq(item(rule, 1)->kind, AST_CITE);
  cr_assert_eq(rule->b->kind, AST_AGG);

  AstNode *o = decl(&f, 7);
  cr_assert_eq(o->kind, AST_OUTPUT_DECL);
  cr_assert_null(o->name);
  cr_assert_eq(o->list.n, 3u);   /* commas between columns are optional */
  cr_assert_str_eq(item(o, 0)->name, "id");
  cr_assert_str_eq(item(o, 1)->name, "totaal");
  cr_assert_str_eq(item(o, 2)->name, "sector");
  front_free(&f);
}

Test(parse, declaration_spans) {
  Front f;
  parse_ok(&f, full_nl);
  /* A rule: span from 'regel' to the end of its value; nspan is its name. */
  AstNode *rule = decl(&f, 6);
  uint32_t start = off_of(full_nl, "regel totaal");
  uint32_t end = off_of(full_nl, "2023-01-01)") + 11;
  cr_assert_eq(rule->span.file, 0u);
  cr_assert_eq(rule->span.off, start);
  cr_assert_eq(rule->span.len, end - start);
  cr_assert_eq(rule->nspan.off, start + 6);
  cr_assert_eq(rule->nspan.len, 6u);
  /* A braced declaration runs to its '}'. */
  AstNode *e = decl(&f, 3);
  uint32_t es = off_of(full_nl, "keuze");
  uint32_t ee = off_of(full_nl, "overig }") + 8;
  cr_assert_eq(e->span.off, es);
  cr_assert_eq(e->span.len, ee - es);
  cr_assert_eq(e->nspan.off, es + 6);
  cr_assert_eq(e->nspan.len, 6u);
  /* A field: from its name to the end of its type. */
  AstNode *fld = item(decl(&f, 5), 3);
  uint32_t fs = off_of(full_nl, "loon: lijst");
  cr_assert_eq(fld->span.off, fs);
  cr_assert_eq(fld->span.len, (uint32_t)strlen("loon: lijst Loonregel"));
  front_free(&f);
}

Test(parse, input_without_key) {
  Front f;
  parse_ok(&f, "invoer D { a: geheel }");
  cr_assert_eq(decl(&f, 0)->kind, AST_INPUT_DECL);
  cr_assert_null(decl(&f, 0)->a);
  front_free(&f);
}

/* ---- expressions ---- */

Test(parse, arithmetic_precedence_and_associativity) {
  expr_is("a + b * c", "(+ a (* b c))");
  expr_is("a * b + c", "(+ (* a b) c)");
  expr_is("a - b - c", "(- (- a b) c)");
  expr_is("a / b * c", "(* (/ a b) c)");
  expr_is("(a + b) * c", "(* (+ a b) c)");
  expr_is("a + b < c * d", "(< (+ a b) (* c d))");
}

Test(parse, logic_precedence) {
  expr_is("niet a = b", "(not (= a b))");
  expr_is("niet a en b", "(and (not a) b)");
  expr_is("a of b en c", "(or a (and b c))");
  expr_is("a en b of c", "(or (and a b) c)");
  expr_is("a = b en c <> d", "(and (= a b) (<> c d))");
  expr_is("niet niet a", "(not (not a))");
}

Test(parse, unary_minus) {
  expr_is("-a * b", "(* (neg a) b)");
  expr_is("a - -b", "(- a (neg b))");
  expr_is("-a.b", "(neg (. a b))");
  expr_is("- - 1", "(neg (neg 1))");
}

Test(parse, if_binds_loosely_and_nests_in_else) {
  /* The else branch extends as far right as it can. */
  expr_is("als c dan a anders b + 1", "(if c a (+ b 1))");
  expr_is("als c dan a anders b of d", "(if c a (or b d))");
  expr_is("als c dan 1 anders als d dan 2 anders 3", "(if c 1 (if d 2 3))");
  expr_is("als a en b dan x + 1 anders y", "(if (and a b) (+ x 1) y)");
  /* Inside parentheses the if is one operand. */
  expr_is("(als c dan 1 anders 2) * 3", "(* (if c 1 2) 3)");
}

Test(parse, member_access_chains) {
  expr_is("a.b.c", "(. (. a b) c)");
  expr_is("r.x + r.y", "(+ (. r x) (. r y))");
}

Test(parse, comparison_does_not_chain) {
  Front f;
  const char *src = "regel x: waarheid = a = b = c\n";
  parse_src(&f, src);
  cr_assert_eq(count_code(&f, "E002"), 1);
  /* The error is at the second '='. */
  uint32_t second = off_of(src, "= c");
  cr_assert_eq(f.diags.items[0].span.off, second);
  cr_assert_eq(f.diags.items[0].span.len, 1u);
  front_free(&f);
}

Test(parse, calls_and_named_arguments) {
  expr_is("min(a, b, 3)", "(call min a b 3)");
  expr_is("f()", "(call f)");
  expr_is("afgerond(x / 3, op: cent, methode: rekenkundig)", "(call afgerond (/ x 3) op=cent methode=rekenkundig)");
  /* An amount as a named argument: the comma after "€ 2,61" separates arguments. */
  expr_is("afgerond(x, op: \xE2\x82\xAC 2,61, methode: naar_boven)", "(call afgerond x op=c261 methode=naar_boven)");
  expr_is("min(\xE2\x82\xAC 5, \xE2\x82\xAC 6)", "(call min c500 c600)");
}

Test(parse, aggregates) {
  expr_is("som(r.v voor elke r in loon)", "(agg som r loon (. r v) _)");
  expr_is("som(r.v voor elke r in loon waarbij r.v > 0)", "(agg som r loon (. r v) (> (. r v) 0))");
  expr_is("aantal(elke r in loon)", "(agg aantal r loon _ _)");
  expr_is("aantal(elke q in loon waarbij q.x en niet q.y)", "(agg aantal q loon _ (and (. q x) (not (. q y))))");
  expr_is("elk(r.x > 0 voor elke r in loon)", "(agg elk r loon (> (. r x) 0) _)");
  expr_is("som(r.v voor elke r in loon) / 261", "(/ (agg som r loon (. r v) _) 261)");
  /* Nested: an aggregate inside a condition. */
  expr_is("aantal(elke r in l waarbij enig(q.v > r.v voor elke q in l))",
          "(agg aantal r l _ (agg enig q l (> (. q v) (. r v)) _))");
}

Test(parse, aggregate_fields) {
  Front f;
  const char *src = "regel x: geld = som(r.v voor elke r in loon waarbij r.v > 0)";
  parse_ok(&f, src);
  AstNode *a = decl(&f, 0)->b;
  cr_assert_eq(a->kind, AST_AGG);
  cr_assert_str_eq(a->name, "som");
  cr_assert_str_eq(a->str, "r");
  cr_assert_eq(a->ival, (int64_t)off_of(src, "r in"));   /* where the variable is declared */
  cr_assert_eq(a->span.off, off_of(src, "som("));
  cr_assert_eq(a->span.len, (uint32_t)strlen(src) - off_of(src, "som("));
  cr_assert_eq(a->nspan.off, off_of(src, "som("));
  cr_assert_eq(a->nspan.len, 3u);
  front_free(&f);
}

Test(parse, case_arms) {
  expr_is("geval s { a, b: 1  c: 2  anders: 3 }", "(case s [a,b: 1] [c: 2] [else: 3])");
  expr_is("geval s { a: x + 1 b: y }", "(case s [a: (+ x 1)] [b: y])");
  expr_is("geval r.s { a: geval t { x: 1 anders: 2 } anders: 3 }",
          "(case (. r s) [a: (case t [x: 1] [else: 2])] [else: 3])");
  Front f;
  const char *src = "regel x: geheel = geval s { a, b: 1 anders: 3 }";
  parse_ok(&f, src);
  AstNode *c = decl(&f, 0)->b;
  cr_assert_eq(c->kind, AST_CASE);
  cr_assert_eq(c->list.n, 2u);
  AstNode *arm0 = item(c, 0), *arm1 = item(c, 1);
  cr_assert_eq(arm0->kind, AST_ARM);
  cr_assert_eq(arm0->list.n, 2u);
  cr_assert_eq(item(arm0, 0)->kind, AST_NAME);
  cr_assert_eq(arm1->kind, AST_ARM);
  cr_assert_eq(arm1->list.n, 0u);   /* anders: no labels */
  cr_assert_eq(arm1->a->kind, AST_INT);
  cr_assert_eq(arm1->a->ival, 3);
  /* The case spans from 'geval' to its '}'. */
  cr_assert_eq(c->span.off, off_of(src, "geval"));
  cr_assert_eq(c->span.len, (uint32_t)strlen(src) - off_of(src, "geval"));
  front_free(&f);
}

/* ---- citations ---- */

Test(parse, citations) {
  Front f;
  const char *src =
    "regel x: geheel\n"
    "  bron DB art 12b lid 2 sub a\n"
    "  bron DB art 16 lid 1\n"
    "  bron DB art 7\n"
    "  bron DB\n"
    "  bron ECLI:NL:CRVB:2024:1523\n"
    "  bron \"Memorie van \\\"toelichting\\\"\"\n"
    "  = 1\n";
  parse_ok(&f, src);
  AstNode *r = decl(&f, 0);
  cr_assert_eq(r->list.n, 6u);
  AstNode *c0 = item(r, 0);
  cr_assert_eq(c0->kind, AST_CITE);
  cr_assert_str_eq(c0->name, "DB");
  cr_assert_eq(c0->ival, TK_IDENT);
  cr_assert_str_eq(c0->str, "art 12b lid 2 sub a");
  cr_assert_eq(c0->span.off, off_of(src, "bron DB art 12b"));
  cr_assert_eq(c0->span.len, (uint32_t)strlen("bron DB art 12b lid 2 sub a"));
  cr_assert_eq(c0->nspan.off, off_of(src, "DB art 12b"));
  cr_assert_str_eq(item(r, 1)->str, "art 16 lid 1");
  cr_assert_str_eq(item(r, 2)->str, "art 7");
  cr_assert_str_eq(item(r, 3)->name, "DB");
  cr_assert_str_eq(item(r, 3)->str, "");
  AstNode *ecli = item(r, 4);
  cr_assert_eq(ecli->ival, TK_ECLI);
  cr_assert_str_eq(ecli->name, "ECLI:NL:CRVB:2024:1523");
  cr_assert_str_eq(ecli->str, "");
  AstNode *txt = item(r, 5);
  cr_assert_eq(txt->ival, TK_STRING);
  cr_assert_str_eq(txt->name, "Memorie van \"toelichting\"");   /* quotes removed, escapes decoded */
  front_free(&f);
}

/* ---- English ---- */

/* Same shape: kinds, operators, literal values and list lengths, recursively. */
static void same_shape(const AstNode *a, const AstNode *b, const char *where) {
  if (!a || !b) {
    cr_assert(a == b, "%s: one side missing", where);
    return;
  }
  cr_assert_eq(a->kind, b->kind, "%s: %s vs %s", where, ast_kind_name(a->kind), ast_kind_name(b->kind));
  cr_assert_eq(a->op, b->op, "%s: operator differs in %s", where, ast_kind_name(a->kind));
  /* An aggregate's ival is its variable's byte offset, which moves with the keywords' lengths. */
  if (a->kind != AST_AGG) cr_assert_eq(a->ival, b->ival, "%s: value differs in %s", where, ast_kind_name(a->kind));
  cr_assert_eq(a->list.n, b->list.n, "%s: list length differs in %s", where, ast_kind_name(a->kind));
  same_shape(a->a, b->a, where);
  same_shape(a->b, b->b, where);
  same_shape(a->c, b->c, where);
  for (uint32_t i = 0; i < a->list.n; i++) same_shape(a->list.items[i], b->list.items[i], where);
}

Test(parse, english_file_gives_the_same_tree) {
  const char *nl =
    "taal nl\n"
    "bron DB = \"titel\", BWBR0033471\n"
    "keuze S { a, b }\n"
    "gegevens L { v: geld }\n"
    "invoer D sleutel id { id: tekst  s: S  l: lijst L }\n"
    "regel x: geld bron DB art 1 lid 2 sub c = afgerond(som(r.v voor elke r in l waarbij r.v > \xE2\x82\xAC 0) / 3, op: cent, methode: rekenkundig)\n"
    "regel y: waarheid = als niet waar en onwaar of x = x dan elk(r.v > x voor elke r in l) anders enig(r.v <> x voor elke r in l)\n"
    "regel z: geheel = aantal(elke r in l waarbij r.v >= x) + geval s { a: 1 anders: 2 }\n"
    "uitvoer { id, x, y, z }\n";
  const char *en =
    "language en\n"
    "source DB = \"titel\", BWBR0033471\n"
    "choice S { a, b }\n"
    "record L { v: money }\n"
    "input D key id { id: text  s: S  l: list L }\n"
    "rule x: money source DB art 1 para 2 sub c = rounded(sum(r.v for each r in l where r.v > \xE2\x82\xAC 0) / 3, to: cent, method: half_away_from_zero)\n"
    "rule y: bool = if not true and false or x = x then all(r.v > x for each r in l) else any(r.v <> x for each r in l)\n"
    "rule z: integer = count(each r in l where r.v >= x) + case s { a: 1 else: 2 }\n"
    "output { id, x, y, z }\n";
  Front fn, fe;
  parse_ok(&fn, nl);
  parse_ok(&fe, en);
  cr_assert_eq(fn.langs[0], LANG_NL);
  cr_assert_eq(fe.langs[0], LANG_EN);
  cr_assert_eq(fn.ast.decls.n, 8u);
  cr_assert_eq(fe.ast.decls.n, 8u);
  for (uint32_t i = 0; i < 8; i++) {
    char where[32];
    snprintf(where, sizeof where, "declaration %u", i);
    same_shape(decl(&fn, i), decl(&fe, i), where);
  }
  /* User names are the same; built-in words are in their own language. */
  cr_assert_eq(decl(&fe, 4)->kind, AST_RULE_DECL);
  cr_assert_str_eq(decl(&fe, 4)->name, "x");
  cr_assert_str_eq(decl(&fe, 4)->a->name, "money");
  /* The citation text is normalised to the Dutch form of the law ('para' is stored as 'lid'). */
  cr_assert_str_eq(item(decl(&fe, 4), 0)->str, "art 1 lid 2 sub c");
  Buf bn = {.n = 0}, be = {.n = 0};
  bn.s[0] = be.s[0] = 0;
  for (uint32_t i = 4; i < 7; i++) {
    sx(&bn, decl(&fn, i)->b);
    put(&bn, "\n");
    sx(&be, decl(&fe, i)->b);
    put(&be, "\n");
  }
  cr_assert_str_eq(bn.s,
                   "(call afgerond (/ (agg som r l (. r v) (> (. r v) c0)) 3) op=cent methode=rekenkundig)\n"
                   "(if (or (and (not true) false) (= x x)) (agg elk r l (> (. r v) x) _) (agg enig r l (<> (. r v) x) _))\n"
                   "(+ (agg aantal r l _ (>= (. r v) x)) (case s [a: 1] [else: 2]))\n");
  cr_assert_str_eq(be.s,
                   "(call rounded (/ (agg sum r l (. r v) (> (. r v) c0)) 3) to=cent method=half_away_from_zero)\n"
                   "(if (or (and (not true) false) (= x x)) (agg all r l (> (. r v) x) _) (agg any r l (<> (. r v) x) _))\n"
                   "(+ (agg count r l _ (>= (. r v) x)) (case s [a: 1] [else: 2]))\n");
  front_free(&fn);
  front_free(&fe);
}

Test(parse, dutch_keywords_are_names_in_an_english_file) {
  Front f;
  /* 'regel' is not a keyword in English: the file does not start a rule there. */
  parse_src(&f, "language en\nregel x: integer = 1\n");
  cr_assert_eq(count_code(&f, "E002"), 1);
  cr_assert_eq(f.diags.items[0].span.off, 12u);
  cr_assert_eq(f.diags.items[0].span.len, 5u);
  front_free(&f);
}

/* ---- literal values ---- */

Test(parse, literal_values) {
  /* Money in cents: € 19.196,37 = 1919637; € 5 = 500; EUR 73.55 = 7355; EUR 73.5 = 7350;
  ** € 1.234 (thousands dot) = 123400; € 0,05 = 5; EUR 1.234.567,89 = 123456789. */
  expr_is("\xE2\x82\xAC 19.196,37", "c1919637");
  expr_is("\xE2\x82\xAC 5", "c500");
  expr_is("EUR 73.55", "c7355");
  expr_is("EUR 73.5", "c7350");
  expr_is("\xE2\x82\xAC 1.234", "c123400");
  expr_is("\xE2\x82\xAC 0,05", "c5");
  expr_is("EUR 1.234.567,89", "c123456789");
  expr_is("\xE2\x82\xAC" "5", "c500");
  /* Dates as days since 1970-01-01:
  **   1970-01-01 = 0, 1969-12-31 = -1;
  **   2024-01-01 = 54*365 + 13 leap days (1972..2020) = 19723, so 2024-01-31 = 19753;
  **   2000-01-01 = 30*365 + 7 (1972..1996) = 10957, 2000-03-01 = 10957 + 31 + 29 (2000 is leap) = 11017;
  **   1900-01-01 = -(70*365 + 17 leap days 1904..1968) = -25567, 1900-03-01 = -25567 + 31 + 28 = -25508
  **   (1900 is not a leap year). */
  expr_is("1970-01-01", "d0");
  expr_is("1969-12-31", "d-1");
  expr_is("2024-01-31", "d19753");
  expr_is("2000-03-01", "d11017");
  expr_is("1900-03-01", "d-25508");
  /* Exact decimals, reduced: 70% = 70/100 = 7/10; 12.5% = 125/1000 = 1/8; 0.7 = 7/10; 1.50 = 3/2. */
  expr_is("70%", "7/10");
  expr_is("12.5%", "1/8");
  expr_is("0.7", "7/10");
  expr_is("1.50", "3/2");
  expr_is("100%", "1/1");
  /* 108/100 is a division, not a literal. */
  expr_is("108/100", "(/ 108 100)");
  expr_is("261", "261");
  expr_is("9223372036854775807", "9223372036854775807");
  expr_is("waar", "true");
  expr_is("onwaar", "false");
  /* Strings: quotes removed, \" \\ \n decoded. */
  expr_is("\"a\\\"b\\\\c\\nd\"", "\"a\"b\\c\nd\"");
  expr_is("\"\"", "\"\"");
}

Test(parse, literal_kinds) {
  Front f;
  parse_ok(&f, "regel x: getal = 70%\nregel y: geld = \xE2\x82\xAC 5\nregel z: datum = 2024-01-31\n");
  AstNode *p = decl(&f, 0)->b, *m = decl(&f, 1)->b, *d = decl(&f, 2)->b;
  cr_assert_eq(p->kind, AST_DEC);
  cr_assert_eq(p->dval.num, 7);
  cr_assert_eq(p->dval.den, 10);
  cr_assert_eq(m->kind, AST_MONEY);
  cr_assert_eq(m->ival, 500);
  cr_assert_eq(d->kind, AST_DATE);
  cr_assert_eq(d->ival, 19753);
  front_free(&f);
}

Test(parse, bad_literals_have_their_own_errors) {
  Front f;
  /* 2^63 does not fit (E003); 2023-02-29 does not exist (E004). */
  const char *src = "regel x: geheel = 9223372036854775808\nregel y: datum = 2023-02-29\n";
  parse_src(&f, src);
  cr_assert_eq(count_code(&f, "E003"), 1);
  cr_assert_eq(count_code(&f, "E004"), 1);
  cr_assert_eq(f.diags.nerrors, 2);
  for (size_t i = 0; i < f.diags.n; i++) {
    const Diag *dg = &f.diags.items[i];
    if (strcmp(dg->code, "E003") == 0) {
      cr_assert_eq(dg->span.off, off_of(src, "9223372036854775808"));
      cr_assert_eq(dg->span.len, 19u);
    } else {
      cr_assert_eq(dg->span.off, off_of(src, "2023-02-29"));
      cr_assert_eq(dg->span.len, 10u);
      cr_assert(strstr(dg->msg, "2023-02-29") != NULL, "%s", dg->msg);
    }
  }
  front_free(&f);
}

/* ---- syntax errors ---- */

Test(parse, syntax_error_at_the_unexpected_token) {
  Front f;
  const char *src = "regel a geld = 1\n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.n, 1u);
  const Diag *dg = &f.diags.items[0];
  cr_assert_eq(dg->level, DIAG_ERROR);
  cr_assert_str_eq(dg->code, "E002");
  cr_assert_eq(dg->span.file, 0u);
  cr_assert_eq(dg->span.off, 8u);    /* 'geld', where ':' was expected */
  cr_assert_eq(dg->span.len, 4u);
  cr_assert_str_eq(dg->msg, "unexpected name 'geld'");
  cr_assert_not_null(dg->notes);
  cr_assert(strstr(dg->notes, "':'") != NULL, "%s", dg->notes);
  front_free(&f);
}

Test(parse, syntax_error_at_end_of_file) {
  Front f;
  const char *src = "regel a: geld = \xE2\x82\xAC 1 +\n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.n, 1u);
  const Diag *dg = &f.diags.items[0];
  cr_assert_str_eq(dg->code, "E002");
  cr_assert_eq(dg->span.off, (uint32_t)strlen(src));
  cr_assert_eq(dg->span.len, 0u);
  cr_assert_str_eq(dg->msg, "unexpected end of file");
  cr_assert_not_null(dg->notes);
  cr_assert(strstr(dg->notes, "expected a value") != NULL, "%s", dg->notes);
  front_free(&f);
}

Test(parse, illegal_character_is_e001) {
  Front f;
  const char *src = "regel a: geheel = 1 # 2\n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.n, 1u);
  cr_assert_str_eq(f.diags.items[0].code, "E001");
  cr_assert_eq(f.diags.items[0].span.off, 20u);
  cr_assert_eq(f.diags.items[0].span.len, 1u);
  front_free(&f);
}

Test(parse, english_keyword_in_dutch_file_gets_a_note) {
  Front f;
  parse_src(&f, "rule a: geheel = 1\n");
  cr_assert_eq(f.diags.n, 1u);
  cr_assert_str_eq(f.diags.items[0].code, "E002");
  cr_assert_eq(f.diags.items[0].span.off, 0u);
  cr_assert_eq(f.diags.items[0].span.len, 4u);
  cr_assert_not_null(f.diags.items[0].notes);
  cr_assert(strstr(f.diags.items[0].notes, "language en") != NULL, "%s", f.diags.items[0].notes);
  front_free(&f);
}

Test(parse, resynchronises_at_the_next_declaration) {
  Front f;
  /* Error 1: an amount where '=' belongs. Declaration b is fine. Error 2: end of file inside '('. */
  const char *src =
    "regel a: geld \xE2\x82\xAC 1\n"
    "regel b: geld = \xE2\x82\xAC 2\n"
    "regel c: geld = (\xE2\x82\xAC 3\n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 2);
  cr_assert_eq(count_code(&f, "E002"), 2);
  const Diag *d1 = &f.diags.items[0], *d2 = &f.diags.items[1];
  cr_assert_eq(d1->span.off, 14u);   /* "regel a: geld " is 14 bytes */
  cr_assert_eq(d1->span.len, 5u);    /* "€ 1" */
  cr_assert_eq(d2->span.off, (uint32_t)strlen(src));
  cr_assert_eq(d2->span.len, 0u);
  /* The good declaration in between was parsed. */
  cr_assert_eq(f.ast.decls.n, 1u);
  cr_assert_str_eq(decl(&f, 0)->name, "b");
  front_free(&f);
}

Test(parse, resync_after_illegal_character) {
  Front f;
  const char *src =
    "regel a: geheel = 1 # 2\n"
    "keuze S { x, y }\n"
    "regel c: geheel = ) \n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 2);
  cr_assert_str_eq(f.diags.items[0].code, "E001");
  cr_assert_str_eq(f.diags.items[1].code, "E002");
  cr_assert_eq(f.diags.items[1].span.off, off_of(src, ") "));
  /* 'regel a: geheel = 1' was complete before the '#': it is kept. */
  cr_assert_eq(f.ast.decls.n, 2u);
  cr_assert_eq(decl(&f, 0)->kind, AST_RULE_DECL);
  cr_assert_str_eq(decl(&f, 0)->name, "a");
  cr_assert_eq(decl(&f, 1)->kind, AST_ENUM_DECL);
  front_free(&f);
}

Test(parse, resync_when_the_next_declaration_is_the_unexpected_token) {
  Front f;
  /* Each rule is cut short by the next 'regel': every one of them must be reported. */
  const char *src =
    "regel a: geld =\n"
    "regel b: geld = \xE2\x82\xAC 1 +\n"
    "regel c: geld = \xE2\x82\xAC 2\n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 2);
  cr_assert_eq(f.diags.items[0].span.off, off_of(src, "regel b"));
  cr_assert_eq(f.diags.items[1].span.off, off_of(src, "regel c"));
  cr_assert_eq(f.ast.decls.n, 1u);
  cr_assert_str_eq(decl(&f, 0)->name, "c");
  front_free(&f);
}

Test(parse, citation_bron_is_not_a_resync_point) {
  Front f;
  /* 'bron' indented inside the broken rule is a citation: skipping goes on to 'regel b'. */
  const char *src =
    "regel a: geld )\n"
    "  bron DB art 1 = \xE2\x82\xAC 1\n"
    "regel b: geld = \xE2\x82\xAC 2\n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 1);
  cr_assert_eq(f.diags.items[0].span.off, 14u);
  cr_assert_eq(f.ast.decls.n, 1u);
  cr_assert_str_eq(decl(&f, 0)->name, "b");
  front_free(&f);
  /* At the start of a line 'bron' declares a source, so parsing resumes there. */
  const char *src2 =
    "regel a: geld )\n"
    "bron DB = \"titel\"\n"
    "regel b: geld = \xE2\x82\xAC 2\n";
  parse_src(&f, src2);
  cr_assert_eq(f.diags.nerrors, 1);
  cr_assert_eq(f.ast.decls.n, 2u);
  cr_assert_eq(decl(&f, 0)->kind, AST_SOURCE_DECL);
  cr_assert_str_eq(decl(&f, 1)->name, "b");
  front_free(&f);
}

Test(parse, unknown_language_is_e006) {
  Front f;
  parse_src(&f, "taal fr\nregel a: geheel = 1\n");
  cr_assert_eq(count_code(&f, "E006"), 1);
  cr_assert_eq(f.diags.items[0].span.off, 5u);
  cr_assert_eq(f.diags.items[0].span.len, 2u);
  front_free(&f);
}

Test(parse, module_name_parts_may_be_keywords) {
  Front f;
  /* 'invoer' is a keyword, but in a module name it is just a part of the name. */
  const char *src = "module wia.invoer\nkeuze K { x }\n";
  parse_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 0);
  cr_assert_eq(f.ast.decls.n, 2u);
  cr_assert_str_eq(decl(&f, 0)->name, "wia.invoer");
  front_free(&f);
}
