/*
** explain_html.c: the explanation of one dossier as one self-contained
** Dutch HTML page (no scripts, no network) that a caseworker can hand to a
** citizen: the outcome, the dossier's own data (lists such as the wage per
** tijdvak as tables), the values per tijdvak of every rule asked per
** period (which months count, which were left out and why; for a repair
** run what was due and what was paid per month), the table values and
** revisions used with their dates and sources, and how each outcome was
** computed, every step citing its article with a link to
** wetten.overheid.nl or the ruling on uitspraken.rechtspraak.nl.
**
** Amounts read "€ 1.234,56", dates "23-01-2020", numbers with a decimal
** comma.
*/
#include "tools/explain.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/table.h"
#include "tools/explain_tree.h"
#include "tools/markup.h"
#include "tools/nl_html.h"

/* ---- the tree as nested lists ---- */

static const char *status_word(uint8_t st) {
  switch (st) {
  case ROW_STATED: return "bevestigd";
  case ROW_DERIVED: return "afgeleid";
  default: return "niet bevestigd";
  }
}

static void html_node(FILE *f, const Tree *tr, const ExplainRun *run, size_t id) {
  const Chunk *c = tr->c;
  const Node *nd = &tr->nodes[id];
  const TraceEvent *e = &tr->t->ev[nd->ev];
  fputs("<li>", f);
  switch (nd->kind) {
  case N_RULE: {
    const Proto *p = &c->protos[e->index];
    if (nd->end == SIZE_MAX) {
      fputs("<span class=\"fout\">geen uitkomst: ", f);
      markup_escape(f, run->error ? run->error->msg : "fout");
      fputs("</span>", f);
    } else {
      fputs("<b>", f);
      nlh_put_value(f, c, p->result, tr->t->ev[nd->end].v);
      fputs("</b>", f);
    }
    fputs(" \xE2\x80\x94 ", f);
    nlh_named(f, p->name, p->label);
    if (p->nparams) {
      fputs(" (", f);
      for (uint16_t j = 0; j < p->nparams; j++) {
        if (j) fputs(", ", f);
        if (p->regtypes[j].kind == VK_RECORD) fputs("\xE2\x80\xA6", f);
        else nlh_put_value(f, c, p->regtypes[j], tr->t->argbuf[e->args + j]);
      }
      fputs(")", f);
    }
    if (nd->shown_before) fputs(" <span class=\"zie\">(zie hierboven)</span>", f);
    else if (*p->source) {
      fputs(" <span class=\"bron\">", f);
      nlh_cite(f, p->source);
      fputs("</span>", f);
    }
    const ChunkNative *cn = nd->shown_before ? NULL : chunk_native_of(c, e->index);
    if (cn) {   /* computed by C code: which (its library's sha256 is in the receipt) */
      fputs(" <span class=\"bron\">berekend door C-functie ", f);
      markup_escape(f, cn->symbol);
      fputs(" uit ", f);
      markup_escape(f, cn->library);
      fputs("</span>", f);
    }
    break;
  }
  case N_USE:
    fputs("<b>", f);
    nlh_put_value(f, c, e->type, e->v);
    fputs("</b> \xE2\x80\x94 ", f);
    nlh_named(f, c->protos[e->index].name, c->protos[e->index].label);
    fputs(" <span class=\"zie\">(zie hierboven)</span>", f);
    break;
  case N_INPUT: {
    char field[256];
    TypeRef t;
    Value x;
    ex_input_read(c, e, field, sizeof field, &t, &x);
    fputs("<b>", f);
    if (t.kind == VK_LIST) fprintf(f, "%" PRIu32 " regels", x.list ? x.list->n : 0);
    else nlh_put_value(f, c, t, x);
    fputs("</b> \xE2\x80\x94 uit uw gegevens: ", f);
    nlh_words(f, field);
    break;
  }
  case N_ROW: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = ex_row(c, e);
    fputs("<b>", f);
    if (row && !row->unknown) nlh_put_value(f, c, t->valtype, row->value);
    else fputs("onbekend", f);
    fputs("</b> \xE2\x80\x94 tabel ", f);
    nlh_words(f, t->name);
    if (row) {
      char d[32];
      if (t->kind == TABLE_BY_DATE) {
        nlh_date(row->key, d, sizeof d);
        fprintf(f, ", geldig vanaf %s", d);
      }
      fprintf(f, " (%s) <span class=\"bron\">", status_word(row->status));
      nlh_cite(f, row->source);
      fputs("</span>", f);
    }
    break;
  }
  case N_ROUND: {
    char u[96], x[160];
    ex_unit(e, u, sizeof u);
    fputs("<b>", f);
    nlh_put_value(f, c, e->places ? (TypeRef){VK_DEC, 0, 0} : (TypeRef){VK_MONEY, 0, 0}, e->w);
    fprintf(f, "</b> \xE2\x80\x94 afgerond op %s (%s)", e->unit ? u : "cent", ex_method_word[e->method % ROUND__COUNT]);
    if (e->unit) {
      nlh_dec(e->v.dec, x, sizeof x);
      fputs(" van ", f);
      markup_escape(f, x);
    }
    break;
  }
  case N_REVISE: {
    char d1[32], d2[32];
    nlh_date(e->after, d1, sizeof d1);
    nlh_date(e->through, d2, sizeof d2);
    fputs("<b>", f);
    nlh_put_value(f, c, (TypeRef){VK_MONEY, 0, 0}, e->w);
    fputs("</b> \xE2\x80\x94 ", f);
    nlh_put_value(f, c, (TypeRef){VK_MONEY, 0, 0}, e->v);
    fprintf(f, " herzien met de tabel ");
    nlh_words(f, c->tables[e->index].name);
    fprintf(f, " voor de herzieningen na %s tot en met %s%s", d1, d2, nd->nkids ? "" : " (geen in die tijd)");
    break;
  }
  case N_STEP: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = ex_row(c, e);
    fputs("<b>", f);
    nlh_put_value(f, c, (TypeRef){VK_MONEY, 0, 0}, e->w);
    fputs("</b> \xE2\x80\x94 ", f);
    if (row) {
      char d[32];
      nlh_date(row->key, d, sizeof d);
      nlh_put_value(f, c, t->valtype, row->value);
      fprintf(f, "%% per %s op ", d);
      nlh_put_value(f, c, (TypeRef){VK_MONEY, 0, 0}, e->v);
      fprintf(f, " (%s) <span class=\"bron\">", status_word(row->status));
      nlh_cite(f, row->source);
      fputs("</span>", f);
    }
    break;
  }
  case N_VERSION: {
    const CoverPoint *cp = &c->covers[e->index];
    fputs("gekozen: ", f);
    markup_escape(f, cp->label);
    if (cp->reg >= 0) {
      char d[32];
      nlh_date(e->v.i, d, sizeof d);
      fprintf(f, ", want de peildatum is %s", d);
    }
    fputs(" <span class=\"bron\">", f);
    nlh_cite(f, cp->source);
    fputs("</span>", f);
    break;
  }
  case N_EXCEPTION:
  case N_NO_EXCEPTION: {
    const CoverPoint *cp = &c->covers[e->index];
    markup_escape(f, cp->label);
    if (cp->reader_label) {   /* "uitzondering loonloze_maanden (maanden zonder loon tellen niet mee)" */
      fputs(" (", f);
      markup_escape(f, cp->reader_label);
      fputs(")", f);
    }
    fputs(nd->kind == N_EXCEPTION ? " <b>is van toepassing</b>" : " is niet van toepassing", f);
    fputs(" <span class=\"bron\">", f);
    nlh_cite(f, cp->source);
    fputs("</span>", f);
    break;
  }
  case N_AS_KNOWN: {
    char d[32];
    nlh_date(e->v.i, d, sizeof d);
    fprintf(f, "<b>zoals bekend op %s</b> \xE2\x80\x94 met de gegevens die toen bekend waren", d);
    break;
  }
  case N_LEFT_OUT: {
    char why[160];
    ex_left_out_reason(e, why, sizeof why);
    fprintf(f, "<b>weggelaten</b> \xE2\x80\x94 regel %u van de lijst: ", e->index + 1);
    markup_escape(f, why);
    break;
  }
  }
  if (nd->times > 1) fprintf(f, " <span class=\"zie\">(%" PRIu32 " keer)</span>", nd->times);
  if (nd->nkids) {
    fputs("<ul>", f);
    for (size_t k = 0; k < nd->nkids; k++) html_node(f, tr, run, nd->kids[k]);
    fputs("</ul>", f);
  }
  fputs("</li>\n", f);
}

/* ---- the sections ---- */

/* The dossier's own data: single fields in one table, each list of records in a table of its own. */
static void section_data(FILE *f, const Chunk *c, const Record *rec) {
  const RecordType *rt = &c->schema.records[c->schema.input];
  fputs("<section id=\"gegevens\"><h2>Uw gegevens</h2>\n<table class=\"kv\">\n", f);
  for (uint32_t i = 0; i < rt->nfields; i++) {
    const FieldDesc *fd = &rt->fields[i];
    if (fd->type.kind == VK_LIST && !fd->optional) continue;
    fputs("<tr><th>", f);
    nlh_named(f, fd->name, fd->label);
    fputs("</th><td>", f);
    const List *opt = fd->optional ? rec->fields[i].list : NULL;
    if (fd->optional && (!opt || opt->n == 0)) fputs("niet gegeven", f);
    else if (fd->optional) nlh_put_value(f, c, opt->elem, opt->items[0]);
    else nlh_put_value(f, c, fd->type, rec->fields[i]);
    fputs("</td></tr>\n", f);
  }
  fputs("</table>\n", f);
  for (uint32_t i = 0; i < rt->nfields; i++) {
    const FieldDesc *fd = &rt->fields[i];
    if (fd->type.kind != VK_LIST || fd->optional) continue;
    const List *l = rec->fields[i].list;
    fputs("<h3>", f);
    nlh_named(f, fd->name, fd->label);
    fprintf(f, " (%" PRIu32 ")</h3>\n", l ? l->n : 0);
    if (!l || l->n == 0) continue;
    fputs("<div class=\"breed\"><table class=\"lijst\"><tr>", f);
    if (fd->type.elem == VK_RECORD) {
      const RecordType *et = &c->schema.records[fd->type.ref];
      for (uint32_t k = 0; k < et->nfields; k++) {
        fputs("<th>", f);
        nlh_named(f, et->fields[k].name, et->fields[k].label);
        fputs("</th>", f);
      }
      fputs("</tr>\n", f);
      for (uint32_t j = 0; j < l->n; j++) {
        fputs("<tr>", f);
        const Record *r = l->items[j].rec;
        for (uint32_t k = 0; k < et->nfields; k++) {
          const FieldDesc *ef = &et->fields[k];
          fputs("<td>", f);
          const List *opt = ef->optional ? r->fields[k].list : NULL;
          if (ef->optional && (!opt || opt->n == 0)) fputs("\xE2\x80\x94", f);
          else if (ef->optional) nlh_put_value(f, c, opt->elem, opt->items[0]);
          else if (ef->type.kind == VK_LIST) fprintf(f, "%" PRIu32 " regels", r->fields[k].list ? r->fields[k].list->n : 0);
          else nlh_put_value(f, c, ef->type, r->fields[k]);
          fputs("</td>", f);
        }
        fputs("</tr>\n", f);
      }
    } else {
      fputs("<th>waarde</th></tr>\n", f);
      for (uint32_t j = 0; j < l->n; j++) {
        fputs("<tr><td>", f);
        nlh_put_value(f, c, (TypeRef){fd->type.elem, 0, fd->type.ref}, l->items[j]);
        fputs("</td></tr>\n", f);
      }
    }
    fputs("</table></div>\n", f);
  }
  fputs("</section>\n", f);
}

/* Rules asked per period (one periode parameter): a row per period, a column per rule. */
typedef struct Cell {
  int64_t lo, hi;
  uint32_t rule;
  size_t ev;          /* the TRACE_VALUE */
} Cell;

static int cell_cmp(const void *a, const void *b) {
  const Cell *x = a, *y = b;
  if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
  if (x->hi != y->hi) return x->hi < y->hi ? -1 : 1;
  return 0;
}

static void section_periods(FILE *f, const Tree *tr) {
  const Chunk *c = tr->c;
  const Trace *t = tr->t;
  Cell *cells = NULL;
  size_t ncells = 0, capcells = 0;
  uint32_t *cols = NULL;
  size_t ncols = 0, capcols = 0;
  for (size_t i = 0; i < t->n; i++) {
    const TraceEvent *e = &t->ev[i];
    if (e->kind != TRACE_RULE || tr->match[i] == SIZE_MAX) continue;
    const Proto *p = &c->protos[e->index];
    if (p->nparams != 1 || p->regtypes[0].kind != VK_PERIOD) continue;
    Period per = t->argbuf[e->args].per;
    bool dup = false;
    for (size_t k = 0; k < ncells && !dup; k++)
      dup = cells[k].rule == e->index && cells[k].lo == per.lo && cells[k].hi == per.hi;
    if (dup) continue;
    VEC_PUSH(cells, ncells, capcells, ((Cell){per.lo, per.hi, e->index, tr->match[i]}));
    bool known = false;
    for (size_t k = 0; k < ncols && !known; k++) known = cols[k] == e->index;
    if (!known) VEC_PUSH(cols, ncols, capcols, e->index);
  }
  if (ncells) {
    qsort(cells, ncells, sizeof *cells, cell_cmp);
    fputs("<section id=\"tijdvakken\"><h2>Per tijdvak</h2>\n"
          "<p>Wat de regels per tijdvak hebben vastgesteld.</p>\n<div class=\"breed\"><table class=\"lijst\"><tr><th>tijdvak</th>",
          f);
    for (size_t k = 0; k < ncols; k++) {
      fputs("<th>", f);
      nlh_named(f, c->protos[cols[k]].name, c->protos[cols[k]].label);
      fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t i = 0; i < ncells;) {
      size_t j = i;
      while (j < ncells && cells[j].lo == cells[i].lo && cells[j].hi == cells[i].hi) j++;
      fputs("<tr><td>", f);
      nlh_put_value(f, c, (TypeRef){VK_PERIOD, 0, 0}, (Value){.per = {cells[i].lo, cells[i].hi}});
      fputs("</td>", f);
      for (size_t k = 0; k < ncols; k++) {
        fputs("<td>", f);
        for (size_t q = i; q < j; q++)
          if (cells[q].rule == cols[k]) nlh_put_value(f, c, c->protos[cols[k]].result, t->ev[cells[q].ev].v);
        fputs("</td>", f);
      }
      fputs("</tr>\n", f);
      i = j;
    }
    fputs("</table></div>\n<ul class=\"bronnen\">", f);
    for (size_t k = 0; k < ncols; k++) {
      const Proto *p = &c->protos[cols[k]];
      fputs("<li>", f);
      nlh_named(f, p->name, p->label);
      if (*p->source) {
        fputs(": ", f);
        nlh_cite(f, p->source);
      }
      fputs("</li>", f);
    }
    fputs("</ul></section>\n", f);
  }
  xfree(cells);
  xfree(cols);
}

/* Every table row looked up and every revision applied, with its date, status and source. */
static void section_tables(FILE *f, const Tree *tr) {
  const Chunk *c = tr->c;
  const Trace *t = tr->t;
  uint64_t *seen = NULL;
  size_t nseen = 0, capseen = 0;
  bool any = false;
  for (size_t i = 0; i < t->n; i++) {
    const TraceEvent *e = &t->ev[i];
    if (e->kind != TRACE_ROW && e->kind != TRACE_STEP) continue;
    uint64_t key = ((uint64_t)e->index << 32) | e->row;
    bool dup = false;
    for (size_t k = 0; k < nseen && !dup; k++) dup = seen[k] == key;
    if (dup) continue;
    VEC_PUSH(seen, nseen, capseen, key);
    const Table *tb = &c->tables[e->index];
    const TableRow *row = ex_row(c, e);
    if (!row) continue;
    if (!any) {
      fputs("<section id=\"tabellen\"><h2>Gebruikte tabelwaarden</h2>\n<div class=\"breed\"><table class=\"lijst\">"
            "<tr><th>tabel</th><th>geldig vanaf</th><th>waarde</th><th>status</th><th>bron</th></tr>\n",
            f);
      any = true;
    }
    char d[32] = "";
    fputs("<tr><td>", f);
    nlh_words(f, tb->name);
    fputs("</td><td>", f);
    if (tb->kind == TABLE_BY_DATE) nlh_date(row->key, d, sizeof d);
    else ex_row_key(c, tb, row, d, sizeof d);
    markup_escape(f, d);
    fputs("</td><td>", f);
    if (row->unknown) fputs("onbekend", f);
    else {
      nlh_put_value(f, c, tb->valtype, row->value);
      if (e->kind == TRACE_STEP) fputs(" %", f);
    }
    fprintf(f, "</td><td class=\"%s\">%s</td><td>", row->status == ROW_UNVERIFIED ? "let-op" : "",
            status_word(row->status));
    nlh_cite(f, row->source);
    fputs("</td></tr>\n", f);
  }
  if (any) fputs("</table></div></section>\n", f);
  xfree(seen);
}

static const char *const style =
  "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;margin:2rem auto;"
  "padding:0 1rem;color:#1a1a1a;line-height:1.45}"
  "h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #154273;padding-bottom:.2rem;"
  "margin-top:2rem;color:#154273}h3{font-size:1.05rem}"
  ".meta{color:#555}table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.3rem .6rem;text-align:left;"
  "vertical-align:top;border-bottom:1px solid #ddd}th{background:#f0f4f8}table.lijst td{white-space:nowrap}"
  "table.uitkomst td.bedrag{font-weight:bold;font-size:1.1rem}.breed{overflow-x:auto}"
  "ul.boom,ul.boom ul{list-style:none;padding-left:1.2rem;border-left:1px dotted #aaa}ul.boom{border:none;padding:0}"
  "ul.boom li{margin:.2rem 0}.bron{color:#555;font-size:.9rem}.zie{color:#777;font-size:.9rem}"
  ".fout{color:#a00;font-weight:bold}.let-op{color:#a05a00;font-weight:bold}a{color:#154273}"
  "details{margin:.5rem 0 1rem}summary{cursor:pointer;font-weight:bold}"
  "@media print{details{display:block}summary{list-style:none}}";

void explain_html(const Tree *tr, const ExplainRun *run, const size_t *roots, FILE *f) {
  const Chunk *c = tr->c;
  fputs("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Uitleg van de berekening \xE2\x80\x94 dossier ",
        f);
  markup_escape(f, run->id);
  fprintf(f, "</title>\n<style>%s</style></head><body>\n", style);
  fputs("<h1>Uitleg van de berekening</h1>\n<p class=\"meta\">Dossier <b>", f);
  markup_escape(f, run->id);
  fputs("</b> \xC2\xB7 berekend met de regels in <code>", f);
  markup_escape(f, run->rules);
  fputs("</code> \xC2\xB7 dagloon ", f);
  markup_escape(f, run->engine);
  fputs("</p>\n<p>Hieronder staat wat er is berekend, met welke gegevens, en op grond van welke artikelen en "
        "uitspraken. Elke bron is een link naar de wettekst of de uitspraak.</p>\n",
        f);

  /* the outcome */
  fputs("<section id=\"uitkomst\"><h2>De uitkomst</h2>\n<table class=\"uitkomst\">\n", f);
  for (uint32_t k = 0; k < c->noutputs; k++) {
    const OutputDesc *d = &c->outputs[k];
    if (d->from == OUT_INPUT) continue;
    fputs("<tr><th>", f);
    nlh_named(f, d->name, nlh_output_label(c, d));
    fputs("</th><td class=\"bedrag\">", f);
    if (run->outputs) nlh_put_value(f, c, d->type, run->outputs[k]);
    else fputs("\xE2\x80\x94", f);
    fputs("</td></tr>\n", f);
  }
  fputs("</table>\n", f);
  if (!run->outputs && run->error) {
    fputs("<p class=\"fout\">De berekening kon niet worden afgemaakt: ", f);
    markup_escape(f, run->error->msg);
    fputs("</p>\n", f);
  }
  if (run->unverified)
    fputs("<p class=\"let-op\">Let op: een of meer tabelwaarden in deze berekening zijn nog niet door een bron "
          "bevestigd (zie Gebruikte tabelwaarden).</p>\n",
          f);
  fputs("</section>\n", f);

  if (run->record) section_data(f, c, run->record);
  section_periods(f, tr);
  section_tables(f, tr);

  /* how each outcome was computed */
  fputs("<section id=\"berekening\"><h2>Hoe het is berekend</h2>\n", f);
  for (uint32_t k = 0; k < c->noutputs; k++) {
    const OutputDesc *d = &c->outputs[k];
    if (d->from == OUT_INPUT || roots[k] == SIZE_MAX) continue;
    fputs("<details open><summary>", f);
    nlh_named(f, d->name, nlh_output_label(c, d));
    if (run->outputs) {
      fputs(": ", f);
      nlh_put_value(f, c, d->type, run->outputs[k]);
    }
    fputs("</summary>\n<ul class=\"boom\">\n", f);
    html_node(f, tr, run, roots[k]);
    fputs("</ul></details>\n", f);
  }
  fputs("</section>\n<footer class=\"meta\"><p>Bedragen in euro; data als dag-maand-jaar. Afronding gebeurt alleen "
        "waar een regel dat zegt, zoals hierboven bij elke stap vermeld.</p></footer>\n</body></html>\n",
        f);
}
