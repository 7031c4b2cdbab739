/*
** kalib_rake.h: raking (iterative proportional fitting) of weights over
** marginal totals, in exact scaled integers: an amount of people is a
** whole number of KALIB_UNIT parts (10^-9 person), so no binary floating
** point is ever used and a run gives the same weights on every machine.
**
** One pass scales, dimension by dimension, every weight of a category c
** by target(c) / sum(c), rounded half up to a unit. After each pass the
** largest gap |sum(c) - target(c)| over all targets is measured; raking
** stops when it is at most the tolerance, or after the iteration cap.
*/
#ifndef DAGLOON_KALIB_RAKE_H
#define DAGLOON_KALIB_RAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 kalib_num;

#define KALIB_PLACES 9                     /* decimals of a unit */
#define KALIB_UNIT ((kalib_num)1000000000) /* units per person */
/* Totals up to 10^9 people: weight x total then stays below 10^36 < 2^127. */
#define KALIB_MAX_TOTAL (KALIB_UNIT * 1000000000)

typedef struct KalibRake {
  size_t n;               /* records */
  size_t ndims;           /* dimensions */
  size_t ntargets;        /* categories over all dimensions */
  const uint32_t *cat;    /* n x ndims: the target index of record i in dimension d */
  const kalib_num *target;/* per target: its total in units */
  kalib_num *sum;         /* per target: the sum of the weights of its records (out) */
  kalib_num *w;           /* per record: its weight in units (in: the start weight, out: the result) */
} KalibRake;

/* The sums of the weights per target into r->sum. */
void kalib_sums(KalibRake *r);

/* The largest |sum - target| over all targets (after kalib_sums), and which target (may be NULL). */
kalib_num kalib_gap(const KalibRake *r, size_t *which);

/*
** Rakes until the largest gap is at most tol or max_iter passes are done.
** Every target must have a positive sum of start weights. Returns true
** when it converged; *passes and *gap say how far it got.
*/
bool kalib_rake(KalibRake *r, kalib_num tol, int max_iter, int *passes, kalib_num *gap);

/* x / d rounded half up (d > 0, x >= 0). */
kalib_num kalib_div_round(kalib_num x, kalib_num d);

/*
** Parses "123", "123.4567" (at most KALIB_PLACES decimals, no sign) into
** units; false on anything else or above KALIB_MAX_TOTAL.
*/
bool kalib_parse(const char *s, size_t len, kalib_num *out);

/* Units as a decimal with `places` decimals (places <= KALIB_PLACES, rounded half up, sign kept). */
void kalib_format(kalib_num x, int places, char *buf, size_t cap);

#endif
