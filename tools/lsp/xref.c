/*
** xref.c: the index of declarations and the places that name them
** (xref.h), read off the checked Program: a NAME's refkind and ref, a
** MEMBER's object type, a CALL of a table or a rule, a CITE's source.
** Anything the checker could not resolve (after an error) is left out, so
** a half-broken rule set still answers for the names that are right.
*/
#include "xref.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"

#define PUSH(arr, n, cap, v)                                      \
  do {                                                            \
    if ((n) == (cap)) {                                           \
      (cap) = (cap) ? (cap) * 2 : 64;                             \
      (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));     \
    }                                                             \
    (arr)[(n)++] = (v);                                           \
  } while (0)

static uint32_t add_sym(Xref *x, XKind kind, int32_t a, int32_t b, const char *name, const AstNode *decl, Span at) {
  XSym s = {kind, a, b, name ? name : "", decl, at};
  PUSH(x->syms, x->nsyms, x->capsyms, s);
  uint32_t id = x->nsyms - 1;
  if (decl && at.len > 0) {
    XOcc o = {at, id, true, NULL};
    PUSH(x->occs, x->noccs, x->capoccs, o);
  }
  return id;
}

static void add_occ_node(Xref *x, Span at, uint32_t sym, const AstNode *node) {
  if (at.len == 0 || sym >= x->nsyms) return;
  XOcc o = {at, sym, false, node};
  PUSH(x->occs, x->noccs, x->capoccs, o);
}

static void add_occ(Xref *x, Span at, uint32_t sym) { add_occ_node(x, at, sym, NULL); }

/* The name index of the Program is looked up without changing a name (nameidx_find only counts its probes). */
static int32_t find_name(const NameIndex *ix, const char *name) { return nameidx_find((NameIndex *)ix, name); }

static Span name_span(const AstNode *n) { return n->nspan.len ? n->nspan : n->span; }

/* A record or choice type named in a declaration ('loon: lijst Loonregel'). */
static void walk_type(Xref *x, const AstNode *t) {
  const Program *p = x->prog;
  for (int guard = 0; t && guard < 4 && t->kind != AST_TYPE_NAME; guard++) t = t->a;
  if (!t || t->kind != AST_TYPE_NAME || !t->name) return;
  int32_t r = find_name(&p->record_ix, t->name);
  if (r >= 0 && (uint32_t)r < p->schema.nrecords) {
    add_occ(x, name_span(t), x->record_sym[r]);
    return;
  }
  int32_t e = find_name(&p->enum_ix, t->name);
  if (e >= 0 && (uint32_t)e < p->schema.nenums) add_occ(x, name_span(t), x->enum_sym[e]);
}

static void walk_cites(Xref *x, const AstList *l) {
  const Program *p = x->prog;
  for (uint32_t i = 0; i < l->n; i++) {
    const AstNode *ct = l->items[i];
    if (ct->kind != AST_CITE || ct->ival != TK_IDENT || !ct->name) continue;
    int32_t s = find_name(&p->source_ix, ct->name);
    if (s >= 0 && (uint32_t)s < p->nsources) add_occ_node(x, name_span(ct), x->source_sym[s], ct);
  }
}

/* The variable of 'som(x.loon voor elke x in ...)': the word after 'elke'/'each' in the aggregation's text. */
static Span agg_variable(const Program *p, const AstNode *agg) {
  Span none = {agg->span.file, agg->span.off, 0};
  if (!agg->str || agg->span.file >= p->src->n) return none;
  const SourceFile *f = &p->src->files[agg->span.file];
  size_t vn = strlen(agg->str);
  uint32_t end = agg->span.off + agg->span.len > f->len ? f->len : agg->span.off + agg->span.len;
  for (uint32_t i = agg->span.off; i + 4 < end; i++) {
    size_t kw = strncmp(f->text + i, "elke", 4) == 0 ? 4 : strncmp(f->text + i, "each", 4) == 0 ? 4 : 0;
    if (!kw || (i > 0 && (isalnum((unsigned char)f->text[i - 1]) || f->text[i - 1] == '_'))) continue;
    uint32_t k = i + (uint32_t)kw;
    if (k >= end || !isspace((unsigned char)f->text[k])) continue;
    while (k < end && isspace((unsigned char)f->text[k])) k++;
    if (k + vn <= end && strncmp(f->text + k, agg->str, vn) == 0 &&
        (k + vn == f->len || !(isalnum((unsigned char)f->text[k + vn]) || f->text[k + vn] == '_')))
      return (Span){agg->span.file, k, (uint32_t)vn};
  }
  return none;
}

static uint32_t local_sym(Xref *x, const AstNode *agg) {
  for (uint32_t i = x->nsyms; i-- > 0;)
    if (x->syms[i].kind == XS_LOCAL && x->syms[i].decl == agg) return i;
  return UINT32_MAX;
}

static void walk_expr(Xref *x, const AstNode *n, int32_t rule) {
  const Program *p = x->prog;
  if (!n) return;
  switch (n->kind) {
  case AST_NAME:
    if (n->refkind == REF_RULE && n->ref >= 0 && (uint32_t)n->ref < p->nrules) add_occ(x, name_span(n), x->rule_sym[n->ref]);
    else if (n->refkind == REF_INPUT && p->schema.input >= 0 && n->ref >= 0 &&
             (uint32_t)n->ref < p->schema.records[p->schema.input].nfields)
      add_occ(x, name_span(n), x->field_base[p->schema.input] + (uint32_t)n->ref);
    else if (n->refkind == REF_LOCAL && n->bind) add_occ(x, name_span(n), local_sym(x, n->bind));
    else if (n->refkind == REF_PARAM && rule >= 0 && n->ref >= 0 && (uint32_t)n->ref < p->rules[rule]->params.n)
      add_occ(x, name_span(n), x->param_base[rule] + (uint32_t)n->ref);
    else if (n->refkind == REF_ENUM_MEMBER && n->type.kind == VK_ENUM && n->type.ref < p->schema.nenums && n->ref >= 0 &&
             (uint32_t)n->ref < p->schema.enums[n->type.ref].nmembers)
      add_occ(x, name_span(n), x->member_base[n->type.ref] + (uint32_t)n->ref);
    return;
  case AST_MEMBER:
    if (n->refkind == REF_ENUM_MEMBER && n->type.kind == VK_ENUM && n->type.ref < p->schema.nenums && n->ref >= 0 &&
        (uint32_t)n->ref < p->schema.enums[n->type.ref].nmembers) {
      if (n->a && n->a->kind == AST_NAME && n->a->refkind == REF_NONE) add_occ(x, name_span(n->a), x->enum_sym[n->type.ref]);
      else walk_expr(x, n->a, rule);
      add_occ(x, n->nspan, x->member_base[n->type.ref] + (uint32_t)n->ref);
      return;
    }
    walk_expr(x, n->a, rule);
    if (n->refkind == REF_FIELD && n->a && n->a->type.kind == VK_RECORD && n->a->type.ref < p->schema.nrecords && n->ref >= 0 &&
        (uint32_t)n->ref < p->schema.records[n->a->type.ref].nfields)
      add_occ(x, n->nspan, x->field_base[n->a->type.ref] + (uint32_t)n->ref);
    return;
  case AST_CALL:
    if (n->ref == BI_TABLE && n->ival >= 0 && (uint64_t)n->ival < p->ntables) add_occ_node(x, name_span(n), x->table_sym[n->ival], n);
    else if (n->refkind == REF_RULE && n->ref >= 0 && (uint32_t)n->ref < p->nrules) add_occ(x, name_span(n), x->rule_sym[n->ref]);
    for (uint32_t i = 0; i < n->list.n; i++) walk_expr(x, n->list.items[i], rule);
    return;
  case AST_NAMED_ARG:
    walk_expr(x, n->a, rule);
    return;
  case AST_AGG: {
    walk_expr(x, n->a, rule);   /* the list is read before the variable is bound */
    if (n->str) add_sym(x, XS_LOCAL, rule, 0, n->str, n, agg_variable(p, n));
    walk_expr(x, n->b, rule);
    walk_expr(x, n->c, rule);
    return;
  }
  case AST_CASE:
    walk_expr(x, n->a, rule);
    for (uint32_t i = 0; i < n->list.n; i++) {
      const AstNode *arm = n->list.items[i];
      if (!arm) continue;
      for (uint32_t j = 0; n->a && n->a->type.kind == VK_ENUM && n->a->type.ref < p->schema.nenums && j < arm->list.n; j++) {
        const AstNode *l = arm->list.items[j];
        const EnumType *et = &p->schema.enums[n->a->type.ref];
        if (l->ref >= 0 && (uint32_t)l->ref < et->nmembers && strcmp(et->members[l->ref], l->name) == 0)
          add_occ(x, name_span(l), x->member_base[n->a->type.ref] + (uint32_t)l->ref);
      }
      walk_expr(x, arm->a, rule);
      walk_expr(x, arm->b, rule);
      walk_expr(x, arm->c, rule);
    }
    return;
  case AST_INT: case AST_DEC: case AST_MONEY: case AST_DATE: case AST_TEXT: case AST_BOOL:
    return;
  default:
    walk_expr(x, n->a, rule);
    walk_expr(x, n->b, rule);
    walk_expr(x, n->c, rule);
    for (uint32_t i = 0; i < n->list.n; i++) walk_expr(x, n->list.items[i], rule);
    return;
  }
}

static void walk_rule(Xref *x, int32_t r) {
  const AstNode *d = x->prog->rules[r];
  walk_type(x, d->a);
  for (uint32_t i = 0; i < d->params.n; i++) walk_type(x, d->params.items[i]->a);
  walk_cites(x, &d->list);
  walk_expr(x, d->c, r);
  walk_expr(x, d->b, r);
  for (uint32_t i = 0; i < d->extra.n; i++) {
    const AstNode *v = d->extra.items[i];
    walk_cites(x, &v->list);
    walk_expr(x, v->b, r);
  }
}

/* A field named by a record's 'sleutel', 'bekend op' or 'vervangt'. */
static void record_field_ref(Xref *x, int32_t rec, const AstNode *name) {
  if (!name || !name->name) return;
  const RecordType *rt = &x->prog->schema.records[rec];
  int f = schema_field_index(rt, name->name, strlen(name->name));
  if (f >= 0) add_occ(x, name_span(name), x->field_base[rec] + (uint32_t)f);
}

static void walk_exception(Xref *x, const AstNode *e) {
  const Program *p = x->prog;
  if (e->c && e->c->name) {
    int32_t r = find_name(&p->rule_ix, e->c->name);
    if (r >= 0 && (uint32_t)r < p->nrules) add_occ(x, name_span(e->c), x->rule_sym[r]);
  }
  for (uint32_t i = 0; i < e->extra.n; i++) {
    int32_t k = find_name(&p->exception_ix, e->extra.items[i]->name);
    if (k >= 0 && (uint32_t)k < p->nexceptions) add_occ(x, name_span(e->extra.items[i]), x->exc_sym[k]);
  }
  walk_cites(x, &e->list);
  int32_t r = e->c ? find_name(&p->rule_ix, e->c->name) : -1;
  walk_expr(x, e->a, r);
  walk_expr(x, e->b, r);
}

/* Declarations that name others without being indexed by the checker: uitvoer, a proposal's rows and versions, 'gebruik ... met f'. */
/* A column the benefit declaration names ('uitkering X per maand duur D daarna Y'): an occurrence of
   what that output column is -- a rule or an input field -- so a rename renames it here too. */
static void benefit_column(Xref *x, const char *name, Span at) {
  const Program *p = x->prog;
  const AstNode *o = p->output;
  for (uint32_t i = 0; o && name && i < o->list.n; i++) {
    const AstNode *it = o->list.items[i];
    if (strcmp(it->name, name) != 0) continue;
    if (it->refkind == REF_RULE && it->ref >= 0 && (uint32_t)it->ref < p->nrules) add_occ(x, at, x->rule_sym[it->ref]);
    else if (it->refkind == REF_INPUT && p->schema.input >= 0 && it->ref >= 0 &&
             (uint32_t)it->ref < p->schema.records[p->schema.input].nfields)
      add_occ(x, at, x->field_base[p->schema.input] + (uint32_t)it->ref);
    return;
  }
}

static void walk_other_decl(Xref *x, const AstNode *d) {
  const Program *p = x->prog;
  switch (d->kind) {
  case AST_BENEFIT_DECL:
    benefit_column(x, d->name, d->nspan);
    if (d->b) benefit_column(x, d->b->name, name_span(d->b));
    if (d->c) benefit_column(x, d->c->name, name_span(d->c));
    return;
  case AST_OUTPUT_DECL:
    for (uint32_t i = 0; i < d->list.n; i++) walk_expr(x, d->list.items[i], -1);
    return;
  case AST_TABLE_ROWS: {
    int32_t t = d->name ? find_name(&p->table_ix, d->name) : -1;
    if (t >= 0 && (uint32_t)t < p->ntables) add_occ(x, d->nspan, x->table_sym[t]);
    walk_cites(x, &d->list);
    return;
  }
  case AST_VERSION_OVERLAY: {
    int32_t r = d->name ? find_name(&p->rule_ix, d->name) : -1;
    if (r >= 0 && (uint32_t)r < p->nrules) add_occ(x, d->nspan, x->rule_sym[r]);
    return;
  }
  case AST_USE:
    if (d->a && d->a->name && p->schema.input >= 0) record_field_ref(x, p->schema.input, d->a);
    return;
  default:
    return;
  }
}

static int occ_cmp(const void *pa, const void *pb) {
  const XOcc *a = pa, *b = pb;
  if (a->span.file != b->span.file) return a->span.file < b->span.file ? -1 : 1;
  if (a->span.off != b->span.off) return a->span.off < b->span.off ? -1 : 1;
  return a->decl == b->decl ? 0 : a->decl ? -1 : 1;
}

void xref_build(Xref *x, const Program *p) {
  memset(x, 0, sizeof *x);
  x->prog = p;
  if (!p) return;
  const Schema *s = &p->schema;
  x->rule_sym = xmalloc((p->nrules + 1) * sizeof(uint32_t));
  x->param_base = xmalloc((p->nrules + 1) * sizeof(uint32_t));
  x->table_sym = xmalloc((p->ntables + 1) * sizeof(uint32_t));
  x->source_sym = xmalloc((p->nsources + 1) * sizeof(uint32_t));
  x->exc_sym = xmalloc((p->nexceptions + 1) * sizeof(uint32_t));
  x->record_sym = xmalloc((s->nrecords + 1) * sizeof(uint32_t));
  x->field_base = xmalloc((s->nrecords + 1) * sizeof(uint32_t));
  x->enum_sym = xmalloc((s->nenums + 1) * sizeof(uint32_t));
  x->member_base = xmalloc((s->nenums + 1) * sizeof(uint32_t));
  for (uint32_t i = 0; i < p->nrules; i++) {
    const AstNode *r = p->rules[i];
    x->rule_sym[i] = add_sym(x, XS_RULE, (int32_t)i, 0, r->name, r, r->nspan);
    x->param_base[i] = x->nsyms;
    for (uint32_t j = 0; j < r->params.n; j++)
      add_sym(x, XS_PARAM, (int32_t)i, (int32_t)j, r->params.items[j]->name, r->params.items[j], r->params.items[j]->nspan);
  }
  for (uint32_t i = 0; i < s->nrecords; i++) {
    const AstNode *r = p->records ? p->records[i] : NULL;
    x->record_sym[i] = add_sym(x, XS_RECORD, (int32_t)i, 0, s->records[i].name, r, r ? r->nspan : (Span){0, 0, 0});
    x->field_base[i] = x->nsyms;
    for (uint32_t f = 0; f < s->records[i].nfields; f++) {
      const AstNode *fd = r && f < r->list.n ? r->list.items[f] : NULL;
      if (fd && (!fd->name || strcmp(fd->name, s->records[i].fields[f].name) != 0)) fd = NULL;
      add_sym(x, XS_FIELD, (int32_t)i, (int32_t)f, s->records[i].fields[f].name, fd, fd ? fd->nspan : (Span){0, 0, 0});
    }
  }
  for (uint32_t i = 0; i < s->nenums; i++) {
    const AstNode *e = p->enums ? p->enums[i] : NULL;
    x->enum_sym[i] = add_sym(x, XS_ENUM, (int32_t)i, 0, s->enums[i].name, e, e ? e->nspan : (Span){0, 0, 0});
    x->member_base[i] = x->nsyms;
    for (uint32_t m = 0; m < s->enums[i].nmembers; m++) {
      const AstNode *md = e && m < e->list.n ? e->list.items[m] : NULL;
      add_sym(x, XS_MEMBER, (int32_t)i, (int32_t)m, s->enums[i].members[m], md, md ? name_span(md) : (Span){0, 0, 0});
    }
  }
  for (uint32_t i = 0; i < p->ntables; i++)
    x->table_sym[i] = add_sym(x, XS_TABLE, (int32_t)i, 0, p->tables[i]->name, p->tables[i], p->tables[i]->nspan);
  for (uint32_t i = 0; i < p->nsources; i++)
    x->source_sym[i] = add_sym(x, XS_SOURCE, (int32_t)i, 0, p->sources[i]->name, p->sources[i], p->sources[i]->nspan);
  for (uint32_t i = 0; i < p->nexceptions; i++)
    x->exc_sym[i] = add_sym(x, XS_EXCEPTION, (int32_t)i, 0, p->exceptions[i]->name, p->exceptions[i], p->exceptions[i]->nspan);

  for (uint32_t i = 0; i < p->nrules; i++) walk_rule(x, (int32_t)i);
  for (uint32_t i = 0; i < p->nexceptions; i++) walk_exception(x, p->exceptions[i]);
  for (uint32_t i = 0; i < p->ntables; i++) {
    walk_type(x, p->tables[i]->a);
    walk_type(x, p->tables[i]->b);
    walk_cites(x, &p->tables[i]->list);
  }
  for (uint32_t i = 0; p->records && i < s->nrecords; i++) {
    const AstNode *r = p->records[i];
    if (!r) continue;
    for (uint32_t f = 0; f < r->list.n; f++) walk_type(x, r->list.items[f]->a);
    record_field_ref(x, (int32_t)i, r->a);
    if (r->kind == AST_RECORD_DECL && r->b) {
      record_field_ref(x, (int32_t)i, r->b);
      record_field_ref(x, (int32_t)i, r->b->a);
    }
  }
  for (uint32_t i = 0; p->ast && i < p->ast->decls.n; i++) walk_other_decl(x, p->ast->decls.items[i]);
  qsort(x->occs, x->noccs, sizeof *x->occs, occ_cmp);
  /* per symbol its occurrences, so references cost what they return */
  x->use_first = xcalloc((size_t)x->nsyms + 1, sizeof(uint32_t));
  x->use_occ = xmalloc(((size_t)x->noccs + 1) * sizeof(uint32_t));
  for (uint32_t i = 0; i < x->noccs; i++) x->use_first[x->occs[i].sym + 1]++;
  for (uint32_t i = 0; i < x->nsyms; i++) x->use_first[i + 1] += x->use_first[i];
  uint32_t *fill = xmalloc(((size_t)x->nsyms + 1) * sizeof(uint32_t));
  memcpy(fill, x->use_first, ((size_t)x->nsyms + 1) * sizeof(uint32_t));
  for (uint32_t i = 0; i < x->noccs; i++) x->use_occ[fill[x->occs[i].sym]++] = i;
  free(fill);
}

void xref_free(Xref *x) {
  free(x->syms);
  free(x->occs);
  free(x->rule_sym);
  free(x->param_base);
  free(x->table_sym);
  free(x->source_sym);
  free(x->exc_sym);
  free(x->record_sym);
  free(x->field_base);
  free(x->enum_sym);
  free(x->member_base);
  free(x->use_first);
  free(x->use_occ);
  memset(x, 0, sizeof *x);
}

const XOcc *xref_at(const Xref *x, uint32_t file, uint32_t off) {
  /* the last occurrence starting at or before off */
  uint32_t lo = 0, hi = x->noccs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const Span *s = &x->occs[mid].span;
    if (s->file < file || (s->file == file && s->off <= off)) lo = mid + 1;
    else hi = mid;
  }
  for (uint32_t i = lo; i-- > 0;) {
    const XOcc *o = &x->occs[i];
    if (o->span.file != file) return NULL;
    if (off <= o->span.off + o->span.len) return o;
    if (o->span.off + 256 < off) return NULL;   /* spans are names: none reaches back this far */
  }
  return NULL;
}

const uint32_t *xref_uses(const Xref *x, uint32_t sym, uint32_t *n) {
  if (!x->use_first || sym >= x->nsyms) {
    *n = 0;
    return NULL;
  }
  *n = x->use_first[sym + 1] - x->use_first[sym];
  return x->use_occ + x->use_first[sym];
}

int32_t xref_find(const Xref *x, XKind kind, const char *name) {
  for (uint32_t i = 0; i < x->nsyms; i++)
    if (x->syms[i].kind == kind && strcmp(x->syms[i].name, name) == 0) return (int32_t)i;
  return -1;
}
