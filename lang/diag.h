/*
** diag.h: diagnostics of the front end. Every message has a level, a span,
** a stable code (E001...), a lower-case text and optional notes; they are
** collected, sorted by position and rendered GCC-style:
**
**   rules/x.rules:12:17: error: unknown name 'sv_loon_bruto' [E012]
**      12 |   = som(sv_loon_bruto) / 261
**         |         ^~~~~~~~~~~~~
**   note: did you mean 'sv_loon'?
**
** Repeated messages are capped: after DIAG_MAX_PER_CODE messages with one
** code (or DIAG_MAX_SHOWN in all) the rest are only counted, and rendering
** ends with one line per code, "E010: and 990 more like this". So a file
** with 1,000 duplicate columns costs 1,000 counts, not 1,000 messages.
*/
#ifndef DAGLOON_DIAG_H
#define DAGLOON_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include "source.h"

enum { DIAG_MAX_PER_CODE = 10, DIAG_MAX_SHOWN = 100 };

typedef enum DiagLevel { DIAG_ERROR = 0, DIAG_WARNING, DIAG_NOTE } DiagLevel;

/*
** A note as data (for check --format json|sarif and the LSP): its text and,
** when it points elsewhere ("the first declaration is at ..."), that place.
*/
typedef struct DiagNote {
  char *text;
  Span at;
  bool has_at;
} DiagNote;

/* A fix the checker knows: replace `span` by `text` ("did you mean 'x'?" -> x). */
typedef struct DiagFix {
  Span span;
  char *text;
} DiagFix;

typedef struct Diag {
  DiagLevel level;
  Span span;
  const char *code;     /* static "E012" */
  char *msg;
  char *notes;          /* zero or more "note: ...\n" lines, or NULL */
  uint32_t seq;         /* order of reporting, for a stable sort */
  bool dropped;         /* past the cap: counted, not kept; notes on it are not even formatted */
  DiagNote *notev;      /* the same notes one by one, with their places */
  size_t nnotes, capnotes;
  DiagFix *fixes;
  size_t nfixes, capfixes;
} Diag;

typedef struct DiagList {
  const SourceSet *src;
  Diag *items;
  size_t n, cap;
  int nerrors, nwarnings;          /* every message reported, kept or not */
  Diag dropped;                    /* what diag_report returns past the cap */
  uint32_t kept[2][1000], more[2][1000];   /* per code (E/W and its number): kept, and counted only */
} DiagList;

void diag_init(DiagList *d, const SourceSet *src);
void diag_free(DiagList *d);

/*
** Report; returns the new diagnostic so a note can be attached. Past the cap
** it returns a dropped one (dg->dropped): a caller that does real work for a
** note (suggestions over every name) checks that first.
*/
Diag *diag_report(DiagList *d, DiagLevel lvl, Span span, const char *code, const char *fmt, ...)
  __attribute__((format(printf, 5, 6)));
void diag_note(Diag *dg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A note about another place (`at`): the text says where for the terminal, `at` says it for tools. */
void diag_note_at(Diag *dg, Span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A fix: replacing `span` by `text` repairs the message (the text form shows it as a note already). */
void diag_fix(Diag *dg, Span span, const char *text);
/*
** "did you mean 'best'?" as a note, and as a fix when the message's span is
** exactly the mistyped `name` (so replacing the span by `best` is the repair).
*/
void diag_suggest(const DiagList *d, Diag *dg, const char *name, size_t len, const char *best);

#define diag_error(d, span, code, ...) diag_report((d), DIAG_ERROR, (span), (code), __VA_ARGS__)
#define diag_warn(d, span, code, ...) diag_report((d), DIAG_WARNING, (span), (code), __VA_ARGS__)

/* Sort by file and position (stable), as diag_render prints them: for renderers of their own (check --format json). */
void diag_sort(DiagList *d);

/* Sort by file and position (stable) and print them, then one "CODE: and N more like this" per capped code. */
void diag_render(DiagList *d, FILE *out);

/* Render one located message (used for run-time errors too). */
void diag_render_one(const SourceSet *src, const char *level, Span span, const char *msg,
                     const char *code, const char *notes, FILE *out);

#endif
