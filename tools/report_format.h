/*
** report_format.h: what the population summaries share -- compare's summary
** and report (tools/compare.c, compare_report.c) and run's (tools/run_summary.c,
** run_report.c): exact amounts as summary text, CSV cells, and the Dutch
** report page (its style, Dutch notation of a summary number, bar charts).
*/
#ifndef DAGLOON_REPORT_FORMAT_H
#define DAGLOON_REPORT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "runtime/value.h"

/* An exact getal for a summary: in full when it ends within cents, else rounded half away to cents ("~"). */
void summary_amount(Dec x, char *buf, size_t cap);

/* A CSV text cell; guard: one that looks like a formula gets a ' in front (--csv-safe). */
void summary_csv_text(FILE *f, const char *s, bool guard);

/*
** A summary number ("1234.5", "-0.01", "~8.26") in Dutch notation: a decimal
** comma, a dot every three digits, "≈" for a rounded one, "€ " for money.
*/
void report_nl(const char *s, bool money, char *buf, size_t cap);
/* The same, escaped into a page. */
void report_put_nl(FILE *f, const char *s, bool money);
/* A count in Dutch notation ("1.000"), escaped into a page. */
void report_put_count(FILE *f, long long n);
/* A summary amount in cents (for drawing only): "12.3" -> 1230, "~-0.01" -> -1. */
int64_t report_cents(const char *s);

/* The report pages' style sheet (one <style> element's text). */
extern const char *const report_style;

/* "<!DOCTYPE html>...<body>": the start of a self-contained Dutch page titled `title`. */
void report_page_start(FILE *f, const char *title);

/* A horizontal bar chart of (label, amount) with zero in the middle when there are negatives. */
typedef struct ReportBar {
  const char *label;
  const char *value;   /* summary text of the amount */
  const char *extra;   /* shown after the value, or NULL */
} ReportBar;
void report_bar_chart(FILE *f, const ReportBar *bars, size_t n, bool money);

#endif
