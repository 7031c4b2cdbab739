/*
** compare_budget.h: the budget effect in `dagloon compare` -- what the difference in the benefit
** paid costs per year (issue 20 part 1). Both rule sets declare the benefit ('uitkering X per maand',
** docs/LANGUAGE.md); the difference per dossier is turned into euros per year (x 12 for a monthly
** benefit, x 1 for a yearly one), weighted with --weight and summed exactly. Without a declaration on
** either side nothing is added to the summary (its bytes stay as they were).
*/
#ifndef DAGLOON_COMPARE_BUDGET_H
#define DAGLOON_COMPARE_BUDGET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/chunk.h"
#include "runtime/value.h"

#define BUDGET_MAX_YEARS 50   /* compare --jaren N: 1 to 50 */

/* What one side pays one dossier (compare_eval.c reads it from the outputs): the benefit per period,
   and with 'duur D daarna Y' the number of periods D and the benefit Y paid after them. */
typedef struct BenefitPaid {
  int64_t cents;            /* the benefit per period, in cents */
  int64_t periods;          /* D (0 without 'duur') */
  int64_t then_cents;       /* Y per period, in cents (0 without 'daarna') */
} BenefitPaid;

typedef struct Budget {
  bool declared;            /* either rule set declares a benefit: the summary says something */
  bool shown;               /* both declare the same one: the figures are computed */
  char why[300];            /* declared but not shown: why */
  const char *why_code;     /* and that reason as a code (the report's Dutch text): only_base, only_proposal, differ */
  const char *column;       /* the benefit's output column */
  uint8_t period;           /* BenefitPeriod */
  int base_out, prop_out;   /* its index in each chunk's outputs (-1: not shown) */
  uint64_t dossiers;        /* compared dossiers counted */
  Dec weight, base, prop;   /* sum of weights; sums of weight x benefit per period, in euros */
  bool overflow;            /* a sum does not fit an exact number */
  /* the cohort of new rights over its first `years` years ('duur D', --jaren N) */
  int years;                /* --jaren N, or 0 */
  bool cohort;              /* both sides declare the same 'duur' (and 'daarna') and N is given */
  const char *cohort_code;  /* why not: no_duration, duration_differs, no_years (NULL when computed) */
  const char *duration, *then;      /* the columns D and Y (then NULL without 'daarna') */
  int base_dur, prop_dur, base_then, prop_then;   /* their index in each chunk's outputs, or -1 */
  Dec cohort_base[BUDGET_MAX_YEARS], cohort_prop[BUDGET_MAX_YEARS];   /* sums of weight x paid in year y+1 */
  uint64_t below_zero;      /* dossiers with a duration below 0 (counted as 0 periods) */
} Budget;

/* Whether the two rule sets declare the same benefit (same column, period, geld in both), and the
   same duration for the cohort over `years` years (0: not asked). */
void budget_setup(Budget *b, const Chunk *cb, const Chunk *cp, int years);

/* --jaren's value into *years; NULL, or the usage error (untranslated, as N_). */
const char *budget_parse_years(const char *text, int *years);

/* What a side pays a dossier in year `year` (1-based) of the cohort, in cents; false on overflow.
   The first D periods pay the benefit, the rest of the year's periods what 'daarna' says (or 0). */
bool budget_paid_in_year(const Budget *b, BenefitPaid p, int year, int64_t *cents);

/* Over the cohort's `years` years, in cents; false on overflow. */
bool budget_paid_cohort(const Budget *b, BenefitPaid p, int64_t *cents);

/* One compared dossier: what both sides pay it, and its weight. */
void budget_add(Budget *b, BenefitPaid base, BenefitPaid prop, Dec weight);

/* The summary's "budget" object (NULL when neither side declares a benefit); *overflow set when a
   figure does not fit an exact number (then the object is NULL too, and no summary is written). */
json_t *budget_json(const Budget *b, bool weighted, bool *overflow);

/* Its lines in the text summary (nothing when j is NULL). */
void budget_text(FILE *f, json_t *j);

#endif
