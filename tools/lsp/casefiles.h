/*
** casefiles.h: the case files of a rule set (docs/CASES.md: tests/cases/NAME/
** holds the cases of rules/NAME/), read as lines, not as YAML: the language
** server only needs where a key names an invoer field or a rule, and a
** case's date. A key is `name:` (or `name(...)`: a rule with parameters) at
** the start of a line, after `- `, or inside a `{...}` mapping.
*/
#ifndef DAGLOON_LSP_CASEFILES_H
#define DAGLOON_LSP_CASEFILES_H

#include <stdbool.h>
#include <stdint.h>
#include "lang/source.h"

typedef SourceSet CaseFiles;

/* What a top-level key opens: the dossier (invoer/input), expected values and reasons (rule names), other. */
typedef enum CaseSection { CASE_OTHER, CASE_INPUT, CASE_RULES } CaseSection;

typedef struct CaseKey {
  CaseSection section;
  uint32_t depth;        /* 0: a key of the section itself (an invoer field, a rule); 1: inside a line of a list */
  uint32_t off, len;     /* the name */
  char name[128];
} CaseKey;

typedef struct CaseKeys {
  uint32_t *offs;
  uint32_t n, cap;
} CaseKeys;

/*
** The *.case files of the rule set at `root` (its folder name NAME): those
** of tests/cases/NAME/ in the nearest folder above `root` that has one,
** in name order. None found: an empty set.
*/
void casefiles_find(CaseFiles *cf, const char *root);
void casefiles_free(CaseFiles *cf);

/* Where a case file writes `name` as a key of `section`: at depth 0, or (nested) inside a line of a list. */
void casefiles_keys(const SourceFile *f, const char *name, CaseSection section, bool nested, CaseKeys *out);

/* The key under byte `off` of a case file's text, if there is one. */
bool casefiles_key_at(const char *text, uint32_t len, uint32_t off, CaseKey *out);

/*
** A case's day: the first case file's `rekendatum` (or `calculation_date`),
** else the first of the invoer keys `prefer` (n of them) it gives a date, else
** its first invoer date. Writes "YYYY-MM-DD" and which key and file it came
** from; false when no case has a date.
*/
bool casefiles_date(const CaseFiles *cf, const char *const *prefer, uint32_t n, char day[11], char *from, size_t cap);

#endif
