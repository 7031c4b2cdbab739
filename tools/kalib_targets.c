/*
** kalib_targets.c: reading and checking the targets file of dagloon kalibreer (kalib_targets.h).
*/
#include "tools/kalib_targets.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/csv.h"
#include "runtime/i18n.h"
#include "runtime/mem.h"

enum { COL_DIM, COL_CAT, COL_TOTAL, COL_STATUS, COL_BRON, NCOLS };
static const char *const col_names[NCOLS] = {"dimensie", "categorie", "totaal", "status", "bron"};

static char *field(const CsvRecord *r, int col) {
  return col >= 0 && (uint32_t)col < r->nfields ? xstrdup(r->fields[col].s) : xstrdup("");
}

static bool known_status(const char *s) {
  return strcmp(s, "stated") == 0 || strcmp(s, "derived") == 0 || strcmp(s, "unverified") == 0;
}

/* The row as a target, or false with the fault printed. */
static bool read_row(const char *path, const CsvRecord *r, const int *col, KalibTargets *t) {
  KalibTarget x = {field(r, col[COL_DIM]), field(r, col[COL_CAT]), field(r, col[COL_STATUS]), field(r, col[COL_BRON]),
                   false, 0, r->line, 0};
  char *total = field(r, col[COL_TOTAL]);
  const char *why = NULL;
  if (!*x.dim || !*x.cat) why = _("dimensie and categorie may not be empty");
  else if (!known_status(x.status)) why = _("status must be stated, derived or unverified");
  else if (!*x.bron) why = _("every target names its source (bron)");
  else if (!*total && strcmp(x.status, "unverified") != 0) why = _("only an unverified row may leave totaal empty");
  else if (*total && !kalib_parse(total, strlen(total), &x.total))
    why = _("totaal must be a number of people such as 181150 or 1234.5 (at most 9 decimals, at most 10^9)");
  else if (*total && x.total == 0) why = _("totaal must be more than 0");
  for (size_t i = 0; !why && i < t->n; i++)
    if (strcmp(t->rows[i].dim, x.dim) == 0 && strcmp(t->rows[i].cat, x.cat) == 0) why = _("a second row for this dimensie and categorie");
  if (why) {
    fprintf(stderr, "%s:%" PRIu64 ": %s\n", path, r->line, why);
    free(x.dim), free(x.cat), free(x.status), free(x.bron), free(total);
    return false;
  }
  x.has_total = *total != '\0';
  free(total);
  if (x.has_total) {
    size_t d = 0;
    while (d < t->ndims && strcmp(t->dims[d], x.dim) != 0) d++;
    if (d == t->ndims) {
      t->dims = xrealloc(t->dims, (t->ndims + 1) * sizeof *t->dims);
      t->dims[t->ndims++] = xstrdup(x.dim);
    }
    x.dim_index = (uint32_t)d;
  }
  t->rows = xrealloc(t->rows, (t->n + 1) * sizeof *t->rows);
  t->rows[t->n++] = x;
  return true;
}

bool kalib_targets_load(const char *path, KalibTargets *out) {
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), path, strerror(errno));
    return false;
  }
  CsvReader *c = csv_open(f);
  CsvRecord r;
  bool ok = true, header = true;
  int col[NCOLS] = {-1, -1, -1, -1, -1};
  CsvStatus st;
  while ((st = csv_next(c, &r)) != CSV_EOF) {
    if (st == CSV_BAD) {
      fprintf(stderr, "%s:%" PRIu64 ": %s\n", path, r.line, r.error);
      ok = false;
    } else if (header) {
      header = false;
      for (uint32_t k = 0; k < r.nfields; k++)
        for (int j = 0; j < NCOLS; j++)
          if (strcmp(r.fields[k].s, col_names[j]) == 0) col[j] = (int)k;
      for (int j = 0; j < NCOLS; j++)
        if (col[j] < 0) {
          fprintf(stderr, _("%s:%" PRIu64 ": the header has no column '%s' (dimensie,categorie,totaal,status,bron,toelichting)\n"),
                  path, r.line, col_names[j]);
          ok = false;
        }
      if (!ok) break;
    } else if (!read_row(path, &r, col, out)) {
      ok = false;
    }
  }
  if (ferror(f)) fprintf(stderr, _("dagloon: cannot read '%s': %s\n"), path, strerror(errno)), ok = false;
  csv_close(c);
  fclose(f);
  if (ok && out->ndims == 0) {
    fprintf(stderr, _("%s: no target with a totaal\n"), path);
    ok = false;
  }
  if (!ok) kalib_targets_free(out);
  return ok;
}

bool kalib_targets_consistent(const KalibTargets *t) {
  kalib_num *sum = xcalloc(t->ndims, sizeof *sum);
  for (size_t i = 0; i < t->n; i++)
    if (t->rows[i].has_total) sum[t->rows[i].dim_index] += t->rows[i].total;
  bool same = true;
  for (size_t d = 1; d < t->ndims; d++) same = same && sum[d] == sum[0];
  if (!same) {
    fprintf(stderr, _("dagloon kalibreer: the margins disagree (each dimension must add up to the same total):\n"));
    for (size_t d = 0; d < t->ndims; d++) {
      char buf[64];
      kalib_format(sum[d], 4, buf, sizeof buf);
      fprintf(stderr, "  %s: %s\n", t->dims[d], buf);
    }
  }
  free(sum);
  return same;
}

void kalib_targets_free(KalibTargets *t) {
  for (size_t i = 0; i < t->n; i++) free(t->rows[i].dim), free(t->rows[i].cat), free(t->rows[i].status), free(t->rows[i].bron);
  for (size_t d = 0; d < t->ndims; d++) free(t->dims[d]);
  free(t->rows);
  free(t->dims);
  memset(t, 0, sizeof *t);
}
