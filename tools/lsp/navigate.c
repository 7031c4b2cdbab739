/*
** navigate.c: go to definition, find references, rename (features.h), all
** read off the index (xref.h). A table's definition is its declaration and
** its CSV file (the row in force when the lookup's argument is a literal);
** a rename edits every place that names the rule or field, in every file of
** the rule set and its case files (casefiles.h), and refuses what would
** change the meaning or another rule set.
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casefiles.h"
#include "feature_util.h"
#include "features.h"
#include "position.h"
#include "runtime/i18n.h"
#include "runtime/mem.h"

static void append_location(json_t *arr, json_t *loc) {
  if (loc) json_array_append_new(arr, loc);
}

/* The row a table lookup with a literal argument reads: table_row_on for a date series, table_row_for by key. */
static const TableRow *row_of_call(const Table *t, const AstNode *call) {
  if (!t || !call || call->kind != AST_CALL || call->list.n != 1) return NULL;
  const AstNode *arg = call->list.items[0];
  if (t->kind == TABLE_BY_DATE && arg->kind == AST_DATE) return table_row_on(t, arg->ival);
  if (t->kind == TABLE_BY_KEY && arg->kind == AST_INT) return table_row_for(t, arg->ival);
  if (t->kind == TABLE_BY_KEY && arg->refkind == REF_ENUM_MEMBER && arg->ref >= 0) return table_row_for(t, arg->ref);
  return NULL;
}

/* The CSV file of a table (its first line), or the row a literal lookup reads. */
static json_t *table_file_location(const Analysis *a, uint32_t t, const AstNode *call) {
  int f = feat_table_file(a, t);
  if (f < 0) return NULL;
  const SourceFile *sf = &a->front.src.files[f];
  const TableRow *row = row_of_call(feat_table(a, t), call);
  return lsp_location(sf, feat_line_span(sf, (uint32_t)f, row ? row->line : 1).off,
                      feat_line_span(sf, (uint32_t)f, row ? row->line : 1).len);
}

/* On the path of 'uit "x.csv"' in a table declaration: that table. */
static int table_path_at(const Analysis *a, uint32_t file, uint32_t off) {
  const Program *p = a->front.prog;
  for (uint32_t i = 0; p && i < p->ntables; i++) {
    const AstNode *d = p->tables[i];
    if (d->span.file != file || off < d->span.off || off > d->span.off + d->span.len || !d->str) continue;
    const SourceFile *f = &a->front.src.files[file];
    size_t n = strlen(d->str);
    /* the path is the last string of the declaration */
    uint32_t end = d->span.off + d->span.len;
    if (end <= f->len && end >= n + 2 && off + n + 2 >= end && memcmp(f->text + end - n - 1, d->str, n) == 0) return (int)i;
  }
  return -1;
}

/* On the path of 'gebruik "..."' or 'voorstel op "..."': the first rule file of that rule set. */
static json_t *used_set_at(const Analysis *a, uint32_t file, uint32_t off) {
  const AstList *decls = &a->front.ast.decls;
  for (uint32_t i = 0; i < decls->n; i++) {
    const AstNode *d = decls->items[i];
    if ((d->kind != AST_USE && d->kind != AST_PROPOSAL) || d->span.file != file || !d->str) continue;
    if (off < d->span.off || off > d->span.off + d->span.len) continue;
    const char *name = a->front.src.files[file].name, *slash = strrchr(name, '/');
    char path[PATH_MAX], real[PATH_MAX], have[PATH_MAX];
    snprintf(path, sizeof path, "%.*s%s", slash ? (int)(slash - name + 1) : 0, name, d->str);
    if (!realpath(path, real)) return NULL;
    size_t n = strlen(real);
    for (uint32_t f = 0; f < a->front.src.n; f++) {
      const char *fn = a->front.src.files[f].name;
      size_t l = strlen(fn);
      if (f == file || l < 6 || strcmp(fn + l - 6, ".rules") != 0 || !realpath(fn, have)) continue;
      if (strcmp(have, real) == 0 || (strncmp(have, real, n) == 0 && have[n] == '/' && !strchr(have + n + 1, '/')))
        return lsp_location(&a->front.src.files[f], 0, 0);
    }
    return NULL;
  }
  return NULL;
}

json_t *feat_definition(const Analysis *a, uint32_t file, uint32_t off) {
  json_t *out = json_array();
  const XOcc *o = feat_occ_at(a, file, off);
  if (!o) {
    int t = a && a->front.prog ? table_path_at(a, file, off) : -1;
    if (t >= 0) append_location(out, table_file_location(a, (uint32_t)t, NULL));
    else if (a && file < a->front.src.n) append_location(out, used_set_at(a, file, off));
    return out;
  }
  const XSym *s = &a->xref->syms[o->sym];
  if (s->at.len) append_location(out, feat_location(a, s->at));
  if (s->kind == XS_TABLE) append_location(out, table_file_location(a, (uint32_t)s->a, o->node));
  return out;
}

json_t *feat_references(const Analysis *a, uint32_t file, uint32_t off, bool include_decl) {
  json_t *out = json_array();
  const XOcc *o = feat_occ_at(a, file, off);
  if (!o) return out;
  uint32_t n;
  const uint32_t *uses = xref_uses(a->xref, o->sym, &n);
  for (uint32_t i = 0; i < n; i++) {
    const XOcc *u = &a->xref->occs[uses[i]];
    if (u->decl && !include_decl) continue;
    append_location(out, feat_location(a, u->span));
  }
  return out;
}

/* Why the symbol under the cursor cannot be renamed, or NULL: only a rule or a field of this rule set. */
static const char *not_renamable(const Analysis *a, const XOcc *o, char *err, size_t cap) {
  if (!o) return snprintf(err, cap, "%s", _("there is no rule or field here to rename")), err;
  const XSym *s = &a->xref->syms[o->sym];
  if (s->kind != XS_RULE && s->kind != XS_FIELD)
    return snprintf(err, cap, "%s", _("only a rule or a field can be renamed")), err;
  if (!s->decl || !feat_own_file(a, s->at.file) || strchr(s->name, '.'))
    return snprintf(err, cap, _("'%s' is declared in another rule set (a used set or the base of a proposal): rename it there"),
                    s->name), err;
  return NULL;
}

json_t *feat_prepare_rename(const Analysis *a, uint32_t file, uint32_t off) {
  char err[256];
  const XOcc *o = feat_occ_at(a, file, off);
  if (not_renamable(a, o, err, sizeof err)) return json_null();
  const SourceFile *f = &a->front.src.files[o->span.file];
  return json_pack("{s:o,s:s}", "range", lsp_range(f, o->span.off, o->span.len), "placeholder", a->xref->syms[o->sym].name);
}

/* What already carries `name` where the renamed symbol would meet it, or NULL. */
static const char *collision(const Analysis *a, const XSym *s, const char *name) {
  const Xref *x = a->xref;
  const Program *p = a->front.prog;
  bool input_field = s->kind == XS_FIELD && s->a == p->schema.input;
  if (s->kind == XS_FIELD && !input_field) {
    const RecordType *rt = &p->schema.records[s->a];
    return schema_field_index(rt, name, strlen(name)) >= 0 ? _("a field of the same record") : NULL;
  }
  /* a rule and an invoer field share one namespace with tables, choices and the variables inside rules */
  for (uint32_t i = 0; i < x->nsyms; i++) {
    const XSym *o = &x->syms[i];
    if (strcmp(o->name, name) != 0) continue;
    switch (o->kind) {
    case XS_RULE: return _("a rule");
    case XS_TABLE: return _("a table");
    case XS_MEMBER: return _("a choice");
    case XS_ENUM: case XS_RECORD: return _("a type");
    case XS_PARAM: return _("a parameter of a rule");
    case XS_LOCAL: return _("a variable of an aggregation");
    case XS_EXCEPTION: return _("an exception");
    case XS_FIELD: if (o->a == p->schema.input) return _("an invoer field"); break;
    default: break;
    }
  }
  if (chk_builtin_function(name)) return _("a built-in function");
  if (chk_builtin_type(name)) return _("a built-in type");
  return NULL;
}

static void add_edit(json_t *changes, const SourceFile *f, uint32_t off, uint32_t len, const char *text) {
  char *uri = lsp_uri_from_path(f->name);
  if (!uri) return;
  json_t *edits = json_object_get(changes, uri);
  if (!edits) {
    edits = json_array();
    json_object_set_new(changes, uri, edits);
  }
  json_array_append_new(edits, json_pack("{s:o,s:s}", "range", lsp_range(f, off, len), "newText", text));
  free(uri);
}

json_t *feat_rename(const Analysis *a, uint32_t file, uint32_t off, const char *new_name, char *err, size_t cap) {
  const XOcc *o = feat_occ_at(a, file, off);
  if (not_renamable(a, o, err, cap)) return NULL;
  const XSym *s = &a->xref->syms[o->sym];
  if (!feat_is_name(new_name)) {
    snprintf(err, cap, _("'%s' is not a name: a name is letters, digits and '_', starts with a letter and is no keyword"),
             new_name ? new_name : "");
    return NULL;
  }
  json_t *changes = json_object();
  if (strcmp(new_name, s->name) != 0) {
    const char *what = collision(a, s, new_name);
    if (what) {
      snprintf(err, cap, _("'%s' is already %s in this rule set"), new_name, what);
      json_decref(changes);
      return NULL;
    }
    uint32_t n;
    const uint32_t *uses = xref_uses(a->xref, o->sym, &n);
    for (uint32_t i = 0; i < n; i++) {
      const XOcc *u = &a->xref->occs[uses[i]];
      add_edit(changes, &a->front.src.files[u->span.file], u->span.off, u->span.len, new_name);
    }
    /*
    ** The case files of the rule set: a rule under verwacht/redenen, an invoer field under invoer, a
    ** field of another record inside the lines of invoer's lists -- when no other record has a field of
    ** that name (a case file does not say which record a line is of).
    */
    const Program *p = a->front.prog;
    bool rule = s->kind == XS_RULE, input = s->kind == XS_FIELD && s->a == p->schema.input, nested = !rule && !input;
    for (uint32_t r = 0; nested && r < p->schema.nrecords; r++)
      if ((int32_t)r != s->a && (int32_t)r != p->schema.input &&
          schema_field_index(&p->schema.records[r], s->name, strlen(s->name)) >= 0)
        nested = false;
    if (rule || input || nested) {
      CaseFiles cf;
      casefiles_find(&cf, a->root);
      for (uint32_t i = 0; i < cf.n; i++) {
        CaseKeys k;
        casefiles_keys(&cf.files[i], s->name, rule ? CASE_RULES : CASE_INPUT, nested, &k);
        for (uint32_t j = 0; j < k.n; j++) add_edit(changes, &cf.files[i], k.offs[j], (uint32_t)strlen(s->name), new_name);
        free(k.offs);
      }
      casefiles_free(&cf);
    }
  }
  return json_pack("{s:o}", "changes", changes);
}

json_t *feat_case_definition(const Analysis *a, const char *text, uint32_t len, uint32_t off) {
  json_t *out = json_array();
  const Program *p = a ? a->front.prog : NULL;
  if (!p || !text) return out;
  CaseKey k;
  if (!casefiles_key_at(text, len, off, &k)) return out;
  int32_t sym = -1;
  if (k.section == CASE_INPUT && p->schema.input >= 0) {
    const RecordType *rt = &p->schema.records[p->schema.input];
    int f = k.depth == 0 ? schema_field_index(rt, k.name, strlen(k.name)) : -1;
    if (f >= 0) sym = (int32_t)(a->xref->field_base[p->schema.input] + (uint32_t)f);
    for (uint32_t r = 0; sym < 0 && r < p->schema.nrecords; r++) {   /* a field of a line of a list */
      int g = schema_field_index(&p->schema.records[r], k.name, strlen(k.name));
      if (g >= 0 && (int32_t)r != p->schema.input) sym = (int32_t)(a->xref->field_base[r] + (uint32_t)g);
    }
  } else if (k.section == CASE_RULES) {
    sym = xref_find(a->xref, XS_RULE, k.name);
    if (sym < 0 && p->schema.input >= 0) {
      const RecordType *rt = &p->schema.records[p->schema.input];
      int f = schema_field_index(rt, k.name, strlen(k.name));
      if (f >= 0) sym = (int32_t)(a->xref->field_base[p->schema.input] + (uint32_t)f);
    }
  }
  if (sym >= 0 && a->xref->syms[sym].at.len) append_location(out, feat_location(a, a->xref->syms[sym].at));
  return out;
}
