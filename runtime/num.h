/*
** num.h: exact arithmetic on integers, money and decimals, with the five
** Dutch rounding methods. No binary floating point anywhere.
**
** Decimals are reduced rationals of two int64 (Dec in value.h). We chose
** rationals over wide fixed point because the dagloon divides by 261 and by
** counts of days: such quotients have no finite decimal expansion, and the
** law rounds only at the end. Every intermediate is computed in 128 bits and
** reduced by gcd; a result that does not fit int64/int64 is NUM_OVERFLOW,
** never a silently rounded value.
**
** Every function returns a NumStatus and writes its result through `out`
** only on NUM_OK.
*/
#ifndef DAGLOON_NUM_H
#define DAGLOON_NUM_H

#include <stdbool.h>
#include <stdint.h>
#include "value.h"

typedef enum NumStatus {
  NUM_OK = 0,
  NUM_OVERFLOW,     /* result does not fit */
  NUM_DIV_ZERO,     /* division by zero */
  NUM_SYNTAX        /* num_parse_*: text is not a number of that form */
} NumStatus;

/* Rounding methods (Dutch names in the language; order is part of the bundle format). */
typedef enum RoundMethod {
  ROUND_HALF_AWAY = 0,   /* rekenkundig: half away from zero */
  ROUND_CEIL,            /* naar boven: towards +infinity */
  ROUND_FLOOR,           /* naar beneden: towards -infinity */
  ROUND_TOWARD_ZERO,     /* richting nul: truncate */
  ROUND_AWAY_FROM_ZERO,  /* weg van nul: any fraction goes away from zero */
  ROUND__COUNT
} RoundMethod;

const char *num_status_text(NumStatus s);       /* "overflow", "division by zero", ... */

/* ---- integers (geheel) ---- */
/* inline: the VM's integer and money opcodes are these and nothing else */
static inline NumStatus int_add(int64_t a, int64_t b, int64_t *out) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return NUM_OVERFLOW;   /* *out untouched */
  *out = r;
  return NUM_OK;
}
static inline NumStatus int_sub(int64_t a, int64_t b, int64_t *out) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return NUM_OVERFLOW;   /* *out untouched */
  *out = r;
  return NUM_OK;
}
static inline NumStatus int_mul(int64_t a, int64_t b, int64_t *out) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return NUM_OVERFLOW;   /* *out untouched */
  *out = r;
  return NUM_OK;
}
NumStatus int_neg(int64_t a, int64_t *out);

/* ---- decimals (getal) ---- */
Dec dec_from_int(int64_t i);                     /* i/1 */
NumStatus dec_make(int64_t num, int64_t den, Dec *out);   /* reduce; den may be negative; den 0 -> DIV_ZERO */
NumStatus dec_from_cents(int64_t cents, Dec *out);        /* cents/100, reduced */
bool dec_is_reduced(Dec x);                               /* den > 0 and gcd(|num|, den) == 1 (0 is 0/1) */
NumStatus dec_add(Dec a, Dec b, Dec *out);
NumStatus dec_sub(Dec a, Dec b, Dec *out);
NumStatus dec_mul(Dec a, Dec b, Dec *out);
NumStatus dec_div(Dec a, Dec b, Dec *out);
NumStatus dec_neg(Dec a, Dec *out);
int dec_cmp(Dec a, Dec b);                       /* -1, 0, 1; exact, never overflows */

/*
** Round x to a whole multiple of `unit_cents` eurocents (1 = cent, 100 = euro,
** 261 = the Wfsv multiple of EUR 2,61) with `method`; result in cents.
*/
NumStatus dec_round_to_cents(Dec x, int64_t unit_cents, RoundMethod method, int64_t *out_cents);
/* cents x num/den rounded to a multiple of unit_cents: dec_round_to_cents(cents/100 x num/den) without a rational */
NumStatus money_scale_round(int64_t cents, int64_t num, int64_t den, int64_t unit_cents, RoundMethod method,
                            int64_t *out_cents);

/* Round x to a multiple of 10^-places (0 <= places <= 18) as a Dec. */
NumStatus dec_round_places(Dec x, int places, RoundMethod method, Dec *out);

/* ---- money (geld, eurocents) ---- */
static inline NumStatus money_add(int64_t a, int64_t b, int64_t *out) { return int_add(a, b, out); }
static inline NumStatus money_sub(int64_t a, int64_t b, int64_t *out) { return int_sub(a, b, out); }
static inline NumStatus money_mul_int(int64_t cents, int64_t k, int64_t *out) { return int_mul(cents, k, out); }

/* ---- text conversions (for literals, input fields and output) ---- */

/* Parse a whole number "-123" (optional sign, ASCII digits only); NUM_OVERFLOW beyond int64. */
NumStatus int_parse(const char *s, size_t len, int64_t *out);

/* Parse a plain decimal "-12.345" (dot, optional sign, no exponent) exactly. */
NumStatus dec_parse(const char *s, size_t len, Dec *out);

/*
** Parse an amount into cents. Accepts "1234.56", "-0.5", "1234" (machine form,
** as in CSV/JSON inputs) -- at most two decimals; more is NUM_SYNTAX (a wage
** with fractions of a cent is bad data, not something to round silently).
*/
NumStatus money_parse(const char *s, size_t len, int64_t *out_cents);

/* Format cents as "-1234.56" (machine form, for CSV/JSON output). Returns length. */
int money_format(int64_t cents, char *buf, size_t cap);
int int_format(int64_t v, char *buf);   /* decimal digits into buf (at least 21 bytes), NUL-terminated; returns the length */

/*
** Format a decimal exactly: a finite decimal expansion prints in full
** ("0.75", "-3"); otherwise num/den ("1/3"). Returns length.
*/
int dec_format(Dec d, char *buf, size_t cap);

#endif
