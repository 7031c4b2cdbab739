/*
** compare.c: `dagloon compare BASE PROPOSAL INPUT` (see compare.h).
**
** Both rule sets are compiled (or loaded as bundles) and must read the same
** invoer; each dossier is read once and evaluated by both, on --threads N
** workers (compare_eval.c on tools/api/pool.h, run's threads). The per-dossier
** rows are written in input order (CSV, or JSON Lines by the file name); what
** the summary needs of each dossier -- the difference, the base value, its
** group and weight -- is kept, since percentiles and deciles need them all.
**
** All amounts are exact: cents and whole numbers as integers, weighted sums
** as exact rationals (an overflow is a clear error, never a rounded sum).
** Percentiles are the nearest rank (the smallest value with at least that
** share of the weight at or below it), so every figure is a real
** dossier's difference.
*/
#include "tools/compare.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/recio.h"
#include "runtime/vm.h"
#include "runtime/trace.h"
#include "tools/cli.h"
#include "tools/compare_bands.h"
#include "tools/compare_labels.h"
#include "tools/outfile.h"
#include "tools/api/pool.h"
#include "tools/compare_budget.h"
#include "tools/compare_eval.h"
#include "tools/compare_explain.h"
#include "tools/compare_population.h"
#include "tools/compare_explain_ids.h"
#include "tools/compare_report.h"
#include "tools/progress.h"
#include "tools/report_format.h"
#include "runtime/i18n.h"

/* ---- options ---- */

typedef struct Options {
  const char *base, *proposal, *input, *rows, *summary, *value, *by, *deciles, *weight, *explain, *html, *errors;
  int in_fmt;           /* --input-format; -1: from the name or the first byte */
  const char **columns;
  size_t ncolumns, capcolumns;
  VmLimits limits;      /* per dossier; 0s: the VM's defaults */
  int threads;          /* --threads; 0: every core (as run) */
  int years;            /* --jaren N: the cohort over its first N years; 0: not asked */
  bool mark_unverified; /* the rows name each side's unverified table rows */
  bool csv_safe;        /* text cells that look like formulas get a ' (runtime/recio.h) */
} Options;

/* ---- the two rule sets ---- */

/* Whether two schemas describe the same dossiers (same enums, records, fields, types, input and key). */
static bool same_schema(const Schema *a, const Schema *b, char *why, size_t cap) {
  if (a->nenums != b->nenums || a->nrecords != b->nrecords || a->input != b->input || a->key_field != b->key_field) {
    snprintf(why, cap, _("they declare different keuzes, gegevens or invoer"));
    return false;
  }
  for (uint32_t i = 0; i < a->nenums; i++) {
    const EnumType *x = &a->enums[i], *y = &b->enums[i];
    bool same = strcmp(x->name, y->name) == 0 && x->nmembers == y->nmembers;
    for (uint32_t m = 0; same && m < x->nmembers; m++) same = strcmp(x->members[m], y->members[m]) == 0;
    if (!same) {
      snprintf(why, cap, _("keuze '%s' differs"), x->name);
      return false;
    }
  }
  for (uint32_t i = 0; i < a->nrecords; i++) {
    const RecordType *x = &a->records[i], *y = &b->records[i];
    bool same = strcmp(x->name, y->name) == 0 && x->nfields == y->nfields;
    for (uint32_t k = 0; same && k < x->nfields; k++) {
      const FieldDesc *f = &x->fields[k], *g = &y->fields[k];
      same = strcmp(f->name, g->name) == 0 && f->type.kind == g->type.kind && f->type.elem == g->type.elem &&
             f->type.ref == g->type.ref && f->optional == g->optional;
      if (!same) snprintf(why, cap, _("field '%s' of '%s' differs"), f->name, x->name);
    }
    if (!same) {
      if (x->nfields != y->nfields || strcmp(x->name, y->name) != 0) snprintf(why, cap, _("'%s' has other fields"), x->name);
      return false;
    }
  }
  return true;
}

static int output_index(const Chunk *c, const char *name) {
  for (uint32_t i = 0; i < c->noutputs; i++)
    if (strcmp(c->outputs[i].name, name) == 0) return (int)i;
  return -1;
}

static bool numeric(TypeRef t) { return t.kind == VK_MONEY || t.kind == VK_INT || t.kind == VK_DEC; }

/* ---- what the summary keeps per dossier ---- */

typedef struct Item {
  int64_t diff;       /* proposal - base of the value column (cents or a whole number) */
  int64_t base_v;     /* the base value of the deciles column */
  int64_t base_value; /* the base value of the value column (the five bands are relative to it) */
  uint32_t group;     /* index of its --by value */
  uint32_t id;        /* offset of its id in the id pool */
  Dec weight;
} Item;

typedef struct Stats {
  Item *items;
  size_t n, cap;
  char *ids;          /* NUL-separated ids of the items (for the largest gains and losses) */
  size_t nids, capids;
  char **groups;      /* distinct --by values, in order of first appearance */
  size_t ngroups, capgroups;
  uint64_t errors;
  Dec w_errors;
  Dec base_total, prop_total;   /* of the value column, weighted */
  uint64_t unv_base, unv_prop;  /* compared dossiers resting on an 'unverified' table row, per side */
  Dec w_unv_base, w_unv_prop;
  Budget budget;                /* the declared benefit's cost per year (compare_budget.h) */
  bool overflow;
} Stats;

static void sum_into(Stats *s, Dec *acc, Dec x) {
  Dec r;
  if (dec_add(*acc, x, &r) != NUM_OK) s->overflow = true;
  else *acc = r;
}

/* Units of the value column as an exact getal in euros, numbers or the getal itself. */
static Dec as_dec(TypeRef t, int64_t v) {
  Dec d = dec_from_int(v);
  if (t.kind == VK_MONEY || t.kind == VK_DEC) dec_from_cents(v, &d);
  return d;
}

static Dec times(Stats *s, Dec w, Dec x) {
  Dec r = {0, 1};
  if (dec_mul(w, x, &r) != NUM_OK) s->overflow = true;
  return r;
}

static uint32_t group_of(Stats *s, const char *key) {
  for (size_t i = 0; i < s->ngroups; i++)
    if (strcmp(s->groups[i], key) == 0) return (uint32_t)i;
  VEC_PUSH(s->groups, s->ngroups, s->capgroups, xstrdup(key));
  return (uint32_t)(s->ngroups - 1);
}

/* ---- the summary ---- */

static int cmp_diff(const void *a, const void *b) {
  const Item *x = a, *y = b;
  return x->diff < y->diff ? -1 : x->diff > y->diff ? 1 : 0;
}

static int cmp_base(const void *a, const void *b) {
  const Item *x = a, *y = b;
  return x->base_v < y->base_v ? -1 : x->base_v > y->base_v ? 1 : 0;
}

static Dec total_weight(const Item *it, size_t n, Stats *s) {
  Dec w = {0, 1};
  for (size_t i = 0; i < n; i++) sum_into(s, &w, it[i].weight);
  return w;
}

/* The smallest difference with at least share p of the weight at or below it (items sorted by diff). */
static int64_t percentile(const Item *it, size_t n, Dec total, int pct, Stats *s) {
  Dec want = times(s, total, (Dec){pct, 100}), cum = {0, 1};
  for (size_t i = 0; i < n; i++) {
    sum_into(s, &cum, it[i].weight);
    if (dec_cmp(cum, want) >= 0) return it[i].diff;
  }
  return n ? it[n - 1].diff : 0;
}

typedef struct Summary {
  json_t *j;          /* built as JSON; the text form is written from it */
} Summary;

/* An amount of the value column: geld with two decimals when it is whole cents, else as fmt_amount. */
static json_t *jamount(TypeRef t, Dec x) {
  char buf[128];
  Dec c;
  if (t.kind == VK_MONEY && dec_mul(x, dec_from_int(100), &c) == NUM_OK && c.den == 1) money_format(c.num, buf, sizeof buf);
  else summary_amount(x, buf, sizeof buf);
  return json_string(buf);
}

static json_t *jvalue1(TypeRef t, int64_t v) {
  char buf[64];
  if (t.kind == VK_MONEY) money_format(v, buf, sizeof buf);
  else if (t.kind == VK_DEC) summary_amount(as_dec(t, v), buf, sizeof buf);
  else snprintf(buf, sizeof buf, "%" PRId64, v);
  return json_string(buf);
}

/*
** Counts and totals of a set of items (all, one group, one decile), with the five bands
** (compare_bands.h) and the mean change in %: the % of the means -- the weighted total change over
** the weighted total base value -- so that a dossier with a base of 0 counts, and the figure is what
** the proposal does to the sum paid (the mean of each dossier's % would have no value for them).
*/
static json_t *tally(Stats *s, const Item *it, size_t n, TypeRef t) {
  Dec w = {0, 1}, wb = {0, 1}, ww = {0, 1}, we = {0, 1}, tot = {0, 1}, base = {0, 1};
  Bands bands;
  bands_init(&bands);
  for (size_t i = 0; i < n; i++) {
    sum_into(s, &w, it[i].weight);
    sum_into(s, it[i].diff > 0 ? &wb : it[i].diff < 0 ? &ww : &we, it[i].weight);
    sum_into(s, &tot, times(s, it[i].weight, as_dec(t, it[i].diff)));
    sum_into(s, &base, times(s, it[i].weight, as_dec(t, it[i].base_value)));
    bands_add(&bands, it[i].diff, it[i].base_value, it[i].weight);
  }
  if (bands.overflow) s->overflow = true;
  json_t *o = json_object();
  char buf[128];
  json_object_set_new(o, "dossiers", json_integer((json_int_t)n));
  summary_amount(w, buf, sizeof buf);
  json_object_set_new(o, "weight", json_string(buf));
  summary_amount(wb, buf, sizeof buf);
  json_object_set_new(o, "better", json_string(buf));
  summary_amount(ww, buf, sizeof buf);
  json_object_set_new(o, "worse", json_string(buf));
  summary_amount(we, buf, sizeof buf);
  json_object_set_new(o, "unchanged", json_string(buf));
  json_object_set_new(o, "total_change", jamount(t, tot));
  Dec mean = {0, 1};
  if (w.num != 0 && dec_div(tot, w, &mean) != NUM_OK) s->overflow = true;
  json_object_set_new(o, "mean_change", w.num ? jamount(t, mean) : json_null());
  Dec pct = {0, 1}, hundred_tot = times(s, tot, dec_from_int(100));
  bool has_pct = base.num != 0 && dec_div(hundred_tot, base, &pct) == NUM_OK;
  if (has_pct) summary_amount(pct, buf, sizeof buf);
  json_object_set_new(o, "mean_change_pct", has_pct ? json_string(buf) : json_null());
  json_object_set_new(o, "bands", bands_json(&bands, w));
  return o;
}

static json_t *summarise(Stats *s, TypeRef t, const Options *o, const char *value_col, const char *decile_col,
                         TypeRef decile_t, json_t *population) {
  json_t *j = json_object();
  char buf[128];
  json_object_set_new(j, "schema", json_string("dagloon-compare/1"));
  json_object_set_new(j, "base", json_string(o->base));
  json_object_set_new(j, "proposal", json_string(o->proposal));
  json_object_set_new(j, "input", json_string(o->input));
  json_object_set_new(j, "value", json_string(value_col));
  json_object_set_new(j, "weight_field", o->weight ? json_string(o->weight) : json_null());
  json_object_set_new(j, "population", population);
  json_t *all = tally(s, s->items, s->n, t);
  json_object_set_new(all, "errors", json_integer((json_int_t)s->errors));
  json_object_set_new(all, "all_dossiers", json_integer((json_int_t)(s->n + s->errors)));   /* dossiers + errors */
  summary_amount(s->w_errors, buf, sizeof buf);
  json_object_set_new(all, "errors_weight", json_string(buf));
  json_object_set_new(all, "base_total", jamount(t, s->base_total));
  json_object_set_new(all, "proposal_total", jamount(t, s->prop_total));
  json_object_set_new(j, "all", all);
  json_t *unv = json_object();
  const struct { const char *side; uint64_t n; Dec w; } sides[] = {{"base", s->unv_base, s->w_unv_base},
                                                                   {"proposal", s->unv_prop, s->w_unv_prop}};
  for (size_t k = 0; k < 2; k++) {
    json_t *e = json_object();
    json_object_set_new(e, "dossiers", json_integer((json_int_t)sides[k].n));
    summary_amount(sides[k].w, buf, sizeof buf);
    json_object_set_new(e, "weight", json_string(buf));
    json_object_set_new(unv, sides[k].side, e);
  }
  json_object_set_new(j, "unverified", unv);

  /* percentiles, histogram, extremes: over the dossiers sorted by their change */
  if (s->n) qsort(s->items, s->n, sizeof *s->items, cmp_diff);   /* (none read: items is NULL, which qsort may not get) */
  Dec W = total_weight(s->items, s->n, s);
  json_t *pc = json_object();
  static const int ps[] = {1, 10, 25, 50, 75, 90, 99};
  for (size_t k = 0; k < sizeof ps / sizeof *ps && s->n; k++) {
    snprintf(buf, sizeof buf, "p%d", ps[k]);
    json_object_set_new(pc, buf, jvalue1(t, percentile(s->items, s->n, W, ps[k], s)));
  }
  json_object_set_new(j, "percentiles", pc);
  /* the symmetric log scale of compare_bands.h: on each side the bins from the one nearest zero that
     holds a dossier to the outermost (empty ones between kept, so the scale shows), the zero bin always */
  json_t *hist = json_array();
  if (s->n) {
    int klo = sym_bin(s->items[0].diff), khi = sym_bin(s->items[s->n - 1].diff);
    int kneg = 0, kpos = 0;   /* the negative bin nearest zero with a dossier, the positive one */
    for (size_t i = 0; i < s->n; i++) {
      int k = sym_bin(s->items[i].diff);
      if (k < 0) kneg = k;
      if (k > 0 && !kpos) kpos = k;
    }
    size_t i = 0;
    for (int k = klo < 0 ? klo : 0; k <= (khi > 0 ? khi : 0); k++) {
      if ((k < 0 && k > kneg) || (k > 0 && k < kpos)) continue;
      int64_t from, to;
      sym_bin_range(k, &from, &to);
      Dec w = {0, 1};
      size_t cnt = 0;
      while (i < s->n && s->items[i].diff <= to) {
        sum_into(s, &w, s->items[i].weight);
        cnt++;
        i++;
      }
      json_t *bin = json_object();
      json_object_set_new(bin, "from", jvalue1(t, from));
      json_object_set_new(bin, "to", jvalue1(t, to));
      json_object_set_new(bin, "dossiers", json_integer((json_int_t)cnt));
      summary_amount(w, buf, sizeof buf);
      json_object_set_new(bin, "weight", json_string(buf));
      json_array_append_new(hist, bin);
    }
  }
  json_object_set_new(j, "histogram", hist);
  json_t *gains = json_array(), *losses = json_array();
  for (size_t k = 0; k < 10 && k < s->n; k++) {
    const Item *g = &s->items[s->n - 1 - k], *l = &s->items[k];
    if (g->diff > 0) {
      json_t *e = json_object();
      json_object_set_new(e, "id", json_string(s->ids + g->id));
      json_object_set_new(e, "change", jvalue1(t, g->diff));
      json_array_append_new(gains, e);
    }
    if (l->diff < 0) {
      json_t *e = json_object();
      json_object_set_new(e, "id", json_string(s->ids + l->id));
      json_object_set_new(e, "change", jvalue1(t, l->diff));
      json_array_append_new(losses, e);
    }
  }
  json_object_set_new(j, "largest_gains", gains);
  json_object_set_new(j, "largest_losses", losses);

  if (o->by) {
    json_t *groups = json_array();
    Item *buf2 = xmalloc((s->n ? s->n : 1) * sizeof *buf2);
    /* the groups in the order of their names (decades, sectors), not of their first dossier */
    size_t *order = xmalloc((s->ngroups ? s->ngroups : 1) * sizeof *order);
    for (size_t g = 0; g < s->ngroups; g++) order[g] = g;
    for (size_t a = 1; a < s->ngroups; a++)
      for (size_t b = a; b > 0 && strcmp(s->groups[order[b - 1]], s->groups[order[b]]) > 0; b--) {
        size_t tmp = order[b];
        order[b] = order[b - 1];
        order[b - 1] = tmp;
      }
    for (size_t gi = 0; gi < s->ngroups; gi++) {
      size_t g = order[gi];
      size_t m = 0;
      for (size_t i = 0; i < s->n; i++)
        if (s->items[i].group == g) buf2[m++] = s->items[i];
      json_t *e = tally(s, buf2, m, t);
      json_object_set_new(e, "group", json_string(s->groups[g]));
      json_array_append_new(groups, e);
    }
    free(order);
    free(buf2);
    json_object_set_new(j, "by", json_string(o->by));
    json_object_set_new(j, "groups", groups);
  }

  /* deciles: the dossiers ordered by the base value of the deciles column, in tenths of the weight */
  if (s->n) qsort(s->items, s->n, sizeof *s->items, cmp_base);
  json_t *dec = json_array();
  /* item i belongs to decile 1 + floor(10 x (weight before it) / total weight) */
  Dec cum = {0, 1};
  size_t start = 0;
  for (int d = 1; d <= 10 && s->n; d++) {
    size_t end = start;
    while (end < s->n) {
      Dec ten = times(s, cum, (Dec){10, 1}), q = {0, 1};
      if (W.num == 0 || dec_div(ten, W, &q) != NUM_OK) break;
      if (d < 10 && dec_cmp(q, (Dec){d, 1}) >= 0) break;   /* floor(q) + 1 > d */
      sum_into(s, &cum, s->items[end].weight);
      end++;
    }
    json_t *e = tally(s, s->items + start, end - start, t);
    json_object_set_new(e, "decile", json_integer(d));
    if (end > start) {
      json_object_set_new(e, "base_from", jvalue1(decile_t, s->items[start].base_v));
      json_object_set_new(e, "base_to", jvalue1(decile_t, s->items[end - 1].base_v));
    }
    json_array_append_new(dec, e);
    start = end;
  }
  json_object_set_new(j, "deciles_of", json_string(decile_col));
  json_object_set_new(j, "deciles", dec);
  bool over = false;
  json_t *budget = budget_json(&s->budget, o->weight != NULL, &over);   /* NULL: no benefit declared */
  if (over) s->overflow = true;
  if (budget) json_object_set_new(j, "budget", budget);
  return j;
}

static const char *js(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "-";
}

static void text_tally(FILE *f, json_t *t) {
  fprintf(f, "%" JSON_INTEGER_FORMAT " dossiers (weight %s): %s better, %s worse, %s unchanged; total change %s, mean %s\n",
          json_integer_value(json_object_get(t, "dossiers")), js(t, "weight"), js(t, "better"), js(t, "worse"),
          js(t, "unchanged"), js(t, "total_change"), js(t, "mean_change"));
  /* the five bands (compare_bands.h): weight, share of the weight in %, dossiers */
  static const char *const names[NBANDS] = {N_("gain > 5%"), N_("gain <= 5%"), N_("unchanged"), N_("loss <= 5%"),
                                            N_("loss > 5%")};
  json_t *b = json_object_get(t, "bands");
  fputs("    ", f);
  for (int k = 0; k < NBANDS && b; k++) {
    json_t *e = json_object_get(b, band_keys[k]);
    char n[32];
    snprintf(n, sizeof n, "%" JSON_INTEGER_FORMAT, json_integer_value(json_object_get(e, "dossiers")));
    fprintf(f, _("%s: %s (%s%s, %s dossiers); "), _(names[k]), js(e, "weight"), js(e, "share_pct"),
            json_is_string(json_object_get(e, "share_pct")) ? "%" : "", n);
  }
  fprintf(f, _("mean change %s%s (total change / total base)\n"), js(t, "mean_change_pct"),
          json_is_string(json_object_get(t, "mean_change_pct")) ? "%" : "");
}

static void write_text(FILE *f, json_t *j) {
  json_t *all = json_object_get(j, "all");
  fprintf(f, _("compare: %s -> %s over %s, on '%s'%s%s\n"), js(j, "base"), js(j, "proposal"), js(j, "input"), js(j, "value"),
          json_is_string(json_object_get(j, "weight_field")) ? ", weighted by " : "",
          json_is_string(json_object_get(j, "weight_field")) ? js(j, "weight_field") : "");
  population_text(f, j);
  /* every dossier of the input is counted: the compared ones and those with an error row */
  fprintf(f, "all: %" JSON_INTEGER_FORMAT " dossiers = %" JSON_INTEGER_FORMAT " + %" JSON_INTEGER_FORMAT
          " met een fout (weight %s + %s)\n", json_integer_value(json_object_get(all, "all_dossiers")),
          json_integer_value(json_object_get(all, "dossiers")), json_integer_value(json_object_get(all, "errors")),
          js(all, "weight"), js(all, "errors_weight"));
  fprintf(f, _("compared: "));
  text_tally(f, all);
  fprintf(f, _("totals: base %s, proposal %s\n"), js(all, "base_total"), js(all, "proposal_total"));
  budget_text(f, json_object_get(j, "budget"));
  json_t *ub = json_object_get(json_object_get(j, "unverified"), "base");
  json_t *up = json_object_get(json_object_get(j, "unverified"), "proposal");
  fprintf(f, "resting on 'unverified' table rows: base %" JSON_INTEGER_FORMAT " dossiers (weight %s), proposal %"
          JSON_INTEGER_FORMAT " dossiers (weight %s)\n", json_integer_value(json_object_get(ub, "dossiers")),
          js(ub, "weight"), json_integer_value(json_object_get(up, "dossiers")), js(up, "weight"));
  const char *key;
  json_t *v;
  fprintf(f, _("percentiles of the change:"));
  json_object_foreach(json_object_get(j, "percentiles"), key, v) fprintf(f, " %s %s", key, json_string_value(v));
  fprintf(f, _("\nhistogram of the change:\n"));
  size_t i;
  json_array_foreach(json_object_get(j, "histogram"), i, v)
    fprintf(f, "  %12s .. %12s  %8" JSON_INTEGER_FORMAT "  (weight %s)\n", js(v, "from"), js(v, "to"),
            json_integer_value(json_object_get(v, "dossiers")), js(v, "weight"));
  fprintf(f, _("largest gains:"));
  json_array_foreach(json_object_get(j, "largest_gains"), i, v) fprintf(f, " %s %s;", js(v, "id"), js(v, "change"));
  fprintf(f, _("\nlargest losses:"));
  json_array_foreach(json_object_get(j, "largest_losses"), i, v) fprintf(f, " %s %s;", js(v, "id"), js(v, "change"));
  fprintf(f, "\n");
  if (json_object_get(j, "groups")) {
    fprintf(f, "by %s:\n", js(j, "by"));
    json_array_foreach(json_object_get(j, "groups"), i, v) {
      fprintf(f, "  %s: ", js(v, "group"));
      text_tally(f, v);
    }
  }
  fprintf(f, _("deciles of %s (base value):\n"), js(j, "deciles_of"));
  json_array_foreach(json_object_get(j, "deciles"), i, v) {
    fprintf(f, "  %2" JSON_INTEGER_FORMAT " [%s .. %s]: ", json_integer_value(json_object_get(v, "decile")),
            js(v, "base_from"), js(v, "base_to"));
    text_tally(f, v);
  }
}

/* ---- one dossier, explained ---- */

/* --explain ID: find the dossier, compute it with both rule sets, traced, and write what differs. */
static int explain_one(const Chunk *cb, const Chunk *cp, const Changes *changes, RecordReader *rd, const char *id,
                       const char *input) {
  Arena arena;
  arena_init(&arena);
  int rc = EXIT_USAGE;
  for (;;) {
    Record *rec = NULL;
    ReadInfo info;
    ReadStatus rs = reader_next(rd, &arena, &rec, &info);
    if (rs == READ_EOF) break;
    if (strcmp(info.id, id) != 0) {
      arena_reset(&arena);
      continue;
    }
    if (rs == READ_BAD) {
      fprintf(stderr, _("%s:%" PRIu64 ": dossier %s cannot be read: %s\n"), input, info.line, id, info.reason);
      rc = EXIT_RECORD_ERRORS;
      break;
    }
    rc = compare_explain_record(cb, cp, changes, rec, &arena, id, stdout) ? EXIT_OK : EXIT_RECORD_ERRORS;
    break;
  }
  if (rc == EXIT_USAGE) fprintf(stderr, _("dagloon: %s has no dossier %s\n"), input, id);
  arena_free(&arena);
  return rc;
}

/*
** A dossier with an error row, in the --errors file (the columns of run's):
** an input error names its field; a computation error the side (basis or
** voorstel, in the reason), the rule and its place (none when both
** computed but the result cannot be summarised).
*/
static void write_error_row(ErrorWriter *ew, const PoolItem *it, const CompareResult *r, const char *input) {
  if (!it->rec) {
    char where[600];
    snprintf(where, sizeof where, "%s:%" PRIu64, input, it->line);
    errwriter_row(ew, it->recno, it->line, it->id, it->field ? it->field : "", "", where, it->reason);
    return;
  }
  errwriter_row(ew, it->recno, it->line, it->id, "", r->rule, r->where, r->reason);
}

/* ---- the dossiers on the pool (tools/api/pool.h) ---- */

enum { BATCH_RECORDS = 256 };   /* a dossier is two evaluations: smaller batches than run's keep every worker busy */

/* What the workers share (setup) and what the calling thread writes to, in input order. */
typedef struct CompareJob {
  CompareSetup setup;
  Stats *s;
  FILE *rows;               /* or NULL */
  ErrorWriter *ew;          /* or NULL */
  Progress *prog;
  const char *input;
} CompareJob;

static void *job_worker_new(void *ctx) { return compare_worker_new(&((CompareJob *)ctx)->setup); }

static void job_worker_free(void *ctx, void *worker) {
  (void)ctx;
  compare_worker_free(worker);
}

static void job_evaluate(void *ctx, void *worker, PoolItem *items, size_t n, Arena *arena, const char **bytes,
                         size_t *len) {
  compare_evaluate(&((CompareJob *)ctx)->setup, worker, items, n, arena, bytes, len);
}

/* A batch in input order: its rows, its error rows, and each dossier into the summary. */
static void job_write(void *ctx, const PoolItem *items, size_t n, const char *bytes, size_t len) {
  CompareJob *j = ctx;
  Stats *s = j->s;
  TypeRef vt = j->setup.cols[j->setup.value].type;
  if (j->rows && len) fwrite(bytes, 1, len, j->rows);   /* a failed write shows in the stream's error flag */
  for (size_t k = 0; k < n; k++) {
    const PoolItem *it = &items[k];
    const CompareResult *r = it->result;
    if (!r->ok) {
      s->errors++;
      sum_into(s, &s->w_errors, r->weight);
      if (j->ew) write_error_row(j->ew, it, r, j->input);
    } else {
      size_t idlen = strlen(it->id) + 1;
      vec_reserve((void **)&s->ids, &s->capids, s->nids + idlen, 1);
      memcpy(s->ids + s->nids, it->id, idlen);
      Item item = {r->diff, r->decile_base, r->base_units, j->setup.by >= 0 ? group_of(s, r->group) : 0, (uint32_t)s->nids, r->weight};
      s->nids += idlen;
      VEC_PUSH(s->items, s->n, s->cap, item);
      if (r->unverified_base) s->unv_base++, sum_into(s, &s->w_unv_base, r->weight);
      if (r->unverified_prop) s->unv_prop++, sum_into(s, &s->w_unv_prop, r->weight);
      sum_into(s, &s->base_total, times(s, r->weight, as_dec(vt, r->base_units)));
      sum_into(s, &s->prop_total, times(s, r->weight, as_dec(vt, r->prop_units)));
      budget_add(&s->budget, r->paid_base, r->paid_prop, r->weight);
    }
    progress_tick(j->prog, s->n + s->errors);
  }
}

/* ---- the command ---- */

/* The options of compare into *o; NULL, or the usage error. */
static const char *compare_options(const ParsedArgs *a, Options *o) {
  o->rows = option_value(a, "output");
  o->summary = option_value(a, "summary");
  o->html = option_value(a, "html");
  o->errors = option_value(a, "errors");
  o->value = option_value(a, "value");
  o->by = option_value(a, "by");
  o->deciles = option_value(a, "deciles");
  o->weight = option_value(a, "weight");
  o->mark_unverified = option_given(a, "mark-unverified");
  o->csv_safe = option_given(a, "csv-safe");
  o->explain = option_value(a, "id");
  if (!o->explain && (o->explain = option_value(a, "explain")) != NULL)
    fprintf(stderr, _("dagloon: warning: compare --explain ID is now compare --id ID (as in explain); "
                    "--explain will go\n"));
  o->in_fmt = -1;
  const char *inf = option_value(a, "input-format");
  RecFormat fmt;
  if (inf && !parse_record_format(inf, &fmt)) return N_("formats are csv and jsonl");
  if (inf) o->in_fmt = (int)fmt;
  size_t pos = 0;
  for (const char *c; (c = option_next(a, "column", &pos));) VEC_PUSH(o->columns, o->ncolumns, o->capcolumns, c);
  const char *why = parse_limits(a, &o->limits);
  if (!why) why = parse_threads(a, &o->threads);
  const char *years = option_value(a, "jaren");
  if (!why && years) why = budget_parse_years(years, &o->years);
  if (why) return why;
  if (a->noperands > 3) return N_("compare takes BASE, PROPOSAL and INPUT");
  if (a->noperands < 3) return N_("compare needs BASE, PROPOSAL and INPUT");
  o->base = a->operands[0];
  o->proposal = a->operands[1];
  o->input = a->operands[2];
  return NULL;
}

int cmd_compare(const ParsedArgs *args) {
  Options o = {0};
  const char *usage = compare_options(args, &o);
  if (usage) {
    free(o.columns);
    return command_usage_error(args->command, usage);
  }

  Front fb, fp;
  front_init(&fb);
  front_init(&fp);
  fb.trace = fp.trace = o.explain != NULL;   /* the explanation diff needs the code with trace points */
  int st1, st2, rc = EXIT_OK;
  Chunk *cb = load_chunk(&fb, o.base, &st1);
  Chunk *cp = cb ? load_chunk(&fp, o.proposal, &st2) : NULL;
  CompareColumn *cols = NULL;
  size_t ncols = 0, capcols = 0;
  FILE *in = NULL, *rows = NULL, *errf = NULL;
  /* rows, errors, summary, html: each renamed over its name only when all four are written */
  OutFile outs[4] = {{0}};
  RecordReader *rd = NULL;
  char why[300];
  int value = -1, decile = -1;
  if (!cb || !cp) {
    rc = !cb ? st1 : st2;
    goto done;
  }
  if (!outputs_not_sources(args, cb) || !outputs_not_sources(args, cp)) {
    rc = EXIT_USAGE;
    goto done;
  }
  if (cb->schema.input < 0 || !same_schema(&cb->schema, &cp->schema, why, sizeof why)) {
    fprintf(stderr, _("dagloon: %s and %s do not read the same dossiers: %s\n"), o.base, o.proposal,
            cb->schema.input < 0 ? "the base declares no invoer" : why);
    rc = EXIT_USAGE;
    goto done;
  }
  /* the columns: asked for, or every numeric one both have */
  for (uint32_t k = 0; k < cb->noutputs; k++) {
    const char *name = cb->outputs[k].name;
    bool asked = o.ncolumns == 0;
    for (size_t q = 0; q < o.ncolumns && !asked; q++) asked = strcmp(o.columns[q], name) == 0;
    int pk = output_index(cp, name);
    if (!asked || (o.ncolumns == 0 && (pk < 0 || !numeric(cb->outputs[k].type)))) continue;
    if (pk < 0 || !numeric(cb->outputs[k].type) || cp->outputs[pk].type.kind != cb->outputs[k].type.kind) {
      fprintf(stderr, _("dagloon: column '%s' cannot be compared: %s\n"), name,
              pk < 0 ? "the proposal has no such output column" : "it is not geld, getal or geheel of the same type in both");
      rc = EXIT_USAGE;
      goto done;
    }
    VEC_PUSH(cols, ncols, capcols, ((CompareColumn){name, (int)k, pk, cb->outputs[k].type}));
  }
  for (size_t q = 0; q < o.ncolumns; q++) {
    bool found = false;
    for (size_t k = 0; k < ncols && !found; k++) found = strcmp(cols[k].name, o.columns[q]) == 0;
    if (!found) {
      fprintf(stderr, _("dagloon: %s has no output column '%s'\n"), o.base, o.columns[q]);
      rc = EXIT_USAGE;
      goto done;
    }
  }
  if (ncols > 64) {
    fprintf(stderr, _("dagloon: at most 64 columns can be compared at once (name them with --column)\n"));
    rc = EXIT_USAGE;
    goto done;
  }
  for (size_t k = 0; k < ncols; k++) {
    if (o.value ? strcmp(cols[k].name, o.value) == 0 : cols[k].type.kind == VK_MONEY && value < 0) value = (int)k;
    if (!o.value && strcmp(cols[k].name, "dagloon") == 0 && cols[k].type.kind == VK_MONEY) value = (int)k;
    if (o.deciles && strcmp(cols[k].name, o.deciles) == 0) decile = (int)k;
  }
  for (size_t k = 0; k < ncols && !o.value && value < 0; k++)
    if (cols[k].type.kind == VK_INT) value = (int)k;
  for (size_t k = 0; k < ncols && !o.value && value < 0; k++)
    if (cols[k].type.kind == VK_DEC) value = (int)k;
  if (value < 0) {
    fprintf(stderr, _("dagloon: no column to summarise: %s\n"),
            o.value ? "--value must name a compared column" : "the rule sets share no geld, geheel or getal output column");
    rc = EXIT_USAGE;
    goto done;
  }
  if (o.deciles && decile < 0) {
    fprintf(stderr, _("dagloon: --deciles must name a compared column\n"));
    rc = EXIT_USAGE;
    goto done;
  }
  if (decile < 0) decile = value;
  const RecordType *irt = &cb->schema.records[cb->schema.input];
  int by = -1, weight = -1;
  for (uint32_t k = 0; k < irt->nfields; k++) {
    if (o.by && strcmp(irt->fields[k].name, o.by) == 0) by = (int)k;
    if (o.weight && strcmp(irt->fields[k].name, o.weight) == 0) weight = (int)k;
  }
  bool by_bad = o.by && (by < 0 || (irt->fields[by].type.kind == VK_LIST && !irt->fields[by].optional) ||
                         irt->fields[by].type.kind == VK_RECORD);
  /* an optioneel weight (rules/wia's gewicht, written by kalibreer): a dossier without it is an error row */
  uint8_t wkind = weight < 0 ? 0 : irt->fields[weight].optional ? irt->fields[weight].type.elem : irt->fields[weight].type.kind;
  bool weight_bad = o.weight && (weight < 0 || (wkind != VK_INT && wkind != VK_DEC));
  if (by_bad || weight_bad) {
    if (by_bad) fprintf(stderr, _("dagloon: --by must name a single (not a list or record) field of the invoer\n"));
    else fprintf(stderr, _("dagloon: --weight must name a geheel or getal field of the invoer\n"));
    rc = EXIT_USAGE;
    goto done;
  }

  if (o.years && (cb->benefit_period == BENEFIT_NONE || cp->benefit_period == BENEFIT_NONE)) {
    fprintf(stderr, _("dagloon: --jaren needs rule sets that both declare the benefit paid and its duration "
                      "('uitkering X per maand duur D', docs/LANGUAGE.md)\n"));
    rc = EXIT_USAGE;
    goto done;
  }

  in = open_input(o.input);
  if (!in) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), o.input, strerror(errno));
    rc = EXIT_USAGE;
    goto done;
  }
  RecFormat in_fmt;
  if (!dossier_format(in, o.input, o.in_fmt, &in_fmt)) {
    rc = EXIT_USAGE;
    goto done;
  }
  char *err = NULL;
  rd = reader_open(&cb->schema, in, o.input, in_fmt, &err);
  apply_reader_limits(rd, o.limits);
  if (!rd) {
    fprintf(stderr, _("%s: error: %s\n"), o.input, err ? err : _("cannot read"));
    free(err);
    rc = EXIT_USAGE;
    goto done;
  }
  if (o.explain) {
    rc = explain_one(cb, cp, &fp.changes, rd, o.explain, o.input);
    goto done;
  }
  if ((o.rows && !(rows = outfile_open(&outs[0], o.rows))) || (o.errors && !(errf = outfile_open(&outs[1], o.errors)))) {
    rc = EXIT_WRITE_ERROR;
    goto done;
  }
  ErrorWriter *ew = errf ? errwriter_open(errf) : NULL;
  if (ew) errwriter_set_csv_safe(ew, o.csv_safe);
  Progress *prog = progress_start(in);
  bool jsonl = o.rows && recio_format_from_name(o.rows) == FMT_JSONL;
  Stats s = {0};
  s.w_errors = s.base_total = s.prop_total = s.w_unv_base = s.w_unv_prop = (Dec){0, 1};
  budget_setup(&s.budget, cb, cp, o.years);
  if (rows && !jsonl) {
    fputs("id,uitkomst", rows);
    for (size_t k = 0; k < ncols; k++) fprintf(rows, ",%s_basis,%s_voorstel,%s_verschil", cols[k].name, cols[k].name, cols[k].name);
    compare_budget_header(&s.budget, rows);
    fputs(o.mark_unverified ? ",fout,ongeverifieerd_basis,ongeverifieerd_voorstel\n" : ",fout\n", rows);
  }

  CompareJob job = {{cb, cp, cols, ncols, value, decile, by, weight, &s.budget, o.limits, rows != NULL, jsonl, o.mark_unverified,
                     o.csv_safe},
                    &s, rows, ew, prog, o.input};
  PoolJob pj = {&job, job_worker_new, job_worker_free, job_evaluate, job_write};
  json_object_seed(0);   /* jansson's hash seed set here, before the workers make their first JSON rows */
  pool_run(rd, &pj, pool_threads(o.threads), BATCH_RECORDS);
  progress_end(prog);
  if (ew) outfile_note_error(&outs[1], errwriter_close(ew));
  int explain_failed = EXIT_OK;   /* the report's explanations could not be made (compare_explain_ids.h) */
  bool written = outfile_finish(&outs[1]);
  written = outfile_finish(&outs[0]) && written;
  errf = rows = NULL;
  bool pop_read = true;   /* the input hashed and its kalibreer sidecar read (tools/compare_population.h) */
  json_t *pop = population_json(o.input, o.weight, &pop_read);
  json_t *sum = summarise(&s, cols[value].type, &o, cols[value].name, cols[decile].name, cols[decile].type, pop);
  compare_labels_add(sum, cb);
  if (!pop_read) {
    rc = EXIT_USAGE;   /* the message is printed; no summary naming an unknown population */
  } else if (s.overflow) {
    fprintf(stderr, _("dagloon: a weighted total does not fit an exact number; the summary is not written\n"));
    rc = EXIT_USAGE;
  } else {
    FILE *sf = written ? outfile_open(&outs[2], o.summary) : NULL;
    if (!sf) {
      written = false;
    } else {
      size_t l = o.summary ? strlen(o.summary) : 0;
      if (l > 5 && strcmp(o.summary + l - 5, ".json") == 0) {
        char *text = json_dumps(sum, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fprintf(sf, "%s\n", text);
        free(text);
      } else {
        write_text(sf, sum);
      }
      written = outfile_finish(&outs[2]) && written;
    }
    if (o.html && written) {
      FILE *hf = outfile_open(&outs[3], o.html);
      const char *not_explained = NULL;   /* the listed dossiers' explanation diffs, on the page */
      int failed = EXIT_OK;
      json_t *explained = hf ? compare_explain_listed(o.base, o.proposal, o.input, o.in_fmt, o.limits, sum, &not_explained,
                                                      &failed) : NULL;
      if (failed) {   /* nothing is committed: no page without the explanations it should have */
        written = false;
        explain_failed = failed;
      } else if (hf)
        compare_report_html(sum, fp.is_proposal ? &fp.changes : NULL, explained, not_explained,
                            cols[value].type.kind == VK_MONEY, hf);
      json_decref(explained);
      written = hf && outfile_finish(&outs[3]) && written;
    }
  }
  bool read_all = !reader_read_failed(rd);   /* not a finished comparison: the rest of the input is missing */
  if (!read_all) {
    fprintf(stderr, _("dagloon: cannot read '%s' to its end: the comparison stops at the read error\n"), o.input);
    rc = EXIT_USAGE;
  }
  for (int i = 0; i < 4 && written && read_all; i++) written = outfile_commit(&outs[i]);
  if (!written) rc = explain_failed ? explain_failed : EXIT_WRITE_ERROR;
  if (rc == EXIT_OK && s.errors) rc = EXIT_RECORD_ERRORS;
  fprintf(stderr, ngettext("dagloon: %" PRIu64 " dossier: %zu compared, %" PRIu64 " with an error row\n",
                           "dagloon: %" PRIu64 " dossiers: %zu compared, %" PRIu64 " with an error row\n", s.n + s.errors),
          s.n + s.errors, s.n, s.errors);
  json_decref(sum);
  for (size_t g = 0; g < s.ngroups; g++) free(s.groups[g]);
  free(s.groups);
  free(s.items);
  free(s.ids);

done:
  for (int i = 0; i < 4; i++) outfile_abort(&outs[i]);   /* what was not committed: the targets left as they were */
  if (rd) reader_close(rd);
  if (in && in != stdin) fclose(in);
  free(cols);
  free(o.columns);
  if (cb) chunk_free(cb);
  if (cp) chunk_free(cp);
  front_free(&fb);
  front_free(&fp);
  return rc;
}
