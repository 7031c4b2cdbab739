/*
** test_evaluate.c: evaluations through the API equal the rows of `dagloon run --format jsonl`,
** byte for byte. run.sh ran the command on the first 200 dossiers of rules/wia/populatie.jsonl
** and on the herstel sample: NAME.in.jsonl the dossiers, NAME.out.jsonl the rows,
** NAME.errors.csv the error rows (header first).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

static void same_as_run(const char *rules_given, const char *name) {
  char rules_path[4096];   /* (data_path's buffer is reused below) */
  snprintf(rules_path, sizeof rules_path, "%s", rules_given);
  char in[256], out[256], errs[256];
  snprintf(in, sizeof in, "%s.in.jsonl", name);
  snprintf(out, sizeof out, "%s.out.jsonl", name);
  snprintf(errs, sizeof errs, "%s.errors.csv", name);
  size_t nin, nout, nerr;
  char **dossiers = read_lines(data_path(in), &nin);
  char **rows = read_lines(data_path(out), &nout);
  char **errors = read_lines(data_path(errs), &nerr);
  cr_assert_gt(nin, 0);
  dagloon_rules *r = load_or_fail(rules_path);
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  size_t k = 0, failed = 0;
  for (size_t i = 0; i < nin; i++) {
    dagloon_error *err = NULL;
    const char *row = dagloon_evaluate(ev, dossiers[i], strlen(dossiers[i]), &err);
    if (!row) {
      failed++;
      cr_assert_neq(dagloon_error_code(err), DAGLOON_OK);
      dagloon_error_free(err);
      continue;
    }
    cr_assert_lt(k, nout, "%s: more rows than the command wrote", name);
    cr_assert_str_eq(row, rows[k], "%s dossier %zu:\n api: %s\n run: %s", name, i + 1, row, rows[k]);
    k++;
  }
  cr_assert_eq(k, nout, "%s: %zu rows, the command wrote %zu", name, k, nout);
  cr_assert_eq(failed, nerr - 1, "%s: %zu errors, the command %zu error rows", name, failed, nerr - 1);
  dagloon_evaluator_free(ev);
  dagloon_rules_free(r);
  free_lines(dossiers, nin);
  free_lines(rows, nout);
  free_lines(errors, nerr);
}

Test(evaluate, wia_population_same_as_run, .timeout = 120) { same_as_run("rules/wia", "wia"); }
Test(evaluate, herstel_sample_same_as_run, .timeout = 120) { same_as_run("rules/herstel", "herstel"); }

/* A bundle made by `dagloon compile` gives the same rows as the rule files. */
Test(evaluate, bundle_same_as_rule_files, .timeout = 120) { same_as_run(data_path("wia.bundle"), "wia"); }

Test(evaluate, pretty_printed_dossier_is_one_dossier) {
  size_t nin, nout;
  char **dossiers = read_lines(data_path("wia.in.jsonl"), &nin);
  char **rows = read_lines(data_path("wia.out.jsonl"), &nout);
  /* the first dossier, a line break after every comma: still one JSON object */
  size_t len = strlen(dossiers[0]);
  char *pretty = malloc(2 * len + 1), *p = pretty;
  for (size_t i = 0; i < len; i++) {
    *p++ = dossiers[0][i];
    if (dossiers[0][i] == ',') *p++ = '\n';
  }
  *p = 0;
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  dagloon_error *err = NULL;
  const char *row = dagloon_evaluate(ev, pretty, strlen(pretty), &err);
  cr_assert(row != NULL, "%s", dagloon_error_message(err));
  cr_assert_str_eq(row, rows[0]);
  free(pretty);
  dagloon_evaluator_free(ev);
  dagloon_rules_free(r);
  free_lines(dossiers, nin);
  free_lines(rows, nout);
}
