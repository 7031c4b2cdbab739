/*
** compare_budget.c: the budget effect of a proposal (compare_budget.h).
**
** Exact throughout: a benefit is whole cents, a weight a geheel or an exact getal, and the sums are
** exact rationals (runtime/num.h); an overflow is reported, never rounded. Per year is the
** benefit per period x 12 (maand) or x 1 (jaar): a structural figure, as if every dossier received
** the benefit for a whole year. The cohort (--jaren N, with 'duur D daarna Y'): every compared dossier
** is a new right starting now; each side pays its own benefit for its own duration D (a proposal may
** change it), then what 'daarna' names (or nothing), over the first N years' periods; the summary
** gives the sums per year of the cohort and over the N years (docs/LANGUAGE.md, "The benefit paid").
*/
#include "tools/compare_budget.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/i18n.h"
#include "runtime/num.h"
#include "tools/report_format.h"

static int per_year(uint8_t period) { return period == BENEFIT_MONTH ? 12 : 1; }
static const char *period_word(uint8_t period) { return period == BENEFIT_MONTH ? "maand" : "jaar"; }

static const char *column_name(const Chunk *c, uint32_t out) {
  return out == BENEFIT_NO_COLUMN ? NULL : c->outputs[out].name;
}

static bool same_name(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

/* The cohort's part of budget_setup, once the benefit is shown. */
static void cohort_setup(Budget *b, const Chunk *cb, const Chunk *cp, int years) {
  const char *db = column_name(cb, cb->benefit_duration), *dp = column_name(cp, cp->benefit_duration);
  const char *tb = column_name(cb, cb->benefit_then), *tp = column_name(cp, cp->benefit_then);
  if (!db && !dp) {
    b->cohort_code = "no_duration";
    snprintf(b->why, sizeof b->why, "structural only: the rule sets declare no duration ('uitkering %s per %s duur D'), "
             "so the cost of a cohort of new rights over its first years is not computed", b->column,
             period_word(b->period));
    return;
  }
  if (!same_name(db, dp) || !same_name(tb, tp)) {
    b->cohort_code = "duration_differs";
    snprintf(b->why, sizeof b->why, "structural only: the base declares 'duur %s%s%s', the proposal 'duur %s%s%s'",
             db ? db : "-", tb ? " daarna " : "", tb ? tb : "", dp ? dp : "-", tp ? " daarna " : "", tp ? tp : "");
    return;
  }
  b->duration = db;
  b->then = tb;
  if (years == 0) {
    b->cohort_code = "no_years";
    snprintf(b->why, sizeof b->why, "structural only: give --jaren N for the cost of a cohort of new rights over its "
             "first N years (the rule sets declare 'duur %s')", db);
    return;
  }
  b->cohort = true;
  b->years = years;
  b->base_dur = (int)cb->benefit_duration;
  b->prop_dur = (int)cp->benefit_duration;
  b->base_then = tb ? (int)cb->benefit_then : -1;
  b->prop_then = tp ? (int)cp->benefit_then : -1;
  for (int y = 0; y < years; y++) b->cohort_base[y] = b->cohort_prop[y] = (Dec){0, 1};
}

void budget_setup(Budget *b, const Chunk *cb, const Chunk *cp, int years) {
  memset(b, 0, sizeof *b);
  b->base_out = b->prop_out = b->base_dur = b->prop_dur = b->base_then = b->prop_then = -1;
  b->weight = b->base = b->prop = (Dec){0, 1};
  bool db = cb->benefit_period != BENEFIT_NONE, dp = cp->benefit_period != BENEFIT_NONE;
  b->declared = db || dp;
  if (!b->declared) return;
  const char *nb = db ? cb->outputs[cb->benefit_output].name : NULL;
  const char *np = dp ? cp->outputs[cp->benefit_output].name : NULL;
  if (!db || !dp) {
    /* English, as the JSON summary's other texts: the same bytes in every locale */
    b->why_code = db ? "only_base" : "only_proposal";
    snprintf(b->why, sizeof b->why, db ? "only the base declares the benefit paid ('uitkering %s per %s')"
                                         : "only the proposal declares the benefit paid ('uitkering %s per %s')",
             db ? nb : np, period_word(db ? cb->benefit_period : cp->benefit_period));
    return;
  }
  if (strcmp(nb, np) != 0 || cb->benefit_period != cp->benefit_period) {
    b->why_code = "differ";
    snprintf(b->why, sizeof b->why, "the base declares 'uitkering %s per %s', the proposal 'uitkering %s per %s'", nb,
             period_word(cb->benefit_period), np, period_word(cp->benefit_period));
    return;
  }
  b->shown = true;
  b->column = nb;
  b->period = cb->benefit_period;
  b->base_out = (int)cb->benefit_output;
  b->prop_out = (int)cp->benefit_output;
  cohort_setup(b, cb, cp, years);
}

const char *budget_parse_years(const char *text, int *years) {
  char *end;
  unsigned long v = text[0] >= '0' && text[0] <= '9' ? strtoul(text, &end, 10) : 0;
  if (v < 1 || v > BUDGET_MAX_YEARS || *end) return N_("--jaren needs a number of years from 1 to 50");
  *years = (int)v;
  return NULL;
}

bool budget_paid_in_year(const Budget *b, BenefitPaid p, int year, int64_t *cents) {
  int64_t per = per_year(b->period), start = per * (year - 1);
  int64_t d = p.periods < 0 ? 0 : p.periods;   /* below 0: no period paid (counted in the summary) */
  int64_t first = d <= start ? 0 : d - start >= per ? per : d - start;
  int64_t x, y;
  if (__builtin_mul_overflow(p.cents, first, &x) || __builtin_mul_overflow(p.then_cents, per - first, &y) ||
      __builtin_add_overflow(x, y, cents))
    return false;
  return true;
}

bool budget_paid_cohort(const Budget *b, BenefitPaid p, int64_t *cents) {
  *cents = 0;
  for (int y = 1; y <= b->years; y++) {
    int64_t c;
    if (!budget_paid_in_year(b, p, y, &c) || __builtin_add_overflow(*cents, c, cents)) return false;
  }
  return true;
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

void budget_add(Budget *b, BenefitPaid base, BenefitPaid prop, Dec weight) {
  if (!b->shown) return;
  b->dossiers++;
  add_to(b, &b->weight, weight);
  add_to(b, &b->base, weighted(b, weight, base.cents));
  add_to(b, &b->prop, weighted(b, weight, prop.cents));
  if (!b->cohort) return;
  if (base.periods < 0 || prop.periods < 0) b->below_zero++;
  for (int y = 0; y < b->years; y++) {
    int64_t cb = 0, cp = 0;
    if (!budget_paid_in_year(b, base, y + 1, &cb) || !budget_paid_in_year(b, prop, y + 1, &cp)) b->overflow = true;
    add_to(b, &b->cohort_base[y], weighted(b, weight, cb));
    add_to(b, &b->cohort_prop[y], weighted(b, weight, cp));
  }
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

/* The cohort's object: its sums per year and over the years, both sides, and how they are counted. */
static json_t *cohort_json(Budget *b, bool weighted_run) {
  int per = per_year(b->period), periods = per * b->years;
  char formula[400];
  if (b->then)
    snprintf(formula, sizeof formula, "per kant: %s x min(%s, %d) + %s x (%d - min(%s, %d))%s", b->column, b->duration,
             periods, b->then, periods, b->duration, periods, weighted_run ? ", x gewicht" : "");
  else
    snprintf(formula, sizeof formula, "per kant: %s x min(%s, %d)%s", b->column, b->duration, periods,
             weighted_run ? ", x gewicht" : "");
  json_t *c = json_object(), *years = json_array();
  Dec base = {0, 1}, prop = {0, 1}, change = {0, 1}, mean = {0, 1};
  for (int y = 0; y < b->years; y++) {
    Dec d = {0, 1};
    if (dec_sub(b->cohort_prop[y], b->cohort_base[y], &d) != NUM_OK) b->overflow = true;
    add_to(b, &base, b->cohort_base[y]);
    add_to(b, &prop, b->cohort_prop[y]);
    json_t *e = json_object();
    json_object_set_new(e, "year", json_integer(y + 1));
    json_object_set_new(e, "base", euros(b->cohort_base[y]));
    json_object_set_new(e, "proposal", euros(b->cohort_prop[y]));
    json_object_set_new(e, "change", euros(d));
    json_array_append_new(years, e);
  }
  if (dec_sub(prop, base, &change) != NUM_OK) b->overflow = true;
  if (b->weight.num != 0 && dec_div(change, b->weight, &mean) != NUM_OK) b->overflow = true;
  json_object_set_new(c, "years", json_integer(b->years));
  json_object_set_new(c, "periods", json_integer(periods));
  json_object_set_new(c, "duration", json_string(b->duration));
  json_object_set_new(c, "afterwards", b->then ? json_string(b->then) : json_null());
  json_object_set_new(c, "formula", json_string(formula));
  json_object_set_new(c, "base", euros(base));
  json_object_set_new(c, "proposal", euros(prop));
  json_object_set_new(c, "change", euros(change));
  json_object_set_new(c, "change_per_dossier", b->weight.num ? euros(mean) : json_null());
  json_object_set_new(c, "durations_below_zero", json_integer((json_int_t)b->below_zero));
  json_object_set_new(c, "per_year", years);
  return c;
}

json_t *budget_json(const Budget *bc, bool weighted_run, bool *overflow) {
  *overflow = bc->overflow;
  if (!bc->declared || bc->overflow) return NULL;
  Budget b = *bc;   /* the overflow flag of the multiplications below */
  json_t *j = json_object();
  if (!b.shown) {
    json_object_set_new(j, "benefit", json_null());
    json_object_set_new(j, "not_shown", json_string(b.why));
    json_object_set_new(j, "not_shown_code", json_string(b.why_code));
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
  json_t *cohort = b.cohort ? cohort_json(&b, weighted_run) : json_null();
  if (b.overflow) {
    json_decref(cohort);
    json_decref(j);
    *overflow = true;
    return NULL;
  }
  json_object_set_new(j, "cohort", cohort);
  if (!b.cohort) {
    json_object_set_new(j, "cohort_note", json_string(b.why));
    json_object_set_new(j, "cohort_code", json_string(b.cohort_code));
  }
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
  json_t *c = json_object_get(j, "cohort");
  if (!json_is_object(c)) {
    fprintf(f, _("  cohort: %s\n"), str(j, "cohort_note"));
    return;
  }
  snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(c, "years")));
  fprintf(f, _("  cohort of new rights over its first %s years (%s): base %s, proposal %s; change %s, %s per dossier\n"),
          n, str(c, "formula"), str(c, "base"), str(c, "proposal"), str(c, "change"), str(c, "change_per_dossier"));
  size_t i;
  json_t *y;
  json_array_foreach(json_object_get(c, "per_year"), i, y) {
    snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(y, "year")));
    fprintf(f, _("    year %s: base %s, proposal %s, change %s\n"), n, str(y, "base"), str(y, "proposal"), str(y, "change"));
  }
  json_int_t z = json_integer_value(json_object_get(c, "durations_below_zero"));
  if (z > 0) {
    snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT, z);
    fprintf(f, _("    %s dossiers have a duration below 0: counted as 0 periods\n"), n);
  }
}
