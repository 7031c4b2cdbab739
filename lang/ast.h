/*
** ast.h: the abstract syntax tree. One node struct for all kinds (the kind
** says which fields are used; see ast_kinds.def). Nodes live in the
** front end's arena and are never freed one by one. The checker writes its
** findings (type, resolved reference) into the nodes; the compiler reads
** them.
*/
#ifndef DAGLOON_AST_H
#define DAGLOON_AST_H

#include <stdint.h>
#include <stdio.h>
#include "runtime/chunk.h"
#include "runtime/mem.h"
#include "runtime/value.h"

/* The type of an expression that already had an error: silences follow-on errors. */
#define TY_ERROR VK__COUNT
/* The type of fout("..."): it never gives a value, so it fits wherever a value is expected. */
#define TY_NEVER (VK__COUNT + 1)

typedef enum AstKind {
#define AST(k, s) AST_##k,
#include "ast_kinds.def"
#undef AST
  AST__COUNT
} AstKind;

typedef struct AstNode AstNode;

typedef struct AstList {
  AstNode **items;
  uint32_t n, cap;
} AstList;

/* What a NAME (or MEMBER) was resolved to by the checker. */
typedef enum RefKind {
  REF_NONE = 0,
  REF_RULE,        /* ref = rule index */
  REF_INPUT,       /* ref = input field index */
  REF_LOCAL,       /* ref = aggregate variable (the AGG node is in `bind`) */
  REF_ENUM_MEMBER, /* type.ref = enum, ref = ordinal */
  REF_FIELD,       /* MEMBER: ref = field index */
  REF_PARAM        /* a parameter of the rule being checked: ref = its index */
} RefKind;

/* Fields are ordered by size (pointers, lists, numbers, then the small ones) so no padding is
   wasted: a 50 MB rule file makes millions of nodes. */
struct AstNode {
  const char *name;   /* NUL-terminated, arena */
  const char *str;    /* TEXT value, SOURCE title, CITE detail, AGG variable */
  const char *str2;   /* SOURCE_DECL: BWB id */
  AstNode *a, *b, *c;
  AstNode *native;    /* RULE_DECL of a native function ('extern regel'): NATIVE, else NULL */
  AstNode *bind;      /* checker, REF_LOCAL: the AGG node that binds the name */
  AstNode *label;     /* RULE_DECL, EXCEPTION_DECL, FIELD_DECL, choice NAME: LABEL (its human label) or NULL; elsewhere a label
                         written where none belongs (the checker reports it) */
  AstList list;
  AstList extra;      /* RULE_DECL: versions; EXCEPTION_DECL: compatible exceptions */
  AstList params;     /* RULE_DECL: FIELD_DECL parameters */
  int64_t ival;
  Dec dval;
  Span span;          /* the whole construct */
  Span nspan;         /* the name (decls, NAME, MEMBER field, CALL callee) */
  AstKind kind;
  int op;             /* BINARY/UNARY operator token */
  uint32_t depth;     /* height of the subtree, bounded so no later pass can overflow the C stack */
  /* filled in by the checker */
  TypeRef type;       /* static type; kind TY_ERROR after an error */
  int32_t ref;
  int32_t reg;        /* compiler: register of an AGG's loop variable */
  uint8_t refkind;    /* RefKind */
  uint8_t replaces;   /* RULE/EXCEPTION/TABLE_DECL written 'vervang ...' in a proposal */
};

/* The deepest expression the front end accepts (later passes recurse over it). */
#define AST_MAX_DEPTH 1000

typedef struct Ast {
  Arena arena;
  AstList decls;      /* all top-level declarations, every file */
} Ast;

AstNode *ast_new(Arena *a, AstKind kind, Span span);
void ast_push(Arena *a, AstList *l, AstNode *n);   /* the list's array lives in the arena */
Span span_join(Span a, Span b);          /* from the start of a to the end of b (same file) */
const char *ast_kind_name(AstKind k);

/* Print a tree (for golden tests and --ast): one node per line, indented. */
void ast_dump(const AstNode *n, int depth, FILE *out);

#endif
