/*
** num.c: exact integer, money and rational decimal arithmetic, the five
** rounding methods, and the text forms of amounts and decimals (see num.h).
**
** Rationals are combined in 128 bits and reduced by gcd; only the reduced
** result has to fit int64/int64. A reduced numerator of INT64_MIN is treated
** as overflow so that every Dec we produce can be negated.
*/
#include "num.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

const char *num_status_text(NumStatus s) {
  switch (s) {
  case NUM_OK: return "ok";
  case NUM_OVERFLOW: return "overflow";
  case NUM_DIV_ZERO: return "division by zero";
  case NUM_SYNTAX: return "not a number";
  }
  return "unknown number status";
}

/* ---- integers ---- */

NumStatus int_neg(int64_t a, int64_t *out) {
  if (a == INT64_MIN) return NUM_OVERFLOW;
  *out = -a;
  return NUM_OK;
}

/* ---- decimals ---- */

static uint64_t gcd_u64(uint64_t a, uint64_t b) {
  /* binary GCD: shifts and subtractions, no division (the hot path of every rational operation) */
  if (a == 0) return b;
  if (b == 0) return a;
  if (a == 1 || b == 1) return 1;   /* a whole number or a denominator of 1: the most common case */
  /* One step of Euclid first: a denominator is mostly far smaller than its numerator, and the
     binary loop below takes a step for every bit the two differ in size. */
  if (a > b) {
    a %= b;
    if (a == 0) return b;
  } else {
    b %= a;
    if (b == 0) return a;
  }
  int shift = __builtin_ctzll(a | b);
  a >>= __builtin_ctzll(a);
  do {
    b >>= __builtin_ctzll(b);
    if (a > b) {
      uint64_t t = a;
      a = b;
      b = t;
    }
    b -= a;
  } while (b);
  return a << shift;
}

/* 128-bit Euclid, dropping to 64-bit division as soon as both operands fit. */
static u128 gcd_u128(u128 a, u128 b) {
  while (b) {
    if ((a >> 64) == 0 && (b >> 64) == 0) return gcd_u64((uint64_t)a, (uint64_t)b);
    u128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/*
** Reduce n/d (d != 0, either sign) into *out. Overflow when the reduced
** magnitude of either part exceeds INT64_MAX.
*/
static NumStatus reduce(i128 n, i128 d, Dec *out) {
  if (d == 0) return NUM_DIV_ZERO;
  if (n > INT64_MIN && n <= INT64_MAX && d > 0 && d <= INT64_MAX) {
    /* the common case: both fit in 64 bits, so no 128-bit division */
    int64_t n64 = (int64_t)n, d64 = (int64_t)d;
    if (n64 == 0) {
      out->num = 0;
      out->den = 1;
      return NUM_OK;
    }
    uint64_t g = gcd_u64(n64 < 0 ? -(uint64_t)n64 : (uint64_t)n64, (uint64_t)d64);
    if (g == 1) {   /* reduced already (most results): no division at all */
      out->num = n64;
      out->den = d64;
      return NUM_OK;
    }
    out->num = n64 / (int64_t)g;
    out->den = d64 / (int64_t)g;
    return NUM_OK;
  }
  bool neg = (n < 0) != (d < 0);
  u128 un = n < 0 ? -(u128)n : (u128)n;
  u128 ud = d < 0 ? -(u128)d : (u128)d;
  if (un == 0) {
    out->num = 0;
    out->den = 1;
    return NUM_OK;
  }
  u128 g = gcd_u128(un, ud);
  un /= g;
  ud /= g;
  if (un > (u128)INT64_MAX || ud > (u128)INT64_MAX) return NUM_OVERFLOW;
  out->num = neg ? -(int64_t)un : (int64_t)un;
  out->den = (int64_t)ud;
  return NUM_OK;
}

static uint64_t abs_u64(int64_t x) { return x < 0 ? -(uint64_t)x : (uint64_t)x; }

Dec dec_from_int(int64_t i) {
  Dec d = { i, 1 };
  return d;
}

NumStatus dec_make(int64_t num, int64_t den, Dec *out) {
  return reduce(num, den, out);
}

bool dec_is_reduced(Dec x) {
  if (x.den <= 0) return false;
  uint64_t n = x.num < 0 ? -(uint64_t)x.num : (uint64_t)x.num;
  return n == 0 ? x.den == 1 : gcd_u64(n, (uint64_t)x.den) == 1;
}

/* cents/100 reduced without a gcd (MONEY_TO_DEC, for every amount a rule computes with): 100 is
   2^2 x 5^2, so only 5s and 2s can cancel, found by divisions by constants. */
NumStatus dec_from_cents(int64_t cents, Dec *out) {
  int64_t n = cents, d = 100;
  if (n == 0) {
    out->num = 0;
    out->den = 1;
    return NUM_OK;
  }
  if (n % 25 == 0) {
    n /= 25;
    d /= 25;
  } else if (n % 5 == 0) {
    n /= 5;
    d /= 5;
  }
  if (n % 4 == 0) {
    n /= 4;
    d /= 4;
  } else if (n % 2 == 0) {
    n /= 2;
    d /= 2;
  }
  out->num = n;
  out->den = d;
  return NUM_OK;
}

/* |a.num * b.den| < 2^126, so the sum of two such products fits i128. */
/*
** Sums and products of reduced fractions, reducing with small GCDs first
** (Knuth, TAOCP 4.5.1): the result comes out reduced, and the operands stay
** in 64 bits far longer than the plain cross-multiplication would.
*/
NumStatus dec_add(Dec a, Dec b, Dec *out) {
  if (a.den == 1 && b.den == 1) {
    int64_t r;
    if (!__builtin_add_overflow(a.num, b.num, &r)) {
      out->num = r;
      out->den = 1;
      return NUM_OK;
    }
  }
  uint64_t g = gcd_u64((uint64_t)a.den, (uint64_t)b.den);
  if (g == 1) return reduce((i128)a.num * b.den + (i128)b.num * a.den, (i128)a.den * b.den, out);
  int64_t bd = b.den / (int64_t)g, ad = a.den / (int64_t)g;
  i128 t = (i128)a.num * bd + (i128)b.num * ad;
  return reduce(t, (i128)ad * b.den, out);
}

NumStatus dec_sub(Dec a, Dec b, Dec *out) {
  i128 n = (i128)a.num * b.den - (i128)b.num * a.den;
  return reduce(n, (i128)a.den * b.den, out);
}

NumStatus dec_mul(Dec a, Dec b, Dec *out) {
  if (a.num == 0 || b.num == 0) {
    out->num = 0;
    out->den = 1;
    return NUM_OK;
  }
  uint64_t g1 = gcd_u64(abs_u64(a.num), (uint64_t)b.den), g2 = gcd_u64(abs_u64(b.num), (uint64_t)a.den);
  int64_t an = a.num, bd = b.den, bn = b.num, ad = a.den;
  if (g1 != 1) {   /* a division only for a common factor: most pairs have none */
    an /= (int64_t)g1;
    bd /= (int64_t)g1;
  }
  if (g2 != 1) {
    bn /= (int64_t)g2;
    ad /= (int64_t)g2;
  }
  int64_t n, d;
  if (!__builtin_mul_overflow(an, bn, &n) && !__builtin_mul_overflow(ad, bd, &d)) {
    out->num = n;   /* reduced already: no factor is shared across */
    out->den = d;
    return NUM_OK;
  }
  return reduce((i128)an * bn, (i128)ad * bd, out);
}

NumStatus dec_div(Dec a, Dec b, Dec *out) {
  if (b.num == 0) return NUM_DIV_ZERO;
  return reduce((i128)a.num * b.den, (i128)a.den * b.num, out);
}

NumStatus dec_neg(Dec a, Dec *out) {
  if (a.num == INT64_MIN) return NUM_OVERFLOW;
  out->num = -a.num;
  out->den = a.den;
  return NUM_OK;
}

int dec_cmp(Dec a, Dec b) {
  i128 l = (i128)a.num * b.den;
  i128 r = (i128)b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/*
** Round the rational n/d (d > 0) to an integer by `method`. Returns false
** for an unknown method.
*/
static bool round_div64(int64_t n, int64_t d, RoundMethod method, i128 *out) {
  int64_t q = n / d, r = n % d;   /* 64-bit division: several times faster than the 128-bit one */
  int64_t away = n < 0 ? -1 : 1;
  if (r == 0) {
    *out = q;
    return true;
  }
  switch (method) {
  case ROUND_HALF_AWAY: {
    int64_t ar = r < 0 ? -r : r;
    *out = ar >= d - ar ? q + away : q;
    return true;
  }
  case ROUND_CEIL: *out = n > 0 ? q + 1 : q; return true;
  case ROUND_FLOOR: *out = n < 0 ? q - 1 : q; return true;
  case ROUND_TOWARD_ZERO: *out = q; return true;
  case ROUND_AWAY_FROM_ZERO: *out = q + away; return true;
  case ROUND__COUNT: break;
  }
  return false;
}

static bool round_div(i128 n, i128 d, RoundMethod method, i128 *out) {
  if ((unsigned)method >= ROUND__COUNT) return false;
  if (n > INT64_MIN && n <= INT64_MAX && d > 0 && d <= INT64_MAX) return round_div64((int64_t)n, (int64_t)d, method, out);
  i128 q = n / d;   /* truncates toward zero */
  i128 r = n % d;   /* same sign as n */
  i128 away = n < 0 ? -1 : 1;
  if (r == 0) {
    *out = q;
    return true;
  }
  switch (method) {
  case ROUND_HALF_AWAY: {
    i128 ar = r < 0 ? -r : r;
    *out = ar >= d - ar ? q + away : q;   /* 2|r| >= d, without doubling */
    return true;
  }
  case ROUND_CEIL: *out = n > 0 ? q + 1 : q; return true;
  case ROUND_FLOOR: *out = n < 0 ? q - 1 : q; return true;
  case ROUND_TOWARD_ZERO: *out = q; return true;
  case ROUND_AWAY_FROM_ZERO: *out = q + away; return true;
  case ROUND__COUNT: break;
  }
  return false;
}

/*
** An unknown method is reported as NUM_SYNTAX (the enum has no better
** status; the verifier should make it impossible).
*/
NumStatus dec_round_to_cents(Dec x, int64_t unit_cents, RoundMethod method, int64_t *out_cents) {
  if (unit_cents <= 0 || x.den <= 0) return NUM_DIV_ZERO;
  i128 k;
  if (!round_div((i128)x.num * 100, (i128)x.den * unit_cents, method, &k)) return NUM_SYNTAX;
  if (k > INT64_MAX || k < INT64_MIN) return NUM_OVERFLOW;
  int64_t r;
  if (__builtin_mul_overflow((int64_t)k, unit_cents, &r)) return NUM_OVERFLOW;
  *out_cents = r;
  return NUM_OK;
}

NumStatus money_scale_round(int64_t cents, int64_t num, int64_t den, int64_t unit_cents, RoundMethod method,
                            int64_t *out_cents) {
  if (unit_cents <= 0 || den <= 0) return NUM_DIV_ZERO;
  if (num == den && unit_cents == 1 && (unsigned)method < ROUND__COUNT) {   /* whole cents stay as they are */
    *out_cents = cents;
    return NUM_OK;
  }
  i128 k;
  if (!round_div((i128)cents * num, (i128)den * unit_cents, method, &k)) return NUM_SYNTAX;
  if (k > INT64_MAX || k < INT64_MIN) return NUM_OVERFLOW;
  int64_t r;
  if (__builtin_mul_overflow((int64_t)k, unit_cents, &r)) return NUM_OVERFLOW;
  *out_cents = r;
  return NUM_OK;
}

NumStatus dec_round_places(Dec x, int places, RoundMethod method, Dec *out) {
  if (places < 0 || places > 18) return NUM_OVERFLOW;
  if (x.den <= 0) return NUM_DIV_ZERO;
  int64_t scale = 1;
  for (int i = 0; i < places; i++) scale *= 10;
  i128 k;
  if (!round_div((i128)x.num * scale, x.den, method, &k)) return NUM_SYNTAX;
  return reduce(k, scale, out);
}

/* ---- money ---- */


/* ---- text ---- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/*
** Split s[0..len) into sign, integer digits [*is, *ie) and fraction digits
** [*fs, *fe) (empty when there is no dot). NUM_SYNTAX unless the whole text
** is [+-]digits[.digits].
*/
static NumStatus scan_number(const char *s, size_t len, bool *neg,
                             size_t *is, size_t *ie, size_t *fs, size_t *fe) {
  size_t i = 0;
  if (!s) return NUM_SYNTAX;
  *neg = false;
  if (i < len && (s[i] == '+' || s[i] == '-')) {
    *neg = s[i] == '-';
    i++;
  }
  *is = i;
  while (i < len && is_digit(s[i])) i++;
  *ie = i;
  if (*ie == *is) return NUM_SYNTAX;
  *fs = *fe = i;
  if (i < len && s[i] == '.') {
    i++;
    *fs = i;
    while (i < len && is_digit(s[i])) i++;
    *fe = i;
    if (*fe == *fs) return NUM_SYNTAX;
  }
  return i == len ? NUM_OK : NUM_SYNTAX;
}

/*
** A mantissa of at most DEC_DIGITS significant decimal digits, most
** significant first. Any Dec has at most 19 integer and 63 fraction digits.
*/
#define DEC_DIGITS 90

typedef struct Digits {
  unsigned char d[DEC_DIGITS];
  size_t n;
} Digits;

/* Append s[b..e), skipping leading zeros; false when there are too many. */
static bool digits_append(Digits *m, const char *s, size_t b, size_t e) {
  for (size_t i = b; i < e; i++) {
    if (m->n == 0 && s[i] == '0') continue;
    if (m->n == DEC_DIGITS) return false;
    m->d[m->n++] = (unsigned char)(s[i] - '0');
  }
  return true;
}

/* m /= k (exact: the caller checked divisibility by the last digit). */
static void digits_div(Digits *m, unsigned k) {
  unsigned carry = 0;
  size_t w = 0;
  for (size_t i = 0; i < m->n; i++) {
    unsigned cur = carry * 10 + m->d[i];
    unsigned q = cur / k;
    carry = cur % k;
    if (w > 0 || q > 0) m->d[w++] = (unsigned char)q;
  }
  m->n = w;
}

/*
** The value is m / 10^p with m the digits (trailing fraction zeros dropped,
** so m is not a multiple of 10). Factors 2 and 5 are divided out of m while
** 10^p still has them; what is left is already reduced. So every Dec,
** including 1/2^62 with its 62 decimals, parses back exactly, and only a
** value whose reduced form is too big overflows.
*/
NumStatus dec_parse(const char *s, size_t len, Dec *out) {
  bool neg;
  size_t is, ie, fs, fe;
  NumStatus st = scan_number(s, len, &neg, &is, &ie, &fs, &fe);
  if (st != NUM_OK) return st;
  while (fe > fs && s[fe - 1] == '0') fe--;
  size_t p = fe - fs;
  if (p >= 63) return NUM_OVERFLOW;   /* den keeps 2^p or 5^p, and 2^63 > INT64_MAX */
  Digits m;
  m.n = 0;
  if (!digits_append(&m, s, is, ie) || !digits_append(&m, s, fs, fe)) return NUM_OVERFLOW;
  if (m.n == 0) {
    out->num = 0;
    out->den = 1;
    return NUM_OK;
  }
  size_t twos = p, fives = p;
  while (twos > 0 && m.d[m.n - 1] % 2 == 0) { digits_div(&m, 2); twos--; }
  while (fives > 0 && m.d[m.n - 1] % 5 == 0) { digits_div(&m, 5); fives--; }
  uint64_t num = 0, den = 1;
  for (size_t i = 0; i < m.n; i++) {
    if (__builtin_mul_overflow(num, 10, &num) ||
        __builtin_add_overflow(num, m.d[i], &num)) return NUM_OVERFLOW;
  }
  for (size_t i = 0; i < twos; i++) {
    if (__builtin_mul_overflow(den, 2, &den)) return NUM_OVERFLOW;
  }
  for (size_t i = 0; i < fives; i++) {
    if (__builtin_mul_overflow(den, 5, &den)) return NUM_OVERFLOW;
  }
  if (num > (uint64_t)INT64_MAX || den > (uint64_t)INT64_MAX) return NUM_OVERFLOW;
  out->num = neg ? -(int64_t)num : (int64_t)num;
  out->den = (int64_t)den;
  return NUM_OK;
}

NumStatus money_parse(const char *s, size_t len, int64_t *out_cents) {
  bool neg;
  size_t is, ie, fs, fe;
  NumStatus st = scan_number(s, len, &neg, &is, &ie, &fs, &fe);
  if (st != NUM_OK) return st;
  if (fe - fs > 2) return NUM_SYNTAX;
  uint64_t mag = 0;
  for (size_t i = is; i < ie; i++) {
    if (__builtin_mul_overflow(mag, 10, &mag) ||
        __builtin_add_overflow(mag, (uint64_t)(s[i] - '0'), &mag)) return NUM_OVERFLOW;
  }
  uint64_t frac = 0;
  for (size_t i = fs; i < fs + 2; i++) frac = frac * 10 + (i < fe ? (uint64_t)(s[i] - '0') : 0);
  if (__builtin_mul_overflow(mag, 100, &mag) ||
      __builtin_add_overflow(mag, frac, &mag)) return NUM_OVERFLOW;
  if (mag > (uint64_t)INT64_MAX + (neg ? 1 : 0)) return NUM_OVERFLOW;
  *out_cents = neg ? -(int64_t)(mag - 1) - 1 : (int64_t)mag;
  return NUM_OK;
}

/* Digits of mag, optionally after a '-', into buf (at least 21 bytes); no NUL. Returns the length. */
static int digits(bool neg, uint64_t mag, char *buf) {
  char rev[20];
  int k = 0, n = 0;
  do {
    rev[k++] = (char)('0' + mag % 10);
    mag /= 10;
  } while (mag);
  if (neg) buf[n++] = '-';
  while (k) buf[n++] = rev[--k];
  return n;
}

int int_format(int64_t v, char *buf) {
  int n = digits(v < 0, v < 0 ? -(uint64_t)v : (uint64_t)v, buf);
  buf[n] = 0;
  return n;
}

int money_format(int64_t cents, char *buf, size_t cap) {
  uint64_t mag = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;
  char tmp[32];
  int n = digits(cents < 0, mag / 100, tmp);
  tmp[n++] = '.';
  tmp[n++] = (char)('0' + mag % 100 / 10);
  tmp[n++] = (char)('0' + mag % 10);
  tmp[n] = 0;
  if (cap > 0) {
    size_t k = (size_t)n < cap ? (size_t)n : cap - 1;
    memcpy(buf, tmp, k);
    buf[k] = 0;
  }
  return n;
}

/*
** A reduced denominator 2^a*5^b gives at most max(a, b) <= 63 fraction
** digits, produced by long division in 128 bits (remainder * 10 < 2^67).
*/
int dec_format(Dec d, char *buf, size_t cap) {
  uint64_t den = d.den > 0 ? (uint64_t)d.den : 0;
  uint64_t rest = den;
  while (rest && rest % 2 == 0) rest /= 2;
  while (rest && rest % 5 == 0) rest /= 5;
  if (rest != 1) return snprintf(buf, cap, "%" PRId64 "/%" PRId64, d.num, d.den);

  char tmp[128];
  uint64_t mag = d.num < 0 ? -(uint64_t)d.num : (uint64_t)d.num;
  int n = digits(d.num < 0, mag / den, tmp);
  u128 r = mag % den;
  if (r) tmp[n++] = '.';
  while (r) {
    r *= 10;
    tmp[n++] = (char)('0' + (int)(r / den));
    r %= den;
  }
  tmp[n] = '\0';
  if (cap > 0) {
    size_t k = (size_t)n < cap ? (size_t)n : cap - 1;
    memcpy(buf, tmp, k);
    buf[k] = '\0';
  }
  return n;
}

NumStatus int_parse(const char *s, size_t len, int64_t *out) {
  size_t i = 0;
  bool neg = false, overflow = false;
  if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i == len) return NUM_SYNTAX;
  uint64_t mag = 0;
  if (len - i <= 18) {   /* at most 18 digits cannot overflow: no checks per digit */
    for (; i < len; i++) {
      unsigned d = (unsigned)(unsigned char)s[i] - '0';
      if (d > 9) return NUM_SYNTAX;
      mag = mag * 10 + d;
    }
    *out = neg ? -(int64_t)mag : (int64_t)mag;
    return NUM_OK;
  }
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return NUM_SYNTAX;
    if (!overflow && (__builtin_mul_overflow(mag, 10, &mag) || __builtin_add_overflow(mag, (uint64_t)(s[i] - '0'), &mag)))
      overflow = true;
  }
  if (overflow || mag > (uint64_t)INT64_MAX + (neg ? 1 : 0)) return NUM_OVERFLOW;
  *out = neg ? -(int64_t)(mag - 1) - 1 : (int64_t)mag;
  return NUM_OK;
}
