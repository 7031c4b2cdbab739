/*
** explain_tree.h: the trace of one dossier as a tree (shared by the text,
** JSON and HTML explanations): rule evaluations with what they were made
** from, repeated facts merged, and the words and numbers that describe
** each step.
*/
#ifndef DAGLOON_EXPLAIN_TREE_H
#define DAGLOON_EXPLAIN_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include "runtime/chunk.h"
#include "runtime/num.h"
#include "runtime/trace.h"
#include "tools/explain.h"

typedef enum NodeKind {
  N_RULE, N_USE, N_INPUT, N_ROW, N_ROUND, N_REVISE, N_STEP, N_VERSION, N_EXCEPTION, N_NO_EXCEPTION,
  N_AS_KNOWN,         /* 'zoals bekend op': what was evaluated with the facts as known on that day, below it */
  N_LEFT_OUT          /* a line of a list left out: known later, or replaced */
} NodeKind;

typedef struct Node {
  NodeKind kind;
  size_t ev;          /* the event it shows (N_RULE: its TRACE_RULE) */
  size_t end;         /* N_RULE: its TRACE_VALUE, or SIZE_MAX when the rule did not finish (an error) */
  uint32_t times;     /* merged repeats */
  bool shown_before;  /* N_RULE: the same call with the same explanation is shown earlier: say so, not again */
  size_t *kids;
  size_t nkids, capkids;
} Node;

typedef struct Tree {
  const Chunk *c;
  const Trace *t;
  Node *nodes;
  size_t n, cap;
  size_t *match;      /* match[i]: for a TRACE_RULE at i, its TRACE_VALUE, or SIZE_MAX */
  size_t *first;      /* first[r]: the TRACE_RULE of rule r's first evaluation, or SIZE_MAX */
  size_t *first_then; /* the same inside 'zoals bekend op' (values of then are their own) */
  char **shown;       /* the signatures of the calls shown so far (tree_merge_repeats) */
  size_t nshown, capshown;
} Tree;

/* The nesting of the trace (match, first); then tree_build_rule for each rule to show. */
void tree_init(Tree *tr, const Chunk *c, const Trace *t);
void tree_free(Tree *tr);

/* The node of the rule evaluation that starts at event `ev`, with everything inside it. */
size_t tree_build_rule(Tree *tr, size_t ev);

/*
** For one column on its own (explain --column): a rule it uses whose value was
** computed earlier, for another column, is explained here in full (once)
** instead of "zie boven" pointing at nothing.
*/
void tree_expand_outside_uses(Tree *tr, size_t root);

/* Identical calls under one rule shown once with a count; calls explained earlier marked shown_before. */
void tree_merge_repeats(Tree *tr, const ExplainRun *run, size_t id);

/* One line of the text explanation for a node (also the key by which repeats are found). */
void ex_node_line(const Tree *tr, const ExplainRun *run, const Node *nd, char *buf, size_t cap);

extern const char *const ex_method_word[ROUND__COUNT];   /* "rekenkundig", ... */
void ex_value(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap);   /* machine form; records with fields */
void ex_exact(Dec x, char *buf, size_t cap);              /* all digits, or ten and an ellipsis */
void ex_unit(const TraceEvent *e, char *buf, size_t cap);  /* "cent", "euro", "2 decimalen", ... */
void ex_date(int64_t day, char *buf);                      /* YYYY-MM-DD */
const TableRow *ex_row(const Chunk *c, const TraceEvent *e);
void ex_row_key(const Chunk *c, const Table *t, const TableRow *row, char *buf, size_t cap);
void ex_args(const Tree *tr, const TraceEvent *e, char *buf, size_t cap);   /* "(a, b)" of a call */
void ex_location(const Chunk *c, Span s, char *buf, size_t cap);            /* file:line:col */
/*
** What an input read (TRACE_INPUT) read: the field, or -- when the code goes on
** into fields of that record, as a used rule set's rules read their facts
** (dossier.eerste_rechtdag) -- the path, with the type and value at its end.
*/
void ex_input_read(const Chunk *c, const TraceEvent *e, char *name, size_t cap, TypeRef *type, Value *v);

/* Why a line was left out (TRACE_LEFT_OUT), in words: "bekend sinds 2022-09-01, na 2022-04-15". */
void ex_left_out_reason(const TraceEvent *e, char *buf, size_t cap);

/* The HTML page (explain_html.c); roots[k] is output k's tree, or SIZE_MAX. */
void explain_html(const Tree *tr, const ExplainRun *run, const size_t *roots, FILE *f);

#endif
