/*
** test_check.c: the checker (lang/check.c) through
** front_compile_text(..., FRONT_CHECK): every row of the money typing
** table in docs/LANGUAGE.md (accepted: the type the checker writes into
** the rule's value node; rejected: the diagnostic code, and no follow-on
** error), name resolution (rule, input field, aggregation variable, enum
** member; shadowing by an aggregation variable; use before declaration),
** 'geval' exhaustiveness (E023) and the W002 warning, cycles (E017),
** no cascades after an error, and duplicate names (E010).
*/
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "lang/ast.h"
#include "lang/front.h"

/* ---- helpers ---- */

static void check_src(Front *f, const char *src) {
  front_init(f);
  Chunk *c = front_compile_text(f, "t.rules", src, strlen(src), FRONT_CHECK);
  cr_assert_null(c, "FRONT_CHECK never returns a chunk");
}

static void check_ok(Front *f, const char *src) {
  check_src(f, src);
  if (f->diags.n) diag_render(&f->diags, stderr);
  cr_assert_eq(f->diags.n, 0, "unexpected diagnostics for:\n%s", src);
}

static AstNode *rule(Front *f, const char *name) {
  for (uint32_t i = 0; i < f->ast.decls.n; i++) {
    AstNode *d = f->ast.decls.items[i];
    if (d->kind == AST_RULE_DECL && strcmp(d->name, name) == 0) return d;
  }
  cr_assert_fail("no rule '%s'", name);
  return NULL;
}

static int count_code(const Front *f, const char *code) {
  int n = 0;
  for (size_t i = 0; i < f->diags.n; i++)
    if (strcmp(f->diags.items[i].code, code) == 0) n++;
  return n;
}

static const Diag *find_code(const Front *f, const char *code) {
  for (size_t i = 0; i < f->diags.n; i++)
    if (strcmp(f->diags.items[i].code, code) == 0) return &f->diags.items[i];
  cr_assert_fail("no diagnostic %s", code);
  return NULL;
}

static uint32_t off_of(const char *src, const char *needle) {
  const char *p = strstr(src, needle);
  cr_assert_not_null(p, "'%s' not in source", needle);
  return (uint32_t)(p - src);
}

/* The input all typing tests use: two amounts, a whole number, an exact number, a date, a text. */
#define PRELUDE "invoer D { m: geld  n: geld  i: geheel  j: geheel  g: getal  t: datum  s: tekst }\n"

/* "regel x: <decl> = <expr>" is accepted, and the value's static type is `kind`. */
static void accepts(const char *decl_type, const char *expr, uint8_t kind) {
  char src[512];
  snprintf(src, sizeof src, PRELUDE "regel x: %s = %s\n", decl_type, expr);
  Front f;
  check_ok(&f, src);
  AstNode *r = rule(&f, "x");
  cr_assert_eq(r->b->type.kind, kind, "%s: type %d, expected %d", expr, r->b->type.kind, kind);
  front_free(&f);
}

/* "regel x: <decl> = <expr>" gives exactly one error, `code`, and the value is marked TY_ERROR. */
static void rejects(const char *decl_type, const char *expr, const char *code) {
  char src[512];
  snprintf(src, sizeof src, PRELUDE "regel x: %s = %s\n", decl_type, expr);
  Front f;
  check_src(&f, src);
  if (f.diags.nerrors != 1 || count_code(&f, code) != 1) diag_render(&f.diags, stderr);
  cr_assert_eq(f.diags.nerrors, 1, "%s: %d errors, expected one %s", expr, f.diags.nerrors, code);
  cr_assert_eq(count_code(&f, code), 1, "%s: expected %s", expr, code);
  front_free(&f);
}

/* ---- the money typing table (LANGUAGE.md) ---- */

Test(check, money_plus_minus_money_is_money) {
  accepts("geld", "m + n", VK_MONEY);
  accepts("geld", "m - n", VK_MONEY);
  accepts("geld", "m + \xE2\x82\xAC 1,00 - n", VK_MONEY);
  accepts("geld", "-m", VK_MONEY);
}

Test(check, money_times_integer_is_money) {
  accepts("geld", "m * i", VK_MONEY);
  accepts("geld", "i * m", VK_MONEY);   /* either order */
  accepts("geld", "m * 2", VK_MONEY);
}

Test(check, money_times_number_is_number) {
  accepts("getal", "m * g", VK_DEC);
  accepts("getal", "g * m", VK_DEC);
  accepts("getal", "m * 70%", VK_DEC);
}

Test(check, money_divided_is_number) {
  accepts("getal", "m / i", VK_DEC);
  accepts("getal", "m / g", VK_DEC);
  accepts("getal", "m / n", VK_DEC);
  accepts("getal", "m / 261", VK_DEC);
}

Test(check, integer_divided_by_integer_is_number) {
  accepts("getal", "i / j", VK_DEC);
  accepts("getal", "1 / 3", VK_DEC);
  /* ... while + - * of two integers stay integers, and a getal anywhere makes a getal. */
  accepts("geheel", "i * j + 1", VK_INT);
  accepts("getal", "i + g", VK_DEC);
  /* A getal rule may hold a geheel value (widened). */
  accepts("getal", "i", VK_INT);
}

Test(check, rounding_makes_money) {
  accepts("geld", "afgerond(m * g, op: cent, methode: rekenkundig)", VK_MONEY);
  accepts("geld", "afgerond(m / 261, op: euro, methode: naar_beneden)", VK_MONEY);
  accepts("geld", "afgerond(i / j, op: \xE2\x82\xAC 2,61, methode: weg_van_nul)", VK_MONEY);
}

Test(check, money_times_money_is_e015) {
  rejects("geld", "m * n", "E015");
  rejects("getal", "m * n", "E015");
  Front f;
  const char *src = PRELUDE "regel x: geld = \xE2\x82\xAC 1 + m * n\n";
  check_src(&f, src);
  const Diag *d = find_code(&f, "E015");
  cr_assert_eq(d->span.off, off_of(src, "m * n"));   /* the product, not the whole sum */
  cr_assert_eq(d->span.len, 5u);
  /* The error node is marked, and so is the sum around it. */
  AstNode *sum = rule(&f, "x")->b;
  cr_assert_eq(sum->type.kind, TY_ERROR);
  cr_assert_eq(sum->b->type.kind, TY_ERROR);
  cr_assert_eq(f.diags.nerrors, 1);
  front_free(&f);
}

Test(check, money_plus_integer_is_e041) {
  rejects("geld", "m + i", "E041");   /* a geheel does not say euros or cents */
  rejects("geld", "i - m", "E041");
  rejects("geld", "m + 5", "E041");
  Front f;
  check_src(&f, PRELUDE "regel x: geld = m + i\n");
  const Diag *d = find_code(&f, "E041");
  cr_assert_not_null(d->notes);
  cr_assert(strstr(d->notes, "euros or cents") != NULL, "%s", d->notes);
  front_free(&f);
}

Test(check, money_plus_decimal_is_an_exact_getal_that_must_be_rounded) {
  accepts("getal", "m + g", VK_DEC);
  accepts("getal", "g - m", VK_DEC);
  /* ... and a geld rule still refuses it unrounded (E016), pointing at afgerond */
  rejects("geld", "m + 0.5", "E016");
  Front f;
  check_src(&f, PRELUDE "regel x: geld = m + g\n");
  const Diag *d = find_code(&f, "E016");
  cr_assert_not_null(d->notes);
  cr_assert(strstr(d->notes, "afgerond") != NULL, "%s", d->notes);
  front_free(&f);
}

Test(check, dividing_by_money_is_e042) {
  rejects("getal", "g / m", "E042");
  rejects("getal", "i / m", "E042");
  rejects("getal", "2 / m", "E042");
}

Test(check, money_rule_with_unrounded_number_is_e016) {
  rejects("geld", "m * g", "E016");
  rejects("geld", "m / 261", "E016");
  rejects("geld", "m / n", "E016");
  Front f;
  const char *src = PRELUDE "regel x: geld = m / 261\n";
  check_src(&f, src);
  const Diag *d = find_code(&f, "E016");
  cr_assert_eq(d->span.off, off_of(src, "m / 261"));   /* points at the value that needs rounding */
  cr_assert_eq(d->span.len, 7u);
  cr_assert_not_null(d->notes);
  cr_assert(strstr(d->notes, "afgerond(") != NULL, "%s", d->notes);
  front_free(&f);
}

Test(check, other_declared_type_mismatches_are_e016) {
  rejects("geheel", "g", "E016");        /* a getal does not narrow to geheel */
  rejects("geheel", "m", "E016");
  rejects("datum", "i", "E016");
  rejects("waarheid", "s", "E016");
}

/* geld widens exactly to getal (in euros), as geld + getal does; the other way needs afgerond. */
Test(check, geld_widens_to_getal) {
  accepts("getal", "m", VK_MONEY);
  accepts("getal", "als waar dan m anders g", VK_DEC);
  accepts("getal", "als waar dan g anders m", VK_DEC);
  accepts("getal", "min(m, g)", VK_DEC);
  rejects("geld", "als waar dan m anders g", "E016");
}

Test(check, rounding_misuse) {
  rejects("geld", "afgerond(m, op: cent, methode: rekenkundig)", "E027");   /* already geld */
  rejects("geld", "afgerond(g, op: cent)", "E026");                         /* no method */
  rejects("geld", "afgerond(g, op: cent, methode: ongeveer)", "E027");
  rejects("geld", "afgerond(g, op: meter, methode: rekenkundig)", "E028");
}

Test(check, comparisons) {
  accepts("waarheid", "m > n", VK_BOOL);
  accepts("waarheid", "i <= g", VK_BOOL);
  accepts("waarheid", "t >= 2024-01-01", VK_BOOL);
  accepts("waarheid", "s = \"x\"", VK_BOOL);
  rejects("waarheid", "m > g", "E038");    /* geld with getal: round first */
  rejects("waarheid", "s < \"x\"", "E038");
  rejects("waarheid", "m = t", "E038");
}

/* ---- name resolution ---- */

static const char *const names_src =
  "keuze Sector { bouw, zorg }\n"
  "gegevens L { v: geld  sector: Sector }\n"
  "invoer D { id: tekst  loon: lijst L  sector: Sector  bedrag: geld }\n"
  "regel r1: geld = bedrag\n"
  "regel r2: geld = r1 + r3\n"
  "regel r3: geld = \xE2\x82\xAC 1\n"
  "regel r4: waarheid = sector = bouw\n"
  "regel r5: geld = som(r.v voor elke r in loon)\n"
  "regel r6: geld = som(r1.v voor elke r1 in loon)\n"
  "regel r7: waarheid = Sector.zorg = sector\n"
  "regel r8: geld = som(loon.v voor elke loon in loon)\n"
  "regel r9: geheel = aantal(elke r in loon waarbij enig(r.v > \xE2\x82\xAC 0 voor elke r in loon) en r.sector = zorg)\n";

Test(check, names_resolve_to_input_fields_rules_and_members) {
  Front f;
  check_ok(&f, names_src);
  AstNode *n = rule(&f, "r1")->b;
  cr_assert_eq(n->kind, AST_NAME);
  cr_assert_eq(n->refkind, REF_INPUT);
  cr_assert_eq(n->ref, 3);                 /* bedrag is the 4th field */
  cr_assert_eq(n->type.kind, VK_MONEY);

  AstNode *sum = rule(&f, "r2")->b;
  cr_assert_eq(sum->a->refkind, REF_RULE);
  cr_assert_eq(sum->a->ref, 0);            /* r1 */
  cr_assert_eq(sum->b->refkind, REF_RULE); /* r3, declared after r2: fine */
  cr_assert_eq(sum->b->ref, 2);

  AstNode *eq = rule(&f, "r4")->b;
  cr_assert_eq(eq->a->refkind, REF_INPUT);
  cr_assert_eq(eq->a->ref, 2);
  cr_assert_eq(eq->b->refkind, REF_ENUM_MEMBER);
  cr_assert_eq(eq->b->ref, 0);             /* bouw */
  cr_assert_eq(eq->b->type.kind, VK_ENUM);
  cr_assert_eq(eq->b->type.ref, 0);        /* Sector */

  AstNode *q = rule(&f, "r7")->b->a;       /* Sector.zorg */
  cr_assert_eq(q->kind, AST_MEMBER);
  cr_assert_eq(q->refkind, REF_ENUM_MEMBER);
  cr_assert_eq(q->ref, 1);
  front_free(&f);
}

Test(check, aggregation_variables) {
  Front f;
  check_ok(&f, names_src);
  AstNode *agg = rule(&f, "r5")->b;
  cr_assert_eq(agg->kind, AST_AGG);
  cr_assert_eq(agg->a->refkind, REF_INPUT);   /* loon */
  cr_assert_eq(agg->a->type.kind, VK_LIST);
  AstNode *mem = agg->b;                      /* r.v */
  cr_assert_eq(mem->refkind, REF_FIELD);
  cr_assert_eq(mem->ref, 0);
  cr_assert_eq(mem->a->refkind, REF_LOCAL);
  cr_assert_eq(mem->a->bind, agg);
  cr_assert_eq(mem->a->type.kind, VK_RECORD);
  cr_assert_eq(agg->type.kind, VK_MONEY);
  front_free(&f);
}

Test(check, aggregation_variable_shadows_rule_and_input_field) {
  Front f;
  check_ok(&f, names_src);
  /* r6: 'r1' inside is the variable, not the rule r1 (which is geld and has no fields). */
  AstNode *agg = rule(&f, "r6")->b;
  cr_assert_eq(agg->b->a->refkind, REF_LOCAL);
  cr_assert_eq(agg->b->a->bind, agg);
  /* r8: the list after 'in' is read before the variable exists (the input field); inside, 'loon' is the variable. */
  AstNode *agg8 = rule(&f, "r8")->b;
  cr_assert_eq(agg8->a->refkind, REF_INPUT);
  cr_assert_eq(agg8->b->a->refkind, REF_LOCAL);
  cr_assert_eq(agg8->b->a->bind, agg8);
  /* r9: the inner 'r' binds to the inner aggregate, the outer one (after 'en') to the outer. */
  AstNode *outer = rule(&f, "r9")->b;
  AstNode *cond = outer->c;                  /* enig(...) en r.sector = zorg */
  AstNode *inner = cond->a;
  cr_assert_eq(inner->kind, AST_AGG);
  cr_assert_eq(inner->b->a->a->bind, inner); /* r.v > € 0: r of enig */
  cr_assert_eq(cond->b->a->a->bind, outer);  /* r.sector: r of aantal */
  cr_assert_eq(cond->b->b->refkind, REF_ENUM_MEMBER);
  front_free(&f);
}

Test(check, aggregation_variable_does_not_leak) {
  Front f;
  const char *src =
    "gegevens L { v: geld }\n"
    "invoer D { loon: lijst L }\n"
    "regel x: geld = som(r.v voor elke r in loon) + r.v\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 1);
  const Diag *d = find_code(&f, "E012");
  cr_assert_eq(d->span.off, off_of(src, "r.v\n"));
  cr_assert_eq(d->span.len, 1u);
  front_free(&f);
}

Test(check, resolution_order_input_field_before_enum_member) {
  Front f;
  check_ok(&f,
           "keuze K { a, b }\n"
           "invoer D { a: geheel }\n"
           "regel x: geheel = a + 1\n");
  cr_assert_eq(rule(&f, "x")->b->a->refkind, REF_INPUT);
  front_free(&f);
}

Test(check, member_shared_by_two_enums_is_e040_unless_qualified) {
  Front f;
  const char *src =
    "keuze A { x, y }\n"
    "keuze B { y, z }\n"
    "invoer D { a: A  b: B }\n"
    "regel p: waarheid = a = y\n"
    "regel q: waarheid = b = B.y\n"
    "regel r: waarheid = a = x\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 1);
  const Diag *d = find_code(&f, "E040");
  cr_assert_eq(d->span.off, off_of(src, "y\nregel q"));
  AstNode *q = rule(&f, "q")->b->b;
  cr_assert_eq(q->refkind, REF_ENUM_MEMBER);
  cr_assert_eq(q->ref, 0);          /* y is B's first choice */
  cr_assert_eq(q->type.ref, 1);     /* B */
  front_free(&f);
}

Test(check, unknown_names_suggest) {
  Front f;
  const char *src = "invoer D { sv_loon: geld }\nregel x: geld = sv_lon\n";
  check_src(&f, src);
  const Diag *d = find_code(&f, "E012");
  cr_assert_eq(d->span.off, off_of(src, "sv_lon\n"));
  cr_assert_eq(d->span.len, 6u);
  cr_assert_not_null(d->notes);
  cr_assert(strstr(d->notes, "'sv_loon'") != NULL, "%s", d->notes);
  front_free(&f);
}

/* ---- geval ---- */

#define CASE_PRELUDE "keuze S { bouw, zorg, overig }\ninvoer D { s: S }\n"

Test(check, case_must_cover_every_choice) {
  Front f;
  const char *src = CASE_PRELUDE "regel x: geheel = geval s { bouw: 1 }\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 1);
  const Diag *d = find_code(&f, "E023");
  cr_assert_eq(d->span.off, off_of(src, "geval"));
  cr_assert_eq(d->span.len, 5u);
  cr_assert(strstr(d->msg, "'zorg', 'overig'") != NULL, "%s", d->msg);
  front_free(&f);
}

Test(check, case_covered_by_arms_or_by_anders) {
  Front f;
  check_ok(&f, CASE_PRELUDE "regel x: geheel = geval s { bouw, zorg: 1  overig: 2 }\n");
  cr_assert_eq(rule(&f, "x")->b->type.kind, VK_INT);
  front_free(&f);
  check_ok(&f, CASE_PRELUDE "regel x: getal = geval s { bouw: 1  anders: 0.5 }\n");
  cr_assert_eq(rule(&f, "x")->b->type.kind, VK_DEC);   /* geheel and getal arms unify to getal */
  front_free(&f);
}

Test(check, unused_anders_is_w002) {
  Front f;
  const char *src = CASE_PRELUDE "regel x: geheel = geval s { bouw: 1  zorg: 2  overig: 3  anders: 4 }\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 0);
  cr_assert_eq(f.diags.nwarnings, 1);
  cr_assert_eq(f.diags.n, 1u);
  cr_assert_str_eq(f.diags.items[0].code, "W002");
  cr_assert_eq(f.diags.items[0].level, DIAG_WARNING);
  front_free(&f);
}

Test(check, case_label_errors) {
  Front f;
  check_src(&f, CASE_PRELUDE "regel x: geheel = geval s { bouw: 1  bouw: 2  anders: 3 }\n");
  cr_assert_eq(count_code(&f, "E022"), 1);
  cr_assert_eq(f.diags.nerrors, 1);
  front_free(&f);
  check_src(&f, CASE_PRELUDE "regel x: geheel = geval s { bouwen: 1  anders: 3 }\n");
  cr_assert_eq(count_code(&f, "E021"), 1);
  cr_assert_eq(f.diags.nerrors, 1);   /* no E023 on top */
  front_free(&f);
  check_src(&f, CASE_PRELUDE "regel x: geheel = geval s { anders: 3  bouw: 1 }\n");
  cr_assert_eq(count_code(&f, "E044"), 1);
  front_free(&f);
  check_src(&f, CASE_PRELUDE "regel x: geheel = geval \"a\" { bouw: 1 }\n");
  cr_assert_eq(count_code(&f, "E020"), 1);
  cr_assert_eq(f.diags.nerrors, 1);
  front_free(&f);
  /* over a number the arms are ranges, so choice labels are E069 */
  check_src(&f, CASE_PRELUDE "regel x: geheel = geval 5 { bouw: 1 }\n");
  cr_assert_eq(count_code(&f, "E069"), 1);
  cr_assert_eq(f.diags.nerrors, 1);
  front_free(&f);
  check_src(&f, CASE_PRELUDE "regel x: geheel = geval s { bouw: 1  anders: \"x\" }\n");
  cr_assert_eq(count_code(&f, "E019"), 1);
  front_free(&f);
}

/* ---- cycles ---- */

Test(check, cycle_is_e017_once) {
  Front f;
  const char *src =
    "regel a: geheel = b + 1\n"
    "regel b: geheel = c\n"
    "regel c: geheel = a\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 1);
  const Diag *d = find_code(&f, "E017");
  /* Reported at the reference that closes the cycle: 'a' in rule c. */
  cr_assert_eq(d->span.off, off_of(src, "a\n"));
  cr_assert_eq(d->span.len, 1u);
  cr_assert_not_null(d->notes);
  cr_assert(strstr(d->notes, "a -> b -> c -> a") != NULL, "%s", d->notes);
  front_free(&f);
}

Test(check, self_reference_is_e017) {
  Front f;
  check_src(&f, "regel a: geheel = a * 2\n");
  cr_assert_eq(count_code(&f, "E017"), 1);
  cr_assert_eq(f.diags.nerrors, 1);
  front_free(&f);
}

Test(check, use_before_declaration_and_diamonds_are_fine) {
  Front f;
  /* a needs b and c, both need d, declared last: a DAG, no cycle. */
  check_ok(&f,
           "regel a: geheel = b + c\n"
           "regel b: geheel = d * 2\n"
           "regel c: geheel = d + b\n"
           "regel d: geheel = 1\n");
  cr_assert_eq(rule(&f, "a")->b->a->ref, 1);
  cr_assert_eq(rule(&f, "a")->b->b->ref, 2);
  front_free(&f);
}

/* ---- no cascades ---- */

Test(check, one_unknown_name_gives_one_error) {
  Front f;
  /* x sits inside three arithmetic expressions (+, *, -): only the name is reported. */
  const char *src = "regel a: geheel = (x + 1) * 2 - 3\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.n, 1u);
  cr_assert_str_eq(f.diags.items[0].code, "E012");
  cr_assert_eq(f.diags.items[0].span.off, off_of(src, "x"));
  AstNode *v = rule(&f, "a")->b;
  cr_assert_eq(v->type.kind, TY_ERROR);
  cr_assert_eq(v->a->type.kind, TY_ERROR);
  cr_assert_eq(v->a->a->type.kind, TY_ERROR);
  front_free(&f);
  /* In money arithmetic too: no E015/E041/E016 after the unknown name. */
  check_src(&f, "regel a: geld = (x * \xE2\x82\xAC 2 + 0.5) / 3\n");
  cr_assert_eq(f.diags.n, 1u);
  cr_assert_str_eq(f.diags.items[0].code, "E012");
  front_free(&f);
}

Test(check, rule_with_an_error_does_not_break_its_users) {
  Front f;
  /* a's value is wrong, but a is declared geheel: b, which uses a, is fine. */
  check_src(&f, "regel a: geheel = x + 1\nregel b: geheel = a * 2\n");
  cr_assert_eq(f.diags.nerrors, 1);
  cr_assert_eq(rule(&f, "b")->b->type.kind, VK_INT);
  front_free(&f);
  /* A rule with an unknown type: its users are not checked against a made-up type. */
  check_src(&f, "regel a: gelt = 1\nregel b: geld = a + \xE2\x82\xAC 1\nregel c: geheel = a * 2\n");
  cr_assert_eq(f.diags.nerrors, 1);
  cr_assert_eq(count_code(&f, "E011"), 1);
  front_free(&f);
}

Test(check, aggregation_over_a_non_list_silences_its_variable) {
  Front f;
  const char *src = "invoer D { n: geheel }\nregel a: geheel = som(r.x voor elke r in n waarbij r.y)\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 1);
  cr_assert_eq(count_code(&f, "E029"), 1);
  front_free(&f);
}

/* ---- duplicates ---- */

Test(check, duplicate_rule_is_e010_with_first_position) {
  Front f;
  const char *src = "regel a: geheel = 1\nregel a: geheel = 2\n";
  check_src(&f, src);
  cr_assert_eq(f.diags.nerrors, 1);
  const Diag *d = find_code(&f, "E010");
  cr_assert_eq(d->span.off, 26u);   /* the second name: line 2 starts at 20, name at +6 */
  cr_assert_eq(d->span.len, 1u);
  cr_assert_not_null(d->notes);
  cr_assert(strstr(d->notes, "t.rules:1:7") != NULL, "%s", d->notes);
  front_free(&f);
}

Test(check, other_duplicates_are_e010) {
  static const char *const cases[] = {
    "keuze S { a }\ngegevens S { x: geheel }\n",                        /* two types */
    "gegevens L { x: geheel  x: geld }\n",                               /* two fields */
    "keuze S { a, b, a }\n",                                             /* two choices */
    "invoer D { a: geheel }\nregel a: geheel = 1\n",                     /* rule named like an input field */
    "keuze geld { a }\n",                                                /* a built-in type */
    "bron DB = \"x\"\nbron DB = \"y\"\n",                                /* two sources */
    "invoer D { a: geheel }\ninvoer E { b: geheel }\n",                 /* two inputs */
    "invoer D { a: geheel }\nuitvoer { a }\nuitvoer { a }\n",           /* two outputs */
    "invoer D { a: geheel }\nuitvoer { a, a }\n",                       /* a column twice */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    Front f;
    check_src(&f, cases[i]);
    if (f.diags.nerrors != 1 || count_code(&f, "E010") != 1) diag_render(&f.diags, stderr);
    cr_assert_eq(count_code(&f, "E010"), 1, "case %zu:\n%s", i, cases[i]);
    cr_assert_eq(f.diags.nerrors, 1, "case %zu:\n%s", i, cases[i]);
    front_free(&f);
  }
}

/* ---- citations ---- */

Test(check, citations_resolve_or_e031) {
  Front f;
  check_ok(&f, "bron DB = \"Dagloonbesluit\", BWBR0033471\nregel a: geheel bron DB art 16 lid 1 = 1\n");
  AstNode *cite = rule(&f, "a")->list.items[0];
  cr_assert_eq(cite->ref, 0);
  front_free(&f);
  const char *src = "bron DB = \"x\"\nregel a: geheel bron DBB art 1 = 1\n";
  check_src(&f, src);
  const Diag *d = find_code(&f, "E031");
  cr_assert_eq(d->span.off, off_of(src, "DBB"));
  cr_assert_eq(f.diags.nerrors, 1);
  front_free(&f);
}

Test(check, rules_tree_wants_citations_w001) {
  Front f;
  front_init(&f);
  const char *src = "regel a: geheel = 1\nregel b: geheel bron \"x\" = 2\n";
  front_compile_text(&f, "rules/x.rules", src, strlen(src), FRONT_CHECK);
  cr_assert_eq(f.diags.nerrors, 0);
  cr_assert_eq(count_code(&f, "W001"), 1);   /* only a, which cites nothing */
  cr_assert_eq(find_code(&f, "W001")->span.off, 6u);
  front_free(&f);
  check_ok(&f, src);   /* outside a rules/ tree: no warning */
  front_free(&f);
}
