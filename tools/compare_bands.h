/*
** compare_bands.h: winners and losers as policy people read them (issue 20 part 2) -- the five
** bands of a dossier's change relative to its base value, and the symmetric log scale of the
** histogram of the change.
**
** The bands, exact on integers: gains more than 5 %, gains 5 % or less, unchanged, loses 5 % or
** less, loses more than 5 %. Exactly 5 % is "5 % or less" (the "more than 5 %" is strict).
** A base of 0 with a change is "more than 5 %": any amount on nothing is more than 5 % of it, and
** the band then says what matters to the person (from nothing to something, or the reverse); a
** sixth band would leave the five shares not adding up to the whole in the chart.
*/
#ifndef DAGLOON_COMPARE_BANDS_H
#define DAGLOON_COMPARE_BANDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "runtime/value.h"

enum { BAND_GAIN_MORE, BAND_GAIN_UPTO, BAND_SAME, BAND_LOSS_UPTO, BAND_LOSS_MORE, NBANDS };

/* The JSON keys of the bands, in the order above ("gain_over_5pct", ...). */
extern const char *const band_keys[NBANDS];

/* The band of a change `diff` on a base value `base` (both in the value column's units). */
int band_of(int64_t diff, int64_t base);

/* Counts and weights per band of a set of dossiers. */
typedef struct Bands {
  uint64_t n[NBANDS];
  Dec w[NBANDS];
  bool overflow;
} Bands;

void bands_init(Bands *b);
void bands_add(Bands *b, int64_t diff, int64_t base, Dec weight);

/* {"gain_over_5pct": {"dossiers": n, "weight": "w", "share_pct": "p"}, ...}: share of the total
   weight `total` in percent (exact, or "~" rounded to two decimals); share null when total is 0. */
json_t *bands_json(const Bands *b, Dec total);

/*
** The histogram's scale: bins whose edges go 1, 2, 5, 10, 20, 50, ... units (cents for geld) on
** either side of a zero bin of its own. Bin 0 holds 0; bin k > 0 holds [edge(k-1), edge(k) - 1];
** bin -k the mirror. So a change of a few cents and one of a few hundred euros both get bars.
*/
int sym_bin(int64_t v);
/* The first and last value of bin k (the last one of the outer bins is clamped to int64's range). */
void sym_bin_range(int k, int64_t *from, int64_t *to);

#endif
