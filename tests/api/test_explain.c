/*
** test_explain.c: the API's explanation equals `dagloon explain --format json`'s, byte for
** byte: run.sh explained NAME.one.jsonl's dossier with the command into NAME.explain.json
** (from the rule files, and from a bundle made with --trace); a plain bundle cannot explain.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

static void same_as_command(const char *rules_path, const char *name) {
  char one[256], want[256];
  snprintf(one, sizeof one, "%s.one.jsonl", name);
  snprintf(want, sizeof want, "%s.explain.json", name);
  char input[4096];
  snprintf(input, sizeof input, "%s", data_path(one));
  size_t n;
  char *dossier = read_all(input, &n);
  char *expected = read_all(data_path(want), NULL);
  dagloon_rules *r = load_or_fail(rules_path);
  cr_assert_eq(dagloon_rules_can_explain(r), 1);
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  dagloon_error *err = NULL;
  const char *got = dagloon_explain(ev, dossier, n, input, &err);
  cr_assert(got != NULL, "%s", dagloon_error_message(err));
  cr_assert_str_eq(got, expected);
  /* explaining leaves evaluating as it was: the row of the same dossier after it */
  const char *row = dagloon_evaluate(ev, dossier, n, &err);
  if (row) cr_assert_eq(row[0], '{');
  else dagloon_error_free(err);
  dagloon_evaluator_free(ev);
  dagloon_rules_free(r);
  free(dossier);
  free(expected);
}

Test(explain, wia_same_as_command, .timeout = 60) { same_as_command("rules/wia", "wia"); }
/* a bundle made by `dagloon compile --trace`, as `dagloon explain BUNDLE` explains from it */
Test(explain, traced_bundle_same_as_command, .timeout = 60) {
  char bundle[4096];
  snprintf(bundle, sizeof bundle, "%s", data_path("wia.traced.bundle"));
  same_as_command(bundle, "wia_bundle");
}

Test(explain, plain_bundle_cannot_explain) {
  const char *path = data_path("wia.bundle");
  dagloon_rules *r = load_or_fail(path);
  cr_assert_eq(dagloon_rules_can_explain(r), 0);
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  const char *dossier = "{\"id\": \"x\"}";
  dagloon_error *err = NULL;
  cr_assert_null(dagloon_explain(ev, dossier, strlen(dossier), NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_NO_TRACE);
  cr_assert(strstr(dagloon_error_message(err), "dagloon compile --trace") != NULL, "%s", dagloon_error_message(err));
  dagloon_error_free(err);
  dagloon_evaluator_free(ev);
  dagloon_rules_free(r);
}

Test(explain, damaged_traced_bundle_refused) {
  static const char *const names[] = {"damaged_traced.bundle", "longer_traced.bundle", "format5.bundle"};
  for (size_t i = 0; i < 3; i++) {
    const char *path = data_path(names[i]);
    dagloon_error *err = NULL;
    cr_assert_null(dagloon_rules_load(&path, 1, NULL, &err), "%s loaded", names[i]);
    cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LOAD);
    dagloon_error_free(err);
  }
}
/* a dossier whose computation fails is explained up to the failure, as the command does */
Test(explain, failing_dossier_same_as_command, .timeout = 60) { same_as_command("rules/wia", "wia_fout"); }
