/*
** check.c: name resolution and static typing of a whole rule set.
**
** Order: collect declarations (types, input, sources, rules) and report
** duplicates; resolve field types into the Schema; type every rule body;
** find cycles between rules; resolve the output list. An expression with an
** error gets type TY_ERROR, and nothing is reported about a TY_ERROR
** operand, so one mistake yields one message.
**
** Money typing (LANGUAGE.md): geld + geld -> geld, geld x geheel -> geld,
** geld x getal -> getal, geld / x -> getal, geld x geld is an error, and a
** getal becomes geld only through afgerond(...).
*/
#include "check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/date.h"
#include "runtime/strutil.h"
#include "labels.h"
#include "strict.h"
#include "tables.h"
#include "runtime/i18n.h"

typedef struct Chk {
  Program *p;
  DiagList *d;
  AstNode *rule;            /* rule being checked */
  uint32_t rule_index;
  AstNode *scope[64];       /* AGG nodes whose variable is in scope, innermost last */
  int nscope;
  /* dependencies found while typing: deps[rule] = referenced rules with the referencing node */
  struct Dep { uint32_t to; AstNode *at; } **deps;
  uint32_t *ndeps, *capdeps;
  uint32_t nrulefiles;      /* files [0, nrulefiles) are rule files; table CSVs come after */
  uint8_t *strict;          /* per rule file: its rule set is law ('strikt', lang/strict.h) */
  /* facts as known on a date: per rule, whether it reads a list whose lines have a knowledge date, and its
     first 'zoals bekend op'; every 'zoals bekend op' with the rule it is in */
  uint8_t *reads_known;
  AstNode **first_as_known;
  struct AsKnown { AstNode *at; uint32_t rule; } *as_known;
  size_t nas_known, capas_known;
} Chk;

/* In a rule set that is law ('strikt')? */
static bool is_strict(const Chk *c, const AstNode *n) { return n->span.file < c->nrulefiles && c->strict[n->span.file]; }

static const TypeRef T_ERR = {TY_ERROR, 0, 0};
static const TypeRef T_BOOL = {VK_BOOL, 0, 0};
static const TypeRef T_INT = {VK_INT, 0, 0};
static const TypeRef T_DEC = {VK_DEC, 0, 0};
static const TypeRef T_MONEY = {VK_MONEY, 0, 0};
static const TypeRef T_DATE = {VK_DATE, 0, 0};
static const TypeRef T_TEXT = {VK_TEXT, 0, 0};

static bool ty_eq(TypeRef a, TypeRef b) { return a.kind == b.kind && a.elem == b.elem && a.ref == b.ref; }
static bool is_err(TypeRef t) { return t.kind == TY_ERROR; }
static bool is_num(TypeRef t) { return t.kind == VK_INT || t.kind == VK_DEC; }

static Lang lang_of(Chk *c, Span s) { return s.file < c->nrulefiles ? c->p->langs[s.file] : LANG_NL; }
static Lang rule_lang(Chk *c) { return lang_of(c, c->rule ? c->rule->span : (Span){0, 0, 0}); }

/* ---- names of built-in types, functions and arguments, per language ---- */

static const struct BuiltinType { const char *nl, *en; uint8_t kind; } builtin_types[] = {
  {"waarheid", "bool", VK_BOOL}, {"geheel", "integer", VK_INT}, {"getal", "number", VK_DEC},
  {"geld", "money", VK_MONEY},   {"datum", "date", VK_DATE},     {"tekst", "text", VK_TEXT},
  {"periode", "period", VK_PERIOD}, {"dagen", "days", VK_DAYS},  {"maanden", "months", VK_MONTHS},
  {"jaren", "years", VK_YEARS},
  {"percentage", "percentage", VK_DEC},   /* a getal by another name: 70% is 7/10 */
};

static const struct { const char *nl, *en; } builtin_funcs[] = {
  [BI_ROUND] = {"afgerond", "rounded"}, [BI_MIN] = {"min", "min"},   [BI_MAX] = {"max", "max"},
  [BI_SUM] = {"som", "sum"},            [BI_COUNT] = {"aantal", "count"},
  [BI_ALL] = {"elk", "all"},            [BI_ANY] = {"enig", "any"},
  [BI_DAYS] = {"dagen", "days"},        [BI_MONTHS] = {"maanden", "months"},
  [BI_YEARS] = {"jaren", "years"},      [BI_INTEGER] = {"geheel", "integer"},
  [BI_PERIOD] = {"periode", "period"},  [BI_CAL_MONTH] = {"kalendermaand", "calendar_month"},
  [BI_QUARTER] = {"kwartaal", "quarter"}, [BI_HALFYEAR] = {"halfjaar", "half_year"},
  [BI_CAL_YEAR] = {"kalenderjaar", "calendar_year"},
  [BI_YEAR] = {"jaar", "year"},         [BI_MONTH] = {"maand", "month"},
  [BI_DAY] = {"dag", "day"},            [BI_WEEKDAY] = {"weekdag", "weekday"},
  [BI_DAYS_IN_MONTH] = {"dagen_in_maand", "days_in_month"},
  [BI_LENGTH] = {"lengte", "length"},   [BI_WORKDAYS] = {"dagloondagen", "workdays"},
  [BI_OVERLAPS] = {"overlapt", "overlaps"}, [BI_INTERSECTION] = {"doorsnede", "intersection"},
  [BI_CONTAINS] = {"bevat", "contains"},
  [BI_CAL_MONTHS] = {"kalendermaanden", "calendar_months"},
  [BI_TIJDVAK] = {"tijdvak", "payroll_period"}, [BI_TIJDVAKKEN] = {"tijdvakken", "payroll_periods"},
  [BI_PLUS] = {"plus", "add"},
  [BI_FAIL] = {"fout", "error"},
  [BI_GIVEN] = {"gegeven", "given"},
  [BI_REVISE] = {"herzien", "revised"},
};
#define NBUILTINS ((int)(sizeof builtin_funcs / sizeof *builtin_funcs))

static const struct { const char *nl, *en; } round_methods[ROUND__COUNT] = {
  [ROUND_HALF_AWAY] = {"rekenkundig", "half_away_from_zero"},
  [ROUND_CEIL] = {"naar_boven", "up"},
  [ROUND_FLOOR] = {"naar_beneden", "down"},
  [ROUND_TOWARD_ZERO] = {"richting_nul", "toward_zero"},
  [ROUND_AWAY_FROM_ZERO] = {"weg_van_nul", "away_from_zero"},
};

static const char *in_lang(Lang l, const char *nl, const char *en) { return l == LANG_EN ? en : nl; }

static Builtin find_builtin(const char *name, Lang l, Builtin *other_lang) {
  *other_lang = BI_NONE;
  for (int i = 0; i < NBUILTINS; i++) {
    if (strcmp(name, in_lang(l, builtin_funcs[i].nl, builtin_funcs[i].en)) == 0) return (Builtin)i;
    if (strcmp(name, in_lang(l, builtin_funcs[i].en, builtin_funcs[i].nl)) == 0) *other_lang = (Builtin)i;
  }
  return BI_NONE;
}

const char *chk_type_name(const Program *p, TypeRef t, Lang lang, char *buf, size_t cap) {
  if (t.kind == TY_ERROR) { snprintf(buf, cap, "?"); return buf; }
  if (t.kind == TY_NEVER) { snprintf(buf, cap, "%s(...)", lang == LANG_EN ? "error" : "fout"); return buf; }
  uint8_t k = t.kind == VK_LIST ? t.elem : t.kind;
  const char *base = "?";
  if (k == VK_ENUM) base = t.ref < p->schema.nenums ? p->schema.enums[t.ref].name : "?";
  else if (k == VK_RECORD) base = t.ref < p->schema.nrecords ? p->schema.records[t.ref].name : "?";
  else
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
      if (builtin_types[i].kind == k) {   /* the first name of a kind is its name in messages */
        base = in_lang(lang, builtin_types[i].nl, builtin_types[i].en);
        break;
      }
  if (t.kind == VK_LIST) snprintf(buf, cap, "%s %s", in_lang(lang, "lijst", "list"), base);
  else snprintf(buf, cap, "%s", base);
  return buf;
}

/* A type name in a message; two slots so one message can name two types. */
static const char *tn(Chk *c, TypeRef t, int slot) {
  static char bufs[2][96];
  return chk_type_name(c->p, t, rule_lang(c), bufs[slot & 1], sizeof bufs[0]);
}

/* ---- declarations ---- */

typedef struct NameList { const char **v; size_t n, cap; } NameList;
static void names_add(NameList *l, const char *s) { VEC_PUSH(l->v, l->n, l->cap, s); }

static void suggest(Chk *c, Diag *dg, const char *name, NameList *cands) {
  if (dg->dropped) return;
  const char *s = str_suggest(name, strlen(name), cands->v, cands->n);
  diag_suggest(c->d, dg, name, strlen(name), s);
}

static int find_enum(Program *p, const char *name) { return nameidx_find(&p->enum_ix, name); }
static int find_record(Program *p, const char *name) { return nameidx_find(&p->record_ix, name); }
static int find_rule(Program *p, const char *name) { return nameidx_find(&p->rule_ix, name); }
static int find_table(Program *p, const char *name) { return nameidx_find(&p->table_ix, name); }
static int find_input_field(Program *p, const char *name) {
  if (p->schema.input < 0) return -1;
  return nameidx_find(&p->input_ix, name);
}
static int builtin_type(const char *name, Lang l, int *other) {
  *other = -1;
  for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++) {
    if (strcmp(name, in_lang(l, builtin_types[i].nl, builtin_types[i].en)) == 0) return builtin_types[i].kind;
    if (strcmp(name, in_lang(l, builtin_types[i].en, builtin_types[i].nl)) == 0) *other = (int)i;
  }
  return -1;
}

bool chk_builtin_function(const char *name) {
  Builtin other;
  /* 'decimalen' lives only inside afgerond(..., op: decimalen(n)), a named argument the namespace leaves alone */
  return find_builtin(name, LANG_NL, &other) != BI_NONE || other != BI_NONE;
}

const char *chk_builtin_function_name(int i, Lang lang) {
  return i < 0 || i >= NBUILTINS || !builtin_funcs[i].nl ? NULL : in_lang(lang, builtin_funcs[i].nl, builtin_funcs[i].en);
}

const char *chk_builtin_type_name(int i, Lang lang) {
  return i < 0 || (size_t)i >= sizeof builtin_types / sizeof *builtin_types ? NULL
                                                                            : in_lang(lang, builtin_types[i].nl, builtin_types[i].en);
}

bool chk_builtin_type(const char *name) {
  int other;
  return builtin_type(name, LANG_NL, &other) >= 0 || other >= 0;
}

/* The first declaration with this name among earlier ones, for "already declared" notes. */
static void report_duplicate(Chk *c, AstNode *n, AstNode *prev, const char *what) {
  Diag *dg = diag_error(c->d, n->nspan, "E010", "%s '%s' is already declared", _(what), n->name);
  if (dg->dropped) return;
  uint32_t line, col;
  const SourceFile *f = &c->p->src->files[prev->nspan.file];
  src_line_col(f, prev->nspan.off, &line, &col);
  diag_note_at(dg, prev->nspan, "the first declaration is at %s:%u:%u", f->name, line, col);
}

static TypeRef resolve_type(Chk *c, AstNode *t) {
  Lang l = lang_of(c, t->span);
  if (t->kind == AST_TYPE_OPTIONAL) {
    Diag *dg = diag_error(c->d, t->span, "E073", "only a field of 'gegevens' or 'invoer' can be %s",
                          in_lang(l, "optioneel", "optional"));
    diag_note(dg, "a rule always has a value (or an error row); give a fact the dossier may leave out as a field");
    return T_ERR;
  }
  if (t->kind == AST_TYPE_LIST) {
    TypeRef e = resolve_type(c, t->a);
    if (is_err(e)) return T_ERR;
    TypeRef r = {VK_LIST, e.kind, e.ref};
    return r;
  }
  int other;
  int k = builtin_type(t->name, l, &other);
  if (k >= 0) return (TypeRef){(uint8_t)k, 0, 0};
  int e = find_enum(c->p, t->name);
  if (e >= 0) return (TypeRef){VK_ENUM, 0, (uint16_t)e};
  int r = find_record(c->p, t->name);
  if (r >= 0) return (TypeRef){VK_RECORD, 0, (uint16_t)r};
  Diag *dg = diag_error(c->d, t->span, "E011", "unknown type '%s'", t->name);
  if (other >= 0) {
    diag_note(dg, l == LANG_EN ? N_("'%s' is the Dutch name; in this file write '%s'")
                               : N_("'%s' is the English name; in this file write '%s'"),
              t->name, in_lang(l, builtin_types[other].nl, builtin_types[other].en));
    return T_ERR;
  }
  if (dg->dropped) return T_ERR;   /* past the cap: no pass over every name for a note nobody sees */
  NameList cands = {0};
  for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
    names_add(&cands, in_lang(l, builtin_types[i].nl, builtin_types[i].en));
  for (uint32_t i = 0; i < c->p->schema.nenums; i++) names_add(&cands, c->p->schema.enums[i].name);
  for (uint32_t i = 0; i < c->p->schema.nrecords; i++) names_add(&cands, c->p->schema.records[i].name);
  suggest(c, dg, t->name, &cands);
  xfree(cands.v);
  return T_ERR;
}

/* Declare enums, records, input, sources, rules; report duplicate names. */
static void collect(Chk *c) {
  Program *p = c->p;
  Schema *s = &p->schema;
  AstList *decls = &p->ast->decls;
  size_t cap_e = 0, cap_r = 0, cap_rules = 0, cap_src = 0, cap_re = 0, cap_ee = 0, cap_tab = 0, cap_exc = 0;
  for (uint32_t i = 0; i < decls->n; i++) {
    AstNode *n = decls->items[i];
    switch (n->kind) {
    case AST_ENUM_DECL: case AST_RECORD_DECL: case AST_INPUT_DECL: {
      int other;
      Lang l = lang_of(c, n->span);
      int prev_e = find_enum(p, n->name), prev_r = find_record(p, n->name);
      if (prev_e >= 0 || prev_r >= 0) {
        report_duplicate(c, n, prev_e >= 0 ? p->enums[prev_e] : p->records[prev_r], N_("type"));
        continue;
      }
      if (builtin_type(n->name, l, &other) >= 0) {
        diag_error(c->d, n->nspan, "E010", "'%s' is a built-in type and cannot be declared again", n->name);
        continue;
      }
      if (n->kind == AST_ENUM_DECL) {
        EnumType et = {xstrdup(n->name), n->list.n, xcalloc(n->list.n, sizeof(char *)), NULL};
        NameIndex seen = {0};
        for (uint32_t j = 0; j < n->list.n; j++) {
          AstNode *m = n->list.items[j];
          et.members[j] = xstrdup(m->name);
          if (m->label) {
            if (!et.labels) et.labels = xcalloc(n->list.n, sizeof(char *));
            et.labels[j] = label_copy(m);
          }
          int32_t k = nameidx_add(&seen, m->name, (int32_t)j);
          if (k >= 0) report_duplicate(c, m, n->list.items[k], N_("choice"));
        }
        nameidx_free(&seen);
        nameidx_add(&p->enum_ix, n->name, (int32_t)s->nenums);
        size_t ne = s->nenums;
        VEC_PUSH(s->enums, ne, cap_e, et);
        VEC_PUSH(p->enums, s->nenums, cap_ee, n);
      } else {
        if (n->kind == AST_INPUT_DECL) {
          if (p->input) {
            report_duplicate(c, n, p->input, N_("input"));
            continue;
          }
          p->input = n;
          s->input = (int32_t)s->nrecords;
        }
        RecordType rt = {xstrdup(n->name), n->list.n, xcalloc(n->list.n, sizeof(FieldDesc))};
        NameIndex seen = {0};
        for (uint32_t j = 0; j < n->list.n; j++) {
          AstNode *f = n->list.items[j];
          rt.fields[j].name = xstrdup(f->name);
          rt.fields[j].label = label_copy(f);
          int32_t k = nameidx_add(&seen, f->name, (int32_t)j);
          if (k >= 0) report_duplicate(c, f, n->list.items[k], N_("field"));
        }
        if (n->kind == AST_INPUT_DECL) p->input_ix = seen;   /* kept: rules name input fields all the time */
        else nameidx_free(&seen);
        nameidx_add(&p->record_ix, n->name, (int32_t)s->nrecords);
        size_t nr = s->nrecords;
        VEC_PUSH(s->records, nr, cap_r, rt);
        VEC_PUSH(p->records, s->nrecords, cap_re, n);
      }
      break;
    }
    case AST_SOURCE_DECL: {
      int32_t k = nameidx_add(&p->source_ix, n->name, (int32_t)p->nsources);
      if (k >= 0) { report_duplicate(c, n, p->sources[k], N_("source")); goto next; }
    }
      { size_t ns = p->nsources; VEC_PUSH(p->sources, ns, cap_src, n); p->nsources = (uint32_t)ns; }
      break;
    case AST_RULE_DECL: {
      int32_t k = find_rule(p, n->name);
      if (k >= 0) { report_duplicate(c, n, p->rules[k], N_("rule")); goto next; }
      k = find_table(p, n->name);
      if (k >= 0) { report_duplicate(c, n, p->tables[k], N_("name")); goto next; }
      nameidx_add(&p->rule_ix, n->name, (int32_t)p->nrules);
    }
      { size_t nr = p->nrules; VEC_PUSH(p->rules, nr, cap_rules, n); p->nrules = (uint32_t)nr; }
      break;
    case AST_OUTPUT_DECL:
      if (p->output) { report_duplicate(c, n, p->output, N_("output")); break; }
      p->output = n;
      break;
    case AST_BENEFIT_DECL:
      if (p->benefit) {
        Diag *dg = diag_error(c->d, n->span, "E101", "a second 'uitkering': a rule set pays one benefit");
        if (!dg->dropped) {
          uint32_t line, col;
          const SourceFile *f = &c->p->src->files[p->benefit->span.file];
          src_line_col(f, p->benefit->span.off, &line, &col);
          diag_note_at(dg, p->benefit->span, "the first declaration is at %s:%u:%u", f->name, line, col);
        }
        break;
      }
      p->benefit = n;
      break;
    case AST_TABLE_DECL: {
      Builtin other;
      if (find_builtin(n->name, LANG_NL, &other) != BI_NONE || other != BI_NONE) {
        diag_error(c->d, n->nspan, "E010", "'%s' is a built-in function and cannot name a table", n->name);
        goto next;
      }
      int32_t k = find_table(p, n->name);
      if (k >= 0) { report_duplicate(c, n, p->tables[k], N_("table")); goto next; }
      k = find_rule(p, n->name);
      if (k >= 0) { report_duplicate(c, n, p->rules[k], N_("name")); goto next; }
      nameidx_add(&p->table_ix, n->name, (int32_t)p->ntables);
      { size_t nt = p->ntables; VEC_PUSH(p->tables, nt, cap_tab, n); p->ntables = (uint32_t)nt; }
      break;
    }
    case AST_EXCEPTION_DECL: {
      int32_t k = nameidx_add(&p->exception_ix, n->name, (int32_t)p->nexceptions);
      if (k >= 0) { report_duplicate(c, n, p->exceptions[k], "exception"); goto next; }
    }
      { size_t ne = p->nexceptions; VEC_PUSH(p->exceptions, ne, cap_exc, n); p->nexceptions = (uint32_t)ne; }
      break;
    default:
      break;
    }
  next:;
  }
}

/* A field of record r by the NAME that a record's head gives, or -1 after an error with the fields as candidates. */
static int known_field(Chk *c, uint32_t r, AstNode *name, const char *code, const char *what) {
  const RecordType *rt = &c->p->schema.records[r];
  int f = schema_field_index(rt, name->name, strlen(name->name));
  if (f >= 0) return f;
  Diag *dg = strcmp(code, "E034") == 0
                 ? diag_error(c->d, name->span, code, "key '%s' is not a field of '%s'", name->name, rt->name)
                 : diag_error(c->d, name->span, code, "'%s' (after %s) is not a field of '%s'", name->name, what, rt->name);
  NameList cands = {0};
  for (uint32_t j = 0; !dg->dropped && j < rt->nfields; j++) names_add(&cands, rt->fields[j].name);
  suggest(c, dg, name->name, &cands);
  xfree(cands.v);
  return -1;
}

/* The kind of a field's values: an optioneel T's T. */
static uint8_t base_kind(const FieldDesc *fd) { return fd->optional ? fd->type.elem : fd->type.kind; }

/*
** The head of a record whose lines become known on a date: 'sleutel k' names a line (tekst or
** geheel), 'bekend op f' is the day it became known (a datum), 'vervangt g' holds the key of the
** line it replaces (the key's type; optioneel: a first line replaces none). Each may be
** optioneel, so a rule set can add them to a record its dossiers already fill: a line is needed
** to give them only when a view needs them (VM: known_lines).
*/
static void resolve_known(Chk *c) {
  Program *p = c->p;
  p->known = xcalloc(p->schema.nrecords ? p->schema.nrecords : 1, sizeof *p->known);
  for (uint32_t r = 0; r < p->schema.nrecords; r++) {
    AstNode *n = p->records[r];
    KnownFields *k = &p->known[r];
    k->key = k->date = k->replaces = -1;
    if (n->kind != AST_RECORD_DECL) continue;
    const RecordType *rt = &p->schema.records[r];
    Lang l = lang_of(c, n->span);
    if (n->a && (k->key = known_field(c, r, n->a, "E034", "key")) >= 0) {
      uint8_t kk = base_kind(&rt->fields[k->key]);
      if (kk != VK_TEXT && kk != VK_INT) {
        diag_error(c->d, n->a->span, "E034", "key '%s' must be a tekst or geheel field", n->a->name);
        k->key = -1;
      }
    }
    if (n->b && (k->date = known_field(c, r, n->b, "E090", in_lang(l, "'bekend op'", "'known on'"))) >= 0) {
      const FieldDesc *fd = &rt->fields[k->date];
      if (base_kind(fd) != VK_DATE) {
        diag_error(c->d, n->b->span, "E090", "'%s' is %s, but the day a line became known is a datum", n->b->name,
                   tn(c, fd->optional ? (TypeRef){fd->type.elem, 0, fd->type.ref} : fd->type, 0));
        k->date = -1;
      }
    }
    if (!n->c) continue;
    if (!n->a) {
      Diag *dg = diag_error(c->d, n->c->span, "E091", "%s names the line it replaces by its key, but '%s' declares no key",
                            in_lang(l, "'vervangt'", "'replaces'"), rt->name);
      diag_note(dg, "%s", in_lang(l, _("declare it: gegevens NAAM sleutel veld bekend op ... vervangt ..."),
                                  _("declare it: record NAME key field known on ... replaces ...")));
      continue;
    }
    int f = known_field(c, r, n->c, "E091", in_lang(l, "'vervangt'", "'replaces'"));
    if (f < 0 || k->key < 0) continue;
    const FieldDesc *fd = &rt->fields[f], *kd = &rt->fields[k->key];
    TypeRef t = fd->optional ? (TypeRef){fd->type.elem, 0, fd->type.ref} : fd->type;
    TypeRef kt = kd->optional ? (TypeRef){kd->type.elem, 0, kd->type.ref} : kd->type;
    if (t.kind != kt.kind) {
      Diag *dg = diag_error(c->d, n->c->span, "E091", "'%s' holds the key of the line it replaces, so it is %s like key '%s', not %s",
                            n->c->name, tn(c, kt, 0), n->a->name, tn(c, t, 1));
      diag_note(dg, "declare it '%s: %s %s' (a line that replaces none leaves it out)", n->c->name,
                in_lang(l, "optioneel", "optional"), tn(c, kt, 0));
      continue;
    }
    k->replaces = f;
  }
}

/* A list whose lines have a knowledge date ('bekend op'). */
static bool known_list(const Program *p, TypeRef t) {
  return t.kind == VK_LIST && t.elem == VK_RECORD && p->known && t.ref < p->schema.nrecords && p->known[t.ref].date >= 0;
}

/*
** 'sector: tekst waarden Sector': the keuze whose labels name the values it knows; the field stays tekst
** (any other text allowed and shown as it is). Returns 1 + the keuze's index, 0 after an error (E105).
*/
static uint32_t resolve_values(Chk *c, AstNode *f, TypeRef t) {
  AstNode *k = f->b;
  Lang l = lang_of(c, k->span);
  if (!is_err(t) && t.kind != VK_TEXT && !(t.kind == VK_LIST && t.elem == VK_TEXT && f->a->kind == AST_TYPE_OPTIONAL)) {
    Diag *dg = diag_error(c->d, k->span, "E105", "'%s' labels the values of a tekst field, not of %s",
                          in_lang(l, "waarden", "values"), tn(c, t, 0));
    diag_note(dg, "only a tekst field, optioneel or not, names the keuze of its values; a keuze field has its choices' labels already");
    return 0;
  }
  int e = find_enum(c->p, k->name);
  if (e >= 0) return (uint32_t)e + 1;
  Diag *dg = diag_error(c->d, k->span, "E105", "'%s' is not a keuze", k->name);
  if (dg->dropped) return 0;
  NameList cands = {0};
  for (uint32_t i = 0; i < c->p->schema.nenums; i++) names_add(&cands, c->p->schema.enums[i].name);
  suggest(c, dg, k->name, &cands);
  xfree(cands.v);
  return 0;
}

/* Field types (after all type names are known), the input key, name clashes rule/input. */
static void resolve_schema(Chk *c) {
  Program *p = c->p;
  for (uint32_t r = 0; r < p->schema.nrecords; r++) {
    AstNode *n = p->records[r];
    for (uint32_t j = 0; j < n->list.n; j++) {
      AstNode *f = n->list.items[j];
      bool optional = f->a->kind == AST_TYPE_OPTIONAL;
      TypeRef t = resolve_type(c, optional ? f->a->a : f->a);
      if (t.kind == VK_LIST && t.elem == VK_LIST) t = T_ERR;
      if (optional && !is_err(t)) {
        /* Stored as a list of zero or one values; a rule reads the value itself (or gets an error row). */
        if (t.kind == VK_LIST || t.kind == VK_RECORD) {
          diag_error(c->d, f->a->span, "E073", "%s works on single values, not a record (%s)",
                     in_lang(lang_of(c, f->span), "optioneel", "optional"), tn(c, t, 0));
          t = T_ERR;
        } else {
          t = (TypeRef){VK_LIST, t.kind, t.ref};
          p->schema.records[r].fields[j].optional = 1;
        }
      }
      f->type = t;
      p->schema.records[r].fields[j].type = is_err(t) ? T_TEXT : t;
      if (f->b) p->schema.records[r].fields[j].values = resolve_values(c, f, t);
    }
  }
  resolve_known(c);
  if (p->input && p->input->a) {
    AstNode *key = p->input->a;
    int k = find_input_field(p, key->name);
    if (k < 0) {
      Diag *dg = diag_error(c->d, key->span, "E034", "key '%s' is not a field of '%s'", key->name, p->input->name);
      NameList cands = {0};
      for (uint32_t j = 0; !dg->dropped && j < p->input->list.n; j++) names_add(&cands, p->input->list.items[j]->name);
      suggest(c, dg, key->name, &cands);
      xfree(cands.v);
    } else {
      uint8_t kk = p->schema.records[p->schema.input].fields[k].type.kind;
      if (kk != VK_TEXT && kk != VK_INT)
        diag_error(c->d, key->span, "E034", "key '%s' must be a tekst or geheel field", key->name);
      p->schema.key_field = k;
    }
  } else if (p->input) {
    int k = find_input_field(p, "id");
    if (k >= 0) p->schema.key_field = k;
  }
  for (uint32_t i = 0; i < p->nrules; i++) {
    int k = find_input_field(p, p->rules[i]->name);
    if (k >= 0) report_duplicate(c, p->rules[i], p->input->list.items[k], N_("name"));
  }
}

/* ---- expressions ---- */

static TypeRef check_expr(Chk *c, AstNode *n);

static void add_dep(Chk *c, uint32_t to, AstNode *at) {
  uint32_t from = c->rule_index;
  size_t n = c->ndeps[from], cap = c->capdeps[from];
  struct Dep d = {to, at};
  VEC_PUSH(c->deps[from], n, cap, d);
  c->ndeps[from] = (uint32_t)n;
  c->capdeps[from] = (uint32_t)cap;
}

/* A unique enum member with this name, or -1 (and *ambiguous set). */
static int find_member(Program *p, const char *name, int *enum_out, bool *ambiguous) {
  int found = -1;
  *ambiguous = false;
  for (uint32_t e = 0; e < p->schema.nenums; e++) {
    int m = schema_enum_member(&p->schema.enums[e], name, strlen(name));
    if (m >= 0) {
      if (found >= 0) *ambiguous = true;
      found = m;
      *enum_out = (int)e;
    }
  }
  return found;
}

static TypeRef check_name(Chk *c, AstNode *n) {
  Program *p = c->p;
  for (int i = c->nscope - 1; i >= 0; i--) {
    if (strcmp(c->scope[i]->str, n->name) == 0) {
      n->refkind = REF_LOCAL;
      n->bind = c->scope[i];
      return c->scope[i]->type.kind == TY_ERROR ? T_ERR : (TypeRef){c->scope[i]->a->type.elem, 0, c->scope[i]->a->type.ref};
    }
  }
  if (c->rule && c->rule->kind == AST_RULE_DECL)
    for (uint32_t i = 0; i < c->rule->params.n; i++)
      if (strcmp(c->rule->params.items[i]->name, n->name) == 0) {
        n->refkind = REF_PARAM;
        n->ref = (int32_t)i;
        return c->rule->params.items[i]->type;
      }
  int r = find_rule(p, n->name);
  if (r >= 0) {
    if (p->rules[r]->params.n > 0) {
      diag_error(c->d, n->span, "E025",
                 ngettext("rule '%s' takes %u value: write %s(...)", "rule '%s' takes %u values: write %s(...)",
                          p->rules[r]->params.n),
                 n->name, p->rules[r]->params.n, n->name);
      return T_ERR;
    }
    n->refkind = REF_RULE;
    n->ref = r;
    add_dep(c, (uint32_t)r, n);
    return p->rules[r]->type;
  }
  int f = find_input_field(p, n->name);
  if (f >= 0) {
    n->refkind = REF_INPUT;
    n->ref = f;
    const FieldDesc *fd = &p->schema.records[p->schema.input].fields[f];
    n->op = fd->optional;   /* the compiler unwraps it: the value, or an error row when not given */
    return fd->optional ? (TypeRef){fd->type.elem, 0, fd->type.ref} : fd->type;
  }
  int e = -1;
  bool amb;
  int m = find_member(p, n->name, &e, &amb);
  if (m >= 0) {
    if (amb) {
      Diag *dg = diag_error(c->d, n->span, "E040", "'%s' is a choice in more than one keuze", n->name);
      diag_note(dg, "write it with its keuze, e.g. %s.%s", p->schema.enums[e].name, n->name);
      return T_ERR;
    }
    n->refkind = REF_ENUM_MEMBER;
    n->ref = m;
    return (TypeRef){VK_ENUM, 0, (uint16_t)e};
  }
  Diag *dg = diag_error(c->d, n->span, "E012", "unknown name '%s'", n->name);
  if (dg->dropped) return T_ERR;   /* past the cap: no suggestion worth a pass over every name */
  NameList cands = {0};
  for (int i = c->nscope - 1; i >= 0; i--) names_add(&cands, c->scope[i]->str);
  for (uint32_t i = 0; i < p->nrules; i++) names_add(&cands, p->rules[i]->name);
  if (p->schema.input >= 0)
    for (uint32_t i = 0; i < p->schema.records[p->schema.input].nfields; i++)
      names_add(&cands, p->schema.records[p->schema.input].fields[i].name);
  const char *s = str_suggest(n->name, strlen(n->name), cands.v, cands.n);
  xfree(cands.v);
  if (s) {
    diag_suggest(c->d, dg, n->name, strlen(n->name), s);
    return T_ERR;
  }
  /* A field of a record in a list: the usual slip inside an aggregation. */
  for (uint32_t r2 = 0; r2 < p->schema.nrecords; r2++) {
    if ((int32_t)r2 == p->schema.input) continue;
    if (schema_field_index(&p->schema.records[r2], n->name, strlen(n->name)) >= 0) {
      if (c->nscope > 0)
        diag_note(dg, "'%s' is a field of '%s'; write %s.%s", n->name, p->schema.records[r2].name,
                  c->scope[c->nscope - 1]->str, n->name);
      else
        diag_note(dg, "'%s' is a field of '%s'; reach it through a list, e.g. som(x.%s voor elke x in ...)", n->name,
                  p->schema.records[r2].name, n->name);
      break;
    }
  }
  return T_ERR;
}

static TypeRef check_member(Chk *c, AstNode *n) {
  Program *p = c->p;
  /* Sector.bouw: a qualified enum member. */
  bool local = false;
  for (int i = 0; n->a->kind == AST_NAME && i < c->nscope; i++)
    if (strcmp(c->scope[i]->str, n->a->name) == 0) local = true;
  if (n->a->kind == AST_NAME && !local) {
    int e = find_enum(p, n->a->name);
    if (e >= 0 && find_rule(p, n->a->name) < 0 && find_input_field(p, n->a->name) < 0) {
      int m = schema_enum_member(&p->schema.enums[e], n->name, strlen(n->name));
      n->a->type = T_ERR;
      if (m < 0) {
        Diag *dg = diag_error(c->d, n->nspan, "E021", "'%s' is not a choice of '%s'", n->name, p->schema.enums[e].name);
        NameList cands = {(const char **)p->schema.enums[e].members, p->schema.enums[e].nmembers, 0};
        suggest(c, dg, n->name, &cands);
        return T_ERR;
      }
      n->refkind = REF_ENUM_MEMBER;
      n->ref = m;
      return (TypeRef){VK_ENUM, 0, (uint16_t)e};
    }
  }
  TypeRef o = check_expr(c, n->a);
  if (is_err(o)) return T_ERR;
  if (o.kind == VK_PERIOD) {
    Lang l = rule_lang(c);
    const char *first = in_lang(l, "begin", "start"), *last = in_lang(l, "einde", "end");
    n->refkind = REF_FIELD;
    if (strcmp(n->name, first) == 0) n->ref = 0;
    else if (strcmp(n->name, last) == 0) n->ref = 1;
    else {
      Diag *dg = diag_error(c->d, n->nspan, "E013", "a periode has no field '%s'", n->name);
      diag_note(dg, "a periode has '%s' (its first day) and '%s' (its last day)", first, last);
      return T_ERR;
    }
    return T_DATE;
  }
  if (o.kind != VK_RECORD) {
    diag_error(c->d, n->nspan, "E039", "'%s' is not a field: the value before '.' is %s, not a record", n->name,
               tn(c, o, 0));
    return T_ERR;
  }
  RecordType *rt = &p->schema.records[o.ref];
  int f = schema_field_index(rt, n->name, strlen(n->name));
  if (f < 0) {
    Diag *dg = diag_error(c->d, n->nspan, "E013", "'%s' has no field '%s'", rt->name, n->name);
    NameList cands = {0};
    for (uint32_t i = 0; !dg->dropped && i < rt->nfields; i++) names_add(&cands, rt->fields[i].name);
    suggest(c, dg, n->name, &cands);
    xfree(cands.v);
    return T_ERR;
  }
  n->refkind = REF_FIELD;
  n->ref = f;
  n->op = rt->fields[f].optional;   /* see check_name */
  return rt->fields[f].optional ? (TypeRef){rt->fields[f].type.elem, 0, rt->fields[f].type.ref} : rt->fields[f].type;
}

static const char *op_text(int op) { return lex_token_desc(op, LANG_NL); }

static bool is_duration(TypeRef t) { return t.kind == VK_DAYS || t.kind == VK_MONTHS || t.kind == VK_YEARS; }

/* ---- fixes the checker knows (diag_fix): check --format json shows them, the language server offers them ---- */

/* A fix's text, formatted (malloc'd). */
static char *fix_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fix_text(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

/* The source text of a span, for a fix that keeps it ("" when the span is not in a rule file). */
static const char *span_text(Chk *c, Span s, int *len) {
  const SourceFile *f = &c->p->src->files[s.file];
  *len = s.off + s.len <= f->len ? (int)s.len : 0;
  return *len ? f->text + s.off : "";
}

/* E016: geld from a getal never rounded -> afgerond(value, op: cent, methode: rekenkundig), the usual rounding. */
static void fix_rounding(Chk *c, Diag *dg, const AstNode *value) {
  if (dg->dropped) return;
  int n;
  const char *t = span_text(c, value->span, &n);
  Lang l = lang_of(c, value->span);
  char *fix = fix_text("%s(%.*s, %s: cent, %s: %s)", in_lang(l, "afgerond", "rounded"), n, t, in_lang(l, "op", "to"),
                        in_lang(l, "methode", "method"), in_lang(l, "rekenkundig", "half_away_from_zero"));
  diag_fix(dg, value->span, fix);
  xfree(fix);
}

/* E060 on d + maanden(n): plus(d, maanden(n), maandeinde: afkappen|doorlopen), one fix per behaviour. */
static void fix_month_end_sum(Chk *c, Diag *dg, const AstNode *sum, const AstNode *date, const AstNode *dur) {
  if (dg->dropped) return;
  Lang l = lang_of(c, sum->span);
  int nd, nx;
  const char *d = span_text(c, date->span, &nd), *x = span_text(c, dur->span, &nx);
  const char *how[2] = {in_lang(l, "afkappen", "clamp"), in_lang(l, "doorlopen", "overflow")};
  for (int i = 0; i < 2 && nd && nx; i++) {
    char *fix = fix_text("%s(%.*s, %.*s, %s: %s)", in_lang(l, "plus", "add"), nd, d, nx, x,
                          in_lang(l, "maandeinde", "month_end"), how[i]);
    diag_fix(dg, sum->span, fix);
    xfree(fix);
  }
}

/* E060 on plus(d, maanden(n)): the missing named argument inserted before its ')'. */
static void fix_month_end_arg(Chk *c, Diag *dg, const AstNode *call) {
  int n;
  const char *t = span_text(c, call->span, &n);
  if (dg->dropped || n == 0 || t[n - 1] != ')') return;
  Lang l = lang_of(c, call->span);
  const char *how[2] = {in_lang(l, "afkappen", "clamp"), in_lang(l, "doorlopen", "overflow")};
  for (int i = 0; i < 2; i++) {
    char *fix = fix_text(", %s: %s", in_lang(l, "maandeinde", "month_end"), how[i]);
    diag_fix(dg, (Span){call->span.file, call->span.off + (uint32_t)n - 1, 0}, fix);
    xfree(fix);
  }
}

/*
** E097 / W001: a 'bron' line with a placeholder, where the grammar takes citations: after a rule's
** or table's type, an exception's 'op rule', a version's dates (and its ':'), and after a label there.
*/
static void fix_missing_bron(Chk *c, Diag *dg, const AstNode *r) {
  if (dg->dropped) return;
  const SourceFile *f = &c->p->src->files[r->span.file];
  uint32_t at = r->nspan.off + r->nspan.len;
  const AstNode *after = r->kind == AST_RULE_DECL ? r->a : r->kind == AST_TABLE_DECL ? r->b
                         : r->kind == AST_EXCEPTION_DECL ? r->c : NULL;
  if (after && after->span.file == r->span.file && after->span.off + after->span.len > at)
    at = after->span.off + after->span.len;
  if (r->label && r->label->span.file == r->span.file && r->label->span.off + r->label->span.len > at)
    at = r->label->span.off + r->label->span.len;
  if (at > f->len) return;
  if (r->kind == AST_VERSION) {   /* 'versie geldig vanaf D:' -- the citations follow the ':' */
    uint32_t k = at;
    while (k < f->len && (f->text[k] == ' ' || f->text[k] == '\t')) k++;
    if (k < f->len && f->text[k] == ':') at = k + 1;
  }
  Lang l = lang_of(c, r->span);
  char *fix = fix_text("\n%s%s", r->kind == AST_VERSION ? "    " : "  ",
                        in_lang(l, "bron \"TODO: regeling art ... lid ...\"", "source \"TODO: regulation art ... para ...\""));
  diag_fix(dg, (Span){r->span.file, at, 0}, fix);
  xfree(fix);
}

/*
** Dates and durations: datum +/- dagen, datum - datum, and durations of one
** kind among themselves or times a geheel. Months and years never mix with
** days: a month has no fixed number of days, so the rule must convert.
** Returns the type, T_ERR after a message, or kind 255 when not a time case.
*/
static TypeRef check_time_arith(Chk *c, AstNode *n, TypeRef a, TypeRef b) {
  const TypeRef none = {255, 0, 0};
  int op = n->op;
  bool ad = a.kind == VK_DATE, bd = b.kind == VK_DATE;
  if (!ad && !bd && !is_duration(a) && !is_duration(b)) return none;
  if (ad && b.kind == VK_DAYS && (op == TK_PLUS || op == TK_MINUS)) return a;
  if ((ad && b.kind == VK_INT) || (bd && a.kind == VK_INT)) {
    Diag *dg = diag_error(c->d, n->span, "E062", "cannot combine datum and geheel");
    diag_note(dg, "say the unit: %s(n)", in_lang(rule_lang(c), "dagen", "days"));
    return T_ERR;
  }
  if (bd && a.kind == VK_DAYS && op == TK_PLUS) return b;
  if (ad && bd && op == TK_MINUS) return (TypeRef){VK_DAYS, 0, 0};
  if ((ad && (b.kind == VK_MONTHS || b.kind == VK_YEARS)) || (bd && (a.kind == VK_MONTHS || a.kind == VK_YEARS))) {
    Diag *dg = diag_error(c->d, n->span, "E060", "adding %s to a datum needs a rule for the end of the month",
                          tn(c, ad ? b : a, 0));
    diag_note(dg, "write %s(d, x, %s: %s) or %s: 31 January + 1 month is 28/29 February or 2/3 March",
              in_lang(rule_lang(c), "plus", "add"), in_lang(rule_lang(c), "maandeinde", "month_end"),
              in_lang(rule_lang(c), "afkappen", "clamp"), in_lang(rule_lang(c), "doorlopen", "overflow"));
    if (op == TK_PLUS) fix_month_end_sum(c, dg, n, ad ? n->a : n->b, ad ? n->b : n->a);
    return T_ERR;
  }
  if (is_duration(a) && is_duration(b)) {
    if (a.kind != b.kind) {
      Diag *dg = diag_error(c->d, n->span, "E061", "cannot combine %s and %s", tn(c, a, 0), tn(c, b, 1));
      diag_note(dg, "a month has no fixed number of days: convert explicitly, e.g. %s(x) or %s(geheel(x) * 12)",
                in_lang(rule_lang(c), "maanden", "months"), in_lang(rule_lang(c), "maanden", "months"));
      return T_ERR;
    }
    if (op == TK_PLUS || op == TK_MINUS) return a;
  }
  if ((is_duration(a) && b.kind == VK_INT) || (is_duration(b) && a.kind == VK_INT)) {
    if (op == TK_STAR) return is_duration(a) ? a : b;
    if (op == TK_PLUS || op == TK_MINUS) {
      TypeRef d = is_duration(a) ? a : b;
      Diag *dg = diag_error(c->d, n->span, "E062", "cannot combine %s and geheel", tn(c, d, 0));
      diag_note(dg, "say the unit: %s(n)", tn(c, d, 0));
      return T_ERR;
    }
  }
  diag_error(c->d, n->span, "E014", "operator %s cannot be applied to %s and %s", lex_token_desc(op, LANG_NL),
             tn(c, a, 0), tn(c, b, 1));
  return T_ERR;
}

static TypeRef check_arith(Chk *c, AstNode *n, TypeRef a, TypeRef b) {
  int op = n->op;
  TypeRef tt = check_time_arith(c, n, a, b);
  if (tt.kind != 255) return tt;
  if (is_num(a) && is_num(b)) {
    if (op == TK_SLASH) return T_DEC;
    return a.kind == VK_INT && b.kind == VK_INT ? T_INT : T_DEC;
  }
  bool am = a.kind == VK_MONEY, bm = b.kind == VK_MONEY;
  if (am && bm) {
    if (op == TK_PLUS || op == TK_MINUS) return T_MONEY;
    if (op == TK_SLASH) return T_DEC;
    Diag *dg = diag_error(c->d, n->span, "E015", "cannot multiply geld by geld");
    diag_note(dg, "multiply an amount by a number (getal or geheel), e.g. a percentage");
    return T_ERR;
  }
  if ((am && is_num(b)) || (bm && is_num(a))) {
    TypeRef num = am ? b : a;
    if (op == TK_STAR) return num.kind == VK_INT ? T_MONEY : T_DEC;
    if (op == TK_SLASH && am) return T_DEC;
    if (op == TK_SLASH) {
      diag_error(c->d, n->span, "E042", "cannot divide %s by geld", tn(c, a, 0));
      return T_ERR;
    }
    /* geld +/- getal is an exact getal (euros), like geld x getal; a geheel does not say euros or cents. */
    if (num.kind == VK_DEC) return T_DEC;
    Diag *dg = diag_error(c->d, n->span, "E041", op == TK_PLUS ? N_("cannot add geld and %s") : N_("cannot subtract geld and %s"),
                          tn(c, num, 0));
    diag_note(dg, _("a geheel does not say euros or cents: write the amount as geld, e.g. \xE2\x82\xAC 100,00"));
    return T_ERR;
  }
  diag_error(c->d, n->span, "E014", "operator %s cannot be applied to %s and %s", op_text(op), tn(c, a, 0), tn(c, b, 1));
  return T_ERR;
}

static TypeRef check_compare(Chk *c, AstNode *n, TypeRef a, TypeRef b) {
  bool eq_only = n->op == TK_EQ || n->op == TK_NE;
  if (is_num(a) && is_num(b)) return T_BOOL;
  if (is_duration(a) && is_duration(b) && a.kind != b.kind) {
    Diag *dg = diag_error(c->d, n->span, "E061", "cannot compare %s with %s", tn(c, a, 0), tn(c, b, 1));
    diag_note(dg, "a month has no fixed number of days: convert one side explicitly");
    return T_ERR;
  }
  if ((is_duration(a) && b.kind == VK_INT) || (is_duration(b) && a.kind == VK_INT)) {
    TypeRef d = is_duration(a) ? a : b;
    Diag *dg = diag_error(c->d, n->span, "E062", "cannot compare %s with geheel", tn(c, d, 0));
    diag_note(dg, "say the unit: %s(n), or take the number with geheel(x)", tn(c, d, 0));
    return T_ERR;
  }
  if (ty_eq(a, b) && (is_duration(a))) return T_BOOL;
  if (ty_eq(a, b) && a.kind == VK_PERIOD) {
    if (eq_only) return T_BOOL;
    diag_error(c->d, n->span, "E038", "periods can only be compared with = and <>");
    return T_ERR;
  }
  if (ty_eq(a, b)) {
    switch (a.kind) {
    case VK_MONEY: case VK_DATE: return T_BOOL;
    case VK_TEXT: case VK_ENUM: case VK_BOOL:
      if (eq_only) return T_BOOL;
      diag_error(c->d, n->span, "E038", "%s values can only be compared with = and <>", tn(c, a, 0));
      return T_ERR;
    default: break;
    }
  }
  Diag *dg = diag_error(c->d, n->span, "E038", "cannot compare %s with %s", tn(c, a, 0), tn(c, b, 1));
  if ((a.kind == VK_MONEY && b.kind == VK_DEC) || (a.kind == VK_DEC && b.kind == VK_MONEY))
    diag_note(dg, "round the getal to geld first with afgerond(...), or compare geld with geld");
  return T_ERR;
}

static TypeRef expect_bool(Chk *c, AstNode *e, const char *what) {
  TypeRef t = check_expr(c, e);
  if (!is_err(t) && t.kind != VK_BOOL) {
    diag_error(c->d, e->span, "E018", "%s must be waar or onwaar, but this is %s", what, tn(c, t, 0));
    return T_ERR;
  }
  return t;
}

/* The common type of two branches (geheel widens to getal), or error. */
static TypeRef unify(Chk *c, AstNode *at, TypeRef a, TypeRef b, const char *what) {
  if (is_err(a) || is_err(b)) return T_ERR;
  if (a.kind == TY_NEVER) return b;
  if (b.kind == TY_NEVER) return a;
  if (ty_eq(a, b)) return a;
  if (is_num(a) && is_num(b)) return T_DEC;
  /* geld beside a getal: the getal (exact, in euros), as geld + getal is */
  if ((a.kind == VK_MONEY && b.kind == VK_DEC) || (a.kind == VK_DEC && b.kind == VK_MONEY)) return T_DEC;
  diag_error(c->d, at->span, "E019", "%s have different types: %s and %s", what, tn(c, a, 0), tn(c, b, 1));
  return T_ERR;
}

static void note_at(Chk *c, Diag *dg, const char *what, Span s);

/* A range bound as an exact number (days, cents and integers are whole numbers). */
static Dec bound_value(const AstNode *b) { return b->kind == AST_DEC ? b->dval : dec_from_int(b->ival); }

static const char *bound_text(const AstNode *b, char *buf) {
  if (b->kind == AST_DATE) date_format(b->ival, buf);
  else if (b->kind == AST_MONEY) money_format(b->ival, buf, 32);
  else dec_format(bound_value(b), buf, 32);
  return buf;
}

/*
** geval over a number, an amount or a date, with range arms ('18 t/m 64',
** 'vanaf 65', 't/m 17'): bounds of the scrutinee's type, no two ranges
** sharing a value, and -- unless an 'anders' arm catches the rest -- no
** value left uncovered (a getal has no next value, so ranges over a getal
** always need 'anders').
*/
static TypeRef check_range_case(Chk *c, AstNode *n, TypeRef s) {
  uint8_t want = s.kind == VK_INT ? AST_INT : s.kind == VK_MONEY ? AST_MONEY : s.kind == VK_DATE ? AST_DATE : AST_DEC;
  const char *want_text = s.kind == VK_INT ? _("whole numbers") : s.kind == VK_MONEY ? _("amounts") : s.kind == VK_DATE ? _("dates") : _("numbers");
  bool bad = false, has_else = false, first = true;
  TypeRef result = {0, 0, 0};
  AstNode **ranges = xcalloc(n->list.n, sizeof *ranges);
  uint32_t nr = 0;
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *arm = n->list.items[i];
    if (arm->op != 1 && arm->list.n > 0) {
      diag_error(c->d, arm->nspan, "E069", "a 'geval' over %s has ranges ('a t/m b', 'vanaf a', 't/m b'), not choices",
                 tn(c, s, 0));
      bad = true;
    } else if (arm->op != 1) {
      if (has_else) diag_error(c->d, arm->span, "E044", "'anders' appears twice in this 'geval'");
      else if (i + 1 != n->list.n) diag_error(c->d, arm->span, "E044", "'anders' must be the last arm of 'geval'");
      has_else = true;
    } else {
      bool ok = true;
      for (int k = 0; k < 2; k++) {
        AstNode *b = k ? arm->c : arm->b;
        if (!b || is_err(b->type)) continue;
        bool fits = b->kind == want || (want == AST_DEC && b->kind == AST_INT);
        if (!fits) {
          diag_error(c->d, b->span, "E069", "the ranges of this 'geval' are %s, like the value it looks at", want_text);
          ok = false;
        }
      }
      if (ok && arm->b && arm->c && dec_cmp(bound_value(arm->b), bound_value(arm->c)) > 0) {
        diag_error(c->d, arm->nspan, "E069", "this range is empty: it ends before it starts");
        ok = false;
      }
      if (ok) ranges[nr++] = arm;
      else bad = true;
    }
    TypeRef v = check_expr(c, arm->a);
    result = first ? v : unify(c, arm->a, result, v, _("the arms of 'geval'"));
    first = false;
  }
  /* Sort by lower bound (an open lower end first) and compare neighbours. */
  for (uint32_t i = 1; i < nr; i++)
    for (uint32_t j = i; j > 0; j--) {
      AstNode *a = ranges[j - 1], *b = ranges[j];
      bool swap = a->b && (!b->b || dec_cmp(bound_value(a->b), bound_value(b->b)) > 0);
      if (!swap) break;
      ranges[j - 1] = b;
      ranges[j] = a;
    }
  Dec step = dec_from_int(1);   /* the next value after a bound: +1, +1 cent, +1 day */
  bool discrete = s.kind != VK_DEC;
  char b1[32], b2[32];
  bool ranges_bad = bad;
  for (uint32_t i = 0; !ranges_bad && i + 1 < nr; i++) {
    AstNode *a = ranges[i], *b = ranges[i + 1];
    if (!a->c || (b->b && dec_cmp(bound_value(a->c), bound_value(b->b)) >= 0) || !b->b) {
      Diag *dg = diag_error(c->d, b->nspan, "E069", "ranges overlap: this one and an earlier one both hold %s",
                            b->b ? bound_text(b->b, b1) : a->c ? bound_text(a->c, b1) : _("every value"));
      note_at(c, dg, _("the other range"), a->nspan);
      bad = true;
      continue;
    }
    if (has_else) continue;
    Dec next;
    if (dec_add(bound_value(a->c), step, &next) != NUM_OK) continue;
    if (!discrete || dec_cmp(next, bound_value(b->b)) < 0) {
      Diag *dg = diag_error(c->d, b->nspan, "E070", "'geval' covers no value between %s and %s", bound_text(a->c, b1),
                            bound_text(b->b, b2));
      if (discrete) diag_note(dg, "add a range for it, or an 'anders:' arm");
      else diag_note(dg, "add a range for it, or an 'anders:' arm (a getal always needs one)");
      bad = true;
    }
  }
  if (!bad && !has_else && nr > 0) {
    if (ranges[0]->b) {
      Diag *dg = diag_error(c->d, ranges[0]->nspan, "E070", "'geval' covers no value below %s", bound_text(ranges[0]->b, b1));
      diag_note(dg, "start the lowest range with 't/m', or add an 'anders:' arm");
      bad = true;
    }
    if (ranges[nr - 1]->c) {
      Diag *dg = diag_error(c->d, ranges[nr - 1]->nspan, "E070", "'geval' covers no value above %s",
                            bound_text(ranges[nr - 1]->c, b1));
      diag_note(dg, "end the highest range with 'vanaf', or add an 'anders:' arm");
      bad = true;
    }
  }
  xfree(ranges);
  return bad ? T_ERR : result;
}

static TypeRef check_case(Chk *c, AstNode *n) {
  Program *p = c->p;
  TypeRef s = check_expr(c, n->a);
  bool ok = !is_err(s);
  if (ok && (s.kind == VK_INT || s.kind == VK_DEC || s.kind == VK_MONEY || s.kind == VK_DATE))
    return check_range_case(c, n, s);
  if (ok && s.kind != VK_ENUM) {
    diag_error(c->d, n->a->span, "E020", "'geval' needs a keuze, a number, an amount or a date, but this is %s",
               tn(c, s, 0));
    ok = false;
  }
  for (uint32_t i = 0; ok && i < n->list.n; i++)
    if (n->list.items[i]->op == 1) {
      diag_error(c->d, n->list.items[i]->nspan, "E069", "a 'geval' over a keuze lists its choices, not ranges");
      ok = false;
    }
  EnumType *et = ok ? &p->schema.enums[s.ref] : NULL;
  AstNode *seen_at[256] = {0};
  bool has_else = false;
  TypeRef result = {0, 0, 0};
  bool first = true, bad = !ok;
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *arm = n->list.items[i];
    if (arm->list.n == 0) {
      if (has_else) diag_error(c->d, arm->span, "E044", "'anders' appears twice in this 'geval'");
      else if (i + 1 != n->list.n) diag_error(c->d, arm->span, "E044", "'anders' must be the last arm of 'geval'");
      has_else = true;
    }
    for (uint32_t j = 0; et && j < arm->list.n; j++) {
      AstNode *l = arm->list.items[j];
      int m = schema_enum_member(et, l->name, strlen(l->name));
      if (m < 0) {
        Diag *dg = diag_error(c->d, l->span, "E021", "'%s' is not a choice of '%s'", l->name, et->name);
        NameList cands = {(const char **)et->members, et->nmembers, 0};
        suggest(c, dg, l->name, &cands);
        bad = true;
        continue;
      }
      l->ref = m;
      if (m < 256 && seen_at[m]) {
        Diag *dg = diag_error(c->d, l->span, "E022", "'%s' already has an arm in this 'geval'", l->name);
        uint32_t line, col;
        const SourceFile *f = &p->src->files[seen_at[m]->span.file];
        src_line_col(f, seen_at[m]->span.off, &line, &col);
        diag_note_at(dg, seen_at[m]->span, "its first arm is at %s:%u:%u", f->name, line, col);
        bad = true;
      } else if (m < 256) {
        seen_at[m] = l;
      }
    }
    TypeRef v = check_expr(c, arm->a);
    if (first) result = v;
    else result = unify(c, arm->a, result, v, _("the arms of 'geval'"));
    first = false;
  }
  if (et && !bad) {
    char missing[200] = "";
    size_t len = 0;
    int nmissing = 0;
    for (uint32_t m = 0; m < et->nmembers && m < 256; m++)
      if (!seen_at[m]) {
        nmissing++;
        if (len < sizeof missing - 40)
          len += (size_t)snprintf(missing + len, sizeof missing - len, "%s'%s'", len ? ", " : "", et->members[m]);
      }
    if (nmissing && !has_else) {
      Diag *dg = diag_error(c->d, n->nspan, "E023", "'geval' does not cover every choice of '%s': %s missing", et->name,
                            missing);
      if (nmissing == 1) diag_note(dg, "add an arm for it, or an 'anders:' arm");
      else diag_note(dg, "add an arm for each, or an 'anders:' arm");
    } else if (!nmissing && has_else) {
      diag_warn(c->d, n->list.items[n->list.n - 1]->nspan, "W002", "'anders' is never used: every choice of '%s' has an arm",
                et->name);
    }
  }
  return bad ? T_ERR : result;
}

/* op: cent | euro | <amount>;  methode: rekenkundig | ... */
/*
** The rounding of afgerond/herzien from its 'op:' and 'methode:' arguments:
** sets n->ival (unit in cents, or decimals), n->op (RoundMethod) and n->c
** (non-NULL for decimals). Reports and returns false when one is bad.
*/
static bool round_spec(Chk *c, AstNode *n, AstNode *unit, AstNode *method) {
  Lang l = rule_lang(c);
  const char *op_kw = in_lang(l, "op", "to"), *method_kw = in_lang(l, "methode", "method");
  bool bad = false;
  if (!unit || !method) {
    Diag *dg = diag_error(c->d, n->span, "E026", "%s needs '%s:' and '%s:': the law says how it rounds, so the rule must too",
                          n->name, op_kw, method_kw);
    diag_note(dg, "e.g. %s(x, %s: cent, %s: %s)", n->name, op_kw, method_kw, in_lang(l, "rekenkundig", "half_away_from_zero"));
    return false;
  }
  AstNode *u = unit->a;
  bool decimals = false;
  if (u->kind == AST_CALL && strcmp(u->name, in_lang(l, "decimalen", "decimals")) == 0) {
    /* afgerond(x, op: decimalen(4), ...): a getal rounded to 4 decimals, still a getal */
    decimals = true;
    if (u->list.n != 1 || u->list.items[0]->kind != AST_INT || u->list.items[0]->ival < 0 || u->list.items[0]->ival > 18) {
      diag_error(c->d, u->span, "E028", "%s(n) needs a whole number from 0 to 18", u->name);
      bad = true;
    } else {
      n->ival = u->list.items[0]->ival;
    }
  } else if (u->kind == AST_NAME && strcmp(u->name, "cent") == 0) n->ival = 1;
  else if (u->kind == AST_NAME && strcmp(u->name, "euro") == 0) n->ival = 100;
  else if (u->kind == AST_MONEY && u->ival > 0 && u->ival <= INT64_MAX / 8) n->ival = u->ival;
  else {
    Diag *dg = diag_error(c->d, u->span, "E028", "unknown rounding unit");
    diag_note(dg, "round to cent, euro, a positive multiple such as \xE2\x82\xAC 2,61, or %s(n)",
              in_lang(l, "decimalen", "decimals"));
    bad = true;
  }
  AstNode *m = method->a;
  n->op = -1;
  if (m->kind == AST_NAME)
    for (int i = 0; i < ROUND__COUNT; i++)
      if (strcmp(m->name, in_lang(l, round_methods[i].nl, round_methods[i].en)) == 0) n->op = i;
  if (n->op < 0) {
    Diag *dg = diag_error(c->d, m->span, "E027", "unknown rounding method");
    NameList cands = {0};
    for (int i = 0; i < ROUND__COUNT; i++) names_add(&cands, in_lang(l, round_methods[i].nl, round_methods[i].en));
    if (m->kind == AST_NAME) suggest(c, dg, m->name, &cands);
    char all[200] = "";
    size_t len = 0;
    for (size_t i = 0; i < cands.n; i++) len += (size_t)snprintf(all + len, sizeof all - len, "%s%s", i ? ", " : "", cands.v[i]);
    diag_note(dg, "the methods are: %s", all);
    xfree(cands.v);
    bad = true;
  }
  n->c = decimals ? u : NULL;   /* the compiler tells the two kinds of rounding apart by this */
  return !bad;
}

static TypeRef check_round(Chk *c, AstNode *n) {
  Lang l = rule_lang(c);
  const char *op_kw = in_lang(l, "op", "to"), *method_kw = in_lang(l, "methode", "method");
  AstNode *value = NULL, *unit = NULL, *method = NULL;
  bool bad = false;
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *a = n->list.items[i];
    if (a->kind != AST_NAMED_ARG) {
      if (value) { diag_error(c->d, a->span, "E025", "%s takes one value to round", n->name); bad = true; }
      value = a;
    } else if (strcmp(a->name, op_kw) == 0) unit = a;
    else if (strcmp(a->name, method_kw) == 0) method = a;
    else {
      Diag *dg = diag_error(c->d, a->nspan, "E026", "%s has no argument '%s'", n->name, a->name);
      diag_note(dg, "write %s(x, %s: cent, %s: %s)", n->name, op_kw, method_kw, in_lang(l, "rekenkundig", "half_away_from_zero"));
      bad = true;
    }
  }
  if (!value) {
    diag_error(c->d, n->span, "E025", "%s needs the value to round", n->name);
    return T_ERR;
  }
  TypeRef t = check_expr(c, value);
  if (!is_err(t) && t.kind == VK_MONEY) {
    diag_error(c->d, value->span, "E027", "this is already geld: %s rounds a getal to geld", n->name);
    bad = true;
  } else if (!is_err(t) && !is_num(t)) {
    diag_error(c->d, value->span, "E027", "%s rounds a getal, but this is %s", n->name, tn(c, t, 0));
    bad = true;
  } else if (is_err(t)) {
    bad = true;
  }
  if (!round_spec(c, n, unit, method)) return T_ERR;
  return bad ? T_ERR : n->c ? T_DEC : T_MONEY;
}


static bool is_through_kw(Lang l, const char *name) {
  return l == LANG_EN ? strcmp(name, "through") == 0 : strcmp(name, "tot_en_met") == 0 || strcmp(name, "t/m") == 0;
}

/*
** herzien(bedrag, tabel, na: d1, tot_en_met: d2, op: cent, methode: m): the
** amount revised "met ingang van de dag waarop en in de mate waarin" (WIA art
** 14, DB art 23) by every percentage of a date table that took effect after
** d1 up to and including d2, in date order, rounded after each step. The
** table must be a date series of getal (a percentage: 1.41 is 1,41 %).
** The table's index is kept in the table-name argument's ival.
*/
static TypeRef check_revise(Chk *c, AstNode *n) {
  Lang l = rule_lang(c);
  const char *op_kw = in_lang(l, "op", "to"), *method_kw = in_lang(l, "methode", "method");
  const char *after_kw = in_lang(l, "na", "after");
  AstNode *pos[2] = {NULL, NULL}, *unit = NULL, *method = NULL, *after = NULL, *through = NULL;
  bool bad = false;
  uint32_t np = 0;
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *a = n->list.items[i];
    if (a->kind != AST_NAMED_ARG) {
      if (np < 2) pos[np] = a;
      np++;
    } else if (strcmp(a->name, op_kw) == 0) unit = a;
    else if (strcmp(a->name, method_kw) == 0) method = a;
    else if (strcmp(a->name, after_kw) == 0) after = a;
    else if (is_through_kw(l, a->name)) through = a;
    else {
      Diag *dg = diag_error(c->d, a->nspan, "E026", "%s has no argument '%s'", n->name, a->name);
      diag_note(dg, "write %s(bedrag, tabel, %s: datum, %s: datum, %s: cent, %s: %s)", n->name, after_kw,
                in_lang(l, "tot_en_met", "through"), op_kw, method_kw, in_lang(l, "rekenkundig", "half_away_from_zero"));
      bad = true;
    }
  }
  if (np != 2 || !after || !through) {
    Diag *dg = diag_error(c->d, n->span, "E025", "%s needs the amount, the table of percentages, '%s:' and '%s:'",
                          n->name, after_kw, in_lang(l, "tot_en_met", "through"));
    diag_note(dg, "e.g. %s(dagloon, indexatie, %s: einde_referteperiode, %s: eerste_rechtdag, %s: cent, %s: %s)",
              n->name, after_kw, in_lang(l, "tot_en_met", "through"), op_kw, method_kw,
              in_lang(l, "rekenkundig", "half_away_from_zero"));
    return T_ERR;
  }
  TypeRef t = check_expr(c, pos[0]);
  if (!is_err(t) && !is_num(t) && t.kind != VK_MONEY) {
    diag_error(c->d, pos[0]->span, "E014", "%s revises an amount or a getal, but this is %s", n->name, tn(c, t, 0));
    bad = true;
  } else if (is_err(t)) bad = true;
  AstNode *tn_ = pos[1];
  int tab = tn_->kind == AST_NAME ? find_table(c->p, tn_->name) : -1;
  if (tab < 0) {
    Diag *dg = diag_error(c->d, tn_->span, "E072", "%s needs the name of a table of percentages here", n->name);
    if (tn_->kind == AST_NAME) {
      NameList cands = {0};
      for (uint32_t k = 0; !dg->dropped && k < c->p->ntables; k++) names_add(&cands, c->p->tables[k]->name);
      suggest(c, dg, tn_->name, &cands);
      xfree(cands.v);
    }
    bad = true;
  } else {
    AstNode *decl = c->p->tables[tab];
    if (!is_err(decl->b->type) && !is_err(decl->a->type) &&
        (decl->b->type.kind != VK_DATE || decl->a->type.kind != VK_DEC)) {
      Diag *dg = diag_error(c->d, tn_->span, "E072", "table '%s' is not a date series of percentages (getal per datum)",
                            tn_->name);
      diag_note(dg, "%s multiplies by (1 + p/100) for each row p that took effect in the period", n->name);
      bad = true;
    }
    tn_->ival = tab;
  }
  AstNode *dates[2] = {after, through};
  for (int k = 0; k < 2; k++) {
    TypeRef dt = check_expr(c, dates[k]->a);
    if (!is_err(dt) && dt.kind != VK_DATE) {
      diag_error(c->d, dates[k]->a->span, "E014", "'%s:' is a datum, but this is %s", dates[k]->name, tn(c, dt, 0));
      bad = true;
    } else if (is_err(dt)) bad = true;
  }
  if (!round_spec(c, n, unit, method)) return T_ERR;
  if (n->c) {
    diag_error(c->d, unit->a->span, "E028", "%s gives geld: round each step to cent, euro or a multiple", n->name);
    return T_ERR;
  }
  return bad ? T_ERR : T_MONEY;
}

/* The positional arguments of a call (named ones are looked up with named_arg). */
static uint32_t positional(AstNode *n, AstNode **out, uint32_t cap) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < n->list.n; i++)
    if (n->list.items[i]->kind != AST_NAMED_ARG) {
      if (k < cap) out[k] = n->list.items[i];
      k++;
    }
  return k;
}

/* The named argument `nl`/`en` of a call, or NULL. Unknown named arguments are reported once, here. */
static AstNode *named_arg(Chk *c, AstNode *n, const char *nl, const char *en) {
  const char *want = in_lang(rule_lang(c), nl, en);
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *a = n->list.items[i];
    if (a->kind == AST_NAMED_ARG && strcmp(a->name, want) == 0) return a;
  }
  return NULL;
}

/* A named argument's value must be one of the given words; returns its index or -1 (reported). */
static int named_choice(Chk *c, AstNode *call, AstNode *arg, const char *const *nl, const char *const *en, int n) {
  Lang l = rule_lang(c);
  AstNode *v = arg->a;
  for (int i = 0; i < n; i++)
    if (v->kind == AST_NAME && strcmp(v->name, in_lang(l, nl[i], en[i])) == 0) return i;
  char all[200] = "";
  size_t len = 0;
  for (int i = 0; i < n; i++) len += (size_t)snprintf(all + len, sizeof all - len, "%s%s", i ? ", " : "", in_lang(l, nl[i], en[i]));
  Diag *dg = diag_error(c->d, v->span, "E026", "'%s:' of %s must be one of: %s", arg->name, call->name, all);
  if (v->kind == AST_NAME) {
    NameList cands = {0};
    for (int i = 0; i < n; i++) names_add(&cands, in_lang(l, nl[i], en[i]));
    suggest(c, dg, v->name, &cands);
    xfree(cands.v);
  }
  return -1;
}

/* Reports named arguments other than the allowed ones. */
static bool only_named(Chk *c, AstNode *n, const char *const *allowed_nl, const char *const *allowed_en, int nallowed) {
  bool ok = true;
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *a = n->list.items[i];
    if (a->kind != AST_NAMED_ARG) continue;
    bool found = false;
    for (int k = 0; k < nallowed; k++)
      if (strcmp(a->name, in_lang(rule_lang(c), allowed_nl[k], allowed_en[k])) == 0) found = true;
    if (!found) {
      diag_error(c->d, a->nspan, nallowed ? "E026" : "E037", "%s has no argument '%s'", n->name, a->name);
      ok = false;
    }
  }
  return ok;
}

/* Check one positional argument against a set of accepted kinds; T_ERR (reported) otherwise. */
static TypeRef arg_of(Chk *c, AstNode *call, AstNode *a, const uint8_t *kinds, int nkinds) {
  TypeRef t = check_expr(c, a);
  if (is_err(t)) return T_ERR;
  for (int i = 0; i < nkinds; i++)
    if (t.kind == kinds[i]) return t;
  char want[160] = "";
  size_t len = 0;
  for (int i = 0; i < nkinds; i++)
    len += (size_t)snprintf(want + len, sizeof want - len, "%s%s", i ? (i + 1 == nkinds ? " or " : ", ") : "",
                            tn(c, (TypeRef){kinds[i], 0, 0}, 1));
  diag_error(c->d, a->span, "E014", "%s needs %s here, not %s", call->name, want, tn(c, t, 0));
  return T_ERR;
}

static const char *const SOORT_NL[] = {"maand", "vierweken"}, *const SOORT_EN[] = {"month", "four_weeks"};
static const char *const INDELING_NL[] = {"vanaf_1_januari", "per_week"}, *const INDELING_EN[] = {"from_jan1", "by_week"};
static const char *const MAANDEINDE_NL[] = {"afkappen", "doorlopen"}, *const MAANDEINDE_EN[] = {"clamp", "overflow"};

/* tijdvak(d, soort: ..., indeling: ...): stores the unit (0 month, 4/5 four weeks) in n->ival. */
static bool check_tijdvak_kind(Chk *c, AstNode *n) {
  static const char *const names_nl[] = {"soort", "indeling"}, *const names_en[] = {"kind", "layout"};
  bool ok = only_named(c, n, names_nl, names_en, 2);
  AstNode *soort = named_arg(c, n, "soort", "kind"), *indeling = named_arg(c, n, "indeling", "layout");
  if (!soort) {
    Diag *dg = diag_error(c->d, n->span, "E026", "%s needs '%s:': the aangiftetijdvak is a month or four weeks", n->name,
                          in_lang(rule_lang(c), "soort", "kind"));
    diag_note(dg, "e.g. %s", in_lang(rule_lang(c), "soort: maand", "kind: month"));
    return false;
  }
  int k = named_choice(c, n, soort, SOORT_NL, SOORT_EN, 2);
  if (k < 0) return false;
  if (k == 0) {
    if (indeling) {
      diag_error(c->d, indeling->nspan, "E026", "'%s:' only applies to four-weekly tijdvakken", indeling->name);
      return false;
    }
    n->ival = 0;
    return ok;
  }
  if (!indeling) {
    Diag *dg = diag_error(c->d, n->span, "E026",
                          "four-weekly tijdvakken need '%s:': the law fixes only their first and last day in a year",
                          in_lang(rule_lang(c), "indeling", "layout"));
    diag_note(dg, "%s (28-day blocks from 1 January) or %s (whole weeks); see docs/LANGUAGE.md",
              in_lang(rule_lang(c), "vanaf_1_januari", "from_jan1"), in_lang(rule_lang(c), "per_week", "by_week"));
    return false;
  }
  int lay = named_choice(c, n, indeling, INDELING_NL, INDELING_EN, 2);
  if (lay < 0) return false;
  n->ival = 4 + lay;
  return ok;
}

/*
** The calendar builtins. The variant the compiler needs goes into n->op
** (contains: 0 day, 1 period; plus: 0 days, 1 clamp, 2 overflow; months:
** 0 from geheel, 1 from jaren) or n->ival (the unit of tijdvak/tijdvakken).
*/
static TypeRef check_time_call(Chk *c, AstNode *n, Builtin b) {
  static const uint8_t K_INT[] = {VK_INT}, K_DATE[] = {VK_DATE}, K_PERIOD[] = {VK_PERIOD},
                       K_DUR[] = {VK_DAYS, VK_MONTHS, VK_YEARS}, K_MONTHS_FROM[] = {VK_INT, VK_YEARS},
                       K_IN_PERIOD[] = {VK_DATE, VK_PERIOD};
  AstNode *args[4];
  uint32_t np = positional(n, args, 4);
  int want = 1;
  switch (b) {
  case BI_PERIOD: case BI_OVERLAPS: case BI_INTERSECTION: case BI_CONTAINS: case BI_PLUS: want = 2; break;
  default: break;
  }
  if ((int)np != want) {
    diag_error(c->d, n->span, "E025", ngettext("%s takes %d value, not %u", "%s takes %d values, not %u", (unsigned long)want),
               n->name, want, np);
    return T_ERR;
  }
  if (b != BI_TIJDVAK && b != BI_TIJDVAKKEN && b != BI_PLUS && !only_named(c, n, NULL, NULL, 0)) return T_ERR;
  TypeRef t0, t1;
  switch (b) {
  case BI_DAYS: case BI_YEARS:
    if (is_err(arg_of(c, n, args[0], K_INT, 1))) return T_ERR;
    return (TypeRef){b == BI_DAYS ? VK_DAYS : VK_YEARS, 0, 0};
  case BI_MONTHS:
    t0 = arg_of(c, n, args[0], K_MONTHS_FROM, 2);
    if (is_err(t0)) return T_ERR;
    n->op = t0.kind == VK_YEARS;
    return (TypeRef){VK_MONTHS, 0, 0};
  case BI_INTEGER:
    return is_err(arg_of(c, n, args[0], K_DUR, 3)) ? T_ERR : T_INT;
  case BI_PERIOD:
    t0 = arg_of(c, n, args[0], K_DATE, 1);
    t1 = arg_of(c, n, args[1], K_DATE, 1);
    return is_err(t0) || is_err(t1) ? T_ERR : (TypeRef){VK_PERIOD, 0, 0};
  case BI_CAL_MONTH: case BI_QUARTER: case BI_HALFYEAR: case BI_CAL_YEAR:
    return is_err(arg_of(c, n, args[0], K_DATE, 1)) ? T_ERR : (TypeRef){VK_PERIOD, 0, 0};
  case BI_YEAR: case BI_MONTH: case BI_DAY: case BI_WEEKDAY: case BI_DAYS_IN_MONTH:
    return is_err(arg_of(c, n, args[0], K_DATE, 1)) ? T_ERR : T_INT;
  case BI_LENGTH:
    return is_err(arg_of(c, n, args[0], K_PERIOD, 1)) ? T_ERR : (TypeRef){VK_DAYS, 0, 0};
  case BI_WORKDAYS:
    return is_err(arg_of(c, n, args[0], K_PERIOD, 1)) ? T_ERR : T_INT;
  case BI_OVERLAPS: case BI_INTERSECTION:
    t0 = arg_of(c, n, args[0], K_PERIOD, 1);
    t1 = arg_of(c, n, args[1], K_PERIOD, 1);
    if (is_err(t0) || is_err(t1)) return T_ERR;
    return b == BI_OVERLAPS ? T_BOOL : (TypeRef){VK_PERIOD, 0, 0};
  case BI_CONTAINS:
    t0 = arg_of(c, n, args[0], K_PERIOD, 1);
    t1 = arg_of(c, n, args[1], K_IN_PERIOD, 2);
    if (is_err(t0) || is_err(t1)) return T_ERR;
    n->op = t1.kind == VK_PERIOD;
    return T_BOOL;
  case BI_CAL_MONTHS:
    return is_err(arg_of(c, n, args[0], K_PERIOD, 1)) ? T_ERR : (TypeRef){VK_LIST, VK_PERIOD, 0};
  case BI_TIJDVAK:
    t0 = arg_of(c, n, args[0], K_DATE, 1);
    if (!check_tijdvak_kind(c, n) || is_err(t0)) return T_ERR;
    return (TypeRef){VK_PERIOD, 0, 0};
  case BI_TIJDVAKKEN:
    t0 = arg_of(c, n, args[0], K_PERIOD, 1);
    if (!check_tijdvak_kind(c, n) || is_err(t0)) return T_ERR;
    return (TypeRef){VK_LIST, VK_PERIOD, 0};
  case BI_PLUS: {
    static const char *const me_nl[] = {"maandeinde"}, *const me_en[] = {"month_end"};
    bool ok = only_named(c, n, me_nl, me_en, 1);
    t0 = arg_of(c, n, args[0], K_DATE, 1);
    t1 = arg_of(c, n, args[1], K_DUR, 3);
    if (!ok || is_err(t0) || is_err(t1)) return T_ERR;
    AstNode *me = named_arg(c, n, "maandeinde", "month_end");
    if (t1.kind == VK_DAYS) {
      if (me) {
        diag_error(c->d, me->nspan, "E026", "'%s:' only applies when adding maanden or jaren", me->name);
        return T_ERR;
      }
      n->op = 0;
      return T_DATE;
    }
    if (!me) {
      Diag *dg = diag_error(c->d, n->span, "E060", "adding %s to a datum needs a rule for the end of the month",
                            tn(c, t1, 0));
      diag_note(dg, "add %s: %s or %s: 31 January + 1 month is 28/29 February or 2/3 March",
                in_lang(rule_lang(c), "maandeinde", "month_end"), in_lang(rule_lang(c), "afkappen", "clamp"),
                in_lang(rule_lang(c), "doorlopen", "overflow"));
      fix_month_end_arg(c, dg, n);
      return T_ERR;
    }
    int k = named_choice(c, n, me, MAANDEINDE_NL, MAANDEINDE_EN, 2);
    if (k < 0) return T_ERR;
    n->op = 1 + k;
    return T_DATE;
  }
  default:
    return T_ERR;
  }
}


/* t(d) for a date series, t(k) for a keyed table. */
static TypeRef check_table_call(Chk *c, AstNode *n, int t) {
  Program *p = c->p;
  AstNode *decl = p->tables[t];
  n->ref = BI_TABLE;
  n->ival = t;
  AstNode *args[2];
  if (positional(n, args, 2) != 1 || n->list.n != 1) {
    diag_error(c->d, n->span, "E025",
               decl->b->type.kind == VK_DATE ? N_("table '%s' takes one value: the date to look up")
                                             : N_("table '%s' takes one value: the key to look up"),
               n->name);
    return T_ERR;
  }
  TypeRef k = check_expr(c, args[0]);
  if (is_err(k) || is_err(decl->b->type) || is_err(decl->a->type)) return T_ERR;
  if (!ty_eq(k, decl->b->type)) {
    diag_error(c->d, args[0]->span, "E014", "table '%s' is looked up by %s, not %s", n->name, tn(c, decl->b->type, 0),
               tn(c, k, 1));
    return T_ERR;
  }
  return decl->a->type;
}

/* r(a, b): a rule with parameters, each argument of its parameter's type (geheel widens to getal). */
static TypeRef check_rule_call(Chk *c, AstNode *n, int r) {
  AstNode *rule = c->p->rules[r];
  n->refkind = REF_RULE;
  n->ref = r;
  add_dep(c, (uint32_t)r, n);
  bool bad = false;
  if (n->list.n != rule->params.n) {
    diag_error(c->d, n->span, "E025", ngettext("rule '%s' takes %u value, not %u", "rule '%s' takes %u values, not %u",
                                               rule->params.n),
               n->name, rule->params.n, n->list.n);
    return T_ERR;
  }
  for (uint32_t i = 0; i < n->list.n; i++) {
    AstNode *a = n->list.items[i];
    if (a->kind == AST_NAMED_ARG) {
      diag_error(c->d, a->nspan, "E037", "rule '%s' takes its values in order, without names", n->name);
      bad = true;
      continue;
    }
    TypeRef want = rule->params.items[i]->type, t = check_expr(c, a);
    if (is_err(t) || is_err(want)) { bad = true; continue; }
    if (!ty_eq(t, want) && !(want.kind == VK_DEC && (t.kind == VK_INT || t.kind == VK_MONEY))) {
      diag_error(c->d, a->span, "E014", "parameter '%s' of rule '%s' is %s, but this is %s", rule->params.items[i]->name,
                 n->name, tn(c, want, 0), tn(c, t, 1));
      bad = true;
    }
  }
  return bad || is_err(rule->type) ? T_ERR : rule->type;
}

static TypeRef check_call(Chk *c, AstNode *n) {
  Builtin other;
  int tab = find_table(c->p, n->name);
  if (tab >= 0) return check_table_call(c, n, tab);
  int rr = find_rule(c->p, n->name);
  if (rr >= 0 && c->p->rules[rr]->params.n > 0) return check_rule_call(c, n, rr);
  Builtin b = find_builtin(n->name, rule_lang(c), &other);
  n->ref = b;
  if (b >= BI_DAYS && b <= BI_PLUS) return check_time_call(c, n, b);
  if (b == BI_FAIL) {
    /* fout("art 18 lid 2 is not encoded"): an error row for the dossier, with this reason */
    if (n->list.n != 1 || n->list.items[0]->kind != AST_TEXT) {
      diag_error(c->d, n->span, "E025", "%s takes one text: the reason this dossier has no value, e.g. %s(\"art 18 lid 2 "
                 "is not encoded\")", n->name, n->name);
      return T_ERR;
    }
    return (TypeRef){TY_NEVER, 0, 0};
  }
  if (b == BI_ROUND) return check_round(c, n);
  if (b == BI_REVISE) return check_revise(c, n);
  if (b == BI_GIVEN) {
    AstNode *a = n->list.n == 1 ? n->list.items[0] : NULL;
    if (!a || a->kind == AST_NAMED_ARG) {
      diag_error(c->d, n->span, "E025", "%s takes one optioneel field, e.g. %s(einde_verzekering)", n->name, n->name);
      return T_ERR;
    }
    TypeRef t = check_expr(c, a);
    if (is_err(t)) return T_ERR;
    if (!((a->kind == AST_NAME && a->refkind == REF_INPUT) || (a->kind == AST_MEMBER && a->refkind == REF_FIELD &&
                                                                 a->a->type.kind == VK_RECORD)) || !a->op) {
      Diag *dg = diag_error(c->d, a->span, "E073", "%s asks whether an optioneel field is given; this is not one",
                            n->name);
      diag_note(dg, "declare the field as 'naam: optioneel %s' in its gegevens or invoer", tn(c, t, 0));
      return T_ERR;
    }
    return T_BOOL;
  }
  if (b == BI_MIN || b == BI_MAX) {
    if (n->list.n < 2) {
      diag_error(c->d, n->span, "E025", "%s needs at least two values (or a list: %s(x voor elke x in ...))", n->name, n->name);
      return T_ERR;
    }
    TypeRef r = {0, 0, 0};
    bool bad = false, have = false;
    for (uint32_t i = 0; i < n->list.n; i++) {
      AstNode *a = n->list.items[i];
      if (a->kind == AST_NAMED_ARG) {
        diag_error(c->d, a->nspan, "E037", "%s takes no named arguments", n->name);
        bad = true;
        continue;
      }
      TypeRef t = check_expr(c, a);
      if (is_err(t)) { bad = true; continue; }
      if (!is_num(t) && t.kind != VK_MONEY && t.kind != VK_DATE && !is_duration(t)) {
        diag_error(c->d, a->span, "E014", "%s works on numbers, amounts, dates and durations, not %s", n->name, tn(c, t, 0));
        bad = true;
        continue;
      }
      if (bad) continue;   /* no comparison against a value that already had an error */
      r = have ? unify(c, a, r, t, "the values") : t;
      have = true;
      if (is_err(r)) bad = true;
    }
    return bad ? T_ERR : r;
  }
  if (b != BI_NONE) {
    Diag *dg = diag_error(c->d, n->span, "E029", "%s works on a list: write %s(x voor elke x in lijst)", n->name, n->name);
    (void)dg;
    return T_ERR;
  }
  Diag *dg = diag_error(c->d, n->nspan, "E024", "unknown function '%s'", n->name);
  if (other != BI_NONE)
    diag_note(dg, rule_lang(c) == LANG_EN ? N_("'%s' is the Dutch name; in this file write '%s'")
                                          : N_("'%s' is the English name; in this file write '%s'"),
              n->name, in_lang(rule_lang(c), builtin_funcs[other].nl, builtin_funcs[other].en));
  else {
    NameList cands = {0};
    for (int i = 0; i < NBUILTINS; i++) names_add(&cands, in_lang(rule_lang(c), builtin_funcs[i].nl, builtin_funcs[i].en));
    suggest(c, dg, n->name, &cands);
    xfree(cands.v);
  }
  return T_ERR;   /* the arguments are not checked: their meaning depends on the function */
}

static TypeRef check_agg(Chk *c, AstNode *n) {
  Builtin other;
  Lang l = rule_lang(c);
  Builtin b = find_builtin(n->name, l, &other);
  n->ref = b;
  TypeRef lt = check_expr(c, n->a);
  n->type = T_ERR;   /* marks the variable as unusable until the list type is known */
  bool bad = false;
  if (!is_err(lt) && lt.kind != VK_LIST) {
    diag_error(c->d, n->a->span, "E029", "'%s' goes over a list, but this is %s", n->name, tn(c, lt, 0));
    bad = true;
  } else if (is_err(lt)) {
    bad = true;
  } else {
    n->type = lt;   /* temporarily: check_name reads the element type from n->a */
  }
  if (c->nscope >= 64) {
    diag_error(c->d, n->span, "E002", "aggregations nested too deeply");
    return T_ERR;
  }
  c->scope[c->nscope++] = n;
  if (n->c) {
    TypeRef ct = expect_bool(c, n->c, in_lang(l, _("the condition after 'waarbij'"), _("the condition after 'where'")));
    if (is_err(ct)) bad = true;
  }
  TypeRef et = n->b ? check_expr(c, n->b) : T_ERR;
  c->nscope--;
  if (b == BI_NONE || b == BI_ROUND) {
    Diag *dg = diag_error(c->d, n->nspan, "E024", "unknown aggregation '%s'", n->name);
    if (other != BI_NONE)
      diag_note(dg, l == LANG_EN ? N_("'%s' is the Dutch name; in this file write '%s'")
                                 : N_("'%s' is the English name; in this file write '%s'"),
                n->name, in_lang(l, builtin_funcs[other].nl, builtin_funcs[other].en));
    else
      diag_note(dg, "the aggregations are %s", in_lang(l, _("som, aantal, min, max, elk and enig"), _("sum, count, min, max, all and any")));
    return T_ERR;
  }
  if (b == BI_COUNT) {
    if (n->b) {
      diag_error(c->d, n->b->span, "E030", "%s counts items: write %s(%s %s in ... %s ...)", n->name, n->name,
                 in_lang(l, "elke", "each"), n->str, in_lang(l, "waarbij", "where"));
      return T_ERR;
    }
    return bad ? T_ERR : T_INT;
  }
  if (!n->b) {
    diag_error(c->d, n->span, "E030", "%s needs a value per item: %s(x.veld %s %s x in ...)", n->name, n->name,
               in_lang(l, "voor elke", "for each"), "");
    return T_ERR;
  }
  if (bad || is_err(et)) return T_ERR;
  if (b == BI_ALL || b == BI_ANY) {
    if (et.kind != VK_BOOL) {
      diag_error(c->d, n->b->span, "E030", "%s needs a condition per item, but this is %s", n->name, tn(c, et, 0));
      return T_ERR;
    }
    return T_BOOL;
  }
  if (b == BI_SUM && !is_num(et) && et.kind != VK_MONEY && !is_duration(et)) {
    diag_error(c->d, n->b->span, "E030", "%s adds numbers or amounts, not %s", n->name, tn(c, et, 0));
    return T_ERR;
  }
  if ((b == BI_MIN || b == BI_MAX) && !is_num(et) && et.kind != VK_MONEY && et.kind != VK_DATE && !is_duration(et)) {
    diag_error(c->d, n->b->span, "E030", "%s works on numbers, amounts and dates, not %s", n->name, tn(c, et, 0));
    return T_ERR;
  }
  return et;
}

static TypeRef check_as_known(Chk *c, AstNode *n);

static TypeRef check_expr_inner(Chk *c, AstNode *n) {
  switch (n->kind) {
  case AST_INT: return is_err(n->type) ? T_ERR : T_INT;
  case AST_DEC: return is_err(n->type) ? T_ERR : T_DEC;
  case AST_MONEY: return is_err(n->type) ? T_ERR : T_MONEY;
  case AST_DATE: return is_err(n->type) ? T_ERR : T_DATE;
  case AST_TEXT: return T_TEXT;
  case AST_BOOL: return T_BOOL;
  case AST_NAME: return check_name(c, n);
  case AST_MEMBER: return check_member(c, n);
  case AST_CALL: return check_call(c, n);
  case AST_AGG: return check_agg(c, n);
  case AST_CASE: return check_case(c, n);
  case AST_AS_KNOWN: return check_as_known(c, n);
  case AST_IF: {
    TypeRef ct = expect_bool(c, n->a, in_lang(rule_lang(c), _("the condition after 'als'"), _("the condition after 'if'")));
    TypeRef a = check_expr(c, n->b), b = check_expr(c, n->c);
    TypeRef r = unify(c, n, a, b, in_lang(rule_lang(c), _("the 'dan' and 'anders' values"), _("the 'then' and 'else' values")));
    return is_err(ct) ? T_ERR : r;
  }
  case AST_UNARY: {
    if (n->op == TK_NOT) return expect_bool(c, n->a, _("the value after 'niet'"));
    TypeRef t = check_expr(c, n->a);
    if (is_err(t)) return T_ERR;
    if (!is_num(t) && t.kind != VK_MONEY && !is_duration(t)) {
      diag_error(c->d, n->span, "E014", "cannot negate %s", tn(c, t, 0));
      return T_ERR;
    }
    return t;
  }
  case AST_BINARY: {
    if (n->op == TK_AND || n->op == TK_OR) {
      TypeRef a = expect_bool(c, n->a, _("each side of 'en'/'of'"));
      TypeRef b = expect_bool(c, n->b, _("each side of 'en'/'of'"));
      return is_err(a) || is_err(b) ? T_ERR : T_BOOL;
    }
    TypeRef a = check_expr(c, n->a), b = check_expr(c, n->b);
    if (is_err(a) || is_err(b)) return T_ERR;
    if (a.kind == TY_NEVER || b.kind == TY_NEVER) {
      diag_error(c->d, (a.kind == TY_NEVER ? n->a : n->b)->span, "E071",
                 "%s stands for a whole value: it cannot be part of a calculation", tn(c, (TypeRef){TY_NEVER, 0, 0}, 0));
      return T_ERR;
    }
    switch (n->op) {
    case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: return check_arith(c, n, a, b);
    default: return check_compare(c, n, a, b);
    }
  }
  case AST_NAMED_ARG:
    diag_error(c->d, n->nspan, "E037", "a named argument is only allowed in a function call");
    return T_ERR;
  default:
    diag_error(c->d, n->span, "E002", "not an expression");
    return T_ERR;
  }
}

static TypeRef check_expr(Chk *c, AstNode *n) {
  TypeRef t = check_expr_inner(c, n);
  n->type = t;
  if ((n->kind == AST_NAME || n->kind == AST_MEMBER) && (n->refkind == REF_INPUT || n->refkind == REF_FIELD) &&
      known_list(c->p, t) && c->reads_known)
    c->reads_known[c->rule_index] = 1;
  return t;
}

/* x zoals bekend op d: x's type; d a datum. Whether x reads such a list is seen once all rules are checked. */
static TypeRef check_as_known(Chk *c, AstNode *n) {
  TypeRef d = check_expr(c, n->b);
  if (!is_err(d) && d.kind != VK_DATE) {
    diag_error(c->d, n->b->span, "E014", "%s needs a datum, not %s", in_lang(rule_lang(c), "'zoals bekend op'", "'as known on'"),
               tn(c, d, 0));
    d = T_ERR;
  }
  TypeRef t = check_expr(c, n->a);
  if (t.kind == TY_NEVER) {
    diag_error(c->d, n->a->span, "E071", "%s stands for a whole value: it cannot be evaluated as known on a date",
               tn(c, t, 0));
    return T_ERR;
  }
  if (c->first_as_known && !c->first_as_known[c->rule_index]) c->first_as_known[c->rule_index] = n;
  struct AsKnown ak = {n, c->rule_index};
  VEC_PUSH(c->as_known, c->nas_known, c->capas_known, ak);
  return is_err(d) ? T_ERR : t;
}

/* ---- rules, cycles, outputs ---- */

static void check_citations_of(Chk *c, AstNode *r, bool required);

/* A value (a rule's, a version's or an exception's) against the rule's declared type. */
static void check_value_type(Chk *c, AstNode *r, AstNode *value) {
  TypeRef declared = r->type;
  TypeRef v = check_expr(c, value);
  if (is_err(declared) || is_err(v) || v.kind == TY_NEVER) return;
  /* A geheel or geld where a getal is declared widens exactly (geld in euros); the other way needs rounding. */
  if (ty_eq(declared, v) || (declared.kind == VK_DEC && (v.kind == VK_INT || v.kind == VK_MONEY))) return;
  if (declared.kind == VK_MONEY && v.kind == VK_DEC) {
    Diag *dg = diag_error(c->d, value->span, "E016", "rule '%s' is geld, but this value is a getal that was never rounded",
                          r->name);
    diag_note(dg, "say how the law rounds it: afgerond(..., op: cent, methode: rekenkundig)");
    fix_rounding(c, dg, value);
    return;
  }
  diag_error(c->d, value->span, "E016", "rule '%s' is declared %s, but its value is %s", r->name, tn(c, declared, 0),
             tn(c, v, 1));
}

/* The first and last day a version is valid (open ends: the calendar's ends). */
static int64_t version_from(const AstNode *v) { return v->a && !is_err(v->a->type) ? v->a->ival : INT64_MIN; }
static int64_t version_to(const AstNode *v) { return v->c && !is_err(v->c->type) ? v->c->ival : INT64_MAX; }

static void note_at(Chk *c, Diag *dg, const char *what, Span s) {
  uint32_t line, col;
  const SourceFile *f = &c->p->src->files[s.file];
  src_line_col(f, s.off, &line, &col);
  diag_note_at(dg, s, "%s is at %s:%u:%u", what, f->name, line, col);
}

static void fmt_day(int64_t day, char *buf) {
  if (day == INT64_MIN || day == INT64_MAX) snprintf(buf, 16, "%s", day == INT64_MIN ? _("the beginning") : _("the end"));
  else date_format(day, buf);
}

/*
** Versions in time: the peildatum is a datum, every version's value has the
** rule's type, and the versions neither overlap nor leave a gap between
** them (a date before the first or after the last is a run-time error).
*/
static void check_versions(Chk *c, AstNode *r) {
  TypeRef pt = check_expr(c, r->c);
  if (!is_err(pt) && pt.kind != VK_DATE)
    diag_error(c->d, r->c->span, "E067", "the peildatum of rule '%s' must be a datum, but this is %s", r->name,
               tn(c, pt, 0));
  uint32_t n = r->extra.n;
  for (uint32_t i = 0; i < n; i++) {
    AstNode *v = r->extra.items[i];
    if (version_from(v) > version_to(v)) {
      char a[16], b[16];
      fmt_day(version_from(v), a);
      fmt_day(version_to(v), b);
      diag_error(c->d, v->nspan, "E063", "this version of rule '%s' ends (%s) before it starts (%s)", r->name, b, a);
    }
    check_citations_of(c, v, r->list.n == 0 && is_strict(c, v));   /* law: each version cites, or the rule */
    check_value_type(c, r, v->b);
  }
  /* A bound that is not a date was reported already; comparing would only add noise. */
  for (uint32_t i = 0; i < n; i++) {
    AstNode *v = r->extra.items[i];
    if ((v->a && is_err(v->a->type)) || (v->c && is_err(v->c->type))) return;
  }
  /* Sort a copy by start date, then compare neighbours. */
  AstNode **sorted = xcalloc(n ? n : 1, sizeof *sorted);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t j = i;
    while (j > 0 && version_from(sorted[j - 1]) > version_from(r->extra.items[i])) {
      sorted[j] = sorted[j - 1];
      j--;
    }
    sorted[j] = r->extra.items[i];
  }
  for (uint32_t i = 0; i + 1 < n; i++) {
    AstNode *a = sorted[i], *b = sorted[i + 1];
    int64_t a_to = version_to(a), b_from = version_from(b);
    char d1[16], d2[16];
    if (a_to >= b_from) {
      fmt_day(b_from, d1);
      fmt_day(a_to < version_to(b) ? a_to : version_to(b), d2);
      Diag *dg = diag_error(c->d, b->nspan, "E063", "versions of rule '%s' overlap from %s to %s", r->name, d1, d2);
      note_at(c, dg, _("the other version"), a->nspan);
    } else if (a_to != INT64_MAX && b_from != INT64_MIN && b_from > a_to + 1) {
      fmt_day(a_to + 1, d1);
      fmt_day(b_from - 1, d2);
      Diag *dg = a_to + 1 == b_from - 1
                   ? diag_error(c->d, b->nspan, "E064", "versions of rule '%s' leave a gap on %s", r->name, d1)
                   : diag_error(c->d, b->nspan, "E064", "versions of rule '%s' leave a gap from %s to %s", r->name, d1, d2);
      note_at(c, dg, _("the version before the gap"), a->nspan);
    }
  }
  xfree(sorted);
}

/*
** A native function ('extern regel'): declared pure, every parameter and
** the result of a type C can take, and then -- only when the operator
** allowed the library -- the library opened, the symbol found (and matched
** with the signature the library states, if it does) and the call
** prepared. The path is relative to the rule file, as a table's is.
*/
static char *beside_rule_file(Chk *c, uint32_t file, const char *rel, bool follow);

static void check_native(Chk *c, AstNode *r) {
  AstNode *nat = r->native;
  Program *p = c->p;
  bool ok = true;
  if (!nat->ival) {
    Diag *dg = diag_error(c->d, r->nspan, "E078", "native function '%s' must be declared 'zuiver' (pure)", r->name);
    diag_note(dg, "results may be memoised and replayed, so a function whose result depends on anything but its "
                  "arguments (a clock, a file, a counter) cannot be called from rules");
    ok = false;
  }
  NativeSig sig = {0};
  if (r->params.n > NATIVE_MAX_PARAMS) {
    diag_error(c->d, r->nspan, "E079", "native function '%s' has %u parameters; at most %d are possible", r->name,
               r->params.n, NATIVE_MAX_PARAMS);
    return;
  }
  sig.nparams = (uint8_t)r->params.n;
  for (uint32_t k = 0; k < r->params.n; k++) {
    AstNode *prm = r->params.items[k];
    if (is_err(prm->type)) { ok = false; continue; }
    const char *why = native_kind_problem(prm->type.kind);
    if (why) {
      diag_error(c->d, prm->span, "E079", "parameter '%s' of native function '%s': %s", prm->name, r->name, why);
      ok = false;
    }
    sig.params[k] = prm->type.kind;
  }
  if (is_err(r->type)) ok = false;
  else if (native_kind_problem(r->type.kind)) {
    diag_error(c->d, r->a->span, "E079", "the result of native function '%s': %s", r->name,
               native_kind_problem(r->type.kind));
    ok = false;
  }
  sig.result = r->type.kind;
  if (!ok) return;
  char *path = beside_rule_file(c, r->span.file, nat->a->str, true);   /* as a table's path */
  const char *symbol = nat->b ? nat->b->str : r->name;
  char why[1200];
  static const NativeAllow none;
  /* one the operator named may live anywhere; any other is not even looked for outside the tree */
  SandboxVerdict where = sandbox_native_by_operator(p->allow, path) ? SANDBOX_OK
                                                                    : sandbox_judge(p->sandbox, path, false);
  if (where == SANDBOX_OUTSIDE) {
    sandbox_report(p->sandbox, c->d, nat->a->span, nat->a->str, where, path);
    xfree(path);
    return;
  }
  ChunkNative *cn = &p->natives[nat->ref];
  void *handle = native_open(p->allow ? p->allow : &none, path, &cn->origin, why, sizeof why);
  if (!handle) {
    diag_error(c->d, nat->a->span, "E080", "%s", why);
    xfree(path);
    return;
  }
  void (*fn)(void) = NULL;
  NativeLookup found = native_lookup(handle, symbol, &sig, &fn, why, sizeof why);
  if (found != NATIVE_FOUND || !native_prepare(&cn->fn, fn, &sig, why, sizeof why)) {
    Diag *dg = diag_error(c->d, (nat->b ? nat->b : nat->a)->span, "E081", "%s (in '%s')", why, path);
    if (found == NATIVE_NO_SIGNATURE) {
      char declared[256];
      native_sig_text(&sig, declared, sizeof declared);
      diag_note(dg, "a library states the signature of every function it offers (runtime/dagloon_native.h); if "
                    "'%s' is what this file declares, its author adds: const char dagloon_signature_%s[] = \"%s\";",
                symbol, symbol, declared);
    }
    memset(&cn->origin, 0, sizeof cn->origin);
    native_close(handle);
    xfree(path);
    return;
  }
  cn->rule = xstrdup(r->name);
  cn->where = nat->a->span;
  cn->library = path;
  cn->symbol = xstrdup(symbol);
  cn->handle = handle;
}

static void check_rule(Chk *c, uint32_t i) {
  AstNode *r = c->p->rules[i];
  c->rule = r;
  c->rule_index = i;
  c->nscope = 0;
  if (r->native) check_native(c, r);
  else if (r->extra.n) check_versions(c, r);
  else check_value_type(c, r, r->b);
}

/*
** An exception: the rule it overrides exists, its condition is a
** waarheid, its value has the rule's type, and the exceptions it is
** declared compatible with override the same rule. Its names are resolved
** as in the rule, and its references count as the rule's dependencies.
*/
static void check_exception(Chk *c, AstNode *e) {
  Program *p = c->p;
  int r = find_rule(p, e->c->name);
  if (r < 0) {
    Diag *dg = diag_error(c->d, e->c->span, "E065", "exception '%s' is on an unknown rule '%s'", e->name, e->c->name);
    NameList cands = {0};
    for (uint32_t k = 0; !dg->dropped && k < p->nrules; k++) names_add(&cands, p->rules[k]->name);
    suggest(c, dg, e->c->name, &cands);
    xfree(cands.v);
    return;
  }
  e->c->ref = r;
  if (p->rules[r]->params.n > 0) {
    diag_error(c->d, e->c->span, "E065", "exceptions on a rule with parameters are not supported yet");
    return;
  }
  c->rule = e;
  c->rule_index = (uint32_t)r;
  c->nscope = 0;
  check_citations_of(c, e, true);
  expect_bool(c, e->a, in_lang(rule_lang(c), _("the condition of an uitzondering"), _("the condition of an exception")));
  check_value_type(c, p->rules[r], e->b);
  for (uint32_t i = 0; i < e->extra.n; i++) {
    AstNode *m = e->extra.items[i];
    int32_t ox = nameidx_find(&p->exception_ix, m->name);
    AstNode *other = ox >= 0 ? p->exceptions[ox] : NULL;
    if (!other) {
      Diag *dg = diag_error(c->d, m->span, "E066", "'%s' is not an exception", m->name);
      NameList cands = {0};
      for (uint32_t k = 0; !dg->dropped && k < p->nexceptions; k++) names_add(&cands, p->exceptions[k]->name);
      suggest(c, dg, m->name, &cands);
      xfree(cands.v);
    } else if (strcmp(other->c->name, e->c->name) != 0) {
      diag_error(c->d, m->span, "E066", "exception '%s' is on rule '%s', not on '%s'", m->name, other->c->name,
                 e->c->name);
    } else if (other == e) {
      diag_error(c->d, m->span, "E066", "an exception is always compatible with itself");
    }
  }
}

/*
** Where a symbolic link to a rule file really points, as a path relative to
** where the link's own path is relative (so messages stay machine
** independent); NULL if `path` is not a link.
*/
static char *follow_links(const char *path) {
  char *cur = NULL;
  for (int hops = 0; hops < 8; hops++) {
    const char *p = cur ? cur : path;
    struct stat st;
    if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode)) break;
    char target[4096];
    ssize_t n = readlink(p, target, sizeof target - 1);
    if (n <= 0) break;
    target[n] = 0;
    const char *slash = strrchr(p, '/');
    size_t dirlen = target[0] != '/' && slash ? (size_t)(slash - p + 1) : 0;
    char *next = xmalloc(dirlen + (size_t)n + 1);
    memcpy(next, p, dirlen);
    memcpy(next + dirlen, target, (size_t)n + 1);
    xfree(cur);
    cur = next;
  }
  return cur;
}

/*
** `rel` read relative to the folder of rule file `file` (an absolute path
** as it is); with `follow`, the folder of the file a symbolic link to the
** rule file really points to.
*/
static char *beside_rule_file(Chk *c, uint32_t file, const char *rel, bool follow) {
  const char *rf = c->p->src->files[file].name;
  char *real = follow ? follow_links(rf) : NULL;
  if (real) rf = real;
  const char *slash = strrchr(rf, '/');
  size_t dirlen = slash && rel[0] != '/' ? (size_t)(slash - rf + 1) : 0;
  char *path = xmalloc(dirlen + strlen(rel) + 1);
  memcpy(path, rf, dirlen);
  strcpy(path + dirlen, rel);
  xfree(real);
  /* 'build/natives/x.so' in messages, not 'rules/kalender/../../build/natives/x.so' -- but only
     where that is the same file: a '..' after a symbolic link goes elsewhere than it reads */
  char *tidy = path_normalise(path);
  struct stat a, b;
  bool sa = stat(path, &a) == 0, sb = stat(tidy, &b) == 0;
  if (sa == sb && (!sa || (a.st_dev == b.st_dev && a.st_ino == b.st_ino))) {
    xfree(path);
    return tidy;
  }
  xfree(tidy);
  return path;
}

/* The CSV of a 'vervang tabel x uit "f"' row overlay, relative to the folder of the file that names it. */
static char *rows_path(Chk *c, const AstNode *rows) { return beside_rule_file(c, rows->span.file, rows->str, false); }

/* The string literal that starts at byte `off` of rule file `file` (a table's path), quotes included. */
static Span path_span(Chk *c, uint32_t file, int64_t off) {
  const SourceFile *f = &c->p->src->files[file];
  uint32_t end = (uint32_t)off + 1;
  while (end < f->len && f->text[end] != '"' && f->text[end] != '\n') end += f->text[end] == '\\' ? 2 : 1;
  if (end > f->len) end = f->len;
  return (Span){file, (uint32_t)off, end - (uint32_t)off + (end < f->len)};
}

static const char *day_str(int64_t day, char *buf) {
  date_format(day, buf);
  return buf;
}

/*
** The coverage 'dekking vanaf A [t/m B]' of table `name` (cov: the list of
** one or two literals) into spec. False when it is written wrongly (reported).
*/
static bool read_coverage(Chk *c, const char *name, AstNode *cov, TableSpec *spec) {
  AstNode *from = cov->list.items[0], *to = cov->list.n > 1 ? cov->list.items[1] : NULL;
  uint8_t want = spec->kind == TABLE_BY_DATE ? AST_DATE : AST_INT;
  if (spec->kind == TABLE_BY_KEY && spec->keytype.kind == VK_ENUM) {
    diag_error(c->d, from->span, "E068", "a table per keuze always covers every choice: leave 'dekking' out");
    return false;
  }
  if (from->kind != want || (to && to->kind != want)) {
    diag_error(c->d, (from->kind != want ? from : to)->span, "E068", "the coverage of table '%s' is written as %s",
               name, want == AST_DATE ? _("dates") : _("whole numbers"));
    return false;
  }
  if (is_err(from->type) || (to && is_err(to->type))) return false;
  if (to && to->ival < from->ival) {
    char a[32], b[32];
    if (want == AST_DATE) date_format(to->ival, a), date_format(from->ival, b);
    else snprintf(a, sizeof a, "%lld", (long long)to->ival), snprintf(b, sizeof b, "%lld", (long long)from->ival);
    diag_error(c->d, to->span, "E068", "the coverage of table '%s' ends on %s, before it starts on %s", name, a, b);
    return false;
  }
  spec->has_from = true;
  spec->from = from->ival;
  spec->has_to = to != NULL;
  spec->to = to ? to->ival : 0;
  return true;
}

/*
** A date series needs its horizon: the last day its values are known. Past
** it the last row would otherwise hold for ever, and a revision nobody has
** published yet would silently count as 0 %.
*/
static void no_horizon(Chk *c, const char *name, AstNode *cov, Span decl) {
  AstNode *from = cov ? cov->list.items[0] : NULL;
  Diag *dg = diag_error(c->d, from ? from->span : decl, "E082",
                        "table '%s' is looked up per datum but has no horizon: its 'dekking' has no 't/m'", name);
  char d[16];
  if (from && from->kind == AST_DATE) {
    date_format(from->ival, d);
    diag_note(dg, "write 'dekking vanaf %s t/m D', D the last day on which the table's values are known", d);
  } else {
    diag_note(dg, "add 'dekking vanaf D1 t/m D2' before 'uit': the first and the last day on which the table's values "
                  "are known");
  }
  diag_note(dg, "past that day a lookup or a revision is an error for the dossier, not the last row's value again "
                "or 0 %%");
}

/* The merged rows of a table meet the coverage a proposal gave it (E058). */
static bool coverage_met(Chk *c, AstNode *decl, AstNode *rows, const TableSpec *over, const Table *out) {
  char a[16], b[16];
  if (out->nrows && out->rows[0].key > over->from) {
    diag_error(c->d, rows->c->list.items[0]->span, "E058",
               "table '%s' with the rows of '%s' does not cover %s: its first row starts on %s", decl->name, rows->str,
               day_str(over->from, a), day_str(out->rows[0].key, b));
    return false;
  }
  if (out->nrows && out->rows[out->nrows - 1].until < over->to) {
    diag_error(c->d, rows->c->list.items[rows->c->list.n - 1]->span, "E058",
               "table '%s' with the rows of '%s' does not cover %s: its last row ends on %s", decl->name, rows->str,
               day_str(over->to, a), day_str(out->rows[out->nrows - 1].until, b));
    return false;
  }
  return true;
}

/*
** 'vervang tabel x dekking vanaf A t/m B uit "rows.csv"': the proposal's
** coverage replaces the base's (a proposal that adds rows for later dates
** moves the horizon with them). With `out` NULL it is only read into spec;
** then the merged rows in `out` must meet it.
*/
static bool overlay_coverage(Chk *c, AstNode *decl, AstNode *rows, TableSpec *spec, const Table *out) {
  if (out) return coverage_met(c, decl, rows, spec, out);
  TableSpec over = *spec;
  if (spec->kind != TABLE_BY_DATE) {
    diag_error(c->d, rows->c->list.items[0]->span, "E068",
               "only a date table takes a new 'dekking' with its rows: '%s' is not one", decl->name);
    return false;
  }
  if (!read_coverage(c, decl->name, rows->c, &over)) return false;
  if (!over.has_to) {
    no_horizon(c, decl->name, rows->c, rows->nspan);
    return false;
  }
  *spec = over;
  return true;
}

/*
** Load a proposal's rows for table `decl` and lay them over the base's rows
** in *out: a row with a key the base has replaces it, a new key is added in
** its place. Date rows with an explicit end must still not overlap the next.
*/
static bool overlay_rows(Chk *c, AstNode *decl, AstNode *rows, const TableSpec *base_spec, Table *out) {
  TableSpec spec = *base_spec;
  spec.path = rows_path(c, rows);
  spec.written = rows->str;
  spec.where = path_span(c, rows->span.file, rows->ival);
  spec.decl = rows->span;
  spec.has_from = spec.has_to = false;
  Table over;
  bool ok = tables_load(c->p->src, c->d, &c->p->schema, &spec, &over);
  xfree((char *)spec.path);
  /* a row that starts past the horizon would never be looked up: the proposal moves the horizon with it */
  for (uint32_t j = 0; ok && base_spec->kind == TABLE_BY_DATE && base_spec->has_to && j < over.nrows; j++)
    if (over.rows[j].key > base_spec->to) {
      char a[16], b[16];
      Diag *dg = diag_error(c->d, rows->nspan, "E082", "the rows of '%s' reach past the horizon of table '%s': line %u "
                            "starts on %s, the table is known t/m %s", rows->str, decl->name, over.rows[j].line,
                            day_str(over.rows[j].key, a), day_str(base_spec->to, b));
      diag_note(dg, "give this 'vervang tabel' its own 'dekking vanaf ... t/m ...': the last day its rows are known");
      ok = false;
    }
  if (!ok) {
    table_free(&over);
    return false;
  }
  /*
  ** A date row without tot_en_met runs until the day before the next row: the
  ** loader wrote that end, so after the merge it is the new next row's. Rows
  ** with an end of their own keep it (and must not run into the next).
  */
  size_t total = (size_t)out->nrows + over.nrows + 1;
  TableRow *merged = xcalloc(total, sizeof *merged);
  bool *open = xcalloc(total, sizeof *open);
  uint32_t i = 0, j = 0, n = 0;
  while (i < out->nrows || j < over.nrows) {
    bool from_base = j >= over.nrows || (i < out->nrows && out->rows[i].key < over.rows[j].key);
    const Table *src = from_base ? out : &over;
    uint32_t at = from_base ? i : j;
    if (!from_base && i < out->nrows && out->rows[i].key == over.rows[j].key) {   /* replaced: the base row goes */
      TableRow *old = &out->rows[i++];
      xfree(old->source);
      xfree(old->note);
      if (out->valtype.kind == VK_TEXT) xfree((void *)old->value.text);
    }
    int64_t implicit = at + 1 < src->nrows ? src->rows[at + 1].key - 1 : INT64_MAX;
    open[n] = src->kind == TABLE_BY_DATE && src->rows[at].until == implicit;
    merged[n++] = src->rows[at];
    if (from_base) i++;
    else j++;
  }
  for (uint32_t k = 0; k < n; k++)
    if (open[k]) merged[k].until = k + 1 < n ? merged[k + 1].key - 1 : INT64_MAX;
  xfree(open);
  xfree(out->rows);
  out->rows = merged;
  out->nrows = n;
  xfree(over.rows);   /* its rows now belong to out */
  over.rows = NULL;
  over.nrows = 0;
  table_free(&over);
  for (uint32_t k = 0; k + 1 < out->nrows && out->kind == TABLE_BY_DATE; k++)
    if (out->rows[k].until != INT64_MAX && out->rows[k].until >= out->rows[k + 1].key) {
      diag_error(c->d, rows->span, "E076",
                 "the rows of '%s' overlap the rows of table '%s': a row with an end date runs into the next", rows->str,
                 decl->name);
      return false;
    }
  return true;
}

/* Resolve a table's types, its file relative to the rule file, and load and validate its rows. */
static void check_table(Chk *c, uint32_t t) {
  Program *p = c->p;
  AstNode *decl = p->tables[t];
  c->rule = decl;
  TypeRef vt = resolve_type(c, decl->a), kt = resolve_type(c, decl->b);
  decl->a->type = vt;
  decl->b->type = kt;
  check_citations_of(c, decl, true);
  Table *out = &p->tabdata[t];
  out->name = xstrdup(decl->name);
  out->path = xstrdup("");
  if (is_err(vt) || is_err(kt)) return;
  if (vt.kind == VK_LIST || vt.kind == VK_RECORD || vt.kind == VK_PERIOD) {
    diag_error(c->d, decl->a->span, "E068", "a table holds single values, not %s", tn(c, vt, 0));
    decl->a->type = T_ERR;
    return;
  }
  TableSpec spec = {0};
  spec.name = decl->name;
  spec.decl = decl->nspan;
  spec.keytype = kt;
  /* durations are whole numbers in the file; the table keeps their unit */
  spec.valtype = is_duration(vt) ? T_INT : vt;
  if (kt.kind == VK_DATE) spec.kind = TABLE_BY_DATE;
  else if (kt.kind == VK_INT || kt.kind == VK_ENUM) spec.kind = TABLE_BY_KEY;
  else {
    diag_error(c->d, decl->b->span, "E068", "a table is looked up per datum, per geheel or per keuze, not per %s",
               tn(c, kt, 0));
    decl->b->type = T_ERR;
    return;
  }
  if (decl->c && !read_coverage(c, decl->name, decl->c, &spec)) {
    decl->b->type = T_ERR;
    return;
  }
  /*
  ** A date series needs its horizon: the last day its values are known. Past
  ** it the last row would otherwise hold for ever, and a revision nobody has
  ** published yet would silently count as 0 %.
  */
  if (spec.kind == TABLE_BY_DATE && !spec.has_to) no_horizon(c, decl->name, decl->c, decl->nspan);
  /*
  ** The path is relative to the folder of the rule file that declares the
  ** table -- where the file really is, if the name given was a symbolic link.
  */
  char *path = beside_rule_file(c, decl->span.file, decl->str, true);
  spec.path = path;
  spec.sandbox = p->sandbox;
  spec.written = decl->str;
  spec.where = path_span(c, decl->span.file, decl->ival);
  xfree(out->name);
  xfree(out->path);
  memset(out, 0, sizeof *out);
  if (!tables_load(p->src, c->d, &p->schema, &spec, out)) decl->a->type = T_ERR;
  out->valtype = vt;
  xfree(path);
  /* a proposal's rows over the base's: 'vervang tabel x uit "rows.csv"' (proposal.c attached them) */
  for (uint32_t k = 0; k < decl->extra.n && !is_err(decl->a->type); k++) {
    AstNode *rows = decl->extra.items[k];
    TableSpec next = spec;   /* the proposal's own coverage, if it has one, is the table's from here on */
    if ((rows->c && !overlay_coverage(c, decl, rows, &next, NULL)) || !overlay_rows(c, decl, rows, &next, out) ||
        (rows->c && !overlay_coverage(c, decl, rows, &next, out))) {
      decl->a->type = T_ERR;
      break;
    }
    spec = next;
    if (spec.kind == TABLE_BY_DATE) {
      out->from = spec.from;
      out->to = spec.to;
    }
  }
  if (!out->name) out->name = xstrdup(decl->name);
  if (!out->path) out->path = xstrdup(decl->str);
}

/* Rule sets in a rules/ tree are the law as the product applies it: each rule must say where it comes from. */
static bool in_rules_tree(const char *path) {
  return strncmp(path, "rules/", 6) == 0 || strstr(path, "/rules/") != NULL;
}

/*
** A declaration without 'bron': an error in a rule set that is law
** ('strikt'), a warning in a rules/ tree, nothing elsewhere (examples, tests).
*/
static void check_citations_of(Chk *c, AstNode *r, bool required) {
  if (r->list.n == 0) {
    /* whole sentences per kind of declaration, so that a translation can order them */
    int kind = r->kind == AST_TABLE_DECL ? 0 : r->kind == AST_EXCEPTION_DECL ? 1 : r->kind == AST_VERSION ? 2 : 3;
    static const char *const as_law[] = {
      N_("table '%s' cites no source, and this rule set is law ('%s')"),
      N_("exception '%s' cites no source, and this rule set is law ('%s')"),
      N_("a version of rule '%s' cites no source, and this rule set is law ('%s')"),
      N_("rule '%s' cites no source, and this rule set is law ('%s')")};
    static const char *const in_tree[] = {
      N_("table '%s' cites no source"), N_("exception '%s' cites no source"),
      N_("a version of rule '%s' cites no source"), N_("rule '%s' cites no source")};
    const char *name = r->kind == AST_VERSION ? c->rule->name : r->name;
    const char *how = _("add 'bron' with the regulation and article, e.g. bron DB art 16 lid 1, or an ECLI");
    if (required && is_strict(c, r)) {
      Diag *dg = diag_error(c->d, r->nspan, "E097", as_law[kind], name, in_lang(lang_of(c, r->span), "strikt", "strict"));
      diag_note(dg, "%s", how);
      fix_missing_bron(c, dg, r);
    } else if (required && in_rules_tree(c->p->src->files[r->span.file].name)) {
      Diag *dg = diag_warn(c->d, r->nspan, "W001", in_tree[kind], name);
      diag_note(dg, "%s", how);
      fix_missing_bron(c, dg, r);
    }
    return;
  }
  for (uint32_t i = 0; i < r->list.n; i++) {
    AstNode *ct = r->list.items[i];
    if (ct->ival != TK_IDENT) continue;
    int32_t src = nameidx_find(&c->p->source_ix, ct->name);
    bool found = src >= 0;
    if (found) ct->ref = src;
    if (!found) {
      Diag *dg = diag_error(c->d, ct->nspan, "E031", "unknown source '%s'", ct->name);
      if (dg->dropped) continue;
      NameList cands = {0};
      for (uint32_t k = 0; k < c->p->nsources; k++) names_add(&cands, c->p->sources[k]->name);
      if (cands.n) suggest(c, dg, ct->name, &cands);
      else diag_note(dg, "declare it first: bron %s = \"title of the regulation\", BWBR...", ct->name);
      xfree(cands.v);
    }
  }
}

/* Depth-first search for cycles; reports each cycle once, at the reference that closes it. */
static void find_cycles(Chk *c) {
  uint32_t n = c->p->nrules;
  uint8_t *state = xcalloc(n ? n : 1, 1);   /* 0 new, 1 on stack, 2 done */
  uint32_t *stack = xcalloc(n ? n : 1, sizeof *stack), *edge = xcalloc(n ? n : 1, sizeof *edge);
  uint32_t *pos = xcalloc(n ? n : 1, sizeof *pos);   /* where a rule on the stack is: a cycle's start without a search */
  for (uint32_t root = 0; root < n; root++) {
    if (state[root]) continue;
    int sp = 0;
    stack[0] = root;
    edge[0] = 0;
    pos[root] = 0;
    state[root] = 1;
    while (sp >= 0) {
      uint32_t r = stack[sp];
      if (edge[sp] < c->ndeps[r]) {
        struct Dep d = c->deps[r][edge[sp]++];
        if (state[d.to] == 0) {
          state[d.to] = 1;
          stack[++sp] = d.to;
          edge[sp] = 0;
          pos[d.to] = (uint32_t)sp;
        } else if (state[d.to] == 1) {
          char path[400] = "";
          size_t len = 0;
          int start = (int)pos[d.to];
          for (int k = start; k <= sp && len < sizeof path - 60; k++)
            len += (size_t)snprintf(path + len, sizeof path - len, "%s -> ", c->p->rules[stack[k]]->name);
          snprintf(path + len, sizeof path - len, "%s", c->p->rules[d.to]->name);
          Diag *dg = diag_error(c->d, d.at->span, "E017", "rule '%s' depends on itself", c->p->rules[d.to]->name);
          diag_note(dg, "%s", path);
        }
      } else {
        state[r] = 2;
        sp--;
      }
    }
  }
  xfree(state);
  xfree(stack);
  xfree(edge);
  xfree(pos);
}

/* The rules an expression names, a read of a knowledge-dated list in it, and a 'zoals bekend op' inside it. */
static void scan_as_known(Chk *c, AstNode *e, uint8_t *seen, uint32_t **todo, size_t *ntodo, size_t *cap, bool *reads,
                          AstNode **nested) {
  if (!e) return;
  if (e->kind == AST_AS_KNOWN && !*nested) *nested = e;
  if ((e->kind == AST_NAME || e->kind == AST_MEMBER) && (e->refkind == REF_INPUT || e->refkind == REF_FIELD) &&
      known_list(c->p, e->type))
    *reads = true;
  if ((e->kind == AST_NAME || e->kind == AST_MEMBER || e->kind == AST_CALL) && e->refkind == REF_RULE && e->ref >= 0 &&
      !seen[e->ref]) {
    seen[e->ref] = 1;
    VEC_PUSH(*todo, *ntodo, *cap, (uint32_t)e->ref);
  }
  scan_as_known(c, e->a, seen, todo, ntodo, cap, reads, nested);
  scan_as_known(c, e->b, seen, todo, ntodo, cap, reads, nested);
  scan_as_known(c, e->c, seen, todo, ntodo, cap, reads, nested);
  for (uint32_t i = 0; i < e->list.n; i++) scan_as_known(c, e->list.items[i], seen, todo, ntodo, cap, reads, nested);
}

/*
** Every 'zoals bekend op': what it evaluates must read a list whose lines have a knowledge date
** (directly or through the rules it uses), else it changes nothing (E092); and no 'zoals bekend
** op' may be evaluated inside it (E093): one view of the facts at a time.
*/
static void check_as_known_uses(Chk *c) {
  uint32_t nr = c->p->nrules;
  uint8_t *seen = xcalloc(nr ? nr : 1, 1);
  uint32_t *todo = NULL;
  size_t cap = 0;
  for (size_t k = 0; k < c->nas_known; k++) {
    AstNode *at = c->as_known[k].at;
    if (is_err(at->type)) continue;
    Lang l = lang_of(c, at->span);
    const char *kw = in_lang(l, "'zoals bekend op'", "'as known on'");
    memset(seen, 0, nr ? nr : 1);
    size_t ntodo = 0;
    bool reads = false;
    AstNode *nested = NULL;
    scan_as_known(c, at->a, seen, &todo, &ntodo, &cap, &reads, &nested);
    if (nested) {
      Diag *dg = diag_error(c->d, nested->span, "E093", "%s inside %s: the facts are seen as known on one date at a time", kw, kw);
      note_at(c, dg, _("the outer one"), at->span);
      continue;
    }
    uint32_t via = UINT32_MAX;
    for (size_t j = 0; j < ntodo && via == UINT32_MAX; j++) {
      uint32_t r = todo[j];
      if (c->reads_known[r]) reads = true;
      if (c->first_as_known[r]) {
        via = r;
        break;
      }
      for (uint32_t e = 0; e < c->ndeps[r]; e++)
        if (!seen[c->deps[r][e].to]) {
          seen[c->deps[r][e].to] = 1;
          VEC_PUSH(todo, ntodo, cap, c->deps[r][e].to);
        }
    }
    if (via != UINT32_MAX) {
      Diag *dg = diag_error(c->d, at->span, "E093", "rule '%s', evaluated here, uses %s itself: the facts are seen as known on one date at a time",
                            c->p->rules[via]->name, kw);
      char what[200];
      snprintf(what, sizeof what, _("the one in rule '%s'"), c->p->rules[via]->name);
      note_at(c, dg, what, c->first_as_known[via]->span);
      continue;
    }
    if (!reads) {
      Diag *dg = diag_error(c->d, at->span, "E092", "%s changes nothing here: nothing this evaluates reads a list whose lines have a knowledge date", kw);
      diag_note(dg, "%s", in_lang(l, _("declare the day a line became known on its gegevens: gegevens NAAM bekend op veld { ... }"),
                                  _("declare the day a line became known on its record: record NAME known on field { ... }")));
    }
  }
  xfree(todo);
  xfree(seen);
}

static void check_output(Chk *c) {
  AstNode *o = c->p->output;
  if (!o) return;
  NameIndex seen = {0};
  for (uint32_t i = 0; i < o->list.n; i++) {
    AstNode *it = o->list.items[i];
    int32_t first = nameidx_add(&seen, it->name, (int32_t)i);
    if (first >= 0) report_duplicate(c, it, o->list.items[first], N_("output column"));
    int r = find_rule(c->p, it->name);
    if (r >= 0 && c->p->rules[r]->params.n > 0) {
      diag_error(c->d, it->span, "E032", "rule '%s' has parameters and cannot be an output column", it->name);
      continue;
    }
    if (r >= 0) {
      it->refkind = REF_RULE;
      it->ref = r;
      it->type = c->p->rules[r]->type;
      continue;
    }
    int f = find_input_field(c->p, it->name);
    if (f >= 0) {
      it->refkind = REF_INPUT;
      it->ref = f;
      it->type = c->p->schema.records[c->p->schema.input].fields[f].type;
      if (c->p->schema.records[c->p->schema.input].fields[f].optional) {
        Diag *dg = diag_error(c->d, it->span, "E032", "'%s' is optioneel and cannot be an output column", it->name);
        diag_note(dg, "output a rule that says what to show when it is not given");
      } else if (it->type.kind == VK_LIST || it->type.kind == VK_RECORD)
        diag_error(c->d, it->span, "E032", "'%s' is %s and cannot be an output column", it->name, tn(c, it->type, 0));
      continue;
    }
    Diag *dg = diag_error(c->d, it->span, "E032", "output '%s' is neither a rule nor an input field", it->name);
    if (dg->dropped) continue;
    NameList cands = {0};
    for (uint32_t k = 0; k < c->p->nrules; k++) names_add(&cands, c->p->rules[k]->name);
    suggest(c, dg, it->name, &cands);
    xfree(cands.v);
  }
  nameidx_free(&seen);
}

/*
** 'uitkering X per maand': X is a geld column of the uitvoer (its value is the benefit of one
** month or one year), the period maand or jaar (month, year in English files).
*/
static void check_benefit(Chk *c) {
  AstNode *b = c->p->benefit;
  c->p->benefit_column = -1;
  if (!b) return;
  Lang l = lang_of(c, b->span);
  const char *month = in_lang(l, "maand", "month"), *year = in_lang(l, "jaar", "year");
  if (strcmp(b->a->name, month) == 0) c->p->benefit_period = BENEFIT_MONTH;
  else if (strcmp(b->a->name, year) == 0) c->p->benefit_period = BENEFIT_YEAR;
  else
    diag_error(c->d, b->a->span, "E102", "the benefit is paid per %s or per %s, not per '%s'", month, year, b->a->name);
  AstNode *o = c->p->output;
  for (uint32_t i = 0; o && i < o->list.n; i++) {
    AstNode *it = o->list.items[i];
    if (strcmp(it->name, b->name) != 0) continue;
    if (it->type.kind == VK_MONEY) {
      if (c->p->benefit_period) c->p->benefit_column = (int32_t)i;
    } else if (it->refkind != REF_NONE && it->type.kind != TY_ERROR) {   /* else the column's own error says it */
      Diag *dg = diag_error(c->d, b->nspan, "E100", "the benefit '%s' is %s, not %s", b->name, tn(c, it->type, 0),
                            in_lang(l, "geld", "money"));
      diag_note(dg, "name the output column of the amount paid");
    }
    return;
  }
  Diag *dg = diag_error(c->d, b->nspan, "E100", "the benefit '%s' is not a column of the uitvoer", b->name);
  if (dg->dropped) return;
  if (!o) {
    diag_note(dg, "declare the output columns with 'uitvoer { ... }' and name one of them");
    return;
  }
  NameList cands = {0};
  for (uint32_t i = 0; i < o->list.n; i++) names_add(&cands, o->list.items[i]->name);
  suggest(c, dg, b->name, &cands);
  xfree(cands.v);
}

/*
** '... duur D daarna Y' (the cohort, compare --jaren): D a geheel column of the uitvoer (the number of
** periods the benefit is paid, E103), Y a geld column (what is paid per period after them, E104).
** name is the NAME node; returns the column's index, or -1.
*/
static int32_t benefit_part(Chk *c, AstNode *name, ValueKind want) {
  Lang l = lang_of(c, name->span);
  bool dur = want == VK_INT;
  AstNode *o = c->p->output;
  for (uint32_t i = 0; o && i < o->list.n; i++) {
    AstNode *it = o->list.items[i];
    if (strcmp(it->name, name->name) != 0) continue;
    if (it->type.kind == want) return (int32_t)i;
    if (it->refkind == REF_NONE || it->type.kind == TY_ERROR) return -1;   /* the column's own error says it */
    if (dur) {
      Diag *dg = diag_error(c->d, name->span, "E103", "the duration '%s' is %s, not %s", name->name, tn(c, it->type, 0),
                            in_lang(l, "geheel", "integer"));
      diag_note(dg, "name the output column of the number of periods the benefit is paid");
    } else {
      Diag *dg = diag_error(c->d, name->span, "E104", "the benefit after the duration '%s' is %s, not %s", name->name,
                            tn(c, it->type, 0), in_lang(l, "geld", "money"));
      diag_note(dg, "name the output column of the amount paid per period after the duration");
    }
    return -1;
  }
  Diag *dg = dur ? diag_error(c->d, name->span, "E103", "the duration '%s' is not a column of the uitvoer", name->name)
                 : diag_error(c->d, name->span, "E104", "the benefit after the duration '%s' is not a column of the uitvoer",
                              name->name);
  if (dg->dropped || !o) return -1;
  NameList cands = {0};
  for (uint32_t i = 0; i < o->list.n; i++) names_add(&cands, o->list.items[i]->name);
  suggest(c, dg, name->name, &cands);
  xfree(cands.v);
  return -1;
}

static void check_benefit_duration(Chk *c) {
  AstNode *b = c->p->benefit;
  c->p->benefit_duration = c->p->benefit_then = -1;
  if (!b || !b->b) return;
  int32_t d = benefit_part(c, b->b, VK_INT);
  int32_t t = b->c ? benefit_part(c, b->c, VK_MONEY) : -1;
  if (c->p->benefit_column < 0 || d < 0 || (b->c && t < 0)) return;   /* all or nothing: no half cohort */
  c->p->benefit_duration = d;
  c->p->benefit_then = t;
}

bool chk_program(Program *p, Ast *ast, SourceSet *src, const Lang *langs, const NativeAllow *allow,
                 const Sandbox *sandbox, DiagList *d) {
  memset(p, 0, sizeof *p);
  p->ast = ast;
  p->src = src;
  p->langs = langs;
  p->sandbox = sandbox;   /* before the tables are loaded */
  p->schema.input = -1;
  p->schema.key_field = -1;
  int errors_before = d->nerrors;
  Chk c = {0};
  c.p = p;
  c.d = d;
  c.nrulefiles = src->n;
  c.strict = strict_files(&ast->decls, src, c.nrulefiles, d);
  collect(&c);
  labels_check(&ast->decls, src, d);
  resolve_schema(&c);
  p->tabdata = xcalloc(p->ntables ? p->ntables : 1, sizeof *p->tabdata);
  for (uint32_t t = 0; t < p->ntables; t++) check_table(&c, t);
  for (uint32_t i = 0; i < p->nrules; i++) {
    c.rule = p->rules[i];
    for (uint32_t k = 0; k < p->rules[i]->params.n; k++) {
      AstNode *prm = p->rules[i]->params.items[k];
      prm->type = resolve_type(&c, prm->a);
      for (uint32_t j = 0; j < k; j++)
        if (strcmp(p->rules[i]->params.items[j]->name, prm->name) == 0)
          report_duplicate(&c, prm, p->rules[i]->params.items[j], "parameter");
    }
    p->rules[i]->type = resolve_type(&c, p->rules[i]->a);
    if (p->rules[i]->type.kind == VK_RECORD || p->rules[i]->type.kind == VK_LIST) {
      diag_error(d, p->rules[i]->a->span, "E016", "a rule's value is a single value, not %s", tn(&c, p->rules[i]->type, 0));
      p->rules[i]->type = T_ERR;
    }
  }
  /* the natives' array at its final size: a prepared call points into its own entry */
  for (uint32_t i = 0; i < p->nrules; i++)
    if (p->rules[i]->native) p->rules[i]->native->ref = (int32_t)p->nnatives++;
  p->natives = xcalloc(p->nnatives ? p->nnatives : 1, sizeof *p->natives);
  p->allow = allow;
  uint32_t n = p->nrules ? p->nrules : 1;
  c.deps = xcalloc(n, sizeof *c.deps);
  c.ndeps = xcalloc(n, sizeof *c.ndeps);
  c.capdeps = xcalloc(n, sizeof *c.capdeps);
  c.reads_known = xcalloc(n, 1);
  c.first_as_known = xcalloc(n, sizeof *c.first_as_known);
  for (uint32_t i = 0; i < p->nrules; i++) {
    /* A rule with versions may cite its sources per version instead. */
    check_citations_of(&c, p->rules[i], p->rules[i]->extra.n == 0);
    check_rule(&c, i);
  }
  for (uint32_t i = 0; i < p->nexceptions; i++) check_exception(&c, p->exceptions[i]);
  find_cycles(&c);
  check_as_known_uses(&c);
  c.rule = NULL;
  check_output(&c);
  check_benefit(&c);
  check_benefit_duration(&c);
  for (uint32_t i = 0; i < n; i++) xfree(c.deps[i]);
  xfree(c.deps);
  xfree(c.strict);
  xfree(c.ndeps);
  xfree(c.capdeps);
  xfree(c.reads_known);
  xfree(c.first_as_known);
  xfree(c.as_known);
  return d->nerrors == errors_before;
}

void chk_free(Program *p) {
  for (uint32_t i = 0; p->natives && i < p->nnatives; i++) chunk_native_clear(&p->natives[i]);   /* NULL once the compiler took them */
  xfree(p->natives);
  for (uint32_t t = 0; p->tabdata && t < p->ntables; t++) table_free(&p->tabdata[t]);   /* NULL once the compiler took them */
  xfree(p->tabdata);
  xfree(p->tables);
  xfree(p->exceptions);
  schema_free(&p->schema);
  xfree(p->enums);
  xfree(p->records);
  xfree(p->known);
  xfree(p->rules);
  xfree(p->sources);
  NameIndex *ixs[] = {&p->enum_ix, &p->record_ix, &p->rule_ix, &p->table_ix, &p->source_ix, &p->exception_ix,
                      &p->input_ix};
  for (size_t i = 0; i < sizeof ixs / sizeof *ixs; i++) nameidx_free(ixs[i]);
  memset(p, 0, sizeof *p);
}

char *chk_rule_source(const Program *p, const AstNode *rule) {
  char buf[1024] = "";
  size_t len = 0;
  for (uint32_t i = 0; i < rule->list.n && len < sizeof buf - 1; i++) {
    const AstNode *ct = rule->list.items[i];
    const char *title = ct->name;
    const char *bwb = "";
    if (ct->ival == TK_IDENT && ct->ref >= 0 && (uint32_t)ct->ref < p->nsources) {
      title = p->sources[ct->ref]->str;
      bwb = p->sources[ct->ref]->str2;
    }
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s%s%s%s%s%s", i ? "; " : "", title, *bwb ? " (" : "", bwb,
                            *bwb ? ")" : "", *ct->str ? " " : "", ct->str);
  }
  return xstrdup(buf);
}
