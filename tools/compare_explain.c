/*
** compare_explain.c: the explanation diff of `dagloon compare --explain ID`
** -- one dossier computed with the base and with the proposal, both traced,
** and what differs between the two computations: the outcome, every rule
** whose value differs (with the difference and the rule's sources, and
** whether the proposal replaced or added it), rules computed in only one,
** exceptions that apply in one and not the other, versions chosen
** differently, and table rows used in only one.
*/
#include "tools/compare_explain.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/recio.h"
#include "runtime/table.h"

/* One fact of a computation: a rule's value (name or name(args)), an exception, a version, a table row. */
typedef struct Fact {
  char key[512];
  char value[256];
  const char *source;   /* rule, exception or version: its bron */
  TypeRef type;
  Value v;
} Fact;

typedef struct Facts {
  Fact *rules, *points, *rows;
  size_t nrules, caprules, npoints, cappoints, nrows, caprows;
} Facts;

static bool has_key(const Fact *v, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i].key, key) == 0) return true;
  return false;
}

static const Fact *find(const Fact *v, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i].key, key) == 0) return &v[i];
  return NULL;
}

static void fmt(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap) {
  if (t.kind == VK_LIST) snprintf(buf, cap, "(lijst van %" PRIu32 ")", v.list ? v.list->n : 0);
  else if (t.kind == VK_RECORD) snprintf(buf, cap, "(%s)", c->schema.records[t.ref].name);
  else if (value_format(&c->schema, t, v, buf, cap) < 0) snprintf(buf, cap, "?");
}

/* The facts of one traced computation, in the order it met them. */
static void collect(const Chunk *c, const Trace *t, Facts *f) {
  size_t *stack = xmalloc((t->n ? t->n : 1) * sizeof *stack), depth = 0;
  for (size_t i = 0; i < t->n; i++) {
    const TraceEvent *e = &t->ev[i];
    if (e->kind == TRACE_RULE) {
      stack[depth++] = i;
    } else if (e->kind == TRACE_VALUE && depth > 0) {
      const TraceEvent *s = &t->ev[stack[--depth]];
      const Proto *p = &c->protos[s->index];
      Fact x = {0};
      size_t k = (size_t)snprintf(x.key, sizeof x.key, "%s", p->name);
      if (p->nparams) {
        k += (size_t)snprintf(x.key + k, sizeof x.key - k, "(");
        for (uint16_t j = 0; j < p->nparams && k < sizeof x.key; j++) {
          char a[200];
          fmt(c, p->regtypes[j], t->argbuf[s->args + j], a, sizeof a);
          k += (size_t)snprintf(x.key + k, sizeof x.key - k, "%s%s", j ? ", " : "", a);
        }
        if (k < sizeof x.key) snprintf(x.key + k, sizeof x.key - k, ")");
      }
      if (has_key(f->rules, f->nrules, x.key)) continue;
      fmt(c, p->result, e->v, x.value, sizeof x.value);
      x.source = p->source;
      x.type = p->result;
      x.v = e->v;
      VEC_PUSH(f->rules, f->nrules, f->caprules, x);
    } else if (e->kind == TRACE_POINT) {
      const CoverPoint *cp = &c->covers[e->index];
      if (cp->kind == COVER_INLINED) continue;
      Fact x = {0};
      const char *rule = c->protos[cp->rule].name;
      if (cp->kind == COVER_VERSION) {
        snprintf(x.key, sizeof x.key, "versie van %s", rule);
        snprintf(x.value, sizeof x.value, "%s", cp->label);
      } else {
        snprintf(x.key, sizeof x.key, "%s op %s", cp->label, rule);
        snprintf(x.value, sizeof x.value, "%s", cp->kind == COVER_EXCEPTION ? "van toepassing" : "niet van toepassing");
      }
      x.source = cp->source;
      if (!has_key(f->points, f->npoints, x.key)) VEC_PUSH(f->points, f->npoints, f->cappoints, x);
    } else if (e->kind == TRACE_ROW || e->kind == TRACE_STEP) {
      const Table *tb = &c->tables[e->index];
      if (e->row >= tb->nrows) continue;
      const TableRow *row = &tb->rows[e->row];
      Fact x = {0};
      char key[64];
      TypeRef kt = tb->kind == TABLE_BY_DATE ? (TypeRef){VK_DATE, 0, 0} : tb->keytype;
      fmt(c, kt, (Value){.i = row->key}, key, sizeof key);
      snprintf(x.key, sizeof x.key, "tabel %s rij %s", tb->name, key);
      if (row->unknown) snprintf(x.value, sizeof x.value, "(onbekend)");
      else fmt(c, tb->valtype, row->value, x.value, sizeof x.value);
      x.source = row->source;
      if (!has_key(f->rows, f->nrows, x.key)) VEC_PUSH(f->rows, f->nrows, f->caprows, x);
    }
  }
  free(stack);
}

static void facts_free(Facts *f) {
  free(f->rules);
  free(f->points);
  free(f->rows);
}

/* proposal - base for two numbers of one kind, as text ("+21.23"); "" when not numbers. */
static void difference(TypeRef t, Value a, Value b, char *buf, size_t cap) {
  buf[0] = 0;
  if (t.kind == VK_MONEY || t.kind == VK_INT) {
    int64_t d;
    if (__builtin_sub_overflow(b.i, a.i, &d)) return;
    char m[40];
    if (t.kind == VK_MONEY) money_format(d, m, sizeof m);
    else snprintf(m, sizeof m, "%" PRId64, d);
    snprintf(buf, cap, "%s%s", d > 0 ? "+" : "", m);
  } else if (t.kind == VK_DEC) {
    Dec d;
    char m[80];
    if (dec_sub(b.dec, a.dec, &d) != NUM_OK || dec_format(d, m, sizeof m) < 0) return;
    snprintf(buf, cap, "%s%s", d.num > 0 ? "+" : "", m);
  }
}

/* What the proposal did to the rule or exception a fact is about (rule facts: rules; others: exceptions). */
static const char *change_of(const Changes *ch, const char *key, bool rules) {
  for (size_t i = 0; ch && i < ch->n; i++) {
    if ((ch->v[i].what == AST_RULE_DECL) != rules) continue;
    size_t n = strlen(ch->v[i].name);
    const char *k = key;
    if (strncmp(k, "uitzondering ", 13) == 0) k += 13;   /* "uitzondering x op r" is about exception x */
    if (strncmp(k, ch->v[i].name, n) == 0 && (k[n] == 0 || k[n] == '(' || k[n] == ' '))
      return ch->v[i].kind == CHANGE_ADDED ? "toegevoegd door het voorstel"
             : ch->v[i].kind == CHANGE_REMOVED ? "geschrapt door het voorstel" : "vervangen door het voorstel";
  }
  return NULL;
}

/* Facts of one kind that differ, or that only one side has. */
static void diff_list(FILE *out, const char *title, const Fact *a, size_t na, const Fact *b, size_t nb,
                      const Changes *ch, bool numbers) {
  size_t shown = 0, more = 0;
  for (int pass = 0; pass < 2; pass++) {
    const Fact *x = pass ? b : a, *y = pass ? a : b;
    size_t nx = pass ? nb : na, ny = pass ? na : nb;
    for (size_t i = 0; i < nx; i++) {
      const Fact *o = find(y, ny, x[i].key);
      if (o && strcmp(o->value, x[i].value) == 0) continue;
      if (pass && o) continue;   /* listed in the first pass */
      if (shown >= 60) {
        more++;
        continue;
      }
      if (shown++ == 0) fprintf(out, "%s:\n", title);
      const char *why = change_of(ch, x[i].key, numbers);
      if (o) {
        char d[96] = "";
        if (numbers) difference(x[i].type, x[i].v, o->v, d, sizeof d);
        fprintf(out, "  %s: %s -> %s%s%s%s", x[i].key, x[i].value, o->value, *d ? " (" : "", d, *d ? ")" : "");
      } else {
        fprintf(out, "  %s: %s %s", x[i].key, x[i].value, pass ? "(alleen in het voorstel)" : "(alleen in de basis)");
      }
      const char *src = o && o->source && *o->source ? o->source : x[i].source;
      if (src && *src) fprintf(out, "  [bron: %s]", src);
      if (why) fprintf(out, "  <- %s", why);
      fputc('\n', out);
    }
  }
  if (more) fprintf(out, "  ... en nog %zu\n", more);
  if (shown == 0) fprintf(out, "%s: geen verschil\n", title);
}

void compare_explain_write(const Chunk *cb, const Trace *tb, const Value *ob, const VmError *eb, const Chunk *cp,
                           const Trace *tp, const Value *op, const VmError *ep, const Changes *changes, const char *id,
                           FILE *out) {
  fprintf(out, "dossier %s: de basis tegenover het voorstel\n\n", id);
  /* the outcome: every output column the two share */
  fprintf(out, "uitkomst:\n");
  for (uint32_t k = 0; k < cb->noutputs; k++) {
    int pk = -1;
    for (uint32_t q = 0; q < cp->noutputs; q++)
      if (strcmp(cp->outputs[q].name, cb->outputs[k].name) == 0) pk = (int)q;
    if (pk < 0) continue;
    char a[256] = "(fout)", b[256] = "(fout)", d[96] = "";
    if (ob) fmt(cb, cb->outputs[k].type, ob[k], a, sizeof a);
    if (op) fmt(cp, cp->outputs[pk].type, op[pk], b, sizeof b);
    if (ob && op && cb->outputs[k].type.kind == cp->outputs[pk].type.kind)
      difference(cb->outputs[k].type, ob[k], op[pk], d, sizeof d);
    fprintf(out, "  %s: %s -> %s%s%s%s\n", cb->outputs[k].name, a, b, *d ? " (" : "", d, *d ? ")" : "");
  }
  if (!ob && eb) fprintf(out, "  de basis geeft een foutregel: %s\n", eb->msg);
  if (!op && ep) fprintf(out, "  het voorstel geeft een foutregel: %s\n", ep->msg);
  Facts fb = {0}, fp = {0};
  collect(cb, tb, &fb);
  collect(cp, tp, &fp);
  fputc('\n', out);
  diff_list(out, "regels met een andere waarde (basis -> voorstel)", fb.rules, fb.nrules, fp.rules, fp.nrules, changes, true);
  fputc('\n', out);
  diff_list(out, "uitzonderingen en versies", fb.points, fb.npoints, fp.points, fp.npoints, changes, false);
  fputc('\n', out);
  diff_list(out, "tabelrijen", fb.rows, fb.nrows, fp.rows, fp.nrows, changes, false);
  if (changes && changes->n) {
    fprintf(out, "\nwat het voorstel verandert:\n");
    for (size_t i = 0; i < changes->n; i++) {
      const Change *c = &changes->v[i];
      fprintf(out, "  %s %s\n",
              c->kind == CHANGE_ADDED ? "voegt toe" : c->kind == CHANGE_REMOVED ? "schrapt" : c->kind == CHANGE_ROWS
              ? "vervangt of voegt rijen toe aan tabel" : c->kind == CHANGE_VERSION ? "voegt een versie toe aan" : "vervangt",
              c->name);
    }
  }
  facts_free(&fb);
  facts_free(&fp);
}
