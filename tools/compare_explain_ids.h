/*
** compare_explain_ids.h: the explanation diffs of the dossiers compare's impact report lists (its
** largest gains and losses, at most 10 + 10), so that each listed id links to an anchor on the same
** self-contained page (issue 20 part 2). A second pass over the input after the summary: the rule
** sets compiled again with trace points (a bundle: its traced code), the listed dossiers found by
** id and explained as `compare --id ID` does (compare_explain.c).
*/
#ifndef DAGLOON_COMPARE_EXPLAIN_IDS_H
#define DAGLOON_COMPARE_EXPLAIN_IDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "lang/proposal.h"
#include "runtime/chunk.h"
#include "runtime/recio.h"
#include "runtime/mem.h"
#include "runtime/vm.h"

/* One dossier's explanation diff into out (both rule sets compiled with trace points); false when a
   side could not compute it (the diff then says why). */
bool compare_explain_record(const Chunk *cb, const Chunk *cp, const Changes *changes, Record *rec, Arena *arena,
                            const char *id, FILE *out);

/*
** [{"id": ..., "text": ...}] for the summary's largest gains then losses, or NULL with *why set when
** they cannot be made: the input is standard input (it cannot be read twice), a bundle has no trace
** points, or the input changed. in_fmt: compare's --input-format (-1: from the name); limits: its
** reader limits, so the second read sees the dossiers as the first did. *failed: EXIT_OK, or (with a
** message printed) EXIT_USAGE when the rules or the dossiers cannot be read again, EXIT_WRITE_ERROR
** when an explanation cannot be written (MEM_EXIT_STATUS for want of memory): compare then stops
** without the page.
*/
json_t *compare_explain_listed(const char *base, const char *proposal, const char *input, int in_fmt, VmLimits limits,
                               json_t *summary, const char **why, int *failed);

#endif
