/*
** test_errors.c: what goes wrong comes back as an error object naming the place -- bad JSON,
** a missing field, a wrong type, a runaway rule past the step limit, rule files with errors,
** a path that is not there -- and never ends the program.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

static dagloon_rules *wia;
static dagloon_evaluator *ev;
static void setup(void) {
  wia = load_or_fail("rules/wia");
  ev = dagloon_evaluator_new(wia);
}
static void teardown(void) {
  dagloon_evaluator_free(ev);
  dagloon_rules_free(wia);
}

/* The first wia dossier with `from` replaced by `to` (which must be in it). */
static char *first_dossier_with(const char *from, const char *to) {
  size_t n;
  char **lines = read_lines(data_path("wia.in.jsonl"), &n);
  char *at = strstr(lines[0], from);
  cr_assert(at != NULL, "'%s' is not in the first dossier", from);
  size_t len = strlen(lines[0]) - strlen(from) + strlen(to);
  char *out = malloc(len + 1);
  size_t head = (size_t)(at - lines[0]);
  memcpy(out, lines[0], head);
  strcpy(out + head, to);
  strcat(out, at + strlen(from));
  free_lines(lines, n);
  return out;
}

static dagloon_error *evaluate_fails(const char *json) {
  dagloon_error *err = NULL;
  const char *row = dagloon_evaluate(ev, json, strlen(json), &err);
  cr_assert_null(row, "evaluated %s", json);
  cr_assert(err != NULL);
  return err;
}

TestSuite(errors, .init = setup, .fini = teardown);

Test(errors, not_json) {
  dagloon_error *err = evaluate_fails("{\"id\": \"x\", ");
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  cr_assert_gt(strlen(dagloon_error_message(err)), 0);
  dagloon_error_free(err);
  err = evaluate_fails("   \n ");
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  dagloon_error_free(err);
  err = evaluate_fails("[1, 2]");
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  dagloon_error_free(err);
}

Test(errors, two_dossiers_are_not_one) {
  size_t n;
  char **lines = read_lines(data_path("wia.in.jsonl"), &n);
  char *two = malloc(strlen(lines[0]) + strlen(lines[1]) + 2);
  sprintf(two, "%s\n%s", lines[0], lines[1]);   /* one object per call: the second is not JSON's end */
  dagloon_error *err = evaluate_fails(two);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  dagloon_error_free(err);
  free(two);
  free_lines(lines, n);
}

Test(errors, missing_field_is_named) {
  char *json = first_dossier_with("\"eerste_ao_dag\": \"2019-03-06\", ", "");
  dagloon_error *err = evaluate_fails(json);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  cr_assert_str_eq(dagloon_error_field(err), "eerste_ao_dag", "field '%s': %s", dagloon_error_field(err),
                   dagloon_error_message(err));
  cr_assert_str_eq(dagloon_error_record(err), "art-18-lid-2-oud");
  dagloon_error_free(err);
  free(json);
}

Test(errors, wrong_type_is_named) {
  char *json = first_dossier_with("\"eerste_ao_dag\": \"2019-03-06\"", "\"eerste_ao_dag\": \"2019-02-30\"");
  dagloon_error *err = evaluate_fails(json);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  cr_assert_str_eq(dagloon_error_field(err), "eerste_ao_dag");
  cr_assert(strstr(dagloon_error_message(err), "2019-02-30"), "%s", dagloon_error_message(err));
  dagloon_error_free(err);
  free(json);
  json = first_dossier_with("\"eerste_ao_dag\": \"2019-03-06\"", "\"eerste_ao_dag\": 12");
  err = evaluate_fails(json);
  cr_assert_str_eq(dagloon_error_field(err), "eerste_ao_dag");
  dagloon_error_free(err);
  free(json);
}

Test(errors, nested_field_path) {
  char *json = first_dossier_with("\"reserveert_vakantiebijslag\": true", "\"reserveert_vakantiebijslag\": \"ja\"");
  dagloon_error *err = evaluate_fails(json);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  cr_assert(strstr(dagloon_error_field(err), "reserveert_vakantiebijslag") != NULL, "field '%s'",
            dagloon_error_field(err));
  dagloon_error_free(err);
  free(json);
}

Test(errors, evaluator_goes_on_after_an_error) {
  dagloon_error_free(evaluate_fails("nonsense"));
  size_t nin, nout;
  char **in = read_lines(data_path("wia.in.jsonl"), &nin);
  char **out = read_lines(data_path("wia.out.jsonl"), &nout);
  dagloon_error *err = NULL;
  const char *row = dagloon_evaluate(ev, in[0], strlen(in[0]), &err);
  cr_assert(row != NULL);
  cr_assert_str_eq(row, out[0]);
  free_lines(in, nin);
  free_lines(out, nout);
}

Test(errors, runaway_rule_stopped_by_max_steps) {
  dagloon_rules *r = load_or_fail("tests/golden/run/runaway_step_limit/rules.rules");
  dagloon_evaluator *e = dagloon_evaluator_new(r);
  dagloon_evaluator_set_limits(e, 100000, 0);
  const char *lang = "{\"id\": \"lang\", \"begin\": \"1900-01-01\", \"einde\": \"2200-12-31\"}";
  dagloon_error *err = NULL;
  cr_assert_null(dagloon_evaluate(e, lang, strlen(lang), &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LIMIT);
  cr_assert_str_eq(dagloon_error_rule(err), "n");
  cr_assert_str_eq(dagloon_error_location(err), "tests/golden/run/runaway_step_limit/rules.rules:12:23");
  cr_assert(strstr(dagloon_error_message(err), "stopped after 100000 steps"), "%s", dagloon_error_message(err));
  cr_assert_str_eq(dagloon_error_record(err), "lang");
  dagloon_error_free(err);
  err = NULL;
  /* 7 x 7 months: computed (the golden's other dossier) */
  const char *kort = "{\"id\": \"kort\", \"begin\": \"2024-01-15\", \"einde\": \"2024-07-10\"}";
  const char *row = dagloon_evaluate(e, kort, strlen(kort), &err);
  cr_assert(row != NULL);
  cr_assert_str_eq(row, "{\"id\":\"kort\",\"n\":49}");
  dagloon_evaluator_free(e);
  dagloon_rules_free(r);
}

Test(errors, dossier_over_the_memory_limit) {
  dagloon_evaluator_set_limits(ev, 0, 100);
  size_t n;
  char **in = read_lines(data_path("wia.in.jsonl"), &n);
  dagloon_error *err = evaluate_fails(in[0]);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  dagloon_error_free(err);
  free_lines(in, n);
}

Test(errors, rule_files_with_errors) {
  const char *path = "tests/api/data/fout.rules";
  dagloon_error *err = NULL;
  cr_assert_null(dagloon_rules_load(&path, 1, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_RULES);
  cr_assert(strncmp(dagloon_error_location(err), "tests/api/data/fout.rules:", 26) == 0, "location '%s'",
            dagloon_error_location(err));
  cr_assert(strstr(dagloon_error_message(err), "error") != NULL);
  dagloon_error_free(err);
}

Test(errors, paths_not_there_and_bad_arguments) {
  const char *path = "tests/api/data/bestaat_niet";
  dagloon_error *err = NULL;
  cr_assert_null(dagloon_rules_load(&path, 1, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LOAD);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_null(dagloon_rules_load(NULL, 0, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_ARGUMENT);
  dagloon_error_free(err);
  cr_assert_null(dagloon_rules_load(&path, 1, NULL, NULL));   /* no error wanted: still no crash */
  cr_assert_null(dagloon_evaluate(NULL, "{}", 2, NULL));
  cr_assert_null(dagloon_evaluator_new(NULL));
}

Test(errors, damaged_bundle_refused) {
  const char *path = data_path("damaged.bundle");
  dagloon_error *err = NULL;
  cr_assert_null(dagloon_rules_load(&path, 1, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LOAD);
  cr_assert(strstr(dagloon_error_message(err), "damaged") != NULL, "%s", dagloon_error_message(err));
  dagloon_error_free(err);
}
