/*
** compare_bands.c: see compare_bands.h.
*/
#include "tools/compare_bands.h"

#include "runtime/num.h"
#include "tools/report_format.h"

__extension__ typedef __int128 Wide;   /* |int64| and the edges past INT64_MAX fit */

const char *const band_keys[NBANDS] = {"gain_over_5pct", "gain_up_to_5pct", "unchanged", "loss_up_to_5pct",
                                       "loss_over_5pct"};

int band_of(int64_t diff, int64_t base) {
  if (diff == 0) return BAND_SAME;
  Wide d = diff < 0 ? -(Wide)diff : diff, b = base < 0 ? -(Wide)base : base;
  bool more = b == 0 || d * 20 > b;   /* |d| / |b| > 5 / 100 */
  if (diff > 0) return more ? BAND_GAIN_MORE : BAND_GAIN_UPTO;
  return more ? BAND_LOSS_MORE : BAND_LOSS_UPTO;
}

void bands_init(Bands *b) {
  *b = (Bands){{0}, {{0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 1}}, false};
}

void bands_add(Bands *b, int64_t diff, int64_t base, Dec weight) {
  int k = band_of(diff, base);
  Dec r;
  b->n[k]++;
  if (dec_add(b->w[k], weight, &r) != NUM_OK) b->overflow = true;
  else b->w[k] = r;
}

json_t *bands_json(const Bands *b, Dec total) {
  json_t *o = json_object();
  char buf[128];
  for (int k = 0; k < NBANDS; k++) {
    json_t *e = json_object();
    json_object_set_new(e, "dossiers", json_integer((json_int_t)b->n[k]));
    summary_amount(b->w[k], buf, sizeof buf);
    json_object_set_new(e, "weight", json_string(buf));
    Dec pct = {0, 1}, share = {0, 1};
    if (total.num != 0 && dec_mul(b->w[k], dec_from_int(100), &pct) == NUM_OK && dec_div(pct, total, &share) == NUM_OK) {
      summary_amount(share, buf, sizeof buf);
      json_object_set_new(e, "share_pct", json_string(buf));
    } else {
      json_object_set_new(e, "share_pct", json_null());
    }
    json_object_set_new(o, band_keys[k], e);
  }
  return o;
}

/* edge(i): 1, 2, 5, 10, 20, 50, ... (i from 0); past int64 it is clamped to INT64_MAX. */
static Wide edge(int i) {
  static const int mant[3] = {1, 2, 5};
  Wide e = mant[i % 3];
  for (int d = 0; d < i / 3 && e <= INT64_MAX; d++) e *= 10;
  return e;
}

int sym_bin(int64_t v) {
  if (v == 0) return 0;
  Wide a = v < 0 ? -(Wide)v : v;
  int k = 1;
  while (a >= edge(k) && edge(k) <= INT64_MAX) k++;
  return v < 0 ? -k : k;
}

void sym_bin_range(int k, int64_t *from, int64_t *to) {
  if (k == 0) {
    *from = *to = 0;
    return;
  }
  int a = k < 0 ? -k : k;
  Wide lo = edge(a - 1), hi = edge(a) - 1;
  if (hi > INT64_MAX) hi = INT64_MAX;
  if (k > 0) {
    *from = (int64_t)lo;
    *to = (int64_t)hi;
  } else {
    *from = hi == INT64_MAX ? INT64_MIN : -(int64_t)hi;
    *to = -(int64_t)lo;
  }
}
