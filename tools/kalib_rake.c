/*
** kalib_rake.c: raking over marginal totals in exact scaled integers (kalib_rake.h).
*/
#include "tools/kalib_rake.h"

#include <stdio.h>
#include <string.h>

kalib_num kalib_div_round(kalib_num x, kalib_num d) { return (2 * x + d) / (2 * d); }

static kalib_num absval(kalib_num x) { return x < 0 ? -x : x; }

void kalib_sums(KalibRake *r) {
  memset(r->sum, 0, r->ntargets * sizeof *r->sum);
  for (size_t i = 0; i < r->n; i++)
    for (size_t d = 0; d < r->ndims; d++) r->sum[r->cat[i * r->ndims + d]] += r->w[i];
}

kalib_num kalib_gap(const KalibRake *r, size_t *which) {
  kalib_num worst = 0;
  size_t at = 0;
  for (size_t t = 0; t < r->ntargets; t++)
    if (absval(r->sum[t] - r->target[t]) > worst) worst = absval(r->sum[t] - r->target[t]), at = t;
  if (which) *which = at;
  return worst;
}

/* One dimension: every weight times target / sum of its category (the sums of this dimension fresh). */
static void rake_dimension(KalibRake *r, size_t d) {
  for (size_t i = 0; i < r->n; i++) r->sum[r->cat[i * r->ndims + d]] = 0;
  for (size_t i = 0; i < r->n; i++) r->sum[r->cat[i * r->ndims + d]] += r->w[i];
  for (size_t i = 0; i < r->n; i++) {
    uint32_t t = r->cat[i * r->ndims + d];
    r->w[i] = kalib_div_round(r->w[i] * r->target[t], r->sum[t]);
  }
}

bool kalib_rake(KalibRake *r, kalib_num tol, int max_iter, int *passes, kalib_num *gap) {
  kalib_sums(r);
  *gap = kalib_gap(r, NULL);
  *passes = 0;
  while (*gap > tol && *passes < max_iter) {
    for (size_t d = 0; d < r->ndims; d++) rake_dimension(r, d);
    kalib_sums(r);
    *gap = kalib_gap(r, NULL);
    ++*passes;
  }
  return *gap <= tol;
}

bool kalib_parse(const char *s, size_t len, kalib_num *out) {
  kalib_num v = 0;
  size_t i = 0, digits = 0;
  int places = -1;
  for (; i < len; i++) {
    if (s[i] == '.' && places < 0) { places = 0; continue; }
    if (s[i] < '0' || s[i] > '9') return false;
    if (places >= 0 && ++places > KALIB_PLACES) return false;
    if (++digits > 30) return false;
    v = v * 10 + (s[i] - '0');
  }
  if (digits == 0 || places == 0) return false;   /* "", ".", "12." */
  for (int p = places < 0 ? 0 : places; p < KALIB_PLACES; p++) v *= 10;
  if (v > KALIB_MAX_TOTAL) return false;
  *out = v;
  return true;
}

void kalib_format(kalib_num x, int places, char *buf, size_t cap) {
  bool neg = x < 0;
  kalib_num step = 1;
  for (int p = places; p < KALIB_PLACES; p++) step *= 10;
  kalib_num v = kalib_div_round(neg ? -x : x, step);   /* in 10^-places */
  if (v == 0) neg = false;                             /* no "-0.0000" */
  char digits[64];
  int n = 0;
  do digits[n++] = (char)('0' + (int)(v % 10)), v /= 10; while (v > 0 || n <= places);
  size_t k = 0;
  if (neg && k + 1 < cap) buf[k++] = '-';
  for (int i = n - 1; i >= 0 && k + 1 < cap; i--) {
    buf[k++] = digits[i];
    if (i == places && places > 0 && k + 1 < cap) buf[k++] = '.';
  }
  buf[k] = '\0';
}
