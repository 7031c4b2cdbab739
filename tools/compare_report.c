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
** benefit paid: the cost per year with its formula in words, or why it is not computed.
*/
static void budget_section(FILE *f, json_t *b) {
  if (!b) return;
  fputs("<section id=\"kosten\"><h2>Kosten per jaar</h2>\n", f);
  if (!json_is_string(json_object_get(b, "benefit"))) {
    fputs("<p>Niet berekend: ", f);
    markup_escape(f, js(b, "not_shown"));
    fputs(".</p></section>\n", f);
    return;
  }
  fputs("<div class=\"kern\">\n", f);
  const struct { const char *key, *label; } fig[] = {
    {"change_per_year", "verschil per jaar"}, {"change_per_dossier_per_year", "per dossier per jaar"},
    {"base_per_year", "huidig per jaar"}, {"proposal_per_year", "voorstel per jaar"},
  };
  for (size_t k = 0; k < sizeof fig / sizeof *fig; k++) {
    fprintf(f, "<div>%s<b>", fig[k].label);
    report_put_nl(f, js(b, fig[k].key), true);
    fputs("</b></div>\n", f);
  }
  fputs("</div>\n<p>Uitkering <b>", f);
  markup_escape(f, js(b, "benefit"));
  fputs("</b>, ", f);
  markup_escape(f, js(b, "kind"));
  fputs(": <code>", f);
  markup_escape(f, js(b, "formula"));
  fprintf(f, "</code>, opgeteld over %" JSON_INTEGER_FORMAT " vergeleken dossiers (gewicht ",
          json_integer_value(json_object_get(b, "dossiers")));
  report_put_nl(f, js(b, "weight"), false);
  fputs("); dossiers met een fout tellen niet mee. Alsof elk dossier een heel jaar de uitkering krijgt; de kosten "
        "van een cohort nieuwe rechten over de eerste jaren zijn nog niet berekend.</p></section>\n", f);
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
