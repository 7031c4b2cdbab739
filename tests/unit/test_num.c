/*
** test_num.c: unit tests for runtime/num.c. Every expected value below was
** worked out by hand (the arithmetic is noted where it is not obvious),
** never copied from the code's own output.
*/
#include <criterion/criterion.h>

#include <string.h>

#include "runtime/num.h"

#define M64 INT64_MAX
#define SENTINEL 777

static Dec D(int64_t n, int64_t d) {
  Dec x = { n, d };
  return x;
}

static void assert_dec(Dec got, int64_t n, int64_t d) {
  cr_assert(got.num == n && got.den == d,
            "got %lld/%lld, expected %lld/%lld",
            (long long)got.num, (long long)got.den, (long long)n, (long long)d);
}

/* Round x euros to `unit` cents; asserts NUM_OK and returns the cents. */
static int64_t rc(Dec x, int64_t unit, RoundMethod m) {
  int64_t out = SENTINEL;
  NumStatus st = dec_round_to_cents(x, unit, m, &out);
  cr_assert_eq(st, NUM_OK, "status %d for %lld/%lld", st, (long long)x.num, (long long)x.den);
  return out;
}

/* ---- status text ---- */

Test(num, status_text) {
  cr_assert_str_eq(num_status_text(NUM_OK), "ok");
  cr_assert_str_eq(num_status_text(NUM_OVERFLOW), "overflow");
  cr_assert_str_eq(num_status_text(NUM_DIV_ZERO), "division by zero");
  cr_assert_str_eq(num_status_text(NUM_SYNTAX), "not a number");
}

/* ---- integers and money ---- */

Test(num, int_ok) {
  int64_t r = 0;
  cr_assert_eq(int_add(2, 3, &r), NUM_OK); cr_assert_eq(r, 5);
  cr_assert_eq(int_sub(2, 3, &r), NUM_OK); cr_assert_eq(r, -1);
  cr_assert_eq(int_mul(-4, 3, &r), NUM_OK); cr_assert_eq(r, -12);
  cr_assert_eq(int_neg(5, &r), NUM_OK); cr_assert_eq(r, -5);
  cr_assert_eq(int_neg(INT64_MAX, &r), NUM_OK); cr_assert_eq(r, INT64_MIN + 1);
  cr_assert_eq(int_add(INT64_MAX, INT64_MIN, &r), NUM_OK); cr_assert_eq(r, -1);
  /* 3037000499^2 = 9223372030926249001 <= INT64_MAX (by hand: (3037000500-1)^2) */
  cr_assert_eq(int_mul(3037000499, 3037000499, &r), NUM_OK);
  cr_assert_eq(r, 9223372030926249001);
}

Test(num, int_overflow) {
  int64_t r = SENTINEL;
  cr_assert_eq(int_add(INT64_MAX, 1, &r), NUM_OVERFLOW);
  cr_assert_eq(int_add(INT64_MIN, -1, &r), NUM_OVERFLOW);
  cr_assert_eq(int_sub(INT64_MIN, 1, &r), NUM_OVERFLOW);
  cr_assert_eq(int_sub(0, INT64_MIN, &r), NUM_OVERFLOW);
  cr_assert_eq(int_mul(INT64_MAX, 2, &r), NUM_OVERFLOW);
  cr_assert_eq(int_mul(INT64_MIN, -1, &r), NUM_OVERFLOW);
  /* 3037000500^2 = 9223372037000250000 > 9223372036854775807 */
  cr_assert_eq(int_mul(3037000500, 3037000500, &r), NUM_OVERFLOW);
  cr_assert_eq(int_neg(INT64_MIN, &r), NUM_OVERFLOW);
  cr_assert_eq(r, SENTINEL, "out must be untouched on error");
}

Test(num, money_ops) {
  int64_t r = SENTINEL;
  cr_assert_eq(money_add(1999, 1, &r), NUM_OK); cr_assert_eq(r, 2000);
  cr_assert_eq(money_sub(5, 10, &r), NUM_OK); cr_assert_eq(r, -5);
  cr_assert_eq(money_mul_int(26100, 3, &r), NUM_OK); cr_assert_eq(r, 78300);
  r = SENTINEL;
  cr_assert_eq(money_add(INT64_MAX, 1, &r), NUM_OVERFLOW);
  cr_assert_eq(money_sub(INT64_MIN, 1, &r), NUM_OVERFLOW);
  cr_assert_eq(money_mul_int(INT64_MAX / 2 + 1, 2, &r), NUM_OVERFLOW);
  cr_assert_eq(money_mul_int(INT64_MIN, -1, &r), NUM_OVERFLOW);
  /* INT64_MAX = 3 * 3074457345618258602 + 1 */
  cr_assert_eq(money_mul_int(-3074457345618258602, 3, &r), NUM_OK);
  cr_assert_eq(r, -9223372036854775806);
  r = SENTINEL;
  cr_assert_eq(money_mul_int(-3074457345618258603, 3, &r), NUM_OVERFLOW);   /* -2^63 - 1 */
  cr_assert_eq(r, SENTINEL);
}

/* ---- decimals: construction and reduction ---- */

Test(dec, make_reduces) {
  Dec d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_make(6, 4, &d), NUM_OK); assert_dec(d, 3, 2);
  cr_assert_eq(dec_make(6, -4, &d), NUM_OK); assert_dec(d, -3, 2);
  cr_assert_eq(dec_make(-6, -4, &d), NUM_OK); assert_dec(d, 3, 2);
  cr_assert_eq(dec_make(0, -5, &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(dec_make(7, 1, &d), NUM_OK); assert_dec(d, 7, 1);
  /* INT64_MIN / 2 = -2^62 = -4611686018427387904 */
  cr_assert_eq(dec_make(INT64_MIN, 2, &d), NUM_OK); assert_dec(d, -4611686018427387904, 1);
  cr_assert_eq(dec_make(INT64_MIN, INT64_MIN, &d), NUM_OK); assert_dec(d, 1, 1);
  cr_assert_eq(dec_make(3, INT64_MIN, &d), NUM_OVERFLOW);        /* den 2^63 */
  cr_assert_eq(dec_make(1, INT64_MIN, &d), NUM_OVERFLOW);
  cr_assert_eq(dec_make(INT64_MIN, -1, &d), NUM_OVERFLOW);       /* 2^63 */
  d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_make(1, 0, &d), NUM_DIV_ZERO);
  cr_assert_eq(dec_make(0, 0, &d), NUM_DIV_ZERO);
  assert_dec(d, SENTINEL, SENTINEL);
}

Test(dec, from_int_and_cents) {
  assert_dec(dec_from_int(-42), -42, 1);
  assert_dec(dec_from_int(0), 0, 1);
  Dec d;
  cr_assert_eq(dec_from_cents(150, &d), NUM_OK); assert_dec(d, 3, 2);
  cr_assert_eq(dec_from_cents(-5, &d), NUM_OK); assert_dec(d, -1, 20);
  cr_assert_eq(dec_from_cents(0, &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(dec_from_cents(12345, &d), NUM_OK); assert_dec(d, 2469, 20);
  cr_assert_eq(dec_from_cents(-200, &d), NUM_OK); assert_dec(d, -2, 1);
  cr_assert_eq(dec_from_cents(INT64_MIN, &d), NUM_OK);
  /* -2^63 / 100 = -2^61 / 25 */
  assert_dec(d, -2305843009213693952, 25);
}

/* ---- decimals: arithmetic ---- */

Test(dec, add_sub) {
  Dec d;
  cr_assert_eq(dec_add(D(1, 3), D(1, 6), &d), NUM_OK); assert_dec(d, 1, 2);
  cr_assert_eq(dec_add(D(1, 2), D(-1, 2), &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(dec_sub(D(1, 4), D(3, 4), &d), NUM_OK); assert_dec(d, -1, 2);
  cr_assert_eq(dec_sub(D(-7, 1), D(-7, 1), &d), NUM_OK); assert_dec(d, 0, 1);
  /* 1/2^62 + 1/2^62 = 1/2^61: the 128-bit intermediate den 2^124 reduces */
  cr_assert_eq(dec_add(D(1, 4611686018427387904), D(1, 4611686018427387904), &d), NUM_OK);
  assert_dec(d, 1, 2305843009213693952);
  /* (M-1)/M + 1/M = 1 with M = INT64_MAX */
  cr_assert_eq(dec_add(D(M64 - 1, M64), D(1, M64), &d), NUM_OK); assert_dec(d, 1, 1);
  cr_assert_eq(dec_add(dec_from_int(INT64_MIN), D(1, 1), &d), NUM_OK); assert_dec(d, INT64_MIN + 1, 1);
}

Test(dec, add_sub_overflow) {
  Dec d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_add(D(M64, 1), D(1, 1), &d), NUM_OVERFLOW);
  cr_assert_eq(dec_sub(D(-M64, 1), D(2, 1), &d), NUM_OVERFLOW);
  /* M and M-1 are coprime, so 1/M + 1/(M-1) has den M(M-1) */
  cr_assert_eq(dec_add(D(1, M64), D(1, M64 - 1), &d), NUM_OVERFLOW);
  cr_assert_eq(dec_sub(D(1, 3), D(1, 4611686018427387904), &d), NUM_OVERFLOW);
  /* -M - 1 = INT64_MIN: representable, but treated as overflow (not negatable) */
  cr_assert_eq(dec_sub(D(-M64, 1), D(1, 1), &d), NUM_OVERFLOW);
  assert_dec(d, SENTINEL, SENTINEL);
}

Test(dec, mul_div) {
  Dec d;
  cr_assert_eq(dec_mul(D(2, 3), D(9, 4), &d), NUM_OK); assert_dec(d, 3, 2);
  cr_assert_eq(dec_mul(D(-2, 3), D(3, 2), &d), NUM_OK); assert_dec(d, -1, 1);
  cr_assert_eq(dec_mul(D(M64, 1), D(1, M64), &d), NUM_OK); assert_dec(d, 1, 1);
  cr_assert_eq(dec_mul(D(3037000499, 2), D(2, 3037000499), &d), NUM_OK); assert_dec(d, 1, 1);
  cr_assert_eq(dec_mul(D(0, 1), D(M64, 2), &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(dec_div(D(1, 2), D(-1, 4), &d), NUM_OK); assert_dec(d, -2, 1);
  cr_assert_eq(dec_div(D(-3, 5), D(-9, 10), &d), NUM_OK); assert_dec(d, 2, 3);
  /* dagloon shape: 50064 / 261 stays exact */
  cr_assert_eq(dec_div(dec_from_int(50064), dec_from_int(261), &d), NUM_OK);
  assert_dec(d, 16688, 87);   /* 50064 = 3 * 16688, 261 = 3 * 87, 16688 = 2^4 * 7 * 149 */
  cr_assert_eq(dec_div(D(1, 1), dec_from_int(INT64_MIN), &d), NUM_OVERFLOW);   /* den 2^63 */
  /* -1 / (-2^63/3) = 3/2^63: den too big; -2 / (-2^63/3) = 3/2^62 fits */
  cr_assert_eq(dec_div(D(-1, 1), D(INT64_MIN, 3), &d), NUM_OVERFLOW);
  cr_assert_eq(dec_div(D(-2, 1), D(INT64_MIN, 3), &d), NUM_OK);
  assert_dec(d, 3, 4611686018427387904);
}

Test(dec, mul_div_errors) {
  Dec d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_mul(D(M64, 1), D(2, 1), &d), NUM_OVERFLOW);
  cr_assert_eq(dec_mul(D(1, M64), D(1, 2), &d), NUM_OVERFLOW);
  cr_assert_eq(dec_mul(D(4294967296, 1), D(4294967296, 1), &d), NUM_OVERFLOW);   /* 2^64 */
  cr_assert_eq(dec_div(D(1, 1), D(0, 1), &d), NUM_DIV_ZERO);
  cr_assert_eq(dec_div(D(0, 1), D(0, 1), &d), NUM_DIV_ZERO);
  cr_assert_eq(dec_div(D(M64, 1), D(1, 2), &d), NUM_OVERFLOW);
  assert_dec(d, SENTINEL, SENTINEL);
}

Test(dec, neg) {
  Dec d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_neg(D(3, 2), &d), NUM_OK); assert_dec(d, -3, 2);
  cr_assert_eq(dec_neg(D(0, 1), &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(dec_neg(D(-M64, 1), &d), NUM_OK); assert_dec(d, M64, 1);
  d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_neg(dec_from_int(INT64_MIN), &d), NUM_OVERFLOW);
  assert_dec(d, SENTINEL, SENTINEL);
}

Test(dec, cmp) {
  cr_assert_eq(dec_cmp(D(1, 2), D(1, 2)), 0);
  cr_assert_eq(dec_cmp(D(1, 3), D(1, 2)), -1);
  cr_assert_eq(dec_cmp(D(1, 2), D(1, 3)), 1);
  cr_assert_eq(dec_cmp(D(-1, 2), D(1, 3)), -1);
  cr_assert_eq(dec_cmp(D(-1, 2), D(-1, 3)), -1);
  cr_assert_eq(dec_cmp(D(0, 1), D(-1, M64)), 1);
  /*
  ** a = M/(M-1) = 1 + 1/(M-1), b = (M-1)/(M-2) = 1 + 1/(M-2): b > a, and
  ** both cross products are ~2^126, far outside int64.
  */
  Dec a = D(M64, M64 - 1), b = D(M64 - 1, M64 - 2);
  cr_assert_eq(dec_cmp(a, b), -1);
  cr_assert_eq(dec_cmp(b, a), 1);
  cr_assert_eq(dec_cmp(a, a), 0);
  cr_assert_eq(dec_cmp(D(-M64, M64 - 1), D(-(M64 - 1), M64 - 2)), 1);
  /* 1/3 > 0.333333333333333333 (18 threes) */
  cr_assert_eq(dec_cmp(D(1, 3), D(333333333333333333, 1000000000000000000)), 1);
  /* 2^62 * 4 = 2^64: a comparison done in 64 bits would see 0 < 1 */
  cr_assert_eq(dec_cmp(D(4611686018427387904, 1), D(1, 4)), 1);
  cr_assert_eq(dec_cmp(D(1, 4), D(4611686018427387904, 1)), -1);
  cr_assert_eq(dec_cmp(dec_from_int(INT64_MIN), D(M64, 1)), -1);
  cr_assert_eq(dec_cmp(dec_from_int(INT64_MIN), D(INT64_MIN + 1, 1)), -1);
}

/* ---- rounding ---- */

/*
** One row per value in euros; columns are the expected cents for
** half-away, ceil, floor, toward-zero, away-from-zero.
*/
typedef struct RoundRow {
  Dec x;
  int64_t unit;
  int64_t want[ROUND__COUNT];
} RoundRow;

Test(round, cents_table) {
  static const RoundRow rows[] = {
    /* 1.234 -> 123.4 cents */
    { { 617, 500 }, 1, { 123, 124, 123, 123, 124 } },
    /* 1.235 -> 123.5 cents: the exact half */
    { { 247, 200 }, 1, { 124, 124, 123, 123, 124 } },
    /* 1.236 -> 123.6 cents */
    { { 309, 250 }, 1, { 124, 124, 123, 123, 124 } },
    /* 1.23 exactly */
    { { 123, 100 }, 1, { 123, 123, 123, 123, 123 } },
    { { -617, 500 }, 1, { -123, -123, -124, -123, -124 } },
    { { -247, 200 }, 1, { -124, -123, -124, -123, -124 } },
    { { -309, 250 }, 1, { -124, -123, -124, -123, -124 } },
    { { -123, 100 }, 1, { -123, -123, -123, -123, -123 } },
    /* 0.004 euro = 0.4 cent, both signs */
    { { 1, 250 }, 1, { 0, 1, 0, 0, 1 } },
    { { -1, 250 }, 1, { 0, 0, -1, 0, -1 } },
    { { 0, 1 }, 1, { 0, 0, 0, 0, 0 } },
    /* 1/3 euro = 33.33.. cents; 2/3 = 66.66.. cents */
    { { 1, 3 }, 1, { 33, 34, 33, 33, 34 } },
    { { 2, 3 }, 1, { 67, 67, 66, 66, 67 } },
    { { -2, 3 }, 1, { -67, -66, -67, -66, -67 } },
    /* whole euros: 2.5 -> 3, -2.5 -> -3, 2.4999 -> 2, 2.01 / -2.01 */
    { { 5, 2 }, 100, { 300, 300, 200, 200, 300 } },
    { { -5, 2 }, 100, { -300, -200, -300, -200, -300 } },
    { { 24999, 10000 }, 100, { 200, 300, 200, 200, 300 } },
    { { 201, 100 }, 100, { 200, 300, 200, 200, 300 } },
    { { -201, 100 }, 100, { -200, -200, -300, -200, -300 } },
    /* 50064/261 euro = 19181.609.. cents */
    { { 50064, 261 }, 1, { 19182, 19182, 19181, 19181, 19182 } },
    /* 52187.00 in multiples of 2.61: 5218700/261 = 19995.019..; 19995*261 = 5218695 */
    { { 52187, 1 }, 261, { 5218695, 5218956, 5218695, 5218695, 5218956 } },
    { { -52187, 1 }, 261, { -5218695, -5218695, -5218956, -5218695, -5218956 } },
    /* 1.305 = half of 2.61 */
    { { 261, 200 }, 261, { 261, 261, 0, 0, 261 } },
    { { -261, 200 }, 261, { -261, 0, -261, 0, -261 } },
    /* 5.22 = exactly 2 * 2.61 */
    { { 261, 50 }, 261, { 522, 522, 522, 522, 522 } },
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    for (int m = 0; m < ROUND__COUNT; m++) {
      int64_t got = rc(rows[i].x, rows[i].unit, (RoundMethod)m);
      cr_assert_eq(got, rows[i].want[m], "row %zu method %d: got %lld, want %lld",
                   i, m, (long long)got, (long long)rows[i].want[m]);
    }
  }
}

Test(round, cents_errors) {
  int64_t out = SENTINEL;
  cr_assert_eq(dec_round_to_cents(D(1, 1), 0, ROUND_HALF_AWAY, &out), NUM_DIV_ZERO);
  cr_assert_eq(dec_round_to_cents(D(1, 1), -1, ROUND_HALF_AWAY, &out), NUM_DIV_ZERO);
  /* INT64_MAX/100 = 92233720368547758 euros -> 9223372036854775800 cents fits ... */
  cr_assert_eq(dec_round_to_cents(dec_from_int(M64 / 100), 1, ROUND_HALF_AWAY, &out), NUM_OK);
  cr_assert_eq(out, 9223372036854775800);
  out = SENTINEL;
  /* ... one euro more does not */
  cr_assert_eq(dec_round_to_cents(dec_from_int(M64 / 100 + 1), 1, ROUND_HALF_AWAY, &out), NUM_OVERFLOW);
  cr_assert_eq(dec_round_to_cents(dec_from_int(M64), 1, ROUND_FLOOR, &out), NUM_OVERFLOW);
  cr_assert_eq(dec_round_to_cents(dec_from_int(INT64_MIN), 100, ROUND_FLOOR, &out), NUM_OVERFLOW);
  /*
  ** The quotient fits but the final multiply does not:
  ** 9223372036854775800 / 1000 = 9223372036854775.8 -> ...776, * 1000 > INT64_MAX.
  */
  cr_assert_eq(dec_round_to_cents(dec_from_int(M64 / 100), 1000, ROUND_HALF_AWAY, &out), NUM_OVERFLOW);
  cr_assert_eq(out, SENTINEL);
  /* truncating instead gives 9223372036854775000, which fits */
  cr_assert_eq(dec_round_to_cents(dec_from_int(M64 / 100), 1000, ROUND_TOWARD_ZERO, &out), NUM_OK);
  cr_assert_eq(out, 9223372036854775000);
  /* an unknown method is refused (num.c reports it as NUM_SYNTAX) */
  cr_assert_eq(dec_round_to_cents(D(1, 3), 1, ROUND__COUNT, &out), NUM_SYNTAX);
  cr_assert_eq(dec_round_to_cents(D(1, 1), 1, (RoundMethod)-1, &out), NUM_SYNTAX);
  Dec dd = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_round_places(D(1, 3), 2, ROUND__COUNT, &dd), NUM_SYNTAX);
  assert_dec(dd, SENTINEL, SENTINEL);
  /* a huge denominator: 1/M euro rounds to 0 or 1 cent without overflow */
  cr_assert_eq(rc(D(1, M64), 1, ROUND_CEIL), 1);
  cr_assert_eq(rc(D(1, M64), 1, ROUND_HALF_AWAY), 0);
  cr_assert_eq(rc(D(M64, M64 - 1), 261, ROUND_HALF_AWAY), 0);   /* 1.00.. euro / 2.61 = 0.38 */
}

Test(round, places) {
  Dec d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_round_places(D(1, 3), 2, ROUND_HALF_AWAY, &d), NUM_OK); assert_dec(d, 33, 100);
  cr_assert_eq(dec_round_places(D(2, 3), 2, ROUND_HALF_AWAY, &d), NUM_OK); assert_dec(d, 67, 100);
  cr_assert_eq(dec_round_places(D(2, 3), 2, ROUND_TOWARD_ZERO, &d), NUM_OK); assert_dec(d, 33, 50);
  cr_assert_eq(dec_round_places(D(-2, 3), 0, ROUND_FLOOR, &d), NUM_OK); assert_dec(d, -1, 1);
  cr_assert_eq(dec_round_places(D(-2, 3), 0, ROUND_CEIL, &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(dec_round_places(D(5, 2), 0, ROUND_HALF_AWAY, &d), NUM_OK); assert_dec(d, 3, 1);
  cr_assert_eq(dec_round_places(D(-5, 2), 0, ROUND_HALF_AWAY, &d), NUM_OK); assert_dec(d, -3, 1);
  cr_assert_eq(dec_round_places(D(1, 2), 0, ROUND_TOWARD_ZERO, &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(dec_round_places(D(-1, 2), 0, ROUND_AWAY_FROM_ZERO, &d), NUM_OK); assert_dec(d, -1, 1);
  /* 0.125 -> 0.13 (half away), 0.121 -> 0.13 (ceil), 1.75 -> 1.8 = 9/5 */
  cr_assert_eq(dec_round_places(D(1, 8), 2, ROUND_HALF_AWAY, &d), NUM_OK); assert_dec(d, 13, 100);
  cr_assert_eq(dec_round_places(D(121, 1000), 2, ROUND_CEIL, &d), NUM_OK); assert_dec(d, 13, 100);
  cr_assert_eq(dec_round_places(D(7, 4), 1, ROUND_HALF_AWAY, &d), NUM_OK); assert_dec(d, 9, 5);
  /* an exact value is unchanged by every method */
  for (int m = 0; m < ROUND__COUNT; m++) {
    cr_assert_eq(dec_round_places(D(-3, 8), 3, (RoundMethod)m, &d), NUM_OK);
    assert_dec(d, -3, 8);
  }
  cr_assert_eq(dec_round_places(D(1, 3), 18, ROUND_HALF_AWAY, &d), NUM_OK);
  assert_dec(d, 333333333333333333, 1000000000000000000);
  /* INT64_MAX / 3 = 3074457345618258602 remainder 1 */
  cr_assert_eq(dec_round_places(D(M64, 3), 0, ROUND_FLOOR, &d), NUM_OK);
  assert_dec(d, 3074457345618258602, 1);
  cr_assert_eq(dec_round_places(D(M64, 3), 0, ROUND_AWAY_FROM_ZERO, &d), NUM_OK);
  assert_dec(d, 3074457345618258603, 1);
  /* M * 10^18 only exists in the 128-bit intermediate */
  cr_assert_eq(dec_round_places(D(M64, 1), 18, ROUND_HALF_AWAY, &d), NUM_OK); assert_dec(d, M64, 1);
  d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_round_places(D(1, 3), 19, ROUND_HALF_AWAY, &d), NUM_OVERFLOW);
  cr_assert_eq(dec_round_places(D(1, 3), -1, ROUND_HALF_AWAY, &d), NUM_OVERFLOW);
  cr_assert_eq(dec_round_places(D(M64, 2), 0, ROUND_CEIL, &d), NUM_OK);   /* M is odd: (M+1)/2 */
  assert_dec(d, M64 / 2 + 1, 1);
  d = D(SENTINEL, SENTINEL);
  cr_assert_eq(dec_round_places(D(M64 - 1, M64), 0, ROUND_AWAY_FROM_ZERO, &d), NUM_OK);
  assert_dec(d, 1, 1);
}

/* ---- text ---- */

static NumStatus pd(const char *s, Dec *d) { return dec_parse(s, strlen(s), d); }
static NumStatus pm(const char *s, int64_t *c) { return money_parse(s, strlen(s), c); }

Test(text, dec_parse_ok) {
  Dec d;
  cr_assert_eq(pd("-12.345", &d), NUM_OK); assert_dec(d, -2469, 200);   /* 12345/1000 */
  cr_assert_eq(pd("12", &d), NUM_OK); assert_dec(d, 12, 1);
  cr_assert_eq(pd("+3.5", &d), NUM_OK); assert_dec(d, 7, 2);
  cr_assert_eq(pd("0.5", &d), NUM_OK); assert_dec(d, 1, 2);
  cr_assert_eq(pd("-0", &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(pd("0.000", &d), NUM_OK); assert_dec(d, 0, 1);
  cr_assert_eq(pd("9223372036854775807", &d), NUM_OK); assert_dec(d, M64, 1);
  cr_assert_eq(pd("-9223372036854775807", &d), NUM_OK); assert_dec(d, -M64, 1);
  cr_assert_eq(pd("0.000000000000000001", &d), NUM_OK); assert_dec(d, 1, 1000000000000000000);
  /* trailing and leading zeros do not count against the size */
  cr_assert_eq(pd("1.50000000000000000000000000000000000000000000000", &d), NUM_OK); assert_dec(d, 3, 2);
  cr_assert_eq(pd("000000000000000000000000000000000000000000001.25", &d), NUM_OK); assert_dec(d, 5, 4);
  /* 2^-20 = 0.00000095367431640625 has 20 decimals but reduces to 1/1048576 */
  cr_assert_eq(pd("0.00000095367431640625", &d), NUM_OK); assert_dec(d, 1, 1048576);
  /* more trailing zeros than any Dec has decimals */
  cr_assert_eq(pd("0.5000000000000000000000000000000000000000000000000000000000000000000000000000"
                  "00000000000000000000000000000000000000000", &d), NUM_OK);
  assert_dec(d, 1, 2);
  cr_assert_eq(pd("4611686018427387903.5", &d), NUM_OK); assert_dec(d, M64, 2);
  /* 2^-62 written out: 62 decimals, the digits of 5^62 */
  cr_assert_eq(pd("0.00000000000000000021684043449710088680149056017398834228515625", &d), NUM_OK);
  assert_dec(d, 1, 4611686018427387904);
  /* only `len` bytes are read */
  cr_assert_eq(dec_parse("12.5xyz", 4, &d), NUM_OK); assert_dec(d, 25, 2);
}

Test(text, dec_parse_errors) {
  static const char *const syntax[] = {
    "", "-", "+", ".5", "-.5", "1.", "1e5", "1,5", "1.2.3", " 1", "1 ", "+-1", "--1",
    "0x10", "1_000", "\xd9\xa1",   /* Arabic-Indic digit one */
  };
  Dec d = D(SENTINEL, SENTINEL);
  for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
    cr_assert_eq(pd(syntax[i], &d), NUM_SYNTAX, "\"%s\"", syntax[i]);
  }
  cr_assert_eq(dec_parse("12", 0, &d), NUM_SYNTAX);
  cr_assert_eq(pd("9223372036854775808", &d), NUM_OVERFLOW);
  cr_assert_eq(pd("-9223372036854775808", &d), NUM_OVERFLOW);   /* INT64_MIN is not produced */
  cr_assert_eq(pd("123456789012345678901234567890", &d), NUM_OVERFLOW);
  cr_assert_eq(pd("1234567890123456789012345678901234567890123456789012345678901234567890", &d), NUM_OVERFLOW);
  /* 19 decimals ending in 9: den 10^19 cannot be reduced */
  cr_assert_eq(pd("0.1234567890123456789", &d), NUM_OVERFLOW);
  cr_assert_eq(pd("0.0000000000000000000000000000000000000000001", &d), NUM_OVERFLOW);
  /* syntax wins over size */
  cr_assert_eq(pd("123456789012345678901234567890x", &d), NUM_SYNTAX);
  assert_dec(d, SENTINEL, SENTINEL);
}

Test(text, money_parse) {
  int64_t c = SENTINEL;
  cr_assert_eq(pm("1234.56", &c), NUM_OK); cr_assert_eq(c, 123456);
  cr_assert_eq(pm("-0.5", &c), NUM_OK); cr_assert_eq(c, -50);
  cr_assert_eq(pm("1234", &c), NUM_OK); cr_assert_eq(c, 123400);
  cr_assert_eq(pm("12.3", &c), NUM_OK); cr_assert_eq(c, 1230);
  cr_assert_eq(pm("+0.07", &c), NUM_OK); cr_assert_eq(c, 7);
  cr_assert_eq(pm("-0.00", &c), NUM_OK); cr_assert_eq(c, 0);
  cr_assert_eq(pm("92233720368547758.07", &c), NUM_OK); cr_assert_eq(c, INT64_MAX);
  cr_assert_eq(pm("-92233720368547758.08", &c), NUM_OK); cr_assert_eq(c, INT64_MIN);
  c = SENTINEL;
  cr_assert_eq(pm("12.345", &c), NUM_SYNTAX);
  cr_assert_eq(pm("12.340", &c), NUM_SYNTAX);
  cr_assert_eq(pm("12.", &c), NUM_SYNTAX);
  cr_assert_eq(pm(".5", &c), NUM_SYNTAX);
  cr_assert_eq(pm("", &c), NUM_SYNTAX);
  cr_assert_eq(pm("-", &c), NUM_SYNTAX);
  cr_assert_eq(pm("1e3", &c), NUM_SYNTAX);
  cr_assert_eq(pm("1,50", &c), NUM_SYNTAX);
  cr_assert_eq(pm("1.234,56", &c), NUM_SYNTAX);
  cr_assert_eq(pm("92233720368547758.08", &c), NUM_OVERFLOW);
  cr_assert_eq(pm("-92233720368547758.09", &c), NUM_OVERFLOW);
  cr_assert_eq(pm("92233720368547759", &c), NUM_OVERFLOW);
  cr_assert_eq(pm("100000000000000000000", &c), NUM_OVERFLOW);
  cr_assert_eq(pm("184467440737095516.16", &c), NUM_OVERFLOW);   /* 2^64 cents */
  cr_assert_eq(c, SENTINEL);
}

Test(text, int_format) {
  char buf[24];
  cr_assert_eq(int_format(0, buf), 1); cr_assert_str_eq(buf, "0");
  cr_assert_eq(int_format(-7, buf), 2); cr_assert_str_eq(buf, "-7");
  cr_assert_eq(int_format(1234567890, buf), 10); cr_assert_str_eq(buf, "1234567890");
  cr_assert_eq(int_format(INT64_MAX, buf), 19); cr_assert_str_eq(buf, "9223372036854775807");
  cr_assert_eq(int_format(INT64_MIN, buf), 20); cr_assert_str_eq(buf, "-9223372036854775808");
}

Test(text, money_format) {
  char buf[64];
  cr_assert_eq(money_format(123456, buf, sizeof buf), 7); cr_assert_str_eq(buf, "1234.56");
  cr_assert_eq(money_format(-123456, buf, sizeof buf), 8); cr_assert_str_eq(buf, "-1234.56");
  cr_assert_eq(money_format(5, buf, sizeof buf), 4); cr_assert_str_eq(buf, "0.05");
  cr_assert_eq(money_format(-5, buf, sizeof buf), 5); cr_assert_str_eq(buf, "-0.05");
  cr_assert_eq(money_format(1200, buf, sizeof buf), 5); cr_assert_str_eq(buf, "12.00");
  cr_assert_eq(money_format(0, buf, sizeof buf), 4); cr_assert_str_eq(buf, "0.00");
  cr_assert_eq(money_format(-100, buf, sizeof buf), 5); cr_assert_str_eq(buf, "-1.00");
  money_format(INT64_MAX, buf, sizeof buf); cr_assert_str_eq(buf, "92233720368547758.07");
  money_format(INT64_MIN, buf, sizeof buf); cr_assert_str_eq(buf, "-92233720368547758.08");
  /* truncation reports the full length, like snprintf */
  cr_assert_eq(money_format(123456, buf, 4), 7); cr_assert_str_eq(buf, "123");
  cr_assert_eq(money_format(123456, NULL, 0), 7);
}

Test(text, money_round_trip) {
  static const int64_t vals[] = {
    0, 1, -1, 9, 10, 99, 100, 101, -101, 261, 123456, -98765432,
    INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
  };
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    char buf[32];
    int n = money_format(vals[i], buf, sizeof buf);
    int64_t back = SENTINEL;
    cr_assert_eq(money_parse(buf, (size_t)n, &back), NUM_OK, "%s", buf);
    cr_assert_eq(back, vals[i], "%s", buf);
  }
}

Test(text, dec_format) {
  char buf[128];
  cr_assert_eq(dec_format(D(3, 4), buf, sizeof buf), 4); cr_assert_str_eq(buf, "0.75");
  cr_assert_eq(dec_format(D(-3, 1), buf, sizeof buf), 2); cr_assert_str_eq(buf, "-3");
  dec_format(D(1, 8), buf, sizeof buf); cr_assert_str_eq(buf, "0.125");
  dec_format(D(1, 3), buf, sizeof buf); cr_assert_str_eq(buf, "1/3");
  dec_format(D(-2, 3), buf, sizeof buf); cr_assert_str_eq(buf, "-2/3");
  dec_format(D(7, 6), buf, sizeof buf); cr_assert_str_eq(buf, "7/6");
  dec_format(D(0, 1), buf, sizeof buf); cr_assert_str_eq(buf, "0");
  dec_format(D(-1, 20), buf, sizeof buf); cr_assert_str_eq(buf, "-0.05");
  dec_format(D(-2469, 200), buf, sizeof buf); cr_assert_str_eq(buf, "-12.345");
  dec_format(D(1, 1024), buf, sizeof buf); cr_assert_str_eq(buf, "0.0009765625");   /* 5^10 = 9765625 */
  dec_format(D(1, 1000000000000000000), buf, sizeof buf);
  cr_assert_str_eq(buf, "0.000000000000000001");
  dec_format(dec_from_int(INT64_MIN), buf, sizeof buf); cr_assert_str_eq(buf, "-9223372036854775808");
  dec_format(D(M64, 1), buf, sizeof buf); cr_assert_str_eq(buf, "9223372036854775807");
  /* 2^62 + 1/2: integer part above 2^62 with a fraction */
  dec_format(D(M64, 2), buf, sizeof buf); cr_assert_str_eq(buf, "4611686018427387903.5");
  cr_assert_eq(dec_format(D(3, 4), buf, 3), 4); cr_assert_str_eq(buf, "0.");
  cr_assert_eq(dec_format(D(1, 3), NULL, 0), 3);
}

Test(text, dec_round_trip) {
  /* 1/2^62 has 62 decimals; it and its neighbours must survive format + parse */
  static const Dec vals[] = {
    { 1, 4611686018427387904 }, { -3, 4611686018427387904 }, { M64, 4611686018427387904 },
    { 1, 3814697265625 },   /* 5^-18 */
    { 1, 7450580596923828125 },   /* 5^-27, the largest power of five in int64 */
    { -123456789, 1000000 }, { 7, 1 }, { 0, 1 }, { M64, 1 }, { -M64, 1 },
  };
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    char buf[128];
    int n = dec_format(vals[i], buf, sizeof buf);
    cr_assert(n > 0 && (size_t)n < sizeof buf);
    cr_assert(strchr(buf, '/') == NULL, "%s should be a finite decimal", buf);
    Dec back = D(SENTINEL, SENTINEL);
    cr_assert_eq(dec_parse(buf, (size_t)n, &back), NUM_OK, "%s", buf);
    assert_dec(back, vals[i].num, vals[i].den);
  }
}

Test(num, int_parse_whole_numbers) {
  int64_t v = 0;
  cr_assert_eq(int_parse("-123", 4, &v), NUM_OK);
  cr_assert_eq(v, -123);
  cr_assert_eq(int_parse("+7", 2, &v), NUM_OK);
  cr_assert_eq(v, 7);
  /* the int64 edges: 2^63 - 1 fits, -2^63 fits, one more does not */
  cr_assert_eq(int_parse("9223372036854775807", 19, &v), NUM_OK);
  cr_assert_eq(v, INT64_MAX);
  cr_assert_eq(int_parse("-9223372036854775808", 20, &v), NUM_OK);
  cr_assert_eq(v, INT64_MIN);
  cr_assert_eq(int_parse("9223372036854775808", 19, &v), NUM_OVERFLOW);
  cr_assert_eq(int_parse("99999999999999999999", 20, &v), NUM_OVERFLOW);
  cr_assert_eq(int_parse("", 0, &v), NUM_SYNTAX);
  cr_assert_eq(int_parse("-", 1, &v), NUM_SYNTAX);
  cr_assert_eq(int_parse("1.5", 3, &v), NUM_SYNTAX);
  cr_assert_eq(int_parse(" 1", 2, &v), NUM_SYNTAX);
}
