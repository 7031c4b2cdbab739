/*
** explain.c: the trace of one dossier as a tree, written as text or JSON
** (see explain.h; the JSON schema is docs/EXPLAIN.md).
**
** The trace is a flat list of events in execution order. A rule's events
** lie between its TRACE_RULE and the TRACE_VALUE that ends it; a rule
** that failed has no TRACE_VALUE. The tree keeps that nesting; repeated
** reads of the same input field, table row or rule value within one rule
** are merged into one node with a count, so a loop over sixty months does
** not print the same line sixty times.
*/
#include "tools/explain.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/recio.h"
#include "runtime/table.h"

__extension__ typedef unsigned __int128 u128;

/* ---- the tree ---- */

typedef enum NodeKind {
  N_RULE, N_USE, N_INPUT, N_ROW, N_ROUND, N_REVISE, N_STEP, N_VERSION, N_EXCEPTION, N_NO_EXCEPTION
} NodeKind;

typedef struct Node {
  NodeKind kind;
  size_t ev;          /* the event it shows (N_RULE: its TRACE_RULE) */
  size_t end;         /* N_RULE: its TRACE_VALUE, or SIZE_MAX when the rule did not finish (an error) */
  uint32_t times;     /* merged repeats */
  bool shown_before;  /* N_RULE: the same call with the same explanation is shown earlier: say so, not again */
  size_t *kids;
  size_t nkids, capkids;
} Node;

typedef struct Tree {
  const Chunk *c;
  const Trace *t;
  Node *nodes;
  size_t n, cap;
  size_t *match;      /* match[i]: for a TRACE_RULE at i, its TRACE_VALUE, or SIZE_MAX */
  size_t *first;      /* first[r]: the TRACE_RULE of rule r's first evaluation, or SIZE_MAX */
  char **shown;       /* the signatures of the calls shown so far (merge_repeats) */
  size_t nshown, capshown;
} Tree;

static size_t new_node(Tree *tr, NodeKind k, size_t ev) {
  Node nd = {k, ev, SIZE_MAX, 1, false, NULL, 0, 0};
  VEC_PUSH(tr->nodes, tr->n, tr->cap, nd);
  return tr->n - 1;
}

static void add_kid(Tree *tr, size_t parent, size_t kid) {
  Node *p = &tr->nodes[parent];
  VEC_PUSH(p->kids, p->nkids, p->capkids, kid);
}

/* Whether two events show the same fact (the same field, row, rule value or point). */
static bool same_fact(const TraceEvent *a, const TraceEvent *b) {
  if (a->kind != b->kind || a->index != b->index) return false;
  switch (a->kind) {
  case TRACE_INPUT:
  case TRACE_USE:
  case TRACE_POINT: return true;
  case TRACE_ROW: return a->row == b->row;
  default: return false;
  }
}

static NodeKind point_kind(const Chunk *c, uint32_t point) {
  switch (c->covers[point].kind) {
  case COVER_VERSION: return N_VERSION;
  case COVER_EXCEPTION: return N_EXCEPTION;
  default: return N_NO_EXCEPTION;
  }
}

/* The node of the rule evaluation that starts at event `ev`, with everything inside it. */
static size_t build_rule(Tree *tr, size_t ev) {
  const Trace *t = tr->t;
  size_t me = new_node(tr, N_RULE, ev);
  tr->nodes[me].end = tr->match[ev];
  size_t stop = tr->match[ev] == SIZE_MAX ? t->n : tr->match[ev];
  size_t last_revise = SIZE_MAX;
  for (size_t j = ev + 1; j < stop; j++) {
    const TraceEvent *e = &t->ev[j];
    if (e->kind == TRACE_RULE) {
      size_t kid = build_rule(tr, j);
      add_kid(tr, me, kid);
      if (tr->match[j] == SIZE_MAX) break;   /* it failed, and with it this rule */
      j = tr->match[j];
      continue;
    }
    if (e->kind == TRACE_VALUE) continue;   /* cannot happen inside: every RULE has its own VALUE */
    if (e->kind == TRACE_STEP) {
      if (last_revise != SIZE_MAX) add_kid(tr, last_revise, new_node(tr, N_STEP, j));
      continue;
    }
    if (e->kind == TRACE_POINT && tr->c->covers[e->index].kind == COVER_INLINED) continue;
    /* the same field, row, rule value or point again: count it */
    bool merged = false;
    Node *p = &tr->nodes[me];
    for (size_t k = 0; k < p->nkids && !merged; k++) {
      Node *kid = &tr->nodes[p->kids[k]];
      if (kid->kind != N_RULE && same_fact(&t->ev[kid->ev], e)) {
        kid->times++;
        merged = true;
      }
    }
    if (merged) continue;
    NodeKind k = e->kind == TRACE_USE      ? N_USE
                 : e->kind == TRACE_INPUT  ? N_INPUT
                 : e->kind == TRACE_ROW    ? N_ROW
                 : e->kind == TRACE_ROUND  ? N_ROUND
                 : e->kind == TRACE_REVISE ? N_REVISE
                                           : point_kind(tr->c, e->index);
    size_t kid = new_node(tr, k, j);
    add_kid(tr, me, kid);
    if (k == N_REVISE) last_revise = kid;
  }
  return me;
}

static void tree_init(Tree *tr, const Chunk *c, const Trace *t) {
  memset(tr, 0, sizeof *tr);
  tr->c = c;
  tr->t = t;
  tr->match = xmalloc((t->n ? t->n : 1) * sizeof *tr->match);
  tr->first = xmalloc((c->nprotos ? c->nprotos : 1) * sizeof *tr->first);
  for (uint32_t r = 0; r < c->nprotos; r++) tr->first[r] = SIZE_MAX;
  size_t *stack = xmalloc((t->n ? t->n : 1) * sizeof *stack), depth = 0;
  for (size_t i = 0; i < t->n; i++) {
    tr->match[i] = SIZE_MAX;
    if (t->ev[i].kind == TRACE_RULE) {
      stack[depth++] = i;
      if (tr->first[t->ev[i].index] == SIZE_MAX) tr->first[t->ev[i].index] = i;
    } else if (t->ev[i].kind == TRACE_VALUE && depth > 0) {
      tr->match[stack[--depth]] = i;
    }
  }
  free(stack);
}

static void tree_free(Tree *tr) {
  for (size_t i = 0; i < tr->nshown; i++) free(tr->shown[i]);
  free(tr->shown);
  for (size_t i = 0; i < tr->n; i++) free(tr->nodes[i].kids);
  free(tr->nodes);
  free(tr->match);
  free(tr->first);
}

/* ---- words ---- */

static const char *const method_word[ROUND__COUNT] = {"rekenkundig", "naar boven", "naar beneden", "richting nul",
                                                      "weg van nul"};

/*
** A value as text: scalars in their machine form (as in the output CSV), a
** record as its fields ("Loonregel{tijdvak: 2017-01-01/2017-01-31, loon:
** 1600.00}"), a list by its length.
*/
static void fmt_value(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap) {
  if (cap == 0) return;
  buf[0] = 0;
  if (t.kind == VK_LIST) {
    snprintf(buf, cap, "(lijst van %" PRIu32 ")", v.list ? v.list->n : 0);
  } else if (t.kind == VK_RECORD) {
    const RecordType *rt = &c->schema.records[t.ref];
    size_t k = (size_t)snprintf(buf, cap, "%s{", rt->name);
    for (uint32_t f = 0; f < rt->nfields && v.rec && k < cap; f++) {
      char fv[128];
      const FieldDesc *fd = &rt->fields[f];
      const List *opt = fd->optional ? v.rec->fields[f].list : NULL;
      if (fd->optional && (!opt || opt->n == 0)) snprintf(fv, sizeof fv, "niet gegeven");
      else if (fd->optional) fmt_value(c, opt->elem, opt->items[0], fv, sizeof fv);
      else fmt_value(c, fd->type, v.rec->fields[f], fv, sizeof fv);
      k += (size_t)snprintf(buf + k, cap - k, "%s%s: %s", f ? ", " : "", rt->fields[f].name, fv);
    }
    if (k < cap) snprintf(buf + k, cap - k, "}");
  } else if (value_format(&c->schema, t, v, buf, cap) < 0) {
    snprintf(buf, cap, "(%s)", vk_name((ValueKind)t.kind));
  }
}

/* An exact decimal as digits: in full when it ends, else ten decimals and an ellipsis. */
static void fmt_exact(Dec x, char *buf, size_t cap) {
  char tmp[160];
  int n = dec_format(x, tmp, sizeof tmp);
  if (n >= 0 && (size_t)n < sizeof tmp && !strchr(tmp, '/')) {
    snprintf(buf, cap, "%s", tmp);
    return;
  }
  if (x.den <= 0) {
    snprintf(buf, cap, "?");
    return;
  }
  uint64_t mag = x.num < 0 ? -(uint64_t)x.num : (uint64_t)x.num, den = (uint64_t)x.den;
  int k = snprintf(buf, cap, "%s%" PRIu64 ".", x.num < 0 ? "-" : "", mag / den);
  u128 r = mag % den;
  for (int d = 0; d < 10 && k > 0 && (size_t)k + 4 < cap; d++) {
    r *= 10;
    buf[k++] = (char)('0' + (int)(r / den));
    r %= den;
  }
  if (k > 0 && (size_t)k + 4 < cap) snprintf(buf + k, cap - (size_t)k, "\xE2\x80\xA6");   /* … */
}

/* "cent", "euro", "een veelvoud van 2.61", "2 decimalen" */
static void fmt_unit(const TraceEvent *e, char *buf, size_t cap) {
  if (e->places) snprintf(buf, cap, "%" PRId64 " decimale%s", e->unit, e->unit == 1 ? "" : "n");
  else if (e->unit == 1) snprintf(buf, cap, "cent");
  else if (e->unit == 100) snprintf(buf, cap, "euro");
  else {
    char a[32];
    money_format(e->unit, a, sizeof a);
    snprintf(buf, cap, "een veelvoud van %s", a);
  }
}

static void fmt_date(int64_t day, char *buf) { date_format(day, buf); }

static const TableRow *event_row(const Chunk *c, const TraceEvent *e) {
  if (e->index >= c->ntables || e->row >= c->tables[e->index].nrows) return NULL;
  return &c->tables[e->index].rows[e->row];
}

static void fmt_row_key(const Chunk *c, const Table *t, const TableRow *row, char *buf, size_t cap) {
  TypeRef kt = t->kind == TABLE_BY_DATE ? (TypeRef){VK_DATE, 0, 0} : t->keytype;
  fmt_value(c, kt, (Value){.i = row->key}, buf, cap);
}

/* The argument list of a call of a rule with parameters: "(2020-01-01/2020-01-31, 16.3125)". */
static void fmt_args(const Tree *tr, const TraceEvent *e, char *buf, size_t cap) {
  const Proto *p = &tr->c->protos[e->index];
  size_t k = 0;
  buf[0] = 0;
  if (p->nparams == 0) return;
  k += (size_t)snprintf(buf + k, cap - k, "(");
  for (uint16_t j = 0; j < p->nparams && k < cap; j++) {
    char v[512];
    fmt_value(tr->c, p->regtypes[j], tr->t->argbuf[e->args + j], v, sizeof v);
    k += (size_t)snprintf(buf + k, cap - k, "%s%s", j ? ", " : "", v);
  }
  if (k < cap) snprintf(buf + k, cap - k, ")");
}

static void location(const Chunk *c, Span s, char *buf, size_t cap) {
  if (c->nfiles) chunk_location(c, s, buf, cap);
  else snprintf(buf, cap, "?");
}

/* ---- text ---- */

typedef struct TextOut {
  FILE *f;
  const Tree *tr;
  const ExplainRun *run;
} TextOut;

/* One line for a node, without the tree glyphs. */
static void node_line(const Tree *tr, const ExplainRun *run, const Node *nd, char *buf, size_t cap) {
  const Chunk *c = tr->c;
  const TraceEvent *e = &tr->t->ev[nd->ev];
  char v[512], w[160], u[96], loc[320];
  switch (nd->kind) {
  case N_RULE: {
    const Proto *p = &c->protos[e->index];
    char args[1200], src[300] = "";
    fmt_args(tr, e, args, sizeof args);
    location(c, p->span, loc, sizeof loc);
    if (*p->source) snprintf(src, sizeof src, " (bron: %s)", p->source);
    if (nd->end == SIZE_MAX)
      snprintf(buf, cap, "FOUT: %s  \xE2\x86\x90 %s%s%s  [%s]", run->error ? run->error->msg : "geen waarde", p->name, args,
               src, loc);
    else {
      fmt_value(c, p->result, tr->t->ev[nd->end].v, v, sizeof v);
      if (nd->shown_before) snprintf(buf, cap, "%s  \xE2\x86\x90 %s%s (zie boven)", v, p->name, args);
      else snprintf(buf, cap, "%s  \xE2\x86\x90 %s%s%s  [%s]", v, p->name, args, src, loc);
    }
    break;
  }
  case N_USE: {
    const Proto *p = &c->protos[e->index];
    fmt_value(c, e->type, e->v, v, sizeof v);
    snprintf(buf, cap, "%s  \xE2\x86\x90 %s (zie boven)", v, p->name);
    break;
  }
  case N_INPUT: {
    const RecordType *in = &c->schema.records[c->schema.input];
    fmt_value(c, e->type, e->v, v, sizeof v);
    snprintf(buf, cap, "%s  \xE2\x86\x90 invoer %s", v, in->fields[e->index].name);
    break;
  }
  case N_ROW: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = event_row(c, e);
    if (!row) {
      snprintf(buf, cap, "tabel %s: rij %u?", t->name, e->row);
      break;
    }
    char key[64];
    fmt_row_key(c, t, row, key, sizeof key);
    if (row->unknown) snprintf(v, sizeof v, "(onbekend)");
    else fmt_value(c, t->valtype, row->value, v, sizeof v);
    snprintf(buf, cap, "%s  \xE2\x86\x90 tabel %s, rij %s (bron: %s; %s)  [%s:%u]", v, t->name, key, row->source,
             row_status_name((RowStatus)row->status), t->path, row->line);
    break;
  }
  case N_ROUND:
    fmt_exact(e->v.dec, v, sizeof v);
    fmt_value(c, e->places ? (TypeRef){VK_DEC, 0, 0} : (TypeRef){VK_MONEY, 0, 0}, e->w, w, sizeof w);
    fmt_unit(e, u, sizeof u);
    if (e->unit == 0) snprintf(buf, cap, "%s  \xE2\x86\x90 afgerond op cent (%s)", w, method_word[e->method % ROUND__COUNT]);
    else snprintf(buf, cap, "%s  \xE2\x86\x90 afgerond op %s (%s) van %s", w, u, method_word[e->method % ROUND__COUNT], v);
    break;
  case N_REVISE: {
    char d1[16], d2[16];
    fmt_value(c, (TypeRef){VK_MONEY, 0, 0}, e->v, v, sizeof v);
    fmt_value(c, (TypeRef){VK_MONEY, 0, 0}, e->w, w, sizeof w);
    fmt_date(e->after, d1);
    fmt_date(e->through, d2);
    snprintf(buf, cap, "%s  \xE2\x86\x90 herzien met tabel %s: herzieningen na %s t/m %s op %s%s", w,
             c->tables[e->index].name, d1, d2, v, nd->nkids ? "" : " (geen herziening in die tijd)");
    break;
  }
  case N_STEP: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = event_row(c, e);
    char key[64] = "?", pct[64] = "?";
    if (row) {
      fmt_row_key(c, t, row, key, sizeof key);
      fmt_value(c, t->valtype, row->value, pct, sizeof pct);
    }
    fmt_value(c, (TypeRef){VK_MONEY, 0, 0}, e->v, v, sizeof v);
    fmt_value(c, (TypeRef){VK_MONEY, 0, 0}, e->w, w, sizeof w);
    snprintf(buf, cap, "%s  \xE2\x86\x90 %s %% per %s van %s, op hele centen (bron: %s; %s)", w, pct, key, v,
             row ? row->source : "?", row ? row_status_name((RowStatus)row->status) : "?");
    break;
  }
  case N_VERSION: {
    const CoverPoint *cp = &c->covers[e->index];
    char d[16] = "?";
    if (cp->reg >= 0) fmt_date(e->v.i, d);
    location(c, cp->span, loc, sizeof loc);
    snprintf(buf, cap, "%s gekozen: peildatum %s%s%s%s  [%s]", cp->label, d, *cp->source ? " (bron: " : "", cp->source,
             *cp->source ? ")" : "", loc);
    break;
  }
  case N_EXCEPTION:
  case N_NO_EXCEPTION: {
    const CoverPoint *cp = &c->covers[e->index];
    location(c, cp->span, loc, sizeof loc);
    snprintf(buf, cap, "%s %s%s%s%s  [%s]", cp->label, nd->kind == N_EXCEPTION ? "is van toepassing" : "is niet van toepassing",
             *cp->source ? " (bron: " : "", cp->source, *cp->source ? ")" : "", loc);
    break;
  }
  }
  if (nd->times > 1) {
    size_t k = strlen(buf);
    snprintf(buf + k, cap - k, "  (%" PRIu32 " keer)", nd->times);
  }
}

static void text_node(TextOut *o, size_t id, const char *prefix, bool last) {
  const Node *nd = &o->tr->nodes[id];
  char line[2048];
  node_line(o->tr, o->run, nd, line, sizeof line);
  fprintf(o->f, "%s%s%s\n", prefix, last ? "\xE2\x94\x94\xE2\x94\x80 " : "\xE2\x94\x9C\xE2\x94\x80 ", line);
  char sub[1024];
  snprintf(sub, sizeof sub, "%s%s", prefix, last ? "   " : "\xE2\x94\x82  ");
  for (size_t k = 0; k < nd->nkids; k++) text_node(o, nd->kids[k], sub, k + 1 == nd->nkids);
}

static void text_write(const Tree *tr, const ExplainRun *run, size_t *roots, FILE *f) {
  const Chunk *c = tr->c;
  TextOut o = {f, tr, run};
  fprintf(f, "dossier %s (%s, regel %" PRIu64 ") met de regels van %s\n", run->id, run->input, run->line, run->rules);
  for (uint32_t k = 0; k < c->noutputs; k++) {
    const OutputDesc *d = &c->outputs[k];
    char v[512] = "(geen waarde)";
    if (run->outputs) fmt_value(c, d->type, run->outputs[k], v, sizeof v);
    else if (d->from == OUT_INPUT && run->record) fmt_value(c, d->type, run->record->fields[d->index], v, sizeof v);
    fprintf(f, "\n%s = %s\n", d->name, v);
    if (d->from == OUT_INPUT) {
      fprintf(f, "\xE2\x94\x94\xE2\x94\x80 %s  \xE2\x86\x90 invoer %s\n", v, c->schema.records[c->schema.input].fields[d->index].name);
      continue;
    }
    if (roots[k] == SIZE_MAX) {
      fprintf(f, "\xE2\x94\x94\xE2\x94\x80 (niet berekend: de berekening stopte eerder)\n");
      continue;
    }
    const Node *root = &tr->nodes[roots[k]];
    char line[2048];
    node_line(tr, run, root, line, sizeof line);
    fprintf(f, "%s\n", line);
    for (size_t j = 0; j < root->nkids; j++) text_node(&o, root->kids[j], "", j + 1 == root->nkids);
  }
  if (!run->outputs && run->error) fprintf(f, "\nfout: %s\n", run->error->msg);
  if (run->unverified)
    fprintf(f, "\nlet op: %" PRIu64 " opzoeking%s in een tabelrij met status 'unverified' (niet bevestigd door een bron)\n",
            run->unverified, run->unverified == 1 ? "" : "en");
  if (tr->t->truncated) fprintf(f, "\nlet op: de uitleg is ingekort (meer dan %zu stappen)\n", tr->t->n);
}

/* ---- merging repeated calls ---- */

typedef struct Sig {
  char *p;
  size_t n, cap;
} Sig;

static void sig_add(Sig *s, const char *text) {
  size_t len = strlen(text);
  vec_reserve((void **)&s->p, &s->cap, s->n + len + 2, 1);
  memcpy(s->p + s->n, text, len);
  s->n += len;
  s->p[s->n++] = '\n';
  s->p[s->n] = 0;
}

/* A node and everything under it as text: equal texts are the same explanation. */
static void signature(const Tree *tr, const ExplainRun *run, size_t id, Sig *s) {
  char line[2048];
  node_line(tr, run, &tr->nodes[id], line, sizeof line);
  sig_add(s, line);
  sig_add(s, "{");
  for (size_t k = 0; k < tr->nodes[id].nkids; k++) signature(tr, run, tr->nodes[id].kids[k], s);
  sig_add(s, "}");
}

/*
** Calls of a rule with parameters that come out the same in every detail
** (a helper asked the same question for each wage line) are shown once,
** with the number of times.
*/
static void merge_repeats(Tree *tr, const ExplainRun *run, size_t id) {
  Node *nd = &tr->nodes[id];
  for (size_t k = 0; k < nd->nkids; k++) merge_repeats(tr, run, tr->nodes[id].kids[k]);
  nd = &tr->nodes[id];
  char **sigs = xcalloc(nd->nkids ? nd->nkids : 1, sizeof *sigs);
  size_t keep = 0;
  size_t *kept = xmalloc((nd->nkids ? nd->nkids : 1) * sizeof *kept);
  for (size_t k = 0; k < nd->nkids; k++) {
    size_t kid = nd->kids[k];
    char *sg = NULL;
    if (tr->nodes[kid].kind == N_RULE && tr->nodes[kid].nkids) {
      Sig s = {NULL, 0, 0};
      signature(tr, run, kid, &s);
      sg = s.p;
      bool merged = false;
      for (size_t j = 0; j < keep && !merged; j++)
        if (sigs[j] && strcmp(sigs[j], sg) == 0) {
          tr->nodes[kept[j]].times++;
          merged = true;
        }
      if (merged) {
        free(sg);
        continue;
      }
    }
    sigs[keep] = sg;
    kept[keep++] = kid;
  }
  if (keep) memcpy(nd->kids, kept, keep * sizeof *kept);
  nd->nkids = keep;
  /* a call explained in full earlier (elsewhere in the tree) is only named here */
  for (size_t j = 0; j < keep; j++) {
    if (!sigs[j]) continue;
    bool seen = false;
    for (size_t q = 0; q < tr->nshown && !seen; q++) seen = strcmp(tr->shown[q], sigs[j]) == 0;
    if (seen) {
      tr->nodes[kept[j]].shown_before = true;
      tr->nodes[kept[j]].nkids = 0;
    } else {
      VEC_PUSH(tr->shown, tr->nshown, tr->capshown, sigs[j]);
      sigs[j] = NULL;
    }
  }
  for (size_t j = 0; j < keep; j++) free(sigs[j]);
  free(sigs);
  free(kept);
}

/* ---- JSON ---- */

static json_t *jstr(const char *s) { return json_string(s ? s : ""); }

static json_t *jvalue(const Chunk *c, TypeRef t, Value v) {
  char buf[256];
  fmt_value(c, t, v, buf, sizeof buf);
  return json_string(buf);
}

static json_t *jtype(const Chunk *c, TypeRef t) {
  char buf[96];
  return json_string(schema_type_name(&c->schema, t, buf, sizeof buf));
}

static json_t *json_node(const Tree *tr, const ExplainRun *run, size_t id) {
  const Chunk *c = tr->c;
  const Node *nd = &tr->nodes[id];
  const TraceEvent *e = &tr->t->ev[nd->ev];
  json_t *o = json_object();
  char buf[320];
  switch (nd->kind) {
  case N_RULE: {
    const Proto *p = &c->protos[e->index];
    json_object_set_new(o, "kind", json_string("rule"));
    json_object_set_new(o, "rule", jstr(p->name));
    json_object_set_new(o, "type", jtype(c, p->result));
    if (nd->end != SIZE_MAX) json_object_set_new(o, "value", jvalue(c, p->result, tr->t->ev[nd->end].v));
    else json_object_set_new(o, "error", jstr(run->error ? run->error->msg : "no value"));
    json_object_set_new(o, "source", jstr(p->source));
    location(c, p->span, buf, sizeof buf);
    json_object_set_new(o, "location", jstr(buf));
    if (p->nparams) {
      json_t *args = json_array();
      for (uint16_t j = 0; j < p->nparams; j++) json_array_append_new(args, jvalue(c, p->regtypes[j], tr->t->argbuf[e->args + j]));
      json_object_set_new(o, "arguments", args);
    }
    break;
  }
  case N_USE:
    json_object_set_new(o, "kind", json_string("rule_used_again"));
    json_object_set_new(o, "rule", jstr(c->protos[e->index].name));
    json_object_set_new(o, "value", jvalue(c, e->type, e->v));
    break;
  case N_INPUT:
    json_object_set_new(o, "kind", json_string("input"));
    json_object_set_new(o, "field", jstr(c->schema.records[c->schema.input].fields[e->index].name));
    json_object_set_new(o, "type", jtype(c, e->type));
    json_object_set_new(o, "value", jvalue(c, e->type, e->v));
    break;
  case N_ROW: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = event_row(c, e);
    json_object_set_new(o, "kind", json_string("table_row"));
    json_object_set_new(o, "table", jstr(t->name));
    json_object_set_new(o, "looked_up", jvalue(c, e->type, e->v));
    if (row) {
      fmt_row_key(c, t, row, buf, sizeof buf);
      json_object_set_new(o, "row", jstr(buf));
      json_object_set_new(o, "value", row->unknown ? json_null() : jvalue(c, t->valtype, row->value));
      json_object_set_new(o, "status", jstr(row_status_name((RowStatus)row->status)));
      json_object_set_new(o, "source", jstr(row->source));
      json_object_set_new(o, "note", jstr(row->note));
      json_object_set_new(o, "file", jstr(t->path));
      json_object_set_new(o, "line", json_integer(row->line));
    }
    break;
  }
  case N_ROUND:
    json_object_set_new(o, "kind", json_string("rounding"));
    if (e->unit) {
      fmt_exact(e->v.dec, buf, sizeof buf);
      json_object_set_new(o, "exact", jstr(buf));
      dec_format(e->v.dec, buf, sizeof buf);
      json_object_set_new(o, "exact_fraction", jstr(buf));
    }
    json_object_set_new(o, "result", jvalue(c, e->places ? (TypeRef){VK_DEC, 0, 0} : (TypeRef){VK_MONEY, 0, 0}, e->w));
    fmt_unit(e, buf, sizeof buf);
    json_object_set_new(o, "to", jstr(e->unit ? buf : "cent"));
    json_object_set_new(o, "method", jstr(method_word[e->method % ROUND__COUNT]));
    break;
  case N_REVISE: {
    char d[16];
    json_object_set_new(o, "kind", json_string("revision"));
    json_object_set_new(o, "table", jstr(c->tables[e->index].name));
    fmt_date(e->after, d);
    json_object_set_new(o, "after", jstr(d));
    fmt_date(e->through, d);
    json_object_set_new(o, "through", jstr(d));
    json_object_set_new(o, "from", jvalue(c, (TypeRef){VK_MONEY, 0, 0}, e->v));
    json_object_set_new(o, "result", jvalue(c, (TypeRef){VK_MONEY, 0, 0}, e->w));
    break;
  }
  case N_STEP: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = event_row(c, e);
    json_object_set_new(o, "kind", json_string("revision_step"));
    if (row) {
      fmt_row_key(c, t, row, buf, sizeof buf);
      json_object_set_new(o, "row", jstr(buf));
      json_object_set_new(o, "percentage", jvalue(c, t->valtype, row->value));
      json_object_set_new(o, "status", jstr(row_status_name((RowStatus)row->status)));
      json_object_set_new(o, "source", jstr(row->source));
    }
    json_object_set_new(o, "from", jvalue(c, (TypeRef){VK_MONEY, 0, 0}, e->v));
    json_object_set_new(o, "result", jvalue(c, (TypeRef){VK_MONEY, 0, 0}, e->w));
    break;
  }
  case N_VERSION:
  case N_EXCEPTION:
  case N_NO_EXCEPTION: {
    const CoverPoint *cp = &c->covers[e->index];
    json_object_set_new(o, "kind", json_string(nd->kind == N_VERSION ? "version" : "exception"));
    json_object_set_new(o, "label", jstr(cp->label));
    if (nd->kind == N_VERSION && cp->reg >= 0) json_object_set_new(o, "peildatum", jvalue(c, (TypeRef){VK_DATE, 0, 0}, e->v));
    if (nd->kind != N_VERSION) json_object_set_new(o, "applies", json_boolean(nd->kind == N_EXCEPTION));
    json_object_set_new(o, "source", jstr(cp->source));
    location(c, cp->span, buf, sizeof buf);
    json_object_set_new(o, "location", jstr(buf));
    break;
  }
  }
  if (nd->shown_before) json_object_set_new(o, "shown_before", json_true());
  if (nd->times > 1) json_object_set_new(o, "times", json_integer(nd->times));
  if (nd->nkids) {
    json_t *kids = json_array();
    for (size_t k = 0; k < nd->nkids; k++) json_array_append_new(kids, json_node(tr, run, nd->kids[k]));
    json_object_set_new(o, "steps", kids);
  }
  return o;
}

static void json_write(const Tree *tr, const ExplainRun *run, size_t *roots, FILE *f) {
  const Chunk *c = tr->c;
  json_t *top = json_object();
  json_object_set_new(top, "schema", json_string("dagloon-explain/1"));
  json_object_set_new(top, "engine", jstr(run->engine));
  json_object_set_new(top, "rules", jstr(run->rules));
  json_object_set_new(top, "input", jstr(run->input));
  json_object_set_new(top, "dossier", jstr(run->id));
  json_object_set_new(top, "line", json_integer((json_int_t)run->line));
  json_t *outs = json_array();
  for (uint32_t k = 0; k < c->noutputs; k++) {
    const OutputDesc *d = &c->outputs[k];
    json_t *o = json_object();
    json_object_set_new(o, "column", jstr(d->name));
    json_object_set_new(o, "type", jtype(c, d->type));
    json_object_set_new(o, "value", run->outputs                                 ? jvalue(c, d->type, run->outputs[k])
                                    : d->from == OUT_INPUT && run->record ? jvalue(c, d->type, run->record->fields[d->index])
                                                                          : json_null());
    if (d->from == OUT_INPUT) {
      json_object_set_new(o, "input", jstr(c->schema.records[c->schema.input].fields[d->index].name));
    } else if (roots[k] != SIZE_MAX) {
      json_object_set_new(o, "explanation", json_node(tr, run, roots[k]));
    }
    json_array_append_new(outs, o);
  }
  json_object_set_new(top, "outputs", outs);
  json_object_set_new(top, "error", !run->outputs && run->error ? jstr(run->error->msg) : json_null());
  json_object_set_new(top, "unverified_lookups", json_integer((json_int_t)run->unverified));
  json_object_set_new(top, "truncated", json_boolean(tr->t->truncated));
  char *s = json_dumps(top, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (s) fprintf(f, "%s\n", s);
  free(s);
  json_decref(top);
}

/* ---- entry ---- */

void explain_write(const Chunk *c, const Trace *t, const ExplainRun *run, ExplainFormat fmt, FILE *out) {
  Tree tr;
  tree_init(&tr, c, t);
  /* one tree per output column: the first evaluation of its rule */
  size_t *roots = xmalloc((c->noutputs ? c->noutputs : 1) * sizeof *roots);
  for (uint32_t k = 0; k < c->noutputs; k++) {
    const OutputDesc *d = &c->outputs[k];
    roots[k] = d->from == OUT_RULE && tr.first[d->index] != SIZE_MAX ? build_rule(&tr, tr.first[d->index]) : SIZE_MAX;
    if (roots[k] != SIZE_MAX) merge_repeats(&tr, run, roots[k]);
  }
  if (fmt == EXPLAIN_JSON) json_write(&tr, run, roots, out);
  else text_write(&tr, run, roots, out);
  free(roots);
  tree_free(&tr);
}
