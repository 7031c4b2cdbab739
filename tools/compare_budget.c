/*
** compare_budget.c: the budget effect of a proposal (compare_budget.h).
**
** Exact throughout: a benefit is whole cents, a weight a geheel or an exact getal, and the sums are
** exact rationals (runtime/num.h); an overflow is reported, never rounded. Per year is the
** benefit per period x 12 (maand) or x 1 (jaar): a structural figure, as if every dossier received
** the benefit for a whole year. The cohort of new rights over their first N years (with the
** benefit's duration) is not computed yet: the summary says so (tools/COMPARE_STATUS.md).
*/
#include "tools/compare_budget.h"

#include <inttypes.h>
#include <string.h>
#include "runtime/i18n.h"
#include "runtime/num.h"
#include "tools/report_format.h"

static int per_year(uint8_t period) { return period == BENEFIT_MONTH ? 12 : 1; }
static const char *period_word(uint8_t period) { return period == BENEFIT_MONTH ? "maand" : "jaar"; }

void budget_setup(Budget *b, const Chunk *cb, const Chunk *cp) {
  memset(b, 0, sizeof *b);
  b->base_out = b->prop_out = -1;
  b->weight = b->base = b->prop = (Dec){0, 1};
  bool db = cb->benefit_period != BENEFIT_NONE, dp = cp->benefit_period != BENEFIT_NONE;
  b->declared = db || dp;
  if (!b->declared) return;
  const char *nb = db ? cb->outputs[cb->benefit_output].name : NULL;
  const char *np = dp ? cp->outputs[cp->benefit_output].name : NULL;
  if (!db || !dp) {
    /* English, as the JSON summary's other texts: the same bytes in every locale */
    snprintf(b->why, sizeof b->why, db ? "only the base declares the benefit paid ('uitkering %s per %s')"
                                         : "only the proposal declares the benefit paid ('uitkering %s per %s')",
             db ? nb : np, period_word(db ? cb->benefit_period : cp->benefit_period));
    return;
  }
  if (strcmp(nb, np) != 0 || cb->benefit_period != cp->benefit_period) {
    snprintf(b->why, sizeof b->why, "the base declares 'uitkering %s per %s', the proposal 'uitkering %s per %s'", nb,
             period_word(cb->benefit_period), np, period_word(cp->benefit_period));
    return;
  }
  b->shown = true;
  b->column = nb;
  b->period = cb->benefit_period;
  b->base_out = (int)cb->benefit_output;
  b->prop_out = (int)cp->benefit_output;
}

static void add_to(Budget *b, Dec *acc, Dec x) {
  Dec r;
  if (dec_add(*acc, x, &r) != NUM_OK) b->overflow = true;
  else *acc = r;
}

static Dec weighted(Budget *b, Dec w, int64_t cents) {
  Dec euros = {0, 1}, r = {0, 1};
  dec_from_cents(cents, &euros);
  if (dec_mul(w, euros, &r) != NUM_OK) b->overflow = true;
  return r;
}

void budget_add(Budget *b, int64_t base_cents, int64_t prop_cents, Dec weight) {
  if (!b->shown) return;
  b->dossiers++;
  add_to(b, &b->weight, weight);
  add_to(b, &b->base, weighted(b, weight, base_cents));
  add_to(b, &b->prop, weighted(b, weight, prop_cents));
}

/* An amount in euros: with two decimals when it is whole cents, else as summary_amount ("~"). */
static json_t *euros(Dec x) {
  char buf[128];
  Dec c;
  if (dec_mul(x, dec_from_int(100), &c) == NUM_OK && c.den == 1) money_format(c.num, buf, sizeof buf);
  else summary_amount(x, buf, sizeof buf);
  return json_string(buf);
}

static Dec times(Budget *b, Dec x, int k) {
  Dec r = {0, 1};
  if (dec_mul(x, dec_from_int(k), &r) != NUM_OK) b->overflow = true;
  return r;
}

json_t *budget_json(const Budget *bc, bool weighted_run, bool *overflow) {
  *overflow = bc->overflow;
  if (!bc->declared || bc->overflow) return NULL;
  Budget b = *bc;   /* the overflow flag of the multiplications below */
  json_t *j = json_object();
  if (!b.shown) {
    json_object_set_new(j, "benefit", json_null());
    json_object_set_new(j, "not_shown", json_string(b.why));
    return j;
  }
  int k = per_year(b.period);
  char formula[120], buf[128];
  snprintf(formula, sizeof formula, "uitkering per %s x %d%s", period_word(b.period), k, weighted_run ? " x gewicht" : "");
  Dec base = times(&b, b.base, k), prop = times(&b, b.prop, k), change = {0, 1}, mean = {0, 1};
  if (dec_sub(prop, base, &change) != NUM_OK) b.overflow = true;
  if (b.weight.num != 0 && dec_div(change, b.weight, &mean) != NUM_OK) b.overflow = true;
  if (b.overflow) {   /* compare.c reports it and writes no summary */
    json_decref(j);
    *overflow = true;
    return NULL;
  }
  json_object_set_new(j, "benefit", json_string(b.column));
  json_object_set_new(j, "period", json_string(period_word(b.period)));
  json_object_set_new(j, "times_per_year", json_integer(k));
  json_object_set_new(j, "formula", json_string(formula));
  json_object_set_new(j, "kind", json_string("structureel per jaar"));
  json_object_set_new(j, "dossiers", json_integer((json_int_t)b.dossiers));
  summary_amount(b.weight, buf, sizeof buf);
  json_object_set_new(j, "weight", json_string(buf));
  json_object_set_new(j, "base_per_year", euros(base));
  json_object_set_new(j, "proposal_per_year", euros(prop));
  json_object_set_new(j, "change_per_year", euros(change));
  json_object_set_new(j, "change_per_dossier_per_year", b.weight.num ? euros(mean) : json_null());
  json_object_set_new(j, "cohort", json_null());
  json_object_set_new(j, "cohort_note", json_string("structural only: the cost of a cohort of new rights over its first "
                                                    "years is not computed yet"));
  return j;
}

static const char *str(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "-";
}

void budget_text(FILE *f, json_t *j) {
  if (!j) return;
  if (!json_is_string(json_object_get(j, "benefit"))) {
    fprintf(f, _("budget effect: not computed: %s\n"), str(j, "not_shown"));
    return;
  }
  char n[32];
  snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(j, "dossiers")));
  fprintf(f, _("budget effect of '%s' (%s), %s, over %s dossiers (weight %s):\n"), str(j, "benefit"), str(j, "formula"),
          str(j, "kind"), n, str(j, "weight"));
  fprintf(f, _("  base %s, proposal %s per year; change %s per year, %s per dossier per year\n"), str(j, "base_per_year"),
          str(j, "proposal_per_year"), str(j, "change_per_year"), str(j, "change_per_dossier_per_year"));
  fprintf(f, _("  cohort: %s\n"), str(j, "cohort_note"));
}
