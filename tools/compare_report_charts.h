/*
** compare_report_charts.h: the charts of compare's impact report that show winners and losers
** (issue 20 part 2): the five bands as stacked bars per decile or group, with their table, and the
** histogram of the change on its symmetric log scale. Inline SVG, no script; the geometry in
** integer arithmetic on cents of the summary's exact figures. The colours differ in lightness and
** the losses are striped, so the charts read in grey too.
*/
#ifndef DAGLOON_COMPARE_REPORT_CHARTS_H
#define DAGLOON_COMPARE_REPORT_CHARTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* One bar: a decile or group. label: shown; title: the tooltip (an identifier), or NULL; tally: its
   summary object (with "bands"). */
typedef struct BandRow {
  const char *label, *title;
  json_t *tally;
} BandRow;

/* The stacked bars of the five bands (share of the weight), a legend and labelled axes. `prefix`
   makes the page's pattern ids unique per chart; rows_name: what a bar is (the vertical axis). */
void report_band_chart(FILE *f, const BandRow *rows, size_t n, const char *prefix, const char *rows_name);

/* The table beside it: per row the share, weight and dossiers of each band, the mean change in
   euros and in %. */
void report_band_table(FILE *f, const BandRow *rows, size_t n, bool money, const char *head);

/* The histogram of the change (the summary's "histogram"): bars per bin, the zero bin apart,
   labelled axes, and its table. value: what is compared (its label), weighted: counts are weights. */
void report_histogram(FILE *f, json_t *hist, bool money, const char *value, bool weighted);

/* A label with its identifier as the tooltip; the identifier alone when there is no label. */
void report_put_label(FILE *f, const char *label, const char *ident);

#endif
