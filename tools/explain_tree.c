/*
** explain_tree.c: the trace of one dossier as a tree (see explain_tree.h).
**
** The trace is a flat list of events in execution order. A rule's events
** lie between its TRACE_RULE and the TRACE_VALUE that ends it; a rule
** that failed has no TRACE_VALUE. The tree keeps that nesting; repeated
** reads of the same input field, table row or rule value within one rule
** are merged into one node with a count, so a loop over sixty months does
** not print the same line sixty times.
*/
#include "tools/explain_tree.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/opcodes.h"
#include "runtime/recio.h"
#include "runtime/table.h"

__extension__ typedef unsigned __int128 u128;

/* ---- the tree ---- */

static size_t new_node(Tree *tr, NodeKind k, size_t ev) {
  Node nd = {k, ev, SIZE_MAX, 1, false, NULL, 0, 0};
  VEC_PUSH(tr->nodes, tr->n, tr->cap, nd);
  return tr->n - 1;
}

static void add_kid(Tree *tr, size_t parent, size_t kid) {
  Node *p = &tr->nodes[parent];
  VEC_PUSH(p->kids, p->nkids, p->capkids, kid);
}

void ex_input_read(const Chunk *c, const TraceEvent *e, char *name, size_t cap, TypeRef *type, Value *v) {
  size_t k = (size_t)snprintf(name, cap, "%s", c->schema.records[c->schema.input].fields[e->index].name);
  *type = e->type;
  *v = e->v;
  if (e->rule >= c->nprotos || e->pc >= c->protos[e->rule].ncode) return;
  const Proto *p = &c->protos[e->rule];
  uint16_t reg = p->code[e->pc].a;
  /* the compiler reads a field of an input record right after the INPUT (lang/compile.c, REF_FIELD) */
  for (uint32_t pc = e->pc + 1; pc < p->ncode && type->kind == VK_RECORD && v->rec && k < cap; pc++) {
    Instr i = p->code[pc];
    const RecordType *rt = &c->schema.records[type->ref];
    if (i.op != OP_FIELD || i.b != reg || i.c >= rt->nfields) break;
    k += (size_t)snprintf(name + k, cap - k, ".%s", rt->fields[i.c].name);
    *v = v->rec->fields[i.c];
    *type = rt->fields[i.c].type;
    reg = i.a;
  }
}

/* Whether two events show the same fact (the same field, row, rule value or point). */
static bool same_fact(const Chunk *c, const TraceEvent *a, const TraceEvent *b) {
  if (a->kind != b->kind || a->index != b->index) return false;
  switch (a->kind) {
  case TRACE_INPUT: {
    if (a->type.kind != VK_RECORD) return true;
    char pa[256], pb[256];   /* a record's fields: the same path */
    TypeRef t;
    Value v;
    ex_input_read(c, a, pa, sizeof pa, &t, &v);
    ex_input_read(c, b, pb, sizeof pb, &t, &v);
    return strcmp(pa, pb) == 0;
  }
  case TRACE_USE:
  case TRACE_POINT: return true;
  case TRACE_ROW: return a->row == b->row;
  case TRACE_LEFT_OUT: return a->v.rec == b->v.rec && a->row == b->row && a->through == b->through;
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
size_t tree_build_rule(Tree *tr, size_t ev) {
  const Trace *t = tr->t;
  size_t me = new_node(tr, N_RULE, ev);
  tr->nodes[me].end = tr->match[ev];
  size_t stop = tr->match[ev] == SIZE_MAX ? t->n : tr->match[ev];
  size_t last_revise = SIZE_MAX;
  size_t holder = me;   /* inside 'zoals bekend op': its node holds what follows, until its end */
  for (size_t j = ev + 1; j < stop; j++) {
    const TraceEvent *e = &t->ev[j];
    if (e->kind == TRACE_AS_KNOWN) {
      size_t kid = new_node(tr, N_AS_KNOWN, j);
      add_kid(tr, me, kid);
      holder = kid;
      continue;
    }
    if (e->kind == TRACE_AS_KNOWN_END) {
      holder = me;
      continue;
    }
    if (e->kind == TRACE_RULE) {
      size_t kid = tree_build_rule(tr, j);
      add_kid(tr, holder, kid);
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
    Node *p = &tr->nodes[holder];
    for (size_t k = 0; k < p->nkids && !merged; k++) {
      Node *kid = &tr->nodes[p->kids[k]];
      if (kid->kind != N_RULE && same_fact(tr->c, &t->ev[kid->ev], e)) {
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
                 : e->kind == TRACE_LEFT_OUT ? N_LEFT_OUT
                                           : point_kind(tr->c, e->index);
    size_t kid = new_node(tr, k, j);
    add_kid(tr, holder, kid);
    if (k == N_REVISE) last_revise = kid;
  }
  return me;
}

static void expand_uses(Tree *tr, size_t id, size_t lo, size_t hi, bool *done) {
  for (size_t k = 0; k < tr->nodes[id].nkids; k++) {
    size_t kid = tr->nodes[id].kids[k];
    if (tr->nodes[kid].kind == N_USE) {
      const TraceEvent *use = &tr->t->ev[tr->nodes[kid].ev];
      uint32_t r = use->index;
      size_t first = use->then ? tr->first_then[r] : tr->first[r];
      if (first == SIZE_MAX || (first >= lo && first <= hi) || done[r]) continue;
      done[r] = true;
      kid = tree_build_rule(tr, first);   /* may move tr->nodes: index again */
      tr->nodes[id].kids[k] = kid;
    }
    expand_uses(tr, kid, lo, hi, done);
  }
}

void tree_expand_outside_uses(Tree *tr, size_t root) {
  size_t lo = tr->nodes[root].ev, hi = tr->nodes[root].end == SIZE_MAX ? tr->t->n : tr->nodes[root].end;
  bool *done = xcalloc(tr->c->nprotos ? tr->c->nprotos : 1, sizeof *done);
  expand_uses(tr, root, lo, hi, done);
  xfree(done);
}

void tree_init(Tree *tr, const Chunk *c, const Trace *t) {
  memset(tr, 0, sizeof *tr);
  tr->c = c;
  tr->t = t;
  tr->match = xmalloc((t->n ? t->n : 1) * sizeof *tr->match);
  tr->first = xmalloc((c->nprotos ? c->nprotos : 1) * sizeof *tr->first);
  tr->first_then = xmalloc((c->nprotos ? c->nprotos : 1) * sizeof *tr->first_then);
  for (uint32_t r = 0; r < c->nprotos; r++) tr->first[r] = tr->first_then[r] = SIZE_MAX;
  size_t *stack = xmalloc((t->n ? t->n : 1) * sizeof *stack), depth = 0;
  for (size_t i = 0; i < t->n; i++) {
    tr->match[i] = SIZE_MAX;
    if (t->ev[i].kind == TRACE_RULE) {
      stack[depth++] = i;
      size_t *first = t->ev[i].then ? tr->first_then : tr->first;
      if (first[t->ev[i].index] == SIZE_MAX) first[t->ev[i].index] = i;
    } else if (t->ev[i].kind == TRACE_VALUE && depth > 0) {
      tr->match[stack[--depth]] = i;
    }
  }
  xfree(stack);
}

void tree_free(Tree *tr) {
  for (size_t i = 0; i < tr->nshown; i++) xfree(tr->shown[i]);
  xfree(tr->shown);
  for (size_t i = 0; i < tr->n; i++) xfree(tr->nodes[i].kids);
  xfree(tr->nodes);
  xfree(tr->match);
  xfree(tr->first);
  xfree(tr->first_then);
}

/* ---- words ---- */

const char *const ex_method_word[ROUND__COUNT] = {"rekenkundig", "naar boven", "naar beneden", "richting nul",
                                                      "weg van nul"};

/*
** A value as text: scalars in their machine form (as in the output CSV), a
** record as its fields ("Loonregel{tijdvak: 2017-01-01/2017-01-31, loon:
** 1600.00}"), a list by its length.
*/
void ex_value(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap) {
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
      else if (fd->optional) ex_value(c, opt->elem, opt->items[0], fv, sizeof fv);
      else ex_value(c, fd->type, v.rec->fields[f], fv, sizeof fv);
      k += (size_t)snprintf(buf + k, cap - k, "%s%s: %s", f ? ", " : "", rt->fields[f].name, fv);
    }
    if (k < cap) snprintf(buf + k, cap - k, "}");
  } else if (value_format(&c->schema, t, v, buf, cap) < 0) {
    snprintf(buf, cap, "(%s)", vk_name((ValueKind)t.kind));
  }
}

/* An exact decimal as digits: in full when it ends, else ten decimals and an ellipsis. */
void ex_exact(Dec x, char *buf, size_t cap) {
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
void ex_unit(const TraceEvent *e, char *buf, size_t cap) {
  if (e->places) snprintf(buf, cap, "%" PRId64 " decimale%s", e->unit, e->unit == 1 ? "" : "n");
  else if (e->unit == 1) snprintf(buf, cap, "cent");
  else if (e->unit == 100) snprintf(buf, cap, "euro");
  else {
    char a[32];
    money_format(e->unit, a, sizeof a);
    snprintf(buf, cap, "een veelvoud van %s", a);
  }
}

void ex_date(int64_t day, char *buf) { date_format(day, buf); }

const TableRow *ex_row(const Chunk *c, const TraceEvent *e) {
  if (e->index >= c->ntables || e->row >= c->tables[e->index].nrows) return NULL;
  return &c->tables[e->index].rows[e->row];
}

void ex_row_key(const Chunk *c, const Table *t, const TableRow *row, char *buf, size_t cap) {
  TypeRef kt = t->kind == TABLE_BY_DATE ? (TypeRef){VK_DATE, 0, 0} : t->keytype;
  ex_value(c, kt, (Value){.i = row->key}, buf, cap);
}

/* The argument list of a call of a rule with parameters: "(2020-01-01/2020-01-31, 16.3125)". */
void ex_args(const Tree *tr, const TraceEvent *e, char *buf, size_t cap) {
  const Proto *p = &tr->c->protos[e->index];
  size_t k = 0;
  buf[0] = 0;
  if (p->nparams == 0) return;
  k += (size_t)snprintf(buf + k, cap - k, "(");
  for (uint16_t j = 0; j < p->nparams && k < cap; j++) {
    char v[512];
    ex_value(tr->c, p->regtypes[j], tr->t->argbuf[e->args + j], v, sizeof v);
    k += (size_t)snprintf(buf + k, cap - k, "%s%s", j ? ", " : "", v);
  }
  if (k < cap) snprintf(buf + k, cap - k, ")");
}

void ex_location(const Chunk *c, Span s, char *buf, size_t cap) {
  if (c->nfiles) chunk_location(c, s, buf, cap);
  else snprintf(buf, cap, "?");
}

void ex_left_out_reason(const TraceEvent *e, char *buf, size_t cap) {
  char known[16] = "?", on[16], by[16];
  if (e->after != INT64_MIN) ex_date(e->after, known);
  if (e->through != INT64_MAX) ex_date(e->through, on);
  if (e->row == 0) {
    snprintf(buf, cap, "bekend sinds %s, na %s", known, e->through != INT64_MAX ? on : "?");
    return;
  }
  if (e->unit == INT64_MIN) {   /* now, and the line that replaces it does not say since when */
    snprintf(buf, cap, "vervangen door regel %u", e->row);
    return;
  }
  ex_date(e->unit, by);
  if (e->through == INT64_MAX) snprintf(buf, cap, "vervangen door regel %u (bekend sinds %s)", e->row, by);
  else snprintf(buf, cap, "vervangen door regel %u (bekend sinds %s, op of voor %s)", e->row, by, on);
}

void ex_node_line(const Tree *tr, const ExplainRun *run, const Node *nd, char *buf, size_t cap) {
  const Chunk *c = tr->c;
  const TraceEvent *e = &tr->t->ev[nd->ev];
  char v[512], w[160], u[96], loc[320];
  switch (nd->kind) {
  case N_RULE: {
    const Proto *p = &c->protos[e->index];
    char args[1200], src[900] = "";
    ex_args(tr, e, args, sizeof args);
    ex_location(c, p->span, loc, sizeof loc);
    const ChunkNative *cn = chunk_native_of(c, e->index);
    size_t k = 0;
    if (*p->source) k = (size_t)snprintf(src, sizeof src, " (bron: %s)", p->source);
    /* a native function: the C code that computed the value, named (its library's sha256 is in the receipt) */
    if (cn && k < sizeof src) snprintf(src + k, sizeof src - k, " (C-functie %s uit %s)", cn->symbol, cn->library);
    if (nd->end == SIZE_MAX)
      snprintf(buf, cap, "FOUT: %s  \xE2\x86\x90 %s%s%s  [%s]", run->error ? run->error->msg : "geen waarde", p->name, args,
               src, loc);
    else {
      ex_value(c, p->result, tr->t->ev[nd->end].v, v, sizeof v);
      if (nd->shown_before) snprintf(buf, cap, "%s  \xE2\x86\x90 %s%s (zie boven)", v, p->name, args);
      else snprintf(buf, cap, "%s  \xE2\x86\x90 %s%s%s  [%s]", v, p->name, args, src, loc);
    }
    break;
  }
  case N_USE: {
    const Proto *p = &c->protos[e->index];
    ex_value(c, e->type, e->v, v, sizeof v);
    snprintf(buf, cap, "%s  \xE2\x86\x90 %s (zie boven)", v, p->name);
    break;
  }
  case N_INPUT: {
    char field[256];
    TypeRef t;
    Value x;
    ex_input_read(c, e, field, sizeof field, &t, &x);
    ex_value(c, t, x, v, sizeof v);
    snprintf(buf, cap, "%s  \xE2\x86\x90 invoer %s", v, field);
    break;
  }
  case N_ROW: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = ex_row(c, e);
    if (!row) {
      snprintf(buf, cap, "tabel %s: rij %u?", t->name, e->row);
      break;
    }
    char key[64];
    ex_row_key(c, t, row, key, sizeof key);
    if (row->unknown) snprintf(v, sizeof v, "(onbekend)");
    else ex_value(c, t->valtype, row->value, v, sizeof v);
    snprintf(buf, cap, "%s  \xE2\x86\x90 tabel %s, rij %s (bron: %s; %s)  [%s:%u]", v, t->name, key, row->source,
             row_status_name((RowStatus)row->status), t->path, row->line);
    break;
  }
  case N_ROUND:
    ex_exact(e->v.dec, v, sizeof v);
    ex_value(c, e->places ? (TypeRef){VK_DEC, 0, 0} : (TypeRef){VK_MONEY, 0, 0}, e->w, w, sizeof w);
    ex_unit(e, u, sizeof u);
    if (e->unit == 0) snprintf(buf, cap, "%s  \xE2\x86\x90 afgerond op cent (%s)", w, ex_method_word[e->method % ROUND__COUNT]);
    else snprintf(buf, cap, "%s  \xE2\x86\x90 afgerond op %s (%s) van %s", w, u, ex_method_word[e->method % ROUND__COUNT], v);
    break;
  case N_REVISE: {
    char d1[16], d2[16];
    ex_value(c, (TypeRef){VK_MONEY, 0, 0}, e->v, v, sizeof v);
    ex_value(c, (TypeRef){VK_MONEY, 0, 0}, e->w, w, sizeof w);
    ex_date(e->after, d1);
    ex_date(e->through, d2);
    snprintf(buf, cap, "%s  \xE2\x86\x90 herzien met tabel %s: herzieningen na %s t/m %s op %s%s", w,
             c->tables[e->index].name, d1, d2, v, nd->nkids ? "" : " (geen herziening in die tijd)");
    break;
  }
  case N_STEP: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = ex_row(c, e);
    char key[64] = "?", pct[64] = "?";
    if (row) {
      ex_row_key(c, t, row, key, sizeof key);
      ex_value(c, t->valtype, row->value, pct, sizeof pct);
    }
    ex_value(c, (TypeRef){VK_MONEY, 0, 0}, e->v, v, sizeof v);
    ex_value(c, (TypeRef){VK_MONEY, 0, 0}, e->w, w, sizeof w);
    snprintf(buf, cap, "%s  \xE2\x86\x90 %s %% per %s van %s, op hele centen (bron: %s; %s)", w, pct, key, v,
             row ? row->source : "?", row ? row_status_name((RowStatus)row->status) : "?");
    break;
  }
  case N_VERSION: {
    const CoverPoint *cp = &c->covers[e->index];
    char d[16] = "?";
    if (cp->reg >= 0) ex_date(e->v.i, d);
    ex_location(c, cp->span, loc, sizeof loc);
    snprintf(buf, cap, "%s gekozen: peildatum %s%s%s%s  [%s]", cp->label, d, *cp->source ? " (bron: " : "", cp->source,
             *cp->source ? ")" : "", loc);
    break;
  }
  case N_EXCEPTION:
  case N_NO_EXCEPTION: {
    const CoverPoint *cp = &c->covers[e->index];
    ex_location(c, cp->span, loc, sizeof loc);
    snprintf(buf, cap, "%s %s%s%s%s  [%s]", cp->label, nd->kind == N_EXCEPTION ? "is van toepassing" : "is niet van toepassing",
             *cp->source ? " (bron: " : "", cp->source, *cp->source ? ")" : "", loc);
    break;
  }
  case N_AS_KNOWN: {
    char d[16];
    ex_date(e->v.i, d);
    ex_location(c, c->protos[e->rule].spans ? c->protos[e->rule].spans[e->pc] : c->protos[e->rule].span, loc, sizeof loc);
    snprintf(buf, cap, "zoals bekend op %s: met de regels die toen bekend waren  [%s]", d, loc);
    break;
  }
  case N_LEFT_OUT: {
    char why[160];
    ex_value(c, e->type, e->v, v, sizeof v);
    ex_left_out_reason(e, why, sizeof why);
    snprintf(buf, cap, "weggelaten: regel %u, %s: %s", e->index + 1, v, why);
    break;
  }
  }
  if (nd->times > 1) {
    size_t k = strlen(buf);
    snprintf(buf + k, cap - k, "  (%" PRIu32 " keer)", nd->times);
  }
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
  ex_node_line(tr, run, &tr->nodes[id], line, sizeof line);
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
void tree_merge_repeats(Tree *tr, const ExplainRun *run, size_t id) {
  Node *nd = &tr->nodes[id];
  for (size_t k = 0; k < nd->nkids; k++) tree_merge_repeats(tr, run, tr->nodes[id].kids[k]);
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
        xfree(sg);
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
  for (size_t j = 0; j < keep; j++) xfree(sigs[j]);
  xfree(sigs);
  xfree(kept);
}

