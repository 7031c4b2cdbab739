/*
** explain.c: the explanation of one dossier as text or JSON (see
** explain.h; the tree is built by explain_tree.c, the JSON schema is
** docs/EXPLAIN.md, the HTML page is explain_html.c).
*/
#include "tools/explain.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/jsonmem.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/table.h"
#include "tools/explain_tree.h"
#include "tools/suggest.h"

/* ---- what to show ---- */

static int shown_depth(const ExplainRun *run) { return run->options ? run->options->depth : -1; }

static bool column_shown(const ExplainRun *run, uint32_t k) {
  return !run->options || run->options->column < 0 || (uint32_t)run->options->column == k;
}

int explain_find_column(const Chunk *c, const char *name, FILE *err) {
  const char **names = xmalloc((c->noutputs ? c->noutputs : 1) * sizeof *names);
  for (uint32_t k = 0; k < c->noutputs; k++) {
    if (strcmp(c->outputs[k].name, name) == 0) {
      xfree(names);
      return (int)k;
    }
    names[k] = c->outputs[k].name;
  }
  char near[400];
  suggest_phrase(name, names, c->noutputs, near, sizeof near);
  fprintf(err, "dagloon: the rules have no output column '%s'%s%s\n  the columns are:", name, *near ? "; " : "", near);
  for (uint32_t k = 0; k < c->noutputs; k++) fprintf(err, " %s", c->outputs[k].name);
  fputc('\n', err);
  xfree(names);
  return -1;
}

/* The rule nodes and the other steps below a node (what --depth left out). */
static void count_below(const Tree *tr, size_t id, size_t *rules, size_t *other) {
  const Node *nd = &tr->nodes[id];
  for (size_t k = 0; k < nd->nkids; k++) {
    const Node *kid = &tr->nodes[nd->kids[k]];
    if (kid->kind == N_RULE || kid->kind == N_USE) (*rules)++;
    else (*other)++;
    count_below(tr, nd->kids[k], rules, other);
  }
}

/* ---- text ---- */

#define BRANCH "\xE2\x94\x9C\xE2\x94\x80 "   /* ├─ */
#define LAST "\xE2\x94\x94\xE2\x94\x80 "     /* └─ */
#define PIPE "\xE2\x94\x82  "                /* │ */
#define ELLIPSIS "\xE2\x80\xA6"               /* … */

typedef struct TextOut {
  FILE *f;
  const Tree *tr;
  const ExplainRun *run;
  int depth;          /* levels to show below a column's rule, or -1 */
} TextOut;

static void text_kids(TextOut *o, size_t id, const char *prefix, int level);

/* A rule asked once per month or tijdvak: one with a periode parameter, or a record that has one (a wage line). */
static bool asked_per_period(const Chunk *c, const Proto *p) {
  for (uint16_t j = 0; j < p->nparams; j++) {
    TypeRef t = p->regtypes[j];
    if (t.kind == VK_PERIOD) return true;
    if (t.kind != VK_RECORD) continue;
    const RecordType *rt = &c->schema.records[t.ref];
    for (uint32_t f = 0; f < rt->nfields; f++)
      if (rt->fields[f].type.kind == VK_PERIOD) return true;
  }
  return false;
}

/* "… (nog 12 regels en 30 andere stappen; --depth 3 toont meer)": what --depth left out below a line. */
static void text_cut(TextOut *o, size_t rules, size_t other, const char *prefix, int level) {
  char what[96];
  if (rules && other)
    snprintf(what, sizeof what, "%zu regel%s en %zu andere stap%s", rules, rules == 1 ? "" : "s", other, other == 1 ? "" : "pen");
  else if (rules) snprintf(what, sizeof what, "%zu regel%s", rules, rules == 1 ? "" : "s");
  else snprintf(what, sizeof what, "%zu stap%s", other, other == 1 ? "" : "pen");
  fprintf(o->f, "%s" LAST ELLIPSIS " (nog %s; --depth %d toont meer)\n", prefix, what, level);
}

/* A node and, below it, what it was made from. */
static void text_node(TextOut *o, size_t id, const char *prefix, bool last, int level) {
  char line[2048];
  ex_node_line(o->tr, o->run, &o->tr->nodes[id], line, sizeof line);
  fprintf(o->f, "%s%s%s\n", prefix, last ? LAST : BRANCH, line);
  char sub[1024];
  snprintf(sub, sizeof sub, "%s%s", prefix, last ? "   " : PIPE);
  text_kids(o, id, sub, level + 1);
}

/*
** The calls of one rule asked per period, as one block: a heading, a line per
** call with its arguments and value, and one call in full (how each was
** computed), instead of a subtree per month.
*/
static void text_period_block(TextOut *o, const size_t *calls, size_t n, const char *prefix, bool last, int level) {
  const Tree *tr = o->tr;
  const Chunk *c = tr->c;
  const TraceEvent *first = &tr->t->ev[tr->nodes[calls[0]].ev];
  const Proto *p = &c->protos[first->index];
  char loc[320];
  ex_location(c, p->span, loc, sizeof loc);
  bool detail = o->depth < 0 || level < o->depth;
  /* a row per distinct call: the same arguments and value again (asked twice) only add to its count */
  typedef struct Row {
    char args[1200], value[512];
    uint32_t times;
  } Row;
  Row *rows = xmalloc(n * sizeof *rows);
  size_t nrows = 0, width = 0, total = 0;
  for (size_t i = 0; i < n; i++) {
    const Node *nd = &tr->nodes[calls[i]];
    Row *r = &rows[nrows];
    ex_args(tr, &tr->t->ev[nd->ev], r->args, sizeof r->args);
    size_t len = strlen(r->args);
    if (len >= 2) {   /* without the parentheses: the block is a table */
      r->args[len - 1] = 0;
      memmove(r->args, r->args + 1, len - 1);
    }
    if (nd->end == SIZE_MAX) snprintf(r->value, sizeof r->value, "FOUT: %s", o->run->error ? o->run->error->msg : "geen waarde");
    else ex_value(c, p->result, tr->t->ev[nd->end].v, r->value, sizeof r->value);
    r->times = nd->times;
    total += nd->times;
    bool again = false;
    for (size_t k = 0; k < nrows && !again; k++)
      if (strcmp(rows[k].args, r->args) == 0 && strcmp(rows[k].value, r->value) == 0) {
        rows[k].times += r->times;
        again = true;
      }
    if (again) continue;
    if (strlen(r->args) > width) width = strlen(r->args);
    nrows++;
  }
  if (nrows == 1) {   /* the same call each time: one line with its count, not a table of one row */
    char line[2048];
    ex_node_line(tr, o->run, &tr->nodes[calls[0]], line, sizeof line);
    fprintf(o->f, "%s%s%s", prefix, last ? LAST : BRANCH, line);
    if (tr->nodes[calls[0]].times == 1) fprintf(o->f, "  (%zu keer)", total);
    fputc('\n', o->f);
    xfree(rows);
    char sub[1024];
    snprintf(sub, sizeof sub, "%s%s", prefix, last ? "   " : PIPE);
    text_kids(o, calls[0], sub, level + 1);
    return;
  }
  fprintf(o->f, "%s%s%s per tijdvak: %zu aanroepen%s%s%s  [%s]\n", prefix, last ? LAST : BRANCH, p->name, total,
          *p->source ? " (bron: " : "", p->source, *p->source ? ")" : "", loc);
  char sub[1024];
  snprintf(sub, sizeof sub, "%s%s", prefix, last ? "   " : PIPE);
  for (size_t i = 0; i < nrows; i++) {
    fprintf(o->f, "%s" PIPE "%-*s  %s", sub, (int)width, rows[i].args, rows[i].value);
    if (rows[i].times > 1) fprintf(o->f, "  (%" PRIu32 " keer)", rows[i].times);
    fputc('\n', o->f);
  }
  xfree(rows);
  if (!detail) {   /* how each call was computed is below the depth asked for */
    size_t rules = 1, other = 0;
    count_below(tr, calls[0], &rules, &other);
    text_cut(o, rules, other, sub, level + 1);
    return;
  }
  /* in full: the call that failed, if one did (that is what the reader is looking for), else the first */
  size_t shown = calls[0];
  for (size_t i = n; i-- > 0;)
    if (tr->nodes[calls[i]].end == SIZE_MAX) shown = calls[i];
  char line[2048];
  ex_node_line(tr, o->run, &tr->nodes[shown], line, sizeof line);
  fprintf(o->f, "%s" LAST "zo berekend, %s: %s\n", sub, shown == calls[0] ? "de eerste" : "de aanroep met de fout", line);
  char sub2[1100];
  snprintf(sub2, sizeof sub2, "%s   ", sub);
  text_kids(o, shown, sub2, level + 1);
}

/*
** What a node was made from, at `level` below the column's rule: cut off past
** --depth (saying how much), and the calls of a rule asked per period gathered
** into one block where the first of them stood.
*/
static void text_kids(TextOut *o, size_t id, const char *prefix, int level) {
  const Tree *tr = o->tr;
  const Node *nd = &tr->nodes[id];
  if (nd->nkids == 0) return;
  if (o->depth >= 0 && level > o->depth) {
    size_t rules = 0, other = 0;
    count_below(tr, id, &rules, &other);
    text_cut(o, rules, other, prefix, level);
    return;
  }
  /* items: a kid on its own, or (at its first call) the calls of a rule asked per period */
  size_t n = nd->nkids;
  size_t *group = xmalloc(n * sizeof *group);   /* group[k]: the first kid of k's block, or k */
  size_t *size = xcalloc(n, sizeof *size);
  for (size_t k = 0; k < n; k++) {
    group[k] = k;
    const Node *kid = &tr->nodes[nd->kids[k]];
    if (kid->kind != N_RULE || !asked_per_period(tr->c, &tr->c->protos[tr->t->ev[kid->ev].index])) continue;
    for (size_t j = 0; j < k; j++) {
      const Node *earlier = &tr->nodes[nd->kids[j]];
      if (group[j] == j && earlier->kind == N_RULE && tr->t->ev[earlier->ev].index == tr->t->ev[kid->ev].index) {
        group[k] = j;
        break;
      }
    }
  }
  for (size_t k = 0; k < n; k++) size[group[k]]++;
  size_t lastitem = 0;
  for (size_t k = 0; k < n; k++)
    if (group[k] == k) lastitem = k;
  size_t *calls = xmalloc(n * sizeof *calls);
  for (size_t k = 0; k < n; k++) {
    if (group[k] != k) continue;
    bool last = k == lastitem;
    if (size[k] < 2) {
      text_node(o, nd->kids[k], prefix, last, level);
      continue;
    }
    size_t m = 0;
    for (size_t j = k; j < n; j++)
      if (group[j] == k) calls[m++] = nd->kids[j];
    text_period_block(o, calls, m, prefix, last, level);
  }
  xfree(calls);
  xfree(size);
  xfree(group);
}

static void text_write(const Tree *tr, const ExplainRun *run, size_t *roots, FILE *f) {
  const Chunk *c = tr->c;
  TextOut o = {f, tr, run, shown_depth(run)};
  fprintf(f, "dossier %s (%s, regel %" PRIu64 ") met de regels van %s\n", run->id, run->input, run->line, run->rules);
  for (uint32_t k = 0; k < c->noutputs; k++) {
    if (!column_shown(run, k)) continue;
    const OutputDesc *d = &c->outputs[k];
    char v[512] = "(geen waarde)";
    if (run->outputs) ex_value(c, d->type, run->outputs[k], v, sizeof v);
    else if (d->from == OUT_INPUT && run->record) ex_value(c, d->type, run->record->fields[d->index], v, sizeof v);
    fprintf(f, "\n%s = %s\n", d->name, v);
    if (d->from == OUT_INPUT) {
      fprintf(f, LAST "%s  \xE2\x86\x90 invoer %s\n", v, c->schema.records[c->schema.input].fields[d->index].name);
      continue;
    }
    if (roots[k] == SIZE_MAX) {
      fprintf(f, LAST "(niet berekend: de berekening stopte eerder)\n");
      continue;
    }
    char line[2048];
    ex_node_line(tr, run, &tr->nodes[roots[k]], line, sizeof line);
    fprintf(f, "%s\n", line);
    text_kids(&o, roots[k], "", 1);
  }
  if (!run->outputs && run->error) fprintf(f, "\nfout: %s\n", run->error->msg);
  if (run->unverified)
    fprintf(f, "\nlet op: %" PRIu64 " opzoeking%s in een tabelrij met status 'unverified' (niet bevestigd door een bron)\n",
            run->unverified, run->unverified == 1 ? "" : "en");
  if (tr->t->truncated) fprintf(f, "\nlet op: de uitleg is ingekort (meer dan %zu stappen)\n", tr->t->n);
}

/* ---- JSON ---- */

static json_t *jstr(const char *s) { return json_string(s ? s : ""); }

static json_t *jvalue(const Chunk *c, TypeRef t, Value v) {
  char buf[256];
  ex_value(c, t, v, buf, sizeof buf);
  return json_string(buf);
}

static json_t *jtype(const Chunk *c, TypeRef t) {
  char buf[96];
  return json_string(schema_type_name(&c->schema, t, buf, sizeof buf));
}

static json_t *json_node(const Tree *tr, const ExplainRun *run, size_t id, int level) {
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
    const ChunkNative *cn = chunk_native_of(c, e->index);
    if (cn) {   /* computed by C code: which */
      json_t *nat = json_object();
      json_object_set_new(nat, "library", jstr(cn->library));
      json_object_set_new(nat, "symbol", jstr(cn->symbol));
      json_object_set_new(o, "native", nat);
    }
    ex_location(c, p->span, buf, sizeof buf);
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
  case N_INPUT: {
    TypeRef t;
    Value x;
    ex_input_read(c, e, buf, sizeof buf, &t, &x);
    json_object_set_new(o, "kind", json_string("input"));
    json_object_set_new(o, "field", jstr(buf));
    json_object_set_new(o, "type", jtype(c, t));
    json_object_set_new(o, "value", jvalue(c, t, x));
    break;
  }
  case N_ROW: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = ex_row(c, e);
    json_object_set_new(o, "kind", json_string("table_row"));
    json_object_set_new(o, "table", jstr(t->name));
    json_object_set_new(o, "looked_up", jvalue(c, e->type, e->v));
    if (row) {
      ex_row_key(c, t, row, buf, sizeof buf);
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
      ex_exact(e->v.dec, buf, sizeof buf);
      json_object_set_new(o, "exact", jstr(buf));
      dec_format(e->v.dec, buf, sizeof buf);
      json_object_set_new(o, "exact_fraction", jstr(buf));
    }
    json_object_set_new(o, "result", jvalue(c, e->places ? (TypeRef){VK_DEC, 0, 0} : (TypeRef){VK_MONEY, 0, 0}, e->w));
    ex_unit(e, buf, sizeof buf);
    json_object_set_new(o, "to", jstr(e->unit ? buf : "cent"));
    json_object_set_new(o, "method", jstr(ex_method_word[e->method % ROUND__COUNT]));
    break;
  case N_REVISE: {
    char d[16];
    json_object_set_new(o, "kind", json_string("revision"));
    json_object_set_new(o, "table", jstr(c->tables[e->index].name));
    ex_date(e->after, d);
    json_object_set_new(o, "after", jstr(d));
    ex_date(e->through, d);
    json_object_set_new(o, "through", jstr(d));
    json_object_set_new(o, "from", jvalue(c, (TypeRef){VK_MONEY, 0, 0}, e->v));
    json_object_set_new(o, "result", jvalue(c, (TypeRef){VK_MONEY, 0, 0}, e->w));
    break;
  }
  case N_STEP: {
    const Table *t = &c->tables[e->index];
    const TableRow *row = ex_row(c, e);
    json_object_set_new(o, "kind", json_string("revision_step"));
    if (row) {
      ex_row_key(c, t, row, buf, sizeof buf);
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
    ex_location(c, cp->span, buf, sizeof buf);
    json_object_set_new(o, "location", jstr(buf));
    break;
  }
  case N_AS_KNOWN:
    json_object_set_new(o, "kind", json_string("as_known"));
    json_object_set_new(o, "on", jvalue(c, (TypeRef){VK_DATE, 0, 0}, e->v));
    ex_location(c, c->protos[e->rule].spans ? c->protos[e->rule].spans[e->pc] : c->protos[e->rule].span, buf, sizeof buf);
    json_object_set_new(o, "location", jstr(buf));
    break;
  case N_LEFT_OUT:
    json_object_set_new(o, "kind", json_string("left_out"));
    json_object_set_new(o, "line", json_integer((json_int_t)e->index + 1));
    json_object_set_new(o, "value", jvalue(c, e->type, e->v));
    json_object_set_new(o, "known_since", e->after == INT64_MIN ? json_null() : jvalue(c, (TypeRef){VK_DATE, 0, 0}, (Value){.i = e->after}));
    json_object_set_new(o, "as_known_on", e->through == INT64_MAX ? json_null() : jvalue(c, (TypeRef){VK_DATE, 0, 0}, (Value){.i = e->through}));
    json_object_set_new(o, "reason", json_string(e->row ? "replaced" : "known_later"));
    if (e->row) {
      json_object_set_new(o, "replaced_by", json_integer((json_int_t)e->row));
      json_object_set_new(o, "replaced_by_known_since",
                          e->unit == INT64_MIN ? json_null() : jvalue(c, (TypeRef){VK_DATE, 0, 0}, (Value){.i = e->unit}));
    }
    ex_left_out_reason(e, buf, sizeof buf);
    json_object_set_new(o, "text", jstr(buf));
    break;
  }
  if (nd->shown_before) json_object_set_new(o, "shown_before", json_true());
  if (nd->times > 1) json_object_set_new(o, "times", json_integer(nd->times));
  int depth = shown_depth(run);
  if (nd->nkids && depth >= 0 && level >= depth) {   /* --depth: what is left out, counted */
    size_t rules = 0, other = 0;
    count_below(tr, id, &rules, &other);
    json_t *cut = json_object();
    json_object_set_new(cut, "rules", json_integer((json_int_t)rules));
    json_object_set_new(cut, "other_steps", json_integer((json_int_t)other));
    json_object_set_new(o, "cut", cut);
  } else if (nd->nkids) {
    json_t *kids = json_array();
    for (size_t k = 0; k < nd->nkids; k++) json_array_append_new(kids, json_node(tr, run, nd->kids[k], level + 1));
    json_object_set_new(o, "steps", kids);
  }
  return o;
}

static void json_write(const Tree *tr, const ExplainRun *run, size_t *roots, FILE *f, bool one_line) {
  const Chunk *c = tr->c;
  json_t *top = json_object();
  json_object_set_new(top, "schema", json_string("dagloon-explain/1"));
  json_object_set_new(top, "engine", jstr(run->engine));
  json_object_set_new(top, "rules", jstr(run->rules));
  json_object_set_new(top, "input", jstr(run->input));
  json_object_set_new(top, "dossier", jstr(run->id));
  json_object_set_new(top, "line", json_integer((json_int_t)run->line));
  if (run->options && run->options->column >= 0)
    json_object_set_new(top, "column", jstr(c->outputs[run->options->column].name));
  if (shown_depth(run) >= 0) json_object_set_new(top, "depth", json_integer(shown_depth(run)));
  json_t *outs = json_array();
  for (uint32_t k = 0; k < c->noutputs; k++) {
    if (!column_shown(run, k)) continue;
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
      json_object_set_new(o, "explanation", json_node(tr, run, roots[k], 0));
    }
    json_array_append_new(outs, o);
  }
  json_object_set_new(top, "outputs", outs);
  json_object_set_new(top, "error", !run->outputs && run->error ? jstr(run->error->msg) : json_null());
  json_object_set_new(top, "unverified_lookups", json_integer((json_int_t)run->unverified));
  json_object_set_new(top, "truncated", json_boolean(tr->t->truncated));
  char *s = json_dumps(top, (one_line ? JSON_COMPACT : JSON_INDENT(2)) | JSON_PRESERVE_ORDER);
  if (s) fprintf(f, "%s\n", s);
  jsonmem_free(s);   /* jansson's text */
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
    if (!column_shown(run, k)) {
      roots[k] = SIZE_MAX;
      continue;
    }
    roots[k] = d->from == OUT_RULE && tr.first[d->index] != SIZE_MAX ? tree_build_rule(&tr, tr.first[d->index]) : SIZE_MAX;
    if (roots[k] != SIZE_MAX && run->options && run->options->column >= 0) tree_expand_outside_uses(&tr, roots[k]);
    if (roots[k] != SIZE_MAX) tree_merge_repeats(&tr, run, roots[k]);
  }
  if (fmt == EXPLAIN_JSON || fmt == EXPLAIN_JSON_LINE) json_write(&tr, run, roots, out, fmt == EXPLAIN_JSON_LINE);
  else if (fmt == EXPLAIN_HTML) explain_html(&tr, run, roots, out);
  else text_write(&tr, run, roots, out);
  xfree(roots);
  tree_free(&tr);
}
