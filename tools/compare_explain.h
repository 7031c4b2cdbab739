/*
** compare_explain.h: the explanation diff of one dossier (dagloon compare
** --explain ID): what differs between its computation with the base and
** with the proposal, and which rules, with their sources, made it differ.
*/
#ifndef DAGLOON_COMPARE_EXPLAIN_H
#define DAGLOON_COMPARE_EXPLAIN_H

#include <stdio.h>
#include "lang/proposal.h"
#include "runtime/chunk.h"
#include "runtime/trace.h"
#include "runtime/vm.h"

/*
** ob/op: the outputs of each side, or NULL when that side failed (eb/ep
** then say why). changes: what the proposal declares, or NULL.
*/
void compare_explain_write(const Chunk *cb, const Trace *tb, const Value *ob, const VmError *eb, const Chunk *cp,
                           const Trace *tp, const Value *op, const VmError *ep, const Changes *changes, const char *id,
                           FILE *out);

#endif
