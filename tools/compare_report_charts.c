/*
** compare_report_charts.c: see compare_report_charts.h.
*/
#include "tools/compare_report_charts.h"

#include <stdint.h>
#include <string.h>
#include "tools/compare_bands.h"
#include "tools/markup.h"
#include "tools/report_format.h"

static const char *js(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "";
}

void report_put_label(FILE *f, const char *label, const char *ident) {
  if (!label || !*label || strcmp(label, ident) == 0) {
    markup_escape(f, ident);
    return;
  }
  fputs("<span title=\"", f);
  markup_escape(f, ident);
  fputs("\">", f);
  markup_escape(f, label);
  fputs("</span>", f);
}

static const char *const band_names[NBANDS] = {"meer dan 5 % erop vooruit", "5 % of minder erop vooruit", "gelijk",
                                               "5 % of minder erop achteruit", "meer dan 5 % erop achteruit"};

/* Lightness falls from the middle band outwards; the losses are striped (patterns of the chart). */
static void band_fill(FILE *f, int k, const char *prefix) {
  switch (k) {
  case BAND_GAIN_MORE: fputs("fill=\"#1b5e20\"", f); break;
  case BAND_GAIN_UPTO: fputs("fill=\"#a5d6a7\"", f); break;
  case BAND_SAME: fputs("fill=\"#ffffff\" stroke=\"#9e9e9e\"", f); break;
  case BAND_LOSS_UPTO: fprintf(f, "fill=\"url(#%s-licht)\"", prefix); break;
  default: fprintf(f, "fill=\"url(#%s-donker)\"", prefix); break;
  }
}

static void stripes(FILE *f, const char *prefix) {
  fprintf(f, "<defs><pattern id=\"%s-licht\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ef9a9a\"/><rect width=\"2\" "
          "height=\"6\" fill=\"#ffffff\"/></pattern><pattern id=\"%s-donker\" width=\"6\" height=\"6\" "
          "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
          "fill=\"#b71c1c\"/><rect width=\"2\" height=\"6\" fill=\"#e57373\"/></pattern></defs>\n", prefix, prefix);
}

void report_band_chart(FILE *f, const BandRow *rows, size_t n, const char *prefix, const char *rows_name) {
  const int L = 210, W = 500, rowh = 26, top = 56;
  int bottom = top + (int)n * rowh;
  fprintf(f, "<svg class=\"grafiek banden\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", L + W + 30,
          bottom + 48, L + W + 30, bottom + 48);
  stripes(f, prefix);
  /* the legend: two lines, gains first */
  for (int k = 0; k < NBANDS; k++) {
    int x = 10 + (k % 3) * 245, y = 6 + (k / 3) * 20;
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" ", x, y);
    band_fill(f, k, prefix);
    fprintf(f, "/><text x=\"%d\" y=\"%d\" class=\"lbl\">%s</text>\n", x + 20, y + 12, band_names[k]);
  }
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\" font-weight=\"bold\">", L - 8, top - 4);
  markup_escape(f, rows_name);
  fputs("</text>\n", f);
  for (size_t i = 0; i < n; i++) {
    json_t *b = json_object_get(rows[i].tally, "bands");
    int y = top + (int)i * rowh;
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", L - 8, y + 17);
    markup_escape(f, rows[i].label);
    if (rows[i].title) {
      fputs("<title>", f);
      markup_escape(f, rows[i].title);
      fputs("</title>", f);
    }
    fputs("</text>", f);
    int64_t total = 0, cum = 0;
    for (int k = 0; k < NBANDS; k++) total += report_cents(js(json_object_get(b, band_keys[k]), "weight"));
    for (int k = 0; k < NBANDS && total > 0; k++) {
      json_t *e = json_object_get(b, band_keys[k]);
      int64_t w = report_cents(js(e, "weight"));
      int x0 = L + (int)(cum * W / total), x1 = L + (int)((cum + w) * W / total);   /* the edges add up to W */
      cum += w;
      if (w == 0) continue;
      fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" ", x0, y + 3, x1 - x0, rowh - 8);
      band_fill(f, k, prefix);
      fputs("><title>", f);
      markup_escape(f, rows[i].label);
      fprintf(f, ": %s ", band_names[k]);
      report_put_nl(f, js(e, "share_pct"), false);
      fputs(" % (gewicht ", f);
      report_put_nl(f, js(e, "weight"), false);
      fputs(", dossiers ", f);
      report_put_count(f, (long long)json_integer_value(json_object_get(e, "dossiers")));
      fputs(")</title></rect>", f);
    }
    fputs("\n", f);
  }
  /* the horizontal axis: the share of the weight */
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", L, bottom + 2, L + W, bottom + 2);
  for (int p = 0; p <= 100; p += 25)
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/><text x=\"%d\" y=\"%d\" "
            "text-anchor=\"middle\" class=\"lbl\">%d %%</text>\n", L + p * W / 100, bottom + 2, L + p * W / 100,
            bottom + 7, L + p * W / 100, bottom + 20, p);
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"lbl\">aandeel van het gewicht (%%)</text>\n",
          L + W / 2, bottom + 40);
  fputs("</svg>\n", f);
}

void report_band_table(FILE *f, const BandRow *rows, size_t n, bool money, const char *head) {
  fputs("<div class=\"breed\"><table><tr><th>", f);
  markup_escape(f, head);
  fputs("</th><th>dossiers</th><th>gewicht</th>", f);
  static const char *const short_names[NBANDS] = {"vooruit &gt; 5 %", "vooruit \xE2\x89\xA4 5 %", "gelijk",
                                                 "achteruit \xE2\x89\xA4 5 %", "achteruit &gt; 5 %"};
  for (int k = 0; k < NBANDS; k++) fprintf(f, "<th title=\"%s\">%s</th>", band_names[k], short_names[k]);
  fputs("<th>totaal verschil</th><th>gemiddeld</th><th>gemiddeld in %</th></tr>\n", f);
  for (size_t i = 0; i < n; i++) {
    json_t *t = rows[i].tally, *b = json_object_get(t, "bands");
    fputs("<tr><td>", f);
    report_put_label(f, rows[i].label, rows[i].title ? rows[i].title : rows[i].label);
    fputs("</td><td>", f);
    report_put_count(f, (long long)json_integer_value(json_object_get(t, "dossiers")));
    fputs("</td><td>", f);
    report_put_nl(f, js(t, "weight"), false);
    fputs("</td>", f);
    for (int k = 0; k < NBANDS; k++) {
      json_t *e = json_object_get(b, band_keys[k]);
      fputs("<td>", f);
      if (*js(e, "share_pct")) {
        report_put_nl(f, js(e, "share_pct"), false);
        fputs(" %", f);
      }
      fputs(" <small>(", f);
      report_put_count(f, (long long)json_integer_value(json_object_get(e, "dossiers")));
      fputs(")</small></td>", f);
    }
    fputs("<td>", f);
    report_put_nl(f, js(t, "total_change"), money);
    fputs("</td><td>", f);
    report_put_nl(f, js(t, "mean_change"), money);
    fputs("</td><td>", f);
    if (*js(t, "mean_change_pct")) {
      report_put_nl(f, js(t, "mean_change_pct"), false);
      fputs(" %", f);
    }
    fputs("</td></tr>\n", f);
  }
  fputs("</table></div>\n<p>Per kolom het aandeel van het gewicht en tussen haakjes het aantal dossiers. De banden "
        "zijn het verschil gedeeld door de huidige waarde: precies 5 % telt als \xE2\x80\x9C" "5 % of minder\xE2\x80\x9D; "
        "een huidige waarde van 0 met een verschil telt als \xE2\x80\x9Cmeer dan 5 %\xE2\x80\x9D. Het gemiddelde "
        "verschil in % is het totale verschil gedeeld door het totaal van de huidige waarden (het % van de "
        "gemiddelden, niet het gemiddelde van de %).</p>\n", f);
}

/* A bin's range as a short text: "0", "€ 1,00 t/m € 1,99". */
static void put_range(FILE *f, json_t *bin, bool money) {
  if (strcmp(js(bin, "from"), js(bin, "to")) == 0) {
    report_put_nl(f, js(bin, "from"), money);
    return;
  }
  report_put_nl(f, js(bin, "from"), money);
  fputs(" t/m ", f);
  report_put_nl(f, js(bin, "to"), money);
}

void report_histogram(FILE *f, json_t *hist, bool money, const char *value, bool weighted) {
  size_t nb = json_array_size(hist);
  if (!nb) return;
  int64_t maxw = 1;
  size_t imax = 0;
  for (size_t i = 0; i < nb; i++) {
    int64_t w = report_cents(js(json_array_get(hist, i), "weight"));
    if (w > maxw) maxw = w, imax = i;
  }
  const int L = 90, top = 12, H = 200, bw = 22, gap = 4, below = 150;
  int width = L + (int)nb * (bw + gap) + 40;
  if (width < 560) width = 560;
  fprintf(f, "<svg class=\"grafiek histogram\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", width,
          top + H + below, width, top + H + below);
  stripes(f, "h");
  /* the vertical axis: 0 and the largest bin */
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", L - 4, top, L - 4, top + H);
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">0</text>\n", L - 8, top + H + 4);
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", L - 8, top + 10);
  report_put_nl(f, js(json_array_get(hist, imax), "weight"), false);
  fputs("</text>\n", f);
  fprintf(f, "<text transform=\"translate(16 %d) rotate(-90)\" text-anchor=\"middle\" class=\"lbl\">%s</text>\n",
          top + H / 2, weighted ? "gewicht (aantal mensen)" : "aantal dossiers");
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>\n", L - 4, top + H, L + (int)nb * (bw + gap),
          top + H);
  for (size_t i = 0; i < nb; i++) {
    json_t *b = json_array_get(hist, i);
    int64_t w = report_cents(js(b, "weight")), from = report_cents(js(b, "from")), to = report_cents(js(b, "to"));
    int h = (int)(w * H / maxw), x = L + (int)i * (bw + gap);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>", x, top + H - h, bw, h,
            to < 0 ? "url(#h-donker)" : from > 0 ? "#1b5e20" : "#757575");
    put_range(f, b, money);
    fputs(": gewicht ", f);
    report_put_nl(f, js(b, "weight"), false);
    fputs(", dossiers ", f);
    report_put_count(f, (long long)json_integer_value(json_object_get(b, "dossiers")));
    fputs("</title></rect>\n", f);
    fprintf(f, "<text transform=\"translate(%d %d) rotate(-55)\" text-anchor=\"end\" class=\"lbl\">", x + bw / 2 + 4,
            top + H + 14);
    put_range(f, b, money);
    fputs("</text>\n", f);
  }
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"lbl\">verschil in ", L + (int)nb * (bw + gap) / 2,
          top + H + below - 8);
  markup_escape(f, value);
  fprintf(f, " per dossier%s, voorstel min huidig</text>\n</svg>\n", money ? " (\xE2\x82\xAC)" : "");
  fputs("<p>Elke staaf is een klasse van het verschil: de klassen lopen in stappen 1, 2, 5, 10, 20, 50, \xE2\x80\xA6 "
        "(zo krijgen kleine en grote veranderingen beide een staaf), aan weerszijden van een eigen klasse voor "
        "\xE2\x80\x9Cgeen verschil\xE2\x80\x9D (grijs). Verlies is rood gestreept, winst groen.</p>\n", f);
  fputs("<div class=\"breed\"><table><tr><th>van</th><th>t/m</th><th>dossiers</th><th>gewicht</th></tr>\n", f);
  for (size_t i = 0; i < nb; i++) {
    json_t *b = json_array_get(hist, i);
    fputs("<tr><td>", f);
    report_put_nl(f, js(b, "from"), money);
    fputs("</td><td>", f);
    report_put_nl(f, js(b, "to"), money);
    fputs("</td><td>", f);
    report_put_count(f, (long long)json_integer_value(json_object_get(b, "dossiers")));
    fputs("</td><td>", f);
    report_put_nl(f, js(b, "weight"), false);
    fputs("</td></tr>\n", f);
  }
  fputs("</table></div>\n", f);
}
