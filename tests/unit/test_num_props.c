/*
** test_num_props.c: property tests of the exact arithmetic (num.c) against a
** slow, separately written reference: unreduced 128-bit fractions, compared
** by cross-multiplication, reduced with a plain Euclid, rounded by floor
** division. Random inputs from a fixed-seed xorshift, so a failure repeats.
*/
#include <criterion/criterion.h>
#include <stdint.h>

#include "runtime/num.h"

__extension__ typedef __int128 i128;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next_u64(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return rng_state = x;
}

/* A random integer in [-(2^bits), 2^bits]. */
static int64_t rand_signed(int bits) {
  uint64_t m = (1ull << bits) - 1;
  int64_t v = (int64_t)(next_u64() & m);
  return (next_u64() & 1) ? -v : v;
}

static int64_t rand_positive(int bits) {
  uint64_t m = (1ull << bits) - 1;
  return (int64_t)(next_u64() & m) + 1;
}

static Dec rand_dec(int bits) {
  Dec d;
  cr_assert_eq(dec_make(rand_signed(bits), rand_positive(bits), &d), NUM_OK);
  return d;
}

/* The reference fraction: n/d with d > 0, never reduced. */
typedef struct Frac {
  i128 n, d;
} Frac;

static i128 iabs(i128 x) { return x < 0 ? -x : x; }

static i128 gcd128(i128 a, i128 b) {
  a = iabs(a);
  b = iabs(b);
  while (b) {
    i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Does the Dec equal the fraction? Cross-multiplied: both sides stay below 2^126 here. */
static bool same_value(Dec x, Frac f) { return (i128)x.num * f.d == f.n * (i128)x.den; }

static bool is_reduced(Dec x) { return x.den > 0 && gcd128(x.num, x.den) == 1; }

/* Whether the fraction, reduced, fits a Dec (num and den in int64, num not INT64_MIN). */
static bool fits(Frac f) {
  i128 g = gcd128(f.n, f.d);
  if (g == 0) return true;
  i128 n = f.n / g, d = f.d / g;
  /* num.c treats an INT64_MIN numerator as overflow too (it could not be negated) */
  return n >= -(i128)INT64_MAX && n <= INT64_MAX && d <= INT64_MAX;
}

static Frac ref_add(Dec a, Dec b) { return (Frac){(i128)a.num * b.den + (i128)b.num * a.den, (i128)a.den * b.den}; }
static Frac ref_sub(Dec a, Dec b) { return (Frac){(i128)a.num * b.den - (i128)b.num * a.den, (i128)a.den * b.den}; }
static Frac ref_mul(Dec a, Dec b) { return (Frac){(i128)a.num * b.num, (i128)a.den * b.den}; }
static Frac ref_div(Dec a, Dec b) {
  Frac f = {(i128)a.num * b.den, (i128)a.den * b.num};
  if (f.d < 0) {
    f.n = -f.n;
    f.d = -f.d;
  }
  return f;
}

Test(num_props, add_sub_mul_div_match_the_reference) {
  rng_state = 12345;
  for (int i = 0; i < 20000; i++) {
    Dec a = rand_dec(30), b = rand_dec(30), r;
    cr_assert_eq(dec_add(a, b, &r), NUM_OK);
    cr_assert(same_value(r, ref_add(a, b)) && is_reduced(r), "add %lld/%lld + %lld/%lld", (long long)a.num,
              (long long)a.den, (long long)b.num, (long long)b.den);
    cr_assert_eq(dec_sub(a, b, &r), NUM_OK);
    cr_assert(same_value(r, ref_sub(a, b)) && is_reduced(r));
    cr_assert_eq(dec_mul(a, b, &r), NUM_OK);
    cr_assert(same_value(r, ref_mul(a, b)) && is_reduced(r));
    if (b.num == 0) {
      cr_assert_eq(dec_div(a, b, &r), NUM_DIV_ZERO);
    } else {
      cr_assert_eq(dec_div(a, b, &r), NUM_OK);
      cr_assert(same_value(r, ref_div(a, b)) && is_reduced(r));
    }
  }
}

Test(num_props, compare_matches_the_sign_of_the_difference) {
  rng_state = 777;
  for (int i = 0; i < 20000; i++) {
    /* Wide operands: the cross products need more than 64 bits. */
    Dec a = rand_dec(62), b = rand_dec(62);
    if (i % 7 == 0) b = a;
    Frac d = ref_sub(a, b);
    int want = d.n > 0 ? 1 : d.n < 0 ? -1 : 0;
    cr_assert_eq(dec_cmp(a, b), want);
  }
}

Test(num_props, wide_operands_are_exact_or_overflow) {
  rng_state = 4242;
  int ok = 0, overflow = 0;
  for (int i = 0; i < 20000; i++) {
    Dec a = rand_dec(1 + (int)(next_u64() % 62)), b = rand_dec(1 + (int)(next_u64() % 62)), r;
    Frac f = ref_mul(a, b);
    NumStatus st = dec_mul(a, b, &r);
    if (fits(f)) {
      cr_assert_eq(st, NUM_OK, "mul that fits reported %d", st);
      /* Reduced first: cross products of these wide operands would not fit 128 bits. */
      i128 g = gcd128(f.n, f.d);
      if (g == 0) g = 1;
      cr_assert(r.num == f.n / g && r.den == f.d / g);
      ok++;
    } else {
      cr_assert_eq(st, NUM_OVERFLOW, "mul that does not fit must be an overflow, never a rounded value");
      overflow++;
    }
  }
  /* Both branches must really have been exercised. */
  cr_assert_gt(ok, 1000);
  cr_assert_gt(overflow, 1000);
}

/* Reference rounding of n/d (d > 0) to an integer, one method at a time. */
static i128 ref_round(i128 n, i128 d, RoundMethod m) {
  i128 q = n / d, r = n % d;
  if (r < 0) {   /* floor division */
    q -= 1;
    r += d;
  }
  if (r == 0) return q;
  switch (m) {
  case ROUND_FLOOR: return q;
  case ROUND_CEIL: return q + 1;
  case ROUND_TOWARD_ZERO: return n < 0 ? q + 1 : q;
  case ROUND_AWAY_FROM_ZERO: return n < 0 ? q : q + 1;
  default:   /* half away from zero */
    if (2 * r > d) return q + 1;
    if (2 * r < d) return q;
    return n < 0 ? q : q + 1;
  }
}

Test(num_props, rounding_to_cents_and_multiples_matches_the_reference) {
  rng_state = 99;
  static const int64_t units[] = {1, 100, 261, 5};
  for (int i = 0; i < 20000; i++) {
    Dec x = rand_dec(34);
    if (i % 5 == 0) {   /* exact halves of a cent are where the methods differ most */
      cr_assert_eq(dec_make(rand_signed(20) * 2 + 1, 200, &x), NUM_OK);
    }
    for (int u = 0; u < 4; u++)
      for (int m = 0; m < ROUND__COUNT; m++) {
        int64_t got;
        cr_assert_eq(dec_round_to_cents(x, units[u], (RoundMethod)m, &got), NUM_OK);
        /* cents = x * 100, in multiples of the unit */
        i128 want = ref_round((i128)x.num * 100, (i128)x.den * units[u], (RoundMethod)m) * units[u];
        cr_assert(got == want, "round %lld/%lld unit %lld method %d: got %lld", (long long)x.num, (long long)x.den,
                  (long long)units[u], m, (long long)got);
      }
  }
}

Test(num_props, rounding_to_places_matches_the_reference) {
  rng_state = 31337;
  for (int i = 0; i < 10000; i++) {
    Dec x = rand_dec(30), got;
    int places = (int)(next_u64() % 7);
    i128 scale = 1;
    for (int k = 0; k < places; k++) scale *= 10;
    for (int m = 0; m < ROUND__COUNT; m++) {
      cr_assert_eq(dec_round_places(x, places, (RoundMethod)m, &got), NUM_OK);
      Frac want = {ref_round((i128)x.num * scale, x.den, (RoundMethod)m), scale};
      cr_assert(same_value(got, want) && is_reduced(got));
    }
  }
}

/* MUL_ROUND_MONEY and REVISE round cents x n/d in one step; it must equal the rational route. */
Test(num_props, money_scale_round_matches_the_rational_route) {
  for (int i = 0; i < 20000; i++) {
    int64_t cents = rand_signed(36);
    Dec f = rand_dec(20);
    RoundMethod m = (RoundMethod)(rand_positive(8) % ROUND__COUNT);
    int64_t unit = i % 3 == 0 ? 1 : i % 3 == 1 ? 100 : 261;
    Dec x, prod;
    cr_assert_eq(dec_from_cents(cents, &x), NUM_OK);
    cr_assert_eq(dec_mul(x, f, &prod), NUM_OK);
    int64_t want, got;
    NumStatus ws = dec_round_to_cents(prod, unit, m, &want);
    NumStatus gs = money_scale_round(cents, f.num, f.den, unit, m, &got);
    cr_assert_eq(gs, ws, "status for %lld x %lld/%lld", (long long)cents, (long long)f.num, (long long)f.den);
    if (ws == NUM_OK)
      cr_assert_eq(got, want, "%lld x %lld/%lld by %d to %lld: %lld, expected %lld", (long long)cents,
                   (long long)f.num, (long long)f.den, (int)m, (long long)unit, (long long)got, (long long)want);
  }
}

Test(num_props, cents_to_decimal_equals_the_reduced_fraction) {
  rng_state = 424242;
  const int64_t edges[] = {0, 1, -1, 2, 4, 5, 10, 20, 25, 50, 75, 100, -100, 125, 1000, 2500, 99999, INT64_MAX,
                           INT64_MIN, INT64_MIN + 1, INT64_MAX - 99, (int64_t)1 << 62};
  for (size_t i = 0; i < sizeof edges / sizeof *edges + 200000; i++) {
    int64_t c = i < sizeof edges / sizeof *edges ? edges[i] : rand_signed(1 + (int)(next_u64() % 62));
    Dec x;
    cr_assert_eq(dec_from_cents(c, &x), NUM_OK);
    cr_assert(same_value(x, (Frac){c, 100}) && is_reduced(x), "%lld cents: %lld/%lld", (long long)c,
              (long long)x.num, (long long)x.den);
  }
}
