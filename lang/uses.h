/*
** uses.h: rule sets that use rule sets ('gebruik "../wia" als wia met dossier').
** The front end loads a used set whole (its own proposal base and the sets
** it uses included) into the same program; here its declarations move into
** its namespace ('dagloon' becomes 'wia.dagloon', its invoer the record type
** 'wia.Dossier', and every fact it reads from its invoer is read from the
** using set's field: 'loon' becomes 'dossier.loon'), and the using set's
** 'wia.dagloon' is resolved to that name. After this the checker sees one
** flat program: one chunk, one explanation, one coverage count.
**
** The trail records every rule set of the program by its real path, so a
** set that uses itself (a cycle) and a set that enters the program twice (a
** conflict) are diagnostics that point at both places.
*/
#ifndef DAGLOON_USES_H
#define DAGLOON_USES_H

#include <stdbool.h>
#include "ast.h"
#include "diag.h"

typedef struct UsedSet {
  char *real;        /* the real path of the folder or file */
  Span at;           /* the 'gebruik' or 'voorstel op' that brought it in (len 0: named on the command line) */
  bool open;         /* still loading: a use of it now closes a cycle */
  bool base;         /* brought in as a proposal's base */
} UsedSet;

typedef struct UseTrail {
  UsedSet *v;
  size_t n, cap;
} UseTrail;

/*
** Enter the set at `path` (at: where it is named; `base`: by 'voorstel op').
** Returns its index, or -1 after reporting a cycle (E086) or a second use
** (E087) with both places.
*/
int uses_enter(UseTrail *t, const SourceSet *src, DiagList *d, const char *path, Span at, bool base);
void uses_leave(UseTrail *t, int i);
void uses_free(UseTrail *t);

/*
** The used set's declarations `used` move into the namespace of `use` (an
** AST_USE of the using set); its invoer becomes a record, its uitvoer goes.
** `using` are the using set's declarations (for the field 'met' names).
** Appends the renamed declarations to `using`. False after errors (E088).
*/
bool uses_namespace(Ast *ast, AstNode *use, AstList *used, AstList *using, DiagList *d);

/*
** 'wia.dagloon' in the declarations of files [from, to) of `decls`: each
** alias (an AST_USE in decls) before a '.' becomes part of the name. Also
** reports aliases used twice or named like a rule, table or field (E089),
** and, unless the set is a `proposal`, an exception on a used rule (E076).
*/
bool uses_resolve(Ast *ast, AstList *decls, uint32_t from, uint32_t to, bool proposal, DiagList *d);

#endif
