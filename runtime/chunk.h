/*
** chunk.h: a compiled rule set -- the interface between the compiler
** (lang/compile.c) and the VM. A Chunk holds one Proto per rule, the
** constant pool, the schema of the dossier, the output columns, and the
** source files (so run-time errors and the disassembler can point at a
** line and column without the front end).
**
** Everything in a Chunk is owned by it and freed by chunk_free.
*/
#ifndef DAGLOON_CHUNK_H
#define DAGLOON_CHUNK_H

#include <stdint.h>
#include <stdio.h>
#include "opcodes.h"
#include "schema.h"
#include "native.h"
#include "table.h"
#include "value.h"

/* A byte range in one source file: the unit of every location. */
typedef struct Span {
  uint32_t file;    /* index into Chunk.files (or the front end's file list) */
  uint32_t off;     /* byte offset */
  uint32_t len;     /* bytes */
} Span;

/* One compiled rule: straight-line register code ending in RET. */
typedef struct Proto {
  char *name;           /* rule name as written */
  char *source;         /* its 'bron' citation as text, "" if none */
  char *label;          /* its human label ('label "..."'), or NULL */
  Span span;            /* the rule's name in its declaration */
  TypeRef result;       /* type of the value it returns */
  uint32_t ncode;
  Instr *code;
  Span *spans;          /* spans[pc]: source of instruction pc */
  uint16_t nregs;
  TypeRef *regtypes;    /* regtypes[r]: the one type register r holds */
  uint16_t nparams;     /* parameters arrive in registers 0 .. nparams-1 (CALL); 0 for a rule of the dossier (RULE) */
} Proto;

typedef enum OutputFrom { OUT_RULE = 0, OUT_INPUT } OutputFrom;

/* The period of the benefit a rule set declares ('uitkering X per maand'): compare's budget effect
   is the difference in it x 12 (a month) or x 1 (a year). */
typedef enum BenefitPeriod { BENEFIT_NONE = 0, BENEFIT_MONTH = 1, BENEFIT_YEAR = 2 } BenefitPeriod;
#define BENEFIT_NO_COLUMN UINT32_MAX   /* benefit_duration, benefit_then: not declared */

/* One output column: a rule's value or a scalar input field. */
typedef struct OutputDesc {
  char *name;
  uint8_t from;         /* OutputFrom */
  uint32_t index;       /* rule index or input field index */
  TypeRef type;
} OutputDesc;

/*
** A place the compiler marked so a test suite can see it was reached and
** an explanation can say what was chosen (COVER). COVER_INLINED: a rule
** with parameters compiled into its caller was evaluated (counts for
** `rule`). COVER_EXCEPTION_NOT: an exception whose condition was false
** (only in code compiled for explanations).
*/
typedef enum CoverKind { COVER_VERSION = 0, COVER_EXCEPTION = 1, COVER_INLINED = 2, COVER_EXCEPTION_NOT = 3 } CoverKind;

typedef struct CoverPoint {
  uint8_t kind;         /* CoverKind */
  int32_t reg;          /* COVER_VERSION: the register holding the peildatum in the rule's code, else -1 */
  uint32_t rule;        /* the rule the version or exception belongs to */
  char *label;          /* "versie vanaf 2022-01-01", "uitzondering loonloze_maanden" */
  char *source;         /* its 'bron' citation as text, "" if none */
  char *reader_label;   /* an exception's human label ('label "..."'), or NULL */
  Span span;
} CoverPoint;

typedef struct ChunkFile {
  char *name;           /* path as given on the command line */
  char *text;           /* contents, NUL-terminated */
  uint32_t len;
  uint32_t *lines;      /* offsets where lines 2, 3, ... start (chunk_index_file), or NULL */
  uint32_t nlines;
} ChunkFile;

/*
** A call of herzien(...): its registers, table and rounding are fixed where
** it is written, so REVISE names the site and reads them from here.
*/
typedef struct RevisionSite {
  uint32_t proto;       /* the rule whose code holds the call */
  uint16_t amount;      /* register: the amount (cents when money, else a decimal) */
  uint16_t after;       /* register: revisions that took effect after this day ... */
  uint16_t through;     /* register: ... up to and including this day */
  uint8_t money;        /* 1: amount is geld */
  uint32_t table;       /* a date series of percentages */
  int64_t spec;         /* rounding after each step: unit * 8 + method, as ROUND_MONEY */
} RevisionSite;

/*
** A native function an 'extern regel' calls (CALL_NATIVE operands index
** these): where it came from, and the prepared call. The array is made at
** its final size and never moved, because a prepared NativeFn points into
** itself.
*/
typedef struct ChunkNative {
  char *rule;           /* the extern rule */
  char *library;        /* the library's path as opened */
  char *symbol;
  Span where;           /* the library path in the declaration, for messages */
  void *handle;         /* dlopen handle (closed with the chunk) */
  NativeOrigin origin;  /* the sha256 and size of the bytes loaded (the receipt records them) */
  NativeFn fn;          /* fn.sig is set even before the library is loaded (bundles) */
} ChunkNative;

typedef struct Chunk {
  Schema schema;
  uint32_t nconsts;
  Value *consts;
  TypeRef *ktypes;      /* type of each constant */
  uint32_t nprotos;
  Proto *protos;
  uint32_t noutputs;
  OutputDesc *outputs;
  uint8_t benefit_period;   /* BenefitPeriod: BENEFIT_NONE when the rule set declares no benefit */
  uint32_t benefit_output;  /* the benefit's output column (a geld one), when declared */
  uint32_t benefit_duration; /* 'duur D': D's output column (geheel, periods paid), or BENEFIT_NO_COLUMN */
  uint32_t benefit_then;    /* 'daarna Y': Y's output column (geld, paid after D), or BENEFIT_NO_COLUMN */
  uint32_t nfiles;
  ChunkFile *files;
  uint32_t ntables;
  Table *tables;        /* parameter tables the rules look up */
  uint32_t ncovers;
  CoverPoint *covers;   /* coverage points (COVER operands index this) */
  uint32_t nrevsites;
  RevisionSite *revsites;   /* herzien call sites (REVISE operands index this) */
  uint32_t nnatives;
  ChunkNative *natives;     /* native functions (CALL_NATIVE operands index this) */
  const struct NativeModule *native;   /* a native bundle's code for every rule (native_bundle.h), or NULL */
  void *native_handle;      /* its dlopen handle, closed with the chunk */
} Chunk;

/* Free what a ChunkNative holds and close its library (also for the checker's, before the chunk takes them). */
void chunk_native_clear(ChunkNative *cn);

/* The native function rule `proto` is (an 'extern regel'), or NULL. */
const ChunkNative *chunk_native_of(const Chunk *c, uint32_t proto);

/* ---- building (used by the compiler and by tests that hand-build bytecode) ---- */
Chunk *chunk_new(void);
uint32_t chunk_add_file(Chunk *c, const char *name, const char *text, uint32_t len);   /* copies */
uint32_t chunk_add_const(Chunk *c, TypeRef t, Value v);     /* text constants: pass a Text made by chunk_text */
const Text *chunk_text(Chunk *c, const char *s, size_t len); /* a Text owned by the chunk */
void chunk_free(Chunk *c);

/* Index file i's line starts, so chunk_line_col does not scan from the top (explanations ask often). */
void chunk_index_file(Chunk *c, uint32_t i);

/* 1-based line and column (column in UTF-8 characters) of a span's start. */
void chunk_line_col(const Chunk *c, Span s, uint32_t *line, uint32_t *col);

/* "file:line:col" for a span, into buf. Returns buf. */
const char *chunk_location(const Chunk *c, Span s, char *buf, size_t cap);

/*
** Disassembly: for every rule, a header line and then one line per
** instruction, "pc  OPNAME  A B C  ; synopsis-with-values  ; file:line:col".
*/
void chunk_disasm(const Chunk *c, FILE *out);

/* Line/column of byte offset `off` in text (shared with the front end's diagnostics). */
void srcpos_line_col(const char *text, uint32_t len, uint32_t off, uint32_t *line, uint32_t *col);

#endif
