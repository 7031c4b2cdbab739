/*
** compare_eval.h: compare's dossiers on the pool (tools/api/pool.h, `compare --threads N`) -- each
** dossier through both rule sets on a worker's two VMs: its row's bytes (CSV or JSON Lines) and
** what the summary and the error rows need of it, which tools/compare.c takes in input order.
*/
#ifndef DAGLOON_COMPARE_EVAL_H
#define DAGLOON_COMPARE_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "runtime/chunk.h"
#include "runtime/vm.h"
#include "tools/api/pool.h"
#include "tools/compare_budget.h"

/* A compared column: its index in each chunk's outputs and its type. */
typedef struct CompareColumn {
  const char *name;
  int base, prop;
  TypeRef type;
} CompareColumn;

/* What every worker reads; not changed while the pool runs. */
typedef struct CompareSetup {
  const Chunk *cb, *cp;
  const CompareColumn *cols;
  size_t ncols;
  int value, decile;        /* indexes in cols: the column the summary is about, the deciles' column */
  int by, weight;           /* fields of the invoer (--by, --weight), or -1 */
  const Budget *budget;     /* the declared benefit's columns (budget effect; its rows' columns when shown) */
  VmLimits limits;          /* per side of a dossier; 0s: the VM's defaults */
  bool rows, jsonl;         /* per-dossier rows wanted (-o), as JSON Lines */
  bool mark_unverified, csv_safe;
} CompareSetup;

/* What one dossier gave (in its batch's arena). */
typedef struct CompareResult {
  bool ok;                  /* both sides computed and the value column summarises exactly */
  int64_t diff;             /* proposal - base of the value column, in summary units (cents, the number) */
  int64_t base_units, prop_units;   /* the value column's two sides in those units */
  int64_t decile_base;      /* the base value of the deciles column, in its units */
  BenefitPaid paid_base, paid_prop;     /* what each side pays (zeros without a shown budget) */
  Dec weight;               /* --weight's field, else 1 */
  const char *group;        /* its --by value ("" without --by) */
  bool unverified_base, unverified_prop;   /* a side used a table row marked 'unverified' */
  const char *reason;       /* not ok: as in the rows' fout column */
  const char *rule, *where; /* not ok: the failing rule and its place ("" when no rule failed) */
} CompareResult;

/* A worker's state: a VM per side and their outputs. */
typedef struct CompareWorker CompareWorker;
CompareWorker *compare_worker_new(const CompareSetup *s);
void compare_worker_free(CompareWorker *w);

/* The pool's evaluate (pool.h): every item's CompareResult in item->result, the rows in *bytes. */
void compare_evaluate(const CompareSetup *s, CompareWorker *w, PoolItem *items, size_t n, Arena *arena,
                      const char **bytes, size_t *len);

/* The row header's columns of the budget (X_per_jaar_basis, ..., with the cohort X_eerste_N_jaar_...):
   nothing when the budget is not shown. */
void compare_budget_header(const Budget *b, FILE *rows);

/* The summary's units of a value: cents for geld, the number for geheel, hundredths for getal (false: not exact). */
bool compare_units(TypeRef t, Value v, int64_t *out);

/* A value as its cell ("?" when it cannot be formatted). */
void compare_format(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap);

#endif
