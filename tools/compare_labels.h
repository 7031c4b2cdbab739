/*
** compare_labels.h: the human labels of compare's summary (issue 20 part 2) -- what the rule set
** calls the compared column, the deciles column, the --by field and each group ('label "..."' on a
** rule, an invoer field or a keuze's choice, docs/LANGUAGE.md). The report shows the label with the
** identifier as a tooltip; the summary keeps the identifiers and adds the labels beside them.
*/
#ifndef DAGLOON_COMPARE_LABELS_H
#define DAGLOON_COMPARE_LABELS_H

#include <jansson.h>
#include "runtime/chunk.h"

/* Adds "value_label", "deciles_of_label", "by_label", each group's "label" and the budget's
   "benefit_label" (its cohort's "duration_label", "afterwards_label") to the summary, from the base
   rule set, where the rule set gives one (absent where it does not). */
void compare_labels_add(json_t *summary, const Chunk *base);

#endif
