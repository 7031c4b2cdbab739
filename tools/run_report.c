/*
** run_report.c: the report page of `dagloon run --html FILE` -- one
** self-contained Dutch page (inline CSS and SVG; no scripts, no network)
** with run's population summary: the key figures, the dossiers per keuze
** value (per group with --by), the distribution and total of every number
** column, the largest cases and the error rows by reason. Every figure comes
** from the summary (exact amounts as text), drawn as compare's report draws
** them (tools/report_format.h).
*/
#include "tools/run_report.h"

#include <stdbool.h>
#include <string.h>
#include "runtime/mem.h"
#include "tools/markup.h"
#include "tools/nl_html.h"
#include "tools/report_format.h"

static const char *js(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "";
}

static json_int_t ji(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* Whether column `name` of the summary is geld (amounts get "€ "). */
static bool is_money(json_t *j, const char *name) {
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(j, "columns"), i, c)
    if (strcmp(js(c, "name"), name) == 0) return strcmp(js(c, "type"), "geld") == 0;
  return false;
}

static void cell_nl(FILE *f, json_t *o, const char *key, bool money) {
  fputs("<td class=\"getal\">", f);
  if (json_is_string(json_object_get(o, key))) report_put_nl(f, js(o, key), money);
  else fputs("\xE2\x80\x93", f);
  fputs("</td>", f);
}

static void cell_int(FILE *f, json_int_t n) {
  char b[32];
  snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, n);
  fputs("<td class=\"getal\">", f);
  report_put_nl(f, b, false);
  fputs("</td>", f);
}

static const char *const stat_keys[] = {"total", "min", "p25", "median", "p75", "max", "mean"};
static const char *const stat_heads =
  "<th>dossiers</th><th>niet nul</th><th>totaal</th><th>minimum</th><th>25%</th><th>mediaan</th><th>75%</th>"
  "<th>maximum</th><th>gemiddeld</th>";

static void stats_cells(FILE *f, json_t *st, bool money) {
  cell_int(f, ji(st, "dossiers"));
  cell_int(f, ji(st, "nonzero"));
  for (size_t k = 0; k < sizeof stat_keys / sizeof *stat_keys; k++) cell_nl(f, st, stat_keys[k], money);
}

/* A column's entry in the summary's "columns" (its type, and the labels the rules declare). */
static json_t *column(json_t *j, const char *name) {
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(j, "columns"), i, c)
    if (strcmp(js(c, "name"), name) == 0) return c;
  return NULL;
}

/* A column by its label (the name as a tooltip), or its name as words. */
static void put_column(FILE *f, json_t *j, const char *name) {
  json_t *l = json_object_get(column(j, name), "label");
  nlh_named(f, name, json_is_string(l) ? json_string_value(l) : NULL);
}

/* A value of a keuze column by its label, or as written. */
static void put_value(FILE *f, json_t *j, const char *col, const char *val) {
  json_t *l = json_object_get(json_object_get(column(j, col), "value_labels"), val);
  if (json_is_string(l)) nlh_named(f, val, json_string_value(l));
  else markup_escape(f, val);
}

/* Per keuze column: a table of the dossiers per value, a row for all and (with --by) one per group. */
static void choices_section(FILE *f, json_t *j, json_t *all, json_t *groups) {
  const char *name;
  json_t *vals;
  bool any = false;
  json_object_foreach(json_object_get(all, "choices"), name, vals) {
    if (json_array_size(groups) && strcmp(name, js(j, "by")) == 0) continue;   /* its groups are the rows */
    if (!any) fputs("<section id=\"keuzes\"><h2>Aantallen per waarde</h2>\n", f);
    any = true;
    fputs("<h3>", f);
    put_column(f, j, name);
    fputs("</h3><div class=\"breed\"><table><tr><th></th>", f);
    const char *val;
    json_t *n;
    json_object_foreach(vals, val, n) {
      fputs("<th>", f);
      put_value(f, j, name, val);
      fputs("</th>", f);
    }
    fputs("<th>samen</th></tr>\n", f);
    size_t g, ng = json_array_size(groups);
    for (g = 0; g <= ng; g++) {
      json_t *sc = g < ng ? json_array_get(groups, g) : all;
      fputs(g < ng ? "<tr><td>" : "<tr><td><b>", f);
      if (g < ng) put_value(f, j, js(j, "by"), js(sc, "group"));
      else fputs("alle dossiers", f);
      fputs(g < ng ? "</td>" : "</b></td>", f);
      json_object_foreach(json_object_get(json_object_get(sc, "choices"), name), val, n) cell_int(f, json_integer_value(n));
      cell_int(f, ji(sc, "dossiers"));
      fputs("</tr>\n", f);
    }
    fputs("</table></div>\n", f);
  }
  if (any) {
    if (json_is_string(json_object_get(j, "by"))) {
      fputs("<p>Een rij per waarde van <b>", f);
      put_column(f, j, js(j, "by"));
      fputs("</b>; de laatste rij telt alle berekende dossiers.</p>", f);
    }
    fputs("</section>\n", f);
  }
}

/* Per number column: its distribution over all dossiers and (with --by) per group, and a chart of the totals. */
static void numbers_section(FILE *f, json_t *j, json_t *all, json_t *groups) {
  const char *name;
  json_t *st;
  size_t ng = json_array_size(groups);
  if (json_object_size(json_object_get(all, "numbers")) == 0) return;
  fputs("<section id=\"bedragen\"><h2>Bedragen en aantallen: totaal en verdeling</h2>\n<div class=\"breed\"><table>"
        "<tr><th>kolom</th>", f);
  fputs(stat_heads, f);
  fputs("</tr>\n", f);
  json_object_foreach(json_object_get(all, "numbers"), name, st) {
    fputs("<tr><td>", f);
    put_column(f, j, name);
    fputs("</td>", f);
    stats_cells(f, st, is_money(j, name));
    fputs("</tr>\n", f);
  }
  fputs("</table></div>\n", f);
  if (ng) {
    json_object_foreach(json_object_get(all, "numbers"), name, st) {
      bool money = is_money(j, name);
      fputs("<h3>", f);
      put_column(f, j, name);
      fputs(" per ", f);
      put_column(f, j, js(j, "by"));
      fputs("</h3>\n", f);
      ReportBar *bars = xcalloc(ng, sizeof *bars);
      for (size_t g = 0; g < ng; g++) {
        json_t *gs = json_object_get(json_object_get(json_array_get(groups, g), "numbers"), name);
        bars[g] = (ReportBar){js(json_array_get(groups, g), "group"), js(gs, "total"), "totaal"};
      }
      report_bar_chart(f, bars, ng, money);
      free(bars);
      fputs("<div class=\"breed\"><table><tr><th>groep</th>", f);
      fputs(stat_heads, f);
      fputs("</tr>\n", f);
      for (size_t g = 0; g < ng; g++) {
        json_t *gr = json_array_get(groups, g);
        fputs("<tr><td>", f);
        put_value(f, j, js(j, "by"), js(gr, "group"));
        fputs("</td>", f);
        stats_cells(f, json_object_get(json_object_get(gr, "numbers"), name), money);
        fputs("</tr>\n", f);
      }
      fputs("</table></div>\n", f);
    }
  }
  fputs("<p>Totalen zijn exact. Kwartielen en mediaan zijn het bedrag van een echt dossier: het kleinste waarbij ten "
        "minste dat deel van de dossiers op of onder ligt. Een gemiddelde dat niet op hele centen uitkomt, staat "
        "afgerond met \xE2\x89\x88.</p></section>\n", f);
}

void run_report_html(json_t *j, FILE *f) {
  json_t *all = json_object_get(j, "all"), *groups = json_object_get(j, "groups");
  report_page_start(f, "Overzicht van de uitkomsten");
  fputs("<h1>Overzicht van de uitkomsten</h1>\n<p class=\"meta\">Regels: <code>", f);
  markup_escape(f, js(j, "rules"));
  fputs("</code> \xC2\xB7 dossiers: <code>", f);
  markup_escape(f, js(j, "input"));
  fputs("</code>", f);
  if (json_is_string(json_object_get(j, "by"))) {
    fputs(" \xC2\xB7 ingedeeld naar <b>", f);
    markup_escape(f, js(j, "by"));
    fputs("</b>", f);
  }
  fputs("</p>\n<section id=\"kern\"><h2>In het kort</h2><div class=\"kern\">\n", f);
  const struct { const char *key, *label; } counts[] = {
    {"records", "dossiers"}, {"dossiers", "berekend"}, {"errors", "met een fout"},
  };
  for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
    char b[32];
    snprintf(b, sizeof b, "%" JSON_INTEGER_FORMAT, ji(all, counts[k].key));
    fprintf(f, "<div>%s<b>", counts[k].label);
    report_put_nl(f, b, false);
    fputs("</b></div>\n", f);
  }
  const char *name;
  json_t *st;
  json_object_foreach(json_object_get(all, "numbers"), name, st) {
    if (!is_money(j, name)) continue;
    fputs("<div>totaal ", f);
    markup_escape(f, name);
    fputs("<b>", f);
    report_put_nl(f, js(st, "total"), true);
    fputs("</b></div>\n", f);
  }
  fputs("</div></section>\n", f);

  choices_section(f, j, all, groups);
  numbers_section(f, j, all, groups);

  json_t *largest = json_object_get(j, "largest"), *top;
  if (json_object_size(largest)) {
    fputs("<section id=\"grootste\"><h2>Grootste gevallen</h2><div class=\"kern\">\n", f);
    json_object_foreach(largest, name, top) {
      fputs("<div><table><tr><th colspan=\"2\">", f);
      markup_escape(f, name);
      fputs("</th></tr>\n", f);
      size_t i;
      json_t *e;
      json_array_foreach(top, i, e) {
        fputs("<tr><td>", f);
        markup_escape(f, js(e, "id"));
        fputs("</td>", f);
        cell_nl(f, e, "value", true);
        fputs("</tr>\n", f);
      }
      if (json_array_size(top) == 0) fputs("<tr><td colspan=\"2\">geen bedrag boven nul</td></tr>\n", f);
      fputs("</table></div>\n", f);
    }
    fputs("</div><p>Waarom een dossier zo uitkomt: <code>dagloon explain \xE2\x80\xA6 --id ID</code>.</p></section>\n", f);
  }

  json_t *reasons = json_object_get(j, "errors_by_reason");
  fputs("<section id=\"fouten\"><h2>Foutregels naar reden</h2>\n", f);
  if (json_array_size(reasons) == 0) {
    fputs("<p>Geen: elk dossier is berekend.</p>", f);
  } else {
    fputs("<div class=\"breed\"><table><tr><th>dossiers</th><th>soort</th><th>reden</th></tr>\n", f);
    size_t i;
    json_t *e;
    json_array_foreach(reasons, i, e) {
      fputs("<tr>", f);
      cell_int(f, ji(e, "dossiers"));
      fputs("<td>", f);
      markup_escape(f, js(e, "kind"));
      fputs("</td><td>", f);
      markup_escape(f, js(e, "reason"));
      fputs("</td></tr>\n", f);
    }
    fputs("</table></div>", f);
  }
  fputs("</section>\n<footer class=\"meta\"><p>Gemaakt met dagloon run --html. Een dossier met een foutregel telt alleen "
        "mee in het aantal met een fout en bij de redenen.</p></footer>\n</body></html>\n", f);
}
