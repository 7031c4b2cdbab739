/*
** letter.c: the letter of one repair dossier (see letter.h). The text is
** fixed Dutch at B1 level (short sentences, "u" and "wij", words a reader
** knows); what varies comes from the dossier's output columns and, per
** month, from the traced calls of the rules that give what was due and what
** was paid. Names never reach the page: a choice is shown by its label, and
** letter_supported refuses a rule set whose shown choices have none.
*/
#include "tools/letter.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "tools/markup.h"
#include "tools/nl_html.h"

/* ---- the contract: the columns and rules a letter reads ---- */

typedef enum Col {
  COL_DECIDED, COL_CORRECT, COL_DIRECTION, COL_COMPENSATION, COL_NOT_RECOVERED, COL_CORRECTED_FROM, COL_PERIOD,
  COL_ACTION, COL_BENEFIT, COL_CAUSE, COL__COUNT
} Col;

static const struct {
  const char *name;
  uint8_t kind;       /* ValueKind */
  bool required;
} columns[COL__COUNT] = {
  [COL_DECIDED] = {"vastgestelde_dagloon", VK_MONEY, true},
  [COL_CORRECT] = {"juiste_dagloon", VK_MONEY, true},
  [COL_DIRECTION] = {"richting", VK_ENUM, true},
  [COL_COMPENSATION] = {"eenmalige_vergoeding", VK_MONEY, true},
  [COL_NOT_RECOVERED] = {"te_veel_betaald_niet_teruggevorderd", VK_MONEY, true},
  [COL_CORRECTED_FROM] = {"correctie_vanaf", VK_DATE, true},
  [COL_PERIOD] = {"herstelperiode", VK_PERIOD, true},
  [COL_ACTION] = {"herstelactie", VK_ENUM, false},
  [COL_BENEFIT] = {"soort", VK_ENUM, false},
  [COL_CAUSE] = {"oorzaak", VK_ENUM, false},
};

/* The rules asked per month (one periode parameter): what was due, what was paid, whether a payment was found. */
#define RULE_DUE "juiste_uitkering_in"
#define RULE_PAID "betaalde_uitkering_in"
#define RULE_FOUND "betaling_over"

static int find_column(const Chunk *c, Col k) {
  for (uint32_t i = 0; i < c->noutputs; i++)
    if (strcmp(c->outputs[i].name, columns[k].name) == 0 && c->outputs[i].type.kind == columns[k].kind) return (int)i;
  return -1;
}

static int find_rule(const Chunk *c, const char *name, uint8_t kind) {
  for (uint32_t i = 0; i < c->nprotos; i++)
    if (strcmp(c->protos[i].name, name) == 0 && c->protos[i].nparams == 1 && c->protos[i].result.kind == kind &&
        c->protos[i].regtypes[0].kind == VK_PERIOD)
      return (int)i;
  return -1;
}

bool letter_supported(const Chunk *c, char *err, size_t cap) {
  for (int k = 0; k < COL__COUNT; k++) {
    int i = find_column(c, (Col)k);
    if (i < 0 && columns[k].required) {
      snprintf(err, cap, "a letter needs the output column '%s' (a %s) of a repair rule set such as rules/herstel",
               columns[k].name, vk_name((ValueKind)columns[k].kind));
      return false;
    }
    if (i < 0 || columns[k].kind != VK_ENUM) continue;
    const EnumType *et = &c->schema.enums[c->outputs[i].type.ref];
    for (uint32_t m = 0; m < et->nmembers; m++)
      if (!et->labels || !et->labels[m]) {
        snprintf(err, cap, "a letter shows choice '%s' of keuze %s, which has no label (write 'label \"...\"' after it)",
                 et->members[m], et->name);
        return false;
      }
  }
  if (find_rule(c, RULE_DUE, VK_MONEY) < 0 || find_rule(c, RULE_PAID, VK_MONEY) < 0) {
    snprintf(err, cap, "a letter needs the rules %s(m: periode) and %s(m: periode), both geld, for its table per month",
             RULE_DUE, RULE_PAID);
    return false;
  }
  return true;
}

/* ---- the months, from the trace ---- */

typedef struct Month {
  int64_t lo, hi;
  int64_t due, paid;      /* cents */
  bool has_due, has_paid;
  int found;              /* RULE_FOUND's value: 1 a payment was found, 0 none (recomputed), -1 not asked */
} Month;

typedef struct Months {
  Month *v;
  size_t n, cap;
} Months;

static Month *month_of(Months *ms, Period p) {
  for (size_t i = 0; i < ms->n; i++)
    if (ms->v[i].lo == p.lo) return &ms->v[i];
  Month m = {p.lo, p.hi, 0, 0, false, false, -1};
  VEC_PUSH(ms->v, ms->n, ms->cap, m);
  return &ms->v[ms->n - 1];
}

static int by_month(const void *a, const void *b) {
  const Month *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Each call of the per-month rules, paired with its value (calls nest: RULE ... VALUE), in the repair period. */
static void collect_months(const Chunk *c, const Trace *t, Period within, Months *ms) {
  int due = find_rule(c, RULE_DUE, VK_MONEY), paid = find_rule(c, RULE_PAID, VK_MONEY);
  int found = find_rule(c, RULE_FOUND, VK_BOOL);
  size_t *open = xmalloc((t->n ? t->n : 1) * sizeof *open);
  size_t nopen = 0;
  for (size_t i = 0; i < t->n; i++) {
    const TraceEvent *e = &t->ev[i];
    if (e->kind == TRACE_RULE) open[nopen++] = i;
    if (e->kind != TRACE_VALUE || nopen == 0) continue;
    const TraceEvent *call = &t->ev[open[--nopen]];
    int r = (int)call->index;
    if (call->then || (r != due && r != paid && r != found)) continue;   /* 'zoals bekend op' is not what was paid */
    Period p = t->argbuf[call->args].per;
    if (p.hi < within.lo || p.lo > within.hi) continue;   /* a calendar month of the period (the first may start before it) */
    Month *m = month_of(ms, p);
    if (r == due) m->due = e->v.i, m->has_due = true;
    else if (r == paid) m->paid = e->v.i, m->has_paid = true;
    else m->found = e->v.i ? 1 : 0;
  }
  free(open);
  qsort(ms->v, ms->n, sizeof *ms->v, by_month);
}

/* ---- the sources: why the dagloon should have been another ---- */

typedef struct Texts {
  const char **v;
  size_t n, cap;
} Texts;

/* One citation in plain words, linked: "Wet werk en inkomen naar arbeidsvermogen, artikel 13 lid 1". */
static void plain_cite(FILE *f, const char *part) {
  char url[600], words[600];
  nlh_cite_url(part, url, sizeof url);
  const char *ecli = strstr(part, "ECLI:");
  const char *bwb = strstr(part, " (BWBR");
  const char *art = strstr(part, " art ");
  if (ecli) {
    const char *court = strstr(ecli, ":CRVB:") ? "de Centrale Raad van Beroep" : strstr(ecli, ":HR:") ? "de Hoge Raad"
                                                                                                    : "de rechter";
    snprintf(words, sizeof words, "een uitspraak van %s (%s)", court, ecli);
  } else if (bwb && art) {
    snprintf(words, sizeof words, "%.*s, artikel %s", (int)(bwb - part), part, art + 5);
  } else if (bwb) {
    snprintf(words, sizeof words, "%.*s", (int)(bwb - part), part);
  } else {
    snprintf(words, sizeof words, "%s", part);
  }
  if (*url) {
    fputs("<a href=\"", f);
    markup_escape(f, url);
    fputs("\">", f);
    markup_escape(f, words);
    fputs("</a>", f);
  } else {
    markup_escape(f, words);
  }
}

/* A 'bron' text (citations separated by "; ") as list items. */
static void cite_items(FILE *f, const char *src, Texts *seen) {
  char part[512];
  for (const char *p = src; p && *p;) {
    const char *e = strstr(p, "; ");
    size_t n = e ? (size_t)(e - p) : strlen(p);
    snprintf(part, sizeof part, "%.*s", (int)n, p);
    bool again = false;
    for (size_t i = 0; i < seen->n && !again; i++) again = strcmp(seen->v[i], part) == 0;
    if (!again) {
      VEC_PUSH(seen->v, seen->n, seen->cap, xstrdup(part));
      fputs("<li>", f);
      plain_cite(f, part);
      fputs("</li>\n", f);
    }
    p += n;
    if (e) p += 2;
  }
}

/*
** What a label says with the sources it rests on: an exception that applied, or the version of a
** labelled rule that was chosen (a label marks what a reader should see). Without a label, only
** the sources.
*/
static void labelled_item(FILE *f, const char *label, const char *source, Texts *seen) {
  if (!label) {
    cite_items(f, source, seen);
    return;
  }
  for (size_t i = 0; i < seen->n; i++)
    if (strcmp(seen->v[i], label) == 0) return;
  VEC_PUSH(seen->v, seen->n, seen->cap, xstrdup(label));
  char said[512];   /* the label begins the item: a capital */
  snprintf(said, sizeof said, "%s", label);
  if (said[0] >= 'a' && said[0] <= 'z') said[0] = (char)(said[0] - 'a' + 'A');
  fputs("<li>", f);
  markup_escape(f, said);
  fputs(": <ul class=\"bronnen\">\n", f);
  Texts own = {0};   /* each of its sources once, also when cited above */
  cite_items(f, source, &own);
  for (size_t i = 0; i < own.n; i++) free((char *)own.v[i]);
  free(own.v);
  fputs("</ul></li>\n", f);
}

/* ---- the page ---- */

static const char STYLE[] =
  "@page{size:A4;margin:22mm 20mm}"
  "body{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11pt;line-height:1.5;color:#111;max-width:46em;"
  "margin:2em auto;padding:0 1em}"
  "h1{font-size:17pt;margin:1.2em 0 .6em}h2{font-size:12.5pt;margin:1.4em 0 .3em}"
  ".kop{display:flex;justify-content:space-between;border-bottom:2px solid #1d4f91;padding-bottom:.5em}"
  ".afzender{font-weight:bold;color:#1d4f91;font-size:14pt}.kenmerk{text-align:right;font-size:10pt}"
  "table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #999;padding:.25em .5em}"
  "th{background:#e8eef7;text-align:left}td.bedrag{text-align:right;white-space:nowrap}"
  "tr.totaal td{font-weight:bold;border-top:2px solid #333}.noot{font-size:9.5pt}"
  ".uitkomst{border-left:4px solid #1d4f91;padding:.3em .8em;background:#f4f7fb}"
  "a{color:#1d4f91}footer{margin-top:2em;font-size:8.5pt;color:#555;border-top:1px solid #ccc}"
  "@media print{body{margin:0;max-width:none}a{color:#111}h2{break-after:avoid}tr{break-inside:avoid}}";

static void money(FILE *f, int64_t cents) {
  char b[64];
  nlh_money(cents, b, sizeof b);
  markup_escape(f, b);
}

static void date_long(FILE *f, int64_t day) {
  char b[64];
  nlh_date_long(day, b, sizeof b);
  markup_escape(f, b);
}

/* The label of an enum column's value (letter_supported made sure there is one). */
static const char *choice(const Chunk *c, const ExplainRun *run, int col) {
  if (col < 0) return NULL;
  return schema_enum_label(&c->schema.enums[c->outputs[col].type.ref], (uint32_t)run->outputs[col].i);
}

/* The member name of an enum column's value: what the letter's wording depends on. */
static const char *member(const Chunk *c, const ExplainRun *run, int col) {
  const EnumType *et = &c->schema.enums[c->outputs[col].type.ref];
  uint32_t k = (uint32_t)run->outputs[col].i;
  return k < et->nmembers ? et->members[k] : "";
}

/* A date input field of the dossier (the day the repair was computed), or INT64_MIN. */
static int64_t input_date(const Chunk *c, const Record *rec, const char *name) {
  if (!rec || c->schema.input < 0) return INT64_MIN;
  const RecordType *rt = &c->schema.records[c->schema.input];
  int k = schema_field_index(rt, name, strlen(name));
  return k >= 0 && rt->fields[k].type.kind == VK_DATE ? rec->fields[k].i : INT64_MIN;
}

static void month_table(FILE *f, const Months *ms) {
  fputs("<table><tr><th>Maand</th><th>Betaald</th><th>Had moeten zijn</th><th>Verschil</th></tr>\n", f);
  int64_t paid = 0, due = 0;
  bool recomputed = false;
  for (size_t i = 0; i < ms->n; i++) {
    const Month *m = &ms->v[i];
    char name[64];
    nlh_month(m->lo, name, sizeof name);
    fprintf(f, "<tr><td>%s%s</td><td class=\"bedrag\">", name, m->found == 0 ? " *" : "");
    recomputed |= m->found == 0;
    if (m->has_paid) money(f, m->paid);
    fputs("</td><td class=\"bedrag\">", f);
    if (m->has_due) money(f, m->due);
    fputs("</td><td class=\"bedrag\">", f);
    if (m->has_paid && m->has_due) money(f, m->due - m->paid);
    fputs("</td></tr>\n", f);
    paid += m->paid;
    due += m->due;
  }
  fputs("<tr class=\"totaal\"><td>Totaal</td><td class=\"bedrag\">", f);
  money(f, paid);
  fputs("</td><td class=\"bedrag\">", f);
  money(f, due);
  fputs("</td><td class=\"bedrag\">", f);
  money(f, due - paid);
  fputs("</td></tr></table>\n", f);
  fputs("<p class=\"noot\">Een bedrag is bruto: vóór belasting en premies.", f);
  if (recomputed)
    fputs(" * Over deze maand vonden wij geen betaling. Wij hebben berekend wat u kreeg met het dagloon in ons besluit.",
          f);
  fputs("</p>\n", f);
}

void letter_write(const Chunk *c, const Trace *t, const ExplainRun *run, FILE *f) {
  int col[COL__COUNT];
  for (int k = 0; k < COL__COUNT; k++) col[k] = find_column(c, (Col)k);
  const Value *v = run->outputs;
  int64_t decided = v[col[COL_DECIDED]].i, correct = v[col[COL_CORRECT]].i;
  const char *dir = member(c, run, col[COL_DIRECTION]);
  Period period = v[col[COL_PERIOD]].per;
  int64_t from = v[col[COL_CORRECTED_FROM]].i;

  fputs("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>Wij hebben uw uitkering opnieuw berekend</title>\n<style>",
        f);
  fputs(STYLE, f);
  fputs("</style></head><body>\n<div class=\"kop\"><div class=\"afzender\">UWV</div><div class=\"kenmerk\">Kenmerk: ", f);
  markup_escape(f, run->id);
  int64_t computed = input_date(c, run->record, "rekendatum");
  if (computed != INT64_MIN) {
    fputs("<br>Berekend op: ", f);
    date_long(f, computed);
  }
  fputs("</div></div>\n<h1>Wij hebben uw uitkering opnieuw berekend</h1>\n<p>Beste meneer, mevrouw,</p>\n", f);

  /* why this letter */
  const char *benefit = choice(c, run, col[COL_BENEFIT]);
  const char *action = choice(c, run, col[COL_ACTION]);
  fputs("<p>Wij hebben uw ", f);
  markup_escape(f, benefit ? benefit : "uitkering");
  fputs(" opnieuw berekend.", f);
  if (action) {
    fputs(" Wij onderzoeken uitkeringen waarbij het kan gaan om ", f);
    markup_escape(f, action);
    fputs(".", f);
  }
  fputs(" In deze brief leest u wat wij hebben gevonden en wat dit voor u betekent.</p>\n", f);

  /* what was decided, and what it should have been */
  fputs("<h2>Wat wij eerder besloten</h2>\n<p>In ons besluit stond een dagloon van ", f);
  money(f, decided);
  fputs(". Het dagloon is het bedrag per dag waarmee wij uw uitkering berekenen.</p>\n", f);
  fputs("<h2>Wat het dagloon had moeten zijn</h2>\n<p>", f);
  if (strcmp(dir, "juist") == 0) {
    fputs("Het dagloon in ons besluit klopt: ", f);
    money(f, correct);
    fputs(".", f);
  } else {
    fputs("Het dagloon had ", f);
    money(f, correct);
    fputs(" moeten zijn. Dat is ", f);
    money(f, correct > decided ? correct - decided : decided - correct);
    fputs(correct > decided ? " meer" : " minder", f);
    fputs(" dan in ons besluit.", f);
  }
  const char *cause = choice(c, run, col[COL_CAUSE]);
  if (cause && strcmp(dir, "juist") != 0) {
    fputs(" De oorzaak is ", f);
    markup_escape(f, cause);
    fputs(".", f);
  }
  fputs("</p>\n<p>Dit staat in:</p>\n<ul>\n", f);
  Texts seen = {0};
  int rule = (int)c->outputs[col[COL_CORRECT]].index;
  if (c->outputs[col[COL_CORRECT]].from == OUT_RULE) cite_items(f, c->protos[rule].source, &seen);
  for (size_t i = 0; i < t->n; i++) {   /* the exceptions that applied, the versions of labelled rules chosen */
    const TraceEvent *e = &t->ev[i];
    if (e->kind != TRACE_POINT || e->then || e->index >= c->ncovers) continue;
    const CoverPoint *cp = &c->covers[e->index];
    if (cp->kind == COVER_EXCEPTION) labelled_item(f, cp->reader_label, cp->source, &seen);
    else if (cp->kind == COVER_VERSION && cp->rule < c->nprotos && c->protos[cp->rule].label)
      labelled_item(f, c->protos[cp->rule].label, cp->source, &seen);
  }
  fputs("</ul>\n", f);
  for (size_t i = 0; i < seen.n; i++) free((char *)seen.v[i]);
  free(seen.v);

  /* per month */
  Months ms = {0};
  collect_months(c, t, period, &ms);
  fputs("<h2>Wat u kreeg en wat u had moeten krijgen</h2>\n<p>Wij hebben ", f);
  fprintf(f, "%zu maand%s opnieuw berekend: van ", ms.n, ms.n == 1 ? "" : "en");
  date_long(f, period.lo);
  fputs(" tot en met ", f);
  date_long(f, period.hi);
  fputs(".</p>\n", f);
  month_table(f, &ms);
  free(ms.v);

  /* what the person gets */
  fputs("<h2>Wat dit voor u betekent</h2>\n<div class=\"uitkomst\">", f);
  if (strcmp(dir, "te_laag") == 0) {
    fputs("<p>U kreeg te weinig. Daarom krijgt u een eenmalige vergoeding van <b>", f);
    money(f, v[col[COL_COMPENSATION]].i);
    fputs("</b> (bruto).</p>", f);
  } else if (strcmp(dir, "te_hoog") == 0) {
    fputs("<p>U kreeg te veel: in totaal <b>", f);
    money(f, v[col[COL_NOT_RECOVERED]].i);
    fputs("</b>. <b>Dit hoeft u niet terug te betalen.</b> Wij vragen dit geld niet terug.</p>", f);
  } else {
    fputs("<p>U kreeg het juiste bedrag. U krijgt geen vergoeding en u hoeft niets terug te betalen.</p>", f);
  }
  fputs("</div>\n", f);

  /* from when */
  if (strcmp(dir, "juist") != 0) {
    fputs("<h2>Vanaf wanneer klopt uw uitkering?</h2>\n<p>", f);
    if (period.hi + 1 < from) {
      fputs("Uw uitkering is gestopt na ", f);
      date_long(f, period.hi);
      fputs(". Er verandert daarom niets aan wat u nu krijgt.", f);
    } else {
      fputs("Vanaf ", f);
      date_long(f, from);
      fputs(" berekenen wij uw uitkering met het juiste dagloon. Heeft u dan nog een uitkering? Dan krijgt u vanaf "
            "die dag het juiste bedrag.",
            f);
    }
    fputs("</p>\n", f);
  }

  /* objection */
  fputs("<h2>Bent u het niet eens met deze brief?</h2>\n<p>Dan kunt u bezwaar maken. Doe dat binnen 6 weken na de "
        "datum van deze brief. Dat staat in <a href=\"https://wetten.overheid.nl/jci1.3:c:BWBR0005537&amp;artikel=6:7\">"
        "de Algemene wet bestuursrecht, artikel 6:7</a>.</p>\n<p>Zet in uw bezwaar:</p>\n<ul><li>uw naam en adres</li>"
        "<li>de datum</li><li>het kenmerk van deze brief</li><li>waarom u het niet eens bent</li><li>uw handtekening</li>"
        "</ul>\n<p>Heeft u vragen? Neem dan contact met ons op.</p>\n<p>Met vriendelijke groet,<br>UWV</p>\n",
        f);
  fputs("<footer><p>Deze brief is gemaakt met dagloon ", f);
  markup_escape(f, run->engine ? run->engine : "");
  fputs(". De berekening per stap staat in de uitleg bij deze brief.</p></footer>\n</body></html>\n", f);
}

bool letter_file_name(const char *id, const char *ext, char *buf, size_t cap) {
  static const char hex[] = "0123456789ABCDEF";
  size_t k = 0, n = strlen(id);
  if (n == 0 || n > 80 || cap < 3 * n + strlen(ext) + 1) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)id[i];
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
      buf[k++] = (char)ch;
    } else {
      buf[k++] = '%';
      buf[k++] = hex[ch >> 4];
      buf[k++] = hex[ch & 15];
    }
  }
  strcpy(buf + k, ext);
  return true;
}
