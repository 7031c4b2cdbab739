/*
** compare_eval.c: one dossier of `dagloon compare` through both rule sets on a worker
** (compare_eval.h). Everything that depends on the dossier alone is done here, on the worker: both
** evaluations, the row's text, the summary units, the group and the weight; what depends on the
** dossiers before it (the summary's sums, the id pool, the groups' order) is left to the calling
** thread, which takes the results in input order -- so the bytes are the same for any --threads.
*/
#define _XOPEN_SOURCE 700
#include "tools/compare_eval.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/recio.h"
#include "tools/report_format.h"
#include "tools/unverified.h"

struct CompareWorker {
  Vm *vb, *vp;
  Value *ob, *op;
  char *text;               /* the last batch's rows */
  size_t ntext;
};

CompareWorker *compare_worker_new(const CompareSetup *s) {
  CompareWorker *w = xcalloc(1, sizeof *w);
  w->vb = vm_new(s->cb);
  w->vp = vm_new(s->cp);
  vm_set_limits(w->vb, s->limits);
  vm_set_limits(w->vp, s->limits);
  vm_mark_unverified(w->vb, s->mark_unverified);
  vm_mark_unverified(w->vp, s->mark_unverified);
  w->ob = xcalloc(s->cb->noutputs + 1, sizeof *w->ob);
  w->op = xcalloc(s->cp->noutputs + 1, sizeof *w->op);
  return w;
}

void compare_worker_free(CompareWorker *w) {
  if (!w) return;
  free(w->text);
  xfree(w->ob);
  xfree(w->op);
  vm_free(w->vb);
  vm_free(w->vp);
  xfree(w);
}

bool compare_units(TypeRef t, Value v, int64_t *out) {
  if (t.kind != VK_DEC) {
    *out = v.i;
    return true;
  }
  Dec h;
  if (dec_mul(v.dec, dec_from_int(100), &h) != NUM_OK || h.den != 1) return false;
  *out = h.num;
  return true;
}

void compare_format(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap) {
  if (value_format(&c->schema, t, v, buf, cap) < 0) snprintf(buf, cap, "?");
}

/*
** The group of a dossier for --by: the field's value; "niet gegeven" for an
** optioneel field left out; for a datum, its decade ("1960-1969"), so that
** birth dates make age groups rather than one group per day.
*/
static void group_key(const Chunk *c, const FieldDesc *fd, Value v, char *buf, size_t cap) {
  TypeRef t = fd->type;
  if (fd->optional) {
    if (!v.list || v.list->n == 0) {
      snprintf(buf, cap, "niet gegeven");
      return;
    }
    t = v.list->elem;
    v = v.list->items[0];
  }
  if (t.kind == VK_DATE) {
    char d[16];
    date_format(v.i, d);
    int y = atoi(d);
    snprintf(buf, cap, "%d-%d", y - y % 10, y - y % 10 + 9);
    return;
  }
  compare_format(c, t, v, buf, cap);
}

/* {"basis": [...], "voorstel": [...]}: the unverified rows each side used, for a JSON Lines row. */
static json_t *unverified_sides(const Chunk *cb, const Vm *vb, const Chunk *cp, const Vm *vp, Arena *a) {
  json_t *o = json_object();
  const struct { const char *side; const Chunk *c; const Vm *vm; } sides[] = {{"basis", cb, vb}, {"voorstel", cp, vp}};
  for (size_t k = 0; k < 2; k++) {
    List *l = unverified_value(sides[k].c, sides[k].vm, FMT_JSONL, a).list;
    json_t *names = json_array();
    for (uint32_t i = 0; i < l->n; i++) json_array_append_new(names, json_stringn(l->items[i].text->bytes, l->items[i].text->len));
    json_object_set_new(o, sides[k].side, names);
  }
  return o;
}

/* Column k's three cells (base, proposal, difference); empty when the dossier has no values. */
static void cells(const CompareSetup *s, const CompareWorker *w, size_t k, bool ok, const int64_t *diffs, bool jsonl,
                  char *b1, char *b2, char *b3, size_t cap) {
  const CompareColumn *col = &s->cols[k];
  b1[0] = b2[0] = b3[0] = '\0';
  if (!ok) return;
  compare_format(s->cb, col->type, w->ob[col->base], b1, cap);
  compare_format(s->cp, col->type, w->op[col->prop], b2, cap);
  if (col->type.kind == VK_DEC) {
    Dec dd;
    if (dec_sub(w->op[col->prop].dec, w->ob[col->base].dec, &dd) == NUM_OK) dec_format(dd, b3, cap);
    else if (jsonl) snprintf(b3, cap, "overflow");
  } else {
    compare_format(s->cb, col->type, (Value){.i = diffs[k]}, b3, cap);
  }
}

/* What each side pays the dossier (geld: cents; geheel: the number), from the declared columns. */
static void benefit_paid(const Budget *b, const CompareWorker *w, BenefitPaid *pb, BenefitPaid *pp) {
  if (!b->shown) return;
  *pb = (BenefitPaid){w->ob[b->base_out].i, b->base_dur >= 0 ? w->ob[b->base_dur].i : 0,
                      b->base_then >= 0 ? w->ob[b->base_then].i : 0};
  *pp = (BenefitPaid){w->op[b->prop_out].i, b->prop_dur >= 0 ? w->op[b->prop_dur].i : 0,
                      b->prop_then >= 0 ? w->op[b->prop_then].i : 0};
}

/*
** The budget's cells of a row (only when the budget is shown, so rows without a declaration keep their
** bytes): per year (structural) and, with the cohort, over its years -- base, proposal, difference,
** in euros; empty for an error row or an amount that overflows.
*/
static void budget_cells(const Budget *b, bool ok, const BenefitPaid *pb, const BenefitPaid *pp, bool cohort,
                         char cells3[3][64]) {
  int64_t x[2] = {0, 0}, d = 0;
  bool fits = ok;
  for (int k = 0; fits && k < 2; k++) {
    BenefitPaid p = k ? *pp : *pb;
    fits = cohort ? budget_paid_cohort(b, p, &x[k])
                  : !__builtin_mul_overflow(p.cents, (int64_t)(b->period == BENEFIT_MONTH ? 12 : 1), &x[k]);
  }
  if (fits) fits = !__builtin_sub_overflow(x[1], x[0], &d);
  int64_t v[3] = {x[0], x[1], d};
  for (int k = 0; k < 3; k++) {
    cells3[k][0] = '\0';
    if (fits) money_format(v[k], cells3[k], sizeof cells3[k]);
  }
}

/* The names of the budget's row columns, in write_row's order (budget_header in compare.c). */
static const char *const budget_sides[3] = {"basis", "voorstel", "verschil"};

void compare_budget_header(const Budget *b, FILE *rows) {
  if (!b->shown) return;
  for (int k = 0; k < 3; k++) fprintf(rows, ",%s_per_jaar_%s", b->column, budget_sides[k]);
  for (int k = 0; b->cohort && k < 3; k++) fprintf(rows, ",%s_eerste_%d_jaar_%s", b->column, b->years, budget_sides[k]);
}

/* The dossier's row, as CSV or as a line of JSON Lines. */
static void write_row(const CompareSetup *s, CompareWorker *w, const PoolItem *it, bool ok, const char *outcome,
                      const int64_t *diffs, const char *reason, const BenefitPaid *pb, const BenefitPaid *pp,
                      Arena *arena, FILE *rows) {
  char b1[128], b2[128], b3[128], year[3][64], cohort[3][64];
  const Budget *bg = s->budget;
  if (bg->shown) budget_cells(bg, ok, pb, pp, false, year);
  if (bg->cohort) budget_cells(bg, ok, pb, pp, true, cohort);
  if (s->jsonl) {
    json_t *r = json_object();
    json_object_set_new(r, "id", json_string(it->id));
    json_object_set_new(r, "uitkomst", json_string(outcome));
    for (size_t k = 0; ok && k < s->ncols; k++) {
      cells(s, w, k, ok, diffs, true, b1, b2, b3, sizeof b1);
      json_t *c3 = json_object();
      json_object_set_new(c3, "basis", json_string(b1));
      json_object_set_new(c3, "voorstel", json_string(b2));
      json_object_set_new(c3, "verschil", json_string(b3));
      json_object_set_new(r, s->cols[k].name, c3);
    }
    for (int c = 0; ok && bg->shown && c < (bg->cohort ? 2 : 1); c++) {
      char name[300];
      if (c) snprintf(name, sizeof name, "%s_eerste_%d_jaar", bg->column, bg->years);
      else snprintf(name, sizeof name, "%s_per_jaar", bg->column);
      json_t *c3 = json_object();
      for (int k = 0; k < 3; k++) json_object_set_new(c3, budget_sides[k], json_string(c ? cohort[k] : year[k]));
      json_object_set_new(r, name, c3);
    }
    if (!ok) json_object_set_new(r, "fout", json_string(reason));
    if (s->mark_unverified && ok) json_object_set_new(r, UNVERIFIED_COLUMN, unverified_sides(s->cb, w->vb, s->cp, w->vp, arena));
    char *line = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fprintf(rows, "%s\n", line);
    free(line);
    json_decref(r);
    return;
  }
  summary_csv_text(rows, it->id, s->csv_safe);
  fprintf(rows, ",%s", outcome);
  for (size_t k = 0; k < s->ncols; k++) {
    cells(s, w, k, ok, diffs, false, b1, b2, b3, sizeof b1);
    fprintf(rows, ",%s,%s,%s", b1, b2, b3);
  }
  if (bg->shown) fprintf(rows, ",%s,%s,%s", year[0], year[1], year[2]);
  if (bg->cohort) fprintf(rows, ",%s,%s,%s", cohort[0], cohort[1], cohort[2]);
  fputc(',', rows);
  summary_csv_text(rows, reason, s->csv_safe);
  if (s->mark_unverified) {   /* empty for an error row, like the values */
    fprintf(rows, ",%s", ok ? unverified_text(s->cb, w->vb, arena) : "");
    fprintf(rows, ",%s", ok ? unverified_text(s->cp, w->vp, arena) : "");
  }
  fputc('\n', rows);
}

static const char *keep_text(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

/* One dossier: both sides, its row to `rows` (or none), its result into it->result. */
static void compare_one(const CompareSetup *s, CompareWorker *w, PoolItem *it, Arena *arena, FILE *rows) {
  const Chunk *cb = s->cb, *cp = s->cp;
  const RecordType *irt = &cb->schema.records[cb->schema.input];
  ArenaMark before = arena_mark(arena);
  VmError eb, ep;
  char reason[600] = "";
  bool okb = false, okp = false;
  if (!it->rec) {
    snprintf(reason, sizeof reason, "invoer: %s%s%s", it->field && *it->field ? it->field : "",
             it->field && *it->field ? ": " : "", it->reason);
  } else {
    okb = vm_run(w->vb, it->rec, arena, w->ob, &eb) == VM_OK;
    okp = vm_run(w->vp, it->rec, arena, w->op, &ep) == VM_OK;
    if (!okb) snprintf(reason, sizeof reason, "basis: %s", eb.msg);
    else if (!okp) snprintf(reason, sizeof reason, "voorstel: %s", ep.msg);
  }
  Dec weight = dec_from_int(1);
  if (it->rec && s->weight >= 0) {
    Value wv = it->rec->fields[s->weight];
    weight = irt->fields[s->weight].type.kind == VK_INT ? dec_from_int(wv.i) : wv.dec;
  }
  bool ok = okb && okp;
  int64_t diffs[64] = {0};
  bool diff_ok = true;
  for (size_t k = 0; ok && k < s->ncols && k < 64; k++) {
    const CompareColumn *col = &s->cols[k];
    if (col->type.kind == VK_DEC) continue;
    if (__builtin_sub_overflow(w->op[col->prop].i, w->ob[col->base].i, &diffs[k])) diff_ok = false;
  }
  if (ok && !diff_ok) {
    ok = false;
    snprintf(reason, sizeof reason, "the difference overflows");
  }
  const CompareColumn *vc = &s->cols[s->value], *dc = &s->cols[s->decile];
  int64_t ub = 0, up = 0, vd = 0, db = 0;   /* the value and deciles columns in summary units */
  if (ok && !(compare_units(vc->type, w->ob[vc->base], &ub) && compare_units(vc->type, w->op[vc->prop], &up) &&
              !__builtin_sub_overflow(up, ub, &vd) && compare_units(dc->type, w->ob[dc->base], &db))) {
    ok = false;
    snprintf(reason, sizeof reason, "'%s' has more than two decimals or overflows: not summarised exactly", vc->name);
  }
  const char *outcome = !ok ? "fout" : vd > 0 ? "beter" : vd < 0 ? "slechter" : "gelijk";
  BenefitPaid pb = {0, 0, 0}, pp = {0, 0, 0};
  if (ok) benefit_paid(s->budget, w, &pb, &pp);
  if (rows) write_row(s, w, it, ok, outcome, diffs, reason, &pb, &pp, arena, rows);
  char group[256] = "", where[600] = "";
  if (ok && s->by >= 0) group_key(cb, &irt->fields[s->by], it->rec->fields[s->by], group, sizeof group);
  const Chunk *failed = !it->rec || ok ? NULL : !okb ? cb : !okp ? cp : NULL;   /* NULL: no rule failed */
  const VmError *ve = !okb ? &eb : &ep;
  if (failed) chunk_location(failed, ve->span, where, sizeof where);
  bool unv_b = ok && vm_unverified_lookups(w->vb), unv_p = ok && vm_unverified_lookups(w->vp);
  arena_release(arena, before);   /* what the rules built can go; the record stays */
  CompareResult *r = arena_alloc(arena, sizeof *r);
  *r = (CompareResult){ok, vd, ub, up, db, pb, pp, weight, keep_text(arena, group), unv_b, unv_p, keep_text(arena, reason),
                       failed ? failed->protos[ve->proto].name : "", keep_text(arena, where)};
  it->result = r;
}

void compare_evaluate(const CompareSetup *s, CompareWorker *w, PoolItem *items, size_t n, Arena *arena,
                      const char **bytes, size_t *len) {
  free(w->text);
  w->text = NULL;
  w->ntext = 0;
  FILE *rows = s->rows ? open_memstream(&w->text, &w->ntext) : NULL;
  if (s->rows && !rows) {   /* memory streams fail only for want of memory */
    fprintf(stderr, "dagloon: out of memory (a batch's rows); the command stopped, its outputs are incomplete\n");
    exit(MEM_EXIT_STATUS);
  }
  for (size_t k = 0; k < n; k++) compare_one(s, w, &items[k], arena, rows);
  if (rows && fclose(rows) != 0) {
    fprintf(stderr, "dagloon: out of memory (a batch's rows); the command stopped, its outputs are incomplete\n");
    exit(MEM_EXIT_STATUS);
  }
  *bytes = w->text;
  *len = w->ntext;
}
