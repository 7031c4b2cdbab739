/*
** case_facts.h: why a case of `dagloon test` came out as it did -- the
** deciding facts of a failing expectation, shown before the chain of rules:
** the failing rule's expression with the values it read substituted, the
** versions chosen (with their peildatum) and the exceptions that did and
** did not apply (with their condition, evaluated), the inputs and table
** rows it read, and its rounding. They come from the explanation trace
** (runtime/trace.h, tools/explain_tree.h) of the same dossier, run again
** with the rule set compiled for explanations (only once a case fails).
*/
#ifndef DAGLOON_CASE_FACTS_H
#define DAGLOON_CASE_FACTS_H

#include <stdio.h>
#include "runtime/value.h"

typedef struct CaseFacts CaseFacts;

/* For the rule set RULES; it is compiled for explanations on the first case_facts_write. */
CaseFacts *case_facts_new(const char *rules);
void case_facts_free(CaseFacts *cf);

/*
** Writes the deciding facts of rule `rule` for the dossier `dossier_json`
** (one JSON object, as the case gave it) to out, each line starting with
** `indent`. args/nargs: the values of a call of a rule with parameters
** (nargs < 0: a rule of the dossier). Writes nothing when the rule set
** cannot be compiled for explanations or the dossier cannot be read.
*/
void case_facts_write(CaseFacts *cf, const char *dossier_json, const char *rule, const Value *args, int nargs,
                      const char *indent, FILE *out);

#endif
