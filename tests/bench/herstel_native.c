/*
** herstel_native.c: the native baseline of the `herstel` benchmark
** (workload version 1, specified outside this repository; what it computes
** is restated in rules/bench/herstel.rules) -- a plain C program, written
** independently of the rule files, that `make bench` times against
** `dagloon run rules/bench/herstel.rules` and whose output must be
** byte-identical to it.
**
**   herstel_native TABLES.csv < dossiers.csv > out.csv
**
** All money is integer cents; every rounding is half-up on exact integers.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXROWS 64

typedef struct Row {
  int day;          /* days since 0000-03-01, comparable */
  long max_dagloon;
  long index_bp;
} Row;

static Row rows[MAXROWS];
static int nrows;

/* Days from a civil date (proleptic Gregorian), for comparisons only. */
static int day_number(int y, int m, int d) {
  if (m <= 2) { y--; m += 12; }
  return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
}

static int days_in_month(int y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

static void die(const char *msg) {
  fprintf(stderr, "herstel_native: %s\n", msg);
  exit(1);
}

static void read_tables(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open the tables file");
  char line[256];
  if (!fgets(line, sizeof line, f)) die("empty tables file");
  while (fgets(line, sizeof line, f)) {
    int y, m, d;
    long cap, bp;
    if (sscanf(line, "%d-%d-%d,%ld,%ld", &y, &m, &d, &cap, &bp) != 5) continue;
    if (nrows == MAXROWS) die("too many table rows");
    rows[nrows++] = (Row){day_number(y, m, d), cap, bp};
  }
  fclose(f);
}

static long index_step(long d, long bp) { return (d * (10000 + bp) + 5000) / 10000; }

int main(int argc, char **argv) {
  if (argc != 2) die("usage: herstel_native TABLES.csv < dossiers.csv");
  read_tables(argv[1]);
  static char line[4096];
  if (!fgets(line, sizeof line, stdin)) return 0;   /* header */
  fputs("id,dagloon,vergoeding,months\n", stdout);
  while (fgets(line, sizeof line, stdin)) {
    char *p = line;
    long id = strtol(p, &p, 10);
    int y = (int)strtol(p + 1, &p, 10), m = (int)strtol(p + 1, &p, 10), d = (int)strtol(p + 1, &p, 10);
    long paid = strtol(p + 1, &p, 10);
    long s = 0, l = 0;
    for (int i = 0; i < 12; i++) s += strtol(p + 1, &p, 10);
    for (int i = 0; i < 12; i++) l += strtol(p + 1, &p, 10);
    long days = 261 - l;
    long raw = days > 0 ? (2 * s + days) / (2 * days) : 0;
    int first = day_number(y, m, d);
    long cap = rows[0].max_dagloon;
    for (int i = 0; i < nrows && rows[i].day <= first; i++) cap = rows[i].max_dagloon;
    long dagloon = raw < cap ? raw : cap;

    long dc = dagloon, dp = paid, vergoeding = 0;
    int months = 0, next = 0;
    while (next < nrows && rows[next].day <= first) next++;   /* rows after the first day only */
    int cy = y, cm = m;
    while (cy < 2024 || (cy == 2024 && cm <= 12)) {
      int month_start = day_number(cy, cm, 1);
      while (next < nrows && rows[next].day <= month_start) {
        dc = index_step(dc, rows[next].index_bp);
        dp = index_step(dp, rows[next].index_bp);
        next++;
      }
      long pct = months < 2 ? 75 : 70;
      long r = 1, n = 1;
      if (months == 0) {
        n = days_in_month(cy, cm);
        r = n - d + 1;
      }
      long den = 10000 * n;
      long bc = (2 * dc * pct * 2175 * r + den) / (2 * den);
      long bpd = (2 * dp * pct * 2175 * r + den) / (2 * den);
      if (bc > bpd) vergoeding += bc - bpd;
      months++;
      if (++cm == 13) { cm = 1; cy++; }
    }
    printf("%ld,%ld,%ld,%d\n", id, dagloon, vergoeding, months);
  }
  return 0;
}
