/*
** report_format.c: see report_format.h. The bars of the charts are scaled
** with integer arithmetic on cents, so no binary floating point touches an
** amount even for drawing.
*/
#include "tools/report_format.h"

#include <string.h>
#include "runtime/num.h"
#include "runtime/recio.h"
#include "tools/markup.h"

void summary_amount(Dec x, char *buf, size_t cap) {
  char tmp[128];
  int n = dec_format(x, tmp, sizeof tmp);
  const char *dot = n > 0 ? strchr(tmp, '.') : NULL;
  if (n > 0 && !strchr(tmp, '/') && (!dot || strlen(dot + 1) <= 2)) {
    snprintf(buf, cap, "%s", tmp);
    return;
  }
  int64_t cents;
  if (dec_round_to_cents(x, 1, ROUND_HALF_AWAY, &cents) == NUM_OK) {
    char m[40];
    money_format(cents, m, sizeof m);
    snprintf(buf, cap, "~%s", m);
  } else {
    snprintf(buf, cap, "%s", tmp);
  }
}

void summary_csv_text(FILE *f, const char *s, bool guard) {
  bool prefix = guard && csv_formula_like(s, strlen(s));
  if (!strpbrk(s, ",\"\r\n")) {
    if (prefix) fputc('\'', f);
    fputs(s, f);
    return;
  }
  fputc('"', f);
  if (prefix) fputc('\'', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void report_nl(const char *s, bool money, char *buf, size_t cap) {
  char out[96];
  size_t k = 0;
  bool approx = *s == '~';
  if (approx) s++;
  bool neg = *s == '-';
  if (neg) s++;
  const char *dot = strchr(s, '.');
  size_t whole = dot ? (size_t)(dot - s) : strlen(s);
  if (approx) k += (size_t)snprintf(out + k, sizeof out - k, "\xE2\x89\x88 ");
  if (money) k += (size_t)snprintf(out + k, sizeof out - k, "\xE2\x82\xAC ");
  if (neg) out[k++] = '-';
  for (size_t i = 0; i < whole && k + 2 < sizeof out; i++) {
    if (i > 0 && (whole - i) % 3 == 0) out[k++] = '.';
    out[k++] = s[i];
  }
  if (dot && k + 1 < sizeof out) {
    out[k++] = ',';
    for (const char *p = dot + 1; *p && k + 1 < sizeof out; p++) out[k++] = *p;
  }
  out[k] = 0;
  snprintf(buf, cap, "%s", out);
}

int64_t report_cents(const char *s) {
  if (*s == '~') s++;
  bool neg = *s == '-';
  if (neg) s++;
  int64_t v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  int64_t c = 0;
  if (*s == '.') {
    s++;
    for (int i = 0; i < 2; i++) c = c * 10 + (*s >= '0' && *s <= '9' ? *s++ - '0' : 0);
  }
  v = v * 100 + c;
  return neg ? -v : v;
}

void report_put_nl(FILE *f, const char *s, bool money) {
  char b[96];
  report_nl(s, money, b, sizeof b);
  markup_escape(f, b);
}

void report_put_count(FILE *f, long long n) {
  char b[32];
  snprintf(b, sizeof b, "%lld", n);
  report_put_nl(f, b, false);
}

const char *const report_style =
  "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:64rem;margin:2rem auto;"
  "padding:0 1rem;color:#1a1a1a;line-height:1.45}h1{font-size:1.6rem}h2{font-size:1.25rem;color:#154273;"
  "border-bottom:2px solid #154273;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}"
  "th,td{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd;white-space:nowrap}th{background:#f0f4f8}"
  ".kern{display:flex;flex-wrap:wrap;gap:1rem}.kern div{background:#f0f4f8;padding:.7rem 1rem;min-width:10rem}"
  ".kern b{display:block;font-size:1.3rem}.meta{color:#555}.breed{overflow-x:auto}"
  "td.getal{text-align:right}svg .lbl,svg .val{font-size:12px;fill:#1a1a1a}"
  "pre.uitleg{background:#f7f7f7;padding:.6rem;white-space:pre-wrap}";

void report_page_start(FILE *f, const char *title) {
  fputs("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
  markup_escape(f, title);
  fprintf(f, "</title><style>%s</style></head><body>\n", report_style);
}

void report_bar_chart(FILE *f, const ReportBar *bars, size_t n, bool money) {
  int64_t maxabs = 1;
  bool neg = false;
  for (size_t i = 0; i < n; i++) {
    int64_t v = report_cents(bars[i].value);
    if (v < 0) neg = true;
    if ((v < 0 ? -v : v) > maxabs) maxabs = v < 0 ? -v : v;
  }
  const int W = 520, L = 180, rowh = 26;
  int zero = neg ? L + W / 2 : L, half = neg ? W / 2 : W;
  fprintf(f, "<svg class=\"grafiek\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\" role=\"img\">\n", L + W + 130,
          n * rowh + 10, L + W + 130, n * rowh + 10);
  fprintf(f, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%zu\" stroke=\"#444\"/>\n", zero, zero, n * rowh + 10);
  for (size_t i = 0; i < n; i++) {
    int64_t v = report_cents(bars[i].value);
    int len = (int)((v < 0 ? -v : v) * half / maxabs);
    int y = (int)i * rowh + 5;
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">", L - 8, y + 16);
    markup_escape(f, bars[i].label);
    fprintf(f, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", v < 0 ? zero - len : zero, y + 3,
            len, rowh - 8, v < 0 ? "#b94a48" : "#2e7d32");
    fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"val\">", L + W + 8, y + 16);
    report_put_nl(f, bars[i].value, money);
    if (bars[i].extra) {
      fputs(" ", f);
      markup_escape(f, bars[i].extra);
    }
    fputs("</text>\n", f);
  }
  fputs("</svg>\n", f);
}
