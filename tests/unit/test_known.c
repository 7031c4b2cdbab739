/*
** test_known.c: facts as known on a date (docs/LANGUAGE.md, "Facts as known on a date"):
** the code 'zoals bekend op' compiles to (AS_KNOWN ... AS_KNOWN_END, KNOWN after each read of a
** list whose lines have a knowledge date), the VM's separate memo of then (a rule's value of
** now never stands for its value of then, within one rule too, and another day starts afresh),
** the lines KNOWN keeps (known on the day itself; a replacement known by then; a chain), the
** contradictions that are an error for the dossier, and the verifier refusing a KNOWN whose
** fields are not a knowledge date. Values worked out by hand in the comments.
*/
#include <criterion/criterion.h>
#include <string.h>
#include "runtime/chunk.h"
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/verify.h"
#include "runtime/vm.h"
#include "prog.h"

static const char *SRC =
    "gegevens Regel sleutel nr bekend op sinds vervangt vervangt_nr {\n"
    "  nr: geheel\n"
    "  loon: geld\n"
    "  sinds: datum\n"
    "  vervangt_nr: optioneel geheel\n"
    "}\n"
    "invoer Dossier {\n"
    "  id: tekst\n"
    "  d1: datum\n"
    "  d2: datum\n"
    "  regels: lijst Regel\n"
    "}\n"
    "regel totaal: geld = som(r.loon voor elke r in regels)\n"
    "regel toen: geld = totaal zoals bekend op d1\n"
    "regel nu_toen_nu: geld = totaal + (totaal zoals bekend op d1) + totaal\n"
    "regel twee_dagen: geld = (totaal zoals bekend op d1) - (totaal zoals bekend op d2)\n"
    "regel aantal_toen: geheel = aantal(elke r in regels) zoals bekend op d1\n";

static int64_t day(const char *s) {
  int64_t d;
  const char *why = NULL;
  cr_assert(date_parse(s, strlen(s), &d, &why), "bad date %s", s);
  return d;
}

/* A line: key nr, wage in cents, known since `since`, replacing line `repl` (0: none). */
static Value line(Prog *p, int64_t nr, int64_t cents, const char *since, int64_t repl) {
  const Chunk *c = p->c;
  uint32_t t = 0;
  while (strcmp(c->schema.records[t].name, "Regel") != 0) t++;
  Record *r = arena_alloc(&p->ar, sizeof(Record) + 4 * sizeof(Value));
  r->type = t;
  r->nfields = 4;
  r->fields[0].i = nr;
  r->fields[1].i = cents;
  r->fields[2].i = day(since);
  List *o = arena_alloc(&p->ar, sizeof *o);   /* optioneel: zero or one values */
  o->elem = (TypeRef){VK_INT, 0, 0};
  o->n = repl ? 1 : 0;
  o->items = arena_alloc(&p->ar, sizeof(Value));
  o->items[0].i = repl;
  r->fields[3].list = o;
  return (Value){.rec = r};
}

static Record *dossier(Prog *p, const Value *lines, uint32_t n) {
  const Chunk *c = p->c;
  Record *in = arena_alloc(&p->ar, sizeof(Record) + 4 * sizeof(Value));
  in->type = (uint32_t)c->schema.input;
  in->nfields = 4;
  in->fields[1].i = day("2022-04-15");
  in->fields[2].i = day("2022-10-15");
  List *l = arena_alloc(&p->ar, sizeof *l);
  l->n = n;
  l->elem = c->schema.records[c->schema.input].fields[3].type;
  l->elem = (TypeRef){VK_RECORD, 0, l->elem.ref};
  l->items = arena_alloc(&p->ar, (n ? n : 1) * sizeof(Value));
  memcpy(l->items, lines, n * sizeof(Value));
  in->fields[3].list = l;
  return in;
}

/* 1: 100,00 known 1-1; 2: 200,00 known 1-1; 3 replaces 2: 250,00 known 1-9; 4 new: 40,00 known 15-4 (the day). */
static Record *standard(Prog *p) {
  Value v[4] = {line(p, 1, 10000, "2022-01-01", 0), line(p, 2, 20000, "2022-01-01", 0),
                line(p, 3, 25000, "2022-09-01", 2), line(p, 4, 4000, "2022-04-15", 0)};
  return dossier(p, v, 4);
}

Test(known, code_shape) {
  Prog p;
  prog_compile(&p, SRC);
  const Proto *toen = &p.c->protos[rule_ix(p.c, "toen")];
  int want[] = {OP_INPUT, OP_AS_KNOWN, OP_RULE, OP_MOVE, OP_AS_KNOWN_END, OP_RET};
  cr_assert_eq(toen->ncode, 6);
  for (uint32_t i = 0; i < 6; i++) cr_assert_eq(toen->code[i].op, want[i], "pc %u: %s", i, op_name[toen->code[i].op]);
  const Proto *tot = &p.c->protos[rule_ix(p.c, "totaal")];
  bool known = false;
  for (uint32_t i = 0; i + 1 < tot->ncode; i++)
    if (tot->code[i].op == OP_INPUT && tot->code[i + 1].op == OP_KNOWN) known = true;
  cr_assert(known, "the list read goes through KNOWN");
  prog_free(&p);
}

Test(known, then_and_now) {
  Prog p;
  prog_compile(&p, SRC);
  Record *in = standard(&p);
  /* now: 2 replaced by 3: 100 + 250 + 40 = 390,00 */
  cr_assert_eq(eval_ok(&p, in, "totaal").i, 39000);
  /* as known on 15-4: 3 not known yet, so 2 stays; 4 is known on the day itself: 100 + 200 + 40 = 340,00 */
  cr_assert_eq(eval_ok(&p, in, "toen").i, 34000);
  cr_assert_eq(eval_ok(&p, in, "aantal_toen").i, 3);
  /* one rule, both views, the now-value loaded before and after: 390 + 340 + 390 = 1.120,00 */
  cr_assert_eq(eval_ok(&p, in, "nu_toen_nu").i, 112000);
  /* two days in one rule: 15-4 gives 340, 15-10 gives 390 (3 known by then): -50,00 */
  cr_assert_eq(eval_ok(&p, in, "twee_dagen").i, -5000);
  prog_free(&p);
}

Test(known, chain_of_corrections) {
  Prog p;
  prog_compile(&p, SRC);
  /* 2 replaced by 3 (known 1-3), 3 replaced by 5 (known 1-9): then 100 + 250 = 350; now 100 + 300 = 400 */
  Value v[4] = {line(&p, 1, 10000, "2022-01-01", 0), line(&p, 2, 20000, "2022-01-01", 0),
                line(&p, 3, 25000, "2022-03-01", 2), line(&p, 5, 30000, "2022-09-01", 3)};
  Record *in = dossier(&p, v, 4);
  cr_assert_eq(eval_ok(&p, in, "toen").i, 35000);
  cr_assert_eq(eval_ok(&p, in, "totaal").i, 40000);
  prog_free(&p);
}

static void expect_error(Prog *p, Record *in, const char *rule, const char *words) {
  Value out;
  VmError e;
  memset(&e, 0, sizeof e);
  VmStatus st = vm_eval_rule(p->vm, in, &p->ar, rule_ix(p->c, rule), &out, &e);
  cr_assert_eq(st, VM_NO_VALUE, "rule %s: %s", rule, e.msg);
  cr_assert(strstr(e.msg, words), "'%s' not in '%s'", words, e.msg);
}

Test(known, contradictions_are_errors) {
  Prog p;
  prog_compile(&p, SRC);
  Value dup[2] = {line(&p, 1, 100, "2022-01-01", 0), line(&p, 1, 200, "2022-01-01", 0)};
  expect_error(&p, dossier(&p, dup, 2), "totaal", "same key '1'");
  Value none[2] = {line(&p, 1, 100, "2022-01-01", 0), line(&p, 2, 200, "2022-01-01", 9)};
  expect_error(&p, dossier(&p, none, 2), "totaal", "replaces '9'");
  Value twice[3] = {line(&p, 1, 100, "2022-01-01", 0), line(&p, 2, 200, "2022-02-01", 1), line(&p, 3, 300, "2022-03-01", 1)};
  expect_error(&p, dossier(&p, twice, 3), "toen", "replaced by two lines known on 2022-04-15");
  /* a replacement not known yet replaces nothing yet: as known on 15-4 line 3 (known 1-9) is out, no error */
  Value later[3] = {line(&p, 1, 100, "2022-01-01", 0), line(&p, 2, 200, "2022-02-01", 1), line(&p, 3, 300, "2022-09-01", 1)};
  cr_assert_eq(eval_ok(&p, dossier(&p, later, 3), "toen").i, 200);
  prog_free(&p);
}

Test(known, verifier_refuses_a_known_without_a_date) {
  Prog p;
  prog_compile(&p, SRC);
  Proto *tot = &p.c->protos[rule_ix(p.c, "totaal")];
  uint32_t pc = 0;
  while (tot->code[pc].op != OP_KNOWN) pc++;
  /* point the knowledge date at field 1, the wage (geld) */
  uint32_t k = tot->code[pc].c;
  int64_t saved = p.c->consts[k].i;
  p.c->consts[k].i = (saved & ~(int64_t)0xFFFF) | 2;
  char msg[256];
  cr_assert_not(verify_chunk(p.c, msg, sizeof msg));
  cr_assert(strstr(msg, "is not a datum"), "%s", msg);
  p.c->consts[k].i = saved;
  cr_assert(verify_chunk(p.c, msg, sizeof msg), "%s", msg);
  prog_free(&p);
}

/* Knowledge fields a record its dossiers already fill can gain: each optioneel. */
static const char *OPT =
    "gegevens Regel sleutel nr bekend op sinds vervangt vervangt_nr {\n"
    "  loon: geld\n"
    "  nr: optioneel tekst\n"
    "  sinds: optioneel datum\n"
    "  vervangt_nr: optioneel tekst\n"
    "}\n"
    "invoer Dossier {\n"
    "  id: tekst\n"
    "  d1: datum\n"
    "  regels: lijst Regel\n"
    "}\n"
    "regel totaal: geld = som(r.loon voor elke r in regels)\n"
    "regel toen: geld = totaal zoals bekend op d1\n";

static Value opt(Prog *p, TypeRef t, bool given, Value v) {
  List *o = arena_alloc(&p->ar, sizeof *o);
  o->elem = t;
  o->n = given ? 1 : 0;
  o->items = arena_alloc(&p->ar, sizeof(Value));
  o->items[0] = v;
  return (Value){.list = o};
}

static Value text(Prog *p, const char *s) {
  Text *t = arena_alloc(&p->ar, sizeof(Text) + strlen(s) + 1);
  t->len = (uint32_t)strlen(s);
  memcpy(t->bytes, s, t->len + 1);
  return (Value){.text = t};
}

/* A line: wage in cents, key (NULL: none), known since (NULL: not given), replacing (NULL: none). */
static Value opt_line(Prog *p, int64_t cents, const char *nr, const char *since, const char *repl) {
  Record *r = arena_alloc(&p->ar, sizeof(Record) + 4 * sizeof(Value));
  r->type = 0;
  while (strcmp(p->c->schema.records[r->type].name, "Regel") != 0) r->type++;
  r->nfields = 4;
  TypeRef tt = {VK_TEXT, 0, 0}, td = {VK_DATE, 0, 0};
  r->fields[0].i = cents;
  r->fields[1] = opt(p, tt, nr != NULL, nr ? text(p, nr) : (Value){0});
  r->fields[2] = opt(p, td, since != NULL, (Value){.i = since ? day(since) : 0});
  r->fields[3] = opt(p, tt, repl != NULL, repl ? text(p, repl) : (Value){0});
  return (Value){.rec = r};
}

Test(known, optional_fields) {
  Prog p;
  prog_compile(&p, OPT);
  Record *in = arena_alloc(&p.ar, sizeof(Record) + 3 * sizeof(Value));
  in->type = (uint32_t)p.c->schema.input;
  in->nfields = 3;
  in->fields[1].i = day("2022-04-15");
  List *l = arena_alloc(&p.ar, sizeof *l);
  Value v[3] = {opt_line(&p, 100, NULL, NULL, NULL), opt_line(&p, 200, "b", "2022-01-01", NULL),
                opt_line(&p, 250, "c", "2022-09-01", "b")};
  l->n = 3;
  l->elem = (TypeRef){VK_RECORD, 0, (uint16_t)v[0].rec->type};
  l->items = v;
  in->fields[2].list = l;
  /* now: no day needed; the line without a key is never replaced: 100 + 250 = 3,50 */
  cr_assert_eq(eval_ok(&p, in, "totaal").i, 350);
  /* as known on 15-4 the first line's day is needed, and not given: an error, not a guess */
  expect_error(&p, in, "toen", "does not give 'sinds'");
  prog_free(&p);
}

/* 100,000 lines, 40,000 of them corrections of the first 40,000: finding keys is n log n (n^2 would not end). */
Test(known, many_lines, .timeout = 60) {
  Prog p;
  prog_compile(&p, SRC);
  uint32_t n = 100000;
  Value *v = arena_alloc(&p.ar, n * sizeof *v);
  for (uint32_t i = 0; i < 60000; i++) v[i] = line(&p, i + 1, 100, "2022-01-01", 0);
  for (uint32_t i = 60000; i < n; i++) v[i] = line(&p, i + 1, 300, "2022-09-01", i - 60000 + 1);
  Record *in = dossier(&p, v, n);
  /* now: 20,000 x 1,00 + 40,000 x 3,00 = 140.000,00; as known on 15-4: 60,000 x 1,00 = 60.000,00 */
  cr_assert_eq(eval_ok(&p, in, "totaal").i, 14000000);
  cr_assert_eq(eval_ok(&p, in, "toen").i, 6000000);
  prog_free(&p);
}
