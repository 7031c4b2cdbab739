/*
** compare.h: `dagloon compare BASE PROPOSAL INPUT` -- a proposed rule set
** beside the current one over a population of dossiers, in one pass: per
** dossier the base and proposal values of the compared output columns and
** their difference, and a summary of who gains, who loses, by how much and
** at what total (counts, totals, mean, percentiles, histogram, the largest
** gains and losses, groups by an input field, deciles of a value, optional
** record weights).
*/
#ifndef DAGLOON_COMPARE_H
#define DAGLOON_COMPARE_H

#include "tools/options.h"

/* `a` holds the parsed command line of compare. Returns the process exit status. */
int cmd_compare(const ParsedArgs *a);

#endif
