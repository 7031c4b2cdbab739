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
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/strutil.h"

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
} Chk;

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

static Lang lang_of(Chk *c, Span s) { return s.file < c->p->src->n ? c->p->langs[s.file] : LANG_NL; }
static Lang rule_lang(Chk *c) { return lang_of(c, c->rule ? c->rule->span : (Span){0, 0, 0}); }

/* ---- names of built-in types, functions and arguments, per language ---- */

static const struct BuiltinType { const char *nl, *en; uint8_t kind; } builtin_types[] = {
  {"waarheid", "bool", VK_BOOL}, {"geheel", "integer", VK_INT}, {"getal", "number", VK_DEC},
  {"geld", "money", VK_MONEY},   {"datum", "date", VK_DATE},     {"tekst", "text", VK_TEXT},
};

static const struct { const char *nl, *en; } builtin_funcs[] = {
  [BI_ROUND] = {"afgerond", "rounded"}, [BI_MIN] = {"min", "min"},   [BI_MAX] = {"max", "max"},
  [BI_SUM] = {"som", "sum"},            [BI_COUNT] = {"aantal", "count"},
  [BI_ALL] = {"elk", "all"},            [BI_ANY] = {"enig", "any"},
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
  uint8_t k = t.kind == VK_LIST ? t.elem : t.kind;
  const char *base = "?";
  if (k == VK_ENUM) base = t.ref < p->schema.nenums ? p->schema.enums[t.ref].name : "?";
  else if (k == VK_RECORD) base = t.ref < p->schema.nrecords ? p->schema.records[t.ref].name : "?";
  else
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
      if (builtin_types[i].kind == k) base = in_lang(lang, builtin_types[i].nl, builtin_types[i].en);
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

static void suggest(Diag *dg, const char *name, NameList *cands) {
  const char *s = str_suggest(name, strlen(name), cands->v, cands->n);
  if (s) diag_note(dg, "did you mean '%s'?", s);
}

static int find_enum(Program *p, const char *name) {
  for (uint32_t i = 0; i < p->schema.nenums; i++)
    if (strcmp(p->schema.enums[i].name, name) == 0) return (int)i;
  return -1;
}
static int find_record(Program *p, const char *name) {
  for (uint32_t i = 0; i < p->schema.nrecords; i++)
    if (strcmp(p->schema.records[i].name, name) == 0) return (int)i;
  return -1;
}
static int find_rule(Program *p, const char *name) {
  for (uint32_t i = 0; i < p->nrules; i++)
    if (strcmp(p->rules[i]->name, name) == 0) return (int)i;
  return -1;
}
static int find_input_field(Program *p, const char *name) {
  if (p->schema.input < 0) return -1;
  return schema_field_index(&p->schema.records[p->schema.input], name, strlen(name));
}
static int builtin_type(const char *name, Lang l, int *other) {
  *other = -1;
  for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++) {
    if (strcmp(name, in_lang(l, builtin_types[i].nl, builtin_types[i].en)) == 0) return builtin_types[i].kind;
    if (strcmp(name, in_lang(l, builtin_types[i].en, builtin_types[i].nl)) == 0) *other = (int)i;
  }
  return -1;
}

/* The first declaration with this name among earlier ones, for "already declared" notes. */
static void report_duplicate(Chk *c, AstNode *n, AstNode *prev, const char *what) {
  Diag *dg = diag_error(c->d, n->nspan, "E010", "%s '%s' is already declared", what, n->name);
  uint32_t line, col;
  const SourceFile *f = &c->p->src->files[prev->nspan.file];
  srcpos_line_col(f->text, f->len, prev->nspan.off, &line, &col);
  diag_note(dg, "the first declaration is at %s:%u:%u", f->name, line, col);
}

static TypeRef resolve_type(Chk *c, AstNode *t) {
  Lang l = lang_of(c, t->span);
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
    diag_note(dg, "'%s' is the %s name; in this file write '%s'", t->name, l == LANG_EN ? "Dutch" : "English",
              in_lang(l, builtin_types[other].nl, builtin_types[other].en));
    return T_ERR;
  }
  NameList cands = {0};
  for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
    names_add(&cands, in_lang(l, builtin_types[i].nl, builtin_types[i].en));
  for (uint32_t i = 0; i < c->p->schema.nenums; i++) names_add(&cands, c->p->schema.enums[i].name);
  for (uint32_t i = 0; i < c->p->schema.nrecords; i++) names_add(&cands, c->p->schema.records[i].name);
  suggest(dg, t->name, &cands);
  free(cands.v);
  return T_ERR;
}

/* Declare enums, records, input, sources, rules; report duplicate names. */
static void collect(Chk *c) {
  Program *p = c->p;
  Schema *s = &p->schema;
  AstList *decls = &p->ast->decls;
  size_t cap_e = 0, cap_r = 0, cap_rules = 0, cap_src = 0, cap_re = 0, cap_ee = 0;
  for (uint32_t i = 0; i < decls->n; i++) {
    AstNode *n = decls->items[i];
    switch (n->kind) {
    case AST_ENUM_DECL: case AST_RECORD_DECL: case AST_INPUT_DECL: {
      int other;
      Lang l = lang_of(c, n->span);
      int prev_e = find_enum(p, n->name), prev_r = find_record(p, n->name);
      if (prev_e >= 0 || prev_r >= 0) {
        report_duplicate(c, n, prev_e >= 0 ? p->enums[prev_e] : p->records[prev_r], "type");
        continue;
      }
      if (builtin_type(n->name, l, &other) >= 0) {
        diag_error(c->d, n->nspan, "E010", "'%s' is a built-in type and cannot be declared again", n->name);
        continue;
      }
      if (n->kind == AST_ENUM_DECL) {
        EnumType et = {xstrdup(n->name), n->list.n, xcalloc(n->list.n, sizeof(char *))};
        for (uint32_t j = 0; j < n->list.n; j++) {
          AstNode *m = n->list.items[j];
          et.members[j] = xstrdup(m->name);
          for (uint32_t k = 0; k < j; k++)
            if (strcmp(et.members[k], m->name) == 0) report_duplicate(c, m, n->list.items[k], "choice");
        }
        size_t ne = s->nenums;
        VEC_PUSH(s->enums, ne, cap_e, et);
        VEC_PUSH(p->enums, s->nenums, cap_ee, n);
      } else {
        if (n->kind == AST_INPUT_DECL) {
          if (p->input) {
            report_duplicate(c, n, p->input, "input");
            continue;
          }
          p->input = n;
          s->input = (int32_t)s->nrecords;
        }
        RecordType rt = {xstrdup(n->name), n->list.n, xcalloc(n->list.n, sizeof(FieldDesc))};
        for (uint32_t j = 0; j < n->list.n; j++) {
          AstNode *f = n->list.items[j];
          rt.fields[j].name = xstrdup(f->name);
          for (uint32_t k = 0; k < j; k++)
            if (strcmp(rt.fields[k].name, f->name) == 0) report_duplicate(c, f, n->list.items[k], "field");
        }
        size_t nr = s->nrecords;
        VEC_PUSH(s->records, nr, cap_r, rt);
        VEC_PUSH(p->records, s->nrecords, cap_re, n);
      }
      break;
    }
    case AST_SOURCE_DECL:
      for (uint32_t k = 0; k < p->nsources; k++)
        if (strcmp(p->sources[k]->name, n->name) == 0) { report_duplicate(c, n, p->sources[k], "source"); goto next; }
      { size_t ns = p->nsources; VEC_PUSH(p->sources, ns, cap_src, n); p->nsources = (uint32_t)ns; }
      break;
    case AST_RULE_DECL:
      for (uint32_t k = 0; k < p->nrules; k++)
        if (strcmp(p->rules[k]->name, n->name) == 0) { report_duplicate(c, n, p->rules[k], "rule"); goto next; }
      { size_t nr = p->nrules; VEC_PUSH(p->rules, nr, cap_rules, n); p->nrules = (uint32_t)nr; }
      break;
    case AST_OUTPUT_DECL:
      if (p->output) { report_duplicate(c, n, p->output, "output"); break; }
      p->output = n;
      break;
    default:
      break;
    }
  next:;
  }
}

/* Field types (after all type names are known), the input key, name clashes rule/input. */
static void resolve_schema(Chk *c) {
  Program *p = c->p;
  for (uint32_t r = 0; r < p->schema.nrecords; r++) {
    AstNode *n = p->records[r];
    for (uint32_t j = 0; j < n->list.n; j++) {
      AstNode *f = n->list.items[j];
      TypeRef t = resolve_type(c, f->a);
      if (t.kind == VK_LIST && t.elem == VK_LIST) t = T_ERR;
      f->type = t;
      p->schema.records[r].fields[j].type = is_err(t) ? T_TEXT : t;
    }
  }
  if (p->input && p->input->a) {
    AstNode *key = p->input->a;
    int k = find_input_field(p, key->name);
    if (k < 0) {
      Diag *dg = diag_error(c->d, key->span, "E034", "key '%s' is not a field of '%s'", key->name, p->input->name);
      NameList cands = {0};
      for (uint32_t j = 0; j < p->input->list.n; j++) names_add(&cands, p->input->list.items[j]->name);
      suggest(dg, key->name, &cands);
      free(cands.v);
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
    if (k >= 0) report_duplicate(c, p->rules[i], p->input->list.items[k], "name");
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
  int r = find_rule(p, n->name);
  if (r >= 0) {
    n->refkind = REF_RULE;
    n->ref = r;
    add_dep(c, (uint32_t)r, n);
    return p->rules[r]->type;
  }
  int f = find_input_field(p, n->name);
  if (f >= 0) {
    n->refkind = REF_INPUT;
    n->ref = f;
    return p->schema.records[p->schema.input].fields[f].type;
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
  NameList cands = {0};
  for (int i = c->nscope - 1; i >= 0; i--) names_add(&cands, c->scope[i]->str);
  for (uint32_t i = 0; i < p->nrules; i++) names_add(&cands, p->rules[i]->name);
  if (p->schema.input >= 0)
    for (uint32_t i = 0; i < p->schema.records[p->schema.input].nfields; i++)
      names_add(&cands, p->schema.records[p->schema.input].fields[i].name);
  const char *s = str_suggest(n->name, strlen(n->name), cands.v, cands.n);
  free(cands.v);
  if (s) {
    diag_note(dg, "did you mean '%s'?", s);
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
        suggest(dg, n->name, &cands);
        return T_ERR;
      }
      n->refkind = REF_ENUM_MEMBER;
      n->ref = m;
      return (TypeRef){VK_ENUM, 0, (uint16_t)e};
    }
  }
  TypeRef o = check_expr(c, n->a);
  if (is_err(o)) return T_ERR;
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
    for (uint32_t i = 0; i < rt->nfields; i++) names_add(&cands, rt->fields[i].name);
    suggest(dg, n->name, &cands);
    free(cands.v);
    return T_ERR;
  }
  n->refkind = REF_FIELD;
  n->ref = f;
  return rt->fields[f].type;
}

static const char *op_text(int op) { return lex_token_desc(op, LANG_NL); }

static TypeRef check_arith(Chk *c, AstNode *n, TypeRef a, TypeRef b) {
  int op = n->op;
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
    Diag *dg = diag_error(c->d, n->span, "E041", "cannot %s geld and %s", op == TK_PLUS ? "add" : "subtract",
                          tn(c, num, 0));
    if (num.kind == VK_DEC)
      diag_note(dg, "a getal becomes geld only through rounding: afgerond(..., op: cent, methode: rekenkundig)");
    else
      diag_note(dg, "write the amount as geld, e.g. \xE2\x82\xAC 100,00");
    return T_ERR;
  }
  diag_error(c->d, n->span, "E014", "operator %s cannot be applied to %s and %s", op_text(op), tn(c, a, 0), tn(c, b, 1));
  return T_ERR;
}

static TypeRef check_compare(Chk *c, AstNode *n, TypeRef a, TypeRef b) {
  bool eq_only = n->op == TK_EQ || n->op == TK_NE;
  if (is_num(a) && is_num(b)) return T_BOOL;
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
  if (ty_eq(a, b)) return a;
  if (is_num(a) && is_num(b)) return T_DEC;
  diag_error(c->d, at->span, "E019", "%s have different types: %s and %s", what, tn(c, a, 0), tn(c, b, 1));
  return T_ERR;
}

static TypeRef check_case(Chk *c, AstNode *n) {
  Program *p = c->p;
  TypeRef s = check_expr(c, n->a);
  bool ok = !is_err(s);
  if (ok && s.kind != VK_ENUM) {
    diag_error(c->d, n->a->span, "E020", "'geval' needs a keuze value, but this is %s", tn(c, s, 0));
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
        suggest(dg, l->name, &cands);
        bad = true;
        continue;
      }
      l->ref = m;
      if (m < 256 && seen_at[m]) {
        Diag *dg = diag_error(c->d, l->span, "E022", "'%s' already has an arm in this 'geval'", l->name);
        uint32_t line, col;
        const SourceFile *f = &p->src->files[seen_at[m]->span.file];
        srcpos_line_col(f->text, f->len, seen_at[m]->span.off, &line, &col);
        diag_note(dg, "its first arm is at %s:%u:%u", f->name, line, col);
        bad = true;
      } else if (m < 256) {
        seen_at[m] = l;
      }
    }
    TypeRef v = check_expr(c, arm->a);
    if (first) result = v;
    else result = unify(c, arm->a, result, v, "the arms of 'geval'");
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
      diag_note(dg, "add an arm for %s, or an 'anders:' arm", nmissing == 1 ? "it" : "each");
    } else if (!nmissing && has_else) {
      diag_warn(c->d, n->list.items[n->list.n - 1]->nspan, "W002", "'anders' is never used: every choice of '%s' has an arm",
                et->name);
    }
  }
  return bad ? T_ERR : result;
}

/* op: cent | euro | <amount>;  methode: rekenkundig | ... */
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
  if (!unit || !method) {
    Diag *dg = diag_error(c->d, n->span, "E026", "%s needs '%s:' and '%s:': the law says how it rounds, so the rule must too",
                          n->name, op_kw, method_kw);
    diag_note(dg, "e.g. %s(x, %s: cent, %s: %s)", n->name, op_kw, method_kw, in_lang(l, "rekenkundig", "half_away_from_zero"));
    return T_ERR;
  }
  AstNode *u = unit->a;
  if (u->kind == AST_NAME && strcmp(u->name, "cent") == 0) n->ival = 1;
  else if (u->kind == AST_NAME && strcmp(u->name, "euro") == 0) n->ival = 100;
  else if (u->kind == AST_MONEY && u->ival > 0 && u->ival <= INT64_MAX / 8) n->ival = u->ival;
  else {
    Diag *dg = diag_error(c->d, u->span, "E028", "unknown rounding unit");
    diag_note(dg, "round to cent, euro, or a positive multiple such as \xE2\x82\xAC 2,61");
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
    if (m->kind == AST_NAME) suggest(dg, m->name, &cands);
    char all[200] = "";
    size_t len = 0;
    for (size_t i = 0; i < cands.n; i++) len += (size_t)snprintf(all + len, sizeof all - len, "%s%s", i ? ", " : "", cands.v[i]);
    diag_note(dg, "the methods are: %s", all);
    free(cands.v);
    bad = true;
  }
  return bad ? T_ERR : T_MONEY;
}

static TypeRef check_call(Chk *c, AstNode *n) {
  Builtin other;
  Builtin b = find_builtin(n->name, rule_lang(c), &other);
  n->ref = b;
  if (b == BI_ROUND) return check_round(c, n);
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
      if (!is_num(t) && t.kind != VK_MONEY && t.kind != VK_DATE) {
        diag_error(c->d, a->span, "E014", "%s works on numbers, amounts and dates, not %s", n->name, tn(c, t, 0));
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
    diag_note(dg, "'%s' is the %s name; in this file write '%s'", n->name, rule_lang(c) == LANG_EN ? "Dutch" : "English",
              in_lang(rule_lang(c), builtin_funcs[other].nl, builtin_funcs[other].en));
  else {
    NameList cands = {0};
    for (int i = 0; i < NBUILTINS; i++) names_add(&cands, in_lang(rule_lang(c), builtin_funcs[i].nl, builtin_funcs[i].en));
    suggest(dg, n->name, &cands);
    free(cands.v);
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
    TypeRef ct = expect_bool(c, n->c, in_lang(l, "the condition after 'waarbij'", "the condition after 'where'"));
    if (is_err(ct)) bad = true;
  }
  TypeRef et = n->b ? check_expr(c, n->b) : T_ERR;
  c->nscope--;
  if (b == BI_NONE || b == BI_ROUND) {
    Diag *dg = diag_error(c->d, n->nspan, "E024", "unknown aggregation '%s'", n->name);
    if (other != BI_NONE)
      diag_note(dg, "'%s' is the %s name; in this file write '%s'", n->name, l == LANG_EN ? "Dutch" : "English",
                in_lang(l, builtin_funcs[other].nl, builtin_funcs[other].en));
    else
      diag_note(dg, "the aggregations are %s", in_lang(l, "som, aantal, min, max, elk and enig", "sum, count, min, max, all and any"));
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
  if (b == BI_SUM && !is_num(et) && et.kind != VK_MONEY) {
    diag_error(c->d, n->b->span, "E030", "%s adds numbers or amounts, not %s", n->name, tn(c, et, 0));
    return T_ERR;
  }
  if ((b == BI_MIN || b == BI_MAX) && !is_num(et) && et.kind != VK_MONEY && et.kind != VK_DATE) {
    diag_error(c->d, n->b->span, "E030", "%s works on numbers, amounts and dates, not %s", n->name, tn(c, et, 0));
    return T_ERR;
  }
  return et;
}

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
  case AST_IF: {
    TypeRef ct = expect_bool(c, n->a, in_lang(rule_lang(c), "the condition after 'als'", "the condition after 'if'"));
    TypeRef a = check_expr(c, n->b), b = check_expr(c, n->c);
    TypeRef r = unify(c, n, a, b, in_lang(rule_lang(c), "the 'dan' and 'anders' values", "the 'then' and 'else' values"));
    return is_err(ct) ? T_ERR : r;
  }
  case AST_UNARY: {
    if (n->op == TK_NOT) return expect_bool(c, n->a, "the value after 'niet'");
    TypeRef t = check_expr(c, n->a);
    if (is_err(t)) return T_ERR;
    if (!is_num(t) && t.kind != VK_MONEY) {
      diag_error(c->d, n->span, "E014", "cannot negate %s", tn(c, t, 0));
      return T_ERR;
    }
    return t;
  }
  case AST_BINARY: {
    if (n->op == TK_AND || n->op == TK_OR) {
      TypeRef a = expect_bool(c, n->a, "each side of 'en'/'of'");
      TypeRef b = expect_bool(c, n->b, "each side of 'en'/'of'");
      return is_err(a) || is_err(b) ? T_ERR : T_BOOL;
    }
    TypeRef a = check_expr(c, n->a), b = check_expr(c, n->b);
    if (is_err(a) || is_err(b)) return T_ERR;
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
  return t;
}

/* ---- rules, cycles, outputs ---- */

static void check_rule(Chk *c, uint32_t i) {
  AstNode *r = c->p->rules[i];
  c->rule = r;
  c->rule_index = i;
  c->nscope = 0;
  TypeRef declared = r->type;
  TypeRef v = check_expr(c, r->b);
  if (is_err(declared) || is_err(v)) return;
  if (ty_eq(declared, v) || (declared.kind == VK_DEC && v.kind == VK_INT)) return;
  if (declared.kind == VK_MONEY && v.kind == VK_DEC) {
    Diag *dg = diag_error(c->d, r->b->span, "E016", "rule '%s' is geld, but this value is a getal that was never rounded",
                          r->name);
    diag_note(dg, "say how the law rounds it: afgerond(..., op: cent, methode: rekenkundig)");
    return;
  }
  diag_error(c->d, r->b->span, "E016", "rule '%s' is declared %s, but its value is %s", r->name, tn(c, declared, 0),
             tn(c, v, 1));
}

/* Rule sets in a rules/ tree are the law as the product applies it: each rule must say where it comes from. */
static bool in_rules_tree(const char *path) {
  return strncmp(path, "rules/", 6) == 0 || strstr(path, "/rules/") != NULL;
}

static void check_citations(Chk *c, AstNode *r) {
  if (r->list.n == 0) {
    if (in_rules_tree(c->p->src->files[r->span.file].name)) {
      Diag *dg = diag_warn(c->d, r->nspan, "W001", "rule '%s' cites no source", r->name);
      diag_note(dg, "add 'bron' with the regulation and article, e.g. bron DB art 16 lid 1, or an ECLI");
    }
    return;
  }
  for (uint32_t i = 0; i < r->list.n; i++) {
    AstNode *ct = r->list.items[i];
    if (ct->ival != TK_IDENT) continue;
    bool found = false;
    for (uint32_t k = 0; k < c->p->nsources; k++)
      if (strcmp(c->p->sources[k]->name, ct->name) == 0) { found = true; ct->ref = (int32_t)k; }
    if (!found) {
      Diag *dg = diag_error(c->d, ct->nspan, "E031", "unknown source '%s'", ct->name);
      NameList cands = {0};
      for (uint32_t k = 0; k < c->p->nsources; k++) names_add(&cands, c->p->sources[k]->name);
      if (cands.n) suggest(dg, ct->name, &cands);
      else diag_note(dg, "declare it first: bron %s = \"title of the regulation\", BWBR...", ct->name);
      free(cands.v);
    }
  }
}

/* Depth-first search for cycles; reports each cycle once, at the reference that closes it. */
static void find_cycles(Chk *c) {
  uint32_t n = c->p->nrules;
  uint8_t *state = xcalloc(n ? n : 1, 1);   /* 0 new, 1 on stack, 2 done */
  uint32_t *stack = xcalloc(n ? n : 1, sizeof *stack), *edge = xcalloc(n ? n : 1, sizeof *edge);
  for (uint32_t root = 0; root < n; root++) {
    if (state[root]) continue;
    int sp = 0;
    stack[0] = root;
    edge[0] = 0;
    state[root] = 1;
    while (sp >= 0) {
      uint32_t r = stack[sp];
      if (edge[sp] < c->ndeps[r]) {
        struct Dep d = c->deps[r][edge[sp]++];
        if (state[d.to] == 0) {
          state[d.to] = 1;
          stack[++sp] = d.to;
          edge[sp] = 0;
        } else if (state[d.to] == 1) {
          char path[400] = "";
          size_t len = 0;
          int start = sp;
          while (start > 0 && stack[start] != d.to) start--;
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
  free(state);
  free(stack);
  free(edge);
}

static void check_output(Chk *c) {
  AstNode *o = c->p->output;
  if (!o) return;
  for (uint32_t i = 0; i < o->list.n; i++) {
    AstNode *it = o->list.items[i];
    for (uint32_t k = 0; k < i; k++)
      if (strcmp(o->list.items[k]->name, it->name) == 0) report_duplicate(c, it, o->list.items[k], "output column");
    int r = find_rule(c->p, it->name);
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
      if (it->type.kind == VK_LIST || it->type.kind == VK_RECORD)
        diag_error(c->d, it->span, "E032", "'%s' is %s and cannot be an output column", it->name, tn(c, it->type, 0));
      continue;
    }
    Diag *dg = diag_error(c->d, it->span, "E032", "output '%s' is neither a rule nor an input field", it->name);
    NameList cands = {0};
    for (uint32_t k = 0; k < c->p->nrules; k++) names_add(&cands, c->p->rules[k]->name);
    suggest(dg, it->name, &cands);
    free(cands.v);
  }
}

bool chk_program(Program *p, Ast *ast, const SourceSet *src, const Lang *langs, DiagList *d) {
  memset(p, 0, sizeof *p);
  p->ast = ast;
  p->src = src;
  p->langs = langs;
  p->schema.input = -1;
  p->schema.key_field = -1;
  int errors_before = d->nerrors;
  Chk c = {0};
  c.p = p;
  c.d = d;
  collect(&c);
  resolve_schema(&c);
  for (uint32_t i = 0; i < p->nrules; i++) {
    c.rule = p->rules[i];
    p->rules[i]->type = resolve_type(&c, p->rules[i]->a);
    if (p->rules[i]->type.kind == VK_RECORD || p->rules[i]->type.kind == VK_LIST) {
      diag_error(d, p->rules[i]->a->span, "E016", "a rule's value is a single value, not %s", tn(&c, p->rules[i]->type, 0));
      p->rules[i]->type = T_ERR;
    }
  }
  uint32_t n = p->nrules ? p->nrules : 1;
  c.deps = xcalloc(n, sizeof *c.deps);
  c.ndeps = xcalloc(n, sizeof *c.ndeps);
  c.capdeps = xcalloc(n, sizeof *c.capdeps);
  for (uint32_t i = 0; i < p->nrules; i++) {
    check_citations(&c, p->rules[i]);
    check_rule(&c, i);
  }
  find_cycles(&c);
  c.rule = NULL;
  check_output(&c);
  for (uint32_t i = 0; i < n; i++) free(c.deps[i]);
  free(c.deps);
  free(c.ndeps);
  free(c.capdeps);
  return d->nerrors == errors_before;
}

void chk_free(Program *p) {
  schema_free(&p->schema);
  free(p->enums);
  free(p->records);
  free(p->rules);
  free(p->sources);
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
