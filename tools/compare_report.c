/*
** compare_report.c: the impact report of `dagloon compare --html FILE` --
** one self-contained Dutch page (inline CSS and SVG; no scripts, no
** network) with the summary: who gains, who loses, by how much and at what
** total, a histogram of the changes on a symmetric log scale, the five bands
** of winners and losers per decile and per group (compare_report_charts.c),
** the largest gains and losses linked to their explanation diffs, and what
** the proposal changes. Counts and amounts in Dutch notation; columns,
** groups and rules by the labels the rule set gives them.
**
** Every figure comes from the summary (exact amounts as text); the bars of
** the charts are scaled with integer arithmetic on cents, so no binary
** floating point touches an amount even for drawing.
*/
#include "tools/compare_report.h"
#include "tools/compare_report_charts.h"
#include "tools/markup.h"
#include "tools/report_format.h"
#include "runtime/mem.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>


static const char *js(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "";
}

/*
** The budget effect (the summary's "budget", tools/compare_budget.c), when a rule set declares the
** benefit paid: the cost per year with its formula in words, the cohort over its first N years (per
** year of the cohort), or why either is not computed -- in Dutch, by the summary's reason codes (its
** reasons themselves are English, the same bytes in every locale).
*/
static const char *budget_reason_nl(const char *code) {
  static const struct { const char *code, *nl; } reasons[] = {
    {"only_base", "alleen de huidige regels noemen de betaalde uitkering (<code>uitkering X per maand</code>)"},
    {"only_proposal", "alleen het voorstel noemt de betaalde uitkering (<code>uitkering X per maand</code>)"},
    {"differ", "de huidige regels en het voorstel noemen een andere uitkering of periode"},
    {"no_duration", "de regelsets noemen niet hoe lang de uitkering loopt (<code>uitkering X per maand duur D</code>)"},
    {"duration_differs", "de huidige regels en het voorstel noemen een andere duur of iets anders daarna"},
    {"no_years", "geef het aantal jaren met <code>--jaren N</code>"},
  };
  for (size_t k = 0; code && k < sizeof reasons / sizeof *reasons; k++)
    if (strcmp(code, reasons[k].code) == 0) return reasons[k].nl;
  return "om een reden die dit rapport niet kent";
}

static void budget_figures(FILE *f, json_t *o, const char *const keys[4], const char *const labels[4]) {
  fputs("<div class=\"kern\">\n", f);
  for (size_t k = 0; k < 4; k++) {
    fprintf(f, "<div>%s<b>", labels[k]);
    report_put_nl(f, js(o, keys[k]), true);
    fputs("</b></div>\n", f);
  }
  fputs("</div>\n", f);
}

/* The cohort: the sums over its years, a row per year, and how each side counts. */
static void cohort_part(FILE *f, json_t *c) {
  json_int_t years = json_integer_value(json_object_get(c, "years"));
  fprintf(f, "<h3>Cohort nieuwe rechten, eerste %" JSON_INTEGER_FORMAT " jaar</h3>\n", years);
  const char *const keys[4] = {"change", "change_per_dossier", "base", "proposal"};
  const char *const labels[4] = {"verschil", "per dossier", "huidig", "voorstel"};
  budget_figures(f, c, keys, labels);
  fputs("<table><tr><th>jaar</th><th>huidig</th><th>voorstel</th><th>verschil</th></tr>\n", f);
  size_t i;
  json_t *y;
  json_array_foreach(json_object_get(c, "per_year"), i, y) {
    fprintf(f, "<tr><td>%" JSON_INTEGER_FORMAT "</td>", json_integer_value(json_object_get(y, "year")));
    const char *cols[] = {"base", "proposal", "change"};
    for (size_t k = 0; k < 3; k++) {
      fputs("<td>", f);
      report_put_nl(f, js(y, cols[k]), true);
      fputs("</td>", f);
    }
    fputs("</tr>\n", f);
  }
  fputs("</table>\n<p>Elk vergeleken dossier als een nieuw recht dat nu ingaat. Elke kant betaalt haar eigen uitkering "
        "zo lang als haar eigen duur <b>", f);
  report_put_label(f, js(c, "duration_label"), js(c, "duration"));
  fputs("</b> zegt (een voorstel kan de duur veranderen), ", f);
  if (json_is_string(json_object_get(c, "afterwards"))) {
    fputs("daarna <b>", f);
    report_put_label(f, js(c, "afterwards_label"), js(c, "afterwards"));
    fputs("</b>", f);
  } else {
    fputs("daarna niets", f);
  }
  fprintf(f, ", tot het einde van de %" JSON_INTEGER_FORMAT " jaar: <code>", years);
  markup_escape(f, js(c, "formula"));
  fputs("</code>.", f);
  json_int_t below = json_integer_value(json_object_get(c, "durations_below_zero"));
  if (below > 0) {
    fputc(' ', f);
    report_put_count(f, below);
    fputs(" dossiers hebben een duur onder 0: geteld als 0.", f);
  }
  fputs("</p>\n", f);
}

static void budget_section(FILE *f, json_t *b) {
  if (!b) return;
  fputs("<section id=\"kosten\"><h2>Kosten per jaar</h2>\n", f);
  if (!json_is_string(json_object_get(b, "benefit"))) {
    fprintf(f, "<p>Niet berekend: %s.</p></section>\n", budget_reason_nl(js(b, "not_shown_code")));
    return;
  }
  const char *const keys[4] = {"change_per_year", "change_per_dossier_per_year", "base_per_year", "proposal_per_year"};
  const char *const labels[4] = {"verschil per jaar", "per dossier per jaar", "huidig per jaar", "voorstel per jaar"};
  budget_figures(f, b, keys, labels);
  fputs("<p>Uitkering <b>", f);
  report_put_label(f, js(b, "benefit_label"), js(b, "benefit"));
  fputs("</b>, ", f);
  markup_escape(f, js(b, "kind"));
  fputs(": <code>", f);
  markup_escape(f, js(b, "formula"));
  fputs("</code>, opgeteld over ", f);
  report_put_count(f, json_integer_value(json_object_get(b, "dossiers")));
  fputs(" vergeleken dossiers (gewicht ", f);
  report_put_nl(f, js(b, "weight"), false);
  fputs("); dossiers met een fout tellen niet mee. Alsof elk dossier een heel jaar de uitkering krijgt.", f);
  json_t *c = json_object_get(b, "cohort");
  if (!json_is_object(c)) {
    fprintf(f, " Het cohort nieuwe rechten over de eerste jaren is niet berekend: %s.</p></section>\n",
            budget_reason_nl(js(b, "cohort_code")));
    return;
  }
  fputs("</p>\n", f);
  cohort_part(f, c);
  fputs("</section>\n", f);
}

void compare_report_html(json_t *j, const Changes *changes, json_t *explained, const char *not_explained, bool money,
                         FILE *f) {
  json_t *all = json_object_get(j, "all");
  report_page_start(f, "Effect van het voorstel");
  fputs("<h1>Effect van het voorstel</h1>\n<p class=\"meta\">Huidige regels: <code>", f);
  markup_escape(f, js(j, "base"));
  fputs("</code> \xC2\xB7 voorstel: <code>", f);
  markup_escape(f, js(j, "proposal"));
  fputs("</code> \xC2\xB7 dossiers: <code>", f);
  markup_escape(f, js(j, "input"));
  fputs("</code><br>Vergeleken op <b>", f);
  report_put_label(f, js(j, "value_label"), js(j, "value"));
  fputs("</b> (voorstel min huidig)", f);
  if (json_is_string(json_object_get(j, "weight_field"))) {
    fputs("; elk dossier telt voor het aantal mensen in <b>", f);
    markup_escape(f, js(j, "weight_field"));
    fputs("</b>", f);
  }
  fputs(".</p>\n", f);

  fputs("<section id=\"kern\"><h2>In het kort</h2><div class=\"kern\">\n", f);
  const struct { const char *key, *label; bool money; } kern[] = {
    {"better", "beter af", false}, {"worse", "slechter af", false}, {"unchanged", "gelijk", false},
    {"total_change", "totaal verschil", true}, {"mean_change", "gemiddeld verschil", true},
    {"base_total", "totaal huidig", true}, {"proposal_total", "totaal voorstel", true},
  };
  for (size_t k = 0; k < sizeof kern / sizeof *kern; k++) {
    fprintf(f, "<div>%s<b>", kern[k].label);
    report_put_nl(f, js(all, kern[k].key), kern[k].money && money);
    fputs("</b></div>\n", f);
  }
  fputs("<div>met een fout<b>", f);
  report_put_count(f, (long long)json_integer_value(json_object_get(all, "errors")));
  fputs("</b></div>\n", f);
  /* how many results rest on table values nobody confirmed, per side (weighted, as the other counts) */
  json_t *unv = json_object_get(j, "unverified");
  const struct { const char *side, *label; } unv_sides[] = {{"base", "ongeverifieerd huidig"},
                                                            {"proposal", "ongeverifieerd voorstel"}};
  for (size_t k = 0; k < 2 && unv; k++) {
    fprintf(f, "<div>%s<b>", unv_sides[k].label);
    report_put_nl(f, js(json_object_get(unv, unv_sides[k].side), "weight"), false);
    fputs("</b></div>\n", f);
  }
  fputs("</div>\n<p>Aantallen zijn gewogen", f);
  fputs(" (zonder weging: dossiers). Bedragen zijn exact; een afgerond bedrag staat met \xE2\x89\x88.</p></section>\n", f);
  budget_section(f, json_object_get(j, "budget"));   /* only when a rule set declares the benefit paid */

  /* the histogram of the change, on its symmetric log scale */
  json_t *hist = json_object_get(j, "histogram");
  const char *value_name = *js(j, "value_label") ? js(j, "value_label") : js(j, "value");
  if (json_array_size(hist)) {
    fputs("<section id=\"verdeling\"><h2>Verdeling van het verschil</h2>\n", f);
    report_histogram(f, hist, money, value_name, json_is_string(json_object_get(j, "weight_field")));
    fputs("<p>Percentielen van het verschil:", f);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(j, "percentiles"), key, v) {
      fprintf(f, " %s ", key);
      report_put_nl(f, json_string_value(v), money);
      fputs(";", f);
    }
    fputs("</p></section>\n", f);
  }

  /* winners and losers: the five bands for all, per decile and per group */
  json_t *dec = json_object_get(j, "deciles"), *groups = json_object_get(j, "groups");
  size_t nd = json_array_size(dec), ng = json_array_size(groups);
  BandRow *rows = xcalloc(nd + ng + 1, sizeof *rows);
  char (*labels)[160] = xcalloc(nd + 1, sizeof *labels);
  fputs("<section id=\"winnaars\"><h2>Wie gaat erop vooruit, wie achteruit</h2>\n", f);
  rows[0] = (BandRow){"alle dossiers", NULL, all};
  report_band_chart(f, rows, 1, "a", "");
  report_band_table(f, rows, 1, money, "");
  fputs("</section>\n", f);
  if (nd) {
    fputs("<section id=\"decielen\"><h2>Per tiende van ", f);
    report_put_label(f, js(j, "deciles_of_label"), js(j, "deciles_of"));
    fputs(" (huidige waarde)</h2>\n", f);
    for (size_t i = 0; i < nd; i++) {
      json_t *d = json_array_get(dec, i);
      char a[48], b[48];
      report_nl(js(d, "base_from"), money, a, sizeof a);
      report_nl(js(d, "base_to"), money, b, sizeof b);
      snprintf(labels[i], sizeof labels[i], "%" JSON_INTEGER_FORMAT ": %s \xE2\x80\x93 %s",
               json_integer_value(json_object_get(d, "decile")), a, b);
      rows[i] = (BandRow){labels[i], NULL, d};
    }
    report_band_chart(f, rows, nd, "d", "tiende: van t/m");
    report_band_table(f, rows, nd, money, "tiende");
    fputs("<p>Gemiddeld verschil per tiende:</p>\n", f);
    ReportBar *bars = xcalloc(nd, sizeof *bars);
    for (size_t i = 0; i < nd; i++)
      bars[i] = (ReportBar){labels[i], *js(rows[i].tally, "mean_change") ? js(rows[i].tally, "mean_change") : "0", NULL};
    report_bar_chart(f, bars, nd, money);
    free(bars);
    fputs("</section>\n", f);
  }
  if (ng) {
    const char *by_name = *js(j, "by_label") ? js(j, "by_label") : js(j, "by");
    fputs("<section id=\"groepen\"><h2>Per ", f);
    report_put_label(f, js(j, "by_label"), js(j, "by"));
    fputs("</h2>\n", f);
    for (size_t i = 0; i < ng; i++) {
      json_t *g = json_array_get(groups, i);
      bool has = *js(g, "label") != 0;
      rows[i] = (BandRow){has ? js(g, "label") : js(g, "group"), has ? js(g, "group") : NULL, g};
    }
    report_band_chart(f, rows, ng, "g", by_name);
    report_band_table(f, rows, ng, money, by_name);
    fputs("<p>Gemiddeld verschil per groep:</p>\n", f);
    ReportBar *bars = xcalloc(ng, sizeof *bars);
    for (size_t i = 0; i < ng; i++)
      bars[i] = (ReportBar){rows[i].label, *js(rows[i].tally, "mean_change") ? js(rows[i].tally, "mean_change") : "0", NULL};
    report_bar_chart(f, bars, ng, money);
    free(bars);
    fputs("</section>\n", f);
  }
  free(rows);
  free(labels);

  /* the largest changes, each id linked to its explanation diff further on the page (when made) */
  fputs("<section id=\"grootste\"><h2>Grootste veranderingen</h2><div class=\"kern\">\n", f);
  const char *lists[2] = {"largest_gains", "largest_losses"}, *titles[2] = {"meeste erop vooruit", "meeste erop achteruit"};
  for (int l = 0; l < 2; l++) {
    fprintf(f, "<div><table><tr><th colspan=\"2\">%s</th></tr>\n", titles[l]);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(j, lists[l]), i, e) {
      fputs("<tr><td>", f);
      size_t k;
      json_t *x;
      bool linked = false;
      json_array_foreach(explained, k, x) {
        if (linked || strcmp(js(x, "id"), js(e, "id")) != 0) continue;
        fprintf(f, "<a href=\"#uitleg-%zu\">", k + 1);
        markup_escape(f, js(e, "id"));
        fputs("</a>", f);
        linked = true;
      }
      if (!linked) markup_escape(f, js(e, "id"));
      fputs("</td><td>", f);
      report_put_nl(f, js(e, "change"), money);
      fputs("</td></tr>\n", f);
    }
    if (json_array_size(json_object_get(j, lists[l])) == 0) fputs("<tr><td colspan=\"2\">geen</td></tr>\n", f);
    fputs("</table></div>\n", f);
  }
  if (json_array_size(explained))
    fputs("</div><p>Een id leidt naar de uitleg van dat dossier onderaan deze pagina (ten hoogste de 10 grootste "
          "stijgingen en de 10 grootste dalingen). Elk ander dossier: <code>dagloon compare \xE2\x80\xA6 --id ID</code>."
          "</p></section>\n", f);
  else {
    fputs("</div><p>Waarom een dossier verandert: <code>dagloon compare \xE2\x80\xA6 --id ID</code>.", f);
    if (not_explained) {
      fputs(" De uitleg staat niet in deze pagina: ", f);
      markup_escape(f, not_explained);
      fputs(".", f);
    }
    fputs("</p></section>\n", f);
  }

  if (changes && changes->n) {
    fputs("<section id=\"wijzigingen\"><h2>Wat het voorstel verandert</h2><ul>\n", f);
    for (size_t i = 0; i < changes->n; i++) {
      const Change *c = &changes->v[i];
      const char *what = c->what == AST_RULE_DECL ? "regel" : c->what == AST_EXCEPTION_DECL ? "uitzondering"
                         : c->what == AST_TABLE_DECL ? "tabel" : "uitvoer";
      fprintf(f, "<li>%s %s <b>", c->kind == CHANGE_ADDED ? "voegt toe:" : c->kind == CHANGE_REMOVED ? "schrapt:"
                                  : c->kind == CHANGE_ROWS ? "vervangt of voegt rijen toe aan" : c->kind == CHANGE_VERSION
                                  ? "voegt een versie toe aan" : "vervangt:", what);
      if (c->label) {   /* the label a reader knows, the name as a tooltip */
        fputs("<span title=\"", f);
        markup_escape(f, c->name);
        fputs("\">", f);
        markup_escape(f, c->label);
        fputs("</span>", f);
      } else {
        markup_escape(f, c->name);
      }
      fputs("</b></li>\n", f);
    }
    fputs("</ul></section>\n", f);
  }
  if (json_array_size(explained)) {
    fputs("<section id=\"uitleg\"><h2>Uitleg per dossier: wat het voorstel verandert</h2>\n", f);
    size_t k;
    json_t *x;
    json_array_foreach(explained, k, x) {
      fprintf(f, "<h3 id=\"uitleg-%zu\">Dossier ", k + 1);
      markup_escape(f, js(x, "id"));
      fputs("</h3>\n<pre class=\"uitleg\">", f);
      markup_escape(f, js(x, "text"));
      fputs("</pre>\n", f);
    }
    fputs("</section>\n", f);
  }
  fputs("<footer class=\"meta\"><p>Gemaakt met dagloon compare. Percentielen zijn de kleinste verandering waarbij ten "
        "minste dat deel van het gewicht op of onder ligt; tienden verdelen het gewicht naar de huidige waarde.</p>"
        "</footer>\n</body></html>\n",
        f);
}
