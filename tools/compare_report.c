/*
** compare_report.c: the impact report of `dagloon compare --html FILE` --
** one self-contained Dutch page (inline CSS and SVG; no scripts, no
** network) with the summary: who gains, who loses, by how much and at what
** total, a histogram of the changes, the change per group and per decile,
** the largest gains and losses, and what the proposal changes.
**
** Every figure comes from the summary (exact amounts as text); the bars of
** the charts are scaled with integer arithmetic on cents, so no binary
** floating point touches an amount even for drawing.
*/
#include "tools/compare_report.h"
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

static void tally_row(FILE *f, json_t *t, bool money, const char *label) {
  fputs("<tr><td>", f);
  markup_escape(f, label);
  fputs("</td>", f);
  fprintf(f, "<td>%" JSON_INTEGER_FORMAT "</td>", json_integer_value(json_object_get(t, "dossiers")));
  const char *keys[] = {"weight", "better", "worse", "unchanged"};
  for (int k = 0; k < 4; k++) {
    fputs("<td>", f);
    report_put_nl(f, js(t, keys[k]), false);
    fputs("</td>", f);
  }
  fputs("<td>", f);
  report_put_nl(f, js(t, "total_change"), money);
  fputs("</td><td>", f);
  report_put_nl(f, js(t, "mean_change"), money);
  fputs("</td></tr>\n", f);
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
  markup_escape(f, js(c, "duration"));
  fputs("</b> zegt (een voorstel kan de duur veranderen), ", f);
  if (json_is_string(json_object_get(c, "afterwards"))) {
    fputs("daarna <b>", f);
    markup_escape(f, js(c, "afterwards"));
    fputs("</b>", f);
  } else {
    fputs("daarna niets", f);
  }
  fprintf(f, ", tot het einde van de %" JSON_INTEGER_FORMAT " jaar: <code>", years);
  markup_escape(f, js(c, "formula"));
  fputs("</code>.", f);
  json_int_t below = json_integer_value(json_object_get(c, "durations_below_zero"));
  if (below > 0) fprintf(f, " %" JSON_INTEGER_FORMAT " dossiers hebben een duur onder 0: geteld als 0.", below);
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
  markup_escape(f, js(b, "benefit"));
  fputs("</b>, ", f);
  markup_escape(f, js(b, "kind"));
  fputs(": <code>", f);
  markup_escape(f, js(b, "formula"));
  fprintf(f, "</code>, opgeteld over %" JSON_INTEGER_FORMAT " vergeleken dossiers (gewicht ",
          json_integer_value(json_object_get(b, "dossiers")));
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

void compare_report_html(json_t *j, const Changes *changes, bool money, FILE *f) {
  json_t *all = json_object_get(j, "all");
  report_page_start(f, "Effect van het voorstel");
  fputs("<h1>Effect van het voorstel</h1>\n<p class=\"meta\">Huidige regels: <code>", f);
  markup_escape(f, js(j, "base"));
  fputs("</code> \xC2\xB7 voorstel: <code>", f);
  markup_escape(f, js(j, "proposal"));
  fputs("</code> \xC2\xB7 dossiers: <code>", f);
  markup_escape(f, js(j, "input"));
  fputs("</code><br>Vergeleken op <b>", f);
  markup_escape(f, js(j, "value"));
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
  fprintf(f, "<div>met een fout<b>%" JSON_INTEGER_FORMAT "</b></div>\n", json_integer_value(json_object_get(all, "errors")));
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

  /* histogram */
  json_t *hist = json_object_get(j, "histogram");
  size_t nb = json_array_size(hist);
  if (nb) {
    fputs("<section id=\"verdeling\"><h2>Verdeling van het verschil</h2>\n", f);
    int64_t maxw = 1;
    for (size_t i = 0; i < nb; i++) {
      int64_t w = report_cents(js(json_array_get(hist, i), "weight"));
      if (w > maxw) maxw = w;
    }
    const int H = 180, bw = 30;
    fprintf(f, "<svg class=\"grafiek\" width=\"%zu\" height=\"%d\" role=\"img\">\n", nb * (bw + 4) + 20, H + 60);
    for (size_t i = 0; i < nb; i++) {
      json_t *b = json_array_get(hist, i);
      int64_t w = report_cents(js(b, "weight"));
      int h = (int)(w * H / maxw);
      int x = 10 + (int)i * (bw + 4);
      int64_t from = report_cents(js(b, "from")), to = report_cents(js(b, "to"));
      fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>", x, H - h + 5, bw, h,
              to < 0 ? "#b94a48" : from > 0 ? "#2e7d32" : "#888");
      report_put_nl(f, js(b, "from"), money);
      fputs(" t/m ", f);
      report_put_nl(f, js(b, "to"), money);
      fputs(": ", f);
      report_put_nl(f, js(b, "weight"), false);
      fputs("</title></rect>\n", f);
    }
    fprintf(f, "<text x=\"10\" y=\"%d\" class=\"lbl\">", H + 25);
    report_put_nl(f, js(json_array_get(hist, 0), "from"), money);
    fprintf(f, "</text><text x=\"%zu\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", nb * (bw + 4) + 6, H + 25);
    report_put_nl(f, js(json_array_get(hist, nb - 1), "to"), money);
    fputs("</text></svg>\n<div class=\"breed\"><table><tr><th>van</th><th>t/m</th><th>dossiers</th><th>gewicht</th></tr>\n", f);
    for (size_t i = 0; i < nb; i++) {
      json_t *b = json_array_get(hist, i);
      fputs("<tr><td>", f);
      report_put_nl(f, js(b, "from"), money);
      fputs("</td><td>", f);
      report_put_nl(f, js(b, "to"), money);
      fprintf(f, "</td><td>%" JSON_INTEGER_FORMAT "</td><td>", json_integer_value(json_object_get(b, "dossiers")));
      report_put_nl(f, js(b, "weight"), false);
      fputs("</td></tr>\n", f);
    }
    fputs("</table></div>\n<p>Percentielen van het verschil:", f);
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(j, "percentiles"), key, v) {
      fprintf(f, " %s ", key);
      report_put_nl(f, json_string_value(v), money);
      fputs(";", f);
    }
    fputs("</p></section>\n", f);
  }

  /* groups */
  json_t *groups = json_object_get(j, "groups");
  if (json_array_size(groups)) {
    fputs("<section id=\"groepen\"><h2>Per ", f);
    markup_escape(f, js(j, "by"));
    fputs(": gemiddeld verschil</h2>\n", f);
    size_t n = json_array_size(groups);
    ReportBar *bars = xcalloc(n, sizeof *bars);
    for (size_t i = 0; i < n; i++) {
      json_t *g = json_array_get(groups, i);
      bars[i] = (ReportBar){js(g, "group"), *js(g, "mean_change") ? js(g, "mean_change") : "0", NULL};
    }
    report_bar_chart(f, bars, n, money);
    free(bars);
    fputs("<div class=\"breed\"><table><tr><th>groep</th><th>dossiers</th><th>gewicht</th><th>beter</th><th>slechter</th>"
          "<th>gelijk</th><th>totaal</th><th>gemiddeld</th></tr>\n", f);
    for (size_t i = 0; i < n; i++) tally_row(f, json_array_get(groups, i), money, js(json_array_get(groups, i), "group"));
    fputs("</table></div></section>\n", f);
  }

  /* deciles */
  json_t *dec = json_object_get(j, "deciles");
  if (json_array_size(dec)) {
    fputs("<section id=\"decielen\"><h2>Per tiende van ", f);
    markup_escape(f, js(j, "deciles_of"));
    fputs(" (huidige waarde): gemiddeld verschil</h2>\n", f);
    size_t n = json_array_size(dec);
    ReportBar *bars = xcalloc(n, sizeof *bars);
    char (*labels)[160] = xcalloc(n, sizeof *labels);
    for (size_t i = 0; i < n; i++) {
      json_t *d = json_array_get(dec, i);
      char a[48], b[48];
      report_nl(js(d, "base_from"), money, a, sizeof a);
      report_nl(js(d, "base_to"), money, b, sizeof b);
      snprintf(labels[i], sizeof labels[i], "%" JSON_INTEGER_FORMAT ": %s \xE2\x80\x93 %s",
               json_integer_value(json_object_get(d, "decile")), a, b);
      bars[i] = (ReportBar){labels[i], *js(d, "mean_change") ? js(d, "mean_change") : "0", NULL};
    }
    report_bar_chart(f, bars, n, money);
    fputs("<div class=\"breed\"><table><tr><th>tiende</th><th>dossiers</th><th>gewicht</th><th>beter</th><th>slechter</th>"
          "<th>gelijk</th><th>totaal</th><th>gemiddeld</th></tr>\n", f);
    for (size_t i = 0; i < n; i++) tally_row(f, json_array_get(dec, i), money, labels[i]);
    fputs("</table></div></section>\n", f);
    free(bars);
    free(labels);
  }

  /* the largest changes */
  fputs("<section id=\"grootste\"><h2>Grootste veranderingen</h2><div class=\"kern\">\n", f);
  const char *lists[2] = {"largest_gains", "largest_losses"}, *titles[2] = {"meeste erop vooruit", "meeste erop achteruit"};
  for (int l = 0; l < 2; l++) {
    fprintf(f, "<div><table><tr><th colspan=\"2\">%s</th></tr>\n", titles[l]);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(j, lists[l]), i, e) {
      fputs("<tr><td>", f);
      markup_escape(f, js(e, "id"));
      fputs("</td><td>", f);
      report_put_nl(f, js(e, "change"), money);
      fputs("</td></tr>\n", f);
    }
    if (json_array_size(json_object_get(j, lists[l])) == 0) fputs("<tr><td colspan=\"2\">geen</td></tr>\n", f);
    fputs("</table></div>\n", f);
  }
  fputs("</div><p>Waarom een dossier verandert: <code>dagloon compare \xE2\x80\xA6 --explain ID</code>.</p></section>\n", f);

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
  fputs("<footer class=\"meta\"><p>Gemaakt met dagloon compare. Percentielen zijn de kleinste verandering waarbij ten "
        "minste dat deel van het gewicht op of onder ligt; tienden verdelen het gewicht naar de huidige waarde.</p>"
        "</footer>\n</body></html>\n",
        f);
}
