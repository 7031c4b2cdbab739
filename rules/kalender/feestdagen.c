/*
** feestdagen.c: an example native library for rules -- the Dutch public
** holidays ("algemeen erkende feestdagen") of Algemene termijnenwet art. 3
** lid 1 (BWBR0002448): Nieuwjaarsdag, tweede Paasdag, Hemelvaartsdag,
** tweede Pinksterdag, eerste en tweede Kerstdag, the day the King's (until
** 2013 the Queen's) birthday is celebrated, and 5 May. Sundays, which the
** same article also names, are left to the rules (a weekday is easy there).
**
** Koningsdag (from 2014): 27 April, 26 April when the 27th is a Sunday;
** Koninginnedag 1980-2013: 30 April, 29 April when the 30th is a Sunday. Before 1980 the day moved by other rules, not
** encoded: such a date is refused with a message (the fout convention).
** Easter: the Gregorian computus (Meeus/Jones/Butcher).
**
** Built by the Makefile into build/natives/libfeestdagen.so; rules that use
** it run only with --allow-native build/natives/libfeestdagen.so.
*/
#include <stdint.h>
#include "runtime/dagloon_native.h"

const char dagloon_signature_feestdag[] = "datum -> waarheid";
const char dagloon_signature_feestdag_naam[] = "datum -> tekst";
const char dagloon_signature_werkdagen_zonder_feestdagen[] = "datum, datum -> geheel";

static int64_t days_from_civil(int y, int m, int d) {   /* days since 1970-01-01 */
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int weekday(int64_t days) { return (int)(((days % 7) + 7 + 3) % 7); }   /* 0 = Monday */

static int64_t easter(int y) {
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451, month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return days_from_civil(y, month, day);
}

/* The holiday's name, "" for none, NULL (with *fout) when the year is not covered. */
static const char *name_of(int32_t ymd, const char **fout) {
  int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
  if (y < 1980) {
    *fout = "feestdagen: the days before 1980 are not encoded (Koninginnedag moved by other rules then)";
    return 0;
  }
  int64_t day = days_from_civil(y, m, d), e = easter(y);
  if (m == 1 && d == 1) return "Nieuwjaarsdag";
  if (day == e + 1) return "tweede Paasdag";
  if (day == e + 39) return "Hemelvaartsdag";
  if (day == e + 50) return "tweede Pinksterdag";
  if (m == 12 && d == 25) return "eerste Kerstdag";
  if (m == 12 && d == 26) return "tweede Kerstdag";
  if (m == 5 && d == 5) return "Bevrijdingsdag";
  if (m == 4) {
    int official = y >= 2014 ? 27 : 30;
    int moved = weekday(days_from_civil(y, 4, official)) == 6 ? official - 1 : official;
    if (d == moved) return y >= 2014 ? "Koningsdag" : "Koninginnedag";
  }
  return "";
}

int feestdag(int32_t datum, const char **fout) {
  const char *n = name_of(datum, fout);
  return n && *n;
}

const char *feestdag_naam(int32_t datum, const char **fout) {
  const char *n = name_of(datum, fout);
  return n ? n : "";
}

/* Monday to Friday from van through tot that are no holiday. */
int64_t werkdagen_zonder_feestdagen(int32_t van, int32_t tot, const char **fout) {
  int64_t a = days_from_civil(van / 10000, van / 100 % 100, van % 100);
  int64_t b = days_from_civil(tot / 10000, tot / 100 % 100, tot % 100);
  if (b < a) {
    *fout = "werkdagen_zonder_feestdagen: the last day is before the first";
    return 0;
  }
  int64_t n = 0;
  for (int64_t day = a; day <= b; day++) {
    if (weekday(day) >= 5) continue;
    /* back to YYYYMMDD for name_of (civil_from_days) */
    int64_t z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    const char *name = name_of((int32_t)(y * 10000 + m * 100 + d), fout);
    if (!name) return 0;
    if (!*name) n++;
  }
  return n;
}
