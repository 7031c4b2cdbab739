/*
** period.h: legal time on top of date.h -- periods (closed date intervals),
** month arithmetic with a stated month-end rule, dagloondagen, and the
** aangiftetijdvakken of the payroll tax (monthly and four-weekly).
**
** Every function that can leave the supported calendar (DATE_MIN_YEAR ..
** DATE_MAX_YEAR) or is given an impossible argument returns false and leaves
** its output untouched: never a clamped or wrapped date.
*/
#ifndef DAGLOON_PERIOD_H
#define DAGLOON_PERIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A closed interval of day numbers: lo <= hi, both within the supported years. */
typedef struct Period {
  int64_t lo;     /* first day (day number, date.h) */
  int64_t hi;     /* last day, inclusive */
} Period;

/* True if day lies in DATE_MIN_YEAR-01-01 .. DATE_MAX_YEAR-12-31. */
bool date_in_range(int64_t day);

/* day + n days; false if the result leaves the supported range. */
bool date_add_days(int64_t day, int64_t n, int64_t *out);

/*
** What adding months does to a day that does not exist in the target month
** (31 January + 1 month). The rule must state one; there is no default.
*/
typedef enum MonthEnd {
  MONTHEND_CLAMP = 0,     /* afkappen: to the last day of the target month (31 Jan + 1 month = 28/29 Feb) */
  MONTHEND_OVERFLOW = 1   /* doorlopen: the surplus days run into the next month (31 Jan + 1 month = 2/3 Mar) */
} MonthEnd;

/* day + n months (n may be negative) with the stated month-end rule; false if out of range. */
bool date_add_months(int64_t day, int64_t n, MonthEnd rule, int64_t *out);

/* Calendar units containing a day, as periods. */
Period period_month(int64_t day);       /* kalendermaand */
Period period_quarter(int64_t day);     /* kwartaal: Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec */
Period period_halfyear(int64_t day);    /* halfjaar: Jan-Jun, Jul-Dec */
Period period_year(int64_t day);        /* kalenderjaar */

/* Make a period; false if lo > hi or either end is out of range. */
bool period_make(int64_t lo, int64_t hi, Period *out);
bool period_overlaps(Period a, Period b);
/* The intersection; false if the periods do not overlap. */
bool period_intersect(Period a, Period b, Period *out);
bool period_contains_day(Period p, int64_t day);
bool period_contains(Period outer, Period inner);
int64_t period_length(Period p);        /* days, inclusive of both ends: hi - lo + 1 */

/*
** Dagloondagen (Dagloonbesluit werknemersverzekeringen art. 1 lid 2): the
** first five days of every week, Monday to Friday, public holidays
** included. Counted in constant time.
*/
int64_t period_workdays(Period p);

/*
** Four-weekly aangiftetijdvakken. The Belastingdienst states that with a
** four-week aangiftetijdvak the first period of a calendar year starts on
** 1 January and the last one ends on 31 December, 13 periods a year
** (Belastingdienst notices reproduced at belastingraadgevers.nl and
** dezaak.nl; see docs/LANGUAGE.md). How the days in between are divided
** was not found in a primary source, so the layout is an explicit choice:
*/
typedef enum FourWeekLayout {
  FOURWEEK_FROM_JAN1 = 0, /* vanaf_1_januari: 28-day blocks counted from 1 January; the 13th runs to 31 December (29 or 30 days) */
  FOURWEEK_BY_WEEK = 1    /* per_week: Monday-Sunday weeks, week 1 being the one that holds 1 January: the 1st runs
                          ** from 1 January to the Sunday of week 4, periods 2-12 are four full weeks, the 13th
                          ** runs to 31 December */
} FourWeekLayout;

/* The four-weekly aangiftetijdvak containing day, and its number 1..13 (if num is not NULL). */
Period period_fourweek(int64_t day, FourWeekLayout layout, int *num);

/*
** The calendar months (or four-weekly tijdvakken) that overlap p, whole
** (not clipped to p), in order. Writes at most cap periods to out and
** returns how many there are in total (so a caller can size the buffer).
*/
size_t period_months_in(Period p, Period *out, size_t cap);
size_t period_fourweeks_in(Period p, FourWeekLayout layout, Period *out, size_t cap);

#endif
