/*
** xref.h: every declaration of a checked rule set and every place that
** names one, with its span: the index the language queries (features.h)
** answer from. Built once per Analysis from the checker's Program (the
** checker wrote what each NAME, MEMBER and CALL resolved to into the node).
*/
#ifndef DAGLOON_LSP_XREF_H
#define DAGLOON_LSP_XREF_H

#include <stdbool.h>
#include <stdint.h>
#include "lang/check.h"

typedef enum XKind {
  XS_RULE,        /* a = rule index */
  XS_FIELD,       /* a = record index, b = field index (the invoer's fields: a == schema.input) */
  XS_RECORD,      /* a gegevens or invoer type: a = record index */
  XS_ENUM,        /* a = enum index */
  XS_MEMBER,      /* a = enum index, b = ordinal */
  XS_TABLE,       /* a = table index */
  XS_SOURCE,      /* a = source index */
  XS_EXCEPTION,   /* a = exception index */
  XS_PARAM,       /* a = rule index, b = parameter index */
  XS_LOCAL        /* the variable of an aggregation: node = the AGG */
} XKind;

typedef struct XSym {
  XKind kind;
  int32_t a, b;
  const char *name;
  const AstNode *decl;   /* the declaring node (FIELD_DECL, NAME of a choice, AGG, ...) */
  Span at;               /* the declared name */
} XSym;

typedef struct XOcc {
  Span span;             /* the name as written here */
  uint32_t sym;
  bool decl;             /* this is the declaration itself */
  const AstNode *node;   /* a table's CALL (its argument picks a row), a source's CITE, else NULL */
} XOcc;

typedef struct Xref {
  const Program *prog;
  XSym *syms;
  uint32_t nsyms, capsyms;
  XOcc *occs;            /* sorted by file and offset */
  uint32_t noccs, capoccs;
  uint32_t *rule_sym, *table_sym, *source_sym, *exc_sym, *record_sym, *enum_sym;
  uint32_t *field_base, *member_base, *param_base;   /* per record / enum / rule: the sym of its first field, member, parameter */
  uint32_t *use_first, *use_occ;   /* the occurrences of sym i: use_occ[use_first[i] .. use_first[i+1]), in file order */
} Xref;

/* Index the program (may be NULL: an empty index). */
void xref_build(Xref *x, const Program *p);
void xref_free(Xref *x);

/* The occurrence whose span holds byte `off` of file `file` (its end included, for a cursor just past a name), or NULL. */
const XOcc *xref_at(const Xref *x, uint32_t file, uint32_t off);

/* The occurrences of symbol `sym` in file order, as indexes into x->occs; *n set. */
const uint32_t *xref_uses(const Xref *x, uint32_t sym, uint32_t *n);

/* The sym of a rule / record field / table by name, or -1. */
int32_t xref_find(const Xref *x, XKind kind, const char *name);

#endif
