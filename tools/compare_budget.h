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

typedef struct Budget {
  bool declared;            /* either rule set declares a benefit: the summary says something */
  bool shown;               /* both declare the same one: the figures are computed */
  char why[300];            /* declared but not shown: why */
  const char *column;       /* the benefit's output column */
  uint8_t period;           /* BenefitPeriod */
  int base_out, prop_out;   /* its index in each chunk's outputs (-1: not shown) */
  uint64_t dossiers;        /* compared dossiers counted */
  Dec weight, base, prop;   /* sum of weights; sums of weight x benefit per period, in euros */
  bool overflow;            /* a sum does not fit an exact number */
} Budget;

/* Whether the two rule sets declare the same benefit (same column, period, geld in both). */
void budget_setup(Budget *b, const Chunk *cb, const Chunk *cp);

/* One compared dossier: its benefit per period on both sides, in cents, and its weight. */
void budget_add(Budget *b, int64_t base_cents, int64_t prop_cents, Dec weight);

/* The summary's "budget" object (NULL when neither side declares a benefit); *overflow set when a
   figure does not fit an exact number (then the object is NULL too, and no summary is written). */
json_t *budget_json(const Budget *b, bool weighted, bool *overflow);

/* Its lines in the text summary (nothing when j is NULL). */
void budget_text(FILE *f, json_t *j);

#endif
