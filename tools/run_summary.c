/*
** run_summary.c: see run_summary.h.
**
** What a summary keeps of each computed dossier: the values of the columns
** it summarises (plain numbers: cents, whole numbers, exact getallen,
** keuze ordinals) and the id, since quartiles and the largest cases need
** them all. Totals are exact (64-bit cents, rationals for getal; an overflow
** is an error, never a rounded total). Quartiles are the nearest rank: the
** smallest value with at least that share of the dossiers at or below it,
** so every figure is a real dossier's value. A mean that does not end
** within cents is rounded half away from zero to cents and marked "~".
*/
#include "tools/run_summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/num.h"
#include "tools/nl_html.h"
#include "tools/report_format.h"
#include "runtime/i18n.h"

enum { LARGEST = 10 };   /* the largest cases listed per geld column */

typedef struct SumCol {
  const char *name;
  uint32_t out;          /* index in the chunk's outputs */
  TypeRef type;
  bool choice;           /* keuze or waarheid: counted per value */
  uint32_t nvals;        /* a choice's values */
  const char *const *vals;
  const char *label;     /* the column's human label, or NULL */
  char *const *vlabels;  /* a keuze's value labels (entries may be NULL), or NULL */
} SumCol;

typedef struct Reason {
  char *text;
  bool input;
  uint64_t n;
} Reason;

struct RunSummary {
  SumCol *cols;
  uint32_t ncols;
  int by;                /* the --by column in cols, or -1 */
  Value *rows;           /* n x ncols */
  size_t n, cap;
  uint32_t *idoff;       /* per row: its id in ids */
  char *ids;
  size_t nids, capids;
  uint64_t input_errors, run_errors;
  Reason *reasons;       /* a hash table of the distinct reasons (open addressing) */
  size_t nreasons, capreasons;
  bool overflow;
};

static const char *const bool_vals[] = {"false", "true"};

RunSummary *run_summary_new(const Chunk *c, const char *by, char *why, size_t cap) {
  RunSummary *s = xcalloc(1, sizeof *s);
  s->by = -1;
  s->cols = xcalloc(c->noutputs ? c->noutputs : 1, sizeof *s->cols);
  for (uint32_t i = 0; i < c->noutputs; i++) {
    TypeRef t = c->outputs[i].type;
    SumCol col = {c->outputs[i].name, i, t, false, 0, NULL, nlh_output_label(c, &c->outputs[i]), NULL};
    if (t.kind == VK_ENUM) {
      col.choice = true;
      col.nvals = c->schema.enums[t.ref].nmembers;
      col.vals = (const char *const *)c->schema.enums[t.ref].members;
      col.vlabels = c->schema.enums[t.ref].labels;
    } else if (t.kind == VK_BOOL) {
      col.choice = true;
      col.nvals = 2;
      col.vals = bool_vals;
    } else if (t.kind != VK_MONEY && t.kind != VK_INT && t.kind != VK_DEC) {
      continue;
    }
    if (by && strcmp(by, col.name) == 0) s->by = (int)s->ncols;
    s->cols[s->ncols++] = col;
  }
  if (by && (s->by < 0 || !s->cols[s->by].choice)) {
    snprintf(why, cap,
             s->by < 0 ? _("--by must name a keuze or waarheid output column; '%s' is none of the rule set's output "
                           "columns of those types")
                       : _("--by must name a keuze or waarheid output column; '%s' is a number"),
             by);
    run_summary_free(s);
    return NULL;
  }
  return s;
}

void run_summary_free(RunSummary *s) {
  if (!s) return;
  for (size_t i = 0; i < s->capreasons; i++) free(s->reasons[i].text);
  free(s->reasons);
  free(s->cols);
  free(s->rows);
  free(s->idoff);
  free(s->ids);
  free(s);
}

Value *run_summary_keep(const RunSummary *s, const Value *outputs, Arena *a) {
  Value *v = arena_alloc(a, (s->ncols ? s->ncols : 1) * sizeof *v);
  for (uint32_t k = 0; k < s->ncols; k++) v[k] = outputs[s->cols[k].out];
  return v;
}

void run_summary_add(RunSummary *s, const char *id, const Value *values, bool kept) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 1024;
    s->rows = xrealloc(s->rows, s->cap * (s->ncols ? s->ncols : 1) * sizeof *s->rows);
    s->idoff = xrealloc(s->idoff, s->cap * sizeof *s->idoff);
  }
  for (uint32_t k = 0; k < s->ncols; k++) s->rows[s->n * s->ncols + k] = values[kept ? k : s->cols[k].out];
  size_t len = strlen(id) + 1;
  vec_reserve((void **)&s->ids, &s->capids, s->nids + len, 1);
  memcpy(s->ids + s->nids, id, len);
  if (s->nids > UINT32_MAX) s->overflow = true;   /* 4 GiB of ids: not summarised */
  s->idoff[s->n++] = (uint32_t)s->nids;
  s->nids += len;
}

static uint64_t hash_reason(const char *t, bool input) {
  uint64_t h = input ? 0x9E3779B97F4A7C15u : 1469598103934665603u;
  for (; *t; t++) h = (h ^ (unsigned char)*t) * 1099511628211u;
  return h;
}

void run_summary_error(RunSummary *s, bool input, const char *reason) {
  if (input) s->input_errors++;
  else s->run_errors++;
  if ((s->nreasons + 1) * 2 > s->capreasons) {   /* grow: at most half full */
    size_t ncap = s->capreasons ? s->capreasons * 2 : 64;
    Reason *nr = xcalloc(ncap, sizeof *nr);
    for (size_t i = 0; i < s->capreasons; i++) {
      if (!s->reasons[i].text) continue;
      size_t h = hash_reason(s->reasons[i].text, s->reasons[i].input) & (ncap - 1);
      while (nr[h].text) h = (h + 1) & (ncap - 1);
      nr[h] = s->reasons[i];
    }
    free(s->reasons);
    s->reasons = nr;
    s->capreasons = ncap;
  }
  size_t h = hash_reason(reason, input) & (s->capreasons - 1);
  while (s->reasons[h].text && (s->reasons[h].input != input || strcmp(s->reasons[h].text, reason) != 0))
    h = (h + 1) & (s->capreasons - 1);
  if (!s->reasons[h].text) {
    s->reasons[h] = (Reason){xstrdup(reason), input, 0};
    s->nreasons++;
  }
  s->reasons[h].n++;
}

/* ---- the JSON ---- */

static Value cell(const RunSummary *s, size_t row, uint32_t k) { return s->rows[row * s->ncols + k]; }

static json_t *jvalue(TypeRef t, Value v) {
  char buf[128];
  if (t.kind == VK_MONEY) money_format(v.i, buf, sizeof buf);
  else if (t.kind == VK_DEC) dec_format(v.dec, buf, sizeof buf);
  else snprintf(buf, sizeof buf, "%" PRId64, v.i);
  return json_string(buf);
}

/* An amount with two decimals when it ends within cents, else rounded half away to cents with "~". */
static json_t *jamount2(Dec x) {
  char buf[64];
  Dec c;
  if (dec_mul(x, dec_from_int(100), &c) == NUM_OK && c.den == 1) {
    money_format(c.num, buf, sizeof buf);
    return json_string(buf);
  }
  int64_t cents;
  if (dec_round_to_cents(x, 1, ROUND_HALF_AWAY, &cents) != NUM_OK) return json_null();
  buf[0] = '~';
  money_format(cents, buf + 1, sizeof buf - 1);
  return json_string(buf);
}

static Dec dec_of(TypeRef t, Value v) {
  if (t.kind == VK_DEC) return v.dec;
  Dec d = dec_from_int(v.i);
  if (t.kind == VK_MONEY) dec_from_cents(v.i, &d);
  return d;
}

/* qsort over rows by the value of one column (a file-level context: qsort has none) */
static const RunSummary *sort_s;
static uint32_t sort_k;

static int cmp_value(size_t a, size_t b) {
  Value x = cell(sort_s, a, sort_k), y = cell(sort_s, b, sort_k);
  if (sort_s->cols[sort_k].type.kind == VK_DEC) return dec_cmp(x.dec, y.dec);
  return x.i < y.i ? -1 : x.i > y.i;
}

static int cmp_up(const void *pa, const void *pb) {
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  int c = cmp_value(a, b);
  return c ? c : a < b ? -1 : a > b;
}

static int cmp_down(const void *pa, const void *pb) {
  size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
  int c = cmp_value(b, a);
  return c ? c : a < b ? -1 : a > b;   /* equal values: in input order */
}

/* count, not zero, total, minimum, quartiles, median, maximum and mean of column k over rows[0..m) */
static json_t *number_stats(RunSummary *s, uint32_t k, size_t *rows, size_t m) {
  TypeRef t = s->cols[k].type;
  sort_s = s;
  sort_k = k;
  if (m) qsort(rows, m, sizeof *rows, cmp_up);
  json_t *o = json_object();
  json_object_set_new(o, "dossiers", json_integer((json_int_t)m));
  uint64_t nonzero = 0;
  int64_t isum = 0;
  Dec dsum = {0, 1};
  for (size_t i = 0; i < m; i++) {
    Value v = cell(s, rows[i], k);
    if (t.kind == VK_DEC) {
      nonzero += v.dec.num != 0;
      Dec r;
      if (dec_add(dsum, v.dec, &r) != NUM_OK) s->overflow = true;
      else dsum = r;
    } else {
      nonzero += v.i != 0;
      if (__builtin_add_overflow(isum, v.i, &isum)) s->overflow = true;
    }
  }
  json_object_set_new(o, "nonzero", json_integer((json_int_t)nonzero));
  Value total = t.kind == VK_DEC ? (Value){.dec = dsum} : (Value){.i = isum};
  json_object_set_new(o, "total", jvalue(t, total));
  static const struct { const char *key; int pct; } at[] = {
    {"min", 0}, {"p25", 25}, {"median", 50}, {"p75", 75}, {"max", 100},
  };
  for (size_t q = 0; q < sizeof at / sizeof *at; q++) {
    if (!m) {
      json_object_set_new(o, at[q].key, json_null());
      continue;
    }
    /* nearest rank: the ceil(p x m / 100)-th smallest (the smallest for p = 0) */
    size_t rank = ((size_t)at[q].pct * m + 99) / 100;
    json_object_set_new(o, at[q].key, jvalue(t, cell(s, rows[rank ? rank - 1 : 0], k)));
  }
  Dec mean = {0, 1};
  if (m && dec_div(dec_of(t, total), dec_from_int((int64_t)m), &mean) != NUM_OK) s->overflow = true;
  json_object_set_new(o, "mean", m ? jamount2(mean) : json_null());
  return o;
}

/* The choices and numbers of the rows rows[0..m) (all of them, or one group's: then without the --by column). */
static json_t *scope(RunSummary *s, size_t *rows, size_t m, bool group) {
  json_t *o = json_object(), *choices = json_object(), *numbers = json_object();
  json_object_set_new(o, "dossiers", json_integer((json_int_t)m));
  uint64_t *counts = NULL;
  for (uint32_t k = 0; k < s->ncols; k++) {
    SumCol *c = &s->cols[k];
    if (group && (int)k == s->by) continue;
    if (c->choice) {
      counts = xrealloc(counts, (c->nvals ? c->nvals : 1) * sizeof *counts);
      memset(counts, 0, (c->nvals ? c->nvals : 1) * sizeof *counts);
      for (size_t i = 0; i < m; i++) {
        int64_t v = cell(s, rows[i], k).i;
        if (v >= 0 && (uint64_t)v < c->nvals) counts[v]++;
      }
      json_t *e = json_object();
      for (uint32_t v = 0; v < c->nvals; v++) json_object_set_new(e, c->vals[v], json_integer((json_int_t)counts[v]));
      json_object_set_new(choices, c->name, e);
    } else {
      json_object_set_new(numbers, c->name, number_stats(s, k, rows, m));
    }
  }
  free(counts);
  json_object_set_new(o, "choices", choices);
  json_object_set_new(o, "numbers", numbers);
  return o;
}

static int cmp_reason(const void *pa, const void *pb) {
  const Reason *a = pa, *b = pb;
  if (a->n != b->n) return a->n > b->n ? -1 : 1;
  if (a->input != b->input) return a->input ? -1 : 1;
  return strcmp(a->text, b->text);
}

static const char *type_name(TypeRef t) {
  switch (t.kind) {
  case VK_MONEY: return "geld";
  case VK_INT: return "geheel";
  case VK_DEC: return "getal";
  case VK_BOOL: return "waarheid";
  default: return "keuze";
  }
}

json_t *run_summary_json(RunSummary *s, const char *rules, const char *input) {
  json_t *j = json_object();
  json_object_set_new(j, "schema", json_string("dagloon-run-summary/1"));
  json_object_set_new(j, "rules", json_string(rules));
  json_object_set_new(j, "input", json_string(input));
  json_object_set_new(j, "by", s->by >= 0 ? json_string(s->cols[s->by].name) : json_null());
  json_t *cols = json_array();
  for (uint32_t k = 0; k < s->ncols; k++) {
    json_t *c = json_object();
    json_object_set_new(c, "name", json_string(s->cols[k].name));
    json_object_set_new(c, "type", json_string(type_name(s->cols[k].type)));
    /* the labels the rules declare, for the page; left out when there are none */
    if (s->cols[k].label) json_object_set_new(c, "label", json_string(s->cols[k].label));
    if (s->cols[k].vlabels) {
      json_t *vl = json_object();
      for (uint32_t v = 0; v < s->cols[k].nvals; v++)
        if (s->cols[k].vlabels[v]) json_object_set_new(vl, s->cols[k].vals[v], json_string(s->cols[k].vlabels[v]));
      json_object_set_new(c, "value_labels", vl);
    }
    json_array_append_new(cols, c);
  }
  json_object_set_new(j, "columns", cols);

  size_t *rows = xmalloc((s->n ? s->n : 1) * sizeof *rows);
  for (size_t i = 0; i < s->n; i++) rows[i] = i;
  json_t *all = scope(s, rows, s->n, false);
  uint64_t errors = s->input_errors + s->run_errors;
  json_object_set_new(all, "records", json_integer((json_int_t)(s->n + errors)));
  json_object_set_new(all, "errors", json_integer((json_int_t)errors));
  json_object_set_new(all, "input_errors", json_integer((json_int_t)s->input_errors));
  json_object_set_new(all, "computation_errors", json_integer((json_int_t)s->run_errors));
  json_object_set_new(j, "all", all);

  if (s->by >= 0) {
    json_t *groups = json_array();
    const SumCol *b = &s->cols[s->by];
    for (uint32_t g = 0; g < b->nvals; g++) {
      size_t m = 0;
      for (size_t i = 0; i < s->n; i++)
        if (cell(s, i, (uint32_t)s->by).i == (int64_t)g) rows[m++] = i;
      json_t *e = scope(s, rows, m, true);
      json_object_set_new(e, "group", json_string(b->vals[g]));
      json_array_append_new(groups, e);
    }
    json_object_set_new(j, "groups", groups);
  }

  json_t *largest = json_object();
  for (uint32_t k = 0; k < s->ncols; k++) {
    if (s->cols[k].type.kind != VK_MONEY) continue;
    for (size_t i = 0; i < s->n; i++) rows[i] = i;
    sort_s = s;
    sort_k = k;
    if (s->n) qsort(rows, s->n, sizeof *rows, cmp_down);
    json_t *top = json_array();
    for (size_t i = 0; i < s->n && i < LARGEST && cell(s, rows[i], k).i > 0; i++) {
      json_t *e = json_object();
      json_object_set_new(e, "id", json_string(s->ids + s->idoff[rows[i]]));
      json_object_set_new(e, "value", jvalue(s->cols[k].type, cell(s, rows[i], k)));
      json_array_append_new(top, e);
    }
    json_object_set_new(largest, s->cols[k].name, top);
  }
  json_object_set_new(j, "largest", largest);
  free(rows);

  Reason *rs = xmalloc((s->nreasons ? s->nreasons : 1) * sizeof *rs);
  size_t nr = 0;
  for (size_t i = 0; i < s->capreasons; i++)
    if (s->reasons[i].text) rs[nr++] = s->reasons[i];
  if (nr) qsort(rs, nr, sizeof *rs, cmp_reason);
  json_t *reasons = json_array();
  for (size_t i = 0; i < nr; i++) {
    json_t *e = json_object();
    json_object_set_new(e, "kind", json_string(rs[i].input ? "invoer" : "berekening"));
    json_object_set_new(e, "reason", json_string(rs[i].text));
    json_object_set_new(e, "dossiers", json_integer((json_int_t)rs[i].n));
    json_array_append_new(reasons, e);
  }
  free(rs);
  json_object_set_new(j, "errors_by_reason", reasons);
  if (s->overflow) {
    fprintf(stderr, _("dagloon: a total does not fit an exact number; the summary is not written\n"));
    json_decref(j);
    return NULL;
  }
  return j;
}

/* ---- text and CSV ---- */

static const char *js(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "-";
}

static json_int_t ji(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static const char *const stat_keys[] = {"total", "min", "p25", "median", "p75", "max", "mean"};

static void text_scope(FILE *f, json_t *sc, const char *indent) {
  const char *name;
  json_t *v;
  json_object_foreach(json_object_get(sc, "choices"), name, v) {
    fprintf(f, "%s%s:", indent, name);
    const char *val;
    json_t *n;
    json_object_foreach(v, val, n) fprintf(f, " %s %" JSON_INTEGER_FORMAT ";", val, json_integer_value(n));
    fputc('\n', f);
  }
  json_object_foreach(json_object_get(sc, "numbers"), name, v) {
    fprintf(f, _("%s%s: %lld dossiers, %lld not zero; total %s; min %s, p25 %s, median %s, p75 %s, max %s; mean %s\n"),
            indent, name, ji(v, "dossiers"), ji(v, "nonzero"), js(v, "total"),
            js(v, "min"), js(v, "p25"), js(v, "median"), js(v, "p75"), js(v, "max"), js(v, "mean"));
  }
}

static void write_text(FILE *f, json_t *j) {
  json_t *all = json_object_get(j, "all");
  if (json_is_string(json_object_get(j, "by")))
    fprintf(f, _("run: %s over %s, by %s\n"), js(j, "rules"), js(j, "input"), js(j, "by"));
  else
    fprintf(f, _("run: %s over %s\n"), js(j, "rules"), js(j, "input"));
  fprintf(f, _("all: %lld dossiers = %lld computed + %lld met een fout (%lld invoer, %lld berekening)\n"), ji(all, "records"),
          ji(all, "dossiers"), ji(all, "errors"), ji(all, "input_errors"), ji(all, "computation_errors"));
  text_scope(f, all, "  ");
  size_t i;
  json_t *v;
  if (json_object_get(j, "groups")) {
    json_array_foreach(json_object_get(j, "groups"), i, v) {
      fprintf(f, _("%s = %s: %lld dossiers\n"), js(j, "by"), js(v, "group"), ji(v, "dossiers"));
      text_scope(f, v, "  ");
    }
  }
  const char *name;
  json_t *top;
  json_object_foreach(json_object_get(j, "largest"), name, top) {
    fprintf(f, _("largest %s:"), name);
    json_array_foreach(top, i, v) fprintf(f, " %s %s;", js(v, "id"), js(v, "value"));
    fputc('\n', f);
  }
  fprintf(f, _("error rows by reason:\n"));
  json_array_foreach(json_object_get(j, "errors_by_reason"), i, v)
    fprintf(f, "  %8" JSON_INTEGER_FORMAT "  %s: %s\n", ji(v, "dossiers"), js(v, "kind"), js(v, "reason"));
}

/* One CSV line: section,group,column,key,value. */
static void csv_line(FILE *f, bool guard, const char *section, const char *group, const char *column, const char *key,
                     const char *value) {
  const char *cells[5] = {section, group, column, key, value};
  for (int i = 0; i < 5; i++) {
    if (i) fputc(',', f);
    summary_csv_text(f, cells[i] ? cells[i] : "", guard && i < 4);
  }
  fputc('\n', f);
}

static void csv_int(FILE *f, bool guard, const char *section, const char *group, const char *column, const char *key,
                    json_int_t n) {
  char b[32];
  snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, n);
  csv_line(f, guard, section, group, column, key, b);
}

static void csv_scope(FILE *f, bool guard, json_t *sc, const char *group) {
  csv_int(f, guard, "dossiers", group, "", "dossiers", ji(sc, "dossiers"));
  const char *name, *val;
  json_t *v, *n;
  json_object_foreach(json_object_get(sc, "choices"), name, v)
    json_object_foreach(v, val, n) csv_int(f, guard, "choice", group, name, val, json_integer_value(n));
  json_object_foreach(json_object_get(sc, "numbers"), name, v) {
    csv_int(f, guard, "number", group, name, "dossiers", ji(v, "dossiers"));
    csv_int(f, guard, "number", group, name, "nonzero", ji(v, "nonzero"));
    for (size_t k = 0; k < sizeof stat_keys / sizeof *stat_keys; k++)
      csv_line(f, guard, "number", group, name, stat_keys[k],
               json_is_string(json_object_get(v, stat_keys[k])) ? js(v, stat_keys[k]) : "");
  }
}

static void write_csv(FILE *f, json_t *j, bool guard) {
  fputs("section,group,column,key,value\n", f);
  json_t *all = json_object_get(j, "all");
  const char *const counts[] = {"records", "errors", "input_errors", "computation_errors"};
  for (size_t k = 0; k < 4; k++) csv_int(f, guard, "all", "", "", counts[k], ji(all, counts[k]));
  csv_scope(f, guard, all, "");
  size_t i;
  json_t *v;
  if (json_object_get(j, "groups"))
    json_array_foreach(json_object_get(j, "groups"), i, v) csv_scope(f, guard, v, js(v, "group"));
  const char *name;
  json_t *top;
  json_object_foreach(json_object_get(j, "largest"), name, top)
    json_array_foreach(top, i, v) csv_line(f, guard, "largest", "", name, js(v, "id"), js(v, "value"));
  json_array_foreach(json_object_get(j, "errors_by_reason"), i, v)
    csv_int(f, guard, "error", "", js(v, "kind"), js(v, "reason"), ji(v, "dossiers"));
}

static bool ends_with(const char *s, const char *tail) {
  size_t a = s ? strlen(s) : 0, b = strlen(tail);
  return a > b && strcmp(s + a - b, tail) == 0;
}

void run_summary_write(json_t *j, const char *path, bool csv_safe, FILE *f) {
  if (ends_with(path, ".json")) {
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fprintf(f, "%s\n", text);
    free(text);
  } else if (ends_with(path, ".csv")) {
    write_csv(f, j, csv_safe);
  } else {
    write_text(f, j);
  }
}
