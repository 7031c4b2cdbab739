/*
** date.h: civil dates as day numbers (days since 1970-01-01, proleptic
** Gregorian), and their text form YYYY-MM-DD. Only what the core needs; the
** legal-time functions (periods, dagloondagen, aangiftetijdvakken) build on
** these.
**
** Valid years: DATE_MIN_YEAR .. DATE_MAX_YEAR. Anything else is rejected,
** never clamped.
*/
#ifndef DAGLOON_DATE_H
#define DAGLOON_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2200

bool date_valid_ymd(int y, int m, int d);                 /* calendar check incl. leap years and year range */
int64_t date_from_ymd(int y, int m, int d);               /* caller ensures date_valid_ymd */
void date_to_ymd(int64_t day, int *y, int *m, int *d);
int date_days_in_month(int y, int m);
int date_weekday(int64_t day);                            /* 1 = Monday ... 7 = Sunday (ISO) */

/*
** Parse exactly "YYYY-MM-DD" (10 bytes). Returns false for any other shape or
** an impossible date (2023-02-30); *why (if not NULL) then says which, e.g.
** "day 30 does not exist in February 2023".
*/
bool date_parse(const char *s, size_t len, int64_t *out, const char **why);

/* Write "YYYY-MM-DD" plus NUL into buf (at least 11 bytes). Returns 10. */
int date_format(int64_t day, char *buf);

#endif
