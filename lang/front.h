/*
** front.h: the one entry point of the front end that tools call:
** rule files (or directories of them) -> diagnostics and, if clean, a
** verified Chunk.
*/
#ifndef DAGLOON_FRONT_H
#define DAGLOON_FRONT_H

#include <stdbool.h>
#include <stdio.h>
#include "ast.h"
#include "diag.h"
#include "lexer.h"
#include "proposal.h"
#include "sandbox.h"
#include "uses.h"
#include "runtime/chunk.h"

typedef struct Front {
  SourceSet src;
  DiagList diags;
  Ast ast;
  Lang *langs;          /* per file */
  char load_error[512]; /* a file could not be read: the message ("" if none) */
  bool coverage;        /* compile COVER instructions (set by dagloon test before compiling) */
  bool trace;           /* compile for explanations (set by dagloon explain): see CG_TRACE */
  const NativeAllow *allow;   /* native libraries the operator allowed: native_allowed() at front_init */
  Sandbox sandbox;      /* where the files its rule files name may be: the trees of the paths compiled */
  bool is_proposal;     /* the rules were a proposal on a base rule set (voorstel op "...") */
  char *base;           /* then: the base's path as loaded */
  Changes changes;      /* then: what the proposal replaces, takes out and adds */
  UseTrail uses;        /* every rule set of the program ('gebruik', a proposal's base), by real path */
  bool keep_program;    /* keep the checker's result in `prog` (the language server asks it about names) */
  struct Program *prog; /* then: the checked Program once checking ran, errors or not (NULL after a parse
                           error); for FRONT_COMPILE its tables and natives have moved into the chunk */
} Front;

/* Where to stop: after parsing (for --ast), after checking, or with a compiled chunk. */
typedef enum FrontStage { FRONT_PARSE, FRONT_CHECK, FRONT_COMPILE } FrontStage;

void front_init(Front *f);

void front_free(Front *f);

/*
** Load `paths` (files, or directories whose *.rules files are taken in name
** order) and run the front end up to `stage`. Returns the chunk for
** FRONT_COMPILE when there are no errors, else NULL. Diagnostics stay in
** f->diags (render with diag_render); an unreadable file sets f->load_error.
*/
Chunk *front_compile(Front *f, const char *const *paths, int npaths, FrontStage stage);

/* The same over text in memory (tests, fuzzing). */
Chunk *front_compile_text(Front *f, const char *name, const char *text, size_t len, FrontStage stage);

#endif
