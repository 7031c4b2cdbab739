/*
** test_schema.c: a rule set's schema through the API -- rules/wia's invoer fields and uitvoer
** columns with their types, as its rule files declare them.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

static const dagloon_field *input_named(const dagloon_rules *r, const char *name) {
  for (size_t i = 0; i < dagloon_input_count(r); i++)
    if (strcmp(dagloon_input_field(r, i)->name, name) == 0) return dagloon_input_field(r, i);
  return NULL;
}

Test(schema, wia_invoer_fields_and_types) {
  dagloon_rules *r = load_or_fail("rules/wia");
  cr_assert_gt(dagloon_input_count(r), 10);
  const dagloon_field *id = dagloon_input_field(r, 0);
  cr_assert_str_eq(id->name, "id");
  cr_assert_eq(id->key, 1, "id is the invoer's key (sleutel id)");
  const dagloon_field *d = input_named(r, "eerste_ao_dag");
  cr_assert(d != NULL);
  cr_assert_eq(d->kind, DAGLOON_DATE);
  cr_assert_str_eq(d->type, "datum");
  cr_assert_eq(d->key, 0);
  const dagloon_field *t = input_named(r, "aangiftetijdvak");
  cr_assert(t != NULL);
  cr_assert_eq(t->kind, DAGLOON_CHOICE);
  cr_assert_str_eq(t->type_name, "Tijdvaksoort");
  cr_assert_eq(dagloon_choice_count(r, "Tijdvaksoort"), 2);
  cr_assert_str_eq(dagloon_choice_name(r, "Tijdvaksoort", 0), "maand");
  cr_assert_str_eq(dagloon_choice_name(r, "Tijdvaksoort", 1), "vier_weken");
  cr_assert_null(dagloon_choice_name(r, "Tijdvaksoort", 2));
  const dagloon_field *loon = input_named(r, "loon");
  cr_assert(loon != NULL);
  cr_assert_eq(loon->kind, DAGLOON_LIST);
  cr_assert_eq(loon->element, DAGLOON_RECORD);
  cr_assert_str_eq(loon->type_name, "Loonregel");
  cr_assert_str_eq(loon->type, "lijst Loonregel");
  /* the record's own fields: loon: geld, tijdvak: periode, uitkeringspercentage: optioneel percentage */
  size_t n = dagloon_record_count(r, "Loonregel");
  cr_assert_gt(n, 4);
  int seen = 0;
  for (size_t i = 0; i < n; i++) {
    const dagloon_field *f = dagloon_record_field(r, "Loonregel", i);
    if (strcmp(f->name, "loon") == 0) {
      seen += 1;
      cr_assert_eq(f->kind, DAGLOON_MONEY);
    }
    if (strcmp(f->name, "tijdvak") == 0) {
      seen += 2;
      cr_assert_eq(f->kind, DAGLOON_PERIOD);
    }
    if (strcmp(f->name, "loon_zonder_verlaging") == 0) {
      seen += 4;
      cr_assert_eq(f->optional, 1);
      cr_assert_eq(f->kind, DAGLOON_MONEY);
      cr_assert_str_eq(f->type, "geld");
    }
  }
  cr_assert_eq(seen, 7);
  cr_assert_null(dagloon_input_field(r, dagloon_input_count(r)));
  cr_assert_eq(dagloon_record_count(r, "Bestaat_niet"), 0);
  dagloon_rules_free(r);
}

Test(schema, wia_uitvoer_columns_in_row_order) {
  dagloon_rules *r = load_or_fail("rules/wia");
  /* the columns of a row of `dagloon run --format jsonl`, in that order (api_test: the example row) */
  static const char *const cols[] = {"id", "eerste_ao_dag", "eerste_rechtdag", "referteperiode", "loon_in_referteperiode",
                                     "factor_a", "factor_b", "factor_c", "loonloze_dagloondagen", "deler",
                                     "dagloon_referteperiode", "dagloon_onbegrensd", "maximumdagloon", "dagloon",
                                     "begrensd", "maandloon"};
  static const dagloon_kind kinds[] = {DAGLOON_TEXT, DAGLOON_DATE, DAGLOON_DATE, DAGLOON_PERIOD, DAGLOON_DECIMAL,
                                       DAGLOON_DECIMAL, DAGLOON_DECIMAL, DAGLOON_DECIMAL, DAGLOON_INT, DAGLOON_INT,
                                       DAGLOON_MONEY, DAGLOON_MONEY, DAGLOON_MONEY, DAGLOON_MONEY, DAGLOON_BOOL,
                                       DAGLOON_MONEY};
  cr_assert_eq(dagloon_output_count(r), sizeof cols / sizeof cols[0]);
  for (size_t i = 0; i < dagloon_output_count(r); i++) {
    const dagloon_field *c = dagloon_output_column(r, i);
    cr_assert_str_eq(c->name, cols[i]);
    cr_assert_eq(c->kind, kinds[i], "column %s: kind %d, not %d", c->name, c->kind, kinds[i]);
  }
  cr_assert_str_eq(dagloon_output_column(r, 4)->type, "getal");   /* loon_in_referteperiode: getal */
  cr_assert_str_eq(dagloon_output_column(r, 10)->label, "het dagloon uit uw loon van het jaar voordat u ziek werd");
  cr_assert_null(dagloon_output_column(r, 99));
  dagloon_rules_free(r);
}

/* dagloon_field.source: the bron lines of the rule behind a column, its versions' and exceptions' too */
Test(schema, wia_uitvoer_sources) {
  dagloon_rules *r = load_or_fail("rules/wia");
  cr_assert_str_eq(dagloon_output_column(r, 15)->name, "maandloon");
  cr_assert_str_eq(dagloon_output_column(r, 15)->source,
                   "Wet werk en inkomen naar arbeidsvermogen (BWBR0019057) art 13 lid 4");
  const char *a = dagloon_output_column(r, 5)->source;   /* factor_a: versions, each with its bron */
  const char *first = "versie vanaf 2022-01-01: Dagloonbesluit werknemersverzekeringen (BWBR0033471) art 16 lid 1; ";
  cr_assert(a && strncmp(a, first, strlen(first)) == 0, "%s", a);
  cr_assert(strstr(a, "; versie vanaf 2013-07-01 t/m 2021-12-31: ") != NULL, "%s", a);
  cr_assert_null(dagloon_output_column(r, 0)->source, "id is an invoer field: no bron");
  for (size_t i = 0; i < dagloon_input_count(r); i++) cr_assert_null(dagloon_input_field(r, i)->source);
  dagloon_rules_free(r);
}

Test(schema, version) {
  cr_assert_eq(dagloon_api_version(), DAGLOON_API_VERSION);
  cr_assert_gt(strlen(dagloon_version()), 0);
}
