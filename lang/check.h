/*
** check.h: the checker -- name resolution and static types over the whole
** program (every file of a rule set). It reports every error it can find
** in one run, suppressing follow-on errors through TY_ERROR, and never
** emits code. Its result, a Program, is what the compiler reads.
*/
#ifndef DAGLOON_CHECK_H
#define DAGLOON_CHECK_H

#include <stdbool.h>
#include "ast.h"
#include "diag.h"
#include "lexer.h"
#include "sandbox.h"
#include "nameindex.h"
#include "runtime/schema.h"
#include "runtime/chunk.h"
#include "runtime/table.h"

/* Built-in functions; a CALL or AGG node's `ref` holds one after checking. */
typedef enum Builtin {
  BI_NONE = -1, BI_ROUND, BI_MIN, BI_MAX, BI_SUM, BI_COUNT, BI_ALL, BI_ANY,
  /* time (issue: legal time and exact money) */
  BI_DAYS, BI_MONTHS, BI_YEARS, BI_INTEGER, BI_PERIOD, BI_CAL_MONTH, BI_QUARTER, BI_HALFYEAR, BI_CAL_YEAR,
  BI_YEAR, BI_MONTH, BI_DAY, BI_WEEKDAY, BI_DAYS_IN_MONTH, BI_LENGTH, BI_WORKDAYS, BI_OVERLAPS,
  BI_INTERSECTION, BI_CONTAINS, BI_CAL_MONTHS, BI_TIJDVAK, BI_TIJDVAKKEN, BI_PLUS,
  BI_FAIL,          /* fout("...") / error("..."): this dossier has no value here, for the reason given */
  BI_GIVEN,         /* gegeven(x) / given(x): whether the dossier gives the optioneel field x */
  BI_REVISE,        /* herzien(bedrag, tabel, na: d, tot_en_met: d, op:, methode:): revised by a table of percentages */
  BI_TABLE          /* a call of a declared table: ref is not a builtin but the table index (in ival) */
} Builtin;

/*
** A record whose lines become known on a date (docs/LANGUAGE.md, "Facts as known on a date"):
** field indexes, -1 when not declared. date >= 0 marks such a record.
*/
typedef struct KnownFields {
  int32_t key;        /* 'sleutel k': names a line */
  int32_t date;       /* 'bekend op f': the day the line became known (a datum) */
  int32_t replaces;   /* 'vervangt g': the key of the line it replaces (optioneel) */
} KnownFields;

typedef struct Program {
  Ast *ast;
  SourceSet *src;           /* table files are added to it as they are read */
  const Lang *langs;        /* language of each file */
  Schema schema;            /* enums, record types (the input among them) */
  AstNode **enums;          /* ENUM_DECL per schema.enums[i] */
  AstNode **records;        /* RECORD_DECL/INPUT_DECL per schema.records[i] */
  KnownFields *known;       /* per schema.records[i] */
  AstNode **rules;          /* RULE_DECL per rule index */
  uint32_t nrules;
  AstNode **sources;        /* SOURCE_DECL */
  uint32_t nsources;
  AstNode **exceptions;     /* EXCEPTION_DECL, in declaration order */
  uint32_t nexceptions;
  AstNode **tables;         /* TABLE_DECL per table index */
  uint32_t ntables;
  Table *tabdata;           /* the loaded rows per table index (moved into the chunk by the compiler) */
  AstNode *input;           /* the INPUT_DECL or NULL */
  AstNode *output;          /* the OUTPUT_DECL or NULL */
  AstNode *benefit;         /* the BENEFIT_DECL or NULL ('uitkering X per maand') */
  int32_t benefit_column;   /* after checking: its index in the output's items, or -1 */
  uint8_t benefit_period;   /* after checking: BenefitPeriod (runtime/chunk.h) */
  int32_t benefit_duration; /* after checking: the 'duur' column's index in the output's items, or -1 */
  int32_t benefit_then;     /* after checking: the 'daarna' column's index, or -1 */
  const NativeAllow *allow; /* the native libraries the operator allowed (NULL: none) */
  const Sandbox *sandbox;   /* where the files rule files name may be (set by the front end) */
  ChunkNative *natives;     /* per 'extern regel' (its NATIVE node's ref), loaded; moved into the chunk */
  uint32_t nnatives;
  /* name -> index of enums, records, rules, tables, sources, exceptions: lookups in constant time */
  NameIndex enum_ix, record_ix, rule_ix, table_ix, source_ix, exception_ix;
  NameIndex input_ix;       /* the input's field names -> field index */
} Program;

/* Check ast; fills *p (free with chk_free). Returns false if any error was reported. */
bool chk_program(Program *p, Ast *ast, SourceSet *src, const Lang *langs, const NativeAllow *allow,
                 const Sandbox *sandbox, DiagList *d);
void chk_free(Program *p);

/* Type name for messages in the language of `lang` ("geld" / "money", "lijst Loonregel"). */
const char *chk_type_name(const Program *p, TypeRef t, Lang lang, char *buf, size_t cap);

/* A built-in function or type name, in either language: a used rule set's names are put in its namespace, these not. */
bool chk_builtin_function(const char *name);
bool chk_builtin_type(const char *name);

/* The i-th built-in function / type name in `lang` (from 0), NULL past the last: for completion. */
const char *chk_builtin_function_name(int i, Lang lang);
const char *chk_builtin_type_name(int i, Lang lang);

/* The citation of a rule as text: "Dagloonbesluit werknemersverzekeringen (BWBR0033471) art 16 lid 1". */
char *chk_rule_source(const Program *p, const AstNode *rule);

#endif
