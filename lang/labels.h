/*
** labels.h: human labels ('label "te weinig betaald"') on rules, exceptions,
** fields and choices. The checker calls labels_check once over every declaration; the
** compiler copies the text into the chunk (Proto.label, FieldDesc.label,
** EnumType.labels, CoverPoint.reader_label), where letters and report pages show it instead of the name.
*/
#ifndef DAGLOON_LABELS_H
#define DAGLOON_LABELS_H

#include "ast.h"
#include "diag.h"
#include "source.h"

/* E094 a second label, E095 an empty label, E096 a label where none belongs (a version, a table, a parameter). */
void labels_check(const AstList *decls, const SourceSet *src, DiagList *d);

/* The label of a rule, exception, field or choice as a new string, or NULL if it has none. */
char *label_copy(const AstNode *decl);

#endif
