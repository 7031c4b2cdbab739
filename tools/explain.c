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
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/table.h"
#include "tools/explain_tree.h"

/* ---- text ---- */

typedef struct TextOut {
  FILE *f;
  const Tree *tr;
  const ExplainRun *run;
} TextOut;

/* One line for a node, without the tree glyphs. */
static void text_node(TextOut *o, size_t id, const char *prefix, bool last) {
  const Node *nd = &o->tr->nodes[id];
  char line[2048];
  ex_node_line(o->tr, o->run, nd, line, sizeof line);
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
    if (run->outputs) ex_value(c, d->type, run->outputs[k], v, sizeof v);
    else if (d->from == OUT_INPUT && run->record) ex_value(c, d->type, run->record->fields[d->index], v, sizeof v);
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
    ex_node_line(tr, run, root, line, sizeof line);
    fprintf(f, "%s\n", line);
    for (size_t j = 0; j < root->nkids; j++) text_node(&o, root->kids[j], "", j + 1 == root->nkids);
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
  case N_INPUT:
    json_object_set_new(o, "kind", json_string("input"));
    json_object_set_new(o, "field", jstr(c->schema.records[c->schema.input].fields[e->index].name));
    json_object_set_new(o, "type", jtype(c, e->type));
    json_object_set_new(o, "value", jvalue(c, e->type, e->v));
    break;
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

static void json_write(const Tree *tr, const ExplainRun *run, size_t *roots, FILE *f, bool one_line) {
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
  char *s = json_dumps(top, (one_line ? JSON_COMPACT : JSON_INDENT(2)) | JSON_PRESERVE_ORDER);
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
    roots[k] = d->from == OUT_RULE && tr.first[d->index] != SIZE_MAX ? tree_build_rule(&tr, tr.first[d->index]) : SIZE_MAX;
    if (roots[k] != SIZE_MAX) tree_merge_repeats(&tr, run, roots[k]);
  }
  if (fmt == EXPLAIN_JSON || fmt == EXPLAIN_JSON_LINE) json_write(&tr, run, roots, out, fmt == EXPLAIN_JSON_LINE);
  else if (fmt == EXPLAIN_HTML) explain_html(&tr, run, roots, out);
  else text_write(&tr, run, roots, out);
  free(roots);
  tree_free(&tr);
}
