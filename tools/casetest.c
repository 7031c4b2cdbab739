/*
** casetest.c: `dagloon test RULES CASES...` -- runs case files against a
** rule set and reports, per case, expected vs actual values, the rules that
** produced a wrong one, and optionally JUnit XML and rule coverage.
**
** A case file is YAML (libyaml): one case per document, several documents
** per file allowed. The dossier ('invoer') is converted to one JSON object
** and read by the ordinary JSON Lines reader, so a case's input is checked
** exactly as a production input is.
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "casetest.h"
#include "case_facts.h"
#include "tools/rulesets.h"
#include "receipt.h"
#include "version.h"
#include "markup.h"
#include "tools/native_compile.h"
#include "tools/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

#include "lang/front.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/vm.h"
#include "runtime/i18n.h"

enum { EXIT_OK = 0, EXIT_RULE_ERRORS = 1, EXIT_USAGE = 2, EXIT_FAILED = 3, EXIT_WRITE_ERROR = 4 };   /* as tools/cli.h */

/* ---- one case ---- */

typedef struct Expect {
  char *rule;           /* rule (or input field) name */
  char *want;           /* the expected value, as written */
  unsigned long line;   /* in the case file */
} Expect;

typedef struct Case {
  char *file;
  unsigned long line;   /* where the document starts */
  char *name;
  char *source;
  char *derivation;     /* 'afleiding': how the expected values were derived by hand */
  json_t *input;        /* the dossier as JSON, scalars typed by the schema */
  Expect *expects, *reasons;
  size_t nexpects, nreasons;
  char *error;          /* a problem with the case file itself, or NULL */
} Case;

static void case_free(Case *c) {
  free(c->file);
  free(c->name);
  free(c->source);
  free(c->derivation);
  if (c->input) json_decref(c->input);
  for (size_t i = 0; i < c->nexpects; i++) { free(c->expects[i].rule); free(c->expects[i].want); }
  for (size_t i = 0; i < c->nreasons; i++) { free(c->reasons[i].rule); free(c->reasons[i].want); }
  free(c->expects);
  free(c->reasons);
  free(c->error);
}

static void case_error(Case *c, unsigned long line, const char *fmt, const char *arg) {
  if (c->error) return;
  char buf[600];
  int n = snprintf(buf, sizeof buf, _("line %lu: "), line);
  snprintf(buf + n, sizeof buf - (size_t)n, _(fmt), arg);   /* case_error is an xgettext keyword (Makefile) */
  c->error = xstrdup(buf);
}

static const char *scalar(yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL; }

static bool key_is(const char *k, const char *nl, const char *en) { return strcmp(k, nl) == 0 || strcmp(k, en) == 0; }

/* A YAML node as JSON, typed by the schema so that numbers and booleans reach the reader as such. */
static json_t *to_json(yaml_document_t *doc, yaml_node_t *n, const Schema *s, TypeRef t) {
  if (!n) return json_null();
  if (n->type == YAML_SCALAR_NODE) {
    const char *v = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (plain && (len == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0)) return json_null();
    switch (t.kind) {
    case VK_INT: case VK_DAYS: case VK_MONTHS: case VK_YEARS: {
      char *end;
      long long x = strtoll(v, &end, 10);
      if (len > 0 && *end == 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9'))) return json_integer(x);
      break;
    }
    case VK_BOOL:
      if (strcmp(v, "true") == 0 || strcmp(v, "waar") == 0 || strcmp(v, "ja") == 0) return json_true();
      if (strcmp(v, "false") == 0 || strcmp(v, "onwaar") == 0 || strcmp(v, "nee") == 0) return json_false();
      break;
    default: break;
    }
    return json_stringn(v, len);
  }
  if (n->type == YAML_SEQUENCE_NODE) {
    json_t *a = json_array();
    TypeRef et = {t.elem, 0, t.ref};
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
      json_array_append_new(a, to_json(doc, yaml_document_get_node(doc, *it), s, et));
    return a;
  }
  json_t *o = json_object();
  const RecordType *rt = t.kind == VK_RECORD && t.ref < s->nrecords ? &s->records[t.ref] : NULL;
  for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
    const char *k = scalar(yaml_document_get_node(doc, p->key));
    if (!k) continue;
    int fi = rt ? schema_field_index(rt, k, strlen(k)) : -1;
    TypeRef ft = fi >= 0 ? rt->fields[fi].type : (TypeRef){VK_TEXT, 0, 0};
    if (fi >= 0 && rt->fields[fi].optional) ft = (TypeRef){ft.elem, 0, ft.ref};   /* a single value, or left out */
    json_object_set_new(o, k, to_json(doc, yaml_document_get_node(doc, p->value), s, ft));
  }
  return o;
}

/* Reads the rule -> value pairs of 'verwacht' or 'redenen'. */
static void read_pairs(Case *c, yaml_document_t *doc, yaml_node_t *m, Expect **out, size_t *n, const char *what) {
  if (!m || m->type != YAML_MAPPING_NODE) {
    case_error(c, m ? m->start_mark.line + 1 : c->line, "'%s' must be a list of 'rule: value' lines", what);
    return;
  }
  size_t cap = 0;
  for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(doc, p->key), *v = yaml_document_get_node(doc, p->value);
    if (!scalar(k) || !scalar(v)) {
      case_error(c, k->start_mark.line + 1, "in '%s' every value is written on one line", what);
      return;
    }
    Expect e = {xstrdup(scalar(k)), xstrdup(scalar(v)), k->start_mark.line + 1};
    VEC_PUSH(*out, *n, cap, e);
  }
}

static void load_case(Case *c, yaml_document_t *doc, const Schema *s) {
  yaml_node_t *root = yaml_document_get_root_node(doc);
  if (!root || root->type != YAML_MAPPING_NODE) {
    case_error(c, c->line, "a case is a mapping of 'naam:', 'bron:', 'afleiding:', 'invoer:' and 'verwacht:'%s", "");
    return;
  }
  bool has_derivation = false;
  yaml_node_t *input = NULL, *calcdate = NULL;
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
    yaml_node_t *kn = yaml_document_get_node(doc, p->key), *v = yaml_document_get_node(doc, p->value);
    const char *k = scalar(kn);
    unsigned long line = kn->start_mark.line + 1;
    if (!k) { case_error(c, line, "keys are plain words%s", ""); continue; }
    if (key_is(k, "naam", "name")) c->name = xstrdup(scalar(v) ? scalar(v) : "");
    else if (key_is(k, "bron", "source")) c->source = xstrdup(scalar(v) ? scalar(v) : "");
    else if (key_is(k, "afleiding", "derivation")) {
      has_derivation = scalar(v) && *scalar(v);
      if (has_derivation && !c->derivation) c->derivation = xstrdup(scalar(v));
    }
    else if (key_is(k, "rekendatum", "calculation_date")) calcdate = v;
    else if (key_is(k, "invoer", "input")) input = v;
    else if (key_is(k, "verwacht", "expected")) read_pairs(c, doc, v, &c->expects, &c->nexpects, k);
    else if (key_is(k, "redenen", "reasons")) read_pairs(c, doc, v, &c->reasons, &c->nreasons, k);
    else case_error(c, line, "unknown key '%s' (the keys are naam, bron, afleiding, rekendatum, invoer, verwacht, redenen)", k);
  }
  if (!c->source || !*c->source) case_error(c, c->line, "every case names its source: 'bron:' with an ECLI or a URL%s", "");
  if (!has_derivation) case_error(c, c->line, "every case says how its expected values were derived by hand: 'afleiding:'%s", "");
  if (!input) case_error(c, c->line, "the case has no 'invoer:' (the dossier)%s", "");
  if (!c->nexpects) case_error(c, c->line, "the case expects nothing: add 'verwacht:'%s", "");
  if (c->error || s->input < 0) return;
  c->input = to_json(doc, input, s, (TypeRef){VK_RECORD, 0, (uint16_t)s->input});
  /* The calculation date is a fact of the dossier when the rules have such a field. */
  if (calcdate && json_is_object(c->input) && schema_field_index(&s->records[s->input], "rekendatum", 10) >= 0 &&
      !json_object_get(c->input, "rekendatum"))
    json_object_set_new(c->input, "rekendatum", json_string(scalar(calcdate) ? scalar(calcdate) : ""));
}

/* Every case of every file (directories: every *.case below them, in name order). */
static void collect_files(const char *path, char ***files, size_t *n, size_t *cap) {
  if (is_dir(path)) {
    size_t k;
    char **entries = folder_entries(path, &k);
    for (size_t i = 0; i < k; i++) {
      size_t nl = strlen(entries[i]);
      if (is_dir(entries[i]) || (nl > 5 && strcmp(entries[i] + nl - 5, ".case") == 0))
        collect_files(entries[i], files, n, cap);
      free(entries[i]);
    }
    free(entries);
    return;
  }
  char *dup = xstrdup(path);
  VEC_PUSH(*files, *n, *cap, dup);
}

static void load_file(const char *path, const Schema *s, Case **cases, size_t *n, size_t *cap) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    Case c = {0};
    c.file = xstrdup(path);
    c.error = xstrdup("cannot open the file");
    VEC_PUSH(*cases, *n, *cap, c);
    return;
  }
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, f);
  for (;;) {
    yaml_document_t doc;
    Case c = {0};
    c.file = xstrdup(path);
    if (!yaml_parser_load(&parser, &doc)) {
      char buf[300];
      c.line = (unsigned long)parser.problem_mark.line + 1;
      snprintf(buf, sizeof buf, _("line %lu, column %lu: not valid YAML: %s (a value holding ': ' needs quotes, "
               "or '|' and the text on the next lines)"), c.line, (unsigned long)parser.problem_mark.column + 1,
               parser.problem ? parser.problem : "?");
      c.error = xstrdup(buf);
      VEC_PUSH(*cases, *n, *cap, c);
      break;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {   /* the end of the stream */
      yaml_document_delete(&doc);
      case_free(&c);
      break;
    }
    c.line = root->start_mark.line + 1;
    load_case(&c, &doc, s);
    yaml_document_delete(&doc);
    VEC_PUSH(*cases, *n, *cap, c);
  }
  yaml_parser_delete(&parser);
  fclose(f);
}

/* ---- running ---- */

/* A growing text, for a case's report (printed, and kept for JUnit). */
typedef struct Out {
  char *p;
  size_t n, cap;
} Out;

__attribute__((format(printf, 2, 3))) static void outf(Out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char tmp[2048];
  int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (k < 0) return;
  size_t len = (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1;
  vec_reserve((void **)&o->p, &o->cap, o->n + len + 1, 1);
  memcpy(o->p + o->n, tmp, len);
  o->n += len;
  o->p[o->n] = 0;
}

/* Text longer than outf's buffer (the deciding facts), as it is. */
static void out_append(Out *o, const char *text, size_t len) {
  vec_reserve((void **)&o->p, &o->cap, o->n + len + 1, 1);
  memcpy(o->p + o->n, text, len);
  o->n += len;
  o->p[o->n] = 0;
}

typedef struct Runner {
  const Chunk *chunk;
  Vm *vm;
  Arena arena;
  Coverage *total, *one;   /* over the suite, and for the case being run */
  CaseFacts *facts;        /* the rule set compiled for explanations, once a case fails */
} Runner;

static int find_rule(const Chunk *c, const char *name) {
  for (uint32_t i = 0; i < c->nprotos; i++)
    if (strcmp(c->protos[i].name, name) == 0) return (int)i;
  return -1;
}

static void fmt_value(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap) {
  if (value_format(&c->schema, t, v, buf, cap) < 0) snprintf(buf, cap, "(a %s)", vk_name((ValueKind)t.kind));
}

/* The rules a rule's value was made from, with their values for this dossier, two levels deep. */
static void chain(Runner *r, Out *o, uint32_t rule, int depth) {
  const Chunk *c = r->chunk;
  const Proto *p = &c->protos[rule];
  char val[128] = "(not evaluated)", loc[300];
  Value v;
  if (vm_rule_value(r->vm, rule, &v)) fmt_value(c, p->result, v, val, sizeof val);
  chunk_location(c, p->span, loc, sizeof loc);
  outf(o, "%*s%s%s = %s   [%s%s%s]\n", 4 + 2 * depth, "", depth ? "<- " : "", p->name, val, loc, *p->source ? "; bron: " : "",
       p->source);
  /* The versions and exceptions of this rule that this case took, with their own sources. */
  for (uint32_t i = 0; i < c->ncovers; i++)
    if (c->covers[i].rule == rule && r->one->points[i])
      outf(o, "%*s  via %s%s%s\n", 4 + 2 * depth, "", c->covers[i].label, *c->covers[i].source ? "; bron: " : "",
           c->covers[i].source);
  if (depth >= 2) return;
  uint32_t seen[64];
  int nseen = 0;
  /* rules this one can use but did not need for this dossier: counted on one line, not one each */
  char skipped[400] = "";
  size_t nskipped = 0, k0 = 0;
  for (uint32_t pc = 0; pc < p->ncode && nseen < 64; pc++) {
    if (p->code[pc].op != OP_RULE) continue;
    uint32_t q = p->code[pc].b;
    bool dup = false;
    for (int k = 0; k < nseen; k++) dup |= seen[k] == q;
    if (dup) continue;
    seen[nseen++] = q;
    Value unused;
    if (vm_rule_value(r->vm, q, &unused)) {
      chain(r, o, q, depth + 1);
      continue;
    }
    if (k0 < sizeof skipped)
      k0 += (size_t)snprintf(skipped + k0, sizeof skipped - k0, "%s%s", nskipped ? ", " : "", c->protos[q].name);
    nskipped++;
  }
  if (nskipped)
    outf(o, ngettext("%*s<- (%zu rule not evaluated for this dossier: %s)\n",
                     "%*s<- (%zu rules not evaluated for this dossier: %s)\n", nskipped),
         4 + 2 * (depth + 1), "", nskipped, skipped);
}

/*
** Does a reason hold for rule `rule`? "versie vanaf 2022-01-01", "uitzondering x",
** "geen uitzondering" (none of its exceptions applied), "tabel t rij 2023-07-01".
*/
static bool reason_holds(Runner *r, uint32_t rule, const char *want, char *why, size_t cap) {
  const Chunk *c = r->chunk;
  if (strcmp(want, "geen uitzondering") == 0 || strcmp(want, "no exception") == 0) {
    /* the rule's own value: none of its exceptions applied */
    bool has = false;
    for (uint32_t i = 0; i < c->ncovers; i++)
      if (c->covers[i].rule == rule && c->covers[i].kind == COVER_EXCEPTION) {
        has = true;
        if (r->one->points[i]) {
          snprintf(why, cap, _("'%s' was taken"), c->covers[i].label);
          return false;
        }
      }
    if (!has) snprintf(why, cap, _("rule '%s' has no exceptions"), c->protos[rule].name);
    return has;
  }
  for (uint32_t i = 0; i < c->ncovers; i++)
    if (c->covers[i].rule == rule && strcmp(c->covers[i].label, want) == 0) {
      if (r->one->points[i]) return true;
      snprintf(why, cap, _("'%s' was not taken"), want);
      return false;
    }
  char tname[128], key[64];
  if (sscanf(want, "tabel %127s rij %63s", tname, key) == 2 || sscanf(want, "table %127s row %63s", tname, key) == 2) {
    for (uint32_t t = 0; t < c->ntables; t++) {
      if (strcmp(c->tables[t].name, tname) != 0) continue;
      for (uint32_t k = 0; k < c->tables[t].nrows; k++) {
        char kb[64];
        TypeRef kt = c->tables[t].kind == TABLE_BY_DATE ? (TypeRef){VK_DATE, 0, 0} : c->tables[t].keytype;
        fmt_value(c, kt, (Value){.i = c->tables[t].rows[k].key}, kb, sizeof kb);
        if (strcmp(kb, key) == 0) {
          if (r->one->rows[t][k]) return true;
          snprintf(why, cap, _("row %s of table '%s' was not used"), key, tname);
          return false;
        }
      }
      snprintf(why, cap, _("table '%s' has no row %s"), tname, key);
      return false;
    }
  }
  snprintf(why, cap, _("'%s' is not a version, exception or table row of rule '%s' (write e.g. 'versie vanaf 2022-01-01', "
           "'uitzondering naam', 'geen uitzondering' or 'tabel naam rij 2023-07-01')"), want, c->protos[rule].name);
  return false;
}

static void clear_coverage(const Chunk *c, Coverage *cov) {
  memset(cov->points, 0, (c->ncovers ? c->ncovers : 1) * sizeof *cov->points);
  memset(cov->rules, 0, (c->nprotos ? c->nprotos : 1) * sizeof *cov->rules);
  for (uint32_t t = 0; t < c->ntables; t++) memset(cov->rows[t], 0, (c->tables[t].nrows ? c->tables[t].nrows : 1) * sizeof **cov->rows);
}

static void add_coverage(const Chunk *c, Coverage *to, const Coverage *from) {
  for (uint32_t i = 0; i < c->ncovers; i++) to->points[i] += from->points[i];
  for (uint32_t i = 0; i < c->nprotos; i++) to->rules[i] += from->rules[i];
  for (uint32_t t = 0; t < c->ntables; t++)
    for (uint32_t k = 0; k < c->tables[t].nrows; k++) to->rows[t][k] += from->rows[t][k];
}

/*
** "name(v1, v2)" from a 'verwacht' key: the rule's name into `name` and its
** argument values, each read as in a CSV cell against the parameter's type.
** Returns the number of values, or -1 with the reason in `why`.
*/
static int parse_call(Runner *r, const char *text, char *name, size_t cap, Value *args, int maxargs, char *why,
                      size_t whycap) {
  const Chunk *c = r->chunk;
  const char *open = strchr(text, '('), *close = strrchr(text, ')');
  size_t nlen = (size_t)(open - text);
  while (nlen && text[nlen - 1] == ' ') nlen--;
  if (!close || close < open || close[1] || nlen == 0 || nlen >= cap) {
    snprintf(why, whycap, _("'%s' is not a rule name or a call such as naam(2020-01-01/2020-01-31)"), text);
    return -1;
  }
  memcpy(name, text, nlen);
  name[nlen] = 0;
  int rule = find_rule(c, name);
  if (rule < 0) {
    snprintf(why, whycap, _("'%s' is not a rule of this rule set"), name);
    return -1;
  }
  const Proto *q = &c->protos[rule];
  int n = 0;
  const char *p = open + 1;
  while (p < close) {
    const char *end = p;
    while (end < close && *end != ',') end++;
    const char *a = p, *b = end;
    while (a < b && *a == ' ') a++;
    while (b > a && b[-1] == ' ') b--;
    if (n >= maxargs || (uint32_t)n >= q->nparams) {
      snprintf(why, whycap, ngettext("rule '%s' takes %u value", "rule '%s' takes %u values", q->nparams), name, q->nparams);
      return -1;
    }
    char *err = NULL;
    if (!reader_parse_scalar(&c->schema, q->regtypes[n], a, (size_t)(b - a), &r->arena, &args[n], &err)) {
      snprintf(why, whycap, _("value %d of '%s': %s"), n + 1, name, err ? err : "invalid");
      free(err);
      return -1;
    }
    n++;
    p = end + 1;
  }
  return n;
}

/*
** After "expected X, got Y": the deciding facts of the rule for this dossier,
** then (for the case's first failure) its 'afleiding' beside them.
*/
static void why_failed(Runner *r, const Case *cs, const char *dossier, const char *rule, const Value *args, int nargs,
                       bool *derivation_shown, Out *o) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (f) {
    case_facts_write(r->facts, dossier, rule, args, nargs, "    ", f);
    fclose(f);
    if (len) out_append(o, text, len);
    free(text);
  }
  if (!cs->derivation || *derivation_shown) return;
  *derivation_shown = true;
  outf(o, "    afleiding: ");
  for (const char *p = cs->derivation; *p;) {   /* its lines under each other, beside the facts */
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    out_append(o, p, n);
    out_append(o, "\n", 1);
    p += n + (nl ? 1 : 0);
    if (*p) outf(o, "               ");
  }
}

static bool expects_error(const Case *cs) {
  for (size_t i = 0; i < cs->nexpects; i++)
    if (strncmp(cs->expects[i].want, "fout:", 5) == 0 || strncmp(cs->expects[i].want, "error:", 6) == 0) return true;
  return false;
}

/*
** A case asks for some rules, but 'dagloon run' evaluates every output
** column: a dossier that passes its expectations must also get a row there,
** not an error row from a column the case did not ask for. Coverage is off
** meanwhile, so only what the case checks counts as exercised.
*/
static bool runs_whole(Runner *r, const Case *cs, Record *rec, Out *o) {
  const Chunk *c = r->chunk;
  Value *vals = xmalloc((c->noutputs ? c->noutputs : 1) * sizeof *vals);
  VmError ve;
  vm_set_coverage(r->vm, NULL);
  VmStatus st = vm_run(r->vm, rec, &r->arena, vals, &ve);
  vm_set_coverage(r->vm, r->one);
  free(vals);
  if (st == VM_OK) return true;
  char loc[300];
  chunk_location(c, ve.span, loc, sizeof loc);
  outf(o, _("  every expectation holds, but 'dagloon run' gives this dossier an error row: %s (%s);\n"
          "    expect it with 'fout: ...' on the rule, or give the dossier what that column needs\n"),
       ve.msg, loc);
  (void)cs;
  return false;
}

/* Runs one case; its failures go into o. Returns true if it passed. */
static bool run_case(Runner *r, Case *cs, Out *o) {
  const Chunk *c = r->chunk;
  if (cs->error) {
    outf(o, "  %s\n", cs->error);
    return false;
  }
  char *line = json_dumps(cs->input, JSON_COMPACT);
  FILE *f = fmemopen(line, strlen(line), "rb");
  char *err = NULL;
  RecordReader *rd = reader_open(&c->schema, f, cs->file, FMT_JSONL, &err);
  Record *rec = NULL;
  ReadInfo info;
  bool ok = true;
  arena_reset(&r->arena);
  if (!rd || reader_next(rd, &r->arena, &rec, &info) != READ_OK) {
    outf(o, "  invoer: %s%s%s\n", rd ? info.field : "", rd && *info.field ? ": " : "", rd ? info.reason : err);
    ok = false;
  }
  clear_coverage(c, r->one);
  bool derivation_shown = false;
  bool readable = ok;   /* every expectation is checked, so each failing column is shown */
  for (size_t i = 0; readable && i < cs->nexpects; i++) {
    Expect *e = &cs->expects[i];
    /* "verschil_in(2020-01-01/2020-01-31)": a rule with parameters, applied to the values given */
    Value args[16];
    char callname[128];
    int nargs = -1;
    const char *paren = strchr(e->rule, '(');
    if (paren) {
      char why[300];
      nargs = parse_call(r, e->rule, callname, sizeof callname, args, 16, why, sizeof why);
      if (nargs < 0) {
        outf(o, _("  line %lu: %s\n"), e->line, why);
        ok = false;
        continue;
      }
    }
    int rule = find_rule(c, paren ? callname : e->rule);
    char got[256];
    if (rule < 0) {
      int f2 = schema_field_index(&c->schema.records[c->schema.input], e->rule, strlen(e->rule));
      if (f2 < 0) {
        outf(o, _("  line %lu: '%s' is not a rule of this rule set\n"), e->line, e->rule);
        ok = false;
        continue;
      }
      fmt_value(c, c->schema.records[c->schema.input].fields[f2].type, rec->fields[f2], got, sizeof got);
    } else if (c->protos[rule].nparams && nargs < 0) {
      outf(o, _("  line %lu: rule '%s' has parameters: give their values, e.g. %s(%s)\n"), e->line, e->rule, e->rule,
           c->protos[rule].nparams == 1 ? "..." : "..., ...");
      ok = false;
      continue;
    } else if (nargs >= 0 && (uint32_t)nargs != c->protos[rule].nparams) {
      outf(o, ngettext("  line %lu: rule '%s' takes %u value, not %d\n", "  line %lu: rule '%s' takes %u values, not %d\n",
                       c->protos[rule].nparams),
           e->line, callname, c->protos[rule].nparams, nargs);
      ok = false;
      continue;
    } else {
      VmError ve;
      Value v;
      /* "fout: reden" expects an error row whose reason contains 'reden'. */
      const char *want_err = strncmp(e->want, "fout:", 5) == 0 ? e->want + 5 : strncmp(e->want, "error:", 6) == 0 ? e->want + 6 : NULL;
      while (want_err && *want_err == ' ') want_err++;
      VmStatus st = nargs >= 0 ? vm_call_rule(r->vm, rec, &r->arena, (uint32_t)rule, args, &v, &ve)
                                : vm_eval_rule(r->vm, rec, &r->arena, (uint32_t)rule, &v, &ve);
      if (st != VM_OK) {
        if (want_err && strstr(ve.msg, want_err)) continue;
        char loc[300];
        chunk_location(c, ve.span, loc, sizeof loc);
        outf(o, _("  %s: expected %s, got a run-time error: %s (%s)\n"), e->rule, e->want, ve.msg, loc);
        why_failed(r, cs, line, paren ? callname : e->rule, args, nargs, &derivation_shown, o);
        ok = false;
        continue;
      }
      fmt_value(c, c->protos[rule].result, v, got, sizeof got);
      if (want_err) {
        outf(o, _("  %s: expected a run-time error containing '%s', got %s\n"), e->rule, want_err, got);
        why_failed(r, cs, line, paren ? callname : e->rule, args, nargs, &derivation_shown, o);
        chain(r, o, (uint32_t)rule, 0);
        ok = false;
        continue;
      }
    }
    if (strcmp(got, e->want) != 0) {
      outf(o, _("  %s: expected %s, got %s\n"), e->rule, e->want, got);
      if (rule >= 0) {
        why_failed(r, cs, line, paren ? callname : e->rule, args, nargs, &derivation_shown, o);
        chain(r, o, (uint32_t)rule, 0);
      }
      ok = false;
    }
  }
  /* Reasons are checked after all values: the coverage of this case is complete by then. */
  for (size_t i = 0; ok && i < cs->nreasons; i++) {
    Expect *e = &cs->reasons[i];
    int rule = find_rule(c, e->rule);
    char why[400];
    if (rule < 0) {
      outf(o, _("  line %lu: '%s' is not a rule of this rule set\n"), e->line, e->rule);
      ok = false;
    } else if (!reason_holds(r, (uint32_t)rule, e->want, why, sizeof why)) {
      outf(o, _("  reason for %s: expected %s, but %s\n"), e->rule, e->want, why);
      ok = false;
    }
  }
  if (ok && !expects_error(cs)) ok = runs_whole(r, cs, rec, o);
  add_coverage(c, r->total, r->one);
  if (rd) reader_close(rd);
  free(err);
  fclose(f);
  free(line);
  return ok;
}

/* ---- reports ---- */


/*
** Coverage over several rule sets (dagloon test RULES-TREE): the same rule
** file or table can serve more than one rule set (rules/herstel uses
** rules/wia; every set reads rules/tables/), so items are
** keyed by their real file and position and count as exercised when any
** suite exercised them.
*/
typedef struct CoverItem {
  char *key;            /* kind + real path + position: the same item in every rule set */
  char *what;           /* the report line without its "never ..." verb */
  uint8_t kind;         /* 0 rule, 1 version, 2 exception, 3 table row */
  bool covered;
} CoverItem;

typedef struct CoverMerge {
  CoverItem *items;
  size_t n, cap;
} CoverMerge;

static const char *const cover_verbs[4] = {"never evaluated", "never taken", "never taken", "never used"};

static void merge_add(CoverMerge *m, uint8_t kind, const char *file, const char *pos, const char *what, bool covered) {
  char *real = realpath(file, NULL);
  size_t len = strlen(real ? real : file) + strlen(pos) + 8;
  char *key = xmalloc(len);
  snprintf(key, len, "%u:%s:%s", kind, real ? real : file, pos);
  free(real);
  for (size_t i = 0; i < m->n; i++)
    if (strcmp(m->items[i].key, key) == 0) {
      m->items[i].covered |= covered;
      free(key);
      return;
    }
  CoverItem it = {key, xstrdup(what), kind, covered};
  VEC_PUSH(m->items, m->n, m->cap, it);
}

/* One item of coverage: printed at once, or kept for the merged report. */
static void cover_item(CoverMerge *m, FILE *out, uint8_t kind, bool covered, const char *file, const char *pos,
                       const char *what) {
  if (m) merge_add(m, kind, file, pos, what, covered);
  else if (!covered) fprintf(out, "  %s: %s\n", cover_verbs[kind], what);
}

static void coverage_report(const Chunk *c, const Coverage *cov, FILE *out, CoverMerge *m) {
  uint32_t rules = 0, points[2] = {0, 0}, npoints[2] = {0, 0}, rows = 0, nrows = 0;
  for (uint32_t i = 0; i < c->nprotos; i++) rules += cov->rules[i] > 0;
  for (uint32_t i = 0; i < c->ncovers; i++) {
    if (c->covers[i].kind == COVER_INLINED || c->covers[i].kind == COVER_EXCEPTION_NOT) continue;   /* counted as its rule; explanations only */
    npoints[c->covers[i].kind]++;
    points[c->covers[i].kind] += cov->points[i] > 0;
  }
  for (uint32_t t = 0; t < c->ntables; t++)
    for (uint32_t k = 0; k < c->tables[t].nrows; k++) {
      nrows++;
      rows += cov->rows[t][k] > 0;
    }
  fprintf(out, _("coverage: rules %u/%u, versions %u/%u, exceptions %u/%u, table rows %u/%u\n"), rules, c->nprotos,
          points[COVER_VERSION], npoints[COVER_VERSION], points[COVER_EXCEPTION], npoints[COVER_EXCEPTION], rows, nrows);
  char loc[300], what[700], pos[64];
  for (uint32_t i = 0; i < c->nprotos; i++) {
    Span sp = c->protos[i].span;
    uint32_t line = 0, col = 0;
    if (sp.file < c->nfiles) chunk_line_col(c, sp, &line, &col);
    snprintf(pos, sizeof pos, "%u:%u", line, col);
    snprintf(what, sizeof what, _("rule '%s' (%s)"), c->protos[i].name, chunk_location(c, sp, loc, sizeof loc));
    cover_item(m, out, 0, cov->rules[i] > 0, sp.file < c->nfiles ? c->files[sp.file].name : "?", pos, what);
  }
  for (uint32_t i = 0; i < c->ncovers; i++) {
    if (c->covers[i].kind == COVER_INLINED || c->covers[i].kind == COVER_EXCEPTION_NOT) continue;
    Span sp = c->covers[i].span;
    uint32_t line = 0, col = 0;
    if (sp.file < c->nfiles) chunk_line_col(c, sp, &line, &col);
    snprintf(pos, sizeof pos, "%u:%u", line, col);
    snprintf(what, sizeof what, _("%s of rule '%s' (%s)"), c->covers[i].label, c->protos[c->covers[i].rule].name,
             chunk_location(c, sp, loc, sizeof loc));
    cover_item(m, out, c->covers[i].kind == COVER_VERSION ? 1 : 2, cov->points[i] > 0,
               sp.file < c->nfiles ? c->files[sp.file].name : "?", pos, what);
  }
  for (uint32_t t = 0; t < c->ntables; t++)
    for (uint32_t k = 0; k < c->tables[t].nrows; k++) {
      char kb[64];
      TypeRef kt = c->tables[t].kind == TABLE_BY_DATE ? (TypeRef){VK_DATE, 0, 0} : c->tables[t].keytype;
      fmt_value(c, kt, (Value){.i = c->tables[t].rows[k].key}, kb, sizeof kb);
      snprintf(pos, sizeof pos, "%u", c->tables[t].rows[k].line);
      snprintf(what, sizeof what, _("row %s of %s (%s:%u)"), kb, c->tables[t].name, c->tables[t].path,
               c->tables[t].rows[k].line);
      if (!m) snprintf(what, sizeof what, _("row %s of table '%s' (%s:%u)"), kb, c->tables[t].name, c->tables[t].path,
                       c->tables[t].rows[k].line);
      cover_item(m, out, 3, cov->rows[t][k] > 0, c->tables[t].path, pos, what);
    }
}

/* The merged report: each item once, exercised if any rule set's cases exercised it. */
static void merged_report(CoverMerge *m, FILE *out) {
  uint32_t have[4] = {0, 0, 0, 0}, all[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < m->n; i++) {
    all[m->items[i].kind]++;
    have[m->items[i].kind] += m->items[i].covered;
  }
  fprintf(out, _("coverage of all rule sets (a file or table shared by several counted once): rules %u/%u, "
          "versions %u/%u, exceptions %u/%u, table rows %u/%u\n"),
          have[0], all[0], have[1], all[1], have[2], all[2], have[3], all[3]);
  for (size_t i = 0; i < m->n; i++)
    if (!m->items[i].covered) fprintf(out, "  %s: %s\n", cover_verbs[m->items[i].kind], m->items[i].what);
  for (size_t i = 0; i < m->n; i++) {
    free(m->items[i].key);
    free(m->items[i].what);
  }
  free(m->items);
}

/* Totals over every suite of one `dagloon test` run. */
typedef struct Totals {
  size_t passed, failed, cases;
  double seconds;       /* running the cases, for JUnit */
  FILE *junit;          /* the <testsuite> elements, in memory until the totals are known */
  Receipt *receipt;     /* --receipt, or NULL */
  bool native;          /* --native: the cases run on the rules compiled to C (native_compile.h) */
} Totals;

/*
** The failure message of a case for JUnit: its first lines that say what
** differs ("dagloon: expected 101.00, got 100.00"), joined by "; ", so a CI
** page shows the cause without opening the details.
*/
static void junit_message(FILE *jf, const char *report) {
  bool first = true;
  for (const char *p = report; *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    if (n > 2 && p[0] == ' ' && p[1] == ' ' && p[2] != ' ') {   /* a line of its own, not a fact under it */
      char *line = xmalloc(n - 1);
      memcpy(line, p + 2, n - 2);
      line[n - 2] = 0;
      if (!first) fputs("; ", jf);
      markup_escape(jf, line);
      free(line);
      first = false;
    }
    p += n + (nl ? 1 : 0);
  }
  if (first) fputs(_("the case failed"), jf);
}

/* The JUnit document without its time="…" attributes, in place; returns its new length. */
static size_t without_times(char *doc, size_t len) {
  size_t k = 0;
  for (size_t i = 0; i < len;) {
    if (len - i > 7 && memcmp(doc + i, " time=\"", 7) == 0) {
      const char *end = memchr(doc + i + 7, '"', len - i - 7);
      if (end) {
        i = (size_t)(end - doc) + 1;
        continue;
      }
    }
    doc[k++] = doc[i++];
  }
  return k;
}

/* One <testcase>: the case file and line, its time, and for a failure the message and the whole report. */
static void junit_case(FILE *jf, const Case *cs, const char *title, const char *failure, double seconds) {
  fputs("  <testcase classname=\"", jf);
  markup_escape(jf, cs->file);
  fputs("\" name=\"", jf);
  markup_escape(jf, cs->name ? cs->name : title);
  fputs("\" file=\"", jf);
  markup_escape(jf, cs->file);
  fprintf(jf, "\" line=\"%lu\" time=\"%.3f\">", cs->line, seconds);
  if (failure) {
    fputs("<failure message=\"", jf);
    junit_message(jf, failure);
    fputs("\">", jf);
    markup_escape(jf, failure);
    fputs("</failure>", jf);
  }
  fputs("</testcase>\n", jf);
}

/*
** One rule set and its case files: compile, run every case, print failures
** (and the coverage when asked). Returns an exit status: EXIT_OK, or the
** reason the rule set could not be tested at all.
*/
static int run_suite(const char *rules, char **files, size_t nfiles, bool want_coverage, CoverMerge *merge,
                     Totals *tot) {
  Front f;
  front_init(&f);
  f.coverage = true;   /* versions, exceptions and inlined rules count for --coverage and 'redenen' */
  const char *rp[1] = {rules};
  Chunk *c = front_compile(&f, rp, 1, FRONT_COMPILE);
  diag_render(&f.diags, stderr);
  if (!c) {
    if (f.load_error[0]) fprintf(stderr, "dagloon: %s\n", f.load_error);
    int st = f.load_error[0] ? EXIT_USAGE : EXIT_RULE_ERRORS;
    front_free(&f);
    return st;
  }
  if (c->schema.input < 0) {
    fprintf(stderr, _("dagloon: %s declares no 'invoer': there is no dossier to test\n"), rules);
    chunk_free(c);
    front_free(&f);
    return EXIT_RULE_ERRORS;
  }
  if (tot->native) {
    int st;
    Chunk *n = native_rebuild(c, &st);
    if (!n) {
      chunk_free(c);
      front_free(&f);
      return st;
    }
    c = n;
  }
  receipt_rules(tot->receipt, rules, c);
  Case *cases = NULL;
  size_t ncases = 0, capcases = 0;
  for (size_t i = 0; i < nfiles; i++) load_file(files[i], &c->schema, &cases, &ncases, &capcases);

  Runner r = {c, vm_new(c), {0}, coverage_new(c), coverage_new(c), case_facts_new(rules)};
  arena_init(&r.arena);
  vm_set_coverage(r.vm, r.one);
  char *jbuf = NULL;
  size_t jlen = 0;
  FILE *jf = tot->junit ? open_memstream(&jbuf, &jlen) : NULL;
  size_t failed = 0;
  double suite_seconds = 0;
  for (size_t i = 0; i < ncases; i++) {
    Case *cs = &cases[i];
    Out o = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool ok = run_case(&r, cs, &o);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    suite_seconds += seconds;
    char title[512];
    snprintf(title, sizeof title, "%s:%lu %s", cs->file, cs->line, cs->name ? cs->name : "");
    if (ok) tot->passed++;
    else {
      failed++;
      printf(_("FAIL %s%s%s%s\n%s"), title, cs->source ? " (" : "", cs->source ? cs->source : "", cs->source ? ")" : "",
             o.p ? o.p : "");
    }
    if (jf) junit_case(jf, cs, title, ok ? NULL : o.p ? o.p : "", seconds);
    free(o.p);
  }
  tot->failed += failed;
  tot->cases += ncases;
  tot->seconds += suite_seconds;
  if (jf) {
    fclose(jf);
    fputs("<testsuite name=\"", tot->junit);
    markup_escape(tot->junit, rules);
    fprintf(tot->junit, "\" tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n", ncases, failed, suite_seconds);
    fwrite(jbuf, 1, jlen, tot->junit);
    fputs("</testsuite>\n", tot->junit);
    free(jbuf);
  }
  if (want_coverage) coverage_report(c, r.total, stdout, merge);
  for (size_t i = 0; i < ncases; i++) case_free(&cases[i]);
  free(cases);
  coverage_free(c, r.total);
  coverage_free(c, r.one);
  case_facts_free(r.facts);
  vm_free(r.vm);
  arena_free(&r.arena);
  chunk_free(c);
  front_free(&f);
  return EXIT_OK;
}

/*
** The rule set of a case file when RULES is a tree of rule sets: the
** nearest folder of the file's path that names a rule set under RULES
** (tests/cases/wia/x.case -> RULES/wia). NULL when there is none.
*/
static char *rule_set_for(const char *rules, const char *file) {
  char *path = xstrdup(file);
  char *slash = strrchr(path, '/');
  while (slash) {
    *slash = '\0';
    char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    size_t len = strlen(rules) + strlen(name) + 2;
    char *cand = xmalloc(len);
    snprintf(cand, len, "%s/%s", rules, name);
    if (*name && is_dir(cand) && has_rule_files(cand)) {
      free(path);
      return cand;
    }
    free(cand);
    slash = name > path ? name - 1 : NULL;
  }
  free(path);
  return NULL;
}

int cmd_test(const ParsedArgs *a) {
  const char *junit = option_value(a, "junit"), *receipt_path = option_value(a, "receipt");
  bool want_coverage = option_given(a, "coverage");
  if (a->noperands < 2) {
    command_usage_error(a->command, "test needs RULES and at least one case file or folder");
    return EXIT_USAGE;
  }
  const char *rules = a->operands[0];
  char **paths = a->operands + 1;
  size_t npaths = a->noperands - 1;
  char **files = NULL;
  size_t nfiles = 0, capfiles = 0;
  for (size_t i = 0; i < npaths; i++) collect_files(paths[i], &files, &nfiles, &capfiles);

  Totals tot = {0};
  tot.native = option_given(a, "native");
  tot.receipt = receipt_begin(receipt_path, dagloon_argc, dagloon_argv);
  for (size_t i = 0; i < nfiles; i++) receipt_file(tot.receipt, "input", files[i]);
  char *jbuf = NULL;
  size_t jlen = 0;
  if (junit) tot.junit = open_memstream(&jbuf, &jlen);
  int status = EXIT_OK;
  /* A folder without .rules files of its own is a tree of rule sets: each case goes to the rule
     set named by the nearest folder of its path (tests/cases/wia/... -> RULES/wia). */
  if (is_rule_set_folder(rules)) {
    CoverMerge merge = {0};
    char **sets = xcalloc(nfiles ? nfiles : 1, sizeof *sets);
    for (size_t i = 0; i < nfiles; i++) {
      sets[i] = rule_set_for(rules, files[i]);
      if (!sets[i]) {
        printf(_("FAIL %s\n  no rule set for this case file: put it in a folder named after a rule set in %s\n"),
               files[i], rules);
        tot.failed++;
        tot.cases++;
      }
    }
    for (size_t i = 0; i < nfiles; i++) {
      if (!sets[i]) continue;
      char **group = NULL;
      size_t ng = 0, capg = 0;
      for (size_t k = i; k < nfiles; k++)
        if (sets[k] && strcmp(sets[k], sets[i]) == 0) {
          VEC_PUSH(group, ng, capg, files[k]);
          if (k != i) { free(sets[k]); sets[k] = NULL; }
        }
      printf(ngettext("== %s: %zu case file\n", "== %s: %zu case files\n", ng), sets[i], ng);
      int st = run_suite(sets[i], group, ng, want_coverage, &merge, &tot);
      if (st != EXIT_OK && status == EXIT_OK) status = st;
      free(group);
      free(sets[i]);
      sets[i] = NULL;
    }
    free(sets);
    if (want_coverage) merged_report(&merge, stdout);
    else free(merge.items);
  } else {
    status = run_suite(rules, files, nfiles, want_coverage, NULL, &tot);
  }
  if (status == EXIT_OK && tot.failed) status = EXIT_FAILED;
  char *jdoc = NULL;   /* the whole JUnit document, for its receipt */
  size_t jdoclen = 0;
  if (tot.junit) {
    fclose(tot.junit);
    OutFile of;
    FILE *out = outfile_open(&of, junit);
    FILE *doc = open_memstream(&jdoc, &jdoclen);
    if (!out || !doc) {
      if (out) fprintf(stderr, _("dagloon: cannot write '%s': %s\n"), junit, strerror(errno));
      status = EXIT_WRITE_ERROR;
      outfile_abort(&of);
    } else {
      fprintf(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"%zu\" failures=\"%zu\" time=\"%.3f\">\n",
              tot.cases, tot.failed, tot.seconds);
      fwrite(jbuf, 1, jlen, doc);
      fputs("</testsuites>\n", doc);
      fflush(doc);
      fwrite(jdoc, 1, jdoclen, out);
      if (!outfile_commit(&of)) status = EXIT_WRITE_ERROR;
    }
    if (doc) fclose(doc);
    free(jbuf);
  }
  if (status == EXIT_OK || status == EXIT_FAILED) printf(_("%zu passed, %zu failed\n"), tot.passed, tot.failed);
  for (size_t i = 0; i < nfiles; i++) free(files[i]);
  free(files);
  if (junit && jdoc) {   /* the times differ from run to run: the receipt holds the rest */
    size_t n = without_times(jdoc, jdoclen);
    receipt_bytes(tot.receipt, "junit", junit, jdoc, n);
  }
  free(jdoc);
  return receipt_end(tot.receipt, status, DAGLOON_VERSION);
}
