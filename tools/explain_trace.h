/*
** explain_trace.h: `dagloon explain RULES --trace FILE [--id ID]` -- explanations rendered from
** the compact trace a run wrote (tools/tracefile.h) instead of computed again: one dossier as
** `dagloon explain` shows it, or, without --id, every dossier as `run --explain`'s JSON Lines.
*/
#ifndef DAGLOON_EXPLAIN_TRACE_H
#define DAGLOON_EXPLAIN_TRACE_H

#include "tools/explain.h"
#include "tools/options.h"

/* The command, once explain's options are read; its exit status. */
int explain_from_trace(const ParsedArgs *a, const char *rules, const char *trace, const char *id, ExplainFormat fmt,
                       const char *outpath, ExplainOptions *show);

#endif
