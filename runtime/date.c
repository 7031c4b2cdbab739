/*
** date.c: day numbers <-> civil dates (proleptic Gregorian) and the
** YYYY-MM-DD text form (see date.h). The conversions are Howard Hinnant's
** days_from_civil / civil_from_days, with eras of 400 years (146097 days).
*/
#include "date.h"

#include <limits.h>
#include <stdio.h>

static const char *const month_names[12] = {
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December"
};

static bool is_leap(int y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* Returns 0 for a month outside 1..12. */
int date_days_in_month(int y, int m) {
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m < 1 || m > 12) return 0;
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool date_valid_ymd(int y, int m, int d) {
  if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR) return false;
  if (m < 1 || m > 12) return false;
  return d >= 1 && d <= date_days_in_month(y, m);
}

int64_t date_from_ymd(int y, int m, int d) {
  int64_t yy = (int64_t)y - (m <= 2);           /* years start in March */
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;                 /* 0..399 */
  int64_t mp = m > 2 ? m - 3 : m + 9;           /* March = 0 */
  int64_t doy = (153 * mp + 2) / 5 + d - 1;     /* 0..365 */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;           /* 719468: 0000-03-01 .. 1970-01-01 */
}

/*
** Defined for every int64 (no overflow: the era is split off before the
** epoch shift), but only days of DATE_MIN_YEAR..DATE_MAX_YEAR are meaningful;
** a year beyond int is clamped to INT_MIN/INT_MAX (still invalid, never
** wrapped into a plausible year).
*/
void date_to_ymd(int64_t day, int *y, int *m, int *d) {
  /* 719468 = 4 * 146097 + 135080: shift to 0000-03-01 without overflowing. */
  int64_t era = day / 146097;
  int64_t doe = day % 146097;
  if (doe < 0) { doe += 146097; era--; }
  doe += 135080;
  if (doe >= 146097) { doe -= 146097; era++; }
  era += 4;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* 0..399 */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  /* 0..365 */
  int64_t mp = (5 * doy + 2) / 153;                                       /* March = 0 */
  int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = mm;
  int64_t yy = yoe + era * 400 + (mm <= 2);
  *y = yy > INT_MAX ? INT_MAX : yy < INT_MIN ? INT_MIN : (int)yy;
}

int date_weekday(int64_t day) {
  int64_t r = day % 7;
  if (r < 0) r += 7;
  return (int)((r + 3) % 7) + 1;   /* day 0, 1970-01-01, was a Thursday (4) */
}

static int two_digits(const char *s) {
  return (s[0] - '0') * 10 + (s[1] - '0');
}

bool date_parse(const char *s, size_t len, int64_t *out, const char **why) {
  static _Thread_local char buf[96];
  const char *err = NULL;
  if (!s || len != 10 || s[4] != '-' || s[7] != '-') {
    err = "expected YYYY-MM-DD";
  } else {
    for (size_t i = 0; i < 10; i++) {
      if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) err = "expected YYYY-MM-DD";
    }
  }
  if (!err) {
    int y = two_digits(s) * 100 + two_digits(s + 2);
    int m = two_digits(s + 5);
    int d = two_digits(s + 8);
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR) {
      snprintf(buf, sizeof buf, "year %d is outside %d..%d", y, DATE_MIN_YEAR, DATE_MAX_YEAR);
      err = buf;
    } else if (m < 1 || m > 12) {
      snprintf(buf, sizeof buf, "month %d does not exist", m);
      err = buf;
    } else if (d < 1 || d > date_days_in_month(y, m)) {
      snprintf(buf, sizeof buf, "day %d does not exist in %s %d", d, month_names[m - 1], y);
      err = buf;
    } else {
      *out = date_from_ymd(y, m, d);
      return true;
    }
  }
  if (why) *why = err;
  return false;
}

/*
** A day whose year is outside 0..9999 cannot be written in 10 bytes; it
** comes out as question marks in the YYYY-MM-DD shape rather than as a
** plausible wrong date.
*/
int date_format(int64_t day, char *buf) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  if (y < 0 || y > 9999) {
    for (int i = 0; i < 10; i++) buf[i] = i == 4 || i == 7 ? '-' : '?';
    buf[10] = '\0';
    return 10;
  }
  int v[3] = { y, m, d };
  int w[3] = { 4, 2, 2 };
  int pos = 0;
  for (int f = 0; f < 3; f++) {
    if (f) buf[pos++] = '-';
    for (int k = w[f] - 1; k >= 0; k--) {
      buf[pos + k] = (char)('0' + v[f] % 10);
      v[f] /= 10;
    }
    pos += w[f];
  }
  buf[pos] = '\0';
  return pos;
}
