/*
** nl_html.c: Dutch notation and linked citations for HTML pages (see nl_html.h).
*/
#include "tools/nl_html.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include "runtime/date.h"
#include "tools/explain_tree.h"
#include "tools/markup.h"

/* A rule or field name as words: "dagloon_onbegrensd" -> "dagloon onbegrensd". */
void nlh_words(FILE *f, const char *name) {
  for (; name && *name; name++) {
    if (*name == '_') fputc(' ', f);
    else if (*name == '<') fputs("&lt;", f);
    else if (*name == '&') fputs("&amp;", f);
    else fputc(*name, f);
  }
}

/* ---- Dutch numbers and dates ---- */

/* digits with a dot every three: 1234567 -> 1.234.567 */
static void grouped(uint64_t v, char *buf) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v), k = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0) buf[k++] = '.';
    buf[k++] = tmp[i];
  }
  buf[k] = 0;
}

void nlh_money(int64_t cents, char *buf, size_t cap) {
  uint64_t mag = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;
  char g[40];
  grouped(mag / 100, g);
  snprintf(buf, cap, "\xE2\x82\xAC %s%s,%02u", cents < 0 ? "-" : "", g, (unsigned)(mag % 100));
}

void nlh_date(int64_t day, char *buf, size_t cap) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  snprintf(buf, cap, "%02d-%02d-%04d", d, m, y);
}

/* A getal with a decimal comma (the exact digits, or ten decimals and an ellipsis). */
void nlh_dec(Dec x, char *buf, size_t cap) {
  ex_exact(x, buf, cap);
  for (char *p = buf; *p; p++)
    if (*p == '.') *p = ',';
}

/* Any value as a reader expects it. */
void nlh_value(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap) {
  char a[32], b[32];
  switch (t.kind) {
  case VK_MONEY: nlh_money(v.i, buf, cap); break;
  case VK_DATE: nlh_date(v.i, buf, cap); break;
  case VK_PERIOD:
    nlh_date(v.per.lo, a, sizeof a);
    nlh_date(v.per.hi, b, sizeof b);
    snprintf(buf, cap, "%s t/m %s", a, b);
    break;
  case VK_DEC: nlh_dec(v.dec, buf, cap); break;
  case VK_BOOL: snprintf(buf, cap, "%s", v.i ? "ja" : "nee"); break;
  case VK_DAYS: snprintf(buf, cap, "%" PRId64 " dag%s", v.i, v.i == 1 ? "" : "en"); break;
  case VK_MONTHS: snprintf(buf, cap, "%" PRId64 " maand%s", v.i, v.i == 1 ? "" : "en"); break;
  case VK_YEARS: snprintf(buf, cap, "%" PRId64 " jaar", v.i); break;
  case VK_ENUM:
    if (t.ref < c->schema.nenums) {
      snprintf(buf, cap, "%s", schema_enum_label(&c->schema.enums[t.ref], (uint32_t)v.i));
      break;
    }
    ex_value(c, t, v, buf, cap);
    break;
  default: ex_value(c, t, v, buf, cap);
  }
}

void nlh_put_value(FILE *f, const Chunk *c, TypeRef t, Value v) {
  char buf[512];
  nlh_value(c, t, v, buf, sizeof buf);
  markup_escape(f, buf);
}

/* ---- sources as links ---- */

void nlh_cite_url(const char *part, char *url, size_t cap) {
  *url = 0;
  const char *ecli = strstr(part, "ECLI:");
  const char *bwb = strstr(part, "(BWBR");
  if (strncmp(part, "http://", 7) == 0 || strncmp(part, "https://", 8) == 0) {
    size_t k = strcspn(part, " ");
    snprintf(url, cap, "%.*s", (int)k, part);
  } else if (ecli) {
    size_t k = 5;
    while (ecli[k] && (isalnum((unsigned char)ecli[k]) || ecli[k] == ':')) k++;
    snprintf(url, cap, "https://uitspraken.rechtspraak.nl/details?id=%.*s", (int)k, ecli);
  } else if (bwb) {
    char id[16] = "";
    size_t k = 1;
    while (k < 15 && isalnum((unsigned char)bwb[k])) k++;
    snprintf(id, sizeof id, "%.*s", (int)(k - 1), bwb + 1);
    int art = 0, lid = 0;
    const char *a = strstr(bwb, " art ");
    char artno[16] = "";
    if (a && sscanf(a + 5, "%15[0-9a-z:]", artno) == 1) art = 1;
    const char *l = strstr(bwb, " lid ");
    if (l && sscanf(l + 5, "%d", &lid) != 1) lid = 0;
    if (art && lid) snprintf(url, cap, "https://wetten.overheid.nl/jci1.3:c:%s&artikel=%s&lid=%d", id, artno, lid);
    else if (art) snprintf(url, cap, "https://wetten.overheid.nl/jci1.3:c:%s&artikel=%s", id, artno);
    else snprintf(url, cap, "https://wetten.overheid.nl/%s", id);
  }
}

/* One citation, linked where it says where. */
static void cite_one(FILE *f, const char *s, size_t n) {
  char part[512];
  if (n >= sizeof part) n = sizeof part - 1;
  memcpy(part, s, n);
  part[n] = 0;
  char url[600];
  nlh_cite_url(part, url, sizeof url);
  if (*url) {
    fputs("<a href=\"", f);
    markup_escape(f, url);
    fputs("\">", f);
    markup_escape(f, part);
    fputs("</a>", f);
  } else {
    markup_escape(f, part);
  }
}

/* A 'bron' text: citations separated by "; ", each linked where it can be. */
void nlh_cite(FILE *f, const char *src) {
  if (!src || !*src) return;
  const char *p = src;
  bool first = true;
  while (*p) {
    const char *e = strstr(p, "; ");
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (!first) fputs("; ", f);
    cite_one(f, p, n);
    first = false;
    p += n;
    if (e) p += 2;
  }
}


static const char *const month_names[12] = {"januari", "februari", "maart", "april", "mei", "juni", "juli",
                                            "augustus", "september", "oktober", "november", "december"};

void nlh_date_long(int64_t day, char *buf, size_t cap) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  snprintf(buf, cap, "%d %s %04d", d, month_names[(m - 1) % 12], y);
}

void nlh_month(int64_t day, char *buf, size_t cap) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  snprintf(buf, cap, "%s %04d", month_names[(m - 1) % 12], y);
}

void nlh_named(FILE *f, const char *name, const char *label) {
  if (!label) {
    nlh_words(f, name);
    return;
  }
  fputs("<span class=\"label\" title=\"", f);
  markup_escape(f, name);
  fputs("\">", f);
  markup_escape(f, label);
  fputs("</span>", f);
}

const char *nlh_output_label(const Chunk *c, const OutputDesc *d) {
  if (d->from == OUT_RULE) return d->index < c->nprotos ? c->protos[d->index].label : NULL;
  if (c->schema.input < 0) return NULL;
  const RecordType *rt = &c->schema.records[c->schema.input];
  return d->index < rt->nfields ? rt->fields[d->index].label : NULL;
}
