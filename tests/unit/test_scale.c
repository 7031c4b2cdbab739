/*
** test_scale.c: the front end's work grows linearly with the rule set, and
** repeated messages are capped (issue 14 item 12). Nothing here is timed:
** the work is counted (the name index's probes, the messages kept), so a
** linear scan or one message per pair would fail these on any machine.
*/
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/check.h"
#include "lang/front.h"
#include "lang/nameindex.h"

#define HEADER "taal nl\nmodule t\ninvoer D sleutel id {\n  id: tekst\n  x: geheel\n}\n"

/* A growable text: the generated rule sets are too large for a literal. */
typedef struct GenText { char *s; size_t n, cap; } GenText;
static void put(GenText *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(GenText *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[256];
  int k = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (t->n + (size_t)k + 1 > t->cap) {
    t->cap = (t->n + (size_t)k + 1) * 2;
    t->s = realloc(t->s, t->cap);
  }
  memcpy(t->s + t->n, buf, (size_t)k + 1);
  t->n += (size_t)k;
}

static uint32_t count_code(const Front *f, const char *code) {
  uint32_t k = 0;
  for (size_t i = 0; i < f->diags.n; i++) k += strcmp(f->diags.items[i].code, code) == 0;
  return k;
}

/* 100,000 names: every lookup looks at a few slots, whatever the number of names. */
Test(scale, name_index_probes_stay_constant) {
  NameIndex ix = {0};
  static char names[100000][8];
  for (int i = 0; i < 100000; i++) {
    snprintf(names[i], sizeof names[i], "r%d", i);
    cr_assert_eq(nameidx_add(&ix, names[i], i), -1);
  }
  cr_assert_eq(nameidx_add(&ix, names[42], 7), 42, "a second add returns the first value");
  ix.probes = 0;
  for (int i = 0; i < 100000; i++) cr_assert_eq(nameidx_find(&ix, names[i]), i);
  cr_assert_eq(nameidx_find(&ix, "nergens"), -1);
  cr_assert_lt(ix.probes, 3 * 100000, "%llu probes for 100,000 lookups", (unsigned long long)ix.probes);
  nameidx_free(&ix);
}

/* A chain of 20,000 rules, each using the previous: the checker finds each name through the index. */
Test(scale, checker_looks_up_rules_in_constant_time) {
  enum { N = 20000 };
  GenText t = {0};
  put(&t, HEADER "regel r0: geheel = x + 1\n");
  for (int i = 1; i < N; i++) put(&t, "regel r%d: geheel = r%d + 1\n", i, i - 1);
  put(&t, "uitvoer { id, r%d }\n", N - 1);
  Front f;
  front_init(&f);
  cr_assert_null(front_compile_text(&f, "t.rules", t.s, t.n, FRONT_PARSE));
  cr_assert_eq(f.diags.n, 0);
  Program p;
  cr_assert(chk_program(&p, &f.ast, &f.src, f.langs, NULL, NULL, &f.diags));
  cr_assert_eq(p.nrules, N);
  /* declaring each rule, then its one reference and the output column: about 3 lookups a rule */
  cr_assert_geq(p.rule_ix.probes, 2 * N, "the checker uses the index");
  cr_assert_lt(p.rule_ix.probes, 12 * N, "%llu probes for %d rules", (unsigned long long)p.rule_ix.probes, N);
  chk_free(&p);
  front_free(&f);
  free(t.s);
}

/* 1,000 equal output columns: 999 duplicates, each reported once (not once per earlier column), 10 shown. */
Test(scale, duplicate_columns_are_capped) {
  GenText t = {0};
  put(&t, HEADER "regel r: geheel = x + 1\nuitvoer { id");
  for (int i = 0; i < 1000; i++) put(&t, ",\n  r");
  put(&t, " }\n");
  Front f;
  front_init(&f);
  cr_assert_null(front_compile_text(&f, "t.rules", t.s, t.n, FRONT_CHECK));
  cr_assert_eq(f.diags.nerrors, 999, "every duplicate counts: %d", f.diags.nerrors);
  cr_assert_eq(f.diags.n, DIAG_MAX_PER_CODE, "only %d are kept, not %zu", DIAG_MAX_PER_CODE, f.diags.n);
  cr_assert_eq(count_code(&f, "E010"), DIAG_MAX_PER_CODE);
  cr_assert_eq(f.diags.more[0][10], 999 - DIAG_MAX_PER_CODE);
  front_free(&f);
  free(t.s);
}

/* Three equal columns: two duplicates, each against the first declaration. */
Test(scale, duplicate_reported_once_against_the_first) {
  const char *src = HEADER "regel r: geheel = x + 1\nuitvoer { id, r, r, r }\n";
  Front f;
  front_init(&f);
  cr_assert_null(front_compile_text(&f, "t.rules", src, strlen(src), FRONT_CHECK));
  cr_assert_eq(count_code(&f, "E010"), 2);
  for (size_t i = 0; i < f.diags.n; i++)
    cr_assert(strstr(f.diags.items[i].notes, "t.rules:8:15") != NULL, "%s", f.diags.items[i].notes);
  front_free(&f);
}

/* Many different codes: no more than DIAG_MAX_SHOWN kept in all, the rest counted. */
Test(scale, total_cap_over_codes) {
  Front f;
  front_init(&f);
  Span s = {0, 0, 0};
  static char codes[30][8];   /* a Diag keeps its code's pointer: the codes outlive the list */
  for (int k = 0; k < 30; k++) {
    snprintf(codes[k], sizeof codes[k], "E%03d", 100 + k);
    for (int i = 0; i < 20; i++) diag_error(&f.diags, s, codes[k], "message %d", i);
  }
  cr_assert_eq(f.diags.nerrors, 600);
  cr_assert_eq(f.diags.n, DIAG_MAX_SHOWN);
  Diag *dg = diag_error(&f.diags, s, "E001", "one more");
  cr_assert(dg->dropped);
  diag_note(dg, "a note on a dropped message is ignored");
  cr_assert_null(dg->notes);
  front_free(&f);
}

/* Nesting deeper than the limit is a message, not a stack overflow, in every shape. */
static void expect_too_deep(const char *prefix, const char *unit, const char *middle, const char *close, int n) {
  GenText t = {0};
  put(&t, HEADER "regel r: geheel = %s", prefix);
  for (int i = 0; i < n; i++) put(&t, "%s", unit);
  put(&t, "%s", middle);
  for (int i = 0; close && i < n; i++) put(&t, "%s", close);
  put(&t, "\nuitvoer { id, r }\n");
  Front f;
  front_init(&f);
  cr_assert_null(front_compile_text(&f, "t.rules", t.s, t.n, FRONT_COMPILE));
  cr_assert_eq(count_code(&f, "E002"), 1, "%s x %d: one E002", unit, n);
  front_free(&f);
  free(t.s);
}

Test(scale, nesting_past_the_limit_is_an_error) {
  expect_too_deep("x", " + 1", "", NULL, 100000);         /* a left-nested chain */
  expect_too_deep("", "(", "x", ")", 100000);             /* parentheses */
  expect_too_deep("", "-", "x", NULL, 100000);            /* prefix minus */
  expect_too_deep("", "als x > 0 dan 1 anders ", "2", NULL, 100000);   /* an else-if chain */
}

Test(scale, nesting_up_to_the_limit_compiles) {
  GenText t = {0};
  put(&t, HEADER "regel r: geheel = x");
  for (int i = 0; i < AST_MAX_DEPTH - 2; i++) put(&t, " + 1");
  put(&t, "\nuitvoer { id, r }\n");
  Front f;
  front_init(&f);
  Chunk *c = front_compile_text(&f, "t.rules", t.s, t.n, FRONT_COMPILE);
  if (!c) diag_render(&f.diags, stderr);
  cr_assert_not_null(c);
  chunk_free(c);
  front_free(&f);
  free(t.s);
}

/* More distinct constants than the bytecode can name (65,535): E045 at a rule, never a wrong index. */
Test(scale, constants_past_the_pool_limit_are_an_error) {
  enum { N = 66000 };
  GenText t = {0};
  put(&t, HEADER);
  for (int i = 0; i < N; i++) put(&t, "regel r%d: geheel = x + %d\n", i, 100000 + i);
  put(&t, "uitvoer { id");
  for (int i = 0; i < N; i++) put(&t, ", r%d", i);
  put(&t, " }\n");
  Front f;
  front_init(&f);
  Chunk *c = front_compile_text(&f, "t.rules", t.s, t.n, FRONT_COMPILE);
  cr_assert_null(c, "a rule set past the constant pool's limit is not compiled");
  cr_assert_geq(count_code(&f, "E045"), 1);
  front_free(&f);
  free(t.s);
}
