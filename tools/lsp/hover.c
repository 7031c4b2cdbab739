/*
** hover.c: what a name is, in Markdown (features.h feat_hover). A rule: its
** type, label, sources as links (links.h), versions with their dates, the
** KEUZE / OPEN VRAAG ids in the comments above it, its exceptions. A table:
** its types and file, and the row in force on a day -- the lookup's own
** literal day, else the client's setting (dagloon.datum), else the first
** case file's day (casefiles.h) -- with the row's status and source.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "casefiles.h"
#include "feature_util.h"
#include "features.h"
#include "links.h"
#include "position.h"
#include "runtime/date.h"
#include "runtime/i18n.h"
#include "runtime/num.h"

static const char *kw(Lang l, const char *nl, const char *en) { return l == LANG_EN ? en : nl; }

static const char *type_name(const Program *p, TypeRef t, Lang l, char *buf, size_t cap) {
  return chk_type_name(p, t, l, buf, cap);
}

static void cites(FILE *o, const Program *p, const AstList *l, const char *indent) {
  for (uint32_t i = 0; i < l->n; i++) {
    if (l->items[i]->kind != AST_CITE) continue;
    char *md = link_markdown(p, l->items[i]);
    fprintf(o, "%s- %s: %s\n", indent, _("source"), md);
    free(md);
  }
}

/* KEUZE / OPEN VRAAG [id] in the text from the previous declaration of the file to the end of this one. */
static void choice_ids(FILE *o, const Analysis *a, const AstNode *d) {
  const Program *p = a->front.prog;
  uint32_t from = 0, end = d->span.off + d->span.len;
  for (uint32_t i = 0; p->ast && i < p->ast->decls.n; i++) {
    const AstNode *e = p->ast->decls.items[i];
    uint32_t eend = e->span.off + e->span.len;
    if (e->span.file == d->span.file && eend <= d->span.off && eend > from) from = eend;
  }
  const SourceFile *f = &a->front.src.files[d->span.file];
  if (end > f->len) return;
  static const char *const marks[] = {"KEUZES", "KEUZE", "OPEN VRAGEN", "OPEN VRAAG"};
  bool first = true;
  for (uint32_t i = from; i + 2 < end; i++) {
    if (f->text[i] != ' ' || f->text[i + 1] != '[') continue;
    const char *mark = NULL;
    for (size_t m = 0; m < 4 && !mark; m++) {
      size_t n = strlen(marks[m]);
      if (i >= from + n && memcmp(f->text + i - n, marks[m], n) == 0) mark = marks[m];
    }
    const char *close = memchr(f->text + i + 2, ']', end - i - 2);
    if (!mark || !close || close - (f->text + i + 2) > 80) continue;
    fprintf(o, "%s%s `%.*s`", first ? "\n" : ", ", mark, (int)(close - (f->text + i + 2)), f->text + i + 2);
    first = false;
  }
  if (!first) fputc('\n', o);
}

static void version_line(FILE *o, const Program *p, const AstNode *v, Lang l) {
  char from[16] = "", to[16] = "";
  if (v->a && v->a->kind == AST_DATE) date_format(v->a->ival, from);
  if (v->c && v->c->kind == AST_DATE) date_format(v->c->ival, to);
  fprintf(o, "- %s%s%s%s%s%s\n", kw(l, "versie geldig", "version valid"), from[0] ? kw(l, " vanaf ", " from ") : "", from,
          to[0] ? kw(l, " t/m ", " through ") : "", to, "");
  cites(o, p, &v->list, "  ");
}

static void hover_rule(FILE *o, const Analysis *a, const XSym *s, Lang l) {
  const Program *p = a->front.prog;
  const AstNode *r = p->rules[s->a];
  char buf[256];
  fprintf(o, "```dagloon\n%s%s %s", r->native ? "extern " : "", kw(l, "regel", "rule"), r->name);
  for (uint32_t i = 0; i < r->params.n; i++)
    fprintf(o, "%s%s: %s", i ? ", " : "(", r->params.items[i]->name, type_name(p, r->params.items[i]->type, l, buf, sizeof buf));
  fprintf(o, "%s: %s\n```\n", r->params.n ? ")" : "", type_name(p, r->type, l, buf, sizeof buf));
  if (r->label && r->label->str) fprintf(o, "\n*%s*\n", r->label->str);
  if (r->list.n) fputc('\n', o);
  cites(o, p, &r->list, "");
  if (r->extra.n) fprintf(o, "\n%s:\n", _("Versions"));
  for (uint32_t i = 0; i < r->extra.n; i++) version_line(o, p, r->extra.items[i], l);
  bool any = false;
  for (uint32_t i = 0; i < p->nexceptions; i++) {
    const AstNode *e = p->exceptions[i];
    if (!e->c || !e->c->name || strcmp(e->c->name, r->name) != 0) continue;
    fprintf(o, "%s`%s`", any ? ", " : _("\nExceptions: "), e->name);
    any = true;
  }
  if (any) fputc('\n', o);
  choice_ids(o, a, r);
}

static void hover_field(FILE *o, const Analysis *a, const XSym *s, Lang l) {
  const Program *p = a->front.prog;
  const FieldDesc *fd = &p->schema.records[s->a].fields[s->b];
  char buf[256];
  TypeRef t = fd->optional ? (TypeRef){fd->type.elem, 0, fd->type.ref} : fd->type;   /* optioneel T is held as a list of T */
  fprintf(o, "```dagloon\n%s: %s%s\n```\n", fd->name, fd->optional ? kw(l, "optioneel ", "optional ") : "",
          type_name(p, t, l, buf, sizeof buf));
  if (fd->optional) fprintf(o, "\n%s\n", _("optional: a dossier may leave it out"));
  if (s->a == p->schema.input) fprintf(o, "\n%s `%s`\n", _("A field of the invoer"), p->schema.records[s->a].name);
  else fprintf(o, "\n%s `%s`\n", _("A field of"), p->schema.records[s->a].name);
  if (fd->label) fprintf(o, "\n*%s*\n", fd->label);
}

static void hover_record(FILE *o, const Analysis *a, const XSym *s, Lang l) {
  const Program *p = a->front.prog;
  const RecordType *rt = &p->schema.records[s->a];
  char buf[256];
  fprintf(o, "```dagloon\n%s %s {\n", s->a == p->schema.input ? kw(l, "invoer", "input") : kw(l, "gegevens", "record"), rt->name);
  for (uint32_t i = 0; i < rt->nfields; i++) fprintf(o, "  %s: %s\n", rt->fields[i].name, type_name(p, rt->fields[i].type, l, buf, sizeof buf));
  fprintf(o, "}\n```\n");
}

static void hover_enum(FILE *o, const Analysis *a, const XSym *s, Lang l) {
  const EnumType *et = &a->front.prog->schema.enums[s->a];
  fprintf(o, "```dagloon\n%s %s { ", kw(l, "keuze", "choice"), et->name);
  for (uint32_t i = 0; i < et->nmembers; i++) fprintf(o, "%s%s", i ? ", " : "", et->members[i]);
  fprintf(o, " }\n```\n");
}

static void hover_member(FILE *o, const Analysis *a, const XSym *s) {
  const EnumType *et = &a->front.prog->schema.enums[s->a];
  fprintf(o, "```dagloon\n%s.%s\n```\n\n%s `%s`\n", et->name, et->members[s->b], _("A choice of"), et->name);
  if (et->labels && et->labels[s->b]) fprintf(o, "\n*%s*\n", et->labels[s->b]);
}

static void value_text(const Program *p, const Table *t, const TableRow *row, char *buf, size_t cap) {
  if (row->unknown) {
    snprintf(buf, cap, "%s", _("(not known)"));
    return;
  }
  switch (t->valtype.kind) {
  case VK_MONEY: money_format(row->value.i, buf, cap); break;
  case VK_DEC: dec_format(row->value.dec, buf, cap); break;
  case VK_INT: { char b[32]; int_format(row->value.i, b); snprintf(buf, cap, "%s", b); break; }
  case VK_DATE: { char b[16]; date_format(row->value.i, b); snprintf(buf, cap, "%s", b); break; }
  case VK_BOOL: snprintf(buf, cap, "%s", row->value.i ? "waar" : "onwaar"); break;
  case VK_TEXT: snprintf(buf, cap, "%s", row->value.text ? row->value.text->bytes : ""); break;
  case VK_ENUM:
    snprintf(buf, cap, "%s", t->valtype.ref < p->schema.nenums && row->value.i >= 0 &&
                              (uint64_t)row->value.i < p->schema.enums[t->valtype.ref].nmembers
                                 ? p->schema.enums[t->valtype.ref].members[row->value.i] : "?");
    break;
  default: snprintf(buf, cap, "?"); break;
  }
}

static const char *status_text(uint8_t s) {
  return s == ROW_STATED ? "stated" : s == ROW_DERIVED ? "derived" : "unverified";
}

static void row_lines(FILE *o, const Analysis *a, uint32_t t, const TableRow *row, const char *why) {
  const Table *tab = feat_table(a, t);
  char key[32] = "", val[128];
  if (tab->kind == TABLE_BY_DATE || tab->keytype.kind == VK_DATE) date_format(row->key, key);
  else if (tab->keytype.kind == VK_ENUM && tab->keytype.ref < a->front.prog->schema.nenums && row->key >= 0 &&
           (uint64_t)row->key < a->front.prog->schema.enums[tab->keytype.ref].nmembers)
    snprintf(key, sizeof key, "%s", a->front.prog->schema.enums[tab->keytype.ref].members[row->key]);
  else int_format(row->key, key);
  value_text(a->front.prog, tab, row, val, sizeof val);
  fprintf(o, "\n%s %s:\n\n", _("The row in force"), why);
  fprintf(o, "| %s | %s | %s | %s |\n|---|---|---|---|\n", tab->kind == TABLE_BY_DATE ? "vanaf" : "sleutel", "waarde", "status", "bron");
  const char *src = row->source ? row->source : "";
  bool url = strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0;
  fprintf(o, "| %s | %s | %s | %s%s%s%s%s |\n", key, val, status_text(row->status), url ? "[" : "", src, url ? "](" : "",
          url ? src : "", url ? ")" : "");
  if (row->note && row->note[0]) fprintf(o, "\n%s\n", row->note);
  int f = feat_table_file(a, t);
  if (f >= 0) fprintf(o, "\n%s:%u\n", a->front.src.files[f].name, row->line);
}

static void hover_table(FILE *o, const Analysis *a, const XSym *s, const XOcc *occ, Lang l, const LspSettings *set) {
  const Program *p = a->front.prog;
  const AstNode *d = p->tables[s->a];
  const Table *tab = feat_table(a, (uint32_t)s->a);
  char b1[128], b2[128];
  fprintf(o, "```dagloon\n%s %s: %s %s %s\n```\n", kw(l, "tabel", "table"), d->name, type_name(p, d->a->type, l, b1, sizeof b1),
          kw(l, "per", "by"), type_name(p, d->b->type, l, b2, sizeof b2));
  if (d->str) fprintf(o, "\n%s `%s`\n", _("Rows from"), d->str);
  if (d->list.n) fputc('\n', o);
  cites(o, p, &d->list, "");
  if (!tab || tab->nrows == 0) return;
  /* the lookup's own literal argument, else the day of the setting or of a case */
  const AstNode *call = occ->node;
  if (call && call->kind == AST_CALL && call->list.n == 1) {
    const AstNode *arg = call->list.items[0];
    const TableRow *row = NULL;
    if (tab->kind == TABLE_BY_DATE && arg->kind == AST_DATE) row = table_row_on(tab, arg->ival);
    else if (tab->kind == TABLE_BY_KEY && arg->kind == AST_INT) row = table_row_for(tab, arg->ival);
    if (row) {
      row_lines(o, a, (uint32_t)s->a, row, _("for this lookup"));
      return;
    }
  }
  if (tab->kind != TABLE_BY_DATE) return;
  char day[11] = "", from[300] = "", why[400];
  int64_t dn;
  const char *bad;
  if (set && set->date[0] && date_parse(set->date, strlen(set->date), &dn, &bad)) {
    snprintf(day, sizeof day, "%s", set->date);
    snprintf(from, sizeof from, "%s", _("the setting dagloon.datum"));
  } else {
    /* the invoer fields rules take as their peildatum are the case's days that matter most */
    const char *prefer[16];
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->nrules && n < 16; i++) {
      const AstNode *pd = p->rules[i]->c;
      if (pd && pd->kind == AST_NAME && pd->refkind == REF_INPUT && p->schema.input >= 0 && pd->ref >= 0 &&
          (uint32_t)pd->ref < p->schema.records[p->schema.input].nfields) {
        const char *name = p->schema.records[p->schema.input].fields[pd->ref].name;
        bool seen = false;
        for (uint32_t k = 0; k < n; k++) seen = seen || strcmp(prefer[k], name) == 0;
        if (!seen) prefer[n++] = name;
      }
    }
    CaseFiles cf;
    casefiles_find(&cf, a->root);
    char where[256];
    if (casefiles_date(&cf, prefer, n, day, where, sizeof where) && date_parse(day, 10, &dn, &bad))
      snprintf(from, sizeof from, _("the first case (%s)"), where);
    else day[0] = 0;
    casefiles_free(&cf);
  }
  if (!day[0]) {
    fprintf(o, "\n%s\n", _("Set dagloon.datum to see the row in force on a day."));
    return;
  }
  const TableRow *row = table_row_on(tab, dn);
  if (!row) {
    fprintf(o, "\n%s %s (%s).\n", _("No row is in force on"), day, from);
    return;
  }
  snprintf(why, sizeof why, _("on %s, the day of %s"), day, from);
  row_lines(o, a, (uint32_t)s->a, row, why);
}

static void hover_source(FILE *o, const Analysis *a, const XSym *s, const XOcc *occ) {
  const Program *p = a->front.prog;
  const AstNode *d = p->sources[s->a];
  fprintf(o, "**%s** %s%s%s\n", d->name, d->str ? d->str : "", d->str2 && d->str2[0] ? ", " : "", d->str2 ? d->str2 : "");
  if (occ->node && occ->node->kind == AST_CITE) {
    char *md = link_markdown(p, occ->node);
    fprintf(o, "\n%s\n", md);
    free(md);
  } else {
    char *url = link_of_source(d);
    if (url) fprintf(o, "\n%s\n", url);
    free(url);
  }
}

static void hover_exception(FILE *o, const Analysis *a, const XSym *s, Lang l) {
  const Program *p = a->front.prog;
  const AstNode *e = p->exceptions[s->a];
  fprintf(o, "```dagloon\n%s %s %s %s\n```\n", kw(l, "uitzondering", "exception"), e->name, kw(l, "op", "on"),
          e->c && e->c->name ? e->c->name : "?");
  if (e->label && e->label->str) fprintf(o, "\n*%s*\n", e->label->str);
  if (e->list.n) fputc('\n', o);
  cites(o, p, &e->list, "");
  choice_ids(o, a, e);
}

json_t *feat_hover(const Analysis *a, uint32_t file, uint32_t off, const LspSettings *s) {
  const XOcc *occ = feat_occ_at(a, file, off);
  if (!occ) return json_null();
  const XSym *sym = &a->xref->syms[occ->sym];
  const Program *p = a->front.prog;
  Lang l = feat_lang(a, sym->at.len ? sym->at.file : file);
  char *md = NULL, buf[256];
  size_t mdlen = 0;
  FILE *o = open_memstream(&md, &mdlen);
  if (!o) return json_null();
  switch (sym->kind) {
  case XS_RULE: hover_rule(o, a, sym, l); break;
  case XS_FIELD: hover_field(o, a, sym, l); break;
  case XS_RECORD: hover_record(o, a, sym, l); break;
  case XS_ENUM: hover_enum(o, a, sym, l); break;
  case XS_MEMBER: hover_member(o, a, sym); break;
  case XS_TABLE: hover_table(o, a, sym, occ, l, s); break;
  case XS_SOURCE: hover_source(o, a, sym, occ); break;
  case XS_EXCEPTION: hover_exception(o, a, sym, l); break;
  case XS_PARAM:
    fprintf(o, "```dagloon\n%s: %s\n```\n\n%s `%s`\n", sym->name,
            type_name(p, p->rules[sym->a]->params.items[sym->b]->type, l, buf, sizeof buf), _("A parameter of"),
            p->rules[sym->a]->name);
    break;
  case XS_LOCAL: {
    const AstNode *agg = sym->decl;
    TypeRef t = agg->a ? agg->a->type : (TypeRef){TY_ERROR, 0, 0};
    TypeRef elem = t.kind == VK_LIST ? (TypeRef){t.elem, 0, t.ref} : (TypeRef){TY_ERROR, 0, 0};
    fprintf(o, "```dagloon\n%s: %s\n```\n\n%s\n", sym->name, type_name(p, elem, l, buf, sizeof buf),
            _("Each line of the list in turn"));
    break;
  }
  }
  fclose(o);
  const SourceFile *f = &a->front.src.files[file];
  json_t *out = json_pack("{s:{s:s,s:s},s:o}", "contents", "kind", "markdown", "value", md ? md : "", "range",
                          lsp_range(f, occ->span.off, occ->span.len));
  free(md);
  return out ? out : json_null();
}
