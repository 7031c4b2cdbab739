/*
** test_date.c: unit tests for runtime/date.c. Day numbers and weekdays are
** from the calendar or counted by hand (counts noted where not obvious).
*/
#include <criterion/criterion.h>

#include <string.h>

#include "runtime/date.h"

/*
** 1900-01-01: 70 years back of 365 days plus 17 leap days (1904..1968).
** 2200-12-31: 1970..2200 is 231 years of 365 days plus 56 leap days (the
** 57 multiples of 4 in 1972..2196, minus 2100), so 2201-01-01 is 84371.
*/
#define DAY_1900_01_01 (-25567)
#define DAY_2200_12_31 84370

static int64_t parse_ok(const char *s) {
  int64_t d = 12345;
  const char *why = "untouched";
  cr_assert(date_parse(s, strlen(s), &d, &why), "%s: %s", s, why);
  return d;
}

static const char *parse_err(const char *s) {
  int64_t d = 12345;
  const char *why = NULL;
  cr_assert(!date_parse(s, strlen(s), &d, &why), "%s should not parse", s);
  cr_assert_eq(d, 12345, "out must be untouched on error");
  cr_assert_not_null(why);
  return why;
}

Test(date, leap_years) {
  cr_assert(date_valid_ymd(2000, 2, 29));   /* divisible by 400 */
  cr_assert(date_valid_ymd(2024, 2, 29));
  cr_assert(!date_valid_ymd(1900, 2, 29));  /* divisible by 100, not 400 */
  cr_assert(!date_valid_ymd(2100, 2, 29));
  cr_assert(!date_valid_ymd(2200, 2, 29));
  cr_assert(!date_valid_ymd(2023, 2, 29));
  cr_assert(date_valid_ymd(2023, 2, 28));
  cr_assert_eq(date_days_in_month(2024, 2), 29);
  cr_assert_eq(date_days_in_month(2000, 2), 29);
  cr_assert_eq(date_days_in_month(2023, 2), 28);
  cr_assert_eq(date_days_in_month(1900, 2), 28);
  cr_assert_eq(date_days_in_month(2100, 2), 28);
}

Test(date, days_in_month) {
  static const int want[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  for (int m = 1; m <= 12; m++) cr_assert_eq(date_days_in_month(2023, m), want[m - 1], "month %d", m);
  cr_assert_eq(date_days_in_month(2023, 0), 0);
  cr_assert_eq(date_days_in_month(2023, 13), 0);
}

Test(date, valid_ymd_bounds) {
  cr_assert(date_valid_ymd(1900, 1, 1));
  cr_assert(!date_valid_ymd(1899, 12, 31));
  cr_assert(date_valid_ymd(2200, 12, 31));
  cr_assert(!date_valid_ymd(2201, 1, 1));
  cr_assert(!date_valid_ymd(2023, 0, 1));
  cr_assert(!date_valid_ymd(2023, 13, 1));
  cr_assert(!date_valid_ymd(2023, 1, 0));
  cr_assert(!date_valid_ymd(2023, 1, 32));
  cr_assert(!date_valid_ymd(2023, 4, 31));
  cr_assert(date_valid_ymd(2023, 4, 30));
  cr_assert(!date_valid_ymd(2023, -1, 1));
  cr_assert(!date_valid_ymd(-2023, 1, 1));
}

Test(date, known_day_numbers) {
  cr_assert_eq(date_from_ymd(1970, 1, 1), 0);
  cr_assert_eq(date_from_ymd(1969, 12, 31), -1);
  cr_assert_eq(date_from_ymd(1970, 3, 1), 59);               /* 31 + 28 */
  cr_assert_eq(date_from_ymd(2000, 1, 1), 10957);            /* 30*365 + 7 leap days */
  cr_assert_eq(date_from_ymd(2000, 3, 1), 10957 + 31 + 29);
  cr_assert_eq(date_from_ymd(2024, 1, 1), 19723);            /* 54*365 + 13 leap days */
  cr_assert_eq(date_from_ymd(2024, 2, 29), 19723 + 31 + 28);
  cr_assert_eq(date_from_ymd(1900, 1, 1), DAY_1900_01_01);
  cr_assert_eq(date_from_ymd(1900, 3, 1), DAY_1900_01_01 + 31 + 28);   /* 1900 not leap */
  cr_assert_eq(date_from_ymd(2200, 12, 31), DAY_2200_12_31);
  int y, m, d;
  date_to_ymd(10957, &y, &m, &d);
  cr_assert(y == 2000 && m == 1 && d == 1);
  date_to_ymd(-1, &y, &m, &d);
  cr_assert(y == 1969 && m == 12 && d == 31);
  date_to_ymd(19723 + 31 + 28, &y, &m, &d);
  cr_assert(y == 2024 && m == 2 && d == 29);
  date_to_ymd(DAY_1900_01_01, &y, &m, &d);
  cr_assert(y == 1900 && m == 1 && d == 1);
  date_to_ymd(DAY_2200_12_31, &y, &m, &d);
  cr_assert(y == 2200 && m == 12 && d == 31);
}

/*
** Outside the valid years the conversion is still the proleptic calendar:
** 2000-03-01 is 10957 + 31 + 29 = 11017, and 400 years are 146097 days.
*/
Test(date, to_ymd_far_days) {
  int y, m, d;
  date_to_ymd(11017 - 146097, &y, &m, &d);
  cr_assert(y == 1600 && m == 3 && d == 1, "%d-%d-%d", y, m, d);
  date_to_ymd(11017 - 146097 - 1, &y, &m, &d);
  cr_assert(y == 1600 && m == 2 && d == 29, "%d-%d-%d", y, m, d);
  date_to_ymd(11017 - 2 * 146097, &y, &m, &d);
  cr_assert(y == 1200 && m == 3 && d == 1, "%d-%d-%d", y, m, d);
  date_to_ymd(11017 + 146097, &y, &m, &d);
  cr_assert(y == 2400 && m == 3 && d == 1, "%d-%d-%d", y, m, d);
}

Test(date, weekday) {
  cr_assert_eq(date_weekday(date_from_ymd(2024, 1, 1)), 1);    /* Monday */
  cr_assert_eq(date_weekday(date_from_ymd(2023, 12, 31)), 7);  /* Sunday */
  cr_assert_eq(date_weekday(0), 4);                            /* 1970-01-01, Thursday */
  cr_assert_eq(date_weekday(-1), 3);                           /* 1969-12-31, Wednesday */
  cr_assert_eq(date_weekday(date_from_ymd(2000, 1, 1)), 6);    /* Saturday */
  cr_assert_eq(date_weekday(date_from_ymd(1900, 1, 1)), 1);    /* Monday */
  cr_assert_eq(date_weekday(date_from_ymd(2024, 2, 29)), 4);   /* Thursday */
  cr_assert_eq(date_weekday(-7), 4);
  cr_assert_eq(date_weekday(-8), 3);
}

/* Every day of the valid range: to_ymd / from_ymd agree and step one day at a time. */
Test(date, round_trip_all_days) {
  int py = 1899, pm = 12, pd = 31;
  for (int64_t day = DAY_1900_01_01; day <= DAY_2200_12_31; day++) {
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    cr_assert(date_valid_ymd(y, m, d), "day %lld -> %d-%d-%d", (long long)day, y, m, d);
    cr_assert_eq(date_from_ymd(y, m, d), day, "day %lld", (long long)day);
    /* successor of (py, pm, pd) */
    bool next_ok = (y == py && m == pm && d == pd + 1) ||
                   (y == py && m == pm + 1 && d == 1 && pd == date_days_in_month(py, pm)) ||
                   (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
    cr_assert(next_ok, "day %lld: %d-%d-%d after %d-%d-%d", (long long)day, y, m, d, py, pm, pd);
    int w = date_weekday(day);
    cr_assert(w >= 1 && w <= 7);
    cr_assert_eq(date_weekday(day + 1), w % 7 + 1);
    py = y; pm = m; pd = d;
  }
  cr_assert(py == 2200 && pm == 12 && pd == 31);
}

Test(date, parse_ok) {
  cr_assert_eq(parse_ok("1970-01-01"), 0);
  cr_assert_eq(parse_ok("2024-01-01"), 19723);
  cr_assert_eq(parse_ok("2024-02-29"), 19723 + 31 + 28);
  cr_assert_eq(parse_ok("2000-02-29"), 10957 + 31 + 28);
  cr_assert_eq(parse_ok("1900-01-01"), DAY_1900_01_01);
  cr_assert_eq(parse_ok("2200-12-31"), DAY_2200_12_31);
  /* only len bytes are read */
  int64_t d = 0;
  cr_assert(date_parse("2024-01-01T00:00", 10, &d, NULL));
  cr_assert_eq(d, 19723);
}

Test(date, parse_errors) {
  cr_assert_str_eq(parse_err("2023-02-30"), "day 30 does not exist in February 2023");
  cr_assert_str_eq(parse_err("2023-13-01"), "month 13 does not exist");
  cr_assert_str_eq(parse_err("2023-00-01"), "month 0 does not exist");
  cr_assert_str_eq(parse_err("2023-04-31"), "day 31 does not exist in April 2023");
  cr_assert_str_eq(parse_err("2023-01-00"), "day 0 does not exist in January 2023");
  cr_assert_str_eq(parse_err("1900-02-29"), "day 29 does not exist in February 1900");
  cr_assert_str_eq(parse_err("1850-01-01"), "year 1850 is outside 1900..2200");
  cr_assert_str_eq(parse_err("2201-01-01"), "year 2201 is outside 1900..2200");
  static const char *const shape[] = {
    "", "2023-1-01", "2023-01-1", "2023/01/01", "20230101", "2023-01-01 ", " 2023-01-01",
    "2023-01-0a", "+023-01-01", "-023-01-01", "2023-01-01T00:00", "01-01-2023", "2023--1-01",
  };
  for (size_t i = 0; i < sizeof shape / sizeof shape[0]; i++) {
    cr_assert_str_eq(parse_err(shape[i]), "expected YYYY-MM-DD", "\"%s\"", shape[i]);
  }
  /* why may be NULL */
  int64_t d = 5;
  cr_assert(!date_parse("2023-02-30", 10, &d, NULL));
  cr_assert_eq(d, 5);
}

Test(date, format) {
  char buf[11];
  memset(buf, 'x', sizeof buf);
  cr_assert_eq(date_format(0, buf), 10);
  cr_assert_str_eq(buf, "1970-01-01");
  date_format(-1, buf); cr_assert_str_eq(buf, "1969-12-31");
  date_format(19723 + 31 + 28, buf); cr_assert_str_eq(buf, "2024-02-29");
  date_format(DAY_1900_01_01, buf); cr_assert_str_eq(buf, "1900-01-01");
  date_format(DAY_2200_12_31, buf); cr_assert_str_eq(buf, "2200-12-31");
  date_format(date_from_ymd(2005, 7, 9), buf); cr_assert_str_eq(buf, "2005-07-09");
}

Test(date, format_far_days_stay_in_buffer) {
  /* outside years 0..9999 nothing plausible is printed and 11 bytes suffice */
  char buf[11];
  cr_assert_eq(date_format(INT64_MAX, buf), 10);
  cr_assert_str_eq(buf, "????" "-" "??" "-" "??");
  cr_assert_eq(date_format(INT64_MIN, buf), 10);
  cr_assert_str_eq(buf, "????" "-" "??" "-" "??");
  int y, m, d;
  date_to_ymd(INT64_MAX, &y, &m, &d);
  cr_assert(!date_valid_ymd(y, m, d));
  date_to_ymd(INT64_MIN, &y, &m, &d);
  cr_assert(!date_valid_ymd(y, m, d));
}

Test(date, format_parse_round_trip) {
  for (int64_t day = DAY_1900_01_01; day <= DAY_2200_12_31; day++) {
    char buf[11];
    cr_assert_eq(date_format(day, buf), 10);
    int64_t back = -999999;
    const char *why = NULL;
    cr_assert(date_parse(buf, 10, &back, &why), "%s: %s", buf, why);
    cr_assert_eq(back, day, "%s", buf);
  }
}
