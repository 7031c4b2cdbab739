/*
** complete.c: completion (features.h feat_completion). It works on the
** text as it is now -- which need not parse -- and the last analysis that
** checked: after `x.` the fields of x's record type (x a rule, an invoer
** field or the variable of 'voor elke x in ...'), the choices of a keuze,
** the names of a used set; elsewhere the rule set's names, the keywords of
** the file's language, built-in functions and types, and the names the
** text itself declares (new since the last analysis), the parameters of
** the rule the cursor is in among them. Items start with
** what is typed before the cursor.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "feature_util.h"
#include "features.h"
#include "runtime/i18n.h"

enum { CK_FUNCTION = 3, CK_FIELD = 5, CK_VARIABLE = 6, CK_MODULE = 9, CK_ENUM = 13, CK_KEYWORD = 14,
       CK_REFERENCE = 18, CK_MEMBER = 20, CK_CONSTANT = 21, CK_STRUCT = 22, CK_TYPE = 25 };

typedef struct Items {
  json_t *arr;
  json_t *seen;         /* label -> true */
  const char *prefix;
  size_t plen;
} Items;

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

static void add(Items *it, const char *label, int kind, const char *detail) {
  if (!label || !label[0] || strncmp(label, it->prefix, it->plen) != 0 || json_object_get(it->seen, label)) return;
  json_t *item = json_pack("{s:s,s:i}", "label", label, "kind", kind);
  if (!item) return;   /* not UTF-8: jansson refuses it, and so does the client */
  if (detail && detail[0]) json_object_set_new(item, "detail", json_string(detail));
  json_object_set_new(it->seen, label, json_true());
  json_array_append_new(it->arr, item);
}

/* Whether the cursor is inside a comment or a string on its line. */
static bool in_comment_or_string(const char *text, uint32_t off) {
  uint32_t s = off;
  while (s > 0 && text[s - 1] != '\n') s--;
  bool str = false;
  for (uint32_t i = s; i < off; i++) {
    if (text[i] == '"' && (i == s || text[i - 1] != '\\')) str = !str;
    else if (!str && text[i] == '-' && i + 1 < off && text[i + 1] == '-') return true;
  }
  return str;
}

/* The word that ends at byte `end` (no characters of a name after it), as [*start, end). */
static uint32_t word_before(const char *text, uint32_t end, uint32_t *start) {
  uint32_t s = end;
  while (s > 0 && ident_char(text[s - 1])) s--;
  *start = s;
  return end - s;
}

static int32_t input_field(const Program *p, const char *name) {
  if (p->schema.input < 0) return -1;
  const RecordType *rt = &p->schema.records[p->schema.input];
  return schema_field_index(rt, name, strlen(name));
}

/*
** The list a variable runs over: the word after 'in' in 'elke x in L' / 'each x in L' nearest the
** cursor (it usually stands after it: som(x.loon voor elke x in lijst)).
*/
static bool loop_list(const char *text, uint32_t len, uint32_t off, const char *var, char *list, size_t cap) {
  size_t vn = strlen(var);
  uint32_t best = UINT32_MAX;
  for (uint32_t i = 0; i + 5 <= len; i++) {
    if (!((memcmp(text + i, "elke ", 5) == 0 || memcmp(text + i, "each ", 5) == 0) && (i == 0 || !ident_char(text[i - 1]))))
      continue;
    uint32_t k = i + 5;
    while (k < len && text[k] == ' ') k++;
    if (k + vn > len || memcmp(text + k, var, vn) != 0 || (k + vn < len && ident_char(text[k + vn]))) continue;
    k += (uint32_t)vn;
    while (k < len && text[k] == ' ') k++;
    if (k + 3 > len || memcmp(text + k, "in ", 3) != 0) continue;
    k += 3;
    while (k < len && text[k] == ' ') k++;
    uint32_t w = k;
    while (k < len && (ident_char(text[k]) || text[k] == '.')) k++;
    uint32_t dist = i > off ? i - off : off - i;
    if (k == w || k - w >= cap || dist >= best) continue;
    best = dist;
    memcpy(list, text + w, k - w);
    list[k - w] = 0;
  }
  return best != UINT32_MAX;
}

/* The type of a name before '.': a rule, an invoer field, a loop variable (the element of its list). */
static bool type_of_name(const Program *p, const Xref *x, const char *text, uint32_t len, uint32_t off, const char *name, TypeRef *t, int depth) {
  int32_t r = nameidx_find((NameIndex *)&p->rule_ix, name);
  if (r >= 0 && (uint32_t)r < p->nrules) {
    *t = p->rules[r]->type;
    return true;
  }
  int32_t f = input_field(p, name);
  if (f >= 0) {
    *t = p->schema.records[p->schema.input].fields[f].type;
    if (p->schema.records[p->schema.input].fields[f].optional) *t = (TypeRef){t->elem, 0, t->ref};
    return true;
  }
  char list[128];
  if (depth < 3 && loop_list(text, len, off, name, list, sizeof list)) {
    TypeRef lt;
    char *dot = strrchr(list, '.');
    if (dot) {   /* 'elke r in d.loon': a field of a record */
      *dot = 0;
      TypeRef ot;
      if (!type_of_name(p, x, text, len, off, list, &ot, depth + 1) || ot.kind != VK_RECORD || ot.ref >= p->schema.nrecords) return false;
      int g = schema_field_index(&p->schema.records[ot.ref], dot + 1, strlen(dot + 1));
      if (g < 0) return false;
      lt = p->schema.records[ot.ref].fields[g].type;
    } else if (!type_of_name(p, x, text, len, off, list, &lt, depth + 1)) {
      return false;
    }
    if (lt.kind != VK_LIST) return false;
    *t = (TypeRef){lt.elem, 0, lt.ref};
    return true;
  }
  return false;
}

static void after_dot(Items *it, const Analysis *a, const char *text, uint32_t len, uint32_t dot, Lang l) {
  const Program *p = a->front.prog;
  uint32_t ws, wn = word_before(text, dot, &ws);
  /* a qualified object: take the whole 'wia.x' before the dot */
  while (ws > 0 && text[ws - 1] == '.') {
    uint32_t s2;
    if (!word_before(text, ws - 1, &s2)) break;
    wn += ws - s2;
    ws = s2;
  }
  if (wn == 0 || wn >= 256) return;
  char obj[256];
  memcpy(obj, text + ws, wn);
  obj[wn] = 0;
  int32_t e = nameidx_find((NameIndex *)&p->enum_ix, obj);
  if (e >= 0 && (uint32_t)e < p->schema.nenums && nameidx_find((NameIndex *)&p->rule_ix, obj) < 0 && input_field(p, obj) < 0) {
    for (uint32_t m = 0; m < p->schema.enums[e].nmembers; m++) add(it, p->schema.enums[e].members[m], CK_MEMBER, obj);
    return;
  }
  /* the names of a used set: 'wia.' offers what follows it */
  size_t on = strlen(obj);
  for (uint32_t i = 0; i < a->xref->nsyms; i++) {
    const XSym *s = &a->xref->syms[i];
    if ((s->kind == XS_RULE || s->kind == XS_TABLE || s->kind == XS_RECORD || s->kind == XS_ENUM) &&
        strncmp(s->name, obj, on) == 0 && s->name[on] == '.' && !strchr(s->name + on + 1, '.'))
      add(it, s->name + on + 1, s->kind == XS_RULE ? CK_FUNCTION : s->kind == XS_TABLE ? CK_CONSTANT : CK_STRUCT, NULL);
  }
  TypeRef t;
  if (!type_of_name(p, a->xref, text, len, dot, obj, &t, 0)) return;
  char buf[256];
  if (t.kind == VK_RECORD && t.ref < p->schema.nrecords) {
    const RecordType *rt = &p->schema.records[t.ref];
    for (uint32_t i = 0; i < rt->nfields; i++) add(it, rt->fields[i].name, CK_FIELD, chk_type_name(p, rt->fields[i].type, l, buf, sizeof buf));
  } else if (t.kind == VK_PERIOD) {
    add(it, l == LANG_EN ? "start" : "begin", CK_FIELD, NULL);
    add(it, l == LANG_EN ? "end" : "einde", CK_FIELD, NULL);
  }
}

/* Names the text declares after 'regel', 'tabel', 'keuze', 'gegevens' and the variables of 'elke': typed since the last analysis. */
static void declared_in_text(Items *it, const char *text, uint32_t len, uint32_t cursor) {
  static const struct { const char *kw; int kind; } decls[] = {
    {"regel", CK_FUNCTION}, {"rule", CK_FUNCTION}, {"tabel", CK_CONSTANT}, {"table", CK_CONSTANT},
    {"keuze", CK_ENUM}, {"choice", CK_ENUM}, {"gegevens", CK_STRUCT}, {"record", CK_STRUCT},
    {"elke", CK_VARIABLE}, {"each", CK_VARIABLE},
  };
  for (uint32_t i = 0; i < len;) {
    if (!ident_char(text[i])) {
      if (text[i] == '-' && i + 1 < len && text[i + 1] == '-')
        while (i < len && text[i] != '\n') i++;
      else i++;
      continue;
    }
    uint32_t w = i;
    while (i < len && ident_char(text[i])) i++;
    for (size_t d = 0; d < sizeof decls / sizeof *decls; d++) {
      size_t n = strlen(decls[d].kw);
      if (i - w != n || memcmp(text + w, decls[d].kw, n) != 0) continue;
      uint32_t k = i;
      while (k < len && (text[k] == ' ' || text[k] == '\t')) k++;
      uint32_t s = k;
      while (k < len && ident_char(text[k])) k++;
      if (k == s || k - s >= 128 || (s <= cursor && cursor <= k)) break;   /* not the word being typed */
      char name[128];
      memcpy(name, text + s, k - s);
      name[k - s] = 0;
      if (lex_keyword(name, k - s, LANG_NL) == TK_IDENT && lex_keyword(name, k - s, LANG_EN) == TK_IDENT)
        add(it, name, decls[d].kind, NULL);
      break;
    }
  }
}

/* The parameters of the rule the cursor is in: 'regel r(a: T, b: U)' on the last line before it that starts a rule. */
static void parameters_in_text(Items *it, const char *text, uint32_t off) {
  for (uint32_t line = off; line-- > 0;) {
    if (line > 0 && text[line - 1] != '\n') continue;
    uint32_t i = line, w = line;
    while (i < off && ident_char(text[i])) i++;
    bool rule = (i - w == 5 && memcmp(text + w, "regel", 5) == 0) || (i - w == 4 && memcmp(text + w, "rule", 4) == 0);
    bool decl = rule || (i > w && text[w] != ' ' && text[w] != '\t' && text[w] != '-');
    if (!decl) continue;
    if (!rule) return;   /* the cursor is in another declaration */
    while (i < off && text[i] == ' ') i++;
    while (i < off && ident_char(text[i])) i++;
    if (i >= off || text[i] != '(') return;
    for (i++; i < off && text[i] != ')' && text[i] != '\n';) {
      while (i < off && (text[i] == ' ' || text[i] == ',')) i++;
      uint32_t s = i;
      while (i < off && ident_char(text[i])) i++;
      char name[128];
      if (i > s && i - s < sizeof name && i < off && text[i] == ':') {
        memcpy(name, text + s, i - s);
        name[i - s] = 0;
        add(it, name, CK_VARIABLE, NULL);
      }
      while (i < off && text[i] != ',' && text[i] != ')' && text[i] != '\n') i++;
    }
    return;
  }
}

json_t *feat_completion(const Analysis *a, const char *path, const char *text, uint32_t len, uint32_t off) {
  (void)path;
  json_t *arr = json_array();
  if (!text) return arr;
  if (off > len) off = len;
  if (in_comment_or_string(text, off)) return arr;
  uint32_t start;
  uint32_t plen = word_before(text, off, &start);
  char prefix[256];
  if (plen >= sizeof prefix) return arr;
  memcpy(prefix, text + start, plen);
  prefix[plen] = 0;
  Items it = {arr, json_object(), prefix, plen};
  Lang l = feat_text_lang(text, len);
  const Program *p = a && a->xref ? a->front.prog : NULL;
  char buf[256];
  if (start > 0 && text[start - 1] == '.') {
    if (p) after_dot(&it, a, text, len, start - 1, l);
    json_decref(it.seen);
    return arr;
  }
  if (p) {
    for (uint32_t i = 0; i < p->nrules; i++)
      add(&it, p->rules[i]->name, CK_FUNCTION, chk_type_name(p, p->rules[i]->type, l, buf, sizeof buf));
    if (p->schema.input >= 0) {
      const RecordType *rt = &p->schema.records[p->schema.input];
      for (uint32_t i = 0; i < rt->nfields; i++) add(&it, rt->fields[i].name, CK_FIELD, chk_type_name(p, rt->fields[i].type, l, buf, sizeof buf));
    }
    for (uint32_t i = 0; i < p->ntables; i++) add(&it, p->tables[i]->name, CK_CONSTANT, _("table"));
    for (uint32_t i = 0; i < p->schema.nenums; i++) {
      add(&it, p->schema.enums[i].name, CK_ENUM, NULL);
      for (uint32_t m = 0; m < p->schema.enums[i].nmembers; m++) add(&it, p->schema.enums[i].members[m], CK_MEMBER, p->schema.enums[i].name);
    }
    for (uint32_t i = 0; i < p->schema.nrecords; i++) add(&it, p->schema.records[i].name, CK_STRUCT, NULL);
    for (uint32_t i = 0; i < p->nsources; i++) add(&it, p->sources[i]->name, CK_REFERENCE, p->sources[i]->str);
    for (uint32_t i = 0; p->ast && i < p->ast->decls.n; i++)
      if (p->ast->decls.items[i]->kind == AST_USE) add(&it, p->ast->decls.items[i]->name, CK_MODULE, p->ast->decls.items[i]->str);
  }
  declared_in_text(&it, text, len, off);
  parameters_in_text(&it, text, off);
  for (int i = 0; chk_builtin_function_name(i, l); i++) add(&it, chk_builtin_function_name(i, l), CK_FUNCTION, _("built-in"));
  for (int i = 0; chk_builtin_type_name(i, l); i++) add(&it, chk_builtin_type_name(i, l), CK_TYPE, _("built-in type"));
  for (size_t i = 0; lex_keyword_word(i, l); i++) add(&it, lex_keyword_word(i, l), CK_KEYWORD, NULL);
  json_decref(it.seen);
  return arr;
}
