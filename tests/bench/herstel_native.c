/*
** herstel_native.c: the native baseline of the `herstel` benchmark
** (workload version 1, specified outside this repository; what it computes
** is restated in rules/bench/herstel.rules) -- a plain C program, written
** independently of the rule files, that `make bench` times against
** `dagloon run rules/bench/herstel.rules` and whose output must be
** byte-identical to it.
**
**   herstel_native TABLES.csv [DOSSIERS.csv] > out.csv     (standard input without DOSSIERS)
**
** Written with the care a fast C program takes, so that the ratios `make bench` prints are honest:
** 64-bit integers, all money in cents, every rounding half-up on exact integers; the calendar and
** the table rows that apply in each month worked out once before the first dossier; the input read
** in large blocks and parsed in place (no copy of a field, no allocation per dossier); the output
** formatted by hand into one buffer. A line that is not a dossier of the workload stops the program
** with its line number (exit 1): nothing is skipped silently.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR 2015                          /* month 0 = January 2015, before the first row */
#define LAST_YEAR 2024                           /* benefit months end in December 2024 */
#define NMONTHS ((LAST_YEAR - FIRST_YEAR + 1) * 12)
#define MAXROWS 64

/* The calendar of the months FIRST_YEAR .. LAST_YEAR: each month's length and its first day as a
   day count from 1 January FIRST_YEAR. */
static int month_len[NMONTHS];
static int month_first[NMONTHS + 1];

/* The table rows in date order (effective day as a day count, the cap in cents, the index in basis
   points), and per month the rows whose effective day falls after the first day of the month
   before it and on or before its own first day: rows_until[i] is one past the last row with
   effective <= month_first[i]. */
static int row_day[MAXROWS];
static int64_t row_cap[MAXROWS], row_factor[MAXROWS];
static int nrows;
static int rows_until[NMONTHS];

/* For every day of the calendar, the number of table rows in force on it (effective <= day). */
static unsigned char rows_on_day[NMONTHS * 31];

static void die(const char *msg, long line) {
  if (line > 0) fprintf(stderr, "herstel_native: line %ld: %s\n", line, msg);
  else fprintf(stderr, "herstel_native: %s\n", msg);
  exit(1);
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static void build_calendar(void) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  month_first[0] = 0;
  for (int i = 0; i < NMONTHS; i++) {
    int y = FIRST_YEAR + i / 12, m = i % 12;
    month_len[i] = len[m] + (m == 1 && leap(y));
    month_first[i + 1] = month_first[i] + month_len[i];
  }
}

/* The day count of a date inside the calendar, or -1 when it is not a date of it. */
static int day_of(int y, int m, int d) {
  if (y < FIRST_YEAR || y > LAST_YEAR || m < 1 || m > 12) return -1;
  int i = (y - FIRST_YEAR) * 12 + m - 1;
  if (d < 1 || d > month_len[i]) return -1;
  return month_first[i] + d - 1;
}

/* An unsigned decimal at *p that must end in `sep`; *p moves past the separator. Returns -1 when
   there is no digit or the separator is another character. */
static inline int64_t field(const char **p, char sep) {
  const char *s = *p;
  if ((unsigned)(*s - '0') > 9) return -1;
  int64_t v = 0;
  do v = v * 10 + (*s++ - '0');
  while ((unsigned)(*s - '0') <= 9);
  if (*s != sep) return -1;
  *p = s + 1;
  return v;
}

static void read_tables(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open the tables file", 0);
  char line[256];
  long n = 1;
  if (!fgets(line, sizeof line, f)) die("empty tables file", 0);
  while (fgets(line, sizeof line, f)) {
    n++;
    const char *p = line;
    int64_t y = field(&p, '-'), m = field(&p, '-'), d = field(&p, ',');
    int64_t cap = field(&p, ','), bp = field(&p, '\n');
    int day = y < 0 || m < 0 || d < 0 ? -1 : day_of((int)y, (int)m, (int)d);
    if (day < 0 || cap < 0 || bp < 0) die("tables: not effective,max_dagloon,index_bp", n);
    if (nrows == MAXROWS) die("tables: too many rows", n);
    if (nrows > 0 && day <= row_day[nrows - 1]) die("tables: rows not in date order", n);
    row_day[nrows] = day;
    row_cap[nrows] = cap;
    row_factor[nrows] = 10000 + bp;
    nrows++;
  }
  if (ferror(f) || nrows == 0) die("tables: read error or no rows", 0);
  fclose(f);
  for (int i = 0, r = 0; i < NMONTHS; i++) {
    while (r < nrows && row_day[r] <= month_first[i]) r++;
    rows_until[i] = r;
  }
  for (int day = 0, r = 0; day < month_first[NMONTHS]; day++) {
    while (r < nrows && row_day[r] <= day) r++;
    rows_on_day[day] = (unsigned char)r;
  }
}

/* Output: one buffer, written when nearly full; every write checked. */
static char out[1 << 16];
static size_t outlen;

static void flush_out(void) {
  if (fwrite(out, 1, outlen, stdout) != outlen) die("write error on standard output", 0);
  outlen = 0;
}

static inline void put_number(int64_t v, char end) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  char *o = out + outlen;
  while (n) *o++ = digits[--n];
  *o++ = end;
  outlen = (size_t)(o - out);
}

/* One dossier line (without its newline) into one output line. */
static void dossier(const char *p, long lineno) {
  int64_t id = field(&p, ',');
  int64_t y = field(&p, '-'), m = field(&p, '-'), d = field(&p, ',');
  int64_t paid = field(&p, ',');
  int64_t s = 0, l = 0, bad = id | y | m | d | paid;
  for (int i = 0; i < 12; i++) {
    int64_t v = field(&p, ',');
    bad |= v;
    s += v;
  }
  for (int i = 0; i < 11; i++) {
    int64_t v = field(&p, ',');
    bad |= v;
    l += v;
  }
  int64_t last = field(&p, '\n');
  bad |= last;
  l += last;
  int first = bad < 0 || y > LAST_YEAR || m > 12 || d > 31 ? -1 : day_of((int)y, (int)m, (int)d);
  if (first < 0) die("not a dossier of the workload (id,first_ao_day,paid_dagloon,12 x loon,12 x lwd)", lineno);

  int64_t days = 261 - l, dagloon = 0;
  int in_force = rows_on_day[first];
  if (days > 0) {
    dagloon = (2 * s + days) / (2 * days);
    if (in_force > 0 && dagloon > row_cap[in_force - 1]) dagloon = row_cap[in_force - 1];
  }

  /* Month 0: 75 %, prorated over the days from the first day to the month's end; no row applies
     in it (a row applies from the first day of a month after the first day). */
  int m0 = (int)((y - FIRST_YEAR) * 12 + m - 1), last_month = NMONTHS - 1;
  int64_t n = month_len[m0], r = n - d + 1, den = 2 * 10000 * n;
  int64_t correct = dagloon, paid_now = paid;
  int64_t vergoeding = 0;
  int64_t bc = (2 * correct * 75 * 2175 * r + den / 2) / den;
  int64_t bp = (2 * paid_now * 75 * 2175 * r + den / 2) / den;
  if (bc > bp) vergoeding += bc - bp;

  /* Months 1 ..: the rows after the first day up to the month's first day, then 75 % (month 1)
     or 70 % of 21.75 days. */
  int row = in_force;
  for (int k = m0 + 1; k <= last_month; k++) {
    for (int until = rows_until[k]; row < until; row++) {
      correct = (correct * row_factor[row] + 5000) / 10000;
      paid_now = (paid_now * row_factor[row] + 5000) / 10000;
    }
    int64_t share = k == m0 + 1 ? 75 * 2175 : 70 * 2175;
    int64_t c = (correct * share + 5000) / 10000, q = (paid_now * share + 5000) / 10000;
    if (c > q) vergoeding += c - q;
  }

  if (outlen > sizeof out - 96) flush_out();
  put_number(id, ',');
  put_number(dagloon, ',');
  put_number(vergoeding, ',');
  put_number(last_month - m0 + 1, '\n');
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) die("usage: herstel_native TABLES.csv [DOSSIERS.csv] > out.csv", 0);
  build_calendar();
  read_tables(argv[1]);
  FILE *in = argc == 3 ? fopen(argv[2], "rb") : stdin;
  if (!in) die("cannot open the dossiers file", 0);

  /* The input in blocks of BLOCK bytes; a line cut by the block's end is moved to the front. */
  enum { BLOCK = 1 << 20, MAXLINE = 4096 };
  static char buf[BLOCK + MAXLINE + 1];
  size_t have = 0;
  long lineno = 0;
  int header = 1, eof = 0;
  if (fputs("id,dagloon,vergoeding,months\n", stdout) == EOF) die("write error on standard output", 0);
  while (!eof) {
    size_t got = fread(buf + have, 1, BLOCK, in);
    if (got < BLOCK) {
      if (ferror(in)) die("read error on the dossiers", 0);
      eof = 1;
    }
    have += got;
    if (eof && have > 0 && buf[have - 1] != '\n') buf[have++] = '\n';   /* a last line without one */
    buf[have] = '\0';
    char *p = buf, *end = buf + have;
    for (;;) {
      char *nl = memchr(p, '\n', (size_t)(end - p));
      if (!nl) break;
      lineno++;
      if (header) header = 0;
      else dossier(p, lineno);
      p = nl + 1;
    }
    have = (size_t)(end - p);
    if (have > MAXLINE) die("line too long", lineno + 1);
    memmove(buf, p, have);
  }
  if (header) die("empty dossiers file", 0);
  flush_out();
  if (fflush(stdout) == EOF || ferror(stdout)) die("write error on standard output", 0);
  return 0;
}
