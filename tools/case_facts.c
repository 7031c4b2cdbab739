/*
** case_facts.c: the deciding facts of a failing case (see case_facts.h).
**
** The trace says which values a rule read and which version and exceptions
** were reached; the code says where in the rule text they are. The value
** expression of a rule is the widest source span of the code that runs
** after the version or exception taken; an exception's condition is the
** widest span of the code computing the register its jump tests. Their text
** is shown twice: as written, and with every input field and rule it names
** replaced by the value it had for this dossier.
*/
#include "tools/case_facts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "lang/front.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/vm.h"
#include "tools/explain_tree.h"

struct CaseFacts {
  char *rules;
  bool tried;         /* compiled (or failed to) already */
  Front front;
  Chunk *chunk;       /* compiled for explanations, or NULL */
};

CaseFacts *case_facts_new(const char *rules) {
  CaseFacts *cf = xcalloc(1, sizeof *cf);
  cf->rules = xstrdup(rules);
  return cf;
}

void case_facts_free(CaseFacts *cf) {
  if (!cf) return;
  if (cf->chunk) chunk_free(cf->chunk);
  if (cf->tried) front_free(&cf->front);
  free(cf->rules);
  free(cf);
}

static const Chunk *facts_chunk(CaseFacts *cf) {
  if (!cf->tried) {
    cf->tried = true;
    front_init(&cf->front);
    cf->front.trace = true;   /* every rule its own node, versions with their peildatum, exceptions not taken */
    const char *paths[1] = {cf->rules};
    cf->chunk = front_compile(&cf->front, paths, 1, FRONT_COMPILE);   /* its diagnostics were shown by the test run */
  }
  return cf->chunk;
}

/* ---- where in the rule text ---- */

static bool is_jump(uint8_t op) {
  return op < OP__COUNT && (op_operands[op][0] == 'J' || op_operands[op][1] == 'J' || op_operands[op][2] == 'J');
}

/* The text of a span on one line: runs of white space (and comments' line breaks) as one space. */
static void span_text(const Chunk *c, Span s, char *buf, size_t cap) {
  size_t k = 0;
  buf[0] = 0;
  if (s.file >= c->nfiles || !c->files[s.file].text || s.off + s.len > c->files[s.file].len) return;
  const char *p = c->files[s.file].text + s.off;
  bool space = false;
  for (uint32_t i = 0; i < s.len && k + 1 < cap; i++) {
    if (isspace((unsigned char)p[i])) {
      space = k > 0;
      continue;
    }
    if (space && k + 2 < cap) buf[k++] = ' ';
    space = false;
    buf[k++] = p[i];
  }
  buf[k] = 0;
}

/* The pc of the COVER instruction of point `cover` in its rule's code, or -1. */
static int cover_pc(const Chunk *c, uint32_t cover) {
  const Proto *p = &c->protos[c->covers[cover].rule];
  for (uint32_t pc = 0; pc < p->ncode; pc++)
    if (p->code[pc].op == OP_COVER && p->code[pc].b == cover) return (int)pc;
  return -1;
}

/* The widest span of the code from `from` up to the next COVER or FAIL (the expression that code computes). */
static Span widest_span(const Proto *p, uint32_t from) {
  Span best = {0, 0, 0};
  for (uint32_t pc = from; pc < p->ncode; pc++) {
    uint8_t op = p->code[pc].op;
    if ((op == OP_COVER && pc > from) || op == OP_FAIL) break;   /* the next version or exception, or no version left */
    if (op == OP_COVER || is_jump(op)) continue;
    bool name = p->spans[pc].off == p->span.off && p->spans[pc].file == p->span.file;   /* the move into the result */
    if (!name && p->spans[pc].len > best.len) best = p->spans[pc];
  }
  return best;
}

/* The span of the condition of the exception of cover point `cover` (taken or not), or len 0. */
static Span condition_span(const Chunk *c, uint32_t cover) {
  const CoverPoint *cp = &c->covers[cover];
  Span none = {0, 0, 0};
  if (cp->kind == COVER_EXCEPTION_NOT)   /* the condition sits before the point of the exception taken */
    for (uint32_t i = 0; i < c->ncovers; i++)
      if (c->covers[i].kind == COVER_EXCEPTION && c->covers[i].rule == cp->rule && strcmp(c->covers[i].label, cp->label) == 0)
        return condition_span(c, i);
  int pc = cover_pc(c, cover);
  const Proto *p = &c->protos[cp->rule];
  if (pc < 1 || p->code[pc - 1].op != OP_JMPIFNOT) return none;
  /* a condition with 'en'/'of' uses its register more than once (short-circuit): the widest use is all of it */
  uint16_t cond = p->code[pc - 1].a;
  Span best = none;
  for (int k = pc - 2; k >= 0; k--) {
    uint8_t op = p->code[k].op;
    bool tests = op == OP_JMPIF || op == OP_JMPIFNOT;   /* the short-circuit jump of 'en'/'of' carries its whole span */
    if (op != OP_COVER && (tests || !is_jump(op)) && op != OP_FAIL && p->code[k].a == cond && p->spans[k].len > best.len)
      best = p->spans[k];
  }
  return best;
}

/* ---- the values a rule read, by name ---- */

typedef struct Known {
  char name[160];     /* a rule, a parameter, or an input field (a used rule set's fact: dossier.loon) */
  char value[200];
  bool input;
} Known;

typedef struct KnownList {
  Known *v;
  size_t n, cap;
} KnownList;

/* The input fields and rules (without parameters) that rule node `id` read, with their values. */
static void known_values(const Tree *tr, size_t id, KnownList *kl) {
  const Chunk *c = tr->c;
  const Node *nd = &tr->nodes[id];
  for (size_t k = 0; k < nd->nkids; k++) {
    const Node *kid = &tr->nodes[nd->kids[k]];
    const TraceEvent *e = &tr->t->ev[kid->ev];
    Known kn = {"", "", false};
    if (kid->kind == N_INPUT) {
      TypeRef t;
      Value v;
      ex_input_read(c, e, kn.name, sizeof kn.name, &t, &v);
      ex_value(c, t, v, kn.value, sizeof kn.value);
      kn.input = true;
    } else if (kid->kind == N_USE) {
      snprintf(kn.name, sizeof kn.name, "%s", c->protos[e->index].name);
      ex_value(c, e->type, e->v, kn.value, sizeof kn.value);
    } else if (kid->kind == N_RULE && c->protos[e->index].nparams == 0 && kid->end != SIZE_MAX) {
      snprintf(kn.name, sizeof kn.name, "%s", c->protos[e->index].name);
      ex_value(c, c->protos[e->index].result, tr->t->ev[kid->end].v, kn.value, sizeof kn.value);
    } else {
      continue;
    }
    bool have = false;
    for (size_t j = 0; j < kl->n && !have; j++) have = strcmp(kl->v[j].name, kn.name) == 0;
    if (!have) VEC_PUSH(kl->v, kl->n, kl->cap, kn);
  }
}

/*
** The parameters of a rule with parameters, with the values of this call:
** their names from the declaration ("regel uitkering_in(m: periode): geld"),
** which the compiled code does not keep.
*/
static void known_params(const Tree *tr, size_t id, KnownList *kl, char names[][64], int max) {
  const Chunk *c = tr->c;
  const TraceEvent *e = &tr->t->ev[tr->nodes[id].ev];
  const Proto *p = &c->protos[e->index];
  Span s = p->span;
  if (!p->nparams || s.file >= c->nfiles || !c->files[s.file].text) return;
  const char *q = c->files[s.file].text + s.off + s.len, *end = c->files[s.file].text + c->files[s.file].len;
  while (q < end && *q == ' ') q++;
  if (q >= end || *q != '(') return;
  q++;
  for (int j = 0; j < p->nparams && j < max && q < end; j++) {
    while (q < end && (*q == ' ' || *q == ',')) q++;
    size_t n = 0;
    while (q + n < end && (isalnum((unsigned char)q[n]) || q[n] == '_') && n + 1 < 64) n++;
    memcpy(names[j], q, n);
    names[j][n] = 0;
    Known kn = {"", "", false};
    snprintf(kn.name, sizeof kn.name, "%s", names[j]);
    ex_value(c, p->regtypes[j], tr->t->argbuf[e->args + j], kn.value, sizeof kn.value);
    if (n) VEC_PUSH(kl->v, kl->n, kl->cap, kn);
    while (q < end && *q != ',' && *q != ')') q++;   /* its type */
  }
}

/*
** Whether the word `w` (len n) of a rule's text names `kn`. A rule of a used
** rule set (`ns` "wia.", from its name) writes its names unqualified: 'deler'
** is wia.deler, and 'loon' the fact dossier.loon.
*/
static bool names_known(const char *w, size_t n, const Known *kn, const char *ns, size_t nsl) {
  size_t kl = strlen(kn->name);
  if (kl == n && strncmp(kn->name, w, n) == 0) return true;
  if (!nsl) return false;
  if (kn->input) return kl > n && kn->name[kl - n - 1] == '.' && strncmp(kn->name + kl - n, w, n) == 0;
  return kl == nsl + n && strncmp(kn->name, ns, nsl) == 0 && strncmp(kn->name + nsl, w, n) == 0;
}

/* The namespace of a rule of a used rule set: "wia." of "wia.dagloon" ("" for the set's own). */
static size_t namespace_of(const char *rule) {
  const char *dot = strrchr(rule, '.');
  return dot ? (size_t)(dot - rule) + 1 : 0;
}

/* The text with each name the rule read replaced by its value (not names of calls, fields or named arguments). */
static void substitute(const char *text, const char *rule, const KnownList *kl, char *buf, size_t cap) {
  size_t nsl = namespace_of(rule);
  size_t k = 0;
  for (size_t i = 0; text[i] && k + 1 < cap;) {
    bool starts = (isalpha((unsigned char)text[i]) || text[i] == '_') &&
                  (i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_' || text[i - 1] == '.'));
    if (!starts) {
      buf[k++] = text[i++];
      continue;
    }
    size_t j = i;
    while (isalnum((unsigned char)text[j]) || text[j] == '_') j++;
    size_t after = j;
    while (text[after] == ' ') after++;
    const char *value = NULL;
    if (text[after] != '(' && text[after] != ':' && text[j] != '.')
      for (size_t q = 0; q < kl->n && !value; q++)
        if (names_known(text + i, j - i, &kl->v[q], rule, nsl)) value = kl->v[q].value;
    int w = value ? snprintf(buf + k, cap - k, "%s", value) : snprintf(buf + k, cap - k, "%.*s", (int)(j - i), text + i);
    k = w < 0 || (size_t)w >= cap - k ? cap - 1 : k + (size_t)w;
    i = j;
  }
  buf[k < cap ? k : cap - 1] = 0;
}

/* ---- the facts ---- */

typedef struct Facts {
  const Tree *tr;
  const char *indent;
  FILE *out;
  bool *seen;         /* per cover point: shown already */
} Facts;

/* The versions and exceptions reached anywhere below rule node `id`, each once, with the rule they belong to. */
static void write_points(Facts *fx, size_t id) {
  const Tree *tr = fx->tr;
  const Chunk *c = tr->c;
  const Node *nd = &tr->nodes[id];
  for (size_t k = 0; k < nd->nkids; k++) {
    size_t kidid = nd->kids[k];
    const Node *kid = &tr->nodes[kidid];
    const TraceEvent *e = &tr->t->ev[kid->ev];
    if (kid->kind == N_RULE) {
      write_points(fx, kidid);
      continue;
    }
    if (kid->kind != N_VERSION && kid->kind != N_EXCEPTION && kid->kind != N_NO_EXCEPTION) continue;
    if (fx->seen[e->index]) continue;
    fx->seen[e->index] = true;
    char line[2048];
    ex_node_line(tr, NULL, kid, line, sizeof line);
    fprintf(fx->out, "%s%s: %s\n", fx->indent, c->protos[c->covers[e->index].rule].name, line);
    if (kid->kind == N_VERSION) continue;
    Span cs = condition_span(c, e->index);
    if (cs.len == 0) continue;
    char cond[1024], with[2048];
    span_text(c, cs, cond, sizeof cond);
    KnownList kl = {NULL, 0, 0};
    known_values(tr, id, &kl);
    substitute(cond, c->protos[c->covers[e->index].rule].name, &kl, with, sizeof with);
    free(kl.v);
    if (strcmp(cond, with) != 0) fprintf(fx->out, "%s  als %s  \xE2\x86\x92  %s\n", fx->indent, cond, with);
    else fprintf(fx->out, "%s  als %s\n", fx->indent, cond);
  }
}

/* The failing rule's own expression: as written, with the values it read, and its value. */
static void write_terms(Facts *fx, size_t id) {
  const Tree *tr = fx->tr;
  const Chunk *c = tr->c;
  const Node *nd = &tr->nodes[id];
  const TraceEvent *e = &tr->t->ev[nd->ev];
  const Proto *p = &c->protos[e->index];
  /* the code after the last version or exception point reached computed the value */
  uint32_t from = 0;
  for (size_t k = 0; k < nd->nkids; k++) {
    const Node *kid = &tr->nodes[nd->kids[k]];
    if (kid->kind == N_VERSION || kid->kind == N_EXCEPTION || kid->kind == N_NO_EXCEPTION) from = tr->t->ev[kid->ev].pc;
  }
  Span s = widest_span(p, from);
  char text[1024], with[2048], value[512] = "";
  span_text(c, s, text, sizeof text);
  if (!*text) return;
  KnownList kl = {NULL, 0, 0};
  char params[16][64];
  known_params(tr, id, &kl, params, 16);
  known_values(tr, id, &kl);
  substitute(text, p->name, &kl, with, sizeof with);
  free(kl.v);
  if (nd->end != SIZE_MAX) ex_value(c, p->result, tr->t->ev[nd->end].v, value, sizeof value);
  char args[1200];
  ex_args(tr, e, args, sizeof args);
  int w = (int)(strlen(p->name) + strlen(args));
  fprintf(fx->out, "%s%s%s = %s\n", fx->indent, p->name, args, text);
  if (strcmp(text, with) != 0) fprintf(fx->out, "%s%*s = %s\n", fx->indent, w, "", with);
  if (*value && strcmp(value, with) != 0) fprintf(fx->out, "%s%*s = %s\n", fx->indent, w, "", value);
}

/* What the failing rule read itself: input fields (one line), table rows, roundings and revisions. */
static void write_reads(Facts *fx, size_t id) {
  const Tree *tr = fx->tr;
  const Node *nd = &tr->nodes[id];
  KnownList kl = {NULL, 0, 0};
  known_values(tr, id, &kl);
  bool any = false;
  for (size_t q = 0; q < kl.n; q++) {
    if (!kl.v[q].input) continue;
    fprintf(fx->out, "%s%s%s = %s", any ? "" : fx->indent, any ? ", " : "invoer: ", kl.v[q].name, kl.v[q].value);
    any = true;
  }
  if (any) fputc('\n', fx->out);
  free(kl.v);
  for (size_t k = 0; k < nd->nkids; k++) {
    const Node *kid = &tr->nodes[nd->kids[k]];
    if (kid->kind != N_ROW && kid->kind != N_ROUND && kid->kind != N_REVISE) continue;
    char line[2048];
    ex_node_line(tr, NULL, kid, line, sizeof line);
    fprintf(fx->out, "%s%s\n", fx->indent, line);
  }
}

void case_facts_write(CaseFacts *cf, const char *dossier_json, const char *rule, const Value *args, int nargs,
                      const char *indent, FILE *out) {
  const Chunk *c = facts_chunk(cf);
  if (!c || c->schema.input < 0) return;
  uint32_t r = 0;
  while (r < c->nprotos && strcmp(c->protos[r].name, rule) != 0) r++;
  if (r == c->nprotos) return;
  FILE *in = fmemopen((void *)dossier_json, strlen(dossier_json), "rb");
  if (!in) return;
  char *err = NULL;
  RecordReader *rd = reader_open(&c->schema, in, "case", FMT_JSONL, &err);
  Arena arena;
  arena_init(&arena);
  Record *rec = NULL;
  ReadInfo info;
  if (rd && reader_next(rd, &arena, &rec, &info) == READ_OK) {
    Trace t;
    trace_init(&t);
    Vm *vm = vm_new(c);
    vm_set_trace(vm, &t);
    Value v;
    VmError ve;
    memset(&ve, 0, sizeof ve);
    if (nargs >= 0) vm_call_rule(vm, rec, &arena, r, args, &v, &ve);
    else vm_eval_rule(vm, rec, &arena, r, &v, &ve);
    Tree tr;
    tree_init(&tr, c, &t);
    if (t.n && t.ev[0].kind == TRACE_RULE && t.ev[0].index == r) {
      size_t root = tree_build_rule(&tr, 0);
      Facts fx = {&tr, indent, out, xcalloc(c->ncovers ? c->ncovers : 1, sizeof(bool))};
      write_terms(&fx, root);
      write_points(&fx, root);
      write_reads(&fx, root);
      free(fx.seen);
    }
    tree_free(&tr);
    vm_free(vm);
    trace_free(&t);
  }
  if (rd) reader_close(rd);
  free(err);
  arena_free(&arena);
  fclose(in);
}
