/*
** test_period.c: unit tests for runtime/period.c. Fixed expectations are
** worked out by hand from the calendar (the arithmetic is in the comments);
** the property tests compare against day-by-day brute force and a naive
** month-stepping reference written independently here, driven by a fixed-
** seed xorshift generator so every run checks the same cases.
**
** Calendar facts used throughout: 1 January 2017 and 2023 are Sundays,
** 2021 a Friday, 2024 a Monday, 2020 a Wednesday, 2022 a Saturday.
** Cumulative days at the end of each month, common year:
**   Jan 31, Feb 59, Mar 90, Apr 120, May 151, Jun 181, Jul 212, Aug 243,
**   Sep 273, Oct 304, Nov 334, Dec 365 (leap year: +1 from February on).
*/
#include <criterion/criterion.h>

#include "runtime/date.h"
#include "runtime/period.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))
#define DAY_MIN D(1900, 1, 1)
#define DAY_MAX D(2200, 12, 31)

static void expect_period(Period p, int y1, int m1, int d1, int y2, int m2, int d2, const char *what) {
  char a[11], b[11];
  date_format(p.lo, a);
  date_format(p.hi, b);
  cr_assert(p.lo == D(y1, m1, d1) && p.hi == D(y2, m2, d2),
            "%s: got %s..%s, want %04d-%02d-%02d..%04d-%02d-%02d", what, a, b, y1, m1, d1, y2, m2, d2);
}

static void expect_day(int64_t got, int y, int m, int d, const char *what) {
  char a[11];
  date_format(got, a);
  cr_assert_eq(got, D(y, m, d), "%s: got %s, want %04d-%02d-%02d", what, a, y, m, d);
}

static int64_t add_months(int y, int m, int d, int64_t n, MonthEnd rule) {
  int64_t out = -1;
  cr_assert(date_add_months(D(y, m, d), n, rule, &out), "%d-%d-%d + %lld months", y, m, d, (long long)n);
  return out;
}

static void expect_fourweek(int64_t day, FourWeekLayout layout, int want_num,
                            int y1, int m1, int d1, int y2, int m2, int d2, const char *what) {
  int num = -1;
  Period p = period_fourweek(day, layout, &num);
  cr_assert_eq(num, want_num, "%s: number %d, want %d", what, num, want_num);
  expect_period(p, y1, m1, d1, y2, m2, d2, what);
}

/* xorshift64 with a fixed seed: deterministic "random" cases. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return rng_state = x;
}
static int64_t rng_range(int64_t lo, int64_t hi) {   /* uniform enough in [lo, hi] */
  return lo + (int64_t)(rng() % (uint64_t)(hi - lo + 1));
}

/* ---- range and day arithmetic ---- */

Test(period, date_in_range_limits) {
  cr_assert(date_in_range(DAY_MIN));
  cr_assert(!date_in_range(DAY_MIN - 1));
  cr_assert(date_in_range(DAY_MAX));
  cr_assert(!date_in_range(DAY_MAX + 1));
  cr_assert(date_in_range(0));
  /* -25567 and 84370 are the hand-counted ends (see test_date.c) */
  cr_assert(date_in_range(-25567) && !date_in_range(-25568));
  cr_assert(date_in_range(84370) && !date_in_range(84371));
  cr_assert(!date_in_range(INT64_MIN) && !date_in_range(INT64_MAX));
}

Test(period, add_days_year_and_leap_ends) {
  int64_t out = 0;
  cr_assert(date_add_days(D(2023, 12, 31), 1, &out));
  expect_day(out, 2024, 1, 1, "31 Dec + 1");
  cr_assert(date_add_days(D(2024, 1, 1), -1, &out));
  expect_day(out, 2023, 12, 31, "1 Jan - 1");
  cr_assert(date_add_days(D(1900, 2, 28), 1, &out));
  expect_day(out, 1900, 3, 1, "1900 is not leap");
  cr_assert(date_add_days(D(2000, 2, 28), 1, &out));
  expect_day(out, 2000, 2, 29, "2000 is leap");
  cr_assert(date_add_days(D(2100, 2, 28), 1, &out));
  expect_day(out, 2100, 3, 1, "2100 is not leap");
  /* 2024 has 366 days: 1 Jan 2024 + 366 = 1 Jan 2025 */
  cr_assert(date_add_days(D(2024, 1, 1), 366, &out));
  expect_day(out, 2025, 1, 1, "leap year length");
  cr_assert(date_add_days(D(2024, 5, 5), 0, &out));
  expect_day(out, 2024, 5, 5, "+0");
}

Test(period, add_days_range_limits) {
  int64_t out = 777;
  cr_assert(!date_add_days(DAY_MIN, -1, &out), "1900-01-01 - 1 day");
  cr_assert(!date_add_days(DAY_MAX, 1, &out), "2200-12-31 + 1 day");
  cr_assert(!date_add_days(0, INT64_MAX, &out));
  cr_assert(!date_add_days(0, INT64_MIN, &out));
  cr_assert(!date_add_days(DAY_MAX, INT64_MAX, &out));
  cr_assert(!date_add_days(DAY_MIN, INT64_MIN, &out));
  cr_assert(!date_add_days(DAY_MAX + 1, -1, &out), "start outside the calendar");
  cr_assert_eq(out, 777, "output untouched on failure");
  /* The whole span: 84370 - (-25567) = 109937 days */
  cr_assert(date_add_days(DAY_MIN, 109937, &out));
  cr_assert_eq(out, DAY_MAX);
  cr_assert(date_add_days(DAY_MAX, -109937, &out));
  cr_assert_eq(out, DAY_MIN);
}

/* ---- month arithmetic ---- */

Test(period, add_months_31_january) {
  /* 2023: February has 28 days. Clamp: 28 Feb. Overflow: 1 Feb + 30 days = 3 Mar. */
  expect_day(add_months(2023, 1, 31, 1, MONTHEND_CLAMP), 2023, 2, 28, "31 Jan 2023 clamp");
  expect_day(add_months(2023, 1, 31, 1, MONTHEND_OVERFLOW), 2023, 3, 3, "31 Jan 2023 overflow");
  /* 2024: February has 29 days. Clamp: 29 Feb. Overflow: 1 Feb + 30 = 2 Mar. */
  expect_day(add_months(2024, 1, 31, 1, MONTHEND_CLAMP), 2024, 2, 29, "31 Jan 2024 clamp");
  expect_day(add_months(2024, 1, 31, 1, MONTHEND_OVERFLOW), 2024, 3, 2, "31 Jan 2024 overflow");
  /* 1900 not leap, 2000 leap, 2100 not leap */
  expect_day(add_months(1900, 1, 31, 1, MONTHEND_CLAMP), 1900, 2, 28, "1900 clamp");
  expect_day(add_months(1900, 1, 31, 1, MONTHEND_OVERFLOW), 1900, 3, 3, "1900 overflow");
  expect_day(add_months(2000, 1, 31, 1, MONTHEND_CLAMP), 2000, 2, 29, "2000 clamp");
  expect_day(add_months(2000, 1, 31, 1, MONTHEND_OVERFLOW), 2000, 3, 2, "2000 overflow");
  expect_day(add_months(2100, 1, 31, 1, MONTHEND_CLAMP), 2100, 2, 28, "2100 clamp");
  expect_day(add_months(2100, 1, 31, 1, MONTHEND_OVERFLOW), 2100, 3, 3, "2100 overflow");
  /* 31 Jan + 3 months -> April has 30 days: clamp 30 Apr, overflow 1 Apr + 30 = 1 May */
  expect_day(add_months(2023, 1, 31, 3, MONTHEND_CLAMP), 2023, 4, 30, "31 Jan + 3 clamp");
  expect_day(add_months(2023, 1, 31, 3, MONTHEND_OVERFLOW), 2023, 5, 1, "31 Jan + 3 overflow");
}

Test(period, add_months_29_february_plus_year) {
  /* 29 Feb 2024 + 12 months: Feb 2025 has 28 days. Clamp 28 Feb 2025; overflow 1 Feb + 28 = 1 Mar 2025. */
  expect_day(add_months(2024, 2, 29, 12, MONTHEND_CLAMP), 2025, 2, 28, "29 Feb + 12 clamp");
  expect_day(add_months(2024, 2, 29, 12, MONTHEND_OVERFLOW), 2025, 3, 1, "29 Feb + 12 overflow");
  /* + 48 months lands on a leap year again: 29 Feb 2028 both ways */
  expect_day(add_months(2024, 2, 29, 48, MONTHEND_CLAMP), 2028, 2, 29, "29 Feb + 48 clamp");
  expect_day(add_months(2024, 2, 29, 48, MONTHEND_OVERFLOW), 2028, 2, 29, "29 Feb + 48 overflow");
  /* 29 Feb 2096 + 48 months: 2100 is not leap -> 28 Feb / 1 Mar 2100 */
  expect_day(add_months(2096, 2, 29, 48, MONTHEND_CLAMP), 2100, 2, 28, "2096 -> 2100 clamp");
  expect_day(add_months(2096, 2, 29, 48, MONTHEND_OVERFLOW), 2100, 3, 1, "2096 -> 2100 overflow");
  /* 29 Feb 1904 - 48 months: 1900 is not leap -> 28 Feb / 1 Mar 1900 */
  expect_day(add_months(1904, 2, 29, -48, MONTHEND_CLAMP), 1900, 2, 28, "1904 -> 1900 clamp");
  expect_day(add_months(1904, 2, 29, -48, MONTHEND_OVERFLOW), 1900, 3, 1, "1904 -> 1900 overflow");
  /* 29 Feb 1996 + 48 months: 2000 is leap -> 29 Feb 2000 */
  expect_day(add_months(1996, 2, 29, 48, MONTHEND_CLAMP), 2000, 2, 29, "1996 -> 2000 clamp");
  expect_day(add_months(1996, 2, 29, 48, MONTHEND_OVERFLOW), 2000, 2, 29, "1996 -> 2000 overflow");
}

Test(period, add_months_negative) {
  /* 31 Mar 2023 - 1 month: clamp 28 Feb; overflow 1 Feb + 30 = 3 Mar 2023 */
  expect_day(add_months(2023, 3, 31, -1, MONTHEND_CLAMP), 2023, 2, 28, "31 Mar 2023 - 1 clamp");
  expect_day(add_months(2023, 3, 31, -1, MONTHEND_OVERFLOW), 2023, 3, 3, "31 Mar 2023 - 1 overflow");
  /* 2024: clamp 29 Feb; overflow 1 Feb + 30 = 2 Mar 2024 */
  expect_day(add_months(2024, 3, 31, -1, MONTHEND_CLAMP), 2024, 2, 29, "31 Mar 2024 - 1 clamp");
  expect_day(add_months(2024, 3, 31, -1, MONTHEND_OVERFLOW), 2024, 3, 2, "31 Mar 2024 - 1 overflow");
  /* across the year end: 15 Jan 2024 - 1 = 15 Dec 2023; 31 Jan 2024 - 2 months = 30 Nov / 1 Dec 2023 */
  expect_day(add_months(2024, 1, 15, -1, MONTHEND_CLAMP), 2023, 12, 15, "15 Jan - 1");
  expect_day(add_months(2024, 1, 31, -2, MONTHEND_CLAMP), 2023, 11, 30, "31 Jan - 2 clamp");
  expect_day(add_months(2024, 1, 31, -2, MONTHEND_OVERFLOW), 2023, 12, 1, "31 Jan - 2 overflow");
  /* 31 Dec 2023 + 1 = 31 Jan 2024; - 12 = 31 Dec 2022; 0 months is the identity */
  expect_day(add_months(2023, 12, 31, 1, MONTHEND_OVERFLOW), 2024, 1, 31, "31 Dec + 1");
  expect_day(add_months(2023, 12, 31, -12, MONTHEND_CLAMP), 2022, 12, 31, "31 Dec - 12");
  expect_day(add_months(2023, 2, 28, 0, MONTHEND_OVERFLOW), 2023, 2, 28, "+0");
}

Test(period, add_months_range_limits) {
  int64_t out = 555;
  cr_assert(!date_add_months(D(2200, 12, 1), 1, MONTHEND_CLAMP, &out), "Dec 2200 + 1 month");
  cr_assert(!date_add_months(D(2200, 12, 31), 1, MONTHEND_OVERFLOW, &out));
  cr_assert(!date_add_months(D(2200, 1, 1), 12, MONTHEND_CLAMP, &out), "into 2201");
  cr_assert(!date_add_months(D(1900, 1, 31), -1, MONTHEND_CLAMP, &out), "Jan 1900 - 1 month");
  cr_assert(!date_add_months(D(1900, 1, 1), -1, MONTHEND_OVERFLOW, &out));
  cr_assert(!date_add_months(0, INT64_MAX, MONTHEND_CLAMP, &out));
  cr_assert(!date_add_months(0, INT64_MIN, MONTHEND_CLAMP, &out));
  cr_assert(!date_add_months(0, INT64_MAX / 12 + 1, MONTHEND_OVERFLOW, &out));
  cr_assert(!date_add_months(0, (int64_t)1 << 40, MONTHEND_OVERFLOW, &out));
  cr_assert(!date_add_months(DAY_MAX + 1, 0, MONTHEND_CLAMP, &out), "start outside the calendar");
  cr_assert(!date_add_months(0, 1, (MonthEnd)7, &out), "unknown month-end rule");
  cr_assert_eq(out, 555, "output untouched on failure");
  /* Largest legal jump: Jan 1900 + (301 * 12 - 1) = 3611 months is Dec 2200 */
  cr_assert(date_add_months(D(1900, 1, 31), 3611, MONTHEND_CLAMP, &out));
  expect_day(out, 2200, 12, 31, "1900-01-31 + 3611 months");
  cr_assert(!date_add_months(D(1900, 1, 31), 3612, MONTHEND_CLAMP, &out));
  cr_assert(date_add_months(D(2200, 12, 31), -3611, MONTHEND_OVERFLOW, &out));
  expect_day(out, 1900, 1, 31, "2200-12-31 - 3611 months");
  /* Nov 2200 has 30 days; 31 Oct 2200 + 1 overflows to 1 Dec 2200, still inside */
  cr_assert(date_add_months(D(2200, 10, 31), 1, MONTHEND_OVERFLOW, &out));
  expect_day(out, 2200, 12, 1, "31 Oct 2200 + 1 overflow");
}

/* ---- calendar units ---- */

Test(period, month_and_leap_lengths) {
  expect_period(period_month(D(2024, 2, 10)), 2024, 2, 1, 2024, 2, 29, "Feb 2024");
  expect_period(period_month(D(2023, 12, 31)), 2023, 12, 1, 2023, 12, 31, "Dec 2023");
  cr_assert_eq(period_length(period_month(D(1900, 2, 1))), 28);
  cr_assert_eq(period_length(period_month(D(2000, 2, 1))), 29);
  cr_assert_eq(period_length(period_month(D(2100, 2, 1))), 28);
  cr_assert_eq(period_length(period_month(D(2023, 4, 30))), 30);
  cr_assert_eq(period_length(period_year(D(1900, 6, 1))), 365);
  cr_assert_eq(period_length(period_year(D(2000, 6, 1))), 366);
  cr_assert_eq(period_length(period_year(D(2100, 6, 1))), 365);
  cr_assert_eq(period_length(period_year(D(2024, 12, 31))), 366);
  expect_period(period_year(D(2200, 12, 31)), 2200, 1, 1, 2200, 12, 31, "2200");
  expect_period(period_year(D(1900, 1, 1)), 1900, 1, 1, 1900, 12, 31, "1900");
}

Test(period, quarter_boundaries) {
  /* 2023 quarters: 31+28+31 = 90, 30+31+30 = 91, 31+31+30 = 92, 31+30+31 = 92 */
  expect_period(period_quarter(D(2023, 1, 1)), 2023, 1, 1, 2023, 3, 31, "Q1 first");
  expect_period(period_quarter(D(2023, 3, 31)), 2023, 1, 1, 2023, 3, 31, "Q1 last");
  expect_period(period_quarter(D(2023, 4, 1)), 2023, 4, 1, 2023, 6, 30, "Q2 first");
  expect_period(period_quarter(D(2023, 6, 30)), 2023, 4, 1, 2023, 6, 30, "Q2 last");
  expect_period(period_quarter(D(2023, 7, 1)), 2023, 7, 1, 2023, 9, 30, "Q3 first");
  expect_period(period_quarter(D(2023, 9, 30)), 2023, 7, 1, 2023, 9, 30, "Q3 last");
  expect_period(period_quarter(D(2023, 10, 1)), 2023, 10, 1, 2023, 12, 31, "Q4 first");
  expect_period(period_quarter(D(2023, 12, 31)), 2023, 10, 1, 2023, 12, 31, "Q4 last");
  cr_assert_eq(period_length(period_quarter(D(2023, 2, 1))), 90);
  cr_assert_eq(period_length(period_quarter(D(2024, 2, 1))), 91);   /* leap: 31+29+31 */
  cr_assert_eq(period_length(period_quarter(D(2023, 5, 1))), 91);
  cr_assert_eq(period_length(period_quarter(D(2023, 8, 1))), 92);
  cr_assert_eq(period_length(period_quarter(D(2023, 11, 1))), 92);
}

Test(period, halfyear_and_year_boundaries) {
  /* H1 common: 90 + 91 = 181; leap 182. H2: 92 + 92 = 184. */
  expect_period(period_halfyear(D(2023, 1, 1)), 2023, 1, 1, 2023, 6, 30, "H1 first");
  expect_period(period_halfyear(D(2023, 6, 30)), 2023, 1, 1, 2023, 6, 30, "H1 last");
  expect_period(period_halfyear(D(2023, 7, 1)), 2023, 7, 1, 2023, 12, 31, "H2 first");
  expect_period(period_halfyear(D(2023, 12, 31)), 2023, 7, 1, 2023, 12, 31, "H2 last");
  cr_assert_eq(period_length(period_halfyear(D(2023, 3, 1))), 181);
  cr_assert_eq(period_length(period_halfyear(D(2024, 3, 1))), 182);
  cr_assert_eq(period_length(period_halfyear(D(2023, 9, 1))), 184);
  expect_period(period_year(D(2023, 12, 31)), 2023, 1, 1, 2023, 12, 31, "year last day");
  expect_period(period_year(D(2024, 1, 1)), 2024, 1, 1, 2024, 12, 31, "year first day");
}

/* ---- period algebra ---- */

Test(period, make_and_basic_algebra) {
  Period p = { 1, 1 };
  cr_assert(period_make(D(2024, 1, 1), D(2024, 1, 31), &p));
  cr_assert_eq(period_length(p), 31);
  cr_assert(period_make(D(2024, 1, 1), D(2024, 1, 1), &p));
  cr_assert_eq(period_length(p), 1);
  Period q = { 42, 43 };
  cr_assert(!period_make(D(2024, 1, 2), D(2024, 1, 1), &q), "lo > hi");
  cr_assert(!period_make(DAY_MIN - 1, D(2024, 1, 1), &q), "lo before 1900");
  cr_assert(!period_make(D(2024, 1, 1), DAY_MAX + 1, &q), "hi after 2200");
  cr_assert(q.lo == 42 && q.hi == 43, "output untouched on failure");
  cr_assert(period_make(DAY_MIN, DAY_MAX, &q));

  /* Jan..Feb 2024 and Feb..Mar 2024 share February (29 days) */
  Period a = { D(2024, 1, 1), D(2024, 2, 29) }, b = { D(2024, 2, 1), D(2024, 3, 31) };
  Period i = { 0, 0 };
  cr_assert(period_overlaps(a, b) && period_overlaps(b, a));
  cr_assert(period_intersect(a, b, &i));
  expect_period(i, 2024, 2, 1, 2024, 2, 29, "intersection");
  /* adjacent periods touch but do not overlap */
  Period c = { D(2024, 3, 1), D(2024, 3, 31) };
  Period untouched = { 9, 9 };
  cr_assert(!period_overlaps(a, c));
  cr_assert(!period_intersect(a, c, &untouched));
  cr_assert(untouched.lo == 9 && untouched.hi == 9);
  /* sharing exactly one day */
  Period e = { D(2024, 2, 29), D(2024, 4, 1) };
  cr_assert(period_intersect(a, e, &i));
  expect_period(i, 2024, 2, 29, 2024, 2, 29, "one-day intersection");
  cr_assert(period_contains_day(a, D(2024, 1, 1)) && period_contains_day(a, D(2024, 2, 29)));
  cr_assert(!period_contains_day(a, D(2023, 12, 31)) && !period_contains_day(a, D(2024, 3, 1)));
  cr_assert(period_contains(a, a));
  cr_assert(period_contains(a, i));
  cr_assert(!period_contains(a, b) && !period_contains(b, a));
}

/* ---- dagloondagen ---- */

Test(period, workdays_2017_court_case) {
  /*
  ** 2017: 1 Jan is a Sunday; 365 = 52 weeks + 1 day, the extra day being
  ** 31 Dec, a Sunday: 52 * 5 = 260.
  ** Feb 2017: starts Wednesday, 28 days = 4 weeks -> 20.
  ** Mar 2017: starts Wednesday, 31 = 4 weeks + Wed..Fri 29-31 -> 23.
  ** Apr 2017: starts Saturday, 30 = 4 weeks + Sat, Sun 29-30 -> 20.
  ** May 2017: starts Monday, 31 = 4 weeks + Mon..Wed 29-31 -> 23.
  */
  cr_assert_eq(period_workdays((Period){ D(2017, 1, 1), D(2017, 12, 31) }), 260);
  cr_assert_eq(period_workdays(period_year(D(2017, 6, 1))), 260);
  cr_assert_eq(period_workdays((Period){ D(2017, 2, 1), D(2017, 5, 31) }), 86);
  cr_assert_eq(period_workdays(period_month(D(2017, 2, 1))), 20);
  cr_assert_eq(period_workdays(period_month(D(2017, 3, 1))), 23);
  cr_assert_eq(period_workdays(period_month(D(2017, 4, 1))), 20);
  cr_assert_eq(period_workdays(period_month(D(2017, 5, 1))), 23);
}

Test(period, workdays_small_cases) {
  /* 2024-01-06 Saturday, 07 Sunday, 08 Monday; 2024-01-05 Friday */
  cr_assert_eq(period_workdays((Period){ D(2024, 1, 6), D(2024, 1, 7) }), 0);
  cr_assert_eq(period_workdays((Period){ D(2024, 1, 8), D(2024, 1, 8) }), 1);
  cr_assert_eq(period_workdays((Period){ D(2024, 1, 5), D(2024, 1, 8) }), 2);
  cr_assert_eq(period_workdays((Period){ D(2024, 1, 1), D(2024, 1, 7) }), 5);
  /* 1969-12-29 (Mon) .. 1970-01-04 (Sun) straddles day 0: one full week */
  cr_assert_eq(period_workdays((Period){ -3, 3 }), 5);
  /* 2024 (leap, 1 Jan Monday): 52 weeks end Sunday 29 Dec; 30, 31 Dec are Mon, Tue -> 260 + 2 = 262 */
  cr_assert_eq(period_workdays(period_year(D(2024, 1, 1))), 262);
  /* 1900-01-01 was a Monday; the first week of the calendar counts 5 */
  cr_assert_eq(period_workdays((Period){ DAY_MIN, DAY_MIN + 6 }), 5);
  /* malformed periods count nothing */
  cr_assert_eq(period_workdays((Period){ D(2024, 1, 8), D(2024, 1, 1) }), 0);
  cr_assert_eq(period_workdays((Period){ DAY_MAX, DAY_MAX + 10 }), 0);
}

Test(period, workdays_vs_brute_force) {
  rng_state = 0x1234567887654321u;
  for (int t = 0; t < 4000; t++) {
    int64_t lo = rng_range(DAY_MIN, DAY_MAX);
    int64_t len = (t % 4 == 0) ? rng_range(0, 3000) : rng_range(0, 40);
    int64_t hi = lo + len > DAY_MAX ? DAY_MAX : lo + len;
    int64_t want = 0;
    for (int64_t d = lo; d <= hi; d++) want += date_weekday(d) <= 5;
    cr_assert_eq(period_workdays((Period){ lo, hi }), want, "%lld..%lld", (long long)lo, (long long)hi);
  }
  /* the whole calendar, counted once */
  int64_t all = 0;
  for (int64_t d = DAY_MIN; d <= DAY_MAX; d++) all += date_weekday(d) <= 5;
  cr_assert_eq(period_workdays((Period){ DAY_MIN, DAY_MAX }), all);
}

/* ---- algebra vs day-by-day sets ---- */

Test(period, algebra_vs_day_sets) {
  rng_state = 0xDEADBEEFCAFEF00Du;
  for (int t = 0; t < 5000; t++) {
    /* small periods inside a 40-day window, so they often touch or overlap */
    int64_t base = rng_range(DAY_MIN, DAY_MAX - 40);
    int64_t a1 = base + rng_range(0, 40), a2 = base + rng_range(0, 40);
    int64_t b1 = base + rng_range(0, 40), b2 = base + rng_range(0, 40);
    Period a = { a1 < a2 ? a1 : a2, a1 < a2 ? a2 : a1 };
    Period b = { b1 < b2 ? b1 : b2, b1 < b2 ? b2 : b1 };
    bool in_a[41] = { false }, in_b[41] = { false };
    for (int64_t d = a.lo; d <= a.hi; d++) in_a[d - base] = true;
    for (int64_t d = b.lo; d <= b.hi; d++) in_b[d - base] = true;
    int64_t first = -1, last = -1;
    bool a_in_b = true;
    for (int k = 0; k <= 40; k++) {
      if (in_a[k] && in_b[k]) {
        if (first < 0) first = k;
        last = k;
      }
      if (in_a[k] && !in_b[k]) a_in_b = false;
      cr_assert_eq(period_contains_day(a, base + k), in_a[k]);
    }
    cr_assert_eq(period_overlaps(a, b), first >= 0);
    Period i = { -1, -1 };
    bool got = period_intersect(a, b, &i);
    cr_assert_eq(got, first >= 0);
    if (got) {
      cr_assert_eq(i.lo, base + first);
      cr_assert_eq(i.hi, base + last);
    }
    cr_assert_eq(period_contains(b, a), a_in_b);
    int64_t n = 0;
    for (int k = 0; k <= 40; k++) n += in_a[k];
    cr_assert_eq(period_length(a), n);
  }
}

/* ---- month arithmetic vs a naive reference ---- */

static bool naive_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int naive_dim(int y, int m) {
  if (m == 2) return naive_leap(y) ? 29 : 28;
  return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

/* Step one month at a time, then apply the month-end rule to (y, m, d). */
static bool naive_add_months(int y, int m, int d, int n, MonthEnd rule, int *ry, int *rm, int *rd) {
  for (; n > 0; n--) if (++m > 12) { m = 1; y++; }
  for (; n < 0; n++) if (--m < 1) { m = 12; y--; }
  if (d > naive_dim(y, m)) {
    if (rule == MONTHEND_CLAMP) {
      d = naive_dim(y, m);
    } else {
      d -= naive_dim(y, m);   /* the surplus days, at most 3, into the next month */
      if (++m > 12) { m = 1; y++; }
    }
  }
  if (y < 1900 || y > 2200) return false;
  *ry = y; *rm = m; *rd = d;
  return true;
}

Test(period, add_months_vs_naive) {
  rng_state = 0x0123456789ABCDEFu;
  for (int t = 0; t < 6000; t++) {
    int y = (int)rng_range(1900, 2200), m = (int)rng_range(1, 12);
    /* bias towards month ends, where the rules differ */
    int d = (t % 2) ? naive_dim(y, m) - (int)rng_range(0, 3) : (int)rng_range(1, naive_dim(y, m));
    int n = (t % 3) ? (int)rng_range(-30, 30) : (int)rng_range(-3700, 3700);
    MonthEnd rule = (t & 4) ? MONTHEND_OVERFLOW : MONTHEND_CLAMP;
    int ry = 0, rm = 0, rd = 0;
    bool want = naive_add_months(y, m, d, n, rule, &ry, &rm, &rd);
    int64_t out = -12345;
    bool got = date_add_months(D(y, m, d), n, rule, &out);
    cr_assert_eq(got, want, "%d-%d-%d + %d (rule %d)", y, m, d, n, (int)rule);
    if (want) {
      expect_day(out, ry, rm, rd, "vs naive");
    } else {
      cr_assert_eq(out, -12345);
    }
  }
}

/* ---- four-weekly tijdvakken, by hand ---- */

/*
** FOURWEEK_FROM_JAN1, common year (2021, 2023): period k covers day-of-year
** 28k-27 .. 28k.
**   1: 1-28 = 1 Jan..28 Jan      2: 29-56 = 29 Jan..25 Feb (56-31)
**  12: 309-336 = 5 Nov..2 Dec (309-304, 336-334)
**  13: 337-365 = 3 Dec..31 Dec (29 days)
** Leap year (2024): 12: 309-336 = 4 Nov..1 Dec (309-305, 336-335);
**  13: 337-366 = 2 Dec..31 Dec (30 days).
*/
Test(period, fourweek_from_jan1_by_hand) {
  const FourWeekLayout L = FOURWEEK_FROM_JAN1;
  int years[2] = { 2021, 2023 };
  for (int i = 0; i < 2; i++) {
    int y = years[i];
    expect_fourweek(D(y, 1, 1), L, 1, y, 1, 1, y, 1, 28, "from_jan1 P1 (1 Jan)");
    expect_fourweek(D(y, 1, 28), L, 1, y, 1, 1, y, 1, 28, "from_jan1 P1 last day");
    expect_fourweek(D(y, 1, 29), L, 2, y, 1, 29, y, 2, 25, "from_jan1 P2");
    expect_fourweek(D(y, 2, 25), L, 2, y, 1, 29, y, 2, 25, "from_jan1 P2 last day");
    expect_fourweek(D(y, 12, 2), L, 12, y, 11, 5, y, 12, 2, "from_jan1 P12");
    expect_fourweek(D(y, 12, 3), L, 13, y, 12, 3, y, 12, 31, "from_jan1 P13");
    expect_fourweek(D(y, 12, 31), L, 13, y, 12, 3, y, 12, 31, "from_jan1 P13 (31 Dec)");
  }
  expect_fourweek(D(2024, 1, 1), L, 1, 2024, 1, 1, 2024, 1, 28, "2024 P1");
  expect_fourweek(D(2024, 2, 1), L, 2, 2024, 1, 29, 2024, 2, 25, "2024 P2");
  expect_fourweek(D(2024, 12, 1), L, 12, 2024, 11, 4, 2024, 12, 1, "2024 P12");
  expect_fourweek(D(2024, 12, 2), L, 13, 2024, 12, 2, 2024, 12, 31, "2024 P13");
  expect_fourweek(D(2024, 12, 31), L, 13, 2024, 12, 2, 2024, 12, 31, "2024 P13 (31 Dec)");
  cr_assert_eq(period_length(period_fourweek(D(2024, 12, 31), L, NULL)), 30);
  cr_assert_eq(period_length(period_fourweek(D(2023, 12, 31), L, NULL)), 29);
  /* the day after 31 Dec starts period 1 of the next year */
  expect_fourweek(D(2022, 1, 1), L, 1, 2022, 1, 1, 2022, 1, 28, "1 Jan 2022");
  expect_fourweek(D(2020, 12, 31), L, 13, 2020, 12, 2, 2020, 12, 31, "31 Dec 2020 (leap)");
}

/*
** FOURWEEK_BY_WEEK. Week 1 is the Monday..Sunday week holding 1 January;
** with M = its Monday, period k (2..12) is M + 28(k-1) .. M + 28k - 1,
** period 1 is 1 Jan .. M + 27, period 13 is M + 336 .. 31 Dec.
**
** 2024 (1 Jan Monday): M = 1 Jan, the same as FROM_JAN1:
**   1: 1 Jan..28 Jan, 2: 29 Jan..25 Feb, 13: day 337 = 2 Dec..31 Dec (30 days).
** 2023 (1 Jan Sunday): M = 26 Dec 2022 = day-of-year -5.
**   1: 1 Jan..22 Jan (M + 27 = doy 22; 22 days)
**   2: doy 23..50 = 23 Jan..19 Feb (50-31)
**  12: doy 303..330 = 30 Oct..26 Nov (303-273, 330-304)
**  13: doy 331..365 = 27 Nov..31 Dec (35 days)
** 2021 (1 Jan Friday): M = 28 Dec 2020 = doy -3.
**   1: 1 Jan..24 Jan (doy 24; 24 days)
**   2: doy 25..52 = 25 Jan..21 Feb (52-31)
**  12: doy 305..332 = 1 Nov..28 Nov (305-304, 332-304)
**  13: doy 333..365 = 29 Nov..31 Dec (33 days)
** 2020 (leap, 1 Jan Wednesday): M = 30 Dec 2019 = doy -1; 13: doy 335 = 30 Nov..31 Dec.
** 2022 (1 Jan Saturday): M = 27 Dec 2021; 1: 1 Jan..23 Jan (27 Dec + 27 days).
*/
Test(period, fourweek_by_week_by_hand) {
  const FourWeekLayout L = FOURWEEK_BY_WEEK;
  cr_assert_eq(date_weekday(D(2023, 1, 1)), 7);
  cr_assert_eq(date_weekday(D(2021, 1, 1)), 5);
  cr_assert_eq(date_weekday(D(2024, 1, 1)), 1);

  expect_fourweek(D(2024, 1, 1), L, 1, 2024, 1, 1, 2024, 1, 28, "2024 P1");
  expect_fourweek(D(2024, 1, 29), L, 2, 2024, 1, 29, 2024, 2, 25, "2024 P2");
  expect_fourweek(D(2024, 12, 2), L, 13, 2024, 12, 2, 2024, 12, 31, "2024 P13");
  expect_fourweek(D(2024, 12, 31), L, 13, 2024, 12, 2, 2024, 12, 31, "2024 31 Dec");
  expect_fourweek(D(2024, 12, 1), L, 12, 2024, 11, 4, 2024, 12, 1, "2024 P12");
  cr_assert_eq(period_length(period_fourweek(D(2024, 12, 31), L, NULL)), 30);

  expect_fourweek(D(2023, 1, 1), L, 1, 2023, 1, 1, 2023, 1, 22, "2023 P1 (1 Jan)");
  expect_fourweek(D(2023, 1, 22), L, 1, 2023, 1, 1, 2023, 1, 22, "2023 P1 last day");
  expect_fourweek(D(2023, 1, 23), L, 2, 2023, 1, 23, 2023, 2, 19, "2023 P2");
  expect_fourweek(D(2023, 2, 19), L, 2, 2023, 1, 23, 2023, 2, 19, "2023 P2 last day");
  expect_fourweek(D(2023, 11, 26), L, 12, 2023, 10, 30, 2023, 11, 26, "2023 P12");
  expect_fourweek(D(2023, 11, 27), L, 13, 2023, 11, 27, 2023, 12, 31, "2023 P13");
  expect_fourweek(D(2023, 12, 31), L, 13, 2023, 11, 27, 2023, 12, 31, "2023 31 Dec");
  cr_assert_eq(period_length(period_fourweek(D(2023, 12, 31), L, NULL)), 35);

  expect_fourweek(D(2021, 1, 1), L, 1, 2021, 1, 1, 2021, 1, 24, "2021 P1 (1 Jan)");
  expect_fourweek(D(2021, 1, 24), L, 1, 2021, 1, 1, 2021, 1, 24, "2021 P1 last day");
  expect_fourweek(D(2021, 1, 25), L, 2, 2021, 1, 25, 2021, 2, 21, "2021 P2");
  expect_fourweek(D(2021, 2, 21), L, 2, 2021, 1, 25, 2021, 2, 21, "2021 P2 last day");
  expect_fourweek(D(2021, 11, 28), L, 12, 2021, 11, 1, 2021, 11, 28, "2021 P12");
  expect_fourweek(D(2021, 11, 29), L, 13, 2021, 11, 29, 2021, 12, 31, "2021 P13");
  expect_fourweek(D(2021, 12, 31), L, 13, 2021, 11, 29, 2021, 12, 31, "2021 31 Dec");
  cr_assert_eq(period_length(period_fourweek(D(2021, 12, 31), L, NULL)), 33);

  /* year ends: 31 Dec closes period 13, 1 Jan opens period 1 of the next year */
  expect_fourweek(D(2020, 12, 31), L, 13, 2020, 11, 30, 2020, 12, 31, "31 Dec 2020");
  expect_fourweek(D(2022, 1, 1), L, 1, 2022, 1, 1, 2022, 1, 23, "1 Jan 2022");
  expect_fourweek(D(2025, 1, 1), L, 1, 2025, 1, 1, 2025, 1, 26, "1 Jan 2025 (Wednesday: M = 30 Dec 2024)");
  /* NULL num is allowed */
  expect_period(period_fourweek(D(2021, 6, 1), L, NULL), 2021, 5, 17, 2021, 6, 13, "2021 P6 (doy 137..164)");
}

/* Every year 1900..2200, both layouts: 13 periods that tile the year. */
Test(period, fourweek_tiles_every_year) {
  for (int layout = 0; layout <= 1; layout++) {
    FourWeekLayout L = (FourWeekLayout)layout;
    for (int y = DATE_MIN_YEAR; y <= DATE_MAX_YEAR; y++) {
      int64_t jan1 = D(y, 1, 1), dec31 = D(y, 12, 31);
      int64_t cur = jan1;
      int count = 0;
      while (cur <= dec31) {
        int num = 0;
        Period p = period_fourweek(cur, L, &num);
        count++;
        cr_assert_eq(num, count, "year %d layout %d", y, layout);
        cr_assert_eq(p.lo, cur, "year %d layout %d period %d starts where the last ended", y, layout, num);
        cr_assert(p.hi >= p.lo && p.hi <= dec31);
        /* every day inside maps back to the same period */
        for (int64_t d = p.lo; d <= p.hi; d++) {
          int n2 = 0;
          Period q = period_fourweek(d, L, &n2);
          cr_assert(q.lo == p.lo && q.hi == p.hi && n2 == num, "year %d day %lld", y, (long long)d);
        }
        int64_t len = period_length(p);
        if (num >= 2 && num <= 12) cr_assert_eq(len, 28);
        if (L == FOURWEEK_FROM_JAN1 && num == 1) cr_assert_eq(len, 28);
        if (L == FOURWEEK_BY_WEEK) {
          if (num == 1) cr_assert(len >= 22 && len <= 28);
          if (num >= 2) cr_assert_eq(date_weekday(p.lo), 1, "starts on a Monday");
          if (num <= 12) cr_assert_eq(date_weekday(p.hi), 7, "ends on a Sunday");
        }
        if (num == 13) cr_assert(len >= 29 && len <= 36);
        cur = p.hi + 1;
      }
      cr_assert_eq(count, 13, "year %d layout %d", y, layout);
      cr_assert_eq(cur, dec31 + 1);
    }
  }
}

/* ---- units overlapping a period ---- */

Test(period, months_in_by_hand) {
  Period out[8];
  /* 15 Jan .. 3 Mar 2024: January, February, March, whole */
  Period p = { D(2024, 1, 15), D(2024, 3, 3) };
  cr_assert_eq(period_months_in(p, out, 8), 3);
  expect_period(out[0], 2024, 1, 1, 2024, 1, 31, "Jan");
  expect_period(out[1], 2024, 2, 1, 2024, 2, 29, "Feb");
  expect_period(out[2], 2024, 3, 1, 2024, 3, 31, "Mar");
  /* across a year end, and a one-day period */
  Period q = { D(2023, 12, 31), D(2024, 1, 1) };
  cr_assert_eq(period_months_in(q, out, 8), 2);
  expect_period(out[0], 2023, 12, 1, 2023, 12, 31, "Dec");
  expect_period(out[1], 2024, 1, 1, 2024, 1, 31, "Jan");
  cr_assert_eq(period_months_in((Period){ D(2024, 2, 29), D(2024, 2, 29) }, out, 8), 1);
  expect_period(out[0], 2024, 2, 1, 2024, 2, 29, "Feb");
  /* cap smaller than the total: count returned, only cap written */
  Period sentinel = { -7, -7 };
  for (int i = 0; i < 8; i++) out[i] = sentinel;
  Period year = { D(2023, 1, 1), D(2023, 12, 31) };
  cr_assert_eq(period_months_in(year, out, 2), 12);
  expect_period(out[1], 2023, 2, 1, 2023, 2, 28, "Feb (cap 2)");
  cr_assert(out[2].lo == -7 && out[2].hi == -7, "nothing written past cap");
  cr_assert_eq(period_months_in(year, NULL, 0), 12);
  /* whole calendar: 301 * 12 = 3612 months */
  cr_assert_eq(period_months_in((Period){ DAY_MIN, DAY_MAX }, NULL, 0), 3612);
  cr_assert_eq(period_months_in((Period){ 5, 4 }, out, 8), 0, "malformed period");
}

Test(period, fourweeks_in_by_hand) {
  Period out[4];
  /* 20 Dec 2023 .. 10 Jan 2024, BY_WEEK: 2023 P13 (27 Nov..31 Dec) and 2024 P1 (1..28 Jan) */
  Period p = { D(2023, 12, 20), D(2024, 1, 10) };
  cr_assert_eq(period_fourweeks_in(p, FOURWEEK_BY_WEEK, out, 4), 2);
  expect_period(out[0], 2023, 11, 27, 2023, 12, 31, "2023 P13");
  expect_period(out[1], 2024, 1, 1, 2024, 1, 28, "2024 P1");
  /* FROM_JAN1: 2023 P13 is 3 Dec..31 Dec */
  cr_assert_eq(period_fourweeks_in(p, FOURWEEK_FROM_JAN1, out, 4), 2);
  expect_period(out[0], 2023, 12, 3, 2023, 12, 31, "2023 P13");
  /* a whole year holds 13 in both layouts; cap respected */
  Period sentinel = { -3, -3 };
  for (int i = 0; i < 4; i++) out[i] = sentinel;
  Period y2021 = { D(2021, 1, 1), D(2021, 12, 31) };
  cr_assert_eq(period_fourweeks_in(y2021, FOURWEEK_BY_WEEK, out, 3), 13);
  expect_period(out[2], 2021, 2, 22, 2021, 3, 21, "2021 P3 (doy 53..80)");
  cr_assert(out[3].lo == -3 && out[3].hi == -3, "nothing written past cap");
  cr_assert_eq(period_fourweeks_in(y2021, FOURWEEK_FROM_JAN1, NULL, 0), 13);
  /* whole calendar: 13 * 301 = 3913 */
  cr_assert_eq(period_fourweeks_in((Period){ DAY_MIN, DAY_MAX }, FOURWEEK_BY_WEEK, NULL, 0), 3913);
  cr_assert_eq(period_fourweeks_in((Period){ 5, 4 }, FOURWEEK_BY_WEEK, out, 4), 0, "malformed period");
}

/* Walk p day by day, collecting each new unit; compare with the *_in functions. */
Test(period, units_in_vs_walking) {
  rng_state = 0xA5A5A5A55A5A5A5Au;
  enum { CAP = 64 };
  for (int t = 0; t < 3000; t++) {
    int64_t lo = rng_range(DAY_MIN, DAY_MAX);
    int64_t hi = lo + rng_range(0, 400);
    if (hi > DAY_MAX) hi = DAY_MAX;
    Period p = { lo, hi };
    int kind = t % 3;   /* 0 months, 1 from_jan1, 2 by_week */
    Period want[CAP];
    size_t nwant = 0;
    for (int64_t d = lo; d <= hi; d++) {
      Period u = kind == 0 ? period_month(d)
               : period_fourweek(d, kind == 1 ? FOURWEEK_FROM_JAN1 : FOURWEEK_BY_WEEK, NULL);
      cr_assert(period_contains_day(u, d));
      if (nwant == 0 || want[nwant - 1].lo != u.lo) {
        cr_assert(nwant < CAP);
        if (nwant > 0) cr_assert_eq(u.lo, want[nwant - 1].hi + 1, "units are contiguous");
        want[nwant++] = u;
      }
    }
    Period got[CAP];
    size_t ngot = kind == 0 ? period_months_in(p, got, CAP)
                : period_fourweeks_in(p, kind == 1 ? FOURWEEK_FROM_JAN1 : FOURWEEK_BY_WEEK, got, CAP);
    cr_assert_eq(ngot, nwant, "case %d kind %d", t, kind);
    for (size_t i = 0; i < nwant; i++) {
      cr_assert(got[i].lo == want[i].lo && got[i].hi == want[i].hi, "case %d unit %zu", t, i);
    }
  }
}
