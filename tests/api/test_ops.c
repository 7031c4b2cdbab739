/*
** test_ops.c: what `dagloon serve`'s receipts and HTML explanations rest on. dagloon_rules_hash
** is the "compiled" sha256 of a `dagloon run --receipt` of the same rules (run.sh wrote it to
** wia.compiled.sha256), the same from the rule files and from their bundles; dagloon_explain_html
** is the page of `dagloon explain --format html` byte for byte (wia.explain.html).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

static char *expected_hash(void) {
  char *h = read_all(data_path("wia.compiled.sha256"), NULL);
  h[strcspn(h, "\n")] = '\0';
  cr_assert_eq(strlen(h), 64, "wia.compiled.sha256: %s", h);
  return h;
}

static void hash_is_receipts(const char *path) {
  char *want = expected_hash();
  dagloon_rules *r = load_or_fail(path);
  cr_assert_str_eq(dagloon_rules_hash(r), want, "%s", path);
  dagloon_rules_free(r);
  free(want);
}

Test(ops, rules_hash_of_rule_files, .timeout = 60) { hash_is_receipts("rules/wia"); }
Test(ops, rules_hash_of_bundles, .timeout = 60) {
  char plain[4096], traced[4096];
  snprintf(plain, sizeof plain, "%s", data_path("wia.bundle"));
  snprintf(traced, sizeof traced, "%s", data_path("wia.traced.bundle"));
  hash_is_receipts(plain);
  hash_is_receipts(traced);
}

Test(ops, rules_hash_differs_for_other_rules, .timeout = 60) {
  char *wia = expected_hash();
  dagloon_rules *r = load_or_fail("rules/herstel");
  cr_assert_eq(strlen(dagloon_rules_hash(r)), 64);
  cr_assert_str_neq(dagloon_rules_hash(r), wia);
  dagloon_rules_free(r);
  free(wia);
}

Test(ops, explain_html_same_as_command, .timeout = 60) {
  char input[4096];
  snprintf(input, sizeof input, "%s", data_path("wia.one.jsonl"));
  size_t n;
  char *dossier = read_all(input, &n);
  char *expected = read_all(data_path("wia.explain.html"), NULL);
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  dagloon_error *err = NULL;
  const char *got = dagloon_explain_html(ev, dossier, n, input, &err);
  cr_assert(got != NULL, "%s", dagloon_error_message(err));
  cr_assert_str_eq(got, expected);
  /* and the JSON explanation after it is still JSON */
  const char *json = dagloon_explain(ev, dossier, n, input, &err);
  cr_assert(json != NULL && json[0] == '{');
  dagloon_evaluator_free(ev);
  dagloon_rules_free(r);
  free(dossier);
  free(expected);
}
