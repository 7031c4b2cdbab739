/*
** proposal.h: a proposal (an overlay on a base rule set) merged into one
** program before checking. The front end parses the proposal's files and
** then its base's; here the base's declarations that the proposal replaces
** ('vervang regel/uitzondering/tabel') or takes out ('schrap uitzondering')
** are dropped and the proposal's own are added, with an error for every
** replacement that names nothing in the base or changes a type, and for
** every new name the base already has.
*/
#ifndef DAGLOON_PROPOSAL_H
#define DAGLOON_PROPOSAL_H

#include <stdbool.h>
#include <stdint.h>
#include "ast.h"
#include "diag.h"

/* What a proposal changes, for dagloon check --changes. */
typedef enum ChangeKind {
  CHANGE_REPLACED,   /* a rule, exception, table or the output replaced whole */
  CHANGE_REMOVED,    /* an exception taken out */
  CHANGE_ADDED,      /* a new rule, exception or table */
  CHANGE_ROWS,       /* rows of a table replaced or added ('vervang tabel x uit "..."') */
  CHANGE_VERSION     /* a version that takes over a rule from its date ('vervang versie op r ...') */
} ChangeKind;

typedef struct Change {
  ChangeKind kind;
  AstKind what;          /* RULE_DECL, EXCEPTION_DECL, TABLE_DECL, OUTPUT_DECL, ... */
  const char *name;
  const char *label;     /* its human label ('label "..."', the proposal's or else the base's), or NULL */
  Span here;             /* in the proposal (the 'schrap' for a removal) */
  Span base;             /* the base declaration replaced or removed (CHANGE_ADDED: none) */
} Change;

typedef struct Changes {
  Change *v;
  size_t n, cap;
} Changes;

/*
** Decls of files < first_base are the proposal's, the others its base's.
** Rewrites ast->decls into the merged program; returns false after
** reporting errors.
*/
bool proposal_merge(Ast *ast, uint32_t first_base, DiagList *d, Changes *changes);

/* Reports 'vervang' and 'schrap' in files that are not a proposal. Returns false if there were any. */
bool proposal_check_plain(const Ast *ast, DiagList *d);

/* Whether a proposal's own declarations (ast, before the merge) only add: no 'vervang', 'schrap' or
   overlay. Such a proposal may be the base of another (front.c flattens it first). */
bool proposal_adds_only(const Ast *ast);

#endif
