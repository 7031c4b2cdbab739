/*
** kalib_targets.h: the targets file of dagloon kalibreer, a CSV with a
** header naming the columns dimensie, categorie, totaal, status, bron and
** (optional) toelichting, as rules/populatie/README.md describes. A row is
** one marginal total: the number of people whose dossier field `dimensie`
** has the value `categorie`. status is stated, derived or unverified (as
** in rules/tables); an unverified row may leave totaal empty, and is then
** left out of the raking (and listed in the report).
*/
#ifndef DAGLOON_KALIB_TARGETS_H
#define DAGLOON_KALIB_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tools/kalib_rake.h"

typedef struct KalibTarget {
  char *dim, *cat, *status, *bron;
  bool has_total;
  kalib_num total;     /* units (kalib_rake.h), when has_total */
  uint64_t line;
  uint32_t dim_index;  /* into KalibTargets.dims, when has_total */
} KalibTarget;

typedef struct KalibTargets {
  KalibTarget *rows;   /* in file order */
  size_t n;
  char **dims;         /* the dimensions with a total, in order of first appearance */
  size_t ndims;
} KalibTargets;

/* Loads path; false, with every fault printed (file:line: ...), when it cannot be used. */
bool kalib_targets_load(const char *path, KalibTargets *out);
/* Checks that every dimension has the same total; false, printing each dimension's total, when not. */
bool kalib_targets_consistent(const KalibTargets *t);
void kalib_targets_free(KalibTargets *t);

#endif
