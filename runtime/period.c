/*
** period.c: legal time on top of date.c (see period.h) -- range-checked day
** and month arithmetic, calendar units as periods, interval algebra,
** dagloondagen (Monday..Friday) counted in constant time, and the monthly
** and four-weekly aangiftetijdvakken.
**
** All arithmetic is on int64 day numbers; every input that could overflow is
** bounded first, so no expression here can wrap.
*/
#include "period.h"

#include "date.h"

/*
** First and last supported day numbers (1900-01-01 and 2200-12-31), as
** constants because every period operation checks them; test_period.c
** checks them against date_from_ymd.
*/
enum { DAY_MIN = -25567, DAY_MAX = 84370 };
_Static_assert(DATE_MIN_YEAR == 1900 && DATE_MAX_YEAR == 2200, "DAY_MIN/DAY_MAX follow the supported years");
static int64_t day_min(void) { return DAY_MIN; }
static int64_t day_max(void) { return DAY_MAX; }

/* A well-formed period: ordered and inside the supported calendar. */
static bool period_valid(Period p) {
  return p.lo <= p.hi && date_in_range(p.lo) && date_in_range(p.hi);
}

bool date_in_range(int64_t day) {
  return day >= day_min() && day <= day_max();
}

bool date_add_days(int64_t day, int64_t n, int64_t *out) {
  if (!date_in_range(day)) return false;
  /* Compare n with the distance to each end instead of forming day + n,
  ** which could overflow for n near INT64_MAX. */
  if (n < day_min() - day || n > day_max() - day) return false;
  *out = day + n;
  return true;
}

bool date_add_months(int64_t day, int64_t n, MonthEnd rule, int64_t *out) {
  if (rule != MONTHEND_CLAMP && rule != MONTHEND_OVERFLOW) return false;
  if (!date_in_range(day)) return false;
  /* No valid result is more months away than the calendar is long; this
  ** bound also keeps the month index below from overflowing. */
  const int64_t span = 12 * (int64_t)(DATE_MAX_YEAR - DATE_MIN_YEAR + 1);
  if (n < -span || n > span) return false;
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  int64_t idx = (int64_t)y * 12 + (m - 1) + n;   /* months since year 0; > 0 here */
  int ty = (int)(idx / 12);
  int tm = (int)(idx % 12) + 1;
  if (ty < DATE_MIN_YEAR || ty > DATE_MAX_YEAR) return false;
  int64_t res;
  if (rule == MONTHEND_CLAMP) {
    int dim = date_days_in_month(ty, tm);
    res = date_from_ymd(ty, tm, d > dim ? dim : d);
  } else {
    /* Doorlopen: count d - 1 days on from the first of the target month, so
    ** the surplus of a too-short month lands in the next one. */
    res = date_from_ymd(ty, tm, 1) + (d - 1);
  }
  if (!date_in_range(res)) return false;
  *out = res;
  return true;
}

/*
** The calendar units below take a day in range (the readers and the
** verifier see to it); one outside gives the one-day period of that day
** rather than arithmetic that could wrap.
*/
Period period_month(int64_t day) {
  if (!date_in_range(day)) return (Period){day, day};
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  Period p = { day - (d - 1), day - d + date_days_in_month(y, m) };
  return p;
}

/* The unit of len months (3, 6, 12) containing day; units start in January. */
static Period month_block(int64_t day, int len) {
  if (!date_in_range(day)) return (Period){day, day};
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  int first = (m - 1) / len * len + 1;
  int last = first + len - 1;
  Period p = { date_from_ymd(y, first, 1), date_from_ymd(y, last, date_days_in_month(y, last)) };
  return p;
}

Period period_quarter(int64_t day) { return month_block(day, 3); }
Period period_halfyear(int64_t day) { return month_block(day, 6); }
Period period_year(int64_t day) { return month_block(day, 12); }

bool period_make(int64_t lo, int64_t hi, Period *out) {
  Period p = { lo, hi };
  if (!period_valid(p)) return false;
  *out = p;
  return true;
}

bool period_overlaps(Period a, Period b) {
  return a.lo <= b.hi && b.lo <= a.hi;
}

bool period_intersect(Period a, Period b, Period *out) {
  if (!period_overlaps(a, b)) return false;
  Period p = { a.lo > b.lo ? a.lo : b.lo, a.hi < b.hi ? a.hi : b.hi };
  *out = p;
  return true;
}

bool period_contains_day(Period p, int64_t day) {
  return p.lo <= day && day <= p.hi;
}

bool period_contains(Period outer, Period inner) {
  return outer.lo <= inner.lo && inner.hi <= outer.hi;
}

int64_t period_length(Period p) {
  if (!period_valid(p)) return 0;   /* a malformed period: no days, and no hi - lo that could wrap */
  return p.hi - p.lo + 1;
}

/*
** Monday..Friday among the days before day t, counted from the Monday
** 1969-12-29 (day -3): whole weeks give five each, the started week gives
** min(days into it, 5). Floor division makes it valid for negative t too, so
** the count in [lo, hi] is a difference of two calls.
*/
static int64_t workdays_before(int64_t day) {
  int64_t t = day + 3;
  int64_t q = t / 7, r = t % 7;
  if (r < 0) { r += 7; q--; }
  return 5 * q + (r < 5 ? r : 5);
}

/* 0 for a malformed period (reversed or outside the calendar). */
int64_t period_workdays(Period p) {
  if (!period_valid(p)) return 0;
  return workdays_before(p.hi + 1) - workdays_before(p.lo);
}

Period period_fourweek(int64_t day, FourWeekLayout layout, int *num) {
  if (!date_in_range(day)) {
    if (num) *num = 0;
    return (Period){day, day};
  }
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  int64_t jan1 = date_from_ymd(y, 1, 1);
  int64_t dec31 = date_from_ymd(y, 12, 31);
  /* Day from which the 28-day blocks are counted: 1 January itself, or the
  ** Monday of the week holding it (up to six days into the previous year). */
  int64_t base = jan1;
  if (layout == FOURWEEK_BY_WEEK) base = jan1 - (date_weekday(jan1) - 1);
  int64_t k = (day - base) / 28 + 1;   /* day >= base, so no rounding issue */
  if (k > 13) k = 13;                  /* 13 * 28 < 365: the last one absorbs the rest */
  Period p;
  p.lo = base + 28 * (k - 1);
  p.hi = p.lo + 27;
  if (p.lo < jan1) p.lo = jan1;        /* only period 1 of FOURWEEK_BY_WEEK */
  if (k == 13) p.hi = dec31;
  if (num) *num = (int)k;
  return p;
}

size_t period_months_in(Period p, Period *out, size_t cap) {
  if (!period_valid(p)) return 0;
  int y1, m1, y2, m2, d;
  date_to_ymd(p.lo, &y1, &m1, &d);
  date_to_ymd(p.hi, &y2, &m2, &d);
  size_t total = (size_t)((y2 - y1) * 12 + (m2 - m1) + 1);
  /* month by month with the month's length: one date conversion, not three per month */
  static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t lo = total && cap ? date_from_ymd(y1, m1, 1) : 0;
  int y = y1, m = m1;
  bool leap = date_days_in_month(y, 2) == 29;
  for (size_t i = 0; i < total && i < cap; i++) {
    int64_t hi = lo + days[m - 1] + (m == 2 && leap) - 1;
    out[i] = (Period){lo, hi};
    lo = hi + 1;
    if (++m == 13) {
      m = 1;
      leap = date_days_in_month(++y, 2) == 29;
    }
  }
  return total;
}

size_t period_fourweeks_in(Period p, FourWeekLayout layout, Period *out, size_t cap) {
  if (!period_valid(p)) return 0;
  /* At most 13 * 301 units in the whole calendar, so walking unit by unit is cheap. */
  size_t n = 0;
  int64_t cur = p.lo;
  while (cur <= p.hi) {
    Period u = period_fourweek(cur, layout, NULL);
    if (n < cap) out[n] = u;
    n++;
    cur = u.hi + 1;
  }
  return n;
}
