/*
** cli.h: what the commands of tools/ share: the exit codes (documented in
** dagloon --help) and loading a rule set with its diagnostics printed.
*/
#ifndef DAGLOON_CLI_H
#define DAGLOON_CLI_H

#include "lang/front.h"
#include "runtime/chunk.h"

enum { EXIT_OK = 0, EXIT_RULE_ERRORS = 1, EXIT_USAGE = 2, EXIT_RECORD_ERRORS = 3 };

/* Compile (or only check) rule paths; prints diagnostics. Returns the chunk or NULL; *status an exit code. */
Chunk *load_rules(Front *f, char **paths, int n, FrontStage stage, int *status);

/*
** The chunk for a RULES argument: a bundle if the file is one (with a
** warning for each rule file changed since), else the rule files compiled
** now. *f must be initialised (and freed by the caller either way).
*/
Chunk *load_chunk(Front *f, const char *path, int *status);

#endif
